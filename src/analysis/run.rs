//! A run's statistics: the per-arm accumulators and, in the paired design, the within-household
//! comparisons with control, filled by the engine's runner ([`engine::run_with`]).

use crate::analysis::accumulators::{ArmAccumulator, PairedAccumulator};
use crate::analysis::calibration;
use crate::error::Result;
use crate::model::money::Money;
use crate::model::scenario::{Design, Scenario};
use crate::sim::engine::{self, Outcome, RunOptions, Tally, Year};

/// Aggregated results of a run.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct RunResult {
    /// One accumulator per arm, in scenario arm order (control first).
    pub arms: Vec<ArmAccumulator>,
    /// Per treatment arm (index 1..), the within-household comparison with control (paired
    /// design only; empty otherwise).
    pub paired: Vec<PairedAccumulator>,
    /// Per pair of treatment arms `a < b` (in [`pair_index`] order), the within-household
    /// comparison of `b` with `a` (paired design with two or more treatment arms; empty
    /// otherwise).
    pub between: Vec<PairedAccumulator>,
    /// The counts for the comparison with the public figures (`compare_public = true` only),
    /// filled from this run's own outcomes: no second simulation pass.
    pub public: Option<calibration::Tally>,
    /// The scenario's back-payment threshold (what counts as a back-payment).
    pub backpay_threshold: Money,
}

impl Tally for RunResult {
    fn empty(sc: &Scenario) -> RunResult {
        let k = sc.thresholds_len();
        RunResult {
            arms: (0..sc.arms.len()).map(|_| ArmAccumulator::new(k)).collect(),
            paired: match sc.design {
                Design::Paired => (1..sc.arms.len())
                    .map(|_| PairedAccumulator {
                        keep_pairs: true,
                        ..Default::default()
                    })
                    .collect(),
                Design::Randomized => vec![],
            },
            between: match sc.design {
                Design::Paired => (0..treatment_pairs(sc.arms.len()))
                    .map(|_| PairedAccumulator::default())
                    .collect(),
                Design::Randomized => vec![],
            },
            public: sc.compare_public.then(|| calibration::Tally::new(sc)),
            backpay_threshold: sc.backpay_threshold,
        }
    }

    fn add(&mut self, arm: usize, o: &Outcome, year: &Year, thresholds: &[Money]) {
        self.arms[arm].add(o, year, thresholds, self.backpay_threshold);
        if let Some(p) = &mut self.public {
            Tally::add(p, arm, o, year, thresholds);
        }
    }

    fn add_pair(&mut self, arm: usize, control: &Outcome, o: &Outcome, thresholds: &[Money]) {
        self.paired[arm - 1].add(control, o, thresholds);
        if let Some(p) = &mut self.public {
            p.add_pair(arm, control, o);
        }
    }

    fn add_between(&mut self, a: usize, b: usize, oa: &Outcome, ob: &Outcome, th: &[Money]) {
        let k = self.arms.len();
        self.between[pair_index(k, a, b)].add(oa, ob, th);
    }

    fn merge(&mut self, other: &RunResult) {
        for (t, a) in self.arms.iter_mut().zip(&other.arms) {
            t.merge(a);
        }
        for (t, p) in self.paired.iter_mut().zip(&other.paired) {
            t.merge(p);
        }
        for (t, p) in self.between.iter_mut().zip(&other.between) {
            t.merge(p);
        }
        if let (Some(t), Some(p)) = (&mut self.public, &other.public) {
            t.merge_from(p);
        }
    }

    fn finish(&mut self) {
        for a in self.arms.iter_mut() {
            a.finish();
        }
        for p in self.paired.iter_mut() {
            p.pairs.finish();
        }
    }
}

/// The number of pairs of treatment arms among `arms` arms (control is arm 0).
pub fn treatment_pairs(arms: usize) -> usize {
    let t = arms.saturating_sub(1);
    t * t.saturating_sub(1) / 2
}

/// The index of the pair of treatment arms `a < b` (both in `1..arms`) in
/// [`RunResult::between`]: pairs in order (1,2), (1,3), …, (2,3), ….
pub fn pair_index(arms: usize, a: usize, b: usize) -> usize {
    debug_assert!(1 <= a && a < b && b < arms);
    // Pairs before row a: Σ_{i=1}^{a-1} (arms − 1 − i).
    let before: usize = (1..a).map(|i| arms - 1 - i).sum();
    before + (b - a - 1)
}

/// Runs the scenario and returns per-arm accumulators. `on_rows` receives per-household
/// outcomes in household order (when `opts.household_rows`); `on_progress` receives
/// (households done, total).
pub fn run(
    sc: &Scenario,
    opts: &RunOptions,
    mut on_rows: impl FnMut(&[Outcome]) -> Result<()> + Send,
    on_progress: impl FnMut(u64, u64),
) -> Result<RunResult> {
    engine::run_with(sc, opts, |rows, _| on_rows(rows), on_progress)
}

/// [`run`], with each household's year month by month beside its outcomes (when
/// `opts.household_rows` and `opts.monthly_rows`; empty otherwise: for the monthly ledger), and
/// each chunk's rows first turned into a piece by `prepare` on the worker that simulated them;
/// `on_rows` receives the pieces in household order, with their rows when `rows_too` (see
/// [`engine::run_prepared`]).
pub fn run_prepared<P: Send>(
    sc: &Scenario,
    opts: &RunOptions,
    prepare: impl Fn(&[Outcome], &[crate::model::outcome::YearMonths]) -> Result<P> + Sync,
    rows_too: bool,
    on_rows: impl FnMut(&[Outcome], &[crate::model::outcome::YearMonths], P) -> Result<()> + Send,
    on_progress: impl FnMut(u64, u64),
) -> Result<RunResult> {
    engine::run_prepared(sc, opts, prepare, rows_too, on_rows, on_progress)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pair_indices_are_dense_and_in_order() {
        for arms in 3..7 {
            let mut want = 0;
            for a in 1..arms {
                for b in a + 1..arms {
                    assert_eq!(pair_index(arms, a, b), want, "{arms} {a} {b}");
                    want += 1;
                }
            }
            assert_eq!(treatment_pairs(arms), want);
        }
        assert_eq!(treatment_pairs(2), 0);
        assert_eq!(treatment_pairs(1), 0);
    }
}
