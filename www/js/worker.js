// The module worker that owns the wasm instance. The page only draws what this posts.
import { Request, Event, REPLY } from './protocol.js';

/** Target wall time of one training chunk between two frames, in ms. */
const CHUNK_MS = 40;
/** Points read back per frame for drawing and metrics. */
const SAMPLES = 1024;

let playground = null; // the wasm Playground
let playing = false;
let loopRunning = false;
let chunk = 1; // rounds per chunk, adapted to CHUNK_MS
let lastFrameAt = 0;
let roundsSinceFrame = 0;
let itersPerSec = 0;

/** Finds an adapter without touching wasm: creating a WebGPU device where none exists would kill the instance. */
async function webgpuAdapter() {
  if (!('gpu' in navigator) || !navigator.gpu) return null;
  try {
    return await navigator.gpu.requestAdapter();
  } catch {
    return null;
  }
}

/** Loads the module for the requested backend: the small CPU module, or the WebGPU module only where WebGPU exists. */
async function loadModule(backend) {
  let which = 'cpu';
  if (backend === 'webgpu' || backend === 'auto') {
    const adapter = await webgpuAdapter();
    if (adapter) which = 'gpu';
    else if (backend === 'webgpu') throw new Error('WebGPU is not available in this browser (navigator.gpu gives no adapter); choose "cpu" or "auto"');
  } else if (backend !== 'cpu') {
    throw new Error(`unknown backend "${backend}"; expected "auto", "webgpu" or "cpu"`);
  }
  const mod = await import(`../pkg/${which}/ganplay.js`);
  await mod.default();
  return { mod, backend: which === 'gpu' ? 'webgpu' : 'cpu' };
}

async function readFrame() {
  const r = await playground.readout(SAMPLES);
  return { kind: Event.FRAME, ...r, itersPerSec };
}

function postFrame(frame) {
  postMessage(frame, [frame.real.buffer, frame.fake.buffer]);
}

async function trainLoop() {
  if (loopRunning) return;
  loopRunning = true;
  lastFrameAt = performance.now();
  roundsSinceFrame = 0;
  try {
    while (playing) {
      const t0 = performance.now();
      playground.train(chunk);
      roundsSinceFrame += chunk;
      const frame = await readFrame();
      const now = performance.now();
      const took = Math.max(now - t0, 0.1);
      chunk = Math.max(1, Math.min(1000, Math.round(chunk * Math.min(2, Math.max(0.5, CHUNK_MS / took)))));
      itersPerSec = (roundsSinceFrame * 1000) / Math.max(now - lastFrameAt, 0.1);
      frame.itersPerSec = itersPerSec;
      lastFrameAt = now;
      roundsSinceFrame = 0;
      postFrame(frame);
      // Let requests (pause, reset) in between chunks.
      await new Promise((r) => setTimeout(r, 0));
    }
  } catch (e) {
    playing = false;
    postMessage({ kind: Event.ERROR, message: String(e?.message ?? e) });
  } finally {
    loopRunning = false;
  }
}

async function waitForLoop() {
  while (loopRunning) await new Promise((r) => setTimeout(r, 1));
}

const handlers = {
  async [Request.INIT]({ backend, config }) {
    playing = false;
    await waitForLoop();
    const { mod, backend: chosen } = await loadModule(backend);
    const next = await mod.Playground.create(chosen, JSON.stringify(config));
    playground?.free();
    playground = next;
    itersPerSec = 0;
    const info = JSON.parse(playground.info());
    postFrame(await readFrame());
    return info;
  },
  async [Request.RESET]({ config }) {
    const wasPlaying = playing;
    playing = false;
    await waitForLoop();
    playground.reset(JSON.stringify(config));
    itersPerSec = 0;
    postFrame(await readFrame());
    if (wasPlaying) {
      playing = true;
      trainLoop();
    }
    return null;
  },
  async [Request.PLAY]() {
    playing = true;
    trainLoop();
    return null;
  },
  async [Request.PAUSE]() {
    playing = false;
    await waitForLoop();
    return null;
  },
  async [Request.STEP]({ rounds = 1 }) {
    playing = false;
    await waitForLoop();
    playground.train(rounds);
    const frame = await readFrame();
    postFrame(frame);
    return null;
  },
};

// Requests are handled one at a time, in order.
let queue = Promise.resolve();
self.addEventListener('message', ({ data }) => {
  queue = queue.then(async () => {
    const handler = handlers[data.kind];
    try {
      if (!handler) throw new Error(`unknown request "${data.kind}"`);
      if (!playground && data.kind !== Request.INIT) throw new Error('the engine is not initialised yet');
      postMessage({ id: data.id, kind: REPLY, ok: true, result: await handler(data) });
    } catch (e) {
      postMessage({ id: data.id, kind: REPLY, ok: false, error: String(e?.message ?? e) });
    }
  });
});
