// Draws the app icon www/icons/icon.svg as the PNGs the web app manifest lists (192 and 512 pixels
// square), in headless Chromium; the PNGs are committed, so run this only after changing the SVG.
// Usage: node tools/icons.mjs
import { readFileSync } from 'node:fs';
import { chromium } from '../tests/browser.mjs';

const dir = new URL('../www/icons/', import.meta.url);
const svg = readFileSync(new URL('icon.svg', dir), 'utf8');
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox'] });
try {
  for (const size of [192, 512]) {
    const page = await browser.newPage({ viewport: { width: size, height: size } });
    await page.setContent(`<body style="margin:0"><img width="${size}" height="${size}" src="data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}">`);
    await page.screenshot({ path: new URL(`icon-${size}.png`, dir).pathname, omitBackground: true });
    await page.close();
  }
} finally {
  await browser.close();
}
