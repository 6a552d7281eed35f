//! What a Sozialraumprofil says, worked out once: title, municipality, facts, the
//! Handlungsfelder with their reasons in words, one spine-chart row per indicator (the area
//! against municipality and region on the region's range), the series, the measures and the
//! source line. The printed page ([`super::page::profile`]) draws it and the offline atlas
//! writes it, so both show the same content. Every value here is *published*: one withheld
//! for data protection reads "geheim" (a share from fewer than 3 cases) or "< 3" (the count
//! itself) and its number is nowhere in the content — not as text, position or rank.

use crate::analysis::IndicatorStats;
use crate::analysis::rules::FieldExplanation;
use crate::i18n::{Lang, T, format};
use crate::model::{ActionField, Aggregation, IndicatorTable, Measure, Polarity, Region, Year};
use crate::scene::text::{format_value, published_condition_text};
use crate::spatial::prepared::PreparedMap;

/// Everything one profile is made of.
pub struct ProfileInput<'a> {
    /// The areas.
    pub region: &'a Region,
    /// Indicator values.
    pub indicators: &'a IndicatorTable,
    /// Their statistics (region, municipalities, ranks, ranges).
    pub stats: &'a [IndicatorStats],
    /// Prepared geometry, for the page's locator map.
    pub prepared: &'a PreparedMap,
    /// Why the area is or is not in each field.
    pub fields: &'a [FieldExplanation],
    /// The measures attached to the area.
    pub measures: &'a [&'a Measure],
    /// The area.
    pub area: usize,
    /// "Stand: … · Quelle …".
    pub source_line: String,
}

/// One Handlungsfeld of the profile.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldLine {
    /// The field.
    pub field: ActionField,
    /// The area is in it.
    pub member: bool,
    /// "✓ 1 Benachteiligte Sozialräume" or "– 2 …".
    pub label: String,
    /// The reasons in plain words, and an override with its reason (members only).
    pub reasons: Vec<String>,
}

/// One row of the spine chart: positions on the region's range, texts beside it.
#[derive(Debug, Clone, PartialEq)]
pub struct SpineRow {
    /// The indicator's position in the table.
    pub indicator: usize,
    /// Its label in the profile's language.
    pub label: String,
    /// The published value ("28,2 % (412)", "geheim", "< 3", "keine Daten").
    pub value: String,
    /// "3 von 93" or "–".
    pub rank: String,
    /// The region's lowest and highest value.
    pub range: Option<(f64, f64)>,
    /// The region's value (None for summed counts, whose sum is no comparison).
    pub region: Option<f64>,
    /// The municipality's value (likewise).
    pub municipality: Option<f64>,
    /// The area's value; None when missing or withheld.
    pub area: Option<f64>,
    /// The area is on the side of need (true), of strength (false), or neither is defined.
    pub need: Option<bool>,
}

/// The values per year of the indicators with several years.
#[derive(Debug, Clone, PartialEq)]
pub struct SeriesTable {
    /// The years, ascending.
    pub years: Vec<Year>,
    /// Per indicator its label and one published cell per year ("–": no value that year).
    pub rows: Vec<(String, Vec<String>)>,
    /// Some value is an estimate (marked "*").
    pub estimates: bool,
}

/// The content of one profile.
#[derive(Debug, Clone, PartialEq)]
pub struct ProfileContent {
    /// Code and name.
    pub title: String,
    /// The municipality's name.
    pub municipality: Option<String>,
    /// "Einwohner: 12.345", "Fläche: 2,34 km²".
    pub facts: Vec<String>,
    /// The four Handlungsfelder.
    pub fields: Vec<FieldLine>,
    /// Every indicator with statistics.
    pub spine: Vec<SpineRow>,
    /// The series, when the table has several years.
    pub series: Option<SeriesTable>,
    /// One line per measure: "M-3 Title — Felder 1, 3 · … · 20.000 €".
    pub measures: Vec<String>,
    /// The source line.
    pub source_line: String,
}

/// The published text of a value of `column` for `space` in `year` (None: current): the
/// number with its unit (and its case count beside a share), "geheim" for a share withheld
/// for data protection, "< 3" for a count too small to publish.
pub fn published_value(
    table: &IndicatorTable,
    column: usize,
    space: usize,
    year: Option<Year>,
    lang: Lang,
) -> String {
    let Some(indicator) = table.indicators().get(column) else {
        return String::new();
    };
    if table.is_small_number_at(column, space, year) {
        return if table.is_case_count(column) {
            format!("< {}", format::number(crate::model::MIN_CASES, 0, lang))
        } else {
            lang.t(T::ValueSuppressed).to_string()
        };
    }
    let year = table.year_shown(column, year);
    let mut text = format_value(table.value_at(column, space, year), indicator, lang);
    if let Some(cases) = indicator
        .cases
        .as_deref()
        .and_then(|k| table.position(k))
        .and_then(|c| table.value_at(c, space, year).number())
    {
        text = format!("{text} ({})", format::number(cases, 0, lang));
    }
    text
}

/// The content of the profile of `input.area`.
pub fn profile_content(input: &ProfileInput<'_>, lang: Lang) -> ProfileContent {
    let space = &input.region.spaces[input.area];
    let population = input
        .region
        .mapping
        .population
        .as_ref()
        .and_then(|p| space.properties.get(p))
        .and_then(serde_json::Value::as_f64);
    let mut facts = Vec::new();
    if let Some(p) = population {
        facts.push(format!(
            "{}: {}",
            lang.t(T::InspectorPopulation),
            format::number(p, 0, lang)
        ));
    }
    facts.push(format!(
        "{}: {} km²",
        lang.t(T::InspectorArea),
        format::number(space.area_m2 / 1e6, 2, lang)
    ));
    ProfileContent {
        title: space.display_name(),
        municipality: input
            .region
            .municipality_of(input.area)
            .map(|m| m.name.clone()),
        facts,
        fields: field_lines(input, lang),
        spine: spine_rows(input, lang),
        series: series_table(input, lang),
        measures: input
            .measures
            .iter()
            .map(|m| measure_line(m, lang))
            .collect(),
        source_line: input.source_line.clone(),
    }
}

fn field_lines(input: &ProfileInput<'_>, lang: Lang) -> Vec<FieldLine> {
    input
        .fields
        .iter()
        .map(|e| {
            let mark = if e.member { "✓" } else { "–" };
            let name = crate::scene::field_name(e.field, lang);
            let mut reasons = Vec::new();
            if e.member {
                reasons.extend(
                    e.results
                        .iter()
                        .map(|r| published_condition_text(r, input.indicators, input.area, lang)),
                );
                if let Some(o) = &e.overridden {
                    reasons.push(format!("{}: „{}“", lang.t(T::Overridden), o.reason));
                }
            }
            FieldLine {
                field: e.field,
                member: e.member,
                label: format!("{mark} {} {name}", e.field.number()),
                reasons,
            }
        })
        .collect()
}

fn spine_rows(input: &ProfileInput<'_>, lang: Lang) -> Vec<SpineRow> {
    let table = input.indicators;
    let municipality = input.region.spaces[input.area].municipality;
    let mut rows = Vec::new();
    for (c, indicator) in table.indicators().iter().enumerate() {
        let Some(stats) = input.stats.get(c) else {
            continue;
        };
        let withheld = table.is_small_number(c, input.area);
        let summed = matches!(indicator.aggregation, Aggregation::Sum);
        let region = stats.region.filter(|_| !summed);
        let area = table
            .value(c, input.area)
            .number()
            .filter(|_| !withheld && stats.range.is_some());
        let need = match (area, indicator.polarity, region) {
            (Some(v), Polarity::HighIsNeed, Some(r)) => Some(v > r),
            (Some(v), Polarity::HighIsStrength, Some(r)) => Some(v < r),
            _ => None,
        };
        let rank = stats
            .rank
            .get(input.area)
            .copied()
            .flatten()
            .filter(|_| !withheld);
        rows.push(SpineRow {
            indicator: c,
            label: indicator.label(lang.is_english()).to_string(),
            value: published_value(table, c, input.area, None, lang),
            rank: crate::scene::text::rank_text(rank, lang),
            range: stats.range,
            region,
            municipality: municipality
                .and_then(|m| stats.municipality.get(m).copied().flatten())
                .filter(|_| !summed),
            area,
            need,
        });
    }
    rows
}

fn series_table(input: &ProfileInput<'_>, lang: Lang) -> Option<SeriesTable> {
    let table = input.indicators;
    let years = table.all_years();
    if years.len() < 2 {
        return None;
    }
    let mut rows = Vec::new();
    for (c, indicator) in table.indicators().iter().enumerate() {
        if table.years(c).len() < 2 {
            continue;
        }
        let cells = years
            .iter()
            .map(|&y| {
                if table.is_small_number_at(c, input.area, Some(y)) {
                    published_value(table, c, input.area, Some(y), lang)
                } else if table.years(c).contains(&y) {
                    let mut t =
                        format_value(table.value_at(c, input.area, Some(y)), indicator, lang);
                    if table.is_estimated(c, input.area, Some(y)) {
                        t.push('*');
                    }
                    t
                } else {
                    "–".to_string()
                }
            })
            .collect();
        rows.push((indicator.label(lang.is_english()).to_string(), cells));
    }
    Some(SeriesTable {
        years,
        rows,
        estimates: table.has_estimates(),
    })
}

/// "M-3 Title — Felder 1, 3 · Region · geplant · 01.01.2027–31.12.2028 · 20.000 €".
fn measure_line(m: &Measure, lang: Lang) -> String {
    let fields: Vec<String> = m.fields.iter().map(|f| f.number().to_string()).collect();
    let period = match (m.start, m.end) {
        (Some(a), Some(b)) => format!("{}–{}", format::date(a, lang), format::date(b, lang)),
        (Some(a), None) => format!("{} {}", lang.t(T::ProfileFrom), format::date(a, lang)),
        (None, Some(b)) => format!("{} {}", lang.t(T::ProfileUntil), format::date(b, lang)),
        (None, None) => String::new(),
    };
    let budget = m
        .budget_eur
        .map(|b| format!("{} €", format::number(b, 0, lang)))
        .unwrap_or_default();
    let details: Vec<String> = [
        (!fields.is_empty()).then(|| format!("{} {}", lang.t(T::ProfileFields), fields.join(", "))),
        Some(crate::i18n::labels::responsibility(m.responsibility, lang).to_string()),
        Some(crate::i18n::labels::status(m.status, lang).to_string()),
        (!period.is_empty()).then_some(period),
        (!budget.is_empty()).then_some(budget),
    ]
    .into_iter()
    .flatten()
    .collect();
    format!("{} {} — {}", m.id, m.title, details.join(" · "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Indicator, IndicatorValue::Number, Unit};

    #[test]
    fn a_withheld_share_reads_geheim_and_its_small_count_less_than_three() {
        let mut t = IndicatorTable::default();
        let mut quote = Indicator::from_key("quote");
        quote.cases = Some("faelle".into());
        quote.unit = Unit::Percent;
        quote.decimals = 1;
        t.push(quote, vec![Number(28.25), Number(93.71)]);
        let mut faelle = Indicator::from_key("faelle");
        faelle.decimals = 0;
        t.push(faelle, vec![Number(412.0), Number(2.0)]);
        assert_eq!(published_value(&t, 0, 0, None, Lang::De), "28,3 % (412)");
        assert_eq!(published_value(&t, 1, 0, None, Lang::De), "412");
        assert_eq!(published_value(&t, 0, 1, None, Lang::De), "geheim");
        assert_eq!(published_value(&t, 1, 1, None, Lang::De), "< 3");
        assert_eq!(published_value(&t, 0, 1, None, Lang::En), "suppressed");
    }
}
