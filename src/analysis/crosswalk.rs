//! Boundary changes: a crosswalk (old code → new code, share) converts values of older areas to
//! today's. Counts are split by the shares and summed; shares and rates are averaged over the
//! old parts, weighted by share times a weight (the old areas' population, or only the shares,
//! "by area"). A new area made of parts of others, or an old one split up, gets an estimate,
//! and says so.

use std::collections::{BTreeMap, HashMap};

use super::keys::normalize_key;
use super::table::Table;
use crate::model::{Aggregation, Indicator, IndicatorValue, Region, Unit};

/// One link: this share of the old area lies in the new one.
#[derive(Debug, Clone, PartialEq)]
pub struct Link {
    /// The old code.
    pub old: String,
    /// The new code.
    pub new: String,
    /// The share of the old area (0–1) that lies in the new one.
    pub share: f64,
}

/// What the old areas' rates are weighted by.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Weight {
    /// Only by the shares (areal weighting).
    #[default]
    Area,
    /// By an indicator of the same table and year (usually the population).
    Indicator(String),
}

/// A crosswalk table.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Crosswalk {
    /// Its file.
    pub file: String,
    /// The links, in file order.
    pub links: Vec<Link>,
}

/// Why a crosswalk cannot be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CrosswalkError {
    /// The table has no column for the old code, the new code (or names none it could be).
    Columns(String),
    /// A share is not a number between 0 and 1 (or 0 and 100 %): (line, text).
    BadShare(usize, String),
    /// The weight indicator is not in the table.
    NoWeight(String),
}

impl CrosswalkError {
    /// The message for the user.
    pub fn describe(&self, file: &str, lang: crate::i18n::Lang) -> String {
        use crate::i18n::T;
        match self {
            CrosswalkError::Columns(found) => {
                lang.tf(T::CrosswalkColumns, &[("file", file), ("found", found)])
            }
            CrosswalkError::BadShare(line, text) => lang.tf(
                T::CrosswalkBadShare,
                &[("file", file), ("line", &line.to_string()), ("text", text)],
            ),
            CrosswalkError::NoWeight(key) => {
                lang.tf(T::CrosswalkNoWeight, &[("file", file), ("key", key)])
            }
        }
    }
}

fn find_column(table: &Table, names: &[&str]) -> Option<usize> {
    table.headers.iter().position(|h| {
        let h = h.trim().to_lowercase();
        names.iter().any(|n| h == *n)
    })
}

/// Reads a crosswalk from a table with columns for the old code ("alt", "old", "von", …), the
/// new code ("neu", "new", "nach", …) and optionally the share ("anteil", "share", …; in
/// percent when any share is above 1); without a share column every link counts whole.
pub fn crosswalk_from_table(table: &Table) -> Result<Crosswalk, CrosswalkError> {
    let old = find_column(
        table,
        &[
            "alt",
            "old",
            "von",
            "from",
            "code_alt",
            "alter_code",
            "bisher",
        ],
    );
    let new = find_column(
        table,
        &[
            "neu",
            "new",
            "nach",
            "to",
            "code_neu",
            "neuer_code",
            "heute",
        ],
    );
    let share = find_column(
        table,
        &["anteil", "share", "gewicht", "weight", "faktor", "quote"],
    );
    let (Some(old), Some(new)) = (old, new) else {
        return Err(CrosswalkError::Columns(table.headers.join(", ")));
    };
    let decimal = table.dialect.decimal;
    let mut links = Vec::new();
    for (row, &line) in table.rows.iter().zip(&table.lines) {
        let (o, n) = (row[old].text(), row[new].text());
        if o.trim().is_empty() || n.trim().is_empty() {
            continue;
        }
        let s = match share {
            None => 1.0,
            Some(c) => match super::table::parse_number(&row[c], decimal) {
                super::table::ParsedNumber::Number(v) if v.is_finite() && v >= 0.0 => v,
                _ => return Err(CrosswalkError::BadShare(line, row[c].text())),
            },
        };
        links.push(Link {
            old: o.trim().to_string(),
            new: n.trim().to_string(),
            share: s,
        });
    }
    if links.iter().any(|l| l.share > 1.0 + 1e-9) {
        for l in &mut links {
            l.share /= 100.0;
        }
    }
    if let Some(l) = links.iter().find(|l| l.share > 1.0 + 1e-9) {
        return Err(CrosswalkError::BadShare(0, l.share.to_string()));
    }
    Ok(Crosswalk {
        file: table.file.clone(),
        links,
    })
}

/// What the conversion did: old areas split, new areas merged, codes unknown.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CrosswalkReport {
    /// The crosswalk file.
    pub file: String,
    /// Old codes split over several new areas, with them.
    pub splits: Vec<(String, Vec<String>)>,
    /// New areas made of several old ones, with them.
    pub merges: Vec<(String, Vec<String>)>,
    /// New codes the map does not have.
    pub unknown_new: Vec<String>,
    /// Per area of the map: whether its values are estimates.
    pub estimated: Vec<bool>,
}

impl CrosswalkReport {
    /// How many areas got estimates.
    pub fn estimated_count(&self) -> usize {
        self.estimated.iter().filter(|e| **e).count()
    }

    /// "umgerechnet mit gebiete.csv: 1 alte Gebiete geteilt, 1 Sozialräume zusammengelegt,
    /// Werte für 3 Sozialräume geschätzt", and the new codes the map lacks.
    pub fn summary(&self, lang: crate::i18n::Lang) -> String {
        use crate::i18n::{T, format};
        let file = std::path::Path::new(&self.file)
            .file_name()
            .map_or_else(|| self.file.clone(), |f| f.to_string_lossy().into_owned());
        let mut text = lang.tf(
            T::CrosswalkSummary,
            &[
                ("file", &file),
                ("splits", &format::count(self.splits.len(), lang)),
                ("merges", &format::count(self.merges.len(), lang)),
                ("estimated", &format::count(self.estimated_count(), lang)),
            ],
        );
        if !self.unknown_new.is_empty() {
            text.push_str(&lang.tf(
                T::CrosswalkUnknown,
                &[("list", &self.unknown_new.join(", "))],
            ));
        }
        text
    }
}

/// Whether an indicator is a count (summed when areas are split or merged) rather than a
/// share or rate (averaged).
pub fn is_count(indicator: &Indicator) -> bool {
    matches!(indicator.aggregation, Aggregation::Sum)
        || matches!(indicator.unit, Unit::Persons)
        || (indicator.unit == Unit::None && indicator.decimals == 0)
}

/// The crosswalk in terms of the map: per area the (old code, share) parts, and the report.
pub fn plan(crosswalk: &Crosswalk, region: &Region) -> (Vec<Vec<(String, f64)>>, CrosswalkReport) {
    let index: HashMap<String, usize> = region
        .spaces
        .iter()
        .enumerate()
        .map(|(i, s)| (normalize_key(&s.code), i))
        .collect();
    let mut parts: Vec<Vec<(String, f64)>> = vec![Vec::new(); region.spaces.len()];
    let mut report = CrosswalkReport {
        file: crosswalk.file.clone(),
        ..CrosswalkReport::default()
    };
    let mut by_old: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for link in &crosswalk.links {
        match index.get(&normalize_key(&link.new)) {
            Some(&i) => {
                parts[i].push((normalize_key(&link.old), link.share));
                by_old
                    .entry(link.old.clone())
                    .or_default()
                    .push(link.new.clone());
            }
            None => {
                if !report.unknown_new.contains(&link.new) {
                    report.unknown_new.push(link.new.clone());
                }
            }
        }
    }
    report.splits = by_old.into_iter().filter(|(_, n)| n.len() > 1).collect();
    let split_old: Vec<String> = report
        .splits
        .iter()
        .map(|(o, _)| normalize_key(o))
        .collect();
    report.estimated = parts
        .iter()
        .map(|p| {
            p.len() > 1
                || p.iter()
                    .any(|(o, s)| *s < 1.0 - 1e-9 || split_old.contains(o))
        })
        .collect();
    report.merges = parts
        .iter()
        .enumerate()
        .filter(|(_, p)| p.len() > 1)
        .map(|(i, _)| {
            let olds = crosswalk
                .links
                .iter()
                .filter(|l| normalize_key(&l.new) == normalize_key(&region.spaces[i].code))
                .map(|l| l.old.clone())
                .collect();
            (region.spaces[i].code.clone(), olds)
        })
        .collect();
    (parts, report)
}

/// Converts one column of old areas' values (by normalised old code) to the map's areas.
/// `weights` are the old areas' weights for a rate (None: by area, the shares alone).
pub fn convert(
    parts: &[Vec<(String, f64)>],
    values: &HashMap<String, IndicatorValue>,
    count: bool,
    weights: Option<&HashMap<String, IndicatorValue>>,
) -> Vec<IndicatorValue> {
    use IndicatorValue::{Missing, Number, Suppressed};
    parts
        .iter()
        .map(|p| {
            if p.is_empty() {
                return Missing;
            }
            let (mut sum, mut weight) = (0.0, 0.0);
            for (old, share) in p {
                let v = match values.get(old).copied().unwrap_or(Missing) {
                    Number(v) => v,
                    other => return other,
                };
                if count {
                    sum += share * v;
                } else {
                    let w = match weights.map(|w| w.get(old).copied().unwrap_or(Missing)) {
                        None => 1.0,
                        Some(Number(w)) => w,
                        Some(Suppressed) => return Suppressed,
                        Some(Missing) => return Missing,
                    };
                    sum += share * w * v;
                    weight += share * w;
                }
            }
            if count {
                Number(sum)
            } else if weight > 0.0 {
                Number(sum / weight)
            } else {
                Missing
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{PlanarCrs, SocialSpace, SourceInfo};
    use IndicatorValue::{Missing, Number};

    fn region(codes: &[&str]) -> Region {
        let spaces = codes.iter().map(|c| SocialSpace::bare(c)).collect();
        Region::new(
            "t".into(),
            spaces,
            vec![],
            SourceInfo::default(),
            PlanarCrs { epsg: 25832 },
            Default::default(),
        )
    }

    fn link(old: &str, new: &str, share: f64) -> Link {
        Link {
            old: old.into(),
            new: new.into(),
            share,
        }
    }

    /// Old A splits into N1 (60 %) and N2 (40 %); old B and C merge into N3.
    fn crosswalk() -> Crosswalk {
        Crosswalk {
            file: "x.csv".into(),
            links: vec![
                link("A", "N1", 0.6),
                link("A", "N2", 0.4),
                link("B", "N3", 1.0),
                link("C", "N3", 1.0),
                link("D", "N4", 1.0),
            ],
        }
    }

    fn values(v: &[(&str, f64)]) -> HashMap<String, IndicatorValue> {
        v.iter()
            .map(|(k, x)| (normalize_key(k), Number(*x)))
            .collect()
    }

    #[test]
    fn a_split_and_a_merge_conserve_the_total_of_a_count() {
        let r = region(&["N1", "N2", "N3", "N4"]);
        let (parts, report) = plan(&crosswalk(), &r);
        let people = values(&[("A", 1000.0), ("B", 300.0), ("C", 200.0), ("D", 50.0)]);
        let new = convert(&parts, &people, true, None);
        assert_eq!(
            new,
            vec![Number(600.0), Number(400.0), Number(500.0), Number(50.0)]
        );
        let total: f64 = new.iter().filter_map(|v| v.number()).sum();
        assert_eq!(total, 1550.0, "the total is kept");
        assert_eq!(
            report.splits,
            vec![("A".to_string(), vec!["N1".into(), "N2".into()])]
        );
        assert_eq!(
            report.merges,
            vec![("N3".to_string(), vec!["B".into(), "C".into()])]
        );
        assert_eq!(
            report.estimated,
            vec![true, true, true, false],
            "N4 is only renamed"
        );
    }

    #[test]
    fn rates_are_averaged_by_population_or_by_area() {
        let r = region(&["N1", "N2", "N3", "N4"]);
        let (parts, _) = plan(&crosswalk(), &r);
        let quota = values(&[("A", 10.0), ("B", 20.0), ("C", 5.0), ("D", 7.0)]);
        let people = values(&[("A", 1000.0), ("B", 300.0), ("C", 100.0), ("D", 50.0)]);
        let by_people = convert(&parts, &quota, false, Some(&people));
        assert_eq!(by_people[0], Number(10.0), "a split keeps the rate");
        // (20 × 300 + 5 × 100) / 400
        assert_eq!(by_people[2], Number(16.25));
        let by_area = convert(&parts, &quota, false, None);
        assert_eq!(by_area[2], Number(12.5));
        let mut gap = quota.clone();
        gap.remove(&normalize_key("C"));
        assert_eq!(
            convert(&parts, &gap, false, None)[2],
            Missing,
            "never a partial value"
        );
    }

    #[test]
    fn a_crosswalk_table_is_read_with_shares_in_percent() {
        let table = crate::io::table::parse_csv(
            "alt;neu;anteil\nA;N1;60\nA;N2;40\nB;N3;100\n".as_bytes(),
            "u.csv",
        )
        .expect("table");
        let c = crosswalk_from_table(&table).expect("crosswalk");
        assert_eq!(c.links[0], link("A", "N1", 0.6));
        let bad = crate::io::table::parse_csv("von;bis\nA;B\n".as_bytes(), "v.csv").expect("t");
        assert!(matches!(
            crosswalk_from_table(&bad),
            Err(CrosswalkError::Columns(_))
        ));
    }
}
