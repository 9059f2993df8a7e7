//! Sharded runs: the shard side of `run --shard K/N` (its partial-state directory) and
//! `toeslagenlab merge`, which checks that the parts belong together and are complete, adds
//! their exact accumulators up and writes what a single `run` writes, households.csv included.
//!
//! Owns the order of the steps; the partial-state format is `output::partial`, the
//! statistics and files come from the same functions `run` uses. Must not compute results.

use crate::analysis::horizon::HorizonResult;
use crate::analysis::replications::replication_scenario;
use crate::analysis::run::RunResult;
use crate::analysis::selection_sensitivity;
use crate::cli::args::{LangArg, MergeArgs, RunArgs, SeedArg, SweepArgs, UncertaintyArgs};
use crate::cli::dispatch::on_threads;
use crate::cli::run::{detail, manifest, write_run, Passes};
use crate::cli::shard::Shard;
use crate::cli::term;
use crate::error::{Error, Result};
use crate::output::partial::{self, Partial, PartialHead, PartialState, RunIdentity};
use crate::output::{safe_dir_name, Staging};
use crate::scenario::overrides::load_with_overrides;
use crate::scenario::Scenario;
use crate::sim::engine::Tally;
use crate::sim::horizon::HorizonTally;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

/// The shard `run --shard` asks for (its index read from the environment for `auto/N`), or
/// `None` for a whole run; refuses the per-household files a shard cannot write yet.
pub(crate) fn shard_of(args: &RunArgs) -> Result<Option<Shard>> {
    let Some(spec) = args.shard else {
        return Ok(None);
    };
    if args.monthly_parquet {
        return Err(Error::Usage(
            "--shard: a sharded run does not write monthly_ledger.parquet yet (merge cannot join its row groups); use households.csv or households.parquet, or run without --shard for the monthly ledger".into(),
        ));
    }
    spec.from_env().map(Some)
}

/// Every cut between the shards of `args`'s run is at a multiple of this many households:
/// households.parquet's chunk with `--households-parquet` (its pages are cut per chunk, so a
/// shard must start where a chunk of the whole run starts), else 1.
fn align(args: &RunArgs) -> u64 {
    if args.households_parquet {
        crate::output::parquet::HOUSEHOLDS_PER_PAGE as u64
    } else {
        1
    }
}

/// The household ids of `shard` of the run of `args` on `sc`.
pub(crate) fn shard_households(
    args: &RunArgs,
    sc: &Scenario,
    shard: Shard,
) -> std::ops::Range<u64> {
    crate::sim::runner::shard_ids_aligned(sc.households, shard.index, shard.count, align(args))
}

/// What every shard of the run of `args` on `sc` records and `merge` compares.
fn identity(args: &RunArgs, sc: &Scenario, shards: u32) -> RunIdentity {
    RunIdentity {
        format: partial::FORMAT.into(),
        format_version: partial::FORMAT_VERSION,
        program_version: env!("CARGO_PKG_VERSION").into(),
        command: "run".into(),
        units: sc.households,
        draws: 0,
        scenario_file: args.scenario.display().to_string(),
        scenario_sha256: sc.sha256.clone(),
        scenario_name: sc.name.clone(),
        seed: sc.seed,
        households: sc.households,
        replications: args.replications.unwrap_or(sc.replications).max(1),
        households_csv: args.households_csv,
        households_parquet: args.households_parquet,
        align: align(args),
        lang: args.lang.lang.code().into(),
        seed_flag: args.seed.seed,
        households_flag: args.households,
        replications_flag: args.replications,
        sweep_param: None,
        sweep_by: None,
        shards,
    }
}

/// Writes a shard's partial state (and manifest.json) into `staging` and commits it; its
/// households.csv rows, if any, are already there.
pub(crate) fn write_partial(
    args: &RunArgs,
    sc: &Scenario,
    shard: Shard,
    state: PartialState,
    staging: Staging,
    started: Instant,
) -> Result<PathBuf> {
    let ids = shard_households(args, sc, shard);
    let wd = std::env::current_dir().map_err(|e| Error::io(Path::new("."), e))?;
    let p = Partial {
        run: identity(args, sc, shard.count),
        working_dir: wd.display().to_string(),
        shard: shard.index,
        first: ids.start,
        end: ids.end,
        state,
    };
    staging.write(partial::PARTIAL_FILE, partial::partial_json(&p)?.as_bytes())?;
    let mut m: serde_json::Value =
        serde_json::from_str(&manifest(sc, args, started.elapsed().as_secs_f64()))
            .map_err(|e| Error::Internal(format!("manifest.json does not read back: {e}")))?;
    m["shard"] = serde_json::json!({
        "index": shard.index,
        "count": shard.count,
        "first_household": ids.start,
        "end_household": ids.end,
    });
    let mut text = serde_json::to_string_pretty(&m).unwrap_or_default();
    text.push('\n');
    staging.write("manifest.json", text.as_bytes())?;
    let dir = staging.commit()?;
    if !args.quiet.quiet {
        term::out(format!(
            "wrote shard {shard} (households {}..{} of {}) into {}/ in {:.1} s\nwhen all {} shards are done: toeslagenlab merge DIR… --out OUT (every shard's directory, in any order)\n",
            ids.start,
            ids.end,
            sc.households,
            dir.display(),
            started.elapsed().as_secs_f64(),
            shard.count
        ))?;
    }
    Ok(dir)
}

/// `toeslagenlab merge DIR… [--out OUT]`: returns the run directory written.
pub fn merge_command(args: &MergeArgs) -> Result<PathBuf> {
    on_threads(args.threads.threads, || merge_in_pool(args))
}

fn merge_in_pool(args: &MergeArgs) -> Result<PathBuf> {
    let started = Instant::now();
    let quiet = args.quiet.quiet;
    let mut heads = Vec::with_capacity(args.parts.len());
    for d in &args.parts {
        heads.push((d.clone(), partial::read_head(d)?));
    }
    let parts = partial::check_complete(heads)?;
    match parts[0].1.run.command.as_str() {
        "uncertainty" => return merge_uncertainty(args, &parts, started),
        "sweep" => return merge_sweep(args, &parts, started),
        _ => {}
    }
    let (sc, file, run_args) = scenario_of(args, &parts[0].1)?;
    let id = &parts[0].1.run;
    let _lang = crate::output::lang::scoped(run_args.lang.lang);
    crate::output::interrupt::install();
    let target = args
        .out
        .clone()
        .unwrap_or_else(|| Path::new("output").join(safe_dir_name(&sc.name)));
    let inputs: Vec<PathBuf> = std::iter::once(file.clone())
        .chain(parts.iter().map(|(d, _)| d.join(partial::PARTIAL_FILE)))
        .collect();
    let inputs: Vec<&Path> = inputs.iter().map(PathBuf::as_path).collect();
    let staging = Staging::new(&target, &inputs)?;
    let mut written: Vec<&str> = Vec::new();
    if id.households_csv {
        written.push("households.csv");
        if sc.horizon.is_some() {
            written.push("households_debts.csv");
        }
    }
    for name in &written {
        concatenate(&staging, name, &parts)?;
    }
    if id.households_parquet {
        splice_parquet(&staging, &sc, &parts)?;
        written.push("households.parquet");
    }
    detail(
        quiet,
        format!(
            "read {} shards of {} ({} households) at {:.2} s",
            parts.len(),
            id.scenario_file,
            id.households,
            started.elapsed().as_secs_f64()
        ),
    );
    if let Some(h) = &sc.horizon {
        let years: Vec<Scenario> = (0..h.years.len())
            .map(|t| crate::sim::horizon::year_scenario(&sc, t))
            .collect();
        let mut total = <HorizonResult as HorizonTally>::empty(&sc, &years);
        for (dir, _) in &parts {
            match partial::read_state(dir)? {
                PartialState::Horizon { result } => HorizonTally::merge(&mut total, &result),
                PartialState::OneYear { .. } | PartialState::Uncertainty | PartialState::Sweep => {
                    return Err(wrong_kind(dir, "another run"))
                }
            }
        }
        HorizonTally::finish(&mut total);
        return crate::cli::run_horizon::write_horizon(
            &run_args, &sc, &total, staging, &written, started,
        );
    }
    let replications = id.replications;
    let strengths = if selection_sensitivity::matters(&sc) {
        selection_sensitivity::alternatives(&sc)
    } else {
        vec![]
    };
    let rep_scenarios: Vec<Scenario> = (1..replications)
        .map(|r| replication_scenario(&sc, r))
        .collect();
    let mut main = RunResult::empty(&sc);
    let mut reps: Vec<RunResult> = rep_scenarios.iter().map(RunResult::empty).collect();
    let mut selection: Vec<RunResult> = strengths
        .iter()
        .map(|&s| RunResult::empty(&selection_sensitivity::alternative(&sc, s)))
        .collect();
    for (dir, _) in &parts {
        match partial::read_state(dir)? {
            PartialState::OneYear {
                main: m,
                replications: r,
                selection: s,
            } => {
                if r.len() != reps.len() || s.len() != selection.len() {
                    return Err(Error::Usage(format!(
                        "{}: {} replications and {} selection passes, where the scenario and flags make {} and {}; the part is damaged",
                        dir.display(),
                        r.len() + 1,
                        s.len(),
                        reps.len() + 1,
                        selection.len()
                    )));
                }
                main.merge(&m);
                for (t, x) in reps.iter_mut().zip(&r) {
                    t.merge(x);
                }
                for (t, x) in selection.iter_mut().zip(&s) {
                    t.merge(x);
                }
            }
            PartialState::Horizon { .. } | PartialState::Uncertainty | PartialState::Sweep => {
                return Err(wrong_kind(dir, "another run"))
            }
        }
    }
    main.finish();
    let summaries = reps
        .iter_mut()
        .zip(&rep_scenarios)
        .map(|(r, rsc)| {
            r.finish();
            crate::output::report::summarize(rsc, r)
        })
        .collect();
    for s in selection.iter_mut() {
        s.finish();
    }
    write_run(
        &run_args,
        &sc,
        Passes {
            main,
            replications: summaries,
            selection,
        },
        staging,
        &written,
        started,
    )
}

fn wrong_kind(dir: &Path, what: &str) -> Error {
    Error::Usage(format!(
        "{}: holds the state of {what}, which its scenario is not; the part is damaged",
        dir.display()
    ))
}

/// The scenario file the shards ran: as they were given it (`given`, which report.md names)
/// and where it is found from here (`file`): the same path, or else that path in the shards'
/// working directory.
fn scenario_file(head: &PartialHead) -> Result<(PathBuf, PathBuf)> {
    let id = &head.run;
    let given = PathBuf::from(&id.scenario_file);
    let file = if given.is_absolute() || given.is_file() {
        given.clone()
    } else {
        Path::new(&head.working_dir).join(&given)
    };
    if !file.is_file() {
        return Err(Error::Usage(format!(
            "merge: the shards ran scenario {}, which is neither here nor in their working directory {}; run merge where the scenario file is",
            id.scenario_file, head.working_dir
        )));
    }
    Ok((given, file))
}

/// Checks that the scenario loaded again from `file` is the one the shards ran.
fn check_same(sc: &Scenario, id: &RunIdentity, file: &Path) -> Result<()> {
    if sc.sha256 != id.scenario_sha256 {
        return Err(Error::Usage(format!(
            "{}: the scenario file changed since the shards ran (SHA-256 {} now, {} then); run the shards again",
            file.display(),
            sc.sha256,
            id.scenario_sha256
        )));
    }
    if sc.seed != id.seed || sc.households != id.households {
        return Err(Error::Usage(format!(
            "{}: loads with seed {} and {} households, where the shards recorded seed {} and {}; the parts are damaged",
            file.display(),
            sc.seed,
            sc.households,
            id.seed,
            id.households
        )));
    }
    Ok(())
}

/// The output language the shards recorded.
fn lang_of(id: &RunIdentity) -> Result<crate::output::lang::Lang> {
    crate::output::lang::Lang::parse(&id.lang).ok_or_else(|| {
        Error::Usage(format!(
            "merge: the shards recorded language {:?}, which this program does not know; the parts are damaged",
            id.lang
        ))
    })
}

/// The scenario the shards ran, loaded again as `run` loaded it (and checked against the hash
/// they recorded), its file, and the arguments of the single run the merge stands for.
fn scenario_of(args: &MergeArgs, head: &PartialHead) -> Result<(Scenario, PathBuf, RunArgs)> {
    let id = &head.run;
    let (given, file) = scenario_file(head)?;
    let mut sc = load_with_overrides(&file, id.seed_flag, id.households_flag)?;
    check_same(&sc, id, &file)?;
    // report.md and manifest.json name the scenario as `run` was given it.
    sc.path = given.clone();
    let run_args = RunArgs {
        scenario: given,
        out: args.out.clone(),
        seed: SeedArg { seed: id.seed_flag },
        households: id.households_flag,
        threads: args.threads,
        households_csv: id.households_csv,
        households_parquet: id.households_parquet,
        monthly_parquet: false,
        replications: id.replications_flag,
        lang: LangArg { lang: lang_of(id)? },
        quiet: args.quiet,
        shard: None,
    };
    Ok((sc, file, run_args))
}

/// The identity of a shard of a plan of runs (`uncertainty`, `sweep`) on `sc`: `units` runs,
/// the flags as given.
#[allow(clippy::too_many_arguments)]
fn plan_identity(
    command: &str,
    scenario: &Path,
    sc: &Scenario,
    units: u64,
    draws: usize,
    lang: crate::output::lang::Lang,
    seed_flag: Option<u64>,
    households_flag: Option<i64>,
    shards: u32,
) -> RunIdentity {
    RunIdentity {
        format: partial::FORMAT.into(),
        format_version: partial::FORMAT_VERSION,
        program_version: env!("CARGO_PKG_VERSION").into(),
        command: command.into(),
        units,
        draws,
        scenario_file: scenario.display().to_string(),
        scenario_sha256: sc.sha256.clone(),
        scenario_name: sc.name.clone(),
        seed: sc.seed,
        households: sc.households,
        replications: 1,
        households_csv: false,
        households_parquet: false,
        align: 1,
        lang: lang.code().into(),
        seed_flag,
        households_flag,
        replications_flag: None,
        sweep_param: None,
        sweep_by: None,
        shards,
    }
}

/// Writes the partial state of a shard of a plan of runs (its runs' tallies are already in
/// `staging`) and commits it; `what` names the plan in the terminal line.
fn write_plan_partial(
    run: RunIdentity,
    shard: Shard,
    state: PartialState,
    what: &str,
    staging: Staging,
    started: Instant,
    quiet: bool,
) -> Result<PathBuf> {
    let ids = crate::sim::runner::shard_ids(run.units, shard.index, shard.count);
    let wd = std::env::current_dir().map_err(|e| Error::io(Path::new("."), e))?;
    let mut m = serde_json::to_string_pretty(&serde_json::json!({
        "program": "toeslagenlab",
        "version": env!("CARGO_PKG_VERSION"),
        "command": run.command,
        "scenario": run.scenario_name,
        "scenario_file": run.scenario_file,
        "scenario_sha256": run.scenario_sha256,
        "seed": run.seed,
        "households": run.households,
        "runs": run.units,
        "run_seconds": (started.elapsed().as_secs_f64() * 1000.0).round() / 1000.0,
        "shard": {"index": shard.index, "count": shard.count, "first_run": ids.start, "end_run": ids.end},
    }))
    .unwrap_or_default();
    m.push('\n');
    let units = run.units;
    let p = Partial {
        run,
        working_dir: wd.display().to_string(),
        shard: shard.index,
        first: ids.start,
        end: ids.end,
        state,
    };
    staging.write(partial::PARTIAL_FILE, partial::partial_json(&p)?.as_bytes())?;
    staging.write("manifest.json", m.as_bytes())?;
    let dir = staging.commit()?;
    if !quiet {
        term::out(format!(
            "wrote shard {shard} of the {what} ({} {}..{} of {units}) into {}/ in {:.1} s\nwhen all {} shards are done: toeslagenlab merge DIR… --out OUT (every shard's directory, in any order)\n",
            if what == "sweep" { "grid points" } else { "runs" },
            ids.start,
            ids.end,
            dir.display(),
            started.elapsed().as_secs_f64(),
            shard.count
        ))?;
    }
    Ok(dir)
}

/// Writes an uncertainty shard's partial state (its runs' tallies are already in `staging`)
/// and commits it.
pub(crate) fn write_uncertainty_partial(
    args: &UncertaintyArgs,
    sc: &Scenario,
    draws: usize,
    runs: u64,
    shard: Shard,
    staging: Staging,
    started: Instant,
) -> Result<PathBuf> {
    let run = plan_identity(
        "uncertainty",
        &args.scenario,
        sc,
        runs,
        draws,
        args.lang.lang,
        args.seed.seed,
        args.households,
        shard.count,
    );
    write_plan_partial(
        run,
        shard,
        PartialState::Uncertainty,
        "uncertainty analysis",
        staging,
        started,
        args.quiet.quiet,
    )
}

/// Writes a sweep shard's partial state (its grid points' tallies are already in `staging`)
/// and commits it.
pub(crate) fn write_sweep_partial(
    args: &SweepArgs,
    sc: &Scenario,
    points: u64,
    shard: Shard,
    staging: Staging,
    started: Instant,
) -> Result<PathBuf> {
    let mut run = plan_identity(
        "sweep",
        &args.scenario,
        sc,
        points,
        0,
        args.lang.lang,
        args.seed.seed,
        args.households,
        shard.count,
    );
    run.sweep_param = args.param.clone();
    run.sweep_by = args.by.clone();
    write_plan_partial(
        run,
        shard,
        PartialState::Sweep,
        "sweep",
        staging,
        started,
        args.quiet.quiet,
    )
}

/// What the parts of a plan of runs (`uncertainty`, `sweep`) say of it: their identity, the
/// scenario file as given and where it is found, the language.
fn plan_of(
    parts: &[(PathBuf, PartialHead)],
) -> Result<(&RunIdentity, PathBuf, PathBuf, crate::output::lang::Lang)> {
    let head = &parts[0].1;
    let (given, file) = scenario_file(head)?;
    Ok((&head.run, given, file, lang_of(&head.run)?))
}

/// `merge` of the shards of a sweep: each grid point's tally, in grid order, read from the
/// shard that ran it, into the same files as `sweep`.
fn merge_sweep(
    args: &MergeArgs,
    parts: &[(PathBuf, PartialHead)],
    started: Instant,
) -> Result<PathBuf> {
    let (id, given, file, lang) = plan_of(parts)?;
    let mut sargs = SweepArgs {
        scenario: file.clone(),
        param: id.sweep_param.clone(),
        by: id.sweep_by.clone(),
        out: args.out.clone(),
        seed: SeedArg { seed: id.seed_flag },
        households: id.households_flag,
        threads: args.threads,
        lang: LangArg { lang },
        quiet: args.quiet,
        shard: None,
    };
    let mut g = crate::cli::sweep::grid_of(&sargs)?;
    check_same(g.base(), id, &file)?;
    g.base_mut().path = given.clone();
    sargs.scenario = given;
    let _lang = crate::output::lang::scoped(lang);
    let staging = plan_staging(
        args,
        parts,
        &file,
        g.len(),
        "grid points",
        |s| matches!(s, PartialState::Sweep),
        Path::new("output").join(format!("{}-sweep", safe_dir_name(&g.base().name))),
    )?;
    crate::cli::sweep::write_sweep(&sargs, &g, staging, started, |i| {
        partial::read_run(holder(parts, i as u64)?, i as u64)
    })
}

/// The checks and the output of a merge of a plan of runs: the shards split `units` (`what`:
/// runs, grid points) as the scenario and flags make them, every part holds the state `kind`
/// accepts, and the files go to `--out`, else `default`, never over the scenario or a part.
fn plan_staging(
    args: &MergeArgs,
    parts: &[(PathBuf, PartialHead)],
    file: &Path,
    units: usize,
    what: &str,
    kind: impl Fn(&PartialState) -> bool,
    default: PathBuf,
) -> Result<Staging> {
    let split = parts[0].1.run.units;
    if units as u64 != split {
        return Err(Error::Usage(format!(
            "merge: the shards split {split} {what}, where the scenario and flags make {units}; the parts are damaged"
        )));
    }
    for (dir, _) in parts {
        if !kind(&partial::read_state(dir)?) {
            return Err(wrong_kind(dir, "another command"));
        }
    }
    crate::output::interrupt::install();
    let target = args.out.clone().unwrap_or(default);
    let inputs = plan_inputs(file, parts);
    let inputs: Vec<&Path> = inputs.iter().map(PathBuf::as_path).collect();
    Staging::new(&target, &inputs)
}

/// The inputs a merge must not write over: the scenario and every part's partial.json.
fn plan_inputs(file: &Path, parts: &[(PathBuf, PartialHead)]) -> Vec<PathBuf> {
    std::iter::once(file.to_path_buf())
        .chain(parts.iter().map(|(d, _)| d.join(partial::PARTIAL_FILE)))
        .collect()
}

/// The directory of the shard that ran unit `i`.
fn holder(parts: &[(PathBuf, PartialHead)], i: u64) -> Result<&Path> {
    parts
        .iter()
        .find(|(_, p)| p.first <= i && i < p.end)
        .map(|(d, _)| d.as_path())
        .ok_or_else(|| Error::Internal(format!("no shard holds run {i}")))
}

/// `merge` of the shards of an uncertainty analysis: its runs' tallies in plan order, each
/// read from the shard that ran it, into the same analysis and files as `uncertainty`.
fn merge_uncertainty(
    args: &MergeArgs,
    parts: &[(PathBuf, PartialHead)],
    started: Instant,
) -> Result<PathBuf> {
    let (id, given, file, lang) = plan_of(parts)?;
    let mut uargs = UncertaintyArgs {
        scenario: file.clone(),
        draws: Some(id.draws),
        out: args.out.clone(),
        seed: SeedArg { seed: id.seed_flag },
        households: id.households_flag,
        threads: args.threads,
        lang: LangArg { lang },
        quiet: args.quiet,
        shard: None,
    };
    let (mut sc, plan, draws) = crate::cli::uncertainty::load_plan(&uargs)?;
    check_same(&sc, id, &file)?;
    sc.path = given.clone();
    uargs.scenario = given;
    let runs = plan.runs();
    let _lang = crate::output::lang::scoped(lang);
    let staging = plan_staging(
        args,
        parts,
        &file,
        runs.len(),
        "runs",
        |s| matches!(s, PartialState::Uncertainty),
        Path::new("output").join(format!("{}-uncertainty", safe_dir_name(&sc.name))),
    )?;
    let result = crate::analysis::uncertainty::analyse_results(
        &sc,
        &plan,
        |v| crate::cli::uncertainty::build(&sc, v),
        |_, _, _| {},
        |i, _| partial::read_run(holder(parts, i as u64)?, i as u64),
    )?;
    detail(
        args.quiet.quiet,
        format!(
            "merged {} runs from {} shards at {:.2} s",
            runs.len(),
            parts.len(),
            started.elapsed().as_secs_f64()
        ),
    );
    crate::cli::uncertainty::write_uncertainty(
        &uargs,
        &sc,
        draws,
        runs.len(),
        &result,
        staging,
        None,
        started,
    )
}

/// Writes households.parquet into `staging` from the shards' pieces, in shard order: the
/// pieces the single run's workers make, in the same order, so the same row groups and bytes.
fn splice_parquet(
    staging: &Staging,
    sc: &Scenario,
    parts: &[(PathBuf, PartialHead)],
) -> Result<()> {
    use crate::output::parquet::{HouseholdsParquet, PIECES_FILE};
    let (sink, out) = crate::cli::household_files::create(staging, "households.parquet")?;
    let mut w = HouseholdsParquet::new(sink, sc)?;
    for (dir, _) in parts {
        let (src, f) = open_part_file(dir, PIECES_FILE, "--households-parquet")?;
        let mut r = BufReader::with_capacity(1 << 20, f);
        w.write_pieces_from(&mut r, &src.display().to_string())?;
    }
    w.finish()?.flush().map_err(|e| Error::io(&out, e))
}

/// Opens file `name` of the part in `dir`, which its shard wrote because of `flag`; a part
/// without it is damaged (exit 2).
fn open_part_file(dir: &Path, name: &str, flag: &str) -> Result<(PathBuf, std::fs::File)> {
    let src = dir.join(name);
    match std::fs::File::open(&src) {
        Ok(f) => Ok((src, f)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err(Error::Usage(format!(
            "{}: has no {name}, which its shard writes with {flag}; the part is damaged",
            dir.display()
        ))),
        Err(e) => Err(Error::io(&src, e)),
    }
}

/// Writes `name` (households.csv or households_debts.csv) into `staging` as the shards' parts
/// of it one after the other, the header once: the rows are in household order within each
/// shard, and the shards are consecutive ranges of households.
fn concatenate(staging: &Staging, name: &str, parts: &[(PathBuf, PartialHead)]) -> Result<()> {
    let (mut sink, out) = crate::cli::household_files::create(staging, name)?;
    let mut header: Option<Vec<u8>> = None;
    for (dir, _) in parts {
        let (src, f) = open_part_file(dir, name, "--households-csv")?;
        let mut r = BufReader::new(f);
        let mut line = Vec::new();
        r.read_until(b'\n', &mut line)
            .map_err(|e| Error::io(&src, e))?;
        match &header {
            None => {
                sink.write_all(&line).map_err(|e| Error::io(&out, e))?;
                header = Some(line);
            }
            Some(h) if *h == line => {}
            Some(_) => {
                return Err(Error::Usage(format!(
                    "{}: its header differs from the first shard's; the part is damaged",
                    src.display()
                )))
            }
        }
        std::io::copy(&mut r, &mut sink).map_err(|e| Error::io(&src, e))?;
    }
    sink.flush().map_err(|e| Error::io(&out, e))
}
