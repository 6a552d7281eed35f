//! egui panels. Each `*_ui` function reads the state and returns the commands the user gave;
//! none of them changes the model.

pub mod atlas_window;
pub mod command;
pub mod conflict_dialog;
pub mod data_windows;
pub mod dialogs;
pub mod export_window;
pub mod file_picker;
pub mod fonts;
pub mod index_window;
pub mod inspector;
pub mod legend;
pub mod map_view;
pub mod measure_form;
pub mod measures_window;
pub mod menu;
pub mod presentation;
pub mod register_window;
pub mod report_window;
pub mod rules_window;
pub mod save_dialog;
pub mod series_chart;
pub mod shown;
pub mod status_bar;
pub mod swatch;
pub mod switcher;
pub mod table_window;
pub mod view_panel;
pub mod views_window;
pub mod wrapped;
pub mod years;

use eframe::egui::{self, RichText, Ui};

use self::command::{Command, Window};
use self::shown::Shown;
use crate::i18n::{Lang, T, format};

/// A drag value that shows and reads numbers in the user's writing (German "0,50").
pub fn number_drag(value: &mut f64, decimals: usize, lang: Lang) -> egui::DragValue<'_> {
    egui::DragValue::new(value)
        .custom_formatter(move |v, _| crate::i18n::format::number(v, decimals, lang))
        .custom_parser(move |text| crate::i18n::format::parse_number(text, lang))
}

/// Gives a widget without a visible label of its own an accessible name, so screen readers
/// (and the UI tests) can find it.
pub fn name(response: &egui::Response, name: &str) {
    let name = name.to_string();
    response
        .ctx
        .accesskit_node_builder(response.id, |node| node.set_label(name));
}

/// The left panel's map section: file, counts, projection, problems.
pub fn map_info_ui(ui: &mut Ui, state: &Shown<'_>) -> Vec<Command> {
    let lang = state.lang();
    let mut commands = Vec::new();
    let Some(map) = state.map else {
        return commands;
    };
    ui.heading(lang.t(T::MapPanelHeading));
    ui.label(RichText::new(&map.region.title).strong());
    egui::Grid::new("map-info").num_columns(2).show(ui, |ui| {
        ui.label(lang.t(T::MapAreas));
        ui.label(format::count(map.region.spaces.len(), lang));
        ui.end_row();
        if !map.region.municipalities.is_empty() {
            ui.label(lang.t(T::MapMunicipalities));
            ui.label(format::count(map.region.municipalities.len(), lang));
            ui.end_row();
        }
        ui.label(lang.t(T::MapCrs));
        ui.label(format!("EPSG:{}", map.region.crs.epsg));
        ui.end_row();
    });
    if !map.region.municipalities.is_empty() {
        let current = state
            .view
            .focus
            .clone()
            .unwrap_or_else(|| lang.t(T::FocusAll).to_string());
        ui.label(lang.t(T::FocusLabel))
            .on_hover_text(lang.t(T::FocusHint));
        let combo = egui::ComboBox::from_id_salt("focus-municipality")
            .selected_text(current)
            .width(200.0)
            .show_ui(ui, |ui| {
                if ui
                    .selectable_label(state.view.focus.is_none(), lang.t(T::FocusAll))
                    .clicked()
                {
                    commands.push(Command::Focus(None));
                }
                for m in &map.region.municipalities {
                    let on = state.view.focus.as_deref() == Some(m.name.as_str());
                    if ui.selectable_label(on, &m.name).clicked() {
                        commands.push(Command::Focus(Some(m.name.clone())));
                    }
                }
            });
        name(&combo.response, lang.t(T::FocusLabel));
    }
    let problems = map.report.problems.len();
    if problems > 0 {
        ui.colored_label(
            ui.visuals().warn_fg_color,
            lang.tf(T::ReportProblems, &[("n", &format::count(problems, lang))]),
        );
    }
    if ui
        .button(lang.t(T::ShowReport))
        .on_hover_text(lang.t(T::TipShowReport))
        .clicked()
    {
        commands.push(Command::ShowWindow(Window::Report, true));
    }
    commands
}

/// Why a window's content may only be read here (a shared register), in the warning colour.
pub fn locked_hint(ui: &mut eframe::egui::Ui, locked: Option<&str>) {
    if let Some(why) = locked {
        ui.add(
            eframe::egui::Label::new(
                eframe::egui::RichText::new(why)
                    .color(eframe::egui::Color32::from_rgb(0xa0, 0x50, 0x00)),
            )
            .wrap(),
        );
    }
}
