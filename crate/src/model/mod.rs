//! Generator and discriminator networks built from configs: MLPs for the 2D playground and
//! DCGAN-style convolutional networks for small images.

pub mod conv;
mod mlp;
pub mod params;

pub use mlp::{Activation, DiscriminatorConfig, GeneratorConfig, HIDDEN_LAYERS, LATENT_DIM, Mlp, Noise, WIDTH};
