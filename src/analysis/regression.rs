//! Scenario regression: `[[expect]]` verdicts and the comparison of two summaries (baseline and
//! current), metric by metric.
//!
//! Two runs with the same seed and the same program version drew the same random numbers, so
//! there is no Monte Carlo noise between them: they are compared exactly ([`Mode::Exact`]),
//! and any change of a value as summary.json writes it is a move. Otherwise ([`Mode::MonteCarlo`])
//! a metric has moved when `|current − baseline| > max(absolute floor, k × √(se_baseline² +
//! se_current²))`. Must not: run scenarios, read files or print.

use crate::analysis::summary::Summary;
use crate::model::expectation::Expectation;
use crate::model::metric::{Kind, Metric, Unit};
use serde::Serialize;
use serde_json::Value;

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

/// A finite value, or `None` (a NaN stands for a key the summary did not have).
fn finite(x: f64) -> Option<f64> {
    x.is_finite().then_some(x)
}

/// Evaluates expectations against a summary.
pub fn evaluate(scenario: &str, exps: &[Expectation], s: &Summary) -> Vec<Verdict> {
    exps.iter()
        .map(|e| {
            let (value, pass, detail) = match e {
                Expectation::Arm {
                    arm,
                    metric,
                    min,
                    max,
                } => arm_verdict(s, arm, *metric, *min, *max),
                Expectation::Compare {
                    arm,
                    metric,
                    decrease,
                    significant,
                    min,
                    max,
                    ..
                } => compare_verdict(s, arm, *metric, *decrease, *significant, *min, *max),
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

/// (value, pass, detail) of a bound on one arm's metric.
fn arm_verdict(
    s: &Summary,
    arm: &str,
    metric: Metric,
    min: Option<f64>,
    max: Option<f64>,
) -> (String, bool, String) {
    match s
        .arms
        .get(arm)
        .and_then(|a| a.metrics.value(metric))
        .and_then(finite)
    {
        None => (
            String::from("missing"),
            false,
            format!("summary has no arms.{arm}.{}", metric.key()),
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
    }
}

/// (value, pass, detail) of an expectation on a comparison with control.
fn compare_verdict(
    s: &Summary,
    arm: &str,
    metric: Metric,
    decrease: Option<bool>,
    significant: bool,
    min: Option<f64>,
    max: Option<f64>,
) -> (String, bool, String) {
    let Some(c) = s.comparison(arm, metric, "all") else {
        return (
            String::from("missing"),
            false,
            format!("summary has no comparison {arm} {}", metric.key()),
        );
    };
    // A comparison without an estimate (a group of 0 or 1 households) satisfies no
    // expectation.
    let Some(d) = c.difference.and_then(finite) else {
        let why = format!(
            "not estimable ({})",
            c.not_estimable.as_deref().unwrap_or("no difference")
        );
        return (why.clone(), false, why);
    };
    let p = c.p_value.and_then(finite);
    let mut why = Vec::new();
    if let Some(dec) = decrease {
        if (dec && d >= 0.0) || (!dec && d <= 0.0) {
            why.push(format!(
                "difference {d} does not {}",
                if dec { "decrease" } else { "increase" }
            ));
        }
    }
    if significant {
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

/// Absolute tolerance floor of a metric, by its unit: half a percentage point of a thousandth
/// for shares, one euro for amounts (totals scale with households: one euro per 100
/// households); a metric this version does not know is treated as an amount.
fn floor_for(metric: Option<Metric>, households: f64) -> f64 {
    match metric.map(Metric::unit) {
        Some(Unit::Share) => 0.0005,
        Some(Unit::EurosTotal) => (households / 100.0).max(1.0),
        Some(Unit::Euros) | None => 1.0,
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

/// The fields that say two summaries are runs of the same scenario, as JSON values (for the
/// message): scenario, year, design, households.
fn identity(s: &Summary) -> [(&'static str, Value); 4] {
    [
        ("scenario", Value::from(s.scenario.as_str())),
        ("year", Value::from(s.year)),
        ("design", Value::from(s.design)),
        ("households", Value::from(s.households)),
    ]
}

/// How two summaries are compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Same seed and program version: the same random draws, so any change is a move.
    Exact,
    /// Different seeds, or a program version that differs or is unknown: a move is a change
    /// beyond `max(absolute floor, k × combined standard error)`.
    MonteCarlo,
}

/// How to compare `base` with `cur`, given the program versions that wrote them (`None`:
/// not recorded), with a note when the seeds are the same but an exact comparison is not
/// possible. `base_label` and `cur_label` name the two sides in the note.
pub fn choose_mode(
    (base, base_version, base_label): (&Summary, Option<&str>, &str),
    (cur, cur_version, cur_label): (&Summary, Option<&str>, &str),
) -> (Mode, Option<String>) {
    if base.seed != cur.seed {
        return (Mode::MonteCarlo, None);
    }
    let fallback = "compared with Monte Carlo tolerances instead of exactly";
    match (base_version, cur_version) {
        (Some(a), Some(b)) if a == b => (Mode::Exact, None),
        (Some(a), Some(b)) => (
            Mode::MonteCarlo,
            Some(format!(
                "same seed {} but {base_label} was written by version {a} and {cur_label} by {b} (the random draws may differ): {fallback}",
                base.seed
            )),
        ),
        _ => {
            let unknown: Vec<&str> = [(base_version, base_label), (cur_version, cur_label)]
                .into_iter()
                .filter(|(v, _)| v.is_none())
                .map(|(_, l)| l)
                .collect();
            (
                Mode::MonteCarlo,
                Some(format!(
                    "same seed {} but no program version recorded for {}: {fallback} (a baseline written by `check --update`, or a run's manifest.json next to its summary.json, records it)",
                    base.seed,
                    unknown.join(" and ")
                )),
            )
        }
    }
}

/// Whether a summary carries Monte Carlo standard errors (it was run with replications > 1).
pub fn has_standard_errors(s: &Summary) -> bool {
    s.arms.values().any(|a| !a.mc_standard_errors.is_empty())
        || s.comparisons.iter().any(|c| c.mc_se.is_some())
}

/// The warning for a Monte Carlo comparison in which neither summary has standard errors and
/// the seeds differ: the tolerance is then only the analytic floors, not the noise between
/// seeds.
pub fn no_standard_errors_warning(base: &Summary, cur: &Summary, k: f64) -> Option<String> {
    if base.seed == cur.seed || has_standard_errors(base) || has_standard_errors(cur) {
        return None;
    }
    Some(format!(
        "neither summary has Monte Carlo standard errors (each ran 1 replication) and their seeds differ ({} vs {}): the tolerance is only {k} × the binomial standard error √(p(1−p)/n) for shares of households, and otherwise the absolute floor (0.0005 for shares, €1 for amounts, €1 per 100 households for totals); the noise between seeds in amounts, medians and comparisons is not covered, so a metric marked MOVED may be noise. Run both with --replications 8 for standard errors, or with the same seed for an exact comparison",
        base.seed, cur.seed
    ))
}

/// Compares every metric of two summaries with Monte Carlo tolerances. `k` multiplies the
/// Monte Carlo standard error.
pub fn compare_summaries(
    base: &Summary,
    cur: &Summary,
    k: f64,
) -> std::result::Result<Vec<Movement>, String> {
    compare(base, cur, Mode::MonteCarlo, k)
}

/// Compares every metric of two summaries in `mode` (`k` multiplies the Monte Carlo standard
/// error; the exact mode ignores it).
pub fn compare(
    base: &Summary,
    cur: &Summary,
    mode: Mode,
    k: f64,
) -> std::result::Result<Vec<Movement>, String> {
    let mut out = Vec::new();
    let households = cur.households as f64;
    for ((key, b), (_, c)) in identity(base).into_iter().zip(identity(cur)) {
        if b != c {
            return Err(format!("`{key}` differs: baseline {b} vs current {c}; update the baseline if the scenario changed on purpose"));
        }
    }
    for (arm, b) in &base.arms {
        let Some(c) = cur.arms.get(arm) else {
            return Err(format!(
                "arm `{arm}` is in the baseline but not in the current run"
            ));
        };
        for metric in Metric::arm_metrics() {
            let (Some(bv), Some(cv)) = (
                b.metrics.value(metric).and_then(finite),
                c.metrics.value(metric).and_then(finite),
            ) else {
                continue;
            };
            // A standard error estimated from a few replications is itself noisy: shares are
            // floored at their binomial standard error √(p(1−p)/n). (An arm without
            // households has shares of 0, so n does not matter then.)
            let n = match b.metrics.households {
                0 => households,
                n => n as f64,
            }
            .max(1.0);
            let analytic = |p: f64| {
                if metric.kind() == Kind::Proportion && (0.0..=1.0).contains(&p) {
                    (p * (1.0 - p) / n).sqrt()
                } else {
                    0.0
                }
            };
            let se_b = b.mc_standard_error(metric).unwrap_or(0.0).max(analytic(bv));
            let se_c = c.mc_standard_error(metric).unwrap_or(0.0).max(analytic(cv));
            let path = format!("arms.{arm}.{}", metric.key());
            out.push(match mode {
                Mode::Exact => exact_movement(path, bv, cv),
                Mode::MonteCarlo => movement(
                    path,
                    bv,
                    cv,
                    se_b,
                    se_c,
                    k,
                    floor_for(Some(metric), households),
                ),
            });
        }
    }
    for b in &base.comparisons {
        let Some(c) = cur.comparisons.iter().find(|c| {
            c.arm == b.arm && c.vs == b.vs && c.metric == b.metric && c.population == b.population
        }) else {
            continue;
        };
        let (Some(bv), Some(cv)) = (b.difference.and_then(finite), c.difference.and_then(finite))
        else {
            continue;
        };
        // Against control the path names the arm; between treatment arms, both.
        let arm = if base.vs_control(b) {
            b.arm.clone()
        } else {
            format!("{}_vs_{}", b.arm, b.vs)
        };
        let path = format!("comparisons.{arm}.{}.{}", b.metric, b.population);
        out.push(match mode {
            Mode::Exact => exact_movement(path, bv, cv),
            Mode::MonteCarlo => movement(
                path,
                bv,
                cv,
                b.mc_se.unwrap_or(0.0),
                c.mc_se.unwrap_or(0.0),
                k,
                floor_for(b.metric_id(), households),
            ),
        });
    }
    Ok(out)
}

/// A metric compared exactly: no standard error, no tolerance; any change is a move.
fn exact_movement(path: String, baseline: f64, current: f64) -> Movement {
    let change = current - baseline;
    Movement {
        path,
        baseline,
        current,
        change,
        se: 0.0,
        z: if change == 0.0 {
            0.0
        } else {
            f64::INFINITY.copysign(change)
        },
        tolerance: 0.0,
        ok: baseline == current,
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize as _;

    const BASELINES: [&str; 6] = [
        include_str!("../../scenarios/baselines/adjustable.json"),
        include_str!("../../scenarios/baselines/cautious-vs-standard.json"),
        include_str!("../../scenarios/baselines/interventions.json"),
        include_str!("../../scenarios/baselines/lab-replication.json"),
        include_str!("../../scenarios/baselines/nl-2026.json"),
        include_str!("../../scenarios/baselines/reference.json"),
    ];

    fn summary(v: &Value) -> Summary {
        Summary::deserialize(v.clone()).unwrap()
    }

    #[test]
    fn shipped_baselines_load_typed_and_serialize_back_unchanged() {
        for text in BASELINES {
            let mut v: Value = serde_json::from_str(text).unwrap();
            // `program_version` belongs to the baseline file (output::check::baseline_json),
            // not to the summary.
            v.as_object_mut().unwrap().remove("program_version");
            let s = summary(&v);
            assert_eq!(serde_json::to_value(&s).unwrap(), v, "{}", s.scenario);
            let ms = compare_summaries(&s, &s, 4.0).unwrap();
            assert!(ms.len() > 20 && ms.iter().all(|m| m.ok && m.change == 0.0));
        }
    }

    #[test]
    fn a_key_an_older_baseline_lacks_is_skipped_not_compared_as_zero() {
        let v: Value = serde_json::from_str(BASELINES[5]).unwrap();
        let full = summary(&v);
        let mut old = v.clone();
        let arm = full.arm_order[0].clone();
        old["arms"][&arm]
            .as_object_mut()
            .unwrap()
            .remove("p99_reclaim");
        old.as_object_mut().unwrap().remove("uncertain_parameters");
        let old = summary(&old);
        assert!(old.arms[&arm].metrics.p99_reclaim.is_nan());
        let all = compare_summaries(&full, &full, 4.0).unwrap();
        let ms = compare_summaries(&old, &full, 4.0).unwrap();
        assert_eq!(ms.len() + 1, all.len());
        assert!(ms.iter().all(|m| m.ok));
        assert!(!ms
            .iter()
            .any(|m| m.path == format!("arms.{arm}.p99_reclaim")));
    }

    #[test]
    fn the_same_seed_and_version_compare_exactly_and_catch_any_change() {
        let v: Value = serde_json::from_str(BASELINES[5]).unwrap();
        let base = summary(&v);
        let mut cur = base.clone();
        let arm = base.arm_order[0].clone();
        // One household's worth of a share: far inside the Monte Carlo tolerance.
        cur.arms.get_mut(&arm).unwrap().metrics.reclaim_share += 1e-6;
        let mc = compare_summaries(&base, &cur, 4.0).unwrap();
        assert!(mc.iter().all(|m| m.ok));
        let (mode, note) = choose_mode((&base, Some("1.0"), "A"), (&cur, Some("1.0"), "B"));
        assert_eq!((mode, note), (Mode::Exact, None));
        let exact = compare(&base, &cur, mode, 4.0).unwrap();
        let moved: Vec<&Movement> = exact.iter().filter(|m| !m.ok).collect();
        assert_eq!(moved.len(), 1);
        assert_eq!(moved[0].path, format!("arms.{arm}.reclaim_share"));
        assert_eq!((moved[0].tolerance, moved[0].z), (0.0, f64::INFINITY));
    }

    #[test]
    fn the_mode_falls_back_to_monte_carlo_with_a_note() {
        let v: Value = serde_json::from_str(BASELINES[5]).unwrap();
        let base = summary(&v);
        let mut other_seed = base.clone();
        other_seed.seed += 1;
        assert_eq!(
            choose_mode((&base, Some("1"), "A"), (&other_seed, Some("1"), "B")),
            (Mode::MonteCarlo, None)
        );
        let (mode, note) = choose_mode((&base, None, "the baseline"), (&base, Some("1"), "B"));
        assert_eq!(mode, Mode::MonteCarlo);
        assert!(note
            .unwrap()
            .contains("no program version recorded for the baseline"));
        let (mode, note) = choose_mode((&base, Some("1"), "A"), (&base, Some("2"), "B"));
        assert_eq!(mode, Mode::MonteCarlo);
        assert!(note.unwrap().contains("version 1 and B by 2"));
    }

    #[test]
    fn no_standard_errors_on_either_side_warns_only_when_the_seeds_differ() {
        let v: Value = serde_json::from_str(BASELINES[5]).unwrap();
        let with = summary(&v);
        assert!(has_standard_errors(&with));
        let mut without = with.clone();
        for a in without.arms.values_mut() {
            a.mc_standard_errors.clear();
        }
        for c in &mut without.comparisons {
            c.mc_se = None;
        }
        let mut other = without.clone();
        other.seed += 1;
        assert!(no_standard_errors_warning(&without, &without, 4.0).is_none());
        assert!(no_standard_errors_warning(&with, &other, 4.0).is_none());
        let w = no_standard_errors_warning(&without, &other, 4.0).unwrap();
        assert!(
            w.contains("binomial") && w.contains("--replications"),
            "{w}"
        );
    }

    #[test]
    fn a_different_scenario_is_refused_with_both_values() {
        let a = summary(&serde_json::from_str(BASELINES[2]).unwrap());
        let b = summary(&serde_json::from_str(BASELINES[5]).unwrap());
        let e = compare_summaries(&a, &b, 4.0).unwrap_err();
        assert!(
            e.starts_with(
                "`scenario` differs: baseline \"interventions\" vs current \"reference\""
            ),
            "{e}"
        );
    }

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
}
