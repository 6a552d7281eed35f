//! Progress and cancellation shared between a background load and the window.
//!
//! Lock-free atomics: the loading thread writes, the UI reads every frame, and neither ever
//! waits for the other. A waker callback lets the loader ask the window to repaint.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU8, AtomicU64, Ordering};
use std::time::Instant;

/// The stages of opening a map file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Reading bytes from disk.
    Reading,
    /// Parsing the JSON.
    Parsing,
    /// Checking, projecting and assembling the Sozialräume.
    Building,
    /// Preparing geometry for drawing: triangulation, simplification, index, labels.
    Preparing,
}

impl Stage {
    fn from_u8(v: u8) -> Stage {
        match v {
            0 => Stage::Reading,
            1 => Stage::Parsing,
            2 => Stage::Building,
            _ => Stage::Preparing,
        }
    }
}

type Waker = Box<dyn Fn() + Send + Sync>;

/// Shared progress of one load.
pub struct Progress {
    stage: AtomicU8,
    done: AtomicU64,
    total: AtomicU64,
    cancel: AtomicBool,
    waker: Option<Waker>,
    created: Instant,
    /// Milliseconds after `created` of the last wake-up.
    last_wake_ms: AtomicU64,
}

impl std::fmt::Debug for Progress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Progress")
            .field("stage", &self.stage())
            .field("done", &self.done.load(Ordering::Relaxed))
            .field("total", &self.total.load(Ordering::Relaxed))
            .finish()
    }
}

impl Default for Progress {
    fn default() -> Self {
        Progress {
            stage: AtomicU8::new(0),
            done: AtomicU64::new(0),
            total: AtomicU64::new(0),
            cancel: AtomicBool::new(false),
            waker: None,
            created: Instant::now(),
            last_wake_ms: AtomicU64::new(0),
        }
    }
}

impl Progress {
    /// Progress that calls `waker` whenever it advances noticeably.
    pub fn with_waker(waker: impl Fn() + Send + Sync + 'static) -> Arc<Progress> {
        Arc::new(Progress {
            waker: Some(Box::new(waker)),
            ..Progress::default()
        })
    }

    /// Progress without anyone watching (command line, tests).
    pub fn silent() -> Arc<Progress> {
        Arc::new(Progress::default())
    }

    /// Enters a stage with `total` units of work (0 when unknown).
    pub fn start(&self, stage: Stage, total: u64) {
        self.stage.store(stage as u8, Ordering::Relaxed);
        self.total.store(total, Ordering::Relaxed);
        self.done.store(0, Ordering::Relaxed);
        self.wake();
    }

    /// Reports `done` units of the current stage.
    pub fn set(&self, done: u64) {
        self.done.store(done, Ordering::Relaxed);
        // At most ten wake-ups a second: every repaint costs the loading thread CPU time.
        let now = self.created.elapsed().as_millis() as u64;
        let last = self.last_wake_ms.load(Ordering::Relaxed);
        if now >= last + 100
            && self
                .last_wake_ms
                .compare_exchange(last, now, Ordering::Relaxed, Ordering::Relaxed)
                .is_ok()
        {
            self.wake();
        }
    }

    fn wake(&self) {
        if let Some(w) = &self.waker {
            w();
        }
    }

    /// The current stage.
    pub fn stage(&self) -> Stage {
        Stage::from_u8(self.stage.load(Ordering::Relaxed))
    }

    /// Units done and total of the current stage.
    pub fn counts(&self) -> (u64, u64) {
        (
            self.done.load(Ordering::Relaxed),
            self.total.load(Ordering::Relaxed),
        )
    }

    /// Fraction 0–1 of the current stage, if its total is known.
    pub fn fraction(&self) -> Option<f32> {
        let (done, total) = self.counts();
        (total > 0).then(|| (done as f64 / total as f64).min(1.0) as f32)
    }

    /// Asks the load to stop.
    pub fn cancel(&self) {
        self.cancel.store(true, Ordering::Relaxed);
    }

    /// Whether the load was asked to stop.
    pub fn is_cancelled(&self) -> bool {
        self.cancel.load(Ordering::Relaxed)
    }
}
