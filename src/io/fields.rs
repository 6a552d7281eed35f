//! Which property holds the code, the name, the municipality, the classification.
//!
//! Users bring files from many sources: the demo uses `code`/`name`/`kommune`, Aachen's
//! districts `STATBEZ`/`ST_NAME`, Cologne `STT_NR`/`STT_NAME`, the BKG `AGS`/`GEN`. Detection
//! tries well-known names first, then names that look like keys and whose values are unique,
//! then the GeoJSON feature id. Whatever is given explicitly (command line, dialog, the file's
//! own `atlas.fields`) wins.

use std::collections::HashSet;

use serde_json::Value;

use crate::model::{FieldMapping, Properties};

/// Explicit choices that override detection; `None` means "detect".
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldOverrides {
    /// Property with the code.
    pub code: Option<String>,
    /// Property with the name.
    pub name: Option<String>,
    /// Property with the municipality.
    pub municipality: Option<String>,
    /// Property with the Handlungsfeld classification.
    pub action_fields: Option<String>,
}

impl FieldOverrides {
    /// These choices, each falling back to `other`'s where this one has none.
    pub fn or(&self, other: &FieldOverrides) -> FieldOverrides {
        FieldOverrides {
            code: self.code.clone().or_else(|| other.code.clone()),
            name: self.name.clone().or_else(|| other.name.clone()),
            municipality: self
                .municipality
                .clone()
                .or_else(|| other.municipality.clone()),
            action_fields: self
                .action_fields
                .clone()
                .or_else(|| other.action_fields.clone()),
        }
    }
}

const CODE_NAMES: &[&str] = &[
    "code",
    "sozialraum_code",
    "sozialraumcode",
    "sozialraum",
    "sr_code",
    "sr_nr",
    "srnr",
    "sozialraum_nr",
    "kennung",
    "schluessel",
    "schlüssel",
    "id",
    "nr",
    "nummer",
    "key",
    "ags",
];
const CODE_HINTS: &[&str] = &["code", "nr", "id", "schl", "kenn", "key", "bez", "num"];
const NAME_NAMES: &[&str] = &[
    "name",
    "sozialraum_name",
    "sr_name",
    "bezeichnung",
    "gen",
    "titel",
    "label",
];
const MUNICIPALITY_NAMES: &[&str] = &[
    "kommune",
    "gemeinde",
    "municipality",
    "stadt",
    "kommune_name",
    "gemeinde_name",
];
const MUNICIPALITY_KEY_NAMES: &[&str] =
    &["ags", "kommune_ags", "gemeinde_ags", "gemeindeschluessel"];
const ACTION_FIELD_NAMES: &[&str] = &[
    "handlungsfelder",
    "handlungsfeld",
    "hf",
    "action_fields",
    "gestaltungsbedarf",
];
const POPULATION_NAMES: &[&str] = &[
    "einwohner",
    "bevoelkerung",
    "bevölkerung",
    "population",
    "ew",
];

pub use crate::analysis::join::code_text;

/// Property names in first-seen order over all features.
fn property_names<'a>(all: impl Iterator<Item = &'a Properties>) -> Vec<String> {
    let mut seen = HashSet::new();
    let mut names = Vec::new();
    for props in all {
        for key in props.keys() {
            if seen.insert(key) {
                names.push(key.to_string());
            }
        }
    }
    names
}

fn find_exact(names: &[String], wanted: &[&str]) -> Option<String> {
    wanted.iter().find_map(|w| {
        names
            .iter()
            .find(|n| n.eq_ignore_ascii_case(w) || n.to_lowercase() == *w)
            .cloned()
    })
}

/// Share of features whose value of `field` is a usable, distinct code.
fn uniqueness(props: &[&Properties], field: &str) -> f64 {
    if props.is_empty() {
        return 0.0;
    }
    let mut seen = HashSet::new();
    let distinct = props
        .iter()
        .filter_map(|p| p.get(field).and_then(code_text))
        .filter(|c| seen.insert(c.clone()))
        .count();
    distinct as f64 / props.len() as f64
}

/// Detects the field mapping from the features' properties and ids.
/// `ids` holds each feature's `id` member (None where absent).
pub fn detect(
    props: &[&Properties],
    ids: &[Option<&Value>],
    overrides: &FieldOverrides,
) -> FieldMapping {
    let names = property_names(props.iter().copied());
    let code = overrides
        .code
        .clone()
        .or_else(|| detect_code(&names, props, ids));
    let name = overrides.name.clone().or_else(|| {
        find_exact(&names, NAME_NAMES)
            .or_else(|| {
                names
                    .iter()
                    .find(|n| n.to_lowercase().contains("name") && Some(*n) != code.as_ref())
                    .cloned()
            })
            .filter(|n| Some(n) != code.as_ref())
            // A field the user named for the municipality is not also taken as the name.
            .filter(|n| overrides.municipality.as_ref() != Some(n))
    });
    let municipality = overrides
        .municipality
        .clone()
        .or_else(|| find_exact(&names, MUNICIPALITY_NAMES))
        .filter(|m| Some(m) != name.as_ref());
    let municipality_key = municipality
        .as_ref()
        .and_then(|_| find_exact(&names, MUNICIPALITY_KEY_NAMES))
        .filter(|k| Some(k) != code.as_ref());
    let action_fields = overrides
        .action_fields
        .clone()
        .or_else(|| find_exact(&names, ACTION_FIELD_NAMES));
    let population = find_exact(&names, POPULATION_NAMES).or_else(|| {
        names
            .iter()
            .find(|n| {
                let l = n.to_lowercase();
                l.starts_with("einwohner") || l.starts_with("bevoelkerung")
            })
            .cloned()
    });
    FieldMapping {
        code,
        name,
        municipality,
        municipality_key,
        action_fields,
        population,
    }
}

fn detect_code(names: &[String], props: &[&Properties], ids: &[Option<&Value>]) -> Option<String> {
    // A well-known name wins if most features have a value there.
    if let Some(known) = find_exact(names, CODE_NAMES).filter(|f| uniqueness(props, f) >= 0.5) {
        return Some(known);
    }
    // Then a key-like name with unique values.
    let name_like = |l: &str| l.contains("name") || NAME_NAMES.contains(&l);
    let hinted = names.iter().find(|n| {
        let l = n.to_lowercase();
        CODE_HINTS.iter().any(|h| l.contains(h)) && !name_like(&l) && uniqueness(props, n) >= 0.99
    });
    if let Some(h) = hinted {
        return Some(h.clone());
    }
    // Then the feature id, if features have distinct ones.
    let mut seen = HashSet::new();
    let distinct_ids = ids
        .iter()
        .filter_map(|id| id.and_then(code_text))
        .filter(|c| seen.insert(c.clone()))
        .count();
    if !ids.is_empty() && distinct_ids as f64 / ids.len() as f64 >= 0.99 {
        return None;
    }
    // Finally any property with unique values.
    names.iter().find(|n| uniqueness(props, n) >= 0.99).cloned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn maps(values: &[Value]) -> Vec<Properties> {
        values
            .iter()
            .map(|v| Properties::from(v.as_object().cloned().expect("object")))
            .collect()
    }

    fn detect_in(values: &[Value]) -> FieldMapping {
        let owned = maps(values);
        let props: Vec<&Properties> = owned.iter().collect();
        let ids = vec![None; props.len()];
        detect(&props, &ids, &FieldOverrides::default())
    }

    #[test]
    fn fields_of_real_sources_are_recognised() {
        // (properties of two features, expected code, name, municipality)
        let cases = [
            (
                vec![
                    json!({"code":"AC 1","name":"Markt","kommune":"Aachen","ags":"05334002","handlungsfelder":"1;3","einwohner":100}),
                    json!({"code":"AC 2","name":"Dom","kommune":"Aachen","ags":"05334002","handlungsfelder":"","einwohner":50}),
                ],
                Some("code"),
                Some("name"),
                Some("kommune"),
            ),
            (
                vec![
                    json!({"STATBEZ":10,"ST_NAME":"Markt"}),
                    json!({"STATBEZ":11,"ST_NAME":"Theater"}),
                ],
                Some("STATBEZ"),
                Some("ST_NAME"),
                None,
            ),
            (
                vec![
                    json!({"STT_NR":"909","STT_NAME":"Flittard","SHAPE_AREA":1.0}),
                    json!({"STT_NR":"101","STT_NAME":"Altstadt-Süd","SHAPE_AREA":1.0}),
                ],
                Some("STT_NR"),
                Some("STT_NAME"),
                None,
            ),
            (
                vec![
                    json!({"ADE":6,"GF":4,"RS":"084355007053","AGS":"08435053","GEN":"Sipplingen"}),
                    json!({"ADE":6,"GF":4,"RS":"084355007054","AGS":"08435054","GEN":"Überlingen"}),
                ],
                Some("AGS"),
                Some("GEN"),
                None,
            ),
        ];
        for (features, code, name, municipality) in cases {
            let m = detect_in(&features);
            assert_eq!(m.code.as_deref(), code, "{features:?}");
            assert_eq!(m.name.as_deref(), name, "{features:?}");
            assert_eq!(m.municipality.as_deref(), municipality, "{features:?}");
        }
    }

    #[test]
    fn a_municipality_field_the_user_names_wins_over_the_guessed_name() {
        let values = [
            json!({"AGS":"05334002","GEN":"Aachen"}),
            json!({"AGS":"05334004","GEN":"Alsdorf"}),
        ];
        let owned = maps(&values);
        let props: Vec<&Properties> = owned.iter().collect();
        let ids = vec![None; props.len()];
        let guessed = detect(&props, &ids, &FieldOverrides::default());
        assert_eq!(guessed.name.as_deref(), Some("GEN"));
        let overrides = FieldOverrides {
            municipality: Some("GEN".into()),
            ..FieldOverrides::default()
        };
        let m = detect(&props, &ids, &overrides);
        assert_eq!(
            m.municipality.as_deref(),
            Some("GEN"),
            "it was dropped silently"
        );
        assert_eq!(m.name, None);
    }

    #[test]
    fn the_demo_fields_include_classification_population_and_key() {
        let m = detect_in(&[
            json!({"code":"AC 1","kommune":"Aachen","ags":"05334002","handlungsfelder":"1","einwohner":1}),
            json!({"code":"AC 2","kommune":"Aachen","ags":"05334002","handlungsfelder":"","einwohner":2}),
        ]);
        assert_eq!(m.action_fields.as_deref(), Some("handlungsfelder"));
        assert_eq!(m.population.as_deref(), Some("einwohner"));
        assert_eq!(m.municipality_key.as_deref(), Some("ags"));
    }

    #[test]
    fn distinct_feature_ids_are_used_when_no_property_is_a_code() {
        let owned = maps(&[json!({"farbe":"rot"}), json!({"farbe":"rot"})]);
        let props: Vec<&Properties> = owned.iter().collect();
        let a = json!("X-1");
        let b = json!("X-2");
        let m = detect(&props, &[Some(&a), Some(&b)], &FieldOverrides::default());
        assert_eq!(m.code, None);
    }

    #[test]
    fn overrides_win_over_detection() {
        let owned = maps(&[json!({"code":"1","alt":"A"}), json!({"code":"2","alt":"B"})]);
        let props: Vec<&Properties> = owned.iter().collect();
        let overrides = FieldOverrides {
            code: Some("alt".into()),
            ..FieldOverrides::default()
        };
        assert_eq!(
            detect(&props, &[None, None], &overrides).code.as_deref(),
            Some("alt")
        );
    }

    #[test]
    fn codes_are_read_from_strings_and_integral_numbers() {
        assert_eq!(code_text(&json!(" AC 1 ")), Some("AC 1".into()));
        assert_eq!(code_text(&json!(12)), Some("12".into()));
        assert_eq!(code_text(&json!(12.0)), Some("12".into()));
        assert_eq!(code_text(&json!(12.5)), None);
        assert_eq!(code_text(&json!("")), None);
        assert_eq!(code_text(&json!(null)), None);
    }
}
