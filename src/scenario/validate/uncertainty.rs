//! Validation of `[uncertainty]`: the shape of every assumption's distribution (whether each
//! key applies to the scenario is checked by `scenario::overrides::check_uncertainty`, which
//! needs the finished scenario).
//!
//! Part of the scenario loader's `Validator` (one `impl` block per section); every problem
//! becomes a located diagnostic, all problems of a file in one pass.

use super::super::*;
use crate::model::uncertainty::{
    Assumption, Distribution, UncertaintySpec, DEFAULT_DRAWS, MAX_ASSUMPTIONS, MAX_DRAWS,
};

impl Validator {
    /// `[uncertainty]`.
    pub(in crate::scenario) fn uncertainty(&mut self, r: &RawUncertainty) -> UncertaintySpec {
        let draws = match r.draws {
            None => DEFAULT_DRAWS,
            Some(d) if d >= 1 && d as usize <= MAX_DRAWS => d as usize,
            Some(d) => {
                self.err(
                    "uncertainty.draws",
                    format!("found {d}; from 1 to {MAX_DRAWS} draws, e.g. draws = 200"),
                );
                DEFAULT_DRAWS
            }
        };
        if r.assumptions.len() > MAX_ASSUMPTIONS {
            self.err(
                "uncertainty.assumptions",
                format!(
                    "{} assumptions; at most {MAX_ASSUMPTIONS} are allowed (keep the ones that matter: `uncertainty` ranks them)",
                    r.assumptions.len()
                ),
            );
        }
        let mut assumptions: Vec<Assumption> = Vec::new();
        for (i, a) in r.assumptions.iter().enumerate().take(MAX_ASSUMPTIONS) {
            let k = format!("uncertainty.assumptions[{i}]");
            let key = a.key.trim().to_string();
            if key.is_empty() || key.len() > 200 {
                self.err(
                    format!("{k}.key"),
                    "needs the scenario key to vary, e.g. key = \"arms.cautious.takeup\"",
                );
                continue;
            }
            if assumptions.iter().any(|x| x.key == key) {
                self.err(
                    format!("{k}.key"),
                    format!("`{key}` is listed twice; give each key one distribution"),
                );
                continue;
            }
            if a.source.trim().is_empty() {
                self.err(
                    format!("{k}.source"),
                    "say where the range comes from: a public source, or \"assumption: …\" with the reasoning",
                );
            }
            if let Some(d) = self.distribution(&k, a) {
                assumptions.push(Assumption {
                    key,
                    distribution: d,
                    source: a.source.trim().to_string(),
                    integer: false,
                });
            }
        }
        UncertaintySpec { assumptions, draws }
    }

    /// One assumption's distribution, or `None` after reporting what is wrong.
    fn distribution(&mut self, k: &str, a: &RawAssumption) -> Option<Distribution> {
        let finite = |x: Option<f64>| x.filter(|v| v.is_finite());
        let need = |v: &mut Self, name: &str, x: Option<f64>, example: &str| -> Option<f64> {
            let r = finite(x);
            if r.is_none() {
                v.err(
                    format!("{k}.{name}"),
                    format!(
                        "the {} distribution needs a finite `{name}`, e.g. {example}",
                        a.distribution
                    ),
                );
            }
            r
        };
        let unused = |v: &mut Self, names: &[(&str, bool)]| {
            for (name, given) in names {
                if *given {
                    v.err(
                        format!("{k}.{name}"),
                        format!("the {} distribution has no `{name}`", a.distribution),
                    );
                }
            }
        };
        let range = |v: &mut Self| -> Option<(f64, f64)> {
            let low = need(v, "low", a.low, "low = 0.60");
            let high = need(v, "high", a.high, "high = 0.76");
            let (low, high) = (low?, high?);
            if low >= high {
                v.err(
                    format!("{k}.high"),
                    format!("found low {low} and high {high}; high must be above low"),
                );
                return None;
            }
            Some((low, high))
        };
        match a.distribution.as_str() {
            "uniform" => {
                unused(
                    self,
                    &[
                        ("mode", a.mode.is_some()),
                        ("mean", a.mean.is_some()),
                        ("sd", a.sd.is_some()),
                        ("values", a.values.is_some()),
                        ("weights", a.weights.is_some()),
                    ],
                );
                let (low, high) = range(self)?;
                Some(Distribution::Uniform { low, high })
            }
            "triangular" => {
                unused(
                    self,
                    &[
                        ("mean", a.mean.is_some()),
                        ("sd", a.sd.is_some()),
                        ("values", a.values.is_some()),
                        ("weights", a.weights.is_some()),
                    ],
                );
                let mode = need(self, "mode", a.mode, "mode = 0.68");
                let (low, high) = range(self)?;
                let mode = mode?;
                if mode < low || mode > high {
                    self.err(
                        format!("{k}.mode"),
                        format!("found {mode}; the mode must lie from low {low} to high {high}"),
                    );
                    return None;
                }
                Some(Distribution::Triangular { low, mode, high })
            }
            "normal" => {
                unused(
                    self,
                    &[
                        ("mode", a.mode.is_some()),
                        ("values", a.values.is_some()),
                        ("weights", a.weights.is_some()),
                    ],
                );
                let mean = need(self, "mean", a.mean, "mean = 0.68");
                let sd = need(self, "sd", a.sd, "sd = 0.05");
                let (low, high) = range(self)?;
                let (mean, sd) = (mean?, sd?);
                if sd <= 0.0 {
                    self.err(
                        format!("{k}.sd"),
                        format!("found {sd}; a standard deviation must be above 0"),
                    );
                    return None;
                }
                if mean < low || mean > high {
                    self.err(
                        format!("{k}.mean"),
                        format!(
                            "found {mean}; the mean must lie inside the truncation range {low} to {high}"
                        ),
                    );
                    return None;
                }
                Some(Distribution::Normal {
                    mean,
                    sd,
                    low,
                    high,
                })
            }
            "discrete" => {
                unused(
                    self,
                    &[
                        ("low", a.low.is_some()),
                        ("high", a.high.is_some()),
                        ("mode", a.mode.is_some()),
                        ("mean", a.mean.is_some()),
                        ("sd", a.sd.is_some()),
                    ],
                );
                let Some(values) = a.values.clone() else {
                    self.err(
                        format!("{k}.values"),
                        "the discrete distribution needs `values`, e.g. values = [0, 0.5, 1]",
                    );
                    return None;
                };
                if values.len() < 2 || values.len() > 100 {
                    self.err(
                        format!("{k}.values"),
                        format!("{} values; give 2 to 100", values.len()),
                    );
                    return None;
                }
                if values.iter().any(|v| !v.is_finite()) || values.windows(2).any(|w| w[0] >= w[1])
                {
                    self.err(
                        format!("{k}.values"),
                        "the values must be finite and strictly ascending, e.g. values = [0, 0.5, 1]",
                    );
                    return None;
                }
                let weights = match &a.weights {
                    None => vec![1.0 / values.len() as f64; values.len()],
                    Some(w) => {
                        let sum: f64 = w.iter().sum();
                        if w.len() != values.len()
                            || w.iter().any(|x| !x.is_finite() || *x < 0.0)
                            || (sum - 1.0).abs() > 1e-6
                        {
                            self.err(
                                format!("{k}.weights"),
                                format!(
                                    "need one weight of at least 0 per value ({} values), summing to 1 (found {} summing to {sum})",
                                    values.len(),
                                    w.len()
                                ),
                            );
                            return None;
                        }
                        w.clone()
                    }
                };
                Some(Distribution::Discrete { values, weights })
            }
            other => {
                let d = did_you_mean(
                    other,
                    &["uniform", "triangular", "normal", "discrete"].map(String::from),
                )
                .map(|s| format!("; did you mean \"{s}\"?"))
                .unwrap_or_default();
                self.err(
                    format!("{k}.distribution"),
                    format!(
                        "unknown distribution \"{other}\"; one of \"uniform\", \"triangular\", \"normal\", \"discrete\"{d}"
                    ),
                );
                None
            }
        }
    }
}
