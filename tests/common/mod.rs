//! Helpers shared by the integration tests: paths to test files and to the shared real data.
//!
//! Real boundary files live outside the repository in `../shared/data`. When that folder is
//! missing, tests that need it say so and pass, unless `REQUIRE_SHARED_DATA=1` (as in CI), in
//! which case they fail.
#![allow(dead_code)] // Each test binary uses a different part.

use std::path::{Path, PathBuf};

pub mod browser;
pub mod pg;

/// A file under `tests/data`.
pub fn test_file(relative: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(relative)
}

/// A file under `../shared/data`, or None (with a note) when the folder is not there.
pub fn shared_data(relative: &str) -> Option<PathBuf> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/data");
    let path = root.join(relative);
    if path.exists() {
        return Some(path);
    }
    let required = std::env::var("REQUIRE_SHARED_DATA").is_ok_and(|v| v == "1");
    assert!(
        !required,
        "REQUIRE_SHARED_DATA=1 but {} is missing",
        path.display()
    );
    eprintln!(
        "note: {} not found; skipping the part of this test that needs the shared real data",
        path.display()
    );
    None
}

/// The embedded demo map's file.
pub fn demo_path() -> String {
    concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/maps/staedteregion_aachen_demo.geojson"
    )
    .to_string()
}

/// Runs the program with `args`.
pub fn run_atlas(args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_sozialraum-atlas"))
        .args(args)
        .output()
        .expect("runs")
}

/// The demo map with the properties of area `code` changed by `edit` (its plain attributes
/// and its `zeitreihen`), written as `name` into `dir`.
pub fn demo_edited(
    dir: &Path,
    name: &str,
    code: &str,
    edit: impl Fn(&mut serde_json::Value),
) -> PathBuf {
    let text = std::fs::read_to_string(demo_path()).expect("demo");
    let mut doc: serde_json::Value = serde_json::from_str(&text).expect("json");
    for f in doc["features"].as_array_mut().expect("features") {
        if f["properties"]["code"] == code {
            edit(&mut f["properties"]);
        }
    }
    let map = dir.join(name);
    std::fs::write(&map, doc.to_string()).expect("written");
    map
}

/// The text of page `page` (from 1) of a PDF; None (with a note) without Poppler.
pub fn pdf_page_text(pdf: &Path, page: usize) -> Option<String> {
    let pdftotext = poppler_tool("pdftotext")?;
    let n = page.to_string();
    let out = std::process::Command::new(pdftotext)
        .args(["-f", &n, "-l", &n])
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext");
    Some(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// A GDAL command-line tool (ogrinfo, ogr2ogr), or None (with a note) when GDAL is not
/// installed. With `REQUIRE_GDAL=1` (as in CI, which installs gdal-bin) its absence fails.
pub fn gdal_tool(name: &str) -> Option<PathBuf> {
    external_tool(name, "gdal-bin", "REQUIRE_GDAL")
}

/// A Poppler command-line tool (pdftotext, pdfinfo, pdftoppm), or None (with a note) when it
/// is not installed. With `REQUIRE_POPPLER=1` (as in CI, which installs poppler-utils) its
/// absence fails.
pub fn poppler_tool(name: &str) -> Option<PathBuf> {
    external_tool(name, "poppler-utils", "REQUIRE_POPPLER")
}

/// The text of a PDF as Poppler's `pdftotext` reads it; None (with a note) without Poppler.
#[allow(dead_code)] // Not every test program reads PDFs.
pub fn pdf_text(pdf: &Path) -> Option<String> {
    let pdftotext = poppler_tool("pdftotext")?;
    let out = std::process::Command::new(pdftotext)
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext runs");
    Some(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// A tool for watching the program from outside (strace, xvfb-run), or None (with a note)
/// when it is not installed. With `REQUIRE_TRACING=1` (as in CI) its absence fails.
#[allow(dead_code)] // Used by some test crates only.
pub fn tracing_tool(name: &str, package: &str) -> Option<PathBuf> {
    external_tool(name, package, "REQUIRE_TRACING")
}

fn external_tool(name: &str, package: &str, require: &str) -> Option<PathBuf> {
    let found = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|dir| dir.join(name))
            .find(|p| p.is_file())
    });
    if found.is_none() {
        let required = std::env::var(require).is_ok_and(|v| v == "1");
        assert!(
            !required,
            "{require}=1 but {name} is not installed (apt: {package})"
        );
        eprintln!(
            "note: {name} not found (apt: {package}); skipping the part of this test that needs it"
        );
    }
    found
}

/// A fresh empty folder for one test, removed with everything in it when the value goes
/// out of scope: at the end of the test, and also when it fails (the panic unwinds).
#[must_use = "the folder is removed when this value is dropped"]
pub struct TestDir(tempfile::TempDir);

impl TestDir {
    /// A file of this folder, which keeps the folder while it is used.
    pub fn file(self, name: &str) -> TestFile {
        TestFile {
            path: self.0.path().join(name),
            _dir: self,
        }
    }
}

impl std::ops::Deref for TestDir {
    type Target = Path;
    fn deref(&self) -> &Path {
        self.0.path()
    }
}

impl AsRef<Path> for TestDir {
    fn as_ref(&self) -> &Path {
        self.0.path()
    }
}

impl AsRef<std::ffi::OsStr> for TestDir {
    fn as_ref(&self) -> &std::ffi::OsStr {
        self.0.path().as_os_str()
    }
}

/// A file path in a [`TestDir`] of its own; the folder goes with it.
#[must_use = "the folder is removed when this value is dropped"]
pub struct TestFile {
    /// The file.
    pub path: PathBuf,
    _dir: TestDir,
}

impl std::ops::Deref for TestFile {
    type Target = Path;
    fn deref(&self) -> &Path {
        &self.path
    }
}

impl AsRef<Path> for TestFile {
    fn as_ref(&self) -> &Path {
        &self.path
    }
}

impl AsRef<std::ffi::OsStr> for TestFile {
    fn as_ref(&self) -> &std::ffi::OsStr {
        self.path.as_os_str()
    }
}

/// A fresh empty folder for one test (see [`TestDir`]), named after it.
pub fn temp_dir(name: &str) -> TestDir {
    TestDir(
        tempfile::Builder::new()
            .prefix(&format!("sozialraum-atlas-test-{name}-"))
            .tempdir()
            .expect("temp dir"),
    )
}

/// A measure with every field set, umlauts, quotes, separators and line breaks included.
pub fn full_measure() -> sozialraum_atlas::model::Measure {
    use sozialraum_atlas::model::{ActionField, Date, Measure, Priority, Responsibility, Status};
    Measure {
        title: "Quartiersbüro „Mühle“ – Öffnung".into(),
        description: "Beratung für Familien;\nmit Zeilenumbruch und \"Anführungszeichen\"".into(),
        fields: [ActionField::Disadvantaged, ActionField::ChildrenFamilies]
            .into_iter()
            .collect(),
        areas: vec!["AC 3".into(), "AC 4".into()],
        municipalities: vec!["Aachen".into()],
        responsibility: Responsibility::Joint,
        lead: "Amt für Inklusion und Sozialplanung".into(),
        partners: "Caritas, Diakonie; Stadt Aachen".into(),
        status: Status::InProgress,
        start: Date::new(2027, 3, 1),
        end: Date::new(2028, 12, 31),
        budget_eur: Some(12_500.5),
        priority: Some(Priority::High),
        notes: "Größe: ½ Stelle".into(),
        ..Measure::default()
    }
}

/// A small deterministic generator, so a failing run can be repeated from its seed.
pub struct Rng(pub u64);

impl Rng {
    /// The next number (31 bits).
    pub fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }

    /// A number below `n`.
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

/// Compares the PNG `ours` with `tests/golden/NAME` (rewritten with `UPDATE_GOLDEN=1`): the same
/// size, and at most 0.2 % of pixels more than 8 levels apart.
#[allow(dead_code)] // Not every test program compares images.
pub fn assert_golden_png(ours: &Path, name: &str) {
    let golden = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(name);
    if std::env::var("UPDATE_GOLDEN").is_ok_and(|v| v == "1") {
        std::fs::copy(ours, &golden).expect("golden written");
        return;
    }
    let read = |p: &Path| {
        tiny_skia::Pixmap::decode_png(&std::fs::read(p).expect("written")).expect("a PNG")
    };
    let (a, b) = (read(ours), read(&golden));
    assert_eq!((a.width(), a.height()), (b.width(), b.height()), "{name}");
    let off = a
        .pixels()
        .iter()
        .zip(b.pixels())
        .filter(|(x, y)| {
            let (x, y) = (x.demultiply(), y.demultiply());
            x.red().abs_diff(y.red()) > 8
                || x.green().abs_diff(y.green()) > 8
                || x.blue().abs_diff(y.blue()) > 8
        })
        .count();
    assert!(
        off * 500 <= a.pixels().len(),
        "{name}: {off} pixels differ from tests/golden/{name} (look at {})",
        ours.display()
    );
}
