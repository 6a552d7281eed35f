//! The years of the indicators in a file: the `zeitreihen` attribute of each area.
//!
//! A GeoJSON feature (and an area in the shared register) carries its series as one nested
//! attribute, `"zeitreihen": {"sgb2_quote": {"2016": 12.1, "2019": null, "2022": "*"}}`: a
//! number, `null` for no data, `"*"` for a value withheld for data protection; an estimate
//! (converted from older areas) is `{"wert": 12.1, "geschaetzt": true}`. The plain
//! attribute of the same name keeps the latest year's value, so QGIS shows the current map.
//! Keyed by the area rather than by position, the series survive a reordered or filtered
//! file. The project file keeps the same content as a table (`atlas_zeitreihen`).

use serde_json::{Map, Value};

use crate::model::{IndicatorTable, IndicatorValue, Series, Year};

/// The attribute holding an area's series.
pub const PROPERTY: &str = "zeitreihen";

/// The JSON of one value: number, null or "*".
pub fn value_json(value: IndicatorValue) -> Value {
    match value {
        IndicatorValue::Number(v) => serde_json::json!(v),
        IndicatorValue::Suppressed => Value::String("*".to_string()),
        IndicatorValue::Missing => Value::Null,
    }
}

/// The JSON of an estimate: `{"wert": …, "geschaetzt": true}`.
pub fn estimate_json(value: IndicatorValue) -> Value {
    serde_json::json!({"wert": value_json(value), "geschaetzt": true})
}

/// Whether a value's JSON marks an estimate.
pub fn is_estimate(json: &Value) -> bool {
    json.get("geschaetzt").and_then(Value::as_bool) == Some(true)
}

/// A value from its JSON (anything else than a finite number, "*" or an estimate's object is
/// no data).
pub fn value_of(json: &Value) -> IndicatorValue {
    match json {
        Value::Object(o) => o.get("wert").map_or(IndicatorValue::Missing, value_of),
        Value::Number(n) => n
            .as_f64()
            .filter(|v| v.is_finite())
            .map_or(IndicatorValue::Missing, IndicatorValue::Number),
        Value::String(s) if s.trim() == "*" => IndicatorValue::Suppressed,
        _ => IndicatorValue::Missing,
    }
}

/// The `zeitreihen` attribute of area `space`: every indicator with years, each year's value.
/// None when no indicator has years.
pub fn property(table: &IndicatorTable, space: usize) -> Option<Value> {
    let mut all = Map::new();
    for (p, indicator) in table.indicators().iter().enumerate() {
        if table.years(p).is_empty() {
            continue;
        }
        let years: Map<String, Value> = table
            .years(p)
            .iter()
            .map(|&y| {
                let v = table.value_at(p, space, Some(y));
                let json = if table.is_estimated(p, space, Some(y)) {
                    estimate_json(v)
                } else {
                    value_json(v)
                };
                (y.to_string(), json)
            })
            .collect();
        all.insert(indicator.key.clone(), Value::Object(years));
    }
    (!all.is_empty()).then_some(Value::Object(all))
}

/// One indicator's series as read, with the areas whose values are estimates per year.
#[derive(Debug, Clone, PartialEq)]
pub struct ReadSeries {
    /// The indicator's key.
    pub key: String,
    /// Its values per year.
    pub series: Series,
    /// Per year (only years with an estimate): which areas' values are estimates.
    pub estimated: Vec<(Year, Vec<bool>)>,
}

/// Per year, the area, its value and whether it is an estimate.
type Found = std::collections::BTreeMap<Year, Vec<(usize, IndicatorValue, bool)>>;

/// The series of every indicator in the areas' `zeitreihen` attributes (`attributes` yields
/// each area's attribute, if it has one, in order), in the order first seen. Years that are
/// not numbers are left out.
pub fn read<'a>(attributes: impl Iterator<Item = Option<&'a Value>>) -> Vec<ReadSeries> {
    let mut order: Vec<String> = Vec::new();
    let mut found: std::collections::HashMap<String, Found> = Default::default();
    let mut n = 0;
    for (i, attribute) in attributes.enumerate() {
        n = i + 1;
        let Some(Value::Object(series)) = attribute else {
            continue;
        };
        for (key, years) in series {
            let Value::Object(years) = years else {
                continue;
            };
            if !found.contains_key(key) {
                order.push(key.clone());
            }
            let entry = found.entry(key.clone()).or_default();
            for (year, value) in years {
                if let Some(y) = crate::model::parse_year(year) {
                    entry
                        .entry(y)
                        .or_default()
                        .push((i, value_of(value), is_estimate(value)));
                }
            }
        }
    }
    order
        .into_iter()
        .map(|key| {
            let years = found.remove(&key).unwrap_or_default();
            let mut estimated = Vec::new();
            let series = years
                .into_iter()
                .map(|(y, values)| {
                    let mut column = vec![IndicatorValue::Missing; n];
                    let mut flags = vec![false; n];
                    for (i, v, e) in values {
                        column[i] = v;
                        flags[i] = e;
                    }
                    if flags.iter().any(|f| *f) {
                        estimated.push((y, flags));
                    }
                    (y, column)
                })
                .collect();
            ReadSeries {
                key,
                series,
                estimated,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Indicator;
    use IndicatorValue::{Missing, Number, Suppressed};

    /// The `zeitreihen` attribute of the first `n` areas, as a file's features carry it.
    fn attributes(t: &IndicatorTable, n: usize) -> Vec<Map<String, Value>> {
        (0..n)
            .map(|i| {
                let mut m = Map::new();
                m.insert(PROPERTY.into(), property(t, i).expect("years"));
                m
            })
            .collect()
    }

    #[test]
    fn series_go_out_and_come_back_per_area() {
        let mut t = IndicatorTable::default();
        t.push_series(
            Indicator::from_key("q"),
            vec![
                (2016, vec![Number(1.5), Suppressed]),
                (2022, vec![Missing, Number(4.0)]),
            ],
        );
        t.push(
            Indicator::from_key("flaeche"),
            vec![Number(1.0), Number(2.0)],
        );
        let props = attributes(&t, 2);
        assert_eq!(
            props[0][PROPERTY],
            serde_json::json!({"q": {"2016": 1.5, "2022": null}}),
            "only indicators with years"
        );
        let back = read(props.iter().map(|p| p.get(PROPERTY)));
        assert_eq!(back.len(), 1);
        assert_eq!((back[0].key.as_str(), &back[0].series), ("q", &t.series(0)));
        assert!(back[0].estimated.is_empty());
    }

    #[test]
    fn an_area_without_the_attribute_has_no_data() {
        let mut with = Map::new();
        with.insert(
            PROPERTY.into(),
            serde_json::json!({"q": {"2019": 3, "x": 1}}),
        );
        let without = Map::new();
        let back = read([&without, &with].into_iter().map(|p| p.get(PROPERTY)));
        assert_eq!(back[0].series, vec![(2019, vec![Missing, Number(3.0)])]);
        assert!(property(&IndicatorTable::default(), 0).is_none());
    }

    #[test]
    fn an_estimate_is_marked_and_read_back_as_one() {
        let mut t = IndicatorTable::default();
        t.push_series(
            Indicator::from_key("q"),
            vec![(2016, vec![Number(1.5), Number(2.0)])],
        );
        t.set_estimated("q", Some(2016), Some(vec![false, true]));
        let props = attributes(&t, 2);
        assert_eq!(
            props[1][PROPERTY],
            serde_json::json!({"q": {"2016": {"wert": 2.0, "geschaetzt": true}}})
        );
        let back = read(props.iter().map(|p| p.get(PROPERTY)));
        assert_eq!(back[0].series, t.series(0), "the value itself comes back");
        assert_eq!(back[0].estimated, vec![(2016, vec![false, true])]);
    }
}
