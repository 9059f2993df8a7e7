//! Charts and parameter sweeps as a user meets them: files, sizes, labels, determinism, `plot`,
//! `sweep` and its errors.

use crate::common;
use common::*;
use predicates::prelude::*;
use std::path::Path;

const RUN_CHARTS: [(&str, &str, &[&str]); 7] = [
    (
        "settlement_distribution",
        "Net settlement at the definitive award, per arm",
        &["settlement (€)", "households (% of arm)"],
    ),
    (
        "reclaim_shares",
        "Households with a reclaim, per arm",
        &["households with a reclaim (% of arm)", "any reclaim"],
    ),
    (
        "advance_vs_entitlement",
        "Advance paid minus entitlement, accumulated through the year",
        &["month of the benefit year", "€ per household, accumulated"],
    ),
    (
        "effect_by_decile",
        "Effect on the share with a reclaim, by income decile",
        &[
            "income decile (1 = lowest",
            "difference (percentage points)",
        ],
    ),
    (
        "chosen_percentages",
        "Advance percentage chosen in the adjustable arm",
        &[
            "chosen advance (% of the calculated advance)",
            "households that took the offer (%)",
        ],
    ),
    (
        "reclaim_share_by_type",
        "Households with a reclaim, by household type",
        &["households with a reclaim (% of type)", "single parent"],
    ),
    (
        "power_curve",
        "Power of a randomized pilot to detect the simulated effect on the reclaim share",
        &["households per arm (log scale)", "power (%)", "80% power"],
    ),
];

/// Width and height from a PNG's IHDR chunk, after checking the signature.
fn png_size(bytes: &[u8]) -> (u32, u32) {
    assert!(bytes.len() > 24, "PNG too short");
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n", "not a PNG signature");
    assert_eq!(&bytes[12..16], b"IHDR");
    let w = u32::from_be_bytes(bytes[16..20].try_into().unwrap());
    let h = u32::from_be_bytes(bytes[20..24].try_into().unwrap());
    (w, h)
}

fn check_svg(path: &Path, texts: &[&str]) {
    let svg = std::fs::read_to_string(path).unwrap();
    assert!(svg.starts_with("<svg"), "{} is not SVG", path.display());
    assert!(
        svg.contains(r#"width="1000""#) && svg.contains(r#"height="600""#),
        "{}: not 1000×600",
        path.display()
    );
    assert!(svg.trim_end().ends_with("</svg>"));
    for t in texts {
        assert!(svg.contains(t), "{} lacks the text `{t}`", path.display());
    }
}

fn files_in(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut v: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let p = e.unwrap().path();
            (
                p.file_name().unwrap().to_string_lossy().to_string(),
                std::fs::read(&p).unwrap(),
            )
        })
        .collect();
    v.sort();
    v
}

#[test]
fn every_run_draws_labelled_charts_as_svg_png_and_csv() {
    let tmp = tempfile::tempdir().unwrap();
    let sc = scenario(tmp.path(), "s.toml", SMALL);
    let out = tmp.path().join("o");
    run_to(&sc, &out, &[]);
    let charts = out.join("charts");
    let report = std::fs::read_to_string(out.join("report.md")).unwrap();
    assert!(report.contains("## Charts"), "{report}");
    for (name, title, labels) in RUN_CHARTS {
        let png = std::fs::read(charts.join(format!("{name}.png"))).unwrap();
        assert_eq!(png_size(&png), (1000, 600), "{name}.png");
        let mut texts = vec![title];
        texts.extend_from_slice(labels);
        check_svg(&charts.join(format!("{name}.svg")), &texts);
        let csv = std::fs::read_to_string(charts.join(format!("{name}.csv"))).unwrap();
        assert!(csv.lines().count() > 1, "{name}.csv has no data");
        assert!(
            report.contains(&format!("](charts/{name}.png)")),
            "report.md does not embed {name}.png"
        );
    }
    // The legend names every arm.
    let svg = std::fs::read_to_string(charts.join("reclaim_shares.svg")).unwrap();
    for arm in ["control", "cautious", "adjustable"] {
        assert!(svg.lines().any(|l| l.trim() == arm), "legend lacks {arm}");
    }
}

#[test]
fn chosen_percentages_only_with_an_adjustable_arm() {
    let tmp = tempfile::tempdir().unwrap();
    let text = SMALL
        .split("[[arms]]\nname = \"adjustable\"")
        .next()
        .unwrap();
    let sc = scenario(tmp.path(), "s.toml", text);
    let out = tmp.path().join("o");
    run_to(&sc, &out, &["--households", "1000"]);
    assert!(out.join("charts/settlement_distribution.svg").is_file());
    assert!(!out.join("charts/chosen_percentages.svg").exists());
    assert!(!out.join("charts/chosen_percentages.csv").exists());
}

#[test]
fn charts_are_deterministic_and_plot_redraws_them_byte_identically() {
    let tmp = tempfile::tempdir().unwrap();
    let sc = scenario(tmp.path(), "s.toml", SMALL);
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    run_to(&sc, &a, &["--threads", "1"]);
    run_to(&sc, &b, &["--threads", "2"]);
    let first = files_in(&a.join("charts"));
    assert_eq!(first.len(), 24);
    assert_eq!(
        first,
        files_in(&b.join("charts")),
        "same run, different chart bytes"
    );
    // Remove the drawings; `plot` redraws them from the CSV files alone.
    for (name, _) in &first {
        if !name.ends_with(".csv") {
            std::fs::remove_file(a.join("charts").join(name)).unwrap();
        }
    }
    bin()
        .arg("plot")
        .arg(&a)
        .assert()
        .success()
        .stdout(predicate::str::contains("redrew 8 charts"));
    assert_eq!(files_in(&a.join("charts")), first);
}

#[test]
fn plot_with_a_damaged_data_file_names_it_and_exits_2() {
    let tmp = tempfile::tempdir().unwrap();
    let sc = scenario(tmp.path(), "s.toml", SMALL);
    let out = tmp.path().join("o");
    run_to(&sc, &out, &["--households", "500"]);
    let p = out.join("charts/reclaim_shares.csv");
    let text = std::fs::read_to_string(&p).unwrap();
    std::fs::write(
        &p,
        text.replacen("high_reclaim,1000,", "high_reclaim,lots,", 1),
    )
    .unwrap();
    bin()
        .arg("plot")
        .arg(&out)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("reclaim_shares.csv"))
        .stderr(predicate::str::contains("threshold_eur"));
    std::fs::write(&p, "arm,measure\ncontrol\n").unwrap();
    bin().arg("plot").arg(&out).assert().code(2);
}

#[test]
fn power_curve_has_each_arms_pilot_size_and_plot_checks_its_powers() {
    let tmp = tempfile::tempdir().unwrap();
    let sc = scenario(tmp.path(), "s.toml", SMALL);
    let out = tmp.path().join("o");
    let summary = run_to(&sc, &out, &["--households", "1500"]);
    let p = out.join("charts/power_curve.csv");
    let rows = read_sweep_csv(&p);
    for arm in ["cautious", "adjustable"] {
        let mine: Vec<_> = rows.iter().filter(|r| r["arm"] == arm).collect();
        let curve: Vec<f64> = mine
            .iter()
            .filter(|r| r["kind"] == "curve")
            .map(|r| r["power"].parse().unwrap())
            .collect();
        assert!(curve.len() >= 35, "{arm}: {} curve points", curve.len());
        assert!(curve.windows(2).all(|w| w[0] <= w[1]), "{arm}: not rising");
        for r in &mine {
            let (lo, pw, hi): (f64, f64, f64) = (
                r["power_low"].parse().unwrap(),
                r["power"].parse().unwrap(),
                r["power_high"].parse().unwrap(),
            );
            assert!(
                (0.0..=1.0).contains(&lo) && lo <= pw && pw <= hi && hi <= 1.0,
                "{r:?}"
            );
        }
        // The dot is the pilot size summary.json reports, at 80% power or just above.
        let point = mine.iter().find(|r| r["kind"] == "pilot_size").unwrap();
        assert_eq!(
            point["households_per_arm"],
            summary["pilot_households_per_arm"][arm].to_string(),
            "{arm}"
        );
        let pw: f64 = point["power"].parse().unwrap();
        assert!((0.8..0.81).contains(&pw), "{arm}: {pw}");
    }
    // The run's own file redraws; a power above 1 or a band upside down is refused.
    bin().arg("plot").arg(&out).assert().success();
    let text = std::fs::read_to_string(&p).unwrap();
    let mut lines: Vec<String> = text.lines().map(String::from).collect();
    let cells: Vec<&str> = lines[1].split(',').collect();
    let swapped = format!(
        "{},{},{},{},{},{}",
        cells[0], cells[1], cells[2], cells[3], cells[5], cells[4]
    );
    for (bad, expected) in [
        (
            format!(
                "{},{},{},1.5,{},{}",
                cells[0], cells[1], cells[2], cells[4], cells[5]
            ),
            "column power: 1.5 is not a power between 0 and 1",
        ),
        (swapped, "is above power_high"),
    ] {
        lines[1] = bad;
        std::fs::write(&p, lines.join("\n") + "\n").unwrap();
        bin()
            .arg("plot")
            .arg(&out)
            .assert()
            .code(2)
            .stderr(predicate::str::contains("power_curve.csv:2"))
            .stderr(predicate::str::contains(expected));
    }
}

#[test]
fn plot_without_charts_is_a_usage_error() {
    let tmp = tempfile::tempdir().unwrap();
    bin()
        .arg("plot")
        .arg(tmp.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no charts/ directory"));
}

fn read_sweep_csv(path: &Path) -> Vec<std::collections::BTreeMap<String, String>> {
    let mut r = csv::Reader::from_path(path).unwrap();
    let h = r.headers().unwrap().clone();
    r.records()
        .map(|rec| {
            h.iter()
                .zip(rec.unwrap().iter())
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect()
        })
        .collect()
}

#[test]
fn shipped_sweep_lowers_reclaims_as_the_fraction_falls() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("sw");
    bin()
        .args([
            "sweep",
            "scenarios/sweep-cautious-fraction.toml",
            "--households",
            "5000",
            "--quiet",
            "--out",
        ])
        .arg(&out)
        .assert()
        .success()
        .stdout(predicate::str::is_empty());
    let rows = read_sweep_csv(&out.join("sweep.csv"));
    let values: Vec<&str> = rows.iter().map(|r| r["value"].as_str()).collect();
    assert_eq!(
        values,
        ["0.70", "0.75", "0.80", "0.85", "0.90", "0.95", "1.00"]
    );
    let num = |r: &std::collections::BTreeMap<String, String>, k: &str| -> f64 {
        r[k].parse().unwrap_or_else(|_| panic!("{k} = {}", r[k]))
    };
    // Common random numbers: a strictly smaller cautious reclaim share at every lower fraction,
    // strictly more withheld, and an unchanged control arm.
    for w in rows.windows(2) {
        assert!(
            num(&w[0], "cautious.reclaim_share") < num(&w[1], "cautious.reclaim_share"),
            "{} → {}",
            w[0]["value"],
            w[1]["value"]
        );
        assert!(
            num(&w[0], "cautious.withheld_during_year_eur")
                > num(&w[1], "cautious.withheld_during_year_eur")
        );
        assert_eq!(w[0]["control.reclaim_share"], w[1]["control.reclaim_share"]);
    }
    // At 100% the cautious arm is the control arm.
    let last = rows.last().unwrap();
    assert_eq!(
        last["cautious.reclaim_share"],
        last["control.reclaim_share"]
    );
    for k in [
        "cautious.reclaim_share.ci_low",
        "cautious.reclaim_share.ci_high",
        "cautious.high_reclaim_share.ci_low",
        "cautious.withheld_during_year.ci_high",
    ] {
        assert!(rows[0].contains_key(k), "sweep.csv lacks {k}");
    }
    let png = std::fs::read(out.join("charts/sweep_tradeoff.png")).unwrap();
    assert_eq!(png_size(&png), (1000, 600));
    check_svg(
        &out.join("charts/sweep_tradeoff.svg"),
        &[
            "Trade-off as arms.cautious.fraction varies",
            "swept value: arms.cautious.fraction",
            "withheld (€/household)",
            "households (%)",
            "cautious: any reclaim",
        ],
    );
    assert!(out.join("charts/sweep_tradeoff.csv").is_file());
    let md = std::fs::read_to_string(out.join("report.md")).unwrap();
    assert!(md.contains("](charts/sweep_tradeoff.png)"));
}

#[test]
fn sweep_from_the_command_line_over_takeup_and_a_parameter() {
    let tmp = tempfile::tempdir().unwrap();
    let sc = scenario(tmp.path(), "s.toml", SMALL);
    let out = tmp.path().join("t");
    bin()
        .args(["sweep"])
        .arg(&sc)
        .args([
            "--param",
            "arms.cautious.takeup=0:1:0.5",
            "--households",
            "800",
            "--quiet",
            "--out",
        ])
        .arg(&out)
        .assert()
        .success();
    let rows = read_sweep_csv(&out.join("sweep.csv"));
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[0]["value"], "0.0");
    let out = tmp.path().join("p");
    bin()
        .args(["sweep"])
        .arg(&sc)
        .args([
            "--param",
            "parameters.zorgtoeslag.normpremie_rate_above=0.13:0.14:0.01",
            "--households",
            "500",
            "--quiet",
            "--out",
        ])
        .arg(&out)
        .assert()
        .success();
    assert_eq!(read_sweep_csv(&out.join("sweep.csv")).len(), 2);
}

#[test]
fn sweep_with_an_unknown_key_lists_the_allowed_keys() {
    let tmp = tempfile::tempdir().unwrap();
    let sc = scenario(tmp.path(), "s.toml", SMALL);
    for key in [
        "arms.cautious.fractoin",
        "arms.nosuch.fraction",
        "arms.adjustable.fraction",
        "experiment.seedling",
    ] {
        bin()
            .args(["sweep"])
            .arg(&sc)
            .args(["--param", &format!("{key}=0.7:0.8:0.05")])
            .arg("--out")
            .arg(tmp.path().join("x"))
            .assert()
            .code(2)
            .stderr(predicate::str::contains(key))
            .stderr(predicate::str::contains("allowed keys"))
            .stderr(predicate::str::contains("arms.cautious.fraction"))
            .stderr(predicate::str::contains("arms.adjustable.takeup"))
            .stderr(predicate::str::contains("experiment.households"))
            .stderr(predicate::str::contains("parameters.<group>.<key>"));
    }
    bin()
        .args(["sweep"])
        .arg(&sc)
        .args(["--param", "arms.cautious.fractoin=0.7:0.8:0.05"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "did you mean `arms.cautious.fraction`?",
        ));
    bin()
        .args(["sweep"])
        .arg(&sc)
        .args(["--param", "parameters.zorgtoeslag.nosuch=0.1:0.2:0.1"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("normpremie_rate_above"));
    assert!(!tmp.path().join("x").exists());
}

#[test]
fn sweep_below_the_legal_floor_names_key_and_value() {
    let tmp = tempfile::tempdir().unwrap();
    let sc = scenario(tmp.path(), "s.toml", SMALL);
    bin()
        .args(["sweep"])
        .arg(&sc)
        .args(["--param", "arms.cautious.fraction=0.60:0.80:0.05"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("arms.cautious.fraction"))
        .stderr(predicate::str::contains("0.60"))
        .stderr(predicate::str::contains("allow_below_legal_floor"));
    // With the arm's permission the grid runs.
    let text = SMALL.replace(
        "takeup = 0.68\n\n[[arms]]\nname = \"adjustable\"",
        "takeup = 0.68\nallow_below_legal_floor = true\n\n[[arms]]\nname = \"adjustable\"",
    );
    let sc = scenario(tmp.path(), "low.toml", &text);
    bin()
        .args(["sweep"])
        .arg(&sc)
        .args([
            "--param",
            "arms.cautious.fraction=0.60:0.70:0.10",
            "--households",
            "300",
            "--quiet",
            "--out",
        ])
        .arg(tmp.path().join("low"))
        .assert()
        .success();
}

#[test]
fn sweep_needs_something_to_sweep_and_a_sane_range() {
    let tmp = tempfile::tempdir().unwrap();
    let sc = scenario(tmp.path(), "s.toml", SMALL);
    bin()
        .args(["sweep"])
        .arg(&sc)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("nothing to sweep"));
    for bad in [
        "arms.cautious.fraction=0.9:0.8:0.05",
        "arms.cautious.fraction=0.7:0.8:0",
        "arms.cautious.fraction=0.7:0.8",
        "arms.cautious.fraction",
    ] {
        bin()
            .args(["sweep"])
            .arg(&sc)
            .args(["--param", bad])
            .assert()
            .code(2);
    }
    // A bad [sweep] table is an input error naming the key.
    let text =
        format!("{SMALL}\n[sweep]\nparam = \"arms.cautious.fraction\"\nfrom = 0.7\nto = 0.8\n");
    let sc = scenario(tmp.path(), "t.toml", &text);
    bin()
        .args(["sweep"])
        .arg(&sc)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("sweep.step"));
}

#[test]
fn validate_accepts_every_shipped_scenario_including_the_sweep() {
    bin()
        .args(["validate", "scenarios/"])
        .assert()
        .success()
        .stdout(predicate::str::contains("sweep-cautious-fraction"));
}

/// `effect_by_decile` shows the income-decile subgroup effects of summary.json, in
/// percentage points: the same groups and numbers.
#[test]
fn effect_by_decile_holds_the_income_decile_subgroups() {
    let tmp = tempfile::tempdir().unwrap();
    let sc = scenario(tmp.path(), "s.toml", SMALL);
    let out = tmp.path().join("o");
    let summary = run_to(&sc, &out, &[]);
    let csv = std::fs::read_to_string(out.join("charts/effect_by_decile.csv")).unwrap();
    let mut rows = csv::Reader::from_reader(csv.as_bytes());
    let records: Vec<csv::StringRecord> = rows.records().map(|r| r.unwrap()).collect();
    let mut want = 0;
    for t in summary["subgroups"].as_array().unwrap() {
        if t["dimension"] != "income_decile" || t["metric"] != "reclaim_share" {
            continue;
        }
        for g in t["groups"].as_array().unwrap() {
            let Some(d) = g["difference"].as_f64() else {
                continue;
            };
            let r = records
                .iter()
                .find(|r| {
                    &r[0] == g["group"].as_str().unwrap() && &r[1] == t["arm"].as_str().unwrap()
                })
                .unwrap_or_else(|| panic!("{} {} missing", t["arm"], g["group"]));
            let pp: f64 = r[7].parse().unwrap();
            assert!((pp - d * 100.0).abs() < 1e-3, "{pp} vs {d}");
            want += 1;
        }
    }
    assert!(want >= 10, "{want} rows");
    assert_eq!(records.len(), want);
}
