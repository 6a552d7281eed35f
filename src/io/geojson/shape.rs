//! From raw coordinates to polygons: structure by geometry type, then ring checks.
//!
//! Split in two so that projection can run on the flat coordinate buffer in between:
//! [`shape_of`] decides which positions form which ring of which polygon, and
//! [`build_polygons`] turns the (projected) rings into `geo` polygons, closing open rings and
//! dropping rings too short to enclose anything, with a problem noted for each repair.

use std::ops::Range;

use geo::{Coord, LineString, MultiPolygon, Polygon};

use super::coords::CoordBuf;
use super::reader::RawGeometry;
use crate::io::report::{Effect, ProblemKind};

/// A geometry's positions and which ranges of them are rings of which polygon.
#[derive(Debug, Clone, PartialEq)]
pub struct Shape {
    /// "Polygon" or "MultiPolygon".
    pub kind: String,
    /// All positions.
    pub xy: Vec<[f64; 2]>,
    /// Per polygon, its rings as ranges into `xy`; the first ring is the outer one.
    pub polygons: Vec<Vec<Range<usize>>>,
}

/// The geometry type as reported, for the import report's type count.
pub fn type_name(geometry: &RawGeometry) -> String {
    match geometry {
        RawGeometry::Absent | RawGeometry::Null => "null".to_string(),
        RawGeometry::NotAnObject => "?".to_string(),
        RawGeometry::Object { kind, .. } => kind.clone().unwrap_or_else(|| "?".to_string()),
    }
}

/// Interprets a raw geometry as polygons; an error means the whole feature is unusable.
pub fn shape_of(geometry: RawGeometry) -> Result<Shape, ProblemKind> {
    let (kind, coords) = match geometry {
        RawGeometry::Absent | RawGeometry::Null => return Err(ProblemKind::NoGeometry),
        RawGeometry::NotAnObject => return Err(ProblemKind::GeometryNotAnObject),
        RawGeometry::Object { kind: None, .. } => return Err(ProblemKind::MissingGeometryType),
        RawGeometry::Object {
            kind: Some(kind),
            coords,
        } => (kind, coords),
    };
    let leaf_depth = match kind.as_str() {
        "Polygon" => 2u8,
        "MultiPolygon" => 3u8,
        _ => return Err(ProblemKind::UnsupportedGeometry(kind)),
    };
    let Some(buf) = coords else {
        return Err(ProblemKind::EmptyGeometry);
    };
    if let Some(problem) = buf.problem {
        return Err(ProblemKind::BadCoordinates(problem));
    }
    match buf.leaf_depth {
        None => return Err(ProblemKind::EmptyGeometry),
        Some(d) if d != leaf_depth => return Err(ProblemKind::WrongNesting { kind }),
        Some(_) => {}
    }
    let polygons = if leaf_depth == 2 {
        vec![ring_ranges(&buf.ends[1])]
    } else {
        polygon_rings(&buf)
    };
    Ok(Shape {
        kind,
        xy: buf.xy,
        polygons,
    })
}

/// Consecutive ranges from container ends given in positions.
fn ring_ranges(ends: &[(u32, u32)]) -> Vec<Range<usize>> {
    let mut start = 0usize;
    ends.iter()
        .map(|&(end, _)| {
            let end = end as usize;
            let range = start..end;
            start = end;
            range
        })
        .collect()
}

/// For a MultiPolygon: rings from depth 2, grouped by the ring counts recorded at depth 1.
fn polygon_rings(buf: &CoordBuf) -> Vec<Vec<Range<usize>>> {
    let rings = ring_ranges(&buf.ends[2]);
    let mut first_ring = 0usize;
    buf.ends[1]
        .iter()
        .map(|&(_, ring_count)| {
            let last = (ring_count as usize).min(rings.len());
            let group = rings[first_ring.min(last)..last].to_vec();
            first_ring = last;
            group
        })
        .collect()
}

/// A problem found while building polygons, with what was done about it.
pub type ShapeProblem = (ProblemKind, Effect);

/// Per polygon, whether its outer ring encloses no area in the file's own coordinates (checked
/// before projection: points on one line in lon/lat are not quite on one line in metres).
pub fn flat_polygons(xy: &[[f64; 2]], polygons: &[Vec<Range<usize>>]) -> Vec<bool> {
    polygons
        .iter()
        .map(|rings| {
            rings
                .first()
                .and_then(|r| xy.get(r.clone()))
                .is_some_and(points_enclose_no_area)
        })
        .collect()
}

/// Builds polygons from (projected) positions; `flat` (from [`flat_polygons`], may be empty)
/// marks polygons without area in the source. Returns None when no polygon is usable.
pub fn build_polygons(
    xy: &[[f64; 2]],
    polygons: &[Vec<Range<usize>>],
    flat: &[bool],
    problems: &mut Vec<ShapeProblem>,
) -> Option<MultiPolygon<f64>> {
    let mut out = Vec::with_capacity(polygons.len());
    for (p, rings) in polygons.iter().enumerate() {
        let polygon_no = p + 1;
        let mut exterior: Option<LineString<f64>> = None;
        let mut holes = Vec::new();
        for (r, range) in rings.iter().enumerate() {
            let ring_no = r + 1;
            let Some(points) = xy.get(range.clone()) else {
                continue;
            };
            let mut coords: Vec<Coord<f64>> = Vec::with_capacity(points.len() + 1);
            coords.extend(points.iter().map(|p| Coord { x: p[0], y: p[1] }));
            let closed = coords.len() >= 2 && coords.first() == coords.last();
            if !closed && coords.len() >= 3 {
                problems.push((
                    ProblemKind::RingNotClosed {
                        polygon: polygon_no,
                        ring: ring_no,
                    },
                    Effect::Repaired,
                ));
                coords.push(coords[0]);
            }
            if coords.len() < 4 {
                problems.push((
                    ProblemKind::RingTooShort {
                        polygon: polygon_no,
                        ring: ring_no,
                        points: points.len(),
                    },
                    Effect::PartDropped,
                ));
                if r == 0 {
                    break;
                }
                continue;
            }
            if r == 0 {
                exterior = Some(LineString(coords));
            } else {
                holes.push(LineString(coords));
            }
        }
        let Some(exterior) = exterior else {
            continue;
        };
        if flat.get(p).copied().unwrap_or(false) || encloses_no_area(&exterior.0) {
            problems.push((
                ProblemKind::ZeroArea {
                    polygon: polygon_no,
                },
                Effect::PartDropped,
            ));
            continue;
        }
        check_rings(polygon_no, &exterior, &mut holes, problems);
        out.push(Polygon::new(exterior, holes));
    }
    if out.is_empty() {
        None
    } else {
        Some(MultiPolygon(out))
    }
}

/// Whether a closed ring encloses no area worth drawing: its points lie on one line, up to a
/// billionth of its bounding box. Measured as the sum of the fan triangles' unsigned areas,
/// so a bow tie, whose two halves cancel in the signed area, still counts as an area.
fn encloses_no_area(ring: &[Coord<f64>]) -> bool {
    flat(ring.iter().map(|c| [c.x, c.y]))
}

/// [`encloses_no_area`] for positions (the ring may be open or closed).
fn points_enclose_no_area(points: &[[f64; 2]]) -> bool {
    flat(points.iter().copied().chain(points.first().copied()))
}

fn flat(mut ring: impl Iterator<Item = [f64; 2]>) -> bool {
    let Some(o) = ring.next() else {
        return true;
    };
    let (mut min, mut max) = (o, o);
    let mut fan = 0.0;
    let mut previous = o;
    for p in ring {
        fan += ((previous[0] - o[0]) * (p[1] - o[1]) - (p[0] - o[0]) * (previous[1] - o[1])).abs();
        min = [min[0].min(p[0]), min[1].min(p[1])];
        max = [max[0].max(p[0]), max[1].max(p[1])];
        previous = p;
    }
    let box_area = (max[0] - min[0]) * (max[1] - min[1]);
    let fan = fan / 2.0;
    !(fan > 0.0 && fan > box_area * 1e-9)
}

/// Reports rings that cross themselves (kept: drawing and most uses still work) and drops
/// holes that lie outside the outer ring.
fn check_rings(
    polygon: usize,
    exterior: &LineString<f64>,
    holes: &mut Vec<LineString<f64>>,
    problems: &mut Vec<ShapeProblem>,
) {
    if super::rings::crosses_itself(&exterior.0) {
        problems.push((
            ProblemKind::SelfIntersection { polygon, ring: 1 },
            Effect::KeptAsIs,
        ));
    }
    let mut ring = 1;
    holes.retain(|hole| {
        ring += 1;
        if super::rings::crosses_itself(&hole.0) {
            problems.push((
                ProblemKind::SelfIntersection { polygon, ring },
                Effect::KeptAsIs,
            ));
        }
        let inside = super::rings::hole_inside(&exterior.0, &hole.0);
        if !inside {
            problems.push((
                ProblemKind::HoleOutside { polygon, ring },
                Effect::PartDropped,
            ));
        }
        inside
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::geojson::reader::read_document;
    use geo::Area;

    fn geometry(json: &str) -> RawGeometry {
        let doc = read_document(
            format!(r#"{{"type":"FeatureCollection","features":[{{"type":"Feature","geometry":{json}}}]}}"#)
                .as_bytes(),
            &mut |_| true,
        )
        .expect("valid json");
        doc.features.into_iter().next().expect("one").geometry
    }

    fn build(json: &str) -> (Option<MultiPolygon<f64>>, Vec<ShapeProblem>) {
        let shape = shape_of(geometry(json)).expect("shape");
        let mut problems = Vec::new();
        let mp = build_polygons(&shape.xy, &shape.polygons, &[], &mut problems);
        (mp, problems)
    }

    #[test]
    fn a_polygon_with_a_hole_keeps_the_hole() {
        let (mp, problems) = build(
            r#"{"type":"Polygon","coordinates":[[[0,0],[10,0],[10,10],[0,10],[0,0]],[[2,2],[4,2],[4,4],[2,2]]]}"#,
        );
        let mp = mp.expect("usable");
        assert_eq!(mp.0.len(), 1);
        assert_eq!(mp.0[0].interiors().len(), 1);
        assert!(problems.is_empty());
        assert!((mp.unsigned_area() - 98.0).abs() < 1e-9);
    }

    #[test]
    fn a_multipolygon_keeps_every_part_and_its_holes() {
        let (mp, problems) = build(
            r#"{"type":"MultiPolygon","coordinates":[
                [[[0,0],[10,0],[10,10],[0,0]]],
                [[[20,0],[30,0],[30,10],[20,10],[20,0]],[[22,2],[24,2],[24,4],[22,2]]]]}"#,
        );
        let mp = mp.expect("usable");
        assert_eq!(mp.0.len(), 2);
        assert_eq!(mp.0[0].interiors().len(), 0);
        assert_eq!(mp.0[1].interiors().len(), 1);
        assert!(problems.is_empty());
    }

    #[test]
    fn an_unclosed_ring_is_closed_and_reported() {
        let (mp, problems) =
            build(r#"{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1]]]}"#);
        let mp = mp.expect("usable");
        assert_eq!(mp.0[0].exterior().0.len(), 5);
        assert_eq!(
            problems,
            vec![(
                ProblemKind::RingNotClosed {
                    polygon: 1,
                    ring: 1
                },
                Effect::Repaired
            )]
        );
    }

    #[test]
    fn a_too_short_hole_is_dropped_but_the_polygon_stays() {
        let (mp, problems) = build(
            r#"{"type":"Polygon","coordinates":[[[0,0],[10,0],[10,10],[0,0]],[[1,1],[2,2],[1,1]]]}"#,
        );
        assert_eq!(mp.expect("usable").0[0].interiors().len(), 0);
        assert_eq!(
            problems,
            vec![(
                ProblemKind::RingTooShort {
                    polygon: 1,
                    ring: 2,
                    points: 3
                },
                Effect::PartDropped
            )]
        );
    }

    #[test]
    fn a_too_short_outer_ring_leaves_nothing() {
        let (mp, problems) = build(r#"{"type":"Polygon","coordinates":[[[0,0],[1,1],[0,0]]]}"#);
        assert!(mp.is_none());
        assert_eq!(problems.len(), 1);
    }

    #[test]
    fn a_flat_polygon_has_no_area_and_is_dropped() {
        let (mp, problems) =
            build(r#"{"type":"Polygon","coordinates":[[[0,0],[1,1],[2,2],[0,0]]]}"#);
        assert!(mp.is_none());
        assert_eq!(problems[0].0, ProblemKind::ZeroArea { polygon: 1 });
    }

    #[test]
    fn unusable_geometries_say_why() {
        let cases = [
            ("null", ProblemKind::NoGeometry),
            ("7", ProblemKind::GeometryNotAnObject),
            (r#"{"coordinates":[]}"#, ProblemKind::MissingGeometryType),
            (
                r#"{"type":"Point","coordinates":[1,2]}"#,
                ProblemKind::UnsupportedGeometry("Point".into()),
            ),
            (
                r#"{"type":"Polygon","coordinates":[]}"#,
                ProblemKind::EmptyGeometry,
            ),
            (r#"{"type":"Polygon"}"#, ProblemKind::EmptyGeometry),
            (
                r#"{"type":"Polygon","coordinates":[[[[0,0],[1,0],[1,1],[0,0]]]]}"#,
                ProblemKind::WrongNesting {
                    kind: "Polygon".into(),
                },
            ),
        ];
        for (json, expected) in cases {
            assert_eq!(
                shape_of(geometry(json)).expect_err(json),
                expected,
                "{json}"
            );
        }
    }
}
