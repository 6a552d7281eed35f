//! Where a label goes: the pole of inaccessibility, the inside point farthest from the edge.
//!
//! The centroid of a crescent or an L-shaped Sozialraum lies outside it or on a thin arm; the
//! pole of inaccessibility (Mapbox's polylabel algorithm: a quadtree search with a priority
//! queue) is the centre of the largest inscribed circle, and that circle's radius tells the
//! label placer how much text fits.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

use super::simplify::segment_distance_sq;

/// A label anchor and the room around it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LabelAnchor {
    /// The point, in the planar CRS.
    pub pos: [f64; 2],
    /// Radius of the largest circle around `pos` inside the polygon, in metres.
    pub radius_m: f64,
}

/// Signed distance from `p` to the polygon boundary: positive inside, negative outside.
fn signed_distance(p: [f64; 2], rings: &[Vec<[f64; 2]>]) -> f64 {
    let mut inside = false;
    let mut min_sq = f64::INFINITY;
    for ring in rings {
        for w in ring.windows(2) {
            let (a, b) = (w[0], w[1]);
            if (a[1] > p[1]) != (b[1] > p[1])
                && p[0] < (b[0] - a[0]) * (p[1] - a[1]) / (b[1] - a[1]) + a[0]
            {
                inside = !inside;
            }
            min_sq = min_sq.min(segment_distance_sq(p, a, b));
        }
    }
    let d = min_sq.sqrt();
    if inside { d } else { -d }
}

struct Cell {
    center: [f64; 2],
    half: f64,
    distance: f64,
    potential: f64,
}

impl Cell {
    fn new(center: [f64; 2], half: f64, rings: &[Vec<[f64; 2]>]) -> Cell {
        let distance = signed_distance(center, rings);
        Cell {
            center,
            half,
            distance,
            potential: distance + half * std::f64::consts::SQRT_2,
        }
    }
}

impl PartialEq for Cell {
    fn eq(&self, other: &Self) -> bool {
        self.potential == other.potential
    }
}
impl Eq for Cell {}
impl PartialOrd for Cell {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Cell {
    fn cmp(&self, other: &Self) -> Ordering {
        self.potential.total_cmp(&other.potential)
    }
}

/// The pole of inaccessibility of a polygon given as closed rings (first = outer), found to
/// within `precision` metres. None for an empty or degenerate polygon.
pub fn label_anchor(rings: &[Vec<[f64; 2]>], precision: f64) -> Option<LabelAnchor> {
    let outer = rings.first()?;
    let (mut min, mut max) = ([f64::INFINITY; 2], [f64::NEG_INFINITY; 2]);
    for p in outer {
        min = [min[0].min(p[0]), min[1].min(p[1])];
        max = [max[0].max(p[0]), max[1].max(p[1])];
    }
    let (w, h) = (max[0] - min[0], max[1] - min[1]);
    let cell_size = w.min(h);
    if cell_size.is_nan() || cell_size <= 0.0 {
        return None;
    }
    let precision = precision.max(cell_size * 1e-4);
    let mut queue = BinaryHeap::new();
    let half = cell_size / 2.0;
    let mut y = min[1];
    while y < max[1] {
        let mut x = min[0];
        while x < max[0] {
            queue.push(Cell::new([x + half, y + half], half, rings));
            x += cell_size;
        }
        y += cell_size;
    }
    // Start with the centroid of the outer ring's bbox; a good guess for convex shapes.
    let mut best = Cell::new(
        [(min[0] + max[0]) / 2.0, (min[1] + max[1]) / 2.0],
        0.0,
        rings,
    );
    let mut probes = 0usize;
    while let Some(cell) = queue.pop() {
        if cell.distance > best.distance {
            best = Cell { ..cell };
            best.half = 0.0;
        }
        if cell.potential - best.distance <= precision || probes > 4_000 {
            continue;
        }
        let h = cell.half / 2.0;
        for (dx, dy) in [(-h, -h), (h, -h), (-h, h), (h, h)] {
            queue.push(Cell::new(
                [cell.center[0] + dx, cell.center[1] + dy],
                h,
                rings,
            ));
            probes += 1;
        }
    }
    (best.distance > 0.0).then_some(LabelAnchor {
        pos: best.center,
        radius_m: best.distance,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn square(x0: f64, y0: f64, size: f64) -> Vec<[f64; 2]> {
        vec![
            [x0, y0],
            [x0 + size, y0],
            [x0 + size, y0 + size],
            [x0, y0 + size],
            [x0, y0],
        ]
    }

    #[test]
    fn a_square_is_labelled_at_its_centre() {
        let a = label_anchor(&[square(0.0, 0.0, 100.0)], 0.1).expect("anchor");
        assert!(
            (a.pos[0] - 50.0).abs() < 0.5 && (a.pos[1] - 50.0).abs() < 0.5,
            "{a:?}"
        );
        assert!((a.radius_m - 50.0).abs() < 0.5);
    }

    #[test]
    fn an_l_shape_is_labelled_inside_not_at_its_centroid() {
        let l = vec![
            [0.0, 0.0],
            [100.0, 0.0],
            [100.0, 20.0],
            [20.0, 20.0],
            [20.0, 100.0],
            [0.0, 100.0],
            [0.0, 0.0],
        ];
        let a = label_anchor(std::slice::from_ref(&l), 0.1).expect("anchor");
        assert!(signed_distance(a.pos, &[l]) > 9.0, "{a:?}");
    }

    #[test]
    fn a_hole_pushes_the_label_aside() {
        let rings = vec![square(0.0, 0.0, 100.0), square(30.0, 30.0, 40.0)];
        let a = label_anchor(&rings, 0.1).expect("anchor");
        assert!(signed_distance(a.pos, &rings) > 10.0);
        let in_hole = a.pos[0] > 30.0 && a.pos[0] < 70.0 && a.pos[1] > 30.0 && a.pos[1] < 70.0;
        assert!(!in_hole, "{a:?}");
    }
}
