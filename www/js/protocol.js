// Every message between the page and the worker, in one place.
//
// Requests go page → worker as { id, kind, ...args } and are answered exactly once with
// { id, kind: 'reply', ok: true, result } or { id, kind: 'reply', ok: false, error }.
// Events go worker → page unasked, without an id.

/** Requests the page may send. */
export const Request = Object.freeze({
  /** { backend: 'auto'|'cpu'|'webgpu', config } → { backend, adapter, fallback, ... } (see BackendInfo). */
  INIT: 'init',
  /** { config } → null. Rebuilds networks and optimisers from the config and the seed. */
  RESET: 'reset',
  /** {} → null. Starts training rounds in a loop, posting FRAME events. */
  PLAY: 'play',
  /** {} → null. */
  PAUSE: 'pause',
  /** { rounds } → Frame. Runs rounds while paused and answers with the new frame. */
  STEP: 'step',
});

/** Events the worker posts without being asked. */
export const Event = Object.freeze({
  /** Frame: { iteration, dLoss, gLoss, real: Float32Array, fake: Float32Array, metrics, itersPerSec }. */
  FRAME: 'frame',
  /** { message }: training stopped because of an error. */
  ERROR: 'error',
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
