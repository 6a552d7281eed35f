//! The measure form ("Maßnahme hinzufügen" / "Maßnahme bearbeiten"): every field of a measure,
//! German dates and amounts, checked before it is saved.
//!
//! Dates, budget and area codes are typed as text and parsed only on saving, so a half-typed
//! "25.11." never jumps around under the cursor; a problem is shown in the form and nothing is
//! saved until it is fixed.

use eframe::egui::{self, ComboBox, Context, RichText, TextEdit, Ui};

use super::command::Command;
use super::name;
use crate::analysis::join::normalize_key;
use crate::document::Document;
use crate::document::edit::Edit;
use crate::i18n::{Lang, T, format, labels};
use crate::io::measures_table::municipalities_of;
use crate::io::store::{HistoryAction, HistoryEntry, Rights};
use crate::model::{
    ActionField, Date, Measure, Priority, Responsibility, Status, TextField, longer_than,
};
use crate::scene::field_name;

/// The measure the form was opened with, which one it is (a new generation loads it into
/// the form), and whether another writer changed the measure since.
#[derive(Debug, Clone, Copy)]
pub struct DraftInfo<'a> {
    /// The measure as the form opened it (new: filled from the selection).
    pub opened: &'a Measure,
    /// Changes whenever the form is opened on a measure.
    pub generation: u64,
    /// Another writer changed the measure since the form opened it.
    pub changed_elsewhere: bool,
    /// Where the measure will be kept.
    pub keeping: Keeping,
    /// What the user may change (a shared register's rights).
    pub rights: &'a Rights,
    /// The measure's history in a shared register (None: not kept, or not read yet).
    pub history: Option<&'a [HistoryEntry]>,
    /// Whether the store keeps a history at all (a shared register).
    pub shared: bool,
}

/// Where a saved measure is kept (the form says so when it is not a project that takes it).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Keeping {
    /// In a project that takes changes.
    #[default]
    Project,
    /// In a project open read-only: the change stays on screen only.
    ReadOnly,
    /// The map is no project.
    Nothing,
}

/// The form's own state: the measure being written, and what is typed in the fields that
/// are parsed only on saving. Nothing outside changes until the user saves.
#[derive(Debug, Default)]
pub struct MeasureForm {
    generation: u64,
    /// The measure as edited so far.
    draft: Measure,
    typed: Typed,
}

/// What is typed in the fields that are parsed on saving.
#[derive(Debug, Default)]
struct Typed {
    areas: String,
    municipalities: String,
    start: String,
    end: String,
    budget: String,
    problem: Option<String>,
}

impl MeasureForm {
    fn load(&mut self, draft: &Measure, generation: u64, lang: Lang) {
        self.generation = generation;
        self.draft = draft.clone();
        self.typed = Typed::of(draft, lang);
    }
}

impl Typed {
    fn of(draft: &Measure, lang: Lang) -> Typed {
        Typed {
            areas: draft.areas.join("; "),
            municipalities: draft.municipalities.join("; "),
            start: draft
                .start
                .map(|d| format::date(d, lang))
                .unwrap_or_default(),
            end: draft.end.map(|d| format::date(d, lang)).unwrap_or_default(),
            budget: draft
                .budget_eur
                .map(|b| format::number(b, if b.fract() == 0.0 { 0 } else { 2 }, lang))
                .unwrap_or_default(),
            problem: None,
        }
    }
}

/// A text field of the form. A text longer than the field takes (from a file another
/// program wrote) is not put into an edit box, which would have to lay out every character
/// each frame: the form says how long it is and offers to shorten it.
fn text_row(
    ui: &mut Ui,
    label: &str,
    value: &mut String,
    field: TextField,
    lang: Lang,
) -> Option<egui::Response> {
    ui.label(label);
    let limit = field.limit();
    let response = if longer_than(value, limit) {
        ui.vertical(|ui| {
            ui.label(
                RichText::new(lang.tf(
                    T::MeasureTextTooLongHere,
                    &[
                        ("n", &format::count(value.chars().count(), lang)),
                        ("max", &format::count(limit, lang)),
                    ],
                ))
                .color(egui::Color32::from_rgb(0xb0, 0x20, 0x20)),
            );
            ui.label(RichText::new(format::short(value, 200)).weak());
            let cut =
                ui.button(lang.tf(T::MeasureShorten, &[("max", &format::count(limit, lang))]));
            name(
                &cut,
                &format!(
                    "{label}: {}",
                    lang.tf(T::MeasureShorten, &[("max", &format::count(limit, lang))])
                ),
            );
            if cut.clicked() {
                *value = value.chars().take(limit).collect();
            }
        });
        None
    } else {
        let edit = if matches!(field, TextField::Description | TextField::Notes) {
            TextEdit::multiline(value).desired_rows(3)
        } else {
            TextEdit::singleline(value)
        };
        let edit = ui.add(edit.desired_width(360.0).char_limit(limit));
        name(&edit, label);
        Some(edit)
    };
    ui.end_row();
    response
}

/// A line of the form that is plain text (municipalities).
fn plain_row(ui: &mut Ui, label: &str, value: &mut String) {
    ui.label(label);
    let edit = ui.add(TextEdit::singleline(value).desired_width(360.0));
    name(&edit, label);
    ui.end_row();
}

/// Reads the typed codes; unknown ones are returned apart.
fn parse_areas(map: &Document, text: &str) -> (Vec<String>, Vec<String>) {
    let mut known = Vec::new();
    let mut unknown = Vec::new();
    for code in text
        .split([';', ','])
        .map(str::trim)
        .filter(|c| !c.is_empty())
    {
        let found = map.region.space_by_code(code).or_else(|| {
            let key = normalize_key(code);
            map.region
                .spaces
                .iter()
                .position(|s| normalize_key(&s.code) == key)
        });
        match found {
            Some(i) => {
                let c = map.region.spaces[i].code.clone();
                if !known.contains(&c) {
                    known.push(c);
                }
            }
            None => unknown.push(code.to_string()),
        }
    }
    (known, unknown)
}

/// Shows the form; returns the commands (save, delete, close).
pub fn measure_form_ui(
    ctx: &Context,
    map: &Document,
    info: DraftInfo<'_>,
    selected_codes: &[String],
    form: &mut MeasureForm,
    lang: Lang,
) -> Vec<Command> {
    let fresh = form.generation != info.generation;
    if fresh {
        form.load(info.opened, info.generation, lang);
    }
    let MeasureForm { draft, typed, .. } = form;
    let mut commands = Vec::new();
    let is_new = draft.uid.is_nil();
    let allowed = is_new || info.rights.may_change_measure(info.opened);
    let titled = if allowed {
        T::MeasureEditTitle
    } else {
        T::MeasureViewTitle
    };
    let title = if is_new {
        lang.t(T::MeasureNewTitle).to_string()
    } else if draft.id > 0 {
        lang.tf(titled, &[("id", &draft.id.to_string())])
    } else {
        lang.tf(titled, &[("id", "–")])
    };
    let mut open = true;
    egui::Window::new(title)
        .open(&mut open)
        .collapsible(false)
        .default_pos([300.0, 60.0])
        .default_width(520.0)
        .show(ctx, |ui| {
            hints_ui(ui, info, lang);
            if !allowed {
                ui.add(
                    egui::Label::new(
                        RichText::new(not_allowed_text(info.opened, info.rights, lang))
                            .color(egui::Color32::from_rgb(0xb0, 0x20, 0x20)),
                    )
                    .wrap(),
                );
            }
            ui.add_enabled_ui(allowed, |ui| {
                egui::Grid::new("measure-grid")
                    .num_columns(2)
                    .striped(false)
                    .show(ui, |ui| {
                        texts_ui(ui, draft, fresh, lang);
                        fields_ui(ui, draft, lang);
                        places_ui(ui, map, typed, selected_codes, lang);
                        who_ui(ui, draft, lang);
                        when_ui(ui, draft, typed, lang);
                        text_row(
                            ui,
                            lang.t(T::ColNotes),
                            &mut draft.notes,
                            TextField::Notes,
                            lang,
                        );
                    });
                if let Some(problem) = &typed.problem {
                    ui.label(
                        RichText::new(problem).color(egui::Color32::from_rgb(0xb0, 0x20, 0x20)),
                    );
                }
            });
            if info.shared && !is_new {
                history_ui(ui, info.history, lang);
            }
            ui.separator();
            commands.extend(buttons_ui(
                ui,
                map,
                draft,
                typed,
                allowed,
                info.rights,
                lang,
            ));
        });
    if !open {
        commands.push(Command::CloseMeasureForm);
    }
    commands
}

/// What the user should know before writing: where the measure will be kept, and whether
/// someone else changed it meanwhile.
fn hints_ui(ui: &mut Ui, info: DraftInfo<'_>, lang: Lang) {
    let orange = egui::Color32::from_rgb(0xa0, 0x50, 0x00);
    match info.keeping {
        Keeping::ReadOnly => {
            ui.label(RichText::new(lang.t(T::MeasureReadOnlyHint)).color(orange));
        }
        Keeping::Nothing => {
            ui.label(RichText::new(lang.t(T::MeasureNotSavedHint)).color(orange));
        }
        Keeping::Project => {}
    }
    if info.changed_elsewhere {
        ui.add(
            egui::Label::new(
                RichText::new(lang.t(T::FormChangedElsewhere))
                    .color(egui::Color32::from_rgb(0xb0, 0x20, 0x20)),
            )
            .wrap(),
        );
    }
}

/// Why the user may not change this measure, in words: whose it is and whose they may change.
fn not_allowed_text(m: &Measure, rights: &Rights, lang: Lang) -> String {
    match rights {
        Rights::Municipalities(own) => lang.tf(
            T::MeasureNotYours,
            &[
                ("theirs", &m.municipalities.join(", ")),
                ("own", &own.join(", ")),
            ],
        ),
        _ => lang.t(T::MeasureOnlyRead).to_string(),
    }
}

/// Who changed the measure when, as the register records it (edits in QGIS included).
fn history_ui(ui: &mut Ui, history: Option<&[HistoryEntry]>, lang: Lang) {
    egui::CollapsingHeader::new(lang.t(T::MeasureHistory))
        .default_open(false)
        .show(ui, |ui| {
            let Some(lines) = history else {
                ui.label(RichText::new(lang.t(T::MeasureHistoryLoading)).weak());
                return;
            };
            if lines.is_empty() {
                ui.label(RichText::new(lang.t(T::MeasureHistoryEmpty)).weak());
            }
            egui::ScrollArea::vertical()
                .max_height(160.0)
                .show(ui, |ui| {
                    for line in lines.iter().rev() {
                        let what = match line.action {
                            HistoryAction::Added => lang.t(T::HistoryAdded).to_string(),
                            HistoryAction::Deleted => lang.t(T::HistoryDeleted).to_string(),
                            HistoryAction::Changed => lang.tf(
                                T::HistoryChanged,
                                &[("fields", &labels::register_columns(&line.fields, lang))],
                            ),
                        };
                        ui.label(format!(
                            "{} · {} · {what}",
                            format::date_time(line.time, lang),
                            line.user
                        ));
                    }
                });
        });
}

/// Title and description.
fn texts_ui(ui: &mut Ui, draft: &mut Measure, fresh: bool, lang: Lang) {
    let title = text_row(
        ui,
        lang.t(T::ColTitle),
        &mut draft.title,
        TextField::Title,
        lang,
    );
    if fresh && let Some(title) = title {
        // Typing starts in the title, as planners expect in a workshop.
        title.request_focus();
    }
    text_row(
        ui,
        lang.t(T::ColDescription),
        &mut draft.description,
        TextField::Description,
        lang,
    );
}

/// The Handlungsfelder the measure serves.
fn fields_ui(ui: &mut Ui, draft: &mut Measure, lang: Lang) {
    ui.label(lang.t(T::ColFields));
    ui.vertical(|ui| {
        for f in ActionField::ALL {
            let mut on = draft.fields.contains(f);
            let label = format!("{} {}", f.number(), field_name(f, lang));
            if ui.checkbox(&mut on, label).changed() {
                if on {
                    draft.fields.insert(f);
                } else {
                    draft.fields.remove(f);
                }
            }
        }
    });
    ui.end_row();
}

/// Areas (typed, or taken from the selection) and municipalities.
fn places_ui(
    ui: &mut Ui,
    map: &Document,
    typed: &mut Typed,
    selected_codes: &[String],
    lang: Lang,
) {
    ui.label(lang.t(T::ColAreas));
    ui.vertical(|ui| {
        let edit = ui.add(
            TextEdit::singleline(&mut typed.areas)
                .desired_width(360.0)
                .hint_text("AC 1; AC 2"),
        );
        name(&edit, lang.t(T::ColAreas));
        ui.horizontal(|ui| {
            if ui
                .add_enabled(
                    !selected_codes.is_empty(),
                    egui::Button::new(lang.t(T::MeasureTakeSelection)),
                )
                .on_hover_text(lang.t(T::TipTakeSelection))
                .clicked()
            {
                typed.areas = selected_codes.join("; ");
                typed.municipalities = municipalities_of(&map.region, selected_codes).join("; ");
            }
            if ui
                .button(lang.t(T::MeasureDeriveMunicipalities))
                .on_hover_text(lang.t(T::TipDeriveMunicipalities))
                .clicked()
            {
                let (codes, _) = parse_areas(map, &typed.areas);
                typed.municipalities = municipalities_of(&map.region, &codes).join("; ");
            }
        });
    });
    ui.end_row();
    plain_row(ui, lang.t(T::ColMunicipalities), &mut typed.municipalities);
}

/// Responsibility, lead, partners and status.
fn who_ui(ui: &mut Ui, draft: &mut Measure, lang: Lang) {
    ui.label(lang.t(T::ColResponsibility));
    let combo = ComboBox::from_id_salt("measure-responsibility")
        .selected_text(labels::responsibility(draft.responsibility, lang))
        .width(360.0)
        .show_ui(ui, |ui| {
            for r in Responsibility::ALL {
                ui.selectable_value(
                    &mut draft.responsibility,
                    r,
                    labels::responsibility(r, lang),
                );
            }
        });
    name(&combo.response, lang.t(T::ColResponsibility));
    ui.end_row();
    text_row(
        ui,
        lang.t(T::ColLead),
        &mut draft.lead,
        TextField::Lead,
        lang,
    );
    text_row(
        ui,
        lang.t(T::ColPartners),
        &mut draft.partners,
        TextField::Partners,
        lang,
    );
    ui.label(lang.t(T::ColStatus));
    let combo = ComboBox::from_id_salt("measure-status")
        .selected_text(labels::status(draft.status, lang))
        .show_ui(ui, |ui| {
            for st in Status::ALL {
                ui.selectable_value(&mut draft.status, st, labels::status(st, lang));
            }
        });
    name(&combo.response, lang.t(T::ColStatus));
    ui.end_row();
}

/// Period, budget and priority.
fn when_ui(ui: &mut Ui, draft: &mut Measure, typed: &mut Typed, lang: Lang) {
    ui.label(lang.t(T::MeasurePeriod));
    ui.horizontal(|ui| {
        let hint = if lang == Lang::De {
            "TT.MM.JJJJ"
        } else {
            "YYYY-MM-DD"
        };
        let e = ui.add(
            TextEdit::singleline(&mut typed.start)
                .desired_width(110.0)
                .hint_text(hint),
        );
        name(&e, lang.t(T::ColStart));
        ui.label("–");
        let e = ui.add(
            TextEdit::singleline(&mut typed.end)
                .desired_width(110.0)
                .hint_text(hint),
        );
        name(&e, lang.t(T::ColEnd));
    });
    ui.end_row();
    ui.label(lang.t(T::ColBudget));
    let e = ui.add(TextEdit::singleline(&mut typed.budget).desired_width(140.0));
    name(&e, lang.t(T::ColBudget));
    ui.end_row();
    ui.label(lang.t(T::ColPriority));
    let combo = ComboBox::from_id_salt("measure-priority")
        .selected_text(labels::priority(draft.priority, lang))
        .show_ui(ui, |ui| {
            ui.selectable_value(&mut draft.priority, None, labels::priority(None, lang));
            for p in Priority::ALL {
                ui.selectable_value(
                    &mut draft.priority,
                    Some(p),
                    labels::priority(Some(p), lang),
                );
            }
        });
    name(&combo.response, lang.t(T::ColPriority));
    ui.end_row();
}

/// Save, cancel, delete. Saving returns the measure as an edit; a problem stays in the form.
fn buttons_ui(
    ui: &mut Ui,
    map: &Document,
    draft: &Measure,
    typed: &mut Typed,
    allowed: bool,
    rights: &Rights,
    lang: Lang,
) -> Vec<Command> {
    let mut commands = Vec::new();
    let is_new = draft.uid.is_nil();
    ui.horizontal(|ui| {
        if ui
            .add_enabled(
                allowed,
                egui::Button::new(RichText::new(lang.t(T::MeasureSave)).strong()),
            )
            .clicked()
        {
            match complete(map, draft, typed, lang) {
                Ok(measure) if !rights.may_change_measure(&measure) => {
                    typed.problem = Some(not_allowed_text(&measure, rights, lang));
                }
                Ok(measure) => {
                    commands.push(Command::Edit(if is_new {
                        Edit::AddMeasure(Box::new(measure))
                    } else {
                        Edit::UpdateMeasure(Box::new(measure))
                    }));
                    // The map stays in view with the new badge; the list opens with Ctrl+L.
                    commands.push(Command::CloseMeasureForm);
                }
                Err(problem) => typed.problem = Some(problem),
            }
        }
        if ui.button(lang.t(T::Cancel)).clicked() {
            commands.push(Command::CloseMeasureForm);
        }
        if !is_new
            && ui
                .add_enabled(allowed, egui::Button::new(lang.t(T::MeasureDelete)))
                .clicked()
        {
            commands.push(Command::Edit(Edit::DeleteMeasure(draft.uid)));
            commands.push(Command::CloseMeasureForm);
        }
    });
    commands
}

/// The measure with the typed fields parsed, or the first problem.
fn complete(map: &Document, draft: &Measure, form: &Typed, lang: Lang) -> Result<Measure, String> {
    let mut m = draft.clone();
    m.title = m.title.trim().to_string();
    let (areas, unknown) = parse_areas(map, &form.areas);
    if let Some(code) = unknown.first() {
        return Err(lang.tf(T::MeasureUnknownAreaForm, &[("code", code)]));
    }
    m.areas = areas;
    m.municipalities = form
        .municipalities
        .split(';')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect();
    let date = |text: &str, what: T| -> Result<Option<Date>, String> {
        if text.trim().is_empty() {
            return Ok(None);
        }
        Date::parse(text).map(Some).ok_or_else(|| {
            lang.tf(
                T::MeasureBadDate,
                &[("what", lang.t(what)), ("value", text.trim())],
            )
        })
    };
    m.start = date(&form.start, T::ColStart)?;
    m.end = date(&form.end, T::ColEnd)?;
    m.budget_eur = if form.budget.trim().is_empty() {
        None
    } else {
        let text = form.budget.trim().trim_end_matches('€').trim();
        Some(
            format::parse_number(text, lang)
                .ok_or_else(|| lang.tf(T::MeasureBadBudget, &[("value", form.budget.trim())]))?,
        )
    };
    match m.problem() {
        None => Ok(m),
        Some(problem) => Err(labels::measure_problem(problem, &m, lang)),
    }
}
