//! ganplay's native command line.
//!
//! ```text
//! ganplay train [--dataset NAME] [--rounds N] [--config FILE.json] [--seed S] [--out FILE.json] [--weights-only]
//! ganplay pretrain --dataset digits|fashion|emoji [--steps N] [--device cpu|wgpu] [--out DIR] [--resume] [--seed S]
//! ganplay evaluate [--dataset digits|fashion|emoji] [--models DIR] [--samples N] [--truncation T]
//! ganplay bench [--device cpu|wgpu] [--seconds S]
//! ganplay soak [--device cpu|wgpu] [--rounds N]
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
       ganplay bench [--device cpu|wgpu] [--seconds S]   (the browser benchmark's workloads, natively)
       ganplay soak [--device cpu|wgpu] [--rounds N]      (the browser soak, natively: device memory over a long run)
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
        #[cfg(not(target_arch = "wasm32"))]
        Some("bench") => return bench(args.collect()),
        #[cfg(not(target_arch = "wasm32"))]
        Some("soak") => return soak(args.collect()),
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

/// The options of `bench` and `soak`: `--device cpu|wgpu` (default cpu) and one number, `name`
/// (default `number`). Returns the device, its name and the number.
#[cfg(not(target_arch = "wasm32"))]
fn device_and_number<T: std::str::FromStr>(args: Vec<String>, name: &str, mut number: T) -> Result<(Device, String, T), String>
where
    T::Err: std::fmt::Display,
{
    let (mut device, mut device_name) = (Device::flex(), "cpu".to_string());
    let mut args = args.into_iter();
    while let Some(flag) = args.next() {
        let mut value = || args.next().ok_or(format!("{flag} needs a value"));
        match flag.as_str() {
            "--device" => {
                device_name = value()?;
                device = device_named(&device_name)?;
            }
            f if f == name => number = value()?.parse().map_err(|e| format!("{name}: {e}"))?,
            other => return Err(format!("unknown option \"{other}\"")),
        }
    }
    Ok((device, device_name, number))
}

/// The browser benchmark's workloads (bench/workloads.js) run natively on one device: ring8 (50
/// warm-up iterations, 500 timed, both losses read back every 50), the scaling table (each cell
/// timed for about `--seconds`) and dcgan28-sample (3 warm-up batches of 64, 20 timed, each read
/// back). For a real GPU, where the browser's WebGPU here is SwiftShader on the CPU.
#[cfg(not(target_arch = "wasm32"))]
fn bench(args: Vec<String>) -> Result<(), String> {
    use ganplay::model::conv::ConvGeneratorConfig;
    use ganplay::pretrained::Pretrained;
    let (device, device_name, seconds) = device_and_number(args, "--seconds", 2.0f64)?;
    let ring = |batch: usize, width: usize| {
        let mut c = TrainConfig { batch_size: batch, ..TrainConfig::default() };
        (c.generator.width, c.discriminator.width) = (width, width);
        (c.generator.hidden_layers, c.discriminator.hidden_layers) = (3, 3);
        c.generator.latent_dim = 2;
        for o in [&mut c.optim_g, &mut c.optim_d] {
            (o.lr, o.beta1, o.beta2) = (1e-3, 0.5, 0.999);
        }
        c
    };
    // Trains `timed` iterations after `warmup`, reading both losses back every `every`; iterations/s.
    let time_ring = |config: TrainConfig, warmup: u64, timed: u64, every: u64| -> Result<f64, String> {
        let mut t = Trainer::new(config, Dataset::from_name("ring").map_err(|e| e.to_string())?, &device)?;
        let run = |n: u64, t: &mut Trainer| -> Result<(), String> {
            for i in 1..=n {
                t.round();
                if i % every == 0 || i == n {
                    let r = block_on(t.readout(View::points(1)))?;
                    if !r.d_loss.is_finite() || !r.g_loss.is_finite() {
                        return Err("ring8 diverged".into());
                    }
                }
            }
            Ok(())
        };
        run(warmup, &mut t)?;
        let start = Instant::now();
        run(timed, &mut t)?;
        Ok(timed as f64 / start.elapsed().as_secs_f64())
    };
    let flops = |batch: usize, width: usize| {
        let g = 2 * width + 2 * width * width + width * 2;
        let d = 2 * width + 2 * width * width + width;
        (2 * batch * (4 * g + 8 * d)) as f64
    };
    println!("ganplay bench on {device_name} ({device:?})");
    #[cfg(feature = "wgpu")]
    if device_name == "wgpu" {
        println!("adapter: {:?}", device.identity());
    }
    println!();
    let rate = time_ring(ring(256, 64), 50, 500, 50)?;
    println!("| workload | result | GFLOP/s |\n|---|---|---|");
    println!("| ring8 (batch 256, 3×64) | {rate:.1} it/s | {:.2} |", rate * flops(256, 64) / 1e9);

    let config = ConvGeneratorConfig { latent_dim: 64, width: 128, ..ConvGeneratorConfig::default() };
    let model = Pretrained::random(config, 1, &device)?;
    let mut rng = ganplay::data::Rng::new(2);
    let mut batch = || -> Result<usize, String> {
        let z: Vec<f32> = (0..64 * 64).map(|_| rng.normal()).collect();
        let images = block_on(model.generate(&z, &[])?.into_data_async()).map_err(|e| format!("{e:?}"))?;
        Ok(images.as_slice::<f32>().map_err(|e| format!("{e:?}"))?.len())
    };
    for _ in 0..3 {
        batch()?;
    }
    let start = Instant::now();
    for _ in 0..20 {
        if batch()? != 64 * 28 * 28 {
            return Err("dcgan28: wrong image count".into());
        }
    }
    let per_second = 20.0 * 64.0 / start.elapsed().as_secs_f64();
    // As bench/workloads.js's dcganFlops: the dense layer, then each input pixel of a transposed
    // convolution scatters a 4×4 patch of its output channels.
    let per_image = 2.0 * (64.0 * 6272.0 + 7.0 * 7.0 * 128.0 * 64.0 * 16.0 + 14.0 * 14.0 * 64.0 * 16.0);
    println!("| dcgan28-sample (batch 64) | {per_second:.0} images/s | {:.2} |", per_second * per_image / 1e9);

    println!("\nring8 iterations/s by batch × width (each timed for about {seconds} s):\n");
    println!("| batch | width 16 | width 64 | width 256 |\n|---|---|---|---|");
    for b in [64, 256, 1024, 4096] {
        let mut row = format!("| {b} |");
        for w in [16, 64, 256] {
            let probe = time_ring(ring(b, w), 3, 3, 3)?;
            let n = ((seconds * probe).round() as u64).max(3);
            let r = time_ring(ring(b, w), n.min(50), n, n.min(50))?;
            row += &format!(" {r:.1} ({:.1} GFLOP/s) |", r * flops(b, w) / 1e9);
        }
        println!("{row}");
    }
    Ok(())
}

/// The browser soak (bench/ganplay.js) natively: ring8 trained the way the playground's worker does
/// (chunks of 50 rounds, each followed by a readout with every picture and a checkpoint), sampling
/// the device allocator's live allocations and reserved bytes and the process's resident memory.
/// Growth is from the end of the first tenth of the run to the end.
#[cfg(not(target_arch = "wasm32"))]
fn soak(args: Vec<String>) -> Result<(), String> {
    let (device, device_name, rounds) = device_and_number(args, "--rounds", 20_000u64)?;
    let resident = || {
        std::fs::read_to_string("/proc/self/statm").ok().and_then(|s| s.split_whitespace().nth(1)?.parse::<u64>().ok()).map_or(0, |pages| pages * 4096)
    };
    let pool = |d: &Device| d.memory_pool_usage().map_or((0, 0, 0), |u| (u.number_allocs, u.bytes_in_use, u.bytes_reserved));
    let mut t = Trainer::new(TrainConfig::default(), Dataset::from_name("ring").map_err(|e| e.to_string())?, &device)?;
    let view = View { samples: 1024, heatmap: 48, manifold: 16, arrows: 256 };
    let (every, start) = (50u64, Instant::now());
    let mut samples = Vec::new();
    println!("| round | seconds | live allocations | bytes in use | bytes reserved | resident |\n|---|---|---|---|---|---|");
    let mut done = 0;
    while done < rounds {
        let n = every.min(rounds - done);
        for _ in 0..n {
            t.round();
        }
        done += n;
        let r = block_on(t.readout(view))?;
        if !r.finite {
            return Err(format!("diverged at round {done}"));
        }
        t.checkpoint();
        let (allocs, in_use, reserved) = pool(&device);
        samples.push((done, allocs, in_use, reserved, resident()));
        if done % (rounds / 10).max(every) == 0 || done == rounds {
            println!("| {done} | {:.1} | {allocs} | {in_use} | {reserved} | {} |", start.elapsed().as_secs_f64(), resident());
        }
    }
    let warm = samples[(samples.len() / 10).saturating_sub(1)];
    let end = samples[samples.len() - 1];
    let growth = |a: u64, b: u64| if a > 0 { format!("{:+.1} %", 100.0 * (b as f64 - a as f64) / a as f64) } else { "n/a".into() };
    println!(
        "\n{rounds} rounds on {device_name} in {:.1} s; growth from round {} to {}: live allocations {}, bytes in use {}, reserved {}, resident {}",
        start.elapsed().as_secs_f64(),
        warm.0,
        end.0,
        growth(warm.1, end.1),
        growth(warm.2, end.2),
        growth(warm.3, end.3),
        growth(warm.4, end.4)
    );
    Ok(())
}
