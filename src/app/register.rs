//! Opening a shared register in the window: connect, make the local copy from the register
//! the first time (or open the copy kept from before), and start keeping it in step.
//!
//! Offline first: when the server cannot be reached but a copy exists, the copy opens and
//! the changes made in it are sent when the server is back. Without a copy there is nothing
//! to show, and the message says why the server was not reached.

use std::path::Path;
use std::sync::Arc;

use super::loader::Opened;
use crate::document::Document;
use crate::i18n::Lang;
use crate::io::project;
use crate::io::register::{self, RegisterError, Snapshot, Target};
use crate::io::store::{ProjectContent, StoredView};
use crate::io::{ImportError, ImportOptions, Progress, import_file};
use crate::spatial::prepared::Detail;

/// Opens the register of `target` (on the loading thread).
pub fn open(
    target: Target,
    progress: &Progress,
    wake: Arc<dyn Fn() + Send + Sync>,
) -> Result<Opened, ImportError> {
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
    Ok(Opened::register(opened, copy))
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
