//! Fuzz target: the GeoJSON importer, from bytes to a region with its report.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sozialraum_atlas::io::{ImportOptions, Progress, import_bytes};

fuzz_target!(|data: &[u8]| {
    let _ = import_bytes(
        data,
        "fuzz.geojson",
        &ImportOptions::default(),
        &Progress::default(),
    );
});
