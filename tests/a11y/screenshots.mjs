// Screenshots of the news list and of a post with a gallery at phone and
// desktop widths, for docs/. Usage: node screenshots.mjs OUT_DIR DOCS_DIR
import path from 'node:path';
import { serveSite, launchBrowser, WIDTHS } from './browser.mjs';

const root = path.resolve(process.argv[2]);
const docs = path.resolve(process.argv[3]);
const SHOTS = [
  { name: 'news-list', path: '/ru/news/' },
  { name: 'post-gallery', path: '/ru/news/2023-01-09-practical-conference/' },
];
const site = await serveSite(root);
const browser = await launchBrowser();
try {
  for (const shot of SHOTS) {
    for (const [widthName, viewport] of Object.entries(WIDTHS)) {
      const page = await browser.context.newPage();
      await page.setViewportSize(viewport);
      await page.goto(site.url + shot.path, { waitUntil: 'load' });
      // lazy photos: bring them in before the picture is taken
      await page.evaluate(() => Promise.all([...document.querySelectorAll('img')].map((img) => {
        img.loading = 'eager';
        return img.decode().catch(() => null);
      })));
      const file = path.join(docs, `${shot.name}-${widthName}.png`);
      await page.screenshot({ path: file, fullPage: true, animations: 'disabled' });
      console.log(file);
      await page.close();
    }
  }
} finally {
  await browser.close();
  site.close();
}
