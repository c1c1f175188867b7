//! ganplay: train and sample GANs with burn, natively and in the browser.
//!
//! Dependencies point one way: data, loss, metrics → model → train → web.

pub mod bench;
pub mod data;
#[cfg(not(target_arch = "wasm32"))]
pub mod emoji;
pub mod imagegan;
pub mod loss;
pub mod metrics;
pub mod model;
pub mod pack;
pub mod pretrained;
#[cfg(not(target_arch = "wasm32"))]
pub mod png;
#[cfg(not(target_arch = "wasm32"))]
pub mod pretrain;
#[cfg(not(target_arch = "wasm32"))]
pub mod quality;
pub mod train;
pub mod weights;
#[cfg(target_arch = "wasm32")]
pub mod web;
#[cfg(target_arch = "wasm32")]
pub mod web_images;
