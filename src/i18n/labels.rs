//! Names of the measure vocabulary (responsibility, status, priority) in the UI language.
//!
//! The model keeps stable keys for files; people read these labels, on screen and in the
//! exported measure lists.

use super::{Lang, T};
use crate::model::{Measure, MeasureProblem, Priority, Responsibility, Status, TextField};

/// "Entscheidungsbereich", …
pub fn responsibility(r: Responsibility, lang: Lang) -> &'static str {
    lang.t(match r {
        Responsibility::Decide => T::RespDecide,
        Responsibility::Influence => T::RespInfluence,
        Responsibility::Advocate => T::RespAdvocate,
        Responsibility::Joint => T::RespJoint,
    })
}

/// "Idee", "geplant", …
pub fn status(s: Status, lang: Lang) -> &'static str {
    lang.t(match s {
        Status::Idea => T::StatusIdea,
        Status::Planned => T::StatusPlanned,
        Status::InProgress => T::StatusInProgress,
        Status::Done => T::StatusDone,
        Status::Dropped => T::StatusDropped,
    })
}

/// "hoch", "mittel", "niedrig", or a dash.
pub fn priority(p: Option<Priority>, lang: Lang) -> &'static str {
    lang.t(match p {
        Some(Priority::High) => T::PrioHigh,
        Some(Priority::Medium) => T::PrioMedium,
        Some(Priority::Low) => T::PrioLow,
        None => T::PrioNone,
    })
}

/// The column label of a measure's text field.
pub fn text_field(field: TextField, lang: Lang) -> &'static str {
    lang.t(match field {
        TextField::Title => T::ColTitle,
        TextField::Description => T::ColDescription,
        TextField::Lead => T::ColLead,
        TextField::Partners => T::ColPartners,
        TextField::Notes => T::ColNotes,
    })
}

/// Why a measure cannot be saved, in words.
pub fn measure_problem(problem: MeasureProblem, m: &Measure, lang: Lang) -> String {
    match problem {
        MeasureProblem::NoTitle => lang.t(T::MeasureNoTitle).to_string(),
        MeasureProblem::EndBeforeStart => lang.t(T::MeasureEndBeforeStart).to_string(),
        MeasureProblem::NegativeBudget => lang.t(T::MeasureNegativeBudget).to_string(),
        MeasureProblem::TooLong(field) => lang.tf(
            T::MeasureTooLong,
            &[
                ("field", text_field(field, lang)),
                (
                    "n",
                    &super::format::count(m.text(field).chars().count(), lang),
                ),
                ("max", &super::format::count(field.limit(), lang)),
            ],
        ),
    }
}

/// The register's column names of a measure as the form labels them: "Titel, Notizen".
pub fn register_columns(columns: &[String], lang: Lang) -> String {
    let label = |c: &str| -> Option<T> {
        Some(match c {
            "titel" => T::ColTitle,
            "beschreibung" => T::ColDescription,
            "handlungsfelder" => T::ColFields,
            "sozialraeume" => T::ColAreas,
            "kommunen" => T::ColMunicipalities,
            "verantwortung" => T::ColResponsibility,
            "federfuehrung" => T::ColLead,
            "partner" => T::ColPartners,
            "status" => T::ColStatus,
            "beginn" => T::ColStart,
            "ende" => T::ColEnd,
            "budget_eur" => T::ColBudget,
            "prioritaet" => T::ColPriority,
            "notizen" => T::ColNotes,
            "erstellt" => T::ColCreated,
            "nummer" => T::ColNr,
            _ => return None,
        })
    };
    let names: Vec<&str> = columns
        .iter()
        .map(|c| label(c).map_or(c.as_str(), |t| lang.t(t)))
        .collect();
    names.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_label_parses_back_to_its_value_in_both_languages() {
        for lang in Lang::ALL {
            for r in Responsibility::ALL {
                assert_eq!(
                    Responsibility::parse(responsibility(r, lang)),
                    Some(r),
                    "{lang:?}"
                );
            }
            for s in Status::ALL {
                assert_eq!(Status::parse(status(s, lang)), Some(s), "{lang:?}");
            }
            for p in Priority::ALL {
                assert_eq!(Priority::parse(priority(Some(p), lang)), Some(p));
            }
        }
    }
}
