//! Status × dynamics, in the manner of Berlin's Monitoring Soziale Stadtentwicklung: each area
//! gets a status group from where its value lies among the areas in the later year, and a
//! dynamics group from how its value changed since the earlier year, both measured in
//! standard deviations (z-scores) so the limits mean the same for any indicator or index.
//!
//! The indicator is read as "high means need" (an index built that way, or a share such as
//! the SGB II quota): status 1 "hoch" is least need, 4 "sehr niedrig" most; dynamics
//! "positiv" is need falling relative to the others, "negativ" need rising.

use crate::model::{IndicatorTable, IndicatorValue, Year};

/// How the typology is formed.
#[derive(Debug, Clone, PartialEq)]
pub struct TypologySpec {
    /// The indicator (usually an index) the groups are formed from.
    pub key: String,
    /// The earlier year of the dynamics.
    pub from: Year,
    /// The later year: status, and the end of the dynamics.
    pub to: Year,
    /// Limits of the status groups in z (ascending; 3 limits give 4 groups).
    pub status_limits: Vec<f64>,
    /// Limits of the dynamics groups in z (ascending; 2 limits give 3 groups).
    pub dynamics_limits: Vec<f64>,
}

impl TypologySpec {
    /// The MSS-like default: status at −1, +1 and +1,5 standard deviations, dynamics at ±1.
    pub fn new(key: &str, from: Year, to: Year) -> TypologySpec {
        TypologySpec {
            key: key.to_string(),
            from,
            to,
            status_limits: vec![-1.0, 1.0, 1.5],
            dynamics_limits: vec![-1.0, 1.0],
        }
    }
}

/// Where one area stands.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AreaType {
    /// The value in the later year.
    pub value: f64,
    /// Its z-score among the areas.
    pub status_z: f64,
    /// The change since the earlier year.
    pub change: f64,
    /// Its z-score among the areas' changes.
    pub dynamics_z: f64,
    /// The status group, 0 (least need) to the number of status limits.
    pub status: usize,
    /// The dynamics group, 0 (improving) to the number of dynamics limits.
    pub dynamics: usize,
}

/// The group of `z` among ascending `limits`: how many limits it exceeds (a value on a limit
/// stays in the lower group).
pub fn group_of(z: f64, limits: &[f64]) -> usize {
    limits.iter().filter(|l| z > **l).count()
}

fn z_scores(values: &[Option<f64>]) -> Vec<Option<f64>> {
    let present: Vec<f64> = values.iter().flatten().copied().collect();
    if present.is_empty() {
        return vec![None; values.len()];
    }
    let n = present.len() as f64;
    let mean = present.iter().sum::<f64>() / n;
    let sd = (present.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / n).sqrt();
    values
        .iter()
        .map(|v| v.map(|v| if sd > 0.0 { (v - mean) / sd } else { 0.0 }))
        .collect()
}

/// The type of every area; None where a value of either year is missing or withheld.
pub fn typology(table: &IndicatorTable, spec: &TypologySpec) -> Vec<Option<AreaType>> {
    let Some(p) = table.position(&spec.key) else {
        return Vec::new();
    };
    let (Some(from), Some(to)) = (table.column_in(p, spec.from), table.column_in(p, spec.to))
    else {
        return vec![None; table.column(p).len()];
    };
    let usable = |i: usize, v: IndicatorValue, year: Year| {
        v.number()
            .filter(|_| !table.is_small_number_at(p, i, Some(year)))
    };
    let n = to.len();
    let later: Vec<Option<f64>> = (0..n).map(|i| usable(i, to[i], spec.to)).collect();
    let earlier: Vec<Option<f64>> = (0..n)
        .map(|i| from.get(i).and_then(|v| usable(i, *v, spec.from)))
        .collect();
    let change: Vec<Option<f64>> = later
        .iter()
        .zip(&earlier)
        .map(|(b, a)| Some((*b)? - (*a)?))
        .collect();
    // Status over the areas that have both years, so both groups speak of the same areas.
    let status_values: Vec<Option<f64>> =
        later.iter().zip(&change).map(|(v, c)| c.and(*v)).collect();
    let status_z = z_scores(&status_values);
    let dynamics_z = z_scores(&change);
    (0..n)
        .map(|i| {
            let (value, sz, change, dz) =
                (status_values[i]?, status_z[i]?, change[i]?, dynamics_z[i]?);
            Some(AreaType {
                value,
                status_z: sz,
                change,
                dynamics_z: dz,
                status: group_of(sz, &spec.status_limits),
                dynamics: group_of(dz, &spec.dynamics_limits),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Indicator;
    use IndicatorValue::{Missing, Number};

    #[test]
    fn a_value_on_a_limit_stays_in_the_lower_group() {
        let limits = [-1.0, 1.0, 1.5];
        assert_eq!(group_of(-2.0, &limits), 0);
        assert_eq!(group_of(-1.0, &limits), 0);
        assert_eq!(group_of(0.0, &limits), 1);
        assert_eq!(group_of(1.0, &limits), 1);
        assert_eq!(group_of(1.2, &limits), 2);
        assert_eq!(group_of(1.5, &limits), 2);
        assert_eq!(group_of(3.0, &limits), 3);
    }

    #[test]
    fn status_is_the_later_position_and_dynamics_the_relative_change() {
        let mut t = IndicatorTable::default();
        // Area 4 is far worse off and got worse fastest; area 5 lacks the earlier year.
        let then = vec![
            Number(10.0),
            Number(10.0),
            Number(11.0),
            Number(12.0),
            Number(20.0),
            Missing,
        ];
        let now = vec![
            Number(10.0),
            Number(9.0),
            Number(11.0),
            Number(12.0),
            Number(30.0),
            Number(50.0),
        ];
        t.push_series(Indicator::from_key("q"), vec![(2017, then), (2023, now)]);
        let types = typology(&t, &TypologySpec::new("q", 2017, 2023));
        assert_eq!(types[5], None, "no earlier year: no type, never 0");
        let worst = types[4].expect("type");
        assert_eq!((worst.status, worst.dynamics), (3, 2));
        assert_eq!(worst.change, 10.0);
        let improving = types[1].expect("type");
        assert!(improving.dynamics_z < 0.0);
        assert_eq!(improving.status, 1, "about average");
        // The z-scores are over the five areas with both years.
        let mean_z: f64 = types.iter().flatten().map(|t| t.status_z).sum::<f64>() / 5.0;
        assert!(mean_z.abs() < 1e-12);
    }
}
