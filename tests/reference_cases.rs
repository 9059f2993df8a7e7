//! Runs every reference case in `tests/cases/*.toml` through the household calculator and
//! reports each failing case by file name with expected vs actual (see tests/cases/README.md).

use std::path::Path;
use toeslagenlab::calc::{check_expected, compute, parse_case, resolve_file};

fn check(path: &Path) -> Result<usize, String> {
    let text = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
    // The same reader as `calc --household CASE`.
    let case = parse_case(path, &text).map_err(|e| e.to_string())?;
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
    let checks = check_expected(&r, &case.expected);
    let problems: Vec<String> = checks
        .iter()
        .filter(|k| !k.holds())
        .map(|k| match k.actual {
            Some(a) => format!(
                "{} {}: expected {} (± {}), actual {a}",
                k.benefit, k.what, k.expected, k.tolerance
            ),
            None => format!("unknown benefit `{}`", k.benefit),
        })
        .collect();
    if problems.is_empty() {
        Ok(checks.len())
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
