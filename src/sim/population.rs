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
    let emp = employment(sc, id);
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

    let mut ev = [EMPTY_EVENT; MAX_EVENTS];
    let mut n_events = events::draw(sc, id, partner, emp.kind, &mut ev);
    if let Some(v) = emp.surprise {
        ev[n_events] = v;
        n_events += 1;
        ev[..n_events].sort_by_key(|e| e.month);
    }
    crate::sim::behaviour::draw_reporting(sc, id, &mut ev[..n_events], 1.0);
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
/// factor is lognormal with median 1 and the type's volatility as log-sd.
fn employment(sc: &Scenario, id: u64) -> EmploymentDraws {
    let Some(e) = &sc.population.employment else {
        return EmploymentDraws {
            kind: 0,
            estimate_factor: None,
            surprise: None,
        };
    };
    let mut rng = stream(sc.seed, id, Purpose::Employment);
    let kind = weighted_index(&e.shares, &mut rng);
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
