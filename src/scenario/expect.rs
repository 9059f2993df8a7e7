//! `[[expect]]` blocks: the raw form in the file and their validation into
//! [`Expectation`]s.

use crate::model::expectation::Expectation;
use crate::model::metric::Metric;
use serde::Deserialize;

/// An `[[expect]]` block as written.
///
/// Either `arm` with `min`/`max` bounds on an arm metric, or `compare` and `vs` with a
/// `direction` of a comparison metric.
#[derive(Deserialize, Debug, Clone, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawExpect {
    /// The arm whose metric must lie within `min`..`max`.
    #[serde(default)]
    arm: Option<String>,
    /// The treatment arm of a comparison.
    #[serde(default)]
    compare: Option<String>,
    /// The arm compared with (usually the control arm).
    #[serde(default)]
    vs: Option<String>,
    /// The metric: a key of `arms.<arm>` or of a comparison in summary.json.
    metric: String,
    /// Lower bound of an arm metric.
    #[serde(default)]
    min: Option<f64>,
    /// Upper bound of an arm metric.
    #[serde(default)]
    max: Option<f64>,
    /// Expected direction of a comparison metric.
    #[schemars(extend("enum" = ["decrease", "increase"]))]
    #[serde(default)]
    direction: Option<String>,
    /// Whether the comparison must also be statistically significant.
    #[schemars(extend("default" = false))]
    #[serde(default)]
    significant: Option<bool>,
}

/// `metric` if it is one of `allowed`; otherwise an error naming the allowed ones (`what`: "arm"
/// or "comparison") with a did-you-mean hint.
fn known_metric(
    metric: &str,
    allowed: impl Iterator<Item = Metric>,
    what: &str,
    key: String,
    err: &mut dyn FnMut(String, String),
) -> Option<Metric> {
    let allowed: Vec<Metric> = allowed.collect();
    if let Some(m) = Metric::parse(metric).filter(|m| allowed.contains(m)) {
        return Some(m);
    }
    let names: Vec<String> = allowed.iter().map(|m| m.key()).collect();
    let hint = crate::scenario::did_you_mean(metric, &names)
        .map(|b| format!("; did you mean `{b}`?"))
        .unwrap_or_default();
    err(
        key,
        format!(
            "unknown metric `{metric}`; valid {what} metrics: {}{hint}",
            names.join(", ")
        ),
    );
    None
}

/// Validates `[[expect]]` blocks; problems go to `err(key, message)`.
pub fn validate_expectations(
    raw: &[RawExpect],
    arms: &[String],
    err: &mut dyn FnMut(String, String),
) -> Vec<Expectation> {
    let mut out = Vec::new();
    for (i, e) in raw.iter().enumerate() {
        let k = format!("expect[{i}]");
        let arm_known = |name: &str, key: &str, err: &mut dyn FnMut(String, String)| {
            if !arms.iter().any(|a| a == name) {
                err(
                    format!("{k}.{key}"),
                    format!("no arm named `{name}`; arms: {}", arms.join(", ")),
                );
            }
        };
        for (name, v) in [("min", e.min), ("max", e.max)] {
            if v.is_some_and(|x| !x.is_finite()) {
                err(format!("{k}.{name}"), "must be a finite number".into());
            }
        }
        match (&e.arm, &e.compare) {
            (Some(arm), None) => {
                arm_known(arm, "arm", err);
                let metric = known_metric(&e.metric, Metric::arm_metrics(), "arm", format!("{k}.metric"), err);
                if e.min.is_none() && e.max.is_none() {
                    err(k.clone(), "an arm expectation needs `min`, `max` or both".into());
                }
                if e.vs.is_some() || e.direction.is_some() || e.significant.is_some() {
                    err(k.clone(), "`vs`, `direction` and `significant` belong to comparisons: use `compare = \"<arm>\"` instead of `arm`".into());
                }
                if let Some(metric) = metric {
                    out.push(Expectation::Arm { arm: arm.clone(), metric, min: e.min, max: e.max });
                }
            }
            (None, Some(arm)) => {
                arm_known(arm, "compare", err);
                let vs = e.vs.clone().unwrap_or_else(|| arms.first().cloned().unwrap_or_default());
                arm_known(&vs, "vs", err);
                let metric = known_metric(&e.metric, Metric::comparison_metrics(), "comparison", format!("{k}.metric"), err);
                if arms.first() != Some(&vs) {
                    err(format!("{k}.vs"), format!("comparisons are made against the control arm `{}`", arms.first().cloned().unwrap_or_default()));
                }
                let decrease = match e.direction.as_deref() {
                    None => None,
                    Some("decrease") => Some(true),
                    Some("increase") => Some(false),
                    Some(other) => {
                        err(format!("{k}.direction"), format!("found `{other}`; allowed: decrease, increase"));
                        None
                    }
                };
                let significant = e.significant.unwrap_or(false);
                if decrease.is_none() && e.min.is_none() && e.max.is_none() && !significant {
                    err(k.clone(), "a comparison expectation needs `direction`, `significant`, `min` or `max`".into());
                }
                if let Some(metric) = metric {
                    out.push(Expectation::Compare { arm: arm.clone(), vs, metric, decrease, significant, min: e.min, max: e.max });
                }
            }
            _ => err(k.clone(), "give either `arm = \"<name>\"` (a bound on one arm's metric) or `compare = \"<arm>\"` (a comparison with control)".into()),
        }
    }
    out
}
