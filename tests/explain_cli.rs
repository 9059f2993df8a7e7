//! `toeslagenlab explain` as a user runs it: the explained household is exactly the one `run`
//! simulates, so its totals equal its row in households.csv.

use crate::common;
use common::*;
use predicates::prelude::*;
use std::collections::HashMap;
use std::path::Path;

/// The small scenario with fewer households (the draws of a household do not depend on the
/// count), optionally in lump-sum recalculation or the randomized design.
fn small(households: u64, extra: &str) -> String {
    SMALL.replace(
        "households = 3000",
        &format!("households = {households}{extra}"),
    )
}

type Row = HashMap<String, String>;

/// Runs the scenario with --households-csv and returns the rows keyed by (id, arm).
fn csv_rows(scenario: &Path, out: &Path, extra: &[&str]) -> HashMap<(u64, String), Row> {
    let mut args = vec!["--households-csv"];
    args.extend_from_slice(extra);
    run_to(scenario, out, &args);
    let mut r = csv::Reader::from_path(out.join("households.csv")).unwrap();
    let header = r.headers().unwrap().clone();
    let mut rows = HashMap::new();
    for rec in r.records() {
        let rec = rec.unwrap();
        let row: Row = header
            .iter()
            .zip(rec.iter())
            .map(|(h, v)| (h.to_string(), v.to_string()))
            .collect();
        rows.insert(
            (row["household_id"].parse().unwrap(), row["arm"].clone()),
            row,
        );
    }
    rows
}

fn cents_csv(s: &str) -> i64 {
    let d: rust_decimal::Decimal = s.parse().unwrap();
    (d * rust_decimal::Decimal::from(100)).try_into().unwrap()
}

fn cents_json(v: &serde_json::Value) -> i64 {
    (v.as_f64().unwrap() * 100.0).round() as i64
}

fn explain_json(scenario: &Path, id: u64, arm: Option<&str>, extra: &[&str]) -> serde_json::Value {
    let mut c = bin();
    c.arg("explain")
        .arg(scenario)
        .args(["--household", &id.to_string(), "--json"]);
    if let Some(a) = arm {
        c.args(["--arm", a]);
    }
    c.args(extra);
    let out = c.assert().success().get_output().stdout.clone();
    serde_json::from_slice(&out).unwrap()
}

/// Every households.csv amount, the take-up and the percentage equal the explanation's.
fn assert_same(row: &Row, v: &serde_json::Value) {
    let t = &v["totals"];
    let ctx = format!("household {} arm {}", row["household_id"], row["arm"]);
    for (col, key) in [
        ("advances", "advances"),
        ("definitive_award", "definitive_award"),
        ("reclaim", "reclaim"),
        ("reclaim_before_threshold", "reclaim_before_threshold"),
        ("backpay", "backpay"),
        ("withheld", "withheld"),
        ("in_year_reclaim", "in_year_reclaim"),
        ("repayment_monthly", "repayment_monthly"),
        ("income", "income"),
    ] {
        assert_eq!(cents_csv(&row[col]), cents_json(&t[key]), "{ctx}: {col}");
    }
    for b in [
        "zorgtoeslag",
        "huurtoeslag",
        "kinderopvangtoeslag",
        "kindgebonden_budget",
    ] {
        let col = format!("reclaim_{b}");
        let ex = v["benefits"][b]["reclaim"]
            .as_f64()
            .map_or(0, |x| (x * 100.0).round() as i64);
        assert_eq!(cents_csv(&row[&col]), ex, "{ctx}: {col}");
    }
    assert_eq!(
        row["took_offer"],
        v["arm"]["took_offer"].to_string(),
        "{ctx}"
    );
    assert_eq!(
        row["household_type"],
        v["profile"]["household_type"].as_str().unwrap()
    );
    if !row["chosen_percentage"].is_empty() {
        let p: f64 = v["arm"]["percentage"].as_str().unwrap().parse().unwrap();
        assert_eq!(
            row["chosen_percentage"],
            format!("{}", (p * 100.0).round() as i64),
            "{ctx}"
        );
    }
    // The month table adds up to the totals.
    let paid: i64 = v["months"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| cents_json(&m["paid"]))
        .sum();
    assert_eq!(paid, cents_json(&t["advances"]), "{ctx}: months");
}

/// Ids worth explaining: a few fixed ones plus, per arm, the first with a collected reclaim,
/// an in-year reclaim, a back-payment and a change of knowledge during the year.
fn interesting(rows: &HashMap<(u64, String), Row>, arm: &str, n: u64) -> Vec<u64> {
    let mut ids = vec![0, 1, 7, n - 1];
    for col in ["reclaim", "in_year_reclaim", "backpay", "withheld"] {
        if let Some(id) = (0..n).find(|id| {
            rows.get(&(*id, arm.to_string()))
                .is_some_and(|r| cents_csv(&r[col]) > 0)
        }) {
            ids.push(id);
        }
    }
    ids.sort_unstable();
    ids.dedup();
    ids
}

#[test]
fn totals_equal_households_csv_for_several_ids_and_arms() {
    let tmp = tempfile::tempdir().unwrap();
    let n = 300;
    let sc = scenario(tmp.path(), "s.toml", &small(n, ""));
    let rows = csv_rows(&sc, &tmp.path().join("out"), &[]);
    for arm in ["control", "cautious", "adjustable"] {
        for id in interesting(&rows, arm, n) {
            let v = explain_json(&sc, id, Some(arm), &[]);
            assert_eq!(v["household_id"], id);
            assert_eq!(v["arm"]["name"], arm);
            assert_same(&rows[&(id, arm.to_string())], &v);
        }
    }
    // Without --arm: the control arm.
    let v = explain_json(&sc, 7, None, &[]);
    assert_eq!(v["arm"]["name"], "control");
    assert_same(&rows[&(7, "control".to_string())], &v);
}

#[test]
fn totals_equal_households_csv_with_lump_sum_recalculation() {
    let tmp = tempfile::tempdir().unwrap();
    let n = 200;
    let text = small(n, "\nrecalculation = \"lump_sum\"");
    let sc = scenario(tmp.path(), "s.toml", &text);
    let rows = csv_rows(&sc, &tmp.path().join("out"), &[]);
    for arm in ["control", "cautious"] {
        for id in interesting(&rows, arm, n) {
            assert_same(
                &rows[&(id, arm.to_string())],
                &explain_json(&sc, id, Some(arm), &[]),
            );
        }
    }
}

#[test]
fn seed_override_and_randomized_design_match_run() {
    let tmp = tempfile::tempdir().unwrap();
    let n = 150;
    let text = small(n, "\ndesign = \"randomized\"");
    let sc = scenario(tmp.path(), "s.toml", &text);
    let rows = csv_rows(&sc, &tmp.path().join("out"), &["--seed", "7"]);
    // Each household has one row: the arm it is assigned to, which is explain's default.
    for id in [0, 3, 42, 99, n - 1] {
        let v = explain_json(&sc, id, None, &["--seed", "7"]);
        assert_eq!(v["seed"], 7);
        let arm = v["arm"]["name"].as_str().unwrap().to_string();
        assert_eq!(v["arm"]["assigned_arm"], arm);
        assert_same(&rows[&(id, arm)], &v);
    }
}

#[test]
fn household_out_of_range_is_exit_2_naming_the_range() {
    let tmp = tempfile::tempdir().unwrap();
    let sc = scenario(tmp.path(), "s.toml", &small(40, ""));
    for id in ["40", "-1"] {
        bin()
            .arg("explain")
            .arg(&sc)
            .args(["--household", id])
            .assert()
            .code(2)
            .stderr(predicate::str::contains("allowed ids 0 to 39"));
    }
}

#[test]
fn unknown_arm_is_exit_2_listing_the_arms() {
    let tmp = tempfile::tempdir().unwrap();
    let sc = scenario(tmp.path(), "s.toml", &small(40, ""));
    bin()
        .arg("explain")
        .arg(&sc)
        .args(["--household", "3", "--arm", "cautios"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("cautios"))
        .stderr(predicate::str::contains("control, cautious, adjustable"));
}

#[test]
fn human_output_fits_100_columns() {
    let tmp = tempfile::tempdir().unwrap();
    let sc = scenario(tmp.path(), "s.toml", &small(60, ""));
    for id in 0..60 {
        for arm in ["control", "adjustable"] {
            let out = bin()
                .arg("explain")
                .arg(&sc)
                .args(["--household", &id.to_string(), "--arm", arm])
                .assert()
                .success()
                .get_output()
                .stdout
                .clone();
            let text = String::from_utf8(out).unwrap();
            for line in text.lines() {
                assert!(
                    line.chars().count() <= 100,
                    "household {id} arm {arm}: {} columns: {line}",
                    line.chars().count()
                );
            }
        }
    }
}

#[test]
fn human_story_snapshot() {
    let tmp = tempfile::tempdir().unwrap();
    let sc = scenario(tmp.path(), "s.toml", &small(40, ""));
    let out = bin()
        .arg("explain")
        .arg(&sc)
        .args(["--household", "15", "--arm", "cautious"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    insta::assert_snapshot!(
        "explain_household_15_cautious",
        String::from_utf8(out).unwrap()
    );
}

/// In-process over many households of a shipped scenario: every explanation is consistent with
/// the simulation (trace awards = Year::compute, rebuilt payments = pay_year, per-benefit sums =
/// the outcome), else `explain` returns an internal error.
#[test]
fn every_household_of_the_shipped_scenarios_explains_consistently() {
    let mut files: Vec<_> = std::fs::read_dir(root().join("scenarios"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    assert!(files.len() >= 3);
    for f in files {
        let sc = toeslagenlab::scenario::load(&f).unwrap();
        for id in 0..200.min(sc.households) {
            for arm in 0..sc.arms.len() {
                let x = toeslagenlab::explain::explain(&sc, id, Some(arm))
                    .unwrap_or_else(|e| panic!("{} household {id} arm {arm}: {e}", f.display()));
                let text = toeslagenlab::explain::to_text(&x);
                assert!(
                    text.lines().all(|l| l.chars().count() <= 100),
                    "{} household {id}",
                    f.display()
                );
            }
        }
    }
}

/// The sample in docs/explain.md is the real output (up to the shortened parameter list).
#[test]
fn docs_sample_is_current() {
    let sc =
        toeslagenlab::scenario::load(&root().join("scenarios/cautious-vs-standard.toml")).unwrap();
    let arm = toeslagenlab::explain::arm_index(&sc, "cautious").unwrap();
    let text = toeslagenlab::explain::to_text(
        &toeslagenlab::explain::explain(&sc, 33, Some(arm)).unwrap(),
    );
    let doc = std::fs::read_to_string(root().join("docs/explain.md")).unwrap();
    let upto = text.find("Parameters and sources").unwrap();
    assert!(
        doc.contains(&text[..upto]),
        "docs/explain.md sample is stale; regenerate it with\n  toeslagenlab explain scenarios/cautious-vs-standard.toml --household 33 --arm cautious"
    );
}

/// A reform (parameter override) is used in the amounts and named in the sources.
#[test]
fn parameter_override_is_used_and_named() {
    let tmp = tempfile::tempdir().unwrap();
    let text = small(60, "") + "\n[parameters.zorgtoeslag]\nnormpremie_rate_above = 0.12\n";
    let sc = scenario(tmp.path(), "s.toml", &text);
    let rows = csv_rows(&sc, &tmp.path().join("out"), &[]);
    for id in [0, 5, 33] {
        assert_same(
            &rows[&(id, "cautious".to_string())],
            &explain_json(&sc, id, Some("cautious"), &[]),
        );
    }
    bin()
        .arg("explain")
        .arg(&sc)
        .args(["--household", "5"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "zorgtoeslag.normpremie_rate_above = 0.12 fraction (scenario override; was 0.1373)",
        ))
        .stdout(predicate::str::contains(
            "normpremie % of income above the drempel  12%",
        ));
}

/// The JSON document's top-level keys are the documented, stable ones.
#[test]
fn json_keys_are_stable() {
    let tmp = tempfile::tempdir().unwrap();
    let sc = scenario(tmp.path(), "s.toml", &small(40, ""));
    let v = explain_json(&sc, 15, Some("cautious"), &[]);
    let keys: Vec<&str> = v.as_object().unwrap().keys().map(|k| k.as_str()).collect();
    assert_eq!(
        keys,
        [
            "arm",
            "benefits",
            "definitive",
            "design",
            "events",
            "format_version",
            "household_id",
            "households",
            "knowledge_states",
            "months",
            "parameters",
            "profile",
            "recalculation",
            "repayment_plan",
            "scenario",
            "seed",
            "situations",
            "totals",
            "year"
        ]
    );
    assert_eq!(v["format_version"], 1);
    assert_eq!(v["months"].as_array().unwrap().len(), 12);
    assert_eq!(v["arm"]["percentage"], "0.8");
    assert_eq!(v["knowledge_states"][1]["from_month"], 3);
}

/// One standard repayment plan per benefit (docs/rules.md §5): household 0 of the shipped
/// scenario has reclaims of €265 (zorgtoeslag), €413 (huurtoeslag) and €142 (kindgebonden
/// budget) in control. Each is below 24 × €20, so each plan pays the €20 minimum: €60 a month
/// together (one plan for the €820 total would have been €34.17), as households.csv says.
#[test]
fn each_benefit_has_its_own_repayment_plan() {
    let out = bin()
        .args([
            "explain",
            "scenarios/cautious-vs-standard.toml",
            "--household",
            "0",
            "--arm",
            "control",
            "--json",
        ])
        .assert()
        .success();
    let v: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    let plan = &v["repayment_plan"];
    let plans = plan["plans"].as_array().unwrap();
    let got: Vec<(String, f64, i64)> = plans
        .iter()
        .map(|p| {
            (
                p["benefit"].as_str().unwrap().to_string(),
                p["monthly"].as_f64().unwrap(),
                p["instalments"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("zorgtoeslag".to_string(), 20.0, 14),
            ("huurtoeslag".to_string(), 20.0, 21),
            ("kindgebonden_budget".to_string(), 20.0, 8),
        ]
    );
    assert_eq!(plan["monthly"].as_f64(), Some(60.0));
    assert_eq!(v["totals"]["repayment_monthly"].as_f64(), Some(60.0));
}
