//! Backends that draw a scene: egui (the window, cached meshes) and, for exports, a laid-out
//! [`crate::scene::page::Page`] as PNG (tiny-skia), SVG or PDF (krilla). The three export
//! backends only translate the page's items, so they show the same map.

pub mod egui_map;
pub mod frame_pool;
pub mod glyphs;
pub mod lines;
pub mod map_image;
pub mod pdf;
pub mod raster;
pub mod svg;

use std::path::Path;

use crate::scene::page::Page;

/// A map file format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    /// Raster image.
    #[default]
    Png,
    /// Vector image.
    Svg,
    /// Vector document.
    Pdf,
}

impl Format {
    /// Every format.
    pub const ALL: [Format; 3] = [Format::Png, Format::Svg, Format::Pdf];

    /// The format a file name asks for, by its extension.
    pub fn of(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_string_lossy().to_lowercase();
        match ext.as_str() {
            "png" => Some(Format::Png),
            "svg" => Some(Format::Svg),
            "pdf" => Some(Format::Pdf),
            _ => None,
        }
    }

    /// The file extension, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Png => "png",
            Format::Svg => "svg",
            Format::Pdf => "pdf",
        }
    }
}

/// Why a page could not be turned into a file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EncodeError {
    /// PNG.
    #[error(transparent)]
    Raster(#[from] raster::RasterError),
    /// PDF.
    #[error(transparent)]
    Pdf(#[from] pdf::PdfError),
}

/// The bytes of `page` in `format`.
pub fn encode(page: &Page, format: Format) -> Result<Vec<u8>, EncodeError> {
    Ok(match format {
        Format::Png => raster::png(page)?,
        Format::Svg => svg::svg(page).into_bytes(),
        Format::Pdf => pdf::pdf(page)?,
    })
}
