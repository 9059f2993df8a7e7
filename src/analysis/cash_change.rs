//! Winners and losers: per treatment arm and income decile, the share of recipient households
//! with more, less or the same cash than under control, over two windows: the benefit year (the
//! advances paid, net of in-year corrections) and the year with its settlement (advances +
//! back-payment − collected reclaim). A change of at most [`CASH_CHANGE_THRESHOLD`] either
//! way counts as unchanged.
//!
//! Within-household, so the paired design only: in the randomized design a household lives
//! under one arm and its change is not observed (the summary then has no such table).
//! The deciles are those of `by_income_decile` (the control arm's bounds). Descriptive: counts,
//! no test.
//!
//! Must not: run the simulation or format text.

use crate::analysis::accumulators::{PairedSubgroup, CASH_CHANGE_THRESHOLD};
use crate::analysis::run::RunResult;
use crate::analysis::subgroups::{decile_bounds, decile_ranges};
use crate::model::scenario::{Design, Scenario};
use serde::{Deserialize, Serialize};

/// One group's shares better off, unchanged and worse off (they sum to 1 up to rounding).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct CashShares {
    /// Share with more cash under the arm than under control (by more than the threshold).
    pub better: f64,
    /// Share within the threshold.
    pub unchanged: f64,
    /// Share with less cash under the arm.
    pub worse: f64,
}

/// One income decile (or all recipient households) of one arm vs control.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct CashChangeRow {
    /// Decile 1–10; null for all recipient households.
    pub decile: Option<u8>,
    /// Lowest applicant income of the decile (€ a year; 0 for all).
    pub income_from: u64,
    /// Income where the next decile starts (€ a year); null for the last decile and for all.
    pub income_to: Option<u64>,
    /// Recipient households in the group.
    pub households: u64,
    /// Cash in the benefit year: the advances paid.
    pub in_year: CashShares,
    /// Cash over the year and its settlement: advances + back-payment − collected reclaim.
    pub after_settlement: CashShares,
}

/// One treatment arm's winners and losers against control.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct CashChange {
    /// Treatment arm.
    pub arm: String,
    /// Control arm.
    pub vs: String,
    /// A change of at most this many euros either way counts as unchanged.
    pub threshold: u64,
    /// All recipient households.
    pub all: CashChangeRow,
    /// By income decile.
    pub by_income_decile: Vec<CashChangeRow>,
}

fn round6(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}

fn shares(n: u64, c: crate::analysis::accumulators::CashChangeCounts) -> CashShares {
    let r = |k: u64| {
        if n == 0 {
            0.0
        } else {
            round6(k as f64 / n as f64)
        }
    };
    CashShares {
        better: r(c.better),
        unchanged: r(n - c.better - c.worse),
        worse: r(c.worse),
    }
}

fn row(
    decile: Option<u8>,
    income_from: u64,
    income_to: Option<u64>,
    g: &PairedSubgroup,
) -> CashChangeRow {
    CashChangeRow {
        decile,
        income_from,
        income_to,
        households: g.n,
        in_year: shares(g.n, g.in_year),
        after_settlement: shares(g.n, g.settled),
    }
}

/// Every treatment arm's winners and losers against control (empty in the randomized design).
pub fn cash_changes(sc: &Scenario, r: &RunResult) -> Vec<CashChange> {
    if sc.design != Design::Paired || r.arms.is_empty() {
        return vec![];
    }
    let ranges = decile_ranges(&r.arms[0]);
    let mut out = Vec::new();
    for (i, p) in r.paired.iter().enumerate() {
        let mut all = PairedSubgroup::default();
        for g in &p.by_income {
            all.merge(g);
        }
        let by_income_decile = ranges
            .iter()
            .enumerate()
            .map(|(k, &(d, first, last))| {
                let mut g = PairedSubgroup::default();
                for b in first..=last {
                    if let Some(x) = p.by_income.get(b) {
                        g.merge(x);
                    }
                }
                let (from, to) = decile_bounds(&ranges, k);
                row(Some(d as u8 + 1), from, to, &g)
            })
            .collect();
        out.push(CashChange {
            arm: sc.arms[i + 1].name.clone(),
            vs: sc.arms[0].name.clone(),
            threshold: CASH_CHANGE_THRESHOLD.whole_euros().unsigned_abs(),
            all: row(None, 0, None, &all),
            by_income_decile,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::accumulators::{income_bin, PairedAccumulator};
    use crate::model::money::Money;
    use crate::model::outcome::Outcome;

    /// A recipient household with `income`, `advances` and a settlement.
    fn outcome(income: i64, advances: i64, backpay: i64, reclaim: i64) -> Outcome {
        Outcome {
            recipient: true,
            income: Money::euros(income),
            advances: Money::euros(advances),
            backpay: Money::euros(backpay),
            reclaim: Money::euros(reclaim),
            ..Outcome::default()
        }
    }

    #[test]
    fn hand_made_pairs_give_the_known_shares_per_group() {
        let mut p = PairedAccumulator::default();
        let th: Vec<Money> = vec![];
        // Low income (€10,000): 4 households. The arm pays €400 less during the year and the
        // settlement gives it back: worse in the year, unchanged after settlement (3 of them);
        // one gets €5 less (within the threshold): unchanged in both.
        for _ in 0..3 {
            p.add(
                &outcome(10_000, 2_000, 0, 400),
                &outcome(10_000, 1_600, 0, 0),
                &th,
            );
        }
        p.add(
            &outcome(10_000, 2_000, 0, 0),
            &outcome(10_000, 1_995, 5, 0),
            &th,
        );
        // High income (€60,000): 2 households. One gets €50 more after settlement (a small
        // reclaim under control that the arm avoids without paying back), one is unchanged.
        p.add(
            &outcome(60_000, 500, 0, 50),
            &outcome(60_000, 500, 0, 0),
            &th,
        );
        p.add(
            &outcome(60_000, 500, 0, 0),
            &outcome(60_000, 500, 0, 0),
            &th,
        );
        let lo = &p.by_income[income_bin(Money::euros(10_000))];
        assert_eq!((lo.n, lo.in_year.worse, lo.in_year.better), (4, 3, 0));
        assert_eq!((lo.settled.worse, lo.settled.better), (0, 0));
        let hi = &p.by_income[income_bin(Money::euros(60_000))];
        assert_eq!((hi.n, hi.settled.better, hi.in_year.better), (2, 1, 0));
        let s = shares(lo.n, lo.in_year);
        assert_eq!((s.better, s.unchanged, s.worse), (0.0, 0.25, 0.75));
        let s = shares(hi.n, hi.settled);
        assert_eq!((s.better, s.unchanged, s.worse), (0.5, 0.5, 0.0));
    }

    #[test]
    fn a_change_of_exactly_the_threshold_is_unchanged() {
        let mut p = PairedAccumulator::default();
        p.add(
            &outcome(20_000, 100, 0, 0),
            &outcome(20_000, 110, 0, 0),
            &[],
        );
        p.add(&outcome(20_000, 100, 0, 0), &outcome(20_000, 90, 0, 0), &[]);
        let g = &p.by_income[income_bin(Money::euros(20_000))];
        assert_eq!((g.in_year.better, g.in_year.worse), (0, 0));
        p.add(
            &outcome(20_000, 100, 0, 0),
            &outcome(20_000, 111, 0, 0),
            &[],
        );
        let g = &p.by_income[income_bin(Money::euros(20_000))];
        assert_eq!(g.in_year.better, 1);
    }
}
