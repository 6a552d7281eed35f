//! Writing to standard output and standard error without ever panicking.
//!
//! Rust's `print!` macros panic when a write fails; a command line used in pipes meets that
//! daily (`check FILE | head -1` closes the pipe, `> /dev/full` fills the disk). Here a
//! closed pipe ends the output quietly, as other Unix tools do, and keeps the command's own
//! exit code (its work is done; the reader wanted no more). Any other write error (a full
//! disk) is told once on standard error where that still works and makes the exit code 2
//! ([`exit_code`]), so a script never takes a half-written report for a whole one.

use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};

/// A write to stdout or stderr failed for another reason than a closed pipe.
static FAILED: AtomicBool = AtomicBool::new(false);
/// Standard output was closed by its reader: write no more to it.
static STDOUT_CLOSED: AtomicBool = AtomicBool::new(false);
/// Standard error was closed: write no more to it.
static STDERR_CLOSED: AtomicBool = AtomicBool::new(false);

/// Which stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stream {
    Out,
    Err,
}

fn write(stream: Stream, text: &str) {
    let closed = match stream {
        Stream::Out => &STDOUT_CLOSED,
        Stream::Err => &STDERR_CLOSED,
    };
    if closed.load(Ordering::Relaxed) {
        return;
    }
    let result = match stream {
        Stream::Out => {
            let mut out = std::io::stdout().lock();
            out.write_all(text.as_bytes()).and_then(|()| out.flush())
        }
        Stream::Err => {
            let mut err = std::io::stderr().lock();
            err.write_all(text.as_bytes()).and_then(|()| err.flush())
        }
    };
    let Err(e) = result else {
        return;
    };
    closed.store(true, Ordering::Relaxed);
    if e.kind() == std::io::ErrorKind::BrokenPipe {
        return;
    }
    FAILED.store(true, Ordering::Relaxed);
    if stream == Stream::Out {
        let why = match e.kind() {
            std::io::ErrorKind::StorageFull => "Datenträger voll / disk full".to_string(),
            _ => e.to_string(),
        };
        write(
            Stream::Err,
            &format!(
                "sozialraum-atlas: Ausgabe konnte nicht geschrieben werden / output could not be written: {why}\n"
            ),
        );
    }
}

/// Writes to standard output.
pub fn out(text: &str) {
    write(Stream::Out, text);
}

/// Writes a line to standard error.
pub fn err_line(text: &str) {
    if text.is_empty() {
        return;
    }
    let mut line = text.to_string();
    if !line.ends_with('\n') {
        line.push('\n');
    }
    write(Stream::Err, &line);
}

/// The exit code to end with: `code`, or 2 when output was lost to a write error.
pub fn exit_code(code: i32) -> i32 {
    if FAILED.load(Ordering::Relaxed) {
        2
    } else {
        code
    }
}
