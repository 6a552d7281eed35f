//! The years of an indicator map: one year with ◀ ▶ and play, or the change between two
//! years and how it is measured. Shown only for an indicator with at least two years.

use eframe::egui::{self, ComboBox, Ui};

use crate::i18n::{Lang, T};
use eframe::egui::RichText;

use crate::analysis::typology::TypologySpec;
use crate::model::{Change, ChangeMeasure, IndicatorTable, Unit, Year};
use crate::scene::{Colouring, IndicatorStyle};

/// Seconds each year stays on screen while playing.
pub const PLAY_STEP_SECONDS: f64 = 1.2;

/// Playing through the years: when the last step was taken (egui's clock), if playing.
#[derive(Debug, Default, Clone, Copy, PartialEq)]
pub struct Playing {
    /// The time of the last step; None: not playing.
    pub since: Option<f64>,
}

/// The year after `year` among `years`, from the first again after the last.
pub fn next_year(years: &[Year], year: Year) -> Option<Year> {
    let i = years.iter().position(|y| *y == year)?;
    years.get((i + 1) % years.len()).copied()
}

/// The year before `year` among `years`, if there is one.
pub fn previous_year(years: &[Year], year: Year) -> Option<Year> {
    let i = years.iter().position(|y| *y == year)?;
    i.checked_sub(1).and_then(|j| years.get(j)).copied()
}

/// The year and change rows; returns the changed colouring (the style, or status × dynamics).
pub fn years_ui(
    ui: &mut Ui,
    table: &IndicatorTable,
    style: &IndicatorStyle,
    playing: &mut Playing,
    lang: Lang,
) -> Option<Colouring> {
    let position = table.position(&style.key)?;
    let years = table.years(position);
    if years.len() < 2 {
        playing.since = None;
        return None;
    }
    let latest = *years.last()?;
    let mut next = style.clone();
    let mode = if style.change.is_some() {
        Mode::Change
    } else {
        Mode::OneYear
    };
    if let Some(chosen) = mode_ui(ui, mode, lang) {
        playing.since = None;
        match chosen {
            Mode::OneYear => next.change = None,
            Mode::Change => {
                next.change = Some(Change {
                    from: years[0],
                    to: latest,
                    measure: ChangeMeasure::Difference,
                });
            }
            Mode::Typology => {
                return Some(Colouring::Typology(TypologySpec::new(
                    &style.key, years[0], latest,
                )));
            }
        }
    }
    match style.change {
        None => one_year_ui(ui, years, style, &mut next, playing, lang),
        Some(change) => change_ui(ui, table, position, change, &mut next, lang),
    }
    (next != *style).then_some(Colouring::Indicator(next))
}

/// What the years of an indicator show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    OneYear,
    Change,
    Typology,
}

/// "Ein Jahr | Veränderung | Status und Dynamik"; returns the mode clicked.
fn mode_ui(ui: &mut Ui, mode: Mode, lang: Lang) -> Option<Mode> {
    let mut chosen = mode;
    ui.horizontal_wrapped(|ui| {
        for (m, label, tip) in [
            (Mode::OneYear, T::YearsOneYear, T::TipYearsOneYear),
            (Mode::Change, T::YearsChange, T::TipYearsChange),
            (Mode::Typology, T::YearsTypology, T::TipYearsTypology),
        ] {
            ui.selectable_value(&mut chosen, m, lang.t(label))
                .on_hover_text(lang.t(tip));
        }
    });
    (chosen != mode).then_some(chosen)
}

/// The status × dynamics controls: the years and the group limits; returns the changed
/// colouring (another mode is the indicator's style again).
pub fn typology_ui(
    ui: &mut Ui,
    table: &IndicatorTable,
    spec: &TypologySpec,
    lang: Lang,
) -> Option<Colouring> {
    let position = table.position(&spec.key)?;
    let indicator = &table.indicators()[position];
    ui.label(RichText::new(indicator.label(lang.is_english())).strong());
    let back = |change: Option<Change>| {
        let mut style = IndicatorStyle::for_indicator(indicator);
        style.change = change;
        Colouring::Indicator(style)
    };
    match mode_ui(ui, Mode::Typology, lang) {
        Some(Mode::OneYear) => return Some(back(None)),
        Some(Mode::Change) => {
            return Some(back(Some(Change {
                from: spec.from,
                to: spec.to,
                measure: ChangeMeasure::Difference,
            })));
        }
        _ => {}
    }
    let years = table.years(position);
    let mut next = spec.clone();
    ui.horizontal(|ui| {
        ui.label(lang.t(T::YearsFrom));
        year_combo(
            ui,
            "typology-from",
            &mut next.from,
            years,
            lang.t(T::YearsFrom),
        );
        ui.label(lang.t(T::YearsTo));
        year_combo(ui, "typology-to", &mut next.to, years, lang.t(T::YearsTo));
    });
    if next.from > next.to {
        std::mem::swap(&mut next.from, &mut next.to);
    }
    if next.from == next.to {
        ui.colored_label(ui.visuals().warn_fg_color, lang.t(T::ChangeSameYear));
    }
    limits_ui(
        ui,
        &mut next.status_limits,
        lang.t(T::TypologyStatusLimits),
        lang,
    );
    limits_ui(
        ui,
        &mut next.dynamics_limits,
        lang.t(T::TypologyDynamicsLimits),
        lang,
    );
    (next != *spec).then_some(Colouring::Typology(next))
}

/// A row of limits, kept ascending.
fn limits_ui(ui: &mut Ui, limits: &mut [f64], name: &str, lang: Lang) {
    ui.horizontal(|ui| {
        ui.label(name);
        for (k, l) in limits.iter_mut().enumerate() {
            let r = ui.add(
                egui::DragValue::new(l)
                    .speed(0.05)
                    .range(-5.0..=5.0)
                    .fixed_decimals(2)
                    .custom_formatter(|v, _| crate::i18n::format::number(v, 2, lang))
                    .custom_parser(|t| crate::i18n::format::parse_number(t, lang)),
            );
            super::name(&r, &format!("{name} {}", k + 1));
        }
    });
    limits.sort_by(f64::total_cmp);
}

/// ◀ [2020] ▶ and play.
fn one_year_ui(
    ui: &mut Ui,
    years: &[Year],
    style: &IndicatorStyle,
    next: &mut IndicatorStyle,
    playing: &mut Playing,
    lang: Lang,
) {
    let shown = style
        .year
        .filter(|y| years.contains(y))
        .or(years.last().copied())
        .unwrap_or_default();
    ui.horizontal(|ui| {
        ui.label(lang.t(T::YearsYear));
        let back = ui
            .add_enabled(
                previous_year(years, shown).is_some(),
                egui::Button::new("◀"),
            )
            .on_hover_text(lang.t(T::TipYearBack));
        super::name(&back, lang.t(T::TipYearBack));
        if back.clicked() {
            next.year = previous_year(years, shown);
        }
        let combo = ComboBox::from_id_salt("year")
            .selected_text(shown.to_string())
            .width(70.0)
            .show_ui(ui, |ui| {
                for y in years {
                    if ui.selectable_label(*y == shown, y.to_string()).clicked() {
                        next.year = Some(*y);
                    }
                }
            });
        super::name(&combo.response, lang.t(T::YearsYear));
        let last = years.last().copied() == Some(shown);
        let forward = ui
            .add_enabled(!last, egui::Button::new("▶"))
            .on_hover_text(lang.t(T::TipYearForward));
        super::name(&forward, lang.t(T::TipYearForward));
        if forward.clicked() {
            next.year = next_year(years, shown);
        }
        let label = if playing.since.is_some() {
            lang.t(T::YearsPause)
        } else {
            lang.t(T::YearsPlay)
        };
        let play = ui.button(label).on_hover_text(lang.t(T::TipYearsPlay));
        super::name(&play, label);
        let now = ui.input(|i| i.time);
        if play.clicked() {
            playing.since = match playing.since {
                Some(_) => None,
                None => {
                    // From the first year, or on from the one shown.
                    next.year = if last {
                        years.first().copied()
                    } else {
                        next_year(years, shown)
                    };
                    Some(now)
                }
            };
        } else if let Some(since) = playing.since {
            if now - since >= PLAY_STEP_SECONDS {
                next.year = next_year(years, shown);
                playing.since = Some(now);
            }
            ui.ctx()
                .request_repaint_after(std::time::Duration::from_secs_f64(PLAY_STEP_SECONDS / 4.0));
        }
    });
    // The latest year is stored as "no year", so a new year in the data is shown at once.
    if next.year == years.last().copied() {
        next.year = None;
    }
}

/// "von [2017] bis [2023]" and the measure.
fn change_ui(
    ui: &mut Ui,
    table: &IndicatorTable,
    position: usize,
    change: Change,
    next: &mut IndicatorStyle,
    lang: Lang,
) {
    let years = table.years(position);
    let mut c = change;
    ui.horizontal(|ui| {
        ui.label(lang.t(T::YearsFrom));
        year_combo(ui, "change-from", &mut c.from, years, lang.t(T::YearsFrom));
        ui.label(lang.t(T::YearsTo));
        year_combo(ui, "change-to", &mut c.to, years, lang.t(T::YearsTo));
    });
    let share = table.indicators()[position].unit == Unit::Percent;
    let difference = lang.t(if share {
        T::ChangeInPoints
    } else {
        T::ChangeDifference
    });
    ui.horizontal(|ui| {
        ui.label(lang.t(T::ChangeMeasureLabel));
        ui.vertical(|ui| {
            ui.radio_value(&mut c.measure, ChangeMeasure::Difference, difference);
            ui.radio_value(
                &mut c.measure,
                ChangeMeasure::Relative,
                lang.t(T::ChangeRelative),
            );
        });
    });
    if c.from == c.to {
        ui.colored_label(ui.visuals().warn_fg_color, lang.t(T::ChangeSameYear));
    }
    // Earlier first, whichever way round they were chosen.
    if c.from > c.to {
        std::mem::swap(&mut c.from, &mut c.to);
    }
    next.change = Some(c);
}

fn year_combo(ui: &mut Ui, id: &str, year: &mut Year, years: &[Year], name: &str) {
    let combo = ComboBox::from_id_salt(id)
        .selected_text(year.to_string())
        .width(70.0)
        .show_ui(ui, |ui| {
            for y in years {
                ui.selectable_value(year, *y, y.to_string());
            }
        });
    super::name(&combo.response, name);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stepping_through_the_years_wraps_when_playing_and_stops_going_back() {
        let years = [2017, 2020, 2023];
        assert_eq!(next_year(&years, 2017), Some(2020));
        assert_eq!(next_year(&years, 2023), Some(2017), "play starts over");
        assert_eq!(previous_year(&years, 2017), None);
        assert_eq!(previous_year(&years, 2023), Some(2020));
        assert_eq!(next_year(&years, 1999), None);
    }
}
