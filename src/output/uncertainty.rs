//! The texts of `toeslagenlab uncertainty`: report.md ("How sure are we") and the lines the
//! terminal prints, from the typed analysis (`analysis::uncertainty`).
//!
//! Must not: simulate, compute statistics or write files.

use crate::analysis::uncertainty::{ComparisonUncertainty, Uncertainty};
use crate::model::scenario::Scenario;
use crate::output::format::{pct1, pp_adaptive, signed_euro};
use crate::output::report::is_share_key;
use std::fmt::Write as _;

/// Below this leave-one-out Q² the report warns that the sensitivity indices are approximate.
pub const Q2_WARN: f64 = 0.8;

fn label(metric: &str) -> String {
    crate::output::report::metric_label(metric)
}

/// A difference in the metric's unit: `+1.2 pp` or `+€120`.
fn diff(metric: &str, x: f64) -> String {
    if is_share_key(metric) {
        pp_adaptive(x)
    } else {
        signed_euro(x)
    }
}

fn opt(metric: &str, x: Option<f64>) -> String {
    x.map_or_else(|| "n/a".into(), |x| diff(metric, x))
}

fn interval(metric: &str, lo: Option<f64>, hi: Option<f64>) -> String {
    match (lo, hi) {
        (Some(l), Some(h)) => format!("{} to {}", diff(metric, l), diff(metric, h)),
        _ => "n/a".into(),
    }
}

fn population_words(p: &str) -> &'static str {
    if p == "took_offer" {
        "among those who took the offer"
    } else {
        "intention to treat"
    }
}

/// The assumptions ranked by total index for a comparison: `(key, index)`, largest first.
fn ranked(c: &ComparisonUncertainty) -> Vec<(&String, &crate::analysis::sobol::Index)> {
    let mut v: Vec<_> = c.sensitivity.iter().flatten().collect();
    v.sort_by(|a, b| b.1.total.total_cmp(&a.1.total).then(a.0.cmp(b.0)));
    v
}

/// How the effect moves, in words: "falls" / "rises" for the metric.
fn direction(metric: &str, d: f64) -> String {
    let what = label(metric).to_lowercase();
    if d < 0.0 {
        format!("the effect on {what} is a fall")
    } else if d > 0.0 {
        format!("the effect on {what} is a rise")
    } else {
        format!("{what} does not change")
    }
}

/// The plain-words paragraph of one comparison.
pub fn headline(u: &Uncertainty, c: &ComparisonUncertainty) -> String {
    let m = &c.metric;
    let mut o = format!(
        "**{} vs {}, {}** ({}): ",
        c.arm,
        c.vs,
        label(m).to_lowercase(),
        population_words(c.population)
    );
    let Some(est) = c.estimate else {
        o.push_str("not estimable at the scenario's assumptions.");
        return o;
    };
    let _ = write!(
        o,
        "{} at the scenario's assumptions (Monte Carlo 95% interval {}). ",
        diff(m, est),
        interval(m, c.mc_ci_low, c.mc_ci_high)
    );
    let mc_w = c.mc_ci_high.zip(c.mc_ci_low).map(|(h, l)| h - l);
    let tot_w = c.total_high.zip(c.total_low).map(|(h, l)| h - l);
    let _ = write!(
        o,
        "Over {} draws of the {} uncertain assumptions the total 95% interval is {}",
        u.draws,
        u.assumptions.len(),
        interval(m, c.total_low, c.total_high)
    );
    match (mc_w, tot_w) {
        (Some(a), Some(b)) if a > 0.0 => {
            let _ = write!(o, ", {:.1} times as wide. ", b / a);
        }
        _ => o.push_str(". "),
    }
    let _ = write!(
        o,
        "In {} of the draws {} as at the scenario's assumptions, and the conclusion ({}, after the run's Holm correction) holds in {}.",
        pct1(c.share_same_sign),
        direction(m, est),
        c.conclusion,
        pct1(c.share_same_conclusion)
    );
    let r = ranked(c);
    if let Some((k, i)) = r.first() {
        let _ = write!(
            o,
            " `{k}` explains {} of the spread over the draws (total Sobol index, 95% interval {} to {})",
            pct1(i.total),
            pct1(i.total_low),
            pct1(i.total_high)
        );
        if let Some((k2, i2)) = r.get(1) {
            let _ = write!(o, ", then `{k2}` {}", pct1(i2.total));
        }
        o.push('.');
    }
    if let Some(s) = &c.surrogate {
        if s.q2 < Q2_WARN {
            let _ = write!(
                o,
                " **The indices are approximate**: the sensitivity fit predicts only {} of the spread of a left-out draw (Q²).",
                pct1(s.q2.max(0.0))
            );
        }
    }
    o
}

/// report.md of `toeslagenlab uncertainty`.
pub fn markdown(sc: &Scenario, u: &Uncertainty, command: &str) -> String {
    let mut o = String::new();
    let _ = writeln!(o, "# How sure are we: {}\n", sc.name);
    if let Some(d) = &sc.description {
        let _ = writeln!(o, "{d}\n");
    }
    let _ = writeln!(
        o,
        "toeslagenlab {} · `{command}` · seed {} · {} households per run · {} runs (the scenario's own assumptions, each assumption at its lowest and highest value, and {} draws of all of them together). Every run uses the same seed: the same households with the same shocks and draws, so the runs differ by the assumptions alone.\n",
        u.program_version,
        u.seed,
        crate::model::money::group_thousands(u.households),
        u.runs,
        u.draws
    );
    let _ = writeln!(o, "## In short\n");
    let _ = writeln!(o, "The intervals of a single run (`toeslagenlab run`) show simulation noise only: how much the answer would move with another synthetic population of the same size. The answer depends far more on the assumptions the scenario makes. Here every uncertain assumption is drawn over its range at once; the **total interval** covers both.\n");
    for c in u.comparisons.iter().filter(|c| c.primary) {
        let _ = writeln!(o, "- {}", headline(u, c));
    }
    let _ = writeln!(o, "\n## The assumptions drawn\n");
    let _ = writeln!(o, "| assumption | in the scenario | drawn from | source |");
    let _ = writeln!(o, "| --- | --- | --- | --- |");
    for a in &u.assumptions {
        let _ = writeln!(
            o,
            "| `{}` | {} | {} | {} |",
            a.key,
            a.central,
            a.described,
            a.source.replace('|', "\\|")
        );
    }
    let _ = writeln!(o, "\nThe assumptions are drawn independently of one another. Their ranges are themselves judgements: a wider range gives a wider total interval.");
    for c in u.comparisons.iter().filter(|c| c.primary) {
        let m = &c.metric;
        let _ = writeln!(
            o,
            "\n## What moves the effect of {} on {}\n",
            c.arm,
            label(m).to_lowercase()
        );
        let _ = writeln!(o, "One at a time: the difference with control with one assumption at its lowest or highest value and the others at the scenario's values. Sobol indices: the share of the spread over all draws an assumption explains alone (first-order) or together with the others (total), with 95% bootstrap intervals.\n");
        let _ = writeln!(
            o,
            "| assumption | at its lowest | at its highest | first-order index | total index |"
        );
        let _ = writeln!(o, "| --- | --- | --- | --- | --- |");
        let mut rows: Vec<_> = c.one_at_a_time.iter().collect();
        rows.sort_by(|a, b| {
            let swing = |x: &crate::analysis::uncertainty::OneAtATime| {
                x.at_low.zip(x.at_high).map_or(0.0, |(l, h)| (h - l).abs())
            };
            swing(b).total_cmp(&swing(a)).then(a.key.cmp(&b.key))
        });
        for r in rows {
            let idx = c.sensitivity.as_ref().and_then(|s| s.get(&r.key));
            let show = |v: Option<(f64, f64, f64)>| {
                v.map_or_else(
                    || "n/a".into(),
                    |(x, l, h)| format!("{} ({} to {})", pct1(x), pct1(l), pct1(h)),
                )
            };
            let _ = writeln!(
                o,
                "| `{}` | {} | {} | {} | {} |",
                r.key,
                opt(m, r.at_low),
                opt(m, r.at_high),
                show(idx.map(|i| (i.first, i.first_low, i.first_high))),
                show(idx.map(|i| (i.total, i.total_low, i.total_high)))
            );
        }
        match &c.surrogate {
            Some(s) => {
                let kind = if s.degree == 2 {
                    "a degree-2 polynomial chaos expansion with pairwise interactions"
                } else {
                    "a linear expansion (too few draws for interactions: first-order and total indices are equal, and interactions are not measured)"
                };
                let _ = writeln!(
                    o,
                    "\nThe indices come from {kind} fitted to the {} draws; it explains {} of their spread (R²) and predicts {} of the spread of a draw left out (Q²).{}",
                    c.estimable_draws,
                    pct1(s.r2),
                    pct1(s.q2.max(0.0)),
                    if s.q2 < Q2_WARN {
                        " **That is low: read the indices as a rough ranking.** More draws, or narrower ranges, help; so does simulation noise that is small next to the assumptions' effect (more households)."
                    } else {
                        ""
                    }
                );
            }
            None => {
                let _ = writeln!(
                    o,
                    "\nNo sensitivity indices: the effect does not vary over the draws."
                );
            }
        }
        let _ = writeln!(
            o,
            "\nChart: [`charts/sensitivity_{0}.png`](charts/sensitivity_{0}.png) (data [`charts/sensitivity_{0}.csv`](charts/sensitivity_{0}.csv), vector [`charts/sensitivity_{0}.svg`](charts/sensitivity_{0}.svg)).\n\n![What moves the effect of {0}](charts/sensitivity_{0}.png)",
            c.arm
        );
    }
    let _ = writeln!(o, "\n## Every comparison with control\n");
    let _ = writeln!(o, "| arm | metric | population | at the scenario's assumptions | Monte Carlo 95% | total 95% | draws with the same sign | same conclusion |");
    let _ = writeln!(o, "| --- | --- | --- | --- | --- | --- | --- | --- |");
    for c in &u.comparisons {
        let m = &c.metric;
        let _ = writeln!(
            o,
            "| {} | {} | {} | {} | {} | {} | {} | {} ({}) |",
            c.arm,
            label(m),
            population_words(c.population),
            opt(m, c.estimate),
            interval(m, c.mc_ci_low, c.mc_ci_high),
            interval(m, c.total_low, c.total_high),
            pct1(c.share_same_sign),
            pct1(c.share_same_conclusion),
            c.conclusion
        );
    }
    let _ = writeln!(o, "\n## How this was computed\n");
    let _ = writeln!(o, "- **Design**: {}.", u.design);
    let _ = writeln!(o, "- **Total interval**: {}. It adds the spread the assumptions cause to each draw's simulation noise (the law of total variance).", u.total_interval_method);
    let _ = writeln!(o, "- **Sensitivity**: {}.", u.sensitivity_method);
    let _ = writeln!(o, "- **Conclusion**: as in `run`: a difference is significant when its Holm-adjusted p-value (over the run's family of tested comparisons) is below 0.05; rows outside the family use their own p-value.");
    let _ = writeln!(o, "- **Not covered**: the choice of model itself (rules, the shape of the synthetic population, the kinds of shocks), correlations between assumptions, and assumptions the `[uncertainty]` table does not list. Every parameter the rules mark uncertain that is not listed stays at its value.");
    let _ = writeln!(o, "\nMachine-readable: `uncertainty.json` (every comparison with `estimate`, `mc_ci_low`, `mc_ci_high`, `total_low`, `total_high`, `share_same_sign`, `sensitivity`). Method: docs/uncertainty.md.");
    o
}

/// The terminal's lines after an analysis: one per primary comparison.
pub fn terminal_lines(u: &Uncertainty) -> Vec<String> {
    u.comparisons
        .iter()
        .filter(|c| c.primary)
        .map(|c| {
            let m = &c.metric;
            let top = ranked(c)
                .first()
                .map(|(k, i)| format!("; most of the spread: {k} ({})", pct1(i.total)))
                .unwrap_or_default();
            format!(
                "{} vs {}, {}: {} (Monte Carlo {}; total {}); same sign in {} of {} draws{}",
                c.arm,
                c.vs,
                label(m).to_lowercase(),
                opt(m, c.estimate),
                interval(m, c.mc_ci_low, c.mc_ci_high),
                interval(m, c.total_low, c.total_high),
                pct1(c.share_same_sign),
                u.draws,
                top
            )
        })
        .collect()
}

/// `draws.csv`: one row per draw and comparison, long format — `draw`, each assumption's value
/// in the draw (one column per assumption key), then `arm, vs, metric, population, difference,
/// standard_error, conclusion` (empty when not estimable in the draw). The data behind the
/// total interval and the sensitivity indices, for an analyst's own plots and fits.
pub fn draws_csv(u: &crate::analysis::uncertainty::Uncertainty) -> String {
    let mut header: Vec<String> = vec!["draw".into()];
    header.extend(u.assumptions.iter().map(|a| a.key.clone()));
    header.extend(
        [
            "arm",
            "vs",
            "metric",
            "population",
            "difference",
            "standard_error",
            "conclusion",
        ]
        .map(String::from),
    );
    let mut rows = Vec::new();
    for d in &u.draw_rows {
        for (c, r) in u.comparisons.iter().zip(&d.results) {
            let mut row: Vec<String> = vec![d.draw.to_string()];
            row.extend(d.values.iter().map(|v| v.to_string()));
            row.extend([
                c.arm.clone(),
                c.vs.clone(),
                c.metric.clone(),
                c.population.to_string(),
            ]);
            match r {
                Some((diff, se, words)) => {
                    row.extend([diff.to_string(), se.to_string(), words.to_string()])
                }
                None => row.extend([String::new(), String::new(), "not estimable".into()]),
            }
            rows.push(row);
        }
    }
    crate::output::tables::csv_text(&header, &rows)
}
