//! The 2D playground's training: what defines a run (config), the trainer and its steps, what a
//! readout brings back, and the fused CPU step the browser uses.

mod config;
mod fused;
mod readout;
mod trainer;

pub use config::*;
pub use readout::{EXTENT, Explained, Metrics, Readout, View, compute_metrics};
pub use trainer::{Retuned, Trainer};
pub(crate) use fused::finite_outputs;
