// The benchmark's workloads, shared by the ganplay and TensorFlow.js pages so both run the same thing.
import { uniform, normals as gaussian } from '../www/js/gallery/latent.js';
import { roundFlops } from '../www/js/workers/backend.js';

/** ring8: the playground's reference config (batch 256, 3×64 ReLU MLPs, latent 2, non-saturating, Adam). */
export const RING8 = { batch: 256, width: 64, layers: 3, latent: 2, warmup: 50, timed: 500, readEvery: 50, lr: 1e-3, beta1: 0.5, beta2: 0.999 };

/** dcgan28-sample: z ∈ R^64 → Dense 6272 → ReLU → 7×7×128 → ConvT 64 (4, stride 2) → ReLU → ConvT 1 (4, stride 2) → tanh. */
export const DCGAN28 = { batch: 64, latent: 64, warmup: 3, timed: 20 };

/** The scaling table: ring8 at these batches × widths (CPU backend), each timed for about `seconds`. */
export const SCALING = { batches: [64, 256, 1024, 4096], widths: [16, 64, 256], seconds: 2, minIterations: 3 };

/** Dense-layer FLOPs of one ring8 iteration: the playground's own count (www/js/workers/backend.js, roundFlops). */
export function ringFlops({ batch, width, layers, latent }) {
  const net = { hidden_layers: layers, width };
  return roundFlops({ batch_size: batch, generator: { ...net, latent_dim: latent }, discriminator: net });
}

/** dcgan28-sample FLOPs per batch: the dense layer and the two transposed convolutions (4×4 kernels). */
export function dcganFlops({ batch, latent }) {
  const dense = latent * 6272;
  const up1 = 7 * 7 * 128 * 64 * 16; // each input pixel scatters a 4×4×64 patch
  const up2 = 14 * 14 * 64 * 1 * 16;
  return 2 * batch * (dense + up1 + up2);
}

/** Ring of 8 Gaussians (radius 2, σ 0.02), as ganplay's "ring" dataset, from a seeded uniform generator. */
export function ringBatch(n, rand) {
  const out = new Float32Array(2 * n);
  const noise = gaussian(rand, 2 * n);
  for (let i = 0; i < n; i++) {
    const a = (2 * Math.PI * Math.floor(rand() * 8)) / 8;
    out[2 * i] = 2 * Math.cos(a) + 0.02 * noise[2 * i];
    out[2 * i + 1] = 2 * Math.sin(a) + 0.02 * noise[2 * i + 1];
  }
  return out;
}

/** `n` standard normal values; the gallery's seeded noise (www/js/gallery/latent.js), argument order as the pages use it. */
export const normals = (n, rand) => gaussian(rand, n);

/** A seeded uniform generator on [0, 1): the gallery's mulberry32. */
export const seeded = uniform;

/**
 * Times `iterations` of ring8 training: `step(n)` runs n iterations, `read()` reads both losses back.
 * With `warmupSeconds`, the warm-up goes on (in steps of `readEvery`) until that long has passed:
 * the "warm" rows, where the browser's optimising wasm compiler has caught up (see bench/run.mjs).
 */
export async function timeRing(spec, step, read) {
  const { warmup, timed, readEvery, warmupSeconds = 0 } = spec;
  const w0 = performance.now();
  for (let done = 0; done < warmup || performance.now() - w0 < warmupSeconds * 1000; done += readEvery) {
    await step(done < warmup ? Math.min(readEvery, warmup - done) : readEvery);
    await read();
  }
  const t0 = performance.now();
  let losses;
  for (let done = 0; done < timed; done += readEvery) {
    await step(Math.min(readEvery, timed - done));
    losses = await read();
  }
  const s = (performance.now() - t0) / 1000;
  if (!losses.every(Number.isFinite)) throw new Error(`losses are not finite: ${losses}`);
  return { iterations: timed, seconds: s, perSecond: timed / s, flopsPerIteration: ringFlops(spec), losses };
}

/** Times `timed` batches of dcgan28-sample after `warmup`; `batch()` resolves to a Float32Array. */
export async function timeSample(spec, batch) {
  const n = spec.batch * 28 * 28;
  const check = (out) => {
    if (!(out instanceof Float32Array) || out.length !== n) throw new Error(`a batch came back with ${out?.length} values, not ${n}`);
    return out;
  };
  for (let i = 0; i < spec.warmup; i++) check(await batch());
  const t0 = performance.now();
  for (let i = 0; i < spec.timed; i++) check(await batch());
  const s = (performance.now() - t0) / 1000;
  return { batches: spec.timed, seconds: s, imagesPerSecond: (spec.timed * spec.batch) / s, flopsPerBatch: dcganFlops(spec) };
}
