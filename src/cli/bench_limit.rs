//! `toeslagenlab bench --compare-limit PATH`: the CPU time of complete runs against a reference
//! program for the same model (the tight-loop limit of the bench model), measured alternately
//! in one session so that the ratio, not the machine, is what is reported.
//!
//! Each round runs toeslagenlab in this process (a complete `run` into a scratch directory) and
//! then the reference as a child process `PATH HOUSEHOLDS THREADS`; CPU time is user + system
//! time from `/proc/self/stat` (this process, and its waited-for children for the reference).
//! Three rounds per household count; the median of the rounds' ratios is the result.

use crate::cli::bench::{machine, BenchArgs, RemoveOnDrop};
use crate::cli::run::run_command;
use crate::cli::{QuietArg, RunArgs, SeedArg, ThreadsArg};
use crate::error::{Error, Result};
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Rounds per household count (the median is reported).
pub const ROUNDS: usize = 3;

/// Clock ticks per second of `/proc/<pid>/stat` times (USER_HZ, fixed at 100 by the Linux ABI).
const USER_HZ: f64 = 100.0;

/// CPU seconds (user + system) of this process and of its waited-for children, from
/// `/proc/self/stat`; `None` where that file does not exist (not Linux).
pub fn cpu_seconds() -> Option<(f64, f64)> {
    let text = std::fs::read_to_string("/proc/self/stat").ok()?;
    // The command name (field 2) may contain spaces: fields are counted after its ')'.
    let rest = &text[text.rfind(')')? + 1..];
    let f: Vec<f64> = rest
        .split_whitespace()
        .map(|x| x.parse::<f64>().unwrap_or(0.0))
        .collect();
    // After ')': field 3 is index 0, so utime (14) is 11, stime 12, cutime 13, cstime 14.
    if f.len() < 15 {
        return None;
    }
    Some(((f[11] + f[12]) / USER_HZ, (f[13] + f[14]) / USER_HZ))
}

/// One round: CPU and wall seconds of both programs.
#[derive(Debug, Clone, Copy, serde::Serialize)]
pub struct Round {
    /// toeslagenlab CPU seconds (user + system).
    pub cpu: f64,
    /// toeslagenlab wall seconds.
    pub wall: f64,
    /// Reference CPU seconds.
    pub limit_cpu: f64,
    /// Reference wall seconds.
    pub limit_wall: f64,
}

/// The comparison at one household count.
#[derive(Debug, Clone, serde::Serialize)]
pub struct LimitComparison {
    /// Scenario name.
    pub scenario: String,
    /// Households.
    pub households: u64,
    /// Threads given to both.
    pub threads: usize,
    /// Every round, in order.
    pub rounds: Vec<Round>,
    /// Median over rounds of toeslagenlab CPU / reference CPU.
    pub cpu_ratio_median: f64,
    /// Median over rounds of toeslagenlab wall / reference wall.
    pub wall_ratio_median: f64,
}

/// The median of a non-empty list.
pub fn median(mut x: Vec<f64>) -> f64 {
    x.sort_by(f64::total_cmp);
    let n = x.len();
    if n % 2 == 1 {
        x[n / 2]
    } else {
        (x[n / 2 - 1] + x[n / 2]) / 2.0
    }
}

/// Runs the reference once: `(cpu, wall)` seconds.
fn run_limit(limit: &Path, households: i64, threads: usize) -> Result<(f64, f64)> {
    let before = cpu_seconds().map_or(0.0, |c| c.1);
    let t = Instant::now();
    let out = std::process::Command::new(limit)
        .arg(households.to_string())
        .arg(threads.to_string())
        .output()
        .map_err(|e| {
            Error::Usage(format!(
                "--compare-limit: cannot run {}: {e}; give the path of the built reference program (e.g. ledger-limit, built with cargo build --release)",
                limit.display()
            ))
        })?;
    let wall = t.elapsed().as_secs_f64();
    if !out.status.success() {
        return Err(Error::Usage(format!(
            "--compare-limit: {} {households} {threads} failed ({}): {}",
            limit.display(),
            out.status,
            String::from_utf8_lossy(&out.stderr).trim()
        )));
    }
    let after = cpu_seconds().map_or(0.0, |c| c.1);
    Ok((after - before, wall))
}

/// `bench --compare-limit PATH`.
pub fn compare_limit(args: &BenchArgs, limit: &Path) -> Result<()> {
    if cpu_seconds().is_none() {
        return Err(Error::Usage(
            "--compare-limit measures CPU time from /proc/self/stat, which this system does not have (Linux only)".into(),
        ));
    }
    if !limit.is_file() {
        return Err(Error::Usage(format!(
            "--compare-limit: {} is not a file; give the path of the built reference program",
            limit.display()
        )));
    }
    let scenarios = if args.scenarios.is_empty() {
        vec![PathBuf::from("scenarios/bench-zorgtoeslag.toml")]
    } else {
        args.scenarios.clone()
    };
    let sizes = crate::cli::bench::household_sizes(args, &[1_000_000])?;
    let threads = if args.threads.threads == 0 {
        std::thread::available_parallelism().map_or(1, |n| n.get())
    } else {
        args.threads.threads
    };
    let tmp = std::env::temp_dir().join(format!("toeslagenlab-limit-{}", std::process::id()));
    let _cleanup = RemoveOnDrop(tmp.clone());
    if !args.json {
        crate::outln!("machine: {}", machine())?;
        crate::outln!(
            "reference: {} (called as PATH HOUSEHOLDS {threads}); {ROUNDS} alternating rounds per size",
            limit.display()
        )?;
        crate::outln!(
            "{:<20} {:>10} {:>7} {:>9} {:>9} {:>9} {:>9} {:>9} {:>9}",
            "scenario",
            "households",
            "threads",
            "CPU s",
            "ref CPU s",
            "CPU ratio",
            "wall s",
            "ref wall",
            "wall ratio"
        )?;
    }
    let mut results = Vec::new();
    for path in &scenarios {
        let sc = crate::scenario::load(path)?;
        for &n in &sizes {
            let mut rounds = Vec::with_capacity(ROUNDS);
            for _ in 0..ROUNDS {
                let run = RunArgs {
                    scenario: path.clone(),
                    out: Some(tmp.join(format!("{}-{n}", crate::output::safe_dir_name(&sc.name)))),
                    seed: SeedArg { seed: None },
                    households: Some(n),
                    threads: ThreadsArg { threads },
                    households_csv: false,
                    households_parquet: false,
                    monthly_parquet: false,
                    replications: Some(1),
                    lang: Default::default(),
                    quiet: QuietArg { quiet: true },
                    shard: None,
                };
                let before = cpu_seconds().map_or(0.0, |c| c.0);
                let t = Instant::now();
                let dir = run_command(&run)?;
                let wall = t.elapsed().as_secs_f64();
                let cpu = cpu_seconds().map_or(0.0, |c| c.0) - before;
                let _ = std::fs::remove_dir_all(&dir);
                let (limit_cpu, limit_wall) = run_limit(limit, n, threads)?;
                rounds.push(Round {
                    cpu,
                    wall,
                    limit_cpu,
                    limit_wall,
                });
            }
            // A reference too fast to register a clock tick has no ratio.
            let ratio = |a: f64, b: f64| if b > 0.0 { a / b } else { f64::NAN };
            let c = LimitComparison {
                scenario: sc.name.clone(),
                households: n as u64,
                threads,
                cpu_ratio_median: median(
                    rounds.iter().map(|r| ratio(r.cpu, r.limit_cpu)).collect(),
                ),
                wall_ratio_median: median(
                    rounds.iter().map(|r| ratio(r.wall, r.limit_wall)).collect(),
                ),
                rounds,
            };
            if !args.json {
                let med = |f: fn(&Round) -> f64| median(c.rounds.iter().map(f).collect());
                crate::outln!(
                    "{:<20} {:>10} {:>7} {:>9.2} {:>9.2} {:>8.2}x {:>9.2} {:>9.2} {:>8.2}x",
                    c.scenario,
                    crate::model::money::group_thousands(c.households),
                    c.threads,
                    med(|r| r.cpu),
                    med(|r| r.limit_cpu),
                    c.cpu_ratio_median,
                    med(|r| r.wall),
                    med(|r| r.limit_wall),
                    c.wall_ratio_median
                )?;
            }
            results.push(c);
        }
    }
    crate::cli::bench::finish(args.json, &results, "CPU is user + system time; toeslagenlab's is a complete run (simulation, settlement, statistics, report, charts), the reference's whatever it computes. Ratios are medians over the rounds' ratios.")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_of_odd_and_even_lists() {
        assert_eq!(median(vec![3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(vec![4.0, 1.0, 3.0, 2.0]), 2.5);
    }

    #[test]
    fn cpu_seconds_grow_with_work() {
        let Some((a, _)) = cpu_seconds() else { return };
        let mut x = 0u64;
        let t = Instant::now();
        while t.elapsed().as_millis() < 200 {
            x = x.wrapping_mul(6364136223846793005).wrapping_add(1);
        }
        std::hint::black_box(x);
        let (b, _) = cpu_seconds().unwrap();
        assert!(b > a, "{a} -> {b}");
    }
}
