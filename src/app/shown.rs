//! What the panels are shown this frame: the app's state as a read-only [`Shown`].

use std::sync::atomic::Ordering;

use super::state::AppState;
use crate::ui::shown::{ImportStatus, LoadStatus, ProjectStatus, Shown};

impl AppState {
    /// The state as the panels see it.
    pub fn shown(&self) -> Shown<'_> {
        Shown {
            map: self.map.as_ref(),
            scene: self.scene.as_ref(),
            scene_generation: self.scene_generation,
            view: &self.view,
            viewport: self.camera.viewport,
            selection: self.selection,
            selected: &self.selected,
            current_view: self.current_view,
            windows: &self.windows,
            recent: &self.recent,
            undo: self.history.next_undo(),
            redo: self.history.next_redo(),
            exporting: self.export_job.as_ref().map(|job| &job.target),
            notice: self.notice.as_deref(),
            project: self.store.as_ref().map(|store| ProjectStatus {
                file: store.short_name(),
                detached: store.detached(),
                read_only: store.read_only().is_some(),
                unsaved: self.saving.unsaved_count(),
                conflicts: self.saving.conflicts.len(),
                failure: self.saving.failure.as_ref().and_then(|e| e.why()),
                link: store.link(),
            }),
            loading: self.loading.as_ref().map(|job| LoadStatus {
                path: &job.path,
                progress: &job.progress,
                overview_done: job.overview_done,
            }),
            importing: self.import_job.as_ref().map(|job| ImportStatus {
                file: &job.file,
                written: job.progress.written.load(Ordering::Relaxed),
                total: job.progress.total.load(Ordering::Relaxed),
            }),
            presenting: self.presenting,
            frame_figures: self.frame_figures,
        }
    }
}
