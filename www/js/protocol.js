// Every message between a page and its worker, for every worker, in one place: the playground's
// engine (workers/playground.js) and the gallery's (workers/gallery.js).
//
// Calls go page → worker as { id, kind, ...args } and are answered exactly once with
// { id, kind: Kit.REPLY, ok: true, result } or { id, kind: Kit.REPLY, ok: false, error }.
// Notes go worker → page unasked, without an id. A worker handles its calls one at a time, in order
// (see serve in workers/kit.js). The names avoid the DOM's own globals Request and Event.
import { workerUrl, t } from './i18n.js';

/** Restarts of a dead worker a page makes in one minute; after the next death it gives up (a worker whose restart kills it again would loop). */
export const MAX_RESTARTS = 3;

/** The restarts of the last minute, for both pages' recovery. */
export class Restarts {
  constructor() {
    this.times = [];
  }
  /** Counts a restart now; returns how many the last minute has seen (over MAX_RESTARTS: give up). */
  count(now = Date.now()) {
    this.times.push(now);
    while (this.times[0] < now - 60_000) this.times.shift();
    return this.times.length;
  }
}

/** Kinds every worker speaks, whatever its catalogue. */
export const Kit = Object.freeze({
  /** The one answer to a call: { id, ok, result | error }. */
  REPLY: 'reply',
  /** {}: the worker holds its life lock (see WorkerClient.watch); the page may now wait on it. */
  ALIVE: 'alive',
});

/** Calls the playground page may make of its engine worker. */
export const PlaygroundCall = Object.freeze({
  /** { backend: 'auto'|'cpu'|'webgpu', config, points? } → BackendInfo { backend, adapter, webgpu_built, autoSmall? }. */
  INIT: 'init',
  /**
   * { config, points?, edits?, plan? } → null, or BackendInfo when "auto" moved the new networks to
   * the other backend. Rebuilds networks and optimisers from the config and the seed; `edits` and
   * `plan` are the new run's schedule, as SCHEDULE takes them.
   */
  RESET: 'reset',
  /**
   * { config } → { iteration, freshMoments }. The running model takes the config's optimiser
   * settings now, at its current iteration, without a restart (the engine refuses data, seed and
   * network changes with an error, and nothing changes). Drops the changes SCHEDULE queued: a
   * person's change replaces a link's. `freshMoments`: the networks whose optimiser starts afresh.
   */
  RETUNE: 'retune',
  /**
   * { edits: [{ at, config }], plan } → null. Changes to make while training: each config is taken
   * as RETUNE takes it when the run reaches iteration `at` (training stops at each such iteration,
   * so a link's run is the same however it is played); one at the current iteration at once,
   * earlier ones never. Each posts a RETUNED note naming `plan` (the page's id for this schedule).
   * Replaces the last schedule; INIT clears it, RESET and IMPORT replace it with their own.
   */
  SCHEDULE: 'schedule',
  /** {} → null. Starts training rounds in a loop, posting FRAME notes. */
  PLAY: 'play',
  /** {} → null. */
  PAUSE: 'pause',
  /** { rounds } → null. Runs whole rounds while paused, then posts a FRAME. */
  STEP: 'step',
  /** {} → null. One discriminator update only, then a FRAME. */
  STEP_D: 'step-d',
  /** {} → null. One generator update only, then a FRAME. */
  STEP_G: 'step-g',
  /** { ips } → null. The most rounds per second while playing (Infinity: as fast as possible). */
  SPEED: 'speed',
  /** { idleMs } → null. A pause after each chunk, 0–40 ms: the page asks for it when its own frames run long. */
  PACE: 'pace',
  /** { heatmap, manifold, arrows } → null. Which pictures frames carry (booleans). */
  VIEW: 'view',
  /** { shown } → Explained. Pauses and trains one round taken apart into its phases. */
  EXPLAIN: 'explain',
  /** {} → string. The run as a model file (JSON text). */
  EXPORT: 'export',
  /**
   * { text, edits?, plan? } → { config, points, iteration }. Continues the run of a model file; on
   * error nothing changes. `edits`, `plan`: the schedule, as SCHEDULE takes it (the changes before
   * the file's iteration are left out, those at it are made at once).
   */
  IMPORT: 'import',
  /** { names, count } → { [name]: Float32Array } samples of built-in datasets for thumbnails. */
  THUMBS: 'thumbs',
});

/** Notes the playground's engine worker posts without being asked. */
export const PlaygroundNote = Object.freeze({
  /**
   * Frame: { iteration, dLoss, gLoss, real, fake, ema, heatmap, heatmapProbability, manifold,
   * manifoldRows, manifoldCols, arrows, gradNorm, finite, metrics, itersPerSec } (point lists are
   * Float32Arrays; gradNorm: the mean norm of G's gradient at the samples, measured at most as
   * often as the pictures, NaN before it is).
   */
  FRAME: 'frame',
  /**
   * { at, plan, freshMoments } or { at, plan, error }: the scheduled change of iteration `at` (see
   * SCHEDULE) was made, or the engine refused it (`error`) and training goes on without it.
   */
  RETUNED: 'retuned',
  /** { message, fatal? }: training stopped because of an error; `fatal` (a reason: 'crashed (<the trap's words>)') when the worker closes next. */
  ERROR: 'error',
  /** {}: the start-up warm-up of the wasm code is done (see warmUp in workers/playground.js). */
  WARM: 'warm',
  /** { message, iteration }: a loss or weight became NaN/Inf; training paused and rolled back to `iteration`. */
  DIVERGED: 'diverged',
  /**
   * { reason, detail, model }: the WebGPU device was lost. `model` is the run as a model file from
   * at most a couple of seconds before (null if none); the worker closes right after this.
   */
  DEVICE_LOST: 'device-lost',
  /** { step, of }: progress through one heavy round (see trainRounds in workers/playground.js). */
  PROGRESS: 'progress',
});

/** Calls the gallery page may make of its worker. */
export const GalleryCall = Object.freeze({
  /**
   * {} → { entries, refused: [{ index, name, label, id, reason, short }], ignored, total }: the worker reads
   * models/manifest.json (at most 4 MB) and checks each entry on its own (www/js/gallery/manifest.js);
   * fails with a sentence when the list itself cannot be used. Needs no engine.
   */
  MANIFEST: 'manifest',
  /**
   * { backend: 'auto'|'cpu'|'webgpu' } → { backend: 'cpu'|'webgpu', upgrade }. "auto" starts on the
   * small sampling-only CPU module; `upgrade: true` says WebGPU exists and UPGRADE may move there.
   */
  INIT: 'init',
  /** {} → { backend: 'webgpu', infos: { [id]: ModelInfo } }. Moves every loaded model to WebGPU. */
  UPGRADE: 'upgrade',
  /**
   * { entry } → { meta, info, fromCache, bytes, loadMs }. Checks the entry again, then fetches (or
   * takes from the cache) and checks a generator: only from the models folder, never more bytes than
   * the entry's `bytes`.
   */
  LOAD: 'load',
  /**
   * { model, z, classes } or { model, z, weights } (Float32Array [n, classes]: blends of classes)
   * → { images, ms } (images: Float32Array [n, c, s, s], transferred).
   */
  GENERATE: 'generate',
  /** { model, k } → { vectors: Float32Array [k, latent_dim], share: Float32Array [k], measures: [name | null], change: Float32Array [k] }: principal latent directions and what each changes. */
  DIRECTIONS: 'directions',
  /** { backend, finetune: { entry } | null, noiseSeed, classes } → { warmup }. Starts the in-tab trainer on the engine's config for it (from scratch, or fine-tuning the shipped generator). */
  TRAIN_START: 'train-start',
  /** {} → null. */
  TRAIN_PAUSE: 'train-pause',
  /** {} → null; fails without a training run. */
  TRAIN_RESUME: 'train-resume',
  /** {} → Uint8Array: the shown generator as a .gpk file; fails without a training run. */
  TRAIN_EXPORT: 'train-export',
});

/** Notes the gallery's worker posts without being asked. */
export const GalleryNote = Object.freeze({
  /** { model, loaded, total }: bytes of a generator file fetched so far (total 0 when unknown). */
  PROGRESS: 'progress',
  /** { step, dLoss, gLoss, images, stepsPerSec, playing }: the in-tab trainer's fixed-noise grid. */
  TRAIN_FRAME: 'train-frame',
  /** { message }: the in-tab trainer stopped because of an error. */
  TRAIN_ERROR: 'train-error',
  /**
   * { why, trainingLost, infos } or { why, trainingLost, error }: the WebGPU device was lost; the
   * generators moved to the CPU module (`infos`), or could not (`error`).
   */
  DEVICE_LOST: 'device-lost',
  /** { reason }: the wasm code trapped; the worker closes right after this (the page starts a new one). */
  FATAL: 'fatal',
});

/** A name for a new worker's life lock: unique, as lock names are shared by every tab of the site. */
export const lifeLockName = () => `ganplay-engine-${crypto.randomUUID?.() ?? Math.random().toString(36).slice(2)}`; // not shown

/**
 * Client side of the protocol: `call(kind, args, transfer)` returns a promise of the reply's result.
 * `onLost(reason)` is called once if the worker dies (terminated, closed after a wasm trap, killed
 * by the browser; `reason` is 'stopped', a code the page words): the worker holds a Web Lock named
 * after itself for its whole life, and the page asks for the same lock, which it gets only when the
 * worker is gone. Pending calls then fail.
 * `onError(text)` hears of an error event of the worker (pending calls fail then too).
 */
export class WorkerClient {
  constructor(worker, { onNote = () => {}, onLost = () => {}, onError = () => {} } = {}) {
    this.worker = worker;
    this.nextId = 1;
    this.pending = new Map();
    this.lost = false;
    this.onLost = onLost;
    worker.addEventListener('message', ({ data }) => {
      if (data.kind === Kit.ALIVE) {
        this.watch(worker.lockName);
      } else if (data.kind === Kit.REPLY) {
        const waiter = this.pending.get(data.id);
        if (!waiter) return;
        this.pending.delete(data.id);
        data.ok ? waiter.resolve(data.result) : waiter.reject(new Error(data.error));
      } else {
        onNote(data);
      }
    });
    worker.addEventListener('error', (e) => {
      const text = e.message ?? t('engine.workerUnknown');
      const err = new Error(t('engine.workerFailed', { why: text }));
      for (const w of this.pending.values()) w.reject(err);
      this.pending.clear();
      onError(text);
    });
  }

  watch(name) {
    if (!name || !globalThis.navigator?.locks) return;
    navigator.locks.request(name, () => this.fail('stopped'));
  }

  /** The worker is gone: every pending call fails, and `onLost` hears of it once. */
  fail(reason) {
    if (this.lost) return;
    this.lost = true;
    const err = new Error(t('engine.stopped'));
    for (const w of this.pending.values()) w.reject(err);
    this.pending.clear();
    this.onLost(reason);
  }

  call(kind, args = {}, transfer = []) {
    if (this.lost) return Promise.reject(new Error(t('engine.stopped')));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ id, kind, ...args }, transfer);
    });
  }
}

/** Starts the module worker at `url` with a life lock of its own, and returns its client. */
export function connect(url, handlers) {
  const name = lifeLockName();
  const worker = new Worker(workerUrl(url), { type: 'module', name }); // the worker speaks the page's language
  worker.lockName = name;
  return new WorkerClient(worker, handlers);
}
