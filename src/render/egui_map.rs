//! Drawing a scene with egui: cached meshes per frame, stripe textures, labels with halos.
//!
//! [`build_frame`] is the whole per-frame geometry work (pick the level of detail, cull by
//! bounding box, transform the visible vertices, stroke outlines and borders; a big map's areas
//! in two parts on two threads of its own) and needs no egui context, so benches measure
//! exactly what a frame costs. [`MapPainter`] keeps the result as
//! long as nothing that affects it changes: hovering re-uses the meshes and only adds its
//! own outline.

use std::sync::Arc;

use eframe::egui::epaint::{Color32, Mesh, Pos2, Vertex, WHITE_UV};
use eframe::egui::{self, ColorImage, FontId, Painter, Shape, TextureHandle, TextureOptions};
use rayon::prelude::*;

use super::frame_pool::frame_pool;
use super::lines::{Pen, stroke};
use super::map_image::{Pictures, draws_as_picture};
use crate::scene::labels::{PlacedLabel, ScreenRect, place_labels};
use crate::scene::page::view::{BOX_BELOW_PT, outline_fade, outline_opacity};
use crate::scene::style::{self, FillStyle, Pattern, Rgba};
use crate::scene::{LineStyle, Scene};
use crate::spatial::prepared::{FeatureSlices, Lod, PreparedMap};
use crate::spatial::viewport::Viewport;

/// Texels per point of pattern textures: stripes and hatches stay crisp when zoomed.
pub const PATTERN_TEXELS_PER_PT: f32 = 4.0;

/// One tile of a pattern as an image, each texel supersampled 4 × 4; to be repeated.
pub fn pattern_image(pattern: &Pattern) -> ColorImage {
    let texels_per_pt = PATTERN_TEXELS_PER_PT;
    let side = (pattern.period_pt() * texels_per_pt).round().max(1.0) as usize;
    let mut image = ColorImage::filled([side, side], Color32::TRANSPARENT);
    for y in 0..side {
        for x in 0..side {
            let mut acc = [0u32; 4];
            for sy in 0..4 {
                for sx in 0..4 {
                    let px = (x as f32 + (sx as f32 + 0.5) / 4.0) / texels_per_pt;
                    let py = (y as f32 + (sy as f32 + 0.5) / 4.0) / texels_per_pt;
                    let c = pattern.color_at(px, py);
                    for (sum, channel) in acc.iter_mut().zip(c.0) {
                        *sum += u32::from(channel);
                    }
                }
            }
            let avg = |k: usize| (acc[k] / 16) as u8;
            image.pixels[y * side + x] =
                Color32::from_rgba_unmultiplied(avg(0), avg(1), avg(2), avg(3));
        }
    }
    image
}

/// Converts a scene colour to egui's premultiplied colour.
pub fn color32(c: Rgba) -> Color32 {
    Color32::from_rgba_unmultiplied(c.0[0], c.0[1], c.0[2], c.0[3])
}

/// The areas of one part of the map: the frame builds its parts at the same time, one per
/// core ([`PARTS`]).
#[derive(Debug, Default)]
pub struct AreaMeshes {
    /// Areas with a solid fill.
    pub solid: Mesh,
    /// Areas with a stripe pattern, one mesh per pattern (texture set by the painter).
    pub patterns: Vec<Mesh>,
    /// Outlines of the areas.
    pub outlines: Mesh,
    /// Number of areas drawn.
    pub visible: usize,
}

impl AreaMeshes {
    /// The fill meshes, solid and patterned.
    pub fn fills(&self) -> impl Iterator<Item = &Mesh> {
        std::iter::once(&self.solid).chain(&self.patterns)
    }

    fn meshes_mut(&mut self) -> impl Iterator<Item = &mut Mesh> {
        std::iter::once(&mut self.solid)
            .chain(self.patterns.iter_mut())
            .chain(std::iter::once(&mut self.outlines))
    }
}

/// How many parts the areas of a frame are built in (one per frame thread). A fixed number,
/// not one per core: the frame must not depend on the machine.
pub const PARTS: usize = super::frame_pool::FRAME_THREADS;

/// Areas go to the parts in runs of this many (by their order in the region), so that any
/// view, of one municipality or all of them, has about as many areas in each part.
const PART_RUN: usize = 64;

/// The geometry of one frame.
#[derive(Debug, Default)]
pub struct FrameMeshes {
    /// The areas, in [`PARTS`] parts (empty before the first frame is built).
    pub parts: Vec<AreaMeshes>,
    /// Municipality borders.
    pub borders: Mesh,
    /// Outlines of emphasised (overridden) areas, on top of everything else.
    pub emphasis: Mesh,
    /// Number of areas drawn.
    pub visible: usize,
    /// Tolerance of the level of detail used, in metres.
    pub lod_tolerance_m: f64,
}

impl FrameMeshes {
    /// Total vertices, for statistics.
    pub fn vertex_count(&self) -> usize {
        self.parts
            .iter()
            .flat_map(|p| p.fills().chain(std::iter::once(&p.outlines)))
            .chain([&self.borders, &self.emphasis])
            .map(|m| m.vertices.len())
            .sum()
    }

    /// Every fill mesh of every part.
    pub fn fills(&self) -> impl Iterator<Item = &Mesh> {
        self.parts.iter().flat_map(AreaMeshes::fills)
    }
}

/// Builds the frame geometry for `viewport` at `pixels_per_point`.
pub fn build_frame(
    scene: &Scene,
    prepared: &PreparedMap,
    viewport: &Viewport,
    pixels_per_point: f32,
) -> FrameMeshes {
    let mut frame = FrameMeshes::default();
    build_frame_into(&mut frame, scene, prepared, viewport, pixels_per_point);
    frame
}

impl FrameMeshes {
    /// Empties every mesh but keeps its memory, and sizes the pattern meshes for `patterns`.
    pub fn clear(&mut self, patterns: usize) {
        self.parts.resize_with(PARTS, AreaMeshes::default);
        for part in &mut self.parts {
            part.patterns.resize_with(patterns, Mesh::default);
            part.visible = 0;
        }
        for mesh in self
            .parts
            .iter_mut()
            .flat_map(AreaMeshes::meshes_mut)
            .chain([&mut self.borders, &mut self.emphasis])
        {
            // Not `Mesh::clear`: that one drops the vertex buffer's memory.
            mesh.indices.clear();
            mesh.vertices.clear();
        }
        self.visible = 0;
        self.lod_tolerance_m = 0.0;
    }
}

/// Like [`build_frame`], re-using the memory of `frame`: at 160,000 vertices a frame,
/// fresh buffers would cost more in page faults than the geometry work itself.
pub fn build_frame_into(
    frame: &mut FrameMeshes,
    scene: &Scene,
    prepared: &PreparedMap,
    viewport: &Viewport,
    pixels_per_point: f32,
) {
    build_into(
        frame,
        scene,
        prepared,
        viewport,
        pixels_per_point,
        PARALLEL_FROM,
    );
}

/// [`build_frame_into`], its areas on two threads if there are at least `parallel_from`.
fn build_into(
    frame: &mut FrameMeshes,
    scene: &Scene,
    prepared: &PreparedMap,
    viewport: &Viewport,
    pixels_per_point: f32,
    parallel_from: usize,
) {
    frame.clear(scene.patterns.len());
    let device_m_per_px = viewport.m_per_px / f64::from(pixels_per_point.max(0.1));
    let Some(lod) = prepared.lod_for(device_m_per_px) else {
        return;
    };
    frame.lod_tolerance_m = lod.tolerance_m;
    let t = viewport.relative_transform(prepared.origin);
    let vis = viewport.visible_bounds();
    let o = prepared.origin;
    let view_rel = [
        (vis[0] - o[0]) as f32,
        (vis[1] - o[1]) as f32,
        (vis[2] - o[0]) as f32,
        (vis[3] - o[1]) as f32,
    ];
    let feather = 1.0 / pixels_per_point.max(0.1);
    triangulate_visible(lod, prepared, view_rel, t.scale);
    let areas = AreaPass {
        scene,
        prepared,
        lod,
        t: &t,
        view_rel,
        feather,
    };
    // Each part takes every PARTS-th run of areas; a big map's parts are built at once.
    let n = lod.features.len();
    let build = |(k, part): (usize, &mut AreaMeshes)| {
        areas.build(part, (0..n).filter(|i| (i / PART_RUN) % PARTS == k));
    };
    match frame_pool() {
        Some(pool) if n >= parallel_from => {
            pool.install(|| frame.parts.par_iter_mut().enumerate().for_each(build));
        }
        _ => frame.parts.iter_mut().enumerate().for_each(build),
    }
    frame.visible = frame.parts.iter().map(|p| p.visible).sum();
    let mut screen: Vec<[f32; 2]> = Vec::new();
    let mut scratch: Vec<[f32; 2]> = Vec::new();
    if let Some(border) = scene.border {
        stroke_borders(
            lod,
            &t,
            view_rel,
            border,
            feather,
            &mut screen,
            &mut scratch,
            &mut frame.borders,
        );
    }
    // Emphasised areas: a white casing under the coloured line, so it reads on any fill.
    let casing = LineStyle {
        color: style::LABEL_HALO,
        width_pt: scene.emphasis_style.width_pt + 2.0,
    };
    for line in [casing, scene.emphasis_style] {
        for &i in &scene.emphasis {
            let (Some(slices), Some(b)) = (lod.features.get(i), prepared.feature_bounds.get(i))
            else {
                continue;
            };
            if outside(*b, view_rel) {
                continue;
            }
            project_area(lod, slices, &t, &mut screen);
            let pen = Pen {
                width: line.width_pt,
                color: color32(line.color),
                feather,
                crisp: false,
            };
            stroke_rings(lod, slices, &screen, pen, &mut scratch, &mut frame.emphasis);
        }
    }
}

/// Makes the triangles of the visible areas that a level triangulated on demand does not have
/// yet, on the frame's threads, before the frame is built.
fn triangulate_visible(lod: &Lod, prepared: &PreparedMap, view_rel: [f32; 4], scale: f32) {
    if lod.on_demand.is_none() {
        return;
    }
    let missing: Vec<usize> =
        (0..lod.features.len())
            .filter(|&i| {
                prepared.feature_bounds.get(i).is_some_and(|b| {
                    !outside(*b, view_rel) && size_on_screen(*b, scale) >= SUBPIXEL_PT
                }) && lod.needs_triangles(i)
            })
            .collect();
    let triangulate = |&i: &usize| {
        lod.area_triangles(i);
    };
    match frame_pool() {
        Some(pool) => pool.install(|| missing.par_iter().for_each(triangulate)),
        None => missing.iter().for_each(triangulate),
    }
}

/// Maps with fewer areas build their frames on one thread: too little work to share.
const PARALLEL_FROM: usize = 4096;

/// What every part of a frame's areas is built from.
struct AreaPass<'a> {
    scene: &'a Scene,
    prepared: &'a PreparedMap,
    lod: &'a Lod,
    t: &'a crate::spatial::viewport::RelativeTransform,
    view_rel: [f32; 4],
    feather: f32,
}

impl AreaPass<'_> {
    /// Fills and outlines of the areas `indices` into `part`.
    fn build(&self, part: &mut AreaMeshes, indices: impl Iterator<Item = usize>) {
        let (scene, prepared, lod, t) = (self.scene, self.prepared, self.lod, self.t);
        let outline_color = color32(scene.outline.color);
        let mut screen: Vec<[f32; 2]> = Vec::new();
        let mut scratch: Vec<[f32; 2]> = Vec::new();
        for i in indices {
            let (Some(slices), Some(&b)) = (lod.features.get(i), prepared.feature_bounds.get(i))
            else {
                continue;
            };
            if outside(b, self.view_rel) || slices.vertices.is_empty() {
                continue;
            }
            part.visible += 1;
            let size_pt = size_on_screen(b, t.scale);
            let (mesh, color, period) = match scene.fills.get(i) {
                Some(FillStyle::Pattern(p)) if *p < part.patterns.len() => (
                    &mut part.patterns[*p],
                    Color32::WHITE,
                    scene.patterns[*p].period_pt(),
                ),
                Some(FillStyle::Solid(c)) => (&mut part.solid, color32(*c), 0.0),
                _ => (&mut part.solid, color32(style::NO_NEED), 0.0),
            };
            if size_pt < SUBPIXEL_PT {
                // Smaller than a pixel and a half: its box, two triangles, looks the same as
                // its outline's dozen (a map of 113,000 areas has most of them this small).
                let corners = [[b[0], b[1]], [b[2], b[1]], [b[2], b[3]], [b[0], b[3]]];
                screen.clear();
                screen.extend(corners.iter().map(|p| t.apply(*p)));
                fill_area(mesh, &screen, &[0, 1, 2, 0, 2, 3], color, period);
                continue;
            }
            project_area(lod, slices, t, &mut screen);
            fill_area(mesh, &screen, lod.area_triangles(i), color, period);
            // Outlines of areas only a few points wide fade out, so a country-wide map of
            // thousands of areas stays readable instead of turning grey with lines.
            let fade = outline_fade(size_pt);
            if fade <= 0.0 {
                continue;
            }
            let pen = Pen {
                width: scene.outline.width_pt,
                color: outline_color.gamma_multiply(outline_opacity(fade)),
                feather: self.feather,
                // Areas still fading in are a few dozen pixels wide, thousands on one screen.
                crisp: fade < 1.0,
            };
            stroke_rings(lod, slices, &screen, pen, &mut scratch, &mut part.outlines);
        }
    }
}

/// The larger side of bounds `b` in points, at `scale` points per metre.
fn size_on_screen(b: [f32; 4], scale: f32) -> f32 {
    (b[2] - b[0]).max(b[3] - b[1]) * scale
}

/// Areas smaller than this on screen (points) are drawn as their box.
const SUBPIXEL_PT: f32 = BOX_BELOW_PT;

/// Adds an area's triangles to `mesh` in `color`; a pattern (`period` > 0 points) repeats
/// its texture every `period` points on screen.
#[inline]
fn fill_area(mesh: &mut Mesh, screen: &[[f32; 2]], triangles: &[u32], color: Color32, period: f32) {
    let base = mesh.vertices.len() as u32;
    if period > 0.0 {
        mesh.vertices.extend(screen.iter().map(|p| Vertex {
            pos: Pos2::new(p[0], p[1]),
            uv: Pos2::new(p[0] / period, p[1] / period),
            color,
        }));
    } else {
        mesh.vertices.extend(screen.iter().map(|p| Vertex {
            pos: Pos2::new(p[0], p[1]),
            uv: WHITE_UV,
            color,
        }));
    }
    mesh.indices.extend(triangles.iter().map(|k| base + k));
}

/// Whether bounds `b` lie wholly outside the visible box `view` (both relative to the origin).
fn outside(b: [f32; 4], view: [f32; 4]) -> bool {
    b[2] < view[0] || b[0] > view[2] || b[3] < view[1] || b[1] > view[3]
}

/// Puts the screen positions of an area's vertices into `screen`.
fn project_area(
    lod: &Lod,
    slices: &FeatureSlices,
    t: &crate::spatial::viewport::RelativeTransform,
    screen: &mut Vec<[f32; 2]>,
) {
    screen.clear();
    screen.extend(
        lod.vertices[slices.vertices.start as usize..slices.vertices.end as usize]
            .iter()
            .map(|p| t.apply(*p)),
    );
}

/// Strokes every ring of an area, `screen` holding its projected vertices.
fn stroke_rings(
    lod: &Lod,
    slices: &FeatureSlices,
    screen: &[[f32; 2]],
    pen: Pen,
    scratch: &mut Vec<[f32; 2]>,
    mesh: &mut Mesh,
) {
    let mut start = 0usize;
    for &end in &lod.ring_ends[slices.rings.start as usize..slices.rings.end as usize] {
        let end = end as usize;
        stroke(&screen[start..end], true, pen, scratch, mesh);
        start = end;
    }
}

#[allow(clippy::too_many_arguments)] // Internal helper; the buffers are the caller's scratch.
fn stroke_borders(
    lod: &Lod,
    t: &crate::spatial::viewport::RelativeTransform,
    view_rel: [f32; 4],
    style: LineStyle,
    feather: f32,
    screen: &mut Vec<[f32; 2]>,
    scratch: &mut Vec<[f32; 2]>,
    mesh: &mut Mesh,
) {
    let pen = Pen {
        width: style.width_pt,
        color: color32(style.color),
        feather,
        crisp: false,
    };
    let mut start = 0usize;
    for (&end, b) in lod.border_ends.iter().zip(&lod.border_bounds) {
        let end = end as usize;
        if outside(*b, view_rel) {
            start = end;
            continue;
        }
        screen.clear();
        screen.extend(lod.borders[start..end].iter().map(|p| t.apply(*p)));
        stroke(screen, false, pen, scratch, mesh);
        start = end;
    }
}

/// What the screen shows on top of the scene.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Overlay<'a> {
    /// The area under the cursor.
    pub hover: Option<usize>,
    /// The area shown in the inspector.
    pub selection: Option<usize>,
    /// Every selected area.
    pub selected: &'a [usize],
}

#[derive(Debug, Clone, PartialEq)]
struct FrameKey {
    scene_generation: u64,
    prepared: usize,
    viewport: Viewport,
    pixels_per_point: f32,
    large_labels: bool,
}

/// Draws scenes into an egui painter, keeping meshes and textures between frames.
#[derive(Default)]
pub struct MapPainter {
    textures: Vec<(Pattern, TextureHandle)>,
    /// Two plain white textures: the big meshes of a frame alternate between them (and the
    /// font texture the fills use), so egui hands each to the GPU as it is instead of copying
    /// them into one mesh that doubles its memory to hold them.
    plain: Vec<TextureHandle>,
    /// Buffers of earlier frames, recovered once egui has drawn them.
    spare: FrameMeshes,
    cached: Option<(FrameKey, Vec<Shape>, Vec<PlacedLabel>)>,
    /// Statistics of the last built frame.
    pub last_stats: FrameStats,
    /// Labels at projector size (presentation mode).
    pub large_labels: bool,
    /// A big map's pictures.
    pictures: Pictures,
    /// Whether the last paint put the map on screen (a big map's first picture takes a
    /// moment).
    map_on_screen: bool,
}

/// Numbers about the last frame built, shown in the status bar and used by benches.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct FrameStats {
    /// Areas drawn.
    pub visible: usize,
    /// Vertices sent to the GPU for the map.
    pub vertices: usize,
    /// Level-of-detail tolerance in metres.
    pub lod_tolerance_m: f64,
    /// Time to build the frame's geometry (or to draw the picture), in milliseconds.
    pub build_ms: f64,
    /// The map is drawn as a picture ([`crate::render::map_image`]), not as triangles.
    pub picture: bool,
}

const LABEL_SIZE: f32 = 12.5;
/// Labels in presentation mode: no text under 20 points on a projector.
const LARGE_LABEL_SIZE: f32 = 22.0;

impl MapPainter {
    fn label_size(&self) -> f32 {
        if self.large_labels {
            LARGE_LABEL_SIZE
        } else {
            LABEL_SIZE
        }
    }

    fn texture_for(&mut self, ctx: &egui::Context, pattern: &Pattern) -> egui::TextureId {
        if let Some((_, handle)) = self.textures.iter().find(|(p, _)| p == pattern) {
            return handle.id();
        }
        let name = format!("stripes-{}", self.textures.len());
        let handle = ctx.load_texture(name, pattern_image(pattern), TextureOptions::LINEAR_REPEAT);
        let id = handle.id();
        self.textures.push((pattern.clone(), handle));
        id
    }

    /// One of the two plain white textures.
    fn plain(&mut self, ctx: &egui::Context, which: usize) -> egui::TextureId {
        while self.plain.len() < 2 {
            let white = ColorImage::filled([1, 1], Color32::WHITE);
            let name = format!("map-plain-{}", self.plain.len());
            self.plain
                .push(ctx.load_texture(name, white, TextureOptions::NEAREST));
        }
        self.plain[which % 2].id()
    }

    /// Whether the last paint put the map on screen.
    pub fn map_on_screen(&self) -> bool {
        self.map_on_screen
    }

    /// Paints the map. `scene_generation` must change whenever `scene` does.
    pub fn paint(
        &mut self,
        painter: &Painter,
        scene: &Scene,
        scene_generation: u64,
        prepared: &Arc<PreparedMap>,
        viewport: &Viewport,
        overlay: Overlay,
    ) {
        let ctx = painter.ctx().clone();
        let pixels_per_point = ctx.pixels_per_point();
        let key = FrameKey {
            scene_generation,
            prepared: Arc::as_ptr(prepared) as usize,
            viewport: *viewport,
            pixels_per_point,
            large_labels: self.large_labels,
        };
        let fresh = !matches!(&self.cached, Some((k, _, _)) if *k == key);
        let as_picture = draws_as_picture(prepared, viewport, pixels_per_point);
        if fresh {
            self.recover_buffers();
            let shapes = if as_picture {
                self.last_stats = FrameStats {
                    picture: true,
                    build_ms: self.pictures.last_ms,
                    ..FrameStats::default()
                };
                Vec::new()
            } else {
                self.frame_shapes(&ctx, scene, prepared, viewport, pixels_per_point)
            };
            let labels = match &scene.labels {
                Some(texts) => {
                    let font = FontId::proportional(self.label_size());
                    let mut measure = |text: &str| {
                        let g =
                            painter.layout_no_wrap(text.to_string(), font.clone(), Color32::BLACK);
                        [g.size().x, g.size().y]
                    };
                    let obstacles: Vec<ScreenRect> = Vec::new();
                    let visible = prepared.in_view(viewport.visible_bounds());
                    place_labels(
                        visible.into_iter(),
                        &prepared.labels,
                        viewport,
                        &|i| texts.get(i).map_or("", String::as_str),
                        &mut measure,
                        &obstacles,
                    )
                }
                None => Vec::new(),
            };
            self.cached = Some((key, shapes, labels));
        }
        let Some((_, shapes, labels)) = &self.cached else {
            return;
        };
        if as_picture {
            self.map_on_screen = self.pictures.paint(
                painter,
                scene,
                scene_generation,
                prepared,
                viewport,
                pixels_per_point,
            );
            self.last_stats.build_ms = self.pictures.last_ms;
        } else {
            painter.extend(shapes.iter().cloned());
            self.map_on_screen = true;
        }
        self.paint_overlay(painter, prepared, viewport, overlay, pixels_per_point);
        if let Some(texts) = &scene.labels {
            paint_labels(painter, labels, texts, self.label_size());
        }
    }

    /// The triangles of the map for one frame, as egui shapes.
    fn frame_shapes(
        &mut self,
        ctx: &egui::Context,
        scene: &Scene,
        prepared: &PreparedMap,
        viewport: &Viewport,
        pixels_per_point: f32,
    ) -> Vec<Shape> {
        let started = std::time::Instant::now();
        let mut frame = std::mem::take(&mut self.spare);
        build_frame_into(&mut frame, scene, prepared, viewport, pixels_per_point);
        let build_ms = started.elapsed().as_secs_f64() * 1000.0;
        self.last_stats = FrameStats {
            visible: frame.visible,
            vertices: frame.vertex_count(),
            lod_tolerance_m: frame.lod_tolerance_m,
            build_ms,
            picture: false,
        };
        // Fills part by part, then the outlines, borders and emphasis. Neighbours never
        // share a texture (the first solid fill uses the font texture, the others the two
        // plain white ones in turn), so egui hands each mesh to the GPU as it is instead
        // of copying neighbours into one.
        let mut shapes = Vec::new();
        let mut plain_turn = 0usize;
        let mut next_plain = |this: &mut Self| {
            plain_turn += 1;
            this.plain(ctx, plain_turn)
        };
        for (k, part) in frame.parts.iter_mut().enumerate() {
            let mut solid = std::mem::take(&mut part.solid);
            if k > 0 {
                solid.texture_id = next_plain(self);
            }
            shapes.push(Shape::Mesh(Arc::new(solid)));
            for (i, mesh) in part.patterns.iter_mut().enumerate() {
                if mesh.is_empty() {
                    continue;
                }
                let mut mesh = std::mem::take(mesh);
                mesh.texture_id = self.texture_for(ctx, &scene.patterns[i]);
                shapes.push(Shape::Mesh(Arc::new(mesh)));
            }
        }
        let lines: Vec<&mut Mesh> = frame
            .parts
            .iter_mut()
            .map(|p| &mut p.outlines)
            .chain([&mut frame.borders, &mut frame.emphasis])
            .collect();
        for mesh in lines {
            let mut mesh = std::mem::take(mesh);
            mesh.texture_id = next_plain(self);
            shapes.push(Shape::Mesh(Arc::new(mesh)));
        }
        shapes
    }

    /// Takes the meshes of the cached frame back (egui has drawn and released them) so the
    /// next frame can fill their memory instead of allocating.
    fn recover_buffers(&mut self) {
        let Some((_, shapes, _)) = self.cached.take() else {
            return;
        };
        let mut meshes: Vec<Mesh> = shapes
            .into_iter()
            .filter_map(|s| match s {
                Shape::Mesh(arc) => Arc::try_unwrap(arc).ok(),
                _ => None,
            })
            .collect();
        // Popped largest first: the largest buffers go to the roles that need the most room.
        meshes.sort_by_key(|m| m.vertices.capacity());
        let mut next = || {
            meshes.pop().map(|mut m| {
                m.texture_id = egui::TextureId::default();
                m
            })
        };
        let spare = &mut self.spare;
        spare.parts.resize_with(PARTS, AreaMeshes::default);
        let (outlines, solids): (Vec<&mut Mesh>, Vec<&mut Mesh>) = spare
            .parts
            .iter_mut()
            .map(|p| (&mut p.outlines, &mut p.solid))
            .unzip();
        let roles = outlines
            .into_iter()
            .chain(solids)
            .chain(std::iter::once(&mut spare.borders));
        for role in roles {
            if role.vertices.capacity() == 0
                && let Some(m) = next()
            {
                *role = m;
            }
        }
    }

    fn paint_overlay(
        &self,
        painter: &Painter,
        prepared: &PreparedMap,
        viewport: &Viewport,
        overlay: Overlay,
        pixels_per_point: f32,
    ) {
        let Some(lod) = prepared.lod_for(viewport.m_per_px / f64::from(pixels_per_point)) else {
            return;
        };
        let t = viewport.relative_transform(prepared.origin);
        let feather = 1.0 / pixels_per_point;
        let mut mesh = Mesh::default();
        let mut screen = Vec::new();
        let mut scratch = Vec::new();
        let mut outline = |i: usize, width: f32, color: Color32, mesh: &mut Mesh| {
            let Some(slices) = lod.features.get(i) else {
                return;
            };
            project_area(lod, slices, &t, &mut screen);
            let pen = Pen {
                width,
                color,
                feather,
                crisp: false,
            };
            stroke_rings(lod, slices, &screen, pen, &mut scratch, mesh);
        };
        if let Some(h) = overlay.hover.filter(|h| Some(*h) != overlay.selection) {
            // A light veil over the area lifts it on any fill colour.
            if let Some(slices) = lod.features.get(h) {
                let veil = color32(style::HOVER_VEIL);
                let base = mesh.vertices.len() as u32;
                mesh.vertices.extend(
                    lod.vertices[slices.vertices.start as usize..slices.vertices.end as usize]
                        .iter()
                        .map(|p| {
                            let s = t.apply(*p);
                            Vertex {
                                pos: Pos2::new(s[0], s[1]),
                                uv: WHITE_UV,
                                color: veil,
                            }
                        }),
                );
                mesh.indices
                    .extend(lod.area_triangles(h).iter().map(|k| base + k));
            }
            outline(h, 2.5, color32(style::HOVER), &mut mesh);
        }
        for s in overlay.selected.iter().copied().chain(overlay.selection) {
            outline(s, 4.0, color32(style::SELECTION), &mut mesh);
            outline(s, 1.5, color32(style::SELECTION_INNER), &mut mesh);
        }
        if !mesh.is_empty() {
            painter.add(Shape::Mesh(Arc::new(mesh)));
        }
    }
}

fn paint_labels(painter: &Painter, labels: &[PlacedLabel], texts: &[String], size: f32) {
    let font = FontId::proportional(size);
    let halo = color32(style::LABEL_HALO);
    let ink = color32(style::LABEL);
    for label in labels {
        let Some(text) = texts.get(label.space) else {
            continue;
        };
        let pos = Pos2::new(
            label.center[0] - label.size[0] / 2.0,
            label.center[1] - label.size[1] / 2.0,
        );
        let halo_galley = painter.layout_no_wrap(text.clone(), font.clone(), halo);
        for (dx, dy) in [
            (-1.0, 0.0),
            (1.0, 0.0),
            (0.0, -1.0),
            (0.0, 1.0),
            (-0.8, -0.8),
            (0.8, 0.8),
            (-0.8, 0.8),
            (0.8, -0.8),
        ] {
            painter.galley(pos + egui::vec2(dx, dy), halo_galley.clone(), halo);
        }
        let galley = painter.layout_no_wrap(text.clone(), font.clone(), ink);
        painter.galley(pos, galley, ink);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::Document;
    use crate::io::Progress;
    use crate::io::demo::load_demo;
    use crate::model::{ActionField, Override};
    use crate::scene::ViewSettings;
    use crate::spatial::prepared::Detail;

    #[test]
    fn overridden_areas_get_an_outline_of_their_own() {
        let imported = load_demo(&Progress::default()).expect("demo");
        let mut map = Document::from_import(imported, None, Detail::Full);
        let viewport = Viewport::fit(map.prepared.bounds, [1000.0, 800.0], [0.0, 0.0], 24.0);
        let plain = Scene::build(map.scene_input(), &ViewSettings::default());
        let frame = build_frame(&plain, &map.prepared, &viewport, 1.0);
        assert!(frame.emphasis.is_empty());
        map.overrides.push(Override {
            code: "SI 2".to_string(),
            field: ActionField::Disadvantaged,
            member: true,
            reason: "Test".to_string(),
        });
        map.reclassify();
        let scene = Scene::build(map.scene_input(), &ViewSettings::default());
        let frame = build_frame(&scene, &map.prepared, &viewport, 1.0);
        assert!(!frame.emphasis.is_empty());
        let magenta = color32(crate::scene::EMPHASIS);
        assert!(frame.emphasis.vertices.iter().any(|v| v.color == magenta));
        // And the legend explains it.
        let entry = scene
            .legend
            .entries
            .iter()
            .find(|e| e.outline.is_some())
            .expect("entry");
        assert_eq!(
            (entry.label.as_str(), entry.count),
            ("von Hand übersteuert", 1)
        );
    }

    #[test]
    fn a_frame_built_on_two_threads_is_the_one_built_on_one() {
        let mut imported = load_demo(&Progress::default()).expect("demo");
        // 4,650 areas: the demo's 93 fifty times, side by side, each with a code of its own.
        let demo = imported.region.spaces.clone();
        imported.region.spaces = (0..50)
            .flat_map(|copy| {
                demo.iter().map(move |space| {
                    let mut space = space.clone();
                    space.code = format!("{} / {copy}", space.code);
                    let shift = f64::from(copy) * 40_000.0;
                    geo::MapCoordsInPlace::map_coords_in_place(&mut space.geometry, |c| {
                        geo::Coord {
                            x: c.x + shift,
                            y: c.y,
                        }
                    });
                    space
                })
            })
            .collect();
        let map = Document::from_import(imported, None, Detail::Full);
        assert!(map.region.spaces.len() >= PARALLEL_FROM);
        let scene = Scene::build(map.scene_input(), &ViewSettings::default());
        let whole = Viewport::fit(map.prepared.bounds, [1400.0, 800.0], [0.0, 0.0], 0.0);
        let mut near = whole;
        near.m_per_px /= 20.0;
        for viewport in [whole, near] {
            let (mut one, mut two) = (FrameMeshes::default(), FrameMeshes::default());
            build_into(&mut one, &scene, &map.prepared, &viewport, 1.0, usize::MAX);
            build_into(&mut two, &scene, &map.prepared, &viewport, 1.0, 0);
            assert!(one.visible > 0);
            assert_eq!(one.visible, two.visible);
            for (a, b) in one.parts.iter().zip(&two.parts) {
                assert!(a.fills().zip(b.fills()).all(|(x, y)| x == y));
                assert!(a.outlines == b.outlines);
            }
            assert!(one.parts.iter().all(|p| p.visible > 0), "work for both");
            assert!(one.borders == two.borders && one.emphasis == two.emphasis);
        }
    }

    #[test]
    fn areas_smaller_than_a_pixel_and_a_half_are_drawn_as_their_box() {
        let imported = load_demo(&Progress::default()).expect("demo");
        let map = Document::from_import(imported, None, Detail::Full);
        let scene = Scene::build(map.scene_input(), &ViewSettings::default());
        // The whole region in 24 × 16 points: most areas are a point or so.
        let tiny = Viewport::fit(map.prepared.bounds, [24.0, 16.0], [0.0, 0.0], 0.0);
        let frame = build_frame(&scene, &map.prepared, &tiny, 1.0);
        let small = map
            .prepared
            .feature_bounds
            .iter()
            .filter(|b| (b[2] - b[0]).max(b[3] - b[1]) * (1.0 / tiny.m_per_px as f32) < SUBPIXEL_PT)
            .count();
        assert!(small > 60, "only {small} small areas: the test needs more");
        let drawn: usize = frame.fills().map(|m| m.vertices.len()).sum();
        let big: usize = map
            .prepared
            .lod_for(tiny.m_per_px)
            .map(|lod| {
                lod.features
                    .iter()
                    .zip(&map.prepared.feature_bounds)
                    .filter(|(_, b)| {
                        (b[2] - b[0]).max(b[3] - b[1]) * (1.0 / tiny.m_per_px as f32) >= SUBPIXEL_PT
                    })
                    .map(|(f, _)| (f.vertices.end - f.vertices.start) as usize)
                    .sum()
            })
            .unwrap_or(0);
        assert_eq!(drawn, 4 * small + big, "four corners for each small area");
        // Still every area is drawn, and seen at a normal size none is a box.
        assert_eq!(frame.visible, map.region.spaces.len());
        let normal = Viewport::fit(map.prepared.bounds, [1000.0, 800.0], [0.0, 0.0], 24.0);
        let full = build_frame(&scene, &map.prepared, &normal, 1.0);
        let lod = map.prepared.lod_for(normal.m_per_px).expect("level");
        let fill_vertices: usize = full.fills().map(|m| m.vertices.len()).sum();
        assert_eq!(fill_vertices, lod.vertices.len());
    }
}
