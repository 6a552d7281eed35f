//! Which Sozialraum is under the cursor: an R-tree of bounding boxes, then an exact test.
//!
//! The R-tree (rstar, the version geo uses) narrows 11,000 areas to the few whose box holds
//! the point; an even-odd crossing test over their rings decides. A point in a hole is outside
//! its polygon; every part of a MultiPolygon counts.

use geo::MultiPolygon;
use rstar::primitives::{GeomWithData, Rectangle};
use rstar::{AABB, RTree};

type Entry = GeomWithData<Rectangle<[f64; 2]>, usize>;

/// Spatial index over the Sozialräume of a region.
#[derive(Debug, Default)]
pub struct SpaceIndex {
    tree: RTree<Entry>,
}

/// Bounding box of a multipolygon: [min x, min y, max x, max y].
pub fn bounds_of(geometry: &MultiPolygon<f64>) -> Option<[f64; 4]> {
    let mut b: Option<[f64; 4]> = None;
    for poly in &geometry.0 {
        for c in &poly.exterior().0 {
            b = Some(match b {
                None => [c.x, c.y, c.x, c.y],
                Some(b) => [b[0].min(c.x), b[1].min(c.y), b[2].max(c.x), b[3].max(c.y)],
            });
        }
    }
    b
}

/// The box around the areas `spaces` of `region`, grown by `pad` (a share of its larger
/// side) on every side; None when none of them has geometry.
pub fn bounds_of_spaces(
    region: &crate::model::Region,
    spaces: &[usize],
    pad: f64,
) -> Option<[f64; 4]> {
    let b = spaces
        .iter()
        .filter_map(|&i| region.spaces.get(i))
        .filter_map(|s| bounds_of(&s.geometry))
        .reduce(|a, b| {
            [
                a[0].min(b[0]),
                a[1].min(b[1]),
                a[2].max(b[2]),
                a[3].max(b[3]),
            ]
        })?;
    let grow = pad * (b[2] - b[0]).max(b[3] - b[1]);
    Some([b[0] - grow, b[1] - grow, b[2] + grow, b[3] + grow])
}

/// Even-odd test of `p` against every ring of every polygon.
pub fn contains(geometry: &MultiPolygon<f64>, p: [f64; 2]) -> bool {
    geometry.0.iter().any(|poly| {
        let mut inside = false;
        for ring in std::iter::once(poly.exterior()).chain(poly.interiors()) {
            for w in ring.0.windows(2) {
                let (a, b) = (w[0], w[1]);
                if (a.y > p[1]) != (b.y > p[1])
                    && p[0] < (b.x - a.x) * (p[1] - a.y) / (b.y - a.y) + a.x
                {
                    inside = !inside;
                }
            }
        }
        inside
    })
}

impl SpaceIndex {
    /// Builds the index from each area's bounding box (None for areas without one).
    pub fn new(bounds: &[Option<[f64; 4]>]) -> Self {
        let entries = bounds
            .iter()
            .enumerate()
            .filter_map(|(i, b)| {
                b.map(|b| Entry::new(Rectangle::from_corners([b[0], b[1]], [b[2], b[3]]), i))
            })
            .collect();
        SpaceIndex {
            tree: RTree::bulk_load(entries),
        }
    }

    /// The area containing `p` (planar metres), if any. `geometry(i)` gives area i's shape.
    pub fn hit<'a>(
        &self,
        p: [f64; 2],
        geometry: impl Fn(usize) -> &'a MultiPolygon<f64>,
    ) -> Option<usize> {
        let mut candidates: Vec<usize> =
            self.tree.locate_all_at_point(&p).map(|e| e.data).collect();
        // Deterministic answer where areas overlap: the first in file order wins.
        candidates.sort_unstable();
        candidates.into_iter().find(|i| contains(geometry(*i), p))
    }

    /// Areas whose box intersects the rectangle `min`–`max`, sorted.
    pub fn in_rect(&self, min: [f64; 2], max: [f64; 2]) -> Vec<usize> {
        let mut found: Vec<usize> = self
            .tree
            .locate_in_envelope_intersecting(&AABB::from_corners(min, max))
            .map(|e| e.data)
            .collect();
        found.sort_unstable();
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{LineString, Polygon};

    fn square(x0: f64, y0: f64, size: f64) -> LineString<f64> {
        LineString::from(vec![
            (x0, y0),
            (x0 + size, y0),
            (x0 + size, y0 + size),
            (x0, y0 + size),
            (x0, y0),
        ])
    }

    fn areas() -> Vec<MultiPolygon<f64>> {
        vec![
            // 0: a square with a hole
            MultiPolygon(vec![Polygon::new(
                square(0.0, 0.0, 10.0),
                vec![square(3.0, 3.0, 4.0)],
            )]),
            // 1: the hole's filling
            MultiPolygon(vec![Polygon::new(square(3.0, 3.0, 4.0), vec![])]),
            // 2: two parts far apart
            MultiPolygon(vec![
                Polygon::new(square(20.0, 0.0, 5.0), vec![]),
                Polygon::new(square(40.0, 40.0, 5.0), vec![]),
            ]),
        ]
    }

    #[test]
    fn hits_are_exact_for_holes_parts_and_empty_space() {
        let areas = areas();
        let index = SpaceIndex::new(&areas.iter().map(bounds_of).collect::<Vec<_>>());
        let cases = [
            ([1.0, 1.0], Some(0)),   // in the ring around the hole
            ([5.0, 5.0], Some(1)),   // inside the hole: not area 0, but the area filling it
            ([22.0, 2.0], Some(2)),  // first part of the multipolygon
            ([42.0, 42.0], Some(2)), // second part
            ([30.0, 30.0], None),    // inside area 2's bounding box, outside both parts
            ([-5.0, 5.0], None),     // outside everything
        ];
        for (p, expected) in cases {
            assert_eq!(index.hit(p, |i| &areas[i]), expected, "{p:?}");
        }
    }

    #[test]
    fn a_rectangle_query_finds_intersecting_boxes() {
        let areas = areas();
        let index = SpaceIndex::new(&areas.iter().map(bounds_of).collect::<Vec<_>>());
        assert_eq!(index.in_rect([8.0, 8.0], [21.0, 9.0]), vec![0, 2]);
    }
}
