//! Well-known binary (WKB) polygons, and the GeoPackage geometry blob that wraps them.
//!
//! Only what a layer of areas needs: Polygon and MultiPolygon, read in both byte orders with
//! Z/M in any of the three spellings (ISO 1000/2000/3000 offsets, EWKB flag bits, or the
//! GeoPackage header's envelope), and written as 2D little-endian MultiPolygon. Reading never
//! trusts a count: every count is checked against the bytes left, so a damaged blob is an
//! error, never a huge allocation.

use thiserror::Error;

/// Rings of polygons: per polygon, the outer ring first, then holes; each ring a list of x/y.
pub type Polygons = Vec<Vec<Vec<[f64; 2]>>>;

/// Why a geometry blob could not be read.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum WkbError {
    /// The blob ends early.
    #[error("geometry ends early")]
    Truncated,
    /// The blob does not start with the GeoPackage magic "GP".
    #[error("not a GeoPackage geometry")]
    NotGeoPackage,
    /// A byte order marker other than 0 or 1.
    #[error("unknown byte order {0}")]
    ByteOrder(u8),
    /// A geometry type other than (multi)polygon.
    #[error("geometry type {0} is not a polygon")]
    Unsupported(u32),
}

/// Whether a GeoPackage blob says it is empty.
pub fn gpkg_is_empty(blob: &[u8]) -> bool {
    blob.len() >= 4 && blob[0] == b'G' && blob[1] == b'P' && blob[3] & 0b1_0000 != 0
}

/// Reads the polygons of a GeoPackage geometry blob (header, optional envelope, WKB).
pub fn read_gpkg(blob: &[u8]) -> Result<Polygons, WkbError> {
    if blob.len() < 8 {
        return Err(WkbError::Truncated);
    }
    if &blob[..2] != b"GP" {
        return Err(WkbError::NotGeoPackage);
    }
    let flags = blob[3];
    if flags & 0b1_0000 != 0 {
        return Ok(Vec::new());
    }
    let envelope = match (flags >> 1) & 0b111 {
        0 => 0,
        1 => 32,
        2 | 3 => 48,
        4 => 64,
        _ => return Err(WkbError::NotGeoPackage),
    };
    let start = 8 + envelope;
    let wkb = blob.get(start..).ok_or(WkbError::Truncated)?;
    read_wkb(wkb)
}

/// Reads the polygons of a WKB geometry.
pub fn read_wkb(wkb: &[u8]) -> Result<Polygons, WkbError> {
    let mut r = Reader {
        bytes: wkb,
        pos: 0,
        little: true,
    };
    let (kind, dims) = r.header()?;
    match kind {
        3 => Ok(vec![r.polygon(dims)?]),
        6 => {
            let n = r.count(9)?;
            let mut polygons = Vec::with_capacity(n);
            for _ in 0..n {
                let (kind, dims) = r.header()?;
                if kind != 3 {
                    return Err(WkbError::Unsupported(kind));
                }
                polygons.push(r.polygon(dims)?);
            }
            Ok(polygons)
        }
        other => Err(WkbError::Unsupported(other)),
    }
}

struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
    /// Byte order of the geometry being read; set by each header.
    little: bool,
}

impl Reader<'_> {
    fn take<const N: usize>(&mut self) -> Result<[u8; N], WkbError> {
        let end = self.pos.checked_add(N).ok_or(WkbError::Truncated)?;
        let slice = self.bytes.get(self.pos..end).ok_or(WkbError::Truncated)?;
        self.pos = end;
        let mut out = [0u8; N];
        out.copy_from_slice(slice);
        Ok(out)
    }

    fn u32(&mut self) -> Result<u32, WkbError> {
        let b = self.take::<4>()?;
        Ok(if self.little {
            u32::from_le_bytes(b)
        } else {
            u32::from_be_bytes(b)
        })
    }

    fn f64(&mut self) -> Result<f64, WkbError> {
        let b = self.take::<8>()?;
        Ok(if self.little {
            f64::from_le_bytes(b)
        } else {
            f64::from_be_bytes(b)
        })
    }

    /// A count, checked against the bytes left (each element needs at least `min_size`).
    fn count(&mut self, min_size: usize) -> Result<usize, WkbError> {
        let n = self.u32()? as usize;
        let left = self.bytes.len().saturating_sub(self.pos);
        if n.saturating_mul(min_size) > left {
            return Err(WkbError::Truncated);
        }
        Ok(n)
    }

    /// Byte order and type; returns the base type and the number of ordinates per point.
    fn header(&mut self) -> Result<(u32, usize), WkbError> {
        let [order] = self.take::<1>()?;
        match order {
            0 => self.little = false,
            1 => self.little = true,
            other => return Err(WkbError::ByteOrder(other)),
        }
        let raw = self.u32()?;
        let ewkb_z = raw & 0x8000_0000 != 0;
        let ewkb_m = raw & 0x4000_0000 != 0;
        let has_srid = raw & 0x2000_0000 != 0;
        let iso = raw & 0x0FFF_FFFF;
        let (kind, iso_dims) = (iso % 1000, iso / 1000);
        if has_srid {
            self.u32()?;
        }
        let dims = 2 + match iso_dims {
            1 | 2 => 1,
            3 => 2,
            _ => usize::from(ewkb_z) + usize::from(ewkb_m),
        };
        Ok((kind, dims))
    }

    fn polygon(&mut self, dims: usize) -> Result<Vec<Vec<[f64; 2]>>, WkbError> {
        let rings = self.count(4)?;
        let mut out = Vec::with_capacity(rings);
        for _ in 0..rings {
            let n = self.count(8 * dims)?;
            let mut ring = Vec::with_capacity(n);
            for _ in 0..n {
                let x = self.f64()?;
                let y = self.f64()?;
                for _ in 2..dims {
                    self.f64()?;
                }
                ring.push([x, y]);
            }
            out.push(ring);
        }
        Ok(out)
    }
}

/// A GeoPackage blob (little-endian, with an xy envelope) of a 2D MultiPolygon.
pub fn write_gpkg(srs_id: i32, polygons: &Polygons) -> Vec<u8> {
    let points: usize = polygons.iter().flatten().map(Vec::len).sum();
    let mut out = Vec::with_capacity(48 + 9 + points * 16 + polygons.len() * 13);
    out.extend_from_slice(b"GP");
    out.push(0); // version 1
    let empty = points == 0;
    // Little-endian header, envelope [minx, maxx, miny, maxy] unless empty.
    out.push(if empty { 0b1_0001 } else { 0b0_0011 });
    out.extend_from_slice(&srs_id.to_le_bytes());
    if !empty {
        let mut env = [
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::INFINITY,
            f64::NEG_INFINITY,
        ];
        for p in polygons.iter().flatten().flatten() {
            env[0] = env[0].min(p[0]);
            env[1] = env[1].max(p[0]);
            env[2] = env[2].min(p[1]);
            env[3] = env[3].max(p[1]);
        }
        for v in env {
            out.extend_from_slice(&v.to_le_bytes());
        }
    }
    out.push(1);
    out.extend_from_slice(&6u32.to_le_bytes());
    out.extend_from_slice(&(polygons.len() as u32).to_le_bytes());
    for polygon in polygons {
        out.push(1);
        out.extend_from_slice(&3u32.to_le_bytes());
        out.extend_from_slice(&(polygon.len() as u32).to_le_bytes());
        for ring in polygon {
            out.extend_from_slice(&(ring.len() as u32).to_le_bytes());
            for p in ring {
                out.extend_from_slice(&p[0].to_le_bytes());
                out.extend_from_slice(&p[1].to_le_bytes());
            }
        }
    }
    out
}

/// The rings of a `geo` MultiPolygon in [`Polygons`] form.
pub fn polygons_of(geometry: &geo::MultiPolygon<f64>) -> Polygons {
    geometry
        .0
        .iter()
        .map(|p| {
            std::iter::once(p.exterior())
                .chain(p.interiors())
                .map(|ring| ring.0.iter().map(|c| [c.x, c.y]).collect())
                .collect()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn square(x: f64) -> Vec<Vec<[f64; 2]>> {
        vec![vec![[x, 0.0], [x + 1.0, 0.0], [x + 1.0, 1.0], [x, 0.0]]]
    }

    #[test]
    fn a_written_multipolygon_reads_back_identically() {
        let polygons = vec![square(0.0), square(5.0)];
        let blob = write_gpkg(25832, &polygons);
        assert_eq!(read_gpkg(&blob), Ok(polygons));
    }

    #[test]
    fn big_endian_polygon_z_is_read_without_its_z() {
        let mut wkb = vec![0u8];
        wkb.extend_from_slice(&1003u32.to_be_bytes());
        wkb.extend_from_slice(&1u32.to_be_bytes());
        wkb.extend_from_slice(&2u32.to_be_bytes());
        for v in [1.0f64, 2.0, 99.0, 3.0, 4.0, 99.0] {
            wkb.extend_from_slice(&v.to_be_bytes());
        }
        assert_eq!(read_wkb(&wkb), Ok(vec![vec![vec![[1.0, 2.0], [3.0, 4.0]]]]));
    }

    #[test]
    fn a_lying_count_is_an_error_not_an_allocation() {
        let mut wkb = vec![1u8];
        wkb.extend_from_slice(&3u32.to_le_bytes());
        wkb.extend_from_slice(&u32::MAX.to_le_bytes());
        assert_eq!(read_wkb(&wkb), Err(WkbError::Truncated));
        assert_eq!(read_gpkg(b"GP"), Err(WkbError::Truncated));
        assert_eq!(
            read_gpkg(b"XX\0\x01\0\0\0\0\x01"),
            Err(WkbError::NotGeoPackage)
        );
    }

    #[test]
    fn points_and_lines_are_not_areas() {
        let mut wkb = vec![1u8];
        wkb.extend_from_slice(&1u32.to_le_bytes());
        wkb.extend_from_slice(&[0u8; 16]);
        assert_eq!(read_wkb(&wkb), Err(WkbError::Unsupported(1)));
    }
}
