//! How a change between two years of an indicator is measured (the computation is in
//! `analysis::change`).

use super::Year;

/// How a change is measured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum ChangeMeasure {
    /// Later minus earlier value, in the indicator's unit (percentage points for a share).
    #[default]
    Difference,
    /// (later − earlier) / |earlier| × 100, in percent.
    Relative,
}

impl ChangeMeasure {
    /// The key used in files and on the command line.
    pub fn key(self) -> &'static str {
        match self {
            ChangeMeasure::Difference => "differenz",
            ChangeMeasure::Relative => "relativ",
        }
    }

    /// Reads a key ("differenz"/"difference"/"absolut", "relativ"/"relative"/"prozent").
    pub fn parse(text: &str) -> Option<ChangeMeasure> {
        match text.trim().to_lowercase().as_str() {
            "differenz" | "difference" | "absolut" | "absolute" | "pp" | "prozentpunkte" => {
                Some(ChangeMeasure::Difference)
            }
            "relativ" | "relative" | "prozent" | "percent" | "%" => Some(ChangeMeasure::Relative),
            _ => None,
        }
    }
}

/// A change between two years of one indicator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Change {
    /// The earlier year.
    pub from: Year,
    /// The later year.
    pub to: Year,
    /// How it is measured.
    pub measure: ChangeMeasure,
}

impl Change {
    /// Reads "2016:2022" (also "2016-2022", "2016–2022").
    pub fn parse_years(text: &str) -> Option<(Year, Year)> {
        let (a, b) = text.trim().split_once([':', '-', '–'])?;
        let from = parse_year(a)?;
        let to = parse_year(b)?;
        Some((from, to))
    }
}

/// A year from text: "2022", also "2022.0" as spreadsheets write it; 1800–2200.
pub fn parse_year(text: &str) -> Option<Year> {
    let t = text.trim();
    let t = t
        .strip_suffix(".0")
        .or_else(|| t.strip_suffix(",0"))
        .unwrap_or(t);
    t.parse::<Year>().ok().filter(|y| (1800..=2200).contains(y))
}
