//! `report.html`: the report as one self-contained page to open, forward and print.
//!
//! It is made from `report.md` (the same text, so the two never disagree) and the files the
//! run just wrote beside it: each chart's picture becomes the chart inline (an interactive
//! version with a tooltip per row for interval charts, `forest.rs`, and the plotters SVG), its
//! data table, and download links whose targets are data URLs. Styles are inline; there is no
//! script; a Content-Security-Policy forbids every request, so the page works offline and from
//! an e-mail attachment. Raw HTML in the Markdown (a scenario's description is user text) is
//! shown as text, never rendered. The page is laid out by the template
//! `src/templates/report.html` (minijinja) with print CSS.
//!
//! The page's own words (the frame, the chart hints and captions, the tooltips) follow the
//! output language ([`crate::output::lang`]): the template has no words of its own, they come in
//! the page context as `Words`; `<html lang>` is the language's code.
//!
//! Must not: compute statistics, run the simulation or write files (it returns the text).

mod forest;

use crate::output::lang::{self, pick, tr};
use base64::Engine as _;
use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use serde::Serialize;
use std::collections::BTreeSet;
use std::fmt::Write as _;

/// The page template.
const TEMPLATE: &str = include_str!("../../templates/report.html");

/// Largest file embedded as a data URL (bigger files keep a relative link: `households.csv` of
/// a large run is gigabytes).
pub const MAX_EMBEDDED_BYTES: usize = 8 << 20;

/// Stands in for a chart figure between the two passes: Markdown cannot contain it (CommonMark
/// replaces U+0000), so raw HTML in the source can never pass for a figure.
const FIGURE_MARK: &str = "\u{0}figure:";

/// Largest chart table shown as an HTML table (rows); the CSV download always has all rows.
const MAX_TABLE_ROWS: usize = 400;

/// The program as the page's footer names it.
pub const GENERATOR: &str = concat!("toeslagenlab ", env!("CARGO_PKG_VERSION"));

/// The bytes of file `name` in `dir`, for [`report_html`]'s `files`: `None` when it is absent,
/// not a regular file or larger than [`MAX_EMBEDDED_BYTES`] (checked before reading).
pub fn read_beside(dir: &std::path::Path, name: &str) -> Option<Vec<u8>> {
    let p = dir.join(local_name(name)?);
    let m = std::fs::symlink_metadata(&p).ok()?;
    if !m.file_type().is_file() || m.len() > MAX_EMBEDDED_BYTES as u64 {
        return None;
    }
    std::fs::read(p).ok()
}

/// Escapes text for HTML (element content and attribute values).
pub(crate) fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            c => o.push(c),
        }
    }
    o
}

/// A heading in the table of contents.
#[derive(Serialize)]
struct TocEntry {
    id: String,
    text: String,
}

/// A file of the run offered for download at the end of the page.
#[derive(Serialize)]
struct Download {
    name: String,
    url: String,
    bytes: usize,
}

#[derive(Serialize)]
struct Page<'a> {
    title: &'a str,
    version: &'a str,
    toc: Vec<TocEntry>,
    body: String,
    downloads: Vec<Download>,
    words: Words,
}

/// The words of the page frame in the current language, for the template (which has none of
/// its own). They are the program's own text, inserted as they are (`| safe`), so they must
/// be valid HTML text: no `<`, `>`, `&` or `"` (a test checks).
#[derive(Serialize)]
struct Words {
    /// `<html lang>`: `en`, `nl`.
    lang: &'static str,
    /// Header: "{title} · written by {version} · {self_contained}".
    written_by: &'static str,
    self_contained: &'static str,
    /// The table of contents' label and heading.
    contents: &'static str,
    /// The heading of the downloads at the end, and its introduction.
    data_files: &'static str,
    data_files_intro: &'static str,
    /// After a file's size in bytes.
    bytes: &'static str,
    /// Footer: "{made_by} {version} {made_from}".
    made_by: &'static str,
    made_from: &'static str,
}

impl Words {
    fn current() -> Words {
        Words {
            lang: lang::current().code(),
            written_by: pick("written by", "gemaakt met"),
            self_contained: pick(
                "a self-contained page: every chart and its data are inside this file",
                "een zelfstandige pagina: elke grafiek en de gegevens ervan staan in dit bestand",
            ),
            contents: pick("Contents", "Inhoud"),
            data_files: pick("Data files", "Gegevensbestanden"),
            data_files_intro: pick(
                "The numbers behind this page, as written beside it (each a download from inside this file):",
                "De cijfers achter deze pagina, zoals ze in de bestanden ernaast staan (elk als download in dit bestand opgenomen):",
            ),
            bytes: pick("bytes", "bytes"),
            made_by: pick("Made by", "Gemaakt met"),
            made_from: pick(
                "from report.md and the files beside it. The numbers are those of summary.json; each chart's data is in the table under it and in its CSV download.",
                "uit report.md en de bestanden ernaast. De cijfers zijn die van summary.json; de gegevens van elke grafiek staan in de tabel eronder en in de CSV-download.",
            ),
        }
    }
}

/// The run's data files offered at the end of the page when they are beside the report
/// (not manifest.json: it holds timings, and the page is byte-identical from run to run).
const DATA_FILES: [&str; 11] = [
    "summary.json",
    "comparisons.csv",
    "arms.csv",
    "subgroups.csv",
    "monthly.csv",
    "sweep.csv",
    "uncertainty.json",
    "draws.csv",
    "years.csv",
    "debt_by_arm.csv",
    "debt_comparisons.csv",
];

/// Whether a link or image target is a file beside the report (relative, no scheme, no `..`).
fn local_name(dest: &str) -> Option<&str> {
    let ok = !dest.is_empty()
        && !dest.contains(':')
        && !dest.starts_with('/')
        && !dest.starts_with('#')
        && !dest.split('/').any(|p| p == ".." || p.is_empty());
    ok.then_some(dest)
}

/// The MIME type of an embedded file, by its extension.
fn mime(name: &str) -> &'static str {
    match name.rsplit('.').next() {
        Some("csv") => "text/csv",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("json") => "application/json",
        Some("md") => "text/markdown",
        _ => "application/octet-stream",
    }
}

fn data_url(name: &str, bytes: &[u8]) -> String {
    format!(
        "data:{};base64,{}",
        mime(name),
        base64::engine::general_purpose::STANDARD.encode(bytes)
    )
}

/// `settlement distribution` → `settlement-distribution`; unique within the page.
fn slug(text: &str, used: &mut BTreeSet<String>) -> String {
    let mut s = String::new();
    for ch in text.chars().flat_map(char::to_lowercase) {
        if ch.is_alphanumeric() {
            s.push(ch);
        } else if !s.ends_with('-') && !s.is_empty() {
            s.push('-');
        }
    }
    let base = s.trim_end_matches('-').to_string();
    let base = if base.is_empty() {
        "section".into()
    } else {
        base
    };
    let mut id = base.clone();
    let mut k = 2;
    while !used.insert(id.clone()) {
        id = format!("{base}-{k}");
        k += 1;
    }
    id
}

/// A CSV file's header and rows (`None` when it does not read as CSV).
fn read_csv(bytes: &[u8]) -> Option<(Vec<String>, Vec<Vec<String>>)> {
    let mut r = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .from_reader(bytes);
    let header: Vec<String> = r.headers().ok()?.iter().map(str::to_string).collect();
    let mut rows = Vec::new();
    for rec in r.records() {
        rows.push(rec.ok()?.iter().map(str::to_string).collect());
    }
    Some((header, rows))
}

/// An SVG file's markup for inlining (without an XML prolog).
fn inline_svg(bytes: &[u8]) -> Option<String> {
    let t = std::str::from_utf8(bytes).ok()?;
    let start = t.find("<svg")?;
    Some(t[start..].trim_end().to_string())
}

/// The figure for the chart whose picture is `charts/<stem>.png`.
fn chart_figure(stem: &str, alt: &str, files: &dyn Fn(&str) -> Option<Vec<u8>>) -> String {
    let svg = files(&format!("charts/{stem}.svg")).and_then(|b| inline_svg(&b));
    let table = files(&format!("charts/{stem}.csv")).and_then(|b| read_csv(&b));
    let interactive = table
        .as_ref()
        .and_then(|(h, rows)| forest::forest_svg(alt, h, rows));
    let mut o = String::new();
    let _ = write!(o, "<figure class=\"chart\" id=\"chart-{}\">", esc(stem));
    match (&interactive, &svg) {
        (Some(i), Some(s)) => {
            let _ = write!(
                o,
                "<div class=\"plot interactive\">{i}</div><p class=\"hint\">{}</p><details class=\"static\"><summary>{} <code>charts/{}.svg</code></summary><div class=\"plot\">{s}</div></details>",
                pick(
                    "Hover over or tab to a row for its exact value, interval and n.",
                    "Wijs een rij aan met de muis of ga ernaartoe met Tab voor de exacte waarde, het interval en n.",
                ),
                pick("The chart as drawn in", "De grafiek zoals getekend in"),
                esc(stem)
            );
        }
        (Some(i), None) => {
            let _ = write!(o, "<div class=\"plot interactive\">{i}</div>");
        }
        (None, Some(s)) => {
            let _ = write!(o, "<div class=\"plot\">{s}</div>");
        }
        (None, None) => {
            let alt = esc(alt);
            let _ = write!(
                o,
                "<p class=\"missing\">{}</p>",
                tr!(
                    "The chart {alt} was not found beside the report.",
                    "De grafiek {alt} is niet naast het rapport gevonden."
                )
            );
        }
    }
    if let Some((header, rows)) = &table {
        let _ = write!(
            o,
            "<details class=\"data\"><summary>{}</summary><div class=\"scroll\"><table><thead><tr>",
            data_caption(rows.len(), header.len())
        );
        for h in header {
            let _ = write!(o, "<th>{}</th>", esc(h));
        }
        o.push_str("</tr></thead><tbody>");
        for r in rows.iter().take(MAX_TABLE_ROWS) {
            o.push_str("<tr>");
            for c in r {
                let num = c.parse::<f64>().is_ok();
                let _ = write!(
                    o,
                    "<td{}>{}</td>",
                    if num { " class=\"num\"" } else { "" },
                    esc(c)
                );
            }
            o.push_str("</tr>");
        }
        o.push_str("</tbody></table></div>");
        if rows.len() > MAX_TABLE_ROWS {
            let n = rows.len();
            let _ = write!(
                o,
                "<p>{}</p>",
                tr!(
                    "The first {MAX_TABLE_ROWS} of {n} rows; the CSV has all.",
                    "De eerste {MAX_TABLE_ROWS} van {n} rijen; de CSV bevat alle rijen."
                )
            );
        }
        o.push_str("</details>");
    }
    o.push_str("</figure>\n");
    o
}

/// The summary of a chart's data table: `Data: 10 rows × 9 columns` (Dutch with singulars:
/// `Gegevens: 1 rij × 9 kolommen`).
fn data_caption(rows: usize, columns: usize) -> String {
    let rw = pick("rows", if rows == 1 { "rij" } else { "rijen" });
    let cw = pick("columns", if columns == 1 { "kolom" } else { "kolommen" });
    tr!(
        "Data: {rows} {rw} × {columns} {cw}",
        "Gegevens: {rows} {rw} × {columns} {cw}"
    )
}

/// Is this event run `[Start(Image), …, End(Image)]` alone in its paragraph?
fn lone_image<'a>(events: &[Event<'a>]) -> Option<(String, String)> {
    let (Some(Event::Start(Tag::Image { dest_url, .. })), Some(Event::End(TagEnd::Image))) =
        (events.first(), events.last())
    else {
        return None;
    };
    let mut alt = String::new();
    for e in &events[1..events.len() - 1] {
        match e {
            Event::Text(t) | Event::Code(t) => alt.push_str(t),
            _ => return None,
        }
    }
    Some((dest_url.to_string(), alt))
}

/// `report.html` from the report's Markdown and the files beside it (`files("charts/x.csv")`
/// gives a file's bytes, `None` when absent). `version` names the program in the footer.
pub fn report_html(
    markdown: &str,
    version: &str,
    files: &dyn Fn(&str) -> Option<Vec<u8>>,
) -> Result<String, String> {
    let opts = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    let events: Vec<Event> = Parser::new_ext(markdown, opts).collect();
    // Headings: the title, and ids for the table of contents.
    let mut title = String::new();
    let mut used = BTreeSet::new();
    let mut toc = Vec::new();
    let mut out: Vec<Event> = Vec::with_capacity(events.len());
    let mut figures: Vec<String> = Vec::new();
    let mut i = 0;
    while i < events.len() {
        match &events[i] {
            Event::Start(Tag::Heading { level, .. }) => {
                let level = *level;
                let end = events[i..]
                    .iter()
                    .position(|e| matches!(e, Event::End(TagEnd::Heading(_))))
                    .map_or(events.len(), |k| i + k);
                let text: String = events[i + 1..end]
                    .iter()
                    .filter_map(|e| match e {
                        Event::Text(t) | Event::Code(t) => Some(t.as_ref()),
                        _ => None,
                    })
                    .collect();
                if level == HeadingLevel::H1 && title.is_empty() {
                    title = text.clone();
                }
                let id = slug(&text, &mut used);
                if level == HeadingLevel::H2 {
                    toc.push(TocEntry {
                        id: id.clone(),
                        text: text.clone(),
                    });
                }
                out.push(Event::Start(Tag::Heading {
                    level,
                    id: Some(CowStr::from(id)),
                    classes: vec![],
                    attrs: vec![],
                }));
                out.extend(events[i + 1..end].iter().cloned());
                if end < events.len() {
                    out.push(events[end].clone());
                }
                i = end + 1;
            }
            Event::Start(Tag::Paragraph) => {
                let end = events[i..]
                    .iter()
                    .position(|e| matches!(e, Event::End(TagEnd::Paragraph)))
                    .map_or(events.len(), |k| i + k);
                let inner = &events[i + 1..end.min(events.len())];
                match lone_image(inner) {
                    Some((dest, alt)) if dest.starts_with("charts/") && dest.ends_with(".png") => {
                        let stem = &dest["charts/".len()..dest.len() - ".png".len()];
                        out.push(Event::Html(CowStr::from(format!(
                            "{FIGURE_MARK}{}",
                            figures.len()
                        ))));
                        figures.push(chart_figure(stem, &alt, files));
                        i = end + 1;
                    }
                    _ => {
                        out.push(events[i].clone());
                        i += 1;
                    }
                }
            }
            _ => {
                out.push(events[i].clone());
                i += 1;
            }
        }
    }
    // Links to files beside the report become downloads; raw HTML is shown as text; an image
    // that is not a chart is embedded or, when remote, turned into a link (no request).
    let mut body_events: Vec<Event> = Vec::with_capacity(out.len());
    // Per open image: true for `<img alt="…">`, false for the link that stands in for it.
    let mut images: Vec<bool> = Vec::new();
    for e in out {
        match e {
            Event::Start(Tag::Link { dest_url, .. }) => {
                let embedded = local_name(&dest_url)
                    .and_then(|n| files(n).map(|b| (n.to_string(), b)))
                    .filter(|(_, b)| b.len() <= MAX_EMBEDDED_BYTES);
                let open = match embedded {
                    Some((name, bytes)) => format!(
                        "<a href=\"{}\" download=\"{}\" title=\"{}\">",
                        data_url(&name, &bytes),
                        esc(name.rsplit('/').next().unwrap_or(&name)),
                        esc(&name)
                    ),
                    None => format!("<a href=\"{}\">", esc(&dest_url)),
                };
                body_events.push(Event::InlineHtml(CowStr::from(open)));
            }
            Event::End(TagEnd::Link) => body_events.push(Event::InlineHtml(CowStr::from("</a>"))),
            Event::Start(Tag::Image { dest_url, .. }) => {
                let src = local_name(&dest_url)
                    .and_then(|n| files(n).map(|b| (n.to_string(), b)))
                    .filter(|(_, b)| b.len() <= MAX_EMBEDDED_BYTES)
                    .map(|(n, b)| data_url(&n, &b));
                images.push(src.is_some());
                body_events.push(Event::InlineHtml(CowStr::from(match src {
                    Some(u) => format!("<img src=\"{u}\" alt=\""),
                    None => format!("<a href=\"{}\" class=\"image-link\">", esc(&dest_url)),
                })));
            }
            Event::End(TagEnd::Image) => {
                let img = images.pop().unwrap_or(false);
                body_events.push(Event::InlineHtml(CowStr::from(if img {
                    "\">"
                } else {
                    "</a>"
                })));
            }
            Event::Text(t) if !images.is_empty() => {
                body_events.push(Event::InlineHtml(CowStr::from(esc(&t))));
            }
            Event::Html(h) if h.starts_with(FIGURE_MARK) => {
                let k: usize = h[FIGURE_MARK.len()..].parse().unwrap_or(usize::MAX);
                let fig = figures.get(k).cloned().unwrap_or_default();
                body_events.push(Event::Html(CowStr::from(fig)));
            }
            Event::Html(h) | Event::InlineHtml(h) => body_events.push(Event::Text(h)),
            other => body_events.push(other),
        }
    }
    let mut body = String::new();
    pulldown_cmark::html::push_html(&mut body, body_events.into_iter());
    let page = Page {
        title: if title.is_empty() {
            pick("toeslagenlab report", "toeslagenlab-rapport")
        } else {
            &title
        },
        version,
        toc,
        body,
        downloads: DATA_FILES
            .iter()
            .filter_map(|n| {
                let b = files(n)?;
                Some(Download {
                    name: n.to_string(),
                    url: data_url(n, &b),
                    bytes: b.len(),
                })
            })
            .collect(),
        words: Words::current(),
    };
    let mut env = minijinja::Environment::new();
    env.set_auto_escape_callback(|_| minijinja::AutoEscape::Html);
    env.add_template("report.html", TEMPLATE)
        .map_err(|e| format!("report.html template: {e}"))?;
    let t = env
        .get_template("report.html")
        .map_err(|e| format!("report.html template: {e}"))?;
    t.render(minijinja::value::Serde(&page))
        .map_err(|e| format!("report.html template: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(name: &str) -> Option<Vec<u8>> {
        match name {
            "charts/shares.svg" => Some(b"<?xml version=\"1.0\"?>\n<svg width=\"10\" height=\"10\"><rect/></svg>\n".to_vec()),
            "charts/shares.csv" => Some(
                b"arm,households,share_pct,ci_low_pct,ci_high_pct\ncontrol,100,31.0,30.0,32.0\ncautious,100,18.0,17.0,19.0\n"
                    .to_vec(),
            ),
            "summary.json" => Some(b"{}".to_vec()),
            _ => None,
        }
    }

    fn page(md: &str) -> String {
        report_html(md, "toeslagenlab 0.0.0", &files).unwrap()
    }

    #[test]
    fn a_chart_picture_becomes_the_inline_chart_with_its_data_and_downloads() {
        let h = page("# Run\n\n## Charts\n\n### Shares\n\n![Shares](charts/shares.png)\n\nData: [`charts/shares.csv`](charts/shares.csv).\n");
        assert!(h.contains("<title>Run</title>"), "{h}");
        assert!(h.contains("<figure class=\"chart\" id=\"chart-shares\">"));
        assert!(
            h.contains("<svg width=\"10\""),
            "the plotters SVG is inline"
        );
        assert!(!h.contains("<?xml"));
        assert!(h.contains("cautious: 18.00% (95% CI 17.00% to 19.00%); n: households 100"));
        assert!(h.contains("<td class=\"num\">31.0</td>"));
        assert!(h.contains("href=\"data:text/csv;base64,"));
        assert!(h.contains("download=\"shares.csv\""));
        assert!(!h.contains("charts/shares.png\""), "no request for the PNG");
        assert!(
            h.contains("<a href=\"#charts\">Charts</a>"),
            "table of contents"
        );
    }

    #[test]
    fn raw_html_and_remote_images_make_no_request() {
        let h = page("# T\n\n<script>alert(1)</script>\n\nSee <img src=\"http://x/y.png\"> and ![a](https://x/z.png).\n");
        assert!(!h.contains("<script>alert"), "{h}");
        assert!(h.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(!h.contains("<img src=\"http"), "{h}");
        assert!(h.contains("&lt;img src="), "raw HTML is shown as text");
        assert!(
            h.contains("<a href=\"https://x/z.png\" class=\"image-link\">a</a>"),
            "{h}"
        );
    }

    #[test]
    fn a_link_to_a_missing_or_outside_file_stays_a_plain_link() {
        let h = page("[up](../secret.txt) [gone](charts/none.csv) [ok](summary.json)");
        assert!(h.contains("<a href=\"../secret.txt\">up</a>"), "{h}");
        assert!(h.contains("<a href=\"charts/none.csv\">gone</a>"));
        assert!(h.contains("href=\"data:application/json;base64,e30=\" download=\"summary.json\""));
    }

    #[test]
    fn the_page_frame_is_dutch_in_dutch_and_its_words_are_html_text() {
        let md = "# Run\n\n## Charts\n\n![Shares](charts/shares.png)\n\n![Gone](charts/gone.png)\n";
        let en = page(md);
        let nl = {
            let _g = lang::scoped(lang::Lang::Nl);
            page(md)
        };
        assert!(en.contains("<html lang=\"en\">"));
        assert!(nl.contains("<html lang=\"nl\">"), "{nl}");
        for (e, n) in [
            ("<strong>Contents</strong>", "<strong>Inhoud</strong>"),
            ("aria-label=\"Contents\"", "aria-label=\"Inhoud\""),
            ("Data files</h2>", "Gegevensbestanden</h2>"),
            ("(2 bytes)", "(2 bytes)"),
            ("Data: 2 rows × 5 columns", "Gegevens: 2 rijen × 5 kolommen"),
            ("The chart Gone was not found", "De grafiek Gone is niet naast het rapport gevonden."),
            ("· written by toeslagenlab 0.0.0 ·", "· gemaakt met toeslagenlab 0.0.0 ·"),
            ("<footer>Made by toeslagenlab 0.0.0 from report.md", "<footer>Gemaakt met toeslagenlab 0.0.0 uit report.md"),
            ("cautious: 18.00% (95% CI 17.00% to 19.00%); n: households 100", "cautious: 18,00% (95%-betrouwbaarheidsinterval 17,00% tot 19,00%); n: huishoudens 100"),
        ] {
            assert!(en.contains(e), "English lacks {e}");
            assert!(nl.contains(n), "Dutch lacks {n}");
        }
        for english in [
            "Contents",
            "Data files",
            "written by",
            "Made by",
            "Hover",
            "as drawn",
            "95% CI",
            "households",
            " rows ",
            " columns<",
            "not found",
        ] {
            // The data table shows the CSV as it is (its header is English in both).
            let (before, rest) = nl.split_once("<table>").unwrap();
            let outside = format!("{before}{}", rest.split_once("</table>").unwrap().1);
            assert!(!outside.contains(english), "the Dutch page has {english}");
        }
        // No title: the default one.
        let _g = lang::scoped(lang::Lang::Nl);
        assert!(page("text").contains("<title>toeslagenlab-rapport</title>"));
        assert_eq!(data_caption(1, 1), "Gegevens: 1 rij × 1 kolom");
        // The words are inserted unescaped: they must be HTML text.
        for l in lang::Lang::ALL {
            let _g = lang::scoped(l);
            let w = serde_json::to_value(Words::current()).unwrap();
            for (k, v) in w.as_object().unwrap() {
                let v = v.as_str().unwrap();
                assert!(!v.contains(['<', '>', '&', '"']), "{l} {k}: {v}");
            }
        }
    }

    #[test]
    fn headings_get_unique_ids() {
        let mut used = BTreeSet::new();
        assert_eq!(
            slug("Who takes the offer", &mut used),
            "who-takes-the-offer"
        );
        assert_eq!(
            slug("Who takes the offer", &mut used),
            "who-takes-the-offer-2"
        );
        assert_eq!(slug("€ — !", &mut used), "section");
    }
}
