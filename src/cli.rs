//! The command line: the window by default, `check` for a file's import report.
//!
//! Exit codes of `check`: 0 the file is clean, 1 it loaded with problems (features skipped,
//! merged or repaired), 2 it cannot be used at all.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::i18n::Lang;
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
    /// Language of the interface and messages: de or en.
    #[arg(long, global = true, value_parser = parse_lang)]
    pub lang: Option<Lang>,
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
        }
    }
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum CliCommand {
    /// Print the import report of a boundary file.
    Check {
        /// The file.
        path: PathBuf,
        /// Import choices.
        #[command(flatten)]
        import: ImportArgs,
    },
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
            print!("{}", imported.report.to_text(lang));
            if imported.report.is_clean() { 0 } else { 1 }
        }
        Err(ImportError::NothingUsable { report, .. }) => {
            print!("{}", report.to_text(lang));
            eprintln!(
                "{}",
                ImportError::NothingUsable {
                    file: path.display().to_string(),
                    report: report.clone()
                }
                .describe(lang)
            );
            2
        }
        Err(e) => {
            eprintln!("{}", e.describe(lang));
            2
        }
    }
}
