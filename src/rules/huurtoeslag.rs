//! Huurtoeslag (rent benefit), Wet op de huurtoeslag; docs/rules.md §2. Two structures, chosen
//! by the year's parameters ([`BasishuurRule`]):
//!
//! ```text
//! 2026:        basishuur fixed per household type
//!              rekenhuur = min(kale_huur, rekengrens)
//!              monthly = max(0, A + B + C − phase × max(0, Y − ijkpunt) / 12)
//! before 2026: basishuur = max(minimum, ⌈a × Y² + b × Y⌉ − reduction) above the minimum income
//!              no huurtoeslag when the rent is above the rekengrens (a condition then)
//!              monthly = A + B + C
//! A = rate_a × max(0, min(rekenhuur, kwaliteitskortingsgrens) − basishuur)
//! B = rate_b × max(0, min(rekenhuur, aftoppingsgrens) − max(basishuur, kwaliteitskortingsgrens))
//! C = rate_c × max(0, rekenhuur − max(basishuur, aftoppingsgrens))
//! ```
//! One-person households use the `_single` values; larger ones the `_multi` values (and, before
//! 2026, `rate_c_multi` for part C); the higher aftoppingsgrens applies from
//! `aftoppingsgrens_high_from_persons` persons. With the 2026 basishuur below the
//! kwaliteitskortingsgrens the bands start at the limits, as the 2026 law writes them. Y is the
//! joint assessed income plus the co-residents' income (a child living at home under the exempt
//! age on 1 January counts only above the exempt amount). Nothing above the asset limit (the
//! applicant's, with the partner's, or any co-resident's own), and nothing without rent.
//!
//! Youth limit (docs/rules.md §2): when the applicant, the partner and every co-resident are
//! younger than `youth_age_below` (21 in 2026, 23 before) and no child lives in the household,
//! the rent counts only up to the kwaliteitskortingsgrens (before 2026: a higher rent gives
//! nothing).
//!
//! Rounding order `[U]` (docs/rules.md §2): the exact annual amount is `months_per_year × monthly`,
//! i.e. `12 × (A + B + C) − phase × max(0, Y − ijkpunt)`, kept exact; Awir art. 14 rounding
//! (half-up to whole euros, nothing below €24) is applied to that annual amount by
//! [`super::awir::annual_award`]. Whether the agency rounds monthly amounts first is not known;
//! the parameter `huurtoeslag.months_per_year` is flagged uncertain so reports say so. The
//! normhuur itself is rounded up to the cent (art. 19 lid 3).
//!
//! Not modelled: the youth limit's exception for a dwelling adapted for a disability, the
//! assets of a child under 18 (they count with the parent's), service costs (before 2026 up to
//! €48 a month of them counted as rent), pension-age households before 2026 (their own
//! coefficients and part C: the population has no ages).

use super::blocks::{fine_text, BuildingBlocks};
use super::Situation;
use crate::model::money::{Fine, Money, Rate};
use crate::model::parameters::{BasishuurRule, HuurtoeslagParams, NormhuurFormula};

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
    /// Share of part C paid (before 2026 zero for multi-person households).
    pub rate_c: Rate,
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
    /// True when the rent is above the maximum and the year makes that a condition (before
    /// 2026): no entitlement.
    pub above_rent_limit: bool,
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

/// The normhuur of a household type at income `y` (Wet op de huurtoeslag before 2026, art. 19):
/// `a × Y² + b × Y` with Y in euros, rounded up to the cent (art. 19 lid 3), exact in integers.
pub fn normhuur(f: &NormhuurFormula, y: Money) -> Money {
    // Y in cents: a × Y² = a' × c² / 10^16 and b × Y = b' × c / 10^14 euros, with a', b' the
    // coefficients in units of 10^-12 and c the income in cents; in units of 10^-16 euros:
    let c = i128::from(y.max_zero().0);
    let total = f.a * c * c + f.b * c * 100;
    // 10^-16 euros to cents: divide by 10^14, rounding up.
    Money(crate::model::money::div_ceil_i128(total, 100_000_000_000_000) as i64)
}

/// The basishuur and, for the 2026 structure, the yearly phase-out for household size and
/// income: `(basishuur, ijkpunt, phase_rate)` (ijkpunt and rate zero before 2026).
fn basishuur_for(p: &HuurtoeslagParams, one: bool, income: Money) -> (Money, Money, Rate) {
    match p.basishuur {
        BasishuurRule::Fixed {
            single,
            multi,
            ijkpunt_single,
            ijkpunt_multi,
            phase_rate_single,
            phase_rate_multi,
        } => {
            if one {
                (single, ijkpunt_single, phase_rate_single)
            } else {
                (multi, ijkpunt_multi, phase_rate_multi)
            }
        }
        BasishuurRule::Normhuur {
            single,
            multi,
            reduction,
        } => {
            let f = if one { single } else { multi };
            let b = if income <= f.min_income {
                f.min_basishuur
            } else {
                (normhuur(&f, income) - reduction).max(f.min_basishuur)
            };
            (b, Money::ZERO, Rate::ZERO)
        }
    }
}

/// The full computation with its building blocks.
pub fn breakdown(p: &HuurtoeslagParams, s: &Situation) -> Breakdown {
    let persons = s.persons();
    let one = persons == 1;
    let income = counted_income(p, s);
    let (basishuur, ijkpunt, phase_rate) = basishuur_for(p, one, income);
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
    // Before 2026 the cap was a condition: a rent above it gives nothing.
    let above_rent_limit = p.rent_above_rekengrens_excluded && s.rent > cap;
    let rekenhuur = s.rent.max_zero().min(cap);
    let kkg = p.kwaliteitskortingsgrens;
    // Each band starts where the previous one ends, or at the basishuur when that is higher
    // (art. 21 lid 2; with the 2026 basishuur below the kwaliteitskortingsgrens this is the
    // kwaliteitskortingsgrens and the aftoppingsgrens).
    let part_a = (rekenhuur.min(kkg) - basishuur)
        .max_zero()
        .mul_rate(p.rate_a);
    let part_b = (rekenhuur.min(aftoppingsgrens) - basishuur.max(kkg))
        .max_zero()
        .mul_rate(p.rate_b);
    let rate_c = if one { p.rate_c } else { p.rate_c_multi };
    let part_c = (rekenhuur - basishuur.max(aftoppingsgrens))
        .max_zero()
        .mul_rate(rate_c);
    let income_reduction = (income - ijkpunt).max_zero().mul_rate(phase_rate);
    let monthly_parts = part_a + part_b + part_c;
    let annual = if above_asset_limit
        || co_resident_above_asset_limit
        || above_rent_limit
        || s.rent <= Money::ZERO
    {
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
        rate_c,
        income,
        ijkpunt,
        phase_rate,
        income_reduction,
        above_asset_limit,
        co_resident_above_asset_limit,
        above_rent_limit,
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
    if x.above_rent_limit {
        bl.line(
            "rent above the maximum (a condition before 2026)",
            "no entitlement",
        );
    }
    let normhuur = matches!(hp.basishuur, BasishuurRule::Normhuur { .. });
    bl.money(
        "basishuur",
        if normhuur {
            "basishuur (normhuur a × Y² + b × Y, less the reduction, at least the minimum)"
        } else {
            "basishuur"
        },
        x.basishuur,
    );
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
        &if normhuur {
            format!(
                "B: {} × (min(rekenhuur, aftoppingsgrens) − max(basishuur, kwaliteitskortingsgrens))",
                hp.rate_b
            )
        } else {
            format!(
                "B: {} × (min(rekenhuur, aftoppingsgrens) − kwaliteitskortingsgrens)",
                hp.rate_b
            )
        },
        x.part_b,
    );
    bl.fine(
        "part_c",
        &if normhuur {
            format!(
                "C: {} × (rekenhuur − max(basishuur, aftoppingsgrens))",
                x.rate_c
            )
        } else {
            format!("C: {} × (rekenhuur − aftoppingsgrens)", x.rate_c)
        },
        x.part_c,
    );
    bl.money(
        "counted_income",
        "income counted (joint + co-residents)",
        x.income,
    );
    if normhuur {
        bl.line(
            "annual",
            format!(
                "{} × (A + B + C) = {} (rounding order uncertain, see notes)",
                hp.months_per_year,
                fine_text(x.annual)
            ),
        );
    } else {
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
    }
    let keys: &[&str] = if normhuur {
        &[
            "rekengrens",
            "rent_above_rekengrens_excluded",
            "normhuur_a_single",
            "normhuur_b_single",
            "normhuur_min_income_single",
            "basishuur_min_single",
            "normhuur_a_multi",
            "normhuur_b_multi",
            "normhuur_min_income_multi",
            "basishuur_min_multi",
            "basishuur_reduction",
            "kwaliteitskortingsgrens",
            "aftoppingsgrens_low",
            "aftoppingsgrens_high",
            "rate_a",
            "rate_b",
            "rate_c",
            "rate_c_multi",
            "co_resident_exempt_income",
            "co_resident_exempt_below_age",
            "youth_age_below",
            "asset_limit_single",
            "asset_limit_partners",
            "asset_limit_co_resident",
            "months_per_year",
        ]
    } else {
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
        ]
    };
    bl.params("huurtoeslag", keys);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::parameters::ParameterSet;
    use crate::rules::{awir, Children, CoResident, CoResidents};

    fn params() -> (HuurtoeslagParams, crate::model::parameters::AwirParams) {
        params_for(2026)
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

    fn params_for(year: u16) -> (HuurtoeslagParams, crate::model::parameters::AwirParams) {
        let p = ParameterSet::for_year(year).unwrap().resolve().unwrap();
        (p.huurtoeslag.unwrap(), p.awir)
    }

    /// An exact amount of euros ("215.373") as a Fine.
    fn eur(text: &str) -> Fine {
        use std::str::FromStr;
        let d = rust_decimal::Decimal::from_str(text).unwrap()
            * rust_decimal::Decimal::from(100_000_000_000i64);
        Fine(i128::try_from(d).unwrap())
    }

    fn monthly_2025(s: Situation) -> Fine {
        let (h, _) = params_for(2025);
        let b = breakdown(&h, &s);
        b.part_a + b.part_b + b.part_c
    }

    #[test]
    fn normhuur_is_exact_and_rounded_up_to_the_cent() {
        let (h, _) = params_for(2025);
        let BasishuurRule::Normhuur { single, .. } = h.basishuur else {
            panic!("2025 uses the normhuur structure")
        };
        // a × 34,000² + b × 34,000 = 0.000000438698 × 1,156,000,000 + 0.000446392665 × 34,000
        // = 507.134888 + 15.17735061 = 522.31223861 → €522.32 (up)
        assert_eq!(
            normhuur(&single, Money::euros(34_000)),
            Money::cents(52_232)
        );
        // at the minimum income the formula less the reduction is the minimum basishuur
        // 236.1874… → 236.19; − 37.14 = 199.05
        assert_eq!(
            normhuur(&single, Money::euros(22_700)) - Money::cents(3_714),
            single.min_basishuur
        );
    }

    #[test]
    fn published_2025_single_amounts_by_hand() {
        // Single, kale huur €900, 2025 (Metronieuws, January 2025; tests/cases/huurtoeslag_2025_*):
        // 22,000 (below the minimum income): basishuur 199.05; A = 477.20 − 199.05 = 278.15,
        // B = 0.65 × (682.96 − 477.20) = 133.744, C = 0.40 × (900 − 682.96) = 86.816 → 498.71
        assert_eq!(monthly_2025(single(90_000, 22_000)), eur("498.71"));
        // 34,000: basishuur 522.32 − 37.14 = 485.18 > kwaliteitskortingsgrens: A = 0,
        // B = 0.65 × (682.96 − 485.18) = 128.557, C = 86.816 → 215.373 (published €215)
        assert_eq!(monthly_2025(single(90_000, 34_000)), eur("215.373"));
        // 46,500: basishuur above the rent → 0 (published €0)
        assert_eq!(monthly_2025(single(90_000, 46_500)), Fine::ZERO);
    }

    #[test]
    fn before_2026_the_maximum_rent_is_a_condition() {
        let (h, a) = params_for(2025);
        let at = |rent: i64| awir::annual_award(&a, annual_exact(&h, &single(rent, 20_000)));
        // €900.07 is the maximum: counted in full; one cent more and nothing
        assert!(at(90_007) > Money::ZERO);
        assert_eq!(at(90_008), Money::ZERO);
        assert!(breakdown(&h, &single(90_008, 20_000)).above_rent_limit);
        // in 2026 the rent above the rekengrens is only capped
        let (h26, a26) = params();
        assert_eq!(
            awir::annual_award(&a26, annual_exact(&h26, &single(100_000, 20_000))),
            Money::euros(6279)
        );
    }

    #[test]
    fn before_2026_the_youth_limit_is_a_condition_and_multi_person_households_get_no_part_c() {
        let (h, _) = params_for(2025);
        // single aged 22, rent €500 > kwaliteitskortingsgrens €477.20: nothing
        let young = Situation {
            applicant_age: Some(22),
            ..single(50_000, 20_000)
        };
        assert_eq!(annual_exact(&h, &young), Fine::ZERO);
        // rent €477.20: A only = 477.20 − 199.05 = 278.15 a month
        let young_ok = Situation {
            rent: Money::cents(47_720),
            ..young
        };
        assert_eq!(monthly_2025(young_ok), eur("278.15"));
        // couple, rent €800, income €25,000 (below the multi minimum income): basishuur 197.24;
        // A = 477.20 − 197.24 = 279.96, B = 0.65 × (682.96 − 477.20) = 133.744, C = 0 (rate 0)
        let couple = Situation {
            partner: true,
            ..single(80_000, 25_000)
        };
        assert_eq!(monthly_2025(couple), eur("413.704"));
    }

    #[test]
    fn every_year_computes_huurtoeslag() {
        for y in [2024, 2025, 2026] {
            let (h, a) = params_for(y);
            let x = awir::annual_award(&a, annual_exact(&h, &single(60_000, 20_000)));
            assert!(x > Money::euros(2_000), "{y}: {x:?}");
        }
    }
}
