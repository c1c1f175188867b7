//! ganplay: train and sample GANs with burn, natively and in the browser.
//!
//! Dependencies point one way: data, loss, metrics → model → train → web.

pub mod data;
pub mod loss;
pub mod metrics;
pub mod model;
pub mod train;
pub mod weights;
#[cfg(target_arch = "wasm32")]
pub mod web;
