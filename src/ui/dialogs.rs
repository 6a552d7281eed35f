//! Secondary windows: the open form, the import report, errors, shortcuts, about.

use std::path::PathBuf;

use eframe::egui::{self, Context, RichText, ScrollArea, TextEdit};

use super::command::{Command, Window};
use super::shown::Shown;
use crate::i18n::{Lang, T};
use crate::io::fields::FieldOverrides;
use crate::io::{ImportOptions, ImportReport};
use crate::spatial::crs::epsg_from_text;
use crate::ui::file_picker::{FilePicker, PickMode};

/// What the user typed into the open form; kept between frames.
#[derive(Default)]
pub struct OpenForm {
    /// Path to the file.
    pub path: String,
    /// CRS, e.g. "EPSG:25832".
    pub crs: String,
    /// Code property.
    pub code: String,
    /// Name property.
    pub name: String,
    /// Municipality property.
    pub municipality: String,
    /// Handlungsfeld property.
    pub action_fields: String,
    /// A problem with the input.
    pub problem: Option<String>,
    /// The native file dialog.
    picker: FilePicker,
    /// Put the cursor into the path field on the next frame.
    focus_path: bool,
}

fn optional(text: &str) -> Option<String> {
    let t = text.trim();
    (!t.is_empty()).then(|| t.to_string())
}

impl OpenForm {
    /// Prepares the form for showing: cursor in the path field, which starts in the folder
    /// of the most recent file when empty.
    pub fn opening(&mut self, recent: Option<&std::path::Path>) {
        self.focus_path = true;
        self.problem = None;
        if self.path.is_empty()
            && let Some(dir) = recent.and_then(std::path::Path::parent)
        {
            self.path = format!("{}/", dir.display());
        }
    }

    /// The options the form describes, or a message saying what is wrong.
    pub fn options(&self, lang: Lang) -> Result<(PathBuf, ImportOptions), String> {
        let path = optional(&self.path).ok_or_else(|| lang.t(T::OpenNoPath).to_string())?;
        let source_epsg = match optional(&self.crs) {
            None => None,
            Some(crs) => {
                Some(epsg_from_text(&crs).ok_or_else(|| lang.tf(T::OpenBadCrs, &[("crs", &crs)]))?)
            }
        };
        Ok((
            PathBuf::from(path),
            ImportOptions {
                fields: FieldOverrides {
                    code: optional(&self.code),
                    name: optional(&self.name),
                    municipality: optional(&self.municipality),
                    action_fields: optional(&self.action_fields),
                },
                source_epsg,
                drop_properties: false,
            },
        ))
    }
}

/// The open form.
pub fn open_window_ui(ctx: &Context, form: &mut OpenForm, lang: Lang) -> Vec<Command> {
    let mut commands = Vec::new();
    if let Some(path) = form.picker.poll() {
        form.path = path.display().to_string();
    }
    let mut open = true;
    egui::Window::new(Window::Open.title(lang))
        .open(&mut open)
        .collapsible(false)
        .resizable(false)
        .default_width(520.0)
        .show(ctx, |ui| {
            ui.label(lang.t(T::OpenPath));
            ui.horizontal(|ui| {
                let edit = ui.add(
                    TextEdit::singleline(&mut form.path)
                        .desired_width(380.0)
                        .hint_text("/home/…/sozialraeume.geojson"),
                );
                edit.widget_info(|| {
                    egui::WidgetInfo::labeled(egui::Role::TextInput, true, lang.t(T::OpenPath))
                });
                if std::mem::take(&mut form.focus_path) {
                    edit.request_focus();
                }
                if edit.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter)) {
                    match form.options(lang) {
                        Ok((path, options)) => commands.push(Command::Open { path, options }),
                        Err(problem) => form.problem = Some(problem),
                    }
                }
                form.picker.browse_button(
                    ui,
                    lang.t(T::OpenBrowse),
                    PickMode::Open,
                    ("GeoJSON", &["geojson", "json"]),
                    None,
                );
            });
            if form.picker.unavailable {
                ui.label(RichText::new(lang.t(T::NoDialog)).weak());
            }
            ui.label(RichText::new(lang.t(T::OpenDropHint)).weak());
            ui.add_space(6.0);
            ui.label(lang.t(T::OpenCrs));
            ui.add(TextEdit::singleline(&mut form.crs).hint_text(lang.t(T::OpenCrsHint)));
            ui.add_space(6.0);
            ui.label(lang.t(T::OpenFields));
            egui::Grid::new("open-fields")
                .num_columns(2)
                .show(ui, |ui| {
                    for (label, value) in [
                        (T::FieldCode, &mut form.code),
                        (T::FieldName, &mut form.name),
                        (T::FieldMunicipality, &mut form.municipality),
                        (T::FieldActionFields, &mut form.action_fields),
                    ] {
                        ui.label(lang.t(label));
                        let edit = ui.add(TextEdit::singleline(value).desired_width(200.0));
                        crate::ui::name(&edit, lang.t(label));
                        ui.end_row();
                    }
                });
            if let Some(problem) = &form.problem {
                ui.colored_label(ui.visuals().error_fg_color, problem);
            }
            ui.separator();
            ui.horizontal(|ui| {
                if ui.button(lang.t(T::OpenButton)).clicked() {
                    match form.options(lang) {
                        Ok((path, options)) => {
                            form.problem = None;
                            commands.push(Command::Open { path, options });
                        }
                        Err(problem) => form.problem = Some(problem),
                    }
                }
                if ui.button(lang.t(T::Cancel)).clicked() {
                    commands.push(Command::ShowWindow(Window::Open, false));
                }
            });
        });
    if !open {
        commands.push(Command::ShowWindow(Window::Open, false));
    }
    commands
}

/// The import report window.
pub fn report_window_ui(ctx: &Context, report: &ImportReport, lang: Lang) -> Vec<Command> {
    let mut commands = Vec::new();
    let mut open = true;
    let text = report.to_text(lang);
    egui::Window::new(Window::Report.title(lang))
        .open(&mut open)
        .default_width(640.0)
        .default_height(420.0)
        .show(ctx, |ui| {
            ScrollArea::vertical().max_height(460.0).show(ui, |ui| {
                ui.add(egui::Label::new(RichText::new(&text).monospace()).wrap());
            });
            ui.separator();
            ui.horizontal(|ui| {
                if ui.button(lang.t(T::ReportCopy)).clicked() {
                    ui.ctx().copy_text(text.clone());
                }
                if ui.button(lang.t(T::Close)).clicked() {
                    commands.push(Command::ShowWindow(Window::Report, false));
                }
            });
        });
    if !open {
        commands.push(Command::ShowWindow(Window::Report, false));
    }
    commands
}

/// A modal error message that keeps the map behind it, under `title` (what failed).
pub fn error_modal_ui(ctx: &Context, title: T, message: &str, lang: Lang) -> Vec<Command> {
    let mut commands = Vec::new();
    let response = egui::Modal::new(egui::Id::unique("error-modal")).show(ctx, |ui| {
        ui.set_max_width(560.0);
        ui.heading(lang.t(title));
        ui.add_space(6.0);
        ui.add(egui::Label::new(message).wrap());
        ui.add_space(8.0);
        if ui.button(lang.t(T::Ok)).clicked() {
            commands.push(Command::DismissError);
        }
    });
    if response.should_close() {
        commands.push(Command::DismissError);
    }
    commands
}

/// "Internal error": what happened, that the project is safe, go on or quit. Returns
/// Some(true) to go on, Some(false) to quit.
pub fn crash_modal_ui(
    ctx: &Context,
    message: &str,
    project: Option<(&str, usize)>,
    lang: Lang,
) -> Option<bool> {
    let mut answer = None;
    egui::Modal::new(egui::Id::unique("crash-modal")).show(ctx, |ui| {
        ui.set_max_width(600.0);
        ui.heading(lang.t(T::CrashTitle));
        ui.add_space(6.0);
        ui.add(egui::Label::new(lang.t(T::CrashText)).wrap());
        ui.add_space(4.0);
        ui.add(egui::Label::new(RichText::new(message).monospace()).wrap());
        ui.add_space(6.0);
        let safe = match project {
            Some((path, 0)) => lang.tf(T::CrashProjectSafe, &[("file", path)]),
            Some((path, unsaved)) => lang.count_text(
                unsaved,
                T::CrashProjectUnsavedOne,
                T::CrashProjectUnsaved,
                &[("file", path)],
            ),
            None => lang.t(T::CrashNoProject).to_string(),
        };
        ui.add(egui::Label::new(safe).wrap());
        ui.add_space(8.0);
        ui.horizontal(|ui| {
            if ui
                .button(RichText::new(lang.t(T::CrashContinue)).strong())
                .clicked()
            {
                answer = Some(true);
            }
            if ui.button(lang.t(T::MenuQuit)).clicked() {
                answer = Some(false);
            }
        });
    });
    answer
}

/// "Not saved": what would be lost by quitting or opening another map, with "Speichern
/// unter …" (a complete copy, unsaved changes included), "Verwerfen" and "Abbrechen".
/// "Projekt anlegen?": asked at the first change only a project keeps (a measure, an
/// override, a view, a rules change, a table import), with a file name beside the map file.
/// "Nicht jetzt" leaves the change in the program (the quit question still lists it).
pub fn project_offer_ui(ctx: &Context, path: &mut String, lang: Lang) -> Vec<Command> {
    let mut commands = Vec::new();
    let response = egui::Modal::new(egui::Id::unique("project-offer")).show(ctx, |ui| {
        ui.set_max_width(620.0);
        ui.heading(lang.t(T::ProjectOfferTitle));
        ui.add_space(6.0);
        ui.add(egui::Label::new(lang.t(T::ProjectOfferText)).wrap());
        ui.add_space(6.0);
        ui.label(lang.t(T::PathLabel));
        let edit = ui.add(egui::TextEdit::singleline(path).desired_width(600.0));
        crate::ui::name(&edit, lang.t(T::PathLabel));
        ui.add_space(8.0);
        ui.horizontal(|ui| {
            let create = egui::RichText::new(lang.t(T::ProjectOfferCreate)).strong();
            if ui.button(create).clicked() && !path.trim().is_empty() {
                commands.push(Command::AnswerProjectOffer(Some(PathBuf::from(
                    path.trim(),
                ))));
            }
            if ui.button(lang.t(T::ProjectOfferLater)).clicked() {
                commands.push(Command::AnswerProjectOffer(None));
            }
        });
    });
    if response.should_close() && commands.is_empty() {
        commands.push(Command::AnswerProjectOffer(None));
    }
    commands
}

pub fn unsaved_modal_ui(
    ctx: &Context,
    items: &[String],
    project: Option<&str>,
    lang: Lang,
) -> Vec<Command> {
    let mut commands = Vec::new();
    let response = egui::Modal::new(egui::Id::unique("unsaved-changes")).show(ctx, |ui| {
        ui.set_max_width(620.0);
        ui.heading(lang.t(T::UnsavedTitle));
        ui.add_space(6.0);
        let intro = match project {
            Some(file) => lang.tf(T::UnsavedProjectText, &[("file", file)]),
            None => lang.t(T::UnsavedText).to_string(),
        };
        ui.add(egui::Label::new(intro).wrap());
        egui::ScrollArea::vertical()
            .max_height(260.0)
            .show(ui, |ui| {
                for item in items {
                    ui.label(format!("• {item}"));
                }
            });
        ui.add_space(8.0);
        ui.horizontal(|ui| {
            let save = if project.is_some() {
                lang.t(T::UnsavedSaveAs)
            } else {
                lang.t(T::MenuSaveAsProject)
            };
            if ui.button(egui::RichText::new(save).strong()).clicked() {
                commands.push(Command::ConfirmDiscard(false));
                commands.push(Command::ShowWindow(
                    Window::Path(super::command::PathPurpose::SaveProject),
                    true,
                ));
            }
            if ui.button(lang.t(T::UnsavedDiscard)).clicked() {
                commands.push(Command::ConfirmDiscard(true));
            }
            if ui.button(lang.t(T::Cancel)).clicked() {
                commands.push(Command::ConfirmDiscard(false));
            }
        });
    });
    if response.should_close() {
        commands.push(Command::ConfirmDiscard(false));
    }
    commands
}

/// Keyboard shortcuts and about.
pub fn help_windows_ui(ctx: &Context, state: &Shown<'_>) -> Vec<Command> {
    let lang = state.lang();
    let mut commands = Vec::new();
    if state.windows.is_open(Window::Shortcuts) {
        let mut open = true;
        egui::Window::new(Window::Shortcuts.title(lang))
            .open(&mut open)
            .collapsible(false)
            .show(ctx, |ui| {
                // The keys that open windows come from the window registry.
                for (t, window) in [
                    (T::ShortcutPan, None),
                    (T::ShortcutZoom, None),
                    (T::ShortcutFit, None),
                    (T::ShortcutSelect, None),
                    (T::ShortcutClear, None),
                    (T::ShortcutOpen, Some(Window::Open)),
                    (T::ShortcutSelectMany, None),
                    (T::ShortcutMeasures, Some(Window::Measures)),
                    (T::ShortcutUndo, None),
                    (T::ShortcutExport, Some(Window::Export)),
                    (T::ShortcutFind, Some(Window::Switcher)),
                    (T::ShortcutPresent, None),
                ] {
                    let key = window
                        .and_then(|w| w.info().shortcut)
                        .map(|s| s.text(lang))
                        .unwrap_or_default();
                    ui.label(lang.tf(t, &[("key", &key)]));
                }
            });
        if !open {
            commands.push(Command::ShowWindow(Window::Shortcuts, false));
        }
    }
    if state.windows.is_open(Window::About) {
        let mut open = true;
        egui::Window::new(Window::About.title(lang))
            .open(&mut open)
            .collapsible(false)
            .show(ctx, |ui| {
                ui.heading(lang.t(T::AppName));
                ui.label(format!("Version {}", env!("CARGO_PKG_VERSION")));
                ui.label(lang.t(T::AboutText));
            });
        if !open {
            commands.push(Command::ShowWindow(Window::About, false));
        }
    }
    commands
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_typed_path_and_crs_become_import_options() {
        let form = OpenForm {
            path: " /daten/sozialräume mit leerzeichen.geojson ".into(),
            crs: "EPSG:25832".into(),
            code: "SR_NR".into(),
            ..OpenForm::default()
        };
        let (path, options) = form.options(Lang::De).expect("valid");
        assert_eq!(
            path,
            PathBuf::from("/daten/sozialräume mit leerzeichen.geojson")
        );
        assert_eq!(options.source_epsg, Some(25832));
        assert_eq!(options.fields.code.as_deref(), Some("SR_NR"));
        assert_eq!(options.fields.name, None);
    }

    #[test]
    fn an_empty_path_or_a_bad_crs_is_explained() {
        let empty = OpenForm::default();
        assert_eq!(
            empty.options(Lang::De).expect_err("empty"),
            "Bitte einen Dateipfad eingeben."
        );
        let bad = OpenForm {
            path: "a.geojson".into(),
            crs: "Lambert".into(),
            ..OpenForm::default()
        };
        assert!(
            bad.options(Lang::De)
                .expect_err("bad crs")
                .contains("Lambert")
        );
    }
}
