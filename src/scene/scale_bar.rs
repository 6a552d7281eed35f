//! The scale bar: a round length (1, 2 or 5 × 10ⁿ m) that fits, measured on the ground.
//!
//! Planar metres of a UTM zone differ from ground metres by up to a few per mille, and other
//! CRS by much more; the caller passes the true ground distance per pixel at the map's centre.

use crate::i18n::{Lang, format};

/// A scale bar ready to draw.
#[derive(Debug, Clone, PartialEq)]
pub struct ScaleBar {
    /// The length it stands for, in ground metres.
    pub length_m: f64,
    /// Its length on screen, in points.
    pub length_px: f32,
    /// "500 m", "2 km".
    pub label: String,
}

/// The largest round length whose bar is at most `max_px` points long.
pub fn scale_bar(ground_m_per_px: f64, max_px: f32, lang: Lang) -> Option<ScaleBar> {
    if !(ground_m_per_px > 0.0 && ground_m_per_px.is_finite() && max_px > 0.0) {
        return None;
    }
    let max_m = ground_m_per_px * f64::from(max_px);
    let mut magnitude = 10f64.powf(max_m.log10().floor());
    loop {
        for step in [5.0, 2.0, 1.0] {
            let length_m = step * magnitude;
            if length_m <= max_m {
                return Some(ScaleBar {
                    length_m,
                    length_px: (length_m / ground_m_per_px) as f32,
                    label: format::length_m(length_m, lang),
                });
            }
        }
        magnitude /= 10.0;
        if magnitude < 1e-6 {
            return None;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bar_shows_a_round_length_that_fits() {
        let cases = [
            (10.0, 120.0, 1000.0, "1 km"),     // 1,200 m fit: 1 km
            (10.0, 260.0, 2000.0, "2 km"),     // 2,600 m fit: 2 km
            (1.0, 99.0, 50.0, "50 m"),         // 99 m fit: 50 m
            (250.0, 150.0, 20_000.0, "20 km"), // 37.5 km fit: 20 km
            (0.01, 100.0, 1.0, "1 m"),
        ];
        for (m_per_px, max_px, length, label) in cases {
            let bar = scale_bar(m_per_px, max_px, Lang::De).expect("bar");
            assert_eq!(bar.length_m, length, "{m_per_px} {max_px}");
            assert_eq!(bar.label, label);
            assert!(bar.length_px <= max_px);
        }
        assert!(scale_bar(0.0, 100.0, Lang::De).is_none());
    }
}
