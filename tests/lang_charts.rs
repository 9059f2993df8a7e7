//! `--lang nl`: the Dutch charts (English unchanged).
//!
//! One shipped scenario run in English and in Dutch: the chart data (charts/*.csv) is the same
//! bytes in both, the drawings carry the Dutch words and none of the English ones, the report's
//! chart section is Dutch, and `plot` redraws a run in the language asked for (`--lang`) or
//! the one it was written in.

use crate::common;
use common::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The charts of `cautious-vs-standard` with their English and Dutch titles.
const TITLES: [(&str, &str, &str); 7] = [
    (
        "settlement_distribution",
        "Net settlement at the definitive award, per arm",
        "Saldo bij de definitieve toekenning, per variant",
    ),
    (
        "reclaim_shares",
        "Households with a reclaim, per arm",
        "Huishoudens met een terugvordering, per variant",
    ),
    (
        "advance_vs_entitlement",
        "Advance paid minus entitlement, accumulated through the year",
        "Betaald voorschot min recht op toeslag, opgeteld over het jaar",
    ),
    (
        "reclaim_share_by_type",
        "Households with a reclaim, by household type",
        "Huishoudens met een terugvordering, per huishoudtype",
    ),
    (
        "effect_by_decile",
        "Effect on the share with a reclaim, by income decile",
        "Effect op het aandeel met een terugvordering, per inkomensdeciel",
    ),
    (
        "winners_losers",
        "Better or worse off in cash, by income decile",
        "Erop vooruit of achteruit in geld, per inkomensdeciel",
    ),
    (
        "power_curve",
        "Power of a randomized pilot to detect the simulated effect on the reclaim share",
        "Onderscheidend vermogen van een pilot voor het effect op terugvorderingen",
    ),
];

/// English words none of the Dutch drawings may show (whole words, any case). The arm names
/// (`control`, `cautious`) are user text and stay as written.
const ENGLISH: &[&str] = &[
    "reclaim",
    "reclaims",
    "household",
    "households",
    "advance",
    "advances",
    "back-payment",
    "entitlement",
    "settlement",
    "share",
    "arm",
    "arms",
    "month",
    "income",
    "decile",
    "power",
    "beyond",
    "better",
    "worse",
    "same",
    "any",
    "with",
    "the",
    "difference",
    "single",
    "couple",
    "parent",
    "children",
    "all",
    "Mar",
    "May",
    "Oct",
];

/// The two runs, made once for the tests of this file (in cargo's temporary directory for
/// integration tests, replaced on every test run).
struct Runs {
    en: PathBuf,
    nl: PathBuf,
}

fn runs() -> &'static Runs {
    static RUNS: std::sync::OnceLock<Runs> = std::sync::OnceLock::new();
    RUNS.get_or_init(|| {
        let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("lang_charts");
        let _ = std::fs::remove_dir_all(&dir);
        let sc = root().join("scenarios/cautious-vs-standard.toml");
        let (en, nl) = (dir.join("en"), dir.join("nl"));
        run_to(&sc, &en, &["--households", "3000"]);
        run_to(&sc, &nl, &["--households", "3000", "--lang", "nl"]);
        Runs { en, nl }
    })
}

/// The files of `dir/charts` with the extension `ext`, by name.
fn charts(dir: &Path, ext: &str) -> BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(dir.join("charts"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == ext))
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read(&p).unwrap())
        })
        .collect()
}

/// The text an SVG draws: every `<text>` element's content, unescaped, one per line.
fn svg_texts(svg: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = svg;
    while let Some(i) = rest.find("<text") {
        rest = &rest[i..];
        let Some(open) = rest.find('>') else { break };
        let Some(close) = rest.find("</text>") else {
            break;
        };
        let inner = rest[open + 1..close].trim();
        out.push(
            inner
                .replace("&apos;", "'")
                .replace("&quot;", "\"")
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&amp;", "&"),
        );
        rest = &rest[close + 7..];
    }
    out
}

/// The English words of `ENGLISH` in `text` (whole words; `-` belongs to a word).
fn english_words(text: &str) -> Vec<String> {
    text.split(|c: char| !(c.is_alphanumeric() || c == '-'))
        .filter(|w| {
            ENGLISH.iter().any(|e| {
                if e.chars().next().is_some_and(char::is_uppercase) {
                    w == e // a month: only as written ("mar" is no English word here)
                } else {
                    w.eq_ignore_ascii_case(e)
                }
            })
        })
        .map(str::to_string)
        .collect()
}

/// The `## ` section of `md` that starts with `heading`, up to the next `## ` heading.
fn section<'a>(md: &'a str, heading: &str) -> &'a str {
    let start = md
        .find(&format!("\n{heading}\n"))
        .unwrap_or_else(|| panic!("no `{heading}` in report.md"));
    let body = &md[start + 1..];
    let end = body[3..].find("\n## ").map_or(body.len(), |e| e + 4);
    &body[..end]
}

#[test]
fn dutch_charts_have_the_same_data_and_dutch_words() {
    let r = runs();
    // The chart data is the same bytes in both languages, file for file.
    let (csv_en, csv_nl) = (charts(&r.en, "csv"), charts(&r.nl, "csv"));
    assert_eq!(
        csv_en.keys().collect::<Vec<_>>(),
        csv_nl.keys().collect::<Vec<_>>()
    );
    assert_eq!(csv_en.len(), TITLES.len(), "{:?}", csv_en.keys());
    for (name, bytes) in &csv_en {
        assert!(
            csv_nl[name] == *bytes,
            "charts/{name} differs between en and nl"
        );
    }
    let (svg_en, svg_nl) = (charts(&r.en, "svg"), charts(&r.nl, "svg"));
    for (stem, en_title, nl_title) in TITLES {
        let name = format!("{stem}.svg");
        let en = String::from_utf8(svg_en[&name].clone()).unwrap();
        let nl = String::from_utf8(svg_nl[&name].clone()).unwrap();
        let (en_texts, nl_texts) = (svg_texts(&en), svg_texts(&nl));
        assert!(
            en_texts.iter().any(|t| t == en_title),
            "{name}: {en_texts:?}"
        );
        assert!(
            nl_texts.iter().any(|t| t == nl_title),
            "{name}: {nl_texts:?}"
        );
        assert!(!nl.contains(en_title), "{name} has its English title");
        let drawn = nl_texts.join("\n");
        let english = english_words(&drawn);
        assert!(
            english.is_empty(),
            "{name} draws English words {english:?}:\n{drawn}"
        );
        // The English drawing is in English (the check above can fail).
        assert!(!english_words(&en_texts.join("\n")).is_empty(), "{name}");
    }
    // Dutch numbers on the drawings: a decimal comma on the bars, a thousands point in euros.
    let shares = String::from_utf8(svg_nl["reclaim_shares.svg"].clone()).unwrap();
    let texts = svg_texts(&shares);
    assert!(
        texts.iter().any(|t| t.ends_with('%') && t.contains(',')),
        "{texts:?}"
    );
    assert!(
        texts.iter().any(|t| t == "terugvordering boven €1.000"),
        "{texts:?}"
    );
    let months =
        svg_texts(&String::from_utf8(svg_nl["advance_vs_entitlement.svg"].clone()).unwrap());
    for m in ["mrt", "mei", "okt"] {
        assert!(months.iter().any(|t| t == m), "{months:?}");
    }
    let types = svg_texts(&String::from_utf8(svg_nl["reclaim_share_by_type.svg"].clone()).unwrap());
    assert!(
        types.iter().any(|t| t == "alleenstaande ouder"),
        "{types:?}"
    );
}

#[test]
fn the_dutch_chart_section_of_report_md() {
    let r = runs();
    let nl = std::fs::read_to_string(r.nl.join("report.md")).unwrap();
    let en = std::fs::read_to_string(r.en.join("report.md")).unwrap();
    let sec = section(&nl, "## Grafieken");
    assert!(!nl.contains("\n## Charts\n"));
    // The file names in the links are no words.
    let words = TITLES
        .iter()
        .fold(sec.to_string(), |s, (stem, _, _)| s.replace(stem, ""));
    let english = english_words(&words);
    assert!(english.is_empty(), "English words {english:?} in:\n{sec}");
    for (stem, _, nl_title) in TITLES {
        assert!(sec.contains(&format!("### {nl_title}\n")), "{stem}");
        assert!(
            sec.contains(&format!("![{nl_title}](charts/{stem}.png)")),
            "{stem}"
        );
    }
    // The English section keeps its words.
    let en_sec = section(&en, "## Charts");
    assert!(!en.contains("Grafieken"));
    for (stem, en_title, _) in TITLES {
        assert!(en_sec.contains(&format!("### {en_title}\n")), "{stem}");
    }
    assert!(en_sec.contains(" Data: [`charts/reclaim_shares.csv`](charts/reclaim_shares.csv); vector: [`charts/reclaim_shares.svg`](charts/reclaim_shares.svg)."));
    insta::assert_snapshot!("dutch_chart_section", sec);
}

/// A copy of the run directory `from` (its files and charts/) in `to`.
fn copy_run(from: &Path, to: &Path) {
    std::fs::create_dir_all(to.join("charts")).unwrap();
    for sub in ["", "charts"] {
        for e in std::fs::read_dir(from.join(sub)).unwrap() {
            let p = e.unwrap().path();
            if p.is_file() {
                std::fs::copy(&p, to.join(sub).join(p.file_name().unwrap())).unwrap();
            }
        }
    }
}

#[test]
fn plot_redraws_in_the_language_asked_for_or_the_runs_own() {
    let r = runs();
    let tmp = tempfile::tempdir().unwrap();
    let (svg_en, svg_nl) = (charts(&r.en, "svg"), charts(&r.nl, "svg"));
    let (png_en, png_nl) = (charts(&r.en, "png"), charts(&r.nl, "png"));

    // An English run redrawn with --lang nl: the Dutch run's drawings, byte for byte (they are
    // drawn from the same data), and the data untouched.
    let en = tmp.path().join("en");
    copy_run(&r.en, &en);
    bin()
        .arg("plot")
        .arg(&en)
        .args(["--lang", "nl"])
        .assert()
        .success();
    assert!(
        charts(&en, "svg") == svg_nl,
        "plot --lang nl did not draw in Dutch"
    );
    assert!(charts(&en, "png") == png_nl);
    assert!(charts(&en, "csv") == charts(&r.en, "csv"));
    // … and back with --lang en.
    bin()
        .arg("plot")
        .arg(&en)
        .args(["--lang", "en"])
        .assert()
        .success();
    assert!(charts(&en, "svg") == svg_en);

    // A Dutch run redrawn without --lang stays Dutch (manifest.json's lang).
    let nl = tmp.path().join("nl");
    copy_run(&r.nl, &nl);
    for name in svg_nl.keys().chain(png_nl.keys()) {
        std::fs::remove_file(nl.join("charts").join(name)).unwrap();
    }
    bin().arg("plot").arg(&nl).assert().success();
    assert!(
        charts(&nl, "svg") == svg_nl,
        "plot of a Dutch run did not stay Dutch"
    );
    assert!(charts(&nl, "png") == png_nl);
    // The English run redrawn without --lang stays English.
    let en2 = tmp.path().join("en2");
    copy_run(&r.en, &en2);
    bin().arg("plot").arg(&en2).assert().success();
    assert!(charts(&en2, "svg") == svg_en);
    assert!(charts(&en2, "png") == png_en);
}
