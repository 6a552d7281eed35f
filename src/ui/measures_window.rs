//! The measures table: search, filter by Handlungsfeld, municipality, status and
//! responsibility, sort by any column, edit, delete, show on the map; and the import report.
//!
//! Filtering and sorting are pure ([`visible_measures`]) so they are tested without a window;
//! the result is kept until the filter or the measures change, and only the rows in view are
//! laid out, so a list of 100,000 measures (or one with a 50 MB title from another program)
//! stays fluid. Texts are shown shortened; a measure whose change is not yet in the project
//! file is marked.

use std::cmp::Ordering;

use eframe::egui::{self, ComboBox, Context, RichText, TextEdit};

use super::command::{Command, PathPurpose, Window};
use super::name;
use crate::document::Document;
use crate::document::edit::Edit;
use crate::i18n::{Lang, T, format, labels};
use crate::io::measures_table::MeasureImportReport;
use crate::io::store::Rights;
use crate::model::{ActionField, Measure, Responsibility, Status, Timestamp, Uid, natural_cmp};
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

/// The table's state: the filter, and the filtered list for the measures it was made from.
#[derive(Debug, Default)]
pub struct MeasureList {
    /// Search, filters and sort order.
    pub filter: MeasureFilter,
    /// The uids the filter let through, for `key`.
    shown: Vec<Uid>,
    /// The filter and measures generation `shown` was made for.
    key: Option<(MeasureFilter, u64)>,
}

/// Rows up to which the table is one grid (columns fit their content); longer lists show
/// only the rows in view.
const GRID_ROWS: usize = 500;

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
    if filter.sort == SortColumn::Title {
        // One key per measure (not two per comparison), from a title of any length.
        out.sort_by_cached_key(|m| (format::short(&m.title, 200).to_lowercase(), m.id));
        if filter.descending {
            out.reverse();
        }
        return out;
    }
    // Measures without a number yet (not in the file) come after the numbered ones.
    let nr = |m: &Measure| if m.id > 0 { m.id } else { i64::MAX };
    out.sort_by(|a, b| {
        let o = match filter.sort {
            SortColumn::Nr | SortColumn::Title => nr(a).cmp(&nr(b)),
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
        .then(nr(a).cmp(&nr(b)));
        if filter.descending { o.reverse() } else { o }
    });
    out
}

/// What the table says about each measure besides its fields: whether it waits to be
/// saved, whether the user may change it, and (in a shared register) who changed it last.
pub struct MeasureAccess<'a> {
    /// The measure has a change not yet saved.
    pub unsaved: &'a dyn Fn(Uid) -> bool,
    /// What the user may change.
    pub rights: &'a Rights,
    /// Who changed a measure last, and when (a shared register).
    pub changed_by: &'a dyn Fn(Uid) -> Option<(String, Timestamp)>,
    /// The measures are kept in a shared register (the table shows "geändert von").
    pub shared: bool,
}

/// Shows the measures table. `generation` changes whenever the measures may have.
pub fn measures_window_ui(
    ctx: &Context,
    map: &Document,
    access: &MeasureAccess<'_>,
    list: &mut MeasureList,
    generation: u64,
    lang: Lang,
) -> Vec<Command> {
    let MeasureList { filter, shown, key } = list;
    let mut commands = Vec::new();
    let mut open = true;
    egui::Window::new(Window::Measures.title(lang))
        .open(&mut open)
        .default_pos([270.0, 430.0])
        .default_width(1120.0)
        .min_width(760.0)
        .default_height(420.0)
        .show(ctx, |ui| {
            filters_ui(ui, map, filter, lang);
            if key.as_ref() != Some(&(filter.clone(), generation)) {
                *shown = visible_measures(map.measures.all(), filter)
                    .iter()
                    .map(|m| m.uid)
                    .collect();
                *key = Some((filter.clone(), generation));
            }
            let rows: Vec<&Measure> = shown.iter().filter_map(|u| map.measures.get(*u)).collect();
            let budget: f64 = rows.iter().filter_map(|m| m.budget_eur).sum();
            ui.label(lang.tf(
                T::MeasuresCount,
                &[
                    ("n", &format::count(rows.len(), lang)),
                    ("total", &format::count(map.measures.len(), lang)),
                    ("budget", &format::number(budget, 0, lang)),
                ],
            ));
            ui.separator();
            commands.extend(table_ui(ui, map, access, &rows, filter, lang));
            ui.separator();
            commands.extend(list_buttons_ui(ui, lang));
        });
    if !open {
        commands.push(Command::ShowWindow(Window::Measures, false));
    }
    commands
}

/// Search and the filters by field, municipality, status and responsibility.
fn filters_ui(ui: &mut egui::Ui, map: &Document, filter: &mut MeasureFilter, lang: Lang) {
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
}

/// The column headers; a click sorts by a column (again: the other way round).
fn header_ui(ui: &mut egui::Ui, filter: &mut MeasureFilter, shared: bool, lang: Lang) {
    sort_header(ui, filter, SortColumn::Nr, lang.t(T::ColNr));
    // The buttons stand beside the number, in sight however wide the table is.
    ui.label("");
    for (column, label) in [
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
    if shared {
        ui.label(RichText::new(lang.t(T::ColChangedBy)).strong());
    }
}

/// The table: a grid for a short list; for a long one only the rows in sight are laid out.
fn table_ui(
    ui: &mut egui::Ui,
    map: &Document,
    access: &MeasureAccess<'_>,
    rows: &[&Measure],
    filter: &mut MeasureFilter,
    lang: Lang,
) -> Vec<Command> {
    let mut commands = Vec::new();
    if rows.len() <= GRID_ROWS {
        egui::ScrollArea::both().max_height(340.0).show(ui, |ui| {
            egui::Grid::new("measures-table")
                .striped(true)
                .num_columns(if access.shared { 10 } else { 9 })
                .show(ui, |ui| {
                    header_ui(ui, filter, access.shared, lang);
                    ui.end_row();
                    for m in rows {
                        commands.extend(row_ui(ui, map, access, m, lang));
                        ui.end_row();
                    }
                });
        });
    } else {
        ui.horizontal(|ui| header_ui(ui, filter, access.shared, lang));
        let height = ui.text_style_height(&egui::TextStyle::Body) + 6.0;
        egui::ScrollArea::both().max_height(340.0).show_rows(
            ui,
            height,
            rows.len(),
            |ui, range| {
                for m in &rows[range] {
                    ui.horizontal(|ui| commands.extend(row_ui(ui, map, access, m, lang)));
                }
            },
        );
    }
    commands
}

/// Add, export and import.
fn list_buttons_ui(ui: &mut egui::Ui, lang: Lang) -> Vec<Command> {
    let mut commands = Vec::new();
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
    commands
}

/// The cells of one measure: number (marked when not yet saved), title (selects its areas),
/// edit and delete, areas, fields, responsibility, status, period, budget (and who changed it).
fn row_ui(
    ui: &mut egui::Ui,
    map: &Document,
    access: &MeasureAccess<'_>,
    m: &Measure,
    lang: Lang,
) -> Vec<Command> {
    let mut commands = Vec::new();
    let number = if m.id > 0 {
        m.id.to_string()
    } else {
        "–".to_string()
    };
    if (access.unsaved)(m.uid) {
        ui.label(
            RichText::new(format!("{number} ●")).color(egui::Color32::from_rgb(0xb0, 0x10, 0x10)),
        )
        .on_hover_text(lang.t(T::MeasureUnsavedMark));
    } else {
        ui.label(number);
    }
    let allowed = access.rights.may_change_measure(m);
    ui.horizontal(|ui| {
        let label = if allowed {
            T::MeasureEdit
        } else {
            T::MeasureView
        };
        let edit = ui.small_button(lang.t(label));
        name(&edit, &format!("{} {}", lang.t(label), m.id));
        if edit.clicked() {
            commands.push(Command::EditMeasure(m.uid));
        }
        let delete = ui
            .add_enabled(allowed, egui::Button::new(lang.t(T::MeasureDelete)).small())
            .on_disabled_hover_text(lang.t(T::MeasureNotYoursShort));
        name(&delete, &format!("{} {}", lang.t(T::MeasureDelete), m.id));
        if delete.clicked() {
            commands.push(Command::Edit(Edit::DeleteMeasure(m.uid)));
        }
    });
    let title = ui
        .link(format::short(&m.title, 80))
        .on_hover_text(lang.t(T::MeasureShowOnMap));
    if title.clicked() {
        let areas: Vec<usize> = m
            .areas
            .iter()
            .filter_map(|c| map.region.space_by_code(c))
            .collect();
        commands.push(Command::SelectMany(areas));
    }
    let areas: Vec<&str> = m.areas.iter().take(12).map(String::as_str).collect();
    let more = if m.areas.len() > areas.len() {
        ", …"
    } else {
        ""
    };
    ui.label(format!("{}{more}", areas.join(", ")));
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
    if access.shared {
        ui.label(
            (access.changed_by)(m.uid)
                .map(|(who, when)| {
                    lang.tf(
                        T::ChangedByAt,
                        &[("who", &who), ("when", &format::date_time(when, lang))],
                    )
                })
                .unwrap_or_default(),
        );
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
    egui::Window::new(Window::MeasureImport.title(lang))
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
