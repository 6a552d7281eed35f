//! What any store keeps of a project besides its measures: the view settings and the saved
//! views, and the content handed to a write.

use serde::{Deserialize, Serialize};

use super::Why;
use crate::io::export_geojson::MapExport;
use crate::model::{MeasureRegister, Uid};

/// How the map was shown, stored with the project.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct StoredView {
    /// "handlungsfelder", "abdeckung", or an indicator key.
    pub colouring: String,
    /// Break method of an indicator view.
    #[serde(default)]
    pub method: Option<String>,
    /// Number of classes of an indicator view.
    #[serde(default)]
    pub classes: Option<usize>,
    /// Visible Handlungsfelder, e.g. "1,2,4".
    #[serde(default)]
    pub visible_fields: Option<String>,
    /// Code labels on.
    #[serde(default)]
    pub show_labels: Option<bool>,
    /// Municipality borders on.
    #[serde(default)]
    pub show_borders: Option<bool>,
    /// Measure badges on.
    #[serde(default)]
    pub show_badges: Option<bool>,
    /// The municipality in focus, by name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub focus: Option<String>,
    /// Handlungsfelder hatched (readable without colour).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field_patterns: Option<bool>,
    /// The year of an indicator view (absent: the latest).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub year: Option<i32>,
    /// A change map: "2017:2023" and how the change is measured ("differenz", "relativ").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub change: Option<String>,
    /// The status limits of a status × dynamics map (z).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status_limits: Option<Vec<f64>>,
    /// The dynamics limits of a status × dynamics map (z).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dynamics_limits: Option<Vec<f64>>,
    /// The saved views ("Ansichten"), in the planner's order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub views: Vec<SavedView>,
}

/// A named view for workshops: the part of the map and how it is coloured, with the
/// municipality in focus.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SavedView {
    /// Its stable id (given when it is saved first).
    #[serde(default)]
    pub uid: Uid,
    /// Where it stands in the list (new views go last).
    #[serde(default)]
    pub position: i64,
    /// The name shown as the title in presentation mode.
    pub name: String,
    /// The planar box shown (min x, min y, max x, max y).
    pub extent: [f64; 4],
    /// Colouring, classes, visible fields, focus (its own `views` stay empty).
    pub settings: StoredView,
}

/// Everything a project holds, as a write takes the values of its items from it.
pub struct ProjectContent<'a> {
    /// The map with its classification; its `measures` are counted into the layer.
    pub map: MapExport<'a>,
    /// The measures.
    pub measures: &'a MeasureRegister,
    /// The view settings, with the saved views.
    pub view: &'a StoredView,
}

/// Why a project opened read-only.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReadOnlyReason {
    /// The file's permissions do not allow writing.
    Permissions,
    /// The folder does not allow creating files (SQLite's journal lives beside the file).
    Folder,
    /// Another program holds a write lock.
    Locked,
    /// SQLite's check found the file damaged: it is never written.
    Damaged,
    /// Opened only to be read (an export).
    Requested,
}

impl ReadOnlyReason {
    /// The reason as a write failure.
    pub fn why(self) -> Why {
        match self {
            ReadOnlyReason::Permissions => Why::ReadOnlyFile,
            ReadOnlyReason::Folder => Why::ReadOnlyFolder,
            ReadOnlyReason::Locked => Why::Locked,
            ReadOnlyReason::Damaged => Why::Damaged,
            ReadOnlyReason::Requested => Why::Other(String::new()),
        }
    }
}
