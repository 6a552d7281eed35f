//! Geometry prepared once per map for fast drawing: levels of detail, triangles, labels, index.
//!
//! Everything a frame needs is computed here, in the background, right after import: each
//! Sozialraum's rings simplified at a ladder of tolerances (each level from the one below, so
//! the cost shrinks geometrically), triangulated with earcut (egui fills only convex shapes),
//! stored as `f32` relative to the map's centre (precise to millimetres over a country), plus
//! the municipality borders per level, a label anchor per area and the R-tree. A frame then
//! only picks the level whose tolerance is under half a pixel and transforms what is visible.

use std::ops::Range;
use std::sync::OnceLock;

use rayon::prelude::*;

use super::borders::{AreaRings, border_lines};
use super::index::{SpaceIndex, bounds_of};
use super::label_point::{LabelAnchor, label_anchor};
use super::simplify::{simplify_line, simplify_ring};
use crate::model::Region;

/// Where one area's data sits in a level's shared arrays.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FeatureSlices {
    /// Its vertices in [`Lod::vertices`].
    pub vertices: Range<u32>,
    /// Its triangle indices in [`Lod::triangles`] (relative to `vertices.start`).
    pub triangles: Range<u32>,
    /// Its rings in [`Lod::ring_ends`].
    pub rings: Range<u32>,
}

/// One level of detail.
#[derive(Debug, Clone, Default)]
pub struct Lod {
    /// Simplification tolerance in metres (0 = full resolution).
    pub tolerance_m: f64,
    /// All vertices, relative to [`PreparedMap::origin`]; rings without the closing vertex.
    pub vertices: Vec<[f32; 2]>,
    /// Triangle corner indices, relative to each area's first vertex (empty for a level
    /// triangulated on demand, see [`Lod::area_triangles`]).
    pub triangles: Vec<u32>,
    /// End of each ring, relative to its area's first vertex.
    pub ring_ends: Vec<u32>,
    /// Per ring, whether it is a polygon's outer ring (the rings after it up to the next
    /// outer one are its holes); kept for a level triangulated on demand.
    pub outer: Vec<bool>,
    /// Per area, its triangles once asked for, for a level triangulated on demand (full
    /// resolution: with the whole map in view a coarser level is drawn, so most areas are
    /// never needed this fine, and their triangles were a sixth of a big map's memory).
    pub on_demand: Option<Vec<OnceLock<Vec<u32>>>>,
    /// Per area, in region order.
    pub features: Vec<FeatureSlices>,
    /// Municipality border polylines, relative to the origin.
    pub borders: Vec<[f32; 2]>,
    /// End of each border polyline in `borders`.
    pub border_ends: Vec<u32>,
    /// Bounding box of each border polyline, relative to the origin, for culling.
    pub border_bounds: Vec<[f32; 4]>,
}

impl Lod {
    /// Number of vertices at this level.
    pub fn vertex_count(&self) -> usize {
        self.vertices.len()
    }

    /// The triangles of area `i` (corner indices relative to its first vertex), made now if
    /// this level is triangulated on demand and they were not asked for before.
    pub fn area_triangles(&self, i: usize) -> &[u32] {
        let Some(slices) = self.features.get(i) else {
            return &[];
        };
        match &self.on_demand {
            Some(cells) => cells.get(i).map_or(&[], |cell| {
                cell.get_or_init(|| self.triangulate_area(slices))
                    .as_slice()
            }),
            None => self
                .triangles
                .get(slices.triangles.start as usize..slices.triangles.end as usize)
                .unwrap_or(&[]),
        }
    }

    /// Whether area `i`'s triangles still have to be made (see [`Lod::area_triangles`]).
    pub fn needs_triangles(&self, i: usize) -> bool {
        self.on_demand
            .as_ref()
            .and_then(|cells| cells.get(i))
            .is_some_and(|cell| cell.get().is_none())
    }

    fn triangulate_area(&self, slices: &FeatureSlices) -> Vec<u32> {
        let v0 = slices.vertices.start as usize;
        let rings = self
            .ring_ends
            .get(slices.rings.start as usize..slices.rings.end as usize)
            .unwrap_or(&[]);
        let outer = self
            .outer
            .get(slices.rings.start as usize..slices.rings.end as usize)
            .unwrap_or(&[]);
        let vertices = self.vertices.get(v0..).unwrap_or(&[]);
        triangulate_rings(
            rings,
            outer,
            |k| vertices.get(k).map_or([0.0; 2], |p| p.map(f64::from)),
            &mut earcut::Earcut::new(),
        )
    }
}

/// Maps with at least this many areas have every level triangulated area by area when first
/// needed, not only full resolution: the window draws them as a picture (from rings), so it
/// needs the triangles of the area under the cursor and little else.
pub const TRIANGLES_ON_DEMAND_FROM: usize = 4096;

/// A region's geometry, ready to draw and to hit-test.
#[derive(Debug, Default)]
pub struct PreparedMap {
    /// Planar coordinates of the map's centre; all `f32` data is relative to it.
    pub origin: [f64; 2],
    /// Bounding box of all areas in planar metres: [min x, min y, max x, max y].
    pub bounds: [f64; 4],
    /// Per area, its bounding box relative to the origin.
    pub feature_bounds: Vec<[f32; 4]>,
    /// Levels of detail by increasing tolerance; `lods[0]` is full resolution after a
    /// [`Detail::Full`] preparation.
    pub lods: Vec<Lod>,
    /// Per area, where its label goes.
    pub labels: Vec<Option<LabelAnchor>>,
    /// R-tree over the areas.
    pub index: SpaceIndex,
}

/// How much to prepare.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Detail {
    /// Only the coarse levels needed to show the whole map: fast, for the first frame.
    Overview,
    /// Every level down to full resolution, labels and municipality borders.
    Full,
}

/// Closed rings per polygon, per area, in planar metres.
type Shapes = Vec<Vec<Vec<[f64; 2]>>>;

fn shapes_of(region: &Region, i: usize) -> Shapes {
    region.spaces[i]
        .geometry
        .0
        .iter()
        .map(|poly| {
            std::iter::once(poly.exterior())
                .chain(poly.interiors())
                .map(|ring| {
                    let mut pts: Vec<[f64; 2]> = Vec::with_capacity(ring.0.len());
                    for c in &ring.0 {
                        // Repeated vertices would make zero-length edges.
                        if pts.last() != Some(&[c.x, c.y]) {
                            pts.push([c.x, c.y]);
                        }
                    }
                    pts
                })
                .collect()
        })
        .collect()
}

/// Simplifies every ring; a polygon whose outer ring collapses disappears, as do holes.
fn simplify_shapes(shapes: &Shapes, tolerance: f64) -> Shapes {
    shapes
        .iter()
        .filter_map(|poly| {
            let mut rings = Vec::with_capacity(poly.len());
            for (r, ring) in poly.iter().enumerate() {
                let mut out = Vec::new();
                simplify_ring(ring, tolerance, &mut out);
                if out.len() >= 4 {
                    rings.push(out);
                } else if r == 0 {
                    return None;
                }
            }
            Some(rings)
        })
        .collect()
}

/// Walks the ladder of simplifications of one area: `visit(0, full)`, then `visit(l, level l)`
/// for each tolerance, each level simplified from the one before.
fn cascade(full: &Shapes, tolerances: &[f64], mut visit: impl FnMut(usize, &Shapes)) {
    visit(0, full);
    let mut previous: Option<Shapes> = None;
    for (k, t) in tolerances.iter().enumerate() {
        let next = simplify_shapes(previous.as_ref().unwrap_or(full), *t);
        visit(k + 1, &next);
        previous = Some(next);
    }
}

fn vertex_count(shapes: &Shapes) -> usize {
    shapes
        .iter()
        .flat_map(|p| p.iter())
        .map(|r| r.len().saturating_sub(1))
        .sum()
}

/// Each area's bounding box, their union and its centre (the origin of all `f32` data).
fn region_bounds(region: &Region) -> (Vec<Option<[f64; 4]>>, [f64; 4], [f64; 2]) {
    let bounds_each: Vec<Option<[f64; 4]>> = region
        .spaces
        .iter()
        .map(|s| bounds_of(&s.geometry))
        .collect();
    let bounds = bounds_each
        .iter()
        .flatten()
        .copied()
        .reduce(|a, b| {
            [
                a[0].min(b[0]),
                a[1].min(b[1]),
                a[2].max(b[2]),
                a[3].max(b[3]),
            ]
        })
        .unwrap_or([0.0; 4]);
    let origin = [(bounds[0] + bounds[2]) / 2.0, (bounds[1] + bounds[3]) / 2.0];
    (bounds_each, bounds, origin)
}

/// The planar box around every area of `region` (zeros for a region without geometry).
pub fn region_extent(region: &Region) -> [f64; 4] {
    region_bounds(region).1
}

/// Each area's bounding box relative to `origin`; an area without geometry is never visible.
fn relative_bounds(bounds_each: &[Option<[f64; 4]>], origin: [f64; 2]) -> Vec<[f32; 4]> {
    bounds_each
        .iter()
        .map(|b| match b {
            Some(b) => [
                (b[0] - origin[0]) as f32,
                (b[1] - origin[1]) as f32,
                (b[2] - origin[0]) as f32,
                (b[3] - origin[1]) as f32,
            ],
            None => [f32::MAX, f32::MAX, f32::MIN, f32::MIN],
        })
        .collect()
}

/// Each area simplified to `tolerance` as a mesh without triangles, with its label anchor
/// where it can hold a label at `m_per_px` (see [`PreparedMap::prepare_for_scale`]).
fn simplify_for_scale(
    region: &Region,
    tolerance: f64,
    m_per_px: f64,
    origin: [f64; 2],
) -> Vec<(LocalMesh, Option<LabelAnchor>)> {
    (0..region.spaces.len())
        .into_par_iter()
        .map(|i| {
            let full = shapes_of(region, i);
            let shapes = if tolerance > 0.0 {
                simplify_shapes(&full, tolerance)
            } else {
                full
            };
            let mut mesh = LocalMesh::default();
            for poly in &shapes {
                for ring in poly {
                    let open = &ring[..ring.len().saturating_sub(1)];
                    mesh.vertices.extend(
                        open.iter()
                            .map(|p| [(p[0] - origin[0]) as f32, (p[1] - origin[1]) as f32]),
                    );
                    mesh.ring_ends.push(mesh.vertices.len() as u32);
                }
            }
            // A label needs an inscribed circle of 6 pixels; an area smaller than that
            // circle cannot hold one at this scale, so its anchor is not searched for.
            let room = (shapes_area(&shapes) / std::f64::consts::PI).sqrt();
            let label = if room >= 6.0 * m_per_px {
                label_for(&shapes, 0.5 * m_per_px)
            } else {
                None
            };
            (mesh, label)
        })
        .collect()
}

/// Areas at most this many are all counted in pass 1 of [`PreparedMap::prepare`]; of more,
/// every k-th so that about this many are.
const COUNT_SAMPLE: usize = 1024;

/// Pass 1 of [`PreparedMap::prepare`]: about how many vertices each level of `candidates`
/// (and full resolution, level 0) would have, summed over all areas. Level 0 is counted
/// exactly; the others from every k-th area (all of them for up to [`COUNT_SAMPLE`] areas),
/// scaled by the sample's share of the full-resolution vertices: the counts only decide which
/// levels are worth keeping and how much room to reserve, and simplifying every area twice
/// was the largest cost of opening a big map.
fn level_counts(region: &Region, candidates: &[f64]) -> Vec<usize> {
    level_counts_every(
        region,
        candidates,
        region.spaces.len().div_ceil(COUNT_SAMPLE),
    )
}

/// [`level_counts`] from every `stride`-th area (1: all, exact).
fn level_counts_every(region: &Region, candidates: &[f64], stride: usize) -> Vec<usize> {
    let levels = candidates.len() + 1;
    let n = region.spaces.len();
    let stride = stride.max(1);
    let sampled = (0..n)
        .into_par_iter()
        .step_by(stride)
        .map(|i| {
            let mut counts = vec![0usize; levels];
            cascade(&shapes_of(region, i), candidates, |l, shapes| {
                counts[l] = vertex_count(shapes);
            });
            counts
        })
        .reduce(
            || vec![0usize; levels],
            |a, b| a.iter().zip(&b).map(|(x, y)| x + y).collect(),
        );
    if stride == 1 {
        return sampled;
    }
    let full: usize = (0..n).map(|i| full_vertex_count(region, i)).sum();
    let scale = full as f64 / sampled[0].max(1) as f64;
    std::iter::once(full)
        .chain(
            sampled[1..]
                .iter()
                .map(|&c| (c as f64 * scale).round() as usize),
        )
        .collect()
}

/// What [`vertex_count`] gives for an area at full resolution, without copying its rings.
fn full_vertex_count(region: &Region, i: usize) -> usize {
    region.spaces[i]
        .geometry
        .0
        .iter()
        .flat_map(|poly| std::iter::once(poly.exterior()).chain(poly.interiors()))
        .map(|ring| {
            let repeats = ring.0.windows(2).filter(|w| w[0] == w[1]).count();
            (ring.0.len() - repeats).saturating_sub(1)
        })
        .sum()
}

/// Municipality borders from the full-resolution geometry.
fn full_borders(region: &Region) -> Vec<Vec<[f64; 2]>> {
    let areas: Vec<AreaRings<'_>> = region
        .spaces
        .iter()
        .map(|space| AreaRings {
            rings: space
                .geometry
                .0
                .iter()
                .flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors()))
                .map(|ring| ring.0.as_slice())
                .collect(),
            municipality: space.municipality,
        })
        .collect();
    border_lines(&areas)
}

/// Simplifies the border polylines to the level's tolerance and stores them in pieces.
fn add_borders(lod: &mut Lod, border_full: &[Vec<[f64; 2]>], origin: [f64; 2]) {
    let mut simplified = Vec::new();
    for line in border_full {
        simplified.clear();
        simplify_line(line, lod.tolerance_m, &mut simplified);
        // Pieces of at most 128 points (sharing their end points) so that a frame
        // skips the pieces outside the view instead of a whole national border.
        let mut first = 0usize;
        while first + 1 < simplified.len() {
            let last = (first + 127).min(simplified.len() - 1);
            let start = lod.borders.len();
            lod.borders.extend(
                simplified[first..=last]
                    .iter()
                    .map(|p| [(p[0] - origin[0]) as f32, (p[1] - origin[1]) as f32]),
            );
            let mut b = [f32::MAX, f32::MAX, f32::MIN, f32::MIN];
            for p in &lod.borders[start..] {
                b = [
                    b[0].min(p[0]),
                    b[1].min(p[1]),
                    b[2].max(p[0]),
                    b[3].max(p[1]),
                ];
            }
            lod.border_bounds.push(b);
            lod.border_ends.push(lod.borders.len() as u32);
            first = last;
        }
    }
}

/// One area's mesh at one level.
#[derive(Default)]
struct LocalMesh {
    vertices: Vec<[f32; 2]>,
    triangles: Vec<u32>,
    ring_ends: Vec<u32>,
    outer: Vec<bool>,
}

/// An area's rings at one level, without triangles (they are made on demand).
fn rings_only(shapes: &Shapes, origin: [f64; 2]) -> LocalMesh {
    let mut mesh = LocalMesh::default();
    for poly in shapes {
        for (r, ring) in poly.iter().enumerate() {
            let open = &ring[..ring.len().saturating_sub(1)];
            mesh.vertices.extend(
                open.iter()
                    .map(|p| [(p[0] - origin[0]) as f32, (p[1] - origin[1]) as f32]),
            );
            mesh.ring_ends.push(mesh.vertices.len() as u32);
            mesh.outer.push(r == 0);
        }
    }
    mesh
}

fn triangulate(shapes: &Shapes, origin: [f64; 2], earcut: &mut earcut::Earcut<f64>) -> LocalMesh {
    let mut mesh = rings_only(shapes, origin);
    let points: Vec<[f64; 2]> = shapes
        .iter()
        .flatten()
        .flat_map(|ring| &ring[..ring.len().saturating_sub(1)])
        .copied()
        .collect();
    mesh.triangles = triangulate_rings(
        &mesh.ring_ends,
        &mesh.outer,
        |k| points.get(k).copied().unwrap_or_default(),
        earcut,
    );
    mesh
}

/// Earcut triangles of one area: its rings end at `ring_ends` (counted from its first point),
/// `outer` says which ring begins a polygon (the ones up to the next are its holes), and
/// `point(k)` is its k-th point. Corner indices count from the area's first point.
fn triangulate_rings(
    ring_ends: &[u32],
    outer: &[bool],
    point: impl Fn(usize) -> [f64; 2],
    earcut: &mut earcut::Earcut<f64>,
) -> Vec<u32> {
    let mut out = Vec::new();
    let mut tris: Vec<u32> = Vec::new();
    let mut holes: Vec<u32> = Vec::new();
    let mut start = 0usize;
    let mut r = 0usize;
    while r < ring_ends.len() {
        // One polygon: its outer ring and the holes up to the next outer ring.
        let base = start;
        holes.clear();
        loop {
            if r > 0 && r < outer.len() && !outer[r] {
                holes.push((start - base) as u32);
            }
            start = ring_ends[r] as usize;
            r += 1;
            if r >= ring_ends.len() || outer.get(r).copied().unwrap_or(true) {
                break;
            }
        }
        earcut.earcut((base..start).map(&point), &holes, &mut tris);
        out.extend(tris.iter().map(|t| t + base as u32));
    }
    out
}

/// The largest polygon's pole of inaccessibility, found on a lightly simplified copy to within
/// a hundredth of its size, or `precision_m` if that is coarser.
fn label_for(shapes: &Shapes, precision_m: f64) -> Option<LabelAnchor> {
    let largest = shapes
        .iter()
        .max_by(|a, b| ring_area(&a[0]).abs().total_cmp(&ring_area(&b[0]).abs()))?;
    let size = ring_area(&largest[0]).abs().sqrt();
    let precision = (size / 100.0).max(precision_m);
    let simplified: Vec<Vec<[f64; 2]>> = largest
        .iter()
        .map(|ring| {
            let mut out = Vec::new();
            simplify_ring(ring, precision, &mut out);
            if out.len() >= 4 { out } else { ring.clone() }
        })
        .collect();
    label_anchor(&simplified, precision)
}

/// Total area of the outer rings minus the holes, in square metres.
fn shapes_area(shapes: &Shapes) -> f64 {
    shapes
        .iter()
        .map(|poly| {
            let mut rings = poly.iter();
            let outer = rings.next().map_or(0.0, |r| ring_area(r).abs());
            outer - rings.map(|r| ring_area(r).abs()).sum::<f64>()
        })
        .sum()
}

fn ring_area(ring: &[[f64; 2]]) -> f64 {
    ring.windows(2)
        .map(|w| w[0][0] * w[1][1] - w[1][0] * w[0][1])
        .sum::<f64>()
        / 2.0
}

impl PreparedMap {
    /// Prepares a region. `on_progress` receives a fraction 0–1 now and then.
    pub fn prepare(
        region: &Region,
        detail: Detail,
        on_progress: &(dyn Fn(f32) + Sync),
    ) -> PreparedMap {
        let full = detail == Detail::Full;
        let n = region.spaces.len();
        let (bounds_each, bounds, origin) = region_bounds(region);
        let extent = (bounds[2] - bounds[0]).max(bounds[3] - bounds[1]).max(1.0);
        // Tolerances from about half a pixel of the whole map at 250 px, downwards by 4.
        let coarsest = extent / 500.0;
        let steps = if full { 6 } else { 2 };
        let candidates: Vec<f64> = (0..steps).rev().map(|k| coarsest / 4f64.powi(k)).collect();
        on_progress(0.05);

        // Pass 1: about how many vertices each candidate level would have, summed over all
        // areas. Only counts are kept, so memory stays at one area's shapes per thread.
        let levels = candidates.len() + 1;
        // The borders from the full-resolution geometry (mostly one core's work) are found
        // meanwhile.
        let (counts, border_full) = rayon::join(
            || level_counts(region, &candidates),
            || {
                if full {
                    full_borders(region)
                } else {
                    Vec::new()
                }
            },
        );
        on_progress(0.3);

        // Keep a level only where it halves the work of the last kept one: each level costs
        // memory (for a 500 MB file a level at 55 % of full resolution is 200 MB).
        // The overview never keeps full resolution: that is the expensive part.
        let mut kept = vec![if full { 0 } else { 1 }];
        for l in (kept[0] + 1)..levels {
            let last = counts[*kept.last().unwrap_or(&0)];
            if (counts[l] as f64) < 0.5 * last as f64 {
                kept.push(l);
            }
        }
        let tolerance_of = |l: usize| if l == 0 { 0.0 } else { candidates[l - 1] };

        // Pass 2: the cascade for every area, triangulating the kept levels as they come by.
        // Areas go in chunks, each chunk's meshes moved into the levels (sized from pass 1)
        // before the next is made: the meshes never exist twice, which for large
        // maps would be the peak of the whole load.
        // Full resolution is triangulated area by area when first drawn, and so is every
        // level of a big map.
        let on_demand = |l: usize| l == 0 || n >= TRIANGLES_ON_DEMAND_FROM;
        let mut lods: Vec<Lod> = kept
            .iter()
            .map(|&l| Lod {
                tolerance_m: tolerance_of(l),
                // A sampled count may be a little short: a sixteenth to spare.
                vertices: Vec::with_capacity(counts[l] + counts[l] / 16),
                // A ring of v vertices gives v − 2 triangles; holes add two each.
                triangles: if on_demand(l) {
                    Vec::new()
                } else {
                    Vec::with_capacity(counts[l].saturating_mul(3) + counts[l] / 8)
                },
                features: Vec::with_capacity(n),
                on_demand: on_demand(l).then(|| (0..n).map(|_| OnceLock::new()).collect()),
                ..Lod::default()
            })
            .collect();
        let mut labels = Vec::with_capacity(n);
        const CHUNK: usize = 1024;
        for first in (0..n).step_by(CHUNK) {
            let last = (first + CHUNK).min(n);
            let chunk: Vec<(Vec<LocalMesh>, Option<LabelAnchor>)> = (first..last)
                .into_par_iter()
                .map_init(earcut::Earcut::new, |earcut, i| {
                    let shapes = shapes_of(region, i);
                    let label = if full { label_for(&shapes, 0.0) } else { None };
                    let mut meshes = Vec::with_capacity(kept.len());
                    cascade(&shapes, &candidates, |l, shapes| {
                        if kept.contains(&l) {
                            meshes.push(if on_demand(l) {
                                rings_only(shapes, origin)
                            } else {
                                triangulate(shapes, origin, earcut)
                            });
                        }
                    });
                    (meshes, label)
                })
                .collect();
            for (area_meshes, label) in chunk {
                labels.push(label);
                for (lod, m) in lods.iter_mut().zip(area_meshes) {
                    let v0 = lod.vertices.len() as u32;
                    let t0 = lod.triangles.len() as u32;
                    let r0 = lod.ring_ends.len() as u32;
                    lod.vertices.extend_from_slice(&m.vertices);
                    lod.triangles.extend_from_slice(&m.triangles);
                    lod.ring_ends.extend_from_slice(&m.ring_ends);
                    if lod.on_demand.is_some() {
                        lod.outer.extend_from_slice(&m.outer);
                    }
                    lod.features.push(FeatureSlices {
                        vertices: v0..lod.vertices.len() as u32,
                        triangles: t0..lod.triangles.len() as u32,
                        rings: r0..lod.ring_ends.len() as u32,
                    });
                }
            }
            on_progress(0.3 + 0.6 * last as f32 / n.max(1) as f32);
        }
        for lod in &mut lods {
            lod.vertices.shrink_to_fit();
            lod.triangles.shrink_to_fit();
            lod.ring_ends.shrink_to_fit();
            lod.outer.shrink_to_fit();
            add_borders(lod, &border_full, origin);
        }
        let feature_bounds = relative_bounds(&bounds_each, origin);
        on_progress(1.0);
        PreparedMap {
            origin,
            bounds,
            feature_bounds,
            lods,
            labels,
            index: SpaceIndex::new(&bounds_each),
        }
    }

    /// The coarsest level whose tolerance stays under half a device pixel at `m_per_px`.
    pub fn lod_for(&self, m_per_px: f64) -> Option<&Lod> {
        self.lods
            .iter()
            .rev()
            .find(|l| l.tolerance_m <= 0.5 * m_per_px)
            .or_else(|| self.lods.first())
    }

    /// Geometry for one picture (an export) whose scale is `m_per_px` or coarser: a single
    /// level simplified to half a pixel, label points (to half a pixel, and only for areas
    /// that can hold a label at all) and municipality borders, and no triangles (the CPU
    /// renderer fills rings). Much less work than [`Detail::Full`], which prepares every zoom.
    pub fn prepare_for_scale(region: &Region, m_per_px: f64) -> PreparedMap {
        let (bounds_each, bounds, origin) = region_bounds(region);
        let tolerance = (0.5 * m_per_px).max(0.0);
        // The borders (mostly one core's work) are found while the other cores simplify.
        let (per_area, border_full) = rayon::join(
            || simplify_for_scale(region, tolerance, m_per_px, origin),
            || full_borders(region),
        );
        let mut lod = Lod {
            tolerance_m: tolerance,
            ..Lod::default()
        };
        let mut labels = Vec::with_capacity(per_area.len());
        for (m, label) in per_area {
            let v0 = lod.vertices.len() as u32;
            let r0 = lod.ring_ends.len() as u32;
            lod.vertices.extend_from_slice(&m.vertices);
            lod.ring_ends.extend_from_slice(&m.ring_ends);
            lod.features.push(FeatureSlices {
                vertices: v0..lod.vertices.len() as u32,
                triangles: 0..0,
                rings: r0..lod.ring_ends.len() as u32,
            });
            labels.push(label);
        }
        add_borders(&mut lod, &border_full, origin);
        let feature_bounds = relative_bounds(&bounds_each, origin);
        PreparedMap {
            origin,
            bounds,
            feature_bounds,
            lods: vec![lod],
            labels,
            index: SpaceIndex::new(&bounds_each),
        }
    }

    /// The areas whose boxes meet the planar box `view` (min x, min y, max x, max y), in
    /// region order. A view of the whole map takes every area without asking the R-tree
    /// (for 113,000 areas that query alone took milliseconds a frame).
    pub fn in_view(&self, view: [f64; 4]) -> Vec<usize> {
        let b = self.bounds;
        if view[0] <= b[0] && view[1] <= b[1] && view[2] >= b[2] && view[3] >= b[3] {
            return (0..self.feature_bounds.len()).collect();
        }
        self.index.in_rect([view[0], view[1]], [view[2], view[3]])
    }

    /// The area at planar point `p`.
    pub fn hit(&self, region: &Region, p: [f64; 2]) -> Option<usize> {
        self.index.hit(p, |i| &region.spaces[i].geometry)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::Progress;
    use crate::io::demo::load_demo;

    /// Area of the triangles `tris` over `vertices`, in square metres.
    fn triangles_area(vertices: &[[f32; 2]], tris: &[u32]) -> f64 {
        tris.chunks(3)
            .map(|t| {
                let [a, b, c] = [0, 1, 2].map(|k| vertices[t[k] as usize].map(f64::from));
                ((b[0] - a[0]) * (c[1] - a[1]) - (c[0] - a[0]) * (b[1] - a[1])).abs() / 2.0
            })
            .sum()
    }

    #[test]
    fn full_resolution_is_triangulated_when_first_drawn_and_covers_each_area() {
        let region = load_demo(&Progress::default()).expect("demo").region;
        let prepared = PreparedMap::prepare(&region, Detail::Full, &|_| {});
        let full = &prepared.lods[0];
        assert_eq!(full.tolerance_m, 0.0);
        assert!(full.triangles.is_empty(), "nothing triangulated ahead");
        assert!(prepared.lods[1..].iter().all(|l| l.on_demand.is_none()));
        for (i, space) in region.spaces.iter().enumerate() {
            assert!(full.needs_triangles(i));
            let slices = &full.features[i];
            let vertices =
                &full.vertices[slices.vertices.start as usize..slices.vertices.end as usize];
            let area = triangles_area(vertices, full.area_triangles(i));
            assert!(!full.needs_triangles(i), "kept once made");
            // Holes stay holes: the triangles cover the area, not its outer rings.
            let error = (area - space.area_m2).abs() / space.area_m2;
            assert!(
                error < 1e-4,
                "area {i}: {area} m² against {}",
                space.area_m2
            );
        }
        // A hole of 100 m × 100 m, cut around the first area's label point (inside it, and
        // more than 50 m from its edge).
        let label = prepared.labels[0].expect("label");
        assert!(label.radius_m > 100.0);
        let mut holed = region.clone();
        let [x, y] = label.pos;
        let hole = geo::LineString::from(vec![
            (x - 50.0, y - 50.0),
            (x + 50.0, y - 50.0),
            (x + 50.0, y + 50.0),
            (x - 50.0, y + 50.0),
            (x - 50.0, y - 50.0),
        ]);
        let without = geo::Area::unsigned_area(&holed.spaces[0].geometry);
        let polygon = holed.spaces[0]
            .geometry
            .0
            .iter_mut()
            .find(|p| geo::Contains::contains(*p, &geo::Point::new(x, y)))
            .expect("the polygon with the label");
        polygon.interiors_push(hole);
        let prepared = PreparedMap::prepare(&holed, Detail::Full, &|_| {});
        let full = &prepared.lods[0];
        let slices = &full.features[0];
        let vertices = &full.vertices[slices.vertices.start as usize..slices.vertices.end as usize];
        let area = triangles_area(vertices, full.area_triangles(0));
        assert!(
            (area - (without - 10_000.0)).abs() < 1.0,
            "{area} = {without} − 10,000"
        );
    }

    #[test]
    fn full_resolution_is_counted_without_copying_the_rings() {
        let mut region = load_demo(&Progress::default()).expect("demo").region;
        // A repeated vertex, which the copy drops.
        let ring = &mut region.spaces[0].geometry.0[0];
        let mut coords = ring.exterior().0.clone();
        coords.insert(1, coords[1]);
        *ring = geo::Polygon::new(geo::LineString(coords), ring.interiors().to_vec());
        for i in 0..region.spaces.len() {
            assert_eq!(
                full_vertex_count(&region, i),
                vertex_count(&shapes_of(&region, i)),
                "area {i}"
            );
        }
    }

    /// `n` areas: the demo's 93 again and again, each copy moved aside.
    fn demo_copies(n: usize) -> Region {
        let demo = load_demo(&Progress::default()).expect("demo").region;
        let mut region = demo.clone();
        region.spaces = (0..n)
            .map(|k| {
                let mut space = demo.spaces[k % demo.spaces.len()].clone();
                let shift = (k / demo.spaces.len()) as f64 * 50_000.0;
                geo::MapCoordsInPlace::map_coords_in_place(&mut space.geometry, |c| geo::Coord {
                    x: c.x + shift,
                    y: c.y,
                });
                space
            })
            .collect();
        region
    }

    #[test]
    fn a_big_map_triangulates_every_level_only_when_an_area_is_needed() {
        let region = demo_copies(TRIANGLES_ON_DEMAND_FROM);
        let prepared = PreparedMap::prepare(&region, Detail::Full, &|_| {});
        assert!(prepared.lods.len() > 1);
        for lod in &prepared.lods {
            assert!(lod.triangles.is_empty(), "nothing triangulated ahead");
            assert!(lod.on_demand.is_some());
        }
        // Asked for, an area's triangles cover it at every level as its rings do.
        // The first simplified level: at the coarsest, small areas have collapsed away.
        let coarse = &prepared.lods[1];
        for i in [0, 1, 500, TRIANGLES_ON_DEMAND_FROM - 1] {
            let slices = &coarse.features[i];
            let vertices =
                &coarse.vertices[slices.vertices.start as usize..slices.vertices.end as usize];
            let triangles = triangles_area(vertices, coarse.area_triangles(i));
            // Outer rings count, holes are taken away.
            let mut rings = 0.0;
            let mut start = 0usize;
            for r in slices.rings.start as usize..slices.rings.end as usize {
                let end = coarse.ring_ends[r] as usize;
                // Closed again: the levels keep rings without their closing vertex.
                let ring: Vec<[f64; 2]> = vertices[start..end]
                    .iter()
                    .chain(vertices.get(start))
                    .map(|p| [f64::from(p[0]), f64::from(p[1])])
                    .collect();
                let sign = if coarse.outer[r] { 1.0 } else { -1.0 };
                rings += sign * ring_area(&ring).abs();
                start = end;
            }
            assert!(rings > 0.0, "area {i} is drawn at this level");
            let error = (triangles - rings).abs() / rings;
            assert!(error < 1e-3, "area {i}: {triangles} m² against {rings}");
        }
        // Only those four were made.
        let made = (0..TRIANGLES_ON_DEMAND_FROM)
            .filter(|&i| !coarse.needs_triangles(i))
            .count();
        assert_eq!(made, 4);
    }

    #[test]
    fn counts_from_a_sample_of_a_large_map_are_close_to_the_exact_ones() {
        let mut region = demo_copies(3000);
        let candidates = [5.0, 20.0, 80.0, 320.0];
        let exact = level_counts_every(&region, &candidates, 1);
        let sampled = level_counts(&region, &candidates);
        assert_eq!(sampled[0], exact[0], "full resolution is counted exactly");
        for (l, (s, e)) in sampled.iter().zip(&exact).enumerate() {
            let error = (*s as f64 - *e as f64).abs() / *e as f64;
            assert!(error < 0.05, "level {l}: {s} against {e}");
        }
        // Up to COUNT_SAMPLE areas every one is counted.
        region.spaces.truncate(COUNT_SAMPLE);
        assert_eq!(
            level_counts(&region, &candidates),
            level_counts_every(&region, &candidates, 1)
        );
    }

    #[test]
    fn an_export_prepares_one_simplified_level_with_labels_and_borders() {
        let region = load_demo(&Progress::default()).expect("demo").region;
        let full = PreparedMap::prepare(&region, Detail::Full, &|_| {});
        let fine = full.lods.iter().map(Lod::vertex_count).max().unwrap_or(0);
        let export = PreparedMap::prepare_for_scale(&region, 40.0);
        assert_eq!(export.lods.len(), 1);
        let lod = &export.lods[0];
        assert_eq!(lod.tolerance_m, 20.0);
        assert!(lod.vertex_count() < fine, "{} < {fine}", lod.vertex_count());
        assert!(lod.triangles.is_empty(), "the CPU renderer fills rings");
        assert!(!lod.border_ends.is_empty(), "municipality borders");
        assert_eq!(export.labels.len(), region.spaces.len());
        assert!(export.labels.iter().all(Option::is_some));
        assert_eq!(export.bounds, full.bounds);
    }
}
