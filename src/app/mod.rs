//! The application: owns the state, lays out the panels, applies their commands.
//!
//! `SozialraumApp::show` draws one frame into any `egui::Ui`, so the real window (eframe) and
//! the UI tests (egui_kittest) run exactly the same code.

pub mod crash;
mod editing;
pub mod export_job;
pub mod import_job;
mod loader;
mod register;
pub mod saving;
mod shown;
mod state;
#[cfg(feature = "test-hooks")]
mod test_hooks;
mod viewing;

use std::path::PathBuf;

use eframe::egui::{self, Context, Ui, ViewportCommand};

pub use crate::ui::command::{Command, OpenWindows, PathPurpose, Window};
use crate::ui::file_picker::beside_map;
pub use loader::{LoadJob, LoadMessage, Opened};
pub use state::{
    AppState, LoadTiming, MeasureSession, Pending, ProjectOffer, system_clock as state_clock,
};

use crate::i18n::{Lang, T};
use crate::io::ImportOptions;
use crate::render::egui_map::MapPainter;
use crate::ui::conflict_dialog::{ConflictForm, conflict_dialog_ui};
use crate::ui::data_windows::{self, PathForm};
use crate::ui::dialogs::{self, OpenForm};
use crate::ui::export_window::{ExportForm, export_window_ui};
use crate::ui::inspector::OverrideForm;
use crate::ui::measure_form::{self, MeasureForm};
use crate::ui::measures_window::{self, MeasureList};
use crate::ui::presentation::{PresentationState, presentation_keys, presentation_overlay_ui};
use crate::ui::switcher::{SwitcherState, switcher_ui};
use crate::ui::table_window::{self, TableForm};
use crate::ui::view_panel::{ViewPanelState, view_panel_ui};
use crate::ui::views_window::{ViewsForm, views_window_ui};
use crate::ui::{self as panels, inspector, map_view, menu, rules_window, status_bar};

/// The width of the left panel (view switch, indicator options, legend, histogram), points.
const LEFT_PANEL_WIDTH: f32 = 310.0;

/// How the app starts.
#[derive(Debug, Clone, Default)]
pub struct StartOptions {
    /// A file to open instead of the demo map.
    pub path: Option<PathBuf>,
    /// Field and CRS choices for that file.
    pub import: ImportOptions,
    /// The language, if chosen on the command line.
    pub lang: Option<Lang>,
    /// A shared register to open (`--db`).
    pub register: Option<crate::io::register::Target>,
    /// When the process started, to report the time to the first frame.
    pub process_started: Option<std::time::Instant>,
    /// Panic once, two seconds after the start (to check the crash dialog by hand).
    #[cfg(feature = "test-hooks")]
    pub panic_after_start: bool,
}

const STORAGE_LANG: &str = "lang";
const STORAGE_RECENT: &str = "recent";
const STORAGE_THEME: &str = "theme";
const STORAGE_LAST_PROJECT: &str = "last_project";
const STORAGE_WINDOWS: &str = "windows";
const STORAGE_LAST_REGISTER: &str = "last_register";

/// The Sozialraum-Atlas window.
pub struct SozialraumApp {
    /// All state.
    pub state: AppState,
    painter: MapPainter,
    open_form: OpenForm,
    register_form: crate::ui::register_window::RegisterForm,
    publish_form: crate::ui::register_window::RegisterForm,
    view_panel: ViewPanelState,
    override_form: OverrideForm,
    table_form: TableForm,
    /// The index builder and the definition sheet.
    index_form: crate::ui::index_window::IndexForm,
    /// The Sozialraumprofile dialog.
    report_form: crate::ui::report_window::ReportForm,
    atlas_form: crate::ui::atlas_window::AtlasForm,
    path_form: PathForm,
    /// The path typed into "Projekt anlegen?".
    project_offer_path: String,
    measure_form: MeasureForm,
    measure_list: MeasureList,
    export_form: ExportForm,
    switcher: SwitcherState,
    views_form: ViewsForm,
    presentation: PresentationState,
    conflict_form: ConflictForm,
    fullscreen: bool,
    dark_theme: bool,
    title: String,
    process_started: Option<std::time::Instant>,
    /// The message of a panic caught in a frame, shown until the user answers.
    crash: Option<String>,
    /// Provoked panics, for the tests of the crash dialog.
    #[cfg(feature = "test-hooks")]
    hooks: test_hooks::PanicHooks,
}

impl SozialraumApp {
    /// Creates the app: shows the demo map at once, then starts loading `start.path` if given.
    pub fn new(ctx: &Context, start: StartOptions, storage: Option<&dyn eframe::Storage>) -> Self {
        // A light theme unless the user chose dark: the map is light, and printed maps are too.
        let dark = storage
            .and_then(|s| s.get_string(STORAGE_THEME))
            .is_some_and(|t| t == "dark");
        ctx.set_theme(if dark {
            egui::ThemePreference::Dark
        } else {
            egui::ThemePreference::Light
        });
        crate::ui::fonts::install(ctx);
        crash::install_hook();
        let repaint = ctx.clone();
        let mut state = AppState::new(move || repaint.request_repaint());
        if let Some(storage) = storage {
            if let Some(lang) = storage
                .get_string(STORAGE_LANG)
                .and_then(|l| Lang::parse(&l))
            {
                state.view.lang = lang;
            }
            if let Some(recent) = storage.get_string(STORAGE_RECENT) {
                state.recent = recent
                    .lines()
                    .filter(|l| !l.is_empty())
                    .map(PathBuf::from)
                    .collect();
            }
        }
        if let Some(lang) = start.lang {
            state.view.lang = lang;
        }
        state.apply(Command::OpenDemo);
        // The windows that were open at the end of the last session open again.
        if let Some(names) = storage.and_then(|s| s.get_string(STORAGE_WINDOWS)) {
            for window in names.split(',').filter_map(Window::remembered) {
                state.apply(Command::ShowWindow(window, true));
            }
        }
        // The last project comes back, unless a file was named on the command line.
        let last_project = storage
            .and_then(|s| s.get_string(STORAGE_LAST_PROJECT))
            .map(PathBuf::from)
            .filter(|p| crate::io::project::is_project(p));
        let last_register = storage
            .and_then(|s| s.get_string(STORAGE_LAST_REGISTER))
            .and_then(|t| {
                let (conninfo, schema) = t.split_once('\n')?;
                Some(crate::io::register::Target::new(conninfo, schema))
            });
        if let Some(target) = start.register.clone() {
            state.apply(Command::OpenRegister(target));
        } else if let Some(path) = start.path.clone().or(last_project) {
            state.apply(Command::Open {
                path,
                options: start.import.clone(),
            });
        } else if let Some(target) = last_register {
            state.apply(Command::OpenRegister(target));
        }
        SozialraumApp {
            state,
            painter: MapPainter::default(),
            open_form: OpenForm::default(),
            register_form: Default::default(),
            publish_form: Default::default(),
            view_panel: ViewPanelState::default(),
            override_form: OverrideForm::default(),
            table_form: TableForm::default(),
            index_form: Default::default(),
            report_form: Default::default(),
            atlas_form: Default::default(),
            path_form: PathForm::default(),
            project_offer_path: String::new(),
            measure_form: MeasureForm::default(),
            measure_list: MeasureList::default(),
            export_form: ExportForm::default(),
            switcher: SwitcherState::default(),
            views_form: ViewsForm::default(),
            presentation: PresentationState::default(),
            conflict_form: ConflictForm::default(),
            fullscreen: false,
            dark_theme: dark,
            title: String::new(),
            process_started: start.process_started,
            crash: None,
            #[cfg(feature = "test-hooks")]
            hooks: test_hooks::PanicHooks::new(start.panic_after_start),
        }
    }

    /// For tests of the crash dialog: the next frame panics inside the map panel, as a bug
    /// deep in drawing code would.
    #[cfg(feature = "test-hooks")]
    pub fn panic_on_next_frame(&mut self) {
        self.hooks.panic_on_next_frame();
    }

    /// Draws one frame guarded: a panic is caught and shown in a dialog (see [`crash`]).
    pub fn guarded_show(&mut self, ui: &mut Ui) {
        #[cfg(feature = "test-hooks")]
        self.hooks.tick(ui.ctx());
        if let Err(message) = crash::guarded(|| self.show(ui)) {
            self.crash = Some(message);
        }
        if let Some(message) = &self.crash {
            let unsaved = self.state.saving.outbox().len() + self.state.saving.conflicts.len();
            let project = self
                .state
                .store
                .as_ref()
                .map(|store| (store.location(), unsaved));
            let project = project.as_ref().map(|(p, n)| (p.as_str(), *n));
            match dialogs::crash_modal_ui(ui.ctx(), message, project, self.state.lang()) {
                Some(true) => self.crash = None,
                Some(false) => ui.ctx().send_viewport_cmd(ViewportCommand::Close),
                None => {}
            }
        }
    }

    /// Draws one frame and applies what the user did.
    pub fn show(&mut self, ui: &mut Ui) {
        let ctx = ui.ctx().clone();
        self.dark_theme = ctx.theme() == egui::Theme::Dark;
        self.state.poll_loading();
        self.state.poll_export();
        self.state.poll_publish();
        self.state.poll_store();
        self.state.poll_import();
        if self.state.store.is_some() {
            // Others' changes show up within about a second, also when nobody moves the mouse.
            ctx.request_repaint_after(saving::POLL_INTERVAL);
        }
        let lang = self.state.lang();
        let mut commands: Vec<Command> = Vec::new();
        let mut zoom: Option<f64> = None;

        // Files dropped onto the window, and global shortcuts.
        let dropped: Vec<PathBuf> = ctx.input(|i| {
            i.raw
                .dropped_files
                .iter()
                .map(|f| f.path().to_path_buf())
                .collect()
        });
        if let Some(path) = dropped.into_iter().next() {
            commands.push(Command::Open {
                path,
                options: ImportOptions::default(),
            });
        }
        let (quit_pressed, f5) = ctx.input_mut(|i| {
            (
                i.consume_key(egui::Modifiers::COMMAND, egui::Key::Q),
                i.consume_key(egui::Modifiers::NONE, egui::Key::F5),
            )
        });
        if f5 {
            commands.push(Command::Present(!self.state.presenting));
        }
        let presenting = self.state.presenting;
        if presenting {
            commands.extend(presentation_keys(
                &ctx,
                &self.state.shown(),
                &mut self.presentation,
            ));
        }
        commands.extend(window_shortcuts(&ctx, self.state.map.is_some()));
        commands.extend(edit_shortcuts(&ctx));

        let menu_outcome = if presenting {
            menu::MenuOutcome::default()
        } else {
            egui::Panel::top("menu")
                .show(ui, |ui| menu::menu_bar_ui(ui, &self.state.shown()))
                .inner
        };
        commands.extend(menu_outcome.commands);
        zoom = zoom.or(menu_outcome.zoom);
        // Quitting (menu, Ctrl+Q, the window's close button) with anything that is in no
        // file: ask first.
        if menu_outcome.quit || quit_pressed {
            if self.state.has_unsaved() && !self.state.quit_confirmed {
                self.state.pending_discard = Some(Pending::Quit);
            } else {
                ctx.send_viewport_cmd(ViewportCommand::Close);
            }
        }
        if ctx.input(|i| i.viewport().close_requested())
            && self.state.has_unsaved()
            && !self.state.quit_confirmed
        {
            ctx.send_viewport_cmd(ViewportCommand::CancelClose);
            self.state.pending_discard = Some(Pending::Quit);
        }
        if self.state.quit_confirmed {
            ctx.send_viewport_cmd(ViewportCommand::Close);
        }

        if !presenting {
            commands.extend(self.panels(ui, lang));
        }
        self.painter.large_labels = presenting;
        let central = egui::CentralPanel::no_frame()
            .show(ui, |ui| {
                #[cfg(feature = "test-hooks")]
                self.hooks.panic_if_armed();
                // The view moves the camera while it reads the rest of the state.
                let mut camera = std::mem::take(&mut self.state.camera);
                let out =
                    map_view::map_view_ui(ui, &self.state.shown(), &mut camera, &mut self.painter);
                self.state.camera = camera;
                out
            })
            .inner;
        commands.extend(central);
        if presenting {
            commands.extend(presentation_overlay_ui(
                &ctx,
                &self.state.shown(),
                &mut self.presentation,
            ));
        }
        if presenting != self.fullscreen {
            ctx.send_viewport_cmd(ViewportCommand::Fullscreen(presenting));
            self.fullscreen = presenting;
        }
        self.report_timing();

        if let Some(factor) = zoom
            && let Some(v) = &mut self.state.camera.viewport
        {
            let center = [v.offset[0] + v.size[0] / 2.0, v.offset[1] + v.size[1] / 2.0];
            v.zoom_about(factor, center);
        }
        self.windows_on_top(&ctx, lang, commands);
    }

    /// The status bar and the side panels (hidden in presentation mode).
    fn panels(&mut self, ui: &mut Ui, lang: Lang) -> Vec<Command> {
        let ctx = ui.ctx().clone();
        let mut commands = Vec::new();
        let (ground, cursor) = self.view_readout(&ctx);
        let stats = self.painter.last_stats;
        let status = egui::Panel::bottom("status")
            .show(ui, |ui| {
                status_bar::status_bar_ui(ui, &self.state.shown(), ground, cursor, stats)
            })
            .inner;
        commands.extend(status);

        // A fixed width: a longer method name or legend row must not widen the panel and
        // shift the map (it did when choosing Jenks); longer texts wrap or are cut instead.
        let left = egui::Panel::left("legend")
            .resizable(false)
            .exact_size(LEFT_PANEL_WIDTH)
            .show(ui, |ui| {
                ui.set_width(ui.available_width());
                let mut out = Vec::new();
                egui::ScrollArea::vertical().show(ui, |ui| {
                    if let (Some(map), Some(scene)) = (&self.state.map, &self.state.scene) {
                        out.extend(view_panel_ui(
                            ui,
                            map,
                            scene,
                            &self.state.view,
                            &mut self.view_panel,
                        ));
                        ui.separator();
                    }
                    out.extend(panels::map_info_ui(ui, &self.state.shown()));
                });
                out
            })
            .inner;
        commands.extend(left);

        // The map keeps at least 360 px: in a narrow window (two side by side on a laptop)
        // the inspector gives way, down to 240 px.
        let room = ui.available_width();
        let widest = (room - 360.0).clamp(240.0, 680.0);
        let right = egui::Panel::right("inspector")
            .default_size(470.0_f32.min(widest))
            .size_range(240.0..=widest)
            .show(ui, |ui| {
                ui.set_min_width(ui.available_width());
                match (&self.state.map, &self.state.scene) {
                    (Some(map), Some(scene)) => inspector::inspector_ui(
                        ui,
                        map,
                        scene,
                        inspector::Selection {
                            shown: self.state.selection,
                            count: self.state.selected.len(),
                        },
                        &self.state.view.colouring,
                        &mut self.override_form,
                        lang,
                    ),
                    _ => Vec::new(),
                }
            })
            .inner;
        commands.extend(right);
        commands
    }

    /// The tool windows that are open: dialogs, data windows, measures, switcher, views,
    /// export.
    fn tool_windows(&mut self, ctx: &Context, lang: Lang) -> Vec<Command> {
        let mut commands = Vec::new();
        if self.state.windows.is_open(Window::Open) {
            commands.extend(dialogs::open_window_ui(ctx, &mut self.open_form, lang));
        }
        if self.state.windows.is_open(Window::Register) {
            commands.extend(crate::ui::register_window::register_window_ui(
                ctx,
                &mut self.register_form,
                lang,
            ));
        }
        if self.state.windows.is_open(Window::Publish) {
            commands.extend(crate::ui::register_window::publish_window_ui(
                ctx,
                &mut self.publish_form,
                self.state.publish_job.is_some(),
                lang,
            ));
        }
        if self.state.windows.is_open(Window::Report)
            && let Some(map) = &self.state.map
        {
            commands.extend(dialogs::report_window_ui(ctx, &map.report, lang));
        }
        commands.extend(dialogs::help_windows_ui(ctx, &self.state.shown()));
        commands.extend(self.data_windows(ctx, lang));
        commands.extend(self.measure_windows(ctx, lang));
        if self.state.windows.is_open(Window::Switcher)
            && let Some(map) = &self.state.map
        {
            commands.extend(switcher_ui(ctx, map, &mut self.switcher, lang));
        }
        if self.state.windows.is_open(Window::Views) {
            commands.extend(views_window_ui(
                ctx,
                &self.state.shown(),
                &mut self.views_form,
            ));
        }
        if self.state.windows.is_open(Window::Export) {
            commands.extend(export_window_ui(
                ctx,
                &self.state.shown(),
                &mut self.export_form,
            ));
        }
        if self.state.windows.is_open(Window::Profiles)
            && let Some(map) = &self.state.map
        {
            commands.extend(crate::ui::report_window::report_window_ui(
                ctx,
                map,
                self.state.selection,
                &mut self.report_form,
                lang,
            ));
        }
        if self.state.windows.is_open(Window::Atlas)
            && let Some(map) = &self.state.map
        {
            commands.extend(crate::ui::atlas_window::atlas_window_ui(
                ctx,
                map,
                &mut self.atlas_form,
                lang,
            ));
        }
        commands
    }

    /// Windows and dialogs on top of everything, then applying every command of the frame.
    fn windows_on_top(&mut self, ctx: &Context, lang: Lang, mut commands: Vec<Command>) {
        let ctx = ctx.clone();
        // While presenting, tool windows stay out of the way (they come back afterwards);
        // questions that must be answered (errors, conflicts, unsaved work) still show.
        if !self.state.presenting {
            commands.extend(self.tool_windows(&ctx, lang));
        }
        if self.state.export_job.is_some() || self.state.import_job.is_some() {
            ctx.request_repaint_after(std::time::Duration::from_millis(250));
        }
        let conflict = self
            .state
            .map
            .as_ref()
            .and_then(|m| self.state.saving.conflicts.first().map(|c| (m, c)));
        if let Some(message) = &self.state.error {
            let title = self.state.error_title.unwrap_or(T::ErrorTitle);
            commands.extend(dialogs::error_modal_ui(&ctx, title, message, lang));
        } else if let Some((map, conflict)) = conflict {
            let label = saving::item_label(map, &conflict.item, lang);
            commands.extend(conflict_dialog_ui(
                &ctx,
                conflict,
                &label,
                &mut self.conflict_form,
                lang,
            ));
        } else if self.state.pending_discard.is_some() {
            let project = self.state.store.as_ref().map(|s| s.location());
            commands.extend(dialogs::unsaved_modal_ui(
                &ctx,
                &self.state.unsaved_items(),
                project.as_deref(),
                lang,
            ));
        } else if self.state.project_offer == state::ProjectOffer::Open {
            if self.project_offer_path.is_empty() {
                let map_path = self.state.map.as_ref().and_then(|m| m.path.as_deref());
                self.project_offer_path =
                    beside_map(map_path, lang.t(crate::i18n::T::ProjectDefaultName), "gpkg");
            }
            commands.extend(dialogs::project_offer_ui(
                &ctx,
                &mut self.project_offer_path,
                lang,
            ));
        }

        for command in commands {
            if let Command::ShowWindow(Window::Path(purpose), true) = &command {
                let map_path = self.state.map.as_ref().and_then(|m| m.path.as_deref());
                self.path_form.opening(*purpose, map_path, lang);
            }
            if let Command::AnswerProjectOffer(_) = &command {
                self.project_offer_path.clear();
            }
            if command == Command::ShowWindow(Window::Open, true) {
                self.open_form
                    .opening(self.state.recent.first().map(PathBuf::as_path));
            }
            self.state.apply(command);
        }
        self.update_title(&ctx);
        if self.state.loading.is_some() {
            // A safety net: the loader wakes the window itself, at most ten times a second.
            ctx.request_repaint_after(std::time::Duration::from_millis(500));
        }
    }

    /// The measure form, the measures table and the import report.
    fn measure_windows(&mut self, ctx: &Context, lang: Lang) -> Vec<Command> {
        let mut commands = Vec::new();
        let Some(map) = &self.state.map else {
            return commands;
        };
        if self.state.windows.is_open(Window::Measures) {
            let saving = &self.state.saving;
            let unsaved = |uid| saving.is_pending(&crate::io::store::Item::Measure(uid));
            let store = self.state.store.as_deref();
            let rights = store.map(|s| s.rights()).unwrap_or_default();
            let changed_by = |uid| store.and_then(|s| s.changed_by(uid));
            let access = measures_window::MeasureAccess {
                unsaved: &unsaved,
                rights: &rights,
                changed_by: &changed_by,
                shared: store.is_some_and(|s| s.link().is_some()),
            };
            commands.extend(measures_window::measures_window_ui(
                ctx,
                map,
                &access,
                &mut self.measure_list,
                self.state.scene_generation,
                lang,
            ));
        }
        if self.state.windows.is_open(Window::MeasureImport)
            && let Some(report) = &self.state.measure_import
        {
            commands.extend(measures_window::measure_import_window_ui(ctx, report, lang));
        }
        let selected: Vec<String> = {
            let mut codes: Vec<String> = self
                .state
                .selected
                .iter()
                .filter_map(|i| map.region.spaces.get(*i))
                .map(|s| s.code.clone())
                .collect();
            codes.sort_by(|a, b| crate::model::natural_cmp(a, b));
            codes
        };
        if let Some(session) = &self.state.measure_form {
            let rights = self
                .state
                .store
                .as_ref()
                .map(|s| s.rights())
                .unwrap_or_default();
            let shared = self
                .state
                .store
                .as_ref()
                .is_some_and(|s| s.link().is_some());
            let history = match (&self.state.store, session.base.as_ref()) {
                (Some(store), Some(base)) if shared => store.history(base.uid),
                _ => None,
            };
            let info = measure_form::DraftInfo {
                opened: &session.opened,
                generation: session.generation,
                changed_elsewhere: session.changed_elsewhere,
                keeping: match &self.state.store {
                    None => measure_form::Keeping::Nothing,
                    Some(s) if s.read_only().is_some() => measure_form::Keeping::ReadOnly,
                    Some(_) => measure_form::Keeping::Project,
                },
                rights: &rights,
                history: history.as_deref(),
                shared,
            };
            commands.extend(measure_form::measure_form_ui(
                ctx,
                map,
                info,
                &selected,
                &mut self.measure_form,
                lang,
            ));
        }
        commands
    }

    /// The windows about rules and data.
    fn data_windows(&mut self, ctx: &Context, lang: Lang) -> Vec<Command> {
        let mut commands = Vec::new();
        let windows = &self.state.windows;
        // In a shared register the region's settings are read only (they are published).
        let locked = self
            .state
            .store
            .as_ref()
            .is_some_and(|s| !s.rights().may_change_settings())
            .then(|| lang.t(T::EditRefusedSettings));
        if let Some(map) = &self.state.map {
            if windows.is_open(Window::Rules) {
                commands.extend(rules_window::rules_window_ui(ctx, map, locked, lang));
            }
            if windows.is_open(Window::Compare) {
                commands.extend(rules_window::compare_window_ui(ctx, map, lang));
            }
            if windows.is_open(Window::Overrides) {
                commands.extend(rules_window::overrides_window_ui(ctx, map, locked, lang));
            }
            if windows.is_open(Window::Catalogue) {
                commands.extend(data_windows::catalogue_window_ui(ctx, map, locked, lang));
            }
            if windows.is_open(Window::JoinReport)
                && let Some(report) = &self.state.join_report
            {
                commands.extend(table_window::join_report_window_ui(
                    ctx,
                    report,
                    map.region.spaces.len(),
                    lang,
                ));
            }
            if windows.is_open(Window::ImportTable) {
                commands.extend(table_window::import_table_window_ui(
                    ctx,
                    &mut self.table_form,
                    map,
                    lang,
                ));
            }
            if windows.is_open(Window::IndexBuilder) {
                commands.extend(crate::ui::index_window::index_window_ui(
                    ctx,
                    map,
                    &mut self.index_form,
                    locked,
                    lang,
                ));
            }
            if windows.is_open(Window::IndexSheet) {
                commands.extend(crate::ui::index_window::sheet_window_ui(
                    ctx,
                    map,
                    self.state.index_sheet.as_deref(),
                    &mut self.index_form,
                    lang,
                ));
            }
        }
        if let Some(purpose) = windows.path() {
            commands.extend(data_windows::path_window_ui(
                ctx,
                purpose,
                &mut self.path_form,
                lang,
            ));
        }
        commands
    }

    /// Whether the map is on screen: a big map shows once its first picture is drawn.
    pub fn map_on_screen(&self) -> bool {
        self.painter.map_on_screen()
    }

    /// With `SOZIALRAUM_ATLAS_TIMING=1`, prints how long opening a file took until the map
    /// was drawn and until full detail was ready (for the README's measurements).
    fn report_timing(&mut self) {
        if let Some(started) = self.process_started.take()
            && std::env::var_os("SOZIALRAUM_ATLAS_TIMING").is_some()
        {
            crate::io::console::err_line(&format!(
                "timing: first frame {:.0} ms after the process started",
                started.elapsed().as_secs_f64() * 1000.0
            ));
        }
        let timing = &mut self.state.timing;
        let Some(started) = timing.started else {
            return;
        };
        let verbose = std::env::var_os("SOZIALRAUM_ATLAS_TIMING").is_some();
        // A big map is on screen once its first picture is drawn, a moment after its frame.
        if timing.overview.is_some() && timing.first_frame.is_none() && self.painter.map_on_screen()
        {
            timing.first_frame = Some(started.elapsed());
            if verbose {
                crate::io::console::err_line(&format!(
                    "timing: overview {:.0} ms, first frame drawn {:.0} ms after opening",
                    timing.overview.unwrap_or_default().as_secs_f64() * 1000.0,
                    started.elapsed().as_secs_f64() * 1000.0
                ));
            }
        }
        if let Some(full) = timing.full.take() {
            if verbose {
                crate::io::console::err_line(&format!(
                    "timing: full detail ready {:.0} ms after opening",
                    full.as_secs_f64() * 1000.0
                ));
            }
            timing.started = None;
        }
    }

    fn view_readout(&self, ctx: &Context) -> (Option<f64>, Option<[f64; 2]>) {
        let (Some(map), Some(viewport)) = (&self.state.map, &self.state.camera.viewport) else {
            return (None, None);
        };
        let ground = map_view::ground_m_per_px(map, viewport);
        let cursor = ctx
            .pointer_hover_pos()
            .filter(|p| {
                p.x >= viewport.offset[0]
                    && p.y >= viewport.offset[1]
                    && p.x <= viewport.offset[0] + viewport.size[0]
                    && p.y <= viewport.offset[1] + viewport.size[1]
            })
            .and_then(|p| {
                let planar = viewport.map_from_screen([p.x, p.y]);
                map.to_lonlat.as_ref().and_then(|t| t.point(planar).ok())
            });
        (Some(ground), cursor)
    }

    fn update_title(&mut self, ctx: &Context) {
        let lang = self.state.lang();
        let title = match &self.state.map {
            Some(map) => format!("{} – {}", map.region.title, lang.t(T::AppName)),
            None => lang.t(T::AppName).to_string(),
        };
        if title != self.title {
            ctx.send_viewport_cmd(ViewportCommand::Title(title.clone()));
            self.title = title;
        }
    }
}

/// The keys that open windows, as the window registry has them (Ctrl+O, Ctrl+E, Ctrl+F,
/// Ctrl+L, F1); a window that shows the map opens only with a map.
fn window_shortcuts(ctx: &Context, has_map: bool) -> Vec<Command> {
    ctx.input_mut(|i| {
        Window::ALL
            .into_iter()
            .filter(|w| has_map || !w.info().needs_map)
            .filter(|w| {
                w.info()
                    .shortcut
                    .is_some_and(|s| i.consume_key(s.modifiers(), s.key))
            })
            .map(|w| Command::ShowWindow(w, true))
            .collect()
    })
}

/// Ctrl+Z, Ctrl+Y (or Ctrl+Shift+Z), Ctrl+M (add measure). Not taken
/// while a text field has the focus, so typing keeps the text fields' own undo.
fn edit_shortcuts(ctx: &Context) -> Vec<Command> {
    if ctx.memory(|m| m.focused().is_some()) {
        return Vec::new();
    }
    let shift = egui::Modifiers::COMMAND | egui::Modifiers::SHIFT;
    ctx.input_mut(|i| {
        let mut out = Vec::new();
        if i.consume_key(shift, egui::Key::Z)
            || i.consume_key(egui::Modifiers::COMMAND, egui::Key::Y)
        {
            out.push(Command::Redo);
        }
        if i.consume_key(egui::Modifiers::COMMAND, egui::Key::Z) {
            out.push(Command::Undo);
        }
        if i.consume_key(egui::Modifiers::COMMAND, egui::Key::M) {
            out.push(Command::NewMeasure);
        }
        out
    })
}

impl eframe::App for SozialraumApp {
    fn ui(&mut self, ui: &mut Ui, _frame: &mut eframe::Frame) {
        self.guarded_show(ui);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        storage.set_string(STORAGE_LANG, self.state.lang().code().to_string());
        let recent: Vec<String> = self
            .state
            .recent
            .iter()
            .map(|p| p.display().to_string())
            .collect();
        storage.set_string(STORAGE_RECENT, recent.join("\n"));
        storage.set_string(
            STORAGE_THEME,
            if self.dark_theme { "dark" } else { "light" }.to_string(),
        );
        let project = self
            .state
            .store
            .as_ref()
            .and_then(|s| s.file().map(|p| p.display().to_string()))
            .unwrap_or_default();
        storage.set_string(STORAGE_LAST_PROJECT, project);
        // The register shown comes back too, unless its string holds a password.
        let register = self
            .state
            .register
            .as_ref()
            .filter(|t| !crate::io::register::has_password(&t.conninfo))
            .map(|t| format!("{}\n{}", t.conninfo, t.schema))
            .unwrap_or_default();
        storage.set_string(STORAGE_LAST_REGISTER, register);
        let windows: Vec<&str> = Window::ALL
            .into_iter()
            .filter(|w| self.state.windows.is_open(*w))
            .filter_map(|w| w.info().remembered_as)
            .collect();
        storage.set_string(STORAGE_WINDOWS, windows.join(","));
    }
}
