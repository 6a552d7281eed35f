//! The `atlas` member: this program's metadata carried inside a GeoJSON FeatureCollection.
//!
//! A foreign member (RFC 7946 §6.1), so QGIS, GDAL and every other reader simply ignore it,
//! while the indicator catalogue, the field mapping and the "synthetic data" flag travel with
//! the boundaries in one file.

use serde::{Deserialize, Serialize};

use crate::io::rules_file::RulesDocument;
use crate::model::Indicator;

/// Name of the foreign member.
pub const MEMBER: &str = "atlas";

/// Current version of the metadata format.
pub const FORMAT_VERSION: u32 = 1;

/// Which properties hold code, name, municipality and classification.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MetaFields {
    /// Code property.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// Name property.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Municipality property.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub municipality: Option<String>,
    /// Handlungsfeld property.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action_fields: Option<String>,
}

/// The metadata.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AtlasMeta {
    /// Format version.
    #[serde(default)]
    pub format: u32,
    /// Map title.
    #[serde(default)]
    pub title: Option<String>,
    /// True for synthetic example data.
    #[serde(default)]
    pub synthetic: bool,
    /// Attribution of the boundaries.
    #[serde(default)]
    pub attribution: Option<String>,
    /// Year of the indicator data.
    #[serde(default)]
    pub data_year: Option<String>,
    /// A note on where the data comes from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Field mapping.
    #[serde(default)]
    pub fields: MetaFields,
    /// Indicator catalogue.
    #[serde(default)]
    pub indicators: Vec<Indicator>,
    /// Handlungsfeld rules and overrides, as in a rules file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rules: Option<RulesDocument>,
}
