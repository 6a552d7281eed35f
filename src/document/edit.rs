//! Changes to the document: an [`Edit`] is what a planner asks for, [`apply`] turns it into
//! the [`Change`] it makes (the whole value before and after, so undo is setting "before"
//! again) and applies it, with everything derived recomputed. Pure: no files, no clock, no
//! random numbers — the caller gives a new measure its uid and its times.

use std::sync::Arc;

use super::Document;
use crate::i18n::{Lang, T};
use crate::io::store::{Item, ItemValue};
use crate::model::{ActionField, Indicator, IndicatorTable, Measure, Override, RuleSet, Uid};

/// A change to the document a planner asks for.
#[derive(Debug, Clone, PartialEq)]
pub enum Edit {
    /// Replace the rule set.
    SetRules(RuleSet),
    /// Replace the rule set and every override (a rules file read in).
    SetRulesAndOverrides(Box<(RuleSet, Vec<Override>)>),
    /// Add an override, or replace the one for the same area and field.
    SetOverride(Override),
    /// Remove the override of an area and field.
    RemoveOverride {
        /// The area's code.
        code: String,
        /// The field.
        field: ActionField,
    },
    /// Replace a catalogue entry (values stay).
    SetIndicator {
        /// Its position in the table.
        position: usize,
        /// The new entry (its key must stay the same).
        indicator: Box<Indicator>,
    },
    /// Replace the indicator table with new values (a joined table).
    ReplaceIndicators(Box<IndicatorTable>),
    /// Add a new measure (with its uid; the caller stamps uid, number and times).
    AddMeasure(Box<Measure>),
    /// Add many new measures at once (an imported list): one step.
    AddMeasures(Vec<Measure>),
    /// Replace the measure with the same uid (its number and creation time stay).
    UpdateMeasure(Box<Measure>),
    /// Delete a measure.
    DeleteMeasure(Uid),
}

/// One undoable change.
#[derive(Debug, Clone)]
pub enum Change {
    /// A measure was added (before None), changed, or deleted (after None).
    Measure {
        /// The measure's id.
        uid: Uid,
        /// Before.
        before: Option<Box<Measure>>,
        /// After.
        after: Option<Box<Measure>>,
    },
    /// Many measures added at once (an imported list): one step.
    Measures {
        /// The measures added.
        added: Vec<Measure>,
    },
    /// Rules and overrides.
    Rules {
        /// Before.
        before: Box<(RuleSet, Vec<Override>)>,
        /// After.
        after: Box<(RuleSet, Vec<Override>)>,
    },
    /// Indicator catalogue and values (catalogue edit, table import).
    Indicators {
        /// Before.
        before: Arc<IndicatorTable>,
        /// After.
        after: Arc<IndicatorTable>,
        /// Whether values or columns changed (a table import), not only catalogue entries.
        values: bool,
    },
}

/// The overrides of `a` and `b` that differ, as items.
fn override_items(a: &[Override], b: &[Override]) -> Vec<Item> {
    let mut keys: Vec<Item> = a
        .iter()
        .chain(b)
        .map(|o| Item::Override {
            code: o.code.clone(),
            field: o.field,
        })
        .collect();
    keys.sort();
    keys.dedup();
    keys.retain(|k| {
        let find = |list: &[Override]| {
            list.iter()
                .find(|o| {
                    Item::Override {
                        code: o.code.clone(),
                        field: o.field,
                    } == *k
                })
                .cloned()
        };
        find(a) != find(b)
    });
    keys
}

/// A measure title short enough for a menu entry (titles may hold 300 characters).
fn short_title(title: &str) -> String {
    const MAX: usize = 40;
    if title.chars().count() <= MAX {
        return title.to_string();
    }
    let cut: String = title.chars().take(MAX - 1).collect();
    format!("{}…", cut.trim_end())
}

impl Change {
    /// What the step does, for the menu and notices: "Maßnahme „Sprachcafé“ hinzufügen".
    pub fn describe(&self, lang: Lang) -> String {
        match self {
            Change::Measure { before, after, .. } => {
                let (key, measure) = match (before, after) {
                    (None, Some(m)) => (T::StepAddMeasure, m),
                    (Some(m), None) => (T::StepDeleteMeasure, m),
                    (Some(_), Some(m)) => (T::StepChangeMeasure, m),
                    (None, None) => return lang.t(T::StepOther).to_string(),
                };
                lang.tf(key, &[("title", &short_title(&measure.title))])
            }
            Change::Measures { added } => lang.count_text(
                added.len(),
                T::StepImportMeasuresOne,
                T::StepImportMeasures,
                &[],
            ),
            Change::Rules { before, after } => {
                if before.0 != after.0 {
                    lang.t(T::StepRules).to_string()
                } else {
                    let changed = override_items(&before.1, &after.1);
                    match changed.as_slice() {
                        [Item::Override { code, .. }] => {
                            lang.tf(T::StepOverride, &[("code", code)])
                        }
                        _ => lang.t(T::StepOverrides).to_string(),
                    }
                }
            }
            Change::Indicators { values: true, .. } => lang.t(T::StepTableImport).to_string(),
            Change::Indicators { .. } => lang.t(T::StepCatalogue).to_string(),
        }
    }
}

impl Change {
    /// The items the change touches (what the project file writes for it).
    pub fn items(&self) -> Vec<Item> {
        match self {
            Change::Measure { uid, .. } => vec![Item::Measure(*uid)],
            Change::Measures { added } => added.iter().map(|m| Item::Measure(m.uid)).collect(),
            Change::Rules { before, after } => {
                let mut items = Vec::new();
                if before.0 != after.0 {
                    items.push(Item::Rules);
                }
                items.extend(override_items(&before.1, &after.1));
                items
            }
            Change::Indicators { values, .. } => {
                let mut items = vec![Item::Catalogue];
                if *values {
                    items.push(Item::IndicatorValues);
                }
                items
            }
        }
    }

    /// Folds `next` into `self` when both are steps of one gesture (dragging a threshold,
    /// typing a label): the result goes from `self`'s before to `next`'s after.
    pub(super) fn absorb(&mut self, next: &Change) -> bool {
        match (self, next) {
            (
                Change::Rules { after, .. },
                Change::Rules {
                    after: next_after, ..
                },
            ) => {
                *after = next_after.clone();
                true
            }
            (
                Change::Indicators {
                    after,
                    values: false,
                    ..
                },
                Change::Indicators {
                    after: next_after,
                    values: false,
                    ..
                },
            ) => {
                *after = Arc::clone(next_after);
                true
            }
            _ => false,
        }
    }
}

impl Change {
    /// Each item the change touches with its value on the side the document is leaving
    /// (before for a change made or redone, after for one undone): what a store's conflict
    /// shows as "when read".
    pub fn leaving(&self, forward: bool) -> Vec<(Item, Option<ItemValue>)> {
        let measure = |m: &Option<Box<Measure>>| m.clone().map(ItemValue::Measure);
        match self {
            Change::Measure { uid, before, after } => {
                vec![(
                    Item::Measure(*uid),
                    measure(if forward { before } else { after }),
                )]
            }
            Change::Measures { added } => added
                .iter()
                .map(|m| {
                    let value = (!forward).then(|| ItemValue::Measure(Box::new(m.clone())));
                    (Item::Measure(m.uid), value)
                })
                .collect(),
            Change::Rules { before, after } => {
                let (rules, overrides) = if forward { &**before } else { &**after };
                self.items()
                    .into_iter()
                    .map(|item| {
                        let value = match &item {
                            Item::Rules => Some(ItemValue::Rules(rules.clone())),
                            Item::Override { code, field } => overrides
                                .iter()
                                .find(|o| o.code == *code && o.field == *field)
                                .cloned()
                                .map(ItemValue::Override),
                            _ => None,
                        };
                        (item, value)
                    })
                    .collect()
            }
            Change::Indicators {
                before,
                after,
                values,
            } => {
                let table = if forward { before } else { after };
                let mut out = vec![(
                    Item::Catalogue,
                    Some(ItemValue::Catalogue(table.indicators().to_vec())),
                )];
                if *values {
                    out.push((Item::IndicatorValues, Some(ItemValue::IndicatorValues)));
                }
                out
            }
        }
    }
}

/// Whether an edit changes anything but the timestamps.
fn differs(old: &Measure, new: &Measure) -> bool {
    let mut a = old.clone();
    a.changed = new.changed;
    a.created = new.created;
    a != *new
}

fn rules_change(doc: &Document, rules: RuleSet, overrides: Vec<Override>) -> Change {
    Change::Rules {
        before: Box::new((doc.rules.clone(), doc.overrides.clone())),
        after: Box::new((rules, overrides)),
    }
}

fn indicators_change(doc: &Document, after: IndicatorTable, values: bool) -> Change {
    Change::Indicators {
        before: Arc::clone(&doc.indicators),
        after: Arc::new(after),
        values,
    }
}

/// The change an edit would make; None when it changes nothing.
pub fn change_of(doc: &Document, edit: Edit) -> Option<Change> {
    Some(match edit {
        Edit::SetRules(rules) => rules_change(doc, rules, doc.overrides.clone()),
        Edit::SetRulesAndOverrides(both) => {
            let (rules, overrides) = *both;
            rules_change(doc, rules, overrides)
        }
        Edit::SetOverride(o) => {
            let mut overrides = doc.overrides.clone();
            overrides.retain(|x| !(x.code == o.code && x.field == o.field));
            overrides.push(o);
            rules_change(doc, doc.rules.clone(), overrides)
        }
        Edit::RemoveOverride { code, field } => {
            let mut overrides = doc.overrides.clone();
            overrides.retain(|x| !(x.code == code && x.field == field));
            rules_change(doc, doc.rules.clone(), overrides)
        }
        Edit::SetIndicator {
            position,
            indicator,
        } => {
            let mut after = (*doc.indicators).clone();
            after.set_indicator(position, *indicator);
            indicators_change(doc, after, false)
        }
        Edit::ReplaceIndicators(table) => indicators_change(doc, *table, true),
        Edit::AddMeasure(measure) => Change::Measure {
            uid: measure.uid,
            before: None,
            after: Some(measure),
        },
        Edit::AddMeasures(added) if added.is_empty() => return None,
        Edit::AddMeasures(added) => Change::Measures { added },
        Edit::UpdateMeasure(mut measure) => {
            let old = doc.measures.get(measure.uid)?;
            if !differs(old, &measure) {
                return None;
            }
            measure.created = old.created;
            measure.id = old.id;
            Change::Measure {
                uid: measure.uid,
                before: Some(Box::new(old.clone())),
                after: Some(measure),
            }
        }
        Edit::DeleteMeasure(uid) => Change::Measure {
            uid,
            before: Some(Box::new(doc.measures.get(uid)?.clone())),
            after: None,
        },
    })
}

/// Applies an edit; returns the change it made (None: nothing changed).
pub fn apply(doc: &mut Document, edit: Edit) -> Option<Change> {
    let change = change_of(doc, edit)?;
    step(doc, &change, true);
    Some(change)
}

/// Sets the document to the state after (`forward`) or before a change, with everything
/// derived from it recomputed.
pub fn step(doc: &mut Document, change: &Change, forward: bool) {
    match change {
        Change::Measure { uid, before, after } => {
            match if forward { after } else { before } {
                Some(m) => {
                    doc.measures.put((**m).clone());
                }
                None => {
                    doc.measures.remove(*uid);
                }
            }
            doc.recount();
        }
        Change::Measures { added } => {
            if forward {
                doc.measures.put_many(added.clone());
            } else {
                let uids: std::collections::HashSet<Uid> = added.iter().map(|m| m.uid).collect();
                doc.measures.remove_many(&uids);
            }
            doc.recount();
        }
        Change::Rules { before, after } => {
            let (rules, overrides) = if forward { &**after } else { &**before };
            doc.rules = rules.clone();
            doc.overrides = overrides.clone();
            doc.reclassify();
        }
        Change::Indicators { before, after, .. } => {
            doc.indicators = Arc::clone(if forward { after } else { before });
            doc.refresh();
        }
    }
}

/// Gives measures the numbers a store gave them.
pub fn renumber(doc: &mut Document, numbers: &std::collections::HashMap<Uid, i64>) {
    if numbers.is_empty() {
        return;
    }
    let changed: Vec<Measure> = numbers
        .iter()
        .filter_map(|(uid, n)| {
            let mut m = doc.measures.get(*uid)?.clone();
            m.id = *n;
            Some(m)
        })
        .collect();
    doc.measures.put_many(changed);
}

/// The current value of an item in the document.
pub fn value_of(doc: &Document, item: &Item) -> Option<ItemValue> {
    match item {
        Item::Measure(uid) => doc
            .measures
            .get(*uid)
            .map(|m| ItemValue::Measure(Box::new(m.clone()))),
        Item::Rules => Some(ItemValue::Rules(doc.rules.clone())),
        Item::Override { code, field } => doc
            .overrides
            .iter()
            .find(|o| o.code == *code && o.field == *field)
            .map(|o| ItemValue::Override(o.clone())),
        Item::View(uid) => doc
            .saved_views
            .iter()
            .find(|v| v.uid == *uid)
            .map(|v| ItemValue::View(Box::new(v.clone()))),
        Item::Catalogue => Some(ItemValue::Catalogue(doc.indicators.indicators().to_vec())),
        Item::IndicatorValues => Some(ItemValue::IndicatorValues),
        Item::ViewSettings => None,
    }
}

/// Puts a value of an item into the document (None: removes the item) without recomputing
/// what depends on it; returns whether statistics and classification must be recomputed.
pub fn put_value(doc: &mut Document, item: &Item, value: Option<ItemValue>) -> bool {
    match (item, value) {
        (Item::Measure(_), Some(ItemValue::Measure(m))) => {
            doc.measures.put(*m);
            false
        }
        (Item::Measure(uid), None) => {
            doc.measures.remove(*uid);
            false
        }
        (Item::Rules, Some(ItemValue::Rules(r))) => {
            doc.rules = r;
            true
        }
        (Item::Override { code, field }, value) => {
            doc.overrides
                .retain(|o| !(o.code == *code && o.field == *field));
            if let Some(ItemValue::Override(o)) = value {
                doc.overrides.push(o);
            }
            true
        }
        (Item::View(uid), value) => {
            doc.saved_views.retain(|v| v.uid != *uid);
            if let Some(ItemValue::View(v)) = value {
                doc.saved_views.push(*v);
            }
            crate::io::project::sort_views(&mut doc.saved_views);
            false
        }
        (Item::Catalogue, Some(ItemValue::Catalogue(list))) => {
            let mut table = (*doc.indicators).clone();
            for indicator in list {
                if let Some(p) = table.position(&indicator.key) {
                    table.set_indicator(p, indicator);
                }
            }
            doc.indicators = Arc::new(table);
            true
        }
        _ => false,
    }
}

/// [`put_value`] with what depends on the item recomputed.
pub fn set_value(doc: &mut Document, item: &Item, value: Option<ItemValue>) {
    let measure = matches!(item, Item::Measure(_));
    if put_value(doc, item, value) {
        doc.refresh();
    }
    if measure {
        doc.recount();
    }
}
