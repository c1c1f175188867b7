//! The GAN objectives, on discriminator logits (or critic scores).

use burn::tensor::{Tensor, activation::{log_sigmoid, relu}};
use serde::{Deserialize, Serialize};

/// Which game the two networks play.
///
/// WGAN-GP's gradient penalty is added by the trainer (see `Trainer::gradient_penalty` in train/trainer.rs): burn 0.22's
/// autodiff is first-order only, so the input gradient is taken by central differences.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Objective {
    /// The original minimax game: G minimises log(1 − D(G(z))).
    Minimax,
    /// G maximises log D(G(z)) instead, which does not saturate early in training.
    NonSaturating,
    /// Least squares (LSGAN): targets 1 for real, 0 for fake.
    LeastSquares,
    /// Hinge loss, as in SAGAN and BigGAN.
    Hinge,
    /// Wasserstein distance with a weight-clipped critic (WGAN).
    Wasserstein,
    /// Wasserstein distance with a gradient penalty on the critic (WGAN-GP).
    WassersteinGp,
}

impl Objective {
    /// Every objective, in the order the page lists them.
    pub const ALL: [Objective; 6] = [
        Objective::NonSaturating,
        Objective::Minimax,
        Objective::LeastSquares,
        Objective::Hinge,
        Objective::Wasserstein,
        Objective::WassersteinGp,
    ];

    /// Whether the discriminator outputs a logit (so σ(D(x)) is a probability of "real").
    pub fn has_logits(self) -> bool {
        matches!(self, Objective::Minimax | Objective::NonSaturating)
    }

    /// Whether D's output, as the trainer reports it, reads as "probability of real" in [0, 1]:
    /// σ(logit) for the logit objectives, and the least-squares output (trained towards 1 and 0).
    pub fn outputs_probabilities(self) -> bool {
        self.has_logits() || self == Objective::LeastSquares
    }

    /// Whether the trainer adds a gradient penalty to the critic's loss.
    pub fn uses_gradient_penalty(self) -> bool {
        self == Objective::WassersteinGp
    }

    /// Whether the discriminator's weights are clipped after each of its updates.
    pub fn clips_weights(self) -> bool {
        self == Objective::Wasserstein
    }

    /// The discriminator's loss. `smoothing` is one-sided label smoothing: the real target becomes
    /// 1 − smoothing (for the logit and least-squares objectives; the others have no labels).
    ///
    /// # Shapes
    /// - real, fake: `[batch, 1]`
    /// - output: `[1]`
    pub fn d_loss(self, real: Tensor<2>, fake: Tensor<2>, smoothing: f32) -> Tensor<1> {
        let target = 1.0 - smoothing;
        match self {
            Objective::Minimax | Objective::NonSaturating => {
                let real_term = if smoothing > 0.0 {
                    log_sigmoid(real.clone()) * target + log_sigmoid(-real) * smoothing
                } else {
                    log_sigmoid(real)
                };
                -(real_term.mean() + log_sigmoid(-fake).mean())
            }
            Objective::LeastSquares => ((real - target).square().mean() + fake.square().mean()) * 0.5,
            Objective::Hinge => relu(-real + 1.0).mean() + relu(fake + 1.0).mean(),
            Objective::Wasserstein | Objective::WassersteinGp => fake.mean() - real.mean(),
        }
    }

    /// The generator's loss on the discriminator's output for generated points.
    ///
    /// # Shapes
    /// - fake: `[batch, 1]`
    /// - output: `[1]`
    pub fn g_loss(self, fake: Tensor<2>) -> Tensor<1> {
        match self {
            Objective::Minimax => log_sigmoid(-fake).mean(),
            Objective::NonSaturating => -log_sigmoid(fake).mean(),
            Objective::LeastSquares => (fake - 1.0).square().mean() * 0.5,
            Objective::Hinge | Objective::Wasserstein | Objective::WassersteinGp => -fake.mean(),
        }
    }
}

/// The same objectives on host values with their derivatives written out by hand, for the fused
/// CPU step (`train::fused`): each takes D's raw outputs and gives the loss and ∂loss/∂output. A
/// test below holds them to the tensor forms above, value and derivative.
pub mod host {
    use super::Objective;

    /// log σ(x), without overflow.
    fn log_sigmoid(x: f32) -> f32 {
        x.min(0.0) - (-x.abs()).exp().ln_1p()
    }

    fn sigmoid(x: f32) -> f32 {
        if x >= 0.0 {
            1.0 / (1.0 + (-x).exp())
        } else {
            let e = x.exp();
            e / (1.0 + e)
        }
    }

    /// Mean of `f` over `xs`, summed in f64.
    fn mean(xs: &[f32], f: impl Fn(f32) -> f32) -> f32 {
        (xs.iter().map(|&x| f(x) as f64).sum::<f64>() / xs.len() as f64) as f32
    }

    /// The discriminator's loss (as [`Objective::d_loss`](super::Objective::d_loss)) for its outputs on a real and a generated
    /// batch, and its derivative by each output. None for WGAN-GP, whose penalty stays with burn.
    pub fn d_loss(objective: Objective, real: &[f32], fake: &[f32], smoothing: f32) -> Option<(f32, Vec<f32>, Vec<f32>)> {
        let (nr, nf) = (real.len() as f32, fake.len() as f32);
        let t = 1.0 - smoothing;
        let dr = |g: &dyn Fn(f32) -> f32| real.iter().map(|&x| g(x) / nr).collect::<Vec<f32>>();
        let df = |g: &dyn Fn(f32) -> f32| fake.iter().map(|&x| g(x) / nf).collect::<Vec<f32>>();
        Some(match objective {
            Objective::Minimax | Objective::NonSaturating => (
                -(mean(real, |x| t * log_sigmoid(x) + smoothing * log_sigmoid(-x)) + mean(fake, |x| log_sigmoid(-x))),
                dr(&|x| -(t * sigmoid(-x) - smoothing * sigmoid(x))),
                df(&sigmoid),
            ),
            Objective::LeastSquares => (
                0.5 * (mean(real, |x| (x - t) * (x - t)) + mean(fake, |x| x * x)),
                dr(&|x| x - t),
                df(&|x| x),
            ),
            Objective::Hinge => (
                mean(real, |x| (1.0 - x).max(0.0)) + mean(fake, |x| (1.0 + x).max(0.0)),
                dr(&|x| if 1.0 - x > 0.0 { -1.0 } else { 0.0 }),
                df(&|x| if 1.0 + x > 0.0 { 1.0 } else { 0.0 }),
            ),
            Objective::Wasserstein => (mean(fake, |x| x) - mean(real, |x| x), dr(&|_| -1.0), df(&|_| 1.0)),
            Objective::WassersteinGp => return None,
        })
    }

    /// The generator's loss (as [`Objective::g_loss`](super::Objective::g_loss)) for D's outputs on its batch, and its derivative
    /// by each output.
    pub fn g_loss(objective: Objective, fake: &[f32]) -> (f32, Vec<f32>) {
        let n = fake.len() as f32;
        let d = |g: &dyn Fn(f32) -> f32| fake.iter().map(|&x| g(x) / n).collect::<Vec<f32>>();
        match objective {
            Objective::Minimax => (mean(fake, |x| log_sigmoid(-x)), d(&|x| -sigmoid(x))),
            Objective::NonSaturating => (-mean(fake, log_sigmoid), d(&|x| -sigmoid(-x))),
            Objective::LeastSquares => (0.5 * mean(fake, |x| (x - 1.0) * (x - 1.0)), d(&|x| x - 1.0)),
            Objective::Hinge | Objective::Wasserstein | Objective::WassersteinGp => (-mean(fake, |x| x), d(&|_| -1.0)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use burn::tensor::{Device, TensorData};

    fn logits(v: &[f32]) -> Tensor<2> {
        Tensor::from_data(TensorData::new(v.to_vec(), [v.len(), 1]), &Device::flex())
    }

    fn scalar(t: Tensor<1>) -> f32 {
        t.into_data().try_to_vec::<f32>().unwrap()[0]
    }

    #[test]
    fn known_values() {
        let ln2 = std::f32::consts::LN_2;
        // D outputs 0 (probability ½) everywhere.
        let (r, f) = (logits(&[0.0, 0.0]), logits(&[0.0, 0.0]));
        assert!((scalar(Objective::NonSaturating.d_loss(r.clone(), f.clone(), 0.0)) - 2.0 * ln2).abs() < 1e-6);
        assert!((scalar(Objective::NonSaturating.g_loss(f.clone())) - ln2).abs() < 1e-6);
        assert!((scalar(Objective::Minimax.g_loss(f.clone())) + ln2).abs() < 1e-6);
        assert!((scalar(Objective::LeastSquares.d_loss(r.clone(), f.clone(), 0.0)) - 0.5).abs() < 1e-6);
        assert!((scalar(Objective::Hinge.d_loss(r, f, 0.0)) - 2.0).abs() < 1e-6);
        let (r, f) = (logits(&[3.0, 1.0]), logits(&[-1.0, 0.0]));
        assert!((scalar(Objective::Wasserstein.d_loss(r, f.clone(), 0.0)) - (-0.5 - 2.0)).abs() < 1e-6);
        assert!((scalar(Objective::Wasserstein.g_loss(f)) - 0.5).abs() < 1e-6);
    }

    #[test]
    fn label_smoothing_moves_the_real_target() {
        // With target 0.9, the best real logit is ln(9): the loss there is lower than at a large logit.
        let f = logits(&[-20.0]);
        let at = |x: f32| scalar(Objective::NonSaturating.d_loss(logits(&[x]), f.clone(), 0.1));
        assert!(at(9f32.ln()) < at(8.0));
        assert!(at(9f32.ln()) < at(1.0));
        let ls = |x: f32| scalar(Objective::LeastSquares.d_loss(logits(&[x]), logits(&[0.0]), 0.1));
        assert!(ls(0.9).abs() < 1e-7);
        // No smoothing: the old values.
        assert!(at(8.0) > scalar(Objective::NonSaturating.d_loss(logits(&[8.0]), f, 0.0)));
    }

    #[test]
    fn saturating_logits_stay_finite() {
        let (r, f) = (logits(&[1e4, -1e4]), logits(&[-1e4, 1e4]));
        for obj in [Objective::Minimax, Objective::NonSaturating] {
            assert!(scalar(obj.d_loss(r.clone(), f.clone(), 0.0)).is_finite());
            assert!(scalar(obj.g_loss(f.clone())).is_finite());
        }
    }

    /// The host forms ([`host`]) agree with the tensor forms: the same loss, and the derivative by
    /// each output equal to burn's autodiff gradient, for every objective the fused step takes.
    #[test]
    fn host_forms_agree_with_the_tensor_forms_value_and_derivative() {
        let dev = Device::flex().autodiff();
        let real: Vec<f32> = vec![2.5, -0.7, 0.0, 1.3, -3.1, 0.4, 0.9];
        let fake: Vec<f32> = vec![-1.9, 0.6, 3.3, -0.2, 1.1];
        let leaf = |v: &[f32]| Tensor::<2>::from_data(TensorData::new(v.to_vec(), [v.len(), 1]), &dev).require_grad();
        let values = |t: Tensor<2>| t.into_data().try_to_vec::<f32>().unwrap();
        let close = |what: &str, a: &[f32], b: &[f32]| {
            assert_eq!(a.len(), b.len(), "{what}");
            for (x, y) in a.iter().zip(b) {
                assert!((x - y).abs() <= 1e-5 * (1.0 + y.abs()), "{what}: host {x}, tensor {y}");
            }
        };
        for objective in [Objective::Minimax, Objective::NonSaturating, Objective::LeastSquares, Objective::Hinge, Objective::Wasserstein] {
            for smoothing in [0.0, 0.1] {
                let (r, f) = (leaf(&real), leaf(&fake));
                let loss = objective.d_loss(r.clone(), f.clone(), smoothing);
                let want = loss.clone().into_data().try_to_vec::<f32>().unwrap()[0];
                let grads = loss.backward();
                let (got, d_real, d_fake) = host::d_loss(objective, &real, &fake, smoothing).unwrap();
                close(&format!("{objective:?} d loss"), &[got], &[want]);
                close(&format!("{objective:?} ∂d/∂real"), &d_real, &values(r.grad(&grads).unwrap()));
                close(&format!("{objective:?} ∂d/∂fake"), &d_fake, &values(f.grad(&grads).unwrap()));
            }
            let f = leaf(&fake);
            let loss = objective.g_loss(f.clone());
            let want = loss.clone().into_data().try_to_vec::<f32>().unwrap()[0];
            let grads = loss.backward();
            let (got, d_fake) = host::g_loss(objective, &fake);
            close(&format!("{objective:?} g loss"), &[got], &[want]);
            close(&format!("{objective:?} ∂g/∂fake"), &d_fake, &values(f.grad(&grads).unwrap()));
        }
        assert!(host::d_loss(Objective::WassersteinGp, &real, &fake, 0.0).is_none());
    }
}
