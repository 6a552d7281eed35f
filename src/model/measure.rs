//! Maßnahmen (measures) of the Handlungskonzept and the register that holds them.
//!
//! A measure refers to its Sozialräume by code, never by position, so it survives re-importing
//! the boundaries. Its id is assigned once by the register and never reused, which makes undo,
//! the project file and CSV round trips agree on which measure is which.

use super::{ActionFieldSet, Date, Timestamp};

/// Stable identity of a measure (1, 2, 3, … in order of creation).
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

/// A planned measure (Maßnahme).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Measure {
    /// Stable id; 0 until the register assigns one.
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
        None
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
}

/// All measures of a project, in id order.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct MeasureRegister {
    measures: Vec<Measure>,
    next_id: MeasureId,
}

impl MeasureRegister {
    /// A register holding `measures`; ids already used are never handed out again.
    pub fn from_measures(mut measures: Vec<Measure>, next_id: MeasureId) -> MeasureRegister {
        measures.sort_by_key(|m| m.id);
        measures.dedup_by_key(|m| m.id);
        let max = measures.last().map_or(0, |m| m.id);
        MeasureRegister {
            measures,
            next_id: next_id.max(max + 1).max(1),
        }
    }

    /// Every measure, in id order.
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

    /// The id the next new measure gets.
    pub fn next_id(&self) -> MeasureId {
        self.next_id.max(1)
    }

    /// The measure with this id.
    pub fn get(&self, id: MeasureId) -> Option<&Measure> {
        self.position(id).map(|i| &self.measures[i])
    }

    fn position(&self, id: MeasureId) -> Option<usize> {
        self.measures.binary_search_by_key(&id, |m| m.id).ok()
    }

    /// Adds a new measure, giving it the next id (its own id is ignored). Returns the id.
    pub fn add(&mut self, mut measure: Measure) -> MeasureId {
        let id = self.next_id();
        self.next_id = id + 1;
        measure.id = id;
        self.measures.push(measure);
        id
    }

    /// Puts a measure in with the id it has (undo of a delete, redo of an add): replaces one
    /// with the same id. Returns the measure it replaced.
    pub fn put(&mut self, measure: Measure) -> Option<Measure> {
        self.next_id = self.next_id().max(measure.id + 1);
        match self.measures.binary_search_by_key(&measure.id, |m| m.id) {
            Ok(i) => Some(std::mem::replace(&mut self.measures[i], measure)),
            Err(i) => {
                self.measures.insert(i, measure);
                None
            }
        }
    }

    /// Removes and returns the measure with this id.
    pub fn remove(&mut self, id: MeasureId) -> Option<Measure> {
        self.position(id).map(|i| self.measures.remove(i))
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
        register.remove(b);
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
        let b = register.remove(2).expect("b");
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
