//! Every UI text in German and English.

use super::Lang;

/// A UI text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum T {
    /// The application name.
    AppName,
}

impl T {
    /// The text in `lang`.
    pub fn text(self, lang: Lang) -> &'static str {
        match lang {
            Lang::De => de(self),
            Lang::En => en(self),
        }
    }
}

fn de(t: T) -> &'static str {
    match t {
        T::AppName => "Sozialraum-Atlas",
    }
}

fn en(t: T) -> &'static str {
    match t {
        T::AppName => "Sozialraum-Atlas",
    }
}
