//! Synthetic households drawn from the scenario's distributions.
//!
//! Owns: household type, incomes, the household's own income estimate, children, assets, and
//! (through `events` and `behaviour`) the year's changes and when they are reported. All draws
//! come from the household's own streams, so a household is the same in every arm and on every
//! thread. Must not: know about advance policies.

pub use crate::model::household::{Child, Household};
use crate::model::money::{Money, Rate};
use crate::model::scenario::Scenario;
use crate::rules::{Care, CareType, CoResident, CoResidents, MAX_CHILDREN};
use crate::sim::events::{self, Event, MAX_EVENTS};
use crate::sim::random::{sample, stream, weighted_index, Purpose};
use rand::RngExt;

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
    let mut est_factor = sample(&pop.estimate_error, &mut rng).max(0.0);
    let est_partner_factor = sample(&pop.estimate_error, &mut rng).max(0.0);
    let emp = employment(sc, id, None);
    // The employment type's estimate error multiplies the population-wide one (whose median
    // then sets a common bias, e.g. households estimating low).
    if let Some(f) = emp.estimate_factor {
        est_factor *= f;
    }
    let mut estimated_income =
        Money(monthly_income.0 * 12).mul_rate_floor_euros(Rate::from_f64(est_factor));
    // The agency's year-start indexation of the estimate (docs/rules.md §5), floor to whole euros
    // like the estimate itself.
    let extra = sc.agency.income_indexation_extra;
    if extra > 0.0 {
        estimated_income = estimated_income.mul_rate_floor_euros(Rate::from_f64(1.0 + extra));
    }
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
    // The last draw of this stream: skipping it for households without assets shifts nothing.
    let assets = if has_assets {
        euros(sample(&pop.assets, &mut rng))
    } else {
        Money::ZERO
    };

    // Rent, co-residents and childcare only matter to huurtoeslag and kinderopvangtoeslag; they
    // have their own stream, so skipping them when neither is simulated shifts no other draw.
    let needs_housing = pop.benefits[crate::rules::Benefit::Huurtoeslag.index()]
        || pop.benefits[crate::rules::Benefit::Kinderopvangtoeslag.index()];
    let (rent, co_residents, care_actual, care_estimate) = if needs_housing {
        housing_and_care(sc, id, &children[..n_children as usize])
    } else {
        (
            Money::ZERO,
            CoResidents::NONE,
            [None; MAX_CHILDREN],
            [None; MAX_CHILDREN],
        )
    };

    let (ev, n_events) = year_events(sc, id, partner, &emp);
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
        rent,
        co_residents,
        care_actual,
        care_estimate,
        events: ev,
        n_events: n_events as u8,
        employment: emp.kind,
    }
}

/// The year's changes of household `id` (shocks, the employment type's income surprise) and
/// when each is reported, from the scenario's streams.
fn year_events(
    sc: &Scenario,
    id: u64,
    partner: bool,
    emp: &EmploymentDraws,
) -> ([Event; MAX_EVENTS], usize) {
    let mut ev = [EMPTY_EVENT; MAX_EVENTS];
    let mut n_events = events::draw(sc, id, partner, emp.kind, &mut ev);
    if let Some(v) = emp.surprise {
        ev[n_events] = v;
        n_events += 1;
        ev[..n_events].sort_by_key(|e| e.month);
    }
    crate::sim::behaviour::draw_reporting(sc, id, &mut ev[..n_events], 1.0);
    (ev, n_events)
}

/// Household `prev` a year later, drawn for the next benefit year's scenario `sc` (its
/// parameters and its own seed, [`crate::sim::horizon::year_scenario`]): the situation at the
/// end of the previous year carries over, the year's changes are drawn anew.
///
/// * **Carried** (the actual situation after every event of the year): the applicant's monthly
///   income (every income factor; a bonus or a self-employed's year factor is not), the
///   partner (in, out, found afterwards) and the partner's income, the children a year older
///   (a child born in the year is 0 on 1 January with its birthday in the birth month; a child
///   turning 18 leaves the household's benefits), the rent, co-residents who moved in, the
///   assets (with any extra found at the award), the childcare actually used, the employment
///   type.
/// * **Estimates**: with [`crate::model::scenario::NextEstimate::LastAward`] the agency starts from what it learned at
///   the last definitive award: the applicant's assessed income of the previous year
///   (`prev_actual_income`), the partner's actual income and the childcare actually used; with
///   [`crate::model::scenario::NextEstimate::Household`] the household estimates anew: its new monthly income × 12 ×
///   a fresh draw of the estimate error (the childcare estimate keeps its error from the first
///   year's hours). The agency's indexation of the estimate applies in both.
/// * **Drawn anew** from `sc`'s seed: the year's events and their reporting, the employment
///   type's income surprise.
pub fn next_year(
    sc: &Scenario,
    prev: &Household,
    prev_actual_income: Money,
    next_estimate: crate::model::scenario::NextEstimate,
) -> Household {
    use crate::model::scenario::NextEstimate;
    use crate::sim::events::EventKind;
    let mut h = prev.clone();
    let mut monthly = prev.monthly_income;
    let mut partner = prev.partner;
    let mut partner_income = prev.partner_income;
    let mut children = [Child::default(); MAX_CHILDREN];
    let mut n = 0usize;
    for c in prev.children() {
        if c.age < 17 {
            children[n] = Child {
                age: c.age + 1,
                birthday: c.birthday,
            };
            n += 1;
        }
    }
    for e in prev.events() {
        match e.kind {
            EventKind::IncomeFactor(f) => monthly = monthly.mul_rate_half_up_cents(f),
            EventKind::PartnerIn(y) | EventKind::PartnerFound(y) => {
                partner = true;
                partner_income = y;
            }
            EventKind::PartnerOut => partner = false,
            EventKind::PartnerIncomeFactor(f) => {
                partner_income = partner_income.mul_rate_half_up_cents(f)
            }
            EventKind::ChildBorn if n < MAX_CHILDREN => {
                children[n] = Child {
                    age: 0,
                    birthday: e.month,
                };
                n += 1;
            }
            EventKind::RentFactor(f) => h.rent = h.rent.mul_rate_half_up_cents(f),
            EventKind::AssetsExtra(x) => h.assets += x,
            EventKind::CoResidentIn(y) => h.co_residents.push(CoResident {
                age: 30,
                income: y,
                child: false,
                assets: Money::ZERO,
            }),
            EventKind::CareHours(f) => {
                for c in h.care_actual.iter_mut().flatten() {
                    c.hours = crate::sim::year::scale_hours(c.hours, f);
                }
            }
            EventKind::CareStops => h.care_actual = [None; MAX_CHILDREN],
            _ => {}
        }
    }
    // Childcare follows its child: a child who left the household takes its care slot along.
    let mut care = [None; MAX_CHILDREN];
    let mut care_est = [None; MAX_CHILDREN];
    let mut k = 0;
    for (i, c) in prev.children().iter().enumerate() {
        if c.age < 17 {
            care[k] = h.care_actual[i];
            care_est[k] = h.care_estimate[i];
            k += 1;
        }
    }
    h.care_actual = care;
    h.monthly_income = monthly;
    h.partner = partner;
    h.partner_income = if partner { partner_income } else { Money::ZERO };
    h.children = children;
    h.n_children = n as u8;
    h.household_type = match (partner, n > 0) {
        (false, false) => 0,
        (true, false) => 1,
        (false, true) => 2,
        (true, true) => 3,
    };
    let emp = employment(sc, h.id, Some(prev.employment));
    let mut rng = stream(sc.seed, h.id, Purpose::Population);
    let est_factor = sample(&sc.population.estimate_error, &mut rng).max(0.0)
        * emp.estimate_factor.unwrap_or(1.0);
    let (estimated, estimated_partner, care_estimate) = match next_estimate {
        NextEstimate::LastAward => (prev_actual_income, h.partner_income, h.care_actual),
        NextEstimate::Household => (
            Money(monthly.0 * 12).mul_rate_floor_euros(Rate::from_f64(est_factor)),
            h.partner_income,
            care_est,
        ),
    };
    let extra = sc.agency.income_indexation_extra;
    h.estimated_income = if extra > 0.0 {
        estimated.mul_rate_floor_euros(Rate::from_f64(1.0 + extra))
    } else {
        estimated
    };
    h.estimated_partner_income = estimated_partner;
    h.care_estimate = care_estimate;
    let (ev, n_events) = year_events(sc, h.id, partner, &emp);
    h.events = ev;
    h.n_events = n_events as u8;
    h
}

/// A household's employment draws.
struct EmploymentDraws {
    kind: u8,
    /// Factor of the household's own income estimate (median 1), by type.
    estimate_factor: Option<f64>,
    /// The yearly income surprise, as an income event in a uniform month.
    surprise: Option<Event>,
}

/// Employment type, estimate factor and income surprise from the household's own `Employment`
/// stream (no draws, type employee, when the scenario has no employment model). The surprise
/// factor is lognormal with median 1 and the type's volatility as log-sd. `carried`: the type
/// of the household's previous year (the type draw is still made, and ignored).
fn employment(sc: &Scenario, id: u64, carried: Option<u8>) -> EmploymentDraws {
    let Some(e) = &sc.population.employment else {
        return EmploymentDraws {
            kind: 0,
            estimate_factor: None,
            surprise: None,
        };
    };
    let mut rng = stream(sc.seed, id, Purpose::Employment);
    let drawn = weighted_index(&e.shares, &mut rng);
    let kind = carried.map_or(drawn, |k| k as usize);
    let z_est = crate::sim::random::standard_normal(&mut rng);
    let z_vol = crate::sim::random::standard_normal(&mut rng);
    let month = rng.random_range(1..=12u8);
    let vol = e.volatility[kind];
    EmploymentDraws {
        kind: kind as u8,
        estimate_factor: Some((e.estimate_sigma[kind] * z_est).exp()),
        surprise: (vol > 0.0).then(|| Event {
            month,
            kind: events::EventKind::IncomeFactor(Rate::from_f64((vol * z_vol).exp().min(100.0))),
            known_from: 13,
        }),
    }
}

type CareArray = [Option<Care>; MAX_CHILDREN];

/// Rent, co-residents and childcare, from the household's own `Housing` stream (so these draws
/// never shift the composition and income draws). Every draw is made whether or not it is used.
///
/// Childcare: a child up to `childcare_max_age` uses care with probability `childcare_share`;
/// type by age (0–3 day care, older out-of-school care) unless it goes to a childminder
/// (`gastouder_share`); the hourly price is the year's maximum price for the type ×
/// `childcare_price_factor` (rounded to the cent); the hours are drawn and rounded to whole
/// hours, and the household's estimate is the hours × `childcare_hours_estimate_error`.
fn housing_and_care(
    sc: &Scenario,
    id: u64,
    children: &[Child],
) -> (Money, CoResidents, CareArray, CareArray) {
    let pop = &sc.population;
    let mut rng = stream(sc.seed, id, Purpose::Housing);
    let renting = rng.random::<f64>() < pop.renters_share;
    let rent_draw =
        Money::cents((sample(&pop.rent, &mut rng).clamp(0.0, 100_000.0) * 100.0).round() as i64);
    let rent = if renting { rent_draw } else { Money::ZERO };
    let mut co_residents = CoResidents::NONE;
    let has_co = rng.random::<f64>() < pop.co_resident_share;
    let young = rng.random::<f64>() < pop.co_resident_under_23_share;
    let co_income = euros(sample(&pop.co_resident_income, &mut rng));
    if has_co {
        // Ages only matter for the exemption below 23: a representative age on each side. A
        // young co-resident is taken to be a child living at home (the exemption's condition);
        // co-residents' own assets are not drawn (zero).
        co_residents.push(CoResident {
            age: if young { 19 } else { 30 },
            income: co_income,
            child: young,
            assets: Money::ZERO,
        });
    }
    let mut actual = [None; MAX_CHILDREN];
    let mut estimate = [None; MAX_CHILDREN];
    let max_price = sc
        .params
        .kinderopvangtoeslag
        .as_ref()
        .ok()
        .map(|k| k.max_price);
    for (i, c) in children.iter().enumerate() {
        let uses = rng.random::<f64>() < pop.childcare_share;
        let gastouder = rng.random::<f64>() < pop.gastouder_share;
        let hours = sample(&pop.childcare_hours, &mut rng).clamp(0.0, 744.0);
        let factor = sample(&pop.childcare_price_factor, &mut rng).clamp(0.0, 10.0);
        let est = sample(&pop.childcare_hours_estimate_error, &mut rng).clamp(0.0, 10.0);
        let Some(max_price) = max_price else { continue };
        if !uses || c.age > pop.childcare_max_age {
            continue;
        }
        let kind = if gastouder {
            CareType::Gastouder
        } else if c.age <= 3 {
            CareType::Dagopvang
        } else {
            CareType::Bso
        };
        let price = max_price[kind.index()].mul_rate_floor_cents(Rate::from_f64(factor));
        let hours_actual = hours.round() as u16;
        let hours_estimate = (hours * est).round().clamp(0.0, 744.0) as u16;
        actual[i] = Some(Care {
            kind,
            hours: hours_actual,
            price,
        });
        estimate[i] = Some(Care {
            kind,
            hours: hours_estimate,
            price,
        });
    }
    (rent, co_residents, actual, estimate)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::scenario::NextEstimate;
    use crate::sim::events::EventKind;

    fn scenario() -> Scenario {
        let path =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/multi-year.toml");
        let text = std::fs::read_to_string(&path).unwrap();
        crate::scenario::parse_str(&path, &text, String::new()).unwrap()
    }

    #[test]
    fn the_next_year_carries_the_end_of_year_situation_and_the_agencys_memory() {
        let sc = scenario();
        let next = crate::sim::horizon::year_scenario(&sc, 1);
        let mut h = generate(&sc, 7);
        h.partner = false;
        h.n_children = 2;
        h.children[0] = Child {
            age: 3,
            birthday: 5,
        };
        h.children[1] = Child {
            age: 17,
            birthday: 2,
        };
        h.monthly_income = Money::euros(2000);
        h.n_events = 0;
        for e in [
            Event {
                month: 4,
                kind: EventKind::IncomeFactor(Rate::from_f64(1.1)),
                known_from: 13,
            },
            Event {
                month: 6,
                kind: EventKind::PartnerIn(Money::euros(15_000)),
                known_from: 8,
            },
            Event {
                month: 9,
                kind: EventKind::ChildBorn,
                known_from: 10,
            },
        ] {
            assert!(h.push_event(e));
        }
        let n = next_year(&next, &h, Money::euros(25_300), NextEstimate::LastAward);
        assert_eq!(n.id, h.id);
        assert_eq!(n.monthly_income, Money::euros(2200));
        assert!(n.partner);
        assert_eq!(n.partner_income, Money::euros(15_000));
        assert_eq!(n.estimated_partner_income, Money::euros(15_000));
        // the 17-year-old leaves; the 3-year-old is 4; the newborn is 0 with a September birthday
        assert_eq!(
            n.children(),
            &[
                Child {
                    age: 4,
                    birthday: 5
                },
                Child {
                    age: 0,
                    birthday: 9
                }
            ]
        );
        assert_eq!(n.household_type, 3);
        assert_eq!(n.estimated_income, Money::euros(25_300));
        assert_eq!(n.employment, h.employment);
        // the household's own estimate: its new income × 12 × a fresh estimate error
        let own = next_year(&next, &h, Money::euros(25_300), NextEstimate::Household);
        let ratio = own.estimated_income.0 as f64 / (2200.0 * 1200.0);
        assert!((0.5..2.0).contains(&ratio), "{ratio}");
        // the year's changes are drawn anew from the year's own seed
        assert!(n.events().iter().all(|e| (1..=12).contains(&e.month)));
        assert_ne!(next.seed, sc.seed);
    }
}
