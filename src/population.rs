//! Synthetic households drawn from the scenario's distributions.
//!
//! Owns: household type, incomes, the household's own income estimate, children, assets, and
//! (through `events` and `behaviour`) the year's changes and when they are reported. All draws
//! come from the household's own streams, so a household is the same in every arm and on every
//! thread. Must not: know about advance policies.

use crate::events::{self, Event, MAX_EVENTS};
use crate::money::{Money, Rate};
use crate::random::{sample, stream, weighted_index, Purpose};
use crate::rules::MAX_CHILDREN;
use crate::scenario::Scenario;
use rand::RngExt;

/// A child at the start of the year.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Child {
    /// Age on 1 January.
    pub age: u8,
    /// Month of the birthday (1–12); from that month the child is a year older.
    pub birthday: u8,
}

/// One synthetic household.
#[derive(Clone, Debug)]
pub struct Household {
    /// Household id (0-based).
    pub id: u64,
    /// Index into [`crate::scenario::HOUSEHOLD_TYPES`].
    pub household_type: u8,
    /// Has a benefit partner on 1 January.
    pub partner: bool,
    /// The applicant's monthly income at the start of the year.
    pub monthly_income: Money,
    /// The partner's annual income (start partner or one who moves in).
    pub partner_income: Money,
    /// The household's own estimate of the applicant's annual income, given to the agency.
    pub estimated_income: Money,
    /// The household's estimate of the partner's annual income.
    pub estimated_partner_income: Money,
    /// Children on 1 January.
    pub children: [Child; MAX_CHILDREN],
    /// Number of children on 1 January.
    pub n_children: u8,
    /// Assets on 1 January (joint).
    pub assets: Money,
    /// Changes during the year.
    pub events: [Event; MAX_EVENTS],
    /// Number of changes.
    pub n_events: u8,
}

impl Household {
    /// The year's changes.
    pub fn events(&self) -> &[Event] {
        &self.events[..self.n_events as usize]
    }

    /// The children on 1 January.
    pub fn children(&self) -> &[Child] {
        &self.children[..self.n_children as usize]
    }
}

const EMPTY_EVENT: Event = Event {
    month: 13,
    kind: events::EventKind::ChildBorn,
    known_from: 13,
};

fn euros(x: f64) -> Money {
    Money::euros(x.clamp(0.0, 100_000_000.0).round() as i64)
}

/// Draws household `id` of the scenario.
pub fn generate(sc: &Scenario, id: u64) -> Household {
    let pop = &sc.population;
    let mut rng = stream(sc.seed, id, Purpose::Population);
    let household_type = weighted_index(&pop.household_types, &mut rng) as u8;
    let partner = matches!(household_type, 1 | 3);
    let with_children = matches!(household_type, 2 | 3);
    // Annual incomes are drawn in whole euros; the monthly income is the annual over 12 in cents.
    let annual = euros(sample(&pop.income, &mut rng));
    let monthly_income = Money(annual.0 / 12);
    let partner_draw = euros(sample(&pop.partner_income, &mut rng));
    let est_factor = sample(&pop.estimate_error, &mut rng).max(0.0);
    let est_partner_factor = sample(&pop.estimate_error, &mut rng).max(0.0);
    let estimated_income =
        Money(monthly_income.0 * 12).mul_rate_floor_euros(Rate::from_f64(est_factor));
    let estimated_partner_income =
        partner_draw.mul_rate_floor_euros(Rate::from_f64(est_partner_factor));
    let mut children = [Child::default(); MAX_CHILDREN];
    let mut n_children = 0;
    if with_children {
        n_children = (weighted_index(&pop.children_counts, &mut rng) + 1).min(MAX_CHILDREN) as u8;
        for c in children.iter_mut().take(n_children as usize) {
            c.age = rng.random_range(0..=pop.child_max_age);
            c.birthday = rng.random_range(1..=12u8);
        }
    }
    let has_assets = rng.random::<f64>() < pop.assets_share;
    let asset_draw = euros(sample(&pop.assets, &mut rng));
    let assets = if has_assets { asset_draw } else { Money::ZERO };

    let mut ev = [EMPTY_EVENT; MAX_EVENTS];
    let n_events = events::draw(sc, id, partner, &mut ev);
    crate::behaviour::draw_reporting(sc, id, &mut ev[..n_events]);
    Household {
        id,
        household_type,
        partner,
        monthly_income,
        partner_income: partner_draw,
        estimated_income,
        estimated_partner_income: if partner {
            estimated_partner_income
        } else {
            Money::ZERO
        },
        children,
        n_children,
        assets,
        events: ev,
        n_events: n_events as u8,
    }
}
