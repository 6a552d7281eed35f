//! Thin anti-aliased lines straight into a mesh: outlines of thousands of areas per frame.
//!
//! egui's own path stroking allocates per path and joins carefully; drawing 150,000 outline
//! vertices that way costs more than the whole frame budget. Here every point gets a miter
//! normal and two or four vertices (a feathered edge of one pixel fades to transparent), and
//! points closer than a third of a pixel to the previous one are skipped: at that distance
//! they change nothing visible.

use eframe::egui::epaint::{Color32, Mesh, Pos2, Vertex, WHITE_UV};

/// Appends a stroked polyline to `mesh`. `width` and `feather` in points; `closed` joins the
/// last point to the first.
pub fn stroke(
    points: &[[f32; 2]],
    closed: bool,
    width: f32,
    color: Color32,
    feather: f32,
    scratch: &mut Vec<[f32; 2]>,
    mesh: &mut Mesh,
) {
    // Drop points that sit on top of the previous one (also the closing duplicate): closer
    // than a third of a pixel, or for a hairline (no wider than its feather) closer than a
    // pixel: a hairline bends by less than it is wide there, and a country-wide map of
    // thousands of outlines needs a third fewer vertices.
    scratch.clear();
    let min_sq = if width > feather {
        (feather * 0.33).powi(2)
    } else {
        feather.powi(2)
    };
    for p in points {
        match scratch.last() {
            Some(q) if (p[0] - q[0]).powi(2) + (p[1] - q[1]).powi(2) < min_sq => {}
            _ => scratch.push(*p),
        }
    }
    if closed && scratch.len() > 2 {
        let (first, last) = (scratch[0], scratch[scratch.len() - 1]);
        if (first[0] - last[0]).powi(2) + (first[1] - last[1]).powi(2) < min_sq {
            scratch.pop();
        }
    }
    let n = scratch.len();
    if n < 2 {
        return;
    }
    let segments = if closed { n } else { n - 1 };
    let transparent = Color32::TRANSPARENT;
    // Thinner than the feather: a single faded core line.
    let (core_half, outer_half, core_color) = if width > feather {
        ((width - feather) / 2.0, (width + feather) / 2.0, color)
    } else {
        (0.0, feather, color.gamma_multiply(width / feather))
    };
    let thin = core_half == 0.0;
    let per_point: u32 = if thin { 3 } else { 4 };
    let base = mesh.vertices.len() as u32;
    mesh.vertices.reserve(n * per_point as usize);
    mesh.indices.reserve(segments * if thin { 12 } else { 18 });
    let normal_of = |a: [f32; 2], b: [f32; 2]| {
        let (dx, dy) = (b[0] - a[0], b[1] - a[1]);
        let len = (dx * dx + dy * dy).sqrt();
        if len > 0.0 {
            [-dy / len, dx / len]
        } else {
            [0.0, 0.0]
        }
    };
    for i in 0..n {
        let p = scratch[i];
        let prev = if i > 0 {
            Some(scratch[i - 1])
        } else if closed {
            Some(scratch[n - 1])
        } else {
            None
        };
        let next = if i + 1 < n {
            Some(scratch[i + 1])
        } else if closed {
            Some(scratch[0])
        } else {
            None
        };
        let n_in = prev.map(|q| normal_of(q, p));
        let n_out = next.map(|q| normal_of(p, q));
        let normal = match (n_in, n_out) {
            (Some(a), Some(b)) => {
                let (mx, my) = (a[0] + b[0], a[1] + b[1]);
                let len_sq = mx * mx + my * my;
                if len_sq < 1e-6 {
                    a
                } else {
                    // Miter: scale so the offset line stays parallel; limit spikes.
                    let dot = (mx * a[0] + my * a[1]) / len_sq.sqrt();
                    let scale = (1.0 / dot.max(0.5)) / len_sq.sqrt();
                    [mx * scale, my * scale]
                }
            }
            (Some(a), None) | (None, Some(a)) => a,
            (None, None) => [0.0, 0.0],
        };
        let at = |d: f32, c: Color32| Vertex {
            pos: Pos2::new(p[0] + normal[0] * d, p[1] + normal[1] * d),
            uv: WHITE_UV,
            color: c,
        };
        if thin {
            mesh.vertices.push(at(-outer_half, transparent));
            mesh.vertices.push(at(0.0, core_color));
            mesh.vertices.push(at(outer_half, transparent));
        } else {
            mesh.vertices.push(at(-outer_half, transparent));
            mesh.vertices.push(at(-core_half, core_color));
            mesh.vertices.push(at(core_half, core_color));
            mesh.vertices.push(at(outer_half, transparent));
        }
    }
    for s in 0..segments as u32 {
        let a = base + s * per_point;
        let b = base + ((s + 1) % n as u32) * per_point;
        for k in 0..per_point - 1 {
            mesh.indices
                .extend_from_slice(&[a + k, a + k + 1, b + k, a + k + 1, b + k + 1, b + k]);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_closed_square_makes_one_quad_strip_per_side() {
        let mut mesh = Mesh::default();
        let square = [
            [0.0, 0.0],
            [10.0, 0.0],
            [10.0, 10.0],
            [0.0, 10.0],
            [0.0, 0.0],
        ];
        stroke(
            &square,
            true,
            2.0,
            Color32::BLACK,
            1.0,
            &mut Vec::new(),
            &mut mesh,
        );
        assert_eq!(mesh.vertices.len(), 4 * 4);
        assert_eq!(mesh.indices.len(), 4 * 18);
        assert!(mesh.is_valid());
        // At a right-angled corner the core's edge sits on the miter: half the core width
        // along both sides, here outside the square's corner (0, 0).
        let v = mesh.vertices[1].pos;
        assert!(
            (v.x + 0.5).abs() < 1e-4 && (v.y + 0.5).abs() < 1e-4,
            "{v:?}"
        );
    }

    #[test]
    fn repeated_points_and_hairlines_are_handled() {
        let mut mesh = Mesh::default();
        let line = [[0.0, 0.0], [0.0, 0.0], [5.0, 0.0], [5.0, 0.1]];
        stroke(
            &line,
            false,
            0.5,
            Color32::BLACK,
            1.0,
            &mut Vec::new(),
            &mut mesh,
        );
        assert_eq!(mesh.vertices.len(), 2 * 3);
        assert!(mesh.is_valid());
        assert!(
            mesh.vertices
                .iter()
                .all(|v| v.pos.x.is_finite() && v.pos.y.is_finite())
        );
    }
}
