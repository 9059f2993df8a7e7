//! Independent replications of a run: their seeds, running them, and merging their summaries
//! into Monte Carlo standard errors.
//!
//! Must not: format text.

use crate::analysis::summary::{summarize, Summary};
use crate::error::Result;
use crate::model::scenario::Scenario;
use crate::sim::engine::RunOptions;
use std::ops::Range;

/// The seed of replication `r`: replication 0 uses the scenario seed itself.
pub fn replication_seed(seed: u64, r: u32) -> u64 {
    if r == 0 {
        seed
    } else {
        crate::sim::random::mix64(seed.wrapping_add(r as u64))
    }
}

fn mean(xs: &[f64]) -> f64 {
    xs.iter().sum::<f64>() / xs.len().max(1) as f64
}

fn round6(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}

fn sample_sd(xs: &[f64]) -> f64 {
    let n = xs.len() as f64;
    if xs.len() < 2 {
        return 0.0;
    }
    let m = xs.iter().sum::<f64>() / n;
    (xs.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (n - 1.0)).sqrt()
}

/// Adds Monte Carlo standard errors and pooled point estimates (means over the replications)
/// from replication summaries (`reps[0]` is `main` itself). Metrics are matched by arm name
/// and key, comparisons by arm, reference arm, metric and population: never by position.
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
                if !v.is_number() || k == "households" || k == "recipients" {
                    continue;
                }
                let xs: Vec<f64> = values.iter().filter_map(|v| v[k].as_f64()).collect();
                arm.mc_standard_errors
                    .insert(k.clone(), round6(sample_sd(&xs)));
                if xs.len() == reps.len() {
                    arm.pooled.insert(k.clone(), round6(mean(&xs)));
                }
            }
        }
    }
    // Pilot sizes: the range across the replications (the main run's included).
    for (arm, range) in main.pilot_size_range.iter_mut() {
        let values: Vec<Option<u64>> = reps
            .iter()
            .map(|r| r.pilot_households_per_arm.get(arm).copied().flatten())
            .collect();
        *range = crate::analysis::power::pilot_range_across(range.point, &values).into();
    }
    // Comparisons are matched by arm, control, metric and population, never by position: a
    // replication in which a comparison is missing or not estimable leaves only that one without
    // a Monte Carlo standard error.
    for c in main.comparisons.iter_mut() {
        let xs: Vec<f64> = reps
            .iter()
            .filter_map(|r| {
                r.comparisons.iter().find(|rc| {
                    rc.metric == c.metric
                        && rc.arm == c.arm
                        && rc.vs == c.vs
                        && rc.population == c.population
                })
            })
            .filter_map(|rc| rc.difference)
            .collect();
        if xs.len() == reps.len() {
            c.mc_se = Some(round6(sample_sd(&xs)));
            c.pooled_difference = Some(round6(mean(&xs)));
        }
    }
}

/// The scenario of replication `r` of `sc`: the same, seeded with [`replication_seed`].
pub fn replication_scenario(sc: &Scenario, r: u32) -> Scenario {
    let mut rsc = sc.clone();
    rsc.seed = replication_seed(sc.seed, r);
    rsc
}

/// Runs replications `reps` of `sc` ([`replication_scenario`]) one after the other and returns
/// what `keep(r, rsc, result)` makes of each, in order: the one replication loop. No household
/// rows are written. `on_progress(r, done, total)` receives each replication's progress;
/// `on_done(r, rsc)` is called after replication `r` with its scenario (its seed).
pub fn replicate<R>(
    sc: &Scenario,
    opts: &RunOptions,
    reps: Range<u32>,
    mut on_progress: impl FnMut(u32, u64, u64),
    mut on_done: impl FnMut(u32, &Scenario),
    mut keep: impl FnMut(u32, &Scenario, crate::analysis::run::RunResult) -> R,
) -> Result<Vec<R>> {
    let opts = RunOptions {
        household_rows: false,
        ..opts.clone()
    };
    let mut kept = Vec::with_capacity(reps.len());
    for r in reps {
        let rsc = replication_scenario(sc, r);
        let res = crate::analysis::run::run(
            &rsc,
            &opts,
            |_| Ok(()),
            |done, total| on_progress(r, done, total),
        )?;
        kept.push(keep(r, &rsc, res));
        on_done(r, &rsc);
    }
    Ok(kept)
}

/// [`replicate`], keeping each replication's summary.
pub fn run_replications(
    sc: &Scenario,
    opts: &RunOptions,
    reps: Range<u32>,
    on_progress: impl FnMut(u32, u64, u64),
    on_done: impl FnMut(u32, &Scenario),
) -> Result<Vec<Summary>> {
    replicate(sc, opts, reps, on_progress, on_done, |_, rsc, res| {
        summarize(rsc, &res)
    })
}
