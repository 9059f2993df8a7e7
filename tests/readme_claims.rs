//! What README.md and docs/cli.md claim, checked against the program (issue 25): every file
//! they name exists, every command they show exists with every flag they give it, and every
//! summary.json key, households.csv column and uncertainty.json key the README lists is
//! really written.

use crate::common;
use common::*;
use std::collections::BTreeSet;

fn readme() -> String {
    std::fs::read_to_string(root().join("README.md")).unwrap()
}

/// The text inside backticks in `s`.
fn backticked(s: &str) -> Vec<&str> {
    s.split('`')
        .enumerate()
        .filter(|(i, _)| i % 2 == 1)
        .map(|(_, x)| x)
        .collect()
}

/// The lower-case identifiers (`reclaim_share`) in `s`, skipping `<placeholders>`.
fn identifiers(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut in_angle = false;
    let mut cur = String::new();
    for ch in s.chars() {
        match ch {
            '<' => in_angle = true,
            '>' => in_angle = false,
            c if !in_angle && (c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_') => {
                cur.push(c)
            }
            _ => {
                if !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                }
                continue;
            }
        }
        if in_angle && !cur.is_empty() {
            cur.clear();
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out.into_iter()
        .filter(|w| w.chars().next().is_some_and(|c| c.is_ascii_lowercase()))
        .collect()
}

fn keys_of(v: &serde_json::Value, out: &mut BTreeSet<String>) {
    match v {
        serde_json::Value::Object(m) => {
            for (k, x) in m {
                out.insert(k.clone());
                keys_of(x, out);
            }
        }
        serde_json::Value::Array(a) => a.iter().for_each(|x| keys_of(x, out)),
        _ => {}
    }
}

/// The README's Outputs row for `file` (the table line starting with it).
fn outputs_row(text: &str, file: &str) -> String {
    text.lines()
        .find(|l| l.starts_with(&format!("| `{file}` |")))
        .unwrap_or_else(|| panic!("README has no Outputs row for {file}"))
        .to_string()
}

#[test]
fn every_file_the_docs_name_exists() {
    for doc in [
        "README.md",
        "docs/cli.md",
        "docs/uncertainty.md",
        "docs/architecture.md",
    ] {
        let text = std::fs::read_to_string(root().join(doc)).unwrap();
        let mut missing = Vec::new();
        for word in text.split(|c: char| c.is_whitespace() || "`()[]|,;:\"'".contains(c)) {
            let w = word.trim_end_matches('.');
            let named = [
                "scenarios/",
                "docs/",
                "examples/",
                "tests/",
                "src/",
                "parameters/",
            ]
            .iter()
            .any(|p| w.starts_with(p));
            let file = [".toml", ".md", ".rs", ".json", ".py"]
                .iter()
                .any(|e| w.ends_with(e));
            let placeholder = w.contains('<')
                || w.contains('*')
                || w.contains("my-pilot")
                || w.chars().any(|c| c.is_ascii_uppercase());
            if named && file && !placeholder && !root().join(w).exists() {
                missing.push(w.to_string());
            }
        }
        assert!(
            missing.is_empty(),
            "{doc} names files that do not exist: {missing:?}"
        );
    }
}

#[test]
fn every_command_and_flag_the_readme_shows_exists() {
    let text = readme() + &std::fs::read_to_string(root().join("docs/cli.md")).unwrap();
    let mut in_code = false;
    let mut checked = 0;
    for line in text.lines() {
        if line.trim_start().starts_with("```") {
            in_code = !in_code;
            continue;
        }
        if !in_code {
            continue;
        }
        let line = line.split('#').next().unwrap_or("");
        let rest = [
            "toeslagenlab ",
            "tl ",
            "cargo run --release -- ",
            "cargo run --release --quiet -- ",
        ]
        .iter()
        .find_map(|p| line.trim_start().strip_prefix(p));
        let Some(rest) = rest else { continue };
        let mut words = rest.split_whitespace();
        let Some(cmd) = words.next() else { continue };
        if cmd.starts_with('-') || cmd.starts_with('[') || cmd == "=" {
            continue;
        }
        let help = bin().args([cmd, "--help"]).output().unwrap();
        assert!(
            help.status.success(),
            "the docs show `{cmd}`, which is not a command: {line}"
        );
        let help = String::from_utf8_lossy(&help.stdout).to_string();
        for w in words {
            let flag = w
                .trim_start_matches('[')
                .split(['=', ']'])
                .next()
                .unwrap_or("");
            if flag.starts_with("--") && flag.len() > 2 {
                assert!(
                    help.contains(flag),
                    "the docs give `{cmd}` the flag {flag}, which its --help does not list: {line}"
                );
            }
        }
        checked += 1;
    }
    assert!(checked > 20, "only {checked} command lines found");
}

#[test]
fn the_keys_and_columns_the_readme_lists_are_written() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("r");
    bin()
        .args([
            "run",
            "scenarios/lab-replication.toml",
            "--households",
            "3000",
        ])
        .args([
            "--replications",
            "2",
            "--households-csv",
            "--quiet",
            "--out",
        ])
        .arg(&out)
        .assert()
        .success();
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap()).unwrap();
    let mut keys = BTreeSet::new();
    keys_of(&summary, &mut keys);
    let text = readme();
    let row = outputs_row(&text, "summary.json");
    let mut missing = Vec::new();
    for b in backticked(&row).into_iter().skip(1) {
        for w in identifiers(b) {
            if !keys.contains(&w) {
                missing.push(w);
            }
        }
    }
    assert!(
        missing.is_empty(),
        "README lists summary.json keys a run does not write: {missing:?}"
    );

    let header = std::fs::read_to_string(out.join("households.csv")).unwrap();
    let columns: BTreeSet<&str> = header.lines().next().unwrap().split(',').collect();
    let row = outputs_row(&text, "households.csv");
    for b in backticked(&row).into_iter().skip(1) {
        for col in b.split(", ") {
            if col.contains('<') {
                let prefix = col.split('<').next().unwrap();
                assert!(
                    columns.iter().any(|c| c.starts_with(prefix)),
                    "no households.csv column starts with {prefix}"
                );
            } else if col.chars().all(|c| c.is_ascii_lowercase() || c == '_') {
                assert!(
                    columns.contains(col),
                    "README lists households.csv column {col}"
                );
            }
        }
    }
}

#[test]
fn the_uncertainty_keys_the_readme_lists_are_written() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("u");
    bin()
        .args([
            "uncertainty",
            "scenarios/cautious-vs-standard.toml",
            "--households",
            "2000",
        ])
        .args(["--draws", "20", "--quiet", "--out"])
        .arg(&out)
        .assert()
        .success();
    let u: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("uncertainty.json")).unwrap())
            .unwrap();
    let mut keys = BTreeSet::new();
    keys_of(&u, &mut keys);
    let text = readme();
    let para = text
        .split("\n\n")
        .find(|p| p.starts_with("`uncertainty` writes `uncertainty.json`"))
        .expect("README paragraph on uncertainty's files");
    let inner = para
        .split("(per comparison: ")
        .nth(1)
        .unwrap()
        .split(')')
        .next()
        .unwrap();
    for w in identifiers(inner) {
        assert!(keys.contains(&w), "README lists uncertainty.json key {w}");
    }
    for f in [
        "uncertainty.json",
        "report.md",
        "manifest.json",
        "charts/sensitivity_cautious.png",
    ] {
        assert!(out.join(f).is_file(), "{f}");
    }
}
