
//! The 2D playground's session: training, readouts and model files, for the page's worker.

use super::{BackendInfo, device_for, err, f32s, num, object};
use crate::data::{Dataset, MAX_POINTS};
use crate::files::model_file::ModelFile;
use crate::train::{Explained, Readout, TrainConfig, Trainer, View};
use burn::tensor::Device;
use js_sys::Float32Array;
use wasm_bindgen::prelude::*;

/// The user's cloud `[x0, y0, x1, y1, …]` as points (checked for shape here, for values by the
/// dataset); None when the page sent none.
fn cloud(points: Option<Float32Array>) -> Result<Option<Vec<[f32; 2]>>, String> {
    let Some(points) = points else { return Ok(None) };
    let n = points.length() as usize;
    if n % 2 != 0 {
        return Err("the point cloud has an odd number of coordinates".into());
    }
    if n / 2 > MAX_POINTS {
        return Err(format!("the point cloud has {} points; the limit is {MAX_POINTS}", n / 2));
    }
    Ok(Some(points.to_vec().chunks_exact(2).map(|c| [c[0], c[1]]).collect()))
}


#[wasm_bindgen]
pub struct Playground {
    trainer: Trainer,
    device: Device,
    info: BackendInfo,
}

#[wasm_bindgen]
impl Playground {
    /// Starts a session. `backend` is "cpu" or "webgpu"; `config` is a JSON `TrainConfig`
    /// (missing fields take their defaults); `points` is the user's cloud when the dataset is "points".
    pub async fn create(backend: String, config: String, points: Option<Float32Array>) -> Result<Playground, JsError> {
        let config = TrainConfig::from_json(&config).map_err(err)?;
        let points = cloud(points).map_err(err)?;
        let (device, info) = device_for(&backend).await.map_err(err)?;
        let trainer = Trainer::new(config, points, &device).map_err(err)?;
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
        self.trainer = Trainer::new(config, cloud(points).map_err(err)?, &self.device).map_err(err)?;
        Ok(())
    }

    /// Changes the settings of the running model without a restart (learning rates, optimisers,
    /// k_D, k_G, batch size, objective, stabilisers); the weights and the round count stay. A
    /// change of data, seed or networks is an error (that needs `reset`). Returns JSON
    /// `{ fresh_moments: ["generator" | "discriminator", …] }`: whose optimiser starts afresh (a new
    /// kind, or new parameters on WebGPU, where the moments cannot be read synchronously).
    pub fn retune(&mut self, config: String) -> Result<String, JsError> {
        let config = TrainConfig::from_json(&config).map_err(err)?;
        let done = self.trainer.retune(config, self.info.backend == "cpu").map_err(err)?;
        serde_json::to_string(&done).map_err(err)
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
    /// heatmapProbability, manifold, manifoldRows, manifoldCols, arrows, gradNorm, finite, metrics }`; the
    /// point lists are `Float32Array`s `[x0, y0, x1, y1, …]`. `heatmap` and `manifold` are grid
    /// sides and `arrows` a point count; 0 leaves a picture out. `gradNorm` (default false)
    /// measures the generator's mean gradient norm (NaN otherwise).
    pub fn readout(&mut self, samples: u32, heatmap: u32, manifold: u32, arrows: u32, grad_norm: Option<bool>) -> js_sys::Promise {
        let view = View {
            samples: samples as usize,
            heatmap: heatmap as usize,
            manifold: manifold as usize,
            arrows: arrows as usize,
            grad_norm: grad_norm.unwrap_or(false),
        };
        let read = self.trainer.readout(view);
        wasm_bindgen_futures::future_to_promise(async move {
            let r: Readout = read.await.map_err(|e| JsValue::from(err(e)))?;
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
                ("gradNorm", num(r.grad_norm)),
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
            let e: Explained = read.await.map_err(|e| JsValue::from(err(e)))?;
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
            let file = save.await.map_err(|e| JsValue::from(err(e)))?;
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
