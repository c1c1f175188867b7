//! The trainer: one code path natively and in wasm, on any device.
//!
//! Steps never read anything back. Losses stay on the device until [`Trainer::readout`]
//! (readout.rs), which reads them with the pictures in one transaction.

use super::{OptimizerConfig, TrainConfig};
use super::fused::fused_available;
use crate::data::{Dataset, Rng};
use crate::limits::ConfigError;
use crate::model::{Mlp, params};
use burn::module::{Module, ModuleMapper, Param};
use burn::optim::{GradientsParams, ModuleOptimizer};
use burn::tensor::{Device, Tensor, TensorData};

/// What [`Trainer::retune`] did besides taking the new settings.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Retuned {
    /// The networks ("generator", "discriminator") whose optimiser starts with fresh moments.
    pub fresh_moments: Vec<&'static str>,
}

/// The parts of a trainer that change while training, kept for rollback.
#[derive(Clone)]
pub(crate) struct State {
    pub(crate) g: Mlp,
    pub(crate) d: Mlp,
    pub(crate) ema_g: Option<Mlp>,
    pub(crate) opt_g: ModuleOptimizer,
    pub(crate) opt_d: ModuleOptimizer,
    pub(crate) rng: Rng,
    pub(crate) iteration: u64,
    pub(crate) d_loss: Option<Tensor<1>>,
    pub(crate) g_loss: Option<Tensor<1>>,
}

/// Trains a generator against a discriminator on a 2D dataset.
pub struct Trainer {
    pub(crate) config: TrainConfig,
    pub(crate) dataset: Dataset,
    /// The autodiff device the networks train on.
    pub(crate) device: Device,
    pub(crate) s: State,
    /// The last state known to be finite, see [`Trainer::checkpoint`].
    pub(super) saved: Option<State>,
    /// Fixed noise and real batch for readouts, drawn from the seed.
    pub(super) fixed: Option<(usize, Tensor<2>, Vec<f32>)>,
    /// Whether the updates take their gradients from [`crate::train::fused`] (the CPU device, every
    /// objective but WGAN-GP) rather than from burn's autodiff.
    pub(super) fused: bool,
}

impl Trainer {
    /// Builds the run `config` describes on `device` (autodiff is added here): its dataset (for
    /// "points", the user's cloud `points`), networks and optimisers.
    pub fn new(config: TrainConfig, points: Option<Vec<[f32; 2]>>, device: &Device) -> Result<Self, ConfigError> {
        config.validate()?;
        let dataset = Dataset::for_run(&config.dataset, points).map_err(|e| ConfigError::whole(e.to_string()))?;
        let mut rng = Rng::new(config.seed);
        let device = device.clone().autodiff();
        let g = config.generator.init(&mut rng.fork(), &device);
        let d = config.discriminator.init(&mut rng.fork(), &device);
        let ema_g = (config.ema > 0.0).then(|| g.valid());
        let s = State {
            opt_g: config.optim_g.init(),
            opt_d: config.optim_d.init(),
            g,
            d,
            ema_g,
            rng,
            iteration: 0,
            d_loss: None,
            g_loss: None,
        };
        let fused = fused_available(&device) && !config.objective.uses_gradient_penalty();
        Ok(Self { config, dataset, device, s, saved: None, fixed: None, fused })
    }

    /// Changes the settings of the running model without a restart (as GAN Lab does): learning
    /// rates, the optimisers and their parameters, k_D, k_G, batch size, objective, label
    /// smoothing, clipping, λ and the moving average. The weights, the round count, the random
    /// stream and (where the optimiser keeps its kind) its moments stay. A change of the data, the
    /// seed or either network is refused: those need a new run ([`Trainer::new`]).
    ///
    /// `carry_moments`: move the optimisers' moments into one whose parameters changed (β, momentum,
    /// …); that reads their state synchronously, so pass false on WebGPU in the browser, where such
    /// a change starts fresh moments. A change of optimiser kind always does.
    pub fn retune(&mut self, next: TrainConfig, carry_moments: bool) -> Result<Retuned, ConfigError> {
        next.validate()?;
        if let Some(field) = self.config.new_run_field(&next) {
            return Err(ConfigError::new(field, "changes the model itself: that needs a new run"));
        }
        let mut fresh = Vec::new();
        let mut swap = |name: &'static str, old: &OptimizerConfig, new: &OptimizerConfig, opt: &mut ModuleOptimizer| {
            let only_lr = OptimizerConfig { lr: old.lr, ..new.clone() } == *old;
            if only_lr {
                return;
            }
            let carried = (carry_moments && new.kind == old.kind)
                .then(|| opt.into_bytes().ok())
                .flatten()
                .and_then(|bytes| new.init().from_bytes(bytes).ok());
            *opt = carried.unwrap_or_else(|| {
                fresh.push(name);
                new.init()
            });
        };
        swap("generator", &self.config.optim_g, &next.optim_g, &mut self.s.opt_g);
        swap("discriminator", &self.config.optim_d, &next.optim_d, &mut self.s.opt_d);
        self.s.ema_g = match (self.s.ema_g.take(), next.ema > 0.0) {
            (Some(avg), true) => Some(avg),
            (None, true) => Some(self.s.g.valid()),
            (_, false) => None,
        };
        self.fused = fused_available(&self.device) && !next.objective.uses_gradient_penalty();
        self.config = next;
        Ok(Retuned { fresh_moments: fresh })
    }

    pub fn config(&self) -> &TrainConfig {
        &self.config
    }

    pub fn dataset(&self) -> &Dataset {
        &self.dataset
    }

    pub fn iteration(&self) -> u64 {
        self.s.iteration
    }

    pub fn generator(&self) -> &Mlp {
        &self.s.g
    }

    /// Remembers the current state as the one to return to (cheap: tensors are shared, not copied).
    pub fn checkpoint(&mut self) {
        self.saved = Some(self.s.clone());
    }

    /// Returns to the last checkpoint. False when there is none.
    pub fn rollback(&mut self) -> bool {
        match &self.saved {
            Some(state) => {
                self.s = state.clone();
                true
            }
            None => false,
        }
    }

    pub(super) fn upload(&self, values: Vec<f32>, cols: usize) -> Tensor<2> {
        let rows = values.len() / cols;
        Tensor::from_data(TensorData::new(values, [rows, cols]), &self.device)
    }

    pub(super) fn noise_values(&mut self, n: usize) -> Vec<f32> {
        let g = &self.config.generator;
        g.noise.sample(&mut self.s.rng, n, g.latent_dim)
    }

    /// λ · E[(‖∇ₓD(x̂)‖ − 1)²] at random interpolates x̂ of real and generated points (WGAN-GP).
    ///
    /// burn's autodiff is first-order, so ∇ₓD is taken by central differences with step h; for a
    /// piecewise-linear (ReLU) critic this is exact away from the kinks. The penalty stays
    /// differentiable in D's weights, which is all the update needs.
    pub(super) fn gradient_penalty(&mut self, real: Tensor<2>, fake: Tensor<2>) -> Tensor<1> {
        const H: f32 = 1e-2;
        let n = real.shape()[0];
        let eps: Vec<f32> = (0..n).map(|_| self.s.rng.uniform()).collect();
        let eps = self.upload(eps, 1);
        let x = real * eps.clone() + fake * (-eps + 1.0);
        let ex = self.upload(vec![H, 0.0], 2);
        let ey = self.upload(vec![0.0, H], 2);
        let d = &self.s.d;
        let dx = (d.forward(x.clone() + ex.clone()) - d.forward(x.clone() - ex)) / (2.0 * H);
        let dy = (d.forward(x.clone() + ey.clone()) - d.forward(x - ey)) / (2.0 * H);
        let norm = (dx.square() + dy.square() + 1e-12).sqrt();
        (norm - 1.0).square().mean() * self.config.gp_weight
    }

    /// The discriminator's loss on a real and a (detached) generated batch, penalty included.
    pub(super) fn d_objective(&mut self, real: Tensor<2>, fake: Tensor<2>) -> (Tensor<1>, Tensor<2>, Tensor<2>) {
        let d_real = self.s.d.forward(real.clone());
        let d_fake = self.s.d.forward(fake.clone());
        let mut loss = self.config.objective.d_loss(d_real.clone(), d_fake.clone(), self.config.label_smoothing);
        if self.config.objective.uses_gradient_penalty() && self.config.gp_weight > 0.0 {
            loss = loss + self.gradient_penalty(real, fake);
        }
        (loss, d_real, d_fake)
    }

    pub(super) fn update_d(&mut self, loss: Tensor<1>) {
        let grads = GradientsParams::from_grads(loss.backward(), &self.s.d);
        self.apply_d(grads, loss.detach().inner());
    }

    /// D's optimiser step with `grads` (and the critic's clipping); `loss` is kept for readouts.
    pub(super) fn apply_d(&mut self, grads: GradientsParams, loss: Tensor<1>) {
        self.s.d = self.s.opt_d.step(self.config.optim_d.lr, self.s.d.clone(), grads);
        if self.config.objective.clips_weights() {
            self.s.d = self.s.d.clone().map(&mut Clip(self.config.clip));
        }
        self.s.d_loss = Some(loss);
    }

    pub(super) fn update_g(&mut self, loss: Tensor<1>) {
        let mut grads = loss.backward();
        let grads = GradientsParams::from_module(&mut grads, &self.s.g);
        self.apply_g(grads, loss.detach().inner());
    }

    /// G's optimiser step with `grads` (and the moving average); `loss` is kept for readouts.
    pub(super) fn apply_g(&mut self, grads: GradientsParams, loss: Tensor<1>) {
        self.s.g = self.s.opt_g.step(self.config.optim_g.lr, self.s.g.clone(), grads);
        if let Some(avg) = self.s.ema_g.take() {
            self.s.ema_g = Some(params::blend(avg, &self.s.g, self.config.ema));
        }
        self.s.g_loss = Some(loss);
    }

    pub(super) fn scalar(&self, v: f32) -> Tensor<1> {
        Tensor::from_data(TensorData::new(vec![v], [1]), &self.device.clone().inner())
    }

    /// One discriminator update on a fresh real batch and a fresh (detached) fake batch.
    pub fn step_d(&mut self) {
        let n = self.config.batch_size;
        let real = self.dataset.sample(&mut self.s.rng, n);
        let z = self.noise_values(n);
        if self.fused && self.fused_step_d(&real, &z).is_some() {
            return;
        }
        let real = self.upload(real, 2);
        let z = self.upload(z, self.config.generator.latent_dim);
        let fake = self.s.g.forward(z).detach();
        let (loss, _, _) = self.d_objective(real, fake);
        self.update_d(loss);
    }

    /// D for the generator's update: its weights are constants there, so the backward pass takes
    /// gradients through D to G's output but none for D's own weights (which the update would drop).
    pub(super) fn frozen_d(&self) -> Mlp {
        self.s.d.clone().no_grad()
    }

    /// One generator update on fresh noise.
    pub fn step_g(&mut self) {
        let z = self.noise_values(self.config.batch_size);
        if self.fused && self.fused_step_g(&z).is_some() {
            return;
        }
        let z = self.upload(z, self.config.generator.latent_dim);
        let loss = self.config.objective.g_loss(self.frozen_d().forward(self.s.g.forward(z)));
        self.update_g(loss);
    }

    /// Counts a round made of separate [`Trainer::step_d`] and [`Trainer::step_g`] calls (the
    /// browser takes a heavy round apart so it can answer a pause in between).
    pub fn end_round(&mut self) {
        self.s.iteration += 1;
    }

    /// One round: k_D discriminator steps, then k_G generator steps.
    pub fn round(&mut self) {
        for _ in 0..self.config.k_d {
            self.step_d();
        }
        for _ in 0..self.config.k_g {
            self.step_g();
        }
        self.s.iteration += 1;
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

#[cfg(all(test, not(target_arch = "wasm32")))]
pub(super) mod tests {
    use super::*;
    use crate::loss::Objective;
    use crate::metrics;
    use crate::readback::block_on;
    use crate::model::{DiscriminatorConfig, GeneratorConfig};
    use crate::train::{OptimizerKind, Readout, View};


    pub(in crate::train) fn run(config: TrainConfig, rounds: usize) -> Readout {
        let mut t = Trainer::new(config, None, &Device::flex()).unwrap();
        for _ in 0..rounds {
            t.round();
        }
        block_on(t.readout(View::points(2000))).unwrap()
    }


    /// The reference config reaches the stated mode coverage on the CPU device.
    #[test]
    fn reference_config_covers_the_ring() {
        let modes = Dataset::Ring.modes().unwrap();
        let mut t = Trainer::new(TrainConfig::default(), None, &Device::flex()).unwrap();
        let mut best = None;
        for round in 1..=5000 {
            t.round();
            if round % 500 == 0 {
                let r = block_on(t.readout(View::points(2000))).unwrap();
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
        for objective in [Objective::Minimax, Objective::NonSaturating, Objective::LeastSquares, Objective::Hinge, Objective::Wasserstein, Objective::WassersteinGp] {
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
        let cfg = TrainConfig { objective: Objective::Wasserstein, clip: 0.05, batch_size: 32, ..Default::default() };
        let mut t = Trainer::new(cfg, None, &Device::flex()).unwrap();
        for _ in 0..5 {
            t.round();
        }
        struct Max(f32);
        impl burn::module::ModuleVisitor for Max {
            fn visit_float<const D: usize>(&mut self, p: &Param<Tensor<D>>) {
                let m = p.val().abs().max().into_data().try_to_vec::<f32>().unwrap()[0];
                self.0 = self.0.max(m);
            }
        }
        let mut m = Max(0.0);
        t.s.d.visit(&mut m);
        assert!(m.0 <= 0.05 + 1e-6 && m.0 > 0.0, "max |w| = {}", m.0);
    }


    /// Mean ‖∇ₓD‖ over points, by central differences (what the penalty measures).
    fn mean_grad_norm(t: &mut Trainer, points: &[f32]) -> f32 {
        let n = points.len() / 2;
        let h = 1e-3;
        let d = t.s.d.valid();
        let at = |dx: f32, dy: f32| {
            let p: Vec<f32> = points.chunks(2).flat_map(|c| [c[0] + dx, c[1] + dy]).collect();
            let x = Tensor::<2>::from_data(TensorData::new(p, [n, 2]), &Device::flex());
            d.forward(x).into_data().try_to_vec::<f32>().unwrap()
        };
        let (xp, xm, yp, ym) = (at(h, 0.0), at(-h, 0.0), at(0.0, h), at(0.0, -h));
        (0..n).map(|i| (((xp[i] - xm[i]) / (2.0 * h)).powi(2) + ((yp[i] - ym[i]) / (2.0 * h)).powi(2)).sqrt()).sum::<f32>() / n as f32
    }


    /// The penalty pulls the critic's input-gradient norm towards 1; without it the norm drifts.
    #[test]
    fn gradient_penalty_holds_the_critic_near_norm_one() {
        let mut probe_rng = Rng::new(5);
        let probe: Vec<f32> = (0..400).map(|_| probe_rng.range(-2.5, 2.5)).collect();
        let norm_after = |objective: Objective| {
            let cfg = TrainConfig { objective, clip: 10.0, batch_size: 128, ..Default::default() };
            let mut t = Trainer::new(cfg, None, &Device::flex()).unwrap();
            for _ in 0..300 {
                t.step_d();
            }
            mean_grad_norm(&mut t, &probe)
        };
        let with = norm_after(Objective::WassersteinGp);
        let without = norm_after(Objective::Wasserstein);
        assert!((0.6..1.4).contains(&with), "with the penalty: {with}");
        assert!(without > 2.0, "without the penalty: {without}");
    }


    /// An absurd learning rate makes the run diverge, under every objective; the readout says so
    /// and rollback restores the last finite state, from which training goes on.
    #[test]
    fn divergence_is_detected_and_rolled_back_on_every_objective() {
        use crate::loss::Objective::*;
        for objective in [Minimax, NonSaturating, LeastSquares, Hinge, Wasserstein, WassersteinGp] {
            let wild = OptimizerConfig { kind: OptimizerKind::Sgd, lr: 10.0, momentum: 0.9, ..Default::default() };
            // Weight clipping holds the WGAN critic still at the default bound; the loosest bound lets it go.
            let clip = if objective == Wasserstein { 10.0 } else { 0.01 };
            let cfg = TrainConfig { batch_size: 64, objective, clip, optim_g: wild.clone(), optim_d: wild, ..Default::default() };
            let mut t = Trainer::new(cfg, None, &Device::flex()).unwrap();
            let mut good = block_on(t.readout(View::points(32))).unwrap();
            t.checkpoint();
            let mut diverged_at = None;
            for i in 1..=300 {
                t.round();
                let r = block_on(t.readout(View::points(32))).unwrap();
                if !r.finite {
                    diverged_at = Some(i);
                    break;
                }
                t.checkpoint();
                good = r;
            }
            let at = diverged_at.unwrap_or_else(|| panic!("{objective:?}: lr 10 with momentum should diverge"));
            assert!(t.rollback(), "{objective:?}");
            let back = block_on(t.readout(View::points(32))).unwrap();
            assert!(back.finite, "{objective:?}");
            assert_eq!(back.fake, good.fake, "{objective:?}");
            assert_eq!(t.iteration(), good.iteration, "{objective:?}");
            assert!(t.iteration() < at as u64, "{objective:?}");
            println!("{objective:?}: diverged at round {at}, rolled back to {}", t.iteration());
        }
    }


    /// A round taken apart into its steps (as the browser does for heavy rounds) is the same round.
    #[test]
    fn a_round_in_separate_steps_is_the_same_round() {
        let cfg = TrainConfig { batch_size: 32, k_d: 3, k_g: 2, ..Default::default() };
        let mut a = Trainer::new(cfg.clone(), None, &Device::flex()).unwrap();
        let mut b = Trainer::new(cfg, None, &Device::flex()).unwrap();
        for _ in 0..2 {
            a.round();
            (0..3).for_each(|_| b.step_d());
            (0..2).for_each(|_| b.step_g());
            b.end_round();
        }
        let (ra, rb) = (block_on(a.readout(View::points(64))).unwrap(), block_on(b.readout(View::points(64))).unwrap());
        assert_eq!((ra.iteration, ra.d_loss, ra.g_loss, ra.fake), (rb.iteration, rb.d_loss, rb.g_loss, rb.fake));
    }

    /// Settings change on the running model: the weights and the round count stay, a learning-rate
    /// change applies from the next step (and only then), and a change of the model is refused.
    #[test]
    fn retuning_keeps_the_model_and_applies_from_the_next_step() {
        let cfg = TrainConfig { batch_size: 32, ..Default::default() };
        let mut a = Trainer::new(cfg.clone(), None, &Device::flex()).unwrap();
        let mut b = Trainer::new(cfg.clone(), None, &Device::flex()).unwrap();
        for _ in 0..5 {
            a.round();
            b.round();
        }
        // The same settings again: nothing changes, not even Adam's moments.
        assert_eq!(a.retune(cfg.clone(), true).unwrap(), Retuned::default());
        let same = |t: &mut Trainer| block_on(t.readout(View::points(64))).unwrap();
        let (ra, rb) = (same(&mut a), same(&mut b));
        assert_eq!((ra.iteration, ra.fake.clone(), ra.d_loss), (rb.iteration, rb.fake.clone(), rb.d_loss));
        a.round();
        b.round();
        assert_eq!(same(&mut a).fake, same(&mut b).fake, "an unchanged retune changed the run");
        // A new learning rate for G: same picture now, another one after the next round.
        let faster = TrainConfig { optim_g: OptimizerConfig { lr: 1e-2, ..cfg.optim_g.clone() }, ..cfg.clone() };
        assert_eq!(a.retune(faster, true).unwrap().fresh_moments, Vec::<&str>::new());
        assert_eq!(same(&mut a).fake, same(&mut b).fake);
        a.round();
        b.round();
        let (ra, rb) = (same(&mut a), same(&mut b));
        assert_eq!(ra.iteration, 7);
        assert_ne!(ra.fake, rb.fake, "the new learning rate did not apply");
        // β1 with the moments carried (CPU), and a new optimiser kind (fresh moments).
        let beta = TrainConfig { optim_d: OptimizerConfig { beta1: 0.9, ..cfg.optim_d.clone() }, ..cfg.clone() };
        assert_eq!(a.retune(beta, true).unwrap().fresh_moments, Vec::<&str>::new());
        let sgd = TrainConfig { optim_d: OptimizerConfig { kind: OptimizerKind::Sgd, ..cfg.optim_d.clone() }, ..cfg.clone() };
        assert_eq!(a.retune(sgd, true).unwrap().fresh_moments, vec!["discriminator"]);
        a.round();
        assert!(same(&mut a).finite);
        // The model itself cannot change in place.
        // Each field of NEW_RUN (the page's list too), named in the refusal.
        let bad = [
            TrainConfig { dataset: "grid".into(), ..cfg.clone() },
            TrainConfig { seed: 2, ..cfg.clone() },
            TrainConfig { generator: GeneratorConfig { width: 32, ..cfg.generator.clone() }, ..cfg.clone() },
            TrainConfig { discriminator: DiscriminatorConfig { width: 32, ..cfg.discriminator.clone() }, ..cfg.clone() },
        ];
        for (bad, field) in bad.into_iter().zip(crate::train::NEW_RUN) {
            let e = a.retune(bad, true).unwrap_err();
            assert!(e.to_string().contains("needs a new run") && e.to_string().starts_with(field), "{field}: {e}");
        }
        assert_eq!(a.iteration(), 8);
    }

    /// The lesson of the saturating objective: against a discriminator that has learnt to tell the
    /// generated points apart, the minimax loss gives the generator almost no gradient, the
    /// non-saturating loss a strong one, on the very same state (the objective is changed in place).
    #[test]
    fn minimax_starves_the_generator_where_non_saturating_does_not() {
        let sgd = OptimizerConfig { kind: OptimizerKind::Sgd, lr: 0.05, ..Default::default() };
        let cfg = TrainConfig { objective: Objective::NonSaturating, optim_g: sgd.clone(), optim_d: sgd, batch_size: 128, ..Default::default() };
        let mut t = Trainer::new(cfg.clone(), None, &Device::flex()).unwrap();
        for _ in 0..400 {
            t.step_d();
        }
        let norm = |t: &mut Trainer| block_on(t.readout(View { grad_norm: true, ..View::points(256) })).unwrap().grad_norm;
        let non_saturating = norm(&mut t);
        t.retune(TrainConfig { objective: Objective::Minimax, ..cfg }, true).unwrap();
        let minimax = norm(&mut t);
        println!("gradient norm: non-saturating {non_saturating}, minimax {minimax}");
        assert!(minimax.is_finite() && non_saturating >= 10.0 * minimax, "non-saturating {non_saturating}, minimax {minimax}");
    }
}
