//! Data sources: toy 2D distributions and the seeded generator behind them.

pub mod rng;
pub mod toy;

pub use rng::{Rng, u64_text};
pub use toy::{DataError, Dataset, MAX_POINTS, Modes};
