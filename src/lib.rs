//! Sozialraum-Atlas.

pub mod i18n;
pub mod io;
pub mod model;
pub mod spatial;
