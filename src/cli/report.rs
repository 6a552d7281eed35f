//! `sozialraum-atlas report`: the Sozialraumprofile of a map or project as one PDF (cover,
//! contents, one page per area) or as PNG pages in a folder.

use std::path::PathBuf;

use clap::Args;

use super::ImportArgs;
use crate::i18n::{Lang, T};
use crate::spatial::prepared::{Detail, PreparedMap};

/// `report …`
#[derive(Args, Debug, Clone)]
pub struct ReportArgs {
    /// The project file or boundary file.
    pub input: PathBuf,
    /// The PDF to write, or the folder for PNG pages (or for the files of --per-municipality).
    #[arg(long)]
    pub out: PathBuf,
    /// One PDF per municipality in the folder --out ("profile_Alsdorf.pdf", …).
    #[arg(long, conflicts_with = "municipality")]
    pub per_municipality: bool,
    /// Only the areas of this municipality (by name).
    #[arg(long)]
    pub municipality: Option<String>,
    /// pdf (default; from a .pdf name) or png (one file per page, 150 dpi, into the folder --out).
    #[arg(long)]
    pub format: Option<String>,
    /// Resolution of PNG pages in dots per inch (default 150).
    #[arg(long, default_value_t = 150)]
    pub dpi: u32,
    /// Source line at the foot of every page (default: "Stand: TODAY · Datenstand: YEAR · …").
    #[arg(long)]
    pub source: Option<String>,
    /// Import choices for a boundary file.
    #[command(flatten)]
    pub import: ImportArgs,
}

/// Runs `report`; returns the message to print or the error.
pub fn run(args: &ReportArgs, lang: Lang) -> Result<String, String> {
    let png = match args.format.as_deref().map(str::to_lowercase).as_deref() {
        Some("png") => true,
        Some("pdf") | None => false,
        Some(other) => {
            return Err(lang.tf(T::CliExportFormat, &[("file", "--format"), ("ext", other)]));
        }
    };
    let prepare =
        |region: &crate::model::Region| PreparedMap::prepare(region, Detail::Full, &|_| {});
    let (doc, _) = super::export::load_input(&args.input, &args.import.options(), lang, &prepare)?;
    let request = crate::export::report::ReportRequest {
        out: args.out.clone(),
        municipality: args.municipality.clone(),
        per_municipality: args.per_municipality,
        png,
        dpi: args.dpi,
        source: args.source.clone(),
    };
    crate::export::report::write(&doc, &request, crate::export::map::today(), lang)
}
