//! `ganplay tab-training`: how soon the gallery's in-tab trainer makes recognisable digits, on
//! this machine's CPU. It trains the configs the page trains ([`in_tab_scratch`],
//! [`in_tab_finetune`]) on the page's own 2,000 digits (`www/data/digits.bin`), asks the three
//! digits judges of `ganplay evaluate` every few hundred steps, and writes the figures into the
//! model list (`in_tab`), where the gallery reads the step it promises ("recognisable by about
//! step N").

use crate::data::Rng;
use crate::data::images::{ImageSet, digits_from_bin};
use crate::files::pack::Pack;
use crate::images::shipped::{GeneratorMeta, generate};
use crate::images::trainer::{ImageGanConfig, ImageTrainer, in_tab_finetune, in_tab_scratch};
use crate::tools::evaluate::{Classifier, judged_share, judges};
use crate::tools::manifest::Manifest;
use burn::tensor::Device;
use serde::{Deserialize, Serialize};
use std::path::PathBuf;
use std::time::Instant;

/// A share counts as "most digits recognisable" from this on, on every seed.
pub const RECOGNISABLE: f32 = 0.9;

pub struct Options {
    /// The folder with manifest.json and digits.gpk.
    pub models: PathBuf,
    /// The page's digits (`./build.sh build` writes them).
    pub data: PathBuf,
    pub seeds: u64,
    pub samples: usize,
    /// Steps between two measurements, and the last step, from scratch.
    pub every: u64,
    pub steps: u64,
    /// Fine-tuning steps (measured every 100 and at the end of the warm-up).
    pub finetune_steps: u64,
}

/// One config's figures: at each step, the share of the samples every seed's run gave (the mean over the judges).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct Curve {
    pub steps: Vec<u64>,
    /// `share[s][i]`: seed `seeds[s]` at `steps[i]`.
    pub share: Vec<Vec<f32>>,
    /// Training steps per second of each seed's run (training alone, one process, this machine).
    pub steps_per_second: Vec<f64>,
}

impl Curve {
    /// The lowest share over the seeds at each step.
    pub fn lowest(&self) -> Vec<f32> {
        (0..self.steps.len()).map(|i| self.share.iter().map(|s| s[i]).fold(f32::MAX, f32::min)).collect()
    }

    /// The first step at which every seed reached `at`.
    pub fn first_at(&self, at: f32) -> Option<u64> {
        self.lowest().iter().position(|&v| v >= at).map(|i| self.steps[i])
    }
}

/// What the model list keeps (`in_tab`).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct InTab {
    pub command: String,
    pub samples: usize,
    pub seeds: Vec<u64>,
    /// The confidence-0.9 share that counts as "recognisable" on every seed.
    pub recognisable_share: f32,
    /// The first measured step at which every seed reached it: the page's promise.
    pub recognisable_by: Option<u64>,
    pub scratch: Curve,
    pub finetune: Option<Curve>,
    pub finetune_warmup: u64,
}

/// The page's digits file ([`digits_from_bin`]), named in its errors.
pub fn read_digits(path: &std::path::Path) -> Result<ImageSet, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("{}: {e} (./build.sh build writes it)", path.display()))?;
    digits_from_bin(&bytes).map_err(|e| format!("{}: {e}", path.display()))
}

/// `n` samples of the trainer's shown generator, classes cycling, on fixed noise.
fn samples(t: &ImageTrainer, n: usize, device: &Device) -> Result<ImageSet, String> {
    let cfg = &t.config().generator;
    let mut rng = Rng::new(99);
    let z: Vec<f32> = (0..n * cfg.latent_dim).map(|_| rng.normal()).collect();
    let classes: Vec<u32> = (0..n).map(|i| (i % 10) as u32).collect();
    let pixels = generate(&t.shown_generator(), cfg, &z, &classes, device)?.into_data().try_to_vec::<f32>().map_err(|e| format!("{e:?}"))?;
    Ok(ImageSet::digits(pixels, classes.iter().map(|&c| c as u8).collect()))
}

fn share(t: &ImageTrainer, n: usize, judges: &[Classifier], device: &Device) -> Result<f32, String> {
    let set = samples(t, n, device)?;
    Ok(judges.iter().map(|j| judged_share(j, &set)).sum::<f32>() / judges.len() as f32)
}

/// Trains `config` (with each seed) and measures at `at`; `prepare` runs on each new trainer.
fn curve(
    config: &ImageGanConfig,
    data: &ImageSet,
    seeds: &[u64],
    at: &[u64],
    o: &Options,
    judges: &[Classifier],
    prepare: &dyn Fn(&mut ImageTrainer) -> Result<(), String>,
) -> Result<Curve, String> {
    let device = Device::flex();
    let mut out = Curve { steps: at.to_vec(), share: vec![], steps_per_second: vec![] };
    for &seed in seeds {
        let mut t = ImageTrainer::new(ImageGanConfig { seed, ..config.clone() }, data.clone(), &device)?;
        prepare(&mut t)?;
        let (mut row, mut secs) = (vec![], 0.0);
        for &step in at {
            let t0 = Instant::now();
            while t.step() < step {
                t.train_step();
            }
            secs += t0.elapsed().as_secs_f64();
            row.push(share(&t, o.samples, judges, &device)?);
            eprintln!("ganplay: seed {seed}, step {step}: {:.1} %", 100.0 * row.last().unwrap());
        }
        out.steps_per_second.push(at.last().copied().unwrap_or(0) as f64 / secs.max(1e-9));
        out.share.push(row);
    }
    Ok(out)
}

fn table(title: &str, c: &Curve, seeds: &[u64]) {
    println!("\n{title}");
    let heads: Vec<String> = seeds.iter().map(|s| format!("seed {s}")).collect();
    println!("| step | {} | lowest |", heads.join(" | "));
    println!("|---|{}---|", "---|".repeat(seeds.len()));
    let lowest = c.lowest();
    for (i, step) in c.steps.iter().enumerate() {
        let cells: Vec<String> = c.share.iter().map(|s| format!("{:.1} %", 100.0 * s[i])).collect();
        println!("| {step} | {} | {:.1} % |", cells.join(" | "), 100.0 * lowest[i]);
    }
    let rates: Vec<String> = c.steps_per_second.iter().map(|r| format!("{r:.1}")).collect();
    println!("steps/s (training alone, this machine's CPU, one process): {}", rates.join(", "));
}

pub fn tab_training(o: &Options) -> Result<(), String> {
    if o.seeds == 0 || o.every == 0 || o.steps < o.every || o.samples < 10 {
        return Err("--seeds, --every, --steps (≥ --every) and --samples (≥ 10) must be positive".into());
    }
    let data = read_digits(&o.data)?;
    let judges = judges("digits")?;
    let seeds: Vec<u64> = (1..=o.seeds).collect();
    let at: Vec<u64> = (1..=o.steps / o.every).map(|i| i * o.every).collect();
    let scratch = curve(&in_tab_scratch(), &data, &seeds, &at, o, &judges, &|_| Ok(()))?;

    let gpk = o.models.join("digits.gpk");
    let bytes = std::fs::read(&gpk).map_err(|e| format!("{}: {e}", gpk.display()))?;
    let pack = Pack::<GeneratorMeta>::from_bytes(&bytes).map_err(|e| format!("{}: {e}", gpk.display()))?;
    let finetune = in_tab_finetune(pack.meta.config.clone());
    let mut ft_at: Vec<u64> = vec![0, finetune.d_warmup];
    ft_at.extend((1..=o.finetune_steps / 100).map(|i| i * 100));
    ft_at.sort_unstable();
    ft_at.dedup();
    ft_at.retain(|&s| s <= o.finetune_steps);
    let saved = pack.group("g.");
    let ft = curve(&finetune, &data, &seeds, &ft_at, o, &judges, &|t| t.load_generator(&saved))?;

    let by = scratch.first_at(RECOGNISABLE);
    println!("Share of {} samples (classes cycling, fixed noise) that the three digits judges of `ganplay evaluate`", o.samples);
    println!("name as the requested digit with confidence ≥ 0.9 (the mean over the judges); the page trains seed 1.");
    table("From scratch (G 32 wide, D 16 with a class head, batch 32, Adam 1e-3):", &scratch, &seeds);
    table(&format!("Fine-tune from {} (D alone for the first {} steps, then G at 5e-5):", gpk.display(), finetune.d_warmup), &ft, &seeds);
    match by {
        Some(step) => println!("\nEvery seed ≥ {:.0} % from step {step}: the gallery says \"most digits are recognisable by about step {step}\".", 100.0 * RECOGNISABLE),
        None => println!("\nNo seed-wide step reached {:.0} %: the gallery names no step.", 100.0 * RECOGNISABLE),
    }
    let figures = InTab {
        command: "ganplay tab-training".into(),
        samples: o.samples,
        seeds,
        recognisable_share: RECOGNISABLE,
        recognisable_by: by,
        scratch,
        finetune: Some(ft),
        finetune_warmup: finetune.d_warmup,
    };
    let path = o.models.join("manifest.json");
    let mut manifest = Manifest::read(&path)?;
    manifest.in_tab = Some(serde_json::to_value(&figures).expect("figures serialise"));
    manifest.write(&path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_promised_step_is_the_first_every_seed_reaches() {
        let c = Curve { steps: vec![300, 600, 900], share: vec![vec![0.8, 0.95, 0.97], vec![0.85, 0.89, 0.92]], steps_per_second: vec![] };
        assert_eq!(c.lowest(), vec![0.8, 0.89, 0.92]);
        assert_eq!(c.first_at(0.9), Some(900));
        assert_eq!(c.first_at(0.99), None);
    }

    #[test]
    fn the_digits_file_is_read_as_the_page_reads_it() {
        let dir = std::env::temp_dir().join(format!("ganplay-digits-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("d.bin");
        let mut bytes = vec![0u8; 2 * 784];
        bytes[784] = 255;
        bytes.extend([3, 7]);
        std::fs::write(&path, &bytes).unwrap();
        let set = read_digits(&path).unwrap();
        assert_eq!((set.len(), set.labels.clone()), (2, vec![3, 7]));
        assert_eq!((set.image(0)[0], set.image(1)[0]), (-1.0, 1.0));
        std::fs::write(&path, &bytes[..100]).unwrap();
        assert!(read_digits(&path).unwrap_err().contains("785-byte"));
        std::fs::remove_dir_all(&dir).ok();
    }
}
