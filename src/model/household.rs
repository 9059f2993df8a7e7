//! A household and the changes of its year, as the simulation draws them: the types only (the
//! drawing is in `sim::population` and `sim::events`).
//!
//! Must not: draw random numbers, do I/O.

use crate::model::benefit::{Care, CoResidents, MAX_CHILDREN};
use crate::model::money::{Money, Rate};
use crate::model::scenario::ChangeType;

/// Most events a household can have in a year (fixed-size storage): up to [`MAX_SHOCKS`]
/// shocks, one income-volatility event, and the agency's data events (at most 11: a letter
/// answer, two for guidance, two per mutation letter for at most 4 letters).
pub const MAX_EVENTS: usize = 30;
/// Most `[[shocks]]` a scenario may list.
pub const MAX_SHOCKS: usize = 18;

/// What changed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EventKind {
    /// The applicant's monthly income is multiplied by this factor from the event month on.
    IncomeFactor(Rate),
    /// A partner with this annual income moves in; partner months start the month after
    /// (partners from the first of the month after the partnership starts; docs/rules.md §5).
    PartnerIn(Money),
    /// The partner moves out; the last partner month is the event month (no longer partners
    /// from the first of the month after moving out; docs/rules.md §5).
    PartnerOut,
    /// A child is born; it counts from the month after.
    ChildBorn,
    /// A one-off bonus paid in the event month: this multiple of that month's income.
    Bonus(Rate),
    /// The actual hours of childcare of every child in care × this factor from the month after.
    CareHours(Rate),
    /// The rent × this factor from the month after.
    RentFactor(Rate),
    /// The household's 1 January assets are this much higher than it estimated (only the
    /// definitive award sees them; a year-level fact, placed in January).
    AssetsExtra(Money),
    /// The partner's annual income × this factor from the event month on (the year's partner
    /// income is the month-weighted mix; a year-level change like the applicant's income).
    PartnerIncomeFactor(Rate),
    /// A co-resident with this annual income moves in or starts earning; counts from the month
    /// after.
    CoResidentIn(Money),
    /// A partner with this annual income, never reported, counts from the event month itself
    /// (found after the year: `known_from` stays 13).
    PartnerFound(Money),
    /// The applicant's income of the whole year × this factor (a self-employed's profit known
    /// after the year); the event month is when the household learns it.
    YearIncomeFactor(Rate),
    /// Childcare of every child ends: hours 0 from the month after.
    CareStops,
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

    /// The kind of change for reporting; `None` for the agency's own data events and for facts
    /// the household never reports (found only at the definitive award: assets above the
    /// estimate, a partner found afterwards), which draw nothing from the reporting stream.
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
            EventKind::PartnerIncomeFactor(_) => ChangeType::PartnerIncome,
            EventKind::CoResidentIn(_) => ChangeType::CoResident,
            EventKind::YearIncomeFactor(_) => ChangeType::SelfEmployedIncome,
            EventKind::CareStops => ChangeType::ChildcareStops,
            EventKind::AssetsExtra(_)
            | EventKind::PartnerFound(_)
            | EventKind::CareData
            | EventKind::IncomeData => return None,
        })
    }

    /// Does the event change the applicant's income (a factor or a bonus)?
    pub fn is_income(&self) -> bool {
        matches!(self.kind, EventKind::IncomeFactor(_) | EventKind::Bonus(_))
    }

    /// Does the event change the year as a whole rather than the months after it (assets on
    /// 1 January, the partner's or a self-employed applicant's year income)? Such events start
    /// no new segment of months.
    pub fn is_year_level(&self) -> bool {
        matches!(
            self.kind,
            EventKind::AssetsExtra(_)
                | EventKind::PartnerIncomeFactor(_)
                | EventKind::YearIncomeFactor(_)
        )
    }

    /// Is this an agency data event (knowledge only, no change in the actual situation)?
    pub fn is_data(&self) -> bool {
        matches!(self.kind, EventKind::CareData | EventKind::IncomeData)
    }
}

/// A child at the start of the year.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Child {
    /// Age on 1 January.
    pub age: u8,
    /// Month of the birthday (1–12); the rules take the child a year older from the month
    /// after (its age on the first of the month; docs/rules.md §4).
    pub birthday: u8,
}

/// One synthetic household.
#[derive(Clone, Debug)]
pub struct Household {
    /// Household id (0-based).
    pub id: u64,
    /// Index into [`crate::model::scenario::HOUSEHOLD_TYPES`].
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
    /// Monthly rent (kale huur); zero for households that do not rent.
    pub rent: Money,
    /// Co-residents (their income counts for rent benefit).
    pub co_residents: CoResidents,
    /// Childcare each child actually uses (what the provider reports: the definitive award).
    pub care_actual: [Option<Care>; MAX_CHILDREN],
    /// The household's estimate of each child's childcare (the advance).
    pub care_estimate: [Option<Care>; MAX_CHILDREN],
    /// Changes during the year.
    pub events: [Event; MAX_EVENTS],
    /// Number of changes.
    pub n_events: u8,
    /// Employment type: index into [`crate::model::scenario::EMPLOYMENT_TYPES`] (0, employee, when
    /// the scenario has no employment model).
    pub employment: u8,
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

    /// Does the household have a volatile income (flex worker or self-employed)?
    pub fn volatile(&self) -> bool {
        self.employment != 0
    }

    /// Adds an event (kept in month order, after events of the same month); false when full.
    pub fn push_event(&mut self, e: Event) -> bool {
        let n = self.n_events as usize;
        if n >= MAX_EVENTS {
            return false;
        }
        self.events[n] = e;
        self.n_events += 1;
        self.events[..=n].sort_by_key(|e| e.month);
        true
    }
}
