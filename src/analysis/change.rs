//! Change between two years of an indicator: the difference (percentage points for shares)
//! or the relative change in percent.
//!
//! A change needs a number in both years: an area missing either year has no change ("keine
//! Daten", never 0), one withheld in either year is withheld, and a relative change from 0 is
//! undefined and missing too.

use crate::model::IndicatorValue;
pub use crate::model::{Change, ChangeMeasure};

/// The change of one area from `from` to `to`.
pub fn change_of(
    from: IndicatorValue,
    to: IndicatorValue,
    measure: ChangeMeasure,
) -> IndicatorValue {
    use IndicatorValue::{Missing, Number, Suppressed};
    match (from, to) {
        (Suppressed, _) | (_, Suppressed) => Suppressed,
        (Number(a), Number(b)) => match measure {
            ChangeMeasure::Difference => Number(b - a),
            ChangeMeasure::Relative if a != 0.0 => Number((b - a) / a.abs() * 100.0),
            ChangeMeasure::Relative => Missing,
        },
        _ => Missing,
    }
}

/// The change of every area; the columns are aligned with the areas (a shorter one counts as
/// missing beyond its end).
pub fn change_column(
    from: &[IndicatorValue],
    to: &[IndicatorValue],
    measure: ChangeMeasure,
) -> Vec<IndicatorValue> {
    let n = from.len().max(to.len());
    (0..n)
        .map(|i| {
            change_of(
                from.get(i).copied().unwrap_or_default(),
                to.get(i).copied().unwrap_or_default(),
                measure,
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use IndicatorValue::{Missing, Number, Suppressed};

    #[test]
    fn a_change_needs_a_number_in_both_years() {
        let from = [Number(10.0), Missing, Number(4.0), Suppressed, Number(0.0)];
        let to = [Number(12.5), Number(3.0), Missing, Number(2.0), Number(0.0)];
        assert_eq!(
            change_column(&from, &to, ChangeMeasure::Difference),
            vec![Number(2.5), Missing, Missing, Suppressed, Number(0.0)],
            "no data is never 0, a real 0 stays 0"
        );
    }

    #[test]
    fn a_relative_change_is_in_percent_of_the_earlier_value() {
        let rel = |a, b| change_of(Number(a), Number(b), ChangeMeasure::Relative);
        assert_eq!(rel(10.0, 12.5), Number(25.0));
        assert_eq!(
            rel(-4.0, -2.0),
            Number(50.0),
            "from a negative base: up is up"
        );
        assert_eq!(rel(0.0, 3.0), Missing, "undefined from 0");
        assert_eq!(
            change_column(&[Number(8.0)], &[], ChangeMeasure::Relative),
            vec![Missing],
            "a column too short counts as missing"
        );
    }

    #[test]
    fn year_pairs_and_measures_read_from_text() {
        assert_eq!(Change::parse_years("2016:2022"), Some((2016, 2022)));
        assert_eq!(Change::parse_years("2005–2012"), Some((2005, 2012)));
        assert_eq!(Change::parse_years("2016"), None);
        assert_eq!(
            ChangeMeasure::parse("Relativ"),
            Some(ChangeMeasure::Relative)
        );
        assert_eq!(ChangeMeasure::parse("pp"), Some(ChangeMeasure::Difference));
        assert_eq!(ChangeMeasure::parse("median"), None);
    }
}
