//! Do the report's intervals and tests mean what they say? Measured, not assumed:
//!
//! - **coverage**: many runs of a small pilot (300 and 2,000 households, different seeds) of
//!   `scenarios/cautious-vs-standard.toml`; the truth of every comparison is the difference in
//!   one large run; each tested comparison's 95% interval must cover it in at least 93% of the
//!   runs (less a margin for the Monte Carlo error of the coverage estimate itself). Exact
//!   methods for rare outcomes cover more than 95%: they are conservative, which is reported.
//! - **null simulation**: a randomized design whose treatment arm nobody takes up has no true
//!   effect; at most 5% of runs may declare any Holm-adjusted comparison significant.
//!
//! The dev profile is optimised, so these runs take seconds.

use std::collections::BTreeMap;
use std::path::PathBuf;
use toeslagenlab::engine::{self, RunOptions};
use toeslagenlab::{report, scenario};

fn shipped(name: &str) -> scenario::Scenario {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("scenarios")
        .join(name);
    scenario::load(&p).unwrap()
}

fn summarize(sc: &scenario::Scenario) -> report::Summary {
    let r = engine::run(sc, &RunOptions::default(), |_| Ok(()), |_, _| {}).unwrap();
    report::summarize(sc, &r)
}

/// The key of a comparison: arm, reference arm, metric, population.
fn key(c: &report::Comparison) -> String {
    format!("{} vs {} {} {}", c.arm, c.vs, c.metric, c.population)
}

/// The truth of every tested comparison: its difference in one run of 400,000 households.
fn truth(sc: &scenario::Scenario) -> BTreeMap<String, f64> {
    let mut sc = sc.clone();
    sc.households = 400_000;
    sc.seed = 1;
    summarize(&sc)
        .comparisons
        .iter()
        .filter(|c| !c.descriptive && c.p_value.is_some())
        .filter_map(|c| c.difference.map(|d| (key(c), d)))
        .collect()
}

/// Coverage of every tested comparison of `cautious-vs-standard.toml` at `households` over
/// `runs` seeds.
fn coverage(households: u64, runs: u64) -> BTreeMap<String, (u64, u64)> {
    let sc = shipped("cautious-vs-standard.toml");
    let truth = truth(&sc);
    coverage_of(sc, &truth, households, runs)
}

/// Coverage of the comparisons of `sc` whose truth is known, at `households` over `runs` seeds.
fn coverage_of(
    mut sc: scenario::Scenario,
    truth: &BTreeMap<String, f64>,
    households: u64,
    runs: u64,
) -> BTreeMap<String, (u64, u64)> {
    let mut hits: BTreeMap<String, (u64, u64)> = BTreeMap::new();
    sc.households = households;
    for seed in 0..runs {
        sc.seed = 1_000 + seed;
        for c in summarize(&sc).comparisons {
            let Some(t) = truth.get(&key(&c)) else {
                continue;
            };
            let e = hits.entry(key(&c)).or_default();
            e.1 += 1;
            // A comparison that is not estimable in a run makes no claim: it counts as a miss,
            // so a method that often fails cannot look good.
            if let (Some(lo), Some(hi)) = (c.ci_low, c.ci_high) {
                // Bounds are rounded to 6 decimals (shares) or cents in summary.json.
                e.0 += u64::from(lo - 1e-6 <= *t && *t <= hi + 1e-6);
            }
        }
    }
    hits
}

fn assert_covers(households: u64, runs: u64) {
    let hits = coverage(households, runs);
    assert!(hits.len() >= 9, "too few comparisons: {hits:?}");
    assert_hits(&hits, households, runs);
}

fn assert_hits(hits: &BTreeMap<String, (u64, u64)>, households: u64, runs: u64) {
    // 93% less two Monte Carlo standard errors of a 95% coverage estimated from `runs` runs.
    let floor = 0.93 - 2.0 * (0.95f64 * 0.05 / runs as f64).sqrt();
    let mut table = String::new();
    let mut bad = Vec::new();
    for (k, (hit, n)) in hits {
        let cov = *hit as f64 / *n as f64;
        table.push_str(&format!("{k}: {cov:.3} ({hit}/{n})\n"));
        if cov < floor {
            bad.push(k.clone());
        }
    }
    eprintln!("coverage at {households} households, {runs} runs:\n{table}");
    assert!(
        bad.is_empty(),
        "coverage below {floor:.3} for {bad:?}:\n{table}"
    );
}

#[test]
fn intervals_cover_at_300_households() {
    assert_covers(300, 400);
}

#[test]
fn intervals_cover_at_2000_households() {
    assert_covers(2_000, 200);
}

/// Treatment arms compared with each other (paired, within household): the three-arm lab
/// scenario at 2,000 households.
#[test]
fn treatment_vs_treatment_intervals_cover() {
    let sc = shipped("lab-replication.toml");
    let truth = truth(&sc);
    let hits = coverage_of(sc, &truth, 2_000, 150);
    let between: BTreeMap<String, (u64, u64)> = hits
        .into_iter()
        .filter(|(k, _)| k.starts_with("adjustable vs cautious"))
        .collect();
    assert!(between.len() >= 8, "{between:?}");
    assert_hits(&between, 2_000, 150);
}

/// The complier average causal effect of a randomized design covers the effect among those
/// who take the offer. Its truth is the paired design's direct comparison of the same
/// households (take-up is decided per household, whatever the arm): a check of the estimator,
/// not only of its interval.
#[test]
fn the_complier_effect_covers_the_effect_among_takers() {
    let paired = shipped("cautious-vs-standard.toml");
    let truth: BTreeMap<String, f64> = truth(&paired)
        .into_iter()
        .filter(|(k, _)| k.ends_with("took_offer"))
        .collect();
    assert_eq!(truth.len(), 2, "{truth:?}");
    let mut randomized = paired.clone();
    randomized.design = toeslagenlab::scenario::Design::Randomized;
    let hits = coverage_of(randomized, &truth, 2_000, 200);
    assert_eq!(hits.len(), 2, "{hits:?}");
    assert_hits(&hits, 2_000, 200);
}

#[test]
fn a_null_simulation_rarely_declares_an_adjusted_effect() {
    let mut sc = shipped("cautious-vs-standard.toml");
    sc.design = toeslagenlab::scenario::Design::Randomized;
    for a in sc.arms.iter_mut() {
        a.takeup = 0.0;
    }
    sc.households = 2_000;
    let runs = 400u64;
    let mut any_adjusted = 0u64;
    let mut any_raw = 0u64;
    for seed in 0..runs {
        sc.seed = 50_000 + seed;
        let s = summarize(&sc);
        let family: Vec<&report::Comparison> = s
            .comparisons
            .iter()
            .filter(|c| c.p_adjusted.is_some())
            .collect();
        assert_eq!(family.len(), s.family_size);
        any_adjusted += u64::from(family.iter().any(|c| c.p_adjusted.unwrap() < 0.05));
        any_raw += u64::from(family.iter().any(|c| c.p_value.unwrap() < 0.05));
    }
    let rate = any_adjusted as f64 / runs as f64;
    eprintln!(
        "null: {any_adjusted}/{runs} runs with an adjusted significant comparison ({rate:.3}); unadjusted: {any_raw}/{runs}"
    );
    assert!(
        rate <= 0.05,
        "{any_adjusted} of {runs} null runs declared an effect"
    );
}
