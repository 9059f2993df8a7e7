//! Household behaviour: whether and when a change is reported ([`crate::sim::reporting`]),
//! whether an offered reduced advance is taken up, and which percentage is chosen
//! ([`crate::sim::policy`]). This module only re-exports them under their historical path
//! (`toeslagenlab::behaviour::…`).

pub use crate::model::policy::{CustomPolicy, PolicyFn};
pub use crate::sim::policy::{
    arm_percentage, arm_percentage_for, arm_percentage_given, chosen_percent, takeup_draw,
};
pub use crate::sim::reporting::{draw_reporting, unaware_of_income_duty};
