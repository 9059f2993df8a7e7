//! Household behaviour: whether and when a change is reported, whether an offered reduced
//! advance is taken up, and which percentage is chosen.
//!
//! Timing (Awir art. 5 and RULES.md §5): a change in month m counts from month m+1; a change
//! reported with a delay of d months is used for the advance from month m+1+d on (advances are
//! paid around the 20th of the month before). A change never reported is learnt only at the
//! definitive award.

use crate::model::money::Rate;
use crate::model::scenario::{AdvancePolicy, Arm, Behaviour, ChoiceBand, Scenario};
use crate::sim::events::Event;
use crate::sim::population::Household;
use crate::sim::random::{stream, Purpose};
use rand::RngExt;

pub use crate::model::policy::{CustomPolicy, PolicyFn};

/// Fills in `known_from` of each event from the reporting behaviour, with every reporting
/// probability multiplied by `multiplier` (capped at 1; 1 without a year-start notice).
///
/// Per change: one uniform draw decides whether it is ever reported (`u < p`), one draw the
/// delay (uniform on the type's whole-month range). The draws are made whether or not they are
/// used, and agency data events ([`Event::is_data`]) draw nothing, so a multiplier or an added
/// data event never shifts another change's draws: under a higher multiplier exactly the same
/// changes are reported, plus some more. Households unaware that they must report income
/// changes (one draw from their own `Awareness` stream) never report them.
pub fn draw_reporting(sc: &Scenario, id: u64, events: &mut [Event], multiplier: f64) {
    let b: &Behaviour = &sc.behaviour;
    let mut rng = stream(sc.seed, id, Purpose::Reporting);
    let unaware = unaware_of_income_duty(sc, id);
    for e in events.iter_mut() {
        let Some(t) = e.change_type() else { continue };
        let p = (b.p(t) * multiplier).min(1.0);
        let reports = rng.random::<f64>() < p && !(unaware && t.is_income());
        let (lo, hi) = b.delay[t as usize];
        let delay = if hi > lo {
            rng.random_range(lo..=hi)
        } else {
            lo
        };
        e.known_from = if reports {
            (e.month + 1 + delay).min(13)
        } else {
            13
        };
    }
}

/// Does household `id` not know it must report income changes itself? (No draw is made when the
/// scenario's share is 0, so scenarios without the key keep their results.)
pub fn unaware_of_income_duty(sc: &Scenario, id: u64) -> bool {
    let share = sc.behaviour.unaware_income_share;
    share > 0.0 && stream(sc.seed, id, Purpose::Awareness).random::<f64>() < share
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

/// As [`arm_percentage`], with the household's take-up draw `u` already made.
pub fn arm_percentage_given(
    sc: &Scenario,
    arm: &Arm,
    id: u64,
    u: f64,
    volatile: bool,
) -> (Rate, bool) {
    let takeup = match (volatile, arm.takeup_volatile) {
        (true, Some(t)) => t,
        _ => arm.takeup,
    };
    match &arm.policy {
        AdvancePolicy::Standard => (Rate::ONE, false),
        AdvancePolicy::Cautious { fraction } if u < takeup => (*fraction, true),
        AdvancePolicy::Adjustable { choice } if u < takeup => {
            let bands = match (volatile, &arm.choice_volatile) {
                (true, Some(v)) => v.as_slice(),
                _ => choice.as_slice(),
            };
            (
                Rate::percent(chosen_percent(sc.seed, id, bands) as i64),
                true,
            )
        }
        AdvancePolicy::Custom(_) if u < takeup => {
            arm_percentage_for(sc, arm, &crate::sim::population::generate(sc, id), u)
        }
        _ => (Rate::ONE, false),
    }
}

/// As [`arm_percentage_given`] for household `h` itself: the engine's entry point, which
/// spares a custom policy from regenerating the household.
pub fn arm_percentage_for(sc: &Scenario, arm: &Arm, h: &Household, u: f64) -> (Rate, bool) {
    let volatile = h.volatile();
    let takeup = match (volatile, arm.takeup_volatile) {
        (true, Some(t)) => t,
        _ => arm.takeup,
    };
    match &arm.policy {
        AdvancePolicy::Custom(p) if u < takeup => (p.percentage(h, arm), true),
        AdvancePolicy::Custom(_) => (Rate::ONE, false),
        _ => arm_percentage_given(sc, arm, h.id, u, volatile),
    }
}

/// A whole percentage drawn from the choice bands.
pub fn chosen_percent(seed: u64, id: u64, bands: &[ChoiceBand]) -> u32 {
    let mut rng = stream(seed, id, Purpose::Choice);
    let total: f64 = bands.iter().map(|b| b.weight).sum();
    let mut u = rng.random::<f64>() * total;
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
