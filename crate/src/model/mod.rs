//! Generator and discriminator networks: multilayer perceptrons built from configs.

mod mlp;
pub mod params;

pub use mlp::{Activation, DiscriminatorConfig, GeneratorConfig, Mlp, Noise};
