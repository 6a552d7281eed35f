//! `sozialraum-atlas atlas`: the offline atlas for partners, one self-contained HTML file.

use std::path::PathBuf;

use clap::Args;

use super::{ImportArgs, JoinArgs};
use crate::i18n::Lang;
use crate::spatial::prepared::PreparedMap;

/// `atlas …`
#[derive(Args, Debug, Clone)]
pub struct AtlasArgs {
    /// The project file or boundary file.
    pub input: PathBuf,
    /// The HTML file to write.
    #[arg(long)]
    pub out: PathBuf,
    /// Include the planned measures in the profiles (without it not one is in the file).
    #[arg(long)]
    pub measures: bool,
    /// Source line under every profile (default: "Stand: TODAY · Datenstand: YEAR · …").
    #[arg(long)]
    pub source: Option<String>,
    /// Indicator tables (CSV/XLSX) to join first, as for `export`.
    #[command(flatten)]
    pub join: JoinArgs,
    /// Import choices for a boundary file.
    #[command(flatten)]
    pub import: ImportArgs,
}

/// Runs `atlas`; returns the message to print or the error.
pub fn run(args: &AtlasArgs, lang: Lang) -> Result<String, String> {
    // The atlas simplifies the shapes itself: the document needs only the coarsest geometry.
    let prepare = |region: &crate::model::Region| {
        let whole = crate::spatial::prepared::region_extent(region);
        PreparedMap::prepare_for_scale(region, (whole[2] - whole[0]).max(1.0) / 200.0)
    };
    let (mut doc, _) =
        super::export::load_input(&args.input, &args.import.options(), lang, &prepare)?;
    let mut notes = Vec::new();
    if !args.join.indicators.is_empty() {
        let mut merged = (*doc.indicators).clone();
        notes = super::join_into(&doc.region, &mut merged, &args.join, lang)?;
        doc.indicators = std::sync::Arc::new(merged);
        doc.refresh();
    }
    let request = crate::export::atlas::AtlasRequest {
        out: args.out.clone(),
        measures: args.measures,
        source: args.source.clone(),
    };
    notes.push(crate::export::atlas::write(
        &doc,
        &request,
        crate::export::map::today(),
        lang,
    )?);
    // The process ends after this: no need to hand the map back piece by piece.
    std::mem::forget(doc);
    Ok(notes.join("\n"))
}
