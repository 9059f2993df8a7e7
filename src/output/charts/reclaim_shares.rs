//! The chart `reclaim_shares`: the share of each arm's households with a reclaim and with a
//! reclaim above the report's primary threshold, with 95% confidence intervals.

use super::{ci_cells, grouped_bars, header, Cell, Chart, ChartInfo, ChartKind, DrawResult, Table};
use crate::analysis::run::RunResult;
use crate::model::scenario::Scenario;
use crate::output::format::euro_label;
use crate::output::format::pct4_of as pct;
use crate::output::lang::pick;
use crate::output::report::primary_threshold;
use plotters::coord::Shift;
use plotters::prelude::*;

/// The reclaim shares per arm.
pub(super) struct ReclaimShares;

impl Chart for ReclaimShares {
    const COLUMNS: &'static [(&'static str, Cell)] = &[
        ("arm", Cell::Text),
        ("measure", Cell::Text),
        ("threshold_eur", Cell::Euros),
        ("households", Cell::Count),
        ("with", Cell::Count),
        ("share_pct", Cell::Percent),
        ("ci_low_pct", Cell::Percent),
        ("ci_high_pct", Cell::Percent),
    ];

    /// The caption names the high-reclaim threshold of the table.
    fn title_caption(t: &Table) -> Result<(String, String), String> {
        let thr = (0..t.rows.len())
            .find(|&i| t.str(i, "measure").ok() == Some("high_reclaim"))
            .map(|i| t.num(i, "threshold_eur"))
            .transpose()?
            .unwrap_or(1000.0);
        let thr = euro_label(thr);
        Ok((
            pick("Households with a reclaim, per arm", "Huishoudens met een terugvordering, per variant").to_string(),
            crate::tr!(
                "Share of households that must pay back part of their advance, and share whose reclaim is above {thr}. Error bars: 95% confidence intervals (Wilson).",
                "Aandeel van de huishoudens dat een deel van het voorschot moet terugbetalen, en aandeel met een terugvordering boven {thr}. Foutbalken: 95%-betrouwbaarheidsintervallen (Wilson)."
            ),
        ))
    }

    fn run_table(sc: &Scenario, r: &RunResult) -> Option<Table> {
        let primary = primary_threshold(&sc.high_reclaim_thresholds);
        let thr = sc
            .high_reclaim_thresholds
            .get(primary)
            .map(|m| m.whole_euros())
            .unwrap_or(1000);
        let mut t = Table::for_chart(ChartKind::ReclaimShares);
        for (i, arm) in sc.arms.iter().enumerate() {
            let g = &r.arms[i].total;
            let high = g.n_high.get(primary).copied().unwrap_or(0);
            for (measure, th, x) in [("reclaim", 0, g.n_reclaim), ("high_reclaim", thr, high)] {
                let [lo, hi] = ci_cells(x, g.n);
                t.push(vec![
                    arm.name.clone(),
                    measure.into(),
                    th.to_string(),
                    g.n.to_string(),
                    x.to_string(),
                    pct(x, g.n),
                    lo,
                    hi,
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
                "Share of each arm's households, with 95% confidence intervals",
                "Aandeel van de huishoudens per variant, met 95%-betrouwbaarheidsintervallen",
            ),
        )?;
        let arms = t.distinct("arm")?;
        let measures = t.distinct("measure")?;
        let mut groups = Vec::new();
        let mut values = Vec::new();
        for m in &measures {
            let mut label = String::new();
            let mut row = vec![None; arms.len()];
            for i in 0..t.rows.len() {
                if t.str(i, "measure")? != m {
                    continue;
                }
                label = match m.as_str() {
                    "reclaim" => pick("any reclaim", "terugvordering (elk bedrag)").to_string(),
                    "high_reclaim" => {
                        let thr = euro_label(t.num(i, "threshold_eur")?);
                        crate::tr!("reclaim above {thr}", "terugvordering boven {thr}")
                    }
                    other => other.replace('_', " "),
                };
                let a = arms
                    .iter()
                    .position(|x| x == t.str(i, "arm").unwrap_or_default())
                    .unwrap_or(0);
                row[a] = Some((
                    t.num(i, "share_pct")?,
                    t.num(i, "ci_low_pct")?,
                    t.num(i, "ci_high_pct")?,
                ));
            }
            groups.push(label);
            values.push(row);
        }
        grouped_bars(
            &area,
            root,
            &groups,
            &arms,
            &values,
            pick(
                "reclaim at the definitive award",
                "terugvordering bij de definitieve toekenning",
            ),
            pick(
                "households with a reclaim (% of arm)",
                "huishoudens met terugvordering (% van variant)",
            ),
        )
    }
}
