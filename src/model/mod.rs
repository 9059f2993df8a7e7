//! Domain types: exact money and dated rule parameters (no I/O beyond the embedded parameter files, no randomness).
//!
//! See docs/architecture.md for what this layer owns and must not do.

pub mod benefit;
pub mod expectation;
pub mod household;
pub mod metric;
pub mod money;
pub mod outcome;
pub mod parameters;
pub mod policy;
pub mod scenario;
pub mod uncertainty;
