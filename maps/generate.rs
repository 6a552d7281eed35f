//! Generator of the demo map: the StädteRegion Aachen with its 93 Sozialräume, synthetic data.
//!
//! Run `cargo run --example generate-demo-map` to rewrite `maps/staedteregion_aachen_demo.geojson`
//! from the inputs in `maps/inputs/`. Deterministic: the same inputs give the same bytes (a test
//! checks this against the committed file). No official geometry is used: the municipalities are
//! drawn from the junction points in `inputs/grenzen.txt` (placed by the known extents and
//! neighbourhoods), with deterministic midpoint displacement for a natural look; Sozialräume are
//! weighted Voronoi cells inside each municipality; indicators follow the known pattern (poverty in
//! central urban areas, ageing in the Eifel) and the Handlungsfelder are derived from them by
//! z-score rules whose common threshold offset is tuned to give exactly 59 of 93 areas.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use geo::{Area, BooleanOps, Centroid, Contains, Coord, LineString, MultiPolygon, Point, Polygon};
use serde_json::{Map, Value, json};
use sozialraum_atlas::io::geojson::meta::{AtlasMeta, FORMAT_VERSION, MEMBER, MetaFields};
use sozialraum_atlas::io::rules_file::RulesDocument;
use sozialraum_atlas::model::{
    ActionField, ActionFieldSet, Aggregation, Combinator, Comparison, Condition, FieldRule,
    Indicator, Polarity, Reference, RuleSet, Score, Unit, natural_cmp,
};
use sozialraum_atlas::spatial::label_point::label_anchor;
use sozialraum_atlas::spatial::tmerc::{GRS80_F, Utm};

/// Number of Sozialräume with a Gestaltungsbedarf in the Handlungskonzept.
pub const FLAGGED_TARGET: usize = 59;

// ---------------------------------------------------------------- local plane (metres)

const LON0: f64 = 6.2;
const LAT0: f64 = 50.72;
const M_PER_DEG_LAT: f64 = 111_132.0;

fn m_per_deg_lon() -> f64 {
    111_320.0 * LAT0.to_radians().cos()
}

fn to_plane(lon: f64, lat: f64) -> Coord<f64> {
    Coord {
        x: (lon - LON0) * m_per_deg_lon(),
        y: (lat - LAT0) * M_PER_DEG_LAT,
    }
}

fn to_lonlat(c: Coord<f64>) -> [f64; 2] {
    [c.x / m_per_deg_lon() + LON0, c.y / M_PER_DEG_LAT + LAT0]
}

// ---------------------------------------------------------------- deterministic randomness

/// SplitMix64: tiny, fast, good enough for synthetic data, identical on every platform.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Self {
        Rng(seed ^ 0x9E37_79B9_7F4A_7C15)
    }
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in [0, 1).
    fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
    /// Uniform in [-1, 1).
    fn signed(&mut self) -> f64 {
        self.unit() * 2.0 - 1.0
    }
    /// Roughly normal (sum of uniforms), mean 0, sd 1.
    fn normal(&mut self) -> f64 {
        (0..6).map(|_| self.unit()).sum::<f64>() * std::f64::consts::SQRT_2
            - 6.0 / 2.0 * std::f64::consts::SQRT_2
    }
}

fn hash_str(s: &str) -> u64 {
    // FNV-1a: stable across runs and platforms (std's hasher is not).
    s.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
    })
}

/// Midpoint displacement of a polyline: every segment gets `levels` rounds of subdivision with
/// perpendicular offsets of up to `amplitude` times the segment length.
fn displace(points: &[Coord<f64>], seed: u64, levels: u32, amplitude: f64) -> Vec<Coord<f64>> {
    let mut rng = Rng::new(seed);
    let mut line = points.to_vec();
    for _ in 0..levels {
        let mut next = Vec::with_capacity(line.len() * 2);
        for w in line.windows(2) {
            let (a, b) = (w[0], w[1]);
            let (dx, dy) = (b.x - a.x, b.y - a.y);
            let offset = rng.signed() * amplitude;
            next.push(a);
            next.push(Coord {
                x: (a.x + b.x) / 2.0 - dy * offset,
                y: (a.y + b.y) / 2.0 + dx * offset,
            });
        }
        if let Some(last) = line.last() {
            next.push(*last);
        }
        line = next;
    }
    line
}

// ---------------------------------------------------------------- inputs

struct Kommune {
    name: String,
    ags: String,
    count: usize,
    population: f64,
    area_km2_fact: f64,
    centre: Coord<f64>,
    urban: f64,
    ageing: f64,
}

struct CodeRow {
    code: String,
    kommune: String,
    name: Option<String>,
    name_known: bool,
    anchor: Option<Coord<f64>>,
}

struct Hotspot {
    at: Coord<f64>,
    strength: f64,
    radius_m: f64,
}

struct Edge {
    left: String,
    right: String,
    points: Vec<Coord<f64>>,
}

fn data_lines(text: &str) -> impl Iterator<Item = Vec<&str>> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| l.split(';').map(str::trim).collect())
}

fn num(s: &str) -> f64 {
    s.parse()
        .unwrap_or_else(|_| panic!("not a number in maps/inputs: {s:?}"))
}

fn point_list(s: &str) -> Vec<Coord<f64>> {
    s.split('|')
        .filter(|p| !p.trim().is_empty())
        .map(|p| {
            let mut it = p.split_whitespace();
            let lon = num(it.next().unwrap_or(""));
            let lat = num(it.next().unwrap_or(""));
            to_plane(lon, lat)
        })
        .collect()
}

struct Inputs {
    kommunen: Vec<Kommune>,
    codes: Vec<CodeRow>,
    hotspots: Vec<Hotspot>,
    edges: Vec<Edge>,
    exclaves: Vec<(String, String, Vec<Coord<f64>>)>,
}

fn read_inputs(dir: &Path) -> Inputs {
    let read = |name: &str| {
        std::fs::read_to_string(dir.join(name))
            .unwrap_or_else(|e| panic!("cannot read maps/inputs/{name}: {e}"))
    };
    let kommunen = data_lines(&read("kommunen.csv"))
        .map(|f| Kommune {
            name: f[0].to_string(),
            ags: f[1].to_string(),
            count: num(f[2]) as usize,
            population: num(f[3]),
            area_km2_fact: num(f[4]),
            centre: to_plane(num(f[5]), num(f[6])),
            urban: num(f[7]),
            ageing: num(f[8]),
        })
        .collect();
    let codes = data_lines(&read("sozialraeume.csv"))
        .map(|f| CodeRow {
            code: f[0].to_string(),
            kommune: f[1].to_string(),
            name: (!f[2].is_empty()).then(|| f[2].to_string()),
            name_known: f[3] == "bekannt",
            anchor: (!f[4].is_empty()).then(|| to_plane(num(f[4]), num(f[5]))),
        })
        .collect();
    let hotspots = data_lines(&read("hotspots.csv"))
        .map(|f| Hotspot {
            at: to_plane(num(f[1]), num(f[2])),
            strength: num(f[3]),
            radius_m: num(f[4]) * 1000.0,
        })
        .collect();
    let text = read("grenzen.txt");
    let mut nodes = HashMap::new();
    let mut edges = Vec::new();
    let mut exclaves = Vec::new();
    for f in data_lines(&text) {
        match f[0] {
            "node" => {
                nodes.insert(f[1].to_string(), to_plane(num(f[2]), num(f[3])));
            }
            "edge" => {
                let node = |n: &str| *nodes.get(n).unwrap_or_else(|| panic!("unknown node {n}"));
                let mut points = vec![node(f[3])];
                points.extend(point_list(f[4]));
                points.push(node(f[5]));
                let seed = hash_str(&format!("{};{};{}", f[1], f[2], f[3]));
                edges.push(Edge {
                    left: f[1].to_string(),
                    right: f[2].to_string(),
                    points: displace(&points, seed, 4, 0.12),
                });
            }
            "exclave" => {
                let mut ring = point_list(f[3]);
                ring = displace(&ring, hash_str(f[2]), 2, 0.1);
                exclaves.push((f[1].to_string(), f[2].to_string(), ring));
            }
            other => panic!("unknown line type {other} in grenzen.txt"),
        }
    }
    Inputs {
        kommunen,
        codes,
        hotspots,
        edges,
        exclaves,
    }
}

/// Chains the edges around a municipality into one closed ring.
fn municipality_ring(name: &str, edges: &[Edge]) -> LineString<f64> {
    let mut pieces: Vec<Vec<Coord<f64>>> = edges
        .iter()
        .filter(|e| e.left == name || e.right == name)
        .map(|e| e.points.clone())
        .collect();
    assert!(!pieces.is_empty(), "no edges for {name}");
    let mut ring = pieces.remove(0);
    while !pieces.is_empty() {
        let end = *ring.last().unwrap_or(&ring[0]);
        let pos = pieces
            .iter()
            .position(|p| p[0] == end || p[p.len() - 1] == end)
            .unwrap_or_else(|| panic!("boundary of {name} is not closed at {end:?}"));
        let mut piece = pieces.remove(pos);
        if piece[0] != end {
            piece.reverse();
        }
        ring.extend(piece.into_iter().skip(1));
    }
    assert_eq!(
        ring.first(),
        ring.last(),
        "boundary of {name} does not close"
    );
    LineString(ring)
}

// ---------------------------------------------------------------- Voronoi cells

/// Clips a convex polygon (as a closed ring) by the half-plane nearer to `a` than to `b`.
fn clip_half_plane(ring: &[Coord<f64>], a: Coord<f64>, b: Coord<f64>) -> Vec<Coord<f64>> {
    let mid = Coord {
        x: (a.x + b.x) / 2.0,
        y: (a.y + b.y) / 2.0,
    };
    let n = Coord {
        x: b.x - a.x,
        y: b.y - a.y,
    };
    let side = |p: Coord<f64>| (p.x - mid.x) * n.x + (p.y - mid.y) * n.y; // <= 0: a's side
    let mut out = Vec::new();
    let open = &ring[..ring.len().saturating_sub(1)];
    for i in 0..open.len() {
        let p = open[i];
        let q = open[(i + 1) % open.len()];
        let (sp, sq) = (side(p), side(q));
        if sp <= 0.0 {
            out.push(p);
        }
        if (sp <= 0.0) != (sq <= 0.0) {
            let t = sp / (sp - sq);
            out.push(Coord {
                x: p.x + (q.x - p.x) * t,
                y: p.y + (q.y - p.y) * t,
            });
        }
    }
    if let Some(first) = out.first().copied() {
        out.push(first);
    }
    out
}

fn voronoi_cell(seeds: &[Coord<f64>], i: usize, bounds: &geo::Rect<f64>) -> Polygon<f64> {
    let (min, max) = (bounds.min(), bounds.max());
    let mut ring = vec![
        Coord { x: min.x, y: min.y },
        Coord { x: max.x, y: min.y },
        Coord { x: max.x, y: max.y },
        Coord { x: min.x, y: max.y },
        Coord { x: min.x, y: min.y },
    ];
    for (j, other) in seeds.iter().enumerate() {
        if j != i && ring.len() >= 4 {
            ring = clip_half_plane(&ring, seeds[i], *other);
        }
    }
    Polygon::new(LineString(ring), vec![])
}

/// Weighted Lloyd relaxation: free seeds move to the weighted centre of the samples nearest them.
fn place_seeds(
    area: &Polygon<f64>,
    fixed: &[Coord<f64>],
    free: usize,
    centre: Coord<f64>,
    urban: f64,
    rng: &mut Rng,
) -> Vec<Coord<f64>> {
    let bounds = geo::BoundingRect::bounding_rect(area).unwrap_or(geo::Rect::new(centre, centre));
    let sigma = 0.18 * area.unsigned_area().sqrt();
    let mut samples = Vec::new();
    while samples.len() < 4000 {
        let p = Coord {
            x: bounds.min().x + rng.unit() * bounds.width(),
            y: bounds.min().y + rng.unit() * bounds.height(),
        };
        if area.contains(&Point(p)) {
            let d2 = (p.x - centre.x).powi(2) + (p.y - centre.y).powi(2);
            let w = 1.0 + 25.0 * urban * (-d2 / (sigma * sigma)).exp();
            samples.push((p, w));
        }
    }
    let mut seeds: Vec<Coord<f64>> = fixed.to_vec();
    // Start free seeds at samples drawn by weight, so urban centres get more of them.
    let total: f64 = samples.iter().map(|s| s.1).sum();
    for _ in 0..free {
        let mut pick = rng.unit() * total;
        let chosen = samples
            .iter()
            .find(|s| {
                pick -= s.1;
                pick <= 0.0
            })
            .map_or(samples[0].0, |s| s.0);
        seeds.push(chosen);
    }
    for _ in 0..60 {
        let mut acc = vec![(0.0f64, 0.0f64, 0.0f64); seeds.len()];
        for (p, w) in &samples {
            let nearest = seeds
                .iter()
                .enumerate()
                .map(|(i, s)| (i, (s.x - p.x).powi(2) + (s.y - p.y).powi(2)))
                .min_by(|a, b| a.1.total_cmp(&b.1))
                .map_or(0, |(i, _)| i);
            acc[nearest].0 += p.x * w;
            acc[nearest].1 += p.y * w;
            acc[nearest].2 += w;
        }
        for (i, seed) in seeds.iter_mut().enumerate().skip(fixed.len()) {
            if acc[i].2 > 0.0 {
                *seed = Coord {
                    x: acc[i].0 / acc[i].2,
                    y: acc[i].1 / acc[i].2,
                };
            }
        }
    }
    seeds
}

// ---------------------------------------------------------------- shared edges

const WELD_M: f64 = 0.05;

/// Welds vertices closer than 5 cm so that neighbouring cells share exact coordinates.
struct Welder {
    grid: HashMap<(i64, i64), Vec<Coord<f64>>>,
}

impl Welder {
    fn weld(&mut self, c: Coord<f64>) -> Coord<f64> {
        let key = ((c.x / WELD_M).floor() as i64, (c.y / WELD_M).floor() as i64);
        for dx in -1..=1 {
            for dy in -1..=1 {
                if let Some(list) = self.grid.get(&(key.0 + dx, key.1 + dy))
                    && let Some(found) = list
                        .iter()
                        .find(|p| (p.x - c.x).abs() <= WELD_M && (p.y - c.y).abs() <= WELD_M)
                {
                    return *found;
                }
            }
        }
        self.grid.entry(key).or_default().push(c);
        c
    }
}

/// An undirected edge by its end points in millimetres.
type EdgeKey = ((i64, i64), (i64, i64));

fn key_of(c: Coord<f64>) -> (i64, i64) {
    ((c.x * 1000.0).round() as i64, (c.y * 1000.0).round() as i64)
}

/// Replaces every straight segment shared by two cells with one displaced polyline, the same
/// (reversed) on both sides, so internal boundaries look drawn rather than computed.
fn roughen_shared_edges(cells: &mut [MultiPolygon<f64>], seed: u64) {
    let mut count: HashMap<EdgeKey, usize> = HashMap::new();
    let canonical = |a: Coord<f64>, b: Coord<f64>| {
        let (ka, kb) = (key_of(a), key_of(b));
        if ka <= kb { (ka, kb) } else { (kb, ka) }
    };
    for cell in cells.iter() {
        for poly in &cell.0 {
            for ring in std::iter::once(poly.exterior()).chain(poly.interiors()) {
                for w in ring.0.windows(2) {
                    *count.entry(canonical(w[0], w[1])).or_insert(0) += 1;
                }
            }
        }
    }
    let mut cache: HashMap<EdgeKey, Vec<Coord<f64>>> = HashMap::new();
    for cell in cells.iter_mut() {
        let mut polys = Vec::new();
        for poly in &cell.0 {
            let mut rings: Vec<LineString<f64>> = Vec::new();
            for ring in std::iter::once(poly.exterior()).chain(poly.interiors()) {
                let mut out = vec![ring.0[0]];
                for w in ring.0.windows(2) {
                    let (a, b) = (w[0], w[1]);
                    let key = canonical(a, b);
                    let long = (a.x - b.x).hypot(a.y - b.y) > 150.0;
                    if count.get(&key) == Some(&2) && long {
                        let forward = key_of(a) == key.0;
                        let line = cache.entry(key).or_insert_with(|| {
                            let (p, q) = if forward { (a, b) } else { (b, a) };
                            let s = seed ^ hash_str(&format!("{key:?}"));
                            displace(&[p, q], s, 3, 0.07)
                        });
                        let mut pts = line.clone();
                        if !forward {
                            pts.reverse();
                        }
                        out.extend(pts.into_iter().skip(1));
                    } else {
                        out.push(b);
                    }
                }
                rings.push(LineString(out));
            }
            let exterior = rings.remove(0);
            polys.push(Polygon::new(exterior, rings));
        }
        *cell = MultiPolygon(polys);
    }
}

// ---------------------------------------------------------------- indicators

struct Space {
    code: String,
    kommune: usize,
    name: Option<String>,
    name_known: bool,
    geometry: MultiPolygon<f64>,
    at: Coord<f64>,
}

/// Indicator keys in catalogue order.
const KEYS: [&str; 15] = [
    "einwohner",
    "einwohner_u65",
    "flaeche_km2",
    "bevoelkerungsdichte",
    "anteil_u18",
    "anteil_65plus",
    "anteil_80plus",
    "sgb2_quote",
    "sgb2_personen",
    "sgb2_quote_u15",
    "mindestsicherungsquote",
    "grundsicherung_65plus",
    "alleinerziehende",
    "auslaender",
    "arbeitslosenquote",
];

/// The year of the current values, and the earlier years of the social report.
const CURRENT_YEAR: i32 = 2023;
const EARLIER_YEARS: [i32; 2] = [2017, 2020];

/// Synthetic earlier years of every indicator but the area, as plausible trends back from the
/// current values: old-age shares rose most in the rural, ageing south (the Eifel), poverty
/// rose in the deprived urban cores and fell slightly elsewhere, the foreign population grew
/// everywhere (most in the towns); counts follow from the shares. A random number generator of
/// its own leaves the current values as they were.
fn earlier_years<'a>(
    columns: &HashMap<&'a str, Vec<f64>>,
    dep: &[f64],
    urb: &[f64],
    age: &[f64],
) -> HashMap<&'a str, Vec<(i32, Vec<f64>)>> {
    let mut rng = Rng::new(2017);
    let n = dep.len();
    // Change over the six years to the current one, per area.
    let mut trend: HashMap<&str, Vec<f64>> = HashMap::new();
    let mut per = |key: &'static str, f: &mut dyn FnMut(usize) -> f64| {
        trend.insert(key, (0..n).map(&mut *f).collect());
    };
    per("anteil_65plus", &mut |i| {
        0.4 + 2.8 * age[i] * (1.0 - urb[i]) + 0.3 * rng.normal()
    });
    per("anteil_80plus", &mut |i| {
        0.2 + 1.1 * age[i] * (1.0 - urb[i]) + 0.2 * rng.normal()
    });
    per("anteil_u18", &mut |i| {
        -0.6 + 0.9 * dep[i] + 0.3 * rng.normal()
    });
    per("sgb2_quote", &mut |i| {
        -0.9 + 3.2 * dep[i] * (0.4 + urb[i]) + 0.4 * rng.normal()
    });
    per("sgb2_quote_u15", &mut |i| {
        -1.2 + 4.5 * dep[i] * (0.4 + urb[i]) + 0.6 * rng.normal()
    });
    per("mindestsicherungsquote", &mut |i| {
        -0.7 + 3.0 * dep[i] * (0.4 + urb[i]) + 0.4 * rng.normal()
    });
    per("grundsicherung_65plus", &mut |i| {
        0.3 + 1.2 * dep[i] + 0.2 * rng.normal()
    });
    per("alleinerziehende", &mut |i| {
        0.2 + 1.0 * dep[i] + 0.5 * rng.normal()
    });
    per("auslaender", &mut |i| {
        1.5 + 3.0 * urb[i] + 0.6 * rng.normal()
    });
    per("arbeitslosenquote", &mut |i| {
        -0.8 + 1.0 * dep[i] * urb[i] + 0.3 * rng.normal()
    });
    per("einwohner", &mut |i| {
        0.01 + 0.03 * urb[i] - 0.03 * age[i] + 0.01 * rng.normal()
    });
    let mut out: HashMap<&str, Vec<(i32, Vec<f64>)>> = HashMap::new();
    let population = &columns["einwohner"];
    let area = &columns["flaeche_km2"];
    for year in EARLIER_YEARS {
        // The share of the way back from now: 2017 is six years back.
        let back = f64::from(CURRENT_YEAR - year) / 6.0;
        let mut at: HashMap<&str, Vec<f64>> = HashMap::new();
        for (key, change) in &trend {
            if *key == "einwohner" {
                continue;
            }
            let now = &columns[key];
            at.insert(
                key,
                (0..n)
                    .map(|i| round_to((now[i] - back * change[i]).max(0.3), 1))
                    .collect(),
            );
        }
        let growth = &trend["einwohner"];
        let pop: Vec<f64> = (0..n)
            .map(|i| (population[i] / (1.0 + back * growth[i])).round())
            .collect();
        let under_65: Vec<f64> = (0..n)
            .map(|i| (pop[i] * (1.0 - at["anteil_65plus"][i] / 100.0)).round())
            .collect();
        at.insert(
            "sgb2_personen",
            (0..n)
                .map(|i| (under_65[i] * at["sgb2_quote"][i] / 100.0).round())
                .collect(),
        );
        at.insert(
            "bevoelkerungsdichte",
            (0..n)
                .map(|i| (pop[i] / area[i].max(0.01)).round())
                .collect(),
        );
        at.insert("einwohner_u65", under_65);
        at.insert("einwohner", pop);
        for (key, values) in at {
            out.entry(key).or_default().push((year, values));
        }
    }
    out
}

fn catalogue() -> Vec<Indicator> {
    let source = "Synthetische Beispieldaten, nicht amtlich".to_string();
    let date = "31.12.2023".to_string();
    let ind = |key: &str,
               de: &str,
               en: &str,
               unit: Unit,
               polarity: Polarity,
               theme: &str,
               decimals: u8,
               aggregation: Aggregation| Indicator {
        key: key.to_string(),
        label_de: de.to_string(),
        label_en: en.to_string(),
        unit,
        polarity,
        theme: theme.to_string(),
        source: source.clone(),
        reference_date: date.clone(),
        decimals,
        aggregation,
        cases: None,
        denominator: None,
        index: None,
    };
    let by_pop = || Aggregation::WeightedBy("einwohner".to_string());
    let mut list = vec![
        ind(
            "einwohner",
            "Einwohner",
            "Population",
            Unit::Persons,
            Polarity::Neutral,
            "Soziodemografie",
            0,
            Aggregation::Sum,
        ),
        ind(
            "flaeche_km2",
            "Fläche",
            "Area",
            Unit::SquareKilometres,
            Polarity::Neutral,
            "Soziodemografie",
            2,
            Aggregation::Sum,
        ),
        ind(
            "bevoelkerungsdichte",
            "Bevölkerungsdichte",
            "Population density",
            Unit::PersonsPerKm2,
            Polarity::Neutral,
            "Soziodemografie",
            0,
            Aggregation::Mean,
        ),
        ind(
            "anteil_u18",
            "Anteil unter 18 Jahren",
            "Share under 18",
            Unit::Percent,
            Polarity::Neutral,
            "Soziodemografie",
            1,
            by_pop(),
        ),
        ind(
            "anteil_65plus",
            "Anteil 65 Jahre und älter",
            "Share aged 65+",
            Unit::Percent,
            Polarity::HighIsNeed,
            "Soziodemografie",
            1,
            by_pop(),
        ),
        ind(
            "anteil_80plus",
            "Anteil 80 Jahre und älter",
            "Share aged 80+",
            Unit::Percent,
            Polarity::HighIsNeed,
            "Soziodemografie",
            1,
            by_pop(),
        ),
        ind(
            "sgb2_quote",
            "SGB-II-Quote",
            "SGB II rate",
            Unit::Percent,
            Polarity::HighIsNeed,
            "Sozioökonomie",
            1,
            by_pop(),
        ),
        ind(
            "sgb2_quote_u15",
            "SGB-II-Quote unter 15 Jahren (Kinderarmut)",
            "SGB II rate under 15 (child poverty)",
            Unit::Percent,
            Polarity::HighIsNeed,
            "Kinder, Jugendliche und Familien",
            1,
            by_pop(),
        ),
        ind(
            "mindestsicherungsquote",
            "Mindestsicherungsquote",
            "Minimum income benefit rate",
            Unit::Percent,
            Polarity::HighIsNeed,
            "Sozioökonomie",
            1,
            by_pop(),
        ),
        ind(
            "grundsicherung_65plus",
            "Grundsicherung im Alter (65+)",
            "Old-age basic income support (65+)",
            Unit::Percent,
            Polarity::HighIsNeed,
            "Sozioökonomie",
            1,
            by_pop(),
        ),
        ind(
            "alleinerziehende",
            "Alleinerziehende (Anteil an Haushalten mit Kindern)",
            "Single parents (share of households with children)",
            Unit::Percent,
            Polarity::HighIsNeed,
            "Kinder, Jugendliche und Familien",
            1,
            by_pop(),
        ),
        ind(
            "auslaender",
            "Anteil ausländischer Staatsangehöriger",
            "Share of foreign nationals",
            Unit::Percent,
            Polarity::Neutral,
            "Integration",
            1,
            by_pop(),
        ),
        ind(
            "arbeitslosenquote",
            "Arbeitslosenquote",
            "Unemployment rate",
            Unit::Percent,
            Polarity::HighIsNeed,
            "Erwerbsbeteiligung",
            1,
            by_pop(),
        ),
    ];
    let position = |list: &[Indicator], key: &str| list.iter().position(|i| i.key == key);
    if let Some(q) = position(&list, "sgb2_quote") {
        list[q].cases = Some("sgb2_personen".to_string());
        list[q].denominator = Some("einwohner_u65".to_string());
        list.insert(
            q + 1,
            ind(
                "sgb2_personen",
                "SGB-II-Leistungsberechtigte (unter 65)",
                "SGB II recipients (under 65)",
                Unit::Persons,
                Polarity::HighIsNeed,
                "Sozioökonomie",
                0,
                Aggregation::Sum,
            ),
        );
    }
    if let Some(e) = position(&list, "einwohner") {
        list.insert(
            e + 1,
            ind(
                "einwohner_u65",
                "Einwohner unter 65 Jahren",
                "Population under 65",
                Unit::Persons,
                Polarity::Neutral,
                "Soziodemografie",
                0,
                Aggregation::Sum,
            ),
        );
    }
    list
}

fn round_to(v: f64, decimals: i32) -> f64 {
    let f = 10f64.powi(decimals);
    (v * f).round() / f
}

fn z_scores(values: &[f64]) -> Vec<f64> {
    let n = values.len() as f64;
    let mean = values.iter().sum::<f64>() / n;
    let sd = (values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / n).sqrt();
    values.iter().map(|v| (v - mean) / sd).collect()
}

/// The area of a geometry after writing it as rounded lon/lat and projecting to UTM 32N.
fn utm_area_km2(geometry: &MultiPolygon<f64>) -> f64 {
    let utm = Utm::from_epsg(25832).unwrap_or_else(|| Utm::new(32, true, GRS80_F));
    let project = |ring: &LineString<f64>| {
        LineString(
            ring.0
                .iter()
                .map(|c| {
                    let ll = to_lonlat(*c);
                    let p = utm.forward(round_to(ll[0], 6), round_to(ll[1], 6));
                    Coord { x: p[0], y: p[1] }
                })
                .collect(),
        )
    };
    let projected = MultiPolygon(
        geometry
            .0
            .iter()
            .map(|p| {
                Polygon::new(
                    project(p.exterior()),
                    p.interiors().iter().map(project).collect(),
                )
            })
            .collect(),
    );
    projected.unsigned_area() / 1e6
}

/// The demo's rules as the app's rule model: the same thresholds as [`classify`].
fn rule_set(t: f64, extra: [f64; 4]) -> RuleSet {
    // Thresholds to two decimals, as a planner would write them (and without float noise
    // such as 0.47000000000000003 in the file).
    let z = |key: &str, comparison: Comparison, threshold: f64| Condition {
        indicator: key.to_string(),
        measure: Score::ZScore(Reference::Region),
        comparison,
        threshold: (threshold * 100.0).round() / 100.0 + 0.0,
        year: None,
        since: None,
    };
    let rule = |field, combinator, conditions| FieldRule {
        field,
        combinator,
        conditions,
    };
    use Comparison::{AtLeast, AtMost};
    RuleSet {
        rules: vec![
            rule(
                ActionField::Disadvantaged,
                Combinator::All,
                vec![
                    z("sgb2_quote", AtLeast, 0.8 + t + extra[0]),
                    z("arbeitslosenquote", AtLeast, 0.3 + t + extra[0]),
                ],
            ),
            rule(
                ActionField::Elderly,
                Combinator::All,
                vec![
                    z("anteil_65plus", AtLeast, 0.4 + t + extra[1]),
                    z("bevoelkerungsdichte", AtMost, 0.0),
                ],
            ),
            rule(
                ActionField::ChildrenFamilies,
                Combinator::Any,
                vec![
                    z("sgb2_quote_u15", AtLeast, 0.4 + t + extra[2]),
                    z("alleinerziehende", AtLeast, 0.9 + t + extra[2]),
                ],
            ),
            rule(
                ActionField::Integration,
                Combinator::All,
                vec![
                    z("auslaender", AtLeast, 0.5 + t + extra[3]),
                    z("sgb2_quote", AtLeast, 0.0),
                ],
            ),
        ],
    }
}

/// z-scores of the indicators the rules use.
struct RuleInputs {
    sgb2: Vec<f64>,
    alq: Vec<f64>,
    a65: Vec<f64>,
    dens: Vec<f64>,
    u15: Vec<f64>,
    allein: Vec<f64>,
    ausl: Vec<f64>,
}

impl RuleInputs {
    fn new(columns: &HashMap<&str, Vec<f64>>) -> Self {
        let z = |k: &str| z_scores(&columns[k]);
        RuleInputs {
            sgb2: z("sgb2_quote"),
            alq: z("arbeitslosenquote"),
            a65: z("anteil_65plus"),
            dens: z("bevoelkerungsdichte"),
            u15: z("sgb2_quote_u15"),
            allein: z("alleinerziehende"),
            ausl: z("auslaender"),
        }
    }
}

/// The rules of the demo classification, with one common threshold offset `t` and an extra
/// offset per field (to step past ties of values rounded to one decimal).
fn classify(z: &RuleInputs, t: f64, extra: [f64; 4]) -> Vec<ActionFieldSet> {
    let RuleInputs {
        sgb2,
        alq,
        a65,
        dens,
        u15,
        allein,
        ausl,
    } = z;
    (0..sgb2.len())
        .map(|i| {
            let mut set = ActionFieldSet::EMPTY;
            if sgb2[i] >= 0.8 + t + extra[0] && alq[i] >= 0.3 + t + extra[0] {
                set.insert(ActionField::Disadvantaged);
            }
            if a65[i] >= 0.4 + t + extra[1] && dens[i] <= 0.0 {
                set.insert(ActionField::Elderly);
            }
            if u15[i] >= 0.4 + t + extra[2] || allein[i] >= 0.9 + t + extra[2] {
                set.insert(ActionField::ChildrenFamilies);
            }
            if ausl[i] >= 0.5 + t + extra[3] && sgb2[i] >= 0.0 {
                set.insert(ActionField::Integration);
            }
            set
        })
        .collect()
}

// ---------------------------------------------------------------- assembly

/// The generated files.
pub struct Output {
    /// The demo map as GeoJSON text.
    pub geojson: String,
    /// A human-readable check of areas and extents against the known facts.
    pub summary: String,
}

/// Builds the demo map from the inputs in `inputs_dir`.
pub fn generate(inputs_dir: &Path) -> Output {
    let inputs = read_inputs(inputs_dir);
    let mut summary = String::new();
    let mut spaces: Vec<Space> = Vec::new();
    let mut welder = Welder {
        grid: HashMap::new(),
    };
    for (k, kommune) in inputs.kommunen.iter().enumerate() {
        let ring = municipality_ring(&kommune.name, &inputs.edges);
        let area = Polygon::new(ring, vec![]);
        let bounds = geo::BoundingRect::bounding_rect(&area)
            .unwrap_or(geo::Rect::new(kommune.centre, kommune.centre));
        let _ = writeln!(
            summary,
            "{:<18} {:>6.1} km² (Fakt {:>3}) lon {:.3}-{:.3} lat {:.3}-{:.3}",
            kommune.name,
            area.unsigned_area() / 1e6,
            kommune.area_km2_fact,
            to_lonlat(bounds.min())[0],
            to_lonlat(bounds.max())[0],
            to_lonlat(bounds.min())[1],
            to_lonlat(bounds.max())[1]
        );
        let rows: Vec<&CodeRow> = inputs
            .codes
            .iter()
            .filter(|c| c.kommune == kommune.name)
            .collect();
        assert_eq!(rows.len(), kommune.count, "code count of {}", kommune.name);
        // Aachen's AC 1 is an inner core carved out of the cell around the city centre.
        let core_code = (kommune.name == "Aachen").then_some("AC 1");
        let anchored: Vec<&CodeRow> = rows
            .iter()
            .copied()
            .filter(|r| r.anchor.is_some())
            .collect();
        let mut free_codes: Vec<&CodeRow> = rows
            .iter()
            .copied()
            .filter(|r| r.anchor.is_none() && Some(r.code.as_str()) != core_code)
            .collect();
        free_codes.sort_by(|a, b| natural_cmp(&a.code, &b.code));
        let fixed: Vec<Coord<f64>> = anchored.iter().filter_map(|r| r.anchor).collect();
        let mut rng = Rng::new(hash_str(&kommune.name));
        let seeds = place_seeds(
            &area,
            &fixed,
            free_codes.len(),
            kommune.centre,
            kommune.urban,
            &mut rng,
        );
        // Free codes go to free seeds by distance from the centre: low numbers central.
        let mut free_order: Vec<usize> = (fixed.len()..seeds.len()).collect();
        free_order.sort_by(|a, b| {
            let da = (seeds[*a].x - kommune.centre.x).hypot(seeds[*a].y - kommune.centre.y);
            let db = (seeds[*b].x - kommune.centre.x).hypot(seeds[*b].y - kommune.centre.y);
            da.total_cmp(&db)
        });
        let mut seed_rows: Vec<(&CodeRow, Coord<f64>)> = anchored
            .iter()
            .map(|r| (*r, r.anchor.unwrap_or(kommune.centre)))
            .collect();
        for (row, seed_index) in free_codes.iter().zip(&free_order) {
            seed_rows.push((row, seeds[*seed_index]));
        }
        let seed_points: Vec<Coord<f64>> = seed_rows.iter().map(|(_, s)| *s).collect();
        let big = geo::Rect::new(
            Coord {
                x: bounds.min().x - 1000.0,
                y: bounds.min().y - 1000.0,
            },
            Coord {
                x: bounds.max().x + 1000.0,
                y: bounds.max().y + 1000.0,
            },
        );
        let whole = MultiPolygon(vec![area.clone()]);
        let mut cells: Vec<MultiPolygon<f64>> = (0..seed_points.len())
            .map(|i| voronoi_cell(&seed_points, i, &big).intersection(&whole))
            .collect();
        for cell in &mut cells {
            for poly in &mut cell.0 {
                poly.exterior_mut(|ring| ring.0.iter_mut().for_each(|c| *c = welder.weld(*c)));
                poly.interiors_mut(|rings| {
                    for ring in rings {
                        ring.0.iter_mut().for_each(|c| *c = welder.weld(*c));
                    }
                });
            }
        }
        roughen_shared_edges(&mut cells, hash_str(&kommune.name));
        for ((row, seed), cell) in seed_rows.iter().zip(cells) {
            spaces.push(Space {
                code: row.code.clone(),
                kommune: k,
                name: row.name.clone(),
                name_known: row.name_known,
                geometry: cell,
                at: *seed,
            });
        }
        if let Some(core) = core_code {
            carve_core(&mut spaces, core, &inputs.codes, kommune);
        }
    }
    for (kommune, code, ring) in &inputs.exclaves {
        let space = spaces
            .iter_mut()
            .find(|s| &s.code == code)
            .unwrap_or_else(|| panic!("exclave of unknown {code} ({kommune})"));
        space
            .geometry
            .0
            .push(Polygon::new(LineString(ring.clone()), vec![]));
    }
    spaces.sort_by(|a, b| {
        inputs.kommunen[a.kommune]
            .name
            .cmp(&inputs.kommunen[b.kommune].name)
            .then_with(|| natural_cmp(&a.code, &b.code))
    });
    let geojson = write_geojson(&inputs, &spaces, &mut summary);
    Output { geojson, summary }
}

/// Cuts a small, rounded core around the city centre out of the cell containing it: the core
/// becomes `code`, the cell keeps it as a hole. One real case of a polygon with a hole.
fn carve_core(spaces: &mut Vec<Space>, code: &str, rows: &[CodeRow], kommune: &Kommune) {
    let c = kommune.centre;
    let host = spaces
        .iter_mut()
        .find(|s| s.geometry.contains(&Point(c)))
        .unwrap_or_else(|| panic!("no cell contains the centre of {}", kommune.name));
    let Some(poly) = host.geometry.0.iter_mut().find(|p| p.contains(&Point(c))) else {
        panic!("no polygon contains the centre of {}", kommune.name);
    };
    // The core sits in the widest part of the cell around the centre (its pole of
    // inaccessibility), at 60 % of the room there, so it stays well inside.
    let ring: Vec<[f64; 2]> = poly.exterior().0.iter().map(|p| [p.x, p.y]).collect();
    let (centre, room) = match label_anchor(&[ring], 1.0) {
        Some(a) => (
            Coord {
                x: a.pos[0],
                y: a.pos[1],
            },
            a.radius_m,
        ),
        None => (c, 100.0),
    };
    let base = 0.6 * room;
    let core_ring: Vec<Coord<f64>> = (0..=16)
        .map(|i| {
            let a = f64::from(i % 16) / 16.0 * std::f64::consts::TAU;
            let r = base * (1.0 + 0.15 * (3.0 * a).sin());
            Coord {
                x: centre.x + r * a.cos(),
                y: centre.y + r * a.sin(),
            }
        })
        .collect();
    poly.interiors_push(LineString(core_ring.clone()));
    let row = rows.iter().find(|r| r.code == code);
    let kommune_index = host.kommune;
    spaces.push(Space {
        code: code.to_string(),
        kommune: kommune_index,
        name: row.and_then(|r| r.name.clone()),
        name_known: row.is_some_and(|r| r.name_known),
        geometry: MultiPolygon(vec![Polygon::new(LineString(core_ring), vec![])]),
        at: c,
    });
}

fn write_geojson(inputs: &Inputs, spaces: &[Space], summary: &mut String) -> String {
    let mut rng = Rng::new(2024);
    let n = spaces.len();
    // Context of each space: deprivation, urbanity, ageing.
    let mut dep = Vec::with_capacity(n);
    let mut urb = Vec::with_capacity(n);
    let mut age = Vec::with_capacity(n);
    for s in spaces {
        let at = s.geometry.centroid().map_or(s.at, |p| p.0);
        let kommune = &inputs.kommunen[s.kommune];
        let d = inputs
            .hotspots
            .iter()
            .map(|h| {
                h.strength * (-((at.x - h.at.x).hypot(at.y - h.at.y) / h.radius_m).powi(2)).exp()
            })
            .fold(0.0f64, f64::max);
        let sigma_u = if kommune.name == "Aachen" {
            3500.0
        } else {
            2200.0
        };
        let u = kommune.urban
            * (-((at.x - kommune.centre.x).hypot(at.y - kommune.centre.y) / sigma_u).powi(2)).exp();
        dep.push((d + 0.06 * rng.normal()).clamp(0.0, 1.1));
        urb.push(u);
        age.push((kommune.ageing * (1.0 - 0.6 * u) + 0.08 * rng.normal()).clamp(0.0, 1.0));
    }
    // Areas as the app measures them: the written (rounded) lon/lat in ETRS89 / UTM 32N.
    let area_km2: Vec<f64> = spaces.iter().map(|s| utm_area_km2(&s.geometry)).collect();
    // Population: each municipality's census population, spread by area and urbanity.
    // Sozialräume are drawn to hold comparable numbers of people: population grows only
    // slowly with area, and more in dense urban cells.
    let raw: Vec<f64> = (0..n)
        .map(|i| area_km2[i].powf(0.4) * (1.0 + 2.5 * urb[i] + 0.8 * dep[i]))
        .collect();
    let mut population = vec![0.0; n];
    for (k, kommune) in inputs.kommunen.iter().enumerate() {
        let total: f64 = (0..n)
            .filter(|i| spaces[*i].kommune == k)
            .map(|i| raw[i])
            .sum();
        for i in (0..n).filter(|i| spaces[*i].kommune == k) {
            population[i] = (raw[i] / total * kommune.population).round();
        }
    }
    let column = |f: &mut dyn FnMut(usize) -> f64| (0..n).map(f).collect::<Vec<f64>>();
    let a65 =
        column(&mut |i| round_to(16.0 + 13.0 * age[i] - 2.5 * urb[i] + 1.2 * rng.normal(), 1));
    let sgb2 = column(&mut |i| {
        round_to(
            (5.5 + 22.5 * dep[i] + 1.5 * urb[i] + 1.0 * rng.normal()).max(0.8),
            1,
        )
    });
    let mut columns: HashMap<&str, Vec<f64>> = HashMap::new();
    columns.insert("einwohner", population.clone());
    columns.insert(
        "flaeche_km2",
        area_km2.iter().map(|a| round_to(*a, 2)).collect(),
    );
    columns.insert(
        "bevoelkerungsdichte",
        column(&mut |i| (population[i] / area_km2[i]).round()),
    );
    columns.insert(
        "anteil_u18",
        column(&mut |i| round_to(15.5 + 3.5 * dep[i] - 3.0 * age[i] + 0.8 * rng.normal(), 1)),
    );
    columns.insert(
        "anteil_80plus",
        column(&mut |i| round_to(0.31 * a65[i] + 0.6 * rng.normal(), 1)),
    );
    columns.insert(
        "sgb2_quote_u15",
        column(&mut |i| round_to((sgb2[i] * 1.55 + 1.4 * rng.normal()).max(1.0), 1)),
    );
    columns.insert(
        "mindestsicherungsquote",
        column(&mut |i| round_to(sgb2[i] + 1.3 + 0.5 * rng.normal().abs(), 1)),
    );
    columns.insert(
        "grundsicherung_65plus",
        column(&mut |i| {
            round_to(
                (1.4 + 6.5 * dep[i] + 1.5 * urb[i] + 0.4 * rng.normal()).max(0.3),
                1,
            )
        }),
    );
    columns.insert(
        "alleinerziehende",
        column(&mut |i| round_to(13.5 + 15.0 * dep[i] + 1.0 * rng.normal(), 1)),
    );
    columns.insert(
        "auslaender",
        column(&mut |i| {
            round_to(
                (3.5 + 13.0 * urb[i] + 12.0 * dep[i] * urb[i] + 1.3 * rng.normal()).max(1.0),
                1,
            )
        }),
    );
    columns.insert(
        "arbeitslosenquote",
        column(&mut |i| round_to((2.8 + 10.5 * dep[i] + 0.6 * rng.normal()).max(1.0), 1)),
    );
    // Case numbers behind the SGB II quota: recipients among the population under 65.
    let under_65: Vec<f64> = (0..n)
        .map(|i| (population[i] * (1.0 - a65[i] / 100.0)).round())
        .collect();
    columns.insert(
        "sgb2_personen",
        (0..n)
            .map(|i| (under_65[i] * sgb2[i] / 100.0).round())
            .collect(),
    );
    columns.insert("einwohner_u65", under_65);
    columns.insert("anteil_65plus", a65);
    columns.insert("sgb2_quote", sgb2);
    let history = earlier_years(&columns, &dep, &urb, &age);

    // Tune the common threshold offset to reach the Handlungskonzept's 59 of 93.
    let rule_inputs = RuleInputs::new(&columns);
    let flagged = |t: f64, extra: [f64; 4]| {
        classify(&rule_inputs, t, extra)
            .iter()
            .filter(|s| !s.is_empty())
            .count()
    };
    // The interval of offsets that give exactly the target; its middle, rounded for the record.
    let mut chosen = None;
    let mut candidates = vec![[0.0; 4]];
    for step in [0.05, -0.05, 0.1, -0.1, 0.15, -0.15] {
        for field in 0..4 {
            let mut extra = [0.0; 4];
            extra[field] = step;
            candidates.push(extra);
        }
    }
    for extra in candidates {
        let hits: Vec<f64> = (0..=20_000)
            .map(|i| -1.0 + f64::from(i) * 0.0001)
            .filter(|t| flagged(*t, extra) == FLAGGED_TARGET)
            .collect();
        if let (Some(lo), Some(hi)) = (hits.first(), hits.last()) {
            let mid = (lo + hi) / 2.0;
            let t = [round_to(mid, 2), round_to(mid, 3), mid]
                .into_iter()
                .find(|t| flagged(*t, extra) == FLAGGED_TARGET)
                .unwrap_or(*lo);
            chosen = Some((t, extra));
            break;
        }
    }
    let Some((offset, extra)) = chosen else {
        panic!("no threshold offset gives exactly {FLAGGED_TARGET} flagged areas");
    };
    let classes = classify(&rule_inputs, offset, extra);
    let weighted = |key: &str| {
        let v = &columns[key];
        (0..n).map(|i| v[i] * population[i]).sum::<f64>() / population.iter().sum::<f64>()
    };
    let _ = writeln!(
        summary,
        "Schwellen-Offset {offset:+.4}: {} von {n} mit Gestaltungsbedarf; Mindestsicherungsquote regional {:.1} %, max {:.1} %",
        classes.iter().filter(|s| !s.is_empty()).count(),
        weighted("mindestsicherungsquote"),
        columns["mindestsicherungsquote"]
            .iter()
            .copied()
            .fold(0.0, f64::max)
    );
    for f in ActionField::ALL {
        let _ = writeln!(
            summary,
            "  Handlungsfeld {}: {}",
            f.number(),
            classes.iter().filter(|s| s.contains(f)).count()
        );
    }
    let _ = writeln!(
        summary,
        "  in mehreren Feldern: {}",
        classes.iter().filter(|s| s.len() > 1).count()
    );

    let meta = AtlasMeta {
        format: FORMAT_VERSION,
        title: Some("StädteRegion Aachen – 93 Sozialräume (Beispieldaten)".to_string()),
        synthetic: true,
        attribution: Some(
            "Beispieldaten: Grenzen frei nach Lage und Ausdehnung der Kommunen gezeichnet, Indikatoren synthetisch".to_string(),
        ),
        data_year: Some("2023".to_string()),
        note: Some(
            "Synthetische Daten für Vorführung und Tests, erzeugt von maps/generate.rs. Codes und Anzahl je Kommune wie im Sozialbericht 2018; Namen teils bekannt, teils nur angenommen zugeordnet (Eigenschaft name_zuordnung). Die Handlungsfelder folgen aus den Regeln unter „rules“ (z-Werte gegen das Regionsmittel).".to_string(),
        ),
        fields: MetaFields {
            code: Some("code".to_string()),
            name: Some("name".to_string()),
            municipality: Some("kommune".to_string()),
            action_fields: Some("handlungsfelder".to_string()),
        },
        indicators: catalogue(),
        rules: Some(RulesDocument::from_model(&rule_set(offset, extra), &[])),
    };
    let mut out = String::new();
    out.push_str("{\"type\":\"FeatureCollection\",\n\"name\":\"staedteregion_aachen_demo\",\n");
    let _ = writeln!(
        out,
        "\"{MEMBER}\":{},",
        serde_json::to_string(&meta).unwrap_or_default()
    );
    out.push_str("\"features\":[\n");
    for (i, s) in spaces.iter().enumerate() {
        let kommune = &inputs.kommunen[s.kommune];
        let mut props = Map::new();
        props.insert("code".into(), json!(s.code));
        props.insert(
            "name".into(),
            s.name.as_ref().map_or(Value::Null, |n| json!(n)),
        );
        if s.name.is_some() {
            let note = if s.name_known {
                "bekannt"
            } else {
                "angenommen"
            };
            props.insert("name_zuordnung".into(), json!(note));
        }
        props.insert("kommune".into(), json!(kommune.name));
        props.insert("ags".into(), json!(kommune.ags));
        props.insert("handlungsfelder".into(), json!(classes[i].to_numbers()));
        for key in KEYS {
            props.insert(key.into(), json!(columns[key][i]));
        }
        // The series: the earlier years and the current one, as the app writes them.
        let mut series = Map::new();
        for key in KEYS {
            let Some(earlier) = history.get(key) else {
                continue;
            };
            let mut years = Map::new();
            for (year, values) in earlier {
                years.insert(year.to_string(), json!(values[i]));
            }
            years.insert(CURRENT_YEAR.to_string(), json!(columns[key][i]));
            series.insert(key.to_string(), Value::Object(years));
        }
        props.insert("zeitreihen".into(), Value::Object(series));
        let geometry = geojson::Geometry::new(geojson::GeometryValue::new_multi_polygon(
            s.geometry.0.iter().map(|p| {
                std::iter::once(p.exterior())
                    .chain(p.interiors())
                    .map(|ring| {
                        ring.0
                            .iter()
                            .map(|c| {
                                let ll = to_lonlat(*c);
                                [round_to(ll[0], 6), round_to(ll[1], 6)]
                            })
                            .collect::<Vec<_>>()
                    })
                    .collect::<Vec<_>>()
            }),
        ));
        let feature = geojson::Feature {
            bbox: None,
            geometry: Some(geometry),
            id: None,
            properties: Some(props),
            foreign_members: None,
        };
        let text = serde_json::to_string(&feature).unwrap_or_default();
        out.push_str(&text);
        out.push_str(if i + 1 < spaces.len() { ",\n" } else { "\n" });
    }
    out.push_str("]}\n");
    out
}

/// Where the generator's inputs and output live, relative to the crate root.
pub fn maps_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("maps")
}

#[allow(dead_code)] // Not called when this file is included as a module by the tests.
fn main() {
    let dir = maps_dir();
    let output = generate(&dir.join("inputs"));
    let path = dir.join("staedteregion_aachen_demo.geojson");
    if let Err(e) = std::fs::write(&path, &output.geojson) {
        eprintln!("cannot write {}: {e}", path.display());
        std::process::exit(1);
    }
    print!("{}", output.summary);
    println!(
        "written: {} ({} bytes)",
        path.display(),
        output.geojson.len()
    );
}
