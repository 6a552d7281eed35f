//! The viewport: which part of the planar map is shown, at what scale, on how many pixels.
//!
//! One small value type used by the window and by every export, so that "what you see" and
//! "what you export" are computed by the same arithmetic. Screen y grows downwards, map y
//! (northing) upwards.

/// A view of the map.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Viewport {
    /// Planar coordinates at the centre of the view.
    pub center: [f64; 2],
    /// Metres per screen point (logical pixel).
    pub m_per_px: f64,
    /// Size of the view in points.
    pub size: [f32; 2],
    /// Screen position of the view's top-left corner in points.
    pub offset: [f32; 2],
}

impl Viewport {
    /// A viewport that shows the box `bounds` ([min x, min y, max x, max y]) with `margin`
    /// points to spare on every side.
    pub fn fit(bounds: [f64; 4], size: [f32; 2], offset: [f32; 2], margin: f32) -> Viewport {
        let w = f64::from((size[0] - 2.0 * margin).max(1.0));
        let h = f64::from((size[1] - 2.0 * margin).max(1.0));
        let m_per_px = ((bounds[2] - bounds[0]) / w)
            .max((bounds[3] - bounds[1]) / h)
            .max(1e-6);
        Viewport {
            center: [(bounds[0] + bounds[2]) / 2.0, (bounds[1] + bounds[3]) / 2.0],
            m_per_px,
            size,
            offset,
        }
    }

    /// Screen position of a planar point.
    pub fn screen_from_map(&self, p: [f64; 2]) -> [f32; 2] {
        [
            self.offset[0] + self.size[0] / 2.0 + ((p[0] - self.center[0]) / self.m_per_px) as f32,
            self.offset[1] + self.size[1] / 2.0 - ((p[1] - self.center[1]) / self.m_per_px) as f32,
        ]
    }

    /// Planar point at a screen position.
    pub fn map_from_screen(&self, s: [f32; 2]) -> [f64; 2] {
        [
            self.center[0] + f64::from(s[0] - self.offset[0] - self.size[0] / 2.0) * self.m_per_px,
            self.center[1] - f64::from(s[1] - self.offset[1] - self.size[1] / 2.0) * self.m_per_px,
        ]
    }

    /// The planar box visible: [min x, min y, max x, max y].
    pub fn visible_bounds(&self) -> [f64; 4] {
        let hw = f64::from(self.size[0]) / 2.0 * self.m_per_px;
        let hh = f64::from(self.size[1]) / 2.0 * self.m_per_px;
        [
            self.center[0] - hw,
            self.center[1] - hh,
            self.center[0] + hw,
            self.center[1] + hh,
        ]
    }

    /// Moves the view by a screen delta (dragging the map by `delta` points).
    pub fn pan_by_screen(&mut self, delta: [f32; 2]) {
        self.center[0] -= f64::from(delta[0]) * self.m_per_px;
        self.center[1] += f64::from(delta[1]) * self.m_per_px;
    }

    /// Zooms by `factor` (> 1 zooms in) keeping the map point under `anchor` in place.
    pub fn zoom_about(&mut self, factor: f64, anchor: [f32; 2]) {
        let before = self.map_from_screen(anchor);
        self.m_per_px /= factor;
        let after = self.map_from_screen(anchor);
        self.center[0] += before[0] - after[0];
        self.center[1] += before[1] - after[1];
    }

    /// The coefficients of the affine map from coordinates relative to `origin` to screen
    /// points, in `f32` for transforming many vertices: `x_s = a * x + bx`, `y_s = -a * y + by`.
    pub fn relative_transform(&self, origin: [f64; 2]) -> RelativeTransform {
        let a = 1.0 / self.m_per_px;
        RelativeTransform {
            scale: a as f32,
            bx: (f64::from(self.offset[0])
                + f64::from(self.size[0]) / 2.0
                + (origin[0] - self.center[0]) * a) as f32,
            by: (f64::from(self.offset[1]) + f64::from(self.size[1]) / 2.0
                - (origin[1] - self.center[1]) * a) as f32,
        }
    }
}

/// Screen transform of origin-relative `f32` coordinates.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RelativeTransform {
    /// Points per metre.
    pub scale: f32,
    /// Screen x of the origin.
    pub bx: f32,
    /// Screen y of the origin.
    pub by: f32,
}

impl RelativeTransform {
    /// Screen position of an origin-relative point.
    #[inline]
    pub fn apply(&self, p: [f32; 2]) -> [f32; 2] {
        [self.bx + p[0] * self.scale, self.by - p[1] * self.scale]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn view() -> Viewport {
        Viewport::fit([0.0, 0.0, 1000.0, 500.0], [200.0, 100.0], [10.0, 20.0], 0.0)
    }

    #[test]
    fn fitting_shows_the_whole_box_centred() {
        let v = view();
        assert_eq!(v.m_per_px, 5.0);
        assert_eq!(v.screen_from_map([0.0, 500.0]), [10.0, 20.0]);
        assert_eq!(v.screen_from_map([1000.0, 0.0]), [210.0, 120.0]);
    }

    #[test]
    fn screen_and_map_positions_round_trip() {
        let v = view();
        let p = [123.0, 456.0];
        let back = v.map_from_screen(v.screen_from_map(p));
        assert!((back[0] - p[0]).abs() < 1e-3 && (back[1] - p[1]).abs() < 1e-3);
    }

    #[test]
    fn zooming_keeps_the_point_under_the_cursor() {
        let mut v = view();
        let cursor = [60.0, 40.0];
        let before = v.map_from_screen(cursor);
        v.zoom_about(2.0, cursor);
        let after = v.map_from_screen(cursor);
        assert!((before[0] - after[0]).abs() < 1e-6 && (before[1] - after[1]).abs() < 1e-6);
        assert_eq!(v.m_per_px, 2.5);
    }

    #[test]
    fn dragging_moves_the_map_with_the_pointer() {
        let mut v = view();
        let p = [500.0, 250.0];
        let before = v.screen_from_map(p);
        v.pan_by_screen([15.0, -5.0]);
        let after = v.screen_from_map(p);
        assert!((after[0] - before[0] - 15.0).abs() < 1e-4);
        assert!((after[1] - before[1] + 5.0).abs() < 1e-4);
    }

    #[test]
    fn the_relative_transform_agrees_with_the_exact_one() {
        let v = view();
        let origin = [500.0, 250.0];
        let t = v.relative_transform(origin);
        let p = [700.0, 100.0];
        let rel = [(p[0] - origin[0]) as f32, (p[1] - origin[1]) as f32];
        let fast = t.apply(rel);
        let exact = v.screen_from_map(p);
        assert!((fast[0] - exact[0]).abs() < 1e-3 && (fast[1] - exact[1]).abs() < 1e-3);
    }
}
