//! Runs every reference case in `tests/cases/*.toml` through the household calculator and
//! reports each failing case by file name with expected vs actual (see tests/cases/README.md).

use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;
use toeslagenlab::calc::{compute, resolve_file, HouseholdFile};
use toeslagenlab::rules::Benefit;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    #[allow(dead_code)]
    description: String,
    source: String,
    source_kind: String,
    household: HouseholdFile,
    expected: BTreeMap<String, Expected>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Expected {
    annual: Option<i64>,
    monthly: Option<i64>,
    #[serde(default)]
    tolerance: i64,
}

fn check(path: &Path) -> Result<usize, String> {
    let text = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
    let case: Case = toml::from_str(&text).map_err(|e| e.to_string())?;
    if !["published", "hand"].contains(&case.source_kind.as_str()) {
        return Err(format!(
            "source_kind `{}`: use published or hand",
            case.source_kind
        ));
    }
    if case.source.len() < 20 {
        return Err("say where the expected value comes from in `source`".into());
    }
    if case.expected.is_empty() {
        return Err("no [expected.<benefit>] table".into());
    }
    let h = resolve_file(path, &text, &case.household, None).map_err(|e| e.to_string())?;
    let r = compute(&h).map_err(|e| e.to_string())?;
    let mut problems = Vec::new();
    let mut checked = 0;
    for (name, exp) in &case.expected {
        let b = Benefit::parse(name)?;
        let got = r.get(b);
        for (what, want, actual) in [
            ("annual", exp.annual, got.annual.whole_euros()),
            ("monthly", exp.monthly, got.monthly.whole_euros()),
        ] {
            if let Some(want) = want {
                checked += 1;
                if (actual - want).abs() > exp.tolerance {
                    problems.push(format!(
                        "{name} {what}: expected {want} (± {}), actual {actual}",
                        exp.tolerance
                    ));
                }
            }
        }
    }
    if problems.is_empty() {
        Ok(checked)
    } else {
        Err(problems.join("; "))
    }
}

#[test]
fn every_reference_case_holds() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    assert!(files.len() >= 20, "expected the shipped reference cases");
    let mut failures = Vec::new();
    let mut checks = 0;
    for f in &files {
        match check(f) {
            Ok(n) => checks += n,
            Err(e) => failures.push(format!("{}: {e}", f.file_name().unwrap().to_string_lossy())),
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} reference cases failed:\n{}",
        failures.len(),
        files.len(),
        failures.join("\n")
    );
    assert!(checks >= files.len());
}
