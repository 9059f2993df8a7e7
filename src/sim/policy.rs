//! Advance policies in the simulation: whether a household takes up an offered reduced
//! advance (one uniform draw per household, shared by every offered arm) and which percentage
//! it then gets ([`AdvancePolicy::taken_percentage`]).
//!
//! Adding a policy: add the variant to [`AdvancePolicy`] (model/scenario.rs, with its
//! classification methods there), its percentage here, and its name in the scenario loader;
//! every other place that must handle it is an exhaustive `match` the compiler points out.
//! This module draws and computes only: no I/O, no formatting, no statistics.

use crate::model::money::Rate;
use crate::model::scenario::{AdvancePolicy, Arm, ChoiceBand, Scenario};
use crate::sim::population::Household;
use crate::sim::random::{stream, Purpose};
use rand::RngExt;

impl AdvancePolicy {
    /// The advance percentage of a household that took the offer in `arm` (whose policy is
    /// `self`). `volatile`: the household has a volatile income, which selects the arm's
    /// `choice_volatile` bands when given. `h`: the household itself when at hand (a custom
    /// policy is a function of it; without it the household is regenerated from `id`). `z`:
    /// the household's normal risk score ([`crate::sim::selection`]; 0 with random selection).
    pub fn taken_percentage(
        &self,
        sc: &Scenario,
        arm: &Arm,
        id: u64,
        volatile: bool,
        h: Option<&Household>,
        z: f64,
    ) -> Rate {
        match self {
            AdvancePolicy::Standard => Rate::ONE,
            AdvancePolicy::Cautious { fraction } => *fraction,
            AdvancePolicy::Adjustable { choice } => {
                let bands = match (volatile, &arm.choice_volatile) {
                    (true, Some(v)) => v.as_slice(),
                    _ => choice.as_slice(),
                };
                let rho = sc.behaviour.selection.choice_strength;
                Rate::percent(chosen_percent_selected(sc.seed, id, bands, z, rho) as i64)
            }
            AdvancePolicy::Custom(p) => match h {
                Some(h) => p.percentage(h, arm),
                None => p.percentage(&crate::sim::population::generate(sc, id), arm),
            },
        }
    }
}

/// The advance percentage a household gets in an arm, whether it took the offer, and the
/// percentage it chose (adjustable arm). The same uniform draw decides take-up in every arm,
/// so in the paired design a household more willing to accept accepts in every arm.
/// `volatile`: the household has a volatile income (flex or self-employed), which selects the
/// arm's risk-aware `takeup_volatile` and `choice_volatile` when the scenario gives them.
pub fn arm_percentage(sc: &Scenario, arm: &Arm, id: u64, volatile: bool) -> (Rate, bool) {
    arm_percentage_given(sc, arm, id, takeup_draw(sc.seed, id), volatile)
}

/// The household's uniform take-up draw, shared by every offered arm.
pub fn takeup_draw(seed: u64, id: u64) -> f64 {
    stream(seed, id, Purpose::Takeup).random()
}

/// The take-up probability of the arm's offer for a household (volatile or not).
/// The take-up of the arm for a household with (`volatile`) or without a volatile income.
pub fn arm_takeup(arm: &Arm, volatile: bool) -> f64 {
    match (volatile, arm.takeup_volatile) {
        (true, Some(t)) => t,
        _ => arm.takeup,
    }
}

/// First take-up (offered and `u` below the arm's take-up; with selection into the offer `u`
/// tied to the household's normal risk score `z`, [`crate::sim::selection::shifted`]), then
/// the policy's percentage.
#[allow(clippy::too_many_arguments)]
fn decide(
    sc: &Scenario,
    arm: &Arm,
    id: u64,
    u: f64,
    volatile: bool,
    h: Option<&Household>,
    z: f64,
) -> (Rate, bool) {
    let u = crate::sim::selection::shifted(u, z, sc.behaviour.selection.strength);
    if arm.policy.offers() && u < arm_takeup(arm, volatile) {
        (
            arm.policy.taken_percentage(sc, arm, id, volatile, h, z),
            true,
        )
    } else {
        (Rate::ONE, false)
    }
}

/// As [`arm_percentage`], with the household's take-up draw `u` already made (`volatile` is
/// the household's own, as [`Household::volatile`] gives it).
pub fn arm_percentage_given(
    sc: &Scenario,
    arm: &Arm,
    id: u64,
    u: f64,
    volatile: bool,
) -> (Rate, bool) {
    decide(sc, arm, id, u, volatile, None, 0.0)
}

/// As [`arm_percentage_given`] for household `h` itself, with its normal risk score `z`
/// ([`crate::sim::selection::risk_z`]; 0 with random selection): the engine's entry point,
/// which spares a custom policy from regenerating the household.
pub fn arm_percentage_for(sc: &Scenario, arm: &Arm, h: &Household, u: f64, z: f64) -> (Rate, bool) {
    decide(sc, arm, h.id, u, h.volatile(), Some(h), z)
}

/// A whole percentage drawn from the choice bands.
pub fn chosen_percent(seed: u64, id: u64, bands: &[ChoiceBand]) -> u32 {
    chosen_percent_selected(seed, id, bands, 0.0, 0.0)
}

/// As [`chosen_percent`], with the band draw tied to the household's normal risk score `z`
/// with correlation `rho` ([`crate::sim::selection::shifted`]): the bands are then taken in
/// ascending order, so a riskier household tends to a lower band. `rho` 0 is
/// [`chosen_percent`] exactly.
pub fn chosen_percent_selected(seed: u64, id: u64, bands: &[ChoiceBand], z: f64, rho: f64) -> u32 {
    let mut rng = stream(seed, id, Purpose::Choice);
    let mut sorted;
    let bands = if rho == 0.0 {
        bands
    } else {
        sorted = bands.to_vec();
        sorted.sort_by_key(|b| (b.lo, b.hi));
        sorted.as_slice()
    };
    let total: f64 = bands.iter().map(|b| b.weight).sum();
    let mut u = crate::sim::selection::shifted(rng.random::<f64>(), z, rho) * total;
    let mut pick = bands.iter().rposition(|b| b.weight > 0.0).unwrap_or(0);
    for (i, b) in bands.iter().enumerate() {
        if u < b.weight {
            pick = i;
            break;
        }
        u -= b.weight;
    }
    let b = &bands[pick];
    let top = if b.hi >= 100 { 100 } else { b.hi - 1 };
    rng.random_range(b.lo..=top.max(b.lo))
}
