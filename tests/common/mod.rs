//! Shared helpers for the integration tests: run the real binary on real files.
#![allow(dead_code)]

use assert_cmd::Command;
use std::path::{Path, PathBuf};

/// The project root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A command for the binary, run from the project root.
pub fn bin() -> Command {
    let mut c = Command::cargo_bin("toeslagenlab").unwrap();
    c.current_dir(root());
    c
}

/// Writes `text` as a scenario file in `dir` and returns its path.
pub fn scenario(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

/// A small valid scenario with a cautious arm.
pub const SMALL: &str = r#"
[experiment]
name = "small"
year = 2026
households = 3000
seed = 42

[[arms]]
name = "control"
advance = { policy = "standard" }

[[arms]]
name = "cautious"
advance = { policy = "cautious", fraction = 0.80 }
takeup = 0.68

[[arms]]
name = "adjustable"
advance = { policy = "adjustable" }
takeup = 0.68
"#;

/// Runs a scenario into `out` and returns the parsed summary.json.
pub fn run_to(scenario: &Path, out: &Path, extra: &[&str]) -> serde_json::Value {
    let mut c = bin();
    c.arg("run")
        .arg(scenario)
        .arg("--out")
        .arg(out)
        .arg("--quiet");
    c.args(extra);
    c.assert().success();
    let text = std::fs::read_to_string(out.join("summary.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

/// A households.csv money cell (euros with two decimals) as integer cents.
pub fn cents(s: &str) -> i64 {
    let (e, c) = s.split_once('.').expect("euros with two decimals");
    let v = e.trim_start_matches('-').parse::<i64>().unwrap() * 100 + c.parse::<i64>().unwrap();
    if e.starts_with('-') {
        -v
    } else {
        v
    }
}

/// Whether `python3 -c "import <modules>"` works. When it does not, the test is skipped with a
/// `skipped: …` line on stderr, unless the environment variable `require` is `1` (CI), which
/// makes it a failure. `what` names the libraries and how to install them.
pub fn python_has(modules: &str, require: &str, what: &str) -> bool {
    let ok = std::process::Command::new("python3")
        .args(["-c", &format!("import {modules}")])
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false);
    if !ok {
        let msg = format!("python3 with {what} is not available");
        if std::env::var(require).as_deref() == Ok("1") {
            panic!("{require}=1 but {msg}");
        }
        eprintln!("skipped: {msg}");
    }
    ok
}

/// Every file under `dir` with its bytes.
pub fn tree(dir: &Path) -> std::collections::BTreeMap<PathBuf, Vec<u8>> {
    let mut out = std::collections::BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.insert(
                    p.strip_prefix(dir).unwrap().to_path_buf(),
                    std::fs::read(&p).unwrap(),
                );
            }
        }
    }
    out
}
