//! Big maps in the window as a picture: drawn on the CPU on a thread of its own, shown as one
//! texture, moved and scaled with the view until the picture of the new view is ready.
//!
//! From [`PICTURE_FROM`] areas a frame of triangles costs more than a picture does: Mesa's
//! software renderer (what a VM or terminal server draws with) keeps about 100 MB for the
//! 2 million vertices of the German municipalities, and the 113,000-area file takes 16 ms to
//! build a frame. The picture comes from the export's renderer (tiny-skia, the same colours)
//! and takes about 0.1 s for all of Germany on two cores; meanwhile the window shows the last
//! picture where the view now puts it, as QGIS does. Smaller maps keep their triangles: they
//! are drawn in a few milliseconds and stay sharp while zooming, and so do views of more than
//! [`PICTURE_MAX_PX`] device pixels.

use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Instant;

use eframe::egui::{self, Color32, ColorImage, Painter, Pos2, Rect, TextureHandle, TextureOptions};

use super::frame_pool::frame_pool;
use super::raster::rasterize;
use crate::scene::Scene;
use crate::scene::page::view::view_page;
use crate::spatial::prepared::PreparedMap;
use crate::spatial::viewport::Viewport;

/// Maps with at least this many areas are drawn as a picture (the threshold from which their
/// levels have no triangles made ahead either).
pub const PICTURE_FROM: usize = crate::spatial::prepared::TRIANGLES_ON_DEMAND_FROM;

/// The largest picture in device pixels (a 2560 × 1600 view). A bigger view (a 4K screen,
/// or a large window on a high-density one) keeps its triangles: its picture would hold
/// 30 MB and more several times over and take a third of a second to draw.
pub const PICTURE_MAX_PX: f32 = 4_100_000.0;

/// Whether the window draws `prepared` in `viewport` at `pixels_per_point` as a picture.
pub fn draws_as_picture(
    prepared: &PreparedMap,
    viewport: &Viewport,
    pixels_per_point: f32,
) -> bool {
    let device_px = viewport.size[0] * viewport.size[1] * pixels_per_point * pixels_per_point;
    prepared.feature_bounds.len() >= PICTURE_FROM && device_px <= PICTURE_MAX_PX
}

/// The view `viewport` of `scene` as an image of device pixels (`pixels_per_point` per
/// point), transparent where there is no area; None for an empty or impossible size.
pub fn render_picture(
    scene: &Scene,
    prepared: &PreparedMap,
    viewport: &Viewport,
    pixels_per_point: f32,
) -> Option<ColorImage> {
    let page = view_page(scene, prepared, viewport, pixels_per_point);
    let pixmap = rasterize(&page).ok()?;
    drop(page);
    let size = [pixmap.width() as usize, pixmap.height() as usize];
    // Both are premultiplied RGBA, byte for byte: the pixels are taken over, not copied.
    let pixels = match bytemuck::try_cast_vec::<u8, Color32>(pixmap.take()) {
        Ok(pixels) => pixels,
        Err((_, bytes)) => bytes
            .chunks_exact(4)
            .map(|c| Color32::from_rgba_premultiplied(c[0], c[1], c[2], c[3]))
            .collect(),
    };
    Some(ColorImage::new(size, pixels))
}

/// Where a picture drawn for `drawn` (its image `size_px` device pixels at `pixels_per_point`)
/// lies on screen in `now`, in points: min x, min y, max x, max y.
pub fn picture_rect(
    drawn: &Viewport,
    size_px: [usize; 2],
    pixels_per_point: f32,
    now: &Viewport,
) -> [f32; 4] {
    let s = pixels_per_point.max(0.1);
    let top_left = drawn.map_from_screen(drawn.offset);
    let bottom_right = drawn.map_from_screen([
        drawn.offset[0] + size_px[0] as f32 / s,
        drawn.offset[1] + size_px[1] as f32 / s,
    ]);
    let a = now.screen_from_map(top_left);
    let b = now.screen_from_map(bottom_right);
    [a[0], a[1], b[0], b[1]]
}

/// What a picture shows: it is the picture of the view when all of it is equal.
#[derive(Debug, Clone, PartialEq)]
struct PictureKey {
    scene_generation: u64,
    prepared: usize,
    viewport: Viewport,
    pixels_per_point: f32,
}

/// A picture asked of the drawing thread.
struct Job {
    key: PictureKey,
    scene: Arc<Scene>,
    prepared: Arc<PreparedMap>,
    ctx: egui::Context,
}

/// A picture the drawing thread has finished.
struct Finished {
    key: PictureKey,
    bounds: [f64; 4],
    image: Option<ColorImage>,
    ms: f64,
}

/// The picture on screen.
struct Shown {
    key: PictureKey,
    bounds: [f64; 4],
    size_px: [usize; 2],
    texture: TextureHandle,
}

/// The drawing thread: takes the newest job, leaves older ones undrawn.
struct Worker {
    jobs: Sender<Job>,
    finished: Arc<Mutex<Option<Finished>>>,
}

impl Worker {
    fn start() -> Option<Worker> {
        let (jobs, inbox) = channel::<Job>();
        let finished = Arc::new(Mutex::new(None));
        let out = Arc::clone(&finished);
        std::thread::Builder::new()
            .name("map-picture".into())
            .spawn(move || draw_jobs(&inbox, &out))
            .ok()?;
        Some(Worker { jobs, finished })
    }
}

fn draw_jobs(inbox: &Receiver<Job>, out: &Mutex<Option<Finished>>) {
    while let Ok(mut job) = inbox.recv() {
        // While the last picture was drawn the view moved on: only the newest view matters.
        while let Ok(newer) = inbox.try_recv() {
            job = newer;
        }
        let finished = draw(&job);
        *out.lock().unwrap_or_else(PoisonError::into_inner) = Some(finished);
        job.ctx.request_repaint();
    }
}

fn draw(job: &Job) -> Finished {
    let started = Instant::now();
    let render = || {
        render_picture(
            &job.scene,
            &job.prepared,
            &job.key.viewport,
            job.key.pixels_per_point,
        )
    };
    // On the frame threads: rayon's global pool may be busy preparing full detail, and the
    // picture would wait for it.
    let image = match frame_pool() {
        Some(pool) => pool.install(render),
        None => render(),
    };
    let ms = started.elapsed().as_secs_f64() * 1000.0;
    if std::env::var_os("SOZIALRAUM_ATLAS_TIMING").is_some()
        && let Some(image) = &image
    {
        crate::io::console::err_line(&format!(
            "timing: map picture {} × {} drawn in {ms:.0} ms",
            image.size[0], image.size[1]
        ));
    }
    Finished {
        key: job.key.clone(),
        bounds: job.prepared.bounds,
        image,
        ms,
    }
}

/// The pictures of a big map: the one on screen and the one being drawn.
#[derive(Default)]
pub struct Pictures {
    worker: Option<Worker>,
    /// The worker could not be started: pictures are drawn on the window's thread.
    inline: bool,
    shown: Option<Shown>,
    asked: Option<PictureKey>,
    scene: Option<(u64, Arc<Scene>)>,
    /// Milliseconds the last picture took to draw.
    pub last_ms: f64,
}

impl Pictures {
    /// Draws the newest picture of the map where `viewport` puts it and, unless it is the
    /// picture of exactly this view, asks for that one. Returns whether a picture of this map
    /// is on screen.
    pub fn paint(
        &mut self,
        painter: &Painter,
        scene: &Scene,
        scene_generation: u64,
        prepared: &Arc<PreparedMap>,
        viewport: &Viewport,
        pixels_per_point: f32,
    ) -> bool {
        let ctx = painter.ctx();
        self.take_finished(ctx);
        let key = PictureKey {
            scene_generation,
            prepared: Arc::as_ptr(prepared) as usize,
            viewport: *viewport,
            pixels_per_point,
        };
        let current = self.shown.as_ref().is_some_and(|s| s.key == key);
        if !current && self.asked.as_ref() != Some(&key) {
            self.ask(ctx, key, scene, prepared);
        }
        let Some(shown) = &self.shown else {
            return false;
        };
        // A picture of another map (another file opened) is not shown.
        if shown.bounds != prepared.bounds {
            return false;
        }
        let r = picture_rect(
            &shown.key.viewport,
            shown.size_px,
            shown.key.pixels_per_point,
            viewport,
        );
        let rect = Rect::from_min_max(Pos2::new(r[0], r[1]), Pos2::new(r[2], r[3]));
        let uv = Rect::from_min_max(Pos2::ZERO, Pos2::new(1.0, 1.0));
        painter.image(shown.texture.id(), rect, uv, Color32::WHITE);
        true
    }

    fn ask(
        &mut self,
        ctx: &egui::Context,
        key: PictureKey,
        scene: &Scene,
        prepared: &Arc<PreparedMap>,
    ) {
        let scene = match &self.scene {
            Some((g, s)) if *g == key.scene_generation => Arc::clone(s),
            _ => {
                let s = Arc::new(scene.clone());
                self.scene = Some((key.scene_generation, Arc::clone(&s)));
                s
            }
        };
        self.asked = Some(key.clone());
        let job = Job {
            key,
            scene,
            prepared: Arc::clone(prepared),
            ctx: ctx.clone(),
        };
        if !self.inline && self.worker.is_none() {
            self.worker = Worker::start();
            self.inline = self.worker.is_none();
        }
        let job = match &self.worker {
            Some(worker) => match worker.jobs.send(job) {
                Ok(()) => return,
                // The thread is gone: draw here from now on.
                Err(returned) => {
                    self.worker = None;
                    self.inline = true;
                    returned.0
                }
            },
            None => job,
        };
        let finished = draw(&job);
        self.show(ctx, finished);
    }

    fn take_finished(&mut self, ctx: &egui::Context) {
        let finished = self.worker.as_ref().and_then(|w| {
            w.finished
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .take()
        });
        if let Some(finished) = finished {
            self.show(ctx, finished);
        }
    }

    fn show(&mut self, ctx: &egui::Context, finished: Finished) {
        self.last_ms = finished.ms;
        let Some(image) = finished.image else {
            return;
        };
        let size_px = image.size;
        let options = TextureOptions::LINEAR;
        match &mut self.shown {
            Some(shown) => {
                shown.texture.set(image, options);
                shown.key = finished.key;
                shown.bounds = finished.bounds;
                shown.size_px = size_px;
            }
            None => {
                self.shown = Some(Shown {
                    key: finished.key,
                    bounds: finished.bounds,
                    size_px,
                    texture: ctx.load_texture("map-picture", image, options),
                });
            }
        }
    }

    /// Whether the picture on screen is the one of the view last painted.
    pub fn is_current(&self) -> bool {
        matches!((&self.shown, &self.asked), (Some(s), Some(a)) if s.key == *a)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scene::page::view::demo_scene_and_map;
    use crate::scene::style::FillStyle;

    fn demo_map() -> (Scene, Arc<PreparedMap>) {
        let (scene, prepared) = demo_scene_and_map();
        (scene, Arc::new(prepared))
    }

    #[test]
    fn the_picture_has_each_areas_colour_at_its_label_point() {
        let (scene, prepared) = demo_map();
        let viewport = Viewport::fit(prepared.bounds, [700.0, 500.0], [120.0, 40.0], 10.0);
        let image = render_picture(&scene, &prepared, &viewport, 1.0).expect("picture");
        assert_eq!(image.size, [700, 500]);
        let mut checked = 0;
        for (i, label) in prepared.labels.iter().enumerate() {
            let (Some(label), Some(FillStyle::Solid(c))) = (label, scene.fills.get(i)) else {
                continue;
            };
            // Only labels well inside their area: the outline is drawn over the edge.
            if label.radius_m < 12.0 * viewport.m_per_px {
                continue;
            }
            let p = viewport.screen_from_map(label.pos);
            let (x, y) = ((p[0] - 120.0) as usize, (p[1] - 40.0) as usize);
            let px = image.pixels[y * image.size[0] + x];
            let want = Color32::from_rgba_unmultiplied(c.0[0], c.0[1], c.0[2], c.0[3]);
            let close = px
                .to_array()
                .iter()
                .zip(want.to_array())
                .all(|(a, b)| a.abs_diff(b) <= 2);
            assert!(close, "area {i}: {px:?} instead of {want:?}");
            checked += 1;
        }
        assert!(checked >= 20, "only {checked} areas checked");
        // Outside the region nothing is drawn.
        assert_eq!(image.pixels[0], Color32::TRANSPARENT);
    }

    #[test]
    fn only_big_maps_in_views_of_at_most_four_million_pixels_are_pictures() {
        let big = PreparedMap {
            feature_bounds: vec![[0.0, 0.0, 1.0, 1.0]; PICTURE_FROM],
            ..PreparedMap::default()
        };
        let small = PreparedMap {
            feature_bounds: vec![[0.0, 0.0, 1.0, 1.0]; PICTURE_FROM - 1],
            ..PreparedMap::default()
        };
        let view = |w: f32, h: f32| Viewport::fit([0.0, 0.0, 1.0, 1.0], [w, h], [0.0, 0.0], 0.0);
        assert!(draws_as_picture(&big, &view(1480.0, 900.0), 1.0));
        assert!(draws_as_picture(&big, &view(2560.0, 1600.0), 1.0));
        assert!(!draws_as_picture(&small, &view(1480.0, 900.0), 1.0));
        // A 4K screen, or a large window at two pixels a point: triangles.
        assert!(!draws_as_picture(&big, &view(3840.0, 2160.0), 1.0));
        assert!(!draws_as_picture(&big, &view(1480.0, 900.0), 2.0));
    }

    #[test]
    fn a_picture_moves_and_scales_with_the_view() {
        let drawn = Viewport::fit([0.0, 0.0, 1000.0, 500.0], [200.0, 100.0], [10.0, 20.0], 0.0);
        assert_eq!(
            picture_rect(&drawn, [400, 200], 2.0, &drawn),
            [10.0, 20.0, 210.0, 120.0]
        );
        let mut panned = drawn;
        panned.pan_by_screen([30.0, -5.0]);
        let r = picture_rect(&drawn, [400, 200], 2.0, &panned);
        for (a, b) in r.iter().zip([40.0, 15.0, 240.0, 115.0]) {
            assert!((a - b).abs() < 1e-3, "{r:?}");
        }
        let mut zoomed = drawn;
        zoomed.zoom_about(2.0, [60.0, 70.0]);
        let r = picture_rect(&drawn, [400, 200], 2.0, &zoomed);
        // The point under the cursor stays; the picture is twice as large around it.
        for (a, b) in r.iter().zip([-40.0, -30.0, 360.0, 170.0]) {
            assert!((a - b).abs() < 1e-3, "{r:?}");
        }
    }

    #[test]
    fn the_drawing_thread_ends_with_the_newest_view_asked_for() {
        let (scene, prepared) = demo_map();
        let ctx = egui::Context::default();
        let mut pictures = Pictures::default();
        let mut viewport = Viewport::fit(prepared.bounds, [300.0, 200.0], [0.0, 0.0], 0.0);
        let mut last = None;
        for k in 0..5 {
            viewport.pan_by_screen([7.0, 3.0]);
            let key = PictureKey {
                scene_generation: k,
                prepared: Arc::as_ptr(&prepared) as usize,
                viewport,
                pixels_per_point: 1.0,
            };
            pictures.ask(&ctx, key.clone(), &scene, &prepared);
            last = Some(key);
        }
        let started = Instant::now();
        while !pictures.is_current() && started.elapsed().as_secs() < 30 {
            std::thread::sleep(std::time::Duration::from_millis(5));
            pictures.take_finished(&ctx);
        }
        let shown = pictures.shown.as_ref().expect("a picture");
        assert_eq!(Some(&shown.key), last.as_ref());
        assert_eq!(shown.size_px, [300, 200]);
        assert!(pictures.last_ms > 0.0);
    }
}
