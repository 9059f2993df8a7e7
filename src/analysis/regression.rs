//! Scenario regression: `[[expect]]` verdicts and the Monte-Carlo-aware comparison of two
//! summaries (baseline and current), metric by metric.
//!
//! A metric has moved when `|current − baseline| > max(absolute floor, k × √(se_baseline² +
//! se_current²))`. Must not: run scenarios, read files or print.

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
                } => match s["arms"][arm][metric.key()].as_f64() {
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
                                && c["metric"] == metric.key().as_str()
                                && c["population"] == "all"
                        })
                    });
                    match c {
                        None => (
                            String::from("missing"),
                            false,
                            format!("summary has no comparison {arm} {}", metric.key()),
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
        for metric in Metric::arm_metrics() {
            let key = metric.key();
            let (Some(bv), Some(cv)) = (b[&key].as_f64(), c[&key].as_f64()) else {
                continue;
            };
            // A standard error estimated from a few replications is itself noisy: shares are
            // floored at their binomial standard error √(p(1−p)/n).
            let n = b["households"].as_f64().unwrap_or(households).max(1.0);
            let analytic = |p: f64| {
                if metric.kind() == Kind::Proportion && (0.0..=1.0).contains(&p) {
                    (p * (1.0 - p) / n).sqrt()
                } else {
                    0.0
                }
            };
            let se_b = b["mc_standard_errors"][&key]
                .as_f64()
                .unwrap_or(0.0)
                .max(analytic(bv));
            let se_c = c["mc_standard_errors"][&key]
                .as_f64()
                .unwrap_or(0.0)
                .max(analytic(cv));
            out.push(movement(
                format!("arms.{arm}.{key}"),
                bv,
                cv,
                se_b,
                se_c,
                k,
                floor_for(Some(metric), households),
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
            floor_for(Metric::parse(metric), households),
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
}
