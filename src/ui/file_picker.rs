//! The native file dialog, run on its own thread so the window keeps drawing, with the
//! typed-path fallback when the system has no dialog (the caller shows a text field anyway).

use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, channel};

use eframe::egui::{self, Context, Ui};

/// Whether the dialog opens or saves a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PickMode {
    /// Choose an existing file.
    Open,
    /// Choose where to write, with a suggested file name.
    Save,
    /// Choose a folder.
    Folder,
}

/// A native file dialog that may be running.
#[derive(Debug, Default)]
pub struct FilePicker {
    running: Option<Receiver<Option<PathBuf>>>,
    /// The dialog came back empty or could not start: perhaps there is none on this system.
    pub unavailable: bool,
}

impl FilePicker {
    /// Whether a dialog is open now.
    pub fn is_running(&self) -> bool {
        self.running.is_some()
    }

    /// Starts the dialog with a filter (`name`, extensions) and, for saving, a file name.
    pub fn start(
        &mut self,
        ctx: &Context,
        mode: PickMode,
        filter: (&str, &[&str]),
        file_name: Option<String>,
    ) {
        let (sender, receiver) = channel();
        let ctx = ctx.clone();
        let name = filter.0.to_string();
        let extensions: Vec<String> = filter.1.iter().map(|e| e.to_string()).collect();
        let spawned = std::thread::Builder::new()
            .name("file-dialog".into())
            .spawn(move || {
                let mut dialog = rfd::FileDialog::new().add_filter(name, &extensions);
                if let Some(f) = file_name {
                    dialog = dialog.set_file_name(f);
                }
                let picked = match mode {
                    PickMode::Open => dialog.pick_file(),
                    PickMode::Save => dialog.save_file(),
                    PickMode::Folder => dialog.pick_folder(),
                };
                let _ = sender.send(picked);
                ctx.request_repaint();
            });
        if spawned.is_ok() {
            self.running = Some(receiver);
        } else {
            self.unavailable = true;
        }
    }

    /// A "Durchsuchen …" button that starts the dialog; disabled while one is open.
    pub fn browse_button(
        &mut self,
        ui: &mut Ui,
        label: &str,
        mode: PickMode,
        filter: (&str, &[&str]),
        file_name: Option<&str>,
    ) {
        let clicked = ui
            .add_enabled(!self.is_running(), egui::Button::new(label))
            .clicked();
        if clicked {
            self.start(ui.ctx(), mode, filter, file_name.map(str::to_string));
        }
    }

    /// The chosen path, once the dialog has closed with one. Call every frame.
    pub fn poll(&mut self) -> Option<PathBuf> {
        let receiver = self.running.as_ref()?;
        let picked = receiver.try_recv().ok()?;
        self.running = None;
        if picked.is_none() {
            self.unavailable = true;
        }
        picked
    }

    /// Puts the chosen path into `path` once the dialog has closed with one, and fills an
    /// empty `path` with a file beside the map ([`beside_map`]). Call every frame.
    pub fn fill(
        &mut self,
        path: &mut String,
        map_path: Option<&Path>,
        what: &str,
        extension: &str,
    ) {
        if let Some(p) = self.poll() {
            *path = p.display().to_string();
        }
        if path.is_empty() {
            *path = beside_map(map_path, what, extension);
        }
    }
}

/// "…/aachen_bezirke_karte.png": a file (or, without `extension`, a folder) in the map file's
/// folder, named after it; for the embedded demo map, in the home folder.
pub fn beside_map(map_path: Option<&Path>, what: &str, extension: &str) -> String {
    let (folder, stem) = match map_path {
        Some(p) => (
            p.parent().map(Path::to_path_buf).unwrap_or_default(),
            p.file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default(),
        ),
        None => (
            std::env::var_os("HOME")
                .or_else(|| std::env::var_os("USERPROFILE"))
                .map(PathBuf::from)
                .unwrap_or_default(),
            "staedteregion_aachen_demo".to_string(),
        ),
    };
    let mut name = if stem.is_empty() {
        what.to_string()
    } else {
        format!("{stem}_{what}")
    };
    if !extension.is_empty() {
        name = format!("{name}.{extension}");
    }
    let path = folder.join(name);
    std::path::absolute(&path)
        .unwrap_or(path)
        .display()
        .to_string()
}
