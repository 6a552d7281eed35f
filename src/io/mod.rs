//! The only place that touches files: boundary import with its report, the embedded demo map,
//! indicator tables and their join, rules files, and the GeoJSON and CSV exports.
//!
//! Importers never fail on a bad feature; they report it ([`report`]) and load the rest.
//! A file that cannot be a map at all is an [`ImportError`] naming the file and the reason.

pub mod atomic;
pub mod cells;
pub mod clock;
pub mod console;
pub mod demo;
pub mod error;
pub mod export_geojson;
pub mod fields;
pub mod geojson;
pub mod gpkg;
pub mod import;
pub mod measures_table;
pub mod memory;
pub mod progress;
pub mod project;
pub mod register;
pub mod report;
pub mod rules_file;
pub mod series;
pub mod shapefile;
pub mod sniff;
pub mod store;
pub mod table;
pub mod wkb;

pub use error::ImportError;
pub use import::{ImportOptions, Imported, import_bytes, import_file};
pub use progress::{Progress, Stage};
pub use report::ImportReport;
