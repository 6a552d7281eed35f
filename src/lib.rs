//! Sozialraum-Atlas: an offline desktop map for social planning.
//!
//! # Architecture
//! Data flows one way:
//! `model` (what the map is) ← `analysis` (statistics, classification), `spatial` (CRS,
//! prepared geometry, hit testing), `io` (files) ← `scene` (model + view settings → styles,
//! labels, legend, the printed page) ← `render` (egui for the window; PNG, SVG and PDF for a
//! page), `ui` (panels returning commands) ← `app` (state, commands, background loading and
//! exports) ← `main`/`cli`.
//!
//! # Glossary
//! Sozialraum = [`model::SocialSpace`], Kommune = [`model::Municipality`],
//! Handlungsfeld = [`model::ActionField`], Gestaltungsbedarf = an area's non-empty
//! [`model::ActionFieldSet`], Indikator = [`model::Indicator`], Maßnahme = [`model::Measure`],
//! Ansicht (saved view) = [`io::project::SavedView`].

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
