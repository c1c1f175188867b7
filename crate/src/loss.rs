//! The GAN objectives, on discriminator logits (or critic scores).

use burn::tensor::{Tensor, activation::{log_sigmoid, relu}};
use serde::{Deserialize, Serialize};

/// Which game the two networks play.
///
/// WGAN-GP's gradient penalty is added by the trainer (see `train::gradient_penalty`): burn 0.22's
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
    pub const NAMES: [&'static str; 6] =
        ["minimax", "non_saturating", "least_squares", "hinge", "wasserstein", "wasserstein_gp"];

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
}
