//! The effects beyond each arm against control: treatment arms against each other, the complier
//! average causal effect of a randomized design and the subgroup effects, checked for
//! coherence with the arms' own figures on a shipped three-arm scenario.

use std::path::PathBuf;
use toeslagenlab::engine::{self, RunOptions};
use toeslagenlab::{report, scenario};

fn lab(design: scenario::Design, households: u64) -> (scenario::Scenario, report::Summary) {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("scenarios/lab-replication.toml");
    let mut sc = scenario::load(&p).unwrap();
    sc.design = design;
    sc.households = households;
    let r = engine::run(&sc, &RunOptions::default(), |_| Ok(()), |_, _| {}).unwrap();
    let s = report::summarize(&sc, &r);
    (sc, s)
}

#[test]
fn treatment_arms_are_compared_with_each_other_in_the_family() {
    for design in [scenario::Design::Paired, scenario::Design::Randomized] {
        let (_, s) = lab(design, 20_000);
        let c = s
            .comparisons
            .iter()
            .find(|c| c.arm == "adjustable" && c.vs == "cautious" && c.metric == "reclaim_share")
            .expect("adjustable vs cautious");
        let share = |a: &str| s.arms[a].metrics.reclaim_share;
        assert!((c.control - share("cautious")).abs() < 1e-12);
        assert!((c.treatment - share("adjustable")).abs() < 1e-12);
        assert!((c.difference.unwrap() - (share("adjustable") - share("cautious"))).abs() < 2e-6);
        assert!(c.p_adjusted.is_some() && !c.primary);
        // Exactly one primary row per arm, always against control.
        let primary: Vec<_> = s.comparisons.iter().filter(|c| c.primary).collect();
        assert_eq!(primary.len(), 2);
        assert!(primary.iter().all(|c| c.vs == "control"));
        // The lookup used by [[expect]], check and sweep stays against control.
        let m = toeslagenlab::model::metric::Metric::ReclaimShare;
        assert_eq!(s.comparison("adjustable", m, "all").unwrap().vs, "control");
    }
}

#[test]
fn the_complier_effect_is_the_itt_effect_over_take_up() {
    let (_, s) = lab(scenario::Design::Randomized, 20_000);
    for arm in ["cautious", "adjustable"] {
        let itt = s
            .comparisons
            .iter()
            .find(|c| {
                c.arm == arm
                    && c.vs == "control"
                    && c.metric == "reclaim_share"
                    && c.population == "all"
            })
            .unwrap();
        let cace = s
            .comparisons
            .iter()
            .find(|c| c.arm == arm && c.metric == "reclaim_share" && c.population == "took_offer")
            .unwrap();
        assert!(cace.method.starts_with("complier average causal effect"));
        let pi = s.arms[arm].metrics.takeup_share;
        let theta = cace.difference.unwrap();
        // Rounded to 6 decimals on both sides.
        assert!(
            (theta - itt.difference.unwrap() / pi).abs() < 1e-4,
            "{theta} {itt:?} {pi}"
        );
        assert!(cace.ci_low.unwrap() < theta && theta < cace.ci_high.unwrap());
        assert!(cace.p_adjusted.is_some());
    }
}

#[test]
fn subgroups_add_up_to_the_arm_and_carry_an_interaction_test() {
    let (_, s) = lab(scenario::Design::Paired, 20_000);
    let e = s
        .subgroups
        .iter()
        .find(|e| {
            e.arm == "cautious" && e.metric == "reclaim_share" && e.dimension == "household_type"
        })
        .unwrap();
    let n: u64 = e.groups.iter().map(|g| g.n_control).sum();
    assert_eq!(n, s.arms["control"].metrics.recipients);
    // The n-weighted mean of the group differences is the overall difference (paired: the
    // same households in both arms).
    let overall = s
        .comparison(
            "cautious",
            toeslagenlab::model::metric::Metric::ReclaimShare,
            "all",
        )
        .unwrap();
    let weighted: f64 = e
        .groups
        .iter()
        .map(|g| g.difference.unwrap() * g.n_control as f64)
        .sum::<f64>()
        / n as f64;
    assert!(
        (weighted - overall.difference.unwrap()).abs() < 1e-5,
        "{weighted} {overall:?}"
    );
    let p = e.interaction_p.unwrap();
    assert!((0.0..=1.0).contains(&p));
    for g in &e.groups {
        assert!(g.p_adjusted.unwrap() >= g.p_value.unwrap());
        assert!(
            g.ci_low.unwrap() <= g.difference.unwrap()
                && g.difference.unwrap() <= g.ci_high.unwrap()
        );
    }
}

#[test]
fn income_deciles_hold_about_a_tenth_of_the_control_households_each() {
    let (_, s) = lab(scenario::Design::Paired, 20_000);
    let e = s
        .subgroups
        .iter()
        .find(|e| {
            e.arm == "cautious" && e.metric == "reclaim_share" && e.dimension == "income_decile"
        })
        .expect("income deciles");
    let n: u64 = e.groups.iter().map(|g| g.n_control).sum();
    assert_eq!(n, s.arms["control"].metrics.recipients);
    assert!((8..=10).contains(&e.groups.len()), "{:?}", e.groups.len());
    for g in &e.groups {
        // €1,000 bins are never split, so a decile is a tenth give or take a bin.
        let share = g.n_control as f64 / n as f64;
        assert!(share > 0.03 && share < 0.2, "{} {share}", g.group);
        assert!(g.group.starts_with("decile "), "{}", g.group);
    }
    assert!(e.groups.last().unwrap().group.ends_with("and more"));
}
