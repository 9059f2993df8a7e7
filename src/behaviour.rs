//! Household behaviour: whether and when a change is reported, whether an offered reduced
//! advance is taken up, and which percentage is chosen.
//!
//! Timing (Awir art. 5 and RULES.md §5): a change in month m counts from month m+1; a change
//! reported with a delay of d months is used for the advance from month m+1+d on (advances are
//! paid around the 20th of the month before). A change never reported is learnt only at the
//! definitive award.

use crate::events::{Event, EventKind};
use crate::money::Rate;
use crate::random::{stream, Purpose};
use crate::scenario::{AdvancePolicy, Arm, Behaviour, ChoiceBand, Scenario};
use rand::RngExt;

/// Fills in `known_from` of each event from the reporting behaviour.
pub fn draw_reporting(sc: &Scenario, id: u64, events: &mut [Event]) {
    let b: &Behaviour = &sc.behaviour;
    let mut rng = stream(sc.seed, id, Purpose::Reporting);
    for e in events.iter_mut() {
        let p = match e.kind {
            EventKind::IncomeFactor(_) => {
                if e.income_up() == Some(true) {
                    b.report_income_up
                } else {
                    b.report_income_down
                }
            }
            EventKind::PartnerIn(_) | EventKind::PartnerOut => b.report_partner,
            EventKind::ChildBorn => b.report_child,
        };
        let reports = rng.random::<f64>() < p;
        let delay = if b.delay_max > b.delay_min {
            rng.random_range(b.delay_min..=b.delay_max)
        } else {
            b.delay_min
        };
        e.known_from = if reports {
            (e.month + 1 + delay).min(13)
        } else {
            13
        };
    }
}

/// The advance percentage a household gets in an arm, whether it took the offer, and the
/// percentage it chose (adjustable arm). The same uniform draw decides take-up in every arm,
/// so in the paired design a household more willing to accept accepts in every arm.
pub fn arm_percentage(sc: &Scenario, arm: &Arm, id: u64) -> (Rate, bool) {
    arm_percentage_given(sc, arm, id, takeup_draw(sc.seed, id))
}

/// The household's uniform take-up draw, shared by every offered arm.
pub fn takeup_draw(seed: u64, id: u64) -> f64 {
    stream(seed, id, Purpose::Takeup).random()
}

/// As [`arm_percentage`], with the household's take-up draw `u` already made.
pub fn arm_percentage_given(sc: &Scenario, arm: &Arm, id: u64, u: f64) -> (Rate, bool) {
    match &arm.policy {
        AdvancePolicy::Standard => (Rate::ONE, false),
        AdvancePolicy::Cautious { fraction } if u < arm.takeup => (*fraction, true),
        AdvancePolicy::Adjustable { choice } if u < arm.takeup => (
            Rate::percent(chosen_percent(sc.seed, id, choice) as i64),
            true,
        ),
        _ => (Rate::ONE, false),
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
