//! Joining an indicator table to the Sozialräume, with a report of everything that did not fit.
//!
//! Keys are compared normalised: spaces and case ignored, a one-letter prefix before a long
//! number dropped (`k053340002002` → `053340002002`) and leading zeros ignored (Excel loses
//! them), so a table can meet the areas' codes or any property (e.g. the 12-digit `RS` of the
//! BKG files). A wide table has one row per area and one column per indicator; a long ("tidy")
//! table has one row per area, indicator (and year) and is pivoted, every year kept as its own
//! column of the indicator's series; a wide table can be said to hold one year's values, so
//! one table per year builds a series too. Suppressed cells stay
//! suppressed, empty cells missing; text where a number belongs is reported with row and column.

use std::collections::{BTreeMap, HashMap, HashSet};

use serde_json::Value;

pub use super::keys::normalize_key;
use super::table::{ParsedNumber, Table, parse_number};
pub use crate::model::parse_year;
use crate::model::{Indicator, IndicatorTable, IndicatorValue, Region, Series, Unit, Year};

/// The code of a property value: strings trimmed, integers (also `12.0`) as digits.
pub fn code_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => {
            let t = s.trim();
            (!t.is_empty()).then(|| t.to_string())
        }
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                Some(i.to_string())
            } else if let Some(u) = n.as_u64() {
                Some(u.to_string())
            } else {
                n.as_f64()
                    .filter(|f| f.fract() == 0.0 && f.abs() < 1e15)
                    .map(|f| format!("{f:.0}"))
            }
        }
        _ => None,
    }
}

/// How a table is laid out.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Layout {
    /// One row per area; every other numeric column is an indicator.
    #[default]
    Wide,
    /// One row per area and indicator (and year).
    Long {
        /// Column(s) naming the indicator; several are joined with " – ".
        indicator: Vec<String>,
        /// Column with the value.
        value: String,
        /// Column with the year, and the only year to take (every year if None).
        year: Option<(String, Option<String>)>,
    },
}

/// Choices for a join.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct JoinOptions {
    /// The table's key column (None: the column that matches most areas).
    pub key_column: Option<String>,
    /// The areas' property to match (None: the code, or the best-matching property).
    pub target: Option<String>,
    /// Wide or long.
    pub layout: Layout,
    /// The year a wide table's values belong to (None: no year).
    pub table_year: Option<Year>,
    /// The table is keyed by older areas: convert its values to today's with this crosswalk,
    /// rates weighted as said.
    pub crosswalk: Option<(super::crosswalk::Crosswalk, super::crosswalk::Weight)>,
}

/// A cell that should have been a number.
#[derive(Debug, Clone, PartialEq)]
pub struct BadCell {
    /// 1-based line or row in the file.
    pub line: usize,
    /// Column name.
    pub column: String,
    /// What it held.
    pub text: String,
}

/// What the join did.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct JoinReport {
    /// The table file.
    pub file: String,
    /// The key column used.
    pub key_column: String,
    /// What it was matched against: "Code" or a property name.
    pub target: String,
    /// Indicators imported (keys), in table order.
    pub indicators: Vec<String>,
    /// Indicators that already existed and were replaced.
    pub replaced: Vec<String>,
    /// Areas that got at least one value.
    pub matched_areas: usize,
    /// Rows whose key matches no area: (line, key).
    pub unmatched_rows: Vec<(usize, String)>,
    /// Codes of areas without any value from this table.
    pub areas_without_data: Vec<String>,
    /// Keys that appear in more than one row: (key, lines).
    pub duplicate_keys: Vec<(String, Vec<usize>)>,
    /// Cells that are not numbers.
    pub bad_cells: Vec<BadCell>,
    /// Cells marked as suppressed.
    pub suppressed: usize,
    /// Per year of the values (oldest first): how many areas got a value.
    pub years: Vec<YearCount>,
    /// What a crosswalk did (split and merged areas, which values are estimates).
    pub crosswalk: Option<super::crosswalk::CrosswalkReport>,
}

impl JoinReport {
    /// Which areas got a value (`with_data`, one flag per area): their number, and the codes
    /// of the others.
    fn set_coverage(&mut self, region: &Region, with_data: &[bool]) {
        self.matched_areas = with_data.iter().filter(|w| **w).count();
        self.areas_without_data = region
            .spaces
            .iter()
            .zip(with_data)
            .filter(|(_, w)| !**w)
            .map(|(s, _)| s.code.clone())
            .collect();
    }
}

/// What one year of a table gave.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct YearCount {
    /// The year.
    pub year: Year,
    /// Areas with a value (or a suppressed cell) of this year.
    pub areas: usize,
}

/// Why a join cannot be done.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JoinError {
    /// A named column is not in the table.
    MissingColumn(String),
    /// No column of the table matches the areas.
    NoKey,
    /// Nothing to import.
    NoIndicators,
    /// A cell of the year column is no year: (line, text).
    BadYear(usize, String),
    /// The crosswalk's weighting indicator is not in the table.
    NoWeight(String),
}

impl JoinError {
    /// The message for the user.
    pub fn describe(&self, file: &str, lang: crate::i18n::Lang) -> String {
        let de = lang == crate::i18n::Lang::De;
        match (self, de) {
            (JoinError::MissingColumn(c), true) => format!("{file}: keine Spalte „{c}“"),
            (JoinError::MissingColumn(c), false) => format!("{file}: no column \"{c}\""),
            (JoinError::NoKey, true) => format!(
                "{file}: keine Spalte passt zu den Codes der Sozialräume (Schlüsselspalte angeben)"
            ),
            (JoinError::NoKey, false) => {
                format!("{file}: no column matches the areas' codes (state the key column)")
            }
            (JoinError::NoIndicators, true) => {
                format!("{file}: keine Zahlenspalten zum Übernehmen")
            }
            (JoinError::NoIndicators, false) => format!("{file}: no numeric columns to import"),
            (JoinError::BadYear(line, text), true) => format!(
                "{file}, Zeile {line}: „{text}“ ist keine Jahreszahl (die Jahresspalte muss Jahre wie 2022 enthalten)"
            ),
            (JoinError::NoWeight(key), true) => format!(
                "{file}: der Indikator „{key}“ zum Gewichten der Umrechnung ist nicht in der Tabelle"
            ),
            (JoinError::NoWeight(key), false) => {
                format!(
                    "{file}: the indicator \"{key}\" to weight the conversion by is not in the table"
                )
            }
            (JoinError::BadYear(line, text), false) => format!(
                "{file}, line {line}: \"{text}\" is not a year (the year column must hold years such as 2022)"
            ),
        }
    }
}

/// Area index by normalised key, for the code or a property.
fn area_keys(region: &Region, target: Option<&str>) -> HashMap<String, usize> {
    let mut keys = HashMap::new();
    for (i, space) in region.spaces.iter().enumerate() {
        let key = match target {
            None => Some(space.code.clone()),
            Some(p) => space.properties.get(p).and_then(code_text),
        };
        if let Some(k) = key {
            keys.entry(normalize_key(&k)).or_insert(i);
        }
    }
    keys
}

/// Properties of the areas worth trying as join targets: those that identify an area (at
/// least 99 % distinct values), so that names shared by several places do not win.
fn candidate_targets(region: &Region) -> Vec<Option<String>> {
    let mut names: Vec<String> = Vec::new();
    for space in region.spaces.iter().take(50) {
        for (k, v) in &space.properties {
            if matches!(v, Value::String(_) | Value::Number(_)) && !names.iter().any(|n| n == k) {
                names.push(k.to_string());
            }
        }
    }
    let n = region.spaces.len().max(1);
    names.retain(|name| area_keys(region, Some(name)).len() * 100 >= n * 99);
    std::iter::once(None)
        .chain(names.into_iter().map(Some))
        .collect()
}

/// Finds the table column and area key that match best.
fn choose_key(
    region: &Region,
    table: &Table,
    options: &JoinOptions,
) -> Result<(usize, Option<String>), JoinError> {
    let columns: Vec<usize> = match &options.key_column {
        Some(name) => vec![
            table
                .column(name)
                .ok_or_else(|| JoinError::MissingColumn(name.clone()))?,
        ],
        // In a wide table the key (mostly) identifies a row: at least half distinct values.
        None => (0..table.headers.len())
            .filter(|&c| {
                let wide = options.layout == Layout::Wide;
                let distinct: HashSet<String> = table
                    .rows
                    .iter()
                    .map(|r| normalize_key(&r[c].text()))
                    .collect();
                !wide || distinct.len() * 2 >= table.rows.len()
            })
            .collect(),
    };
    let targets = match &options.target {
        Some(t) => vec![Some(t.clone())],
        None => candidate_targets(region),
    };
    let mut best: Option<(usize, usize, Option<String>)> = None;
    for target in targets {
        let keys = area_keys(region, target.as_deref());
        for &c in &columns {
            let mut seen = HashSet::new();
            let matches = table
                .rows
                .iter()
                .map(|r| normalize_key(&r[c].text()))
                .filter(|k| keys.contains_key(k) && seen.insert(k.clone()))
                .count();
            if matches > best.as_ref().map_or(0, |b| b.0) {
                best = Some((matches, c, target.clone()));
            }
        }
    }
    match best {
        Some((_, c, target)) => Ok((c, target)),
        None => Err(JoinError::NoKey),
    }
}

/// A key for an indicator from a column name: lower case, `_` for anything but letters and
/// digits, umlauts spelled out.
pub fn indicator_key(name: &str) -> String {
    let mut key = String::new();
    for c in name.trim().to_lowercase().chars() {
        match c {
            'ä' => key.push_str("ae"),
            'ö' => key.push_str("oe"),
            'ü' => key.push_str("ue"),
            'ß' => key.push_str("ss"),
            c if c.is_ascii_alphanumeric() => key.push(c),
            _ => {
                if !key.ends_with('_') {
                    key.push('_');
                }
            }
        }
    }
    key.trim_matches('_').to_string()
}

/// A catalogue entry guessed from a column name and its values: the unit from words and
/// symbols in the name (‰ and "je 1.000" before % and "Quote"), whole numbers without decimals.
pub(crate) fn guessed_indicator(name: &str, source: &str, values: &[IndicatorValue]) -> Indicator {
    let mut indicator = Indicator::from_key(&indicator_key(name));
    indicator.label_de = name.trim().to_string();
    indicator.label_en = name.trim().to_string();
    indicator.source = source.to_string();
    let l = name.to_lowercase();
    let has = |words: &[&str]| words.iter().any(|w| l.contains(w));
    let (unit, decimals) = if has(&[
        "‰",
        "je 1.000",
        "je 1000",
        "pro 1.000",
        "pro 1000",
        "per 1,000",
        "per 1000",
    ]) {
        (Unit::PerThousand, 1)
    } else if has(&["km²", "km2"]) && has(&["ew", "einw", "dichte", "density", "pers"]) {
        (Unit::PersonsPerKm2, 0)
    } else if has(&["€", "euro", "eur)", "eur "]) {
        (Unit::Euro, 0)
    } else if has(&[
        "%", "prozent", "percent", "quote", "anteil", "rate", "share",
    ]) {
        (Unit::Percent, 1)
    } else {
        (indicator.unit, indicator.decimals)
    };
    indicator.unit = unit;
    indicator.decimals = decimals;
    let whole = values
        .iter()
        .filter_map(|v| v.number())
        .all(|v| v.fract() == 0.0);
    if whole && unit != Unit::Percent && unit != Unit::PerThousand {
        indicator.decimals = 0;
    }
    indicator
}

/// The values a join found for one indicator.
#[derive(Debug, Clone, PartialEq)]
pub enum JoinedValues {
    /// One value per area, without a year.
    Undated(Vec<IndicatorValue>),
    /// One column per year.
    Dated(Series),
}

impl JoinedValues {
    /// The current column: the latest year's, or the only one.
    pub fn current(&self) -> &[IndicatorValue] {
        match self {
            JoinedValues::Undated(v) => v,
            JoinedValues::Dated(s) => s.last().map(|(_, v)| v.as_slice()).unwrap_or(&[]),
        }
    }
}

/// Indicators with their values, as a join produces them.
pub type JoinedIndicators = Vec<(Indicator, JoinedValues)>;

/// Merges joined indicators into `indicators`. A re-import keeps the catalogue entry (labels,
/// unit, polarity …) the user may have edited and replaces only the values: undated values
/// replace the indicator's, the years of a dated table are added to its series (a year it
/// had already is replaced). Shares are linked to their case and denominator columns by name.
pub fn merge_joined(indicators: &mut IndicatorTable, joined: JoinedIndicators) {
    merge_joined_with(indicators, joined, None);
}

/// [`merge_joined`], marking the values of the areas flagged in `estimated` (a crosswalk's
/// conversion) as estimates, and the others as not.
pub fn merge_joined_with(
    indicators: &mut IndicatorTable,
    joined: JoinedIndicators,
    estimated: Option<&[bool]>,
) {
    for (indicator, values) in joined {
        let years: Vec<Option<Year>> = match &values {
            JoinedValues::Undated(_) => vec![None],
            JoinedValues::Dated(s) => s.iter().map(|(y, _)| Some(*y)).collect(),
        };
        for year in years {
            indicators.set_estimated(&indicator.key, year, estimated.map(<[bool]>::to_vec));
        }
        let entry = indicators
            .position(&indicator.key)
            .map(|p| indicators.indicators()[p].clone())
            .unwrap_or(indicator);
        match values {
            JoinedValues::Undated(values) => indicators.upsert(entry, values),
            JoinedValues::Dated(series) => indicators.merge_series(entry, series),
        }
    }
    indicators.link_counts_by_name();
    // Indices follow their inputs.
    super::index::refresh(indicators);
}

/// Joins `table` to `region`: returns the indicators with one value per area and the report.
pub fn join_table(
    region: &Region,
    existing: &IndicatorTable,
    table: &Table,
    options: &JoinOptions,
) -> Result<(JoinedIndicators, JoinReport), JoinError> {
    if let Some((crosswalk, weight)) = &options.crosswalk {
        return join_through(region, existing, table, options, crosswalk, weight);
    }
    let (key_col, target) = choose_key(region, table, options)?;
    let keys = area_keys(region, target.as_deref());
    let source = std::path::Path::new(&table.file)
        .file_name()
        .map_or_else(|| table.file.clone(), |f| f.to_string_lossy().into_owned());
    let mut report = JoinReport {
        file: table.file.clone(),
        key_column: table.headers[key_col].clone(),
        target: target.clone().unwrap_or_else(|| "Code".to_string()),
        ..JoinReport::default()
    };
    let mut found = Collected::new(region, options.table_year);
    let rows = KeyedRows {
        table,
        key_col,
        keys: &keys,
    };
    match &options.layout {
        Layout::Wide => join_wide(&rows, &mut found, &mut report),
        Layout::Long {
            indicator,
            value,
            year,
        } => join_long(&rows, indicator, value, year, &mut found, &mut report)?,
    }
    found.finish(region, existing, &source, report)
}

/// Joins a table keyed by older areas: first to those areas (their codes from the crosswalk),
/// then converted to the map's areas.
fn join_through(
    region: &Region,
    existing: &IndicatorTable,
    table: &Table,
    options: &JoinOptions,
    crosswalk: &super::crosswalk::Crosswalk,
    weight: &super::crosswalk::Weight,
) -> Result<(JoinedIndicators, JoinReport), JoinError> {
    use super::crosswalk::{Weight, convert, is_count, plan};
    let mut olds: Vec<String> = crosswalk.links.iter().map(|l| l.old.clone()).collect();
    olds.sort();
    olds.dedup();
    let old_region = Region::new(
        region.title.clone(),
        olds.iter()
            .map(|code| crate::model::SocialSpace::bare(code))
            .collect(),
        Vec::new(),
        crate::model::SourceInfo::default(),
        region.crs,
        Default::default(),
    );
    let inner = JoinOptions {
        target: None,
        crosswalk: None,
        ..options.clone()
    };
    let (joined, mut report) = join_table(&old_region, existing, table, &inner)?;
    let (parts, cw_report) = plan(crosswalk, region);
    let old_keys: Vec<String> = old_region
        .spaces
        .iter()
        .map(|s| normalize_key(&s.code))
        .collect();
    let by_old = |column: &[IndicatorValue]| -> HashMap<String, IndicatorValue> {
        old_keys
            .iter()
            .cloned()
            .zip(column.iter().copied())
            .collect()
    };
    let weight_of =
        |year: Option<Year>| -> Result<Option<HashMap<String, IndicatorValue>>, JoinError> {
            let Weight::Indicator(key) = weight else {
                return Ok(None);
            };
            let (_, values) = joined
                .iter()
                .find(|(i, _)| i.key == *key)
                .ok_or_else(|| JoinError::NoWeight(key.clone()))?;
            let column = match (values, year) {
                (JoinedValues::Undated(v), _) => v.as_slice(),
                (JoinedValues::Dated(s), Some(y)) => s
                    .iter()
                    .find(|(x, _)| *x == y)
                    .map(|(_, v)| v.as_slice())
                    .unwrap_or(&[]),
                (JoinedValues::Dated(s), None) => {
                    s.last().map(|(_, v)| v.as_slice()).unwrap_or(&[])
                }
            };
            Ok(Some(by_old(column)))
        };
    let mut out = Vec::new();
    let mut with_data = vec![false; region.spaces.len()];
    for (indicator, values) in &joined {
        let entry = existing
            .position(&indicator.key)
            .map_or(indicator, |p| &existing.indicators()[p]);
        let count = is_count(entry);
        let mut one = |column: &[IndicatorValue],
                       year: Option<Year>|
         -> Result<Vec<IndicatorValue>, JoinError> {
            let w = if count { None } else { weight_of(year)? };
            let new = convert(&parts, &by_old(column), count, w.as_ref());
            for (i, v) in new.iter().enumerate() {
                with_data[i] |= *v != IndicatorValue::Missing;
            }
            Ok(new)
        };
        let converted = match values {
            JoinedValues::Undated(v) => JoinedValues::Undated(one(v, None)?),
            JoinedValues::Dated(s) => JoinedValues::Dated(
                s.iter()
                    .map(|(y, v)| one(v, Some(*y)).map(|c| (*y, c)))
                    .collect::<Result<_, _>>()?,
            ),
        };
        out.push((indicator.clone(), converted));
    }
    report.set_coverage(region, &with_data);
    report.crosswalk = Some(cw_report);
    Ok((out, report))
}

/// The table's rows with the column that names the area and how keys find areas.
struct KeyedRows<'a> {
    table: &'a Table,
    key_col: usize,
    keys: &'a HashMap<String, usize>,
}

impl KeyedRows<'_> {
    /// The rows `keep` takes, with their line numbers and the area each one is about; a
    /// kept row whose key names no area goes to the report.
    fn matched<'r>(
        &'r self,
        report: &'r mut JoinReport,
        keep: impl Fn(&[super::table::Cell]) -> bool + 'r,
    ) -> impl Iterator<Item = (&'r [super::table::Cell], usize, usize)> + 'r {
        self.table
            .rows
            .iter()
            .zip(&self.table.lines)
            .filter(move |(row, _)| keep(row))
            .filter_map(move |(row, &line)| {
                let key = row[self.key_col].text();
                match self.keys.get(&normalize_key(&key)) {
                    Some(&area) => Some((row.as_slice(), line, area)),
                    None => {
                        report.unmatched_rows.push((line, key));
                        None
                    }
                }
            })
    }
}

/// One row per area, one column per indicator.
fn join_wide(rows: &KeyedRows<'_>, found: &mut Collected, report: &mut JoinReport) {
    let table = rows.table;
    // Value columns: every column but the key with at least one number.
    let value_cols: Vec<usize> = (0..table.headers.len())
        .filter(|&c| c != rows.key_col)
        .filter(|&c| {
            table.rows.iter().any(|r| {
                matches!(
                    parse_number(&r[c], table.dialect.decimal),
                    ParsedNumber::Number(_)
                )
            })
        })
        .collect();
    let decimal = table.dialect.decimal;
    for (row, line, area) in rows.matched(report, |_| true) {
        for &c in &value_cols {
            if let Some(v) = found.parse(&row[c], line, &table.headers[c], decimal) {
                found.store(&table.headers[c], area, v, line);
            }
        }
    }
}

/// One row per area, indicator (and year): the indicator's name from `indicator` columns,
/// the value from `value`, only the chosen (or latest) year.
fn join_long(
    rows: &KeyedRows<'_>,
    indicator: &[String],
    value: &String,
    year: &Option<(String, Option<String>)>,
    found: &mut Collected,
    report: &mut JoinReport,
) -> Result<(), JoinError> {
    let table = rows.table;
    let col = |name: &String| {
        table
            .column(name)
            .ok_or_else(|| JoinError::MissingColumn(name.clone()))
    };
    let indicator_cols = indicator.iter().map(col).collect::<Result<Vec<_>, _>>()?;
    let value_col = col(value)?;
    let year_col = match year {
        Some((c, _)) => Some(col(c)?),
        None => None,
    };
    let only_year = year.as_ref().and_then(|(_, y)| y.as_deref()).map(str::trim);
    let in_year = |row: &[super::table::Cell]| match (year_col, only_year) {
        (Some(yc), Some(y)) => row[yc].text().trim() == y,
        _ => true,
    };
    let decimal = table.dialect.decimal;
    for (row, line, area) in rows.matched(report, in_year) {
        let name = indicator_cols
            .iter()
            .map(|&c| row[c].text())
            .collect::<Vec<_>>()
            .join(" – ");
        if let Some(yc) = year_col {
            let text = row[yc].text();
            let year = parse_year(&text).ok_or(JoinError::BadYear(line, text))?;
            found.year = Some(year);
        }
        if let Some(v) = found.parse(&row[value_col], line, &table.headers[value_col], decimal) {
            found.store(&name, area, v, line);
        }
    }
    Ok(())
}

/// What the rows gave: a column of values per indicator (in table order), where each
/// (indicator, area) was first seen, and what was wrong.
struct Collected {
    areas: usize,
    codes: Vec<String>,
    /// The year of the values stored next (None: no year).
    year: Option<Year>,
    order: Vec<String>,
    values: HashMap<String, BTreeMap<Option<Year>, Vec<IndicatorValue>>>,
    first_line: HashMap<(String, Option<Year>, usize), usize>,
    duplicates: BTreeMap<String, Vec<usize>>,
    bad: Vec<BadCell>,
    suppressed: usize,
}

impl Collected {
    fn new(region: &Region, year: Option<Year>) -> Collected {
        Collected {
            areas: region.spaces.len(),
            codes: region.spaces.iter().map(|s| s.code.clone()).collect(),
            year,
            order: Vec::new(),
            values: HashMap::new(),
            first_line: HashMap::new(),
            duplicates: BTreeMap::new(),
            bad: Vec::new(),
            suppressed: 0,
        }
    }

    /// A cell as a value; a cell that is no number is noted and gives None.
    fn parse(
        &mut self,
        cell: &super::table::Cell,
        line: usize,
        column: &str,
        decimal: super::table::DecimalStyle,
    ) -> Option<IndicatorValue> {
        match parse_number(cell, decimal) {
            ParsedNumber::Number(v) => Some(IndicatorValue::Number(v)),
            ParsedNumber::Suppressed => {
                self.suppressed += 1;
                Some(IndicatorValue::Suppressed)
            }
            ParsedNumber::Empty => Some(IndicatorValue::Missing),
            ParsedNumber::NotANumber => {
                self.bad.push(BadCell {
                    line,
                    column: column.to_string(),
                    text: cell.text(),
                });
                None
            }
        }
    }

    /// Keeps the first value of `name` for `area` in the current year; a later one is a
    /// duplicate key.
    fn store(&mut self, name: &str, area: usize, value: IndicatorValue, line: usize) {
        if !self.values.contains_key(name) {
            self.order.push(name.to_string());
        }
        let areas = self.areas;
        let year = self.year;
        self.values
            .entry(name.to_string())
            .or_default()
            .entry(year)
            .or_insert_with(|| vec![IndicatorValue::Missing; areas]);
        match self.first_line.get(&(name.to_string(), year, area)) {
            Some(&first) => {
                let key = self.codes[area].clone();
                let lines = self.duplicates.entry(key).or_insert_with(|| vec![first]);
                if !lines.contains(&line) {
                    lines.push(line);
                }
            }
            None => {
                self.first_line.insert((name.to_string(), year, area), line);
                if let Some(column) = self.values.get_mut(name).and_then(|y| y.get_mut(&year)) {
                    column[area] = value;
                }
            }
        }
    }

    /// The indicators with their columns, and the report completed.
    fn finish(
        mut self,
        region: &Region,
        existing: &IndicatorTable,
        source: &str,
        mut report: JoinReport,
    ) -> Result<(JoinedIndicators, JoinReport), JoinError> {
        report.bad_cells = self.bad;
        report.suppressed = self.suppressed;
        report.duplicate_keys = self.duplicates.into_iter().collect();
        if self.order.is_empty() {
            return Err(JoinError::NoIndicators);
        }
        let mut with_data = vec![false; self.areas];
        let mut per_year: BTreeMap<Year, Vec<bool>> = BTreeMap::new();
        let mut out = Vec::new();
        for name in &self.order {
            let columns = self.values.remove(name).unwrap_or_default();
            for (year, column) in &columns {
                for (i, v) in column.iter().enumerate() {
                    if *v != IndicatorValue::Missing {
                        with_data[i] = true;
                        if let Some(y) = year {
                            per_year
                                .entry(*y)
                                .or_insert_with(|| vec![false; self.areas])[i] = true;
                        }
                    }
                }
            }
            let all: Vec<IndicatorValue> = columns.values().flatten().copied().collect();
            let indicator = guessed_indicator(name, source, &all);
            if existing.position(&indicator.key).is_some() {
                report.replaced.push(indicator.key.clone());
            }
            report.indicators.push(indicator.key.clone());
            let values = match columns.get(&None) {
                Some(undated) if columns.len() == 1 => JoinedValues::Undated(undated.clone()),
                _ => JoinedValues::Dated(
                    columns
                        .into_iter()
                        .filter_map(|(y, c)| y.map(|y| (y, c)))
                        .collect(),
                ),
            };
            out.push((indicator, values));
        }
        report.years = per_year
            .into_iter()
            .map(|(year, areas)| YearCount {
                year,
                areas: areas.iter().filter(|a| **a).count(),
            })
            .collect();
        report.set_coverage(region, &with_data);
        Ok((out, report))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::table::parse_csv;
    use crate::model::{ActionFieldSet, PlanarCrs, SocialSpace, SourceInfo};

    fn region(codes: &[(&str, &str)]) -> Region {
        let spaces = codes
            .iter()
            .map(|(code, rs)| {
                let mut properties = serde_json::Map::new();
                properties.insert("RS".into(), Value::String((*rs).into()));
                SocialSpace {
                    code: (*code).into(),
                    name: None,
                    municipality: None,
                    geometry: geo::MultiPolygon(vec![]),
                    area_m2: 0.0,
                    action_fields: ActionFieldSet::EMPTY,
                    properties: properties.into(),
                    source_feature: 0,
                }
            })
            .collect();
        Region::new(
            "t".into(),
            spaces,
            vec![],
            SourceInfo::default(),
            PlanarCrs { epsg: 25832 },
            Default::default(),
        )
    }

    #[test]
    fn keys_match_despite_spaces_case_prefixes_and_lost_zeros() {
        let cases = [
            ("AC 1", "ac1"),
            ("k053340002002", "53340002002"),
            ("053340002002", "53340002002"),
            ("5334002", "5334002"),
            ("A 1a", "a1a"),
            ("k12", "k12"),
            ("000", "0"),
        ];
        for (text, expected) in cases {
            assert_eq!(normalize_key(text), expected, "{text}");
        }
    }

    #[test]
    fn a_long_table_keeps_every_year_and_reports_each() {
        let r = region(&[("AC 1", "1"), ("AC 2", "2")]);
        let csv = "Code;Indikator;Jahr;Wert\nAC 1;Quote;2018;10\nXY 9;Quote;2018;1\n\
                   AC 1;Quote;2022;12\nAC 2;Quote;2022;8\nZZ 1;Quote;2022;3\n";
        let table = parse_csv(csv.as_bytes(), "lang.csv").expect("table");
        let options = JoinOptions {
            layout: Layout::Long {
                indicator: vec!["Indikator".into()],
                value: "Wert".into(),
                year: Some(("Jahr".into(), None)),
            },
            ..JoinOptions::default()
        };
        let (indicators, report) =
            join_table(&r, &IndicatorTable::default(), &table, &options).expect("join");
        use IndicatorValue::{Missing, Number};
        assert_eq!(
            indicators[0].1,
            JoinedValues::Dated(vec![
                (2018, vec![Number(10.0), Missing]),
                (2022, vec![Number(12.0), Number(8.0)]),
            ])
        );
        assert_eq!(
            report.years,
            vec![
                YearCount {
                    year: 2018,
                    areas: 1
                },
                YearCount {
                    year: 2022,
                    areas: 2
                }
            ]
        );
        assert_eq!(
            report.unmatched_rows,
            vec![(3, "XY 9".to_string()), (6, "ZZ 1".to_string())]
        );
        let mut merged = IndicatorTable::default();
        merge_joined(&mut merged, indicators);
        assert_eq!(merged.years(0), &[2018, 2022]);
        assert_eq!(merged.value(0, 0), Number(12.0), "current: the latest year");
    }

    #[test]
    fn only_one_year_of_a_long_table_when_asked_and_a_bad_year_is_named() {
        let r = region(&[("AC 1", "1")]);
        let csv = "Code;Indikator;Jahr;Wert\nAC 1;Quote;2018;10\nAC 1;Quote;2022;12\nAC 1;Quote;zweitausend;1\n";
        let table = parse_csv(csv.as_bytes(), "lang.csv").expect("table");
        let long = |only: Option<&str>| JoinOptions {
            layout: Layout::Long {
                indicator: vec!["Indikator".into()],
                value: "Wert".into(),
                year: Some(("Jahr".into(), only.map(str::to_string))),
            },
            ..JoinOptions::default()
        };
        let (indicators, _) =
            join_table(&r, &IndicatorTable::default(), &table, &long(Some("2018"))).expect("join");
        assert_eq!(
            indicators[0].1,
            JoinedValues::Dated(vec![(2018, vec![IndicatorValue::Number(10.0)])])
        );
        assert_eq!(
            join_table(&r, &IndicatorTable::default(), &table, &long(None)).err(),
            Some(JoinError::BadYear(4, "zweitausend".into()))
        );
    }

    #[test]
    fn one_wide_table_per_year_builds_a_series() {
        let r = region(&[("AC 1", "1"), ("AC 2", "2")]);
        let mut t = IndicatorTable::default();
        for (year, csv) in [
            (2016, "Code;Quote\nAC 1;10\nAC 2;20\n"),
            (2022, "Code;Quote\nAC 1;12\n"),
        ] {
            let table = parse_csv(csv.as_bytes(), "werte.csv").expect("table");
            let options = JoinOptions {
                table_year: Some(year),
                ..JoinOptions::default()
            };
            let (joined, report) = join_table(&r, &t, &table, &options).expect("join");
            assert_eq!(report.years.len(), 1);
            merge_joined(&mut t, joined);
        }
        use IndicatorValue::{Missing, Number};
        assert_eq!(t.years(0), &[2016, 2022]);
        assert_eq!(
            t.column_in(0, 2016),
            Some(&[Number(10.0), Number(20.0)][..])
        );
        assert_eq!(t.column_in(0, 2022), Some(&[Number(12.0), Missing][..]));
    }

    #[test]
    fn a_wide_table_joins_by_code_and_reports_what_does_not_fit() {
        let r = region(&[("AC 1", "1"), ("AC 2", "2"), ("AC 3", "3")]);
        let csv = "Code;SGB-II-Quote;Alleinerziehende\nAC 1;24,1;*\nac2;3,5;k.A.\nXY 9;1,0;2,0\nAC 1;99;99\n";
        let table = parse_csv(csv.as_bytes(), "werte.csv").expect("table");
        let (indicators, report) = join_table(
            &r,
            &IndicatorTable::default(),
            &table,
            &JoinOptions::default(),
        )
        .expect("join");
        assert_eq!(report.key_column, "Code");
        assert_eq!(report.target, "Code");
        assert_eq!(report.indicators, vec!["sgb_ii_quote", "alleinerziehende"]);
        let (quote, values) = &indicators[0];
        let values = values.current();
        assert_eq!(quote.unit, Unit::Percent);
        assert_eq!(
            values[0],
            IndicatorValue::Number(24.1),
            "the first row wins over the duplicate"
        );
        assert_eq!(values[1], IndicatorValue::Number(3.5));
        assert_eq!(values[2], IndicatorValue::Missing);
        assert_eq!(
            indicators[1].1.current()[0],
            IndicatorValue::Suppressed,
            "never zero"
        );
        assert_eq!(report.matched_areas, 2);
        assert_eq!(report.areas_without_data, vec!["AC 3"]);
        assert_eq!(report.unmatched_rows, vec![(4, "XY 9".to_string())]);
        assert_eq!(
            report.duplicate_keys,
            vec![("AC 1".to_string(), vec![2, 5])]
        );
        assert_eq!(
            report.bad_cells,
            vec![BadCell {
                line: 3,
                column: "Alleinerziehende".into(),
                text: "k.A.".into()
            }]
        );
        assert_eq!(report.suppressed, 1);
    }

    #[test]
    fn a_prefixed_key_finds_the_matching_property() {
        let r = region(&[("05334002", "053340002002"), ("05334004", "053340004004")]);
        let table = parse_csv(
            b"AGS;Einwohner\nk053340002002;236.420\nk053340004004;46.567\n",
            "z.csv",
        )
        .expect("t");
        let (indicators, report) = join_table(
            &r,
            &IndicatorTable::default(),
            &table,
            &JoinOptions::default(),
        )
        .expect("join");
        assert_eq!(report.target, "RS");
        assert_eq!(
            indicators[0].1.current()[0],
            IndicatorValue::Number(236_420.0)
        );
    }

    #[test]
    fn a_long_table_is_pivoted_per_year() {
        let r = region(&[("101", "x"), ("102", "y")]);
        let csv = "jahr;raum_id;tabelle;zeile;zahl\n\
                   2011;101;Einwohner;insgesamt;100\n\
                   2012;101;Einwohner;insgesamt;110\n\
                   2012;102;Einwohner;insgesamt;200\n\
                   2012;101;Alter;unter 18;20\n\
                   2012;000;Einwohner;insgesamt;310\n";
        let table = parse_csv(csv.as_bytes(), "lang.csv").expect("t");
        let options = JoinOptions {
            key_column: Some("raum_id".into()),
            target: None,
            layout: Layout::Long {
                indicator: vec!["tabelle".into(), "zeile".into()],
                value: "zahl".into(),
                year: Some(("jahr".into(), None)),
            },
            table_year: None,
            crosswalk: None,
        };
        let (indicators, report) =
            join_table(&r, &IndicatorTable::default(), &table, &options).expect("join");
        assert_eq!(report.years.last().map(|y| y.year), Some(2012));
        assert_eq!(
            report.indicators,
            vec!["einwohner_insgesamt", "alter_unter_18"]
        );
        assert_eq!(
            indicators[0].1.current(),
            &[IndicatorValue::Number(110.0), IndicatorValue::Number(200.0)]
        );
        assert_eq!(indicators[1].1.current()[1], IndicatorValue::Missing);
        assert_eq!(report.unmatched_rows, vec![(6, "000".to_string())]);
    }

    #[test]
    fn a_table_that_fits_no_area_says_so() {
        let r = region(&[("AC 1", "rs-1")]);
        let table = parse_csv(b"a;b\nzz;1\n", "x.csv").expect("t");
        assert_eq!(
            join_table(
                &r,
                &IndicatorTable::default(),
                &table,
                &JoinOptions::default()
            )
            .err(),
            Some(JoinError::NoKey)
        );
    }
}
