//! The interactive version of an interval chart for `report.html`: one row per row of the
//! chart's CSV, a dot at the estimate and a whisker over its 95% interval, drawn as SVG with a
//! native tooltip (`<title>`) on every row giving the exact value, the interval and n.
//!
//! A chart's CSV qualifies when it has a column `ci_low_<unit>` directly after the estimate
//! column and `ci_high_<unit>` after that (`share_pct, ci_low_pct, ci_high_pct`;
//! `difference_pp, ci_low_pp, ci_high_pp`). Everything drawn comes from the CSV's cells.
//!
//! The tooltips, ticks and row labels are in the output language ([`crate::output::lang`]):
//! numbers through `format.rs` (`12,03%`, `−8,07 %-punt`, `€1.000` in Dutch), and in Dutch the
//! CSV's fixed words (income deciles, household types, measures) shown in Dutch; the CSV itself,
//! arm names and other cells are shown as they are.
//!
//! Must not: compute statistics (the intervals are in the CSV) or read files.

use super::esc;
use crate::output::format::{localize_number, num, pp_unit, thousands};
use crate::output::lang::{self, pick, tr, Lang};
use std::fmt::Write as _;

/// Where a chart's estimate and interval are, and what unit they carry.
struct Layout {
    estimate: usize,
    low: usize,
    high: usize,
    unit: Unit,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Unit {
    Percent,
    Points,
    Euros,
    Plain,
}

impl Unit {
    fn of(suffix: &str) -> Unit {
        match suffix {
            "pct" => Unit::Percent,
            "pp" => Unit::Points,
            "eur" => Unit::Euros,
            _ => Unit::Plain,
        }
    }

    /// A value as the tooltip shows it, with a typographic minus: `12.03%`, `−8.07 pp`, `−€85`
    /// (Dutch: `12,03%`, `−8,07 %-punt`, `−€85`).
    fn show(self, x: f64) -> String {
        let sign = if x < 0.0 { "\u{2212}" } else { "" };
        let a = x.abs();
        match self {
            Unit::Percent => format!("{sign}{}%", num(a, 2)),
            Unit::Points => format!("{sign}{} {}", num(a, 2), pp_unit()),
            Unit::Euros => format!("{sign}€{}", thousands(a.round() as u64)),
            Unit::Plain => format!("{sign}{}", num(a, 4)),
        }
    }

    /// An axis tick, with as many decimals as the step between ticks needs: `20%`, `−2.5 pp`.
    fn tick(self, x: f64, step: f64) -> String {
        let sign = if x < -step * 1e-9 { "\u{2212}" } else { "" };
        let a = x.abs();
        let d = if step >= 1.0 {
            0
        } else {
            (-step.log10().floor()) as usize
        };
        match self {
            Unit::Percent => format!("{sign}{}%", num(a, d)),
            Unit::Points => format!("{sign}{} {}", num(a, d), pp_unit()),
            Unit::Euros => format!("{sign}€{}", thousands(a.round() as u64)),
            Unit::Plain => format!("{sign}{}", num(a, d)),
        }
    }
}

/// The columns of an interval chart, if `header` has them.
fn layout(header: &[String]) -> Option<Layout> {
    let low = header.iter().position(|h| h.starts_with("ci_low_"))?;
    let suffix = header[low].strip_prefix("ci_low_")?;
    let high = header
        .iter()
        .position(|h| h == &format!("ci_high_{suffix}"))?;
    let estimate = low.checked_sub(1)?;
    (high == low + 1).then_some(Layout {
        estimate,
        low,
        high,
        unit: Unit::of(suffix),
    })
}

/// The columns that count households (shown as `n` in the tooltip), with the name the
/// tooltip gives them: `n control` (Dutch `controlegroep`); `None` for other columns.
fn count_name(h: &str) -> Option<&'static str> {
    Some(match h {
        "households" => pick("households", "huishoudens"),
        "n_control" => pick("n control", "controlegroep"),
        "n_treatment" => pick("n treatment", "variant"),
        "arm_households" => pick("arm households", "huishoudens in de variant"),
        "with" => pick("with", "waarvan"),
        _ => return None,
    })
}

/// A text cell of column `h` as a row label shows it: as it is in English; in Dutch the CSV's
/// fixed words in Dutch (`decile 1: €0 to €15,000` → `deciel 1: €0 tot €15.000`, household
/// types, measures). Other cells (arm names are user text) are shown as they are.
fn cell_text(h: &str, c: &str) -> String {
    if lang::current() == Lang::En {
        return c.to_string();
    }
    if let Some(rest) = c.strip_prefix("decile ") {
        return format!(
            "deciel {}",
            localize_number(
                &rest
                    .replace(" to ", " tot ")
                    .replace(" and more", " en meer")
            )
        );
    }
    let nl = match (h, c) {
        (_, "all recipient households") => "alle ontvangende huishoudens",
        ("household_type", "single") => "alleenstaande",
        ("household_type", "couple") => "paar",
        ("household_type", "single_parent") => "alleenstaande ouder",
        ("household_type", "couple_with_children") => "paar met kinderen",
        ("measure", "reclaim") => "terugvordering",
        ("measure", "high_reclaim") => "hoge terugvordering",
        _ => c,
    };
    nl.to_string()
}

/// A row's label: its text cells (and a non-zero `_eur` threshold before the estimate), joined.
fn label(header: &[String], row: &[String], lay: &Layout) -> String {
    let mut parts: Vec<String> = Vec::new();
    for (i, (h, c)) in header.iter().zip(row).enumerate().take(lay.estimate) {
        if c.parse::<f64>().is_err() {
            if !c.is_empty() && h != "vs" {
                parts.push(cell_text(h, c));
            }
        } else if h.ends_with("_eur") && i < lay.estimate {
            if let Ok(v) = c.parse::<f64>() {
                if v != 0.0 {
                    let amount = thousands(v.round() as u64);
                    parts.push(tr!("above €{amount}", "boven €{amount}"));
                }
            }
        }
    }
    parts.join(" · ")
}

/// Round step for about five gridlines over `span`.
fn tick_step(span: f64) -> f64 {
    let raw = (span / 5.0).max(f64::MIN_POSITIVE);
    let mag = 10f64.powf(raw.log10().floor());
    let n = raw / mag;
    mag * if n <= 1.0 {
        1.0
    } else if n <= 2.0 {
        2.0
    } else if n <= 5.0 {
        5.0
    } else {
        10.0
    }
}

/// The interactive SVG of an interval chart from its CSV table, or `None` when the table has no
/// interval columns or no row with numbers. Rows are coloured by their `arm` cell (CSS classes
/// `arm0`…`arm6`, in order of first appearance).
pub(crate) fn forest_svg(title: &str, header: &[String], rows: &[Vec<String>]) -> Option<String> {
    let lay = layout(header)?;
    let arm_col = header.iter().position(|h| h == "arm");
    let mut arms: Vec<&str> = Vec::new();
    struct Row {
        label: String,
        est: f64,
        lo: f64,
        hi: f64,
        tip: String,
        arm: usize,
    }
    let mut drawn = Vec::new();
    for r in rows {
        let num = |i: usize| r.get(i).and_then(|c| c.parse::<f64>().ok());
        let (Some(est), Some(lo), Some(hi)) = (num(lay.estimate), num(lay.low), num(lay.high))
        else {
            continue;
        };
        let arm = arm_col.and_then(|i| r.get(i)).map(String::as_str);
        let arm_i = match arm {
            Some(a) => match arms.iter().position(|x| *x == a) {
                Some(i) => i,
                None => {
                    arms.push(a);
                    arms.len() - 1
                }
            },
            None => 0,
        };
        let label = label(header, r, &lay);
        let ns: Vec<String> = header
            .iter()
            .zip(r)
            .filter_map(|(h, c)| {
                let name = count_name(h)?;
                let n = c
                    .parse::<u64>()
                    .map(thousands)
                    .unwrap_or_else(|_| c.clone());
                Some(format!("{name} {n}"))
            })
            .collect();
        let (value, low, high) = (lay.unit.show(est), lay.unit.show(lo), lay.unit.show(hi));
        let n = if ns.is_empty() {
            String::new()
        } else {
            format!("; n: {}", ns.join(", "))
        };
        let tip = tr!(
            "{label}: {value} (95% CI {low} to {high}){n}",
            "{label}: {value} (95%-betrouwbaarheidsinterval {low} tot {high}){n}"
        );
        drawn.push(Row {
            label,
            est,
            lo,
            hi,
            tip,
            arm: arm_i,
        });
    }
    if drawn.is_empty() {
        return None;
    }
    let mut min = drawn.iter().map(|r| r.lo).fold(f64::INFINITY, f64::min);
    let mut max = drawn.iter().map(|r| r.hi).fold(f64::NEG_INFINITY, f64::max);
    if matches!(lay.unit, Unit::Percent | Unit::Points | Unit::Euros) {
        min = min.min(0.0);
        max = max.max(0.0);
    }
    if (max - min).abs() < 1e-12 {
        max = min + 1.0;
    }
    let step = tick_step(max - min);
    let (lo_t, hi_t) = ((min / step).floor() * step, (max / step).ceil() * step);
    let (width, left, right, top, row_h) = (960.0, 360.0, 30.0, 36.0, 22.0);
    let height = top + row_h * drawn.len() as f64 + 34.0;
    let x = |v: f64| left + (v - lo_t) / (hi_t - lo_t) * (width - left - right);
    let mut o = String::new();
    let _ = write!(
        o,
        "<svg class=\"forest\" viewBox=\"0 0 {width} {height}\" role=\"img\" aria-label=\"{}\" xmlns=\"http://www.w3.org/2000/svg\">",
        esc(title)
    );
    let _ = write!(o, "<title>{}</title>", esc(title));
    let mut t = lo_t;
    let mut guard = 0;
    while t <= hi_t + step * 1e-9 && guard < 50 {
        let xx = x(t);
        let zero = t.abs() < step * 1e-9;
        let _ = write!(
            o,
            "<line x1=\"{xx:.1}\" y1=\"{top}\" x2=\"{xx:.1}\" y2=\"{:.1}\" class=\"{}\"/>",
            height - 30.0,
            if zero { "zero" } else { "grid" }
        );
        let _ = write!(
            o,
            "<text x=\"{xx:.1}\" y=\"{:.1}\" class=\"tick\">{}</text>",
            height - 14.0,
            esc(&lay.unit.tick(if zero { 0.0 } else { t }, step))
        );
        t += step;
        guard += 1;
    }
    for (i, r) in drawn.iter().enumerate() {
        let y = top + row_h * (i as f64 + 0.5);
        let _ = write!(o, "<g class=\"row arm{}\" tabindex=\"0\">", r.arm % 7);
        let _ = write!(o, "<title>{}</title>", esc(&r.tip));
        let _ = write!(
            o,
            "<rect x=\"0\" y=\"{:.1}\" width=\"{width}\" height=\"{row_h}\" class=\"hit\"/>",
            y - row_h / 2.0
        );
        let _ = write!(
            o,
            "<text x=\"{:.1}\" y=\"{:.1}\" class=\"label\">{}</text>",
            left - 10.0,
            y + 4.0,
            esc(&r.label)
        );
        let _ = write!(
            o,
            "<line x1=\"{:.1}\" y1=\"{y:.1}\" x2=\"{:.1}\" y2=\"{y:.1}\" class=\"whisker\"/>",
            x(r.lo),
            x(r.hi)
        );
        let _ = write!(
            o,
            "<circle cx=\"{:.1}\" cy=\"{y:.1}\" r=\"4.5\" class=\"dot\"/>",
            x(r.est)
        );
        o.push_str("</g>");
    }
    o.push_str("</svg>");
    Some(o)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn an_interval_chart_gets_a_row_and_a_tooltip_per_csv_row() {
        let header = s(&[
            "decile",
            "arm",
            "vs",
            "n_control",
            "n_treatment",
            "difference_pp",
            "ci_low_pp",
            "ci_high_pp",
        ]);
        let rows = vec![
            s(&[
                "decile 1", "cautious", "control", "8174", "8174", "-8.0744", "-8.6756", "-7.4917",
            ]),
            s(&[
                "decile 2", "cautious", "control", "7492", "7492", "-9.3567", "-10.0273", "-8.7057",
            ]),
        ];
        let svg = forest_svg("Effect by decile", &header, &rows).unwrap();
        assert_eq!(svg.matches("<g class=\"row").count(), 2);
        assert!(svg.contains(
            "<title>decile 1 · cautious: \u{2212}8.07 pp (95% CI \u{2212}8.68 pp to \u{2212}7.49 pp); n: n control 8,174, n treatment 8,174</title>"
        ), "{svg}");
        // The zero line is drawn for differences.
        assert!(svg.contains("class=\"zero\""));
    }

    #[test]
    fn a_chart_without_intervals_has_no_interactive_version() {
        let header = s(&[
            "arm",
            "kind",
            "households_per_arm",
            "power",
            "power_low",
            "power_high",
        ]);
        assert!(forest_svg(
            "Power",
            &header,
            &[s(&["a", "curve", "50", "0.3", "0.2", "0.4"])]
        )
        .is_none());
        // Interval columns but no row with numbers.
        let header = s(&["arm", "share_pct", "ci_low_pct", "ci_high_pct"]);
        assert!(forest_svg("x", &header, &[s(&["a", "", "", ""])]).is_none());
    }

    #[test]
    fn a_threshold_names_the_row_and_text_is_escaped() {
        let header = s(&[
            "arm",
            "measure",
            "threshold_eur",
            "households",
            "with",
            "share_pct",
            "ci_low_pct",
            "ci_high_pct",
        ]);
        let rows = vec![s(&[
            "c<1>",
            "high_reclaim",
            "1000",
            "82478",
            "9925",
            "12.0335",
            "11.8132",
            "12.2573",
        ])];
        let svg = forest_svg("t", &header, &rows).unwrap();
        assert!(svg.contains("c&lt;1&gt; · high_reclaim · above €1,000: 12.03% (95% CI 11.81% to 12.26%); n: households 82,478, with 9,925"), "{svg}");
    }

    #[test]
    fn in_dutch_the_tooltips_labels_and_ticks_are_dutch() {
        let _g = lang::scoped(Lang::Nl);
        let header = s(&[
            "arm",
            "measure",
            "threshold_eur",
            "households",
            "with",
            "share_pct",
            "ci_low_pct",
            "ci_high_pct",
        ]);
        let rows = vec![s(&[
            "c",
            "high_reclaim",
            "1000",
            "82478",
            "9925",
            "12.0335",
            "11.8132",
            "12.2573",
        ])];
        let svg = forest_svg("t", &header, &rows).unwrap();
        assert!(svg.contains("<title>c · hoge terugvordering · boven €1.000: 12,03% (95%-betrouwbaarheidsinterval 11,81% tot 12,26%); n: huishoudens 82.478, waarvan 9.925</title>"), "{svg}");
        let header = s(&[
            "decile",
            "arm",
            "vs",
            "n_control",
            "n_treatment",
            "difference_pp",
            "ci_low_pp",
            "ci_high_pp",
        ]);
        let rows = vec![
            s(&[
                "decile 1: €0 to €15,000",
                "c",
                "control",
                "8174",
                "8174",
                "-8.0744",
                "-8.6756",
                "-7.4917",
            ]),
            s(&[
                "decile 10: €42,000 and more",
                "c",
                "control",
                "8174",
                "8174",
                "-1.25",
                "-2.5",
                "0.5",
            ]),
        ];
        let svg = forest_svg("t", &header, &rows).unwrap();
        assert!(svg.contains("<title>deciel 1: €0 tot €15.000 · c: \u{2212}8,07 %-punt (95%-betrouwbaarheidsinterval \u{2212}8,68 %-punt tot \u{2212}7,49 %-punt); n: controlegroep 8.174, variant 8.174</title>"), "{svg}");
        assert!(
            svg.contains(">deciel 10: €42.000 en meer · c</text>"),
            "{svg}"
        );
        assert!(svg.contains(">\u{2212}2 %-punt</text>"), "{svg}");
        assert_eq!(Unit::Points.tick(-2.5, 0.5), "\u{2212}2,5 %-punt");
        assert_eq!(Unit::Euros.show(-1234.4), "\u{2212}€1.234");
        assert_eq!(Unit::Plain.show(0.5), "0,5000");
        assert_eq!(
            cell_text("household_type", "single_parent"),
            "alleenstaande ouder"
        );
        assert_eq!(
            cell_text("arm", "single"),
            "single",
            "arm names are user text"
        );
        for english in [
            " to ",
            "CI",
            "households",
            "above",
            "decile",
            "pp<",
            "with ",
        ] {
            assert!(!svg.contains(english), "Dutch SVG has {english:?}");
        }
    }
}
