//! Getting every change into the project file and every other writer's change onto the
//! screen: the outbox of unsaved items, the conflicts waiting for the user, and the look for
//! others' commits.
//!
//! A change to the planners' data is applied on screen at once and its items go into the
//! outbox with the revision they were based on. The outbox is written as one transaction;
//! what the file took leaves the outbox ("✓ gespeichert" is true only with an empty outbox),
//! what failed stays and is tried again — as the same items, with whatever value they have
//! by then — and what another writer changed meanwhile becomes a [`Conflict`] the user
//! resolves. About once a second the store is asked for others' commits, which are merged
//! into the map (an item with an unsaved change of ours is left alone: its write will show
//! the clash).

use std::collections::HashSet;
use std::time::{Duration, Instant};

use super::state::AppState;
use crate::document::Document;
use crate::document::edit;
use crate::i18n::T;
use crate::io::store::{
    Changed, Conflict, Item, ItemValue, LateConflict, Outcome, ProjectContent, Resolution,
    StoreError,
};
use crate::model::{Measure, Uid};

/// How often the file is looked at for others' changes.
pub const POLL_INTERVAL: Duration = Duration::from_millis(1000);
/// How often a failed write is tried again by itself.
pub const RETRY_INTERVAL: Duration = Duration::from_millis(2000);

/// An item waiting to be written.
#[derive(Debug, Clone, PartialEq)]
pub struct Pending {
    /// The item.
    pub item: Item,
    /// The revision the change was based on (0: new).
    pub base: u64,
    /// Its value at that revision, when known (shown as "when read" in a conflict).
    pub before: Option<ItemValue>,
}

/// The saving state of one open map.
#[derive(Debug, Default)]
pub struct Saving {
    /// Unsaved items, in the order they were first changed.
    outbox: Vec<Pending>,
    /// The same items, to find them at once among 100,000.
    pending: HashSet<Item>,
    /// Conflicts waiting for the user, oldest first.
    pub conflicts: Vec<Conflict>,
    /// Conflicts a shared store reported on an item already in a conflict: shown once that
    /// one is settled (the store holds the change back until then).
    late_waiting: Vec<LateConflict>,
    /// Why the last write failed (until one succeeds).
    pub failure: Option<StoreError>,
    /// When the file was last looked at.
    pub last_poll: Option<Instant>,
    /// When a write was last tried.
    pub last_try: Option<Instant>,
    /// What the last successful write put into the file: each item with its revision now
    /// (0: deleted). Replaced by every write.
    pub written: Vec<(Item, u64)>,
}

impl Saving {
    /// Whether an item has an unsaved change.
    pub fn is_pending(&self, item: &Item) -> bool {
        self.pending.contains(item)
    }

    /// The unsaved items, in the order they were first changed.
    pub fn outbox(&self) -> &[Pending] {
        &self.outbox
    }

    /// Queues an item (a second change of a queued item keeps the first one's base).
    pub fn queue(&mut self, item: Item, base: u64, before: Option<ItemValue>) {
        if self.pending.contains(&item) || self.conflicts.iter().any(|c| c.item == item) {
            return;
        }
        self.pending.insert(item.clone());
        self.outbox.push(Pending { item, base, before });
    }

    /// Empties the outbox, returning what it held.
    fn take_outbox(&mut self) -> Vec<Pending> {
        self.pending.clear();
        std::mem::take(&mut self.outbox)
    }

    /// Whether anything is not in the file: unsaved items or open conflicts (a conflict
    /// whose value the store keeps already counts as not settled, not as unsaved).
    pub fn has_unsaved(&self) -> bool {
        self.unsaved_count() > 0
    }

    /// Unsaved items and conflicts whose value is not kept anywhere yet.
    pub fn unsaved_count(&self) -> usize {
        self.outbox.len() + self.conflicts.iter().filter(|c| !c.kept_here).count()
    }
}

impl AppState {
    /// Queues the items of a change and writes the outbox. With no project there is nothing
    /// to write to (the map's changes are kept in the program until saved as a project).
    pub(super) fn save_items(&mut self, items: Vec<(Item, Option<ItemValue>)>) {
        let Some(store) = &self.store else {
            return;
        };
        for (item, before) in items {
            let base = store.known(&item);
            self.saving.queue(item, base, before);
        }
        self.flush(true);
    }

    /// Writes the outbox. `by_user`: the user just made a change, so a failure is shown as a
    /// message (a failed retry in the background only updates the status bar).
    pub(super) fn flush(&mut self, by_user: bool) {
        let lang = self.lang();
        let stored_view = self.stored_view();
        let (Some(doc), Some(store)) = (self.map.as_mut(), self.store.as_mut()) else {
            return;
        };
        if self.saving.outbox().is_empty() && !store.derived_stale() {
            return;
        }
        self.saving.last_try = Some(Instant::now());
        let items: Vec<(Item, u64)> = self
            .saving
            .outbox()
            .iter()
            .map(|p| (p.item.clone(), p.base))
            .collect();
        let result = {
            let content = ProjectContent {
                map: doc.export(),
                measures: &doc.measures,
                view: &stored_view,
            };
            store.write(&items, &content)
        };
        match result {
            Ok(outcomes) => {
                let was_failing = self.saving.failure.take().is_some();
                // The outbox was written whole, in order.
                let sent = self.saving.take_outbox();
                let mut numbers = std::collections::HashMap::new();
                let mut conflicts = Vec::new();
                let mut written = Vec::new();
                for (pending, outcome) in sent.into_iter().zip(outcomes) {
                    match outcome {
                        Outcome::Written { number, revision } => {
                            if let (Item::Measure(uid), Some(n)) = (&pending.item, number) {
                                numbers.insert(*uid, n);
                            }
                            written.push((pending.item, revision));
                        }
                        Outcome::Conflict { theirs, revision } => {
                            let mine = edit::value_of(doc, &pending.item);
                            conflicts.push(Conflict {
                                item: pending.item,
                                base: pending.before,
                                theirs,
                                theirs_revision: revision,
                                mine,
                                kept_here: false,
                            });
                        }
                    }
                }
                edit::renumber(doc, &numbers);
                self.history.set_numbers(&numbers);
                for c in &conflicts {
                    self.history.taint(&c.item);
                }
                self.saving.conflicts.extend(conflicts);
                self.saving.written = written;
                if was_failing && self.saving.outbox().is_empty() {
                    self.notice = Some(lang.t(T::AllSavedAgain).to_string());
                }
            }
            Err(e) => {
                let first = self.saving.failure.as_ref() != Some(&e);
                let detached = e.why().is_some_and(|w| w.is_detached());
                if by_user || first {
                    let advice = if detached {
                        T::WritingStopped
                    } else {
                        T::UnsavedKept
                    };
                    self.error = Some(format!("{} {}", e.describe(lang), lang.t(advice)));
                    self.error_title = Some(if detached {
                        T::DetachedTitle
                    } else {
                        T::SaveFailedTitle
                    });
                }
                self.saving.failure = Some(e);
            }
        }
    }

    /// Once per frame: looks for others' changes about once a second (merging them), and
    /// tries unsaved items again every few seconds.
    pub fn poll_store(&mut self) {
        let due =
            |last: Option<Instant>, every: Duration| last.is_none_or(|t| t.elapsed() >= every);
        let Some(store) = &self.store else {
            return;
        };
        // A read-only file stays read-only: its unsaved changes wait for "Speichern unter …".
        let retry = !self.saving.outbox().is_empty()
            && store.read_only().is_none()
            && due(self.saving.last_try, RETRY_INTERVAL);
        let look = due(self.saving.last_poll, POLL_INTERVAL) || store.wants_look();
        if retry {
            self.flush(false);
        }
        if look {
            self.poll_store_now();
        }
    }

    /// Looks for others' changes now and merges them; writes the derived columns when they
    /// wait for the merged state.
    pub fn poll_store_now(&mut self) {
        let lang = self.lang();
        self.saving.last_poll = Some(Instant::now());
        let (Some(doc), Some(store)) = (self.map.as_ref(), self.store.as_mut()) else {
            return;
        };
        if store.detached().is_some() {
            return;
        }
        let region = std::sync::Arc::clone(&doc.region);
        match store.poll(&region) {
            Ok(None) => {}
            Ok(Some(foreign)) => {
                let merged = self.merge(foreign.changed);
                if merged > 0 {
                    self.notice =
                        Some(lang.count_text(merged, T::MergedOthersOne, T::MergedOthers, &[]));
                }
                self.add_late_conflicts(foreign.conflicts);
            }
            Err(e) => {
                let detached = e.why().is_some_and(|w| w.is_detached());
                if self.saving.failure.as_ref() != Some(&e) {
                    if detached {
                        self.error = Some(format!(
                            "{} {}",
                            e.describe(lang),
                            lang.t(T::WritingStopped)
                        ));
                        self.error_title = Some(T::DetachedTitle);
                    }
                    self.saving.failure = Some(e);
                }
                return;
            }
        }
        if self.store.as_ref().is_some_and(|s| s.derived_stale()) {
            self.flush(false);
        }
    }

    /// Merges others' changes into the map; returns how many items were taken. Items with an
    /// unsaved change here stay as they are (their write reports the clash).
    fn merge(&mut self, changed: Vec<Changed>) -> usize {
        let Some(doc) = self.map.as_mut() else {
            return 0;
        };
        let mut taken: HashSet<Item> = HashSet::new();
        let mut recompute = false;
        let mut puts: Vec<Measure> = Vec::new();
        let mut removes: HashSet<Uid> = HashSet::new();
        let mut reload_values = false;
        for (item, value, _) in changed {
            if self.saving.is_pending(&item) || self.saving.conflicts.iter().any(|c| c.item == item)
            {
                continue;
            }
            match (&item, value) {
                (Item::Measure(_), Some(ItemValue::Measure(m))) => puts.push(*m),
                (Item::Measure(uid), None) => {
                    removes.insert(*uid);
                }
                (Item::IndicatorValues, _) => reload_values = true,
                (_, value) => {
                    if let Item::View(_) = item {
                        self.current_view = None;
                    }
                    recompute |= edit::put_value(doc, &item, value);
                }
            }
            taken.insert(item);
        }
        // In bulk: one pass for 100,000 measures another writer imported.
        let measures = !puts.is_empty() || !removes.is_empty();
        doc.measures.remove_many(&removes);
        doc.measures.put_many(puts);
        self.history.taint_all(&taken);
        let taken = taken.len();
        if measures {
            doc.recount();
        }
        if recompute {
            doc.refresh();
        }
        if reload_values {
            self.reload_indicator_values();
        }
        if let Some(form) = &mut self.measure_form
            && let Some(base) = &form.base
            && self.map.as_ref().and_then(|m| m.measures.get(base.uid)) != Some(base)
        {
            form.changed_elsewhere = true;
        }
        self.rebuild_scene();
        taken
    }

    /// Conflicts a shared store found after the write had returned (the server had a newer
    /// value): shown like any other, with this window's value as "mine".
    fn add_late_conflicts(&mut self, found: Vec<LateConflict>) {
        let Some(doc) = self.map.as_ref() else {
            return;
        };
        for late in found {
            if self.saving.conflicts.iter().any(|c| c.item == late.item) {
                self.saving.late_waiting.push(late);
                continue;
            }
            let mine = edit::value_of(doc, &late.item);
            self.history.taint(&late.item);
            self.saving.conflicts.push(Conflict {
                item: late.item,
                base: late.base,
                theirs: late.theirs,
                theirs_revision: late.revision,
                mine,
                kept_here: true,
            });
        }
    }

    /// Another writer imported a table: reads the indicator values of the file again (the
    /// areas stay; a file whose areas changed asks to be opened anew).
    fn reload_indicator_values(&mut self) {
        let lang = self.lang();
        let (Some(doc), Some(path)) = (
            self.map.as_mut(),
            self.store
                .as_ref()
                .and_then(|s| s.file().map(std::path::Path::to_path_buf)),
        ) else {
            return;
        };
        match crate::io::import_file(
            &path,
            &crate::io::ImportOptions::default(),
            &crate::io::Progress::default(),
        ) {
            Ok(imported)
                if imported.region.spaces.len() == doc.region.spaces.len()
                    && imported
                        .region
                        .spaces
                        .iter()
                        .zip(&doc.region.spaces)
                        .all(|(a, b)| a.code == b.code) =>
            {
                doc.indicators = std::sync::Arc::new(imported.indicators);
                doc.refresh();
            }
            _ => {
                self.notice = Some(lang.t(T::ValuesChangedReopen).to_string());
            }
        }
    }

    /// Settles the oldest conflict: the chosen value goes on screen and, unless it is
    /// theirs, into the store (based on their revision, so nothing of theirs is lost unseen).
    pub(super) fn resolve_conflict(&mut self, resolution: Resolution) {
        let Some(doc) = self.map.as_mut() else {
            return;
        };
        if self.saving.conflicts.is_empty() {
            return;
        }
        let conflict = self.saving.conflicts.remove(0);
        let value = match resolution {
            Resolution::Mine => conflict.mine.clone(),
            Resolution::Theirs => conflict.theirs.clone(),
            Resolution::Merged(m) => Some(ItemValue::Measure(m)),
        };
        edit::set_value(doc, &conflict.item, value.clone());
        self.history.taint(&conflict.item);
        let took_theirs = value == conflict.theirs;
        let item = conflict.item.clone();
        if took_theirs {
            // What came after their value (a look saw it while the conflict was open and
            // left it) comes with the next look; the next change is based on what is shown.
            if let Some(store) = self.store.as_mut() {
                store.shown_at(&conflict.item, conflict.theirs_revision);
            }
            self.saving.last_poll = None;
        } else {
            self.saving
                .queue(conflict.item, conflict.theirs_revision, conflict.theirs);
            self.flush(true);
        }
        // A shared store learns the answer to a conflict it reported after the value is in
        // its copy, so the value sent is the settled one. A clash with the file alone is no
        // answer to anything the store holds back.
        if conflict.kept_here
            && let Some(store) = self.store.as_mut()
        {
            store.settle(&item, took_theirs, conflict.theirs_revision);
        }
        // A conflict held back behind this one comes now, at the item's revision now.
        let (mut now, later): (Vec<LateConflict>, Vec<LateConflict>) =
            std::mem::take(&mut self.saving.late_waiting)
                .into_iter()
                .partition(|l| l.item == item);
        self.saving.late_waiting = later;
        if let Some(store) = &self.store {
            for late in &mut now {
                late.revision = store.known(&late.item);
            }
        }
        self.add_late_conflicts(now);
        self.rebuild_scene();
    }

    /// What is not in the project (or, without a project, not in any file), as lines for
    /// the quit question.
    pub fn unsaved_items(&self) -> Vec<String> {
        let lang = self.lang();
        let Some(doc) = &self.map else {
            return Vec::new();
        };
        if self.store.is_none() {
            let mut out = Vec::new();
            if !doc.measures.is_empty() {
                out.push(lang.count_text(
                    doc.measures.len(),
                    T::UnsavedMeasuresOne,
                    T::UnsavedMeasures,
                    &[],
                ));
            }
            if !doc.saved_views.is_empty() {
                out.push(lang.count_text(
                    doc.saved_views.len(),
                    T::UnsavedViewsOne,
                    T::UnsavedViews,
                    &[],
                ));
            }
            if self.history.has_data_changes() {
                out.push(lang.t(T::UnsavedSettings).to_string());
            }
            return out;
        }
        const SHOWN: usize = 30;
        let outbox = self.saving.outbox();
        let mut out: Vec<String> = outbox
            .iter()
            .take(SHOWN)
            .map(|p| item_label(doc, &p.item, lang))
            .collect();
        if outbox.len() > SHOWN {
            out.push(lang.tf(
                T::UnsavedMore,
                &[("n", &crate::i18n::format::count(outbox.len() - SHOWN, lang))],
            ));
        }
        out.extend(
            self.saving
                .conflicts
                .iter()
                .filter(|c| !c.kept_here)
                .map(|c| {
                    lang.tf(
                        T::UnsavedConflict,
                        &[("item", &item_label(doc, &c.item, lang))],
                    )
                }),
        );
        out
    }

    /// Whether the measure with this uid has an unsaved change.
    pub fn is_unsaved_measure(&self, uid: Uid) -> bool {
        self.saving.is_pending(&Item::Measure(uid))
    }
}

/// An item in words: "Maßnahme 12 „Sprachcafé“", "Übersteuerung AC 3, Handlungsfeld 1" …
pub fn item_label(doc: &Document, item: &Item, lang: crate::i18n::Lang) -> String {
    match item {
        Item::Measure(uid) => match doc.measures.get(*uid) {
            Some(m) => lang.tf(
                T::ItemMeasure,
                &[("title", &crate::i18n::format::short(&m.title, 60))],
            ),
            None => lang.t(T::ItemMeasureDeleted).to_string(),
        },
        Item::Rules => lang.t(T::ItemRules).to_string(),
        Item::Override { code, field } => lang.tf(
            T::ItemOverride,
            &[("code", code), ("field", &field.number().to_string())],
        ),
        Item::View(uid) => {
            let name = doc
                .saved_views
                .iter()
                .find(|v| v.uid == *uid)
                .map(|v| v.name.clone())
                .unwrap_or_default();
            lang.tf(T::ItemView, &[("name", &name)])
        }
        Item::Catalogue => lang.t(T::ItemCatalogue).to_string(),
        Item::IndicatorValues => lang.t(T::ItemValues).to_string(),
        Item::ViewSettings => lang.t(T::ItemViewSettings).to_string(),
    }
}
