//! Whether a file fits into memory, asked before it is read: a file too large for this
//! computer is refused with its size, the memory it would need and the memory there is,
//! instead of the system running out of memory halfway (and taking other programs along).
//!
//! The need is the file size times a factor measured on real files (README, "Große Dateien"):
//! the window peaks at 3.3 × a 500 MB GeoJSON (all German municipalities ten times over);
//! binary formats hold the same geometry in fewer bytes, so their factor is larger.

use std::sync::OnceLock;

use super::error::ImportError;
use crate::i18n::{Lang, format};

/// What gives the memory a finished job freed back to the system: set once by the program
/// for its allocator; without it (tests, the system allocator) nothing is done.
static RELEASE: OnceLock<fn()> = OnceLock::new();

/// Sets what [`release_freed`] does (the first call wins).
pub fn set_release(release: fn()) {
    let _ = RELEASE.set(release);
}

/// Gives back the memory that a finished job (opening a map) freed on its threads, which
/// would otherwise stay with threads that are now idle.
pub fn release_freed() {
    if let Some(release) = RELEASE.get() {
        release();
    }
}

/// Peak memory of opening a GeoJSON file, as a multiple of its size (measured 3.3, rounded up).
pub const GEOJSON_FACTOR: f64 = 3.5;
/// The same for Shapefiles and GeoPackages (16 bytes a vertex instead of about 40 in text).
pub const BINARY_FACTOR: f64 = 6.0;
/// Files below this size are never refused: the check is for the ones that could hurt.
const ALWAYS_FINE: u64 = 64 << 20;

/// Memory the system can give without swapping (Linux `MemAvailable`), if it says.
pub fn available_bytes() -> Option<u64> {
    let info = std::fs::read_to_string("/proc/meminfo").ok()?;
    info.lines()
        .find_map(|l| l.strip_prefix("MemAvailable:"))
        .and_then(|rest| {
            rest.trim()
                .trim_end_matches("kB")
                .trim()
                .parse::<u64>()
                .ok()
        })
        .map(|kb| kb * 1024)
}

/// Refuses a file of `bytes` whose opening would need more than the available memory.
pub fn check_fits(file: &str, bytes: u64, factor: f64) -> Result<(), ImportError> {
    check_fits_in(file, bytes, factor, available_bytes())
}

/// [`check_fits`] with the available memory given (None: unknown, nothing is refused).
pub fn check_fits_in(
    file: &str,
    bytes: u64,
    factor: f64,
    available: Option<u64>,
) -> Result<(), ImportError> {
    let Some(available) = available else {
        return Ok(());
    };
    let need = bytes as f64 * factor;
    if bytes < ALWAYS_FINE || need <= available as f64 {
        return Ok(());
    }
    let (size_de, need_de, avail_de) = (
        size_text(bytes as f64, Lang::De),
        size_text(need, Lang::De),
        size_text(available as f64, Lang::De),
    );
    let (size_en, need_en, avail_en) = (
        size_text(bytes as f64, Lang::En),
        size_text(need, Lang::En),
        size_text(available as f64, Lang::En),
    );
    Err(ImportError::unusable(
        file,
        format!(
            "ist {size_de} groß; zum Öffnen wären etwa {need_de} Arbeitsspeicher nötig, frei sind nur {avail_de}. Nichts wurde geladen. Bitte andere Programme schließen oder die Datei verkleinern (z. B. in QGIS vereinfachen oder auf die benötigten Gebiete zuschneiden)."
        ),
        format!(
            "is {size_en}; opening it would need about {need_en} of memory, only {avail_en} is free. Nothing was loaded. Close other programs or make the file smaller (e.g. simplify it in QGIS or cut it to the areas needed)."
        ),
    ))
}

/// "1,5 GB", "480 MB".
fn size_text(bytes: f64, lang: Lang) -> String {
    if bytes >= 1e9 {
        format!("{} GB", format::number(bytes / 1e9, 1, lang))
    } else {
        format!("{} MB", format::number(bytes / 1e6, 0, lang))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_larger_than_memory_allows_is_refused_with_the_numbers() {
        let err = check_fits_in("gross.geojson", 2_000_000_000, 3.5, Some(4_000_000_000))
            .expect_err("7 GB needed, 4 GB free");
        let text = err.describe(Lang::De);
        assert!(text.contains("gross.geojson"), "{text}");
        assert!(text.contains("2,0 GB groß"), "{text}");
        assert!(text.contains("etwa 7,0 GB"), "{text}");
        assert!(text.contains("frei sind nur 4,0 GB"), "{text}");
        assert!(err.describe(Lang::En).contains("only 4.0 GB is free"));
    }

    #[test]
    fn files_that_fit_small_files_and_unknown_memory_pass() {
        assert!(check_fits_in("a", 500_000_000, 3.5, Some(24_000_000_000)).is_ok());
        assert!(check_fits_in("a", 10 << 20, 3.5, Some(1)).is_ok());
        assert!(check_fits_in("a", u64::MAX / 2, 3.5, None).is_ok());
    }

    #[test]
    fn this_machine_reports_its_free_memory() {
        if cfg!(target_os = "linux") {
            assert!(available_bytes().is_some_and(|b| b > 0));
        }
    }
}
