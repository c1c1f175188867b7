//! The trainer: one code path natively and in wasm, on any device.
//!
//! Steps never read anything back. Losses stay on the device until [`Trainer::readout`], which
//! reads both losses and a generator batch on fixed noise in one transaction.

use crate::data::{Dataset, Modes, Rng};
use crate::loss::Objective;
use crate::metrics::{self, ModeCoverage};
use crate::model::{DiscriminatorConfig, GeneratorConfig, Mlp};
use burn::module::{Module, ModuleMapper, Param};
use burn::optim::momentum::MomentumConfig;
use burn::optim::{AdamConfig, GradientsParams, ModuleOptimizer, RmsPropConfig, SgdConfig};
use burn::tensor::{Device, Tensor, TensorData, Transaction};
use serde::{Deserialize, Serialize};
use std::future::Future;

/// Which optimiser updates a network.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OptimizerKind {
    /// SGD with (optional) momentum.
    Sgd,
    Adam,
    Rmsprop,
}

/// One network's optimiser. Fields an optimiser does not use are ignored.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct OptimizerConfig {
    pub kind: OptimizerKind,
    /// Learning rate, in (0, 10]. Default 1e-3.
    pub lr: f64,
    /// Adam's β1, in [0, 1). Default 0.5.
    pub beta1: f32,
    /// Adam's β2, in [0, 1). Default 0.999.
    pub beta2: f32,
    /// SGD and RMSProp momentum, in [0, 1). Default 0.
    pub momentum: f64,
    /// RMSProp smoothing constant, in [0, 1). Default 0.99.
    pub alpha: f32,
    /// Numerical stability term. Default 1e-8.
    pub epsilon: f32,
}

impl Default for OptimizerConfig {
    fn default() -> Self {
        Self { kind: OptimizerKind::Adam, lr: 1e-3, beta1: 0.5, beta2: 0.999, momentum: 0.0, alpha: 0.99, epsilon: 1e-8 }
    }
}

fn check_f(name: &str, v: f64, lo: f64, hi: f64, hi_open: bool) -> Result<(), String> {
    let ok = v.is_finite() && v >= lo && if hi_open { v < hi } else { v <= hi };
    if ok { Ok(()) } else { Err(format!("{name} must be in [{lo}, {hi}{}, got {v}", if hi_open { ")" } else { "]" })) }
}

impl OptimizerConfig {
    pub fn validate(&self, which: &str) -> Result<(), String> {
        check_f(&format!("{which}.lr"), self.lr, f64::MIN_POSITIVE, 10.0, false)?;
        check_f(&format!("{which}.beta1"), self.beta1 as f64, 0.0, 1.0, true)?;
        check_f(&format!("{which}.beta2"), self.beta2 as f64, 0.0, 1.0, true)?;
        check_f(&format!("{which}.momentum"), self.momentum, 0.0, 1.0, true)?;
        check_f(&format!("{which}.alpha"), self.alpha as f64, 0.0, 1.0, true)?;
        check_f(&format!("{which}.epsilon"), self.epsilon as f64, f64::MIN_POSITIVE, 1.0, false)
    }

    pub fn init(&self) -> ModuleOptimizer {
        match self.kind {
            OptimizerKind::Adam => AdamConfig::new()
                .with_beta_1(self.beta1)
                .with_beta_2(self.beta2)
                .with_epsilon(self.epsilon)
                .init(),
            OptimizerKind::Sgd => SgdConfig::new()
                .with_momentum((self.momentum > 0.0).then(|| {
                    MomentumConfig::new().with_momentum(self.momentum).with_dampening(0.0)
                }))
                .init(),
            OptimizerKind::Rmsprop => RmsPropConfig::new()
                .with_alpha(self.alpha)
                .with_momentum(self.momentum as f32)
                .with_epsilon(self.epsilon)
                .init(),
        }
    }
}

/// Everything that defines a run. The same config and seed give the same run on the same backend.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TrainConfig {
    /// A key of [`Dataset::NAMES`], or "points" for a user-given cloud. Default "ring".
    pub dataset: String,
    pub seed: u64,
    /// Points per batch, 1–4096. Default 256.
    pub batch_size: usize,
    /// Discriminator steps per round, 1–20. Default 1.
    pub k_d: usize,
    /// Generator steps per round, 1–20. Default 1.
    pub k_g: usize,
    pub objective: Objective,
    /// Weight clipping bound for the Wasserstein critic. Default 0.01.
    pub clip: f32,
    pub generator: GeneratorConfig,
    pub discriminator: DiscriminatorConfig,
    pub optim_g: OptimizerConfig,
    pub optim_d: OptimizerConfig,
}

impl Default for TrainConfig {
    /// The reference config ("ring8").
    fn default() -> Self {
        Self {
            dataset: "ring".into(),
            seed: 1,
            batch_size: 256,
            k_d: 1,
            k_g: 1,
            objective: Objective::NonSaturating,
            clip: 0.01,
            generator: GeneratorConfig::default(),
            discriminator: DiscriminatorConfig::default(),
            optim_g: OptimizerConfig::default(),
            optim_d: OptimizerConfig::default(),
        }
    }
}

impl TrainConfig {
    /// Parses a JSON config; missing fields take their defaults, unknown fields are errors.
    pub fn from_json(json: &str) -> Result<Self, String> {
        let cfg: TrainConfig = serde_json::from_str(json).map_err(|e| format!("invalid config: {e}"))?;
        cfg.validate()?;
        Ok(cfg)
    }

    pub fn validate(&self) -> Result<(), String> {
        let count = |name: &str, v: usize, lo: usize, hi: usize| {
            if (lo..=hi).contains(&v) { Ok(()) } else { Err(format!("{name} must be in {lo}–{hi}, got {v}")) }
        };
        count("batch_size", self.batch_size, 1, 4096)?;
        count("k_d", self.k_d, 1, 20)?;
        count("k_g", self.k_g, 1, 20)?;
        check_f("clip", self.clip as f64, 1e-6, 10.0, false)?;
        if self.dataset != "points" {
            Dataset::from_name(&self.dataset).map_err(|e| e.to_string())?;
        }
        self.generator.validate()?;
        self.discriminator.validate()?;
        self.optim_g.validate("optim_g")?;
        self.optim_d.validate("optim_d")
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
    /// The generator on fixed noise, `[n, 2]` row-major.
    pub fake: Vec<f32>,
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

/// Trains a generator against a discriminator on a 2D dataset.
pub struct Trainer {
    config: TrainConfig,
    dataset: Dataset,
    /// The autodiff device the networks train on.
    device: Device,
    g: Mlp,
    d: Mlp,
    opt_g: ModuleOptimizer,
    opt_d: ModuleOptimizer,
    rng: Rng,
    iteration: u64,
    d_loss: Option<Tensor<1>>,
    g_loss: Option<Tensor<1>>,
    /// Fixed noise and real batch for readouts, drawn from the seed.
    fixed: Option<(usize, Tensor<2>, Vec<f32>)>,
}

impl Trainer {
    /// Builds networks and optimisers from `config` on `device` (autodiff is added here).
    pub fn new(config: TrainConfig, dataset: Dataset, device: &Device) -> Result<Self, String> {
        config.validate()?;
        let mut rng = Rng::new(config.seed);
        let device = device.clone().autodiff();
        let g = config.generator.init(&mut rng.fork(), &device);
        let d = config.discriminator.init(&mut rng.fork(), &device);
        Ok(Self {
            opt_g: config.optim_g.init(),
            opt_d: config.optim_d.init(),
            config,
            dataset,
            device,
            g,
            d,
            rng,
            iteration: 0,
            d_loss: None,
            g_loss: None,
            fixed: None,
        })
    }

    pub fn config(&self) -> &TrainConfig {
        &self.config
    }

    pub fn dataset(&self) -> &Dataset {
        &self.dataset
    }

    pub fn iteration(&self) -> u64 {
        self.iteration
    }

    pub fn generator(&self) -> &Mlp {
        &self.g
    }

    fn upload(&self, values: Vec<f32>, cols: usize) -> Tensor<2> {
        let rows = values.len() / cols;
        Tensor::from_data(TensorData::new(values, [rows, cols]), &self.device)
    }

    fn noise(&mut self, n: usize) -> Tensor<2> {
        let g = &self.config.generator;
        let z = g.noise.sample(&mut self.rng, n, g.latent_dim);
        self.upload(z, g.latent_dim)
    }

    /// One discriminator update on a fresh real batch and a fresh (detached) fake batch.
    pub fn step_d(&mut self) {
        let n = self.config.batch_size;
        let real = self.dataset.sample(&mut self.rng, n);
        let real = self.upload(real, 2);
        let z = self.noise(n);
        let fake = self.g.forward(z).detach();
        let loss = self.config.objective.d_loss(self.d.forward(real), self.d.forward(fake));
        let grads = GradientsParams::from_grads(loss.backward(), &self.d);
        self.d = self.opt_d.step(self.config.optim_d.lr, self.d.clone(), grads);
        if self.config.objective.clips_weights() {
            self.d = self.d.clone().map(&mut Clip(self.config.clip));
        }
        self.d_loss = Some(loss.detach().inner());
    }

    /// One generator update on fresh noise.
    pub fn step_g(&mut self) {
        let z = self.noise(self.config.batch_size);
        let loss = self.config.objective.g_loss(self.d.forward(self.g.forward(z)));
        let mut grads = loss.backward();
        let grads = GradientsParams::from_module(&mut grads, &self.g);
        self.g = self.opt_g.step(self.config.optim_g.lr, self.g.clone(), grads);
        self.g_loss = Some(loss.detach().inner());
    }

    /// One round: k_D discriminator steps, then k_G generator steps.
    pub fn round(&mut self) {
        for _ in 0..self.config.k_d {
            self.step_d();
        }
        for _ in 0..self.config.k_g {
            self.step_g();
        }
        self.iteration += 1;
    }

    /// Starts one batched read of both losses and `n` generated points on fixed noise. The
    /// future owns what it reads, so the trainer can go on (or be dropped) meanwhile.
    pub fn readout(&mut self, n: usize) -> impl Future<Output = Result<Readout, String>> + 'static {
        if self.fixed.as_ref().is_none_or(|f| f.0 != n) {
            let mut rng = Rng::new(self.config.seed ^ 0xF1CE_D00D);
            let g = &self.config.generator;
            let z = g.noise.sample(&mut rng, n, g.latent_dim);
            let z = Tensor::from_data(TensorData::new(z, [n, g.latent_dim]), &self.device.clone().inner());
            let real = self.dataset.sample(&mut rng, n);
            self.fixed = Some((n, z, real));
        }
        let (_, z, real) = self.fixed.clone().expect("set above");
        let fake = self.g.valid().forward(z);
        let nan = || Tensor::<1>::from_data(TensorData::new(vec![f32::NAN], [1]), &self.device.clone().inner());
        let losses = Tensor::cat(vec![self.d_loss.clone().unwrap_or_else(nan), self.g_loss.clone().unwrap_or_else(nan)], 0);
        let read = Transaction::default().register(losses).register(fake);
        let iteration = self.iteration;
        let modes = self.dataset.modes();
        async move {
            let data = read.execute_async().await.map_err(|e| format!("reading from the device failed: {e:?}"))?;
            let vec = |d: &TensorData| d.clone().try_into_vec_as::<f32>().map_err(|e| format!("{e:?}"));
            let losses = vec(&data[0])?;
            let fake = vec(&data[1])?;
            let metrics = compute_metrics(&real, &fake, modes.as_ref());
            Ok(Readout { iteration, d_loss: losses[0], g_loss: losses[1], real, fake, metrics })
        }
    }
}

/// Metrics of generated points against real ones.
pub fn compute_metrics(real: &[f32], fake: &[f32], modes: Option<&Modes>) -> Metrics {
    Metrics {
        modes: modes.map(|m| metrics::mode_coverage(fake, m, 3.0 * m.std)),
        js: metrics::js_divergence(real, fake, 32, 3.0),
    }
}

/// Clamps every parameter to [−c, c] (the WGAN critic's Lipschitz constraint).
struct Clip(f32);

impl ModuleMapper for Clip {
    fn map_float<const D: usize>(&mut self, param: Param<Tensor<D>>) -> Param<Tensor<D>> {
        let c = self.0;
        param.map(|t| {
            let grad = t.is_require_grad();
            let t = t.clamp(-c, c).detach();
            if grad { t.require_grad() } else { t }
        })
    }
}

/// Runs a future to completion on the current thread, for the native CLI and tests. On the CPU
/// device every read is ready at once. In the browser, await instead: WebGPU reads need the event loop.
pub fn block_on<F: Future>(fut: F) -> F::Output {
    use std::task::{Context, Poll, Waker};
    let mut fut = std::pin::pin!(fut);
    let mut cx = Context::from_waker(Waker::noop());
    loop {
        if let Poll::Ready(v) = fut.as_mut().poll(&mut cx) {
            return v;
        }
        std::thread::yield_now();
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    fn run(config: TrainConfig, rounds: usize) -> Readout {
        let dataset = Dataset::from_name(&config.dataset).unwrap();
        let mut t = Trainer::new(config, dataset, &Device::flex()).unwrap();
        for _ in 0..rounds {
            t.round();
        }
        block_on(t.readout(2000)).unwrap()
    }

    /// The reference config reaches the stated mode coverage on the CPU device.
    #[test]
    fn reference_config_covers_the_ring() {
        let dataset = Dataset::Ring;
        let modes = dataset.modes().unwrap();
        let mut t = Trainer::new(TrainConfig::default(), dataset, &Device::flex()).unwrap();
        let mut best = None;
        for round in 1..=5000 {
            t.round();
            if round % 500 == 0 {
                let r = block_on(t.readout(2000)).unwrap();
                let c = metrics::mode_coverage(&r.fake, &modes, 0.1);
                eprintln!("round {round}: {c:?} d {:.3} g {:.3}", r.d_loss, r.g_loss);
                if c.covered >= 7 && c.high_quality >= 0.6 {
                    best = Some(c);
                    break;
                }
            }
        }
        assert!(best.is_some(), "the ring was not covered within 5,000 iterations");
    }

    #[test]
    fn every_dataset_objective_and_optimiser_runs() {
        for name in Dataset::NAMES {
            let r = run(TrainConfig { dataset: name.into(), batch_size: 64, ..Default::default() }, 50);
            assert!(r.d_loss.is_finite() && r.g_loss.is_finite(), "{name}: {r:?}");
        }
        for objective in [Objective::Minimax, Objective::NonSaturating, Objective::LeastSquares, Objective::Hinge, Objective::Wasserstein] {
            let r = run(TrainConfig { objective, batch_size: 64, ..Default::default() }, 50);
            assert!(r.d_loss.is_finite() && r.g_loss.is_finite(), "{objective:?}: {r:?}");
        }
        for kind in [OptimizerKind::Sgd, OptimizerKind::Adam, OptimizerKind::Rmsprop] {
            let o = OptimizerConfig { kind, momentum: 0.5, ..Default::default() };
            let r = run(TrainConfig { optim_g: o.clone(), optim_d: o, batch_size: 64, ..Default::default() }, 50);
            assert!(r.d_loss.is_finite() && r.g_loss.is_finite(), "{kind:?}: {r:?}");
        }
    }

    #[test]
    fn same_seed_same_run_other_seed_other_run() {
        let cfg = TrainConfig { batch_size: 32, ..Default::default() };
        let a = run(cfg.clone(), 20);
        let b = run(cfg.clone(), 20);
        let c = run(TrainConfig { seed: 2, ..cfg }, 20);
        assert_eq!(a.fake, b.fake);
        assert_eq!(a.d_loss, b.d_loss);
        assert_ne!(a.fake, c.fake);
    }

    #[test]
    fn wasserstein_critic_weights_stay_clipped() {
        let dataset = Dataset::Ring;
        let cfg = TrainConfig { objective: Objective::Wasserstein, clip: 0.05, batch_size: 32, ..Default::default() };
        let mut t = Trainer::new(cfg, dataset, &Device::flex()).unwrap();
        for _ in 0..5 {
            t.round();
        }
        struct Max(f32);
        impl burn::module::ModuleVisitor for Max {
            fn visit_float<const D: usize>(&mut self, p: &Param<Tensor<D>>) {
                let m = p.val().abs().max().into_data().to_vec::<f32>().unwrap()[0];
                self.0 = self.0.max(m);
            }
        }
        let mut m = Max(0.0);
        t.d.visit(&mut m);
        assert!(m.0 <= 0.05 + 1e-6 && m.0 > 0.0, "max |w| = {}", m.0);
    }

    #[test]
    fn bad_configs_are_rejected_with_a_reason() {
        let e = TrainConfig::from_json(r#"{"batch_size": 0}"#).unwrap_err();
        assert!(e.contains("batch_size"), "{e}");
        let e = TrainConfig::from_json(r#"{"optim_g": {"lr": -1}}"#).unwrap_err();
        assert!(e.contains("optim_g.lr"), "{e}");
        let e = TrainConfig::from_json(r#"{"dataset": "nope"}"#).unwrap_err();
        assert!(e.contains("unknown dataset"), "{e}");
        let e = TrainConfig::from_json(r#"{"objective": "wgan_gp"}"#).unwrap_err();
        assert!(e.contains("invalid config"), "{e}");
        let e = TrainConfig::from_json(r#"{"lerning_rate": 1}"#).unwrap_err();
        assert!(e.contains("unknown field"), "{e}");
        let e = TrainConfig::from_json("not json").unwrap_err();
        assert!(e.contains("invalid config"), "{e}");
        assert_eq!(TrainConfig::from_json("{}").unwrap(), TrainConfig::default());
    }
}
