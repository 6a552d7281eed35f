//! Opening maps: the demo synchronously, files on a background thread with progress.
//!
//! A file is imported and prepared for a first overview on the loading thread, handed to the
//! window, and then prepared in full detail (full resolution, labels, borders) while the user
//! already looks at it. Each load has its own id; a message from a load that was cancelled or
//! superseded is dropped, so a slow old file can never replace a newer one.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::mpsc::{Receiver, Sender, TryRecvError, channel};

use crate::document::Document;
use crate::io::project::{OpenedProject, open as open_project};
use crate::io::store::{Store, StoredView};
use crate::io::{ImportError, ImportOptions, Progress, import_file};
use crate::model::Region;
use crate::spatial::prepared::{Detail, PreparedMap};

/// A map that was opened: the document, and for a project its store and the view it keeps.
#[derive(Debug)]
pub struct Opened {
    /// The document.
    pub doc: Document,
    /// Where it is kept, when it is a project.
    pub store: Option<Box<dyn Store>>,
    /// The view the project keeps, applied once when the map is shown.
    pub view: Option<StoredView>,
}

impl Opened {
    /// A map that is not a project.
    pub fn plain(doc: Document) -> Opened {
        Opened {
            doc,
            store: None,
            view: None,
        }
    }

    /// An opened project, its geometry prepared by `prepare`.
    pub fn project_with(
        project: OpenedProject,
        path: PathBuf,
        detail: Detail,
        prepare: impl FnOnce(&Region) -> PreparedMap,
    ) -> Opened {
        let OpenedProject {
            imported,
            measures,
            view,
            store,
        } = project;
        let doc = Document::from_project_with(
            imported,
            measures,
            view.views.clone(),
            path,
            detail,
            prepare,
        );
        Opened {
            doc,
            store: Some(Box::new(store)),
            view: Some(view),
        }
    }

    /// An opened register (its local copy at `path`), prepared for an overview.
    pub fn register(opened: crate::io::register::OpenedRegister, path: PathBuf) -> Opened {
        let crate::io::register::OpenedRegister {
            imported,
            measures,
            view,
            register,
        } = opened;
        let mut doc = Document::from_project_with(
            imported,
            measures,
            view.views.clone(),
            path,
            Detail::Overview,
            |region| PreparedMap::prepare(region, Detail::Overview, &|_| {}),
        );
        // The copy is the program's, not a file the user opens or names.
        doc.path = None;
        Opened {
            doc,
            store: Some(Box::new(register)),
            view: Some(view),
        }
    }

    /// An opened project, prepared as `detail` says.
    pub fn project(project: OpenedProject, path: PathBuf, detail: Detail) -> Opened {
        Opened::project_with(project, path, detail, |region| {
            PreparedMap::prepare(region, detail, &|_| {})
        })
    }
}

/// What a loading thread reports.
pub enum LoadMessage {
    /// The map, prepared for an overview.
    Overview(Box<Opened>),
    /// The full preparation of the map sent before.
    Full(Arc<PreparedMap>),
    /// The file could not be opened.
    Failed(ImportError),
}

/// A load in progress.
pub struct LoadJob {
    /// Id of this load.
    pub id: u64,
    /// The file.
    pub path: PathBuf,
    /// Shared progress; cancel through it.
    pub progress: Arc<Progress>,
    receiver: Receiver<(u64, LoadMessage)>,
    /// Whether the overview has arrived and only the details are still being prepared.
    pub overview_done: bool,
    /// When the load was started.
    pub started: std::time::Instant,
}

/// The name of the loading thread (panics are told apart by it).
pub const THREAD_NAME: &str = "map-loader";

impl LoadJob {
    /// Starts loading `path` on a background thread. `wake` is called when there is news.
    pub fn start(
        id: u64,
        path: PathBuf,
        options: ImportOptions,
        wake: impl Fn() + Send + Sync + Clone + 'static,
    ) -> LoadJob {
        let shown = path.clone();
        LoadJob::start_source(id, shown, Source::File(path, options), wake)
    }

    /// Starts opening a shared register (its local copy, kept in step with the server).
    pub fn start_register(
        id: u64,
        target: crate::io::register::Target,
        wake: impl Fn() + Send + Sync + Clone + 'static,
    ) -> LoadJob {
        let shown = crate::io::register::copy_path(&target);
        LoadJob::start_source(id, shown, Source::Register(target), wake)
    }

    fn start_source(
        id: u64,
        path: PathBuf,
        source: Source,
        wake: impl Fn() + Send + Sync + Clone + 'static,
    ) -> LoadJob {
        let (sender, receiver) = channel();
        let progress = Progress::with_waker(wake.clone());
        let thread_progress = Arc::clone(&progress);
        let spawned = std::thread::Builder::new()
            .name(THREAD_NAME.into())
            .spawn(move || run(id, source, &thread_progress, &sender, wake));
        if let Err(e) = spawned {
            // No thread: report it as an I/O problem of this file.
            let (fail_sender, fail_receiver) = channel();
            let _ = fail_sender.send((
                id,
                LoadMessage::Failed(ImportError::Io {
                    file: path.display().to_string(),
                    source: e,
                }),
            ));
            return LoadJob {
                id,
                path,
                progress,
                receiver: fail_receiver,
                overview_done: false,
                started: std::time::Instant::now(),
            };
        }
        LoadJob {
            id,
            path,
            progress,
            receiver,
            overview_done: false,
            started: std::time::Instant::now(),
        }
    }

    /// A load whose thread panics at once (for the tests of how a panic is reported).
    #[cfg(test)]
    pub(crate) fn panicking(id: u64, path: PathBuf) -> LoadJob {
        let (sender, receiver) = channel::<(u64, LoadMessage)>();
        let spawned = std::thread::Builder::new()
            .name(THREAD_NAME.into())
            .spawn(move || {
                let _keep = sender;
                panic!("a bug in the importer");
            });
        if let Ok(handle) = spawned {
            let _ = handle.join();
        }
        LoadJob {
            id,
            path,
            progress: Arc::new(Progress::default()),
            receiver,
            overview_done: false,
            started: std::time::Instant::now(),
        }
    }

    /// The next message, if one arrived.
    pub fn poll(&self) -> Poll {
        match self.receiver.try_recv() {
            Ok((id, message)) if id == self.id => Poll::Message(message),
            Ok(_) | Err(TryRecvError::Empty) => Poll::Empty,
            Err(TryRecvError::Disconnected) => Poll::Finished,
        }
    }
}

/// The answer of [`LoadJob::poll`].
pub enum Poll {
    /// News from the load.
    Message(LoadMessage),
    /// Nothing new yet.
    Empty,
    /// The loading thread has ended and everything it sent was taken.
    Finished,
}

fn open_file(
    path: &std::path::Path,
    options: &ImportOptions,
    progress: &Progress,
) -> Result<Opened, ImportError> {
    if crate::io::project::kind(path) != crate::io::project::Kind::Other {
        open_project(path, options, progress)
            .map(|p| Opened::project(p, path.to_path_buf(), Detail::Overview))
    } else {
        import_file(path, options, progress).map(|i| {
            Opened::plain(Document::from_import(
                i,
                Some(path.to_path_buf()),
                Detail::Overview,
            ))
        })
    }
}

/// What a load opens.
enum Source {
    /// A file (map or project).
    File(PathBuf, ImportOptions),
    /// A shared register.
    Register(crate::io::register::Target),
}

fn run(
    id: u64,
    source: Source,
    progress: &Progress,
    sender: &Sender<(u64, LoadMessage)>,
    wake: impl Fn() + Send + Sync + Clone + 'static,
) {
    let loaded = match source {
        Source::File(path, options) => open_file(&path, &options, progress),
        Source::Register(target) => {
            super::register::open(target, progress, std::sync::Arc::new(wake.clone()))
                .map(|(opened, copy)| Opened::register(opened, copy))
        }
    };
    let map = match loaded {
        Ok(map) if !progress.is_cancelled() => map,
        Ok(_) => {
            let _ = sender.send((id, LoadMessage::Failed(ImportError::Cancelled)));
            wake();
            return;
        }
        Err(e) => {
            let _ = sender.send((id, LoadMessage::Failed(e)));
            wake();
            return;
        }
    };
    let region = Arc::clone(&map.doc.region);
    if sender
        .send((id, LoadMessage::Overview(Box::new(map))))
        .is_err()
    {
        return;
    }
    wake();
    if progress.is_cancelled() {
        return;
    }
    // Quietly: the map is on screen, and repaints for a percentage would slow this down.
    let full = PreparedMap::prepare(&region, Detail::Full, &|_| {});
    let _ = sender.send((id, LoadMessage::Full(Arc::new(full))));
    wake();
    crate::io::memory::release_freed();
}
