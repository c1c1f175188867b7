// The gallery's module worker: fetches and caches generator files, checks them against the
// manifest, generates images, and trains the in-tab digits GAN. The page only draws. Its calls and
// notes are GalleryCall and GalleryNote in ../protocol.js.
import { GalleryCall as Call, GalleryNote as Note } from '../protocol.js';
import { chooseBackend, loadModule } from './backend.js';
import { holdLifeLock, serve, watchDevices, sleep, errorText } from './kit.js';

const CACHE = 'ganplay-models-v1';
/** Training steps between two frames of the in-tab trainer, adapted to about this many ms. */
const TRAIN_CHUNK_MS = 120;

let engine = null; // { m, chosen }
let backendInfo = null;
let models = new Map(); // id → ImageModel
const files = new Map(); // id → the bytes it was loaded from (to load it again on another backend)

holdLifeLock();

// ---- WebGPU device loss ---------------------------------------------------------------------------
// The generators are loaded again on the CPU module from the bytes kept in `files`; an in-tab
// training run on the GPU is gone with the device and says so.
watchDevices(onDeviceLost);

async function onDeviceLost(info) {
  if (engine?.chosen !== 'webgpu') return;
  const why = [info.reason, info.message].filter(Boolean).join(': ');
  const trainingLost = Boolean(training.session && training.backend === 'webgpu');
  if (trainingLost) {
    training.playing = false;
    training.session = null; // its buffers went with the device
  }
  try {
    const next = await loadModule('sample');
    const moved = new Map();
    for (const id of files.keys()) moved.set(id, await next.m.ImageModel.load('cpu', files.get(id)));
    models = moved;
    engine = next;
    backendInfo = { backend: 'cpu', upgrade: false };
    postMessage({ kind: Note.DEVICE_LOST, why, trainingLost, infos: Object.fromEntries([...moved].map(([id, m]) => [id, JSON.parse(m.info())])) });
  } catch (e) {
    postMessage({ kind: Note.DEVICE_LOST, why, trainingLost, error: errorText(e) });
  }
}

/** Fetches `url` with progress events, from the Cache API when it holds it. */
async function fetchBytes(url, model) {
  const cache = self.caches ? await self.caches.open(CACHE).catch(() => null) : null;
  const hit = cache ? await cache.match(url).catch(() => null) : null;
  if (hit) return { bytes: new Uint8Array(await hit.arrayBuffer()), fromCache: true, cache };
  let res;
  try {
    res = await fetch(url);
  } catch (e) {
    throw new Error(`could not fetch ${url}: ${e.message}`);
  }
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}${res.status === 404 ? ' (the file is missing)' : ''}`);
  const total = Number(res.headers.get('content-length')) || 0;
  const parts = [];
  let loaded = 0;
  const reader = res.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    parts.push(value);
    loaded += value.length;
    postMessage({ kind: Note.PROGRESS, model, loaded, total });
  }
  const bytes = new Uint8Array(loaded);
  let at = 0;
  for (const p of parts) { bytes.set(p, at); at += p.length; }
  return { bytes, fromCache: false, cache };
}

/** Names every way a file's header disagrees with its manifest entry. */
function mismatch(meta, entry) {
  const c = meta.config;
  const problems = [];
  if (meta.id !== entry.id) problems.push(`the file is model "${meta.id}", the manifest says "${entry.id}"`);
  if (c.image.size !== entry.size || c.image.channels !== entry.channels) {
    problems.push(`the file makes ${c.image.size}×${c.image.size}×${c.image.channels} images, the manifest says ${entry.size}×${entry.size}×${entry.channels}`);
  }
  if (c.latent_dim !== entry.latent_dim) problems.push(`latent size ${c.latent_dim} in the file, ${entry.latent_dim} in the manifest`);
  if (JSON.stringify(meta.class_names) !== JSON.stringify(entry.classes)) problems.push('the classes differ');
  return problems;
}

const handlers = {
  /**
   * "auto" starts on the small CPU module, so the first samples come quickly; `upgrade: true` then
   * says "auto" means WebGPU here and the page may call UPGRADE to fetch the WebGPU module.
   */
  async [Call.INIT]({ backend }) {
    const { backend: chosen } = await chooseBackend(backend);
    const upgrade = backend === 'auto' && chosen === 'webgpu';
    // The first samples on the CPU come from the sampling-only module; training loads the full one.
    engine = await loadModule(chosen === 'cpu' || upgrade ? 'sample' : chosen);
    for (const m of models.values()) m.free();
    models.clear();
    files.clear();
    backendInfo = { backend: engine.chosen, upgrade };
    return backendInfo;
  },

  /** Loads the WebGPU module and moves every loaded model onto it; the CPU models serve until then. */
  async [Call.UPGRADE]() {
    const next = await loadModule('webgpu');
    const moved = new Map();
    try {
      // Models loaded while this one waits are moved too: loop until none is left behind.
      for (let left = [...files.keys()]; left.length; left = [...files.keys()].filter((id) => !moved.has(id))) {
        for (const id of left) moved.set(id, await next.m.ImageModel.load('webgpu', files.get(id)));
      }
    } catch (e) {
      for (const m of moved.values()) m.free();
      throw e;
    }
    for (const m of models.values()) m.free();
    models = moved;
    engine = next;
    backendInfo = { backend: 'webgpu', upgrade: false };
    return { backend: 'webgpu', infos: Object.fromEntries([...moved].map(([id, m]) => [id, JSON.parse(m.info())])) };
  },

  /** { entry, base } → { meta, info, fromCache, bytes }. A cached copy that fails is dropped and fetched again. */
  async [Call.LOAD]({ entry, base }) {
    if (!engine) throw new Error('the engine is not started');
    const url = new URL(entry.file, base);
    // The manifest's size and step count key the cache, so new weights are never shadowed by old ones.
    url.searchParams.set('v', `${entry.bytes}-${entry.steps}`);
    const got = await fetchBytes(url.href, entry.id);
    try {
      return await loadBytes(entry, url.href, got);
    } catch (e) {
      if (!got.fromCache) throw e;
      await got.cache.delete(url.href).catch(() => {});
      return await loadBytes(entry, url.href, await fetchBytes(url.href, entry.id));
    }
  },

  /** { model, z, classes } → { images, ms }. */
  async [Call.GENERATE]({ model, z, classes }) {
    const m = models.get(model);
    if (!m) throw new Error(`model "${model}" is not loaded`);
    const t0 = performance.now();
    const images = await m.generate(z, classes);
    return { images, ms: performance.now() - t0 };
  },

  async [Call.TRAIN_START](args) {
    await startTraining(args);
    return null;
  },
  async [Call.TRAIN_PAUSE]() {
    training.playing = false;
    return null;
  },
  async [Call.TRAIN_RESUME]() {
    if (!training.session) throw new Error('no training run');
    training.playing = true;
    if (!training.looping) trainLoop();
    return null;
  },
  async [Call.TRAIN_EXPORT]() {
    if (!training.session) throw new Error('no training run');
    return await training.session.export();
  },
};

async function loadBytes(entry, href, { bytes, fromCache, cache }) {
  if (entry.bytes && bytes.length !== entry.bytes) {
    throw new Error(`${entry.file} has ${bytes.length} bytes, the manifest says ${entry.bytes}: it is truncated or not the listed file`);
  }
  const meta = JSON.parse(engine.m.peekGenerator(bytes));
  const problems = mismatch(meta, entry);
  if (problems.length) throw new Error(`${entry.file} does not match its manifest entry: ${problems.join('; ')}`);
  const t0 = performance.now();
  const model = await engine.m.ImageModel.load(engine.chosen, bytes);
  models.get(entry.id)?.free();
  models.set(entry.id, model);
  files.set(entry.id, bytes);
  if (!fromCache && cache) await cache.put(href, new Response(bytes)).catch(() => {});
  return { meta, info: JSON.parse(model.info()), fromCache, bytes: bytes.length, loadMs: performance.now() - t0 };
}

// ---- in-tab training --------------------------------------------------------------------------

const training = { session: null, playing: false, looping: false, chunk: 1, z: null, classes: null, backend: null };

/** Reads the shipped digits subset: n·784 pixel bytes, then n label bytes. */
async function digitsSubset(base) {
  const res = await fetch(new URL('data/digits.bin', base));
  if (!res.ok) throw new Error(`data/digits.bin: HTTP ${res.status}`);
  const bytes = new Uint8Array(await res.arrayBuffer());
  if (bytes.length === 0 || bytes.length % 785 !== 0) throw new Error(`data/digits.bin has ${bytes.length} bytes, not a whole number of 785-byte digits`);
  const n = bytes.length / 785;
  const pixels = new Float32Array(n * 784);
  for (let i = 0; i < n * 784; i++) pixels[i] = bytes[i] / 127.5 - 1;
  return { pixels, labels: bytes.slice(n * 784), n };
}

async function startTraining({ backend, base, config, finetune, z, classes }) {
  training.playing = false;
  while (training.looping) await sleep(10);
  training.session?.free();
  training.session = null;
  const m = engine?.chosen === backend && engine.module !== 'sample' ? engine.m : (await loadModule(backend)).m;
  const { pixels, labels } = await digitsSubset(base);
  const names = JSON.stringify([...Array(10).keys()].map(String));
  const session = await m.ImageTraining.create(backend, JSON.stringify(config), pixels, labels, names);
  if (finetune) {
    const entry = finetune.entry;
    const url = new URL(entry.file, finetune.base);
    url.searchParams.set('v', `${entry.bytes}-${entry.steps}`);
    const { bytes } = await fetchBytes(url.href, entry.id);
    session.loadGenerator(bytes);
  }
  training.session = session;
  training.backend = backend;
  training.z = z;
  training.classes = classes;
  training.chunk = 1;
  training.playing = true;
  trainLoop();
}

async function trainLoop() {
  training.looping = true;
  try {
    let last = performance.now(), lastStep = training.session.step();
    await frame(0);
    while (training.playing) {
      const t0 = performance.now();
      training.session.train(training.chunk);
      const dt = performance.now() - t0;
      training.chunk = Math.max(1, Math.min(64, Math.round(training.chunk * (dt > 0 ? TRAIN_CHUNK_MS / dt : 2))));
      const now = performance.now();
      const step = training.session.step();
      const rate = ((step - lastStep) * 1000) / Math.max(1, now - last);
      last = now; lastStep = step;
      await frame(rate);
      // A macrotask break, so pause and generate requests get in between chunks.
      await sleep(0);
    }
  } catch (e) {
    training.playing = false;
    postMessage({ kind: Note.TRAIN_ERROR, message: errorText(e) });
  } finally {
    training.looping = false;
  }
}

async function frame(rate) {
  const s = training.session;
  const r = await s.sample(training.z, training.classes);
  postMessage({ kind: Note.TRAIN_FRAME, step: s.step(), dLoss: r.dLoss, gLoss: r.gLoss, images: r.images, stepsPerSec: rate, playing: training.playing }, [r.images.buffer]);
}

// Calls run one at a time, in order; generated images go to the page without a copy.
serve(handlers, { transfer: (result) => (result?.images ? [result.images.buffer] : []) });
