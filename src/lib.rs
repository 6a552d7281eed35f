//! Sozialraum-Atlas: an offline desktop map for social planning.
//!
//! # Architecture
//! Floors, each using only the floors below it (`tests/architecture.rs` holds the order):
//!
//! | floor | modules | what they are |
//! |---|---|---|
//! | 10 | `main` | the binary |
//! | 9 | [`app`], [`cli`] | the window's state, commands and jobs; the subcommands |
//! | 8 | [`ui`] | egui panels: read a [`ui::shown::Shown`], return [`ui::command::Command`]s |
//! | 7 | [`export`] | headless map exports and the classification CSV |
//! | 6 | [`render`] | egui meshes; PNG, SVG and PDF pages |
//! | 5 | [`document`] | the document being edited, pure edits, undo history |
//! | 4 | [`scene`] | document + view settings → styles, labels, legend, the printed page |
//! | 3 | [`io`] | files: readers, writers, the [`io::store::Store`] and the GeoPackage project |
//! | 2 | [`analysis`], [`spatial`] | statistics, rules, joins; CRS, prepared geometry |
//! | 1 | [`i18n`] | German and English texts, number and date formats |
//! | 0 | [`model`] | what the map is |
//!
//! # Glossary
//! Sozialraum = [`model::SocialSpace`], Kommune = [`model::Municipality`],
//! Handlungsfeld = [`model::ActionField`], Gestaltungsbedarf = an area's non-empty
//! [`model::ActionFieldSet`], Indikator = [`model::Indicator`], Maßnahme = [`model::Measure`],
//! Ansicht (saved view) = [`io::store::SavedView`].

// User data must never panic the program: no unwrap/expect outside tests (clippy.toml allows
// them in tests).
#![deny(clippy::unwrap_used, clippy::expect_used)]

pub mod analysis;
pub mod app;
pub mod cli;
pub mod document;
pub mod export;
pub mod i18n;
pub mod io;
pub mod model;
pub mod render;
pub mod scene;
pub mod spatial;
pub mod ui;
