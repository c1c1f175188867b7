//! ganplay: train and sample GANs with burn, natively and in the browser.
//!
//! Dependencies point one way: data, loss, metrics, kernel → model → train, files → images →
//! tools (native) and web (wasm); `limits`, `readback` and `text` serve every room and import none.

pub mod data;
pub mod files;
pub mod images;
pub mod kernel;
pub mod limits;
#[cfg(feature = "train")]
pub mod loss;
#[cfg(feature = "train")]
pub mod metrics;
pub mod model;
pub mod readback;
pub mod text;
#[cfg(not(target_arch = "wasm32"))]
pub mod tools;
#[cfg(feature = "train")]
pub mod train;
#[cfg(target_arch = "wasm32")]
pub mod web;
