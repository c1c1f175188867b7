// Which backend a worker runs, and loading its wasm module: the small CPU module everywhere, the
// WebGPU module only where navigator.gpu gives an adapter (creating a WebGPU device without one
// kills the instance). What "auto" means is decided here, in chooseBackend, and nowhere else: the
// wasm side is always given 'cpu' or 'webgpu'.
import { LIMITS } from '../limits.js';
import { t } from '../i18n.js';

/** The browser's WebGPU adapter, or null; never touches wasm. */
export async function webgpuAdapter() {
  if (!('gpu' in navigator) || !navigator.gpu) return null;
  try {
    return await navigator.gpu.requestAdapter();
  } catch {
    return null;
  }
}

const noWebgpu = () => new Error(t('common.backend.noWebgpu'));
const unknownBackend = (b) => new Error(t('common.backend.unknown', { backend: String(b) }));

/**
 * Below this much dense-layer work per round, "auto" trains the playground on the CPU even where
 * WebGPU exists. On a GPU a round costs its kernel launches (about a hundred, some 8 ms on an H100
 * natively, whatever the size up to batch 1024 × width 256), and the CPU path does 15–18 GFLOP/s:
 * 8 ms of it is about 130 MFLOP. ring8 (batch 256, 3 × 64) is 52 MFLOP. See docs/benchmark.md, "On a real GPU".
 */
export const GPU_WORTH_MFLOP = 150;

/** A config field, or the engine's default for it. */
const field = (config, path) => path.split('.').reduce((o, k) => (o == null ? undefined : o[k]), config) ?? LIMITS[path].def;

/**
 * Dense-layer FLOPs of one playground round for a TrainConfig, multiply-adds counted as 2 (the
 * benchmark's count too). Per sample, with G and D the multiply-adds of one forward pass:
 *   D update: G forward (G) + D forward on real and fake (2D) + D backward, weights and inputs (4D)
 *   G update: G forward (G) + D forward (D) + D backward to its input only (D) + G backward (2G)
 * = 4G + 8D per sample at k_D = k_G = 1: the work the update needs, and what TF.js does too (its
 * minimize(…, varList) and ganplay's frozen D take no gradient for D's weights in the G update).
 * Adam and the element-wise work are left out (they are O(parameters)). Missing fields take the
 * engine's defaults.
 */
export function roundFlops(config) {
  const f = (path) => field(config, path);
  const dense = (dIn, layers, width, dOut) => (layers > 0 ? dIn * width + (layers - 1) * width * width + width * dOut : dIn * dOut);
  const G = dense(f('generator.latent_dim'), f('generator.hidden_layers'), f('generator.width'), 2);
  const D = dense(2, f('discriminator.hidden_layers'), f('discriminator.width'), 1);
  return 2 * f('batch_size') * (f('k_d') * (G + 6 * D) + f('k_g') * (3 * G + 2 * D));
}

/**
 * The one place a backend choice is decided: 'auto' | 'cpu' | 'webgpu' (and, for the playground,
 * its TrainConfig) → { backend: 'cpu' | 'webgpu', small }. 'cpu' stays; 'webgpu' needs an adapter
 * (else an Error that says so); 'auto' is the CPU without an adapter, the CPU too (`small: true`)
 * for a playground network under GPU_WORTH_MFLOP, and WebGPU otherwise. Without a config (the
 * gallery's generators) "auto" is WebGPU wherever an adapter exists.
 */
export async function chooseBackend(requested, config = null) {
  if (requested === 'cpu') return { backend: 'cpu', small: false };
  if (requested !== 'auto' && requested !== 'webgpu') throw unknownBackend(requested);
  const adapter = await webgpuAdapter();
  if (requested === 'webgpu') {
    if (!adapter) throw noWebgpu();
    return { backend: 'webgpu', small: false };
  }
  if (!adapter) return { backend: 'cpu', small: false };
  if (config && roundFlops(config) < GPU_WORTH_MFLOP * 1e6) return { backend: 'cpu', small: true };
  return { backend: 'webgpu', small: false };
}

/**
 * Loads the module for 'cpu' | 'webgpu' | 'sample' (a choice already made; see chooseBackend):
 * `{ m, chosen: 'cpu' | 'webgpu', module }`. 'sample' is the sampling-only CPU module (no training;
 * about half the size): the gallery's first samples come from it.
 */
export async function loadModule(backend) {
  const which = { cpu: 'cpu', webgpu: 'gpu', sample: 'sample' }[backend];
  if (!which) throw unknownBackend(backend);
  if (which === 'gpu' && !(await webgpuAdapter())) throw noWebgpu();
  const m = await import(`../../pkg/${which}/ganplay.js`);
  await m.default();
  return { m, chosen: which === 'gpu' ? 'webgpu' : 'cpu', module: which };
}
