//! Indicator statistics: the region's and each municipality's value, and each area's rank.
//!
//! Computed once per region, so the inspector reads numbers instead of scanning columns every
//! frame. Missing and suppressed values take no part: they are neither zero nor ranked, and a
//! rank says "of how many" so the reader sees when values are missing.

use crate::model::{Aggregation, IndicatorTable, IndicatorValue, Region, Year};

/// Statistics of one indicator.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct IndicatorStats {
    /// The region's value (mean, weighted mean or sum, as the catalogue says).
    pub region: Option<f64>,
    /// Each municipality's value, by municipality index.
    pub municipality: Vec<Option<f64>>,
    /// Each area's rank (1 = highest value) and the number of ranked areas.
    pub rank: Vec<Option<(usize, usize)>>,
    /// Smallest and largest value.
    pub range: Option<(f64, f64)>,
    /// Per year of the indicator (oldest first): the region's and each municipality's value.
    pub years: Vec<YearStats>,
}

/// The region's and the municipalities' value of one indicator in one year.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct YearStats {
    /// The year.
    pub year: Year,
    /// The region's value.
    pub region: Option<f64>,
    /// Each municipality's value, by municipality index.
    pub municipality: Vec<Option<f64>>,
}

/// Statistics of every indicator of a region, in catalogue order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RegionStats {
    /// One entry per indicator.
    pub indicators: Vec<IndicatorStats>,
}

/// Aggregates `values` over the areas in `members` as `aggregation` says.
/// A weighted mean falls back to the plain mean where no area has a weight.
pub fn aggregate(
    table: &IndicatorTable,
    column: usize,
    members: &[usize],
    aggregation: &Aggregation,
) -> Option<f64> {
    aggregate_at(table, column, members, aggregation, None)
}

/// [`aggregate`] over the values of `year` (None: the current values), weighted by the
/// weight's values of the same year.
pub fn aggregate_at(
    table: &IndicatorTable,
    column: usize,
    members: &[usize],
    aggregation: &Aggregation,
    year: Option<Year>,
) -> Option<f64> {
    let year = table.year_shown(column, year);
    let values = table.column_at(column, year);
    let numbers = members
        .iter()
        .filter_map(|&i| values.get(i).and_then(|v| v.number()).map(|v| (i, v)));
    match aggregation {
        Aggregation::Sum => {
            let mut any = false;
            let sum = numbers.inspect(|_| any = true).map(|(_, v)| v).sum();
            any.then_some(sum)
        }
        Aggregation::Mean => mean(numbers.map(|(_, v)| v)),
        Aggregation::WeightedBy(key) => {
            let Some(w_col) = table.position(key) else {
                return mean(numbers.map(|(_, v)| v));
            };
            // The weights of the same year; without it (or without years) the current ones.
            let weights = year
                .and_then(|y| table.column_in(w_col, y))
                .unwrap_or_else(|| table.column(w_col));
            let (mut sum, mut weight) = (0.0, 0.0);
            let mut plain = Vec::new();
            for (i, v) in numbers {
                plain.push(v);
                if let Some(w) = weights.get(i).and_then(|w| w.number()).filter(|w| *w > 0.0) {
                    sum += v * w;
                    weight += w;
                }
            }
            if weight > 0.0 {
                Some(sum / weight)
            } else {
                mean(plain.into_iter())
            }
        }
    }
}

fn mean(values: impl Iterator<Item = f64>) -> Option<f64> {
    let (mut sum, mut n) = (0.0, 0usize);
    for v in values {
        sum += v;
        n += 1;
    }
    (n > 0).then(|| sum / n as f64)
}

/// Ranks of a column: 1 for the highest value; ties share the best rank.
pub fn ranks(values: &[IndicatorValue]) -> Vec<Option<(usize, usize)>> {
    let mut present: Vec<(usize, f64)> = values
        .iter()
        .enumerate()
        .filter_map(|(i, v)| v.number().map(|n| (i, n)))
        .collect();
    present.sort_by(|a, b| b.1.total_cmp(&a.1));
    let n = present.len();
    let mut out = vec![None; values.len()];
    let mut rank = 0;
    for (pos, (i, v)) in present.iter().enumerate() {
        if pos == 0 || *v != present[pos - 1].1 {
            rank = pos + 1;
        }
        out[*i] = Some((rank, n));
    }
    out
}

impl RegionStats {
    /// Computes the statistics of every indicator of `table` over `region`.
    pub fn new(region: &Region, table: &IndicatorTable) -> RegionStats {
        let all: Vec<usize> = (0..region.spaces.len()).collect();
        let indicators = table
            .indicators()
            .iter()
            .enumerate()
            .map(|(c, indicator)| {
                let column = table.column(c);
                let range = column
                    .iter()
                    .filter_map(|v| v.number())
                    .fold(None, |acc, v| {
                        Some(match acc {
                            None => (v, v),
                            Some((lo, hi)) => (f64::min(lo, v), f64::max(hi, v)),
                        })
                    });
                IndicatorStats {
                    region: aggregate(table, c, &all, &indicator.aggregation),
                    municipality: region
                        .municipalities
                        .iter()
                        .map(|m| aggregate(table, c, &m.spaces, &indicator.aggregation))
                        .collect(),
                    rank: ranks(column),
                    range,
                    years: table
                        .years(c)
                        .iter()
                        .map(|&y| YearStats {
                            year: y,
                            region: aggregate_at(table, c, &all, &indicator.aggregation, Some(y)),
                            municipality: region
                                .municipalities
                                .iter()
                                .map(|m| {
                                    aggregate_at(
                                        table,
                                        c,
                                        &m.spaces,
                                        &indicator.aggregation,
                                        Some(y),
                                    )
                                })
                                .collect(),
                        })
                        .collect(),
                }
            })
            .collect();
        RegionStats { indicators }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Indicator;
    use IndicatorValue::{Missing, Number, Suppressed};

    fn table() -> IndicatorTable {
        let mut t = IndicatorTable::default();
        t.push(
            Indicator::from_key("quote"),
            vec![
                Number(10.0),
                Number(30.0),
                Missing,
                Suppressed,
                Number(20.0),
            ],
        );
        t.push(
            Indicator::from_key("einwohner"),
            vec![
                Number(100.0),
                Number(300.0),
                Number(50.0),
                Number(50.0),
                Number(0.0),
            ],
        );
        t
    }

    #[test]
    fn means_skip_missing_and_suppressed_values() {
        let t = table();
        let all = [0, 1, 2, 3, 4];
        assert_eq!(aggregate(&t, 0, &all, &Aggregation::Mean), Some(20.0));
        assert_eq!(aggregate(&t, 0, &all, &Aggregation::Sum), Some(60.0));
        assert_eq!(aggregate(&t, 0, &[2, 3], &Aggregation::Mean), None);
    }

    #[test]
    fn a_weighted_mean_approximates_the_rate_of_the_whole() {
        let t = table();
        // (10*100 + 30*300) / 400; area 4 has weight 0 and so no say.
        let w = aggregate(
            &t,
            0,
            &[0, 1, 2, 3, 4],
            &Aggregation::WeightedBy("einwohner".into()),
        );
        assert_eq!(w, Some(25.0));
        let fallback = aggregate(&t, 0, &[0, 1], &Aggregation::WeightedBy("fehlt".into()));
        assert_eq!(fallback, Some(20.0));
    }

    #[test]
    fn ranks_start_at_the_highest_value_and_count_only_present_values() {
        let r = ranks(t_column(&table()));
        assert_eq!(
            r,
            vec![Some((3, 3)), Some((1, 3)), None, None, Some((2, 3))]
        );
        let ties = ranks(&[Number(5.0), Number(5.0), Number(1.0)]);
        assert_eq!(ties, vec![Some((1, 3)), Some((1, 3)), Some((3, 3))]);
    }

    #[test]
    fn each_year_is_aggregated_with_that_years_weights() {
        let mut t = IndicatorTable::default();
        t.push_series(
            Indicator::from_key("quote"),
            vec![
                (2017, vec![Number(10.0), Number(20.0)]),
                (2023, vec![Number(30.0), Missing]),
            ],
        );
        t.push_series(
            Indicator::from_key("einwohner"),
            vec![
                (2017, vec![Number(300.0), Number(100.0)]),
                (2023, vec![Number(100.0), Number(100.0)]),
            ],
        );
        let weighted = Aggregation::WeightedBy("einwohner".into());
        assert_eq!(
            aggregate_at(&t, 0, &[0, 1], &weighted, Some(2017)),
            Some(12.5)
        );
        assert_eq!(
            aggregate_at(&t, 0, &[0, 1], &weighted, Some(2023)),
            Some(30.0)
        );
        assert_eq!(
            aggregate_at(&t, 0, &[0, 1], &weighted, None),
            Some(30.0),
            "current"
        );
    }

    fn t_column(t: &IndicatorTable) -> &[IndicatorValue] {
        t.column(0)
    }
}
