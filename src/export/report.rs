//! The report of Sozialraumprofile: a cover page, the contents with page numbers, then one
//! profile page per area in code order (all areas, or one municipality's).

use crate::analysis::rules::Evaluator;
use crate::document::Document;
use crate::i18n::{Lang, T, format};
use crate::model::{Date, Measure, natural_cmp};
use crate::scene::font::Font;
use crate::scene::index_sheet::{LineKind, SheetLine};
use crate::scene::page::Page;
use crate::scene::page::profile::profile_page;
use crate::scene::page::text::text_pages;
use crate::scene::profile::ProfileInput;

/// Why there is no report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReportError {
    /// No municipality of that name.
    UnknownMunicipality(String),
    /// The embedded font cannot be read (a broken build).
    Font,
}

impl ReportError {
    /// The message for the user.
    pub fn describe(&self, doc: &Document, lang: Lang) -> String {
        match self {
            ReportError::UnknownMunicipality(name) => {
                let names: Vec<&str> = doc
                    .region
                    .municipalities
                    .iter()
                    .map(|m| m.name.as_str())
                    .collect();
                lang.tf(
                    T::ReportUnknownMunicipality,
                    &[("name", name), ("list", &names.join(", "))],
                )
            }
            ReportError::Font => "font".to_string(),
        }
    }
}

/// The areas of the report in code order: all, or those of `municipality`.
pub fn report_areas(doc: &Document, municipality: Option<&str>) -> Result<Vec<usize>, ReportError> {
    let region = &doc.region;
    let mut areas: Vec<usize> = match municipality {
        None => (0..region.spaces.len()).collect(),
        Some(name) => region
            .municipalities
            .iter()
            .find(|m| m.name == name)
            .map(|m| m.spaces.clone())
            .ok_or_else(|| ReportError::UnknownMunicipality(name.to_string()))?,
    };
    areas.sort_by(|a, b| natural_cmp(&region.spaces[*a].code, &region.spaces[*b].code));
    Ok(areas)
}

/// The map of the Handlungsfelder of the areas in the report, on an A4 portrait page.
fn overview(
    doc: &Document,
    snapshot: &super::map::MapSnapshot,
    municipality: Option<&str>,
    source_line: &str,
    px_per_pt: f32,
    today: Date,
    lang: Lang,
) -> Result<Page, ReportError> {
    use super::map::{ExportOptions, Extent, PageSize, Paper, compose_page};
    let view = crate::scene::ViewSettings {
        lang,
        ..crate::scene::ViewSettings::default()
    };
    let mut options = ExportOptions::defaults(snapshot, &view, today);
    options.size = PageSize::Paper {
        paper: Paper::A4,
        landscape: false,
        dpi: (px_per_pt * 72.0).round().max(18.0) as u32,
    };
    options.extent = municipality.map_or(Extent::Whole, |m| Extent::Municipality(m.to_string()));
    options.title = doc.region.title.clone();
    options.subtitle = match municipality {
        Some(m) => format!("{m} · {}", lang.t(T::LegendTitle)),
        None => lang.t(T::LegendTitle).to_string(),
    };
    options.source_line = source_line.to_string();
    compose_page(snapshot, &view, &options, None).map_err(|_| ReportError::Font)
}

fn line(kind: LineKind, text: String) -> SheetLine {
    SheetLine {
        kind,
        text,
        link: None,
    }
}

/// The pages of a report, and per area shown (its index) the number of its page.
pub struct Report {
    /// Every page, in order.
    pub pages: Vec<Page>,
    /// (area, page number from 1), in code order.
    pub areas: Vec<(usize, usize)>,
    /// The document's outline: (title, page index from 0).
    pub bookmarks: Vec<(String, usize)>,
}

/// Every page of the report at `px_per_pt` pixels per point (`source` replaces the source line
/// with its date), and per area its page number.
pub fn report_pages(
    doc: &Document,
    municipality: Option<&str>,
    source: Option<&str>,
    px_per_pt: f32,
    today: Date,
    lang: Lang,
) -> Result<Report, ReportError> {
    let font = Font::embedded().ok_or(ReportError::Font)?;
    let areas = report_areas(doc, municipality)?;
    let region = &doc.region;
    let snapshot = super::map::MapSnapshot::of(doc);
    let source_line = source.map_or_else(
        || super::map::source_line(&snapshot, today, lang),
        str::to_string,
    );
    let mut cover = vec![
        line(LineKind::Title, lang.t(T::ProfilesTitle).to_string()),
        line(LineKind::Body, region.title.clone()),
    ];
    if let Some(m) = municipality {
        cover.push(line(LineKind::Heading, m.to_string()));
    }
    cover.push(line(
        LineKind::Body,
        lang.tf(T::ReportCount, &[("n", &format::count(areas.len(), lang))]),
    ));
    if region.source.synthetic {
        cover.push(line(LineKind::Body, lang.t(T::SyntheticBadge).to_string()));
    }
    cover.push(line(LineKind::Small, source_line.clone()));
    let cover_pages = text_pages(&cover, &font, px_per_pt);
    let contents = |first: usize| -> Vec<SheetLine> {
        let mut lines = vec![line(LineKind::Title, lang.t(T::ReportContents).to_string())];
        for (k, &i) in areas.iter().enumerate() {
            let mut entry = line(
                LineKind::Item,
                lang.tf(
                    T::ReportContentsLine,
                    &[
                        ("area", &region.spaces[i].display_name()),
                        ("page", &(first + k).to_string()),
                    ],
                ),
            );
            // A click on the line goes to the page (indices count from 0).
            entry.link = Some(first + k - 1);
            lines.push(entry);
        }
        lines
    };
    // The contents' own length decides where the profiles begin (after the overview map).
    let guess = text_pages(&contents(1000), &font, px_per_pt).len();
    let first = cover_pages.len() + guess + 2;
    let contents_pages = text_pages(&contents(first), &font, px_per_pt);
    let mut bookmarks = vec![(lang.t(T::ReportContents).to_string(), cover_pages.len())];
    let mut pages = cover_pages;
    pages.extend(contents_pages);
    bookmarks.push((lang.t(T::ReportOverview).to_string(), pages.len()));
    pages.push(overview(
        doc,
        &snapshot,
        municipality,
        &source_line,
        px_per_pt,
        today,
        lang,
    )?);
    let evaluator = Evaluator::new(region, &doc.indicators, &doc.rules);
    let mut numbers = Vec::with_capacity(areas.len());
    for &i in &areas {
        numbers.push((i, pages.len() + 1));
        bookmarks.push((region.spaces[i].display_name(), pages.len()));
        pages.push(profile(
            doc,
            &evaluator,
            i,
            &source_line,
            &font,
            px_per_pt,
            lang,
        ));
    }
    Ok(Report {
        pages,
        areas: numbers,
        bookmarks,
    })
}

/// What to write: the file (or folder), whose areas, as what.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ReportRequest {
    /// The PDF, or the folder of PNG pages or of the per-municipality files.
    pub out: std::path::PathBuf,
    /// Only this municipality's areas.
    pub municipality: Option<String>,
    /// One file per municipality into the folder `out`.
    pub per_municipality: bool,
    /// PNG pages instead of one PDF.
    pub png: bool,
    /// Resolution of PNG pages.
    pub dpi: u32,
    /// The source line instead of the dated one.
    pub source: Option<String>,
}

/// Writes the report as `request` says; returns what was written, one line per file.
pub fn write(
    doc: &Document,
    request: &ReportRequest,
    today: Date,
    lang: Lang,
) -> Result<String, String> {
    if !request.per_municipality {
        return write_one(
            doc,
            request,
            request.municipality.as_deref(),
            &request.out,
            today,
            lang,
        );
    }
    let file = request.out.display().to_string();
    std::fs::create_dir_all(&request.out).map_err(|e| {
        lang.tf(
            T::ExportWriteFailed,
            &[("file", &file), ("reason", &e.to_string())],
        )
    })?;
    let mut notes = Vec::new();
    for m in &doc.region.municipalities {
        let stem = format!("profile_{}", super::map::file_stem(&m.name));
        let out = if request.png {
            request.out.join(stem)
        } else {
            request.out.join(format!("{stem}.pdf"))
        };
        notes.push(write_one(doc, request, Some(&m.name), &out, today, lang)?);
    }
    Ok(notes.join("\n"))
}

/// Writes the report of `municipality` (None: all areas) to `out`.
fn write_one(
    doc: &Document,
    request: &ReportRequest,
    municipality: Option<&str>,
    out: &std::path::Path,
    today: Date,
    lang: Lang,
) -> Result<String, String> {
    let px_per_pt = if request.png {
        request.dpi.clamp(36, 600) as f32 / 72.0
    } else {
        1.0
    };
    let Report {
        pages,
        areas,
        bookmarks,
    } = report_pages(
        doc,
        municipality,
        request.source.as_deref(),
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
    if request.png {
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
            ("areas", &format::count(areas.len(), lang)),
        ],
    ))
}

/// The profile page of area `area`.
fn profile(
    doc: &Document,
    evaluator: &Evaluator<'_>,
    area: usize,
    source_line: &str,
    font: &Font,
    px_per_pt: f32,
    lang: Lang,
) -> Page {
    let code = &doc.region.spaces[area].code;
    let measures: Vec<&Measure> = doc
        .measures
        .all()
        .iter()
        .filter(|m| m.concerns(code))
        .collect();
    let fields = evaluator.explain(area, &doc.overrides);
    let input = ProfileInput {
        region: &doc.region,
        indicators: &doc.indicators,
        stats: &doc.stats.indicators,
        prepared: &doc.prepared,
        fields: &fields,
        measures: &measures,
        area,
        source_line: source_line.to_string(),
    };
    profile_page(&input, font, px_per_pt, lang)
}

/// The profile page of one area (for a preview), at `px_per_pt` pixels per point.
pub fn profile_of(
    doc: &Document,
    area: usize,
    px_per_pt: f32,
    today: Date,
    lang: Lang,
) -> Option<Page> {
    let font = Font::embedded()?;
    doc.region.spaces.get(area)?;
    let snapshot = super::map::MapSnapshot::of(doc);
    let evaluator = Evaluator::new(&doc.region, &doc.indicators, &doc.rules);
    let source_line = super::map::source_line(&snapshot, today, lang);
    Some(profile(
        doc,
        &evaluator,
        area,
        &source_line,
        &font,
        px_per_pt,
        lang,
    ))
}
