//! Exports from the window run on their own thread: a whole-country map at 300 dpi, an atlas
//! of every municipality, the Sozialraumprofile or the partners' HTML atlas of 11,299 areas
//! take seconds, and the user keeps working meanwhile.

use std::sync::mpsc::{Receiver, TryRecvError, channel};

use crate::export::map::MapSnapshot;
use crate::export::request::{ExportRequest, ExportTarget, run};
use crate::i18n::{Lang, T};
use crate::scene::ViewSettings;

/// The name of the export thread (panics are told apart by it).
pub const THREAD_NAME: &str = "export";

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
        let target = request.target.clone();
        let lang = view.lang;
        ExportJob::spawn(target, lang, move || run(&map, &view, &request, lang), wake)
    }

    /// Runs `work` (a report, an atlas, a map) on the export thread; `target` names what it
    /// writes for the status line, `wake` is called when it is done.
    pub fn spawn(
        target: ExportTarget,
        lang: Lang,
        work: impl FnOnce() -> Result<String, String> + Send + 'static,
        wake: impl Fn() + Send + 'static,
    ) -> ExportJob {
        let (sender, receiver) = channel();
        let job = move || {
            let _ = sender.send(work());
            wake();
        };
        if let Err(e) = std::thread::Builder::new()
            .name(THREAD_NAME.into())
            .spawn(job)
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
