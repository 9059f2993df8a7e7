//! Statistics over simulated outcomes: mergeable accumulators and inference (intervals, tests, bootstrap).
//!
//! See docs/architecture.md for what this layer owns and must not do.

pub mod accumulators;
pub mod calibration;
pub mod cash_change;
pub mod explain;
pub mod horizon;
pub mod inference;
pub mod intervals;
pub mod paired_bootstrap;
pub mod power;
pub mod regression;
pub mod replications;
pub mod run;
pub mod selection_sensitivity;
pub mod sobol;
pub mod subgroups;
pub mod summary;
pub mod summary_de;
pub mod take_up;
pub mod uncertainty;
