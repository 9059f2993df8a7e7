//! Take-up of the benefits per arm: who is entitled, who applies, how much of the entitled
//! money reaches households, how many households receive each benefit, and the new entrants an
//! arm draws in (docs/behaviour.md "Non-take-up").
//!
//! Counting: a household is *entitled* to a benefit when its definitive award on what really
//! happened is above zero, whether or not it applied; it *receives* a benefit when it applied
//! and has advances or a definitive award above zero (`benefit_households`). Money reaching
//! entitled households is Σ definitive award of the entitled households that applied over Σ
//! definitive award of all entitled households. Every count and sum is an exact integer, so the
//! result does not depend on the thread count. New entrants ([`Outcome::new_entrant`]) are not
//! recipients: the headline statistics never count them; they are counted here.

use crate::model::outcome::Outcome;
use crate::rules::N_BENEFITS;

/// The take-up counts of one arm.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct TakeUpStats {
    /// Per benefit: entitled households.
    pub entitled: [u64; N_BENEFITS],
    /// Per benefit: entitled households that applied.
    pub entitled_applied: [u64; N_BENEFITS],
    /// Per benefit: Σ definitive award of the entitled households, cents.
    pub entitlement: [i128; N_BENEFITS],
    /// Per benefit: Σ definitive award of the entitled households that applied, cents.
    pub reached: [i128; N_BENEFITS],
    /// Per benefit: households that receive it.
    pub receiving: [u64; N_BENEFITS],
    /// New entrants.
    pub new_entrants: u64,
    /// New entrants with a collected reclaim.
    pub new_entrant_reclaims: u64,
    /// Their collected reclaims, cents.
    pub new_entrant_reclaim: i128,
    /// Their definitive awards, cents.
    pub new_entrant_definitive: i128,
}

impl TakeUpStats {
    /// Adds one household's outcome.
    pub fn add(&mut self, o: &Outcome) {
        for b in 0..N_BENEFITS {
            let e = o.entitlement_by_benefit[b];
            if e.0 > 0 {
                self.entitled[b] += 1;
                self.entitlement[b] += i128::from(e.0);
                if o.applied_for(b) {
                    self.entitled_applied[b] += 1;
                    self.reached[b] += i128::from(e.0);
                }
            }
            self.receiving[b] += u64::from(o.receives_benefit(b));
        }
        if o.new_entrant {
            self.new_entrants += 1;
            self.new_entrant_reclaims += u64::from(o.reclaim.0 > 0);
            self.new_entrant_reclaim += i128::from(o.reclaim.0);
            self.new_entrant_definitive += i128::from(o.definitive.0);
        }
    }

    /// Adds another arm's counts (exact).
    pub fn merge(&mut self, o: &TakeUpStats) {
        for b in 0..N_BENEFITS {
            self.entitled[b] += o.entitled[b];
            self.entitled_applied[b] += o.entitled_applied[b];
            self.entitlement[b] += o.entitlement[b];
            self.reached[b] += o.reached[b];
            self.receiving[b] += o.receiving[b];
        }
        self.new_entrants += o.new_entrants;
        self.new_entrant_reclaims += o.new_entrant_reclaims;
        self.new_entrant_reclaim += o.new_entrant_reclaim;
        self.new_entrant_definitive += o.new_entrant_definitive;
    }

    /// Share of the entitled households that applied for benefit index `b` (`None`: nobody
    /// entitled).
    pub fn take_up(&self, b: usize) -> Option<f64> {
        (self.entitled[b] > 0).then(|| self.entitled_applied[b] as f64 / self.entitled[b] as f64)
    }

    /// Share of the entitled money of benefit index `b` that reaches households (`None`:
    /// nobody entitled).
    pub fn money_reaching(&self, b: usize) -> Option<f64> {
        (self.entitlement[b] > 0).then(|| self.reached[b] as f64 / self.entitlement[b] as f64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::money::Money;

    #[test]
    fn counts_entitled_applied_money_and_new_entrants() {
        let mut t = TakeUpStats::default();
        // Entitled to €1,200 zorgtoeslag, applied, receives it.
        let mut a = Outcome::default();
        a.entitlement_by_benefit[0] = Money::euros(1200);
        a.applied = 0b0001;
        a.receives = 0b0001;
        t.add(&a);
        // Entitled to €800 zorgtoeslag and €3,000 huurtoeslag, applied for neither.
        let mut b = Outcome::default();
        b.entitlement_by_benefit[0] = Money::euros(800);
        b.entitlement_by_benefit[1] = Money::euros(3000);
        t.add(&b);
        // A new entrant with a €150 reclaim on a €600 award.
        let mut c = Outcome {
            new_entrant: true,
            reclaim: Money::euros(150),
            definitive: Money::euros(600),
            applied: 0b0001,
            receives: 0b0001,
            ..Outcome::default()
        };
        c.entitlement_by_benefit[0] = Money::euros(600);
        t.add(&c);
        // Zorgtoeslag: 3 entitled, 2 applied; money 1,800 of 2,600.
        assert_eq!(t.entitled[0], 3);
        assert_eq!(t.take_up(0), Some(2.0 / 3.0));
        assert_eq!(t.money_reaching(0), Some(1800.0 / 2600.0));
        assert_eq!(t.receiving[0], 2);
        // Huurtoeslag: 1 entitled, none applied.
        assert_eq!(t.take_up(1), Some(0.0));
        assert_eq!(t.take_up(2), None);
        assert_eq!((t.new_entrants, t.new_entrant_reclaims), (1, 1));
        assert_eq!(t.new_entrant_reclaim, 15_000);
        let mut m = TakeUpStats::default();
        m.merge(&t);
        m.merge(&t);
        assert_eq!(m.entitled[0], 6);
    }
}
