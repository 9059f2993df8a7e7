//! Subgroup effects: each treatment arm against control within household types, employment
//! types, income deciles and benefits, with intervals, Holm-adjusted p-values within the groups of one dimension and an
//! interaction (heterogeneity) test across the groups.
//!
//! Subgroup effects are exploratory: they are outside the report's family of comparisons. An
//! analyst reads the interaction test first: only when it rejects "the same effect in every
//! group" do the groups' differences say that the effect differs between them.
//!
//! Must not: format text, write files.

use crate::analysis::accumulators::{
    ArmAccumulator, MoneySum, PairedAccumulator, PairedSubgroup, SubgroupStats,
};
use crate::analysis::inference::{self, Estimated};
use crate::analysis::intervals;
use crate::model::scenario::{Design, Scenario, EMPLOYMENT_TYPES, HOUSEHOLD_TYPES};
use serde::{Deserialize, Serialize};
use statrs::distribution::{ChiSquared, ContinuousCDF};

/// The interaction test's name in summary.json and report.md.
pub const INTERACTION_METHOD: &str = "Cochran's Q test of equal differences across the groups \
     (inverse-variance weights from each group's Wald variance; chi-square, groups − 1 df)";

/// The interaction method of the `benefit` tables, which have no interaction test.
pub const OVERLAPPING_GROUPS: &str = "none: the benefit groups overlap (a household that \
     receives two benefits is in both), so their differences are not independent and no test of \
     equal effects applies";

/// One group's effect.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct SubgroupRow {
    /// Group name (a household type or an employment type).
    pub group: String,
    /// Recipient households of the group in the control arm.
    pub n_control: u64,
    /// Recipient households of the group in the treatment arm.
    pub n_treatment: u64,
    /// Control value.
    pub control: f64,
    /// Treatment value.
    pub treatment: f64,
    /// Treatment − control (null when not estimable).
    pub difference: Option<f64>,
    /// 95% CI lower bound.
    pub ci_low: Option<f64>,
    /// 95% CI upper bound.
    pub ci_high: Option<f64>,
    /// Two-sided p-value (unadjusted).
    pub p_value: Option<f64>,
    /// Holm-adjusted within the groups of this dimension.
    pub p_adjusted: Option<f64>,
    /// Method of interval and test.
    pub method: String,
    /// Why not estimable (absent when estimable).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not_estimable: Option<String>,
}

/// One arm's effect on one metric across the groups of one dimension.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct SubgroupEffect {
    /// Treatment arm.
    pub arm: String,
    /// Control arm.
    pub vs: String,
    /// Metric key (`reclaim_share` or `mean_reclaim_per_household`).
    pub metric: String,
    /// `household_type`, `employment` or `income_decile`.
    pub dimension: String,
    /// p-value of the interaction test (null with fewer than two groups with a variance).
    pub interaction_p: Option<f64>,
    /// The interaction test.
    pub interaction_method: String,
    /// Groups with recipient households (empty groups are left out).
    pub groups: Vec<SubgroupRow>,
}

/// A group's counts in the control and treatment arms and, in the paired design, within
/// household.
struct Group {
    name: String,
    c: SubgroupStats,
    t: SubgroupStats,
    paired: Option<PairedSubgroup>,
}

fn round6(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}

fn cents(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

fn p8(p: f64) -> f64 {
    (p * 1e8).round() / 1e8
}

/// The group's estimate and the Wald variance of its difference (for the interaction test).
fn share_estimate(g: &Group) -> (Estimated, Option<f64>) {
    match g.paired {
        Some(p) => {
            let e = intervals::newcombe_paired(p.both, p.control_only, p.treatment_only, p.n)
                .map(Into::into);
            let v = (p.n >= 2).then(|| {
                let (b, c, n) = (p.control_only as f64, p.treatment_only as f64, p.n as f64);
                ((b + c) - (b - c).powi(2) / n) / (n * n)
            });
            (e, v)
        }
        None => {
            let e = intervals::newcombe_unpaired(g.c.n_reclaim, g.c.n, g.t.n_reclaim, g.t.n)
                .map(Into::into);
            let v = (g.c.n.min(g.t.n) >= 2).then(|| {
                let pc = g.c.n_reclaim as f64 / g.c.n as f64;
                let pt = g.t.n_reclaim as f64 / g.t.n as f64;
                pc * (1.0 - pc) / g.c.n as f64 + pt * (1.0 - pt) / g.t.n as f64
            });
            (e, v)
        }
    }
}

/// What a subgroup effect measures: the share with a reclaim, or the mean per recipient
/// household (zeros included) of an amount.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Measure {
    ReclaimShare,
    Reclaim,
    Withheld,
    Backpay,
    NetSettlement,
}

impl Measure {
    /// The metric key in summary.json.
    fn key(self) -> &'static str {
        match self {
            Measure::ReclaimShare => "reclaim_share",
            Measure::Reclaim => "mean_reclaim_per_household",
            Measure::Withheld => "withheld_during_year",
            Measure::Backpay => "mean_backpay_per_household",
            Measure::NetSettlement => "mean_net_settlement",
        }
    }

    /// The amount in one arm's group (not for the share).
    fn amount(self, g: &SubgroupStats) -> &MoneySum {
        match self {
            Measure::ReclaimShare | Measure::Reclaim => &g.reclaim,
            Measure::Withheld => &g.withheld,
            Measure::Backpay => &g.backpay,
            Measure::NetSettlement => &g.net,
        }
    }

    /// The within-household difference of the amount (not for the share).
    fn diff(self, p: &PairedSubgroup) -> &MoneySum {
        match self {
            Measure::ReclaimShare | Measure::Reclaim => &p.reclaim_diff,
            Measure::Withheld => &p.withheld_diff,
            Measure::Backpay => &p.backpay_diff,
            Measure::NetSettlement => &p.net_diff,
        }
    }
}

fn mean_estimate(g: &Group, m: Measure) -> (Estimated, Option<f64>) {
    match g.paired {
        Some(p) => {
            let d: &MoneySum = m.diff(&p);
            let e = inference::paired_t(d.mean_euros(p.n), d.var_euros(p.n), p.n);
            let v = (p.n >= 2).then(|| d.var_euros(p.n) / p.n as f64);
            (e, v)
        }
        None => {
            let (c, t) = (m.amount(&g.c), m.amount(&g.t));
            let (nc, nt) = (g.c.n, g.t.n);
            let e = inference::welch_of(c, nc, t, nt);
            let v = (nc.min(nt) >= 2)
                .then(|| c.var_euros(nc) / nc as f64 + t.var_euros(nt) / nt as f64);
            (e, v)
        }
    }
}

/// Cochran's Q (Cochran 1954, Biometrics 10:101): `Q = Σ wᵢ(dᵢ − d̄)²`, `wᵢ = 1/vᵢ`,
/// `d̄ = Σwᵢdᵢ/Σwᵢ`, referred to chi-square with (groups − 1) degrees of freedom. Groups
/// without a positive variance are left out; `None` with fewer than two left.
pub fn cochran_q(diffs: &[(f64, f64)]) -> Option<f64> {
    let used: Vec<(f64, f64)> = diffs
        .iter()
        .copied()
        .filter(|(d, v)| d.is_finite() && v.is_finite() && *v > 0.0)
        .collect();
    if used.len() < 2 {
        return None;
    }
    let w: f64 = used.iter().map(|(_, v)| 1.0 / v).sum();
    let mean = used.iter().map(|(d, v)| d / v).sum::<f64>() / w;
    let q: f64 = used.iter().map(|(d, v)| (d - mean).powi(2) / v).sum();
    let chi = ChiSquared::new((used.len() - 1) as f64).ok()?;
    Some(chi.sf(q).clamp(0.0, 1.0))
}

fn effect(arm: &str, vs: &str, m: Measure, dimension: &str, groups: &[Group]) -> SubgroupEffect {
    let mut rows = Vec::new();
    let mut diffs = Vec::new();
    let metric = m.key();
    let is_share = m == Measure::ReclaimShare;
    for g in groups.iter().filter(|g| g.c.n + g.t.n > 0) {
        let (e, v) = if is_share {
            share_estimate(g)
        } else {
            mean_estimate(g, m)
        };
        let (control, treatment) = if is_share {
            (
                round6(crate::analysis::accumulators::ratio(g.c.n_reclaim, g.c.n)),
                round6(crate::analysis::accumulators::ratio(g.t.n_reclaim, g.t.n)),
            )
        } else {
            (
                cents(m.amount(&g.c).mean_euros(g.c.n)),
                cents(m.amount(&g.t).mean_euros(g.t.n)),
            )
        };
        let round = |x: f64| if is_share { round6(x) } else { cents(x) };
        let row = match e {
            Ok(e) => {
                if let Some(v) = v {
                    diffs.push((e.difference, v));
                }
                SubgroupRow {
                    group: g.name.clone(),
                    n_control: g.c.n,
                    n_treatment: g.t.n,
                    control,
                    treatment,
                    difference: Some(round(treatment - control)),
                    ci_low: Some(round(e.ci_low)),
                    ci_high: Some(round(e.ci_high)),
                    p_value: Some(p8(e.p_value)),
                    p_adjusted: None,
                    method: e.method.to_string(),
                    not_estimable: None,
                }
            }
            Err(ne) => SubgroupRow {
                group: g.name.clone(),
                n_control: g.c.n,
                n_treatment: g.t.n,
                control,
                treatment,
                difference: None,
                ci_low: None,
                ci_high: None,
                p_value: None,
                p_adjusted: None,
                method: ne.method.to_string(),
                not_estimable: Some(ne.reason),
            },
        };
        rows.push(row);
    }
    let p: Vec<Option<f64>> = rows.iter().map(|r| r.p_value).collect();
    for (r, a) in rows.iter_mut().zip(intervals::holm(&p)) {
        r.p_adjusted = a.map(p8);
    }
    // The benefit groups overlap (a household with two benefits is in both), so their
    // differences are not independent and Cochran's Q does not apply.
    let overlapping = dimension == "benefit";
    SubgroupEffect {
        arm: arm.to_string(),
        vs: vs.to_string(),
        metric: metric.to_string(),
        dimension: dimension.to_string(),
        interaction_p: if overlapping {
            None
        } else {
            cochran_q(&diffs).map(p8)
        },
        interaction_method: if overlapping {
            OVERLAPPING_GROUPS.to_string()
        } else {
            INTERACTION_METHOD.to_string()
        },
        groups: rows,
    }
}

/// The income deciles of a run: for each, `(decile 0–9, first bin, last bin)` of the €1,000
/// bins of the applicant's actual annual income, put together by the control arm's recipient
/// households: a bin goes to the decile its middle household falls in (an empty bin: the
/// decile of the households before it), so a decile holds about a tenth of them and a bin is
/// never split. Every bin belongs to a decile, so the bounds depend on the control arm only
/// (the same for every arm). A decile without any bin of its own is absent.
pub fn decile_ranges(c: &ArmAccumulator) -> Vec<(usize, usize, usize)> {
    use crate::analysis::accumulators::INCOME_BINS;
    let total: u64 = c.by_income.iter().map(|g| g.n).sum();
    let mut ranges: Vec<(usize, usize, usize)> = Vec::new();
    let mut before = 0u64;
    for b in 0..INCOME_BINS.min(c.by_income.len()) {
        let n = c.by_income[b].n;
        let mid = before as f64 + n as f64 / 2.0;
        before += n;
        let decile = ((10.0 * mid / total.max(1) as f64) as usize).min(9);
        match ranges.last_mut() {
            Some((d, _, last)) if *d == decile => *last = b,
            _ => ranges.push((decile, b, b)),
        }
    }
    ranges
}

/// The lower bound (€) of a range of income bins, and its upper bound (`None`: open, for the
/// last range): from the end of the previous range to the end of its last bin.
pub fn decile_bounds(ranges: &[(usize, usize, usize)], i: usize) -> (u64, Option<u64>) {
    use crate::analysis::accumulators::INCOME_BIN_CENTS;
    let euros = |bin: usize| bin as u64 * (INCOME_BIN_CENTS as u64 / 100);
    let from = if i == 0 { 0 } else { ranges[i - 1].2 + 1 };
    let to = (i + 1 < ranges.len()).then(|| euros(ranges[i].2 + 1));
    (euros(from), to)
}

/// The name of decile range `i`: `decile 3: €14,000 to €21,000` (the last `… and more`).
pub fn decile_name(ranges: &[(usize, usize, usize)], i: usize) -> String {
    let (from, to) = decile_bounds(ranges, i);
    decile_label(ranges[i].0 as u8 + 1, from, to)
}

/// `decile 3: €14,000 to €21,000`, or `decile 10: €42,000 and more` without an upper bound.
pub fn decile_label(decile: u8, from: u64, to: Option<u64>) -> String {
    let g = crate::model::money::group_thousands;
    match to {
        Some(to) => format!("decile {decile}: €{} to €{}", g(from), g(to)),
        None => format!("decile {decile}: €{} and more", g(from)),
    }
}

/// Income deciles of the applicant's actual annual income ([`decile_ranges`]) as subgroups.
fn income_deciles(
    c: &ArmAccumulator,
    t: &ArmAccumulator,
    paired: Option<&PairedAccumulator>,
) -> Vec<Group> {
    let ranges = decile_ranges(c);
    ranges
        .iter()
        .enumerate()
        .map(|(i, &(_, first, last))| {
            let mut g = Group {
                name: decile_name(&ranges, i),
                c: SubgroupStats::default(),
                t: SubgroupStats::default(),
                paired: paired.map(|_| PairedSubgroup::default()),
            };
            for b in first..=last {
                g.c.merge(&c.by_income[b]);
                if let Some(x) = t.by_income.get(b) {
                    g.t.merge(x);
                }
                if let (Some(acc), Some(pb)) = (
                    g.paired.as_mut(),
                    paired.and_then(|p| p.by_income.get(b).copied()),
                ) {
                    acc.merge(&pb);
                }
            }
            g
        })
        .collect()
}

/// The subgroup effects of treatment arm `i` against control (arm 0): reclaim share and mean
/// reclaim per household, by household type, (with an employment model) by employment type and
/// by income decile; by income decile also the mean withheld, back-payment and net settlement
/// per recipient household; and (with two or more benefits) per benefit, among the households
/// that receive it, on the reclaim on that benefit.
/// `paired` is the arm's within-household accumulator in the paired design.
pub fn subgroup_effects(
    sc: &Scenario,
    arms: &[ArmAccumulator],
    i: usize,
    paired: Option<&PairedAccumulator>,
) -> Vec<SubgroupEffect> {
    let (c, t) = (&arms[0], &arms[i]);
    let paired = paired.filter(|_| sc.design == Design::Paired);
    let lite = |g: &crate::analysis::accumulators::GroupStats| SubgroupStats {
        n: g.n,
        n_reclaim: g.n_reclaim,
        reclaim: g.reclaim,
        ..SubgroupStats::default()
    };
    let by_type: Vec<Group> = HOUSEHOLD_TYPES
        .iter()
        .enumerate()
        .map(|(k, name)| Group {
            name: name.to_string(),
            c: lite(&c.by_type[k]),
            t: lite(&t.by_type[k]),
            paired: paired.map(|p| p.by_type[k]),
        })
        .collect();
    let mut dims: Vec<(&str, Vec<Group>)> = vec![("household_type", by_type)];
    if sc.population.employment.is_some() {
        let by_emp = EMPLOYMENT_TYPES
            .iter()
            .enumerate()
            .map(|(k, name)| Group {
                name: name.to_string(),
                c: c.by_employment[k],
                t: t.by_employment[k],
                paired: paired.map(|p| p.by_employment[k]),
            })
            .collect();
        dims.push(("employment", by_emp));
    }
    dims.push(("income_decile", income_deciles(c, t, paired)));
    // Per benefit: the households that receive it, on their reclaim on that benefit.
    let by_benefit: Vec<Group> = crate::rules::Benefit::ALL
        .iter()
        .filter(|b| sc.population.benefits[b.index()])
        .map(|b| {
            let k = b.index();
            // Paired: the households that receive the benefit under control, in both arms.
            let (gc, gt) = match paired {
                Some(p) => (p.by_benefit_arms[k][0], p.by_benefit_arms[k][1]),
                None => (c.by_benefit[k], t.by_benefit[k]),
            };
            Group {
                name: b.name().to_string(),
                c: gc,
                t: gt,
                paired: paired.map(|p| p.by_benefit[k]),
            }
        })
        .collect();
    if by_benefit.len() > 1 {
        dims.push(("benefit", by_benefit));
    }
    let (arm, vs) = (&sc.arms[i].name, &sc.arms[0].name);
    let mut out = Vec::new();
    for (dim, groups) in &dims {
        for m in [Measure::ReclaimShare, Measure::Reclaim] {
            out.push(effect(arm, vs, m, dim, groups));
        }
        // By income decile also the distributional amounts: withheld, back-payment and net
        // settlement per recipient household, each with its interval.
        if *dim == "income_decile" {
            for m in [Measure::Withheld, Measure::Backpay, Measure::NetSettlement] {
                out.push(effect(arm, vs, m, dim, groups));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cochran_q_matches_a_hand_computation() {
        // d = (0.1, 0.3), v = (0.01, 0.01): d̄ = 0.2, Q = 2·0.01/0.01 = 2, p = P(χ²₁ > 2).
        let p = cochran_q(&[(0.1, 0.01), (0.3, 0.01)]).unwrap();
        assert!((p - 0.157_299_207_050_285).abs() < 1e-9, "{p}");
        // Equal differences: Q = 0, p = 1.
        assert_eq!(cochran_q(&[(0.2, 0.01), (0.2, 0.04)]), Some(1.0));
        // One usable group (the other has no variance): no test.
        assert_eq!(cochran_q(&[(0.2, 0.01), (0.5, 0.0)]), None);
    }
}
