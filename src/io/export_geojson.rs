//! Writing the map back as GeoJSON, with everything planners added: indicator values,
//! classifications, and in the `atlas` member the catalogue, rules and overrides.
//!
//! The file opens again in Sozialraum-Atlas with its catalogue and rules, and in QGIS as a
//! plain layer (lon/lat, RFC 7946) with the classification as attributes. Writing goes to a
//! temporary file that replaces the target only when complete, so a failed write (full disk)
//! never leaves half a file where a good one was.

use std::path::Path;

use serde_json::{Map, Value, json};
use thiserror::Error;

use super::atomic::write_atomically;
use super::geojson::meta::{AtlasMeta, FORMAT_VERSION, MEMBER, MetaFields};
use super::rules_file::RulesDocument;
use crate::analysis::rules::Classification;
use crate::model::{IndicatorTable, IndicatorValue, MeasureRegister, Override, Region, RuleSet};
use crate::spatial::crs::Transformer;

/// Why the export failed.
#[derive(Debug, Error)]
pub enum ExportError {
    /// Writing failed.
    #[error("{file}: cannot be written: {source}")]
    Io {
        /// The file.
        file: String,
        /// The cause.
        source: std::io::Error,
    },
    /// Coordinates could not be converted to lon/lat.
    #[error("{file}: coordinates cannot be converted to longitude/latitude")]
    Projection {
        /// The file.
        file: String,
    },
}

impl ExportError {
    /// The message in the user's language.
    pub fn describe(&self, lang: crate::i18n::Lang) -> String {
        if lang == crate::i18n::Lang::En {
            return self.to_string();
        }
        match self {
            ExportError::Io { file, source } => {
                format!("{file}: kann nicht geschrieben werden: {source}")
            }
            ExportError::Projection { file } => {
                format!("{file}: Koordinaten lassen sich nicht in Länge/Breite umrechnen")
            }
        }
    }
}

/// What a map export contains.
pub struct MapExport<'a> {
    /// The areas.
    pub region: &'a Region,
    /// Indicator catalogue and values.
    pub indicators: &'a IndicatorTable,
    /// Rules.
    pub rules: &'a RuleSet,
    /// Overrides.
    pub overrides: &'a [Override],
    /// The classification.
    pub classification: &'a Classification,
    /// Planar CRS to lon/lat (needed for GeoJSON, not for the project file).
    pub to_lonlat: Option<&'a Transformer>,
    /// Measures, to count per area (None: no count column).
    pub measures: Option<&'a MeasureRegister>,
}

fn round7(v: f64) -> f64 {
    (v * 1e7).round() / 1e7
}

/// The `atlas` metadata of an export: catalogue, rules, overrides and field names.
pub fn atlas_meta(export: &MapExport<'_>) -> AtlasMeta {
    let region = export.region;
    AtlasMeta {
        format: FORMAT_VERSION,
        title: Some(region.title.clone()),
        synthetic: region.source.synthetic,
        attribution: (!region.source.attribution.is_empty())
            .then(|| region.source.attribution.clone()),
        data_year: region.source.data_year.clone(),
        note: None,
        fields: MetaFields {
            code: Some("code".to_string()),
            name: Some("name".to_string()),
            municipality: Some("kommune".to_string()),
            action_fields: Some("handlungsfelder".to_string()),
        },
        indicators: export.indicators.indicators().to_vec(),
        rules: Some(RulesDocument::from_model(export.rules, export.overrides)),
    }
}

/// The attributes of area `i` as exported: code, name, municipality, the three
/// classifications, the measure count (when measures are given), every indicator, then every
/// other property of the source.
pub fn feature_properties(export: &MapExport<'_>, i: usize) -> Map<String, Value> {
    let region = export.region;
    let mapping = &region.mapping;
    let reserved: Vec<&str> = [
        &mapping.code,
        &mapping.name,
        &mapping.municipality,
        &mapping.action_fields,
    ]
    .into_iter()
    .flatten()
    .map(String::as_str)
    .collect();
    let space = &region.spaces[i];
    let mut props = Map::new();
    props.insert("code".into(), json!(space.code));
    props.insert(
        "name".into(),
        space.name.as_ref().map_or(Value::Null, |n| json!(n)),
    );
    props.insert(
        "kommune".into(),
        region
            .municipality_of(i)
            .map_or(Value::Null, |m| json!(m.name)),
    );
    let c = export.classification;
    props.insert(
        "handlungsfelder".into(),
        json!(c.official.get(i).map(|f| f.to_numbers())),
    );
    props.insert(
        "handlungsfelder_regeln".into(),
        json!(c.by_rules.get(i).map(|f| f.to_numbers())),
    );
    props.insert(
        "handlungsfelder_final".into(),
        json!(c.fields.get(i).map(|f| f.to_numbers())),
    );
    if let Some(measures) = export.measures {
        props.insert(MEASURE_COUNT.into(), json!(measures.count_for(&space.code)));
    }
    for (column, indicator) in export.indicators.indicators().iter().enumerate() {
        let value = match export.indicators.value(column, i) {
            IndicatorValue::Number(v) => json!(v),
            IndicatorValue::Suppressed => json!("*"),
            IndicatorValue::Missing => Value::Null,
        };
        props.insert(indicator.key.clone(), value);
    }
    if let Some(series) = super::series::property(export.indicators, i) {
        props.insert(super::series::PROPERTY.into(), series);
    }
    // Every other property of the source file, unless an indicator took its name.
    for (k, v) in &space.properties {
        let ours = k == MEASURE_COUNT || k == super::series::PROPERTY;
        if !reserved.contains(&k) && !props.contains_key(k) && !ours {
            props.insert(k.to_string(), v.clone());
        }
    }
    props
}

/// The attribute holding the number of measures of an area (derived, never read back).
pub const MEASURE_COUNT: &str = "massnahmen";

/// The GeoJSON text of an export.
pub fn geojson_text(export: &MapExport<'_>, file: &str) -> Result<String, ExportError> {
    let region = export.region;
    let meta = atlas_meta(export);
    let mut out = String::new();
    out.push_str("{\"type\":\"FeatureCollection\",\n");
    out.push_str(&format!(
        "\"{MEMBER}\":{},\n\"features\":[\n",
        serde_json::to_string(&meta).unwrap_or_else(|_| "{}".to_string())
    ));
    for i in 0..region.spaces.len() {
        let props = feature_properties(export, i);
        let geometry = feature_geometry(export, i, file)?;
        let feature = json!({
            "type": "Feature",
            "properties": props,
            "geometry": geometry,
        });
        out.push_str(&feature.to_string());
        out.push_str(if i + 1 < region.spaces.len() {
            ",\n"
        } else {
            "\n"
        });
    }
    out.push_str("]}\n");
    Ok(out)
}

/// The geometry of area `i` as a GeoJSON MultiPolygon in lon/lat (7 decimals).
pub fn feature_geometry(
    export: &MapExport<'_>,
    i: usize,
    file: &str,
) -> Result<Value, ExportError> {
    let projection = || ExportError::Projection {
        file: file.to_string(),
    };
    let to_lonlat = export.to_lonlat.ok_or_else(projection)?;
    let mut polygons = Vec::new();
    for poly in &export.region.spaces[i].geometry.0 {
        let mut rings = Vec::new();
        for ring in std::iter::once(poly.exterior()).chain(poly.interiors()) {
            let mut points: Vec<[f64; 2]> = ring.0.iter().map(|c| [c.x, c.y]).collect();
            to_lonlat.transform(&mut points).map_err(|_| projection())?;
            rings.push(
                points
                    .into_iter()
                    .map(|p| json!([round7(p[0]), round7(p[1])]))
                    .collect::<Vec<_>>(),
            );
        }
        polygons.push(rings);
    }
    Ok(json!({"type": "MultiPolygon", "coordinates": polygons}))
}

/// Writes the export to `path`, replacing it only when the new file is complete.
pub fn write_geojson(path: &Path, export: &MapExport<'_>) -> Result<(), ExportError> {
    let file = path.display().to_string();
    let text = geojson_text(export, &file)?;
    write_atomically(path, text.as_bytes()).map_err(|source| ExportError::Io { file, source })
}
