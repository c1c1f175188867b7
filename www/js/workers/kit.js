// What every worker shares: the life lock its page watches, the loop that answers calls, and the
// hook that hears of a lost WebGPU device. The message kinds themselves are in ../protocol.js.
import { Kit } from '../protocol.js';
import { t } from '../i18n.js';

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** The text of anything thrown. */
export const errorText = (e) => String(e?.message ?? e);

/**
 * The body of a fetch Response as bytes, at most `cap` of them: a Content-Length over `cap` is
 * refused before anything is read, and the download is cancelled as soon as it passes `cap`, so a
 * huge or endless file never fills memory. `tooLarge(size)` and `stopped()` word the errors;
 * `progress(loaded, total)` hears of each chunk (total: the Content-Length, else `cap`).
 */
export async function readCapped(res, cap, { tooLarge, stopped, progress } = {}) {
  const declared = Number(res.headers.get('content-length'));
  if (declared > cap) {
    res.body?.cancel().catch(() => {});
    throw new Error(tooLarge ? tooLarge(declared) : t('common.file.tooLarge', { n: declared, max: cap }));
  }
  const total = declared > 0 ? declared : cap;
  const parts = [];
  let loaded = 0;
  if (res.body) {
    const reader = res.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      loaded += value.length;
      if (loaded > cap) {
        reader.cancel().catch(() => {});
        throw new Error(stopped ? stopped() : t('common.file.stopped', { max: cap }));
      }
      parts.push(value);
      progress?.(loaded, total);
    }
  }
  const bytes = new Uint8Array(loaded);
  let at = 0;
  for (const p of parts) {
    bytes.set(p, at);
    at += p.length;
  }
  return bytes;
}

/**
 * Holds a lock named after this worker for its whole life: the page waits on the same lock and so
 * learns at once if this worker dies (see WorkerClient in protocol.js). A worker started without a
 * name (or a browser without Web Locks) goes unwatched.
 */
export function holdLifeLock() {
  if (!self.name || !self.navigator?.locks) return;
  navigator.locks.request(self.name, () => {
    postMessage({ kind: Kit.ALIVE });
    return new Promise(() => {});
  });
}

/**
 * Answers the page's calls with `handlers[kind](args)`: one at a time, in order, each exactly once
 * (a reply with the result, or with the error's text). Options: `check(call)` throws where a call
 * may not run yet; `transfer(result)` lists the buffers the reply hands over; `failed(error)` runs
 * after a failed call's reply. Returns `later(fn)`, which runs `fn` after the calls received so far
 * (and before any received after it) and resolves to its result.
 */
export function serve(handlers, { check = () => {}, transfer = () => [], failed = () => {} } = {}) {
  let queue = Promise.resolve();
  const later = (fn) => {
    const run = queue.then(fn);
    queue = run.catch(() => {});
    return run;
  };
  self.addEventListener('message', ({ data }) => {
    later(async () => {
      const handler = Object.hasOwn(handlers, data.kind) ? handlers[data.kind] : null;
      try {
        if (!handler) throw new Error(t('common.worker.unknownCall', { kind: String(data.kind) }));
        check(data);
        const result = await handler(data);
        postMessage({ id: data.id, kind: Kit.REPLY, ok: true, result }, transfer(result));
      } catch (e) {
        postMessage({ id: data.id, kind: Kit.REPLY, ok: false, error: errorText(e) });
        failed(e);
      }
    });
  });
  return later;
}

/**
 * Keeps every GPUDevice this worker creates (burn's wgpu asks for it through the prototype) in
 * `self.ganplayDevices`, and calls `onLost(info)` when the newest one is lost: a driver reset, a GPU
 * unplugged, or `device.destroy()` in a test.
 */
export function watchDevices(onLost) {
  self.ganplayDevices = [];
  if (!self.GPUAdapter) return;
  const requestDevice = GPUAdapter.prototype.requestDevice;
  GPUAdapter.prototype.requestDevice = async function (...args) {
    const device = await requestDevice.apply(this, args);
    self.ganplayDevices.push(device);
    device.lost.then((info) => {
      if (device === self.ganplayDevices.at(-1)) onLost(info);
    });
    return device;
  };
}
