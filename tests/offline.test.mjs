// The site offline (www/sw.js, www/js/offline.js, tools/precache.mjs): after one visit both pages
// load with the server gone, the playground trains on the CPU and the gallery samples a generator
// it loaded online, and the WebGPU module, stored when first used, is there too; a new version fills its own cache while the old one serves, takes over at a
// reload only when no other tab shows the old one, and then the old cache is gone.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, FLAGS, WWW, canvasDigest } from './browser.mjs';
import { serve } from './serve.mjs';
import { kindOf, filesUnder, precacheList, precacheScript } from '../tools/precache.mjs';
import en from '../www/strings/en.js';

let browser;
before(async () => {
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: FLAGS });
});
after(() => browser?.close());

/** A fresh profile (service workers allowed, unlike browser.mjs's pages) and its first page, with its page errors and policy violations. */
async function profile() {
  const context = await browser.newContext();
  const problems = [];
  await context.exposeBinding('reportViolation', (source, text) => problems.push(`CSP: ${text}`));
  await context.addInitScript(() => document.addEventListener('securitypolicyviolation', (e) => window.reportViolation(`${e.violatedDirective} ${e.blockedURI}`)));
  const page = await context.newPage();
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  return { context, page, problems };
}

/** Waits until the page is controlled by a service worker whose cache is filled. */
const offlineReady = (page) =>
  page.waitForFunction(() => navigator.serviceWorker.controller && document.documentElement.dataset.offline === 'ready', null, { timeout: 60_000 });

/** The page's site caches: name → number of entries. */
const siteCaches = (page) =>
  page.evaluate(async () => {
    const out = {};
    for (const name of await caches.keys()) if (name.startsWith('ganplay-site-')) out[name] = (await (await caches.open(name)).keys()).length;
    return out;
  });

/** Polls `check()` (false while it throws: a page between two loads) until it is true. */
async function until(check, what, ms = 60_000) {
  for (const end = Date.now() + ms; !(await check().catch(() => false));) {
    if (Date.now() > end) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const ready = (page) => page.waitForSelector('body[data-ready=true]', { state: 'attached', timeout: 90_000 });
const iteration = (page) => page.evaluate(() => Number(document.getElementById('iteration').textContent));

test('the file list: the pages and everything they load are stored on the first visit, the WebGPU module when used, the weights never; the version follows the content', () => {
  const list = precacheList(WWW);
  for (const path of ['index.html', 'gallery.html', 'style.css', 'manifest.webmanifest', 'icons/icon-192.png', 'js/main.js', 'js/offline.js',
    'js/workers/playground.js', 'strings/zh-CN.js', 'vendor/uplot/uPlot.esm.js', 'pkg/cpu/ganplay_bg.wasm', 'pkg/sample/ganplay.js',
    'lessons/index.json', 'models/lessons/saturating.json', 'models/ring.json', 'models/manifest.json', 'data/digits.bin']) {
    assert.ok(list.precache.includes(path), `${path} is not stored on the first visit`);
  }
  assert.deepEqual(list.runtime.filter((p) => p.startsWith('pkg/')), ['pkg/gpu/ganplay.js', 'pkg/gpu/ganplay_bg.wasm']);
  for (const path of filesUnder(WWW).filter((p) => p.endsWith('.gpk'))) assert.equal(kindOf(path), 'network', path);
  for (const path of ['sw.js', 'precache.js', '_headers', 'screenshot.png']) assert.ok(!list.precache.includes(path), path);
  // What each page names in its markup is stored.
  for (const page of ['index.html', 'gallery.html']) {
    for (const [, ref] of readFileSync(join(WWW, page), 'utf8').matchAll(/(?:src|href)="([^"#:]+)"/g)) assert.ok(list.precache.includes(ref), `${page}: ${ref}`);
  }
  const dir = mkdtempSync(join(tmpdir(), 'h16-offline-'));
  try {
    writeFileSync(join(dir, 'index.html'), 'one');
    const v1 = precacheList(dir).version;
    assert.equal(precacheList(dir).version, v1, 'the same files give the same version');
    writeFileSync(join(dir, 'index.html'), 'two');
    assert.notEqual(precacheList(dir).version, v1, 'a changed file gives a new version');
  } finally {
    rmSync(dir, { recursive: true });
  }
});

test('after one visit, both pages work with the server gone: the playground trains on the CPU, the gallery samples the model it loaded online', async () => {
  const server = await serve(WWW, 0);
  const { context, page, problems } = await profile();
  try {
    await page.goto(`${server.url}index.html?backend=cpu`);
    await offlineReady(page);
    assert.match(await page.textContent('#offline-note'), new RegExp(en['offline.ready'].slice(0, 20)));
    const list = precacheList(WWW);
    const site = `ganplay-site-${list.version}`;
    assert.deepEqual(await siteCaches(page), { [site]: list.precache.length });
    // The stored pages keep the server's policy (the workers take theirs from it).
    assert.match(await page.evaluate(async () => (await caches.match('index.html')).headers.get('content-security-policy')), /worker-src 'self'/);

    // The WebGPU module, as a worker that picks WebGPU loads it: stored on the way.
    const gpuModule = () => page.evaluate(() => Promise.all(['pkg/gpu/ganplay.js', 'pkg/gpu/ganplay_bg.wasm'].map((f) => fetch(f).then((r) => r.arrayBuffer()).then((b) => b.byteLength))));
    const gpuBytes = await gpuModule();
    await until(() => page.evaluate((name) => caches.match('pkg/gpu/ganplay_bg.wasm', { cacheName: name }).then(Boolean), site), 'the WebGPU module is stored');

    const gallery = await context.newPage();
    gallery.on('pageerror', (e) => problems.push(`gallery page error: ${e.message}`));
    await gallery.goto(`${server.url}gallery.html#model=digits`);
    await ready(gallery);
    await gallery.waitForFunction(() => document.body.dataset.model === 'digits');
    // Its preview is stored as it is shown; its weights are in the gallery's own cache, not the site's.
    await until(() => gallery.evaluate((name) => caches.match('models/digits.png', { cacheName: name }).then(Boolean), site), 'the preview is stored');
    assert.equal(await gallery.evaluate((name) => caches.open(name).then((c) => c.keys()).then((k) => k.some((r) => r.url.endsWith('.gpk'))), site), false);

    await server.close();
    await context.setOffline(true);
    await page.goto(`${server.url}index.html?lang=zh-CN&backend=cpu`);
    await ready(page);
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'zh-CN');
    const before = await canvasDigest(page, '#plane');
    await page.click('#play');
    await page.waitForFunction(() => Number(document.getElementById('iteration').textContent) >= 5, null, { timeout: 60_000 });
    await page.click('#play');
    assert.notEqual((await canvasDigest(page, '#plane')).hash, before.hash, 'the generated points did not move');
    assert.deepEqual(await gpuModule(), gpuBytes, 'the WebGPU module is not there offline');

    await gallery.goto(`${server.url}gallery.html?lang=zh-CN#model=digits`);
    await ready(gallery);
    await gallery.waitForFunction(() => document.body.dataset.model === 'digits' && document.body.dataset.pending === 'false', null, { timeout: 60_000 });
    assert.equal(await gallery.evaluate(() => document.body.dataset.fromCache), 'true');
    assert.ok((await canvasDigest(gallery, '#grid')).ink > 0, 'the grid is blank');
    await gallery.waitForFunction(() => document.getElementById('preview').naturalWidth > 0, null, { timeout: 10_000 });
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
    await server.close();
  }
});

test('a new version fills its own cache while the old one serves; it takes over at a reload once no other tab shows the old one; the old cache is deleted', async () => {
  const list = precacheList(WWW);
  let version = 1;
  const css = readFileSync(join(WWW, 'style.css'), 'utf8');
  const mark = ':root { --test-version: 2; }';
  const send = (type, body) => (req, res, headers) => {
    res.writeHead(200, { ...headers, 'content-type': type, 'cache-control': 'no-cache' });
    res.end(body());
  };
  const server = await serve(WWW, 0, {
    routes: {
      '/precache.js': send('text/javascript', () => precacheScript(version === 1 ? list : { ...list, version: 'test-2' })),
      '/style.css': send('text/css', () => (version === 1 ? css : `${css}\n${mark}\n`)),
    },
  });
  const { context, page, problems } = await profile();
  // The style sheet the page loaded, and the one it would get now.
  const styleLoaded = (p) => p.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue('--test-version'));
  const styleNow = (p) => p.evaluate(() => fetch('style.css').then((r) => r.text()));
  try {
    await page.goto(`${server.url}index.html?backend=cpu`);
    await offlineReady(page);
    version = 2;
    await page.reload();
    await page.waitForFunction(() => document.documentElement.dataset.offline === 'update', null, { timeout: 60_000 });
    assert.match(await page.textContent('#offline-note'), /A new version of ganplay is ready/);
    assert.deepEqual(Object.keys(await siteCaches(page)).sort(), [`ganplay-site-${list.version}`, 'ganplay-site-test-2']);
    assert.ok(!(await styleNow(page)).includes(mark), 'a page on the old version got a file of the new one');

    // A second tab on the old version: a reload of the first keeps both on it.
    const other = await context.newPage();
    await other.goto(`${server.url}index.html?backend=cpu`);
    await ready(other);
    await page.reload();
    await ready(page);
    assert.equal(await styleLoaded(page), '', 'the new version took over with another tab on the old one');
    assert.ok(!(await styleNow(page)).includes(mark));
    await other.close();
    // A closed tab leaves the service worker's list of tabs a moment later (the waiting one has none).
    const tabs = async () => Math.max(...await Promise.all(context.serviceWorkers().map((w) => w.evaluate(() => self.clients.matchAll({ type: 'window' }).then((l) => l.length)))));
    await until(async () => (await tabs()) === 1, 'the service worker sees one tab');

    // The reload of the only tab is the new version's, whole.
    await page.reload();
    await ready(page);
    assert.equal(await styleLoaded(page), '2', 'the reload did not load the new version');
    assert.ok((await styleNow(page)).includes(mark));
    await until(async () => Object.keys(await siteCaches(page)).join() === 'ganplay-site-test-2', 'the old cache is deleted');
    assert.deepEqual(await siteCaches(page), { 'ganplay-site-test-2': list.precache.length });
    await server.close();
    await context.setOffline(true);
    assert.ok((await styleNow(page)).includes(mark), 'the page is not served from the new version');
    await page.reload();
    await ready(page);
    assert.equal(await styleLoaded(page), '2');
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
    await server.close();
  }
});
