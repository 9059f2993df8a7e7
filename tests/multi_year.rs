//! Beyond one year (`[horizon]`): the shipped multi-year scenario end to end, the accounting
//! identity per household from households_debts.csv, byte-identical results across thread
//! counts, the first year equal to the one-year run, and located errors.

use crate::common;
use crate::common::cents;
use std::path::Path;

fn run(out: &Path, extra: &[&str]) -> serde_json::Value {
    let s = common::root().join("scenarios/multi-year.toml");
    let mut args = vec!["--households", "2500", "--households-csv"];
    args.extend_from_slice(extra);
    common::run_to(&s, out, &args)
}

#[test]
fn the_shipped_horizon_reports_years_debts_and_the_cautious_effect_with_its_interval() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("o");
    let s = run(&out, &[]);
    let h = &s["horizon"];
    assert_eq!(h["years"], serde_json::json!([2024, 2025, 2026]));
    assert_eq!(h["months"], 43);
    let by_year = h["by_year"].as_array().unwrap();
    assert_eq!(by_year.len(), 3);
    assert_eq!(by_year[1]["year"], 2025);
    assert_eq!(by_year[2]["summary"]["year"], 2026);
    for arm in ["control", "cautious", "adjustable"] {
        let d = &h["debt"][arm];
        assert_eq!(d["identity_failures"], 0, "{arm}");
        let shares: f64 = d["concurrent_reclaims"]
            .as_object()
            .unwrap()
            .values()
            .map(|v| v.as_f64().unwrap())
            .sum();
        assert!((shares - 1.0).abs() < 1e-5, "{arm}: {shares}");
        assert_eq!(d["open_debt_by_month"].as_array().unwrap().len(), 43);
        // reclaimed = repaid + netted + open over the arm, to the cent
        let f = |k: &str| (d[k].as_f64().unwrap() * 100.0).round() as i64;
        assert_eq!(
            f("reclaimed_total"),
            f("repaid_total") + f("netted_total") + f("open_end_total"),
            "{arm}"
        );
    }
    let c = h["debt_comparisons"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["arm"] == "cautious" && c["metric"] == "open_debt_end_share")
        .unwrap();
    let (d, lo, hi) = (
        c["difference"].as_f64().unwrap(),
        c["ci_low"].as_f64().unwrap(),
        c["ci_high"].as_f64().unwrap(),
    );
    assert!(lo <= d && d <= hi && lo < hi, "{c}");
    assert!(c["p_adjusted"].as_f64().is_some());
    // A cautious advance leaves fewer households in debt in this scenario.
    assert!(d < 0.0, "{c}");
    let report = std::fs::read_to_string(out.join("report.md")).unwrap();
    assert!(report.contains("## Beyond one year: 2024–2026"));
    assert!(report.contains("households still in debt at the end"));
    for f in [
        "years.csv",
        "debt_by_arm.csv",
        "debt_comparisons.csv",
        "charts/open_debt.csv",
        "charts/open_debt.svg",
        "charts/open_debt.png",
    ] {
        assert!(out.join(f).is_file(), "{f}");
    }
}

#[test]
fn every_household_repays_nets_or_still_owes_each_reclaimed_cent() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("o");
    run(&out, &[]);
    let mut r = csv::Reader::from_path(out.join("households_debts.csv")).unwrap();
    let h = r.headers().unwrap().clone();
    let col = |n: &str| h.iter().position(|x| x == n).unwrap();
    let (rec, rep, net, open, off) = (
        col("reclaimed_eur"),
        col("repaid_eur"),
        col("netted_eur"),
        col("open_end_eur"),
        col("offset_from_advances_eur"),
    );
    let mut rows = 0;
    let mut with_debt = 0;
    for row in r.records() {
        let row = row.unwrap();
        rows += 1;
        let v = |i: usize| cents(&row[i]);
        assert_eq!(v(rec), v(rep) + v(net) + v(open), "{row:?}");
        assert!(v(off) <= v(rep), "{row:?}");
        assert!(v(open) >= 0);
        if v(rec) > 0 {
            with_debt += 1;
        }
    }
    assert_eq!(rows, 2500 * 3);
    assert!(with_debt > 100, "{with_debt}");
}

#[test]
fn a_horizon_gives_the_same_bytes_on_one_thread_and_on_two() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    run(&a, &["--threads", "1"]);
    run(&b, &["--threads", "2"]);
    for f in [
        "summary.json",
        "report.md",
        "report.html",
        "households.csv",
        "households_debts.csv",
        "years.csv",
        "charts/open_debt.csv",
    ] {
        assert_eq!(
            std::fs::read(a.join(f)).unwrap(),
            std::fs::read(b.join(f)).unwrap(),
            "{f}"
        );
    }
}

#[test]
fn the_first_year_of_a_horizon_is_the_one_year_run() {
    let tmp = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(common::root().join("scenarios/multi-year.toml")).unwrap();
    let start = text.find("\n[horizon]\n").unwrap();
    let end = start + text[start..].find("\n[[arms]]\n").unwrap();
    let one = format!("{}{}", &text[..start], &text[end..]);
    let p = common::scenario(tmp.path(), "one.toml", &one);
    let mut single = common::run_to(&p, &tmp.path().join("one"), &["--households", "2500"]);
    let mut multi = run(&tmp.path().join("multi"), &[]);
    multi.as_object_mut().unwrap().remove("horizon");
    single.as_object_mut().unwrap().remove("horizon");
    assert_eq!(single, multi);
}

#[test]
fn horizon_errors_name_the_file_the_line_and_the_key() {
    let tmp = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(common::root().join("scenarios/multi-year.toml")).unwrap();
    let bad = text.replace("years = 3 ", "years = 1 ");
    let p = common::scenario(tmp.path(), "bad.toml", &bad);
    let out = common::bin().arg("validate").arg(&p).assert().code(2);
    let err = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(err.contains("bad.toml:"), "{err}");
    assert!(err.contains("horizon.years"), "{err}");
    assert!(err.contains("2 to 10"), "{err}");
    let bad = text.replace("settlement_month = 7 ", "settlement_month = 13 ");
    let p = common::scenario(tmp.path(), "bad2.toml", &bad);
    let out = common::bin().arg("validate").arg(&p).assert().code(2);
    let err = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(err.contains("horizon.settlement_month"), "{err}");
    // Replications are refused for a horizon, before anything is written.
    let out = common::bin()
        .args(["run", "scenarios/multi-year.toml", "--households", "300"])
        .arg("--replications")
        .arg("2")
        .arg("--out")
        .arg(tmp.path().join("r"))
        .assert()
        .code(2);
    let err = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(err.contains("replications"), "{err}");
    assert!(!tmp.path().join("r").join("summary.json").exists());
}

#[test]
fn years_past_the_parameter_files_are_projections_marked_as_such() {
    let tmp = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(common::root().join("scenarios/multi-year.toml")).unwrap();
    let five = text
        .replace("years = 3 ", "years = 4 ")
        .replace("year = 2024", "year = 2025");
    let p = common::scenario(tmp.path(), "proj.toml", &five);
    let s = common::run_to(&p, &tmp.path().join("o"), &["--households", "800"]);
    assert_eq!(
        s["horizon"]["projected_years"],
        serde_json::json!([2027, 2028])
    );
    let report = std::fs::read_to_string(tmp.path().join("o/report.md")).unwrap();
    assert!(report.contains("**Projected years**"));
    assert!(report.contains("2027 (projected)"));
}
