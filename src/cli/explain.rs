//! The household story (`toeslagenlab explain`): one simulated household of a scenario, month
//! by month, in one arm — its profile, what really happened and what the agency knew, each
//! change and when it was reported, the advances per benefit with the formula's building
//! blocks, recalculations, the definitive award, the settlement and the repayment plan, each
//! step naming its parameters and their sources.
//!
//! Owns: the command ([`run`]). The
//! story is assembled by [`crate::analysis::explain`] and rendered by
//! [`crate::output::explain`]; their items are re-exported here under their public paths
//! (`toeslagenlab::explain::…`). Must not: hold an amount or a formula of its own.

use crate::error::Result;

pub use crate::analysis::explain::{
    arm_index, explain, household_id, BenefitStory, Explanation, SituationStory, Step,
};
pub use crate::cli::args::ExplainArgs;
pub use crate::output::explain::{describe, to_json, to_text, WIDTH};

/// Runs `toeslagenlab explain` and returns what it prints.
pub fn run(a: &ExplainArgs) -> Result<String> {
    let sc = crate::cli::dispatch::load_with_overrides(&a.scenario, a.seed, None)?;
    let id = household_id(&sc, a.household)?;
    let arm = a.arm.as_deref().map(|n| arm_index(&sc, n)).transpose()?;
    let x = explain(&sc, id, arm)?;
    Ok(if a.json {
        let mut s = serde_json::to_string_pretty(&to_json(&x)).unwrap_or_default();
        s.push('\n');
        s
    } else {
        to_text(&x)
    })
}
