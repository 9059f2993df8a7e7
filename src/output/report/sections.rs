//! `report.md` section by section: one function per section, each appending its Markdown to
//! the report in order.
//!
//! Must not: compute statistics (they come ready in the [`Summary`]) or run the simulation.

use super::{estimate_cells, is_share, is_share_key, metric_label, not_estimable_text};
use crate::model::metric::Metric;
use crate::model::scenario::{AdvancePolicy, Design, Scenario, HOUSEHOLD_TYPES};
use crate::output::format::{euro0, p_text, pct_adaptive as pct, pp_adaptive as pp, signed_euro};
use crate::output::report::{Comparison, Metrics, Summary};
use std::fmt::Write as _;

/// The title, the description and the scenario table.
pub(super) fn scenario(o: &mut String, sc: &Scenario, s: &Summary) {
    let _ = writeln!(o, "# {}\n", s.scenario);
    if let Some(d) = &sc.description {
        let _ = writeln!(o, "{}\n", d.trim());
    }
    let _ = writeln!(o, "## Scenario\n");
    let _ = writeln!(o, "| | |\n| --- | --- |");
    let _ = writeln!(o, "| benefit year | {} |", s.year);
    let _ = writeln!(
        o,
        "| households | {} |",
        crate::model::money::group_thousands(s.households)
    );
    let _ = writeln!(o, "| design | {} ({}) |", s.design, match sc.design {
        Design::Paired => "every household under every arm with the same random draws; comparisons within household",
        Design::Randomized => "each household assigned to one arm; comparisons between groups",
    });
    let _ = writeln!(o, "| seed | {} |", s.seed);
    let control = &s.arms[&s.arm_order[0]].metrics;
    let _ = writeln!(
        o,
        "| who is counted | recipient households: at least one toeslag in the year ({} of {} households in the control arm); households without any toeslag are left out of every share and mean unless a row says \"all households\" |",
        crate::model::money::group_thousands(control.recipients),
        crate::model::money::group_thousands(control.households)
    );
    let _ = writeln!(
        o,
        "| back-payment | a benefit's back-payment above {} (`backpay_threshold`; up to €11 is the rounding remainder of floor(annual / 12) monthly advances, paid but not counted) |",
        euro0(s.backpay_threshold as f64)
    );
    let _ = writeln!(
        o,
        "| comparisons | {} tested comparisons in one family, p-values Holm-adjusted; primary: {} of each arm vs control |",
        s.family_size,
        metric_label(&s.primary_metric)
    );
    let _ = writeln!(o, "| benefits | {} |", s.benefits.join(", "));
    let _ = writeln!(o, "| in-year recalculation | {} |", s.recalculation);
    let _ = writeln!(
        o,
        "| high reclaim | above {} (also reported: {}) |",
        euro0(s.high_reclaim_threshold as f64),
        sc.high_reclaim_thresholds
            .iter()
            .map(|t| euro0(t.whole_euros() as f64))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let _ = writeln!(
        o,
        "| scenario file | `{}` (sha256 {}…) |\n",
        sc.path.display(),
        &sc.sha256.get(..12).unwrap_or("")
    );
}

/// The arms: advance policy, offered and actual take-up.
pub(super) fn arms(o: &mut String, sc: &Scenario, s: &Summary) {
    let _ = writeln!(o, "## Arms\n");
    let _ = writeln!(
        o,
        "| arm | advance | offered take-up | took the offer |\n| --- | --- | --- | --- |"
    );
    for arm in sc.arms.iter() {
        let a = &s.arms[&arm.name];
        let mut policy = arm.policy.describe();
        if arm.is_control() {
            policy.push_str(" (control)");
        }
        if !arm.interventions.is_empty() {
            policy.push_str(&format!(
                "; interventions: {}",
                arm.interventions
                    .iter()
                    .map(|k| k.name())
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        let _ = writeln!(
            o,
            "| {} | {} | {} | {} |",
            arm.name,
            policy,
            if arm.policy == AdvancePolicy::Standard {
                "—".into()
            } else {
                pct(arm.takeup)
            },
            if arm.policy == AdvancePolicy::Standard {
                "—".into()
            } else {
                pct(a.metrics.takeup_share)
            }
        );
    }
}

/// Headline: each arm against control (intention to treat) and the methods used.
pub(super) fn headline(o: &mut String, s: &Summary) {
    let _ = writeln!(o, "\n## Headline: each arm against control\n");
    let _ = writeln!(o, "Intention to treat, among recipient households: every recipient household offered the arm's advance, whether or not it took the offer. The adjusted p-value corrects for the {} tested comparisons of this report (Holm); a difference is called significant only when its adjusted p-value is below 0.05. The primary comparison is marked.\n", s.family_size);
    let _ = writeln!(o, "| arm | metric | control | arm | difference | 95% CI | p-value | adjusted p |\n| --- | --- | ---: | ---: | ---: | --- | ---: | ---: |");
    for c in s.comparisons.iter().filter(|c| {
        c.population == "all"
            && s.vs_control(c)
            && !c.descriptive
            && (c.p_value.is_some() || c.not_estimable.is_some())
    }) {
        let is_share = is_share(c);
        let f = |x: f64| if is_share { pct(x) } else { euro0(x) };
        let d = |x: f64| if is_share { pp(x) } else { signed_euro(x) };
        let (diff, ci, p) = estimate_cells(c, d);
        let _ = writeln!(
            o,
            "| {} | {}{} | {} | {} | {} | {} | {} | {} |",
            c.arm,
            metric_label(&c.metric),
            if c.primary { " (primary)" } else { "" },
            f(c.control),
            f(c.treatment),
            diff,
            ci,
            p,
            c.p_adjusted.map(p_text).unwrap_or_else(|| "—".into())
        );
    }
    descriptive(o, s);
    let methods: std::collections::BTreeSet<&str> = s
        .comparisons
        .iter()
        .filter(|c| c.p_value.is_some())
        .map(|c| c.method.as_str())
        .collect();
    let _ = writeln!(
        o,
        "\nMethods: {}.\n",
        methods.into_iter().collect::<Vec<_>>().join("; ")
    );
}

/// The descriptive rows: reclaim size among households with a reclaim (no test).
fn descriptive(o: &mut String, s: &Summary) {
    let rows: Vec<&Comparison> = s.comparisons.iter().filter(|c| c.descriptive).collect();
    if rows.is_empty() {
        return;
    }
    let _ = writeln!(o, "\nDescriptive, not tested: the size of reclaims among households with a reclaim. The treatment itself changes who has a reclaim, so these groups differ by arm and a difference is not an effect of the arm; they carry no p-value and are outside the family.\n");
    let _ = writeln!(o, "| arm | metric | control | arm | difference | 95% interval |\n| --- | --- | ---: | ---: | ---: | --- |");
    for c in rows {
        let (diff, ci) = match (c.difference, c.ci_low, c.ci_high) {
            (Some(x), Some(lo), Some(hi)) => (
                signed_euro(x),
                format!("{} to {}", signed_euro(lo), signed_euro(hi)),
            ),
            (Some(x), _, _) => (signed_euro(x), "—".into()),
            _ => (not_estimable_text(c), "—".into()),
        };
        let _ = writeln!(
            o,
            "| {} | {} | {} | {} | {} | {} |",
            c.arm,
            metric_label(&c.metric),
            euro0(c.control),
            euro0(c.treatment),
            diff,
            ci
        );
    }
}

/// Monte Carlo error and pooled estimates (only with more than one replication).
pub(super) fn monte_carlo(o: &mut String, s: &Summary) {
    if s.replications <= 1 {
        return;
    }
    let r = s.replications;
    let _ = writeln!(o, "## Monte Carlo error and pooled estimates\n");
    let _ = writeln!(o, "The figures above, with their intervals and tests, come from the run with seed {}. {} independent replications in all (other seeds, same scenario and size) give the **Monte Carlo standard error** of one run (how much a figure moves from one simulated population to another of the same size) and the **pooled estimate**, the mean over the {} replications, whose own Monte Carlo standard error is that of one run divided by √{}.\n", s.seed, r, r, r);
    let _ = writeln!(o, "| metric | {} |", s.arm_order.join(" | "));
    let _ = writeln!(o, "| --- |{}", " ---: |".repeat(s.arm_order.len()));
    for (key, label, is_share) in [
        ("reclaim_share", "share with a reclaim", true),
        ("high_reclaim_share", "share with a high reclaim", true),
        ("mean_reclaim", "mean reclaim", false),
        ("median_reclaim", "median reclaim", false),
        ("withheld_during_year", "withheld per household", false),
    ] {
        let cells: Vec<String> = s
            .arm_order
            .iter()
            .map(|a| {
                let arm = &s.arms[a];
                let se = arm.mc_standard_errors.get(key).copied().unwrap_or(0.0);
                let pooled = arm.pooled.get(key).copied();
                match (pooled, is_share) {
                    (Some(v), true) => format!("{} (± {:.2} pp)", pct(v), se * 100.0),
                    (Some(v), false) => format!("{} (± €{se:.2})", euro0(v)),
                    (None, true) => format!("± {:.2} pp", se * 100.0),
                    (None, false) => format!("± €{se:.2}"),
                }
            })
            .collect();
        let _ = writeln!(o, "| {} | {} |", label, cells.join(" | "));
    }
    let _ = writeln!(
        o,
        "\nPooled value (Monte Carlo standard error of one run).\n"
    );
    let rows: Vec<&Comparison> = s
        .comparisons
        .iter()
        .filter(|c| c.p_adjusted.is_some() && c.mc_se.is_some())
        .filter(|c| {
            c.is(Metric::ReclaimShare)
                || c.is(Metric::HighReclaimShare)
                || c.metric == "withheld_during_year"
                || c.metric == "mean_reclaim_per_household"
        })
        .collect();
    if rows.is_empty() {
        return;
    }
    let _ = writeln!(o, "Differences:\n");
    let _ = writeln!(o, "| arm | vs | metric | population | this run | pooled over {r} | MC SE of one run | MC SE of the pooled |\n| --- | --- | --- | --- | ---: | ---: | ---: | ---: |");
    let sqrt_r = (r as f64).sqrt();
    for c in rows {
        let share = is_share(c);
        let d = |x: f64| if share { pp(x) } else { signed_euro(x) };
        let se = |x: f64| {
            if share {
                format!("{:.2} pp", x * 100.0)
            } else {
                format!("€{x:.2}")
            }
        };
        let mc = c.mc_se.unwrap_or(0.0);
        let _ = writeln!(
            o,
            "| {} | {} | {} | {} | {} | {} | {} | {} |",
            c.arm,
            c.vs,
            metric_label(&c.metric),
            c.population.replace('_', " "),
            c.difference.map(d).unwrap_or_else(|| not_estimable_text(c)),
            c.pooled_difference.map(d).unwrap_or_else(|| "—".into()),
            se(mc),
            se(mc / sqrt_r)
        );
    }
    let _ = writeln!(o);
}

/// Per arm: every metric of every arm.
pub(super) fn per_arm(o: &mut String, sc: &Scenario, s: &Summary) {
    let _ = writeln!(o, "## Per arm\n");
    let _ = writeln!(o, "Among recipient households (the first row counts every household). A household with a reclaim on one benefit and a back-payment on another counts in both per-benefit shares; the net settlement rows count each household once.\n");
    let _ = writeln!(o, "| metric | {} |", s.arm_order.join(" | "));
    let _ = writeln!(o, "| --- |{}", " ---: |".repeat(s.arm_order.len()));
    type Row = (&'static str, fn(&Metrics) -> String);
    let rows: Vec<Row> = vec![
        ("households (all)", |m| {
            crate::model::money::group_thousands(m.households)
        }),
        ("recipient households (counted below)", |m| {
            crate::model::money::group_thousands(m.recipients)
        }),
        ("share with a reclaim", |m| pct(m.reclaim_share)),
        ("share with a high reclaim", |m| pct(m.high_reclaim_share)),
        ("mean reclaim (those with one)", |m| euro0(m.mean_reclaim)),
        ("median reclaim", |m| euro0(m.median_reclaim)),
        ("P90 reclaim", |m| euro0(m.p90_reclaim)),
        ("P99 reclaim", |m| euro0(m.p99_reclaim)),
        ("reclaim as share of monthly income", |m| {
            pct(m.reclaim_income_share)
        }),
        ("total reclaimed", |m| euro0(m.total_reclaimed)),
        ("share with a back-payment", |m| pct(m.backpay_share)),
        ("mean back-payment (those with one)", |m| {
            euro0(m.mean_backpay)
        }),
        ("net settlement a reclaim (each household once)", |m| {
            pct(m.net_reclaim_share)
        }),
        ("net settlement a back-payment (each household once)", |m| {
            pct(m.net_backpay_share)
        }),
        ("mean net settlement", |m| {
            signed_euro(m.mean_net_settlement)
        }),
        ("withheld during the year, per household", |m| {
            euro0(m.withheld_during_year)
        }),
        ("mean gap between award and advances", |m| {
            euro0(m.mean_abs_gap)
        }),
        ("monthly repayment (those with a reclaim)", |m| {
            euro0(m.mean_repayment_monthly)
        }),
        ("share with an in-year reclaim", |m| {
            pct(m.in_year_reclaim_share)
        }),
    ];
    for (label, f) in &rows {
        let _ = writeln!(
            o,
            "| {} | {} |",
            label,
            s.arm_order
                .iter()
                .map(|a| f(&s.arms[a].metrics))
                .collect::<Vec<_>>()
                .join(" | ")
        );
    }
    let _ = writeln!(
        o,
        "| took the offer | {} |",
        sc.arms
            .iter()
            .enumerate()
            .map(|(i, a)| if i == 0 {
                "—".to_string()
            } else {
                pct(s.arms[&a.name].metrics.takeup_share)
            })
            .collect::<Vec<_>>()
            .join(" | ")
    );
    for (t, _) in sc.high_reclaim_thresholds.iter().enumerate() {
        let key = sc.high_reclaim_thresholds[t].whole_euros().to_string();
        let _ = writeln!(
            o,
            "| share with a reclaim above {} | {} |",
            euro0(sc.high_reclaim_thresholds[t].whole_euros() as f64),
            s.arm_order
                .iter()
                .map(|a| pct(s.arms[a].metrics.high_reclaim_shares[&key]))
                .collect::<Vec<_>>()
                .join(" | ")
        );
    }
}

/// By household type: reclaim shares, mean reclaims and repayments.
/// Each arm's recipient households by decile of the applicant's actual income
/// (`arms.<arm>.by_income_decile`): the reclaim share, and the mean net settlement with the
/// advance withheld behind it. Absent for summaries without deciles.
pub(super) fn by_income_decile(o: &mut String, s: &Summary) {
    let Some(control) = s.arms.get(&s.arm_order[0]) else {
        return;
    };
    if control.by_income_decile.is_empty() {
        return;
    }
    let _ = writeln!(o, "\n## By income decile\n");
    let _ = writeln!(
        o,
        "Deciles of the applicant's actual annual income among the control arm's recipient households (the same bounds in every arm; recipient households in the control arm in brackets). Share with a reclaim:\n"
    );
    let bounds = |d: &crate::analysis::summary::DecileRow| match d.income_to {
        Some(to) => format!(
            "{}: {} to {}",
            d.decile,
            euro0(d.income_from as f64),
            euro0(to as f64)
        ),
        None => format!("{}: {} and more", d.decile, euro0(d.income_from as f64)),
    };
    let cell = |arm: &str, i: usize, f: &dyn Fn(&crate::analysis::summary::DecileRow) -> String| {
        s.arms[arm]
            .by_income_decile
            .get(i)
            .map(f)
            .unwrap_or_else(|| "—".into())
    };
    let _ = writeln!(o, "| decile | {} |", s.arm_order.join(" | "));
    let _ = writeln!(o, "| --- |{}", " ---: |".repeat(s.arm_order.len()));
    for (i, d) in control.by_income_decile.iter().enumerate() {
        let _ = writeln!(
            o,
            "| {} ({}) | {} |",
            bounds(d),
            crate::model::money::group_thousands(d.households),
            s.arm_order
                .iter()
                .map(|a| cell(a, i, &|r| pct(r.reclaim_share)))
                .collect::<Vec<_>>()
                .join(" | ")
        );
    }
    let _ = writeln!(
        o,
        "\nMean net settlement per recipient household (back-payment − collected reclaim; positive: the household is paid at the definitive award), with the mean advance withheld during the year against the full advance in brackets:\n"
    );
    let _ = writeln!(o, "| decile | {} |", s.arm_order.join(" | "));
    let _ = writeln!(o, "| --- |{}", " ---: |".repeat(s.arm_order.len()));
    for (i, d) in control.by_income_decile.iter().enumerate() {
        let _ = writeln!(
            o,
            "| {} | {} |",
            bounds(d),
            s.arm_order
                .iter()
                .map(|a| cell(a, i, &|r| format!(
                    "{} ({} withheld)",
                    signed_euro(r.mean_net_settlement),
                    euro0(r.mean_withheld)
                )))
                .collect::<Vec<_>>()
                .join(" | ")
        );
    }
    let _ = writeln!(
        o,
        "\nEvery decile's numbers, with the mean reclaim and back-payment: `arms.<arm>.by_income_decile` in summary.json and `arms.csv`; the effect on the reclaim share per decile with its interval: \"Subgroup effects\" and the chart `effect_by_decile`."
    );
}

/// Winners and losers: per treatment arm and income decile, the shares with less, the same and
/// more cash than under control, in the benefit year and after its settlement.
pub(super) fn winners_losers(o: &mut String, s: &Summary) {
    if s.winners_losers.is_empty() {
        if s.design == "randomized" && s.arm_order.len() > 1 {
            let _ = writeln!(
                o,
                "\n## Better or worse off in cash\n\nNot available in the randomized design: each household lives under one arm, so its change against control is not observed. Run the paired design for the winners-and-losers table."
            );
        }
        return;
    }
    let th = s.winners_losers[0].threshold;
    let _ = writeln!(o, "\n## Better or worse off in cash\n");
    let _ = writeln!(
        o,
        "Each recipient household compared with itself under control (paired design): worse off / the same / better off in cash, where a change of at most {} either way counts as the same. *In the benefit year*: the advances paid (net of in-year corrections). *After settlement*: advances + back-payment − collected reclaim. The definitive award follows what really happened, the same under both arms unless an arm changes who applies, so after settlement a difference comes mostly from reclaims below the small-reclaim threshold, which are not collected (a household overpaid by a small amount keeps it). Descriptive: counts, no test. Deciles as above; data: `winners_losers` in summary.json and the chart `winners_losers`.\n",
        euro0(th as f64)
    );
    for c in &s.winners_losers {
        let _ = writeln!(
            o,
            "**{} vs {}**\n\n| decile | households | benefit year: worse | same | better | after settlement: worse | same | better |\n| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
            c.arm, c.vs
        );
        for r in c.by_income_decile.iter().chain(std::iter::once(&c.all)) {
            let label = match (r.decile, r.income_to) {
                (None, _) => "all".to_string(),
                (Some(d), Some(to)) => format!(
                    "{d}: {} to {}",
                    euro0(r.income_from as f64),
                    euro0(to as f64)
                ),
                (Some(d), None) => format!("{d}: {} and more", euro0(r.income_from as f64)),
            };
            let _ = writeln!(
                o,
                "| {label} | {} | {} | {} | {} | {} | {} | {} |",
                crate::model::money::group_thousands(r.households),
                pct(r.in_year.worse),
                pct(r.in_year.unchanged),
                pct(r.in_year.better),
                pct(r.after_settlement.worse),
                pct(r.after_settlement.unchanged),
                pct(r.after_settlement.better),
            );
        }
        let _ = writeln!(o);
    }
}

pub(super) fn by_household_type(o: &mut String, s: &Summary) {
    let _ = writeln!(o, "\n## By household type\n");
    let _ = writeln!(
        o,
        "Share of recipient households with a reclaim (recipient households in the control arm in brackets).\n"
    );
    let _ = writeln!(o, "| household type | {} |", s.arm_order.join(" | "));
    let _ = writeln!(o, "| --- |{}", " ---: |".repeat(s.arm_order.len()));
    for t in HOUSEHOLD_TYPES {
        let n = s.arms[&s.arm_order[0]].by_household_type[t].recipients;
        let _ = writeln!(
            o,
            "| {} ({}) | {} |",
            t,
            crate::model::money::group_thousands(n),
            s.arm_order
                .iter()
                .map(|a| pct(s.arms[a].by_household_type[t].reclaim_share))
                .collect::<Vec<_>>()
                .join(" | ")
        );
    }
    let _ = writeln!(
        o,
        "\nMean reclaim among households with one, and monthly repayment:\n"
    );
    let _ = writeln!(o, "| household type | {} |", s.arm_order.join(" | "));
    let _ = writeln!(o, "| --- |{}", " ---: |".repeat(s.arm_order.len()));
    for t in HOUSEHOLD_TYPES {
        let _ = writeln!(
            o,
            "| {} | {} |",
            t,
            s.arm_order
                .iter()
                .map(|a| {
                    let m = &s.arms[a].by_household_type[t];
                    format!(
                        "{} ({}/month)",
                        euro0(m.mean_reclaim),
                        euro0(m.mean_repayment_monthly)
                    )
                })
                .collect::<Vec<_>>()
                .join(" | ")
        );
    }
}

/// Among households that took the offer: paired, the same households under control; randomized,
/// the complier average causal effect.
pub(super) fn took_offer(o: &mut String, s: &Summary) {
    let took: Vec<&Comparison> = s
        .comparisons
        .iter()
        .filter(|c| c.population == "took_offer")
        .collect();
    if !took.is_empty() {
        let _ = writeln!(o, "\n## Among households that took the offer\n");
        if s.design == "paired" {
            let _ = writeln!(
                o,
                "The same recipient households under the control arm (paired design). These comparisons are in the Holm-adjusted family.\n"
            );
        } else {
            let _ = writeln!(
                o,
                "Complier average causal effect (randomized design): the effect among the recipient households that take the offer, estimated as the intention-to-treat effect divided by the arm's take-up share (Wald/instrumental-variable estimator, Fieller interval). It assumes the offer changes nothing for households that do not take it, and that control households cannot take it. The control column is the takers' value implied without the offer (takers' value − effect). These comparisons are in the Holm-adjusted family.\n"
            );
        }
        let _ = writeln!(o, "| arm | metric | control | arm | difference | 95% CI | p-value | adjusted p |\n| --- | --- | ---: | ---: | ---: | --- | ---: | ---: |");
        for c in took {
            let is_share = is_share(c);
            let f = |x: f64| if is_share { pct(x) } else { euro0(x) };
            let d = |x: f64| if is_share { pp(x) } else { signed_euro(x) };
            let (cc, tt) = if is_share {
                (f(c.control), f(c.treatment))
            } else {
                ("—".into(), "—".into())
            };
            let (diff, ci, p) = estimate_cells(c, d);
            let _ = writeln!(
                o,
                "| {} | {} | {} | {} | {} | {} | {} | {} |",
                c.arm,
                metric_label(&c.metric),
                cc,
                tt,
                diff,
                ci,
                p,
                c.p_adjusted.map(p_text).unwrap_or_else(|| "—".into())
            );
        }
    }
}

/// Conclusion: one sentence per headline share comparison. "Significant" only by the
/// Holm-adjusted p-value; every amount with its interval.
pub(super) fn conclusion(o: &mut String, s: &Summary) {
    let _ = writeln!(o, "\n## Conclusion\n");
    let _ = writeln!(o, "Among recipient households; {} comparisons were tested, and a change is called significant only when its Holm-adjusted p-value is below 0.05.\n", s.family_size);
    for c in s.comparisons.iter().filter(|c| {
        c.population == "all"
            && s.vs_control(c)
            && (c.is(Metric::ReclaimShare) || c.is(Metric::HighReclaimShare))
    }) {
        conclusion_line(o, s, c);
    }
    let _ = writeln!(o, "\nThese are simulated households, not observed ones: the effects follow from the scenario's assumptions about shocks, reporting and take-up listed below. The intervals show simulation and sampling noise only, not the uncertainty of those assumptions.");
    if let Some((lo, hi, n)) = s
        .selection_sensitivity
        .as_ref()
        .and_then(|sens| sens.range_over_rows())
    {
        let share = is_share_key(&s.primary_metric);
        let d = |x: f64| if share { pp(x) } else { signed_euro(x) };
        let _ = writeln!(o, "Who takes the offer alone moves the primary effect between {} and {} across the {n} selection assumptions of \"Who takes the offer\" above.", d(lo), d(hi));
    }
}

/// One arm's sentence on a share comparison.
fn conclusion_line(o: &mut String, s: &Summary, c: &Comparison) {
    let what = if c.is(Metric::ReclaimShare) {
        "the share of recipient households with a reclaim".to_string()
    } else {
        format!(
            "the share with a reclaim above {}",
            euro0(s.high_reclaim_threshold as f64)
        )
    };
    let (Some(diff), Some(lo), Some(hi), Some(p)) = (c.difference, c.ci_low, c.ci_high, c.p_value)
    else {
        let _ = writeln!(o, "- **{}**: {} cannot be compared with control: {}. An arm or the control group has too few households (or no variation) for a difference, confidence interval or test; give it more households (`households`, or its assignment `share` in the randomized design).",
            c.arm, what, not_estimable_text(c));
        return;
    };
    let adj = c.p_adjusted.unwrap_or(p);
    let primary = if c.primary {
        " (primary comparison)"
    } else {
        ""
    };
    let withheld = if c.is(Metric::ReclaimShare) {
        withheld_text(s, &c.arm)
    } else {
        String::new()
    };
    if adj < 0.05 && diff != 0.0 {
        let _ = writeln!(o, "- **{}**{}: {} {} from {} to {} ({}; 95% CI {} to {}; p {}, adjusted {}). The difference is statistically significant at the 5% level after correction for {} comparisons{}.",
            c.arm, primary, what, if diff < 0.0 { "falls" } else { "rises" }, pct(c.control), pct(c.treatment), pp(diff),
            pp(lo), pp(hi), p_text(p), p_text(adj), s.family_size, withheld);
    } else if lo > 0.0 || hi < 0.0 {
        let _ = writeln!(o, "- **{}**{}: {} changes from {} to {} ({}; 95% CI {} to {}; p {}, adjusted {}). The interval excludes no change, but after correction for {} comparisons the difference is not statistically significant at the 5% level{}.",
            c.arm, primary, what, pct(c.control), pct(c.treatment), pp(diff), pp(lo), pp(hi), p_text(p), p_text(adj), s.family_size, withheld);
    } else {
        let _ = writeln!(o, "- **{}**{}: {} changes from {} to {} ({}; 95% CI {} to {}; p {}, adjusted {}). This difference is not statistically significant at the 5% level (the interval includes no change): the simulation cannot distinguish it from no effect{}.",
            c.arm, primary, what, pct(c.control), pct(c.treatment), pp(diff), pp(lo), pp(hi), p_text(p), p_text(adj), withheld);
    }
}

/// "; in exchange households receive on average €X (95% CI …) less during the year", from the
/// arm's `withheld_during_year` comparison (empty when nothing is withheld).
fn withheld_text(s: &Summary, arm: &str) -> String {
    let Some(w) = s.comparisons.iter().find(|c| {
        c.arm == arm
            && s.vs_control(c)
            && c.metric == "withheld_during_year"
            && c.population == "all"
    }) else {
        return String::new();
    };
    match (w.difference, w.ci_low, w.ci_high) {
        (Some(d), Some(lo), Some(hi)) if d > 0.0 => format!(
            "; in exchange recipient households receive on average {} less during the year (95% CI {} to {})",
            euro0(d),
            euro0(lo),
            euro0(hi)
        ),
        _ => String::new(),
    }
}

/// Pilot size per arm, with its range.
pub(super) fn pilot(o: &mut String, s: &Summary) {
    use crate::model::money::group_thousands as n;
    let _ = writeln!(o, "\n## Pilot size\n");
    let _ = writeln!(o, "Households per arm a randomized pilot would need to detect the simulated change in the reclaim share with 80% power at 5% significance (two-sided, normal approximation), with its range: the sizes for the bounds of the effect's 95% interval or, with replications, the smallest and largest across them. The power-curve chart shows the power at every size.\n");
    for (arm, size) in &s.pilot_households_per_arm {
        let not_estimable = s
            .comparison(arm, Metric::ReclaimShare, "all")
            .filter(|c| c.not_estimable.is_some());
        let range = s.pilot_size_range.get(arm);
        let text = match (size, not_estimable) {
            (Some(size), _) => {
                let basis = range.map(|r| r.basis.as_str()).unwrap_or("");
                match range.map(|r| (r.low, r.high)) {
                    Some((Some(lo), Some(hi))) => {
                        format!("{} (range {} to {}: {basis})", n(*size), n(lo), n(hi))
                    }
                    Some((Some(lo), None)) => format!(
                        "{} (range {} to unbounded: {basis}; the simulation cannot exclude no effect, so no pilot size is sure to be enough)",
                        n(*size),
                        n(lo)
                    ),
                    _ => n(*size),
                }
            }
            (None, Some(c)) => not_estimable_text(c),
            (None, None) => "no simulated difference to detect".into(),
        };
        let _ = writeln!(o, "- {arm}: {text}");
    }
}

/// Assumptions and approximations in force.
pub(super) fn assumptions(o: &mut String, sc: &Scenario, s: &Summary) {
    let _ = writeln!(o, "\n## Assumptions and approximations in force\n");
    let _ = writeln!(o, "- Rules: {} for {}, parameters from `parameters/{}.toml` (each with its public source; `toeslagenlab params --year {}` lists them).", s.benefits.join(" and "), s.year, s.year, s.year);
    for (k, p) in sc.parameter_set.uncertain() {
        let _ = writeln!(
            o,
            "- **Uncertain parameter** `{}` = {} {} ({}).",
            k, p.value, p.unit, p.source
        );
    }
    if sc.overrides.is_empty() {
        let _ = writeln!(o, "- No parameter overrides: the law as in force.");
    }
    for ov in &sc.overrides {
        let _ = writeln!(
            o,
            "- **Reform**: `{}.{}` changed from {} to {} ({}).",
            ov.group, ov.key, ov.from, ov.to, ov.unit
        );
    }
    let b = &sc.behaviour;
    let _ = writeln!(o, "- Reporting (assumption): {}. A change counts from the month after it happens (Awir art. 5) and is used for the advance from the month after the report.", crate::model::scenario::ChangeType::ALL.iter().filter(|t| (**t as usize) < crate::model::scenario::N_CLASSIC_CHANGE_TYPES || sc.shocks.iter().any(|sh| sh.kind.own_change_type() == Some(**t))).map(|t| { let (lo, hi) = b.delay[*t as usize]; format!("{} reported with probability {}, delay {}–{} months", t.name(), b.p(*t), lo, hi) }).collect::<Vec<_>>().join("; "));
    if b.unaware_income_share > 0.0 {
        let _ = writeln!(o, "- A share of {} of households does not know it must report income changes and never reports them (docs/rules.md §6 survey: 50%).", b.unaware_income_share);
    }
    o.push_str(&crate::sim::interventions::assumptions_md(sc));
    let file = if sc.path.is_absolute() {
        sc.path
            .file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned())
    } else {
        sc.path.display().to_string()
    };
    match &sc.uncertainty {
        Some(u) if !u.assumptions.is_empty() => {
            let _ = writeln!(o, "- **How sure are we**: this report's intervals are simulation noise only. `toeslagenlab uncertainty {file}` draws the scenario's {} uncertain assumptions of `[uncertainty]` ({}) together and gives every effect's total interval, the share of draws that keep its sign and conclusion, and what drives it (docs/uncertainty.md).", u.assumptions.len(), u.assumptions.iter().map(|a| format!("`{}`", a.key)).collect::<Vec<_>>().join(", "));
        }
        _ => {
            let _ = writeln!(o, "- **How sure are we**: this report's intervals are simulation noise only. List the uncertain assumptions in an `[uncertainty]` table and run `toeslagenlab uncertainty {file}` for every effect's interval over them (docs/uncertainty.md).");
        }
    }
    o.push_str(&crate::sim::events::assumptions_md(sc));
    let _ = writeln!(
        o,
        "- Shocks (assumption): {}.",
        sc.shocks
            .iter()
            .map(|sh| format!("{} with probability {}", sh.kind.name(), sh.probability))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let _ = writeln!(o, "- The household's own income estimate at the start of the year is drawn around its actual income (assumption); after reporting an income change it estimates correctly from then on.");
    let _ = writeln!(o, "- Rounding: annual awards half-up to whole euros, nothing below €24 (Awir art. 14); monthly advance floor(annual/12); a reduced advance is floor(award × percentage) a year. The rounding remainder of up to €11 per benefit is paid as a small back-payment at the definitive award.");
    let _ = writeln!(o, "- Reclaims up to the small-reclaim threshold per benefit are not collected and do not count as a reclaim here; the repayment burden is the standard plan's monthly instalment.");
}

/// Who takes the offer: the primary comparison under the scenario's selection into the offer
/// and under the other selection strengths (`summary.selection_sensitivity`).
pub(super) fn selection(o: &mut String, s: &Summary) {
    let Some(sens) = &s.selection_sensitivity else {
        return;
    };
    let share = is_share_key(&sens.metric);
    let f = |x: f64| if share { pct(x) } else { euro0(x) };
    let d = |x: f64| if share { pp(x) } else { signed_euro(x) };
    let _ = writeln!(
        o,
        "\n## Who takes the offer: the headline under other selection assumptions\n"
    );
    let _ = writeln!(o, "Who takes an offered reduced advance is an assumption: the lab reports how many households took the offer, not which. Each row simulates the same households with the same seed and draws, and changes only which households take the offer and which percentage they choose (`[behaviour.selection]`, docs/behaviour.md \"Selection into the offer\"); the arm's overall take-up is the same in every row. The intervals are each run's sampling noise only; the spread between the rows is how far this assumption moves the answer. Intention to treat, among recipient households: {}.\n", metric_label(&sens.metric));
    let _ = writeln!(o, "| selection | arm | took the offer | control | arm | difference | 95% CI |\n| --- | --- | ---: | ---: | ---: | ---: | --- |");
    for r in &sens.rows {
        for (arm, e) in &r.arms {
            let (diff, ci) = match (e.difference, e.ci_low, e.ci_high) {
                (Some(x), Some(lo), Some(hi)) => (d(x), format!("{} to {}", d(lo), d(hi))),
                _ => ("not estimable".into(), "—".into()),
            };
            let _ = writeln!(
                o,
                "| {}{} | {} | {} | {} | {} | {} | {} |",
                r.label,
                if r.scenario { " (this scenario)" } else { "" },
                arm,
                pct(e.takeup_share),
                f(e.control),
                f(e.treatment),
                diff,
                ci
            );
        }
    }
    let _ = writeln!(o);
    for arm in sens.arms() {
        if let Some((lo, hi, n)) = sens.range(arm) {
            let _ = writeln!(
                o,
                "Across these {n} selection assumptions the effect of {arm} runs from {} to {}.",
                d(lo),
                d(hi)
            );
        }
    }
    let _ = writeln!(o);
}
