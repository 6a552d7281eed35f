//! Municipality borders, derived from the Sozialräume themselves.
//!
//! An edge shared by two areas of the same municipality is an inner edge; an edge shared by
//! areas of different municipalities, or used by only one area (the region's outline), is a
//! border and is drawn stronger. Matching edges by their end points (rounded to a centimetre)
//! is a sort of the edges (no polygon union, parallel), and works for any file with
//! shared vertices, which GIS-made boundary layers have. Where neighbours do not share vertices
//! every edge counts as a border; the map then simply draws all outlines strong.

use rayon::iter::{IntoParallelRefMutIterator, ParallelIterator};

use geo::Coord;

/// A coordinate in whole centimetres, the identity of a vertex for matching (cut, not
/// rounded: one instruction instead of a library call, and shared vertices are the same
/// numbers on both sides anyway).
fn key(p: Coord<f64>) -> (i64, i64) {
    ((p.x * 100.0) as i64, (p.y * 100.0) as i64)
}

/// A 64-bit fingerprint of an undirected edge. Two different edges colliding is about as
/// likely as 1 in 10^7 for two million edges, and would only make one border segment thin.
fn edge_key(a: Coord<f64>, b: Coord<f64>) -> u64 {
    let (ka, kb) = (key(a), key(b));
    let (lo, hi) = if ka <= kb { (ka, kb) } else { (kb, ka) };
    let mut h = 0xcbf2_9ce4_8422_2325u64;
    for v in [lo.0, lo.1, hi.0, hi.1] {
        h = (h.rotate_left(5) ^ v as u64).wrapping_mul(0x517c_c1b7_2722_0a95);
    }
    h ^ (h >> 29)
}

/// One area's rings (closed) and its municipality (None: unknown, all unknowns form one group).
pub struct AreaRings<'a> {
    /// Closed rings of the area.
    pub rings: Vec<&'a [Coord<f64>]>,
    /// Municipality index, if known.
    pub municipality: Option<usize>,
}

/// Edges matched at once, at most: 16 bytes each, so 16 MB.
const EDGES_PER_PASS: usize = 1 << 20;

/// Each pass puts its edges into this many buckets by the top bits of their fingerprint.
const BUCKETS: usize = 256;

/// One edge to match: (fingerprint, edge number in traversal order, area).
type Edge = (u64, u32, u32);

/// The border lines as polylines, each drawn once.
pub fn border_lines(areas: &[AreaRings<'_>]) -> Vec<Vec<[f64; 2]>> {
    let total: usize = areas
        .iter()
        .flat_map(|a| &a.rings)
        .map(|r| r.len().saturating_sub(1))
        .sum();
    let mut is_border = vec![false; total];
    // Equal edges have equal fingerprints, so edges can be matched a slice of fingerprints
    // at a time: a few passes over the rings instead of all 1.9 M edges of a country in
    // memory at once (30 MB for the German municipalities). A pass takes the edges whose
    // lowest fingerprint bits are its number.
    let passes = total.div_ceil(EDGES_PER_PASS).max(1).next_power_of_two() as u64;
    let mask = passes - 1;
    // Within a pass, equal edges are grouped by sorting, without a hash table: straight into
    // 256 buckets by the top bits of the fingerprint (uniform), then each bucket of a few
    // thousand edges is sorted in the processor's cache, on every core. One sort of the whole
    // pass, or an in-place bucket sort, would wait on memory for most edges.
    let per_bucket = total / (passes as usize * BUCKETS);
    let mut buckets: Vec<Vec<Edge>> = (0..BUCKETS)
        .map(|_| Vec::with_capacity(per_bucket + per_bucket / 8 + 16))
        .collect();
    for pass in 0..passes {
        buckets.iter_mut().for_each(Vec::clear);
        let mut number = 0u32;
        for (i, area) in areas.iter().enumerate() {
            for ring in &area.rings {
                for w in ring.windows(2) {
                    let k = edge_key(w[0], w[1]);
                    if k & mask == pass {
                        buckets[(k >> 56) as usize].push((k, number, i as u32));
                    }
                    number += 1;
                }
            }
        }
        buckets.par_iter_mut().for_each(|b| b.sort_unstable());
        for group in buckets.iter().flat_map(|b| b.chunk_by(|x, y| x.0 == y.0)) {
            let first = group[0];
            let municipality = |e: &Edge| areas[e.2 as usize].municipality;
            // Drawn by its first occurrence only (the lowest edge number: the sort puts it
            // first), so each border appears once.
            if group.len() == 1
                || group
                    .iter()
                    .any(|e| municipality(e) != municipality(&first))
            {
                is_border[first.1 as usize] = true;
            }
        }
    }
    drop(buckets);
    let mut lines = Vec::new();
    let mut number = 0usize;
    for area in areas {
        for ring in &area.rings {
            let mut run: Vec<[f64; 2]> = Vec::new();
            for w in ring.windows(2) {
                let border = is_border[number] && key(w[0]) != key(w[1]);
                number += 1;
                if border {
                    let (a, b) = ([w[0].x, w[0].y], [w[1].x, w[1].y]);
                    if run.last() != Some(&a) {
                        if run.len() >= 2 {
                            lines.push(std::mem::take(&mut run));
                        }
                        run.clear();
                        run.push(a);
                    }
                    run.push(b);
                } else if run.len() >= 2 {
                    lines.push(std::mem::take(&mut run));
                } else {
                    run.clear();
                }
            }
            if run.len() >= 2 {
                lines.push(run);
            }
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    fn square(x0: f64, y0: f64) -> Vec<Coord<f64>> {
        [
            [x0, y0],
            [x0 + 1.0, y0],
            [x0 + 1.0, y0 + 1.0],
            [x0, y0 + 1.0],
            [x0, y0],
        ]
        .into_iter()
        .map(|[x, y]| Coord { x, y })
        .collect()
    }

    fn total_length(lines: &[Vec<[f64; 2]>]) -> f64 {
        lines
            .iter()
            .flat_map(|l| l.windows(2))
            .map(|w| (w[1][0] - w[0][0]).hypot(w[1][1] - w[0][1]))
            .sum()
    }

    #[test]
    fn inner_edges_of_one_municipality_are_not_borders() {
        // Three unit squares in a row: 0 and 1 in municipality A, 2 in B.
        let (a, b, c) = (square(0.0, 0.0), square(1.0, 0.0), square(2.0, 0.0));
        let areas = [
            AreaRings {
                rings: vec![&a],
                municipality: Some(0),
            },
            AreaRings {
                rings: vec![&b],
                municipality: Some(0),
            },
            AreaRings {
                rings: vec![&c],
                municipality: Some(1),
            },
        ];
        let lines = border_lines(&areas);
        // Outline 3 + 1 + 3 + 1 = 8, plus the A/B border (1); the A/A edge is not a border.
        assert!((total_length(&lines) - 9.0).abs() < 1e-9, "{lines:?}");
    }

    #[test]
    fn many_edges_are_matched_in_several_passes_with_the_same_result() {
        // A 600 × 600 grid of unit squares in four municipalities (quadrants): 1.44 M edges,
        // more than one pass holds.
        let n = 600;
        let squares: Vec<Vec<Coord<f64>>> = (0..n * n)
            .map(|k| square(f64::from(k % n), f64::from(k / n)))
            .collect();
        let areas: Vec<AreaRings<'_>> = squares
            .iter()
            .enumerate()
            .map(|(k, sq)| AreaRings {
                rings: vec![sq.as_slice()],
                municipality: Some(usize::from(k % 600 >= 300) + 2 * usize::from(k / 600 >= 300)),
            })
            .collect();
        assert!(4 * n as usize * n as usize > EDGES_PER_PASS);
        let lines = border_lines(&areas);
        // The outline (4 × 600) and the cross between the quadrants (2 × 600).
        assert!(
            (total_length(&lines) - 3600.0).abs() < 1e-6,
            "{}",
            total_length(&lines)
        );
    }

    #[test]
    fn without_municipalities_only_the_outline_is_a_border() {
        let (a, b) = (square(0.0, 0.0), square(1.0, 0.0));
        let areas = [
            AreaRings {
                rings: vec![&a],
                municipality: None,
            },
            AreaRings {
                rings: vec![&b],
                municipality: None,
            },
        ];
        assert!((total_length(&border_lines(&areas)) - 6.0).abs() < 1e-9);
    }
}
