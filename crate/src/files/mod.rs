//! ganplay's files: the 2D model file (JSON: weights, config, state), the image weight pack
//! (`.gpk`), their one checksum and base64, and the error every loader gives.

pub mod checksum;
pub mod error;
#[cfg(feature = "train")]
pub mod model_file;
pub mod pack;
