//! The import report: what a file contained, what was used, and every problem per feature.
//!
//! A bad feature never fails the whole import; it becomes a [`Problem`] here, with what was
//! done about it ([`Effect`]), so the user can fix the source file. The same report is shown in
//! the app and printed by `sozialraum-atlas check`.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::i18n::{Lang, format};
use crate::io::geojson::coords::CoordProblem;

/// What happened to a feature because of a problem.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Effect {
    /// The feature was not loaded.
    Skipped,
    /// A part (polygon or hole) was dropped; the rest of the feature loaded.
    PartDropped,
    /// The feature was merged into an earlier one with the same code.
    Merged,
    /// The problem was repaired (e.g. a ring closed); the feature loaded.
    Repaired,
    /// A value was ignored; the feature loaded.
    Ignored,
    /// Loaded as it is, with a caveat (e.g. its area may be wrong).
    KeptAsIs,
}

/// What was wrong.
#[derive(Debug, Clone, PartialEq)]
pub enum ProblemKind {
    /// An element of `features` is not a JSON object.
    NotAnObject,
    /// `geometry` is missing or `null`.
    NoGeometry,
    /// `geometry` is not an object.
    GeometryNotAnObject,
    /// The geometry has no `type`.
    MissingGeometryType,
    /// Not a Polygon or MultiPolygon.
    UnsupportedGeometry(String),
    /// The coordinates are missing or contain no positions.
    EmptyGeometry,
    /// The coordinates are malformed.
    BadCoordinates(CoordProblem),
    /// The nesting depth of the positions does not fit the geometry type.
    WrongNesting {
        /// The geometry type.
        kind: String,
    },
    /// A ring has fewer than four positions (after closing).
    RingTooShort {
        /// 1-based polygon number.
        polygon: usize,
        /// 1-based ring number (1 = outer ring).
        ring: usize,
        /// Positions in the ring.
        points: usize,
    },
    /// A ring's first and last positions differ; it was closed.
    RingNotClosed {
        /// 1-based polygon number.
        polygon: usize,
        /// 1-based ring number.
        ring: usize,
    },
    /// An outer ring encloses no area.
    ZeroArea {
        /// 1-based polygon number.
        polygon: usize,
    },
    /// A ring crosses itself (e.g. a bow tie).
    SelfIntersection {
        /// 1-based polygon number.
        polygon: usize,
        /// 1-based ring number (1 = outer ring).
        ring: usize,
    },
    /// A hole lies outside its polygon's outer ring.
    HoleOutside {
        /// 1-based polygon number.
        polygon: usize,
        /// 1-based ring number.
        ring: usize,
    },
    /// No usable polygon remained.
    NoUsablePolygon,
    /// Coordinates outside −180…180 / −90…90 in a lon/lat file.
    OutOfRange {
        /// The first offending position.
        x: f64,
        /// The first offending position.
        y: f64,
    },
    /// Reprojection failed.
    ProjectionFailed,
    /// `properties` is neither an object nor null.
    PropertiesNotAnObject,
    /// The code property is missing or empty.
    MissingCode {
        /// The property that should hold the code.
        field: String,
    },
    /// The code was already used by an earlier feature.
    DuplicateCode {
        /// 0-based index of the first feature with this code.
        first_feature: usize,
    },
    /// A Handlungsfeld value that is not 1–4 or a known key.
    UnknownActionField(String),
}

/// One problem of one feature.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    /// 0-based index of the feature in the file.
    pub feature: usize,
    /// The feature's code, when known.
    pub code: Option<String>,
    /// What was wrong.
    pub kind: ProblemKind,
    /// What was done.
    pub effect: Effect,
}

impl Problem {
    /// One line for the user: "Feature 12 (AC 3): … – übersprungen".
    pub fn describe(&self, lang: Lang) -> String {
        let who = match (&self.code, lang) {
            (Some(code), _) => format!("Feature {} ({code})", self.feature + 1),
            (None, _) => format!("Feature {}", self.feature + 1),
        };
        format!(
            "{who}: {} – {}",
            kind_text(&self.kind, lang),
            effect_text(self.effect, lang)
        )
    }
}

fn coord_problem_text(p: CoordProblem, lang: Lang) -> &'static str {
    match (p, lang) {
        (CoordProblem::NonNumeric, Lang::De) => "Koordinate ist keine Zahl",
        (CoordProblem::NonNumeric, Lang::En) => "a coordinate is not a number",
        (CoordProblem::ShortPosition, Lang::De) => "Position mit weniger als zwei Zahlen",
        (CoordProblem::ShortPosition, Lang::En) => "a position has fewer than two numbers",
        (CoordProblem::MixedNesting, Lang::De) => "Koordinaten uneinheitlich verschachtelt",
        (CoordProblem::MixedNesting, Lang::En) => "coordinates are nested inconsistently",
        (CoordProblem::TooDeep, Lang::De) => "Koordinaten zu tief verschachtelt",
        (CoordProblem::TooDeep, Lang::En) => "coordinates are nested too deeply",
        (CoordProblem::NotAnArray, Lang::De) => "„coordinates“ ist kein Array",
        (CoordProblem::NotAnArray, Lang::En) => "\"coordinates\" is not an array",
        (CoordProblem::NotFinite, Lang::De) => "Koordinate ist keine endliche Zahl",
        (CoordProblem::NotFinite, Lang::En) => "a coordinate is not a finite number",
    }
}

fn kind_text(kind: &ProblemKind, lang: Lang) -> String {
    let de = lang == Lang::De;
    match kind {
        ProblemKind::NotAnObject => if de {
            "ist kein JSON-Objekt"
        } else {
            "is not a JSON object"
        }
        .to_string(),
        ProblemKind::NoGeometry => if de { "keine Geometrie" } else { "no geometry" }.to_string(),
        ProblemKind::GeometryNotAnObject => if de {
            "Geometrie ist kein Objekt"
        } else {
            "geometry is not an object"
        }
        .to_string(),
        ProblemKind::MissingGeometryType => if de {
            "Geometrie ohne „type“"
        } else {
            "geometry without \"type\""
        }
        .to_string(),
        ProblemKind::UnsupportedGeometry(t) => {
            if de {
                format!("Geometrietyp {t} wird nicht unterstützt (nur Polygon, MultiPolygon)")
            } else {
                format!("geometry type {t} is not supported (only Polygon, MultiPolygon)")
            }
        }
        ProblemKind::EmptyGeometry => if de {
            "Geometrie ohne Koordinaten"
        } else {
            "geometry without coordinates"
        }
        .to_string(),
        ProblemKind::BadCoordinates(p) => coord_problem_text(*p, lang).to_string(),
        ProblemKind::WrongNesting { kind } => {
            if de {
                format!("Verschachtelung der Koordinaten passt nicht zu {kind}")
            } else {
                format!("nesting of the coordinates does not fit {kind}")
            }
        }
        ProblemKind::RingTooShort {
            polygon,
            ring,
            points,
        } => {
            if de {
                format!("Ring {ring} von Polygon {polygon} hat nur {points} Punkte (mindestens 4)")
            } else {
                format!("ring {ring} of polygon {polygon} has only {points} points (at least 4)")
            }
        }
        ProblemKind::RingNotClosed { polygon, ring } => {
            if de {
                format!("Ring {ring} von Polygon {polygon} ist nicht geschlossen")
            } else {
                format!("ring {ring} of polygon {polygon} is not closed")
            }
        }
        ProblemKind::ZeroArea { polygon } => {
            if de {
                format!("Polygon {polygon} hat keine Fläche")
            } else {
                format!("polygon {polygon} has no area")
            }
        }
        ProblemKind::SelfIntersection { polygon, ring } => {
            if de {
                format!("Ring {ring} von Polygon {polygon} überschneidet sich selbst")
            } else {
                format!("ring {ring} of polygon {polygon} crosses itself")
            }
        }
        ProblemKind::HoleOutside { polygon, ring } => {
            if de {
                format!("Loch (Ring {ring}) liegt außerhalb von Polygon {polygon}")
            } else {
                format!("hole (ring {ring}) lies outside polygon {polygon}")
            }
        }
        ProblemKind::NoUsablePolygon => if de {
            "kein brauchbares Polygon übrig"
        } else {
            "no usable polygon left"
        }
        .to_string(),
        ProblemKind::OutOfRange { x, y } => {
            if de {
                format!("Koordinate ({x}, {y}) liegt außerhalb von Länge/Breite")
            } else {
                format!("coordinate ({x}, {y}) is outside longitude/latitude")
            }
        }
        ProblemKind::ProjectionFailed => if de {
            "Umprojektion fehlgeschlagen"
        } else {
            "reprojection failed"
        }
        .to_string(),
        ProblemKind::PropertiesNotAnObject => if de {
            "„properties“ ist kein Objekt"
        } else {
            "\"properties\" is not an object"
        }
        .to_string(),
        ProblemKind::MissingCode { field } => {
            if de {
                format!("kein Code im Feld „{field}“")
            } else {
                format!("no code in field \"{field}\"")
            }
        }
        ProblemKind::DuplicateCode { first_feature } => {
            if de {
                format!("Code schon bei Feature {} vergeben", first_feature + 1)
            } else {
                format!("code already used by feature {}", first_feature + 1)
            }
        }
        ProblemKind::UnknownActionField(v) => {
            if de {
                format!("unbekanntes Handlungsfeld „{v}“ (erlaubt: 1–4)")
            } else {
                format!("unknown Handlungsfeld \"{v}\" (allowed: 1–4)")
            }
        }
    }
}

fn effect_text(effect: Effect, lang: Lang) -> &'static str {
    match (effect, lang) {
        (Effect::Skipped, Lang::De) => "übersprungen",
        (Effect::Skipped, Lang::En) => "skipped",
        (Effect::PartDropped, Lang::De) => "Teil verworfen",
        (Effect::PartDropped, Lang::En) => "part dropped",
        (Effect::Merged, Lang::De) => "Geometrie mit dem ersten zusammengeführt",
        (Effect::Merged, Lang::En) => "geometry merged into the first",
        (Effect::Repaired, Lang::De) => "repariert",
        (Effect::Repaired, Lang::En) => "repaired",
        (Effect::Ignored, Lang::De) => "ignoriert",
        (Effect::Ignored, Lang::En) => "ignored",
        (Effect::KeptAsIs, Lang::De) => {
            "so übernommen, Fläche und Klicktreffer können ungenau sein"
        }
        (Effect::KeptAsIs, Lang::En) => "kept as it is, area and click hits may be inexact",
    }
}

/// Where a mapped field came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldOrigin {
    /// Chosen by the user (command line or dialog) or by the file's own metadata.
    Given,
    /// Recognised automatically.
    Detected,
}

/// Everything the user should know about an import.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ImportReport {
    /// The file as the user named it.
    pub file: String,
    /// Features in the file.
    pub feature_count: usize,
    /// Sozialräume loaded (after merging duplicates).
    pub loaded: usize,
    /// Geometry types and how often each occurred.
    pub geometry_types: BTreeMap<String, usize>,
    /// The CRS of the file, e.g. "EPSG:4326 (WGS 84)".
    pub source_crs: String,
    /// Whether the file (or the user) declared the CRS; otherwise it was assumed.
    pub source_crs_declared: bool,
    /// The planar CRS the map is drawn in.
    pub planar_crs: String,
    /// Bounding box of the loaded areas in lon/lat: [min lon, min lat, max lon, max lat].
    pub bbox_lonlat: Option<[f64; 4]>,
    /// The property used for codes, or None for the feature id / position.
    pub code_field: String,
    /// The property used for names.
    pub name_field: Option<String>,
    /// The property used for municipalities.
    pub municipality_field: Option<String>,
    /// The property used for the Handlungsfeld classification.
    pub action_field_field: Option<String>,
    /// Number of indicators found.
    pub indicator_count: usize,
    /// Why the file's `atlas` metadata was ignored, if it was.
    pub metadata_error: Option<String>,
    /// What the rules the file carries name but the map lacks: indicator keys, or "key year"
    /// for a year an indicator has no values for (such conditions never hold).
    pub rules_unknown: Vec<String>,
    /// All problems, in feature order.
    pub problems: Vec<Problem>,
}

impl ImportReport {
    /// Number of features that were not loaded at all.
    pub fn skipped(&self) -> usize {
        let mut features: Vec<usize> = self
            .problems
            .iter()
            .filter(|p| p.effect == Effect::Skipped)
            .map(|p| p.feature)
            .collect();
        features.dedup();
        features.len()
    }

    /// Whether the file loaded without any problem.
    pub fn is_clean(&self) -> bool {
        self.problems.is_empty() && self.rules_unknown.is_empty()
    }

    /// The report as plain text, as printed by `check`.
    pub fn to_text(&self, lang: Lang) -> String {
        let de = lang == Lang::De;
        let mut out = String::new();
        let label =
            |de_text: &'static str, en_text: &'static str| if de { de_text } else { en_text };
        let _ = writeln!(out, "{}: {}", label("Datei", "File"), self.file);
        let _ = writeln!(
            out,
            "{}: {} ({}: {}, {}: {})",
            label("Features", "Features"),
            format::count(self.feature_count, lang),
            label("geladen", "loaded"),
            format::count(self.loaded, lang),
            label("übersprungen", "skipped"),
            format::count(self.skipped(), lang)
        );
        let types: Vec<String> = self
            .geometry_types
            .iter()
            .map(|(t, n)| format!("{t} {}", format::count(*n, lang)))
            .collect();
        let _ = writeln!(
            out,
            "{}: {}",
            label("Geometrietypen", "Geometry types"),
            types.join(", ")
        );
        let assumed = if self.source_crs_declared {
            ""
        } else {
            label(
                " (angenommen, Datei gibt keins an)",
                " (assumed, the file declares none)",
            )
        };
        let _ = writeln!(
            out,
            "{}: {}{assumed}",
            label("Koordinatensystem", "CRS"),
            self.source_crs
        );
        let _ = writeln!(
            out,
            "{}: {}",
            label("Kartenprojektion", "Map projection"),
            self.planar_crs
        );
        if let Some(b) = self.bbox_lonlat {
            let _ = writeln!(
                out,
                "{}: {} … {} / {} … {}",
                label("Ausdehnung (Länge/Breite)", "Extent (lon/lat)"),
                format::number(b[0], 4, lang),
                format::number(b[2], 4, lang),
                format::number(b[1], 4, lang),
                format::number(b[3], 4, lang)
            );
        }
        let none = label("(keins)", "(none)");
        let _ = writeln!(
            out,
            "{}: {}",
            label("Code-Feld", "Code field"),
            self.code_field
        );
        let _ = writeln!(
            out,
            "{}: {}",
            label("Namensfeld", "Name field"),
            self.name_field.as_deref().unwrap_or(none)
        );
        let _ = writeln!(
            out,
            "{}: {}",
            label("Kommunenfeld", "Municipality field"),
            self.municipality_field.as_deref().unwrap_or(none)
        );
        let _ = writeln!(
            out,
            "{}: {}",
            label("Handlungsfeld-Feld", "Field-of-action field"),
            self.action_field_field.as_deref().unwrap_or(none)
        );
        let _ = writeln!(
            out,
            "{}: {}",
            label("Indikatoren", "Indicators"),
            format::count(self.indicator_count, lang)
        );
        if let Some(e) = &self.metadata_error {
            let _ = writeln!(
                out,
                "{}: {e}",
                label("„atlas“-Metadaten ignoriert", "\"atlas\" metadata ignored")
            );
        }
        if !self.rules_unknown.is_empty() {
            let _ = writeln!(
                out,
                "{}: {}",
                label(
                    "Die Regeln der Datei nennen, was die Karte nicht hat (diese Bedingungen treffen nie zu)",
                    "The file's rules name what the map lacks (these conditions never hold)"
                ),
                self.rules_unknown.join(", ")
            );
        }
        if self.problems.is_empty() {
            let _ = writeln!(out, "{}", label("Keine Probleme.", "No problems."));
        } else {
            let _ = writeln!(
                out,
                "{} ({}):",
                label("Probleme", "Problems"),
                format::count(self.problems.len(), lang)
            );
            for p in &self.problems {
                let _ = writeln!(out, "  {}", p.describe(lang));
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_problem_names_the_feature_its_code_and_what_was_done() {
        let p = Problem {
            feature: 11,
            code: Some("AC 3".into()),
            kind: ProblemKind::RingTooShort {
                polygon: 1,
                ring: 2,
                points: 3,
            },
            effect: Effect::PartDropped,
        };
        assert_eq!(
            p.describe(Lang::De),
            "Feature 12 (AC 3): Ring 2 von Polygon 1 hat nur 3 Punkte (mindestens 4) – Teil verworfen"
        );
        assert!(p.describe(Lang::En).contains("part dropped"));
    }

    #[test]
    fn skipped_counts_features_not_problems() {
        let problem = |feature, effect| Problem {
            feature,
            code: None,
            kind: ProblemKind::NoGeometry,
            effect,
        };
        let report = ImportReport {
            problems: vec![
                problem(1, Effect::Skipped),
                problem(1, Effect::Skipped),
                problem(2, Effect::Repaired),
                problem(4, Effect::Skipped),
            ],
            ..ImportReport::default()
        };
        assert_eq!(report.skipped(), 2);
        assert!(!report.is_clean());
    }
}
