//! The printed page: a map with title, legend, scale bar, north arrow and source line, laid out
//! once as a list of drawing items.
//!
//! [`compose`] decides every position, size, colour and text; the backends (PNG via
//! tiny-skia, SVG, PDF) only translate the items, so the three formats and the preview in the
//! export dialog show the same picture. Coordinates are page pixels, y downwards; sizes are
//! given in points and multiplied by `px_per_pt`, so a 300 dpi A4 page and a 1920 × 1080 slide
//! share one layout.

mod furniture;
mod legend;
mod map;
pub(crate) use map::{area_path, border_path};
pub mod profile;
pub mod text;
pub mod view;

use super::Scene;
use super::font::Font;
use super::labels::ScreenRect;
use super::style::{Pattern, Rgba};
use crate::i18n::Lang;
use crate::spatial::prepared::PreparedMap;

/// Room between the map's extent and its frame, in points.
pub(crate) const MAP_MARGIN_PT: f32 = 4.0;

/// A corner of the map, for the legend.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Corner {
    /// Top left.
    TopLeft,
    /// Top right.
    TopRight,
    /// Bottom left.
    BottomLeft,
    /// Bottom right.
    #[default]
    BottomRight,
}

impl Corner {
    /// All corners, in reading order.
    pub const ALL: [Corner; 4] = [
        Corner::TopLeft,
        Corner::TopRight,
        Corner::BottomLeft,
        Corner::BottomRight,
    ];

    /// Whether the corner is on the left.
    pub fn left(self) -> bool {
        matches!(self, Corner::TopLeft | Corner::BottomLeft)
    }

    /// Whether the corner is at the top.
    pub fn top(self) -> bool {
        matches!(self, Corner::TopLeft | Corner::TopRight)
    }
}

/// What the page shows around the map, and how large it is.
#[derive(Debug, Clone, PartialEq)]
pub struct PageSpec {
    /// Width in pixels.
    pub width_px: u32,
    /// Height in pixels.
    pub height_px: u32,
    /// Pixels per point (1 for a 1920 px slide, dpi / 72 for paper).
    pub px_per_pt: f32,
    /// The paper's width and height in millimetres, for a paper size (PDF and SVG then state
    /// the exact paper size).
    pub paper_mm: Option<[f32; 2]>,
    /// Title above the map.
    pub title: Option<String>,
    /// Subtitle below the title.
    pub subtitle: Option<String>,
    /// The legend and its corner, if shown.
    pub legend: Option<Corner>,
    /// Draw the scale bar (bottom left of the map).
    pub scale_bar: bool,
    /// Draw the north arrow (top right of the map).
    pub north_arrow: bool,
    /// Source line along the bottom ("Stand: …", data year, attribution).
    pub source_line: Option<String>,
}

/// A polyline or polygon path in page pixels: subpaths end at `ends`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PagePath {
    /// All points.
    pub points: Vec<[f32; 2]>,
    /// The end (exclusive) of each subpath in `points`.
    pub ends: Vec<u32>,
    /// Whether the subpaths are closed rings.
    pub closed: bool,
    /// A name for the path in vector files (the Sozialraum code), if any.
    pub name: Option<String>,
}

impl PagePath {
    /// The subpaths.
    pub fn subpaths(&self) -> impl Iterator<Item = &[[f32; 2]]> {
        let mut start = 0usize;
        self.ends.iter().map(move |&end| {
            let end = end as usize;
            let sub = self.points.get(start..end).unwrap_or(&[]);
            start = end;
            sub
        })
    }

    /// The path as drawing steps, in order, for backends with a path builder.
    pub fn segments(&self) -> impl Iterator<Item = Segment> + '_ {
        let closed = self.closed;
        self.subpaths()
            .filter(|sub| !sub.is_empty())
            .flat_map(move |sub| {
                sub.iter()
                    .enumerate()
                    .map(|(k, p)| {
                        if k == 0 {
                            Segment::MoveTo(*p)
                        } else {
                            Segment::LineTo(*p)
                        }
                    })
                    .chain(closed.then_some(Segment::Close))
            })
    }

    /// Closed polygons.
    pub fn polygons(rings: &[Vec<[f32; 2]>]) -> PagePath {
        let mut path = PagePath {
            closed: true,
            ..PagePath::default()
        };
        for ring in rings {
            path.points.extend_from_slice(ring);
            path.ends.push(path.points.len() as u32);
        }
        path
    }

    /// One closed polygon.
    pub fn polygon(points: &[[f32; 2]]) -> PagePath {
        PagePath::polygons(&[points.to_vec()])
    }

    /// A closed rectangle.
    pub fn rect(r: ScreenRect) -> PagePath {
        PagePath {
            points: vec![[r[0], r[1]], [r[2], r[1]], [r[2], r[3]], [r[0], r[3]]],
            ends: vec![4],
            closed: true,
            name: None,
        }
    }
}

/// One step of drawing a path.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Segment {
    /// Start a subpath.
    MoveTo([f32; 2]),
    /// A straight line to the point.
    LineTo([f32; 2]),
    /// Close the subpath.
    Close,
}

/// How a path is filled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Paint {
    /// One colour.
    Solid(Rgba),
    /// A stripe pattern, by index into [`Page::patterns`].
    Pattern(usize),
}

/// A named group of items; vector files keep them as layers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layer {
    /// Everything drawn inside the map frame (clipped to it).
    Map,
    /// Area fills.
    Areas,
    /// Area outlines.
    Outlines,
    /// Municipality borders.
    Borders,
    /// Outlines of overridden areas.
    Emphasis,
    /// The line around the map.
    Frame,
    /// The notice on synthetic data.
    Notice,
    /// Sozialraum codes.
    Labels,
    /// Measure counts.
    Badges,
    /// The scale bar.
    ScaleBar,
    /// The north arrow.
    NorthArrow,
    /// The legend.
    Legend,
    /// Title and subtitle.
    Title,
    /// The source line.
    Source,
}

impl Layer {
    /// The layer's id in vector files (German, as planners name layers).
    pub fn id(self) -> &'static str {
        match self {
            Layer::Map => "karte",
            Layer::Areas => "sozialraeume",
            Layer::Outlines => "umrisse",
            Layer::Borders => "kommunengrenzen",
            Layer::Emphasis => "uebersteuert",
            Layer::Frame => "rahmen",
            Layer::Notice => "hinweis",
            Layer::Labels => "beschriftung",
            Layer::Badges => "massnahmen",
            Layer::ScaleBar => "massstab",
            Layer::NorthArrow => "nordpfeil",
            Layer::Legend => "legende",
            Layer::Title => "titel",
            Layer::Source => "quelle",
        }
    }
}

/// One drawing step.
#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    /// Start a layer; the map layer clips to [`Page::map_frame`].
    Begin(Layer),
    /// End the innermost layer.
    End,
    /// Fill a path (even-odd, so holes stay open).
    Fill {
        /// Index into [`Page::paths`].
        path: usize,
        /// The paint.
        paint: Paint,
    },
    /// Stroke a path.
    Stroke {
        /// Index into [`Page::paths`].
        path: usize,
        /// Colour.
        color: Rgba,
        /// Width in pixels.
        width: f32,
        /// Round joins and caps (else miter joins, butt caps).
        round: bool,
    },
    /// One line of text in the embedded font.
    Text {
        /// The text.
        text: String,
        /// Size in pixels.
        size: f32,
        /// Start of the baseline.
        origin: [f32; 2],
        /// Colour.
        color: Rgba,
        /// A halo (colour, stroke width in pixels) drawn under the text.
        halo: Option<(Rgba, f32)>,
    },
    /// A filled circle, optionally ringed.
    Disc {
        /// Centre.
        center: [f32; 2],
        /// Radius in pixels.
        radius: f32,
        /// Fill colour.
        fill: Rgba,
        /// A ring (colour, width in pixels).
        ring: Option<(Rgba, f32)>,
    },
}

/// A laid-out page, ready for any backend.
#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// Pixels per point.
    pub px_per_pt: f32,
    /// The paper's width and height in millimetres, for a paper size.
    pub paper_mm: Option<[f32; 2]>,
    /// Page background.
    pub background: Rgba,
    /// The map's frame (min x, min y, max x, max y); the map layer is clipped to it.
    pub map_frame: ScreenRect,
    /// Stripe patterns, sizes in points.
    pub patterns: Vec<Pattern>,
    /// Paths referenced by the items.
    pub paths: Vec<PagePath>,
    /// The drawing steps, in order.
    pub items: Vec<Item>,
    /// Where the legend is, if drawn.
    pub legend_box: Option<ScreenRect>,
    /// Where code labels were placed.
    pub label_boxes: Vec<ScreenRect>,
    /// Title of the document (for PDF and SVG metadata).
    pub title: String,
    /// Links to other pages of the same document: the box (pixels) and the page's index.
    pub links: Vec<(ScreenRect, usize)>,
}

impl Page {
    /// Width and height in points (PDF page size): the exact paper size, or the pixels at
    /// `px_per_pt`.
    pub fn size_pt(&self) -> [f32; 2] {
        match self.paper_mm {
            Some([w, h]) => [w / 25.4 * 72.0, h / 25.4 * 72.0],
            None => [
                self.width as f32 / self.px_per_pt,
                self.height as f32 / self.px_per_pt,
            ],
        }
    }

    fn add_path(&mut self, path: PagePath) -> usize {
        self.paths.push(path);
        self.paths.len() - 1
    }

    fn fill_rect(&mut self, r: ScreenRect, paint: Paint) {
        let path = self.add_path(PagePath::rect(r));
        self.items.push(Item::Fill { path, paint });
    }

    fn stroke_rect(&mut self, r: ScreenRect, color: Rgba, width: f32) {
        let path = self.add_path(PagePath::rect(r));
        self.items.push(Item::Stroke {
            path,
            color,
            width,
            round: false,
        });
    }

    /// Text with its box's top left corner at `top_left`.
    #[allow(clippy::too_many_arguments)]
    fn text(
        &mut self,
        font: &Font,
        text: &str,
        size: f32,
        top_left: [f32; 2],
        color: Rgba,
        halo: Option<(Rgba, f32)>,
    ) {
        if text.trim().is_empty() {
            return;
        }
        self.items.push(Item::Text {
            text: text.to_string(),
            size,
            origin: [top_left[0], top_left[1] + font.ascent(size)],
            color,
            halo,
        });
    }
}

/// The map to draw: scene, geometry, the part to show and its scale on the ground.
#[derive(Debug, Clone, Copy)]
pub struct MapSource<'a> {
    /// Styles, labels, legend.
    pub scene: &'a Scene,
    /// Prepared geometry.
    pub prepared: &'a PreparedMap,
    /// The planar box to show (min x, min y, max x, max y); the map shows at least all of it.
    pub extent: [f64; 4],
    /// Ground metres per planar metre at the extent's centre, for a true scale bar.
    pub ground_per_planar: f64,
}

/// Lays out a page: bands for title and source line, the legend in its corner beside or
/// above/below the map (whichever leaves the map larger), the map with labels kept clear of
/// legend, scale bar, north arrow and notice.
pub fn compose(source: MapSource<'_>, spec: &PageSpec, font: &Font, lang: Lang) -> Page {
    let s = spec.px_per_pt;
    let (w, h) = (spec.width_px as f32, spec.height_px as f32);
    let mut page = Page {
        width: spec.width_px,
        height: spec.height_px,
        px_per_pt: s,
        paper_mm: spec.paper_mm,
        background: Rgba::rgb(255, 255, 255),
        map_frame: [0.0, 0.0, w, h],
        patterns: source.scene.patterns.clone(),
        paths: Vec::new(),
        items: Vec::new(),
        legend_box: None,
        label_boxes: Vec::new(),
        title: spec
            .title
            .clone()
            .unwrap_or_else(|| source.scene.title.clone()),
        links: Vec::new(),
    };
    let margin = 14.0 * s;
    let top = furniture::title_band(&mut page, font, spec, margin);
    let bottom = furniture::source_band(&mut page, font, spec, margin);
    let mut frame = [margin, top, w - margin, bottom];
    if let Some(notice) = &source.scene.badge {
        frame[1] = furniture::notice_band(&mut page, font, notice, frame).min(bottom);
    }
    let legend = spec.legend.map(|corner| {
        let block = legend::LegendBlock::new(source.scene, font, s, lang);
        (corner, block)
    });
    let legend_size = legend.as_ref().map(|(corner, block)| (*corner, block.size));
    let (map_frame, legend_at) = arrange(frame, source.extent, legend_size, s);
    page.map_frame = map_frame;
    let mut obstacles: Vec<ScreenRect> = Vec::new();
    if let (Some((_, block)), Some(at)) = (&legend, legend_at) {
        let r = block.draw(&mut page, font, source.scene, at);
        page.legend_box = Some(r);
        obstacles.push(r);
    }
    map::draw_map(&mut page, font, source, lang, obstacles);
    page
}

/// The map frame and the legend's top-left corner. The legend takes a column beside the map
/// or a row above/below it, whichever shows the map larger; the map frame then hugs the map
/// (the extent's shape), and map and legend are centred together in `frame`.
fn arrange(
    frame: ScreenRect,
    extent: [f64; 4],
    legend: Option<(Corner, [f32; 2])>,
    s: f32,
) -> (ScreenRect, Option<[f32; 2]>) {
    let gap = 10.0 * s;
    let margin = 2.0 * MAP_MARGIN_PT * s;
    let (ew, eh) = (
        (extent[2] - extent[0]).max(1.0) as f32,
        (extent[3] - extent[1]).max(1.0) as f32,
    );
    let (fw, fh) = (
        (frame[2] - frame[0]).max(1.0),
        (frame[3] - frame[1]).max(1.0),
    );
    // The map's size in an area of `w` × `h`: the extent's shape, as large as fits.
    let fit = |w: f32, h: f32| {
        let scale = ((w - margin).max(1.0) / ew).min((h - margin).max(1.0) / eh);
        [(ew * scale + margin).min(w), (eh * scale + margin).min(h)]
    };
    let Some((corner, [lw, lh])) = legend else {
        let [mw, mh] = fit(fw, fh);
        let x = frame[0] + (fw - mw) / 2.0;
        let y = frame[1] + (fh - mh) / 2.0;
        return ([x, y, x + mw, y + mh], None);
    };
    let beside = fit(fw - lw - gap, fh);
    let stacked = fit(fw, fh - lh - gap);
    if beside[0] * beside[1] >= stacked[0] * stacked[1] {
        let [mw, mh] = beside;
        let x0 = frame[0] + (fw - (mw + gap + lw)) / 2.0;
        let y = frame[1] + (fh - mh) / 2.0;
        let (map_x, legend_x) = if corner.left() {
            (x0 + lw + gap, x0)
        } else {
            (x0, x0 + mw + gap)
        };
        let legend_y = if corner.top() { y } else { y + mh - lh };
        let legend_y = legend_y.clamp(frame[1], (frame[3] - lh).max(frame[1]));
        ([map_x, y, map_x + mw, y + mh], Some([legend_x, legend_y]))
    } else {
        let [mw, mh] = stacked;
        let x = frame[0] + (fw - mw) / 2.0;
        let y0 = frame[1] + (fh - (mh + gap + lh)) / 2.0;
        let (map_y, legend_y) = if corner.top() {
            (y0 + lh + gap, y0)
        } else {
            (y0, y0 + mh + gap)
        };
        let legend_x = if corner.left() { x } else { x + mw - lw };
        let legend_x = legend_x.clamp(frame[0], (frame[2] - lw).max(frame[0]));
        ([x, map_y, x + mw, map_y + mh], Some([legend_x, legend_y]))
    }
}

fn overlaps(a: ScreenRect, b: ScreenRect) -> bool {
    a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3]
}

#[cfg(test)]
mod tests;
