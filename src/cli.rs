//! The command line, defined in one place with clap.
//!
//! Exit codes: 0 ok, 1 an expectation or regression check failed, 2 bad input, 3 internal error.

use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

/// toeslagenlab: simulate Dutch benefit advances, definitive awards and reclaims, and compare
/// cautious or adjustable advances with a control group.
#[derive(Parser, Debug)]
#[command(name = "toeslagenlab", version, about, long_about = None)]
#[command(
    after_help = "Examples:\n  toeslagenlab run scenarios/cautious-vs-standard.toml\n  toeslagenlab run scenarios/adjustable.toml --households 20000 --households-csv\n  toeslagenlab validate scenarios/\n  toeslagenlab params --year 2026"
)]
pub struct Cli {
    /// The command.
    #[command(subcommand)]
    pub command: Command,
}

/// Commands.
#[derive(Subcommand, Debug)]
pub enum Command {
    /// Simulate a scenario and write report.md, summary.json and manifest.json.
    #[command(
        after_help = "Examples:\n  toeslagenlab run scenarios/cautious-vs-standard.toml\n  toeslagenlab run scenarios/adjustable.toml --seed 7 --households 50000 --out /tmp/adj\n  toeslagenlab run scenarios/cautious-vs-standard.toml --households-csv --threads 2 --quiet"
    )]
    Run(RunArgs),
    /// Check scenario files without running them: reports every problem in every file, exit 2 if any.
    #[command(
        after_help = "Examples:\n  toeslagenlab validate scenarios/cautious-vs-standard.toml\n  toeslagenlab validate scenarios/"
    )]
    Validate {
        /// Scenario files or directories (default: scenarios/).
        paths: Vec<PathBuf>,
    },
    /// Print the rule parameters in force for a year, with their sources.
    #[command(after_help = "Examples:\n  toeslagenlab params\n  toeslagenlab params --year 2025")]
    Params {
        /// Benefit year.
        #[arg(long, default_value_t = 2026)]
        year: u16,
    },
}

/// Options of `run`.
#[derive(Args, Debug, Clone)]
pub struct RunArgs {
    /// The scenario file (TOML).
    pub scenario: PathBuf,
    /// Directory for this run's files [default: output/<scenario name>].
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Seed of all random draws (overrides the scenario).
    #[arg(long, value_name = "N")]
    pub seed: Option<u64>,
    /// Number of households (overrides the scenario).
    #[arg(long, value_name = "N")]
    pub households: Option<i64>,
    /// Worker threads [default: all cores]. Results do not depend on it.
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub threads: usize,
    /// Also write households.csv: one row per household × arm.
    #[arg(long)]
    pub households_csv: bool,
    /// Print nothing but errors.
    #[arg(long, short)]
    pub quiet: bool,
}
