//! The report's sections on effects beyond each arm against control: treatment arms compared
//! with each other, and the exploratory subgroup effects with their interaction tests.
//!
//! Must not: compute statistics (they come ready in the [`Summary`]).

use super::{
    dimension_label, estimate_cells, is_share, metric_label, not_estimable_reason, range_text,
    subgroup_label,
};
use crate::analysis::subgroups::SubgroupEffect;
use crate::output::format::{
    euro0, p_text, pct_adaptive as pct, pp_adaptive as pp, signed_euro, thousands,
};
use crate::output::lang::pick;
use crate::output::report::Summary;
use crate::tr;
use std::fmt::Write as _;

/// Every pair of treatment arms (the later arm against the earlier), in the family.
pub(super) fn between_arms(o: &mut String, s: &Summary) {
    let rows: Vec<_> = s.comparisons.iter().filter(|c| !s.vs_control(c)).collect();
    if rows.is_empty() {
        return;
    }
    let _ = writeln!(
        o,
        "{}",
        pick(
            "\n## Treatment arms compared with each other\n",
            "\n## Experimentele varianten onderling vergeleken\n"
        )
    );
    let paired = if s.design == "paired" {
        pick(
            " (paired design: the same households under both arms)",
            " (gepaard ontwerp: dezelfde huishoudens onder beide varianten)",
        )
    } else {
        ""
    };
    let k = s.family_size;
    let _ = writeln!(o, "{}", tr!(
        "Every pair of treatment arms, intention to treat among recipient households{paired}. These comparisons are in the same Holm-adjusted family of {k} comparisons as those against control.\n",
        "Elk paar experimentele varianten, intention-to-treat onder huishoudens met toeslag{paired}. Deze vergelijkingen horen bij dezelfde Holm-gecorrigeerde familie van {k} vergelijkingen als die tegenover de controlegroep.\n"
    ));
    let _ = writeln!(o, "{}", pick(
        "| arm | vs | metric | reference | arm | difference | 95% CI | p-value | adjusted p |\n| --- | --- | --- | ---: | ---: | ---: | --- | ---: | ---: |",
        "| variant | tegenover | maatstaf | referentie | variant | verschil | 95%-BI | p-waarde | gecorrigeerde p |\n| --- | --- | --- | ---: | ---: | ---: | --- | ---: | ---: |",
    ));
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
    let _ = writeln!(
        o,
        "{}",
        pick(
            "\n## Subgroup effects (exploratory)\n",
            "\n## Effecten per subgroep (verkennend)\n"
        )
    );
    let _ = writeln!(o, "{}", pick(
        "Each arm against control within groups of recipient households. These are outside the family of comparisons: read the interaction test first. Only when it rejects \"the same effect in every group\" do the groups' differences show that the effect differs between groups; a group's own interval can exclude zero by chance when many groups are looked at. Group p-values are Holm-adjusted within each table.\n",
        "Elke variant tegenover de controlegroep binnen groepen huishoudens met toeslag. Deze effecten vallen buiten de familie van vergelijkingen: lees eerst de interactietoets. Alleen als die \"hetzelfde effect in elke groep\" verwerpt, laten de verschillen tussen de groepen zien dat het effect per groep verschilt; het eigen interval van een groep kan bij toeval nul uitsluiten als naar veel groepen wordt gekeken. De p-waarden van de groepen zijn binnen elke tabel gecorrigeerd volgens Holm.\n",
    ));
    for e in &s.subgroups {
        subgroup_table(o, e);
    }
}

fn subgroup_table(o: &mut String, e: &SubgroupEffect) {
    let share = e.metric == "reclaim_share";
    let f = |x: f64| if share { pct(x) } else { euro0(x) };
    let d = |x: f64| if share { pp(x) } else { signed_euro(x) };
    let (arm, vs, metric, dim) = (
        &e.arm,
        &e.vs,
        metric_label(&e.metric),
        dimension_label(&e.dimension),
    );
    let p = match e.interaction_p {
        Some(p) => p_text(p),
        None if e.dimension == "benefit" => pick(
            "— (none: the benefit groups overlap, a household that receives two benefits is in both; each group: the households receiving the benefit (in the paired design: under control), their reclaim on that benefit)",
            "— (geen: de groepen per toeslag overlappen, een huishouden met twee toeslagen zit in beide; elke groep: de huishoudens die de toeslag ontvangen (in het gepaarde ontwerp: onder de controlegroep), met hun terugvordering op die toeslag)",
        )
        .into(),
        None => pick(
            "— (fewer than two groups with a variance)",
            "— (minder dan twee groepen met een variantie)",
        )
        .into(),
    };
    let _ = writeln!(
        o,
        "{}",
        tr!(
            "**{arm} vs {vs}: {metric} by {dim}** — interaction test p {p}.\n",
            "**{arm} tegenover {vs}: {metric} naar {dim}** — interactietoets p {p}.\n"
        )
    );
    let _ = writeln!(o, "{}", pick(
        "| group | households (control / arm) | control | arm | difference | 95% CI | adjusted p |\n| --- | ---: | ---: | ---: | ---: | --- | ---: |",
        "| groep | huishoudens (controlegroep / variant) | controlegroep | variant | verschil | 95%-BI | gecorrigeerde p |\n| --- | ---: | ---: | ---: | ---: | --- | ---: |",
    ));
    for g in &e.groups {
        let (diff, ci) = match (g.difference, g.ci_low, g.ci_high) {
            (Some(x), Some(lo), Some(hi)) => (d(x), range_text(&d(lo), &d(hi))),
            _ => (not_estimable_reason(g.not_estimable.as_deref()), "—".into()),
        };
        let _ = writeln!(
            o,
            "| {} | {} / {} | {} | {} | {} | {} | {} |",
            subgroup_label(&e.dimension, &g.group),
            thousands(g.n_control),
            thousands(g.n_treatment),
            f(g.control),
            f(g.treatment),
            diff,
            ci,
            g.p_adjusted.map(p_text).unwrap_or_else(|| "—".into())
        );
    }
    let _ = writeln!(o);
}
