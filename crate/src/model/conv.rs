//! DCGAN-style convolutional generator and discriminator for small images (28×28 or 32×32,
//! 1 or 3 channels), optionally class-conditional.

use super::mlp::HostInit;
use crate::limits::{ConfigError, Range};
use crate::data::Rng;
use burn::module::Module;
use burn::nn::conv::{Conv2d, Conv2dConfig, ConvTranspose2d, ConvTranspose2dConfig};
use burn::nn::{Linear, LinearConfig, PaddingConfig2d};
use burn::tensor::{Device, Tensor, TensorData, activation};
use serde::{Deserialize, Serialize};

/// Image geometry shared by both networks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImageShape {
    /// Side in pixels: 28 or 32 (two stride-2 steps from 7 or 8).
    pub size: usize,
    /// 1 (grey) or 3 (RGB).
    pub channels: usize,
}

/// How many classes a conditional network may have (0: unconditional).
const CLASSES: Range = Range::int(0, 1000);

impl ImageShape {
    fn validate(&self) -> Result<(), ConfigError> {
        if ![28, 32].contains(&self.size) {
            return Err(ConfigError::new("image size", format!("must be 28 or 32, got {}", self.size)));
        }
        if ![1, 3].contains(&self.channels) {
            return Err(ConfigError::new("image channels", format!("must be 1 or 3, got {}", self.channels)));
        }
        Ok(())
    }

    /// Side of the first feature map (a quarter of the image).
    fn base(&self) -> usize {
        self.size / 4
    }
}

/// z (and a one-hot class) → Dense → ReLU → [width, s/4, s/4] → ConvT(width/2, 4, stride 2) → ReLU
/// → ConvT(channels, 4, stride 2) → tanh. With latent 64, width 128, 28×28×1 this is the
/// `dcgan28-sample` generator of the benchmark.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ConvGeneratorConfig {
    /// 1–256. Default 64.
    pub latent_dim: usize,
    /// Number of classes for a conditional generator; 0 for none. Default 0.
    pub classes: usize,
    /// Channels of the first feature map, 8–512, even. Default 128.
    pub width: usize,
    pub image: ImageShape,
}

impl Default for ConvGeneratorConfig {
    fn default() -> Self {
        Self { latent_dim: 64, classes: 0, width: 128, image: ImageShape { size: 28, channels: 1 } }
    }
}

/// Image (and a one-hot class) → Conv(width, 4, stride 2) → LeakyReLU 0.2 → Conv(2·width, 4,
/// stride 2) → LeakyReLU → Dense 256 → LeakyReLU → Dense 1 (a logit); a conditional critic adds the
/// projection ⟨embed(class), features⟩ (Miyato & Koyama's projection discriminator), and with
/// `auxiliary` a second head that names the class (Odena et al.'s AC-GAN).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ConvDiscriminatorConfig {
    pub classes: usize,
    /// Channels of the first conv, 8–256. Default 64.
    pub width: usize,
    pub image: ImageShape,
    /// A class head Dense 256 → classes on the same features (conditional critics only). Default off.
    pub auxiliary: bool,
}

impl Default for ConvDiscriminatorConfig {
    fn default() -> Self {
        Self { classes: 0, width: 64, image: ImageShape { size: 28, channels: 1 }, auxiliary: false }
    }
}

impl ConvGeneratorConfig {
    pub fn validate(&self) -> Result<(), ConfigError> {
        Range::int(1, 256).check_int("generator.latent_dim", self.latent_dim as u64)?;
        CLASSES.check_int("generator.classes", self.classes as u64)?;
        Range::int(8, 512).check_int("generator.width", self.width as u64)?;
        if self.width % 2 != 0 {
            return Err(ConfigError::new("generator.width", format!("must be even, got {}", self.width)));
        }
        self.image.validate()
    }

    /// The shapes of the network's parameters, in `init`'s order, without building it: a weight file
    /// is checked against these before any memory is given to the network.
    pub fn param_shapes(&self) -> Vec<Vec<usize>> {
        let s = self.image.base();
        let (w, h, c) = (self.width, self.width / 2, self.image.channels);
        vec![
            vec![self.latent_dim + self.classes, w * s * s],
            vec![w * s * s],
            vec![w, h, 4, 4],
            vec![h],
            vec![h, c, 4, 4],
            vec![c],
        ]
    }

    /// Builds the network with weights drawn from `rng` (the same weights on every device).
    pub fn init(&self, rng: &mut Rng, device: &Device) -> ConvGenerator {
        let s = self.image.base();
        let g = ConvGenerator {
            project: LinearConfig::new(self.latent_dim + self.classes, self.width * s * s).init(device),
            up1: ConvTranspose2dConfig::new([self.width, self.width / 2], [4, 4])
                .with_stride([2, 2])
                .with_padding([1, 1])
                .init(device),
            up2: ConvTranspose2dConfig::new([self.width / 2, self.image.channels], [4, 4])
                .with_stride([2, 2])
                .with_padding([1, 1])
                .init(device),
            width: self.width,
            base: s,
            classes: self.classes,
        };
        g.map(&mut HostInit { rng, fan_in: 1 })
    }
}

impl ConvDiscriminatorConfig {
    pub fn validate(&self) -> Result<(), ConfigError> {
        CLASSES.check_int("discriminator.classes", self.classes as u64)?;
        Range::int(8, 256).check_int("discriminator.width", self.width as u64)?;
        if self.auxiliary && self.classes == 0 {
            return Err(ConfigError::new("discriminator.auxiliary", "needs classes"));
        }
        self.image.validate()
    }

    pub fn init(&self, rng: &mut Rng, device: &Device) -> ConvDiscriminator {
        let s = self.image.base();
        let conv = |c_in, c_out| {
            Conv2dConfig::new([c_in, c_out], [4, 4]).with_stride([2, 2]).with_padding(PaddingConfig2d::Explicit(1, 1, 1, 1)).init(device)
        };
        let d = ConvDiscriminator {
            down1: conv(self.image.channels, self.width),
            down2: conv(self.width, 2 * self.width),
            hidden: LinearConfig::new(2 * self.width * s * s, 256).init(device),
            out: LinearConfig::new(256, 1).init(device),
            embed: (self.classes > 0).then(|| LinearConfig::new(self.classes, 256).with_bias(false).init(device)),
            aux: (self.auxiliary && self.classes > 0).then(|| LinearConfig::new(256, self.classes).init(device)),
        };
        d.map(&mut HostInit { rng, fan_in: 1 })
    }
}

#[derive(Module, Debug)]
pub struct ConvGenerator {
    project: Linear,
    up1: ConvTranspose2d,
    up2: ConvTranspose2d,
    #[module(skip)]
    width: usize,
    #[module(skip)]
    base: usize,
    #[module(skip)]
    classes: usize,
}

impl ConvGenerator {
    /// # Shapes
    /// - z: `[batch, latent_dim]`
    /// - classes: `[batch, classes]` one-hot, for a conditional generator (else `None`)
    /// - output: `[batch, channels, size, size]` in (−1, 1)
    /// A class row may blend classes (weights summing to 1): interpolation between two classes.
    pub fn forward(&self, z: Tensor<2>, classes: Option<Tensor<2>>) -> Tensor<4> {
        let n = z.shape()[0];
        let x = self.first_response(z, classes).reshape([n, self.width, self.base, self.base]);
        let x = activation::relu(self.up1.forward(x));
        activation::tanh(self.up2.forward(x))
    }

    /// The first layer's response `[batch, width·(s/4)²]` (after its ReLU): what the latent
    /// directions of the gallery's sliders are found from.
    pub fn first_response(&self, z: Tensor<2>, classes: Option<Tensor<2>>) -> Tensor<2> {
        let input = match classes {
            Some(c) if self.classes > 0 => Tensor::cat(vec![z, c], 1),
            _ => z,
        };
        activation::relu(self.project.forward(input))
    }
}

#[derive(Module, Debug)]
pub struct ConvDiscriminator {
    down1: Conv2d,
    down2: Conv2d,
    hidden: Linear,
    out: Linear,
    embed: Option<Linear>,
    aux: Option<Linear>,
}

impl ConvDiscriminator {
    /// # Shapes
    /// - images: `[batch, channels, size, size]` in [−1, 1]
    /// - classes: `[batch, classes]` one-hot, for a conditional critic (else `None`)
    /// - output: `[batch, 1]` logits
    pub fn forward(&self, images: Tensor<4>, classes: Option<Tensor<2>>) -> Tensor<2> {
        self.logit(self.features(images), classes)
    }

    /// The logit and, with an auxiliary head, the class logits `[batch, classes]`.
    pub fn forward_with_classes(&self, images: Tensor<4>, classes: Option<Tensor<2>>) -> (Tensor<2>, Option<Tensor<2>>) {
        let h = self.features(images);
        let named = self.aux.as_ref().map(|aux| aux.forward(h.clone()));
        (self.logit(h, classes), named)
    }

    /// The 256 features both heads read.
    fn features(&self, images: Tensor<4>) -> Tensor<2> {
        let n = images.shape()[0];
        let x = activation::leaky_relu(self.down1.forward(images), 0.2);
        let x = activation::leaky_relu(self.down2.forward(x), 0.2);
        let x: Tensor<2> = x.reshape([n as i32, -1]);
        activation::leaky_relu(self.hidden.forward(x), 0.2)
    }

    fn logit(&self, h: Tensor<2>, classes: Option<Tensor<2>>) -> Tensor<2> {
        let logit = self.out.forward(h.clone());
        match (&self.embed, classes) {
            (Some(embed), Some(c)) => logit + (embed.forward(c) * h).sum_dim(1),
            _ => logit,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use burn::tensor::TensorData;

    fn normal(n: usize, seed: u64) -> Vec<f32> {
        let mut r = Rng::new(seed);
        (0..n).map(|_| r.normal()).collect()
    }

    #[test]
    fn the_benchmark_generator_has_its_shape_and_range() {
        let device = Device::flex();
        let cfg = ConvGeneratorConfig::default();
        let g = cfg.init(&mut Rng::new(1), &device);
        // Dense 64→6272 (+bias), ConvT 128→64 k4 (+bias), ConvT 64→1 k4 (+bias).
        assert_eq!(g.num_params(), 64 * 6272 + 6272 + 128 * 64 * 16 + 64 + 64 * 16 + 1);
        let z = Tensor::<2>::from_data(TensorData::new(normal(4 * 64, 2), [4, 64]), &device);
        let img = g.forward(z, None);
        let s = img.shape();
        assert_eq!([s[0], s[1], s[2], s[3]], [4, 1, 28, 28]);
        let v: Vec<f32> = img.into_data().try_to_vec().unwrap();
        assert!(v.iter().all(|x| x.abs() < 1.0));
        assert!(v.iter().any(|x| x.abs() > 1e-3), "the image is all zeros");
    }

    #[test]
    fn conditional_networks_use_the_class() {
        let device = Device::flex();
        let image = ImageShape { size: 32, channels: 3 };
        let g = ConvGeneratorConfig { classes: 10, width: 32, latent_dim: 16, image }.init(&mut Rng::new(1), &device);
        let d = ConvDiscriminatorConfig { classes: 10, width: 16, image, ..Default::default() }.init(&mut Rng::new(2), &device);
        let z = Tensor::<2>::from_data(TensorData::new(normal(2 * 16, 3), [2, 16]), &device);
        let one_hot = |k: usize| one_hot(&[k, k], 10, &device);
        let a = g.forward(z.clone(), Some(one_hot(3)));
        let b = g.forward(z, Some(one_hot(7)));
        let s = a.shape();
        assert_eq!([s[0], s[1], s[2], s[3]], [2, 3, 32, 32]);
        let diff: f32 = (a.clone() - b).abs().sum().into_data().try_to_vec::<f32>().unwrap()[0];
        assert!(diff > 0.0, "the class does not change the image");
        let la: Vec<f32> = d.forward(a.clone(), Some(one_hot(3))).into_data().try_to_vec().unwrap();
        let lb: Vec<f32> = d.forward(a, Some(one_hot(7))).into_data().try_to_vec().unwrap();
        assert_eq!(la.len(), 2);
        assert_ne!(la, lb, "the class does not change the critic's output");
    }

    #[test]
    fn same_seed_same_weights_and_ranges_are_checked() {
        let device = Device::flex();
        let cfg = ConvDiscriminatorConfig::default();
        let x = Tensor::<4>::from_data(TensorData::new(normal(2 * 28 * 28, 5), [2, 1, 28, 28]), &device);
        let a: Vec<f32> = cfg.init(&mut Rng::new(9), &device).forward(x.clone(), None).into_data().try_to_vec().unwrap();
        let b: Vec<f32> = cfg.init(&mut Rng::new(9), &device).forward(x, None).into_data().try_to_vec().unwrap();
        assert_eq!(a, b);
        assert!(ConvGeneratorConfig { width: 7, ..Default::default() }.validate().is_err());
        assert!(ConvGeneratorConfig { image: ImageShape { size: 64, channels: 1 }, ..Default::default() }.validate().is_err());
        assert!(ConvDiscriminatorConfig { image: ImageShape { size: 28, channels: 2 }, ..Default::default() }.validate().is_err());
        assert!(ConvGeneratorConfig::default().validate().is_ok());
    }
}

/// `[n, k]` one-hot rows for `labels`.
pub fn one_hot(labels: &[usize], k: usize, device: &Device) -> Tensor<2> {
    let mut v = vec![0.0f32; labels.len() * k];
    for (row, &l) in labels.iter().enumerate() {
        v[row * k + l.min(k - 1)] = 1.0;
    }
    Tensor::from_data(TensorData::new(v, [labels.len(), k]), device)
}
