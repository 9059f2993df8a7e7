//! The assumptions of a scenario that are uncertain (`[uncertainty]`): which scenario key, over
//! which range or distribution, and on what source. `toeslagenlab uncertainty` draws them
//! (`analysis::uncertainty`); the distributions here only map a point of the unit interval to a
//! value (their quantile function), so a seeded design in `[0, 1)^k` becomes assumption values.
//!
//! Must not: draw random numbers, read files, or know how a key changes a scenario (that is
//! `scenario::overrides`).

use serde::Serialize;
use statrs::distribution::{ContinuousCDF, Normal};

/// Most assumptions one `[uncertainty]` table may list.
pub const MAX_ASSUMPTIONS: usize = 16;

/// Most draws `toeslagenlab uncertainty` runs (each is a full simulation of the scenario).
pub const MAX_DRAWS: usize = 10_000;

/// Draws of `toeslagenlab uncertainty` when neither `--draws` nor `[uncertainty] draws` says.
pub const DEFAULT_DRAWS: usize = 64;

/// How an assumption's value is distributed over its range.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "distribution", rename_all = "snake_case")]
pub enum Distribution {
    /// Every value from `low` to `high` equally likely.
    Uniform {
        /// Lowest value.
        low: f64,
        /// Highest value.
        high: f64,
    },
    /// Triangular from `low` to `high`, most likely at `mode`.
    Triangular {
        /// Lowest value.
        low: f64,
        /// Most likely value.
        mode: f64,
        /// Highest value.
        high: f64,
    },
    /// Normal with `mean` and `sd`, truncated to `[low, high]`.
    Normal {
        /// Mean before truncation.
        mean: f64,
        /// Standard deviation before truncation.
        sd: f64,
        /// Lower truncation point.
        low: f64,
        /// Upper truncation point.
        high: f64,
    },
    /// One of `values` (ascending), with `weights` (summing to 1).
    Discrete {
        /// The possible values, ascending.
        values: Vec<f64>,
        /// Their probabilities (equal when the scenario gives none), summing to 1.
        weights: Vec<f64>,
    },
}

impl Distribution {
    /// The lowest value the distribution gives.
    pub fn low(&self) -> f64 {
        match self {
            Distribution::Uniform { low, .. }
            | Distribution::Triangular { low, .. }
            | Distribution::Normal { low, .. } => *low,
            Distribution::Discrete { values, .. } => values.first().copied().unwrap_or(0.0),
        }
    }

    /// The highest value the distribution gives.
    pub fn high(&self) -> f64 {
        match self {
            Distribution::Uniform { high, .. }
            | Distribution::Triangular { high, .. }
            | Distribution::Normal { high, .. } => *high,
            Distribution::Discrete { values, .. } => values.last().copied().unwrap_or(0.0),
        }
    }

    /// The distribution's name as the scenario writes it.
    pub fn name(&self) -> &'static str {
        match self {
            Distribution::Uniform { .. } => "uniform",
            Distribution::Triangular { .. } => "triangular",
            Distribution::Normal { .. } => "normal",
            Distribution::Discrete { .. } => "discrete",
        }
    }

    /// The value at probability `u` in `[0, 1]` (the inverse of the distribution function;
    /// for a discrete distribution the smallest value whose cumulative weight exceeds `u`).
    pub fn quantile(&self, u: f64) -> f64 {
        let u = u.clamp(0.0, 1.0);
        match self {
            Distribution::Uniform { low, high } => low + u * (high - low),
            Distribution::Triangular { low, mode, high } => {
                let (a, c, b) = (*low, *mode, *high);
                if b <= a {
                    return a;
                }
                let fc = (c - a) / (b - a);
                if u < fc {
                    a + (u * (b - a) * (c - a)).sqrt()
                } else {
                    b - ((1.0 - u) * (b - a) * (b - c)).sqrt()
                }
            }
            Distribution::Normal {
                mean,
                sd,
                low,
                high,
            } => {
                let Ok(n) = Normal::new(*mean, *sd) else {
                    return *mean;
                };
                let (fa, fb) = (n.cdf(*low), n.cdf(*high));
                let p = fa + u * (fb - fa);
                if p <= 0.0 {
                    return *low;
                }
                if p >= 1.0 {
                    return *high;
                }
                n.inverse_cdf(p).clamp(*low, *high)
            }
            Distribution::Discrete { values, weights } => {
                let mut acc = 0.0;
                for (v, w) in values.iter().zip(weights) {
                    acc += w;
                    if u < acc {
                        return *v;
                    }
                }
                values.last().copied().unwrap_or(0.0)
            }
        }
    }

    /// A short description: `uniform 0.6 to 0.76`, `normal 0.5 ± 0.1 in [0.3, 0.7]`.
    pub fn describe(&self) -> String {
        match self {
            Distribution::Uniform { low, high } => format!("uniform {low} to {high}"),
            Distribution::Triangular { low, mode, high } => {
                format!("triangular {low} to {high}, most likely {mode}")
            }
            Distribution::Normal {
                mean,
                sd,
                low,
                high,
            } => format!("normal {mean} ± {sd}, truncated to {low} to {high}"),
            Distribution::Discrete { values, weights } => {
                let equal = weights.iter().all(|w| (w - weights[0]).abs() < 1e-12);
                let vals: Vec<String> = values.iter().map(|v| v.to_string()).collect();
                if equal {
                    format!("one of {}", vals.join(", "))
                } else {
                    let ws: Vec<String> = weights.iter().map(|w| format!("{w}")).collect();
                    format!("one of {} (weights {})", vals.join(", "), ws.join(", "))
                }
            }
        }
    }
}

/// One uncertain assumption: a scenario key and the distribution of its value.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Assumption {
    /// The scenario key, as a sweep names it (`arms.cautious.takeup`,
    /// `behaviour.report_probability.income_up`, `parameters.zorgtoeslag.<key>`).
    pub key: String,
    /// The distribution of its value.
    #[serde(flatten)]
    pub distribution: Distribution,
    /// Where the range comes from (a public source, or "assumption: …").
    pub source: String,
    /// Whole numbers only (the key holds a count or months).
    pub integer: bool,
}

impl Assumption {
    /// The value at probability `u`, rounded as the key needs (whole numbers for an integer
    /// key, otherwise 6 decimals so the scenario reads it exactly).
    pub fn value_at(&self, u: f64) -> f64 {
        round_value(self.distribution.quantile(u), self.integer)
    }
}

/// Rounds an assumption value as written into a scenario: whole for integer keys, otherwise to
/// 6 decimals.
pub fn round_value(x: f64, integer: bool) -> f64 {
    if integer {
        x.round()
    } else {
        (x * 1e6).round() / 1e6
    }
}

/// A scenario's `[uncertainty]` table.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct UncertaintySpec {
    /// The uncertain assumptions, in file order.
    pub assumptions: Vec<Assumption>,
    /// Draws when the command line gives none.
    pub draws: usize,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_span_the_range() {
        let u = Distribution::Uniform {
            low: 0.6,
            high: 0.8,
        };
        assert!((u.quantile(0.5) - 0.7).abs() < 1e-12);
        let t = Distribution::Triangular {
            low: 0.0,
            mode: 0.5,
            high: 1.0,
        };
        assert!((t.quantile(0.5) - 0.5).abs() < 1e-12);
        assert!((t.quantile(0.125) - 0.25).abs() < 1e-12);
        let n = Distribution::Normal {
            mean: 0.0,
            sd: 1.0,
            low: -1.0,
            high: 1.0,
        };
        assert!(n.quantile(0.5).abs() < 1e-9);
        assert!((n.quantile(0.0) + 1.0).abs() < 1e-9);
        assert!((n.quantile(1.0) - 1.0).abs() < 1e-9);
        let d = Distribution::Discrete {
            values: vec![1.0, 2.0, 3.0],
            weights: vec![0.25, 0.5, 0.25],
        };
        assert_eq!(d.quantile(0.1), 1.0);
        assert_eq!(d.quantile(0.5), 2.0);
        assert_eq!(d.quantile(0.9), 3.0);
        assert_eq!(d.quantile(1.0), 3.0);
        assert_eq!((d.low(), d.high()), (1.0, 3.0));
    }

    #[test]
    fn values_are_rounded_for_the_scenario() {
        assert_eq!(round_value(2.6, true), 3.0);
        assert_eq!(round_value(0.123_456_78, false), 0.123_457);
    }
}
