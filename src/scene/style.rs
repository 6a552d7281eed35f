//! Colours and fill styles of the map, shared by the screen and every export.
//!
//! The four Handlungsfeld colours come from the Okabe–Ito palette, chosen by computing the
//! smallest CIELAB distance among them and the neutral grey under simulated deuteranopia,
//! protanopia and tritanopia (Machado et al. 2009): vermillion, blue, yellow and bluish green
//! stay at least ΔE 17 apart for every kind of colour vision (see the test). An area in several
//! fields is filled with diagonal stripes of all its colours, which reads at any zoom and keeps
//! every field visible, unlike a split fill that hides small shares. With the pattern option
//! each field also has a hatch of its own (diagonal, horizontal, dots, vertical) in a dark
//! shade of its colour, so the fields can be told apart without seeing colour at all.

use crate::model::{ActionField, ActionFieldSet};

/// An sRGB colour with straight (not premultiplied) alpha.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Rgba(pub [u8; 4]);

impl Rgba {
    /// An opaque colour.
    pub const fn rgb(r: u8, g: u8, b: u8) -> Rgba {
        Rgba([r, g, b, 255])
    }

    /// The same colour with alpha `a`.
    pub const fn with_alpha(self, a: u8) -> Rgba {
        Rgba([self.0[0], self.0[1], self.0[2], a])
    }

    /// `#rrggbb` for SVG and documentation.
    pub fn hex(self) -> String {
        format!("#{:02x}{:02x}{:02x}", self.0[0], self.0[1], self.0[2])
    }
}

/// Fill of an area without any (visible) Handlungsfeld: "kein Gestaltungsbedarf".
pub const NO_NEED: Rgba = Rgba::rgb(0xe6, 0xe6, 0xe6);
/// Outline of every Sozialraum.
pub const OUTLINE: Rgba = Rgba([0x40, 0x40, 0x40, 0xb0]);
/// Municipality borders and the region's outline.
pub const BORDER: Rgba = Rgba::rgb(0x1e, 0x1e, 0x1e);
/// Map background (sea of nothing around the region).
pub const BACKGROUND: Rgba = Rgba::rgb(0xfa, 0xfa, 0xf7);
/// Label text.
pub const LABEL: Rgba = Rgba::rgb(0x14, 0x14, 0x14);
/// Halo around label text, so labels read on stripes.
pub const LABEL_HALO: Rgba = Rgba([0xff, 0xff, 0xff, 0xd8]);
/// Outline of the selected area.
pub const SELECTION: Rgba = Rgba::rgb(0x00, 0x00, 0x00);
/// Inner contrast line of the selected area.
pub const SELECTION_INNER: Rgba = Rgba::rgb(0xff, 0xff, 0xff);
/// Veil over the area under the cursor.
pub const HOVER_VEIL: Rgba = Rgba([0xff, 0xff, 0xff, 0x60]);
/// Outline of the area under the cursor.
pub const HOVER: Rgba = Rgba([0x10, 0x10, 0x10, 0xc0]);

/// The colour of a Handlungsfeld.
pub fn field_color(field: ActionField) -> Rgba {
    match field {
        ActionField::Disadvantaged => Rgba::rgb(0xd5, 0x5e, 0x00),
        ActionField::Elderly => Rgba::rgb(0x00, 0x72, 0xb2),
        ActionField::ChildrenFamilies => Rgba::rgb(0xf0, 0xe4, 0x42),
        ActionField::Integration => Rgba::rgb(0x00, 0x9e, 0x73),
    }
}

/// Width of one stripe of a multi-field pattern, in points.
pub const STRIPE_PT: f32 = 5.0;

/// Coverage classes: flagged without measure (the gap, strong vermillion), flagged with
/// measure (bluish green), measure without flag (blue), neither (light grey). Okabe–Ito
/// colours, so the gap stands out for colour-blind readers too.
pub const COVERAGE: [Rgba; 4] = [
    Rgba::rgb(0xd5, 0x5e, 0x00),
    Rgba::rgb(0x00, 0x9e, 0x73),
    Rgba::rgb(0x56, 0xb4, 0xe9),
    Rgba::rgb(0xee, 0xee, 0xee),
];

/// Disc behind a measure count.
pub const BADGE: Rgba = Rgba::rgb(0x1f, 0x2a, 0x44);
/// Number on a measure count disc.
pub const BADGE_TEXT: Rgba = Rgba::rgb(0xff, 0xff, 0xff);

/// A texture laid over a stripe so that it can be told apart without colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Hatch {
    /// Lines from top left to bottom right ("\").
    Diagonal,
    /// Horizontal lines.
    Horizontal,
    /// Dots.
    Dots,
    /// Vertical lines.
    Vertical,
}

impl Hatch {
    /// The hatch of a Handlungsfeld (the pattern option for readers without colour vision).
    pub fn of(field: ActionField) -> Hatch {
        match field {
            ActionField::Disadvantaged => Hatch::Diagonal,
            ActionField::Elderly => Hatch::Horizontal,
            ActionField::ChildrenFamilies => Hatch::Dots,
            ActionField::Integration => Hatch::Vertical,
        }
    }

    /// Whether the point (in points, within one hatch cell of `spacing`) is ink.
    pub fn covers(self, x: f32, y: f32, spacing: f32) -> bool {
        let line = HATCH_LINE_PT;
        match self {
            Hatch::Horizontal => y.rem_euclid(spacing) < line,
            Hatch::Vertical => x.rem_euclid(spacing) < line,
            // x − y constant along a line; across it the spacing shrinks by √2.
            Hatch::Diagonal => (x - y).rem_euclid(spacing) < line * std::f32::consts::SQRT_2,
            Hatch::Dots => {
                let (dx, dy) = (
                    x.rem_euclid(spacing) - spacing / 2.0,
                    y.rem_euclid(spacing) - spacing / 2.0,
                );
                dx * dx + dy * dy < HATCH_DOT_PT * HATCH_DOT_PT
            }
        }
    }
}

/// Width of hatch lines in points.
pub const HATCH_LINE_PT: f32 = 0.7;
/// Radius of hatch dots in points.
pub const HATCH_DOT_PT: f32 = 0.75;

/// The ink of a hatch on `color`: the colour darkened, so it reads on every field colour
/// and keeps the colour's hue.
pub fn hatch_ink(color: Rgba) -> Rgba {
    let d = |c: u8| (f32::from(c) * 0.3) as u8;
    Rgba([d(color.0[0]), d(color.0[1]), d(color.0[2]), color.0[3]])
}

/// Diagonal stripes of several colours, each `stripe_pt` wide, repeating; optionally each
/// stripe with a hatch of its own.
#[derive(Debug, Clone, PartialEq)]
pub struct Pattern {
    /// The stripe colours in order.
    pub colors: Vec<Rgba>,
    /// Width of each stripe in points (measured along the x axis).
    pub stripe_pt: f32,
    /// A hatch per stripe (same order as `colors`), or empty for plain stripes.
    pub hatches: Vec<Hatch>,
}

impl Pattern {
    /// Length of one repeat in points.
    pub fn period_pt(&self) -> f32 {
        self.stripe_pt * self.colors.len() as f32
    }

    /// Distance between hatch lines: half a stripe, so that hatches repeat with the stripes.
    pub fn hatch_spacing_pt(&self) -> f32 {
        self.stripe_pt / 2.0
    }

    /// The tile of the pattern as polygons in pixels (`px_per_pt`), for vector backends:
    /// per stripe its colour, its bands (each stripe crosses a tile twice) and the polygons
    /// of its hatch, which are to be clipped to the bands. The tile is `period_pt` square.
    pub fn tile_geometry(&self, px_per_pt: f32) -> Vec<StripeGeometry> {
        let period = self.period_pt() * px_per_pt;
        let stripe = self.stripe_pt * px_per_pt;
        self.colors
            .iter()
            .enumerate()
            .map(|(k, &color)| {
                let bands = [0.0, period]
                    .iter()
                    .map(|shift| {
                        let a = shift + k as f32 * stripe;
                        let b = a + stripe;
                        vec![
                            [a + period, -period],
                            [b + period, -period],
                            [b - 2.0 * period, 2.0 * period],
                            [a - 2.0 * period, 2.0 * period],
                        ]
                    })
                    .collect();
                let hatch = self
                    .hatches
                    .get(k)
                    .map(|h| {
                        hatch_polygons(*h, period, self.hatch_spacing_pt() * px_per_pt, px_per_pt)
                    })
                    .unwrap_or_default();
                StripeGeometry {
                    color,
                    ink: hatch_ink(color),
                    bands,
                    hatch,
                }
            })
            .collect()
    }

    /// The colour at a position (in points) of the plane: stripes run from top right to
    /// bottom left, `x + y` constant along a stripe; a stripe's hatch is drawn in its ink.
    pub fn color_at(&self, x: f32, y: f32) -> Rgba {
        let period = self.period_pt();
        let t = (x + y).rem_euclid(period);
        let i = ((t / self.stripe_pt) as usize).min(self.colors.len().saturating_sub(1));
        let color = self.colors.get(i).copied().unwrap_or(NO_NEED);
        match self.hatches.get(i) {
            Some(h) if h.covers(x, y, self.hatch_spacing_pt()) => hatch_ink(color),
            _ => color,
        }
    }
}

/// One stripe of a pattern tile, for vector backends (pixels).
#[derive(Debug, Clone, PartialEq)]
pub struct StripeGeometry {
    /// The stripe's colour.
    pub color: Rgba,
    /// The colour of its hatch.
    pub ink: Rgba,
    /// The stripe's bands in the tile (to fill, and to clip the hatch to).
    pub bands: Vec<Vec<[f32; 2]>>,
    /// The hatch's polygons over the whole tile (empty without a hatch).
    pub hatch: Vec<Vec<[f32; 2]>>,
}

/// The polygons of `hatch` over a tile `tile` pixels square, lines `spacing` pixels apart.
fn hatch_polygons(hatch: Hatch, tile: f32, spacing: f32, px_per_pt: f32) -> Vec<Vec<[f32; 2]>> {
    let line = HATCH_LINE_PT * px_per_pt;
    let steps = (tile / spacing).round().max(1.0) as i32;
    let mut out = Vec::new();
    match hatch {
        Hatch::Horizontal | Hatch::Vertical => {
            for j in 0..steps {
                let a = j as f32 * spacing;
                let (x0, y0, x1, y1) = if hatch == Hatch::Horizontal {
                    (0.0, a, tile, a + line)
                } else {
                    (a, 0.0, a + line, tile)
                };
                out.push(vec![[x0, y0], [x1, y0], [x1, y1], [x0, y1]]);
            }
        }
        Hatch::Diagonal => {
            // x − y ∈ [o, o + w): from above the tile to below it.
            let w = line * std::f32::consts::SQRT_2;
            for j in -steps..=steps {
                let o = j as f32 * spacing;
                out.push(vec![
                    [o - tile, -tile],
                    [o + w - tile, -tile],
                    [o + w + 2.0 * tile, 2.0 * tile],
                    [o + 2.0 * tile, 2.0 * tile],
                ]);
            }
        }
        Hatch::Dots => {
            let r = HATCH_DOT_PT * px_per_pt;
            for j in 0..steps {
                for m in 0..steps {
                    let c = [(j as f32 + 0.5) * spacing, (m as f32 + 0.5) * spacing];
                    out.push(
                        (0..12)
                            .map(|k| {
                                let t = k as f32 * std::f32::consts::TAU / 12.0;
                                [c[0] + r * t.cos(), c[1] + r * t.sin()]
                            })
                            .collect(),
                    );
                }
            }
        }
    }
    out
}

/// How an area is filled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FillStyle {
    /// One colour.
    Solid(Rgba),
    /// A stripe pattern, by index into [`super::Scene::patterns`].
    Pattern(usize),
}

/// The fill for a set of (visible) Handlungsfelder, registering stripe patterns in `patterns`;
/// with `hatched`, every field also carries its hatch (readable without colour).
pub fn fill_for_fields(
    fields: ActionFieldSet,
    patterns: &mut Vec<Pattern>,
    hatched: bool,
) -> FillStyle {
    if fields.is_empty() || (fields.len() == 1 && !hatched) {
        return FillStyle::Solid(fields.iter().next().map_or(NO_NEED, field_color));
    }
    let pattern = Pattern {
        colors: fields.iter().map(field_color).collect(),
        stripe_pt: STRIPE_PT,
        hatches: if hatched {
            fields.iter().map(Hatch::of).collect()
        } else {
            Vec::new()
        },
    };
    let index = patterns
        .iter()
        .position(|p| *p == pattern)
        .unwrap_or_else(|| {
            patterns.push(pattern);
            patterns.len() - 1
        });
    FillStyle::Pattern(index)
}

/// The colour of a status × dynamics cell: lighter for less need (row 0), darker for more;
/// blue where need fell (first column), grey where it held, red where it rose (last column).
pub fn typology_color(row: usize, rows: usize, column: usize, columns: usize) -> Rgba {
    // Light and dark ends of the three hues.
    const LIGHT: [[f32; 3]; 3] = [
        [198.0, 219.0, 239.0],
        [230.0, 230.0, 230.0],
        [252.0, 213.0, 196.0],
    ];
    const DARK: [[f32; 3]; 3] = [[29.0, 79.0, 138.0], [74.0, 74.0, 74.0], [163.0, 29.0, 18.0]];
    let hue = if columns <= 1 {
        1
    } else if column == 0 {
        0
    } else if column + 1 == columns {
        2
    } else {
        1
    };
    let t = if rows <= 1 {
        0.5
    } else {
        row as f32 / (rows - 1) as f32
    };
    let mix = |k: usize| (LIGHT[hue][k] + (DARK[hue][k] - LIGHT[hue][k]) * t).round() as u8;
    Rgba::rgb(mix(0), mix(1), mix(2))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// sRGB (0–255) to linear light.
    fn linear(c: u8) -> f64 {
        let c = f64::from(c) / 255.0;
        if c <= 0.04045 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    }

    /// Simulated colour vision (Machado 2009, severity 1) and conversion to CIELAB.
    fn lab_seen(color: Rgba, matrix: &[[f64; 3]; 3]) -> [f64; 3] {
        let l = [linear(color.0[0]), linear(color.0[1]), linear(color.0[2])];
        let s: Vec<f64> = (0..3)
            .map(|i| {
                (0..3)
                    .map(|j| matrix[i][j] * l[j])
                    .sum::<f64>()
                    .clamp(0.0, 1.0)
            })
            .collect();
        let x = (0.4124 * s[0] + 0.3576 * s[1] + 0.1805 * s[2]) / 0.95047;
        let y = 0.2126 * s[0] + 0.7152 * s[1] + 0.0722 * s[2];
        let z = (0.0193 * s[0] + 0.1192 * s[1] + 0.9505 * s[2]) / 1.08883;
        let f = |t: f64| {
            if t > 0.008856 {
                t.cbrt()
            } else {
                7.787 * t + 16.0 / 116.0
            }
        };
        [
            116.0 * f(y) - 16.0,
            500.0 * (f(x) - f(y)),
            200.0 * (f(y) - f(z)),
        ]
    }

    #[test]
    fn field_colours_stay_apart_under_every_colour_vision_deficiency() {
        let visions: [(&str, [[f64; 3]; 3]); 4] = [
            (
                "normal",
                [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]],
            ),
            (
                "deuteranopia",
                [
                    [0.367322, 0.860646, -0.227968],
                    [0.280085, 0.672501, 0.047413],
                    [-0.011820, 0.042940, 0.968881],
                ],
            ),
            (
                "protanopia",
                [
                    [0.152286, 1.052583, -0.204868],
                    [0.114503, 0.786281, 0.099216],
                    [-0.003882, -0.048116, 1.051998],
                ],
            ),
            (
                "tritanopia",
                [
                    [1.255528, -0.076749, -0.178779],
                    [-0.078411, 0.930809, 0.147602],
                    [0.004733, 0.691367, 0.303900],
                ],
            ),
        ];
        let mut colors: Vec<Rgba> = ActionField::ALL.iter().map(|f| field_color(*f)).collect();
        colors.push(NO_NEED);
        for (name, matrix) in &visions {
            let labs: Vec<[f64; 3]> = colors.iter().map(|c| lab_seen(*c, matrix)).collect();
            for a in 0..labs.len() {
                for b in a + 1..labs.len() {
                    let d = ((labs[a][0] - labs[b][0]).powi(2)
                        + (labs[a][1] - labs[b][1]).powi(2)
                        + (labs[a][2] - labs[b][2]).powi(2))
                    .sqrt();
                    assert!(d > 15.0, "{name}: colours {a} and {b} only ΔE {d:.1} apart");
                }
            }
        }
    }

    #[test]
    fn several_fields_share_one_pattern_per_combination() {
        let mut patterns = Vec::new();
        let both =
            ActionFieldSet::from_fields([ActionField::Disadvantaged, ActionField::Integration]);
        let a = fill_for_fields(both, &mut patterns, false);
        let b = fill_for_fields(both, &mut patterns, false);
        assert_eq!(a, b);
        assert_eq!(patterns.len(), 1);
        assert_eq!(
            fill_for_fields(ActionFieldSet::EMPTY, &mut patterns, false),
            FillStyle::Solid(NO_NEED)
        );
        let p = &patterns[0];
        assert_eq!(
            p.color_at(0.5, 0.0),
            field_color(ActionField::Disadvantaged)
        );
        assert_eq!(
            p.color_at(STRIPE_PT + 0.5, 0.0),
            field_color(ActionField::Integration)
        );
        assert_eq!(
            p.color_at(2.0 * STRIPE_PT + 0.5, 0.0),
            field_color(ActionField::Disadvantaged)
        );
    }

    #[test]
    fn with_the_pattern_option_every_field_has_its_own_hatch() {
        let masks: Vec<Vec<bool>> = ActionField::ALL
            .iter()
            .map(|&f| {
                let mut patterns = Vec::new();
                let fill = fill_for_fields(ActionFieldSet::from_fields([f]), &mut patterns, true);
                assert_eq!(fill, FillStyle::Pattern(0), "{f:?} is hatched");
                let p = &patterns[0];
                let mut mask = Vec::new();
                for y in 0..50 {
                    for x in 0..50 {
                        let c = p.color_at(x as f32 * 0.1, y as f32 * 0.1);
                        assert!(c == field_color(f) || c == hatch_ink(field_color(f)));
                        mask.push(c != field_color(f));
                    }
                }
                let ink = mask.iter().filter(|m| **m).count();
                assert!(ink > 100 && ink < 1300, "{f:?}: {ink} of 2500 points ink");
                mask
            })
            .collect();
        for a in 0..masks.len() {
            for b in a + 1..masks.len() {
                assert_ne!(
                    masks[a], masks[b],
                    "fields {a} and {b} look alike without colour"
                );
            }
        }
        // Without the option a single field stays a plain colour.
        let mut patterns = Vec::new();
        let plain = ActionFieldSet::from_fields([ActionField::Elderly]);
        assert_eq!(
            fill_for_fields(plain, &mut patterns, false),
            FillStyle::Solid(field_color(ActionField::Elderly))
        );
    }
}
