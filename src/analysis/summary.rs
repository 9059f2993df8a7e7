//! The comparison against control: per-arm metrics, the comparisons with their estimates and
//! the machine-readable [`Summary`] built from a finished run.
//!
//! Must not: format text (that is the output layer's job) or run the simulation.

use crate::analysis::accumulators::{
    ArmAccumulator, GroupStats, InterventionCounts, MoneySum, PairedAccumulator,
};
use crate::analysis::inference::{self, Estimated, NotEstimable};
use crate::analysis::intervals;
use crate::analysis::run::{pair_index, RunResult};
use crate::analysis::subgroups::{subgroup_effects, SubgroupEffect};
use crate::model::metric::Metric;
use crate::model::money::Money;
use crate::model::scenario::{Design, Scenario, HOUSEHOLD_TYPES};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Rounds euros to cents (half away from zero) for output.
fn eur(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// Rounds a share to 6 decimals for output.
fn share(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}

/// Metrics of one group of households. Who is counted: every share and mean is among the
/// group's *recipient households* (at least one toeslag in the year); `all_households` repeats
/// the headline shares over every simulated household. A key missing from a summary.json read
/// back is NaN.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default = "crate::analysis::summary_de::absent_metrics")]
pub struct Metrics {
    /// Households simulated (recipients or not).
    pub households: u64,
    /// Recipient households (at least one toeslag in the year): the population of every metric.
    pub recipients: u64,
    /// The headline shares over all simulated households (households without a toeslag count
    /// as having neither a reclaim nor a back-payment).
    pub all_households: AllHouseholds,
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
    /// Share with a back-payment (a benefit's back-payment above `backpay_threshold`).
    pub backpay_share: f64,
    /// Mean counted back-payment among households with one (€).
    pub mean_backpay: f64,
    /// Share whose net settlement across benefits is a reclaim (each household counted once).
    pub net_reclaim_share: f64,
    /// Share whose net settlement is a back-payment above `backpay_threshold`.
    pub net_backpay_share: f64,
    /// Mean net settlement (back-payments paid − reclaims collected; €).
    pub mean_net_settlement: f64,
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

/// The headline shares over every simulated household.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default = "crate::analysis::summary_de::absent_all_households")]
pub struct AllHouseholds {
    /// Share of all households with a collected reclaim.
    pub reclaim_share: f64,
    /// Share of all households with a reclaim above the primary high threshold.
    pub high_reclaim_share: f64,
    /// Share of all households with a counted back-payment.
    pub backpay_share: f64,
    /// Share of households that receive at least one toeslag.
    pub recipient_share: f64,
}

impl Metrics {
    fn from(g: &GroupStats, thresholds: &[Money], primary: usize) -> Metrics {
        let n = g.n;
        Metrics {
            households: g.n_all,
            recipients: n,
            all_households: AllHouseholds {
                reclaim_share: share(ratio(g.n_reclaim, g.n_all)),
                high_reclaim_share: share(ratio(
                    g.n_high.get(primary).copied().unwrap_or(0),
                    g.n_all,
                )),
                backpay_share: share(ratio(g.n_backpay, g.n_all)),
                recipient_share: share(g.recipient_share()),
            },
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
            net_reclaim_share: share(ratio(g.n_net_reclaim, n)),
            net_backpay_share: share(ratio(g.n_net_backpay, n)),
            mean_net_settlement: eur(g.net.mean_euros(n)),
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

use crate::analysis::accumulators::ratio;

/// One arm in the summary.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ArmSummary {
    /// Policy name.
    #[serde(default, deserialize_with = "crate::analysis::summary_de::name")]
    pub policy: &'static str,
    /// Fraction of the cautious policy.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fraction: Option<f64>,
    /// Offered take-up.
    #[serde(default)]
    pub offered_takeup: f64,
    /// Metrics, flattened.
    #[serde(flatten)]
    pub metrics: Metrics,
    /// Metrics by household type.
    #[serde(default)]
    pub by_household_type: BTreeMap<String, Metrics>,
    /// Monte Carlo standard error of each metric: the standard deviation of the metric across
    /// independent replications (present when replications > 1).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub mc_standard_errors: BTreeMap<String, f64>,
    /// Pooled point estimate of each metric: its mean over all replications (present when
    /// replications > 1; its Monte Carlo standard error is `mc_standard_errors / √replications`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub pooled: BTreeMap<String, f64>,
    /// Households that took the offer by chosen percentage (adjustable arm).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub chosen_percentages: BTreeMap<String, u64>,
    /// Mean advance paid per month, per household (€), months 1–12.
    #[serde(default)]
    pub monthly_advance: Vec<f64>,
    /// Mean actual entitlement per month, per household (€), months 1–12.
    #[serde(default)]
    pub monthly_entitlement: Vec<f64>,
    /// What the arm's interventions did (present only for an arm with interventions).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interventions: Option<InterventionCounts>,
    /// Households that receive each simulated benefit (applied, with advances or a definitive
    /// award above zero), new entrants included (absent from summaries written before it).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub benefit_households: BTreeMap<String, u64>,
    /// Take-up of each simulated benefit (with `[behaviour.non_take_up]`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub benefit_take_up: BTreeMap<String, BenefitTakeUp>,
    /// Households the arm draws in that would not apply under control (an arm with
    /// `non_take_up_factor` below 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub new_entrants: Option<NewEntrants>,
    /// The arm's recipient households by decile of the applicant's actual annual income (the
    /// deciles of the `income_decile` subgroups: bounds set by the control arm, the same for
    /// every arm); absent from summaries written before it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub by_income_decile: Vec<DecileRow>,
}

/// One income decile of one arm (recipient households; means include the zeros).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct DecileRow {
    /// Decile, 1–10.
    pub decile: u8,
    /// Lowest applicant income of the decile (€ a year).
    pub income_from: u64,
    /// Income where the next decile starts (€ a year); null for the last.
    pub income_to: Option<u64>,
    /// Recipient households of the arm in the decile.
    pub households: u64,
    /// Share with a collected reclaim.
    pub reclaim_share: f64,
    /// Mean collected reclaim (€).
    pub mean_reclaim: f64,
    /// Mean advance withheld against the full advance (€).
    pub mean_withheld: f64,
    /// Mean back-payment (€).
    pub mean_backpay: f64,
    /// Mean net settlement: back-payment − collected reclaim (€).
    pub mean_net_settlement: f64,
}

/// The arm's income deciles, on the control arm's decile bounds.
fn decile_rows(control: &ArmAccumulator, acc: &ArmAccumulator) -> Vec<DecileRow> {
    let ranges = crate::analysis::subgroups::decile_ranges(control);
    ranges
        .iter()
        .enumerate()
        .map(|(i, &(d, first, last))| {
            let mut g = crate::analysis::accumulators::SubgroupStats::default();
            for b in first..=last {
                if let Some(x) = acc.by_income.get(b) {
                    g.merge(x);
                }
            }
            let (from, to) = crate::analysis::subgroups::decile_bounds(&ranges, i);
            let share_of = share(ratio(g.n_reclaim, g.n));
            DecileRow {
                decile: d as u8 + 1,
                income_from: from,
                income_to: to,
                households: g.n,
                reclaim_share: share_of,
                mean_reclaim: eur(g.reclaim.mean_euros(g.n)),
                mean_withheld: eur(g.withheld.mean_euros(g.n)),
                mean_backpay: eur(g.backpay.mean_euros(g.n)),
                mean_net_settlement: eur(g.net.mean_euros(g.n)),
            }
        })
        .collect()
}

/// Take-up of one benefit in one arm (docs/behaviour.md "Non-take-up").
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct BenefitTakeUp {
    /// Households entitled (a definitive award above zero on what really happened).
    pub entitled: u64,
    /// Share of them that applied (1 − non-take-up).
    pub take_up: f64,
    /// Share of the entitled money that reaches households (Σ award of the entitled that
    /// applied / Σ award of all entitled).
    pub money_reaching_entitled: f64,
    /// Entitled money that does not reach households (€).
    pub money_not_reaching: f64,
}

/// New entrants of one arm: households that apply only because of the arm.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct NewEntrants {
    /// New entrant households.
    pub households: u64,
    /// Share of them with a collected reclaim.
    pub reclaim_share: f64,
    /// Their mean collected reclaim among those with one (€).
    pub mean_reclaim: f64,
    /// Their mean definitive award (€).
    pub mean_definitive_award: f64,
}

/// A treatment arm vs control on one metric.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Comparison {
    /// Treatment arm.
    pub arm: String,
    /// Control arm.
    pub vs: String,
    /// Metric key (as in `arms.<arm>`).
    pub metric: String,
    /// Population: `all` (intention to treat) or `took_offer`.
    #[serde(deserialize_with = "crate::analysis::summary_de::name")]
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
    /// Holm-adjusted p-value within the run's family of tested comparisons (null for a
    /// descriptive or untested row).
    #[serde(default)]
    pub p_adjusted: Option<f64>,
    /// The primary comparison (the scenario's `primary_metric`, an arm vs control).
    #[serde(default)]
    pub primary: bool,
    /// A descriptive row: it compares groups the treatment itself selects (households with a
    /// reclaim), so it has no test and is outside the family.
    #[serde(default)]
    pub descriptive: bool,
    /// Method.
    #[serde(default)]
    pub method: String,
    /// Why the comparison cannot be estimated (`n = 0`, `n = 1`, `no variation`); then
    /// `difference`, `ci_low`, `ci_high` and `p_value` are null. Absent when estimable.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not_estimable: Option<String>,
    /// Monte Carlo standard error of the difference across replications (replications > 1):
    /// how much one run's difference moves between simulated populations.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mc_se: Option<f64>,
    /// The difference pooled over all replications (their mean; replications > 1 and estimable
    /// in every one). Its Monte Carlo standard error is `mc_se / √replications`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pooled_difference: Option<f64>,
}

/// The whole machine-readable summary (`summary.json`); `check` and `diff` read it back (keys
/// an older version did not write take their defaults).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Summary {
    /// Scenario name.
    pub scenario: String,
    /// Benefit year.
    pub year: u16,
    /// Seed.
    #[serde(default)]
    pub seed: u64,
    /// Design.
    #[serde(deserialize_with = "crate::analysis::summary_de::name")]
    pub design: &'static str,
    /// Households simulated.
    pub households: u64,
    /// Who every share and mean is among (unless a table says otherwise).
    #[serde(default, deserialize_with = "crate::analysis::summary_de::name")]
    pub population: &'static str,
    /// A back-payment of one benefit counts as one only above this amount (€): the one
    /// definition used by report, charts, calibrate and households.csv.
    #[serde(default)]
    pub backpay_threshold: i64,
    /// The primary comparison metric (each treatment arm vs control).
    #[serde(default)]
    pub primary_metric: String,
    /// Comparisons in the family whose p-values are Holm-adjusted (`p_adjusted`).
    #[serde(default)]
    pub family_size: usize,
    /// Independent replications run (the metrics, intervals and tests are those of the first,
    /// seeded with `seed`; all of them give the Monte Carlo standard errors and the pooled
    /// estimates, `arms.<arm>.pooled` and `comparisons[].pooled_difference`).
    #[serde(default)]
    pub replications: u32,
    /// Primary high-reclaim threshold (€).
    #[serde(default)]
    pub high_reclaim_threshold: i64,
    /// Recalculation rule.
    #[serde(default, deserialize_with = "crate::analysis::summary_de::name")]
    pub recalculation: &'static str,
    /// Benefits simulated.
    #[serde(default, deserialize_with = "crate::analysis::summary_de::names")]
    pub benefits: Vec<&'static str>,
    /// Per arm.
    pub arms: BTreeMap<String, ArmSummary>,
    /// Arm order (control first).
    #[serde(default)]
    pub arm_order: Vec<String>,
    /// Comparisons of every treatment arm with control, then of every pair of treatment arms
    /// (`vs` the earlier arm).
    #[serde(default)]
    pub comparisons: Vec<Comparison>,
    /// Subgroup effects of every treatment arm vs control (exploratory: outside the family).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub subgroups: Vec<SubgroupEffect>,
    /// Winners and losers: per treatment arm and income decile, the shares of recipient
    /// households with more, the same or less cash than under control, in the benefit year and
    /// after its settlement (paired design only; see [`crate::analysis::cash_change`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub winners_losers: Vec<crate::analysis::cash_change::CashChange>,
    /// Pilot size needed per arm to detect the simulated reclaim-share effect (80% power, 5%).
    #[serde(default)]
    pub pilot_households_per_arm: BTreeMap<String, Option<u64>>,
    /// The pilot size of each arm with its range: over the 95% interval of the effect on the
    /// reclaim share, or (with replications) from the smallest to the largest across them.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub pilot_size_range: BTreeMap<String, PilotSize>,
    /// Parameter overrides.
    #[serde(default)]
    pub parameter_overrides: Vec<crate::model::parameters::Override>,
    /// Uncertain parameters in force (`group.key`).
    #[serde(default)]
    pub uncertain_parameters: Vec<String>,
    /// The primary comparison under the scenario's selection into the offer and under other
    /// selection strengths (written by `run` when selection matters; see
    /// [`crate::analysis::selection_sensitivity`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub selection_sensitivity: Option<crate::analysis::selection_sensitivity::SelectionSensitivity>,
    /// A multi-year run (`[horizon]`): every benefit year's summary and the debts over the
    /// horizon; the top level is then the first year's (see [`crate::analysis::horizon`]).
    /// (`check` and `diff` compare the top level: it is not read back.)
    #[serde(skip_deserializing, skip_serializing_if = "Option::is_none")]
    pub horizon: Option<Box<crate::analysis::horizon::HorizonSummary>>,
}

/// A pilot size with its uncertainty (households per arm of a two-arm randomized pilot, 80%
/// power, 5% two-sided; [`crate::analysis::power::pilot_range`]).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct PilotSize {
    /// For the simulated effect itself (null: no effect to detect).
    pub point: Option<u64>,
    /// The smallest size of the range.
    pub low: Option<u64>,
    /// The largest size; null = unbounded (the simulation cannot exclude no effect).
    pub high: Option<u64>,
    /// Where the range comes from.
    pub basis: String,
}

impl From<crate::analysis::power::PilotRange> for PilotSize {
    fn from(r: crate::analysis::power::PilotRange) -> PilotSize {
        PilotSize {
            point: r.point,
            low: r.low,
            high: r.high,
            basis: r.basis.to_string(),
        }
    }
}

/// Who the shares and means of a summary are among.
pub const POPULATION: &str =
    "recipient households (at least one toeslag in the year; all_households: every household)";

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
        p_adjusted: None,
        primary: false,
        descriptive: false,
        method,
        not_estimable,
        mc_se: None,
        pooled_difference: None,
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
        _ => inference::welch_of(c, nc, t, nt),
    }
}

/// Builds the summary from a finished run.
pub fn summarize(sc: &Scenario, r: &RunResult) -> Summary {
    let th = &sc.high_reclaim_thresholds;
    let primary = primary_threshold(th);
    let arms = sc
        .arms
        .iter()
        .enumerate()
        .map(|(i, arm)| (arm.name.clone(), arm_summary(sc, r, i, primary)))
        .collect();
    let mut comparisons = Vec::new();
    let mut pilot = BTreeMap::new();
    let mut pilot_range = BTreeMap::new();
    let mut subgroups = Vec::new();
    for (i, arm) in sc.arms.iter().enumerate().skip(1) {
        let ctx = ArmVsControl {
            sc,
            name: &arm.name,
            control: &sc.arms[0].name,
            c: &r.arms[0].total,
            t: &r.arms[i].total,
            p: r.paired.get(i - 1),
            paired_design: sc.design == Design::Paired && r.paired.get(i - 1).is_some(),
            offers: arm.policy.offers(),
        };
        share_comparisons(&ctx, primary, &mut comparisons);
        mean_comparisons(&ctx, &mut comparisons);
        reclaim_size_comparisons(&ctx, i, &mut comparisons);
        took_offer_comparisons(&ctx, &mut comparisons);
        cace_comparisons(&ctx, &mut comparisons);
        pilot.insert(arm.name.clone(), pilot_size(ctx.c, ctx.t));
        pilot_range.insert(arm.name.clone(), pilot_size_range(&ctx));
        subgroups.extend(subgroup_effects(sc, &r.arms, i, r.paired.get(i - 1)));
    }
    treatment_vs_treatment(sc, r, primary, &mut comparisons);
    for c in comparisons.iter_mut() {
        c.difference = c.difference.map(|d| round_like(&c.metric, d));
        c.primary = c.metric == sc.primary_metric
            && c.population == "all"
            && !c.descriptive
            && c.vs == sc.arms[0].name;
    }
    let family_size = adjust_family(&mut comparisons);
    Summary {
        scenario: sc.name.clone(),
        year: sc.year,
        seed: sc.seed,
        design: sc.design.name(),
        households: sc.households,
        population: POPULATION,
        backpay_threshold: sc.backpay_threshold.whole_euros(),
        primary_metric: sc.primary_metric.clone(),
        family_size,
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
        subgroups,
        winners_losers: crate::analysis::cash_change::cash_changes(sc, r),
        pilot_households_per_arm: pilot,
        pilot_size_range: pilot_range,
        parameter_overrides: sc.overrides.clone(),
        uncertain_parameters: sc
            .parameter_set
            .uncertain()
            .into_iter()
            .map(|(k, _)| k)
            .collect(),
        selection_sensitivity: None,
        horizon: None,
    }
}

/// The summary of arm `i`: its metrics overall and by household type, chosen percentages and
/// monthly means.
fn arm_summary(sc: &Scenario, r: &RunResult, i: usize, primary: usize) -> ArmSummary {
    let th = &sc.high_reclaim_thresholds;
    let arm = &sc.arms[i];
    let acc = &r.arms[i];
    let n = acc.total.n.max(1) as f64;
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
        pooled: BTreeMap::new(),
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
        benefit_households: crate::rules::Benefit::ALL
            .iter()
            .filter(|b| sc.population.benefits[b.index()])
            .map(|b| (b.name().to_string(), acc.take_up.receiving[b.index()]))
            .collect(),
        benefit_take_up: if sc.behaviour.non_take_up.is_some() {
            benefit_take_up(sc, &acc.take_up)
        } else {
            BTreeMap::new()
        },
        new_entrants: (arm.non_take_up_factor != 1.0).then(|| {
            let t = &acc.take_up;
            NewEntrants {
                households: t.new_entrants,
                reclaim_share: share(ratio(t.new_entrant_reclaims, t.new_entrants)),
                mean_reclaim: eur(if t.new_entrant_reclaims == 0 {
                    0.0
                } else {
                    t.new_entrant_reclaim as f64 / 100.0 / t.new_entrant_reclaims as f64
                }),
                mean_definitive_award: eur(if t.new_entrants == 0 {
                    0.0
                } else {
                    t.new_entrant_definitive as f64 / 100.0 / t.new_entrants as f64
                }),
            }
        }),
        interventions: (!arm.interventions.is_empty()).then_some(acc.interventions),
        by_income_decile: decile_rows(&r.arms[0], acc),
    }
}

/// Take-up of each simulated benefit with anyone entitled.
fn benefit_take_up(
    sc: &Scenario,
    t: &crate::analysis::take_up::TakeUpStats,
) -> BTreeMap<String, BenefitTakeUp> {
    crate::rules::Benefit::ALL
        .iter()
        .filter(|b| sc.population.benefits[b.index()])
        .filter_map(|b| {
            let i = b.index();
            Some((
                b.name().to_string(),
                BenefitTakeUp {
                    entitled: t.entitled[i],
                    take_up: share(t.take_up(i)?),
                    money_reaching_entitled: share(t.money_reaching(i)?),
                    money_not_reaching: eur((t.entitlement[i] - t.reached[i]) as f64 / 100.0),
                },
            ))
        })
        .collect()
}

/// One treatment arm against its reference (control, or an earlier treatment arm): what every
/// comparison of that arm needs.
struct ArmVsControl<'a> {
    sc: &'a Scenario,
    /// Treatment arm name.
    name: &'a str,
    /// Reference arm name (control, or the earlier treatment arm).
    control: &'a str,
    /// Reference totals.
    c: &'a GroupStats,
    /// Treatment totals.
    t: &'a GroupStats,
    /// The within-household comparison (paired design).
    p: Option<&'a PairedAccumulator>,
    /// Paired design with a paired accumulator for this arm.
    paired_design: bool,
    /// The arm offers an advance to take (so take-up, and an effect among takers, exist).
    offers: bool,
}

impl ArmVsControl<'_> {
    /// A comparison of this arm with control on `metric`.
    fn cmp(
        &self,
        metric: &str,
        population: &'static str,
        c: f64,
        t: f64,
        e: Option<Estimated>,
        method: &str,
    ) -> Comparison {
        cmp(self.name, self.control, metric, population, c, t, e, method)
    }

    /// The interval and test of a difference in shares, from one method so they never
    /// contradict: Newcombe's hybrid score interval (paired: with the φ correction) with the
    /// score test or, for small counts, Fisher's exact test (paired: exact McNemar)
    /// ([`crate::analysis::intervals`]). `disc` are the discordant pairs (control only,
    /// treatment only) of the paired design.
    fn share_est(&self, xc: u64, xt: u64, disc: Option<(u64, u64)>) -> Estimated {
        let paired = match (self.paired_design, disc, self.p) {
            (true, Some((b, cc)), Some(p)) => Some((b, cc, p.n)),
            _ => None,
        };
        intervals::share_difference(xc, self.c.n, xt, self.t.n, paired).map(Into::into)
    }
}

/// Shares: with a reclaim, above each high-reclaim threshold, with a back-payment.
fn share_comparisons(x: &ArmVsControl, primary: usize, out: &mut Vec<Comparison>) {
    let (c, t, p) = (x.c, x.t, x.p);
    let e = x.share_est(
        c.n_reclaim,
        t.n_reclaim,
        p.map(|p| (p.control_only, p.treatment_only)),
    );
    out.push(x.cmp(
        "reclaim_share",
        "all",
        share(c.reclaim_share()),
        share(t.reclaim_share()),
        Some(e),
        "",
    ));
    for (k, thr) in x.sc.high_reclaim_thresholds.iter().enumerate() {
        let e = x.share_est(
            c.n_high[k],
            t.n_high[k],
            p.and_then(|p| p.high_discordant.get(k).copied()),
        );
        let metric = if k == primary {
            "high_reclaim_share".to_string()
        } else {
            format!("high_reclaim_share_{}", thr.whole_euros())
        };
        out.push(x.cmp(
            &metric,
            "all",
            share(c.high_share(k)),
            share(t.high_share(k)),
            Some(e),
            "",
        ));
    }
    let e = x.share_est(c.n_backpay, t.n_backpay, p.map(|p| p.backpay_discordant));
    out.push(x.cmp(
        "backpay_share",
        "all",
        share(c.backpay_share()),
        share(t.backpay_share()),
        Some(e),
        "",
    ));
}

/// Means over all households (zeros included).
fn mean_comparisons(x: &ArmVsControl, out: &mut Vec<Comparison>) {
    let (c, t, p) = (x.c, x.t, x.p);
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
            x.sc.design,
            cs,
            c.n,
            ts,
            t.n,
            d.map(|d| (d, p.map(|p| p.n).unwrap_or(0))),
        );
        out.push(x.cmp(
            metric,
            "all",
            eur(cs.mean_euros(c.n)),
            eur(ts.mean_euros(t.n)),
            Some(e),
            "",
        ));
    }
}

/// The size of reclaims: mean and median among households with one (descriptive; their groups
/// differ per arm) and the total reclaimed. `i` is the arm index (the bootstrap's seed).
fn reclaim_size_comparisons(x: &ArmVsControl, i: usize, out: &mut Vec<Comparison>) {
    let (c, t) = (x.c, x.t);
    const CONDITIONAL: &str = "difference of conditional means (households with a reclaim; no test: the groups differ by arm)";
    // An arm without reclaims has no conditional mean to compare.
    let among = (c.n_reclaim.min(t.n_reclaim) == 0).then(|| {
        Err(NotEstimable {
            reason: "n = 0".into(),
            method: CONDITIONAL,
        })
    });
    out.push(x.cmp(
        "mean_reclaim",
        "all",
        eur(c.mean_reclaim_among()),
        eur(t.mean_reclaim_among()),
        among,
        CONDITIONAL,
    ));
    // Paired design: households resampled with their reclaims under both arms; randomized:
    // each arm resampled on its own.
    let boot = match (x.paired_design, x.p) {
        (true, Some(p)) => crate::analysis::paired_bootstrap::paired_median_difference(
            &p.pairs,
            p.n,
            (t.reclaim_quantile(0.5).0 - c.reclaim_quantile(0.5).0) as f64 / 100.0,
            x.sc.seed ^ i as u64,
        ),
        _ => inference::bootstrap_median_difference(&c.reclaims, &t.reclaims, x.sc.seed ^ i as u64),
    };
    out.push(x.cmp(
        "median_reclaim",
        "all",
        eur(c.reclaim_quantile(0.5).to_f64_euros()),
        eur(t.reclaim_quantile(0.5).to_f64_euros()),
        Some(boot),
        "difference of exact medians (households with a reclaim)",
    ));
    // Both rows compare households with a reclaim, a group the treatment itself changes: they
    // describe, they do not test (no p-value, outside the family of comparisons).
    for c in out.iter_mut().rev().take(2) {
        c.descriptive = true;
        c.p_value = None;
    }
    out.push(x.cmp(
        "total_reclaimed",
        "all",
        eur(c.reclaim.sum as f64 / 100.0),
        eur(t.reclaim.sum as f64 / 100.0),
        None,
        "difference of totals",
    ));
}

/// The effect among those who took the offer (paired design: the same households in control).
fn took_offer_comparisons(x: &ArmVsControl, out: &mut Vec<Comparison>) {
    let p = match (x.paired_design, x.p) {
        (true, Some(p)) if p.n_took > 0 => p,
        _ => return,
    };
    let e = intervals::newcombe_paired(
        p.took_reclaims.0.saturating_sub(p.took_discordant.0),
        p.took_discordant.0,
        p.took_discordant.1,
        p.n_took,
    )
    .map(Into::into);
    out.push(x.cmp(
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
    out.push(x.cmp(
        "mean_reclaim_per_household",
        "took_offer",
        eur(cm),
        eur(tm),
        Some(e),
        "",
    ));
}

/// The complier average causal effect (randomized design): the effect among households that
/// take the offer, estimated as the intention-to-treat effect divided by the take-up share of
/// the treatment arm (one-sided non-compliance: control households cannot take it), with
/// Fieller's interval ([`intervals::cace_fieller`]). Control value: the compliers' mean under
/// control implied by the estimate (takers' mean − effect); treatment value: the takers' mean.
fn cace_comparisons(x: &ArmVsControl, out: &mut Vec<Comparison>) {
    if x.paired_design || x.sc.design != Design::Randomized || !x.offers {
        return;
    }
    let (c, t) = (x.c, x.t);
    let others = t.n.saturating_sub(t.n_took);
    // Reclaim share.
    let took_share = ratio(t.n_took_reclaim, t.n_took);
    let cov = intervals::takeup_covariance(
        took_share,
        ratio(t.n_reclaim.saturating_sub(t.n_took_reclaim), others),
        t.n_took,
        t.n,
    );
    let e = intervals::cace_fieller(
        &intervals::Moments::share(c.n_reclaim, c.n),
        &intervals::Moments::share(t.n_reclaim, t.n),
        t.n_took,
        cov,
    );
    out.push(cace_row(
        x,
        "reclaim_share",
        took_share,
        c.reclaim_share(),
        e,
    ));
    // Mean reclaim per household.
    let took_mean = t.took_reclaim.mean_euros(t.n_took);
    let others_mean = if others == 0 {
        0.0
    } else {
        (t.reclaim.sum - t.took_reclaim.sum) as f64 / others as f64 / 100.0
    };
    let moments = |m: &MoneySum, n: u64| intervals::Moments {
        mean: m.mean_euros(n),
        var: m.var_euros(n),
        n,
    };
    let e = intervals::cace_fieller(
        &moments(&c.reclaim, c.n),
        &moments(&t.reclaim, t.n),
        t.n_took,
        intervals::takeup_covariance(took_mean, others_mean, t.n_took, t.n),
    );
    out.push(cace_row(
        x,
        "mean_reclaim_per_household",
        took_mean,
        c.reclaim.mean_euros(c.n),
        e,
    ));
}

/// A CACE row: the takers' value as treatment and, when estimable, takers' value − effect as
/// the compliers' control value (otherwise the control arm's value).
fn cace_row(
    x: &ArmVsControl,
    metric: &str,
    takers: f64,
    control_arm: f64,
    e: Result<intervals::Interval, NotEstimable>,
) -> Comparison {
    let round = |v: f64| round_like(metric, v);
    let control = match &e {
        Ok(i) => round(takers - i.estimate),
        Err(_) => round(control_arm),
    };
    x.cmp(
        metric,
        "took_offer",
        control,
        round(takers),
        Some(e.map(Into::into)),
        "",
    )
}

/// Every pair of treatment arms, the later against the earlier (`vs`): the shares and means of
/// the headline, in the same family (paired design: within household).
fn treatment_vs_treatment(sc: &Scenario, r: &RunResult, primary: usize, out: &mut Vec<Comparison>) {
    let k = sc.arms.len();
    for a in 1..k {
        for b in a + 1..k {
            let p = r.between.get(pair_index(k, a, b));
            let ctx = ArmVsControl {
                sc,
                name: &sc.arms[b].name,
                control: &sc.arms[a].name,
                c: &r.arms[a].total,
                t: &r.arms[b].total,
                p,
                paired_design: sc.design == Design::Paired && p.is_some(),
                offers: sc.arms[b].policy.offers(),
            };
            share_comparisons(&ctx, primary, out);
            mean_comparisons(&ctx, out);
        }
    }
}

/// Holm-adjusts the p-values of the family: every tested, non-descriptive comparison. Returns
/// the family's size. Holm (1979): sort the m p-values, multiply the k-th smallest by m − k + 1,
/// keep the running maximum, cap at 1; this controls the chance of any false "significant" in
/// the family at 5% whatever the dependence between the comparisons.
pub fn adjust_family(comparisons: &mut [Comparison]) -> usize {
    let family: Vec<usize> = (0..comparisons.len())
        .filter(|&i| !comparisons[i].descriptive && comparisons[i].p_value.is_some())
        .collect();
    let p: Vec<Option<f64>> = family.iter().map(|&i| comparisons[i].p_value).collect();
    for (&i, adj) in family.iter().zip(intervals::holm(&p)) {
        comparisons[i].p_adjusted = adj.map(|a| (a * 1e8).round() / 1e8);
    }
    family.len()
}

/// The pilot size with its range over the 95% interval of the reclaim-share effect (the same
/// interval as the comparison's and the power-curve chart's).
fn pilot_size_range(x: &ArmVsControl) -> PilotSize {
    use crate::analysis::power::{pilot_range, PILOT_ALPHA, PILOT_POWER};
    let (c, t) = (x.c, x.t);
    let ci = x
        .share_est(
            c.n_reclaim,
            t.n_reclaim,
            x.p.map(|p| (p.control_only, p.treatment_only)),
        )
        .ok()
        .map(|e| (e.ci_low, e.ci_high));
    let mut r = pilot_range(
        c.reclaim_share(),
        t.reclaim_share(),
        ci,
        PILOT_ALPHA,
        PILOT_POWER,
    );
    // The point is the pilot size summary.json has always reported.
    r.point = pilot_size(c, t);
    r.into()
}

/// Pilot households per arm to detect the simulated reclaim-share effect (80% power, 5%).
fn pilot_size(c: &GroupStats, t: &GroupStats) -> Option<u64> {
    if c.n.min(t.n) < 2 {
        None
    } else {
        inference::sample_size_two_proportions(c.reclaim_share(), t.reclaim_share(), 0.05, 0.8)
    }
}

// The extractors of the metric table (`model::metric`): a metric's value in a typed summary.

impl Metrics {
    /// The value of arm metric `m` in this group; `None` for a comparison-only metric or a
    /// threshold this run did not report.
    pub fn value(&self, m: Metric) -> Option<f64> {
        Some(match m {
            Metric::ReclaimShare => self.reclaim_share,
            Metric::HighReclaimShare => self.high_reclaim_share,
            Metric::MeanReclaim => self.mean_reclaim,
            Metric::MedianReclaim => self.median_reclaim,
            Metric::P90Reclaim => self.p90_reclaim,
            Metric::P99Reclaim => self.p99_reclaim,
            Metric::TotalReclaimed => self.total_reclaimed,
            Metric::ReclaimIncomeShare => self.reclaim_income_share,
            Metric::BackpayShare => self.backpay_share,
            Metric::MeanBackpay => self.mean_backpay,
            Metric::WithheldDuringYear => self.withheld_during_year,
            Metric::TotalWithheld => self.total_withheld,
            Metric::TakeupShare => self.takeup_share,
            Metric::MeanAbsGap => self.mean_abs_gap,
            Metric::MeanRepaymentMonthly => self.mean_repayment_monthly,
            Metric::InYearReclaimShare => self.in_year_reclaim_share,
            Metric::MeanAdvances => self.mean_advances,
            Metric::MeanDefinitiveAward => self.mean_definitive_award,
            Metric::NetReclaimShare => self.net_reclaim_share,
            Metric::NetBackpayShare => self.net_backpay_share,
            Metric::MeanNetSettlement => self.mean_net_settlement,
            Metric::HighReclaimShareAbove(t) => {
                return self.high_reclaim_shares.get(&t.to_string()).copied()
            }
            Metric::MeanReclaimPerHousehold | Metric::MeanRepaymentMonthlyPerHousehold => {
                return None
            }
        })
    }
}

impl ArmSummary {
    /// The Monte Carlo standard error of arm metric `m` (present with replications > 1).
    pub fn mc_standard_error(&self, m: Metric) -> Option<f64> {
        self.mc_standard_errors.get(&m.key()).copied()
    }
}

impl Comparison {
    /// The metric compared; `None` for a key this version does not know.
    pub fn metric_id(&self) -> Option<Metric> {
        Metric::parse(&self.metric)
    }

    /// Whether this comparison is of metric `m`.
    pub fn is(&self, m: Metric) -> bool {
        self.metric_id() == Some(m)
    }
}

impl Summary {
    /// The comparison of `arm` with control on `m` in `population` (`all` or `took_offer`).
    pub fn comparison(&self, arm: &str, m: Metric, population: &str) -> Option<&Comparison> {
        self.comparisons
            .iter()
            .find(|c| c.arm == arm && self.vs_control(c) && c.is(m) && c.population == population)
    }

    /// Whether `c` compares an arm with control (not two treatment arms). A summary without
    /// `arm_order` (older versions) compared with control only.
    pub fn vs_control(&self, c: &Comparison) -> bool {
        self.arm_order
            .first()
            .is_none_or(|control| c.vs == *control)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deciles_of_a_hand_made_population() {
        use crate::analysis::accumulators::SubgroupStats;
        // Ten income bins (€0–€9,999) with 10 recipient households each: every bin is its own
        // decile. In bin k, k households have a reclaim of €100 (€100 × k in all), every
        // household has €50 withheld and €20 back.
        let mut acc = ArmAccumulator::new(0);
        for k in 0..10usize {
            let mut g = SubgroupStats {
                n: 10,
                n_reclaim: k as u64,
                ..SubgroupStats::default()
            };
            g.reclaim.sum = 10_000 * k as i128;
            g.withheld.sum = 10 * 5_000;
            g.backpay.sum = 10 * 2_000;
            g.net.sum = 10 * 2_000 - 10_000 * k as i128;
            acc.by_income[k] = g;
        }
        let rows = decile_rows(&acc, &acc);
        assert_eq!(rows.len(), 10);
        for (k, r) in rows.iter().enumerate() {
            assert_eq!(r.decile as usize, k + 1);
            assert_eq!(r.income_from, 1000 * k as u64);
            assert_eq!(r.income_to, (k < 9).then(|| 1000 * (k as u64 + 1)));
            assert_eq!(r.households, 10);
            assert_eq!(r.reclaim_share, k as f64 / 10.0);
            assert_eq!(r.mean_reclaim, 10.0 * k as f64);
            assert_eq!(r.mean_withheld, 50.0);
            assert_eq!(r.mean_backpay, 20.0);
            assert_eq!(r.mean_net_settlement, 20.0 - 10.0 * k as f64);
        }
        // A treatment arm is put on the control arm's bounds: all its households in bin 0
        // land in decile 1, the other deciles are empty.
        let mut t = ArmAccumulator::new(0);
        t.by_income[0] = SubgroupStats {
            n: 7,
            n_reclaim: 7,
            ..SubgroupStats::default()
        };
        let rows = decile_rows(&acc, &t);
        assert_eq!(rows[0].households, 7);
        assert_eq!(rows[0].reclaim_share, 1.0);
        assert!(rows[1..]
            .iter()
            .all(|r| r.households == 0 && r.reclaim_share == 0.0));
    }
    use crate::model::outcome::InterventionTrace;
    use crate::sim::runner::RunOptions;

    #[test]
    fn intervention_counts_add_households_and_letters_and_merge_exactly() {
        // Household 1: childcare, 2 mutation letters in one run and 1 in another, mutated
        // twice (one household), reported itself once. Household 2: childcare, attention
        // letter, guided, sent to the attention process. Household 3: no childcare, nothing.
        let a = InterventionTrace {
            childcare: true,
            mutation_letters: 3,
            mutations: 2,
            self_reports: 1,
            ..Default::default()
        };
        let b = InterventionTrace {
            childcare: true,
            letter_sent: true,
            guided: true,
            to_attention: true,
            ..Default::default()
        };
        let (mut x, mut y, mut all) = (
            InterventionCounts::default(),
            InterventionCounts::default(),
            InterventionCounts::default(),
        );
        x.add(&a);
        y.add(&b);
        y.add(&InterventionTrace::default());
        for t in [&b, &InterventionTrace::default(), &a] {
            all.add(t);
        }
        x.merge(&y);
        assert_eq!(x, all);
        assert_eq!(
            x,
            InterventionCounts {
                childcare_households: 2,
                attention_letters: 1,
                mutation_letters: 3,
                mutations: 1,
                self_reports: 1,
                guided: 1,
                excluded_to_attention: 1,
            }
        );
    }

    #[test]
    fn summary_has_intervention_counts_only_for_arms_with_interventions() {
        let text = r#"
[experiment]
name = "t"
year = 2026
households = 400
seed = 5

[[arms]]
name = "control"
advance = { policy = "standard" }

[[arms]]
name = "cautious"
advance = { policy = "cautious", fraction = 0.8 }

[[arms]]
name = "mutation"
advance = { policy = "standard" }
interventions = ["mutation", "attention_letter"]

[population]
household_types = { single = 0.0, couple = 0.0, single_parent = 0.5, couple_with_children = 0.5 }
childcare = { share_using = 1.0 }

[interventions]
provider_quality_share = 1.0
"#;
        let sc = crate::scenario::parse_str(std::path::Path::new("t.toml"), text, String::new())
            .unwrap();
        let opts = RunOptions {
            threads: 2,
            ..RunOptions::default()
        };
        let r = crate::analysis::run::run(&sc, &opts, |_| Ok(()), |_, _| {}).unwrap();
        let s = summarize(&sc, &r);
        let json = serde_json::to_value(&s).unwrap();
        assert!(json["arms"]["control"].get("interventions").is_none());
        assert!(json["arms"]["cautious"].get("interventions").is_none());
        let c = &json["arms"]["mutation"]["interventions"];
        // The same counts as adding up each household's trace one by one.
        let mut want = InterventionCounts::default();
        for id in 0..sc.households {
            let h = crate::sim::population::generate(&sc, id);
            let (_, t) = crate::sim::interventions::apply(&sc, &sc.arms[2], &h);
            want.add(&t);
        }
        assert_eq!(c, &serde_json::to_value(want).unwrap());
        assert!(
            want.childcare_households > 300 && want.mutations > 0 && want.attention_letters > 0,
            "{want:?}"
        );
    }
}
