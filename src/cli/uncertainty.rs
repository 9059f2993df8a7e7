//! `toeslagenlab uncertainty`: every comparison of a scenario under the uncertainty of its
//! `[uncertainty]` assumptions (`analysis::uncertainty`), written as uncertainty.json,
//! report.md, manifest.json and a tornado chart per treatment arm.
//!
//! Must not: hold statistics (analysis does) or format the report (output does).

use crate::analysis::uncertainty::{analyse, Plan, RunKind};
use crate::cli::UncertaintyArgs;
use crate::error::{Error, Result};
use crate::model::uncertainty::MAX_DRAWS;
use crate::output::charts::{self, ChartKind};
use crate::output::{safe_dir_name, Staging};
use crate::scenario::overrides::{apply_all, check_uncertainty, load_with_overrides};
use crate::sim::engine::RunOptions;
use rust_decimal::Decimal;
use std::io::{IsTerminal, Write as _};
use std::path::{Path, PathBuf};
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

fn uncertainty_in(args: &UncertaintyArgs, handle_interrupts: bool) -> Result<PathBuf> {
    let _lang = crate::output::lang::scoped(args.lang.lang);
    let started = Instant::now();
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
    let runs = plan.runs();
    let target = args.out.clone().unwrap_or_else(|| {
        Path::new("output").join(format!("{}-uncertainty", safe_dir_name(&sc.name)))
    });
    if handle_interrupts {
        crate::output::interrupt::install();
    }
    let staging = Staging::new(&target, &[args.scenario.as_path()])?;
    let quiet = args.quiet.quiet;
    let bar = (!quiet && std::io::stderr().is_terminal()).then(|| {
        let b = indicatif::ProgressBar::new(runs.len() as u64);
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
            "uncertainty of {}: {} assumptions, {} draws, {} runs of {} households",
            sc.name,
            plan.assumptions.len(),
            draws,
            runs.len(),
            crate::model::money::group_thousands(sc.households)
        ));
    }
    let opts = RunOptions {
        threads: args.threads.threads,
        ..RunOptions::default()
    };
    let mut starts: Vec<Instant> = Vec::with_capacity(runs.len() + 1);
    let mut last_note = Instant::now();
    let result = analyse(
        &sc,
        &plan,
        &opts,
        |vals| {
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
            apply_all(&sc, &vals)
        },
        |i, n, kind| {
            starts.push(Instant::now());
            let what = match kind {
                RunKind::Central => "the scenario's own assumptions".to_string(),
                RunKind::Low(a) => format!("{} at its lowest", plan.assumptions[a].key),
                RunKind::High(a) => format!("{} at its highest", plan.assumptions[a].key),
                RunKind::Draw(d) => format!("draw {} of {}", d + 1, draws),
            };
            if let Some(b) = &bar {
                b.set_position(i as u64);
                b.set_message(what);
            } else if !quiet && (i == 0 || last_note.elapsed() >= Duration::from_secs(10)) {
                last_note = Instant::now();
                crate::cli::term::detail(format!(
                    "run {}/{n}: {what} ({:.0} s)",
                    i + 1,
                    started.elapsed().as_secs_f64()
                ));
            }
        },
        |_| {},
    )?;
    starts.push(Instant::now());
    if let Some(b) = &bar {
        b.finish_and_clear();
    }
    let seconds = started.elapsed().as_secs_f64();
    let central_seconds = match (starts.first(), starts.get(1)) {
        (Some(a), Some(b)) => b.duration_since(*a).as_secs_f64(),
        _ => 0.0,
    };
    let share = crate::output::report::is_share_key(&sc.primary_metric);
    let mut json = serde_json::to_string_pretty(&result)
        .map_err(|e| Error::Internal(format!("uncertainty.json: {e}")))?;
    json.push('\n');
    staging.write("uncertainty.json", json.as_bytes())?;
    staging.write(
        "draws.csv",
        crate::output::uncertainty::draws_csv(&result).as_bytes(),
    )?;
    let tables: Vec<(ChartKind, String, charts::Table)> =
        charts::sensitivity::tables(&result, share)
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
    let md = crate::output::uncertainty::markdown(&sc, &result, &command);
    staging.write("report.md", md.as_bytes())?;
    crate::cli::run::write_report_html(&staging, &md)?;
    // The draws are single runs of the scenario under drawn assumptions (which may cost more
    // per run than the central one: selection into the offer scores every household); the
    // analysis's cost is the whole time over the time of those runs.
    let first_draw = 1 + 2 * plan.assumptions.len();
    let draw_seconds = match (starts.get(first_draw), starts.last()) {
        (Some(a), Some(b)) => b.duration_since(*a).as_secs_f64(),
        _ => 0.0,
    };
    let ratio = if draw_seconds > 0.0 {
        seconds / draw_seconds
    } else {
        0.0
    };
    let central_ratio = if central_seconds > 0.0 {
        seconds / (draws as f64 * central_seconds)
    } else {
        0.0
    };
    let manifest = serde_json::json!({
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
        "runs": runs.len(),
        "run_seconds": (seconds * 1000.0).round() / 1000.0,
        "central_run_seconds": (central_seconds * 1000.0).round() / 1000.0,
        "draw_runs_seconds": (draw_seconds * 1000.0).round() / 1000.0,
        "cost_vs_draws_single_runs": (ratio * 1000.0).round() / 1000.0,
        "cost_vs_draws_times_central_run": (central_ratio * 1000.0).round() / 1000.0,
    });
    let mut m = serde_json::to_string_pretty(&manifest).unwrap_or_default();
    m.push('\n');
    staging.write("manifest.json", m.as_bytes())?;
    let dir = staging.commit()?;
    if !quiet {
        let mut out = std::io::stdout().lock();
        for l in crate::output::uncertainty::terminal_lines(&result) {
            let _ = writeln!(out, "{l}");
        }
        let _ = writeln!(
            out,
            "{} runs in {:.1} s: {:.2}× the {:.1} s of its {draws} draws' single runs ({:.2}× {draws} times the central run's {:.2} s)",
            runs.len(),
            seconds,
            ratio,
            draw_seconds,
            central_ratio,
            central_seconds
        );
        let _ = writeln!(
            out,
            "wrote {}/ (uncertainty.json, draws.csv, report.md, report.html, charts/sensitivity_*.*)",
            dir.display()
        );
    }
    Ok(dir)
}
