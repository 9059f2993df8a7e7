//! Reporting behaviour: whether and when a household reports a change to the agency.
//!
//! Timing (Awir art. 5 and docs/rules.md §5): a change in month m counts from month m+1; a change
//! reported with a delay of d months is used for the advance from month m+1+d on (advances are
//! paid around the 20th of the month before). A change never reported is learnt only at the
//! definitive award. This module only draws: no I/O, no formatting, no statistics.

use crate::model::scenario::{Behaviour, Scenario};
use crate::sim::events::Event;
use crate::sim::random::{stream, Purpose};
use rand::RngExt;

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
