//! The household story (`toeslagenlab explain`): one simulated household of a scenario, month
//! by month, in one arm — its profile, what really happened and what the agency knew, each
//! change and when it was reported, the advances per benefit with the formula's building
//! blocks, recalculations, the definitive award, the settlement and the repayment plan, each
//! step naming its parameters and their sources.
//!
//! Owns: the `explain` command-line options ([`ExplainArgs`]) and the command ([`run`]). The
//! story is assembled by [`crate::analysis::explain`] and rendered by
//! [`crate::output::explain`]; their items are re-exported here under their public paths
//! (`toeslagenlab::explain::…`). Must not: hold an amount or a formula of its own.

use crate::error::Result;
use clap::Args;
use std::path::PathBuf;

pub use crate::analysis::explain::{
    arm_index, explain, household_id, BenefitStory, Explanation, SituationStory, Step,
};
pub use crate::output::explain::{describe, to_json, to_text, WIDTH};

/// Options of `toeslagenlab explain`.
#[derive(Args, Debug, Clone)]
pub struct ExplainArgs {
    /// The scenario file (TOML).
    pub scenario: PathBuf,
    /// The household id, 0 to households − 1 (as in households.csv).
    #[arg(long, value_name = "ID", allow_hyphen_values = true)]
    pub household: i64,
    /// The arm [default: the control arm; in a randomized design the arm the household was
    /// assigned to].
    #[arg(long, value_name = "NAME")]
    pub arm: Option<String>,
    /// Seed of all random draws (overrides the scenario, as `run --seed` does).
    #[arg(long, value_name = "N")]
    pub seed: Option<u64>,
    /// Print a machine-readable JSON document instead of the table.
    #[arg(long)]
    pub json: bool,
}

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
