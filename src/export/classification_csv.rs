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

/// What changed between two sets of fields: "neu: 1, 3 · entfallen: 2" (empty: nothing).
pub fn field_change_text(
    before: crate::model::ActionFieldSet,
    after: crate::model::ActionFieldSet,
    lang: Lang,
) -> String {
    let list = |set: crate::model::ActionFieldSet| {
        set.iter()
            .map(|f| f.number().to_string())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let added = list(after.difference(before));
    let dropped = list(before.difference(after));
    let mut parts = Vec::new();
    if !added.is_empty() {
        parts.push(lang.tf(T::FieldsAdded, &[("list", &added)]));
    }
    if !dropped.is_empty() {
        parts.push(lang.tf(T::FieldsDropped, &[("list", &dropped)]));
    }
    parts.join(" · ")
}

/// The whole CSV text, BOM included. Fields are written as numbers joined by `,` (e.g. `1,3`);
/// reasons per field are joined by ` | ` and name each condition with its value and result.
/// The reasons quote the values of `year` (None: the current values), as the classification did.
/// With `earlier` (a year and the classification by its values) two more columns say which
/// fields each area had then and what changed since.
pub fn classification_csv(
    map: &MapExport<'_>,
    year: Option<crate::model::Year>,
    earlier: Option<(crate::model::Year, &crate::analysis::rules::Classification)>,
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
    let mut header: Vec<String> = HEADER.iter().map(|h| h.to_string()).collect();
    if let Some((y, _)) = earlier {
        header.push(format!("handlungsfelder_{y}"));
        header.push("veraenderung".to_string());
    }
    csv.push_str(&header.join(";"));
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
        let mut row = vec![
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
        if let Some((_, then)) = earlier {
            let before = then.fields.get(i).copied().unwrap_or_default();
            row.push(before.to_numbers());
            row.push(field_change_text(before, c.fields[i], lang));
        }
        let fields: Vec<String> = row.iter().map(|f| csv_field(f)).collect();
        csv.push_str(&fields.join(";"));
        csv.push_str("\r\n");
    }
    csv
}
