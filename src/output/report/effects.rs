//! The report's sections on effects beyond each arm against control: treatment arms compared
//! with each other, and the exploratory subgroup effects with their interaction tests.
//!
//! Must not: compute statistics (they come ready in the [`Summary`]).

use super::{estimate_cells, is_share, metric_label};
use crate::analysis::subgroups::SubgroupEffect;
use crate::output::format::{euro0, p_text, pct_adaptive as pct, pp_adaptive as pp, signed_euro};
use crate::output::report::Summary;
use std::fmt::Write as _;

/// Every pair of treatment arms (the later arm against the earlier), in the family.
pub(super) fn between_arms(o: &mut String, s: &Summary) {
    let rows: Vec<_> = s.comparisons.iter().filter(|c| !s.vs_control(c)).collect();
    if rows.is_empty() {
        return;
    }
    let _ = writeln!(o, "\n## Treatment arms compared with each other\n");
    let _ = writeln!(o, "Every pair of treatment arms, intention to treat among recipient households{}. These comparisons are in the same Holm-adjusted family of {} comparisons as those against control.\n",
        if s.design == "paired" { " (paired design: the same households under both arms)" } else { "" },
        s.family_size);
    let _ = writeln!(o, "| arm | vs | metric | reference | arm | difference | 95% CI | p-value | adjusted p |\n| --- | --- | --- | ---: | ---: | ---: | --- | ---: | ---: |");
    for c in rows {
        let share = is_share(c);
        let f = |x: f64| if share { pct(x) } else { euro0(x) };
        let d = |x: f64| if share { pp(x) } else { signed_euro(x) };
        let (diff, ci, p) = estimate_cells(c, d);
        let _ = writeln!(
            o,
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            c.arm,
            c.vs,
            metric_label(&c.metric),
            f(c.control),
            f(c.treatment),
            diff,
            ci,
            p,
            c.p_adjusted.map(p_text).unwrap_or_else(|| "—".into())
        );
    }
}

/// Subgroup effects: one table per arm, metric and dimension, with its interaction test.
pub(super) fn subgroups(o: &mut String, s: &Summary) {
    if s.subgroups.is_empty() {
        return;
    }
    let _ = writeln!(o, "\n## Subgroup effects (exploratory)\n");
    let _ = writeln!(o, "Each arm against control within groups of recipient households. These are outside the family of comparisons: read the interaction test first. Only when it rejects \"the same effect in every group\" do the groups' differences show that the effect differs between groups; a group's own interval can exclude zero by chance when many groups are looked at. Group p-values are Holm-adjusted within each table.\n");
    for e in &s.subgroups {
        subgroup_table(o, e);
    }
}

fn subgroup_table(o: &mut String, e: &SubgroupEffect) {
    let share = e.metric == "reclaim_share";
    let f = |x: f64| if share { pct(x) } else { euro0(x) };
    let d = |x: f64| if share { pp(x) } else { signed_euro(x) };
    let _ = writeln!(
        o,
        "**{} vs {}: {} by {}** — interaction test p {}.\n",
        e.arm,
        e.vs,
        metric_label(&e.metric),
        e.dimension.replace('_', " "),
        match e.interaction_p {
            Some(p) => p_text(p),
            None if e.dimension == "benefit" => "— (none: the benefit groups overlap, a household that receives two benefits is in both; each group: the households receiving the benefit (in the paired design: under control), their reclaim on that benefit)".into(),
            None => "— (fewer than two groups with a variance)".into(),
        }
    );
    let _ = writeln!(o, "| group | households (control / arm) | control | arm | difference | 95% CI | adjusted p |\n| --- | ---: | ---: | ---: | ---: | --- | ---: |");
    for g in &e.groups {
        let (diff, ci) = match (g.difference, g.ci_low, g.ci_high) {
            (Some(x), Some(lo), Some(hi)) => (d(x), format!("{} to {}", d(lo), d(hi))),
            _ => (
                format!(
                    "not estimable ({})",
                    g.not_estimable.as_deref().unwrap_or("no estimate")
                ),
                "—".into(),
            ),
        };
        let _ = writeln!(
            o,
            "| {} | {} / {} | {} | {} | {} | {} | {} |",
            g.group.replace('_', " "),
            crate::model::money::group_thousands(g.n_control),
            crate::model::money::group_thousands(g.n_treatment),
            f(g.control),
            f(g.treatment),
            diff,
            ci,
            g.p_adjusted.map(p_text).unwrap_or_else(|| "—".into())
        );
    }
    let _ = writeln!(o);
}
