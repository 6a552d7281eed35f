//! Names of the measure vocabulary (responsibility, status, priority) in the UI language.
//!
//! The model keeps stable keys for files; people read these labels, on screen and in the
//! exported measure lists.

use super::{Lang, T};
use crate::model::{Priority, Responsibility, Status};

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
