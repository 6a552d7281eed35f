//! The rules editor, the comparison with the data's classification, and the list of overrides.

use eframe::egui::{self, ComboBox, Context, DragValue, RichText, ScrollArea, Ui};

use super::command::{Command, PathPurpose, Window};
use crate::analysis::classification::compare;
use crate::document::Document;
use crate::document::edit::Edit;
use crate::i18n::{Lang, T, format};
use crate::model::{ActionField, Combinator, Comparison, Condition, Reference, RuleSet, Score};
use crate::scene::field_name;
use crate::scene::text::{combinator_name, measure_name};
use crate::ui::{name, number_drag};

const MEASURES: [Score; 4] = [
    Score::ZScore(Reference::Region),
    Score::ZScore(Reference::Municipality),
    Score::Percentile,
    Score::Value,
];

/// The rules editor window: every change is a new rule set, applied at once.
/// `locked`: why the rules may only be read here (a shared register), if so.
pub fn rules_window_ui(
    ctx: &Context,
    map: &Document,
    locked: Option<&str>,
    lang: Lang,
) -> Vec<Command> {
    let mut commands = Vec::new();
    let mut open = true;
    let mut rules = map.rules.clone();
    // Over the inspector at the right, so the map and its legend stay in sight while editing.
    let right = ctx.content_rect().right();
    egui::Window::new(Window::Rules.title(lang))
        .open(&mut open)
        .default_pos([(right - 740.0).max(0.0), 40.0])
        .default_width(720.0)
        .default_height(520.0)
        .show(ctx, |ui| {
            super::locked_hint(ui, locked);
            ui.add_enabled_ui(locked.is_none(), |ui| {
                ui.label(RichText::new(lang.t(T::RulesHint)).weak());
                if rules.is_empty() {
                    ui.label(lang.t(T::NoRulesYet));
                }
                ScrollArea::vertical().max_height(480.0).show(ui, |ui| {
                    for field in ActionField::ALL {
                        field_rule_ui(ui, map, &mut rules, field, lang);
                    }
                });
            });
            ui.separator();
            ui.horizontal(|ui| {
                if ui
                    .button(lang.t(T::LoadRules))
                    .on_hover_text(lang.t(T::TipLoadRules))
                    .clicked()
                {
                    commands.push(Command::ShowWindow(
                        Window::Path(PathPurpose::LoadRules),
                        true,
                    ));
                }
                if ui
                    .button(lang.t(T::SaveRules))
                    .on_hover_text(lang.t(T::TipSaveRules))
                    .clicked()
                {
                    commands.push(Command::ShowWindow(
                        Window::Path(PathPurpose::SaveRules),
                        true,
                    ));
                }
                if ui
                    .button(lang.t(T::OpenCompare))
                    .on_hover_text(lang.t(T::TipOpenCompare))
                    .clicked()
                {
                    commands.push(Command::ShowWindow(Window::Compare, true));
                }
            });
        });
    if rules != map.rules {
        commands.push(Command::Edit(Edit::SetRules(rules)));
    }
    if !open {
        commands.push(Command::ShowWindow(Window::Rules, false));
    }
    commands
}

fn field_rule_ui(ui: &mut Ui, map: &Document, rules: &mut RuleSet, field: ActionField, lang: Lang) {
    let flagged = map
        .classification
        .by_rules
        .iter()
        .filter(|f| f.contains(field))
        .count();
    let title = format!(
        "{} {} – {}",
        field.number(),
        field_name(field, lang),
        lang.tf(T::RulesFlagged, &[("n", &format::count(flagged, lang))])
    );
    egui::CollapsingHeader::new(RichText::new(title).strong())
        .id_salt(("rule", field.number()))
        .default_open(true)
        .show(ui, |ui| {
            let rule = rules.rule_mut(field);
            ui.horizontal(|ui| {
                ui.label(lang.t(T::Combine));
                let mut kind = match rule.combinator {
                    Combinator::All => 0,
                    Combinator::Any => 1,
                    Combinator::AtLeast(_) => 2,
                };
                let mut k = match rule.combinator {
                    Combinator::AtLeast(k) => k,
                    _ => 2,
                };
                let combo = ComboBox::from_id_salt(("combinator", field.number()))
                    .selected_text(combinator_name(rule.combinator, lang))
                    .show_ui(ui, |ui| {
                        ui.selectable_value(&mut kind, 0, combinator_name(Combinator::All, lang));
                        ui.selectable_value(&mut kind, 1, combinator_name(Combinator::Any, lang));
                        ui.selectable_value(
                            &mut kind,
                            2,
                            combinator_name(Combinator::AtLeast(k), lang),
                        );
                    });
                let prefix = format!("{} {}", lang.t(T::Field), field.number());
                name(
                    &combo.response,
                    &format!("{prefix}: {}", lang.t(T::Combine)),
                );
                if kind == 2 {
                    let r = ui.add(DragValue::new(&mut k).range(1..=rule.conditions.len().max(1)));
                    name(&r, &format!("{prefix}: {}", lang.t(T::AtLeastCount)));
                }
                rule.combinator = match kind {
                    0 => Combinator::All,
                    1 => Combinator::Any,
                    _ => Combinator::AtLeast(k),
                };
            });
            let mut remove = None;
            egui::Grid::new(("conditions", field.number()))
                .num_columns(5)
                .show(ui, |ui| {
                    for (i, c) in rule.conditions.iter_mut().enumerate() {
                        let prefix = lang.tf(
                            T::ConditionName,
                            &[
                                ("field", &field.number().to_string()),
                                ("n", &(i + 1).to_string()),
                            ],
                        );
                        condition_ui(ui, map, c, (field.number(), i), &prefix, lang);
                        let remove_button =
                            ui.button("✕").on_hover_text(lang.t(T::RemoveCondition));
                        name(
                            &remove_button,
                            &format!("{prefix}: {}", lang.t(T::RemoveCondition)),
                        );
                        if remove_button.clicked() {
                            remove = Some(i);
                        }
                        ui.end_row();
                    }
                });
            if let Some(i) = remove {
                rule.conditions.remove(i);
            }
            if ui
                .button(lang.t(T::AddCondition))
                .on_hover_text(lang.t(T::TipAddCondition))
                .clicked()
            {
                let first = map
                    .indicators
                    .indicators()
                    .first()
                    .map(|i| i.key.clone())
                    .unwrap_or_default();
                rule.conditions.push(Condition {
                    indicator: first,
                    measure: Score::ZScore(Reference::Region),
                    comparison: Comparison::AtLeast,
                    threshold: 1.0,
                    year: None,
                    since: None,
                });
            }
        });
}

/// One condition's controls; `prefix` ("Feld 1, Bedingung 2") names them for screen readers.
fn condition_ui(
    ui: &mut Ui,
    map: &Document,
    c: &mut Condition,
    id: (u8, usize),
    prefix: &str,
    lang: Lang,
) {
    let table = &map.indicators;
    let label = table
        .position(&c.indicator)
        .map_or(c.indicator.clone(), |p| {
            table.indicators()[p].label(lang.is_english()).to_string()
        });
    let r = ComboBox::from_id_salt(("indicator", id))
        .selected_text(label)
        .width(230.0)
        .wrap_mode(egui::TextWrapMode::Truncate)
        .show_ui(ui, |ui| {
            for indicator in table.indicators() {
                ui.selectable_value(
                    &mut c.indicator,
                    indicator.key.clone(),
                    indicator.label(lang.is_english()),
                );
            }
        });
    name(&r.response, &format!("{prefix}: {}", lang.t(T::Indicator)));
    let r = ComboBox::from_id_salt(("measure", id))
        .selected_text(measure_name(c.measure, lang))
        .width(130.0)
        .show_ui(ui, |ui| {
            for m in MEASURES {
                ui.selectable_value(&mut c.measure, m, measure_name(m, lang));
            }
        });
    name(&r.response, &format!("{prefix}: {}", lang.t(T::Measure)));
    // The signs large and dark: small light-grey ≤/≥ were misread.
    let sign = |s: &str| RichText::new(s).size(18.0).strong();
    let r = ComboBox::from_id_salt(("comparison", id))
        .selected_text(sign(c.comparison.symbol()))
        .width(44.0)
        .show_ui(ui, |ui| {
            ui.selectable_value(&mut c.comparison, Comparison::AtLeast, sign("≥"))
                .on_hover_text(lang.t(T::ComparisonAtLeast));
            ui.selectable_value(&mut c.comparison, Comparison::AtMost, sign("≤"))
                .on_hover_text(lang.t(T::ComparisonAtMost));
        });
    name(
        &r.response,
        &format!("{prefix}: {}", lang.t(T::ComparisonName)),
    );
    let (speed, decimals) = match c.measure {
        Score::ZScore(_) => (0.01, 2),
        Score::Percentile => (1.0, 0),
        Score::Value => (0.1, 2),
    };
    let r = ui.add(number_drag(&mut c.threshold, decimals, lang).speed(speed));
    name(&r, &format!("{prefix}: {}", lang.t(T::Threshold)));
}

/// The comparison of the rules with the data's classification.
pub fn compare_window_ui(ctx: &Context, map: &Document, lang: Lang) -> Vec<Command> {
    let mut commands = Vec::new();
    let mut open = true;
    let c = &map.classification;
    egui::Window::new(Window::Compare.title(lang))
        .open(&mut open)
        .default_width(640.0)
        .show(ctx, |ui| {
            if map.region.mapping.action_fields.is_none() {
                ui.label(lang.t(T::CompareNoOfficial));
                return;
            }
            let rows = compare(&c.official, &c.by_rules);
            let codes = |list: &[usize]| {
                list.iter()
                    .filter_map(|&i| map.region.spaces.get(i).map(|s| s.code.clone()))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            egui::Grid::new("compare")
                .striped(true)
                .num_columns(6)
                .show(ui, |ui| {
                    for h in [
                        T::ViewFields,
                        T::CompareData,
                        T::CompareRules,
                        T::CompareBoth,
                        T::CompareAdded,
                        T::CompareDropped,
                    ] {
                        ui.label(RichText::new(lang.t(h)).strong());
                    }
                    ui.end_row();
                    for row in &rows {
                        let name = row.field.map_or_else(
                            || lang.t(T::CompareAny).to_string(),
                            |f| format!("{} {}", f.number(), field_name(f, lang)),
                        );
                        ui.label(name);
                        ui.label(format::count(row.official, lang));
                        ui.label(format::count(row.rules, lang));
                        ui.label(format::count(row.both, lang));
                        ui.add(
                            egui::Label::new(format!("{} {}", row.added.len(), codes(&row.added)))
                                .wrap(),
                        );
                        ui.add(
                            egui::Label::new(format!(
                                "{} {}",
                                row.dropped.len(),
                                codes(&row.dropped)
                            ))
                            .wrap(),
                        );
                        ui.end_row();
                    }
                });
        });
    if !open {
        commands.push(Command::ShowWindow(Window::Compare, false));
    }
    commands
}

/// The list of overrides.
/// `locked`: why overrides may only be read here (a shared register), if so.
pub fn overrides_window_ui(
    ctx: &Context,
    map: &Document,
    locked: Option<&str>,
    lang: Lang,
) -> Vec<Command> {
    let mut commands = Vec::new();
    let mut open = true;
    egui::Window::new(Window::Overrides.title(lang))
        .open(&mut open)
        .default_width(560.0)
        .show(ctx, |ui| {
            super::locked_hint(ui, locked);
            if map.overrides.is_empty() {
                ui.label(lang.t(T::OverridesEmpty));
                return;
            }
            egui::Grid::new("overrides")
                .striped(true)
                .num_columns(5)
                .show(ui, |ui| {
                    for o in &map.overrides {
                        ui.label(RichText::new(&o.code).strong());
                        ui.label(format!(
                            "{} {}",
                            o.field.number(),
                            field_name(o.field, lang)
                        ));
                        ui.label(lang.t(if o.member {
                            T::OverrideIn
                        } else {
                            T::OverrideOut
                        }));
                        ui.add(egui::Label::new(&o.reason).wrap());
                        if ui
                            .add_enabled(locked.is_none(), egui::Button::new(lang.t(T::Remove)))
                            .on_hover_text(lang.t(T::TipRemoveCondition))
                            .clicked()
                        {
                            commands.push(Command::Edit(Edit::RemoveOverride {
                                code: o.code.clone(),
                                field: o.field,
                            }));
                        }
                        ui.end_row();
                    }
                });
        });
    if !open {
        commands.push(Command::ShowWindow(Window::Overrides, false));
    }
    commands
}
