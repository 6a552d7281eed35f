//! The definition sheet of a composite index ("Indikatorenblatt"): what it shows, how it is
//! computed (the formula with the real weights), its inputs with direction, weight, years and
//! source, how missing values are treated, and how robust its classes are to the weights.
//! Plain lines, so the window, a text file and a PDF page show the same sheet.

use crate::analysis::index::{WeightEffect, common_years};
use crate::i18n::{Lang, T, format};
use crate::model::{IndexDefinition, Indicator, IndicatorTable, Standardisation};

/// What a line of the sheet is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineKind {
    /// The sheet's title.
    Title,
    /// A section heading.
    Heading,
    /// Running text.
    Body,
    /// One item of a list.
    Item,
    /// Small print (date, program).
    Small,
}

/// One line of the sheet.
#[derive(Debug, Clone, PartialEq)]
pub struct SheetLine {
    /// What kind of line.
    pub kind: LineKind,
    /// Its text.
    pub text: String,
    /// The page (index) it links to in a document of several pages, if any.
    pub link: Option<usize>,
}

fn line(kind: LineKind, text: impl Into<String>) -> SheetLine {
    SheetLine {
        kind,
        text: text.into(),
        link: None,
    }
}

/// "z-Wert", "Min–Max (0–100)", "Prozentrang".
pub fn standardisation_name(s: Standardisation, lang: Lang) -> &'static str {
    lang.t(match s {
        Standardisation::ZScore => T::StandardZ,
        Standardisation::MinMax => T::StandardMinMax,
        Standardisation::Rank => T::StandardRank,
    })
}

/// The formula with the real weights: "Index = 0,40 × z(SGB-II-Quote) − 0,30 × z(…)".
pub fn formula(def: &IndexDefinition, table: &IndicatorTable, lang: Lang) -> String {
    let symbol = match def.standardisation {
        Standardisation::ZScore => "z",
        Standardisation::MinMax => "mm",
        Standardisation::Rank => "PR",
    };
    let mut text = String::new();
    for (k, (input, share)) in def.inputs.iter().zip(def.shares()).enumerate() {
        let label = label_of(table, &input.indicator, lang);
        let term = if input.inverted {
            match def.standardisation {
                Standardisation::ZScore => format!("(−{symbol}({label}))"),
                _ => format!("(100 − {symbol}({label}))"),
            }
        } else {
            format!("{symbol}({label})")
        };
        if k > 0 {
            text.push_str(" + ");
        }
        text.push_str(&format!("{} × {term}", format::number(share, 2, lang)));
    }
    lang.tf(T::SheetFormula, &[("terms", &text)])
}

fn label_of(table: &IndicatorTable, key: &str, lang: Lang) -> String {
    table.label_of(key, lang.is_english())
}

/// The sheet of `indicator` (an index) over `table`; `robustness` from
/// [`crate::analysis::index::robustness`], `today` as written at the foot.
pub fn sheet(
    indicator: &Indicator,
    table: &IndicatorTable,
    robustness: &[WeightEffect],
    areas: usize,
    today: &str,
    lang: Lang,
) -> Vec<SheetLine> {
    let Some(def) = &indicator.index else {
        return Vec::new();
    };
    let mut out = vec![line(
        LineKind::Title,
        lang.tf(
            T::SheetTitle,
            &[("label", indicator.label(lang.is_english()))],
        ),
    )];
    out.push(line(LineKind::Heading, lang.t(T::SheetReading)));
    if !def.reading.trim().is_empty() {
        out.push(line(LineKind::Body, def.reading.trim()));
    }
    out.push(line(
        LineKind::Body,
        lang.t(match def.standardisation {
            Standardisation::ZScore => T::SheetReadZ,
            Standardisation::MinMax => T::SheetReadMinMax,
            Standardisation::Rank => T::SheetReadRank,
        }),
    ));
    out.push(line(LineKind::Heading, lang.t(T::SheetComputation)));
    out.push(line(
        LineKind::Body,
        lang.tf(
            T::SheetStandardised,
            &[("method", standardisation_name(def.standardisation, lang))],
        ),
    ));
    out.push(line(LineKind::Body, formula(def, table, lang)));
    out.push(line(LineKind::Heading, lang.t(T::SheetInputs)));
    for (input, share) in def.inputs.iter().zip(def.shares()) {
        let p = table.position(&input.indicator);
        let years = p
            .map(|p| {
                table
                    .years(p)
                    .iter()
                    .map(|y| y.to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            })
            .filter(|y| !y.is_empty())
            .unwrap_or_else(|| lang.t(T::SheetNoYear).to_string());
        let source = p
            .map(|p| table.indicators()[p].source.clone())
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| "–".to_string());
        out.push(line(
            LineKind::Item,
            lang.tf(
                T::SheetInput,
                &[
                    ("label", &label_of(table, &input.indicator, lang)),
                    ("weight", &format::number(share * 100.0, 0, lang)),
                    (
                        "direction",
                        lang.t(if input.inverted {
                            T::SheetInverted
                        } else {
                            T::SheetStraight
                        }),
                    ),
                    ("years", &years),
                    ("source", &source),
                ],
            ),
        ));
    }
    let years = common_years(table, def);
    out.push(line(LineKind::Heading, lang.t(T::SheetYears)));
    out.push(line(
        LineKind::Body,
        if years.is_empty() {
            lang.t(T::SheetCurrentOnly).to_string()
        } else {
            lang.tf(
                T::SheetEachYear,
                &[(
                    "years",
                    &years
                        .iter()
                        .map(|y| y.to_string())
                        .collect::<Vec<_>>()
                        .join(", "),
                )],
            )
        },
    ));
    out.push(line(LineKind::Body, lang.t(T::SheetMissing)));
    out.push(line(LineKind::Heading, lang.t(T::SheetRobustness)));
    out.push(line(
        LineKind::Body,
        lang.tf(
            T::SheetRobustnessIntro,
            &[("n", &format::count(areas, lang))],
        ),
    ));
    for e in robustness {
        out.push(line(
            LineKind::Item,
            lang.tf(
                T::SheetRobustnessRow,
                &[
                    ("label", &label_of(table, &e.indicator, lang)),
                    ("up", &format::count(e.up, lang)),
                    ("down", &format::count(e.down, lang)),
                ],
            ),
        ));
    }
    out.push(line(
        LineKind::Small,
        lang.tf(T::SheetFooter, &[("date", today)]),
    ));
    out
}

/// The sheet as plain text (a text file, the clipboard).
pub fn sheet_text(lines: &[SheetLine]) -> String {
    let mut text = String::new();
    for l in lines {
        match l.kind {
            LineKind::Title => {
                text.push_str(&l.text);
                text.push('\n');
                text.push_str(&"=".repeat(l.text.chars().count()));
                text.push('\n');
            }
            LineKind::Heading => {
                text.push('\n');
                text.push_str(&l.text);
                text.push('\n');
            }
            LineKind::Item => {
                text.push_str("  – ");
                text.push_str(&l.text);
                text.push('\n');
            }
            LineKind::Body | LineKind::Small => {
                text.push_str(&l.text);
                text.push('\n');
            }
        }
    }
    text
}
