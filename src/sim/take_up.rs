//! Take-up of the benefits: which benefits an entitled household applies for
//! (`[behaviour.non_take_up]`, docs/behaviour.md "Non-take-up").
//!
//! Owns: the probability that a household does not apply for a benefit and the draw that
//! decides it. The decision is made once at the year start on what the household expects (the
//! annual award on its own estimate, [`Year::states`]`[0]`), from the household's own
//! `NonTakeUp` stream: one uniform per benefit, the same in every arm, so an arm whose
//! `non_take_up_factor` lowers the probability only adds applicants (new entrants) and never
//! removes one. Must not: pay advances or settle the year (engine), count (analysis).

use crate::model::money::Money;
use crate::model::outcome::Year;
use crate::model::scenario::{NonTakeUp, Scenario};
use crate::rules::N_BENEFITS;
use crate::sim::population::Household;
use crate::sim::random::{stream, Purpose};
use rand::RngExt;

/// Every benefit applied for.
pub const ALL_APPLIED: u8 = (1 << N_BENEFITS) - 1;

/// The probability that the household does not apply for benefit index `b`, expecting
/// `expected_monthly` a month, with employment type `employment` (0 employee, 1 flex, 2
/// self-employed), before any arm factor: `base[b]` × the small-amount factor when the
/// expected amount is below `small_amount` × the employment factor, at most 1.
pub fn probability(n: &NonTakeUp, b: usize, expected_monthly: Money, employment: u8) -> f64 {
    let mut p = n.base[b];
    if expected_monthly < n.small_amount {
        p *= n.small_amount_factor;
    }
    p *= match employment {
        1 => n.flex_factor,
        2 => n.self_employed_factor,
        _ => 1.0,
    };
    p.min(1.0)
}

/// The household's expected monthly amount of benefit index `b` at the year start: the annual
/// award on its own estimate over 12, rounded down to the cent.
pub fn expected_monthly(year: &Year, b: usize) -> Money {
    Money(year.states[0].award[b].0.div_euclid(12))
}

/// The benefits household `h` applies for in an arm whose `non_take_up_factor` is `factor`, as
/// a bit mask ([`ALL_APPLIED`] without a non-take-up model). `year` is the household's year as
/// drawn (before any intervention).
pub fn applied_mask(sc: &Scenario, h: &Household, year: &Year, factor: f64) -> u8 {
    let Some(n) = &sc.behaviour.non_take_up else {
        return ALL_APPLIED;
    };
    let mut rng = stream(sc.seed, h.id, Purpose::NonTakeUp);
    let mut mask = 0u8;
    for b in 0..N_BENEFITS {
        // One draw per benefit, always, so one benefit's draw never shifts another's.
        let u: f64 = rng.random();
        let p = probability(n, b, expected_monthly(year, b), h.employment) * factor;
        if u >= p {
            mask |= 1 << b;
        }
    }
    mask
}

/// Is the household a recipient when it applies for the benefits in `mask`: advances under the
/// 100% schedule or a definitive award above zero for an enabled benefit it applied for?
pub fn is_recipient(sc: &Scenario, year: &Year, mask: u8) -> bool {
    (0..N_BENEFITS).any(|b| {
        sc.population.benefits[b]
            && mask & (1 << b) != 0
            && (year.full[b].net > Money::ZERO || year.definitive[b] > Money::ZERO)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn model() -> NonTakeUp {
        NonTakeUp {
            base: [0.10, 0.09, 0.02, 0.06],
            small_amount: Money::euros(50),
            small_amount_factor: 2.0,
            flex_factor: 1.3,
            self_employed_factor: 2.0,
        }
    }

    #[test]
    fn probability_multiplies_the_factors_that_apply() {
        let n = model();
        // An employee expecting €120 a month of zorgtoeslag: the base, 10%.
        assert_eq!(probability(&n, 0, Money::euros(120), 0), 0.10);
        // The same household expecting €49.99: 10% × 2 = 20%.
        assert!((probability(&n, 0, Money::cents(4999), 0) - 0.20).abs() < 1e-12);
        // Exactly €50 is not small.
        assert_eq!(probability(&n, 0, Money::euros(50), 0), 0.10);
        // Self-employed with huurtoeslag of €30: 9% × 2 × 2 = 36%.
        assert!((probability(&n, 1, Money::euros(30), 2) - 0.36).abs() < 1e-12);
        // Flex worker, kindgebonden budget €200: 6% × 1.3 = 7.8%.
        assert!((probability(&n, 3, Money::euros(200), 1) - 0.078).abs() < 1e-12);
        // Capped at 1.
        let mut big = model();
        big.base[0] = 0.8;
        assert_eq!(probability(&big, 0, Money::ZERO, 2), 1.0);
    }
}
