//! The conflict dialog: another writer changed what this window changed too. For a measure it
//! shows, per field, the value when read, theirs and mine, and the user picks per field; for
//! other items (rules, an override, a saved view) mine or theirs as a whole.
//!
//! A field only one side changed starts out with that side picked, so the usual case — both
//! edited different fields — needs one click on "Übernehmen". Nothing is written until the
//! user decides; the dialog is modal, so no other edit can slip in meanwhile.

use eframe::egui::{self, Context, RichText};

use super::command::Command;
use crate::i18n::{Lang, T, format, labels};
use crate::io::store::{Conflict, Resolution};
use crate::io::store::{Item, ItemValue};
use crate::model::Measure;

/// The picks of the dialog (true: mine), for the conflict shown.
#[derive(Debug, Default)]
pub struct ConflictForm {
    item: Option<Item>,
    mine: Vec<bool>,
}

/// One row of a measure conflict: the field and its value as text.
struct Row {
    label: T,
    text: fn(&Measure, Lang) -> String,
    take: fn(&mut Measure, &Measure),
}

fn rows() -> Vec<Row> {
    vec![
        Row {
            label: T::ColTitle,
            text: |m, _| m.title.clone(),
            take: |to, from| to.title.clone_from(&from.title),
        },
        Row {
            label: T::ColDescription,
            text: |m, _| m.description.clone(),
            take: |to, from| to.description.clone_from(&from.description),
        },
        Row {
            label: T::ColFields,
            text: |m, _| m.fields.to_numbers().replace(';', ", "),
            take: |to, from| to.fields = from.fields,
        },
        Row {
            label: T::ColAreas,
            text: |m, _| m.areas.join(", "),
            take: |to, from| to.areas.clone_from(&from.areas),
        },
        Row {
            label: T::ColMunicipalities,
            text: |m, _| m.municipalities.join(", "),
            take: |to, from| to.municipalities.clone_from(&from.municipalities),
        },
        Row {
            label: T::ColResponsibility,
            text: |m, lang| labels::responsibility(m.responsibility, lang).to_string(),
            take: |to, from| to.responsibility = from.responsibility,
        },
        Row {
            label: T::ColLead,
            text: |m, _| m.lead.clone(),
            take: |to, from| to.lead.clone_from(&from.lead),
        },
        Row {
            label: T::ColPartners,
            text: |m, _| m.partners.clone(),
            take: |to, from| to.partners.clone_from(&from.partners),
        },
        Row {
            label: T::ColStatus,
            text: |m, lang| labels::status(m.status, lang).to_string(),
            take: |to, from| to.status = from.status,
        },
        Row {
            label: T::ColStart,
            text: |m, lang| m.start.map(|d| format::date(d, lang)).unwrap_or_default(),
            take: |to, from| to.start = from.start,
        },
        Row {
            label: T::ColEnd,
            text: |m, lang| m.end.map(|d| format::date(d, lang)).unwrap_or_default(),
            take: |to, from| to.end = from.end,
        },
        Row {
            label: T::ColBudget,
            text: |m, lang| {
                m.budget_eur
                    .map(|b| format::number(b, 2, lang))
                    .unwrap_or_default()
            },
            take: |to, from| to.budget_eur = from.budget_eur,
        },
        Row {
            label: T::ColPriority,
            text: |m, lang| labels::priority(m.priority, lang).to_string(),
            take: |to, from| to.priority = from.priority,
        },
        Row {
            label: T::ColNotes,
            text: |m, _| m.notes.clone(),
            take: |to, from| to.notes.clone_from(&from.notes),
        },
    ]
}

fn measure_of(value: &Option<ItemValue>) -> Option<&Measure> {
    match value {
        Some(ItemValue::Measure(m)) => Some(m),
        _ => None,
    }
}

/// The merged measure the picks describe: mine where `mine[i]`, else theirs.
pub fn merged(mine: &Measure, theirs: &Measure, picks: &[bool]) -> Measure {
    let mut out = mine.clone();
    for (row, pick_mine) in rows().iter().zip(picks) {
        if !pick_mine {
            (row.take)(&mut out, theirs);
        }
    }
    out.id = theirs.id;
    out.created = theirs.created;
    out
}

/// The picks a conflict starts with: the side that changed the field (mine when both did).
pub fn initial_picks(conflict: &Conflict, lang: Lang) -> Vec<bool> {
    let (Some(mine), Some(theirs)) = (measure_of(&conflict.mine), measure_of(&conflict.theirs))
    else {
        return Vec::new();
    };
    let base = measure_of(&conflict.base);
    rows()
        .iter()
        .map(|row| {
            let m = (row.text)(mine, lang);
            let t = (row.text)(theirs, lang);
            !matches!(base.map(|b| (row.text)(b, lang)), Some(b) if m == b && t != b)
        })
        .collect()
}

/// A short text for a non-measure value.
fn summary(value: &Option<ItemValue>, lang: Lang) -> String {
    let de = lang == Lang::De;
    match value {
        None => lang.t(T::ConflictGone).to_string(),
        Some(ItemValue::Rules(r)) => {
            let n: usize = r.rules.iter().map(|f| f.conditions.len()).sum();
            if de {
                format!("{} Handlungsfelder mit {n} Bedingungen", r.rules.len())
            } else {
                format!("{} fields with {n} conditions", r.rules.len())
            }
        }
        Some(ItemValue::Override(o)) => {
            let side = match (o.member, de) {
                (true, true) => "drin",
                (false, true) => "nicht drin",
                (true, false) => "in",
                (false, false) => "out",
            };
            format!("{side} – „{}“", format::short(&o.reason, 120))
        }
        Some(ItemValue::View(v)) => format!("„{}“", format::short(&v.name, 80)),
        Some(ItemValue::Catalogue(list)) => {
            if de {
                format!("{} Indikatoren", list.len())
            } else {
                format!("{} indicators", list.len())
            }
        }
        Some(ItemValue::IndicatorValues) | Some(ItemValue::Measure(_)) => String::new(),
    }
}

/// Shows the oldest conflict; returns the user's decision.
pub fn conflict_dialog_ui(
    ctx: &Context,
    conflict: &Conflict,
    item_label: &str,
    form: &mut ConflictForm,
    lang: Lang,
) -> Vec<Command> {
    let mut commands = Vec::new();
    if form.item.as_ref() != Some(&conflict.item) {
        form.item = Some(conflict.item.clone());
        form.mine = initial_picks(conflict, lang);
    }
    egui::Modal::new(egui::Id::unique("conflict-dialog")).show(ctx, |ui| {
        ui.set_max_width(900.0);
        ui.heading(lang.t(T::ConflictTitle));
        ui.add_space(4.0);
        match (measure_of(&conflict.mine), measure_of(&conflict.theirs)) {
            (Some(mine), Some(theirs)) => {
                ui.add(egui::Label::new(lang.tf(T::ConflictIntro, &[("item", item_label)])).wrap());
                ui.add_space(6.0);
                measure_rows_ui(ui, conflict, mine, theirs, form, lang);
                ui.add_space(8.0);
                ui.horizontal(|ui| {
                    if ui
                        .button(RichText::new(lang.t(T::ConflictApply)).strong())
                        .clicked()
                    {
                        let m = merged(mine, theirs, &form.mine);
                        commands.push(Command::ResolveConflict(Resolution::Merged(Box::new(m))));
                    }
                    if ui.button(lang.t(T::ConflictKeepMine)).clicked() {
                        commands.push(Command::ResolveConflict(Resolution::Mine));
                    }
                    if ui.button(lang.t(T::ConflictTakeTheirs)).clicked() {
                        commands.push(Command::ResolveConflict(Resolution::Theirs));
                    }
                });
            }
            (Some(_), None) if matches!(conflict.item, Item::Measure(_)) => {
                ui.add(
                    egui::Label::new(lang.tf(T::ConflictDeleted, &[("item", item_label)])).wrap(),
                );
                ui.add_space(8.0);
                ui.horizontal(|ui| {
                    if ui.button(lang.t(T::ConflictRestore)).clicked() {
                        commands.push(Command::ResolveConflict(Resolution::Mine));
                    }
                    if ui.button(lang.t(T::ConflictLetGo)).clicked() {
                        commands.push(Command::ResolveConflict(Resolution::Theirs));
                    }
                });
            }
            (None, Some(_)) if matches!(conflict.item, Item::Measure(_)) => {
                ui.add(
                    egui::Label::new(lang.tf(T::ConflictDeletedHere, &[("item", item_label)]))
                        .wrap(),
                );
                ui.add_space(8.0);
                ui.horizontal(|ui| {
                    if ui.button(lang.t(T::ConflictKeepMine)).clicked() {
                        commands.push(Command::ResolveConflict(Resolution::Mine));
                    }
                    if ui.button(lang.t(T::ConflictTakeTheirs)).clicked() {
                        commands.push(Command::ResolveConflict(Resolution::Theirs));
                    }
                });
            }
            _ => {
                ui.add(egui::Label::new(lang.tf(T::ConflictIntro, &[("item", item_label)])).wrap());
                egui::Grid::new("conflict-whole")
                    .num_columns(2)
                    .show(ui, |ui| {
                        for (label, value) in [
                            (T::ConflictBase, &conflict.base),
                            (T::ConflictTheirs, &conflict.theirs),
                            (T::ConflictMine, &conflict.mine),
                        ] {
                            ui.label(RichText::new(lang.t(label)).strong());
                            ui.label(summary(value, lang));
                            ui.end_row();
                        }
                    });
                ui.add_space(8.0);
                ui.horizontal(|ui| {
                    if ui.button(lang.t(T::ConflictKeepMine)).clicked() {
                        commands.push(Command::ResolveConflict(Resolution::Mine));
                    }
                    if ui.button(lang.t(T::ConflictTakeTheirs)).clicked() {
                        commands.push(Command::ResolveConflict(Resolution::Theirs));
                    }
                });
            }
        }
    });
    commands
}

/// The per-field table of a measure conflict: field, when read, theirs, mine, and a choice
/// where theirs and mine differ.
fn measure_rows_ui(
    ui: &mut egui::Ui,
    conflict: &Conflict,
    mine: &Measure,
    theirs: &Measure,
    form: &mut ConflictForm,
    lang: Lang,
) {
    let base = measure_of(&conflict.base);
    let cell = |text: String| format::short(&text, 160).into_owned();
    egui::ScrollArea::vertical()
        .max_height(440.0)
        .show(ui, |ui| {
            egui::Grid::new("conflict-fields")
                .num_columns(4)
                .striped(true)
                .min_col_width(120.0)
                .show(ui, |ui| {
                    for t in [
                        T::ConflictField,
                        T::ConflictBase,
                        T::ConflictTheirs,
                        T::ConflictMine,
                    ] {
                        ui.label(RichText::new(lang.t(t)).strong());
                    }
                    ui.end_row();
                    for (i, row) in rows().iter().enumerate() {
                        let m = (row.text)(mine, lang);
                        let t = (row.text)(theirs, lang);
                        if m == t {
                            continue;
                        }
                        ui.label(lang.t(row.label));
                        ui.label(cell(base.map(|b| (row.text)(b, lang)).unwrap_or_default()));
                        let Some(pick) = form.mine.get_mut(i) else {
                            ui.end_row();
                            continue;
                        };
                        let theirs_button = ui.radio(!*pick, cell(t));
                        super::name(
                            &theirs_button,
                            &format!("{} {}", lang.t(T::ConflictTheirs), lang.t(row.label)),
                        );
                        if theirs_button.clicked() {
                            *pick = false;
                        }
                        let mine_button = ui.radio(*pick, cell(m));
                        super::name(
                            &mine_button,
                            &format!("{} {}", lang.t(T::ConflictMine), lang.t(row.label)),
                        );
                        if mine_button.clicked() {
                            *pick = true;
                        }
                        ui.end_row();
                    }
                });
        });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Status, Uid};

    fn measure(title: &str, status: Status) -> Measure {
        Measure {
            uid: Uid(7),
            id: 3,
            title: title.into(),
            status,
            ..Measure::default()
        }
    }

    #[test]
    fn the_side_that_changed_a_field_is_picked_and_merging_takes_each_pick() {
        let base = measure("Sprachcafé", Status::Idea);
        let theirs = measure("Sprachcafé", Status::Planned);
        let mine = measure("Sprachcafé Eschweiler", Status::Idea);
        let conflict = Conflict {
            item: Item::Measure(Uid(7)),
            base: Some(ItemValue::Measure(Box::new(base))),
            theirs: Some(ItemValue::Measure(Box::new(theirs.clone()))),
            theirs_revision: 4,
            mine: Some(ItemValue::Measure(Box::new(mine.clone()))),
            kept_here: false,
        };
        let picks = initial_picks(&conflict, Lang::De);
        let m = merged(&mine, &theirs, &picks);
        assert_eq!(m.title, "Sprachcafé Eschweiler", "mine changed the title");
        assert_eq!(m.status, Status::Planned, "theirs changed the status");
    }
}
