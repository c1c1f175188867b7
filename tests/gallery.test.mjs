// End-to-end: the image-generator gallery (www/gallery.html) on the CPU backend in headless Chromium:
// every shipped model renders varied images, the explorations change them, a second visit loads
// from the Cache API, broken files get a clear message while the other models keep working, and
// the in-tab digits trainer trains.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { open, canvasDigest, WWW } from './browser.mjs';
import { session, afterRender } from './session.mjs';

const manifest = JSON.parse(readFileSync(`${WWW}/models/manifest.json`, 'utf8'));

const load = session();

async function gallery(hash = '', setup) {
  // Chromium runs without WebGPU here, so "auto" picks the CPU backend (deterministic, and fast).
  const { page, problems } = await load(`gallery.html${hash}`, setup);
  await page.waitForSelector('body[data-ready=true]', { state: 'attached', timeout: 90_000 });
  return { page, problems };
}

/** Per-cell statistics of the grid: each image's pixel spread, and the spread of image means. */
const cellStats = (page) =>
  page.evaluate(() => {
    const c = document.getElementById('grid');
    const cols = 10, rows = 4;
    const cw = c.width / cols, ch = c.height / rows;
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    const cells = [];
    for (let r = 0; r < rows; r++) for (let k = 0; k < cols; k++) {
      let s = 0, s2 = 0, n = 0;
      for (let y = Math.floor(r * ch) + 2; y < (r + 1) * ch - 2; y++) for (let x = Math.floor(k * cw) + 2; x < (k + 1) * cw - 2; x++) {
        const i = (y * c.width + x) * 4;
        const v = (d[i] + d[i + 1] + d[i + 2]) / 3;
        s += v; s2 += v * v; n++;
      }
      cells.push({ mean: s / n, std: Math.sqrt(Math.max(0, s2 / n - (s / n) ** 2)) });
    }
    const means = cells.map((c) => c.mean);
    const avg = means.reduce((a, b) => a + b) / means.length;
    return {
      minStd: Math.min(...cells.map((c) => c.std)),
      spreadOfMeans: Math.sqrt(means.reduce((a, m) => a + (m - avg) ** 2, 0) / means.length),
    };
  });

/** Sum of absolute pixel differences between two cells (to tell two images apart). */
const cellDiff = (page, a, bIndex) =>
  page.evaluate(([a, b]) => {
    const c = document.getElementById('grid');
    const cw = c.width / 10, ch = c.height / 4;
    const ctx = c.getContext('2d');
    const get = (k) => ctx.getImageData(Math.floor((k % 10) * cw), Math.floor(Math.floor(k / 10) * ch), Math.floor(cw), Math.floor(ch)).data;
    const x = get(a), y = get(b);
    let s = 0;
    for (let i = 0; i < x.length; i += 4) s += Math.abs(x[i] - y[i]);
    return s / (x.length / 4);
  }, [a, bIndex]);

test('every shipped model renders non-blank, varied images and says where it runs', async () => {
  assert.ok(manifest.models.length >= 2, 'the manifest lists fewer than two models');
  const { page, problems } = await gallery();
  for (const m of manifest.models) {
    // (Clicking the model on show draws nothing new: it keeps its grid and picks.)
    const shown = await page.evaluate(() => document.body.dataset.model);
    if (m.id === shown) await page.waitForFunction(() => Number(document.body.dataset.renders ?? 0) > 0 && document.body.dataset.pending === 'false');
    else await afterRender(page, () => page.click(`#models button[data-model="${m.id}"]`));
    await page.waitForFunction((id) => document.body.dataset.model === id, m.id);
    const s = await cellStats(page);
    assert.ok(s.minStd > 8, `${m.id}: a blank image (pixel spread ${s.minStd.toFixed(1)})`);
    assert.ok(s.spreadOfMeans > 1, `${m.id}: the images look alike (spread of means ${s.spreadOfMeans.toFixed(2)})`);
    assert.ok(await cellDiff(page, 0, 11) > 5, `${m.id}: two samples are the same`);
    assert.match(await page.textContent('#timing'), /\d+ images in \d+ ms · CPU/);
    assert.match(await page.textContent('#status'), new RegExp(m.licence));
  }
  assert.deepEqual(problems, []);
});

test('resample, seed, truncation, class, interpolation, neighbours, sliders and the walk change the images', async () => {
  const { page, problems } = await gallery('#model=digits');
  const digest = () => canvasDigest(page, '#grid');
  let last = await digest();
  const changed = async (what, action) => {
    await afterRender(page, action);
    const now = await digest();
    assert.notEqual(now.hash, last.hash, `${what} did not change the grid`);
    last = now;
  };
  await changed('resample', () => page.click('#resample'));
  await changed('seed', () => page.fill('#seed', '77').then(() => page.dispatchEvent('#seed', 'change')));
  await changed('truncation', () => page.fill('#truncation', '0.4').then(() => page.dispatchEvent('#truncation', 'input')));
  await changed('class', () => page.selectOption('#class', '7'));
  // One class everywhere: all cells are sevens, so they look more alike than the mixed grid.
  await afterRender(page, () => page.click('#grid', { position: { x: 20, y: 20 } }));
  await afterRender(page, () => page.click('#grid', { position: { x: 300, y: 150 } }));
  await changed('interpolation', () => page.click('#interpolate'));
  // The path is smooth: neighbouring frames differ less than its two ends.
  assert.ok((await cellDiff(page, 0, 1)) < (await cellDiff(page, 0, 39)), 'the interpolation jumps');
  await changed('neighbours', () => page.click('#neighbours'));
  const a0 = await canvasDigest(page, '#pick-a');
  await page.fill('#slider-0', '3');
  await page.dispatchEvent('#slider-0', 'input');
  await page.waitForFunction((h) => {
    const c = document.getElementById('pick-a');
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let x = 2166136261;
    for (let i = 0; i < d.length; i++) x = Math.imul(x ^ d[i], 16777619);
    return (x >>> 0) !== h;
  }, a0.hash, { timeout: 30_000 });
  await changed('the random walk', () => page.click('#walk'));
  await afterRender(page, async () => {});
  assert.notEqual((await digest()).hash, last.hash, 'the walk stopped moving');
  await page.click('#walk');
  const download = page.waitForEvent('download');
  await page.click('#download-grid');
  assert.equal((await download).suggestedFilename(), 'digits-random-walk-seed77-7-truncation0.4.png');
  assert.deepEqual(problems, []);
});

test('a second visit loads the weights from the cache', async () => {
  const { page } = await gallery('#model=digits');
  assert.equal(await page.evaluate(() => document.body.dataset.fromCache), 'false');
  await page.reload();
  await page.waitForSelector('body[data-ready=true]', { state: 'attached', timeout: 90_000 });
  assert.equal(await page.evaluate(() => document.body.dataset.fromCache), 'true');
  assert.match(await page.textContent('#status'), /from the cache/);
});

/** Serves a changed manifest entry and file for the first model; the second must still work. */
async function broken(t, change, expected) {
  const [victim, survivor] = manifest.models;
  const file = readFileSync(`${WWW}/models/${victim.file}`);
  const { page, problems } = await gallery(`#model=${victim.id}`, async (p) => {
    const { entry, body, status } = change(victim, file);
    await p.route('**/models/manifest.json', (r) =>
      r.fulfill({ contentType: 'application/json', body: JSON.stringify({ models: manifest.models.map((m) => (m.id === victim.id ? entry : m)) }) }));
    await p.route((url) => url.pathname.endsWith(`/models/${victim.file}`), (r) => r.fulfill({ status: status ?? 200, body, contentType: 'application/octet-stream' }));
  });
  const errors = await page.textContent('#errors');
  assert.match(errors, expected);
  assert.match(errors, new RegExp(victim.label.replace(/[()]/g, '.')));
  // The page fell through to the next model, which works.
  assert.equal(await page.evaluate(() => document.body.dataset.model), survivor.id);
  await page.waitForFunction(() => Number(document.body.dataset.renders ?? 0) > 0 && document.body.dataset.pending === 'false', null, { timeout: 60_000 });
  const stats = await cellStats(page);
  assert.ok(stats.minStd > 8, `the next model draws a blank image (pixel spread ${stats.minStd.toFixed(1)})`);
  assert.equal(await page.getAttribute(`#models button[data-model="${victim.id}"]`, 'class'), 'failed');
  t.diagnostic(errors.trim());
  return problems;
}

test('a missing weight file gets a clear message; the other models keep working', async (t) => {
  const problems = await broken(t, (e) => ({ entry: e, body: 'not here', status: 404 }), /HTTP 404 \(the file is missing\)/);
  assert.deepEqual(problems.filter((p) => !p.includes('404')), []);
});

test('a truncated weight file is refused by name', async (t) => {
  const problems = await broken(t, (e, f) => ({ entry: { ...e, bytes: 5000 }, body: f.subarray(0, 5000) }), /truncated/);
  assert.deepEqual(problems, []);
});

test('a foreign file is refused by name', async (t) => {
  const png = readFileSync(`${WWW}/models/digits.png`);
  const problems = await broken(t, (e) => ({ entry: { ...e, bytes: png.length }, body: png }), /not a ganplay model file/);
  assert.deepEqual(problems, []);
});

test('a manifest entry that does not match its weights is refused', async (t) => {
  const problems = await broken(t, (e, f) => ({ entry: { ...e, latent_dim: e.latent_dim + 1 }, body: f }), /does not match its manifest entry: latent size/);
  assert.deepEqual(problems, []);
});

test('a digits GAN trains in the tab, from scratch and from the pretrained generator', async () => {
  const { page, problems } = await gallery('#model=digits');
  await page.click('#train-scratch');
  await page.waitForFunction(() => Number(document.body.dataset.trainStep ?? -1) >= 0, null, { timeout: 60_000 });
  const first = await canvasDigest(page, '#train-grid');
  await page.waitForFunction(() => Number(document.body.dataset.trainStep) >= 10, null, { timeout: 120_000 });
  assert.notEqual((await canvasDigest(page, '#train-grid')).hash, first.hash, 'the training grid did not change');
  assert.match(await page.textContent('#train-stats'), /D loss \d+\.\d+ · G loss \d+\.\d+/);
  // The line under the grid says what to expect, and when: the step `ganplay tab-training` measured.
  const by = manifest.in_tab.recognisable_by.toLocaleString('en');
  assert.match(await page.textContent('#train-expect'), new RegExp(`recognisable by about step ${by} \\(about \\d+ s more at this speed\\)`));
  await page.click('#train-pause');
  await page.waitForFunction(() => document.getElementById('train-pause').textContent === 'Resume');
  const paused = await page.evaluate(() => Number(document.body.dataset.trainStep));
  await page.waitForTimeout(1000);
  const stopped = await page.evaluate(() => Number(document.body.dataset.trainStep));
  assert.ok(stopped <= paused + 64, 'training went on after pause');
  // Paused, the line says so (not "… s more at this speed").
  assert.equal(await page.textContent('#train-expect'), `Paused at step ${stopped.toLocaleString('en')}. Press Resume to go on from here.`);
  // Fine-tuning starts from the shipped generator: its first frame already shows digits.
  await page.click('#train-finetune');
  await page.waitForFunction(() => document.body.dataset.training === 'finetune', null, { timeout: 60_000 });
  await page.waitForFunction(() => document.getElementById('train-stats').textContent.startsWith('step'), null, { timeout: 60_000 });
  assert.match(await page.textContent('#train-expect'), /discriminator is catching up .*the digits do not change yet/);
  // During the warm-up the shipped digits stay exactly as they are.
  await page.waitForFunction(() => Number(document.body.dataset.trainStep) >= 1, null, { timeout: 60_000 });
  const warm = await canvasDigest(page, '#train-grid');
  await page.waitForFunction(() => Number(document.body.dataset.trainStep) >= 8, null, { timeout: 120_000 });
  assert.equal((await canvasDigest(page, '#train-grid')).hash, warm.hash, 'the fine-tuned digits changed during the warm-up');
  const c = await page.evaluate(() => {
    const el = document.getElementById('train-grid');
    const d = el.getContext('2d').getImageData(0, 0, el.width, el.height).data;
    let bright = 0;
    for (let i = 0; i < d.length; i += 4) if (d[i] > 200) bright++;
    return bright / (d.length / 4);
  });
  assert.ok(c > 0.05 && c < 0.6, `the fine-tuned grid does not look like digits on black (bright share ${c})`);
  await page.click('#train-pause');
  assert.deepEqual(problems, []);
});

test('"auto" draws the first samples with the small CPU module, then moves to WebGPU where it exists', async () => {
  // A browser with WebGPU (SwiftShader here): the first grid must not wait for the WebGPU module.
  const gpu = await open({ webgpu: true });
  try {
    const requested = [];
    const { page, problems } = await gpu.page('gallery.html#model=fashion', (p) => p.context().on('request', (r) => requested.push(r.url())));
    await page.waitForFunction(() => document.body.dataset.firstBackend, null, { timeout: 90_000 });
    assert.equal(await page.evaluate(() => document.body.dataset.firstBackend), 'cpu', 'the first samples did not come from the CPU module');
    await page.waitForFunction(() => document.body.dataset.backend === 'webgpu' && document.body.dataset.upgrading === 'false', null, { timeout: 180_000 });
    // The WebGPU module is fetched after the weights (which the first samples needed), never before.
    const weights = requested.findIndex((u) => u.includes('/models/fashion.gpk'));
    const module = requested.findIndex((u) => u.endsWith('/pkg/gpu/ganplay_bg.wasm'));
    assert.ok(weights >= 0 && module > weights, `requests in order: ${requested.map((u) => new URL(u).pathname).join(', ')}`);
    // The first samples came from the sampling-only module; the full CPU module (the trainer) was never needed.
    assert.ok(requested.some((u) => u.endsWith('/pkg/sample/ganplay_bg.wasm')), 'the sampling-only module was not used');
    assert.ok(!requested.some((u) => u.endsWith('/pkg/cpu/ganplay_bg.wasm')), 'the full CPU module was fetched');
    // The models now run on WebGPU, named as a software adapter here, and still draw.
    await afterRender(page, () => page.click('#resample'));
    assert.match(await page.textContent('#timing'), /WebGPU on a software adapter/);
    const s = await cellStats(page);
    assert.ok(s.minStd > 1, `a WebGPU image is flat (${s.minStd})`);
    // The device is lost: the gallery says so, moves to the CPU and keeps drawing, with no reload.
    const worker = page.workers().find((w) => new URL(w.url()).pathname.endsWith('/js/workers/gallery.js'));
    assert.ok((await worker.evaluate(() => (self.ganplayDevices.forEach((d) => d.destroy()), self.ganplayDevices.length))) >= 1);
    await page.waitForSelector('body[data-device-lost=true]', { state: 'attached', timeout: 60_000 });
    assert.match(await page.textContent('#errors'), /GPU device was lost \(destroyed.*switched to the CPU backend/);
    assert.equal(await page.evaluate(() => document.body.dataset.backend), 'cpu');
    await afterRender(page, () => page.click('#resample'));
    assert.match(await page.textContent('#timing'), /CPU/);
    assert.ok((await cellStats(page)).minStd > 1, 'a CPU image after the loss is flat');
    assert.deepEqual(problems, []);
  } finally {
    await gpu.close();
  }
});
