//! Zorgtoeslag (healthcare benefit), Wet op de zorgtoeslag art. 2; docs/rules.md §1.
//!
//! `normpremie = a × drempel + t × max(0, Y − drempel)` (a single or partners),
//! `annual = max(0, n × standaardpremie − normpremie)`, n = 1 single, 2 with partner;
//! nothing above the asset limit.

use super::blocks::BuildingBlocks;
use super::Situation;
use crate::model::money::Fine;
use crate::model::money::Money;
use crate::model::parameters::ZorgtoeslagParams;

/// The normpremie (own contribution) for a year, exact.
pub fn normpremie(
    p: &ZorgtoeslagParams,
    partner: bool,
    income: crate::model::money::Money,
) -> Fine {
    let a = if partner {
        p.rate_partners
    } else {
        p.rate_single
    };
    p.drempel.mul_rate(a) + (income - p.drempel).max_zero().mul_rate(p.rate_above)
}

/// True when assets exceed the limit (no entitlement).
pub fn above_asset_limit(p: &ZorgtoeslagParams, s: &Situation) -> bool {
    let limit = if s.partner {
        p.asset_limit_partners
    } else {
        p.asset_limit_single
    };
    s.assets > limit
}

/// The exact annual amount, before Awir rounding.
pub fn annual_exact(p: &ZorgtoeslagParams, s: &Situation) -> Fine {
    if above_asset_limit(p, s) {
        return Fine::ZERO;
    }
    let n = if s.partner { 2 } else { 1 };
    let premie = crate::model::money::Money(p.standaardpremie.0 * n).to_fine();
    (premie - normpremie(p, s.partner, s.income)).max_zero()
}

/// The building blocks of zorgtoeslag for situation `s`, in the order a decision letter shows
/// them, with the parameters used (`calc` and `explain` show them).
pub fn building_blocks(z: &ZorgtoeslagParams, s: &Situation, bl: &mut BuildingBlocks) {
    let n = if s.partner { 2 } else { 1 };
    bl.money("assessed_income", "toetsingsinkomen (joint)", s.income);
    if above_asset_limit(z, s) {
        let limit = if s.partner {
            z.asset_limit_partners
        } else {
            z.asset_limit_single
        };
        bl.money(
            "asset_limit",
            "assets above the limit: no entitlement; limit",
            limit,
        );
    }
    bl.money("drempelinkomen", "drempelinkomen", z.drempel);
    bl.rate(
        "normpremie_rate_threshold",
        "normpremie % of the drempel",
        if s.partner {
            z.rate_partners
        } else {
            z.rate_single
        },
    );
    bl.rate(
        "normpremie_rate_above",
        "normpremie % of income above the drempel",
        z.rate_above,
    );
    bl.fine(
        "normpremie",
        "normpremie",
        normpremie(z, s.partner, s.income),
    );
    bl.money(
        "standaardpremie",
        &format!("standaardpremie × {n}"),
        Money(z.standaardpremie.0 * n),
    );
    bl.params(
        "zorgtoeslag",
        &[
            "drempel",
            "normpremie_rate_single",
            "normpremie_rate_partners",
            "normpremie_rate_above",
            "standaardpremie",
            "asset_limit_single",
            "asset_limit_partners",
        ],
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::money::Money;
    use crate::model::parameters::ParameterSet;
    use crate::rules::{awir, Children};

    fn award(year: u16, partner: bool, income: i64, assets: i64) -> Money {
        let p = ParameterSet::for_year(year).unwrap().resolve().unwrap();
        let s = Situation {
            partner,
            children: Children::NONE,
            assets: Money::euros(assets),
            income: Money::euros(income),
            ..Situation::default()
        };
        awir::annual_award(&p.awir, annual_exact(&p.zorgtoeslag, &s))
    }

    #[test]
    fn single_30000_in_2026_by_hand() {
        // normpremie = 0.01912 × 29736 + 0.1373 × 264 = 568.55232 + 36.2472 = 604.79952
        // annual = 2119 − 604.79952 = 1514.20048 → €1,514; monthly floor(1514/12) = €126.
        assert_eq!(award(2026, false, 30_000, 0), Money::euros(1514));
    }

    #[test]
    fn single_below_threshold_gets_the_maximum() {
        // 2119 − 0.01912 × 29736 = 1550.44768 → €1,550 (published 2026 maximum single: €129/month)
        assert_eq!(award(2026, false, 20_000, 0), Money::euros(1550));
        assert_eq!(Money::euros(1550).floor_div_euros(12), Money::euros(129));
    }

    #[test]
    fn partners_below_threshold() {
        // 2 × 2119 − 0.04289 × 29736 = 4238 − 1275.37704 = 2962.62296 → €2,963
        assert_eq!(award(2026, true, 25_000, 0), Money::euros(2963));
    }

    #[test]
    fn published_income_limits_follow_from_the_24_euro_rule() {
        // docs/rules.md §1: 2026 income limits €40,857 single and €51,142 partners are outputs.
        assert!(award(2026, false, 40_857, 0) > Money::ZERO);
        assert_eq!(award(2026, false, 40_858, 0), Money::ZERO);
        assert!(award(2026, true, 51_142, 0) > Money::ZERO);
        assert_eq!(award(2026, true, 51_143, 0), Money::ZERO);
    }

    #[test]
    fn assets_above_the_limit_remove_entitlement() {
        assert_eq!(award(2026, false, 20_000, 146_011), Money::euros(1550));
        assert_eq!(award(2026, false, 20_000, 146_012), Money::ZERO);
        assert!(award(2026, true, 20_000, 184_633) > Money::ZERO);
        assert_eq!(award(2026, true, 20_000, 184_634), Money::ZERO);
    }

    #[test]
    fn year_2025_single_30000() {
        // 0.01896 × 28406 = 538.57776; 0.137 × 1594 = 218.378; 2112 − 756.95576 = 1355.04424
        assert_eq!(award(2025, false, 30_000, 0), Money::euros(1355));
    }
}
