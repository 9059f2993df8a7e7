//! Advance policies written in Rust ([`CustomPolicy`]): the type a scenario's arm holds. What
//! a policy pays a household is decided in `sim::policy`.
//!
//! Must not: draw random numbers.

use crate::model::household::Household;
use crate::model::money::Rate;
use crate::model::scenario::Arm;

/// The function behind a [`CustomPolicy`].
pub type PolicyFn = dyn Fn(&Household, &Arm) -> Rate + Send + Sync;

/// An advance policy written in Rust: maps a household that accepts the offer (and its arm) to
/// its advance percentage. Households that decline (a take-up draw at or above the arm's
/// `takeup`) get the standard 100% advance, as in the other offered arms.
///
/// The function must be deterministic in its inputs (use `sim::random::stream` with the
/// household id for any randomness) so results stay independent of the thread count.
/// Percentages outside 0–100% are clamped.
///
/// ```
/// use toeslagenlab::behaviour::CustomPolicy;
/// use toeslagenlab::money::{Money, Rate};
/// // 70% for households starting the year above €3,000 a month, else 90%.
/// let p = CustomPolicy::new("income-linked", |h, _arm| {
///     if h.monthly_income > Money::euros(3000) { Rate::percent(70) } else { Rate::percent(90) }
/// });
/// assert_eq!(p.name(), "income-linked");
/// ```
#[derive(Clone)]
pub struct CustomPolicy {
    name: String,
    f: std::sync::Arc<PolicyFn>,
}

impl CustomPolicy {
    /// A policy called `name` (shown in report.md) computing percentages with `f`.
    pub fn new(
        name: impl Into<String>,
        f: impl Fn(&Household, &Arm) -> Rate + Send + Sync + 'static,
    ) -> CustomPolicy {
        CustomPolicy {
            name: name.into(),
            f: std::sync::Arc::new(f),
        }
    }

    /// The policy's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The advance percentage for household `h` in `arm`, clamped to 0–100%.
    pub fn percentage(&self, h: &Household, arm: &Arm) -> Rate {
        let r = (self.f)(h, arm);
        Rate(r.0.clamp(Rate::ZERO.0, Rate::ONE.0))
    }
}

impl std::fmt::Debug for CustomPolicy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CustomPolicy")
            .field("name", &self.name)
            .finish_non_exhaustive()
    }
}

impl PartialEq for CustomPolicy {
    /// Equal when the same function under the same name.
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name && std::sync::Arc::ptr_eq(&self.f, &other.f)
    }
}
