// Input the page takes from people: model files, links, CSV, quick clicks. What runs is what the
// page shows; messages quote input short; floods of input give a short answer; links carry large
// drawn datasets (or say plainly that they cannot). CPU backend, headless Chromium.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { session, iteration, message, stepTo } from './session.mjs';
import { PROPS, formatValue } from '../www/js/state.js';

const load = session();

/** A page on the CPU backend, ready to train; `setup(page)` runs before it loads. */
async function ready(hash = '', setup, query = '?backend=cpu') {
  const { page, problems } = await load(`index.html${query}${hash}`, setup);
  await page.waitForSelector('body[data-ready=true]', { state: 'attached', timeout: 60_000 });
  return { page, problems };
}

async function exportText(page) {
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export')]);
  const chunks = [];
  for await (const c of await download.createReadStream()) chunks.push(c);
  return Buffer.concat(chunks).toString('utf8');
}

/** Picks a file of `text` in the input `selector` the way a person does (a File made in the page, not sent over the test's wire). */
const pickFile = (page, selector, name, text) =>
  page.evaluate(
    ({ selector, name, text }) => {
      const input = document.querySelector(selector);
      const dt = new DataTransfer();
      dt.items.add(new File([text], name, { type: 'application/json' }));
      input.files = dt.files;
      input.dispatchEvent(new Event('change'));
    },
    { selector, name, text },
  );

/** The value of a config path ("optim_g.lr") in a config object. */
const at = (config, path) => path.split('.').reduce((o, k) => o?.[k], config);

/** Every engine setting the page shows (controls and the link) against a config. */
async function assertShows(page, config) {
  const hash = new URLSearchParams((await page.evaluate(() => location.hash)).slice(1));
  for (const p of PROPS.filter((q) => q.path)) {
    const want = formatValue(p, at(config, p.path));
    assert.equal(hash.get(p.key), want, `the link's ${p.key}`);
    if (p.key === 'dataset') assert.equal(await page.getAttribute(`[data-dataset=${want}]`, 'aria-checked'), 'true');
    else assert.equal(await page.inputValue(`#p-${p.key}`), want, `the control ${p.key}`);
  }
  assert.equal(hash.get('ttur'), '0', 'two time-scale is off after an import (D’s rate is the file’s)');
}

test('an imported model file runs with its own settings, and the controls and the link show exactly those', async () => {
  const { page, problems } = await ready();
  await stepTo(page, 3);
  const file = JSON.parse(await exportText(page));
  // The checksum covers the tensors only: settings that keep every shape can be edited.
  Object.assign(file.config, { seed: 12345, batch_size: 128, k_d: 2, k_g: 3, objective: 'hinge', label_smoothing: 0.1, gp_weight: 5, clip: 0.05, dataset: 'grid' });
  Object.assign(file.config.optim_g, { lr: 0.0005, beta1: 0.6, beta2: 0.99 });
  Object.assign(file.config.optim_d, { lr: 0.002, beta1: 0.4 });
  file.config.generator.noise = 'uniform';
  const other = await ready('#seed=9&batch=64&ttur=1', undefined, '?backend=cpu&fresh=1');
  await pickFile(other.page, '#import', 'edited.json', JSON.stringify(file));
  await other.page.waitForFunction(() => document.getElementById('message').textContent.includes('Imported edited.json'));
  assert.equal(await iteration(other.page), 3);
  await assertShows(other.page, file.config);
  // What the engine runs, as it reports it, is what the page shows.
  const running = JSON.parse(await exportText(other.page)).config;
  await assertShows(other.page, running);
  assert.deepEqual(problems, []);
});

test('a model file with settings outside the controls’ ranges is refused with the engine’s reason, shown next to nothing else; the run stays', async () => {
  const { page, problems } = await ready();
  await stepTo(page, 2);
  const good = JSON.parse(await exportText(page));
  const hashBefore = await page.evaluate(() => location.hash);
  const cases = [
    ['seed.json', (f) => (f.config.seed = 2 ** 32), /seed must be in/],
    ['lr.json', (f) => (f.config.optim_g.lr = 1e-7), /optim_g\.lr must be in/],
  ];
  for (const [name, edit, reason] of cases) {
    const file = structuredClone(good);
    edit(file);
    await page.evaluate(() => (document.getElementById('message').textContent = ''));
    await pickFile(page, '#import', name, JSON.stringify(file));
    await page.waitForFunction((n) => document.getElementById('message').textContent.startsWith(n), name);
    // The refusal is the one line shown, and it stays (no "Imported…" line replaces it).
    await page.waitForTimeout(500);
    const text = await message(page);
    assert.match(text, reason);
    assert.match(text, /current model stays/);
    assert.doesNotMatch(text, /Imported/);
    assert.equal(await page.locator('#message p').count(), 1);
    assert.equal(await iteration(page), 2);
    assert.equal(await page.evaluate(() => location.hash), hashBefore);
  }
  assert.deepEqual(problems, []);
});

test('a model file with a 10 MB "format" field: the message quotes a short excerpt, and the page never blocks for 50 ms', async () => {
  const { page, problems } = await ready();
  await page.waitForSelector('body[data-warm=true]', { state: 'attached', timeout: 30_000 });
  const result = await page.evaluate(async () => {
    // The test's own 10 MB string is made before the watch starts: only the page's work is measured.
    const input = document.getElementById('import');
    const dt = new DataTransfer();
    dt.items.add(new File(['{"format":"', 'A'.repeat(10 * 1024 * 1024), '","version":1}'], 'huge.json', { type: 'application/json' }));
    await new Promise((r) => setTimeout(r, 200));
    const long = [];
    const scripts = [];
    const tasks = new PerformanceObserver((l) => long.push(...l.getEntries().map((e) => e.duration)));
    tasks.observe({ type: 'longtask' });
    const frames = new PerformanceObserver((l) => {
      for (const f of l.getEntries()) for (const s of f.scripts) scripts.push(s.duration);
    });
    frames.observe({ type: 'long-animation-frame' });
    input.files = dt.files;
    input.dispatchEvent(new Event('change'));
    const end = performance.now() + 30_000;
    while (!document.getElementById('message').textContent.includes('stays') && performance.now() < end) await new Promise((r) => setTimeout(r, 20));
    await new Promise((r) => setTimeout(r, 500)); // the frames after it
    tasks.disconnect();
    frames.disconnect();
    const box = document.getElementById('message').getBoundingClientRect();
    return { long, scripts, text: document.getElementById('message').textContent, height: box.height };
  });
  assert.match(result.text, /^huge\.json: .*"A{60}…".*The current model stays\.$/);
  assert.ok(result.text.length < 200, `a message of ${result.text.length} characters`);
  assert.ok(result.height < 120, `the message is ${result.height} px high`);
  assert.ok(result.scripts.every((ms) => ms < 50), `our scripts ran for ${result.scripts.map((ms) => ms.toFixed(0))} ms`);
  assert.ok(result.long.every((ms) => ms < 50), `long tasks: ${result.long.map((ms) => ms.toFixed(0))} ms`);
  await stepTo(page, 1);
  assert.deepEqual(problems, []);
});

test('a link of 64 kB of unknown settings gets one short notice that counts them; a long name is quoted short', async () => {
  const keys = [];
  for (let i = 0, len = 0; len < 63_000; i++) {
    keys.push(`u${i.toString(36)}`);
    len += keys.at(-1).length + 1;
  }
  const { page, problems } = await ready(`#zdim=3&${keys.join('&')}`);
  const lines = await page.locator('#message p').allTextContents();
  assert.deepEqual(lines, [`ignored ${keys.length.toLocaleString('en')} unknown settings: "u0", "u1", "u2", "u3", "u4" and ${(keys.length - 5).toLocaleString('en')} more`]);
  assert.equal(await page.inputValue('#p-zdim'), '3');
  const long = await ready(`#${'x'.repeat(50_000)}=1&seed=7`);
  const text = await message(long.page);
  assert.equal(text, `ignored unknown setting "${'x'.repeat(60)}…"`);
  assert.equal(await long.page.inputValue('#p-seed'), '7');
  assert.deepEqual(problems, []);
});

test('30 quick dataset clicks at the largest network: a few rebuilds, and the last click is what trains', async (t) => {
  const largest = '#batch=4096&kd=20&kg=20&gLayers=6&dLayers=6&gWidth=256&dWidth=256&heatmap=1&manifold=1&arrows=1';
  const { page, problems } = await ready(largest);
  const worker = page.workers().find((w) => new URL(w.url()).pathname.endsWith('/js/workers/playground.js'));
  await worker.evaluate(() => {
    self.resets = 0;
    self.addEventListener('message', ({ data }) => data.kind === 'reset' && self.resets++);
  });
  // Training: each rebuild first waits for the update under way (a second or so at this size).
  await page.click('#play');
  await page.waitForSelector('body[data-progress]', { state: 'attached', timeout: 60_000 });
  // 29 clicks through seven datasets, then the 30th on one not clicked before: only that one may end in force.
  const names = ['grid', 'spiral', 'moons', 'circles', 'disjoint', 'line', 'ring'];
  const clicks = [...Array.from({ length: 29 }, (_, i) => names[i % names.length]), 'gaussian'];
  const t0 = Date.now();
  await page.evaluate(async (clicks) => {
    for (const name of clicks) {
      document.querySelector(`[data-dataset=${name}]`).click();
      await new Promise((r) => setTimeout(r, 10));
    }
  }, clicks);
  const last = clicks.at(-1);
  await page.waitForFunction((d) => location.hash.includes(`dataset=${d}&`), last, { timeout: 30_000 });
  const ms = Date.now() - t0;
  assert.equal(await page.getAttribute(`[data-dataset=${last}]`, 'aria-checked'), 'true');
  await page.waitForTimeout(500);
  assert.match(await page.evaluate(() => location.hash), new RegExp(`dataset=${last}&`), 'a later rebuild replaced the last click');
  const resets = await worker.evaluate(() => self.resets);
  assert.ok(resets <= 3, `${resets} rebuilds for 30 clicks`);
  await page.click('#play');
  // Later edits still take effect one by one (once a round is done, after a yes to the question).
  await page.click('[data-dataset=ring]');
  if (await page.isVisible('#new-run-ask')) await page.click('#new-run-yes');
  await page.waitForFunction(() => location.hash.includes('dataset=ring&'));
  assert.deepEqual(problems, []);
  t.diagnostic(`${resets} rebuilds for 30 clicks; the last one in force after ${ms} ms`);
});

test('whole numbers in any spelling (4096.0, 1e3, +2) are taken; a fraction is "not a whole number"', async () => {
  const { page, problems } = await ready('#batch=4096.0&seed=1e3&kd=+2&kg=1.5e1');
  assert.equal(await message(page), '');
  assert.equal(await page.inputValue('#p-batch'), '4096');
  assert.equal(await page.inputValue('#p-seed'), '1000');
  assert.equal(await page.inputValue('#p-kd'), '2');
  assert.equal(await page.inputValue('#p-kg'), '15');
  assert.match(await page.evaluate(() => location.hash), /batch=4096&kd=2&kg=15/);
  await page.fill('#p-batch', '64.0');
  await page.press('#p-batch', 'Enter');
  await page.waitForFunction(() => location.hash.includes('batch=64&'));
  await page.fill('#p-batch', '2.5');
  await page.press('#p-batch', 'Enter');
  await page.waitForFunction(() => document.getElementById('message').textContent.includes('whole number'));
  assert.equal(await message(page), 'Batch size must be a whole number; kept 64.');
  const bad = await ready('#seed=2.5');
  assert.equal(await message(bad.page), 'ignored seed: Seed must be a whole number');
  assert.deepEqual(problems, []);
});

test('CSV: quoted cells are read as numbers; a first row taken as a header is named in the message', async () => {
  const { page, problems } = await ready();
  await page.click('.import summary');
  await page.fill('#csv-text', '"1.5","2"\n"-1";"0.5"\n2.5, "1"');
  await page.click('#csv-use');
  await page.waitForFunction(() => document.getElementById('message').textContent.includes('Loaded'));
  assert.equal(await message(page), 'Loaded 3 points from the pasted text.');
  await page.fill('#csv-text', 'x,y\n1,2\n2,1');
  await page.click('#csv-use');
  await page.waitForFunction(() => document.getElementById('message').textContent.includes('Loaded 2'));
  assert.deepEqual(await page.locator('#message p').allTextContents(), ['Loaded 2 points from the pasted text.', 'The first row was taken as a header: "x,y".']);
  await page.fill('#csv-text', '"1,5";2');
  await page.click('#csv-use');
  await page.waitForFunction(() => document.getElementById('message').textContent.includes('stays'));
  assert.match(await message(page), /line 1: "1,5" is not a finite number \(write decimals with a point, as in 1\.5\)/);
  assert.deepEqual(problems, []);
});

/** Replaces the clipboard with a recorder (window.copied). */
const recordClipboard = (page) =>
  page.addInitScript(() => {
    Object.defineProperty(navigator, 'clipboard', { value: { writeText: async (t) => void (window.copied = t) } });
  });

/** Points in the plane, seeded, as CSV rows. */
function cloud(n) {
  let s = 7;
  const r = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32) * 5 - 2.5;
  return Array.from({ length: n }, () => [r(), r()]);
}

test('a link carries 5,000 drawn points compressed: the recipient trains on the same points', async () => {
  const { page, problems } = await ready('', recordClipboard);
  const points = cloud(5000);
  await page.click('.import summary');
  await page.setInputFiles('#csv-file', { name: 'five.csv', mimeType: 'text/csv', buffer: Buffer.from(points.map((p) => p.join(',')).join('\n')) });
  await page.waitForFunction(() => document.getElementById('message').textContent.includes('Loaded 5,000 points'));
  await page.waitForFunction(() => location.hash.includes('ptz='));
  await page.click('#copy-link');
  await page.waitForFunction(() => document.getElementById('message').textContent.includes('Link copied'));
  assert.match(await message(page), /It carries your 5,000 points and every setting/);
  const link = await page.evaluate(() => window.copied);
  assert.ok(link.length < 64 * 1024, `a link of ${link.length} characters`);
  assert.match(link, /dataset=points&.*ptz=[A-Za-z0-9_-]+$/);
  const other = await ready(link.slice(link.indexOf('#')), undefined, '?backend=cpu&fresh=1');
  assert.equal(await message(other.page), '');
  assert.equal(await other.page.getAttribute('[data-dataset=points]', 'aria-checked'), 'true');
  const got = JSON.parse(await exportText(other.page)).points;
  assert.equal(got.length, 5000);
  const step = 3 / 32767;
  for (let i = 0; i < points.length; i++) {
    for (const k of [0, 1]) assert.ok(Math.abs(got[i][k] - points[i][k]) <= step, `point ${i}: ${got[i]} against ${points[i]}`);
  }
  await stepTo(other.page, 2);
  assert.deepEqual(problems, []);
});

test('points too many for a link even compressed: "Copy link" says plainly that they are not in it and offers Export model', async () => {
  const { page, problems } = await ready('', recordClipboard);
  await page.click('.import summary');
  await page.setInputFiles('#csv-file', { name: 'many.csv', mimeType: 'text/csv', buffer: Buffer.from(cloud(100_000).map((p) => p.join(',')).join('\n')) });
  await page.waitForFunction(() => /Loaded 100,?000 points/.test(document.getElementById('message').textContent), null, { timeout: 30_000 });
  await page.click('#copy-link');
  await page.waitForFunction(() => document.getElementById('message').textContent.includes('Link copied'));
  const text = await message(page);
  assert.match(text, /without your 100,000 points/);
  assert.match(text, /Export model/);
  assert.doesNotMatch(text, /It carries/);
  const link = await page.evaluate(() => window.copied);
  assert.doesNotMatch(link, /pts=|ptz=/);
  assert.deepEqual(problems, []);
});

test('an import’s notices are shown after its "Imported…" line, not replaced by it', async () => {
  const { page } = await ready();
  await stepTo(page, 3);
  const file = JSON.parse(await exportText(page));
  file.config.seed = 12_345_678;
  // A page out of step with its engine (a stale limits.js from a cache): its seed control stops at 100,000.
  const stale = (p) =>
    p.route('**/js/limits.js', async (route) => {
      const res = await route.fetch();
      const text = (await res.text()).replace(/("seed": \{\s*"def": 1,\s*"max": )2147483647/, '$1100000');
      await route.fulfill({ response: res, body: text });
    });
  const other = await ready('', stale, '?backend=cpu&fresh=1');
  await pickFile(other.page, '#import', 'seeded.json', JSON.stringify(file));
  await other.page.waitForFunction(() => document.getElementById('message').textContent.includes('Imported'));
  assert.deepEqual(await other.page.locator('#message p').allTextContents(), [
    'Imported seeded.json: training continues from iteration 3.',
    'Seed: the file\'s value "12345678" runs, but the controls cannot show it (Seed must be in 0–100000)',
  ]);
  assert.equal(await other.page.getAttribute('#message', 'class'), 'warn');
});
