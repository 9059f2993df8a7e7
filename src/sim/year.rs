//! The arm-independent part of a household's year: the situation of each month as the agency
//! knows it or as it really is, the annual awards of each knowledge state and the definitive
//! award ([`Year::compute`]), and the 100% advance schedule.
//!
//! Rounding: awards are rounded per Awir (see [`crate::rules::awir`]).
//!
//! Must not: do I/O, format output or compute statistics.

use crate::model::household::Child;
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
pub(crate) fn scale_hours(hours: u16, f: Rate) -> u16 {
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

/// A child's age as the rules take it in `month`: its age on the first of the month
/// ([`crate::rules::kindgebonden_budget::age_in_month`]).
pub(crate) fn age_in_month(c: &Child, month: u8) -> u8 {
    crate::rules::kindgebonden_budget::age_in_month(c.age, c.birthday, month)
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
        applicant_age: None,
        partner_age: None,
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
                s.co_residents.push(CoResident {
                    age: 30,
                    income: y,
                    // An adult who starts earning or moves in with an income: not a child at
                    // home (no income exemption), assets below the per-person limit.
                    child: false,
                    assets: Money::ZERO,
                })
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
        s.children.push_with_care(age_in_month(c, month), care[i]);
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
    // The situation can only change in month 1, in the month after a child's birthday, and in
    // the month after a household change visible in this view: elsewhere last month's amounts
    // hold.
    let mut change_months: u16 = 1 << 1;
    for c in h.children() {
        if c.birthday < 12 {
            change_months |= 1 << (c.birthday.max(1) + 1);
        }
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
    // Does any child's childcare exceed the monthly maximum hours (then the annual pool
    // applies, below)?
    let exceeds = |s: &Situation| match &sc.params.kinderopvangtoeslag {
        Ok(kp) if sc.population.benefits[Benefit::Kinderopvangtoeslag.index()] => {
            crate::rules::kinderopvangtoeslag::exceeds_monthly_cap(kp, s)
        }
        _ => false,
    };
    let mut sums = [Fine::ZERO; N_BENEFITS];
    let mut monthly = [Money::ZERO; 12];
    let mut cur = situation(h, view, 1, applicant);
    let mut over_cap = exceeds(&cur);
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
                over_cap |= exceeds(&s);
                close(&amounts, seg_start, month);
                amounts = amounts_of(&s);
                cur = s;
                seg_start = month;
            }
        }
    }
    close(&amounts, seg_start, 13);
    if over_cap {
        // A child's childcare hours exceed the monthly maximum in some month: the maximum is
        // an annual pool (docs/rules.md §3), so the year is computed month by month with the
        // hours the pool counts (the same sums when every month stays within the maximum).
        let months: [Situation; 12] =
            std::array::from_fn(|m| situation(h, view, m as u8 + 1, applicant));
        let exact = crate::rules::year_amounts(&sc.params, &sc.population.benefits, &months);
        sums = [Fine::ZERO; N_BENEFITS];
        for (m, a) in exact.iter().enumerate() {
            for (sum, x) in sums.iter_mut().zip(a) {
                sum.0 += x.0;
            }
            monthly[m] = month_value(a);
        }
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::benefit::MAX_CHILDREN;
    use crate::scenario::parse_str;
    use std::path::Path;

    /// A 2026 scenario computing only `benefit`.
    fn scenario(benefit: &str) -> Scenario {
        let text = format!(
            r#"
[experiment]
name = "t"
year = 2026
households = 10
seed = 5

[[arms]]
name = "control"
advance = {{ policy = "standard" }}

[[arms]]
name = "cautious"
advance = {{ policy = "cautious", fraction = 0.8 }}

[population]
benefits = ["{benefit}"]
"#
        );
        parse_str(Path::new("t.toml"), &text, String::new()).unwrap()
    }

    /// A hand-made household: applicant earning €1,500 a month (€18,000 a year, below every
    /// drempel), no rent, no assets, no events, the children `(age on 1 January, birthday
    /// month)` without childcare.
    fn household(sc: &Scenario, partner: bool, children: &[(u8, u8)]) -> Household {
        let mut h = crate::sim::population::generate(sc, 0);
        h.partner = partner;
        h.monthly_income = Money::euros(1_500);
        h.estimated_income = Money::euros(18_000);
        h.partner_income = Money::ZERO;
        h.estimated_partner_income = Money::ZERO;
        h.rent = Money::ZERO;
        h.assets = Money::ZERO;
        h.co_residents = crate::model::benefit::CoResidents::NONE;
        h.employment = 0;
        h.n_events = 0;
        h.care_actual = [None; MAX_CHILDREN];
        h.care_estimate = [None; MAX_CHILDREN];
        h.n_children = children.len() as u8;
        for (i, &(age, birthday)) in children.iter().enumerate() {
            h.children[i] = Child { age, birthday };
        }
        h
    }

    fn kgb(sc: &Scenario, h: &Household) -> Money {
        Year::compute(sc, h).definitive[Benefit::KindgebondenBudget.index()]
    }

    #[test]
    fn kgb_counts_a_child_through_the_month_it_turns_18() {
        // Single parent, child 17 on 1 January, 18th birthday in June, income below the drempel.
        // January–June (6 months, June included): 2580 + 964 (16–17) + alo-kop 3416 = 6960 a
        // year; July–December nothing. 6 × 6960 / 12 = 3480 → €3,480 (dropping the child in
        // June itself would give 5 × 6960 / 12 = €2,900: €580 less).
        let sc = scenario("kindgebonden_budget");
        assert_eq!(
            kgb(&sc, &household(&sc, false, &[(17, 6)])),
            Money::euros(3480)
        );
        // A couple: 6 × (2580 + 964) / 12 = 1772 (not 5 × 3544 / 12 = 1476.67 → €1,477).
        assert_eq!(
            kgb(&sc, &household(&sc, true, &[(17, 6)])),
            Money::euros(1772)
        );
    }

    #[test]
    fn kgb_age_supplements_start_the_month_after_the_birthday() {
        // Couple, child 11 on 1 January turning 12 in April: January–April 2580 a year,
        // May–December 2580 + 724 = 3304. (4 × 2580 + 8 × 3304) / 12 = 36752 / 12 = 3062.67
        // → €3,063 (from April itself: (3 × 2580 + 9 × 3304) / 12 = €3,123).
        let sc = scenario("kindgebonden_budget");
        assert_eq!(
            kgb(&sc, &household(&sc, true, &[(11, 4)])),
            Money::euros(3063)
        );
        // Turning 16 in October: 10 months at 3304 and 2 at 2580 + 964 = 3544:
        // (10 × 3304 + 2 × 3544) / 12 = 40128 / 12 = 3344 → €3,344.
        assert_eq!(
            kgb(&sc, &household(&sc, true, &[(15, 10)])),
            Money::euros(3344)
        );
        // A December birthday changes nothing within the year: 12 × 2580 / 12 = €2,580.
        assert_eq!(
            kgb(&sc, &household(&sc, true, &[(11, 12)])),
            Money::euros(2580)
        );
    }

    #[test]
    fn partner_months_follow_the_awir() {
        // Partners from the first of the month after the partnership starts, and no longer
        // from the first of the month after it ends (docs/rules.md §5): the month of moving out
        // is still a partner month. Child aged 5 all year (December birthday), applicant
        // €18,000, partner without income, so only the alo-kop changes:
        // couple 2580 a year, single parent 2580 + 3416 = 5996.
        use crate::model::household::Event;
        let sc = scenario("kindgebonden_budget");
        // Separation in April: partner January–April, single May–December.
        // (4 × 2580 + 8 × 5996) / 12 = 58288 / 12 = 4857.33 → €4,857 (if April were already
        // single: (3 × 2580 + 9 × 5996) / 12 = €5,142).
        let mut h = household(&sc, true, &[(5, 12)]);
        h.push_event(Event {
            month: 4,
            kind: EventKind::PartnerOut,
            known_from: 13,
        });
        assert_eq!(kgb(&sc, &h), Money::euros(4857));
        // A partner moving in in September counts from October: single January–September,
        // partner October–December. (9 × 5996 + 3 × 2580) / 12 = 61704 / 12 = €5,142.
        let mut h = household(&sc, false, &[(5, 12)]);
        h.push_event(Event {
            month: 9,
            kind: EventKind::PartnerIn(Money::ZERO),
            known_from: 13,
        });
        assert_eq!(kgb(&sc, &h), Money::euros(5142));
    }

    #[test]
    fn childcare_hours_unused_earlier_in_the_year_count_later() {
        // One child aged 2 in daycare at €9 an hour (below the 2026 maximum price), 150 hours a
        // month January–June, then × 2 = 300 hours from July (the month after a June change).
        // Income €18,000: 96% for the first child. Per month 0.96 × 9 = €8.64 an hour.
        // Pool (docs/rules.md §3): January–June use 150 of 230, 6 × 80 = 480 hours carry over;
        // July–December may use 300 each (70 over the monthly maximum, 6 × 70 = 420 ≤ 480).
        // Hours counted 6 × 150 + 6 × 300 = 2700: 2700 × 8.64 = €23,328.
        // Capped month by month it would be 6 × 150 + 6 × 230 = 2280 hours: €19,699.20.
        use crate::model::household::Event;
        use crate::rules::{Care, CareType};
        let sc = scenario("kinderopvangtoeslag");
        // The childcare benefit of a child with `hours` a month, × `factor` from July.
        let award = |hours: u16, factor: rust_decimal::Decimal| {
            let mut h = household(&sc, false, &[(2, 12)]);
            let care = Some(Care {
                kind: CareType::Dagopvang,
                hours,
                price: Money::euros(9),
            });
            h.care_actual[0] = care;
            h.care_estimate[0] = care;
            h.push_event(Event {
                month: 6,
                kind: EventKind::CareHours(Rate::from_decimal(factor).unwrap()),
                known_from: 13,
            });
            Year::compute(&sc, &h).definitive[Benefit::Kinderopvangtoeslag.index()]
        };
        assert_eq!(award(150, rust_decimal::Decimal::TWO), Money::euros(23_328));
        // The other order loses the excess: 300 hours January–June (230 counted, nothing
        // carried), 150 from July: 6 × 230 + 6 × 150 = 2280 hours → €19,699.20 → €19,699.
        assert_eq!(
            award(300, rust_decimal::Decimal::new(5, 1)),
            Money::euros(19_699)
        );
    }

    #[test]
    fn age_in_month_is_the_age_on_the_first() {
        let c = Child {
            age: 17,
            birthday: 6,
        };
        let ages: Vec<u8> = (1..=12).map(|m| age_in_month(&c, m)).collect();
        assert_eq!(ages, [17, 17, 17, 17, 17, 17, 18, 18, 18, 18, 18, 18]);
    }
}
