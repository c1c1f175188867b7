//! Shipped generators: one `.gpk` file each (see [`crate::files::pack`]), weights in f16, with what the
//! page needs to label them. The page makes the noise; this maps noise (and classes) to images.

use crate::model::conv::{ConvGenerator, ConvGeneratorConfig};
use crate::model::params;
use crate::files::pack::{Dtype, Pack, read_entries};
use crate::files::error::WeightsError;
use burn::tensor::{Device, Tensor, TensorData};
use serde::{Deserialize, Serialize};
use std::future::Future;

pub const FORMAT: &str = "ganplay-generator";

/// What a generator file says about itself.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GeneratorMeta {
    /// Always [`FORMAT`].
    pub format: String,
    /// Short name, also the file's stem: "digits".
    pub id: String,
    pub label: String,
    /// Where the training images came from, and their licence.
    pub dataset: String,
    pub licence: String,
    /// One name per class of a conditional generator; empty otherwise.
    pub class_names: Vec<String>,
    /// Training steps (one D and one G update each).
    pub steps: u64,
    pub config: ConvGeneratorConfig,
}

/// A loaded generator.
pub struct Pretrained {
    pub meta: GeneratorMeta,
    pub generator: ConvGenerator,
    device: Device,
}

impl Pretrained {
    pub fn from_bytes(bytes: &[u8], device: &Device) -> Result<Self, WeightsError> {
        let pack = Pack::<GeneratorMeta>::from_bytes(bytes)?;
        let meta = pack.meta.clone();
        if meta.format != FORMAT {
            return Err(WeightsError::NotGanplay(format!("it is a {} file, not a generator", crate::text::quote(&meta.format))));
        }
        meta.config.validate().map_err(|e| WeightsError::Mismatch(e.to_string()))?;
        if meta.class_names.len() != meta.config.classes {
            return Err(WeightsError::Mismatch(format!(
                "{} class names for {} classes",
                meta.class_names.len(),
                meta.config.classes
            )));
        }
        // The file's shapes must be the config's before the network is built: a forged config could
        // otherwise ask for hundreds of megabytes only to be refused afterwards.
        let saved = pack.group("g.");
        let mut want = meta.config.param_shapes();
        let mut have: Vec<Vec<usize>> = saved.iter().map(|p| p.shape.clone()).collect();
        want.sort();
        have.sort();
        if want != have {
            return Err(WeightsError::Mismatch(format!("the weights' shapes {have:?} are not the config's {want:?}")));
        }
        let blank = meta.config.init(&mut crate::data::Rng::new(0), device);
        let generator = params::load(blank, &saved).map_err(WeightsError::Mismatch)?;
        Ok(Self { meta, generator, device: device.clone() })
    }

    /// A generator with fresh random weights, as the benchmark's `dcgan28-sample` uses.
    pub fn random(config: ConvGeneratorConfig, seed: u64, device: &Device) -> Result<Self, String> {
        config.validate()?;
        let generator = config.init(&mut crate::data::Rng::new(seed), device);
        let meta = GeneratorMeta {
            format: FORMAT.into(),
            id: "random".into(),
            label: "random weights".into(),
            dataset: String::new(),
            licence: String::new(),
            class_names: (0..config.classes).map(|k| k.to_string()).collect(),
            steps: 0,
            config,
        };
        Ok(Self { meta, generator, device: device.clone() })
    }

    /// Writes a generator's weights (read in one batch) as a file.
    pub fn to_bytes(meta: GeneratorMeta, g: &ConvGenerator, dtype: Dtype) -> impl Future<Output = Result<Vec<u8>, String>> + 'static {
        let read = read_entries(g, "g.", dtype);
        async move { Ok(Pack { meta, tensors: read.await?, blobs: vec![] }.to_bytes()) }
    }

    /// Images for noise `z` (`[n, latent_dim]` row-major) and, for a conditional generator, one
    /// class per image. Output `[n, channels, size, size]` in (−1, 1).
    pub fn generate(&self, z: &[f32], classes: &[u32]) -> Result<Tensor<4>, String> {
        generate(&self.generator, &self.meta.config, z, classes, &self.device)
    }

    pub fn device(&self) -> &Device {
        &self.device
    }

    /// Images for noise `z` and class weights `[n, classes]` (see [`generate_mixed`]).
    pub fn generate_mixed(&self, z: &[f32], weights: &[f32]) -> Result<Tensor<4>, String> {
        generate_mixed(&self.generator, &self.meta.config, z, weights, &self.device)
    }
}

/// The number of noise rows in `z`, checked.
fn rows(config: &ConvGeneratorConfig, z: &[f32]) -> Result<usize, String> {
    let dim = config.latent_dim;
    if z.is_empty() || z.len() % dim != 0 {
        return Err(format!("the noise has {} values, not a whole number of {dim}-value rows", z.len()));
    }
    let n = z.len() / dim;
    if n > 1024 {
        return Err(format!("{n} images at once is more than the limit of 1024"));
    }
    Ok(n)
}

/// Runs a conditional `g` on noise and class weights `[n, classes]` (each row non-negative,
/// summing to 1: one class, or a blend of classes), checking them first.
pub fn generate_mixed(g: &ConvGenerator, config: &ConvGeneratorConfig, z: &[f32], weights: &[f32], device: &Device) -> Result<Tensor<4>, String> {
    let n = rows(config, z)?;
    let k = config.classes;
    if k == 0 {
        return Err("this generator has no classes to blend".into());
    }
    if weights.len() != n * k {
        return Err(format!("{n} noise rows need {} class weights, not {}", n * k, weights.len()));
    }
    for (i, row) in weights.chunks_exact(k).enumerate() {
        let sum: f32 = row.iter().sum();
        if row.iter().any(|w| !w.is_finite() || *w < 0.0) || (sum - 1.0).abs() > 1e-3 {
            return Err(format!("the class weights of image {} are not non-negative numbers summing to 1", i + 1));
        }
    }
    let z = Tensor::<2>::from_data(TensorData::new(z.to_vec(), [n, config.latent_dim]), device);
    let w = Tensor::<2>::from_data(TensorData::new(weights.to_vec(), [n, k]), device);
    Ok(g.forward(z, Some(w)))
}

/// Runs `g` on noise and classes, checking their sizes first.
pub fn generate(g: &ConvGenerator, config: &ConvGeneratorConfig, z: &[f32], classes: &[u32], device: &Device) -> Result<Tensor<4>, String> {
    let dim = config.latent_dim;
    let n = rows(config, z)?;
    let one_hot = if config.classes > 0 {
        if classes.len() != n {
            return Err(format!("{n} noise rows but {} classes", classes.len()));
        }
        if let Some(c) = classes.iter().find(|&&c| c as usize >= config.classes) {
            return Err(format!("class {c} is not one of the {} classes", config.classes));
        }
        let labels: Vec<usize> = classes.iter().map(|&c| c as usize).collect();
        Some(crate::model::conv::one_hot(&labels, config.classes, device))
    } else {
        None
    };
    let z = Tensor::<2>::from_data(TensorData::new(z.to_vec(), [n, dim]), device);
    Ok(g.forward(z, one_hot))
}

/// Images of a generator file for fixed noise: the fixture that native and wasm builds must both
/// reproduce (`ganplay reference`).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Reference {
    pub z: Vec<f32>,
    pub classes: Vec<u32>,
    pub images: Vec<f32>,
}

impl Reference {
    pub const COUNT: usize = 4;

    /// Noise (seed 42) and classes for [`Reference::COUNT`] images of the model in `bytes`.
    pub fn inputs(meta: &GeneratorMeta) -> (Vec<f32>, Vec<u32>) {
        let mut rng = crate::data::Rng::new(42);
        let z = (0..Self::COUNT * meta.config.latent_dim).map(|_| rng.normal()).collect();
        let k = meta.config.classes as u32;
        let classes = if k > 0 { (0..Self::COUNT as u32).map(|i| (3 * i + 1) % k).collect() } else { vec![] };
        (z, classes)
    }

    /// Computes the reference on the CPU device.
    #[cfg(feature = "cpu")]
    pub fn make(bytes: &[u8]) -> Result<Self, String> {
        let p = Pretrained::from_bytes(bytes, &Device::flex()).map_err(|e| e.to_string())?;
        let (z, classes) = Self::inputs(&p.meta);
        let images = p.generate(&z, &classes)?.into_data().try_to_vec::<f32>().map_err(|e| format!("{e:?}"))?;
        Ok(Self { z, classes, images })
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::data::Rng;
    use crate::model::conv::ImageShape;
    use crate::readback::block_on;

    fn meta(config: ConvGeneratorConfig) -> GeneratorMeta {
        GeneratorMeta {
            format: FORMAT.into(),
            id: "t".into(),
            label: "test".into(),
            dataset: "none".into(),
            licence: "MIT".into(),
            class_names: (0..config.classes).map(|c| c.to_string()).collect(),
            steps: 0,
            config,
        }
    }

    fn images(p: &Pretrained, z: &[f32], c: &[u32]) -> Vec<f32> {
        p.generate(z, c).unwrap().into_data().try_to_vec().unwrap()
    }

    #[test]
    fn f16_files_match_f32_within_a_hundredth() {
        let device = Device::flex();
        let config = ConvGeneratorConfig { classes: 3, width: 32, latent_dim: 16, image: ImageShape { size: 28, channels: 1 } };
        let g = config.init(&mut Rng::new(4), &device);
        let f32_file = block_on(Pretrained::to_bytes(meta(config.clone()), &g, Dtype::F32)).unwrap();
        let f16_file = block_on(Pretrained::to_bytes(meta(config.clone()), &g, Dtype::F16)).unwrap();
        assert!(f16_file.len() < f32_file.len() * 6 / 10);
        let a = Pretrained::from_bytes(&f32_file, &device).unwrap();
        let b = Pretrained::from_bytes(&f16_file, &device).unwrap();
        let mut r = Rng::new(1);
        let z: Vec<f32> = (0..8 * 16).map(|_| r.normal()).collect();
        let c = [0, 1, 2, 0, 1, 2, 0, 1];
        let (x, y) = (images(&a, &z, &c), images(&b, &z, &c));
        let direct: Vec<f32> = generate(&g, &config, &z, &c, &device).unwrap().into_data().try_to_vec().unwrap();
        assert_eq!(x, direct, "f32 files are exact");
        let worst = x.iter().zip(&y).map(|(p, q)| (p - q).abs()).fold(0.0, f32::max);
        assert!(worst < 1e-2, "f16 differs from f32 by {worst}");
    }

    #[test]
    fn a_blend_of_two_classes_lies_between_them() {
        let device = Device::flex();
        let config = ConvGeneratorConfig { classes: 3, width: 16, latent_dim: 4, image: ImageShape { size: 28, channels: 1 } };
        let p = Pretrained::random(config, 5, &device).unwrap();
        let z = [0.3, -0.2, 0.9, 0.1];
        let one = |w: [f32; 3]| -> Vec<f32> { p.generate_mixed(&z, &w).unwrap().into_data().try_to_vec().unwrap() };
        assert_eq!(one([0.0, 1.0, 0.0]), images(&p, &z, &[1]), "a one-hot weight row is that class");
        let (a, b, mid) = (one([1.0, 0.0, 0.0]), one([0.0, 0.0, 1.0]), one([0.5, 0.0, 0.5]));
        let dist = |x: &[f32], y: &[f32]| x.iter().zip(y).map(|(p, q)| (p - q).abs()).sum::<f32>();
        assert!(dist(&mid, &a) > 0.0 && dist(&mid, &b) > 0.0);
        assert!(dist(&mid, &a) < dist(&a, &b) && dist(&mid, &b) < dist(&a, &b), "the blend is not between the two classes");
    }

    #[test]
    fn param_shapes_are_the_built_networks() {
        let device = Device::flex();
        for config in [
            ConvGeneratorConfig { classes: 2, width: 16, latent_dim: 4, image: ImageShape { size: 28, channels: 1 } },
            ConvGeneratorConfig { classes: 0, width: 8, latent_dim: 3, image: ImageShape { size: 32, channels: 3 } },
        ] {
            let g = config.init(&mut Rng::new(1), &device);
            let built: Vec<Vec<usize>> = params::ids_and_shapes(&g).into_iter().map(|(_, s)| s).collect();
            assert_eq!(built, config.param_shapes());
        }
    }

    #[test]
    fn wrong_inputs_and_files_are_named() {
        let device = Device::flex();
        let config = ConvGeneratorConfig { classes: 2, width: 16, latent_dim: 4, image: ImageShape { size: 28, channels: 1 } };
        let g = config.init(&mut Rng::new(4), &device);
        let file = block_on(Pretrained::to_bytes(meta(config.clone()), &g, Dtype::F16)).unwrap();
        let p = Pretrained::from_bytes(&file, &device).unwrap();
        assert!(p.generate(&[0.0; 5], &[0]).unwrap_err().contains("whole number"));
        assert!(p.generate(&[0.0; 8], &[0]).unwrap_err().contains("2 noise rows"));
        assert!(p.generate(&[0.0; 4], &[2]).unwrap_err().contains("class 2"));
        assert!(p.generate_mixed(&[0.0; 4], &[0.5, 0.4]).unwrap_err().contains("summing to 1"));
        assert!(p.generate_mixed(&[0.0; 4], &[1.5, -0.5]).unwrap_err().contains("non-negative"));
        assert!(p.generate_mixed(&[0.0; 4], &[f32::NAN, 1.0]).is_err());
        assert!(p.generate_mixed(&[0.0; 8], &[1.0, 0.0]).unwrap_err().contains("4 class weights"));
        // Class names that do not fit the classes, and a config the weights do not fit.
        let mut m = meta(config.clone());
        m.class_names.pop();
        let bad = block_on(Pretrained::to_bytes(m, &g, Dtype::F16)).unwrap();
        assert!(matches!(Pretrained::from_bytes(&bad, &device), Err(WeightsError::Mismatch(_))));
        let mut m = meta(config.clone());
        m.config.width = 32;
        let bad = block_on(Pretrained::to_bytes(m, &g, Dtype::F16)).unwrap();
        assert!(Pretrained::from_bytes(&bad, &device).err().unwrap().to_string().contains("shape"));
        assert!(Pretrained::from_bytes(&file[..file.len() / 2], &device).err().unwrap().to_string().contains("truncated"));
    }
}
