//! The comparison statistics as an analyst sees them in summary.json and report.md.

use crate::common;
use common::*;
use predicates::prelude::*;

#[test]
fn every_comparison_has_ci_p_value_and_method() {
    let tmp = tempfile::tempdir().unwrap();
    let sc = scenario(tmp.path(), "s.toml", SMALL);
    let s = run_to(&sc, &tmp.path().join("o"), &[]);
    for c in s["comparisons"].as_array().unwrap() {
        assert!(c["method"].as_str().is_some_and(|m| !m.is_empty()), "{c}");
        if let Some(p) = c["p_value"].as_f64() {
            assert!((0.0..=1.0).contains(&p), "{c}");
            let (lo, hi, d) = (
                c["ci_low"].as_f64().unwrap(),
                c["ci_high"].as_f64().unwrap(),
                c["difference"].as_f64().unwrap(),
            );
            assert!(
                lo <= d + 1e-9 && d <= hi + 1e-9,
                "difference outside its CI: {c}"
            );
        }
    }
    let m = s["comparisons"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["metric"] == "median_reclaim")
        .unwrap();
    assert!(m["method"].as_str().unwrap().contains("bootstrap"));
    let paired = s["comparisons"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["metric"] == "reclaim_share")
        .unwrap();
    assert!(paired["method"].as_str().unwrap().contains("McNemar"));
    assert!(s["comparisons"]
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c["population"] == "took_offer"));
}

#[test]
fn replications_give_monte_carlo_standard_errors() {
    let tmp = tempfile::tempdir().unwrap();
    let sc = scenario(tmp.path(), "s.toml", SMALL);
    let one = run_to(&sc, &tmp.path().join("one"), &["--households", "1000"]);
    assert_eq!(one["replications"], 1);
    assert!(one["arms"]["control"].get("mc_standard_errors").is_none());
    let three = run_to(
        &sc,
        &tmp.path().join("three"),
        &["--households", "1000", "--replications", "3"],
    );
    assert_eq!(three["replications"], 3);
    let se = three["arms"]["cautious"]["mc_standard_errors"]["reclaim_share"]
        .as_f64()
        .unwrap();
    assert!(se > 0.0 && se < 0.05, "{se}");
    // The headline numbers are those of the first replication (the scenario seed).
    assert_eq!(
        one["arms"]["cautious"]["reclaim_share"],
        three["arms"]["cautious"]["reclaim_share"]
    );
    // Pooled estimates: the mean over the three replications (the first is the run itself).
    let base = three["seed"].as_u64().unwrap();
    let reps: Vec<serde_json::Value> = [0u32, 1, 2]
        .iter()
        .map(|r| {
            let seed = toeslagenlab::analysis::replications::replication_seed(base, *r);
            run_to(
                &sc,
                &tmp.path().join(format!("rep{r}")),
                &["--households", "1000", "--seed", &seed.to_string()],
            )
        })
        .collect();
    let mean = |f: &dyn Fn(&serde_json::Value) -> f64| reps.iter().map(f).sum::<f64>() / 3.0;
    let pooled = three["arms"]["cautious"]["pooled"]["reclaim_share"]
        .as_f64()
        .unwrap();
    let want = mean(&|s| s["arms"]["cautious"]["reclaim_share"].as_f64().unwrap());
    assert!((pooled - want).abs() < 2e-6, "{pooled} {want}");
    let diff = |s: &serde_json::Value| -> f64 {
        s["comparisons"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| {
                c["arm"] == "cautious" && c["metric"] == "reclaim_share" && c["population"] == "all"
            })
            .unwrap()["difference"]
            .as_f64()
            .unwrap()
    };
    let c3 = three["comparisons"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| {
            c["arm"] == "cautious" && c["metric"] == "reclaim_share" && c["population"] == "all"
        })
        .unwrap();
    assert!((c3["pooled_difference"].as_f64().unwrap() - mean(&diff)).abs() < 2e-6);
    let report = std::fs::read_to_string(tmp.path().join("three/report.md")).unwrap();
    assert!(report.contains("## Monte Carlo error and pooled estimates"));
    assert!(
        report.contains("| cautious | control | share with a reclaim | all |"),
        "{report}"
    );
}

#[test]
fn report_never_calls_an_insignificant_difference_significant() {
    // A cautious arm nobody takes up has no effect: the conclusion must not say "significant".
    let tmp = tempfile::tempdir().unwrap();
    let text = SMALL.replace(
        "takeup = 0.68\n\n[[arms]]\nname = \"adjustable\"",
        "takeup = 0.0\n\n[[arms]]\nname = \"adjustable\"",
    );
    let sc = scenario(tmp.path(), "s.toml", &text);
    run_to(&sc, &tmp.path().join("o"), &[]);
    let report = std::fs::read_to_string(tmp.path().join("o/report.md")).unwrap();
    let conclusion = report.split("## Conclusion").nth(1).unwrap();
    let cautious_lines: Vec<&str> = conclusion
        .lines()
        .filter(|l| l.contains("**cautious**"))
        .collect();
    assert!(!cautious_lines.is_empty());
    for l in cautious_lines {
        assert!(l.contains("not statistically significant"), "{l}");
    }
}

#[test]
fn power_reports_pilot_sizes() {
    bin()
        .args([
            "power",
            "scenarios/cautious-vs-standard.toml",
            "--households",
            "5000",
        ])
        .assert()
        .success()
        .stdout(predicate::str::contains("households per arm"))
        .stdout(predicate::str::contains("share with a reclaim"));
    bin()
        .args([
            "power",
            "scenarios/cautious-vs-standard.toml",
            "--power",
            "1.5",
        ])
        .assert()
        .code(2);
}

#[test]
fn pilot_sizes_come_with_their_range() {
    let tmp = tempfile::tempdir().unwrap();
    let sc = scenario(tmp.path(), "s.toml", SMALL);
    let one = run_to(&sc, &tmp.path().join("one"), &["--households", "3000"]);
    let r = &one["pilot_size_range"]["cautious"];
    assert_eq!(r["point"], one["pilot_households_per_arm"]["cautious"]);
    let (lo, point) = (r["low"].as_u64().unwrap(), r["point"].as_u64().unwrap());
    assert!(lo <= point, "{r}");
    if let Some(hi) = r["high"].as_u64() {
        assert!(point <= hi, "{r}");
    }
    assert_eq!(r["basis"], "95% interval of the effect");
    let three = run_to(
        &sc,
        &tmp.path().join("three"),
        &["--households", "3000", "--replications", "3"],
    );
    let r = &three["pilot_size_range"]["cautious"];
    assert_eq!(r["basis"], "minimum to maximum across replications");
    assert!(r["low"].as_u64().unwrap() <= r["point"].as_u64().unwrap());
    let report = std::fs::read_to_string(tmp.path().join("three/report.md")).unwrap();
    assert!(
        report.contains("minimum to maximum across replications"),
        "{report}"
    );
}
