//! The wasm-bindgen face of the shipped image generators (`ImageModel`); the in-tab trainer is
//! in image_training.rs. Noise is made by the page, so
//! interpolation, walks and sliders are the page's business; this maps noise to pixels.

use crate::model::conv::ConvGeneratorConfig;
use crate::files::pack::Pack;
use crate::readback::read_f32;
use crate::images::directions::principal_directions;
use crate::images::shipped::{GeneratorMeta, Pretrained};
use crate::web::{BackendInfo, device_for, err};
use burn::tensor::{Tensor, Transaction};
use js_sys::{Float32Array, Uint32Array};
use wasm_bindgen::prelude::*;

pub(super) fn js_err(e: impl std::fmt::Display) -> JsValue {
    err(e).into()
}

/// Reads a batch of images back as one `Float32Array` `[n, channels, size, size]`.
pub(super) fn read_images(images: Result<Tensor<4>, String>) -> js_sys::Promise {
    wasm_bindgen_futures::future_to_promise(async move {
        let images = images.map_err(js_err)?;
        let mut v = read_f32(Transaction::default().register(images)).await.map_err(js_err)?;
        Ok(Float32Array::from(v.pop().unwrap_or_default().as_slice()).into())
    })
}

/// A shipped generator's header, without loading its weights: the page checks it against the manifest.
#[wasm_bindgen(js_name = peekGenerator)]
pub fn peek_generator(bytes: &[u8]) -> Result<String, JsError> {
    let meta = Pack::<GeneratorMeta>::peek(bytes).map_err(err)?;
    Ok(serde_json::to_string(&meta).unwrap_or_default())
}

/// A loaded generator on one backend.
#[wasm_bindgen]
pub struct ImageModel {
    model: Pretrained,
    info: BackendInfo,
}

#[wasm_bindgen]
impl ImageModel {
    /// Loads a `.gpk` generator file (checked whole: magic, version, sizes, checksum, shapes).
    pub async fn load(backend: String, bytes: Vec<u8>) -> Result<ImageModel, JsError> {
        let (device, info) = device_for(&backend).await.map_err(err)?;
        let model = Pretrained::from_bytes(&bytes, &device).map_err(err)?;
        Ok(ImageModel { model, info })
    }

    /// A generator with random weights from a JSON `ConvGeneratorConfig` (missing fields take
    /// defaults: the benchmark's `dcgan28-sample` generator).
    pub async fn random(backend: String, config: String, seed: u32) -> Result<ImageModel, JsError> {
        let config: ConvGeneratorConfig = serde_json::from_str(&config).map_err(|e| err(format!("config: {e}")))?;
        let (device, info) = device_for(&backend).await.map_err(err)?;
        let model = Pretrained::random(config, seed as u64, &device).map_err(err)?;
        Ok(ImageModel { model, info })
    }

    /// The file's description as JSON (`GeneratorMeta`).
    pub fn meta(&self) -> String {
        serde_json::to_string(&self.model.meta).unwrap_or_default()
    }

    /// What runs, as JSON (see `Playground.info`).
    pub fn info(&self) -> String {
        serde_json::to_string(&self.info).unwrap_or_default()
    }

    /// Images for noise `z` (`[n, latent_dim]`) and one class per image (conditional models; else
    /// empty): a promise of a `Float32Array` `[n, channels, size, size]` in (−1, 1).
    pub fn generate(&self, z: Float32Array, classes: Uint32Array) -> js_sys::Promise {
        read_images(self.model.generate(&z.to_vec(), &classes.to_vec()))
    }

    /// Images for noise `z` and class weights `[n, classes]` (rows of non-negative weights summing
    /// to 1): the class interpolation. A promise of a `Float32Array` as `generate` gives.
    #[wasm_bindgen(js_name = generateMixed)]
    pub fn generate_mixed(&self, z: Float32Array, weights: Float32Array) -> js_sys::Promise {
        read_images(self.model.generate_mixed(&z.to_vec(), &weights.to_vec()))
    }

    /// A promise of `{ vectors, share }`: the generator's first `k` principal latent directions
    /// (`Float32Array` `[k, latent_dim]`, orthonormal) and each one's share of the variance.
    pub fn directions(&self, k: u32) -> js_sys::Promise {
        let p = &self.model;
        let found = principal_directions(&p.generator, &p.meta.config, k as usize, p.device());
        wasm_bindgen_futures::future_to_promise(async move {
            let d = found.await.map_err(js_err)?;
            let out = js_sys::Object::new();
            js_sys::Reflect::set(&out, &"vectors".into(), &Float32Array::from(d.vectors.as_slice()).into())?;
            js_sys::Reflect::set(&out, &"share".into(), &Float32Array::from(d.share.as_slice()).into())?;
            Ok(out.into())
        })
    }
}
