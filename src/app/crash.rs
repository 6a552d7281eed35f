//! A panic in the window does not end the session: each frame runs guarded, a panic is
//! caught there and reported in a dialog, and the user goes on or quits. Nothing planners
//! entered is at risk: every change to a project is its own committed transaction, written
//! before the next frame, so the file is intact whatever the frame was doing.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::{Mutex, Once};
use std::thread::ThreadId;

/// A panic the hook saw: the thread, its name, and what it said with where.
struct Recorded {
    thread: ThreadId,
    name: Option<String>,
    message: String,
}

/// The recent panics (the last 16), recorded by the hook.
static PANICS: Mutex<Vec<Recorded>> = Mutex::new(Vec::new());

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
            if let Ok(mut panics) = PANICS.lock() {
                if panics.len() >= 16 {
                    panics.remove(0);
                }
                let current = std::thread::current();
                panics.push(Recorded {
                    thread: current.id(),
                    name: current.name().map(str::to_string),
                    message: format!("{message}{place}"),
                });
            }
            previous(info);
        }));
    });
}

/// Takes the latest recorded panic that matches.
fn take(matches: impl Fn(&Recorded) -> bool) -> Option<String> {
    let mut panics = PANICS.lock().ok()?;
    let at = panics.iter().rposition(matches)?;
    Some(panics.remove(at).message)
}

/// The message and place of the latest panic on a thread named `name` (for a background
/// thread that ended without an answer).
pub fn take_last_of(name: &str) -> Option<String> {
    take(|p| p.name.as_deref() == Some(name))
}

/// Runs `work`; a panic inside becomes `Err` with its message and place.
pub fn guarded(work: impl FnOnce()) -> Result<(), String> {
    catch_unwind(AssertUnwindSafe(work)).map_err(|payload| {
        let here = std::thread::current().id();
        take(|p| p.thread == here).unwrap_or_else(|| {
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
