// End-to-end: the gallery never downloads more of a weight file than its manifest entry gives (at
// most 2 MB). Files of 300 MB, 1.2 GB and 2.5 GB (sparse files in this test's temp dir), sent with
// and without a Content-Length, are refused at once or cut off as soon as they pass; the wasm never
// sees them, and the other models keep working. A server of its own (tests/serve.mjs with routes),
// so that the big files come from the gallery's own origin, as a forged deploy would send them.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createReadStream, mkdtempSync, openSync, closeSync, ftruncateSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, FLAGS, WWW } from './browser.mjs';
import { serve } from './serve.mjs';
import { watchMainThread, restartWatch, assertMainThreadFree } from './main-thread.mjs';

const manifest = JSON.parse(readFileSync(`${WWW}/models/manifest.json`, 'utf8'));
const digits = manifest.models.find((m) => m.id === 'digits');
const SIZES = { '300mb': 300e6, '1200mb': 1.2e9, '2500mb': 2.5e9 };

let dir, site, browser;
/** Bytes each forged file's response sent before the browser let go of it, by path. */
const sent = {};

/** Streams `file` to `res` (with a Content-Length when `length`), counting what went out. */
function stream(file, length) {
  return (req, res, headers) => {
    res.writeHead(200, { ...headers, 'content-type': 'application/octet-stream', ...(length ? { 'content-length': length } : {}) });
    const path = new URL(req.url, 'http://x').pathname;
    sent[path] = 0;
    const s = createReadStream(file);
    s.on('data', (chunk) => (sent[path] += chunk.length));
    res.on('close', () => s.destroy());
    s.pipe(res);
  };
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ganplay-big-'));
  const routes = {};
  const models = [];
  for (const [name, size] of Object.entries(SIZES)) {
    const file = join(dir, `${name}.gpk`);
    const fd = openSync(file, 'w');
    ftruncateSync(fd, size); // sparse: takes no disk
    closeSync(fd);
    for (const [suffix, length] of [['', size], ['-chunked', 0]]) {
      routes[`/models/${name}${suffix}.gpk`] = stream(file, length);
      models.push({ ...digits, id: `${name}${suffix}`, label: `Big ${name}${suffix}`, file: `${name}${suffix}.gpk` });
    }
  }
  // The real digits file, but the list says it is 5,000 bytes: the download stops there.
  routes['/models/short.gpk'] = stream(join(WWW, 'models', digits.file), 0);
  models.push({ ...digits, id: 'short', label: 'Listed as 5,000 bytes', file: 'short.gpk', bytes: 5000 });
  models.push(digits);
  routes['/models/manifest.json'] = (req, res, headers) => {
    res.writeHead(200, { ...headers, 'content-type': 'application/json' });
    res.end(JSON.stringify({ models }));
  };
  site = await serve(WWW, 0, { routes });
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: FLAGS });
});

after(async () => {
  await browser?.close();
  await site?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('files of 300 MB, 1.2 GB and 2.5 GB are refused by their Content-Length or cut off as they pass the listed size; the wasm never sees them', async (t) => {
  const page = await browser.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(e.message));
  page.on('console', (m) => m.type() === 'error' && !/Failed to load resource/.test(m.text()) && problems.push(m.text()));
  await watchMainThread(page);
  await page.goto(`${site.url}gallery.html#model=digits`);
  await page.waitForSelector('body[data-ready=true]', { state: 'attached', timeout: 90_000 });
  assert.equal(await page.evaluate(() => document.body.dataset.model), 'digits');
  // What is watched is the downloads (the page's start is the manifest tests').
  await restartWatch(page);
  // The digits entry's size as the page writes it: MB from 1 MB up, else bytes.
  const { bytes } = digits;
  const listed = bytes >= 1e6 ? `${(bytes / 1e6).toLocaleString('en', { maximumFractionDigits: 2 })} MB` : `${bytes.toLocaleString('en')} bytes`;
  const cases = [
    ...Object.keys(SIZES).flatMap((name) => [
      [name, new RegExp(`"${name}\\.gpk" is ${(SIZES[name] / 1e6).toLocaleString('en')} MB, but the model list says ${listed}: it was not downloaded`)],
      [`${name}-chunked`, new RegExp(`"${name}-chunked\\.gpk" is larger than the ${listed} the model list says: the download was stopped there`)],
    ]),
    ['short', /"short\.gpk" is larger than the 5,000 bytes the model list says: the download was stopped there/],
  ];
  for (const [id, message] of cases) {
    const before = await page.$$eval('#errors p', (ps) => ps.length);
    const t0 = Date.now();
    await page.click(`#models button[data-model="${id}"]`);
    await page.waitForFunction((n) => document.querySelectorAll('#errors p').length > n, before, { timeout: 60_000 });
    const ms = Date.now() - t0;
    const line = await page.$$eval('#errors p', (ps) => ps.at(-1).textContent);
    assert.match(line, message);
    assert.doesNotMatch(line, /unreachable|memory/i);
    // Give the server a moment to notice the cancelled stream.
    await new Promise((r) => setTimeout(r, 300));
    const path = `/models/${id}.gpk`;
    t.diagnostic(`${id}: refused after ${ms} ms; the server sent ${(sent[path] / 1e6).toFixed(1)} MB of it`);
    assert.ok(sent[path] < 64e6, `${id}: ${sent[path]} bytes went out before the download stopped`);
    // The model shown stays, and still draws.
    assert.equal(await page.evaluate(() => document.body.dataset.model), 'digits');
    assert.match(await page.textContent('#status'), /could not be loaded; still showing Handwritten digits/);
  }
  // The grid still draws.
  const resample = async () => {
    const n = await page.evaluate(() => Number(document.body.dataset.renders));
    await page.click('#resample');
    await page.waitForFunction((k) => Number(document.body.dataset.renders) > k && document.body.dataset.pending === 'false', n, { timeout: 60_000 });
  };
  await resample();
  await assertMainThreadFree(t, page, async () => {
    // Once more: the largest file refused, and a grid drawn.
    await restartWatch(page);
    const before = await page.$$eval('#errors p', (ps) => ps.length);
    await page.click('#models button[data-model="2500mb"]');
    await page.waitForFunction((k) => document.querySelectorAll('#errors p').length > k, before, { timeout: 60_000 });
    await resample();
    return page;
  });
  assert.deepEqual(problems, []);
  await page.close();
});
