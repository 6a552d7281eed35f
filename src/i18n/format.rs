//! Numbers and dates in the user's language: German `1.234,5` and `25.11.2026`,
//! English `1,234.5` and `2026-11-25`.
//!
//! Hand-written rather than a locale crate: two languages, three formats, and exports must be
//! byte-identical on every machine whatever its system locale.

use super::Lang;
pub use crate::model::Date;
use crate::model::Timestamp;

/// Formats `value` with `decimals` decimals and thousands separators.
/// Non-finite values are written as "–".
pub fn number(value: f64, decimals: usize, lang: Lang) -> String {
    if !value.is_finite() {
        return "–".to_string();
    }
    let (thousands, decimal) = match lang {
        Lang::De => ('.', ','),
        Lang::En => (',', '.'),
    };
    // Half away from zero, as German statistics round (DIN 1333): 8,25 → 8,3, where Rust's
    // formatting alone would round the exact tie 8.25 to even (8,2).
    let scale = 10f64.powi(i32::try_from(decimals).unwrap_or(i32::MAX).min(15));
    let rounded = (value.abs() * scale).round() / scale;
    let text = format!("{:.*}", decimals, rounded);
    let (int_part, frac_part) = match text.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (text.as_str(), None),
    };
    let mut out = String::with_capacity(text.len() + text.len() / 3 + 2);
    // "-0,0" would be odd: only values that are non-zero after rounding keep their sign.
    if value < 0.0 && text.bytes().any(|b| b.is_ascii_digit() && b != b'0') {
        out.push('−');
    }
    let digits = int_part.len();
    for (i, ch) in int_part.chars().enumerate() {
        if i > 0 && (digits - i) % 3 == 0 {
            out.push(thousands);
        }
        out.push(ch);
    }
    if let Some(frac) = frac_part {
        out.push(decimal);
        out.push_str(frac);
    }
    out
}

/// The first `max` characters of a text, with "…" when it was longer: any text a file holds
/// stays cheap to show.
pub fn short(text: &str, max: usize) -> std::borrow::Cow<'_, str> {
    match text.char_indices().nth(max) {
        None => std::borrow::Cow::Borrowed(text),
        Some((end, _)) => std::borrow::Cow::Owned(format!("{}…", &text[..end])),
    }
}

/// Years as listed for the user: "2017, 2020, 2023", or that there are none.
pub fn years(years: &[i32], lang: Lang) -> String {
    if years.is_empty() {
        return lang.t(super::T::CliNoYears).to_string();
    }
    years
        .iter()
        .map(|y| y.to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

/// A whole number with thousands separators.
pub fn count(value: usize, lang: Lang) -> String {
    number(value as f64, 0, lang)
}

/// Formats a signed number with an explicit sign, e.g. "+2,3".
pub fn signed(value: f64, decimals: usize, lang: Lang) -> String {
    let body = number(value, decimals, lang);
    if value.is_finite()
        && !body.starts_with('−')
        && body.chars().any(|c| c.is_ascii_digit() && c != '0')
    {
        format!("+{body}")
    } else {
        body
    }
}

/// Reads a number the user typed in `lang`'s writing: German "1.234,5" or "-0,5", English
/// "1,234.5"; the typographic minus "−" and a leading "+" are accepted. A German entry without
/// a comma reads its points as thousands separators where they group digits in threes after a
/// non-zero start ("1.000", "12.345.678"), otherwise as a decimal point ("0.5", "1.25"), as
/// users paste such numbers.
pub fn parse_number(text: &str, lang: Lang) -> Option<f64> {
    let t: String = text
        .trim()
        .replace('−', "-")
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{a0}')
        .collect();
    let t = t.strip_prefix('+').unwrap_or(&t);
    let normal = match lang {
        Lang::De if t.contains(',') => t.replace('.', "").replace(',', "."),
        Lang::De if grouped_in_thousands(t) => t.replace('.', ""),
        Lang::De => t.to_string(),
        Lang::En => t.replace(',', ""),
    };
    normal.parse::<f64>().ok().filter(|v| v.is_finite())
}

/// Whether `t` looks like "1.000" or "-12.345.678": digits grouped in threes by points.
fn grouped_in_thousands(t: &str) -> bool {
    let digits = t.strip_prefix('-').unwrap_or(t);
    let mut groups = digits.split('.');
    let head = groups.next().unwrap_or("");
    let rest: Vec<&str> = groups.collect();
    !rest.is_empty()
        && (1..=3).contains(&head.len())
        && !head.starts_with('0')
        && head.bytes().all(|b| b.is_ascii_digit())
        && rest
            .iter()
            .all(|g| g.len() == 3 && g.bytes().all(|b| b.is_ascii_digit()))
}

/// Formats a date: "25.11.2026" in German, "2026-11-25" in English.
pub fn date(d: Date, lang: Lang) -> String {
    match lang {
        Lang::De => format!("{:02}.{:02}.{:04}", d.day, d.month, d.year),
        Lang::En => format!("{:04}-{:02}-{:02}", d.year, d.month, d.day),
    }
}

/// Formats a length in metres as "500 m" or "2 km" (or "2,5 km").
pub fn length_m(metres: f64, lang: Lang) -> String {
    if metres >= 1000.0 {
        let km = metres / 1000.0;
        let decimals = if (km - km.round()).abs() < 1e-9 { 0 } else { 1 };
        format!("{} km", number(km, decimals, lang))
    } else {
        format!("{} m", number(metres, 0, lang))
    }
}

/// The offset of German time (CET, CEST from the last Sunday of March to the last Sunday of
/// October, changing at 01:00 UTC) at a moment, in seconds.
fn german_offset(t: Timestamp) -> i64 {
    let (d, ..) = t.date_time();
    let last_sunday = |month: u32| -> i64 {
        let first_next = if month == 12 {
            Date::new(d.year + 1, 1, 1)
        } else {
            Date::new(d.year, month + 1, 1)
        };
        let last = first_next.map_or(0, |n| n.days_since_epoch() - 1);
        // 1970-01-01 was a Thursday: (days + 4) % 7 is 0 on a Sunday.
        last - (last + 4).rem_euclid(7)
    };
    let start = last_sunday(3) * 86_400 + 3_600;
    let end = last_sunday(10) * 86_400 + 3_600;
    if (start..end).contains(&t.0) {
        7_200
    } else {
        3_600
    }
}

/// A moment in German time: "25.11.2026 14:05" (English: "2026-11-25 14:05").
pub fn date_time(t: Timestamp, lang: Lang) -> String {
    let local = Timestamp(t.0 + german_offset(t));
    let (d, h, m, _) = local.date_time();
    format!("{} {h:02}:{m:02}", date(d, lang))
}

/// The time of day in German time: "10:42".
pub fn time_of_day(t: Timestamp) -> String {
    let local = Timestamp(t.0 + german_offset(t));
    let (_, h, m, _) = local.date_time();
    format!("{h:02}:{m:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_shown_in_german_time_summer_and_winter() {
        let at = |s: &str| Timestamp::parse(s).expect(s);
        // Winter (CET, +1), summer (CEST, +2), and the hour of the change in March 2026
        // (Sunday 29 March, 01:00 UTC).
        assert_eq!(time_of_day(at("2026-12-01T09:42:00Z")), "10:42");
        assert_eq!(time_of_day(at("2026-07-01T09:42:00Z")), "11:42");
        assert_eq!(time_of_day(at("2026-03-29T00:59:00Z")), "01:59");
        assert_eq!(time_of_day(at("2026-03-29T01:00:00Z")), "03:00");
        assert_eq!(time_of_day(at("2026-10-25T00:59:00Z")), "02:59");
        assert_eq!(time_of_day(at("2026-10-25T01:00:00Z")), "02:00");
        assert_eq!(
            date_time(at("2026-11-25T13:05:00Z"), Lang::De),
            "25.11.2026 14:05"
        );
        assert_eq!(
            date_time(at("2026-12-31T23:30:00Z"), Lang::De),
            "01.01.2027 00:30"
        );
    }

    #[test]
    fn ties_round_half_away_from_zero() {
        assert_eq!(number(8.25, 1, Lang::De), "8,3");
        assert_eq!(number(-8.25, 1, Lang::De), "−8,3");
        assert_eq!(number(0.5, 0, Lang::En), "1");
        assert_eq!(number(2.5, 0, Lang::En), "3");
        assert_eq!(number(1234.5678, 2, Lang::De), "1.234,57");
    }

    #[test]
    fn typed_numbers_are_read_in_the_users_writing() {
        let de = [
            ("0,5", 0.5),
            ("1.234,5", 1234.5),
            ("−1,25", -1.25),
            ("+2", 2.0),
            ("0.47", 0.47),
            ("1.25", 1.25),
            ("1.000", 1000.0),
            ("-12.345.678", -12_345_678.0),
            ("0.125", 0.125),
            (" 75 ", 75.0),
        ];
        for (text, v) in de {
            assert_eq!(parse_number(text, Lang::De), Some(v), "{text}");
        }
        assert_eq!(parse_number("1,234.5", Lang::En), Some(1234.5));
        assert_eq!(parse_number("-0.5", Lang::En), Some(-0.5));
        for bad in ["", "abc", "1,2,3x", "inf", "NaN"] {
            assert_eq!(parse_number(bad, Lang::De), None, "{bad}");
        }
        // What the formatter writes, the parser reads back.
        for v in [-1234.56, 0.0, 0.47, 98765.4] {
            for lang in [Lang::De, Lang::En] {
                assert_eq!(parse_number(&number(v, 2, lang), lang), Some(v));
            }
        }
    }

    #[test]
    fn german_numbers_use_dots_for_thousands_and_a_decimal_comma() {
        let cases = [
            (1234.5, 1, "1.234,5", "1,234.5"),
            (0.0, 0, "0", "0"),
            (999.0, 0, "999", "999"),
            (1000.0, 0, "1.000", "1,000"),
            (1_234_567.891, 2, "1.234.567,89", "1,234,567.89"),
            (-24.05, 1, "−24,1", "−24.1"),
            (-0.01, 1, "0,0", "0.0"),
            (f64::NAN, 1, "–", "–"),
        ];
        for (v, d, de, en) in cases {
            assert_eq!(number(v, d, Lang::De), de, "{v}");
            assert_eq!(number(v, d, Lang::En), en, "{v}");
        }
    }

    #[test]
    fn signed_numbers_show_plus_for_positive_values() {
        assert_eq!(signed(2.345, 1, Lang::De), "+2,3");
        assert_eq!(signed(-1.0, 1, Lang::De), "−1,0");
        assert_eq!(signed(0.0, 1, Lang::De), "0,0");
    }

    #[test]
    fn dates_follow_the_language() {
        let d = Date {
            year: 2026,
            month: 11,
            day: 25,
        };
        assert_eq!(date(d, Lang::De), "25.11.2026");
        assert_eq!(date(d, Lang::En), "2026-11-25");
    }

    #[test]
    fn lengths_switch_to_kilometres() {
        assert_eq!(length_m(500.0, Lang::De), "500 m");
        assert_eq!(length_m(2000.0, Lang::De), "2 km");
        assert_eq!(length_m(2500.0, Lang::De), "2,5 km");
        assert_eq!(length_m(20_000.0, Lang::En), "20 km");
    }
}
