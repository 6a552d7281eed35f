//! The document: what a planner edits (the areas, the indicator catalogue and values, the
//! rules and overrides, the measures, the saved views) and what is derived from it
//! (statistics, classification, prepared geometry, measure counts), recomputed in one place.
//!
//! Below the window and the command line: both build a [`Document`] and change it only
//! through [`edit::apply`], which returns the [`edit::Change`] that undo and the stores work
//! with. Nothing here touches files or knows about windows.

pub mod edit;
pub mod history;
pub mod view;

use std::path::PathBuf;
use std::sync::Arc;

use crate::analysis::RegionStats;
use crate::analysis::rules::{Classification, classify};
use crate::io::export_geojson::MapExport;
use crate::io::store::SavedView;
use crate::io::{ImportReport, Imported};
use crate::model::{IndicatorTable, Measure, MeasureRegister, Override, Region, RuleSet};
use crate::scene::SceneInput;
use crate::spatial::crs::{Crs, Transformer, WGS84};
use crate::spatial::prepared::{Detail, PreparedMap};

/// The edited document: the map, its indicators, rules, overrides, measures and saved
/// views, with what is derived from them.
#[derive(Debug, Clone)]
pub struct Document {
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
    /// Number of measures per area, kept in step by [`Document::recount`].
    pub measure_counts: Arc<Vec<usize>>,
    /// The saved views ("Ansichten").
    pub saved_views: Vec<SavedView>,
}

impl Document {
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
    pub fn from_import(imported: Imported, path: Option<PathBuf>, detail: Detail) -> Document {
        Document::from_import_with(imported, path, detail, |region| {
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
    ) -> Document {
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
        Document {
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
            saved_views: Vec::new(),
        }
    }

    /// A document from a project's map, measures and saved views, with geometry prepared by
    /// `prepare`.
    pub fn from_project_with(
        imported: Imported,
        measures: MeasureRegister,
        saved_views: Vec<SavedView>,
        path: PathBuf,
        detail: Detail,
        prepare: impl FnOnce(&Region) -> PreparedMap,
    ) -> Document {
        let mut doc = Document::from_import_with(imported, Some(path), detail, prepare);
        doc.measures = measures;
        doc.recount();
        doc.saved_views = saved_views;
        doc
    }

    /// A new measure for the selected areas: their Handlungsfelder and municipalities.
    pub fn draft_for(&self, selected: &[usize]) -> Measure {
        let mut areas: Vec<usize> = selected.to_vec();
        areas.sort_by(|a, b| {
            crate::model::natural_cmp(&self.region.spaces[*a].code, &self.region.spaces[*b].code)
        });
        let codes: Vec<String> = areas
            .iter()
            .map(|i| self.region.spaces[*i].code.clone())
            .collect();
        let fields = areas
            .iter()
            .filter_map(|i| self.classification.fields.get(*i))
            .flat_map(|f| f.iter())
            .collect();
        Measure {
            municipalities: crate::io::measures_table::municipalities_of(&self.region, &codes),
            areas: codes,
            fields,
            ..Measure::default()
        }
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
