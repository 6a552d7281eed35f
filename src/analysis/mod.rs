//! Pure functions over the model: statistics, Handlungsfeld rules with explanations, counts.
//!
//! No files, no egui: everything here is a function of a `Region` and is tested by tables.

pub mod breaks;
pub mod classification;
pub mod rules;
pub mod statistics;

pub use statistics::{IndicatorStats, RegionStats};
