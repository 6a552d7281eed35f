//! Space: coordinate systems and projection, the viewport, and geometry prepared for drawing
//! and hit testing (levels of detail, triangles, label points, R-tree, municipality borders).
//!
//! Pure computation on planar metres; no files, no egui.

pub mod borders;
pub mod crs;
pub mod index;
pub mod label_point;
pub mod prepared;
pub mod simplify;
pub mod tmerc;
pub mod viewport;
pub mod wkt;
