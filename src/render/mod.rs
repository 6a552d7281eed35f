//! Backends that draw a scene. Now: egui (the window). The CPU backends for PNG, SVG and PDF
//! will draw the same scene on the same prepared geometry.

pub mod egui_map;
pub mod glyphs;
pub mod lines;
pub mod raster;
