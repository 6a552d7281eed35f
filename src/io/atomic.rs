//! Writing a file so that it is either the old one or the complete new one, never half: to a
//! temporary file beside it, flushed to disk, then renamed over it. A full disk or an I/O
//! error leaves the old file as it was. A symbolic link stays a link: the file it points to
//! is replaced. Something that is no file at all (a device such as `/dev/full` or
//! `/dev/stdout`, a pipe) is written to directly, never renamed over.

use std::io::Write;
use std::path::{Path, PathBuf};

/// Writes `bytes` to a temporary file beside `path`, flushes it to disk and renames it over
/// `path` (over the file a link at `path` points to; straight into a device or pipe).
pub fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let resolved: PathBuf;
    let path = match std::fs::metadata(path) {
        Ok(meta) if !meta.is_file() && !meta.is_dir() => {
            let mut f = std::fs::OpenOptions::new().write(true).open(path)?;
            f.write_all(bytes)?;
            return f.flush();
        }
        Ok(_) if std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()) => {
            resolved = std::fs::canonicalize(path)?;
            resolved.as_path()
        }
        _ => path,
    };
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
    fn a_device_is_written_to_and_never_replaced() {
        let full = Path::new("/dev/full");
        if !full.exists() {
            return;
        }
        let err = write_atomically(full, b"x").expect_err("no space on /dev/full");
        assert_eq!(err.kind(), std::io::ErrorKind::StorageFull);
        let meta = std::fs::metadata(full).expect("still there");
        assert!(!meta.is_file(), "/dev/full is still a device");
    }

    #[cfg(unix)]
    #[test]
    fn a_link_stays_a_link_and_its_file_is_replaced() {
        let temp = tempfile::tempdir().expect("dir");
        let real = temp.path().join("echt.html");
        let link = temp.path().join("link.html");
        std::fs::write(&real, b"alt").expect("real");
        std::os::unix::fs::symlink(&real, &link).expect("link");
        write_atomically(&link, b"neu").expect("written");
        assert!(
            std::fs::symlink_metadata(&link)
                .expect("link")
                .file_type()
                .is_symlink()
        );
        assert_eq!(std::fs::read(&real).expect("real"), b"neu");
    }

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
