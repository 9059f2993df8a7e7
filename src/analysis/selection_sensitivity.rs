//! How much the headline depends on who takes the offer: the primary comparison of every
//! offering arm with control under the scenario's own selection into the offer and under the
//! other selection strengths of `[behaviour.selection] sensitivity` (default: random, the
//! riskier households opting in more, the safer ones opting in more).
//!
//! Each alternative is the same scenario (same households, seed and draws) with only the
//! selection strength changed, so the rows differ by the selection assumption alone. The
//! intervals are each run's own (sampling noise of the simulated population), not an interval
//! over the assumption: the spread *between* the rows is the assumption's effect.
//!
//! Must not: write files or format text (report.md's section lives in
//! `output::report::sections`).

use crate::analysis::run::RunResult;
use crate::analysis::summary::{summarize, Summary};
use crate::error::Result;
use crate::model::scenario::{AdvancePolicy, Scenario};
use crate::sim::engine::RunOptions;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The headline under several selection assumptions (summary.json `selection_sensitivity`).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct SelectionSensitivity {
    /// The compared metric (the scenario's `primary_metric`), every offering arm vs control,
    /// intention to treat among recipient households.
    pub metric: String,
    /// One row per selection assumption; the scenario's own first.
    pub rows: Vec<SelectionRow>,
}

impl SelectionSensitivity {
    /// The arms compared (sorted).
    pub fn arms(&self) -> std::collections::BTreeSet<&String> {
        self.rows.iter().flat_map(|r| r.arms.keys()).collect()
    }

    /// The smallest and largest difference of `arm` over the rows, and how many rows
    /// estimate it (`None` below two).
    pub fn range(&self, arm: &str) -> Option<(f64, f64, usize)> {
        let ds: Vec<f64> = self
            .rows
            .iter()
            .filter_map(|r| r.arms.get(arm).and_then(|e| e.difference))
            .collect();
        (ds.len() >= 2).then(|| {
            (
                ds.iter().copied().fold(f64::INFINITY, f64::min),
                ds.iter().copied().fold(f64::NEG_INFINITY, f64::max),
                ds.len(),
            )
        })
    }

    /// [`Self::range`] over every arm together.
    pub fn range_over_rows(&self) -> Option<(f64, f64, usize)> {
        self.arms()
            .into_iter()
            .filter_map(|a| self.range(a))
            .reduce(|(l1, h1, n1), (l2, h2, n2)| (l1.min(l2), h1.max(h2), n1.max(n2)))
    }
}

/// The headline under one selection assumption.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct SelectionRow {
    /// What the assumption means, in words.
    pub label: String,
    /// Correlation of taking the offer with the risk score.
    pub strength: f64,
    /// Correlation of a lower chosen percentage with the risk score.
    pub choice_strength: f64,
    /// Is this the scenario's own selection (the rest of the report's)?
    #[serde(default)]
    pub scenario: bool,
    /// Per offering arm.
    pub arms: BTreeMap<String, SelectionEffect>,
}

/// One arm's primary comparison with control under one selection assumption.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct SelectionEffect {
    /// Share of the arm's recipient households that took the offer.
    pub takeup_share: f64,
    /// Control value.
    pub control: f64,
    /// Arm value.
    pub treatment: f64,
    /// Arm − control (null when not estimable).
    pub difference: Option<f64>,
    /// 95% CI lower bound of the difference (this run's sampling noise).
    pub ci_low: Option<f64>,
    /// 95% CI upper bound.
    pub ci_high: Option<f64>,
}

/// Does selection into the offer matter in `sc`: an arm offers a reduced advance that not
/// everyone takes, or lets households choose their percentage?
pub fn matters(sc: &Scenario) -> bool {
    sc.arms.iter().any(|a| {
        a.policy.offers()
            && (a.takeup < 1.0
                || a.takeup_volatile.is_some_and(|t| t < 1.0)
                || matches!(a.policy, AdvancePolicy::Adjustable { .. }))
    })
}

/// The alternative strengths to simulate: the scenario's `sensitivity` values other than its
/// own selection (a strength equal to both of the scenario's is the scenario's row).
pub fn alternatives(sc: &Scenario) -> Vec<f64> {
    let own = &sc.behaviour.selection;
    let mut out: Vec<f64> = Vec::new();
    for &s in &own.sensitivity {
        let same_as_own = s == own.strength && s == own.choice_strength;
        if !same_as_own && !out.contains(&s) {
            out.push(s);
        }
    }
    out
}

/// The words for a selection assumption.
pub fn label(strength: f64, choice_strength: f64) -> String {
    let dir = |s: f64| {
        if s > 0.0 {
            "riskier households more likely"
        } else {
            "safer households more likely"
        }
    };
    match (strength == 0.0, choice_strength == strength) {
        (true, true) => "random: who takes the offer is unrelated to risk".into(),
        (false, true) => format!(
            "{} to take the offer and to choose a lower percentage (strength {strength})",
            dir(strength)
        ),
        _ => format!("take-up strength {strength}, choice strength {choice_strength}"),
    }
}

/// The row of a finished run's summary.
pub fn row(sc: &Scenario, s: &Summary, scenario: bool) -> SelectionRow {
    let sel = &sc.behaviour.selection;
    let arms = s
        .comparisons
        .iter()
        .filter(|c| c.primary && c.vs == sc.arms[0].name)
        .filter(|c| sc.arms.iter().any(|a| a.name == c.arm && a.policy.offers()))
        .map(|c| {
            (
                c.arm.clone(),
                SelectionEffect {
                    takeup_share: s.arms[&c.arm].metrics.takeup_share,
                    control: c.control,
                    treatment: c.treatment,
                    difference: c.difference,
                    ci_low: c.ci_low,
                    ci_high: c.ci_high,
                },
            )
        })
        .collect();
    SelectionRow {
        label: label(sel.strength, sel.choice_strength),
        strength: sel.strength,
        choice_strength: sel.choice_strength,
        scenario,
        arms,
    }
}

/// The scenario `sc` with only its selection strengths set to `strength` (both), ready to run.
pub fn alternative(sc: &Scenario, strength: f64) -> Scenario {
    let mut alt = sc.clone();
    alt.behaviour.selection.strength = strength;
    alt.behaviour.selection.choice_strength = strength;
    alt.selection_reference = None;
    alt.compare_public = false;
    alt
}

/// Simulates `sc` with both selection strengths set to `strength` (`on_progress` receives the
/// households done) and returns its tally, for [`alternative_row`].
pub fn run_alternative(
    sc: &Scenario,
    strength: f64,
    opts: &RunOptions,
    mut on_progress: impl FnMut(u64),
) -> Result<RunResult> {
    let alt = alternative(sc, strength);
    let opts = RunOptions {
        household_rows: false,
        ..opts.clone()
    };
    crate::analysis::run::run(&alt, &opts, |_| Ok(()), |done, _| on_progress(done))
}

/// The row of `sc` under selection strength `strength`, from that run's tally
/// ([`run_alternative`]).
pub fn alternative_row(sc: &Scenario, strength: f64, r: &RunResult) -> SelectionRow {
    let alt = alternative(sc, strength);
    row(&alt, &summarize(&alt, r), false)
}
