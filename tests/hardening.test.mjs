// Hardening: a dying worker, a wasm trap, blocked or full storage, and the largest settings never
// lose the user's work or freeze the tab. CPU backend (deterministic) in headless Chromium.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { session, iteration, message, stepTo } from './session.mjs';

const load = session();

async function ready(hash = '', setup) {
  const { page, problems } = await load(`index.html?backend=cpu${hash}`, setup);
  await page.waitForSelector('body[data-ready=true]', { state: 'attached', timeout: 60_000 });
  return { page, problems };
}

/** The page's engine worker. */
async function engine(page) {
  await page.waitForFunction(() => true);
  const w = page.workers().find((x) => new URL(x.url()).pathname.endsWith('/js/workers/playground.js'));
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
  await page.waitForFunction(() => document.getElementById('iteration').textContent === '5', null, { timeout: 10_000 });
  await stepTo(page, 7);
  // The new worker is watched too: a second death is caught as well.
  await savedAt(page, 7);
  await (await engine(page)).evaluate(() => self.close());
  await page.waitForSelector('body[data-recovered="2"]', { state: 'attached', timeout: 60_000 });
  await page.waitForFunction(() => document.getElementById('iteration').textContent === '7', null, { timeout: 10_000 });
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
  assert.match(await message(page), /The engine crashed \(unreachable\) unexpectedly\. A new one continues from your autosave .*\(iteration 4\)/);
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

test('the largest network and batch train without freezing the tab, show progress and pause within one update', async () => {
  const largest = '#batch=4096&kd=20&kg=20&gLayers=6&dLayers=6&gWidth=256&dWidth=256&heatmap=1&manifold=1&arrows=1';
  const { page, problems } = await ready(largest);
  assert.equal(await page.inputValue('#p-batch'), '4096');
  await page.click('#play');
  await page.waitForSelector('body[data-progress]', { state: 'attached', timeout: 60_000 });
  // The page keeps drawing: count animation frames and long tasks for 3 s.
  const { frames, longTasks } = await page.evaluate(async () => {
    const long = [];
    const obs = new PerformanceObserver((l) => long.push(...l.getEntries().map((e) => e.duration)));
    obs.observe({ type: 'longtask' });
    let n = 0;
    const end = performance.now() + 3000;
    await new Promise((done) => {
      const tick = () => (++n, performance.now() < end ? requestAnimationFrame(tick) : done());
      requestAnimationFrame(tick);
    });
    obs.disconnect();
    return { frames: n, longTasks: long };
  });
  assert.ok(frames >= 120, `${frames} animation frames in 3 s`);
  assert.ok(longTasks.every((t) => t < 100), `long tasks: ${longTasks}`);
  assert.match(await page.textContent('#round-progress'), /^\d+\/40 updates$/);
  assert.ok(await page.isVisible('#round-progress'));
  // Pause: the worker stops within one update, and the progress stops moving.
  await page.click('#play');
  await page.waitForTimeout(3000); // one update of this size takes well under a second here
  const progress = await page.evaluate(() => document.body.dataset.progress);
  await page.waitForTimeout(3000);
  assert.equal(await page.evaluate(() => document.body.dataset.progress), progress, 'training went on after the pause');
  assert.deepEqual(problems, []);
});

test('the largest dataset (100,000 points) trains; one more point is refused with a message', async () => {
  const { page } = await ready();
  await page.click('.import summary');
  const rows = Array.from({ length: 100_000 }, (_, i) => `${2 * Math.cos(i)},${2 * Math.sin(i * 1.3)}`).join('\n');
  await page.setInputFiles('#csv-file', { name: 'largest.csv', mimeType: 'text/csv', buffer: Buffer.from(rows) });
  await page.waitForFunction(() => document.getElementById('message').textContent.includes('Loaded 100000 points') || document.getElementById('message').textContent.includes('Loaded 100,000 points'), null, { timeout: 30_000 });
  await page.click('#play');
  await page.waitForFunction(() => Number(document.getElementById('iteration').textContent) >= 20, null, { timeout: 60_000 });
  await page.click('#play');
  await page.setInputFiles('#csv-file', { name: 'more.csv', mimeType: 'text/csv', buffer: Buffer.from(rows + '\n0,0') });
  await page.waitForFunction(() => document.getElementById('message').textContent.includes('more.csv'));
  assert.match(await message(page), /line 100001: more than 100,000 rows/);
});
