//! Statistics of a multi-year run (`[horizon]`): a one-year [`RunResult`] per benefit year and,
//! over the horizon, the debts of every arm ([`DebtAccumulator`], exact integer sums so the
//! result cannot depend on the thread count), the paired or unpaired comparison of the debt
//! metrics with control ([`DebtPairs`]), and their typed summary ([`HorizonSummary`], written
//! into summary.json as `horizon`).
//!
//! Who is counted: the households that received a toeslag in at least one year of the horizon
//! (decided on the household as drawn, the same in every arm). Must not: write files, print.

use crate::analysis::inference::{self, Estimated};
use crate::analysis::intervals::{holm, share_difference};
use crate::analysis::run::RunResult;
use crate::analysis::summary::{summarize, Summary};
use crate::error::Result;
use crate::model::money::Money;
use crate::model::scenario::{Design, Scenario};
use crate::sim::horizon::{run_horizon_with, HorizonTally, HouseholdDebt};
use crate::sim::runner::{RunOptions, Tally};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One arm's debts over the horizon (recipient households only).
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct DebtAccumulator {
    /// Recipient households.
    pub households: u64,
    /// Recipients with at least one reclaim that became a debt.
    pub ever_in_debt: u64,
    /// Recipients with debt still open at the end of the horizon.
    pub open_end: u64,
    /// Among those ever in debt: the most reclaims open at once, 1, 2, 3, 4 or more.
    pub concurrent: [u64; 4],
    /// Months ending with an open debt, summed over households.
    pub months_in_debt: u64,
    /// Peak open debt in basis points of the monthly income at the start, summed over
    /// households ever in debt with an income (`peak_income_n` of them).
    pub peak_bp: u128,
    /// Households ever in debt with an income above zero.
    pub peak_income_n: u64,
    /// Households ever in debt whose peak debt was above one month's income.
    pub peak_above_month: u64,
    /// Sums in cents.
    pub reclaimed: i128,
    /// Repaid by instalments.
    pub repaid: i128,
    /// The part of the instalments taken from advances.
    pub offset: i128,
    /// Back-payments netted against debts.
    pub netted: i128,
    /// Back-payments paid out.
    pub backpay_paid: i128,
    /// Debt open at the end.
    pub open_end_sum: i128,
    /// Σ open debt² at the end (cents²), for the unpaired comparison of the mean.
    pub open_end_sq: i128,
    /// Per horizon month, the open debt summed over households (cents).
    pub open_by_month: Vec<i128>,
    /// Per horizon month, households with an open debt.
    pub in_debt_by_month: Vec<u64>,
    /// Households for which reclaimed ≠ repaid + netted + open (must stay 0).
    pub identity_failures: u64,
}

impl DebtAccumulator {
    fn new(months: usize) -> DebtAccumulator {
        DebtAccumulator {
            open_by_month: vec![0; months],
            in_debt_by_month: vec![0; months],
            ..Default::default()
        }
    }

    fn add(&mut self, d: &HouseholdDebt, open_by_month: &[Money]) {
        let t = &d.totals;
        if t.reclaimed != t.repaid + t.netted + d.open_end {
            self.identity_failures += 1;
        }
        if !d.recipient {
            return;
        }
        self.households += 1;
        self.reclaimed += t.reclaimed.0 as i128;
        self.repaid += t.repaid.0 as i128;
        self.offset += t.offset_from_advances.0 as i128;
        self.netted += t.netted.0 as i128;
        self.backpay_paid += t.backpay_paid.0 as i128;
        self.open_end_sum += d.open_end.0 as i128;
        self.open_end_sq += (d.open_end.0 as i128).pow(2);
        if d.open_end > Money::ZERO {
            self.open_end += 1;
        }
        if t.reclaims > 0 {
            self.ever_in_debt += 1;
            self.concurrent[(t.max_concurrent.clamp(1, 4) - 1) as usize] += 1;
            self.months_in_debt += t.months_in_debt as u64;
            if d.monthly_income > Money::ZERO {
                self.peak_income_n += 1;
                self.peak_bp += (t.peak_open.0 as u128 * 10_000) / d.monthly_income.0 as u128;
                if t.peak_open > d.monthly_income {
                    self.peak_above_month += 1;
                }
            }
        }
        for (m, open) in open_by_month.iter().enumerate() {
            self.open_by_month[m] += open.0 as i128;
            if *open > Money::ZERO {
                self.in_debt_by_month[m] += 1;
            }
        }
    }

    fn merge(&mut self, o: &DebtAccumulator) {
        self.households += o.households;
        self.ever_in_debt += o.ever_in_debt;
        self.open_end += o.open_end;
        for (a, b) in self.concurrent.iter_mut().zip(o.concurrent) {
            *a += b;
        }
        self.months_in_debt += o.months_in_debt;
        self.peak_bp += o.peak_bp;
        self.peak_income_n += o.peak_income_n;
        self.peak_above_month += o.peak_above_month;
        self.reclaimed += o.reclaimed;
        self.repaid += o.repaid;
        self.offset += o.offset;
        self.netted += o.netted;
        self.backpay_paid += o.backpay_paid;
        self.open_end_sum += o.open_end_sum;
        self.open_end_sq += o.open_end_sq;
        for (a, b) in self.open_by_month.iter_mut().zip(&o.open_by_month) {
            *a += b;
        }
        for (a, b) in self.in_debt_by_month.iter_mut().zip(&o.in_debt_by_month) {
            *a += b;
        }
        self.identity_failures += o.identity_failures;
    }
}

/// Paired design: the within-household comparison of one treatment arm's debts with control
/// (recipient households).
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct DebtPairs {
    /// Pairs.
    pub n: u64,
    /// Open debt at the end under both, control only, treatment only.
    pub open_both: u64,
    /// Control only.
    pub open_control_only: u64,
    /// Treatment only.
    pub open_treated_only: u64,
    /// Ever in debt under both, control only, treatment only.
    pub ever_both: u64,
    /// Control only.
    pub ever_control_only: u64,
    /// Treatment only.
    pub ever_treated_only: u64,
    /// Σ (treated − control) open debt at the end (cents), and its square.
    pub d_sum: i128,
    /// Σ d².
    pub d_sq: i128,
}

impl DebtPairs {
    fn add(&mut self, c: &HouseholdDebt, t: &HouseholdDebt) {
        if !c.recipient {
            return;
        }
        self.n += 1;
        let (oc, ot) = (c.open_end > Money::ZERO, t.open_end > Money::ZERO);
        match (oc, ot) {
            (true, true) => self.open_both += 1,
            (true, false) => self.open_control_only += 1,
            (false, true) => self.open_treated_only += 1,
            _ => {}
        }
        let (ec, et) = (c.totals.reclaims > 0, t.totals.reclaims > 0);
        match (ec, et) {
            (true, true) => self.ever_both += 1,
            (true, false) => self.ever_control_only += 1,
            (false, true) => self.ever_treated_only += 1,
            _ => {}
        }
        let d = (t.open_end.0 - c.open_end.0) as i128;
        self.d_sum += d;
        self.d_sq += d * d;
    }

    fn merge(&mut self, o: &DebtPairs) {
        self.n += o.n;
        self.open_both += o.open_both;
        self.open_control_only += o.open_control_only;
        self.open_treated_only += o.open_treated_only;
        self.ever_both += o.ever_both;
        self.ever_control_only += o.ever_control_only;
        self.ever_treated_only += o.ever_treated_only;
        self.d_sum += o.d_sum;
        self.d_sq += o.d_sq;
    }
}

/// The tally of a multi-year run.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct HorizonResult {
    /// One one-year result per benefit year.
    pub years: Vec<RunResult>,
    /// Per arm, the debts over the horizon.
    pub debt: Vec<DebtAccumulator>,
    /// Paired design, per treatment arm (1..): the comparison with control.
    pub pairs: Vec<DebtPairs>,
}

impl HorizonTally for HorizonResult {
    type Year = RunResult;

    fn empty(sc: &Scenario, years: &[Scenario]) -> HorizonResult {
        let months = sc.horizon.as_ref().map_or(12, |h| h.months() as usize);
        HorizonResult {
            years: years.iter().map(RunResult::empty).collect(),
            debt: (0..sc.arms.len())
                .map(|_| DebtAccumulator::new(months))
                .collect(),
            pairs: match sc.design {
                Design::Paired => vec![DebtPairs::default(); sc.arms.len().saturating_sub(1)],
                Design::Randomized => vec![],
            },
        }
    }

    fn year(&mut self, t: usize) -> &mut RunResult {
        &mut self.years[t]
    }

    fn add_debt(&mut self, d: &HouseholdDebt, open_by_month: &[Money]) {
        self.debt[d.arm].add(d, open_by_month);
    }

    fn add_debt_pair(&mut self, control: &HouseholdDebt, treated: &HouseholdDebt) {
        self.pairs[treated.arm - 1].add(control, treated);
    }

    fn merge(&mut self, o: &HorizonResult) {
        for (a, b) in self.years.iter_mut().zip(&o.years) {
            a.merge(b);
        }
        for (a, b) in self.debt.iter_mut().zip(&o.debt) {
            a.merge(b);
        }
        for (a, b) in self.pairs.iter_mut().zip(&o.pairs) {
            a.merge(b);
        }
    }

    fn finish(&mut self) {
        for y in self.years.iter_mut() {
            y.finish();
        }
    }
}

/// Runs a scenario with a `[horizon]`; `on_rows` receives the first year's outcomes and the
/// debts per household and arm in household order (when `opts.household_rows`).
pub fn run_horizon(
    sc: &Scenario,
    opts: &RunOptions,
    on_rows: impl FnMut(&[crate::model::outcome::Outcome], &[HouseholdDebt]) -> Result<()>,
    on_progress: impl FnMut(u64, u64),
) -> Result<HorizonResult> {
    run_horizon_with(sc, opts, on_rows, on_progress)
}

/// One benefit year's summary in a horizon.
#[derive(Clone, Debug, Serialize)]
pub struct YearSummary {
    /// The benefit year.
    pub year: u16,
    /// Its parameters are the last known year's, carried forward (a projection).
    pub projected: bool,
    /// The one-year summary of the year (each arm, each comparison, as the top level gives
    /// the first year).
    pub summary: Summary,
}

/// One arm's debts over the horizon, in summary.json.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct DebtSummary {
    /// Recipient households (a toeslag in at least one year).
    pub households: u64,
    /// Share of them with at least one reclaim that became a debt.
    pub ever_in_debt_share: f64,
    /// Households with debt still open at the end of the horizon.
    pub households_with_open_debt_end: u64,
    /// Their share.
    pub open_debt_end_share: f64,
    /// Among households ever in debt: the share whose most reclaims open at once was 1, 2, 3,
    /// 4 or more.
    pub concurrent_reclaims: BTreeMap<String, f64>,
    /// Among households ever in debt: mean months ending with an open debt.
    pub mean_months_in_debt: f64,
    /// Among households ever in debt with an income: mean peak debt in months of the monthly
    /// income at the start of the horizon.
    pub mean_peak_debt_months_of_income: f64,
    /// Among households ever in debt with an income: share whose peak debt was above one
    /// month's income.
    pub peak_above_month_income_share: f64,
    /// Mean debt open at the end, per recipient household (€).
    pub mean_open_debt_end: f64,
    /// Totals (€): reclaims that became debts.
    pub reclaimed_total: f64,
    /// Repaid by instalments.
    pub repaid_total: f64,
    /// The part of the instalments taken from advances (verrekening met voorschot).
    pub offset_from_advances_total: f64,
    /// Back-payments netted against debts (verrekening).
    pub netted_total: f64,
    /// Back-payments paid out.
    pub backpay_paid_total: f64,
    /// Debt still open at the end.
    pub open_end_total: f64,
    /// Share of the back-payments that went to open debts instead of the household.
    pub backpay_netted_share: f64,
    /// Households (all, recipients or not) where reclaimed ≠ repaid + netted + open: 0.
    pub identity_failures: u64,
    /// Per horizon month, the mean open debt per recipient household (€).
    pub open_debt_by_month: Vec<f64>,
    /// Per horizon month, the share of recipient households with an open debt.
    pub in_debt_share_by_month: Vec<f64>,
}

/// A debt metric of a treatment arm against control.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct DebtComparison {
    /// Treatment arm.
    pub arm: String,
    /// The metric: `open_debt_end_share`, `ever_in_debt_share` or `mean_open_debt_end`.
    pub metric: String,
    /// Control's value.
    pub control: f64,
    /// The arm's value.
    pub treated: f64,
    /// Treatment − control (null: not estimable).
    pub difference: Option<f64>,
    /// 95% interval.
    pub ci_low: Option<f64>,
    /// 95% interval.
    pub ci_high: Option<f64>,
    /// Two-sided p-value.
    pub p_value: Option<f64>,
    /// Holm-adjusted over the debt comparisons (their own family).
    pub p_adjusted: Option<f64>,
    /// The method.
    pub method: String,
    /// Why not estimable.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not_estimable: Option<String>,
}

/// The horizon in summary.json (`horizon`).
#[derive(Clone, Debug, Serialize)]
pub struct HorizonSummary {
    /// The benefit years.
    pub years: Vec<u16>,
    /// Years whose parameters are a projection (the last known year's, unchanged).
    pub projected_years: Vec<u16>,
    /// Months of the horizon (the benefit years and the last one's settlement months).
    pub months: u16,
    /// The month of the year after in which a year's definitive award is settled \[U\].
    pub settlement_month: u8,
    /// Where the next year's estimates start.
    pub next_estimate: String,
    /// Take-up response to last year's reclaim \[U\].
    pub reclaim_takeup_shift: f64,
    /// Who the debt metrics count.
    pub population: String,
    /// Per benefit year, its one-year summary.
    pub by_year: Vec<YearSummary>,
    /// Per arm, the debts over the horizon.
    pub debt: BTreeMap<String, DebtSummary>,
    /// Each treatment arm's debt metrics against control.
    pub debt_comparisons: Vec<DebtComparison>,
}

fn eur(cents: i128) -> f64 {
    cents as f64 / 100.0
}

fn share(x: u64, n: u64) -> f64 {
    if n == 0 {
        0.0
    } else {
        x as f64 / n as f64
    }
}

fn round6(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}

fn debt_summary(a: &DebtAccumulator) -> DebtSummary {
    let n = a.households;
    let ever = a.ever_in_debt;
    let labels = ["1", "2", "3", "4+"];
    DebtSummary {
        households: n,
        ever_in_debt_share: round6(share(ever, n)),
        households_with_open_debt_end: a.open_end,
        open_debt_end_share: round6(share(a.open_end, n)),
        concurrent_reclaims: labels
            .iter()
            .zip(a.concurrent)
            .map(|(l, c)| (l.to_string(), round6(share(c, ever))))
            .collect(),
        mean_months_in_debt: round6(share(a.months_in_debt, ever)),
        mean_peak_debt_months_of_income: round6(if a.peak_income_n == 0 {
            0.0
        } else {
            a.peak_bp as f64 / 10_000.0 / a.peak_income_n as f64
        }),
        peak_above_month_income_share: round6(share(a.peak_above_month, a.peak_income_n)),
        mean_open_debt_end: round6(if n == 0 {
            0.0
        } else {
            eur(a.open_end_sum) / n as f64
        }),
        reclaimed_total: eur(a.reclaimed),
        repaid_total: eur(a.repaid),
        offset_from_advances_total: eur(a.offset),
        netted_total: eur(a.netted),
        backpay_paid_total: eur(a.backpay_paid),
        open_end_total: eur(a.open_end_sum),
        backpay_netted_share: round6(if a.netted + a.backpay_paid == 0 {
            0.0
        } else {
            a.netted as f64 / (a.netted + a.backpay_paid) as f64
        }),
        identity_failures: a.identity_failures,
        open_debt_by_month: a
            .open_by_month
            .iter()
            .map(|&s| round6(if n == 0 { 0.0 } else { eur(s) / n as f64 }))
            .collect(),
        in_debt_share_by_month: a
            .in_debt_by_month
            .iter()
            .map(|&k| round6(share(k, n)))
            .collect(),
    }
}

/// The sample variance of a sum `s` and sum of squares `sq` over `n` values (cents² → €²).
fn variance(s: i128, sq: i128, n: u64) -> f64 {
    if n < 2 {
        return 0.0;
    }
    let nf = n as f64;
    let mean = s as f64 / nf;
    ((sq as f64 - nf * mean * mean) / (nf - 1.0)).max(0.0) / 1e4
}

fn comparison(
    arm: &str,
    metric: &str,
    control: f64,
    treated: f64,
    est: std::result::Result<(f64, f64, f64, f64, String), String>,
) -> DebtComparison {
    let r = est.as_ref().ok();
    DebtComparison {
        arm: arm.to_string(),
        metric: metric.to_string(),
        control,
        treated,
        difference: r.map(|e| round6(e.0)),
        ci_low: r.map(|e| round6(e.1)),
        ci_high: r.map(|e| round6(e.2)),
        p_value: r.map(|e| e.3),
        p_adjusted: None,
        method: match &est {
            Ok(e) => e.4.clone(),
            Err(_) => String::new(),
        },
        not_estimable: est.err(),
    }
}

/// A share comparison's inputs: metric, control and treatment counts, control and treatment
/// shares, and the discordant pairs (`b`, `c`, `n`) in the paired design.
type ShareInputs<'a> = (&'a str, u64, u64, f64, f64, Option<(u64, u64, u64)>);

fn from_estimated(e: Estimated) -> std::result::Result<(f64, f64, f64, f64, String), String> {
    e.map(|e| {
        (
            e.difference,
            e.ci_low,
            e.ci_high,
            e.p_value,
            e.method.to_string(),
        )
    })
    .map_err(|n| n.reason)
}

/// The summary of a multi-year run: the top level is the first year's one-year summary (so
/// `check`, `diff` and `[[expect]]` read it as before), with the horizon under `horizon`.
pub fn summarize_horizon(sc: &Scenario, r: &HorizonResult) -> Summary {
    let h = sc.horizon.as_ref().expect("a scenario with a horizon");
    let by_year: Vec<YearSummary> = h
        .years
        .iter()
        .zip(&r.years)
        .enumerate()
        .map(|(t, (y, res))| YearSummary {
            year: y.year,
            projected: y.projected,
            summary: summarize(&crate::sim::horizon::year_scenario(sc, t), res),
        })
        .collect();
    let mut top = by_year[0].summary.clone();
    let debt: Vec<DebtSummary> = r.debt.iter().map(debt_summary).collect();
    let mut comps = Vec::new();
    let c = &r.debt[0];
    for (a, arm) in sc.arms.iter().enumerate().skip(1) {
        let t = &r.debt[a];
        let (ds_c, ds_t) = (&debt[0], &debt[a]);
        let paired = r.pairs.get(a - 1);
        // The two shares, each with its discordant pairs in the paired design.
        let shares: [ShareInputs; 2] = [
            (
                "open_debt_end_share",
                c.open_end,
                t.open_end,
                ds_c.open_debt_end_share,
                ds_t.open_debt_end_share,
                paired.map(|p| (p.open_control_only, p.open_treated_only, p.n)),
            ),
            (
                "ever_in_debt_share",
                c.ever_in_debt,
                t.ever_in_debt,
                ds_c.ever_in_debt_share,
                ds_t.ever_in_debt_share,
                paired.map(|p| (p.ever_control_only, p.ever_treated_only, p.n)),
            ),
        ];
        for (metric, x_c, x_t, v_c, v_t, pairs) in shares {
            let est = share_difference(x_c, c.households, x_t, t.households, pairs)
                .map(|i| (i.estimate, i.lo, i.hi, i.p_value, i.method.to_string()))
                .map_err(|n| n.reason);
            comps.push(comparison(&arm.name, metric, v_c, v_t, est));
        }
        let mean = match paired {
            Some(p) => {
                let nf = p.n.max(1) as f64;
                inference::paired_t(eur(p.d_sum) / nf, variance(p.d_sum, p.d_sq, p.n), p.n)
            }
            None => inference::welch(
                ds_c.mean_open_debt_end,
                variance(c.open_end_sum, c.open_end_sq, c.households),
                c.households,
                ds_t.mean_open_debt_end,
                variance(t.open_end_sum, t.open_end_sq, t.households),
                t.households,
            ),
        };
        comps.push(comparison(
            &arm.name,
            "mean_open_debt_end",
            ds_c.mean_open_debt_end,
            ds_t.mean_open_debt_end,
            from_estimated(mean),
        ));
    }
    let adjusted = holm(&comps.iter().map(|c| c.p_value).collect::<Vec<_>>());
    for (c, p) in comps.iter_mut().zip(adjusted) {
        c.p_adjusted = p;
    }
    top.horizon = Some(Box::new(HorizonSummary {
        years: h.years.iter().map(|y| y.year).collect(),
        projected_years: h
            .years
            .iter()
            .filter(|y| y.projected)
            .map(|y| y.year)
            .collect(),
        months: h.months(),
        settlement_month: h.settlement_month,
        next_estimate: h.next_estimate.name().to_string(),
        reclaim_takeup_shift: h.reclaim_takeup_shift,
        population: "households with a toeslag in at least one year of the horizon (recipients, decided on the household as drawn; the same in every arm)".to_string(),
        by_year,
        debt: sc
            .arms
            .iter()
            .map(|a| a.name.clone())
            .zip(debt)
            .collect(),
        debt_comparisons: comps,
    }));
    top
}
