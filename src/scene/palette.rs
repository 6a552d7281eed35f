//! Colour schemes for indicator maps: ColorBrewer's colour-blind-safe sequential and diverging
//! schemes for 3 to 9 classes.
//!
//! Colour specifications and designs developed by Cynthia Brewer (colorbrewer.org), Apache
//! License 2.0. Only schemes ColorBrewer marks as safe for colour-blind readers are offered.

use super::style::Rgba;

/// A colour scheme.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Palette {
    /// ColorBrewer's name, e.g. "YlOrRd".
    pub name: &'static str,
    /// Whether it diverges from a light middle (for values around a mean).
    pub diverging: bool,
    classes: [&'static str; 7],
}

impl Palette {
    /// The colours for `classes` classes (clamped to 3–9), light to dark (sequential) or
    /// first end to second end (diverging); `reversed` turns the order round.
    pub fn colors(&self, classes: usize, reversed: bool) -> Vec<Rgba> {
        let n = classes.clamp(3, 9);
        let mut colors: Vec<Rgba> = self.classes[n - 3]
            .split_whitespace()
            .filter_map(|hex| {
                let v = u32::from_str_radix(hex, 16).ok()?;
                Some(Rgba::rgb((v >> 16) as u8, (v >> 8) as u8, v as u8))
            })
            .collect();
        if reversed {
            colors.reverse();
        }
        colors
    }

    /// The colours for fewer than three classes: the lightest and darkest of three.
    pub fn colors_for(&self, classes: usize, reversed: bool) -> Vec<Rgba> {
        let three = self.colors(3, reversed);
        match classes {
            0 => Vec::new(),
            1 => vec![three[1]],
            2 => vec![three[0], three[2]],
            n => self.colors(n, reversed),
        }
    }
}

/// Looks a palette up by name (case-insensitive).
pub fn palette(name: &str) -> Option<&'static Palette> {
    PALETTES.iter().find(|p| p.name.eq_ignore_ascii_case(name))
}

macro_rules! palettes {
    ($(($name:literal, $div:literal, [$($row:literal,)*]),)*) => {
        /// Every palette offered, sequential first.
        pub static PALETTES: &[Palette] = &[
            $(Palette { name: $name, diverging: $div, classes: [$($row,)*] },)*
        ];
    };
}

palettes! {
    ("YlOrRd", false, [
        "ffeda0 feb24c f03b20",
        "ffffb2 fecc5c fd8d3c e31a1c",
        "ffffb2 fecc5c fd8d3c f03b20 bd0026",
        "ffffb2 fed976 feb24c fd8d3c f03b20 bd0026",
        "ffffb2 fed976 feb24c fd8d3c fc4e2a e31a1c b10026",
        "ffffcc ffeda0 fed976 feb24c fd8d3c fc4e2a e31a1c b10026",
        "ffffcc ffeda0 fed976 feb24c fd8d3c fc4e2a e31a1c bd0026 800026",
    ]),
    ("OrRd", false, [
        "fee8c8 fdbb84 e34a33",
        "fef0d9 fdcc8a fc8d59 d7301f",
        "fef0d9 fdcc8a fc8d59 e34a33 b30000",
        "fef0d9 fdd49e fdbb84 fc8d59 e34a33 b30000",
        "fef0d9 fdd49e fdbb84 fc8d59 ef6548 d7301f 990000",
        "fff7ec fee8c8 fdd49e fdbb84 fc8d59 ef6548 d7301f 990000",
        "fff7ec fee8c8 fdd49e fdbb84 fc8d59 ef6548 d7301f b30000 7f0000",
    ]),
    ("Reds", false, [
        "fee0d2 fc9272 de2d26",
        "fee5d9 fcae91 fb6a4a cb181d",
        "fee5d9 fcae91 fb6a4a de2d26 a50f15",
        "fee5d9 fcbba1 fc9272 fb6a4a de2d26 a50f15",
        "fee5d9 fcbba1 fc9272 fb6a4a ef3b2c cb181d 99000d",
        "fff5f0 fee0d2 fcbba1 fc9272 fb6a4a ef3b2c cb181d 99000d",
        "fff5f0 fee0d2 fcbba1 fc9272 fb6a4a ef3b2c cb181d a50f15 67000d",
    ]),
    ("Blues", false, [
        "deebf7 9ecae1 3182bd",
        "eff3ff bdd7e7 6baed6 2171b5",
        "eff3ff bdd7e7 6baed6 3182bd 08519c",
        "eff3ff c6dbef 9ecae1 6baed6 3182bd 08519c",
        "eff3ff c6dbef 9ecae1 6baed6 4292c6 2171b5 084594",
        "f7fbff deebf7 c6dbef 9ecae1 6baed6 4292c6 2171b5 084594",
        "f7fbff deebf7 c6dbef 9ecae1 6baed6 4292c6 2171b5 08519c 08306b",
    ]),
    ("Greens", false, [
        "e5f5e0 a1d99b 31a354",
        "edf8e9 bae4b3 74c476 238b45",
        "edf8e9 bae4b3 74c476 31a354 006d2c",
        "edf8e9 c7e9c0 a1d99b 74c476 31a354 006d2c",
        "edf8e9 c7e9c0 a1d99b 74c476 41ab5d 238b45 005a32",
        "f7fcf5 e5f5e0 c7e9c0 a1d99b 74c476 41ab5d 238b45 005a32",
        "f7fcf5 e5f5e0 c7e9c0 a1d99b 74c476 41ab5d 238b45 006d2c 00441b",
    ]),
    ("Purples", false, [
        "efedf5 bcbddc 756bb1",
        "f2f0f7 cbc9e2 9e9ac8 6a51a3",
        "f2f0f7 cbc9e2 9e9ac8 756bb1 54278f",
        "f2f0f7 dadaeb bcbddc 9e9ac8 756bb1 54278f",
        "f2f0f7 dadaeb bcbddc 9e9ac8 807dba 6a51a3 4a1486",
        "fcfbfd efedf5 dadaeb bcbddc 9e9ac8 807dba 6a51a3 4a1486",
        "fcfbfd efedf5 dadaeb bcbddc 9e9ac8 807dba 6a51a3 54278f 3f007d",
    ]),
    ("YlGnBu", false, [
        "edf8b1 7fcdbb 2c7fb8",
        "ffffcc a1dab4 41b6c4 225ea8",
        "ffffcc a1dab4 41b6c4 2c7fb8 253494",
        "ffffcc c7e9b4 7fcdbb 41b6c4 2c7fb8 253494",
        "ffffcc c7e9b4 7fcdbb 41b6c4 1d91c0 225ea8 0c2c84",
        "ffffd9 edf8b1 c7e9b4 7fcdbb 41b6c4 1d91c0 225ea8 0c2c84",
        "ffffd9 edf8b1 c7e9b4 7fcdbb 41b6c4 1d91c0 225ea8 253494 081d58",
    ]),
    ("PuBu", false, [
        "ece7f2 a6bddb 2b8cbe",
        "f1eef6 bdc9e1 74a9cf 0570b0",
        "f1eef6 bdc9e1 74a9cf 2b8cbe 045a8d",
        "f1eef6 d0d1e6 a6bddb 74a9cf 2b8cbe 045a8d",
        "f1eef6 d0d1e6 a6bddb 74a9cf 3690c0 0570b0 034e7b",
        "fff7fb ece7f2 d0d1e6 a6bddb 74a9cf 3690c0 0570b0 034e7b",
        "fff7fb ece7f2 d0d1e6 a6bddb 74a9cf 3690c0 0570b0 045a8d 023858",
    ]),
    ("RdBu", true, [
        "ef8a62 f7f7f7 67a9cf",
        "ca0020 f4a582 92c5de 0571b0",
        "ca0020 f4a582 f7f7f7 92c5de 0571b0",
        "b2182b ef8a62 fddbc7 d1e5f0 67a9cf 2166ac",
        "b2182b ef8a62 fddbc7 f7f7f7 d1e5f0 67a9cf 2166ac",
        "b2182b d6604d f4a582 fddbc7 d1e5f0 92c5de 4393c3 2166ac",
        "b2182b d6604d f4a582 fddbc7 f7f7f7 d1e5f0 92c5de 4393c3 2166ac",
    ]),
    ("BrBG", true, [
        "d8b365 f5f5f5 5ab4ac",
        "a6611a dfc27d 80cdc1 018571",
        "a6611a dfc27d f5f5f5 80cdc1 018571",
        "8c510a d8b365 f6e8c3 c7eae5 5ab4ac 01665e",
        "8c510a d8b365 f6e8c3 f5f5f5 c7eae5 5ab4ac 01665e",
        "8c510a bf812d dfc27d f6e8c3 c7eae5 80cdc1 35978f 01665e",
        "8c510a bf812d dfc27d f6e8c3 f5f5f5 c7eae5 80cdc1 35978f 01665e",
    ]),
    ("PuOr", true, [
        "f1a340 f7f7f7 998ec3",
        "e66101 fdb863 b2abd2 5e3c99",
        "e66101 fdb863 f7f7f7 b2abd2 5e3c99",
        "b35806 f1a340 fee0b6 d8daeb 998ec3 542788",
        "b35806 f1a340 fee0b6 f7f7f7 d8daeb 998ec3 542788",
        "b35806 e08214 fdb863 fee0b6 d8daeb b2abd2 8073ac 542788",
        "b35806 e08214 fdb863 fee0b6 f7f7f7 d8daeb b2abd2 8073ac 542788",
    ]),
    ("RdYlBu", true, [
        "fc8d59 ffffbf 91bfdb",
        "d7191c fdae61 abd9e9 2c7bb6",
        "d7191c fdae61 ffffbf abd9e9 2c7bb6",
        "d73027 fc8d59 fee090 e0f3f8 91bfdb 4575b4",
        "d73027 fc8d59 fee090 ffffbf e0f3f8 91bfdb 4575b4",
        "d73027 f46d43 fdae61 fee090 e0f3f8 abd9e9 74add1 4575b4",
        "d73027 f46d43 fdae61 fee090 ffffbf e0f3f8 abd9e9 74add1 4575b4",
    ]),
    ("PiYG", true, [
        "e9a3c9 f7f7f7 a1d76a",
        "d01c8b f1b6da b8e186 4dac26",
        "d01c8b f1b6da f7f7f7 b8e186 4dac26",
        "c51b7d e9a3c9 fde0ef e6f5d0 a1d76a 4d9221",
        "c51b7d e9a3c9 fde0ef f7f7f7 e6f5d0 a1d76a 4d9221",
        "c51b7d de77ae f1b6da fde0ef e6f5d0 b8e186 7fbc41 4d9221",
        "c51b7d de77ae f1b6da fde0ef f7f7f7 e6f5d0 b8e186 7fbc41 4d9221",
    ]),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_palette_has_the_asked_number_of_distinct_colours() {
        for p in PALETTES {
            for n in 3..=9 {
                let colors = p.colors(n, false);
                assert_eq!(colors.len(), n, "{} {n}", p.name);
                for w in colors.windows(2) {
                    assert_ne!(w[0], w[1], "{} {n}", p.name);
                }
            }
            assert_eq!(p.colors_for(2, false).len(), 2);
            assert_eq!(p.colors_for(1, false).len(), 1);
        }
    }

    #[test]
    fn known_colours_and_reversal() {
        let p = palette("ylorrd").expect("YlOrRd");
        assert_eq!(p.colors(5, false)[0].hex(), "#ffffb2");
        assert_eq!(p.colors(5, false)[4].hex(), "#bd0026");
        assert_eq!(p.colors(5, true)[0].hex(), "#bd0026");
        assert!(palette("RdBu").expect("RdBu").diverging);
        assert!(palette("Viridis").is_none());
    }
}
