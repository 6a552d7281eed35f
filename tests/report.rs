//! `sozialraum-atlas report`: the Sozialraumprofile as a PDF — cover and contents, then one
//! page per area in code order with every indicator — and for one municipality; checked with
//! Poppler's pdfinfo and pdftotext.

mod common;

use common::{poppler_tool, temp_dir};
use sozialraum_atlas::io::Progress;
use sozialraum_atlas::io::demo::load_demo;

use common::demo_path;
use common::run_atlas as atlas;

fn pages(pdf: &std::path::Path) -> Option<usize> {
    let pdfinfo = poppler_tool("pdfinfo")?;
    let out = std::process::Command::new(pdfinfo)
        .arg(pdf)
        .output()
        .expect("pdfinfo");
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    text.lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
}

#[test]
fn the_report_has_a_page_per_area_with_every_code_and_indicator() {
    let dir = temp_dir("report-all");
    let pdf = dir.join("profile.pdf");
    let started = std::time::Instant::now();
    let o = atlas(&["report", &demo_path(), "--out", pdf.to_str().expect("pdf")]);
    let took = started.elapsed();
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{err}");
    assert!(
        err.contains("97 Seiten gespeichert (93 Sozialraumprofile)"),
        "{err}"
    );
    assert!(took.as_secs_f64() < 3.0, "93 profiles in {took:?}");
    if let Some(n) = pages(&pdf) {
        assert_eq!(
            n, 97,
            "cover, two pages of contents, the overview map, 93 profiles"
        );
    }
    let Some(text) = common::pdf_text(&pdf) else {
        return;
    };
    let demo = load_demo(&Progress::default()).expect("demo");
    for space in &demo.region.spaces {
        assert!(text.contains(&space.code), "{}", space.code);
    }
    for indicator in demo.indicators.indicators() {
        let label = indicator.label_de.as_str();
        let start: String = label.chars().take(20).collect();
        assert!(text.contains(&start), "{label}");
    }
    for part in [
        "Sozialraumprofile",
        "Inhalt",
        "59 von 93 Sozialräumen mit Gestaltungsbedarf",
        "A 1a Mitte (Soziale Stadt) … Seite 5",
        "Handlungsfelder",
        "Entwicklung 2017–2023",
        "Maßnahmen",
    ] {
        assert!(text.contains(part), "{part}");
    }
    // Bookmarks (the contents and every area) and links from the contents to each page, as
    // Poppler reads them.
    if let Some(pdftohtml) = poppler_tool("pdftohtml") {
        let out = std::process::Command::new(pdftohtml)
            .args(["-xml", "-i", "-q", "-stdout"])
            .arg(&pdf)
            .output()
            .expect("pdftohtml");
        let xml = String::from_utf8_lossy(&out.stdout);
        assert_eq!(xml.matches("<item").count(), 95, "outline items");
        assert_eq!(xml.matches("<a href=").count(), 93, "links in the contents");
        assert!(
            xml.contains("#5\">– A 1a Mitte (Soziale Stadt) … Seite 5</a>"),
            "the first link goes to page 5"
        );
    }
    // The areas in code order: A 1a before A 10, AC 1 after A 11b.
    let pos = |s: &str| text.find(&format!("{s} … Seite")).expect(s);
    assert!(pos("A 2a Ost") < pos("A 10") && pos("A 11b") < pos("AC 1"));
}

#[test]
fn one_municipality_gets_its_own_report_and_an_unknown_one_is_named() {
    let dir = temp_dir("report-one");
    let pdf = dir.join("alsdorf.pdf");
    let o = atlas(&[
        "report",
        &demo_path(),
        "--municipality",
        "Alsdorf",
        "--out",
        pdf.to_str().expect("pdf"),
    ]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{err}");
    let demo = load_demo(&Progress::default()).expect("demo");
    let n = demo
        .region
        .municipalities
        .iter()
        .find(|m| m.name == "Alsdorf")
        .expect("Alsdorf")
        .spaces
        .len();
    assert!(err.contains(&format!("({n} Sozialraumprofile)")), "{err}");
    if let Some(pages) = pages(&pdf) {
        assert_eq!(pages, n + 3, "cover, contents, overview map, the profiles");
    }
    let o = atlas(&[
        "report",
        &demo_path(),
        "--municipality",
        "Atlantis",
        "--out",
        dir.join("x.pdf").to_str().expect("pdf"),
    ]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("Keine Kommune „Atlantis“") && err.contains("Alsdorf"),
        "{err}"
    );
    assert!(!dir.join("x.pdf").exists());
}

#[test]
fn a_profile_page_matches_its_golden_image() {
    let dir = temp_dir("report-golden");
    let out = dir.join("seiten");
    let o = atlas(&[
        "report",
        &demo_path(),
        "--municipality",
        "Roetgen",
        "--format",
        "png",
        "--dpi",
        "72",
        "--source",
        "Quelle: Beispieldaten (Testbild)",
        "--out",
        out.to_str().expect("out"),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let pages: Vec<_> = std::fs::read_dir(&out).expect("folder").collect();
    assert_eq!(pages.len(), 5, "cover, contents, overview map, R 1, R 2");
    common::assert_golden_png(&out.join("seite_004.png"), "profil_r1_72dpi.png");
}

#[test]
fn a_project_reports_the_measures_of_each_area() {
    let dir = temp_dir("report-measures");
    let project = dir.join("p.gpkg");
    let o = atlas(&[
        "project",
        "new",
        &demo_path(),
        "--out",
        project.to_str().expect("p"),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let list = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/measures/bestandsliste.csv"
    );
    let o = atlas(&["measures", "import", project.to_str().expect("p"), list]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let pdf = dir.join("e.pdf");
    let o = atlas(&[
        "report",
        project.to_str().expect("p"),
        "--municipality",
        "Eschweiler",
        "--out",
        pdf.to_str().expect("pdf"),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let Some(text) = common::pdf_text(&pdf) else {
        return;
    };
    assert!(text.contains("Sprachcafé Eschweiler-Ost"), "{text}");
    assert!(
        text.contains("01.02.2027–30.06.2027") && text.contains("12.500 €"),
        "{text}"
    );
}

#[test]
fn per_municipality_writes_one_report_for_each() {
    let dir = temp_dir("report-per");
    let o = atlas(&[
        "report",
        &demo_path(),
        "--per-municipality",
        "--out",
        dir.to_str().expect("dir"),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let demo = load_demo(&Progress::default()).expect("demo");
    let mut total = 0;
    for m in &demo.region.municipalities {
        let stem = sozialraum_atlas::export::map::file_stem(&m.name);
        let pdf = dir.join(format!("profile_{stem}.pdf"));
        assert!(pdf.exists(), "{}", pdf.display());
        if let Some(n) = pages(&pdf) {
            assert_eq!(n, m.spaces.len() + 3, "{}", m.name);
        }
        total += m.spaces.len();
    }
    assert_eq!(total, 93, "every area in one of the files");
}

#[test]
fn a_withheld_value_reads_geheim_on_the_profile_never_the_number() {
    let dir = temp_dir("report-withheld");
    let map = common::demo_edited(&dir, "karte.geojson", "AC 3", |p| {
        p["sgb2_quote"] = "*".into();
        p["zeitreihen"]["sgb2_quote"]["2023"] = "*".into();
    });
    // Cover, contents, overview, AC 1, AC 2, then AC 3.
    let Some(page) = aachen_page(&map, &dir, 6) else {
        return;
    };
    assert!(page.contains("AC 3"), "{page}");
    assert!(page.contains("geheim"), "{page}");
    assert!(
        !page.contains("22,0 %"),
        "the withheld 22,0 % is not on the page: {page}"
    );
}

/// Page `page` of the report of Aachen's areas from `map`, as text.
fn aachen_page(map: &std::path::Path, dir: &std::path::Path, page: usize) -> Option<String> {
    let pdf = dir.join("aachen.pdf");
    let o = atlas(&[
        "report",
        map.to_str().expect("map"),
        "--municipality",
        "Aachen",
        "--out",
        pdf.to_str().expect("pdf"),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    common::pdf_page_text(&pdf, page)
}

#[test]
fn a_share_from_two_cases_and_the_count_itself_are_withheld_on_the_page() {
    let dir = temp_dir("report-small");
    let map = common::demo_edited(&dir, "karte.geojson", "AC 3", |p| {
        p["sgb2_quote"] = 93.71.into();
        p["sgb2_personen"] = 2.0.into();
        p["zeitreihen"]["sgb2_quote"]["2023"] = 93.71.into();
        p["zeitreihen"]["sgb2_personen"]["2023"] = 2.0.into();
    });
    let Some(page) = aachen_page(&map, &dir, 6) else {
        return;
    };
    assert!(page.contains("AC 3"), "{page}");
    // pdftotext drops the narrow gap of "< 3".
    assert!(
        page.contains("geheim") && (page.contains("< 3") || page.contains("<3")),
        "{page}"
    );
    assert!(
        page.contains("SGB-II-Quote: Wert geheim (Datenschutz), Schwelle erreicht"),
        "the reason names the indicator, not its value: {page}"
    );
    assert!(
        !page.contains("93,7"),
        "the withheld share is not on the page: {page}"
    );
}
