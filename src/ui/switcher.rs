//! The quick switcher (Ctrl+F): type a few letters of a municipality or of a Sozialraum's
//! code or name, press Enter (or click) to focus the municipality or zoom to the area.
//!
//! Matching ignores case, spaces and umlauts ("wurselen" finds Würselen, "ac3" finds AC 3);
//! names that start with what was typed come before names that only contain it. A municipality
//! found lists all its areas under it ("Stolberg" → the municipality, then S 1 … S 17).

use eframe::egui::{self, Context, Key, RichText, TextEdit};

use super::command::{Command, Window};
use crate::document::Document;
use crate::i18n::{Lang, T};
use crate::ui::name;

/// At most this many results are listed.
const MAX_HITS: usize = 12;

/// What was typed and which result is highlighted.
#[derive(Debug, Default)]
pub struct SwitcherState {
    /// The search text.
    pub query: String,
    /// The highlighted result.
    pub highlighted: usize,
    /// The results of `query` in one map (by its region's address), kept until either
    /// changes: searching 11,000 names every frame would be wasted work.
    hits: Option<(String, usize, Vec<Hit>)>,
}

/// A search result.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hit {
    /// A municipality, by index.
    Municipality(usize),
    /// A Sozialraum, by index.
    Area(usize),
    /// A Sozialraum listed under its municipality, which was found.
    Member(usize),
}

/// A municipality's areas are listed under it when it is the only municipality found.
const MAX_MUNICIPALITIES_EXPANDED: usize = 1;

/// Lower case without spaces, dots, hyphens and umlauts, for matching.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars().flat_map(char::to_lowercase) {
        match c {
            'ä' => out.push('a'),
            'ö' => out.push('o'),
            'ü' => out.push('u'),
            'ß' => out.push_str("ss"),
            ' ' | '.' | '-' | '_' | '(' | ')' | '/' => {}
            c => out.push(c),
        }
    }
    out
}

/// The municipalities and areas matching `query`, best first.
pub fn search(map: &Document, query: &str) -> Vec<Hit> {
    let q = fold(query);
    if q.is_empty() {
        return Vec::new();
    }
    // Rank 0: starts with the query; rank 1: contains it.
    let rank = |text: &str| {
        let t = fold(text);
        if t.starts_with(&q) {
            Some(0)
        } else if t.contains(&q) {
            Some(1)
        } else {
            None
        }
    };
    let mut hits: Vec<(u8, u8, usize, Hit)> = Vec::new();
    for (i, m) in map.region.municipalities.iter().enumerate() {
        if let Some(r) = rank(&m.name) {
            hits.push((r, 0, i, Hit::Municipality(i)));
        }
    }
    for (i, s) in map.region.spaces.iter().enumerate() {
        let by_code = rank(&s.code);
        let by_name = s.name.as_deref().and_then(rank);
        if let Some(r) = by_code.into_iter().chain(by_name).min() {
            hits.push((r, 1, i, Hit::Area(i)));
        }
    }
    hits.sort_by(|a, b| {
        (a.0, a.1).cmp(&(b.0, b.1)).then_with(|| match (a.3, b.3) {
            (Hit::Area(x), Hit::Area(y)) => {
                crate::model::natural_cmp(&map.region.spaces[x].code, &map.region.spaces[y].code)
            }
            _ => a.2.cmp(&b.2),
        })
    });
    let direct: Vec<Hit> = hits.into_iter().take(MAX_HITS).map(|h| h.3).collect();
    with_members(map, direct)
}

/// Lists every area of each municipality found right under it (in code order), unless the
/// query matched more municipalities than that helps with; areas listed so are not repeated.
fn with_members(map: &Document, direct: Vec<Hit>) -> Vec<Hit> {
    let municipalities: Vec<usize> = direct
        .iter()
        .filter_map(|h| match h {
            Hit::Municipality(m) => Some(*m),
            _ => None,
        })
        .collect();
    if municipalities.is_empty() || municipalities.len() > MAX_MUNICIPALITIES_EXPANDED {
        return direct;
    }
    let expanded = |i: usize| {
        map.region.spaces[i]
            .municipality
            .is_some_and(|m| municipalities.contains(&m))
    };
    let mut out = Vec::new();
    for hit in direct {
        match hit {
            Hit::Municipality(m) => {
                out.push(hit);
                let mut members: Vec<usize> = map.region.municipalities[m].spaces.clone();
                members.sort_by(|&a, &b| {
                    crate::model::natural_cmp(
                        &map.region.spaces[a].code,
                        &map.region.spaces[b].code,
                    )
                });
                out.extend(members.into_iter().map(Hit::Member));
            }
            Hit::Area(i) if expanded(i) => {}
            other => out.push(other),
        }
    }
    out
}

fn hit_text(map: &Document, hit: Hit, lang: Lang) -> String {
    match hit {
        Hit::Municipality(i) => {
            let m = &map.region.municipalities[i];
            lang.tf(
                T::SwitcherMunicipalityAll,
                &[
                    ("name", &m.name),
                    ("n", &crate::i18n::format::count(m.spaces.len(), lang)),
                ],
            )
        }
        Hit::Member(i) => format!("    {}", map.region.spaces[i].display_name()),
        Hit::Area(i) => {
            let space = &map.region.spaces[i];
            match map.region.municipality_of(i) {
                Some(m) => format!("{} – {}", space.display_name(), m.name),
                None => space.display_name(),
            }
        }
    }
}

fn command_for(map: &Document, hit: Hit) -> Command {
    match hit {
        Hit::Municipality(i) => Command::Focus(Some(map.region.municipalities[i].name.clone())),
        Hit::Area(i) | Hit::Member(i) => Command::ZoomToArea(i),
    }
}

/// The switcher window.
pub fn switcher_ui(
    ctx: &Context,
    map: &Document,
    state: &mut SwitcherState,
    lang: Lang,
) -> Vec<Command> {
    let mut commands = Vec::new();
    let region = std::sync::Arc::as_ptr(&map.region) as usize;
    if state
        .hits
        .as_ref()
        .is_none_or(|(q, r, _)| *q != state.query || *r != region)
    {
        state.hits = Some((state.query.clone(), region, search(map, &state.query)));
    }
    let hits = state
        .hits
        .as_ref()
        .map(|(_, _, h)| h.clone())
        .unwrap_or_default();
    state.highlighted = state.highlighted.min(hits.len().saturating_sub(1));
    let (down, up, enter, escape) = ctx.input_mut(|i| {
        (
            i.consume_key(egui::Modifiers::NONE, Key::ArrowDown),
            i.consume_key(egui::Modifiers::NONE, Key::ArrowUp),
            i.key_pressed(Key::Enter),
            i.consume_key(egui::Modifiers::NONE, Key::Escape),
        )
    });
    if down && state.highlighted + 1 < hits.len() {
        state.highlighted += 1;
    }
    if up {
        state.highlighted = state.highlighted.saturating_sub(1);
    }
    let mut chosen: Option<Hit> = None;
    let mut open = true;
    egui::Window::new(Window::Switcher.title(lang))
        .open(&mut open)
        .collapsible(false)
        .resizable(false)
        .anchor(egui::Align2::CENTER_TOP, [0.0, 60.0])
        .default_width(420.0)
        .show(ctx, |ui| {
            let edit = ui.add(
                TextEdit::singleline(&mut state.query)
                    .hint_text(lang.t(T::SwitcherHint))
                    .desired_width(400.0),
            );
            name(&edit, lang.t(T::SwitcherTitle));
            if !edit.has_focus() && !enter {
                edit.request_focus();
            }
            if edit.changed() {
                state.highlighted = 0;
            }
            if enter {
                chosen = hits.get(state.highlighted).copied();
            }
            if !state.query.trim().is_empty() && hits.is_empty() {
                ui.weak(lang.t(T::SwitcherNothing));
            }
            egui::ScrollArea::vertical()
                .max_height(420.0)
                .show(ui, |ui| {
                    for (k, hit) in hits.iter().enumerate() {
                        let text = hit_text(map, *hit, lang);
                        let label = if k == state.highlighted {
                            RichText::new(text).strong()
                        } else {
                            RichText::new(text)
                        };
                        let row = ui.selectable_label(k == state.highlighted, label);
                        if k == state.highlighted && (down || up) {
                            row.scroll_to_me(None);
                        }
                        if row.clicked() {
                            chosen = Some(*hit);
                        }
                    }
                });
        });
    if let Some(hit) = chosen {
        commands.push(command_for(map, hit));
        open = false;
    }
    if !open || escape {
        state.query.clear();
        state.highlighted = 0;
        state.hits = None;
        commands.push(Command::ShowWindow(Window::Switcher, false));
    }
    commands
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::Progress;
    use crate::io::demo::load_demo;
    use crate::spatial::prepared::Detail;

    #[test]
    fn names_and_codes_are_found_without_case_spaces_or_umlauts() {
        let map = Document::from_import(
            load_demo(&Progress::default()).expect("demo"),
            None,
            Detail::Full,
        );
        let first = |q: &str| search(&map, q).first().copied();
        let area = |code: &str| Hit::Area(map.region.space_by_code(code).expect(code));
        assert_eq!(first("Setterich"), Some(area("B 5")));
        assert_eq!(first("ac3"), Some(area("AC 3")));
        let wuerselen = map
            .region
            .municipalities
            .iter()
            .position(|m| m.name == "Würselen")
            .expect("Würselen");
        assert_eq!(first("wurselen"), Some(Hit::Municipality(wuerselen)));
        // "Stolberg" names the municipality first, then its areas with "Stolberg" in the name.
        // … and then every one of its 17 areas, in code order, each once.
        let stolberg = search(&map, "stolb");
        let Some(Hit::Municipality(m)) = stolberg.first().copied() else {
            panic!("municipality first: {stolberg:?}");
        };
        let members: Vec<&str> = stolberg[1..]
            .iter()
            .map(|h| match h {
                Hit::Member(i) => map.region.spaces[*i].code.as_str(),
                other => panic!("only its areas follow: {other:?}"),
            })
            .collect();
        assert_eq!(members.len(), map.region.municipalities[m].spaces.len());
        assert_eq!(members.len(), 17);
        assert_eq!(members.first(), Some(&"S 1"));
        assert_eq!(
            members.get(1),
            Some(&"S 2"),
            "natural order: S 2 before S 10"
        );
        assert_eq!(members.last(), Some(&"S 16"), "S 3a and S 3b make 17");
        assert!(search(&map, "").is_empty());
        assert!(search(&map, "xyzzy").is_empty());
        assert!(search(&map, "a").len() <= MAX_HITS);
    }
}
