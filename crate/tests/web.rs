//! wasm tests in headless Chromium (wasm-bindgen-test): the trainer on the CPU and WebGPU
//! backends. WebGPU here is SwiftShader, a CPU Vulkan, so WebGPU tests stay small.
#![cfg(target_arch = "wasm32")]

use burn::tensor::Device;
use ganplay::data::Dataset;
use ganplay::metrics::mode_coverage;
use ganplay::train::{TrainConfig, Trainer, View};
use ganplay::web::{Playground, device_for, webgpu_device};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn small() -> TrainConfig {
    TrainConfig { batch_size: 64, ..Default::default() }
}

async fn trains_with_finite_losses(device: &Device, rounds: usize) {
    let mut t = Trainer::new(small(), None, device).unwrap();
    for _ in 0..rounds {
        t.round();
    }
    let r = t.readout(View::points(256)).await.unwrap();
    assert_eq!(r.iteration, rounds as u64);
    assert!(r.d_loss.is_finite() && r.g_loss.is_finite(), "losses {} {}", r.d_loss, r.g_loss);
    assert_eq!(r.fake.len(), 512);
    assert!(r.fake.iter().all(|v| v.is_finite()));
}

#[wasm_bindgen_test]
async fn cpu_trainer_runs() {
    trains_with_finite_losses(&Device::flex(), 20).await;
}

#[wasm_bindgen_test]
async fn webgpu_trainer_runs() {
    let (device, adapter) = webgpu_device().await.expect("the tests run Chromium with --enable-unsafe-webgpu");
    assert!(adapter.fallback, "this machine has no GPU: the adapter should be SwiftShader, a fallback");
    trains_with_finite_losses(&device, 3).await;
}

/// Same seed ⇒ same host-drawn weights and noise; one forward pass agrees across backends.
#[wasm_bindgen_test]
async fn forward_pass_agrees_between_backends() {
    let (gpu, _) = webgpu_device().await.unwrap();
    let mut cpu = Trainer::new(TrainConfig::default(), None, &Device::flex()).unwrap();
    let mut gpu = Trainer::new(TrainConfig::default(), None, &gpu).unwrap();
    let a = cpu.readout(View::points(512)).await.unwrap().fake;
    let b = gpu.readout(View::points(512)).await.unwrap().fake;
    assert_eq!(a.len(), b.len());
    let worst = a.iter().zip(&b).map(|(x, y)| (x - y).abs()).fold(0f32, f32::max);
    assert!(worst <= 1e-4, "largest difference {worst}");
    assert!(a.iter().any(|v| v.abs() > 1e-3), "the forward pass is all zeros");
}

/// The CPU backend in the browser reaches the same bar as natively on the reference config.
#[wasm_bindgen_test]
async fn cpu_in_browser_covers_the_ring() {
    let modes = Dataset::Ring.modes().unwrap();
    let mut t = Trainer::new(TrainConfig::default(), None, &Device::flex()).unwrap();
    let mut last = None;
    for round in 1..=5000 {
        t.round();
        if round % 500 == 0 {
            let r = t.readout(View::points(2000)).await.unwrap();
            let c = mode_coverage(&r.fake, &modes, 0.1);
            if c.covered >= 7 && c.high_quality >= 0.6 {
                return;
            }
            last = Some(c);
        }
    }
    panic!("the ring was not covered within 5,000 iterations: {last:?}");
}

#[wasm_bindgen_test]
async fn bad_input_is_an_error_not_a_panic() {
    let err = |r: Result<Playground, wasm_bindgen::JsError>| {
        let v: wasm_bindgen::JsValue = r.err().expect("should fail").into();
        js_sys::Reflect::get(&v, &"message".into()).unwrap().as_string().unwrap()
    };
    assert!(err(Playground::create("tpu".into(), "{}".into(), None).await).contains("unknown backend"));
    assert!(err(Playground::create("cpu".into(), r#"{"dataset":"nope"}"#.into(), None).await).contains("unknown dataset"));
    assert!(err(Playground::create("cpu".into(), r#"{"optim_d":{"lr":"NaN"}}"#.into(), None).await).contains("invalid config"));
    assert!(err(Playground::create("cpu".into(), r#"{"generator":{"width":1000}}"#.into(), None).await).contains("generator.width"));
    // "auto" is the page's decision (www/js/engine.js, tested end to end); the engine only takes
    // the backend the page chose.
    assert!(device_for("auto").await.err().expect("auto is refused").contains("the page resolves"));
    let (_, info) = device_for("webgpu").await.unwrap();
    assert_eq!(info.backend, "webgpu", "webgpu should give WebGPU where an adapter exists");
}

/// On WebGPU every picture, an explained round, rollback and a model file work without a
/// synchronous read (which would panic there).
#[wasm_bindgen_test]
async fn webgpu_pictures_explain_and_model_files() {
    let (device, _) = webgpu_device().await.unwrap();
    let cfg = TrainConfig {
        batch_size: 32,
        ema: 0.9,
        generator: ganplay::model::GeneratorConfig { width: 16, ..Default::default() },
        discriminator: ganplay::model::DiscriminatorConfig { width: 16, ..Default::default() },
        ..Default::default()
    };
    let mut t = Trainer::new(cfg, None, &device).unwrap();
    t.round();
    t.checkpoint();
    let r = t.readout(View { samples: 64, heatmap: 8, manifold: 5, arrows: 16, grad_norm: true }).await.unwrap();
    assert!(r.finite && r.ema);
    assert_eq!((r.heatmap.len(), r.manifold.len(), r.arrows.len()), (64, 50, 32));
    let e = t.explain(8, 8).await.unwrap();
    assert!(e.d_loss.is_finite() && e.g_loss.is_finite());
    assert_eq!(t.iteration(), 2);
    assert!(t.rollback());
    assert_eq!(t.iteration(), 1);
    let file = t.save(false).await.unwrap();
    assert!(file.optimizer.is_none());
    let json = file.to_json();
    let mut back = Trainer::restore(&ganplay::files::model_file::ModelFile::from_json(&json).unwrap(), &device).unwrap();
    let again = back.readout(View::points(64)).await.unwrap();
    let now = t.readout(View::points(64)).await.unwrap();
    assert_eq!(again.fake, now.fake);
}

/// A CPU export with optimiser state continues on WebGPU (burn moves the state to the device).
#[wasm_bindgen_test]
async fn cpu_model_file_with_optimizer_state_continues_on_webgpu() {
    let (gpu, _) = webgpu_device().await.unwrap();
    let cfg = TrainConfig {
        batch_size: 16,
        generator: ganplay::model::GeneratorConfig { width: 8, ..Default::default() },
        discriminator: ganplay::model::DiscriminatorConfig { width: 8, ..Default::default() },
        ..Default::default()
    };
    let mut cpu = Trainer::new(cfg, None, &Device::flex()).unwrap();
    cpu.round();
    let file = cpu.save(true).await.unwrap();
    assert!(file.optimizer.is_some());
    let mut t = Trainer::restore(&file, &gpu).unwrap();
    t.round();
    let r = t.readout(View::points(32)).await.unwrap();
    assert!(r.finite && r.d_loss.is_finite() && r.g_loss.is_finite());
    assert_eq!(r.iteration, 2);
}

/// The shipped digits and emoji generators in the browser give the images the native build
/// computed (crate/tests/<id>-reference.json, made by `ganplay reference`): CPU within 1e-4, WebGPU
/// (f32 shaders, another summation order) within 2e-3. The sliders' directions agree too.
#[wasm_bindgen_test]
async fn shipped_generators_match_native_on_cpu_and_webgpu() {
    use ganplay::images::directions::principal_directions;
    use ganplay::images::shipped::{Pretrained, Reference};
    use ganplay::readback::read_f32;
    let shipped: [(&str, &[u8], &str); 2] = [
        ("digits", include_bytes!("../../www/models/digits.gpk"), include_str!("digits-reference.json")),
        ("emoji", include_bytes!("../../www/models/emoji.gpk"), include_str!("emoji-reference.json")),
    ];
    let (gpu, _) = webgpu_device().await.unwrap();
    for (id, bytes, reference) in shipped {
        let want: Reference = serde_json::from_str(reference).unwrap();
        let mut found = Vec::new();
        for (device, tolerance) in [(Device::flex(), 1e-4f32), (gpu.clone(), 2e-3)] {
            let p = Pretrained::from_bytes(bytes, &device).unwrap();
            let images = p.generate(&want.z, &want.classes).unwrap();
            let got = read_f32(burn::tensor::Transaction::default().register(images)).await.unwrap().remove(0);
            assert_eq!(got.len(), want.images.len());
            let worst = got.iter().zip(&want.images).map(|(a, b)| (a - b).abs()).fold(0.0, f32::max);
            assert!(worst < tolerance, "{id}: differs from native by {worst} (tolerance {tolerance})");
            found.push(principal_directions(&p.generator, &p.meta.config, 2, &device).await.unwrap());
        }
        // An eigenvector's sign is arbitrary: the same direction either way.
        let dim = found[0].vectors.len() / 2;
        for k in 0..2 {
            let dot: f32 = (0..dim).map(|i| found[0].vectors[k * dim + i] * found[1].vectors[k * dim + i]).sum();
            assert!(dot.abs() > 0.99, "{id}: direction {k} differs between CPU and WebGPU (|cos| {})", dot.abs());
        }
    }
}

/// The in-tab image trainer runs on WebGPU (tiny config: SwiftShader is slow) and a broken
/// generator file is an error, not a panic.
#[wasm_bindgen_test]
async fn image_training_runs_on_webgpu_and_bad_files_are_errors() {
    use ganplay::data::images::ImageSet;
    use ganplay::images::trainer::{ImageGanConfig, ImageTrainer};
    use ganplay::model::conv::ImageShape;
    use ganplay::images::shipped::Pretrained;
    let (gpu, _) = webgpu_device().await.unwrap();
    let mut c = ImageGanConfig::for_data(ImageShape { size: 28, channels: 1 }, 2);
    c.batch_size = 4;
    c.generator.width = 8;
    c.generator.latent_dim = 4;
    c.discriminator.width = 8;
    let data = ImageSet { size: 28, channels: 1, pixels: vec![0.5; 4 * 784], labels: vec![0, 1, 0, 1], class_names: vec!["a".into(), "b".into()] };
    let mut t = ImageTrainer::new(c, data, &gpu).unwrap();
    t.train_step();
    t.train_step();
    let losses = ganplay::readback::read_f32(burn::tensor::Transaction::default().register(t.losses())).await.unwrap().remove(0);
    assert!(losses.iter().all(|l| l.is_finite()), "{losses:?}");
    let bytes = include_bytes!("../../www/models/digits.gpk");
    assert!(Pretrained::from_bytes(&bytes[..bytes.len() - 100], &Device::flex()).is_err());
    assert!(Pretrained::from_bytes(b"{\"format\": \"ganplay-2d\"}", &Device::flex()).is_err());
}

#[wasm_bindgen_test]
fn the_simd_matmul_yardstick_computes_the_product() {
    // The benchmark's FLOP limit is only meaningful if the SIMD kernel does the real work.
    for n in [8, 64] {
        let a: Vec<f32> = (0..n * n).map(|i| ((i * 31 % 17) as f32 - 8.0) / 4.0).collect();
        let b: Vec<f32> = (0..n * n).map(|i| ((i * 7 % 23) as f32 - 11.0) / 4.0).collect();
        let (mut fast, mut slow) = (vec![0.0; n * n], vec![0.0; n * n]);
        ganplay::kernel::matmul(&a, &b, &mut fast, n);
        ganplay::kernel::naive(&a, &b, &mut slow, n);
        for (x, y) in fast.iter().zip(&slow) {
            assert!((x - y).abs() <= 1e-3 * (1.0 + y.abs()), "{x} vs {y}");
        }
    }
}

#[wasm_bindgen_test]
fn the_fused_simd_product_is_the_product_bit_for_bit() {
    // The playground's CPU training runs on this kernel (crate::train::fused); here its SIMD128 blocks,
    // its 1 × 8 row blocks and its edges must give exactly what the definition gives.
    ganplay::kernel::check_against_definition(&[(4, 3, 8), (5, 2, 11), (9, 7, 17), (2, 64, 64), (64, 512, 1), (513, 64, 64)]).unwrap();
}
