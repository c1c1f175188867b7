//! Generator and discriminator networks built from configs: MLPs for the 2D playground and
//! DCGAN-style convolutional networks for small images.

pub mod conv;
mod mlp;
pub mod params;

#[cfg_attr(not(feature = "train"), allow(unused_imports))]
pub(crate) use mlp::check;
pub use mlp::{Activation, DiscriminatorConfig, GeneratorConfig, Mlp, Noise};
