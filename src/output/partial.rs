//! The partial state of one shard of a run (`run --shard K/N`): `partial.json`, the exact
//! accumulators of the shard's households with everything `merge` needs to check that the
//! parts belong together, and its reading back.
//!
//! The accumulators are integer counts and sums, merged exactly and in any order (as the
//! worker threads' are), so the merge of every shard is the tally a single run makes and
//! `merge` writes the same bytes. The file is JSON (integers of up to 128 bits written in
//! full): readable, and versioned by [`FORMAT_VERSION`]; a part written by another program
//! version is refused rather than reinterpreted.
//!
//! Must not: simulate, decide what a run writes from the state (that is `cli::merge`), print.

use crate::analysis::horizon::HorizonResult;
use crate::analysis::run::RunResult;
use crate::error::{Diagnostic, Error, Result};
use serde::{Deserialize, Serialize};
use std::io::Read;
use std::path::{Path, PathBuf};

/// The file of a partial-state directory.
pub const PARTIAL_FILE: &str = "partial.json";

/// What `partial.json` says it is.
pub const FORMAT: &str = "toeslagenlab-partial";

/// The version of the partial-state format; [`read_head`] refuses any other.
pub const FORMAT_VERSION: u32 = 1;

/// Largest `partial.json` read: far above a national run's (a few megabytes: the histograms
/// grow with the range of amounts, the pair sample is bounded, neither with households).
pub const MAX_PARTIAL_BYTES: u64 = 1 << 30;

/// What every shard of one run must agree on: the command, the scenario, the seed, the flags
/// that change what a run writes, the program and the number of shards.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunIdentity {
    /// [`FORMAT`].
    pub format: String,
    /// [`FORMAT_VERSION`].
    pub format_version: u32,
    /// The toeslagenlab version that wrote the part.
    pub program_version: String,
    /// The sharded command: `run` (split by households), `uncertainty` (split by runs) or
    /// `sweep` (split by grid points).
    pub command: String,
    /// The units of work split into shards: households (`run`) or runs of the plan
    /// (`uncertainty`).
    pub units: u64,
    /// `uncertainty`: the draws (after `--draws`); 0 for `run`.
    pub draws: usize,
    /// The scenario file as given to `run` (report.md and manifest.json name it so).
    pub scenario_file: String,
    /// SHA-256 of the scenario file's text.
    pub scenario_sha256: String,
    /// The scenario's name.
    pub scenario_name: String,
    /// The run's seed (after `--seed`).
    pub seed: u64,
    /// Households of the whole run (after `--households`).
    pub households: u64,
    /// Replications (after `--replications`).
    pub replications: u32,
    /// Whether the shards wrote their rows of households.csv (`--households-csv`).
    pub households_csv: bool,
    /// The output language (`--lang`).
    pub lang: String,
    /// `--seed` as given (`merge` loads the scenario as `run` did).
    pub seed_flag: Option<u64>,
    /// `--households` as given.
    pub households_flag: Option<i64>,
    /// `--replications` as given.
    pub replications_flag: Option<u32>,
    /// Whether the shards wrote households.parquet's pieces (`--households-parquet`).
    #[serde(default)]
    pub households_parquet: bool,
    /// Every cut between shards is at a multiple of this many units (households.parquet's
    /// chunk of households; 1 otherwise).
    #[serde(default = "one")]
    pub align: u64,
    /// `sweep`: `--param` as given.
    #[serde(default)]
    pub sweep_param: Option<String>,
    /// `sweep`: `--by` as given.
    #[serde(default)]
    pub sweep_by: Option<String>,
    /// N: the number of shards.
    pub shards: u32,
}

fn one() -> u64 {
    1
}

/// One shard's part.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Partial {
    /// What the shards share.
    pub run: RunIdentity,
    /// The working directory of the shard's `run`, where a relative `scenario_file` is found.
    pub working_dir: String,
    /// K: this shard's index, 0-based.
    pub shard: u32,
    /// The shard's first unit of work: a household id (`run`) or a run index of the plan
    /// (`uncertainty`).
    pub first: u64,
    /// One past its last unit.
    pub end: u64,
    /// The accumulators.
    pub state: PartialState,
}

/// The accumulators of a shard, unfinished statistics of its households only.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PartialState {
    /// A one-year run.
    OneYear {
        /// The run.
        main: Box<RunResult>,
        /// Replications 2, 3, … in order (each with its own seed).
        replications: Vec<RunResult>,
        /// The run again under each other selection strength, in the scenario's order.
        selection: Vec<RunResult>,
    },
    /// A multi-year run (`[horizon]`).
    Horizon {
        /// Every year's tally and the debts.
        result: HorizonResult,
    },
    /// Runs `first..end` of an uncertainty plan: each run's tally is in its own file,
    /// [`RUNS_DIR`]`/`[`run_file`]`(i)`, so a merge holds one at a time.
    Uncertainty,
    /// Grid points `first..end` of a sweep, each point's tally in its own file as for
    /// [`PartialState::Uncertainty`].
    Sweep,
}

/// The directory of an uncertainty shard's run tallies.
pub const RUNS_DIR: &str = "runs";

/// The file of run `i` of an uncertainty plan, in [`RUNS_DIR`].
pub fn run_file(i: u64) -> String {
    format!("run-{i:06}.json")
}

/// Whether `name` is a [`run_file`] name (for recognising a previous output).
pub fn is_run_file(name: &str) -> bool {
    name.strip_prefix("run-")
        .and_then(|r| r.strip_suffix(".json"))
        .is_some_and(|d| d.len() >= 6 && d.bytes().all(|b| b.is_ascii_digit()))
}

/// A run tally's file text.
pub fn run_json(r: &RunResult) -> Result<String> {
    let mut s = serde_json::to_string(r)
        .map_err(|e| Error::Internal(format!("cannot write a run's tally: {e}")))?;
    s.push('\n');
    Ok(s)
}

/// Reads run `i`'s tally from the uncertainty shard in `dir` (bounded, located errors).
pub fn read_run(dir: &Path, i: u64) -> Result<RunResult> {
    let path = dir.join(RUNS_DIR).join(run_file(i));
    let file = std::fs::File::open(&path).map_err(|e| {
        if e.kind() == std::io::ErrorKind::NotFound {
            Error::Usage(format!(
                "{}: has no {RUNS_DIR}/{}, which its shard writes; the part is damaged",
                dir.display(),
                run_file(i)
            ))
        } else {
            Error::io(&path, e)
        }
    })?;
    let mut text = String::new();
    file.take(MAX_PARTIAL_BYTES + 1)
        .read_to_string(&mut text)
        .map_err(|e| Error::io(&path, e))?;
    if text.len() as u64 > MAX_PARTIAL_BYTES {
        return Err(Error::Usage(format!(
            "{}: larger than {} MiB, which no shard writes",
            path.display(),
            MAX_PARTIAL_BYTES >> 20
        )));
    }
    serde_json::from_str(&text).map_err(|e| damaged(&path, e))
}

/// `partial.json`'s text.
pub fn partial_json(p: &Partial) -> Result<String> {
    let mut s = serde_json::to_string(p)
        .map_err(|e| Error::Internal(format!("cannot write {PARTIAL_FILE}: {e}")))?;
    s.push('\n');
    Ok(s)
}

/// What `merge` checks of a part before reading its accumulators: [`Partial`] without them.
#[derive(Clone, Debug, Deserialize)]
pub struct PartialHead {
    /// What the shards share.
    pub run: RunIdentity,
    /// The working directory of the shard's `run`.
    pub working_dir: String,
    /// K.
    pub shard: u32,
    /// The shard's first unit of work: a household id (`run`) or a run index of the plan
    /// (`uncertainty`).
    pub first: u64,
    /// One past its last unit.
    pub end: u64,
}

/// Reads the identity of the partial state in directory `dir`, with a located error (exit 2)
/// when it is not one.
pub fn read_head(dir: &Path) -> Result<PartialHead> {
    let (path, text) = read_text(dir)?;
    serde_json::from_str(&text).map_err(|e| damaged(&path, e))
}

/// Reads the accumulators of the partial state in directory `dir` (checked as [`read_head`]
/// does).
pub fn read_state(dir: &Path) -> Result<PartialState> {
    #[derive(Deserialize)]
    struct State {
        state: PartialState,
    }
    let (path, text) = read_text(dir)?;
    let s: State = serde_json::from_str(&text).map_err(|e| damaged(&path, e))?;
    Ok(s.state)
}

fn damaged(path: &Path, e: serde_json::Error) -> Error {
    Error::Input(vec![Diagnostic {
        file: path.to_path_buf(),
        line: Some(e.line()),
        col: Some(e.column()),
        key: None,
        message: format!("a damaged partial state: {e}"),
    }])
}

/// `dir/partial.json`'s path and text, once its format and program version are known to be
/// this program's.
fn read_text(dir: &Path) -> Result<(PathBuf, String)> {
    let path = dir.join(PARTIAL_FILE);
    let usage = |m: String| Error::Usage(format!("{}: {m}", dir.display()));
    if !dir.is_dir() {
        return Err(usage(
            "is not a directory; give the --out directories of `toeslagenlab run --shard K/N`"
                .into(),
        ));
    }
    let file = std::fs::File::open(&path).map_err(|e| {
        if e.kind() == std::io::ErrorKind::NotFound {
            usage(format!(
                "has no {PARTIAL_FILE}, so it is not a shard's partial state; give the --out directories of `toeslagenlab run --shard K/N`"
            ))
        } else {
            Error::io(&path, e)
        }
    })?;
    let mut text = String::new();
    file.take(MAX_PARTIAL_BYTES + 1)
        .read_to_string(&mut text)
        .map_err(|e| Error::io(&path, e))?;
    if text.len() as u64 > MAX_PARTIAL_BYTES {
        return Err(usage(format!(
            "{PARTIAL_FILE} is larger than {} MiB, which no shard writes",
            MAX_PARTIAL_BYTES >> 20
        )));
    }
    // The format and version first, so a part of another version gets that message rather
    // than a parse error.
    #[derive(Deserialize)]
    struct Head {
        run: HeadRun,
    }
    #[derive(Deserialize)]
    struct HeadRun {
        format: String,
        format_version: u32,
        program_version: String,
    }
    let head: Head = serde_json::from_str(&text).map_err(|e| {
        Error::Input(vec![Diagnostic {
            file: path.clone(),
            line: Some(e.line()),
            col: Some(e.column()),
            key: None,
            message: format!("not a toeslagenlab partial state ({e})"),
        }])
    })?;
    if head.run.format != FORMAT {
        return Err(usage(format!(
            "{PARTIAL_FILE} is a {:?}, not a {FORMAT:?}",
            head.run.format
        )));
    }
    if head.run.format_version != FORMAT_VERSION
        || head.run.program_version != env!("CARGO_PKG_VERSION")
    {
        return Err(usage(format!(
            "was written by toeslagenlab {} (partial format {}), this is {} (format {FORMAT_VERSION}); run every shard and the merge with the same program",
            head.run.program_version,
            head.run.format_version,
            env!("CARGO_PKG_VERSION")
        )));
    }
    Ok((path, text))
}

/// Checks that `parts` (each with its directory) are every shard of one run, each once, and
/// returns them in shard order.
pub fn check_complete(parts: Vec<(PathBuf, PartialHead)>) -> Result<Vec<(PathBuf, PartialHead)>> {
    let Some((first_dir, first)) = parts.first() else {
        return Err(Error::Usage(
            "merge: no partial-state directories given".into(),
        ));
    };
    let (first_dir, want) = (first_dir.clone(), first.run.clone());
    for (dir, p) in &parts {
        if p.run != want {
            return Err(Error::Usage(format!(
                "{} and {} are not shards of the same run: {}",
                first_dir.display(),
                dir.display(),
                identity_difference(&want, &p.run)
            )));
        }
    }
    let n = want.shards as usize;
    let mut by_index: Vec<Option<(PathBuf, PartialHead)>> = (0..n).map(|_| None).collect();
    for (dir, p) in parts {
        let k = p.shard as usize;
        let ids =
            crate::sim::runner::shard_ids_aligned(want.units, p.shard, want.shards, want.align);
        if k >= n || p.first != ids.start || p.end != ids.end {
            return Err(Error::Usage(format!(
                "{}: shard {} of {} with units {}..{}, which is not how {} units split into {} shards; the part is damaged",
                dir.display(),
                p.shard,
                want.shards,
                p.first,
                p.end,
                want.units,
                want.shards
            )));
        }
        if let Some((other, _)) = &by_index[k] {
            return Err(Error::Usage(format!(
                "shard {k}/{n} is given twice: {} and {}",
                other.display(),
                dir.display()
            )));
        }
        by_index[k] = Some((dir, p));
    }
    let missing: Vec<String> = by_index
        .iter()
        .enumerate()
        .filter(|(_, p)| p.is_none())
        .map(|(k, _)| k.to_string())
        .collect();
    if !missing.is_empty() {
        return Err(Error::Usage(format!(
            "merge: {} of the {n} shards {} missing (shard {}); run them with --shard K/{n} and give every part",
            missing.len(),
            if missing.len() == 1 { "is" } else { "are" },
            missing.join(", ")
        )));
    }
    Ok(by_index.into_iter().flatten().collect())
}

/// Words for how two runs' identities differ (the first field that does).
fn identity_difference(a: &RunIdentity, b: &RunIdentity) -> String {
    let flag = |v: Option<String>| v.unwrap_or_else(|| "(not given)".into());
    let fields: [(&str, String, String); 16] = [
        (
            "--households-parquet",
            a.households_parquet.to_string(),
            b.households_parquet.to_string(),
        ),
        (
            "--param",
            flag(a.sweep_param.clone()),
            flag(b.sweep_param.clone()),
        ),
        ("--by", flag(a.sweep_by.clone()), flag(b.sweep_by.clone())),
        ("command", a.command.clone(), b.command.clone()),
        ("--draws", a.draws.to_string(), b.draws.to_string()),
        (
            "scenario file",
            a.scenario_file.clone(),
            b.scenario_file.clone(),
        ),
        (
            "scenario (SHA-256)",
            a.scenario_sha256.clone(),
            b.scenario_sha256.clone(),
        ),
        ("seed", a.seed.to_string(), b.seed.to_string()),
        (
            "households",
            a.households.to_string(),
            b.households.to_string(),
        ),
        (
            "number of shards",
            a.shards.to_string(),
            b.shards.to_string(),
        ),
        (
            "replications",
            a.replications.to_string(),
            b.replications.to_string(),
        ),
        (
            "--households-csv",
            a.households_csv.to_string(),
            b.households_csv.to_string(),
        ),
        ("--lang", a.lang.clone(), b.lang.clone()),
        (
            "--seed",
            flag(a.seed_flag.map(|x| x.to_string())),
            flag(b.seed_flag.map(|x| x.to_string())),
        ),
        (
            "--households",
            flag(a.households_flag.map(|x| x.to_string())),
            flag(b.households_flag.map(|x| x.to_string())),
        ),
        (
            "--replications",
            flag(a.replications_flag.map(|x| x.to_string())),
            flag(b.replications_flag.map(|x| x.to_string())),
        ),
    ];
    fields
        .iter()
        .find(|(_, x, y)| x != y)
        .map(|(what, x, y)| {
            format!("{what} {x} against {y}; run every shard with the same scenario and flags")
        })
        .unwrap_or_else(|| "they differ; run every shard with the same scenario and flags".into())
}
