//! Awir rounding and procedure rules that turn exact amounts into awards and advances.
//!
//! * Annual award: the exact annual amount rounded half-up to whole euros (Awir art. 14(4));
//!   below the minimum award (€24, art. 14(5)) nothing is awarded.
//! * Monthly advance: `floor(annual / 12)` whole euros.
//! * Reclaims on the definitive award up to the small-reclaim threshold are not collected.
//! * Repayment: the standard plan spreads each benefit's reclaim (its own decision and debt)
//!   over at most `repayment_months` instalments of at least `repayment_min_monthly` each; a
//!   household with reclaims of two benefits pays two instalments (docs/rules.md §5).

use crate::model::money::{Fine, Money};
use crate::model::parameters::AwirParams;

/// Rounds an exact annual amount to the award: half-up to euros, zero below the minimum.
pub fn annual_award(p: &AwirParams, exact: Fine) -> Money {
    let rounded = exact.max_zero().round_half_up_euros();
    if rounded < p.minimum_award {
        Money::ZERO
    } else {
        rounded
    }
}

/// The monthly advance for an annual amount: `floor(annual / 12)` in whole euros.
pub fn monthly(annual: Money) -> Money {
    annual.floor_div_euros(12)
}

/// The reclaim actually collected: nothing up to and including the threshold.
pub fn collected_reclaim(p: &AwirParams, reclaim: Money) -> Money {
    if reclaim <= p.small_reclaim_threshold {
        Money::ZERO
    } else {
        reclaim
    }
}

/// Monthly instalment under the standard repayment plan: the reclaim over the plan's months,
/// rounded up to the cent, at least the minimum instalment, never more than the reclaim.
pub fn repayment_instalment(p: &AwirParams, reclaim: Money) -> Money {
    if reclaim <= Money::ZERO {
        return Money::ZERO;
    }
    let n = p.repayment_months;
    let spread = Money((reclaim.0 + n - 1) / n);
    spread.max(p.repayment_min_monthly).min(reclaim)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::parameters::ParameterSet;

    fn p() -> AwirParams {
        ParameterSet::for_year(2026)
            .unwrap()
            .resolve()
            .unwrap()
            .awir
    }

    #[test]
    fn minimum_award_is_24_euros() {
        assert_eq!(
            annual_award(&p(), Money::cents(2350).to_fine()),
            Money::euros(24)
        );
        assert_eq!(
            annual_award(&p(), Money::cents(2349).to_fine()),
            Money::ZERO
        );
    }

    #[test]
    fn small_reclaims_are_not_collected() {
        assert_eq!(collected_reclaim(&p(), Money::euros(121)), Money::ZERO);
        assert_eq!(
            collected_reclaim(&p(), Money::euros(122)),
            Money::euros(122)
        );
    }

    #[test]
    fn repayment_plan() {
        assert_eq!(
            repayment_instalment(&p(), Money::euros(2400)),
            Money::euros(100)
        );
        assert_eq!(
            repayment_instalment(&p(), Money::euros(130)),
            Money::euros(20)
        );
        assert_eq!(
            repayment_instalment(&p(), Money::euros(1001)),
            Money::cents(4171)
        );
        assert_eq!(
            repayment_instalment(&p(), Money::euros(10)),
            Money::euros(10)
        );
    }
}
