//! Indicators: the catalogue entry that makes a number traceable, and the values per Sozialraum.
//!
//! A value is never a bare `f64`: it can be missing (no data) or suppressed (data protection),
//! and neither may ever be treated as zero. Values are stored column-wise, one column per
//! indicator, aligned with the region's list of Sozialräume, because every statistic works
//! over a whole column.

use serde::{Deserialize, Serialize};

/// The unit of an indicator, which decides how its values are formatted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    /// Share in percent (`%`).
    Percent,
    /// Rate per 1,000 (`‰`).
    PerThousand,
    /// A count of persons.
    Persons,
    /// Persons per km².
    PersonsPerKm2,
    /// Square kilometres.
    SquareKilometres,
    /// Euro.
    Euro,
    /// Years (e.g. mean age).
    Years,
    /// A dimensionless index or ratio.
    Index,
    /// Percentage points: the difference of two shares.
    PercentagePoints,
    /// No unit known (e.g. a numeric property of a foreign file).
    #[default]
    None,
}

impl Unit {
    /// The unit's symbol as written after a number (empty for [`Unit::None`]), in German
    /// or English.
    pub fn symbol(&self, english: bool) -> &'static str {
        match (self, english) {
            (Unit::Percent, _) => "%",
            (Unit::PerThousand, _) => "‰",
            (Unit::Persons, false) => "Pers.",
            (Unit::Persons, true) => "pers.",
            (Unit::PersonsPerKm2, false) => "EW/km²",
            (Unit::PersonsPerKm2, true) => "pers./km²",
            (Unit::SquareKilometres, _) => "km²",
            (Unit::Euro, _) => "€",
            (Unit::Years, false) => "J.",
            (Unit::Years, true) => "yrs",
            (Unit::PercentagePoints, false) => "Pp.",
            (Unit::PercentagePoints, true) => "pp",
            (Unit::Index | Unit::None, _) => "",
        }
    }
}

/// Whether a high value signals a need or a strength.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Polarity {
    /// A high value signals a need (e.g. SGB II quota).
    #[default]
    HighIsNeed,
    /// A high value signals a strength (e.g. transition to Gymnasium).
    HighIsStrength,
    /// Neither (e.g. population).
    Neutral,
}

/// How municipality and region values of an indicator are formed from the areas' values.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Aggregation {
    /// Plain mean of the areas' values.
    #[default]
    Mean,
    /// Mean weighted by another indicator (usually the population), so that the result
    /// approximates the municipality's or region's own rate.
    WeightedBy(String),
    /// Sum of the areas' values (counts such as population).
    Sum,
}

/// A catalogue entry: everything needed to show and trace an indicator.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Indicator {
    /// Stable key; also the property name in data files.
    pub key: String,
    /// German label.
    pub label_de: String,
    /// English label.
    #[serde(default)]
    pub label_en: String,
    /// Unit.
    #[serde(default)]
    pub unit: Unit,
    /// Polarity.
    #[serde(default)]
    pub polarity: Polarity,
    /// Theme (e.g. "Soziodemografie").
    #[serde(default)]
    pub theme: String,
    /// Where the numbers come from.
    #[serde(default)]
    pub source: String,
    /// Reference date of the numbers (e.g. "31.12.2016").
    #[serde(default)]
    pub reference_date: String,
    /// Decimals to show.
    #[serde(default = "default_decimals")]
    pub decimals: u8,
    /// How municipality and region values are formed.
    #[serde(default)]
    pub aggregation: Aggregation,
    /// Key of the indicator with the case count behind this share (e.g. SGB II recipients),
    /// shown beside the share and used for the data-protection rule.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cases: Option<String>,
    /// Key of the indicator with the denominator of this share (e.g. population under 65).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub denominator: Option<String>,
    /// Set for a composite index: its definition; its values are computed from it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub index: Option<super::IndexDefinition>,
}

/// Fewest persons in a denominator for a published share.
pub const MIN_DENOMINATOR: f64 = 100.0;
/// Fewest cases for a published share.
pub const MIN_CASES: f64 = 3.0;

fn default_decimals() -> u8 {
    1
}

impl Indicator {
    /// An indicator known only by its key, as for a numeric property of a foreign file.
    pub fn from_key(key: &str) -> Self {
        Indicator {
            key: key.to_string(),
            label_de: key.to_string(),
            label_en: key.to_string(),
            unit: Unit::None,
            polarity: Polarity::Neutral,
            theme: String::new(),
            source: String::new(),
            reference_date: String::new(),
            decimals: 2,
            aggregation: Aggregation::Mean,
            cases: None,
            denominator: None,
            index: None,
        }
    }

    /// The label in the requested language (English falls back to German).
    pub fn label(&self, english: bool) -> &str {
        if english && !self.label_en.is_empty() {
            &self.label_en
        } else {
            &self.label_de
        }
    }
}

/// One indicator value of one area.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub enum IndicatorValue {
    /// A number.
    Number(f64),
    /// No value in the data.
    #[default]
    Missing,
    /// Withheld for data protection (e.g. `*` in a table).
    Suppressed,
}

impl IndicatorValue {
    /// The number, if there is one.
    pub fn number(self) -> Option<f64> {
        match self {
            IndicatorValue::Number(v) => Some(v),
            _ => None,
        }
    }
}

/// Suffixes that link a case-count column to its share by name (`quote` + `quote_faelle`).
const CASE_SUFFIXES: &[&str] = &["_faelle", "_fallzahl", "_cases", "_anzahl"];
/// Suffixes that link a denominator column to its share by name (`quote` + `quote_nenner`).
const DENOMINATOR_SUFFIXES: &[&str] = &["_nenner", "_basis", "_denominator", "_bezug"];

/// A year of the social report (e.g. 2022).
pub type Year = i32;

/// One column of values per Sozialraum for each year, sorted by year.
pub type Series = Vec<(Year, Vec<IndicatorValue>)>;

/// The values of one indicator: one column per year (`years` sorted, as many as `values`), or
/// a single column without a year (`years` empty, one entry in `values`).
#[derive(Debug, Clone, Default, PartialEq)]
struct Columns {
    years: Vec<Year>,
    values: Vec<Vec<IndicatorValue>>,
}

impl Columns {
    fn undated(values: Vec<IndicatorValue>) -> Columns {
        Columns {
            years: Vec::new(),
            values: vec![values],
        }
    }

    fn dated(mut series: Series) -> Columns {
        series.sort_by_key(|(y, _)| *y);
        series.dedup_by_key(|(y, _)| *y);
        let (years, values) = series.into_iter().unzip();
        Columns { years, values }
    }

    /// Adds or replaces the years of `series`; an undated column gives way to them.
    fn merge(&mut self, series: Series) {
        let mut all: Series = if self.years.is_empty() {
            Vec::new()
        } else {
            self.years
                .iter()
                .copied()
                .zip(std::mem::take(&mut self.values))
                .collect()
        };
        for (year, values) in series {
            match all.iter_mut().find(|(y, _)| *y == year) {
                Some(slot) => slot.1 = values,
                None => all.push((year, values)),
            }
        }
        *self = Columns::dated(all);
    }
}

/// The catalogue and the values of all indicators, aligned with the region's Sozialräume.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct IndicatorTable {
    indicators: Vec<Indicator>,
    columns: Vec<Columns>,
    /// Per indicator key and year (None: the undated column): which areas' values are
    /// estimates (converted from older areas by a crosswalk).
    estimated: std::collections::BTreeMap<(String, Option<Year>), Vec<bool>>,
}

impl IndicatorTable {
    /// Adds an indicator with its column of values (one per Sozialraum), without a year.
    pub fn push(&mut self, indicator: Indicator, values: Vec<IndicatorValue>) {
        self.indicators.push(indicator);
        self.columns.push(Columns::undated(values));
    }

    /// Adds an indicator with values for one or more years; no years at all give an
    /// indicator without values.
    pub fn push_series(&mut self, indicator: Indicator, series: Series) {
        self.indicators.push(indicator);
        self.columns.push(if series.is_empty() {
            Columns::undated(Vec::new())
        } else {
            Columns::dated(series)
        });
    }

    /// Replaces the catalogue entry of `indicator.key` (or adds it) and adds or replaces the
    /// years of `series`, keeping the other years it has.
    pub fn merge_series(&mut self, indicator: Indicator, series: Series) {
        match self.position(&indicator.key) {
            Some(i) => {
                self.indicators[i] = indicator;
                self.columns[i].merge(series);
            }
            None => self.push_series(indicator, series),
        }
    }

    /// Marks which areas' values of `key` in `year` are estimates (None or none marked: no
    /// estimates).
    pub fn set_estimated(&mut self, key: &str, year: Option<Year>, flags: Option<Vec<bool>>) {
        let slot = (key.to_string(), year);
        match flags.filter(|f| f.iter().any(|e| *e)) {
            Some(f) => {
                self.estimated.insert(slot, f);
            }
            None => {
                self.estimated.remove(&slot);
            }
        }
    }

    /// Whether the value of indicator `position` for area `space` in `year` (None: the
    /// current one) is an estimate.
    pub fn is_estimated(&self, position: usize, space: usize, year: Option<Year>) -> bool {
        let Some(indicator) = self.indicators.get(position) else {
            return false;
        };
        let year = self.year_shown(position, year);
        self.estimated
            .get(&(indicator.key.clone(), year))
            .and_then(|f| f.get(space).copied())
            .unwrap_or(false)
    }

    /// Whether any value is an estimate.
    pub fn has_estimates(&self) -> bool {
        !self.estimated.is_empty()
    }

    /// The years indicator `position` has values for (empty: values without a year).
    pub fn years(&self, position: usize) -> &[Year] {
        self.columns
            .get(position)
            .map(|c| c.years.as_slice())
            .unwrap_or(&[])
    }

    /// Every year any indicator has values for, sorted.
    pub fn all_years(&self) -> Vec<Year> {
        let mut years: Vec<Year> = self.columns.iter().flat_map(|c| c.years.clone()).collect();
        years.sort_unstable();
        years.dedup();
        years
    }

    /// Whether any indicator has values for a year.
    pub fn has_years(&self) -> bool {
        self.columns.iter().any(|c| !c.years.is_empty())
    }

    /// The values of indicator `position` in `year`, if it has that year.
    pub fn column_in(&self, position: usize, year: Year) -> Option<&[IndicatorValue]> {
        let c = self.columns.get(position)?;
        let i = c.years.binary_search(&year).ok()?;
        c.values.get(i).map(Vec::as_slice)
    }

    /// The values of indicator `position` as shown for `year`: its column of that year (empty
    /// when it has other years only), its current column when `year` is None or when the
    /// indicator has no years at all.
    pub fn column_at(&self, position: usize, year: Option<Year>) -> &[IndicatorValue] {
        match year {
            Some(y) if !self.years(position).is_empty() => {
                self.column_in(position, y).unwrap_or(&[])
            }
            _ => self.column(position),
        }
    }

    /// The year of the values [`IndicatorTable::column_at`] gives, if they have one.
    pub fn year_shown(&self, position: usize, year: Option<Year>) -> Option<Year> {
        let years = self.years(position);
        match year {
            Some(y) if !years.is_empty() => Some(y),
            _ => years.last().copied(),
        }
    }

    /// The whole series of indicator `position`: (year, values) for each year, oldest first.
    pub fn series(&self, position: usize) -> Series {
        self.columns
            .get(position)
            .map(|c| {
                c.years
                    .iter()
                    .copied()
                    .zip(c.values.iter().cloned())
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The catalogue, in display order.
    pub fn indicators(&self) -> &[Indicator] {
        &self.indicators
    }

    /// The label of the indicator `key` in the requested language, or the key itself when the
    /// table has no such indicator.
    pub fn label_of(&self, key: &str, english: bool) -> String {
        self.position(key).map_or_else(
            || key.to_string(),
            |p| self.indicators[p].label(english).to_string(),
        )
    }

    /// Position of an indicator by key.
    pub fn position(&self, key: &str) -> Option<usize> {
        self.indicators.iter().position(|i| i.key == key)
    }

    /// The current values of the indicator at `position` (those of its latest year), one
    /// per Sozialraum.
    pub fn column(&self, position: usize) -> &[IndicatorValue] {
        self.columns
            .get(position)
            .and_then(|c| c.values.last())
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }

    /// The current value of indicator `position` for area `space`.
    pub fn value(&self, position: usize, space: usize) -> IndicatorValue {
        self.column(position)
            .get(space)
            .copied()
            .unwrap_or_default()
    }

    /// The value of indicator `position` for area `space` in `year` (None: current).
    pub fn value_at(&self, position: usize, space: usize, year: Option<Year>) -> IndicatorValue {
        self.column_at(position, year)
            .get(space)
            .copied()
            .unwrap_or_default()
    }

    /// Replaces or adds an indicator with its values, without a year (any years it had go).
    pub fn upsert(&mut self, indicator: Indicator, values: Vec<IndicatorValue>) {
        match self.position(&indicator.key) {
            Some(i) => {
                self.indicators[i] = indicator;
                self.columns[i] = Columns::undated(values);
            }
            None => self.push(indicator, values),
        }
    }

    /// Replaces the catalogue entry at `position`, keeping its values.
    pub fn set_indicator(&mut self, position: usize, indicator: Indicator) {
        if let Some(slot) = self.indicators.get_mut(position) {
            *slot = indicator;
        }
    }

    /// Whether the value of indicator `position` for area `space` falls under the
    /// data-protection rule: its denominator is under 100 persons or its case count under 3,
    /// or it is itself the case count of a share and under 3.
    pub fn is_small_number(&self, position: usize, space: usize) -> bool {
        self.is_small_number_at(position, space, None)
    }

    /// [`IndicatorTable::is_small_number`] for the values of `year` (None: current).
    pub fn is_small_number_at(&self, position: usize, space: usize, year: Option<Year>) -> bool {
        let Some(indicator) = self.indicators.get(position) else {
            return false;
        };
        let year = self.year_shown(position, year);
        let below = |key: &Option<String>, min: f64| {
            key.as_deref()
                .and_then(|k| self.position(k))
                .and_then(|c| self.value_at(c, space, year).number())
                .is_some_and(|v| v < min)
        };
        below(&indicator.denominator, MIN_DENOMINATOR)
            || below(&indicator.cases, MIN_CASES)
            || (self.is_case_count(position)
                && self
                    .value_at(position, space, year)
                    .number()
                    .is_some_and(|v| v < MIN_CASES))
    }

    /// Whether indicator `position` is the case count of some share (its small values are
    /// withheld like the share's).
    pub fn is_case_count(&self, position: usize) -> bool {
        let Some(key) = self.indicators.get(position).map(|i| i.key.as_str()) else {
            return false;
        };
        self.indicators
            .iter()
            .any(|i| i.cases.as_deref() == Some(key))
    }

    /// Links shares to their case and denominator columns by the naming convention
    /// `quote` + `quote_faelle` / `quote_nenner`, where a share has no link yet.
    pub fn link_counts_by_name(&mut self) {
        let keys: Vec<String> = self.indicators().iter().map(|i| i.key.clone()).collect();
        for (position, key) in keys.iter().enumerate() {
            let find = |suffixes: &[&str]| {
                suffixes
                    .iter()
                    .map(|s| format!("{key}{s}"))
                    .find(|k| keys.contains(k))
            };
            let (cases, denominator) = (find(CASE_SUFFIXES), find(DENOMINATOR_SUFFIXES));
            if cases.is_none() && denominator.is_none() {
                continue;
            }
            let mut indicator = self.indicators()[position].clone();
            indicator.cases = indicator.cases.or(cases);
            indicator.denominator = indicator.denominator.or(denominator);
            self.set_indicator(position, indicator);
        }
    }

    /// Number of indicators.
    pub fn len(&self) -> usize {
        self.indicators.len()
    }

    /// Whether there are no indicators.
    pub fn is_empty(&self) -> bool {
        self.indicators.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use IndicatorValue::Number;

    #[test]
    fn count_columns_link_to_their_shares_by_name() {
        let mut t = IndicatorTable::default();
        t.push(Indicator::from_key("quote"), vec![Number(1.0)]);
        t.push(Indicator::from_key("quote_faelle"), vec![Number(2.0)]);
        t.push(Indicator::from_key("quote_nenner"), vec![Number(50.0)]);
        t.link_counts_by_name();
        let q = &t.indicators()[0];
        assert_eq!(q.cases.as_deref(), Some("quote_faelle"));
        assert_eq!(q.denominator.as_deref(), Some("quote_nenner"));
        assert!(t.is_small_number(0, 0));
        assert!(t.indicators()[1].cases.is_none(), "counts are not shares");
    }

    #[test]
    fn small_denominators_and_case_counts_are_flagged() {
        let mut t = IndicatorTable::default();
        let mut quote = Indicator::from_key("quote");
        quote.cases = Some("faelle".into());
        quote.denominator = Some("basis".into());
        t.push(quote, vec![Number(10.0), Number(20.0), Number(30.0)]);
        t.push(
            Indicator::from_key("faelle"),
            vec![Number(50.0), Number(2.0), Number(40.0)],
        );
        t.push(
            Indicator::from_key("basis"),
            vec![Number(500.0), Number(10.0), Number(99.0)],
        );
        assert!(!t.is_small_number(0, 0));
        assert!(t.is_small_number(0, 1), "2 cases");
        assert!(t.is_small_number(0, 2), "99 in the denominator");
        assert!(t.is_small_number(1, 1), "the count of 2 cases itself");
        assert!(!t.is_small_number(1, 0), "50 cases");
        assert!(t.is_case_count(1) && !t.is_case_count(2));
        assert!(!t.is_small_number(2, 1), "a denominator is published");
    }

    #[test]
    fn a_series_keeps_every_year_and_its_latest_is_current() {
        let mut t = IndicatorTable::default();
        t.push_series(
            Indicator::from_key("q"),
            vec![(2022, vec![Number(3.0)]), (2016, vec![Number(1.0)])],
        );
        assert_eq!(t.years(0), &[2016, 2022]);
        assert_eq!(t.value(0, 0), Number(3.0), "current = latest year");
        assert_eq!(t.value_at(0, 0, Some(2016)), Number(1.0));
        assert!(
            t.column_at(0, Some(2019)).is_empty(),
            "no such year: no values"
        );
        t.merge_series(
            Indicator::from_key("q"),
            vec![(2019, vec![Number(2.0)]), (2022, vec![Number(4.0)])],
        );
        assert_eq!(t.years(0), &[2016, 2019, 2022]);
        assert_eq!(t.value_at(0, 0, Some(2022)), Number(4.0), "a year replaced");
        assert_eq!(t.value_at(0, 0, Some(2016)), Number(1.0), "the others kept");
        t.push(Indicator::from_key("flaeche"), vec![Number(9.0)]);
        assert_eq!(
            t.column_at(1, Some(2016)),
            &[Number(9.0)],
            "no years: always shown"
        );
        assert_eq!(t.year_shown(1, Some(2016)), None);
        assert_eq!(t.all_years(), vec![2016, 2019, 2022]);
    }

    #[test]
    fn small_numbers_are_judged_in_the_year_shown() {
        let mut t = IndicatorTable::default();
        let mut quote = Indicator::from_key("quote");
        quote.denominator = Some("basis".into());
        t.push_series(
            quote,
            vec![(2016, vec![Number(10.0)]), (2022, vec![Number(12.0)])],
        );
        t.push_series(
            Indicator::from_key("basis"),
            vec![(2016, vec![Number(80.0)]), (2022, vec![Number(400.0)])],
        );
        assert!(t.is_small_number_at(0, 0, Some(2016)));
        assert!(!t.is_small_number_at(0, 0, Some(2022)));
        assert!(!t.is_small_number(0, 0), "current year");
    }

    #[test]
    fn upsert_replaces_by_key() {
        let mut t = IndicatorTable::default();
        t.push(Indicator::from_key("a"), vec![Number(1.0)]);
        t.upsert(Indicator::from_key("a"), vec![Number(2.0)]);
        t.upsert(Indicator::from_key("b"), vec![Number(3.0)]);
        assert_eq!(t.len(), 2);
        assert_eq!(t.value(0, 0), Number(2.0));
    }
}
