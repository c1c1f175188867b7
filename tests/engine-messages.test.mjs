// The engine's messages as the page shows them (www/js/engine-messages.js): real messages from the
// engine (the CPU wasm module, loaded in node as tests/record-trace.mjs does), triggered the ways a
// person can from the page (a bad model file on Import, settings the engine refuses, a bad point
// cloud, a backend this build lacks), read in English and in Chinese; and on the Chinese page, as
// the worker sends them. Needs www/pkg/cpu (./build.sh).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { inLanguage } from './in-language.mjs';
import { session, message } from './session.mjs';

const PKG = new URL('../www/pkg/cpu/', import.meta.url);

/** FNV-1a 64 of each part closed by a 0xff byte, as hex (crate/src/files/checksum.rs fnv1a_parts). */
function fnv1aParts(parts) {
  let h = 0xcbf29ce484222325n;
  const feed = (b) => (h = ((h ^ BigInt(b)) * 0x100000001b3n) & 0xffffffffffffffffn);
  for (const p of parts) {
    for (const b of new TextEncoder().encode(p)) feed(b);
    feed(0xff);
  }
  return h.toString(16).padStart(16, '0');
}

/** A model file with its checksum made right again (ModelFile::digest), so the engine reads on past it. */
function seal(file) {
  const tensors = [...file.generator, ...file.discriminator, ...(file.ema ?? [])];
  const parts = [...tensors.map((t) => `${t.id}:[${t.shape.join(', ')}]`), ...tensors.map((t) => t.data)];
  if (file.optimizer) parts.push(file.optimizer.generator, file.optimizer.discriminator);
  return JSON.stringify({ ...file, checksum: fnv1aParts(parts) });
}

/** Every engine message the tests trigger: { how, text }. */
async function engineMessages() {
  const { default: init, Playground, sampleDataset } = await import(new URL('ganplay.js', PKG));
  await init({ module_or_path: readFileSync(new URL('ganplay_bg.wasm', PKG)) });
  const out = [];
  const failing = async (how, f) => {
    try {
      await f();
    } catch (e) {
      return out.push({ how, text: String(e?.message ?? e) });
    }
    throw new Error(`${how}: the engine took it`);
  };
  const pg = await Playground.create('cpu', JSON.stringify({ batch_size: 16 }), undefined);
  const good = JSON.parse(await pg.export());
  const file = (change) => {
    const f = structuredClone(good);
    change(f);
    return f;
  };
  const imports = {
    'not JSON': 'hello',
    'a cut file': JSON.stringify(good).slice(0, 500),
    'an empty file': '',
    'another format': JSON.stringify({ format: 'other' }),
    'no format': '{}',
    'version 2': JSON.stringify({ ...good, version: 2 }),
    'version as text': JSON.stringify({ ...good, version: 'one' }),
    'version 1.5': JSON.stringify({ ...good, version: 1.5 }),
    'no version': JSON.stringify({ format: 'ganplay-2d' }),
    'a changed file': JSON.stringify({ ...good, checksum: '0000000000000000' }),
    'no config': JSON.stringify({ format: 'ganplay-2d', version: 1 }),
    'an unknown field': JSON.stringify({ ...good, extra: 1 }),
    'a text iteration': JSON.stringify({ ...good, iteration: 'x' }),
    'a learning rate out of range': seal(file((f) => (f.config.optim_g.lr = 1e-7))),
    'a seed out of range': seal(file((f) => (f.config.seed = 2 ** 32))),
    'an unknown dataset': seal(file((f) => (f.config.dataset = 'nope'))),
    'points without a cloud': seal(file((f) => (f.config.dataset = 'points'))),
    'an unknown objective': seal(file((f) => (f.config.objective = 'nope'))),
    'a tensor with a bad character': seal(file((f) => (f.generator[0].data = 'AB!!' + f.generator[0].data.slice(4)))),
    'a tensor with bad padding': seal(file((f) => (f.generator[0].data = 'AB==' + f.generator[0].data.slice(4)))),
    'a short tensor': seal(file((f) => (f.generator[1].data = f.generator[1].data.slice(0, 8)))),
    'a network of another shape': seal(file((f) => (f.discriminator[0].shape = [...f.discriminator[0].shape].reverse()))),
    'a missing layer': seal(file((f) => f.generator.pop())),
    'a huge weight': seal(file((f) => (f.discriminator[0].data = Buffer.from(new Float32Array(f.discriminator[0].shape.reduce((a, b) => a * b)).fill(3e38).buffer).toString('base64')))),
    'an impossible iteration': seal(file((f) => (f.iteration = 2 ** 60))),
  };
  for (const [how, text] of Object.entries(imports)) await failing(`Import ${how}`, () => pg.import(text));
  const configs = {
    'bad JSON': '{',
    'an unknown setting': '{"foo":1}',
    'a batch too big': '{"batch_size":5000}',
    'D’s rate too high': '{"optim_d":{"lr":40}}',
    'β1 of 2': '{"optim_g":{"beta1":2}}',
    'an EMA of 0.2': '{"ema":0.2}',
    'no neurons': '{"generator":{"width":0}}',
    'an unknown dataset': '{"dataset":"nope"}',
    'points without a cloud': '{"dataset":"points"}',
    'an unknown objective': '{"objective":"x"}',
    'a text seed': '{"seed":"x"}',
  };
  for (const [how, config] of Object.entries(configs)) await failing(`settings: ${how}`, () => Playground.create('cpu', config, undefined));
  await failing('a change of seed mid-run', () => pg.retune(JSON.stringify({ batch_size: 16, seed: 3 })));
  await failing('a change of network mid-run', () => pg.retune(JSON.stringify({ batch_size: 16, generator: { width: 8 } })));
  const cloud = { 'an odd cloud': new Float32Array(3), 'an empty cloud': new Float32Array(0), 'a NaN point': new Float32Array([0, 0, NaN, 1]), 'too many points': new Float32Array(200_002) };
  for (const [how, points] of Object.entries(cloud)) await failing(how, () => Playground.create('cpu', '{"dataset":"points"}', points));
  await failing('WebGPU on the CPU module', () => Playground.create('webgpu', '{}', undefined));
  await failing('an unknown backend', () => Playground.create('tpu', '{}', undefined));
  await failing('an unknown thumbnail', () => sampleDataset('nope', 1, 3));
  pg.free();
  return out;
}

const messages = await engineMessages();
const load = session();

/** Each message through the page's mapping, and the control fieldOf finds in it, in `lang`. */
const shown = (lang, texts) =>
  inLanguage(
    lang,
    `const { engineMessage } = await import(www + 'js/engine-messages.js');
     const { fieldOf } = await import(www + 'js/state.js');
     return data.map((text) => { const out = engineMessage(text); return { out, field: fieldOf(out) }; });`,
    texts,
  );

const HAN = /[\u4e00-\u9fff]/;
/** English words left in a Chinese message, outside the values it quotes ("…", `…`) and the config paths. */
const english = (s) => s.replace(/"[^"]*"|`[^`]*`|\b[a-z_]+\.[a-z_.]+\b/g, '').match(/[A-Za-z]{3,}[ -][A-Za-z]{3,}/g);

test('the messages triggered are the engine’s own, one for each way in', () => {
  assert.ok(messages.length >= 40, `${messages.length} messages`);
  for (const { how, text } of messages) assert.ok(text.length > 10 && !HAN.test(text), `${how}: ${text}`);
  assert.ok(messages.some((m) => /^the weights do not match the model's config: /.test(m.text)), 'no mismatch message');
  assert.ok(messages.some((m) => /^the model file is damaged: generator tensor 0: invalid base64 character/.test(m.text)), 'no tensor message');
});

test('in English, every engine message reads as the engine wrote it', async () => {
  const { result, missing } = await shown('en', messages.map((m) => m.text));
  messages.forEach(({ how, text }, i) => assert.equal(result[i].out, text, how));
  assert.deepEqual(missing, []);
});

test('in Chinese, every engine message a person can trigger is said in Chinese, with its values and its control kept', async () => {
  const texts = messages.map((m) => m.text);
  const [zh, en] = await Promise.all([shown('zh-CN', texts), shown('en', texts)]);
  assert.deepEqual(zh.missing, []);
  messages.forEach(({ how, text }, i) => {
    const { out, field } = zh.result[i];
    assert.match(out, HAN, `${how}: ${out}`);
    assert.doesNotMatch(out, /英文原文|“/, `${how}: no rule knows (part of) it: ${out}`);
    assert.equal(english(out), null, `${how}: English left in ${out}`);
    // The numbers and the quoted input of the engine's words are all still there.
    for (const v of text.match(/"[^"]*"|\d+(?:\.\d+)?/g) ?? []) assert.ok(out.includes(v), `${how}: ${v} lost from ${out}`);
    // A refused setting names its control in every language (the page puts the message beside it).
    if (/^[a-z_.]+ (must be in|changes the model itself)/.test(text)) assert.equal(field, en.result[i].field, `${how}: the control it is about`);
  });
  const range = zh.result[texts.indexOf('batch_size must be in 1–4096, got 5000')];
  assert.deepEqual(range, { out: 'batch_size 必须在 1–4096 之内，现在是 5000', field: 'batch' });
});

test('a message no rule knows keeps the engine’s words behind a lead-in; one already in the page’s language stays', async () => {
  const texts = ['something new went wrong', '模型文件不是文本', 'the model file is damaged: a brand new reason'];
  const [zh, en] = await Promise.all([shown('zh-CN', texts), shown('en', texts)]);
  assert.deepEqual(en.result.map((r) => r.out), texts);
  assert.deepEqual(zh.result.map((r) => r.out), ['引擎报错（英文原文）：“something new went wrong”', '模型文件不是文本', '模型文件已损坏：“a brand new reason”']);
});

test('the worker’s own messages (divergence, a crash, a lost engine) are in the page’s language', async () => {
  const body = `const { t } = await import(www + 'js/i18n.js');
    return [t('engine.diverged', { at: 1200, back: 1190 }), t('engine.divergedStuck', { at: 3 }), t('engine.crashed', { why: 'unreachable' }), t('engine.stopped')];`;
  const [en, zh] = await Promise.all([inLanguage('en', body), inLanguage('zh-CN', body)]);
  assert.match(en.result[0], /^Training diverged at iteration 1,200: .*rolled back to iteration 1,190, .*a lower learning rate/);
  assert.equal(en.result[3], 'the engine stopped');
  for (const s of zh.result) assert.match(s, HAN);
  assert.match(zh.result[0], /第 1,200 次迭代.*第 1,190 次迭代/);
  assert.equal(zh.result[3], '引擎已停止运行');
});

test('on the Chinese page the worker says the engine’s refusal of a model file, and a divergence, in Chinese', async () => {
  const { page, problems } = await load('index.html?lang=zh-CN&backend=cpu#batch=64&gOpt=sgd&dOpt=sgd&gLr=10&dLr=10&gMom=0.9&dMom=0.9');
  await page.waitForSelector('body[data-ready=true]', { state: 'attached', timeout: 60_000 });
  await page.setInputFiles('#import', { name: 'notes.json', mimeType: 'application/json', buffer: Buffer.from('{"hello": 1}') });
  await page.waitForFunction(() => document.getElementById('message').textContent.includes('ganplay'));
  assert.match(await message(page), /这不是 ganplay 的模型文件（没有 "format" 字段）/);
  await page.click('#play');
  await page.waitForSelector('body[data-diverged]', { state: 'attached', timeout: 60_000 });
  assert.match(await message(page), /^训练在第 [\d,]+ 次迭代时发散了：.*调低学习率/);
  assert.match(await page.textContent('#diagnosis'), /训练在第 [\d,]+ 次迭代时崩了.*为什么？→ 课程/);
  assert.deepEqual(problems, []);
});
