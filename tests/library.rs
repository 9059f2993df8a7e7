//! The library API as examples and docs/library.md use it, in-process: load, run, summarise,
//! and the custom advance policy extension point.

use std::path::Path;
use toeslagenlab::behaviour::CustomPolicy;
use toeslagenlab::engine::{self, RunOptions};
use toeslagenlab::money::Rate;
use toeslagenlab::report::{self, Summary};
use toeslagenlab::scenario::{self, AdvancePolicy, Arm, Scenario};

const TEXT: &str = r#"
[experiment]
name = "library-test"
year = 2026
households = 3000
seed = 11

[[arms]]
name = "control"
advance = { policy = "standard" }

[[arms]]
name = "cautious"
advance = { policy = "cautious", fraction = 0.80 }
takeup = 0.68
"#;

fn base() -> Scenario {
    scenario::parse_str(Path::new("library-test.toml"), TEXT, String::new()).unwrap()
}

fn custom_arm(name: &str, takeup: f64, f: impl Fn() -> Rate + Send + Sync + 'static) -> Arm {
    Arm::offered(
        name,
        AdvancePolicy::Custom(CustomPolicy::new(name, move |_, _| f())),
        takeup,
    )
}

fn run(sc: &Scenario, threads: usize) -> Summary {
    let opts = RunOptions {
        threads,
        ..RunOptions::default()
    };
    let r = engine::run(sc, &opts, |_| Ok(()), |_, _| {}).unwrap();
    report::summarize(sc, &r)
}

fn metrics_json(s: &Summary, arm: &str) -> serde_json::Value {
    let mut v = serde_json::to_value(&s.arms[arm].metrics).unwrap();
    v.as_object_mut().unwrap().remove("takeup_share");
    v
}

#[test]
fn a_custom_policy_of_a_fixed_80_percent_matches_the_cautious_arm() {
    let mut sc = base();
    sc.arms
        .push(custom_arm("custom80", 0.68, || Rate::percent(80)));
    let s = run(&sc, 0);
    assert_eq!(metrics_json(&s, "custom80"), metrics_json(&s, "cautious"));
    assert_eq!(
        s.arms["custom80"].metrics.takeup_share,
        s.arms["cautious"].metrics.takeup_share
    );
    assert_eq!(s.arms["custom80"].policy, "custom");
    assert_eq!(
        s.arms["custom80"]
            .chosen_percentages
            .keys()
            .collect::<Vec<_>>(),
        ["080"]
    );
    let md = report::report_markdown(&sc, &s);
    assert!(md.contains("custom: `custom80`"), "{md}");
}

#[test]
fn a_custom_policy_of_100_percent_matches_control_and_out_of_range_is_clamped() {
    let mut sc = base();
    sc.arms.push(custom_arm("full", 1.0, || Rate::ONE));
    sc.arms
        .push(custom_arm("above", 1.0, || Rate::percent(150)));
    let s = run(&sc, 0);
    for arm in ["full", "above"] {
        let m = &s.arms[arm].metrics;
        let c = &s.arms["control"].metrics;
        assert_eq!(m.reclaim_share, c.reclaim_share, "{arm}");
        assert_eq!(m.total_reclaimed, c.total_reclaimed, "{arm}");
        assert_eq!(m.total_withheld, 0.0, "{arm}");
    }
}

#[test]
fn a_custom_policy_sees_the_household_and_results_do_not_depend_on_threads() {
    let mut sc = base();
    sc.arms.push(Arm::offered(
        "by-type",
        AdvancePolicy::Custom(CustomPolicy::new("by-type", |h, arm| {
            assert_eq!(arm.name, "by-type");
            if h.n_children > 0 {
                Rate::percent(75)
            } else {
                Rate::percent(90)
            }
        })),
        0.5,
    ));
    let one = run(&sc, 1);
    let two = run(&sc, 2);
    assert_eq!(
        report::summary_json(&one),
        report::summary_json(&two),
        "thread count changed a result"
    );
    let chosen = &one.arms["by-type"].chosen_percentages;
    assert_eq!(chosen.keys().collect::<Vec<_>>(), ["075", "090"]);
    // arm_percentage (no household at hand) gives the same answer as the engine's path.
    let arm = &sc.arms[2];
    let h = toeslagenlab::population::generate(&sc, 5);
    let u = toeslagenlab::behaviour::takeup_draw(sc.seed, 5);
    assert_eq!(
        toeslagenlab::behaviour::arm_percentage(&sc, arm, 5, h.volatile()),
        toeslagenlab::behaviour::arm_percentage_for(&sc, arm, &h, u, 0.0)
    );
}

#[test]
fn the_schema_is_available_from_the_library() {
    let s = toeslagenlab::schema::scenario_schema();
    assert_eq!(s["title"], "toeslagenlab scenario");
    assert!(toeslagenlab::schema::scenario_schema_json().ends_with("}\n"));
}
