//! Kindgebonden budget (child budget), Wet op het kindgebonden budget art. 2; docs/rules.md §4.
//!
//! `annual = max(0, kids × per_child + Σ age supplements + (single ? alo_kop : 0)
//!            − afbouw × max(0, Y − drempel))`, for children under 18 (kinderbijslag);
//! nothing above the asset limit.

use super::blocks::BuildingBlocks;
use super::Situation;
use crate::model::money::{Fine, Money};
use crate::model::parameters::KindgebondenBudgetParams;

/// Age from which kinderbijslag (and so the child budget) stops.
pub const ADULT_AGE: u8 = 18;

/// A child's age as the rules take it in `month` (1–12), from its age on 1 January and its
/// birthday month: its age on the first of the month, so a birthday counts from the month
/// after it. The Wet op het kindgebonden budget (art. 2) pays for a child up to and including
/// the month it turns 18, and the 12+ / 16+ supplements from the month after the 12th / 16th
/// birthday (docs/rules.md §4). The child budget is the only rule that reads children's ages.
pub fn age_in_month(age_on_1_january: u8, birthday: u8, month: u8) -> u8 {
    age_on_1_january.saturating_add(u8::from(month > birthday))
}

/// The maximum amount before the income taper: per-child amounts, age supplements, alo-kop.
pub fn maximum(p: &KindgebondenBudgetParams, s: &Situation) -> Money {
    let mut total = Money::ZERO;
    let mut kids = 0;
    for &age in s.children.ages() {
        if age >= ADULT_AGE {
            continue;
        }
        kids += 1;
        total += p.per_child;
        if (12..=15).contains(&age) {
            total += p.supplement_12_15;
        } else if (16..=17).contains(&age) {
            total += p.supplement_16_17;
        }
    }
    if kids > 0 && !s.partner {
        total += p.alo_kop;
    }
    total
}

/// The exact annual amount, before Awir rounding.
pub fn annual_exact(p: &KindgebondenBudgetParams, s: &Situation) -> Fine {
    let limit = if s.partner {
        p.asset_limit_partners
    } else {
        p.asset_limit_single
    };
    if s.assets > limit {
        return Fine::ZERO;
    }
    let max = maximum(p, s);
    if max == Money::ZERO {
        return Fine::ZERO;
    }
    let drempel = if s.partner {
        p.drempel_partners
    } else {
        p.drempel_single
    };
    (max.to_fine() - (s.income - drempel).max_zero().mul_rate(p.afbouw_rate)).max_zero()
}

/// The building blocks of the kindgebonden budget for situation `s`, in the order a decision
/// letter shows them, with the parameters used (`calc` and `explain` show them).
pub fn building_blocks(k: &KindgebondenBudgetParams, s: &Situation, bl: &mut BuildingBlocks) {
    let max = maximum(k, s);
    let d = if s.partner {
        k.drempel_partners
    } else {
        k.drempel_single
    };
    let kids = s.children.ages().iter().filter(|a| **a < ADULT_AGE).count();
    bl.line("children under 18", kids.to_string());
    bl.money(
        "maximum",
        "maximum (per child + age supplements + single-parent supplement)",
        max,
    );
    bl.money("assessed_income", "toetsingsinkomen (joint)", s.income);
    bl.money("drempel", "drempelinkomen", d);
    bl.rate("afbouw_rate", "afbouw (taper)", k.afbouw_rate);
    bl.fine(
        "reduction",
        "reduction: afbouw × (income − drempel)",
        (s.income - d).max_zero().mul_rate(k.afbouw_rate),
    );
    bl.params(
        "kindgebonden_budget",
        &[
            "per_child",
            "supplement_12_15",
            "supplement_16_17",
            "alo_kop",
            "drempel_single",
            "drempel_partners",
            "afbouw_rate",
            "asset_limit_single",
            "asset_limit_partners",
        ],
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::parameters::ParameterSet;
    use crate::rules::{awir, Children};

    fn award(partner: bool, ages: &[u8], income: i64) -> Money {
        let p = ParameterSet::for_year(2026).unwrap().resolve().unwrap();
        let s = Situation {
            partner,
            children: Children::from_ages(ages),
            assets: Money::ZERO,
            income: Money::euros(income),
            ..Situation::default()
        };
        awir::annual_award(&p.awir, annual_exact(&p.kindgebonden_budget, &s))
    }

    #[test]
    fn couple_two_children_by_hand() {
        // 2 × 2580 + 724 (age 13) = 5884; taper 0.076 × (50000 − 39141) = 825.284
        // 5884 − 825.284 = 5058.716 → €5,059
        assert_eq!(award(true, &[5, 13], 50_000), Money::euros(5059));
    }

    #[test]
    fn single_parent_gets_alo_kop() {
        // 2580 + 964 (age 16) + 3416 = 6960; income below drempel → €6,960
        assert_eq!(award(false, &[16], 25_000), Money::euros(6960));
    }

    #[test]
    fn adults_and_childless_get_nothing() {
        assert_eq!(award(false, &[], 10_000), Money::ZERO);
        assert_eq!(award(true, &[18], 10_000), Money::ZERO);
    }

    #[test]
    fn tapers_to_zero() {
        // 2580 / 0.076 = 33947.4 above 39141 → zero around €73,088 (with €24 rule earlier)
        assert_eq!(award(true, &[3], 80_000), Money::ZERO);
        assert!(award(true, &[3], 72_000) > Money::ZERO);
    }
}
