//! The command line, defined in one place with clap.
//!
//! Exit codes: 0 ok, 1 an expectation or regression check failed, 2 bad input, 3 internal error.

use crate::scenario::household::MAX_PERSONS;
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// Parses `--threads N`: 0 (one per core) to [`crate::sim::engine::MAX_THREADS`].
pub fn parse_threads(s: &str) -> Result<usize, String> {
    let max = crate::sim::engine::MAX_THREADS;
    match s.trim().parse::<usize>() {
        Ok(n) if n <= max => Ok(n),
        _ => Err(format!(
            "a whole number from 0 (one thread per core) to {max} is allowed"
        )),
    }
}

/// Parses `--replications N`: 1 to [`crate::scenario::MAX_REPLICATIONS`] (as in the file).
pub fn parse_replications(s: &str) -> Result<u32, String> {
    let max = crate::scenario::MAX_REPLICATIONS;
    match s.trim().parse::<u32>() {
        Ok(n) if (1..=max).contains(&n) => Ok(n),
        _ => Err(format!("a whole number from 1 to {max} is allowed")),
    }
}

/// toeslagenlab: simulate Dutch benefit advances, definitive awards and reclaims, and compare
/// cautious or adjustable advances with a control group.
#[derive(Parser, Debug)]
#[command(name = "toeslagenlab", version, about, long_about = None)]
#[command(
    after_help = "Examples:\n  toeslagenlab new my-pilot\n  toeslagenlab run scenarios/cautious-vs-standard.toml\n  toeslagenlab run scenarios/adjustable.toml --households 20000 --households-csv\n  toeslagenlab explain scenarios/cautious-vs-standard.toml --household 17 --arm cautious\n  toeslagenlab validate scenarios/\n  toeslagenlab params --year 2026\n  toeslagenlab bench --households 100000,1000000\n  toeslagenlab completions bash > ~/.local/share/bash-completion/completions/toeslagenlab\n\nMore: docs/cli.md"
)]
pub struct Cli {
    /// The command.
    #[command(subcommand)]
    pub command: Command,
    /// Print more progress detail to stderr (what is loaded, run, written; timings). `--quiet`
    /// of a command wins over it.
    #[arg(long, short, global = true)]
    pub verbose: bool,
    /// Colour in terminal output: auto (only on a terminal, and not when NO_COLOR is set),
    /// always or never.
    #[arg(long, value_enum, value_name = "WHEN", default_value_t = ColorMode::Auto, global = true)]
    pub color: ColorMode,
}

/// When to colour terminal output (`--color`).
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum ColorMode {
    /// Colour when writing to a terminal and `NO_COLOR` is unset or empty.
    #[default]
    Auto,
    /// Always colour (also into pipes and files).
    Always,
    /// Never colour.
    Never,
}

/// Commands.
#[derive(Subcommand, Debug)]
pub enum Command {
    /// Simulate a scenario and write report.md, summary.json and manifest.json.
    #[command(
        after_help = "Examples:\n  toeslagenlab run scenarios/cautious-vs-standard.toml\n  toeslagenlab run scenarios/adjustable.toml --seed 7 --households 50000 --out /tmp/adj\n  toeslagenlab run scenarios/cautious-vs-standard.toml --households-csv --threads 2 --quiet"
    )]
    Run(RunArgs),
    /// Merge the partial states of every shard of a run (`run --shard K/N`) into the run's
    /// directory: the same files, byte for byte, as one `run` with the same flags writes.
    #[command(
        after_help = "Examples:\n  for k in 0 1 2 3; do toeslagenlab run scenarios/cautious-vs-standard.toml --shard $k/4 --out parts/shard-$k; done\n  toeslagenlab merge parts/shard-* --out output/cautious-vs-standard\n\nThe parts may be given in any order; each shard must be given once. See docs/cluster.md."
    )]
    Merge(MergeArgs),
    /// Check scenario files without running them: reports every problem in every file, exit 2 if any.
    #[command(
        after_help = "Examples:\n  toeslagenlab validate scenarios/cautious-vs-standard.toml\n  toeslagenlab validate scenarios/"
    )]
    Validate {
        /// Scenario files or directories (default: scenarios/).
        paths: Vec<PathBuf>,
    },
    /// Run scenarios and check their `[[expect]]` blocks and baselines (exit 1 if any fails).
    #[command(
        after_help = "Examples:\n  toeslagenlab check\n  toeslagenlab check scenarios/ --baseline scenarios/baselines/ --allow-missing\n  toeslagenlab check scenarios/ --baseline scenarios/baselines/ --update\n  toeslagenlab check scenarios/cautious-vs-standard.toml --junit check.xml"
    )]
    Check(CheckArgs),
    /// Compare two summary.json files metric by metric (exactly for the same seed and version).
    #[command(
        after_help = "Examples:\n  toeslagenlab diff scenarios/baselines/adjustable.json output/adjustable/summary.json"
    )]
    Diff(DiffArgs),
    /// Measure throughput and peak memory of complete runs at growing household counts.
    #[command(
        after_help = "Examples:\n  toeslagenlab bench\n  toeslagenlab bench scenarios/nl-full-scale.toml --households 1000000,5400000\n  toeslagenlab bench --threads 1 --households 100000\n  toeslagenlab bench --compare-limit ../ledger-limit --households 1000000"
    )]
    Bench(BenchArgs),
    /// How many households a real pilot needs to detect the simulated effect.
    #[command(
        after_help = "Examples:\n  toeslagenlab power scenarios/cautious-vs-standard.toml\n  toeslagenlab power scenarios/adjustable.toml --power 0.9 --alpha 0.01"
    )]
    Power(PowerArgs),
    /// Run a scenario over a grid of values of one key and write the trade-off (sweep.csv, chart).
    #[command(
        after_help = "Examples:\n  toeslagenlab sweep scenarios/sweep-cautious-fraction.toml\n  toeslagenlab sweep scenarios/cautious-vs-standard.toml \\\n      --param arms.cautious.fraction=0.70:1.00:0.05\n  toeslagenlab sweep scenarios/cautious-vs-standard.toml \\\n      --param arms.cautious.takeup=0.2:1.0:0.2 --households 20000\n  toeslagenlab sweep scenarios/cautious-vs-standard.toml \\\n      --param parameters.zorgtoeslag.normpremie_rate_above=0.12:0.14:0.005 --out /tmp/sw\n  toeslagenlab sweep scenarios/cautious-vs-standard.toml \\\n      --param arms.cautious.takeup=0.5:0.9:0.1 --by behaviour.selection.strength=-0.5:0.5:0.25 \\\n      --households 20000\n\nSweepable keys: arms.<name>.fraction (cautious arms), arms.<name>.takeup (treatment arms), experiment.households, parameters.<group>.<key> (see `toeslagenlab params`), and any numeric key of the scenario file (behaviour.selection.strength, shocks.income_change.probability, population.income.sigma, …; a list of tables by `name` or `kind`, or by index: shocks[0].probability)."
    )]
    Sweep(SweepArgs),
    /// How sure are we: every comparison under the uncertainty of the scenario's assumptions
    /// (`[uncertainty]`), with total intervals, sensitivity indices and tornado charts.
    #[command(
        after_help = "Examples:\n  toeslagenlab uncertainty scenarios/cautious-vs-standard.toml --draws 200\n  toeslagenlab uncertainty scenarios/adjustable.toml --draws 64 --households 20000 --out /tmp/unc\n\nEvery run uses the scenario's seed (the same households and draws); runs differ by the\nassumptions of [uncertainty] alone. Writes uncertainty.json, report.md, manifest.json and\ncharts/sensitivity_<arm>.{csv,svg,png}. See docs/uncertainty.md."
    )]
    Uncertainty(UncertaintyArgs),
    /// Redraw the charts of a finished run or sweep from its charts/*.csv files.
    #[command(
        after_help = "Examples:\n  toeslagenlab plot output/cautious-vs-standard\n  toeslagenlab plot output/sweep-cautious-fraction-sweep"
    )]
    Plot {
        /// The run directory (holds charts/*.csv).
        run_dir: PathBuf,
        /// Language of the redrawn charts: `en` or `nl` [default: the language the run was
        /// written in, from its manifest.json].
        #[arg(long, value_name = "LANG", value_parser = parse_lang)]
        lang: Option<crate::output::lang::Lang>,
    },
    /// Print the rule parameters in force for a year, with their sources.
    #[command(after_help = "Examples:\n  toeslagenlab params\n  toeslagenlab params --year 2025")]
    Params {
        /// Benefit year.
        #[arg(long, default_value_t = 2026)]
        year: u16,
    },
    /// Compute one household's benefits for a year, with the building blocks and sources.
    #[command(
        after_help = CALC_HELP
    )]
    Calc(CalcArgs),
    /// Compare a scenario's control arm with the public figures (and a `[lab]` block with the
    /// lab findings); print or write the Markdown calibration table.
    #[command(
        after_help = "Examples:\n  toeslagenlab calibrate scenarios/nl-2026.toml\n  toeslagenlab calibrate scenarios/nl-2026.toml scenarios/lab-replication.toml \\\n      scenarios/interventions.toml --write docs/calibration.md\n  toeslagenlab calibrate scenarios/lab-replication.toml"
    )]
    Calibrate(CalibrateArgs),
    /// Tell the month-by-month story of one simulated household of a scenario, in one arm.
    #[command(
        after_help = "The household is exactly the one `run` simulates (same seed, same draws); its totals\nequal its row in households.csv.\n\nExamples:\n  toeslagenlab explain scenarios/cautious-vs-standard.toml --household 17\n  toeslagenlab explain scenarios/adjustable.toml --household 17 --arm adjustable\n  toeslagenlab explain scenarios/cautious-vs-standard.toml --household 17 --seed 7 --json"
    )]
    Explain(ExplainArgs),
    /// Write a fully commented starter scenario NAME.toml (checked by the same loader as `run`).
    #[command(
        after_help = "Examples:\n  toeslagenlab new my-pilot\n  toeslagenlab new my-pilot --dir /tmp/scenarios\n  toeslagenlab new my-pilot --force\n  toeslagenlab run scenarios/my-pilot.toml --households 5000"
    )]
    New(NewArgs),
    /// Print the JSON Schema of scenario files (the same as scenarios/schema.json) for editors.
    #[command(
        after_help = "Examples:\n  toeslagenlab schema\n  toeslagenlab schema > scenarios/schema.json\n\nEditors: put `#:schema ./schema.json` on the first line of a scenario file, or use the\nrepository's .taplo.toml (Taplo, VS Code Even Better TOML), which maps scenarios/*.toml to it."
    )]
    Schema,
    /// Print a shell completion script (bash, zsh, fish, powershell, elvish) to stdout.
    #[command(
        after_help = "Examples:\n  toeslagenlab completions bash > ~/.local/share/bash-completion/completions/toeslagenlab\n  toeslagenlab completions zsh > ~/.zfunc/_toeslagenlab\n  toeslagenlab completions fish > ~/.config/fish/completions/toeslagenlab.fish\n  toeslagenlab completions powershell >> $PROFILE\n  toeslagenlab completions elvish > ~/.config/elvish/lib/toeslagenlab.elv"
    )]
    Completions {
        /// The shell.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
}

/// Options of `new`.
#[derive(Args, Debug, Clone)]
pub struct NewArgs {
    /// The scenario name: the file stem and `experiment.name` (letters, digits, `-` and `_`;
    /// starting with a letter or digit; at most 100 characters). A path (`studies/my-pilot`)
    /// names the directory too, instead of `--dir`.
    pub name: String,
    /// Directory to write NAME.toml into (created if missing) [default: scenarios, or the
    /// directory of a NAME given as a path].
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
    /// Overwrite an existing file.
    #[arg(long)]
    pub force: bool,
}

/// Options of `run`.
#[derive(Args, Debug, Clone)]
pub struct RunArgs {
    /// The scenario file (TOML).
    pub scenario: PathBuf,
    /// Directory for this run's files (default: `output/<scenario name>`).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Seed of all random draws (`--seed`).
    #[command(flatten)]
    pub seed: SeedArg,
    /// Number of households (overrides the scenario).
    #[arg(long, value_name = "N")]
    pub households: Option<i64>,
    /// Worker threads (`--threads`).
    #[command(flatten)]
    pub threads: ThreadsArg,
    /// Also write households.csv: one row per household × arm.
    #[arg(long)]
    pub households_csv: bool,
    /// Also write households.parquet: households.csv's rows and columns, typed (money as
    /// DECIMAL(18,2)), zstd-compressed (docs/outputs.md).
    #[arg(long)]
    pub households_parquet: bool,
    /// Also write monthly_ledger.parquet, the monthly ledger: one row per household × arm × month
    /// (advance paid, the 100% advance, the entitlement, the knowledge state paid on). One-year
    /// runs only.
    #[arg(long)]
    pub monthly_parquet: bool,
    /// Independent replications (different seeds) for Monte Carlo standard errors
    /// (overrides the scenario's `replications`).
    #[arg(long, value_name = "N", value_parser = parse_replications)]
    pub replications: Option<u32>,
    /// Language of report.md, report.html and the charts (`--lang`).
    #[command(flatten)]
    pub lang: LangArg,
    /// Print nothing but errors (`--quiet`).
    #[command(flatten)]
    pub quiet: QuietArg,
    /// Simulate only shard K of N (the households split by id into N ranges, K from 0) and
    /// write its partial state into `--out` for `toeslagenlab merge`; `auto/N` reads K from
    /// SLURM_ARRAY_TASK_ID, JOB_COMPLETION_INDEX or AWS_BATCH_JOB_ARRAY_INDEX (docs/cluster.md).
    #[arg(long, value_name = "K/N", value_parser = crate::cli::shard::parse_shard)]
    pub shard: Option<crate::cli::shard::ShardSpec>,
}

/// Options of `merge`.
#[derive(Args, Debug, Clone)]
pub struct MergeArgs {
    /// The partial-state directories of every shard (`run --shard K/N --out DIR`), in any order.
    #[arg(required = true, value_name = "DIR")]
    pub parts: Vec<PathBuf>,
    /// Directory for the run's files (default: `output/<scenario name>`, as `run`).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Worker threads (`--threads`).
    #[command(flatten)]
    pub threads: ThreadsArg,
    /// Print nothing but errors (`--quiet`).
    #[command(flatten)]
    pub quiet: QuietArg,
}

/// Options of `sweep`.
#[derive(Args, Debug, Clone)]
pub struct SweepArgs {
    /// The scenario file (TOML).
    pub scenario: PathBuf,
    /// What to sweep, KEY=FROM:TO:STEP [default: the scenario's `[sweep]` table].
    #[arg(long, value_name = "KEY=FROM:TO:STEP")]
    pub param: Option<String>,
    /// A second key: a two-way grid of both keys, with a heat map per treatment arm
    /// (`charts/sweep_heatmap_<arm>.*`).
    #[arg(long, value_name = "KEY=FROM:TO:STEP")]
    pub by: Option<String>,
    /// Directory for the sweep's files (default: `output/<scenario name>-sweep`).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Seed of all random draws (`--seed`).
    #[command(flatten)]
    pub seed: SeedArg,
    /// Number of households per grid point (overrides the scenario).
    #[arg(long, value_name = "N")]
    pub households: Option<i64>,
    /// Worker threads (`--threads`).
    #[command(flatten)]
    pub threads: ThreadsArg,
    /// Language of report.md, report.html and the charts (`--lang`).
    #[command(flatten)]
    pub lang: LangArg,
    /// Print nothing but errors (`--quiet`).
    #[command(flatten)]
    pub quiet: QuietArg,
    /// Simulate only shard K of N of the grid points (split into N consecutive ranges) and
    /// write their tallies into `--out` for `toeslagenlab merge`; `auto/N` reads K from
    /// SLURM_ARRAY_TASK_ID, JOB_COMPLETION_INDEX or AWS_BATCH_JOB_ARRAY_INDEX (docs/cluster.md).
    #[arg(long, value_name = "K/N", value_parser = crate::cli::shard::parse_shard)]
    pub shard: Option<crate::cli::shard::ShardSpec>,
}

/// Options of `uncertainty`.
#[derive(Args, Debug, Clone)]
pub struct UncertaintyArgs {
    /// The scenario file (TOML) with an `[uncertainty]` table.
    pub scenario: PathBuf,
    /// Draws of the assumptions [default: the scenario's `[uncertainty] draws`, else 64].
    #[arg(long, value_name = "N")]
    pub draws: Option<usize>,
    /// Directory for the analysis's files (default: `output/<scenario name>-uncertainty`).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Seed of all random draws (`--seed`).
    #[command(flatten)]
    pub seed: SeedArg,
    /// Number of households per run (overrides the scenario).
    #[arg(long, value_name = "N")]
    pub households: Option<i64>,
    /// Worker threads (`--threads`).
    #[command(flatten)]
    pub threads: ThreadsArg,
    /// Language of report.md, report.html and the charts (`--lang`).
    #[command(flatten)]
    pub lang: LangArg,
    /// Print nothing but errors (`--quiet`).
    #[command(flatten)]
    pub quiet: QuietArg,
    /// Simulate only shard K of N of the analysis's runs (central, one-at-a-time and draws, split
    /// into N consecutive ranges) and write their tallies into `--out` for `toeslagenlab merge`;
    /// `auto/N` reads K from SLURM_ARRAY_TASK_ID, JOB_COMPLETION_INDEX or
    /// AWS_BATCH_JOB_ARRAY_INDEX (docs/cluster.md).
    #[arg(long, value_name = "K/N", value_parser = crate::cli::shard::parse_shard)]
    pub shard: Option<crate::cli::shard::ShardSpec>,
}

// Flags shared by several commands, declared once and flattened into each command's options.
// Each keeps its name, help text, default and parser; where two commands word a flag
// differently (e.g. `--threads` of `run` and of `power`) there are two structs.

/// `--seed N` of `run` and `sweep`.
#[derive(Args, Debug, Clone, Copy, Default)]
pub struct SeedArg {
    /// Seed of all random draws (overrides the scenario).
    #[arg(long, value_name = "N", allow_hyphen_values = true)]
    pub seed: Option<u64>,
}

/// `--threads N` of `run` and `sweep` (help says results do not depend on it).
#[derive(Args, Debug, Clone, Copy, Default)]
pub struct ThreadsArg {
    /// Worker threads [default: all cores]. Results do not depend on it.
    #[arg(long, value_name = "N", default_value_t = 0, hide_default_value = true, value_parser = parse_threads)]
    pub threads: usize,
}

/// `--threads` of `check`, `power` and `bench`.
#[derive(Args, Debug, Clone, Copy, Default)]
pub struct WorkerThreadsArg {
    /// Worker threads [default: all cores].
    #[arg(long, value_name = "N", default_value_t = 0, hide_default_value = true, value_parser = parse_threads)]
    pub threads: usize,
}

/// `--quiet`/`-q` of `run` and `sweep`.
#[derive(Args, Debug, Clone, Copy, Default)]
pub struct QuietArg {
    /// Print nothing but errors.
    #[arg(long, short)]
    pub quiet: bool,
}

/// `--lang en|nl` of `run`, `sweep` and `uncertainty`.
#[derive(Args, Debug, Clone, Copy, Default)]
pub struct LangArg {
    /// Language of report.md, report.html and the charts' titles, axes and captions: `en`
    /// (English) or `nl` (Dutch, in the agency's terms: voorschot, terugvordering, nabetaling).
    /// summary.json, the CSV tables and their headers are the same in both.
    #[arg(long, value_name = "LANG", default_value = "en", value_parser = parse_lang)]
    pub lang: crate::output::lang::Lang,
}

/// Parses `--lang`.
pub fn parse_lang(s: &str) -> std::result::Result<crate::output::lang::Lang, String> {
    crate::output::lang::Lang::parse(s)
        .ok_or_else(|| format!("unknown language `{s}`; use `en` (English) or `nl` (Dutch)"))
}

/// Options of `check`.
#[derive(Args, Debug, Clone)]
pub struct CheckArgs {
    /// Scenario files or directories [default: scenarios/].
    pub paths: Vec<PathBuf>,
    /// Compare every metric with the committed baseline summaries in DIR (`<scenario file stem>.json`).
    #[arg(long, value_name = "DIR")]
    pub baseline: Option<PathBuf>,
    /// Rewrite the baselines from this run and print what changed. In a directory only
    /// scenarios with a baseline or expectations are written; name a file to create a new one.
    #[arg(long, requires = "baseline")]
    pub update: bool,
    /// With --baseline: skip the baseline comparison of scenarios without a baseline file (named
    /// on stderr) instead of failing with exit 2.
    #[arg(long, requires = "baseline")]
    pub allow_missing: bool,
    /// Tolerance in Monte Carlo standard errors (runs with another seed or program version;
    /// the same seed and version are compared exactly).
    #[arg(long, default_value_t = 4.0)]
    pub k: f64,
    /// Replications per scenario when comparing with baselines (for the standard errors).
    #[arg(long, default_value_t = 8, value_parser = parse_replications)]
    pub replications: u32,
    /// Seed (overrides every scenario's seed; baselines should stay within tolerance).
    #[arg(long, value_name = "N")]
    pub seed: Option<u64>,
    /// Households per scenario, for a quick CI run (overrides every scenario's; expectations
    /// are checked at this size and baselines within their Monte Carlo tolerance).
    #[arg(long, value_name = "N", conflicts_with = "update")]
    pub households: Option<i64>,
    /// Write JUnit XML for CI systems.
    #[arg(long, value_name = "FILE")]
    pub junit: Option<PathBuf>,
    /// Print machine-readable JSON instead of the table.
    #[arg(long)]
    pub json: bool,
    /// Worker threads [default: all cores] (`--threads`).
    #[command(flatten)]
    pub threads: WorkerThreadsArg,
}

/// Options of `diff`.
#[derive(Args, Debug, Clone)]
pub struct DiffArgs {
    /// The baseline summary.json.
    pub a: PathBuf,
    /// The new summary.json.
    pub b: PathBuf,
    /// Tolerance in Monte Carlo standard errors (runs with different seeds, or an unknown or
    /// different program version; the same seed and version are compared exactly).
    #[arg(long, default_value_t = 4.0)]
    pub k: f64,
    /// List every metric, not only those that moved.
    #[arg(long)]
    pub all: bool,
}

/// Options of `power`.
#[derive(Args, Debug, Clone)]
pub struct PowerArgs {
    /// The scenario file (TOML).
    pub scenario: PathBuf,
    /// Statistical power wanted.
    #[arg(long, default_value_t = 0.8)]
    pub power: f64,
    /// Two-sided significance level.
    #[arg(long, default_value_t = 0.05)]
    pub alpha: f64,
    /// Number of households to simulate (overrides the scenario).
    #[arg(long, value_name = "N")]
    pub households: Option<i64>,
    /// Seed (overrides the scenario).
    #[arg(long, value_name = "N")]
    pub seed: Option<u64>,
    /// Worker threads [default: all cores] (`--threads`).
    #[command(flatten)]
    pub threads: WorkerThreadsArg,
}

/// Options of `bench`.
#[derive(Args, Debug, Clone)]
pub struct BenchArgs {
    /// Scenario files to measure [default: scenarios/bench-zorgtoeslag.toml and
    /// scenarios/nl-full-scale.toml].
    pub scenarios: Vec<PathBuf>,
    /// Household counts to measure, ascending [default: 10000,100000,1000000,5400000].
    #[arg(long, value_delimiter = ',', value_name = "N,N,...")]
    pub households: Vec<i64>,
    /// Worker threads [default: all cores] (`--threads`).
    #[command(flatten)]
    pub threads: WorkerThreadsArg,
    /// Also write households.csv (streamed) to measure its cost.
    #[arg(long)]
    pub households_csv: bool,
    /// Also write households.parquet (streamed) to measure its cost.
    #[arg(long)]
    pub households_parquet: bool,
    /// Print the measurements as JSON (one array) instead of the table.
    #[arg(long)]
    pub json: bool,
    /// Measure `uncertainty` with N draws instead of `run` [default scenario:
    /// scenarios/cautious-vs-standard.toml; default households: the scenario's]: its time
    /// against the time of its draws' single runs, measured in the same analysis.
    #[arg(long, value_name = "N")]
    pub uncertainty_draws: Option<usize>,
    /// Measure CPU time against a reference program run alternately in the same session
    /// (e.g. the tight-loop limit of the bench model, called as `PATH HOUSEHOLDS THREADS`):
    /// three rounds per size, the median of the rounds' ratios [default scenario:
    /// scenarios/bench-zorgtoeslag.toml; default households: 1000000].
    #[arg(long, value_name = "PATH", conflicts_with = "uncertainty_draws")]
    pub compare_limit: Option<PathBuf>,
}

/// Parses `--persons N`: 1 to [`MAX_PERSONS`].
fn parse_persons(s: &str) -> std::result::Result<i64, String> {
    match s.trim().parse::<i64>() {
        Ok(n) if (1..=MAX_PERSONS).contains(&n) => Ok(n),
        _ => Err(format!("a whole number from 1 to {MAX_PERSONS} is allowed")),
    }
}

/// The `calc --help` epilogue: the household file format and examples.
const CALC_HELP: &str = "\
Household file (--household FILE), TOML, amounts in euros, unknown keys are errors:
  year = 2026                 # optional; --year wins
  income = 30000              # the applicant's assessed annual income (required)
  partner_income = 12000      # optional; or `partner = true` with no income
  assets = 0                  # joint assets on 1 January
  rent = 650                  # monthly kale huur (needed for huurtoeslag)
  persons = 3                 # optional: persons beyond those listed are co-residents
  age = 19                    # optional: the applicant's age (default: an adult)
  partner_age = 20            # optional
  [[co_residents]]            # repeatable
  income = 8000
  age = 20                    # optional, on 1 January (default: an adult)
  child = true                # optional: a child living at home (income exemption under 23)
  assets = 0                  # optional: own assets on 1 January
  [[children]]                # repeatable
  age = 2                     # on 1 January
  birthday = 6                # optional: birthday month; a year older from the month after
  care = \"dagopvang\"          # optional: dagopvang, bso or gastouder, then also:
  hours = 120                 # hours of care per month
  # hours_by_month = [150, 150, 150, 150, 150, 150, 300, 300, 300, 300, 300, 300]
  #                           # instead of hours: Jan-Dec (unused hours carry forward)
  price = 10.50               # hourly price
A reference case (tests/cases/*.toml: description, source, source_kind, the household under
[household] with [[household.children]] etc., and [expected.<benefit>] annual/monthly/tolerance)
is read as well: its household is computed and each expected amount is compared with the result.

--json prints {\"year\", \"benefits\": {name: {\"annual\", \"monthly\", \"available\",
\"exact_annual\", \"building_blocks\"}}, \"total\": {\"annual\", \"monthly\"}, \"notes\"}: amounts
in euros, rates and percentages as numbers (0.96 for 96%).

Examples:
  toeslagenlab calc --year 2026 --income 30000
  toeslagenlab calc --income 30000 --json
  toeslagenlab calc --income 24000 --partner-income 12000 --rent 750 \\
      --child 3:dagopvang:120:10.50 --child 8:bso:40:9.50
  toeslagenlab calc --income 15000 --rent 700 --age 19
  toeslagenlab calc --household my-household.toml
  toeslagenlab calc --household tests/cases/zorgtoeslag_2026_single_30000.toml";

/// Options of `toeslagenlab calc`.
#[derive(Args, Debug, Clone, Default)]
pub struct CalcArgs {
    /// Benefit year [default: the household file's `year`, else 2026].
    #[arg(long, value_name = "YEAR")]
    pub year: Option<u16>,
    /// The applicant's assessed annual income (toetsingsinkomen), euros.
    #[arg(long, value_name = "EUR")]
    pub income: Option<String>,
    /// The applicant has a benefit partner (toeslagpartner).
    #[arg(long)]
    pub partner: bool,
    /// The partner's assessed annual income, euros (implies --partner).
    #[arg(long, value_name = "EUR")]
    pub partner_income: Option<String>,
    /// Joint assets (vermogen) on 1 January, euros.
    #[arg(long, value_name = "EUR")]
    pub assets: Option<String>,
    /// Monthly rent (kale huur), euros; needed for huurtoeslag.
    #[arg(long, value_name = "EUR")]
    pub rent: Option<String>,
    /// Persons living at the address; persons beyond the applicant, partner, children and
    /// co-residents given count as co-residents without income.
    #[arg(long, value_name = "N", value_parser = parse_persons)]
    pub persons: Option<i64>,
    /// A co-resident's annual income (repeatable), optionally `:AGE` (on 1 January) and
    /// `:child` for a child living at home: a child under 23 on 1 January has its income
    /// counted only above the exempt amount, e.g. `8000:20:child`.
    #[arg(long = "co-resident-income", value_name = "EUR[:AGE[:child]]")]
    pub co_resident_income: Vec<String>,
    /// The applicant's age (huurtoeslag: everyone under 21 and no child caps the rent counted
    /// at the kwaliteitskortingsgrens) [default: an adult past every age limit].
    #[arg(long, value_name = "N")]
    pub age: Option<String>,
    /// The partner's age [default: an adult past every age limit].
    #[arg(long, value_name = "N")]
    pub partner_age: Option<String>,
    /// A child (repeatable): its age, and optionally its childcare: type (dagopvang, bso,
    /// gastouder), hours per month and hourly price, e.g. `--child 2:dagopvang:120:10.50`.
    #[arg(long = "child", value_name = "AGE[:TYPE:HOURS:PRICE]")]
    pub child: Vec<String>,
    /// Read the household from a TOML file instead of the flags above (the format is below; a
    /// reference case from tests/cases/ is read too).
    #[arg(
        long,
        value_name = "FILE",
        conflicts_with_all = ["income", "partner", "partner_income", "assets", "rent", "persons", "co_resident_income", "child", "age", "partner_age"]
    )]
    pub household: Option<PathBuf>,
    /// Print JSON: `{"year":…,"benefits":{"zorgtoeslag":{"annual":…,"monthly":…},…},
    /// "total":{"annual":…,"monthly":…}}` (rates as numbers).
    #[arg(long)]
    pub json: bool,
}

/// Options of `calibrate`.
#[derive(Args, Debug, Clone)]
pub struct CalibrateArgs {
    /// Scenario files (TOML); their tables follow each other in this order.
    #[arg(required = true)]
    pub scenarios: Vec<PathBuf>,
    /// Number of households (overrides the scenario).
    #[arg(long, value_name = "N")]
    pub households: Option<i64>,
    /// Seed of all random draws (overrides the scenario).
    #[arg(long, value_name = "N")]
    pub seed: Option<u64>,
    /// Worker threads [default: all cores]. Results do not depend on it.
    #[arg(long, value_name = "N", default_value_t = 0, hide_default_value = true, value_parser = parse_threads)]
    pub threads: usize,
    /// Write the tables to this Markdown file instead of printing them.
    #[arg(long, value_name = "FILE")]
    pub write: Option<PathBuf>,
}

/// Options of `toeslagenlab explain`.
#[derive(Args, Debug, Clone)]
pub struct ExplainArgs {
    /// The scenario file (TOML).
    pub scenario: PathBuf,
    /// The household id, 0 to households − 1 (as in households.csv).
    #[arg(long, value_name = "ID", allow_hyphen_values = true)]
    pub household: i64,
    /// The arm [default: the control arm; in a randomized design the arm the household was
    /// assigned to].
    #[arg(long, value_name = "NAME")]
    pub arm: Option<String>,
    /// Seed of all random draws (overrides the scenario, as `run --seed` does).
    #[arg(long, value_name = "N")]
    pub seed: Option<u64>,
    /// Print a machine-readable JSON document instead of the table.
    #[arg(long)]
    pub json: bool,
}
