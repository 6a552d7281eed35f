//! A Sozialraum's properties from its source file, stored compactly.
//!
//! Most files give every feature the same keys; each key is stored once for the whole region
//! and shared ([`KeyInterner`]), and a feature keeps a plain list of (key, value) pairs in file
//! order. For 114,000 features of 23 properties that is 150 MB less than a map per feature.

use std::collections::HashSet;
use std::sync::Arc;

use serde_json::{Map, Value};

/// The properties of one feature, in file order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Properties(Vec<(Arc<str>, Value)>);

impl Properties {
    /// The value of `key`.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.0.iter().find(|(k, _)| &**k == key).map(|(_, v)| v)
    }

    /// Every key and value, in file order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Value)> {
        self.0.iter().map(|(k, v)| (&**k, v))
    }

    /// Every key, in file order.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.0.iter().map(|(k, _)| &**k)
    }

    /// Number of properties.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Sets `key` (replacing its value if it is there).
    pub fn insert(&mut self, key: &str, value: Value) {
        match self.0.iter_mut().find(|(k, _)| &**k == key) {
            Some((_, v)) => *v = value,
            None => self.0.push((Arc::from(key), value)),
        }
    }

    /// Sets the value of an interned key (see [`KeyInterner::intern_str`]): a key given twice
    /// keeps its first place and its last value, as a JSON object reads.
    pub fn set_interned(&mut self, key: Arc<str>, value: Value) {
        match self
            .0
            .iter_mut()
            .find(|(k, _)| Arc::ptr_eq(k, &key) || *k == key)
        {
            Some((_, v)) => *v = value,
            None => self.0.push((key, value)),
        }
    }

    /// Removes `key` and returns its value.
    pub fn remove(&mut self, key: &str) -> Option<Value> {
        let at = self.0.iter().position(|(k, _)| &**k == key)?;
        Some(self.0.remove(at).1)
    }

    /// Frees the room kept for more pairs.
    pub fn shrink_to_fit(&mut self) {
        self.0.shrink_to_fit();
    }

    /// Takes a parsed JSON object over, sharing its keys through `keys`.
    pub fn from_map(map: Map<String, Value>, keys: &mut KeyInterner) -> Properties {
        let mut pairs = Vec::with_capacity(map.len());
        pairs.extend(map.into_iter().map(|(k, v)| (keys.intern(k), v)));
        Properties(pairs)
    }

    /// As a JSON object (for writing files).
    pub fn to_map(&self) -> Map<String, Value> {
        self.iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect()
    }
}

impl From<Map<String, Value>> for Properties {
    fn from(map: Map<String, Value>) -> Properties {
        Properties::from_map(map, &mut KeyInterner::default())
    }
}

impl<'a> IntoIterator for &'a Properties {
    type Item = (&'a str, &'a Value);
    type IntoIter = std::iter::Map<
        std::slice::Iter<'a, (Arc<str>, Value)>,
        fn(&'a (Arc<str>, Value)) -> (&'a str, &'a Value),
    >;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter().map(|(k, v)| (&**k, v))
    }
}

/// Shares equal keys between features.
#[derive(Debug, Default)]
pub struct KeyInterner(HashSet<Arc<str>>);

impl KeyInterner {
    /// The shared copy of `key`, allocating only for a key not seen before.
    pub fn intern_str(&mut self, key: &str) -> Arc<str> {
        if let Some(k) = self.0.get(key) {
            return Arc::clone(k);
        }
        let k: Arc<str> = Arc::from(key);
        self.0.insert(Arc::clone(&k));
        k
    }

    /// How many different keys it holds.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether it holds none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The shared copy of `key`.
    pub fn intern(&mut self, key: String) -> Arc<str> {
        if let Some(k) = self.0.get(key.as_str()) {
            return Arc::clone(k);
        }
        let k: Arc<str> = Arc::from(key);
        self.0.insert(Arc::clone(&k));
        k
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn keys_are_shared_and_order_is_kept() {
        let mut keys = KeyInterner::default();
        let a = Properties::from_map(
            json!({"code": "A", "name": "Markt", "wert": 1})
                .as_object()
                .cloned()
                .unwrap_or_default(),
            &mut keys,
        );
        let b = Properties::from_map(
            json!({"code": "B", "name": "Theater"})
                .as_object()
                .cloned()
                .unwrap_or_default(),
            &mut keys,
        );
        assert_eq!(a.keys().collect::<Vec<_>>(), ["code", "name", "wert"]);
        assert_eq!(b.get("name"), Some(&json!("Theater")));
        assert_eq!(a.get("fehlt"), None);
        assert!(Arc::ptr_eq(&a.0[0].0, &b.0[0].0), "one key for both");
        let mut c = b.clone();
        c.insert("name", json!("Neu"));
        c.insert("extra", json!(2));
        assert_eq!(
            c.to_map(),
            *json!({"code": "B", "name": "Neu", "extra": 2})
                .as_object()
                .unwrap_or(&Map::new())
        );
    }
}
