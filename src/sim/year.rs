//! The arm-independent part of a household's year: the situation of each month as the agency
//! knows it or as it really is, the annual awards of each knowledge state and the definitive
//! award ([`Year::compute`]), and the 100% advance schedule.
//!
//! Rounding: awards are rounded per Awir (see [`crate::rules::awir`]).
//!
//! Must not: do I/O, format output or compute statistics.

use crate::model::money::{Fine, Money, Rate};
use crate::model::outcome::{KnowledgeState, Ledger, PerBenefit, Year, MAX_STATES};
use crate::model::scenario::Scenario;
use crate::rules::{annual_exact, awir, Benefit, Children, CoResident, Situation, N_BENEFITS};
use crate::sim::events::{EventKind, MAX_EVENTS};
use crate::sim::pay::pay_year;
use crate::sim::population::Household;

/// Which view of the household a situation is built from.
#[derive(Clone, Copy)]
pub(crate) enum View {
    Actual,
    /// What the agency knows at this payment month.
    Known(u8),
}

/// The applicant's annual income if the income events in months ≤ `upto` happen (and none
/// later): the household's projection when it reports in month `upto`. A bonus adds its
/// multiple of the month's income (after that month's factors), half-up to the cent.
fn projected_income(h: &Household, upto: u8) -> Money {
    let mut total = 0i64;
    let mut monthly = h.monthly_income;
    let evs = h.events();
    let mut i = 0;
    for month in 1..=12u8 {
        let mut bonus = 0i64;
        while i < evs.len() && evs[i].month <= month {
            let e = &evs[i];
            i += 1;
            if e.month > upto {
                continue;
            }
            match e.kind {
                EventKind::IncomeFactor(f) => monthly = scale_income(monthly, f),
                EventKind::Bonus(m) => bonus += m.0,
                _ => {}
            }
        }
        total += monthly.0;
        if bonus != 0 {
            total += scale_income(monthly, Rate(bonus)).0;
        }
    }
    // Each month is at most the cap, so the sum cannot overflow; the year saturates too.
    Money::saturating_cents(total as i128)
}

/// Hours × factor, rounded half-up to whole hours, at most 744 (a month's hours).
fn scale_hours(hours: u16, f: Rate) -> u16 {
    let scale = crate::model::money::RATE_SCALE as i128;
    let x = crate::model::money::div_floor_i128(hours as i128 * f.0 as i128 + scale / 2, scale);
    x.clamp(0, 744) as u16
}

/// Income × factor, rounded half-up to the cent (an input quantity, not a result); saturates
/// at [`Money::MAX_INCOME`].
fn scale_income(m: Money, f: Rate) -> Money {
    m.mul_rate_half_up_cents(f)
}

/// The applicant's annual income in `view`: the monthly projection ([`applicant_monthly_income`])
/// × every year-income factor (a self-employed's year, [`EventKind::YearIncomeFactor`]) the view
/// sees, each half-up to the cent in event order.
pub(crate) fn applicant_income(h: &Household, view: View) -> Money {
    let mut y = applicant_monthly_income(h, view);
    for e in h.events() {
        if let EventKind::YearIncomeFactor(f) = e.kind {
            if visible(view, e.known_from) {
                y = scale_income(y, f);
            }
        }
    }
    y
}

/// The applicant's annual income from the monthly incomes in `view` (the income events it sees).
fn applicant_monthly_income(h: &Household, view: View) -> Money {
    match view {
        View::Actual => projected_income(h, 12),
        View::Known(k) => {
            // A household report projects the income up to the month before the report; the
            // agency's payroll data (IncomeData) show it up to the event month.
            let latest_report = h
                .events()
                .iter()
                .filter(|e| e.known_from <= k)
                .filter_map(|e| match e.kind {
                    EventKind::IncomeFactor(_) | EventKind::Bonus(_) => Some(e.known_from - 1),
                    EventKind::IncomeData => Some(e.month),
                    _ => None,
                })
                .max();
            match latest_report {
                Some(r) => projected_income(h, r),
                None => h.estimated_income,
            }
        }
    }
}

fn visible(view: View, known_from: u8) -> bool {
    match view {
        View::Actual => true,
        View::Known(k) => known_from <= k,
    }
}

/// The situation in `month` under `view`, with `applicant` the applicant's annual income.
pub(crate) fn situation(h: &Household, view: View, month: u8, applicant: Money) -> Situation {
    // Built in place (the return slot), not assembled from parts: a moved `Children` is a
    // 200-byte copy, and this runs several times per household.
    let mut s = Situation {
        partner: h.partner,
        children: Children::NONE,
        assets: h.assets,
        income: applicant,
        rent: h.rent,
        co_residents: h.co_residents,
    };
    let mut partner_income = match view {
        View::Actual => h.partner_income,
        View::Known(_) => h.estimated_partner_income,
    };
    // Childcare: the agency pays advances on the household's estimate; the definitive award
    // uses the hours and prices the provider reports (docs/rules.md §3). Once the agency uses
    // provider data (CareData known), its view is the actual care, with the hour changes the
    // data show (those before the data month) and those reported.
    let care_data = match view {
        View::Actual => None,
        View::Known(k) => h
            .events()
            .iter()
            .filter(|e| e.kind == EventKind::CareData && e.known_from <= k)
            .map(|e| e.month)
            .max(),
    };
    let mut care = match (view, care_data) {
        (View::Known(_), None) => h.care_estimate,
        _ => h.care_actual,
    };
    let mut births = 0;
    // A change counts from the month after it happens (Awir art. 5).
    for e in h.events() {
        let seen = visible(view, e.known_from);
        // Year-level facts: assets on 1 January (the asset test, whole year); a partner found
        // afterwards counts from the event month itself.
        match e.kind {
            EventKind::AssetsExtra(x) if seen => s.assets += x,
            EventKind::PartnerFound(y) if seen && e.month <= month => {
                s.partner = true;
                partner_income = y;
            }
            _ => {}
        }
        if e.month >= month {
            continue;
        }
        match e.kind {
            EventKind::PartnerIn(y) if seen => {
                s.partner = true;
                partner_income = y;
            }
            EventKind::PartnerOut if seen => s.partner = false,
            EventKind::ChildBorn if seen => births += 1,
            EventKind::CareHours(f) if seen || care_data.is_some_and(|d| e.month < d) => {
                for c in care.iter_mut().flatten() {
                    c.hours = scale_hours(c.hours, f);
                }
            }
            // Rent × factor, half-up to the cent.
            EventKind::RentFactor(f) if seen => s.rent = scale_income(s.rent, f),
            EventKind::CareStops if seen || care_data.is_some_and(|d| e.month < d) => {
                for c in care.iter_mut().flatten() {
                    c.hours = 0;
                }
            }
            // A representative adult age (no exemption below 23).
            EventKind::CoResidentIn(y) if seen => {
                s.co_residents.push(CoResident { age: 30, income: y })
            }
            _ => {}
        }
    }
    // The partner's year income after the changes this view sees (a year-level income, like
    // the applicant's). A reported change gives the agency the household's new projection: the
    // actual income with the change, as a reported applicant income change does.
    let mut partner_changed = false;
    for e in h.events() {
        if let EventKind::PartnerIncomeFactor(f) = e.kind {
            if visible(view, e.known_from) {
                if !partner_changed && matches!(view, View::Known(_)) && h.partner {
                    partner_income = h.partner_income;
                }
                partner_changed = true;
                let after = scale_income(partner_income, f);
                partner_income = partner_income.part_year_half_up(after, e.month);
            }
        }
    }
    for (i, c) in h.children().iter().enumerate() {
        s.children
            .push_with_care(c.age + u8::from(month >= c.birthday), care[i]);
    }
    // Newborns after the children of 1 January, as they were born.
    for _ in 0..births {
        s.children.push(0);
    }
    if s.partner {
        s.income = applicant + partner_income;
    }
    s
}

/// Σ over months of the exact annual amount for that month's situation, per benefit, and the
/// Awir award `round(Σ / 12)`.
fn award_for(
    sc: &Scenario,
    h: &Household,
    view: View,
    monthly_out: Option<&mut [Money; 12]>,
) -> PerBenefit {
    let applicant = applicant_income(h, view);
    let want_monthly = monthly_out.is_some();
    // The situation can only change in month 1, in a child's birthday month, and in the month
    // after a household change visible in this view: elsewhere last month's amounts hold.
    let mut change_months: u16 = 1 << 1;
    for c in h.children() {
        change_months |= 1 << c.birthday.clamp(1, 12);
    }
    // Every non-income change month is marked, seen or not (a data event can reveal an
    // unreported change); an unchanged situation is detected below and costs no computation.
    for e in h.events() {
        if matches!(e.kind, EventKind::PartnerFound(_)) {
            change_months |= 1 << e.month;
        } else if !e.is_income() && !e.is_data() && !e.is_year_level() && e.month < 12 {
            change_months |= 1 << (e.month + 1);
        }
    }
    // The year is a run of segments with one situation each: Σ over months of the exact
    // annual amount = Σ over segments of amount × segment length (exact integers, so the same
    // sum as adding month by month).
    let amounts_of = |s: &Situation| {
        let mut a = [Fine::ZERO; N_BENEFITS];
        for b in Benefit::ALL {
            if sc.population.benefits[b.index()] {
                a[b.index()] = annual_exact(b, &sc.params, s);
            }
        }
        a
    };
    // Exact annual / 12 summed over benefits, rounded down to the cent: the monthly
    // entitlement shown in the month-by-month chart.
    let month_value = |a: &[Fine; N_BENEFITS]| {
        let total: i128 = a.iter().map(|x| x.0).sum();
        Money(crate::model::money::div_floor_i128(
            total,
            12 * crate::model::money::RATE_SCALE as i128,
        ) as i64)
    };
    let mut sums = [Fine::ZERO; N_BENEFITS];
    let mut monthly = [Money::ZERO; 12];
    let mut cur = situation(h, view, 1, applicant);
    let mut amounts = amounts_of(&cur);
    let mut seg_start = 1u8;
    let mut close = |amounts: &[Fine; N_BENEFITS], from: u8, to: u8| {
        let len = i128::from(to - from);
        for (sum, x) in sums.iter_mut().zip(amounts) {
            sum.0 += x.0 * len;
        }
        if want_monthly {
            monthly[from as usize - 1..to as usize - 1].fill(month_value(amounts));
        }
    };
    for month in 2..=12u8 {
        if change_months & (1 << month) != 0 {
            let s = situation(h, view, month, applicant);
            if s != cur {
                close(&amounts, seg_start, month);
                amounts = amounts_of(&s);
                cur = s;
                seg_start = month;
            }
        }
    }
    close(&amounts, seg_start, 13);
    if let Some(out) = monthly_out {
        *out = monthly;
    }
    let mut award = [Money::ZERO; N_BENEFITS];
    for i in 0..N_BENEFITS {
        award[i] = awir::annual_award(&sc.params.awir, sums[i].div_trunc(12));
    }
    award
}

/// The annual award per benefit on what the agency knows for payment month `k` (1–12): the
/// basis of the advance from that month. Used by the interventions to decide on a mutation.
pub fn known_award(sc: &Scenario, h: &Household, k: u8) -> PerBenefit {
    award_for(sc, h, View::Known(k), None)
}

impl Year {
    /// Computes the knowledge states and the definitive award of a household.
    pub fn compute(sc: &Scenario, h: &Household) -> Year {
        // Filled in place (the return slot): assembling it from local arrays copied ~1 KB per
        // household.
        let mut y = Year {
            states: [KnowledgeState::default(); MAX_STATES],
            n_states: 1,
            definitive: [Money::ZERO; N_BENEFITS],
            monthly_entitlement: [Money::ZERO; 12],
            actual_income: applicant_income(h, View::Actual),
            full: [Ledger::default(); N_BENEFITS],
        };
        y.states[0] = KnowledgeState {
            from_month: 1,
            award: award_for(sc, h, View::Known(1), None),
        };
        let mut months: [u8; MAX_EVENTS] = [13; MAX_EVENTS];
        for (i, e) in h.events().iter().enumerate() {
            months[i] = e.known_from;
        }
        months.sort_unstable();
        let mut last = 1u8;
        for &k in months.iter() {
            if k > 12 {
                break;
            }
            if k == last {
                continue;
            }
            last = k;
            y.states[y.n_states] = KnowledgeState {
                from_month: k,
                award: award_for(sc, h, View::Known(k), None),
            };
            y.n_states += 1;
        }
        y.definitive = award_for(sc, h, View::Actual, Some(&mut y.monthly_entitlement));
        for b in 0..N_BENEFITS {
            if sc.population.benefits[b] {
                y.full[b] = pay_year(&y.states[..y.n_states], b, Rate::ONE, sc.recalculation);
            }
        }
        y
    }
}
