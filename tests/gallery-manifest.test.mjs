// End-to-end: the gallery's model list (models/manifest.json) checked entry by entry. A bad entry is
// greyed out with its reason and the others load; a list that cannot be used at all gets a clear
// message instead of "Starting…" forever; a huge list is cut to its first 50 entries and only a
// few are tried; long values are quoted as short excerpts. CPU backend, headless Chromium.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { WWW } from './browser.mjs';
import { session } from './session.mjs';
import { watchMainThread, assertMainThreadFree } from './main-thread.mjs';
import { quality } from '../www/js/gallery/manifest.js';

const manifest = JSON.parse(readFileSync(`${WWW}/models/manifest.json`, 'utf8'));
const [digits, fashion] = manifest.models;
const load = session();

/**
 * Opens the gallery with `body` (text, or an object sent as JSON) as models/manifest.json, or with
 * HTTP `status`; waits until the page is ready. Watches the main thread (main-thread.mjs).
 */
async function withManifest(body, { status = 200, hash = '', files = {} } = {}) {
  const { page, problems } = await load(`gallery.html${hash}`, async (p) => {
    await watchMainThread(p);
    await p.route('**/models/manifest.json', (r) =>
      r.fulfill({ status, contentType: 'application/json', body: typeof body === 'string' ? body : JSON.stringify(body) }));
    for (const [name, f] of Object.entries(files)) await p.route((u) => u.pathname.endsWith(`/models/${name}`), f);
  });
  await page.waitForSelector('body[data-ready=true]', { state: 'attached', timeout: 90_000 });
  return { page, problems, errors: () => page.textContent('#errors'), status: () => page.textContent('#status-text') };
}

test('an entry without classes, with classes null or of the wrong types is greyed out with its reason; the valid ones load', async (t) => {
  const { classes, ...noClasses } = fashion;
  const models = [
    { ...noClasses, id: 'no-classes', label: 'No classes' },
    { ...fashion, id: 'null-classes', label: 'Null classes', classes: null },
    { ...fashion, id: 'number-class', label: 'A number class', classes: ['a', 7] },
    { ...fashion, id: 'text-bytes', label: 'Bytes as text', bytes: String(fashion.bytes) },
    { ...fashion, id: 'bad id!', label: 'Bad id' },
    { ...fashion, label: 'No id', id: undefined },
    { ...fashion, id: 'huge', label: 'Huge file', bytes: 2_500_000_000 },
    null,
    'digits.gpk',
    digits,
    { ...digits, label: 'Digits again' },
    fashion,
  ];
  const shown = async () => {
    const r = await withManifest({ models });
    await r.page.waitForFunction(() => document.body.dataset.model === 'digits');
    await r.page.waitForFunction(() => Number(document.body.dataset.renders ?? 0) > 0 && document.body.dataset.pending === 'false', null, { timeout: 60_000 });
    return r;
  };
  const { page, problems, errors } = await shown();
  const nav = await page.$$eval('#models button', (bs) => bs.map((b) => ({ model: b.dataset.model ?? null, disabled: b.disabled, label: b.firstChild.textContent, why: b.querySelector('small')?.textContent, title: b.title })));
  assert.equal(nav.length, models.length, 'one button per entry, in order');
  assert.deepEqual(nav.filter((b) => !b.disabled).map((b) => b.model), ['digits', 'fashion']);
  const refused = nav.filter((b) => b.disabled);
  t.diagnostic(refused.map((b) => `${b.label}: ${b.why} (${b.title})`).join('\n'));
  // On the button: its name and a reason in plain words; in its title (and the error list): the details.
  const expected = [
    ['No classes', 'its list of classes is missing or wrong', /"classes" must be a list of class names \(\[\] for none\); it is missing/],
    ['Null classes', 'its list of classes is missing or wrong', /"classes" must be a list .* it is null/],
    ['A number class', 'its list of classes is missing or wrong', /class 2 must be a name; it is 7/],
    ['Bytes as text', 'its file size is missing or wrong', /"bytes" must be a whole number; it is the text "1205988"/],
    ['Bad id', 'its id is missing or wrong', /"id" must be letters, digits, "-" and "_" only/],
    ['No id', 'its id is missing or wrong', /"id" must be some text; it is missing/],
    ['Huge file', 'its file is too large (2,500 MB; at most 2 MB)', /its file is 2,500 MB; the gallery loads files of at most 2 MB/],
    ['entry 8', "these are not a model's details", /an entry must be an object .* it is null/],
    ['entry 9', "these are not a model's details", /an entry must be an object .* it is the text "digits.gpk"/],
    ['Digits again', 'a model above has the same id', /its "id" "digits" is used by an earlier entry/],
  ];
  assert.equal(refused.length, expected.length);
  expected.forEach(([label, why, detail], i) => {
    assert.equal(refused[i].label, label);
    assert.equal(refused[i].why, `can't be used: ${why}`);
    assert.match(refused[i].title, detail);
  });
  // The first five are named in the error list, the others counted.
  const e = await errors();
  assert.match(e, /"No classes" in the model list can't be used: "classes" must be a list of class names/);
  assert.match(e, /…and 5 more entries of the model list can't be used/);
  assert.match(e, /The other models work as usual\. \(To fix an entry, edit models\/manifest\.json\.\)/);
  await assertMainThreadFree(t, page, async () => (await shown()).page);
  // A greyed-out entry cannot be picked.
  await page.click('#models button[data-index="0"]', { force: true });
  assert.equal(await page.evaluate(() => document.body.dataset.model), 'digits');
  await page.click('#models button[data-model="fashion"]');
  await page.waitForFunction(() => document.body.dataset.model === 'fashion', null, { timeout: 60_000 });
  assert.deepEqual(problems, []);
});

for (const [name, body, status, message, cancelled = false] of [
  ['an empty model list', { models: [] }, 200, /The model list \(models\/manifest\.json\) cannot be used: its "models" list is empty\./],
  ['a list that is not an array', { models: { digits } }, 200, /cannot be used: its "models" must be a list; it is an object\./],
  ['a manifest without a list', [digits], 200, /cannot be used: it must be an object with a "models" list; it is a list\./],
  ['a manifest with the list only in its prototype', '{"__proto__": {"models": [1]}}', 200, /cannot be used: its "models" must be a list; it is missing\./],
  ['a manifest that is not JSON', '{"models": [', 200, /The model list \(models\/manifest\.json\) is not valid JSON: /],
  ['a manifest over 4 MB', JSON.stringify({ models: [digits], padding: ' '.repeat(5_000_000) }), 200, /The model list \(models\/manifest\.json\) is 5 MB; the gallery reads at most 4 MB\./, true],
  ['a manifest that fails to load', 'gone', 404, /The model list \(models\/manifest\.json\) could not be loaded: HTTP 404 \(the file is missing\)\./],
]) {
  test(`${name}: a clear message, not "Starting…" forever; the trainer still works`, async () => {
    const { page, problems, errors, status: line } = await withManifest(body, { status });
    assert.match(await errors(), message);
    assert.match(await line(), /^No models to show \(the reason is below\)\. The trainer below still works\.$/);
    assert.equal(await page.$$eval('#models button', (bs) => bs.length), 0);
    assert.equal(await page.isDisabled('#train-scratch'), false);
    assert.equal(await page.isDisabled('#resample'), true);
    // (A list over 4 MB is not read: its request is cancelled.)
    assert.deepEqual(problems.filter((p) => !(status === 404 && p.includes('404')) && !(cancelled && p.startsWith('request failed'))), []);
  });
}

test('10,000 entries with missing files: the first 50 are used, only 3 are tried, and the page says so at once', async (t) => {
  const { metrics, ...plain } = digits;
  const models = Array.from({ length: 10_000 }, (_, i) => ({ ...plain, id: `m${i}`, label: `Model ${i}`, file: `missing-${i}.gpk` }));
  const t0 = Date.now();
  const { page, problems, errors, status } = await withManifest({ models });
  const ms = Date.now() - t0;
  assert.equal(await page.$$eval('#models button', (bs) => bs.length), 50);
  const e = await errors();
  assert.match(e, /The model list has 10,000 entries; the gallery uses the first 50 and left out the other 9,950\./);
  assert.equal((e.match(/HTTP 404 \(the file is missing\)/g) ?? []).length, 3, e);
  assert.match(await status(), /^None of the 3 models tried could be loaded \(the reasons are below\)\. Pick one of the 47 others\.$/);
  assert.equal(problems.filter((p) => /^HTTP 404: .*missing-\d+\.gpk/.test(p)).length, 3, 'three files were asked for');
  t.diagnostic(`ready after ${ms} ms`);
  await assertMainThreadFree(t, page, async () => (await withManifest({ models })).page);
});

test('long values are quoted as short excerpts: a 1 MB label, id and file name, and a 1 MB model id inside a weight file', async (t) => {
  const long = 'x'.repeat(1_000_000);
  // A digits file whose header names a 100,000-character model id (peekGenerator reads the header only).
  const file = readFileSync(`${WWW}/models/${digits.file}`);
  const len = file.readUInt32LE(12);
  const header = JSON.parse(file.subarray(16, 16 + len).toString('utf8'));
  header.meta.id = 'y'.repeat(100_000);
  const json = Buffer.from(JSON.stringify(header));
  const size = Buffer.alloc(4);
  size.writeUInt32LE(json.length);
  const forged = Buffer.concat([file.subarray(0, 12), size, json, file.subarray(16 + len)]);
  const models = [
    { ...digits, id: 'long-label', label: long },
    { ...digits, id: long },
    { ...digits, id: 'long-file', label: 'Long file', file: `${long}.gpk` },
    { ...digits, id: 'long-text', label: 'Long text', licence: long.slice(0, 500_000) },
    { ...digits, id: 'digits', label: 'Forged digits', bytes: forged.length },
    fashion,
  ];
  const shown = async () => {
    const r = await withManifest({ models }, {
      files: { [digits.file]: (route) => route.fulfill({ body: forged, contentType: 'application/octet-stream' }) },
    });
    await r.page.waitForFunction(() => document.body.dataset.model === 'fashion', null, { timeout: 60_000 }).catch(async (e) => {
      throw new Error(`${e.message}: ${await r.errors()} / ${await r.page.textContent('#status')}`);
    });
    return r;
  };
  const { page, problems, errors } = await shown();
  const lines = await page.$$eval('#errors p, #models button, #status', (els) => els.map((e) => e.textContent));
  for (const line of lines) assert.ok(line.length < 400, `a message of ${line.length} characters: ${line.slice(0, 200)}…`);
  await assertMainThreadFree(t, page, async () => (await shown()).page);
  const e = await errors();
  assert.match(e, /"long-label" in the model list can't be used: "label" is 1,000,000 characters long; at most 60 are allowed/);
  assert.match(e, /"Handwritten digits" in the model list can't be used: "id" is 1,000,000 characters long; at most 40 are allowed/);
  assert.match(e, /"Long file" in the model list can't be used: "file": the file name is 1,000,004 characters long/);
  assert.match(e, /"Long text" in the model list can't be used: "licence" is 500,000 characters long/);
  assert.match(e, /Forged digits: "digits\.gpk" does not match its manifest entry: the file is model "y{60}…", the manifest says "digits"/);
  assert.deepEqual(problems, []);
});

test("the quality figures in the list are shown in plain words, each model's reference named as the list names it, with why samples can beat real images; figures out of range or without their reference are left out and the model is still used", async () => {
  const emoji = manifest.models.find((m) => m.id === 'emoji');
  const models = [
    { ...digits, metrics: { ...digits.metrics, real_requested_class_share: 0.999 } },
    { ...fashion, metrics: { ...fashion.metrics, requested_class_share: 7 } },
    emoji,
  ];
  // Figures that do not say what they were measured against, or not like for like, are not shown.
  for (const forged of [{ reference: undefined }, { reference: 'training' }, { per_class: undefined }, { per_class: 3000 }]) {
    assert.equal(quality({ ...digits.metrics, ...forged }), null, JSON.stringify(forged));
  }
  assert.deepEqual(quality(emoji.metrics).reference, 'other_styles');
  const { page, errors } = await withManifest({ models });
  await page.waitForFunction(() => document.body.dataset.model === 'digits');
  const pct = (v) => new Intl.NumberFormat('en', { style: 'percent', maximumFractionDigits: 0 }).format(v);
  const ratio = (v) => new Intl.NumberFormat('en', { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(v);
  const summary = (m, real = m.real_requested_class_share) => `How good is it? Recognised: ${pct(m.requested_class_share)} of samples (${pct(real)} of real images). Distance from the training images: ${ratio(m.frechet_ratio)}× that of other real images.`;
  const count = (v) => new Intl.NumberFormat('en').format(v);
  // What the real figures are measured on, as the list's `reference` says.
  const said = (m, real = m.real_requested_class_share) => m.reference === 'held_out'
    ? `Measured on ${count(m.samples)} samples at truncation 1 (${m.per_class} of each class) against as many real images, by separate classifiers trained only to judge: on average they are at least 90% sure of the class asked for in ${pct(m.requested_class_share)} of the samples, and in ${pct(real)} of real images the GAN never saw. By the Fréchet distance, the samples are ${ratio(m.frechet_ratio)}× as far from the training images as those real images are (1× is as close as real; lower is better).`
    : `Measured on ${count(m.samples)} samples at truncation 1 (${m.per_class} of each class) against as many real images, by separate classifiers that learned the classes only from other drawing styles: on average they are at least 90% sure of the class asked for in ${pct(m.requested_class_share)} of the samples, and in ${pct(real)} of the real images the GAN learned from. By the Fréchet distance, the samples are ${ratio(m.frechet_ratio)}× as far from the training images as the same classes drawn in those other styles are (lower is better).`;
  const easy = 'Samples can score above real images: the generator was also trained to make its class easy to recognise, which is not the same as looking real.';
  const nearer = 'Below 1× means that the other real images differ from the training images more than the samples do (they are drawn in other styles, say); it does not mean the samples look more real than real.';
  const show = async (id) => {
    await page.click(`#models button[data-model="${id}"]`);
    await page.waitForFunction((want) => document.body.dataset.model === want, id, { timeout: 60_000 });
  };
  // Digits (real images scored higher here): no caveat. Held-out real digits, as many as samples.
  assert.deepEqual([digits.metrics.reference, emoji.metrics.reference], ['held_out', 'other_styles']);
  assert.equal(digits.metrics.samples, 10 * digits.metrics.per_class);
  assert.equal(await page.isVisible('#quality'), true);
  assert.equal(await page.textContent('#quality-summary'), summary(digits.metrics, 0.999));
  assert.equal(await page.isVisible('#quality-text'), false, 'the details open on demand');
  await page.click('#quality-summary');
  assert.equal(await page.textContent('#quality-text'), said(digits.metrics, 0.999));
  // Emoji: samples above real images, and nearer the training styles than the held-out styles are.
  assert.ok(emoji.metrics.requested_class_share > emoji.metrics.real_requested_class_share && emoji.metrics.frechet_ratio < 1);
  await show('emoji');
  assert.equal(await page.textContent('#quality-summary'), summary(emoji.metrics));
  assert.equal(await page.textContent('#quality-text'), `${said(emoji.metrics)} ${easy} ${nearer}`);
  await show('fashion');
  assert.equal(await page.isVisible('#quality'), false, 'a share of 7 is not shown');
  assert.equal(await page.textContent('#quality'), '');
  assert.equal(await errors(), '');
});

test('clicking the model on show again keeps its class and picks', async () => {
  const { page } = await withManifest({ models: [digits, fashion] });
  await page.waitForFunction(() => document.body.dataset.model === 'digits' && document.body.dataset.pending === 'false');
  await page.selectOption('#class', '2');
  await page.waitForFunction(() => document.body.dataset.pending === 'false');
  const box = await page.locator('#grid').boundingBox();
  await page.mouse.click(box.x + box.width * 0.05, box.y + box.height * 0.1);
  await page.waitForFunction(() => document.body.dataset.pending === 'false');
  const state = () => page.evaluate(() => ({ cls: document.querySelector('#class').value, pickedA: !document.querySelector('#neighbours').disabled, url: location.hash }));
  const before = await state();
  assert.deepEqual([before.cls, before.pickedA], ['2', true]);
  await page.click('#models button[data-model="digits"]');
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(r, 200)))));
  assert.deepEqual(await state(), before);
});
