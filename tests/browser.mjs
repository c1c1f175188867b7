// Shared helpers for the end-to-end tests: Debian's Chromium driven by playwright-core, www/ served on loopback.
import { chromium } from 'playwright-core';
import { serve } from './serve.mjs';
import { fileURLToPath } from 'node:url';

export { chromium }; // for bench/run.mjs, which sits outside tests/ and its node_modules

export const WWW = fileURLToPath(new URL('../www', import.meta.url));

export const FLAGS = [
  '--no-sandbox', '--headless=new', '--disable-dev-shm-usage', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--disable-quic',
];

/** Starts Chromium (with WebGPU when `webgpu`) and the static server; `close()` stops both. */
export async function open({ webgpu }) {
  const server = await serve(WWW, 0);
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: webgpu ? [...FLAGS, '--enable-unsafe-webgpu'] : FLAGS,
  });
  return {
    url: server.url,
    browser,
    /**
     * Opens `path` in a new context; `setup(page)` runs first (routes, say). The context starts no
     * service worker: requests a service worker answers bypass the page's routes.
     * tests/offline.test.mjs tests the service worker in contexts of its own.
     */
    async page(path, setup) {
      const page = await browser.newPage({ serviceWorkers: 'block' });
      if (setup) await setup(page);
      const problems = [];
      page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
      page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
      page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()}`));
      page.on('response', (r) => { if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`); });
      await page.goto(server.url + path);
      return { page, problems };
    },
    async close() {
      await browser.close();
      await server.close();
    },
  };
}

/** A short digest of a canvas's pixels, to tell whether the picture changed. */
export function canvasDigest(page, selector) {
  return page.evaluate((sel) => {
    const c = document.querySelector(sel);
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let h = 2166136261, ink = 0;
    for (let i = 0; i < d.length; i++) {
      h = Math.imul(h ^ d[i], 16777619);
      if ((i & 3) === 3 && d[i] !== 0) ink++;
    }
    return { hash: h >>> 0, ink };
  }, selector);
}

/** The screen sizes the layout and accessibility tests use. */
export const SIZES = {
  phone: { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true },
  tablet: { viewport: { width: 768, height: 1024 } },
  laptop: { viewport: { width: 1366, height: 768 } },
};

/**
 * Opens `path` of `env` (from open()) in a context of its own at `size`, with `scheme` and
 * `reducedMotion` as the media features, and waits until it is ready (the gallery: its first
 * samples drawn). Resolves to { page, problems, close }.
 */
export async function loadAt(env, path, { size = 'laptop', scheme = 'light', reducedMotion = 'no-preference' } = {}) {
  const context = await env.browser.newContext({ ...SIZES[size], colorScheme: scheme, reducedMotion });
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(e.message));
  await page.goto(env.url + path);
  await page.waitForSelector('body[data-ready=true]', { state: 'attached', timeout: 90_000 });
  if (path.startsWith('gallery')) await page.waitForFunction(() => Number(document.body.dataset.renders) >= 1, null, { timeout: 90_000 });
  return { page, problems, close: () => context.close() };
}
