//! `toeslagenlab uncertainty` end to end: the real binary on real scenario files — the total
//! interval against the Monte Carlo one and the one-at-a-time extremes, a key without effect,
//! determinism across thread counts, and located errors for bad `[uncertainty]` tables.

use crate::common;
use common::*;
use predicates::prelude::*;
use serde_json::Value;
use std::path::Path;

/// A small cautious-vs-control scenario with three uncertain assumptions: take-up and
/// selection (which move the effect) and the attention letter's response share, which no arm
/// uses (so it cannot move anything).
const UNC: &str = r#"
[experiment]
name = "unc"
year = 2026
households = 3000
seed = 7

[[arms]]
name = "control"
advance = { policy = "standard" }

[[arms]]
name = "cautious"
advance = { policy = "cautious", fraction = 0.80 }
takeup = 0.68

[behaviour]
selection = { strength = 0.0 }

[interventions.attention_letter]
response_share = 0.22

[[uncertainty.assumptions]]
key = "arms.cautious.takeup"
distribution = "uniform"
low = 0.5
high = 0.9
source = "assumption for the test"

[[uncertainty.assumptions]]
key = "behaviour.selection.strength"
distribution = "triangular"
low = -0.5
mode = 0.0
high = 0.5
source = "assumption for the test"

[[uncertainty.assumptions]]
key = "interventions.attention_letter.response_share"
distribution = "normal"
mean = 0.22
sd = 0.05
low = 0.1
high = 0.4
source = "no arm sends letters: no effect"
"#;

fn analyse(sc: &Path, out: &Path, extra: &[&str]) -> Value {
    bin()
        .arg("uncertainty")
        .arg(sc)
        .args(["--draws", "24", "--out"])
        .arg(out)
        .args(extra)
        .assert()
        .success();
    serde_json::from_str(&std::fs::read_to_string(out.join("uncertainty.json")).unwrap()).unwrap()
}

fn primary(u: &Value) -> &Value {
    u["comparisons"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["primary"] == true && c["population"] == "all")
        .expect("a primary comparison")
}

#[test]
fn the_total_interval_is_wider_than_the_noise_and_holds_the_extremes() {
    let tmp = tempfile::tempdir().unwrap();
    let sc = scenario(tmp.path(), "unc.toml", UNC);
    let out = tmp.path().join("u");
    let u = analyse(&sc, &out, &["--quiet"]);
    assert_eq!(u["draws"], 24);
    assert_eq!(u["runs"], 1 + 2 * 3 + 24);
    let c = primary(&u);
    let f = |k: &str| c[k].as_f64().unwrap_or_else(|| panic!("{k}: {c}"));
    let (est, mlo, mhi, tlo, thi) = (
        f("estimate"),
        f("mc_ci_low"),
        f("mc_ci_high"),
        f("total_low"),
        f("total_high"),
    );
    assert!(mlo < est && est < mhi);
    assert!(
        thi - tlo > mhi - mlo,
        "total {tlo}..{thi} vs Monte Carlo {mlo}..{mhi}"
    );
    // Take-up moves a cautious arm's effect: more take-up, a larger fall.
    let oat = c["one_at_a_time"].as_array().unwrap();
    let takeup = &oat[0];
    assert_eq!(takeup["key"], "arms.cautious.takeup");
    assert!(takeup["at_high"].as_f64().unwrap() < takeup["at_low"].as_f64().unwrap());
    for o in oat {
        for k in ["at_low", "at_high"] {
            let x = o[k].as_f64().unwrap();
            assert!(
                tlo <= x && x <= thi,
                "{} {k} = {x} outside the total interval {tlo}..{thi}",
                o["key"]
            );
        }
    }
    // The letter's response share has no effect: exactly the central estimate at both ends,
    // and a Sobol index of about 0; take-up explains a real share.
    let letter = &oat[2];
    assert_eq!(letter["at_low"].as_f64(), Some(est));
    assert_eq!(letter["at_high"].as_f64(), Some(est));
    let s = &c["sensitivity"];
    let zero = s["interventions.attention_letter.response_share"]["total"]
        .as_f64()
        .unwrap();
    assert!(zero < 0.02, "index of a key without effect: {zero}");
    assert!(s["arms.cautious.takeup"]["total"].as_f64().unwrap() > 0.1);
    assert!((0.0..=1.0).contains(&f("share_same_sign")));
    // The files a reader opens.
    let md = std::fs::read_to_string(out.join("report.md")).unwrap();
    assert!(md.contains("## In short"));
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(html.contains("<figure class=\"chart\" id=\"chart-sensitivity_cautious\">"));
    assert!(html.contains("download=\"uncertainty.json\""));
    assert!(md.contains("total 95% interval"));
    assert!(md.contains("## What moves the effect of cautious"));
    for ext in ["csv", "svg", "png"] {
        assert!(out
            .join(format!("charts/sensitivity_cautious.{ext}"))
            .is_file());
    }
    let manifest: Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("manifest.json")).unwrap()).unwrap();
    assert!(manifest["cost_vs_draws_single_runs"].as_f64().unwrap() > 0.0);
    // `plot` redraws the tornado chart from its data.
    bin().arg("plot").arg(&out).assert().success();
    // draws.csv: one row per draw and comparison; the primary comparison's smallest and largest
    // difference over the draws are uncertainty.json's draws_min and draws_max.
    let text = std::fs::read_to_string(out.join("draws.csv")).unwrap();
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let h = r.headers().unwrap().clone();
    let col = |n: &str| h.iter().position(|x| x == n).unwrap();
    let rows: Vec<csv::StringRecord> = r.records().map(|x| x.unwrap()).collect();
    let n_comp = u["comparisons"].as_array().unwrap().len();
    assert_eq!(rows.len(), 24 * n_comp);
    for a in u["assumptions"].as_array().unwrap() {
        let k = col(a["key"].as_str().unwrap());
        let (lo, hi) = (a["low"].as_f64().unwrap(), a["high"].as_f64().unwrap());
        assert!(rows.iter().all(|x| {
            let v: f64 = x[k].parse().unwrap();
            lo <= v && v <= hi
        }));
    }
    let mine: Vec<f64> = rows
        .iter()
        .filter(|x| {
            &x[col("arm")] == c["arm"].as_str().unwrap()
                && &x[col("metric")] == c["metric"].as_str().unwrap()
                && &x[col("population")] == "all"
        })
        .map(|x| x[col("difference")].parse::<f64>().unwrap())
        .collect();
    assert_eq!(mine.len(), 24);
    let min = mine.iter().copied().fold(f64::INFINITY, f64::min);
    let max = mine.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    assert_eq!(min, f("draws_min"));
    assert_eq!(max, f("draws_max"));
}

#[test]
fn results_do_not_depend_on_the_thread_count() {
    let tmp = tempfile::tempdir().unwrap();
    let sc = scenario(tmp.path(), "unc.toml", UNC);
    let (a, b) = (tmp.path().join("t1"), tmp.path().join("t2"));
    analyse(&sc, &a, &["--quiet", "--threads", "1"]);
    analyse(&sc, &b, &["--quiet", "--threads", "2"]);
    for f in [
        "uncertainty.json",
        "report.md",
        "report.html",
        "charts/sensitivity_cautious.csv",
    ] {
        assert_eq!(
            std::fs::read(a.join(f)).unwrap(),
            std::fs::read(b.join(f)).unwrap(),
            "{f} differs between 1 and 2 threads"
        );
    }
    // A second analysis into the same directory replaces its own previous output (it was
    // refused: uncertainty.json was not among the files toeslagenlab writes).
    analyse(&sc, &a, &["--quiet", "--threads", "2"]);
    assert_eq!(
        std::fs::read(a.join("uncertainty.json")).unwrap(),
        std::fs::read(b.join("uncertainty.json")).unwrap()
    );
}

#[test]
fn a_scenario_without_assumptions_is_told_how_to_add_them() {
    let tmp = tempfile::tempdir().unwrap();
    let sc = scenario(tmp.path(), "s.toml", SMALL);
    bin()
        .arg("uncertainty")
        .arg(&sc)
        .arg("--out")
        .arg(tmp.path().join("x"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no [uncertainty] table"))
        .stderr(predicate::str::contains("[[uncertainty.assumptions]]"));
    assert!(!tmp.path().join("x").exists());
}

#[test]
fn too_few_draws_say_how_many_are_needed() {
    let tmp = tempfile::tempdir().unwrap();
    let sc = scenario(tmp.path(), "unc.toml", UNC);
    bin()
        .arg("uncertainty")
        .arg(&sc)
        .args(["--draws", "5", "--out"])
        .arg(tmp.path().join("x"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("at least 8 draws"));
}

#[test]
fn bad_tables_get_located_errors_from_validate_and_uncertainty() {
    let tmp = tempfile::tempdir().unwrap();
    let cases: &[(&str, &str, &str)] = &[
        ("distribution = \"uniform\"", "distribution = \"unifrom\"", "did you mean \"uniform\""),
        ("low = 0.5\n", "low = 0.95\n", "high must be above low"),
        ("source = \"assumption for the test\"\n\n[[uncertainty.assumptions]]\nkey = \"behaviour", "source = \"\"\n\n[[uncertainty.assumptions]]\nkey = \"behaviour", "say where the range comes from"),
        ("mode = 0.0", "mode = 0.7", "the mode must lie from low"),
    ];
    for (from, to, want) in cases {
        assert!(UNC.contains(from), "{from}");
        let sc = scenario(tmp.path(), "bad.toml", &UNC.replacen(from, to, 1));
        bin()
            .arg("validate")
            .arg(&sc)
            .assert()
            .code(2)
            .stderr(predicate::str::contains("bad.toml:"))
            .stderr(predicate::str::contains(*want));
    }
    // Keys checked against the scenario: a key the file does not write, a range that leaves
    // out the scenario's value, a key that does not exist.
    let cases: &[(&str, &str, &str)] = &[
        (
            "key = \"arms.cautious.takeup\"",
            "key = \"behaviour.report_probability.income_up\"",
            "leaves it to its default",
        ),
        (
            "low = 0.5\nhigh = 0.9",
            "low = 0.7\nhigh = 0.9",
            "does not contain the scenario's value 0.68",
        ),
        (
            "key = \"interventions.attention_letter.response_share\"",
            "key = \"interventions.attention_letter.respons_share\"",
            "leaves it to its default",
        ),
        (
            "key = \"arms.cautious.takeup\"",
            "key = \"arms.nosuch.takeup\"",
            "uncertainty.assumptions[0].key",
        ),
    ];
    for (from, to, want) in cases {
        let sc = scenario(tmp.path(), "bad.toml", &UNC.replacen(from, to, 1));
        for cmd in ["validate", "uncertainty"] {
            bin()
                .arg(cmd)
                .arg(&sc)
                .assert()
                .code(2)
                .stderr(predicate::str::contains(*want));
        }
    }
}

#[test]
fn sweeps_reach_any_numeric_key_of_the_file() {
    let tmp = tempfile::tempdir().unwrap();
    let sc = scenario(tmp.path(), "unc.toml", UNC);
    let out = tmp.path().join("sw");
    bin()
        .arg("sweep")
        .arg(&sc)
        .args([
            "--param",
            "behaviour.selection.strength=-0.5:0.5:0.5",
            "--quiet",
            "--out",
        ])
        .arg(&out)
        .assert()
        .success();
    let csv = std::fs::read_to_string(out.join("sweep.csv")).unwrap();
    assert_eq!(csv.lines().count(), 1 + 3, "{csv}");
    let rows: Vec<&str> = csv.lines().skip(1).collect();
    assert_ne!(
        rows[0].split_once(',').unwrap().1,
        rows[2].split_once(',').unwrap().1,
        "selection strength changed nothing: {csv}"
    );
    // A misspelt key names the loader's problem and the allowed keys.
    bin()
        .arg("sweep")
        .arg(&sc)
        .args([
            "--param",
            "behaviour.selection.strenght=-0.5:0.5:0.5",
            "--out",
        ])
        .arg(tmp.path().join("x"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("strenght"))
        .stderr(predicate::str::contains("allowed keys"));
}

#[test]
fn a_two_way_sweep_writes_a_grid_and_a_heat_map_per_arm() {
    let tmp = tempfile::tempdir().unwrap();
    let sc = scenario(tmp.path(), "unc.toml", UNC);
    let out = tmp.path().join("sw2");
    bin()
        .arg("sweep")
        .arg(&sc)
        .args([
            "--param",
            "arms.cautious.takeup=0.5:0.9:0.2",
            "--by",
            "behaviour.selection.strength=-0.5:0.5:0.5",
            "--households",
            "2000",
            "--out",
        ])
        .arg(&out)
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "rows arms.cautious.takeup, columns behaviour.selection.strength",
        ));
    let mut r = csv::Reader::from_path(out.join("sweep.csv")).unwrap();
    let h = r.headers().unwrap().clone();
    assert_eq!(
        h.iter().take(4).collect::<Vec<_>>(),
        ["param", "value", "param2", "value2"]
    );
    let rows: Vec<csv::StringRecord> = r.records().map(|x| x.unwrap()).collect();
    assert_eq!(rows.len(), 9);
    let col = h
        .iter()
        .position(|c| c == "cautious.reclaim_share.diff")
        .unwrap();
    let diff = |takeup: &str, strength: &str| -> f64 {
        rows.iter()
            .find(|r| &r[1] == takeup && &r[3] == strength)
            .unwrap_or_else(|| panic!("{takeup} {strength}"))[col]
            .parse()
            .unwrap()
    };
    // More take-up, a larger fall, at every selection strength.
    for s in ["-0.5", "0.0", "0.5"] {
        assert!(diff("0.9", s) < diff("0.5", s), "strength {s}");
    }
    for ext in ["csv", "svg", "png"] {
        assert!(out
            .join(format!("charts/sweep_heatmap_cautious.{ext}"))
            .is_file());
    }
    assert!(!out.join("charts/sweep_tradeoff.csv").exists());
    let md = std::fs::read_to_string(out.join("report.md")).unwrap();
    assert!(md.contains("× `behaviour.selection.strength`"), "{md}");
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(html.contains("<figure class=\"chart\" id=\"chart-sweep_heatmap_cautious\">"));
    assert!(html.contains("download=\"sweep.csv\""));
    bin().arg("plot").arg(&out).assert().success();
    // The same key twice is refused.
    bin()
        .arg("sweep")
        .arg(&sc)
        .args([
            "--param",
            "arms.cautious.takeup=0.5:0.9:0.2",
            "--by",
            "arms.cautious.takeup=0.5:0.9:0.2",
            "--out",
        ])
        .arg(tmp.path().join("y"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("two different keys"));
}

#[test]
fn a_sweep_table_can_name_a_second_key() {
    let tmp = tempfile::tempdir().unwrap();
    let text = format!(
        "{UNC}\n[sweep]\nparam = \"arms.cautious.takeup\"\nfrom = 0.5\nto = 0.9\nstep = 0.4\nby = {{ param = \"behaviour.selection.strength\", from = -0.5, to = 0.5, step = 1.0 }}\n"
    );
    let sc = scenario(tmp.path(), "unc.toml", &text);
    let out = tmp.path().join("sw");
    bin()
        .arg("sweep")
        .arg(&sc)
        .args(["--households", "1000", "--quiet", "--out"])
        .arg(&out)
        .assert()
        .success();
    let csv = std::fs::read_to_string(out.join("sweep.csv")).unwrap();
    assert_eq!(csv.lines().count(), 1 + 4, "{csv}");
    assert!(out.join("charts/sweep_heatmap_cautious.csv").is_file());
    // A bad second key is located under sweep.by.
    let bad = text.replace("by = { param", "by = { parm");
    let sc = scenario(tmp.path(), "bad.toml", &bad);
    bin()
        .arg("sweep")
        .arg(&sc)
        .arg("--out")
        .arg(tmp.path().join("x"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("sweep.by.parm"));
}
