// The benchmark's workloads on ganplay's own modules (www/pkg), through the same wasm API the site
// uses. window.bench(workload, backend, options) runs one.
import { loadModule } from '/www/js/engine.js';
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
  else throw new Error(`unknown workload ${workload}`);
  return { ...result, backend, initMs };
};
document.body.dataset.ready = '1';
