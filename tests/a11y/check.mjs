// Runs axe-core against pages of a built site in headless Chromium, at
// phone and desktop widths, and counts each page and width as one case.
// A case fails on any axe violation, a Content-Security-Policy report, a
// script error, or a request to another host. Usage: node check.mjs OUT_DIR
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { serveSite, launchBrowser, WIDTHS } from './browser.mjs';

const require = createRequire(import.meta.url);
const axeSource = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

const root = path.resolve(process.argv[2] || '');
const PAGES = [];
for (const lang of ['kk', 'ru', 'en']) {
  PAGES.push({ name: `${lang} news list`, path: `/${lang}/news/` });
  PAGES.push({ name: `${lang} post with gallery`, path: `/${lang}/news/2023-01-09-practical-conference/`, gallery: true });
  PAGES.push({ name: `${lang} post with header image`, path: `/${lang}/news/2024-05-25-education-exchange-program/` });
  PAGES.push({ name: `${lang} home`, path: `/${lang}/` });
  PAGES.push({ name: `${lang} 404`, path: `/${lang}/no-such-page/`, status: 404 });
}
// Added to the example site by test_a11y.sh: a map, a video, a wide table.
if (fs.existsSync(path.join(root, 'en/embeds/index.html'))) PAGES.push({ name: 'en page of wide embeds', path: '/en/embeds/' });
if (fs.existsSync(path.join(root, 'en/embeds/almaty/index.html'))) PAGES.push({ name: 'en page under another', path: '/en/embeds/almaty/' });

let passed = 0, failed = 0;
const site = await serveSite(root);
const browser = await launchBrowser();
try {
  for (const [widthName, viewport] of Object.entries(WIDTHS)) {
    const page = await browser.context.newPage();
    await page.setViewportSize(viewport);
    let problems = [];
    let expect404 = false;
    page.on('console', (m) => {
      // the 404 page's own status is expected; any other failed load is not
      if (m.type() === 'error' && !(expect404 && /status of 404/.test(m.text()))) problems.push(`console: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`script error: ${e.message}`));
    page.on('request', (r) => {
      if (!r.url().startsWith(site.url) && !r.url().startsWith('data:')) problems.push(`request to another host: ${r.url()}`);
    });
    for (const p of PAGES) {
      problems = [];
      expect404 = p.status === 404;
      const resp = await page.goto(site.url + p.path, { waitUntil: 'load' });
      if (resp.status() !== (p.status || 200)) problems.push(`HTTP ${resp.status()}`);
      // CDP evaluation is not subject to the page's CSP, so axe needs no inline script.
      await page.evaluate(axeSource);
      const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
      for (const v of result.violations) {
        problems.push(`${v.id} (${v.impact}): ${v.help}\n      ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join('\n      ')}`);
      }
      // Nothing wider than the screen: a phone would scroll sideways.
      const widths = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
      if (widths[0] > widths[1]) problems.push(`the page is ${widths[0]}px wide on a ${widths[1]}px screen`);
      if (p.gallery) {
        const buttons = await page.locator('.gallery-controls button').count();
        if (buttons !== 2) problems.push(`gallery script made ${buttons} buttons, expected 2`);
        const alts = await page.$$eval('.gallery img', (imgs) => imgs.filter((i) => !i.alt).length);
        if (alts) problems.push(`${alts} gallery photos without alt text`);
        // Without the buttons: the gallery takes focus, shows it, and the
        // arrow keys bring the next photo into view.
        const gallery = page.locator('.gallery').first();
        await gallery.scrollIntoViewIfNeeded();
        await gallery.focus();
        const outline = await gallery.evaluate((g) => getComputedStyle(g).outlineStyle);
        if (outline === 'none') problems.push('focused gallery shows no outline');
        await page.keyboard.press('ArrowRight');
        await page.waitForTimeout(600);
        const moved = await gallery.evaluate((g) => g.scrollLeft);
        if (moved <= 0) problems.push('ArrowRight on the focused gallery did not scroll it');
      }
      const label = `${p.name} @${widthName} (${viewport.width}px)`;
      if (problems.length) {
        failed++;
        console.log(`FAIL ${label}\n    ${problems.join('\n    ')}`);
      } else {
        passed++;
      }
    }
    await page.close();
  }
} finally {
  await browser.close();
  site.close();
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
