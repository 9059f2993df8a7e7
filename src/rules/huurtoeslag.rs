//! Huurtoeslag (rent benefit), 2026 structure: Wet op de huurtoeslag per 1-1-2026; docs/rules.md §2.
//!
//! ```text
//! rekenhuur = min(kale_huur, rekengrens)
//! A = rate_a × max(0, min(rekenhuur, kwaliteitskortingsgrens) − basishuur)
//! B = rate_b × max(0, min(rekenhuur, aftoppingsgrens) − kwaliteitskortingsgrens)
//! C = rate_c × max(0, rekenhuur − aftoppingsgrens)
//! monthly = max(0, A + B + C − phase × max(0, Y − ijkpunt) / 12)
//! ```
//! One-person households use the `_single` basishuur, ijkpunt and phase rate; larger ones the
//! `_multi` values; the higher aftoppingsgrens applies from `aftoppingsgrens_high_from_persons`
//! persons. Y is the joint assessed income plus the co-residents' income (a child living at
//! home under the exempt age on 1 January counts only above the exempt amount). Nothing above
//! the asset limit (the applicant's, with the partner's, or any co-resident's own), and
//! nothing without rent.
//!
//! Youth limit (docs/rules.md §2): when the applicant, the partner and every co-resident are
//! younger than `youth_age_below` (21 in 2026) and no child lives in the household, the
//! rekenhuur is capped at the kwaliteitskortingsgrens instead of the rekengrens.
//!
//! Rounding order `[U]` (docs/rules.md §2): the exact annual amount is `months_per_year × monthly`,
//! i.e. `12 × (A + B + C) − phase × max(0, Y − ijkpunt)`, kept exact; Awir art. 14 rounding
//! (half-up to whole euros, nothing below €24) is applied to that annual amount by
//! [`super::awir::annual_award`]. Whether the agency rounds monthly amounts first is not known;
//! the parameter `huurtoeslag.months_per_year` is flagged uncertain so reports say so.
//!
//! Not modelled: the youth limit's exception for a dwelling adapted for a disability, the
//! assets of a child under 18 (they count with the parent's), service costs (gone in 2026).

use super::blocks::{fine_text, BuildingBlocks};
use super::Situation;
use crate::model::money::{Fine, Money, Rate};
use crate::model::parameters::HuurtoeslagParams;

/// The building blocks of one household's rent benefit, as a decision letter shows them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Breakdown {
    /// Persons in the household.
    pub persons: usize,
    /// Rent counted: `min(rent, rekengrens)`.
    pub rekenhuur: Money,
    /// Basishuur used.
    pub basishuur: Money,
    /// Aftoppingsgrens used.
    pub aftoppingsgrens: Money,
    /// Part A per month, exact.
    pub part_a: Fine,
    /// Part B per month, exact.
    pub part_b: Fine,
    /// Part C per month, exact.
    pub part_c: Fine,
    /// Income counted (Y), with co-residents.
    pub income: Money,
    /// Income ijkpunt used.
    pub ijkpunt: Money,
    /// Phase-out rate used.
    pub phase_rate: Rate,
    /// Annual reduction for income: `phase × max(0, Y − ijkpunt)`, exact.
    pub income_reduction: Fine,
    /// True when assets exceed the limit (no entitlement).
    pub above_asset_limit: bool,
    /// True when a co-resident's own assets exceed the per-person limit (no entitlement).
    pub co_resident_above_asset_limit: bool,
    /// True when the youth limit applies (rent counted up to the kwaliteitskortingsgrens).
    pub youth_limit: bool,
    /// Exact annual amount before Awir rounding.
    pub annual: Fine,
}

/// Does the youth limit apply: the applicant, the partner (in partner months) and every
/// co-resident younger than `youth_age_below`, and no child in the household? An unknown age
/// (`None`) is an adult's.
pub fn youth_limit_applies(p: &HuurtoeslagParams, s: &Situation) -> bool {
    let young = |age: Option<u8>| age.is_some_and(|a| i64::from(a) < p.youth_age_below);
    s.children.is_empty()
        && young(s.applicant_age)
        && (!s.partner || young(s.partner_age))
        && s.co_residents.as_slice().iter().all(|c| young(Some(c.age)))
}

/// The income that counts: the joint assessed income plus each co-resident's income, minus the
/// exempt amount for a child living at home younger than the exempt age on 1 January (so for
/// the whole year in which it turns 23), never below zero per person.
pub fn counted_income(p: &HuurtoeslagParams, s: &Situation) -> Money {
    let mut y = s.income;
    for c in s.co_residents.as_slice() {
        y += if c.child && i64::from(c.age) < p.co_resident_exempt_below_age {
            (c.income - p.co_resident_exempt_income).max_zero()
        } else {
            c.income.max_zero()
        };
    }
    y
}

/// The full computation with its building blocks.
pub fn breakdown(p: &HuurtoeslagParams, s: &Situation) -> Breakdown {
    let persons = s.persons();
    let one = persons == 1;
    let (basishuur, ijkpunt, phase_rate) = if one {
        (p.basishuur_single, p.ijkpunt_single, p.phase_rate_single)
    } else {
        (p.basishuur_multi, p.ijkpunt_multi, p.phase_rate_multi)
    };
    let aftoppingsgrens = if persons as i64 >= p.aftoppingsgrens_high_from_persons {
        p.aftoppingsgrens_high
    } else {
        p.aftoppingsgrens_low
    };
    let limit = if s.partner {
        p.asset_limit_partners
    } else {
        p.asset_limit_single
    };
    let above_asset_limit = s.assets > limit;
    let co_resident_above_asset_limit = s
        .co_residents
        .as_slice()
        .iter()
        .any(|c| c.assets > p.asset_limit_co_resident);
    let youth_limit = youth_limit_applies(p, s);
    let cap = if youth_limit {
        p.kwaliteitskortingsgrens.min(p.rekengrens)
    } else {
        p.rekengrens
    };
    let rekenhuur = s.rent.max_zero().min(cap);
    let kkg = p.kwaliteitskortingsgrens;
    let part_a = (rekenhuur.min(kkg) - basishuur)
        .max_zero()
        .mul_rate(p.rate_a);
    let part_b = (rekenhuur.min(aftoppingsgrens) - kkg)
        .max_zero()
        .mul_rate(p.rate_b);
    let part_c = (rekenhuur - aftoppingsgrens).max_zero().mul_rate(p.rate_c);
    let income = counted_income(p, s);
    let income_reduction = (income - ijkpunt).max_zero().mul_rate(phase_rate);
    let monthly_parts = part_a + part_b + part_c;
    let annual = if above_asset_limit || co_resident_above_asset_limit || s.rent <= Money::ZERO {
        Fine::ZERO
    } else {
        // months × (A + B + C) − phase × (Y − ijkpunt): the monthly formula times 12, exact.
        (Fine(monthly_parts.0 * i128::from(p.months_per_year)) - income_reduction).max_zero()
    };
    Breakdown {
        persons,
        rekenhuur,
        basishuur,
        aftoppingsgrens,
        part_a,
        part_b,
        part_c,
        income,
        ijkpunt,
        phase_rate,
        income_reduction,
        above_asset_limit,
        co_resident_above_asset_limit,
        youth_limit,
        annual,
    }
}

/// The exact annual amount, before Awir rounding.
pub fn annual_exact(p: &HuurtoeslagParams, s: &Situation) -> Fine {
    breakdown(p, s).annual
}

/// The building blocks of huurtoeslag for situation `s`, in the order a decision letter shows
/// them, with the parameters used (`calc` and `explain` show them).
pub fn building_blocks(hp: &HuurtoeslagParams, s: &Situation, bl: &mut BuildingBlocks) {
    let x = breakdown(hp, s);
    bl.line("persons in the household", x.persons.to_string());
    bl.details
        .insert("persons".into(), serde_json::Value::from(x.persons));
    if x.above_asset_limit {
        bl.line("assets above the limit", "no entitlement");
    }
    if x.co_resident_above_asset_limit {
        bl.line(
            "a co-resident's assets above the per-person limit",
            "no entitlement",
        );
    }
    if x.youth_limit {
        bl.line(
            "youth limit (everyone under the age limit, no child)",
            "rent counted up to the kwaliteitskortingsgrens",
        );
    }
    bl.details
        .insert("youth_limit".into(), serde_json::Value::from(x.youth_limit));
    bl.money("rent", "kale huur per month", s.rent);
    bl.money(
        "rekenhuur",
        if x.youth_limit {
            "rekenhuur (capped at the kwaliteitskortingsgrens: youth limit)"
        } else {
            "rekenhuur (capped at the rekengrens)"
        },
        x.rekenhuur,
    );
    bl.money("basishuur", "basishuur", x.basishuur);
    bl.money(
        "kwaliteitskortingsgrens",
        "kwaliteitskortingsgrens",
        hp.kwaliteitskortingsgrens,
    );
    bl.money("aftoppingsgrens", "aftoppingsgrens", x.aftoppingsgrens);
    bl.fine(
        "part_a",
        &format!(
            "A: {} × (min(rekenhuur, kwaliteitskortingsgrens) − basishuur)",
            hp.rate_a
        ),
        x.part_a,
    );
    bl.fine(
        "part_b",
        &format!(
            "B: {} × (min(rekenhuur, aftoppingsgrens) − kwaliteitskortingsgrens)",
            hp.rate_b
        ),
        x.part_b,
    );
    bl.fine(
        "part_c",
        &format!("C: {} × (rekenhuur − aftoppingsgrens)", hp.rate_c),
        x.part_c,
    );
    bl.money(
        "counted_income",
        "income counted (joint + co-residents)",
        x.income,
    );
    bl.money("ijkpunt", "inkomensijkpunt", x.ijkpunt);
    bl.rate("phase_rate", "phase-out rate", x.phase_rate);
    bl.fine(
        "income_reduction",
        "yearly reduction: rate × (income − ijkpunt)",
        x.income_reduction,
    );
    bl.line(
        "annual",
        format!(
            "{} × (A + B + C) − reduction = {} (rounding order uncertain, see notes)",
            hp.months_per_year,
            fine_text(x.annual)
        ),
    );
    bl.params(
        "huurtoeslag",
        &[
            "rekengrens",
            "basishuur_single",
            "basishuur_multi",
            "kwaliteitskortingsgrens",
            "aftoppingsgrens_low",
            "aftoppingsgrens_high",
            "rate_a",
            "rate_b",
            "rate_c",
            "ijkpunt_single",
            "ijkpunt_multi",
            "phase_rate_single",
            "phase_rate_multi",
            "co_resident_exempt_income",
            "co_resident_exempt_below_age",
            "youth_age_below",
            "asset_limit_single",
            "asset_limit_partners",
            "asset_limit_co_resident",
            "months_per_year",
        ],
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::parameters::ParameterSet;
    use crate::rules::{awir, Children, CoResident, CoResidents};

    fn params() -> (HuurtoeslagParams, crate::model::parameters::AwirParams) {
        let p = ParameterSet::for_year(2026).unwrap().resolve().unwrap();
        (p.huurtoeslag.unwrap(), p.awir)
    }

    fn award(s: Situation) -> Money {
        let (h, a) = params();
        awir::annual_award(&a, annual_exact(&h, &s))
    }

    fn single(rent: i64, income: i64) -> Situation {
        Situation {
            rent: Money::cents(rent),
            income: Money::euros(income),
            ..Situation::default()
        }
    }

    #[test]
    fn single_below_ijkpunt_by_hand() {
        // rent €650: A = 498.20 − 202.52 = 295.68; B = 0.65 × (650 − 498.20) = 98.67; C = 0
        // monthly 394.35; annual 12 × 394.35 = 4732.20 → €4,732 (€394 a month)
        assert_eq!(award(single(65_000, 20_000)), Money::euros(4732));
    }

    #[test]
    fn single_above_ijkpunt_tapers_linearly() {
        // same rent, Y = 30,000: reduction 0.27 × (30000 − 23425) = 1775.25 a year
        // 4732.20 − 1775.25 = 2956.95 → €2,957
        assert_eq!(award(single(65_000, 30_000)), Money::euros(2957));
    }

    #[test]
    fn rent_above_aftoppingsgrens_gets_part_c_and_is_capped_at_rekengrens() {
        // rent €1,000 → rekenhuur 932.93 (rekengrens). A = 295.68; B = 0.65 × (713.02 − 498.20)
        // = 139.633; C = 0.40 × (932.93 − 713.02) = 87.964. Monthly 523.277; × 12 = 6279.324
        assert_eq!(award(single(100_000, 20_000)), Money::euros(6279));
        let (h, _) = params();
        let b = breakdown(&h, &single(100_000, 20_000));
        assert_eq!(b.rekenhuur, Money::cents(93_293));
    }

    #[test]
    fn three_persons_use_multi_values_and_the_higher_aftoppingsgrens() {
        // couple + 1 child, rent €800, Y = 40,000.
        // A = 498.20 − 200.71 = 297.49; B = 0.65 × (764.14 − 498.20) = 172.861;
        // C = 0.40 × (800 − 764.14) = 14.344; monthly 484.695 → × 12 = 5816.34
        // reduction 0.22 × (40000 − 31500) = 1870 → 3946.34 → €3,946
        let s = Situation {
            partner: true,
            children: Children::from_ages(&[4]),
            rent: Money::euros(800),
            income: Money::euros(40_000),
            ..Situation::default()
        };
        assert_eq!(award(s), Money::euros(3946));
    }

    #[test]
    fn co_resident_income_counts_with_exemption_under_23() {
        // single + co-resident aged 20 earning 10,000: counts 10000 − 6218 = 3782.
        // 2 persons: multi values. rent 650: A = 297.49, B = 98.67 → 396.16 × 12 = 4753.92
        // Y = 30000 + 3782 = 33782; reduction 0.22 × 2282 = 502.04 → 4251.88 → €4,252
        let with = |age: u8, child: bool| {
            let mut co = CoResidents::NONE;
            co.push(CoResident {
                age,
                income: Money::euros(10_000),
                child,
                assets: Money::ZERO,
            });
            Situation {
                co_residents: co,
                ..single(65_000, 30_000)
            }
        };
        assert_eq!(award(with(20, true)), Money::euros(4252));
        // 22 on 1 January (turns 23 this year): still exempt all year
        assert_eq!(award(with(22, true)), Money::euros(4252));
        // aged 30: all 10,000 counts: Y = 40000; 0.22 × 8500 = 1870 → 2883.92 → €2,884
        assert_eq!(award(with(30, true)), Money::euros(2884));
        // 23 on 1 January: no exemption
        assert_eq!(award(with(23, true)), Money::euros(2884));
        // a co-resident of 20 who is not a child living at home: no exemption
        assert_eq!(award(with(20, false)), Money::euros(2884));
    }

    #[test]
    fn youth_limit_counts_rent_up_to_the_kwaliteitskortingsgrens() {
        // Single aged 19, rent €700, income €15,000 (below the ijkpunt):
        // rekenhuur = min(700, 498.20) = 498.20; A = 498.20 − 202.52 = 295.68; B = C = 0
        // → €295.68 a month, 12 × 295.68 = 3548.16 → €3,548 (not 426.85 a month:
        // A 295.68 + B 0.65 × (700 − 498.20) = 131.17 → 12 × 426.85 = €5,122).
        let young = Situation {
            applicant_age: Some(19),
            ..single(70_000, 15_000)
        };
        assert_eq!(award(young), Money::euros(3548));
        let (h, _) = params();
        assert!(breakdown(&h, &young).youth_limit);
        // 21 or unknown age: the ordinary rekengrens
        for age in [Some(21), None] {
            let s = Situation {
                applicant_age: age,
                ..single(70_000, 15_000)
            };
            assert_eq!(award(s), Money::euros(5122), "{age:?}");
        }
        // with a child, or a partner of 25, or a co-resident of 30: no youth limit
        let with_child = Situation {
            children: Children::from_ages(&[1]),
            ..young
        };
        assert!(!breakdown(&h, &with_child).youth_limit);
        let with_partner = Situation {
            partner: true,
            partner_age: Some(25),
            ..young
        };
        assert!(!breakdown(&h, &with_partner).youth_limit);
        let young_partner = Situation {
            partner_age: Some(20),
            ..with_partner
        };
        assert!(breakdown(&h, &young_partner).youth_limit);
        let mut co = CoResidents::NONE;
        co.push(CoResident {
            age: 30,
            income: Money::ZERO,
            child: false,
            assets: Money::ZERO,
        });
        let with_older = Situation {
            co_residents: co,
            ..young
        };
        assert!(!breakdown(&h, &with_older).youth_limit);
    }

    #[test]
    fn a_co_residents_assets_above_the_limit_remove_the_benefit() {
        // single, rent €650, income €20,000 (€4,732 alone) with a co-resident without income:
        // 2 persons: A = 498.20 − 200.71 = 297.49, B = 98.67 → 396.16 × 12 = €4,754 when the
        // co-resident has €38,479; one euro more and nothing.
        let with_assets = |eur: i64| {
            let mut co = CoResidents::NONE;
            co.push(CoResident {
                age: 30,
                income: Money::ZERO,
                child: false,
                assets: Money::euros(eur),
            });
            Situation {
                co_residents: co,
                ..single(65_000, 20_000)
            }
        };
        assert_eq!(award(with_assets(38_479)), Money::euros(4754));
        assert_eq!(award(with_assets(38_480)), Money::ZERO);
    }

    #[test]
    fn no_rent_or_too_many_assets_means_nothing() {
        assert_eq!(award(single(0, 10_000)), Money::ZERO);
        let rich = Situation {
            assets: Money::euros(38_480),
            ..single(65_000, 10_000)
        };
        assert_eq!(award(rich), Money::ZERO);
        let ok = Situation {
            assets: Money::euros(38_479),
            ..single(65_000, 10_000)
        };
        assert!(award(ok) > Money::ZERO);
    }

    #[test]
    fn not_available_before_2026() {
        for y in [2024, 2025] {
            let p = ParameterSet::for_year(y).unwrap().resolve().unwrap();
            let e = p.huurtoeslag.unwrap_err();
            assert!(e.contains("normhuur") && e.contains("2026"), "{e}");
        }
    }
}
