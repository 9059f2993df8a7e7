//! `toeslagenlab calc` as a user runs it.

use crate::common;
use common::*;
use predicates::prelude::*;

#[test]
fn acceptance_single_30000_json() {
    let out = bin()
        .args(["calc", "--year", "2026", "--income", "30000", "--json"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(v["year"], 2026);
    assert_eq!(v["benefits"]["zorgtoeslag"]["annual"], 1514);
    assert_eq!(v["benefits"]["zorgtoeslag"]["monthly"], 126);
    for b in ["huurtoeslag", "kinderopvangtoeslag", "kindgebonden_budget"] {
        assert_eq!(v["benefits"][b]["annual"], 0, "{b}");
    }
}

#[test]
fn hours_by_month_needs_twelve_values_and_excludes_hours() {
    let tmp = tempfile::tempdir().unwrap();
    let f = tmp.path().join("h.toml");
    let refused = |child: &str, message: &str| {
        std::fs::write(
            &f,
            format!(
                "income = 18000\n[[children]]\nage = 2\ncare = \"dagopvang\"\n{child}price = 9\n"
            ),
        )
        .unwrap();
        bin()
            .args(["calc", "--household"])
            .arg(&f)
            .assert()
            .code(2)
            .stderr(predicate::str::contains("h.toml:5:"))
            .stderr(predicate::str::contains(message));
    };
    refused("hours = 100\nhours_by_month = [1, 2]\n", "not both");
    refused("hours_by_month = [1, 2]\n", "needs 12 values");
}

#[test]
fn bad_household_file_exits_2_naming_file_and_line() {
    let tmp = tempfile::tempdir().unwrap();
    let f = tmp.path().join("h.toml");
    std::fs::write(&f, "income = 30000\nrent = 650\npersonen = 2\n").unwrap();
    bin()
        .args(["calc", "--household"])
        .arg(&f)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("h.toml:3:"))
        .stderr(predicate::str::contains("personen"));
}

#[test]
fn every_year_computes_all_four_benefits() {
    // 2024 and 2025 compute huurtoeslag in the structure before 2026 and childcare with their
    // own tables (issue 21): nothing is refused.
    for year in ["2024", "2025", "2026"] {
        let out = bin()
            .args([
                "calc",
                "--year",
                year,
                "--income",
                "20000",
                "--rent",
                "600",
                "--child",
                "2",
                "--child",
                "3:dagopvang:100:9.00",
                "--json",
            ])
            .assert()
            .success();
        let v: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
        let text = v.to_string();
        assert!(!text.contains("\"available\":false"), "{year}: {text}");
        for b in [
            "zorgtoeslag",
            "huurtoeslag",
            "kinderopvangtoeslag",
            "kindgebonden_budget",
        ] {
            assert!(text.contains(b), "{year}: {b} missing in {text}");
        }
    }
}
