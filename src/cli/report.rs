//! `sozialraum-atlas report`: the Sozialraumprofile of a map or project as one PDF (cover,
//! contents, one page per area) or as PNG pages in a folder.

use std::path::PathBuf;

use clap::Args;

use super::ImportArgs;
use crate::i18n::{Lang, T, format};
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
    let (doc, _) = super::export::load_input(&args.input, &args.import, lang, &prepare)?;
    if args.per_municipality {
        return per_municipality(args, &doc, png, lang);
    }
    write_report(
        args,
        &doc,
        args.municipality.as_deref(),
        &args.out,
        png,
        lang,
    )
}

/// One report per municipality into the folder `--out`.
fn per_municipality(
    args: &ReportArgs,
    doc: &crate::document::Document,
    png: bool,
    lang: Lang,
) -> Result<String, String> {
    let file = args.out.display().to_string();
    std::fs::create_dir_all(&args.out).map_err(|e| {
        lang.tf(
            T::ExportWriteFailed,
            &[("file", &file), ("reason", &e.to_string())],
        )
    })?;
    let mut notes = Vec::new();
    for m in &doc.region.municipalities {
        let stem = format!("profile_{}", crate::export::map::file_stem(&m.name));
        let out = if png {
            args.out.join(stem)
        } else {
            args.out.join(format!("{stem}.pdf"))
        };
        notes.push(write_report(args, doc, Some(&m.name), &out, png, lang)?);
    }
    Ok(notes.join("\n"))
}

/// Writes the report of `municipality` (None: all areas) to `out`.
fn write_report(
    args: &ReportArgs,
    doc: &crate::document::Document,
    municipality: Option<&str>,
    out: &std::path::Path,
    png: bool,
    lang: Lang,
) -> Result<String, String> {
    let today = crate::export::map::today();
    let px_per_pt = if png {
        args.dpi.clamp(36, 600) as f32 / 72.0
    } else {
        1.0
    };
    let crate::export::report::Report {
        pages,
        areas: numbers,
        bookmarks,
    } = crate::export::report::report_pages(
        doc,
        municipality,
        args.source.as_deref(),
        px_per_pt,
        today,
        lang,
    )
    .map_err(|e| e.describe(doc, lang))?;
    let file = out.display().to_string();
    let write_failed = |e: &dyn std::fmt::Display| {
        lang.tf(
            T::ExportWriteFailed,
            &[("file", &file), ("reason", &e.to_string())],
        )
    };
    if png {
        std::fs::create_dir_all(out).map_err(|e| write_failed(&e))?;
        for (k, page) in pages.iter().enumerate() {
            let bytes = crate::render::raster::png(page).map_err(|e| write_failed(&e))?;
            let path = out.join(format!("seite_{:03}.png", k + 1));
            crate::io::atomic::write_atomically(&path, &bytes).map_err(|e| write_failed(&e))?;
        }
    } else {
        let bytes =
            crate::render::pdf::pdf_pages(&pages, &bookmarks).map_err(|e| write_failed(&e))?;
        crate::io::atomic::write_atomically(out, &bytes).map_err(|e| write_failed(&e))?;
    }
    Ok(lang.tf(
        T::ReportWritten,
        &[
            ("file", &file),
            ("pages", &format::count(pages.len(), lang)),
            ("areas", &format::count(numbers.len(), lang)),
        ],
    ))
}
