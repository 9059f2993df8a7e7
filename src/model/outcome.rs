//! The domain results of a simulated year: the agency's knowledge states and awards
//! ([`Year`], [`KnowledgeState`]), the advances of one benefit ([`Ledger`]) and one household's
//! result in one arm ([`Outcome`]). Types and pure accessors only: computing awards, paying
//! and drawing live in `sim`.

use crate::model::benefit::N_BENEFITS;
use crate::model::money::{Money, Rate};

/// Most knowledge states in a year: the start (payment month 1) plus one per later payment
/// month in which something becomes known (months 2–12), however many events there are.
pub(crate) const MAX_STATES: usize = 12;

/// Per-benefit amounts.
pub type PerBenefit = [Money; N_BENEFITS];

/// What the agency knows from a payment month on, and the annual award it computes from it.
#[derive(Clone, Copy, Debug, Default)]
pub struct KnowledgeState {
    /// First payment month (1–12) this state applies to.
    pub from_month: u8,
    /// The annual award on this knowledge, per benefit.
    pub award: PerBenefit,
}

/// The arm-independent part of a household's year.
#[derive(Clone, Debug)]
pub struct Year {
    /// Knowledge states in month order; `states[0]` starts in month 1.
    pub states: [KnowledgeState; MAX_STATES],
    /// Number of states.
    pub n_states: usize,
    /// Definitive award on the actual situation, per benefit.
    pub definitive: PerBenefit,
    /// Actual entitlement per month (definitive basis, exact annual / 12, to the cent), summed
    /// over benefits; for the month-by-month chart.
    pub monthly_entitlement: [Money; 12],
    /// Actual assessed income of the applicant for the year.
    pub actual_income: Money,
    /// The 100% advance schedule per benefit: the control arm's, and the reference for money
    /// withheld by a reduced advance. Computed once per household.
    pub full: [Ledger; N_BENEFITS],
}

impl Year {
    /// At least one toeslag: advances under the 100% schedule or a definitive award above zero
    /// for one of the `enabled` benefits.
    pub fn is_recipient(&self, enabled: &[bool; N_BENEFITS]) -> bool {
        (0..N_BENEFITS).any(|b| {
            enabled[b] && (self.full[b].net > Money::ZERO || self.definitive[b] > Money::ZERO)
        })
    }

    /// The states in month order.
    pub fn states(&self) -> &[KnowledgeState] {
        &self.states[..self.n_states]
    }
}

/// One household's year month by month, the same in every arm: the rows of the monthly ledger
/// (`run --monthly-parquet`), collected only when a run asks for them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct YearMonths {
    /// Household id.
    pub household_id: u64,
    /// Per payment month (index 0 = January), the first month of the knowledge state the
    /// agency pays on (1: the household's own estimate; a later month: after a reported change).
    pub known_from: [u8; 12],
    /// Per month, the actual entitlement summed over benefits (as [`Year::monthly_entitlement`]).
    pub entitlement: [Money; 12],
    /// Per month, the 100% advance summed over benefits (the control arm's schedule, net of
    /// in-year corrections).
    pub full_advance: [Money; 12],
}

impl YearMonths {
    /// The months of household `household_id`'s `year`.
    pub fn of(household_id: u64, year: &Year) -> YearMonths {
        let mut known_from = [1u8; 12];
        for st in year.states() {
            for k in known_from.iter_mut().skip(st.from_month as usize - 1) {
                *k = st.from_month;
            }
        }
        let mut full_advance = [Money::ZERO; 12];
        for ledger in &year.full {
            for (m, v) in ledger.by_month.iter().enumerate() {
                full_advance[m] += *v;
            }
        }
        YearMonths {
            household_id,
            known_from,
            entitlement: year.monthly_entitlement,
            full_advance,
        }
    }
}

/// Advances of one benefit through the year under one percentage.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Ledger {
    /// Net advances kept by the household: payments plus in-year top-ups minus in-year reclaims.
    pub net: Money,
    /// In-year reclaims after a recalculation (always collected).
    pub in_year_reclaim: Money,
    /// Net amount per payment month.
    pub by_month: [Money; 12],
}

/// What the interventions did to one household in one arm.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct InterventionTrace {
    /// The household uses childcare (provider data exist); set in every intervention arm.
    pub childcare: bool,
    /// An attention letter was sent (reliable provider data differ from the hours paid on).
    pub letter_sent: bool,
    /// The household answered the letter by reporting its actual childcare.
    pub letter_answered: bool,
    /// Change of the annual childcare award the agency pays on after the answer (negative: a
    /// lower advance); zero without an answer.
    pub letter_childcare_change: Money,
    /// The household got personal guidance.
    pub guided: bool,
    /// Change of the annual childcare award the agency pays on after guidance (negative: a
    /// lower advance); zero without guidance.
    pub guidance_childcare_change: Money,
    /// Mutation letters sent (one per child whose data change, one for income data).
    pub mutation_letters: u8,
    /// Mutation runs carried out (letters neither objected to nor answered by a report).
    pub mutations: u8,
    /// Mutation runs in which the household reported its actual situation itself after the
    /// letter (the agency's mutation then not carried out).
    pub self_reports: u8,
    /// More children's data to change than letters at a time: excluded from mutation and sent
    /// to the attention process.
    pub to_attention: bool,
}

/// One household's result in one arm.
#[derive(Clone, Copy, Debug, Default)]
pub struct Outcome {
    /// Household id.
    pub household_id: u64,
    /// Arm index (0 = control).
    pub arm: usize,
    /// Household type index.
    pub household_type: u8,
    /// Employment type index ([`crate::model::scenario::EMPLOYMENT_TYPES`]; 0 without an
    /// employment model).
    pub employment: u8,
    /// Took the offered reduced advance.
    pub took_offer: bool,
    /// Advance percentage applied.
    pub percentage: Rate,
    /// Net advances over all benefits.
    pub advances: Money,
    /// Definitive award over all benefits.
    pub definitive: Money,
    /// Reclaim before the small-reclaim threshold (Σ over benefits of max(0, advances − award)).
    pub reclaim_before_threshold: Money,
    /// Reclaim actually collected (per benefit above the threshold).
    pub reclaim: Money,
    /// Back-payment paid (every amount, the rounding remainder included).
    pub backpay: Money,
    /// Back-payment counted as one: the sum over benefits of the back-payments above the
    /// scenario's `backpay_threshold` (smaller ones are the rounding remainder of
    /// floor(annual / 12) monthly advances).
    pub backpay_counted: Money,
    /// Back-payment per benefit (every amount).
    pub backpay_by_benefit: PerBenefit,
    /// The household received at least one toeslag in the year: advances or a definitive award
    /// above zero for some benefit (decided on the household as drawn, the same in every arm).
    pub recipient: bool,
    /// Money withheld during the year compared with the 100% advance.
    pub withheld: Money,
    /// In-year reclaims.
    pub in_year_reclaim: Money,
    /// Monthly instalment of the standard repayment plan for the reclaim.
    pub repayment_monthly: Money,
    /// Actual annual income of the applicant.
    pub income: Money,
    /// Advances paid per month over all benefits.
    pub paid_by_month: [Money; 12],
    /// Reclaim per benefit (collected).
    pub reclaim_by_benefit: PerBenefit,
    /// What the arm's interventions did to the household (all zero without interventions).
    pub interventions: InterventionTrace,
    /// Benefits the household applied for in this arm, one bit per benefit index (every
    /// simulated benefit without a non-take-up model).
    pub applied: u8,
    /// Benefits the household receives in this arm (applied, with advances or a definitive
    /// award above zero), one bit per benefit index.
    pub receives: u8,
    /// Per benefit the definitive award the household is entitled to, whether or not it
    /// applied (zero: not entitled).
    pub entitlement_by_benefit: PerBenefit,
    /// Not a recipient under the control arm's applications, but one in this arm: a new
    /// entrant drawn in by the arm (its `non_take_up_factor`), counted apart from the
    /// recipients.
    pub new_entrant: bool,
}

impl Outcome {
    /// Did the household apply for benefit index `b`?
    pub fn applied_for(&self, b: usize) -> bool {
        self.applied & (1 << b) != 0
    }

    /// Does the household receive benefit index `b` in this arm?
    pub fn receives_benefit(&self, b: usize) -> bool {
        self.receives & (1 << b) != 0
    }
}

impl Outcome {
    /// Net settlement across benefits: back-payments paid minus reclaims collected (positive:
    /// the household receives money; negative: it pays back). Each household has exactly one.
    pub fn net_settlement(&self) -> Money {
        self.backpay - self.reclaim
    }
}
