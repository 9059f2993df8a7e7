//! The whole pipeline as a user runs it: scenario → run → files.

use crate::common;
use common::*;
use predicates::prelude::*;

#[test]
fn shipped_default_scenario_runs_with_no_flags_into_output() {
    // The README's first command, at a smaller size so the test stays quick.
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("cvs");
    bin()
        .args([
            "run",
            "scenarios/cautious-vs-standard.toml",
            "--households",
            "5000",
            "--out",
        ])
        .arg(&out)
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "cautious vs control: reclaim share",
        ))
        .stdout(predicate::str::contains("control"));
    for f in ["report.md", "summary.json", "manifest.json"] {
        assert!(out.join(f).is_file(), "{f} missing");
    }
    assert!(!out.join("households.csv").exists());
}

#[test]
fn summary_has_the_stable_keys() {
    let tmp = tempfile::tempdir().unwrap();
    let sc = scenario(tmp.path(), "s.toml", SMALL);
    let s = run_to(&sc, &tmp.path().join("o"), &[]);
    for k in [
        "scenario",
        "year",
        "seed",
        "design",
        "households",
        "arms",
        "comparisons",
    ] {
        assert!(s.get(k).is_some(), "top-level key {k} missing");
    }
    assert_eq!(s["households"], 3000);
    assert_eq!(s["design"], "paired");
    for arm in ["control", "cautious", "adjustable"] {
        let a = &s["arms"][arm];
        for k in [
            "households",
            "reclaim_share",
            "high_reclaim_share",
            "mean_reclaim",
            "median_reclaim",
            "total_reclaimed",
            "backpay_share",
            "mean_backpay",
            "withheld_during_year",
            "takeup_share",
        ] {
            assert!(
                a.get(k).is_some_and(|v| v.is_number()),
                "arms.{arm}.{k} missing"
            );
        }
    }
    let c = s["comparisons"].as_array().unwrap();
    assert!(c
        .iter()
        .any(|c| c["arm"] == "cautious" && c["vs"] == "control" && c["metric"] == "reclaim_share"));
    for c in c {
        for k in ["arm", "vs", "metric", "control", "treatment", "difference"] {
            assert!(c.get(k).is_some(), "comparison key {k} missing");
        }
    }
    // The cautious advance lowers the reclaim share and withholds money during the year.
    let ctl = s["arms"]["control"]["reclaim_share"].as_f64().unwrap();
    let cau = s["arms"]["cautious"]["reclaim_share"].as_f64().unwrap();
    assert!(cau < ctl, "cautious {cau} should be below control {ctl}");
    assert_eq!(s["arms"]["control"]["withheld_during_year"], 0.0);
    assert!(
        s["arms"]["cautious"]["withheld_during_year"]
            .as_f64()
            .unwrap()
            > 0.0
    );
}

#[test]
fn same_seed_same_bytes_whatever_the_thread_count() {
    let tmp = tempfile::tempdir().unwrap();
    let sc = scenario(tmp.path(), "s.toml", SMALL);
    let mut outs = Vec::new();
    for t in ["1", "2", "8"] {
        let o = tmp.path().join(format!("t{t}"));
        run_to(&sc, &o, &["--threads", t, "--households-csv"]);
        outs.push(o);
    }
    let read = |p: &std::path::Path, f: &str| std::fs::read(p.join(f)).unwrap();
    for o in &outs[1..] {
        assert_eq!(read(&outs[0], "summary.json"), read(o, "summary.json"));
        assert_eq!(read(&outs[0], "households.csv"), read(o, "households.csv"));
        assert_eq!(read(&outs[0], "report.md"), read(o, "report.md"));
        // Charts are drawn in parallel: their bytes must not depend on the thread count either.
        let charts: Vec<_> = std::fs::read_dir(outs[0].join("charts"))
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert!(charts.len() >= 12, "csv, svg and png of each chart");
        for c in &charts {
            let f = format!("charts/{}", c.to_string_lossy());
            assert!(read(&outs[0], &f) == read(o, &f), "{f} differs");
        }
    }
    // A different seed gives different results.
    let o = tmp.path().join("seed");
    run_to(&sc, &o, &["--seed", "43"]);
    assert_ne!(read(&outs[0], "summary.json"), read(&o, "summary.json"));
}

#[test]
fn households_csv_accounting_identity_and_recomputed_statistics() {
    let tmp = tempfile::tempdir().unwrap();
    let sc = scenario(tmp.path(), "s.toml", SMALL);
    let out = tmp.path().join("o");
    let s = run_to(&sc, &out, &["--households-csv"]);
    let mut rdr = csv::Reader::from_path(out.join("households.csv")).unwrap();
    let headers = rdr.headers().unwrap().clone();
    for k in [
        "household_id",
        "arm",
        "household_type",
        "took_offer",
        "chosen_percentage",
        "advances",
        "definitive_award",
        "reclaim",
        "backpay",
    ] {
        assert!(headers.iter().any(|h| h == k), "column {k} missing");
    }
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let cents = |s: &str| -> i64 {
        let (e, c) = s.split_once('.').unwrap();
        let sign = if e.starts_with('-') { -1 } else { 1 };
        e.parse::<i64>().unwrap() * 100 + sign * c.parse::<i64>().unwrap()
    };
    let mut rows = 0;
    let mut per_arm: std::collections::BTreeMap<String, (u64, u64, i64, u64, u64)> =
        Default::default();
    for r in rdr.records() {
        let r = r.unwrap();
        rows += 1;
        let adv = cents(&r[col("advances")]);
        let award = cents(&r[col("definitive_award")]);
        let raw = cents(&r[col("reclaim_before_threshold")]);
        let back = cents(&r[col("backpay")]);
        let reclaim = cents(&r[col("reclaim")]);
        // Σ advances − definitive award = reclaim − back-payment, to the cent, before thresholds.
        assert_eq!(adv - award, raw - back, "identity broken: {r:?}");
        assert!(adv >= 0 && award >= 0 && reclaim >= 0 && back >= 0);
        assert!(reclaim <= raw);
        let recipient = r[col("recipient")] == *"true";
        let net = cents(&r[col("net_settlement")]);
        assert_eq!(net, back - reclaim, "net settlement: {r:?}");
        if !recipient {
            // No toeslag: nothing paid, nothing settled, no offer taken.
            assert_eq!((adv, award, reclaim, back), (0, 0, 0, 0), "{r:?}");
            assert_eq!(&r[col("took_offer")], "false");
        }
        let e = per_arm.entry(r[col("arm")].to_string()).or_default();
        e.0 += 1;
        e.4 += u64::from(recipient);
        e.1 += u64::from(reclaim > 0);
        e.2 += reclaim;
        e.3 += u64::from(r[col("took_offer")] == *"true");
    }
    assert_eq!(rows, 3 * 3000);
    // Anyone can recompute the summary's statistics from the rows.
    for (arm, (all, with, total, took, n)) in per_arm {
        let a = &s["arms"][&arm];
        assert_eq!(a["households"].as_u64().unwrap(), all);
        // Shares and means are among recipient households.
        assert_eq!(a["recipients"].as_u64().unwrap(), n);
        assert!(n < all, "some households get no toeslag");
        let share = with as f64 / n as f64;
        assert!(
            (a["all_households"]["reclaim_share"].as_f64().unwrap() - with as f64 / all as f64)
                .abs()
                < 1e-6,
            "{arm}"
        );
        assert!(
            (a["reclaim_share"].as_f64().unwrap() - share).abs() < 1e-6,
            "{arm}"
        );
        assert!(
            (a["total_reclaimed"].as_f64().unwrap() - total as f64 / 100.0).abs() < 0.005,
            "{arm}"
        );
        assert!(
            (a["takeup_share"].as_f64().unwrap() - took as f64 / n as f64).abs() < 1e-6,
            "{arm}"
        );
    }
}

#[test]
fn randomized_design_splits_households_over_arms() {
    let tmp = tempfile::tempdir().unwrap();
    let text = SMALL.replace("seed = 42", "seed = 42\ndesign = \"randomized\"");
    let sc = scenario(tmp.path(), "s.toml", &text);
    let s = run_to(&sc, &tmp.path().join("o"), &[]);
    let total: u64 = ["control", "cautious", "adjustable"]
        .iter()
        .map(|a| s["arms"][a]["households"].as_u64().unwrap())
        .sum();
    assert_eq!(total, 3000);
    let c = s["comparisons"].as_array().unwrap();
    let rc = c
        .iter()
        .find(|c| c["arm"] == "cautious" && c["metric"] == "reclaim_share")
        .unwrap();
    assert!(rc["method"]
        .as_str()
        .unwrap()
        .contains("Newcombe hybrid score"));
}

#[test]
fn a_rerun_replaces_the_previous_results_atomically() {
    let tmp = tempfile::tempdir().unwrap();
    let sc = scenario(tmp.path(), "s.toml", SMALL);
    let out = tmp.path().join("o");
    run_to(&sc, &out, &["--households-csv"]);
    run_to(&sc, &out, &["--households", "100"]);
    assert!(
        !out.join("households.csv").exists(),
        "stale file from the previous run left behind"
    );
    let leftovers: Vec<_> = std::fs::read_dir(tmp.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().starts_with('.'))
        .collect();
    assert!(
        leftovers.is_empty(),
        "staging directories left: {leftovers:?}"
    );
}

#[test]
fn bad_scenario_exits_2_naming_file_line_and_key() {
    let tmp = tempfile::tempdir().unwrap();
    let sc = scenario(
        tmp.path(),
        "bad.toml",
        &SMALL.replace("fraction = 0.80", "fraction = 0.60"),
    );
    bin()
        .arg("run")
        .arg(&sc)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("bad.toml:14:"))
        .stderr(predicate::str::contains("arms[1].advance.fraction"))
        .stderr(predicate::str::contains("allow_below_legal_floor"));
    let sc = scenario(
        tmp.path(),
        "typo.toml",
        &SMALL.replace("takeup = 0.68\n\n[[arms]]", "takup = 0.68\n\n[[arms]]"),
    );
    bin()
        .arg("run")
        .arg(&sc)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("did you mean `takeup`"));
    bin()
        .args(["run", "scenarios/nope.toml"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no such file"));
    bin()
        .args(["run", "scenarios"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("is a directory"));
}

#[test]
fn every_shipped_scenario_validates() {
    bin().args(["validate", "scenarios"]).assert().success();
}

#[test]
fn params_lists_values_with_sources() {
    bin()
        .args(["params", "--year", "2026"])
        .assert()
        .success()
        .stdout(predicate::str::contains("normpremie_rate_above"))
        .stdout(predicate::str::contains("Stb. 2025-412"));
    bin().args(["params", "--year", "2019"]).assert().code(2);
}

/// The tidy tables beside summary.json hold the same numbers, one observation per row
/// (docs/cli.md, "Tidy tables"), and a second run into the same directory replaces them.
#[test]
fn run_writes_tidy_tables_with_the_summary_numbers() {
    let tmp = tempfile::tempdir().unwrap();
    let s = scenario(tmp.path(), "s.toml", SMALL);
    let out = tmp.path().join("out");
    let summary = run_to(&s, &out, &[]);
    let read = |f: &str| std::fs::read_to_string(out.join(f)).unwrap();
    // comparisons.csv: one row per comparison, the primary one's difference as in summary.json
    let comps = summary["comparisons"].as_array().unwrap();
    let text = read("comparisons.csv");
    let mut rows = csv::Reader::from_reader(text.as_bytes());
    let header = rows.headers().unwrap().clone();
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let records: Vec<csv::StringRecord> = rows.records().map(|r| r.unwrap()).collect();
    assert_eq!(records.len(), comps.len());
    let primary = comps.iter().find(|c| c["primary"] == true).unwrap();
    let row = records
        .iter()
        .find(|r| &r[col("primary")] == "true")
        .unwrap();
    assert_eq!(&row[col("arm")], primary["arm"].as_str().unwrap());
    assert_eq!(
        row[col("difference")].parse::<f64>().unwrap(),
        primary["difference"].as_f64().unwrap()
    );
    // arms.csv: every arm's reclaim share
    let arms = read("arms.csv");
    for arm in ["control", "cautious", "adjustable"] {
        let want = summary["arms"][arm]["reclaim_share"].to_string();
        assert!(
            arms.contains(&format!("{arm},reclaim_share,,{want}\n")),
            "{arm}: {want}"
        );
    }
    // monthly.csv: 12 months per arm
    assert_eq!(read("monthly.csv").lines().count(), 1 + 3 * 12);
    assert!(read("subgroups.csv").starts_with("arm,vs,metric,dimension"));
    // report.md's decile table shows each arm's decile rows of summary.json
    let report = read("report.md");
    assert!(report.contains("\n## By income decile\n"));
    let d1 = &summary["arms"]["control"]["by_income_decile"][0];
    let households = d1["households"].as_u64().unwrap();
    assert!(
        report.contains(&format!(
            "| 1: €0 to €{} ({}) |",
            toeslagenlab::model::money::group_thousands(d1["income_to"].as_u64().unwrap()),
            toeslagenlab::model::money::group_thousands(households)
        )),
        "decile 1 row missing"
    );
    // the directory is still recognised as a previous output
    run_to(&s, &out, &[]);
}
