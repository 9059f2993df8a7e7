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
fn huurtoeslag_2025_is_refused_with_exit_2() {
    bin()
        .args([
            "calc", "--year", "2025", "--income", "20000", "--rent", "600",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("normhuur"));
}
