//! The status bar: loading progress, cursor position, scale, the number of areas.

use eframe::egui::{self, ProgressBar, Ui};

use super::command::Command;
use super::shown::{ProjectStatus, Shown};
use crate::i18n::{Lang, T, format};
use crate::io::Stage;
use crate::io::store::{LinkState, LinkStatus};
use crate::render::egui_map::FrameStats;

/// Pixels per metre on a typical screen (96 dpi), for the "1 : n" scale.
const SCREEN_M_PER_PT: f64 = 0.0254 / 96.0;

/// Shows the status bar. `ground_m_per_px` and `cursor_lonlat` describe the view.
pub fn status_bar_ui(
    ui: &mut Ui,
    state: &Shown<'_>,
    ground_m_per_px: Option<f64>,
    cursor_lonlat: Option<[f64; 2]>,
    stats: FrameStats,
) -> Vec<Command> {
    let lang = state.lang();
    let mut commands = Vec::new();
    ui.horizontal(|ui| {
        if let Some(job) = &state.loading {
            let file = job.path.file_name().map_or_else(
                || job.path.display().to_string(),
                |f| f.to_string_lossy().into_owned(),
            );
            // No spinners or animated bars: on a software renderer every extra repaint takes
            // CPU time from the load; the loader wakes the window when there is news.
            if job.overview_done {
                ui.label(lang.t(T::LoadingDetails));
            } else {
                let stage = lang.t(match job.progress.stage() {
                    Stage::Reading => T::StageReading,
                    Stage::Parsing => T::StageParsing,
                    Stage::Building => T::StageBuilding,
                    Stage::Preparing => T::StagePreparing,
                });
                ui.label(lang.tf(T::Loading, &[("file", &file)]));
                let (done, _) = job.progress.counts();
                match job.progress.fraction() {
                    Some(f) => {
                        ui.add(ProgressBar::new(f).show_percentage().desired_width(180.0));
                    }
                    // While parsing, the total is unknown: count what has been read.
                    None => {
                        ui.label(format::count(done as usize, lang));
                    }
                }
                ui.label(stage);
                if ui.button(lang.t(T::Cancel)).clicked() {
                    commands.push(Command::CancelLoad);
                }
            }
            ui.separator();
        }
        if let Some(job) = &state.importing {
            let file = job.file.file_name().map_or_else(
                || job.file.display().to_string(),
                |f| f.to_string_lossy().into_owned(),
            );
            let (total, written) = (job.total, job.written);
            if total == 0 {
                ui.label(lang.tf(T::StatusImportReading, &[("file", &file)]));
            } else {
                ui.label(lang.tf(T::StatusImporting, &[("file", &file)]));
                ui.add(
                    ProgressBar::new(written as f32 / total as f32)
                        .text(format!(
                            "{} / {}",
                            format::count(written, lang),
                            format::count(total, lang)
                        ))
                        .desired_width(200.0),
                );
            }
            ui.separator();
        }
        if let Some(map) = state.map {
            ui.label(lang.tf(
                T::StatusAreas,
                &[("n", &format::count(map.region.spaces.len(), lang))],
            ));
            ui.separator();
            if project_status_ui(ui, state.project.as_ref(), map, lang, &mut commands) {
                ui.separator();
            }
        }
        if let Some(m) = ground_m_per_px {
            let scale = m / SCREEN_M_PER_PT;
            let rounded = round_scale(scale);
            ui.label(format!(
                "{} 1 : {}",
                lang.t(T::StatusScale),
                format::number(rounded, 0, lang)
            ));
            ui.separator();
        }
        if let Some([lon, lat]) = cursor_lonlat {
            ui.label(lonlat_text(lon, lat, lang));
            ui.separator();
        }
        if let Some(notice) = state.notice {
            ui.label(egui::RichText::new(notice).color(egui::Color32::from_rgb(0x1a, 0x6e, 0x2a)));
            if ui.small_button("×").clicked() {
                commands.push(Command::DismissNotice);
            }
            ui.separator();
        }
        if !state.frame_figures {
            return;
        }
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            let ms = format::number(stats.build_ms, 1, lang);
            let text = if stats.picture {
                lang.tf(T::StatusPicture, &[("ms", &ms)])
            } else {
                lang.tf(
                    T::StatusFrame,
                    &[("ms", &ms), ("v", &format::count(stats.vertices, lang))],
                )
            };
            ui.label(egui::RichText::new(text).weak());
        });
    });
    commands
}

/// Where the planners' data is kept: the project file and whether everything is in it
/// ("✓ gespeichert" only when nothing waits to be written), and for a register its link.
/// Returns whether it showed anything.
fn project_status_ui(
    ui: &mut Ui,
    project: Option<&ProjectStatus<'_>>,
    map: &crate::document::Document,
    lang: Lang,
    commands: &mut Vec<Command>,
) -> bool {
    let warn = egui::Color32::from_rgb(0xb0, 0x40, 0x00);
    let alarm = egui::Color32::from_rgb(0xb0, 0x10, 0x10);
    match project {
        Some(project) => {
            let file = project.file.as_str();
            let unsaved = project.unsaved;
            let why = project.failure.map(|w| w.text(lang));
            if let Some(detached) = project.detached {
                ui.label(
                    egui::RichText::new(lang.tf(
                        T::StatusDetached,
                        &[("file", file), ("why", &detached.text(lang))],
                    ))
                    .color(alarm)
                    .strong(),
                );
            } else if project.read_only && unsaved == 0 {
                ui.label(
                    egui::RichText::new(lang.tf(T::StatusReadOnly, &[("file", file)])).color(warn),
                );
            } else if unsaved > 0 {
                let text = match &why {
                    Some(why) => lang.count_text(
                        unsaved,
                        T::StatusUnsavedWhyOne,
                        T::StatusUnsavedWhy,
                        &[("file", file), ("why", why)],
                    ),
                    None => lang.count_text(
                        unsaved,
                        T::StatusUnsavedOne,
                        T::StatusUnsaved,
                        &[("file", file)],
                    ),
                };
                ui.label(egui::RichText::new(text).color(alarm).strong());
            } else if project.link.is_some() {
                // A register: saved in the copy here; the link below says what the server has.
                ui.label(lang.tf(T::StatusSavedCopy, &[("file", file)]));
            } else {
                ui.label(lang.tf(T::StatusSaved, &[("file", file)]));
            }
            if project.conflicts > 0 {
                ui.label(
                    egui::RichText::new(lang.count_text(
                        project.conflicts,
                        T::StatusConflictsOne,
                        T::StatusConflicts,
                        &[],
                    ))
                    .color(alarm),
                );
            }
            if let Some(link) = &project.link {
                commands.extend(link_status_ui(ui, link, lang));
            }
        }
        None if !map.measures.is_empty() || !map.saved_views.is_empty() => {
            ui.label(egui::RichText::new(lang.t(T::StatusNoProject)).color(warn));
        }
        None => return false,
    }
    true
}

/// The link to a shared register: "verbunden", "offline seit 10:42", what is not sent yet,
/// what the server refused; the server and the user on hover.
fn link_status_ui(ui: &mut Ui, link: &LinkStatus, lang: Lang) -> Vec<Command> {
    let mut commands = Vec::new();
    let warn = egui::Color32::from_rgb(0xb0, 0x40, 0x00);
    let alarm = egui::Color32::from_rgb(0xb0, 0x10, 0x10);
    let good = egui::Color32::from_rgb(0x1d, 0x70, 0x30);
    ui.separator();
    let (text, colour, why) = match &link.state {
        LinkState::Connecting => (lang.t(T::LinkConnecting).to_string(), warn, None),
        LinkState::Connected => (lang.t(T::LinkConnected).to_string(), good, None),
        LinkState::Offline { since, why } => (
            lang.tf(
                T::LinkOffline,
                &[("time", &crate::i18n::format::time_of_day(*since))],
            ),
            warn,
            Some(why.as_str()),
        ),
    };
    let hover = lang.tf(
        T::LinkHover,
        &[("server", &link.location), ("user", &link.user)],
    );
    let hover = match why {
        Some(why) => format!("{hover}\n{why}"),
        None => hover,
    };
    ui.label(egui::RichText::new(format!("● {text}")).color(colour))
        .on_hover_text(hover);
    if link.unsent > 0 {
        ui.label(
            egui::RichText::new(lang.count_text(link.unsent, T::LinkUnsentOne, T::LinkUnsent, &[]))
                .color(warn),
        )
        .on_hover_text(lang.t(T::LinkUnsentHover));
    }
    if link.refused > 0 {
        ui.label(
            egui::RichText::new(lang.count_text(
                link.refused,
                T::LinkRefusedOne,
                T::LinkRefused,
                &[],
            ))
            .color(alarm),
        )
        .on_hover_text(match &link.refusal {
            Some(why) => format!("{}\n{why}", lang.t(T::LinkRefusedHover)),
            None => lang.t(T::LinkRefusedHover).to_string(),
        });
    }
    if link.republished {
        ui.label(
            egui::RichText::new(lang.t(T::LinkRepublished))
                .color(warn)
                .strong(),
        );
        if ui
            .small_button(lang.t(T::LinkReload))
            .on_hover_text(lang.t(T::LinkReloadHover))
            .clicked()
        {
            commands.push(Command::ReloadRegister);
        }
    }
    commands
}

/// A scale rounded to two significant digits: 1 : 48.734 reads as 1 : 49.000.
fn round_scale(scale: f64) -> f64 {
    if scale <= 0.0 || !scale.is_finite() {
        return 0.0;
    }
    let magnitude = 10f64.powf(scale.log10().floor() - 1.0);
    (scale / magnitude).round() * magnitude
}

/// "50,7747° N 6,0838° O" in German, "50.7747° N 6.0838° E" in English.
pub fn lonlat_text(lon: f64, lat: f64, lang: Lang) -> String {
    let (north, south, east, west) = match lang {
        Lang::De => ("N", "S", "O", "W"),
        Lang::En => ("N", "S", "E", "W"),
    };
    format!(
        "{}° {} {}° {}",
        format::number(lat.abs(), 4, lang),
        if lat >= 0.0 { north } else { south },
        format::number(lon.abs(), 4, lang),
        if lon >= 0.0 { east } else { west }
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn coordinates_read_in_the_users_language() {
        assert_eq!(
            lonlat_text(6.0838, 50.7747, Lang::De),
            "50,7747° N 6,0838° O"
        );
        assert_eq!(lonlat_text(-3.5, -12.25, Lang::En), "12.2500° S 3.5000° W");
    }

    #[test]
    fn scales_are_rounded_to_two_digits() {
        assert_eq!(round_scale(48_734.0), 49_000.0);
        assert_eq!(round_scale(1234.0), 1200.0);
    }
}
