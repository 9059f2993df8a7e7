//! Statistics over simulated outcomes: mergeable accumulators and inference (intervals, tests, bootstrap).
//!
//! See docs/architecture.md for what this layer owns and must not do.

pub mod accumulators;
pub mod inference;
pub mod power;
pub mod regression;
pub mod run;
