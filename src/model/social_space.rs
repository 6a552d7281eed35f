//! A Sozialraum (social space) and the municipality (Kommune) it belongs to.
//!
//! The code is the natural, stable identity of a Sozialraum: measures and overrides refer to
//! it, never to a position in a list. Geometry is kept in the region's planar CRS (metres), so
//! areas, distances and the scale bar need no further projection.

use geo::MultiPolygon;

use super::{ActionFieldSet, Properties};

/// Index of a municipality in [`super::Region::municipalities`].
pub type MunicipalityId = usize;

/// A Sozialraum: a bounded part of a municipality with its own code.
#[derive(Debug, Clone, PartialEq)]
pub struct SocialSpace {
    /// The stable code, e.g. `AC 1`, `A 1a`, `S 3b`.
    pub code: String,
    /// The name, where known.
    pub name: Option<String>,
    /// The municipality, where known.
    pub municipality: Option<MunicipalityId>,
    /// The boundary in the region's planar CRS (metres).
    pub geometry: MultiPolygon<f64>,
    /// Area in m², computed from the planar geometry.
    pub area_m2: f64,
    /// The Handlungsfelder with Gestaltungsbedarf, as given by the data.
    pub action_fields: ActionFieldSet,
    /// Every property of the source feature, unknown ones included, in file order.
    pub properties: Properties,
    /// 0-based position of the (first) source feature in the file, for reports.
    pub source_feature: usize,
}

impl SocialSpace {
    /// An area known only by its code: no name, municipality, geometry or properties (the
    /// older areas of a crosswalk, test regions).
    pub fn bare(code: &str) -> SocialSpace {
        SocialSpace {
            code: code.to_string(),
            name: None,
            municipality: None,
            geometry: geo::MultiPolygon(vec![]),
            area_m2: 0.0,
            action_fields: super::ActionFieldSet::EMPTY,
            properties: Default::default(),
            source_feature: 0,
        }
    }

    /// "AC 1 Markt" or just "AC 1" when there is no name.
    pub fn display_name(&self) -> String {
        match &self.name {
            Some(name) if !name.is_empty() => format!("{} {}", self.code, name),
            _ => self.code.clone(),
        }
    }
}

/// A municipality (Kommune) of the region.
#[derive(Debug, Clone, PartialEq)]
pub struct Municipality {
    /// Name, e.g. "Stolberg (Rhld.)".
    pub name: String,
    /// Official key (AGS), where known.
    pub key: Option<String>,
    /// The Sozialräume of this municipality (indices into the region's list), in code order.
    pub spaces: Vec<usize>,
}
