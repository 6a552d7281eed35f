//! The four Handlungsfelder (fields of action) of the Handlungskonzept and a compact set of them.
//!
//! One Sozialraum can be in several fields at once, so an area carries an [`ActionFieldSet`]
//! (a bit set), never a single field. The numbering 1–4 follows the Handlungskonzept.

use std::fmt;

/// A Handlungsfeld of the Handlungskonzept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ActionField {
    /// 1. Benachteiligte Sozialräume: accumulated material poverty and under-supply.
    Disadvantaged,
    /// 2. Teilhabe und Versorgung Älterer: advanced ageing, low density, old-age poverty.
    Elderly,
    /// 3. Armutsrisiken und -folgen für Kinder und Familien.
    ChildrenFamilies,
    /// 4. Integrationserfordernisse.
    Integration,
}

impl ActionField {
    /// All fields in the Handlungskonzept's order.
    pub const ALL: [ActionField; 4] = [
        ActionField::Disadvantaged,
        ActionField::Elderly,
        ActionField::ChildrenFamilies,
        ActionField::Integration,
    ];

    /// The number 1–4 used in the Handlungskonzept and in data files.
    pub fn number(self) -> u8 {
        match self {
            ActionField::Disadvantaged => 1,
            ActionField::Elderly => 2,
            ActionField::ChildrenFamilies => 3,
            ActionField::Integration => 4,
        }
    }

    /// The stable key written into data files.
    pub fn key(self) -> &'static str {
        match self {
            ActionField::Disadvantaged => "benachteiligt",
            ActionField::Elderly => "aeltere",
            ActionField::ChildrenFamilies => "kinder_familien",
            ActionField::Integration => "integration",
        }
    }

    /// Position 0–3 in [`ActionField::ALL`].
    pub fn index(self) -> usize {
        usize::from(self.number() - 1)
    }

    /// Parses a number (`1`…`4`) or a key (`benachteiligt`, `aeltere`/`ältere`,
    /// `kinder_familien`/`kinder`, `integration`), ignoring case and surrounding space.
    pub fn parse(text: &str) -> Option<ActionField> {
        let t = text.trim().to_lowercase();
        let field = match t.as_str() {
            "1" | "hf1" | "benachteiligt" | "benachteiligte sozialräume" | "disadvantaged" => {
                ActionField::Disadvantaged
            }
            "2" | "hf2" | "aeltere" | "ältere" | "älter" | "elderly" | "older" => {
                ActionField::Elderly
            }
            "3"
            | "hf3"
            | "kinder_familien"
            | "kinder"
            | "familien"
            | "kinder und familien"
            | "children"
            | "children_families" => ActionField::ChildrenFamilies,
            "4" | "hf4" | "integration" => ActionField::Integration,
            _ => return None,
        };
        Some(field)
    }
}

impl fmt::Display for ActionField {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

/// A set of Handlungsfelder, stored as four bits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, PartialOrd, Ord)]
pub struct ActionFieldSet(u8);

impl ActionFieldSet {
    /// The empty set: no Gestaltungsbedarf.
    pub const EMPTY: ActionFieldSet = ActionFieldSet(0);

    /// Builds a set from fields.
    pub fn from_fields(fields: impl IntoIterator<Item = ActionField>) -> Self {
        let mut set = Self::EMPTY;
        for f in fields {
            set.insert(f);
        }
        set
    }

    /// Adds a field.
    pub fn insert(&mut self, field: ActionField) {
        self.0 |= 1 << field.index();
    }

    /// Removes a field.
    pub fn remove(&mut self, field: ActionField) {
        self.0 &= !(1 << field.index());
    }

    /// Whether the set holds `field`.
    pub fn contains(self, field: ActionField) -> bool {
        self.0 & (1 << field.index()) != 0
    }

    /// Whether no field is set (no Gestaltungsbedarf).
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// Number of fields in the set.
    pub fn len(self) -> usize {
        self.0.count_ones() as usize
    }

    /// The fields in the Handlungskonzept's order.
    pub fn iter(self) -> impl Iterator<Item = ActionField> {
        ActionField::ALL
            .into_iter()
            .filter(move |f| self.contains(*f))
    }

    /// The fields of `self` that are also in `other`.
    pub fn intersection(self, other: ActionFieldSet) -> ActionFieldSet {
        ActionFieldSet(self.0 & other.0)
    }

    /// The fields of `self` that are not in `other`.
    pub fn difference(self, other: ActionFieldSet) -> ActionFieldSet {
        ActionFieldSet(self.0 & !other.0)
    }

    /// All four fields.
    pub fn all() -> ActionFieldSet {
        ActionFieldSet(0b1111)
    }

    /// The raw bits (bit 0 = field 1), used as a compact style key.
    pub fn bits(self) -> u8 {
        self.0
    }

    /// The set as a list of numbers, e.g. `"1;3"`, the format written into data files.
    pub fn to_numbers(self) -> String {
        self.iter()
            .map(|f| f.number().to_string())
            .collect::<Vec<_>>()
            .join(";")
    }
}

impl FromIterator<ActionField> for ActionFieldSet {
    fn from_iter<T: IntoIterator<Item = ActionField>>(iter: T) -> Self {
        Self::from_fields(iter)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_keys_parse_to_the_same_field() {
        for field in ActionField::ALL {
            assert_eq!(ActionField::parse(&field.number().to_string()), Some(field));
            assert_eq!(ActionField::parse(field.key()), Some(field));
            assert_eq!(
                ActionField::parse(&format!("  {} ", field.key().to_uppercase())),
                Some(field)
            );
        }
        assert_eq!(ActionField::parse("5"), None);
        assert_eq!(ActionField::parse(""), None);
    }

    #[test]
    fn a_set_keeps_several_fields_in_order() {
        let set =
            ActionFieldSet::from_fields([ActionField::Integration, ActionField::Disadvantaged]);
        assert_eq!(set.len(), 2);
        assert!(set.contains(ActionField::Disadvantaged));
        assert!(!set.contains(ActionField::Elderly));
        assert_eq!(set.to_numbers(), "1;4");
        let mut set = set;
        set.remove(ActionField::Integration);
        assert_eq!(set.to_numbers(), "1");
        assert!(ActionFieldSet::EMPTY.is_empty());
    }
}
