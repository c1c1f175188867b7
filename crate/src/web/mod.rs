//! The wasm-bindgen faces: the only place that knows about JavaScript. Nothing imports it.
//! This file holds what both faces share (the device, the backend info, small JS helpers); the
//! playground's session is in playground.rs and the gallery's in gallery.rs.
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

/// The device for "cpu" or "webgpu". The page decides "auto" (www/js/engine.js, where it knows
/// the network's size and whether an adapter exists) and always names one of the two here.
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
        other => Err(format!("unknown backend {}; expected \"webgpu\" or \"cpu\" (the page resolves \"auto\")", crate::text::quote(other))),
    }
}

/// Any error as a JS `Error` with its message, never longer than [`crate::text::MESSAGE`]
/// characters: whatever a message quotes, the page gets a short one.
pub(crate) fn err(e: impl std::fmt::Display) -> JsError {
    JsError::new(&crate::text::excerpt(&e.to_string(), crate::text::MESSAGE))
}

/// A plain object from `(key, value)` pairs.
#[cfg_attr(not(feature = "train"), allow(dead_code))]
pub(crate) fn object(pairs: Vec<(&str, JsValue)>) -> Result<JsValue, JsValue> {
    let out = Object::new();
    for (k, v) in pairs {
        Reflect::set(&out, &JsValue::from_str(k), &v)?;
    }
    Ok(out.into())
}

#[cfg_attr(not(feature = "train"), allow(dead_code))]
pub(crate) fn f32s(v: &[f32]) -> JsValue {
    Float32Array::from(v).into()
}

#[cfg_attr(not(feature = "train"), allow(dead_code))]
pub(crate) fn num(v: impl Into<f64>) -> JsValue {
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
/// [`crate::kernel`]); returns the last result's sum for the page to check. FLOPs: `2·n³·reps`.
#[wasm_bindgen(js_name = benchMatmul)]
pub fn bench_matmul(n: u32, reps: u32) -> Result<f64, JsError> {
    let n = n as usize;
    if n == 0 || n % 8 != 0 || n > 1024 {
        return Err(err(format!("n must be a multiple of 8 up to 1024, got {n}")));
    }
    Ok(crate::kernel::run(n, reps as usize))
}

#[cfg(feature = "train")]
mod playground;
#[cfg(feature = "train")]
pub use playground::Playground;
pub mod gallery;
#[cfg(feature = "train")]
mod image_training;
#[cfg(feature = "train")]
pub use image_training::ImageTraining;
