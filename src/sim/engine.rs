//! The benefit year: month loop, recalculation after reported changes, year-end settlement,
//! and the parallel runner that streams households into per-arm accumulators.
//!
//! For one household the arm-independent work is done once ([`Year::compute`]): the annual
//! award the agency would compute for each state of its knowledge, and the definitive award on
//! what really happened. Each arm then only runs the payment loop with its percentage
//! ([`pay_year`]), so the paired design costs little more than one arm.
//!
//! Rounding: awards are rounded per Awir (see [`crate::rules::awir`]); a reduced advance's
//! annual target is `floor(award × percentage)` whole euros; monthly amounts are
//! `floor(target / 12)` whole euros (spread: `floor(remaining / months left)`).
//!
//! Must not: format output.
//!
//! The code lives in [`crate::sim::year`] (knowledge states and awards), [`crate::sim::pay`]
//! (payment loop, settlement, outcomes), [`crate::sim::runner`] (the parallel runner) and
//! [`crate::sim::trace`] (tracing one household); the result types in
//! [`crate::model::outcome`]. This module re-exports them under their historical path
//! (`crate::sim::engine::…`, `toeslagenlab::engine::…`).

pub use crate::model::outcome::{KnowledgeState, Ledger, Outcome, PerBenefit, Year};
pub use crate::sim::pay::{
    arm_outcome, arm_outcome_into, pay_year, simulate_arm, simulate_arm_given, simulate_arm_into,
};
pub use crate::sim::runner::{
    install, randomized_arm, run_prepared, run_with, worker_pool, RunOptions, Tally, MAX_THREADS,
};
pub use crate::sim::trace::{trace, Trace, ViewTrace};
pub use crate::sim::year::known_award;
