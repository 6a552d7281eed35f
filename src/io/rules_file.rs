//! The rules file: Handlungsfeld rules and overrides in a readable TOML format.
//!
//! German keys, because planners read and edit these files:
//!
//! ```toml
//! [[feld]]
//! nummer = 1                  # 1–4
//! verknuepfung = "alle"       # "alle", "eine" or "mindestens 2"
//! bedingungen = [
//!   { indikator = "sgb2_quote", mass = "z", bezug = "region", vergleich = ">=", schwelle = 1.0 },
//!   { indikator = "arbeitslosenquote", mass = "perzentil", vergleich = ">=", schwelle = 75 },
//! ]
//!
//! [[uebersteuerung]]
//! code = "AC 3"
//! feld = 1
//! drin = true
//! begruendung = "Neubaugebiet, Daten noch von 2016"
//! ```
//!
//! The same structure, as JSON, is the `rules` and `overrides` of a map's `atlas` member.

use std::path::Path;

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::model::{
    ActionField, Combinator, Comparison, Condition, FieldRule, Override, Reference, RuleSet, Score,
};

/// A rules file as written on disk.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RulesDocument {
    /// One entry per Handlungsfeld.
    #[serde(rename = "feld", default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<FieldDto>,
    /// Overrides.
    #[serde(
        rename = "uebersteuerung",
        default,
        skip_serializing_if = "Vec::is_empty"
    )]
    pub overrides: Vec<OverrideDto>,
}

/// The rule of one field.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FieldDto {
    /// 1–4.
    pub nummer: u8,
    /// "alle", "eine" or "mindestens N".
    #[serde(default = "default_combinator")]
    pub verknuepfung: String,
    /// The conditions.
    #[serde(default)]
    pub bedingungen: Vec<ConditionDto>,
}

fn default_combinator() -> String {
    "alle".to_string()
}

/// One condition.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConditionDto {
    /// Indicator key.
    pub indikator: String,
    /// "z", "perzentil" or "wert".
    pub mass: String,
    /// For z: "region" (default) or "kommune".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bezug: Option<String>,
    /// ">=" or "<=".
    pub vergleich: String,
    /// The threshold.
    pub schwelle: f64,
    /// The year whose values count (default: the latest).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub jahr: Option<i32>,
    /// On the change since this year instead of the value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seit: Option<i32>,
}

/// One override.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OverrideDto {
    /// Area code.
    pub code: String,
    /// Field 1–4.
    pub feld: u8,
    /// In (true) or out (false).
    pub drin: bool,
    /// Why.
    pub begruendung: String,
}

/// Problems with a rules file.
#[derive(Debug, Error)]
pub enum RulesError {
    /// The file cannot be read or written.
    #[error("{file}: {source}")]
    Io {
        /// The file.
        file: String,
        /// The cause.
        source: std::io::Error,
    },
    /// Not valid TOML.
    #[error("{file}: {message}")]
    Syntax {
        /// The file.
        file: String,
        /// The parser's message, with line and column.
        message: String,
    },
    /// Valid TOML with a value that means nothing here.
    #[error("{file}: {message}")]
    Invalid {
        /// The file.
        file: String,
        /// What and where.
        message: String,
    },
    /// A condition names an indicator the map does not have (it could never hold).
    #[error("{file}: field {field} names the indicator {key:?}, which the map does not have")]
    UnknownIndicator {
        /// The file.
        file: String,
        /// The Handlungsfeld's number.
        field: u8,
        /// The key as written.
        key: String,
        /// The keys the map has.
        known: Vec<String>,
    },
    /// A condition names a year its indicator has no values for.
    #[error("{file}: field {field} names the year {year} of {key:?}, which has no values for it")]
    UnknownYear {
        /// The file.
        file: String,
        /// The Handlungsfeld's number.
        field: u8,
        /// The indicator's key.
        key: String,
        /// The year as written.
        year: i32,
        /// The years the indicator has.
        known: Vec<i32>,
    },
}

impl RulesError {
    /// The error in the user's language.
    pub fn describe(&self, lang: crate::i18n::Lang) -> String {
        use crate::i18n::T;
        match self {
            RulesError::UnknownIndicator {
                file,
                field,
                key,
                known,
            } => {
                const SHOWN: usize = 40;
                let mut list = known
                    .iter()
                    .take(SHOWN)
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(", ");
                if known.len() > SHOWN {
                    list.push_str(", …");
                }
                if known.is_empty() {
                    lang.tf(
                        T::RulesUnknownIndicatorNone,
                        &[("file", file), ("field", &field.to_string()), ("key", key)],
                    )
                } else {
                    lang.tf(
                        T::RulesUnknownIndicator,
                        &[
                            ("file", file),
                            ("field", &field.to_string()),
                            ("key", key),
                            ("known", &list),
                        ],
                    )
                }
            }
            RulesError::UnknownYear {
                file,
                field,
                key,
                year,
                known,
            } => {
                let list = crate::i18n::format::years(known, lang);
                lang.tf(
                    T::RulesUnknownYear,
                    &[
                        ("file", file),
                        ("field", &field.to_string()),
                        ("key", key),
                        ("year", &year.to_string()),
                        ("known", &list),
                    ],
                )
            }
            other => other.to_string(),
        }
    }
}

/// Refuses rules that name an indicator the map does not have (such a condition would flag
/// nothing and say nothing): the first unknown key, its field, and the keys there are.
pub fn check_indicators(
    rules: &RuleSet,
    indicators: &crate::model::IndicatorTable,
    file: &str,
) -> Result<(), RulesError> {
    if let Some((field, key, year)) = crate::analysis::rules::unknown_years(rules, indicators)
        .into_iter()
        .next()
    {
        let known = indicators
            .position(&key)
            .map(|p| indicators.years(p).to_vec())
            .unwrap_or_default();
        return Err(RulesError::UnknownYear {
            file: file.to_string(),
            field: field.number(),
            key,
            year,
            known,
        });
    }
    match crate::analysis::rules::unknown_indicators(rules, indicators).first() {
        None => Ok(()),
        Some((field, key)) => Err(RulesError::UnknownIndicator {
            file: file.to_string(),
            field: field.number(),
            key: key.clone(),
            known: indicators
                .indicators()
                .iter()
                .map(|i| i.key.clone())
                .collect(),
        }),
    }
}

fn field_of(number: u8) -> Result<ActionField, String> {
    ActionField::ALL
        .into_iter()
        .find(|f| f.number() == number)
        .ok_or_else(|| format!("Handlungsfeld {number} gibt es nicht (1–4)"))
}

fn combinator_of(text: &str) -> Result<Combinator, String> {
    let t = text.trim().to_lowercase();
    match t.as_str() {
        "alle" | "all" | "und" => Ok(Combinator::All),
        "eine" | "einer" | "any" | "oder" => Ok(Combinator::Any),
        _ => t
            .strip_prefix("mindestens")
            .or_else(|| t.strip_prefix("at least"))
            .and_then(|n| n.trim().parse::<usize>().ok())
            .map(Combinator::AtLeast)
            .ok_or_else(|| {
                format!("Verknüpfung „{text}“ unbekannt (\"alle\", \"eine\", \"mindestens 2\")")
            }),
    }
}

fn combinator_text(c: Combinator) -> String {
    match c {
        Combinator::All => "alle".to_string(),
        Combinator::Any => "eine".to_string(),
        Combinator::AtLeast(k) => format!("mindestens {k}"),
    }
}

fn condition_of(d: &ConditionDto) -> Result<Condition, String> {
    let reference = match d.bezug.as_deref().map(str::to_lowercase).as_deref() {
        None | Some("region") => Reference::Region,
        Some("kommune" | "municipality") => Reference::Municipality,
        Some(other) => {
            return Err(format!(
                "Bezug „{other}“ unbekannt (\"region\", \"kommune\")"
            ));
        }
    };
    let measure = match d.mass.to_lowercase().as_str() {
        "z" | "z-wert" | "zscore" => Score::ZScore(reference),
        "perzentil" | "percentile" => Score::Percentile,
        "wert" | "value" => Score::Value,
        other => {
            return Err(format!(
                "Maß „{other}“ unbekannt (\"z\", \"perzentil\", \"wert\")"
            ));
        }
    };
    let comparison = match d.vergleich.trim() {
        ">=" | "≥" | ">" => Comparison::AtLeast,
        "<=" | "≤" | "<" => Comparison::AtMost,
        other => return Err(format!("Vergleich „{other}“ unbekannt (\">=\", \"<=\")")),
    };
    if !d.schwelle.is_finite() {
        return Err("Schwelle ist keine Zahl".to_string());
    }
    Ok(Condition {
        indicator: d.indikator.clone(),
        measure,
        comparison,
        threshold: d.schwelle,
        year: d.jahr,
        since: d.seit,
    })
}

impl RulesDocument {
    /// The rules and overrides this document describes.
    pub fn to_model(&self) -> Result<(RuleSet, Vec<Override>), String> {
        let mut rules = RuleSet::default();
        for (i, f) in self.fields.iter().enumerate() {
            let at = |m: String| format!("feld {} (Nummer {}): {m}", i + 1, f.nummer);
            let field = field_of(f.nummer).map_err(at)?;
            if rules.rule(field).is_some() {
                return Err(at("das Handlungsfeld kommt zweimal vor".to_string()));
            }
            let combinator = combinator_of(&f.verknuepfung).map_err(at)?;
            let conditions = f
                .bedingungen
                .iter()
                .enumerate()
                .map(|(k, c)| condition_of(c).map_err(|m| at(format!("Bedingung {}: {m}", k + 1))))
                .collect::<Result<Vec<_>, _>>()?;
            rules.rules.push(FieldRule {
                field,
                combinator,
                conditions,
            });
        }
        rules.rules.sort_by_key(|r| r.field);
        let overrides = self
            .overrides
            .iter()
            .enumerate()
            .map(|(i, o)| {
                let field =
                    field_of(o.feld).map_err(|m| format!("uebersteuerung {}: {m}", i + 1))?;
                if o.begruendung.trim().is_empty() {
                    return Err(format!(
                        "uebersteuerung {} ({}): Begründung fehlt",
                        i + 1,
                        o.code
                    ));
                }
                Ok(Override {
                    code: o.code.clone(),
                    field,
                    member: o.drin,
                    reason: o.begruendung.clone(),
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok((rules, overrides))
    }

    /// The document for `rules` and `overrides`.
    pub fn from_model(rules: &RuleSet, overrides: &[Override]) -> RulesDocument {
        RulesDocument {
            fields: rules
                .rules
                .iter()
                .map(|r| FieldDto {
                    nummer: r.field.number(),
                    verknuepfung: combinator_text(r.combinator),
                    bedingungen: r
                        .conditions
                        .iter()
                        .map(|c| {
                            let (mass, bezug) = match c.measure {
                                Score::ZScore(Reference::Region) => ("z", Some("region")),
                                Score::ZScore(Reference::Municipality) => ("z", Some("kommune")),
                                Score::Percentile => ("perzentil", None),
                                Score::Value => ("wert", None),
                            };
                            ConditionDto {
                                indikator: c.indicator.clone(),
                                mass: mass.to_string(),
                                bezug: bezug.map(str::to_string),
                                vergleich: match c.comparison {
                                    Comparison::AtLeast => ">=".to_string(),
                                    Comparison::AtMost => "<=".to_string(),
                                },
                                schwelle: c.threshold,
                                jahr: c.year,
                                seit: c.since,
                            }
                        })
                        .collect(),
                })
                .collect(),
            overrides: overrides
                .iter()
                .map(|o| OverrideDto {
                    code: o.code.clone(),
                    feld: o.field.number(),
                    drin: o.member,
                    begruendung: o.reason.clone(),
                })
                .collect(),
        }
    }
}

/// Reads rules and overrides from a TOML file.
pub fn read_rules(path: &Path) -> Result<(RuleSet, Vec<Override>), RulesError> {
    let file = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|source| RulesError::Io {
        file: file.clone(),
        source,
    })?;
    parse_rules(&text, &file)
}

/// Parses rules TOML; `file` names it in messages.
pub fn parse_rules(text: &str, file: &str) -> Result<(RuleSet, Vec<Override>), RulesError> {
    let doc: RulesDocument = toml::from_str(text).map_err(|e| RulesError::Syntax {
        file: file.to_string(),
        message: e.to_string().trim().to_string(),
    })?;
    doc.to_model().map_err(|message| RulesError::Invalid {
        file: file.to_string(),
        message,
    })
}

/// The TOML text of `rules` and `overrides`.
pub fn rules_toml(rules: &RuleSet, overrides: &[Override]) -> String {
    let doc = RulesDocument::from_model(rules, overrides);
    let body = toml::to_string(&doc).unwrap_or_default();
    format!(
        "# Regeln für die Handlungsfelder (Sozialraum-Atlas)\n\
         # mass: \"z\" (bezug \"region\" oder \"kommune\"), \"perzentil\" (0–100) oder \"wert\"\n\
         # verknuepfung: \"alle\", \"eine\" oder \"mindestens N\"; vergleich: \">=\" oder \"<=\"\n\n{body}"
    )
}

/// Writes rules and overrides as TOML, replacing the file only when the write is complete.
pub fn write_rules(path: &Path, rules: &RuleSet, overrides: &[Override]) -> Result<(), RulesError> {
    super::atomic::write_atomically(path, rules_toml(rules, overrides).as_bytes()).map_err(
        |source| RulesError::Io {
            file: path.display().to_string(),
            source,
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const EXAMPLE: &str = r#"
[[feld]]
nummer = 1
verknuepfung = "alle"
bedingungen = [
  { indikator = "sgb2_quote", mass = "z", bezug = "region", vergleich = ">=", schwelle = 1.0 },
  { indikator = "alq", mass = "z", bezug = "kommune", vergleich = ">=", schwelle = 0.5 },
]

[[feld]]
nummer = 3
verknuepfung = "mindestens 2"
bedingungen = [
  { indikator = "u15", mass = "perzentil", vergleich = ">=", schwelle = 80 },
  { indikator = "allein", mass = "wert", vergleich = "<=", schwelle = 12.5 },
]

[[uebersteuerung]]
code = "AC 3"
feld = 1
drin = false
begruendung = "Sanierung abgeschlossen"
"#;

    #[test]
    fn the_documented_example_reads_and_round_trips() {
        let (rules, overrides) = parse_rules(EXAMPLE, "regeln.toml").expect("valid");
        assert_eq!(rules.rules.len(), 2);
        let first = &rules.rules[0];
        assert_eq!(first.field, ActionField::Disadvantaged);
        assert_eq!(
            first.conditions[1].measure,
            Score::ZScore(Reference::Municipality)
        );
        let third = rules.rule(ActionField::ChildrenFamilies).expect("field 3");
        assert_eq!(third.combinator, Combinator::AtLeast(2));
        assert_eq!(third.conditions[0].measure, Score::Percentile);
        assert_eq!(third.conditions[1].comparison, Comparison::AtMost);
        assert_eq!(overrides[0].reason, "Sanierung abgeschlossen");
        let again = parse_rules(&rules_toml(&rules, &overrides), "x").expect("round trip");
        assert_eq!(again, (rules, overrides));
    }

    #[test]
    fn mistakes_are_named_with_their_place() {
        let cases = [
            ("[[feld]]\nnummer = 7\n", "Handlungsfeld 7 gibt es nicht"),
            (
                "[[feld]]\nnummer = 1\nverknuepfung = \"meistens\"\n",
                "Verknüpfung „meistens“",
            ),
            (
                "[[feld]]\nnummer = 1\nbedingungen = [{indikator=\"a\", mass=\"median\", vergleich=\">=\", schwelle=1}]\n",
                "Bedingung 1: Maß „median“",
            ),
            (
                "[[uebersteuerung]]\ncode = \"A\"\nfeld = 1\ndrin = true\nbegruendung = \" \"\n",
                "Begründung fehlt",
            ),
            ("[[feld]]\nnummer = \n", "regeln.toml"),
        ];
        for (text, expected) in cases {
            let err = parse_rules(text, "regeln.toml")
                .expect_err(text)
                .to_string();
            assert!(err.contains(expected), "{text:?}: {err}");
        }
    }
}
