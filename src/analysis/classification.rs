//! Counting the Handlungsfeld classification: how many areas have a need, per field and overall.
//!
//! The classification itself comes from the data (a property) for now; rules that compute it
//! will live next to this.

use crate::model::{ActionField, ActionFieldSet, Region};

/// Counts of the Handlungsfeld classification.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct FieldCounts {
    /// Areas in the region.
    pub total: usize,
    /// Areas with a need in at least one (visible) field.
    pub flagged: usize,
    /// Areas per field, in the order of [`ActionField::ALL`].
    pub per_field: [usize; 4],
    /// Areas in two or more (visible) fields.
    pub several: usize,
}

/// Counts the classification, looking only at the fields in `visible`.
pub fn count_fields(region: &Region, visible: ActionFieldSet) -> FieldCounts {
    let mut counts = FieldCounts {
        total: region.spaces.len(),
        ..FieldCounts::default()
    };
    for space in &region.spaces {
        let shown = space.action_fields.intersection(visible);
        if !shown.is_empty() {
            counts.flagged += 1;
        }
        if shown.len() > 1 {
            counts.several += 1;
        }
        for f in ActionField::ALL {
            if space.action_fields.contains(f) {
                counts.per_field[f.index()] += 1;
            }
        }
    }
    counts
}
