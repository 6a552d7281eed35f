//! Why a store could not write, told apart the way a planner can act on it: a full disk, a
//! lock, a write-protected file or folder, a file that was moved or replaced, a damaged file.
//! The messages name the store and what happened; what the user should do next differs
//! between the window and the command line and is added there.

use thiserror::Error;

use crate::i18n::Lang;

/// Why a write did not reach the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Why {
    /// No space left on the disk (or the file reached a size limit).
    DiskFull,
    /// Another program held the file locked for longer than we waited.
    Locked,
    /// The file itself is write-protected.
    ReadOnlyFile,
    /// The folder is write-protected: SQLite needs to create a journal file beside the
    /// project for every change.
    ReadOnlyFolder,
    /// The file is no longer at its path (moved, renamed or deleted).
    Moved,
    /// Another file now stands at the path (copied or saved over it).
    Replaced,
    /// The file is damaged.
    Damaged,
    /// Anything else, in the system's words.
    Other(String),
}

impl Why {
    /// The reason in words for planners.
    pub fn text(&self, lang: Lang) -> String {
        let de = lang == Lang::De;
        let (g, e) = match self {
            Why::DiskFull => ("Datenträger voll", "disk full"),
            Why::Locked => (
                "die Datei ist von einem anderen Programm gesperrt",
                "the file is locked by another program",
            ),
            Why::ReadOnlyFile => ("die Datei ist schreibgeschützt", "the file is read-only"),
            Why::ReadOnlyFolder => (
                "der Ordner ist schreibgeschützt – das Programm muss dort bei jeder Änderung eine Hilfsdatei anlegen",
                "the folder is read-only – the program has to create a helper file there for every change",
            ),
            Why::Moved => (
                "die Datei ist nicht mehr da – verschoben, umbenannt oder gelöscht",
                "the file is no longer there – moved, renamed or deleted",
            ),
            Why::Replaced => (
                "an ihrer Stelle liegt inzwischen eine andere Datei (ersetzt oder überschrieben)",
                "another file now stands in its place (replaced or copied over)",
            ),
            Why::Damaged => ("die Datei ist beschädigt", "the file is damaged"),
            Why::Other(text) => return text.clone(),
        };
        (if de { g } else { e }).to_string()
    }

    /// Whether the file at the path is not the one that was opened (writing must stop).
    pub fn is_detached(&self) -> bool {
        matches!(self, Why::Moved | Why::Replaced)
    }
}

/// Why the project file could not be written.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum StoreError {
    /// A change could not be written; nothing of it is in the file.
    #[error("{file}: saving failed: {}", why.text(Lang::En))]
    Write {
        /// The file.
        file: String,
        /// Why.
        why: Why,
    },
    /// A new project file could not be written (nothing was replaced).
    #[error("{file}: cannot be written: {}", why.text(Lang::En))]
    Create {
        /// The file.
        file: String,
        /// Why.
        why: Why,
    },
    /// The project is open read-only.
    #[error("{file}: the project is open read-only ({})", why.text(Lang::En))]
    ReadOnly {
        /// The file.
        file: String,
        /// Why it is.
        why: Why,
    },
}

impl StoreError {
    /// The message in the user's language: the file and what happened.
    pub fn describe(&self, lang: Lang) -> String {
        let de = lang == Lang::De;
        match self {
            StoreError::Write { file, why } => {
                if de {
                    format!("{file}: Speichern fehlgeschlagen – {}.", why.text(lang))
                } else {
                    format!("{file}: saving failed – {}.", why.text(lang))
                }
            }
            StoreError::Create { file, why } => {
                if de {
                    format!(
                        "{file}: kann nicht geschrieben werden – {}.",
                        why.text(lang)
                    )
                } else {
                    format!("{file}: cannot be written – {}.", why.text(lang))
                }
            }
            StoreError::ReadOnly { file, why } => {
                if de {
                    format!(
                        "{file}: das Projekt ist nur zum Lesen geöffnet – {}.",
                        why.text(lang)
                    )
                } else {
                    format!(
                        "{file}: the project is open read-only – {}.",
                        why.text(lang)
                    )
                }
            }
        }
    }

    /// Why the write failed.
    pub fn why(&self) -> Option<&Why> {
        match self {
            StoreError::Write { why, .. }
            | StoreError::Create { why, .. }
            | StoreError::ReadOnly { why, .. } => Some(why),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_reason_reads_as_words_in_both_languages() {
        for why in [
            Why::DiskFull,
            Why::Locked,
            Why::ReadOnlyFile,
            Why::ReadOnlyFolder,
            Why::Moved,
            Why::Replaced,
            Why::Damaged,
        ] {
            let de = why.text(Lang::De);
            let en = why.text(Lang::En);
            assert!(!de.is_empty() && !en.is_empty() && de != en, "{why:?}");
        }
        let e = StoreError::Write {
            file: "/p/x.gpkg".into(),
            why: Why::ReadOnlyFolder,
        };
        assert!(e.describe(Lang::De).contains("Ordner ist schreibgeschützt"));
        assert!(!e.describe(Lang::De).contains("Datei konnte nicht geöffnet"));
    }
}
