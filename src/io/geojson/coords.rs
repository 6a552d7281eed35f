//! Streaming decoder for the nested `coordinates` arrays of a GeoJSON geometry.
//!
//! Positions go into one flat buffer and every closing bracket records where its container
//! ended, so a MultiPolygon with a million vertices costs a handful of allocations, and the
//! nesting can be interpreted after the geometry's `type` is known (which may come later in
//! the object). Nothing here fails on bad content: a string where a number belongs, a
//! one-number position or an over-deep nesting are noted in [`CoordBuf::problem`] and the
//! rest of the input is consumed, so one bad feature never stops the whole file.

use std::fmt;

use serde::de::{DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};

/// Deepest nesting we record: MultiPolygon positions sit at depth 3.
pub const MAX_DEPTH: usize = 4;

/// What was wrong with the coordinates of one geometry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CoordProblem {
    /// A value that is not a number where a coordinate belongs (string, null, object, …).
    NonNumeric,
    /// A position with fewer than two numbers.
    ShortPosition,
    /// Numbers and arrays mixed in one array, or positions at different depths.
    MixedNesting,
    /// Deeper nesting than any supported geometry type.
    TooDeep,
    /// `coordinates` is not an array.
    NotAnArray,
    /// A number that is not finite after parsing.
    NotFinite,
}

/// The decoded coordinates of one geometry.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CoordBuf {
    /// All positions, x/y only (a third value such as Z is dropped).
    pub xy: Vec<[f64; 2]>,
    /// For each depth `d >= 1`, one entry per container closed at that depth:
    /// `(positions so far, containers at depth d+1 so far)`.
    pub ends: [Vec<(u32, u32)>; MAX_DEPTH],
    /// Depth of the position arrays (2 for Polygon, 3 for MultiPolygon).
    pub leaf_depth: Option<u8>,
    /// The first problem found.
    pub problem: Option<CoordProblem>,
}

impl CoordBuf {
    /// The buffer of a MultiPolygon with these polygons (outer ring first, then holes), as the
    /// decoder would produce it from GeoJSON: how Shapefile and GeoPackage geometry join the
    /// one import pipeline.
    pub fn multipolygon(polygons: Vec<Vec<Vec<[f64; 2]>>>) -> CoordBuf {
        let mut buf = CoordBuf {
            leaf_depth: Some(3),
            ..CoordBuf::default()
        };
        let mut rings = 0u32;
        for polygon in polygons {
            for ring in polygon {
                buf.xy.extend(ring);
                rings += 1;
                buf.ends[2].push((buf.xy.len() as u32, 0));
            }
            buf.ends[1].push((buf.xy.len() as u32, rings));
        }
        if buf.xy.is_empty() {
            buf.leaf_depth = None;
        }
        if buf.xy.iter().flatten().any(|v| !v.is_finite()) {
            buf.note(CoordProblem::NotFinite);
        }
        buf
    }

    /// Empties the buffer and keeps its memory, for the next geometry.
    pub fn clear(&mut self) {
        self.xy.clear();
        for e in &mut self.ends {
            e.clear();
        }
        self.leaf_depth = None;
        self.problem = None;
    }

    fn note(&mut self, problem: CoordProblem) {
        if self.problem.is_none() {
            self.problem = Some(problem);
        }
    }
}

/// Seed that decodes a whole `coordinates` value into a [`CoordBuf`].
pub struct CoordsSeed<'a>(pub &'a mut CoordBuf);

impl<'de> DeserializeSeed<'de> for CoordsSeed<'_> {
    type Value = ();

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        // A scalar at the top is noted by the visitor itself (depth 0).
        d.deserialize_any(NodeVisitor {
            buf: self.0,
            depth: 0,
        })
        .map(|_| ())
    }
}

/// What one element of a coordinates array turned out to be.
enum Node {
    Number(f64),
    Array,
    Other,
}

struct NodeVisitor<'a> {
    buf: &'a mut CoordBuf,
    depth: usize,
}

impl NodeVisitor<'_> {
    fn scalar<E>(self, value: Node) -> Result<Node, E> {
        if self.depth == 0 {
            self.buf.note(CoordProblem::NotAnArray);
        }
        Ok(value)
    }
}

impl<'de> Visitor<'de> for NodeVisitor<'_> {
    type Value = Node;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a coordinate array")
    }

    fn visit_f64<E>(self, v: f64) -> Result<Node, E> {
        self.scalar(Node::Number(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Node, E> {
        self.scalar(Node::Number(v as f64))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Node, E> {
        self.scalar(Node::Number(v as f64))
    }
    fn visit_str<E>(self, _: &str) -> Result<Node, E> {
        self.scalar(Node::Other)
    }
    fn visit_bool<E>(self, _: bool) -> Result<Node, E> {
        self.scalar(Node::Other)
    }
    fn visit_unit<E>(self) -> Result<Node, E> {
        self.scalar(Node::Other)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Node, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        self.scalar(Node::Other)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Node, A::Error> {
        let buf = self.buf;
        let depth = self.depth;
        if depth >= MAX_DEPTH {
            buf.note(CoordProblem::TooDeep);
            while seq.next_element::<IgnoredAny>()?.is_some() {}
            return Ok(Node::Array);
        }
        let mut numbers = 0usize;
        let mut arrays = 0usize;
        let mut position = [0.0f64; 2];
        while let Some(node) = seq.next_element_seed(ChildSeed {
            buf: &mut *buf,
            depth: depth + 1,
        })? {
            match node {
                Node::Number(v) => {
                    if numbers < 2 {
                        position[numbers] = v;
                    }
                    numbers += 1;
                }
                Node::Array => arrays += 1,
                Node::Other => buf.note(CoordProblem::NonNumeric),
            }
        }
        if numbers > 0 && arrays > 0 {
            buf.note(CoordProblem::MixedNesting);
        } else if numbers > 0 {
            if numbers < 2 {
                buf.note(CoordProblem::ShortPosition);
            } else if !(position[0].is_finite() && position[1].is_finite()) {
                buf.note(CoordProblem::NotFinite);
            } else {
                buf.xy.push(position);
            }
            match buf.leaf_depth {
                None => buf.leaf_depth = Some(depth as u8),
                Some(d) if usize::from(d) != depth => buf.note(CoordProblem::MixedNesting),
                Some(_) => {}
            }
        } else if depth >= 1 {
            // A container (ring, polygon, …), possibly empty.
            let below = buf.ends.get(depth + 1).map_or(0, Vec::len);
            let entry = (
                u32::try_from(buf.xy.len()).unwrap_or(u32::MAX),
                u32::try_from(below).unwrap_or(u32::MAX),
            );
            buf.ends[depth].push(entry);
        }
        Ok(Node::Array)
    }
}

struct ChildSeed<'a> {
    buf: &'a mut CoordBuf,
    depth: usize,
}

impl<'de> DeserializeSeed<'de> for ChildSeed<'_> {
    type Value = Node;

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Node, D::Error> {
        d.deserialize_any(NodeVisitor {
            buf: self.buf,
            depth: self.depth,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(json: &str) -> CoordBuf {
        let mut buf = CoordBuf::default();
        let mut de = serde_json::Deserializer::from_str(json);
        CoordsSeed(&mut buf)
            .deserialize(&mut de)
            .expect("valid json");
        buf
    }

    #[test]
    fn a_polygon_with_a_hole_records_two_ring_ends() {
        let buf = decode("[[[0,0],[4,0],[4,4],[0,0]],[[1,1],[2,1],[2,2],[1,1]]]");
        assert_eq!(buf.xy.len(), 8);
        assert_eq!(buf.leaf_depth, Some(2));
        assert_eq!(buf.ends[1], vec![(4, 0), (8, 0)]);
        assert_eq!(buf.problem, None);
    }

    #[test]
    fn a_multipolygon_records_rings_per_polygon() {
        let buf = decode("[[[[0,0],[1,0],[1,1],[0,0]]],[[[5,5],[6,5],[6,6],[5,5]],[]]]");
        assert_eq!(buf.leaf_depth, Some(3));
        assert_eq!(buf.ends[2], vec![(4, 0), (8, 0), (8, 0)]);
        assert_eq!(buf.ends[1], vec![(4, 1), (8, 3)]);
    }

    #[test]
    fn a_third_coordinate_is_dropped() {
        let buf = decode("[[[0,0,5],[1,0,5],[1,1,5],[0,0,5]]]");
        assert_eq!(buf.xy[1], [1.0, 0.0]);
        assert_eq!(buf.problem, None);
    }

    #[test]
    fn bad_content_is_noted_not_fatal() {
        let cases = [
            (r#"[[["a",0],[1,0],[1,1],[0,0]]]"#, CoordProblem::NonNumeric),
            ("[[[0],[1,0],[1,1],[0,0]]]", CoordProblem::ShortPosition),
            ("[[[0,0],1,[1,1],[0,0]]]", CoordProblem::MixedNesting),
            ("[[[[[[0,0]]]]]]", CoordProblem::TooDeep),
            ("5", CoordProblem::NotAnArray),
            (r#"{"a":1}"#, CoordProblem::NotAnArray),
            ("[[[null,0],[1,0],[1,1],[0,0]]]", CoordProblem::NonNumeric),
        ];
        for (json, problem) in cases {
            assert_eq!(decode(json).problem, Some(problem), "{json}");
        }
    }
}
