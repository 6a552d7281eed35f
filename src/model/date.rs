//! Calendar dates and timestamps without a clock: the app supplies "now", the model only
//! stores and compares.
//!
//! Timestamps are seconds since 1970 in UTC; dates are proleptic Gregorian. Conversion uses
//! Howard Hinnant's days-from-civil algorithm, so no date crate is needed for the few things
//! measures do with dates (store, sort, show, parse).

use std::fmt;

/// A calendar date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    /// Year, e.g. 2026.
    pub year: i32,
    /// Month 1–12.
    pub month: u32,
    /// Day 1–31.
    pub day: u32,
}

impl Date {
    /// A valid date, or None (31 February, month 13, …).
    pub fn new(year: i32, month: u32, day: u32) -> Option<Date> {
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
        let days_in_month = match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if leap => 29,
            2 => 28,
            _ => return None,
        };
        (1..=days_in_month)
            .contains(&day)
            .then_some(Date { year, month, day })
    }

    /// Parses "2026-11-25" (ISO), "25.11.2026" or "25.11.26" (German; two-digit years are
    /// 2000–2099). Surrounding space is ignored.
    pub fn parse(text: &str) -> Option<Date> {
        let t = text.trim();
        let numbers = |sep: char| -> Option<Vec<i64>> {
            let parts: Vec<&str> = t.split(sep).collect();
            if parts.len() != 3 || parts.iter().any(|p| p.is_empty() || p.len() > 4) {
                return None;
            }
            parts.iter().map(|p| p.trim().parse::<i64>().ok()).collect()
        };
        if let Some(n) = numbers('-') {
            return Date::new(
                i32::try_from(n[0]).ok()?,
                u32::try_from(n[1]).ok()?,
                u32::try_from(n[2]).ok()?,
            );
        }
        let n = numbers('.')?;
        let year = if n[2] < 100 { n[2] + 2000 } else { n[2] };
        Date::new(
            i32::try_from(year).ok()?,
            u32::try_from(n[1]).ok()?,
            u32::try_from(n[0]).ok()?,
        )
    }

    /// Days since 1970-01-01.
    pub fn days_since_epoch(self) -> i64 {
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = i64::from(self.month);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The date `days` after 1970-01-01.
    pub fn from_days_since_epoch(days: i64) -> Date {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = doy - (153 * mp + 2) / 5 + 1;
        let month = if mp < 10 { mp + 3 } else { mp - 9 };
        let year = yoe + era * 400 + i64::from(month <= 2);
        Date {
            year: i32::try_from(year).unwrap_or(i32::MAX),
            month: u32::try_from(month).unwrap_or(1),
            day: u32::try_from(day).unwrap_or(1),
        }
    }
}

/// ISO 8601, as stored in files: "2026-11-25".
impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// A moment, in whole seconds since 1970-01-01 00:00 UTC.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Timestamp(pub i64);

impl Timestamp {
    /// The UTC date and the time of day (hours, minutes, seconds).
    pub fn date_time(self) -> (Date, u32, u32, u32) {
        let days = self.0.div_euclid(86_400);
        let secs = self.0.rem_euclid(86_400);
        let h = u32::try_from(secs / 3600).unwrap_or(0);
        let m = u32::try_from(secs % 3600 / 60).unwrap_or(0);
        let s = u32::try_from(secs % 60).unwrap_or(0);
        (Date::from_days_since_epoch(days), h, m, s)
    }

    /// Parses "2026-11-25T08:15:00Z" (as written by [`fmt::Display`]); a bare date is midnight.
    pub fn parse(text: &str) -> Option<Timestamp> {
        let t = text.trim().trim_end_matches('Z');
        let (date, time) = t.split_once(['T', ' ']).unwrap_or((t, "00:00:00"));
        let date = Date::parse(date)?;
        let mut parts = time.split(':').map(|p| p.parse::<i64>().ok());
        let h = parts.next().flatten()?;
        let m = parts.next().flatten().unwrap_or(0);
        let s = parts.next().flatten().unwrap_or(0);
        if !(0..24).contains(&h) || !(0..60).contains(&m) || !(0..61).contains(&s) {
            return None;
        }
        Some(Timestamp(
            date.days_since_epoch() * 86_400 + h * 3600 + m * 60 + s,
        ))
    }
}

/// ISO 8601 in UTC: "2026-11-25T08:15:00Z".
impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (d, h, m, s) = self.date_time();
        write!(f, "{d}T{h:02}:{m:02}:{s:02}Z")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_read_in_iso_and_german_writing() {
        let d = Date::new(2026, 11, 25);
        assert_eq!(Date::parse("2026-11-25"), d);
        assert_eq!(Date::parse(" 25.11.2026 "), d);
        assert_eq!(Date::parse("25.11.26"), d);
        assert_eq!(Date::parse("31.02.2026"), None);
        assert_eq!(Date::parse("29.02.2024"), Date::new(2024, 2, 29));
        assert_eq!(Date::parse("morgen"), None);
        assert_eq!(Date::parse(""), None);
    }

    #[test]
    fn days_since_epoch_round_trip_over_centuries() {
        assert_eq!(Date::new(1970, 1, 1).map(Date::days_since_epoch), Some(0));
        assert_eq!(
            Date::new(2000, 3, 1).map(Date::days_since_epoch),
            Some(11_017)
        );
        for days in (-800_000..800_000).step_by(997) {
            let d = Date::from_days_since_epoch(days);
            assert_eq!(d.days_since_epoch(), days, "{d}");
        }
    }

    #[test]
    fn timestamps_print_and_parse_as_iso_utc() {
        let t = Timestamp(1_795_594_500);
        assert_eq!(t.to_string(), "2026-11-25T08:15:00Z");
        assert_eq!(Timestamp::parse("2026-11-25T08:15:00Z"), Some(t));
        assert_eq!(Timestamp::parse("2026-11-25 08:15"), Some(t));
        assert_eq!(Timestamp::parse("2026-11-25T25:00:00Z"), None);
    }
}
