//! Why a write to the project file failed, in the terms of [`crate::io::store::Why`]: SQLite
//! reports some failures under one code (a folder without write permission and a missing
//! folder both make the journal file impossible to create), so the file system is asked once
//! more when a write fails.

use std::path::Path;

use crate::io::store::Why;
use rusqlite::ErrorCode;

/// Classifies an SQLite failure on `path`, asking the file system where SQLite's code
/// does not tell (read-only file or folder, a moved file).
pub fn why_of(e: &rusqlite::Error, path: &Path) -> Why {
    let extended = match e {
        rusqlite::Error::SqliteFailure(f, _) => f.extended_code,
        _ => 0,
    };
    // SQLITE_READONLY_DBMOVED: SQLite noticed the file was renamed or deleted.
    if extended == 1032 {
        return Why::Moved;
    }
    match e.sqlite_error_code() {
        Some(ErrorCode::DiskFull) => Why::DiskFull,
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => Why::Locked,
        Some(ErrorCode::DatabaseCorrupt | ErrorCode::NotADatabase) => Why::Damaged,
        Some(ErrorCode::ReadOnly | ErrorCode::CannotOpen | ErrorCode::PermissionDenied) => {
            why_not_writable(path).unwrap_or_else(|| Why::Other(e.to_string()))
        }
        _ => match e {
            rusqlite::Error::SqliteFailure(f, _) if f.code == ErrorCode::SystemIoFailure => {
                why_not_writable(path).unwrap_or_else(|| Why::Other(e.to_string()))
            }
            _ => Why::Other(e.to_string()),
        },
    }
}

/// Why a file cannot be written, as the file system sees it: gone, write-protected, or in a
/// folder where no file can be created. None when nothing stands in the way.
pub fn why_not_writable(path: &Path) -> Option<Why> {
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(_) => return Some(Why::Moved),
    };
    if meta.permissions().readonly() || std::fs::OpenOptions::new().write(true).open(path).is_err()
    {
        return Some(Why::ReadOnlyFile);
    }
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    if !folder_is_writable(dir) {
        return Some(Why::ReadOnlyFolder);
    }
    None
}

/// Whether a file can be created in `dir` (tried, then removed: permission bits do not tell
/// for root, network drives or ACLs).
pub fn folder_is_writable(dir: &Path) -> bool {
    let probe = dir.join(format!(
        ".sozialraum-atlas-probe-{}-{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos())
    ));
    match std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&probe)
    {
        Ok(_) => {
            let _ = std::fs::remove_file(&probe);
            true
        }
        Err(e) => e.kind() == std::io::ErrorKind::StorageFull,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_file_is_called_moved_and_a_protected_one_read_only() {
        let temp = tempfile::tempdir().expect("dir");
        let dir = temp.path();
        let gone = dir.join("weg.gpkg");
        assert_eq!(why_not_writable(&gone), Some(Why::Moved));
        let file = dir.join("da.gpkg");
        std::fs::write(&file, b"x").expect("write");
        assert_eq!(why_not_writable(&file), None);
        let mut p = std::fs::metadata(&file).expect("meta").permissions();
        p.set_readonly(true);
        std::fs::set_permissions(&file, p).expect("chmod");
        assert_eq!(why_not_writable(&file), Some(Why::ReadOnlyFile));
    }
}
