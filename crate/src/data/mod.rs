//! Data sources: toy 2D distributions, the seeded generator behind them, the image datasets and
//! (natively) their catalogue and the emoji renderer for pretraining.

#[cfg(not(target_arch = "wasm32"))]
pub mod catalogue;
#[cfg(not(target_arch = "wasm32"))]
pub mod emoji;
pub mod images;
pub mod rng;
pub mod toy;

pub use rng::{Rng, u64_text};
pub use toy::{DataError, Dataset, MAX_POINTS, Modes};
