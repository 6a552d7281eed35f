//! The map view: navigation (drag, wheel, keys, double-click), hover and click, and the things
//! drawn over the map: the "Beispieldaten" badge, the scale bar and the attribution.

use eframe::egui::{
    self, Align2, Color32, CornerRadius, FontId, Key, Pos2, Rect, Sense, Stroke, StrokeKind, Ui,
    Vec2,
};
use geo::{Distance, Haversine, Point};

use super::command::Command;
use super::shown::Shown;
use crate::document::Document;
use crate::i18n::{Lang, T};
use crate::render::egui_map::{MapPainter, Overlay, color32};
use crate::scene::scale_bar::scale_bar;
use crate::scene::style;
use crate::spatial::viewport::Viewport;

/// Margin around the map when it is fitted, in points.
const FIT_MARGIN: f32 = 24.0;
/// Room kept free below the map in presentation mode (hint line), in points.
const PRESENT_BOTTOM: f32 = 70.0;

/// In presentation mode, the width of the column on the right that holds title, legend and
/// the area's card; the map takes all the rest.
pub fn present_column(window_width: f32) -> f32 {
    (window_width * 0.38).clamp(360.0, 640.0)
}
/// Arrow keys pan by this many points.
const KEY_PAN: f32 = 80.0;
/// One +/- key press zooms by this factor.
const KEY_ZOOM: f64 = 1.5;

/// Ground metres per point at the centre of the view, measured geodesically.
pub fn ground_m_per_px(map: &Document, viewport: &Viewport) -> f64 {
    let Some(t) = &map.to_lonlat else {
        return viewport.m_per_px;
    };
    let c = [
        viewport.offset[0] + viewport.size[0] / 2.0,
        viewport.offset[1] + viewport.size[1] / 2.0,
    ];
    let a = t.point(viewport.map_from_screen([c[0] - 50.0, c[1]]));
    let b = t.point(viewport.map_from_screen([c[0] + 50.0, c[1]]));
    match (a, b) {
        (Ok(a), Ok(b)) => {
            Haversine.distance(Point::new(a[0], a[1]), Point::new(b[0], b[1])) / 100.0
        }
        _ => viewport.m_per_px,
    }
}

/// A view of `bounds` in the map area. In presentation mode the map fills everything left of
/// the column with title and legend (and above the hint line), centred there.
fn fit(bounds: [f64; 4], size: [f32; 2], offset: [f32; 2], presenting: bool) -> Viewport {
    if !presenting {
        return Viewport::fit(bounds, size, offset, FIT_MARGIN);
    }
    let free = [
        (size[0] - present_column(size[0])).max(100.0),
        (size[1] - PRESENT_BOTTOM).max(100.0),
    ];
    let mut v = Viewport::fit(bounds, free, offset, FIT_MARGIN);
    // Centred in the free part, drawn in the whole area.
    v.center[0] += f64::from(size[0] / 2.0 - free[0] / 2.0) * v.m_per_px;
    v.center[1] += f64::from(free[1] / 2.0 - size[1] / 2.0) * v.m_per_px;
    v.size = size;
    v
}

/// Which part of the map the map view shows, and what it is asked to show next. The view
/// changes it directly while the user drags and zooms (pure view state, not undone).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Camera {
    /// Which part is shown; None until the map view knows its size and fits the map.
    pub viewport: Option<Viewport>,
    /// A planar box the map view should fit next (zoom to a municipality or an area).
    pub fit_to: Option<[f64; 4]>,
    /// In presentation mode, the part of the map being presented (fitted again when the
    /// window changes size, e.g. on going full screen).
    pub presented_extent: Option<[f64; 4]>,
    /// The area under the cursor.
    pub hover: Option<usize>,
}

/// Shows the map and handles its input.
pub fn map_view_ui(
    ui: &mut Ui,
    state: &Shown<'_>,
    camera: &mut Camera,
    painter: &mut MapPainter,
) -> Vec<Command> {
    let mut commands = Vec::new();
    let lang = state.lang();
    let (rect, response) = ui.allocate_exact_size(ui.available_size(), Sense::click_and_drag());
    let canvas = ui.painter_at(rect);
    canvas.rect_filled(rect, 0.0, color32(style::BACKGROUND));
    let (Some(map), Some(scene)) = (state.map, state.scene) else {
        return commands;
    };
    let size = [rect.width(), rect.height()];
    let offset = [rect.min.x, rect.min.y];
    let bounds = map.prepared.bounds;
    let viewport = place_camera(camera, bounds, size, offset, state.presenting);
    let fitted = Viewport::fit(bounds, size, offset, FIT_MARGIN);

    // Navigation; Shift+drag draws a selection rectangle instead of panning.
    let rubber = rubber_band_ui(ui, &response, map, viewport, &mut commands);
    if rubber == Rubber::Off && response.dragged() {
        let d = response.drag_delta();
        viewport.pan_by_screen([d.x, d.y]);
    }
    let pointer = response.hover_pos();
    if let Some(p) = pointer {
        let (scroll, zoom) = ui.input(|i| (i.smooth_scroll_delta.y, i.zoom_delta()));
        let factor = (f64::from(scroll) / 300.0).exp() * f64::from(zoom);
        if (factor - 1.0).abs() > 1e-6 {
            viewport.zoom_about(factor, [p.x, p.y]);
        }
        if response.double_clicked() {
            viewport.zoom_about(2.0, [p.x, p.y]);
        }
    }
    if ui.memory(|m| m.focused().is_none()) {
        commands.extend(navigation_keys(
            ui,
            viewport,
            [rect.center().x, rect.center().y],
        ));
    }
    // Keep the map findable: no further out than 8 times the fitted view, no closer than 5 cm.
    viewport.m_per_px = viewport.m_per_px.clamp(0.05, fitted.m_per_px * 8.0);
    let viewport = *viewport;

    // Hover and click.
    let hover = pointer.and_then(|p| {
        map.prepared
            .hit(&map.region, viewport.map_from_screen([p.x, p.y]))
    });
    camera.hover = hover;
    if response.clicked() {
        let toggle = ui.input(|i| i.modifiers.command);
        match hover {
            Some(i) if toggle => commands.push(Command::ToggleSelect(i)),
            _ => commands.push(Command::Select(hover)),
        }
    }

    painter.paint(
        &canvas,
        scene,
        state.scene_generation,
        &map.prepared,
        &viewport,
        Overlay {
            hover,
            selection: state.selection,
            selected: state.selected,
        },
    );
    // Presentation mode: no text under 20 points, and title and legend are drawn over it.
    let text_scale = if state.presenting { 20.0 / 11.0 } else { 1.0 };
    badges_ui(&canvas, rect, map, scene, &viewport, text_scale);
    if !state.presenting {
        overlays_ui(&canvas, rect, map, scene, &viewport, lang);
    }
    if let Rubber::Drawing(r) = rubber {
        canvas.rect_filled(r, 0.0, Color32::from_rgba_unmultiplied(30, 60, 120, 40));
        canvas.rect_stroke(
            r,
            0.0,
            Stroke::new(1.5, Color32::from_rgb(30, 60, 120)),
            StrokeKind::Inside,
        );
    }
    // No small tooltip on a projector: a click opens the large card instead.
    if let Some(i) = hover.filter(|_| !state.presenting)
        && let Some(space) = map.region.spaces.get(i)
    {
        let municipality = map.region.municipality_of(i).map(|m| m.name.clone());
        response.on_hover_ui_at_pointer(|ui| {
            ui.label(egui::RichText::new(space.display_name()).strong());
            if let Some(m) = municipality {
                ui.label(format!("{}: {m}", lang.t(T::HoverMunicipality)));
            }
        });
    }
    commands
}

/// The camera's viewport for a map area of `size` at `offset`: fitted to the map the first
/// time, to a requested box when one waits, and kept otherwise.
fn place_camera(
    camera: &mut Camera,
    bounds: [f64; 4],
    size: [f32; 2],
    offset: [f32; 2],
    presenting: bool,
) -> &mut Viewport {
    let viewport = camera
        .viewport
        .get_or_insert_with(|| fit(bounds, size, offset, presenting));
    // Going full screen takes a few frames: the presented part is fitted again as the map
    // area grows, instead of staying as small as the window was.
    if presenting
        && viewport.size != size
        && camera.fit_to.is_none()
        && let Some(shown) = camera.presented_extent
    {
        camera.fit_to = Some(shown);
    }
    viewport.size = size;
    viewport.offset = offset;
    if let Some(target) = camera.fit_to.take() {
        *viewport = fit(target, size, offset, presenting);
        camera.presented_extent = presenting.then_some(target);
    }
    viewport
}

/// The selection rectangle (Shift+drag) in this frame.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Rubber {
    /// None is being drawn: a drag pans.
    Off,
    /// Being drawn: paint it.
    Drawing(Rect),
    /// Finished in this frame: the areas inside are selected.
    Done,
}

/// Shift+drag: the selection rectangle while it is drawn, and the areas whose label point
/// lies inside when the button goes up (a command).
fn rubber_band_ui(
    ui: &Ui,
    response: &egui::Response,
    map: &Document,
    viewport: &Viewport,
    commands: &mut Vec<Command>,
) -> Rubber {
    let rubber_id = egui::Id::unique("selection-rectangle");
    // The rectangle starts where the button went down, not where the drag was recognised.
    if response.drag_started()
        && ui.input(|i| i.modifiers.shift)
        && let Some(p) = ui
            .input(|i| i.pointer.press_origin())
            .or(response.interact_pointer_pos())
    {
        ui.data_mut(|d| d.insert_temp(rubber_id, p));
    }
    let Some(start) = ui.data(|d| d.get_temp::<Pos2>(rubber_id)) else {
        return Rubber::Off;
    };
    let now = response
        .interact_pointer_pos()
        .or(response.hover_pos())
        .unwrap_or(start);
    let r = Rect::from_two_pos(start, now);
    if response.dragged() && !response.drag_stopped() {
        return Rubber::Drawing(r);
    }
    ui.data_mut(|d| d.remove::<Pos2>(rubber_id));
    let a = viewport.map_from_screen([r.min.x, r.max.y]);
    let b = viewport.map_from_screen([r.max.x, r.min.y]);
    let inside = |p: [f64; 2]| p[0] >= a[0] && p[0] <= b[0] && p[1] >= a[1] && p[1] <= b[1];
    let mut areas: Vec<usize> = map
        .prepared
        .index
        .in_rect(a, b)
        .into_iter()
        .filter(|i| {
            map.prepared
                .labels
                .get(*i)
                .and_then(|l| l.as_ref())
                .is_some_and(|l| inside(l.pos))
        })
        .collect();
    areas.sort_by(|x, y| {
        crate::model::natural_cmp(&map.region.spaces[*x].code, &map.region.spaces[*y].code)
    });
    commands.push(Command::SelectMany(areas));
    Rubber::Done
}

/// Arrow keys pan, + and − zoom about `center`; Home shows everything, Esc clears the
/// selection.
fn navigation_keys(ui: &Ui, viewport: &mut Viewport, center: [f32; 2]) -> Vec<Command> {
    let mut commands = Vec::new();
    ui.input(|i| {
        let step = KEY_PAN;
        if i.key_pressed(Key::ArrowLeft) {
            viewport.pan_by_screen([step, 0.0]);
        }
        if i.key_pressed(Key::ArrowRight) {
            viewport.pan_by_screen([-step, 0.0]);
        }
        if i.key_pressed(Key::ArrowUp) {
            viewport.pan_by_screen([0.0, step]);
        }
        if i.key_pressed(Key::ArrowDown) {
            viewport.pan_by_screen([0.0, -step]);
        }
        if i.key_pressed(Key::Plus) || i.key_pressed(Key::Equals) {
            viewport.zoom_about(KEY_ZOOM, center);
        }
        if i.key_pressed(Key::Minus) {
            viewport.zoom_about(1.0 / KEY_ZOOM, center);
        }
        if i.key_pressed(Key::Home) {
            commands.push(Command::FitAll);
        }
        if i.key_pressed(Key::Escape) {
            commands.push(Command::Select(None));
        }
    });
    commands
}

/// The number of measures on each area that has some: a dark disc with a white number, to
/// the upper right of the area's label point.
fn badges_ui(
    painter: &egui::Painter,
    rect: Rect,
    map: &Document,
    scene: &crate::scene::Scene,
    viewport: &Viewport,
    scale: f32,
) {
    if scene.badges.is_empty() {
        return;
    }
    let font = FontId::proportional(11.0 * scale);
    for (i, count) in scene.badges.iter().enumerate() {
        if *count == 0 {
            continue;
        }
        let Some(anchor) = map.prepared.labels.get(i).and_then(|l| l.as_ref()) else {
            continue;
        };
        let s = viewport.screen_from_map(anchor.pos);
        let center = Pos2::new(s[0] + 14.0 * scale, s[1] - 12.0 * scale);
        if !rect.contains(center) {
            continue;
        }
        let text = count.to_string();
        let galley = painter.layout_no_wrap(text, font.clone(), color32(style::BADGE_TEXT));
        let radius = (galley.size().x / 2.0 + 4.0 * scale).max(8.0 * scale);
        painter.circle(
            center,
            radius,
            color32(style::BADGE),
            Stroke::new(1.5, Color32::WHITE),
        );
        painter.galley(
            center - galley.size() / 2.0,
            galley,
            color32(style::BADGE_TEXT),
        );
    }
}

fn pill(
    painter: &egui::Painter,
    anchor: Pos2,
    align: Align2,
    text: &str,
    font: FontId,
    strong: bool,
) {
    let galley = painter.layout_no_wrap(
        text.to_string(),
        font,
        if strong {
            Color32::WHITE
        } else {
            Color32::from_gray(30)
        },
    );
    let size = galley.size() + Vec2::new(12.0, 6.0);
    let rect = align.anchor_size(anchor, size);
    let fill = if strong {
        Color32::from_rgb(0x8a, 0x1c, 0x1c)
    } else {
        Color32::from_white_alpha(215)
    };
    painter.rect_filled(rect, CornerRadius::same(4), fill);
    painter.galley(rect.min + Vec2::new(6.0, 3.0), galley, Color32::BLACK);
}

fn overlays_ui(
    painter: &egui::Painter,
    rect: Rect,
    map: &Document,
    scene: &crate::scene::Scene,
    viewport: &Viewport,
    lang: Lang,
) {
    let margin = 10.0;
    if let Some(badge) = &scene.badge {
        pill(
            painter,
            rect.left_top() + Vec2::new(margin, margin),
            Align2::LEFT_TOP,
            badge,
            FontId::proportional(14.0),
            true,
        );
    }
    // The attribution runs along the bottom edge; the scale bar sits above it.
    let attribution = painter.layout(
        scene.attribution.clone(),
        FontId::proportional(11.0),
        Color32::from_gray(40),
        (rect.width() - 2.0 * margin - 12.0).max(50.0),
    );
    let text_size = attribution.size();
    let attribution_rect = Align2::RIGHT_BOTTOM.anchor_size(
        rect.right_bottom() - Vec2::new(margin, 4.0),
        text_size + Vec2::new(12.0, 4.0),
    );
    painter.rect_filled(
        attribution_rect,
        CornerRadius::same(3),
        Color32::from_white_alpha(215),
    );
    painter.galley(
        attribution_rect.min + Vec2::new(6.0, 2.0),
        attribution,
        Color32::BLACK,
    );
    let above_attribution = attribution_rect.height() + 10.0;
    let ground = ground_m_per_px(map, viewport);
    if let Some(bar) = scale_bar(ground, (rect.width() / 4.0).min(220.0), lang) {
        let base = rect.left_bottom() + Vec2::new(margin + 6.0, -above_attribution - 10.0);
        let box_rect = Rect::from_min_max(
            base + Vec2::new(-6.0, -26.0),
            base + Vec2::new(bar.length_px + 6.0, 6.0),
        );
        painter.rect_filled(
            box_rect,
            CornerRadius::same(4),
            Color32::from_white_alpha(215),
        );
        let end = base + Vec2::new(bar.length_px, 0.0);
        let ink = Color32::from_gray(20);
        painter.line_segment([base, end], Stroke::new(2.0, ink));
        for x in [base, end] {
            painter.line_segment([x, x - Vec2::new(0.0, 6.0)], Stroke::new(2.0, ink));
        }
        painter.text(
            base + Vec2::new(bar.length_px / 2.0, -8.0),
            Align2::CENTER_BOTTOM,
            bar.label,
            FontId::proportional(12.0),
            ink,
        );
        painter.rect_stroke(
            box_rect,
            CornerRadius::same(4),
            Stroke::NONE,
            StrokeKind::Inside,
        );
    }
}
