//! The years of an indicator map: one year with ◀ ▶ and play, or the change between two
//! years and how it is measured. Shown only for an indicator with at least two years.

use eframe::egui::{self, ComboBox, Ui};

use crate::i18n::{Lang, T};
use crate::model::{Change, ChangeMeasure, IndicatorTable, Unit, Year};
use crate::scene::IndicatorStyle;

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

/// The year and change rows; returns the changed style.
pub fn years_ui(
    ui: &mut Ui,
    table: &IndicatorTable,
    style: &IndicatorStyle,
    playing: &mut Playing,
    lang: Lang,
) -> Option<IndicatorStyle> {
    let position = table.position(&style.key)?;
    let years = table.years(position);
    if years.len() < 2 {
        playing.since = None;
        return None;
    }
    let latest = *years.last()?;
    let mut next = style.clone();
    ui.horizontal(|ui| {
        let mut change = style.change.is_some();
        ui.selectable_value(&mut change, false, lang.t(T::YearsOneYear))
            .on_hover_text(lang.t(T::TipYearsOneYear));
        ui.selectable_value(&mut change, true, lang.t(T::YearsChange))
            .on_hover_text(lang.t(T::TipYearsChange));
        if change != style.change.is_some() {
            playing.since = None;
            next.change = change.then(|| Change {
                from: years[0],
                to: latest,
                measure: ChangeMeasure::Difference,
            });
        }
    });
    match style.change {
        None => one_year_ui(ui, years, style, &mut next, playing, lang),
        Some(change) => change_ui(ui, table, position, change, &mut next, lang),
    }
    (next != *style).then_some(next)
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
