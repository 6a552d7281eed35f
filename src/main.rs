//! `sozialraum-atlas`: the window by default, or a subcommand (see `cli`).

#![deny(clippy::unwrap_used, clippy::expect_used)]

use clap::Parser;

// mimalloc instead of the system allocator: the importer allocates on many threads and frees
// on others, where glibc keeps the freed memory per thread; with mimalloc the window with a
// 500 MB GeoJSON peaks at 3.5 instead of 3.9 times the file size (see the README).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's `mi_option_purge_delay`: freed memory goes back to the system at once instead of
/// after 10 ms, which keeps short runs (an export) as small as with the system allocator, and
/// the window with all German municipalities at a peak of 402–406 instead of 434–450 MB, in
/// the same time within the machine's noise (2 December 2026, paired runs).
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

use sozialraum_atlas::app::{SozialraumApp, StartOptions};
use sozialraum_atlas::cli::{Cli, CliCommand};
use sozialraum_atlas::i18n::Lang;
use sozialraum_atlas::io::console;

/// Ends the process with `code`, or 2 when output was lost to a write error.
fn exit(code: i32) -> ! {
    std::process::exit(console::exit_code(code))
}

/// Transparent huge pages off for this process. The kernel would otherwise hand out (and
/// zero) memory in 2 MB pieces where the allocator asks for a little: measured in paired runs,
/// the export of all German municipalities peaks at 111 instead of 128 MB and the 51,680 US
/// counties at 96 instead of 119 MB in the same time, and the window with Germany at 541–561
/// instead of 593–607 MB, its first frame sooner.
#[cfg(target_os = "linux")]
fn no_huge_pages() {
    // SAFETY: prctl(PR_SET_THP_DISABLE) takes plain integers and touches no memory; if the
    // kernel refuses, nothing changes.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}

#[cfg(not(target_os = "linux"))]
fn no_huge_pages() {}

/// After opening a map: mimalloc gives the pages of blocks freed by other threads back only
/// when their own thread allocates or collects again, and the importer's threads then sit
/// idle with them. Every thread of the pool, and this one, collects its heap once (German
/// municipalities, once loaded: 398 → 386 MB resident).
fn release_freed() {
    // SAFETY: mi_collect only walks and frees the calling thread's own heap.
    rayon::broadcast(|_| unsafe { libmimalloc_sys::mi_collect(true) });
    // SAFETY: as above, for the calling thread.
    unsafe { libmimalloc_sys::mi_collect(true) };
}

fn main() -> anyhow::Result<()> {
    no_huge_pages();
    let process_started = std::time::Instant::now();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        // --help, --version, or a mistake on the command line: clap's text, written without
        // panicking on a closed pipe or a full disk.
        Err(e) => {
            let text = e.render().ansi().to_string();
            if e.use_stderr() {
                console::err_line(&text);
            } else {
                console::out(&text);
            }
            std::process::exit(console::exit_code(e.exit_code()));
        }
    };
    // SAFETY: sets a plain integer option of the allocator; no memory is touched.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, 0) };
    sozialraum_atlas::io::memory::set_release(release_freed);
    let lang = cli.lang.unwrap_or(Lang::De);
    match cli.command {
        Some(CliCommand::Check { path, import }) => {
            exit(sozialraum_atlas::cli::check(&path, &import, lang));
        }
        Some(CliCommand::Classify {
            map,
            join,
            year,
            change,
            rules,
            out,
            import,
        }) => {
            let args = sozialraum_atlas::cli::ClassifyArgs {
                map: &map,
                join: &join,
                year: year.as_deref(),
                change: change.as_deref(),
                rules: rules.as_deref(),
                out: &out,
                import: &import,
            };
            exit(sozialraum_atlas::cli::classify(&args, lang));
        }
        Some(CliCommand::Export(args)) => say(sozialraum_atlas::cli::export::run(&args, lang)),
        Some(CliCommand::Report(args)) => say(sozialraum_atlas::cli::report::run(&args, lang)),
        Some(CliCommand::Atlas(args)) => say(sozialraum_atlas::cli::atlas::run(&args, lang)),
        Some(CliCommand::Project { action }) => {
            exit(sozialraum_atlas::cli::project::run_project(action, lang));
        }
        Some(CliCommand::Measures { action }) => {
            exit(sozialraum_atlas::cli::project::run_measures(action, lang));
        }
        None => {
            let start = StartOptions {
                path: cli.path,
                import: cli.import.options(),
                lang: cli.lang,
                register: cli
                    .db
                    .as_deref()
                    .map(|db| sozialraum_atlas::io::register::Target::new(db, &cli.schema)),
                process_started: Some(process_started),
                #[cfg(feature = "test-hooks")]
                panic_after_start: cli.panic_after_start,
            };
            let options = eframe::NativeOptions {
                viewport: eframe::egui::ViewportBuilder::default()
                    .with_title("Sozialraum-Atlas")
                    .with_inner_size([1480.0, 920.0])
                    .with_min_inner_size([800.0, 500.0])
                    .with_drag_and_drop(true),
                renderer: eframe::Renderer::Glow,
                ..Default::default()
            };
            eframe::run_native(
                "Sozialraum-Atlas",
                options,
                Box::new(move |cc| {
                    Ok(Box::new(SozialraumApp::new(
                        &cc.egui_ctx,
                        start,
                        cc.storage,
                    )))
                }),
            )
            .map_err(|e| anyhow::anyhow!("the window could not be opened: {e}"))?;
            Ok(())
        }
    }
}

/// Prints what a subcommand did (or why it failed) and exits with 0 (or 2).
fn say(result: Result<String, String>) -> ! {
    match result {
        Ok(message) => {
            console::err_line(&message);
            exit(0)
        }
        Err(message) => {
            console::err_line(&message);
            exit(2)
        }
    }
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    #[test]
    fn huge_pages_are_off_for_the_process() {
        let status = |key: &str| {
            std::fs::read_to_string("/proc/self/status")
                .ok()
                .and_then(|s| {
                    s.lines()
                        .find_map(|l| l.strip_prefix(key).map(|v| v.trim().to_string()))
                })
        };
        let Some(before) = status("THP_enabled:") else {
            eprintln!("this kernel does not report THP_enabled; nothing to check");
            return;
        };
        super::no_huge_pages();
        assert_eq!(status("THP_enabled:").as_deref(), Some("0"), "was {before}");
    }
}
