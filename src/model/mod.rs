//! The domain model: what the map *is*, independent of how it is shown or stored.
//!
//! Pure data: no egui, no files, no clock. Everything else in the crate depends on this module,
//! and it depends on nothing of the crate.

mod action_field;
mod change;
mod code_order;
mod date;
mod index;
mod indicator;
mod measure;
mod properties;
mod region;
mod rules;
mod social_space;
mod uid;

pub use action_field::{ActionField, ActionFieldSet};
pub use change::{Change, ChangeMeasure, parse_year};
pub use code_order::natural_cmp;
pub use date::{Date, Timestamp};
pub use index::{IndexDefinition, IndexInput, Standardisation};
pub use indicator::{
    Aggregation, Indicator, IndicatorTable, IndicatorValue, MIN_CASES, MIN_DENOMINATOR, Polarity,
    Series, Unit, Year,
};
pub use measure::{
    Measure, MeasureId, MeasureProblem, MeasureRegister, Priority, Responsibility, Status,
    TextField, longer_than,
};
pub use properties::{KeyInterner, Properties, PropertiesBuilder};
pub use region::{FieldMapping, PlanarCrs, Region, SourceInfo};
pub use rules::{
    Combinator, Comparison, Condition, FieldRule, Override, Reference, RuleSet, Score,
};
pub use social_space::{Municipality, MunicipalityId, SocialSpace};
pub use uid::Uid;
