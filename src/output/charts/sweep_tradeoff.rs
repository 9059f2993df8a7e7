//! The chart `sweep_tradeoff` of `sweep`: per arm, the shares with a reclaim and with a high
//! reclaim (top) and the money withheld during the year (bottom) as the swept value varies.
//! Its table is built from the grid points by `output::sweep::tradeoff_table`.

use super::{colour, e2s, font, header, legend, Cell, Chart, ChartInfo, DrawResult, Table};
use crate::output::format::{euro_label, localize_number};
use crate::output::lang::pick;
use plotters::coord::Shift;
use plotters::prelude::*;

/// The sweep's trade-off chart.
pub(super) struct SweepTradeoff;

impl Chart for SweepTradeoff {
    const COLUMNS: &'static [(&'static str, Cell)] = &[
        ("param", Cell::Text),
        ("value", Cell::Number),
        ("high_threshold_eur", Cell::Euros),
        ("arm", Cell::Text),
        ("reclaim_share_pct", Cell::Percent),
        ("high_reclaim_share_pct", Cell::Percent),
        ("withheld_eur", Cell::Euros),
    ];

    /// The title names the swept key.
    fn title_caption(t: &Table) -> Result<(String, String), String> {
        let param = if t.rows.is_empty() {
            String::new()
        } else {
            t.str(0, "param")?.to_string()
        };
        Ok((
            crate::tr!("Trade-off as {param} varies", "Afweging naarmate {param} varieert"),
            pick(
                "Top: share of households with a reclaim (solid) and with a high reclaim (dashed), per arm. Bottom: money held back during the year per household, compared with a 100% advance.",
                "Boven: het aandeel van de huishoudens met een terugvordering (doorgetrokken) en met een hoge terugvordering (gestreept), per variant. Onder: het geld dat in de loop van het jaar per huishouden is ingehouden, vergeleken met een voorschot van 100%.",
            )
            .to_string(),
        ))
    }

    fn draw<DB: DrawingBackend>(
        t: &Table,
        info: &ChartInfo,
        root: &DrawingArea<DB, Shift>,
    ) -> DrawResult {
        let area = header(
            root,
            &info.title,
            pick(
                "Households with a reclaim vs money held back during the year; same households and draws at every point",
                "Huishoudens met een terugvordering tegenover in het jaar ingehouden geld; dezelfde huishoudens en trekkingen in elk punt",
            ),
        )?;
        let arms = t.distinct("arm")?;
        let param = if t.rows.is_empty() {
            String::new()
        } else {
            t.str(0, "param")?.to_string()
        };
        let thr = if t.rows.is_empty() {
            1000.0
        } else {
            t.num(0, "high_threshold_eur")?
        };
        let mut reclaim: Vec<Series> = vec![Vec::new(); arms.len()];
        let mut high: Vec<Series> = vec![Vec::new(); arms.len()];
        let mut withheld: Vec<Series> = vec![Vec::new(); arms.len()];
        let (mut xmin, mut xmax, mut smax, mut wmax) = (f64::MAX, f64::MIN, 0.0f64, 0.0f64);
        for i in 0..t.rows.len() {
            let a = arms
                .iter()
                .position(|x| x == t.str(i, "arm").unwrap_or_default())
                .unwrap_or(0);
            let x = t.num(i, "value")?;
            let (r, h, w) = (
                t.num(i, "reclaim_share_pct")?,
                t.num(i, "high_reclaim_share_pct")?,
                t.num(i, "withheld_eur")?,
            );
            xmin = xmin.min(x);
            xmax = xmax.max(x);
            smax = smax.max(r).max(h);
            wmax = wmax.max(w);
            reclaim[a].push((x, r));
            high[a].push((x, h));
            withheld[a].push((x, w));
        }
        if xmin > xmax {
            (xmin, xmax) = (0.0, 1.0);
        }
        let pad = ((xmax - xmin) * 0.04).max(1e-9);
        let xr = (xmin - pad)..(xmax + pad);
        let (top, bottom) = area.split_vertically(310);
        draw_tradeoff_shares(&top, xr.clone(), smax, &arms, &reclaim, &high, thr)?;
        draw_tradeoff_withheld(&bottom, xr, wmax, &param, &arms, &withheld)?;
        Ok(())
    }
}

/// One line series per arm of the trade-off chart: (swept value, y).
type Series = Vec<(f64, f64)>;

/// The swept value on the trade-off chart's x axis: up to 4 decimals, trailing zeros dropped.
fn swept_value_label(x: &f64) -> String {
    let s = format!("{x:.4}");
    localize_number(s.trim_end_matches('0').trim_end_matches('.'))
}

/// Top panel of the trade-off chart: the shares with any and with a high reclaim per arm.
fn draw_tradeoff_shares<DB: DrawingBackend>(
    top: &DrawingArea<DB, Shift>,
    xr: std::ops::Range<f64>,
    smax: f64,
    arms: &[String],
    reclaim: &[Series],
    high: &[Series],
    thr: f64,
) -> DrawResult {
    let mut chart = ChartBuilder::on(top)
        .margin(10)
        .margin_right(30)
        .x_label_area_size(30)
        .y_label_area_size(75)
        .build_cartesian_2d(xr.clone(), 0.0..(smax * 1.6).max(1.0))
        .map_err(e2s)?;
    chart
        .configure_mesh()
        .light_line_style(RGBColor(235, 235, 235))
        .y_desc(pick("households (%)", "huishoudens (%)"))
        .axis_desc_style(font(16))
        .label_style(font(15))
        .x_label_formatter(&swept_value_label)
        .y_label_formatter(&|y| format!("{y:.0}%"))
        .draw()
        .map_err(e2s)?;
    for (a, arm) in arms.iter().enumerate() {
        let c = colour(a);
        chart
            .draw_series(LineSeries::new(
                reclaim[a].iter().copied(),
                c.stroke_width(3),
            ))
            .map_err(e2s)?
            .label(crate::tr!(
                "{arm}: any reclaim",
                "{arm}: terugvordering (elk bedrag)"
            ))
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], c.stroke_width(3)));
        chart
            .draw_series(reclaim[a].iter().map(|p| Circle::new(*p, 4, c.filled())))
            .map_err(e2s)?;
        chart
            .draw_series(DashedLineSeries::new(
                high[a].iter().copied(),
                8,
                5,
                c.stroke_width(2),
            ))
            .map_err(e2s)?
            .label({
                let thr = euro_label(thr);
                crate::tr!(
                    "{arm}: reclaim above {thr}",
                    "{arm}: terugvordering boven {thr}"
                )
            })
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 8, y)], c.stroke_width(2)));
        chart
            .draw_series(
                high[a]
                    .iter()
                    .map(|p| TriangleMarker::new(*p, 5, c.filled())),
            )
            .map_err(e2s)?;
    }
    legend(&mut chart, SeriesLabelPosition::UpperLeft, 8, 14)?;
    Ok(())
}

/// Bottom panel of the trade-off chart: the money withheld during the year per arm.
fn draw_tradeoff_withheld<DB: DrawingBackend>(
    bottom: &DrawingArea<DB, Shift>,
    xr: std::ops::Range<f64>,
    wmax: f64,
    param: &str,
    arms: &[String],
    withheld: &[Series],
) -> DrawResult {
    let mut chart = ChartBuilder::on(bottom)
        .margin(10)
        .margin_right(30)
        .x_label_area_size(50)
        .y_label_area_size(75)
        .build_cartesian_2d(xr, 0.0..(wmax * 1.2).max(1.0))
        .map_err(e2s)?;
    chart
        .configure_mesh()
        .light_line_style(RGBColor(235, 235, 235))
        .x_desc({
            let meaning = key_meaning(param);
            crate::tr!(
                "swept value: {param}{meaning}",
                "gevarieerde waarde: {param}{meaning}"
            )
        })
        .y_desc(pick("withheld (€/household)", "ingehouden (€/huishouden)"))
        .y_labels(6)
        .axis_desc_style(font(16))
        .label_style(font(15))
        .x_label_formatter(&swept_value_label)
        .y_label_formatter(&|y| euro_label(*y))
        .draw()
        .map_err(e2s)?;
    for (a, arm) in arms.iter().enumerate() {
        let c = colour(a);
        chart
            .draw_series(LineSeries::new(
                withheld[a].iter().copied(),
                c.stroke_width(3),
            ))
            .map_err(e2s)?
            .label(crate::tr!(
                "{arm}: withheld during the year",
                "{arm}: ingehouden in het jaar"
            ))
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], c.stroke_width(3)));
        chart
            .draw_series(withheld[a].iter().map(|p| Circle::new(*p, 4, c.filled())))
            .map_err(e2s)?;
    }
    legend(&mut chart, SeriesLabelPosition::UpperRight, 8, 14)?;
    Ok(())
}

/// A plain-language gloss of a sweep key for the axis label.
fn key_meaning(key: &str) -> &'static str {
    if key.ends_with(".fraction") {
        pick(
            " (advance as a fraction of the calculated amount)",
            " (voorschot als fractie van het berekende bedrag)",
        )
    } else if key.ends_with(".takeup") {
        pick(
            " (share of offered households that accept)",
            " (aandeel van de huishoudens met het aanbod dat het aanneemt)",
        )
    } else if key == "experiment.households" {
        pick(" (households simulated)", " (gesimuleerde huishoudens)")
    } else {
        ""
    }
}
