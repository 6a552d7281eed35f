//! Opening a shared register in the window: connect, make the local copy from the register
//! the first time (or open the copy kept from before), and start keeping it in step.
//!
//! Offline first: when the server cannot be reached but a copy exists, the copy opens and
//! the changes made in it are sent when the server is back. Without a copy there is nothing
//! to show, and the message says why the server was not reached.

use std::path::Path;
use std::sync::Arc;

use crate::document::Document;
use crate::i18n::Lang;
use crate::io::project;
use crate::io::register::{self, RegisterError, Snapshot, Target};
use crate::io::store::{ProjectContent, StoredView};
use crate::io::{ImportError, ImportOptions, Progress, import_file};
use crate::spatial::prepared::Detail;

/// Opens the register of `target` (on the loading thread): the register and its copy.
pub fn open(
    target: Target,
    progress: &Progress,
    wake: Arc<dyn Fn() + Send + Sync>,
) -> Result<(register::OpenedRegister, std::path::PathBuf), ImportError> {
    let copy = register::copy_path(&target);
    let location = target_text(&target);
    let failed = |e: RegisterError| {
        ImportError::unusable(&location, e.describe(Lang::De), e.describe(Lang::En))
    };
    let have_copy = project::kind(&copy) == project::Kind::Project;
    let client = match register::connect_with(&target.conninfo, target.password.as_deref()) {
        Ok(client) => Some(client),
        Err(e) if !have_copy => return Err(failed(e)),
        // Offline: the copy opens, the sync thread keeps trying.
        Err(_) => None,
    };
    let client = match client {
        Some(mut client) if !have_copy => {
            let snapshot = register::snapshot(&mut client, &target.schema).map_err(failed)?;
            make_copy(&copy, &target, &snapshot, progress)?;
            Some(client)
        }
        other => other,
    };
    let opened = register::open_copy(&copy, target, client, progress, wake)?;
    Ok((opened, copy))
}

/// "anna@db.example:5432/atlas (Schema atlas)".
fn target_text(target: &Target) -> String {
    format!(
        "{} ({})",
        register::display_location(&target.conninfo),
        target.schema
    )
}

/// Makes the local copy from a snapshot: the map and its measures as a project file, with
/// the register's bookkeeping; written beside and renamed into place only when complete.
fn make_copy(
    copy: &Path,
    target: &Target,
    snapshot: &Snapshot,
    progress: &Progress,
) -> Result<(), ImportError> {
    let io = |source: std::io::Error| ImportError::Io {
        file: copy.display().to_string(),
        source,
    };
    if let Some(dir) = copy.parent() {
        std::fs::create_dir_all(dir).map_err(io)?;
    }
    let map_file = copy.with_extension("download.geojson");
    let building = copy.with_extension("new.gpkg");
    std::fs::write(&map_file, &snapshot.geojson).map_err(io)?;
    let imported = import_file(&map_file, &ImportOptions::default(), progress);
    let _ = std::fs::remove_file(&map_file);
    let mut doc = Document::from_import(imported?, None, Detail::Overview);
    doc.measures.put_many(
        snapshot
            .measures
            .iter()
            .map(|m| m.measure.clone())
            .collect(),
    );
    doc.recount();
    let view = StoredView::default();
    let content = ProjectContent {
        map: doc.export(),
        measures: &doc.measures,
        view: &view,
    };
    let unusable =
        |de: String, en: String| ImportError::unusable(&copy.display().to_string(), de, en);
    project::create(&building, &content)
        .map_err(|e| unusable(e.describe(Lang::De), e.describe(Lang::En)))?;
    register::make_copy(&building, target, snapshot)
        .map_err(|e| unusable(e.describe(Lang::De), e.describe(Lang::En)))?;
    std::fs::rename(&building, copy).map_err(io)?;
    Ok(())
}

/// A publication into a register, running on a thread of its own.
pub struct PublishJob {
    receiver: std::sync::mpsc::Receiver<Result<String, String>>,
}

/// The name of the publishing thread.
const PUBLISH_THREAD: &str = "register-publish";

impl PublishJob {
    /// Publishes what was taken from the map into the register of `target`; `wake` is
    /// called when it is done.
    pub fn start(
        publication: register::Publication,
        target: Target,
        create_roles: bool,
        lang: Lang,
        wake: impl Fn() + Send + 'static,
    ) -> PublishJob {
        let (sender, receiver) = std::sync::mpsc::channel();
        let failure = sender.clone();
        let work = move || {
            let location = target_text(&target);
            let result = register::connect_with(&target.conninfo, target.password.as_deref())
                .and_then(|mut client| {
                    register::publish_prepared(
                        &mut client,
                        &target.schema,
                        &publication,
                        create_roles,
                    )
                })
                .map(|done| {
                    lang.tf(
                        crate::i18n::T::PublishedNotice,
                        &[
                            ("where", &location),
                            ("areas", &crate::i18n::format::count(done.areas, lang)),
                            ("measures", &crate::i18n::format::count(done.measures, lang)),
                            ("roles", &crate::i18n::format::count(done.roles.len(), lang)),
                        ],
                    )
                })
                .map_err(|e| {
                    lang.tf(
                        crate::i18n::T::PublishFailed,
                        &[("where", &location), ("why", &e.describe(lang))],
                    )
                });
            let _ = sender.send(result);
            wake();
        };
        if let Err(e) = std::thread::Builder::new()
            .name(PUBLISH_THREAD.into())
            .spawn(work)
        {
            let _ = failure.send(Err(e.to_string()));
        }
        PublishJob { receiver }
    }

    /// The message when it has finished (Ok: done, Err: failed), None while it runs.
    pub fn poll(&self) -> Option<Result<String, String>> {
        match self.receiver.try_recv() {
            Ok(result) => Some(result),
            Err(std::sync::mpsc::TryRecvError::Empty) => None,
            Err(std::sync::mpsc::TryRecvError::Disconnected) => Some(Err(format!(
                "{PUBLISH_THREAD}: {}",
                super::crash::take_last_of(PUBLISH_THREAD).unwrap_or_else(|| "?".into())
            ))),
        }
    }
}
