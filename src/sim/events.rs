//! Income and household shocks during the benefit year.
//!
//! Owns: which shocks happen to a household, in which month and how large. Draws come from the
//! household's `Events` stream only.

use crate::model::money::{Money, Rate};
use crate::model::scenario::{MonthSpec, Scenario, ShockKind};
use crate::sim::random::{sample, stream, weighted_index, Purpose};
use rand::RngExt;

pub use crate::model::household::{Event, EventKind, MAX_EVENTS, MAX_SHOCKS};

/// A factor drawn from a distribution as a [`Rate`], clamped to [0, 100].
fn factor_rate(
    d: &crate::model::scenario::Dist,
    rng: &mut crate::sim::random::HouseholdRng,
) -> Rate {
    Rate::from_f64(sample(d, rng).clamp(0.0, 100.0))
}

/// An annual amount drawn in whole euros, clamped to [0, 10 million].
fn euros(d: &crate::model::scenario::Dist, rng: &mut crate::sim::random::HouseholdRng) -> Money {
    Money::euros(sample(d, rng).clamp(0.0, 10_000_000.0).round() as i64)
}

fn draw_month(spec: &MonthSpec, rng: &mut crate::sim::random::HouseholdRng) -> u8 {
    match spec {
        MonthSpec::Uniform => rng.random_range(1..=12u8),
        MonthSpec::Fixed(m) => *m,
        MonthSpec::Weights(w) => weighted_index(w, rng) as u8 + 1,
    }
}

/// Draws the year's events for a household, in month order (stable for equal months).
/// `has_partner` is the partner status at the start of the year; `employment` the index of the
/// employment type (0 when the population has no employment model). `known_from` is left at
/// 13; the behaviour module fills it in. A shock that does not apply to the household's
/// employment type still consumes its draws, so it never shifts another shock's draws.
pub fn draw(
    sc: &Scenario,
    id: u64,
    has_partner: bool,
    employment: u8,
    out: &mut [Event; MAX_EVENTS],
) -> usize {
    let mut rng = stream(sc.seed, id, Purpose::Events);
    let mut n = 0;
    let mut partner = has_partner;
    for shock in &sc.shocks {
        // Always consume the same draws, so one shock's draws never shift another's.
        let happens = rng.random::<f64>() < shock.probability;
        let month = draw_month(&shock.month, &mut rng);
        let kind = match &shock.kind {
            ShockKind::IncomeChange { factor } => {
                let f = sample(factor, &mut rng).max(0.0);
                Some(EventKind::IncomeFactor(Rate::from_f64(f.min(100.0))))
            }
            ShockKind::PartnerMovesIn { income } => {
                let y = sample(income, &mut rng).clamp(0.0, 10_000_000.0);
                (!partner).then(|| EventKind::PartnerIn(Money::euros(y.round() as i64)))
            }
            ShockKind::PartnerMovesOut => partner.then_some(EventKind::PartnerOut),
            ShockKind::ChildBorn => Some(EventKind::ChildBorn),
            ShockKind::JobLoss { factor }
            | ShockKind::JobGain { factor }
            | ShockKind::Raise { factor } => {
                Some(EventKind::IncomeFactor(factor_rate(factor, &mut rng)))
            }
            ShockKind::Bonus { months } => Some(EventKind::Bonus(factor_rate(months, &mut rng))),
            ShockKind::ChildcareHoursChange { factor } => {
                Some(EventKind::CareHours(factor_rate(factor, &mut rng)))
            }
            ShockKind::RentChange { factor } => {
                Some(EventKind::RentFactor(factor_rate(factor, &mut rng)))
            }
            // The error-distribution kinds (issue 18); each draws only when listed.
            ShockKind::AssetsAboveEstimate { amount } => {
                Some(EventKind::AssetsExtra(euros(amount, &mut rng)))
            }
            ShockKind::PartnerIncomeChange { factor } => {
                let f = factor_rate(factor, &mut rng);
                partner.then_some(EventKind::PartnerIncomeFactor(f))
            }
            ShockKind::CoResidentIncome { income } => {
                Some(EventKind::CoResidentIn(euros(income, &mut rng)))
            }
            ShockKind::PartnerFoundAfterwards { income } => {
                let y = euros(income, &mut rng);
                (!partner).then_some(EventKind::PartnerFound(y))
            }
            ShockKind::SelfEmployedIncome { factor } => {
                Some(EventKind::YearIncomeFactor(factor_rate(factor, &mut rng)))
            }
            ShockKind::ChildcareStops => Some(EventKind::CareStops),
        };
        let applies = shock.employment[employment as usize % 3];
        if let (true, true, Some(kind)) = (happens, applies, kind) {
            if n < MAX_SHOCKS {
                match kind {
                    EventKind::PartnerIn(_) | EventKind::PartnerFound(_) => partner = true,
                    EventKind::PartnerOut => partner = false,
                    _ => {}
                }
                out[n] = Event {
                    // Assets on 1 January are a fact of the year start.
                    month: if matches!(kind, EventKind::AssetsExtra(_)) {
                        1
                    } else {
                        month
                    },
                    kind,
                    known_from: 13,
                };
                n += 1;
            }
        }
    }
    out[..n].sort_by_key(|e| e.month);
    n
}
