// End-to-end: the gallery notices its worker dying (closed from inside, or after a wasm trap),
// starts a new one, loads the current model again from the Cache API and draws again, with a
// message; after 3 restarts in a minute it stops and says so. CPU backend, headless Chromium.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { session } from './session.mjs';

const load = session();

async function gallery(hash = '#model=digits') {
  const { page, problems } = await load(`gallery.html${hash}`);
  await page.waitForSelector('body[data-ready=true]', { state: 'attached', timeout: 90_000 });
  await page.waitForFunction(() => Number(document.body.dataset.renders ?? 0) > 0 && document.body.dataset.pending === 'false', null, { timeout: 60_000 });
  return { page, problems };
}

/** The page's gallery worker, other than `old` (a worker that died may linger in the list a moment). */
async function worker(page, old = null) {
  for (let i = 0; i < 200; i++) {
    const w = page.workers().filter((x) => new URL(x.url()).pathname.endsWith('/js/workers/gallery.js') && x !== old).at(-1);
    if (w) return w;
    await page.waitForTimeout(50);
  }
  throw new Error('no gallery worker');
}

const renders = (page) => page.evaluate(() => Number(document.body.dataset.renders ?? 0));

/** Clicks Resample and waits for the new grid. */
async function resample(page) {
  const n = await renders(page);
  await page.click('#resample');
  await page.waitForFunction((k) => Number(document.body.dataset.renders ?? 0) > k && document.body.dataset.pending === 'false', n, { timeout: 60_000 });
}

test('a gallery worker closed from inside is replaced: the model comes back from the cache and Resample works again', async () => {
  const { page, problems } = await gallery();
  // A pick, to see that it survives.
  await page.click('#grid', { position: { x: 20, y: 20 } });
  await page.waitForFunction(() => !document.getElementById('neighbours').disabled);
  const first = await worker(page);
  await first.evaluate(() => self.close());
  await page.waitForSelector('body[data-recovered="1"]', { state: 'attached', timeout: 60_000 });
  assert.match(await page.textContent('#errors'), /The engine stopped unexpectedly\. A new one was started and Handwritten digits was loaded again\./);
  assert.equal(await page.evaluate(() => document.body.dataset.fromCache), 'true', 'the weights came from the Cache API');
  assert.match(await page.textContent('#status'), /from the cache/);
  assert.equal(await page.isDisabled('#neighbours'), false, 'the pick A was kept');
  await resample(page);
  assert.match(await page.textContent('#timing'), /40 images in \d+ ms/);
  // The new worker is watched too.
  const second = await worker(page, first);
  await second.evaluate(() => self.close());
  await page.waitForSelector('body[data-recovered="2"]', { state: 'attached', timeout: 60_000 });
  await resample(page);
  assert.deepEqual(problems, []);
});

test('a wasm trap closes the gallery worker; a new one takes over and names the crash', async () => {
  const { page, problems } = await gallery();
  // The next generate fails as a trapped wasm call would.
  await (await worker(page)).evaluate(() => {
    performance.now = () => {
      throw new WebAssembly.RuntimeError('unreachable');
    };
  });
  await page.click('#resample');
  await page.waitForSelector('body[data-recovered="1"]', { state: 'attached', timeout: 60_000 });
  const errors = await page.textContent('#errors');
  assert.match(errors, /The engine crashed \(unreachable\) unexpectedly\. A new one was started and Handwritten digits was loaded again\./);
  assert.doesNotMatch(errors, /Generating failed/, 'the dead worker\'s failed call is not reported on its own');
  await resample(page);
  assert.deepEqual(problems, []);
});

test('after 3 restarts in a minute the fourth death is not restarted, and the page says so', async () => {
  const { page } = await gallery();
  let old = null;
  for (let k = 1; k <= 4; k++) {
    const w = await worker(page, old);
    await w.evaluate(() => self.close());
    old = w;
    if (k < 4) await page.waitForSelector(`body[data-recovered="${k}"]`, { state: 'attached', timeout: 60_000 });
  }
  await page.waitForSelector('body[data-engine=gave-up]', { state: 'attached', timeout: 60_000 });
  assert.match(await page.textContent('#errors'), /The engine stopped unexpectedly, for the fourth time in a minute, so it was not restarted\. Reload the page to try again/);
  assert.equal(await page.textContent('#status-text'), 'The engine is not running.');
  assert.equal(await page.isDisabled('#resample'), true);
  assert.equal(await page.isDisabled('#train-scratch'), true);
});
