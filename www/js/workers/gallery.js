// The gallery's module worker: reads and checks the model list, fetches and caches generator files
// (only from the models folder, never more bytes than the list gives), checks them against the
// list, generates images, and trains the in-tab digits GAN. The page only draws. Its calls and
// notes are GalleryCall and GalleryNote in ../protocol.js.
import { GalleryCall as Call, GalleryNote as Note } from '../protocol.js';
import { chooseBackend, loadModule } from './backend.js';
import { holdLifeLock, serve, watchDevices, sleep, errorText, readCapped } from './kit.js';
import { nameDirections } from '../gallery/directions.js';
import { readManifest, checkEntry, modelFileUrl, MAX_MANIFEST_BYTES, MAX_MODEL_BYTES } from '../gallery/manifest.js';
import { quote, excerpt } from '../text.js';
import { uniform, normals } from '../gallery/latent.js';
import { t, fmt } from '../i18n.js';

const CACHE = 'ganplay-models-v1'; // not shown
/** The models folder: every file the model list names must be inside it (whatever the page says). */
const MODELS = new URL('../../models/', import.meta.url);
/** The in-tab trainer's digits (2,000 × 785 bytes). */
const MAX_DIGITS_BYTES = 4_000_000;
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

/** A size in MB (in bytes where MB would round it to `near`'s figure or below a MB). */
function mb(n, near) {
  const f = (x) => t('gal.size.mb', { mb: fmt(x / 1e6, { maximumFractionDigits: 2 }) });
  return n < 1e6 || (near !== undefined && f(n) === f(near)) ? t('gal.size.bytes', { n }) : f(n);
}

/** "HTTP 404 (the file is missing)". */
const http = (status) => t(status === 404 ? 'gal.http.missing' : 'gal.http', { status: String(status) });

/**
 * The bytes of `entry`'s weight file, from the Cache API when it holds them, else fetched with
 * progress notes; never more than the model list gives (nor MAX_MODEL_BYTES): a larger file is
 * refused by its Content-Length before it is read, and its download stopped as soon as it passes.
 */
async function fetchModel(entry, url) {
  const name = quote(entry.file);
  const cap = Math.min(entry.bytes, MAX_MODEL_BYTES);
  const cache = self.caches ? await self.caches.open(CACHE).catch(() => null) : null;
  const hit = cache ? await cache.match(url).catch(() => null) : null;
  if (hit) {
    try {
      return { bytes: await readCapped(hit, cap), fromCache: true, cache };
    } catch {
      await cache.delete(url).catch(() => {});
    }
  }
  let res;
  try {
    res = await fetch(url);
  } catch (e) {
    throw new Error(t('gal.fetch.failed', { name, text: excerpt(errorText(e), 120) }));
  }
  if (!res.ok) throw new Error(t('gal.fetch.http', { name, http: http(res.status) }));
  const bytes = await readCapped(res, cap, {
    tooLarge: (size) => t('gal.fetch.tooLarge', { name, size: mb(size, entry.bytes), listed: mb(entry.bytes, size) }),
    stopped: () => t('gal.fetch.stopped', { name, listed: mb(entry.bytes) }),
    progress: (loaded, total) => postMessage({ kind: Note.PROGRESS, model: entry.id, loaded, total }),
  });
  return { bytes, fromCache: false, cache };
}

/** `entry` checked again here (the page's copy is not trusted) and the URL of its file. */
function checked(raw) {
  let entry;
  try {
    entry = checkEntry(raw, MODELS);
  } catch (e) {
    throw new Error(t('gal.entry.refused', { reason: e.message }));
  }
  const url = modelFileUrl(entry.file, MODELS);
  // The manifest's size and step count key the cache, so new weights are never shadowed by old ones.
  url.searchParams.set('v', `${entry.bytes}-${entry.steps}`);
  return { entry, url: url.href };
}

/** Names every way a file's header disagrees with its manifest entry. */
function mismatch(meta, entry) {
  const c = meta.config;
  const problems = [];
  if (meta.id !== entry.id) problems.push(t('gal.mismatch.id', { file: quote(meta.id), listed: quote(entry.id) }));
  if (c.image.size !== entry.size || c.image.channels !== entry.channels) {
    const shape = (s, ch) => `${excerpt(s)}×${excerpt(s)}×${excerpt(ch)}`;
    problems.push(t('gal.mismatch.shape', { file: shape(c.image.size, c.image.channels), listed: shape(entry.size, entry.channels) }));
  }
  if (c.latent_dim !== entry.latent_dim) problems.push(t('gal.mismatch.latent', { file: excerpt(c.latent_dim), listed: String(entry.latent_dim) }));
  if (JSON.stringify(meta.class_names) !== JSON.stringify(entry.classes)) problems.push(t('gal.mismatch.classes'));
  return problems;
}

const handlers = {
  /** {} → { entries, refused, ignored, total } (see readManifest in ../gallery/manifest.js), or an error that says why the list is unusable. */
  async [Call.MANIFEST]() {
    let res;
    try {
      res = await fetch(new URL('manifest.json', MODELS), { cache: 'no-cache' });
    } catch (e) {
      throw new Error(t('gal.list.notLoaded', { text: excerpt(errorText(e), 120) }));
    }
    if (!res.ok) throw new Error(t('gal.list.notLoaded', { text: http(res.status) }));
    const bytes = await readCapped(res, MAX_MANIFEST_BYTES, {
      tooLarge: (size) => t('gal.list.tooLarge', { size: mb(size, MAX_MANIFEST_BYTES), max: mb(MAX_MANIFEST_BYTES, size) }),
      stopped: () => t('gal.list.stopped', { max: mb(MAX_MANIFEST_BYTES) }),
    });
    let data;
    try {
      data = JSON.parse(new TextDecoder().decode(bytes));
    } catch (e) {
      throw new Error(t('gal.list.notJson', { text: excerpt(errorText(e)) }));
    }
    try {
      return readManifest(data, MODELS);
    } catch (e) {
      throw new Error(t('gal.list.unusable', { reason: e.message }));
    }
  },

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

  /**
   * { entry } → { meta, info, fromCache, bytes }. The entry is checked here again and its file
   * fetched only from the models folder. A cached copy that fails is dropped and fetched again.
   */
  async [Call.LOAD]({ entry: raw }) {
    if (!engine) throw new Error(t('gal.engine.notStarted'));
    const { entry, url } = checked(raw);
    const got = await fetchModel(entry, url);
    try {
      return await loadBytes(entry, url, got);
    } catch (e) {
      if (!got.fromCache || isTrap(e)) throw e;
      await got.cache.delete(url).catch(() => {});
      return await loadBytes(entry, url, await fetchModel(entry, url));
    }
  },

  /** { model, z, classes } or { model, z, weights } (class blends, `[n, classes]`) → { images, ms }. */
  async [Call.GENERATE]({ model, z, classes, weights }) {
    const m = loadedModel(model);
    const t0 = performance.now();
    const images = await (weights ? m.generateMixed(z, weights) : m.generate(z, classes));
    return { images, ms: performance.now() - t0 };
  },

  /**
   * { model, k } → { vectors: Float32Array [k, dim], share: Float32Array [k], measures, change }:
   * the slider directions, and what each measurably changes (here, not on the page's thread).
   */
  async [Call.DIRECTIONS]({ model, k }) {
    const m = loadedModel(model);
    const found = await m.directions(k);
    const { config } = JSON.parse(engine.m.peekGenerator(files.get(model)));
    const named = await nameDirections(found.vectors, k, { dim: config.latent_dim, classes: config.classes, image: config.image }, (z, classes) => m.generate(z, classes));
    return { vectors: found.vectors, share: found.share, ...named };
  },

  async [Call.TRAIN_START](args) {
    return await startTraining(args);
  },
  async [Call.TRAIN_PAUSE]() {
    training.playing = false;
    return null;
  },
  async [Call.TRAIN_RESUME]() {
    if (!training.session) throw new Error(t('gal.train.none'));
    training.playing = true;
    if (!training.looping) trainLoop();
    return null;
  },
  async [Call.TRAIN_EXPORT]() {
    if (!training.session) throw new Error(t('gal.train.none'));
    return await training.session.export();
  },
};

function loadedModel(id) {
  const m = models.get(id);
  if (!m) throw new Error(t('gal.model.notLoaded', { id: quote(id) }));
  return m;
}

async function loadBytes(entry, href, { bytes, fromCache, cache }) {
  // The wasm never sees a buffer of another size than the list gives (and so never over 2 MB).
  if (bytes.length !== entry.bytes) {
    throw new Error(t('gal.file.truncated', { file: quote(entry.file), n: bytes.length, listed: entry.bytes }));
  }
  const meta = JSON.parse(engine.m.peekGenerator(bytes));
  const problems = mismatch(meta, entry);
  if (problems.length) throw new Error(t('gal.file.mismatch', { file: quote(entry.file), problems: problems.join(t('gal.list.separator')) }));
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
async function digitsSubset() {
  const res = await fetch(new URL('../../data/digits.bin', import.meta.url));
  if (!res.ok) throw new Error(t('gal.fetch.http', { name: 'data/digits.bin', http: http(res.status) }));
  const bytes = await readCapped(res, MAX_DIGITS_BYTES, {
    tooLarge: (size) => t('gal.digits.tooLarge', { size: mb(size), max: mb(MAX_DIGITS_BYTES) }),
    stopped: () => t('gal.digits.stopped', { max: mb(MAX_DIGITS_BYTES) }),
  });
  if (bytes.length === 0 || bytes.length % 785 !== 0) throw new Error(t('gal.digits.broken', { n: bytes.length }));
  const n = bytes.length / 785;
  const pixels = new Float32Array(n * 784);
  for (let i = 0; i < n * 784; i++) pixels[i] = bytes[i] / 127.5 - 1;
  return { pixels, labels: bytes.slice(n * 784), n };
}

async function startTraining({ backend, finetune, noiseSeed, classes }) {
  training.playing = false;
  while (training.looping) await sleep(10);
  training.session?.free();
  training.session = null;
  const m = engine?.chosen === backend && engine.module !== 'sample' ? engine.m : (await loadModule(backend)).m;
  const { pixels, labels } = await digitsSubset();
  const names = JSON.stringify([...Array(10).keys()].map(String));
  let bytes = null;
  if (finetune) {
    const { entry, url } = checked(finetune.entry);
    ({ bytes } = files.has(entry.id) ? { bytes: files.get(entry.id) } : await fetchModel(entry, url));
    if (bytes.length !== entry.bytes) throw new Error(t('gal.file.size', { file: quote(entry.file), n: bytes.length, listed: entry.bytes }));
  }
  // The config `ganplay tab-training` measures: from scratch, or for the shipped generator.
  const config = JSON.parse(m.inTabConfig(bytes ? JSON.stringify(JSON.parse(m.peekGenerator(bytes)).config) : undefined));
  const session = await m.ImageTraining.create(backend, JSON.stringify(config), pixels, labels, names);
  if (bytes) session.loadGenerator(bytes);
  const z = normals(uniform(noiseSeed), classes.length * config.generator.latent_dim);
  training.session = session;
  training.backend = backend;
  training.z = z;
  training.classes = classes;
  training.chunk = 1;
  training.playing = true;
  trainLoop();
  return { warmup: config.d_warmup };
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
    postMessage({ kind: Note.TRAIN_ERROR, message: excerpt(errorText(e), 160) });
    fatal(e);
  } finally {
    training.looping = false;
  }
}

async function frame(rate) {
  const s = training.session;
  const r = await s.sample(training.z, training.classes);
  postMessage({ kind: Note.TRAIN_FRAME, step: s.step(), dLoss: r.dLoss, gLoss: r.gLoss, images: r.images, stepsPerSec: rate, playing: training.playing }, [r.images.buffer]);
}

// ---- a trap in the wasm code ----------------------------------------------------------------------
// After a trap (a Rust panic, out of memory) the wasm instance cannot be trusted: the worker says so
// and closes, and the page starts a new one (see gallery/engine.js).

const isTrap = (e) => e instanceof WebAssembly.RuntimeError;

function fatal(e) {
  if (!isTrap(e)) return;
  postMessage({ kind: Note.FATAL, reason: t('gal.engine.how.crashed', { detail: excerpt(errorText(e)) }) });
  setTimeout(() => self.close(), 0);
}

// A trap is told (FATAL) before the failed call's reply, so the page knows that reply comes from a
// dying worker.
for (const [kind, handler] of Object.entries(handlers)) {
  handlers[kind] = async (args) => {
    try {
      return await handler(args);
    } catch (e) {
      fatal(e);
      throw e;
    }
  };
}

// Calls run one at a time, in order; generated images go to the page without a copy.
serve(handlers, { transfer: (result) => (result?.images ? [result.images.buffer] : []) });
