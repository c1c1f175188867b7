// Changes while training in links (`edits=`), and which settings the running model takes: pure, no browser.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PROPS, PROP, defaults, fromHash, toHash, decodeEdits, encodeEdits, stateAfter, editsBy, scheduleOf, editLabel, toConfig, MAX_EDITS } from '../www/js/state.js';

test('only data, seed, latent and the networks start a new run; the optimiser settings are live; the rest is the page', () => {
  const by = (kind) => PROPS.filter((p) => p.change === kind).map((p) => p.key).sort();
  assert.deepEqual(by('new'), ['dAct', 'dLayers', 'dWidth', 'dataset', 'gAct', 'gLayers', 'gWidth', 'noise', 'seed', 'zdim'].sort());
  for (const key of ['gLr', 'dLr', 'gBeta1', 'gBeta2', 'gMom', 'gOpt', 'dOpt', 'kd', 'kg', 'batch', 'objective', 'smooth', 'ttur', 'clip', 'gp', 'ema']) {
    assert.equal(PROP[key].change, 'live', key);
    assert.ok(PROP[key].short, `${key} has a short name for its chart mark`);
  }
  assert.deepEqual(by('page'), ['arrows', 'embed', 'heatmap', 'hide', 'lesson', 'manifold', 'speed', 'step', 'trueScale']);
});

test('a link carries the run’s start and its changes, and reads back the same', () => {
  const start = { ...defaults(), gLr: 0.002, seed: 9 };
  const edits = [
    { at: 0, key: 'kd', value: 2 },
    { at: 500, key: 'gLr', value: 0.0003 },
    { at: 500, key: 'objective', value: 'minimax' },
    { at: 1200, key: 'ttur', value: true },
  ];
  const hash = toHash(start, null, null, edits);
  assert.match(hash, /&edits=0:kd=2,500:gLr=0\.0003,500:objective=minimax,1200:ttur=1$/);
  const read = fromHash(hash);
  assert.deepEqual(read.notices, []);
  assert.deepEqual(read.edits, edits);
  assert.equal(read.state.gLr, 0.002, 'the link’s settings are the start, not the last change');
  assert.equal(toHash(read.state, null, null, read.edits), hash);
  // No changes: no edits= at all (links of runs without changes are as before).
  assert.doesNotMatch(toHash(start, null), /edits/);
  assert.equal(encodeEdits([]), '');
});

test('each change in a link is checked on its own: bad ones are left out with one notice', () => {
  const { edits, notices } = fromHash('#gLr=0.002&edits=10:gLr=0.0005,3:gWidth=8,x,-4:kd=2,7:kd=abc,8:nope=1,9:hide=kd,1e3:kd=2,11:kd=3');
  assert.deepEqual(edits, [{ at: 10, key: 'gLr', value: 0.0005 }, { at: 11, key: 'kd', value: 3 }]);
  assert.equal(notices.length, 1, notices.join(' | '));
  assert.match(notices[0], /^ignored 7 changes of the link: "3:gWidth=8": Neurons per layer cannot change while training \(it needs a new run\) \(and 6 more\)$/);
  // Out of order in the link: replayed by iteration, same-iteration ones in their order.
  assert.deepEqual(decodeEdits('9:kd=2,4:kg=3,4:kg=5').edits.map((e) => `${e.at}:${e.key}=${e.value}`), ['4:kg=3', '4:kg=5', '9:kd=2']);
  // An endless list costs what MAX_EDITS do.
  const many = Array.from({ length: MAX_EDITS + 50 }, (_, i) => `${i}:kd=2`).join(',');
  const read = decodeEdits(many);
  assert.equal(read.edits.length, MAX_EDITS);
  assert.match(fromHash(`#edits=${many}`).notices[0], /ignored 50 changes of the link: .*more than 500 changes/);
  assert.match(decodeEdits(`${'9'.repeat(17)}:kd=2`).bad[0].why, /not <iteration>/);
});

test('the settings in force at each iteration, and the engine’s schedule of them', () => {
  const start = { ...defaults(), gLr: 0.001, kd: 1 };
  const edits = [
    { at: 100, key: 'gLr', value: 0.0003 },
    { at: 100, key: 'kd', value: 3 },
    { at: 250, key: 'gLr', value: 0.01 },
  ];
  assert.equal(editsBy(edits, 99), 0);
  assert.equal(editsBy(edits, 100), 2);
  assert.equal(stateAfter(start, edits, 2).gLr, 0.0003);
  assert.equal(stateAfter(start, edits).gLr, 0.01);
  assert.equal(stateAfter(start, edits).kd, 3);
  const plan = scheduleOf(start, edits);
  assert.deepEqual(plan.map((p) => p.at), [100, 250], 'one config per iteration with changes');
  assert.equal(plan[0].config.optim_g.lr, 0.0003);
  assert.equal(plan[0].config.k_d, 3);
  assert.equal(plan[1].config.k_d, 3, 'a later config keeps the earlier changes');
  assert.deepEqual(plan[1].config, toConfig({ ...start, gLr: 0.01, kd: 3 }));
  // TTUR switched on mid-run: D's rate follows G's in the config the engine gets.
  const ttur = scheduleOf(start, [{ at: 5, key: 'ttur', value: true }]);
  assert.equal(ttur[0].config.optim_d.lr, 0.004);
});

test('a change’s chart mark is a few words', () => {
  assert.equal(editLabel([{ at: 1, key: 'gLr', value: 0.0003 }, { at: 1, key: 'kd', value: 2 }]), 'G rate 0.0003, k_D 2');
  assert.equal(editLabel([{ at: 1, key: 'objective', value: 'non_saturating' }, { at: 1, key: 'ttur', value: false }]), 'objective non saturating, TTUR off');
});
