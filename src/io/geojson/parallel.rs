//! Reading a large FeatureCollection on every core: the `features` array is cut into pieces
//! at element boundaries and the pieces are decoded in parallel.
//!
//! The cut points are guesses (`}` `,` `{` near evenly spaced positions), and a guess inside a
//! string or a nested object would cut a feature in two. A guess is accepted only if the piece
//! before it, decoded element by element from a known boundary, ends exactly on it; JSON is
//! parsed deterministically from the array's start, so that proves the guess a real boundary.
//! Anything unexpected - a bad guess, a syntax error, a document of another shape - returns
//! None, and the serial reader reads the whole file (and gives the exact error position).
//!
//! [`read_stream`] does the same from a file, one round of pieces at a time, so that only a
//! round's text (16 MB on two cores) is in memory, never the whole file.

use std::io::Read;

use super::reader::{RawDocument, RawFeature, ReadError, read_document};
use rayon::prelude::*;

/// Files smaller than this are read serially: splitting would cost more than it saves.
const MIN_PARALLEL_BYTES: usize = 4 << 20;
/// Pieces per thread: enough for progress reports and cancellation between rounds.
const PIECES_PER_THREAD: usize = 8;
/// Largest piece, in bytes (see `read_parallel`).
const MAX_PIECE_BYTES: usize = 4 << 20;
/// Piece of a round of [`read_stream`]: two a thread, so 8 MB of text at a time on two
/// cores (a round of 16 MB was the peak of a whole-country export, for no gain in speed).
const STREAM_PIECE_BYTES: usize = 2 << 20;

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

/// Text read from a stream and not yet decoded, with how far the stream has been read.
struct Window<'a> {
    source: &'a mut dyn Read,
    text: Vec<u8>,
    read: u64,
    at_end: bool,
}

impl Window<'_> {
    /// Reads until the text holds at least `want` bytes or the stream ends; None on a read
    /// error (the caller's fallback reads the file again and reports it).
    fn fill(&mut self, want: usize) -> Option<()> {
        let mut chunk = vec![0u8; (want / 16).clamp(4096, 1 << 20)];
        // Exactly what the round needs: growing by doubling would hold twice the text.
        self.text
            .reserve_exact((want + chunk.len()).saturating_sub(self.text.len()));
        while self.text.len() < want && !self.at_end {
            match self.source.read(&mut chunk) {
                Ok(0) => self.at_end = true,
                Ok(n) => {
                    self.text.extend_from_slice(&chunk[..n]);
                    self.read += n as u64;
                }
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(_) => return None,
            }
        }
        Some(())
    }
}

/// Reads a large plain FeatureCollection from `source` in rounds of pieces decoded in
/// parallel, holding one round's text at a time. None means "read the whole file the other
/// way" (small file, a byte-order mark, another shape, a bad guess, a syntax or read error),
/// even after part of it was read. `on_progress` gets the bytes read so far between rounds
/// and returns false to cancel.
pub fn read_stream(
    source: &mut dyn Read,
    on_progress: &mut dyn FnMut(u64) -> bool,
) -> Option<Result<RawDocument, ReadError>> {
    read_rounds(source, STREAM_PIECE_BYTES, on_progress)
}

/// [`read_stream`] with pieces of about `piece_bytes`.
fn read_rounds(
    source: &mut dyn Read,
    piece_bytes: usize,
    on_progress: &mut dyn FnMut(u64) -> bool,
) -> Option<Result<RawDocument, ReadError>> {
    let threads = rayon::current_num_threads();
    if threads < 2 {
        return None;
    }
    let round_bytes = threads * 2 * piece_bytes;
    let mut window = Window {
        source,
        text: Vec::new(),
        read: 0,
        at_end: false,
    };
    // The members before the array (type, name, crs …), as far as it takes to find it.
    let mut want = round_bytes.min(1 << 16);
    let array_start = loop {
        window.fill(want)?;
        match features_array_start(&window.text) {
            Some(start) => break start,
            None if window.at_end || want >= round_bytes => return None,
            None => want *= 2,
        }
    };
    let mut skeleton = window.text[..array_start].to_vec();
    window.text.drain(..array_start);
    let mut features: Vec<RawFeature> = Vec::new();
    let mut want = round_bytes;
    loop {
        window.fill(want)?;
        let len = window.text.len();
        // The round's last cut: the text after it waits for the next round.
        let last = if window.at_end {
            None
        } else {
            match guess_boundary(&window.text, len - len / 4, len) {
                Some(cut) => Some(cut),
                // One feature bigger than a quarter of the round: read more and look again.
                None if want < 16 * round_bytes => {
                    want *= 2;
                    continue;
                }
                None => return None,
            }
        };
        let limit = last.unwrap_or(len);
        let pieces = threads * 2;
        let span = limit / pieces;
        let mut jobs: Vec<(usize, Option<usize>)> = Vec::with_capacity(pieces);
        let mut start = 0;
        for k in 1..pieces {
            let from = k * span;
            if let Some(cut) =
                guess_boundary(&window.text, from.max(start), (from + span).min(limit))
                && cut < limit
            {
                jobs.push((start, Some(cut)));
                start = cut + 1;
            }
        }
        jobs.push((start, last));
        let text = &window.text;
        let results: Vec<Option<(Vec<RawFeature>, PieceEnd)>> = jobs
            .par_iter()
            .map(|&(start, end)| read_piece(text, start, end))
            .collect();
        let mut array_end = None;
        for result in results {
            let (piece, ending) = result?;
            features.extend(piece);
            if let PieceEnd::ArrayEnd(at) = ending {
                array_end = Some(at);
            }
        }
        if !on_progress(window.read) {
            return Some(Err(ReadError::Cancelled));
        }
        match (last, array_end) {
            (Some(cut), _) => {
                window.text.drain(..=cut);
                want = round_bytes;
            }
            (None, Some(at)) => {
                skeleton.extend_from_slice(&window.text[at..]);
                break;
            }
            (None, None) => return None,
        }
    }
    if features.is_empty() {
        return None;
    }
    // The rest of the document (type, crs, name, other members) with an empty array.
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

    /// Hands out its text in small, uneven reads, and fails after `fail_after` bytes if set.
    struct Trickle<'a> {
        text: &'a [u8],
        at: usize,
        fail_after: Option<usize>,
    }

    impl Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            if self.fail_after.is_some_and(|f| self.at >= f) {
                return Err(std::io::Error::other("the share went away"));
            }
            let n = buf.len().min(7_919).min(self.text.len() - self.at);
            buf[..n].copy_from_slice(&self.text[self.at..self.at + n]);
            self.at += n;
            Ok(n)
        }
    }

    fn trickle(text: &str) -> Trickle<'_> {
        Trickle {
            text: text.as_bytes(),
            at: 0,
            fail_after: None,
        }
    }

    #[test]
    fn reading_in_rounds_gives_exactly_what_serial_reading_gives() {
        if rayon::current_num_threads() < 2 {
            eprintln!("one core: reading in rounds is not used, nothing to compare");
            return;
        }
        for tricky in [false, true] {
            let text = collection(6_000, tricky);
            let serial = read_document(text.as_bytes(), &mut |_| true).expect("serial");
            let mut rounds_seen = 0;
            let mut progress = |_: u64| {
                rounds_seen += 1;
                true
            };
            match read_rounds(&mut trickle(&text), 16 << 10, &mut progress) {
                Some(Ok(doc)) => {
                    assert_eq!(doc.features, serial.features);
                    assert_eq!(doc.crs, serial.crs);
                    assert_eq!(doc.name, serial.name);
                    assert_eq!(doc.foreign, serial.foreign);
                    assert!(
                        rounds_seen > 5,
                        "{rounds_seen} rounds for {} bytes",
                        text.len()
                    );
                }
                None => assert!(tricky, "a plain collection must be read in rounds"),
                Some(Err(e)) => panic!("{e:?}"),
            }
        }
    }

    #[test]
    fn reading_in_rounds_gives_up_on_what_the_whole_text_reader_must_explain() {
        if rayon::current_num_threads() < 2 {
            return;
        }
        let text = collection(6_000, false);
        // Cut off, a syntax error in the middle, a read error half-way, an empty array.
        let cut = &text[..text.len() / 2];
        assert!(read_rounds(&mut trickle(cut), 16 << 10, &mut |_| true).is_none());
        let broken = text.replacen("\"area 3000\"", "\"area 3000", 1);
        assert!(read_rounds(&mut trickle(&broken), 16 << 10, &mut |_| true).is_none());
        let mut failing = trickle(&text);
        failing.fail_after = Some(text.len() / 2);
        assert!(read_rounds(&mut failing, 16 << 10, &mut |_| true).is_none());
        let empty = r#"{"type":"FeatureCollection","features":[]}"#;
        assert!(read_rounds(&mut trickle(empty), 16 << 10, &mut |_| true).is_none());
        let cancelled = read_rounds(&mut trickle(&text), 16 << 10, &mut |_| false);
        assert!(matches!(cancelled, Some(Err(ReadError::Cancelled))));
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
