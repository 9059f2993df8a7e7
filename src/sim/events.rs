//! Income and household shocks during the benefit year.
//!
//! Owns: which shocks happen to a household, in which month and how large. Draws come from the
//! household's `Events` stream only.

use crate::money::{Money, Rate};
use crate::random::{sample, stream, weighted_index, Purpose};
use crate::scenario::{ChangeType, MonthSpec, Scenario, ShockKind};
use rand::RngExt;

/// Most events a household can have in a year (fixed-size storage): up to [`MAX_SHOCKS`]
/// shocks, one income-volatility event, and the agency's data events (at most 11: a letter
/// answer, two for guidance, two per mutation letter for at most 4 letters).
pub const MAX_EVENTS: usize = 24;
/// Most `[[shocks]]` a scenario may list.
pub const MAX_SHOCKS: usize = 12;

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
    /// A one-off bonus paid in the event month: this multiple of that month's income.
    Bonus(Rate),
    /// The actual hours of childcare of every child in care × this factor from the month after.
    CareHours(Rate),
    /// The rent × this factor from the month after.
    RentFactor(Rate),
    /// Knowledge only (nothing changes): from `known_from` the agency uses the childcare the
    /// provider reports (the actual hours, with changes up to the event month) — an attention
    /// letter answered, a mutation, or guidance.
    CareData,
    /// Knowledge only: from `known_from` the agency uses the applicant's income as its data
    /// show it in the event month (payroll data: a mutation or guidance).
    IncomeData,
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
            EventKind::Bonus(_) => Some(true),
            _ => None,
        }
    }

    /// The kind of change for reporting; `None` for the agency's own data events.
    pub fn change_type(&self) -> Option<ChangeType> {
        Some(match self.kind {
            EventKind::IncomeFactor(_) | EventKind::Bonus(_) => {
                if self.income_up() == Some(true) {
                    ChangeType::IncomeUp
                } else {
                    ChangeType::IncomeDown
                }
            }
            EventKind::PartnerIn(_) => ChangeType::PartnerIn,
            EventKind::PartnerOut => ChangeType::PartnerOut,
            EventKind::ChildBorn => ChangeType::ChildBorn,
            EventKind::CareHours(_) => ChangeType::ChildcareHours,
            EventKind::RentFactor(_) => ChangeType::Rent,
            EventKind::CareData | EventKind::IncomeData => return None,
        })
    }

    /// Does the event change the applicant's income (a factor or a bonus)?
    pub fn is_income(&self) -> bool {
        matches!(self.kind, EventKind::IncomeFactor(_) | EventKind::Bonus(_))
    }

    /// Is this an agency data event (knowledge only, no change in the actual situation)?
    pub fn is_data(&self) -> bool {
        matches!(self.kind, EventKind::CareData | EventKind::IncomeData)
    }
}

/// A factor drawn from a distribution as a [`Rate`], clamped to [0, 100].
fn factor_rate(d: &crate::scenario::Dist, rng: &mut crate::random::HouseholdRng) -> Rate {
    Rate::from_f64(sample(d, rng).clamp(0.0, 100.0))
}

fn draw_month(spec: &MonthSpec, rng: &mut crate::random::HouseholdRng) -> u8 {
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
        };
        let applies = shock.employment[employment as usize % 3];
        if let (true, true, Some(kind)) = (happens, applies, kind) {
            if n < MAX_SHOCKS {
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
