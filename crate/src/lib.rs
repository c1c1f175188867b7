//! ganplay: train and sample GANs with burn, natively and in the browser.
//!
//! Dependencies point one way: data, loss, metrics → model → train → web.

pub mod bench;
pub mod data;
pub mod error;
#[cfg(feature = "train")]
pub mod fused;
#[cfg(not(target_arch = "wasm32"))]
pub mod emoji;
#[cfg(feature = "train")]
pub mod imagegan;
#[cfg(feature = "train")]
pub mod loss;
#[cfg(feature = "train")]
pub mod metrics;
pub mod model;
pub mod pack;
pub mod pretrained;
#[cfg(not(target_arch = "wasm32"))]
pub mod png;
#[cfg(all(feature = "train", not(target_arch = "wasm32")))]
pub mod pretrain;
#[cfg(all(feature = "train", not(target_arch = "wasm32")))]
pub mod quality;
#[cfg(feature = "train")]
pub mod train;
#[cfg(feature = "train")]
pub mod weights;
#[cfg(target_arch = "wasm32")]
pub mod web;
#[cfg(target_arch = "wasm32")]
pub mod web_images;
