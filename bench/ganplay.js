// The benchmark's workloads on ganplay's own modules (www/pkg), through the same wasm API the site
// uses. window.bench(workload, backend, options) runs one.
import { loadModule } from '/www/js/workers/backend.js';
import { RING8, DCGAN28, normals, seeded, timeRing, timeSample } from './workloads.js';

async function ring8(m, backend, spec) {
  const config = {
    dataset: 'ring', batch_size: spec.batch,
    generator: { latent_dim: spec.latent, hidden_layers: spec.layers, width: spec.width },
    discriminator: { hidden_layers: spec.layers, width: spec.width },
    optim_g: { lr: spec.lr, beta1: spec.beta1, beta2: spec.beta2 },
    optim_d: { lr: spec.lr, beta1: spec.beta1, beta2: spec.beta2 },
  };
  const pg = await m.Playground.create(backend, JSON.stringify(config), undefined);
  try {
    return await timeRing(spec, async (n) => pg.train(n), async () => {
      const r = await pg.readout(1, 0, 0, 0);
      return [r.dLoss, r.gLoss];
    });
  } finally {
    pg.free();
  }
}

/** ring8 at another batch and width, timed for about `seconds` (the scaling table). */
async function scaled(m, backend, spec, seconds, minIterations) {
  // A short probe (after its own warm-up) sizes the run; then a full warm-up and about `seconds` timed.
  const probe = await ring8(m, backend, { ...spec, warmup: 3, timed: 3, readEvery: 3 });
  const n = Math.max(minIterations, Math.round(seconds * probe.perSecond));
  return ring8(m, backend, { ...spec, warmup: Math.min(50, n), timed: n, readEvery: Math.min(50, n) });
}

async function dcgan28(m, backend, spec) {
  const model = await m.ImageModel.random(backend, JSON.stringify({ latent_dim: spec.latent, width: 128 }), 1);
  const rand = seeded(2);
  const none = new Uint32Array(0);
  try {
    return await timeSample(spec, () => model.generate(normals(spec.batch * spec.latent, rand), none));
  } finally {
    model.free();
  }
}

/** The FLOP limit of one core: the best of a few SIMD matrix-product sizes, each run ~0.5 s. */
function matmul(m) {
  const sizes = [];
  for (const n of [64, 128, 256]) {
    m.benchMatmul(n, 1);
    let reps = 1, s = 0;
    for (;;) {
      const t0 = performance.now();
      const sum = m.benchMatmul(n, reps);
      s = (performance.now() - t0) / 1000;
      if (!Number.isFinite(sum)) throw new Error('the matrix product is not finite');
      if (s > 0.5) break;
      reps *= 2;
    }
    sizes.push({ n, gflops: (2 * n ** 3 * reps) / s / 1e9 });
  }
  return { sizes, gflops: Math.max(...sizes.map((x) => x.gflops)) };
}

/**
 * Live GPU buffers: every GPUDevice.createBuffer counted until its destroy(). Installed before the
 * first device exists (burn's wgpu calls these through the prototypes).
 */
const gpu = { buffers: 0, bytes: 0 };
if (self.GPUDevice) {
  const create = GPUDevice.prototype.createBuffer;
  const destroy = GPUBuffer.prototype.destroy;
  const live = new WeakSet();
  GPUDevice.prototype.createBuffer = function (desc) {
    const b = create.call(this, desc);
    live.add(b);
    gpu.buffers++;
    gpu.bytes += b.size;
    return b;
  };
  GPUBuffer.prototype.destroy = function () {
    if (live.delete(this)) {
      gpu.buffers--;
      gpu.bytes -= this.size;
    }
    return destroy.call(this);
  };
}

/**
 * Soak: trains `iterations` rounds the way the playground's worker does (a readout with every
 * picture and a checkpoint after each chunk), sampling wasm memory and live GPU buffers. Growth is
 * measured from the end of the warm-up (the first `warmupShare` of the run) to the end.
 */
async function soak(m, backend, spec) {
  const wasm = await m.default(); // the instance's exports (already initialised: returned as is)
  const pg = await m.Playground.create(backend, JSON.stringify(spec.config), undefined);
  const samples = [];
  const t0 = performance.now();
  try {
    for (let done = 0; done < spec.iterations; ) {
      const n = Math.min(spec.every, spec.iterations - done);
      pg.train(n);
      done += n;
      const r = await pg.readout(1024, 48, 16, 256);
      if (!r.finite) throw new Error(`diverged at iteration ${done}`);
      pg.checkpoint();
      samples.push({ iteration: done, wasmBytes: wasm.memory.buffer.byteLength, gpuBuffers: gpu.buffers, gpuBytes: gpu.bytes });
    }
  } finally {
    pg.free();
  }
  const warm = samples[Math.max(0, Math.ceil(samples.length * spec.warmupShare) - 1)];
  const end = samples.at(-1);
  const growth = (a, b) => (a > 0 ? (b - a) / a : b > 0 ? Infinity : 0);
  return {
    iterations: spec.iterations, seconds: (performance.now() - t0) / 1000, config: spec.config, samples, warm, end,
    wasmGrowth: growth(warm.wasmBytes, end.wasmBytes),
    gpuBufferGrowth: backend === 'webgpu' ? growth(warm.gpuBuffers, end.gpuBuffers) : null,
    gpuByteGrowth: backend === 'webgpu' ? growth(warm.gpuBytes, end.gpuBytes) : null,
  };
}

window.bench = async (workload, backend, options = {}) => {
  const t0 = performance.now();
  const { m, chosen } = await loadModule(backend);
  if (chosen !== backend) throw new Error(`asked for ${backend}, got ${chosen}`);
  const initMs = performance.now() - t0;
  let result;
  if (workload === 'ring8') result = await ring8(m, backend, { ...RING8, ...options });
  else if (workload === 'scaling') result = await scaled(m, backend, { ...RING8, ...options.spec }, options.seconds, options.minIterations);
  else if (workload === 'dcgan28') result = await dcgan28(m, backend, { ...DCGAN28, ...options });
  else if (workload === 'matmul') result = matmul(m);
  else if (workload === 'soak') result = await soak(m, backend, options);
  else throw new Error(`unknown workload ${workload}`);
  return { ...result, backend, initMs };
};
document.body.dataset.ready = '1';
