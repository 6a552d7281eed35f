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

/// Segments per chunk of [`Edges`].
const CHUNK: usize = 8;

/// A polygon's edges in chunks of [`CHUNK`] consecutive segments, each with its bounding box,
/// so that a distance query skips the chunks that cannot hold the nearest edge or a crossing.
struct Edges {
    /// Start and end of each segment.
    segments: Vec<[[f64; 2]; 2]>,
    /// Per chunk: min x, min y, max x, max y.
    boxes: Vec<[f64; 4]>,
}

impl Edges {
    fn new(rings: &[Vec<[f64; 2]>]) -> Edges {
        let segments: Vec<[[f64; 2]; 2]> = rings
            .iter()
            .flat_map(|ring| ring.windows(2).map(|w| [w[0], w[1]]))
            .collect();
        let boxes = segments
            .chunks(CHUNK)
            .map(|chunk| {
                let mut b = [
                    f64::INFINITY,
                    f64::INFINITY,
                    f64::NEG_INFINITY,
                    f64::NEG_INFINITY,
                ];
                for p in chunk.iter().flatten() {
                    b = [
                        b[0].min(p[0]),
                        b[1].min(p[1]),
                        b[2].max(p[0]),
                        b[3].max(p[1]),
                    ];
                }
                b
            })
            .collect();
        Edges { segments, boxes }
    }

    /// Signed distance from `p` to the polygon boundary: positive inside, negative outside.
    /// The same as testing every segment: a chunk is skipped only when `p` is level with none
    /// of its segments or right of all of them (no crossing to count) and its box is no
    /// nearer than the nearest segment found so far.
    fn signed_distance(&self, p: [f64; 2]) -> f64 {
        let mut inside = false;
        let mut min_sq = f64::INFINITY;
        for (chunk, b) in self.segments.chunks(CHUNK).zip(&self.boxes) {
            let level = p[1] >= b[1] && p[1] <= b[3] && p[0] <= b[2];
            if !level {
                let dx = (b[0] - p[0]).max(p[0] - b[2]).max(0.0);
                let dy = (b[1] - p[1]).max(p[1] - b[3]).max(0.0);
                if dx * dx + dy * dy >= min_sq {
                    continue;
                }
            }
            for &[a, b] in chunk {
                visit_segment(p, a, b, &mut inside, &mut min_sq);
            }
        }
        signed(min_sq, inside)
    }
}

/// One segment `a`–`b` of the distance from `p`: flips `inside` where a ray from `p` to the
/// right crosses it, and lowers `min_sq` to its squared distance if that is nearer.
#[inline]
fn visit_segment(p: [f64; 2], a: [f64; 2], b: [f64; 2], inside: &mut bool, min_sq: &mut f64) {
    if (a[1] > p[1]) != (b[1] > p[1]) && p[0] < (b[0] - a[0]) * (p[1] - a[1]) / (b[1] - a[1]) + a[0]
    {
        *inside = !*inside;
    }
    *min_sq = min_sq.min(segment_distance_sq(p, a, b));
}

/// The distance, positive inside and negative outside.
fn signed(min_sq: f64, inside: bool) -> f64 {
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
    fn new(center: [f64; 2], half: f64, edges: &Edges) -> Cell {
        let distance = edges.signed_distance(center);
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
    let edges = Edges::new(rings);
    let mut queue = BinaryHeap::new();
    let half = cell_size / 2.0;
    let mut y = min[1];
    while y < max[1] {
        let mut x = min[0];
        while x < max[0] {
            queue.push(Cell::new([x + half, y + half], half, &edges));
            x += cell_size;
        }
        y += cell_size;
    }
    // Start with the centroid of the outer ring's bbox; a good guess for convex shapes.
    let mut best = Cell::new(
        [(min[0] + max[0]) / 2.0, (min[1] + max[1]) / 2.0],
        0.0,
        &edges,
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
                &edges,
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

    /// Every segment, as before the chunks.
    fn signed_distance_of_every_segment(p: [f64; 2], rings: &[Vec<[f64; 2]>]) -> f64 {
        let mut inside = false;
        let mut min_sq = f64::INFINITY;
        for ring in rings {
            for w in ring.windows(2) {
                visit_segment(p, w[0], w[1], &mut inside, &mut min_sq);
            }
        }
        signed(min_sq, inside)
    }

    #[test]
    fn skipping_chunks_gives_the_distance_of_every_segment() {
        // Star-shaped rings of 5 to 300 points with a hole, probed on a grid and at vertices.
        let mut seed = 7u64;
        let mut random = move || {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 11) as f64 / (1u64 << 53) as f64
        };
        for n in [5usize, 9, 17, 40, 300] {
            let star = |radius: f64, random: &mut dyn FnMut() -> f64| {
                let mut ring: Vec<[f64; 2]> = (0..n)
                    .map(|k| {
                        let angle = k as f64 / n as f64 * std::f64::consts::TAU;
                        let r = radius * (0.5 + random());
                        [r * angle.cos(), r * angle.sin()]
                    })
                    .collect();
                ring.push(ring[0]);
                ring
            };
            let rings = vec![star(1000.0, &mut random), star(100.0, &mut random)];
            let edges = Edges::new(&rings);
            let probes = (0..=40)
                .flat_map(|i| {
                    (0..=40).map(move |j| [i as f64 * 80.0 - 1600.0, j as f64 * 80.0 - 1600.0])
                })
                .chain(rings[0].iter().copied());
            for p in probes {
                assert_eq!(
                    edges.signed_distance(p),
                    signed_distance_of_every_segment(p, &rings),
                    "{n} points, probe {p:?}"
                );
            }
        }
    }

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
        assert!(Edges::new(&[l]).signed_distance(a.pos) > 9.0, "{a:?}");
    }

    #[test]
    fn a_hole_pushes_the_label_aside() {
        let rings = vec![square(0.0, 0.0, 100.0), square(30.0, 30.0, 40.0)];
        let a = label_anchor(&rings, 0.1).expect("anchor");
        assert!(Edges::new(&rings).signed_distance(a.pos) > 10.0);
        let in_hole = a.pos[0] > 30.0 && a.pos[0] < 70.0 && a.pos[1] > 30.0 && a.pos[1] < 70.0;
        assert!(!in_hole, "{a:?}");
    }
}
