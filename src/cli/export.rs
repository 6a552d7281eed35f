//! `export`: a map image without a window — the same scene as on screen, drawn by the CPU
//! backend ([`crate::render::raster`]) into a PNG.
//!
//! INPUT is a project file (its stored view is the default) or any boundary file; the
//! colouring, classes, size and title come from the options.

use std::path::{Path, PathBuf};

use clap::Args;
use geo::{Distance, Haversine, Point};

use super::ImportArgs;
use crate::analysis::breaks::BreakMethod;
use crate::app::LoadedMap;
use crate::i18n::{Lang, T, format};
use crate::io::project;
use crate::io::{Progress, import_file};
use crate::render::raster::{PageLayout, render};
use crate::scene::{Colouring, IndicatorStyle, Scene, ViewSettings};
use crate::spatial::prepared::{Detail, PreparedMap};

/// Options of `export`.
#[derive(Debug, Clone, Args)]
pub struct ExportArgs {
    /// The project file or boundary file.
    pub input: PathBuf,
    /// The image to write (.png).
    #[arg(long)]
    pub out: PathBuf,
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
    /// Classes of an indicator map, e.g. quantile:5, jenks:7, equal:4, stddev:5.
    #[arg(long)]
    pub classes: Option<String>,
    /// Title above the map (default: the map's title).
    #[arg(long)]
    pub title: Option<String>,
    /// Import choices for a boundary file.
    #[command(flatten)]
    pub import: ImportArgs,
}

/// Pixel size and pixels per point of the requested page.
fn page_size(args: &ExportArgs, lang: Lang) -> Result<(u32, u32, f32), String> {
    if let Some(paper) = &args.paper {
        let dpi = args.dpi.unwrap_or(150);
        let (w_mm, h_mm) = match paper.to_lowercase().as_str() {
            "a4-landscape" | "a4-quer" => (297.0, 210.0),
            "a4-portrait" | "a4-hoch" | "a4" => (210.0, 297.0),
            "a3-landscape" | "a3-quer" => (420.0, 297.0),
            "a3-portrait" | "a3-hoch" | "a3" => (297.0, 420.0),
            other => return Err(lang.tf(T::CliBadPaper, &[("value", other)])),
        };
        let px = |mm: f64| (mm / 25.4 * f64::from(dpi)).round() as u32;
        return Ok((px(w_mm), px(h_mm), dpi as f32 / 72.0));
    }
    let text = args.size.as_deref().unwrap_or("1920x1080");
    let parsed = text
        .split_once(['x', 'X', '×'])
        .and_then(|(w, h)| Some((w.trim().parse::<u32>().ok()?, h.trim().parse::<u32>().ok()?)))
        .filter(|(w, h)| (16..=20_000).contains(w) && (16..=20_000).contains(h));
    let (w, h) = parsed.ok_or_else(|| lang.tf(T::CliBadSize, &[("value", text)]))?;
    // Screen sizes: text sized for a 1920 px wide slide, larger images scale up.
    Ok((w, h, (w.max(h) as f32 / 1920.0).max(1.0)))
}

/// Metres per pixel to prepare geometry for: a map showing all of `region` on the page.
fn scale_for(region: &crate::model::Region, width: u32, height: u32) -> f64 {
    let b = region
        .spaces
        .iter()
        .filter_map(|s| crate::spatial::index::bounds_of(&s.geometry))
        .reduce(|a, b| {
            [
                a[0].min(b[0]),
                a[1].min(b[1]),
                a[2].max(b[2]),
                a[3].max(b[3]),
            ]
        })
        .unwrap_or([0.0, 0.0, 1.0, 1.0]);
    let fit = ((b[2] - b[0]) / f64::from(width)).max((b[3] - b[1]) / f64::from(height));
    // Margins and legend only ever make the map smaller, i.e. coarser than this: half of it
    // keeps every simplification under half a pixel.
    fit * 0.5
}

fn load(
    args: &ExportArgs,
    size: (u32, u32),
    lang: Lang,
) -> Result<(LoadedMap, ViewSettings), String> {
    let prepare = |region: &crate::model::Region| {
        PreparedMap::prepare_for_scale(region, scale_for(region, size.0, size.1))
    };
    let mut view = ViewSettings {
        lang,
        ..ViewSettings::default()
    };
    if project::is_project(&args.input) {
        let opened = project::open(&args.input, &args.import.options(), &Progress::default())
            .map_err(|e| e.describe(lang))?;
        let mut map =
            LoadedMap::from_project_with(opened, args.input.clone(), Detail::Full, prepare);
        if let Some(stored) = map.stored_view.take() {
            crate::app::apply_stored_view(&mut view, &stored, &map.indicators);
        }
        return Ok((map, view));
    }
    let imported = import_file(&args.input, &args.import.options(), &Progress::default())
        .map_err(|e| e.describe(lang))?;
    Ok((
        LoadedMap::from_import_with(imported, Some(args.input.clone()), Detail::Full, prepare),
        view,
    ))
}

fn colouring(
    args: &ExportArgs,
    map: &LoadedMap,
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

/// Ground metres per planar metre at the centre of `extent` (UTM's scale factor, Web Mercator's
/// latitude stretch): the scale bar must be true on the ground.
fn ground_per_planar(map: &LoadedMap, extent: [f64; 4]) -> f64 {
    let Some(t) = &map.to_lonlat else {
        return 1.0;
    };
    let c = [(extent[0] + extent[2]) / 2.0, (extent[1] + extent[3]) / 2.0];
    match (t.point([c[0] - 500.0, c[1]]), t.point([c[0] + 500.0, c[1]])) {
        (Ok(a), Ok(b)) => {
            Haversine.distance(Point::new(a[0], a[1]), Point::new(b[0], b[1])) / 1000.0
        }
        _ => 1.0,
    }
}

/// Runs `export`; returns the message to print or the error.
pub fn run(args: &ExportArgs, lang: Lang) -> Result<String, String> {
    let extension = args
        .out
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    if extension != "png" {
        return Err(lang.tf(
            T::CliExportFormat,
            &[
                ("file", &args.out.display().to_string()),
                ("ext", &extension),
            ],
        ));
    }
    let (width, height, px_per_pt) = page_size(args, lang)?;
    let (map, mut view) = load(args, (width, height), lang)?;
    view.colouring = colouring(args, &map, view.colouring.clone(), lang)?;
    let scene = Scene::build(map.scene_input(), &view);
    let extent = map.prepared.bounds;
    let year = map.region.source.data_year.clone();
    let today =
        crate::model::Date::from_days_since_epoch(crate::app::state_clock().0.div_euclid(86_400));
    let mut source = format!("{}: {}", lang.t(T::ExportAsOf), format::date(today, lang));
    if let Some(year) = year {
        source = format!("{} · {}: {year}", source, lang.t(T::ExportDataYear));
    }
    source = format!("{source} · {}", scene.attribution);
    let layout = PageLayout {
        width_px: width,
        height_px: height,
        px_per_pt,
        title: Some(
            args.title
                .clone()
                .unwrap_or_else(|| map.region.title.clone()),
        ),
        subtitle: Some(scene.legend.title.clone()),
        legend: true,
        scale_bar: true,
        north_arrow: true,
        source_line: Some(source),
    };
    let pixmap = render(
        &scene,
        &map.prepared,
        extent,
        ground_per_planar(&map, extent),
        &layout,
        lang,
    )
    .map_err(|e| format!("{}: {e}", args.out.display()))?;
    let png = pixmap
        .encode_png()
        .map_err(|e| format!("{}: {e}", args.out.display()))?;
    write(&args.out, &png, lang)?;
    Ok(lang.tf(
        T::CliExported,
        &[
            ("file", &args.out.display().to_string()),
            ("w", &width.to_string()),
            ("h", &height.to_string()),
        ],
    ))
}

fn write(path: &Path, bytes: &[u8], lang: Lang) -> Result<(), String> {
    crate::io::atomic::write_atomically(path, bytes).map_err(|e| {
        if lang == Lang::De {
            format!("{}: kann nicht geschrieben werden: {e}", path.display())
        } else {
            format!("{}: cannot be written: {e}", path.display())
        }
    })
}
