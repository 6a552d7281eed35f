//! Thin anti-aliased lines straight into a mesh: outlines of thousands of areas per frame.
//!
//! egui's own path stroking allocates per path and joins carefully; drawing 150,000 outline
//! vertices that way costs more than the whole frame budget. Here every point gets a miter
//! normal and two, three or four vertices across the line, and points closer than a third
//! of a pixel to the previous one (a pixel for hairlines) are skipped: at that distance they
//! change nothing visible.
//!
//! Across the line a [`Pen`] lays one of three profiles: a wide line is a solid core with a
//! one-pixel feathered edge on each side (four vertices, six triangles a segment); a hairline
//! is a faded core that falls off to transparent on both sides (three vertices, four
//! triangles); a *crisp* hairline is one pixel of the same ink with hard edges (two vertices,
//! two triangles). The crisp one is for outlines of areas only a few pixels wide, where
//! thousands of them fill the screen: the same ink in half the triangles, and at that size
//! the hard edge cannot be told from the soft one.

use eframe::egui::epaint::{Color32, Mesh, Pos2, Vertex, WHITE_UV};

/// How a line is drawn: width and feather in points.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Pen {
    /// Width of the line.
    pub width: f32,
    /// Colour of the line's core.
    pub color: Color32,
    /// Width of the soft edge (one pixel in points).
    pub feather: f32,
    /// A hairline without soft edges (see the module's text); ignored for wide lines.
    pub crisp: bool,
}

/// Appends a stroked polyline to `mesh`; `closed` joins the last point to the first.
pub fn stroke(
    points: &[[f32; 2]],
    closed: bool,
    pen: Pen,
    scratch: &mut Vec<[f32; 2]>,
    mesh: &mut Mesh,
) {
    let Pen {
        width,
        color,
        feather,
        crisp,
    } = pen;
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
    // The profile across the line: (offset from the centre, colour) of each vertex column.
    let profile: &[(f32, Color32)] = if width > feather {
        let (core, outer) = ((width - feather) / 2.0, (width + feather) / 2.0);
        &[
            (-outer, transparent),
            (-core, color),
            (core, color),
            (outer, transparent),
        ]
    } else if crisp {
        // The faded core's ink (its colour × a feather) in one feather's width.
        let ink = color.gamma_multiply(width / feather);
        &[(-feather / 2.0, ink), (feather / 2.0, ink)]
    } else {
        let ink = color.gamma_multiply(width / feather);
        &[(-feather, transparent), (0.0, ink), (feather, transparent)]
    };
    let per_point = profile.len() as u32;
    let base = mesh.vertices.len() as u32;
    mesh.vertices.reserve(n * profile.len());
    mesh.indices.reserve(segments * 6 * (profile.len() - 1));
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
        mesh.vertices.extend(profile.iter().map(|&(d, c)| Vertex {
            pos: Pos2::new(p[0] + normal[0] * d, p[1] + normal[1] * d),
            uv: WHITE_UV,
            color: c,
        }));
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
            Pen {
                width: 2.0,
                color: Color32::BLACK,
                feather: 1.0,
                crisp: false,
            },
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
            Pen {
                width: 0.5,
                color: Color32::BLACK,
                feather: 1.0,
                crisp: false,
            },
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

    #[test]
    fn a_crisp_hairline_has_half_the_triangles_and_the_same_ink() {
        let line = [[0.0, 0.0], [10.0, 0.0], [10.0, 10.0]];
        let pen = Pen {
            width: 0.5,
            color: Color32::from_rgba_unmultiplied(0, 0, 0, 200),
            feather: 1.0,
            crisp: false,
        };
        let (mut soft, mut crisp) = (Mesh::default(), Mesh::default());
        stroke(&line, false, pen, &mut Vec::new(), &mut soft);
        let crisp_pen = Pen { crisp: true, ..pen };
        stroke(&line, false, crisp_pen, &mut Vec::new(), &mut crisp);
        assert!(crisp.is_valid());
        assert_eq!(soft.indices.len(), 2 * 12);
        assert_eq!(crisp.indices.len(), 2 * 6);
        // Ink across the line: the soft profile's triangle (peak × feather) equals the crisp
        // band (its colour × its width).
        // The first point's columns lie across the first (horizontal) segment.
        let band = (crisp.vertices[0].pos.y - crisp.vertices[1].pos.y).abs();
        assert!((band - 1.0).abs() < 1e-6, "{band}");
        let soft_ink = f32::from(soft.vertices[1].color.a()) * pen.feather;
        let crisp_ink = f32::from(crisp.vertices[0].color.a()) * band;
        assert!(
            (soft_ink - crisp_ink).abs() <= 1.0,
            "{soft_ink} {crisp_ink}"
        );
        assert_eq!(soft.vertices[0].color, Color32::TRANSPARENT);
        // A wide line ignores `crisp`.
        let (mut wide, mut wide_crisp) = (Mesh::default(), Mesh::default());
        let wide_pen = Pen { width: 3.0, ..pen };
        stroke(&line, false, wide_pen, &mut Vec::new(), &mut wide);
        stroke(
            &line,
            false,
            Pen {
                crisp: true,
                ..wide_pen
            },
            &mut Vec::new(),
            &mut wide_crisp,
        );
        assert_eq!(wide.vertices, wide_crisp.vertices);
    }
}
