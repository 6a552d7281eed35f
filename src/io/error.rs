//! File-level import failures: the file as a whole cannot become a map.
//!
//! Each names the file and says what to do, in German or English ([`ImportError::describe`]);
//! `Display` is the English text for logs. The caller keeps whatever map it already showed.

use thiserror::Error;

use super::report::ImportReport;
use crate::i18n::{Lang, format};
use crate::spatial::crs::CrsGuess;

/// Why a file could not be written or read, in words: "Datenträger voll", "keine
/// Schreibberechtigung", "Ordner nicht gefunden", or the system's text.
pub fn io_reason(e: &std::io::Error, lang: Lang) -> String {
    let de = lang == Lang::De;
    match e.kind() {
        std::io::ErrorKind::NotFound => if de {
            "Ordner nicht gefunden"
        } else {
            "folder not found"
        }
        .to_string(),
        std::io::ErrorKind::PermissionDenied => if de {
            "keine Schreibberechtigung"
        } else {
            "no permission to write"
        }
        .to_string(),
        std::io::ErrorKind::StorageFull => {
            if de { "Datenträger voll" } else { "disk full" }.to_string()
        }
        std::io::ErrorKind::IsADirectory => {
            if de { "ist ein Ordner" } else { "is a folder" }.to_string()
        }
        _ => e.to_string(),
    }
}

/// Why a file could not be imported.
#[derive(Debug, Error)]
pub enum ImportError {
    /// The file cannot be read.
    #[error("{file}: cannot be read: {source}")]
    Io {
        /// The file.
        file: String,
        /// The cause.
        source: std::io::Error,
    },
    /// The path is a directory.
    #[error("{file}: is a folder, not a file")]
    IsDirectory {
        /// The path.
        file: String,
    },
    /// Not valid JSON.
    #[error("{file}: not valid JSON at line {line}, column {column}: {message}")]
    Syntax {
        /// The file.
        file: String,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// The parser's description.
        message: String,
    },
    /// Valid JSON, but not a GeoJSON FeatureCollection or Feature.
    #[error("{file}: not a GeoJSON FeatureCollection (type {found:?})")]
    NotGeoJson {
        /// The file.
        file: String,
        /// The top-level `type` found, if any.
        found: Option<String>,
    },
    /// A FeatureCollection without features.
    #[error("{file}: the FeatureCollection contains no features")]
    NoFeatures {
        /// The file.
        file: String,
    },
    /// Every feature had a problem.
    #[error("{file}: no feature could be used ({} problems)", report.problems.len())]
    NothingUsable {
        /// The file.
        file: String,
        /// The problems.
        report: Box<ImportReport>,
    },
    /// The declared CRS is not known.
    #[error("{file}: unknown coordinate reference system EPSG:{epsg}")]
    UnknownCrs {
        /// The file.
        file: String,
        /// The code.
        epsg: u32,
    },
    /// The `crs` member cannot be read.
    #[error("{file}: {detail}")]
    UnreadableCrs {
        /// The file.
        file: String,
        /// What was wrong.
        detail: String,
    },
    /// Coordinates are not lon/lat, but no CRS says what they are.
    #[error("{file}: coordinates are projected (x {:.0}…{:.0}, y {:.0}…{:.0}) but the file declares no CRS", min[0], max[0], min[1], max[1])]
    ProjectedWithoutCrs {
        /// The file.
        file: String,
        /// The CRS the file declared (4326), if it declared one.
        declared: Option<u32>,
        /// Lower left of all coordinates.
        min: [f64; 2],
        /// Upper right of all coordinates.
        max: [f64; 2],
        /// Likely CRS, most likely first.
        guesses: Vec<CrsGuess>,
    },
    /// A Shapefile or GeoPackage that cannot be a map: damaged, or holding no areas.
    #[error("{file}: {en}")]
    Unusable {
        /// The file.
        file: String,
        /// What is wrong, in German.
        de: String,
        /// What is wrong, in English.
        en: String,
    },
    /// A project file written by a newer version of this program.
    #[error(
        "{file}: written by a newer Sozialraum-Atlas (project format {found}; this version reads up to {supported}). Please update the program; the file was not changed."
    )]
    NewerProject {
        /// The file.
        file: String,
        /// Its format version.
        found: i64,
        /// The newest version this program reads.
        supported: i64,
    },
    /// The user cancelled.
    #[error("cancelled")]
    Cancelled,
}

impl ImportError {
    /// A file of a known format that cannot be used, with the reason in both languages.
    pub fn unusable(file: &str, de: impl Into<String>, en: impl Into<String>) -> ImportError {
        ImportError::Unusable {
            file: file.to_string(),
            de: de.into(),
            en: en.into(),
        }
    }

    /// A project file that SQLite finds damaged (truncated, overwritten in part) and that
    /// cannot be read: named as damaged, not as "no project".
    pub fn damaged_project(file: &str, detail: &str) -> ImportError {
        ImportError::unusable(
            file,
            format!(
                "die Projektdatei ist beschädigt und kann nicht gelesen werden (SQLite meldet: {detail}). Bitte eine Sicherungskopie öffnen; die Datei wurde nicht verändert."
            ),
            format!(
                "the project file is damaged and cannot be read (SQLite reports: {detail}). Please open a backup copy; the file was not changed."
            ),
        )
    }

    /// The message for the user.
    pub fn describe(&self, lang: Lang) -> String {
        if lang == Lang::En {
            return match self {
                ImportError::ProjectedWithoutCrs { guesses, .. } => {
                    format!("{self}. {}", suggestion(guesses, lang))
                }
                _ => self.to_string(),
            };
        }
        match self {
            ImportError::Io { file, source } => {
                let why = match source.kind() {
                    std::io::ErrorKind::NotFound => "Datei nicht gefunden".to_string(),
                    std::io::ErrorKind::PermissionDenied => "keine Leseberechtigung".to_string(),
                    _ => source.to_string(),
                };
                format!("{file}: kann nicht gelesen werden: {why}")
            }
            ImportError::IsDirectory { file } => format!("{file}: ist ein Ordner, keine Datei"),
            ImportError::Syntax {
                file,
                line,
                column,
                message,
            } => format!(
                "{file}: kein gültiges JSON – Fehler in Zeile {}, Spalte {}: {message}",
                format::count(*line, lang),
                format::count(*column, lang)
            ),
            ImportError::NotGeoJson { file, found } => match found {
                Some(t) => format!(
                    "{file}: keine GeoJSON-FeatureCollection (\"type\": \"{t}\"). Erwartet wird eine FeatureCollection aus Polygonen."
                ),
                None => format!(
                    "{file}: gültiges JSON, aber kein GeoJSON (kein \"type\": \"FeatureCollection\")."
                ),
            },
            ImportError::NoFeatures { file } => {
                format!("{file}: die FeatureCollection enthält keine Features.")
            }
            ImportError::NothingUsable { file, report } => format!(
                "{file}: kein Feature ist verwendbar ({} Probleme, z. B. {}).",
                report.problems.len(),
                report
                    .problems
                    .first()
                    .map(|p| p.describe(lang))
                    .unwrap_or_default()
            ),
            ImportError::UnknownCrs { file, epsg } => {
                format!("{file}: unbekanntes Koordinatensystem EPSG:{epsg}.")
            }
            ImportError::UnreadableCrs { file, detail } => {
                format!("{file}: die Angabe „crs“ ist nicht lesbar ({detail}).")
            }
            ImportError::ProjectedWithoutCrs {
                file,
                declared,
                min,
                max,
                guesses,
            } => {
                let claim = if declared.is_some() {
                    "die Datei gibt EPSG:4326 (Länge/Breite) an, aber"
                } else {
                    "die Datei gibt kein Koordinatensystem an, und"
                };
                format!(
                    "{file}: {claim} die Koordinaten sind projiziert (x {} … {}, y {} … {}). {}",
                    format::number(min[0], 0, lang),
                    format::number(max[0], 0, lang),
                    format::number(min[1], 0, lang),
                    format::number(max[1], 0, lang),
                    suggestion(guesses, lang)
                )
            }
            ImportError::Unusable { file, de, .. } => format!("{file}: {de}"),
            ImportError::NewerProject {
                file,
                found,
                supported,
            } => format!(
                "{file}: mit einer neueren Version von Sozialraum-Atlas gespeichert (Projektformat {found}; diese Version liest bis {supported}). Bitte das Programm aktualisieren; die Datei wurde nicht verändert."
            ),
            ImportError::Cancelled => "Laden abgebrochen.".to_string(),
        }
    }
}

fn suggestion(guesses: &[CrsGuess], lang: Lang) -> String {
    let names: Vec<String> = guesses
        .iter()
        .map(|g| format!("EPSG:{} ({})", g.epsg, g.name))
        .collect();
    match (names.is_empty(), lang) {
        (true, Lang::De) => {
            "Bitte das Koordinatensystem angeben (Öffnen-Dialog „Koordinatensystem“ oder --crs EPSG:…).".to_string()
        }
        (true, Lang::En) => {
            "Please state the CRS (\"Coordinate system\" in the open dialog or --crs EPSG:…).".to_string()
        }
        (false, Lang::De) => format!(
            "Wahrscheinlich: {}. Beim Öffnen das Koordinatensystem angeben (--crs EPSG:{}) oder in QGIS als GeoJSON in EPSG:4326 exportieren.",
            names.join(" oder "),
            guesses[0].epsg
        ),
        (false, Lang::En) => format!(
            "Likely: {}. State the CRS when opening (--crs EPSG:{}) or export from QGIS as GeoJSON in EPSG:4326.",
            names.join(" or "),
            guesses[0].epsg
        ),
    }
}
