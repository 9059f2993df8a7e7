//! The simulation: random streams, synthetic population, events, reporting behaviour and advance policies, agency interventions, and the engine that pays the year and settles it.
//!
//! See docs/architecture.md for what this layer owns and must not do.

pub mod behaviour;
pub mod debt;
pub mod engine;
pub mod events;
pub mod horizon;
pub mod interventions;
pub mod pay;
pub mod policy;
pub mod population;
pub mod random;
pub mod reporting;
pub mod runner;
pub mod selection;
pub mod take_up;
pub mod trace;
pub mod year;
