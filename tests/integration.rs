//! The integration tests, one test binary (issue 25: one binary links once instead of 24
//! times, the largest part of a cold `cargo test`). Each module is a file beside this one and
//! runs the real binary on real files; `cargo test --test integration <module>::` runs one.

#[path = "architecture.rs"]
mod architecture;
#[path = "behaviour.rs"]
mod behaviour;
#[path = "calc_cli.rs"]
mod calc_cli;
#[path = "charts.rs"]
mod charts;
#[path = "common/mod.rs"]
mod common;
#[path = "coverage.rs"]
mod coverage;
#[path = "effects.rs"]
mod effects;
#[path = "error_distribution.rs"]
mod error_distribution;
#[path = "errors.rs"]
mod errors;
#[path = "explain_cli.rs"]
mod explain_cli;
#[path = "html_report.rs"]
mod html_report;
#[path = "lang_charts.rs"]
mod lang_charts;
#[path = "lang_html.rs"]
mod lang_html;
#[path = "lang_outputs.rs"]
mod lang_outputs;
#[path = "lang_report.rs"]
mod lang_report;
#[path = "library.rs"]
mod library;
#[path = "limits.rs"]
mod limits;
#[path = "multi_year.rs"]
mod multi_year;
#[path = "non_take_up_selection.rs"]
mod non_take_up_selection;
#[path = "output_safety.rs"]
mod output_safety;
#[path = "parquet.rs"]
mod parquet;
#[path = "parser_props.rs"]
mod parser_props;
#[path = "pipeline.rs"]
mod pipeline;
#[path = "readme_claims.rs"]
mod readme_claims;
#[path = "recompute.rs"]
mod recompute;
#[path = "reference_cases.rs"]
mod reference_cases;
#[path = "regression.rs"]
mod regression;
#[path = "reliability.rs"]
mod reliability;
#[path = "rules_props.rs"]
mod rules_props;
#[path = "shards.rs"]
mod shards;
#[path = "statistics.rs"]
mod statistics;
#[path = "uncertainty.rs"]
mod uncertainty;
#[path = "ux.rs"]
mod ux;
#[path = "winners_losers.rs"]
mod winners_losers;
