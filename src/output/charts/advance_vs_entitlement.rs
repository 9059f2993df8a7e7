//! The chart `advance_vs_entitlement`: the mean advance paid and the mean entitlement per
//! household and month, per arm.

use super::{
    colour, e2s, font, header, legend, Cell, Chart, ChartInfo, ChartKind, DrawResult, Table,
};
use crate::analysis::run::RunResult;
use crate::model::scenario::Scenario;
use crate::output::format::euro_label;
use plotters::coord::Shift;
use plotters::prelude::*;

/// The advance paid vs the entitlement through the year.
pub(super) struct AdvanceVsEntitlement;

impl Chart for AdvanceVsEntitlement {
    const COLUMNS: &'static [(&'static str, Cell)] = &[
        ("arm", Cell::Text),
        ("month", Cell::Month),
        ("arm_households", Cell::Count),
        ("mean_advance_eur", Cell::Euros),
        ("mean_entitlement_eur", Cell::Euros),
    ];

    fn title_caption(_t: &Table) -> Result<(String, String), String> {
        Ok((
            "Advance paid vs entitlement through the year".to_string(),
            "Mean per household and month. Solid lines: the advance each arm pays; dashed: the entitlement on the household's actual situation, which the definitive award settles against.".to_string(),
        ))
    }

    fn run_table(sc: &Scenario, r: &RunResult) -> Option<Table> {
        let mut t = Table::for_chart(ChartKind::AdvanceVsEntitlement);
        for (i, arm) in sc.arms.iter().enumerate() {
            let a = &r.arms[i];
            for m in 0..12 {
                t.push(vec![
                    arm.name.clone(),
                    (m + 1).to_string(),
                    a.total.n.to_string(),
                    cents_mean(a.month_paid[m] as i128, a.total.n),
                    cents_mean(a.month_entitled[m] as i128, a.total.n),
                ]);
            }
        }
        Some(t)
    }

    fn draw<DB: DrawingBackend>(
        t: &Table,
        info: &ChartInfo,
        root: &DrawingArea<DB, Shift>,
    ) -> DrawResult {
        let area = header(
        root,
        &info.title,
        "Mean per household per month: advance paid (solid) and entitlement on the actual situation (dashed)",
    )?;
        let arms = t.distinct("arm")?;
        let mut adv: Vec<Vec<(i32, f64)>> = vec![Vec::new(); arms.len()];
        let mut ent: Vec<Vec<(i32, f64)>> = vec![Vec::new(); arms.len()];
        let mut ymax = 0.0f64;
        for i in 0..t.rows.len() {
            let a = arms
                .iter()
                .position(|x| x == t.str(i, "arm").unwrap_or_default())
                .unwrap_or(0);
            let m = t.num(i, "month")? as i32;
            let (p, e) = (
                t.num(i, "mean_advance_eur")?,
                t.num(i, "mean_entitlement_eur")?,
            );
            ymax = ymax.max(p).max(e);
            adv[a].push((m, p));
            ent[a].push((m, e));
        }
        let same_entitlement = ent.windows(2).all(|w| w[0] == w[1]);
        let ymax = (ymax * 1.1).max(1.0);
        let mut chart = ChartBuilder::on(&area)
            .margin(15)
            .margin_right(30)
            .x_label_area_size(55)
            .y_label_area_size(75)
            .build_cartesian_2d(1..12, 0.0..ymax)
            .map_err(e2s)?;
        chart
            .configure_mesh()
            .light_line_style(RGBColor(235, 235, 235))
            .x_desc("month of the benefit year")
            .y_desc("€ per household per month")
            .axis_desc_style(font(18))
            .label_style(font(15))
            .x_labels(12)
            .x_label_formatter(&|m: &i32| {
                MONTHS
                    .get((*m - 1).clamp(0, 11) as usize)
                    .unwrap_or(&"")
                    .to_string()
            })
            .y_label_formatter(&|y| euro_label(*y))
            .draw()
            .map_err(e2s)?;
        for (a, arm) in arms.iter().enumerate() {
            let c = colour(a);
            chart
                .draw_series(LineSeries::new(adv[a].iter().copied(), c.stroke_width(3)))
                .map_err(e2s)?
                .label(format!("advance paid: {arm}"))
                .legend(move |(x, y)| {
                    PathElement::new(vec![(x, y), (x + 20, y)], c.stroke_width(3))
                });
            chart
                .draw_series(adv[a].iter().map(|p| Circle::new(*p, 4, c.filled())))
                .map_err(e2s)?;
            if !same_entitlement || a == 0 {
                let ec = if same_entitlement { BLACK } else { c };
                let label = if same_entitlement {
                    "entitlement (all arms)".to_string()
                } else {
                    format!("entitlement: {arm}")
                };
                chart
                    .draw_series(DashedLineSeries::new(
                        ent[a].iter().copied(),
                        8,
                        5,
                        ec.stroke_width(2),
                    ))
                    .map_err(e2s)?
                    .label(label)
                    .legend(move |(x, y)| {
                        PathElement::new(vec![(x, y), (x + 8, y)], ec.stroke_width(2))
                    });
            }
        }
        legend(&mut chart, SeriesLabelPosition::LowerRight, 12, 16)?;
        Ok(())
    }
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// `num / den` euro cents, rounded half away from zero to whole cents, as `123.45`.
fn cents_mean(num: i128, den: u64) -> String {
    if den == 0 {
        return "0.00".into();
    }
    let d = den as i128;
    let q = (2 * num.abs() + d) / (2 * d);
    let sign = if num < 0 && q != 0 { "-" } else { "" };
    format!("{sign}{}.{:02}", q / 100, q % 100)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cents_mean_rounds_half_away_from_zero() {
        assert_eq!(cents_mean(1050, 2), "5.25");
        assert_eq!(cents_mean(1, 2), "0.01");
        assert_eq!(cents_mean(-1, 2), "-0.01");
        assert_eq!(cents_mean(0, 0), "0.00");
    }
}
