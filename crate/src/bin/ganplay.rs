//! ganplay's native command line.
//!
//! ```text
//! ganplay train [--dataset NAME] [--rounds N] [--config FILE.json] [--seed S] [--out FILE.json] [--weights-only]
//! ganplay pretrain --dataset digits|fashion|emoji [--steps N] [--device cpu|wgpu] [--out DIR] [--resume] [--seed S]
//! ganplay evaluate [--dataset digits|fashion|emoji] [--models DIR] [--samples N] [--truncation T]
//! ```
//! trains a 2D GAN on the CPU device (the reference config by default) and prints progress,
//! mode coverage and iterations per second. `--out` writes the run as a model file that the page
//! imports (the presets in www/models/ are made this way); `--weights-only` leaves out the
//! optimisers' state.

use burn::tensor::Device;
use ganplay::data::Dataset;
use ganplay::train::{TrainConfig, Trainer, View, block_on};
use std::process::ExitCode;
use std::time::Instant;

const USAGE: &str = "usage: ganplay train [--dataset NAME] [--rounds N] [--config FILE.json] [--seed S] [--out FILE.json] [--weights-only]
       ganplay pretrain --dataset digits|fashion|emoji [--steps N] [--device cpu|wgpu] [--out DIR] [--resume] [--seed S] [--checkpoint-every N]
       ganplay evaluate [--dataset digits|fashion|emoji] [--models DIR] [--samples N] [--truncation T]
       ganplay reference --model FILE.gpk --out FILE.json   (images for fixed noise: the native/wasm agreement test's fixture)";

fn main() -> ExitCode {
    match run(std::env::args().skip(1).collect()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("ganplay: {e}\n{USAGE}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: Vec<String>) -> Result<(), String> {
    let mut args = args.into_iter();
    match args.next().as_deref() {
        Some("train") => {}
        #[cfg(not(target_arch = "wasm32"))]
        Some("pretrain") => return pretrain(args.collect()),
        #[cfg(not(target_arch = "wasm32"))]
        Some("evaluate") => return evaluate(args.collect()),
        #[cfg(not(target_arch = "wasm32"))]
        Some("reference") => return reference(args.collect()),
        Some("--help" | "-h") | None => {
            println!("{USAGE}");
            return Ok(());
        }
        Some(other) => return Err(format!("unknown command \"{other}\"")),
    }
    let mut config = TrainConfig::default();
    let mut rounds = 2000u64;
    let mut out = None;
    let mut with_optimizer = true;
    let mut dataset_flag = None;
    let mut seed_flag = None;
    while let Some(flag) = args.next() {
        let mut value = || args.next().ok_or(format!("{flag} needs a value"));
        match flag.as_str() {
            "--out" => out = Some(value()?),
            "--weights-only" => with_optimizer = false,
            "--dataset" => dataset_flag = Some(value()?),
            "--rounds" => rounds = value()?.parse().map_err(|e| format!("--rounds: {e}"))?,
            "--seed" => seed_flag = Some(value()?.parse().map_err(|e| format!("--seed: {e}"))?),
            "--config" => {
                let path = value()?;
                let text = std::fs::read_to_string(&path).map_err(|e| format!("{path}: {e}"))?;
                config = TrainConfig::from_json(&text)?;
            }
            other => return Err(format!("unknown option \"{other}\"")),
        }
    }
    // Flags win over the config file, whatever their order.
    if let Some(d) = dataset_flag {
        config.dataset = d;
    }
    if let Some(s) = seed_flag {
        config.seed = s;
    }
    config.validate()?;
    let dataset = Dataset::from_name(&config.dataset).map_err(|e| e.to_string())?;
    let mut trainer = Trainer::new(config, dataset, &Device::flex())?;
    let every = (rounds / 10).max(1);
    let start = Instant::now();
    for round in 1..=rounds {
        trainer.round();
        if round % every == 0 || round == rounds {
            let r = block_on(trainer.readout(View::points(2000)))?;
            let modes = r.metrics.modes.map(|m| format!(" modes {}/{} hq {:.1}%", m.covered, m.total, 100.0 * m.high_quality));
            println!(
                "round {round:>6}  D {:.4}  G {:.4}  JS {:.3}{}",
                r.d_loss,
                r.g_loss,
                r.metrics.js,
                modes.unwrap_or_default()
            );
        }
    }
    let secs = start.elapsed().as_secs_f64();
    println!("{rounds} rounds in {secs:.2} s: {:.0} iterations/s (CPU, flex)", rounds as f64 / secs);
    if let Some(path) = out {
        let file = block_on(trainer.save(with_optimizer))?;
        std::fs::write(&path, file.to_json()).map_err(|e| format!("{path}: {e}"))?;
        println!("wrote {path}");
    }
    Ok(())
}

#[cfg(not(target_arch = "wasm32"))]
fn device_named(name: &str) -> Result<Device, String> {
    match name {
        "cpu" => Ok(Device::flex()),
        #[cfg(feature = "wgpu")]
        "wgpu" => Ok(Device::wgpu(burn::tensor::DeviceKind::DefaultDevice)),
        #[cfg(not(feature = "wgpu"))]
        "wgpu" => Err("this binary was built without the wgpu feature (cargo run --release --features wgpu ...)".into()),
        other => Err(format!("unknown device \"{other}\"; expected cpu or wgpu")),
    }
}

#[cfg(not(target_arch = "wasm32"))]
fn pretrain(args: Vec<String>) -> Result<(), String> {
    use ganplay::pretrain::{Options, pretrain};
    let mut opts = Options {
        dataset: String::new(),
        steps: 0,
        out: "www/models".into(),
        resume: false,
        seed: None,
        checkpoint_every: 250,
        device: Device::flex(),
        device_name: "cpu".into(),
        widths: None,
    };
    let mut args = args.into_iter();
    while let Some(flag) = args.next() {
        let mut value = || args.next().ok_or(format!("{flag} needs a value"));
        let number = |v: String| v.parse::<u64>().map_err(|e| format!("{flag}: {e}"));
        match flag.as_str() {
            "--dataset" => opts.dataset = value()?,
            "--steps" => opts.steps = number(value()?)?,
            "--out" => opts.out = value()?.into(),
            "--resume" => opts.resume = true,
            "--seed" => opts.seed = Some(number(value()?)?),
            "--checkpoint-every" => opts.checkpoint_every = number(value()?)?.max(1),
            "--device" => {
                opts.device_name = value()?;
                opts.device = device_named(&opts.device_name)?;
            }
            "--widths" => {
                let v = value()?;
                let (g, d) = v.split_once(',').ok_or("--widths G,D")?;
                opts.widths = Some((g.parse().map_err(|_| "--widths G,D")?, d.parse().map_err(|_| "--widths G,D")?));
            }
            other => return Err(format!("unknown option \"{other}\"")),
        }
    }
    if opts.dataset.is_empty() {
        return Err("pretrain needs --dataset digits, fashion or emoji".into());
    }
    if opts.steps == 0 {
        opts.steps = ganplay::pretrain::default_steps(&opts.dataset);
    }
    pretrain(&opts).map(|_| ())
}

#[cfg(not(target_arch = "wasm32"))]
fn evaluate(args: Vec<String>) -> Result<(), String> {
    let mut only = None;
    let mut models = std::path::PathBuf::from("www/models");
    let mut samples = 2000usize;
    let mut truncation = 1.0f32;
    let mut args = args.into_iter();
    while let Some(flag) = args.next() {
        let mut value = || args.next().ok_or(format!("{flag} needs a value"));
        match flag.as_str() {
            "--dataset" => only = Some(value()?),
            "--models" => models = value()?.into(),
            "--samples" => samples = value()?.parse().map_err(|e| format!("--samples: {e}"))?,
            "--truncation" => truncation = value()?.parse().map_err(|e| format!("--truncation: {e}"))?,
            other => return Err(format!("unknown option \"{other}\"")),
        }
    }
    ganplay::quality::evaluate_all(&models, only.as_deref(), samples, truncation)
}

#[cfg(not(target_arch = "wasm32"))]
fn reference(args: Vec<String>) -> Result<(), String> {
    let (mut model, mut out) = (None, None);
    let mut args = args.into_iter();
    while let Some(flag) = args.next() {
        let mut value = || args.next().ok_or(format!("{flag} needs a value"));
        match flag.as_str() {
            "--model" => model = Some(value()?),
            "--out" => out = Some(value()?),
            other => return Err(format!("unknown option \"{other}\"")),
        }
    }
    let (model, out) = (model.ok_or("--model is required")?, out.ok_or("--out is required")?);
    let bytes = std::fs::read(&model).map_err(|e| format!("{model}: {e}"))?;
    let r = ganplay::pretrained::Reference::make(&bytes)?;
    std::fs::write(&out, serde_json::to_string(&r).map_err(|e| e.to_string())?).map_err(|e| format!("{out}: {e}"))?;
    println!("wrote {out}");
    Ok(())
}
