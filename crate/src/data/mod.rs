//! Data sources: toy 2D distributions, the seeded generator behind them, and (natively) the image
//! datasets for pretraining.

pub mod images;
pub mod rng;
pub mod toy;

pub use rng::{Rng, u64_text};
pub use toy::{DataError, Dataset, MAX_POINTS, Modes};
