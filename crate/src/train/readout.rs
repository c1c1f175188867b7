//! What a readout brings back (losses, points, the pictures, metrics) and the explained round,
//! each in one batched read.

use super::Trainer;
use crate::data::{Modes, Rng};
use crate::metrics::{self, ModeCoverage};
use crate::model::{Mlp, Noise, params};
use crate::readback::read_f32;
use burn::module::Module;
use burn::tensor::{Device, Tensor, TensorData, Transaction, activation};
use serde::Serialize;
use std::future::Future;

/// Half the side of the square of the plane that pictures and metrics cover: [−3, 3]².
pub const EXTENT: f32 = 3.0;

/// How many generated points the gradient norm of a readout is measured at.
const GRADIENT_POINTS: usize = 256;

/// What a readout should bring back besides losses and points.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct View {
    /// Generated (and real) points, 1–65,536.
    pub samples: usize,
    /// Side of the discriminator heatmap grid over the plane; 0 for none.
    pub heatmap: usize,
    /// Side of the latent grid whose image is the generator's manifold; 0 for none.
    pub manifold: usize,
    /// How many of the generated points get a gradient arrow; 0 for none.
    pub arrows: usize,
    /// Whether to measure the generator's mean gradient norm (a backward pass through D at 256
    /// points); NaN in the readout when not.
    pub grad_norm: bool,
}

impl View {
    /// Points only, no pictures.
    pub fn points(samples: usize) -> Self {
        Self { samples, ..Self::default() }
    }
}

/// What one readout brings back to the host.
#[derive(Clone, Debug, Serialize)]
pub struct Readout {
    /// Rounds trained so far.
    pub iteration: u64,
    /// Loss of the most recent D step (NaN before the first).
    pub d_loss: f32,
    /// Loss of the most recent G step (NaN before the first).
    pub g_loss: f32,
    /// A fixed real batch, `[n, 2]` row-major (the same between readouts of one run).
    pub real: Vec<f32>,
    /// The generator (or its moving average, see `ema`) on fixed noise, `[n, 2]` row-major.
    pub fake: Vec<f32>,
    /// Whether `fake` comes from the moving average of the generator's weights.
    pub ema: bool,
    /// D over a `heatmap × heatmap` grid, top row (y = +EXTENT) first: σ(D) for the logit
    /// objectives, the raw output otherwise; `heatmap_probability` says whether it reads as a
    /// probability (logits and least squares) or as an unbounded score.
    pub heatmap: Vec<f32>,
    pub heatmap_probability: bool,
    /// The image of a regular latent grid, `[rows, cols, 2]`.
    pub manifold: Vec<f32>,
    pub manifold_rows: usize,
    pub manifold_cols: usize,
    /// −∂L_G/∂x at the first `arrows` generated points, `[arrows, 2]`: where the generator's
    /// update pushes each point.
    pub arrows: Vec<f32>,
    /// The mean length of −∂ℓ_G/∂x over (up to) 256 generated points (ℓ_G: the generator's loss at
    /// one point): how hard the generator's update pulls its points, at their true scale (the
    /// arrows picture rescales). Near 0 where the generator's gradient vanishes (minimax against a
    /// confident D).
    pub grad_norm: f32,
    /// False when a loss, a weight or a generated point is NaN or infinite.
    pub finite: bool,
    pub metrics: Metrics,
}

/// Quality of the generated batch against the real one.
#[derive(Clone, Debug, Serialize)]
pub struct Metrics {
    /// Mode coverage with a 3σ radius, for Gaussian mixtures.
    pub modes: Option<ModeCoverage>,
    /// Jensen–Shannon divergence on a 32 × 32 grid over [−3, 3]².
    pub js: f32,
}

/// One round taken apart for teaching: what each phase saw and produced.
#[derive(Clone, Debug, Serialize)]
pub struct Explained {
    /// The round's number (1-based).
    pub iteration: u64,
    /// The first `shown` points of the real batch, `[shown, 2]`.
    pub real: Vec<f32>,
    /// The first `shown` noise vectors, `[shown, latent_dim]`.
    pub z: Vec<f32>,
    pub latent_dim: usize,
    /// G(z) before the update, `[shown, 2]`.
    pub fake: Vec<f32>,
    /// D's output on the real and generated points before D's update (probabilities for the
    /// logit objectives, scores otherwise).
    pub d_real: Vec<f32>,
    pub d_fake: Vec<f32>,
    pub d_loss: f32,
    /// The heatmap before and after D's update (side `heatmap`).
    pub heat_before: Vec<f32>,
    pub heat_after: Vec<f32>,
    pub heatmap: usize,
    pub heatmap_probability: bool,
    /// D's output on G(z) after D's update: what the generator's loss sees.
    pub d_fake_after: Vec<f32>,
    pub g_loss: f32,
    /// −∂L_G/∂x at G(z), `[shown, 2]`.
    pub arrows: Vec<f32>,
    /// G(z) after the generator's update, `[shown, 2]`.
    pub fake_after: Vec<f32>,
}

impl Trainer {
    /// D over the plane's grid (no autodiff), as probabilities for the logit objectives.
    fn heat(&self, side: usize) -> Tensor<1> {
        let mut xy = Vec::with_capacity(side * side * 2);
        let cell = 2.0 * EXTENT / side as f32;
        for r in 0..side {
            for c in 0..side {
                xy.push(-EXTENT + (c as f32 + 0.5) * cell);
                xy.push(EXTENT - (r as f32 + 0.5) * cell);
            }
        }
        let grid = Tensor::from_data(TensorData::new(xy, [side * side, 2]), &self.device.clone().inner());
        self.probability(self.s.d.valid().forward(grid)).reshape([side * side])
    }

    fn probability(&self, out: Tensor<2>) -> Tensor<2> {
        if self.config.objective.has_logits() { activation::sigmoid(out) } else { out }
    }

    /// −∂L_G/∂x at points x (per point, so not divided by the count).
    fn arrows_at(&self, x: Tensor<2>) -> Tensor<2> {
        let n = x.shape()[0];
        let x = Tensor::from_inner(x.inner()).require_grad();
        let loss = self.config.objective.g_loss(self.s.d.forward(x.clone()));
        let grads = loss.backward();
        let grad = x.grad(&grads).unwrap_or_else(|| x.zeros_like().inner());
        grad * -(n as f32)
    }

    /// The latest D and G losses as one `[2]` tensor on the inner device (NaN before a first step).
    pub(crate) fn losses(&self) -> Tensor<1> {
        let nan = || nan(&self.device);
        Tensor::cat(vec![self.s.d_loss.clone().unwrap_or_else(nan), self.s.g_loss.clone().unwrap_or_else(nan)], 0)
    }

    /// The generator shown in pictures: the moving average when on, else the generator itself.
    fn shown_generator(&self) -> Mlp {
        self.s.ema_g.clone().unwrap_or_else(|| self.s.g.valid())
    }

    /// Starts one batched read of both losses, `view.samples` generated points on fixed noise and
    /// the pictures `view` asks for. The future owns what it reads, so the trainer can go on (or be
    /// dropped) meanwhile.
    pub fn readout(&mut self, view: View) -> impl Future<Output = Result<Readout, String>> + 'static {
        let n = view.samples.clamp(1, 65_536);
        let inner = self.device.clone().inner();
        if self.fixed.as_ref().is_none_or(|f| f.0 != n) {
            let mut rng = Rng::new(self.config.seed ^ 0xF1CE_D00D);
            let g = &self.config.generator;
            let z = g.noise.sample(&mut rng, n, g.latent_dim);
            let z = Tensor::from_data(TensorData::new(z, [n, g.latent_dim]), &inner);
            let real = self.dataset.sample(&mut rng, n);
            self.fixed = Some((n, z, real));
        }
        let (_, z, real) = self.fixed.clone().expect("set above");
        let shown = self.shown_generator();
        let fake = shown.forward(z);
        let weights = params::flat(&self.s.g)
            .into_iter()
            .chain(params::flat(&self.s.d))
            .map(|t| t.abs().sum())
            .reduce(|a, b| a + b)
            .unwrap_or_else(|| nan(&inner));
        // The generator's gradient, once for both of its uses: at (up to) 256 generated points for
        // its mean norm, the first `view.arrows` of them for the arrows.
        let arrows = view.arrows.min(n);
        let probed = if view.grad_norm { arrows.max(n.min(GRADIENT_POINTS)) } else { arrows };
        let gradient = (probed > 0).then(|| self.arrows_at(fake.clone().narrow(0, 0, probed)));
        let grad_norm = match (&gradient, view.grad_norm) {
            (Some(g), true) => g.clone().square().sum_dim(1).sqrt().mean(),
            _ => nan(&inner),
        };
        let checks = Tensor::cat(vec![self.losses(), weights, grad_norm], 0);
        let stepped = [self.s.d_loss.is_some(), self.s.g_loss.is_some()];
        let mut read = Transaction::default().register(checks).register(fake.clone());
        if view.heatmap > 0 {
            read = read.register(self.heat(view.heatmap.min(256)));
        }
        let (rows, cols) = match (view.manifold.min(64), self.config.generator.latent_dim) {
            (0, _) => (0, 0),
            (side, 1) => (1, side * side),
            (side, _) => (side, side),
        };
        if rows > 0 {
            read = read.register(shown.forward(self.latent_grid(rows, cols)));
        }
        if let Some(g) = gradient.filter(|_| arrows > 0) {
            read = read.register(g.narrow(0, 0, arrows));
        }
        let iteration = self.s.iteration;
        let modes = self.dataset.modes();
        let ema = self.s.ema_g.is_some();
        let heatmap_probability = self.config.objective.outputs_probabilities();
        async move {
            let mut data = read_f32(read).await?.into_iter();
            let mut next = || data.next().unwrap_or_default();
            let checks = next();
            let fake = next();
            let heatmap = if view.heatmap > 0 { next() } else { Vec::new() };
            let manifold = if rows > 0 { next() } else { Vec::new() };
            let arrows = if arrows > 0 { next() } else { Vec::new() };
            let finite = checks[2].is_finite()
                && (!stepped[0] || checks[0].is_finite())
                && (!stepped[1] || checks[1].is_finite())
                && fake.iter().all(|v| v.is_finite());
            let metrics = compute_metrics(&real, &fake, modes.as_ref());
            Ok(Readout {
                iteration,
                d_loss: checks[0],
                g_loss: checks[1],
                real,
                fake,
                ema,
                heatmap,
                heatmap_probability,
                manifold,
                manifold_rows: rows,
                manifold_cols: cols,
                arrows,
                grad_norm: checks[3],
                finite,
                metrics,
            })
        }
    }

    /// A regular grid in the first two latent coordinates (the others 0), spanning ±2 for Gaussian
    /// noise (about 95 % of its mass per axis) and ±1 for uniform noise.
    fn latent_grid(&self, rows: usize, cols: usize) -> Tensor<2> {
        let g = &self.config.generator;
        let span = match g.noise {
            Noise::Gaussian => 2.0,
            Noise::Uniform => 1.0,
        };
        let at = |i: usize, n: usize| if n <= 1 { 0.0 } else { -span + 2.0 * span * i as f32 / (n - 1) as f32 };
        let mut z = vec![0.0f32; rows * cols * g.latent_dim];
        for r in 0..rows {
            for c in 0..cols {
                let row = &mut z[(r * cols + c) * g.latent_dim..][..g.latent_dim];
                row[0] = at(c, cols);
                if g.latent_dim > 1 {
                    row[1] = at(rows - 1 - r, rows);
                }
            }
        }
        Tensor::from_data(TensorData::new(z, [rows * cols, g.latent_dim]), &self.device.clone().inner())
    }

    /// Trains one round taken apart into its phases (one D step, then one G step on the same
    /// noise) and reads back what each phase saw: the first `shown` points, D's outputs, both
    /// losses, the heatmap (side `heatmap`) before and after D's update and G's arrows.
    pub fn explain(&mut self, shown: usize, heatmap: usize) -> impl Future<Output = Result<Explained, String>> + 'static {
        let n = self.config.batch_size;
        let shown = shown.clamp(1, n);
        let heatmap = heatmap.clamp(1, 256);
        let real_values = self.dataset.sample(&mut self.s.rng, n);
        let real = self.upload(real_values.clone(), 2);
        let z_values = self.noise_values(n);
        let latent_dim = self.config.generator.latent_dim;
        let z = self.upload(z_values.clone(), latent_dim);
        let fake = self.s.g.forward(z.clone()).detach();
        let heat_before = self.heat(heatmap);
        let (d_loss, d_real, d_fake) = self.d_objective(real, fake.clone());
        let d_real = self.probability(d_real.detach().inner().narrow(0, 0, shown));
        let d_fake = self.probability(d_fake.detach().inner().narrow(0, 0, shown));
        self.update_d(d_loss.clone());
        let heat_after = self.heat(heatmap);
        let d_fake_after = self.probability(self.s.d.valid().forward(fake.clone().inner().narrow(0, 0, shown)));
        let arrows = self.arrows_at(fake.clone().inner().narrow(0, 0, shown));
        let g_loss = self.config.objective.g_loss(self.frozen_d().forward(self.s.g.forward(z.clone())));
        self.update_g(g_loss.clone());
        let fake_after = self.s.g.valid().forward(z.inner().narrow(0, 0, shown));
        self.s.iteration += 1;
        let read = Transaction::default()
            .register(fake.inner().narrow(0, 0, shown))
            .register(d_real)
            .register(d_fake)
            .register(Tensor::cat(vec![d_loss.detach().inner(), g_loss.detach().inner()], 0))
            .register(heat_before)
            .register(heat_after)
            .register(d_fake_after)
            .register(arrows)
            .register(fake_after);
        let iteration = self.s.iteration;
        let heatmap_probability = self.config.objective.outputs_probabilities();
        async move {
            let mut v = read_f32(read).await?.into_iter();
            let mut next = || v.next().unwrap_or_default();
            let fake = next();
            let d_real = next();
            let d_fake = next();
            let losses = next();
            Ok(Explained {
                iteration,
                real: real_values[..shown * 2].to_vec(),
                z: z_values[..shown * latent_dim].to_vec(),
                latent_dim,
                fake,
                d_real,
                d_fake,
                d_loss: losses[0],
                g_loss: losses[1],
                heat_before: next(),
                heat_after: next(),
                heatmap,
                heatmap_probability,
                d_fake_after: next(),
                arrows: next(),
                fake_after: next(),
            })
        }
    }
}
/// One NaN as a `[1]` tensor on the inner device: a loss before its first step.
fn nan(device: &Device) -> Tensor<1> {
    Tensor::from_data(TensorData::new(vec![f32::NAN], [1]), &device.clone().inner())
}

/// Metrics of generated points against real ones.
pub fn compute_metrics(real: &[f32], fake: &[f32], modes: Option<&Modes>) -> Metrics {
    Metrics {
        modes: modes.map(|m| metrics::mode_coverage(fake, m, 3.0 * m.std)),
        js: metrics::js_divergence(real, fake, 32, EXTENT),
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::model::GeneratorConfig;
    use crate::readback::block_on;
    use crate::train::TrainConfig;


    #[test]
    fn moving_average_lags_the_generator() {
        let cfg = TrainConfig { ema: 0.99, batch_size: 32, ..Default::default() };
        let mut t = Trainer::new(cfg, None, &Device::flex()).unwrap();
        let before = block_on(t.readout(View::points(64))).unwrap();
        for _ in 0..20 {
            t.round();
        }
        let avg = block_on(t.readout(View::points(64))).unwrap();
        assert!(avg.ema);
        t.s.ema_g = None;
        let live = block_on(t.readout(View::points(64))).unwrap();
        let dist = |a: &[f32], b: &[f32]| a.iter().zip(b).map(|(x, y)| (x - y).abs()).sum::<f32>();
        // After 20 steps with decay 0.99 the average is still mostly the initial generator.
        assert!(dist(&avg.fake, &before.fake) < dist(&live.fake, &before.fake));
        assert!(dist(&avg.fake, &live.fake) > 0.0);
    }


    #[test]
    fn pictures_have_their_shapes_and_arrows_point_to_the_real_side() {
        let mut t = Trainer::new(TrainConfig { dataset: "disjoint".into(), batch_size: 64, ..Default::default() }, None, &Device::flex()).unwrap();
        for _ in 0..30 {
            t.step_d();
        }
        let view = View { samples: 100, heatmap: 24, manifold: 9, arrows: 50, grad_norm: true };
        let r = block_on(t.readout(view)).unwrap();
        assert_eq!((r.real.len(), r.fake.len(), r.heatmap.len(), r.manifold.len(), r.arrows.len()), (200, 200, 576, 162, 100));
        assert!(r.heatmap_probability && r.heatmap.iter().all(|p| (0.0..=1.0).contains(p)));
        assert!(r.finite);
        // Moving a point along its arrow raises D there (the generator's loss falls).
        let d = t.s.d.valid();
        let eval = |p: Vec<f32>| d.forward(Tensor::<2>::from_data(TensorData::new(p, [50, 2]), &Device::flex())).into_data().try_to_vec::<f32>().unwrap();
        let here = eval(r.fake[..100].to_vec());
        let moved = eval(r.fake[..100].iter().zip(&r.arrows).map(|(x, a)| x + 1e-3 * a.signum() * a.abs().min(1.0)).collect());
        let rising = here.iter().zip(&moved).filter(|(a, b)| b >= a).count();
        assert!(rising >= 45, "{rising} of 50 points gain D along their arrow");
        // A latent dimension of 1 gives a line.
        let cfg = TrainConfig { generator: GeneratorConfig { latent_dim: 1, ..Default::default() }, ..Default::default() };
        let mut t = Trainer::new(cfg, None, &Device::flex()).unwrap();
        let r = block_on(t.readout(view)).unwrap();
        assert_eq!((r.manifold_rows, r.manifold_cols, r.manifold.len()), (1, 81, 162));
    }


    #[test]
    fn an_explained_round_is_a_round() {
        let mut t = Trainer::new(TrainConfig { batch_size: 32, ..Default::default() }, None, &Device::flex()).unwrap();
        let e = block_on(t.explain(16, 12)).unwrap();
        assert_eq!(e.iteration, 1);
        assert_eq!(t.iteration(), 1);
        assert_eq!((e.real.len(), e.z.len(), e.fake.len(), e.d_real.len(), e.arrows.len(), e.fake_after.len()), (32, 32, 32, 16, 32, 32));
        assert_eq!(e.heat_before.len(), 144);
        assert_ne!(e.heat_before, e.heat_after);
        assert_ne!(e.fake, e.fake_after);
        assert!(e.d_loss.is_finite() && e.g_loss.is_finite());
        // D's update raised D on real points relative to generated ones.
        let mean = |v: &[f32]| v.iter().sum::<f32>() / v.len() as f32;
        assert!(e.d_fake_after.iter().all(|p| (0.0..=1.0).contains(p)));
        assert!(mean(&e.d_fake_after) <= mean(&e.d_fake) + 1e-3);
    }
}
