//! `toeslagenlab uncertainty`: every comparison of a scenario under the uncertainty of its
//! `[uncertainty]` assumptions (`analysis::uncertainty`), written as uncertainty.json,
//! report.md, manifest.json and a tornado chart per treatment arm.
//!
//! Must not: hold statistics (analysis does) or format the report (output does).

use crate::analysis::uncertainty::{analyse, planned_scenario, run_planned, Plan, RunKind};
use crate::cli::UncertaintyArgs;
use crate::error::{Error, Result};
use crate::model::uncertainty::MAX_DRAWS;
use crate::output::charts::{self, ChartKind};
use crate::output::partial::{run_file, run_json, RUNS_DIR};
use crate::output::{safe_dir_name, Staging};
use crate::scenario::overrides::{apply_all, check_uncertainty, load_with_overrides};
use crate::scenario::Scenario;
use crate::sim::engine::RunOptions;
use rust_decimal::Decimal;
use std::io::{IsTerminal, Write as _};
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// Runs `toeslagenlab uncertainty` and returns the output directory.
pub fn uncertainty_command(args: &UncertaintyArgs) -> Result<PathBuf> {
    uncertainty_in(args, true)
}

/// [`uncertainty_command`] without installing the interrupt handler: for programs embedding
/// the library (the Python package), whose own signal handling stays in place.
pub fn uncertainty_embedded(args: &UncertaintyArgs) -> Result<PathBuf> {
    uncertainty_in(args, false)
}

/// The scenario of `args` (its `[uncertainty]` checked and centred), the plan of its runs and
/// the number of draws.
pub(crate) fn load_plan(args: &UncertaintyArgs) -> Result<(Scenario, Plan, usize)> {
    let mut sc = load_with_overrides(&args.scenario, args.seed.seed, args.households)?;
    let Some(spec) = sc.uncertainty.clone() else {
        return Err(Error::Usage(format!(
            "{}: no [uncertainty] table; list the uncertain assumptions as [[uncertainty.assumptions]] entries (key, distribution, range, source), e.g.\n\n  [[uncertainty.assumptions]]\n  key = \"arms.cautious.takeup\"\n  distribution = \"uniform\"\n  low = 0.60\n  high = 0.76\n  source = \"assumption: the lab's take-up, ± 8 points\"\n\nThe shipped scenarios have one (scenarios/cautious-vs-standard.toml); see docs/uncertainty.md.",
            args.scenario.display()
        )));
    };
    let central = check_uncertainty(&mut sc)?;
    let spec = sc.uncertainty.clone().unwrap_or(spec);
    let draws = args.draws.unwrap_or(spec.draws);
    if draws == 0 || draws > MAX_DRAWS {
        return Err(Error::Usage(format!(
            "--draws {draws}: from 1 to {MAX_DRAWS} draws"
        )));
    }
    let plan = Plan::new(spec.assumptions.clone(), central, draws, sc.seed)?;
    Ok((sc, plan, draws))
}

/// The scenario of a run of the analysis with the assumptions `vals` set.
pub(crate) fn build(sc: &Scenario, vals: &[(String, f64)]) -> Result<Scenario> {
    let vals: Vec<(String, Decimal)> = vals
        .iter()
        .map(|(k, v)| {
            (
                k.clone(),
                Decimal::from_f64_retain(*v)
                    .map(|d| d.round_dp(9).normalize())
                    .unwrap_or_default(),
            )
        })
        .collect();
    apply_all(sc, &vals)
}

/// How long the analysis's runs took (for manifest.json and the terminal).
pub(crate) struct Timing {
    seconds: f64,
    central_seconds: f64,
    draw_seconds: f64,
}

fn uncertainty_in(args: &UncertaintyArgs, handle_interrupts: bool) -> Result<PathBuf> {
    let _lang = crate::output::lang::scoped(args.lang.lang);
    let started = Instant::now();
    let (sc, plan, draws) = load_plan(args)?;
    let runs = plan.runs();
    let shard = args.shard.map(|s| s.from_env()).transpose()?;
    let target = args.out.clone().unwrap_or_else(|| {
        crate::cli::shard::default_out(&format!("{}-uncertainty", safe_dir_name(&sc.name)), shard)
    });
    if handle_interrupts {
        crate::output::interrupt::install();
    }
    let staging = Staging::new(&target, &[args.scenario.as_path()])?;
    let quiet = args.quiet.quiet;
    let mine = shard.map_or(0..runs.len() as u64, |s| {
        crate::sim::runner::shard_ids(runs.len() as u64, s.index, s.count)
    });
    let bar = (!quiet && std::io::stderr().is_terminal()).then(|| {
        let b = indicatif::ProgressBar::new(mine.end - mine.start);
        b.set_style(
            indicatif::ProgressStyle::with_template(
                "{spinner} {msg} [{bar:40}] {pos}/{len} runs (eta {eta})",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
            .progress_chars("=> "),
        );
        b
    });
    if !quiet {
        crate::cli::term::detail(format!(
            "uncertainty of {}: {} assumptions, {} draws, {} runs of {} households{}",
            sc.name,
            plan.assumptions.len(),
            draws,
            runs.len(),
            crate::model::money::group_thousands(sc.households),
            shard.map_or(String::new(), |s| format!(
                "; shard {s}: runs {}..{}",
                mine.start, mine.end
            ))
        ));
    }
    let opts = RunOptions {
        threads: args.threads.threads,
        ..RunOptions::default()
    };
    let mut starts: Vec<Instant> = Vec::with_capacity(runs.len() + 1);
    let mut last_note = Instant::now();
    let mut on_run = |i: usize, n: usize, kind: RunKind| {
        starts.push(Instant::now());
        let what = match kind {
            RunKind::Central => "the scenario's own assumptions".to_string(),
            RunKind::Low(a) => format!("{} at its lowest", plan.assumptions[a].key),
            RunKind::High(a) => format!("{} at its highest", plan.assumptions[a].key),
            RunKind::Draw(d) => format!("draw {} of {}", d + 1, draws),
        };
        if let Some(b) = &bar {
            b.set_position(i as u64 - mine.start);
            b.set_message(what);
        } else if !quiet
            && (i as u64 == mine.start || last_note.elapsed() >= Duration::from_secs(10))
        {
            last_note = Instant::now();
            crate::cli::term::detail(format!(
                "run {}/{n}: {what} ({:.0} s)",
                i + 1,
                started.elapsed().as_secs_f64()
            ));
        }
    };
    if let Some(shard) = shard {
        for i in mine.clone() {
            let kind = runs[i as usize];
            on_run(i as usize, runs.len(), kind);
            let s = planned_scenario(&plan, kind, |v| build(&sc, v))?;
            let r = run_planned(&s, &opts, &mut |_| {})?;
            staging.write(
                &format!("{RUNS_DIR}/{}", run_file(i)),
                run_json(&r)?.as_bytes(),
            )?;
        }
        if let Some(b) = &bar {
            b.finish_and_clear();
        }
        return crate::cli::merge::write_uncertainty_partial(
            args,
            &sc,
            draws,
            runs.len() as u64,
            shard,
            staging,
            started,
        );
    }
    let result = analyse(&sc, &plan, &opts, |v| build(&sc, v), on_run, |_| {})?;
    starts.push(Instant::now());
    if let Some(b) = &bar {
        b.finish_and_clear();
    }
    let seconds = started.elapsed().as_secs_f64();
    let central_seconds = match (starts.first(), starts.get(1)) {
        (Some(a), Some(b)) => b.duration_since(*a).as_secs_f64(),
        _ => 0.0,
    };
    // The draws are single runs of the scenario under drawn assumptions (which may cost more
    // per run than the central one: selection into the offer scores every household); the
    // analysis's cost is the whole time over the time of those runs.
    let first_draw = 1 + 2 * plan.assumptions.len();
    let draw_seconds = match (starts.get(first_draw), starts.last()) {
        (Some(a), Some(b)) => b.duration_since(*a).as_secs_f64(),
        _ => 0.0,
    };
    write_uncertainty(
        args,
        &sc,
        draws,
        runs.len(),
        &result,
        staging,
        Some(Timing {
            seconds,
            central_seconds,
            draw_seconds,
        }),
        started,
    )
}

/// Writes an uncertainty analysis's files from its result into `staging` and commits it: what
/// `uncertainty` does after its runs, and what `merge` does with the shards' runs (`timing`
/// `None`: the runs' times are not known there).
#[allow(clippy::too_many_arguments)]
pub(crate) fn write_uncertainty(
    args: &UncertaintyArgs,
    sc: &Scenario,
    draws: usize,
    n_runs: usize,
    result: &crate::analysis::uncertainty::Uncertainty,
    staging: Staging,
    timing: Option<Timing>,
    started: Instant,
) -> Result<PathBuf> {
    let quiet = args.quiet.quiet;
    let share = crate::output::report::is_share_key(&sc.primary_metric);
    let mut json = serde_json::to_string_pretty(result)
        .map_err(|e| Error::Internal(format!("uncertainty.json: {e}")))?;
    json.push('\n');
    staging.write("uncertainty.json", json.as_bytes())?;
    staging.write(
        "draws.csv",
        crate::output::uncertainty::draws_csv(result).as_bytes(),
    )?;
    let tables: Vec<(ChartKind, String, charts::Table)> =
        charts::sensitivity::tables(result, share)
            .into_iter()
            .map(|(arm, t)| {
                (
                    ChartKind::Sensitivity,
                    format!("sensitivity_{}", safe_dir_name(&arm)),
                    t,
                )
            })
            .collect();
    charts::write_named(&tables, |n, b| staging.write(n, b))?;
    let command = format!(
        "toeslagenlab uncertainty {} --draws {draws}",
        args.scenario.display()
    );
    let md = crate::output::uncertainty::markdown(sc, result, &command);
    staging.write("report.md", md.as_bytes())?;
    crate::cli::run::write_report_html(&staging, &md)?;
    let seconds = timing
        .as_ref()
        .map_or(started.elapsed().as_secs_f64(), |t| t.seconds);
    let round = |x: f64| (x * 1000.0).round() / 1000.0;
    let mut manifest = serde_json::json!({
        "program": "toeslagenlab",
        "version": env!("CARGO_PKG_VERSION"),
        "command": "uncertainty",
        "scenario": sc.name,
        "scenario_file": sc.path.display().to_string(),
        "scenario_sha256": sc.sha256,
        "seed": sc.seed,
        "households": sc.households,
        "lang": args.lang.lang,
        "draws": draws,
        "runs": n_runs,
        "run_seconds": round(seconds),
    });
    let ratios = timing.as_ref().map(|t| {
        let ratio = if t.draw_seconds > 0.0 {
            t.seconds / t.draw_seconds
        } else {
            0.0
        };
        let central_ratio = if t.central_seconds > 0.0 {
            t.seconds / (draws as f64 * t.central_seconds)
        } else {
            0.0
        };
        (ratio, central_ratio)
    });
    match (&timing, ratios) {
        (Some(t), Some((ratio, central_ratio))) => {
            manifest["central_run_seconds"] = round(t.central_seconds).into();
            manifest["draw_runs_seconds"] = round(t.draw_seconds).into();
            manifest["cost_vs_draws_single_runs"] = round(ratio).into();
            manifest["cost_vs_draws_times_central_run"] = round(central_ratio).into();
        }
        _ => manifest["merged_from_shards"] = true.into(),
    }
    let mut m = serde_json::to_string_pretty(&manifest).unwrap_or_default();
    m.push('\n');
    staging.write("manifest.json", m.as_bytes())?;
    let dir = staging.commit()?;
    if !quiet {
        let mut out = std::io::stdout().lock();
        for l in crate::output::uncertainty::terminal_lines(result) {
            let _ = writeln!(out, "{l}");
        }
        match (&timing, ratios) {
            (Some(t), Some((ratio, central_ratio))) => {
                let _ = writeln!(
                    out,
                    "{n_runs} runs in {:.1} s: {:.2}× the {:.1} s of its {draws} draws' single runs ({:.2}× {draws} times the central run's {:.2} s)",
                    t.seconds, ratio, t.draw_seconds, central_ratio, t.central_seconds
                );
            }
            _ => {
                let _ = writeln!(out, "{n_runs} runs merged from shards in {seconds:.1} s");
            }
        }
        let _ = writeln!(
            out,
            "wrote {}/ (uncertainty.json, draws.csv, report.md, report.html, charts/sensitivity_*.*)",
            dir.display()
        );
    }
    Ok(dir)
}
