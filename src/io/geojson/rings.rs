//! Checks of single rings that the import reports: a ring crossing itself, a hole outside
//! its polygon. Both run on every ring of every file, so they are near-linear: the crossing
//! test sweeps segments sorted by their left end and only compares those whose x ranges
//! overlap.

use geo::Coord;

/// Whether two segments of this closed ring (last point = first) cross properly: each one's
/// ends lie strictly on both sides of the other. Rings that only touch themselves at a
/// vertex, as some programs write them, do not count.
pub fn crosses_itself(ring: &[Coord<f64>]) -> bool {
    let n = ring.len().saturating_sub(1);
    if n < 4 {
        return false;
    }
    let segment = |i: usize| (ring[i], ring[i + 1]);
    // Segments by their left end (key computed once: this runs on every ring of every file).
    let mut order: Vec<(f64, u32)> = (0..n)
        .map(|i| (ring[i].x.min(ring[i + 1].x), i as u32))
        .collect();
    order.sort_unstable_by(|a, b| a.0.total_cmp(&b.0));
    let mut active: Vec<(f64, u32)> = Vec::new();
    for (left, i) in order {
        let i = i as usize;
        let (p0, p1) = segment(i);
        // Drop the segments that end left of this one (their right end is kept beside them).
        active.retain(|&(right, _)| right >= left);
        for &(_, j) in &active {
            let j = j as usize;
            let adjacent = i.abs_diff(j) == 1 || i.abs_diff(j) == n - 1;
            if !adjacent && cross(p0, p1, segment(j)) {
                return true;
            }
        }
        active.push((p0.x.max(p1.x), i as u32));
    }
    false
}

fn orient(a: Coord<f64>, b: Coord<f64>, c: Coord<f64>) -> f64 {
    (b.x - a.x) * (c.y - a.y) - (b.y - a.y) * (c.x - a.x)
}

fn cross(p0: Coord<f64>, p1: Coord<f64>, (q0, q1): (Coord<f64>, Coord<f64>)) -> bool {
    if p0.y.max(p1.y) < q0.y.min(q1.y) || q0.y.max(q1.y) < p0.y.min(p1.y) {
        return false;
    }
    let d1 = orient(q0, q1, p0);
    let d2 = orient(q0, q1, p1);
    let d3 = orient(p0, p1, q0);
    let d4 = orient(p0, p1, q1);
    ((d1 > 0.0 && d2 < 0.0) || (d1 < 0.0 && d2 > 0.0))
        && ((d3 > 0.0 && d4 < 0.0) || (d3 < 0.0 && d4 > 0.0))
}

/// Whether a hole lies (at least partly) inside the outer ring: some of its vertices (up to
/// 16, spread over the ring) lie strictly inside.
pub fn hole_inside(exterior: &[Coord<f64>], hole: &[Coord<f64>]) -> bool {
    let step = (hole.len() / 16).max(1);
    hole.iter()
        .step_by(step)
        .any(|p| strictly_inside(exterior, *p))
}

/// Crossing-number test; points on the boundary count as outside.
fn strictly_inside(ring: &[Coord<f64>], p: Coord<f64>) -> bool {
    let mut inside = false;
    for w in ring.windows(2) {
        let (a, b) = (w[0], w[1]);
        if orient(a, b, p) == 0.0
            && p.x >= a.x.min(b.x)
            && p.x <= a.x.max(b.x)
            && p.y >= a.y.min(b.y)
            && p.y <= a.y.max(b.y)
        {
            return false;
        }
        if (a.y > p.y) != (b.y > p.y) && p.x < a.x + (p.y - a.y) * (b.x - a.x) / (b.y - a.y) {
            inside = !inside;
        }
    }
    inside
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ring(points: &[[f64; 2]]) -> Vec<Coord<f64>> {
        points.iter().map(|p| Coord { x: p[0], y: p[1] }).collect()
    }

    #[test]
    fn a_bow_tie_crosses_itself_and_a_square_does_not() {
        let bow = ring(&[[0., 0.], [2., 2.], [2., 0.], [0., 2.], [0., 0.]]);
        let square = ring(&[[0., 0.], [2., 0.], [2., 2.], [0., 2.], [0., 0.]]);
        assert!(crosses_itself(&bow));
        assert!(!crosses_itself(&square));
    }

    #[test]
    fn touching_itself_at_a_vertex_is_no_crossing() {
        // Two squares joined at the corner (2, 2), drawn as one ring.
        let touching = ring(&[
            [0., 0.],
            [2., 0.],
            [2., 2.],
            [4., 2.],
            [4., 4.],
            [2., 4.],
            [2., 2.],
            [0., 2.],
            [0., 0.],
        ]);
        assert!(!crosses_itself(&touching));
    }

    #[test]
    fn a_crossing_far_apart_in_the_ring_is_found() {
        // A long comb whose last tooth crosses the first.
        let mut points = vec![[0., 0.]];
        for i in 0..50 {
            let x = f64::from(i) * 2.0;
            points.extend([[x + 1.0, 0.], [x + 1.0, 10.], [x + 2.0, 10.], [x + 2.0, 0.]]);
        }
        points.extend([[101., -5.], [0.5, 5.], [0., 0.]]);
        assert!(crosses_itself(&ring(&points)));
    }

    #[test]
    fn holes_inside_outside_and_touching() {
        let outer = ring(&[[0., 0.], [10., 0.], [10., 10.], [0., 10.], [0., 0.]]);
        let inside = ring(&[[2., 2.], [4., 2.], [4., 4.], [2., 2.]]);
        let outside = ring(&[[20., 20.], [24., 20.], [24., 24.], [20., 20.]]);
        let touching = ring(&[[0., 0.], [4., 2.], [2., 4.], [0., 0.]]);
        assert!(hole_inside(&outer, &inside));
        assert!(!hole_inside(&outer, &outside));
        assert!(hole_inside(&outer, &touching));
    }
}
