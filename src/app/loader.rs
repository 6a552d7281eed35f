//! Opening maps: the demo synchronously, files on a background thread with progress.
//!
//! A file is imported and prepared for a first overview on the loading thread, handed to the
//! window, and then prepared in full detail (full resolution, labels, borders) while the user
//! already looks at it. Each load has its own id; a message from a load that was cancelled or
//! superseded is dropped, so a slow old file can never replace a newer one.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::mpsc::{Receiver, Sender, TryRecvError, channel};

use crate::analysis::RegionStats;
use crate::analysis::rules::{Classification, classify};
use crate::io::export_geojson::MapExport;
use crate::io::project::{OpenedProject, open as open_project};
use crate::io::store::{SavedView, StoredView};
use crate::io::{ImportError, ImportOptions, ImportReport, Imported, Progress, import_file};
use crate::model::{IndicatorTable, MeasureRegister, Override, Region, RuleSet};
use crate::scene::SceneInput;
use crate::spatial::crs::{Crs, Transformer, WGS84};
use crate::spatial::prepared::{Detail, PreparedMap};

/// A map ready to show.
#[derive(Debug)]
pub struct LoadedMap {
    /// The Sozialräume.
    pub region: Arc<Region>,
    /// Indicator catalogue and values.
    pub indicators: Arc<IndicatorTable>,
    /// Handlungsfeld rules (empty: the classification comes from the data).
    pub rules: RuleSet,
    /// Planners' overrides.
    pub overrides: Vec<Override>,
    /// The classification of every area (rules or data, with overrides).
    pub classification: Arc<Classification>,
    /// Prepared geometry (overview first, then full detail).
    pub prepared: Arc<PreparedMap>,
    /// Whether `prepared` is complete.
    pub detail: Detail,
    /// What the import found.
    pub report: ImportReport,
    /// Statistics for the inspector.
    pub stats: Arc<RegionStats>,
    /// Planar CRS to lon/lat, for coordinates and the scale bar.
    pub to_lonlat: Option<Arc<Transformer>>,
    /// The file, if the map came from one.
    pub path: Option<PathBuf>,
    /// The planned measures.
    pub measures: MeasureRegister,
    /// Number of measures per area, kept in step by [`LoadedMap::recount`].
    pub measure_counts: Arc<Vec<usize>>,
    /// The project file, when the map is a project.
    pub store: Option<Box<dyn crate::io::store::Store>>,
    /// The view stored in the project, applied once when the map is shown.
    pub stored_view: Option<StoredView>,
    /// The saved views ("Ansichten") of the project.
    pub saved_views: Vec<SavedView>,
    /// Unsaved items and conflicts with other writers of the project file.
    pub saving: super::saving::Saving,
}

impl LoadedMap {
    /// What the scene is built from.
    pub fn scene_input(&self) -> SceneInput<'_> {
        SceneInput {
            region: &self.region,
            indicators: &self.indicators,
            classification: &self.classification,
            measure_counts: &self.measure_counts,
        }
    }

    /// Recounts the measures per area after measures changed.
    pub fn recount(&mut self) {
        let mut counts = vec![0usize; self.region.spaces.len()];
        for m in self.measures.all() {
            for code in &m.areas {
                if let Some(i) = self.region.space_by_code(code) {
                    counts[i] += 1;
                }
            }
        }
        self.measure_counts = Arc::new(counts);
    }

    /// Recomputes statistics and classification after indicators, rules or overrides changed.
    pub fn refresh(&mut self) {
        self.stats = Arc::new(RegionStats::new(&self.region, &self.indicators));
        self.reclassify();
    }

    /// Recomputes the classification after rules or overrides changed.
    pub fn reclassify(&mut self) {
        self.classification = Arc::new(classify(
            &self.region,
            &self.indicators,
            &self.rules,
            &self.overrides,
        ));
    }

    /// Builds a loaded map from an import, preparing geometry as `detail` says.
    pub fn from_import(imported: Imported, path: Option<PathBuf>, detail: Detail) -> LoadedMap {
        LoadedMap::from_import_with(imported, path, detail, |region| {
            PreparedMap::prepare(region, detail, &|_| {})
        })
    }

    /// Builds a loaded map from an import with geometry prepared by `prepare` (an export
    /// prepares for one scale only); `detail` says what it holds.
    pub fn from_import_with(
        imported: Imported,
        path: Option<PathBuf>,
        detail: Detail,
        prepare: impl FnOnce(&Region) -> PreparedMap,
    ) -> LoadedMap {
        let Imported {
            region,
            indicators,
            rules,
            overrides,
            report,
        } = imported;
        let prepared = prepare(&region);
        let stats = RegionStats::new(&region, &indicators);
        let classification = classify(&region, &indicators, &rules, &overrides);
        let to_lonlat = Crs::from_epsg(region.crs.epsg)
            .and_then(|planar| Ok(Transformer::new(planar, Crs::from_epsg(WGS84)?)))
            .ok()
            .map(Arc::new);
        LoadedMap {
            region: Arc::new(region),
            indicators: Arc::new(indicators),
            rules,
            overrides,
            classification: Arc::new(classification),
            prepared: Arc::new(prepared),
            detail,
            report,
            stats: Arc::new(stats),
            to_lonlat,
            path,
            measures: MeasureRegister::default(),
            measure_counts: Arc::default(),
            store: None,
            stored_view: None,
            saved_views: Vec::new(),
            saving: Default::default(),
        }
    }

    /// A loaded map from an opened project file.
    pub fn from_project(project: OpenedProject, path: PathBuf, detail: Detail) -> LoadedMap {
        LoadedMap::from_project_with(project, path, detail, |region| {
            PreparedMap::prepare(region, detail, &|_| {})
        })
    }

    /// A loaded map from an opened project, with geometry prepared by `prepare`.
    pub fn from_project_with(
        project: OpenedProject,
        path: PathBuf,
        detail: Detail,
        prepare: impl FnOnce(&Region) -> PreparedMap,
    ) -> LoadedMap {
        let OpenedProject {
            imported,
            measures,
            view,
            store,
        } = project;
        let mut map = LoadedMap::from_import_with(imported, Some(path), detail, prepare);
        map.measures = measures;
        map.recount();
        map.store = Some(Box::new(store));
        map.stored_view = Some(view);
        map
    }

    /// The map as an export (GeoJSON, project layer), with measure counts.
    pub fn export(&self) -> MapExport<'_> {
        MapExport {
            region: &self.region,
            indicators: &self.indicators,
            rules: &self.rules,
            overrides: &self.overrides,
            classification: &self.classification,
            to_lonlat: self.to_lonlat.as_deref(),
            measures: Some(&self.measures),
        }
    }
}

/// What a loading thread reports.
pub enum LoadMessage {
    /// The map, prepared for an overview.
    Overview(Box<LoadedMap>),
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
        let (sender, receiver) = channel();
        let progress = Progress::with_waker(wake.clone());
        let thread_progress = Arc::clone(&progress);
        let thread_path = path.clone();
        let spawned = std::thread::Builder::new()
            .name(THREAD_NAME.into())
            .spawn(move || run(id, thread_path, options, &thread_progress, &sender, wake));
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

fn run(
    id: u64,
    path: PathBuf,
    options: ImportOptions,
    progress: &Progress,
    sender: &Sender<(u64, LoadMessage)>,
    wake: impl Fn(),
) {
    let loaded = if crate::io::project::kind(&path) != crate::io::project::Kind::Other {
        open_project(&path, &options, progress)
            .map(|p| LoadedMap::from_project(p, path.clone(), Detail::Overview))
    } else {
        import_file(&path, &options, progress)
            .map(|i| LoadedMap::from_import(i, Some(path.clone()), Detail::Overview))
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
    let region = Arc::clone(&map.region);
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
}
