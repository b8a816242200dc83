// Shared by the accessibility check and the screenshot script: a static
// server for a built site (with the Content-Security-Policy folio's server
// sends, so a theme that breaks it shows up) and headless Chromium.
import http from 'node:http';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

export const CSP = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'";

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8', '.svg': 'image/svg+xml', '.png': 'image/png',
  '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.webp': 'image/webp', '.gif': 'image/gif',
};

// Serves root on a free loopback port; a missing page gets the 404 page of
// the language its URL starts with. Resolves to {url, close}.
export function serveSite(root) {
  const server = http.createServer((req, res) => {
    const urlPath = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    let file = path.join(root, path.normalize(urlPath).replace(/^(\.\.[/\\])+/, ''));
    if (urlPath.endsWith('/')) file = path.join(file, 'index.html');
    let status = 200;
    if (!file.startsWith(root) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) {
      const lang = urlPath.split('/')[1] || '';
      file = path.join(root, lang, '404.html');
      if (!fs.existsSync(file)) file = path.join(root, '404.html');
      status = 404;
    }
    const headers = { 'Content-Security-Policy': CSP };
    headers['Content-Type'] = TYPES[path.extname(file)] || 'application/octet-stream';
    if (!fs.existsSync(file)) { res.writeHead(404, headers); res.end('not found'); return; }
    res.writeHead(status, headers);
    fs.createReadStream(file).pipe(res);
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      resolve({ url: `http://127.0.0.1:${server.address().port}`, close: () => server.close() });
    });
  });
}

// Headless Chromium in a new empty profile, with the network limited to
// what the page asks of our own server.
export async function launchBrowser() {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'folio-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  return {
    context,
    async close() {
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

export const WIDTHS = { phone: { width: 390, height: 844 }, desktop: { width: 1280, height: 900 } };
