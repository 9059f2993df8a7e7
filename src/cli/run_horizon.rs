//! `toeslagenlab run` on a scenario with a `[horizon]`: simulate every benefit year and the
//! debts, and write the run directory (summary.json with `horizon`, the first year's charts and
//! tidy tables, the horizon's tables and open-debt chart, report.md with its "Beyond one year"
//! section, and with `--households-csv` the first year's households.csv and every household's
//! debts in households_debts.csv).
//!
//! Must not compute results: the simulation, statistics and text come from the lower layers.

use crate::analysis::horizon::{run_horizon, summarize_horizon};
use crate::cli::household_files::HouseholdFiles;
use crate::cli::run::{csv_err, detail, manifest, progress_bar, public_comparison};
use crate::cli::term;
use crate::cli::RunArgs;
use crate::error::{Error, Result};
use crate::output::charts::ChartKind;
use crate::output::report;
use crate::output::Staging;
use crate::scenario::Scenario;
use crate::sim::engine::RunOptions;
use std::fmt::Write as _;
use std::io::IsTerminal;
use std::path::PathBuf;
use std::time::Instant;

/// Runs the horizon of `sc` into `staging` and commits it.
pub(crate) fn run(
    args: &RunArgs,
    sc: &Scenario,
    staging: Staging,
    started: Instant,
    shard: Option<crate::cli::shard::Shard>,
) -> Result<PathBuf> {
    let quiet = args.quiet.quiet;
    let h = sc
        .horizon
        .as_ref()
        .ok_or_else(|| Error::Internal("not a multi-year scenario".into()))?;
    let replications = args.replications.unwrap_or(sc.replications);
    if replications > 1 {
        return Err(Error::Usage(format!(
            "{}: replications ({replications}) are not available for a multi-year scenario ([horizon]) yet; run it once per seed (--seed) instead",
            args.scenario.display()
        )));
    }
    if args.monthly_parquet {
        return Err(Error::Usage(format!(
            "{}: --monthly-parquet is for one-year runs; a multi-year scenario ([horizon]) writes its debts month by month in households_debts.csv (--households-csv)",
            args.scenario.display()
        )));
    }
    if shard.is_some() && args.households_parquet {
        return Err(Error::Usage(format!(
            "{}: a sharded multi-year run ([horizon]) does not write households.parquet yet; use --households-csv, or run without --shard",
            args.scenario.display()
        )));
    }
    let first = crate::sim::horizon::year_scenario(sc, 0);
    let mut households = HouseholdFiles::open(
        &staging,
        &first,
        args.households_csv,
        args.households_parquet,
        false,
        false,
    )?;
    let names = written_files(args, &households);
    let mut debts = if args.households_csv {
        let (sink, p) = crate::cli::household_files::create(&staging, "households_debts.csv")?;
        let mut w = csv::Writer::from_writer(sink);
        w.write_record(crate::output::horizon::debts_header())
            .map_err(|e| csv_err(&p, e))?;
        Some((w, p))
    } else {
        None
    };
    let ids = shard.map(|s| crate::sim::runner::shard_ids(sc.households, s.index, s.count));
    let n = ids.as_ref().map_or(sc.households, |r| r.end - r.start);
    let show_progress = !quiet && std::io::stderr().is_terminal();
    let bar = show_progress.then(|| progress_bar(sc, n));
    let opts = RunOptions {
        threads: args.threads.threads,
        household_rows: households.rows(),
        ids,
        ..RunOptions::default()
    };
    let t0 = started.elapsed().as_secs_f64();
    let result = run_horizon(
        sc,
        &opts,
        |rows, ds| {
            households.write(&first, rows, &[])?;
            if let Some((w, p)) = debts.as_mut() {
                for d in ds {
                    w.write_record(crate::output::horizon::debts_row(sc, d))
                        .map_err(|e| csv_err(p, e))?;
                }
            }
            Ok(())
        },
        |done, _| {
            if let Some(b) = &bar {
                b.set_position(done);
            }
        },
    )?;
    if let Some(b) = &bar {
        b.finish_and_clear();
    }
    detail(
        quiet,
        format!(
            "simulated {} households × {} arms × {} years in {:.1} ms on {} threads",
            n,
            sc.arms.len(),
            h.years.len(),
            (started.elapsed().as_secs_f64() - t0) * 1e3,
            rayon::current_num_threads(),
        ),
    );
    households.finish(quiet)?;
    if let Some((mut w, p)) = debts.take() {
        w.flush().map_err(|e| Error::io(&p, e))?;
        detail(quiet, format!("wrote {}", p.display()));
    }
    if let Some(shard) = shard {
        return crate::cli::merge::write_partial(
            args,
            sc,
            shard,
            crate::output::partial::PartialState::Horizon { result },
            staging,
            started,
        );
    }
    write_horizon(args, sc, &result, staging, &names, started)
}

/// The per-household files a multi-year run writes (for the headline).
pub(crate) fn written_files(args: &RunArgs, households: &HouseholdFiles) -> Vec<&'static str> {
    let mut names = households.names();
    if args.households_csv {
        names.push("households_debts.csv");
    }
    names
}

/// Writes a multi-year run's statistics, tables, charts, report and manifest from its tally
/// into `staging` and commits it: what `run` does after simulating, and what `merge` does with
/// the merged shards. `names` are the per-household files already in `staging`.
pub(crate) fn write_horizon(
    args: &RunArgs,
    sc: &Scenario,
    result: &crate::analysis::horizon::HorizonResult,
    staging: Staging,
    names: &[&str],
    started: Instant,
) -> Result<PathBuf> {
    let quiet = args.quiet.quiet;
    let written: String = names.iter().map(|f| format!(", {f}")).collect();
    let first = crate::sim::horizon::year_scenario(sc, 0);
    let summary = summarize_horizon(sc, result);
    let hs = summary
        .horizon
        .as_deref()
        .ok_or_else(|| Error::Internal("the horizon summary is missing".into()))?;
    let summary_text = report::summary_json(&summary);
    staging.write("summary.json", summary_text.as_bytes())?;
    let summary_value: serde_json::Value = serde_json::from_str(&summary_text)
        .map_err(|e| Error::Internal(format!("summary.json does not read back: {e}")))?;
    for (name, text) in crate::output::tables::tidy_tables(&summary_value) {
        staging.write(name, text.as_bytes())?;
    }
    for (name, text) in crate::output::horizon::tables(hs) {
        staging.write(name, text.as_bytes())?;
    }
    let mut tables = crate::output::charts::run_tables(&first, &result.years[0]);
    tables.push((
        ChartKind::OpenDebt,
        crate::output::horizon::open_debt_table(hs, &summary.arm_order),
    ));
    let charts =
        crate::output::charts::write_all(&tables, |name, bytes| staging.write(name, bytes))?;
    let public = public_comparison(&first, &result.years[0]);
    let mut report_md = report::report_markdown(&first, &summary);
    if let Some((section, _)) = &public {
        report_md.push_str(section);
    }
    report_md.push_str(&crate::output::horizon::report_section(
        hs,
        &summary.arm_order,
    ));
    report_md.push_str(&crate::output::charts::markdown_section(&charts));
    staging.write("report.md", report_md.as_bytes())?;
    crate::cli::run::write_report_html(&staging, &report_md)?;
    let manifest = manifest(sc, args, started.elapsed().as_secs_f64());
    staging.write("manifest.json", manifest.as_bytes())?;
    let dir = staging.commit()?;
    if !quiet {
        let mut out = report::headline(&summary);
        let _ = writeln!(out, "{}", horizon_headline(hs, &summary.arm_order));
        let _ = writeln!(
            out,
            "wrote {}/ (report.md, report.html, summary.json, manifest.json, tidy tables, charts/{}) in {:.1} s",
            dir.display(),
            written,
            started.elapsed().as_secs_f64()
        );
        term::out(out)?;
    }
    Ok(dir)
}

/// The headline's horizon line: the share still in debt at the end per arm, and each arm's
/// difference from control with its interval.
fn horizon_headline(h: &crate::analysis::horizon::HorizonSummary, arms: &[String]) -> String {
    let first = h.years.first().copied().unwrap_or(0);
    let last = h.years.last().copied().unwrap_or(0);
    let mut s = format!(
        "over {first}–{last} ({} months), still in debt at the end:",
        h.months
    );
    for a in arms {
        if let Some(d) = h.debt.get(a) {
            let _ = write!(s, " {a} {:.1}%", d.open_debt_end_share * 100.0);
            if let Some(c) = h
                .debt_comparisons
                .iter()
                .find(|c| &c.arm == a && c.metric == "open_debt_end_share")
            {
                if let (Some(x), Some(lo), Some(hi)) = (c.difference, c.ci_low, c.ci_high) {
                    let _ = write!(
                        s,
                        " ({:+.1} pp, 95% CI {:+.1} to {:+.1})",
                        x * 100.0,
                        lo * 100.0,
                        hi * 100.0
                    );
                }
            }
            s.push(',');
        }
    }
    s.pop();
    s
}
