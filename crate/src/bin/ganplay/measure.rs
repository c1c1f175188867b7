//! The measuring commands: the browser benchmark's workloads and the soak, natively.

use burn::tensor::Device;
use ganplay::readback::block_on;
use ganplay::train::{TrainConfig, Trainer, View};
use std::time::Instant;

/// The browser benchmark's workloads (bench/workloads.js) run natively on one device: ring8 (50
/// warm-up iterations, 500 timed, both losses read back every 50), the scaling table (each cell
/// timed for about `--seconds`) and dcgan28-sample (3 warm-up batches of 64, 20 timed, each read
/// back). For a real GPU, where the browser's WebGPU here is SwiftShader on the CPU.
pub fn bench(device: Device, device_name: &str, seconds: f64) -> Result<(), String> {
    use ganplay::model::conv::ConvGeneratorConfig;
    use ganplay::images::shipped::Pretrained;
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
        let mut t = Trainer::new(TrainConfig { dataset: "ring".into(), ..config }, None, &device)?;
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
pub fn soak(device: Device, device_name: &str, rounds: u64) -> Result<(), String> {
    let resident = || {
        std::fs::read_to_string("/proc/self/statm").ok().and_then(|s| s.split_whitespace().nth(1)?.parse::<u64>().ok()).map_or(0, |pages| pages * 4096)
    };
    let pool = |d: &Device| d.memory_pool_usage().map_or((0, 0, 0), |u| (u.number_allocs, u.bytes_in_use, u.bytes_reserved));
    let mut t = Trainer::new(TrainConfig::default(), None, &device)?;
    let view = View { samples: 1024, heatmap: 48, manifold: 16, arrows: 256, grad_norm: true };
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
