//! The classification as a German Excel CSV (`;`, UTF-8 with BOM, CRLF): one row per area with
//! its fields from the data, from the rules and after overrides, and the reasons in words — so
//! results can be checked outside the app.

use crate::analysis::rules::Evaluator;
use crate::i18n::{Lang, T};
use crate::io::cells::csv_field;
use crate::io::export_geojson::MapExport;
use crate::scene::text::field_explanation_text;

/// The column names of the result file.
pub const HEADER: [&str; 7] = [
    "code",
    "name",
    "kommune",
    "handlungsfelder_daten",
    "handlungsfelder_regeln",
    "handlungsfelder_final",
    "begruendung",
];

/// The whole CSV text, BOM included. Fields are written as numbers joined by `,` (e.g. `1,3`);
/// reasons per field are joined by ` | ` and name each condition with its value and result.
/// The reasons quote the values of `year` (None: the current values), as the classification did.
pub fn classification_csv(
    map: &MapExport<'_>,
    year: Option<crate::model::Year>,
    lang: Lang,
) -> String {
    let MapExport {
        region,
        indicators,
        rules,
        overrides,
        classification: c,
        ..
    } = *map;
    let evaluator = Evaluator::in_year(region, indicators, rules, year);
    let mut csv = String::from("\u{feff}");
    csv.push_str(&HEADER.join(";"));
    csv.push_str("\r\n");
    for (i, space) in region.spaces.iter().enumerate() {
        let reasons: Vec<String> = if c.from_rules || !overrides.is_empty() {
            evaluator
                .explain(i, overrides)
                .iter()
                .filter(|e| e.combinator.is_some() || e.overridden.is_some())
                .map(|e| field_explanation_text(e, indicators, lang))
                .collect()
        } else if !c.classified {
            // No classification in the data and no rules: not "no need", but not classified.
            vec![lang.t(T::LegendNotClassified).to_string()]
        } else {
            Vec::new()
        };
        let row = [
            space.code.clone(),
            space.name.clone().unwrap_or_default(),
            region
                .municipality_of(i)
                .map(|m| m.name.clone())
                .unwrap_or_default(),
            c.official[i].to_numbers(),
            c.by_rules[i].to_numbers(),
            c.fields[i].to_numbers(),
            reasons.join(" | "),
        ];
        let fields: Vec<String> = row.iter().map(|f| csv_field(f)).collect();
        csv.push_str(&fields.join(";"));
        csv.push_str("\r\n");
    }
    csv
}
