//! Scenario regression for CI: `[[expect]]` blocks, committed baselines, `check`, `diff`, JUnit
//! and JSON output.
//!
//! A baseline is a `summary.json` produced with several replications, so every metric carries
//! its Monte Carlo standard error, plus the program version that wrote it. Two runs with the
//! same seed and program version are compared exactly (any change is a move); otherwise a
//! metric has moved when `|current − baseline| > max(absolute floor, k × √(se_baseline² +
//! se_current²))` (see [`crate::analysis::regression`]). With `--baseline`, a scenario without
//! its baseline file is an error unless `--allow-missing`.

use crate::error::{Error, Result};
use crate::output::report::{self, Summary};
use crate::scenario::files::scenario_files;
use crate::scenario::overrides::load_with_overrides;
use crate::scenario::Scenario;
use crate::sim::engine::RunOptions;
use serde::Deserialize as _;
use serde_json::Value;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

pub use crate::analysis::regression::{
    choose_mode, compare, compare_summaries, evaluate, no_standard_errors_warning, Mode, Movement,
    Verdict,
};
use crate::analysis::replications::run_replications;
pub use crate::cli::args::{CheckArgs, DiffArgs};
pub use crate::model::expectation::Expectation;
pub use crate::model::metric::Metric;
pub use crate::output::check::{baseline_json, junit_xml};
pub use crate::scenario::expect::{validate_expectations, RawExpect};

/// The program version a baseline records (`program_version`) and a run's manifest.json holds.
pub const PROGRAM_VERSION: &str = env!("CARGO_PKG_VERSION");

/// Runs a scenario in memory with `replications` replications and returns its summary.
pub fn run_summary(
    path: &Path,
    seed: Option<u64>,
    replications: u32,
    threads: usize,
) -> Result<(crate::scenario::Scenario, Summary)> {
    let sc = load_with_overrides(path, seed, None)?;
    let main = replicated_summary(&sc, replications, threads)?;
    Ok((sc, main))
}

/// The summary of `sc` over `max(replications, the scenario's, 1)` replications, with Monte
/// Carlo standard errors when there are several.
pub fn replicated_summary(sc: &Scenario, replications: u32, threads: usize) -> Result<Summary> {
    let opts = RunOptions {
        threads,
        ..RunOptions::default()
    };
    let reps = replications.max(sc.replications).max(1);
    let summaries = run_replications(sc, &opts, 0..reps, |_, _, _| {}, |_, _| {})?;
    let mut main = summaries[0].clone();
    report::add_replications(&mut main, &summaries);
    Ok(main)
}

fn fmt_num(x: f64) -> String {
    if x.abs() >= 100.0 {
        format!("{x:.2}")
    } else {
        format!("{x:.6}")
    }
}

/// `toeslagenlab check`.
pub fn check_command(args: &CheckArgs) -> Result<()> {
    if !(args.k > 0.0 && args.k.is_finite()) {
        return Err(Error::Usage(format!(
            "--k {} must be a positive number of standard errors",
            args.k
        )));
    }
    let files = scenario_files(&args.paths)?;
    // Validate everything first: bad input is exit 2, before any run. Each file is parsed once.
    let loaded = load_all(&files)?;
    check_baseline_dir(args)?;
    check_missing_baselines(args, &files)?;
    let mut verdicts = Vec::new();
    let mut movements_report = String::new();
    let mut ran = 0;
    for (f, sc) in files.iter().zip(loaded) {
        if check_scenario(args, f, sc?, &mut verdicts, &mut movements_report)? {
            ran += 1;
        }
    }
    if let Some(j) = &args.junit {
        crate::output::write_file_atomic(j, junit_xml(&verdicts).as_bytes())?;
    }
    print_results(args, ran, &verdicts, &movements_report)
}

/// Loads every scenario once. Input problems of all files are reported together (exit 2)
/// before anything runs; other errors are kept for when their file's turn comes.
fn load_all(files: &[PathBuf]) -> Result<Vec<Result<Scenario>>> {
    let mut problems = Vec::new();
    let mut loaded = Vec::with_capacity(files.len());
    for f in files {
        match crate::scenario::load(f) {
            Err(Error::Input(d)) => problems.extend(d),
            other => loaded.push(other),
        }
    }
    if !problems.is_empty() {
        return Err(Error::Input(problems));
    }
    Ok(loaded)
}

/// `--baseline` must name a directory (that exists, unless `--update` creates it).
fn check_baseline_dir(args: &CheckArgs) -> Result<()> {
    let Some(dir) = &args.baseline else {
        return Ok(());
    };
    if dir.is_file() || dir.extension().is_some_and(|e| e == "json") {
        let parent = dir
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        return Err(Error::Usage(format!(
            "--baseline {}: takes a directory, not a file (each scenario's baseline is DIR/<scenario file stem>.json); try `--baseline {}/`",
            dir.display(),
            parent.display()
        )));
    }
    if !args.update && !dir.is_dir() {
        return Err(Error::Usage(format!("{}: no such baseline directory; create the baselines with `toeslagenlab check {} --baseline {} --update`", dir.display(), args.paths.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(" "), dir.display())));
    }
    Ok(())
}

/// The baseline file of scenario file `f` in `dir`: `DIR/<file stem>.json`.
fn baseline_path(dir: &Path, f: &Path) -> PathBuf {
    let stem = f
        .file_stem()
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_default();
    dir.join(format!("{stem}.json"))
}

/// With `--baseline` (and not `--update`) every scenario needs its baseline file: a missing one
/// is bad input (exit 2), all named at once before anything runs, unless `--allow-missing`,
/// which skips their baseline comparison and says so on stderr.
fn check_missing_baselines(args: &CheckArgs, files: &[PathBuf]) -> Result<()> {
    let Some(dir) = args.baseline.as_ref().filter(|_| !args.update) else {
        return Ok(());
    };
    let missing: Vec<(&PathBuf, PathBuf)> = files
        .iter()
        .map(|f| (f, baseline_path(dir, f)))
        .filter(|(_, b)| !b.is_file())
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    if args.allow_missing {
        for (f, b) in &missing {
            crate::cli::term::note(format!(
                "{}: no baseline file {}: baseline comparison skipped (--allow-missing)",
                f.display(),
                b.display()
            ));
        }
        return Ok(());
    }
    let lines: Vec<String> = missing
        .iter()
        .map(|(f, b)| format!("{}: no baseline file {}", f.display(), b.display()))
        .collect();
    Err(Error::Usage(format!(
        "{}\ncreate a baseline with `toeslagenlab check {} --baseline {} --update`, or pass --allow-missing to skip the scenarios without one",
        lines.join("\n"),
        missing[0].0.display(),
        dir.display()
    )))
}

/// Checks one scenario (its expectations, and its baseline or `--update`); returns whether it
/// ran.
fn check_scenario(
    args: &CheckArgs,
    f: &Path,
    sc: Scenario,
    verdicts: &mut Vec<Verdict>,
    movements_report: &mut String,
) -> Result<bool> {
    let baseline_path = args.baseline.as_ref().map(|d| baseline_path(d, f));
    let has_baseline = baseline_path.as_ref().is_some_and(|p| p.is_file());
    // --update writes a new baseline only for a scenario named as a file (or one with
    // expectations): a directory does not pull in, say, a national-scale run by accident.
    let named = args.paths.iter().any(|p| p == f);
    let wants_run = !sc.expectations.is_empty()
        || has_baseline
        || (args.update && args.baseline.is_some() && named);
    crate::cli::term::detail(format!(
        "{}: {} ({} expectations{})",
        f.display(),
        if wants_run {
            "checking"
        } else {
            "skipped: no expectations or baseline"
        },
        sc.expectations.len(),
        if has_baseline { ", baseline" } else { "" }
    ));
    if !wants_run {
        return Ok(false);
    }
    let reps = if args.baseline.is_some() {
        args.replications.max(2)
    } else {
        sc.replications
    };
    let mut sc = sc;
    if let Some(seed) = args.seed {
        sc.seed = seed;
    }
    if let Some(n) = args.households {
        sc.households = crate::scenario::check_households(n)
            .map_err(|m| Error::Usage(format!("--households: {m}")))?;
    }
    let summary = replicated_summary(&sc, reps, args.threads.threads)?;
    verdicts.extend(evaluate(&sc.name, &sc.expectations, &summary));
    if let Some(bp) = baseline_path {
        if args.update {
            update_baseline(args, &bp, &summary, movements_report)?;
        } else if has_baseline {
            compare_baseline(args, &sc.name, &bp, &summary, verdicts)?;
        }
    }
    Ok(true)
}

/// `--update`: writes the new baseline and notes what moved against the old one.
fn update_baseline(
    args: &CheckArgs,
    bp: &Path,
    summary: &Summary,
    movements_report: &mut String,
) -> Result<()> {
    if bp.is_file() {
        // An old baseline that is JSON but not a summary is simply replaced.
        let old: Value = read_json(bp)?;
        let old_version = recorded_version(bp, &old);
        let cur = round_trip(summary)?;
        let compared = Summary::deserialize(old)
            .map_err(|e| e.to_string())
            .and_then(|old| {
                let (mode, _) = choose_mode(
                    (&old, old_version.as_deref(), "the old baseline"),
                    (&cur, Some(PROGRAM_VERSION), "this run"),
                );
                compare(&old, &cur, mode, args.k).map(|ms| (mode, ms))
            });
        if let Ok((mode, ms)) = compared {
            let moved: Vec<&Movement> = ms.iter().filter(|m| !m.ok).collect();
            let _ = writeln!(
                movements_report,
                "{}: {} metrics {} vs the old baseline",
                bp.display(),
                moved.len(),
                match mode {
                    Mode::Exact => "changed (exact: same seed and program version)",
                    Mode::MonteCarlo => "beyond tolerance",
                }
            );
            for m in moved {
                let _ = writeln!(
                    movements_report,
                    "  {}: {} → {}{}",
                    m.path,
                    fmt_num(m.baseline),
                    fmt_num(m.current),
                    match mode {
                        Mode::Exact => String::new(),
                        Mode::MonteCarlo => format!(" ({:+.2} SE)", m.z),
                    }
                );
            }
        }
    } else {
        let _ = writeln!(movements_report, "{}: new baseline", bp.display());
    }
    if let Some(parent) = bp.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
    }
    crate::output::write_file_atomic(bp, baseline_json(summary, PROGRAM_VERSION).as_bytes())
}

/// `s` as `check` and `diff` see a summary read from a file: written as summary.json and read
/// back, so that the exact comparison compares the values as summary.json writes them.
fn round_trip(s: &Summary) -> Result<Summary> {
    let v: Value = serde_json::from_str(&report::summary_json(s))
        .map_err(|e| Error::Internal(format!("summary.json does not read back: {e}")))?;
    Summary::deserialize(v)
        .map_err(|e| Error::Internal(format!("summary.json does not read back: {e}")))
}

/// Prints the note on the comparison mode and the warning on missing standard errors, if any.
fn print_mode_notes(note: Option<String>, base: &Summary, cur: &Summary, k: f64) {
    if let Some(n) = note {
        crate::cli::term::note(n);
    }
    if let Some(w) = no_standard_errors_warning(base, cur, k) {
        crate::cli::term::warn(w);
    }
}

/// Compares the run with its committed baseline: one verdict per moved metric and one overall.
fn compare_baseline(
    args: &CheckArgs,
    scenario: &str,
    bp: &Path,
    summary: &Summary,
    verdicts: &mut Vec<Verdict>,
) -> Result<()> {
    let (base, base_version) = read_run(bp)?;
    let cur = round_trip(summary)?;
    let label = format!("the baseline {}", bp.display());
    let (mode, note) = choose_mode(
        (&base, base_version.as_deref(), &label),
        (&cur, Some(PROGRAM_VERSION), "this run"),
    );
    print_mode_notes(note, &base, &cur, args.k);
    match compare(&base, &cur, mode, args.k) {
        Err(m) => verdicts.push(Verdict {
            scenario: scenario.to_string(),
            check: format!("baseline {}", bp.display()),
            value: String::new(),
            pass: false,
            detail: m,
        }),
        Ok(ms) => {
            let moved: Vec<&Movement> = ms.iter().filter(|m| !m.ok).collect();
            for m in &moved {
                verdicts.push(Verdict {
                    scenario: scenario.to_string(),
                    check: format!("baseline {}", m.path),
                    value: fmt_num(m.current),
                    pass: false,
                    detail: match mode {
                        Mode::Exact => format!(
                            "moved from {} to {} ({:+}; exact comparison: same seed and program version, so any change is a move)",
                            fmt_num(m.baseline),
                            fmt_num(m.current),
                            fmt_num(m.change),
                        ),
                        Mode::MonteCarlo => format!(
                            "moved from {} to {} ({:+}, {:+.1} standard errors; tolerance ±{})",
                            fmt_num(m.baseline),
                            fmt_num(m.current),
                            fmt_num(m.change),
                            m.z,
                            fmt_num(m.tolerance)
                        ),
                    },
                });
            }
            verdicts.push(Verdict {
                scenario: scenario.to_string(),
                check: match mode {
                    Mode::Exact => format!(
                        "baseline: {} metrics equal (same seed and program version)",
                        ms.len()
                    ),
                    Mode::MonteCarlo => format!(
                        "baseline: {} metrics within max(floor, {} SE)",
                        ms.len(),
                        args.k
                    ),
                },
                value: format!("{} moved", moved.len()),
                pass: moved.is_empty(),
                detail: String::new(),
            });
        }
    }
    Ok(())
}

/// Prints the verdicts (table or `--json`) and turns failures into exit 1.
fn print_results(
    args: &CheckArgs,
    ran: usize,
    verdicts: &[Verdict],
    movements_report: &str,
) -> Result<()> {
    let failed = verdicts.iter().filter(|v| !v.pass).count();
    if args.json {
        let v = serde_json::json!({"scenarios_run": ran, "checks": verdicts, "failed": failed});
        crate::outln!("{}", serde_json::to_string_pretty(&v).unwrap_or_default())?;
    } else {
        crate::out!("{}", verdict_table(verdicts))?;
        if !movements_report.is_empty() {
            crate::out!("{movements_report}")?;
        }
        crate::outln!(
            "{} run, {}, {} failed",
            crate::output::format::count(ran as u64, "scenario", "scenarios"),
            crate::output::format::count(verdicts.len() as u64, "check", "checks"),
            failed
        )?;
    }
    if failed > 0 {
        Err(Error::CheckFailed(format!(
            "{failed} of {} checks failed",
            verdicts.len()
        )))
    } else {
        Ok(())
    }
}

/// The largest summary.json `diff` and `check` read (10 MB; shipped runs write well under 1 MB).
pub const MAX_SUMMARY_BYTES: u64 = 10 * 1024 * 1024;

/// Reads a summary.json given by the user (see [`read_text`]) as JSON.
fn read_json(p: &Path) -> Result<Value> {
    serde_json::from_str(&read_text(p)?)
        .map_err(|e| Error::Usage(format!("{}: not a summary.json: {e}", p.display())))
}

/// Reads a summary.json given by the user (see [`read_text`]) as a typed summary (by way of a
/// JSON value: the summary's `&'static str` fields make it deserializable from owned data
/// only), with the program version that wrote it if that is recorded ([`recorded_version`]).
fn read_run(p: &Path) -> Result<(Summary, Option<String>)> {
    let v = read_json(p)?;
    let version = recorded_version(p, &v);
    let s = Summary::deserialize(v)
        .map_err(|e| Error::Usage(format!("{}: not a summary.json: {e}", p.display())))?;
    Ok((s, version))
}

/// The largest manifest.json read for a program version.
const MAX_MANIFEST_BYTES: u64 = 1024 * 1024;

/// The program version that wrote the summary `v` read from `p`: its `program_version` (a
/// baseline written by `check --update`), else the `version` of the toeslagenlab manifest.json
/// next to it when that manifest is of the same run (same scenario and seed).
fn recorded_version(p: &Path, v: &Value) -> Option<String> {
    if let Some(version) = v.get("program_version").and_then(Value::as_str) {
        return Some(version.to_string());
    }
    use std::io::Read;
    let manifest = p.parent()?.join("manifest.json");
    if !manifest.is_file() {
        return None;
    }
    let mut text = String::new();
    std::fs::File::open(&manifest)
        .ok()?
        .take(MAX_MANIFEST_BYTES)
        .read_to_string(&mut text)
        .ok()?;
    let m: Value = serde_json::from_str(&text).ok()?;
    let same_run = m["program"] == "toeslagenlab"
        && m["scenario"] == v["scenario"]
        && m["seed"] == v["seed"]
        && !v["seed"].is_null();
    same_run
        .then(|| m["version"].as_str().map(str::to_string))
        .flatten()
}

/// Reads the text of a summary.json given by the user. A missing, unreadable, oversized or
/// non-UTF-8 file is bad input (exit 2), named with what to pass instead; the read is bounded,
/// so a device or FIFO cannot make it run away.
fn read_text(p: &Path) -> Result<String> {
    use std::io::Read;
    let hint = "pass the summary.json of a run, e.g. output/NAME/summary.json";
    let unreadable =
        |e: std::io::Error| Error::Usage(format!("{}: cannot read it ({e}); {hint}", p.display()));
    if p.is_dir() {
        return Err(Error::Usage(format!(
            "{}: is a directory, not a file; {hint}",
            p.display()
        )));
    }
    if p.exists() && !p.is_file() {
        return Err(Error::Usage(format!(
            "{}: is not a regular file (a device, FIFO or socket); {hint}",
            p.display()
        )));
    }
    let mut bytes = Vec::new();
    std::fs::File::open(p)
        .map_err(unreadable)?
        .take(MAX_SUMMARY_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(unreadable)?;
    if bytes.len() as u64 > MAX_SUMMARY_BYTES {
        return Err(Error::Usage(format!(
            "{}: larger than the {} MB limit of a summary.json; {hint}",
            p.display(),
            MAX_SUMMARY_BYTES / (1024 * 1024)
        )));
    }
    String::from_utf8(bytes)
        .map_err(|e| Error::Usage(format!("{}: not UTF-8 text ({e}); {hint}", p.display())))
}

/// `toeslagenlab diff A B`.
pub fn diff_command(args: &DiffArgs) -> Result<()> {
    let (a, va) = read_run(&args.a)?;
    let (b, vb) = read_run(&args.b)?;
    let (mode, note) = choose_mode((&a, va.as_deref(), "A"), (&b, vb.as_deref(), "B"));
    print_mode_notes(note, &a, &b, args.k);
    let ms = compare(&a, &b, mode, args.k).map_err(Error::Usage)?;
    let moved = ms.iter().filter(|m| !m.ok).count();
    crate::outln!(
        "{:<60} {:>14} {:>14} {:>10}  verdict",
        "metric",
        "A",
        "B",
        "SE"
    )?;
    for m in ms.iter().filter(|m| args.all || !m.ok) {
        crate::outln!(
            "{:<60} {:>14} {:>14} {:>10}  {}",
            m.path,
            fmt_num(m.baseline),
            fmt_num(m.current),
            if m.se > 0.0 {
                format!("{:+.1}", m.z)
            } else {
                "—".into()
            },
            if m.ok { "ok" } else { "MOVED" }
        )?;
    }
    match mode {
        Mode::Exact => crate::outln!(
            "{} metrics compared exactly (same seed {} and program version {}), {} moved",
            ms.len(),
            a.seed,
            va.as_deref().unwrap_or_default(),
            moved
        )?,
        Mode::MonteCarlo => crate::outln!(
            "{} metrics compared, {} moved beyond max(floor, {} SE)",
            ms.len(),
            moved,
            args.k
        )?,
    }
    if moved > 0 {
        Err(Error::CheckFailed(format!("{moved} metrics moved")))
    } else {
        Ok(())
    }
}

/// The verdict table, with `ok`/`FAIL` coloured as stdout allows.
pub fn verdict_table(vs: &[Verdict]) -> String {
    let color = crate::cli::term::stdout_color();
    crate::output::check::verdict_table(vs, |pass| {
        if pass {
            crate::cli::term::paint("ok", crate::cli::term::Style::Ok, color)
        } else {
            crate::cli::term::paint("FAIL", crate::cli::term::Style::Error, color)
        }
    })
}
