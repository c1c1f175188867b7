// End-to-end: the first page trains the ring in headless Chromium and says which backend runs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { open, canvasDigest } from './browser.mjs';

async function trainsOn(t, { query, webgpu, expect, seconds, adapterText }) {
  const b = await open({ webgpu });
  try {
    const { page, problems } = await b.page(`index.html${query}`);
    await page.waitForFunction(() => document.body.dataset.backend, null, { timeout: 60_000 });
    assert.equal(await page.evaluate(() => document.body.dataset.backend), expect);
    const info = await page.textContent('#backend-info');
    assert.match(info, adapterText);
    const before = await canvasDigest(page, '#plane');
    assert.ok(before.ink > 0, 'the plane is blank before training');
    await page.click('#play');
    await page.waitForFunction(() => Number(document.getElementById('iteration').textContent) >= 3, null, { timeout: 120_000 });
    await page.waitForTimeout(seconds * 1000);
    const ips = Number(await page.textContent('#ips'));
    assert.ok(ips > 0, `iterations per second is ${ips}`);
    t.diagnostic(`${expect}: ${ips} iterations/s, iteration ${await page.textContent('#iteration')}`);
    const after = await canvasDigest(page, '#plane');
    assert.notEqual(after.hash, before.hash, 'the generated points did not move');
    assert.ok(Number.isFinite(Number(await page.textContent('#d-loss'))), 'D loss is not finite');
    await page.click('#play'); // pause
    assert.deepEqual(problems, []);
  } finally {
    await b.close();
  }
}

test('CPU backend trains and reports itself', (t) =>
  trainsOn(t, { query: '?backend=cpu', webgpu: false, expect: 'cpu', seconds: 3, adapterText: /^CPU/ }));

test('WebGPU backend trains and names its (software) adapter', (t) =>
  trainsOn(t, { query: '?backend=webgpu', webgpu: true, expect: 'webgpu', seconds: 3, adapterText: /^WebGPU — .*software adapter/ }));

test('auto falls back to CPU where WebGPU is absent', (t) =>
  trainsOn(t, { query: '?backend=auto', webgpu: false, expect: 'cpu', seconds: 2, adapterText: /^CPU \(WebAssembly\)$/ }));

test('auto trains a network as small as ring8 on the CPU even where WebGPU exists, and says why', (t) =>
  trainsOn(t, { query: '?backend=auto', webgpu: true, expect: 'cpu', seconds: 2, adapterText: /^CPU .*auto: faster than a GPU for networks this small/ }));

test('auto picks WebGPU for a network big enough to gain from it', async () => {
  // batch 1024 × width 64: 207 MFLOP per round, over the 150 MFLOP threshold (ring8 is 52).
  const b = await open({ webgpu: true });
  try {
    const { page, problems } = await b.page('index.html?backend=auto#batch=1024&gWidth=64&dWidth=64');
    await page.waitForFunction(() => document.body.dataset.backend, null, { timeout: 120_000 });
    assert.equal(await page.evaluate(() => document.body.dataset.backend), 'webgpu');
    assert.match(await page.textContent('#backend-info'), /^WebGPU — /);
    assert.deepEqual(problems, []);
  } finally {
    await b.close();
  }
});

test('under auto, networks that grow past the threshold move to WebGPU, and back to the CPU when they shrink', async () => {
  const b = await open({ webgpu: true });
  try {
    const { page, problems } = await b.page('index.html?backend=auto');
    await page.waitForSelector('body[data-ready=true]', { state: 'attached', timeout: 60_000 });
    assert.equal(await page.evaluate(() => document.body.dataset.backend), 'cpu');
    const backendAfter = async (hash, want) => {
      await page.evaluate((h) => { location.hash = h; }, hash);
      await page.waitForFunction((w) => document.body.dataset.backend === w, want, { timeout: 120_000 });
      return page.textContent('#backend-info');
    };
    assert.match(await backendAfter('#batch=1024&gWidth=64&dWidth=64', 'webgpu'), /^WebGPU — /);
    assert.match(await backendAfter('#batch=256&gWidth=64&dWidth=64', 'cpu'), /auto: faster than a GPU/);
    assert.equal(await page.inputValue('#backend'), 'auto');
    assert.deepEqual(problems, []);
  } finally {
    await b.close();
  }
});

test('asking for WebGPU where it is absent says so clearly', async () => {
  const b = await open({ webgpu: false });
  try {
    const { page } = await b.page('index.html?backend=webgpu');
    await page.waitForFunction(() => document.getElementById('message').textContent.length > 0, null, { timeout: 30_000 });
    assert.match(await page.textContent('#message'), /WebGPU is not available/);
    assert.equal(await page.textContent('#backend-info'), 'not running');
  } finally {
    await b.close();
  }
});

test('a lost WebGPU device: the page says so, switches to the CPU and continues from the last weights', async () => {
  const b = await open({ webgpu: true });
  try {
    // A tiny model: SwiftShader (a CPU Vulkan) is slow.
    const { page, problems } = await b.page('index.html?backend=webgpu#batch=32&gLayers=1&dLayers=1&gWidth=8&dWidth=8&heatmap=0');
    await page.waitForSelector('body[data-ready=true]', { state: 'attached', timeout: 120_000 });
    assert.equal(await page.evaluate(() => document.body.dataset.backend), 'webgpu');
    for (let i = 1; i <= 3; i++) {
      await page.click('#step');
      await page.waitForFunction((k) => Number(document.getElementById('iteration').textContent) >= k, i, { timeout: 60_000 });
    }
    const losses = await page.evaluate(() => [document.getElementById('d-loss').title, document.getElementById('g-loss').title]);
    const worker = page.workers().find((w) => new URL(w.url()).pathname.endsWith('/js/workers/playground.js'));
    const destroyed = await worker.evaluate(() => {
      self.ganplayDevices.forEach((d) => d.destroy());
      return self.ganplayDevices.length;
    });
    assert.ok(destroyed >= 1, 'the worker saw its GPU device');
    await page.waitForSelector('body[data-recovered="1"]', { state: 'attached', timeout: 120_000 });
    assert.match(await page.textContent('#message'), /GPU device was lost \(destroyed.*Switched to the CPU backend; training continues from iteration 3/);
    assert.equal(await page.evaluate(() => document.body.dataset.backend), 'cpu');
    assert.equal(await page.inputValue('#backend'), 'cpu');
    assert.match(await page.textContent('#backend-info'), /^CPU/);
    // The readout follows on the next animation frame.
    await page.waitForFunction(() => document.getElementById('iteration').textContent === '3', null, { timeout: 10_000 });
    // The same weights: the readout of the restored run shows the same losses.
    assert.deepEqual(await page.evaluate(() => [document.getElementById('d-loss').title, document.getElementById('g-loss').title]), losses);
    await page.click('#step');
    await page.waitForFunction(() => Number(document.getElementById('iteration').textContent) >= 4, null, { timeout: 60_000 });
    assert.deepEqual(problems, []);
  } finally {
    await b.close();
  }
});
