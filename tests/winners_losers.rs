//! Winners and losers (`winners_losers` in summary.json, report.md "Better or worse off in
//! cash", the chart `winners_losers`): recounted household by household from households.csv,
//! so a doubled or shifted count cannot pass; an 80% advance never pays more during the year;
//! the deciles hold the same households as `by_income_decile`; absent in the randomized design.

use crate::common;
use crate::common::cents;
use std::collections::BTreeMap;

#[test]
fn winners_and_losers_recount_from_households_csv_and_add_up() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("o");
    let s = common::run_to(
        &common::root().join("scenarios/cautious-vs-standard.toml"),
        &out,
        &["--households", "4000", "--households-csv"],
    );
    let w = s["winners_losers"].as_array().unwrap();
    assert_eq!(w.len(), 1);
    let c = &w[0];
    assert_eq!(
        (c["arm"].as_str(), c["vs"].as_str()),
        (Some("cautious"), Some("control"))
    );
    let th = c["threshold"].as_i64().unwrap() * 100;
    assert_eq!(th, 1_000);

    // Recount: per household, the cash in the year and after settlement under each arm.
    let mut r = csv::Reader::from_path(out.join("households.csv")).unwrap();
    let h = r.headers().unwrap().clone();
    let col = |n: &str| h.iter().position(|x| x == n).unwrap();
    let (id, arm, adv, net, rec) = (
        col("household_id"),
        col("arm"),
        col("advances"),
        col("net_settlement"),
        col("recipient"),
    );
    let mut cash: BTreeMap<u64, BTreeMap<String, (i64, i64, bool)>> = BTreeMap::new();
    for row in r.records() {
        let row = row.unwrap();
        let a = cents(&row[adv]);
        cash.entry(row[id].parse().unwrap()).or_default().insert(
            row[arm].to_string(),
            (a, a + cents(&row[net]), &row[rec] == "true"),
        );
    }
    let (mut n, mut year, mut settled) = (0u64, [0u64; 2], [0u64; 2]);
    for arms in cash.values() {
        let (cy, cs, recipient) = arms["control"];
        let (ty, ts, _) = arms["cautious"];
        if !recipient {
            continue;
        }
        n += 1;
        year[0] += u64::from(ty - cy > th);
        year[1] += u64::from(ty - cy < -th);
        settled[0] += u64::from(ts - cs > th);
        settled[1] += u64::from(ts - cs < -th);
    }
    let all = &c["all"];
    assert_eq!(all["households"].as_u64(), Some(n));
    let share = |k: u64| ((k as f64 / n as f64) * 1e6).round() / 1e6;
    assert_eq!(all["in_year"]["better"].as_f64(), Some(share(year[0])));
    assert_eq!(all["in_year"]["worse"].as_f64(), Some(share(year[1])));
    assert_eq!(
        all["after_settlement"]["better"].as_f64(),
        Some(share(settled[0]))
    );
    assert_eq!(
        all["after_settlement"]["worse"].as_f64(),
        Some(share(settled[1]))
    );
    // An 80% advance pays less or the same during the year: nobody is better off then.
    assert_eq!(year[0], 0);
    assert!(
        year[1] > n / 3,
        "took the offer: worse off in the year ({} of {n})",
        year[1]
    );

    // The deciles: the households of by_income_decile, shares that add up, a total that is
    // the sum of the deciles (no household counted twice).
    let deciles = c["by_income_decile"].as_array().unwrap();
    let control_deciles = s["arms"]["control"]["by_income_decile"].as_array().unwrap();
    assert_eq!(deciles.len(), control_deciles.len());
    let mut total = 0;
    for (d, cd) in deciles.iter().zip(control_deciles) {
        assert_eq!(d["decile"], cd["decile"]);
        assert_eq!(d["income_from"], cd["income_from"]);
        assert_eq!(d["households"], cd["households"]);
        total += d["households"].as_u64().unwrap();
        for win in ["in_year", "after_settlement"] {
            let x = &d[win];
            let sum: f64 = ["better", "unchanged", "worse"]
                .iter()
                .map(|k| x[k].as_f64().unwrap())
                .sum();
            assert!((sum - 1.0).abs() < 3e-6, "{win} sums to {sum}");
        }
    }
    assert_eq!(total, n);

    // The chart's table: two windows per decile and for all, in percent.
    let chart = std::fs::read_to_string(out.join("charts/winners_losers.csv")).unwrap();
    assert_eq!(chart.lines().count(), 1 + 2 * (deciles.len() + 1));
    assert!(chart.contains(&format!(
        "cautious,control,in_year,all recipient households,{n},"
    )));
    // By income decile the distributional amounts have their within-household intervals too
    // (their values are recomputed with scipy in tests/recompute.rs).
    for metric in [
        "withheld_during_year",
        "mean_backpay_per_household",
        "mean_net_settlement",
    ] {
        let e = s["subgroups"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["dimension"] == "income_decile" && e["metric"] == metric)
            .unwrap_or_else(|| panic!("no income_decile effect on {metric}"));
        let groups = e["groups"].as_array().unwrap();
        assert_eq!(groups.len(), deciles.len());
        for g in groups {
            assert_eq!(g["method"], "paired t-test");
            let (lo, d, hi) = (
                g["ci_low"].as_f64().unwrap(),
                g["difference"].as_f64().unwrap(),
                g["ci_high"].as_f64().unwrap(),
            );
            assert!(lo <= d && d <= hi, "{metric}: {lo} {d} {hi}");
        }
    }
    let report = std::fs::read_to_string(out.join("report.md")).unwrap();
    assert!(report.contains("## Better or worse off in cash"));
    assert!(report.contains("a change of at most €10 either way counts as the same"));
}

#[test]
fn the_randomized_design_says_why_there_is_no_winners_table() {
    let tmp = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(common::root().join("scenarios/cautious-vs-standard.toml"))
        .unwrap()
        .replace("\ndesign = \"paired\"", "\ndesign = \"randomized\"");
    let sc = common::scenario(tmp.path(), "r.toml", &text);
    let out = tmp.path().join("o");
    let s = common::run_to(&sc, &out, &["--households", "2000"]);
    assert!(s.get("winners_losers").is_none());
    assert!(!out.join("charts/winners_losers.csv").exists());
    let report = std::fs::read_to_string(out.join("report.md")).unwrap();
    assert!(report.contains("Not available in the randomized design"));
}
