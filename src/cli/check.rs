//! Scenario regression for CI: `[[expect]]` blocks, committed baselines with Monte-Carlo-aware
//! tolerances, `check`, `diff`, JUnit and JSON output.
//!
//! A baseline is a `summary.json` produced with several replications, so every metric carries
//! its Monte Carlo standard error. A metric has moved when
//! `|current − baseline| > max(absolute floor, k × √(se_baseline² + se_current²))`.

use crate::error::{Error, Result};
use crate::output::report::{self, Summary};
use crate::scenario::files::scenario_files;
use crate::scenario::overrides::load_with_overrides;
use crate::sim::engine::RunOptions;
use serde::Serialize;
use serde_json::Value;
use std::fmt::Write as _;
use std::path::Path;

pub use crate::cli::args::{CheckArgs, DiffArgs};
pub use crate::model::expectation::Expectation;
pub use crate::model::metric::{ARM_METRICS, COMPARISON_METRICS};
pub use crate::scenario::expect::{validate_expectations, RawExpect};

/// The verdict on one expectation or baseline metric.
#[derive(Debug, Clone, Serialize)]
pub struct Verdict {
    /// Scenario name.
    pub scenario: String,
    /// What was checked.
    pub check: String,
    /// The value found (rendered).
    pub value: String,
    /// Whether it holds.
    pub pass: bool,
    /// Explanation on failure.
    pub detail: String,
}

/// Evaluates expectations against a summary (as JSON).
pub fn evaluate(scenario: &str, exps: &[Expectation], s: &Value) -> Vec<Verdict> {
    exps.iter()
        .map(|e| {
            let (value, pass, detail) = match e {
                Expectation::Arm {
                    arm,
                    metric,
                    min,
                    max,
                } => match s["arms"][arm][metric].as_f64() {
                    None => (
                        String::from("missing"),
                        false,
                        format!("summary has no arms.{arm}.{metric}"),
                    ),
                    Some(v) => {
                        let ok = min.is_none_or(|m| v >= m) && max.is_none_or(|m| v <= m);
                        (
                            format!("{v}"),
                            ok,
                            if ok {
                                String::new()
                            } else {
                                format!("{v} is outside the bounds")
                            },
                        )
                    }
                },
                Expectation::Compare {
                    arm,
                    metric,
                    decrease,
                    significant,
                    min,
                    max,
                    ..
                } => {
                    let c = s["comparisons"].as_array().and_then(|cs| {
                        cs.iter().find(|c| {
                            c["arm"] == arm.as_str()
                                && c["metric"] == metric.as_str()
                                && c["population"] == "all"
                        })
                    });
                    match c {
                        None => (
                            String::from("missing"),
                            false,
                            format!("summary has no comparison {arm} {metric}"),
                        ),
                        // A comparison without an estimate (a group of 0 or 1 households)
                        // satisfies no expectation.
                        Some(c) if c["difference"].as_f64().is_none() => {
                            let why = format!(
                                "not estimable ({})",
                                c["not_estimable"].as_str().unwrap_or("no difference")
                            );
                            (why.clone(), false, why)
                        }
                        Some(c) => {
                            let d = c["difference"].as_f64().unwrap_or(f64::NAN);
                            let p = c["p_value"].as_f64();
                            let mut why = Vec::new();
                            if let Some(dec) = decrease {
                                if (*dec && d >= 0.0) || (!*dec && d <= 0.0) {
                                    why.push(format!(
                                        "difference {d} does not {}",
                                        if *dec { "decrease" } else { "increase" }
                                    ));
                                }
                            }
                            if *significant {
                                match p {
                                    Some(p) if p < 0.05 => {}
                                    Some(p) => why.push(format!("not significant (p = {p})")),
                                    None => why.push("no p-value for this metric".into()),
                                }
                            }
                            if min.is_some_and(|m| d < m) || max.is_some_and(|m| d > m) {
                                why.push(format!("difference {d} is outside the bounds"));
                            }
                            let value = match p {
                                Some(p) => format!("{d} (p {p:.4})"),
                                None => format!("{d}"),
                            };
                            (value, why.is_empty(), why.join("; "))
                        }
                    }
                }
            };
            Verdict {
                scenario: scenario.to_string(),
                check: e.describe(),
                value,
                pass,
                detail,
            }
        })
        .collect()
}

/// Absolute tolerance floor of a metric: half a percentage point of a thousandth for shares,
/// one euro for amounts (totals scale with households: one euro per 100 households).
fn floor_for(metric: &str, households: f64) -> f64 {
    if metric.contains("share") {
        0.0005
    } else if metric.starts_with("total_") {
        (households / 100.0).max(1.0)
    } else {
        1.0
    }
}

/// One metric that moved beyond its tolerance, or was compared.
#[derive(Debug, Clone, Serialize)]
pub struct Movement {
    /// Metric path, e.g. `arms.cautious.reclaim_share`.
    pub path: String,
    /// Baseline value.
    pub baseline: f64,
    /// Current value.
    pub current: f64,
    /// Current − baseline.
    pub change: f64,
    /// Combined Monte Carlo standard error.
    pub se: f64,
    /// The change in standard errors (∞ when se = 0).
    pub z: f64,
    /// Tolerance applied.
    pub tolerance: f64,
    /// Within tolerance.
    pub ok: bool,
}

/// Compares every metric of two summaries. `k` multiplies the Monte Carlo standard error.
pub fn compare_summaries(
    base: &Value,
    cur: &Value,
    k: f64,
) -> std::result::Result<Vec<Movement>, String> {
    let mut out = Vec::new();
    let households = cur["households"].as_f64().unwrap_or(1.0);
    for key in ["scenario", "year", "design", "households"] {
        if base[key] != cur[key] {
            return Err(format!("`{key}` differs: baseline {} vs current {}; update the baseline if the scenario changed on purpose", base[key], cur[key]));
        }
    }
    let arms = base["arms"].as_object().ok_or("baseline has no `arms`")?;
    for (arm, b) in arms {
        let c = &cur["arms"][arm];
        if c.is_null() {
            return Err(format!(
                "arm `{arm}` is in the baseline but not in the current run"
            ));
        }
        for metric in ARM_METRICS {
            let (Some(bv), Some(cv)) = (b[metric].as_f64(), c[metric].as_f64()) else {
                continue;
            };
            // A standard error estimated from a few replications is itself noisy: shares are
            // floored at their binomial standard error √(p(1−p)/n).
            let n = b["households"].as_f64().unwrap_or(households).max(1.0);
            let analytic = |p: f64| {
                if metric.ends_with("_share") && (0.0..=1.0).contains(&p) {
                    (p * (1.0 - p) / n).sqrt()
                } else {
                    0.0
                }
            };
            let se_b = b["mc_standard_errors"][metric]
                .as_f64()
                .unwrap_or(0.0)
                .max(analytic(bv));
            let se_c = c["mc_standard_errors"][metric]
                .as_f64()
                .unwrap_or(0.0)
                .max(analytic(cv));
            out.push(movement(
                format!("arms.{arm}.{metric}"),
                bv,
                cv,
                se_b,
                se_c,
                k,
                floor_for(metric, households),
            ));
        }
    }
    let empty = vec![];
    let bc = base["comparisons"].as_array().unwrap_or(&empty);
    let cc = cur["comparisons"].as_array().unwrap_or(&empty);
    for b in bc {
        let id = |c: &Value| {
            (
                c["arm"].clone(),
                c["metric"].clone(),
                c["population"].clone(),
            )
        };
        let Some(c) = cc.iter().find(|c| id(c) == id(b)) else {
            continue;
        };
        let (Some(bv), Some(cv)) = (b["difference"].as_f64(), c["difference"].as_f64()) else {
            continue;
        };
        let metric = b["metric"].as_str().unwrap_or("");
        let path = format!(
            "comparisons.{}.{}.{}",
            b["arm"].as_str().unwrap_or(""),
            metric,
            b["population"].as_str().unwrap_or("")
        );
        out.push(movement(
            path,
            bv,
            cv,
            b["mc_se"].as_f64().unwrap_or(0.0),
            c["mc_se"].as_f64().unwrap_or(0.0),
            k,
            floor_for(metric, households),
        ));
    }
    Ok(out)
}

fn movement(
    path: String,
    baseline: f64,
    current: f64,
    se_b: f64,
    se_c: f64,
    k: f64,
    floor: f64,
) -> Movement {
    let se = (se_b * se_b + se_c * se_c).sqrt();
    let change = current - baseline;
    let tolerance = floor.max(k * se);
    let z = if se > 0.0 {
        change / se
    } else if change == 0.0 {
        0.0
    } else {
        f64::INFINITY.copysign(change)
    };
    Movement {
        path,
        baseline,
        current,
        change,
        se,
        z,
        tolerance,
        ok: change.abs() <= tolerance + 1e-12,
    }
}

/// Runs a scenario in memory with `replications` replications and returns its summary JSON.
pub fn run_summary(
    path: &Path,
    seed: Option<u64>,
    replications: u32,
    threads: usize,
) -> Result<(crate::scenario::Scenario, Summary)> {
    let sc = load_with_overrides(path, seed, None)?;
    let opts = RunOptions {
        threads,
        ..RunOptions::default()
    };
    let reps = replications.max(sc.replications).max(1);
    let mut summaries = Vec::new();
    for r in 0..reps {
        let mut rsc = sc.clone();
        rsc.seed = report::replication_seed(sc.seed, r);
        let res = crate::analysis::run::run(&rsc, &opts, |_| Ok(()), |_, _| {})?;
        summaries.push(report::summarize(&rsc, &res));
    }
    let mut main = summaries[0].clone();
    report::add_replications(&mut main, &summaries);
    Ok((sc, main))
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
    // Validate everything first: bad input is exit 2, before any run.
    let mut problems = Vec::new();
    for f in &files {
        if let Err(Error::Input(d)) = crate::scenario::load(f) {
            problems.extend(d);
        }
    }
    if !problems.is_empty() {
        return Err(Error::Input(problems));
    }
    if let Some(dir) = &args.baseline {
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
    }
    let mut verdicts = Vec::new();
    let mut movements_report = String::new();
    let mut ran = 0;
    for f in &files {
        let sc = crate::scenario::load(f)?;
        let stem = f
            .file_stem()
            .map(|s| s.to_string_lossy().to_string())
            .unwrap_or_default();
        let baseline_path = args
            .baseline
            .as_ref()
            .map(|d| d.join(format!("{stem}.json")));
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
            continue;
        }
        ran += 1;
        let reps = if args.baseline.is_some() {
            args.replications.max(2)
        } else {
            sc.replications
        };
        let (_, summary) = run_summary(f, args.seed, reps, args.threads.threads)?;
        let json = serde_json::to_value(&summary).map_err(|e| Error::Internal(e.to_string()))?;
        verdicts.extend(evaluate(&sc.name, &sc.expectations, &json));
        if let Some(bp) = baseline_path {
            if args.update {
                if bp.is_file() {
                    let old: Value = read_json(&bp)?;
                    if let Ok(ms) = compare_summaries(&old, &json, args.k) {
                        let moved: Vec<&Movement> = ms.iter().filter(|m| !m.ok).collect();
                        let _ = writeln!(
                            movements_report,
                            "{}: {} metrics beyond tolerance vs the old baseline",
                            bp.display(),
                            moved.len()
                        );
                        for m in moved {
                            let _ = writeln!(
                                movements_report,
                                "  {}: {} → {} ({:+.2} SE)",
                                m.path,
                                fmt_num(m.baseline),
                                fmt_num(m.current),
                                m.z
                            );
                        }
                    }
                } else {
                    let _ = writeln!(movements_report, "{}: new baseline", bp.display());
                }
                if let Some(parent) = bp.parent().filter(|p| !p.as_os_str().is_empty()) {
                    std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
                }
                crate::output::write_file_atomic(&bp, report::summary_json(&summary).as_bytes())?;
            } else if has_baseline {
                let base = read_json(&bp)?;
                match compare_summaries(&base, &json, args.k) {
                    Err(m) => verdicts.push(Verdict {
                        scenario: sc.name.clone(),
                        check: format!("baseline {}", bp.display()),
                        value: String::new(),
                        pass: false,
                        detail: m,
                    }),
                    Ok(ms) => {
                        let moved: Vec<&Movement> = ms.iter().filter(|m| !m.ok).collect();
                        for m in &moved {
                            verdicts.push(Verdict {
                                scenario: sc.name.clone(),
                                check: format!("baseline {}", m.path),
                                value: fmt_num(m.current),
                                pass: false,
                                detail: format!("moved from {} to {} ({:+}, {:+.1} standard errors; tolerance ±{})", fmt_num(m.baseline), fmt_num(m.current), fmt_num(m.change), m.z, fmt_num(m.tolerance)),
                            });
                        }
                        verdicts.push(Verdict {
                            scenario: sc.name.clone(),
                            check: format!(
                                "baseline: {} metrics within max(floor, {} SE)",
                                ms.len(),
                                args.k
                            ),
                            value: format!("{} moved", moved.len()),
                            pass: moved.is_empty(),
                            detail: String::new(),
                        });
                    }
                }
            }
        }
    }
    if let Some(j) = &args.junit {
        crate::output::write_file_atomic(j, junit_xml(&verdicts).as_bytes())?;
    }
    let failed = verdicts.iter().filter(|v| !v.pass).count();
    if args.json {
        let v = serde_json::json!({"scenarios_run": ran, "checks": verdicts, "failed": failed});
        crate::outln!("{}", serde_json::to_string_pretty(&v).unwrap_or_default())?;
    } else {
        crate::out!("{}", verdict_table(&verdicts))?;
        if !movements_report.is_empty() {
            crate::out!("{movements_report}")?;
        }
        crate::outln!(
            "{} scenarios run, {} checks, {} failed",
            ran,
            verdicts.len(),
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

/// Reads a summary.json given by the user. A missing, unreadable, oversized or malformed file
/// is bad input (exit 2), named with what to pass instead; the read is bounded, so a device or
/// FIFO cannot make it run away.
fn read_json(p: &Path) -> Result<Value> {
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
    let text = String::from_utf8(bytes)
        .map_err(|e| Error::Usage(format!("{}: not UTF-8 text ({e}); {hint}", p.display())))?;
    serde_json::from_str(&text)
        .map_err(|e| Error::Usage(format!("{}: not a summary.json: {e}", p.display())))
}

/// The verdict table.
pub fn verdict_table(vs: &[Verdict]) -> String {
    let mut o = String::new();
    let w1 = vs
        .iter()
        .map(|v| v.scenario.len())
        .max()
        .unwrap_or(8)
        .max(8);
    let w2 = vs
        .iter()
        .map(|v| v.check.chars().count())
        .max()
        .unwrap_or(11)
        .clamp(11, 70);
    let _ = writeln!(
        o,
        "{:<w1$}  {:<w2$}  {:>20}  verdict",
        "scenario", "expectation", "value"
    );
    // The verdict is the last column, so colour cannot upset the alignment.
    let color = crate::cli::term::stdout_color();
    for v in vs {
        let _ = writeln!(
            o,
            "{:<w1$}  {:<w2$}  {:>20}  {}{}",
            v.scenario,
            v.check,
            v.value,
            if v.pass {
                crate::cli::term::paint("ok", crate::cli::term::Style::Ok, color)
            } else {
                crate::cli::term::paint("FAIL", crate::cli::term::Style::Error, color)
            },
            if v.detail.is_empty() {
                String::new()
            } else {
                format!(": {}", v.detail)
            }
        );
    }
    o
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// JUnit XML: one test suite, one test case per check.
pub fn junit_xml(vs: &[Verdict]) -> String {
    let failures = vs.iter().filter(|v| !v.pass).count();
    let mut o = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        o,
        "<testsuite name=\"toeslagenlab check\" tests=\"{}\" failures=\"{}\">",
        vs.len(),
        failures
    );
    for v in vs {
        let _ = write!(
            o,
            "  <testcase classname=\"{}\" name=\"{}\"",
            xml_escape(&v.scenario),
            xml_escape(&v.check)
        );
        if v.pass {
            o.push_str("/>\n");
        } else {
            let _ = writeln!(
                o,
                ">\n    <failure message=\"{}\">value {}</failure>\n  </testcase>",
                xml_escape(&v.detail),
                xml_escape(&v.value)
            );
        }
    }
    o.push_str("</testsuite>\n");
    o
}

/// `toeslagenlab diff A B`.
pub fn diff_command(args: &DiffArgs) -> Result<()> {
    let a = read_json(&args.a)?;
    let b = read_json(&args.b)?;
    let ms = compare_summaries(&a, &b, args.k).map_err(Error::Usage)?;
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
    crate::outln!(
        "{} metrics compared, {} moved beyond max(floor, {} SE)",
        ms.len(),
        moved,
        args.k
    )?;
    if moved > 0 {
        Err(Error::CheckFailed(format!("{moved} metrics moved")))
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tolerance_uses_monte_carlo_error_with_a_floor() {
        let m = movement("x".into(), 0.20, 0.21, 0.002, 0.002, 4.0, 0.0005);
        assert!(m.ok, "{m:?}"); // 0.01 ≤ 4 × 0.00283
        let m = movement("x".into(), 0.20, 0.23, 0.002, 0.002, 4.0, 0.0005);
        assert!(!m.ok);
        assert!((m.z - 10.6066).abs() < 1e-3);
        let m = movement("x".into(), 0.0, 0.0004, 0.0, 0.0, 4.0, 0.0005);
        assert!(m.ok);
    }

    #[test]
    fn junit_is_escaped() {
        let v = Verdict {
            scenario: "a<b".into(),
            check: "x & y".into(),
            value: "1".into(),
            pass: false,
            detail: "\"bad\"".into(),
        };
        let x = junit_xml(&[v]);
        assert!(
            x.contains("a&lt;b")
                && x.contains("x &amp; y")
                && x.contains("&quot;bad&quot;")
                && x.contains("failures=\"1\"")
        );
    }
}
