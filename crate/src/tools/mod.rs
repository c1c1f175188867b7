//! Native-only tools behind the CLI: pretraining the shipped generators, measuring them, their
//! manifest, PNG previews, and the in-tab trainer's figures.

#[cfg(feature = "train")]
pub mod evaluate;
#[cfg(feature = "train")]
pub mod manifest;
pub mod png;
#[cfg(feature = "train")]
pub mod pretrain;
#[cfg(feature = "train")]
pub mod tab_training;
