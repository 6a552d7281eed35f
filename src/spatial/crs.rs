//! Coordinate reference systems: recognising them, choosing a planar one, reprojecting.
//!
//! Everything is drawn and measured in a planar CRS in metres. A file in lon/lat is projected
//! once, at import, into the ETRS89 / UTM zone of its centre (EPSG:25832 for NRW); a file that
//! is already in a metric CRS is kept as it is. Projection uses the pure-Rust `proj4rs` with
//! the EPSG definitions of `crs-definitions`; geographic coordinates are in degrees at this
//! module's edge (proj4rs works in radians internally).

use proj4rs::proj::Proj;

use super::tmerc::Utm;
use proj4rs::transform::{Transform, TransformClosure};
use serde_json::Value;
use thiserror::Error;

/// EPSG code of WGS 84 lon/lat, the CRS of RFC 7946 GeoJSON.
pub const WGS84: u32 = 4326;

/// Errors of this module.
#[derive(Debug, Error)]
pub enum CrsError {
    /// The EPSG code is not in the built-in definitions.
    #[error("EPSG:{0} is not a known coordinate reference system")]
    UnknownEpsg(u32),
    /// A proj definition (from a `.prj`) that proj4rs does not accept.
    #[error("the projection definition {0} cannot be used")]
    BadDefinition(String),
    /// The legacy `crs` member could not be understood.
    #[error("the crs member {0} names no EPSG code")]
    UnreadableCrsMember(String),
    /// A coordinate could not be transformed.
    #[error("coordinate ({x}, {y}) cannot be transformed from EPSG:{from} to EPSG:{to}")]
    Transform {
        /// Source CRS.
        from: u32,
        /// Target CRS.
        to: u32,
        /// The first failing coordinate.
        x: f64,
        /// The first failing coordinate.
        y: f64,
    },
}

/// A coordinate reference system known by its EPSG code.
pub struct Crs {
    epsg: u32,
    name: String,
    proj: Proj,
}

impl std::fmt::Debug for Crs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Crs(EPSG:{} {})", self.epsg, self.name)
    }
}

impl Crs {
    /// Looks up an EPSG code in the built-in definitions.
    pub fn from_epsg(epsg: u32) -> Result<Crs, CrsError> {
        let code = u16::try_from(epsg).map_err(|_| CrsError::UnknownEpsg(epsg))?;
        let def = crs_definitions::from_code(code).ok_or(CrsError::UnknownEpsg(epsg))?;
        let proj = Proj::from_proj_string(def.proj4).map_err(|_| CrsError::UnknownEpsg(epsg))?;
        Ok(Crs {
            epsg,
            name: wkt_name(def.wkt).unwrap_or_default().to_string(),
            proj,
        })
    }

    /// A CRS from a proj definition, e.g. a Shapefile's `.prj` that matches no EPSG code.
    /// Its code is 0: it can be a source, never the planar CRS of a map.
    pub fn from_proj4(name: &str, definition: &str) -> Result<Crs, CrsError> {
        let proj = Proj::from_proj_string(definition)
            .map_err(|_| CrsError::BadDefinition(definition.to_string()))?;
        Ok(Crs {
            epsg: 0,
            name: format!("{name} ({definition})"),
            proj,
        })
    }

    /// The CRS a `.prj` describes.
    pub fn from_prj(prj: &super::wkt::PrjCrs) -> Result<Crs, CrsError> {
        match prj {
            super::wkt::PrjCrs::Epsg(code) => Crs::from_epsg(*code),
            super::wkt::PrjCrs::Proj4 { name, proj4 } => Crs::from_proj4(name, proj4),
        }
    }

    /// The EPSG code (0 for a custom definition).
    pub fn epsg(&self) -> u32 {
        self.epsg
    }

    /// The official name, e.g. "ETRS89 / UTM zone 32N".
    pub fn name(&self) -> &str {
        &self.name
    }

    /// "EPSG:25832 (ETRS89 / UTM zone 32N)".
    pub fn describe(&self) -> String {
        if self.epsg == 0 {
            return self.name.clone();
        }
        format!("EPSG:{} ({})", self.epsg, self.name)
    }

    /// Whether coordinates are lon/lat degrees rather than metres.
    pub fn is_geographic(&self) -> bool {
        self.proj.is_latlong()
    }
}

/// The first quoted string of a WKT definition is the CRS's name.
fn wkt_name(wkt: &str) -> Option<&str> {
    let start = wkt.find('"')? + 1;
    let len = wkt[start..].find('"')?;
    Some(&wkt[start..start + len])
}

/// Transforms coordinates between two CRS; degrees for geographic ones.
#[derive(Debug)]
pub struct Transformer {
    from: Crs,
    to: Crs,
}

struct Points<'a>(&'a mut [[f64; 2]]);

impl Transform for Points<'_> {
    fn transform_coordinates<F: TransformClosure>(
        &mut self,
        f: &mut F,
    ) -> proj4rs::errors::Result<()> {
        for p in self.0.iter_mut() {
            let (x, y, _) = f(p[0], p[1], 0.0)?;
            p[0] = x;
            p[1] = y;
        }
        Ok(())
    }
}

impl Transformer {
    /// A transformer from `from` to `to`.
    pub fn new(from: Crs, to: Crs) -> Self {
        Transformer { from, to }
    }

    /// The source CRS.
    pub fn source(&self) -> &Crs {
        &self.from
    }

    /// The target CRS.
    pub fn target(&self) -> &Crs {
        &self.to
    }

    /// Whether source and target are the same, so nothing needs to be done.
    pub fn is_identity(&self) -> bool {
        self.from.epsg == self.to.epsg && self.from.epsg != 0
    }

    /// Transforms `points` in place. On error, the slice may be partly transformed.
    pub fn transform(&self, points: &mut [[f64; 2]]) -> Result<(), CrsError> {
        if self.is_identity() {
            return Ok(());
        }
        let src_geo = self.from.is_geographic();
        let dst_geo = self.to.is_geographic();
        if src_geo {
            for p in points.iter_mut() {
                p[0] = p[0].to_radians();
                p[1] = p[1].to_radians();
            }
        }
        let first = points.first().copied().unwrap_or([0.0, 0.0]);
        proj4rs::transform::transform(&self.from.proj, &self.to.proj, &mut Points(points))
            .map_err(|_| CrsError::Transform {
                from: self.from.epsg,
                to: self.to.epsg,
                x: first[0],
                y: first[1],
            })?;
        if dst_geo {
            for p in points.iter_mut() {
                p[0] = p[0].to_degrees();
                p[1] = p[1].to_degrees();
            }
        }
        if let Some(bad) = points
            .iter()
            .find(|p| !(p[0].is_finite() && p[1].is_finite()))
        {
            return Err(CrsError::Transform {
                from: self.from.epsg,
                to: self.to.epsg,
                x: bad[0],
                y: bad[1],
            });
        }
        Ok(())
    }

    /// Transforms one point.
    pub fn point(&self, p: [f64; 2]) -> Result<[f64; 2], CrsError> {
        let mut pts = [p];
        self.transform(&mut pts)?;
        Ok(pts[0])
    }
}

/// Reads the EPSG code from a legacy GeoJSON `crs` member, e.g.
/// `{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::25832"}}`,
/// `"EPSG:25832"`, `{"type":"EPSG","properties":{"code":25832}}` or OGC CRS84.
pub fn epsg_from_crs_member(member: &Value) -> Result<u32, CrsError> {
    let unreadable = || CrsError::UnreadableCrsMember(truncate(&member.to_string(), 120));
    let text = match member {
        Value::String(s) => s.clone(),
        Value::Object(obj) => {
            let props = obj.get("properties").and_then(Value::as_object);
            if let Some(code) = props.and_then(|p| p.get("code")) {
                return match code {
                    Value::Number(n) => n
                        .as_u64()
                        .and_then(|c| u32::try_from(c).ok())
                        .ok_or_else(unreadable),
                    Value::String(s) => epsg_from_text(s).ok_or_else(unreadable),
                    _ => Err(unreadable()),
                };
            }
            props
                .and_then(|p| p.get("name"))
                .and_then(Value::as_str)
                .ok_or_else(unreadable)?
                .to_string()
        }
        _ => return Err(unreadable()),
    };
    epsg_from_text(&text).ok_or_else(unreadable)
}

/// Finds an EPSG code in a CRS name such as `urn:ogc:def:crs:EPSG::25832`, `EPSG:31466`,
/// `http://www.opengis.net/def/crs/EPSG/0/3857` or `urn:ogc:def:crs:OGC:1.3:CRS84`.
pub fn epsg_from_text(text: &str) -> Option<u32> {
    let t = text.trim();
    let upper = t.to_uppercase();
    if upper.ends_with("CRS84") || upper.ends_with("CRS:84") {
        return Some(WGS84);
    }
    if !(upper.contains("EPSG") || t.chars().all(|c| c.is_ascii_digit())) {
        return None;
    }
    let digits: String = t
        .chars()
        .rev()
        .take_while(|c| c.is_ascii_digit())
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    digits.parse().ok()
}

fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let cut: String = s.chars().take(max).collect();
        format!("{cut}…")
    }
}

/// A likely CRS for projected coordinates that came without a `crs` member.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CrsGuess {
    /// EPSG code.
    pub epsg: u32,
    /// Short human name.
    pub name: &'static str,
}

/// Guesses CRS from the bounding box of projected coordinates (German and European usage
/// first), most likely first. Empty when nothing fits.
pub fn guess_projected_crs(min: [f64; 2], max: [f64; 2]) -> Vec<CrsGuess> {
    let within = |x0: f64, x1: f64, y0: f64, y1: f64| {
        min[0] >= x0 && max[0] <= x1 && min[1] >= y0 && max[1] <= y1
    };
    let mut guesses = Vec::new();
    // UTM with zone prefix in the easting (e.g. 32 294399.7).
    if within(31_100_000.0, 33_900_000.0, 5_000_000.0, 6_200_000.0) {
        let zone = (min[0] / 1_000_000.0).floor() as u32;
        let (epsg, name) = match zone {
            32 => (4647, "ETRS89 / UTM zone 32N (zE-N)"),
            _ => (5650, "ETRS89 / UTM zone 33N (zE-N)"),
        };
        guesses.push(CrsGuess { epsg, name });
    }
    // Gauss-Krüger: the easting's million digit is the zone number.
    if within(2_200_000.0, 5_800_000.0, 5_200_000.0, 6_200_000.0) {
        let zone = (min[0] / 1_000_000.0).floor() as u32;
        let (epsg, name) = match zone {
            2 => (31466, "DHDN / Gauss-Krüger zone 2"),
            3 => (31467, "DHDN / Gauss-Krüger zone 3"),
            4 => (31468, "DHDN / Gauss-Krüger zone 4"),
            _ => (31469, "DHDN / Gauss-Krüger zone 5"),
        };
        guesses.push(CrsGuess { epsg, name });
    }
    // Plain UTM in Germany and its neighbours.
    if within(150_000.0, 950_000.0, 5_000_000.0, 6_200_000.0) {
        guesses.push(CrsGuess {
            epsg: 25832,
            name: "ETRS89 / UTM zone 32N",
        });
        guesses.push(CrsGuess {
            epsg: 25833,
            name: "ETRS89 / UTM zone 33N",
        });
    }
    // Web Mercator over Europe.
    if within(-2_500_000.0, 4_500_000.0, 4_000_000.0, 11_500_000.0) {
        guesses.push(CrsGuess {
            epsg: 3857,
            name: "WGS 84 / Pseudo-Mercator",
        });
    }
    guesses
}

/// Whether a bounding box can be lon/lat degrees.
pub fn looks_geographic(min: [f64; 2], max: [f64; 2]) -> bool {
    min[0] >= -180.0 && max[0] <= 180.0 && min[1] >= -90.0 && max[1] <= 90.0
}

/// The planar CRS to draw lon/lat data in: the UTM zone of the data's centre, on ETRS89
/// in Europe (EPSG:258zz) and on WGS 84 elsewhere (EPSG:326zz / 327zz).
pub fn planar_epsg_for(center_lon: f64, center_lat: f64) -> u32 {
    let zone = (((center_lon + 180.0) / 6.0).floor() as i64 + 1).clamp(1, 60) as u32;
    let europe = (-16.0..=40.0).contains(&center_lon) && (32.0..=84.0).contains(&center_lat);
    if europe && (28..=38).contains(&zone) {
        25800 + zone
    } else if center_lat >= 0.0 {
        32600 + zone
    } else {
        32700 + zone
    }
}

/// Whether an EPSG code is lon/lat on WGS 84 or ETRS89, which the fast UTM path accepts
/// without a datum shift (the two differ by centimetres).
fn is_wgs84_like(epsg: u32) -> bool {
    matches!(epsg, 4326 | 4258)
}

/// Whether a projected CRS distorts distances too much to measure in (Web Mercator).
pub fn is_web_mercator(epsg: u32) -> bool {
    matches!(epsg, 3857 | 3395 | 900_913)
}

/// Projects coordinates from a file's CRS into the map's planar CRS, choosing the fastest
/// correct method once per file.
#[derive(Debug)]
pub enum Projector {
    /// The file is already in the planar CRS.
    Identity,
    /// Lon/lat on WGS 84 / ETRS89 to UTM: the fast series of [`Utm`].
    Utm(Utm),
    /// Anything else: proj4rs.
    General(Box<Transformer>),
}

impl Projector {
    /// The projector from `from` to `to`.
    pub fn new(from: Crs, to: Crs) -> Projector {
        if from.epsg == to.epsg && from.epsg != 0 {
            return Projector::Identity;
        }
        if is_wgs84_like(from.epsg)
            && let Some(utm) = Utm::from_epsg(to.epsg)
        {
            return Projector::Utm(utm);
        }
        Projector::General(Box::new(Transformer::new(from, to)))
    }

    /// Projects `points` in place.
    pub fn project(&self, points: &mut [[f64; 2]]) -> Result<(), CrsError> {
        match self {
            Projector::Identity => Ok(()),
            Projector::Utm(utm) => {
                for p in points.iter_mut() {
                    *p = utm.forward(p[0], p[1]);
                }
                Ok(())
            }
            Projector::General(t) => t.transform(points),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn transformer(from: u32, to: u32) -> Transformer {
        Transformer::new(
            Crs::from_epsg(from).expect("known"),
            Crs::from_epsg(to).expect("known"),
        )
    }

    #[test]
    fn aachen_cathedral_in_utm32_is_at_its_known_lon_lat() {
        let p = transformer(25832, WGS84)
            .point([294_399.7, 5_628_826.0])
            .expect("transforms");
        assert!((p[0] - 6.0838).abs() < 0.0001, "lon {}", p[0]);
        assert!((p[1] - 50.7747).abs() < 0.0001, "lat {}", p[1]);
    }

    #[test]
    fn lon_lat_round_trips_through_utm32() {
        let there = transformer(WGS84, 25832)
            .point([6.0838, 50.7747])
            .expect("forward");
        assert!((there[0] - 294_399.7).abs() < 10.0, "{there:?}");
        let back = transformer(25832, WGS84).point(there).expect("inverse");
        assert!((back[0] - 6.0838).abs() < 1e-9 && (back[1] - 50.7747).abs() < 1e-9);
    }

    #[test]
    fn gauss_krueger_and_web_mercator_reach_aachen() {
        // Aachen cathedral in DHDN / GK zone 2 (datum shift included) and in Web Mercator.
        let gk = transformer(WGS84, 31466)
            .point([6.0838, 50.7747])
            .expect("gk");
        assert!((gk[0] - 2_505_914.0).abs() < 50.0, "{gk:?}");
        let back = transformer(31466, WGS84).point(gk).expect("gk inverse");
        assert!((back[0] - 6.0838).abs() < 1e-6 && (back[1] - 50.7747).abs() < 1e-6);
        let merc = transformer(3857, WGS84)
            .point([677_245.5, 6_581_537.1])
            .expect("merc");
        assert!((merc[0] - 6.0838).abs() < 0.001 && (merc[1] - 50.7747).abs() < 0.001);
    }

    #[test]
    fn crs_members_of_every_common_form_are_read() {
        let cases = [
            (
                r#"{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::25832"}}"#,
                25832,
            ),
            (
                r#"{"type":"name","properties":{"name":"EPSG:31466"}}"#,
                31466,
            ),
            (r#"{"type":"EPSG","properties":{"code":3857}}"#, 3857),
            (
                r#"{"type":"name","properties":{"name":"urn:ogc:def:crs:OGC:1.3:CRS84"}}"#,
                4326,
            ),
            (r#""http://www.opengis.net/def/crs/EPSG/0/25833""#, 25833),
        ];
        for (json, code) in cases {
            let v: Value = serde_json::from_str(json).expect("json");
            assert_eq!(epsg_from_crs_member(&v).expect(json), code, "{json}");
        }
        let v: Value = serde_json::from_str(r#"{"type":"name","properties":{"name":"Lambert"}}"#)
            .expect("json");
        assert!(epsg_from_crs_member(&v).is_err());
    }

    #[test]
    fn projected_coordinates_get_a_likely_crs() {
        let utm = guess_projected_crs([280_000.0, 5_600_000.0], [330_000.0, 5_650_000.0]);
        assert_eq!(utm[0].epsg, 25832);
        let gk = guess_projected_crs([2_500_000.0, 5_600_000.0], [2_530_000.0, 5_650_000.0]);
        assert_eq!(gk[0].epsg, 31466);
        let prefixed =
            guess_projected_crs([32_280_000.0, 5_600_000.0], [32_330_000.0, 5_650_000.0]);
        assert_eq!(prefixed[0].epsg, 4647);
    }

    #[test]
    fn the_planar_crs_is_the_utm_zone_of_the_centre() {
        assert_eq!(planar_epsg_for(6.2, 50.7), 25832);
        assert_eq!(planar_epsg_for(10.4, 51.1), 25832);
        assert_eq!(planar_epsg_for(13.4, 52.5), 25833);
        assert_eq!(planar_epsg_for(-74.0, 40.7), 32618);
        assert_eq!(planar_epsg_for(151.2, -33.9), 32756);
    }

    #[test]
    fn known_crs_have_names() {
        assert_eq!(
            Crs::from_epsg(25832).expect("known").describe(),
            "EPSG:25832 (ETRS89 / UTM zone 32N)"
        );
        assert!(Crs::from_epsg(4326).expect("known").is_geographic());
        assert!(matches!(
            Crs::from_epsg(99999),
            Err(CrsError::UnknownEpsg(99999))
        ));
    }
}
