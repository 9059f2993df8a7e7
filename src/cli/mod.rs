//! The command line: the only clap and terminal code. Argument definitions, dispatch, colours
//! and one module per command.
//!
//! See docs/architecture.md for what this layer owns and must not do.

pub mod args;
pub mod bench;
pub mod bench_limit;
pub mod calc;
pub mod calibrate;
pub mod check;
pub mod dispatch;
pub mod explain;
mod household_files;
pub mod merge;
pub mod new;
pub mod params;
pub mod plot;
pub mod power;
pub mod run;
mod run_horizon;
pub mod shard;
pub mod sweep;
pub mod term;
pub mod uncertainty;
pub mod validate;

pub use args::*;
pub use dispatch::run_cli;
