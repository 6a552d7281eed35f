//! Shapefile import: `.shp` polygons, `.dbf` attributes, `.prj` CRS, `.cpg` encoding.
//!
//! The parts become the same raw document a GeoJSON file becomes, so field detection, CRS
//! handling, repairs and the import report are shared. The one decision a reader must know:
//! the `.dbf` text encoding comes from the `.cpg`; without one, text that is valid UTF-8 is
//! read as UTF-8 and everything else as Windows-1252, which is what German offices' files
//! (and the real ones in ../shared/data) use. Shapefile rings are oriented (outer clockwise,
//! holes counter-clockwise); holes are given to the outer ring that contains them.

use std::path::{Path, PathBuf};

use encoding_rs::{Encoding, UTF_8, WINDOWS_1252};
use serde_json::{Map, Value, json};

use super::error::ImportError;
use super::geojson::coords::CoordBuf;
use super::geojson::reader::{RawDocument, RawFeature, RawGeometry};
use crate::spatial::wkt::crs_from_wkt;

/// The files of one Shapefile, as bytes.
#[derive(Debug, Clone, Default)]
pub struct ShapefileParts<'a> {
    /// The `.shp` (geometries).
    pub shp: &'a [u8],
    /// The `.dbf` (attributes), if there is one.
    pub dbf: Option<&'a [u8]>,
    /// The `.cpg` (text encoding of the `.dbf`), if there is one.
    pub cpg: Option<&'a [u8]>,
    /// The `.prj` (CRS as WKT), if there is one.
    pub prj: Option<&'a [u8]>,
}

/// Reads a Shapefile (given as its `.shp`) into a raw document.
pub fn read_shapefile(path: &Path) -> Result<RawDocument, ImportError> {
    let file = path.display().to_string();
    let shp = read_part(path, "shp")?.ok_or_else(|| ImportError::Io {
        file: file.clone(),
        source: std::io::Error::from(std::io::ErrorKind::NotFound),
    })?;
    let dbf = read_part(path, "dbf")?;
    let cpg = read_part(path, "cpg")?;
    let prj = read_part(path, "prj")?;
    let parts = ShapefileParts {
        shp: &shp,
        dbf: dbf.as_deref(),
        cpg: cpg.as_deref(),
        prj: prj.as_deref(),
    };
    let name = path.file_stem().map(|s| s.to_string_lossy().into_owned());
    let prj_file = sibling(path, "prj").display().to_string();
    parse_shapefile(&parts, &file, &prj_file, name)
}

/// Builds the raw document from a Shapefile's parts; `file` and `prj_file` name the `.shp`
/// and the `.prj` in messages, `name` becomes the document's name.
pub fn parse_shapefile(
    parts: &ShapefileParts<'_>,
    file: &str,
    prj_file: &str,
    name: Option<String>,
) -> Result<RawDocument, ImportError> {
    let geometries = read_shp(parts.shp, file)?;
    let records = match parts.dbf {
        Some(dbf) => read_dbf(dbf, parts.cpg, file)?,
        None => Vec::new(),
    };
    let prj = match parts.prj {
        Some(bytes) => {
            let text = String::from_utf8_lossy(bytes);
            Some(crs_from_wkt(&text).map_err(|e| {
                ImportError::unusable(
                    prj_file,
                    format!(
                        "Koordinatensystem nicht lesbar ({e}). Beim Öffnen den EPSG-Code angeben."
                    ),
                    format!(
                        "coordinate system not readable ({e}). State the EPSG code when opening."
                    ),
                )
            })?)
        }
        None => None,
    };
    let mut records = records.into_iter();
    let mut keys = crate::model::KeyInterner::default();
    let features = geometries
        .into_iter()
        .enumerate()
        .map(|(i, geometry)| RawFeature {
            id: Some(json!(i + 1)),
            properties: records
                .next()
                .map(|r| crate::model::Properties::from_map(r, &mut keys))
                .unwrap_or_default(),
            geometry,
            ..RawFeature::default()
        })
        .collect::<Vec<_>>();
    if features.is_empty() {
        return Err(ImportError::unusable(
            file,
            "enthält keine Datensätze.",
            "contains no records.",
        ));
    }
    Ok(RawDocument {
        doc_type: Some("FeatureCollection".to_string()),
        features,
        name,
        prj,
        ..RawDocument::default()
    })
}

fn sibling(path: &Path, ext: &str) -> PathBuf {
    path.with_extension(ext)
}

/// Reads the part with this extension (also upper case), None when there is none.
fn read_part(path: &Path, ext: &str) -> Result<Option<Vec<u8>>, ImportError> {
    for candidate in [sibling(path, ext), sibling(path, &ext.to_uppercase())] {
        match std::fs::read(&candidate) {
            Ok(bytes) => return Ok(Some(bytes)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(source) => {
                return Err(ImportError::Io {
                    file: candidate.display().to_string(),
                    source,
                });
            }
        }
    }
    Ok(None)
}

fn damaged(file: &str, de: &str, en: &str) -> ImportError {
    ImportError::unusable(
        file,
        format!("beschädigte .shp-Datei: {de}"),
        format!("damaged .shp file: {en}"),
    )
}

fn le_i32(b: &[u8], at: usize) -> Option<i32> {
    Some(i32::from_le_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

fn le_f64(b: &[u8], at: usize) -> Option<f64> {
    Some(f64::from_le_bytes(b.get(at..at + 8)?.try_into().ok()?))
}

/// The geometries of a `.shp`, one per record.
fn read_shp(b: &[u8], file: &str) -> Result<Vec<RawGeometry>, ImportError> {
    if b.len() < 100 || b[..4] != [0, 0, 0x27, 0x0a] {
        return Err(damaged(file, "kein Shapefile-Kopf", "no Shapefile header"));
    }
    let kind = le_i32(b, 32).unwrap_or(0);
    if !matches!(kind, 0 | 5 | 15 | 25) {
        let name = match kind {
            1 | 11 | 21 => "Punkte",
            3 | 13 | 23 => "Linien",
            8 | 18 | 28 => "Multipunkte",
            _ => "unbekannte Geometrie",
        };
        return Err(ImportError::unusable(
            file,
            format!(
                "enthält {name} (Shape-Typ {kind}), keine Flächen. Sozialräume müssen Polygone sein."
            ),
            format!("holds shape type {kind}, not polygons. Sozialräume must be polygons."),
        ));
    }
    let mut out = Vec::new();
    let mut pos = 100usize;
    while pos + 8 <= b.len() {
        let words = u32::from_be_bytes([b[pos + 4], b[pos + 5], b[pos + 6], b[pos + 7]]) as usize;
        let start = pos + 8;
        let end = start.saturating_add(words.saturating_mul(2));
        let Some(content) = b.get(start..end) else {
            return Err(damaged(
                file,
                &format!("Datensatz {} endet vorzeitig", out.len() + 1),
                &format!("record {} ends early", out.len() + 1),
            ));
        };
        out.push(polygon_record(content));
        pos = end;
    }
    Ok(out)
}

/// One record: null shape, or a polygon with parts.
fn polygon_record(c: &[u8]) -> RawGeometry {
    let kind = le_i32(c, 0).unwrap_or(0);
    if kind == 0 {
        return RawGeometry::Null;
    }
    let parse = || -> Option<Vec<Vec<[f64; 2]>>> {
        let parts = usize::try_from(le_i32(c, 36)?).ok()?;
        let points = usize::try_from(le_i32(c, 40)?).ok()?;
        let first_point = 44usize.checked_add(parts.checked_mul(4)?)?;
        if first_point.checked_add(points.checked_mul(16)?)? > c.len() {
            return None;
        }
        let starts: Vec<usize> = (0..parts)
            .map(|i| le_i32(c, 44 + 4 * i).and_then(|v| usize::try_from(v).ok()))
            .collect::<Option<_>>()?;
        let mut rings = Vec::with_capacity(parts);
        for (i, &s) in starts.iter().enumerate() {
            let e = starts.get(i + 1).copied().unwrap_or(points);
            if s > e || e > points {
                return None;
            }
            let ring = (s..e)
                .map(|k| {
                    let at = first_point + 16 * k;
                    Some([le_f64(c, at)?, le_f64(c, at + 8)?])
                })
                .collect::<Option<Vec<_>>>()?;
            rings.push(ring);
        }
        Some(rings)
    };
    if !matches!(kind, 5 | 15 | 25) {
        return RawGeometry::Object {
            kind: Some(format!("Shape-Typ {kind}")),
            coords: None,
        };
    }
    match parse() {
        Some(rings) => RawGeometry::Object {
            kind: Some("MultiPolygon".to_string()),
            coords: Some(CoordBuf::multipolygon(group_rings(rings))),
        },
        None => RawGeometry::Object {
            kind: Some("MultiPolygon".to_string()),
            coords: Some(CoordBuf {
                problem: Some(super::geojson::coords::CoordProblem::ShortPosition),
                ..CoordBuf::default()
            }),
        },
    }
}

fn signed_area(ring: &[[f64; 2]]) -> f64 {
    let mut sum = 0.0;
    for w in ring.windows(2) {
        sum += w[0][0] * w[1][1] - w[1][0] * w[0][1];
    }
    sum / 2.0
}

fn contains(ring: &[[f64; 2]], p: [f64; 2]) -> bool {
    let mut inside = false;
    let n = ring.len();
    for i in 0..n {
        let a = ring[i];
        let b = ring[(i + n - 1) % n];
        if (a[1] > p[1]) != (b[1] > p[1])
            && p[0] < (b[0] - a[0]) * (p[1] - a[1]) / (b[1] - a[1]) + a[0]
        {
            inside = !inside;
        }
    }
    inside
}

/// Outer rings (clockwise) with the holes (counter-clockwise) inside them. A file that
/// orients every ring the same way gets every ring as an outer ring.
fn group_rings(rings: Vec<Vec<[f64; 2]>>) -> Vec<Vec<Vec<[f64; 2]>>> {
    let (outer, holes): (Vec<_>, Vec<_>) = rings.into_iter().partition(|r| signed_area(r) <= 0.0);
    if outer.is_empty() {
        return holes.into_iter().map(|r| vec![r]).collect();
    }
    let mut polygons: Vec<Vec<Vec<[f64; 2]>>> = outer.into_iter().map(|r| vec![r]).collect();
    for hole in holes {
        let probe = hole.first().copied().unwrap_or([f64::NAN, f64::NAN]);
        match polygons.iter_mut().find(|p| contains(&p[0], probe)) {
            Some(p) => p.push(hole),
            None => polygons.push(vec![hole]),
        }
    }
    polygons
}

/// The records of a `.dbf` as properties.
fn read_dbf(
    b: &[u8],
    cpg: Option<&[u8]>,
    file: &str,
) -> Result<Vec<Map<String, Value>>, ImportError> {
    let bad = |de: &str, en: &str| {
        ImportError::unusable(
            file,
            format!("beschädigte .dbf-Datei: {de}"),
            format!("damaged .dbf file: {en}"),
        )
    };
    if b.len() < 32 {
        return Err(bad("kein dBASE-Kopf", "no dBASE header"));
    }
    let count = u32::from_le_bytes([b[4], b[5], b[6], b[7]]) as usize;
    let header_len = u16::from_le_bytes([b[8], b[9]]) as usize;
    let record_len = u16::from_le_bytes([b[10], b[11]]) as usize;
    if header_len < 33 || header_len > b.len() || record_len == 0 {
        return Err(bad("Kopf unvollständig", "incomplete header"));
    }
    let mut fields = Vec::new();
    let mut at = 32;
    let mut offset = 1usize;
    while at + 32 <= header_len && b[at] != 0x0d {
        let d = &b[at..at + 32];
        let name_end = d[..11].iter().position(|&c| c == 0).unwrap_or(11);
        fields.push((
            d[..name_end].to_vec(),
            d[11],
            offset,
            usize::from(d[16]),
            d[17],
        ));
        offset += usize::from(d[16]);
        at += 32;
    }
    let body = &b[header_len..];
    let available = body.len() / record_len;
    let records = count.min(available);
    let encoding = choose_encoding(cpg, b[29], body);
    let decode = |bytes: &[u8]| encoding.decode_without_bom_handling(bytes).0.into_owned();
    let mut out = Vec::with_capacity(records);
    for r in 0..records {
        let rec = &body[r * record_len..(r + 1) * record_len];
        if rec[0] == b'*' {
            continue;
        }
        let mut props = Map::new();
        for (name, kind, off, len, decimals) in &fields {
            let raw = rec.get(*off..off + len).unwrap_or(&[]);
            let text = decode(raw);
            let t = text.trim();
            let value = match kind {
                b'N' | b'F' => number(t, *decimals),
                b'L' => match t {
                    "T" | "t" | "Y" | "y" => Value::Bool(true),
                    "F" | "f" | "N" | "n" => Value::Bool(false),
                    _ => Value::Null,
                },
                b'D' if t.len() == 8 && t.is_ascii() => {
                    json!(format!("{}-{}-{}", &t[..4], &t[4..6], &t[6..]))
                }
                _ if t.is_empty() => Value::Null,
                _ => json!(t),
            };
            props.insert(decode(name).trim().to_string(), value);
        }
        out.push(props);
    }
    Ok(out)
}

fn number(t: &str, decimals: u8) -> Value {
    if t.is_empty() || t.starts_with('*') {
        return Value::Null;
    }
    if decimals == 0
        && let Ok(i) = t.parse::<i64>()
    {
        return json!(i);
    }
    match t.parse::<f64>() {
        Ok(v) if v.is_finite() => json!(v),
        _ => json!(t),
    }
}

/// The `.cpg` wins; then the language driver byte; then UTF-8 if the text is valid UTF-8,
/// else Windows-1252.
fn choose_encoding(cpg: Option<&[u8]>, ldid: u8, body: &[u8]) -> &'static Encoding {
    if let Some(cpg) = cpg {
        let label = String::from_utf8_lossy(cpg).trim().to_lowercase();
        let label = match label.as_str() {
            "1252" | "ansi 1252" | "cp1252" => "windows-1252",
            "65001" | "utf8" => "utf-8",
            other => other,
        };
        if let Some(e) = Encoding::for_label(label.as_bytes()) {
            return e;
        }
    }
    match ldid {
        0x57 | 0x03 | 0xc8 => return WINDOWS_1252,
        _ => {}
    }
    if std::str::from_utf8(body).is_ok() {
        UTF_8
    } else {
        WINDOWS_1252
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn holes_go_into_the_outer_ring_that_contains_them() {
        let outer = vec![
            [0.0, 0.0],
            [0.0, 10.0],
            [10.0, 10.0],
            [10.0, 0.0],
            [0.0, 0.0],
        ];
        let hole = vec![[2.0, 2.0], [4.0, 2.0], [4.0, 4.0], [2.0, 4.0], [2.0, 2.0]];
        let island = vec![
            [20.0, 0.0],
            [20.0, 1.0],
            [21.0, 1.0],
            [21.0, 0.0],
            [20.0, 0.0],
        ];
        let grouped = group_rings(vec![outer.clone(), island.clone(), hole.clone()]);
        assert_eq!(grouped, vec![vec![outer, hole], vec![island]]);
    }

    #[test]
    fn a_shapefile_of_points_is_refused_with_its_type() {
        let mut b = vec![0u8; 100];
        b[..4].copy_from_slice(&[0, 0, 0x27, 0x0a]);
        b[32] = 1;
        let e = read_shp(&b, "orte.shp").expect_err("points");
        assert!(e.describe(crate::i18n::Lang::De).contains("Punkte"), "{e}");
    }

    fn dbf(field: &[u8; 11], kind: u8, value: &[u8; 8]) -> Vec<u8> {
        let mut b = vec![0u8; 32];
        b[0] = 3;
        b[4] = 1;
        b[8] = 65;
        b[10] = 9;
        b[29] = 0x57;
        let mut d = [0u8; 32];
        d[..11].copy_from_slice(field);
        d[11] = kind;
        d[16] = 8;
        b.extend_from_slice(&d);
        b.push(0x0d);
        b.push(b' ');
        b.extend_from_slice(value);
        b
    }

    #[test]
    fn dbf_values_are_typed_and_odd_dates_stay_text() {
        let rows =
            read_dbf(&dbf(b"DATUM\0\0\0\0\0\0", b'D', b"20261125"), None, "x.dbf").expect("ok");
        assert_eq!(rows[0]["DATUM"], json!("2026-11-25"));
        let rows = read_dbf(
            &dbf(b"DATUM\0\0\0\0\0\0", b'D', b"2026\xe4\xf6\xfc1"),
            None,
            "x.dbf",
        )
        .expect("ok");
        assert_eq!(rows[0]["DATUM"], json!("2026äöü1"));
        let rows = read_dbf(&dbf(b"EINWOHNER\0\0", b'N', b"   12345"), None, "x.dbf").expect("ok");
        assert_eq!(rows[0]["EINWOHNER"], json!(12345));
        assert!(read_dbf(&[3u8; 20], None, "kurz.dbf").is_err());
    }

    #[test]
    fn dbf_text_without_cpg_is_windows_1252_unless_it_is_utf8() {
        assert_eq!(choose_encoding(None, 0, "Köln".as_bytes()), UTF_8);
        assert_eq!(choose_encoding(None, 0, b"K\xf6ln"), WINDOWS_1252);
        assert_eq!(choose_encoding(Some(b"UTF-8\n"), 0x57, b"K\xf6ln"), UTF_8);
        assert_eq!(choose_encoding(None, 0x57, "Köln".as_bytes()), WINDOWS_1252);
    }
}
