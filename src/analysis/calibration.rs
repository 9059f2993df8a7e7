//! The calibration tally: exact counts of a scenario's control arm (toeslagen, reclaims,
//! back-payments per benefit) and of its lab and intervention arms, for comparison with the
//! public figures. The tally is a runner [`crate::sim::engine::Tally`]: a run with
//! `compare_public = true` fills it from its own outcomes (no second pass); `calibrate` runs the
//! scenario paired (every household under every arm) into it.
//!
//! Counting: a *toeslag* is one benefit of one household with a definitive award or advances
//! above zero; a *recipient household* has at least one. A reclaim is the amount collected (above
//! the small-reclaim threshold); a back-payment counts when above the scenario's `backpay_threshold`
//! (default €11: up to €11 per benefit is the rounding remainder of floor(annual / 12) monthly
//! advances, which the public statistics do not count as a back-payment; assumption). Every count is an exact integer
//! merged in a fixed way, so the tally does not depend on the thread count.
//!
//! Must not: format text (that is the output layer's job).

use crate::error::Result;
use crate::model::money::Money;
use crate::model::scenario::Scenario;
use crate::rules::N_BENEFITS;
use crate::sim::engine::{Outcome, Year};

/// Exact counts of the control arm and the lab and intervention arms.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Tally {
    /// Households simulated.
    pub households: u64,
    /// Households with at least one toeslag.
    pub recipients: u64,
    /// Recipient households with a collected reclaim.
    pub households_reclaim: u64,
    /// Toeslagen per benefit.
    pub toeslagen: [u64; N_BENEFITS],
    /// Toeslagen with a collected reclaim, per benefit.
    pub reclaims: [u64; N_BENEFITS],
    /// Collected reclaims, cents, per benefit.
    pub reclaimed: [i64; N_BENEFITS],
    /// Toeslagen with a reclaim before the small-reclaim threshold (all benefits).
    pub reclaims_raw: u64,
    /// Those reclaims before the threshold, cents.
    pub reclaimed_raw: i64,
    /// Toeslagen with a back-payment above the threshold, per benefit.
    pub backpays: [u64; N_BENEFITS],
    /// Those back-payments, cents, per benefit.
    pub backpaid: [i64; N_BENEFITS],
    /// Definitive awards, cents, per benefit (over toeslagen).
    pub awarded: [i64; N_BENEFITS],
    /// 100% advances, cents, per benefit (over toeslagen).
    pub advanced: [i64; N_BENEFITS],
    /// Households entitled to each benefit (an award above zero had they applied).
    pub entitled: [u64; N_BENEFITS],
    /// Entitled households that did not apply (`[behaviour.non_take_up]`), per benefit.
    pub not_applied: [u64; N_BENEFITS],
    /// Per arm: households that took the offer.
    pub took: Vec<u64>,
    /// Per arm: takers by chosen percentage band: <75, 75–84, 85–94, ≥95.
    pub bands: Vec<[u64; 4]>,
    /// Per arm: takers choosing ≤80% / >80%: [n, reclaims under control, reclaims in the arm].
    pub by_pct: Vec<[[u64; 3]; 2]>,
    /// Per arm: households with a reclaim in the arm.
    pub arm_reclaims: Vec<u64>,
    /// Per arm: attention letters sent, answered, answered with a lower childcare advance.
    pub letters: Vec<[u64; 3]>,
    /// Per arm: Σ decrease of the annual childcare award among answers that lowered it, cents.
    pub letter_decrease: Vec<i64>,
    /// Per arm: mutation letters, mutations carried out, households guided.
    pub mutations: Vec<[u64; 3]>,
    /// Per arm: guided households whose childcare advance was lowered, Σ decrease (cents),
    /// guided households whose advance was raised, Σ increase (cents).
    pub guidance: Vec<[i64; 4]>,
    /// The benefits the scenario simulates.
    pub enabled: [bool; N_BENEFITS],
    /// Back-payments of one benefit up to this amount are not counted (the scenario's
    /// `backpay_threshold`).
    pub backpay_threshold: Money,
}

impl Tally {
    /// An empty tally for the scenario's arms and benefits.
    pub fn new(sc: &Scenario) -> Tally {
        let arms = sc.arms.len();
        Tally {
            enabled: sc.population.benefits,
            backpay_threshold: sc.backpay_threshold,
            took: vec![0; arms],
            bands: vec![[0; 4]; arms],
            by_pct: vec![[[0; 3]; 2]; arms],
            arm_reclaims: vec![0; arms],
            letters: vec![[0; 3]; arms],
            letter_decrease: vec![0; arms],
            mutations: vec![[0; 3]; arms],
            guidance: vec![[0; 4]; arms],
            ..Tally::default()
        }
    }

    /// Adds another tally (exact).
    pub fn merge_from(&mut self, o: &Tally) {
        self.households += o.households;
        self.recipients += o.recipients;
        self.households_reclaim += o.households_reclaim;
        self.reclaims_raw += o.reclaims_raw;
        self.reclaimed_raw += o.reclaimed_raw;
        for b in 0..N_BENEFITS {
            self.toeslagen[b] += o.toeslagen[b];
            self.reclaims[b] += o.reclaims[b];
            self.reclaimed[b] += o.reclaimed[b];
            self.backpays[b] += o.backpays[b];
            self.backpaid[b] += o.backpaid[b];
            self.awarded[b] += o.awarded[b];
            self.advanced[b] += o.advanced[b];
            self.entitled[b] += o.entitled[b];
            self.not_applied[b] += o.not_applied[b];
        }
        for a in 0..self.took.len() {
            self.took[a] += o.took[a];
            self.arm_reclaims[a] += o.arm_reclaims[a];
            self.letter_decrease[a] += o.letter_decrease[a];
            for i in 0..4 {
                self.guidance[a][i] += o.guidance[a][i];
            }
            for i in 0..4 {
                self.bands[a][i] += o.bands[a][i];
            }
            for i in 0..3 {
                self.letters[a][i] += o.letters[a][i];
                self.mutations[a][i] += o.mutations[a][i];
                for g in 0..2 {
                    self.by_pct[a][g][i] += o.by_pct[a][g][i];
                }
            }
        }
    }

    /// The control arm's counts for one household: per benefit from its year (the 100%
    /// advances and the definitive award) and its control outcome (the collected reclaims, and
    /// which benefits it applied for: one it did not apply for is no toeslag, and counts as
    /// non-take-up when it was entitled).
    pub fn add_control(&mut self, control: &Outcome, year: &Year) {
        self.households += 1;
        let mut any = false;
        for b in 0..N_BENEFITS {
            if !self.enabled[b] {
                continue;
            }
            if control.entitlement_by_benefit[b] > Money::ZERO {
                self.entitled[b] += 1;
                if !control.applied_for(b) {
                    self.not_applied[b] += 1;
                }
            }
            if !control.applied_for(b) {
                continue;
            }
            let net = year.full[b].net;
            let d = year.definitive[b];
            if net <= Money::ZERO && d <= Money::ZERO {
                continue;
            }
            any = true;
            self.toeslagen[b] += 1;
            self.awarded[b] += d.0;
            self.advanced[b] += net.0;
            let raw = (net - d).max_zero();
            if raw > Money::ZERO {
                self.reclaims_raw += 1;
                self.reclaimed_raw += raw.0;
            }
            let reclaim = control.reclaim_by_benefit[b];
            if reclaim > Money::ZERO {
                self.reclaims[b] += 1;
                self.reclaimed[b] += reclaim.0;
            }
            let backpay = (d - net).max_zero();
            if backpay > self.backpay_threshold {
                self.backpays[b] += 1;
                self.backpaid[b] += backpay.0;
            }
        }
        if any {
            self.recipients += 1;
        }
        if control.reclaim > Money::ZERO {
            self.households_reclaim += 1;
        }
    }

    /// One household's outcome in treatment arm `a` (1..).
    pub fn add_arm(&mut self, a: usize, o: &Outcome) {
        self.arm_reclaims[a] += u64::from(o.reclaim > Money::ZERO);
        if o.took_offer {
            self.took[a] += 1;
            self.bands[a][band(o)] += 1;
        }
        let trace = &o.interventions;
        self.letters[a][0] += u64::from(trace.letter_sent);
        self.letters[a][1] += u64::from(trace.letter_answered);
        if trace.letter_childcare_change < Money::ZERO {
            self.letters[a][2] += 1;
            self.letter_decrease[a] -= trace.letter_childcare_change.0;
        }
        self.mutations[a][0] += trace.mutation_letters as u64;
        self.mutations[a][1] += trace.mutations as u64;
        self.mutations[a][2] += u64::from(trace.guided);
        let d = trace.guidance_childcare_change.0;
        if d < 0 {
            self.guidance[a][0] += 1;
            self.guidance[a][1] -= d;
        } else if d > 0 {
            self.guidance[a][2] += 1;
            self.guidance[a][3] += d;
        }
    }

    /// Paired design: a taker's reclaim in arm `a` next to its reclaim under control (the
    /// lab's split by chosen percentage).
    pub fn add_pair(&mut self, a: usize, control: &Outcome, o: &Outcome) {
        if !o.took_offer {
            return;
        }
        let g = usize::from(whole_percentage(o) > 80);
        self.by_pct[a][g][0] += 1;
        self.by_pct[a][g][1] += u64::from(control.reclaim > Money::ZERO);
        self.by_pct[a][g][2] += u64::from(o.reclaim > Money::ZERO);
    }
}

/// The chosen whole percentage of a household that took the offer.
fn whole_percentage(o: &Outcome) -> i64 {
    o.percentage.0 / (crate::model::money::RATE_SCALE / 100)
}

/// The chosen-percentage band: <75, 75–84, 85–94, ≥95.
fn band(o: &Outcome) -> usize {
    match whole_percentage(o) {
        ..=74 => 0,
        75..=84 => 1,
        85..=94 => 2,
        _ => 3,
    }
}

impl crate::sim::engine::Tally for Tally {
    fn empty(sc: &Scenario) -> Tally {
        Tally::new(sc)
    }

    fn add(&mut self, arm: usize, o: &Outcome, year: &Year, _thresholds: &[Money]) {
        if arm == 0 {
            self.add_control(o, year);
        } else {
            self.add_arm(arm, o);
        }
    }

    fn add_pair(&mut self, arm: usize, control: &Outcome, o: &Outcome, _thresholds: &[Money]) {
        Tally::add_pair(self, arm, control, o);
    }

    fn merge(&mut self, other: &Tally) {
        self.merge_from(other);
    }

    fn finish(&mut self) {}
}

/// Simulates every household of the scenario under every arm (the paired design, whatever the
/// scenario's design: the lab figures need each taker's reclaim under control) into a
/// [`Tally`] (exact; independent of `threads`). A run with `compare_public = true` fills the
/// same tally from its own simulation instead ([`crate::analysis::run::RunResult::public`]).
pub fn tally(sc: &Scenario, threads: usize) -> Result<Tally> {
    let mut paired = sc.clone();
    paired.design = crate::model::scenario::Design::Paired;
    let opts = crate::sim::engine::RunOptions {
        threads,
        ..Default::default()
    };
    crate::sim::engine::run_with(&paired, &opts, |_, _| Ok(()), |_, _| {})
}

/// `a / b` (0 when `b` is 0).
pub use crate::analysis::accumulators::ratio as share;

/// Mean in euros of `cents` over `n` (0 when `n` is 0).
pub fn mean(cents: i64, n: u64) -> f64 {
    if n == 0 {
        0.0
    } else {
        cents as f64 / n as f64 / 100.0
    }
}
