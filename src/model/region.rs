//! The region: all Sozialräume of one map with their municipalities, indicators and source.
//!
//! A `Region` is what a loaded boundary file becomes: geometry and identity. It is immutable
//! once built (shared as `Arc<Region>` between the UI and background work). What planners edit
//! (indicators, rules, overrides) lives beside it, so an edit never copies the geometry.

use std::collections::HashMap;

use super::{Municipality, SocialSpace};

/// Which properties of the source features carry the code, name and so on.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FieldMapping {
    /// Property with the Sozialraum code; `None` means the GeoJSON feature `id` was used.
    pub code: Option<String>,
    /// Property with the name.
    pub name: Option<String>,
    /// Property with the municipality's name.
    pub municipality: Option<String>,
    /// Property with the municipality's official key (AGS).
    pub municipality_key: Option<String>,
    /// Property with the Handlungsfeld classification.
    pub action_fields: Option<String>,
    /// Property with the population, shown in the inspector's header.
    pub population: Option<String>,
}

/// Where the map came from and what must be said about it on screen and in exports.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SourceInfo {
    /// A short label, usually the file name.
    pub label: String,
    /// True for the synthetic demo data ("Beispieldaten").
    pub synthetic: bool,
    /// Attribution of the boundary data, shown on the map.
    pub attribution: String,
    /// Year of the indicator data, where known.
    pub data_year: Option<String>,
    /// Description of the CRS the file was in, e.g. "EPSG:4326 (WGS 84)".
    pub source_crs: String,
}

/// The planar CRS all geometry of a region is kept in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PlanarCrs {
    /// EPSG code, e.g. 25832 for ETRS89 / UTM zone 32N.
    pub epsg: u32,
}

/// All Sozialräume of one map.
#[derive(Debug, Clone, PartialEq)]
pub struct Region {
    /// Title shown in the window and on exports.
    pub title: String,
    /// The Sozialräume in file order.
    pub spaces: Vec<SocialSpace>,
    /// The municipalities, sorted by name.
    pub municipalities: Vec<Municipality>,
    /// Source and attribution.
    pub source: SourceInfo,
    /// The planar CRS of every geometry.
    pub crs: PlanarCrs,
    /// Which properties were used for code, name, …
    pub mapping: FieldMapping,
    by_code: HashMap<String, usize>,
}

impl Region {
    /// Builds a region; codes must be unique (the importer guarantees it).
    pub fn new(
        title: String,
        spaces: Vec<SocialSpace>,
        municipalities: Vec<Municipality>,
        source: SourceInfo,
        crs: PlanarCrs,
        mapping: FieldMapping,
    ) -> Self {
        let by_code = spaces
            .iter()
            .enumerate()
            .map(|(i, s)| (s.code.clone(), i))
            .collect();
        Region {
            title,
            spaces,
            municipalities,
            source,
            crs,
            mapping,
            by_code,
        }
    }

    /// The index of the Sozialraum with `code`.
    pub fn space_by_code(&self, code: &str) -> Option<usize> {
        self.by_code.get(code).copied()
    }

    /// The municipality of area `space`, if known.
    pub fn municipality_of(&self, space: usize) -> Option<&Municipality> {
        self.spaces
            .get(space)
            .and_then(|s| s.municipality)
            .and_then(|m| self.municipalities.get(m))
    }
}
