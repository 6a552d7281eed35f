//! Importing a boundary file into a [`Region`] with an [`ImportReport`].
//!
//! The pipeline: read JSON (tolerant, see `geojson::reader`) → structure each geometry →
//! decide the CRS from the `crs` member or the coordinates → project into the planar CRS and
//! build polygons (in parallel: it is most of the work for big files) → detect fields →
//! assemble Sozialräume, merging duplicate codes → municipalities and indicators. File-level
//! failures are [`ImportError`]s and leave whatever the caller already had untouched;
//! feature-level failures are problems in the report.

use std::collections::{BTreeMap, HashMap};
use std::io::Read;
use std::path::Path;

use geo::{Area, MultiPolygon};
use rayon::prelude::*;
use serde_json::Value;

use super::error::ImportError;
use super::fields::{self, FieldOverrides, code_text};
use super::geojson::meta::{self, AtlasMeta};
use super::geojson::parallel::{read_parallel, read_stream};
use super::geojson::reader::{RawDocument, RawFeature, RawGeometry, ReadError, read_document};
use super::geojson::shape::{
    Shape, ShapeProblem, build_polygons, flat_polygons, shape_of, type_name,
};
use super::progress::{Progress, Stage};
use super::report::{Effect, ImportReport, Problem, ProblemKind};
use super::rules_file::RulesDocument;
use super::sniff;
use crate::model::{
    ActionField, ActionFieldSet, FieldMapping, Indicator, IndicatorTable, IndicatorValue,
    Municipality, Override, PlanarCrs, Properties, Region, RuleSet, SocialSpace, SourceInfo,
    natural_cmp,
};
use crate::spatial::crs::{
    Crs, Projector, Transformer, WGS84, epsg_from_crs_member, guess_projected_crs, is_web_mercator,
    looks_geographic, planar_epsg_for,
};
use crate::spatial::wkt::PrjCrs;

/// Choices the user made for this import.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportOptions {
    /// Properties to use instead of detection.
    pub fields: FieldOverrides,
    /// The file's CRS, when it does not say and is not lon/lat.
    pub source_epsg: Option<u32>,
    /// Let go of every area's properties once codes, names, municipalities and indicators
    /// are read from them: for a one-shot export, which never shows them (for a country
    /// they are a quarter of the memory).
    pub drop_properties: bool,
}

/// A successfully imported map.
#[derive(Debug)]
pub struct Imported {
    /// The Sozialräume.
    pub region: Region,
    /// The indicators the file carries (its catalogue, or its numeric properties).
    pub indicators: IndicatorTable,
    /// Handlungsfeld rules the file carries (empty if none).
    pub rules: RuleSet,
    /// Overrides the file carries.
    pub overrides: Vec<Override>,
    /// What happened on the way.
    pub report: ImportReport,
}

/// Reads and imports a GeoJSON file.
pub fn import_file(
    path: &Path,
    options: &ImportOptions,
    progress: &Progress,
) -> Result<Imported, ImportError> {
    let file = path.display().to_string();
    let extension = path
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    let extension = match (extension.as_str(), first_bytes(path)) {
        // A GeoPackage under another name is read as what it is.
        (_, Some(sniff::Content::Sqlite)) => "gpkg".to_string(),
        ("dbf" | "shx" | "prj" | "cpg", _) => "shp".to_string(),
        _ => extension,
    };
    match extension.as_str() {
        "shp" => {
            check_is_file(path)?;
            let shp = path.with_extension("shp");
            let size = |p: &Path| std::fs::metadata(p).map_or(0, |m| m.len());
            super::memory::check_fits(
                &file,
                size(&shp) + size(&shp.with_extension("dbf")),
                super::memory::BINARY_FACTOR,
            )?;
            progress.start(Stage::Reading, 0);
            let doc = super::shapefile::read_shapefile(&path.with_extension("shp"))?;
            return import_document(doc, &file, options, progress);
        }
        "gpkg" => {
            check_is_file(path)?;
            let size = std::fs::metadata(path).map_or(0, |m| m.len());
            super::memory::check_fits(&file, size, super::memory::BINARY_FACTOR)?;
            progress.start(Stage::Reading, 0);
            let doc = super::project::read_document(path)?;
            return import_document(doc, &file, options, progress);
        }
        _ => {}
    }
    if let Some(doc) = stream_geojson(path, progress)? {
        return import_document(doc, &file, options, progress);
    }
    let bytes = read_with_progress(path, progress)?;
    let doc = parse(&bytes, &file, progress)?;
    // The text is no longer needed: free it before the geometry is built.
    drop(bytes);
    import_document(doc, &file, options, progress)
}

/// What the file's first bytes say it is (None when it cannot be read: the reader says why).
fn first_bytes(path: &Path) -> Option<sniff::Content> {
    let mut head = [0u8; 16];
    let mut file = std::fs::File::open(path).ok()?;
    let n = file.read(&mut head).ok()?;
    Some(sniff::sniff(&head[..n])).filter(|c| *c == sniff::Content::Sqlite)
}

/// A folder is refused before any format-specific reader sees it.
fn check_is_file(path: &Path) -> Result<(), ImportError> {
    let meta = std::fs::metadata(path).map_err(|source| ImportError::Io {
        file: path.display().to_string(),
        source,
    })?;
    if meta.is_dir() {
        return Err(ImportError::IsDirectory {
            file: path.display().to_string(),
        });
    }
    Ok(())
}

/// Reads a large GeoJSON file a round at a time, decoding on every core while it reads, so
/// the whole text is never in memory at once (for all German municipalities 16 of 78 MB).
/// None when the file is small or anything about it asks for the whole-text reader, which
/// then reads it again from the start (and explains what it finds).
fn stream_geojson(path: &Path, progress: &Progress) -> Result<Option<RawDocument>, ImportError> {
    let file = path.display().to_string();
    let io_err = |source| ImportError::Io {
        file: file.clone(),
        source,
    };
    let meta = std::fs::metadata(path).map_err(io_err)?;
    if !meta.is_file() || meta.len() < STREAM_MIN_BYTES {
        return Ok(None);
    }
    super::memory::check_fits(&file, meta.len(), super::memory::GEOJSON_FACTOR)?;
    progress.start(Stage::Reading, meta.len());
    let mut source = std::fs::File::open(path).map_err(io_err)?;
    let mut on_progress = |read: u64| {
        progress.set(read);
        !progress.is_cancelled()
    };
    match read_stream(&mut source, &mut on_progress) {
        None => Ok(None),
        Some(Err(ReadError::Cancelled)) => Err(ImportError::Cancelled),
        // The whole-text reader gives the exact position of an error.
        Some(Err(ReadError::Syntax { .. })) => Ok(None),
        Some(Ok(doc)) => checked_collection(doc, &file).map(Some),
    }
}

/// Files from this size on are read a round at a time (smaller ones are read whole: the
/// rounds would cost more than they save).
const STREAM_MIN_BYTES: u64 = 8 << 20;

fn read_with_progress(path: &Path, progress: &Progress) -> Result<Vec<u8>, ImportError> {
    let io_err = |source| ImportError::Io {
        file: path.display().to_string(),
        source,
    };
    let meta = std::fs::metadata(path).map_err(io_err)?;
    if meta.is_dir() {
        return Err(ImportError::IsDirectory {
            file: path.display().to_string(),
        });
    }
    let total = meta.len();
    super::memory::check_fits(
        &path.display().to_string(),
        total,
        super::memory::GEOJSON_FACTOR,
    )?;
    progress.start(Stage::Reading, total);
    let mut file = std::fs::File::open(path).map_err(io_err)?;
    let mut bytes = Vec::with_capacity(usize::try_from(total).unwrap_or(0).saturating_add(1));
    let mut chunk = vec![0u8; 4 << 20];
    loop {
        if progress.is_cancelled() {
            return Err(ImportError::Cancelled);
        }
        let n = file.read(&mut chunk).map_err(io_err)?;
        if n == 0 {
            break;
        }
        bytes.extend_from_slice(&chunk[..n]);
        progress.set(bytes.len() as u64);
    }
    Ok(bytes)
}

/// Imports GeoJSON text; `file` names it in messages.
pub fn import_bytes(
    bytes: &[u8],
    file: &str,
    options: &ImportOptions,
    progress: &Progress,
) -> Result<Imported, ImportError> {
    let doc = parse(bytes, file, progress)?;
    import_document(doc, file, options, progress)
}

/// Builds the region from a parsed document (what every reader produces).
pub fn import_document(
    mut doc: RawDocument,
    file: &str,
    options: &ImportOptions,
    progress: &Progress,
) -> Result<Imported, ImportError> {
    let (atlas, mut metadata_error) = atlas_meta(&mut doc);
    let (rules, overrides) = match atlas.rules.as_ref().map(RulesDocument::to_model) {
        None => (RuleSet::default(), Vec::new()),
        Some(Ok(r)) => r,
        Some(Err(e)) => {
            metadata_error = Some(e);
            (RuleSet::default(), Vec::new())
        }
    };
    let declared = declared_crs(options, doc.crs.as_ref(), doc.prj.take(), file)?;
    let feature_count = doc.features.len();
    if progress.is_cancelled() {
        return Err(ImportError::Cancelled);
    }
    progress.start(Stage::Building, feature_count as u64);
    let title = atlas.title.clone().or(doc.name.take());
    let read = read_shapes(doc.features);
    let Some(crs) = choose_crs(file, declared.as_ref(), &read.raw_boxes)? else {
        let problems = skipped_shapes(&read.shapes);
        return Err(nothing_usable(
            file,
            feature_count,
            read.type_counts,
            problems,
        ));
    };
    let Shapes {
        infos,
        shapes,
        type_counts,
        raw_boxes,
    } = read;
    let built = build_all(shapes, &crs, progress)?;
    progress.set(feature_count as u64);

    let (mapping, code_source) = field_mapping(options, &atlas, &infos);
    let mut assembly = Assembly::new(mapping.clone(), code_source.clone());
    let mut loaded_box: Option<[f64; 4]> = None;
    for (index, ((info, built), raw_box)) in infos.into_iter().zip(built).zip(raw_boxes).enumerate()
    {
        if assembly.add(index, info, built) {
            loaded_box = match (loaded_box, raw_box) {
                (Some(a), Some(b)) => Some(union_box(a, b)),
                (a, b) => a.or(b),
            };
        }
    }
    let Assembly {
        spaces,
        municipality_names,
        mut problems,
        ..
    } = assembly;
    problems.sort_by_key(|p| p.feature);
    if spaces.is_empty() {
        return Err(nothing_usable(file, feature_count, type_counts, problems));
    }

    let (spaces, municipalities) = group_municipalities(spaces, &municipality_names, &mapping);
    let mut spaces = spaces;
    let indicators = build_indicators(&spaces, &atlas.indicators, &mapping);
    if options.drop_properties {
        for space in &mut spaces {
            space.properties = Properties::default();
        }
    }
    let report = ImportReport {
        file: file.to_string(),
        feature_count,
        loaded: spaces.len(),
        geometry_types: type_counts,
        source_crs: crs.source_name.clone(),
        source_crs_declared: declared.is_some(),
        planar_crs: crs.planar_name.clone(),
        bbox_lonlat: loaded_box.map(|b| crs.lonlat_box(b)),
        code_field: code_source.describe(),
        name_field: mapping.name.clone(),
        municipality_field: mapping.municipality.clone(),
        action_field_field: mapping.action_fields.clone(),
        indicator_count: indicators.len(),
        metadata_error,
        rules_unknown: rules_unknown(&rules, &indicators),
        problems,
    };
    let source_info = SourceInfo {
        label: file_stem(file),
        synthetic: atlas.synthetic,
        attribution: atlas.attribution.clone().unwrap_or_default(),
        data_year: atlas.data_year.clone(),
        source_crs: report.source_crs.clone(),
    };
    let region = Region::new(
        title.unwrap_or_else(|| file_stem(file)),
        spaces,
        municipalities,
        source_info,
        PlanarCrs {
            epsg: crs.planar_epsg,
        },
        mapping,
    );
    Ok(Imported {
        region,
        indicators,
        rules,
        overrides,
        report,
    })
}

/// The features' geometries as shapes (or why not), with their properties and ids apart,
/// the geometry types counted and each shape's box in the file's coordinates.
struct Shapes {
    infos: Vec<FeatureInfo>,
    shapes: Vec<Result<Shape, ProblemKind>>,
    type_counts: BTreeMap<String, usize>,
    raw_boxes: Vec<Option<[f64; 4]>>,
}

/// Reads the geometries of `features` into shapes, in parallel.
fn read_shapes(features: Vec<RawFeature>) -> Shapes {
    let (geometries, infos): (Vec<_>, Vec<_>) = features.into_iter().map(split_feature).unzip();
    let (type_names, shapes): (Vec<String>, Vec<Result<Shape, ProblemKind>>) = geometries
        .into_par_iter()
        .map(|g| (type_name(&g), shape_of(g)))
        .unzip();
    let mut type_counts = BTreeMap::new();
    for (name, info) in type_names.into_iter().zip(&infos) {
        let name = if info.not_an_object {
            "?".to_string()
        } else {
            name
        };
        *type_counts.entry(name).or_insert(0usize) += 1;
    }
    let raw_boxes = shapes
        .iter()
        .map(|s| s.as_ref().ok().and_then(|s| bbox_of(&s.xy)))
        .collect();
    Shapes {
        infos,
        shapes,
        type_counts,
        raw_boxes,
    }
}

/// Projects and repairs every shape, in parallel; a cancelled load stops here.
fn build_all(
    shapes: Vec<Result<Shape, ProblemKind>>,
    crs: &CrsChoice,
    progress: &Progress,
) -> Result<Vec<Built>, ImportError> {
    let built: Vec<Built> = shapes
        .into_par_iter()
        .zip(crs.in_range.par_iter())
        .map(|(shape, ok)| {
            // A cancelled load stops building (the rest is thrown away below).
            if progress.is_cancelled() {
                Built {
                    geometry: Err(ProblemKind::NoUsablePolygon),
                    problems: Vec::new(),
                }
            } else {
                build_feature(shape, *ok, &crs.projector)
            }
        })
        .collect();
    if progress.is_cancelled() {
        return Err(ImportError::Cancelled);
    }
    Ok(built)
}

/// Which properties hold code, name, municipality and Handlungsfelder (the user's choice
/// first, then the file's own metadata, then what the values look like), and where codes
/// come from when no property holds them.
fn field_mapping(
    options: &ImportOptions,
    atlas: &AtlasMeta,
    infos: &[FeatureInfo],
) -> (FieldMapping, CodeSource) {
    let field_choice = options.fields.or(&FieldOverrides {
        code: atlas.fields.code.clone(),
        name: atlas.fields.name.clone(),
        municipality: atlas.fields.municipality.clone(),
        action_fields: atlas.fields.action_fields.clone(),
    });
    let props: Vec<&Properties> = infos.iter().map(|i| &i.properties).collect();
    let ids: Vec<Option<&Value>> = infos.iter().map(|i| i.id.as_ref()).collect();
    let mapping = fields::detect(&props, &ids, &field_choice);
    let code_source = match &mapping.code {
        Some(field) => CodeSource::Property(field.clone()),
        None if ids.iter().any(Option::is_some) => CodeSource::FeatureId,
        None => CodeSource::Position,
    };
    (mapping, code_source)
}

/// Reads the JSON and checks it is a FeatureCollection (or Feature) with features.
/// Parses GeoJSON bytes: tells files that are something else by their first bytes, reads a
/// byte-order mark, UTF-16 and (when the text is not UTF-8) Windows-1252, and explains the
/// syntax errors planners meet (NaN, Infinity, absurd nesting).
fn parse(bytes: &[u8], file: &str, progress: &Progress) -> Result<RawDocument, ImportError> {
    if let Some((de, en)) = sniff::not_geojson(sniff::sniff(bytes)) {
        return Err(ImportError::unusable(file, de, en));
    }
    let text = sniff::utf8_text(bytes);
    let result = match parse_json(&text, file, progress) {
        Err(ImportError::Syntax { .. }) if std::str::from_utf8(&text).is_err() => {
            match sniff::windows_1252_text(&text) {
                Some(decoded) => parse_json(&decoded, file, progress),
                None => parse_json(&text, file, progress),
            }
        }
        other => other,
    };
    result.map_err(|e| explain_syntax(e, &text))
}

/// A syntax error in words a planner can act on, where the cause is a known one.
fn explain_syntax(e: ImportError, text: &[u8]) -> ImportError {
    let ImportError::Syntax {
        file,
        line,
        column,
        message,
    } = e
    else {
        return e;
    };
    if let Some(literal) = sniff::non_finite_literal_at(text, line, column) {
        return ImportError::unusable(
            &file,
            format!(
                "enthält in Zeile {line}, Spalte {column} den Wert {literal}, den JSON nicht kennt. Fehlende Werte bitte als null exportieren."
            ),
            format!(
                "contains the value {literal} at line {line}, column {column}, which JSON does not allow. Export missing values as null."
            ),
        );
    }
    if message.contains("number out of range") {
        return ImportError::unusable(
            &file,
            format!(
                "enthält in Zeile {line}, Spalte {column} eine Zahl jenseits von ±1,8·10³⁰⁸ – so sieht keine Koordinate und kein Indikator aus."
            ),
            format!(
                "contains a number beyond ±1.8·10³⁰⁸ at line {line}, column {column} – no coordinate or indicator looks like this."
            ),
        );
    }
    if message.contains("recursion limit") {
        return ImportError::unusable(
            &file,
            format!(
                "ist in Zeile {line}, Spalte {column} zu tief verschachtelt (mehr als 128 Ebenen) – so sieht keine Kartendatei aus."
            ),
            format!(
                "is nested too deeply at line {line}, column {column} (more than 128 levels) – no map file looks like this."
            ),
        );
    }
    ImportError::Syntax {
        file,
        line,
        column,
        message,
    }
}

fn parse_json(bytes: &[u8], file: &str, progress: &Progress) -> Result<RawDocument, ImportError> {
    progress.start(Stage::Parsing, 0);
    let mut on_feature = |n: usize| {
        progress.set(n as u64);
        !progress.is_cancelled()
    };
    let doc = read_parallel(bytes, &mut on_feature)
        .unwrap_or_else(|| read_document(bytes, &mut on_feature))
        .map_err(|e| match e {
            ReadError::Syntax {
                line,
                column,
                message,
            } => ImportError::Syntax {
                file: file.to_string(),
                line,
                column,
                message,
            },
            ReadError::Cancelled => ImportError::Cancelled,
        })?;
    checked_collection(doc, file)
}

/// The document if it is a FeatureCollection (or Feature) with features.
fn checked_collection(doc: RawDocument, file: &str) -> Result<RawDocument, ImportError> {
    match doc.doc_type.as_deref() {
        Some("FeatureCollection" | "Feature") => {}
        other => {
            return Err(ImportError::NotGeoJson {
                file: file.to_string(),
                found: other.map(str::to_string),
            });
        }
    }
    if doc.features.is_empty() {
        return Err(ImportError::NoFeatures {
            file: file.to_string(),
        });
    }
    Ok(doc)
}

/// This program's `atlas` member, and why it was ignored if it was.
fn atlas_meta(doc: &mut RawDocument) -> (AtlasMeta, Option<String>) {
    match doc.foreign.remove(meta::MEMBER) {
        None => (AtlasMeta::default(), None),
        Some(v) => match serde_json::from_value::<AtlasMeta>(v) {
            Ok(m) => (m, None),
            Err(e) => (AtlasMeta::default(), Some(e.to_string())),
        },
    }
}

/// The CRS the user or the file declares: the user's choice wins over the `crs` member or the
/// Shapefile's `.prj`.
fn declared_crs(
    options: &ImportOptions,
    member: Option<&Value>,
    prj: Option<PrjCrs>,
    file: &str,
) -> Result<Option<PrjCrs>, ImportError> {
    match (options.source_epsg, member) {
        (Some(code), _) => Ok(Some(PrjCrs::Epsg(code))),
        (None, Some(member)) => epsg_from_crs_member(member)
            .map(|c| Some(PrjCrs::Epsg(c)))
            .map_err(|e| ImportError::UnreadableCrs {
                file: file.to_string(),
                detail: e.to_string(),
            }),
        (None, None) => Ok(prj),
    }
}

fn split_feature(f: RawFeature) -> (RawGeometry, FeatureInfo) {
    let RawFeature {
        id,
        properties,
        properties_invalid,
        geometry,
        not_an_object,
    } = f;
    (
        geometry,
        FeatureInfo {
            id,
            properties,
            properties_invalid,
            not_an_object,
        },
    )
}

/// How the file's coordinates become planar metres.
struct CrsChoice {
    geographic: bool,
    to_lonlat: Option<Transformer>,
    source_name: String,
    planar_epsg: u32,
    planar_name: String,
    projector: Projector,
    /// Per feature: whether its coordinates fit the source CRS (lon/lat within range).
    in_range: Vec<bool>,
}

impl CrsChoice {
    /// A box in source coordinates, in lon/lat.
    fn lonlat_box(&self, b: [f64; 4]) -> [f64; 4] {
        if self.geographic {
            return b;
        }
        match &self.to_lonlat {
            Some(t) => corners_to_lonlat(t, b),
            None => b,
        }
    }
}

fn source_crs(file: &str, declared: Option<&PrjCrs>) -> Result<Crs, ImportError> {
    match declared {
        None => Crs::from_epsg(WGS84).map_err(|_| unknown(file, WGS84)),
        Some(PrjCrs::Epsg(code)) => Crs::from_epsg(*code).map_err(|_| unknown(file, *code)),
        Some(prj) => Crs::from_prj(prj).map_err(|e| ImportError::UnreadableCrs {
            file: file.to_string(),
            detail: e.to_string(),
        }),
    }
}

/// Decides source and planar CRS from what was declared and where the coordinates lie.
/// `Ok(None)` when no feature has usable coordinates at all.
fn choose_crs(
    file: &str,
    declared: Option<&PrjCrs>,
    raw_boxes: &[Option<[f64; 4]>],
) -> Result<Option<CrsChoice>, ImportError> {
    let source = source_crs(file, declared)?;
    let source_epsg = source.epsg();
    let geographic = source.is_geographic();
    let in_range: Vec<bool> = raw_boxes
        .iter()
        .map(|b| b.is_none_or(|b| !geographic || looks_geographic([b[0], b[1]], [b[2], b[3]])))
        .collect();
    let usable_box = raw_boxes
        .iter()
        .zip(&in_range)
        .filter(|(_, ok)| **ok)
        .filter_map(|(b, _)| *b)
        .reduce(union_box);
    let Some(usable_box) = usable_box else {
        // Coordinates exist but none is lon/lat: a projected file that does not say so.
        return match raw_boxes.iter().flatten().copied().reduce(union_box) {
            // No coordinate system on Earth reaches 100,000 km: the numbers are garbage.
            Some(b) if b.iter().any(|v| v.abs() > 1e8) => Err(ImportError::unusable(
                file,
                format!(
                    "enthält unmögliche Koordinaten (bis {:.1e}) – weit außerhalb jedes Koordinatensystems. Ist die Datei beschädigt?",
                    b.iter().fold(0.0f64, |m, v| m.max(v.abs()))
                ),
                format!(
                    "has impossible coordinates (up to {:.1e}) – far outside any coordinate system. Is the file damaged?",
                    b.iter().fold(0.0f64, |m, v| m.max(v.abs()))
                ),
            )),
            Some(b) => Err(ImportError::ProjectedWithoutCrs {
                file: file.to_string(),
                declared: declared.map(|_| source_epsg),
                min: [b[0], b[1]],
                max: [b[2], b[3]],
                guesses: guess_projected_crs([b[0], b[1]], [b[2], b[3]]),
            }),
            None => Ok(None),
        };
    };
    let lonlat_box = if geographic {
        usable_box
    } else {
        let t = Transformer::new(
            source_crs(file, declared)?,
            Crs::from_epsg(WGS84).map_err(|_| unknown(file, WGS84))?,
        );
        corners_to_lonlat(&t, usable_box)
    };
    // A custom definition (code 0) is a source only; the map gets a UTM zone.
    let planar_epsg = if geographic || is_web_mercator(source_epsg) || source_epsg == 0 {
        planar_epsg_for(
            (lonlat_box[0] + lonlat_box[2]) / 2.0,
            (lonlat_box[1] + lonlat_box[3]) / 2.0,
        )
    } else {
        source_epsg
    };
    let planar = Crs::from_epsg(planar_epsg).map_err(|_| unknown(file, planar_epsg))?;
    Ok(Some(CrsChoice {
        geographic,
        to_lonlat: match (geographic, Crs::from_epsg(WGS84)) {
            (false, Ok(wgs84)) => Some(Transformer::new(source_crs(file, declared)?, wgs84)),
            _ => None,
        },
        source_name: source.describe(),
        planar_epsg,
        planar_name: planar.describe(),
        projector: Projector::new(source, planar),
        in_range,
    }))
}

fn unknown(file: &str, epsg: u32) -> ImportError {
    ImportError::UnknownCrs {
        file: file.to_string(),
        epsg,
    }
}

fn skipped_shapes(shapes: &[Result<Shape, ProblemKind>]) -> Vec<Problem> {
    shapes
        .iter()
        .enumerate()
        .filter_map(|(i, s)| {
            s.as_ref().err().map(|kind| Problem {
                feature: i,
                code: None,
                kind: kind.clone(),
                effect: Effect::Skipped,
            })
        })
        .collect()
}

fn nothing_usable(
    file: &str,
    feature_count: usize,
    geometry_types: BTreeMap<String, usize>,
    problems: Vec<Problem>,
) -> ImportError {
    ImportError::NothingUsable {
        file: file.to_string(),
        report: Box::new(ImportReport {
            file: file.to_string(),
            feature_count,
            geometry_types,
            problems,
            ..ImportReport::default()
        }),
    }
}

/// What `rules` name that `indicators` lack: unknown keys, and "key year" for missing years.
fn rules_unknown(rules: &RuleSet, indicators: &IndicatorTable) -> Vec<String> {
    let mut out: Vec<String> = crate::analysis::rules::unknown_indicators(rules, indicators)
        .into_iter()
        .map(|(_, key)| key)
        .collect();
    for (_, key, year) in crate::analysis::rules::unknown_years(rules, indicators) {
        out.push(format!("{key} {year}"));
    }
    out.dedup();
    out
}

fn file_stem(file: &str) -> String {
    Path::new(file)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| file.to_string())
}

struct FeatureInfo {
    id: Option<Value>,
    properties: Properties,
    properties_invalid: bool,
    not_an_object: bool,
}

/// A feature's geometry after projection, or why it is unusable.
struct Built {
    geometry: Result<MultiPolygon<f64>, ProblemKind>,
    problems: Vec<ShapeProblem>,
}

fn build_feature(
    shape: Result<Shape, ProblemKind>,
    in_range: bool,
    projector: &Projector,
) -> Built {
    let mut problems = Vec::new();
    let geometry = shape.and_then(|mut shape| {
        if !in_range {
            let bad = shape
                .xy
                .iter()
                .find(|p| !looks_geographic(**p, **p))
                .copied()
                .unwrap_or([f64::NAN, f64::NAN]);
            return Err(ProblemKind::OutOfRange {
                x: bad[0],
                y: bad[1],
            });
        }
        let flat = flat_polygons(&shape.xy, &shape.polygons);
        projector
            .project(&mut shape.xy)
            .map_err(|_| ProblemKind::ProjectionFailed)?;
        build_polygons(&shape.xy, &shape.polygons, &flat, &mut problems)
            .ok_or(ProblemKind::NoUsablePolygon)
    });
    Built { geometry, problems }
}

#[derive(Debug, Clone)]
enum CodeSource {
    Property(String),
    FeatureId,
    Position,
}

impl CodeSource {
    fn describe(&self) -> String {
        match self {
            CodeSource::Property(p) => p.clone(),
            CodeSource::FeatureId => "id (Feature-ID)".to_string(),
            CodeSource::Position => "(Position in der Datei / position in file)".to_string(),
        }
    }

    fn code(&self, index: usize, info: &FeatureInfo) -> Option<String> {
        match self {
            CodeSource::Property(p) => info.properties.get(p).and_then(code_text),
            CodeSource::FeatureId => info.id.as_ref().and_then(code_text),
            CodeSource::Position => Some((index + 1).to_string()),
        }
    }
}

/// Collects Sozialräume feature by feature, merging duplicate codes.
struct Assembly {
    mapping: FieldMapping,
    code_source: CodeSource,
    spaces: Vec<SocialSpace>,
    /// The municipality name of each space, aligned with `spaces`.
    municipality_names: Vec<Option<String>>,
    by_code: HashMap<String, usize>,
    problems: Vec<Problem>,
}

impl Assembly {
    fn new(mapping: FieldMapping, code_source: CodeSource) -> Self {
        Assembly {
            mapping,
            code_source,
            spaces: Vec::new(),
            municipality_names: Vec::new(),
            by_code: HashMap::new(),
            problems: Vec::new(),
        }
    }

    fn problem(&mut self, feature: usize, code: Option<&str>, kind: ProblemKind, effect: Effect) {
        self.problems.push(Problem {
            feature,
            code: code.map(str::to_string),
            kind,
            effect,
        });
    }

    /// Adds one feature; returns whether its geometry was used.
    fn add(&mut self, index: usize, info: FeatureInfo, built: Built) -> bool {
        let code = self.code_source.code(index, &info);
        if info.not_an_object {
            self.problem(index, None, ProblemKind::NotAnObject, Effect::Skipped);
            return false;
        }
        if info.properties_invalid {
            self.problem(
                index,
                code.as_deref(),
                ProblemKind::PropertiesNotAnObject,
                Effect::Ignored,
            );
        }
        for (kind, effect) in built.problems {
            self.problem(index, code.as_deref(), kind, effect);
        }
        let geometry = match built.geometry {
            Ok(g) => g,
            Err(kind) => {
                self.problem(index, code.as_deref(), kind, Effect::Skipped);
                return false;
            }
        };
        let Some(code) = code else {
            let field = match &self.code_source {
                CodeSource::Property(p) => p.clone(),
                _ => "id".to_string(),
            };
            self.problem(
                index,
                None,
                ProblemKind::MissingCode { field },
                Effect::Skipped,
            );
            return false;
        };
        if let Some(&first) = self.by_code.get(&code) {
            let first_feature = self.spaces[first].source_feature;
            self.problem(
                index,
                Some(&code),
                ProblemKind::DuplicateCode { first_feature },
                Effect::Merged,
            );
            let space = &mut self.spaces[first];
            space.area_m2 += geometry.unsigned_area();
            space.geometry.0.extend(geometry.0);
            return true;
        }
        let action_fields = match &self.mapping.action_fields {
            Some(field) => {
                let (set, unknown) = parse_action_fields(info.properties.get(field));
                for u in unknown {
                    self.problem(
                        index,
                        Some(&code),
                        ProblemKind::UnknownActionField(u),
                        Effect::Ignored,
                    );
                }
                set
            }
            None => ActionFieldSet::EMPTY,
        };
        let text = |field: &Option<String>| {
            field
                .as_ref()
                .and_then(|f| info.properties.get(f))
                .and_then(code_text)
        };
        let name = text(&self.mapping.name);
        self.municipality_names
            .push(text(&self.mapping.municipality));
        let area_m2 = geometry.unsigned_area();
        self.by_code.insert(code.clone(), self.spaces.len());
        self.spaces.push(SocialSpace {
            code,
            name,
            // Resolved to an index once all municipalities are known.
            municipality: None,
            geometry,
            area_m2,
            action_fields,
            properties: info.properties,
            source_feature: index,
        });
        true
    }
}

/// Parses a Handlungsfeld value: `"1;3"`, `"1, 4"`, `2`, `[1, "integration"]`, `""`, `null`.
/// Returns the set and the tokens it did not understand.
pub fn parse_action_fields(value: Option<&Value>) -> (ActionFieldSet, Vec<String>) {
    let mut set = ActionFieldSet::EMPTY;
    let mut unknown = Vec::new();
    let mut take = |token: &str| {
        let t = token.trim();
        if t.is_empty() {
            return;
        }
        match ActionField::parse(t) {
            Some(f) => set.insert(f),
            None => unknown.push(t.to_string()),
        }
    };
    match value {
        None | Some(Value::Null) => {}
        Some(Value::String(s)) => s.split([';', ',', '|', '/', ' ']).for_each(&mut take),
        Some(Value::Number(n)) => take(&n.to_string()),
        Some(Value::Array(items)) => {
            for item in items {
                match item {
                    Value::String(s) => take(s),
                    Value::Number(n) => take(&n.to_string()),
                    other => take(&other.to_string()),
                }
            }
        }
        Some(other) => take(&other.to_string()),
    }
    (set, unknown)
}

/// Groups Sozialräume into municipalities (sorted by name), resolving each space's index.
fn group_municipalities(
    mut spaces: Vec<SocialSpace>,
    space_municipalities: &[Option<String>],
    mapping: &FieldMapping,
) -> (Vec<SocialSpace>, Vec<Municipality>) {
    let mut names: Vec<String> = space_municipalities.iter().flatten().cloned().collect();
    names.sort_by(|a, b| natural_cmp(a, b));
    names.dedup();
    let index: HashMap<&str, usize> = names
        .iter()
        .enumerate()
        .map(|(i, n)| (n.as_str(), i))
        .collect();
    let mut municipalities: Vec<Municipality> = names
        .iter()
        .map(|n| Municipality {
            name: n.clone(),
            key: None,
            spaces: Vec::new(),
        })
        .collect();
    for (i, (space, name)) in spaces.iter_mut().zip(space_municipalities).enumerate() {
        let Some(&m) = name.as_deref().and_then(|n| index.get(n)) else {
            continue;
        };
        space.municipality = Some(m);
        let municipality = &mut municipalities[m];
        municipality.spaces.push(i);
        if municipality.key.is_none() {
            municipality.key = mapping
                .municipality_key
                .as_ref()
                .and_then(|k| space.properties.get(k))
                .and_then(code_text);
        }
    }
    for m in &mut municipalities {
        m.spaces
            .sort_by(|a, b| natural_cmp(&spaces[*a].code, &spaces[*b].code));
    }
    (spaces, municipalities)
}

/// Markers that mean "withheld for data protection" in German statistics tables.
const SUPPRESSED: &[&str] = &["*", "–", "-", "x", "X", ".", "()", "/"];

fn indicator_value(value: Option<&Value>) -> IndicatorValue {
    match value {
        Some(Value::Number(n)) => n
            .as_f64()
            .filter(|v| v.is_finite())
            .map_or(IndicatorValue::Missing, IndicatorValue::Number),
        Some(Value::String(s)) if SUPPRESSED.contains(&s.trim()) => IndicatorValue::Suppressed,
        _ => IndicatorValue::Missing,
    }
}

/// The catalogue's indicators first, then every other numeric property.
fn build_indicators(
    spaces: &[SocialSpace],
    catalogue: &[Indicator],
    mapping: &FieldMapping,
) -> IndicatorTable {
    let mut table = IndicatorTable::default();
    let reserved: Vec<&str> = [
        &mapping.code,
        &mapping.name,
        &mapping.municipality,
        &mapping.municipality_key,
        &mapping.action_fields,
    ]
    .into_iter()
    .flatten()
    .map(String::as_str)
    .collect();
    let column = |key: &str| -> Vec<IndicatorValue> {
        spaces
            .iter()
            .map(|s| indicator_value(s.properties.get(key)))
            .collect()
    };
    let read = super::series::read(
        spaces
            .iter()
            .map(|s| s.properties.get(super::series::PROPERTY)),
    );
    let estimates: Vec<(String, crate::model::Year, Vec<bool>)> = read
        .iter()
        .flat_map(|r| {
            r.estimated
                .iter()
                .map(|(y, f)| (r.key.clone(), *y, f.clone()))
        })
        .collect();
    let mut series: std::collections::HashMap<String, crate::model::Series> =
        read.into_iter().map(|r| (r.key, r.series)).collect();
    let mut push = |table: &mut IndicatorTable, indicator: Indicator, values| match series
        .remove(&indicator.key)
    {
        Some(s) => table.push_series(indicator, s),
        None => table.push(indicator, values),
    };
    for indicator in catalogue {
        let values = column(&indicator.key);
        push(&mut table, indicator.clone(), values);
    }
    let mut seen: std::collections::HashSet<&str> =
        catalogue.iter().map(|i| i.key.as_str()).collect();
    for space in spaces {
        for (key, value) in &space.properties {
            // Our own measure count is derived, not an indicator, in files this program wrote.
            let derived = !catalogue.is_empty() && key == super::export_geojson::MEASURE_COUNT;
            if value.is_number() && !derived && !reserved.contains(&key) && seen.insert(key) {
                // Unit and decimals guessed from the name and the values, as for tables:
                // a population count gets no decimals, "quote" a percent.
                let values = column(key);
                let mut indicator = crate::analysis::join::guessed_indicator(key, "", &values);
                indicator.key = key.to_string();
                push(&mut table, indicator, values);
            }
        }
    }
    // Series without a plain attribute of their own.
    let mut rest: Vec<(String, crate::model::Series)> = series.into_iter().collect();
    rest.sort_by(|a, b| a.0.cmp(&b.0));
    for (key, s) in rest {
        let latest: Vec<IndicatorValue> = s.last().map(|(_, v)| v.clone()).unwrap_or_default();
        let mut indicator = crate::analysis::join::guessed_indicator(&key, "", &latest);
        indicator.key = key;
        table.push_series(indicator, s);
    }
    for (key, year, flags) in estimates {
        table.set_estimated(&key, Some(year), Some(flags));
    }
    // Indices are computed from their definitions, whatever values the file holds for them.
    crate::analysis::index::refresh(&mut table);
    table
}

fn bbox_of(xy: &[[f64; 2]]) -> Option<[f64; 4]> {
    let first = xy.first()?;
    let mut b = [first[0], first[1], first[0], first[1]];
    for p in xy {
        b[0] = b[0].min(p[0]);
        b[1] = b[1].min(p[1]);
        b[2] = b[2].max(p[0]);
        b[3] = b[3].max(p[1]);
    }
    Some(b)
}

fn union_box(a: [f64; 4], b: [f64; 4]) -> [f64; 4] {
    [
        a[0].min(b[0]),
        a[1].min(b[1]),
        a[2].max(b[2]),
        a[3].max(b[3]),
    ]
}

/// Converts a box to lon/lat through its corners and edge midpoints.
fn corners_to_lonlat(t: &Transformer, b: [f64; 4]) -> [f64; 4] {
    let (mx, my) = ((b[0] + b[2]) / 2.0, (b[1] + b[3]) / 2.0);
    let points = [
        [b[0], b[1]],
        [b[2], b[1]],
        [b[0], b[3]],
        [b[2], b[3]],
        [mx, b[1]],
        [mx, b[3]],
        [b[0], my],
        [b[2], my],
    ];
    points
        .iter()
        .filter_map(|p| t.point(*p).ok())
        .filter_map(|p| bbox_of(&[p]))
        .reduce(union_box)
        .unwrap_or(b)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn handlungsfeld_values_of_every_form_parse() {
        let cases = [
            (json!("1;3"), "1;3", 0),
            (json!("1, 4"), "1;4", 0),
            (json!(2), "2", 0),
            (json!([1, "integration"]), "1;4", 0),
            (json!(""), "", 0),
            (json!(null), "", 0),
            (json!("1;7"), "1", 1),
        ];
        for (value, numbers, unknown) in cases {
            let (set, bad) = parse_action_fields(Some(&value));
            assert_eq!(set.to_numbers(), numbers, "{value}");
            assert_eq!(bad.len(), unknown, "{value}");
        }
    }

    #[test]
    fn suppressed_markers_are_kept_apart_from_missing_values() {
        assert_eq!(
            indicator_value(Some(&json!("*"))),
            IndicatorValue::Suppressed
        );
        assert_eq!(indicator_value(Some(&json!(null))), IndicatorValue::Missing);
        assert_eq!(indicator_value(None), IndicatorValue::Missing);
        assert_eq!(
            indicator_value(Some(&json!(0))),
            IndicatorValue::Number(0.0)
        );
    }
}
