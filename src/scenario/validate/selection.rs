//! Validation of `[behaviour.non_take_up]` and `[behaviour.selection]`: the behaviour that
//! decides who applies for a benefit and who takes an offered reduced advance.
//!
//! Part of the scenario loader's `Validator` (one `impl` block per section); every problem
//! becomes a located diagnostic, all problems of a file in one pass.

use super::super::*;
use crate::model::scenario::{NonTakeUp, Selection};

impl Validator {
    /// A number in `[lo, hi]`, or a located error naming the range and an example.
    fn in_range(&mut self, key: &str, x: f64, lo: f64, hi: f64, example: &str) -> f64 {
        if x.is_nan() || x < lo || x > hi {
            self.err(
                key,
                format!("found {x}; a number from {lo} to {hi}, e.g. {example}"),
            );
            return lo.max(0.0).min(hi);
        }
        x
    }

    /// `[behaviour.non_take_up]`.
    pub(in crate::scenario) fn non_take_up(&mut self, r: &RawNonTakeUp) -> NonTakeUp {
        let k = "behaviour.non_take_up";
        let mut base = [0.0; crate::rules::N_BENEFITS];
        for (b, x) in [
            (crate::rules::Benefit::Zorgtoeslag, r.zorgtoeslag),
            (crate::rules::Benefit::Huurtoeslag, r.huurtoeslag),
            (
                crate::rules::Benefit::Kinderopvangtoeslag,
                r.kinderopvangtoeslag,
            ),
            (
                crate::rules::Benefit::KindgebondenBudget,
                r.kindgebonden_budget,
            ),
        ] {
            if let Some(x) = x {
                base[b.index()] = self.probability(&format!("{k}.{}", b.name()), x);
            }
        }
        let small = r
            .small_amount
            .map(|x| self.in_range(&format!("{k}.small_amount"), x, 0.0, 10_000.0, "50"))
            .unwrap_or(50.0);
        NonTakeUp {
            base,
            small_amount: Money::cents((small * 100.0).round() as i64),
            small_amount_factor: r
                .small_amount_factor
                .map(|x| self.in_range(&format!("{k}.small_amount_factor"), x, 1.0, 20.0, "2"))
                .unwrap_or(2.0),
            flex_factor: r
                .flex_factor
                .map(|x| self.in_range(&format!("{k}.flex_factor"), x, 0.0, 20.0, "1.3"))
                .unwrap_or(1.3),
            self_employed_factor: r
                .self_employed_factor
                .map(|x| self.in_range(&format!("{k}.self_employed_factor"), x, 0.0, 20.0, "2"))
                .unwrap_or(2.0),
        }
    }

    /// `[behaviour.selection]`.
    pub(in crate::scenario) fn selection(&mut self, r: &RawSelection) -> Selection {
        let k = "behaviour.selection";
        let d = Selection::default();
        let strength = r
            .strength
            .map(|x| self.in_range(&format!("{k}.strength"), x, -1.0, 1.0, "0.5"))
            .unwrap_or(d.strength);
        let weight = |v: &mut Self, name: &str, x: Option<f64>, dflt: f64| {
            x.map(|x| v.in_range(&format!("{k}.{name}"), x, 0.0, 10.0, "1"))
                .unwrap_or(dflt)
        };
        Selection {
            strength,
            choice_strength: r
                .choice_strength
                .map(|x| self.in_range(&format!("{k}.choice_strength"), x, -1.0, 1.0, "0.5"))
                .unwrap_or(strength),
            w_volatile: weight(self, "volatile_weight", r.volatile_weight, d.w_volatile),
            w_prior_reclaim: weight(
                self,
                "prior_reclaim_weight",
                r.prior_reclaim_weight,
                d.w_prior_reclaim,
            ),
            w_benefit_size: weight(
                self,
                "benefit_size_weight",
                r.benefit_size_weight,
                d.w_benefit_size,
            ),
            w_children: weight(self, "children_weight", r.children_weight, d.w_children),
            prior_reclaim_if_reclaim: r
                .prior_reclaim_if_reclaim
                .map(|x| self.probability(&format!("{k}.prior_reclaim_if_reclaim"), x))
                .unwrap_or(d.prior_reclaim_if_reclaim),
            prior_reclaim_otherwise: r
                .prior_reclaim_otherwise
                .map(|x| self.probability(&format!("{k}.prior_reclaim_otherwise"), x))
                .unwrap_or(d.prior_reclaim_otherwise),
            sensitivity: match &r.sensitivity {
                None => d.sensitivity,
                Some(xs) => {
                    if xs.len() > 6 {
                        self.err(
                            format!("{k}.sensitivity"),
                            format!(
                                "found {} strengths; at most 6, e.g. [0, 0.5, -0.5]",
                                xs.len()
                            ),
                        );
                    }
                    xs.iter()
                        .take(6)
                        .map(|&RawStrength(x)| {
                            self.in_range(&format!("{k}.sensitivity"), x, -1.0, 1.0, "0.5")
                        })
                        .collect()
                }
            },
        }
    }
}
