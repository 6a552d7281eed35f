//! Tolerant streaming reader from GeoJSON text to raw features.
//!
//! Built on serde visitors instead of `geojson::FeatureCollection` for two reasons that users
//! feel: speed (no intermediate JSON tree for 1.9 M coordinates: typed visitors straight into
//! flat buffers) and per-feature error reporting. Only malformed JSON syntax aborts the read
//! (with line and column); anything that is valid JSON but wrong GeoJSON - a geometry that is
//! a number, properties that are a list, a string as a coordinate - is kept as a fact about
//! that one feature, for the importer to report while the rest loads.

use std::fmt;
use std::sync::Arc;

use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

use super::coords::{CoordBuf, CoordsSeed};
use crate::model::{KeyInterner, Properties, PropertiesBuilder};

/// The raw content of one feature, before validation.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RawFeature {
    /// The feature's `id` member.
    pub id: Option<Value>,
    /// The feature's properties (empty when absent or `null`), their keys shared.
    pub properties: Properties,
    /// `properties` was present but neither an object nor `null`.
    pub properties_invalid: bool,
    /// The geometry.
    pub geometry: RawGeometry,
    /// The array element was not a JSON object at all.
    pub not_an_object: bool,
}

/// The raw geometry of a feature.
#[derive(Debug, Clone, Default, PartialEq)]
pub enum RawGeometry {
    /// No `geometry` member.
    #[default]
    Absent,
    /// `"geometry": null`.
    Null,
    /// `geometry` is not an object.
    NotAnObject,
    /// A geometry object.
    Object {
        /// Its `type` (None when missing or not a string).
        kind: Option<String>,
        /// Its decoded `coordinates`, when present.
        coords: Option<CoordBuf>,
    },
}

thread_local! {
    /// Each thread's buffer for the coordinates being decoded: it grows to the largest
    /// geometry once, and each geometry is then copied out at its exact size, instead of every
    /// geometry growing its own vectors by doubling (copies, and fresh pages the kernel zeroes).
    static SCRATCH: std::cell::RefCell<CoordBuf> = std::cell::RefCell::new(CoordBuf::default());
}

/// Decodes the `coordinates` value that `map` holds next.
fn decode_coordinates<'de, A: MapAccess<'de>>(map: &mut A) -> Result<CoordBuf, A::Error> {
    SCRATCH.with(|scratch| match scratch.try_borrow_mut() {
        Ok(mut buf) => {
            buf.clear();
            map.next_value_seed(CoordsSeed(&mut buf))?;
            Ok(buf.clone())
        }
        // Never nested, but if it were: a buffer of its own.
        Err(_) => {
            let mut buf = CoordBuf::default();
            map.next_value_seed(CoordsSeed(&mut buf))?;
            Ok(buf)
        }
    })
}

/// A whole GeoJSON document, features decoded, other members kept.
#[derive(Debug, Default)]
pub struct RawDocument {
    /// The top-level `type`.
    pub doc_type: Option<String>,
    /// The features (of a FeatureCollection, or the single Feature).
    pub features: Vec<RawFeature>,
    /// The legacy `crs` member.
    pub crs: Option<Value>,
    /// The `name` member (written by GDAL/QGIS).
    pub name: Option<String>,
    /// Other top-level members, e.g. this program's `atlas` metadata.
    pub foreign: Map<String, Value>,
    /// The CRS of a Shapefile's `.prj` (never set for GeoJSON).
    pub prj: Option<crate::spatial::wkt::PrjCrs>,
}

/// Why reading stopped.
#[derive(Debug)]
pub enum ReadError {
    /// The text is not valid JSON.
    Syntax {
        /// 1-based line of the error.
        line: usize,
        /// 1-based column of the error.
        column: usize,
        /// serde_json's description.
        message: String,
    },
    /// The caller asked to stop.
    Cancelled,
}

/// Reads a GeoJSON document. `on_feature` is called with the number of features read so far
/// and returns false to cancel.
pub fn read_document(
    bytes: &[u8],
    on_feature: &mut dyn FnMut(usize) -> bool,
) -> Result<RawDocument, ReadError> {
    let mut cancelled = false;
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let result = DocumentSeed {
        on_feature,
        cancelled: &mut cancelled,
    }
    .deserialize(&mut de)
    .and_then(|doc| de.end().map(|()| doc));
    match result {
        Ok(doc) => Ok(doc),
        Err(_) if cancelled => Err(ReadError::Cancelled),
        Err(e) => Err(ReadError::Syntax {
            line: e.line(),
            column: e.column(),
            message: strip_position(&e.to_string()),
        }),
    }
}

/// serde_json appends " at line L column C"; we show the position separately.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message.to_string(),
    }
}

enum Key {
    Type,
    Features,
    Crs,
    Name,
    Geometry,
    Properties,
    Id,
    Coordinates,
    Other(String),
}

struct KeySeed;

impl<'de> DeserializeSeed<'de> for KeySeed {
    type Value = Key;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Key, D::Error> {
        d.deserialize_str(KeySeed)
    }
}

impl Visitor<'_> for KeySeed {
    type Value = Key;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a member name")
    }
    fn visit_str<E>(self, v: &str) -> Result<Key, E> {
        Ok(match v {
            "type" => Key::Type,
            "features" => Key::Features,
            "crs" => Key::Crs,
            "name" => Key::Name,
            "geometry" => Key::Geometry,
            "properties" => Key::Properties,
            "id" => Key::Id,
            "coordinates" => Key::Coordinates,
            other => Key::Other(other.to_string()),
        })
    }
}

struct DocumentSeed<'a> {
    on_feature: &'a mut dyn FnMut(usize) -> bool,
    cancelled: &'a mut bool,
}

impl<'de> DeserializeSeed<'de> for DocumentSeed<'_> {
    type Value = RawDocument;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<RawDocument, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for DocumentSeed<'_> {
    type Value = RawDocument;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a GeoJSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawDocument, A::Error> {
        let mut doc = RawDocument::default();
        let mut single = RawFeature::default();
        while let Some(key) = map.next_key_seed(KeySeed)? {
            match key {
                Key::Type => doc.doc_type = map.next_value::<Value>()?.as_str().map(str::to_string),
                Key::Features => map.next_value_seed(FeaturesSeed {
                    out: &mut doc.features,
                    on_feature: &mut *self.on_feature,
                    cancelled: &mut *self.cancelled,
                })?,
                Key::Crs => doc.crs = Some(map.next_value()?),
                Key::Name => doc.name = map.next_value::<Value>()?.as_str().map(str::to_string),
                Key::Geometry => single.geometry = map.next_value_seed(GeometrySeed)?,
                Key::Properties => {
                    let (props, invalid) = map.next_value_seed(PropertiesSeed)?;
                    single.properties = props;
                    single.properties_invalid = invalid;
                }
                Key::Id => single.id = Some(map.next_value()?),
                Key::Coordinates => {
                    map.next_value::<IgnoredAny>()?;
                }
                Key::Other(name) => {
                    doc.foreign.insert(name, map.next_value()?);
                }
            }
        }
        if doc.doc_type.as_deref() == Some("Feature") {
            doc.features.push(single);
        }
        Ok(doc)
    }

    // Any other JSON value is a valid JSON document but no GeoJSON: an empty document with
    // no type tells the importer so.
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<RawDocument, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(RawDocument::default())
    }
    fn visit_str<E>(self, _: &str) -> Result<RawDocument, E> {
        Ok(RawDocument::default())
    }
    fn visit_f64<E>(self, _: f64) -> Result<RawDocument, E> {
        Ok(RawDocument::default())
    }
    fn visit_i64<E>(self, _: i64) -> Result<RawDocument, E> {
        Ok(RawDocument::default())
    }
    fn visit_u64<E>(self, _: u64) -> Result<RawDocument, E> {
        Ok(RawDocument::default())
    }
    fn visit_bool<E>(self, _: bool) -> Result<RawDocument, E> {
        Ok(RawDocument::default())
    }
    fn visit_unit<E>(self) -> Result<RawDocument, E> {
        Ok(RawDocument::default())
    }
}

thread_local! {
    /// Each thread's property names, so that 11,000 features with the same 24 properties
    /// hold each name once (per thread) instead of 11,000 times.
    static KEYS: std::cell::RefCell<KeyInterner> = std::cell::RefCell::new(KeyInterner::default());
}

/// More different property names (or lists of them) than this (no real file has them) and
/// the thread forgets the names it knows before the next feature, so that they are not kept
/// forever.
const MAX_KEPT_KEYS: usize = 10_000;

/// Decodes `properties` straight into [`Properties`]: an object gives its pairs, `null`
/// none, anything else none and `true` (it is reported).
struct PropertiesSeed;

impl<'de> DeserializeSeed<'de> for PropertiesSeed {
    type Value = (Properties, bool);
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

/// A property name, shared through the thread's names.
struct PropertyKey;

impl<'de> DeserializeSeed<'de> for PropertyKey {
    type Value = Arc<str>;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Arc<str>, D::Error> {
        d.deserialize_str(self)
    }
}

impl Visitor<'_> for PropertyKey {
    type Value = Arc<str>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a property name")
    }
    fn visit_str<E>(self, v: &str) -> Result<Arc<str>, E> {
        Ok(KEYS.with(|keys| match keys.try_borrow_mut() {
            Ok(mut keys) => keys.intern_str(v),
            Err(_) => Arc::from(v),
        }))
    }
}

impl<'de> Visitor<'de> for PropertiesSeed {
    type Value = (Properties, bool);

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("the properties of a feature")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        KEYS.with(|keys| {
            if let Ok(mut keys) = keys.try_borrow_mut()
                && (keys.len() > MAX_KEPT_KEYS || keys.lists() > MAX_KEPT_KEYS)
            {
                *keys = KeyInterner::default();
            }
        });
        let mut props = PropertiesBuilder::default();
        while let Some(key) = map.next_key_seed(PropertyKey)? {
            props.set(key, map.next_value()?);
        }
        // The key list shared with the features before (on this thread).
        let props = KEYS.with(|keys| match keys.try_borrow_mut() {
            Ok(mut keys) => props.finish(&mut keys),
            Err(_) => props.finish(&mut KeyInterner::default()),
        });
        Ok((props, false))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok((Properties::default(), true))
    }
    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok((Properties::default(), false))
    }
    fn visit_str<E>(self, _: &str) -> Result<Self::Value, E> {
        Ok((Properties::default(), true))
    }
    fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
        Ok((Properties::default(), true))
    }
    fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
        Ok((Properties::default(), true))
    }
    fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
        Ok((Properties::default(), true))
    }
    fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
        Ok((Properties::default(), true))
    }
}

struct FeaturesSeed<'a> {
    out: &'a mut Vec<RawFeature>,
    on_feature: &'a mut dyn FnMut(usize) -> bool,
    cancelled: &'a mut bool,
}

impl<'de> DeserializeSeed<'de> for FeaturesSeed<'_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for FeaturesSeed<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an array of features")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while let Some(feature) = seq.next_element_seed(FeatureSeed)? {
            self.out.push(feature);
            if !(self.on_feature)(self.out.len()) {
                *self.cancelled = true;
                return Err(de::Error::custom("cancelled"));
            }
        }
        Ok(())
    }

    // `features` that is not an array holds no features; the importer reports the empty file.
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(())
    }
    fn visit_str<E>(self, _: &str) -> Result<(), E> {
        Ok(())
    }
    fn visit_f64<E>(self, _: f64) -> Result<(), E> {
        Ok(())
    }
    fn visit_i64<E>(self, _: i64) -> Result<(), E> {
        Ok(())
    }
    fn visit_u64<E>(self, _: u64) -> Result<(), E> {
        Ok(())
    }
    fn visit_bool<E>(self, _: bool) -> Result<(), E> {
        Ok(())
    }
    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }
}

struct FeatureSeed;

/// One feature on its own (the parallel reader decodes the elements of `features` one by one).
impl<'de> de::Deserialize<'de> for RawFeature {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<RawFeature, D::Error> {
        d.deserialize_any(FeatureSeed)
    }
}

impl<'de> DeserializeSeed<'de> for FeatureSeed {
    type Value = RawFeature;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<RawFeature, D::Error> {
        d.deserialize_any(self)
    }
}

fn not_an_object() -> RawFeature {
    RawFeature {
        not_an_object: true,
        ..RawFeature::default()
    }
}

impl<'de> Visitor<'de> for FeatureSeed {
    type Value = RawFeature;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a feature")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawFeature, A::Error> {
        let mut feature = RawFeature::default();
        while let Some(key) = map.next_key_seed(KeySeed)? {
            match key {
                Key::Geometry => feature.geometry = map.next_value_seed(GeometrySeed)?,
                Key::Properties => {
                    let (props, invalid) = map.next_value_seed(PropertiesSeed)?;
                    feature.properties = props;
                    feature.properties_invalid = invalid;
                }
                Key::Id => feature.id = Some(map.next_value()?),
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(feature)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<RawFeature, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(not_an_object())
    }
    fn visit_str<E>(self, _: &str) -> Result<RawFeature, E> {
        Ok(not_an_object())
    }
    fn visit_f64<E>(self, _: f64) -> Result<RawFeature, E> {
        Ok(not_an_object())
    }
    fn visit_i64<E>(self, _: i64) -> Result<RawFeature, E> {
        Ok(not_an_object())
    }
    fn visit_u64<E>(self, _: u64) -> Result<RawFeature, E> {
        Ok(not_an_object())
    }
    fn visit_bool<E>(self, _: bool) -> Result<RawFeature, E> {
        Ok(not_an_object())
    }
    fn visit_unit<E>(self) -> Result<RawFeature, E> {
        Ok(not_an_object())
    }
}

struct GeometrySeed;

impl<'de> DeserializeSeed<'de> for GeometrySeed {
    type Value = RawGeometry;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<RawGeometry, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for GeometrySeed {
    type Value = RawGeometry;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a geometry")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawGeometry, A::Error> {
        let mut kind = None;
        let mut coords = None;
        while let Some(key) = map.next_key_seed(KeySeed)? {
            match key {
                Key::Type => kind = map.next_value::<Value>()?.as_str().map(str::to_string),
                Key::Coordinates => coords = Some(decode_coordinates(&mut map)?),
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(RawGeometry::Object { kind, coords })
    }

    fn visit_unit<E>(self) -> Result<RawGeometry, E> {
        Ok(RawGeometry::Null)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<RawGeometry, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(RawGeometry::NotAnObject)
    }
    fn visit_str<E>(self, _: &str) -> Result<RawGeometry, E> {
        Ok(RawGeometry::NotAnObject)
    }
    fn visit_f64<E>(self, _: f64) -> Result<RawGeometry, E> {
        Ok(RawGeometry::NotAnObject)
    }
    fn visit_i64<E>(self, _: i64) -> Result<RawGeometry, E> {
        Ok(RawGeometry::NotAnObject)
    }
    fn visit_u64<E>(self, _: u64) -> Result<RawGeometry, E> {
        Ok(RawGeometry::NotAnObject)
    }
    fn visit_bool<E>(self, _: bool) -> Result<RawGeometry, E> {
        Ok(RawGeometry::NotAnObject)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(json: &str) -> Result<RawDocument, ReadError> {
        read_document(json.as_bytes(), &mut |_| true)
    }

    #[test]
    fn members_may_come_in_any_order() {
        let doc = read(
            r#"{"features":[{"geometry":{"coordinates":[[[0,0],[1,0],[1,1],[0,0]]],"type":"Polygon"},
               "properties":{"code":"X 1","extra":{"nested":true}},"type":"Feature","id":7}],
               "atlas":{"synthetic":true},"type":"FeatureCollection"}"#,
        )
        .expect("reads");
        assert_eq!(doc.doc_type.as_deref(), Some("FeatureCollection"));
        assert_eq!(doc.features.len(), 1);
        let f = &doc.features[0];
        assert_eq!(f.id, Some(Value::from(7)));
        assert_eq!(
            f.properties.get("extra").expect("extra")["nested"],
            Value::Bool(true)
        );
        assert!(doc.foreign.contains_key("atlas"));
        match &f.geometry {
            RawGeometry::Object { kind, coords } => {
                assert_eq!(kind.as_deref(), Some("Polygon"));
                assert_eq!(coords.as_ref().map(|c| c.xy.len()), Some(4));
            }
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn wrong_types_inside_a_feature_are_kept_as_facts() {
        let doc = read(
            r#"{"type":"FeatureCollection","features":[
                {"type":"Feature","geometry":5,"properties":[1,2]},
                {"type":"Feature","geometry":null,"properties":null},
                42,
                {"type":"Feature"}]}"#,
        )
        .expect("reads");
        assert_eq!(doc.features.len(), 4);
        assert_eq!(doc.features[0].geometry, RawGeometry::NotAnObject);
        assert!(doc.features[0].properties_invalid);
        assert_eq!(doc.features[1].geometry, RawGeometry::Null);
        assert!(doc.features[2].not_an_object);
        assert_eq!(doc.features[3].geometry, RawGeometry::Absent);
    }

    #[test]
    fn properties_read_like_a_json_object_and_share_their_names() {
        let doc = read(
            r#"{"type":"FeatureCollection","features":[
                {"type":"Feature","properties":{"code":"A","wert":1,"code":"B","leer":null}},
                {"type":"Feature","properties":{"wert":2,"code":"C"}},
                {"type":"Feature","properties":"kein Objekt"},
                {"type":"Feature","properties":{}}]}"#,
        )
        .expect("reads");
        let first = &doc.features[0].properties;
        // A name given twice keeps its first place and its last value.
        assert_eq!(first.keys().collect::<Vec<_>>(), ["code", "wert", "leer"]);
        assert_eq!(first.get("code"), Some(&Value::from("B")));
        assert_eq!(first.get("leer"), Some(&Value::Null));
        let second = &doc.features[1].properties;
        assert_eq!(second.keys().collect::<Vec<_>>(), ["wert", "code"]);
        assert!(doc.features[2].properties_invalid && doc.features[2].properties.is_empty());
        assert!(!doc.features[3].properties_invalid && doc.features[3].properties.is_empty());
        // One copy of each name for all features read on this thread.
        let name_of = |p: &Properties, k: &str| {
            p.iter()
                .find(|(name, _)| *name == k)
                .map(|(name, _)| name.as_ptr())
        };
        assert_eq!(name_of(first, "wert"), name_of(second, "wert"));
    }

    #[test]
    fn a_syntax_error_reports_line_and_column() {
        let err = read("{\"type\":\"FeatureCollection\",\n\"features\":[}").expect_err("bad json");
        match err {
            ReadError::Syntax { line, column, .. } => {
                assert_eq!(line, 2);
                assert!(column > 10, "column {column}");
            }
            ReadError::Cancelled => panic!("not cancelled"),
        }
    }

    #[test]
    fn reading_can_be_cancelled_between_features() {
        let json = r#"{"type":"FeatureCollection","features":[{},{},{}]}"#;
        let err = read_document(json.as_bytes(), &mut |n| n < 2).expect_err("cancelled");
        assert!(matches!(err, ReadError::Cancelled));
    }

    #[test]
    fn a_single_feature_document_is_one_feature() {
        let doc =
            read(r#"{"type":"Feature","properties":{"code":"A"},"geometry":null}"#).expect("reads");
        assert_eq!(doc.features.len(), 1);
        assert_eq!(*doc.features[0].properties.get("code").expect("code"), "A");
    }
}
