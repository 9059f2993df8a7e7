//! `--lang nl`: the Dutch sweep, uncertainty and multi-year reports (English unchanged).
//!
//! Each test runs a shipped scenario small, once in Dutch and once in English, and checks the
//! part of report.md that `output::sweep`, `output::uncertainty`, `output::horizon` and
//! `output::calibration` write: a Dutch snapshot, no English words left in it, and the English
//! text against a snapshot made before the translation (so English is byte-identical). Metric
//! labels come from `output::report::metric_label` (translated elsewhere): the Dutch snapshots
//! show them as `⟨metric key⟩`, so they do not depend on that translation.

use crate::common::{self, bin};
use std::path::Path;

/// Words of the English report that must not be left in the Dutch text (case-sensitive, so
/// the arm names `control` and `cautious` stay allowed).
const ENGLISH: [&str; 24] = [
    "reclaim",
    "Reclaim",
    "household",
    "advance",
    "back-payment",
    "Control ",
    " control group",
    " draws",
    "assumption",
    "share",
    "Every ",
    "The ",
    " the ",
    " and ",
    " with ",
    " vs ",
    "debt",
    "year",
    "figure",
    "public",
    "n/a",
    " to ",
    " test",
    "paired",
];

/// The text outside code spans (keys, file names, commands in backticks are not translated),
/// quotes (the English headings of the docs a sentence points to) and `⟨metric⟩` placeholders.
fn outside_code(text: &str) -> String {
    let plain: String = text.split('`').step_by(2).collect::<Vec<_>>().join(" ");
    let plain: String = plain.split('"').step_by(2).collect::<Vec<_>>().join(" ");
    plain
        .split('⟨')
        .map(|part| part.split_once('⟩').map_or(part, |(_, rest)| rest))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Fails with the offending lines when an English word is left in `text` (outside code spans).
fn assert_no_english(what: &str, text: &str) {
    let mut left = Vec::new();
    for line in text.lines() {
        let plain = outside_code(line);
        for w in ENGLISH {
            if plain.contains(w) {
                left.push(format!("{w:?} in: {line}"));
            }
        }
    }
    assert!(
        left.is_empty(),
        "{what}: English left:\n{}",
        left.join("\n")
    );
}

/// `text` from the line starting with `start` up to (not including) the next line starting with
/// `## ` (a level-2 heading of another section), or the end.
fn section(text: &str, start: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let i = lines
        .iter()
        .position(|l| l.starts_with(start))
        .unwrap_or_else(|| panic!("no line starting with {start:?} in:\n{text}"));
    let mut out = vec![lines[i]];
    out.extend(lines[i + 1..].iter().take_while(|l| !l.starts_with("## ")));
    out.join("\n") + "\n"
}

/// `text` up to and including the first line containing `end`.
fn until(text: &str, end: &str) -> String {
    let i = text
        .find(end)
        .unwrap_or_else(|| panic!("no {end:?} in:\n{text}"));
    let j = text[i..].find('\n').map_or(text.len(), |j| i + j + 1);
    text[..j].to_string()
}

fn report(out: &Path) -> String {
    std::fs::read_to_string(out.join("report.md")).unwrap()
}

fn sweep(out: &Path, extra: &[&str]) -> String {
    bin()
        .args(["sweep", "scenarios/sweep-cautious-fraction.toml", "--quiet"])
        .args(["--households", "600", "--out"])
        .arg(out)
        .args(extra)
        .assert()
        .success();
    report(out)
}

/// The sweep's own text: report.md before the charts section.
fn sweep_text(md: &str) -> String {
    until(md, "`sweep.csv`.")
}

#[test]
fn a_sweep_report_in_dutch() {
    let tmp = tempfile::tempdir().unwrap();
    let nl = sweep_text(&sweep(&tmp.path().join("nl"), &["--lang", "nl"]));
    let en = sweep(&tmp.path().join("en"), &[]);
    assert_eq!(en, sweep(&tmp.path().join("en2"), &["--lang", "en"]));
    insta::assert_snapshot!("sweep_en", sweep_text(&en));
    assert!(
        nl.starts_with("# Parameterreeks: `arms.cautious.fraction`"),
        "{nl}"
    );
    assert!(nl.contains("600 huishoudens per rasterpunt"), "{nl}");
    assert!(
        nl.contains("| 0,75 |"),
        "decimal comma in the grid values:\n{nl}"
    );
    assert_no_english("sweep", &nl);
    insta::assert_snapshot!("sweep_nl", nl);
}

/// Replaces the metric label of every `## <arm> tegenover <control>: <label> (verschil)`
/// heading of a two-way sweep with `⟨key⟩`.
fn redact_heading_label(md: &str, key: &str) -> String {
    md.lines()
        .map(
            |l| match (l.starts_with("## "), l.find(": "), l.rfind(" (")) {
                (true, Some(a), Some(b)) if a < b => format!("{}: ⟨{key}⟩{}", &l[..a], &l[b..]),
                _ => l.to_string(),
            },
        )
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

#[test]
fn a_two_way_sweep_report_in_dutch() {
    let tmp = tempfile::tempdir().unwrap();
    let grid = [
        "--param",
        "arms.cautious.fraction=0.8:1.0:0.1",
        "--by",
        "arms.cautious.takeup=0.5:1.0:0.5",
    ];
    let nl_args: Vec<&str> = grid.iter().copied().chain(["--lang", "nl"]).collect();
    let nl = sweep_text(&sweep(&tmp.path().join("nl"), &nl_args));
    let en = sweep(&tmp.path().join("en"), &grid);
    insta::assert_snapshot!("sweep2_en", sweep_text(&en));
    let nl = redact_heading_label(&nl, "reclaim_share");
    assert!(
        nl.contains("## cautious tegenover control: ⟨reclaim_share⟩ (verschil)"),
        "{nl}"
    );
    assert!(nl.contains("%-punt"), "{nl}");
    assert_no_english("two-way sweep", &nl);
    insta::assert_snapshot!("sweep2_nl", nl);
}

fn uncertainty(out: &Path, extra: &[&str]) -> (String, serde_json::Value) {
    bin()
        .args([
            "uncertainty",
            "scenarios/cautious-vs-standard.toml",
            "--quiet",
        ])
        .args(["--draws", "16", "--households", "600", "--out"])
        .arg(out)
        .args(extra)
        .assert()
        .success();
    let u = std::fs::read_to_string(out.join("uncertainty.json")).unwrap();
    (report(out), serde_json::from_str(&u).unwrap())
}

/// The program version (in the report's first line) as `[version]`.
fn redact_version(md: &str) -> String {
    md.replace(
        &format!("toeslagenlab {} ·", env!("CARGO_PKG_VERSION")),
        "toeslagenlab [version] ·",
    )
}

/// Replaces every metric label in an uncertainty report with `⟨key⟩`: the labels are read from
/// the metric column of the table of every comparison (its rows in uncertainty.json's order).
fn redact_metric_labels(md: &str, u: &serde_json::Value) -> String {
    let table = section(md, "## Alle vergelijkingen met de controlegroep");
    let rows: Vec<&str> = table
        .lines()
        .filter(|l| l.starts_with("| ") && !l.starts_with("| variant") && !l.starts_with("| ---"))
        .collect();
    let comps = u["comparisons"].as_array().unwrap();
    assert_eq!(rows.len(), comps.len(), "{table}");
    let mut labels: Vec<(String, String)> = rows
        .iter()
        .zip(comps)
        .map(|(r, c)| {
            let cell = r.split(" | ").nth(1).unwrap().to_string();
            (cell, c["metric"].as_str().unwrap().to_string())
        })
        .collect();
    // Longest first: a label may begin with another one.
    labels.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then(a.0.cmp(&b.0)));
    labels.dedup();
    let mut out = md.to_string();
    for (label, key) in labels {
        for l in [label.clone(), label.to_lowercase()] {
            out = out.replace(&l, &format!("⟨{key}⟩"));
        }
    }
    out
}

#[test]
fn an_uncertainty_report_in_dutch() {
    let tmp = tempfile::tempdir().unwrap();
    let (nl, u) = uncertainty(&tmp.path().join("nl"), &["--lang", "nl"]);
    let (en, _) = uncertainty(&tmp.path().join("en"), &[]);
    insta::assert_snapshot!("uncertainty_en", redact_version(&en));
    let nl = redact_metric_labels(&redact_version(&nl), &u);
    assert!(
        nl.starts_with("# Hoe zeker zijn we: cautious-vs-standard"),
        "{nl}"
    );
    for s in [
        "## In het kort",
        "## De getrokken aannames",
        "## Alle vergelijkingen met de controlegroep",
        "## Hoe dit is berekend",
        "huishoudens per run",
        "uniform 0,6 tot 0,76",
    ] {
        assert!(nl.contains(s), "{s:?} missing:\n{nl}");
    }
    // User text stays as written: the scenario's description and each assumption's source
    // (the last cell of the assumptions table).
    let description = "Cautious advance (80%) offered to every household";
    assert!(nl.contains(description));
    let checked: String = nl
        .lines()
        .filter(|l| !l.starts_with(description))
        .map(|l| match l.strip_prefix("| `") {
            Some(_) => l[..l.trim_end_matches(" |").rfind(" | ").unwrap()].to_string(),
            None => l.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n");
    assert_no_english("uncertainty", &checked);
    insta::assert_snapshot!("uncertainty_nl", nl);
}

#[test]
fn the_multi_year_section_in_dutch() {
    let tmp = tempfile::tempdir().unwrap();
    let sc = Path::new("scenarios/multi-year.toml");
    let (nl_dir, en_dir) = (tmp.path().join("nl"), tmp.path().join("en"));
    common::run_to(sc, &nl_dir, &["--households", "600", "--lang", "nl"]);
    common::run_to(sc, &en_dir, &["--households", "600"]);
    insta::assert_snapshot!(
        "horizon_en",
        section(&report(&en_dir), "## Beyond one year")
    );
    let nl = section(&report(&nl_dir), "## Verder dan één jaar: 2024–2026");
    for s in [
        "### Per toeslagjaar",
        "### Schulden over de horizon",
        "### Elke variant tegenover de controlegroep over de horizon",
        "%-punt",
    ] {
        assert!(nl.contains(s), "{s:?} missing:\n{nl}");
    }
    assert_no_english("multi-year", &nl);
    insta::assert_snapshot!("horizon_nl", nl);
}

#[test]
fn the_public_figures_section_in_dutch() {
    let tmp = tempfile::tempdir().unwrap();
    let sc = Path::new("scenarios/nl-2026.toml");
    let (nl_dir, en_dir) = (tmp.path().join("nl"), tmp.path().join("en"));
    common::run_to(sc, &nl_dir, &["--households", "1500", "--lang", "nl"]);
    common::run_to(sc, &en_dir, &["--households", "1500"]);
    let en = report(&en_dir);
    insta::assert_snapshot!(
        "public_en",
        until(
            &en[en.find("\n## Against the public figures").unwrap()..],
            "docs/calibration.md"
        )
    );
    let md = report(&nl_dir);
    let nl = until(
        &md[md
            .find("\n## Vergeleken met de openbare cijfers")
            .expect("the Dutch heading")..],
        "docs/calibration.md",
    );
    for s in [
        "| cijfer | gesimuleerd | openbaar | gesimuleerd − openbaar | bron |",
        "Per toeslag (gesimuleerd):",
        "| kindgebonden budget |",
        "Opgeschaald naar 5,4 mln. huishoudens",
    ] {
        assert!(nl.contains(s), "{s:?} missing:\n{nl}");
    }
    assert_no_english("public figures", &nl);
    insta::assert_snapshot!("public_nl", nl);
}

/// What `args` prints on stdout, without the lines naming the output directory or timings.
fn terminal(args: &[&str], out: &Path, lang: &str) -> String {
    let o = bin()
        .args(args)
        .args(["--households", "300", "--lang", lang, "--out"])
        .arg(out)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8(o.stdout)
        .unwrap()
        .lines()
        .filter(|l| !l.starts_with("wrote ") && !l.contains(" runs in "))
        .map(|l| format!("{l}\n"))
        .collect()
}

#[test]
fn the_terminal_stays_english() {
    let tmp = tempfile::tempdir().unwrap();
    let sweep2 = [
        "sweep",
        "scenarios/sweep-cautious-fraction.toml",
        "--param",
        "arms.cautious.fraction=0.8:1.0:0.1",
        "--by",
        "arms.cautious.takeup=0.5:1.0:0.5",
    ];
    let unc = [
        "uncertainty",
        "scenarios/cautious-vs-standard.toml",
        "--draws",
        "16",
    ];
    for (i, args) in [&sweep2[..], &unc[..]].into_iter().enumerate() {
        let en = terminal(args, &tmp.path().join(format!("en{i}")), "en");
        let nl = terminal(args, &tmp.path().join(format!("nl{i}")), "nl");
        assert!(en.contains(" pp"), "{en}");
        assert_eq!(nl, en, "{args:?}");
    }
}
