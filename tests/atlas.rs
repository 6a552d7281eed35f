//! `sozialraum-atlas atlas`: the offline atlas for partners, one self-contained HTML file.
//! Checked as a file (nothing it could load, no withheld value, measures only when asked)
//! and in a real headless Chromium without network (map drawn, pointing, a click opens the
//! right profile, map choice gives the window's colours, search finds Setterich, the print
//! shows the profile alone, no request leaves the page), and for all German municipalities
//! (size, opening time).

mod common;

use common::browser::Browser;
use common::{shared_data, temp_dir};
use serde_json::{Value, json};
use sozialraum_atlas::analysis::rules::classify;
use sozialraum_atlas::i18n::Lang;
use sozialraum_atlas::io::Progress;
use sozialraum_atlas::io::demo::load_demo;
use sozialraum_atlas::scene::profile::published_value;
use sozialraum_atlas::scene::style::FillStyle;
use sozialraum_atlas::scene::{Colouring, IndicatorStyle, Scene, SceneInput, ViewSettings};

use common::demo_path;
use common::run_atlas as atlas;

/// Writes the atlas of `input` to `out` (with `extra` arguments) and returns its text.
fn write_atlas(input: &str, out: &std::path::Path, extra: &[&str]) -> String {
    let mut args = vec!["atlas", input, "--out", out.to_str().expect("out")];
    args.extend_from_slice(extra);
    let o = atlas(&args);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    std::fs::read_to_string(out).expect("atlas written")
}

/// The JSON the atlas's script reads.
fn data_of(html: &str) -> Value {
    let start = html.find("id=\"atlas-daten\">").expect("data") + "id=\"atlas-daten\">".len();
    let end = start + html[start..].find("</script>").expect("end of data");
    serde_json::from_str(&html[start..end]).expect("the data is JSON")
}

#[test]
fn the_demo_atlas_is_one_small_file_that_loads_nothing() {
    let dir = temp_dir("atlas-file");
    let out = dir.join("atlas.html");
    let started = std::time::Instant::now();
    let o = atlas(&["atlas", &demo_path(), "--out", out.to_str().expect("out")]);
    let took = started.elapsed();
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{err}");
    assert!(
        err.contains("Atlas gespeichert (93 Sozialräume, 44 Karten"),
        "{err}"
    );
    eprintln!("demo atlas written in {took:?} (test build)");
    let html = std::fs::read_to_string(&out).expect("written");
    assert!(html.len() < 3_000_000, "{} bytes", html.len());
    assert_eq!(html.matches("<path data-i=").count(), 93, "a path per area");
    assert!(html.contains("content=\"default-src 'none'; script-src 'unsafe-inline'"));
    for outside in [
        "<link",
        "<img",
        "<iframe",
        "@import",
        " src=",
        "href=",
        "fetch(",
        "XMLHttpRequest",
    ] {
        assert!(!html.contains(outside), "{outside}");
    }
    // Every url(…) points into the file itself.
    assert_eq!(html.matches("url(").count(), html.matches("url(#").count());
    // The only address is the SVG namespace, a name and not a request.
    let addresses: Vec<&str> = html
        .match_indices("http")
        .map(|(i, _)| &html[i..(i + 30).min(html.len())])
        .collect();
    assert!(
        addresses
            .iter()
            .all(|a| a.starts_with("http://www.w3.org/2000/svg") || a.starts_with("http-equiv")),
        "{addresses:?}"
    );
    assert!(html.contains("<html lang=\"de\">"));
    let data = data_of(&html);
    assert_eq!(data["areas"].as_array().map(Vec::len), Some(93));
    assert_eq!(data["profiles"].as_array().map(Vec::len), Some(93));
    assert!(
        data["profiles"]
            .as_array()
            .expect("profiles")
            .iter()
            .all(|p| p["measures"].is_null()),
        "no measures without --measures"
    );
    let english = dir.join("en.html");
    let html = write_atlas(&demo_path(), &english, &["--lang", "en"]);
    assert!(html.contains("<html lang=\"en\">") && html.contains("Find an area"));
}

/// The demo with AC 3's SGB-II share set to 93.71 % from `cases` cases.
fn demo_with_share(cases: f64, dir: &std::path::Path) -> String {
    let map = common::demo_edited(dir, &format!("karte_{cases}.geojson"), "AC 3", |p| {
        p["sgb2_quote"] = json!(93.71);
        p["sgb2_personen"] = json!(cases);
        p["zeitreihen"]["sgb2_quote"]["2023"] = json!(93.71);
        p["zeitreihen"]["sgb2_personen"]["2023"] = json!(cases);
    });
    map.to_str().expect("map").to_string()
}

#[test]
fn a_withheld_value_is_not_in_the_file_at_all() {
    let dir = temp_dir("atlas-withheld");
    // From 250 cases the share is published: the search below can find it.
    let shown = write_atlas(&demo_with_share(250.0, &dir), &dir.join("a.html"), &[]);
    assert!(
        shown.contains("93,7 % (250)"),
        "the control: the value is found when published"
    );
    // From 2 cases it is withheld, and so is the count of 2 itself.
    let html = write_atlas(&demo_with_share(2.0, &dir), &dir.join("b.html"), &[]);
    // Everything but the script (the same in every atlas, "slice(2)" and all).
    let written = &html[..html.rfind("<script>").expect("script")];
    for number in ["93,7", "93.7", "93,71", "93.71", "(2)"] {
        let at = written
            .find(number)
            .map(|i| &written[i.saturating_sub(80)..(i + 40).min(written.len())]);
        assert!(at.is_none(), "{number} is in the file: {at:?}");
    }
    let data = data_of(&html);
    let ac3 = data["areas"]
        .as_array()
        .expect("areas")
        .iter()
        .position(|a| a[0] == "AC 3")
        .expect("AC 3");
    let labels: Vec<&str> = data["frame"]["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .map(|r| r[0].as_str().expect("label"))
        .collect();
    let row = |label: &str| {
        let k = labels.iter().position(|l| *l == label).expect(label);
        data["profiles"][ac3]["rows"][k].clone()
    };
    let share = row("SGB-II-Quote");
    assert_eq!(share[0], "geheim");
    assert_eq!(share[1], "–", "no rank");
    assert!(share[2].is_null(), "no position on the spine chart");
    let count = row("SGB-II-Leistungsberechtigte (unter 65)");
    assert_eq!(count[0], "< 3");
    assert!(count[2].is_null());
    // The maps hatch it as withheld, and say "geheim" when pointed at.
    for map in data["maps"].as_array().expect("maps") {
        if map["name"] == "SGB-II-Quote" {
            let value = &map["value"][ac3];
            assert!(value == "geheim" || !value.as_str().unwrap_or("").contains("93"));
        }
    }
    let series = data["profiles"][ac3]["series"].to_string();
    assert!(
        series.contains("geheim") && series.contains("< 3"),
        "{series}"
    );
}

#[test]
fn measures_are_in_the_file_only_when_asked() {
    let dir = temp_dir("atlas-measures");
    let project = dir.join("p.gpkg");
    let p = project.to_str().expect("p");
    let o = atlas(&["project", "new", &demo_path(), "--out", p]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let list = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/measures/bestandsliste.csv"
    );
    let o = atlas(&["measures", "import", p, list]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let without = write_atlas(p, &dir.join("ohne.html"), &[]);
    assert!(
        !without.contains("Sprachcafé"),
        "no measure without --measures"
    );
    assert!(!without.contains("12.500 €"));
    let with = write_atlas(p, &dir.join("mit.html"), &["--measures"]);
    assert!(with.contains("Sprachcafé Eschweiler-Ost"));
    assert!(with.contains("01.02.2027–30.06.2027") && with.contains("12.500 €"));
}

/// The viewport position of area `i`'s code (its label point, inside the area).
fn point_of(browser: &Browser, i: usize) -> (f64, f64) {
    let p = browser.run(
        "const t = document.querySelector('#codes text[data-i=\"' + arguments[0] + '\"]');
         const m = t.ownerSVGElement.getScreenCTM();
         const pt = t.ownerSVGElement.createSVGPoint();
         pt.x = Number(t.getAttribute('x')); pt.y = Number(t.getAttribute('y'));
         const s = pt.matrixTransform(m);
         return [s.x, s.y];",
        json!([i]),
    );
    (p[0].as_f64().expect("x"), p[1].as_f64().expect("y"))
}

#[test]
fn the_atlas_works_offline_in_a_real_browser() {
    let Some(browser) = Browser::start(1400, 900) else {
        return;
    };
    let dir = temp_dir("atlas-browser");
    let out = dir.join("atlas.html");
    write_atlas(&demo_path(), &out, &[]);
    browser.open(&out, None);
    browser.wait_for("return document.body.dataset.bereit;", 20);
    // The map draws: a path per area, each filled.
    let filled = browser.run(
        "return Array.from(document.querySelectorAll('#karte #flaechen path'))
            .filter(p => (p.getAttribute('fill') || '').length > 0).length;",
        json!([]),
    );
    assert_eq!(filled, json!(93));
    let demo = load_demo(&Progress::default()).expect("demo");
    let code = |c: &str| demo.region.space_by_code(c).expect(c);
    let ac3 = code("AC 3");
    // Pointing names the area and its Handlungsfelder.
    let (x, y) = point_of(&browser, ac3);
    browser.pointer(x, y, false);
    let tip = browser.wait_for(
        "const t = document.getElementById('tip'); return !t.hidden && t.textContent;",
        5,
    );
    assert!(tip.as_str().expect("tip").starts_with("AC 3"), "{tip}");
    // A click opens its profile with the right values.
    browser.pointer(x, y, true);
    let title = browser.wait_for(
        "const p = document.getElementById('profil'); return !p.hidden && p.querySelector('h2').textContent;",
        5,
    );
    assert_eq!(title, json!("AC 3"));
    let rows = browser.run(
        "return Array.from(document.querySelectorAll('#profil .rueckgrat tr'))
            .map(r => Array.from(r.children).map(c => c.textContent));",
        json!([]),
    );
    let table = &demo.indicators;
    for key in ["sgb2_quote", "anteil_65plus", "auslaender"] {
        let c = table.position(key).expect(key);
        let label = table.indicators()[c].label(false);
        let expected = published_value(table, c, ac3, None, Lang::De);
        let row = rows
            .as_array()
            .expect("rows")
            .iter()
            .find(|r| r[0] == label)
            .unwrap_or_else(|| panic!("{label} in {rows}"));
        assert_eq!(row[2], json!(expected), "{label}");
    }
    let profile_text = browser.run(
        "return document.getElementById('profil').textContent;",
        json!([]),
    );
    assert!(
        profile_text
            .as_str()
            .expect("text")
            .contains("SGB-II-Quote 22,0 %: weit über dem Mittel der Region"),
        "{profile_text}"
    );
    // Choosing an indicator colours the map as the window does.
    let c = table.position("anteil_65plus").expect("65+");
    browser.run(
        "const s = document.getElementById('karte-wahl');
         s.value = String(arguments[0]); s.dispatchEvent(new Event('change'));",
        json!([c]),
    );
    let classification = classify(&demo.region, table, &demo.rules, &demo.overrides);
    let scene = Scene::build(
        SceneInput {
            region: &demo.region,
            indicators: table,
            classification: &classification,
            measure_counts: &[],
        },
        &ViewSettings {
            colouring: Colouring::Indicator(IndicatorStyle::for_indicator(&table.indicators()[c])),
            ..ViewSettings::default()
        },
    );
    let fills = browser.run(
        "return Array.from(document.querySelectorAll('#flaechen path')).map(p => p.getAttribute('fill'));",
        json!([]),
    );
    for (i, fill) in scene.fills.iter().enumerate() {
        if let FillStyle::Solid(color) = fill {
            assert_eq!(fills[i], json!(color.hex()), "area {i}");
        }
    }
    let legend = browser.run(
        "return document.getElementById('legende').textContent;",
        json!([]),
    );
    assert!(
        legend
            .as_str()
            .expect("legend")
            .contains(&scene.legend.title),
        "{legend}"
    );
    // Search finds Setterich by name; Enter opens its profile.
    browser.click("#suche");
    browser.type_into("#suche", "setterich");
    let hits = browser.wait_for(
        "const h = document.getElementById('treffer'); return !h.hidden && h.textContent;",
        5,
    );
    assert!(hits.as_str().expect("hits").contains("Setterich"), "{hits}");
    browser.type_into("#suche", "\u{E007}");
    let title = browser.wait_for(
        "const h = document.querySelector('#profil h2').textContent; return h.includes('Setterich') && h;",
        5,
    );
    let setterich = demo
        .region
        .spaces
        .iter()
        .find(|s| s.name.as_deref().is_some_and(|n| n.contains("Setterich")))
        .expect("Setterich in the demo");
    assert_eq!(title, json!(setterich.display_name()));
    let hash = browser.run("return decodeURIComponent(location.hash);", json!([]));
    assert_eq!(hash, json!(format!("#{}", setterich.code)));
    // The print shows the open profile alone.
    let pdf = browser.print_pdf();
    let pdf_path = dir.join("druck.pdf");
    std::fs::write(&pdf_path, &pdf).expect("pdf written");
    if let Some(text) = common::pdf_text(&pdf_path) {
        assert!(text.contains("Sozialraumprofil"), "{text}");
        assert!(text.contains(&setterich.code), "{text}");
        assert!(
            !text.contains("Sozialraum suchen"),
            "the header is not printed"
        );
        assert!(
            !text.contains("Diese Datei braucht"),
            "the footer is not printed"
        );
    }
    // A link with the code opens that profile.
    browser.open(&out, Some("S%202"));
    browser.wait_for("return document.body.dataset.bereit;", 20);
    let title = browser.run(
        "return document.querySelector('#profil h2').textContent;",
        json!([]),
    );
    assert_eq!(title, json!(demo.region.spaces[code("S 2")].display_name()));
    // Nothing but the file itself was requested; the page reported no error.
    let urls = browser.requested_urls();
    assert!(
        urls.iter().any(|u| u.ends_with("/atlas.html")),
        "the network log works: {urls:?}"
    );
    assert!(
        urls.iter().all(|u| u.starts_with("file://")),
        "requests: {urls:?}"
    );
    let console = browser.console();
    assert!(
        console
            .iter()
            .all(|m| !m.contains("Uncaught") && !m.contains("Refused")),
        "{console:?}"
    );
    let shot = browser.screenshot();
    assert!(shot.starts_with(b"\x89PNG"), "a screenshot");
    if let Ok(keep) = std::env::var("ATLAS_SCREENSHOT") {
        std::fs::write(keep, shot).expect("screenshot written");
    }
}

#[test]
fn the_atlas_of_all_german_municipalities_is_small_and_opens_fast() {
    let (Some(map), Some(table)) = (
        shared_data("germany/vg250_gemeinden_2016.geojson"),
        shared_data("germany/zensus2011_gemeinden_einwohner.csv"),
    ) else {
        return;
    };
    let dir = temp_dir("atlas-germany");
    let out = dir.join("deutschland.html");
    let html = write_atlas(
        map.to_str().expect("map"),
        &out,
        &["--indicators", table.to_str().expect("table")],
    );
    assert!(html.len() < 15_000_000, "{} bytes", html.len());
    assert_eq!(html.matches("<path data-i=").count(), 11_299);
    eprintln!("German atlas: {} bytes", html.len());
    drop(html);
    let Some(browser) = Browser::start(1400, 900) else {
        return;
    };
    browser.open(&out, Some("05334002"));
    let ready = browser.wait_for("return document.body.dataset.bereit;", 60);
    let drawn = browser.wait_for("return document.body.dataset.gezeichnet;", 60);
    let ms = |v: &Value| -> f64 { v.as_str().expect("ms").parse().expect("a number") };
    eprintln!(
        "German atlas: script done {} ms, first frame drawn {} ms after the start of loading",
        ms(&ready),
        ms(&drawn)
    );
    assert!(ms(&drawn) < 3000.0, "opened in {} ms", ms(&drawn));
    let title = browser.run(
        "return document.querySelector('#profil h2').textContent;",
        json!([]),
    );
    assert!(
        title.as_str().expect("title").starts_with("05334002"),
        "{title}"
    );
}

#[test]
fn the_browser_log_would_see_a_request_and_the_atlas_policy_refuses_one() {
    let Some(browser) = Browser::start(800, 600) else {
        return;
    };
    let dir = temp_dir("atlas-policy");
    let html = write_atlas(&demo_path(), &dir.join("atlas.html"), &[]);
    let img = "<img src=\"http://192.0.2.1/probe.png\">";
    // Without the atlas's policy, an image from outside is requested and the log shows it.
    let open = dir.join("ohne_richtlinie.html");
    let policy_start = html.find("<meta http-equiv").expect("policy");
    let policy_end = policy_start + html[policy_start..].find('>').expect("end") + 1;
    let without = format!("{}{}", &html[..policy_start], &html[policy_end..]).replacen(
        "<body>",
        &format!("<body>{img}"),
        1,
    );
    std::fs::write(&open, without).expect("written");
    browser.open(&open, None);
    browser.wait_for("return document.body.dataset.bereit;", 20);
    let urls = browser.requested_urls();
    assert!(
        urls.iter().any(|u| u.contains("192.0.2.1")),
        "the log sees requests: {urls:?}"
    );
    // With it, the browser refuses the same image (the log still lists the attempt: so the
    // test above, which finds none, shows the atlas attempts no request at all).
    let guarded = dir.join("mit_richtlinie.html");
    std::fs::write(
        &guarded,
        html.replacen("<body>", &format!("<body>{img}"), 1),
    )
    .expect("written");
    browser.open(&guarded, None);
    browser.wait_for("return document.body.dataset.bereit;", 20);
    let console = browser.console();
    assert!(
        console
            .iter()
            .any(|m| m.contains("Content Security Policy")),
        "{console:?}"
    );
}
