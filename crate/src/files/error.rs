//! The error of every weight-file loader (2D model files and image weight packs). Outside
//! weights.rs so that a sampling-only build, without the trainer, has it too.

use crate::text::excerpt;
use std::fmt;

/// The longest reason a loader error gives.
const REASON: usize = 300;

/// The 2D model file version this build writes and reads (`weights::VERSION`).
pub(crate) const MODEL_FILE_VERSION: u32 = 1;

/// Why a model file cannot be loaded.
#[derive(Clone, Debug, PartialEq)]
pub enum WeightsError {
    /// Not JSON, or JSON without ganplay's `format` field.
    NotGanplay(String),
    /// A ganplay file of another version.
    Version(u32),
    /// A ganplay file whose contents are damaged.
    Corrupt(String),
    /// Weights that do not fit the config they came with.
    Mismatch(String),
}

impl fmt::Display for WeightsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            // A reason can quote the file (a serde message names the field it choked on): short.
            WeightsError::NotGanplay(why) => write!(f, "this is not a ganplay model file ({})", excerpt(why, REASON)),
            WeightsError::Version(v) => {
                write!(f, "this model file has version {v}; this ganplay reads version {MODEL_FILE_VERSION}")
            }
            WeightsError::Corrupt(why) => write!(f, "the model file is damaged: {}", excerpt(why, REASON)),
            WeightsError::Mismatch(why) => write!(f, "the weights do not match the model's config: {}", excerpt(why, REASON)),
        }
    }
}

impl std::error::Error for WeightsError {}
