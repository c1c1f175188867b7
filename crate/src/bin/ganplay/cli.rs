//! The commands and their options (clap); `train` and the small commands run here, `bench` and
//! `soak` in measure.rs.

use burn::tensor::Device;
use clap::{Parser, Subcommand, ValueEnum};
use ganplay::readback::block_on;
use ganplay::train::{TrainConfig, Trainer, View};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use super::measure::{bench, soak};

/// Train and sample GANs with burn: the playground's engine on the command line.
#[derive(Parser)]
#[command(name = "ganplay", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Train a 2D GAN on the CPU (the reference config by default), printing losses and mode
    /// coverage; `--out` writes the run as a model file the page imports (the presets in
    /// www/models/ are made this way).
    Train {
        /// A built-in dataset (ring, grid, spiral, moons, circles, disjoint, line, gaussian); wins over --config.
        #[arg(long)]
        dataset: Option<String>,
        /// Training rounds (k_D discriminator steps, then k_G generator steps, each).
        #[arg(long, default_value_t = 2000)]
        rounds: u64,
        /// A JSON TrainConfig; missing fields take their defaults.
        #[arg(long, value_name = "FILE.json")]
        config: Option<PathBuf>,
        /// The run's seed; wins over --config.
        #[arg(long)]
        seed: Option<u64>,
        /// Write the run as a model file.
        #[arg(long, value_name = "FILE.json")]
        out: Option<PathBuf>,
        /// Leave the optimisers' state out of the model file.
        #[arg(long)]
        weights_only: bool,
    },
    /// Pretrain a shipped image generator (installing its dataset package when missing) and write
    /// it, its preview and its manifest entry.
    Pretrain {
        /// Which generator.
        #[arg(long, value_parser = ["digits", "fashion", "emoji"])]
        dataset: String,
        /// Training steps [default: what the shipped model was trained for: digits 6000, fashion 6000, emoji 4000].
        #[arg(long)]
        steps: Option<u64>,
        /// Where to compute.
        #[arg(long, value_enum, default_value_t = DeviceArg::Cpu)]
        device: DeviceArg,
        /// Where the .gpk, the preview and manifest.json go.
        #[arg(long, default_value = "www/models")]
        out: PathBuf,
        /// Go on from the last checkpoint (in the cache) if there is one.
        #[arg(long)]
        resume: bool,
        /// The run's seed [default: the dataset's pretraining config's].
        #[arg(long)]
        seed: Option<u64>,
        /// Save a checkpoint every N steps.
        #[arg(long, default_value_t = 250, value_parser = clap::value_parser!(u64).range(1..))]
        checkpoint_every: u64,
        /// Generator and discriminator widths instead of the defaults (for quick trials).
        #[arg(long, value_name = "G,D", value_parser = widths)]
        widths: Option<(usize, usize)>,
    },
    /// Measure the shipped generators (classifier share and Fréchet distance) into the manifest.
    Evaluate {
        /// Only this generator (default: all of them).
        #[arg(long, value_parser = ["digits", "fashion", "emoji"])]
        dataset: Option<String>,
        /// The folder with manifest.json.
        #[arg(long, default_value = "www/models")]
        models: PathBuf,
        /// Generated images per measure.
        #[arg(long, default_value_t = 2000)]
        samples: usize,
        /// Scale of the latent noise (1 = none).
        #[arg(long, default_value_t = 1.0)]
        truncation: f32,
    },
    /// Measure the gallery's in-tab trainer (from scratch and fine-tuning, several seeds) with the
    /// digits judges of `evaluate`, and write the figures and the step the page promises into the manifest.
    TabTraining {
        /// The folder with manifest.json and digits.gpk.
        #[arg(long, default_value = "www/models")]
        models: PathBuf,
        /// The page's digits (written by ./build.sh build).
        #[arg(long, default_value = "www/data/digits.bin")]
        data: PathBuf,
        /// Runs, seeds 1..=N (the page trains seed 1).
        #[arg(long, default_value_t = 3)]
        seeds: u64,
        /// Samples judged at each measurement.
        #[arg(long, default_value_t = 500)]
        samples: usize,
        /// Steps between measurements, from scratch.
        #[arg(long, default_value_t = 300)]
        every: u64,
        /// Last step, from scratch.
        #[arg(long, default_value_t = 1200)]
        steps: u64,
        /// Fine-tuning steps.
        #[arg(long, default_value_t = 500)]
        finetune_steps: u64,
    },
    /// Images for fixed noise from a generator: the native/wasm agreement test's fixture.
    Reference {
        #[arg(long, value_name = "FILE.gpk")]
        model: PathBuf,
        #[arg(long, value_name = "FILE.json")]
        out: PathBuf,
    },
/// The browser benchmark's workloads, natively on one device.
    Bench {
        /// Where to compute.
        #[arg(long, value_enum, default_value_t = DeviceArg::Cpu)]
        device: DeviceArg,
        /// About how long each cell of the scaling table is timed.
        #[arg(long, default_value_t = 2.0)]
        seconds: f64,
    },
    /// The browser soak, natively: device memory and resident memory over a long run.
    Soak {
        /// Where to compute.
        #[arg(long, value_enum, default_value_t = DeviceArg::Cpu)]
        device: DeviceArg,
        #[arg(long, default_value_t = 20_000)]
        rounds: u64,
    },
    /// Write the engine's setting ranges and defaults as the page's www/js/limits.js.
    Limits {
        /// Where to write it (default: print it).
        #[arg(long, value_name = "FILE.js")]
        out: Option<PathBuf>,
    },
}

/// Where a native run computes.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum DeviceArg {
    /// burn's CPU backend (flex), every core.
    Cpu,
    /// burn's wgpu backend on the default GPU (a binary built with --features wgpu).
    Wgpu,
}

impl DeviceArg {
    fn name(self) -> String {
        match self {
            DeviceArg::Cpu => "cpu".into(),
            DeviceArg::Wgpu => "wgpu".into(),
        }
    }

    fn device(self) -> Result<Device, String> {
        match self {
            DeviceArg::Cpu => Ok(Device::flex()),
            #[cfg(feature = "wgpu")]
            DeviceArg::Wgpu => Ok(Device::wgpu(burn::tensor::DeviceKind::DefaultDevice)),
            #[cfg(not(feature = "wgpu"))]
            DeviceArg::Wgpu => Err("this binary was built without the wgpu feature (cargo run --release --features wgpu ...)".into()),
        }
    }
}

fn widths(text: &str) -> Result<(usize, usize), String> {
    let bad = || format!("expected G,D (two widths), got \"{text}\"");
    let (g, d) = text.split_once(',').ok_or_else(bad)?;
    Ok((g.trim().parse().map_err(|_| bad())?, d.trim().parse().map_err(|_| bad())?))
}

pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) if !e.use_stderr() => {
            // --help and --version.
            print!("{e}");
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            let text = e.render().to_string();
            eprint!("ganplay: {}", text.strip_prefix("error: ").unwrap_or(&text));
            return ExitCode::from(2);
        }
    };
    match run(cli.command) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("ganplay: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run(command: Command) -> Result<(), String> {
    match command {
        Command::Train { dataset, rounds, config, seed, out, weights_only } => train(dataset, rounds, config, seed, out, !weights_only),
        Command::Pretrain { dataset, steps, device, out, resume, seed, checkpoint_every, widths } => {
            use ganplay::tools::pretrain::{Options, default_steps, pretrain};
            let steps = steps.unwrap_or_else(|| default_steps(&dataset));
            let opts = Options { steps, out, resume, seed, checkpoint_every, device: device.device()?, device_name: device.name(), widths, dataset };
            pretrain(&opts).map(|_| ())
        }
        Command::Evaluate { dataset, models, samples, truncation } => {
            ganplay::tools::evaluate::evaluate_all(&models, dataset.as_deref(), samples, truncation)
        }
        Command::TabTraining { models, data, seeds, samples, every, steps, finetune_steps } => {
            use ganplay::tools::tab_training::{Options, tab_training};
            tab_training(&Options { models, data, seeds, samples, every, steps, finetune_steps })
        }
        Command::Reference { model, out } => {
            let bytes = std::fs::read(&model).map_err(|e| format!("{}: {e}", model.display()))?;
            let r = ganplay::images::shipped::Reference::make(&bytes)?;
            std::fs::write(&out, serde_json::to_string(&r).map_err(|e| e.to_string())?).map_err(|e| format!("{}: {e}", out.display()))?;
            println!("wrote {}", out.display());
            Ok(())
        }
        Command::Bench { device, seconds } => bench(device.device()?, &device.name(), seconds),
        Command::Soak { device, rounds } => soak(device.device()?, &device.name(), rounds),
        Command::Limits { out } => {
            let module = ganplay::train::limits_module();
            match out {
                Some(path) => std::fs::write(&path, module).map_err(|e| format!("{}: {e}", path.display())),
                None => Ok(print!("{module}")),
            }
        }
    }
}

fn train(dataset: Option<String>, rounds: u64, config: Option<PathBuf>, seed: Option<u64>, out: Option<PathBuf>, with_optimizer: bool) -> Result<(), String> {
    let mut config = match config {
        Some(path) => TrainConfig::from_json(&std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?)?,
        None => TrainConfig::default(),
    };
    // Flags win over the config file.
    if let Some(d) = dataset {
        config.dataset = d;
    }
    if let Some(s) = seed {
        config.seed = s;
    }
    let mut trainer = Trainer::new(config, None, &Device::flex())?;
    let every = (rounds / 10).max(1);
    let start = Instant::now();
    for round in 1..=rounds {
        trainer.round();
        if round % every == 0 || round == rounds {
            let r = block_on(trainer.readout(View::points(2000)))?;
            let modes = r.metrics.modes.map(|m| format!(" modes {}/{} hq {:.1}%", m.covered, m.total, 100.0 * m.high_quality));
            println!("round {round:>6}  D {:.4}  G {:.4}  JS {:.3}{}", r.d_loss, r.g_loss, r.metrics.js, modes.unwrap_or_default());
        }
    }
    let secs = start.elapsed().as_secs_f64();
    println!("{rounds} rounds in {secs:.2} s: {:.0} iterations/s (CPU, flex)", rounds as f64 / secs);
    if let Some(path) = out {
        let file = block_on(trainer.save(with_optimizer))?;
        std::fs::write(&path, file.to_json()).map_err(|e| format!("{}: {e}", path.display()))?;
        println!("wrote {}", path.display());
    }
    Ok(())
}
