//! Fuzz target: the Shapefile importer. An input is `.shp` and `.dbf` in one: a 4-byte
//! little-endian length of the `.shp` part, the `.shp`, then the `.dbf` (no `.dbf` when
//! the length covers everything). The raw document then goes through the whole import.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sozialraum_atlas::io::import::import_document;
use sozialraum_atlas::io::{ImportOptions, Progress};
use sozialraum_atlas::io::shapefile::{ShapefileParts, parse_shapefile};

fuzz_target!(|data: &[u8]| {
    let Some((len, rest)) = data.split_first_chunk::<4>() else {
        return;
    };
    let len = (u32::from_le_bytes(*len) as usize).min(rest.len());
    let (shp, dbf) = rest.split_at(len);
    let parts = ShapefileParts {
        shp,
        dbf: (!dbf.is_empty()).then_some(dbf),
        cpg: None,
        prj: None,
    };
    if let Ok(doc) = parse_shapefile(&parts, "fuzz.shp", "fuzz.prj", None) {
        let _ = import_document(
            doc,
            "fuzz.shp",
            &ImportOptions::default(),
            &Progress::default(),
        );
    }
});
