//! The chart `sensitivity_<arm>` (a tornado chart): how far the arm's primary effect moves when
//! each uncertain assumption goes from its lowest to its highest value with the others at the
//! scenario's values, the assumptions ordered by that swing, with the effect's Monte Carlo and
//! total 95% intervals (`analysis::uncertainty`). One file per treatment arm.

use super::{
    colour, e2s, font, header, legend, legend_rect, Cell, Chart, ChartInfo, ChartKind, DrawResult,
    Table, GREY,
};
use crate::analysis::uncertainty::Uncertainty;
use crate::output::format::localize_number;
use crate::output::lang::{current, pick, Lang};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// The tornado chart of one arm.
pub(super) struct Sensitivity;

/// Units of the effect: percentage points (a share metric) or euros.
const UNITS: &[&str] = &["pp", "EUR"];

impl Chart for Sensitivity {
    const COLUMNS: &'static [(&'static str, Cell)] = &[
        ("arm", Cell::Text),
        ("vs", Cell::Text),
        ("metric", Cell::Text),
        ("unit", Cell::OneOf(UNITS)),
        ("assumption", Cell::Text),
        ("value_low", Cell::Number),
        ("value_high", Cell::Number),
        ("central", Cell::Number),
        ("at_low", Cell::Number),
        ("at_high", Cell::Number),
        ("mc_low", Cell::Number),
        ("mc_high", Cell::Number),
        ("total_low", Cell::Number),
        ("total_high", Cell::Number),
        ("first_order", Cell::Number),
        ("total_order", Cell::Number),
    ];

    fn title_caption(t: &Table) -> Result<(String, String), String> {
        let (arm, vs, metric) = if t.rows.is_empty() {
            ("?", "?", "?")
        } else {
            (t.str(0, "arm")?, t.str(0, "vs")?, t.str(0, "metric")?)
        };
        let words = metric_words(metric);
        Ok((
            crate::tr!(
                "What moves the effect of {arm} on {words}",
                "Wat het effect van {arm} op {words} verschuift"
            ),
            crate::tr!(
                "Each bar: the difference {arm} − {vs} when one assumption is at the lowest (blue) or highest (orange) value of its range and every other is at the scenario's value; longest swing on top. Black line: the estimate at the scenario's values; grey band: its Monte Carlo 95% interval (simulation noise); dashed lines: the total 95% interval over the assumption draws. Labels give each assumption's range and its total Sobol index (the share of the spread over the draws it explains, alone or with others).",
                "Elke balk: het verschil {arm} − {vs} als één aanname op de laagste (blauw) of hoogste (oranje) waarde van haar bereik staat en elke andere op de waarde van het scenario; de grootste uitslag bovenaan. Zwarte lijn: de schatting bij de waarden van het scenario; grijze band: het 95%-interval van de Monte Carlo-simulatie (simulatieruis); gestreepte lijnen: het totale 95%-interval over de trekkingen van de aannamen. De labels geven per aanname het bereik en de totale Sobol-index (het deel van de spreiding over de trekkingen dat de aanname verklaart, alleen of samen met andere)."
            ),
        ))
    }

    fn draw<DB: DrawingBackend>(
        t: &Table,
        info: &ChartInfo,
        root: &DrawingArea<DB, Shift>,
    ) -> DrawResult {
        let unit = if t.rows.is_empty() {
            "pp"
        } else {
            t.str(0, "unit")?
        };
        let unit_word = unit_words(unit);
        let area = header(
            root,
            &info.title,
            &crate::tr!(
                "difference with control, in {unit_word}; one assumption at a time, the others at the scenario's values",
                "verschil met de controlegroep, in {unit_word}; één aanname tegelijk, de andere op de waarden van het scenario"
            ),
        )?;
        let mut rows = Vec::new();
        for i in 0..t.rows.len() {
            rows.push((
                t.str(i, "assumption")?.to_string(),
                t.num(i, "value_low")?,
                t.num(i, "value_high")?,
                t.num(i, "at_low")?,
                t.num(i, "at_high")?,
                t.num(i, "total_order")?,
            ));
        }
        // Shortest swing at the bottom (y = 0), longest on top.
        rows.sort_by(|a, b| (a.4 - a.3).abs().total_cmp(&(b.4 - b.3).abs()));
        let first = |name: &str| -> Result<f64, String> {
            if t.rows.is_empty() {
                Ok(0.0)
            } else {
                t.num(0, name)
            }
        };
        let (central, mc_lo, mc_hi, tot_lo, tot_hi) = (
            first("central")?,
            first("mc_low")?,
            first("mc_high")?,
            first("total_low")?,
            first("total_high")?,
        );
        let mut lo = [central, mc_lo, tot_lo]
            .into_iter()
            .chain(rows.iter().flat_map(|r| [r.3, r.4]))
            .fold(f64::INFINITY, f64::min);
        let mut hi = [central, mc_hi, tot_hi]
            .into_iter()
            .chain(rows.iter().flat_map(|r| [r.3, r.4]))
            .fold(f64::NEG_INFINITY, f64::max);
        if !(lo.is_finite() && hi.is_finite()) {
            (lo, hi) = (-1.0, 1.0);
        }
        let pad = ((hi - lo) * 0.08).max(1e-6);
        let (lo, hi) = (lo - pad, hi + pad);
        let n = rows.len().max(1) as f64;
        let mut chart = ChartBuilder::on(&area)
            .margin(15)
            .margin_right(30)
            .x_label_area_size(55)
            .y_label_area_size(330)
            .build_cartesian_2d(lo..hi, 0.0..n)
            .map_err(e2s)?;
        let fmt = move |x: &f64| {
            localize_number(&if unit == "pp" {
                format!("{x:+.1}")
            } else {
                format!("{x:+.0}")
            })
        };
        chart
            .configure_mesh()
            .disable_y_mesh()
            .light_line_style(RGBColor(235, 235, 235))
            .x_desc(crate::tr!(
                "difference with control ({unit_word})",
                "verschil met de controlegroep ({unit_word})"
            ))
            .axis_desc_style(font(17))
            .label_style(font(14))
            .y_labels(0)
            .y_label_formatter(&|_| String::new())
            .x_label_formatter(&fmt)
            .draw()
            .map_err(e2s)?;
        // The Monte Carlo interval as a band, the total interval as dashed lines.
        chart
            .draw_series(std::iter::once(Rectangle::new(
                [(mc_lo, 0.0), (mc_hi, n)],
                RGBColor(200, 200, 200).mix(0.6).filled(),
            )))
            .map_err(e2s)?
            .label(pick(
                "Monte Carlo 95% interval (simulation noise)",
                "95%-interval Monte Carlo (simulatieruis)",
            ))
            .legend(legend_rect(RGBColor(200, 200, 200)));
        for x in [tot_lo, tot_hi] {
            chart
                .draw_series(DashedLineSeries::new(
                    vec![(x, 0.0), (x, n)],
                    8,
                    5,
                    GREY.stroke_width(2),
                ))
                .map_err(e2s)?;
        }
        chart
            .draw_series(std::iter::once(PathElement::new(
                vec![(tot_lo, n), (tot_lo, n)],
                GREY.stroke_width(2),
            )))
            .map_err(e2s)?
            .label(pick(
                "total 95% interval (assumptions + noise)",
                "totaal 95%-interval (aannamen + ruis)",
            ))
            .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 16, y)], GREY.stroke_width(2)));
        let (c_low, c_high) = (colour(0), colour(1));
        for (lab, c, pick) in [
            (
                pick(
                    "assumption at its lowest value",
                    "aanname op haar laagste waarde",
                ),
                c_low,
                3usize,
            ),
            (
                pick(
                    "assumption at its highest value",
                    "aanname op haar hoogste waarde",
                ),
                c_high,
                4usize,
            ),
        ] {
            chart
                .draw_series(rows.iter().enumerate().map(|(i, r)| {
                    let v = if pick == 3 { r.3 } else { r.4 };
                    let (a, b) = (central.min(v), central.max(v));
                    let y = i as f64;
                    Rectangle::new([(a, y + 0.2), (b, y + 0.8)], c.mix(0.85).filled())
                }))
                .map_err(e2s)?
                .label(lab)
                .legend(legend_rect(c));
        }
        chart
            .draw_series(std::iter::once(PathElement::new(
                vec![(central, 0.0), (central, n)],
                BLACK.stroke_width(2),
            )))
            .map_err(e2s)?
            .label({
                let v = fmt(&central);
                crate::tr!(
                    "estimate at the scenario's values ({v})",
                    "schatting bij de waarden van het scenario ({v})"
                )
            })
            .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 16, y)], BLACK.stroke_width(2)));
        // Labels left of the plot: the key, its range and its total index.
        for (i, r) in rows.iter().enumerate() {
            let (px, py) = chart.backend_coord(&(lo, i as f64 + 0.5));
            let short = if r.0.len() > 42 {
                format!("…{}", &r.0[r.0.len() - 41..])
            } else {
                r.0.clone()
            };
            root.draw(&Text::new(
                short,
                (px - 8, py - 9),
                font(14).pos(Pos::new(HPos::Right, VPos::Center)),
            ))
            .map_err(e2s)?;
            root.draw(&Text::new(
                {
                    let (a, b, idx) = (r.1.to_string(), r.2.to_string(), r.5 * 100.0);
                    let (a, b) = (localize_number(&a), localize_number(&b));
                    crate::tr!(
                        "{a} to {b}; total index {idx:.0}%",
                        "{a} tot {b}; totale index {idx:.0}%"
                    )
                },
                (px - 8, py + 9),
                font(12)
                    .color(&GREY)
                    .pos(Pos::new(HPos::Right, VPos::Center)),
            ))
            .map_err(e2s)?;
        }
        legend(&mut chart, SeriesLabelPosition::LowerRight, 8, 13)
    }
}

/// The words of the effect's unit (`pp` or `EUR` in the table).
fn unit_words(unit: &str) -> &'static str {
    if unit == "pp" {
        pick("percentage points", "procentpunten")
    } else {
        pick("euros", "euro")
    }
}

/// A metric key of the table in words: its key with spaces in English (as the chart always
/// wrote it), the report's label in Dutch.
pub(super) fn metric_words(metric: &str) -> String {
    match current() {
        Lang::En => metric.replace('_', " "),
        Lang::Nl => crate::output::report::metric_label(metric),
    }
}

/// The tornado tables of every treatment arm's primary comparison, as `(arm, table)`.
pub fn tables(u: &Uncertainty, share_metric: bool) -> Vec<(String, Table)> {
    let scale = if share_metric { 100.0 } else { 1.0 };
    let unit = if share_metric { "pp" } else { "EUR" };
    let f = |x: f64| format!("{:.6}", x * scale);
    let mut out = Vec::new();
    for c in u
        .comparisons
        .iter()
        .filter(|c| c.primary && c.population == "all")
    {
        let (Some(est), Some(ml), Some(mh), Some(tl), Some(th)) = (
            c.estimate,
            c.mc_ci_low,
            c.mc_ci_high,
            c.total_low,
            c.total_high,
        ) else {
            continue;
        };
        let mut t = Table::for_chart(ChartKind::Sensitivity);
        for (o, a) in c.one_at_a_time.iter().zip(&u.assumptions) {
            let (Some(l), Some(h)) = (o.at_low, o.at_high) else {
                continue;
            };
            let idx = c.sensitivity.as_ref().and_then(|s| s.get(&o.key));
            t.push(vec![
                c.arm.clone(),
                c.vs.clone(),
                c.metric.clone(),
                unit.into(),
                o.key.clone(),
                a.low.to_string(),
                a.high.to_string(),
                f(est),
                f(l),
                f(h),
                f(ml),
                f(mh),
                f(tl),
                f(th),
                format!("{:.4}", idx.map_or(0.0, |i| i.first)),
                format!("{:.4}", idx.map_or(0.0, |i| i.total)),
            ]);
        }
        if !t.rows.is_empty() {
            out.push((c.arm.clone(), t));
        }
    }
    out
}
