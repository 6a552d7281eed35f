//! An export the user asked for (page options plus where the files go) and carrying it out,
//! headless: the `export` command runs it at once, the window on its own thread.

use std::path::PathBuf;

use super::map::{ExportOptions, MapSnapshot, export_atlas, export_file, export_views};
use crate::i18n::{Lang, T, format};
use crate::scene::ViewSettings;
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
