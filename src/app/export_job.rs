//! Exports from the window run on their own thread: a whole-country map at 300 dpi or an atlas
//! of every municipality takes seconds, and the user keeps working meanwhile.

use std::path::PathBuf;
use std::sync::mpsc::{Receiver, TryRecvError, channel};

use super::export::{ExportOptions, MapSnapshot, export_atlas, export_file, export_views};
use crate::i18n::{Lang, T, format};
use crate::scene::ViewSettings;

/// The name of the export thread (panics are told apart by it).
pub const THREAD_NAME: &str = "export";

/// Where an export goes.
#[derive(Debug, Clone, PartialEq)]
pub enum ExportTarget {
    /// One file (its extension should match the format).
    File(PathBuf),
    /// One file per municipality in this folder.
    Folder(PathBuf),
    /// One file per saved view in this folder.
    Views(PathBuf, Vec<crate::io::store::SavedView>),
}

/// An export the user asked for.
#[derive(Debug, Clone, PartialEq)]
pub struct ExportRequest {
    /// Size, extent, title, furniture and format.
    pub options: ExportOptions,
    /// The file or folder.
    pub target: ExportTarget,
}

/// A running export.
#[derive(Debug)]
pub struct ExportJob {
    receiver: Receiver<Result<String, String>>,
    /// Where it goes, for the status line.
    pub target: ExportTarget,
    /// The language of its messages.
    lang: Lang,
}

/// What polling found.
#[derive(Debug, PartialEq)]
pub enum ExportPoll {
    /// Still running.
    Running,
    /// Done: the message to show.
    Done(String),
    /// Failed: the message to show.
    Failed(String),
}

impl ExportJob {
    /// Starts the export on a thread; `wake` is called when it is done.
    pub fn start(
        map: MapSnapshot,
        view: ViewSettings,
        request: ExportRequest,
        wake: impl Fn() + Send + 'static,
    ) -> ExportJob {
        let (sender, receiver) = channel();
        let target = request.target.clone();
        let lang = view.lang;
        let work = move || {
            let result = run(&map, &view, &request, lang);
            let _ = sender.send(result);
            wake();
        };
        if let Err(e) = std::thread::Builder::new()
            .name(THREAD_NAME.into())
            .spawn(work)
        {
            let (failed, receiver_now) = channel();
            let _ = failed.send(Err(e.to_string()));
            return ExportJob {
                receiver: receiver_now,
                target,
                lang,
            };
        }
        ExportJob {
            receiver,
            target,
            lang,
        }
    }

    /// Whether it has finished, and how.
    pub fn poll(&self) -> ExportPoll {
        match self.receiver.try_recv() {
            Ok(Ok(message)) => ExportPoll::Done(message),
            Ok(Err(message)) => ExportPoll::Failed(message),
            Err(TryRecvError::Empty) => ExportPoll::Running,
            // The thread ended without an answer: it panicked.
            Err(TryRecvError::Disconnected) => ExportPoll::Failed(format!(
                "{} ({})",
                self.lang.t(T::ExportCrashed),
                super::crash::take_last_of(THREAD_NAME).unwrap_or_else(|| "?".into())
            )),
        }
    }
}

/// Carries out `request` at once (the command line; the window does it on a thread) and
/// returns the message for the user.
pub fn run(
    map: &MapSnapshot,
    view: &ViewSettings,
    request: &ExportRequest,
    lang: Lang,
) -> Result<String, String> {
    match &request.target {
        ExportTarget::File(path) => {
            export_file(map, view, &request.options, path).map_err(|e| e.describe(lang))?;
            Ok(lang.tf(T::ExportSaved, &[("file", &path.display().to_string())]))
        }
        ExportTarget::Folder(dir) => {
            let files =
                export_atlas(map, view, &request.options, dir).map_err(|e| e.describe(lang))?;
            Ok(lang.tf(
                T::CliAtlasWritten,
                &[
                    ("n", &format::count(files.len(), lang)),
                    ("dir", &dir.display().to_string()),
                ],
            ))
        }
        ExportTarget::Views(dir, views) => {
            let files = export_views(map, view, views, &request.options, dir)
                .map_err(|e| e.describe(lang))?;
            Ok(lang.tf(
                T::ExportViewsWritten,
                &[
                    ("n", &format::count(files.len(), lang)),
                    ("dir", &dir.display().to_string()),
                ],
            ))
        }
    }
}
