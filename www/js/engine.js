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
