//! The calibration tally: exact counts of a scenario's control arm (toeslagen, reclaims,
//! back-payments per benefit) and of its lab and intervention arms, from a second simulation
//! pass over the households, for comparison with the public figures.
//!
//! Counting: a *toeslag* is one benefit of one household with a definitive award or advances
//! above zero; a *recipient household* has at least one. A reclaim is the amount collected (above
//! the small-reclaim threshold); a back-payment counts when above €11, because up to €11 per
//! benefit is the rounding remainder of floor(annual / 12) monthly advances, which the public
//! statistics do not count as a back-payment (assumption). Every count is an exact integer
//! merged in a fixed way, so the tally does not depend on the thread count.
//!
//! Must not: format text (that is the output layer's job).

use crate::error::Result;
use crate::model::money::Money;
use crate::model::scenario::Scenario;
use crate::rules::{awir, N_BENEFITS};
use crate::sim::engine::{simulate_arm_given, Year};
use crate::sim::population::generate;
use rayon::prelude::*;

/// Back-payments up to this amount are rounding remainders, not counted.
const BACKPAY_MIN: Money = Money::euros(11);

/// Exact counts of the control arm and the lab and intervention arms.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
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
    /// Toeslagen with a back-payment above €11, per benefit.
    pub backpays: [u64; N_BENEFITS],
    /// Those back-payments, cents, per benefit.
    pub backpaid: [i64; N_BENEFITS],
    /// Definitive awards, cents, per benefit (over toeslagen).
    pub awarded: [i64; N_BENEFITS],
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
}

impl Tally {
    fn new(arms: usize) -> Tally {
        Tally {
            took: vec![0; arms],
            bands: vec![[0; 4]; arms],
            by_pct: vec![[[0; 3]; 2]; arms],
            arm_reclaims: vec![0; arms],
            letters: vec![[0; 3]; arms],
            letter_decrease: vec![0; arms],
            mutations: vec![[0; 3]; arms],
            ..Tally::default()
        }
    }

    fn merge(mut self, o: Tally) -> Tally {
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
        }
        for a in 0..self.took.len() {
            self.took[a] += o.took[a];
            self.arm_reclaims[a] += o.arm_reclaims[a];
            self.letter_decrease[a] += o.letter_decrease[a];
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
        self
    }

    fn add(&mut self, sc: &Scenario, id: u64) -> Result<()> {
        let h = generate(sc, id);
        let year = Year::compute(sc, &h);
        self.households += 1;
        let mut any = false;
        let mut control_reclaim = false;
        for b in 0..N_BENEFITS {
            if !sc.population.benefits[b] {
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
            let raw = (net - d).max_zero();
            if raw > Money::ZERO {
                self.reclaims_raw += 1;
                self.reclaimed_raw += raw.0;
            }
            let reclaim = awir::collected_reclaim(&sc.params.awir, raw);
            if reclaim > Money::ZERO {
                self.reclaims[b] += 1;
                self.reclaimed[b] += reclaim.0;
                control_reclaim = true;
            }
            let backpay = (d - net).max_zero();
            if backpay > BACKPAY_MIN {
                self.backpays[b] += 1;
                self.backpaid[b] += backpay.0;
            }
        }
        if any {
            self.recipients += 1;
        }
        if control_reclaim {
            self.households_reclaim += 1;
        }
        let u = crate::sim::behaviour::takeup_draw(sc.seed, id);
        for a in 1..sc.arms.len() {
            let arm = &sc.arms[a];
            let (hh, trace) = if arm.interventions.is_empty() {
                (None, Default::default())
            } else {
                let (hh, t) = crate::sim::interventions::apply(sc, arm, &h);
                (Some(hh), t)
            };
            let o = match &hh {
                Some(hh) => simulate_arm_given(sc, hh, &Year::compute(sc, hh), a, u)?,
                None => simulate_arm_given(sc, &h, &year, a, u)?,
            };
            let arm_reclaim = o.reclaim > Money::ZERO;
            self.arm_reclaims[a] += u64::from(arm_reclaim);
            if o.took_offer {
                self.took[a] += 1;
                let p = o.percentage.0 / (crate::model::money::RATE_SCALE / 100);
                let band = match p {
                    ..=74 => 0,
                    75..=84 => 1,
                    85..=94 => 2,
                    _ => 3,
                };
                self.bands[a][band] += 1;
                let g = usize::from(p > 80);
                self.by_pct[a][g][0] += 1;
                self.by_pct[a][g][1] += u64::from(control_reclaim);
                self.by_pct[a][g][2] += u64::from(arm_reclaim);
            }
            self.letters[a][0] += u64::from(trace.letter_sent);
            self.letters[a][1] += u64::from(trace.letter_answered);
            if trace.letter_childcare_change < Money::ZERO {
                self.letters[a][2] += 1;
                self.letter_decrease[a] -= trace.letter_childcare_change.0;
            }
            self.mutations[a][0] += trace.mutation_letters as u64;
            self.mutations[a][1] += trace.mutations as u64;
            self.mutations[a][2] += u64::from(trace.guided);
        }
        Ok(())
    }
}

/// Simulates the scenario's households into a [`Tally`] (exact; independent of `threads`).
pub fn tally(sc: &Scenario, threads: usize) -> Result<Tally> {
    let pool = crate::sim::engine::worker_pool(threads)?;
    let chunk = 4096u64;
    let n = sc.households;
    let arms = sc.arms.len();
    crate::sim::engine::install(&pool, || {
        (0..n.div_ceil(chunk))
            .into_par_iter()
            .try_fold(
                || Tally::new(arms),
                |mut t, c| {
                    for id in c * chunk..((c + 1) * chunk).min(n) {
                        t.add(sc, id)?;
                    }
                    Ok(t)
                },
            )
            .try_reduce(|| Tally::new(arms), |a, b| Ok(a.merge(b)))
    })
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
