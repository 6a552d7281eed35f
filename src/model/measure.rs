//! Maßnahmen (measures) of the Handlungskonzept and the register that holds them.
//!
//! A measure refers to its Sozialräume by code, never by position, so it survives re-importing
//! the boundaries. It has two ids: its [`Uid`], drawn by the writer that creates it, is its
//! identity (no two writers can take the same one, so undo, the project file, other windows
//! and CSV round trips agree on which measure is which); its number ("Nr.", 1, 2, 3, …) is
//! for people, given by the project file inside the writing transaction (or by the register
//! when the map is not a project) and never reused.

use std::collections::HashMap;

use super::{ActionFieldSet, Date, Timestamp, Uid};

/// The number of a measure as people see it ("Nr. 12"); 0 until it is given.
pub type MeasureId = i64;

/// Who acts: the responsibility levels of the Handlungskonzept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub enum Responsibility {
    /// Entscheidungsbereich: the StädteRegion decides.
    #[default]
    Decide,
    /// Einflussbereich: it influences (funding, own services).
    Influence,
    /// Einwirkungsbereich: it can only advocate and coordinate.
    Advocate,
    /// Gemeinsam mit der Kommune: worked out jointly with the municipality.
    Joint,
}

impl Responsibility {
    /// Every level in the Handlungskonzept's order.
    pub const ALL: [Responsibility; 4] = [
        Responsibility::Decide,
        Responsibility::Influence,
        Responsibility::Advocate,
        Responsibility::Joint,
    ];

    /// The key stored in files.
    pub fn key(self) -> &'static str {
        match self {
            Responsibility::Decide => "entscheidungsbereich",
            Responsibility::Influence => "einflussbereich",
            Responsibility::Advocate => "einwirkungsbereich",
            Responsibility::Joint => "gemeinsam_mit_kommune",
        }
    }

    /// Parses a key, the German or English label, ignoring case.
    pub fn parse(text: &str) -> Option<Responsibility> {
        let t = text.trim().to_lowercase();
        let t = t.replace(['-', '_'], " ");
        Responsibility::ALL.into_iter().find(|r| {
            let key = r.key().replace('_', " ");
            t == key
                || match r {
                    Responsibility::Decide => t.contains("entscheid") || t.starts_with("decide"),
                    Responsibility::Influence => {
                        t.contains("einfluss") || t.starts_with("influence")
                    }
                    Responsibility::Advocate => t.contains("einwirk") || t.starts_with("advocate"),
                    Responsibility::Joint => t.starts_with("gemeinsam") || t.starts_with("joint"),
                }
        })
    }
}

/// Where a measure stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub enum Status {
    /// Idee.
    #[default]
    Idea,
    /// Geplant.
    Planned,
    /// In Umsetzung.
    InProgress,
    /// Abgeschlossen.
    Done,
    /// Verworfen.
    Dropped,
}

impl Status {
    /// Every status in the order a measure passes through them.
    pub const ALL: [Status; 5] = [
        Status::Idea,
        Status::Planned,
        Status::InProgress,
        Status::Done,
        Status::Dropped,
    ];

    /// The key stored in files.
    pub fn key(self) -> &'static str {
        match self {
            Status::Idea => "idee",
            Status::Planned => "geplant",
            Status::InProgress => "in_umsetzung",
            Status::Done => "abgeschlossen",
            Status::Dropped => "verworfen",
        }
    }

    /// Parses a key or the German or English label, ignoring case.
    pub fn parse(text: &str) -> Option<Status> {
        let t = text.trim().to_lowercase().replace(['-', '_'], " ");
        let status = match t.as_str() {
            "idee" | "idea" => Status::Idea,
            "geplant" | "planned" | "planung" => Status::Planned,
            "in umsetzung" | "umsetzung" | "in progress" | "laufend" => Status::InProgress,
            "abgeschlossen" | "done" | "erledigt" | "completed" => Status::Done,
            "verworfen" | "dropped" | "abgelehnt" => Status::Dropped,
            _ => return None,
        };
        Some(status)
    }
}

/// How urgent a measure is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Priority {
    /// Hoch.
    High,
    /// Mittel.
    Medium,
    /// Niedrig.
    Low,
}

impl Priority {
    /// Every priority, most urgent first.
    pub const ALL: [Priority; 3] = [Priority::High, Priority::Medium, Priority::Low];

    /// The key stored in files.
    pub fn key(self) -> &'static str {
        match self {
            Priority::High => "hoch",
            Priority::Medium => "mittel",
            Priority::Low => "niedrig",
        }
    }

    /// Parses a key, the English label or 1–3, ignoring case.
    pub fn parse(text: &str) -> Option<Priority> {
        let priority = match text.trim().to_lowercase().as_str() {
            "hoch" | "high" | "1" => Priority::High,
            "mittel" | "medium" | "2" => Priority::Medium,
            "niedrig" | "low" | "3" => Priority::Low,
            _ => return None,
        };
        Some(priority)
    }
}

/// A text field of a measure, with the longest text it takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TextField {
    /// Titel.
    Title,
    /// Beschreibung.
    Description,
    /// Federführung.
    Lead,
    /// Partner.
    Partners,
    /// Notizen.
    Notes,
}

impl TextField {
    /// Every text field, in the form's order.
    pub const ALL: [TextField; 5] = [
        TextField::Title,
        TextField::Description,
        TextField::Lead,
        TextField::Partners,
        TextField::Notes,
    ];

    /// The longest text the field takes, in characters: room for any real measure, and
    /// every cell fits a spreadsheet (Excel takes 32,767 characters per cell) and stays
    /// quick to show in lists and forms.
    pub fn limit(self) -> usize {
        match self {
            TextField::Title | TextField::Lead => 300,
            TextField::Partners => 2_000,
            TextField::Description | TextField::Notes => 20_000,
        }
    }
}

/// Whether `text` has more than `limit` characters (cheap for any length: at most 4 bytes
/// per character, so only texts near the limit are counted).
pub fn longer_than(text: &str, limit: usize) -> bool {
    text.len() > limit && (text.len() > 4 * limit || text.chars().count() > limit)
}

/// A planned measure (Maßnahme).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Measure {
    /// Stable identity, given once by the writer that creates the measure.
    pub uid: Uid,
    /// Its number for people; 0 until the project file (or the register) gives one.
    pub id: MeasureId,
    /// Short title.
    pub title: String,
    /// What is planned.
    pub description: String,
    /// The Handlungsfelder it serves.
    pub fields: ActionFieldSet,
    /// Codes of the Sozialräume it concerns, in code order.
    pub areas: Vec<String>,
    /// The municipalities involved (derived from the areas, editable).
    pub municipalities: Vec<String>,
    /// Who acts.
    pub responsibility: Responsibility,
    /// Who leads (Federführung).
    pub lead: String,
    /// Partners, free text.
    pub partners: String,
    /// Where it stands.
    pub status: Status,
    /// First day.
    pub start: Option<Date>,
    /// Last day.
    pub end: Option<Date>,
    /// Budget in euros.
    pub budget_eur: Option<f64>,
    /// Urgency.
    pub priority: Option<Priority>,
    /// Remarks.
    pub notes: String,
    /// When it was created.
    pub created: Timestamp,
    /// When it was last changed.
    pub changed: Timestamp,
}

impl Measure {
    /// The text of a text field.
    pub fn text(&self, field: TextField) -> &str {
        match field {
            TextField::Title => &self.title,
            TextField::Description => &self.description,
            TextField::Lead => &self.lead,
            TextField::Partners => &self.partners,
            TextField::Notes => &self.notes,
        }
    }

    /// Whether the measure concerns the area with this code.
    pub fn concerns(&self, code: &str) -> bool {
        self.areas.iter().any(|a| a == code)
    }

    /// What makes a measure unusable, if anything: a title is required, and the end may not
    /// come before the start. A negative budget is a typing error.
    pub fn problem(&self) -> Option<MeasureProblem> {
        if self.title.trim().is_empty() {
            return Some(MeasureProblem::NoTitle);
        }
        if let (Some(start), Some(end)) = (self.start, self.end)
            && end < start
        {
            return Some(MeasureProblem::EndBeforeStart);
        }
        if self.budget_eur.is_some_and(|b| !b.is_finite() || b < 0.0) {
            return Some(MeasureProblem::NegativeBudget);
        }
        TextField::ALL
            .into_iter()
            .find(|f| longer_than(self.text(*f), f.limit()))
            .map(MeasureProblem::TooLong)
    }
}

/// Why a measure cannot be saved as it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MeasureProblem {
    /// The title is empty.
    NoTitle,
    /// The end date lies before the start date.
    EndBeforeStart,
    /// The budget is negative or not a number.
    NegativeBudget,
    /// A text is longer than its field takes.
    TooLong(TextField),
}

/// All measures of a project, in number order (measures still without a number last).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct MeasureRegister {
    measures: Vec<Measure>,
    /// Position of each measure in `measures`, by uid.
    index: HashMap<Uid, usize>,
    next_id: MeasureId,
}

/// Where a measure sorts: by number, those without one last, then by uid.
fn order_key(m: &Measure) -> (MeasureId, Uid) {
    (if m.id > 0 { m.id } else { MeasureId::MAX }, m.uid)
}

impl MeasureRegister {
    /// A register holding `measures` (the last of several with one uid wins); numbers already
    /// used are never handed out again.
    pub fn from_measures(measures: Vec<Measure>, next_id: MeasureId) -> MeasureRegister {
        let mut register = MeasureRegister {
            next_id,
            ..MeasureRegister::default()
        };
        register.put_many(measures);
        register
    }

    /// Every measure, in number order.
    pub fn all(&self) -> &[Measure] {
        &self.measures
    }

    /// How many there are.
    pub fn len(&self) -> usize {
        self.measures.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.measures.is_empty()
    }

    /// The number the next new measure gets when the register numbers it (no project).
    pub fn next_id(&self) -> MeasureId {
        self.next_id.max(1)
    }

    /// The measure with this uid.
    pub fn get(&self, uid: Uid) -> Option<&Measure> {
        self.index.get(&uid).map(|i| &self.measures[*i])
    }

    /// The measure with this number.
    pub fn by_number(&self, id: MeasureId) -> Option<&Measure> {
        if id <= 0 {
            return None;
        }
        self.measures
            .binary_search_by_key(&(id, Uid(0)), |m| (order_key(m).0, Uid(0)))
            .ok()
            .map(|i| &self.measures[i])
    }

    /// Adds a new measure with the next number (its own number is ignored; a nil uid gets a
    /// local one). Returns the number.
    pub fn add(&mut self, mut measure: Measure) -> MeasureId {
        let id = self.next_id();
        measure.id = id;
        if measure.uid.is_nil() {
            measure.uid = Uid::local(id as u64);
        }
        self.put(measure);
        id
    }

    /// Puts a measure in under its uid (new, changed, or back after an undo): replaces the
    /// one with the same uid. Returns the measure it replaced.
    pub fn put(&mut self, measure: Measure) -> Option<Measure> {
        self.next_id = self.next_id().max(measure.id + 1);
        if let Some(&i) = self.index.get(&measure.uid) {
            if order_key(&self.measures[i]) == order_key(&measure) {
                return Some(std::mem::replace(&mut self.measures[i], measure));
            }
            let old = self.measures.remove(i);
            self.insert_sorted(measure);
            return Some(old);
        }
        self.insert_sorted(measure);
        None
    }

    fn insert_sorted(&mut self, measure: Measure) {
        let key = order_key(&measure);
        let at = self.measures.partition_point(|m| order_key(m) < key);
        self.measures.insert(at, measure);
        self.reindex();
    }

    /// Puts many measures in at once (an import, a file read): one sort instead of one per
    /// measure.
    pub fn put_many(&mut self, measures: Vec<Measure>) {
        let mut by_uid: HashMap<Uid, Measure> = std::mem::take(&mut self.measures)
            .into_iter()
            .map(|m| (m.uid, m))
            .collect();
        for mut m in measures {
            if m.uid.is_nil() {
                m.uid = Uid::local(m.id.max(0) as u64);
            }
            self.next_id = self.next_id().max(m.id + 1);
            by_uid.insert(m.uid, m);
        }
        self.measures = by_uid.into_values().collect();
        self.measures.sort_by_key(order_key);
        self.reindex();
    }

    fn reindex(&mut self) {
        self.index = self
            .measures
            .iter()
            .enumerate()
            .map(|(i, m)| (m.uid, i))
            .collect();
    }

    /// Removes and returns the measure with this uid.
    pub fn remove(&mut self, uid: Uid) -> Option<Measure> {
        let i = self.index.get(&uid).copied()?;
        let m = self.measures.remove(i);
        self.reindex();
        Some(m)
    }

    /// Removes the measures with these uids (one pass, however many).
    pub fn remove_many(&mut self, uids: &std::collections::HashSet<Uid>) {
        if uids.is_empty() {
            return;
        }
        self.measures.retain(|m| !uids.contains(&m.uid));
        self.reindex();
    }

    /// The number of measures per area code.
    pub fn count_for(&self, code: &str) -> usize {
        self.measures.iter().filter(|m| m.concerns(code)).count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn measure(title: &str, areas: &[&str]) -> Measure {
        Measure {
            title: title.to_string(),
            areas: areas.iter().map(|a| a.to_string()).collect(),
            ..Measure::default()
        }
    }

    #[test]
    fn ids_are_never_reused_after_a_delete() {
        let mut register = MeasureRegister::default();
        let a = register.add(measure("Quartiersbüro", &["AC 1"]));
        let b = register.add(measure("Familienzentrum", &["AC 1", "AC 2"]));
        assert_eq!((a, b), (1, 2));
        let uid = register.by_number(b).expect("b").uid;
        register.remove(uid);
        let c = register.add(measure("Seniorentreff", &["M 2"]));
        assert_eq!(c, 3);
        assert_eq!(register.count_for("AC 1"), 1);
        assert_eq!(register.count_for("M 2"), 1);
    }

    #[test]
    fn putting_a_removed_measure_back_restores_it_in_order() {
        let mut register = MeasureRegister::default();
        for t in ["a", "b", "c"] {
            register.add(measure(t, &[]));
        }
        let uid = register.by_number(2).expect("b").uid;
        let b = register.remove(uid).expect("b");
        register.put(b.clone());
        let titles: Vec<&str> = register.all().iter().map(|m| m.title.as_str()).collect();
        assert_eq!(titles, ["a", "b", "c"]);
        assert_eq!(register.next_id(), 4);
    }

    #[test]
    fn a_measure_needs_a_title_and_an_end_after_its_start() {
        let mut m = measure(" ", &[]);
        assert_eq!(m.problem(), Some(MeasureProblem::NoTitle));
        m.title = "Stadtteilmütter".into();
        assert_eq!(m.problem(), None);
        m.start = Date::new(2027, 3, 1);
        m.end = Date::new(2027, 1, 1);
        assert_eq!(m.problem(), Some(MeasureProblem::EndBeforeStart));
        m.end = None;
        m.budget_eur = Some(-5.0);
        assert_eq!(m.problem(), Some(MeasureProblem::NegativeBudget));
    }

    #[test]
    fn levels_and_statuses_parse_from_keys_and_labels() {
        for r in Responsibility::ALL {
            assert_eq!(Responsibility::parse(r.key()), Some(r));
        }
        assert_eq!(
            Responsibility::parse("Gemeinsam mit der Kommune"),
            Some(Responsibility::Joint)
        );
        assert_eq!(
            Responsibility::parse("Einflussbereich"),
            Some(Responsibility::Influence)
        );
        for s in Status::ALL {
            assert_eq!(Status::parse(s.key()), Some(s));
        }
        assert_eq!(Status::parse("In Umsetzung"), Some(Status::InProgress));
        assert_eq!(Priority::parse("Hoch"), Some(Priority::High));
        assert_eq!(Status::parse("vielleicht"), None);
    }
}
