//! The image GANs: the shipped generators (sampled in every build) and the trainer behind
//! pretraining and the in-tab digits.

pub mod directions;
pub mod shipped;
#[cfg(feature = "train")]
pub mod trainer;
