//! German and English: the language switch, every UI text, number and date formats.
//!
//! Texts are an enum with one exhaustive `match` per language (`texts`), so a text missing in
//! either language is a compile error, not a blank label discovered in a workshop.

pub mod format;
pub mod labels;
mod texts;

pub use texts::T;

/// The user's language. German is the default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Lang {
    /// Deutsch.
    #[default]
    De,
    /// English.
    En,
}

impl Lang {
    /// Both languages, German first.
    pub const ALL: [Lang; 2] = [Lang::De, Lang::En];

    /// ISO code, "de" or "en".
    pub fn code(self) -> &'static str {
        match self {
            Lang::De => "de",
            Lang::En => "en",
        }
    }

    /// Parses "de"/"en" (also "deutsch", "english", "de_DE.UTF-8", …).
    pub fn parse(text: &str) -> Option<Lang> {
        let t = text.trim().to_lowercase();
        if t.starts_with("de") {
            Some(Lang::De)
        } else if t.starts_with("en") {
            Some(Lang::En)
        } else {
            None
        }
    }

    /// The text `t` in this language.
    pub fn t(self, t: T) -> &'static str {
        t.text(self)
    }

    /// The text `t` with `{name}` placeholders replaced by `args`.
    pub fn tf(self, t: T, args: &[(&str, &str)]) -> String {
        let mut out = t.text(self).to_string();
        for (name, value) in args {
            out = out.replace(&format!("{{{name}}}"), value);
        }
        out
    }

    /// `one` for a count of 1, else `many` with `{n}` set (in the user's number format).
    pub fn count_text(self, n: usize, one: T, many: T, args: &[(&str, &str)]) -> String {
        if n == 1 {
            return self.tf(one, args);
        }
        let count = format::count(n, self);
        let mut all: Vec<(&str, &str)> = args.to_vec();
        all.push(("n", &count));
        self.tf(many, &all)
    }

    /// Whether this is English (for data that carries a German and an English label).
    pub fn is_english(self) -> bool {
        self == Lang::En
    }
}
