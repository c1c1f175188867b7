// The gallery page: lists the shipped generators (models/manifest.json), asks the worker for
// images, and draws them. All noise is made here, so every exploration is plain vector arithmetic.
import { uniform, normals, slerp, directions, walk, toRgba } from './latent.js';
import { GalleryCall as Call, GalleryNote as Note, connect } from './protocol.js';

const COLS = 10;
const ROWS = 4;
const N = COLS * ROWS;
const SCALE = 2; // screen pixels per image pixel in the grid
const SLIDERS = 5;
const NEIGHBOUR_SPREAD = 0.45;
const WALK_STEP = 0.04; // radians per frame
const TRAIN_SCRATCH = {
  batch_size: 32, lr_g: 5e-4, lr_d: 5e-4, ema: 0.99, label_smoothing: 0.1,
  generator: { latent_dim: 32, classes: 10, width: 32, image: { size: 28, channels: 1 } },
  discriminator: { classes: 10, width: 16, image: { size: 28, channels: 1 } },
};

const $ = (id) => document.getElementById(id);
const base = new URL('.', location.href).href;

// ---- talking to the worker ----------------------------------------------------------------------
const listeners = {};
const client = connect(new URL('./workers/gallery.js', import.meta.url), {
  onNote: (data) => listeners[data.kind]?.(data),
  onLost: (reason) => showError(`The engine ${reason} unexpectedly. Reload the page.`),
  onError: (text) => showError(`The worker stopped: ${text}. Reload the page.`),
});
const rpc = (kind, args, transfer) => client.call(kind, args, transfer);

// ---- state ---------------------------------------------------------------------------------------
const state = {
  entries: [],
  loaded: new Map(), // id → { entry, meta, info, fromCache }
  failed: new Map(), // id → message
  current: null,
  noise: null, // Float32Array [N, dim], unscaled
  classes: null, // Uint32Array [N]
  mode: 'samples',
  a: null, // { z, cls }
  b: null,
  dirs: [],
  walkTargets: null,
  walking: false,
  busy: false,
};

function showError(message) {
  const p = document.createElement('p');
  p.textContent = message;
  $('errors').append(p);
}

function setStatus(text, progress) {
  $('status-text').textContent = text;
  const bar = $('progress');
  bar.hidden = progress === undefined;
  if (progress !== undefined) bar.value = progress;
}

const model = () => state.loaded.get(state.current);
const dim = () => model().meta.config.latent_dim;
const numClasses = () => model().meta.config.classes;

function describeBackend(info) {
  if (info.backend !== 'webgpu') return 'CPU (WebAssembly)';
  const a = info.adapter;
  if (!a) return 'WebGPU';
  const name = a.description || a.vendor || 'unknown adapter';
  return a.fallback ? `WebGPU on a software adapter (${name}), not a GPU` : `WebGPU (${name})`;
}

// ---- drawing -------------------------------------------------------------------------------------
/** Draws `n` images `[n, c, s, s]` as a grid; the geometry defaults to the current model's. */
function drawImages(canvas, images, n, cols, scale, { size, channels } = model().meta.config.image) {
  const cell = size * scale + 2;
  const rows = Math.ceil(n / cols);
  canvas.width = cols * cell;
  canvas.height = rows * cell;
  const ctx = canvas.getContext('2d');
  ctx.imageSmoothingEnabled = false;
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  const tile = new OffscreenCanvas(size, size);
  const tctx = tile.getContext('2d');
  for (let k = 0; k < n; k++) {
    tctx.putImageData(new ImageData(toRgba(images, k, channels, size), size, size), 0, 0);
    ctx.drawImage(tile, (k % cols) * cell + 1, Math.floor(k / cols) * cell + 1, size * scale, size * scale);
  }
  const mark = (pick, colour) => {
    if (pick?.cell === undefined || canvas.id !== 'grid' || state.mode !== 'samples') return;
    ctx.strokeStyle = colour;
    ctx.lineWidth = 2;
    ctx.strokeRect((pick.cell % cols) * cell + 1, Math.floor(pick.cell / cols) * cell + 1, cell - 2, cell - 2);
  };
  mark(state.a, '#6b4fbb');
  mark(state.b, '#1a9850');
}

/** Generates `n` images for noise rows `z` (scaled by the truncation) and classes. */
async function generate(z, classes) {
  const t = Number($('truncation').value);
  const scaled = Float32Array.from(z, (v) => v * t);
  const cls = numClasses() > 0 ? Uint32Array.from(classes) : new Uint32Array(0);
  const r = await rpc(Call.GENERATE, { model: state.current, z: scaled, classes: cls }, [scaled.buffer]);
  const n = z.length / dim();
  $('timing').textContent = `${n} image${n > 1 ? 's' : ''} in ${r.ms.toFixed(0)} ms · ${describeBackend(model().info)}`;
  return r.images;
}

/** Redraws the grid for the current mode; one generation at a time, the latest request wins. */
let redrawQueued = false;
async function redraw() {
  document.body.dataset.pending = 'true';
  if (state.busy) { redrawQueued = true; return; }
  state.busy = true;
  try {
    const { z, classes } = gridNoise();
    const images = await generate(z, classes);
    drawImages($('grid'), images, N, COLS, SCALE);
    document.body.dataset.renders = String(Number(document.body.dataset.renders ?? 0) + 1);
    // The benchmark's start-up figure: navigation to the first samples on screen.
    if (document.body.dataset.renders === '1') {
      performance.mark('ganplay:first-sample');
      document.body.dataset.firstBackend = document.body.dataset.backend;
    }
    $('mode').textContent = {
      samples: `Samples, seed ${$('seed').value}.`,
      interpolation: 'Interpolation from A (top left) to B (bottom right), row by row.',
      neighbours: 'A (top left) and its neighbours in latent space.',
      walk: 'Random walk: every sample drifts through latent space.',
    }[state.mode];
  } catch (e) {
    showError(`Generating failed: ${e.message}`);
    stopWalk();
  } finally {
    state.busy = false;
    if (redrawQueued) { redrawQueued = false; redraw(); } else document.body.dataset.pending = 'false';
  }
}

function gridNoise() {
  const d = dim();
  if (state.mode === 'interpolation') {
    const z = new Float32Array(N * d);
    for (let i = 0; i < N; i++) z.set(slerp(state.a.z, state.b.z, i / (N - 1)), i * d);
    return { z, classes: new Uint32Array(N).fill(state.a.cls) };
  }
  if (state.mode === 'neighbours') {
    const rand = uniform(Number($('seed').value) ^ 0x5eed);
    const eps = normals(rand, N * d);
    const z = new Float32Array(N * d);
    for (let i = 0; i < N; i++) {
      for (let j = 0; j < d; j++) z[i * d + j] = state.a.z[j] + (i === 0 ? 0 : NEIGHBOUR_SPREAD * eps[i * d + j]);
    }
    return { z, classes: new Uint32Array(N).fill(state.a.cls) };
  }
  return { z: state.noise, classes: state.classes };
}

// ---- sampling controls ---------------------------------------------------------------------------
function modelSeed() {
  let h = Number($('seed').value) >>> 0;
  for (const ch of state.current) h = Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0;
  return h;
}

function resample() {
  const d = dim();
  state.noise = normals(uniform(modelSeed()), N * d);
  const k = numClasses();
  const pick = $('class').value;
  state.classes = Uint32Array.from({ length: N }, (_, i) => (k === 0 ? 0 : pick === 'any' ? i % k : Number(pick)));
  state.mode = 'samples';
  stopWalk();
  redraw();
}

function cellAt(ev) {
  const canvas = $('grid');
  const r = canvas.getBoundingClientRect();
  const x = ((ev.clientX - r.left) / r.width) * canvas.width;
  const y = ((ev.clientY - r.top) / r.height) * canvas.height;
  const cell = model().meta.config.image.size * SCALE + 2;
  const col = Math.floor(x / cell), row = Math.floor(y / cell);
  return col >= 0 && col < COLS && row >= 0 && row < ROWS ? row * COLS + col : -1;
}

function pickFromGrid(ev) {
  if (!model()) return;
  const i = cellAt(ev);
  if (i < 0) return;
  const { z } = gridNoise();
  const d = dim();
  const cls = state.mode === 'samples' ? state.classes[i] : state.a.cls;
  const pick = { z: z.slice(i * d, (i + 1) * d), cls, cell: state.mode === 'samples' ? i : undefined };
  if (ev.shiftKey || (state.a && !state.b)) state.b = pick;
  else { state.a = pick; state.b = null; }
  // After a pick the grid shows samples again, with the picks outlined.
  state.mode = 'samples';
  stopWalk();
  resetSliders(false);
  updatePicks();
  redraw();
}

async function updatePicks() {
  const ready = !!model();
  $('interpolate').disabled = !(ready && state.a && state.b);
  $('neighbours').disabled = !(ready && state.a);
  $('download-one').disabled = !(ready && state.a);
  $('reset-sliders').disabled = !(ready && state.a);
  for (const s of document.querySelectorAll('#sliders input')) s.disabled = !(ready && state.a);
  for (const [key, canvas] of [['a', $('pick-a')], ['b', $('pick-b')]]) {
    const pick = state[key];
    if (!pick) { canvas.width = canvas.height = 1; continue; }
    let z = pick.z;
    if (key === 'a') {
      z = Float32Array.from(z);
      document.querySelectorAll('#sliders input').forEach((s, k) => {
        const v = Number(s.value);
        for (let j = 0; j < z.length; j++) z[j] += v * state.dirs[k][j];
      });
    }
    try {
      const images = await generate(z, [pick.cls]);
      drawImages(canvas, images, 1, 1, 4);
    } catch (e) {
      showError(`Generating failed: ${e.message}`);
    }
  }
}

function buildSliders() {
  const box = $('sliders');
  box.replaceChildren();
  state.dirs = directions(1234, SLIDERS, dim());
  for (let k = 0; k < SLIDERS; k++) {
    const label = document.createElement('label');
    label.textContent = `Direction ${k + 1} `;
    const out = document.createElement('output');
    out.textContent = '0.0';
    const input = Object.assign(document.createElement('input'), { type: 'range', min: -4, max: 4, step: 0.1, value: 0, disabled: true });
    input.id = `slider-${k}`;
    input.addEventListener('input', () => { out.textContent = Number(input.value).toFixed(1); updatePicks(); });
    label.append(out, input);
    box.append(label);
  }
}

function resetSliders(redrawPick = true) {
  document.querySelectorAll('#sliders input').forEach((s) => { s.value = 0; s.previousSibling.textContent = '0.0'; });
  if (redrawPick) updatePicks();
}

// ---- random walk ---------------------------------------------------------------------------------
function stopWalk() {
  state.walking = false;
  $('walk').textContent = 'Random walk';
}

async function walkLoop() {
  const d = dim();
  const rand = uniform(modelSeed() ^ 0xa11);
  state.walkTargets = normals(rand, N * d);
  let frames = 0;
  while (state.walking && model()) {
    for (let i = 0; i < N; i++) {
      const z = state.noise.subarray(i * d, (i + 1) * d);
      z.set(walk(z, state.walkTargets.subarray(i * d, (i + 1) * d), WALK_STEP));
    }
    // New targets now and then, so the walk wanders instead of settling on one point.
    if (++frames % 30 === 0) state.walkTargets = normals(rand, N * d);
    await redraw();
    await new Promise((r) => requestAnimationFrame(r));
  }
}

// ---- models --------------------------------------------------------------------------------------
function buildNav() {
  const nav = $('models');
  nav.replaceChildren();
  for (const e of state.entries) {
    const b = document.createElement('button');
    b.type = 'button';
    b.dataset.model = e.id;
    b.textContent = e.label;
    b.title = `${e.size}×${e.size} ${e.channels === 3 ? 'colour' : 'grey'}, ${e.classes.length ? `${e.classes.length} classes` : 'unconditional'}, ${(e.bytes / 1e6).toFixed(2)} MB; ${e.dataset} (${e.licence})`;
    b.addEventListener('click', () => selectModel(e.id));
    nav.append(b);
  }
}

function markNav() {
  for (const b of document.querySelectorAll('#models button')) {
    const id = b.dataset.model;
    b.setAttribute('aria-pressed', String(id === state.current));
    b.classList.toggle('failed', state.failed.has(id));
  }
}

async function selectModel(id) {
  const entry = state.entries.find((e) => e.id === id);
  if (!entry) return;
  if (!state.loaded.has(id)) {
    setStatus(`Loading ${entry.label}…`, 0);
    try {
      const r = await rpc(Call.LOAD, { entry, base: new URL('models/', base).href });
      state.loaded.set(id, { entry, ...r });
      state.failed.delete(id);
    } catch (e) {
      state.failed.set(id, e.message);
      showError(`${entry.label}: ${e.message}`);
      setStatus(state.current ? `${entry.label} could not be loaded; still showing ${model().entry.label}.` : `${entry.label} could not be loaded.`);
      markNav();
      return false;
    }
  }
  state.current = id;
  const m = model();
  document.body.dataset.model = id;
  document.body.dataset.fromCache = String(m.fromCache);
  history.replaceState(null, '', `#model=${id}`);
  setStatus(`${m.entry.label}: ${(m.bytes / 1e6).toFixed(2)} MB ${m.fromCache ? 'from the cache' : 'downloaded'}, ${m.meta.steps} training steps · ${m.entry.dataset} (${m.entry.licence})`);
  const sel = $('class');
  sel.replaceChildren();
  const k = m.meta.config.classes;
  $('class-label').hidden = k === 0;
  sel.append(new Option('every class (one per column)', 'any'));
  m.meta.class_names.forEach((name, i) => sel.append(new Option(name, String(i))));
  $('preview').src = new URL(`models/${m.entry.preview}`, base).href;
  state.a = state.b = null;
  buildSliders();
  for (const b of ['resample', 'download-grid', 'walk']) $(b).disabled = false;
  markNav();
  resample();
  updatePicks();
  return true;
}

async function startEngine() {
  setStatus('Starting the engine…');
  const info = await rpc(Call.INIT, { backend: $('backend').value });
  document.body.dataset.backend = info.backend;
  state.loaded.clear();
  return info;
}

/**
 * After the first samples (drawn by the small CPU module), "auto" moves to WebGPU where the browser
 * has an adapter: the WebGPU module is fetched now, not before the first picture.
 */
async function upgradeEngine(info) {
  if (!info.upgrade) return;
  document.body.dataset.upgrading = 'true';
  try {
    const r = await rpc(Call.UPGRADE);
    for (const [id, modelInfo] of Object.entries(r.infos)) {
      const l = state.loaded.get(id);
      if (l) l.info = modelInfo;
    }
    document.body.dataset.backend = r.backend;
    if (model()) redraw();
  } catch (e) {
    showError(`WebGPU did not start, so the gallery stays on the CPU: ${e.message}`);
  } finally {
    document.body.dataset.upgrading = 'false';
  }
}

/** The WebGPU device was lost: the worker has moved the generators to the CPU module. */
listeners[Note.DEVICE_LOST] = ({ why, trainingLost, infos, error }) => {
  document.body.dataset.backend = 'cpu';
  for (const [id, modelInfo] of Object.entries(infos ?? {})) {
    const l = state.loaded.get(id);
    if (l) l.info = modelInfo;
  }
  const training = trainingLost ? ' The in-tab training run was on the GPU and is lost with it: start it again to train on the CPU.' : '';
  showError(
    error
      ? `The GPU device was lost (${why}) and the CPU module did not start: ${error}. Reload the page.`
      : `The GPU device was lost (${why}). The gallery switched to the CPU backend.${training}`,
  );
  if (trainingLost) $('train-pause').disabled = true;
  document.body.dataset.deviceLost = 'true';
  if (!error && model()) redraw();
};

async function main() {
  listeners[Note.PROGRESS] = ({ model: id, loaded, total }) => {
    const e = state.entries.find((x) => x.id === id);
    setStatus(`Loading ${e?.label ?? id}… ${(loaded / 1e6).toFixed(2)} MB`, total ? loaded / total : undefined);
  };
  let manifest;
  try {
    const res = await fetch(new URL('models/manifest.json', base));
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    manifest = await res.json();
    if (!Array.isArray(manifest.models)) throw new Error('it has no "models" list');
  } catch (e) {
    setStatus('No models.');
    showError(`The model list (models/manifest.json) could not be read: ${e.message}`);
    return;
  }
  state.entries = manifest.models.filter((m) => m && typeof m.id === 'string' && typeof m.file === 'string');
  buildNav();
  let info;
  try {
    info = await startEngine();
  } catch (e) {
    showError(`The engine did not start: ${e.message}`);
    return;
  }
  const wanted = new URLSearchParams(location.hash.slice(1)).get('model');
  const order = [wanted, ...state.entries.map((e) => e.id)].filter((id, i, a) => id && a.indexOf(id) === i);
  for (const id of order) if (await selectModel(id)) break;
  document.body.dataset.ready = 'true';
  $('train-scratch').disabled = false;
  $('train-finetune').disabled = !state.entries.some((e) => e.id === 'digits');
  upgradeEngine(info);
}

// ---- wiring --------------------------------------------------------------------------------------
$('resample').addEventListener('click', () => {
  $('seed').value = String((Number($('seed').value) + 1) >>> 0);
  resample();
});
$('seed').addEventListener('change', () => {
  const v = Number($('seed').value);
  if (!Number.isInteger(v) || v < 0 || v > 4294967295) {
    showError(`The seed must be a whole number from 0 to 4294967295; got "${$('seed').value}".`);
    $('seed').value = '1';
  }
  if (model()) resample();
});
$('truncation').addEventListener('input', () => {
  $('truncation-value').textContent = Number($('truncation').value).toFixed(2);
  if (model()) { redraw(); updatePicks(); }
});
$('class').addEventListener('change', () => model() && resample());
$('grid').addEventListener('click', pickFromGrid);
$('interpolate').addEventListener('click', () => { stopWalk(); state.mode = 'interpolation'; redraw(); });
$('neighbours').addEventListener('click', () => { stopWalk(); state.mode = 'neighbours'; redraw(); });
$('walk').addEventListener('click', () => {
  if (state.walking) return stopWalk();
  state.mode = 'walk';
  state.walking = true;
  $('walk').textContent = 'Stop walking';
  walkLoop();
});
$('reset-sliders').addEventListener('click', () => resetSliders());
$('backend').addEventListener('change', async () => {
  stopWalk();
  const keep = state.current;
  state.current = null;
  try {
    const info = await startEngine();
    if (keep) await selectModel(keep);
    upgradeEngine(info);
  } catch (e) {
    showError(`Switching the backend failed: ${e.message}`);
    $('backend').value = 'cpu';
    await startEngine().then(() => keep && selectModel(keep)).catch((e2) => showError(e2.message));
  }
});

function download(canvas, name) {
  canvas.toBlob((blob) => {
    const a = Object.assign(document.createElement('a'), { href: URL.createObjectURL(blob), download: name });
    a.click();
    setTimeout(() => URL.revokeObjectURL(a.href), 1000);
  }, 'image/png');
}
$('download-grid').addEventListener('click', () => download($('grid'), `${state.current}-seed${$('seed').value}.png`));
$('download-one').addEventListener('click', () => download($('pick-a'), `${state.current}-sample.png`));

// ---- in-tab training -----------------------------------------------------------------------------
const trainNoise = { z: null, classes: null };
listeners[Note.TRAIN_FRAME] = (f) => {
  drawImages($('train-grid'), f.images, N, COLS, SCALE, { size: 28, channels: 1 });
  $('train-stats').textContent = `step ${f.step} · D loss ${f.dLoss.toFixed(3)} · G loss ${f.gLoss.toFixed(3)} · ${f.stepsPerSec.toFixed(1)} steps/s`;
  document.body.dataset.trainStep = String(f.step);
};
listeners[Note.TRAIN_ERROR] = ({ message }) => {
  showError(`Training stopped: ${message}`);
  $('train-pause').disabled = true;
};

async function startTraining(finetune) {
  let config = TRAIN_SCRATCH;
  let ft = null;
  if (finetune) {
    const entry = state.entries.find((e) => e.id === 'digits');
    if (!state.loaded.has('digits') && !(await selectModel('digits'))) return;
    const g = state.loaded.get('digits').meta.config;
    config = { ...TRAIN_SCRATCH, batch_size: 16, lr_g: 1e-4, lr_d: 2e-4, ema: 0, generator: g, discriminator: { classes: g.classes, width: 32, image: g.image } };
    ft = { entry, base: new URL('models/', base).href };
  }
  const d = config.generator.latent_dim;
  trainNoise.z = normals(uniform(2024), N * d);
  trainNoise.classes = Uint32Array.from({ length: N }, (_, i) => i % 10);
  $('train-pause').disabled = false;
  $('train-pause').textContent = 'Pause';
  $('train-stats').textContent = 'Starting…';
  try {
    await rpc(Call.TRAIN_START, { backend: $('train-backend').value, base, config, finetune: ft, z: trainNoise.z, classes: trainNoise.classes });
    document.body.dataset.training = finetune ? 'finetune' : 'scratch';
  } catch (e) {
    showError(`Training could not start: ${e.message}`);
    $('train-pause').disabled = true;
    $('train-stats').textContent = '';
  }
}
$('train-scratch').addEventListener('click', () => startTraining(false));
$('train-finetune').addEventListener('click', () => startTraining(true));
$('train-pause').addEventListener('click', async () => {
  const pausing = $('train-pause').textContent === 'Pause';
  try {
    await rpc(pausing ? Call.TRAIN_PAUSE : Call.TRAIN_RESUME);
    $('train-pause').textContent = pausing ? 'Resume' : 'Pause';
  } catch (e) {
    showError(e.message);
  }
});

main();
