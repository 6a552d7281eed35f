//! The command line: the window by default, `check` for a file's import report, `classify`
//! for the Handlungsfelder with their reasons as a CSV, `project new` and `measures
//! import|export` for project files ([`project`]).
//!
//! Exit codes of `check`: 0 the file is clean, 1 it loaded with problems (features skipped,
//! merged or repaired), 2 it cannot be used at all. The other commands: 0 done, 2 failed
//! (with one message naming the file; nothing half-written). Output goes through
//! [`crate::io::console`]: a closed pipe ends it quietly, a full disk makes the exit code 2,
//! nothing panics.

pub mod atlas;
pub mod export;
pub mod project;
pub mod report;

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::analysis::join::{JoinOptions, Layout};
use crate::i18n::{Lang, T, format};
use crate::io::console;
use crate::io::fields::FieldOverrides;
use crate::io::{ImportError, ImportOptions, Progress, import_file};
use crate::spatial::crs::epsg_from_text;

/// Sozialraum-Atlas: Sozialräume, Handlungsfelder und Indikatoren auf der Karte.
#[derive(Debug, Parser)]
#[command(
    name = "sozialraum-atlas",
    version,
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    /// A boundary file (GeoJSON) to open in the window; without it the demo map is shown.
    pub path: Option<PathBuf>,
    /// Import choices for PATH.
    #[command(flatten)]
    pub import: ImportArgs,
    /// A shared register to open in the window: a service name (`service=atlas`), a
    /// `postgresql://` URL or `host=… dbname=… user=…` (libpq's conventions; the password from
    /// `.pgpass`, `PGPASSWORD` or the window's prompt, never from a file of this program).
    #[arg(long, value_name = "SERVICE_OR_URL")]
    pub db: Option<String>,
    /// The register's schema (with --db).
    #[arg(long, default_value = "atlas")]
    pub schema: String,
    /// Language of the interface and messages: de or en.
    #[arg(long, global = true, value_parser = parse_lang)]
    pub lang: Option<Lang>,
    /// For checking the crash dialog: the window panics once, two seconds after it starts
    /// (only in a build with the `test-hooks` feature).
    #[cfg(feature = "test-hooks")]
    #[arg(long, hide = true)]
    pub panic_after_start: bool,
    /// A subcommand instead of the window.
    #[command(subcommand)]
    pub command: Option<CliCommand>,
}

/// How to read a boundary file.
#[derive(Debug, Clone, Default, Args)]
pub struct ImportArgs {
    /// The file's CRS if it declares none, e.g. EPSG:25832.
    #[arg(long, value_parser = parse_epsg)]
    pub crs: Option<u32>,
    /// Property with the Sozialraum code (default: detected).
    #[arg(long)]
    pub code_field: Option<String>,
    /// Property with the name (default: detected).
    #[arg(long)]
    pub name_field: Option<String>,
    /// Property with the municipality (default: detected).
    #[arg(long)]
    pub municipality_field: Option<String>,
    /// Property with the Handlungsfelder, e.g. "1;3" (default: detected).
    #[arg(long)]
    pub fields_field: Option<String>,
}

impl ImportArgs {
    /// The import options these arguments describe.
    pub fn options(&self) -> ImportOptions {
        ImportOptions {
            fields: FieldOverrides {
                code: self.code_field.clone(),
                name: self.name_field.clone(),
                municipality: self.municipality_field.clone(),
                action_fields: self.fields_field.clone(),
            },
            source_epsg: self.crs,
            drop_properties: false,
        }
    }
}

/// Subcommands.
#[derive(Debug, Subcommand)]
#[allow(clippy::large_enum_variant)] // Parsed once at start; boxing would only add noise.
pub enum CliCommand {
    /// Print the import report of a boundary file.
    Check {
        /// The file.
        path: PathBuf,
        /// Import choices.
        #[command(flatten)]
        import: ImportArgs,
    },
    /// Classify every area by rules and write code, fields and reasons as CSV.
    Classify {
        /// The boundary file (GeoJSON).
        map: PathBuf,
        /// Indicator tables and how to join them.
        #[command(flatten)]
        join: JoinArgs,
        /// Classify by the values of this year (default: each indicator's latest).
        #[arg(long, conflicts_with = "change")]
        year: Option<String>,
        /// Classify by the values of the later year and say, per area, which fields are new
        /// or dropped since the earlier one, e.g. 2017:2023.
        #[arg(long)]
        change: Option<String>,
        /// A rules file (TOML); default: the rules carried by the map.
        #[arg(long)]
        rules: Option<PathBuf>,
        /// The CSV to write (German Excel: `;`, UTF-8 with BOM).
        #[arg(long)]
        out: PathBuf,
        /// Import choices for MAP.
        #[command(flatten)]
        import: ImportArgs,
    },
    /// Write a map (PNG, SVG or PDF) without a window, or one per municipality.
    Export(export::ExportArgs),
    /// Write the Sozialraumprofile: a PDF with cover, contents and one page per area.
    Report(report::ReportArgs),
    /// Write the offline atlas for partners: one HTML file with map, search and profiles.
    Atlas(atlas::AtlasArgs),
    /// Project files (GeoPackage).
    Project {
        /// What to do.
        #[command(subcommand)]
        action: ProjectAction,
    },
    /// Measures of a project file.
    Measures {
        /// What to do.
        #[command(subcommand)]
        action: MeasuresAction,
    },
}

/// `project …`
#[derive(Debug, Subcommand)]
#[allow(clippy::large_enum_variant)]
pub enum ProjectAction {
    /// Make a project file from a boundary file (GeoJSON, Shapefile, GeoPackage).
    New {
        /// The boundary file.
        map: PathBuf,
        /// The project file to write (.gpkg).
        #[arg(long)]
        out: PathBuf,
        /// Indicator tables and how to join them.
        #[command(flatten)]
        join: JoinArgs,
        /// A rules file (TOML).
        #[arg(long)]
        rules: Option<PathBuf>,
        /// Import choices for MAP.
        #[command(flatten)]
        import: ImportArgs,
    },
    /// Put a project (areas, catalogue, rules, measures) into a shared register on
    /// PostgreSQL/PostGIS, with roles and row-level security.
    Publish {
        /// The project file (.gpkg).
        project: PathBuf,
        /// The database: a postgresql:// URL or "host=… dbname=… user=…"; missing parts from
        /// PGHOST, PGPORT, PGUSER, PGDATABASE, PGPASSWORD. No password is ever stored.
        #[arg(long)]
        db: String,
        /// The schema to write (created if missing).
        #[arg(long, default_value = "atlas")]
        schema: String,
        /// Also create one role per municipality (atlas_k_…), member of atlas_kommune.
        #[arg(long)]
        create_roles: bool,
    },
}

/// `measures …`
#[derive(Debug, Subcommand)]
pub enum MeasuresAction {
    /// Add the measures of a CSV or XLSX list to a project.
    Import {
        /// The project file.
        project: PathBuf,
        /// The list.
        file: PathBuf,
    },
    /// Write the measures of a project as CSV (German Excel) or XLSX.
    Export {
        /// The project file.
        project: PathBuf,
        /// The file to write (.csv or .xlsx).
        file: PathBuf,
    },
    /// Write the history of the shared register (who changed what, when) as CSV.
    History {
        /// The database, as for `project publish --db`.
        #[arg(long)]
        db: String,
        /// The register's schema.
        #[arg(long, default_value = "atlas")]
        schema: String,
        /// The CSV file to write.
        file: PathBuf,
    },
    /// Test hook: adds COUNT measures one by one, printing each id once its write returned
    /// (only in a build with the `test-hooks` feature).
    #[cfg(feature = "test-hooks")]
    #[command(hide = true)]
    WriteTest {
        /// The project file.
        project: PathBuf,
        /// How many.
        count: usize,
    },
}

/// Indicator tables and how they are joined (wide by default; long with
/// `--indicator-column`).
#[derive(Args, Debug, Clone, Default)]
pub struct JoinArgs {
    /// An indicator table (CSV or XLSX) to join; repeat for several (e.g. one per year).
    #[arg(long)]
    pub indicators: Vec<PathBuf>,
    /// The year the values of a wide table belong to; repeat in the order of --indicators
    /// (one per table), so that one table per year builds a series.
    #[arg(long)]
    pub table_year: Vec<String>,
    /// The table's key column (default: the one matching most areas).
    #[arg(long)]
    pub key_column: Option<String>,
    /// The areas' property to match (default: the code, or the best-matching property).
    #[arg(long)]
    pub match_property: Option<String>,
    /// Long table: the column naming the indicator (repeat for several, joined with " – ").
    #[arg(long = "indicator-column")]
    pub indicator_columns: Vec<String>,
    /// Long table: the column with the value.
    #[arg(long)]
    pub value_column: Option<String>,
    /// Long table: the column with the year (every year is kept).
    #[arg(long)]
    pub year_column: Option<String>,
    /// Long table: take only this year.
    #[arg(long, requires = "year_column")]
    pub only_year: Option<String>,
    /// The tables are keyed by older areas: a table of old code, new code and share
    /// (columns such as "alt", "neu", "anteil") converts their values to today's areas.
    #[arg(long)]
    pub crosswalk: Option<PathBuf>,
    /// How shares and rates are averaged over the old parts of an area: "flaeche" (by the
    /// shares alone, default) or the key of an indicator of the same table (e.g. einwohner).
    /// Counts are always split and summed.
    #[arg(long, requires = "crosswalk")]
    pub crosswalk_weight: Option<String>,
}

impl JoinArgs {
    /// The join options for the table at `index` of --indicators, or what is missing.
    pub fn options(&self, index: usize, lang: Lang) -> Result<JoinOptions, String> {
        let table_year = match self.table_year.get(index) {
            Some(text) => Some(
                crate::analysis::join::parse_year(text)
                    .ok_or_else(|| lang.tf(T::CliBadYear, &[("value", text)]))?,
            ),
            None => None,
        };
        let layout = if self.indicator_columns.is_empty() {
            Layout::Wide
        } else {
            let value = self
                .value_column
                .clone()
                .ok_or_else(|| lang.t(T::CliLongNeedsValue).to_string())?;
            Layout::Long {
                indicator: self.indicator_columns.clone(),
                value,
                year: self
                    .year_column
                    .clone()
                    .map(|column| (column, self.only_year.clone())),
            }
        };
        let crosswalk = match &self.crosswalk {
            Some(path) => {
                let table = crate::io::table::read_table(path).map_err(|e| e.describe(lang))?;
                let crosswalk = crate::analysis::crosswalk::crosswalk_from_table(&table)
                    .map_err(|e| e.describe(&table.file, lang))?;
                let weight = match self.crosswalk_weight.as_deref().map(str::trim) {
                    None | Some("flaeche" | "fläche" | "area") => {
                        crate::analysis::crosswalk::Weight::Area
                    }
                    Some(key) => crate::analysis::crosswalk::Weight::Indicator(key.to_string()),
                };
                Some((crosswalk, weight))
            }
            None => None,
        };
        Ok(JoinOptions {
            key_column: self.key_column.clone(),
            target: self.match_property.clone(),
            layout,
            table_year,
            crosswalk,
        })
    }
}

fn parse_lang(text: &str) -> Result<Lang, String> {
    Lang::parse(text).ok_or_else(|| format!("unknown language {text:?}: use de or en"))
}

fn parse_epsg(text: &str) -> Result<u32, String> {
    epsg_from_text(text).ok_or_else(|| format!("{text:?} is not an EPSG code such as EPSG:25832"))
}

/// Runs `check`: prints the report and returns the exit code.
pub fn check(path: &std::path::Path, import: &ImportArgs, lang: Lang) -> i32 {
    match import_file(path, &import.options(), &Progress::default()) {
        Ok(imported) => {
            console::out(&imported.report.to_text(lang));
            if imported.report.is_clean() { 0 } else { 1 }
        }
        Err(ImportError::NothingUsable { report, .. }) => {
            console::out(&report.to_text(lang));
            console::err_line(
                &ImportError::NothingUsable {
                    file: path.display().to_string(),
                    report: report.clone(),
                }
                .describe(lang),
            );
            2
        }
        Err(e) => {
            console::err_line(&e.describe(lang));
            2
        }
    }
}

/// What `classify` needs.
pub struct ClassifyArgs<'a> {
    /// The map.
    pub map: &'a std::path::Path,
    /// Tables to join, and how.
    pub join: &'a JoinArgs,
    /// The year whose values are classified (None: each indicator's latest).
    pub year: Option<&'a str>,
    /// "FROM:TO": classify by TO and compare with FROM.
    pub change: Option<&'a str>,
    /// A rules file.
    pub rules: Option<&'a std::path::Path>,
    /// Output CSV.
    pub out: &'a std::path::Path,
    /// Import choices.
    pub import: &'a ImportArgs,
}

/// Joins every table of `join` into `indicators`, in order (the same for `classify`,
/// `export` and `project new`); returns a summary line per table, with one per year.
pub(crate) fn join_into(
    region: &crate::model::Region,
    indicators: &mut crate::model::IndicatorTable,
    join: &JoinArgs,
    lang: Lang,
) -> Result<Vec<String>, String> {
    use crate::analysis::join::{join_table, merge_joined_with};
    if join.table_year.len() > join.indicators.len() {
        return Err(lang.t(T::CliTooManyTableYears).to_string());
    }
    let mut notes = Vec::new();
    for (index, path) in join.indicators.iter().enumerate() {
        let table = crate::io::table::read_table(path).map_err(|e| e.describe(lang))?;
        let options = join.options(index, lang)?;
        let (joined, report) = join_table(region, indicators, &table, &options)
            .map_err(|e| e.describe(&table.file, lang))?;
        let estimated = report.crosswalk.as_ref().map(|c| c.estimated.as_slice());
        merge_joined_with(indicators, joined, estimated);
        notes.push(lang.tf(
            T::TableJoinedSummary,
            &[
                ("file", &table.file),
                ("n", &format::count(report.indicators.len(), lang)),
                ("areas", &format::count(report.matched_areas, lang)),
                ("total", &format::count(region.spaces.len(), lang)),
            ],
        ));
        if let Some(c) = &report.crosswalk {
            notes.push(format!("  {}", c.summary(lang)));
        }
        for y in &report.years {
            notes.push(format!(
                "  {}",
                lang.tf(
                    T::JoinYear,
                    &[
                        ("year", &y.year.to_string()),
                        ("n", &format::count(y.areas, lang))
                    ]
                )
            ));
        }
    }
    Ok(notes)
}

/// The year `text` names, checked against the years the indicators have.
pub(crate) fn known_year(
    indicators: &crate::model::IndicatorTable,
    text: &str,
    lang: Lang,
) -> Result<crate::model::Year, String> {
    let years = indicators.all_years();
    match crate::analysis::join::parse_year(text) {
        Some(y) if years.contains(&y) => Ok(y),
        _ => Err(lang.tf(
            T::CliUnknownYear,
            &[("value", text), ("years", &format::years(&years, lang))],
        )),
    }
}

/// Runs `classify`; returns the exit code.
pub fn classify(args: &ClassifyArgs<'_>, lang: Lang) -> i32 {
    match classify_inner(args, lang) {
        Ok(summary) => {
            console::err_line(&summary);
            0
        }
        Err(message) => {
            console::err_line(&message);
            2
        }
    }
}

fn classify_inner(args: &ClassifyArgs<'_>, lang: Lang) -> Result<String, String> {
    use crate::analysis::rules::classify_in_year;
    use crate::export::classification_csv::classification_csv;
    use crate::io::export_geojson::MapExport;
    use crate::io::rules_file::read_rules;

    let imported = import_file(args.map, &args.import.options(), &Progress::default())
        .map_err(|e| e.describe(lang))?;
    let region = imported.region;
    let mut indicators = imported.indicators;
    let mut notes = join_into(&region, &mut indicators, args.join, lang)?;
    let mut year = match args.year {
        Some(text) => Some(known_year(&indicators, text, lang)?),
        None => None,
    };
    let mut from = None;
    if let Some(text) = args.change {
        let (a, b) = text
            .split_once([':', '-', '–'])
            .ok_or_else(|| lang.tf(T::CliBadChange, &[("value", text)]))?;
        let (a, b) = (
            known_year(&indicators, a, lang)?,
            known_year(&indicators, b, lang)?,
        );
        if a == b {
            return Err(lang.tf(T::CliBadChange, &[("value", text)]));
        }
        from = Some(a.min(b));
        year = Some(a.max(b));
    }
    let (rules, overrides) = match args.rules {
        Some(path) => {
            let file = path.display().to_string();
            read_rules(path)
                .and_then(|(r, o)| {
                    crate::io::rules_file::check_indicators(&r, &indicators, &file).map(|()| (r, o))
                })
                .map_err(|e| e.describe(lang))?
        }
        None => (imported.rules, imported.overrides),
    };
    let classification = classify_in_year(&region, &indicators, &rules, &overrides, year);
    let earlier = from.map(|y| {
        (
            y,
            classify_in_year(&region, &indicators, &rules, &overrides, Some(y)),
        )
    });
    let csv = classification_csv(
        &MapExport {
            region: &region,
            indicators: &indicators,
            rules: &rules,
            overrides: &overrides,
            classification: &classification,
            to_lonlat: None,
            measures: None,
        },
        year,
        earlier.as_ref().map(|(y, c)| (*y, c)),
        lang,
    );
    crate::io::atomic::write_atomically(args.out, csv.as_bytes())
        .map_err(|e| format!("{}: {e}", args.out.display()))?;
    let flagged = classification
        .fields
        .iter()
        .filter(|f| !f.is_empty())
        .count();
    notes.push(format!(
        "{}: {}",
        args.out.display(),
        lang.tf(
            T::LegendSummary,
            &[
                ("n", &format::count(flagged, lang)),
                ("total", &format::count(region.spaces.len(), lang)),
            ],
        )
    ));
    if let Some((y, then)) = &earlier {
        let (mut added, mut dropped) = (0, 0);
        for (before, after) in then.fields.iter().zip(&classification.fields) {
            added += usize::from(!after.difference(*before).is_empty());
            dropped += usize::from(!before.difference(*after).is_empty());
        }
        notes.push(lang.tf(
            T::ClassifyChangeSummary,
            &[
                ("from", &y.to_string()),
                ("added", &format::count(added, lang)),
                ("dropped", &format::count(dropped, lang)),
            ],
        ));
    }
    Ok(notes.join("\n"))
}
