//! `toeslagenlab bench`: throughput of the whole pipeline (simulation, settlement, statistics,
//! report, charts) at growing household counts, with the machine described.
//!
//! Each measurement is a complete `run` into a temporary directory, so nothing is skipped.
//! Runs shorter than a second are repeated and the fastest counts.
//! Peak memory is the process's high-water mark (VmHWM) after each size; sizes run in
//! ascending order, so the figure after the largest size is the peak of the whole bench.

use crate::cli::run::run_command;
use crate::cli::{QuietArg, RunArgs, SeedArg, ThreadsArg};
use crate::error::{Error, Result};
use std::path::PathBuf;

pub use crate::cli::args::BenchArgs;
use std::time::Instant;

/// Households of the start-up run each scenario's rates are corrected by.
pub const STARTUP_HOUSEHOLDS: i64 = 1_000;

/// One measurement.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Measurement {
    /// Scenario name.
    pub scenario: String,
    /// Households.
    pub households: u64,
    /// Arms.
    pub arms: usize,
    /// Wall seconds of the whole run.
    pub seconds: f64,
    /// Households per second.
    pub households_per_second: f64,
    /// Household-years per second per arm summed over arms (households × arms / s).
    pub household_years_per_second: f64,
    /// Household-months per second (households × arms × 12 / s).
    pub household_months_per_second: f64,
    /// Households per second after start-up: (households − 1,000) / (seconds − seconds of a
    /// 1,000-household run of the same scenario). Start-up (loading, thread pool, report and
    /// charts, which do not grow with households) is what the linearity excludes.
    pub households_per_second_after_startup: f64,
    /// Peak resident memory of the process so far, MiB.
    pub peak_rss_mib: f64,
}

fn proc_field(file: &str, key: &str) -> Option<String> {
    let text = std::fs::read_to_string(file).ok()?;
    text.lines().find(|l| l.starts_with(key)).map(|l| {
        l[key.len()..]
            .trim()
            .trim_start_matches(':')
            .trim()
            .to_string()
    })
}

/// Peak resident set size of this process in MiB (Linux; 0 elsewhere).
pub fn peak_rss_mib() -> f64 {
    proc_field("/proc/self/status", "VmHWM")
        .and_then(|v| {
            v.split_whitespace()
                .next()
                .and_then(|k| k.parse::<f64>().ok())
        })
        .map(|kb| kb / 1024.0)
        .unwrap_or(0.0)
}

/// A one-line description of the machine.
pub fn machine() -> String {
    let cpu = proc_field("/proc/cpuinfo", "model name").unwrap_or_else(|| "unknown CPU".into());
    let mem = proc_field("/proc/meminfo", "MemTotal")
        .and_then(|v| {
            v.split_whitespace()
                .next()
                .and_then(|k| k.parse::<f64>().ok())
        })
        .map(|kb| format!("{:.0} GiB", kb / 1024.0 / 1024.0))
        .unwrap_or_else(|| "? GiB".into());
    let cores = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1);
    format!(
        "{cpu}, {cores} cores available, {mem} memory, {} {}",
        std::env::consts::OS,
        std::env::consts::ARCH
    )
}

/// How far apart per-size rates are: (largest relative deviation from their mean, how far the
/// slowest is below the fastest as a share of the fastest). Both 0 for fewer than two rates.
pub fn linearity(rates: &[f64]) -> (f64, f64) {
    if rates.len() < 2 {
        return (0.0, 0.0);
    }
    let mean = rates.iter().sum::<f64>() / rates.len() as f64;
    let spread = rates
        .iter()
        .map(|r| (r / mean - 1.0).abs())
        .fold(0.0, f64::max);
    let max = rates.iter().copied().fold(f64::MIN, f64::max);
    let min = rates.iter().copied().fold(f64::MAX, f64::min);
    (spread, 1.0 - min / max)
}

/// `bench --uncertainty-draws N`: each scenario's `uncertainty` analysis at each household
/// count, with its cost against its draws' single runs (from the analysis's manifest).
fn bench_uncertainty(args: &BenchArgs, draws: usize) -> Result<()> {
    let scenarios = if args.scenarios.is_empty() {
        vec![PathBuf::from("scenarios/cautious-vs-standard.toml")]
    } else {
        args.scenarios.clone()
    };
    let tmp = std::env::temp_dir().join(format!("toeslagenlab-bench-{}", std::process::id()));
    let _cleanup = RemoveOnDrop(tmp.clone());
    if !args.json {
        crate::outln!("machine: {}", machine())?;
        crate::outln!(
            "{:<22} {:>10} {:>6} {:>5} {:>9} {:>14} {:>14} {:>16}",
            "scenario",
            "households",
            "draws",
            "runs",
            "seconds",
            "draws' runs s",
            "× draws' runs",
            "× draws × central"
        )?;
    }
    let mut results = Vec::new();
    for path in &scenarios {
        let sizes: Vec<Option<i64>> = if args.households.is_empty() {
            vec![None]
        } else {
            args.households.iter().copied().map(Some).collect()
        };
        for n in sizes {
            let out = tmp.join(format!("u-{}", results.len()));
            let u = crate::cli::UncertaintyArgs {
                scenario: path.clone(),
                draws: Some(draws),
                out: Some(out),
                seed: SeedArg { seed: None },
                households: n,
                threads: ThreadsArg {
                    threads: args.threads.threads,
                },
                lang: Default::default(),
                quiet: QuietArg { quiet: true },
                shard: None,
            };
            let dir = crate::cli::uncertainty::uncertainty_command(&u)?;
            let text = std::fs::read_to_string(dir.join("manifest.json"))
                .map_err(|e| Error::io(dir.join("manifest.json"), e))?;
            let m: serde_json::Value = serde_json::from_str(&text)
                .map_err(|e| Error::Internal(format!("reading the analysis's manifest: {e}")))?;
            let _ = std::fs::remove_dir_all(&dir);
            let f = |k: &str| m[k].as_f64().unwrap_or(0.0);
            if !args.json {
                crate::outln!(
                    "{:<22} {:>10} {:>6} {:>5} {:>9.1} {:>14.1} {:>14.2} {:>16.2}",
                    m["scenario"].as_str().unwrap_or("?"),
                    crate::model::money::group_thousands(f("households") as u64),
                    draws,
                    f("runs"),
                    f("run_seconds"),
                    f("draw_runs_seconds"),
                    f("cost_vs_draws_single_runs"),
                    f("cost_vs_draws_times_central_run")
                )?;
            }
            results.push(m);
        }
    }
    finish(args.json, &results, "Each row is a complete `uncertainty` analysis: the central run, two runs per assumption and the draws. \"× draws' runs\": its time over the time of its draws' single runs; \"× draws × central\": over draws × the central run's time (draws with selection into the offer cost more per run than a random-selection central run).")
}

/// Runs the bench and prints a table.
pub fn bench_command(args: &BenchArgs) -> Result<()> {
    if let Some(d) = args.uncertainty_draws {
        return bench_uncertainty(args, d);
    }
    if let Some(limit) = &args.compare_limit {
        return crate::cli::bench_limit::compare_limit(args, limit);
    }
    let scenarios = if args.scenarios.is_empty() {
        vec![
            PathBuf::from("scenarios/bench-zorgtoeslag.toml"),
            PathBuf::from("scenarios/nl-full-scale.toml"),
        ]
    } else {
        args.scenarios.clone()
    };
    let sizes = household_sizes(args, &[10_000, 100_000, 1_000_000, 5_400_000])?;
    let tmp = std::env::temp_dir().join(format!("toeslagenlab-bench-{}", std::process::id()));
    // Removed on every way out, also when a run or a write to stdout fails half-way.
    let _cleanup = RemoveOnDrop(tmp.clone());
    let threads = if args.threads.threads == 0 {
        "all".to_string()
    } else {
        args.threads.threads.to_string()
    };
    if !args.json {
        crate::outln!("machine: {}", machine())?;
        crate::outln!("threads: {threads}")?;
        crate::outln!(
            "{:<20} {:>10} {:>5} {:>8} {:>13} {:>15} {:>12} {:>16} {:>8}",
            "scenario",
            "households",
            "arms",
            "seconds",
            "households/s",
            "household-yrs/s",
            "hh-months/s",
            "hh/s after start",
            "peak MiB"
        )?;
    }
    let mut results = Vec::new();
    for path in &scenarios {
        // Nobody reads the table any more (`bench | head`): stop measuring, exit 0.
        if !args.json && crate::cli::term::stdout_closed() {
            return Ok(());
        }
        let sc = crate::scenario::load(path)?;
        let timed = |n: i64| -> Result<f64> {
            let run = RunArgs {
                scenario: path.clone(),
                out: Some(tmp.join(format!("{}-{n}", crate::output::safe_dir_name(&sc.name)))),
                seed: SeedArg { seed: None },
                households: Some(n),
                threads: ThreadsArg {
                    threads: args.threads.threads,
                },
                households_csv: args.households_csv,
                households_parquet: args.households_parquet,
                monthly_parquet: false,
                replications: Some(1),
                lang: Default::default(),
                quiet: QuietArg { quiet: true },
                shard: None,
            };
            let t = Instant::now();
            let dir = run_command(&run)?;
            let seconds = t.elapsed().as_secs_f64();
            let _ = std::fs::remove_dir_all(&dir);
            Ok(seconds)
        };
        // Short runs are repeated (up to 40 times, about two seconds in all) and the fastest
        // counts, so a 10,000-household run is measured, not the scheduler's noise.
        let best = |n: i64| -> Result<f64> {
            let mut best = f64::INFINITY;
            let mut spent = 0.0;
            for _ in 0..40 {
                let t = timed(n)?;
                best = best.min(t);
                spent += t;
                if spent > 2.0 {
                    break;
                }
            }
            Ok(best)
        };
        // Start-up: a run too small for the households to matter.
        let startup = best(STARTUP_HOUSEHOLDS)?;
        let mut rates = Vec::new();
        for &n in &sizes {
            let seconds = best(n)?;
            let arms = sc.arms.len();
            let hps = n as f64 / seconds;
            let after = if n > STARTUP_HOUSEHOLDS && seconds > startup {
                (n - STARTUP_HOUSEHOLDS) as f64 / (seconds - startup)
            } else {
                hps
            };
            rates.push(after);
            let m = Measurement {
                scenario: sc.name.clone(),
                households: n as u64,
                arms,
                seconds,
                households_per_second: hps,
                household_years_per_second: hps * arms as f64,
                household_months_per_second: hps * arms as f64 * 12.0,
                households_per_second_after_startup: after,
                peak_rss_mib: peak_rss_mib(),
            };
            if !args.json {
                crate::outln!(
                    "{:<20} {:>10} {:>5} {:>8.2} {:>13} {:>15} {:>12} {:>16} {:>8.0}",
                    m.scenario,
                    crate::model::money::group_thousands(m.households),
                    m.arms,
                    m.seconds,
                    crate::model::money::group_thousands(m.households_per_second as u64),
                    crate::model::money::group_thousands(m.household_years_per_second as u64),
                    format!("{:.1} M", m.household_months_per_second / 1e6),
                    crate::model::money::group_thousands(after as u64),
                    m.peak_rss_mib
                )?;
            }
            results.push(m);
        }
        if !args.json && rates.len() > 1 {
            let (spread, gap) = linearity(&rates);
            crate::outln!(
                "{:<20} start-up {:.3} s; households/s after start-up: within ±{:.0}% of their mean, slowest {:.0}% below fastest",
                sc.name,
                startup,
                spread * 100.0,
                gap * 100.0
            )?;
        }
    }
    finish(args.json, &results, "Each row is a complete run (simulation, settlement, statistics, report, charts). Peak MiB is the process high-water mark so far.")
}

/// The household counts to measure: `--households` or `default`, ascending, each checked.
pub(crate) fn household_sizes(args: &BenchArgs, default: &[i64]) -> Result<Vec<i64>> {
    let mut sizes = if args.households.is_empty() {
        default.to_vec()
    } else {
        args.households.clone()
    };
    sizes.sort_unstable();
    for s in &sizes {
        crate::scenario::check_households(*s)
            .map_err(|m| Error::Usage(format!("--households: {m}")))?;
    }
    Ok(sizes)
}

/// Prints the measurements as JSON (`--json`) or the table's footnote.
pub(crate) fn finish<T: serde::Serialize>(json: bool, results: &[T], footnote: &str) -> Result<()> {
    if json {
        let text = serde_json::to_string_pretty(results)
            .map_err(|e| Error::Internal(format!("cannot encode the measurements: {e}")))?;
        crate::outln!("{text}")?;
    } else {
        crate::outln!("{footnote}")?;
    }
    Ok(())
}

/// Removes a scratch directory when dropped.
pub(crate) struct RemoveOnDrop(pub(crate) std::path::PathBuf);

impl Drop for RemoveOnDrop {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[cfg(test)]
mod tests {
    use super::linearity;

    #[test]
    fn linearity_reports_mean_spread_and_slowest_below_fastest() {
        let (spread, gap) = linearity(&[2.0, 3.0, 3.0, 4.0]);
        assert!((spread - 1.0 / 3.0).abs() < 1e-12, "{spread}");
        assert!((gap - 0.5).abs() < 1e-12, "{gap}");
        assert_eq!(linearity(&[5.0]), (0.0, 0.0));
        assert_eq!(linearity(&[3.0, 3.0]), (0.0, 0.0));
    }
}
