//! The chart `chosen_percentages`: among households that took an adjustable advance, the share
//! choosing each whole percentage (only for runs with an arm that has choice bands).

use super::{
    colour, e2s, font, header, legend, legend_rect, Cell, Chart, ChartInfo, ChartKind, DrawResult,
    Table,
};
use crate::analysis::run::RunResult;
use crate::model::scenario::Scenario;
use crate::output::format::pct4_of as pct;
use crate::output::lang::pick;
use plotters::coord::Shift;
use plotters::prelude::*;

/// The chosen advance percentages.
pub(super) struct ChosenPercentages;

impl Chart for ChosenPercentages {
    const COLUMNS: &'static [(&'static str, Cell)] = &[
        ("arm", Cell::Text),
        ("percentage", Cell::WholePercent),
        ("households", Cell::Count),
        ("share_pct", Cell::Percent),
    ];

    fn title_caption(_t: &Table) -> Result<(String, String), String> {
        Ok((
            pick(
                "Advance percentage chosen in the adjustable arm",
                "Gekozen percentage bij het instelbaar voorschot",
            )
            .to_string(),
            pick(
                "Among households that took the adjustable advance: share choosing each whole percentage of the calculated advance.",
                "Onder de huishoudens die het instelbaar voorschot aannamen: het aandeel dat elk heel percentage van het berekende voorschot koos.",
            )
            .to_string(),
        ))
    }

    /// `None` when no arm lets households choose a percentage.
    fn run_table(sc: &Scenario, r: &RunResult) -> Option<Table> {
        let mut t = Table::for_chart(ChartKind::ChosenPercentages);
        let mut any = false;
        for (i, arm) in sc.arms.iter().enumerate() {
            if !arm.policy.has_choice_bands() {
                continue;
            }
            any = true;
            let p = &r.arms[i].percentages;
            let took: u64 = p.iter().sum();
            let lo = p.iter().position(|c| *c > 0).unwrap_or(70).min(70);
            for (pc, c) in p.iter().enumerate().skip(lo) {
                t.push(vec![
                    arm.name.clone(),
                    pc.to_string(),
                    c.to_string(),
                    pct(*c, took),
                ]);
            }
        }
        any.then_some(t)
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
                "Households that took the adjustable advance, by the percentage of the calculated advance they chose",
                "Huishoudens die het instelbaar voorschot aannamen, naar het gekozen percentage van het berekende voorschot",
            ),
        )?;
        let arms = t.distinct("arm")?;
        let k = arms.len().max(1) as f64;
        let mut bars = Vec::new();
        let (mut lo, mut ymax) = (100.0f64, 0.0f64);
        for i in 0..t.rows.len() {
            let a = arms
                .iter()
                .position(|x| x == t.str(i, "arm").unwrap_or_default())
                .unwrap_or(0);
            let p = t.num(i, "percentage")?;
            let s = t.num(i, "share_pct")?;
            lo = lo.min(p);
            ymax = ymax.max(s);
            let w = 0.8 / k;
            let x0 = p - 0.4 + a as f64 * w;
            bars.push((a, x0, x0 + w, s));
        }
        let ymax = (ymax * 1.2).max(1.0);
        let mut chart = ChartBuilder::on(&area)
            .margin(15)
            .margin_right(30)
            .x_label_area_size(55)
            .y_label_area_size(75)
            .build_cartesian_2d((lo - 1.0)..101.0, 0.0..ymax)
            .map_err(e2s)?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .light_line_style(RGBColor(235, 235, 235))
            .x_desc(pick(
                "chosen advance (% of the calculated advance)",
                "gekozen voorschot (% van het berekende voorschot)",
            ))
            .y_desc(pick(
                "households that took the offer (%)",
                "huishoudens die het aanbod aannamen (%)",
            ))
            .axis_desc_style(font(18))
            .label_style(font(15))
            .x_labels(16)
            .x_label_formatter(&|x| format!("{x:.0}%"))
            .y_label_formatter(&|y| format!("{y:.0}%"))
            .draw()
            .map_err(e2s)?;
        for (a, arm) in arms.iter().enumerate() {
            let c = colour(a + 2);
            chart
                .draw_series(
                    bars.iter()
                        .filter(|b| b.0 == a)
                        .map(|b| Rectangle::new([(b.1, 0.0), (b.2, b.3)], c.filled())),
                )
                .map_err(e2s)?
                .label(arm.clone())
                .legend(legend_rect(c));
        }
        legend(&mut chart, SeriesLabelPosition::UpperLeft, 12, 16)?;
        Ok(())
    }
}
