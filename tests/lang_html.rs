//! `--lang nl`: the Dutch report.html (English unchanged).
//!
//! The page's own words (the frame around report.md: header, contents, data files, footer;
//! each chart's hint and captions; the interactive charts' tooltips, row labels and ticks) are
//! taken out of the page and checked: Dutch in a Dutch run (a snapshot, and none of a list of
//! English words), English in an English run (a snapshot of its own), the same data embedded in
//! both. The text that comes from report.md is checked by `lang_report`, not here. A headless
//! Chromium opens the Dutch page too (the helpers of `html_report`; skipped without one).

use crate::common;
use crate::html_report;
use base64::Engine as _;
use std::path::PathBuf;

/// A run of the shipped main scenario (3,000 households) with `extra` flags.
fn shipped_run(extra: &[&str]) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("run");
    let s = common::root().join("scenarios/cautious-vs-standard.toml");
    let mut args = vec!["--households", "3000"];
    args.extend_from_slice(extra);
    common::run_to(&s, &out, &args);
    (tmp, out)
}

/// The text between `start` and the next `end` after it, for each occurrence.
fn between<'a>(s: &'a str, start: &str, end: &str) -> Vec<&'a str> {
    s.split(start)
        .skip(1)
        .filter_map(|p| p.split_once(end).map(|(a, _)| a))
        .collect()
}

fn first<'a>(s: &'a str, start: &str, end: &str) -> &'a str {
    between(s, start, end)
        .first()
        .copied()
        .unwrap_or_else(|| panic!("no {start}…{end}"))
}

/// The page's own words, one item a line, with what comes from elsewhere replaced: the title
/// (report.md's heading) by `{title}`, the program version by `{version}`, file sizes by `N`.
/// Each chart's lines are headed by its file stem (`[chart reclaim_shares]`).
fn frame(html: &str) -> Vec<String> {
    let title = first(html, "<title>", "</title>");
    let version = concat!("toeslagenlab ", env!("CARGO_PKG_VERSION"));
    let clean = |s: &str| {
        s.replace(version, "{version}")
            .replace(&format!("{title} ·"), "{title} ·")
    };
    let mut out = vec![
        first(html, "<html ", ">").to_string(),
        clean(first(html, "<header class=\"top\">", "</header>")),
        format!("nav: {}", first(html, "<nav class=\"toc\" ", ">")),
        format!("nav: {}", first(html, "<strong>", "</strong>")),
        format!(
            "nav: {}",
            first(html, "<li><a href=\"#data-files\">", "</a></li>")
        ),
    ];
    for fig in between(html, "<figure class=\"chart\" id=\"chart-", "</figure>") {
        let stem = fig.split('"').next().unwrap();
        out.push(format!("[chart {stem}]"));
        if let Some(svg) = between(fig, "<div class=\"plot interactive\">", "</svg></div>").first()
        {
            for row in svg.split("<g class=\"row").skip(1) {
                out.push(format!("tooltip: {}", first(row, "<title>", "</title>")));
                out.push(format!(
                    "label: {}",
                    first(row, "class=\"label\">", "</text>")
                ));
            }
            let ticks = between(svg, "class=\"tick\">", "</text>");
            out.push(format!("ticks: {}", ticks.join(" | ")));
        }
        for (start, end) in [
            ("<p class=\"hint\">", "</p>"),
            ("<summary>", "</summary>"),
            ("<p class=\"missing\">", "</p>"),
        ] {
            for t in between(fig, start, end) {
                out.push(t.to_string());
            }
        }
        if fig.contains("</table></div><p>") {
            out.push(first(fig, "</table></div><p>", "</p>").to_string());
        }
    }
    let tail = first(html, "<h2 id=\"data-files\">", "</main>");
    out.push(format!(
        "<h2 id=\"data-files\">{}",
        tail.split("<ul").next().unwrap().trim_end()
    ));
    for li in between(tail, "<li><a href=\"data:", "</li>") {
        let name = first(li, "download=\"", "\"");
        let size = li.rsplit_once(" (").unwrap().1;
        let size: String = size.trim_start_matches(|c: char| c.is_ascii_digit()).into();
        out.push(format!("download: {name} (N{size}"));
    }
    out.push(clean(first(html, "<footer>", "</footer>")));
    out
}

/// The frame without what is not words: chart stems and `<code>` spans (file names).
fn words(frame: &[String]) -> String {
    let mut o = String::new();
    for l in frame.iter().filter(|l| !l.starts_with("[chart ")) {
        let mut rest = l.as_str();
        while let Some((a, b)) = rest.split_once("<code>") {
            o.push_str(a);
            rest = b.split_once("</code>").map_or("", |(_, c)| c);
        }
        o.push_str(rest);
        o.push('\n');
    }
    o
}

/// The data files and chart CSVs embedded in a page (not the pictures: their words are in the
/// language): (file name, decoded bytes), sorted.
fn embedded(html: &str) -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<(String, Vec<u8>)> = html
        .split("<a href=\"data:")
        .skip(1)
        .filter_map(|part| {
            let (url, rest) = part.split_once('"')?;
            let b64 = url.split_once(";base64,")?.1;
            let name = rest.split_once("download=\"")?.1.split_once('"')?.0;
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(b64)
                .unwrap();
            Some((name.to_string(), bytes))
        })
        .filter(|(name, _)| !name.ends_with(".svg") && !name.ends_with(".png"))
        .collect();
    out.sort();
    out
}

/// English words of the frame that a Dutch page must not have (case-sensitive: the arms of the
/// scenario are named `control` and `cautious`, user text shown as it is).
const ENGLISH: &[&str] = &[
    "lang=\"en\"",
    "written by",
    "self-contained",
    "Contents",
    "Data files",
    "Data:",
    "rows",
    "columns",
    "Hover",
    "as drawn",
    "not found",
    "The numbers",
    "beside",
    "download from",
    "Made by",
    "each chart",
    "95% CI",
    " to ",
    "households",
    "n control ",
    "n treatment",
    "with ",
    "above",
    "decile",
    "and more",
    "reclaim",
    "single",
    "couple",
    " pp",
];

#[test]
fn a_dutch_run_writes_report_html_with_dutch_words_and_the_same_data() {
    let (_nl_tmp, nl_out) = shipped_run(&["--lang", "nl"]);
    let (_en_tmp, en_out) = shipped_run(&[]);
    let nl = std::fs::read_to_string(nl_out.join("report.html")).unwrap();
    let en = std::fs::read_to_string(en_out.join("report.html")).unwrap();
    assert!(nl.starts_with("<!DOCTYPE html>\n<html lang=\"nl\">"));
    assert!(en.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"));

    let nl_frame = frame(&nl);
    let en_frame = frame(&en);
    // The same page: the same lines (charts, rows, downloads), in other words.
    assert_eq!(nl_frame.len(), en_frame.len());
    for (n, e) in nl_frame.iter().zip(&en_frame) {
        if e.starts_with("[chart ") || e.starts_with("download: ") {
            assert_eq!(n, e);
        }
    }
    assert!(
        nl_frame
            .iter()
            .filter(|l| l.starts_with("tooltip: "))
            .count()
            >= 10,
        "{nl_frame:#?}"
    );
    let nl_words = words(&nl_frame);
    for english in ENGLISH {
        assert!(
            !nl_words.contains(english),
            "the Dutch page says {english:?}:\n{nl_words}"
        );
    }
    for dutch in [
        "Inhoud",
        "Gegevensbestanden",
        "gemaakt met {version}",
        "Gemaakt met {version} uit report.md",
        "95%-betrouwbaarheidsinterval",
        " tot ",
        "huishoudens",
        "n: controlegroep ",
        "deciel 1",
        "%-punt",
        "Gegevens: ",
        "Wijs een rij aan",
    ] {
        assert!(nl_words.contains(dutch), "the Dutch page lacks {dutch:?}");
    }
    // The check can fail: the English page has the English words.
    let en_words = words(&en_frame);
    for english in [
        "Contents",
        "Data files",
        "95% CI",
        " to ",
        "households",
        "Made by",
    ] {
        assert!(en_words.contains(english), "{english}");
    }
    // The data inside the page do not change with the language.
    let (nl_data, en_data) = (embedded(&nl), embedded(&en));
    assert!(nl_data.len() >= 10, "{}", nl_data.len());
    assert!(
        nl_data == en_data,
        "the embedded files differ: {:?}",
        nl_data
            .iter()
            .zip(&en_data)
            .filter(|(a, b)| a != b)
            .map(|(a, _)| &a.0)
            .collect::<Vec<_>>()
    );
    insta::assert_snapshot!("report_html_frame_nl", nl_frame.join("\n"));
    insta::assert_snapshot!("report_html_frame_en", en_frame.join("\n"));
}

#[test]
fn chromium_renders_the_dutch_report_html_without_console_errors_or_requests() {
    let Some(browser) = html_report::browser() else {
        let msg = "no chromium on PATH (apt-get install chromium)";
        if std::env::var("TOESLAGENLAB_REQUIRE_BROWSER").as_deref() == Ok("1") {
            panic!("TOESLAGENLAB_REQUIRE_BROWSER=1 but {msg}");
        }
        eprintln!("skipped: {msg}");
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let (_run_tmp, out) = shipped_run(&["--lang", "nl"]);
    let seen = html_report::open(&browser, &out.join("report.html"), &tmp.path().join("nl"));
    assert!(seen.console.is_empty(), "console: {:?}", seen.console);
    assert!(seen.requests.is_empty(), "requests: {:?}", seen.requests);
    assert!(
        seen.dom.contains("<html lang=\"nl\">"),
        "the DOM is not Dutch"
    );
    for id in [
        "data-files",
        "chart-effect_by_decile",
        "chart-reclaim_shares",
    ] {
        assert!(
            seen.dom.contains(&format!("id=\"{id}\"")),
            "the DOM lacks #{id}"
        );
    }
    assert!(seen.dom.contains("<strong>Inhoud</strong>"));
    let (share, styled) = html_report::ink(&seen.screenshot);
    assert!(
        share > 0.03,
        "the screenshot is almost blank ({share:.3} inked)"
    );
    assert!(styled, "the screenshot does not show the page's styles");
}
