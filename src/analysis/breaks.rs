//! Class breaks for indicator maps: quantile, equal interval, natural breaks (Jenks), standard
//! deviation and manual.
//!
//! Breaks are the class limits from the minimum to the maximum: `k` classes have `k + 1`
//! limits, class `i` holds the values in (`limit[i]`, `limit[i + 1]`] (the first class also its
//! lower limit). Only numbers take part: missing and suppressed values belong to no class, and
//! are never counted as zero. Where the data allow fewer distinct classes than asked (ties,
//! standard deviations beyond the data), fewer classes are returned rather than empty ones.

use thiserror::Error;

/// How class limits are found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum BreakMethod {
    /// Equal numbers of areas per class (quantiles, linear interpolation).
    #[default]
    Quantile,
    /// Classes of equal width.
    EqualInterval,
    /// Natural breaks: the Fisher–Jenks optimum, least squared deviation within classes.
    NaturalBreaks,
    /// Classes one standard deviation wide, centred on the mean.
    StdDev,
    /// Limits given by the user.
    Manual,
}

impl BreakMethod {
    /// Every method, in menu order.
    pub const ALL: [BreakMethod; 5] = [
        BreakMethod::Quantile,
        BreakMethod::EqualInterval,
        BreakMethod::NaturalBreaks,
        BreakMethod::StdDev,
        BreakMethod::Manual,
    ];

    /// Stable key for files and the command line.
    pub fn key(self) -> &'static str {
        match self {
            BreakMethod::Quantile => "quantile",
            BreakMethod::EqualInterval => "equal",
            BreakMethod::NaturalBreaks => "jenks",
            BreakMethod::StdDev => "stddev",
            BreakMethod::Manual => "manual",
        }
    }

    /// Parses a key (also a few common synonyms).
    pub fn parse(text: &str) -> Option<BreakMethod> {
        match text.trim().to_lowercase().as_str() {
            "quantile" | "quantil" | "quantiles" => Some(BreakMethod::Quantile),
            "equal" | "equal-interval" | "gleich" | "intervall" => Some(BreakMethod::EqualInterval),
            "jenks" | "natural" | "natural-breaks" | "natuerlich" => {
                Some(BreakMethod::NaturalBreaks)
            }
            "stddev" | "std" | "standardabweichung" => Some(BreakMethod::StdDev),
            "manual" | "manuell" => Some(BreakMethod::Manual),
            _ => None,
        }
    }
}

/// Why no breaks could be made.
#[derive(Debug, Error, PartialEq)]
pub enum BreakError {
    /// No area has a value.
    #[error("no values")]
    NoValues,
    /// Manual limits are not increasing or lie outside the data.
    #[error("manual limits must increase and lie between the smallest and the largest value")]
    BadManual,
}

/// Most values the exact natural-breaks optimisation looks at; more are sampled evenly (by
/// rank), as QGIS does, so that 11,000 areas take milliseconds, not seconds.
pub const JENKS_MAX_VALUES: usize = 3000;

/// Class limits of `values` (numbers only, any order) by `method` into `classes` classes.
/// `manual` holds the inner limits for [`BreakMethod::Manual`].
pub fn class_breaks(
    values: &[f64],
    method: BreakMethod,
    classes: usize,
    manual: &[f64],
) -> Result<Vec<f64>, BreakError> {
    let mut sorted: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
    if sorted.is_empty() {
        return Err(BreakError::NoValues);
    }
    sorted.sort_by(f64::total_cmp);
    let (min, max) = (sorted[0], sorted[sorted.len() - 1]);
    let k = classes.max(1);
    let mut limits = match method {
        BreakMethod::Quantile => {
            let mut l = vec![min];
            l.extend((1..k).map(|i| quantile(&sorted, i as f64 / k as f64)));
            l.push(max);
            l
        }
        BreakMethod::EqualInterval => (0..=k)
            .map(|i| {
                if i == k {
                    max
                } else {
                    min + (max - min) * i as f64 / k as f64
                }
            })
            .collect(),
        BreakMethod::NaturalBreaks => jenks(&sample(&sorted), k),
        BreakMethod::StdDev => std_dev_limits(&sorted, k),
        BreakMethod::Manual => {
            let increasing = manual.windows(2).all(|w| w[0] < w[1]);
            let inside = manual.iter().all(|m| *m > min && *m < max);
            if !increasing || !inside {
                return Err(BreakError::BadManual);
            }
            let mut l = vec![min];
            l.extend_from_slice(manual);
            l.push(max);
            l
        }
    };
    limits.dedup_by(|a, b| a == b);
    if limits.len() == 1 {
        limits.push(max);
    }
    Ok(limits)
}

/// Linear-interpolation quantile (type 7) of sorted values.
fn quantile(sorted: &[f64], q: f64) -> f64 {
    let p = q * (sorted.len() - 1) as f64;
    let lo = p.floor() as usize;
    let hi = p.ceil() as usize;
    sorted[lo] + (p - lo as f64) * (sorted[hi] - sorted[lo])
}

/// At most [`JENKS_MAX_VALUES`] values spread evenly over the sorted list, ends included.
fn sample(sorted: &[f64]) -> Vec<f64> {
    let n = sorted.len();
    if n <= JENKS_MAX_VALUES {
        return sorted.to_vec();
    }
    (0..JENKS_MAX_VALUES)
        .map(|i| sorted[i * (n - 1) / (JENKS_MAX_VALUES - 1)])
        .collect()
}

/// Fisher–Jenks: the partition of sorted values into `k` runs with the least total squared
/// deviation from the run means, by dynamic programming with prefix sums (O(k n²)).
fn jenks(sorted: &[f64], k: usize) -> Vec<f64> {
    let n = sorted.len();
    let k = k.min(n);
    let (min, max) = (sorted[0], sorted[n - 1]);
    if k <= 1 {
        return vec![min, max];
    }
    let mut sum = vec![0.0; n + 1];
    let mut sum_sq = vec![0.0; n + 1];
    for (i, v) in sorted.iter().enumerate() {
        sum[i + 1] = sum[i] + v;
        sum_sq[i + 1] = sum_sq[i] + v * v;
    }
    // Squared deviation of sorted[a..b].
    let cost = |a: usize, b: usize| {
        let m = (b - a) as f64;
        let s = sum[b] - sum[a];
        (sum_sq[b] - sum_sq[a]) - s * s / m
    };
    // best[c][j]: least cost of putting the first j values into c + 1 classes.
    let mut best = vec![vec![f64::INFINITY; n + 1]; k];
    let mut cut = vec![vec![0usize; n + 1]; k];
    for (j, b) in best[0].iter_mut().enumerate().skip(1) {
        *b = cost(0, j);
    }
    for c in 1..k {
        for j in (c + 1)..=n {
            for i in c..j {
                let candidate = best[c - 1][i] + cost(i, j);
                if candidate < best[c][j] {
                    best[c][j] = candidate;
                    cut[c][j] = i;
                }
            }
        }
    }
    let mut limits = vec![max];
    let mut j = n;
    for c in (1..k).rev() {
        let i = cut[c][j];
        // The limit is the largest value of the lower class.
        limits.push(sorted[i - 1]);
        j = i;
    }
    limits.push(min);
    limits.reverse();
    limits
}

/// Limits one standard deviation apart, centred on the mean; inner limits beyond the data
/// are dropped.
fn std_dev_limits(sorted: &[f64], k: usize) -> Vec<f64> {
    let n = sorted.len() as f64;
    let mean = sorted.iter().sum::<f64>() / n;
    let sd = (sorted.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / n).sqrt();
    let (min, max) = (sorted[0], sorted[sorted.len() - 1]);
    let mut limits = vec![min];
    if sd > 0.0 {
        for i in 1..k {
            let limit = mean + (i as f64 - k as f64 / 2.0) * sd;
            if limit > min && limit < max {
                limits.push(limit);
            }
        }
    }
    limits.push(max);
    limits
}

/// The class of `value` for `limits`, or None outside them.
pub fn class_of(value: f64, limits: &[f64]) -> Option<usize> {
    let classes = limits.len().checked_sub(1)?;
    if classes == 0 || !value.is_finite() || value < limits[0] || value > limits[classes] {
        return None;
    }
    Some(
        (1..=classes)
            .find(|&i| value <= limits[i])
            .map_or(classes - 1, |i| i - 1),
    )
}

/// The number of values per class.
pub fn class_counts(values: &[f64], limits: &[f64]) -> Vec<usize> {
    let mut counts = vec![0usize; limits.len().saturating_sub(1)];
    for v in values {
        if let Some(c) = class_of(*v, limits) {
            counts[c] += 1;
        }
    }
    counts
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: &[f64], b: &[f64]) -> bool {
        a.len() == b.len() && a.iter().zip(b).all(|(x, y)| (x - y).abs() < 1e-9)
    }

    #[test]
    fn natural_breaks_match_the_published_example() {
        // The example of the jenkspy documentation: breaks 1.2, 2.3, 5.0, 7.8.
        let data = [1.3, 7.1, 7.3, 2.3, 3.9, 4.1, 7.8, 1.2, 4.3, 7.3, 5.0, 4.3];
        let limits = class_breaks(&data, BreakMethod::NaturalBreaks, 3, &[]).expect("breaks");
        assert!(close(&limits, &[1.2, 2.3, 5.0, 7.8]), "{limits:?}");
    }

    /// Total squared deviation within the classes of a partition given by limits.
    fn within_ssd(sorted: &[f64], limits: &[f64]) -> f64 {
        let mut total = 0.0;
        for c in 0..limits.len() - 1 {
            let members: Vec<f64> = sorted
                .iter()
                .copied()
                .filter(|v| class_of(*v, limits) == Some(c))
                .collect();
            if members.is_empty() {
                continue;
            }
            let mean = members.iter().sum::<f64>() / members.len() as f64;
            total += members.iter().map(|v| (v - mean).powi(2)).sum::<f64>();
        }
        total
    }

    #[test]
    fn natural_breaks_are_optimal_against_brute_force() {
        let data = [0.5, 1.0, 1.1, 2.9, 3.0, 3.2, 6.0, 6.1, 6.5, 9.9, 10.0, 14.0];
        let mut sorted = data.to_vec();
        sorted.sort_by(f64::total_cmp);
        for k in 2..=4 {
            let limits = class_breaks(&data, BreakMethod::NaturalBreaks, k, &[]).expect("breaks");
            let got = within_ssd(&sorted, &limits);
            // Every way to cut 12 sorted values into k runs.
            let mut best = f64::INFINITY;
            let n = sorted.len();
            let mut cuts = vec![0usize; k - 1];
            fn search(
                cuts: &mut Vec<usize>,
                depth: usize,
                from: usize,
                n: usize,
                sorted: &[f64],
                best: &mut f64,
            ) {
                if depth == cuts.len() {
                    let mut limits = vec![sorted[0]];
                    limits.extend(cuts.iter().map(|&c| sorted[c - 1]));
                    limits.push(sorted[n - 1]);
                    *best = best.min(within_ssd(sorted, &limits));
                    return;
                }
                for c in from..n {
                    cuts[depth] = c;
                    search(cuts, depth + 1, c + 1, n, sorted, best);
                }
            }
            search(&mut cuts, 0, 1, n, &sorted, &mut best);
            assert!((got - best).abs() < 1e-9, "k={k}: {got} vs optimum {best}");
        }
    }

    #[test]
    fn quantiles_equal_intervals_and_std_dev_give_the_textbook_limits() {
        let data: Vec<f64> = (1..=10).map(f64::from).collect();
        let q = class_breaks(&data, BreakMethod::Quantile, 4, &[]).expect("q");
        assert!(close(&q, &[1.0, 3.25, 5.5, 7.75, 10.0]), "{q:?}");
        let e = class_breaks(&data, BreakMethod::EqualInterval, 3, &[]).expect("e");
        assert!(close(&e, &[1.0, 4.0, 7.0, 10.0]), "{e:?}");
        // Mean 5.5, sd sqrt(8.25) = 2.872…: four classes at mean − sd, mean, mean + sd.
        let s = class_breaks(&data, BreakMethod::StdDev, 4, &[]).expect("s");
        let sd = 8.25f64.sqrt();
        assert!(close(&s, &[1.0, 5.5 - sd, 5.5, 5.5 + sd, 10.0]), "{s:?}");
        let m = class_breaks(&data, BreakMethod::Manual, 0, &[2.5, 8.0]).expect("m");
        assert!(close(&m, &[1.0, 2.5, 8.0, 10.0]));
        assert_eq!(
            class_breaks(&data, BreakMethod::Manual, 0, &[8.0, 2.5]),
            Err(BreakError::BadManual)
        );
        assert_eq!(
            class_breaks(&[], BreakMethod::Quantile, 5, &[]),
            Err(BreakError::NoValues)
        );
    }

    #[test]
    fn ties_give_fewer_classes_not_empty_ones() {
        let data = [1.0, 1.0, 1.0, 1.0, 2.0];
        let q = class_breaks(&data, BreakMethod::Quantile, 4, &[]).expect("q");
        assert!(close(&q, &[1.0, 2.0]), "{q:?}");
        let one = class_breaks(&[3.0], BreakMethod::EqualInterval, 5, &[]).expect("one value");
        assert_eq!(class_of(3.0, &one), Some(0));
    }

    #[test]
    fn every_value_falls_into_exactly_one_class() {
        let limits = [0.0, 10.0, 20.0, 30.0];
        let cases = [
            (0.0, Some(0)),
            (10.0, Some(0)),
            (10.5, Some(1)),
            (30.0, Some(2)),
            (-1.0, None),
            (31.0, None),
            (f64::NAN, None),
        ];
        for (v, expected) in cases {
            assert_eq!(class_of(v, &limits), expected, "{v}");
        }
        assert_eq!(
            class_counts(&[0.0, 5.0, 15.0, 30.0, 99.0], &limits),
            vec![2, 1, 1]
        );
    }

    #[test]
    fn natural_breaks_of_many_values_stay_fast() {
        let data: Vec<f64> = (0..11_299).map(|i| f64::from(i % 977) * 1.7).collect();
        let started = std::time::Instant::now();
        let limits = class_breaks(&data, BreakMethod::NaturalBreaks, 5, &[]).expect("breaks");
        assert_eq!(limits.len(), 6);
        assert!(started.elapsed().as_secs_f64() < 5.0);
    }
}
