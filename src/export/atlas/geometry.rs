//! The atlas's map as SVG path data: the region fitted into a box 1000 units wide (the
//! browser's zoom 1), simplified once for the zoom the atlas allows (8× for a region of up to
//! 500 areas, 4× up to 5,000, 2× beyond — "simplified for the screen"), coordinates in tenths
//! of a unit as integers, each ring one absolute move and then relative steps, so that the
//! 11,299 German municipalities fit in a few megabytes.

use std::fmt::Write as _;

use crate::model::Region;
use crate::scene::page::{PagePath, area_path, border_path};
use crate::spatial::prepared::{PreparedMap, region_extent};
use crate::spatial::viewport::Viewport;

/// Width of the map at zoom 1, in SVG units before the ×10 of the path data.
pub const WIDTH: f32 = 1000.0;
/// Path coordinates are written in units of 1 / `QUANTUM` of a map unit.
pub const QUANTUM: f32 = 10.0;

/// The map's shapes for the atlas.
pub struct AtlasGeometry {
    /// Width and height of the map at zoom 1.
    pub size: [f32; 2],
    /// The most the atlas lets the user zoom in (the geometry holds that much detail).
    pub max_zoom: f32,
    /// Per area its path data (None: no geometry).
    pub paths: Vec<Option<String>>,
    /// The municipality borders as open lines.
    pub borders: String,
    /// Per area where its code goes (map units), and the width of its box.
    pub labels: Vec<Option<([f32; 2], f32)>>,
    /// How many vertices the paths hold.
    pub vertices: usize,
}

/// The geometry of `region` for the atlas.
pub fn atlas_geometry(region: &Region) -> AtlasGeometry {
    let extent = region_extent(region);
    let (ew, eh) = (extent[2] - extent[0], extent[3] - extent[1]);
    let height = if ew > 0.0 {
        (WIDTH * (eh / ew) as f32).clamp(WIDTH * 0.4, WIDTH * 2.0)
    } else {
        WIDTH
    };
    let size = [WIDTH, height];
    let viewport = Viewport::fit(extent, size, [0.0, 0.0], 8.0);
    let max_zoom: f32 = match region.spaces.len() {
        0..=500 => 8.0,
        501..=5000 => 4.0,
        _ => 2.0,
    };
    let prepared = PreparedMap::prepare_for_scale(region, viewport.m_per_px / f64::from(max_zoom));
    let t = viewport.relative_transform(prepared.origin);
    let mut vertices = 0;
    let (paths, borders) = match prepared.lods.first() {
        Some(lod) => {
            let paths = (0..region.spaces.len())
                .map(|i| {
                    area_path(lod, i, &t).map(|p| {
                        vertices += p.points.len();
                        path_data(&p)
                    })
                })
                .collect();
            (paths, path_data(&border_path(lod, &t, None)))
        }
        None => (vec![None; region.spaces.len()], String::new()),
    };
    let labels = (0..region.spaces.len())
        .map(|i| {
            let anchor = prepared.labels.get(i).copied().flatten()?;
            let b = prepared.feature_bounds.get(i)?;
            let width = (f64::from(b[2] - b[0]) / viewport.m_per_px) as f32;
            Some((viewport.screen_from_map(anchor.pos), width))
        })
        .collect();
    AtlasGeometry {
        size,
        max_zoom,
        paths,
        borders,
        labels,
        vertices,
    }
}

/// SVG path data of `path` in integer tenths: "M123 45l3 -2 …z" per ring (no "z" for open
/// lines), steps that round to nothing left out.
pub fn path_data(path: &PagePath) -> String {
    let mut out = String::with_capacity(path.points.len() * 6);
    let q = |p: [f32; 2]| {
        [
            (p[0] * QUANTUM).round() as i64,
            (p[1] * QUANTUM).round() as i64,
        ]
    };
    let mut start = 0usize;
    for &end in &path.ends {
        let ring = path.points.get(start..end as usize).unwrap_or(&[]);
        start = end as usize;
        let Some(first) = ring.first() else {
            continue;
        };
        let mut at = q(*first);
        let _ = write!(out, "M{} {}", at[0], at[1]);
        let mut steps = 0;
        for p in &ring[1..] {
            let next = q(*p);
            let (dx, dy) = (next[0] - at[0], next[1] - at[1]);
            if dx == 0 && dy == 0 {
                continue;
            }
            out.push(if steps == 0 { 'l' } else { ' ' });
            let _ = write!(out, "{dx}");
            if dy >= 0 {
                out.push(' ');
            }
            let _ = write!(out, "{dy}");
            steps += 1;
            at = next;
        }
        if path.closed {
            out.push('z');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rings_are_one_move_then_relative_integer_steps() {
        let path = PagePath {
            points: vec![
                [1.0, 2.0],
                [1.5, 2.0],
                [1.51, 2.01],
                [1.5, 3.0],
                [10.0, 10.0],
                [11.0, 10.0],
                [11.0, 11.0],
            ],
            ends: vec![4, 7],
            closed: true,
            name: None,
        };
        // 1.51/2.01 rounds to the point before it and is left out; a negative step needs no
        // space before its sign.
        assert_eq!(path_data(&path), "M10 20l5 0 0 10zM100 100l10 0 0 10z");
    }

    #[test]
    fn open_lines_are_not_closed() {
        let path = PagePath {
            points: vec![[0.0, 0.0], [0.0, -1.0]],
            ends: vec![2],
            closed: false,
            name: None,
        };
        assert_eq!(path_data(&path), "M0 0l0-10");
    }
}
