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
});

export const REPLY = 'reply';

/** Client side of the protocol: `call(kind, args)` returns a promise of the reply's result. */
export class WorkerClient {
  constructor(worker, onEvent) {
    this.worker = worker;
    this.nextId = 1;
    this.pending = new Map();
    worker.addEventListener('message', ({ data }) => {
      if (data.kind === REPLY) {
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

  call(kind, args = {}) {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ id, kind, ...args });
    });
  }
}
