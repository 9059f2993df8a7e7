//! Income and household shocks during the benefit year.
//!
//! Owns: which shocks happen to a household, in which month and how large. Draws come from the
//! household's `Events` stream only.

use crate::money::{Money, Rate};
use crate::random::{sample, stream, weighted_index, Purpose};
use crate::scenario::{MonthSpec, Scenario, ShockKind};
use rand::RngExt;

/// Most shocks a household can have in a year (fixed-size storage).
pub const MAX_EVENTS: usize = 8;

/// What changed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EventKind {
    /// The applicant's monthly income is multiplied by this factor from the event month on.
    IncomeFactor(Rate),
    /// A partner with this annual income moves in; partner months start the month after.
    PartnerIn(Money),
    /// The partner moves out; the last partner month is the event month.
    PartnerOut,
    /// A child is born; it counts from the month after.
    ChildBorn,
}

/// A change during the year and when the agency learns of it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Event {
    /// Month it happens (1–12).
    pub month: u8,
    /// What changed.
    pub kind: EventKind,
    /// First month whose advance payment uses the change (13: the agency only learns of it
    /// at the definitive award).
    pub known_from: u8,
}

impl Event {
    /// Is this a rise (true) or fall of income? `None` for non-income events.
    pub fn income_up(&self) -> Option<bool> {
        match self.kind {
            EventKind::IncomeFactor(f) => Some(f >= Rate::ONE),
            _ => None,
        }
    }
}

fn draw_month(spec: &MonthSpec, rng: &mut crate::random::HouseholdRng) -> u8 {
    match spec {
        MonthSpec::Uniform => rng.random_range(1..=12u8),
        MonthSpec::Fixed(m) => *m,
        MonthSpec::Weights(w) => weighted_index(w, rng) as u8 + 1,
    }
}

/// Draws the year's events for a household, in month order (stable for equal months).
/// `has_partner` is the partner status at the start of the year. `known_from` is left at 13;
/// the behaviour module fills it in.
pub fn draw(sc: &Scenario, id: u64, has_partner: bool, out: &mut [Event; MAX_EVENTS]) -> usize {
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
        };
        if let (true, Some(kind)) = (happens, kind) {
            if n < MAX_EVENTS {
                match kind {
                    EventKind::PartnerIn(_) => partner = true,
                    EventKind::PartnerOut => partner = false,
                    _ => {}
                }
                out[n] = Event {
                    month,
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
