//! How sure are we: the comparisons of a scenario under the uncertainty of its assumptions
//! (`[uncertainty]`), next to their simulation noise.
//!
//! The analysis runs the scenario at its own (central) assumptions, at each assumption's lowest
//! and highest value with the others central (one at a time), and at `draws` points of a seeded
//! Latin hypercube over every assumption together. Every run uses the scenario's seed, so the
//! households and their random draws are the same in every run (common random numbers): runs
//! differ by the assumptions alone. For every comparison of a treatment arm with control it
//! then gives:
//!
//! - the estimate at the central assumptions with its Monte Carlo (sampling) 95% interval;
//! - the **total** 95% interval: the 2.5% and 97.5% quantiles of the mixture, over the draws,
//!   of each draw's estimate blurred by its own sampling noise (normal with the standard error
//!   read off the draw's 95% interval) — the law of total variance made into an interval;
//! - the share of draws in which the effect keeps the central estimate's sign and its
//!   conclusion (a difference significant after the run's Holm correction, or not);
//! - the one-at-a-time effects (the tornado chart) and first-order and total Sobol indices with
//!   bootstrap intervals (`analysis::sobol`).
//!
//! It keeps a few numbers per comparison and run, never a run's households: memory does not
//! grow with the population, and only by a few numbers per draw.
//!
//! Must not: build scenarios from keys (the caller's `build` does, in `scenario::overrides`),
//! write files or format text.

use crate::analysis::run::RunResult;
use crate::analysis::sobol;
use crate::analysis::summary::{summarize, Comparison, Summary};
use crate::error::{Error, Result};
use crate::model::scenario::Scenario;
use crate::model::uncertainty::{Assumption, Distribution};
use crate::sim::engine::RunOptions;
use serde::Serialize;
use std::collections::BTreeMap;

/// Bootstrap resamples of the draws for the Sobol indices' intervals.
pub const SOBOL_RESAMPLES: usize = 200;

/// z of a two-sided 95% interval.
const Z95: f64 = 1.959_963_984_540_054;

/// One run of the analysis.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RunKind {
    /// Every assumption at the scenario's own value.
    Central,
    /// Assumption `i` at its lowest value, the others central.
    Low(usize),
    /// Assumption `i` at its highest value, the others central.
    High(usize),
    /// Point `j` of the design.
    Draw(usize),
}

/// What the analysis runs: the assumptions, their central values and the design.
#[derive(Clone, Debug)]
pub struct Plan {
    /// The uncertain assumptions.
    pub assumptions: Vec<Assumption>,
    /// Each assumption's value in the scenario.
    pub central: Vec<f64>,
    /// The design's points in `[0, 1)^k`, one per draw.
    pub points: Vec<Vec<f64>>,
    /// The seed of the design (the scenario's).
    pub seed: u64,
}

impl Plan {
    /// The plan of `draws` Latin hypercube draws of `assumptions` (with `central` values),
    /// seeded by `seed`. Errors when the draws are too few to estimate the indices.
    pub fn new(
        assumptions: Vec<Assumption>,
        central: Vec<f64>,
        draws: usize,
        seed: u64,
    ) -> Result<Plan> {
        let k = assumptions.len();
        if k == 0 {
            return Err(Error::Usage(
                "the scenario has no [uncertainty] assumptions; add [[uncertainty.assumptions]] entries (key, distribution, range, source) — see docs/uncertainty.md".into(),
            ));
        }
        if sobol::degree_for(draws, k).is_none() {
            return Err(Error::Usage(format!(
                "--draws {draws} is too few for {k} assumptions: the sensitivity indices need at least {} draws (2 per coefficient of a linear fit), and {} for interactions",
                2 * (k + 1),
                2 * (1 + 2 * k + k * k.saturating_sub(1) / 2)
            )));
        }
        Ok(Plan {
            points: sobol::latin_hypercube(draws, k, seed),
            assumptions,
            central,
            seed,
        })
    }

    /// Every run in order: central, then low and high of each assumption, then the draws.
    pub fn runs(&self) -> Vec<RunKind> {
        let mut v = vec![RunKind::Central];
        for i in 0..self.assumptions.len() {
            v.push(RunKind::Low(i));
            v.push(RunKind::High(i));
        }
        v.extend((0..self.points.len()).map(RunKind::Draw));
        v
    }

    /// The assumption values of a run, as `(key, value)`.
    pub fn values(&self, kind: RunKind) -> Vec<(String, f64)> {
        self.assumptions
            .iter()
            .enumerate()
            .map(|(i, a)| {
                let v = match kind {
                    RunKind::Central => self.central[i],
                    RunKind::Low(j) if j == i => a.value_at(0.0),
                    RunKind::High(j) if j == i => a.value_at(1.0),
                    RunKind::Low(_) | RunKind::High(_) => self.central[i],
                    RunKind::Draw(d) => a.value_at(self.points[d][i]),
                };
                (a.key.clone(), v)
            })
            .collect()
    }
}

/// One comparison's estimate in one run.
#[derive(Clone, Copy, Debug)]
struct Obs {
    d: f64,
    se: f64,
    conclusion: i8,
}

/// The conclusion of a comparison: −1 a decrease, +1 an increase (each significant at 5% after
/// the run's Holm correction, or by its own p-value when it is outside the tested family), 0 no
/// clear difference, 2 not tested (no p-value: a total, or not estimable).
fn conclusion(c: &Comparison) -> i8 {
    let p = c.p_adjusted.or(c.p_value);
    match (c.difference, p) {
        (_, None) => 2,
        (Some(d), Some(p)) if p < 0.05 && d < 0.0 => -1,
        (Some(d), Some(p)) if p < 0.05 && d > 0.0 => 1,
        _ => 0,
    }
}

fn conclusion_words(c: i8) -> &'static str {
    match c {
        -1 => "a significant decrease",
        1 => "a significant increase",
        2 => "not tested",
        _ => "no significant difference",
    }
}

fn observe(c: &Comparison) -> Option<Obs> {
    let d = c.difference?;
    let se = match (c.ci_low, c.ci_high) {
        (Some(l), Some(h)) if h >= l => (h - l) / (2.0 * Z95),
        _ => 0.0,
    };
    Some(Obs {
        d,
        se,
        conclusion: conclusion(c),
    })
}

/// The comparisons followed: every treatment arm against control, both populations, except
/// descriptive rows.
fn followed(sc: &Scenario, s: &Summary) -> Vec<(String, String, String, &'static str, bool)> {
    let control = &sc.arms[0].name;
    s.comparisons
        .iter()
        .filter(|c| &c.vs == control && !c.descriptive)
        .map(|c| {
            (
                c.arm.clone(),
                c.vs.clone(),
                c.metric.clone(),
                c.population,
                c.primary,
            )
        })
        .collect()
}

/// One assumption as uncertainty.json lists it.
#[derive(Clone, Debug, Serialize)]
pub struct AssumptionRow {
    /// The scenario key.
    pub key: String,
    /// Its value in the scenario (the central run's).
    pub central: f64,
    /// Lowest value drawn (the one-at-a-time low run's).
    pub low: f64,
    /// Highest value.
    pub high: f64,
    /// The distribution.
    pub distribution: Distribution,
    /// In words.
    pub described: String,
    /// Where the range comes from.
    pub source: String,
}

/// One assumption at its extremes, the others central.
#[derive(Clone, Debug, Serialize)]
pub struct OneAtATime {
    /// The scenario key.
    pub key: String,
    /// The effect with the assumption at its lowest value (null when not estimable).
    pub at_low: Option<f64>,
    /// The effect with the assumption at its highest value.
    pub at_high: Option<f64>,
}

/// How well the sensitivity surrogate fits the draws.
#[derive(Clone, Debug, Serialize)]
pub struct Surrogate {
    /// Degree of the polynomial chaos expansion (2: with pairwise interactions; 1: linear,
    /// first = total).
    pub degree: u8,
    /// Share of the variance over the draws the surrogate explains.
    pub r2: f64,
    /// Leave-one-out share (how well it predicts a draw it was not fitted on).
    pub q2: f64,
}

/// One comparison under the uncertainty of the assumptions.
#[derive(Clone, Debug, Serialize)]
pub struct ComparisonUncertainty {
    /// Treatment arm.
    pub arm: String,
    /// Control arm.
    pub vs: String,
    /// Metric key.
    pub metric: String,
    /// `all` (intention to treat) or `took_offer`.
    pub population: &'static str,
    /// The scenario's primary comparison.
    pub primary: bool,
    /// The difference at the central assumptions (null when not estimable).
    pub estimate: Option<f64>,
    /// Its Monte Carlo 95% interval (the run's own sampling noise).
    pub mc_ci_low: Option<f64>,
    /// Upper bound.
    pub mc_ci_high: Option<f64>,
    /// The total 95% interval: assumptions and sampling noise together.
    pub total_low: Option<f64>,
    /// Upper bound.
    pub total_high: Option<f64>,
    /// Smallest difference over the draws.
    pub draws_min: Option<f64>,
    /// Largest difference over the draws.
    pub draws_max: Option<f64>,
    /// Draws in which the difference was estimable.
    pub estimable_draws: usize,
    /// Share of all draws whose difference has the central estimate's sign.
    pub share_same_sign: f64,
    /// The central run's conclusion, in words.
    pub conclusion: &'static str,
    /// Share of all draws with the same conclusion.
    pub share_same_conclusion: f64,
    /// Each assumption at its extremes.
    pub one_at_a_time: Vec<OneAtATime>,
    /// Sobol indices per assumption key (null when the draws do not vary).
    pub sensitivity: Option<BTreeMap<String, sobol::Index>>,
    /// The surrogate the indices come from.
    pub surrogate: Option<Surrogate>,
}

/// The whole analysis (`uncertainty.json`).
#[derive(Clone, Debug, Serialize)]
pub struct Uncertainty {
    /// Program version.
    pub program_version: &'static str,
    /// Scenario name.
    pub scenario: String,
    /// Seed of the simulations and the design.
    pub seed: u64,
    /// Households per run.
    pub households: u64,
    /// Draws of the assumptions.
    pub draws: usize,
    /// Runs in all: central, two per assumption, the draws.
    pub runs: usize,
    /// The design of the draws.
    pub design: &'static str,
    /// How the sensitivity indices are estimated.
    pub sensitivity_method: &'static str,
    /// How the total interval is formed.
    pub total_interval_method: &'static str,
    /// The assumptions.
    pub assumptions: Vec<AssumptionRow>,
    /// Every treatment arm against control.
    pub comparisons: Vec<ComparisonUncertainty>,
    /// Every draw: the assumptions' values and each comparison's result (written as
    /// `draws.csv`, not in uncertainty.json).
    #[serde(skip)]
    pub draw_rows: Vec<DrawRow>,
}

/// One draw of the assumptions and what each followed comparison gave in its run.
#[derive(Clone, Debug)]
pub struct DrawRow {
    /// Draw number, 1-based.
    pub draw: usize,
    /// The assumptions' values in this draw, in [`Uncertainty::assumptions`] order.
    pub values: Vec<f64>,
    /// Per comparison (in [`Uncertainty::comparisons`] order): difference, its standard error
    /// and the conclusion words; `None` when not estimable in this draw.
    pub results: Vec<Option<(f64, f64, &'static str)>>,
}

impl Uncertainty {
    /// The primary comparison of `arm`, if followed.
    pub fn primary(&self, arm: &str) -> Option<&ComparisonUncertainty> {
        self.comparisons
            .iter()
            .find(|c| c.primary && c.arm == arm && c.population == "all")
    }
}

/// Runs the analysis. `build` makes the scenario with the given `(key, value)` assumptions set
/// (`scenario::overrides::apply_all`); `on_run` hears each run start (its index, the total
/// and its kind) and `on_progress` the households done in it.
pub fn analyse(
    sc: &Scenario,
    plan: &Plan,
    opts: &RunOptions,
    build: impl Fn(&[(String, f64)]) -> Result<Scenario>,
    on_run: impl FnMut(usize, usize, RunKind),
    mut on_progress: impl FnMut(u64),
) -> Result<Uncertainty> {
    analyse_results(sc, plan, build, on_run, |_, s| {
        run_planned(s, opts, &mut on_progress)
    })
}

/// The scenario of a run of `kind` in `plan`, made by `build` ([`analyse`]).
pub fn planned_scenario(
    plan: &Plan,
    kind: RunKind,
    build: impl Fn(&[(String, f64)]) -> Result<Scenario>,
) -> Result<Scenario> {
    let mut s = build(&plan.values(kind))?;
    s.compare_public = false;
    s.selection_reference = None;
    Ok(s)
}

/// Simulates one run of the plan (its scenario from [`planned_scenario`]) without household
/// rows; `on_progress` hears the households done.
pub fn run_planned(
    s: &Scenario,
    opts: &RunOptions,
    on_progress: &mut impl FnMut(u64),
) -> Result<RunResult> {
    let opts = RunOptions {
        household_rows: false,
        ..opts.clone()
    };
    crate::analysis::run::run(s, &opts, |_| Ok(()), |done, _| on_progress(done))
}

/// [`analyse`], with each run's tally from `result_of(run index, its scenario)`: a simulation,
/// or the tally a shard wrote (`uncertainty --shard`, merged by `merge`). The runs are asked
/// for in plan order.
pub fn analyse_results(
    sc: &Scenario,
    plan: &Plan,
    build: impl Fn(&[(String, f64)]) -> Result<Scenario>,
    mut on_run: impl FnMut(usize, usize, RunKind),
    mut result_of: impl FnMut(usize, &Scenario) -> Result<RunResult>,
) -> Result<Uncertainty> {
    let runs = plan.runs();
    let k = plan.assumptions.len();
    let mut keys: Vec<(String, String, String, &'static str, bool)> = Vec::new();
    let mut central: Vec<Option<(Obs, Comparison)>> = Vec::new();
    let mut low: Vec<Vec<Option<Obs>>> = vec![Vec::new(); k];
    let mut high: Vec<Vec<Option<Obs>>> = vec![Vec::new(); k];
    let mut draws: Vec<Vec<Option<Obs>>> = Vec::with_capacity(plan.points.len());
    for (i, kind) in runs.iter().enumerate() {
        on_run(i, runs.len(), *kind);
        let s = planned_scenario(plan, *kind, &build)?;
        let r: RunResult = result_of(i, &s)?;
        let summary = summarize(&s, &r);
        if *kind == RunKind::Central {
            keys = followed(sc, &summary);
        }
        // Each followed comparison looked up once in this run's summary.
        let found: Vec<Option<&Comparison>> = keys
            .iter()
            .map(|(arm, vs, metric, pop, _)| {
                summary.comparisons.iter().find(|c| {
                    &c.arm == arm && &c.vs == vs && &c.metric == metric && c.population == *pop
                })
            })
            .collect();
        let obs: Vec<Option<Obs>> = found.iter().map(|c| c.and_then(observe)).collect();
        match kind {
            RunKind::Central => {
                central = found
                    .iter()
                    .map(|c| c.and_then(|c| observe(c).map(|o| (o, c.clone()))))
                    .collect();
            }
            RunKind::Low(a) => low[*a] = obs,
            RunKind::High(a) => high[*a] = obs,
            RunKind::Draw(_) => draws.push(obs),
        }
    }
    let n = draws.len();
    let comparisons = keys
        .iter()
        .enumerate()
        .map(|(c, (arm, vs, metric, pop, primary))| {
            let cen = central.get(c).cloned().flatten();
            let est: Vec<(usize, Obs)> = draws
                .iter()
                .enumerate()
                .filter_map(|(j, d)| d.get(c).copied().flatten().map(|o| (j, o)))
                .collect();
            let parts: Vec<(f64, f64)> = est.iter().map(|(_, o)| (o.d, o.se)).collect();
            let sign = |x: f64| {
                if x > 0.0 {
                    1
                } else if x < 0.0 {
                    -1
                } else {
                    0
                }
            };
            let (share_same_sign, share_same_conclusion) = match &cen {
                Some((o, _)) if n > 0 => (
                    est.iter().filter(|(_, e)| sign(e.d) == sign(o.d)).count() as f64 / n as f64,
                    est.iter()
                        .filter(|(_, e)| e.conclusion == o.conclusion)
                        .count() as f64
                        / n as f64,
                ),
                _ => (0.0, 0.0),
            };
            let ys: Vec<f64> = est.iter().map(|(_, o)| o.d).collect();
            let us: Vec<Vec<f64>> = est.iter().map(|(j, _)| plan.points[*j].clone()).collect();
            let fitted = sobol::degree_for(ys.len(), k).and_then(|deg| {
                sobol::indices_with_intervals(&us, &ys, deg, SOBOL_RESAMPLES, plan.seed ^ c as u64)
                    .map(|(f, idx)| (deg, f, idx))
            });
            let (sensitivity, surrogate) = match fitted {
                Some((degree, f, idx)) => (
                    Some(
                        plan.assumptions
                            .iter()
                            .zip(idx)
                            .map(|(a, i)| (a.key.clone(), i))
                            .collect(),
                    ),
                    Some(Surrogate {
                        degree,
                        r2: f.r2,
                        q2: f.q2,
                    }),
                ),
                None => (None, None),
            };
            ComparisonUncertainty {
                arm: arm.clone(),
                vs: vs.clone(),
                metric: metric.clone(),
                population: pop,
                primary: *primary,
                estimate: cen.as_ref().map(|(o, _)| o.d),
                mc_ci_low: cen.as_ref().and_then(|(_, c)| c.ci_low),
                mc_ci_high: cen.as_ref().and_then(|(_, c)| c.ci_high),
                total_low: sobol::mixture_quantile(&parts, 0.025),
                total_high: sobol::mixture_quantile(&parts, 0.975),
                draws_min: ys.iter().copied().reduce(f64::min),
                draws_max: ys.iter().copied().reduce(f64::max),
                estimable_draws: ys.len(),
                share_same_sign,
                conclusion: conclusion_words(cen.as_ref().map_or(0, |(o, _)| o.conclusion)),
                share_same_conclusion,
                one_at_a_time: plan
                    .assumptions
                    .iter()
                    .enumerate()
                    .map(|(a, x)| OneAtATime {
                        key: x.key.clone(),
                        at_low: low[a].get(c).copied().flatten().map(|o| o.d),
                        at_high: high[a].get(c).copied().flatten().map(|o| o.d),
                    })
                    .collect(),
                sensitivity,
                surrogate,
            }
        })
        .collect();
    let draw_rows = draws
        .iter()
        .enumerate()
        .map(|(j, d)| DrawRow {
            draw: j + 1,
            values: plan
                .values(RunKind::Draw(j))
                .into_iter()
                .map(|(_, v)| v)
                .collect(),
            results: (0..keys.len())
                .map(|c| {
                    d.get(c)
                        .copied()
                        .flatten()
                        .map(|o| (o.d, o.se, conclusion_words(o.conclusion)))
                })
                .collect(),
        })
        .collect();
    Ok(Uncertainty {
        draw_rows,
        program_version: env!("CARGO_PKG_VERSION"),
        scenario: sc.name.clone(),
        seed: sc.seed,
        households: sc.households,
        draws: n,
        runs: runs.len(),
        design: "Latin hypercube over the assumptions' probability scale, seeded by the scenario's seed; every run with the scenario's seed (common random numbers)",
        sensitivity_method: "Sobol indices from a polynomial chaos expansion (orthonormal Legendre polynomials of degree 2 with pairwise interactions, or degree 1 with few draws) fitted by least squares to the draws (Sudret 2008); intervals: 200 bootstrap resamples of the draws",
        total_interval_method: "2.5% and 97.5% quantiles of the mixture over the draws of normal distributions centred on each draw's estimate with its own standard error (from its 95% interval)",
        assumptions: plan
            .assumptions
            .iter()
            .zip(&plan.central)
            .map(|(a, c)| AssumptionRow {
                key: a.key.clone(),
                central: *c,
                low: a.value_at(0.0),
                high: a.value_at(1.0),
                distribution: a.distribution.clone(),
                described: a.distribution.describe(),
                source: a.source.clone(),
            })
            .collect(),
        comparisons,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn takeup() -> Assumption {
        Assumption {
            key: "arms.cautious.takeup".into(),
            distribution: Distribution::Uniform {
                low: 0.6,
                high: 0.76,
            },
            source: "assumption".into(),
            integer: false,
        }
    }

    #[test]
    fn runs_are_central_then_extremes_then_draws() {
        let p = Plan::new(vec![takeup()], vec![0.68], 10, 1).unwrap();
        let runs = p.runs();
        assert_eq!(runs.len(), 13);
        assert_eq!(
            &runs[..3],
            &[RunKind::Central, RunKind::Low(0), RunKind::High(0)]
        );
        assert_eq!(p.values(RunKind::Central)[0].1, 0.68);
        assert_eq!(p.values(RunKind::Low(0))[0].1, 0.6);
        assert_eq!(p.values(RunKind::High(0))[0].1, 0.76);
        let v = p.values(RunKind::Draw(3))[0].1;
        assert!((0.6..=0.76).contains(&v));
    }

    #[test]
    fn too_few_draws_are_refused_with_the_numbers_needed() {
        let e = Plan::new(vec![takeup(); 3], vec![0.68; 3], 5, 1).unwrap_err();
        assert!(e.to_string().contains("at least 8 draws"), "{e}");
        assert!(Plan::new(vec![], vec![], 100, 1).is_err());
    }
}
