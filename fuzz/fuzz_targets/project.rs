//! Fuzz target: the project file reader. Each input is written to a GeoPackage file in a
//! folder of this process and opened as a project (map, measures, views, settings).
#![no_main]

use std::path::PathBuf;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use sozialraum_atlas::io::{ImportOptions, Progress, project};

fn file() -> &'static PathBuf {
    static FILE: OnceLock<PathBuf> = OnceLock::new();
    FILE.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("atlas-fuzz-project-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp folder");
        dir.join("projekt.gpkg")
    })
}

fuzz_target!(|data: &[u8]| {
    let path = file();
    for suffix in ["-wal", "-shm", "-journal"] {
        let _ = std::fs::remove_file(path.with_extension(format!("gpkg{suffix}")));
    }
    std::fs::write(path, data).expect("write the input");
    let _ = project::open(path, &ImportOptions::default(), &Progress::default());
});
