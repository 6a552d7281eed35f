//! `sozialraum-atlas export`: maps without a window — PNG with deterministic pixels in the
//! scene's colours, SVG and PDF that parse and carry the legend as text, exact page sizes,
//! one map per municipality, real boundaries, and clear refusals.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{poppler_tool, shared_data, temp_dir};
use sozialraum_atlas::model::ActionField;
use sozialraum_atlas::scene::style::field_color;

fn demo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("maps/staedteregion_aachen_demo.geojson")
}

fn export(args: &[&str], out: &Path) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_sozialraum-atlas"))
        .arg("export")
        .arg(demo())
        .arg("--out")
        .arg(out)
        .args(args)
        .output()
        .expect("runs")
}

fn pixmap(path: &Path) -> tiny_skia::Pixmap {
    tiny_skia::Pixmap::decode_png(&std::fs::read(path).expect("written")).expect("a PNG")
}

#[test]
fn the_same_map_gives_the_same_pixels_in_the_scenes_colours() {
    let dir = temp_dir("export-same");
    let (a, b) = (dir.join("a.png"), dir.join("b.png"));
    for out in [&a, &b] {
        let o = export(&["--size", "800x500"], out);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    }
    assert_eq!(std::fs::read(&a).expect("a"), std::fs::read(&b).expect("b"));
    let image = pixmap(&a);
    assert_eq!((image.width(), image.height()), (800, 500));
    let blue = field_color(ActionField::Elderly).0;
    let exact = image
        .pixels()
        .iter()
        .filter(|p| {
            let c = p.demultiply();
            [c.red(), c.green(), c.blue()] == [blue[0], blue[1], blue[2]]
        })
        .count();
    assert!(exact > 5_000, "field 2's blue fills areas: {exact} pixels");
}

#[test]
fn paper_sizes_follow_the_dpi() {
    let dir = temp_dir("export-paper");
    for (paper, dpi, w, h) in [
        ("a4-landscape", "150", 1754, 1240),
        ("a4-portrait", "72", 595, 842),
        ("a3-portrait", "150", 1754, 2480),
    ] {
        let out = dir.join(format!("{paper}-{dpi}.png"));
        let o = export(
            &[
                "--paper",
                paper,
                "--dpi",
                dpi,
                "--color-by",
                "sgb2_quote",
                "--classes",
                "jenks:5",
            ],
            &out,
        );
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let image = pixmap(&out);
        assert_eq!(
            (image.width(), image.height()),
            (w, h),
            "{paper} at {dpi} dpi"
        );
    }
}

#[test]
fn bad_requests_exit_2_with_a_message_and_write_nothing() {
    let dir = temp_dir("export-bad");
    let out = dir.join("karte.png");
    for (args, expected) in [
        (vec!["--color-by", "gibtsnicht"], "gibtsnicht"),
        (
            vec!["--color-by", "sgb2_quote", "--classes", "quantile:12"],
            "quantile:12",
        ),
        (vec!["--size", "breit"], "breit"),
        (vec!["--paper", "letter", "--dpi", "300"], "letter"),
    ] {
        let o = export(&args, &out);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        let message = String::from_utf8_lossy(&o.stderr);
        assert!(message.contains(expected), "{args:?}: {message}");
        assert!(!out.exists());
    }
    for (args, expected) in [
        (vec!["--legend", "mitte"], "mitte"),
        (vec!["--municipality", "Atlantis"], "Atlantis"),
    ] {
        let o = export(&args, &out);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        let message = String::from_utf8_lossy(&o.stderr);
        assert!(message.contains(expected), "{args:?}: {message}");
        assert!(!out.exists());
    }
    let tif = dir.join("karte.tif");
    let o = export(&[], &tif);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("karte.tif"));
    assert!(!tif.exists());
    // A folder that cannot be written: the message names the file.
    let missing = dir.join("gibt/es/nicht.png");
    let o = export(&[], &missing);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("nicht.png"));
}

/// Pixels within 12 levels of `color`.
fn count_near(image: &tiny_skia::Pixmap, color: [u8; 4]) -> usize {
    image
        .pixels()
        .iter()
        .filter(|p| {
            let c = p.demultiply();
            [c.red(), c.green(), c.blue()]
                .iter()
                .zip(color)
                .all(|(a, b)| a.abs_diff(b) <= 12)
        })
        .count()
}

#[test]
fn svg_is_vector_with_the_legend_as_text_and_named_layers() {
    let dir = temp_dir("export-svg");
    let out = dir.join("karte.svg");
    let o = export(&["--paper", "a4-landscape", "--dpi", "150"], &out);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let text = std::fs::read_to_string(&out).expect("written");
    let doc = roxmltree::Document::parse(&text).expect("well-formed XML");
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "svg");
    assert_eq!(root.attribute("width"), Some("297mm"));
    assert_eq!(root.attribute("height"), Some("210mm"));
    let texts: Vec<String> = doc
        .descendants()
        .filter(|n| n.has_tag_name("text"))
        .filter_map(|n| n.text().map(str::to_string))
        .collect();
    for expected in [
        "59 von 93 Sozialräumen mit Gestaltungsbedarf",
        "1 Benachteiligte Sozialräume (18)",
        "Handlungsfelder",
        "M 1",
    ] {
        assert!(texts.iter().any(|t| t == expected), "{expected}");
    }
    assert!(texts.iter().any(|t| t.starts_with("Stand: ")));
    for layer in [
        "karte",
        "sozialraeume",
        "umrisse",
        "kommunengrenzen",
        "legende",
        "massstab",
        "nordpfeil",
    ] {
        assert!(
            doc.descendants()
                .any(|n| n.has_tag_name("g") && n.attribute("id") == Some(layer)),
            "layer {layer}"
        );
    }
    let areas = doc
        .descendants()
        .filter(|n| n.attribute("data-code").is_some())
        .count();
    assert_eq!(areas, 93, "every Sozialraum is a path with its code");
    assert!(
        doc.descendants().any(|n| n.has_tag_name("pattern")),
        "stripes are vector patterns"
    );
    assert!(
        !doc.descendants().any(|n| n.has_tag_name("image")),
        "no raster inside"
    );
}

#[test]
fn pdf_has_the_paper_size_the_legend_as_text_and_the_pngs_colours() {
    let dir = temp_dir("export-pdf");
    let pdf = dir.join("karte.pdf");
    let o = export(&["--paper", "a3-portrait", "--dpi", "300"], &pdf);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let bytes = std::fs::read(&pdf).expect("written");
    assert!(bytes.starts_with(b"%PDF-"));
    let (Some(pdfinfo), Some(pdftotext), Some(pdftoppm), Some(pdffonts)) = (
        poppler_tool("pdfinfo"),
        poppler_tool("pdftotext"),
        poppler_tool("pdftoppm"),
        poppler_tool("pdffonts"),
    ) else {
        return;
    };
    let info = Command::new(&pdfinfo).arg(&pdf).output().expect("pdfinfo");
    let info = String::from_utf8_lossy(&info.stdout);
    assert!(
        info.contains("Page size:       841.89 x 1190.55 pts (A3)"),
        "{info}"
    );
    assert!(info.contains("Pages:           1"), "{info}");
    // The page is the paper, whatever the resolution.
    for dpi in ["150", "300"] {
        let a4 = dir.join(format!("a4-{dpi}.pdf"));
        let o = export(&["--paper", "a4-landscape", "--dpi", dpi], &a4);
        assert!(o.status.success());
        let info = Command::new(&pdfinfo).arg(&a4).output().expect("pdfinfo");
        let info = String::from_utf8_lossy(&info.stdout);
        assert!(
            info.contains("Page size:       841.89 x 595.276 pts (A4)"),
            "{dpi}: {info}"
        );
    }
    let fonts = Command::new(pdffonts).arg(&pdf).output().expect("pdffonts");
    let fonts = String::from_utf8_lossy(&fonts.stdout);
    assert!(
        fonts.contains("DejaVuSansCondensed") && fonts.contains("yes yes yes"),
        "embedded subset with ToUnicode: {fonts}"
    );
    let text = Command::new(&pdftotext)
        .arg(&pdf)
        .arg("-")
        .output()
        .expect("pdftotext");
    let text = String::from_utf8_lossy(&text.stdout);
    for expected in [
        "59 von 93 Sozialräumen mit Gestaltungsbedarf",
        "2 Teilhabe und Versorgung Älterer (34)",
        "AC 3",
    ] {
        assert!(text.contains(expected), "{expected} in {text}");
    }
    // A 1920 x 1080 map as PDF, rendered at 72 dpi, shows the PNG's colours in the same places.
    let (png, slide) = (dir.join("folie.png"), dir.join("folie.pdf"));
    for out in [&png, &slide] {
        let o = export(&[], out);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    }
    let o = Command::new(pdftoppm)
        .args(["-r", "72", "-png", "-singlefile"])
        .arg(&slide)
        .arg(dir.join("folie-pdf"))
        .output()
        .expect("pdftoppm");
    assert!(o.status.success());
    let (ours, theirs) = (pixmap(&png), pixmap(&dir.join("folie-pdf.png")));
    assert_eq!((theirs.width(), theirs.height()), (1920, 1080));
    for field in ActionField::ALL {
        let c = field_color(field).0;
        let (a, b) = (count_near(&ours, c) as f64, count_near(&theirs, c) as f64);
        assert!(
            a > 500.0 && (a - b).abs() < 0.1 * a,
            "{field:?}: PNG {a} vs PDF {b} pixels"
        );
    }
}

#[test]
fn one_map_per_municipality_named_by_municipality() {
    let dir = temp_dir("export-atlas");
    let atlas = dir.join("atlas");
    let o = Command::new(env!("CARGO_BIN_EXE_sozialraum-atlas"))
        .arg("export")
        .arg(demo())
        .args(["--per-municipality"])
        .arg(&atlas)
        .args(["--size", "800x600"])
        .output()
        .expect("runs");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let mut names: Vec<String> = std::fs::read_dir(&atlas)
        .expect("folder")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "Aachen.png",
            "Alsdorf.png",
            "Baesweiler.png",
            "Eschweiler.png",
            "Herzogenrath.png",
            "Monschau.png",
            "Roetgen.png",
            "Simmerath.png",
            "Stolberg_Rhld.png",
            "Würselen.png"
        ]
    );
    // Each page shows its municipality and greys the neighbours.
    let roetgen = pixmap(&atlas.join("Roetgen.png"));
    let grey = sozialraum_atlas::scene::OUTSIDE_FOCUS.0;
    assert!(count_near(&roetgen, grey) > 1000, "neighbours greyed");
}

#[test]
fn real_aachen_districts_export_to_every_format() {
    let Some(districts) = shared_data("aachen/aachen_statistische_bezirke.geojson") else {
        return;
    };
    let dir = temp_dir("export-real");
    for name in ["bezirke.png", "bezirke.svg", "bezirke.pdf"] {
        let out = dir.join(name);
        let o = Command::new(env!("CARGO_BIN_EXE_sozialraum-atlas"))
            .arg("export")
            .arg(&districts)
            .arg("--out")
            .arg(&out)
            .args(["--paper", "a4-portrait", "--dpi", "150"])
            .output()
            .expect("runs");
        assert!(
            o.status.success(),
            "{name}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        assert!(
            std::fs::metadata(&out).expect("written").len() > 10_000,
            "{name}"
        );
    }
}

/// Compares an export with its golden image in `tests/golden` (rewritten with
/// `UPDATE_GOLDEN=1`): the same size, and at most 0.2 % of pixels more than 8 levels apart.
fn assert_golden(name: &str, args: &[&str]) {
    let dir = temp_dir(&format!("golden-{name}"));
    let out = dir.join(name);
    // A fixed source line: the default carries today's date.
    let mut all = args.to_vec();
    all.extend(["--source", "Quelle: Beispieldaten (Testbild)"]);
    let o = export(&all, &out);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    common::assert_golden_png(&out, name);
}

#[test]
fn exports_match_their_golden_images() {
    assert_golden("handlungsfelder_600x400.png", &["--size", "600x400"]);
    assert_golden(
        "sgb2_quote_jenks_oben_links_400x560.png",
        &[
            "--size",
            "400x560",
            "--color-by",
            "sgb2_quote",
            "--classes",
            "jenks:4",
            "--legend",
            "top-left",
        ],
    );
    assert_golden(
        "stolberg_a4_36dpi.png",
        &[
            "--paper",
            "a4-landscape",
            "--dpi",
            "36",
            "--municipality",
            "Stolberg (Rhld.)",
        ],
    );
}

#[test]
fn the_pattern_option_hatches_every_field_in_every_format() {
    use sozialraum_atlas::scene::style::hatch_ink;
    let dir = temp_dir("export-hatch");
    let (svg, png, plain) = (dir.join("m.svg"), dir.join("m.png"), dir.join("plain.png"));
    for out in [&svg, &png] {
        let o = export(
            &[
                "--paper",
                "a4-landscape",
                "--dpi",
                "150",
                "--field-patterns",
            ],
            out,
        );
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    }
    let o = export(&["--paper", "a4-landscape", "--dpi", "150"], &plain);
    assert!(o.status.success());
    let text = std::fs::read_to_string(&svg).expect("svg");
    let (hatched, unhatched) = (pixmap(&png), pixmap(&plain));
    for field in ActionField::ALL {
        let ink = hatch_ink(field_color(field));
        assert!(text.contains(&ink.hex()), "{field:?}: its hatch in the SVG");
        assert!(
            count_near(&hatched, ink.0) > 100,
            "{field:?}: its hatch in the PNG"
        );
        assert!(
            count_near(&hatched, field_color(field).0)
                < count_near(&unhatched, field_color(field).0),
            "{field:?}: part of its colour gives way to the hatch"
        );
    }
}

#[test]
fn every_saved_view_of_a_project_becomes_a_numbered_file() {
    use sozialraum_atlas::app::{AppState, Command as AppCommand};
    use sozialraum_atlas::io::ImportOptions;
    let dir = temp_dir("export-views");
    let project = dir.join("projekt.gpkg");
    let o = Command::new(env!("CARGO_BIN_EXE_sozialraum-atlas"))
        .args(["project", "new"])
        .arg(demo())
        .arg("--out")
        .arg(&project)
        .output()
        .expect("runs");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let mut state = AppState::new(|| {});
    state.apply(AppCommand::Open {
        path: project.clone(),
        options: ImportOptions::default(),
    });
    while state.loading.is_some() {
        std::thread::sleep(std::time::Duration::from_millis(5));
        state.poll_loading();
    }
    state.apply(AppCommand::SaveView("Region".into()));
    state.apply(AppCommand::Focus(Some("Würselen".into())));
    state.apply(AppCommand::SaveView("Würselen im Blick".into()));
    drop(state);
    let views = dir.join("ansichten");
    let o = Command::new(env!("CARGO_BIN_EXE_sozialraum-atlas"))
        .arg("export")
        .arg(&project)
        .arg("--views")
        .arg(&views)
        .args(["--size", "640x400"])
        .output()
        .expect("runs");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let mut names: Vec<String> = std::fs::read_dir(&views)
        .expect("folder")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["01_Region.png", "02_Würselen_im_Blick.png"]);
    let focused = pixmap(&views.join("02_Würselen_im_Blick.png"));
    assert!(count_near(&focused, sozialraum_atlas::scene::OUTSIDE_FOCUS.0) > 1000);
}

#[test]
fn a_joined_table_colours_the_exported_map_without_a_script() {
    let dir = temp_dir("export-join");
    let out = dir.join("karte.svg");
    let table = common::test_file("tables/benefits_english_bom.csv");
    let o = export(
        &[
            "--indicators",
            table.to_str().expect("utf-8"),
            "--color-by",
            "benefit_rate",
            "--classes",
            "quantile:4",
        ],
        &out,
    );
    let said = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{said}");
    assert!(
        said.contains("benefits_english_bom.csv"),
        "the join is reported: {said}"
    );
    let text = std::fs::read_to_string(&out).expect("written");
    let doc = roxmltree::Document::parse(&text).expect("well-formed XML");
    let texts: Vec<String> = doc
        .descendants()
        .filter(|n| n.has_tag_name("text"))
        .filter_map(|n| n.text().map(str::to_string))
        .collect();
    assert!(
        texts.iter().any(|t| t.contains("benefit_rate")),
        "the legend names the joined indicator: {texts:?}"
    );
    assert!(
        !texts.iter().any(|t| t == "Handlungsfelder"),
        "coloured by the indicator, not the fields"
    );
    // A key the table does not have is named.
    let bad = export(
        &[
            "--indicators",
            table.to_str().expect("utf-8"),
            "--color-by",
            "gibtsnicht",
        ],
        &dir.join("b.svg"),
    );
    assert!(!bad.status.success());
}
