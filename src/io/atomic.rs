//! Writing a file so that it is either the old one or the complete new one, never half: to a
//! temporary file beside it, flushed to disk, then renamed over it. A full disk or an I/O
//! error leaves the old file as it was.

use std::io::Write;
use std::path::Path;

/// Writes `bytes` to a temporary file beside `path`, flushes it to disk and renames it over
/// `path`.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map_or_else(|| "export".into(), |n| n.to_string_lossy().into_owned());
    let tmp = dir.join(format!(".{name}.tmp"));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_is_replaced_whole_and_no_temporary_file_stays() {
        let temp = tempfile::tempdir().expect("dir");
        let dir = temp.path();
        let path = dir.join("regeln.toml");
        write_atomically(&path, b"alt").expect("first write");
        write_atomically(&path, b"neu").expect("second write");
        assert_eq!(std::fs::read(&path).expect("read"), b"neu");
        let names: Vec<_> = std::fs::read_dir(dir).expect("list").collect();
        assert_eq!(names.len(), 1, "{names:?}");
        // A target in a folder that does not exist fails and leaves nothing behind.
        assert!(write_atomically(&dir.join("fehlt/x.csv"), b"x").is_err());
    }
}
