//! `--lang nl`: the Dutch report.md and terminal headline (English unchanged).
//!
//! The report's own text (its sections up to and with the assumptions; the charts section after
//! it is the charts' text) is snapshotted in Dutch with its digits masked, so the snapshot reads
//! as the words and the number style (decimal comma, thousands point, `%-punt`) and does not move
//! with the simulation. A list of English words must be gone from it; the English run of the
//! same scenario is the same with and without `--lang en`, and the terminal output and
//! summary.json do not change with the language.

use crate::common;
use std::path::Path;

/// The shipped scenario, relative to the project root (the binary runs there), so the report
/// names it the same on every machine.
const SHIPPED: &str = "scenarios/cautious-vs-standard.toml";

/// English words that must not be left in the Dutch report's own text (whole words,
/// case-sensitive: the arm names `control` and `cautious` are user text and stay).
const ENGLISH: &[&str] = &[
    "reclaim",
    "reclaims",
    "household",
    "households",
    "advance",
    "advances",
    "back-payment",
    "Control",
    "control arm",
    "arm",
    "arms",
    "share",
    "withheld",
    "benefit",
    "recipient",
    "took",
    "mean",
    "median",
    "difference",
    "vs",
    "not estimable",
    "Headline",
    "Conclusion",
    "Assumptions",
    "Methods",
    "Per arm",
    "pp",
    "CI",
    "adjusted",
    "the",
    "and",
    "with",
];

/// report.md's own text: from the top to the end of the assumptions section (the next `## `
/// heading after it is the charts' or the public comparison's).
fn own_text(md: &str) -> String {
    let start = md
        .find("\n## Geldende aannames")
        .or_else(|| md.find("\n## Assumptions and approximations"))
        .expect("an assumptions section");
    let end = md[start + 1..]
        .find("\n## ")
        .map_or(md.len(), |i| start + 1 + i + 1);
    md[..end].to_string()
}

/// `text` with every run of digits as `#`, the scenario file's hash masked and the uncertain
/// parameters' lines left out (their values and sources are the parameter files' own text).
fn masked(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_digits = false;
    for line in text
        .lines()
        .filter(|l| !l.starts_with("- **Onzekere parameter**"))
    {
        let line = match line.find("(sha256 ") {
            Some(i) => format!("{}(sha256 …) |", &line[..i]),
            None => line.to_string(),
        };
        for c in line.chars() {
            if c.is_ascii_digit() {
                if !in_digits {
                    out.push('#');
                }
                in_digits = true;
            } else {
                out.push(c);
                in_digits = false;
            }
        }
        out.push('\n');
        in_digits = false;
    }
    out
}

/// The English words of [`ENGLISH`] left in `text`, outside code spans, the title and
/// description (user text) and the parameter lines (their sources are the parameter files'
/// own text).
fn english_left(text: &str) -> Vec<String> {
    let mut left = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if i < 3 || line.contains("**Onzekere parameter**") {
            continue;
        }
        // Drop `code` spans and "quoted" titles of English docs.
        let mut plain = String::new();
        for (k, part) in line.split('`').enumerate() {
            if k % 2 == 0 {
                plain.push_str(part);
                plain.push(' ');
            }
        }
        let plain = plain.replace("\"Selection into the offer\"", "");
        let words: Vec<&str> = plain
            .split(|c: char| !(c.is_alphanumeric() || c == '-'))
            .filter(|w| !w.is_empty())
            .collect();
        for e in ENGLISH {
            let e_words: Vec<&str> = e.split(' ').collect();
            if words
                .windows(e_words.len())
                .any(|w| w == e_words.as_slice())
            {
                left.push(format!("{e:?} in line {}: {line}", i + 1));
            }
        }
    }
    left
}

fn read(dir: &Path, name: &str) -> String {
    std::fs::read_to_string(dir.join(name)).unwrap()
}

/// The terminal output of a run without its last line (where and how long).
fn terminal(scenario: &Path, out: &Path, extra: &[&str]) -> String {
    let mut c = common::bin();
    c.arg("run").arg(scenario).arg("--out").arg(out).args(extra);
    let o = c.assert().success().get_output().stdout.clone();
    let text = String::from_utf8(o).unwrap();
    text.lines()
        .filter(|l| !l.starts_with("wrote "))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn dutch_report_of_the_shipped_scenario() {
    let tmp = tempfile::tempdir().unwrap();
    let (nl, en, en2) = (
        tmp.path().join("nl"),
        tmp.path().join("en"),
        tmp.path().join("en2"),
    );
    let s = Path::new(SHIPPED);
    let t_nl = terminal(s, &nl, &["--households", "3000", "--lang", "nl"]);
    let t_en = terminal(s, &en, &["--households", "3000"]);
    common::run_to(s, &en2, &["--households", "3000", "--lang", "en"]);

    // The terminal and summary.json do not change with the language; English is the default.
    assert_eq!(t_nl, t_en);
    assert!(t_en.contains("benefit year 2026") && t_en.contains("reclaim share"));
    assert_eq!(read(&nl, "summary.json"), read(&en, "summary.json"));
    assert_eq!(read(&en, "report.md"), read(&en2, "report.md"));

    let md_en = read(&en, "report.md");
    for sentence in [
        "## Headline: each arm against control",
        "| arm | metric | control | arm | difference | 95% CI | p-value | adjusted p |",
        "| households | 3,000 |",
        "| recipient households (counted below) | 2,456 | 2,456 |",
        "(primary comparison): the share of recipient households with a reclaim falls from",
        "## Assumptions and approximations in force",
    ] {
        assert!(md_en.contains(sentence), "English report lost {sentence:?}");
    }

    let md = read(&nl, "report.md");
    let own = own_text(&md);
    let left = english_left(&own);
    assert!(
        left.is_empty(),
        "English left in the Dutch report:\n{}",
        left.join("\n")
    );
    for dutch in [
        "## Kerncijfers: elke variant tegenover de controlegroep",
        "| huishoudens | 3.000 |",
        "(primaire vergelijking): het aandeel met een terugvordering onder huishoudens met toeslag daalt van",
        "%-punt tot ",
        "## Geldende aannames en benaderingen",
    ] {
        assert!(own.contains(dutch), "Dutch report lacks {dutch:?}");
    }
    insta::assert_snapshot!("dutch_report_cautious_vs_standard", masked(&own));
}

#[test]
fn dutch_report_of_a_randomized_design() {
    let tmp = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(common::root().join(SHIPPED))
        .unwrap()
        .replace("design = \"paired\"", "design = \"randomized\"");
    assert!(text.contains("design = \"randomized\""));
    let s = common::scenario(tmp.path(), "randomized.toml", &text);
    let (nl, en) = (tmp.path().join("nl"), tmp.path().join("en"));
    common::run_to(&s, &nl, &["--households", "3000", "--lang", "nl"]);
    common::run_to(&s, &en, &["--households", "3000"]);
    assert_eq!(read(&nl, "summary.json"), read(&en, "summary.json"));
    let md_en = read(&en, "report.md");
    assert!(md_en.contains("Complier average causal effect (randomized design)"));
    assert!(md_en.contains("Not available in the randomized design"));

    let own = own_text(&read(&nl, "report.md"));
    let left = english_left(&own);
    assert!(
        left.is_empty(),
        "English left in the Dutch report:\n{}",
        left.join("\n")
    );
    for dutch in [
        "| ontwerp | gerandomiseerd (elk huishouden ingedeeld bij één variant; vergelijkingen tussen groepen) |",
        "Niet beschikbaar in het gerandomiseerde ontwerp",
        "Gemiddeld causaal effect bij wie het aanbod aanneemt",
        "t-toets van Welch",
        "hybride score-interval van Newcombe",
    ] {
        assert!(own.contains(dutch), "Dutch report lacks {dutch:?}");
    }
}

#[test]
fn the_word_check_catches_english() {
    let english = "# t\n\nd\n\n- **cautious**: the share of recipient households with a reclaim falls (`households`).\n| arm | verschil |";
    let left = english_left(english);
    assert!(left.iter().any(|l| l.starts_with("\"reclaim\"")));
    assert!(left.iter().any(|l| l.starts_with("\"arm\"")));
    assert!(english_left("# t\n\nd\n\n`households` en \"Selection into the offer\"").is_empty());
    assert_eq!(masked("a 12,5% b 3.000\n"), "a #,#% b #.#\n");
}

#[test]
fn dutch_assumptions_of_interventions_and_error_distributions() {
    // The national scenario with every intervention and every error-distribution shock: its
    // assumption lines (written by output::report::assumptions) are Dutch in Dutch and the
    // same English sentences in English.
    let tmp = tempfile::tempdir().unwrap();
    let (nl, en) = (tmp.path().join("nl"), tmp.path().join("en"));
    let s = common::root().join("scenarios/nl-2026-interventions.toml");
    common::run_to(&s, &nl, &["--households", "1500", "--lang", "nl"]);
    common::run_to(&s, &en, &["--households", "1500"]);
    let section = |md: &str, from: &str| -> String {
        let start = md.find(from).unwrap_or_else(|| panic!("no {from:?}"));
        md[start..].split("\n## ").next().unwrap().to_string()
    };
    let md_en = read(&en, "report.md");
    let en_part = section(&md_en, "## Assumptions and approximations in force");
    for s in [
        "- Attention letter (`letters`): sent in month 3",
        "- Mutation (`mutation`, `cautious-mutation`): runs in months [4, 6, 8, 10];",
        "- Employment (assumption): shares employee/flex/self-employed [0.78, 0.14, 0.08];",
        "- Error distribution (`assets_above_estimate`): 1 January assets turn out higher than estimated by lognormal(median 25000, sigma 1) euros",
    ] {
        assert!(en_part.contains(s), "English lost {s:?}");
    }
    let md_nl = read(&nl, "report.md");
    let nl_part = section(&md_nl, "## Geldende aannames en benaderingen");
    for s in [
        "- Attentiebrief (`letters`): verstuurd in maand 3",
        "- Mutatie (`mutation`, `cautious-mutation`): in de maanden [4; 6; 8; 10];",
        "- Arbeidsvorm (aanname): aandelen werknemer/flex/zelfstandige [0,78; 0,14; 0,08];",
        "- Foutenverdeling (`assets_above_estimate`): het vermogen op 1 januari blijkt lognormaal(mediaan 25000, sigma 1) euro hoger",
        "- Persoonlijke begeleiding (`guidance`):",
    ] {
        assert!(nl_part.contains(s), "Dutch lacks {s:?}");
    }
    for english in [
        "Error distribution",
        "Mutation (",
        "Attention letter",
        "Personal guidance",
        "reported with",
        "households with",
    ] {
        assert!(
            !nl_part.contains(english),
            "English {english:?} in the Dutch assumptions"
        );
    }
}
