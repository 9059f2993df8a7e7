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
pub mod explain;
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
pub mod schema;
pub mod stats;
pub mod sweep;
pub mod term;

pub use app::run_cli;
pub use error::{Error, Result};
