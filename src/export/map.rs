//! Map exports as the user asks for them: page size, extent, title, legend, furniture and
//! format, for one file or one file per municipality (a print atlas).
//!
//! The export dialog, its preview and the `export` command all go through
//! [`compose_page`] and [`export_file`], so a preview shows exactly what the file will hold,
//! and the command line and the window write the same files.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use geo::{Distance, Haversine, Point};

use crate::analysis::rules::Classification;
use crate::document::Document;
use crate::i18n::{Lang, T, format};
use crate::model::{Date, IndicatorTable, Region};
use crate::render::{EncodeError, Format, encode};
use crate::scene::SceneInput;
use crate::scene::font::Font;
use crate::scene::page::{Corner, MapSource, Page, PageSpec, compose};
use crate::scene::{Colouring, Scene, ViewSettings};
use crate::spatial::crs::Transformer;
use crate::spatial::prepared::PreparedMap;

/// What an export reads of a map: shared, immutable parts, so an export can run on its own
/// thread while the user goes on working.
#[derive(Debug, Clone)]
pub struct MapSnapshot {
    /// The Sozialräume.
    pub region: Arc<Region>,
    /// Indicator values.
    pub indicators: Arc<IndicatorTable>,
    /// The classification.
    pub classification: Arc<Classification>,
    /// Prepared geometry.
    pub prepared: Arc<PreparedMap>,
    /// Measures per area.
    pub measure_counts: Arc<Vec<usize>>,
    /// Planar CRS to lon/lat.
    pub to_lonlat: Option<Arc<Transformer>>,
}

impl MapSnapshot {
    /// The map as it is now.
    pub fn of(map: &Document) -> MapSnapshot {
        MapSnapshot {
            region: Arc::clone(&map.region),
            indicators: Arc::clone(&map.indicators),
            classification: Arc::clone(&map.classification),
            prepared: Arc::clone(&map.prepared),
            measure_counts: Arc::clone(&map.measure_counts),
            to_lonlat: map.to_lonlat.clone(),
        }
    }

    fn scene_input(&self) -> SceneInput<'_> {
        SceneInput {
            region: &self.region,
            indicators: &self.indicators,
            classification: &self.classification,
            measure_counts: &self.measure_counts,
        }
    }
}

/// A paper format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Paper {
    /// 210 × 297 mm.
    A4,
    /// 297 × 420 mm.
    A3,
}

/// How large the picture is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageSize {
    /// A screen or slide size in pixels; text is sized for a 1920 px wide slide.
    Pixels {
        /// Width.
        width: u32,
        /// Height.
        height: u32,
    },
    /// A paper size at a resolution.
    Paper {
        /// A4 or A3.
        paper: Paper,
        /// Landscape (else portrait).
        landscape: bool,
        /// Dots per inch.
        dpi: u32,
    },
}

impl Default for PageSize {
    fn default() -> Self {
        PageSize::Pixels {
            width: 1920,
            height: 1080,
        }
    }
}

/// Sides of 16 to 20,000 pixels.
pub const SIDE_RANGE: std::ops::RangeInclusive<u32> = 16..=20_000;

impl PageSize {
    /// Width and height in pixels, pixels per point, and the paper size in millimetres.
    pub fn pixels(self) -> (u32, u32, f32, Option<[f32; 2]>) {
        match self {
            PageSize::Pixels { width, height } => (
                width,
                height,
                (width.max(height) as f32 / 1920.0).max(1.0),
                None,
            ),
            PageSize::Paper {
                paper,
                landscape,
                dpi,
            } => {
                let (short, long) = match paper {
                    Paper::A4 => (210.0, 297.0),
                    Paper::A3 => (297.0, 420.0),
                };
                let (w, h) = if landscape {
                    (long, short)
                } else {
                    (short, long)
                };
                let px = |mm: f64| (mm / 25.4 * f64::from(dpi)).round() as u32;
                (px(w), px(h), dpi as f32 / 72.0, Some([w as f32, h as f32]))
            }
        }
    }

    /// Parses `1920x1080` (also `×`), with sides of 16 to 20,000 pixels.
    pub fn parse_pixels(text: &str) -> Option<PageSize> {
        let (w, h) = text.split_once(['x', 'X', '×'])?;
        let (width, height) = (w.trim().parse::<u32>().ok()?, h.trim().parse::<u32>().ok()?);
        (SIDE_RANGE.contains(&width) && SIDE_RANGE.contains(&height))
            .then_some(PageSize::Pixels { width, height })
    }

    /// Parses `a4-landscape`, `a3-portrait`, `a4-quer`, `a4-hoch`, `a4`, … at `dpi`.
    pub fn parse_paper(text: &str, dpi: u32) -> Option<PageSize> {
        let t = text.trim().to_lowercase();
        let (paper, rest) = if let Some(rest) = t.strip_prefix("a4") {
            (Paper::A4, rest)
        } else if let Some(rest) = t.strip_prefix("a3") {
            (Paper::A3, rest)
        } else {
            return None;
        };
        let landscape = match rest.trim_start_matches(['-', '_', ' ']) {
            "landscape" | "quer" => true,
            "portrait" | "hoch" | "" => false,
            _ => return None,
        };
        (18..=1200).contains(&dpi).then_some(PageSize::Paper {
            paper,
            landscape,
            dpi,
        })
    }
}

/// Which part of the map the picture shows.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Extent {
    /// All areas.
    #[default]
    Whole,
    /// A planar box (the window's current view).
    View([f64; 4]),
    /// One municipality, by name: zoomed to it, the others greyed.
    Municipality(String),
}

/// Everything an export needs beside the map and its view.
#[derive(Debug, Clone, PartialEq)]
pub struct ExportOptions {
    /// File format.
    pub format: Format,
    /// Page size.
    pub size: PageSize,
    /// Part of the map.
    pub extent: Extent,
    /// Title (empty: none).
    pub title: String,
    /// Subtitle (empty: none).
    pub subtitle: String,
    /// The legend's corner, if shown.
    pub legend: Option<Corner>,
    /// Scale bar.
    pub scale_bar: bool,
    /// North arrow.
    pub north_arrow: bool,
    /// Source line (empty: none).
    pub source_line: String,
}

impl ExportOptions {
    /// The defaults for `map` shown as `view`: its title, what it is coloured by, legend bottom
    /// right, scale bar, north arrow and the source line with today's date.
    pub fn defaults(map: &MapSnapshot, view: &ViewSettings, today: Date) -> ExportOptions {
        ExportOptions {
            format: Format::Png,
            size: PageSize::default(),
            extent: Extent::Whole,
            title: map.region.title.clone(),
            subtitle: colouring_name(map, view),
            legend: Some(Corner::BottomRight),
            scale_bar: true,
            north_arrow: true,
            source_line: source_line(map, today, view.lang),
        }
    }
}

/// What the map is coloured by, as a subtitle: "Handlungsfelder", "SGB-II-Quote (Quantile)".
pub fn colouring_name(map: &MapSnapshot, view: &ViewSettings) -> String {
    let lang = view.lang;
    match &view.colouring {
        // No fields to speak of: no subtitle rather than "Handlungsfelder".
        Colouring::ActionFields if !map.classification.classified => String::new(),
        Colouring::ActionFields => lang.t(T::LegendTitle).to_string(),
        Colouring::Coverage => lang.t(T::CoverageTitle).to_string(),
        Colouring::Typology(spec) => {
            let label = map.indicators.label_of(&spec.key, lang.is_english());
            lang.tf(
                T::TypologyTitle,
                &[
                    ("label", &label),
                    ("from", &spec.from.to_string()),
                    ("to", &spec.to.to_string()),
                ],
            )
        }
        Colouring::Indicator(style) => match map.indicators.position(&style.key) {
            Some(p) => format!(
                "{} ({})",
                crate::scene::indicator_map_title(&map.indicators, p, style, lang),
                crate::scene::map_method_name(style, lang)
            ),
            None => lang.t(T::LegendTitle).to_string(),
        },
    }
}

/// "Stand: 25.11.2026 · Datenstand: 2023 · © GeoBasis-DE / BKG 2016".
pub fn source_line(map: &MapSnapshot, today: Date, lang: Lang) -> String {
    let mut line = format!("{}: {}", lang.t(T::ExportAsOf), format::date(today, lang));
    if let Some(year) = &map.region.source.data_year {
        line = format!("{line} · {}: {year}", lang.t(T::ExportDataYear));
    }
    format!(
        "{line} · {}",
        crate::scene::text::attribution(&map.region, lang)
    )
}

/// Today, from the system clock.
pub fn today() -> Date {
    Date::from_days_since_epoch(crate::io::clock::now().0.div_euclid(86_400))
}

/// Why an export failed.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// The municipality is not in the map.
    #[error("unknown municipality {0}")]
    UnknownMunicipality(String),
    /// The map has no municipalities to make an atlas of.
    #[error("no municipalities")]
    NoMunicipalities,
    /// The embedded font is damaged.
    #[error("font")]
    Font,
    /// Drawing or encoding failed.
    #[error(transparent)]
    Encode(#[from] EncodeError),
    /// The file or folder could not be written.
    #[error("{path}: {source}")]
    Write {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
}

impl ExportError {
    /// The message for the user.
    pub fn describe(&self, lang: Lang) -> String {
        match self {
            ExportError::UnknownMunicipality(name) => {
                lang.tf(T::ExportUnknownMunicipality, &[("name", name)])
            }
            ExportError::NoMunicipalities => lang.t(T::ExportNoMunicipalities).to_string(),
            ExportError::Font => lang.t(T::ExportFont).to_string(),
            ExportError::Encode(e) => e.to_string(),
            ExportError::Write { path, source } => lang.tf(
                T::ExportWriteFailed,
                &[
                    ("file", &path.display().to_string()),
                    ("reason", &crate::io::error::io_reason(source, lang)),
                ],
            ),
        }
    }
}

/// The planar box of a municipality's areas, with 3 % room on each side.
pub fn municipality_extent(map: &MapSnapshot, name: &str) -> Option<[f64; 4]> {
    let m = map.region.municipalities.iter().find(|m| m.name == name)?;
    crate::spatial::index::bounds_of_spaces(&map.region, &m.spaces, 0.03)
}

/// Ground metres per planar metre at the centre of `extent` (UTM's scale factor, Web
/// Mercator's latitude stretch): the scale bar must be true on the ground.
pub fn ground_per_planar(map: &MapSnapshot, extent: [f64; 4]) -> f64 {
    let Some(t) = &map.to_lonlat else {
        return 1.0;
    };
    let c = [(extent[0] + extent[2]) / 2.0, (extent[1] + extent[3]) / 2.0];
    match (t.point([c[0] - 500.0, c[1]]), t.point([c[0] + 500.0, c[1]])) {
        (Ok(a), Ok(b)) => {
            let d = Haversine.distance(Point::new(a[0], a[1]), Point::new(b[0], b[1])) / 1000.0;
            if d.is_finite() && d > 0.0 { d } else { 1.0 }
        }
        _ => 1.0,
    }
}

/// The planar box `options.extent` asks for.
pub fn extent_of(map: &MapSnapshot, extent: &Extent) -> Result<[f64; 4], ExportError> {
    match extent {
        Extent::Whole => Ok(map.prepared.bounds),
        Extent::View(b) => Ok(*b),
        Extent::Municipality(name) => municipality_extent(map, name)
            .ok_or_else(|| ExportError::UnknownMunicipality(name.clone())),
    }
}

/// Lays out the page for `options`; `preview_width` (pixels) scales the whole page down for a
/// preview with the same layout.
pub fn compose_page(
    map: &MapSnapshot,
    view: &ViewSettings,
    options: &ExportOptions,
    preview_width: Option<u32>,
) -> Result<Page, ExportError> {
    let extent = extent_of(map, &options.extent)?;
    let mut view = view.clone();
    view.focus = match &options.extent {
        Extent::Municipality(name) => Some(name.clone()),
        Extent::Whole | Extent::View(_) => view.focus,
    };
    let scene = Scene::build(map.scene_input(), &view);
    let (mut width, mut height, mut px_per_pt, paper_mm) = options.size.pixels();
    if let Some(pw) = preview_width.filter(|pw| *pw < width) {
        let k = pw as f32 / width as f32;
        width = pw.max(1);
        height = ((height as f32 * k).round() as u32).max(1);
        px_per_pt *= k;
    }
    let text = |t: &str| (!t.trim().is_empty()).then(|| t.to_string());
    let spec = PageSpec {
        width_px: width,
        height_px: height,
        px_per_pt,
        paper_mm,
        title: text(&options.title),
        subtitle: text(&options.subtitle),
        legend: options.legend,
        scale_bar: options.scale_bar,
        north_arrow: options.north_arrow,
        source_line: text(&options.source_line),
    };
    let font = Font::embedded().ok_or(ExportError::Font)?;
    let source = MapSource {
        scene: &scene,
        prepared: &map.prepared,
        extent,
        ground_per_planar: ground_per_planar(map, extent),
    };
    Ok(compose(source, &spec, &font, view.lang))
}

/// Writes the map to `path` (temporary file, then rename: an existing file is never left
/// half-written).
pub fn export_file(
    map: &MapSnapshot,
    view: &ViewSettings,
    options: &ExportOptions,
    path: &Path,
) -> Result<(), ExportError> {
    let page = compose_page(map, view, options, None)?;
    write_page(&page, options.format, path)
}

/// Encodes a laid-out page and writes it to `path` (atomically).
pub fn write_page(page: &Page, format: Format, path: &Path) -> Result<(), ExportError> {
    let bytes = encode(page, format)?;
    crate::io::atomic::write_atomically(path, &bytes).map_err(|source| ExportError::Write {
        path: path.to_path_buf(),
        source,
    })
}

/// Creates `dir` (and its parents) if missing.
fn create_folder(dir: &Path) -> Result<(), ExportError> {
    std::fs::create_dir_all(dir).map_err(|source| ExportError::Write {
        path: dir.to_path_buf(),
        source,
    })
}

/// A file name for a municipality: letters (umlauts too), digits, `-` and `_`.
pub fn file_stem(name: &str) -> String {
    let mut stem = String::new();
    for c in name.chars() {
        if c.is_alphanumeric() || c == '-' {
            stem.push(c);
        } else if !stem.ends_with('_') && !stem.is_empty() {
            stem.push('_');
        }
    }
    let stem = stem.trim_end_matches('_').to_string();
    if stem.is_empty() {
        "kommune".to_string()
    } else {
        stem
    }
}

/// One file per municipality in `dir` (created if missing), named by the municipality, each
/// zoomed to it with the others greyed; subtitle "Kommune – what it shows". Returns the files
/// in municipality order.
pub fn export_atlas(
    map: &MapSnapshot,
    view: &ViewSettings,
    options: &ExportOptions,
    dir: &Path,
) -> Result<Vec<PathBuf>, ExportError> {
    if map.region.municipalities.is_empty() {
        return Err(ExportError::NoMunicipalities);
    }
    create_folder(dir)?;
    let mut pages: Vec<(PathBuf, ExportOptions)> = Vec::new();
    for m in &map.region.municipalities {
        let mut stem = file_stem(&m.name);
        let mut k = 2;
        while pages
            .iter()
            .any(|(p, _)| p.file_stem().is_some_and(|s| s.to_string_lossy() == stem))
        {
            stem = format!("{}_{k}", file_stem(&m.name));
            k += 1;
        }
        let path = dir.join(format!("{stem}.{}", options.format.extension()));
        let one = ExportOptions {
            extent: Extent::Municipality(m.name.clone()),
            subtitle: if options.subtitle.trim().is_empty() {
                m.name.clone()
            } else {
                format!("{} – {}", m.name, options.subtitle)
            },
            ..options.clone()
        };
        pages.push((path, one));
    }
    export_pages(map, &pages, |_| view.clone())
}

/// Writes `pages` (file, options) on every core; the files in order, or the first error.
fn export_pages(
    map: &MapSnapshot,
    pages: &[(PathBuf, ExportOptions)],
    settings: impl Fn(usize) -> ViewSettings + Sync,
) -> Result<Vec<PathBuf>, ExportError> {
    use rayon::prelude::*;
    pages
        .par_iter()
        .enumerate()
        .map(|(k, (path, one))| export_file(map, &settings(k), one, path).map(|()| path.clone()))
        .collect()
}

/// One file per saved view in `dir` (created if missing), numbered in the views' order and
/// named by the view (`01_Stolberg_Kinderarmut.png`), each with the view's extent, colouring
/// and focus, its name as the subtitle. Returns the files in order.
pub fn export_views(
    map: &MapSnapshot,
    view: &ViewSettings,
    views: &[crate::io::store::SavedView],
    options: &ExportOptions,
    dir: &Path,
) -> Result<Vec<PathBuf>, ExportError> {
    create_folder(dir)?;
    let pages: Vec<(PathBuf, ExportOptions)> = views
        .iter()
        .enumerate()
        .map(|(k, saved)| {
            let one = ExportOptions {
                extent: Extent::View(saved.extent),
                subtitle: saved.name.clone(),
                ..options.clone()
            };
            let path = dir.join(format!(
                "{:02}_{}.{}",
                k + 1,
                file_stem(&saved.name),
                options.format.extension()
            ));
            (path, one)
        })
        .collect();
    export_pages(map, &pages, |k| {
        let mut settings = view.clone();
        if let Some(saved) = views.get(k) {
            crate::document::view::apply_stored(&mut settings, &saved.settings, &map.indicators);
        }
        settings
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_sizes_follow_paper_and_dpi() {
        let cases = [
            ("a4-landscape", 300, (3508, 2480)),
            ("a4-portrait", 150, (1240, 1754)),
            ("A3-quer", 150, (2480, 1754)),
            ("a3", 72, (842, 1191)),
        ];
        for (text, dpi, (w, h)) in cases {
            let size = PageSize::parse_paper(text, dpi).expect(text);
            let (pw, ph, s, paper) = size.pixels();
            assert_eq!((pw, ph), (w, h), "{text} {dpi}");
            assert!(paper.is_some());
            assert!((s - dpi as f32 / 72.0).abs() < 1e-6);
        }
        assert!(PageSize::parse_paper("letter", 300).is_none());
        assert!(PageSize::parse_paper("a4-schief", 300).is_none());
        assert_eq!(
            PageSize::parse_pixels("3840×2160").map(|s| s.pixels().2),
            Some(2.0)
        );
        assert!(PageSize::parse_pixels("10x10").is_none());
        assert!(PageSize::parse_pixels("breit").is_none());
    }

    #[test]
    fn municipality_names_become_file_names() {
        assert_eq!(file_stem("Stolberg (Rhld.)"), "Stolberg_Rhld");
        assert_eq!(file_stem("Würselen"), "Würselen");
        assert_eq!(file_stem("Frankfurt am Main"), "Frankfurt_am_Main");
        assert_eq!(file_stem("../.."), "kommune");
    }
}
