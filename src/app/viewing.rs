//! What is shown and how: the selection, the view settings, the focus on a municipality,
//! presentation mode and the saved views ("Ansichten"). None of it changes the planners'
//! data; view settings and saved views are kept in the project all the same.

use super::state::AppState;
use crate::i18n::T;
use crate::io::store::{ItemValue, SavedView};
use crate::scene::ViewSettings;
use crate::spatial::index::bounds_of_spaces;

/// Margin around a focused municipality, as a share of its size.
const FOCUS_MARGIN: f64 = 0.03;

impl AppState {
    /// Selects one area (None clears the selection).
    pub(super) fn select(&mut self, selection: Option<usize>) {
        self.selection = selection.filter(|i| self.is_area(*i));
        self.selected = self.selection.into_iter().collect();
    }

    /// Adds an area to the selection or takes it out (Ctrl+click).
    pub(super) fn toggle_select(&mut self, i: usize) {
        if !self.is_area(i) {
            return;
        }
        if let Some(pos) = self.selected.iter().position(|s| *s == i) {
            self.selected.remove(pos);
            self.selection = self.selected.last().copied();
        } else {
            self.selected.push(i);
            self.selection = Some(i);
        }
    }

    /// Selects these areas (a rectangle); the first is shown in the inspector.
    pub(super) fn select_many(&mut self, areas: Vec<usize>) {
        let mut areas: Vec<usize> = areas.into_iter().filter(|i| self.is_area(*i)).collect();
        areas.dedup();
        self.selection = areas.first().copied();
        self.selected = areas;
    }

    /// Selects an area and zooms the view to it.
    pub(super) fn zoom_to_area(&mut self, i: usize) {
        if let Some(map) = &self.map
            && i < map.region.spaces.len()
        {
            self.camera.fit_to = bounds_of_spaces(&map.region, &[i], 1.0);
            self.selection = Some(i);
            self.selected = vec![i];
        }
    }

    /// Changes a view setting that is kept with the project, and shows the result.
    pub(super) fn change_view(&mut self, change: impl FnOnce(&mut ViewSettings)) {
        change(&mut self.view);
        self.rebuild_scene();
        self.persist_view();
    }

    /// Focuses a municipality (the others greyed, the view zoomed to it); None shows all.
    pub(super) fn focus(&mut self, name: Option<String>) {
        let Some(map) = &self.map else {
            return;
        };
        let municipality = name
            .as_ref()
            .and_then(|n| map.region.municipalities.iter().find(|m| m.name == *n));
        self.camera.fit_to =
            municipality.and_then(|m| bounds_of_spaces(&map.region, &m.spaces, FOCUS_MARGIN));
        if municipality.is_none() {
            self.camera.viewport = None;
        }
        let focus = municipality.map(|m| m.name.clone());
        self.change_view(|v| v.focus = focus);
    }

    /// Enters or leaves presentation mode. The map area changes size, so the same part (the
    /// saved view, the focused municipality or the whole map) is fitted anew.
    pub(super) fn present(&mut self, on: bool) {
        self.presenting = on && self.map.is_some();
        let Some(map) = &self.map else {
            return;
        };
        let view = self.current_view.and_then(|k| map.saved_views.get(k));
        self.camera.fit_to = view.map(|v| v.extent).or_else(|| {
            let focus = self.view.focus.as_ref()?;
            let m = map
                .region
                .municipalities
                .iter()
                .find(|m| m.name == *focus)?;
            bounds_of_spaces(&map.region, &m.spaces, FOCUS_MARGIN)
        });
        if self.camera.fit_to.is_none() {
            self.camera.fit_to = Some(map.prepared.bounds);
        }
    }

    /// Shows the next (+1) or previous (-1) saved view, going round.
    pub(super) fn step_view(&mut self, step: i32) {
        let n = self.map.as_ref().map_or(0, |m| m.saved_views.len());
        if n == 0 {
            // Say why nothing happens, and where views are made.
            self.notice = Some(self.lang().t(T::PresentNoViews).to_string());
            return;
        }
        let next = match self.current_view {
            None if step >= 0 => 0,
            None => n - 1,
            Some(k) => (k as i64 + i64::from(step)).rem_euclid(n as i64) as usize,
        };
        self.apply_view(next);
    }

    /// Deletes saved view `index`.
    pub(super) fn delete_view(&mut self, index: usize) {
        if let Some(map) = &mut self.map
            && index < map.saved_views.len()
        {
            let gone = map.saved_views.remove(index);
            self.current_view = None;
            self.persist_saved_view(gone.uid, Some(ItemValue::View(Box::new(gone))));
        }
    }

    /// Saves the current extent, colouring and focus under `name` (replacing a view of that
    /// name).
    pub(super) fn save_view(&mut self, name: String) {
        let name = name.trim().to_string();
        let settings = crate::document::view::to_stored(&self.view);
        let Some(map) = &mut self.map else {
            return;
        };
        if name.is_empty() {
            return;
        }
        // A zoom not yet drawn (just focused) is what the user is about to see.
        let extent = self
            .camera
            .fit_to
            .or_else(|| self.camera.viewport.map(|v| v.visible_bounds()))
            .unwrap_or(map.prepared.bounds);
        let existing = map.saved_views.iter().position(|v| v.name == name);
        let before = existing.map(|k| map.saved_views[k].clone());
        let view = SavedView {
            uid: before.as_ref().map_or_else(|| (self.new_uid)(), |v| v.uid),
            position: before.as_ref().map_or_else(
                || {
                    map.saved_views
                        .iter()
                        .map(|v| v.position + 1)
                        .max()
                        .unwrap_or(0)
                },
                |v| v.position,
            ),
            name: name.clone(),
            extent,
            settings,
        };
        let uid = view.uid;
        match existing {
            Some(k) => {
                map.saved_views[k] = view;
                self.current_view = Some(k);
            }
            None => {
                map.saved_views.push(view);
                self.current_view = Some(map.saved_views.len() - 1);
            }
        }
        self.persist_saved_view(uid, before.map(|v| ItemValue::View(Box::new(v))));
        self.persist_view();
    }

    /// Shows saved view `index`: its colouring and focus, zoomed to its extent.
    pub(super) fn apply_view(&mut self, index: usize) {
        let Some(map) = &self.map else {
            return;
        };
        let Some(saved) = map.saved_views.get(index) else {
            return;
        };
        crate::document::view::apply_stored(&mut self.view, &saved.settings, &map.indicators);
        self.camera.fit_to = Some(saved.extent);
        self.current_view = Some(index);
        self.rebuild_scene();
        self.persist_view();
    }
}
