//! The chart `effect_by_decile`: each treatment arm's effect on the share of households with a
//! reclaim, within each decile of the applicant's actual income, with its 95% interval (the
//! `income_decile` subgroups of summary.json: exploratory, outside the family of comparisons).

use super::{
    colour, e2s, font, header, legend, Cell, Chart, ChartInfo, ChartKind, DrawResult, Table, GREY,
};
use crate::analysis::run::RunResult;
use crate::analysis::subgroups::subgroup_effects;
use crate::model::scenario::Scenario;
use crate::output::lang::pick;
use plotters::coord::Shift;
use plotters::prelude::*;

/// The effect by income decile.
pub(super) struct ByDecile;

impl Chart for ByDecile {
    const COLUMNS: &'static [(&'static str, Cell)] = &[
        ("decile", Cell::Text),
        ("arm", Cell::Text),
        ("vs", Cell::Text),
        ("n_control", Cell::Count),
        ("n_treatment", Cell::Count),
        ("control_pct", Cell::Percent),
        ("treatment_pct", Cell::Percent),
        ("difference_pp", Cell::Number),
        ("ci_low_pp", Cell::Number),
        ("ci_high_pp", Cell::Number),
    ];

    fn title_caption(_t: &Table) -> Result<(String, String), String> {
        Ok((
            pick(
                "Effect on the share with a reclaim, by income decile",
                "Effect op het aandeel met een terugvordering, per inkomensdeciel",
            )
            .to_string(),
            pick(
                "Each point: the arm's share of recipient households with a reclaim minus control's, within a decile of the applicant's actual annual income (the control arm's deciles), in percentage points, with its 95% confidence interval (the subgroup method of summary.json). Exploratory: outside the report's family of comparisons; read the interaction test in report.md first.",
                "Elk punt: het aandeel van de huishoudens met een toeslag dat een terugvordering heeft in de variant min dat in de controlegroep, binnen een deciel van het werkelijke jaarinkomen van de aanvrager (de decielen van de controlegroep), in procentpunten, met het 95%-betrouwbaarheidsinterval (de subgroepmethode van summary.json). Verkennend: buiten de familie van vergelijkingen van het rapport; lees eerst de interactietoets in report.md.",
            )
            .to_string(),
        ))
    }

    fn run_table(sc: &Scenario, r: &RunResult) -> Option<Table> {
        if sc.arms.len() < 2 {
            return None;
        }
        let mut t = Table::for_chart(ChartKind::EffectByDecile);
        for i in 1..sc.arms.len() {
            let effects = subgroup_effects(sc, &r.arms, i, r.paired.get(i - 1));
            let Some(e) = effects
                .iter()
                .find(|e| e.dimension == "income_decile" && e.metric == "reclaim_share")
            else {
                continue;
            };
            for g in &e.groups {
                // A group without an estimate (no variance) is left out of the chart.
                let (Some(d), Some(lo), Some(hi)) = (g.difference, g.ci_low, g.ci_high) else {
                    continue;
                };
                let pp = |x: f64| format!("{:.4}", x * 100.0);
                t.push(vec![
                    g.group.clone(),
                    e.arm.clone(),
                    e.vs.clone(),
                    g.n_control.to_string(),
                    g.n_treatment.to_string(),
                    pp(g.control),
                    pp(g.treatment),
                    pp(d),
                    pp(lo),
                    pp(hi),
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
                "arm − control, percentage points, with 95% intervals; deciles of the applicant's actual income",
                "variant − controlegroep, in procentpunten, met 95%-intervallen; decielen van het werkelijke inkomen van de aanvrager",
            ),
        )?;
        let deciles = t.distinct("decile")?;
        let arms = t.distinct("arm")?;
        let mut points = Vec::new();
        for i in 0..t.rows.len() {
            let g = deciles
                .iter()
                .position(|x| x == t.str(i, "decile").unwrap_or_default())
                .unwrap_or(0);
            let a = arms
                .iter()
                .position(|x| x == t.str(i, "arm").unwrap_or_default())
                .unwrap_or(0);
            points.push((
                g,
                a,
                t.num(i, "difference_pp")?,
                t.num(i, "ci_low_pp")?,
                t.num(i, "ci_high_pp")?,
            ));
        }
        // The range holds every interval and zero, with a margin.
        let lo = points.iter().map(|p| p.3).fold(0.0f64, f64::min);
        let hi = points.iter().map(|p| p.4).fold(0.0f64, f64::max);
        let pad = ((hi - lo) * 0.1).max(0.5);
        let n = deciles.len().max(1) as f64;
        let mut chart = ChartBuilder::on(&area)
            .margin(15)
            .margin_right(30)
            .x_label_area_size(45)
            .y_label_area_size(75)
            .build_cartesian_2d(0.0..n, (lo - pad)..(hi + pad))
            .map_err(e2s)?;
        let label = |x: &f64| {
            let k = x.floor() as usize;
            // Ticks sit at the middle of each decile's slot: "1" … "10".
            if (x - k as f64 - 0.5).abs() < 1e-9 && k < deciles.len() {
                deciles[k]
                    .split(':')
                    .next()
                    .unwrap_or_default()
                    .trim_start_matches("decile ")
                    .to_string()
            } else {
                String::new()
            }
        };
        chart
            .configure_mesh()
            .disable_x_mesh()
            .light_line_style(RGBColor(235, 235, 235))
            .x_desc(pick(
                "income decile (1 = lowest; bounds in the CSV and report.md)",
                "inkomensdeciel (1 = laagste; grenzen in de CSV en report.md)",
            ))
            .y_desc(pick(
                "difference (percentage points)",
                "verschil (procentpunten)",
            ))
            .axis_desc_style(font(18))
            .label_style(font(15))
            .x_labels(2 * deciles.len() + 1)
            .x_label_formatter(&label)
            .y_label_formatter(&|y| {
                if y.abs() < 0.5 {
                    "0".to_string()
                } else {
                    format!("{y:+.0}")
                }
            })
            .draw()
            .map_err(e2s)?;
        chart
            .draw_series(std::iter::once(PathElement::new(
                vec![(0.0, 0.0), (n, 0.0)],
                GREY.stroke_width(1),
            )))
            .map_err(e2s)?;
        let k = arms.len().max(1) as f64;
        for (a, arm) in arms.iter().enumerate() {
            let c = colour(a);
            let x = |g: usize| g as f64 + 0.5 + (a as f64 - (k - 1.0) / 2.0) * 0.6 / k;
            let mine: Vec<_> = points.iter().filter(|p| p.1 == a).collect();
            chart
                .draw_series(mine.iter().map(|p| {
                    PathElement::new(vec![(x(p.0), p.3), (x(p.0), p.4)], c.stroke_width(2))
                }))
                .map_err(e2s)?;
            chart
                .draw_series(
                    mine.iter()
                        .map(|p| Circle::new((x(p.0), p.2), 4, c.filled())),
                )
                .map_err(e2s)?
                .label(arm.clone())
                .legend(move |(x, y)| Circle::new((x + 8, y), 4, c.filled()));
        }
        legend(&mut chart, SeriesLabelPosition::UpperRight, 10, 15)
    }
}
