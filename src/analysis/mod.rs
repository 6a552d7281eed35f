//! Pure functions over the model: statistics, Handlungsfeld rules with explanations, counts,
//! and joining an indicator table to the areas.
//!
//! No files, no egui: everything here is a function of a `Region` (and a table already read)
//! and is tested by tables.

pub mod breaks;
pub mod change;
pub mod classification;
pub mod crosswalk;
pub mod index;
pub mod join;
pub mod keys;
pub mod rules;
pub mod statistics;
pub mod table;
pub mod typology;

pub use statistics::{IndicatorStats, RegionStats};
