//! Training a convolutional GAN on small images (the pretrained generators, natively, and the
//! in-tab digits trainer, in the browser): the same code on every device.

use crate::data::Rng;
use crate::data::images::ImageSet;
use crate::loss::Objective;
use crate::model::conv::{ConvDiscriminator, ConvDiscriminatorConfig, ConvGenerator, ConvGeneratorConfig, ImageShape, one_hot};
use crate::limits::{ConfigError, Range};
use crate::model::params;
use burn::module::Module;
use burn::optim::{AdamConfig, GradientsParams, ModuleOptimizer};
use crate::files::pack::{Dtype, Pack, read_entries};
use burn::tensor::{Device, Tensor, TensorData};
use serde::{Deserialize, Serialize};

/// Everything that defines an image GAN run.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ImageGanConfig {
    pub seed: u64,
    /// 1–512. Default 64.
    pub batch_size: usize,
    /// Adam's learning rates. Default 2e-4 for both (DCGAN).
    pub lr_g: f64,
    pub lr_d: f64,
    /// Adam's β₁. Default 0.5 (DCGAN).
    pub beta1: f32,
    /// One-sided label smoothing of the real target, 0–0.5. Default 0.1.
    pub label_smoothing: f32,
    /// Decay of the moving average of the generator's weights that is sampled and shipped; 0 for
    /// none. Default 0.999.
    pub ema: f32,
    /// Weight of the auxiliary class loss (AC-GAN), 0–10: D learns to name the class of real images
    /// and G is rewarded when D names the requested class. Needs `discriminator.auxiliary`. Default 0.
    pub aux_weight: f32,
    /// Steps at the start in which only the discriminator learns, 0–100,000: when fine-tuning, a
    /// fresh discriminator first learns what the pretrained generator makes, so its first
    /// gradients do not undo the generator. Default 0.
    pub d_warmup: u64,
    pub generator: ConvGeneratorConfig,
    pub discriminator: ConvDiscriminatorConfig,
}

impl Default for ImageGanConfig {
    fn default() -> Self {
        Self {
            seed: 1,
            batch_size: 64,
            lr_g: 2e-4,
            lr_d: 2e-4,
            beta1: 0.5,
            label_smoothing: 0.1,
            ema: 0.999,
            aux_weight: 0.0,
            d_warmup: 0,
            generator: ConvGeneratorConfig::default(),
            discriminator: ConvDiscriminatorConfig::default(),
        }
    }
}

impl ImageGanConfig {
    /// A config for a dataset: both networks get its geometry and classes.
    pub fn for_data(image: ImageShape, classes: usize) -> Self {
        let mut c = Self::default();
        c.generator.image = image;
        c.generator.classes = classes;
        c.discriminator.image = image;
        c.discriminator.classes = classes;
        c
    }

    /// A fresh Adam optimiser for either network (β₂ 0.999, ε 1e-8).
    fn adam(&self) -> ModuleOptimizer {
        AdamConfig::new().with_beta_1(self.beta1).with_beta_2(0.999).with_epsilon(1e-8).init()
    }

    pub fn validate(&self) -> Result<(), ConfigError> {
        Range::int(1, 512).check_int("batch_size", self.batch_size as u64)?;
        for (name, lr) in [("lr_g", self.lr_g), ("lr_d", self.lr_d)] {
            Range::float(0.0, 1.0).above().check(name, lr)?;
        }
        Range::float(0.0, 1.0).below().check_f32("beta1", self.beta1)?;
        Range::float(0.0, 0.5).check_f32("label_smoothing", self.label_smoothing)?;
        Range::float(0.5, 1.0).below().or_off(0.0).check_f32("ema", self.ema)?;
        Range::float(0.0, 10.0).check_f32("aux_weight", self.aux_weight)?;
        Range::int(0, 100_000).check_int("d_warmup", self.d_warmup)?;
        if (self.aux_weight > 0.0) != self.discriminator.auxiliary {
            return Err(ConfigError::new("aux_weight", "> 0 and discriminator.auxiliary go together"));
        }
        self.generator.validate()?;
        self.discriminator.validate()?;
        if self.generator.image != self.discriminator.image || self.generator.classes != self.discriminator.classes {
            return Err(ConfigError::whole("the generator and the discriminator must agree on image shape and classes"));
        }
        Ok(())
    }
}

/// The gallery's in-tab trainer, "From scratch": a conditional DCGAN small enough to learn the
/// 2,000 digits of `www/data/digits.bin` in a tab (G 32 wide, latent 32; D 16 wide with a class
/// head; batch 32; Adam 1e-3). `ganplay tab-training` measures it; the page trains this config.
pub fn in_tab_scratch() -> ImageGanConfig {
    let image = ImageShape { size: 28, channels: 1 };
    ImageGanConfig {
        batch_size: 32,
        lr_g: 1e-3,
        lr_d: 1e-3,
        ema: 0.99,
        label_smoothing: 0.1,
        aux_weight: 1.0,
        generator: ConvGeneratorConfig { latent_dim: 32, classes: 10, width: 32, image },
        discriminator: ConvDiscriminatorConfig { classes: 10, width: 16, image, auxiliary: true },
        ..ImageGanConfig::default()
    }
}

/// The in-tab trainer's "Fine-tune pretrained": the shipped generator (`generator`, its config)
/// against a fresh discriminator. A low rate for G, and a warm-up in which only the fresh D learns:
/// otherwise D's first, random gradients make the shipped digits worse before they get better.
pub fn in_tab_finetune(generator: ConvGeneratorConfig) -> ImageGanConfig {
    ImageGanConfig {
        batch_size: 16,
        lr_g: 5e-5,
        lr_d: 2e-4,
        ema: 0.0,
        d_warmup: 150,
        discriminator: ConvDiscriminatorConfig { classes: generator.classes, width: 32, image: generator.image, auxiliary: true },
        generator,
        ..in_tab_scratch()
    }
}

/// What changes while training, kept whole so a run can be saved and resumed.
#[derive(Clone)]
pub(crate) struct ImageState {
    pub(crate) g: ConvGenerator,
    pub(crate) d: ConvDiscriminator,
    pub(crate) ema_g: Option<ConvGenerator>,
    pub(crate) opt_g: ModuleOptimizer,
    pub(crate) opt_d: ModuleOptimizer,
    pub(crate) rng: Rng,
    pub(crate) step: u64,
    pub(crate) d_loss: Option<Tensor<1>>,
    pub(crate) g_loss: Option<Tensor<1>>,
}

/// Trains a conditional (or unconditional) DCGAN with the non-saturating loss.
pub struct ImageTrainer {
    pub(crate) config: ImageGanConfig,
    pub(crate) data: ImageSet,
    pub(crate) device: Device,
    pub(crate) s: ImageState,
}

impl ImageTrainer {
    pub fn new(config: ImageGanConfig, data: ImageSet, device: &Device) -> Result<Self, String> {
        config.validate()?;
        let image = config.generator.image;
        if data.is_empty() {
            return Err("the image set is empty".into());
        }
        if data.size != image.size || data.channels != image.channels {
            return Err(format!(
                "the images are {0}×{0}×{1} but the networks expect {2}×{2}×{3}",
                data.size, data.channels, image.size, image.channels
            ));
        }
        let classes = config.generator.classes;
        if classes > 0 && data.labels.iter().any(|&l| l as usize >= classes) {
            return Err(format!("a label is outside the {classes} classes"));
        }
        let device = device.clone().autodiff();
        let mut rng = Rng::new(config.seed);
        let g = config.generator.init(&mut rng.fork(), &device);
        let d = config.discriminator.init(&mut rng.fork(), &device);
        let s = ImageState {
            ema_g: (config.ema > 0.0).then(|| g.clone()),
            g,
            d,
            opt_g: config.adam(),
            opt_d: config.adam(),
            rng,
            step: 0,
            d_loss: None,
            g_loss: None,
        };
        Ok(Self { config, data, device, s })
    }

    pub fn config(&self) -> &ImageGanConfig {
        &self.config
    }

    pub fn step(&self) -> u64 {
        self.s.step
    }

    /// Starts the generator (and its average) from given weights: fine-tuning a pretrained one.
    pub fn load_generator(&mut self, saved: &[params::SavedParam]) -> Result<(), String> {
        let g = params::load(self.s.g.clone(), saved)?;
        self.s.ema_g = self.s.ema_g.as_ref().map(|_| g.clone());
        self.s.g = g;
        self.s.opt_g = self.config.adam();
        Ok(())
    }

    fn one_hot(&self, labels: &[usize]) -> Option<Tensor<2>> {
        let k = self.config.generator.classes;
        (k > 0).then(|| one_hot(labels, k, &self.device))
    }

    fn noise(&mut self, n: usize) -> Tensor<2> {
        let dim = self.config.generator.latent_dim;
        let z: Vec<f32> = (0..n * dim).map(|_| self.s.rng.normal()).collect();
        Tensor::from_data(TensorData::new(z, [n, dim]), &self.device)
    }

    fn random_labels(&mut self, n: usize) -> Vec<usize> {
        let k = self.config.generator.classes.max(1);
        (0..n).map(|_| self.s.rng.below(k)).collect()
    }

    /// One discriminator update, then one generator update.
    pub fn train_step(&mut self) {
        let n = self.config.batch_size;
        let len = self.data.image_len();
        let mut pixels = Vec::with_capacity(n * len);
        let mut real_labels = Vec::with_capacity(n);
        for _ in 0..n {
            let i = self.s.rng.below(self.data.len());
            pixels.extend_from_slice(self.data.image(i));
            real_labels.push(self.data.labels[i] as usize);
        }
        let (s, c) = (self.data.size, self.data.channels);
        let real = Tensor::<4>::from_data(TensorData::new(pixels, [n, c, s, s]), &self.device);
        let real_c = self.one_hot(&real_labels);

        let fake_labels = self.random_labels(n);
        let fake_c = self.one_hot(&fake_labels);
        let z = self.noise(n);
        let fake = self.s.g.forward(z, fake_c.clone()).detach();
        let (d_real, named) = self.s.d.forward_with_classes(real, real_c.clone());
        let d_fake = self.s.d.forward(fake, fake_c);
        let mut d_loss = Objective::NonSaturating.d_loss(d_real, d_fake, self.config.label_smoothing);
        // AC-GAN, with the class loss on real images only (D is not taught the classes of fakes).
        if let (Some(named), Some(c)) = (named, real_c) {
            d_loss = d_loss + class_loss(named, c) * self.config.aux_weight;
        }
        let grads = GradientsParams::from_grads(d_loss.backward(), &self.s.d);
        self.s.d = self.s.opt_d.step(self.config.lr_d, self.s.d.clone(), grads);
        self.s.d_loss = Some(d_loss.detach().inner());
        if self.s.step < self.config.d_warmup {
            // The generator (and its average) wait while the discriminator catches up.
            self.s.step += 1;
            return;
        }

        let labels = self.random_labels(n);
        let c = self.one_hot(&labels);
        let z = self.noise(n);
        let (d_fake, named) = self.s.d.forward_with_classes(self.s.g.forward(z, c.clone()), c.clone());
        let mut g_loss = Objective::NonSaturating.g_loss(d_fake);
        if let (Some(named), Some(c)) = (named, c) {
            g_loss = g_loss + class_loss(named, c) * self.config.aux_weight;
        }
        let mut grads = g_loss.backward();
        let grads = GradientsParams::from_module(&mut grads, &self.s.g);
        self.s.g = self.s.opt_g.step(self.config.lr_g, self.s.g.clone(), grads);
        if let Some(avg) = self.s.ema_g.take() {
            // A plain average early on (decay ramps up with the step), then the set decay.
            let decay = self.config.ema.min((1 + self.s.step) as f32 / (10 + self.s.step) as f32);
            self.s.ema_g = Some(params::blend(avg, &self.s.g, decay));
        }
        self.s.g_loss = Some(g_loss.detach().inner());
        self.s.step += 1;
    }

    /// The generator that is sampled and shipped (the moving average when there is one), without autodiff.
    pub fn shown_generator(&self) -> ConvGenerator {
        self.s.ema_g.as_ref().unwrap_or(&self.s.g).valid()
    }

    /// `[d_loss, g_loss]` as a tensor (NaN before the first step), to read with other tensors.
    pub fn losses(&self) -> Tensor<1> {
        let inner = self.device.clone().inner();
        let nan = || Tensor::<1>::from_data(TensorData::new(vec![f32::NAN], [1]), &inner);
        Tensor::cat(vec![self.s.d_loss.clone().unwrap_or_else(nan), self.s.g_loss.clone().unwrap_or_else(nan)], 0)
    }
}

/// Cross-entropy of class logits `[batch, classes]` against one-hot targets, averaged over the batch.
fn class_loss(logits: Tensor<2>, one_hot: Tensor<2>) -> Tensor<1> {
    -(burn::tensor::activation::log_softmax(logits, 1) * one_hot).sum_dim(1).mean()
}

/// What a pretraining checkpoint holds besides tensors.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CheckpointMeta {
    pub format: String,
    pub dataset: String,
    pub config: ImageGanConfig,
    pub step: u64,
    pub rng: Rng,
}

const CHECKPOINT: &str = "ganplay-checkpoint";

impl ImageTrainer {
    /// The whole run (weights, moving average, optimiser state, RNG) as a checkpoint file. Reads
    /// optimiser state synchronously, so this is for the native CLI.
    pub fn checkpoint_bytes(&self, dataset: &str) -> Result<Vec<u8>, String> {
        use crate::readback::block_on;
        let mut tensors = block_on(read_entries(&self.s.g, "g.", Dtype::F32))?;
        tensors.extend(block_on(read_entries(&self.s.d, "d.", Dtype::F32))?);
        if let Some(e) = &self.s.ema_g {
            tensors.extend(block_on(read_entries(e, "ema.", Dtype::F32))?);
        }
        let opt = |o: &ModuleOptimizer| o.into_bytes().map(|b| b.to_vec()).map_err(|e| format!("optimiser state: {e:?}"));
        let meta = CheckpointMeta { format: CHECKPOINT.into(), dataset: dataset.into(), config: self.config.clone(), step: self.s.step, rng: self.s.rng.clone() };
        Ok(Pack { meta, tensors, blobs: vec![("opt_g".into(), opt(&self.s.opt_g)?), ("opt_d".into(), opt(&self.s.opt_d)?)] }.to_bytes())
    }

    /// Continues a run from [`ImageTrainer::checkpoint_bytes`] on the same data.
    pub fn resume(bytes: &[u8], dataset: &str, data: ImageSet, device: &Device) -> Result<Self, String> {
        let pack = Pack::<CheckpointMeta>::from_bytes(bytes).map_err(|e| e.to_string())?;
        let meta = pack.meta.clone();
        if meta.format != CHECKPOINT {
            return Err(format!("this is a {} file, not a checkpoint", crate::text::quote(&meta.format)));
        }
        if meta.dataset != dataset {
            return Err(format!("the checkpoint is for dataset {}, not \"{dataset}\"", crate::text::quote(&meta.dataset)));
        }
        let mut t = ImageTrainer::new(meta.config, data, device)?;
        t.s.g = params::load(t.s.g, &pack.group("g."))?;
        t.s.d = params::load(t.s.d, &pack.group("d."))?;
        if let Some(e) = t.s.ema_g.take() {
            t.s.ema_g = Some(params::load(e, &pack.group("ema."))?);
        }
        let load = |o: ModuleOptimizer, name: &str| -> Result<ModuleOptimizer, String> {
            let b = pack.blob(name).ok_or(format!("the checkpoint has no {name}"))?;
            o.from_bytes(burn::tensor::Bytes::from_bytes_vec(b.to_vec())).map_err(|e| format!("{name}: {e:?}"))
        };
        t.s.opt_g = load(t.s.opt_g, "opt_g")?;
        t.s.opt_d = load(t.s.opt_d, "opt_d")?;
        t.s.step = meta.step;
        t.s.rng = meta.rng;
        Ok(t)
    }
}

#[cfg(test)]
pub(crate) mod tests_support {
    use super::*;

    /// Two classes of 28×28 images: a bright left half, or a bright right half.
    pub fn halves(n: usize) -> ImageSet {
        let mut set = ImageSet { size: 28, channels: 1, pixels: vec![], labels: vec![], class_names: vec!["left".into(), "right".into()] };
        for i in 0..n {
            let label = (i % 2) as u8;
            for _y in 0..28 {
                for x in 0..28 {
                    let on = (x < 14) == (label == 0);
                    set.pixels.push(if on { 1.0 } else { -1.0 });
                }
            }
            set.labels.push(label);
        }
        set
    }

}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use tests_support::halves;

    fn tiny() -> ImageGanConfig {
        let mut c = ImageGanConfig::for_data(ImageShape { size: 28, channels: 1 }, 2);
        c.generator.width = 16;
        c.generator.latent_dim = 8;
        c.discriminator.width = 8;
        c.batch_size = 16;
        c.lr_g = 1e-3;
        c.lr_d = 1e-3;
        c.ema = 0.0;
        c
    }

    #[test]
    fn the_in_tab_configs_are_valid_and_fine_tuning_keeps_the_shipped_generator() {
        let scratch = in_tab_scratch();
        scratch.validate().unwrap();
        assert_eq!((scratch.generator.width, scratch.discriminator.width, scratch.batch_size), (32, 16, 32));
        let shipped = ConvGeneratorConfig { latent_dim: 64, classes: 10, width: 64, image: scratch.generator.image };
        let ft = in_tab_finetune(shipped.clone());
        ft.validate().unwrap();
        assert_eq!(ft.generator, shipped);
        assert!(ft.d_warmup > 0 && ft.lr_g < scratch.lr_g && ft.discriminator.auxiliary);
    }

    #[test]
    fn a_conditional_gan_learns_two_classes() {
        learns_two_classes(tiny(), 700);
    }

    #[test]
    fn an_auxiliary_classifier_gan_learns_two_classes() {
        let mut c = tiny();
        c.aux_weight = 1.0;
        c.discriminator.auxiliary = true;
        learns_two_classes(c, 400);
    }

    fn learns_two_classes(config: ImageGanConfig, steps: usize) {
        let device = Device::flex();
        let mut t = ImageTrainer::new(config, halves(64), &device).unwrap();
        for _ in 0..steps {
            t.train_step();
        }
        let g = t.shown_generator();
        let inner = device.clone();
        let z = Tensor::<2>::from_data(TensorData::new(vec![0.3f32; 4 * 8], [4, 8]), &inner);
        let img = g.forward(z, Some(one_hot(&[0, 0, 1, 1], 2, &inner)));
        let v: Vec<f32> = img.into_data().try_to_vec().unwrap();
        // Mean of the left half minus the right half: positive for class 0, negative for class 1.
        let side = |k: usize| {
            let im = &v[k * 784..(k + 1) * 784];
            let (mut l, mut r) = (0.0, 0.0);
            for (i, p) in im.iter().enumerate() {
                if i % 28 < 14 { l += p } else { r += p }
            }
            (l - r) / 392.0
        };
        // A perfect generator gives ±1; untrained ones give about 0.
        assert!(side(0) > 0.25 && side(1) > 0.25, "class 0 images are not left-bright: {} {}", side(0), side(1));
        assert!(side(2) < -0.25 && side(3) < -0.25, "class 1 images are not right-bright: {} {}", side(2), side(3));
        let l: Vec<f32> = t.losses().into_data().try_to_vec().unwrap();
        assert!(l.iter().all(|x| x.is_finite()));
    }

    #[test]
    fn during_the_warm_up_only_the_discriminator_learns() {
        let device = Device::flex();
        let mut c = tiny();
        c.d_warmup = 5;
        let mut t = ImageTrainer::new(c, halves(16), &device).unwrap();
        let weights = |t: &ImageTrainer| -> Vec<f32> { params::flat(&t.shown_generator()).into_iter().flat_map(|p| p.into_data().try_to_vec::<f32>().unwrap()).collect() };
        let (g0, d0) = (weights(&t), params::flat(&t.s.d.valid())[0].clone().into_data().try_to_vec::<f32>().unwrap());
        for _ in 0..5 {
            t.train_step();
        }
        assert_eq!(weights(&t), g0, "the generator moved during the warm-up");
        assert_ne!(params::flat(&t.s.d.valid())[0].clone().into_data().try_to_vec::<f32>().unwrap(), d0, "the discriminator did not learn");
        t.train_step();
        assert_ne!(weights(&t), g0, "the generator does not learn after the warm-up");
    }

    #[test]
    fn bad_data_and_configs_are_rejected() {
        let device = Device::flex();
        let mut c = tiny();
        c.generator.classes = 3;
        assert!(ImageTrainer::new(c, halves(4), &device).err().unwrap().contains("agree"));
        let mut c = tiny();
        c.generator.image.size = 32;
        c.discriminator.image.size = 32;
        assert!(ImageTrainer::new(c, halves(4), &device).err().unwrap().contains("28×28×1"));
        let mut c = tiny();
        c.batch_size = 0;
        assert!(ImageTrainer::new(c, halves(4), &device).is_err());
        let mut c = tiny();
        c.aux_weight = 1.0; // without the head
        assert!(ImageTrainer::new(c, halves(4), &device).err().unwrap().contains("auxiliary"));
        let mut set = halves(4);
        set.labels[0] = 9;
        assert!(ImageTrainer::new(tiny(), set, &device).err().unwrap().contains("label"));
    }
}
