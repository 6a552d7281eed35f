//! Reading a large FeatureCollection on every core: the `features` array is cut into pieces
//! at element boundaries and the pieces are decoded in parallel.
//!
//! The cut points are guesses (`}` `,` `{` near evenly spaced positions), and a guess inside a
//! string or a nested object would cut a feature in two. A guess is accepted only if the piece
//! before it, decoded element by element from a known boundary, ends exactly on it; JSON is
//! parsed deterministically from the array's start, so that proves the guess a real boundary.
//! Anything unexpected - a bad guess, a syntax error, a document of another shape - returns
//! None, and the serial reader reads the whole file (and gives the exact error position).

use super::reader::{RawDocument, RawFeature, ReadError, read_document};
use rayon::prelude::*;

/// Files smaller than this are read serially: splitting would cost more than it saves.
const MIN_PARALLEL_BYTES: usize = 4 << 20;
/// Pieces per thread: enough for progress reports and cancellation between rounds.
const PIECES_PER_THREAD: usize = 8;
/// Largest piece, in bytes (see `read_parallel`).
const MAX_PIECE_BYTES: usize = 4 << 20;

fn is_ws(b: u8) -> bool {
    matches!(b, b' ' | b'\n' | b'\r' | b'\t')
}

fn skip_ws(bytes: &[u8], mut pos: usize) -> usize {
    while bytes.get(pos).copied().is_some_and(is_ws) {
        pos += 1;
    }
    pos
}

/// The position just after the `[` of the top-level `"features"` array, found by walking the
/// members before it (strings and nesting respected). None if there is no such array.
fn features_array_start(bytes: &[u8]) -> Option<usize> {
    let mut pos = skip_ws(bytes, 0);
    if bytes.get(pos) != Some(&b'{') {
        return None;
    }
    pos += 1;
    loop {
        pos = skip_ws(bytes, pos);
        // A member: "name" : value
        let (name, after) = string_at(bytes, pos)?;
        pos = skip_ws(bytes, after);
        if bytes.get(pos) != Some(&b':') {
            return None;
        }
        pos = skip_ws(bytes, pos + 1);
        if name == b"features" {
            return (bytes.get(pos) == Some(&b'[')).then_some(pos + 1);
        }
        pos = skip_ws(bytes, skip_value(bytes, pos)?);
        match bytes.get(pos) {
            Some(b',') => pos += 1,
            _ => return None,
        }
    }
}

/// The raw bytes of the JSON string starting at `pos` and the position after it.
fn string_at(bytes: &[u8], pos: usize) -> Option<(&[u8], usize)> {
    if bytes.get(pos) != Some(&b'"') {
        return None;
    }
    let mut i = pos + 1;
    loop {
        match bytes.get(i)? {
            b'"' => return Some((&bytes[pos + 1..i], i + 1)),
            b'\\' => i += 2,
            _ => i += 1,
        }
    }
}

/// The position after the JSON value starting at `pos` (a structural skip, no validation).
fn skip_value(bytes: &[u8], pos: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut i = pos;
    loop {
        match bytes.get(i)? {
            b'"' => i = string_at(bytes, i)?.1,
            b'{' | b'[' => {
                depth += 1;
                i += 1;
            }
            b'}' | b']' => {
                depth = depth.checked_sub(1)?;
                i += 1;
                if depth == 0 {
                    return Some(i);
                }
            }
            b',' if depth == 0 => return Some(i),
            _ => {
                i += 1;
                if depth == 0 && bytes.get(i).is_none_or(|b| matches!(b, b',' | b'}' | b']')) {
                    return Some(i);
                }
            }
        }
    }
}

/// A likely element boundary at or after `from`: the `,` in `}` `,` `{` (whitespace allowed).
fn guess_boundary(bytes: &[u8], from: usize, before: usize) -> Option<usize> {
    let mut i = from;
    while i < before {
        let comma = i + memchr_comma(&bytes[i..before])?;
        let mut back = comma;
        while back > 0 && is_ws(bytes[back - 1]) {
            back -= 1;
        }
        let ahead = skip_ws(bytes, comma + 1);
        if back > 0 && bytes[back - 1] == b'}' && bytes.get(ahead) == Some(&b'{') {
            return Some(comma);
        }
        i = comma + 1;
    }
    None
}

fn memchr_comma(bytes: &[u8]) -> Option<usize> {
    bytes.iter().position(|&b| b == b',')
}

/// How a piece ended.
enum PieceEnd {
    /// On the next piece's start (a `,`).
    Boundary,
    /// On the array's closing `]`, at this position.
    ArrayEnd(usize),
}

/// Decodes the features from `start` (an element's first byte) to the boundary `end` (a `,`),
/// or to the array's end when `end` is None.
fn read_piece(
    bytes: &[u8],
    start: usize,
    end: Option<usize>,
) -> Option<(Vec<RawFeature>, PieceEnd)> {
    let mut features = Vec::new();
    let mut pos = skip_ws(bytes, start);
    let limit = end.unwrap_or(bytes.len());
    if end.is_none() && bytes.get(pos) == Some(&b']') {
        return Some((features, PieceEnd::ArrayEnd(pos)));
    }
    loop {
        let mut stream =
            serde_json::Deserializer::from_slice(bytes.get(pos..limit)?).into_iter::<RawFeature>();
        features.push(stream.next()?.ok()?);
        pos = skip_ws(bytes, pos + stream.byte_offset());
        match (bytes.get(pos), end) {
            (Some(b','), Some(e)) if pos == e => return Some((features, PieceEnd::Boundary)),
            (Some(b','), _) if pos < limit => pos = skip_ws(bytes, pos + 1),
            (Some(b']'), None) => return Some((features, PieceEnd::ArrayEnd(pos))),
            _ => return None,
        }
    }
}

/// Reads `bytes` in parallel if it is a large plain FeatureCollection; None means "read it
/// serially" (small file, other shape, or anything unexpected). `on_progress` gets the
/// features read so far between rounds and returns false to cancel.
pub fn read_parallel(
    bytes: &[u8],
    on_progress: &mut dyn FnMut(usize) -> bool,
) -> Option<Result<RawDocument, ReadError>> {
    if bytes.len() < MIN_PARALLEL_BYTES || rayon::current_num_threads() < 2 {
        return None;
    }
    let array_start = features_array_start(bytes)?;
    let threads = rayon::current_num_threads();
    // At most MAX_PIECE_BYTES a piece, so that a round (two pieces a thread) stays short
    // and cancelling takes effect within a fraction of a second even for huge files.
    let pieces = (threads * PIECES_PER_THREAD).max((bytes.len() - array_start) / MAX_PIECE_BYTES);
    let span = (bytes.len() - array_start) / pieces;
    let mut starts = vec![array_start];
    let mut cuts: Vec<usize> = Vec::new();
    for k in 1..pieces {
        let from = array_start + k * span;
        let before = (from + span).min(bytes.len());
        if let Some(cut) = guess_boundary(bytes, from, before)
            && cut > *cuts.last().unwrap_or(&array_start)
        {
            cuts.push(cut);
            starts.push(cut + 1);
        }
    }
    let mut features: Vec<RawFeature> = Vec::new();
    let mut array_end = None;
    let jobs: Vec<(usize, Option<usize>)> = starts
        .iter()
        .enumerate()
        .map(|(k, &s)| (s, cuts.get(k).copied()))
        .collect();
    for round in jobs.chunks(threads * 2) {
        let results: Vec<Option<(Vec<RawFeature>, PieceEnd)>> = round
            .par_iter()
            .map(|&(start, end)| read_piece(bytes, start, end))
            .collect();
        for result in results {
            let (piece, ending) = result?;
            features.extend(piece);
            if let PieceEnd::ArrayEnd(at) = ending {
                array_end = Some(at);
            }
        }
        if !on_progress(features.len()) {
            return Some(Err(ReadError::Cancelled));
        }
    }
    let array_end = array_end?;
    // The rest of the document (type, crs, name, other members) with an empty array.
    let mut skeleton = Vec::with_capacity(array_start + bytes.len() - array_end + 1);
    skeleton.extend_from_slice(&bytes[..array_start]);
    skeleton.extend_from_slice(&bytes[array_end..]);
    let mut doc = read_document(&skeleton, &mut |_| true).ok()?;
    if !doc.features.is_empty() {
        return None;
    }
    doc.features = features;
    Some(Ok(doc))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn collection(n: usize, tricky: bool) -> String {
        let features: Vec<String> = (0..n)
            .map(|i| {
                let name = if tricky && i % 7 == 0 {
                    // A string that looks like a boundary, and nested objects in a list.
                    r#""he said }, { no","list":[{"a":1},{"b":2}]"#.to_string()
                } else {
                    format!(r#""area {i}""#)
                };
                format!(
                    r#"{{"type":"Feature","properties":{{"code":"A{i}","name":{name}}},
                    "geometry":{{"type":"Polygon","coordinates":[[[{i},0],[{i}.5,0],[{i}.5,1],[{i},0]]]}}}}"#
                )
            })
            .collect();
        format!(
            r#"{{"type":"FeatureCollection","name":"test","crs":{{"type":"name","properties":{{"name":"EPSG:25832"}}}},
            "features":[
{}
],"atlas":{{"title":"x"}}}}"#,
            features.join(",\n")
        )
    }

    #[test]
    fn parallel_reading_gives_exactly_what_serial_reading_gives() {
        for tricky in [false, true] {
            let text = collection(60_000, tricky);
            assert!(text.len() > MIN_PARALLEL_BYTES);
            let serial = read_document(text.as_bytes(), &mut |_| true).expect("serial");
            let parallel = read_parallel(text.as_bytes(), &mut |_| true);
            match parallel {
                Some(Ok(doc)) => {
                    assert_eq!(doc.features, serial.features);
                    assert_eq!(doc.crs, serial.crs);
                    assert_eq!(doc.name, serial.name);
                    assert_eq!(doc.doc_type, serial.doc_type);
                    assert_eq!(doc.foreign, serial.foreign);
                }
                // A guess inside a tricky feature sends the file to the serial reader.
                None => assert!(tricky || rayon::current_num_threads() < 2),
                Some(Err(e)) => panic!("{e:?}"),
            }
        }
    }

    #[test]
    fn broken_or_unusual_documents_go_to_the_serial_reader() {
        let mut text = collection(60_000, false);
        text.truncate(text.len() / 2);
        assert!(read_parallel(text.as_bytes(), &mut |_| true).is_none());
        let array = format!("[{}]", "1,".repeat(3_000_000));
        assert!(read_parallel(array.as_bytes(), &mut |_| true).is_none());
        assert!(
            read_parallel(
                b"{\"type\":\"FeatureCollection\",\"features\":[]}",
                &mut |_| true
            )
            .is_none()
        );
    }

    #[test]
    fn parallel_reading_can_be_cancelled() {
        let text = collection(60_000, false);
        let result = read_parallel(text.as_bytes(), &mut |_| false);
        if rayon::current_num_threads() >= 2 {
            assert!(matches!(result, Some(Err(ReadError::Cancelled))));
        }
    }
}
