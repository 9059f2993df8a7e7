//! The chart `open_debt` of a multi-year run: per arm, the share of recipient households with
//! an open toeslag debt (top) and the mean open debt per recipient household (bottom) at the
//! end of every month of the horizon. Its table is built from summary.json's `horizon.debt` by
//! `output::horizon::open_debt_table`.

use super::{colour, e2s, font, header, legend, Cell, Chart, ChartInfo, DrawResult, Table};
use crate::output::format::euro_label;
use crate::output::lang::pick;
use plotters::coord::Shift;
use plotters::prelude::*;

/// Open debt over the months of the horizon.
pub(super) struct OpenDebt;

impl Chart for OpenDebt {
    const COLUMNS: &'static [(&'static str, Cell)] = &[
        ("arm", Cell::Text),
        ("horizon_month", Cell::Count),
        ("year", Cell::Count),
        ("month", Cell::Month),
        ("in_debt_pct", Cell::Percent),
        ("mean_open_debt_eur", Cell::Euros),
    ];

    fn title_caption(t: &Table) -> Result<(String, String), String> {
        let first = if t.rows.is_empty() {
            String::new()
        } else {
            t.str(0, "year")?.to_string()
        };
        Ok((
            pick(
                "Open toeslag debt over the horizon",
                "Openstaande toeslagschuld over de doorgerekende jaren",
            )
            .to_string(),
            crate::tr!(
                "Top: share of recipient households with an open debt at the end of each month, per arm; bottom: the mean open debt per recipient household (€), from January {first}. A year's reclaims become debts in its settlement month of the year after; back-payments are netted against them first.",
                "Boven: het aandeel van de huishoudens met een toeslag dat aan het eind van elke maand een openstaande schuld heeft, per variant; onder: de gemiddelde openstaande schuld per huishouden met een toeslag (€), vanaf januari {first}. De terugvorderingen over een jaar worden schulden in de maand van de vaststelling in het jaar daarna; nabetalingen worden eerst daarmee verrekend."
            ),
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
                "Recipient households, same households and draws in every arm; month 1 = January of the first year",
                "Huishoudens met een toeslag, dezelfde huishoudens en trekkingen in elke variant; maand 1 = januari van het eerste jaar",
            ),
        )?;
        let arms = t.distinct("arm")?;
        let mut share: Vec<Vec<(f64, f64)>> = vec![Vec::new(); arms.len()];
        let mut mean: Vec<Vec<(f64, f64)>> = vec![Vec::new(); arms.len()];
        let (mut xmax, mut smax, mut mmax) = (1.0f64, 0.0f64, 0.0f64);
        for i in 0..t.rows.len() {
            let a = arms
                .iter()
                .position(|x| x == t.str(i, "arm").unwrap_or_default())
                .unwrap_or(0);
            let x = t.num(i, "horizon_month")?;
            let (s, m) = (t.num(i, "in_debt_pct")?, t.num(i, "mean_open_debt_eur")?);
            xmax = xmax.max(x);
            smax = smax.max(s);
            mmax = mmax.max(m);
            share[a].push((x, s));
            mean[a].push((x, m));
        }
        let (top, bottom) = area.split_vertically(300);
        panel(
            &top,
            xmax,
            smax,
            pick("households in debt (%)", "huishoudens met schuld (%)"),
            &arms,
            &share,
            |y| format!("{y:.0}%"),
        )?;
        panel(
            &bottom,
            xmax,
            mmax,
            pick("mean open debt (€/household)", "gem. schuld (€/huishouden)"),
            &arms,
            &mean,
            euro_label,
        )?;
        Ok(())
    }
}

/// One panel: a line per arm over the horizon months, with the year boundaries marked.
fn panel<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    xmax: f64,
    ymax: f64,
    y_desc: &str,
    arms: &[String],
    series: &[Vec<(f64, f64)>],
    y_label: impl Fn(f64) -> String,
) -> DrawResult {
    let mut chart = ChartBuilder::on(area)
        .margin(10)
        .margin_right(30)
        .x_label_area_size(35)
        .y_label_area_size(80)
        .build_cartesian_2d(0.5..(xmax + 0.5), 0.0..(ymax * 1.25).max(1.0))
        .map_err(e2s)?;
    chart
        .configure_mesh()
        .light_line_style(WHITE)
        .x_desc(pick(
            "month of the horizon",
            "maand van de doorgerekende periode",
        ))
        .y_desc(y_desc)
        .axis_desc_style(font(16))
        .label_style(font(15))
        .x_label_formatter(&|x| format!("{x:.0}"))
        .y_label_formatter(&|y| y_label(*y))
        .draw()
        .map_err(e2s)?;
    // Year boundaries: thin grey lines after every twelfth month.
    let top = (ymax * 1.25).max(1.0);
    let mut b = 12.5;
    while b < xmax {
        chart
            .draw_series(LineSeries::new(
                [(b, 0.0), (b, top)],
                RGBColor(190, 190, 190).stroke_width(1),
            ))
            .map_err(e2s)?;
        b += 12.0;
    }
    for (a, arm) in arms.iter().enumerate() {
        let c = colour(a);
        chart
            .draw_series(LineSeries::new(
                series[a].iter().copied(),
                c.stroke_width(3),
            ))
            .map_err(e2s)?
            .label(arm.clone())
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], c.stroke_width(3)));
    }
    legend(&mut chart, SeriesLabelPosition::UpperLeft, 8, 14)?;
    Ok(())
}
