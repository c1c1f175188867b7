//! The GAN objectives, on discriminator logits (or critic scores).

use burn::tensor::{Tensor, activation::{log_sigmoid, relu}};
use serde::{Deserialize, Serialize};

/// Which game the two networks play.
///
/// A gradient penalty (WGAN-GP) is not offered: it needs the gradient of a gradient, and burn
/// 0.22's autodiff is first-order only.
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
}

impl Objective {
    pub const NAMES: [&'static str; 5] = ["minimax", "non_saturating", "least_squares", "hinge", "wasserstein"];

    /// Whether the discriminator's weights are clipped after each of its updates.
    pub fn clips_weights(self) -> bool {
        self == Objective::Wasserstein
    }

    /// The discriminator's loss.
    ///
    /// # Shapes
    /// - real, fake: `[batch, 1]`
    /// - output: `[1]`
    pub fn d_loss(self, real: Tensor<2>, fake: Tensor<2>) -> Tensor<1> {
        match self {
            Objective::Minimax | Objective::NonSaturating => {
                -(log_sigmoid(real).mean() + log_sigmoid(-fake).mean())
            }
            Objective::LeastSquares => ((real - 1.0).square().mean() + fake.square().mean()) * 0.5,
            Objective::Hinge => relu(-real + 1.0).mean() + relu(fake + 1.0).mean(),
            Objective::Wasserstein => fake.mean() - real.mean(),
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
            Objective::Hinge | Objective::Wasserstein => -fake.mean(),
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
        t.into_data().to_vec::<f32>().unwrap()[0]
    }

    #[test]
    fn known_values() {
        let ln2 = std::f32::consts::LN_2;
        // D outputs 0 (probability ½) everywhere.
        let (r, f) = (logits(&[0.0, 0.0]), logits(&[0.0, 0.0]));
        assert!((scalar(Objective::NonSaturating.d_loss(r.clone(), f.clone())) - 2.0 * ln2).abs() < 1e-6);
        assert!((scalar(Objective::NonSaturating.g_loss(f.clone())) - ln2).abs() < 1e-6);
        assert!((scalar(Objective::Minimax.g_loss(f.clone())) + ln2).abs() < 1e-6);
        assert!((scalar(Objective::LeastSquares.d_loss(r.clone(), f.clone())) - 0.5).abs() < 1e-6);
        assert!((scalar(Objective::Hinge.d_loss(r, f)) - 2.0).abs() < 1e-6);
        let (r, f) = (logits(&[3.0, 1.0]), logits(&[-1.0, 0.0]));
        assert!((scalar(Objective::Wasserstein.d_loss(r, f.clone())) - (-0.5 - 2.0)).abs() < 1e-6);
        assert!((scalar(Objective::Wasserstein.g_loss(f)) - 0.5).abs() < 1e-6);
    }

    #[test]
    fn saturating_logits_stay_finite() {
        let (r, f) = (logits(&[1e4, -1e4]), logits(&[-1e4, 1e4]));
        for obj in [Objective::Minimax, Objective::NonSaturating] {
            assert!(scalar(obj.d_loss(r.clone(), f.clone())).is_finite());
            assert!(scalar(obj.g_loss(f.clone())).is_finite());
        }
    }
}
