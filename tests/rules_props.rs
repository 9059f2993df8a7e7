//! Properties every benefit must have, for every year whose parameters can compute it:
//! non-increasing in income, never negative, nothing above the asset limit (where there is an
//! asset test), and the €24 rule (the annual award is 0 or at least the minimum award).

use proptest::prelude::*;
use toeslagenlab::money::Money;
use toeslagenlab::parameters::{ParameterSet, Params};
use toeslagenlab::rules::{
    annual_exact, awir, Benefit, Care, CareType, Children, CoResident, CoResidents, Situation,
};

fn params(year: u16) -> Params {
    ParameterSet::for_year(year).unwrap().resolve().unwrap()
}

fn award(p: &Params, b: Benefit, s: &Situation) -> Money {
    awir::annual_award(&p.awir, annual_exact(b, p, s))
}

fn care() -> impl Strategy<Value = Option<Care>> {
    prop::option::of(
        (0usize..3, 0u16..300, 0i64..1500).prop_map(|(k, hours, price)| Care {
            kind: CareType::ALL[k],
            hours,
            price: Money::cents(price),
        }),
    )
}

prop_compose! {
    fn situation()(
        partner in any::<bool>(),
        kids in prop::collection::vec((0u8..20, care()), 0..4),
        co in prop::option::of((15u8..70, 0i64..40_000)),
        rent in prop_oneof![Just(0i64), 0i64..150_000],
        assets in 0i64..50_000,
        income in 0i64..250_000,
    ) -> Situation {
        let mut children = Children::NONE;
        for (age, c) in kids {
            children.push_with_care(age, c);
        }
        let mut co_residents = CoResidents::NONE;
        if let Some((age, inc)) = co {
            co_residents.push(CoResident { age, income: Money::euros(inc), child: age < 23, assets: Money::ZERO });
        }
        Situation {
            partner,
            children,
            assets: Money::euros(assets),
            income: Money::euros(income),
            rent: Money::cents(rent),
            co_residents,
            ..Situation::default()
        }
    }
}

fn years() -> impl Strategy<Value = u16> {
    prop_oneof![Just(2024u16), Just(2025u16), Just(2026u16)]
}

fn asset_limit(p: &Params, b: Benefit, partner: bool) -> Option<Money> {
    let pick = |single: Money, partners: Money| Some(if partner { partners } else { single });
    match b {
        Benefit::Zorgtoeslag => pick(
            p.zorgtoeslag.asset_limit_single,
            p.zorgtoeslag.asset_limit_partners,
        ),
        Benefit::KindgebondenBudget => pick(
            p.kindgebonden_budget.asset_limit_single,
            p.kindgebonden_budget.asset_limit_partners,
        ),
        Benefit::Huurtoeslag => {
            let h = p.huurtoeslag.as_ref().ok()?;
            pick(h.asset_limit_single, h.asset_limit_partners)
        }
        // docs/rules.md §3: no asset test for childcare benefit.
        Benefit::Kinderopvangtoeslag => None,
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn non_increasing_in_income(year in years(), s in situation(), more in 0i64..100_000) {
        let p = params(year);
        let richer = Situation { income: s.income + Money::euros(more), ..s };
        for b in Benefit::ALL {
            if b.available(&p).is_err() { continue; }
            let (lo, hi) = (award(&p, b, &s), award(&p, b, &richer));
            prop_assert!(hi <= lo, "{} {year}: {lo} at {} but {hi} at {}", b.name(), s.income, richer.income);
        }
    }

    #[test]
    fn never_negative_and_the_24_euro_rule(year in years(), s in situation()) {
        let p = params(year);
        for b in Benefit::ALL {
            if b.available(&p).is_err() { continue; }
            let exact = annual_exact(b, &p, &s);
            prop_assert!(exact.0 >= 0, "{} {year}: negative exact amount", b.name());
            let a = award(&p, b, &s);
            prop_assert!(a == Money::ZERO || a >= p.awir.minimum_award, "{} {year}: award {a}", b.name());
            prop_assert!(awir::monthly(a) >= Money::ZERO);
        }
    }

    #[test]
    fn zero_above_the_asset_limit(year in years(), s in situation(), extra in 1i64..1_000_000) {
        let p = params(year);
        for b in Benefit::ALL {
            if b.available(&p).is_err() { continue; }
            if let Some(limit) = asset_limit(&p, b, s.partner) {
                let rich = Situation { assets: limit + Money::cents(extra), ..s };
                prop_assert_eq!(award(&p, b, &rich), Money::ZERO, "{} {}", b.name(), year);
            }
        }
    }
}
