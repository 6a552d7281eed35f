//! Label placement: Sozialraum codes inside their areas, never overlapping one another.
//!
//! Greedy, largest areas first: a label is shown when its text fits the area's largest
//! inscribed circle at the current scale and does not collide with a label already placed or
//! with an obstacle (legend, scale bar). Text measuring is passed in, so the screen (egui's
//! font) and the exports (the embedded font) place labels by the same rules.

use crate::spatial::label_point::LabelAnchor;
use crate::spatial::viewport::Viewport;

/// A label placed on screen.
#[derive(Debug, Clone, PartialEq)]
pub struct PlacedLabel {
    /// The area.
    pub space: usize,
    /// Centre of the text in screen points.
    pub center: [f32; 2],
    /// Width and height of the text in points.
    pub size: [f32; 2],
}

/// A screen rectangle: [min x, min y, max x, max y].
pub type ScreenRect = [f32; 4];

fn overlaps(a: ScreenRect, b: ScreenRect) -> bool {
    a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3]
}

/// Places the labels of `spaces` (their texts via `text`) for `viewport`.
pub fn place_labels<'a>(
    spaces: impl Iterator<Item = usize>,
    anchors: &[Option<LabelAnchor>],
    viewport: &Viewport,
    text: &dyn Fn(usize) -> &'a str,
    measure: &mut dyn FnMut(&str) -> [f32; 2],
    obstacles: &[ScreenRect],
) -> Vec<PlacedLabel> {
    let view = [
        viewport.offset[0],
        viewport.offset[1],
        viewport.offset[0] + viewport.size[0],
        viewport.offset[1] + viewport.size[1],
    ];
    // Candidates: visible anchors with room for at least a small label.
    let mut candidates: Vec<(usize, [f32; 2], f32)> = spaces
        .filter_map(|i| {
            let anchor = anchors.get(i).copied().flatten()?;
            let radius_px = (anchor.radius_m / viewport.m_per_px) as f32;
            if radius_px < 6.0 {
                return None;
            }
            let at = viewport.screen_from_map(anchor.pos);
            let inside =
                at[0] >= view[0] && at[0] <= view[2] && at[1] >= view[1] && at[1] <= view[3];
            inside.then_some((i, at, radius_px))
        })
        .collect();
    candidates.sort_by(|a, b| b.2.total_cmp(&a.2).then(a.0.cmp(&b.0)));
    let mut placed: Vec<PlacedLabel> = Vec::new();
    let mut taken: Vec<ScreenRect> = obstacles.to_vec();
    for (space, at, radius) in candidates {
        let label = text(space);
        if label.trim().is_empty() {
            continue;
        }
        let size = measure(label);
        // Fits when the text box stays (nearly) within the inscribed circle.
        if size[0] > 2.2 * radius || size[1] > 1.6 * radius {
            continue;
        }
        let pad = 2.0;
        let rect = [
            at[0] - size[0] / 2.0 - pad,
            at[1] - size[1] / 2.0 - pad,
            at[0] + size[0] / 2.0 + pad,
            at[1] + size[1] / 2.0 + pad,
        ];
        if rect[0] < view[0] || rect[1] < view[1] || rect[2] > view[2] || rect[3] > view[3] {
            continue;
        }
        if taken.iter().any(|t| overlaps(*t, rect)) {
            continue;
        }
        taken.push(rect);
        placed.push(PlacedLabel {
            space,
            center: at,
            size,
        });
    }
    placed
}

#[cfg(test)]
mod tests {
    use super::*;

    fn anchor(x: f64, y: f64, r: f64) -> Option<LabelAnchor> {
        Some(LabelAnchor {
            pos: [x, y],
            radius_m: r,
        })
    }

    fn place(anchors: &[Option<LabelAnchor>], obstacles: &[ScreenRect]) -> Vec<usize> {
        let viewport = Viewport::fit([0.0, 0.0, 1000.0, 1000.0], [100.0, 100.0], [0.0, 0.0], 0.0);
        let texts = ["AAAA", "BBBB", "CCCC"];
        place_labels(
            0..anchors.len(),
            anchors,
            &viewport,
            &|i| texts[i],
            &mut |t| [t.len() as f32 * 5.0, 10.0],
            obstacles,
        )
        .into_iter()
        .map(|p| p.space)
        .collect()
    }

    #[test]
    fn labels_that_fit_are_placed_and_colliding_ones_are_not() {
        // 10 m per point; text is 20 x 10 points.
        let anchors = [
            anchor(500.0, 500.0, 150.0), // room for it
            anchor(510.0, 500.0, 100.0), // collides with the first, smaller: dropped
            anchor(200.0, 200.0, 40.0),  // too small an area for its text
        ];
        assert_eq!(place(&anchors, &[]), vec![0]);
    }

    #[test]
    fn obstacles_such_as_the_legend_keep_labels_away() {
        let anchors = [anchor(500.0, 500.0, 150.0)];
        assert_eq!(
            place(&anchors, &[[40.0, 40.0, 60.0, 60.0]]),
            Vec::<usize>::new()
        );
    }
}
