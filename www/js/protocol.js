// Every message between the page and the worker, in one place.
//
// Requests go page → worker as { id, kind, ...args } and are answered exactly once with
// { id, kind: 'reply', ok: true, result } or { id, kind: 'reply', ok: false, error }.
// Events go worker → page unasked, without an id.

/** Requests the page may send. */
export const Request = Object.freeze({
  /** { backend: 'auto'|'cpu'|'webgpu', config, points? } → BackendInfo { backend, adapter, webgpu_built }. */
  INIT: 'init',
  /** { config, points? } → null. Rebuilds networks and optimisers from the config and the seed. */
  RESET: 'reset',
  /** {} → null. Starts training rounds in a loop, posting FRAME events. */
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
  /** { text } → { config, points }. Continues the run of a model file; on error nothing changes. */
  IMPORT: 'import',
  /** { names, count } → { [name]: Float32Array } samples of built-in datasets for thumbnails. */
  THUMBS: 'thumbs',
});

/** Events the worker posts without being asked. */
export const Event = Object.freeze({
  /**
   * Frame: { iteration, dLoss, gLoss, real, fake, ema, heatmap, heatmapProbability, manifold,
   * manifoldRows, manifoldCols, arrows, finite, metrics, itersPerSec } (point lists are Float32Arrays).
   */
  FRAME: 'frame',
  /** { message }: training stopped because of an error. */
  ERROR: 'error',
  /** {}: the start-up warm-up of the wasm code is done (see warmUp in worker.js). */
  WARM: 'warm',
  /** { message, iteration }: a loss or weight became NaN/Inf; training paused and rolled back to `iteration`. */
  DIVERGED: 'diverged',
  /**
   * { reason, detail, model }: the WebGPU device was lost. `model` is the run as a model file from
   * at most a couple of seconds before (null if none); the worker closes right after this.
   */
  DEVICE_LOST: 'device-lost',
  /** { step, of }: progress through one heavy round (see trainRounds in worker.js). */
  PROGRESS: 'progress',
  /** {}: the worker holds its life lock (see WorkerClient.watch); the page may now wait on it. */
  ALIVE: 'alive',
});

export const REPLY = 'reply';

/** A name for a new worker's life lock: unique, as lock names are shared by every tab of the site. */
export const lifeLockName = () => `ganplay-engine-${crypto.randomUUID?.() ?? Math.random().toString(36).slice(2)}`;

/**
 * Client side of the protocol: `call(kind, args)` returns a promise of the reply's result.
 * `onLost(reason)` is called once if the worker dies (terminated, closed after a wasm trap, killed
 * by the browser): the worker holds a Web Lock named after itself for its whole life, and the page
 * asks for the same lock, which it gets only when the worker is gone. Pending calls then fail.
 */
export class WorkerClient {
  constructor(worker, onEvent, onLost = () => {}) {
    this.worker = worker;
    this.nextId = 1;
    this.pending = new Map();
    this.lost = false;
    this.onLost = onLost;
    worker.addEventListener('message', ({ data }) => {
      if (data.kind === Event.ALIVE) {
        this.watch(worker.lockName);
      } else if (data.kind === REPLY) {
        const waiter = this.pending.get(data.id);
        if (!waiter) return;
        this.pending.delete(data.id);
        data.ok ? waiter.resolve(data.result) : waiter.reject(new Error(data.error));
      } else {
        onEvent(data);
      }
    });
    worker.addEventListener('error', (e) => {
      const err = new Error(`the worker failed: ${e.message ?? 'unknown error'}`);
      for (const w of this.pending.values()) w.reject(err);
      this.pending.clear();
      onEvent({ kind: Event.ERROR, message: err.message });
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
    const err = new Error(`the engine ${reason}`);
    for (const w of this.pending.values()) w.reject(err);
    this.pending.clear();
    this.onLost(reason);
  }

  call(kind, args = {}) {
    if (this.lost) return Promise.reject(new Error('the engine stopped'));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ id, kind, ...args });
    });
  }
}
