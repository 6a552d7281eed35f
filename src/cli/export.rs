//! `export`: map files without a window — PNG, SVG or PDF, one map or one per municipality,
//! through the same [`crate::export::map`] code as the export dialog.
//!
//! INPUT is a project file (its stored view is the default) or any boundary file. For one map
//! the geometry is prepared for the page's scale only (one simplified level, no triangles),
//! which is what makes a whole-country export fast.

use std::path::PathBuf;

use clap::Args;

use super::ImportArgs;
use crate::analysis::breaks::BreakMethod;
use crate::document::Document;
use crate::export::map::{
    ExportOptions, Extent, MapSnapshot, PageSize, compose_page, municipality_extent, today,
    write_page,
};
use crate::export::request::{ExportRequest, ExportTarget, run as run_request};
use crate::i18n::{Lang, T};
use crate::io::project;
use crate::io::{Progress, import_file};
use crate::render::Format;
use crate::scene::page::Corner;
use crate::scene::{Colouring, IndicatorStyle, ViewSettings};
use crate::spatial::prepared::{Detail, PreparedMap};

/// Options of `export`.
#[derive(Debug, Clone, Args)]
pub struct ExportArgs {
    /// The project file or boundary file.
    pub input: PathBuf,
    /// The file to write: .png, .svg or .pdf.
    #[arg(long, required_unless_present_any = ["per_municipality", "views"])]
    pub out: Option<PathBuf>,
    /// One map per municipality into this folder, named by municipality.
    #[arg(long, conflicts_with_all = ["out", "municipality", "views"])]
    pub per_municipality: Option<PathBuf>,
    /// One map per saved view of a project into this folder, numbered and named by view.
    #[arg(long, conflicts_with_all = ["out", "municipality"])]
    pub views: Option<PathBuf>,
    /// Format for --per-municipality and --views: png (default), svg or pdf.
    #[arg(long)]
    pub format: Option<String>,
    /// Size in pixels, e.g. 1920x1080 (default), 3840x2160.
    #[arg(long, conflicts_with = "paper")]
    pub size: Option<String>,
    /// Paper instead of pixels: a4-landscape, a4-portrait, a3-landscape, a3-portrait.
    #[arg(long)]
    pub paper: Option<String>,
    /// Resolution for --paper (default 150).
    #[arg(long, requires = "paper")]
    pub dpi: Option<u32>,
    /// handlungsfeld (default), abdeckung, or the key of an indicator / numeric property.
    #[arg(long)]
    pub color_by: Option<String>,
    /// An indicator map of this year (default: the latest).
    #[arg(long, conflicts_with = "change")]
    pub year: Option<String>,
    /// A change map between two years, e.g. 2017:2023 (diverging colours around 0).
    #[arg(long)]
    pub change: Option<String>,
    /// How the change is measured: differenz (default; percentage points for shares) or
    /// relativ (in percent of the earlier value).
    #[arg(long, requires = "change")]
    pub change_measure: Option<String>,
    /// Status × dynamics of the --color-by indicator (usually an index): status in the later
    /// year of --change, dynamics since the earlier one (default: the first and the latest year).
    #[arg(long, requires = "color_by", conflicts_with = "year")]
    pub typology: bool,
    /// Classes of an indicator map, e.g. quantile:5, jenks:7, equal:4, stddev:5.
    #[arg(long)]
    pub classes: Option<String>,
    /// Title above the map (default: the map's title).
    #[arg(long)]
    pub title: Option<String>,
    /// Subtitle (default: what the map is coloured by).
    #[arg(long)]
    pub subtitle: Option<String>,
    /// Show only this municipality (by name), the others greyed.
    #[arg(long)]
    pub municipality: Option<String>,
    /// Legend corner: bottom-right (default), bottom-left, top-right, top-left, or none.
    #[arg(long)]
    pub legend: Option<String>,
    /// Leave out the scale bar.
    #[arg(long)]
    pub no_scale_bar: bool,
    /// Leave out the north arrow.
    #[arg(long)]
    pub no_north_arrow: bool,
    /// Give every Handlungsfeld a hatch of its own, readable without colour.
    #[arg(long)]
    pub field_patterns: bool,
    /// Source line (default: "Stand: TODAY · Datenstand: YEAR · ATTRIBUTION").
    #[arg(long)]
    pub source: Option<String>,
    /// Indicator tables (CSV/XLSX) to join before drawing, as for `classify`: colour by one
    /// of their indicators with --color-by.
    #[command(flatten)]
    pub join: super::JoinArgs,
    /// Import choices for a boundary file.
    #[command(flatten)]
    pub import: ImportArgs,
}

fn page_size(args: &ExportArgs, lang: Lang) -> Result<PageSize, String> {
    if let Some(paper) = &args.paper {
        let dpi = args.dpi.unwrap_or(150);
        return PageSize::parse_paper(paper, dpi).ok_or_else(|| {
            lang.tf(
                T::CliBadPaper,
                &[("value", &format!("{paper} @ {dpi} dpi"))],
            )
        });
    }
    let text = args.size.as_deref().unwrap_or("1920x1080");
    PageSize::parse_pixels(text).ok_or_else(|| lang.tf(T::CliBadSize, &[("value", text)]))
}

fn legend_corner(args: &ExportArgs, lang: Lang) -> Result<Option<Corner>, String> {
    let Some(text) = args.legend.as_deref() else {
        return Ok(Some(Corner::BottomRight));
    };
    Ok(Some(match text.to_lowercase().as_str() {
        "none" | "keine" | "aus" | "off" => return Ok(None),
        "bottom-right" | "unten-rechts" => Corner::BottomRight,
        "bottom-left" | "unten-links" => Corner::BottomLeft,
        "top-right" | "oben-rechts" => Corner::TopRight,
        "top-left" | "oben-links" => Corner::TopLeft,
        _ => return Err(lang.tf(T::CliBadLegend, &[("value", text)])),
    }))
}

/// The finest scale (metres per pixel) `extent` can have on the page: filling all of it.
/// Margins, title and legend only ever make the map smaller, i.e. coarser than this.
fn scale_for(extent: [f64; 4], width: u32, height: u32) -> f64 {
    ((extent[2] - extent[0]) / f64::from(width)).max((extent[3] - extent[1]) / f64::from(height))
}

/// Loads INPUT with geometry prepared by `prepare`, and the view a project stores.
fn load(
    args: &ExportArgs,
    lang: Lang,
    prepare: &dyn Fn(&crate::model::Region) -> PreparedMap,
) -> Result<(Document, ViewSettings), String> {
    let mut options = args.import.options();
    // One picture shows colours, names and borders, never an area's properties: only a
    // join (which matches table rows by them) and the atlas of every municipality (which
    // shares this code) keep them.
    options.drop_properties =
        args.per_municipality.is_none() && args.views.is_none() && args.join.indicators.is_empty();
    load_input(&args.input, &options, lang, prepare)
}

/// Loads a project (read only, with its measures and stored view) or a boundary file.
pub(super) fn load_input(
    input: &std::path::Path,
    options: &crate::io::ImportOptions,
    lang: Lang,
    prepare: &dyn Fn(&crate::model::Region) -> PreparedMap,
) -> Result<(Document, ViewSettings), String> {
    let mut view = ViewSettings {
        lang,
        ..ViewSettings::default()
    };
    if project::kind(input) != project::Kind::Other {
        let opened = project::open_to_read(input, options, &Progress::default())
            .map_err(|e| e.describe(lang))?;
        let project::OpenedProject {
            imported,
            measures,
            view: stored,
            store: _,
        } = opened;
        let map = Document::from_project_with(
            imported,
            measures,
            stored.views.clone(),
            input.to_path_buf(),
            Detail::Full,
            prepare,
        );
        crate::document::view::apply_stored(&mut view, &stored, &map.indicators);
        return Ok((map, view));
    }
    let imported =
        import_file(input, options, &Progress::default()).map_err(|e| e.describe(lang))?;
    Ok((
        Document::from_import_with(imported, Some(input.to_path_buf()), Detail::Full, prepare),
        view,
    ))
}

fn colouring(
    args: &ExportArgs,
    map: &Document,
    current: Colouring,
    lang: Lang,
) -> Result<Colouring, String> {
    let colouring = chosen_colouring(args, map, current, lang)?;
    if args.year.is_none() && args.change.is_none() && !args.typology {
        return Ok(colouring);
    }
    let Colouring::Indicator(mut style) = colouring else {
        return Err(lang.t(T::CliYearNeedsIndicator).to_string());
    };
    let position = map.indicators.position(&style.key).unwrap_or_default();
    let years = map.indicators.years(position);
    let year = |text: &str| -> Result<crate::model::Year, String> {
        crate::model::parse_year(text)
            .filter(|y| years.contains(y))
            .ok_or_else(|| {
                lang.tf(
                    T::CliUnknownYear,
                    &[
                        ("value", text),
                        ("years", &crate::i18n::format::years(years, lang)),
                    ],
                )
            })
    };
    if let Some(text) = &args.year {
        style.year = Some(year(text)?);
    }
    if let Some(text) = &args.change {
        let (a, b) = text
            .split_once([':', '-', '–'])
            .ok_or_else(|| lang.tf(T::CliBadChange, &[("value", text)]))?;
        let (from, to) = (year(a)?, year(b)?);
        if from == to {
            return Err(lang.tf(T::CliBadChange, &[("value", text)]));
        }
        let measure = match &args.change_measure {
            Some(m) => crate::model::ChangeMeasure::parse(m)
                .ok_or_else(|| lang.tf(T::CliBadChangeMeasure, &[("value", m)]))?,
            None => crate::model::ChangeMeasure::Difference,
        };
        style.change = Some(crate::model::Change {
            from: from.min(to),
            to: from.max(to),
            measure,
        });
    }
    if args.typology {
        let (Some(&first), Some(&last)) = (years.first(), years.last()) else {
            return Err(lang.tf(
                T::CliUnknownYear,
                &[("value", "--typology"), ("years", lang.t(T::CliNoYears))],
            ));
        };
        let (from, to) = style.change.map_or((first, last), |c| (c.from, c.to));
        if from == to {
            return Err(lang.tf(T::CliBadChange, &[("value", &format!("{from}:{to}"))]));
        }
        return Ok(Colouring::Typology(
            crate::analysis::typology::TypologySpec::new(&style.key, from, to),
        ));
    }
    Ok(Colouring::Indicator(style))
}

/// What --color-by names, or the stored colouring.
fn chosen_colouring(
    args: &ExportArgs,
    map: &Document,
    current: Colouring,
    lang: Lang,
) -> Result<Colouring, String> {
    let Some(key) = args.color_by.as_deref() else {
        return Ok(current);
    };
    match key.to_lowercase().as_str() {
        "handlungsfeld" | "handlungsfelder" | "fields" => return Ok(Colouring::ActionFields),
        "abdeckung" | "coverage" => return Ok(Colouring::Coverage),
        _ => {}
    }
    let position = map.indicators.position(key).ok_or_else(|| {
        let keys: Vec<&str> = map
            .indicators
            .indicators()
            .iter()
            .map(|i| i.key.as_str())
            .collect();
        lang.tf(
            T::CliUnknownIndicator,
            &[("key", key), ("keys", &keys.join(", "))],
        )
    })?;
    let mut style = IndicatorStyle::for_indicator(&map.indicators.indicators()[position]);
    if let Some(classes) = &args.classes {
        let (method, n) = classes.split_once(':').unwrap_or((classes.as_str(), "5"));
        style.method = BreakMethod::parse(method)
            .ok_or_else(|| lang.tf(T::CliBadClasses, &[("value", classes)]))?;
        style.classes = n
            .trim()
            .parse::<usize>()
            .ok()
            .filter(|n| (3..=9).contains(n))
            .ok_or_else(|| lang.tf(T::CliBadClasses, &[("value", classes)]))?;
    }
    Ok(Colouring::Indicator(style))
}

fn format_of(args: &ExportArgs, lang: Lang) -> Result<Format, String> {
    if let Some(out) = &args.out {
        return Format::of(out).ok_or_else(|| {
            let ext = out
                .extension()
                .map(|e| e.to_string_lossy().into_owned())
                .unwrap_or_default();
            lang.tf(
                T::CliExportFormat,
                &[("file", &out.display().to_string()), ("ext", &ext)],
            )
        });
    }
    let name = args.format.as_deref().unwrap_or("png");
    Format::of(std::path::Path::new(&format!("x.{name}")))
        .ok_or_else(|| lang.tf(T::CliExportFormat, &[("file", "--format"), ("ext", name)]))
}

/// Runs `export`; returns the message to print or the error.
pub fn run(args: &ExportArgs, lang: Lang) -> Result<String, String> {
    let format = format_of(args, lang)?;
    let size = page_size(args, lang)?;
    let legend = legend_corner(args, lang)?;
    let (width, height, _, _) = size.pixels();
    let timing = std::env::var("SOZIALRAUM_ATLAS_TIMING").is_ok_and(|v| v == "1");
    let started = std::time::Instant::now();
    // One map: geometry for its one scale. An atlas: every zoom level.
    let one_map = args.per_municipality.is_none() && args.views.is_none();
    let municipality = args.municipality.clone();
    let prepare = |region: &crate::model::Region| {
        if !one_map {
            return PreparedMap::prepare(region, Detail::Full, &|_| {});
        }
        let whole = crate::spatial::prepared::region_extent(region);
        PreparedMap::prepare_for_scale(region, scale_for(whole, width, height))
    };
    let (mut loaded, mut view) = load(args, lang, &prepare)?;
    let mut joined_note = None;
    if !args.join.indicators.is_empty() {
        let mut merged = (*loaded.indicators).clone();
        joined_note =
            Some(super::join_into(&loaded.region, &mut merged, &args.join, lang)?.join("\n"));
        loaded.indicators = std::sync::Arc::new(merged);
        loaded.refresh();
    }
    let mut map = MapSnapshot::of(&loaded);
    if let (true, Some(name)) = (one_map, &municipality) {
        // The municipality fills the page: prepare for its finer scale.
        let extent = municipality_extent(&map, name)
            .ok_or_else(|| lang.tf(T::ExportUnknownMunicipality, &[("name", name)]))?;
        map.prepared = std::sync::Arc::new(PreparedMap::prepare_for_scale(
            &map.region,
            scale_for(extent, width, height),
        ));
    }
    if timing {
        crate::io::console::err_line(&format!(
            "timing: loaded and prepared in {:.0} ms",
            started.elapsed().as_secs_f64() * 1000.0
        ));
    }
    view.colouring = colouring(args, &loaded, view.colouring.clone(), lang)?;
    view.field_patterns |= args.field_patterns;
    let mut options = ExportOptions::defaults(&map, &view, today());
    options.format = format;
    options.size = size;
    options.legend = legend;
    options.scale_bar = !args.no_scale_bar;
    options.north_arrow = !args.no_north_arrow;
    if let Some(title) = &args.title {
        options.title = title.clone();
    }
    if let Some(subtitle) = &args.subtitle {
        options.subtitle = subtitle.clone();
    }
    if let Some(source) = &args.source {
        options.source_line = source.clone();
    }
    if let Some(name) = &municipality {
        options.extent = Extent::Municipality(name.clone());
        if args.subtitle.is_none() {
            options.subtitle = format!("{name} – {}", options.subtitle);
        }
    }
    let target = match (&args.views, &args.per_municipality) {
        (Some(dir), _) => Some(ExportTarget::Views(dir.clone(), loaded.saved_views.clone())),
        (None, Some(dir)) => Some(ExportTarget::Folder(dir.clone())),
        (None, None) => None,
    };
    let mut message = match target {
        Some(target) => {
            let message = run_request(&map, &view, &ExportRequest { options, target }, lang)?;
            // The process ends after this: handing hundreds of MB back to the allocator
            // piece by piece would only add 40 ms to a whole-country export.
            std::mem::forget(map);
            std::mem::forget(loaded);
            message
        }
        None => {
            // One picture: once it is laid out, the map is let go of while the page is drawn
            // and encoded (for a country the geometry and properties are half the memory;
            // freeing them on a thread of its own keeps that work beside the drawing).
            let out = args.out.clone().unwrap_or_default();
            let page = compose_page(&map, &view, &options, None).map_err(|e| e.describe(lang))?;
            // Where no thread can be started (the system is out of them), the map is freed
            // right here instead: `spawn` drops what it could not hand over.
            let freeing = std::thread::Builder::new().spawn(move || drop((map, loaded)));
            let written = write_page(&page, options.format, &out);
            // A panic while freeing cannot touch the file, which is written by now.
            if let Ok(freeing) = freeing {
                let _ = freeing.join();
            }
            written.map_err(|e| e.describe(lang))?;
            lang.tf(T::ExportSaved, &[("file", &out.display().to_string())])
        }
    };
    if let Some(note) = joined_note {
        message = format!("{note}\n{message}");
    }
    if timing {
        crate::io::console::err_line(&format!(
            "timing: written after {:.0} ms",
            started.elapsed().as_secs_f64() * 1000.0
        ));
    }
    Ok(message)
}
