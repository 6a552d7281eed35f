//! `sozialraum-atlas export`: PNG maps without a window — deterministic pixels, the scene's
//! colours, page sizes from paper and dpi, and clear refusals.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::temp_dir;
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
    let svg = dir.join("karte.svg");
    let o = export(&[], &svg);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("karte.svg"));
    assert!(!svg.exists());
}
