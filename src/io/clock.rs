//! The clock: what time it is, for the stamps on measures (the model takes times, it never
//! reads the clock itself).

use crate::model::Timestamp;

/// Now, in whole seconds since 1970 (UTC).
pub fn now() -> Timestamp {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    Timestamp(i64::try_from(secs).unwrap_or(0))
}
