//! Quality figures for the shipped generators (`ganplay evaluate`): a small classifier per dataset,
//! trained with this crate, judges samples; a Fréchet distance on its penultimate features compares
//! samples with real images.
//!
//! - digits, fashion: a 10-class classifier on the training split. Figures: the share of samples
//!   assigned to the requested class with confidence ≥ 0.9, and the Fréchet distance to the
//!   training images, each next to the same figure for held-out real images.
//! - emoji: a wider 10-class classifier trained on the four held-out styles only, with colour
//!   jitter (so it knows what each face is, not the drawings or colours the GAN saw), checked on
//!   the four training styles.
//!
//! A judge's training is not bit-reproducible here, and each judge has features of its own: one
//! judge's Fréchet ratio ranged from 1.8× to 2.7× for one model. So every figure is the mean
//! over [`JUDGES`] judges of the same recipe (seeds 11, 12, …), each judge's own figures kept.

use crate::data::Rng;
use crate::data::images::ImageSet;
use crate::model::conv::one_hot;
use crate::model::conv::ImageShape;
use crate::model::params;
use crate::files::pack::{Dtype, Pack, read_entries};
use crate::data::catalogue::{Judge, cache_dir, load, source};
use crate::tools::manifest::Manifest;
use crate::images::directions::eigen_symmetric;
use crate::images::shipped::Pretrained;
use crate::readback::read_f32;
use crate::readback::block_on;
use burn::module::Module;
use burn::nn::conv::{Conv2d, Conv2dConfig};
use burn::nn::{Linear, LinearConfig, PaddingConfig2d};
use burn::optim::{AdamConfig, GradientsParams};
use burn::tensor::{Device, Tensor, TensorData, Transaction, activation};
use serde::{Deserialize, Serialize};
use std::path::Path;

/// Penultimate feature width.
pub const FEATURES: usize = 64;

/// Judges per dataset; judge `i` learns with seed `FIRST_SEED + i`.
pub const JUDGES: u64 = 3;
const FIRST_SEED: u64 = 11;

#[derive(Module, Debug)]
pub struct Classifier {
    c1: Conv2d,
    c2: Conv2d,
    hidden: Linear,
    out: Linear,
}

impl Classifier {
    /// `w`: channels of the first convolution.
    pub fn new(image: ImageShape, classes: usize, w: usize, device: &Device) -> Self {
        let conv = |i, o| Conv2dConfig::new([i, o], [4, 4]).with_stride([2, 2]).with_padding(PaddingConfig2d::Explicit(1, 1, 1, 1)).init(device);
        let s = image.size / 4;
        Self {
            c1: conv(image.channels, w),
            c2: conv(w, 2 * w),
            hidden: LinearConfig::new(2 * w * s * s, FEATURES).init(device),
            out: LinearConfig::new(FEATURES, classes).init(device),
        }
    }

    /// (penultimate features `[n, 64]`, logits `[n, classes]`).
    pub fn forward(&self, x: Tensor<4>) -> (Tensor<2>, Tensor<2>) {
        let n = x.shape()[0];
        let x = activation::leaky_relu(self.c1.forward(x), 0.2);
        let x = activation::leaky_relu(self.c2.forward(x), 0.2);
        let f = activation::relu(self.hidden.forward(x.reshape([n as i32, -1])));
        let logits = self.out.forward(f.clone());
        (f, logits)
    }
}

#[derive(Clone, Debug, Serialize, Deserialize)]
struct ClassifierMeta {
    format: String,
    dataset: String,
    classes: usize,
    size: usize,
    channels: usize,
    steps: u64,
    width: usize,
    colour_jitter: bool,
    /// How many images it learnt from: another count (a style added, say) trains it again.
    learned_from: usize,
    seed: u64,
    held_out_accuracy: f32,
}

fn batch(set: &ImageSet, idx: &[usize], device: &Device) -> Tensor<4> {
    let mut px = Vec::with_capacity(idx.len() * set.image_len());
    idx.iter().for_each(|&i| px.extend_from_slice(set.image(i)));
    Tensor::from_data(TensorData::new(px, [idx.len(), set.channels, set.size, set.size]), device)
}

/// Each image's channels moved about white (1) by a gain in [0.75, 1.25] and an offset in
/// [−0.25, 0.25], drawn per image and channel, then clamped to [−1, 1].
fn colour_jitter(x: Tensor<4>, rng: &mut Rng) -> Tensor<4> {
    let [n, c, _, _] = x.shape().dims();
    let device = x.device();
    let gains: Vec<f32> = (0..n * c).map(|_| 0.75 + 0.5 * rng.uniform()).collect();
    let offsets: Vec<f32> = (0..n * c).map(|_| 0.5 * rng.uniform() - 0.25).collect();
    let g = Tensor::<4>::from_data(TensorData::new(gains, [n, c, 1, 1]), &device);
    let o = Tensor::<4>::from_data(TensorData::new(offsets, [n, c, 1, 1]), &device);
    ((x - 1.0) * g + o + 1.0).clamp(-1.0, 1.0)
}

/// Trains a classifier on `set` (Adam, batch 64) and reports its accuracy on `held`.
pub fn train_classifier(set: &ImageSet, held: &ImageSet, classes: usize, steps: u64, judge: Judge, seed: u64, device: &Device) -> (Classifier, f32) {
    let ad = device.clone().autodiff();
    let mut rng = Rng::new(seed);
    let mut model = Classifier::new(ImageShape { size: set.size, channels: set.channels }, classes, judge.width, &ad);
    let mut opt = AdamConfig::new().init();
    for step in 0..steps {
        let idx: Vec<usize> = (0..64).map(|_| rng.below(set.len())).collect();
        let labels: Vec<usize> = idx.iter().map(|&i| set.labels[i] as usize).collect();
        let mut x = batch(set, &idx, &ad);
        if judge.colour_jitter {
            x = colour_jitter(x, &mut rng);
        }
        let (_, logits) = model.forward(x);
        let target = one_hot(&labels, classes, &ad);
        let loss = -(activation::log_softmax(logits, 1) * target).sum_dim(1).mean();
        let grads = GradientsParams::from_grads(loss.backward(), &model);
        let lr = if step < steps * 3 / 4 { 1e-3 } else { 2e-4 };
        model = opt.step(lr, model, grads);
    }
    let model = model.valid();
    let (probs, _) = classify(&model, held, device);
    let right = (0..held.len()).filter(|&i| argmax(&probs[i * classes..(i + 1) * classes]).0 == held.labels[i] as usize).count();
    (model, right as f32 / held.len().max(1) as f32)
}

fn argmax(p: &[f32]) -> (usize, f32) {
    p.iter().enumerate().fold((0, f32::MIN), |best, (i, &v)| if v > best.1 { (i, v) } else { best })
}

/// Softmax probabilities `[n·classes]` and features `[n·64]` for every image of a set.
fn classify(model: &Classifier, set: &ImageSet, device: &Device) -> (Vec<f32>, Vec<f32>) {
    let (mut probs, mut feats) = (Vec::new(), Vec::new());
    let all: Vec<usize> = (0..set.len()).collect();
    for chunk in all.chunks(256) {
        let (f, logits) = model.forward(batch(set, chunk, device));
        let read = Transaction::default().register(activation::softmax(logits, 1)).register(f);
        let mut v = block_on(read_f32(read)).expect("CPU reads");
        feats.extend(v.pop().expect("features"));
        probs.extend(v.pop().expect("probabilities"));
    }
    (probs, feats)
}

/// Loads a dataset's cached classifier of one seed, or trains and caches it.
fn classifier_for(id: &str, judge: Judge, seed: u64, train: &ImageSet, held: &ImageSet, classes: usize, device: &Device) -> Result<(Classifier, f32), String> {
    let dir = cache_dir().join("classifiers");
    let path = dir.join(format!("{id}-{seed}.gpk"));
    let image = ImageShape { size: train.size, channels: train.channels };
    const STEPS: u64 = 5000;
    if let Ok(bytes) = std::fs::read(&path) {
        if let Ok(pack) = Pack::<ClassifierMeta>::from_bytes(&bytes) {
            let m = &pack.meta;
            if m.dataset == id && m.classes == classes && m.size == image.size && m.channels == image.channels && m.steps == STEPS
                && (m.width, m.colour_jitter, m.learned_from, m.seed) == (judge.width, judge.colour_jitter, train.len(), seed)
            {
                let model = params::load(Classifier::new(image, classes, judge.width, device), &pack.group("c.")).map_err(|e| format!("{}: {e}", path.display()))?;
                return Ok((model, m.held_out_accuracy));
            }
        }
    }
    eprintln!("ganplay: training classifier {seed} for {id} ({STEPS} steps)");
    let (model, accuracy) = train_classifier(train, held, classes, STEPS, judge, seed, device);
    let tensors = block_on(read_entries(&model, "c.", Dtype::F32))?;
    let meta = ClassifierMeta {
        format: "ganplay-classifier".into(),
        dataset: id.into(),
        classes,
        size: image.size,
        channels: image.channels,
        steps: STEPS,
        width: judge.width,
        colour_jitter: judge.colour_jitter,
        learned_from: train.len(),
        seed,
        held_out_accuracy: accuracy,
    };
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    std::fs::write(&path, Pack { meta, tensors, blobs: vec![] }.to_bytes()).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok((model, accuracy))
}

/// The [`JUDGES`] judges of a dataset with their held-out accuracies, seeds from [`FIRST_SEED`] on
/// (from the cache, or trained and cached). Digits and clothes: each learns from the training split
/// and is checked on the held-out images; emoji the other way round (see `Judge::learns_held_out`).
fn trained_judges(id: &str, judge: Judge, train: &ImageSet, held: &ImageSet, classes: usize, device: &Device) -> Result<Vec<(Classifier, f32)>, String> {
    let (learn, check) = if judge.learns_held_out { (held, train) } else { (train, held) };
    (FIRST_SEED..FIRST_SEED + JUDGES).map(|seed| classifier_for(id, judge, seed, learn, check, classes, device)).collect()
}

/// The [`JUDGES`] judges of a dataset, for other tools.
pub fn judges(id: &str) -> Result<Vec<Classifier>, String> {
    let (train, held) = load(id, &cache_dir())?;
    let k = train.class_names.len();
    Ok(trained_judges(id, source(id)?.judge, &train, &held, k, &Device::flex())?.into_iter().map(|(c, _)| c).collect())
}

/// The share of `set` that `judge` names as each image's label with confidence ≥ 0.9.
pub fn judged_share(judge: &Classifier, set: &ImageSet) -> f32 {
    let (probs, _) = classify(judge, set, &Device::flex());
    confident_share(&probs, &set.labels, set.class_names.len())
}

/// Mean and covariance of `n` rows of `d` features, in f64.
fn moments(x: &[f32], d: usize) -> (Vec<f64>, Vec<f64>) {
    let n = x.len() / d;
    let mut mean = vec![0.0; d];
    for row in x.chunks_exact(d) {
        row.iter().enumerate().for_each(|(j, &v)| mean[j] += v as f64 / n as f64);
    }
    let mut cov = vec![0.0; d * d];
    for row in x.chunks_exact(d) {
        for i in 0..d {
            let a = row[i] as f64 - mean[i];
            for j in 0..d {
                cov[i * d + j] += a * (row[j] as f64 - mean[j]) / (n as f64 - 1.0).max(1.0);
            }
        }
    }
    (mean, cov)
}

/// Fréchet distance between Gaussians fitted to two feature sets:
/// ‖μ₁ − μ₂‖² + Tr(Σ₁ + Σ₂ − 2 (Σ₁^½ Σ₂ Σ₁^½)^½).
pub fn frechet_distance(a: &[f32], b: &[f32], d: usize) -> f64 {
    let (m1, s1) = moments(a, d);
    let (m2, s2) = moments(b, d);
    let (w, v) = eigen_symmetric(&s1, d);
    // Σ₁^½ = V diag(√w) Vᵀ
    let mut root = vec![0.0; d * d];
    for i in 0..d {
        for j in 0..d {
            root[i * d + j] = (0..d).map(|k| v[i * d + k] * w[k].max(0.0).sqrt() * v[j * d + k]).sum();
        }
    }
    let mul = |x: &[f64], y: &[f64]| -> Vec<f64> {
        let mut out = vec![0.0; d * d];
        for i in 0..d {
            for k in 0..d {
                let xik = x[i * d + k];
                for j in 0..d {
                    out[i * d + j] += xik * y[k * d + j];
                }
            }
        }
        out
    };
    let mut m = mul(&mul(&root, &s2), &root);
    // Symmetrise against rounding before the eigen-decomposition.
    for i in 0..d {
        for j in 0..i {
            let avg = 0.5 * (m[i * d + j] + m[j * d + i]);
            m[i * d + j] = avg;
            m[j * d + i] = avg;
        }
    }
    let (mw, _) = eigen_symmetric(&m, d);
    let cross: f64 = mw.iter().map(|x| x.max(0.0).sqrt()).sum();
    let mean: f64 = m1.iter().zip(&m2).map(|(x, y)| (x - y).powi(2)).sum();
    let trace: f64 = (0..d).map(|i| s1[i * d + i] + s2[i * d + i]).sum();
    (mean + trace - 2.0 * cross).max(0.0)
}

/// What one judge measured of one generator.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct JudgeFigures {
    pub seed: u64,
    pub classifier_accuracy: f32,
    /// Share of samples classified as the requested class with confidence ≥ 0.9.
    pub requested_class_share: f32,
    /// The same for real images the generator did not learn from.
    pub real_requested_class_share: f32,
    /// Fréchet distance of the samples' features to the training images' features.
    pub frechet: f64,
    /// The same for held-out real images: the floor to compare with.
    pub real_frechet: f64,
}

impl JudgeFigures {
    pub fn frechet_ratio(&self) -> f64 {
        self.frechet / self.real_frechet
    }
}

/// What a generator's "real" figures are measured on, as the gallery says it.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Reference {
    /// Real images of the same source that neither the GAN nor the judges learned from (digits,
    /// clothes: every tenth image): the real share and the Fréchet floor are measured on them.
    HeldOut,
    /// The same classes drawn in other styles (emoji): the judges learn from those, so the real
    /// share is measured on the training images (which the GAN learned from), and the Fréchet
    /// floor is the other styles' distance to the training images.
    OtherStyles,
}

impl Reference {
    fn of(judge: Judge) -> Self {
        if judge.learns_held_out { Reference::OtherStyles } else { Reference::HeldOut }
    }

    /// The held-out set, as a sentence names it.
    fn sets(self) -> &'static str {
        match self {
            Reference::HeldOut => "held-out images",
            Reference::OtherStyles => "other styles' images",
        }
    }
}

/// The figures for one generator, as stored in the manifest: each the mean over the judges.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Figures {
    pub classifier: String,
    /// Samples measured; the training reference and the other real images have as many.
    pub samples: usize,
    /// Of each class, in every set.
    pub per_class: usize,
    /// What the real figures are measured on.
    pub reference: Reference,
    pub classifier_accuracy: f32,
    pub requested_class_share: f32,
    pub real_requested_class_share: f32,
    pub frechet: f64,
    pub real_frechet: f64,
    /// The mean of the judges' own ratios (each judge has features of its own).
    pub frechet_ratio: f64,
    pub judges: Vec<JudgeFigures>,
}

impl Figures {
    fn of(classifier: String, samples: usize, per_class: usize, reference: Reference, judges: Vec<JudgeFigures>) -> Self {
        let n = judges.len().max(1) as f64;
        let mean = |f: &dyn Fn(&JudgeFigures) -> f64| judges.iter().map(f).sum::<f64>() / n;
        Figures {
            classifier,
            samples,
            per_class,
            reference,
            classifier_accuracy: mean(&|j| j.classifier_accuracy as f64) as f32,
            requested_class_share: mean(&|j| j.requested_class_share as f64) as f32,
            real_requested_class_share: mean(&|j| j.real_requested_class_share as f64) as f32,
            frechet: mean(&|j| j.frechet),
            real_frechet: mean(&|j| j.real_frechet),
            frechet_ratio: mean(&|j| j.frechet_ratio()),
            judges,
        }
    }

    /// Lowest and highest of one figure over the judges.
    fn range(&self, f: impl Fn(&JudgeFigures) -> f64) -> (f64, f64) {
        self.judges.iter().map(f).fold((f64::MAX, f64::MIN), |(lo, hi), v| (lo.min(v), hi.max(v)))
    }
}

/// Generates `n` images (classes cycling) as an image set, the noise scaled by `truncation` (as
/// the gallery's truncation control does).
fn samples(p: &Pretrained, n: usize, seed: u64, truncation: f32) -> Result<ImageSet, String> {
    let cfg = &p.meta.config;
    let mut rng = Rng::new(seed);
    let mut set = ImageSet { size: cfg.image.size, channels: cfg.image.channels, pixels: vec![], labels: vec![], class_names: p.meta.class_names.clone() };
    let k = cfg.classes.max(1);
    for start in (0..n).step_by(250) {
        let m = 250.min(n - start);
        let z: Vec<f32> = (0..m * cfg.latent_dim).map(|_| rng.normal() * truncation).collect();
        let labels: Vec<u32> = (start..start + m).map(|i| (i % k) as u32).collect();
        let classes = if cfg.classes > 0 { labels.clone() } else { vec![] };
        set.pixels.extend(p.generate(&z, &classes)?.into_data().try_to_vec::<f32>().map_err(|e| format!("{e:?}"))?);
        set.labels.extend(labels.iter().map(|&l| l as u8));
    }
    Ok(set)
}

/// How many images of each class `set` holds.
fn class_counts(set: &ImageSet, classes: usize) -> Vec<usize> {
    let mut counts = vec![0; classes];
    set.labels.iter().filter(|&&l| (l as usize) < classes).for_each(|&l| counts[l as usize] += 1);
    counts
}

/// `per` images of each class, spread evenly over the class's images in their stored order (so a
/// set stored class by class, or style by style within a class, gives every part its share).
/// Classes with fewer images than `per` must not be asked for: see [`Comparison`].
fn stratified(set: &ImageSet, per: usize, classes: usize) -> ImageSet {
    let mut out = ImageSet { pixels: vec![], labels: vec![], ..set.clone() };
    for c in 0..classes {
        let of: Vec<usize> = (0..set.len()).filter(|&i| set.labels[i] as usize == c).collect();
        assert!(of.len() >= per, "class {c} has {} images, fewer than {per}", of.len());
        for j in 0..per {
            let i = of[j * of.len() / per];
            out.pixels.extend_from_slice(set.image(i));
            out.labels.push(set.labels[i]);
        }
    }
    out
}

/// What the samples are compared with: as many images on every side, and as many of each class.
#[derive(Clone, Debug, PartialEq)]
pub struct Comparison {
    /// Images of each class in every set (samples, the training reference, the other real images).
    pub per_class: usize,
    /// Why fewer than asked for, when so: the set and class with the fewest images.
    pub limited_by: Option<String>,
}

impl Comparison {
    /// `n` images asked for, split evenly over `classes`; each named set must hold that many of
    /// every class, or all sets take the fewest any class has.
    pub fn new(n: usize, classes: usize, sets: &[(&str, &ImageSet)], class_names: &[String]) -> Result<Self, String> {
        let wanted = n / classes.max(1);
        let mut per_class = wanted;
        let mut limited_by = None;
        for (name, set) in sets {
            for (c, &count) in class_counts(set, classes).iter().enumerate() {
                if count < per_class {
                    per_class = count;
                    let class = class_names.get(c).cloned().unwrap_or_else(|| c.to_string());
                    limited_by = Some(format!("the {name} have only {count} of class {class}"));
                }
            }
        }
        if per_class == 0 {
            return Err(format!("too few images to compare: {}", limited_by.unwrap_or_else(|| format!("{n} images over {classes} classes"))));
        }
        Ok(Comparison { per_class, limited_by })
    }
}

fn confident_share(probs: &[f32], labels: &[u8], classes: usize) -> f32 {
    let hits = labels.iter().enumerate().filter(|(i, l)| {
        let (arg, p) = argmax(&probs[i * classes..(i + 1) * classes]);
        arg == **l as usize && p >= 0.9
    });
    hits.count() as f32 / labels.len().max(1) as f32
}

/// Measures one generator file against its dataset, with each of the [`JUDGES`] judges: `n`
/// samples (or fewer, see [`Comparison`]), as many of each class, against as many real images of
/// each class on every side.
pub fn evaluate(id: &str, weights: &[u8], n: usize, truncation: f32) -> Result<(Figures, Comparison), String> {
    let device = Device::flex();
    let p = Pretrained::from_bytes(weights, &device).map_err(|e| e.to_string())?;
    let (train, held) = load(id, &cache_dir())?;
    let k = p.meta.config.classes;
    if k == 0 {
        return Err(format!("{id}: the figures need a class-conditional generator"));
    }
    let judge = source(id)?.judge;
    let reference = Reference::of(judge);
    // Emoji's judges learn from the other styles and are checked on the training styles (see `Judge::learns_held_out`).
    let from_held = judge.learns_held_out;
    let names = &p.meta.class_names;
    let comparison = Comparison::new(n, k, &[("training images", &train), (reference.sets(), &held)], names)?;
    let per = comparison.per_class;
    let generated = samples(&p, per * k, 99, truncation)?;
    let (held_n, train_n) = (stratified(&held, per, k), stratified(&train, per, k));
    let check_n = if from_held { &train_n } else { &held_n };
    let mut judges = Vec::new();
    for (seed, (clf, acc)) in (FIRST_SEED..).zip(trained_judges(id, judge, &train, &held, k, &device)?) {
        let (gp, gf) = classify(&clf, &generated, &device);
        let (hp, hf) = classify(&clf, &held_n, &device);
        let (tp, tf) = classify(&clf, &train_n, &device);
        let cp = if from_held { &tp } else { &hp };
        judges.push(JudgeFigures {
            seed,
            classifier_accuracy: acc,
            requested_class_share: confident_share(&gp, &generated.labels, k),
            real_requested_class_share: confident_share(cp, &check_n.labels, k),
            frechet: frechet_distance(&gf, &tf, FEATURES),
            real_frechet: frechet_distance(&hf, &tf, FEATURES),
        });
    }
    let classifier = format!("{k}-class CNN, {} wide{}", judge.width, if judge.colour_jitter { ", colour jitter" } else { "" });
    Ok((Figures::of(classifier, per * k, per, reference, judges), comparison))
}

/// `ganplay evaluate`: measures every model in the manifest (or one), stores the figures there and
/// prints a table. With a `truncation` other than 1 the table is printed and the manifest (whose
/// figures are for the plain noise) is left alone.
pub fn evaluate_all(models: &Path, only: Option<&str>, n: usize, truncation: f32) -> Result<(), String> {
    if !(truncation.is_finite() && truncation > 0.0 && truncation <= 2.0) {
        return Err(format!("--truncation must be in (0, 2], got {truncation}"));
    }
    let path = models.join("manifest.json");
    let mut manifest = Manifest::read(&path)?;
    println!("Each figure is the mean over {JUDGES} judges (seeds {FIRST_SEED}–{}); the range over them in brackets.", FIRST_SEED + JUDGES - 1);
    println!("n: samples, and as many training images and other real images, each with as many of every class.");
    println!("| model | steps | n | real images | requested class ≥ 0.9 (real) | Fréchet distance (real): ratio | classifier accuracy |");
    println!("|---|---|---|---|---|---|---|");
    let mut notes = Vec::new();
    for m in manifest.models.iter_mut().filter(|m| only.is_none_or(|o| o == m.id)) {
        let bytes = std::fs::read(models.join(&m.file)).map_err(|e| format!("{}: {e}", m.file))?;
        let (f, comparison) = evaluate(&m.id, &bytes, n, truncation)?;
        let pct = |(lo, hi): (f64, f64)| format!("{:.1}–{:.1} %", 100.0 * lo, 100.0 * hi);
        let (lo, hi) = f.range(JudgeFigures::frechet_ratio);
        let real = match f.reference {
            Reference::HeldOut => "held out",
            Reference::OtherStyles => "share: training styles; Fréchet: other styles",
        };
        println!(
            "| {} | {} | {} ({} a class) | {real} | {:.1} % ({:.1} %) [{}] | {:.2} ({:.2}): {:.2}× [{lo:.2}–{hi:.2}×] | {:.1} % ({}) |",
            m.id,
            m.steps,
            f.samples,
            f.per_class,
            100.0 * f.requested_class_share,
            100.0 * f.real_requested_class_share,
            pct(f.range(|j| j.requested_class_share as f64)),
            f.frechet,
            f.real_frechet,
            f.frechet_ratio,
            100.0 * f.classifier_accuracy,
            f.classifier
        );
        if let Some(why) = comparison.limited_by {
            notes.push(format!("{}: {} a class, not {} ({why}).", m.id, f.per_class, n / m.classes.len().max(1)));
        }
        m.metrics = Some(serde_json::to_value(&f).expect("figures serialise"));
    }
    notes.iter().for_each(|n| println!("{n}"));
    if truncation != 1.0 {
        println!("(noise scaled by {truncation}; the manifest keeps the figures for unscaled noise)");
        return Ok(());
    }
    manifest.write(&path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frechet_distance_of_known_gaussians() {
        let mut r = Rng::new(3);
        let a: Vec<f32> = (0..20000 * 2).map(|_| r.normal()).collect();
        let b: Vec<f32> = (0..20000 * 2).map(|i| r.normal() * 2.0 + if i % 2 == 0 { 3.0 } else { 0.0 }).collect();
        // Same distribution: about 0. N(0, I) vs N((3, 0), 4I): 9 + 2·(1 + 4 − 2·2) = 11.
        assert!(frechet_distance(&a[..20000], &a[20000..], 2) < 0.05);
        let fd = frechet_distance(&a, &b, 2);
        assert!((fd - 11.0).abs() < 0.3, "{fd}");
    }

    #[test]
    fn figures_are_the_mean_over_judges_with_each_judges_ratio() {
        let judge = |seed, share, frechet, real_frechet| JudgeFigures {
            seed,
            classifier_accuracy: 0.9,
            requested_class_share: share,
            real_requested_class_share: 0.8,
            frechet,
            real_frechet,
        };
        let f = Figures::of("x".into(), 10, 1, Reference::HeldOut, vec![judge(11, 0.5, 200.0, 100.0), judge(12, 0.6, 300.0, 100.0), judge(13, 0.7, 90.0, 30.0)]);
        assert!((f.requested_class_share - 0.6).abs() < 1e-6);
        assert!((f.frechet - 590.0 / 3.0).abs() < 1e-9 && (f.real_frechet - 230.0 / 3.0).abs() < 1e-9);
        // The mean of 2×, 3× and 3×, not the ratio of the means (2.57×).
        assert!((f.frechet_ratio - 8.0 / 3.0).abs() < 1e-9, "{}", f.frechet_ratio);
        assert_eq!(f.range(JudgeFigures::frechet_ratio), (2.0, 3.0));
        assert_eq!(f.judges.len(), 3);
    }

    /// A set stored class by class, `counts[c]` images of class `c`, each image's one pixel its index.
    fn blocked(counts: &[usize]) -> ImageSet {
        let mut set = ImageSet { size: 1, channels: 1, pixels: vec![], labels: vec![], class_names: (0..counts.len()).map(|c| c.to_string()).collect() };
        for (c, &k) in counts.iter().enumerate() {
            for _ in 0..k {
                set.pixels.push(set.labels.len() as f32);
                set.labels.push(c as u8);
            }
        }
        set
    }

    #[test]
    fn reference_sets_hold_every_class_equally_spread_over_each_class() {
        // Ten classes stored one after the other: every k-th image up to n would miss the last ones.
        let set = blocked(&[226; 10]);
        let s = stratified(&set, 20, 10);
        assert_eq!(class_counts(&s, 10), vec![20; 10]);
        // Spread over each class: the first and a late image of class 9, not its first 20.
        let nines: Vec<f32> = (0..s.len()).filter(|&i| s.labels[i] == 9).map(|i| s.image(i)[0]).collect();
        assert_eq!(nines[0], 9.0 * 226.0);
        assert!(*nines.last().unwrap() >= 9.0 * 226.0 + 200.0, "{nines:?}");
    }

    #[test]
    fn every_side_of_a_comparison_gets_the_same_count_of_each_class() {
        let names: Vec<String> = (0..3).map(|c| format!("c{c}")).collect();
        let (train, held) = (blocked(&[900, 900, 900]), blocked(&[100, 89, 120]));
        let c = Comparison::new(2000, 3, &[("training images", &train), ("held-out images", &held)], &names).unwrap();
        assert_eq!(c.per_class, 89);
        assert_eq!(c.limited_by.as_deref(), Some("the held-out images have only 89 of class c1"));
        let c = Comparison::new(150, 3, &[("training images", &train), ("held-out images", &held)], &names).unwrap();
        assert_eq!((c.per_class, c.limited_by), (50, None));
        assert!(Comparison::new(150, 3, &[("held-out images", &blocked(&[5, 0, 5]))], &names).is_err());
    }

    #[test]
    fn the_reference_is_named_in_the_manifest() {
        let f = Figures::of("x".into(), 20, 2, Reference::OtherStyles, vec![]);
        let v = serde_json::to_value(&f).unwrap();
        assert_eq!(v["reference"], "other_styles");
        assert_eq!(v["per_class"], 2);
        assert_eq!(serde_json::to_value(Reference::HeldOut).unwrap(), "held_out");
    }

    #[test]
    fn a_classifier_learns() {
        let set = crate::images::trainer::tests_support::halves(64);
        let (model, acc) = train_classifier(&set, &set, 2, 60, crate::data::catalogue::PLAIN, 11, &Device::flex());
        assert!(acc > 0.95, "accuracy {acc}");
        let (p, _) = classify(&model, &set, &Device::flex());
        assert!(confident_share(&p, &set.labels, 2) > 0.9);
    }

    #[test]
    fn colour_jitter_moves_each_channel_about_white_within_range() {
        let device = Device::flex();
        // Two images of three channels, two pixels each: white (1) and −0.5.
        let px: Vec<f32> = (0..6).flat_map(|_| [1.0, -0.5]).collect();
        let x = Tensor::<4>::from_data(TensorData::new(px, [2, 3, 1, 2]), &device);
        let out = block_on(read_f32(Transaction::default().register(colour_jitter(x, &mut Rng::new(4))))).unwrap().remove(0);
        let mut moved = 0;
        for ch in out.chunks(2) {
            let (white, dark) = (ch[0], ch[1]);
            assert!((-1.0..=1.0).contains(&white) && (-1.0..=1.0).contains(&dark), "{ch:?}");
            // White moves by the offset alone (≤ 0.25 down, clamped up); the darker pixel stays darker.
            assert!(white >= 0.75 - 1e-6, "{ch:?}");
            assert!(dark < white, "{ch:?}");
            // −0.5 is 1.5 below white: at gain g and offset o it lands at 1 − 1.5g + o, at most 0.125.
            assert!(dark <= 0.125 + 1e-6, "{ch:?}");
            moved += usize::from((dark + 0.5).abs() > 1e-3);
        }
        assert!(moved >= 5, "the channels were not moved: {out:?}");
    }
}
