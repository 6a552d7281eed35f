//! Fuzz target: the table importer. Inputs starting with `PK` (a ZIP, as XLSX and ODS are)
//! go to the spreadsheet reader, everything else to the CSV reader; both readers also get
//! every input, so the corpus exercises each.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sozialraum_atlas::io::table::{parse_csv, parse_spreadsheet};

fuzz_target!(|data: &[u8]| {
    if data.starts_with(b"PK") {
        let _ = parse_spreadsheet(data, "fuzz.xlsx");
    } else {
        let _ = parse_csv(data, "fuzz.csv");
    }
});
