//! Checks of single rings that the import reports: a ring crossing itself, a hole outside
//! its polygon. Both run on every ring of every file, so they are near-linear: the crossing
//! test cuts the ring into monotone chains (runs of segments that only go right, or only
//! left), sweeps the chains sorted by their left end and compares only the segments of two
//! chains where their x ranges overlap. Two segments of one chain cannot cross; a real
//! boundary has a few chains for every hundred segments, so the sort and the sweep handle
//! a few chains instead of every segment.

use geo::Coord;

/// Whether two segments of this closed ring (last point = first) cross properly: each one's
/// ends lie strictly on both sides of the other. Rings that only touch themselves at a
/// vertex, as some programs write them, do not count.
pub fn crosses_itself(ring: &[Coord<f64>]) -> bool {
    let n = ring.len().saturating_sub(1);
    if n < 4 {
        return false;
    }
    let chains = monotone_chains(ring, n);
    let mut order: Vec<u32> = (0..chains.len() as u32).collect();
    order.sort_unstable_by(|&a, &b| chains[a as usize].x0.total_cmp(&chains[b as usize].x0));
    let mut active: Vec<u32> = Vec::new();
    for c in order {
        let chain = &chains[c as usize];
        // Drop the chains that end left of this one.
        active.retain(|&a| chains[a as usize].x1 >= chain.x0);
        for &a in &active {
            let other = &chains[a as usize];
            if other.y1 >= chain.y0 && chain.y1 >= other.y0 && chains_cross(ring, n, other, chain) {
                return true;
            }
        }
        active.push(c);
    }
    false
}

/// A run of segments `start..end` of a ring whose x only grows (or only falls), and its box.
struct Chain {
    start: u32,
    end: u32,
    ascending: bool,
    x0: f64,
    x1: f64,
    y0: f64,
    y1: f64,
}

impl Chain {
    fn len(&self) -> usize {
        (self.end - self.start) as usize
    }

    /// The ring's segment that is the chain's `k`-th from the left.
    fn segment(&self, k: usize) -> usize {
        if self.ascending {
            self.start as usize + k
        } else {
            self.end as usize - 1 - k
        }
    }
}

/// The ring's monotone chains, in ring order; vertical segments join the chain they meet.
fn monotone_chains(ring: &[Coord<f64>], n: usize) -> Vec<Chain> {
    let mut chains = Vec::new();
    let mut push = |start: usize, end: usize, ascending: bool| {
        let (mut x0, mut x1, mut y0, mut y1) = (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
        for p in &ring[start..=end] {
            x0 = x0.min(p.x);
            x1 = x1.max(p.x);
            y0 = y0.min(p.y);
            y1 = y1.max(p.y);
        }
        chains.push(Chain {
            start: start as u32,
            end: end as u32,
            ascending,
            x0,
            x1,
            y0,
            y1,
        });
    };
    let (mut start, mut direction) = (0usize, 0i8);
    for i in 0..n {
        let dx = ring[i + 1].x - ring[i].x;
        let d = if dx > 0.0 {
            1
        } else if dx < 0.0 {
            -1
        } else {
            0
        };
        if d != 0 && direction != 0 && d != direction {
            push(start, i, direction > 0);
            start = i;
        }
        if d != 0 {
            direction = d;
        }
    }
    push(start, n, direction >= 0);
    chains
}

/// Whether a segment of chain `a` properly crosses a non-adjacent segment of chain `b`:
/// both chains walked from the left end of their common x range, always stepping on in the
/// one whose segment ends first, which meets every pair of segments whose x ranges overlap.
fn chains_cross(ring: &[Coord<f64>], n: usize, a: &Chain, b: &Chain) -> bool {
    let (lo, hi) = (a.x0.max(b.x0), a.x1.min(b.x1));
    let left = |i: usize| ring[i].x.min(ring[i + 1].x);
    let right = |i: usize| ring[i].x.max(ring[i + 1].x);
    let first = |c: &Chain| {
        let (mut low, mut high) = (0, c.len());
        while low < high {
            let mid = (low + high) / 2;
            if right(c.segment(mid)) < lo {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        low
    };
    let (mut ia, mut ib) = (first(a), first(b));
    while ia < a.len() && ib < b.len() {
        let (i, j) = (a.segment(ia), b.segment(ib));
        if left(i) > hi || left(j) > hi {
            return false;
        }
        let adjacent = i.abs_diff(j) == 1 || i.abs_diff(j) == n - 1;
        if !adjacent && cross(ring[i], ring[i + 1], (ring[j], ring[j + 1])) {
            return true;
        }
        if right(i) < right(j) {
            ia += 1;
        } else {
            ib += 1;
        }
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

    /// Every pair of non-adjacent segments, the definition itself.
    fn crosses_itself_slowly(ring: &[Coord<f64>]) -> bool {
        let n = ring.len() - 1;
        (0..n).any(|i| {
            (i + 1..n).any(|j| {
                let adjacent = j - i == 1 || j - i == n - 1;
                !adjacent && cross(ring[i], ring[i + 1], (ring[j], ring[j + 1]))
            })
        })
    }

    #[test]
    fn the_chain_sweep_agrees_with_every_pair_on_random_rings() {
        // Random walks on a small integer grid (many vertical, horizontal and collinear
        // segments, shared vertices) and star-shaped rings (which never cross themselves).
        let mut state = 0x2545_f491_4f6c_dd1du64;
        let mut next = |m: u64| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state % m
        };
        let (mut crossing, mut simple) = (0, 0);
        for round in 0..3000 {
            let len = 4 + next(40) as usize;
            let mut points: Vec<[f64; 2]> = if round % 3 == 0 {
                let mut angles: Vec<f64> = (0..len).map(|_| next(10_000) as f64).collect();
                angles.sort_by(f64::total_cmp);
                angles
                    .iter()
                    .map(|a| {
                        let (r, t) = (1.0 + next(100) as f64, a / 10_000.0 * std::f64::consts::TAU);
                        [r * t.cos(), r * t.sin()]
                    })
                    .collect()
            } else {
                (0..len).map(|_| [next(8) as f64, next(8) as f64]).collect()
            };
            points.push(points[0]);
            let r = ring(&points);
            let expected = crosses_itself_slowly(&r);
            assert_eq!(crosses_itself(&r), expected, "{points:?}");
            if expected {
                crossing += 1;
            } else {
                simple += 1;
            }
        }
        assert!(crossing > 500 && simple > 500, "{crossing} {simple}");
    }
}
