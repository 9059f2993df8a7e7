//! Expectations a scenario states about its own results (`[[expect]]`), as validated; checked
//! by `toeslagenlab check` (`analysis` evaluates them).

use crate::model::metric::Metric;
use std::fmt::Write as _;

/// A validated expectation.
#[derive(Debug, Clone, PartialEq)]
pub enum Expectation {
    /// A metric of one arm lies within bounds.
    Arm {
        /// Arm name.
        arm: String,
        /// The metric (an arm metric).
        metric: Metric,
        /// Lower bound.
        min: Option<f64>,
        /// Upper bound.
        max: Option<f64>,
    },
    /// A treatment arm vs control.
    Compare {
        /// Treatment arm.
        arm: String,
        /// Control arm.
        vs: String,
        /// The metric (a comparison metric).
        metric: Metric,
        /// `Some(true)` decrease, `Some(false)` increase.
        decrease: Option<bool>,
        /// The difference must be significant at 5% (p < 0.05).
        significant: bool,
        /// Lower bound of the difference.
        min: Option<f64>,
        /// Upper bound of the difference.
        max: Option<f64>,
    },
}

impl Expectation {
    /// A one-line description for tables.
    pub fn describe(&self) -> String {
        let bounds = |min: &Option<f64>, max: &Option<f64>| {
            let mut s = String::new();
            if let Some(m) = min {
                let _ = write!(s, " ≥ {m}");
            }
            if let Some(m) = max {
                let _ = write!(s, " ≤ {m}");
            }
            s
        };
        match self {
            Expectation::Arm {
                arm,
                metric,
                min,
                max,
            } => format!("{arm}.{}{}", metric.key(), bounds(min, max)),
            Expectation::Compare {
                arm,
                vs,
                metric,
                decrease,
                significant,
                min,
                max,
            } => {
                let mut s = format!("{arm} vs {vs}: {}", metric.key());
                match decrease {
                    Some(true) => s.push_str(" decreases"),
                    Some(false) => s.push_str(" increases"),
                    None => {}
                }
                if *significant {
                    s.push_str(" significantly");
                }
                s.push_str(&bounds(min, max));
                s
            }
        }
    }
}
