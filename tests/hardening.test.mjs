// Hardening: a dying worker, a wasm trap, blocked or full storage, and the largest settings never
// lose the user's work or freeze the tab. CPU backend (deterministic) in headless Chromium.
import { test, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { open } from './browser.mjs';

let b;
before(async () => {
  b = await open({ webgpu: false });
});
after(() => b?.close());
let pages = [];
afterEach(async () => {
  await Promise.all(pages.map((p) => p.close().catch(() => {})));
  pages = [];
});

async function ready(hash = '', setup) {
  const { page, problems } = await b.page(`index.html?backend=cpu${hash}`, setup);
  pages.push(page);
  await page.waitForSelector('body[data-ready=true]', { state: 'attached', timeout: 60_000 });
  return { page, problems };
}

const iteration = (page) => page.evaluate(() => Number(document.getElementById('iteration').textContent));
const message = (page) => page.textContent('#message');

async function stepTo(page, n) {
  while ((await iteration(page)) < n) {
    const i = await iteration(page);
    await page.click('#step');
    await page.waitForFunction((k) => Number(document.getElementById('iteration').textContent) > k, i);
  }
}

/** The page's engine worker. */
async function engine(page) {
  await page.waitForFunction(() => true);
  const w = page.workers().find((x) => x.url().endsWith('/js/worker.js'));
  assert.ok(w, 'the engine worker');
  return w;
}

/** Waits for the autosave to hold iteration `n`. */
const savedAt = (page, n) =>
  page.waitForFunction((k) => document.getElementById('saved').textContent.includes(`(iteration ${k})`), n, { timeout: 20_000 });

test('a worker that dies is replaced, and the run continues from the last autosave', async () => {
  const { page } = await ready();
  await stepTo(page, 5);
  await savedAt(page, 5);
  await (await engine(page)).evaluate(() => self.close());
  await page.waitForSelector('body[data-recovered="1"]', { state: 'attached', timeout: 60_000 });
  assert.match(await message(page), /stopped unexpectedly\. A new one continues from your autosave of .* \(iteration 5\)/);
  assert.equal(await iteration(page), 5);
  await stepTo(page, 7);
  // The new worker is watched too: a second death is caught as well.
  await savedAt(page, 7);
  await (await engine(page)).evaluate(() => self.close());
  await page.waitForSelector('body[data-recovered="2"]', { state: 'attached', timeout: 60_000 });
  assert.equal(await iteration(page), 7);
});

test('a wasm trap closes the worker; a new one continues from the autosave', async () => {
  const { page } = await ready();
  await stepTo(page, 4);
  await savedAt(page, 4);
  // The training loop's next call fails as a trapped wasm call would.
  await (await engine(page)).evaluate(() => {
    performance.now = () => {
      throw new WebAssembly.RuntimeError('unreachable');
    };
  });
  await page.click('#play');
  await page.waitForSelector('body[data-recovered="1"]', { state: 'attached', timeout: 60_000 });
  assert.match(await message(page), /\(iteration 4\)/);
  assert.equal(await page.textContent('#play'), 'Play');
  await page.click('#play');
  await page.waitForFunction(() => Number(document.getElementById('iteration').textContent) >= 10);
  await page.click('#play');
});

test('blocked storage gets a message and training goes on', async () => {
  const { page, problems } = await ready('', (p) =>
    p.addInitScript(() => {
      Object.defineProperty(window, 'indexedDB', {
        get() {
          throw new DOMException('storage denied by the browser settings', 'SecurityError');
        },
      });
    }),
  );
  await page.click('#play');
  await page.waitForFunction(() => document.getElementById('saved').textContent.includes('storage is blocked'), null, { timeout: 20_000 });
  const at = await iteration(page);
  await page.waitForFunction((k) => Number(document.getElementById('iteration').textContent) > k + 20, at);
  await page.click('#play');
  assert.deepEqual(problems, []);
});

test('full storage gets a message and training goes on', async () => {
  const { page, problems } = await ready('', (p) =>
    p.addInitScript(() => {
      IDBObjectStore.prototype.put = function () {
        throw new DOMException('the quota has been exceeded', 'QuotaExceededError');
      };
    }),
  );
  await page.click('#play');
  await page.waitForFunction(() => document.getElementById('saved').textContent.includes('storage is full'), null, { timeout: 20_000 });
  assert.match(await page.textContent('#saved'), /training goes on/);
  const at = await iteration(page);
  await page.waitForFunction((k) => Number(document.getElementById('iteration').textContent) > k + 20, at);
  await page.click('#play');
  assert.deepEqual(problems, []);
});
