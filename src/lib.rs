//! toeslagenlab: a microsimulator for Dutch income-dependent benefits (toeslagen).
//!
//! A scenario file describes synthetic households, the shocks they meet during the benefit year,
//! how they report changes, and the experiment arms (standard, cautious or adjustable advance).
//! The engine simulates the year month by month, settles it against the definitive award, and
//! the reporter compares each arm with the control group.
//!
//! The command-line program is a thin layer over this library ([`run_cli`]); everything it does
//! can be done from Rust. The main path:
//!
//! 1. [`scenario::load`] (or [`scenario::parse_str`]) reads and validates a scenario into a
//!    [`scenario::Scenario`]; errors are [`Error::Input`] diagnostics with file, line and key.
//! 2. [`engine::run`] simulates it and returns per-arm accumulators ([`engine::RunResult`]),
//!    optionally streaming per-household [`engine::Outcome`]s.
//! 3. [`report::summarize`] turns the result into a [`report::Summary`]: the metrics of every
//!    arm and the comparisons with control, as in `summary.json`; [`report::report_markdown`]
//!    and [`report::summary_json`] render it.
//!
//! ```
//! use std::path::Path;
//! use toeslagenlab::{engine, report, scenario};
//!
//! let text = r#"
//! [experiment]
//! name = "doc-example"
//! year = 2026
//! households = 500
//!
//! [[arms]]
//! name = "control"
//! advance = { policy = "standard" }
//!
//! [[arms]]
//! name = "cautious"
//! advance = { policy = "cautious", fraction = 0.80 }
//! takeup = 0.68
//! "#;
//! let sc = scenario::parse_str(Path::new("doc-example.toml"), text, String::new())?;
//! let result = engine::run(&sc, &engine::RunOptions::default(), |_| Ok(()), |_, _| {})?;
//! let summary = report::summarize(&sc, &result);
//! let cautious = &summary.arms["cautious"].metrics;
//! assert!((0.0..=1.0).contains(&cautious.reclaim_share));
//! println!("reclaim share under a cautious advance: {:.1}%", cautious.reclaim_share * 100.0);
//! # Ok::<(), toeslagenlab::Error>(())
//! ```
//!
//! Extension points: [`behaviour::CustomPolicy`] (an advance policy written in Rust, used as
//! [`scenario::AdvancePolicy::Custom`]), and the per-household rows of [`engine::run`] for your
//! own analyses. The `examples/` directory has runnable programs (`run_scenario`,
//! `custom_policy`, `custom_chart`), and docs/library.md a guide. The scenario format's JSON
//! Schema comes from [`schema::scenario_schema`].

pub mod analysis;
pub mod cli;
pub mod error;
pub mod model;
pub mod output;
pub mod rules;
pub mod scenario;
pub mod sim;

pub use cli::run_cli;
pub use error::{Error, Result};

// The library's public paths from before the layers (docs/architecture.md): tests, examples,
// fuzz targets and users' programs keep working. New code inside the crate uses the layered
// paths (`crate::sim::engine`, not `crate::engine`); tests/architecture.rs checks that.
pub use analysis::accumulators as stats;
pub use analysis::inference;
pub use cli::dispatch as app;
pub use cli::{bench, calc, calibrate, check, explain, power, sweep, term};
pub use model::{money, parameters};
pub use output::{charts, interrupt, report};
pub use scenario::{diagnostics, schema};
pub use sim::{behaviour, events, interventions, population, random};

/// The engine's public path from before the layers: the simulation (`sim::engine`) and the
/// run that fills the usual statistics (`analysis::run`).
pub mod engine {
    pub use crate::analysis::run::{run, RunResult};
    pub use crate::sim::engine::*;
}
