//! The demo map of the StädteRegion Aachen, embedded in the binary.
//!
//! Embedded with `include_bytes!` so the app shows a map from any working directory and on a
//! machine without the repository. The file itself is made by `maps/generate.rs`.

use super::import::{ImportOptions, Imported, import_bytes};
use super::{ImportError, Progress};

/// The GeoJSON text of the demo map.
pub const DEMO_GEOJSON: &[u8] = include_bytes!("../../maps/staedteregion_aachen_demo.geojson");

/// The label the demo map is known by in messages and the title bar.
pub const DEMO_LABEL: &str = "staedteregion_aachen_demo.geojson";

/// Imports the embedded demo map.
pub fn load_demo(progress: &Progress) -> Result<Imported, ImportError> {
    import_bytes(
        DEMO_GEOJSON,
        DEMO_LABEL,
        &ImportOptions::default(),
        progress,
    )
}
