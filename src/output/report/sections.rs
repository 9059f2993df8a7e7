//! `report.md` section by section: one function per section, each appending its Markdown to
//! the report in order.
//!
//! Must not: compute statistics (they come ready in the [`Summary`]) or run the simulation.

use super::{
    benefit_label, benefit_list, decile_bounds_text, design_label, estimate_cells,
    household_type_label, intervention_label, is_share, is_share_key, method_label, metric_label,
    not_estimable_text, policy_label, range_text, recalculation_label,
};
use crate::model::metric::Metric;
use crate::model::scenario::{AdvancePolicy, Design, Scenario, HOUSEHOLD_TYPES};
use crate::output::format::{
    euro0, localize_number, num, p_text, pct_adaptive as pct, pp_adaptive as pp, pp_unit,
    signed_euro, thousands,
};
use crate::output::lang::pick;
use crate::output::report::{Comparison, Metrics, Summary};
use crate::tr;
use std::fmt::Write as _;

/// Appends `text` and a newline (as `writeln!` does).
fn line(o: &mut String, text: impl AsRef<str>) {
    o.push_str(text.as_ref());
    o.push('\n');
}

/// A number as Rust's `Display` writes it (`0.3`, `1500`), in the current language (`0,3`).
fn plain(x: impl std::fmt::Display) -> String {
    localize_number(&x.to_string())
}

/// A comparison's population (`all`, `took_offer`) as a table cell.
fn population_label(p: &str) -> String {
    match (crate::output::lang::current(), p) {
        (crate::output::lang::Lang::Nl, "all") => "alle".into(),
        (crate::output::lang::Lang::Nl, "took_offer") => "nam het aanbod aan".into(),
        _ => p.replace('_', " "),
    }
}

/// The header of a table of comparisons against control (the headline and the takers).
fn comparison_header() -> &'static str {
    pick(
        "| arm | metric | control | arm | difference | 95% CI | p-value | adjusted p |\n| --- | --- | ---: | ---: | ---: | --- | ---: | ---: |",
        "| variant | maatstaf | controlegroep | variant | verschil | 95%-BI | p-waarde | gecorrigeerde p |\n| --- | --- | ---: | ---: | ---: | --- | ---: | ---: |",
    )
}

/// The title, the description and the scenario table.
pub(super) fn scenario(o: &mut String, sc: &Scenario, s: &Summary) {
    let _ = writeln!(o, "# {}\n", s.scenario);
    if let Some(d) = &sc.description {
        let _ = writeln!(o, "{}\n", d.trim());
    }
    line(o, "## Scenario\n");
    line(o, "| | |\n| --- | --- |");
    let year = s.year;
    line(
        o,
        tr!("| benefit year | {year} |", "| toeslagjaar | {year} |"),
    );
    let n = thousands(s.households);
    line(o, tr!("| households | {n} |", "| huishoudens | {n} |"));
    match crate::output::lang::current() {
        crate::output::lang::Lang::En => {
            let _ = writeln!(o, "| design | {} ({}) |", s.design, match sc.design {
                Design::Paired => "every household under every arm with the same random draws; comparisons within household",
                Design::Randomized => "each household assigned to one arm; comparisons between groups",
            });
        }
        crate::output::lang::Lang::Nl => {
            let _ = writeln!(o, "| ontwerp | {} ({}) |", design_label(s.design), match sc.design {
                Design::Paired => "elk huishouden onder elke variant, met dezelfde toevalstrekkingen; vergelijkingen binnen het huishouden",
                Design::Randomized => "elk huishouden ingedeeld bij één variant; vergelijkingen tussen groepen",
            });
        }
    }
    let seed = s.seed;
    line(
        o,
        tr!("| seed | {seed} |", "| seed (startwaarde) | {seed} |"),
    );
    let control = &s.arms[&s.arm_order[0]].metrics;
    let (r, h) = (thousands(control.recipients), thousands(control.households));
    line(o, tr!(
        "| who is counted | recipient households: at least one toeslag in the year ({r} of {h} households in the control arm); households without any toeslag are left out of every share and mean unless a row says \"all households\" |",
        "| wie telt mee | huishoudens met toeslag: ten minste één toeslag in het jaar ({r} van de {h} huishoudens in de controlegroep); huishoudens zonder toeslag tellen in geen enkel aandeel of gemiddelde mee, tenzij een rij \"alle huishoudens\" vermeldt |"
    ));
    let th = euro0(s.backpay_threshold as f64);
    line(o, tr!(
        "| back-payment | a benefit's back-payment above {th} (`backpay_threshold`; up to €11 is the rounding remainder of floor(annual / 12) monthly advances, paid but not counted) |",
        "| nabetaling | de nabetaling op een toeslag boven {th} (`backpay_threshold`; tot €11 is het afrondingsverschil van maandvoorschotten van floor(jaarbedrag / 12), wel uitbetaald maar niet meegeteld) |"
    ));
    let (k, primary) = (s.family_size, metric_label(&s.primary_metric));
    line(o, tr!(
        "| comparisons | {k} tested comparisons in one family, p-values Holm-adjusted; primary: {primary} of each arm vs control |",
        "| vergelijkingen | {k} getoetste vergelijkingen in één familie, p-waarden gecorrigeerd volgens Holm; primair: {primary}, elke variant tegenover de controlegroep |"
    ));
    let benefits = s
        .benefits
        .iter()
        .map(|b| benefit_label(b))
        .collect::<Vec<_>>()
        .join(", ");
    line(
        o,
        tr!("| benefits | {benefits} |", "| toeslagen | {benefits} |"),
    );
    let recalc = recalculation_label(s.recalculation);
    line(
        o,
        tr!(
            "| in-year recalculation | {recalc} |",
            "| herberekening in het jaar | {recalc} |"
        ),
    );
    let high = euro0(s.high_reclaim_threshold as f64);
    let also = sc
        .high_reclaim_thresholds
        .iter()
        .map(|t| euro0(t.whole_euros() as f64))
        .collect::<Vec<_>>()
        .join(", ");
    line(
        o,
        tr!(
            "| high reclaim | above {high} (also reported: {also}) |",
            "| hoge terugvordering | boven {high} (ook gerapporteerd: {also}) |"
        ),
    );
    let (path, sha) = (sc.path.display(), sc.sha256.get(..12).unwrap_or(""));
    line(
        o,
        tr!(
            "| scenario file | `{path}` (sha256 {sha}…) |\n",
            "| scenariobestand | `{path}` (sha256 {sha}…) |\n"
        ),
    );
}

/// The arms: advance policy, offered and actual take-up.
pub(super) fn arms(o: &mut String, sc: &Scenario, s: &Summary) {
    line(o, pick("## Arms\n", "## Varianten\n"));
    line(o, pick(
        "| arm | advance | offered take-up | took the offer |\n| --- | --- | --- | --- |",
        "| variant | voorschot | aangeboden deelname | nam het aanbod aan |\n| --- | --- | --- | --- |",
    ));
    for arm in sc.arms.iter() {
        let a = &s.arms[&arm.name];
        let mut policy = policy_label(&arm.policy);
        if arm.is_control() {
            policy.push_str(pick(" (control)", " (controlegroep)"));
        }
        if !arm.interventions.is_empty() {
            let list = arm
                .interventions
                .iter()
                .map(|k| intervention_label(k.name()))
                .collect::<Vec<_>>()
                .join(", ");
            policy.push_str(&tr!("; interventions: {list}", "; interventies: {list}"));
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
    line(
        o,
        pick(
            "\n## Headline: each arm against control\n",
            "\n## Kerncijfers: elke variant tegenover de controlegroep\n",
        ),
    );
    let k = s.family_size;
    line(o, tr!(
        "Intention to treat, among recipient households: every recipient household offered the arm's advance, whether or not it took the offer. The adjusted p-value corrects for the {k} tested comparisons of this report (Holm); a difference is called significant only when its adjusted p-value is below 0.05. The primary comparison is marked.\n",
        "Intention-to-treat, onder huishoudens met toeslag: elk huishouden met toeslag dat het voorschot van de variant aangeboden kreeg, of het het aanbod nu aannam of niet. De gecorrigeerde p-waarde corrigeert voor de {k} getoetste vergelijkingen in dit rapport (Holm); een verschil heet alleen significant als de gecorrigeerde p-waarde onder 0,05 ligt. De primaire vergelijking is gemarkeerd.\n"
    ));
    line(o, comparison_header());
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
            if c.primary {
                pick(" (primary)", " (primair)")
            } else {
                ""
            },
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
    let methods = methods
        .into_iter()
        .map(method_label)
        .collect::<Vec<_>>()
        .join("; ");
    line(
        o,
        tr!("\nMethods: {methods}.\n", "\nMethoden: {methods}.\n"),
    );
}

/// The descriptive rows: reclaim size among households with a reclaim (no test).
fn descriptive(o: &mut String, s: &Summary) {
    let rows: Vec<&Comparison> = s.comparisons.iter().filter(|c| c.descriptive).collect();
    if rows.is_empty() {
        return;
    }
    line(o, pick(
        "\nDescriptive, not tested: the size of reclaims among households with a reclaim. The treatment itself changes who has a reclaim, so these groups differ by arm and a difference is not an effect of the arm; they carry no p-value and are outside the family.\n",
        "\nBeschrijvend, niet getoetst: de omvang van de terugvorderingen bij huishoudens met een terugvordering. De variant verandert zelf wie een terugvordering heeft, dus deze groepen verschillen per variant en een verschil is geen effect van de variant; ze hebben geen p-waarde en vallen buiten de familie.\n",
    ));
    line(o, pick(
        "| arm | metric | control | arm | difference | 95% interval |\n| --- | --- | ---: | ---: | ---: | --- |",
        "| variant | maatstaf | controlegroep | variant | verschil | 95%-interval |\n| --- | --- | ---: | ---: | ---: | --- |",
    ));
    for c in rows {
        let (diff, ci) = match (c.difference, c.ci_low, c.ci_high) {
            (Some(x), Some(lo), Some(hi)) => (
                signed_euro(x),
                range_text(&signed_euro(lo), &signed_euro(hi)),
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
    line(
        o,
        pick(
            "## Monte Carlo error and pooled estimates\n",
            "## Monte-Carlofout en gepoolde schattingen\n",
        ),
    );
    let seed = s.seed;
    line(o, tr!(
        "The figures above, with their intervals and tests, come from the run with seed {seed}. {r} independent replications in all (other seeds, same scenario and size) give the **Monte Carlo standard error** of one run (how much a figure moves from one simulated population to another of the same size) and the **pooled estimate**, the mean over the {r} replications, whose own Monte Carlo standard error is that of one run divided by √{r}.\n",
        "De cijfers hierboven, met hun intervallen en toetsen, komen uit de run met seed {seed}. In totaal {r} onafhankelijke replicaties (andere seeds, hetzelfde scenario en dezelfde omvang) geven de **Monte-Carlostandaardfout** van één run (hoeveel een cijfer verschuift van de ene gesimuleerde populatie naar een andere van dezelfde omvang) en de **gepoolde schatting**, het gemiddelde over de {r} replicaties, met als eigen Monte-Carlostandaardfout die van één run gedeeld door √{r}.\n"
    ));
    let _ = writeln!(
        o,
        "| {} | {} |",
        pick("metric", "maatstaf"),
        s.arm_order.join(" | ")
    );
    let _ = writeln!(o, "| --- |{}", " ---: |".repeat(s.arm_order.len()));
    let pp_se = |x: f64| format!("{} {}", num(x * 100.0, 2), pp_unit());
    let euro_se = |x: f64| format!("€{}", num(x, 2));
    for (key, label, is_share) in [
        (
            "reclaim_share",
            pick("share with a reclaim", "aandeel met een terugvordering"),
            true,
        ),
        (
            "high_reclaim_share",
            pick(
                "share with a high reclaim",
                "aandeel met een hoge terugvordering",
            ),
            true,
        ),
        (
            "mean_reclaim",
            pick("mean reclaim", "gemiddelde terugvordering"),
            false,
        ),
        (
            "median_reclaim",
            pick("median reclaim", "mediane terugvordering"),
            false,
        ),
        (
            "withheld_during_year",
            pick(
                "withheld per household",
                "ingehouden voorschot per huishouden",
            ),
            false,
        ),
    ] {
        let cells: Vec<String> = s
            .arm_order
            .iter()
            .map(|a| {
                let arm = &s.arms[a];
                let se = arm.mc_standard_errors.get(key).copied().unwrap_or(0.0);
                let pooled = arm.pooled.get(key).copied();
                match (pooled, is_share) {
                    (Some(v), true) => format!("{} (± {})", pct(v), pp_se(se)),
                    (Some(v), false) => format!("{} (± {})", euro0(v), euro_se(se)),
                    (None, true) => format!("± {}", pp_se(se)),
                    (None, false) => format!("± {}", euro_se(se)),
                }
            })
            .collect();
        let _ = writeln!(o, "| {} | {} |", label, cells.join(" | "));
    }
    line(
        o,
        pick(
            "\nPooled value (Monte Carlo standard error of one run).\n",
            "\nGepoolde waarde (Monte-Carlostandaardfout van één run).\n",
        ),
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
    line(o, pick("Differences:\n", "Verschillen:\n"));
    line(o, tr!(
        "| arm | vs | metric | population | this run | pooled over {r} | MC SE of one run | MC SE of the pooled |\n| --- | --- | --- | --- | ---: | ---: | ---: | ---: |",
        "| variant | tegenover | maatstaf | populatie | deze run | gepoold over {r} | MC-standaardfout van één run | MC-standaardfout van het gepoolde |\n| --- | --- | --- | --- | ---: | ---: | ---: | ---: |"
    ));
    let sqrt_r = (r as f64).sqrt();
    for c in rows {
        let share = is_share(c);
        let d = |x: f64| if share { pp(x) } else { signed_euro(x) };
        let se = |x: f64| if share { pp_se(x) } else { euro_se(x) };
        let mc = c.mc_se.unwrap_or(0.0);
        let _ = writeln!(
            o,
            "| {} | {} | {} | {} | {} | {} | {} | {} |",
            c.arm,
            c.vs,
            metric_label(&c.metric),
            population_label(c.population),
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
    line(o, pick("## Per arm\n", "## Per variant\n"));
    line(o, pick(
        "Among recipient households (the first row counts every household). A household with a reclaim on one benefit and a back-payment on another counts in both per-benefit shares; the net settlement rows count each household once.\n",
        "Onder huishoudens met toeslag (de eerste rij telt alle huishoudens). Een huishouden met een terugvordering op de ene toeslag en een nabetaling op een andere telt mee in beide aandelen per toeslag; de rijen over het saldo van de vaststelling tellen elk huishouden één keer.\n",
    ));
    let _ = writeln!(
        o,
        "| {} | {} |",
        pick("metric", "maatstaf"),
        s.arm_order.join(" | ")
    );
    let _ = writeln!(o, "| --- |{}", " ---: |".repeat(s.arm_order.len()));
    type Row = (&'static str, &'static str, fn(&Metrics) -> String);
    let rows: Vec<Row> = vec![
        ("households (all)", "huishoudens (alle)", |m| {
            thousands(m.households)
        }),
        (
            "recipient households (counted below)",
            "huishoudens met toeslag (hieronder geteld)",
            |m| thousands(m.recipients),
        ),
        (
            "share with a reclaim",
            "aandeel met een terugvordering",
            |m| pct(m.reclaim_share),
        ),
        (
            "share with a high reclaim",
            "aandeel met een hoge terugvordering",
            |m| pct(m.high_reclaim_share),
        ),
        (
            "mean reclaim (those with one)",
            "gemiddelde terugvordering (bij wie er een heeft)",
            |m| euro0(m.mean_reclaim),
        ),
        ("median reclaim", "mediane terugvordering", |m| {
            euro0(m.median_reclaim)
        }),
        ("P90 reclaim", "terugvordering, 90e percentiel", |m| {
            euro0(m.p90_reclaim)
        }),
        ("P99 reclaim", "terugvordering, 99e percentiel", |m| {
            euro0(m.p99_reclaim)
        }),
        (
            "reclaim as share of monthly income",
            "terugvordering als aandeel van het maandinkomen",
            |m| pct(m.reclaim_income_share),
        ),
        ("total reclaimed", "totaal teruggevorderd", |m| {
            euro0(m.total_reclaimed)
        }),
        (
            "share with a back-payment",
            "aandeel met een nabetaling",
            |m| pct(m.backpay_share),
        ),
        (
            "mean back-payment (those with one)",
            "gemiddelde nabetaling (bij wie er een krijgt)",
            |m| euro0(m.mean_backpay),
        ),
        (
            "net settlement a reclaim (each household once)",
            "saldo van de vaststelling een terugvordering (elk huishouden één keer)",
            |m| pct(m.net_reclaim_share),
        ),
        (
            "net settlement a back-payment (each household once)",
            "saldo van de vaststelling een nabetaling (elk huishouden één keer)",
            |m| pct(m.net_backpay_share),
        ),
        (
            "mean net settlement",
            "gemiddeld saldo van de vaststelling",
            |m| signed_euro(m.mean_net_settlement),
        ),
        (
            "withheld during the year, per household",
            "in het jaar ingehouden voorschot, per huishouden",
            |m| euro0(m.withheld_during_year),
        ),
        (
            "mean gap between award and advances",
            "gemiddeld verschil tussen toekenning en voorschotten",
            |m| euro0(m.mean_abs_gap),
        ),
        (
            "monthly repayment (those with a reclaim)",
            "maandelijkse aflossing (bij een terugvordering)",
            |m| euro0(m.mean_repayment_monthly),
        ),
        (
            "share with an in-year reclaim",
            "aandeel met een terugvordering in het jaar",
            |m| pct(m.in_year_reclaim_share),
        ),
    ];
    for (en, nl, f) in &rows {
        let _ = writeln!(
            o,
            "| {} | {} |",
            pick(en, nl),
            s.arm_order
                .iter()
                .map(|a| f(&s.arms[a].metrics))
                .collect::<Vec<_>>()
                .join(" | ")
        );
    }
    let _ = writeln!(
        o,
        "| {} | {} |",
        pick("took the offer", "nam het aanbod aan"),
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
            "| {} {} | {} |",
            pick(
                "share with a reclaim above",
                "aandeel met een terugvordering boven"
            ),
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
    line(
        o,
        pick("\n## By income decile\n", "\n## Naar inkomensdeciel\n"),
    );
    line(o, pick(
        "Deciles of the applicant's actual annual income among the control arm's recipient households (the same bounds in every arm; recipient households in the control arm in brackets). Share with a reclaim:\n",
        "Decielen van het werkelijke jaarinkomen van de aanvrager onder de huishoudens met toeslag in de controlegroep (dezelfde grenzen in elke variant; tussen haakjes het aantal huishoudens met toeslag in de controlegroep). Aandeel met een terugvordering:\n",
    ));
    let bounds = |d: &crate::analysis::summary::DecileRow| {
        decile_bounds_text(d.decile, d.income_from, d.income_to)
    };
    let decile = pick("decile", "deciel");
    let cell = |arm: &str, i: usize, f: &dyn Fn(&crate::analysis::summary::DecileRow) -> String| {
        s.arms[arm]
            .by_income_decile
            .get(i)
            .map(f)
            .unwrap_or_else(|| "—".into())
    };
    let _ = writeln!(o, "| {decile} | {} |", s.arm_order.join(" | "));
    let _ = writeln!(o, "| --- |{}", " ---: |".repeat(s.arm_order.len()));
    for (i, d) in control.by_income_decile.iter().enumerate() {
        let _ = writeln!(
            o,
            "| {} ({}) | {} |",
            bounds(d),
            thousands(d.households),
            s.arm_order
                .iter()
                .map(|a| cell(a, i, &|r| pct(r.reclaim_share)))
                .collect::<Vec<_>>()
                .join(" | ")
        );
    }
    line(o, pick(
        "\nMean net settlement per recipient household (back-payment − collected reclaim; positive: the household is paid at the definitive award), with the mean advance withheld during the year against the full advance in brackets:\n",
        "\nGemiddeld saldo van de vaststelling per huishouden met toeslag (nabetaling − geïnde terugvordering; positief: het huishouden krijgt geld bij de definitieve toekenning), met tussen haakjes het gemiddelde voorschot dat in het jaar is ingehouden ten opzichte van het volledige voorschot:\n",
    ));
    let _ = writeln!(o, "| {decile} | {} |", s.arm_order.join(" | "));
    let _ = writeln!(o, "| --- |{}", " ---: |".repeat(s.arm_order.len()));
    for (i, d) in control.by_income_decile.iter().enumerate() {
        let _ = writeln!(
            o,
            "| {} | {} |",
            bounds(d),
            s.arm_order
                .iter()
                .map(|a| cell(a, i, &|r| {
                    let (net, w) = (signed_euro(r.mean_net_settlement), euro0(r.mean_withheld));
                    tr!("{net} ({w} withheld)", "{net} ({w} ingehouden)")
                }))
                .collect::<Vec<_>>()
                .join(" | ")
        );
    }
    line(o, pick(
        "\nEvery decile's numbers, with the mean reclaim and back-payment: `arms.<arm>.by_income_decile` in summary.json and `arms.csv`; the effect on the reclaim share per decile with its interval: \"Subgroup effects\" and the chart `effect_by_decile`.",
        "\nDe cijfers van elk deciel, met de gemiddelde terugvordering en nabetaling: `arms.<arm>.by_income_decile` in summary.json en `arms.csv`; het effect op het aandeel met een terugvordering per deciel, met interval: \"Effecten per subgroep\" en de grafiek `effect_by_decile`.",
    ));
}

/// Winners and losers: per treatment arm and income decile, the shares with less, the same and
/// more cash than under control, in the benefit year and after its settlement.
pub(super) fn winners_losers(o: &mut String, s: &Summary) {
    if s.winners_losers.is_empty() {
        if s.design == "randomized" && s.arm_order.len() > 1 {
            line(o, pick(
                "\n## Better or worse off in cash\n\nNot available in the randomized design: each household lives under one arm, so its change against control is not observed. Run the paired design for the winners-and-losers table.",
                "\n## Er in geld op vooruit of achteruit\n\nNiet beschikbaar in het gerandomiseerde ontwerp: elk huishouden valt onder één variant, dus zijn verandering tegenover de controlegroep wordt niet waargenomen. Gebruik het gepaarde ontwerp voor de tabel van voor- en achteruitgang.",
            ));
        }
        return;
    }
    let th = s.winners_losers[0].threshold;
    line(
        o,
        pick(
            "\n## Better or worse off in cash\n",
            "\n## Er in geld op vooruit of achteruit\n",
        ),
    );
    let th = euro0(th as f64);
    line(o, tr!(
        "Each recipient household compared with itself under control (paired design): worse off / the same / better off in cash, where a change of at most {th} either way counts as the same. *In the benefit year*: the advances paid (net of in-year corrections). *After settlement*: advances + back-payment − collected reclaim. The definitive award follows what really happened, the same under both arms unless an arm changes who applies, so after settlement a difference comes mostly from reclaims below the small-reclaim threshold, which are not collected (a household overpaid by a small amount keeps it). Descriptive: counts, no test. Deciles as above; data: `winners_losers` in summary.json and the chart `winners_losers`.\n",
        "Elk huishouden met toeslag vergeleken met zichzelf onder de controlegroep (gepaard ontwerp): erop achteruit / gelijk / erop vooruit in geld, waarbij een verandering van ten hoogste {th} naar boven of naar beneden als gelijk telt. *In het toeslagjaar*: de betaalde voorschotten (na correcties in het jaar). *Na de vaststelling*: voorschotten + nabetaling − geïnde terugvordering. De definitieve toekenning volgt wat er werkelijk gebeurde en is onder beide varianten gelijk, tenzij een variant verandert wie een aanvraag doet; na de vaststelling komt een verschil dus vooral door terugvorderingen onder de drempel voor kleine terugvorderingen, die niet worden geïnd (een huishouden dat een klein bedrag te veel ontving, mag dat houden). Beschrijvend: aantallen, geen toets. Decielen als hierboven; gegevens: `winners_losers` in summary.json en de grafiek `winners_losers`.\n"
    ));
    for c in &s.winners_losers {
        let (arm, vs) = (&c.arm, &c.vs);
        line(o, tr!(
            "**{arm} vs {vs}**\n\n| decile | households | benefit year: worse | same | better | after settlement: worse | same | better |\n| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
            "**{arm} tegenover {vs}**\n\n| deciel | huishoudens | toeslagjaar: achteruit | gelijk | vooruit | na de vaststelling: achteruit | gelijk | vooruit |\n| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
        ));
        for r in c.by_income_decile.iter().chain(std::iter::once(&c.all)) {
            let label = match r.decile {
                None => pick("all", "alle").to_string(),
                Some(d) => decile_bounds_text(d, r.income_from, r.income_to),
            };
            let _ = writeln!(
                o,
                "| {label} | {} | {} | {} | {} | {} | {} | {} |",
                thousands(r.households),
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
    line(
        o,
        pick("\n## By household type\n", "\n## Naar huishoudtype\n"),
    );
    line(o, pick(
        "Share of recipient households with a reclaim (recipient households in the control arm in brackets).\n",
        "Aandeel van de huishoudens met toeslag dat een terugvordering heeft (tussen haakjes het aantal huishoudens met toeslag in de controlegroep).\n",
    ));
    let type_header = pick("household type", "huishoudtype");
    let _ = writeln!(o, "| {type_header} | {} |", s.arm_order.join(" | "));
    let _ = writeln!(o, "| --- |{}", " ---: |".repeat(s.arm_order.len()));
    for t in HOUSEHOLD_TYPES {
        let n = s.arms[&s.arm_order[0]].by_household_type[t].recipients;
        let _ = writeln!(
            o,
            "| {} ({}) | {} |",
            household_type_label(t),
            thousands(n),
            s.arm_order
                .iter()
                .map(|a| pct(s.arms[a].by_household_type[t].reclaim_share))
                .collect::<Vec<_>>()
                .join(" | ")
        );
    }
    line(o, pick(
        "\nMean reclaim among households with one, and monthly repayment:\n",
        "\nGemiddelde terugvordering bij huishoudens met een terugvordering, en maandelijkse aflossing:\n",
    ));
    let _ = writeln!(o, "| {type_header} | {} |", s.arm_order.join(" | "));
    let _ = writeln!(o, "| --- |{}", " ---: |".repeat(s.arm_order.len()));
    for t in HOUSEHOLD_TYPES {
        let _ = writeln!(
            o,
            "| {} | {} |",
            household_type_label(t),
            s.arm_order
                .iter()
                .map(|a| {
                    let m = &s.arms[a].by_household_type[t];
                    let (r, p) = (euro0(m.mean_reclaim), euro0(m.mean_repayment_monthly));
                    tr!("{r} ({p}/month)", "{r} ({p}/maand)")
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
        line(
            o,
            pick(
                "\n## Among households that took the offer\n",
                "\n## Onder huishoudens die het aanbod aannamen\n",
            ),
        );
        if s.design == "paired" {
            line(o, pick(
                "The same recipient households under the control arm (paired design). These comparisons are in the Holm-adjusted family.\n",
                "Dezelfde huishoudens met toeslag onder de controlegroep (gepaard ontwerp). Deze vergelijkingen horen bij de Holm-gecorrigeerde familie.\n",
            ));
        } else {
            line(o, pick(
                "Complier average causal effect (randomized design): the effect among the recipient households that take the offer, estimated as the intention-to-treat effect divided by the arm's take-up share (Wald/instrumental-variable estimator, Fieller interval). It assumes the offer changes nothing for households that do not take it, and that control households cannot take it. The control column is the takers' value implied without the offer (takers' value − effect). These comparisons are in the Holm-adjusted family.\n",
                "Gemiddeld causaal effect bij wie het aanbod aanneemt (complier average causal effect, gerandomiseerd ontwerp): het effect onder de huishoudens met toeslag die het aanbod aannemen, geschat als het intention-to-treat-effect gedeeld door het aandeel in de variant dat het aanbod aannam (Wald-/instrumentele-variabelenschatter, Fieller-interval). Dit veronderstelt dat het aanbod niets verandert voor huishoudens die het niet aannemen, en dat huishoudens in de controlegroep het niet kunnen aannemen. De kolom controlegroep is de waarde die de aannemers zonder het aanbod zouden hebben (waarde van de aannemers − effect). Deze vergelijkingen horen bij de Holm-gecorrigeerde familie.\n",
            ));
        }
        line(o, comparison_header());
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
    line(o, pick("\n## Conclusion\n", "\n## Conclusie\n"));
    let k = s.family_size;
    line(o, tr!(
        "Among recipient households; {k} comparisons were tested, and a change is called significant only when its Holm-adjusted p-value is below 0.05.\n",
        "Onder huishoudens met toeslag; er zijn {k} vergelijkingen getoetst, en een verandering heet alleen significant als de Holm-gecorrigeerde p-waarde onder 0,05 ligt.\n"
    ));
    for c in s.comparisons.iter().filter(|c| {
        c.population == "all"
            && s.vs_control(c)
            && (c.is(Metric::ReclaimShare) || c.is(Metric::HighReclaimShare))
    }) {
        conclusion_line(o, s, c);
    }
    line(o, pick(
        "\nThese are simulated households, not observed ones: the effects follow from the scenario's assumptions about shocks, reporting and take-up listed below. The intervals show simulation and sampling noise only, not the uncertainty of those assumptions.",
        "\nDit zijn gesimuleerde huishoudens, geen waargenomen huishoudens: de effecten volgen uit de aannames van het scenario over schokken (veranderingen in inkomen en huishouden), het doorgeven van wijzigingen en de deelname, die hieronder staan. De intervallen tonen alleen simulatie- en steekproefruis, niet de onzekerheid van die aannames.",
    ));
    if let Some((lo, hi, n)) = s
        .selection_sensitivity
        .as_ref()
        .and_then(|sens| sens.range_over_rows())
    {
        let share = is_share_key(&s.primary_metric);
        let d = |x: f64| if share { pp(x) } else { signed_euro(x) };
        let (lo, hi) = (d(lo), d(hi));
        line(o, tr!(
            "Who takes the offer alone moves the primary effect between {lo} and {hi} across the {n} selection assumptions of \"Who takes the offer\" above.",
            "Alleen al de vraag wie het aanbod aanneemt, verschuift het primaire effect tussen {lo} en {hi} over de {n} selectieaannames van \"Wie neemt het aanbod aan\" hierboven."
        ));
    }
}

/// One arm's sentence on a share comparison.
fn conclusion_line(o: &mut String, s: &Summary, c: &Comparison) {
    let what = if c.is(Metric::ReclaimShare) {
        pick(
            "the share of recipient households with a reclaim",
            "het aandeel met een terugvordering onder huishoudens met toeslag",
        )
        .to_string()
    } else {
        let t = euro0(s.high_reclaim_threshold as f64);
        tr!(
            "the share with a reclaim above {t}",
            "het aandeel met een terugvordering boven {t}"
        )
    };
    let (Some(diff), Some(lo), Some(hi), Some(p)) = (c.difference, c.ci_low, c.ci_high, c.p_value)
    else {
        let (arm, why) = (&c.arm, not_estimable_text(c));
        line(o, tr!(
            "- **{arm}**: {what} cannot be compared with control: {why}. An arm or the control group has too few households (or no variation) for a difference, confidence interval or test; give it more households (`households`, or its assignment `share` in the randomized design).",
            "- **{arm}**: {what} is niet te vergelijken met de controlegroep: {why}. Een variant of de controlegroep heeft te weinig huishoudens (of geen variatie) voor een verschil, betrouwbaarheidsinterval of toets; geef meer huishoudens op (`households`, of de toewijzing `share` in het gerandomiseerde ontwerp)."
        ));
        return;
    };
    let adj = c.p_adjusted.unwrap_or(p);
    let primary = if c.primary {
        pick(" (primary comparison)", " (primaire vergelijking)")
    } else {
        ""
    };
    let withheld = if c.is(Metric::ReclaimShare) {
        withheld_text(s, &c.arm)
    } else {
        String::new()
    };
    let arm = &c.arm;
    let (from, to, d) = (pct(c.control), pct(c.treatment), pp(diff));
    let (lo_t, hi_t, p_t, adj_t, k) = (pp(lo), pp(hi), p_text(p), p_text(adj), s.family_size);
    if adj < 0.05 && diff != 0.0 {
        let verb = if diff < 0.0 {
            pick("falls", "daalt")
        } else {
            pick("rises", "stijgt")
        };
        line(o, tr!(
            "- **{arm}**{primary}: {what} {verb} from {from} to {to} ({d}; 95% CI {lo_t} to {hi_t}; p {p_t}, adjusted {adj_t}). The difference is statistically significant at the 5% level after correction for {k} comparisons{withheld}.",
            "- **{arm}**{primary}: {what} {verb} van {from} naar {to} ({d}; 95%-BI {lo_t} tot {hi_t}; p {p_t}, gecorrigeerd {adj_t}). Het verschil is statistisch significant op het 5%-niveau na correctie voor {k} vergelijkingen{withheld}."
        ));
    } else if lo > 0.0 || hi < 0.0 {
        line(o, tr!(
            "- **{arm}**{primary}: {what} changes from {from} to {to} ({d}; 95% CI {lo_t} to {hi_t}; p {p_t}, adjusted {adj_t}). The interval excludes no change, but after correction for {k} comparisons the difference is not statistically significant at the 5% level{withheld}.",
            "- **{arm}**{primary}: {what} verandert van {from} naar {to} ({d}; 95%-BI {lo_t} tot {hi_t}; p {p_t}, gecorrigeerd {adj_t}). Het interval sluit nul uit, maar na correctie voor {k} vergelijkingen is het verschil niet statistisch significant op het 5%-niveau{withheld}."
        ));
    } else {
        line(o, tr!(
            "- **{arm}**{primary}: {what} changes from {from} to {to} ({d}; 95% CI {lo_t} to {hi_t}; p {p_t}, adjusted {adj_t}). This difference is not statistically significant at the 5% level (the interval includes no change): the simulation cannot distinguish it from no effect{withheld}.",
            "- **{arm}**{primary}: {what} verandert van {from} naar {to} ({d}; 95%-BI {lo_t} tot {hi_t}; p {p_t}, gecorrigeerd {adj_t}). Dit verschil is niet statistisch significant op het 5%-niveau (het interval bevat nul): de simulatie kan het niet onderscheiden van geen effect{withheld}."
        ));
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
        (Some(d), Some(lo), Some(hi)) if d > 0.0 => {
            let (d, lo, hi) = (euro0(d), euro0(lo), euro0(hi));
            tr!(
                "; in exchange recipient households receive on average {d} less during the year (95% CI {lo} to {hi})",
                "; daartegenover ontvangen huishoudens met toeslag in het jaar gemiddeld {d} minder (95%-BI {lo} tot {hi})"
            )
        }
        _ => String::new(),
    }
}

/// Pilot size per arm, with its range.
pub(super) fn pilot(o: &mut String, s: &Summary) {
    let n = thousands;
    line(o, pick("\n## Pilot size\n", "\n## Omvang van een pilot\n"));
    line(o, pick(
        "Households per arm a randomized pilot would need to detect the simulated change in the reclaim share with 80% power at 5% significance (two-sided, normal approximation), with its range: the sizes for the bounds of the effect's 95% interval or, with replications, the smallest and largest across them. The power-curve chart shows the power at every size.\n",
        "Het aantal huishoudens per variant dat een gerandomiseerde pilot nodig zou hebben om de gesimuleerde verandering in het aandeel met een terugvordering aan te tonen met 80% onderscheidend vermogen bij 5% significantie (tweezijdig, normale benadering), met de bandbreedte: de aantallen bij de grenzen van het 95%-interval van het effect of, met replicaties, het kleinste en grootste aantal daarover. De grafiek van het onderscheidend vermogen toont het vermogen bij elk aantal.\n",
    ));
    for (arm, size) in &s.pilot_households_per_arm {
        let not_estimable = s
            .comparison(arm, Metric::ReclaimShare, "all")
            .filter(|c| c.not_estimable.is_some());
        let range = s.pilot_size_range.get(arm);
        let text = match (size, not_estimable) {
            (Some(size), _) => {
                let basis = basis_label(range.map(|r| r.basis.as_str()).unwrap_or(""));
                let size = n(*size);
                match range.map(|r| (r.low, r.high)) {
                    Some((Some(lo), Some(hi))) => {
                        let (lo, hi) = (n(lo), n(hi));
                        tr!(
                            "{size} (range {lo} to {hi}: {basis})",
                            "{size} (bandbreedte {lo} tot {hi}: {basis})"
                        )
                    }
                    Some((Some(lo), None)) => {
                        let lo = n(lo);
                        tr!(
                            "{size} (range {lo} to unbounded: {basis}; the simulation cannot exclude no effect, so no pilot size is sure to be enough)",
                            "{size} (bandbreedte {lo} tot onbegrensd: {basis}; de simulatie kan een effect van nul niet uitsluiten, dus bij geen enkel aantal is de pilot zeker groot genoeg)"
                        )
                    }
                    _ => size,
                }
            }
            (None, Some(c)) => not_estimable_text(c),
            (None, None) => pick(
                "no simulated difference to detect",
                "geen gesimuleerd verschil om aan te tonen",
            )
            .into(),
        };
        let _ = writeln!(o, "- {arm}: {text}");
    }
}

/// Assumptions and approximations in force.
pub(super) fn assumptions(o: &mut String, sc: &Scenario, s: &Summary) {
    line(
        o,
        pick(
            "\n## Assumptions and approximations in force\n",
            "\n## Geldende aannames en benaderingen\n",
        ),
    );
    let year = s.year;
    let benefits = benefit_list(&s.benefits);
    line(o, tr!(
        "- Rules: {benefits} for {year}, parameters from `parameters/{year}.toml` (each with its public source; `toeslagenlab params --year {year}` lists them).",
        "- Regels: {benefits} voor {year}, parameters uit `parameters/{year}.toml` (elk met de openbare bron; `toeslagenlab params --year {year}` toont ze)."
    ));
    for (k, p) in sc.parameter_set.uncertain() {
        let (v, unit, source) = (plain(p.value), &p.unit, &p.source);
        line(
            o,
            tr!(
                "- **Uncertain parameter** `{k}` = {v} {unit} ({source}).",
                "- **Onzekere parameter** `{k}` = {v} {unit} ({source})."
            ),
        );
    }
    if sc.overrides.is_empty() {
        line(
            o,
            pick(
                "- No parameter overrides: the law as in force.",
                "- Geen gewijzigde parameters: de wet zoals die geldt.",
            ),
        );
    }
    for ov in &sc.overrides {
        let (g, k, from, to, unit) = (&ov.group, &ov.key, plain(ov.from), plain(ov.to), &ov.unit);
        line(
            o,
            tr!(
                "- **Reform**: `{g}.{k}` changed from {from} to {to} ({unit}).",
                "- **Hervorming**: `{g}.{k}` gewijzigd van {from} in {to} ({unit})."
            ),
        );
    }
    let b = &sc.behaviour;
    let reporting = crate::model::scenario::ChangeType::ALL
        .iter()
        .filter(|t| {
            (**t as usize) < crate::model::scenario::N_CLASSIC_CHANGE_TYPES
                || sc
                    .shocks
                    .iter()
                    .any(|sh| sh.kind.own_change_type() == Some(**t))
        })
        .map(|t| {
            let (lo, hi) = b.delay[*t as usize];
            let (name, p) = (t.name(), plain(b.p(*t)));
            tr!(
                "{name} reported with probability {p}, delay {lo}–{hi} months",
                "`{name}` doorgegeven met kans {p}, na een vertraging van {lo}–{hi} maanden"
            )
        })
        .collect::<Vec<_>>()
        .join("; ");
    line(o, tr!(
        "- Reporting (assumption): {reporting}. A change counts from the month after it happens (Awir art. 5) and is used for the advance from the month after the report.",
        "- Doorgeven van wijzigingen (aanname): {reporting}. Een wijziging telt vanaf de maand nadat ze zich voordoet (Awir art. 5) en wordt voor het voorschot gebruikt vanaf de maand na de melding."
    ));
    if b.unaware_income_share > 0.0 {
        let share = plain(b.unaware_income_share);
        line(o, tr!(
            "- A share of {share} of households does not know it must report income changes and never reports them (docs/rules.md §6 survey: 50%).",
            "- Een aandeel van {share} van de huishoudens weet niet dat het inkomenswijzigingen moet doorgeven en geeft ze nooit door (enquête in docs/rules.md §6: 50%)."
        ));
    }
    o.push_str(&super::assumptions::interventions(sc));
    let file = if sc.path.is_absolute() {
        sc.path
            .file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned())
    } else {
        sc.path.display().to_string()
    };
    match &sc.uncertainty {
        Some(u) if !u.assumptions.is_empty() => {
            let n = u.assumptions.len();
            let keys = u
                .assumptions
                .iter()
                .map(|a| format!("`{}`", a.key))
                .collect::<Vec<_>>()
                .join(", ");
            line(o, tr!(
                "- **How sure are we**: this report's intervals are simulation noise only. `toeslagenlab uncertainty {file}` draws the scenario's {n} uncertain assumptions of `[uncertainty]` ({keys}) together and gives every effect's total interval, the share of draws that keep its sign and conclusion, and what drives it (docs/uncertainty.md).",
                "- **Hoe zeker is dit**: de intervallen in dit rapport zijn alleen simulatieruis. `toeslagenlab uncertainty {file}` trekt de {n} onzekere aannames van `[uncertainty]` in het scenario ({keys}) tegelijk en geeft van elk effect het totale interval, het aandeel trekkingen waarin het teken en de conclusie gelijk blijven, en wat het effect bepaalt (docs/uncertainty.md)."
            ));
        }
        _ => {
            line(o, tr!(
                "- **How sure are we**: this report's intervals are simulation noise only. List the uncertain assumptions in an `[uncertainty]` table and run `toeslagenlab uncertainty {file}` for every effect's interval over them (docs/uncertainty.md).",
                "- **Hoe zeker is dit**: de intervallen in dit rapport zijn alleen simulatieruis. Zet de onzekere aannames in een tabel `[uncertainty]` en voer `toeslagenlab uncertainty {file}` uit voor het interval van elk effect over die aannames (docs/uncertainty.md)."
            ));
        }
    }
    o.push_str(&super::assumptions::error_distribution(sc));
    let shocks = sc
        .shocks
        .iter()
        .map(|sh| {
            let (name, p) = (sh.kind.name(), plain(sh.probability));
            tr!("{name} with probability {p}", "`{name}` met kans {p}")
        })
        .collect::<Vec<_>>()
        .join(", ");
    line(
        o,
        tr!(
            "- Shocks (assumption): {shocks}.",
            "- Schokken (aanname): {shocks}."
        ),
    );
    line(o, pick(
        "- The household's own income estimate at the start of the year is drawn around its actual income (assumption); after reporting an income change it estimates correctly from then on.",
        "- De eigen inkomensschatting van het huishouden aan het begin van het jaar wordt getrokken rond het werkelijke inkomen (aanname); na het doorgeven van een inkomenswijziging schat het huishouden vanaf dat moment juist.",
    ));
    line(o, pick(
        "- Rounding: annual awards half-up to whole euros, nothing below €24 (Awir art. 14); monthly advance floor(annual/12); a reduced advance is floor(award × percentage) a year. The rounding remainder of up to €11 per benefit is paid as a small back-payment at the definitive award.",
        "- Afronding: jaarbedragen rekenkundig afgerond op hele euro's, niets onder €24 (Awir art. 14); maandvoorschot floor(jaarbedrag/12); een verlaagd voorschot is floor(toekenning × percentage) per jaar. Het afrondingsverschil van ten hoogste €11 per toeslag wordt bij de definitieve toekenning als kleine nabetaling uitbetaald.",
    ));
    line(o, pick(
        "- Reclaims up to the small-reclaim threshold per benefit are not collected and do not count as a reclaim here; the repayment burden is the standard plan's monthly instalment.",
        "- Terugvorderingen tot de drempel voor kleine terugvorderingen per toeslag worden niet geïnd en tellen hier niet als terugvordering; de aflossingslast is de maandtermijn van de standaardbetalingsregeling.",
    ));
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
    line(
        o,
        pick(
            "\n## Who takes the offer: the headline under other selection assumptions\n",
            "\n## Wie neemt het aanbod aan: de kerncijfers onder andere selectieaannames\n",
        ),
    );
    let metric = metric_label(&sens.metric);
    line(o, tr!(
        "Who takes an offered reduced advance is an assumption: the lab reports how many households took the offer, not which. Each row simulates the same households with the same seed and draws, and changes only which households take the offer and which percentage they choose (`[behaviour.selection]`, docs/behaviour.md \"Selection into the offer\"); the arm's overall take-up is the same in every row. The intervals are each run's sampling noise only; the spread between the rows is how far this assumption moves the answer. Intention to treat, among recipient households: {metric}.\n",
        "Wie een aangeboden verlaagd voorschot aanneemt, is een aanname: het lab rapporteert hoeveel huishoudens het aanbod aannamen, niet welke. Elke rij simuleert dezelfde huishoudens met dezelfde seed en trekkingen, en verandert alleen welke huishoudens het aanbod aannemen en welk percentage ze kiezen (`[behaviour.selection]`, docs/behaviour.md \"Selection into the offer\"); de totale deelname in de variant is in elke rij gelijk. De intervallen zijn alleen de steekproefruis van elke run; de spreiding tussen de rijen laat zien hoe ver deze aanname de uitkomst verschuift. Intention-to-treat, onder huishoudens met toeslag: {metric}.\n"
    ));
    line(o, pick(
        "| selection | arm | took the offer | control | arm | difference | 95% CI |\n| --- | --- | ---: | ---: | ---: | ---: | --- |",
        "| selectie | variant | nam het aanbod aan | controlegroep | variant | verschil | 95%-BI |\n| --- | --- | ---: | ---: | ---: | ---: | --- |",
    ));
    for r in &sens.rows {
        for (arm, e) in &r.arms {
            let (diff, ci) = match (e.difference, e.ci_low, e.ci_high) {
                (Some(x), Some(lo), Some(hi)) => (d(x), range_text(&d(lo), &d(hi))),
                _ => (pick("not estimable", "niet te schatten").into(), "—".into()),
            };
            let _ = writeln!(
                o,
                "| {}{} | {} | {} | {} | {} | {} | {} |",
                selection_label(&r.label, r.strength, r.choice_strength),
                if r.scenario {
                    pick(" (this scenario)", " (dit scenario)")
                } else {
                    ""
                },
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
            let (lo, hi) = (d(lo), d(hi));
            line(o, tr!(
                "Across these {n} selection assumptions the effect of {arm} runs from {lo} to {hi}.",
                "Over deze {n} selectieaannames loopt het effect van {arm} van {lo} tot {hi}."
            ));
        }
    }
    let _ = writeln!(o);
}

/// A selection row's label: as recorded (`selection_sensitivity::label`) in English, the same
/// words in Dutch, made again from the row's strengths.
fn selection_label(en: &str, strength: f64, choice_strength: f64) -> String {
    if crate::output::lang::current() == crate::output::lang::Lang::En {
        return en.to_string();
    }
    let (s, c) = (plain(strength), plain(choice_strength));
    match (strength == 0.0, choice_strength == strength) {
        (true, true) => "willekeurig: wie het aanbod aanneemt, staat los van het risico".into(),
        (false, true) => {
            let who = if strength > 0.0 {
                "risicovollere"
            } else {
                "minder risicovolle"
            };
            format!("{who} huishoudens nemen vaker het aanbod aan en kiezen vaker een lager percentage (sterkte {s})")
        }
        _ => format!("sterkte bij de deelname {s}, sterkte bij de keuze {c}"),
    }
}

/// The basis of a pilot size's range (`analysis::power::BASIS_*`) in the current language.
fn basis_label(b: &str) -> &str {
    if crate::output::lang::current() == crate::output::lang::Lang::En {
        return b;
    }
    match b {
        "95% interval of the effect" => "95%-interval van het effect",
        "point estimate only (no interval of the effect)" => {
            "alleen een puntschatting (geen interval van het effect)"
        }
        "minimum to maximum across replications" => "minimum tot maximum over de replicaties",
        b => b,
    }
}
