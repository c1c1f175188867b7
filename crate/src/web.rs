//! The wasm-bindgen face: the only place that knows about JavaScript. Nothing imports it.
//!
//! Every method returns `Result<_, JsError>` with a clear message; a panic would kill the instance.

use crate::data::Dataset;
use crate::train::{Readout, TrainConfig, Trainer};
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
    let cpu = || (Device::flex(), BackendInfo { backend: "cpu", adapter: None, webgpu_built });
    match backend {
        "cpu" => Ok(cpu()),
        "webgpu" => {
            let (device, adapter) = webgpu_device().await?;
            Ok((device, BackendInfo { backend: "webgpu", adapter: Some(adapter), webgpu_built }))
        }
        "auto" if webgpu_built && browser_adapter().await.is_some() => Box::pin(device_for("webgpu")).await,
        "auto" => Ok(cpu()),
        other => Err(format!("unknown backend \"{other}\"; expected \"auto\", \"webgpu\" or \"cpu\"")),
    }
}

fn dataset_for(config: &TrainConfig) -> Result<Dataset, String> {
    Dataset::from_name(&config.dataset).map_err(|e| e.to_string())
}

/// A 2D GAN training session on one backend.
#[wasm_bindgen]
pub struct Playground {
    trainer: Trainer,
    device: Device,
    info: BackendInfo,
}

#[wasm_bindgen]
impl Playground {
    /// Starts a session. `backend` is "cpu", "webgpu" or "auto"; `config` is a JSON `TrainConfig`
    /// (missing fields take their defaults).
    pub async fn create(backend: String, config: String) -> Result<Playground, JsError> {
        let config = TrainConfig::from_json(&config).map_err(|e| JsError::new(&e))?;
        let dataset = dataset_for(&config).map_err(|e| JsError::new(&e))?;
        let (device, info) = device_for(&backend).await.map_err(|e| JsError::new(&e))?;
        let trainer = Trainer::new(config, dataset, &device).map_err(|e| JsError::new(&e))?;
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
    pub fn reset(&mut self, config: String) -> Result<(), JsError> {
        let config = TrainConfig::from_json(&config).map_err(|e| JsError::new(&e))?;
        let dataset = dataset_for(&config).map_err(|e| JsError::new(&e))?;
        self.trainer = Trainer::new(config, dataset, &self.device).map_err(|e| JsError::new(&e))?;
        Ok(())
    }

    /// Queues `rounds` training rounds. Nothing is read back.
    pub fn train(&mut self, rounds: u32) {
        for _ in 0..rounds {
            self.trainer.round();
        }
    }

    pub fn iteration(&self) -> f64 {
        self.trainer.iteration() as f64
    }

    /// One batched read: a promise of `{ iteration, dLoss, gLoss, real, fake, metrics }`, with
    /// `real` and `fake` as `Float32Array`s `[x0, y0, x1, y1, …]` of `samples` points each.
    pub fn readout(&mut self, samples: u32) -> js_sys::Promise {
        let samples = samples.clamp(1, 65_536) as usize;
        let read = self.trainer.readout(samples);
        wasm_bindgen_futures::future_to_promise(async move {
            let r: Readout = read.await.map_err(|e| JsValue::from(JsError::new(&e)))?;
            let out = Object::new();
            let set = |k: &str, v: JsValue| Reflect::set(&out, &JsValue::from_str(k), &v).map(|_| ());
            set("iteration", JsValue::from_f64(r.iteration as f64))?;
            set("dLoss", JsValue::from_f64(r.d_loss as f64))?;
            set("gLoss", JsValue::from_f64(r.g_loss as f64))?;
            set("real", Float32Array::from(r.real.as_slice()).into())?;
            set("fake", Float32Array::from(r.fake.as_slice()).into())?;
            let metrics = serde_json::to_string(&r.metrics).unwrap_or_else(|_| "{}".into());
            set("metrics", js_sys::JSON::parse(&metrics)?)?;
            Ok(out.into())
        })
    }
}
