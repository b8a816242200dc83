// Page weight as a phone visitor gets it: the news list of each language,
// loaded in headless Chromium at phone width and scrolled to the end (so
// lazy photos load too). Counts every byte of every response (the test
// server does not compress, so this is an upper bound of what is
// transferred) and fails above the budget. Usage: node weight.mjs OUT_DIR
import path from 'node:path';
import { serveSite, launchBrowser, WIDTHS } from './browser.mjs';

const BUDGET = 500 * 1024;
const root = path.resolve(process.argv[2] || '');
let passed = 0, failed = 0;
const site = await serveSite(root);
const browser = await launchBrowser();
try {
  for (const lang of ['kk', 'ru', 'en']) {
    const page = await browser.context.newPage();
    await page.setViewportSize(WIDTHS.phone);
    const sizes = new Map();
    page.on('response', async (r) => {
      try { sizes.set(r.url(), (await r.body()).length); } catch { /* redirects have no body */ }
    });
    await page.goto(`${site.url}/${lang}/news/`, { waitUntil: 'load' });
    for (let y = 0; y < 40; y++) {
      await page.mouse.wheel(0, 600);
      await page.waitForTimeout(50);
    }
    await page.waitForLoadState('networkidle');
    const total = [...sizes.values()].reduce((a, b) => a + b, 0);
    const images = [...sizes.entries()].filter(([u]) => /\.(jpe?g|png|webp)$/.test(u));
    const label = `${lang} news list @phone: ${(total / 1024).toFixed(0)} KB in ${sizes.size} responses, ` +
      `${images.length} images`;
    if (total > BUDGET || images.length === 0) {
      failed++;
      console.log(`FAIL ${label} (budget ${BUDGET / 1024} KB, at least one photo)`);
    } else {
      passed++;
      console.log(`weight: ${label}`);
    }
    await page.close();
  }
} finally {
  await browser.close();
  site.close();
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
