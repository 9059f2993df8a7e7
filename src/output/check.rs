//! The outputs of `toeslagenlab check`: the verdict table, JUnit XML and baseline files.
//!
//! Must not: evaluate expectations or decide colours (the caller paints the verdict column).

use crate::analysis::regression::Verdict;
use crate::analysis::summary::Summary;
use serde::Serialize;
use std::fmt::Write as _;

/// A baseline file: the run's summary.json with the program version that wrote it first
/// (`program_version`), so that a later `check` with the same seed and version compares
/// exactly. Trailing newline.
pub fn baseline_json(s: &Summary, version: &str) -> String {
    #[derive(Serialize)]
    struct Baseline<'a> {
        program_version: &'a str,
        #[serde(flatten)]
        summary: &'a Summary,
    }
    let b = Baseline {
        program_version: version,
        summary: s,
    };
    let mut t =
        serde_json::to_string_pretty(&b).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    t.push('\n');
    t
}

/// The verdict table; `verdict(pass)` renders the last column (`ok` or `FAIL`, coloured by the
/// caller).
pub fn verdict_table(vs: &[Verdict], verdict: impl Fn(bool) -> String) -> String {
    let mut o = String::new();
    let w1 = vs
        .iter()
        .map(|v| v.scenario.len())
        .max()
        .unwrap_or(8)
        .max(8);
    let w2 = vs
        .iter()
        .map(|v| v.check.chars().count())
        .max()
        .unwrap_or(11)
        .clamp(11, 70);
    let _ = writeln!(
        o,
        "{:<w1$}  {:<w2$}  {:>20}  verdict",
        "scenario", "expectation", "value"
    );
    // The verdict is the last column, so colour cannot upset the alignment.
    for v in vs {
        let _ = writeln!(
            o,
            "{:<w1$}  {:<w2$}  {:>20}  {}{}",
            v.scenario,
            v.check,
            v.value,
            verdict(v.pass),
            if v.detail.is_empty() {
                String::new()
            } else {
                format!(": {}", v.detail)
            }
        );
    }
    o
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// JUnit XML: one test suite, one test case per check.
pub fn junit_xml(vs: &[Verdict]) -> String {
    let failures = vs.iter().filter(|v| !v.pass).count();
    let mut o = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        o,
        "<testsuite name=\"toeslagenlab check\" tests=\"{}\" failures=\"{}\">",
        vs.len(),
        failures
    );
    for v in vs {
        let _ = write!(
            o,
            "  <testcase classname=\"{}\" name=\"{}\"",
            xml_escape(&v.scenario),
            xml_escape(&v.check)
        );
        if v.pass {
            o.push_str("/>\n");
        } else {
            let _ = writeln!(
                o,
                ">\n    <failure message=\"{}\">value {}</failure>\n  </testcase>",
                xml_escape(&v.detail),
                xml_escape(&v.value)
            );
        }
    }
    o.push_str("</testsuite>\n");
    o
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn junit_is_escaped() {
        let v = Verdict {
            scenario: "a<b".into(),
            check: "x & y".into(),
            value: "1".into(),
            pass: false,
            detail: "\"bad\"".into(),
        };
        let x = junit_xml(&[v]);
        assert!(
            x.contains("a&lt;b")
                && x.contains("x &amp; y")
                && x.contains("&quot;bad&quot;")
                && x.contains("failures=\"1\"")
        );
    }
}
