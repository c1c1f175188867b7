import { chromium } from 'playwright-core';
export const BASE = 'http://127.0.0.1:8090/index.html?backend=cpu';
export async function launch() {
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox','--headless=new','--disable-dev-shm-usage'] });
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  return { browser, ctx };
}
export async function newPage(ctx, url = BASE, log = []) {
  const page = await ctx.newPage();
  page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') log.push(`console.${m.type()}: ${m.text()}`); });
  page.on('pageerror', (e) => log.push(`pageerror: ${e.message}`));
  await page.goto(url);
  await page.waitForSelector('body[data-ready=true]', { timeout: 280000 });
  return page;
}
export async function read(page) {
  return page.evaluate(() => {
    const t = (id) => document.getElementById(id).textContent.trim();
    return { it: t('iteration'), ips: t('ips'), d: t('d-loss'), g: t('g-loss'), modes: t('modes'), q: t('quality'), js: t('js'), from: t('samples-from'), msg: t('message'), saved: t('saved'), hash: location.hash.slice(0, 300) };
  });
}
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
