//! The CRS of a Shapefile's `.prj` (ESRI or OGC WKT 1): an EPSG code where the definition is a
//! well-known one, else a proj definition built from its parameters.
//!
//! Real `.prj` files rarely carry an AUTHORITY, and they name the same CRS in many spellings
//! ("WGS_1984_UTM_Zone_32N", "ETRS89 / UTM zone 32N"). So the decision is made from the
//! projection parameters, not from names: a transverse Mercator with k = 0.9996 and false
//! easting 500 000 is UTM; one with another false easting (Cologne's 2 500 000) becomes a
//! custom definition that proj4rs handles.

use thiserror::Error;

/// What a `.prj` says.
#[derive(Debug, Clone, PartialEq)]
pub enum PrjCrs {
    /// A well-known CRS.
    Epsg(u32),
    /// Anything else, as a proj string, with the WKT's name.
    Proj4 {
        /// The name in the WKT.
        name: String,
        /// The proj definition.
        proj4: String,
    },
}

/// Why a `.prj` could not be understood.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum WktError {
    /// Not WKT at all.
    #[error("not a WKT definition")]
    Syntax,
    /// A projection this program does not support.
    #[error("projection \"{0}\" is not supported")]
    Projection(String),
}

#[derive(Debug, Clone, PartialEq)]
enum Arg {
    Text(String),
    Number(f64),
    Node(Node),
}

#[derive(Debug, Clone, PartialEq)]
struct Node {
    keyword: String,
    args: Vec<Arg>,
}

impl Node {
    fn child(&self, keyword: &str) -> Option<&Node> {
        self.args.iter().find_map(|a| match a {
            Arg::Node(n) if n.keyword.eq_ignore_ascii_case(keyword) => Some(n),
            _ => None,
        })
    }

    fn text(&self, i: usize) -> Option<&str> {
        match self.args.get(i) {
            Some(Arg::Text(t)) => Some(t),
            _ => None,
        }
    }

    fn number(&self, i: usize) -> Option<f64> {
        match self.args.get(i) {
            Some(Arg::Number(n)) => Some(*n),
            Some(Arg::Text(t)) => t.parse().ok(),
            _ => None,
        }
    }

    fn find(&self, keyword: &str) -> Option<&Node> {
        if self.keyword.eq_ignore_ascii_case(keyword) {
            return Some(self);
        }
        self.args.iter().find_map(|a| match a {
            Arg::Node(n) => n.find(keyword),
            _ => None,
        })
    }

    fn parameter(&self, names: &[&str]) -> Option<f64> {
        self.args.iter().find_map(|a| match a {
            Arg::Node(n) if n.keyword.eq_ignore_ascii_case("PARAMETER") => {
                let name = n.text(0)?.to_lowercase().replace(' ', "_");
                names
                    .contains(&name.as_str())
                    .then(|| n.number(1))
                    .flatten()
            }
            _ => None,
        })
    }
}

struct Parser<'a> {
    chars: std::iter::Peekable<std::str::Chars<'a>>,
    depth: usize,
}

impl Parser<'_> {
    fn skip_space(&mut self) {
        while self.chars.peek().is_some_and(|c| c.is_whitespace()) {
            self.chars.next();
        }
    }

    fn node(&mut self) -> Option<Node> {
        self.depth += 1;
        if self.depth > 32 {
            return None;
        }
        self.skip_space();
        let mut keyword = String::new();
        while let Some(&c) = self.chars.peek() {
            if c.is_ascii_alphanumeric() || c == '_' {
                keyword.push(c);
                self.chars.next();
            } else {
                break;
            }
        }
        self.skip_space();
        let close = match self.chars.next()? {
            '[' => ']',
            '(' => ')',
            _ => return None,
        };
        let mut args = Vec::new();
        loop {
            self.skip_space();
            match *self.chars.peek()? {
                '"' => {
                    self.chars.next();
                    let mut t = String::new();
                    loop {
                        match self.chars.next()? {
                            '"' if self.chars.peek() == Some(&'"') => {
                                self.chars.next();
                                t.push('"');
                            }
                            '"' => break,
                            c => t.push(c),
                        }
                    }
                    args.push(Arg::Text(t));
                }
                c if c == '-' || c == '+' || c == '.' || c.is_ascii_digit() => {
                    let mut t = String::new();
                    while let Some(&c) = self.chars.peek() {
                        if c.is_ascii_alphanumeric() || matches!(c, '-' | '+' | '.') {
                            t.push(c);
                            self.chars.next();
                        } else {
                            break;
                        }
                    }
                    args.push(Arg::Number(t.parse().ok()?));
                }
                c if c.is_ascii_alphabetic() => args.push(Arg::Node(self.node()?)),
                _ => return None,
            }
            self.skip_space();
            match self.chars.next()? {
                ',' => continue,
                c if c == close => break,
                _ => return None,
            }
        }
        self.depth -= 1;
        Some(Node { keyword, args })
    }
}

fn parse(text: &str) -> Result<Node, WktError> {
    let mut parser = Parser {
        chars: text.trim_start_matches('\u{feff}').chars().peekable(),
        depth: 0,
    };
    parser.node().ok_or(WktError::Syntax)
}

/// Reads the CRS of a `.prj` text.
pub fn crs_from_wkt(text: &str) -> Result<PrjCrs, WktError> {
    let root = parse(text)?;
    if let Some(code) = authority_epsg(&root) {
        return Ok(PrjCrs::Epsg(code));
    }
    let keyword = root.keyword.to_uppercase();
    let geog = root.find("GEOGCS").ok_or(WktError::Syntax)?;
    let datum = geog
        .child("DATUM")
        .and_then(|d| d.text(0))
        .unwrap_or_default()
        .to_lowercase();
    let spheroid = geog.find("SPHEROID");
    let a = spheroid.and_then(|s| s.number(1)).unwrap_or(6_378_137.0);
    let rf = spheroid
        .and_then(|s| s.number(2))
        .unwrap_or(298.257_223_563);
    let ellipsoid = Ellipsoid::of(a, rf);
    if keyword == "GEOGCS" {
        return Ok(PrjCrs::Epsg(match ellipsoid {
            Ellipsoid::Bessel => 4314,
            _ if datum.contains("etrs") => 4258,
            _ => 4326,
        }));
    }
    if keyword != "PROJCS" {
        return Err(WktError::Syntax);
    }
    let name = root.text(0).unwrap_or_default().to_string();
    let projection = root
        .child("PROJECTION")
        .and_then(|p| p.text(0))
        .unwrap_or_default()
        .to_lowercase();
    let unit = root.child("UNIT").and_then(|u| u.number(1)).unwrap_or(1.0);
    let p = |names: &[&str], default: f64| root.parameter(names).unwrap_or(default);
    let x0 = p(&["false_easting"], 0.0) * unit;
    let y0 = p(&["false_northing"], 0.0) * unit;
    let lon0 = p(&["central_meridian", "longitude_of_center"], 0.0);
    let lat0 = p(&["latitude_of_origin", "latitude_of_center"], 0.0);
    let k = p(&["scale_factor"], 1.0);
    let ellps = ellipsoid.proj(a, rf);
    let proj4 = match projection.as_str() {
        "transverse_mercator" | "gauss_kruger" => {
            if let Some(code) = known_tmerc(ellipsoid, &datum, lon0, lat0, k, x0, y0) {
                return Ok(PrjCrs::Epsg(code));
            }
            format!(
                "+proj=tmerc +lat_0={lat0} +lon_0={lon0} +k={k} +x_0={x0} +y_0={y0} {ellps} +units=m +no_defs"
            )
        }
        "mercator_auxiliary_sphere" | "popular_visualisation_pseudo_mercator" => {
            return Ok(PrjCrs::Epsg(3857));
        }
        "lambert_conformal_conic" | "lambert_conformal_conic_2sp" => {
            let lat1 = p(&["standard_parallel_1"], lat0);
            let lat2 = p(&["standard_parallel_2"], lat1);
            format!(
                "+proj=lcc +lat_1={lat1} +lat_2={lat2} +lat_0={lat0} +lon_0={lon0} +x_0={x0} +y_0={y0} {ellps} +units=m +no_defs"
            )
        }
        other => return Err(WktError::Projection(other.to_string())),
    };
    Ok(PrjCrs::Proj4 { name, proj4 })
}

fn authority_epsg(root: &Node) -> Option<u32> {
    let auth = root.child("AUTHORITY")?;
    if !auth.text(0)?.eq_ignore_ascii_case("EPSG") {
        return None;
    }
    auth.number(1).map(|n| n as u32)
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Ellipsoid {
    Grs80,
    Wgs84,
    Bessel,
    Other,
}

impl Ellipsoid {
    fn of(a: f64, rf: f64) -> Ellipsoid {
        let near = |x: f64, y: f64, tol: f64| (x - y).abs() < tol;
        if near(a, 6_378_137.0, 0.5) && near(rf, 298.257_222_101, 1e-6) {
            Ellipsoid::Grs80
        } else if near(a, 6_378_137.0, 0.5) && near(rf, 298.257_223_563, 1e-6) {
            Ellipsoid::Wgs84
        } else if near(a, 6_377_397.155, 0.5) {
            Ellipsoid::Bessel
        } else {
            Ellipsoid::Other
        }
    }

    fn proj(self, a: f64, rf: f64) -> String {
        match self {
            Ellipsoid::Grs80 => "+ellps=GRS80".to_string(),
            Ellipsoid::Wgs84 => "+ellps=WGS84".to_string(),
            Ellipsoid::Bessel => "+ellps=bessel".to_string(),
            Ellipsoid::Other => format!("+a={a} +rf={rf}"),
        }
    }
}

/// UTM (ETRS89 or WGS 84) and Gauss–Krüger zones 2–5 by their parameters.
fn known_tmerc(
    ellipsoid: Ellipsoid,
    datum: &str,
    lon0: f64,
    lat0: f64,
    k: f64,
    x0: f64,
    y0: f64,
) -> Option<u32> {
    if lat0 != 0.0 || y0 != 0.0 {
        return None;
    }
    let zone_of = |lon: f64| ((lon + 183.0) / 6.0).round();
    if (k - 0.9996).abs() < 1e-9 && (x0 - 500_000.0).abs() < 1e-6 {
        let zone = zone_of(lon0);
        if (zone * 6.0 - 183.0 - lon0).abs() > 1e-9 || !(1.0..=60.0).contains(&zone) {
            return None;
        }
        let etrs = ellipsoid == Ellipsoid::Grs80 || datum.contains("etrs");
        let base = if etrs && (28.0..=38.0).contains(&zone) {
            25_800
        } else {
            32_600
        };
        return Some(base + zone as u32);
    }
    if ellipsoid == Ellipsoid::Bessel && (k - 1.0).abs() < 1e-9 {
        let zone = (lon0 / 3.0).round();
        if (2.0..=5.0).contains(&zone) && (x0 - (zone * 1e6 + 500_000.0)).abs() < 1e-6 {
            return Some(31_464 + zone as u32);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn esri_lon_lat_is_wgs84() {
        let prj = r#"GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137,298.257223563]],PRIMEM["Greenwich",0],UNIT["Degree",0.017453292519943295]]"#;
        assert_eq!(crs_from_wkt(prj), Ok(PrjCrs::Epsg(4326)));
    }

    #[test]
    fn utm_32_in_etrs89_is_25832_whatever_its_name() {
        let prj = r#"PROJCS["ETRS_1989_UTM_Zone_32N",GEOGCS["GCS_ETRS_1989",DATUM["D_ETRS_1989",SPHEROID["GRS_1980",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"],PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",9.0],PARAMETER["Scale_Factor",0.9996],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]"#;
        assert_eq!(crs_from_wkt(prj), Ok(PrjCrs::Epsg(25832)));
    }

    #[test]
    fn an_authority_wins() {
        let prj = r#"PROJCS["DHDN / 3-degree Gauss-Kruger zone 2",GEOGCS["DHDN",DATUM["Deutsches_Hauptdreiecksnetz",SPHEROID["Bessel 1841",6377397.155,299.1528128]]],PROJECTION["Transverse_Mercator"],PARAMETER["central_meridian",6],PARAMETER["scale_factor",1],PARAMETER["false_easting",2500000],UNIT["metre",1],AUTHORITY["EPSG","31466"]]"#;
        assert_eq!(crs_from_wkt(prj), Ok(PrjCrs::Epsg(31466)));
        let without = prj.replace(r#",AUTHORITY["EPSG","31466"]"#, "");
        assert_eq!(crs_from_wkt(&without), Ok(PrjCrs::Epsg(31466)));
    }

    #[test]
    fn a_shifted_utm_becomes_a_proj_definition() {
        let prj = r#"PROJCS["WGS_1984_UTM_Zone_32N",GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"],PARAMETER["False_Easting",2500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",9.0],PARAMETER["Scale_Factor",0.9996],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]"#;
        match crs_from_wkt(prj) {
            Ok(PrjCrs::Proj4 { name, proj4 }) => {
                assert_eq!(name, "WGS_1984_UTM_Zone_32N");
                assert!(proj4.contains("+x_0=2500000"), "{proj4}");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn garbage_and_unknown_projections_are_errors() {
        assert_eq!(crs_from_wkt("hello"), Err(WktError::Syntax));
        assert_eq!(crs_from_wkt("PROJCS[\"x\""), Err(WktError::Syntax));
        let polar = r#"PROJCS["x",GEOGCS["g",DATUM["d",SPHEROID["s",6378137,298.257223563]]],PROJECTION["Polar_Stereographic"]]"#;
        assert_eq!(
            crs_from_wkt(polar),
            Err(WktError::Projection("polar_stereographic".into()))
        );
    }
}
