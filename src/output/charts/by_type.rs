//! The chart `reclaim_share_by_type`: the share of households with a reclaim per household
//! type and arm, with 95% confidence intervals.

use super::{ci_cells, grouped_bars, header, Cell, Chart, ChartInfo, ChartKind, DrawResult, Table};
use crate::analysis::accumulators::GroupStats;
use crate::analysis::run::RunResult;
use crate::model::scenario::{Scenario, HOUSEHOLD_TYPES};
use crate::output::format::pct4_of as pct;
use plotters::coord::Shift;
use plotters::prelude::*;

/// The reclaim share by household type.
pub(super) struct ByType;

impl Chart for ByType {
    const COLUMNS: &'static [(&'static str, Cell)] = &[
        ("household_type", Cell::Text),
        ("arm", Cell::Text),
        ("households", Cell::Count),
        ("with_reclaim", Cell::Count),
        ("share_pct", Cell::Percent),
        ("ci_low_pct", Cell::Percent),
        ("ci_high_pct", Cell::Percent),
    ];

    fn title_caption(_t: &Table) -> Result<(String, String), String> {
        Ok((
            "Households with a reclaim, by household type".to_string(),
            "Share of households with a reclaim per household type and arm. Error bars: 95% confidence intervals (Wilson).".to_string(),
        ))
    }

    fn run_table(sc: &Scenario, r: &RunResult) -> Option<Table> {
        let mut t = Table::for_chart(ChartKind::ReclaimShareByType);
        for (ti, ty) in HOUSEHOLD_TYPES.iter().enumerate() {
            for (i, arm) in sc.arms.iter().enumerate() {
                let g: &GroupStats = &r.arms[i].by_type[ti];
                let [lo, hi] = ci_cells(g.n_reclaim, g.n);
                t.push(vec![
                    ty.to_string(),
                    arm.name.clone(),
                    g.n.to_string(),
                    g.n_reclaim.to_string(),
                    pct(g.n_reclaim, g.n),
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
        "Share of households of each type with a reclaim, per arm, with 95% confidence intervals",
    )?;
        let arms = t.distinct("arm")?;
        let types = t.distinct("household_type")?;
        let mut values = vec![vec![None; arms.len()]; types.len()];
        for i in 0..t.rows.len() {
            let g = types
                .iter()
                .position(|x| x == t.str(i, "household_type").unwrap_or_default())
                .unwrap_or(0);
            let a = arms
                .iter()
                .position(|x| x == t.str(i, "arm").unwrap_or_default())
                .unwrap_or(0);
            values[g][a] = Some((
                t.num(i, "share_pct")?,
                t.num(i, "ci_low_pct")?,
                t.num(i, "ci_high_pct")?,
            ));
        }
        let groups: Vec<String> = types.iter().map(|s| human_type(s)).collect();
        grouped_bars(
            &area,
            root,
            &groups,
            &arms,
            &values,
            "household type",
            "households with a reclaim (% of type)",
        )
    }
}

fn human_type(t: &str) -> String {
    t.replace('_', " ")
}
