//! The left panel's top: Handlungsfelder or indicator, and how an indicator map is classed;
//! then the legend and, for indicators, the histogram.

use eframe::egui::{self, Color32, ComboBox, Rect, RichText, Sense, Stroke, Ui, Vec2};

use super::command::{Command, Window};
use super::legend::legend_ui;
use crate::analysis::breaks::{BreakMethod, class_breaks};
use crate::document::Document;
use crate::i18n::{Lang, T, format};
use crate::render::egui_map::color32;
use crate::scene::palette::PALETTES;
use crate::scene::{Colouring, Histogram, IndicatorStyle, Scene, ViewSettings, method_name};

/// The text of the manual-limits field, kept while the user types.
#[derive(Debug, Default)]
pub struct ViewPanelState {
    /// What the user typed.
    pub manual_text: String,
    /// Whether the typed limits were refused.
    pub manual_bad: bool,
    /// The indicator view last shown, to return to it in one click.
    pub last_indicator: Option<IndicatorStyle>,
    /// What was typed into the indicator list's search field.
    pub indicator_query: String,
    /// Playing through the years.
    pub playing: super::years::Playing,
}

/// Parses "5; 10,5; 20" (German) or "5; 10.5; 20".
fn parse_limits(text: &str, lang: Lang) -> Option<Vec<f64>> {
    text.split(';')
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(|t| format::parse_number(t, lang))
        .collect()
}

/// The switch "Handlungsfelder | Indikator | Abdeckung"; the indicator view comes back with
/// the indicator last shown.
fn view_switch_ui(
    ui: &mut Ui,
    map: &Document,
    view: &ViewSettings,
    state: &mut ViewPanelState,
) -> Vec<Command> {
    let lang = view.lang;
    let mut commands = Vec::new();
    let indicators = map.indicators.indicators();
    ui.horizontal(|ui| {
        let fields = matches!(view.colouring, Colouring::ActionFields);
        let coverage = matches!(view.colouring, Colouring::Coverage);
        let indicator = !fields && !coverage;
        if ui.selectable_label(fields, lang.t(T::ViewFields)).clicked() && !fields {
            if let Colouring::Indicator(style) = &view.colouring {
                state.last_indicator = Some(style.clone());
            }
            commands.push(Command::SetColouring(Colouring::ActionFields));
        }
        let enabled = !indicators.is_empty();
        let clicked = ui
            .add_enabled(
                enabled,
                egui::Button::selectable(indicator, lang.t(T::ViewIndicator)),
            )
            .on_disabled_hover_text(lang.t(T::ViewIndicatorDisabled))
            .clicked();
        let coverage_clicked = ui
            .selectable_label(coverage, lang.t(T::ViewCoverage))
            .on_hover_text(lang.t(T::ViewCoverageHint))
            .clicked();
        if coverage_clicked && !coverage {
            if let Colouring::Indicator(style) = &view.colouring {
                state.last_indicator = Some(style.clone());
            }
            commands.push(Command::SetColouring(Colouring::Coverage));
        }
        if clicked && !indicator {
            // Back to the indicator view last shown, if its indicator is still there; else the
            // first indicator that signals need, or simply the first one.
            let last = state
                .last_indicator
                .clone()
                .filter(|s| indicators.iter().any(|i| i.key == s.key));
            let pick = last.or_else(|| {
                indicators
                    .iter()
                    .find(|i| i.polarity == crate::model::Polarity::HighIsNeed)
                    .or(indicators.first())
                    .map(IndicatorStyle::for_indicator)
            });
            if let Some(style) = pick {
                commands.push(Command::SetColouring(Colouring::Indicator(style)));
            }
        }
    });
    commands
}

/// Shows the view switch, the indicator options, the legend and the histogram.
pub fn view_panel_ui(
    ui: &mut Ui,
    map: &Document,
    scene: &Scene,
    view: &ViewSettings,
    state: &mut ViewPanelState,
) -> Vec<Command> {
    let lang = view.lang;
    let mut commands = view_switch_ui(ui, map, view, state);
    let indicators = map.indicators.indicators();
    if indicators.is_empty() {
        // Say why the indicator view is greyed, not only on hover.
        ui.label(
            RichText::new(lang.t(T::ViewIndicatorDisabled))
                .small()
                .weak(),
        );
    }
    ui.add_space(4.0);
    match &view.colouring {
        Colouring::Typology(spec) => {
            if let Some(next) = super::years::typology_ui(ui, &map.indicators, spec, lang) {
                commands.push(Command::SetColouring(next));
            }
            ui.separator();
            commands.extend(legend_ui(ui, scene, lang));
        }
        Colouring::Indicator(style) => {
            let changed = indicator_options_ui(ui, map, style, lang, state);
            let style_now = changed.clone().unwrap_or_else(|| style.clone());
            let years =
                super::years::years_ui(ui, &map.indicators, &style_now, &mut state.playing, lang);
            if let Some(next) = years.or(changed.map(Colouring::Indicator)) {
                commands.push(Command::SetColouring(next));
            }
            ui.horizontal_wrapped(|ui| {
                let is_index = map
                    .indicators
                    .position(&style.key)
                    .is_some_and(|p| map.indicators.indicators()[p].index.is_some());
                if is_index
                    && ui
                        .button(lang.t(T::IndexShowSheet))
                        .on_hover_text(lang.t(T::TipIndexShowSheet))
                        .clicked()
                {
                    commands.push(Command::ShowIndexSheet(style.key.clone()));
                }
                if ui.button(lang.t(T::MenuIndexBuilder)).clicked() {
                    commands.push(Command::ShowWindow(Window::IndexBuilder, true));
                }
            });
            ui.separator();
            commands.extend(legend_ui(ui, scene, lang));
            if let Some(h) = &scene.histogram {
                ui.add_space(6.0);
                ui.label(RichText::new(lang.t(T::HistogramTitle)).strong());
                let decimals = map
                    .indicators
                    .position(&style.key)
                    .map_or(1, |p| usize::from(map.indicators.indicators()[p].decimals));
                histogram_ui(ui, h, decimals, lang);
            }
        }
        Colouring::Coverage => {
            commands.extend(legend_ui(ui, scene, lang));
            ui.add_space(6.0);
            if ui
                .button(lang.t(T::OpenMeasures))
                .on_hover_text(lang.t(T::TipOpenMeasures))
                .clicked()
            {
                commands.push(Command::ShowWindow(Window::Measures, true));
            }
        }
        Colouring::ActionFields => {
            let source = if map.classification.from_rules {
                T::ClassificationFromRules
            } else {
                T::ClassificationFromData
            };
            ui.label(RichText::new(lang.t(source)).weak());
            commands.extend(legend_ui(ui, scene, lang));
            ui.add_space(6.0);
            ui.horizontal_wrapped(|ui| {
                if ui
                    .button(lang.t(T::OpenRules))
                    .on_hover_text(lang.t(T::TipOpenRules))
                    .clicked()
                {
                    commands.push(Command::ShowWindow(Window::Rules, true));
                }
                if ui
                    .button(lang.t(T::OpenCompare))
                    .on_hover_text(lang.t(T::TipOpenCompare))
                    .clicked()
                {
                    commands.push(Command::ShowWindow(Window::Compare, true));
                }
                let n = map.overrides.len();
                if ui
                    .button(lang.tf(T::OpenOverrides, &[("n", &format::count(n, lang))]))
                    .on_hover_text(lang.t(T::TipOpenOverrides))
                    .clicked()
                {
                    commands.push(Command::ShowWindow(Window::Overrides, true));
                }
            });
        }
    }
    commands
}

/// The indicator, method, classes and palette; returns the changed style.
fn indicator_options_ui(
    ui: &mut Ui,
    map: &Document,
    style: &IndicatorStyle,
    lang: Lang,
    state: &mut ViewPanelState,
) -> Option<IndicatorStyle> {
    let table = &map.indicators;
    let mut next = style.clone();
    egui::Grid::new("indicator-options")
        .num_columns(2)
        .show(ui, |ui| {
            ui.label(lang.t(T::ChooseIndicator));
            let current = table.position(&style.key).map_or(style.key.as_str(), |p| {
                table.indicators()[p].label(lang.is_english())
            });
            let query = &mut state.indicator_query;
            let combo = ComboBox::from_id_salt("indicator")
                .selected_text(current)
                .width(190.0)
                .height(420.0)
                .show_ui(ui, |ui| {
                    if let Some(indicator) = indicator_list_ui(ui, table, &style.key, query, lang) {
                        let fresh = IndicatorStyle::for_indicator(indicator);
                        // The year or change shown stays when the new indicator has it.
                        let years = table
                            .position(&indicator.key)
                            .map(|p| table.years(p))
                            .unwrap_or(&[]);
                        next = IndicatorStyle {
                            method: style.method,
                            classes: style.classes,
                            manual: Vec::new(),
                            year: style.year.filter(|y| years.contains(y)),
                            change: style
                                .change
                                .filter(|c| years.contains(&c.from) && years.contains(&c.to)),
                            ..fresh
                        };
                    }
                });
            super::name(&combo.response, lang.t(T::ChooseIndicator));
            ui.end_row();
            ui.label(lang.t(T::ClassMethod));
            // A change map has classes centred on 0, or manual limits: nothing else is offered.
            let combo = ComboBox::from_id_salt("method")
                .selected_text(crate::scene::map_method_name(style, lang))
                .width(190.0)
                .show_ui(ui, |ui| {
                    if style.change.is_some() {
                        let centred = next.method != BreakMethod::Manual;
                        if ui
                            .selectable_label(centred, lang.t(T::MethodCentred))
                            .clicked()
                        {
                            next.method = BreakMethod::Quantile;
                        }
                        ui.selectable_value(
                            &mut next.method,
                            BreakMethod::Manual,
                            method_name(BreakMethod::Manual, lang),
                        );
                    } else {
                        for m in BreakMethod::ALL {
                            ui.selectable_value(&mut next.method, m, method_name(m, lang));
                        }
                    }
                });
            super::name(&combo.response, lang.t(T::ClassMethod));
            ui.end_row();
            ui.label(lang.t(T::ClassCount));
            let count = ui.add_enabled(
                style.method != BreakMethod::Manual,
                egui::DragValue::new(&mut next.classes).range(3..=9),
            );
            super::name(&count, lang.t(T::ClassCount));
            ui.end_row();
            palette_row_ui(ui, style, &mut next, lang);
        });
    if next.method == BreakMethod::Manual {
        manual_limits_ui(ui, map, style, &mut next, lang, state);
    }
    (next != *style).then_some(next)
}

/// The indicators grouped by the catalogue's themes, with a search field on top; returns the
/// one clicked.
fn indicator_list_ui<'t>(
    ui: &mut Ui,
    table: &'t crate::model::IndicatorTable,
    current: &str,
    query: &mut String,
    lang: Lang,
) -> Option<&'t crate::model::Indicator> {
    let edit = ui.add(
        egui::TextEdit::singleline(query)
            .hint_text(lang.t(T::IndicatorSearchHint))
            .desired_width(240.0),
    );
    super::name(&edit, lang.t(T::IndicatorSearchHint));
    let folded = super::switcher::fold(query);
    let matches = |i: &crate::model::Indicator| {
        folded.is_empty()
            || super::switcher::fold(i.label(lang.is_english())).contains(&folded)
            || super::switcher::fold(&i.theme).contains(&folded)
    };
    // Themes in the catalogue's order of first appearance; indicators without a theme last.
    let mut themes: Vec<&str> = Vec::new();
    for i in table.indicators() {
        if !themes.contains(&i.theme.as_str()) {
            themes.push(&i.theme);
        }
    }
    themes.sort_by_key(|t| t.is_empty());
    let mut chosen = None;
    let mut any = false;
    for theme in themes {
        let members: Vec<&crate::model::Indicator> = table
            .indicators()
            .iter()
            .filter(|i| i.theme == theme && matches(i))
            .collect();
        if members.is_empty() {
            continue;
        }
        any = true;
        let heading = if theme.is_empty() {
            lang.t(T::IndicatorNoTheme)
        } else {
            theme
        };
        ui.add_space(4.0);
        ui.label(RichText::new(heading).strong().small());
        for indicator in members {
            let selected = indicator.key == current;
            if ui
                .selectable_label(selected, indicator.label(lang.is_english()))
                .clicked()
                && !selected
            {
                chosen = Some(indicator);
            }
        }
    }
    if !any {
        ui.weak(lang.t(T::SwitcherNothing));
    }
    chosen
}

/// The colour scheme, each shown as a strip of its colours, and "reversed".
fn palette_row_ui(ui: &mut Ui, style: &IndicatorStyle, next: &mut IndicatorStyle, lang: Lang) {
    ui.label(lang.t(T::Palette));
    ui.horizontal(|ui| {
        let combo = ComboBox::from_id_salt("palette")
            .selected_text(&style.palette)
            .width(110.0)
            .show_ui(ui, |ui| {
                for p in PALETTES {
                    ui.horizontal(|ui| {
                        let colors = p.colors(5, next.reversed);
                        let (rect, _) =
                            ui.allocate_exact_size(Vec2::new(50.0, 12.0), Sense::hover());
                        let w = rect.width() / colors.len() as f32;
                        for (i, c) in colors.iter().enumerate() {
                            let r = Rect::from_min_size(
                                rect.min + Vec2::new(i as f32 * w, 0.0),
                                Vec2::new(w, rect.height()),
                            );
                            ui.painter().rect_filled(r, 0.0, color32(*c));
                        }
                        ui.selectable_value(&mut next.palette, p.name.to_string(), p.name);
                    });
                }
            });
        super::name(&combo.response, lang.t(T::Palette));
        ui.checkbox(&mut next.reversed, lang.t(T::Reverse));
    });
    ui.end_row();
}

/// Class limits typed by hand ("10; 20; 30"), checked against the values on "Apply".
fn manual_limits_ui(
    ui: &mut Ui,
    map: &Document,
    style: &IndicatorStyle,
    next: &mut IndicatorStyle,
    lang: Lang,
    state: &mut ViewPanelState,
) {
    let table = &map.indicators;
    ui.label(lang.t(T::ManualBreaks));
    if state.manual_text.is_empty() && !style.manual.is_empty() {
        state.manual_text = style
            .manual
            .iter()
            .map(|v| format::number(*v, 2, lang))
            .collect::<Vec<_>>()
            .join("; ");
    }
    ui.horizontal(|ui| {
        let edit = ui.text_edit_singleline(&mut state.manual_text);
        super::name(&edit, lang.t(T::ManualBreaks));
        if ui
            .button(lang.t(T::Apply))
            .on_hover_text(lang.t(T::TipApplyLimits))
            .clicked()
        {
            let numbers: Vec<f64> = table
                .position(&style.key)
                .map(|c| table.column(c).iter().filter_map(|v| v.number()).collect())
                .unwrap_or_default();
            let limits = parse_limits(&state.manual_text, lang);
            match limits {
                Some(l) if class_breaks(&numbers, BreakMethod::Manual, 0, &l).is_ok() => {
                    state.manual_bad = false;
                    next.manual = l;
                }
                _ => state.manual_bad = true,
            }
        }
    });
    if state.manual_bad {
        ui.colored_label(ui.visuals().error_fg_color, lang.t(T::ManualBreaksBad));
    }
}

/// The distribution as bars in the class colours, with the class limits.
/// The histogram: bars in the class colours, a count axis on the left, each class limit marked
/// and written below with the legend's decimals. Hovering a bar says how many areas it holds,
/// inside the chart (a tooltip would cover the heading above).
fn histogram_ui(ui: &mut Ui, h: &Histogram, decimals: usize, lang: Lang) {
    let width = ui.available_width().min(300.0);
    let (rect, response) = ui.allocate_exact_size(Vec2::new(width, 120.0), Sense::hover());
    let painter = ui.painter_at(rect);
    let font = egui::FontId::proportional(10.0);
    let ink = Color32::from_gray(40);
    let axis_w = 26.0;
    let bars = Rect::from_min_max(
        rect.min + Vec2::new(axis_w, 14.0),
        rect.max - Vec2::new(4.0, 28.0),
    );
    painter.rect_filled(bars, 2.0, Color32::from_gray(248));
    let max_count = h.bins.iter().copied().max().unwrap_or(1).max(1);
    // The count axis: 0 and the largest bar.
    for (count, y) in [(0, bars.max.y), (max_count, bars.min.y + 4.0)] {
        painter.text(
            egui::pos2(bars.min.x - 4.0, y),
            egui::Align2::RIGHT_CENTER,
            format::count(count, lang),
            font.clone(),
            ink,
        );
        painter.hline(
            bars.min.x - 2.0..=bars.min.x,
            y,
            Stroke::new(1.0, Color32::from_gray(90)),
        );
    }
    painter.vline(
        bars.min.x,
        bars.y_range(),
        Stroke::new(1.0, Color32::from_gray(90)),
    );
    painter.text(
        egui::pos2(rect.min.x, rect.min.y),
        egui::Align2::LEFT_TOP,
        lang.t(T::HistogramCount),
        font.clone(),
        ink,
    );
    let span = (h.max - h.min).max(f64::EPSILON);
    let x_of = |v: f64| bars.min.x + ((v - h.min) / span) as f32 * bars.width();
    let bin_w = bars.width() / h.bins.len().max(1) as f32;
    let hovered = response
        .hover_pos()
        .filter(|p| bars.x_range().contains(p.x))
        .map(|p| (((p.x - bars.min.x) / bin_w) as usize).min(h.bins.len().saturating_sub(1)));
    for (i, &count) in h.bins.iter().enumerate() {
        let centre = h.min + (i as f64 + 0.5) / h.bins.len() as f64 * span;
        let class = crate::analysis::breaks::class_of(centre, &h.limits).unwrap_or(0);
        let color = h.colors.get(class).map_or(Color32::GRAY, |c| color32(*c));
        let height = count as f32 / max_count as f32 * (bars.height() - 4.0);
        let bar = Rect::from_min_max(
            egui::pos2(bars.min.x + i as f32 * bin_w + 0.5, bars.max.y - height),
            egui::pos2(bars.min.x + (i as f32 + 1.0) * bin_w - 0.5, bars.max.y),
        );
        painter.rect_filled(bar, 0.0, color);
        let outline = if hovered == Some(i) { 1.5 } else { 0.5 };
        painter.rect_stroke(
            bar,
            0.0,
            Stroke::new(outline, Color32::from_gray(60)),
            egui::StrokeKind::Inside,
        );
    }
    // Every limit, below the axis; labels that would overlap their left neighbour go a line
    // lower.
    let number = |v: f64| format::number(v, decimals, lang);
    let mut last_right = [f32::NEG_INFINITY; 2];
    for (k, limit) in h.limits.iter().enumerate() {
        let x = x_of(*limit);
        if k > 0 && k + 1 < h.limits.len() {
            painter.vline(x, bars.y_range(), Stroke::new(1.5, Color32::from_gray(30)));
        }
        let text = number(*limit);
        let galley = painter.layout_no_wrap(text, font.clone(), ink);
        let w = galley.size().x;
        let left = (x - w / 2.0).clamp(rect.min.x, rect.max.x - w);
        let line = usize::from(left < last_right[0] + 3.0);
        if line == 1 && left < last_right[1] + 3.0 {
            continue;
        }
        last_right[line] = left + w;
        let y = bars.max.y + 2.0 + line as f32 * 12.0;
        painter.galley(egui::pos2(left, y), galley, ink);
    }
    if let Some(i) = hovered {
        let from = h.min + i as f64 / h.bins.len() as f64 * span;
        let to = h.min + (i + 1) as f64 / h.bins.len() as f64 * span;
        painter.text(
            egui::pos2(rect.max.x - 4.0, rect.min.y),
            egui::Align2::RIGHT_TOP,
            lang.tf(
                T::HistogramBin,
                &[
                    ("n", &format::count(h.bins[i], lang)),
                    ("from", &number(from)),
                    ("to", &number(to)),
                ],
            ),
            font,
            ink,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manual_limits_are_read_in_the_users_writing() {
        assert_eq!(
            parse_limits("10; 15,5; 1.000", Lang::De),
            Some(vec![10.0, 15.5, 1000.0])
        );
        assert_eq!(
            parse_limits("10; 15.5; 1,000", Lang::En),
            Some(vec![10.0, 15.5, 1000.0])
        );
        assert_eq!(parse_limits("10; viel", Lang::De), None);
    }
}
