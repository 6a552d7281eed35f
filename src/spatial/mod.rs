//! Space: CRS, projection, indices.

pub mod crs;
pub mod tmerc;
