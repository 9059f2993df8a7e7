//! The chart `advance_vs_entitlement`: how far each arm's advances run ahead of (or behind) the
//! entitlement through the year — the mean advance paid so far minus the mean entitlement so
//! far on the actual situation, per household, month by month. Its December value is what the
//! definitive award settles (reclaim above zero, back-payment below). The table also holds the
//! monthly means themselves.

use super::{
    colour, e2s, font, header, legend, Cell, Chart, ChartInfo, ChartKind, DrawResult, Table, GREY,
};
use crate::analysis::run::RunResult;
use crate::model::scenario::Scenario;
use crate::output::format::euro_label;
use crate::output::lang::pick;
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
        ("cumulative_gap_eur", Cell::Euros),
    ];

    fn title_caption(_t: &Table) -> Result<(String, String), String> {
        Ok((
            pick(
                "Advance paid minus entitlement, accumulated through the year",
                "Betaald voorschot min recht op toeslag, opgeteld over het jaar",
            )
            .to_string(),
            pick(
                "Mean per household: the advances paid up to each month minus the entitlement up to that month on the household's actual situation. Above zero the arm has paid more than households are entitled to (a reclaim if the year ended there), below zero less (a back-payment); the December value is what the definitive award settles, on average. The monthly means themselves are in the CSV.",
                "Gemiddelde per huishouden: de voorschotten die tot en met elke maand zijn betaald, min het recht op toeslag tot en met die maand volgens de werkelijke situatie van het huishouden. Boven nul heeft de variant meer betaald dan waar de huishoudens recht op hebben (een terugvordering als het jaar daar zou eindigen), onder nul minder (een nabetaling); de waarde in december is wat de definitieve toekenning gemiddeld verrekent. De maandgemiddelden zelf staan in de CSV.",
            )
            .to_string(),
        ))
    }

    fn run_table(sc: &Scenario, r: &RunResult) -> Option<Table> {
        let mut t = Table::for_chart(ChartKind::AdvanceVsEntitlement);
        for (i, arm) in sc.arms.iter().enumerate() {
            let a = &r.arms[i];
            let mut gap: i128 = 0;
            for m in 0..12 {
                gap += a.month_paid[m] as i128 - a.month_entitled[m] as i128;
                t.push(vec![
                    arm.name.clone(),
                    (m + 1).to_string(),
                    a.total.n.to_string(),
                    cents_mean(a.month_paid[m] as i128, a.total.n),
                    cents_mean(a.month_entitled[m] as i128, a.total.n),
                    cents_mean(gap, a.total.n),
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
            pick(
                "Mean per household: advances paid so far − entitlement so far (actual situation); above 0 a reclaim builds up",
                "Gemiddelde per huishouden: betaalde voorschotten tot nu toe − recht tot nu toe (werkelijke situatie); boven 0 groeit een terugvordering",
            ),
        )?;
        let arms = t.distinct("arm")?;
        let mut gap: Vec<Vec<(i32, f64)>> = vec![Vec::new(); arms.len()];
        let (mut lo, mut hi) = (0.0f64, 0.0f64);
        for i in 0..t.rows.len() {
            let a = arms
                .iter()
                .position(|x| x == t.str(i, "arm").unwrap_or_default())
                .unwrap_or(0);
            let m = t.num(i, "month")? as i32;
            let g = t.num(i, "cumulative_gap_eur")?;
            lo = lo.min(g);
            hi = hi.max(g);
            gap[a].push((m, g));
        }
        let pad = ((hi - lo) * 0.1).max(1.0);
        let mut chart = ChartBuilder::on(&area)
            .margin(15)
            .margin_right(30)
            .x_label_area_size(55)
            .y_label_area_size(85)
            .build_cartesian_2d(1..12, (lo - pad)..(hi + pad))
            .map_err(e2s)?;
        chart
            .configure_mesh()
            .light_line_style(RGBColor(235, 235, 235))
            .x_desc(pick(
                "month of the benefit year",
                "maand van het toeslagjaar",
            ))
            .y_desc(pick(
                "€ per household, accumulated",
                "€ per huishouden, opgeteld",
            ))
            .axis_desc_style(font(18))
            .label_style(font(15))
            .x_labels(12)
            .x_label_formatter(&|m: &i32| {
                let months = pick_months();
                months
                    .get((*m - 1).clamp(0, 11) as usize)
                    .unwrap_or(&"")
                    .to_string()
            })
            .y_label_formatter(&|y| euro_label(*y))
            .draw()
            .map_err(e2s)?;
        chart
            .draw_series(std::iter::once(PathElement::new(
                vec![(1, 0.0), (12, 0.0)],
                GREY.stroke_width(1),
            )))
            .map_err(e2s)?;
        for (a, arm) in arms.iter().enumerate() {
            let c = colour(a);
            chart
                .draw_series(LineSeries::new(gap[a].iter().copied(), c.stroke_width(3)))
                .map_err(e2s)?
                .label(arm.clone())
                .legend(move |(x, y)| {
                    PathElement::new(vec![(x, y), (x + 20, y)], c.stroke_width(3))
                });
            chart
                .draw_series(gap[a].iter().map(|p| Circle::new(*p, 4, c.filled())))
                .map_err(e2s)?;
        }
        // Every line starts near zero in January: the legend goes in the left corner away
        // from zero (below when the gaps run negative, above when they run positive).
        let corner = if -lo > hi {
            SeriesLabelPosition::LowerLeft
        } else {
            SeriesLabelPosition::UpperLeft
        };
        legend(&mut chart, corner, 12, 16)?;
        Ok(())
    }
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// The months' Dutch abbreviations (lower case, as Dutch writes them).
const MAANDEN: [&str; 12] = [
    "jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec",
];

/// The abbreviated months in the current language.
fn pick_months() -> &'static [&'static str; 12] {
    match crate::output::lang::current() {
        crate::output::lang::Lang::En => &MONTHS,
        crate::output::lang::Lang::Nl => &MAANDEN,
    }
}

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
