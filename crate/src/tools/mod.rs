//! Native-only tools behind the CLI: pretraining the shipped generators, measuring them, their
//! manifest, and PNG previews.

#[cfg(feature = "train")]
pub mod evaluate;
#[cfg(feature = "train")]
pub mod manifest;
pub mod png;
#[cfg(feature = "train")]
pub mod pretrain;
