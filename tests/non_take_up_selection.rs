//! Non-take-up of the benefits and selection into the offer (issue 18), on the real binary
//! and through the library.

mod common;

use common::{run_to, scenario};
use std::path::Path;
use toeslagenlab::engine::{simulate_arm, Year};
use toeslagenlab::money::Money;
use toeslagenlab::population::generate;
use toeslagenlab::scenario::parse_str;

const BASE: &str = r#"
[experiment]
name = "nts"
year = 2026
households = 20000
seed = 4242
design = "paired"

[[arms]]
name = "control"
advance = { policy = "standard" }

[[arms]]
name = "cautious"
advance = { policy = "cautious", fraction = 0.80 }
takeup = 0.68
"#;

const NON_TAKE_UP: &str = r#"
[behaviour.non_take_up]
zorgtoeslag = 0.10
huurtoeslag = 0.09
kinderopvangtoeslag = 0.025
kindgebonden_budget = 0.065
"#;

fn with(extra: &str) -> String {
    format!("{BASE}{extra}")
}

#[test]
fn strength_zero_and_no_model_change_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let plain = scenario(dir.path(), "plain", &with(""));
    let zero = scenario(
        dir.path(),
        "zero",
        &with("\n[behaviour.selection]\nstrength = 0.0\n"),
    );
    let a = run_to(&plain, &dir.path().join("a"), &["--households", "3000"]);
    let b = run_to(&zero, &dir.path().join("b"), &["--households", "3000"]);
    assert_eq!(a["arms"], b["arms"]);
    assert_eq!(a["comparisons"], b["comparisons"]);
    // Without a non-take-up model nobody is missing: no take-up block.
    assert!(a["arms"]["control"].get("benefit_take_up").is_none());
    assert!(a["arms"]["control"]["benefit_households"]["zorgtoeslag"]
        .as_u64()
        .is_some_and(|n| n > 0));
}

#[test]
fn non_take_up_lands_near_its_base_rates_and_takes_money_away() {
    let dir = tempfile::tempdir().unwrap();
    let s = scenario(dir.path(), "n", &with(NON_TAKE_UP));
    let v = run_to(&s, &dir.path().join("o"), &[]);
    let t = &v["arms"]["control"]["benefit_take_up"];
    // The base rates are for employees expecting ≥ €50 a month; small amounts double them,
    // so the simulated non-take-up is at or a little above the base.
    for (b, base) in [
        ("zorgtoeslag", 0.10),
        ("huurtoeslag", 0.09),
        ("kinderopvangtoeslag", 0.025),
        ("kindgebonden_budget", 0.065),
    ] {
        let non = 1.0 - t[b]["take_up"].as_f64().unwrap();
        assert!(
            non >= base - 0.015 && non <= base + 0.06,
            "{b}: non-take-up {non} vs base {base}"
        );
        let money = t[b]["money_reaching_entitled"].as_f64().unwrap();
        assert!(money < 1.0 && money > 0.8, "{b}: {money}");
        assert!(t[b]["money_not_reaching"].as_f64().unwrap() > 0.0);
    }
    // Fewer households receive zorgtoeslag than without the model.
    let plain = scenario(dir.path(), "p", &with(""));
    let w = run_to(&plain, &dir.path().join("p-out"), &[]);
    let n = |x: &serde_json::Value| {
        x["arms"]["control"]["benefit_households"]["zorgtoeslag"]
            .as_u64()
            .unwrap()
    };
    assert!(n(&v) < n(&w), "{} vs {}", n(&v), n(&w));
}

#[test]
fn an_arm_that_lowers_non_take_up_draws_in_new_entrants_counted_apart() {
    let dir = tempfile::tempdir().unwrap();
    let text =
        with(NON_TAKE_UP).replace("takeup = 0.68", "takeup = 0.68\nnon_take_up_factor = 0.5");
    let s = scenario(dir.path(), "e", &text);
    let v = run_to(&s, &dir.path().join("o"), &[]);
    let e = &v["arms"]["cautious"]["new_entrants"];
    assert!(e["households"].as_u64().unwrap() > 50, "{e}");
    // The recipients (the headline population) are the same households in both arms.
    assert_eq!(
        v["arms"]["control"]["recipients"],
        v["arms"]["cautious"]["recipients"]
    );
    assert!(v["arms"]["control"].get("new_entrants").is_none());
    let tc = v["arms"]["control"]["benefit_take_up"]["zorgtoeslag"]["take_up"]
        .as_f64()
        .unwrap();
    let tt = v["arms"]["cautious"]["benefit_take_up"]["zorgtoeslag"]["take_up"]
        .as_f64()
        .unwrap();
    assert!(tt > tc, "take-up {tt} in the arm vs {tc} under control");
}

#[test]
fn selection_keeps_take_up_and_moves_the_effect_both_ways() {
    let dir = tempfile::tempdir().unwrap();
    let mut effect = Vec::new();
    for strength in ["0.0", "0.7", "-0.7"] {
        let s = scenario(
            dir.path(),
            &format!("s{strength}"),
            &with(&format!("\n[behaviour.selection]\nstrength = {strength}\n")),
        );
        let v = run_to(&s, &dir.path().join(format!("o{strength}")), &[]);
        let took = v["arms"]["cautious"]["takeup_share"].as_f64().unwrap();
        assert!(
            (took - 0.68).abs() < 0.025,
            "strength {strength}: take-up {took}"
        );
        let c = v["arms"]["control"]["reclaim_share"].as_f64().unwrap();
        let t = v["arms"]["cautious"]["reclaim_share"].as_f64().unwrap();
        effect.push(t - c);
    }
    // Risky households selecting in make the offer work better than random, safe ones worse.
    assert!(effect[1] < effect[0] - 0.01, "{effect:?}");
    assert!(effect[2] > effect[0] + 0.01, "{effect:?}");
}

#[test]
fn a_hand_checked_household_does_not_apply_when_its_draw_is_below_the_probability() {
    // Everyone is a single employee expecting a small zorgtoeslag; base 0.3 × small-amount 2 =
    // 0.6: a household whose first NonTakeUp draw is below 0.6 gets nothing.
    let text = with(
        r#"
[population]
benefits = ["zorgtoeslag"]
household_types = { single = 1.0, couple = 0.0, single_parent = 0.0, couple_with_children = 0.0 }
income = { distribution = "fixed", value = 22000 }
estimate_error = { distribution = "fixed", value = 1.0 }
assets = { share_with_assets = 0.0, amount = { distribution = "fixed", value = 0 } }

[behaviour.non_take_up]
zorgtoeslag = 0.3
small_amount = 10000
"#,
    );
    let sc = parse_str(Path::new("t.toml"), &text, String::new()).unwrap();
    let (mut out, mut n) = (0, 0);
    for id in 0..400 {
        let h = generate(&sc, id);
        let y = Year::compute(&sc, &h);
        let o = simulate_arm(&sc, &h, &y, 0).unwrap();
        assert!(
            y.definitive[0] > Money::ZERO,
            "everyone is entitled at €22,000"
        );
        n += 1;
        if !o.applied_for(0) {
            out += 1;
            assert_eq!(o.advances, Money::ZERO);
            assert_eq!(o.definitive, Money::ZERO);
            assert_eq!(o.reclaim, Money::ZERO);
            assert!(!o.recipient);
            assert_eq!(o.entitlement_by_benefit[0], y.definitive[0]);
        } else {
            assert_eq!(o.definitive, y.definitive[0]);
        }
    }
    let share = out as f64 / n as f64;
    assert!((share - 0.6).abs() < 0.08, "{share}");
}
