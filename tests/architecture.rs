//! The house: layers point one way. Every module of the crate belongs to a layer, and shipped
//! code (test code excluded) may only use layers below its own; modules on one floor do not
//! use each other. The order is written down in the README ("Architecture") and in the crate
//! documentation; this test reads the sources and fails on the first import that points up
//! or sideways, naming the file, the line and both layers. And the tests keep the house
//! clean too: a test's folder is gone when it ends, also when it fails.

mod common;

use std::path::{Path, PathBuf};

/// The layers from the bottom up; a layer may use every layer on a lower floor.
const FLOORS: &[&[&str]] = &[
    &["model"],
    &["i18n"],
    &["analysis", "spatial"],
    &["io"],
    &["scene"],
    &["document"],
    &["render"],
    &["export"],
    &["ui"],
    &["app", "cli"],
];

/// The floor of a layer, None for a name that is no layer.
fn floor(layer: &str) -> Option<usize> {
    FLOORS.iter().position(|f| f.contains(&layer))
}

/// One import that breaks the order.
#[derive(Debug, PartialEq)]
struct Breach {
    file: String,
    line: usize,
    from: String,
    to: String,
}

/// The shipped part of a source file: everything before its `#[cfg(test)]` module.
fn shipped(text: &str) -> &str {
    let cut = ["#[cfg(test)]\nmod tests", "#[cfg(test)]\npub mod tests"]
        .iter()
        .filter_map(|m| text.find(m))
        .min();
    &text[..cut.unwrap_or(text.len())]
}

/// The layers `text` names as `crate::<layer>`, with their line numbers (comments skipped).
fn used_layers(text: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    for (n, line) in shipped(text).lines().enumerate() {
        let code = line.split("//").next().unwrap_or("");
        let mut rest = code;
        while let Some(at) = rest.find("crate::") {
            let after = &rest[at + "crate::".len()..];
            let name: String = after
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            // `crate::{a, b}` names several.
            if name.is_empty() && after.starts_with('{') {
                let inner = after[1..].split('}').next().unwrap_or("");
                for part in inner.split(',') {
                    let part: String = part
                        .trim()
                        .chars()
                        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                        .collect();
                    if !part.is_empty() {
                        out.push((n + 1, part));
                    }
                }
            } else if !name.is_empty() {
                out.push((n + 1, name));
            }
            rest = after;
        }
    }
    out
}

/// Every breach in the sources under `src`: a file in layer A naming layer B where B is not
/// on a lower floor than A (and not A itself).
fn breaches(src: &Path) -> Vec<Breach> {
    let mut out = Vec::new();
    for file in rust_files(src) {
        let relative = file.strip_prefix(src).unwrap_or(&file);
        let Some(first) = relative.components().next() else {
            continue;
        };
        let layer = first
            .as_os_str()
            .to_string_lossy()
            .trim_end_matches(".rs")
            .to_string();
        // lib.rs declares the layers; main.rs uses the crate from outside.
        let Some(own) = floor(&layer) else {
            continue;
        };
        let text = std::fs::read_to_string(&file).expect("source reads");
        for (line, used) in used_layers(&text) {
            let Some(theirs) = floor(&used) else {
                continue;
            };
            if used != layer && theirs >= own {
                out.push(Breach {
                    file: relative.display().to_string(),
                    line,
                    from: layer.clone(),
                    to: used,
                });
            }
        }
    }
    out
}

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).expect("folder reads") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

#[test]
fn every_layer_uses_only_the_layers_below_it() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let found = breaches(&src);
    assert!(
        found.is_empty(),
        "imports against the layer order (README, Architecture):\n{}",
        found
            .iter()
            .map(|b| format!("  {}:{}: {} uses {}", b.file, b.line, b.from, b.to))
            .collect::<Vec<_>>()
            .join("\n")
    );
}

#[test]
fn every_module_of_the_crate_is_on_a_floor() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let lib = std::fs::read_to_string(src.join("lib.rs")).expect("lib.rs reads");
    for line in lib.lines() {
        if let Some(name) = line.strip_prefix("pub mod ") {
            let name = name.trim_end_matches(';');
            assert!(floor(name).is_some(), "the module {name} has no layer");
        }
    }
}

#[test]
fn the_check_sees_an_import_that_points_up() {
    let temp = tempfile::tempdir().expect("folder");
    let dir = temp.path();
    std::fs::create_dir_all(dir.join("io")).expect("folder");
    std::fs::create_dir_all(dir.join("ui")).expect("folder");
    std::fs::write(
        dir.join("io/store.rs"),
        "//! x\nuse crate::model::Measure;\nuse crate::{scene, i18n::Lang};\n\
         // crate::app in a comment is fine\n#[cfg(test)]\nmod tests {\n    use crate::app::X;\n}\n",
    )
    .expect("writes");
    std::fs::write(
        dir.join("ui/panel.rs"),
        "use crate::ui::shown::Shown;\nfn f() { crate::app::go(); crate::io::x(); }\n",
    )
    .expect("writes");
    let found = breaches(dir);
    assert_eq!(
        found,
        vec![
            Breach {
                file: "io/store.rs".into(),
                line: 3,
                from: "io".into(),
                to: "scene".into()
            },
            Breach {
                file: "ui/panel.rs".into(),
                line: 2,
                from: "ui".into(),
                to: "app".into()
            },
        ]
    );
}

#[test]
fn a_test_folder_goes_also_when_the_test_fails() {
    let caught = std::panic::catch_unwind(|| {
        let dir = common::temp_dir("fails");
        std::fs::write(dir.join("Projekt.gpkg"), b"x").expect("writes");
        std::panic::panic_any(dir.to_path_buf());
    });
    let payload = caught.expect_err("the test failed");
    let folder = payload.downcast::<PathBuf>().expect("the folder");
    assert!(!folder.exists(), "{} is left behind", folder.display());
}
