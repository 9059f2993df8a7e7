//! toeslagenlab: a microsimulator for Dutch income-dependent benefits (toeslagen).
//!
//! A scenario file describes synthetic households, the shocks they meet during the benefit year,
//! how they report changes, and the experiment arms (standard, cautious or adjustable advance).
//! The engine simulates the year month by month, settles it against the definitive award, and
//! the reporter compares each arm with the control group.
//!
//! ```no_run
//! let sc = toeslagenlab::scenario::load(std::path::Path::new("scenarios/cautious-vs-standard.toml")).unwrap();
//! let result = toeslagenlab::engine::run(&sc, &Default::default(), |_| Ok(()), |_, _| {}).unwrap();
//! let summary = toeslagenlab::report::summarize(&sc, &result);
//! println!("{}", summary.arms["cautious"].metrics.reclaim_share);
//! ```

pub mod app;
pub mod behaviour;
pub mod bench;
pub mod calc;
pub mod calibrate;
pub mod charts;
pub mod check;
pub mod cli;
pub mod diagnostics;
pub mod engine;
pub mod error;
pub mod events;
pub mod inference;
pub mod interrupt;
pub mod interventions;
pub mod money;
pub mod output;
pub mod parameters;
pub mod population;
pub mod power;
pub mod random;
pub mod report;
pub mod rules;
pub mod scenario;
pub mod stats;
pub mod sweep;

pub use app::run_cli;
pub use error::{Error, Result};
