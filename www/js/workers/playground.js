// The playground's module worker: owns the wasm instance and trains. The page only draws what this posts.
import { PlaygroundCall as Call, PlaygroundNote as Note } from '../protocol.js';
import { LIMITS } from '../limits.js';
import { clipMessage } from '../text.js';
import { t } from '../i18n.js';
import { engineMessage } from '../engine-messages.js';
import { chooseBackend, loadModule } from './backend.js';
import { holdLifeLock, serve, watchDevices, sleep, errorText } from './kit.js';

/** Target wall time of one training chunk between two frames, in ms: about 16 frames a second.
 * Each frame costs the page's main thread a repaint and a compositor commit; at 40 ms (25 a second)
 * a two-core machine, whose other core trains, showed 50–80 ms hitches on the main thread. */
const CHUNK_MS = 60;
/** Points read back per frame for drawing and metrics. */
const SAMPLES = 1024;
/** Picture sizes: heatmap grid side, latent grid side, arrow count. */
const HEATMAP = 48;
const MANIFOLD = 16;
const ARROWS = 256;

holdLifeLock();

/** An error as the page shows it: short (see the handlers below), in the page's language (engine-messages.js). */
const shown = (e) => engineMessage(clipMessage(errorText(e)));

/**
 * A trap in the wasm code (a Rust panic, an out-of-memory) leaves the instance unusable: say why,
 * then close this worker, so the page starts a fresh one from the last autosave.
 */
function fatal(e) {
  if (!(e instanceof WebAssembly.RuntimeError)) return false;
  const why = clipMessage(e.message);
  // `fatal` is a code with the trap's own words, which the page words (playground/recovery.js).
  postMessage({ kind: Note.ERROR, message: t('engine.crashed', { why }), fatal: `crashed (${why})` });
  setTimeout(() => self.close(), 0);
  return true;
}

// ------------------------------------------------------------------ WebGPU device loss
// The weights on a lost device cannot be read any more, so while training on WebGPU the worker
// keeps a copy as a model file, refreshed at most every COPY_MS; the page continues from it on the CPU.
const COPY_MS = 2000;
let copy = null; // { model, at }
let backendNow = null; // 'cpu' | 'webgpu'
let requestedNow = null; // what the page asked for: 'auto' | 'cpu' | 'webgpu'
watchDevices((info) => {
  if (backendNow !== 'webgpu') return;
  playing = false;
  postMessage({ kind: Note.DEVICE_LOST, reason: info.reason ?? 'unknown', detail: info.message ?? '', model: copy?.model ?? null });
  setTimeout(() => self.close(), 0);
});

/** Refreshes the copy of the run kept against a device loss (WebGPU only; `force` ignores COPY_MS). */
async function keepCopy(force = false) {
  if (backendNow !== 'webgpu' || !playground) return;
  const now = performance.now();
  if (!force && copy && now - copy.at < COPY_MS) return;
  try {
    copy = { model: await playground.export(), at: now };
  } catch {
    // A device lost mid-read: the loss handler reports it with the previous copy.
  }
}

let mod = null; // the loaded wasm module
let playground = null; // the wasm Playground
let playing = false;
let loopRunning = false;
let chunk = 1; // rounds per chunk, adapted to CHUNK_MS
let maxIps = Infinity;
let itersPerSec = 0;
let view = { heatmap: true, manifold: false, arrows: false };
let idleMs = 0; // asked for by the page (Call.PACE)

/** While playing, the pictures (heatmap, manifold, arrows) are recomputed at most this often; frames
 * in between reuse the last ones. They cost about as much as a training round. */
const PICTURES_MS = 120;
let pictures = null;
let picturesAt = -Infinity;
const PICTURE_KEYS = ['heatmap', 'manifold', 'arrows'];
let lastNorm = NaN; // G's gradient norm as last measured (see readout)

/**
 * Reads the run for a frame. G's gradient norm costs a backward pass through D: it comes at the
 * pictures' rate too; with `norm: false` the last one measured stands.
 */
async function readout({ norm = true } = {}) {
  const now = performance.now();
  const fresh = !playing || !pictures || now - picturesAt >= PICTURES_MS;
  const measure = fresh && norm;
  const r = await playground.readout(
    SAMPLES,
    fresh && view.heatmap ? HEATMAP : 0,
    fresh && view.manifold ? MANIFOLD : 0,
    fresh && view.arrows ? ARROWS : 0,
    measure,
  );
  if (measure) lastNorm = r.gradNorm;
  else r.gradNorm = lastNorm;
  if (fresh) {
    picturesAt = now;
    pictures = { manifoldRows: r.manifoldRows, manifoldCols: r.manifoldCols };
    for (const k of PICTURE_KEYS) pictures[k] = r[k].slice();
  } else {
    r.manifoldRows = pictures.manifoldRows;
    r.manifoldCols = pictures.manifoldCols;
    for (const k of PICTURE_KEYS) r[k] = pictures[k].slice(); // each frame's buffers are transferred away
  }
  return r;
}

/** Whether the run stands at its last checkpoint: the last frame was finite, or rolled back to a finite state. */
let atCheckpoint = false;

/** Reads a frame (`opts` as readout takes them); a non-finite one rolls back to the last good state and pauses. */
async function readFrame(opts) {
  const r = await readout(opts);
  if (r.finite) {
    playground.checkpoint();
    atCheckpoint = true;
    return { kind: Note.FRAME, ...r, itersPerSec };
  }
  const at = r.iteration;
  const rolled = playground.rollback();
  playing = false;
  const back = await readout();
  atCheckpoint = rolled && back.finite;
  // Say "rolled back" only when the state returned to is itself finite.
  const message = rolled && back.finite ? t('engine.diverged', { at, back: back.iteration }) : t('engine.divergedStuck', { at });
  postMessage({ kind: Note.DIVERGED, iteration: back.iteration, message });
  return { kind: Note.FRAME, ...back, itersPerSec: 0, rolledBack: true };
}

// ------------------------------------------------------------------ changes while training
// A change takes effect between two rounds, never inside one (a heavy round yields between its
// updates): a person's change waits for the chunk under way (atBoundary); a link's changes stop
// training at their iteration (trainRounds), so a run with changes is the same however it is played.
let schedule = []; // [{ at, config }], by iteration (see Call.SCHEDULE)
let plan = 0; // the page's id of the schedule, sent back with each change made
let boundary = []; // changes waiting for the chunk under way to end

/** A new schedule (`edits` from the page: [{ at, config }]); the changes due now are made at once. */
function setSchedule(edits = [], id = 0) {
  if (!Array.isArray(edits)) throw new Error(t('engine.notList'));
  schedule = edits.map(({ at, config }) => ({ at: Number(at), config })).filter((e) => Number.isSafeInteger(e.at)).sort((a, b) => a.at - b.at);
  plan = id;
  applyDue();
}

/** Runs `task` now when no chunk is under way, else right after the chunk's frame. */
function atBoundary(task) {
  if (!loopRunning) return Promise.resolve().then(task);
  return new Promise((resolve, reject) => boundary.push(() => {
    try {
      resolve(task());
    } catch (e) {
      reject(e);
    }
  }));
}

const drainBoundary = () => boundary.splice(0).forEach((task) => task());

/** The running model takes `config`'s optimiser settings; the rollback point moves with it, so a rollback keeps them. */
function retune(config) {
  const done = JSON.parse(playground.retune(JSON.stringify(config)));
  newConfig(config);
  if (atCheckpoint) playground.checkpoint();
  return { iteration: playground.iteration(), freshMoments: done.fresh_moments ?? [] };
}

/**
 * Makes the scheduled changes due at the current iteration (and drops any the run went past). One
 * the engine refuses is not made, and the note says why; training goes on without it.
 */
function applyDue() {
  const now = playground.iteration();
  while (schedule.length && schedule[0].at <= now) {
    const { at, config } = schedule.shift();
    if (at < now) continue;
    try {
      const done = retune(config);
      postMessage({ kind: Note.RETUNED, at, plan, freshMoments: done.freshMoments });
    } catch (e) {
      if (e instanceof WebAssembly.RuntimeError) throw e;
      postMessage({ kind: Note.RETUNED, at, plan, error: shown(e) });
    }
  }
}

/** How many of `rounds` may run before the next scheduled change. */
function roundsBeforeChange(rounds) {
  return schedule.length ? Math.max(1, Math.min(rounds, schedule[0].at - playground.iteration())) : rounds;
}

function postFrame(frame) {
  const buffers = ['real', 'fake', 'heatmap', 'manifold', 'arrows'].map((k) => frame[k].buffer);
  postMessage(frame, buffers);
}

// Yields to pending messages without the 4 ms clamp that nested setTimeout(0) gets.
const channel = new MessageChannel();
const waiting = [];
channel.port1.onmessage = () => waiting.shift()?.();
const yieldNow = () => new Promise((r) => { waiting.push(r); channel.port2.postMessage(0); });

async function trainLoop() {
  if (loopRunning) return;
  loopRunning = true;
  try {
    let lastFrameAt = performance.now();
    while (playing) {
      const t0 = performance.now();
      const asked = Number.isFinite(maxIps) ? Math.max(1, Math.round((maxIps * CHUNK_MS) / 1000)) : chunk;
      const rounds = await trainRounds(asked, () => playing);
      const frame = await readFrame();
      const now = performance.now();
      if (!Number.isFinite(maxIps)) {
        const took = Math.max(now - t0, 0.1);
        chunk = Math.max(1, Math.min(1000, Math.round(chunk * Math.min(2, Math.max(0.5, CHUNK_MS / took)))));
      } else {
        // Wait out the rest of this chunk's time slot, in slices so a pause is quick.
        const slot = t0 + (rounds * 1000) / maxIps;
        while (playing && performance.now() < slot) await sleep(Math.min(20, slot - performance.now()));
      }
      const end = performance.now();
      // A chunk cut short by a pause would overstate the rate: keep the last full one.
      if (!frame.rolledBack && playing) frame.itersPerSec = itersPerSec = (rounds * 1000) / Math.max(end - lastFrameAt, 0.1);
      lastFrameAt = end;
      postFrame(frame);
      await keepCopy();
      drainBoundary();
      // Let requests (pause, reset) in between chunks; and where the page's frames run long (a
      // machine with few cores), leave the CPU to it for a moment.
      if (idleMs > 0) await sleep(idleMs);
      else await yieldNow();
    }
  } catch (e) {
    playing = false;
    if (!fatal(e)) postMessage({ kind: Note.ERROR, message: shown(e) });
  } finally {
    loopRunning = false;
    drainBoundary();
  }
}

/** A round slower than this is trained one network update at a time, yielding in between. */
const HEAVY_MS = 100;
/** The last measured time of one round; unknown (so measured step by step) after a new config. */
let roundMs = Infinity;
let steps = { d: 1, g: 1 }; // k_D and k_G of the current config

function newConfig(config) {
  steps = { d: Number(config?.k_d) || LIMITS.k_d.def, g: Number(config?.k_g) || LIMITS.k_g.def };
  roundMs = Infinity;
}

/**
 * Trains up to `asked` rounds, first making the scheduled changes due, and stopping at the next
 * one's iteration; returns how many were completed. Light rounds run in one wasm call;
 * a heavy one (the largest networks and batches take seconds) runs as its k_D + k_G updates with a
 * yield after each, so a pause is answered within one update and the page hears of the progress.
 * Stopped mid-round by `keepGoing`, the updates made so far stay and the round is not counted.
 */
async function trainRounds(asked, keepGoing) {
  applyDue();
  const rounds = roundsBeforeChange(asked);
  atCheckpoint = false;
  if (roundMs < HEAVY_MS) {
    const t0 = performance.now();
    playground.train(rounds);
    roundMs = (performance.now() - t0) / rounds;
    return rounds;
  }
  const total = steps.d + steps.g;
  const t0 = performance.now();
  for (let i = 0; i < total; i++) {
    if (i < steps.d) playground.stepD();
    else playground.stepG();
    if (performance.now() - t0 > HEAVY_MS) postMessage({ kind: Note.PROGRESS, step: i + 1, of: total });
    await yieldNow();
    if (!keepGoing()) return 0;
  }
  playground.endRound();
  roundMs = performance.now() - t0;
  return 1;
}

async function stop() {
  playing = false;
  while (loopRunning) await sleep(1);
}

/**
 * Trains a throwaway copy for a moment right after start-up, so the browser compiles the hot wasm
 * code with its optimising tier now rather than in the first second of the user's training (on a
 * two-core machine that compilation starves the page's main thread).
 */
let warmedUp = false;
async function warmUp() {
  warmedUp = true;
  // A small fixed model: the same code paths as any model, and quick whatever the user chose.
  const spare = await mod.Playground.create('cpu', JSON.stringify({ batch_size: 64 }), undefined);
  try {
    for (let i = 0; i < 8; i++) {
      spare.train(10);
      await spare.readout(SAMPLES, HEATMAP, MANIFOLD, ARROWS, true);
      await sleep(0);
    }
  } finally {
    spare.free();
    postMessage({ kind: Note.WARM });
  }
}

const points = (p) => (p && p.length ? Float32Array.from(p) : undefined);

/** Starts a new engine on `choice` (chooseBackend's answer for `requested`) for `config`, with `edits` to make (see setSchedule). */
async function begin(requested, { backend: chosen, small }, config, cloud, edits = [], id = 0) {
  await stop();
  const { m } = await loadModule(chosen);
  const next = await m.Playground.create(chosen, JSON.stringify(config), points(cloud));
  newConfig(config);
  playground?.free();
  mod = m;
  playground = next;
  backendNow = chosen;
  requestedNow = requested;
  atCheckpoint = false;
  setSchedule(edits, id);
  await keepCopy(true);
  itersPerSec = 0;
  const info = JSON.parse(playground.info());
  if (small) info.autoSmall = true;
  // Without G's gradient norm (here and in the VIEW that follows): on a software GPU its first
  // backward pass compiles for half a minute, and the page waits for these frames; the first step measures it.
  lastNorm = NaN;
  postFrame(await readFrame({ norm: false }));
  chunk = 1;
  if (chosen === 'cpu' && !warmedUp) later(() => warmUp()).catch(() => postMessage({ kind: Note.WARM }));
  else postMessage({ kind: Note.WARM });
  return info;
}

const handlers = {
  async [Call.INIT]({ backend: requested, config, points: cloud }) {
    await stop();
    return begin(requested, await chooseBackend(requested, config), config, cloud);
  },
  async [Call.RESET]({ config, points: cloud, edits, plan: id }) {
    const wasPlaying = playing;
    await stop();
    // Under "auto", new networks that are on the wrong side of GPU_WORTH_MFLOP move to the other
    // backend (a fresh engine: the networks are new anyway). The reply is the new backend's info.
    if (requestedNow === 'auto') {
      const choice = await chooseBackend('auto', config);
      if (choice.backend !== backendNow) {
        try {
          return await begin('auto', choice, config, cloud, edits, id);
        } finally {
          // On an error the old run stays (INIT replaces it only once the new one exists).
          if (wasPlaying) {
            playing = true;
            trainLoop();
          }
        }
      }
    }
    try {
      playground.reset(JSON.stringify(config), points(cloud));
      newConfig(config);
      atCheckpoint = false;
      setSchedule(edits, id);
      chunk = 1;
      itersPerSec = 0;
      postFrame(await readFrame());
      await keepCopy(true);
    } finally {
      // On an error the old run stays, and goes on if it was playing.
      if (wasPlaying) {
        playing = true;
        trainLoop();
      }
    }
    return null;
  },
  async [Call.RETUNE]({ config }) {
    const done = await atBoundary(() => {
      const made = retune(config);
      schedule = [];
      return made;
    });
    // Paused, the picture shows the same state under the new settings at once: switch the
    // objective and the arrows and G's gradient norm change before any round (lesson 5).
    if (!playing) {
      pictures = null;
      postFrame(await readFrame());
    }
    return done;
  },
  async [Call.SCHEDULE]({ edits, plan: id }) {
    return atBoundary(() => {
      setSchedule(edits, id);
      return null;
    });
  },
  async [Call.PLAY]() {
    playing = true;
    trainLoop();
    return null;
  },
  async [Call.PAUSE]() {
    await stop();
    return null;
  },
  async [Call.STEP]({ rounds = 1 }) {
    await stop();
    const n = Math.max(1, Math.min(1000, rounds | 0));
    for (let done = 0; done < n; ) done += await trainRounds(n - done, () => true);
    await keepCopy(true); // before the frame: what the page shows is always in the copy
    postFrame(await readFrame());
    return null;
  },
  async [Call.STEP_D]() {
    await stop();
    applyDue();
    atCheckpoint = false;
    playground.stepD();
    await keepCopy(true); // before the frame: what the page shows is always in the copy
    postFrame(await readFrame());
    return null;
  },
  async [Call.STEP_G]() {
    await stop();
    applyDue();
    atCheckpoint = false;
    playground.stepG();
    await keepCopy(true); // before the frame: what the page shows is always in the copy
    postFrame(await readFrame());
    return null;
  },
  async [Call.SPEED]({ ips }) {
    maxIps = typeof ips === 'number' && ips > 0 ? ips : Infinity;
    return null;
  },
  async [Call.PACE]({ idleMs: ms }) {
    idleMs = Number.isFinite(ms) ? Math.max(0, Math.min(40, ms)) : 0;
    return null;
  },
  async [Call.VIEW](next) {
    view = { heatmap: !!next.heatmap, manifold: !!next.manifold, arrows: !!next.arrows };
    pictures = null;
    if (!playing) postFrame(await readFrame({ norm: false }));
    return null;
  },
  async [Call.EXPLAIN]({ shown = 64 }) {
    await stop();
    applyDue();
    atCheckpoint = false;
    const e = await playground.explain(shown, HEATMAP);
    postFrame(await readFrame());
    await keepCopy(true);
    return e;
  },
  async [Call.EXPORT]() {
    const text = await playground.export();
    if (backendNow === 'webgpu') copy = { model: text, at: performance.now() };
    return text;
  },
  async [Call.IMPORT]({ text, edits, plan: id }) {
    if (typeof text !== 'string') throw new Error(t('engine.notText'));
    const wasPlaying = playing;
    await stop();
    try {
      const config = JSON.parse(playground.import(text));
      newConfig(config);
      atCheckpoint = false;
      setSchedule(edits, id);
      chunk = 1;
      itersPerSec = 0;
      await keepCopy(true);
      return { config, points: playground.points(), iteration: playground.iteration() };
    } finally {
      postFrame(await readFrame());
      if (wasPlaying) {
        playing = true;
        trainLoop();
      }
    }
  },
  async [Call.THUMBS]({ names, count }) {
    return Object.fromEntries(names.map((n) => [n, mod.sampleDataset(n, 7, count)]));
  },
};

// An error goes back to the page short: the engine's messages quote input (a model file's 10 MB
// "format" field, say), and only an excerpt of it should cross to the page's thread. It goes in the
// page's language. A wasm trap stays as it is (see fatal).
for (const [kind, handler] of Object.entries(handlers)) {
  handlers[kind] = async (args) => {
    try {
      return await handler(args);
    } catch (e) {
      throw e instanceof WebAssembly.RuntimeError ? e : new Error(shown(e));
    }
  };
}

// Calls are answered one at a time, in order; a wasm trap closes the worker after its reply.
const later = serve(handlers, {
  check: ({ kind }) => {
    if (!playground && kind !== Call.INIT) throw new Error(t('engine.notReady'));
  },
  failed: fatal,
});
