//! "Gemeinsames Register öffnen …": where the register is (a libpq connection string or a
//! service name), its schema, and a password when neither `.pgpass` nor the environment
//! gives one. The password is handed to the connection and never stored.

use eframe::egui::{self, Context, RichText, TextEdit};

use super::command::{Command, Window};
use crate::i18n::{Lang, T};
use crate::io::register::Target;

/// What is typed in the form.
#[derive(Debug)]
pub struct RegisterForm {
    /// Connection string, URL or service name.
    pub conninfo: String,
    /// The schema.
    pub schema: String,
    /// A password (memory only; emptied after opening).
    pub password: String,
    /// What is wrong with the input.
    pub problem: Option<String>,
    /// Publishing: make one role per municipality.
    pub create_roles: bool,
}

impl Default for RegisterForm {
    fn default() -> RegisterForm {
        RegisterForm {
            conninfo: String::new(),
            schema: "atlas".to_string(),
            password: String::new(),
            problem: None,
            create_roles: true,
        }
    }
}

impl RegisterForm {
    /// The register to open, or what is missing.
    fn target(&self, lang: Lang) -> Result<Target, String> {
        let conninfo = self.conninfo.trim();
        if conninfo.is_empty() {
            return Err(lang.t(T::RegisterNeedsServer).to_string());
        }
        let schema = self.schema.trim();
        let mut target = Target::new(conninfo, if schema.is_empty() { "atlas" } else { schema });
        target.password = Some(self.password.clone()).filter(|p| !p.is_empty());
        Ok(target)
    }
}

/// Server, schema and password, with Enter submitting; returns whether Enter was pressed.
fn fields_ui(ui: &mut egui::Ui, form: &mut RegisterForm, lang: Lang) -> bool {
    let mut submit = false;
    egui::Grid::new("register-fields")
        .num_columns(2)
        .show(ui, |ui| {
            let fields = [
                (
                    T::RegisterServer,
                    &mut form.conninfo,
                    "service=atlas",
                    false,
                ),
                (T::RegisterSchema, &mut form.schema, "atlas", false),
                (T::RegisterPassword, &mut form.password, "", true),
            ];
            for (label, value, hint, secret) in fields {
                ui.label(lang.t(label));
                let edit = ui.add(
                    TextEdit::singleline(value)
                        .password(secret)
                        .desired_width(360.0)
                        .hint_text(hint),
                );
                super::name(&edit, lang.t(label));
                if edit.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter)) {
                    submit = true;
                }
                ui.end_row();
            }
        });
    ui.label(RichText::new(lang.t(T::RegisterServerHint)).weak());
    ui.label(RichText::new(lang.t(T::RegisterPasswordHint)).weak());
    if let Some(problem) = &form.problem {
        ui.colored_label(ui.visuals().error_fg_color, problem);
    }
    submit
}

/// "Ins gemeinsame Register veröffentlichen …": the map shown, its measures and settings go
/// into the register (in one transaction on the server), optionally with one role per
/// municipality. `running`: a publication is under way.
pub fn publish_window_ui(
    ctx: &Context,
    form: &mut RegisterForm,
    running: bool,
    lang: Lang,
) -> Vec<Command> {
    let mut commands = Vec::new();
    let mut open = true;
    let mut submit = false;
    egui::Window::new(Window::Publish.title(lang))
        .open(&mut open)
        .collapsible(false)
        .resizable(false)
        .default_width(540.0)
        .show(ctx, |ui| {
            ui.label(lang.t(T::PublishIntro));
            ui.add_space(6.0);
            submit = fields_ui(ui, form, lang);
            ui.checkbox(&mut form.create_roles, lang.t(T::PublishCreateRoles));
            ui.separator();
            ui.horizontal(|ui| {
                submit |= ui
                    .add_enabled(!running, egui::Button::new(lang.t(T::PublishButton)))
                    .clicked();
                if running {
                    ui.spinner();
                    ui.label(lang.t(T::PublishRunning));
                }
                if ui.button(lang.t(T::Cancel)).clicked() {
                    commands.push(Command::ShowWindow(Window::Publish, false));
                }
            });
        });
    if submit && !running {
        match form.target(lang) {
            Ok(target) => {
                form.problem = None;
                form.password.clear();
                commands.push(Command::PublishRegister {
                    target,
                    create_roles: form.create_roles,
                });
            }
            Err(problem) => form.problem = Some(problem),
        }
    }
    if !open {
        commands.push(Command::ShowWindow(Window::Publish, false));
    }
    commands
}

/// The form; returns the command to open the register when the user asks.
pub fn register_window_ui(ctx: &Context, form: &mut RegisterForm, lang: Lang) -> Vec<Command> {
    let mut commands = Vec::new();
    let mut open = true;
    let mut submit = false;
    egui::Window::new(Window::Register.title(lang))
        .open(&mut open)
        .collapsible(false)
        .resizable(false)
        .default_width(540.0)
        .show(ctx, |ui| {
            ui.label(lang.t(T::RegisterIntro));
            ui.add_space(6.0);
            submit = fields_ui(ui, form, lang);
            ui.separator();
            ui.horizontal(|ui| {
                submit |= ui.button(lang.t(T::RegisterOpenButton)).clicked();
                if ui.button(lang.t(T::Cancel)).clicked() {
                    commands.push(Command::ShowWindow(Window::Register, false));
                }
            });
        });
    if submit {
        match form.target(lang) {
            Ok(target) => {
                form.problem = None;
                form.password.clear();
                commands.push(Command::OpenRegister(target));
            }
            Err(problem) => form.problem = Some(problem),
        }
    }
    if !open {
        commands.push(Command::ShowWindow(Window::Register, false));
    }
    commands
}
