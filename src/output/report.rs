//! The comparison against control and its renderings: `summary.json`, `report.md`, the
//! terminal headline table and `households.csv` rows.
//!
//! Writers return strings or bytes; [`crate::output`] writes them atomically.
//! Must not: re-run the simulation.

use crate::analysis::accumulators::{GroupStats, MoneySum};
use crate::analysis::inference::{self, Estimated, NotEstimable};
use crate::analysis::run::RunResult;
use crate::model::money::Money;
use crate::model::scenario::{AdvancePolicy, Design, Scenario, HOUSEHOLD_TYPES};
use crate::sim::engine::Outcome;
use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// Rounds euros to cents (half away from zero) for output.
fn eur(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// Rounds a share to 6 decimals for output.
fn share(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}

/// Metrics of one group of households.
#[derive(Clone, Debug, Serialize)]
pub struct Metrics {
    /// Households.
    pub households: u64,
    /// Share with a collected reclaim.
    pub reclaim_share: f64,
    /// Share with a reclaim above the primary high threshold.
    pub high_reclaim_share: f64,
    /// Share above each threshold (€, as text keys).
    pub high_reclaim_shares: BTreeMap<String, f64>,
    /// Mean reclaim among households with one (€).
    pub mean_reclaim: f64,
    /// Median reclaim among households with one (€).
    pub median_reclaim: f64,
    /// 90th percentile of reclaims among households with one (€).
    pub p90_reclaim: f64,
    /// 99th percentile of reclaims among households with one (€).
    pub p99_reclaim: f64,
    /// Total reclaimed (€).
    pub total_reclaimed: f64,
    /// Mean reclaim as a share of monthly income, among households with one.
    pub reclaim_income_share: f64,
    /// Share with a back-payment.
    pub backpay_share: f64,
    /// Mean back-payment among households with one (€).
    pub mean_backpay: f64,
    /// Mean money withheld during the year per household vs the 100% advance (€).
    pub withheld_during_year: f64,
    /// Total withheld (€).
    pub total_withheld: f64,
    /// Share of households that took the offered advance.
    pub takeup_share: f64,
    /// Mean |definitive award − advances| (€).
    pub mean_abs_gap: f64,
    /// Mean monthly repayment instalment among households with a reclaim (€).
    pub mean_repayment_monthly: f64,
    /// Share with an in-year reclaim after a recalculation.
    pub in_year_reclaim_share: f64,
    /// Mean net advances per household (€).
    pub mean_advances: f64,
    /// Mean definitive award per household (€).
    pub mean_definitive_award: f64,
}

impl Metrics {
    fn from(g: &GroupStats, thresholds: &[Money], primary: usize) -> Metrics {
        let n = g.n;
        Metrics {
            households: n,
            reclaim_share: share(g.reclaim_share()),
            high_reclaim_share: share(g.high_share(primary)),
            high_reclaim_shares: thresholds
                .iter()
                .enumerate()
                .map(|(i, t)| (t.whole_euros().to_string(), share(g.high_share(i))))
                .collect(),
            mean_reclaim: eur(g.mean_reclaim_among()),
            median_reclaim: eur(g.reclaim_quantile(0.5).to_f64_euros()),
            p90_reclaim: eur(g.reclaim_quantile(0.9).to_f64_euros()),
            p99_reclaim: eur(g.reclaim_quantile(0.99).to_f64_euros()),
            total_reclaimed: eur(g.reclaim.sum as f64 / 100.0),
            reclaim_income_share: share(g.mean_reclaim_income_share()),
            backpay_share: share(g.backpay_share()),
            mean_backpay: eur(g.mean_backpay_among()),
            withheld_during_year: eur(g.withheld.mean_euros(n)),
            total_withheld: eur(g.withheld.sum as f64 / 100.0),
            takeup_share: share(g.takeup_share()),
            mean_abs_gap: eur(g.abs_gap.mean_euros(n)),
            mean_repayment_monthly: eur(g.burden.mean_euros(g.n_reclaim)),
            in_year_reclaim_share: share(ratio(g.n_in_year_reclaim, n)),
            mean_advances: eur(g.advances.mean_euros(n)),
            mean_definitive_award: eur(g.definitive.mean_euros(n)),
        }
    }
}

fn ratio(a: u64, b: u64) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

/// One arm in the summary.
#[derive(Clone, Debug, Serialize)]
pub struct ArmSummary {
    /// Policy name.
    pub policy: &'static str,
    /// Fraction of the cautious policy.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fraction: Option<f64>,
    /// Offered take-up.
    pub offered_takeup: f64,
    /// Metrics, flattened.
    #[serde(flatten)]
    pub metrics: Metrics,
    /// Metrics by household type.
    pub by_household_type: BTreeMap<String, Metrics>,
    /// Monte Carlo standard error of each metric: the standard deviation of the metric across
    /// independent replications (present when replications > 1).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub mc_standard_errors: BTreeMap<String, f64>,
    /// Households that took the offer by chosen percentage (adjustable arm).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub chosen_percentages: BTreeMap<String, u64>,
    /// Mean advance paid per month, per household (€), months 1–12.
    pub monthly_advance: Vec<f64>,
    /// Mean actual entitlement per month, per household (€), months 1–12.
    pub monthly_entitlement: Vec<f64>,
}

/// A treatment arm vs control on one metric.
#[derive(Clone, Debug, Serialize)]
pub struct Comparison {
    /// Treatment arm.
    pub arm: String,
    /// Control arm.
    pub vs: String,
    /// Metric key (as in `arms.<arm>`).
    pub metric: String,
    /// Population: `all` (intention to treat) or `took_offer`.
    pub population: &'static str,
    /// Control value.
    pub control: f64,
    /// Treatment value.
    pub treatment: f64,
    /// Treatment − control (null when not estimable).
    pub difference: Option<f64>,
    /// Difference relative to control (null when control is 0 or not estimable).
    pub relative_difference: Option<f64>,
    /// 95% CI lower bound of the difference.
    pub ci_low: Option<f64>,
    /// 95% CI upper bound.
    pub ci_high: Option<f64>,
    /// Two-sided p-value.
    pub p_value: Option<f64>,
    /// Method.
    pub method: String,
    /// Why the comparison cannot be estimated (`n = 0`, `n = 1`, `no variation`); then
    /// `difference`, `ci_low`, `ci_high` and `p_value` are null. Absent when estimable.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub not_estimable: Option<String>,
    /// Monte Carlo standard error of the difference across replications (replications > 1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mc_se: Option<f64>,
}

/// The whole machine-readable summary (`summary.json`).
#[derive(Clone, Debug, Serialize)]
pub struct Summary {
    /// Scenario name.
    pub scenario: String,
    /// Benefit year.
    pub year: u16,
    /// Seed.
    pub seed: u64,
    /// Design.
    pub design: &'static str,
    /// Households simulated.
    pub households: u64,
    /// Independent replications run (the metrics are those of the first, seeded with `seed`;
    /// the others give Monte Carlo standard errors).
    pub replications: u32,
    /// Primary high-reclaim threshold (€).
    pub high_reclaim_threshold: i64,
    /// Recalculation rule.
    pub recalculation: &'static str,
    /// Benefits simulated.
    pub benefits: Vec<&'static str>,
    /// Per arm.
    pub arms: BTreeMap<String, ArmSummary>,
    /// Arm order (control first).
    pub arm_order: Vec<String>,
    /// Comparisons of every treatment arm with control.
    pub comparisons: Vec<Comparison>,
    /// Pilot size needed per arm to detect the simulated reclaim-share effect (80% power, 5%).
    pub pilot_households_per_arm: BTreeMap<String, Option<u64>>,
    /// Parameter overrides.
    pub parameter_overrides: Vec<crate::model::parameters::Override>,
    /// Uncertain parameters in force (`group.key`).
    pub uncertain_parameters: Vec<String>,
}

/// The index of the threshold closest to €1,000 (the default "high" reclaim, DESIGN §5).
pub fn primary_threshold(thresholds: &[Money]) -> usize {
    thresholds
        .iter()
        .enumerate()
        .min_by_key(|(_, t)| (t.0 - Money::euros(1000).0).abs())
        .map(|(i, _)| i)
        .unwrap_or(0)
}

fn rel(d: f64, c: f64) -> Option<f64> {
    if c == 0.0 {
        None
    } else {
        Some(share(d / c))
    }
}

#[allow(clippy::too_many_arguments)]
fn cmp(
    arm: &str,
    vs: &str,
    metric: &str,
    population: &'static str,
    c: f64,
    t: f64,
    e: Option<Estimated>,
    method: &str,
) -> Comparison {
    let mut difference = Some(t - c);
    let mut not_estimable = None;
    let (ci_low, ci_high, p_value, method) = match e {
        Some(Ok(e)) => (
            Some(e.ci_low),
            Some(e.ci_high),
            Some(e.p_value),
            e.method.to_string(),
        ),
        Some(Err(ne)) => {
            difference = None;
            not_estimable = Some(ne.reason);
            (None, None, None, ne.method.to_string())
        }
        None => (None, None, None, method.to_string()),
    };
    Comparison {
        arm: arm.to_string(),
        vs: vs.to_string(),
        metric: metric.to_string(),
        population,
        control: c,
        treatment: t,
        difference,
        relative_difference: difference.and_then(|d| rel(d, c)),
        ci_low: ci_low.map(|x| round_like(metric, x)),
        ci_high: ci_high.map(|x| round_like(metric, x)),
        p_value: p_value.map(|p| (p * 1e8).round() / 1e8),
        method,
        not_estimable,
        mc_se: None,
    }
}

fn round_like(metric: &str, x: f64) -> f64 {
    if metric.contains("share") {
        share(x)
    } else {
        eur(x)
    }
}

fn mean_estimate(
    design: Design,
    c: &MoneySum,
    nc: u64,
    t: &MoneySum,
    nt: u64,
    paired: Option<(&MoneySum, u64)>,
) -> Estimated {
    match (design, paired) {
        (Design::Paired, Some((d, n))) => inference::paired_t(d.mean_euros(n), d.var_euros(n), n),
        _ => inference::welch(
            c.mean_euros(nc),
            c.var_euros(nc),
            nc,
            t.mean_euros(nt),
            t.var_euros(nt),
            nt,
        ),
    }
}

/// Builds the summary from a finished run.
pub fn summarize(sc: &Scenario, r: &RunResult) -> Summary {
    let th = &sc.high_reclaim_thresholds;
    let primary = primary_threshold(th);
    let mut arms = BTreeMap::new();
    for (i, arm) in sc.arms.iter().enumerate() {
        let acc = &r.arms[i];
        let n = acc.total.n.max(1) as f64;
        arms.insert(
            arm.name.clone(),
            ArmSummary {
                policy: arm.policy.name(),
                fraction: arm.policy.fixed_fraction().map(|f| f.to_f64()),
                offered_takeup: if i == 0 { 0.0 } else { arm.takeup },
                metrics: Metrics::from(&acc.total, th, primary),
                by_household_type: HOUSEHOLD_TYPES
                    .iter()
                    .enumerate()
                    .map(|(t, name)| {
                        (
                            name.to_string(),
                            Metrics::from(&acc.by_type[t], th, primary),
                        )
                    })
                    .collect(),
                mc_standard_errors: BTreeMap::new(),
                chosen_percentages: if arm.policy.varies_percentage() {
                    acc.percentages
                        .iter()
                        .enumerate()
                        .filter(|(_, c)| **c > 0)
                        .map(|(p, c)| (format!("{p:03}"), *c))
                        .collect()
                } else {
                    BTreeMap::new()
                },
                monthly_advance: acc
                    .month_paid
                    .iter()
                    .map(|x| eur(*x as f64 / 100.0 / n))
                    .collect(),
                monthly_entitlement: acc
                    .month_entitled
                    .iter()
                    .map(|x| eur(*x as f64 / 100.0 / n))
                    .collect(),
            },
        );
    }
    let control = &sc.arms[0].name;
    let c = &r.arms[0].total;
    let mut comparisons = Vec::new();
    let mut pilot = BTreeMap::new();
    for (i, arm) in sc.arms.iter().enumerate().skip(1) {
        let t = &r.arms[i].total;
        let p = r.paired.get(i - 1);
        let name = &arm.name;
        let paired_design = sc.design == Design::Paired && p.is_some();
        // Shares
        let share_est = |xc: u64, xt: u64, disc: Option<(u64, u64)>| -> Estimated {
            match (paired_design, disc, p) {
                (true, Some((b, cc)), Some(p)) => inference::mcnemar(b, cc, p.n),
                _ => inference::two_proportions(xc, c.n, xt, t.n),
            }
        };
        let e = share_est(
            c.n_reclaim,
            t.n_reclaim,
            p.map(|p| (p.control_only, p.treatment_only)),
        );
        comparisons.push(cmp(
            name,
            control,
            "reclaim_share",
            "all",
            share(c.reclaim_share()),
            share(t.reclaim_share()),
            Some(e),
            "",
        ));
        for (k, thr) in th.iter().enumerate() {
            let e = share_est(
                c.n_high[k],
                t.n_high[k],
                p.and_then(|p| p.high_discordant.get(k).copied()),
            );
            let metric = if k == primary {
                "high_reclaim_share".to_string()
            } else {
                format!("high_reclaim_share_{}", thr.whole_euros())
            };
            comparisons.push(cmp(
                name,
                control,
                &metric,
                "all",
                share(c.high_share(k)),
                share(t.high_share(k)),
                Some(e),
                "",
            ));
        }
        let e = share_est(c.n_backpay, t.n_backpay, p.map(|p| p.backpay_discordant));
        comparisons.push(cmp(
            name,
            control,
            "backpay_share",
            "all",
            share(c.backpay_share()),
            share(t.backpay_share()),
            Some(e),
            "",
        ));
        // Means over all households (zeros included)
        let pairs: [(&str, &MoneySum, &MoneySum, Option<&MoneySum>); 4] = [
            (
                "mean_reclaim_per_household",
                &c.reclaim,
                &t.reclaim,
                p.map(|p| &p.reclaim_diff),
            ),
            (
                "withheld_during_year",
                &c.withheld,
                &t.withheld,
                p.map(|p| &p.withheld_diff),
            ),
            (
                "mean_abs_gap",
                &c.abs_gap,
                &t.abs_gap,
                p.map(|p| &p.abs_gap_diff),
            ),
            (
                "mean_repayment_monthly_per_household",
                &c.burden,
                &t.burden,
                p.map(|p| &p.burden_diff),
            ),
        ];
        for (metric, cs, ts, d) in pairs {
            let e = mean_estimate(
                sc.design,
                cs,
                c.n,
                ts,
                t.n,
                d.map(|d| (d, p.map(|p| p.n).unwrap_or(0))),
            );
            comparisons.push(cmp(
                name,
                control,
                metric,
                "all",
                eur(cs.mean_euros(c.n)),
                eur(ts.mean_euros(t.n)),
                Some(e),
                "",
            ));
        }
        // Among households with a reclaim: descriptive differences (their groups differ per arm).
        const CONDITIONAL: &str = "difference of conditional means (households with a reclaim; no test: the groups differ by arm)";
        // An arm without reclaims has no conditional mean to compare.
        let among = (c.n_reclaim.min(t.n_reclaim) == 0).then(|| {
            Err(NotEstimable {
                reason: "n = 0".into(),
                method: CONDITIONAL,
            })
        });
        comparisons.push(cmp(
            name,
            control,
            "mean_reclaim",
            "all",
            eur(c.mean_reclaim_among()),
            eur(t.mean_reclaim_among()),
            among,
            CONDITIONAL,
        ));
        let boot =
            inference::bootstrap_median_difference(&c.reclaims, &t.reclaims, sc.seed ^ i as u64);
        comparisons.push(cmp(
            name,
            control,
            "median_reclaim",
            "all",
            eur(c.reclaim_quantile(0.5).to_f64_euros()),
            eur(t.reclaim_quantile(0.5).to_f64_euros()),
            Some(boot),
            "difference of exact medians (households with a reclaim)",
        ));
        comparisons.push(cmp(
            name,
            control,
            "total_reclaimed",
            "all",
            eur(c.reclaim.sum as f64 / 100.0),
            eur(t.reclaim.sum as f64 / 100.0),
            None,
            "difference of totals",
        ));
        // Effect among those who took the offer (paired design: same households in control).
        if let (true, Some(p)) = (paired_design, p) {
            if p.n_took > 0 {
                let e = inference::mcnemar(p.took_discordant.0, p.took_discordant.1, p.n_took);
                comparisons.push(cmp(
                    name,
                    control,
                    "reclaim_share",
                    "took_offer",
                    share(ratio(p.took_reclaims.0, p.n_took)),
                    share(ratio(p.took_reclaims.1, p.n_took)),
                    Some(e),
                    "",
                ));
                let e = inference::paired_t(
                    p.took_reclaim_diff.mean_euros(p.n_took),
                    p.took_reclaim_diff.var_euros(p.n_took),
                    p.n_took,
                );
                let cm = p.took_control_reclaim.mean_euros(p.n_took);
                let tm = cm + p.took_reclaim_diff.mean_euros(p.n_took);
                comparisons.push(cmp(
                    name,
                    control,
                    "mean_reclaim_per_household",
                    "took_offer",
                    eur(cm),
                    eur(tm),
                    Some(e),
                    "",
                ));
            }
        }
        pilot.insert(
            name.clone(),
            if c.n.min(t.n) < 2 {
                None
            } else {
                inference::sample_size_two_proportions(
                    c.reclaim_share(),
                    t.reclaim_share(),
                    0.05,
                    0.8,
                )
            },
        );
    }
    for c in comparisons.iter_mut() {
        c.difference = c.difference.map(|d| round_like(&c.metric, d));
    }
    Summary {
        scenario: sc.name.clone(),
        year: sc.year,
        seed: sc.seed,
        design: sc.design.name(),
        households: sc.households,
        replications: 1,
        high_reclaim_threshold: th[primary].whole_euros(),
        recalculation: sc.recalculation.name(),
        benefits: crate::rules::Benefit::ALL
            .iter()
            .filter(|b| sc.population.benefits[b.index()])
            .map(|b| b.name())
            .collect(),
        arm_order: sc.arms.iter().map(|a| a.name.clone()).collect(),
        arms,
        comparisons,
        pilot_households_per_arm: pilot,
        parameter_overrides: sc.overrides.clone(),
        uncertain_parameters: sc
            .parameter_set
            .uncertain()
            .into_iter()
            .map(|(k, _)| k)
            .collect(),
    }
}

/// The seed of replication `r`: replication 0 uses the scenario seed itself.
pub fn replication_seed(seed: u64, r: u32) -> u64 {
    if r == 0 {
        seed
    } else {
        crate::sim::random::mix64(seed.wrapping_add(r as u64))
    }
}

fn sample_sd(xs: &[f64]) -> f64 {
    let n = xs.len() as f64;
    if xs.len() < 2 {
        return 0.0;
    }
    let m = xs.iter().sum::<f64>() / n;
    (xs.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (n - 1.0)).sqrt()
}

/// Adds Monte Carlo standard errors from replication summaries (`reps[0]` is `main` itself).
pub fn add_replications(main: &mut Summary, reps: &[Summary]) {
    main.replications = reps.len() as u32;
    if reps.len() < 2 {
        return;
    }
    for (name, arm) in main.arms.iter_mut() {
        let values: Vec<serde_json::Value> = reps
            .iter()
            .filter_map(|r| r.arms.get(name))
            .filter_map(|a| serde_json::to_value(&a.metrics).ok())
            .collect();
        if let Some(first) = values.first().and_then(|v| v.as_object()) {
            for (k, v) in first {
                if !v.is_number() || k == "households" {
                    continue;
                }
                let xs: Vec<f64> = values.iter().filter_map(|v| v[k].as_f64()).collect();
                arm.mc_standard_errors
                    .insert(k.clone(), (sample_sd(&xs) * 1e6).round() / 1e6);
            }
        }
    }
    for (i, c) in main.comparisons.iter_mut().enumerate() {
        let xs: Vec<f64> = reps
            .iter()
            .filter_map(|r| r.comparisons.get(i))
            .filter(|rc| rc.metric == c.metric && rc.arm == c.arm && rc.population == c.population)
            .filter_map(|rc| rc.difference)
            .collect();
        if xs.len() == reps.len() {
            c.mc_se = Some((sample_sd(&xs) * 1e6).round() / 1e6);
        }
    }
}

/// `summary.json` text (stable key order, trailing newline).
pub fn summary_json(s: &Summary) -> String {
    let mut t =
        serde_json::to_string_pretty(s).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    t.push('\n');
    t
}

fn pct(x: f64) -> String {
    let v = x * 100.0;
    if v != 0.0 && v.abs() < 0.05 {
        format!("{v:.3}%")
    } else {
        format!("{v:.1}%")
    }
}

fn pp(x: f64) -> String {
    let v = x * 100.0;
    if v != 0.0 && v.abs() < 0.05 {
        format!("{v:+.3} pp")
    } else {
        format!("{v:+.1} pp")
    }
}

fn euro0(x: f64) -> String {
    let neg = x < 0.0;
    let s = crate::model::money::group_thousands(x.abs().round() as u64);
    format!("{}€{s}", if neg { "-" } else { "" })
}

fn signed_euro(x: f64) -> String {
    if x >= 0.0 {
        format!("+{}", euro0(x))
    } else {
        euro0(x)
    }
}

/// "not estimable (n = 0)" (or the reason recorded) for a comparison without an estimate.
fn not_estimable_text(c: &Comparison) -> String {
    format!(
        "not estimable ({})",
        c.not_estimable.as_deref().unwrap_or("no estimate")
    )
}

/// The difference, 95% CI and p-value cells of a comparison row, with `d` formatting a
/// difference; "not estimable (…)" and dashes when there is no estimate.
fn estimate_cells(c: &Comparison, d: impl Fn(f64) -> String) -> (String, String, String) {
    match (c.difference, c.ci_low, c.ci_high, c.p_value) {
        (Some(x), Some(lo), Some(hi), Some(p)) => {
            (d(x), format!("{} to {}", d(lo), d(hi)), p_text(p))
        }
        _ => (not_estimable_text(c), "—".into(), "—".into()),
    }
}

fn p_text(p: f64) -> String {
    if p < 0.001 {
        "<0.001".into()
    } else {
        format!("{p:.3}")
    }
}

/// The terminal headline table.
pub fn headline(s: &Summary) -> String {
    let mut o = String::new();
    let _ = writeln!(
        o,
        "{} · benefit year {} · {} households · {} design · seed {}",
        s.scenario,
        s.year,
        crate::model::money::group_thousands(s.households),
        s.design,
        s.seed
    );
    let _ = writeln!(
        o,
        "{:<14} {:>8} {:>9} {:>11} {:>12} {:>9} {:>10}",
        "arm",
        "took up",
        "reclaim",
        format!(
            ">€{}",
            crate::model::money::group_thousands(s.high_reclaim_threshold as u64)
        ),
        "mean reclaim",
        "median",
        "withheld"
    );
    for name in &s.arm_order {
        let a = &s.arms[name];
        let m = &a.metrics;
        let _ = writeln!(
            o,
            "{:<14} {:>8} {:>9} {:>11} {:>12} {:>9} {:>10}",
            name,
            if a.policy == "standard" {
                "—".to_string()
            } else {
                pct(m.takeup_share)
            },
            pct(m.reclaim_share),
            pct(m.high_reclaim_share),
            euro0(m.mean_reclaim),
            euro0(m.median_reclaim),
            euro0(m.withheld_during_year),
        );
    }
    for c in s
        .comparisons
        .iter()
        .filter(|c| c.metric == "reclaim_share" && c.population == "all")
    {
        let _ = match (c.difference, c.ci_low, c.ci_high, c.p_value) {
            (Some(d), Some(lo), Some(hi), Some(p)) => writeln!(
                o,
                "{} vs {}: reclaim share {} (95% CI {} to {}, p {})",
                c.arm,
                c.vs,
                pp(d),
                pp(lo),
                pp(hi),
                p_text(p),
            ),
            _ => writeln!(
                o,
                "{} vs {}: reclaim share {}",
                c.arm,
                c.vs,
                not_estimable_text(c)
            ),
        };
    }
    o
}

/// `report.md`: the research note.
pub fn report_markdown(sc: &Scenario, s: &Summary) -> String {
    let mut o = String::new();
    let _ = writeln!(o, "# {}\n", s.scenario);
    if let Some(d) = &sc.description {
        let _ = writeln!(o, "{}\n", d.trim());
    }
    let _ = writeln!(o, "## Scenario\n");
    let _ = writeln!(o, "| | |\n| --- | --- |");
    let _ = writeln!(o, "| benefit year | {} |", s.year);
    let _ = writeln!(
        o,
        "| households | {} |",
        crate::model::money::group_thousands(s.households)
    );
    let _ = writeln!(o, "| design | {} ({}) |", s.design, match sc.design {
        Design::Paired => "every household under every arm with the same random draws; comparisons within household",
        Design::Randomized => "each household assigned to one arm; comparisons between groups",
    });
    let _ = writeln!(o, "| seed | {} |", s.seed);
    let _ = writeln!(o, "| benefits | {} |", s.benefits.join(", "));
    let _ = writeln!(o, "| in-year recalculation | {} |", s.recalculation);
    let _ = writeln!(
        o,
        "| high reclaim | above {} (also reported: {}) |",
        euro0(s.high_reclaim_threshold as f64),
        sc.high_reclaim_thresholds
            .iter()
            .map(|t| euro0(t.whole_euros() as f64))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let _ = writeln!(
        o,
        "| scenario file | `{}` (sha256 {}…) |\n",
        sc.path.display(),
        &sc.sha256.get(..12).unwrap_or("")
    );

    let _ = writeln!(o, "## Arms\n");
    let _ = writeln!(
        o,
        "| arm | advance | offered take-up | took the offer |\n| --- | --- | --- | --- |"
    );
    for arm in sc.arms.iter() {
        let a = &s.arms[&arm.name];
        let mut policy = match &arm.policy {
            AdvancePolicy::Standard if arm.is_control() => {
                "standard: 100% of the calculated advance (control)".to_string()
            }
            AdvancePolicy::Standard => "standard: 100% of the calculated advance".to_string(),
            AdvancePolicy::Cautious { fraction } => {
                format!("cautious: {} of the calculated advance", fraction)
            }
            AdvancePolicy::Adjustable { choice } => format!(
                "adjustable: household picks a percentage ({})",
                choice
                    .iter()
                    .map(|b| format!(
                        "{}–{}%: {:.0}%",
                        b.lo,
                        b.hi,
                        b.weight * 100.0 / choice.iter().map(|c| c.weight).sum::<f64>()
                    ))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            AdvancePolicy::Custom(p) => {
                format!("custom: `{}` (a policy defined in code)", p.name())
            }
        };
        if !arm.interventions.is_empty() {
            policy.push_str(&format!(
                "; interventions: {}",
                arm.interventions
                    .iter()
                    .map(|k| k.name())
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        let _ = writeln!(
            o,
            "| {} | {} | {} | {} |",
            arm.name,
            policy,
            if arm.policy == AdvancePolicy::Standard {
                "—".into()
            } else {
                pct(arm.takeup)
            },
            if arm.policy == AdvancePolicy::Standard {
                "—".into()
            } else {
                pct(a.metrics.takeup_share)
            }
        );
    }

    let _ = writeln!(o, "\n## Headline: each arm against control\n");
    let _ = writeln!(o, "Intention to treat: every household offered the arm's advance, whether or not it took the offer.\n");
    let _ = writeln!(o, "| arm | metric | control | arm | difference | 95% CI | p-value |\n| --- | --- | ---: | ---: | ---: | --- | ---: |");
    for c in s
        .comparisons
        .iter()
        .filter(|c| c.population == "all" && (c.p_value.is_some() || c.not_estimable.is_some()))
    {
        let is_share = c.metric.contains("share");
        let f = |x: f64| if is_share { pct(x) } else { euro0(x) };
        let d = |x: f64| if is_share { pp(x) } else { signed_euro(x) };
        let (diff, ci, p) = estimate_cells(c, d);
        let _ = writeln!(
            o,
            "| {} | {} | {} | {} | {} | {} | {} |",
            c.arm,
            metric_label(&c.metric),
            f(c.control),
            f(c.treatment),
            diff,
            ci,
            p
        );
    }
    let methods: std::collections::BTreeSet<&str> = s
        .comparisons
        .iter()
        .filter(|c| c.p_value.is_some())
        .map(|c| c.method.as_str())
        .collect();
    let _ = writeln!(
        o,
        "\nMethods: {}.\n",
        methods.into_iter().collect::<Vec<_>>().join("; ")
    );

    if s.replications > 1 {
        let _ = writeln!(o, "## Monte Carlo error\n");
        let _ = writeln!(o, "The metrics above come from the run with seed {}. {} further independent replications (other seeds, same scenario) give the Monte Carlo standard error: how much a metric moves from one simulated population to another of the same size.\n", s.seed, s.replications - 1);
        let _ = writeln!(o, "| metric | {} |", s.arm_order.join(" | "));
        let _ = writeln!(o, "| --- |{}", " ---: |".repeat(s.arm_order.len()));
        for (key, label, is_share) in [
            ("reclaim_share", "share with a reclaim", true),
            ("high_reclaim_share", "share with a high reclaim", true),
            ("mean_reclaim", "mean reclaim", false),
            ("median_reclaim", "median reclaim", false),
            ("withheld_during_year", "withheld per household", false),
        ] {
            let cells: Vec<String> = s
                .arm_order
                .iter()
                .map(|a| {
                    let se = s.arms[a]
                        .mc_standard_errors
                        .get(key)
                        .copied()
                        .unwrap_or(0.0);
                    if is_share {
                        format!("± {:.2} pp", se * 100.0)
                    } else {
                        format!("± €{se:.2}")
                    }
                })
                .collect();
            let _ = writeln!(o, "| {} | {} |", label, cells.join(" | "));
        }
        let _ = writeln!(o);
    }
    let _ = writeln!(o, "## Per arm\n");
    let _ = writeln!(o, "| metric | {} |", s.arm_order.join(" | "));
    let _ = writeln!(o, "| --- |{}", " ---: |".repeat(s.arm_order.len()));
    type Row = (&'static str, fn(&Metrics) -> String);
    let rows: Vec<Row> = vec![
        ("households", |m| {
            crate::model::money::group_thousands(m.households)
        }),
        ("share with a reclaim", |m| pct(m.reclaim_share)),
        ("share with a high reclaim", |m| pct(m.high_reclaim_share)),
        ("mean reclaim (those with one)", |m| euro0(m.mean_reclaim)),
        ("median reclaim", |m| euro0(m.median_reclaim)),
        ("P90 reclaim", |m| euro0(m.p90_reclaim)),
        ("P99 reclaim", |m| euro0(m.p99_reclaim)),
        ("reclaim as share of monthly income", |m| {
            pct(m.reclaim_income_share)
        }),
        ("total reclaimed", |m| euro0(m.total_reclaimed)),
        ("share with a back-payment", |m| pct(m.backpay_share)),
        ("mean back-payment (those with one)", |m| {
            euro0(m.mean_backpay)
        }),
        ("withheld during the year, per household", |m| {
            euro0(m.withheld_during_year)
        }),
        ("mean gap between award and advances", |m| {
            euro0(m.mean_abs_gap)
        }),
        ("monthly repayment (those with a reclaim)", |m| {
            euro0(m.mean_repayment_monthly)
        }),
        ("share with an in-year reclaim", |m| {
            pct(m.in_year_reclaim_share)
        }),
    ];
    for (label, f) in &rows {
        let _ = writeln!(
            o,
            "| {} | {} |",
            label,
            s.arm_order
                .iter()
                .map(|a| f(&s.arms[a].metrics))
                .collect::<Vec<_>>()
                .join(" | ")
        );
    }
    let _ = writeln!(
        o,
        "| took the offer | {} |",
        sc.arms
            .iter()
            .enumerate()
            .map(|(i, a)| if i == 0 {
                "—".to_string()
            } else {
                pct(s.arms[&a.name].metrics.takeup_share)
            })
            .collect::<Vec<_>>()
            .join(" | ")
    );
    for (t, _) in sc.high_reclaim_thresholds.iter().enumerate() {
        let key = sc.high_reclaim_thresholds[t].whole_euros().to_string();
        let _ = writeln!(
            o,
            "| share with a reclaim above {} | {} |",
            euro0(sc.high_reclaim_thresholds[t].whole_euros() as f64),
            s.arm_order
                .iter()
                .map(|a| pct(s.arms[a].metrics.high_reclaim_shares[&key]))
                .collect::<Vec<_>>()
                .join(" | ")
        );
    }

    let _ = writeln!(o, "\n## By household type\n");
    let _ = writeln!(
        o,
        "Share with a reclaim (households in the control arm in brackets).\n"
    );
    let _ = writeln!(o, "| household type | {} |", s.arm_order.join(" | "));
    let _ = writeln!(o, "| --- |{}", " ---: |".repeat(s.arm_order.len()));
    for t in HOUSEHOLD_TYPES {
        let n = s.arms[&s.arm_order[0]].by_household_type[t].households;
        let _ = writeln!(
            o,
            "| {} ({}) | {} |",
            t,
            crate::model::money::group_thousands(n),
            s.arm_order
                .iter()
                .map(|a| pct(s.arms[a].by_household_type[t].reclaim_share))
                .collect::<Vec<_>>()
                .join(" | ")
        );
    }
    let _ = writeln!(
        o,
        "\nMean reclaim among households with one, and monthly repayment:\n"
    );
    let _ = writeln!(o, "| household type | {} |", s.arm_order.join(" | "));
    let _ = writeln!(o, "| --- |{}", " ---: |".repeat(s.arm_order.len()));
    for t in HOUSEHOLD_TYPES {
        let _ = writeln!(
            o,
            "| {} | {} |",
            t,
            s.arm_order
                .iter()
                .map(|a| {
                    let m = &s.arms[a].by_household_type[t];
                    format!(
                        "{} ({}/month)",
                        euro0(m.mean_reclaim),
                        euro0(m.mean_repayment_monthly)
                    )
                })
                .collect::<Vec<_>>()
                .join(" | ")
        );
    }

    let took: Vec<&Comparison> = s
        .comparisons
        .iter()
        .filter(|c| c.population == "took_offer")
        .collect();
    if !took.is_empty() {
        let _ = writeln!(o, "\n## Among households that took the offer\n");
        let _ = writeln!(
            o,
            "The same households under the control arm (paired design).\n"
        );
        let _ = writeln!(o, "| arm | metric | control | arm | difference | 95% CI | p-value |\n| --- | --- | ---: | ---: | ---: | --- | ---: |");
        for c in took {
            let is_share = c.metric.contains("share");
            let f = |x: f64| if is_share { pct(x) } else { euro0(x) };
            let d = |x: f64| if is_share { pp(x) } else { signed_euro(x) };
            let (cc, tt) = if is_share {
                (f(c.control), f(c.treatment))
            } else {
                ("—".into(), "—".into())
            };
            let (diff, ci, p) = estimate_cells(c, d);
            let _ = writeln!(
                o,
                "| {} | {} | {} | {} | {} | {} | {} |",
                c.arm,
                metric_label(&c.metric),
                cc,
                tt,
                diff,
                ci,
                p
            );
        }
    }

    let _ = writeln!(o, "\n## Conclusion\n");
    for c in s.comparisons.iter().filter(|c| {
        c.population == "all" && (c.metric == "reclaim_share" || c.metric == "high_reclaim_share")
    }) {
        let what = if c.metric == "reclaim_share" {
            "the share of households with a reclaim".to_string()
        } else {
            format!(
                "the share with a reclaim above {}",
                euro0(s.high_reclaim_threshold as f64)
            )
        };
        let w = s.arms[&c.arm].metrics.withheld_during_year;
        let (Some(diff), Some(lo), Some(hi), Some(p)) =
            (c.difference, c.ci_low, c.ci_high, c.p_value)
        else {
            let _ = writeln!(o, "- **{}**: {} cannot be compared with control: {}. An arm or the control group has too few households (or no variation) for a difference, confidence interval or test; give it more households (`households`, or its assignment `share` in the randomized design).",
                c.arm, what, not_estimable_text(c));
            continue;
        };
        if p < 0.05 && diff != 0.0 {
            let _ = writeln!(o, "- **{}**: {} {} from {} to {} ({}; 95% CI {} to {}; p {}). The difference is statistically significant at the 5% level{}.",
                c.arm, what, if diff < 0.0 { "falls" } else { "rises" }, pct(c.control), pct(c.treatment), pp(diff),
                pp(lo), pp(hi), p_text(p),
                if c.metric == "reclaim_share" && w > 0.0 { format!("; in exchange households receive on average {} less during the year", euro0(w)) } else { String::new() });
        } else {
            let _ = writeln!(o, "- **{}**: {} changes from {} to {} ({}; 95% CI {} to {}; p {}). This difference is not statistically significant at the 5% level: the simulation cannot distinguish it from no effect.",
                c.arm, what, pct(c.control), pct(c.treatment), pp(diff), pp(lo), pp(hi), p_text(p));
        }
    }
    let _ = writeln!(o, "\nThese are simulated households, not observed ones: the effects follow from the scenario's assumptions about shocks, reporting and take-up listed below.");

    o.push_str(&crate::output::lab::lab_section_md(sc, s));
    let _ = writeln!(o, "\n## Pilot size\n");
    let _ = writeln!(o, "Households per arm a randomized pilot would need to detect the simulated change in the reclaim share with 80% power at 5% significance (two-sided, normal approximation):\n");
    for (arm, n) in &s.pilot_households_per_arm {
        let not_estimable = s
            .comparisons
            .iter()
            .find(|c| &c.arm == arm && c.metric == "reclaim_share" && c.population == "all")
            .filter(|c| c.not_estimable.is_some());
        let _ = writeln!(
            o,
            "- {}: {}",
            arm,
            match (n, not_estimable) {
                (Some(n), _) => crate::model::money::group_thousands(*n),
                (None, Some(c)) => not_estimable_text(c),
                (None, None) => "no simulated difference to detect".into(),
            }
        );
    }

    let _ = writeln!(o, "\n## Assumptions and approximations in force\n");
    let _ = writeln!(o, "- Rules: {} for {}, parameters from `parameters/{}.toml` (each with its public source; `toeslagenlab params --year {}` lists them).", s.benefits.join(" and "), s.year, s.year, s.year);
    for (k, p) in sc.parameter_set.uncertain() {
        let _ = writeln!(
            o,
            "- **Uncertain parameter** `{}` = {} {} ({}).",
            k, p.value, p.unit, p.source
        );
    }
    if sc.overrides.is_empty() {
        let _ = writeln!(o, "- No parameter overrides: the law as in force.");
    }
    for ov in &sc.overrides {
        let _ = writeln!(
            o,
            "- **Reform**: `{}.{}` changed from {} to {} ({}).",
            ov.group, ov.key, ov.from, ov.to, ov.unit
        );
    }
    let b = &sc.behaviour;
    let _ = writeln!(o, "- Reporting (assumption): {}. A change counts from the month after it happens (Awir art. 5) and is used for the advance from the month after the report.", crate::model::scenario::ChangeType::ALL.iter().map(|t| { let (lo, hi) = b.delay[*t as usize]; format!("{} reported with probability {}, delay {}–{} months", t.name(), b.p(*t), lo, hi) }).collect::<Vec<_>>().join("; "));
    if b.unaware_income_share > 0.0 {
        let _ = writeln!(o, "- A share of {} of households does not know it must report income changes and never reports them (RULES.md §6 survey: 50%).", b.unaware_income_share);
    }
    o.push_str(&crate::sim::interventions::assumptions_md(sc));
    let _ = writeln!(
        o,
        "- Shocks (assumption): {}.",
        sc.shocks
            .iter()
            .map(|sh| format!("{} with probability {}", sh.kind.name(), sh.probability))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let _ = writeln!(o, "- The household's own income estimate at the start of the year is drawn around its actual income (assumption); after reporting an income change it estimates correctly from then on.");
    let _ = writeln!(o, "- Rounding: annual awards half-up to whole euros, nothing below €24 (Awir art. 14); monthly advance floor(annual/12); a reduced advance is floor(award × percentage) a year. The rounding remainder of up to €11 per benefit is paid as a small back-payment at the definitive award.");
    let _ = writeln!(o, "- Reclaims up to the small-reclaim threshold per benefit are not collected and do not count as a reclaim here; the repayment burden is the standard plan's monthly instalment.");
    o
}

fn metric_label(m: &str) -> String {
    match m {
        "reclaim_share" => "share with a reclaim".into(),
        "high_reclaim_share" => "share with a high reclaim".into(),
        "backpay_share" => "share with a back-payment".into(),
        "mean_reclaim_per_household" => "reclaim per household".into(),
        "withheld_during_year" => "withheld during the year".into(),
        "mean_abs_gap" => "gap between award and advances".into(),
        "mean_repayment_monthly_per_household" => "monthly repayment per household".into(),
        other => match other.strip_prefix("high_reclaim_share_") {
            Some(t) => format!(
                "share with a reclaim above {}",
                euro0(t.parse::<f64>().unwrap_or(0.0))
            ),
            None => other.replace('_', " "),
        },
    }
}

/// The columns of `households.csv`: fixed columns, then one reclaim column per benefit.
pub fn csv_header() -> Vec<String> {
    let mut h: Vec<String> = [
        "household_id",
        "arm",
        "household_type",
        "took_offer",
        "chosen_percentage",
        "advances",
        "definitive_award",
        "reclaim",
        "reclaim_before_threshold",
        "backpay",
        "withheld",
        "in_year_reclaim",
        "repayment_monthly",
        "income",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    h.extend(
        crate::rules::Benefit::ALL
            .iter()
            .map(|b| format!("reclaim_{}", b.name())),
    );
    h
}

fn money_cell(m: Money) -> String {
    let neg = m.0 < 0;
    let a = m.0.unsigned_abs();
    format!("{}{}.{:02}", if neg { "-" } else { "" }, a / 100, a % 100)
}

/// Writes outcomes as `households.csv` rows (amounts in euros with two decimals).
pub fn write_rows<W: std::io::Write>(
    w: &mut csv::Writer<W>,
    sc: &Scenario,
    rows: &[Outcome],
) -> csv::Result<()> {
    let mut rec: Vec<String> = Vec::with_capacity(14 + crate::rules::N_BENEFITS);
    for o in rows {
        let arm = &sc.arms[o.arm];
        let pct = if !arm.policy.offers() {
            String::new()
        } else {
            format!("{}", (o.percentage.to_f64() * 100.0).round() as i64)
        };
        rec.clear();
        rec.extend([
            o.household_id.to_string(),
            arm.name.clone(),
            HOUSEHOLD_TYPES[o.household_type as usize].to_string(),
            o.took_offer.to_string(),
            pct,
            money_cell(o.advances),
            money_cell(o.definitive),
            money_cell(o.reclaim),
            money_cell(o.reclaim_before_threshold),
            money_cell(o.backpay),
            money_cell(o.withheld),
            money_cell(o.in_year_reclaim),
            money_cell(o.repayment_monthly),
            money_cell(o.income),
        ]);
        rec.extend(o.reclaim_by_benefit.iter().map(|m| money_cell(*m)));
        w.write_record(&rec)?;
    }
    Ok(())
}
