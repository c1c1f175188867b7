// The property table, the explained round and the diagnosis in both languages, without a browser:
// every text comes from the string tables (none missing), the Chinese ones are Chinese, and a typed
// number is read in the forms a Chinese input method gives.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PROP, parseValue, fromHash } from '../www/js/state.js';
import { inLanguage } from './in-language.mjs';

test('typed numbers are read as normaliseNumber gives them: full-width digits, the ideographic full stop, a minus sign', () => {
  assert.deepEqual(parseValue(PROP.batch, '４０９６'), { value: 4096 });
  assert.deepEqual(parseValue(PROP.batch, ' ２５６ '), { value: 256 });
  assert.deepEqual(parseValue(PROP.gLr, '０.００２'), { value: 0.002 });
  assert.deepEqual(parseValue(PROP.gLr, '0。0005'), { value: 0.0005 });
  assert.deepEqual(parseValue(PROP.gLr, '１ｅ－３'), { value: 0.001 });
  assert.deepEqual(parseValue(PROP.gLr, '−1'), { error: 'Learning rate must be in 0.000001–10' });
  assert.deepEqual(parseValue(PROP.kd, '２.５'), { error: 'D steps per round (k_D) must be a whole number' });
  // Neither English nor Chinese writes a decimal comma: there a comma is no number (normaliseNumber leaves it).
  assert.deepEqual(parseValue(PROP.gLr, '0,002'), { error: 'Learning rate must be a number' });
  // Links read the same way; a name is not a number and is left as it was typed.
  assert.equal(fromHash('#batch=５１２').state.batch, 512);
  assert.deepEqual(parseValue(PROP.lesson, '４'), { error: 'Lesson must be a name of small letters, digits and "-", not "４"' });
});

/** Every text of the property table, the explained round and the diagnosis, in the worker's language. */
const ALL_TEXTS = `
  const s = await import(www + 'js/state.js');
  const ph = await import(www + 'js/playground/phases.js');
  const dg = await import(www + 'js/playground/diagnose.js');
  const out = {};
  for (const p of s.PROPS) for (const f of ['label', 'short', 'help', 'formula']) if (p[f] !== undefined) out['prop ' + p.key + ' ' + f] = p[f];
  for (const [id, r] of Object.entries({ ...s.READOUTS, ...s.PAGE_HELP })) for (const f of ['label', 'help', 'formula']) if (r[f] !== undefined) out['readout ' + id + ' ' + f] = r[f];
  Object.assign(out, Object.fromEntries(Object.entries(s.GROUP_NAMES).map(([k, v]) => ['group ' + k, v])));
  out.speed = s.PROP.speed.readout(3) + ' / ' + s.PROP.speed.readout(5);
  out.error = s.parseValue(s.PROP.batch, '5000').error + ' / ' + s.parseValue(s.PROP.ema, '0.2').error + ' / ' + s.parseValue(s.PROP.kd, 'x').error;
  out.notices = s.fromHash('#foo=1&bar=2&batch=0&dataset=points&edits=3:gWidth=8,x').notices.join(' / ');
  out.edits = s.editLabel([{ key: 'gLr', value: 0.0003 }, { key: 'objective', value: 'least_squares' }, { key: 'ttur', value: true }]);
  const n = 4, grid = new Float32Array(48 * 48).fill(0.5);
  const e = { iteration: 3, real: new Float32Array(2 * n).fill(0.5), z: new Float32Array(2 * n).fill(0.1), latentDim: 2, fake: new Float32Array(2 * n), dReal: new Float32Array(n).fill(0.6),
    dFake: new Float32Array(n).fill(0.4), dLoss: 1.2345, heatBefore: grid, heatAfter: grid, heatmap: 48, heatmapProbability: true, dFakeAfter: new Float32Array(n).fill(0.5), gLoss: 0.6931,
    arrows: new Float32Array(2 * n).fill(1), fakeAfter: new Float32Array(2 * n).fill(0.1) };
  for (const objective of s.OBJECTIVES) {
    const c = ph.context(e, { ...s.defaults(), objective, smooth: 0.1, kd: 2 });
    for (let i = 0; i < ph.PHASES.length; i++) for (const w of ph.WORDINGS) {
      const t = ph.phaseText(c, i, w);
      out['phase ' + objective + ' ' + i + ' ' + w] = [t.title, t.text, t.steps, t.caption, ...t.number].join(' | ');
    }
  }
  out.round = ph.TEXT.round(e, 2) + ' / ' + ph.TEXT.pending(4) + ' / ' + ph.TEXT.plane(1, ['a', 'b']);
  out.diverged = ph.phaseText(ph.context({ ...e, dLoss: NaN }, s.defaults()), 4, 'school').text;
  const r = { iteration: 500, covered: 2, total: 8 };
  out.findings = [dg.DETECTORS.modeCollapse.say({}, [r]), dg.DETECTORS.dWins.say(), dg.DETECTORS.oscillation.say({ what: 'points' }), dg.DETECTORS.noProgress.say({}, [], { objective: 'wasserstein' }), dg.DIVERGENCE.sentence(1234)].join(' / ');
  return out;`;

const HAN = /[\u4e00-\u9fff]/;

test('in English the texts are whole, and no key is missing', async () => {
  const { result, missing } = await inLanguage('en', ALL_TEXTS);
  assert.deepEqual(missing, []);
  for (const [k, v] of Object.entries(result)) assert.ok(typeof v === 'string' && v && !HAN.test(v) && !/\{\w+\}|undefined/.test(v), `${k}: ${v}`);
  assert.equal(Object.values(result).filter((v) => v.includes('NaN')).length, 1, 'only the diverged round shows NaN');
  assert.equal(result.error, 'Batch size must be in 1–4096 / Moving average of G (decay; 0 = off) must be 0 (off) or in 0.5–0.9999 / D steps per round (k_D) must be a whole number');
  assert.equal(result.edits, 'G rate 0.0003, objective least squares, TTUR on');
  assert.match(result.findings, /only 2 of the 8 kinds.*iteration 1,234/);
});

test('in Chinese every text is Chinese (formulas keep their symbols), with the numbers it names, and no key is missing', async () => {
  const [{ result, missing }, en] = await Promise.all([inLanguage('zh-CN', ALL_TEXTS), inLanguage('en', ALL_TEXTS)]);
  assert.deepEqual(missing, []);
  assert.deepEqual(Object.keys(result), Object.keys(en.result));
  for (const [k, v] of Object.entries(result)) {
    assert.ok(typeof v === 'string' && v && !/\{\w+\}|undefined/.test(v), `${k}: ${v}`);
    // Where the English has words (not only symbols and names: k_D, λ, Adam β1, relu), the Chinese has Chinese.
    if (/\b(?!leaky relu)[A-Za-z]{3,} [a-z]{2,}\b|^[A-Z][a-z]+$/.test(en.result[k])) assert.match(v, HAN, `${k} is not Chinese: ${v}`);
  }
  assert.equal(result.error, '批量大小必须在 1–4096 之间 / G 的滑动平均（衰减率；0 = 关闭）必须是 0（关闭），或在 0.5–0.9999 之间 / 每轮 D 的步数（k_D）必须是整数');
  assert.equal(result.edits, 'G 学习率 0.0003, 目标函数 最小二乘, TTUR 开');
  assert.match(result.findings, /8 种真实点中的 2 种.*第 1,234 次迭代/);
  assert.match(result['phase minimax 4 university'], /L_D = −平均 log D\(x\).*平滑为 0\.9 = 1\.2345/);
  assert.match(result.diverged, /模型已经发散了/);
});
