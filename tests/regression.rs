//! `check` and `diff`: scenario regression as CI uses it.

use crate::common;
use common::*;
use predicates::prelude::*;

fn with_expect(extra: &str) -> String {
    format!("{SMALL}\n{extra}\n")
}

#[test]
fn shipped_baselines_hold_under_a_different_seed() {
    bin()
        .args([
            "check",
            "scenarios/",
            "--baseline",
            "scenarios/baselines/",
            "--allow-missing",
            "--seed",
            "777",
        ])
        .assert()
        .success()
        .stdout(predicate::str::contains("0 failed"))
        .stderr(predicate::str::contains(
            "nl-full-scale.toml: no baseline file scenarios/baselines/nl-full-scale.json: baseline comparison skipped (--allow-missing)",
        ));
}

/// A baseline of SMALL (20,000 households) written by `check --update` into `tmp/baselines`;
/// returns (scenario directory, baseline directory, scenario text).
fn small_baseline(tmp: &std::path::Path) -> (std::path::PathBuf, std::path::PathBuf, String) {
    let dir = tmp.join("sc");
    std::fs::create_dir(&dir).unwrap();
    let base = tmp.join("baselines");
    let text = SMALL.replace("households = 3000", "households = 20000");
    let f = scenario(&dir, "small.toml", &text);
    bin()
        .arg("check")
        .arg(&f)
        .arg("--baseline")
        .arg(&base)
        .arg("--update")
        .assert()
        .success();
    (dir, base, text)
}

#[test]
fn a_six_percent_standard_premium_change_with_the_same_seed_is_caught_exactly() {
    let tmp = tempfile::tempdir().unwrap();
    let (dir, base, text) = small_baseline(tmp.path());
    let written = std::fs::read_to_string(base.join("small.json")).unwrap();
    let v: serde_json::Value = serde_json::from_str(&written).unwrap();
    assert_eq!(v["program_version"], env!("CARGO_PKG_VERSION"));
    // Unchanged: exact and equal.
    bin()
        .arg("check")
        .arg(&dir)
        .arg("--baseline")
        .arg(&base)
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "metrics equal (same seed and program version)",
        ));
    // The standard premium 6% up (2119 → 2246 a year): a small change for every zorgtoeslag
    // household, caught because the same seed leaves no Monte Carlo noise between the runs.
    scenario(
        &dir,
        "small.toml",
        &format!("{text}\n[parameters.zorgtoeslag]\nstandaardpremie = 2246\n"),
    );
    bin()
        .arg("check")
        .arg(&dir)
        .arg("--baseline")
        .arg(&base)
        .assert()
        .code(1)
        .stdout(predicate::str::contains("FAIL: moved from"))
        .stdout(predicate::str::contains(
            "exact comparison: same seed and program version",
        ));
    // A baseline that records no program version falls back to the Monte Carlo tolerance and
    // says so.
    let mut old = v.clone();
    old.as_object_mut().unwrap().remove("program_version");
    std::fs::write(base.join("small.json"), old.to_string()).unwrap();
    bin()
        .arg("check")
        .arg(&dir)
        .arg("--baseline")
        .arg(&base)
        .assert()
        .stderr(predicate::str::contains(
            "note: same seed 42 but no program version recorded for the baseline",
        ));
}

#[test]
fn diff_of_different_seeds_without_replications_warns_that_there_are_no_standard_errors() {
    let tmp = tempfile::tempdir().unwrap();
    let sc = scenario(tmp.path(), "s.toml", SMALL);
    run_to(&sc, &tmp.path().join("a"), &[]);
    run_to(&sc, &tmp.path().join("b"), &["--seed", "9"]);
    run_to(&sc, &tmp.path().join("c"), &[]);
    let a = tmp.path().join("a/summary.json");
    bin()
        .arg("diff")
        .arg(&a)
        .arg(tmp.path().join("b/summary.json"))
        .assert()
        .stderr(predicate::str::contains(
            "warning: neither summary has Monte Carlo standard errors",
        ))
        .stderr(predicate::str::contains("binomial standard error"))
        .stderr(predicate::str::contains("--replications 8"));
    // Same seed and version (from the runs' manifest.json): exact, and no warning.
    bin()
        .arg("diff")
        .arg(&a)
        .arg(tmp.path().join("c/summary.json"))
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "compared exactly (same seed 42 and program version",
        ))
        .stdout(predicate::str::contains(", 0 moved"))
        .stderr(predicate::str::contains("warning").not());
}

#[test]
fn a_missing_baseline_file_is_an_error_unless_allowed() {
    let tmp = tempfile::tempdir().unwrap();
    let (dir, base, _) = small_baseline(tmp.path());
    scenario(&dir, "other.toml", &SMALL.replace("\"small\"", "\"other\""));
    bin()
        .arg("check")
        .arg(&dir)
        .arg("--baseline")
        .arg(&base)
        .assert()
        .code(2)
        .stdout(predicate::str::is_empty())
        .stderr(predicate::str::contains("other.toml: no baseline file"))
        .stderr(predicate::str::contains("other.json"))
        .stderr(predicate::str::contains("--allow-missing"))
        .stderr(predicate::str::contains("small.toml").not());
    bin()
        .arg("check")
        .arg(&dir)
        .arg("--baseline")
        .arg(&base)
        .arg("--allow-missing")
        .assert()
        .success()
        .stdout(predicate::str::contains("1 scenario run"))
        .stderr(predicate::str::contains("other.toml: no baseline file"))
        .stderr(predicate::str::contains(
            "baseline comparison skipped (--allow-missing)",
        ));
}

#[test]
fn a_meaningful_parameter_change_fails_the_baseline_and_says_what_moved() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("sc");
    std::fs::create_dir(&dir).unwrap();
    let base = tmp.path().join("baselines");
    let text = SMALL.replace("households = 3000", "households = 20000");
    scenario(&dir, "small.toml", &text);
    bin()
        .arg("check")
        .arg(&dir)
        .arg("--baseline")
        .arg(&base)
        .arg("--update")
        .assert()
        .success();
    // A directory only refreshes existing baselines; a new one is made by naming the file.
    assert!(!base.join("small.json").exists());
    bin()
        .arg("check")
        .arg(dir.join("small.toml"))
        .arg("--baseline")
        .arg(&base)
        .arg("--update")
        .assert()
        .success();
    assert!(base.join("small.json").is_file());
    // Same scenario, other seed: within tolerance.
    bin()
        .arg("check")
        .arg(&dir)
        .arg("--baseline")
        .arg(&base)
        .args(["--seed", "5"])
        .assert()
        .success();
    // A reform that lowers zorgtoeslag for everyone above the threshold.
    scenario(
        &dir,
        "small.toml",
        &format!("{text}\n[parameters.zorgtoeslag]\nnormpremie_rate_above = 0.30\n"),
    );
    let junit = tmp.path().join("j.xml");
    bin()
        .arg("check")
        .arg(&dir)
        .arg("--baseline")
        .arg(&base)
        .arg("--junit")
        .arg(&junit)
        .assert()
        .code(1)
        .stdout(predicate::str::contains("FAIL: moved from"))
        .stdout(predicate::str::contains("exact comparison"))
        .stdout(predicate::str::contains("baseline arms."));
    let xml = std::fs::read_to_string(junit).unwrap();
    assert!(xml.contains("<testsuite") && xml.contains("<failure"));
}

#[test]
fn expectations_pass_fail_and_bad_metrics() {
    let tmp = tempfile::tempdir().unwrap();
    let ok = scenario(tmp.path(), "ok.toml", &with_expect("[[expect]]\ncompare = \"cautious\"\nvs = \"control\"\nmetric = \"reclaim_share\"\ndirection = \"decrease\"\nsignificant = true\n"));
    bin()
        .arg("check")
        .arg(&ok)
        .assert()
        .success()
        .stdout(predicate::str::contains("ok"));
    let bad = scenario(
        tmp.path(),
        "fail.toml",
        &with_expect("[[expect]]\narm = \"cautious\"\nmetric = \"reclaim_share\"\nmax = 0.001\n"),
    );
    bin()
        .arg("check")
        .arg(&bad)
        .assert()
        .code(1)
        .stdout(predicate::str::contains("FAIL"));
    let unknown = scenario(
        tmp.path(),
        "unknown.toml",
        &with_expect("[[expect]]\narm = \"cautious\"\nmetric = \"reclaim_shar\"\nmax = 0.3\n"),
    );
    bin()
        .arg("check")
        .arg(&unknown)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unknown metric `reclaim_shar`"))
        .stderr(predicate::str::contains(
            "valid arm metrics: reclaim_share, high_reclaim_share",
        ))
        .stderr(predicate::str::contains("did you mean `reclaim_share`"));
    let out = bin()
        .arg("check")
        .arg(&ok)
        .arg("--json")
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(v["failed"], 0);
    assert_eq!(v["checks"][0]["pass"], true);
}

#[test]
fn diff_compares_two_runs() {
    let tmp = tempfile::tempdir().unwrap();
    let sc = scenario(tmp.path(), "s.toml", SMALL);
    run_to(&sc, &tmp.path().join("a"), &["--replications", "3"]);
    run_to(
        &sc,
        &tmp.path().join("b"),
        &["--replications", "3", "--seed", "9"],
    );
    let a = tmp.path().join("a/summary.json");
    let b = tmp.path().join("b/summary.json");
    bin()
        .arg("diff")
        .arg(&a)
        .arg(&a)
        .assert()
        .success()
        .stdout(predicate::str::contains("0 moved"));
    bin().arg("diff").arg(&a).arg(&b).assert().success();
}

#[test]
fn a_baseline_file_instead_of_a_directory_is_a_clear_usage_error() {
    bin()
        .args([
            "check",
            "scenarios/adjustable.toml",
            "--baseline",
            "scenarios/baselines/adjustable.json",
            "--update",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("takes a directory, not a file"))
        .stderr(predicate::str::contains("--baseline scenarios/baselines/"));
    // Nothing was rewritten.
    assert!(std::path::Path::new("scenarios/baselines/adjustable.json").is_file());
}
