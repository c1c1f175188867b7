//! The MLP used for both networks of the 2D playground.

use crate::data::Rng;
use crate::limits::{ConfigError, Range};
use burn::module::{Module, ModuleMapper, Param};
use burn::nn::{Linear, LinearConfig};
use burn::tensor::{Device, Tensor, TensorData, activation};
use serde::{Deserialize, Serialize};

/// Hidden-layer non-linearity.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Activation {
    Relu,
    /// Leaky ReLU with slope 0.2 for negative inputs.
    LeakyRelu,
    Tanh,
    /// ELU with α = 1.
    Elu,
}

impl Activation {
    pub const ALL: [Activation; 4] = [Activation::Relu, Activation::LeakyRelu, Activation::Tanh, Activation::Elu];
}

/// Distribution of the generator's latent noise.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Noise {
    /// z ~ N(0, I).
    Gaussian,
    /// z ~ U(−1, 1) per coordinate.
    Uniform,
}

impl Noise {
    pub const ALL: [Noise; 2] = [Noise::Gaussian, Noise::Uniform];

    /// Draws `n × dim` latent values on the host (row-major).
    pub fn sample(self, rng: &mut Rng, n: usize, dim: usize) -> Vec<f32> {
        (0..n * dim)
            .map(|_| match self {
                Noise::Gaussian => rng.normal(),
                Noise::Uniform => rng.range(-1.0, 1.0),
            })
            .collect()
    }
}

/// Generator: latent `z` → point in the plane.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct GeneratorConfig {
    /// Latent dimension, 1–16. Default 2.
    pub latent_dim: usize,
    /// Default Gaussian.
    pub noise: Noise,
    /// Hidden layers, 0–6. Default 3.
    pub hidden_layers: usize,
    /// Neurons per hidden layer, 1–256. Default 64.
    pub width: usize,
    /// Default ReLU.
    pub activation: Activation,
}

impl Default for GeneratorConfig {
    fn default() -> Self {
        Self { latent_dim: 2, noise: Noise::Gaussian, hidden_layers: 3, width: 64, activation: Activation::Relu }
    }
}

/// Discriminator (or critic): point → one logit (or score).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DiscriminatorConfig {
    /// Hidden layers, 0–6. Default 3.
    pub hidden_layers: usize,
    /// Neurons per hidden layer, 1–256. Default 64.
    pub width: usize,
    /// Default ReLU.
    pub activation: Activation,
}

impl Default for DiscriminatorConfig {
    fn default() -> Self {
        Self { hidden_layers: 3, width: 64, activation: Activation::Relu }
    }
}

/// The MLPs' ranges (the page's controls take them from here, see [`crate::limits`]).
pub const LATENT_DIM: Range = Range::int(1, 16);
pub const HIDDEN_LAYERS: Range = Range::int(0, 6);
pub const WIDTH: Range = Range::int(1, 256);

impl GeneratorConfig {
    pub fn validate(&self) -> Result<(), ConfigError> {
        LATENT_DIM.check_int("generator.latent_dim", self.latent_dim as u64)?;
        HIDDEN_LAYERS.check_int("generator.hidden_layers", self.hidden_layers as u64)?;
        WIDTH.check_int("generator.width", self.width as u64)
    }

    /// Builds the network with weights drawn from `rng` (the same weights on every device).
    pub fn init(&self, rng: &mut Rng, device: &Device) -> Mlp {
        Mlp::new(self.latent_dim, self.hidden_layers, self.width, 2, self.activation, rng, device)
    }
}

impl DiscriminatorConfig {
    pub fn validate(&self) -> Result<(), ConfigError> {
        HIDDEN_LAYERS.check_int("discriminator.hidden_layers", self.hidden_layers as u64)?;
        WIDTH.check_int("discriminator.width", self.width as u64)
    }

    /// Builds the network with weights drawn from `rng` (the same weights on every device).
    pub fn init(&self, rng: &mut Rng, device: &Device) -> Mlp {
        Mlp::new(2, self.hidden_layers, self.width, 1, self.activation, rng, device)
    }
}

/// Dense layers with a non-linearity between them and none after the last.
#[derive(Module, Debug)]
pub struct Mlp {
    layers: Vec<Linear>,
    #[module(skip)]
    activation: Activation,
}

impl Mlp {
    fn new(
        d_in: usize,
        hidden_layers: usize,
        width: usize,
        d_out: usize,
        activation: Activation,
        rng: &mut Rng,
        device: &Device,
    ) -> Self {
        let mut dims = vec![d_in];
        dims.extend(std::iter::repeat_n(width, hidden_layers));
        dims.push(d_out);
        let layers = dims.windows(2).map(|w| LinearConfig::new(w[0], w[1]).init(device)).collect();
        Self { layers, activation }.map(&mut HostInit { rng, fan_in: 1 })
    }

    /// The dense layers, input first (for [`crate::train::fused`]).
    #[cfg(feature = "train")]
    pub(crate) fn linears(&self) -> &[Linear] {
        &self.layers
    }

    #[cfg(feature = "train")]
    pub(crate) fn activation(&self) -> Activation {
        self.activation
    }

    /// # Shapes
    /// - input: `[batch, d_in]`
    /// - output: `[batch, d_out]`
    pub fn forward(&self, mut x: Tensor<2>) -> Tensor<2> {
        let last = self.layers.len() - 1;
        for (i, layer) in self.layers.iter().enumerate() {
            x = layer.forward(x);
            if i < last {
                x = match self.activation {
                    Activation::Relu => activation::relu(x),
                    Activation::LeakyRelu => activation::leaky_relu(x, 0.2),
                    Activation::Tanh => activation::tanh(x),
                    Activation::Elu => activation::elu(x, 1.0),
                };
            }
        }
        x
    }
}

/// Replaces every parameter with values drawn on the host: U(−1/√fan_in, 1/√fan_in), as PyTorch's
/// `nn.Linear` and `nn.Conv2d` do. Drawing on the host makes the weights the same on the CPU and on
/// WebGPU.
pub(crate) struct HostInit<'a> {
    pub(crate) rng: &'a mut Rng,
    pub(crate) fan_in: usize,
}

impl ModuleMapper for HostInit<'_> {
    fn map_float<const D: usize>(&mut self, param: Param<Tensor<D>>) -> Param<Tensor<D>> {
        let shape = param.lazy_shape();
        let device = param.lazy_device();
        if D == 2 {
            // Linear weights are [d_in, d_out]; the bias that follows shares the fan-in.
            self.fan_in = shape[0];
        }
        if D == 4 {
            // Conv weights are [out, in, k, k] and transposed conv weights [in, out, k, k]; like
            // PyTorch, both take the fan-in from dimension 1 times the kernel.
            self.fan_in = shape[1] * shape[2] * shape[3];
        }
        let bound = 1.0 / (self.fan_in as f32).sqrt();
        let values: Vec<f32> = (0..shape.num_elements()).map(|_| self.rng.range(-bound, bound)).collect();
        let tensor = Tensor::<D>::from_data(TensorData::new(values, shape), &device);
        let id = param.id;
        param.transform_for_load(tensor, id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes_and_determinism() {
        let device = Device::flex();
        let cfg = GeneratorConfig { latent_dim: 3, hidden_layers: 2, width: 8, ..Default::default() };
        let a = cfg.init(&mut Rng::new(1), &device);
        let b = cfg.init(&mut Rng::new(1), &device);
        let c = cfg.init(&mut Rng::new(2), &device);
        let z = Tensor::<2>::from_data(TensorData::new(vec![0.5f32; 12], [4, 3]), &device);
        let ya: Vec<f32> = a.forward(z.clone()).into_data().try_to_vec().unwrap();
        let yb: Vec<f32> = b.forward(z.clone()).into_data().try_to_vec().unwrap();
        let yc: Vec<f32> = c.forward(z).into_data().try_to_vec().unwrap();
        assert_eq!(ya.len(), 8);
        assert_eq!(ya, yb);
        assert_ne!(ya, yc);
    }

    #[test]
    fn zero_hidden_layers_is_one_dense_layer() {
        let device = Device::flex();
        let d = DiscriminatorConfig { hidden_layers: 0, ..Default::default() }.init(&mut Rng::new(1), &device);
        assert_eq!(d.layers.len(), 1);
        assert_eq!(d.num_params(), 3);
    }

    #[test]
    fn ranges_are_checked() {
        assert!(GeneratorConfig { latent_dim: 0, ..Default::default() }.validate().is_err());
        assert!(GeneratorConfig { latent_dim: 17, ..Default::default() }.validate().is_err());
        assert!(DiscriminatorConfig { width: 257, ..Default::default() }.validate().is_err());
        assert!(DiscriminatorConfig { hidden_layers: 7, ..Default::default() }.validate().is_err());
        assert!(GeneratorConfig::default().validate().is_ok());
    }
}
