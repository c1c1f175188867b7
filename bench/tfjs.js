// The benchmark's workloads in TensorFlow.js 4.22, written as a TF.js user would: variables and
// tf.train.adam for the GAN, tf.layers for the generator. window.bench(workload, backend) runs one.
import { RING8, DCGAN28, normals, ringBatch, seeded, timeRing, timeSample } from './workloads.js';

const tf = window.tf;

async function useBackend(name) {
  if (name === 'wasm') tf.wasm.setWasmPaths('/tests/node_modules/@tensorflow/tfjs-backend-wasm/dist/');
  if (!(await tf.setBackend(name))) throw new Error(`TF.js backend ${name} did not initialise`);
  await tf.ready();
  return { backend: tf.getBackend(), simd: name === 'wasm' ? await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT') : undefined };
}

function mlp(sizes, rand) {
  const layers = [];
  for (let i = 0; i + 1 < sizes.length; i++) {
    const bound = 1 / Math.sqrt(sizes[i]);
    const w = Float32Array.from({ length: sizes[i] * sizes[i + 1] }, () => (2 * rand() - 1) * bound);
    const b = Float32Array.from({ length: sizes[i + 1] }, () => (2 * rand() - 1) * bound);
    layers.push({ w: tf.variable(tf.tensor2d(w, [sizes[i], sizes[i + 1]])), b: tf.variable(tf.tensor1d(b)) });
  }
  const forward = (x) => layers.reduce((h, l, i) => {
    const y = tf.add(tf.matMul(h, l.w), l.b);
    return i + 1 < layers.length ? tf.relu(y) : y;
  }, x);
  return { forward, vars: layers.flatMap((l) => [l.w, l.b]) };
}

async function ring8(spec) {
  const rand = seeded(1);
  const hidden = Array(spec.layers).fill(spec.width);
  const g = mlp([spec.latent, ...hidden, 2], rand);
  const d = mlp([2, ...hidden, 1], rand);
  const optD = tf.train.adam(spec.lr, spec.beta1, spec.beta2, 1e-8);
  const optG = tf.train.adam(spec.lr, spec.beta1, spec.beta2, 1e-8);
  // Non-saturating loss: L_D = softplus(−D(x)) + softplus(D(G(z))), L_G = softplus(−D(G(z))).
  let dLoss = null, gLoss = null;
  const iterate = () => {
    const real = tf.tensor2d(ringBatch(spec.batch, rand), [spec.batch, 2]);
    const ld = optD.minimize(() => {
      const fake = g.forward(tf.randomNormal([spec.batch, spec.latent]));
      return tf.add(tf.mean(tf.softplus(tf.neg(d.forward(real)))), tf.mean(tf.softplus(d.forward(fake))));
    }, true, d.vars);
    real.dispose();
    const lg = optG.minimize(() => tf.mean(tf.softplus(tf.neg(d.forward(g.forward(tf.randomNormal([spec.batch, spec.latent])))))), true, g.vars);
    dLoss?.dispose(); gLoss?.dispose();
    dLoss = ld; gLoss = lg;
  };
  return timeRing(spec, async (n) => { for (let i = 0; i < n; i++) iterate(); },
    async () => {
      const both = tf.tidy(() => tf.concat([dLoss.reshape([1]), gLoss.reshape([1])]));
      const values = Array.from(await both.data());
      both.dispose();
      return values;
    });
}

async function dcgan28(spec) {
  const model = tf.sequential({ layers: [
    tf.layers.dense({ inputShape: [spec.latent], units: 7 * 7 * 128, activation: 'relu' }),
    tf.layers.reshape({ targetShape: [7, 7, 128] }),
    tf.layers.conv2dTranspose({ filters: 64, kernelSize: 4, strides: 2, padding: 'same', activation: 'relu' }),
    tf.layers.conv2dTranspose({ filters: 1, kernelSize: 4, strides: 2, padding: 'same', activation: 'tanh' }),
  ] });
  const rand = seeded(2);
  return timeSample(spec, async () => {
    const z = tf.tensor2d(normals(spec.batch * spec.latent, rand), [spec.batch, spec.latent]);
    const y = model.predict(z);
    const out = await y.data();
    z.dispose(); y.dispose();
    return out;
  });
}

window.bench = async (workload, backend, options = {}) => {
  const t0 = performance.now();
  const info = await useBackend(backend);
  const init = performance.now() - t0;
  const result = workload === 'ring8' ? await ring8({ ...RING8, ...options }) : await dcgan28({ ...DCGAN28, ...options });
  return { ...result, ...info, initMs: init, tensorsLeft: tf.memory().numTensors };
};
document.body.dataset.ready = '1';
