//! Selection into an offered reduced advance (`[behaviour.selection]`, docs/behaviour.md
//! "Selection into the offer"): which households take the offer and which percentage they
//! choose, by their own risk signals.
//!
//! The model. A household's *risk score* is
//!
//! ```text
//! w_volatile·(flex or self-employed) + w_prior_reclaim·(reclaim last year)
//!   + w_benefit_size·ln(1 + the year's 100% advances / €1,000) + w_children·(children)
//! ```
//!
//! "A reclaim last year" is drawn from the household's own `Selection` stream: with probability
//! `prior_reclaim_if_reclaim` when the household would have a reclaim this year under the
//! standard advance (reclaims persist), else `prior_reclaim_otherwise`. The score's *normal
//! score* `z` is Φ⁻¹ of its mid-rank in a reference sample: the scores of the first
//! [`REFERENCE_SIZE`] recipient households of the scenario's own population (ids 0, 1, …; the
//! same whatever the run's size, thread count or shard). A Gaussian copula then ties the draws
//! to `z` without changing their distribution: the take-up uniform `u` becomes
//! `Φ(−ρ·z + √(1−ρ²)·Φ⁻¹(u))` with `ρ` = `strength`, so the arm's overall take-up stays its
//! `takeup` (up to the sampling of the reference), and the choice uniform likewise with
//! `choice_strength` (bands in ascending order: riskier households choose lower percentages).
//! Strength 0 leaves both draws as they are: random selection, byte-identical to a scenario
//! without `[behaviour.selection]`.
//!
//! Must not: pay, settle or count.

use crate::model::money::Money;
use crate::model::outcome::Year;
use crate::model::scenario::{Scenario, Selection};
use crate::rules::N_BENEFITS;
use crate::sim::population::{generate, Household};
use crate::sim::random::{stream, Purpose};
use rand::RngExt;
use statrs::distribution::{ContinuousCDF, Normal};
use std::borrow::Cow;

/// Recipient households in the reference sample.
pub const REFERENCE_SIZE: usize = 4096;
/// Most household ids scanned for the reference sample (a population with few recipients
/// gets a smaller sample).
pub const REFERENCE_SCAN: u64 = 200_000;

/// A household's risk signals.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Signals {
    /// Flex worker or self-employed.
    pub volatile: bool,
    /// A reclaim last year (drawn; see the module docs).
    pub prior_reclaim: bool,
    /// The year's advances under the 100% schedule, over the simulated benefits.
    pub advances: Money,
    /// Children in the household.
    pub children: bool,
}

/// Would the household have a reclaim under the standard advance (100% schedule) this year?
fn reclaim_under_standard(sc: &Scenario, year: &Year) -> bool {
    (0..N_BENEFITS)
        .any(|b| sc.population.benefits[b] && year.full[b].net - year.definitive[b] > Money::ZERO)
}

/// The household's risk signals (`year`: its year as drawn).
pub fn signals(sc: &Scenario, h: &Household, year: &Year) -> Signals {
    let s = &sc.behaviour.selection;
    let u: f64 = stream(sc.seed, h.id, Purpose::Selection).random();
    let p = if reclaim_under_standard(sc, year) {
        s.prior_reclaim_if_reclaim
    } else {
        s.prior_reclaim_otherwise
    };
    let advances = (0..N_BENEFITS)
        .filter(|&b| sc.population.benefits[b])
        .fold(Money::ZERO, |a, b| a + year.full[b].net);
    Signals {
        volatile: h.volatile(),
        prior_reclaim: u < p,
        advances,
        children: h.n_children > 0,
    }
}

/// The risk score of a household's signals.
pub fn score(s: &Selection, x: &Signals) -> f64 {
    let thousands = x.advances.0.max(0) as f64 / 100_000.0;
    s.w_volatile * f64::from(u8::from(x.volatile))
        + s.w_prior_reclaim * f64::from(u8::from(x.prior_reclaim))
        + s.w_benefit_size * thousands.ln_1p()
        + s.w_children * f64::from(u8::from(x.children))
}

/// The sorted risk scores of the reference sample (see the module docs).
pub fn reference(sc: &Scenario) -> Vec<f64> {
    let mut v = Vec::with_capacity(REFERENCE_SIZE);
    for id in 0..REFERENCE_SCAN {
        if v.len() == REFERENCE_SIZE {
            break;
        }
        let h = generate(sc, id);
        let year = Year::compute(sc, &h);
        if !year.is_recipient(&sc.population.benefits) {
            continue;
        }
        v.push(score(&sc.behaviour.selection, &signals(sc, &h, &year)));
    }
    v.sort_by(f64::total_cmp);
    v
}

/// The scenario ready to run: with selection into the offer, its reference sample built (a
/// copy); otherwise the scenario itself.
pub fn prepared(sc: &Scenario) -> Cow<'_, Scenario> {
    if sc.behaviour.selection.is_random() || sc.selection_reference.is_some() {
        return Cow::Borrowed(sc);
    }
    let mut s = sc.clone();
    s.selection_reference = Some(reference(sc).into());
    Cow::Owned(s)
}

fn normal() -> Normal {
    Normal::new(0.0, 1.0).expect("the standard normal distribution")
}

/// Φ⁻¹ of the score's mid-rank in the sorted reference (kept within half a rank of 0 and 1).
pub fn normal_score(reference: &[f64], score: f64) -> f64 {
    let n = reference.len();
    if n == 0 {
        return 0.0;
    }
    let below = reference.partition_point(|&x| x < score);
    let at_or_below = reference.partition_point(|&x| x <= score);
    let rank = (below + at_or_below) as f64 / 2.0;
    let p = (rank / n as f64).clamp(0.5 / n as f64, 1.0 - 0.5 / n as f64);
    normal().inverse_cdf(p)
}

/// The uniform draw `u` tied to the normal score `z` with correlation `rho`:
/// `Φ(−ρ·z + √(1−ρ²)·Φ⁻¹(u))`, again uniform over households; `u` itself when `rho` is 0.
pub fn shifted(u: f64, z: f64, rho: f64) -> f64 {
    if rho == 0.0 {
        return u;
    }
    let n = normal();
    let e = n.inverse_cdf(u.clamp(1e-15, 1.0 - 1e-15));
    n.cdf(-rho * z + (1.0 - rho * rho).max(0.0).sqrt() * e)
}

/// The household's normal risk score `z` in the scenario (0 with random selection). Uses the
/// prepared reference sample ([`prepared`]); without one it builds it (slow: call
/// [`prepared`] once before simulating many households).
pub fn risk_z(sc: &Scenario, h: &Household, year: &Year) -> f64 {
    if sc.behaviour.selection.is_random() {
        return 0.0;
    }
    let s = score(&sc.behaviour.selection, &signals(sc, h, year));
    match &sc.selection_reference {
        Some(r) => normal_score(r, s),
        None => normal_score(&reference(sc), s),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn score_adds_the_weighted_signals() {
        let s = Selection::default();
        // Self-employed, a reclaim last year, €2,000 of advances, no children:
        // 1 + 1 + 0.5 × ln(1 + 2) = 2 + 0.5493 = 2.5493.
        let x = Signals {
            volatile: true,
            prior_reclaim: true,
            advances: Money::euros(2000),
            children: false,
        };
        assert!((score(&s, &x) - (2.0 + 0.5 * 3f64.ln())).abs() < 1e-12);
        // An employee without a reclaim last year, no advances, children: 0.25.
        let y = Signals {
            volatile: false,
            prior_reclaim: false,
            advances: Money::ZERO,
            children: true,
        };
        assert_eq!(score(&s, &y), 0.25);
    }

    #[test]
    fn normal_score_is_the_mid_rank() {
        let r = [1.0, 2.0, 2.0, 3.0];
        // 2.0: one below, three at or below → mid-rank 2 of 4 → p = 0.5 → z = 0.
        assert!(normal_score(&r, 2.0).abs() < 1e-12);
        // Above everything: p = 1 − 0.5/4 = 0.875 → z = Φ⁻¹(0.875) ≈ 1.1503.
        assert!((normal_score(&r, 9.0) - 1.150_349_380_376_008).abs() < 1e-9);
        assert!((normal_score(&r, 0.0) + 1.150_349_380_376_008).abs() < 1e-9);
    }

    #[test]
    fn the_copula_keeps_the_uniform_and_moves_risky_households_down() {
        // ρ = 0: u itself.
        assert_eq!(shifted(0.3, 2.0, 0.0), 0.3);
        // z = 0 and u = 0.5 stays 0.5 whatever ρ.
        assert!((shifted(0.5, 0.0, 0.7) - 0.5).abs() < 1e-12);
        // A risky household (z = 1) with ρ = 0.6 and u = 0.5: Φ(−0.6) ≈ 0.2743: below the
        // 0.68 take-up it now takes the offer for any u up to Φ(…)=0.68.
        assert!((shifted(0.5, 1.0, 0.6) - 0.274_253_117_750_074).abs() < 1e-9);
        // ρ = 1: fully decided by z.
        assert!((shifted(0.9, 1.0, 1.0) - 0.158_655_253_931_457).abs() < 1e-9);
        // Over a grid of u, the shifted draws are still uniform for a standard normal z: mean
        // of the indicator [shifted < 0.68] over z on a fine normal grid and u uniform ≈ 0.68.
        let n = normal();
        let (mut hit, mut tot) = (0.0, 0.0);
        for i in 1..200 {
            let z = n.inverse_cdf(i as f64 / 200.0);
            for j in 0..200 {
                let u = (j as f64 + 0.5) / 200.0;
                hit += f64::from(u8::from(shifted(u, z, 0.8) < 0.68));
                tot += 1.0;
            }
        }
        assert!((hit / tot - 0.68).abs() < 0.005, "{}", hit / tot);
    }
}
