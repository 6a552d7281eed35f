//! GeoJSON: reading boundary files fast and tolerantly, and this program's metadata member.

pub mod coords;
pub mod meta;
pub mod parallel;
pub mod reader;
pub mod rings;
pub mod shape;
