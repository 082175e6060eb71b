//! Reading Thai text: decoding and normalization. Segmentation, dates and numbers join
//! this module as the Thai text engine grows.

mod normalize;

pub use normalize::{DecodeError, normalize, normalize_bytes};
