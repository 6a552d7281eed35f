//! Natural order of Sozialraum codes: `A 2` before `A 10`, `A 1a` before `A 1b` before `A 2`.
//!
//! Codes mix letters and numbers; plain string order would put `AC 10` before `AC 2`, which no
//! planner would accept in a list or a legend.

use std::cmp::Ordering;

/// Compares two codes, treating runs of digits as numbers (case-insensitive otherwise).
pub fn natural_cmp(a: &str, b: &str) -> Ordering {
    let mut x = a.chars().peekable();
    let mut y = b.chars().peekable();
    loop {
        match (x.peek().copied(), y.peek().copied()) {
            (None, None) => return a.cmp(b),
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(c), Some(d)) if c.is_ascii_digit() && d.is_ascii_digit() => {
                let n = take_number(&mut x);
                let m = take_number(&mut y);
                // Compare by length of the significant digits, then lexically: no overflow.
                let (n, m) = (n.trim_start_matches('0'), m.trim_start_matches('0'));
                let ord = n.len().cmp(&m.len()).then_with(|| n.cmp(m));
                if ord != Ordering::Equal {
                    return ord;
                }
            }
            (Some(c), Some(d)) => {
                let ord = c.to_lowercase().cmp(d.to_lowercase());
                if ord != Ordering::Equal {
                    return ord;
                }
                x.next();
                y.next();
            }
        }
    }
}

fn take_number(it: &mut std::iter::Peekable<std::str::Chars<'_>>) -> String {
    let mut s = String::new();
    while let Some(c) = it.peek().copied().filter(char::is_ascii_digit) {
        s.push(c);
        it.next();
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_sort_like_a_planner_reads_them() {
        let mut codes = vec![
            "A 10", "A 2b", "A 1b", "AC 10", "A 2a", "A 1a", "AC 2", "A 11a", "A 3",
        ];
        codes.sort_by(|a, b| natural_cmp(a, b));
        assert_eq!(
            codes,
            vec![
                "A 1a", "A 1b", "A 2a", "A 2b", "A 3", "A 10", "A 11a", "AC 2", "AC 10"
            ]
        );
    }

    #[test]
    fn long_numbers_do_not_overflow() {
        assert_eq!(
            natural_cmp("k053340002002", "k053340002010"),
            Ordering::Less
        );
        assert_eq!(
            natural_cmp("99999999999999999999999", "1"),
            Ordering::Greater
        );
    }
}
