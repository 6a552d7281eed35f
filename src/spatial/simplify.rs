//! Douglas–Peucker simplification of rings and lines, for levels of detail.
//!
//! Iterative (an explicit stack) so that a ring of 100,000 vertices cannot overflow the thread's
//! stack, and working on plain `[f64; 2]` slices so the same code serves rings, border lines and
//! the label search.

/// Squared distance from `p` to the segment `a`–`b`.
#[inline]
pub fn segment_distance_sq(p: [f64; 2], a: [f64; 2], b: [f64; 2]) -> f64 {
    let (dx, dy) = (b[0] - a[0], b[1] - a[1]);
    let len_sq = dx * dx + dy * dy;
    let t = if len_sq > 0.0 {
        (((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / len_sq).clamp(0.0, 1.0)
    } else {
        0.0
    };
    let (qx, qy) = (a[0] + t * dx - p[0], a[1] + t * dy - p[1]);
    qx * qx + qy * qy
}

/// Simplifies a polyline, keeping both ends; points closer than `tolerance` to the simplified
/// line are dropped. Appends the kept points to `out`.
pub fn simplify_line(points: &[[f64; 2]], tolerance: f64, out: &mut Vec<[f64; 2]>) {
    let n = points.len();
    if n <= 2 || tolerance <= 0.0 {
        out.extend_from_slice(points);
        return;
    }
    let tol_sq = tolerance * tolerance;
    let mut keep = vec![false; n];
    keep[0] = true;
    keep[n - 1] = true;
    let mut stack = vec![(0usize, n - 1)];
    while let Some((first, last)) = stack.pop() {
        if last <= first + 1 {
            continue;
        }
        let (a, b) = (points[first], points[last]);
        let mut worst = 0.0;
        let mut worst_i = first;
        for (i, p) in points.iter().enumerate().take(last).skip(first + 1) {
            let d = segment_distance_sq(*p, a, b);
            if d > worst {
                worst = d;
                worst_i = i;
            }
        }
        if worst > tol_sq {
            keep[worst_i] = true;
            stack.push((first, worst_i));
            stack.push((worst_i, last));
        }
    }
    out.extend(
        points
            .iter()
            .zip(&keep)
            .filter(|(_, k)| **k)
            .map(|(p, _)| *p),
    );
}

/// Simplifies a closed ring (first point equals last). The result is closed as well; it may have
/// fewer than four points, which means the ring vanishes at this tolerance.
pub fn simplify_ring(ring: &[[f64; 2]], tolerance: f64, out: &mut Vec<[f64; 2]>) {
    if ring.len() < 4 || tolerance <= 0.0 {
        out.extend_from_slice(ring);
        return;
    }
    // Split at the point farthest from the start, so neither half is degenerate.
    let start = ring[0];
    let far = ring
        .iter()
        .enumerate()
        .max_by(|a, b| {
            let da = (a.1[0] - start[0]).powi(2) + (a.1[1] - start[1]).powi(2);
            let db = (b.1[0] - start[0]).powi(2) + (b.1[1] - start[1]).powi(2);
            da.total_cmp(&db)
        })
        .map_or(ring.len() / 2, |(i, _)| i);
    simplify_line(&ring[..=far], tolerance, out);
    out.pop();
    simplify_line(&ring[far..], tolerance, out);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn collinear_points_vanish_and_corners_stay() {
        let line = [[0.0, 0.0], [1.0, 0.01], [2.0, 0.0], [2.0, 5.0]];
        let mut out = Vec::new();
        simplify_line(&line, 0.1, &mut out);
        assert_eq!(out, vec![[0.0, 0.0], [2.0, 0.0], [2.0, 5.0]]);
    }

    #[test]
    fn a_ring_stays_closed_and_keeps_its_shape() {
        let mut ring = Vec::new();
        for i in 0..=100 {
            let a = f64::from(i % 100) / 100.0 * std::f64::consts::TAU;
            ring.push([100.0 * a.cos(), 100.0 * a.sin()]);
        }
        let mut out = Vec::new();
        simplify_ring(&ring, 1.0, &mut out);
        assert_eq!(out.first(), out.last());
        assert!(out.len() < 40 && out.len() >= 8, "{}", out.len());
        for p in &ring {
            let d = out
                .windows(2)
                .map(|w| segment_distance_sq(*p, w[0], w[1]))
                .fold(f64::INFINITY, f64::min);
            assert!(d.sqrt() <= 1.0 + 1e-9);
        }
    }

    #[test]
    fn a_tiny_ring_collapses_at_a_large_tolerance() {
        let ring = [[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 1.0], [0.0, 0.0]];
        let mut out = Vec::new();
        simplify_ring(&ring, 10.0, &mut out);
        assert!(out.len() < 4);
    }
}
