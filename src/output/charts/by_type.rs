//! The chart `reclaim_share_by_type`: the share of households with a reclaim per household
//! type and arm, with 95% confidence intervals.

use super::{ci_cells, grouped_bars, header, Cell, Chart, ChartInfo, ChartKind, DrawResult, Table};
use crate::analysis::accumulators::GroupStats;
use crate::analysis::run::RunResult;
use crate::model::scenario::{Scenario, HOUSEHOLD_TYPES};
use crate::output::format::pct4_of as pct;
use crate::output::lang::{current, pick, Lang};
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
            pick(
                "Households with a reclaim, by household type",
                "Huishoudens met een terugvordering, per huishoudtype",
            )
            .to_string(),
            pick(
                "Share of households with a reclaim per household type and arm. Error bars: 95% confidence intervals (Wilson).",
                "Aandeel van de huishoudens met een terugvordering per huishoudtype en variant. Foutbalken: 95%-betrouwbaarheidsintervallen (Wilson).",
            )
            .to_string(),
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
            pick(
                "Share of households of each type with a reclaim, per arm, with 95% confidence intervals",
                "Aandeel van de huishoudens van elk type met een terugvordering, per variant, met 95%-betrouwbaarheidsintervallen",
            ),
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
            pick("household type", "huishoudtype"),
            pick(
                "households with a reclaim (% of type)",
                "huishoudens met terugvordering (% van type)",
            ),
        )
    }
}

/// A household type of the table (`single_parent`) in words: `single parent`, in Dutch
/// `alleenstaande ouder` (a type this version does not know is shown as its words).
fn human_type(t: &str) -> String {
    let dutch = match t {
        "single" => "alleenstaande",
        "couple" => "paar zonder kinderen",
        "single_parent" => "alleenstaande ouder",
        "couple_with_children" => "paar met kinderen",
        _ => "",
    };
    match current() {
        Lang::Nl if !dutch.is_empty() => dutch.to_string(),
        _ => t.replace('_', " "),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::scenario::HOUSEHOLD_TYPES;

    #[test]
    fn every_household_type_has_its_dutch_words() {
        let _nl = crate::output::lang::scoped(Lang::Nl);
        for t in HOUSEHOLD_TYPES {
            assert_ne!(human_type(t), t.replace('_', " "), "{t}");
        }
        assert_eq!(human_type("new_type"), "new type");
    }
}
