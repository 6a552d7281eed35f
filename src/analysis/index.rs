//! Composite indices: standardise each input (z-score, min–max or rank), turn round the
//! inputs where a high value means less need, and take the weighted mean; per year when every
//! input has that year. And how robust the result is: how many areas change class when one
//! weight moves by ±10 %.
//!
//! An area lacking any input in a year gets no index value for that year (never a partial
//! one); an input withheld for data protection (or under the small-number rule) withholds the
//! index too.

use super::breaks::{BreakMethod, class_breaks, class_of};
use super::rules::percentile_rank;
use crate::model::{
    IndexDefinition, Indicator, IndicatorTable, IndicatorValue, Series, Standardisation, Unit, Year,
};

/// Why an index cannot be computed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IndexError {
    /// No inputs, or every weight 0.
    NoInputs,
    /// An input names an indicator the map does not have.
    UnknownIndicator(String),
    /// An input is itself an index (not supported: its definition could refer back).
    IndexOfIndex(String),
}

impl IndexError {
    /// The message for the user.
    pub fn describe(&self, lang: crate::i18n::Lang) -> String {
        use crate::i18n::T;
        match self {
            IndexError::NoInputs => lang.t(T::IndexNoInputs).to_string(),
            IndexError::UnknownIndicator(k) => lang.tf(T::IndexUnknownInput, &[("key", k)]),
            IndexError::IndexOfIndex(k) => lang.tf(T::IndexOfIndex, &[("key", k)]),
        }
    }
}

/// The standardised values of one column: None where there is no number.
pub fn standardise(values: &[IndicatorValue], method: Standardisation) -> Vec<Option<f64>> {
    let numbers: Vec<f64> = values.iter().filter_map(|v| v.number()).collect();
    if numbers.is_empty() {
        return vec![None; values.len()];
    }
    let n = numbers.len() as f64;
    let mean = numbers.iter().sum::<f64>() / n;
    let sd = (numbers.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / n).sqrt();
    let (min, max) = numbers
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
            (a.min(*v), b.max(*v))
        });
    // Sorted only for ranks: a z-score or min–max needs no order.
    let sorted = if method == Standardisation::Rank {
        let mut sorted = numbers.clone();
        sorted.sort_by(f64::total_cmp);
        sorted
    } else {
        Vec::new()
    };
    values
        .iter()
        .map(|v| {
            let v = v.number()?;
            Some(match method {
                Standardisation::ZScore if sd > 0.0 => (v - mean) / sd,
                Standardisation::ZScore => 0.0,
                Standardisation::MinMax if max > min => (v - min) / (max - min) * 100.0,
                Standardisation::MinMax => 50.0,
                Standardisation::Rank => percentile_rank(&sorted, v),
            })
        })
        .collect()
}

/// The inputs' positions, or why there are none to use.
fn input_columns(table: &IndicatorTable, def: &IndexDefinition) -> Result<Vec<usize>, IndexError> {
    let shares = def.shares();
    if def.inputs.is_empty() || shares.iter().all(|s| *s == 0.0) {
        return Err(IndexError::NoInputs);
    }
    def.inputs
        .iter()
        .map(|i| {
            let p = table
                .position(&i.indicator)
                .ok_or_else(|| IndexError::UnknownIndicator(i.indicator.clone()))?;
            if table.indicators()[p].index.is_some() {
                return Err(IndexError::IndexOfIndex(i.indicator.clone()));
            }
            Ok(p)
        })
        .collect()
}

/// The index of every area from the inputs' values of `year` (None: current values), with
/// the weights `shares` (one per input, summing to 1).
fn column_with(
    table: &IndicatorTable,
    def: &IndexDefinition,
    columns: &[usize],
    shares: &[f64],
    year: Option<Year>,
) -> Vec<IndicatorValue> {
    let n = columns
        .iter()
        .map(|&c| table.column_at(c, year).len())
        .max()
        .unwrap_or(0);
    let mut sum = vec![0.0; n];
    let mut state = vec![IndicatorValue::Number(0.0); n];
    for ((input, &c), &share) in def.inputs.iter().zip(columns).zip(shares) {
        let values = table.column_at(c, year);
        let standard = standardise(values, def.standardisation);
        for i in 0..n {
            let withheld = matches!(values.get(i), Some(IndicatorValue::Suppressed))
                || table.is_small_number_at(c, i, year);
            match (withheld, standard.get(i).copied().flatten()) {
                (true, _) => state[i] = IndicatorValue::Suppressed,
                (false, Some(z)) => {
                    let signed = if input.inverted {
                        match def.standardisation {
                            Standardisation::ZScore => -z,
                            Standardisation::MinMax | Standardisation::Rank => 100.0 - z,
                        }
                    } else {
                        z
                    };
                    sum[i] += share * signed;
                }
                (false, None) => {
                    if state[i] != IndicatorValue::Suppressed {
                        state[i] = IndicatorValue::Missing;
                    }
                }
            }
        }
    }
    (0..n)
        .map(|i| match state[i] {
            IndicatorValue::Number(_) => IndicatorValue::Number(sum[i]),
            other => other,
        })
        .collect()
}

/// The index in one year (None: from the current values).
pub fn index_column(
    table: &IndicatorTable,
    def: &IndexDefinition,
    year: Option<Year>,
) -> Result<Vec<IndicatorValue>, IndexError> {
    let columns = input_columns(table, def)?;
    Ok(column_with(table, def, &columns, &def.shares(), year))
}

/// The years every input has values for.
pub fn common_years(table: &IndicatorTable, def: &IndexDefinition) -> Vec<Year> {
    let Ok(columns) = input_columns(table, def) else {
        return Vec::new();
    };
    let mut years: Option<Vec<Year>> = None;
    for c in columns {
        let own = table.years(c);
        years = Some(match years {
            None => own.to_vec(),
            Some(y) => y.into_iter().filter(|x| own.contains(x)).collect(),
        });
    }
    years.unwrap_or_default()
}

/// The index's values: a series over the years every input has, or one undated column from
/// the current values when they share no year.
pub fn index_values(
    table: &IndicatorTable,
    def: &IndexDefinition,
) -> Result<Result<Series, Vec<IndicatorValue>>, IndexError> {
    let columns = input_columns(table, def)?;
    let shares = def.shares();
    let years = common_years(table, def);
    if years.is_empty() {
        return Ok(Err(column_with(table, def, &columns, &shares, None)));
    }
    Ok(Ok(years
        .into_iter()
        .map(|y| (y, column_with(table, def, &columns, &shares, Some(y))))
        .collect()))
}

/// The catalogue entry of an index: unit "Index", neutral to need unless every input points
/// the same way, the inputs named in the source.
pub fn index_indicator(
    key: &str,
    label_de: &str,
    label_en: &str,
    def: IndexDefinition,
) -> Indicator {
    let mut indicator = Indicator::from_key(key);
    indicator.label_de = label_de.to_string();
    indicator.label_en = if label_en.is_empty() {
        label_de.to_string()
    } else {
        label_en.to_string()
    };
    indicator.unit = Unit::Index;
    indicator.polarity = crate::model::Polarity::HighIsNeed;
    indicator.theme = "Indizes".to_string();
    indicator.decimals = match def.standardisation {
        Standardisation::ZScore => 2,
        Standardisation::MinMax | Standardisation::Rank => 1,
    };
    indicator.source = "berechnet".to_string();
    indicator.index = Some(def);
    indicator
}

/// Puts the index `indicator` (its definition in `indicator.index`) into `table` with its
/// values computed, replacing an indicator of the same key.
pub fn put_index(table: &mut IndicatorTable, indicator: Indicator) -> Result<(), IndexError> {
    let Some(def) = &indicator.index else {
        return Err(IndexError::NoInputs);
    };
    match index_values(table, def)? {
        Ok(series) => {
            // Replace, not merge: years an input lost must not stay behind.
            table.upsert(indicator.clone(), Vec::new());
            table.merge_series(indicator, series);
        }
        Err(undated) => table.upsert(indicator, undated),
    }
    Ok(())
}

/// Computes every index of `table` anew from its definition (after its inputs changed); an
/// index whose inputs are gone keeps no values.
pub fn refresh(table: &mut IndicatorTable) {
    let indices: Vec<Indicator> = table
        .indicators()
        .iter()
        .filter(|i| i.index.is_some())
        .cloned()
        .collect();
    for indicator in indices {
        if put_index(table, indicator.clone()).is_err() {
            let n = table.column(0).len();
            table.upsert(indicator, vec![IndicatorValue::Missing; n]);
        }
    }
}

/// What moving one weight does.
#[derive(Debug, Clone, PartialEq)]
pub struct WeightEffect {
    /// The input's indicator key.
    pub indicator: String,
    /// Areas in another class with the weight 10 % higher.
    pub up: usize,
    /// Areas in another class with the weight 10 % lower.
    pub down: usize,
}

/// The robustness check: for each input, how many areas change class (quantiles, `classes`
/// of them, computed anew on the changed index) when its weight is 10 % higher or lower.
pub fn robustness(
    table: &IndicatorTable,
    def: &IndexDefinition,
    classes: usize,
    year: Option<Year>,
) -> Result<Vec<WeightEffect>, IndexError> {
    let columns = input_columns(table, def)?;
    let classes_of = |values: &[IndicatorValue]| -> Vec<Option<usize>> {
        let numbers: Vec<f64> = values.iter().filter_map(|v| v.number()).collect();
        let limits =
            class_breaks(&numbers, BreakMethod::Quantile, classes, &[]).unwrap_or_default();
        values
            .iter()
            .map(|v| v.number().and_then(|x| class_of(x, &limits)))
            .collect()
    };
    let base = classes_of(&column_with(table, def, &columns, &def.shares(), year));
    let moved = |k: usize, factor: f64| -> usize {
        let mut changed = def.clone();
        changed.inputs[k].weight *= factor;
        let values = column_with(table, &changed, &columns, &changed.shares(), year);
        classes_of(&values)
            .iter()
            .zip(&base)
            .filter(|(a, b)| a.is_some() && b.is_some() && a != b)
            .count()
    };
    Ok(def
        .inputs
        .iter()
        .enumerate()
        .map(|(k, input)| WeightEffect {
            indicator: input.indicator.clone(),
            up: moved(k, 1.1),
            down: moved(k, 0.9),
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::IndexInput;
    use IndicatorValue::{Missing, Number, Suppressed};

    fn column(v: &[f64]) -> Vec<IndicatorValue> {
        v.iter().map(|x| Number(*x)).collect()
    }

    #[test]
    fn each_standardisation_puts_the_values_on_its_scale() {
        let v = column(&[2.0, 4.0, 6.0, 8.0]);
        let z = standardise(&v, Standardisation::ZScore);
        let sd = 5.0f64.sqrt();
        assert!((z[0].expect("z") + 3.0 / sd).abs() < 1e-12);
        assert!((z.iter().flatten().sum::<f64>()).abs() < 1e-12, "mean 0");
        for method in [Standardisation::MinMax, Standardisation::Rank] {
            let s = standardise(&v, method);
            for (got, want) in s.iter().zip([0.0, 100.0 / 3.0, 200.0 / 3.0, 100.0]) {
                assert!(
                    (got.expect("value") - want).abs() < 1e-9,
                    "{method:?} {s:?}"
                );
            }
        }
        let gaps = standardise(
            &[Number(1.0), Missing, Suppressed, Number(1.0)],
            Standardisation::ZScore,
        );
        assert_eq!(gaps, vec![Some(0.0), None, None, Some(0.0)], "no spread: 0");
    }

    fn table() -> IndicatorTable {
        let mut t = IndicatorTable::default();
        t.push_series(
            Indicator::from_key("armut"),
            vec![
                (2017, column(&[10.0, 20.0, 30.0, 40.0])),
                (2023, column(&[12.0, 20.0, 28.0, 44.0])),
            ],
        );
        t.push_series(
            Indicator::from_key("gymnasium"),
            vec![
                (2017, column(&[60.0, 50.0, 40.0, 30.0])),
                (
                    2023,
                    vec![Number(62.0), Missing, Number(40.0), Number(20.0)],
                ),
            ],
        );
        t.push(
            Indicator::from_key("flaeche"),
            column(&[1.0, 2.0, 3.0, 4.0]),
        );
        t
    }

    fn need_index(weights: [f64; 2]) -> IndexDefinition {
        IndexDefinition {
            inputs: vec![
                IndexInput {
                    indicator: "armut".into(),
                    weight: weights[0],
                    inverted: false,
                },
                IndexInput {
                    indicator: "gymnasium".into(),
                    weight: weights[1],
                    inverted: true,
                },
            ],
            standardisation: Standardisation::ZScore,
            reading: String::new(),
        }
    }

    #[test]
    fn an_index_is_the_weighted_mean_of_the_turned_standard_scores_per_year() {
        let t = table();
        let def = need_index([3.0, 1.0]);
        assert_eq!(common_years(&t, &def), vec![2017, 2023]);
        let y2017 = index_column(&t, &def, Some(2017)).expect("index");
        // Both inputs rise towards area 3 once the Gymnasium quota is turned round.
        let z = standardise(&column(&[10.0, 20.0, 30.0, 40.0]), Standardisation::ZScore);
        for i in 0..4 {
            let expected = 0.75 * z[i].expect("z") + 0.25 * z[i].expect("z");
            assert!(
                (y2017[i].number().expect("n") - expected).abs() < 1e-12,
                "{i}"
            );
        }
        let y2023 = index_column(&t, &def, Some(2023)).expect("index");
        assert_eq!(
            y2023[1], Missing,
            "no partial index where an input is missing"
        );
        let mut with = t.clone();
        put_index(
            &mut with,
            index_indicator("bedarf", "Bedarfsindex", "", def),
        )
        .expect("put");
        let p = with.position("bedarf").expect("index");
        assert_eq!(with.years(p), &[2017, 2023]);
        assert_eq!(with.indicators()[p].unit, Unit::Index);
    }

    #[test]
    fn a_withheld_input_withholds_the_index_and_bad_definitions_are_named() {
        let mut t = table();
        let mut y = t.column_in(0, 2023).expect("2023").to_vec();
        y[2] = Suppressed;
        t.merge_series(t.indicators()[0].clone(), vec![(2023, y)]);
        let v = index_column(&t, &need_index([1.0, 1.0]), Some(2023)).expect("index");
        assert_eq!(v[2], Suppressed);
        let mut bad = need_index([1.0, 1.0]);
        bad.inputs[0].indicator = "gibtsnicht".into();
        assert_eq!(
            index_column(&t, &bad, None),
            Err(IndexError::UnknownIndicator("gibtsnicht".into()))
        );
        assert_eq!(
            index_column(&t, &need_index([0.0, 0.0]), None),
            Err(IndexError::NoInputs)
        );
    }

    #[test]
    fn robustness_counts_areas_that_change_class_when_a_weight_moves() {
        // Two inputs that disagree: who is in which class depends on the weights.
        let mut t = IndicatorTable::default();
        let n = 40;
        let a: Vec<f64> = (0..n).map(|i| i as f64).collect();
        let b: Vec<f64> = (0..n).map(|i| ((i * 17) % n) as f64).collect();
        t.push(Indicator::from_key("a"), column(&a));
        t.push(Indicator::from_key("b"), column(&b));
        let def = IndexDefinition {
            inputs: vec![
                IndexInput {
                    indicator: "a".into(),
                    weight: 1.0,
                    inverted: false,
                },
                IndexInput {
                    indicator: "b".into(),
                    weight: 1.0,
                    inverted: false,
                },
            ],
            standardisation: Standardisation::ZScore,
            reading: String::new(),
        };
        let effects = robustness(&t, &def, 5, None).expect("check");
        assert_eq!(effects.len(), 2);
        let moved: usize = effects.iter().map(|e| e.up + e.down).sum();
        assert!(moved > 0, "{effects:?}");
        assert!(effects.iter().all(|e| e.up < n && e.down < n));
        // One input alone: its weight does not matter at all.
        let mut single = def.clone();
        single.inputs.truncate(1);
        let effects = robustness(&t, &single, 5, None).expect("check");
        assert_eq!((effects[0].up, effects[0].down), (0, 0));
    }
}
