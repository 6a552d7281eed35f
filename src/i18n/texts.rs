//! Every UI text in German and English, side by side.
//!
//! One macro line per text: the German and the English version. A line without both does not
//! compile, and the generated list of all texts lets a test check them (non-empty, same
//! placeholders). Placeholders in braces (`{n}`) are filled by [`super::Lang::tf`].

use super::Lang;

macro_rules! texts {
    ($($key:ident => $de:expr, $en:expr;)*) => {
        /// A UI text.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[allow(missing_docs)] // The variant names say what they are; the texts are below.
        pub enum T {
            $($key,)*
        }

        impl T {
            /// Every text.
            pub const ALL: &'static [T] = &[$(T::$key,)*];

            /// The text in `lang`.
            pub fn text(self, lang: Lang) -> &'static str {
                match (self, lang) {
                    $((T::$key, Lang::De) => $de, (T::$key, Lang::En) => $en,)*
                }
            }
        }
    };
}

texts! {
    AppName => "Sozialraum-Atlas", "Sozialraum-Atlas";
    MenuFile => "Datei", "File";
    MenuOpen => "Öffnen …", "Open …";
    MenuOpenDemo => "Beispielkarte öffnen", "Open example map";
    MenuRecent => "Zuletzt geöffnet", "Recent files";
    MenuRecentEmpty => "(noch keine)", "(none yet)";
    MenuReport => "Importbericht …", "Import report …";
    MenuQuit => "Beenden", "Quit";
    MenuView => "Ansicht", "View";
    MenuFitAll => "Alles zeigen", "Show all";
    MenuZoomIn => "Vergrößern", "Zoom in";
    MenuZoomOut => "Verkleinern", "Zoom out";
    MenuLabels => "Codes beschriften", "Label codes";
    MenuBorders => "Kommunengrenzen hervorheben", "Emphasise municipality borders";
    MenuLanguage => "Sprache", "Language";
    MenuHelp => "Hilfe", "Help";
    MenuShortcuts => "Tastenkürzel", "Keyboard shortcuts";
    MenuAbout => "Über Sozialraum-Atlas", "About Sozialraum-Atlas";
    LegendTitle => "Handlungsfelder", "Fields of action";
    CliLongNeedsValue => "Eine lange Tabelle braucht --value-column (die Spalte mit dem Wert).", "A long table needs --value-column (the column with the value).";
    TableJoinedSummary => "{file}: {n} Indikatoren für {areas} von {total} Sozialräumen", "{file}: {n} indicators for {areas} of {total} areas";
    LegendSummary => "{n} von {total} Sozialräumen mit Gestaltungsbedarf", "{n} of {total} areas with a need for action";
    LegendNoClassification => "Die Datei enthält keine Einstufung nach Handlungsfeldern (Eigenschaft „handlungsfelder“, siehe README).", "The file holds no classification by field of action (property \"handlungsfelder\", see the README).";
    LegendOverridden => "von Hand übersteuert", "overridden by hand";
    LegendNoData => "keine Daten", "no data";
    LegendProtected => "Datenschutz: kleine Zahl", "data protection: small number";
    LegendIndicatorSummary => "{method}, {classes} Klassen · {n} Sozialräume mit Wert", "{method}, {classes} classes · {n} areas with a value";
    MethodQuantile => "Quantile", "Quantiles";
    MethodEqual => "Gleiche Intervalle", "Equal intervals";
    MethodJenks => "Natürliche Unterbrechungen (Jenks)", "Natural breaks (Jenks)";
    MethodStdDev => "Standardabweichung", "Standard deviation";
    MethodManual => "Manuell", "Manual";
    TableImported => "{n} Indikatoren für {areas} Sozialräume übernommen", "{n} indicators imported for {areas} areas";
    RulesLoaded => "Regeln aus {file} geladen", "Rules loaded from {file}";
    Saved => "Gespeichert: {file}", "Saved: {file}";
    SmallNumber => "kleine Zahl", "small number";
    MeasureZRegion => "z-Wert (Region)", "z-score (region)";
    MeasureZMunicipality => "z-Wert (Kommune)", "z-score (municipality)";
    MeasurePercentile => "Perzentil", "Percentile";
    MeasureValue => "Wert", "Value";
    CombinatorAll => "alle", "all";
    CombinatorAny => "eine", "any";
    CombinatorAtLeast => "mindestens {k}", "at least {k}";
    ProblemUnknownIndicator => "Indikator unbekannt", "unknown indicator";
    ProblemNoValue => "kein Wert", "no value";
    ProblemNoMunicipality => "keine Kommune", "no municipality";
    AgainstMunicipality => " (Kommune)", " (municipality)";
    NoRule => "keine Regel", "no rule";
    Overridden => "übersteuert", "overridden";
    OverrideIn => "drin", "in";
    OverrideOut => "nicht drin", "not in";
    ViewFields => "Handlungsfelder", "Fields of action";
    ViewIndicator => "Indikator", "Indicator";
    ChooseIndicator => "Indikator", "Indicator";
    ClassMethod => "Klassen", "Classes";
    ClassCount => "Anzahl", "Number";
    Palette => "Farben", "Colours";
    Reverse => "umkehren", "reverse";
    ManualBreaks => "Grenzen (mit ; getrennt)", "Limits (separated by ;)";
    ManualBreaksBad => "Grenzen müssen steigen und zwischen kleinstem und größtem Wert liegen.", "Limits must increase and lie between the smallest and the largest value.";
    Apply => "Übernehmen", "Apply";
    HistogramTitle => "Verteilung", "Distribution";
    NoIndicatorsToMap => "Keine Indikatoren vorhanden – Tabelle importieren (Datei-Menü).", "No indicators – import a table (File menu).";
    OpenRules => "Regeln …", "Rules …";
    OpenCompare => "Vergleich mit den Daten …", "Compare with the data …";
    OpenOverrides => "Übersteuerungen ({n}) …", "Overrides ({n}) …";
    ClassificationFromRules => "Einstufung nach Regeln", "Classified by rules";
    ClassificationFromData => "Einstufung laut Daten", "Classification from the data";
    RulesTitle => "Regeln für die Handlungsfelder", "Rules for the fields of action";
    RulesHint => "Änderungen färben die Karte sofort neu.", "Changes recolour the map at once.";
    RulesFlagged => "{n} Sozialräume", "{n} areas";
    Combine => "Verknüpfung", "Combine";
    Field => "Feld", "Field";
    AtLeastCount => "mindestens wie viele", "at least how many";
    ConditionName => "Feld {field}, Bedingung {n}", "Field {field}, condition {n}";
    Indicator => "Indikator", "Indicator";
    Measure => "Maß", "Measure";
    ComparisonName => "Vergleich", "Comparison";
    Threshold => "Schwelle", "Threshold";
    AddCondition => "+ Bedingung", "+ Condition";
    RemoveCondition => "Bedingung entfernen", "Remove condition";
    LoadRules => "Regeln laden …", "Load rules …";
    SaveRules => "Regeln speichern …", "Save rules …";
    NoRulesYet => "Noch keine Regeln: die Karte zeigt die Einstufung aus den Daten.", "No rules yet: the map shows the classification from the data.";
    CompareTitle => "Regeln und Einstufung der Daten", "Rules and the data's classification";
    CompareData => "Daten", "Data";
    CompareRules => "Regeln", "Rules";
    CompareBoth => "beide", "both";
    CompareAdded => "neu durch Regeln", "added by rules";
    CompareDropped => "fehlen in Regeln", "dropped by rules";
    CompareAny => "irgendein Feld", "any field";
    CompareNoOfficial => "Die Daten enthalten keine Einstufung zum Vergleich.", "The data holds no classification to compare with.";
    OverridesTitle => "Übersteuerungen", "Overrides";
    OverridesEmpty => "Keine Übersteuerungen.", "No overrides.";
    Remove => "Entfernen", "Remove";
    OverrideButton => "Übersteuern …", "Override …";
    OverrideLift => "Übersteuerung aufheben", "Lift override";
    OverrideMember => "im Handlungsfeld", "in the field";
    OverrideNotMember => "nicht im Handlungsfeld", "not in the field";
    OverrideReason => "Begründung (Pflicht)", "Reason (required)";
    OverrideReasonMissing => "Bitte eine Begründung angeben.", "Please give a reason.";
    Why => "Warum?", "Why?";
    ProfileTitle => "Profil: Sozialraum, Kommune, Region", "Profile: area, municipality, region";
    ProfileLegend => "● Sozialraum  ◆ Kommune  ▲ Region – Linie: kleinster bis größter Wert", "● area  ◆ municipality  ▲ region – line: smallest to largest value";
    CatalogueTitle => "Indikatorenkatalog", "Indicator catalogue";
    CatalogueKey => "Schlüssel", "Key";
    CatalogueLabelDe => "Bezeichnung", "German label";
    CatalogueLabelEn => "Englisch", "English label";
    CatalogueUnit => "Einheit", "Unit";
    CataloguePolarity => "Polarität", "Polarity";
    CatalogueTheme => "Thema", "Theme";
    CatalogueSource => "Quelle", "Source";
    CatalogueDate => "Stand", "As of";
    CatalogueDecimals => "Dez.", "Dec.";
    CatalogueCases => "Fallzahl", "Cases";
    CatalogueDenominator => "Nenner", "Denominator";
    MenuImportTable => "Indikatortabelle importieren …", "Import indicator table …";
    MenuSaveMap => "Karte als GeoJSON speichern …", "Save map as GeoJSON …";
    MenuCatalogue => "Indikatorenkatalog …", "Indicator catalogue …";
    MenuRules => "Regeln …", "Rules …";
    ImportTableTitle => "Indikatortabelle importieren", "Import indicator table";
    ImportTableFile => "Datei (CSV oder XLSX)", "File (CSV or XLSX)";
    ImportKeyColumn => "Schlüsselspalte", "Key column";
    ImportTarget => "Abgleich mit", "Match with";
    ImportTargetCode => "Code (oder die passendste Eigenschaft)", "code (or the best-matching property)";
    ImportAutomatic => "automatisch", "automatic";
    ImportNone => "keine", "none";
    ImportChooseFileFirst => "Erst eine Datei wählen.", "Choose a file first.";
    RulesFilter => "Regeln (TOML)", "Rules (TOML)";
    ImportTableFilter => "Tabellen", "Tables";
    ImportTableRead => "{rows} Zeilen, {columns} Spalten · {encoding} · Trennzeichen {separator}", "{rows} rows, {columns} columns · {encoding} · separator {separator}";
    ImportLayout => "Aufbau", "Layout";
    ImportWide => "breit: eine Zeile je Sozialraum", "wide: one row per area";
    ImportLong => "lang: eine Zeile je Sozialraum und Indikator", "long: one row per area and indicator";
    ImportIndicatorColumns => "Indikator-Spalte(n)", "Indicator column(s)";
    ImportValueColumn => "Wert-Spalte", "Value column";
    ImportYearColumn => "Jahr-Spalte (optional)", "Year column (optional)";
    ImportYear => "Jahr (leer: das letzte)", "Year (empty: the latest)";
    ImportButton => "Importieren", "Import";
    JoinReportTitle => "Bericht der Verknüpfung", "Join report";
    JoinKey => "Schlüssel: Spalte „{column}“ ↔ {target}", "Key: column \"{column}\" ↔ {target}";
    JoinMatched => "{n} von {total} Sozialräumen haben Werte", "{n} of {total} areas have values";
    JoinIndicators => "Übernommen: {list}", "Imported: {list}";
    JoinReplaced => "Ersetzt: {list}", "Replaced: {list}";
    JoinYear => "Jahr: {year}", "Year: {year}";
    JoinUnmatched => "Zeilen ohne passenden Sozialraum: {n}", "Rows matching no area: {n}";
    JoinWithout => "Sozialräume ohne Daten: {n}", "Areas without data: {n}";
    JoinDuplicates => "Schlüssel mehrfach (die erste Zeile gilt): {n}", "Keys more than once (the first row counts): {n}";
    JoinBadCells => "Zellen ohne Zahl: {n}", "Cells that are not numbers: {n}";
    JoinSuppressed => "Als geheim markierte Zellen (bleiben geheim, nie 0): {n}", "Cells marked suppressed (stay suppressed, never 0): {n}";
    JoinLine => "Zeile {line}", "line {line}";
    SaveTitle => "Speichern unter", "Save as";
    LoadTitle => "Laden", "Load";
    PathLabel => "Datei", "File";
    LegendSeveralFields => "in mehreren Handlungsfeldern (gestreift)", "in several fields (striped)";
    LegendNoNeed => "kein Gestaltungsbedarf", "no need for action";
    LegendToggleHint => "Klicken blendet dieses Handlungsfeld auf der Karte aus oder ein", "Click to hide or show this field on the map";
    FieldDisadvantaged => "Benachteiligte Sozialräume", "Disadvantaged areas";
    FieldElderly => "Teilhabe und Versorgung Älterer", "Participation and care of older people";
    FieldChildrenFamilies => "Armutsrisiken und -folgen für Kinder und Familien", "Poverty risks for children and families";
    FieldIntegration => "Integrationserfordernisse", "Integration needs";
    Source => "Quelle", "Source";
    SyntheticBadge => "Beispieldaten – synthetisch, nicht amtlich", "Example data – synthetic, not official";
    MapPanelHeading => "Karte", "Map";
    MapAreas => "Sozialräume", "Areas";
    MapMunicipalities => "Kommunen", "Municipalities";
    MapCrs => "Projektion", "Projection";
    InspectorEmpty => "Klicken Sie auf einen Sozialraum, um seine Indikatoren zu sehen.", "Click an area to see its indicators.";
    InspectorMunicipality => "Kommune", "Municipality";
    InspectorPopulation => "Einwohner", "Population";
    InspectorArea => "Fläche", "Area";
    InspectorFields => "Handlungsfelder", "Fields of action";
    InspectorNoNeed => "kein Gestaltungsbedarf", "no need for action";
    InspectorIndicators => "Indikatoren", "Indicators";
    InspectorNoIndicators => "Die Datei enthält keine Indikatoren (keine Zahlen-Eigenschaften).", "The file has no indicators (no numeric properties).";
    ColIndicator => "Indikator", "Indicator";
    ColValue => "Wert", "Value";
    ColMunicipality => "Kommune", "Municipality";
    ColRegion => "Region", "Region";
    ColRank => "Rang", "Rank";
    RankOf => "{rank} von {n}", "{rank} of {n}";
    RankHint => "Rang 1 = höchster Wert; gezählt werden nur Sozialräume mit Wert", "Rank 1 = highest value; only areas with a value are counted";
    ValueMissing => "keine Daten", "no data";
    ValueSuppressed => "geheim", "suppressed";
    AllProperties => "Alle Eigenschaften aus der Datei", "All properties in the file";
    ReferenceDate => "Stand", "As of";
    PolarityNeed => "hoher Wert = Bedarf", "high value = need";
    PolarityStrength => "hoher Wert = Stärke", "high value = strength";
    PolarityNeutral => "ohne Wertung", "no judgement";
    AggregationWeighted => "Kommune und Region: nach {key} gewichtetes Mittel", "Municipality and region: mean weighted by {key}";
    AggregationMean => "Kommune und Region: Mittel der Sozialräume", "Municipality and region: mean of the areas";
    AggregationSum => "Kommune und Region: Summe", "Municipality and region: sum";
    ClearSelection => "Auswahl aufheben (Esc)", "Clear selection (Esc)";
    OpenTitle => "Karte öffnen", "Open map";
    OpenPath => "Datei (GeoJSON)", "File (GeoJSON)";
    OpenBrowse => "Durchsuchen …", "Browse …";
    OpenButton => "Öffnen", "Open";
    Cancel => "Abbrechen", "Cancel";
    OpenCrs => "Koordinatensystem, falls die Datei keins angibt", "Coordinate system, if the file declares none";
    OpenCrsHint => "z. B. EPSG:25832 – leer: aus der Datei", "e.g. EPSG:25832 – empty: from the file";
    OpenFields => "Felder (leer: automatisch erkennen)", "Fields (empty: detect automatically)";
    FieldCode => "Code", "Code";
    FieldName => "Name", "Name";
    FieldMunicipality => "Kommune", "Municipality";
    FieldActionFields => "Handlungsfelder", "Fields of action";
    OpenDropHint => "Eine Datei kann auch einfach auf das Fenster gezogen werden.", "You can also drop a file onto the window.";
    OpenNoPath => "Bitte einen Dateipfad eingeben.", "Please enter a file path.";
    OpenBadCrs => "„{crs}“ ist kein EPSG-Code (Beispiel: EPSG:25832).", "\"{crs}\" is not an EPSG code (example: EPSG:25832).";
    NoDialog => "Kein Dateiauswahl-Dialog verfügbar – bitte den Pfad eintippen.", "No file dialog available – please type the path.";
    Loading => "Lade {file} …", "Loading {file} …";
    StageReading => "Datei lesen", "reading the file";
    StageParsing => "Features lesen", "reading features";
    StageBuilding => "prüfen und projizieren", "checking and projecting";
    StagePreparing => "Karte vorbereiten", "preparing the map";
    LoadingDetails => "Details werden vorbereitet …", "Preparing details …";
    CrashTitle => "Interner Programmfehler", "Internal program error";
    CrashText => "Sozialraum-Atlas ist auf einen Fehler im Programm gestoßen. Die Ansicht wurde angehalten, nicht das Programm:", "Sozialraum-Atlas ran into a bug. The view was stopped, not the program:";
    CrashProjectSafe => "Ihre Daten sind sicher: Jede Änderung steht bereits in der Projektdatei {file}. Sie können weiterarbeiten; tritt der Fehler wieder auf, bitte das Programm neu starten und den Text oben melden.", "Your data is safe: every change is already in the project file {file}. You can go on working; if the error comes back, restart the program and report the text above.";
    CrashNoProject => "Es ist kein Projekt geöffnet; Maßnahmen ohne Projektdatei bitte gleich als Projekt speichern (Datei → Als Projekt speichern (GeoPackage) …). Tritt der Fehler wieder auf, bitte das Programm neu starten und den Text oben melden.", "No project is open; save measures without a project file as a project now (File → Save as project (GeoPackage) …). If the error comes back, restart the program and report the text above.";
    LoadCrashed => "{file}: Beim Laden ist ein Programmfehler aufgetreten ({message}). Bitte den Fehler mit dieser Datei melden.", "{file}: a bug stopped the loading ({message}). Please report it with this file.";
    ExportCrashed => "Beim Exportieren ist ein Programmfehler aufgetreten; es wurde nichts oder nicht alles geschrieben", "A bug stopped the export; nothing or not everything was written";
    CrashContinue => "Weiterarbeiten", "Go on working";
    ErrorTitle => "Datei konnte nicht geöffnet werden", "Could not open the file";
    KeptMap => "Die bisher gezeigte Karte bleibt geöffnet.", "The map shown so far stays open.";
    Ok => "OK", "OK";
    ShowReport => "Bericht anzeigen", "Show report";
    ReportTitle => "Importbericht", "Import report";
    ReportProblems => "{n} Probleme beim Laden – Einzelheiten im Importbericht", "{n} problems while loading – details in the import report";
    ReportCopy => "Kopieren", "Copy";
    Close => "Schließen", "Close";
    StatusAreas => "{n} Sozialräume", "{n} areas";
    StatusScale => "Maßstab", "Scale";
    StatusFrame => "Bild: {ms} ms, {v} Eckpunkte", "Frame: {ms} ms, {v} vertices";
    ShortcutsTitle => "Tastenkürzel", "Keyboard shortcuts";
    ShortcutPan => "Verschieben: Karte ziehen oder Pfeiltasten", "Pan: drag the map or use the arrow keys";
    ShortcutZoom => "Zoomen: Mausrad (um den Mauszeiger), + und −, Doppelklick", "Zoom: mouse wheel (about the cursor), + and −, double-click";
    ShortcutFit => "Alles zeigen: Pos1", "Show all: Home";
    ShortcutSelect => "Sozialraum auswählen: Klick", "Select an area: click";
    ShortcutClear => "Auswahl aufheben: Esc", "Clear selection: Esc";
    ShortcutOpen => "Datei öffnen: Strg+O", "Open a file: Ctrl+O";
    AboutText => "Sozialraum-Atlas zeigt Sozialräume, ihre Handlungsfelder und Indikatoren – offline, auf dem eigenen Rechner.", "Sozialraum-Atlas shows social spaces, their fields of action and indicators – offline, on your own computer.";
    HoverMunicipality => "Kommune", "Municipality";
    RespDecide => "Entscheidungsbereich", "Decides (Entscheidungsbereich)";
    RespInfluence => "Einflussbereich", "Influences (Einflussbereich)";
    RespAdvocate => "Einwirkungsbereich", "Advocates (Einwirkungsbereich)";
    RespJoint => "gemeinsam mit der Kommune", "jointly with the municipality";
    StatusIdea => "Idee", "Idea";
    StatusPlanned => "geplant", "planned";
    StatusInProgress => "in Umsetzung", "in progress";
    StatusDone => "abgeschlossen", "completed";
    StatusDropped => "verworfen", "dropped";
    PrioHigh => "hoch", "high";
    PrioMedium => "mittel", "medium";
    PrioLow => "niedrig", "low";
    PrioNone => "–", "–";
    ColNr => "Nr", "No";
    ColTitle => "Titel", "Title";
    ColDescription => "Beschreibung", "Description";
    ColFields => "Handlungsfelder", "Fields of action";
    ColAreas => "Sozialräume", "Sozialräume";
    ColMunicipalities => "Kommunen", "Municipalities";
    ColResponsibility => "Verantwortung", "Responsibility";
    ColLead => "Federführung", "Lead";
    ColPartners => "Partner", "Partners";
    ColStatus => "Status", "Status";
    ColStart => "Beginn", "Start";
    ColEnd => "Ende", "End";
    ColBudget => "Budget (€)", "Budget (€)";
    ColPriority => "Priorität", "Priority";
    ColNotes => "Notizen", "Notes";
    ColCreated => "Erstellt", "Created";
    ColChanged => "Geändert", "Changed";
    MeasureImported => "{n} Maßnahmen übernommen, {skipped} Zeilen nicht übernommen, {notes} Hinweise ({file})", "{n} measures taken, {skipped} rows not taken, {notes} notes ({file})";
    MeasureImportTitle => "Maßnahmen-Import", "Measures import";
    MeasureImportSkipped => "Nicht übernommen", "Not taken";
    MeasureImportNotes => "Hinweise", "Notes";
    MeasureNoTitle => "Titel fehlt", "title missing";
    MeasureEndBeforeStart => "Ende liegt vor dem Beginn", "end lies before the start";
    MeasureNegativeBudget => "Budget muss eine Zahl ≥ 0 sein", "budget must be a number ≥ 0";
    MeasureDuplicate => "gleiche Maßnahme (Titel und Sozialräume) gibt es schon", "the same measure (title and Sozialräume) already exists";
    MeasureUnknownArea => "Sozialraum „{code}“ gibt es in der Karte nicht – weggelassen", "Sozialraum \"{code}\" is not in the map – left out";
    MeasureBadValue => "{column}: „{value}“ nicht lesbar – {fallback}", "{column}: \"{value}\" not readable – {fallback}";
    MeasureFallbackEmpty => "leer gelassen", "left empty";
    MeasureFallbackDefault => "Standardwert", "default value";
    MeasureNoTitleColumn => "keine Spalte „Titel“ gefunden (Spalten: {columns})", "no column \"Titel\"/\"Title\" found (columns: {columns})";

    ProjectReadOnly => "{file} ist schreibgeschützt und nur zum Lesen geöffnet. Änderungen mit „Speichern unter …“ in einer Kopie sichern.", "{file} is write-protected and open read-only. Use \"Save as …\" to keep changes in a copy.";
    ProjectLocked => "{file} ist von einem anderen Programm gesperrt und nur zum Lesen geöffnet.", "{file} is locked by another program and open read-only.";

    CoverageTitle => "Abdeckung durch Maßnahmen", "Coverage by measures";
    CoverageSummary => "{gap} von {flagged} Sozialräumen mit Gestaltungsbedarf ohne Maßnahme", "{gap} of {flagged} areas with a need for action have no measure";
    CoverageGap => "Gestaltungsbedarf, keine Maßnahme", "need for action, no measure";
    CoverageCovered => "Gestaltungsbedarf mit Maßnahme", "need for action with measure";
    CoverageOutside => "Maßnahme ohne Gestaltungsbedarf", "measure without need for action";
    CoverageNeither => "weder noch", "neither";

    ViewCoverage => "Abdeckung", "Coverage";
    ViewCoverageHint => "Sozialräume mit Gestaltungsbedarf ohne Maßnahme, und Maßnahmen außerhalb", "Areas with a need for action but no measure, and measures outside them";
    OpenMeasures => "Maßnahmenliste …", "Measures list …";
    SaveProjectTitle => "Projekt speichern unter", "Save project as";
    ExportMeasuresTitle => "Maßnahmen exportieren (CSV oder XLSX)", "Export measures (CSV or XLSX)";
    ImportMeasuresTitle => "Maßnahmen importieren (CSV oder XLSX)", "Import measures (CSV or XLSX)";

    MenuSaveProjectAs => "Projekt speichern unter …", "Save project as …";
    MenuSaveAsProject => "Als Projekt speichern (GeoPackage) …", "Save as project (GeoPackage) …";
    MenuImportMeasures => "Maßnahmen importieren (CSV/XLSX) …", "Import measures (CSV/XLSX) …";
    MenuExportMeasures => "Maßnahmen exportieren (CSV/XLSX) …", "Export measures (CSV/XLSX) …";
    MenuEdit => "Bearbeiten", "Edit";
    MenuUndo => "Rückgängig", "Undo";
    MenuRedo => "Wiederholen", "Redo";
    MenuBadges => "Zahl der Maßnahmen auf der Karte", "Number of measures on the map";
    AddMeasure => "Maßnahme hinzufügen …", "Add measure …";

    MeasureNewTitle => "Maßnahme hinzufügen", "Add measure";
    MeasureEditTitle => "Maßnahme {id} bearbeiten", "Edit measure {id}";
    MeasureNotSavedHint => "Diese Karte ist noch kein Projekt: Maßnahmen bleiben erst erhalten, wenn Sie sie mit „Datei → Als Projekt speichern …“ sichern.", "This map is not a project yet: measures are kept only once you save it with \"File → Save as project …\".";
    MeasureTakeSelection => "Auswahl übernehmen", "Use selection";
    MeasureDeriveMunicipalities => "Kommunen aus Sozialräumen", "Municipalities from areas";
    MeasurePeriod => "Zeitraum", "Period";
    MeasureSave => "Speichern", "Save";
    MeasureDelete => "Löschen", "Delete";
    MeasureEdit => "Bearbeiten", "Edit";
    MeasureUnknownAreaForm => "Sozialraum „{code}“ gibt es in dieser Karte nicht.", "There is no Sozialraum \"{code}\" in this map.";
    MeasureBadDate => "{what}: „{value}“ ist kein Datum (z. B. 25.11.2026).", "{what}: \"{value}\" is not a date (e.g. 2026-11-25).";
    MeasureBadBudget => "Budget: „{value}“ ist kein Betrag (z. B. 12.500,00).", "Budget: \"{value}\" is not an amount (e.g. 12,500.00).";
    MeasuresTitle => "Maßnahmen", "Measures";
    MeasureSearch => "Suchen …", "Search …";
    MeasuresCount => "{n} von {total} Maßnahmen · Budget zusammen {budget} €", "{n} of {total} measures · budget together {budget} €";
    MeasureShowOnMap => "Sozialräume der Maßnahme auf der Karte auswählen", "Select the measure's areas on the map";
    FilterAll => "alle", "all";
    InspectorMeasures => "Maßnahmen ({n})", "Measures ({n})";
    InspectorSelected => "{n} Sozialräume ausgewählt (Strg+Klick, Umschalt+Ziehen)", "{n} areas selected (Ctrl+click, Shift+drag)";
    StatusSaved => "Projekt: {file} ✓ gespeichert", "Project: {file} ✓ saved";
    StatusReadOnly => "Projekt: {file} (nur lesen)", "Project: {file} (read-only)";
    StatusOutOfDate => "Projekt: {file} – Speichern fehlgeschlagen!", "Project: {file} – saving failed!";
    StatusNoProject => "kein Projekt – Maßnahmen nicht gesichert", "no project – measures not saved";
    Line => "Zeile", "Line";

    CliProjectWritten => "{file}: Projekt mit {n} Sozialräumen geschrieben", "{file}: project with {n} areas written";
    CliNotAProject => "{file}: keine Projektdatei von Sozialraum-Atlas (mit „sozialraum-atlas project new“ anlegen)", "{file}: not a Sozialraum-Atlas project file (make one with \"sozialraum-atlas project new\")";
    CliMeasuresExported => "{n} Maßnahmen nach {file} geschrieben", "{n} measures written to {file}";

    UnsavedTitle => "Maßnahmen nicht gespeichert", "Measures not saved";
    UnsavedText => "Diese Karte ist kein Projekt: ihre Maßnahmen ({n}) gingen sonst verloren. Als Projekt (GeoPackage) speichern?", "This map is not a project: its measures ({n}) would be lost. Save it as a project (GeoPackage)?";
    UnsavedDiscard => "Verwerfen", "Discard";
    ShortcutSelectMany => "Mehrere Sozialräume: Strg+Klick, oder Umschalt+Ziehen für ein Rechteck", "Several areas: Ctrl+click, or Shift+drag for a rectangle";
    ShortcutMeasures => "Maßnahme hinzufügen: Strg+M · Maßnahmenliste: Strg+L", "Add measure: Ctrl+M · measures list: Ctrl+L";
    ShortcutFind => "Kommune oder Sozialraum suchen: Strg+F", "Find a municipality or area: Ctrl+F";
    SwitcherTitle => "Kommune oder Sozialraum suchen", "Find a municipality or area";
    SwitcherHint => "Name oder Code, z. B. Setterich oder AC 3", "name or code, e.g. Setterich or AC 3";
    SwitcherNothing => "Nichts gefunden", "Nothing found";
    SwitcherMunicipality => "Kommune", "municipality";
    FocusLabel => "Kommune hervorheben", "Highlight municipality";
    FocusAll => "alle Kommunen", "all municipalities";
    FocusHint => "Die übrigen Kommunen werden grau, die Karte zeigt die gewählte Kommune; die Legende zählt nur ihre Sozialräume.", "The other municipalities turn grey, the map shows the chosen one; the legend counts only its areas.";
    MenuFind => "Suchen …", "Find …";
    ShortcutPresent => "Präsentation: F5 (Esc beendet; Bild↓/Bild↑ oder Pfeiltasten wechseln die Ansicht)", "Presentation: F5 (Esc leaves; Page Down/Up or the arrow keys change the view)";
    MenuPresent => "Präsentation", "Presentation";
    MenuViews => "Ansichten …", "Views …";
    MenuFieldPatterns => "Handlungsfelder mit Mustern", "Fields of action with patterns";
    MenuFieldPatternsHint => "Jedes Handlungsfeld erhält zusätzlich ein eigenes Muster (schräg, waagerecht, Punkte, senkrecht), so dass die Felder auch ohne Farbe zu unterscheiden sind – auf dem Bildschirm und in jedem Export.", "Every field of action also gets a pattern of its own (diagonal, horizontal, dots, vertical), so the fields can be told apart without colour – on screen and in every export.";
    MenuTheme => "Design", "Theme";
    ThemeLight => "hell", "light";
    ThemeDark => "dunkel", "dark";
    PresentHint => "Esc beendet die Präsentation · Klick auf einen Sozialraum zeigt seine Karte", "Esc leaves the presentation · click an area for its card";
    PresentHintViews => "Ansicht {k} von {n} · Bild↓/Bild↑ wechseln · Esc beendet", "View {k} of {n} · Page Down/Up to change · Esc leaves";
    PresentMeasures => "Maßnahmen: {n}", "Measures: {n}";
    PresentCapture => "Maßnahme erfassen …", "Capture a measure …";
    PresentQuickTitle => "Neue Maßnahme", "New measure";
    ViewsTitle => "Ansichten", "Views";
    ViewsHint => "Eine Ansicht merkt sich Ausschnitt, Einfärbung (mit Klassen), sichtbare Handlungsfelder und die hervorgehobene Kommune. In der Präsentation (F5) blättern Bild↓/Bild↑ durch die Ansichten.", "A view keeps the extent, the colouring (with its classes), the visible fields and the highlighted municipality. In presentation mode (F5) Page Down/Up step through the views.";
    ViewsEmpty => "Noch keine Ansichten gespeichert.", "No views saved yet.";
    ViewsShow => "Zeigen", "Show";
    ViewsShowHint => "Ausschnitt und Einfärbung dieser Ansicht übernehmen", "Show this view's extent and colouring";
    ViewsDelete => "Löschen", "Delete";
    ViewsName => "Name der Ansicht", "Name of the view";
    ViewsNameHint => "z. B. Stolberg – Kinderarmut", "e.g. Stolberg – child poverty";
    ViewsSave => "Aktuelle Ansicht speichern", "Save current view";
    ViewsSaveHint => "Speichert, was die Karte jetzt zeigt; eine Ansicht gleichen Namens wird ersetzt", "Saves what the map shows now; a view of the same name is replaced";
    ViewsPresent => "Präsentation mit den Ansichten starten (F5)", "Start the presentation with the views (F5)";
    ExportViewsButton => "Alle {n} Ansichten exportieren", "Export all {n} views";
    ExportViewsWritten => "{n} Ansichten nach {dir} geschrieben", "{n} views written to {dir}";
    TipAddMeasure => "Neue Maßnahme für die ausgewählten Sozialräume, mit ihren Handlungsfeldern und Kommunen vorausgefüllt (Strg+M)", "New measure for the selected areas, pre-filled with their fields and municipalities (Ctrl+M)";
    TipClearSelection => "Auswahl aufheben (Esc)", "Clear the selection (Esc)";
    TipOpenMeasures => "Alle Maßnahmen als Tabelle: suchen, filtern, sortieren, bearbeiten (Strg+L)", "All measures as a table: search, filter, sort, edit (Ctrl+L)";
    TipOpenRules => "Die Regeln je Handlungsfeld ansehen und ändern; die Karte färbt sich sofort neu", "See and change the rules per field; the map recolours at once";
    TipOpenCompare => "Regeln gegen die Einstufung in der Datei: welche Sozialräume kommen hinzu, welche fallen weg", "Rules against the file's classification: which areas are added, which dropped";
    TipOpenOverrides => "Alle von Hand übersteuerten Einstufungen mit ihrer Begründung", "Every classification overridden by hand, with its reason";
    TipExportMeasures => "Maßnahmen als CSV (für Excel) oder XLSX speichern", "Save the measures as CSV (for Excel) or XLSX";
    TipImportMeasures => "Maßnahmen aus einer CSV- oder Excel-Liste übernehmen, mit Bericht", "Take measures from a CSV or Excel list, with a report";
    TipLoadRules => "Regeln und Übersteuerungen aus einer TOML-Datei laden", "Load rules and overrides from a TOML file";
    TipSaveRules => "Regeln und Übersteuerungen als TOML-Datei speichern", "Save rules and overrides as a TOML file";
    TipAddCondition => "Eine weitere Bedingung für dieses Handlungsfeld", "Another condition for this field";
    TipRemoveCondition => "Diese Bedingung entfernen (Strg+Z macht es rückgängig)", "Remove this condition (Ctrl+Z undoes it)";
    TipShowReport => "Was beim Einlesen der Datei auffiel: jedes Problem jedes Features", "What reading the file found: every problem of every feature";
    TipExportButton => "Die Karte so wie in der Vorschau in die Datei schreiben (im Hintergrund)", "Write the map as previewed to the file (in the background)";
    TipExportAtlas => "Für jede Kommune eine Karte, auf sie gezoomt, die anderen grau, in den Ordner", "One map per municipality, zoomed to it, the others grey, into the folder";
    TipExportViews => "Jede gespeicherte Ansicht als eigene Datei in den Ordner", "Every saved view as a file of its own into the folder";
    TipViewsDelete => "Diese Ansicht löschen", "Delete this view";
    TipTakeSelection => "Die auf der Karte ausgewählten Sozialräume übernehmen", "Take the areas selected on the map";
    TipDeriveMunicipalities => "Die Kommunen aus den eingetragenen Sozialräumen ableiten", "Derive the municipalities from the areas entered";
    TipApplyLimits => "Die eingegebenen Klassengrenzen übernehmen", "Use the class limits typed in";
    ShortcutExport => "Karte exportieren (PNG, SVG, PDF): Strg+E", "Export the map (PNG, SVG, PDF): Ctrl+E";
    ShortcutUndo => "Rückgängig: Strg+Z · Wiederholen: Strg+Y oder Strg+Umschalt+Z", "Undo: Ctrl+Z · redo: Ctrl+Y or Ctrl+Shift+Z";

    MeasureReadOnlyHint => "Das Projekt ist nur zum Lesen geöffnet: neue Maßnahmen bleiben nur erhalten, wenn Sie mit „Datei → Projekt speichern unter …“ eine Kopie anlegen.", "The project is open read-only: new measures are kept only if you make a copy with \"File → Save project as …\".";

    CliBadPaper => "Papierformat „{value}“ unbekannt (a4-landscape, a4-portrait, a3-landscape, a3-portrait)", "unknown paper \"{value}\" (a4-landscape, a4-portrait, a3-landscape, a3-portrait)";
    CliBadSize => "Größe „{value}“ nicht lesbar (z. B. 1920x1080, 16 bis 20000 Pixel je Seite)", "size \"{value}\" not readable (e.g. 1920x1080, 16 to 20000 pixels per side)";
    CliBadClasses => "Klassen „{value}“ nicht lesbar (z. B. quantile:5, jenks:7, equal:4, stddev:5; 3 bis 9 Klassen)", "classes \"{value}\" not readable (e.g. quantile:5, jenks:7, equal:4, stddev:5; 3 to 9 classes)";
    CliUnknownIndicator => "Indikator „{key}“ gibt es in der Karte nicht (vorhanden: {keys})", "the map has no indicator \"{key}\" (available: {keys})";
    CliExportFormat => "{file}: Format „{ext}“ unbekannt (.png, .svg oder .pdf)", "{file}: unknown format \"{ext}\" (.png, .svg or .pdf)";
    ExportAsOf => "Stand", "As of";
    ExportDataYear => "Datenstand", "Data year";
    ExportUnknownMunicipality => "Kommune „{name}“ gibt es in der Karte nicht", "the map has no municipality \"{name}\"";
    ExportNoMunicipalities => "Die Karte hat keine Kommunen: ein Atlas je Kommune ist nicht möglich", "The map has no municipalities: an atlas per municipality is not possible";
    ExportFont => "Die eingebettete Schrift ist beschädigt (Programm neu installieren)", "The embedded font is damaged (reinstall the program)";
    ExportWriteFailed => "{file}: kann nicht geschrieben werden: {reason}", "{file}: cannot be written: {reason}";
    MenuExportMap => "Karte exportieren (PNG, SVG, PDF) …", "Export map (PNG, SVG, PDF) …";
    ExportTitle => "Karte exportieren", "Export map";
    ExportFormat => "Format", "Format";
    ExportSize => "Größe", "Size";
    ExportSizeSlide => "1920 × 1080 (Folie, Full HD)", "1920 × 1080 (slide, full HD)";
    ExportSize4k => "3840 × 2160 (4K)", "3840 × 2160 (4K)";
    ExportSizeA4Landscape => "A4 quer", "A4 landscape";
    ExportSizeA4Portrait => "A4 hoch", "A4 portrait";
    ExportSizeA3Landscape => "A3 quer", "A3 landscape";
    ExportSizeA3Portrait => "A3 hoch", "A3 portrait";
    ExportSizeCustom => "eigene Größe in Pixeln", "custom size in pixels";
    ExportWidth => "Breite", "Width";
    ExportHeight => "Höhe", "Height";
    ExportDpi => "Auflösung", "Resolution";
    ExportPixels => "{w} × {h} Pixel", "{w} × {h} pixels";
    ExportExtent => "Ausschnitt", "Extent";
    ExportExtentView => "aktuelle Ansicht", "current view";
    ExportExtentWhole => "ganze Karte", "whole map";
    ExportExtentMunicipality => "eine Kommune", "one municipality";
    ExportMapTitle => "Titel", "Title";
    ExportSubtitle => "Untertitel", "Subtitle";
    ExportLegend => "Legende", "Legend";
    ExportLegendCorner => "Ecke der Legende", "Legend corner";
    ExportCornerTopLeft => "oben links", "top left";
    ExportCornerTopRight => "oben rechts", "top right";
    ExportCornerBottomLeft => "unten links", "bottom left";
    ExportCornerBottomRight => "unten rechts", "bottom right";
    ExportScaleBar => "Maßstabsleiste", "Scale bar";
    ExportNorthArrow => "Nordpfeil", "North arrow";
    ExportSourceLine => "Quellenzeile", "Source line";
    ExportPreview => "Vorschau", "Preview";
    ExportFile => "Datei", "File";
    ExportButton => "Exportieren", "Export";
    ExportAtlasHeading => "Je Kommune eine Karte (Atlas)", "One map per municipality (atlas)";
    ExportFolder => "Ordner", "Folder";
    ExportAtlasButton => "Alle {n} Kommunen exportieren", "Export all {n} municipalities";
    ExportRunning => "Exportiere nach {target} …", "Exporting to {target} …";
    ExportSaved => "{file}: Karte gespeichert", "{file}: map saved";
    ExportNeedsPath => "Bitte eine Datei angeben (.png, .svg oder .pdf).", "Please give a file (.png, .svg or .pdf).";
    ExportNeedsFolder => "Bitte einen Ordner angeben.", "Please give a folder.";
    CliBadLegend => "Legende „{value}“ unbekannt (bottom-right, bottom-left, top-right, top-left oder none)", "unknown legend \"{value}\" (bottom-right, bottom-left, top-right, top-left or none)";
    CliAtlasWritten => "{n} Karten nach {dir} geschrieben", "{n} maps written to {dir}";

}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_text_exists_in_both_languages_with_the_same_placeholders() {
        let placeholders = |s: &str| {
            let mut found: Vec<String> = s
                .split('{')
                .skip(1)
                .filter_map(|p| p.split_once('}').map(|(name, _)| name.to_string()))
                .collect();
            found.sort();
            found
        };
        for t in T::ALL {
            let (de, en) = (t.text(Lang::De), t.text(Lang::En));
            assert!(!de.trim().is_empty() && !en.trim().is_empty(), "{t:?}");
            assert_eq!(placeholders(de), placeholders(en), "{t:?}");
        }
    }
}
