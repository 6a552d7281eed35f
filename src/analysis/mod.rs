//! Pure functions over the model: statistics now; classification rules and class breaks later.
//!
//! No files, no egui: everything here is a function of a `Region` and is tested by tables.

pub mod classification;
pub mod statistics;

pub use statistics::{IndicatorStats, RegionStats};
