//! Exports without a window: maps as PNG, SVG and PDF pages (one file, one per municipality,
//! one per saved view), and the classification with its reasons as a CSV.
//!
//! Everything here runs headless on a snapshot of the document, so the command line and the
//! window's export dialog share one code path (the window runs it on a thread).

pub mod atlas;
pub mod classification_csv;
pub mod index_sheet;
pub mod map;
pub mod report;
pub mod request;
