//! Paying one household's year in one arm: the monthly advance schedule under a percentage
//! ([`pay_year`], with recalculation after reported changes), the year-end settlement (reclaim
//! or back-payment, the small-reclaim threshold, the repayment plan) and the arm's
//! [`Outcome`] ([`simulate_arm`], [`arm_outcome`] and their `_into` forms).
//!
//! Rounding: a reduced advance's annual target is `floor(award × percentage)` whole euros;
//! monthly amounts are `floor(target / 12)` whole euros (spread: `floor(remaining / months
//! left)`).
//!
//! Must not: do I/O, format output or compute statistics.

use crate::error::{Error, Result};
use crate::model::money::{Money, Rate};
use crate::model::outcome::{KnowledgeState, Ledger, Outcome, Year};
use crate::model::scenario::{Recalculation, Scenario};
use crate::rules::{awir, Benefit, N_BENEFITS};
use crate::sim::population::Household;
use crate::sim::take_up;

/// The advance schedule of one benefit for a household under percentage `pct`.
pub fn pay_year(
    states: &[KnowledgeState],
    benefit: usize,
    pct: Rate,
    recalc: Recalculation,
) -> Ledger {
    let target = |s: &KnowledgeState| {
        if pct == Rate::ONE {
            s.award[benefit]
        } else {
            s.award[benefit].mul_rate_floor_euros(pct)
        }
    };
    let mut ledger = Ledger::default();
    let mut monthly = awir::monthly(target(&states[0]));
    let mut next = 1;
    for k in 1..=12u8 {
        let mut this_month = Money::ZERO;
        if next < states.len() && states[next].from_month == k {
            let t = target(&states[next]);
            next += 1;
            match recalc {
                Recalculation::LumpSum => {
                    monthly = awir::monthly(t);
                    let due = Money(monthly.0 * (k as i64 - 1));
                    let correction = due - ledger.net;
                    if correction < Money::ZERO {
                        ledger.in_year_reclaim -= correction;
                    }
                    this_month += correction;
                    ledger.net += correction;
                }
                Recalculation::Spread => {
                    let remaining = t - ledger.net;
                    if remaining < Money::ZERO {
                        ledger.in_year_reclaim -= remaining;
                        this_month += remaining;
                        ledger.net += remaining;
                        monthly = Money::ZERO;
                    } else {
                        monthly = remaining.floor_div_euros(13 - k as i64);
                    }
                }
            }
        }
        ledger.net += monthly;
        this_month += monthly;
        ledger.by_month[k as usize - 1] = this_month;
    }
    ledger
}

/// Simulates household `h` (with its precomputed year) under arm `arm` of the scenario,
/// with the arm's interventions.
pub fn simulate_arm(sc: &Scenario, h: &Household, year: &Year, arm: usize) -> Result<Outcome> {
    let u = crate::sim::behaviour::takeup_draw(sc.seed, h.id);
    arm_outcome(sc, h, year, arm, u)
}

/// Arm `arm` for household `h`: an arm with interventions gets the household as the agency
/// then knows it, and its own knowledge states ([`crate::sim::interventions`]); other arms share
/// the household's precomputed `year`.
pub fn arm_outcome(
    sc: &Scenario,
    h: &Household,
    year: &Year,
    arm: usize,
    u: f64,
) -> Result<Outcome> {
    let mut o = Outcome::default();
    arm_outcome_into(sc, h, year, arm, u, &mut o)?;
    Ok(o)
}

/// As [`arm_outcome`], writing into `o`.
pub fn arm_outcome_into(
    sc: &Scenario,
    h: &Household,
    year: &Year,
    arm: usize,
    u: f64,
    o: &mut Outcome,
) -> Result<()> {
    match crate::sim::interventions::household_and_trace(sc, &sc.arms[arm], h) {
        Some((hi, trace)) => {
            // Whether the household receives a toeslag (and applies, and how risky it looks)
            // is decided on the household as drawn, so every arm counts the same households.
            let drawn = Drawn { h, year };
            simulate_inner(sc, &hi, &Year::compute(sc, &hi), arm, u, drawn, o)?;
            o.interventions = trace;
            Ok(())
        }
        None => simulate_arm_into(sc, h, year, arm, u, o),
    }
}

/// The household as drawn and its year, before any intervention: what decides who is a
/// recipient, who applies and who selects into the offer.
#[derive(Clone, Copy)]
struct Drawn<'a> {
    h: &'a Household,
    year: &'a Year,
}

/// As [`simulate_arm`], with the household's take-up draw `u` already made.
pub fn simulate_arm_given(
    sc: &Scenario,
    h: &Household,
    year: &Year,
    arm: usize,
    u: f64,
) -> Result<Outcome> {
    let mut o = Outcome::default();
    simulate_arm_into(sc, h, year, arm, u, &mut o)?;
    Ok(o)
}

/// As [`simulate_arm_given`], writing into `o` (the runner reuses one `Outcome` per arm
/// instead of moving a fresh one out of every call).
pub fn simulate_arm_into(
    sc: &Scenario,
    h: &Household,
    year: &Year,
    arm: usize,
    u: f64,
    o: &mut Outcome,
) -> Result<()> {
    simulate_inner(sc, h, year, arm, u, Drawn { h, year }, o)
}

/// As [`simulate_arm_into`] for household `h` (with its year) as the agency knows it in the
/// arm, `drawn` the household as drawn. The household applies for the benefits
/// [`take_up::applied_mask`] gives; it is a recipient when it is one with the applications it
/// makes under control (the same households in every arm), a new entrant when only the arm's
/// own applications make it one. A household without any toeslag is offered nothing: it never
/// takes the offer (its advances are zero anyway).
fn simulate_inner(
    sc: &Scenario,
    h: &Household,
    year: &Year,
    arm: usize,
    u: f64,
    drawn: Drawn<'_>,
    o: &mut Outcome,
) -> Result<()> {
    let the_arm = &sc.arms[arm];
    let control_mask = take_up::applied_mask(sc, drawn.h, drawn.year, 1.0);
    let mask = if the_arm.non_take_up_factor == 1.0 {
        control_mask
    } else {
        take_up::applied_mask(sc, drawn.h, drawn.year, the_arm.non_take_up_factor)
    };
    let recipient = take_up::is_recipient(sc, drawn.year, control_mask);
    let in_arm = recipient || take_up::is_recipient(sc, drawn.year, mask);
    let (pct, took) = if in_arm {
        let z = if the_arm.policy.offers() {
            crate::sim::selection::risk_z(sc, drawn.h, drawn.year)
        } else {
            0.0
        };
        crate::sim::behaviour::arm_percentage_for(sc, the_arm, h, u, z)
    } else {
        (Rate::ONE, false)
    };
    let mut enabled = 0u8;
    for b in 0..N_BENEFITS {
        if sc.population.benefits[b] {
            enabled |= 1 << b;
        }
    }
    *o = Outcome {
        household_id: h.id,
        arm,
        household_type: h.household_type,
        employment: h.employment,
        took_offer: took,
        percentage: pct,
        income: year.actual_income,
        recipient,
        applied: mask & enabled,
        new_entrant: in_arm && !recipient,
        ..Outcome::default()
    };
    let states = year.states();
    let final_award = states[states.len() - 1].award;
    #[allow(clippy::needless_range_loop)]
    for b in 0..N_BENEFITS {
        if !sc.population.benefits[b] {
            continue;
        }
        o.entitlement_by_benefit[b] = year.definitive[b];
        if mask & (1 << b) == 0 {
            // Not applied for: no advances and no definitive award.
            continue;
        }
        let full = &year.full[b];
        let reduced;
        let ledger = if pct == Rate::ONE {
            full
        } else {
            reduced = pay_year(states, b, pct, sc.recalculation);
            &reduced
        };
        let d = year.definitive[b];
        let settlement = d - ledger.net;
        let reclaim_raw = (-settlement).max_zero();
        let backpay = settlement.max_zero();
        let collected = awir::collected_reclaim(&sc.params.awir, reclaim_raw);
        // Runtime invariants: a violation is a bug, reported with what reproduces it.
        if ledger.net - d != reclaim_raw - backpay
            || ledger.net < Money::ZERO
            || (pct < Rate::ONE && ledger.net > final_award[b])
        {
            return Err(Error::Internal(format!(
                "accounting invariant broken for household {} in arm `{}` (scenario `{}`, seed {}): benefit {}, advances {}, award {}, reclaim {}, back-payment {}",
                h.id, sc.arms[arm].name, sc.name, sc.seed, Benefit::ALL[b].name(), ledger.net, d, reclaim_raw, backpay
            )));
        }
        if ledger.net > Money::ZERO || d > Money::ZERO {
            o.receives |= 1 << b;
        }
        o.advances += ledger.net;
        o.definitive += d;
        o.reclaim_before_threshold += reclaim_raw;
        o.reclaim += collected;
        o.reclaim_by_benefit[b] = collected;
        o.backpay += backpay;
        o.backpay_by_benefit[b] = backpay;
        if backpay > sc.backpay_threshold {
            o.backpay_counted += backpay;
        }
        o.withheld += full.net - ledger.net;
        o.in_year_reclaim += ledger.in_year_reclaim;
        for (m, x) in ledger.by_month.iter().enumerate() {
            o.paid_by_month[m] += *x;
        }
    }
    // One standard plan per benefit: each reclaim is its own decision and debt.
    o.repayment_monthly = o
        .reclaim_by_benefit
        .iter()
        .map(|r| awir::repayment_instalment(&sc.params.awir, *r))
        .fold(Money::ZERO, |a, b| a + b);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn states(awards: &[(u8, i64)]) -> Vec<KnowledgeState> {
        awards
            .iter()
            .map(|(m, a)| KnowledgeState {
                from_month: *m,
                award: {
                    let mut x = [Money::ZERO; N_BENEFITS];
                    x[0] = Money::euros(*a);
                    x
                },
            })
            .collect()
    }

    #[test]
    fn no_change_pays_floor_of_annual_over_twelve() {
        let l = pay_year(&states(&[(1, 1514)]), 0, Rate::ONE, Recalculation::Spread);
        assert_eq!(l.net, Money::euros(126 * 12));
        let l = pay_year(
            &states(&[(1, 1514)]),
            0,
            Rate::percent(80),
            Recalculation::Spread,
        );
        // floor(1514 × 0.8) = 1211; floor(1211 / 12) = 100
        assert_eq!(l.net, Money::euros(1200));
    }

    #[test]
    fn spread_recalculation_pays_the_rest_over_remaining_months() {
        // 1200 a year → 100/month; from month 7 the award is 2400: 2400 − 600 = 1800 over 6 months.
        let l = pay_year(
            &states(&[(1, 1200), (7, 2400)]),
            0,
            Rate::ONE,
            Recalculation::Spread,
        );
        assert_eq!(l.by_month[6], Money::euros(300));
        assert_eq!(l.net, Money::euros(2400));
        assert_eq!(l.in_year_reclaim, Money::ZERO);
    }

    #[test]
    fn lump_sum_recalculation_settles_past_months_at_once() {
        // From month 7 the award is 0: the 600 paid is reclaimed in month 7.
        let l = pay_year(
            &states(&[(1, 1200), (7, 0)]),
            0,
            Rate::ONE,
            Recalculation::LumpSum,
        );
        assert_eq!(l.in_year_reclaim, Money::euros(600));
        assert_eq!(l.net, Money::ZERO);
        // Award up to 2400 from month 4: 3 × 200 due, 300 paid → 300 lump sum in month 4.
        let l = pay_year(
            &states(&[(1, 1200), (4, 2400)]),
            0,
            Rate::ONE,
            Recalculation::LumpSum,
        );
        assert_eq!(l.by_month[3], Money::euros(500));
        assert_eq!(l.net, Money::euros(2400));
    }

    #[test]
    fn spread_overpayment_is_reclaimed_in_year() {
        let l = pay_year(
            &states(&[(1, 2400), (10, 1200)]),
            0,
            Rate::ONE,
            Recalculation::Spread,
        );
        // 9 × 200 = 1800 paid, new target 1200 → 600 reclaimed, nothing more paid.
        assert_eq!(l.in_year_reclaim, Money::euros(600));
        assert_eq!(l.net, Money::euros(1200));
    }
}
