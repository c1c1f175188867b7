// Wires state, controls, the worker and the views. The main thread only draws.
import { PlaygroundCall as Call, PlaygroundNote as Note, connect } from './protocol.js';
import { DATASETS, PROPS, PROP, SPEEDS, HIDE_EXTRA, GROUP_NAMES, TTUR_RATIO, MAX_POINTS, defaults, parseValue, formatValue, toConfig, fromConfig, fromHash, toHash } from './state.js';
import { parsePoints, fitToPlane, MAX_BYTES as MAX_CSV_BYTES } from './csv.js';
import { saveSession, loadSession } from './storage.js';
import { Plane } from './views/plane.js';
import { Chart } from './views/chart.js';
import { PHASES, drawPhase } from './explain.js';

const $ = (id) => document.getElementById(id);
const params = new URLSearchParams(location.search);
const PRESETS = ['ring', 'grid', 'spiral'];
const AUTOSAVE_MS = 4000;
const MAX_MODEL_BYTES = 64 * 1024 * 1024;

// ---------------------------------------------------------------- state
let state = defaults();
let points = null; // the user's cloud (Float32Array) when state.dataset is 'points'
let playing = false;
let ready = false;
let latest = null; // the newest frame, drawn on the next animation frame
let shownFrame = null; // the last frame drawn
let explained = null; // { e, phase } while the explanation panel is open
let drawing = null; // { points: number[], mode } while painting a dataset
let dirty = false; // something changed since the last autosave

const plane = new Plane($('plane'));
const lossChart = new Chart($('chart-loss'), 'Losses', [
  { label: 'D loss', color: '#1a9850' },
  { label: 'G loss', color: '#7b3fc4' },
]);
const qualityChart = new Chart($('chart-quality'), 'Quality', [
  { label: 'Jensen–Shannon', color: '#d9480f' },
  { label: 'modes covered (share)', color: '#1c7ed6', scale: 'share' },
], { ranges: { y: [0, 1], share: [0, 1] } });

// ---------------------------------------------------------------- messages
function message(text, kind = 'error') {
  const el = $('message');
  el.textContent = '';
  el.className = kind;
  for (const line of [text].flat().filter(Boolean)) {
    const p = document.createElement('p');
    p.textContent = line;
    el.append(p);
  }
}

// ---------------------------------------------------------------- controls from the property table
function controlFor(p) {
  const wrap = document.createElement('label');
  wrap.dataset.prop = p.key;
  if (p.help) wrap.title = p.help;
  let input;
  if (p.type === 'enum') {
    input = document.createElement('select');
    for (const o of p.options) input.add(new Option(o.replaceAll('_', ' '), o));
  } else if (p.type === 'bool') {
    wrap.className = 'check';
    input = document.createElement('input');
    input.type = 'checkbox';
  } else if (p.key === 'speed') {
    input = document.createElement('input');
    input.type = 'range';
    input.min = p.min;
    input.max = p.max;
    input.step = 1;
  } else {
    input = document.createElement('input');
    input.type = 'text';
    input.inputMode = p.type === 'int' ? 'numeric' : 'decimal';
    input.spellcheck = false;
  }
  input.id = `p-${p.key}`;
  input.name = p.key;
  if (p.type === 'bool') wrap.append(input, ' ', p.label);
  else if (p.key === 'speed') {
    const out = document.createElement('output');
    out.id = 'speed-value';
    wrap.append(p.label, ' ', out, input);
  } else wrap.append(p.label, input);
  input.addEventListener('change', () => onControl(p, input));
  return wrap;
}

for (const p of PROPS) {
  const group = $(`group-${p.group}`);
  if (group && p.key !== 'dataset') group.append(controlFor(p));
}

function readControl(p, input) {
  return p.type === 'bool' ? (input.checked ? '1' : '0') : input.value;
}

function syncControls() {
  for (const p of PROPS) {
    const input = $(`p-${p.key}`);
    if (!input) continue;
    if (p.type === 'bool') input.checked = state[p.key];
    else input.value = formatValue(p, state[p.key]);
  }
  // Controls the current choices do not use are greyed out (still kept in the link).
  const off = {
    dLr: state.ttur,
    clip: state.objective !== 'wasserstein',
    gp: state.objective !== 'wasserstein_gp',
    smooth: !['non_saturating', 'minimax', 'least_squares'].includes(state.objective),
    gBeta1: state.gOpt !== 'adam',
    gBeta2: state.gOpt !== 'adam',
    gMom: state.gOpt === 'adam',
    gWidth: state.gLayers === 0,
    gAct: state.gLayers === 0,
    dWidth: state.dLayers === 0,
    dAct: state.dLayers === 0,
    dBeta1: state.dOpt !== 'adam',
    dBeta2: state.dOpt !== 'adam',
    dMom: state.dOpt === 'adam',
  };
  for (const [key, disabled] of Object.entries(off)) $(`p-${key}`).disabled = disabled;
  if (state.ttur) $('p-dLr').value = formatValue(PROP.dLr, Math.min(10, state.gLr * TTUR_RATIO));
  $('speed-value').textContent = Number.isFinite(SPEEDS[state.speed]) ? `${SPEEDS[state.speed]} rounds/s` : 'as fast as possible';
  for (const b of $('thumbs').children) b.setAttribute('aria-checked', String(b.dataset.dataset === state.dataset));
  document.body.classList.toggle('embed', state.embed);
  for (const el of document.querySelectorAll('[data-prop]')) el.classList.toggle('hidden-by-link', state.hide.includes(el.dataset.prop));
  updateClassroomLink();
}

// Changes run one after another, each on the state the previous one left, so quick edits in a
// row all stick.
let pending = Promise.resolve();
function serial(fn) {
  const run = pending.then(fn);
  pending = run.catch(() => {});
  return run;
}

/** Queues a change of the run: `change(state)` gives the next state from the one in force then. */
function update(change, nextPoints) {
  return serial(() => commit(change(state), nextPoints === undefined ? points : nextPoints));
}

function onControl(p, input) {
  const parsed = parseValue(p, readControl(p, input));
  if (parsed.error) {
    message(`${parsed.error}; kept ${formatValue(p, state[p.key])}.`);
    syncControls();
    return;
  }
  const set = (s) => ({ ...s, [p.key]: parsed.value });
  if (p.key === 'speed') return serial(() => setPageState(set(state), () => client.call(Call.SPEED, { ips: SPEEDS[parsed.value] })));
  if (p.group === 'show') return serial(() => setPageState(set(state), () => client.call(Call.VIEW, viewOf(set(state)))));
  return update(set);
}

const viewOf = (s) => ({ heatmap: s.heatmap, manifold: s.manifold, arrows: s.arrows });

async function setPageState(next, send) {
  const prev = state;
  state = next;
  syncControls();
  writeHash();
  try {
    if (ready) await send();
  } catch (e) {
    state = prev;
    syncControls();
    writeHash();
    message(e.message);
  }
}

/** Applies a new run state (config or data): the worker rebuilds; on error everything stays. */
async function commit(next, nextPoints) {
  if (!ready) {
    message('The engine is still starting; try again in a moment.');
    syncControls();
    writeHash();
    return false;
  }
  const config = toConfig(next);
  try {
    // Under "auto" the worker may move new networks to the other backend; it then replies with its info.
    const info = await client.call(Call.RESET, { config, points: next.dataset === 'points' ? nextPoints : null });
    if (info) {
      $('backend-info').textContent = describe(info);
      document.body.dataset.backend = info.backend;
    }
  } catch (e) {
    message(`${e.message} — the previous settings stay.`);
    syncControls();
    return false;
  }
  state = next;
  points = next.dataset === 'points' ? nextPoints : null;
  resetCharts();
  closeExplain();
  if (drawing && next.dataset !== 'points') endDrawing();
  message('');
  syncControls();
  writeHash();
  dirty = true;
  return true;
}

function writeHash() {
  const hash = toHash(state, points);
  if (location.hash !== hash) history.replaceState(null, '', hash);
  $('embed-open').href = location.pathname + toHash({ ...state, embed: false, hide: [] }, points);
}

window.addEventListener('hashchange', () => serial(async () => {
  const { state: next, points: p, notices } = fromHash(location.hash, state, points);
  const engineChanged = JSON.stringify(toConfig(next)) !== JSON.stringify(toConfig(state)) || (p && p !== points);
  let ok = true;
  if (engineChanged) ok = await commit(next, p ?? points);
  else {
    // Only page settings changed: apply them without restarting the run.
    await setPageState(next, async () => {
      await client.call(Call.SPEED, { ips: SPEEDS[next.speed] });
      await client.call(Call.VIEW, viewOf(next));
    });
  }
  if (ok && notices.length) message(notices, 'notice');
}));

// ---------------------------------------------------------------- dataset thumbnails, drawing, import
function thumb(name) {
  const b = document.createElement('button');
  b.type = 'button';
  b.className = 'thumb';
  b.dataset.dataset = name;
  b.setAttribute('role', 'radio');
  b.title = name === 'points' ? 'Draw your own points' : name;
  const c = document.createElement('canvas');
  c.width = c.height = 56;
  const label = document.createElement('span');
  label.textContent = name === 'points' ? 'draw' : name;
  b.append(c, label);
  b.addEventListener('click', () => (name === 'points' ? startDrawing() : update((s) => ({ ...s, dataset: name }))));
  return b;
}
for (const name of [...DATASETS, 'points']) $('thumbs').append(thumb(name));

function paintThumb(name, xy) {
  const c = $('thumbs').querySelector(`[data-dataset="${name}"] canvas`);
  const ctx = c.getContext('2d');
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, 56, 56);
  ctx.fillStyle = '#1a9850';
  for (let i = 0; i < xy.length; i += 2) ctx.fillRect(((xy[i] + 3) / 6) * 56 - 0.5, ((3 - xy[i + 1]) / 6) * 56 - 0.5, 1.2, 1.2);
}

// The "draw" tile shows a hand-drawn squiggle.
paintThumb('points', Float32Array.from({ length: 240 }, (_, i) => {
  const t = (i >> 1) / 120;
  return i % 2 === 0 ? -2.2 + 4.4 * t : 1.2 * Math.sin(t * 9) * (1 - t * 0.4);
}));

$('regenerate').addEventListener('click', () => update((s) => ({ ...s, seed: (s.seed % 2147483646) + 1 })));

async function startDrawing() {
  await pause();
  closeExplain();
  drawing = { points: points ? Array.from(points) : [], mode: 'paint' };
  $('draw-tools').hidden = false;
  document.body.classList.add('drawing');
  redrawDrawing();
}

function redrawDrawing() {
  plane.drawPoints(drawing.points);
  $('draw-count').textContent = `${drawing.points.length / 2} points`;
  $('draw-paint').classList.toggle('primary', drawing.mode === 'paint');
  $('draw-erase').classList.toggle('primary', drawing.mode === 'erase');
}

function endDrawing() {
  drawing = null;
  $('draw-tools').hidden = true;
  document.body.classList.remove('drawing');
  if (shownFrame) plane.draw(shownFrame, state);
}

function brush(ev) {
  if (!drawing || !(ev.buttons & 1)) return;
  const r = plane.canvas.getBoundingClientRect();
  const [x, y] = plane.toWorld(ev.clientX - r.left, ev.clientY - r.top);
  if (drawing.mode === 'paint') {
    for (let i = 0; i < 4 && drawing.points.length / 2 < MAX_POINTS; i++) {
      drawing.points.push(x + (Math.random() - 0.5) * 0.15, y + (Math.random() - 0.5) * 0.15);
    }
  } else {
    const kept = [];
    for (let i = 0; i < drawing.points.length; i += 2) {
      if (Math.hypot(drawing.points[i] - x, drawing.points[i + 1] - y) > 0.25) kept.push(drawing.points[i], drawing.points[i + 1]);
    }
    drawing.points = kept;
  }
  redrawDrawing();
}
plane.canvas.addEventListener('pointerdown', (ev) => {
  if (!drawing) return;
  try {
    plane.canvas.setPointerCapture(ev.pointerId);
  } catch {
    // Not an active pointer (a synthetic event): drawing works without capture.
  }
  brush(ev);
});
plane.canvas.addEventListener('pointermove', brush);
$('draw-paint').addEventListener('click', () => ((drawing.mode = 'paint'), redrawDrawing()));
$('draw-erase').addEventListener('click', () => ((drawing.mode = 'erase'), redrawDrawing()));
$('draw-clear').addEventListener('click', () => ((drawing.points = []), redrawDrawing()));
$('draw-done').addEventListener('click', async () => {
  if (drawing.points.length === 0) return message('Paint some points first (or pick a dataset).');
  if (await update((s) => ({ ...s, dataset: 'points' }), Float32Array.from(drawing.points))) endDrawing();
});

async function usePoints(text, source) {
  let parsed;
  try {
    parsed = parsePoints(text);
  } catch (e) {
    return message(`${source}: ${e.message}. The previous dataset stays.`);
  }
  const { points: fitted, scaled } = fitToPlane(parsed.points);
  if (drawing) endDrawing();
  if (await update((s) => ({ ...s, dataset: 'points' }), fitted)) {
    const n = fitted.length / 2;
    const notes = [`Loaded ${n} point${n === 1 ? '' : 's'} from ${source}.`];
    if (scaled) notes.push('They were scaled to fit the plane [−3, 3]².');
    message(notes, 'notice');
  }
}
$('csv-file').addEventListener('change', async (ev) => {
  const file = ev.target.files[0];
  ev.target.value = '';
  if (!file) return;
  if (file.size > MAX_CSV_BYTES) return message(`${file.name}: ${(file.size / 1048576).toFixed(1)} MB is over the 5 MB limit. The previous dataset stays.`);
  usePoints(await file.text(), file.name);
});
$('csv-use').addEventListener('click', () => usePoints($('csv-text').value, 'the pasted text'));

// ---------------------------------------------------------------- presets, export, import
for (const name of PRESETS) {
  const b = document.createElement('button');
  b.type = 'button';
  b.textContent = name;
  b.dataset.preset = name;
  b.title = `Load a generator trained on ${name} (made with the native CLI)`;
  b.addEventListener('click', () => loadPreset(name));
  $('presets').append(b);
}

async function loadPreset(name) {
  let text;
  try {
    const res = await fetch(`models/${name}.json`);
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    text = await res.text();
  } catch (e) {
    return message(`The ${name} preset could not be fetched (${e.message}); the current model stays.`);
  }
  if ((await importModel(text, `the ${name} preset`)) !== null) message(`Loaded the ${name} preset.`, 'notice');
}

function importModel(text, source, opts) {
  return serial(() => importNow(text, source, opts));
}

/** Continues the run of a model file; resolves to its iteration, or null (with a message) on error. */
async function importNow(text, source, { keepCharts = false } = {}) {
  let result;
  try {
    result = await client.call(Call.IMPORT, { text });
  } catch (e) {
    message(`${source}: ${e.message}. The current model stays.`);
    return null;
  }
  const { state: next, notices } = fromConfig(result.config, state);
  state = next;
  points = result.points.length ? result.points : null;
  closeExplain();
  if (drawing) endDrawing();
  if (!keepCharts) resetCharts();
  syncControls();
  writeHash();
  dirty = true;
  if (notices.length) message(notices, 'notice');
  return result.iteration;
}

$('export').addEventListener('click', async () => {
  try {
    const text = await client.call(Call.EXPORT);
    const a = document.createElement('a');
    a.href = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
    a.download = `ganplay-${state.dataset}-${shownFrame?.iteration ?? 0}.json`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
  } catch (e) {
    message(`Export failed: ${e.message}`);
  }
});
$('import').addEventListener('change', async (ev) => {
  const file = ev.target.files[0];
  ev.target.value = '';
  if (!file) return;
  if (file.size > MAX_MODEL_BYTES) return message(`${file.name} is ${(file.size / 1048576).toFixed(0)} MB: too large for a ganplay model file. The current model stays.`);
  const at = await importModel(await file.text(), file.name);
  if (at !== null) message(`Imported ${file.name}: training continues from iteration ${at}.`, 'notice');
});
$('copy-link').addEventListener('click', async () => {
  try {
    await navigator.clipboard.writeText(location.href);
    message('Link copied. It carries the dataset and every setting: opening it trains the same run again from the seed (weights are not in links; use Export model for those).', 'notice');
  } catch {
    message(`Copy this link: ${location.href}`, 'notice');
  }
});

// Classroom link: choose controls to hide.
const HIDEABLE = [...PROPS.filter((p) => p.group !== 'page').map((p) => p.key), ...HIDE_EXTRA];
for (const key of HIDEABLE) {
  const l = document.createElement('label');
  l.className = 'check';
  const c = document.createElement('input');
  c.type = 'checkbox';
  c.value = key;
  c.addEventListener('change', updateClassroomLink);
  l.append(c, ' ', PROP[key] ? `${PROP[key].label} (${GROUP_NAMES[PROP[key].group]})` : GROUP_NAMES[key]);
  $('hide-list').append(l);
}
$('embed-opt').addEventListener('change', updateClassroomLink);
function updateClassroomLink() {
  const hide = [...$('hide-list').querySelectorAll('input:checked')].map((c) => c.value);
  const s = { ...state, hide, embed: $('embed-opt').checked };
  $('classroom-link').value = location.href.replace(/#.*$/, '') + toHash(s, points);
}

// ---------------------------------------------------------------- running
function setPlaying(on) {
  playing = on;
  for (const id of ['play', 'embed-play']) {
    $(id).textContent = on ? 'Pause' : 'Play';
    $(id).classList.toggle('primary', !on);
  }
}

function setEnabled(on) {
  ready = on;
  for (const id of ['play', 'step', 'step-d', 'step-g', 'reset', 'explain', 'export', 'embed-play']) $(id).disabled = !on;
}

async function act(kind, args) {
  try {
    return await client.call(kind, args);
  } catch (e) {
    message(e.message);
  }
}

async function pause() {
  if (!playing) return;
  setPlaying(false);
  await act(Call.PAUSE);
  autosave();
}

async function togglePlay() {
  if (!ready) return;
  if (playing) return pause();
  if (drawing) endDrawing();
  closeExplain();
  setPlaying(true);
  await act(Call.PLAY);
}

async function step(kind) {
  if (!ready) return;
  closeExplain();
  if (drawing) endDrawing();
  setPlaying(false);
  await act(kind, { rounds: 1 });
  dirty = true;
}

$('play').addEventListener('click', togglePlay);
$('embed-play').addEventListener('click', togglePlay);
$('step').addEventListener('click', () => step(Call.STEP));
$('step-d').addEventListener('click', () => step(Call.STEP_D));
$('step-g').addEventListener('click', () => step(Call.STEP_G));
$('reset').addEventListener('click', () => update((s) => s));
// Switching backend carries the run over: export from the old engine, import into the new one.
$('backend').addEventListener('change', () =>
  serial(async () => {
    let model = null;
    if (ready) model = await client.call(Call.EXPORT).catch(() => null);
    message('');
    await start();
    if (!model || !ready) return;
    const at = await importNow(model, 'the current run', { keepCharts: true });
    if (at !== null) message(`Switched backend; training continues from iteration ${at}.`, 'notice');
  }),
);

// ---------------------------------------------------------------- step-through explanation
for (const [i, p] of PHASES.entries()) {
  const li = document.createElement('li');
  li.textContent = `${i + 1}. ${p.title}`;
  li.addEventListener('click', () => showPhase(i));
  $('explain-phases').append(li);
}

async function explainRound() {
  if (!ready) return;
  if (drawing) endDrawing();
  setPlaying(false);
  let e;
  try {
    e = await client.call(Call.EXPLAIN, { shown: 48 });
  } catch (err) {
    return message(err.message);
  }
  explained = { e, phase: 0 };
  dirty = true;
  $('explain-panel').hidden = false;
  document.body.classList.add('explaining');
  showPhase(0);
}

function showPhase(i) {
  if (!explained) return;
  explained.phase = Math.max(0, Math.min(PHASES.length - 1, i));
  const { e, phase } = explained;
  [...$('explain-phases').children].forEach((li, k) => li.classList.toggle('current', k === phase));
  $('explain-title').textContent = `${phase + 1}. ${PHASES[phase].title}`;
  const broken = !Number.isFinite(e.dLoss) || !Number.isFinite(e.gLoss) ? ' These numbers are not finite: the model has diverged. Lower the learning rate and reset.' : '';
  $('explain-text').textContent = PHASES[phase].text(e, state.objective, state.smooth) + broken;
  $('explain-prev').disabled = phase === 0;
  $('explain-next').disabled = phase === PHASES.length - 1;
  drawPhase(plane, e, phase);
}

function closeExplain() {
  if (!explained) return;
  explained = null;
  $('explain-panel').hidden = true;
  document.body.classList.remove('explaining');
  if (shownFrame) plane.draw(shownFrame, state);
}

$('explain').addEventListener('click', explainRound);
$('explain-again').addEventListener('click', explainRound);
$('explain-prev').addEventListener('click', () => showPhase(explained.phase - 1));
$('explain-next').addEventListener('click', () => showPhase(explained.phase + 1));
$('explain-close').addEventListener('click', closeExplain);

// ---------------------------------------------------------------- keyboard
window.addEventListener('keydown', (ev) => {
  if (ev.ctrlKey || ev.metaKey || ev.altKey) return;
  if (ev.target.closest?.('input, textarea, select, [contenteditable]')) return;
  const keys = {
    ' ': togglePlay,
    ArrowRight: () => (explained ? showPhase(explained.phase + 1) : step(Call.STEP)),
    ArrowLeft: () => explained && showPhase(explained.phase - 1),
    d: () => step(Call.STEP_D),
    g: () => step(Call.STEP_G),
    e: explainRound,
    r: () => update((s) => s),
    Escape: () => (drawing ? endDrawing() : closeExplain()),
  };
  // Embed mode has only the picture and the play button.
  const f = state.embed && ev.key !== ' ' ? null : keys[ev.key];
  if (!f) return;
  ev.preventDefault();
  f();
});

// ---------------------------------------------------------------- frames
function fmt(x, digits = 4) {
  if (!Number.isFinite(x)) return String(x);
  return Math.abs(x) >= 1e5 ? x.toExponential(3) : x.toFixed(digits);
}

/** Share of generated points outside the plane shown. */
function offPlane(fake) {
  let out = 0;
  for (let i = 0; i < fake.length; i += 2) if (!(Math.abs(fake[i]) <= 3 && Math.abs(fake[i + 1]) <= 3)) out++;
  return out / Math.max(1, fake.length / 2);
}

function resetCharts() {
  lossChart.reset();
  qualityChart.reset();
  requestRender();
}

/** Writes only what changed: each write to the page makes the browser lay out and repaint it. */
function setText(id, text) {
  setProp(id, 'textContent', String(text));
}
function setProp(id, key, value) {
  const el = $(id);
  if (el[key] !== value) el[key] = value;
}

function show(frame) {
  const fresh = frame.iteration === 0 && !Number.isFinite(frame.dLoss);
  setText('iteration', frame.iteration);
  setText('ips', frame.itersPerSec >= 100 ? frame.itersPerSec.toFixed(0) : frame.itersPerSec.toPrecision(2));
  // A network not yet updated has no loss (NaN from the engine): a dash, not "NaN".
  const loss = (v) => (fresh || (Number.isNaN(v) && frame.iteration === 0) ? '–' : fmt(v));
  setText('d-loss', loss(frame.dLoss));
  setText('g-loss', loss(frame.gLoss));
  // Full precision on hover (and for tests that compare runs exactly).
  setProp('d-loss', 'title', String(frame.dLoss));
  setProp('g-loss', 'title', String(frame.gLoss));
  const m = frame.metrics;
  setText('modes', m.modes ? `${m.modes.covered} / ${m.modes.total}` : 'n/a (not a mixture)');
  setText('quality', m.modes ? `${(100 * m.modes.high_quality).toFixed(1)} %` : 'n/a');
  setText('js', fmt(m.js, 3));
  setText('samples-from', frame.ema ? 'moving average of G' : 'G');
  const off = offPlane(frame.fake);
  setProp('offplane', 'hidden', off < 0.5);
  setText('offplane', `${Math.round(100 * off)} % of the generated points are outside the plane shown ([−3, 3]²).`);
  setText(
    'legend-bg',
    frame.heatmapProbability
      ? 'background: D(x), green = "real", purple = "generated"'
      : 'background: the critic’s score, greener = higher ("more real"), scaled to this frame',
  );
}

function addToCharts(frame) {
  if (frame.iteration === 0 && !Number.isFinite(frame.dLoss)) return;
  lossChart.add(frame.iteration, [frame.dLoss, frame.gLoss]);
  const m = frame.metrics;
  qualityChart.add(frame.iteration, [m.js, m.modes ? m.modes.covered / m.modes.total : null]);
}

/**
 * Draws on demand: an animation frame is requested only when a worker frame arrives or a chart has
 * points to show, and one callback does one of the two, so no frame paints the plane and both charts.
 * On a two-core machine whose other core trains, that keeps every main-thread task short.
 */
let renderQueued = false;
function requestRender() {
  if (renderQueued) return;
  renderQueued = true;
  requestAnimationFrame(render);
}

function render() {
  renderQueued = false;
  const now = performance.now();
  if (latest) {
    const frame = latest;
    latest = null;
    shownFrame = frame;
    if (!explained && !drawing) plane.draw(frame, state);
    show(frame);
    addToCharts(frame);
  } else if (now - chartsAt > CHART_MS) {
    // Charts redraw a few times a second, one per animation frame: enough to watch, cheap to draw.
    const chart = [lossChart, qualityChart].find((c) => c.dirty);
    if (chart) chart.flush();
    if (![lossChart, qualityChart].some((c) => c.dirty)) {
      chartsAt = now;
      document.body.dataset.chartPoints = lossChart.length;
    }
  }
  if (latest || lossChart.dirty || qualityChart.dirty) {
    // Charts wait for their slot; poll for it with a timer rather than every animation frame.
    if (latest) requestRender();
    else setTimeout(requestRender, Math.max(0, CHART_MS - (performance.now() - chartsAt)));
  }
}
let chartsAt = 0;
const CHART_MS = 250;

// ---------------------------------------------------------------- the worker
function onEvent(event) {
  if (event.kind === Note.FRAME) {
    latest = event;
    dirty = true;
    requestRender();
  } else if (event.kind === Note.WARM) {
    document.body.dataset.warm = 'true';
  } else if (event.kind === Note.DIVERGED) {
    setPlaying(false);
    lossChart.truncate(event.iteration);
    qualityChart.truncate(event.iteration);
    requestRender();
    message(event.message, 'warn');
    document.body.dataset.diverged = String(event.iteration);
  } else if (event.kind === Note.ERROR) {
    setPlaying(false);
    // A fatal error closes the worker next; `recover` names it.
    if (event.fatal) crashed = event.fatal;
    else message(event.message);
  } else if (event.kind === Note.PROGRESS) {
    // A heavy round (seconds each): show how far through it the worker is.
    for (const el of document.querySelectorAll('.round-progress')) el.hidden = false;
    $('round-progress').textContent = `${event.step}/${event.of} updates`;
    document.body.dataset.progress = `${event.step}/${event.of}`;
  } else if (event.kind === Note.DEVICE_LOST) {
    // The worker closes next; `recover` then continues on the CPU from this copy.
    setPlaying(false);
    deviceLost = event;
  }
}
let deviceLost = null;
let crashed = null;

/**
 * Pacing: where the page's own frames run long (a task over 50 ms: the worker and the browser share
 * too few cores), the worker is asked to rest a few ms after each training chunk, more after each
 * long task, up to 40 ms; after 5 s without one it trains at full speed again, step by step.
 */
let pace = 0;
let lastLongTask = 0;
function setPace(ms) {
  if (ms === pace) return;
  pace = ms;
  document.body.dataset.pace = String(ms);
  client.call(Call.PACE, { idleMs: ms }).catch(() => {});
}
if (globalThis.PerformanceObserver?.supportedEntryTypes?.includes('longtask')) {
  new PerformanceObserver((list) => {
    if (!playing) return;
    lastLongTask = performance.now();
    setPace(Math.min(40, pace + 10 * list.getEntries().length));
  }).observe({ type: 'longtask' });
  setInterval(() => {
    if (pace > 0 && performance.now() - lastLongTask > 5000) setPace(Math.max(0, pace - 5));
  }, 1000);
}

/** Starts a worker; a worker that dies is replaced by `recover`. */
function spawn() {
  return connect(new URL('./workers/playground.js', import.meta.url), {
    onNote: onEvent,
    onLost: (reason) => recover(reason),
    onError: (text) => onEvent({ kind: Note.ERROR, message: `the worker failed: ${text}` }),
  });
}
let client = spawn();
let recoveries = 0;
const recentRecoveries = []; // when each recovery began, the last minute's

/**
 * The worker died (a crash, a wasm trap, the browser reclaiming it): start a new one and continue
 * from the last autosave, or from the current settings when nothing was saved yet. No reload.
 */
async function recover(reason) {
  setPlaying(false);
  setEnabled(false);
  // A run whose autosave itself brings the engine down would loop: give up after 3 in a minute.
  const now = Date.now();
  recentRecoveries.push(now);
  while (recentRecoveries[0] < now - 60_000) recentRecoveries.shift();
  if (recentRecoveries.length > 3) {
    $('backend-info').textContent = 'not running';
    message(`The engine ${reason} unexpectedly, for the fourth time in a minute, so it was not restarted. Your last autosave is kept: reload the page to try again, or choose the CPU backend first.`);
    return;
  }
  client = spawn();
  const lost = deviceLost;
  deviceLost = null;
  if (crashed) reason = crashed;
  crashed = null;
  let session = null;
  if (lost?.model) {
    // The GPU is gone: the CPU continues from the worker's last copy, with the charts so far.
    $('backend').value = 'cpu';
    session = { hash: toHash(state, points), model: lost.model, charts: { loss: lossChart.data(), quality: qualityChart.data() }, savedAt: Date.now() };
  } else {
    if (lost) $('backend').value = 'cpu';
    try {
      session = await loadSession();
    } catch {}
  }
  const usable = session && typeof session.model === 'string';
  if (usable) {
    const parsed = fromHash(session.hash, state, points);
    state = parsed.state;
    if (state.dataset === 'points' && parsed.points) points = parsed.points;
    syncControls();
    writeHash();
  }
  const iteration = await start(usable ? session : null);
  if (iteration !== null) {
    lossChart.truncate(iteration);
    qualityChart.truncate(iteration);
    requestRender();
  }
  const when = usable ? new Date(session.savedAt).toLocaleTimeString() : '';
  const from =
    iteration === null
      ? 'starts from your settings (nothing was autosaved yet).'
      : lost?.model
        ? `continues from iteration ${iteration}, the last copy of the weights.`
        : `continues from your autosave of ${when} (iteration ${iteration}); anything after it is lost.`;
  const why = lost ? [lost.reason, lost.detail].filter(Boolean).join(': ') : '';
  message(lost ? `The GPU device was lost (${why}). Switched to the CPU backend; training ${from}` : `The engine ${reason} unexpectedly. A new one ${from}`, 'warn');
  document.body.dataset.recovered = String(++recoveries);
}

function describe(info) {
  if (info.backend === 'cpu') return info.autoSmall ? 'CPU (WebAssembly; auto: faster than a GPU for networks this small)' : 'CPU (WebAssembly)';
  const a = info.adapter;
  const name = [a.vendor, a.architecture, a.device].filter(Boolean).join(' ') || 'unknown adapter';
  return `WebGPU — ${name}${a.fallback ? ' (software adapter, not your GPU)' : ''}`;
}

/** Starts (or restarts, on a backend change) the engine with the current state. */
async function start(restore = null) {
  for (const el of document.querySelectorAll('.round-progress')) el.hidden = true;
  setEnabled(false);
  setPlaying(false);
  $('backend-info').textContent = 'starting…';
  try {
    const info = await client.call(Call.INIT, { backend: $('backend').value, config: toConfig(state), points });
    $('backend-info').textContent = describe(info);
    document.body.dataset.backend = info.backend;
    await client.call(Call.SPEED, { ips: SPEEDS[state.speed] });
    await client.call(Call.PACE, { idleMs: pace });
    await client.call(Call.VIEW, viewOf(state));
    setEnabled(true);
  } catch (e) {
    $('backend-info').textContent = 'not running';
    message(e.message);
    return null;
  }
  const restored = restore ? await restoreSession(restore) : null;
  document.body.dataset.ready = 'true';
  client.call(Call.THUMBS, { names: DATASETS, count: 300 }).then(
    (samples) => Object.entries(samples).forEach(([n, xy]) => paintThumb(n, xy)),
    () => {},
  );
  return restored;
}

// ---------------------------------------------------------------- autosave
let saving = false;
async function autosave() {
  if (!ready || !dirty || saving) return;
  saving = true;
  dirty = false;
  try {
    const model = await client.call(Call.EXPORT);
    await saveSession({ version: 1, hash: toHash(state, points), points, model, charts: { loss: lossChart.data(), quality: qualityChart.data() }, savedAt: Date.now() });
    $('saved').textContent = `Autosaved at ${new Date().toLocaleTimeString()} (iteration ${shownFrame?.iteration ?? 0}).`;
    $('saved').classList.remove('error');
  } catch (e) {
    $('saved').textContent = e.message;
    $('saved').classList.add('error');
  } finally {
    saving = false;
  }
}
setInterval(autosave, AUTOSAVE_MS);
document.addEventListener('visibilitychange', () => document.visibilityState === 'hidden' && autosave());

/** Continues an autosaved session; returns its iteration, or null when its model was refused. */
async function restoreSession(session) {
  const iteration = await importNow(session.model, 'the autosaved session');
  if (iteration === null) return null;
  lossChart.load(session.charts?.loss);
  qualityChart.load(session.charts?.quality);
  requestRender();
  message(`Restored your session from ${new Date(session.savedAt).toLocaleString()}.`, 'notice');
  document.body.dataset.restored = 'true';
  return iteration;
}

// ---------------------------------------------------------------- boot
async function boot() {
  $('backend').value = ['auto', 'cpu', 'webgpu'].includes(params.get('backend')) ? params.get('backend') : 'auto';
  let session = null;
  if (params.get('fresh') !== '1') {
    try {
      session = await loadSession();
    } catch (e) {
      $('saved').textContent = e.message;
    }
  }
  const useSession = session && typeof session.model === 'string' && (location.hash === '' || location.hash === session.hash);
  const parsed = fromHash(useSession ? session.hash : location.hash);
  state = parsed.state;
  points = state.dataset === 'points' ? (parsed.points ?? (session?.points instanceof Float32Array ? session.points : null)) : null;
  if (state.dataset === 'points' && !points) state.dataset = 'ring';
  syncControls();
  writeHash();
  if (parsed.notices.length && !useSession) message(parsed.notices, 'notice');
  await start(useSession ? session : null);
}
boot();
