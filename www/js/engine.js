// Loading the right wasm module in a worker: the small CPU module everywhere, the WebGPU module
// only where navigator.gpu gives an adapter (creating a WebGPU device without one kills the instance).

/** The browser's WebGPU adapter, or null; never touches wasm. */
export async function webgpuAdapter() {
  if (!('gpu' in navigator) || !navigator.gpu) return null;
  try {
    return await navigator.gpu.requestAdapter();
  } catch {
    return null;
  }
}

/**
 * Below this much dense-layer work per round, "auto" trains the playground on the CPU even where
 * WebGPU exists. On a GPU a round costs its kernel launches (about a hundred, some 8 ms on an H100
 * natively, whatever the size up to batch 1024 × width 256), and the CPU path does 15–18 GFLOP/s:
 * 8 ms of it is about 130 MFLOP. ring8 (batch 256, 3 × 64) is 52 MFLOP. See README "On a real GPU".
 */
export const GPU_WORTH_MFLOP = 150;

/**
 * Dense-layer FLOPs of one playground round for a TrainConfig, multiply-adds counted as 2 (the
 * benchmark's count too). Per sample, with G and D the multiply-adds of one forward pass:
 *   D update: G forward (G) + D forward on real and fake (2D) + D backward, weights and inputs (4D)
 *   G update: G forward (G) + D forward (D) + D backward to its input only (D) + G backward (2G)
 * = 4G + 8D per sample at k_D = k_G = 1: the work the update needs, and what TF.js does too (its
 * minimize(…, varList) and ganplay's frozen D take no gradient for D's weights in the G update).
 * Adam and the element-wise work are left out (they are O(parameters)).
 */
export function roundFlops(config) {
  const g = config.generator ?? {}, d = config.discriminator ?? {};
  const dense = (dIn, layers, width, dOut) => (layers > 0 ? dIn * width + (layers - 1) * width * width + width * dOut : dIn * dOut);
  const G = dense(g.latent_dim ?? 2, g.hidden_layers ?? 3, g.width ?? 64, 2);
  const D = dense(2, d.hidden_layers ?? 3, d.width ?? 64, 1);
  const kD = config.k_d ?? 1, kG = config.k_g ?? 1;
  return 2 * (config.batch_size ?? 256) * (kD * (G + 6 * D) + kG * (3 * G + 2 * D));
}

/**
 * The backend to ask for: where WebGPU exists, "auto" becomes "cpu" for a network too small to gain
 * from a GPU (`small` says so); without WebGPU "auto" stays, and loadModule falls back to the CPU.
 */
export async function playgroundBackend(requested, config) {
  if (requested !== 'auto' || roundFlops(config) >= GPU_WORTH_MFLOP * 1e6) return { backend: requested, small: false };
  return (await webgpuAdapter()) ? { backend: 'cpu', small: true } : { backend: requested, small: false };
}

/**
 * Loads the module for 'auto' | 'cpu' | 'webgpu' | 'sample': `{ m, chosen: 'cpu' | 'webgpu', module }`.
 * 'sample' is the sampling-only CPU module (no training; about half the size): the gallery's first
 * samples come from it.
 */
export async function loadModule(requested) {
  let which = 'cpu';
  if (requested === 'sample') {
    which = 'sample';
  } else if (requested === 'webgpu' || requested === 'auto') {
    const adapter = await webgpuAdapter();
    if (adapter) which = 'gpu';
    else if (requested === 'webgpu') throw new Error('WebGPU is not available in this browser (navigator.gpu gives no adapter); choose "cpu" or "auto"');
  } else if (requested !== 'cpu') {
    throw new Error(`unknown backend "${requested}"; expected "auto", "webgpu" or "cpu"`);
  }
  const m = await import(`../pkg/${which}/ganplay.js`);
  await m.default();
  return { m, chosen: which === 'gpu' ? 'webgpu' : 'cpu', module: which };
}
