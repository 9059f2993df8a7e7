//! A run's statistics: the per-arm accumulators and, in the paired design, the within-household
//! comparisons with control, filled by the engine's runner ([`engine::run_with`]).

use crate::analysis::accumulators::{ArmAccumulator, PairedAccumulator};
use crate::analysis::calibration;
use crate::error::Result;
use crate::model::money::Money;
use crate::model::scenario::{Design, Scenario};
use crate::sim::engine::{self, Outcome, RunOptions, Tally, Year};

/// Aggregated results of a run.
#[derive(Clone, Debug)]
pub struct RunResult {
    /// One accumulator per arm, in scenario arm order (control first).
    pub arms: Vec<ArmAccumulator>,
    /// Per treatment arm (index 1..), the within-household comparison with control (paired
    /// design only; empty otherwise).
    pub paired: Vec<PairedAccumulator>,
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

    fn merge(&mut self, other: &RunResult) {
        for (t, a) in self.arms.iter_mut().zip(&other.arms) {
            t.merge(a);
        }
        for (t, p) in self.paired.iter_mut().zip(&other.paired) {
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
    }
}

/// Runs the scenario and returns per-arm accumulators. `on_rows` receives per-household
/// outcomes in household order (when `opts.household_rows`); `on_progress` receives
/// (households done, total).
pub fn run(
    sc: &Scenario,
    opts: &RunOptions,
    on_rows: impl FnMut(&[Outcome]) -> Result<()>,
    on_progress: impl FnMut(u64, u64),
) -> Result<RunResult> {
    engine::run_with(sc, opts, on_rows, on_progress)
}
