//! Hooks only the tests build in (cargo feature `test-hooks`): a panic in the middle of
//! drawing the map, at once or two seconds after the start, to check the crash dialog.

use std::time::{Duration, Instant};

/// When the window is to panic.
#[derive(Debug, Default)]
pub struct PanicHooks {
    /// Panic inside the map panel on the next frame.
    next_frame: bool,
    /// Panic on the first frame after this moment (`--panic-after-start`).
    at: Option<Instant>,
}

impl PanicHooks {
    /// Hooks that panic two seconds after the start when `after_start` is set.
    pub fn new(after_start: bool) -> PanicHooks {
        PanicHooks {
            next_frame: false,
            at: after_start.then(|| Instant::now() + Duration::from_secs(2)),
        }
    }

    /// The next frame panics inside the map panel.
    pub fn panic_on_next_frame(&mut self) {
        self.next_frame = true;
    }

    /// Called before each frame: arms the panic when its moment has come, else asks for a
    /// frame at that moment.
    pub fn tick(&mut self, ctx: &eframe::egui::Context) {
        if let Some(at) = self.at {
            let now = Instant::now();
            if now >= at {
                self.at = None;
                self.next_frame = true;
            } else {
                ctx.request_repaint_after(at - now);
            }
        }
    }

    /// Panics if armed, as a bug deep in drawing code would.
    pub fn panic_if_armed(&mut self) {
        if std::mem::take(&mut self.next_frame) {
            panic!("test: a panic while drawing the map");
        }
    }
}
