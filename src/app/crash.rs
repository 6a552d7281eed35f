//! A panic in the window does not end the session: each frame runs guarded, a panic is
//! caught there and reported in a dialog, and the user goes on or quits. Nothing planners
//! entered is at risk: every change to a project is its own committed transaction, written
//! before the next frame, so the file is intact whatever the frame was doing.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::{Mutex, Once};

/// What the last panic said, with where it happened, recorded by the hook.
static LAST_PANIC: Mutex<Option<String>> = Mutex::new(None);

/// Installs (once per process) a panic hook that records message and place, then runs the
/// hook that was there before (which prints to the terminal).
pub fn install_hook() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let message = info
                .payload()
                .downcast_ref::<&str>()
                .map(|s| (*s).to_string())
                .or_else(|| info.payload().downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "?".to_string());
            let place = info
                .location()
                .map(|l| format!(" ({}:{})", l.file(), l.line()))
                .unwrap_or_default();
            if let Ok(mut last) = LAST_PANIC.lock() {
                *last = Some(format!("{message}{place}"));
            }
            previous(info);
        }));
    });
}

/// Runs `work`; a panic inside becomes `Err` with its message and place.
pub fn guarded(work: impl FnOnce()) -> Result<(), String> {
    catch_unwind(AssertUnwindSafe(work)).map_err(|payload| {
        let recorded = LAST_PANIC.lock().ok().and_then(|mut l| l.take());
        recorded.unwrap_or_else(|| {
            payload
                .downcast_ref::<&str>()
                .map(|s| (*s).to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "?".to_string())
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_its_message_and_place() {
        install_hook();
        let err = guarded(|| panic!("kaputt {}", 42)).expect_err("caught");
        assert!(err.starts_with("kaputt 42"), "{err}");
        assert!(err.contains("crash.rs"), "{err}");
        assert_eq!(guarded(|| {}), Ok(()));
    }
}
