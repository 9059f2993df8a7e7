//! Independent recomputation (issue 17): the real binary runs shipped scenarios with
//! `--households-csv`, then `scripts/recompute.py` recomputes every comparison of the run's
//! summary.json from its households.csv with scipy/statsmodels and must find them all equal.
//!
//! Needs python3 with numpy, pandas, scipy and statsmodels. Without them the tests print
//! `skipped: …` on stderr and pass, unless `TOESLAGENLAB_REQUIRE_SCIPY=1` (CI) makes them fail.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Whether python3 with the libraries is there; panics when it is required but missing.
fn python_ready() -> bool {
    crate::common::python_has(
        "numpy, pandas, scipy, statsmodels",
        "TOESLAGENLAB_REQUIRE_SCIPY",
        "numpy, pandas, scipy and statsmodels (pip install scipy statsmodels)",
    )
}

/// A shipped scenario, or a copy of it in `dir` with the randomized design.
fn scenario(dir: &Path, name: &str, randomized: bool) -> PathBuf {
    let shipped = root().join("scenarios").join(name);
    if !randomized {
        return shipped;
    }
    let text = std::fs::read_to_string(&shipped).unwrap();
    assert!(
        text.contains("\ndesign = \"paired\""),
        "{name}: no design line"
    );
    let p = dir.join(name.replace(".toml", "-randomized.toml"));
    std::fs::write(
        &p,
        text.replace("\ndesign = \"paired\"", "\ndesign = \"randomized\""),
    )
    .unwrap();
    p
}

/// Runs the binary into `dir/<label>` with `households` households and households.csv.
fn run(dir: &Path, scenario: &Path, households: u64, label: &str) -> PathBuf {
    let out = dir.join(label);
    let o = Command::new(env!("CARGO_BIN_EXE_toeslagenlab"))
        .current_dir(root())
        .arg("run")
        .arg(scenario)
        .args(["--households", &households.to_string()])
        .args(["--households-csv", "--quiet", "--out"])
        .arg(&out)
        .output()
        .unwrap();
    assert!(
        o.status.success(),
        "run {label}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    out
}

/// `python3 scripts/recompute.py DIR`: (exit code, stdout + stderr).
fn recompute(dir: &Path) -> (i32, String) {
    let o = Command::new("python3")
        .current_dir(root())
        .arg("scripts/recompute.py")
        .arg(dir)
        .output()
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    (o.status.code().unwrap_or(-1), text)
}

/// What a run's summary.json holds: every comparison's method string, `tvt` when it compares
/// two treatment arms, and `subgroups:<dimension>` for each subgroup dimension.
fn kinds(out: &Path) -> BTreeSet<String> {
    let text = std::fs::read_to_string(out.join("summary.json")).unwrap();
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    let control = v["arm_order"][0].as_str().unwrap().to_string();
    let mut seen = BTreeSet::new();
    for c in v["comparisons"].as_array().unwrap() {
        seen.insert(c["method"].as_str().unwrap_or("").to_string());
        if c["vs"].as_str() != Some(control.as_str()) {
            seen.insert("tvt".to_string());
        }
    }
    for s in v["subgroups"].as_array().into_iter().flatten() {
        seen.insert(format!(
            "subgroups:{}",
            s["dimension"].as_str().unwrap_or("")
        ));
    }
    seen
}

/// Runs every (scenario, randomized, households) and checks that all agree; returns the
/// kinds of rows seen ([`kinds`]).
fn check_all(runs: &[(&str, bool, u64)]) -> BTreeSet<String> {
    let tmp = tempfile::tempdir().unwrap();
    let mut seen = BTreeSet::new();
    for &(name, randomized, n) in runs {
        let design = if randomized { "randomized" } else { "paired" };
        let label = format!("{}-{design}-{n}", name.trim_end_matches(".toml"));
        let out = run(
            tmp.path(),
            &scenario(tmp.path(), name, randomized),
            n,
            &label,
        );
        let (code, text) = recompute(&out);
        assert_eq!(code, 0, "{label}: recompute.py disagrees:\n{text}");
        assert!(text.contains("all agree"), "{label}: {text}");
        seen.extend(kinds(&out));
    }
    seen
}

/// The paired design: cautious-vs-standard at 300 (exact McNemar) and 5,000 households,
/// adjustable, the scenarios with two or more treatment arms (lab-replication, interventions:
/// treatment-vs-treatment rows) and nl-2026 (an employment model: employment subgroups).
#[test]
fn paired_runs_agree_with_scipy() {
    if !python_ready() {
        return;
    }
    let seen = check_all(&[
        ("cautious-vs-standard.toml", false, 300),
        ("cautious-vs-standard.toml", false, 5_000),
        ("adjustable.toml", false, 5_000),
        ("lab-replication.toml", false, 4_000),
        ("interventions.toml", false, 2_000),
        ("nl-2026.toml", false, 3_000),
    ]);
    for m in [
        "Newcombe paired score interval (method 10), McNemar test",
        "Newcombe paired score interval (method 10), exact McNemar test",
        "paired t-test",
        "tvt",
        "subgroups:household_type",
        "subgroups:employment",
    ] {
        assert!(seen.contains(m), "no row used {m}: {seen:?}");
    }
}

/// The randomized design (a copy of the shipped scenarios with `design = "randomized"`):
/// Fisher's exact test and the score test both occur, and the complier average causal effect.
#[test]
fn randomized_runs_agree_with_scipy() {
    if !python_ready() {
        return;
    }
    let seen = check_all(&[
        ("cautious-vs-standard.toml", true, 300),
        ("cautious-vs-standard.toml", true, 5_000),
        ("lab-replication.toml", true, 4_000),
        ("interventions.toml", true, 2_000),
        ("nl-2026.toml", true, 3_000),
    ]);
    for m in [
        "Newcombe hybrid score interval (method 10), pooled score test",
        "Newcombe hybrid score interval (method 10), Fisher exact test",
        "Welch t-test",
        "complier average causal effect (ITT / take-up), Fieller interval, Welch test of the ITT effect",
        "tvt",
        "subgroups:household_type",
        "subgroups:employment",
    ] {
        assert!(seen.contains(m), "no row used {m}: {seen:?}");
    }
}

/// The script is not vacuous: a changed interval bound is a disagreement (exit 1) and a run
/// without households.csv is bad input (exit 2).
#[test]
fn recompute_catches_a_changed_value_and_bad_input() {
    if !python_ready() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let sc = scenario(tmp.path(), "cautious-vs-standard.toml", false);
    let out = run(tmp.path(), &sc, 2_000, "changed");
    let path = out.join("summary.json");
    let mut v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let lo = v["comparisons"][0]["ci_low"].as_f64().unwrap();
    v["comparisons"][0]["ci_low"] = serde_json::json!(lo + 1e-5);
    std::fs::write(&path, serde_json::to_string(&v).unwrap()).unwrap();
    let (code, text) = recompute(&out);
    assert_eq!(code, 1, "{text}");
    assert!(
        text.contains("ci_low") && text.contains("disagreement"),
        "{text}"
    );

    std::fs::remove_file(out.join("households.csv")).unwrap();
    let (code, text) = recompute(&out);
    assert_eq!(code, 2, "{text}");
    assert!(text.contains("households.csv"), "{text}");
}
