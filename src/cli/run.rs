//! `toeslagenlab run`: load a scenario, simulate it (with replications), and write the run
//! directory (summary.json, charts, report.md, manifest.json, optionally households.csv).
//!
//! Owns the order of the steps and the progress/detail lines on stderr; the simulation,
//! statistics, charts and report text come from the lower layers. Must not compute results.

use crate::analysis::replications::replicate;
use crate::analysis::run::RunResult;
use crate::analysis::selection_sensitivity::{self, SelectionSensitivity};
use crate::cli::dispatch::on_threads;
use crate::cli::household_files::HouseholdFiles;
use crate::cli::term;
use crate::cli::RunArgs;
use crate::error::{Error, Result};
use crate::output::charts::ChartInfo;
use crate::output::report::{self, Summary};
use crate::output::{safe_dir_name, Staging};
use crate::scenario::overrides::load_with_overrides;
use crate::scenario::Scenario;
use crate::sim::engine::RunOptions;
use std::fmt::Write as _;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Runs a scenario as `toeslagenlab run` does and returns the run directory.
///
/// Every parallel step (simulation, bootstrap, charts) runs on one pool of `--threads` workers
/// (the global pool, a thread per core, by default).
pub fn run_command(args: &RunArgs) -> Result<PathBuf> {
    on_threads(args.threads.threads, || run_in_pool(args))
}

/// A progress detail line on stderr (`--verbose`), unless `--quiet`.
pub(crate) fn detail(quiet: bool, m: String) {
    if !quiet {
        term::detail(m)
    }
}

fn run_in_pool(args: &RunArgs) -> Result<PathBuf> {
    let started = Instant::now();
    let sc = load_with_overrides(&args.scenario, args.seed.seed, args.households)?;
    detail(args.quiet.quiet, loaded_line(args, &sc));
    crate::output::interrupt::install();
    run_loaded(args, sc, started)
}

/// Runs an already loaded scenario (`args.scenario` its file, `args.seed` and
/// `args.households` already applied) as `run` does, without installing the interrupt handler:
/// for programs embedding the library (the Python package), whose own signal handling stays
/// in place. Returns the run directory.
pub fn run_scenario(args: &RunArgs, sc: Scenario) -> Result<PathBuf> {
    on_threads(args.threads.threads, || {
        run_loaded(args, sc, Instant::now())
    })
}

fn run_loaded(args: &RunArgs, sc: Scenario, started: Instant) -> Result<PathBuf> {
    let _lang = crate::output::lang::scoped(args.lang.lang);
    let quiet = args.quiet.quiet;
    let shard = crate::cli::merge::shard_of(args)?;
    let target = args
        .out
        .clone()
        .unwrap_or_else(|| crate::cli::shard::default_out(&safe_dir_name(&sc.name), shard));
    let staging = Staging::new(&target, &[args.scenario.as_path()])?;
    if sc.horizon.is_some() {
        return crate::cli::run_horizon::run(args, &sc, staging, started, shard);
    }
    let files = HouseholdFiles::open(
        &staging,
        &sc,
        args.households_csv,
        args.households_parquet,
        args.monthly_parquet,
        shard.is_some(),
    )?;
    let written = files.names();
    let replications = args.replications.unwrap_or(sc.replications).max(1);
    let show_progress = !quiet && std::io::stderr().is_terminal();
    let sensitivity = if selection_sensitivity::matters(&sc) {
        selection_sensitivity::alternatives(&sc)
    } else {
        vec![]
    };
    let ids = shard.map(|s| crate::cli::merge::shard_households(args, &sc, s));
    let households = ids.as_ref().map_or(sc.households, |r| r.end - r.start);
    let work = households * (replications as u64 + sensitivity.len() as u64);
    let bar = show_progress.then(|| progress_bar(&sc, work));
    // households.parquet's pages are cut per chunk: chunks must not depend on the threads.
    let per_chunk_pages = files.prep().is_some();
    let opts = RunOptions {
        threads: args.threads.threads,
        household_rows: files.rows(),
        monthly_rows: files.months(),
        fixed_chunks: per_chunk_pages,
        chunk_size: if per_chunk_pages {
            crate::output::parquet::HOUSEHOLDS_PER_PAGE
        } else {
            RunOptions::default().chunk_size
        },
        ids,
    };
    let progress = Progress {
        bar: bar.as_ref(),
        households,
        started,
        quiet,
    };
    if let Some(shard) = shard {
        let passes = simulate(
            &sc,
            &opts,
            replications,
            &sensitivity,
            files,
            &progress,
            |_, _, r| r,
        )?;
        if let Some(b) = &bar {
            b.finish_and_clear();
        }
        return crate::cli::merge::write_partial(
            args,
            &sc,
            shard,
            crate::output::partial::PartialState::OneYear {
                main: Box::new(passes.main),
                replications: passes.replications,
                selection: passes.selection,
            },
            staging,
            started,
        );
    }
    let passes = simulate(
        &sc,
        &opts,
        replications,
        &sensitivity,
        files,
        &progress,
        |_, rsc, r| report::summarize(rsc, &r),
    )?;
    if let Some(b) = &bar {
        b.finish_and_clear();
    }
    write_run(args, &sc, passes, staging, &written, started)
}

/// What a one-year run's statistics and files are made from: the run's tally, each further
/// replication (its tally `R`, or its summary) and the run again under each other selection
/// strength.
pub(crate) struct Passes<R> {
    /// The run.
    pub main: RunResult,
    /// Replications 2, 3, … in order.
    pub replications: Vec<R>,
    /// Per alternative selection strength, in the scenario's order.
    pub selection: Vec<RunResult>,
}

/// Writes a one-year run's statistics, tables, charts, report and manifest from its passes into
/// `staging` and commits it: what `run` does after simulating, and what `merge` does with the
/// merged shards. `written` names the per-household files already in `staging`.
pub(crate) fn write_run(
    args: &RunArgs,
    sc: &Scenario,
    passes: Passes<Summary>,
    staging: Staging,
    written: &[&str],
    started: Instant,
) -> Result<PathBuf> {
    let quiet = args.quiet.quiet;
    let t_sim = started.elapsed().as_secs_f64();
    let result = passes.main;
    let mut summary = report::summarize(sc, &result);
    let mut reps = vec![summary.clone()];
    reps.extend(passes.replications);
    report::add_replications(&mut summary, &reps);
    let strengths = if selection_sensitivity::matters(sc) {
        selection_sensitivity::alternatives(sc)
    } else {
        vec![]
    };
    if strengths.len() != passes.selection.len() {
        return Err(Error::Internal(format!(
            "{} selection passes for {} strengths",
            passes.selection.len(),
            strengths.len()
        )));
    }
    summary.selection_sensitivity = (!strengths.is_empty()).then(|| {
        let mut rows = vec![selection_sensitivity::row(sc, &summary, true)];
        for (&strength, r) in strengths.iter().zip(&passes.selection) {
            rows.push(selection_sensitivity::alternative_row(sc, strength, r));
        }
        SelectionSensitivity {
            metric: sc.primary_metric.clone(),
            rows,
        }
    });
    detail(
        quiet,
        format!(
            "statistics in {:.1} ms",
            (started.elapsed().as_secs_f64() - t_sim) * 1e3
        ),
    );
    let summary_text = report::summary_json(&summary);
    staging.write("summary.json", summary_text.as_bytes())?;
    // The same numbers in long CSV tables (read back from the text just written, so each is
    // written exactly as summary.json writes it).
    let summary_value: serde_json::Value = serde_json::from_str(&summary_text)
        .map_err(|e| Error::Internal(format!("summary.json does not read back: {e}")))?;
    for (name, text) in crate::output::tables::tidy_tables(&summary_value) {
        staging.write(name, text.as_bytes())?;
    }
    let charts = write_charts(sc, &result, &staging, started, quiet)?;
    let public = public_comparison(sc, &result);
    let mut report_md = report::report_markdown(sc, &summary);
    if let Some((section, _)) = &public {
        report_md.push_str(section);
    }
    report_md.push_str(&crate::output::charts::markdown_section(&charts));
    staging.write("report.md", report_md.as_bytes())?;
    write_report_html(&staging, &report_md)?;
    let manifest = manifest(sc, args, started.elapsed().as_secs_f64());
    staging.write("manifest.json", manifest.as_bytes())?;
    let dir = staging.commit()?;
    detail(
        quiet,
        format!(
            "wrote {} charts and report.md, report.html, summary.json, the tidy tables, manifest.json into {}/ at {:.2} s",
            charts.len(),
            dir.display(),
            started.elapsed().as_secs_f64()
        ),
    );
    if !quiet {
        let line = public.as_ref().map(|(_, line)| line.as_str());
        term::out(headline(&summary, line, &dir, written, started))?;
    }
    Ok(dir)
}

/// Writes `report.html` beside `report.md` in the staging directory: the same text, with the
/// charts and files staged so far inline.
pub(crate) fn write_report_html(staging: &Staging, md: &str) -> Result<()> {
    let dir = staging.path("");
    let html = crate::output::html::report_html(md, crate::output::html::GENERATOR, &|name| {
        crate::output::html::read_beside(&dir, name)
    })
    .map_err(Error::Internal)?;
    staging.write("report.html", html.as_bytes())
}

/// The "loaded …" detail line: what the scenario holds.
pub(crate) fn loaded_line(args: &RunArgs, sc: &Scenario) -> String {
    format!(
        "loaded {} ({}): {} households, {} arms ({}), {} design, seed {}, benefit year {}",
        args.scenario.display(),
        sc.name,
        sc.households,
        sc.arms.len(),
        sc.arms
            .iter()
            .map(|a| format!("{} {}", a.name, a.policy.name()))
            .collect::<Vec<_>>()
            .join(", "),
        sc.design.name(),
        sc.seed,
        sc.year
    )
}

/// The progress bar on a terminal: households simulated over all replications.
pub(crate) fn progress_bar(sc: &Scenario, total_work: u64) -> indicatif::ProgressBar {
    let b = indicatif::ProgressBar::new(total_work);
    b.set_style(
        indicatif::ProgressStyle::with_template(
            "{spinner} {msg} [{bar:40}] {human_pos}/{human_len} households ({per_sec}, eta {eta})",
        )
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
        .progress_chars("=> "),
    );
    b.set_message(sc.name.clone());
    b
}

/// Where a run shows its progress: the bar (on a terminal), the households of one pass, and
/// the detail lines.
struct Progress<'a> {
    bar: Option<&'a indicatif::ProgressBar>,
    households: u64,
    started: Instant,
    quiet: bool,
}

impl Progress<'_> {
    fn at(&self, passes_before: u64, done: u64) {
        if let Some(b) = self.bar {
            b.set_position(self.households * passes_before + done);
        }
    }
}

/// Simulates the scenario (streaming the per-household files), then the further replications
/// (each kept as `keep(r, its scenario, its tally)` makes it) and the scenario under each other
/// selection strength in `strengths`.
#[allow(clippy::too_many_arguments)]
fn simulate<R>(
    sc: &Scenario,
    opts: &RunOptions,
    replications: u32,
    strengths: &[f64],
    mut files: HouseholdFiles,
    progress: &Progress,
    keep: impl FnMut(u32, &Scenario, RunResult) -> R,
) -> Result<Passes<R>> {
    let (started, quiet) = (progress.started, progress.quiet);
    let t_loaded = started.elapsed().as_secs_f64();
    let prep = files.prep();
    let rows_too = files.rows_too();
    let main = crate::analysis::run::run_prepared(
        sc,
        opts,
        |rows, _| prep.as_ref().map(|p| p.prepare(rows)).transpose(),
        rows_too,
        |rows, years, piece| files.write_prepared(sc, rows, years, piece),
        |done, _| progress.at(0, done),
    )?;
    detail(
        quiet,
        format!(
            "simulated {} households × {} arms in {:.1} ms on {} threads (loaded in {:.1} ms)",
            progress.households,
            sc.arms.len(),
            (started.elapsed().as_secs_f64() - t_loaded) * 1e3,
            rayon::current_num_threads(),
            t_loaded * 1e3
        ),
    );
    files.finish(quiet)?;
    let replications = replicate(
        sc,
        opts,
        1..replications,
        |r, done, _| progress.at(r as u64, done),
        |r, rsc| {
            detail(
                quiet,
                format!(
                    "replication {}/{replications} (seed {}) done at {:.2} s",
                    r + 1,
                    rsc.seed,
                    started.elapsed().as_secs_f64()
                ),
            )
        },
        keep,
    )?;
    let mut selection = Vec::with_capacity(strengths.len());
    for (i, &strength) in strengths.iter().enumerate() {
        let before = replications.len() as u64 + 1 + i as u64;
        selection.push(selection_sensitivity::run_alternative(
            sc,
            strength,
            opts,
            |done| progress.at(before, done),
        )?);
        detail(
            quiet,
            format!(
                "selection strength {strength} ({}/{}) done at {:.2} s",
                i + 1,
                strengths.len(),
                started.elapsed().as_secs_f64()
            ),
        );
    }
    Ok(Passes {
        main,
        replications,
        selection,
    })
}

/// Writes the charts (csv, svg, png) of the run into the staging directory.
fn write_charts(
    sc: &Scenario,
    result: &RunResult,
    staging: &Staging,
    started: Instant,
    quiet: bool,
) -> Result<Vec<ChartInfo>> {
    let t_charts = started.elapsed().as_secs_f64();
    let charts = crate::output::charts::write_all(
        &crate::output::charts::run_tables(sc, result),
        |name, bytes| staging.write(name, bytes),
    )?;
    detail(
        quiet,
        format!(
            "{} charts in {:.1} ms",
            charts.len(),
            (started.elapsed().as_secs_f64() - t_charts) * 1e3
        ),
    );
    Ok(charts)
}

/// National scenarios compare their control arm with the public figures (counted per toeslag,
/// as `calibrate` does, from this run's own outcomes): the report section and the headline line.
pub(crate) fn public_comparison(sc: &Scenario, result: &RunResult) -> Option<(String, String)> {
    let t = result.public.as_ref()?;
    Some((
        crate::cli::calibrate::report_section(sc, t),
        crate::cli::calibrate::headline_vs_public(t),
    ))
}

/// What `run` prints on stdout: the headline, the public comparison and what was written.
fn headline(
    summary: &Summary,
    public_line: Option<&str>,
    dir: &Path,
    written: &[&str],
    started: Instant,
) -> String {
    let mut out = report::headline(summary);
    if let Some(line) = public_line {
        out.push_str(line);
        out.push('\n');
    }
    let _ = writeln!(
        out,
        "wrote {}/ (report.md, report.html, summary.json, manifest.json, tidy tables, charts/{}) in {:.1} s",
        dir.display(),
        written.iter().map(|f| format!(", {f}")).collect::<String>(),
        started.elapsed().as_secs_f64()
    );
    out
}

pub(crate) fn csv_err(p: &Path, e: csv::Error) -> Error {
    Error::io(p, std::io::Error::other(e.to_string()))
}

pub(crate) fn manifest(sc: &Scenario, args: &RunArgs, seconds: f64) -> String {
    let v = serde_json::json!({
        "program": "toeslagenlab",
        "version": env!("CARGO_PKG_VERSION"),
        "scenario": sc.name,
        "scenario_file": sc.path.display().to_string(),
        "scenario_sha256": sc.sha256,
        "seed": sc.seed,
        "households": sc.households,
        "parameter_year": sc.year,
        "parameter_file": format!("parameters/{}.toml (embedded)", sc.year),
        "parameter_overrides": sc.overrides,
        "uncertain_parameters": sc.parameter_set.uncertain().into_iter().map(|(k, p)| serde_json::json!({"parameter": k, "value": p.value.to_string(), "source": p.source})).collect::<Vec<_>>(),
        "threads": rayon::current_num_threads(),
        "lang": args.lang.lang,
        "households_csv": args.households_csv,
        "households_parquet": args.households_parquet,
        "monthly_parquet": args.monthly_parquet,
        "run_seconds": (seconds * 1000.0).round() / 1000.0,
        "finished_unix_time": std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0),
    });
    let mut s = serde_json::to_string_pretty(&v).unwrap_or_default();
    s.push('\n');
    s
}
