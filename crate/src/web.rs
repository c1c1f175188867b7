//! The wasm-bindgen face: the only place that knows about JavaScript. Nothing imports it.
//!
//! Every method returns `Result<_, JsError>` with a clear message; a panic would kill the instance.

use crate::data::Dataset;
use burn::tensor::Device;
use js_sys::{Float32Array, Object, Reflect};
use serde::Serialize;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = console, js_name = error)]
    fn console_error(message: &str);
}

/// Sends panic messages to the console, so a bug is at least visible.
#[wasm_bindgen(start)]
pub fn start() {
    std::panic::set_hook(Box::new(|info| console_error(&format!("ganplay panicked: {info}"))));
}

/// The adapter WebGPU runs on, as the browser reports it.
#[derive(Clone, Debug, Serialize)]
pub struct AdapterInfo {
    pub vendor: String,
    pub architecture: String,
    pub device: String,
    pub description: String,
    /// A software adapter (such as SwiftShader), not the user's GPU.
    pub fallback: bool,
}

/// What really runs.
#[derive(Clone, Debug, Serialize)]
pub struct BackendInfo {
    /// "cpu" or "webgpu".
    pub backend: &'static str,
    pub adapter: Option<AdapterInfo>,
    /// Whether this module was built with WebGPU support.
    pub webgpu_built: bool,
}

fn get(obj: &JsValue, key: &str) -> JsValue {
    Reflect::get(obj, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

/// Asks the browser for a WebGPU adapter without touching wgpu, which panics where there is none.
pub async fn browser_adapter() -> Option<AdapterInfo> {
    let gpu = get(&get(&js_sys::global(), "navigator"), "gpu");
    if gpu.is_undefined() || gpu.is_null() {
        return None;
    }
    let request: js_sys::Function = get(&gpu, "requestAdapter").dyn_into().ok()?;
    let promise: js_sys::Promise = request.call0(&gpu).ok()?.dyn_into().ok()?;
    let adapter = JsFuture::from(promise).await.ok()?;
    if adapter.is_null() || adapter.is_undefined() {
        return None;
    }
    let info = get(&adapter, "info");
    let text = |k: &str| get(&info, k).as_string().unwrap_or_default();
    let fallback = get(&info, "isFallbackAdapter").as_bool().or_else(|| get(&adapter, "isFallbackAdapter").as_bool());
    Some(AdapterInfo {
        vendor: text("vendor"),
        architecture: text("architecture"),
        device: text("device"),
        description: text("description"),
        fallback: fallback.unwrap_or(false),
    })
}

#[cfg(feature = "wgpu")]
thread_local! {
    static WEBGPU: std::cell::RefCell<Option<(Device, AdapterInfo)>> = const { std::cell::RefCell::new(None) };
}

/// The WebGPU device, initialised once per instance (burn refuses a second initialisation).
#[cfg(feature = "wgpu")]
pub async fn webgpu_device() -> Result<(Device, AdapterInfo), String> {
    if let Some(found) = WEBGPU.with(|w| w.borrow().clone()) {
        return Ok(found);
    }
    let mut adapter = browser_adapter()
        .await
        .ok_or("WebGPU is not available in this browser (navigator.gpu gives no adapter); choose \"cpu\" or \"auto\"")?;
    let (device, setup) = Device::wgpu_options()
        .init_with_setup_async()
        .await
        .map_err(|e| format!("WebGPU failed to start: {e}"))?;
    let info = setup.adapter.get_info();
    adapter.fallback |= format!("{:?}", info.device_type) == "Cpu";
    if adapter.description.is_empty() {
        adapter.description = info.name.clone();
    }
    WEBGPU.with(|w| *w.borrow_mut() = Some((device.clone(), adapter.clone())));
    Ok((device, adapter))
}

#[cfg(not(feature = "wgpu"))]
pub async fn webgpu_device() -> Result<(Device, AdapterInfo), String> {
    Err("this is the CPU-only module; WebGPU needs the WebGPU module (www/pkg/gpu)".into())
}

/// Resolves "cpu", "webgpu" or "auto" (WebGPU when an adapter exists, else CPU) to a device.
pub async fn device_for(backend: &str) -> Result<(Device, BackendInfo), String> {
    let webgpu_built = cfg!(feature = "wgpu");
    #[cfg(feature = "cpu")]
    let cpu = || Ok((Device::flex(), BackendInfo { backend: "cpu", adapter: None, webgpu_built }));
    #[cfg(not(feature = "cpu"))]
    let cpu = || Err("this is the WebGPU-only module; the CPU needs the CPU module (www/pkg/cpu)".to_string());
    match backend {
        "cpu" => cpu(),
        "webgpu" => {
            let (device, adapter) = webgpu_device().await?;
            Ok((device, BackendInfo { backend: "webgpu", adapter: Some(adapter), webgpu_built }))
        }
        "auto" if webgpu_built && browser_adapter().await.is_some() => Box::pin(device_for("webgpu")).await,
        "auto" => cpu(),
        other => Err(format!("unknown backend \"{other}\"; expected \"auto\", \"webgpu\" or \"cpu\"")),
    }
}

/// Any error as a JS `Error` with its message.
pub(crate) fn err(e: impl std::fmt::Display) -> JsError {
    JsError::new(&e.to_string())
}

/// A plain object from `(key, value)` pairs.
#[cfg_attr(not(feature = "train"), allow(dead_code))]
fn object(pairs: Vec<(&str, JsValue)>) -> Result<JsValue, JsValue> {
    let out = Object::new();
    for (k, v) in pairs {
        Reflect::set(&out, &JsValue::from_str(k), &v)?;
    }
    Ok(out.into())
}

#[cfg_attr(not(feature = "train"), allow(dead_code))]
fn f32s(v: &[f32]) -> JsValue {
    Float32Array::from(v).into()
}

#[cfg_attr(not(feature = "train"), allow(dead_code))]
fn num(v: impl Into<f64>) -> JsValue {
    JsValue::from_f64(v.into())
}

/// `count` points of a built-in dataset, `[x0, y0, …]`, for thumbnails.
#[wasm_bindgen(js_name = sampleDataset)]
pub fn sample_dataset(name: &str, seed: u32, count: u32) -> Result<Float32Array, JsError> {
    let dataset = Dataset::from_name(name).map_err(err)?;
    let points = dataset.sample(&mut crate::data::Rng::new(seed as u64), count.min(100_000) as usize);
    Ok(Float32Array::from(points.as_slice()))
}

/// The benchmark's FLOP yardstick: `reps` products of two `n × n` matrices on this thread (see
/// [`crate::bench`]); returns the last result's sum for the page to check. FLOPs: `2·n³·reps`.
#[wasm_bindgen(js_name = benchMatmul)]
pub fn bench_matmul(n: u32, reps: u32) -> Result<f64, JsError> {
    let n = n as usize;
    if n == 0 || n % 8 != 0 || n > 1024 {
        return Err(err(format!("n must be a multiple of 8 up to 1024, got {n}")));
    }
    Ok(crate::bench::run(n, reps as usize))
}

/// A 2D GAN training session on one backend.
#[cfg(feature = "train")]
pub use playground::Playground;

/// The 2D playground: training, not in the sampling-only module.
#[cfg(feature = "train")]
mod playground {
use super::*;
use crate::data::MAX_POINTS;
use crate::train::{Explained, Readout, TrainConfig, Trainer, View};
use crate::weights::ModelFile;

/// Builds the dataset a config names; "points" takes the user's cloud `[x0, y0, x1, y1, …]`.
fn dataset_for(config: &TrainConfig, points: Option<Float32Array>) -> Result<Dataset, String> {
    if config.dataset != "points" {
        return Dataset::from_name(&config.dataset).map_err(|e| e.to_string());
    }
    let flat = points.ok_or("dataset \"points\" needs a point cloud")?.to_vec();
    if flat.len() % 2 != 0 {
        return Err("the point cloud has an odd number of coordinates".into());
    }
    if flat.len() / 2 > MAX_POINTS {
        return Err(format!("the point cloud has {} points; the limit is {MAX_POINTS}", flat.len() / 2));
    }
    Dataset::from_points(flat.chunks_exact(2).map(|c| [c[0], c[1]]).collect()).map_err(|e| e.to_string())
}


#[wasm_bindgen]
pub struct Playground {
    trainer: Trainer,
    device: Device,
    info: BackendInfo,
}

#[wasm_bindgen]
impl Playground {
    /// Starts a session. `backend` is "cpu", "webgpu" or "auto"; `config` is a JSON `TrainConfig`
    /// (missing fields take their defaults); `points` is the user's cloud when the dataset is "points".
    pub async fn create(backend: String, config: String, points: Option<Float32Array>) -> Result<Playground, JsError> {
        let config = TrainConfig::from_json(&config).map_err(err)?;
        let dataset = dataset_for(&config, points).map_err(err)?;
        let (device, info) = device_for(&backend).await.map_err(err)?;
        let trainer = Trainer::new(config, dataset, &device).map_err(err)?;
        Ok(Playground { trainer, device, info })
    }

    /// What runs, as JSON: `{ backend, adapter: { vendor, architecture, device, description, fallback } | null, webgpu_built }`.
    pub fn info(&self) -> String {
        serde_json::to_string(&self.info).unwrap_or_default()
    }

    /// The config in force, as JSON.
    pub fn config(&self) -> String {
        serde_json::to_string(self.trainer.config()).unwrap_or_default()
    }

    /// Rebuilds networks and optimisers from a new config. On error the current session stays.
    pub fn reset(&mut self, config: String, points: Option<Float32Array>) -> Result<(), JsError> {
        let config = TrainConfig::from_json(&config).map_err(err)?;
        let dataset = dataset_for(&config, points).map_err(err)?;
        self.trainer = Trainer::new(config, dataset, &self.device).map_err(err)?;
        Ok(())
    }

    /// Queues `rounds` training rounds. Nothing is read back.
    pub fn train(&mut self, rounds: u32) {
        for _ in 0..rounds {
            self.trainer.round();
        }
    }

    /// Counts one round made of `stepD` and `stepG` calls (k_D of one, then k_G of the other):
    /// the same updates as `train(1)`, taken apart so the worker can yield in between.
    #[wasm_bindgen(js_name = endRound)]
    pub fn end_round(&mut self) {
        self.trainer.end_round();
    }

    /// One discriminator update only (the round count stays).
    #[wasm_bindgen(js_name = stepD)]
    pub fn step_d(&mut self) {
        self.trainer.step_d();
    }

    /// One generator update only (the round count stays).
    #[wasm_bindgen(js_name = stepG)]
    pub fn step_g(&mut self) {
        self.trainer.step_g();
    }

    pub fn iteration(&self) -> f64 {
        self.trainer.iteration() as f64
    }

    /// Remembers the current state as the last good one.
    pub fn checkpoint(&mut self) {
        self.trainer.checkpoint();
    }

    /// Returns to the last good state; false when there is none.
    pub fn rollback(&mut self) -> bool {
        self.trainer.rollback()
    }

    /// One batched read: a promise of `{ iteration, dLoss, gLoss, real, fake, ema, heatmap,
    /// heatmapProbability, manifold, manifoldRows, manifoldCols, arrows, finite, metrics }`; the
    /// point lists are `Float32Array`s `[x0, y0, x1, y1, …]`. `heatmap` and `manifold` are grid
    /// sides and `arrows` a point count; 0 leaves a picture out.
    pub fn readout(&mut self, samples: u32, heatmap: u32, manifold: u32, arrows: u32) -> js_sys::Promise {
        let view = View { samples: samples as usize, heatmap: heatmap as usize, manifold: manifold as usize, arrows: arrows as usize };
        let read = self.trainer.readout(view);
        wasm_bindgen_futures::future_to_promise(async move {
            let r: Readout = read.await.map_err(|e| JsValue::from(JsError::new(&e)))?;
            let metrics = serde_json::to_string(&r.metrics).unwrap_or_else(|_| "{}".into());
            object(vec![
                ("iteration", num(r.iteration as f64)),
                ("dLoss", num(r.d_loss)),
                ("gLoss", num(r.g_loss)),
                ("real", f32s(&r.real)),
                ("fake", f32s(&r.fake)),
                ("ema", JsValue::from_bool(r.ema)),
                ("heatmap", f32s(&r.heatmap)),
                ("heatmapProbability", JsValue::from_bool(r.heatmap_probability)),
                ("manifold", f32s(&r.manifold)),
                ("manifoldRows", num(r.manifold_rows as f64)),
                ("manifoldCols", num(r.manifold_cols as f64)),
                ("arrows", f32s(&r.arrows)),
                ("finite", JsValue::from_bool(r.finite)),
                ("metrics", js_sys::JSON::parse(&metrics)?),
            ])
        })
    }

    /// Trains one round taken apart into its phases; a promise of `{ iteration, real, z, latentDim,
    /// fake, dReal, dFake, dLoss, heatBefore, heatAfter, heatmap, heatmapProbability, dFakeAfter,
    /// gLoss, arrows, fakeAfter }` for the first `shown` points of the batch.
    pub fn explain(&mut self, shown: u32, heatmap: u32) -> js_sys::Promise {
        let read = self.trainer.explain(shown as usize, heatmap as usize);
        wasm_bindgen_futures::future_to_promise(async move {
            let e: Explained = read.await.map_err(|e| JsValue::from(JsError::new(&e)))?;
            object(vec![
                ("iteration", num(e.iteration as f64)),
                ("real", f32s(&e.real)),
                ("z", f32s(&e.z)),
                ("latentDim", num(e.latent_dim as f64)),
                ("fake", f32s(&e.fake)),
                ("dReal", f32s(&e.d_real)),
                ("dFake", f32s(&e.d_fake)),
                ("dLoss", num(e.d_loss)),
                ("heatBefore", f32s(&e.heat_before)),
                ("heatAfter", f32s(&e.heat_after)),
                ("heatmap", num(e.heatmap as f64)),
                ("heatmapProbability", JsValue::from_bool(e.heatmap_probability)),
                ("dFakeAfter", f32s(&e.d_fake_after)),
                ("gLoss", num(e.g_loss)),
                ("arrows", f32s(&e.arrows)),
                ("fakeAfter", f32s(&e.fake_after)),
            ])
        })
    }

    /// The whole run as a model file (JSON text). The optimisers' state is included on the CPU
    /// backend; WebGPU cannot read it synchronously, so there the file has none.
    pub fn export(&self) -> js_sys::Promise {
        let save = self.trainer.save(self.info.backend == "cpu");
        wasm_bindgen_futures::future_to_promise(async move {
            let file = save.await.map_err(|e| JsValue::from(JsError::new(&e)))?;
            Ok(JsValue::from_str(&file.to_json()))
        })
    }

    /// Continues the run saved in a model file. On error the current session stays. Returns the
    /// file's config as JSON.
    #[wasm_bindgen(js_name = import)]
    pub fn import_file(&mut self, text: String) -> Result<String, JsError> {
        let file = ModelFile::from_json(&text).map_err(err)?;
        self.trainer = Trainer::restore(&file, &self.device).map_err(err)?;
        Ok(self.config())
    }

    /// The user's point cloud in force, `[x0, y0, …]`, or an empty array for a built-in dataset.
    pub fn points(&self) -> Float32Array {
        match self.trainer.dataset() {
            Dataset::Points(p) => Float32Array::from(p.iter().flatten().copied().collect::<Vec<f32>>().as_slice()),
            _ => Float32Array::new_with_length(0),
        }
    }
}
}
