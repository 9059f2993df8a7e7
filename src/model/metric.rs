//! The metrics of a run: which keys of summary.json an expectation, a baseline or a sweep may
//! name.
//!
//! Must not: compute a metric (that is `analysis`) or format one (that is `output`).

/// Metrics an `[[expect]]` with `arm = …` may name (keys of `arms.<arm>` in summary.json).
pub const ARM_METRICS: &[&str] = &[
    "reclaim_share",
    "high_reclaim_share",
    "mean_reclaim",
    "median_reclaim",
    "p90_reclaim",
    "p99_reclaim",
    "total_reclaimed",
    "reclaim_income_share",
    "backpay_share",
    "mean_backpay",
    "withheld_during_year",
    "total_withheld",
    "takeup_share",
    "mean_abs_gap",
    "mean_repayment_monthly",
    "in_year_reclaim_share",
    "mean_advances",
    "mean_definitive_award",
];

/// Metrics an `[[expect]]` with `compare = …` may name (comparison metrics in summary.json).
pub const COMPARISON_METRICS: &[&str] = &[
    "reclaim_share",
    "high_reclaim_share",
    "backpay_share",
    "mean_reclaim_per_household",
    "withheld_during_year",
    "mean_abs_gap",
    "mean_repayment_monthly_per_household",
    "mean_reclaim",
    "median_reclaim",
    "total_reclaimed",
];
