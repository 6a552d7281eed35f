//! The measures table: search, filter by Handlungsfeld, municipality, status and
//! responsibility, sort by any column, edit, delete, show on the map; and the import report.
//!
//! Filtering and sorting are pure ([`visible_measures`]) so they are tested without a window.

use std::cmp::Ordering;

use eframe::egui::{self, ComboBox, Context, RichText, TextEdit};

use super::name;
use crate::app::{Command, Edit, LoadedMap, PathPurpose, Window};
use crate::i18n::{Lang, T, format, labels};
use crate::io::measures_table::MeasureImportReport;
use crate::model::{ActionField, Measure, Responsibility, Status, natural_cmp};
use crate::scene::field_name;

/// A sortable column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SortColumn {
    /// Id.
    #[default]
    Nr,
    /// Title.
    Title,
    /// First area code.
    Areas,
    /// Responsibility.
    Responsibility,
    /// Status.
    Status,
    /// Start date.
    Start,
    /// Budget.
    Budget,
}

/// Search, filters and sort order of the table.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MeasureFilter {
    /// Text searched in title, description, lead, partners, notes and codes.
    pub search: String,
    /// Only measures serving this field.
    pub field: Option<ActionField>,
    /// Only measures involving this municipality.
    pub municipality: Option<String>,
    /// Only measures with this status.
    pub status: Option<Status>,
    /// Only measures with this responsibility.
    pub responsibility: Option<Responsibility>,
    /// Sort column.
    pub sort: SortColumn,
    /// Sort descending.
    pub descending: bool,
}

/// The measures the filter lets through, in its order.
pub fn visible_measures<'a>(measures: &'a [Measure], filter: &MeasureFilter) -> Vec<&'a Measure> {
    let needle = filter.search.trim().to_lowercase();
    let mut out: Vec<&Measure> = measures
        .iter()
        .filter(|m| filter.field.is_none_or(|f| m.fields.contains(f)))
        .filter(|m| {
            filter
                .municipality
                .as_ref()
                .is_none_or(|k| m.municipalities.contains(k))
        })
        .filter(|m| filter.status.is_none_or(|s| m.status == s))
        .filter(|m| filter.responsibility.is_none_or(|r| m.responsibility == r))
        .filter(|m| {
            needle.is_empty()
                || [&m.title, &m.description, &m.lead, &m.partners, &m.notes]
                    .iter()
                    .any(|t| t.to_lowercase().contains(&needle))
                || m.areas.iter().any(|a| a.to_lowercase().contains(&needle))
        })
        .collect();
    out.sort_by(|a, b| {
        let o = match filter.sort {
            SortColumn::Nr => a.id.cmp(&b.id),
            SortColumn::Title => a.title.to_lowercase().cmp(&b.title.to_lowercase()),
            SortColumn::Areas => natural_cmp(
                a.areas.first().map_or("", String::as_str),
                b.areas.first().map_or("", String::as_str),
            ),
            SortColumn::Responsibility => a.responsibility.cmp(&b.responsibility),
            SortColumn::Status => a.status.cmp(&b.status),
            SortColumn::Start => a.start.cmp(&b.start),
            SortColumn::Budget => a
                .budget_eur
                .partial_cmp(&b.budget_eur)
                .unwrap_or(Ordering::Equal),
        }
        .then(a.id.cmp(&b.id));
        if filter.descending { o.reverse() } else { o }
    });
    out
}

/// Shows the measures table.
pub fn measures_window_ui(
    ctx: &Context,
    map: &LoadedMap,
    filter: &mut MeasureFilter,
    lang: Lang,
) -> Vec<Command> {
    let mut commands = Vec::new();
    let mut open = true;
    egui::Window::new(lang.t(T::MeasuresTitle))
        .open(&mut open)
        .default_pos([270.0, 430.0])
        .default_width(1120.0)
        .min_width(760.0)
        .default_height(420.0)
        .show(ctx, |ui| {
            ui.horizontal_wrapped(|ui| {
                let e = ui.add(
                    TextEdit::singleline(&mut filter.search)
                        .hint_text(lang.t(T::MeasureSearch))
                        .desired_width(180.0),
                );
                name(&e, lang.t(T::MeasureSearch));
                filter_combo(
                    ui,
                    "f-field",
                    lang.t(T::ColFields),
                    &mut filter.field,
                    &ActionField::ALL,
                    |f| format!("{} {}", f.number(), field_name(*f, lang)),
                    lang,
                );
                let municipalities: Vec<String> = map
                    .region
                    .municipalities
                    .iter()
                    .map(|m| m.name.clone())
                    .collect();
                filter_combo(
                    ui,
                    "f-municipality",
                    lang.t(T::ColMunicipalities),
                    &mut filter.municipality,
                    &municipalities,
                    |m| m.clone(),
                    lang,
                );
                filter_combo(
                    ui,
                    "f-status",
                    lang.t(T::ColStatus),
                    &mut filter.status,
                    &Status::ALL,
                    |s| labels::status(*s, lang).to_string(),
                    lang,
                );
                filter_combo(
                    ui,
                    "f-resp",
                    lang.t(T::ColResponsibility),
                    &mut filter.responsibility,
                    &Responsibility::ALL,
                    |r| labels::responsibility(*r, lang).to_string(),
                    lang,
                );
            });
            let shown = visible_measures(map.measures.all(), filter);
            let budget: f64 = shown.iter().filter_map(|m| m.budget_eur).sum();
            ui.label(lang.tf(
                T::MeasuresCount,
                &[
                    ("n", &format::count(shown.len(), lang)),
                    ("total", &format::count(map.measures.len(), lang)),
                    ("budget", &format::number(budget, 0, lang)),
                ],
            ));
            ui.separator();
            egui::ScrollArea::both().max_height(340.0).show(ui, |ui| {
                egui::Grid::new("measures-table")
                    .striped(true)
                    .num_columns(9)
                    .show(ui, |ui| {
                        for (column, label) in [
                            (SortColumn::Nr, T::ColNr),
                            (SortColumn::Title, T::ColTitle),
                            (SortColumn::Areas, T::ColAreas),
                        ] {
                            sort_header(ui, filter, column, lang.t(label));
                        }
                        ui.label(RichText::new(lang.t(T::ColFields)).strong());
                        for (column, label) in [
                            (SortColumn::Responsibility, T::ColResponsibility),
                            (SortColumn::Status, T::ColStatus),
                            (SortColumn::Start, T::MeasurePeriod),
                            (SortColumn::Budget, T::ColBudget),
                        ] {
                            sort_header(ui, filter, column, lang.t(label));
                        }
                        ui.label("");
                        ui.end_row();
                        for m in &shown {
                            ui.label(m.id.to_string());
                            let title =
                                ui.link(&m.title).on_hover_text(lang.t(T::MeasureShowOnMap));
                            if title.clicked() {
                                let areas: Vec<usize> = m
                                    .areas
                                    .iter()
                                    .filter_map(|c| map.region.space_by_code(c))
                                    .collect();
                                commands.push(Command::SelectMany(areas));
                            }
                            ui.label(m.areas.join(", "));
                            ui.label(m.fields.to_numbers().replace(';', ", "));
                            ui.label(labels::responsibility(m.responsibility, lang));
                            ui.label(labels::status(m.status, lang));
                            let period = match (m.start, m.end) {
                                (None, None) => String::new(),
                                (s, e) => format!(
                                    "{} – {}",
                                    s.map(|d| format::date(d, lang)).unwrap_or_default(),
                                    e.map(|d| format::date(d, lang)).unwrap_or_default()
                                ),
                            };
                            ui.label(period);
                            ui.label(
                                m.budget_eur
                                    .map(|b| format!("{} €", format::number(b, 0, lang)))
                                    .unwrap_or_default(),
                            );
                            ui.horizontal(|ui| {
                                let edit = ui.small_button(lang.t(T::MeasureEdit));
                                name(&edit, &format!("{} {}", lang.t(T::MeasureEdit), m.id));
                                if edit.clicked() {
                                    commands.push(Command::EditMeasure(m.uid));
                                }
                                let delete = ui.small_button(lang.t(T::MeasureDelete));
                                name(&delete, &format!("{} {}", lang.t(T::MeasureDelete), m.id));
                                if delete.clicked() {
                                    commands.push(Command::Edit(Edit::DeleteMeasure(m.uid)));
                                }
                            });
                            ui.end_row();
                        }
                    });
            });
            ui.separator();
            ui.horizontal(|ui| {
                if ui
                    .button(lang.t(T::AddMeasure))
                    .on_hover_text(lang.t(T::TipAddMeasure))
                    .clicked()
                {
                    commands.push(Command::NewMeasure);
                }
                if ui
                    .button(lang.t(T::MenuExportMeasures))
                    .on_hover_text(lang.t(T::TipExportMeasures))
                    .clicked()
                {
                    commands.push(Command::ShowWindow(
                        Window::Path(PathPurpose::ExportMeasures),
                        true,
                    ));
                }
                if ui
                    .button(lang.t(T::MenuImportMeasures))
                    .on_hover_text(lang.t(T::TipImportMeasures))
                    .clicked()
                {
                    commands.push(Command::ShowWindow(
                        Window::Path(PathPurpose::ImportMeasures),
                        true,
                    ));
                }
            });
        });
    if !open {
        commands.push(Command::ShowWindow(Window::Measures, false));
    }
    commands
}

fn sort_header(ui: &mut egui::Ui, filter: &mut MeasureFilter, column: SortColumn, label: &str) {
    let arrow = match (filter.sort == column, filter.descending) {
        (true, false) => " ▲",
        (true, true) => " ▼",
        _ => "",
    };
    if ui
        .add(egui::Button::new(RichText::new(format!("{label}{arrow}")).strong()).frame(false))
        .clicked()
    {
        if filter.sort == column {
            filter.descending = !filter.descending;
        } else {
            filter.sort = column;
            filter.descending = false;
        }
    }
}

fn filter_combo<V: Clone + PartialEq>(
    ui: &mut egui::Ui,
    id: &str,
    label: &str,
    value: &mut Option<V>,
    choices: &[V],
    text: impl Fn(&V) -> String,
    lang: Lang,
) {
    let all = format!("{label}: {}", lang.t(T::FilterAll));
    let current = value
        .as_ref()
        .map_or(all.clone(), |v| format!("{label}: {}", text(v)));
    let combo = ComboBox::from_id_salt(id)
        .selected_text(current)
        .show_ui(ui, |ui| {
            ui.selectable_value(value, None, all);
            for c in choices {
                ui.selectable_value(value, Some(c.clone()), text(c));
            }
        });
    name(&combo.response, label);
}

/// Shows what a measure import took and what it did not.
pub fn measure_import_window_ui(
    ctx: &Context,
    report: &MeasureImportReport,
    lang: Lang,
) -> Vec<Command> {
    let mut commands = Vec::new();
    let mut open = true;
    egui::Window::new(lang.t(T::MeasureImportTitle))
        .open(&mut open)
        .default_width(560.0)
        .show(ctx, |ui| {
            ui.label(report.summary(lang));
            egui::ScrollArea::vertical()
                .max_height(360.0)
                .show(ui, |ui| {
                    if !report.skipped.is_empty() {
                        ui.label(RichText::new(lang.t(T::MeasureImportSkipped)).strong());
                        for (line, why) in &report.skipped {
                            ui.label(format!("{} {line}: {why}", lang.t(T::Line)));
                        }
                    }
                    if !report.notes.is_empty() {
                        ui.label(RichText::new(lang.t(T::MeasureImportNotes)).strong());
                        for (line, what) in &report.notes {
                            ui.label(format!("{} {line}: {what}", lang.t(T::Line)));
                        }
                    }
                });
        });
    if !open {
        commands.push(Command::ShowWindow(Window::MeasureImport, false));
    }
    commands
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(id: i64, title: &str, status: Status, budget: Option<f64>, field: ActionField) -> Measure {
        Measure {
            id,
            title: title.into(),
            status,
            budget_eur: budget,
            fields: [field].into_iter().collect(),
            areas: vec![format!("AC {id}")],
            municipalities: vec![if id % 2 == 0 { "Aachen" } else { "Eschweiler" }.into()],
            ..Measure::default()
        }
    }

    #[test]
    fn filters_combine_and_sorting_is_stable_by_id() {
        let list = vec![
            m(
                1,
                "Quartiersbüro",
                Status::Planned,
                Some(5000.0),
                ActionField::Disadvantaged,
            ),
            m(
                2,
                "Familienzentrum",
                Status::Idea,
                None,
                ActionField::ChildrenFamilies,
            ),
            m(
                3,
                "Seniorentreff",
                Status::Planned,
                Some(800.0),
                ActionField::Elderly,
            ),
            m(
                4,
                "Sprachcafé",
                Status::Planned,
                Some(1200.0),
                ActionField::Integration,
            ),
        ];
        let mut f = MeasureFilter {
            status: Some(Status::Planned),
            ..MeasureFilter::default()
        };
        let ids = |f: &MeasureFilter| {
            visible_measures(&list, f)
                .iter()
                .map(|m| m.id)
                .collect::<Vec<_>>()
        };
        assert_eq!(ids(&f), [1, 3, 4]);
        f.sort = SortColumn::Budget;
        assert_eq!(ids(&f), [3, 4, 1]);
        f.descending = true;
        assert_eq!(ids(&f), [1, 4, 3]);
        f.municipality = Some("Aachen".into());
        assert_eq!(ids(&f), [4]);
        let f = MeasureFilter {
            search: "büro".into(),
            ..MeasureFilter::default()
        };
        assert_eq!(ids(&f), [1]);
        let f = MeasureFilter {
            search: "ac 2".into(),
            ..MeasureFilter::default()
        };
        assert_eq!(ids(&f), [2]);
    }
}
