//! The texts of `toeslagenlab uncertainty`: report.md ("How sure are we") and the lines the
//! terminal prints, from the typed analysis (`analysis::uncertainty`).
//!
//! Must not: simulate, compute statistics or write files.

use crate::analysis::uncertainty::{ComparisonUncertainty, Uncertainty};
use crate::model::scenario::Scenario;
use crate::model::uncertainty::Distribution;
use crate::output::format::{localize_number, num, pct1, pp_adaptive, signed_euro};
use crate::output::lang::{self, pick, Lang};
use crate::output::report::is_share_key;
use crate::tr;
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

/// "n/a" in the current language.
fn na() -> String {
    pick("n/a", "n.v.t.").into()
}

fn opt(metric: &str, x: Option<f64>) -> String {
    x.map_or_else(na, |x| diff(metric, x))
}

fn interval(metric: &str, lo: Option<f64>, hi: Option<f64>) -> String {
    match (lo, hi) {
        (Some(l), Some(h)) => tr!("{} to {}", "{} tot {}", diff(metric, l), diff(metric, h)),
        _ => na(),
    }
}

fn population_words(p: &str) -> &'static str {
    if p == "took_offer" {
        pick(
            "among those who took the offer",
            "onder wie het aanbod aannam",
        )
    } else {
        pick("intention to treat", "intention-to-treat")
    }
}

/// The analysis' conclusion words (`analysis::uncertainty`, English in uncertainty.json) in
/// the current language.
fn conclusion_text(c: &str) -> &str {
    if lang::current() == Lang::En {
        return c;
    }
    match c {
        "a significant decrease" => "een significante daling",
        "a significant increase" => "een significante stijging",
        "not tested" => "niet getoetst",
        "no significant difference" => "geen significant verschil",
        other => other,
    }
}

/// The analysis' method texts (English in uncertainty.json) in the current language.
fn method_text(m: &str) -> &str {
    if lang::current() == Lang::En {
        return m;
    }
    match m {
        "Latin hypercube over the assumptions' probability scale, seeded by the scenario's seed; every run with the scenario's seed (common random numbers)" =>
            "Latin hypercube over de kansschaal van de aannames, met de seed van het scenario als startwaarde; elke run met de seed van het scenario (common random numbers)",
        "Sobol indices from a polynomial chaos expansion (orthonormal Legendre polynomials of degree 2 with pairwise interactions, or degree 1 with few draws) fitted by least squares to the draws (Sudret 2008); intervals: 200 bootstrap resamples of the draws" =>
            "Sobol-indices uit een polynomial chaos expansion (orthonormale Legendre-polynomen van graad 2 met paarsgewijze interacties, of van graad 1 bij weinig trekkingen), met de kleinste-kwadratenmethode aangepast aan de trekkingen (Sudret 2008); intervallen: 200 bootstrapsteekproeven uit de trekkingen",
        "2.5% and 97.5% quantiles of the mixture over the draws of normal distributions centred on each draw's estimate with its own standard error (from its 95% interval)" =>
            "het 2,5%- en het 97,5%-kwantiel van het mengsel over de trekkingen van normale verdelingen rond de schatting van elke trekking, met haar eigen standaardfout (uit haar 95%-interval)",
        other => other,
    }
}

/// An assumption's value in text: `0.68`, in Dutch `0,68`.
fn value(x: f64) -> String {
    localize_number(&x.to_string())
}

/// An assumption's distribution in words: the analysis' own words in English (as in
/// uncertainty.json), the same description in Dutch.
fn described(a: &crate::analysis::uncertainty::AssumptionRow) -> String {
    if lang::current() == Lang::En {
        return a.described.clone();
    }
    match &a.distribution {
        Distribution::Uniform { low, high } => {
            format!("uniform {} tot {}", value(*low), value(*high))
        }
        Distribution::Triangular { low, mode, high } => format!(
            "driehoekig {} tot {}, meest waarschijnlijk {}",
            value(*low),
            value(*high),
            value(*mode)
        ),
        Distribution::Normal {
            mean,
            sd,
            low,
            high,
        } => format!(
            "normaal {} ± {}, afgekapt op {} tot {}",
            value(*mean),
            value(*sd),
            value(*low),
            value(*high)
        ),
        Distribution::Discrete { values, weights } => {
            // A decimal comma in the values: the list is separated by semicolons.
            let vals: Vec<String> = values.iter().map(|v| value(*v)).collect();
            let equal = weights.iter().all(|w| (w - weights[0]).abs() < 1e-12);
            if equal {
                format!("een van {}", vals.join("; "))
            } else {
                let ws: Vec<String> = weights.iter().map(|w| value(*w)).collect();
                format!("een van {} (gewichten {})", vals.join("; "), ws.join("; "))
            }
        }
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
        tr!(
            "the effect on {what} is a fall",
            "is het effect op {what} een daling"
        )
    } else if d > 0.0 {
        tr!(
            "the effect on {what} is a rise",
            "is het effect op {what} een stijging"
        )
    } else {
        tr!("{what} does not change", "verandert {what} niet")
    }
}

/// The plain-words paragraph of one comparison.
pub fn headline(u: &Uncertainty, c: &ComparisonUncertainty) -> String {
    let m = &c.metric;
    let mut o = tr!(
        "**{} vs {}, {}** ({}): ",
        "**{} tegenover {}, {}** ({}): ",
        c.arm,
        c.vs,
        label(m).to_lowercase(),
        population_words(c.population)
    );
    let Some(est) = c.estimate else {
        o.push_str(pick(
            "not estimable at the scenario's assumptions.",
            "niet te schatten bij de aannames van het scenario.",
        ));
        return o;
    };
    o.push_str(&tr!(
        "{} at the scenario's assumptions (Monte Carlo 95% interval {}). ",
        "{} bij de aannames van het scenario (Monte Carlo-95%-interval {}). ",
        diff(m, est),
        interval(m, c.mc_ci_low, c.mc_ci_high)
    ));
    let mc_w = c.mc_ci_high.zip(c.mc_ci_low).map(|(h, l)| h - l);
    let tot_w = c.total_high.zip(c.total_low).map(|(h, l)| h - l);
    o.push_str(&tr!(
        "Over {} draws of the {} uncertain assumptions the total 95% interval is {}",
        "Over {} trekkingen van de {} onzekere aannames is het totale 95%-interval {}",
        u.draws,
        u.assumptions.len(),
        interval(m, c.total_low, c.total_high)
    ));
    match (mc_w, tot_w) {
        (Some(a), Some(b)) if a > 0.0 => {
            let times = num(b / a, 1);
            o.push_str(&tr!(
                ", {times} times as wide. ",
                ", {times} keer zo breed. "
            ));
        }
        _ => o.push_str(". "),
    }
    o.push_str(&tr!(
        "In {} of the draws {} as at the scenario's assumptions, and the conclusion ({}, after the run's Holm correction) holds in {}.",
        "In {} van de trekkingen {}, net als bij de aannames van het scenario, en de conclusie ({}, na de Holm-correctie van de run) blijft in {} van de trekkingen gelijk.",
        pct1(c.share_same_sign),
        direction(m, est),
        conclusion_text(c.conclusion),
        pct1(c.share_same_conclusion)
    ));
    let r = ranked(c);
    if let Some((k, i)) = r.first() {
        o.push_str(&tr!(
            " `{k}` explains {} of the spread over the draws (total Sobol index, 95% interval {} to {})",
            " `{k}` verklaart {} van de spreiding over de trekkingen (totale Sobol-index, 95%-interval {} tot {})",
            pct1(i.total),
            pct1(i.total_low),
            pct1(i.total_high)
        ));
        if let Some((k2, i2)) = r.get(1) {
            o.push_str(&tr!(
                ", then `{k2}` {}",
                ", daarna `{k2}` met {}",
                pct1(i2.total)
            ));
        }
        o.push('.');
    }
    if let Some(s) = &c.surrogate {
        if s.q2 < Q2_WARN {
            o.push_str(&tr!(
                " **The indices are approximate**: the sensitivity fit predicts only {} of the spread of a left-out draw (Q²).",
                " **De indices zijn bij benadering**: het gevoeligheidsmodel voorspelt slechts {} van de spreiding van een weggelaten trekking (Q²).",
                pct1(s.q2.max(0.0))
            ));
        }
    }
    o
}

/// report.md of `toeslagenlab uncertainty`.
pub fn markdown(sc: &Scenario, u: &Uncertainty, command: &str) -> String {
    let mut o = String::new();
    let _ = writeln!(
        o,
        "{}",
        tr!(
            "# How sure are we: {}\n",
            "# Hoe zeker zijn we: {}\n",
            sc.name
        )
    );
    if let Some(d) = &sc.description {
        let _ = writeln!(o, "{d}\n");
    }
    let _ = writeln!(
        o,
        "{}",
        tr!(
            "toeslagenlab {} · `{command}` · seed {} · {} households per run · {} runs (the scenario's own assumptions, each assumption at its lowest and highest value, and {} draws of all of them together). Every run uses the same seed: the same households with the same shocks and draws, so the runs differ by the assumptions alone.\n",
            "toeslagenlab {} · `{command}` · seed {} · {} huishoudens per run · {} runs (de eigen aannames van het scenario, elke aanname op haar laagste en op haar hoogste waarde, en {} trekkingen van alle aannames tegelijk). Elke run gebruikt dezelfde seed: dezelfde huishoudens met dezelfde schokken en trekkingen, zodat de runs alleen in de aannames verschillen.\n",
            u.program_version,
            u.seed,
            crate::output::format::thousands(u.households),
            u.runs,
            u.draws
        )
    );
    let _ = writeln!(o, "{}", pick("## In short\n", "## In het kort\n"));
    let _ = writeln!(o, "{}", pick(
        "The intervals of a single run (`toeslagenlab run`) show simulation noise only: how much the answer would move with another synthetic population of the same size. The answer depends far more on the assumptions the scenario makes. Here every uncertain assumption is drawn over its range at once; the **total interval** covers both.\n",
        "De intervallen van een enkele run (`toeslagenlab run`) tonen alleen simulatieruis: hoeveel de uitkomst zou verschuiven met een andere synthetische populatie van dezelfde omvang. De uitkomst hangt veel sterker af van de aannames van het scenario. Hier wordt elke onzekere aanname tegelijk over haar bereik getrokken; het **totale interval** omvat beide.\n",
    ));
    for c in u.comparisons.iter().filter(|c| c.primary) {
        let _ = writeln!(o, "- {}", headline(u, c));
    }
    let _ = writeln!(
        o,
        "{}",
        pick(
            "\n## The assumptions drawn\n",
            "\n## De getrokken aannames\n"
        )
    );
    let _ = writeln!(
        o,
        "{}",
        pick(
            "| assumption | in the scenario | drawn from | source |",
            "| aanname | in het scenario | getrokken uit | bron |"
        )
    );
    let _ = writeln!(o, "| --- | --- | --- | --- |");
    for a in &u.assumptions {
        let central = match lang::current() {
            Lang::En => a.central.to_string(),
            Lang::Nl => value(a.central),
        };
        let _ = writeln!(
            o,
            "| `{}` | {} | {} | {} |",
            a.key,
            central,
            described(a),
            a.source.replace('|', "\\|")
        );
    }
    let _ = writeln!(o, "{}", pick(
        "\nThe assumptions are drawn independently of one another. Their ranges are themselves judgements: a wider range gives a wider total interval.",
        "\nDe aannames worden onafhankelijk van elkaar getrokken. Hun bereiken zijn zelf een oordeel: een breder bereik geeft een breder totaal interval.",
    ));
    for c in u.comparisons.iter().filter(|c| c.primary) {
        let m = &c.metric;
        let _ = writeln!(
            o,
            "{}",
            tr!(
                "\n## What moves the effect of {} on {}\n",
                "\n## Wat het effect van {} op {} bepaalt\n",
                c.arm,
                label(m).to_lowercase()
            )
        );
        let _ = writeln!(o, "{}", pick(
            "One at a time: the difference with control with one assumption at its lowest or highest value and the others at the scenario's values. Sobol indices: the share of the spread over all draws an assumption explains alone (first-order) or together with the others (total), with 95% bootstrap intervals.\n",
            "Eén voor één: het verschil met de controlegroep wanneer één aanname op haar laagste of hoogste waarde staat en de andere op de waarden van het scenario. Sobol-indices: het deel van de spreiding over alle trekkingen dat een aanname alleen verklaart (eerste orde) of samen met de andere (totaal), met 95%-bootstrapintervallen.\n",
        ));
        let _ = writeln!(
            o,
            "{}",
            pick(
                "| assumption | at its lowest | at its highest | first-order index | total index |",
                "| aanname | op de laagste waarde | op de hoogste waarde | index eerste orde | totale index |"
            )
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
                v.map_or_else(na, |(x, l, h)| {
                    tr!("{} ({} to {})", "{} ({} tot {})", pct1(x), pct1(l), pct1(h))
                })
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
                    pick(
                        "a degree-2 polynomial chaos expansion with pairwise interactions",
                        "een polynomial chaos expansion van graad 2 met paarsgewijze interacties",
                    )
                } else {
                    pick(
                        "a linear expansion (too few draws for interactions: first-order and total indices are equal, and interactions are not measured)",
                        "een lineaire expansie (te weinig trekkingen voor interacties: de indices van eerste orde en de totale indices zijn gelijk, en interacties worden niet gemeten)",
                    )
                };
                let warn = if s.q2 < Q2_WARN {
                    pick(
                        " **That is low: read the indices as a rough ranking.** More draws, or narrower ranges, help; so does simulation noise that is small next to the assumptions' effect (more households).",
                        " **Dat is laag: lees de indices als een ruwe rangorde.** Meer trekkingen of smallere bereiken helpen, net als simulatieruis die klein is naast het effect van de aannames (meer huishoudens).",
                    )
                } else {
                    ""
                };
                let _ = writeln!(
                    o,
                    "{}",
                    tr!(
                        "\nThe indices come from {kind} fitted to the {} draws; it explains {} of their spread (R²) and predicts {} of the spread of a draw left out (Q²).{warn}",
                        "\nDe indices komen uit {kind}, aangepast aan de {} trekkingen; die verklaart {} van hun spreiding (R²) en voorspelt {} van de spreiding van een weggelaten trekking (Q²).{warn}",
                        c.estimable_draws,
                        pct1(s.r2),
                        pct1(s.q2.max(0.0))
                    )
                );
            }
            None => {
                let _ = writeln!(
                    o,
                    "{}",
                    pick(
                        "\nNo sensitivity indices: the effect does not vary over the draws.",
                        "\nGeen gevoeligheidsindices: het effect varieert niet over de trekkingen."
                    )
                );
            }
        }
        let _ = writeln!(
            o,
            "{}",
            tr!(
                "\nChart: [`charts/sensitivity_{0}.png`](charts/sensitivity_{0}.png) (data [`charts/sensitivity_{0}.csv`](charts/sensitivity_{0}.csv), vector [`charts/sensitivity_{0}.svg`](charts/sensitivity_{0}.svg)).\n\n![What moves the effect of {0}](charts/sensitivity_{0}.png)",
                "\nGrafiek: [`charts/sensitivity_{0}.png`](charts/sensitivity_{0}.png) (gegevens [`charts/sensitivity_{0}.csv`](charts/sensitivity_{0}.csv), vectorbestand [`charts/sensitivity_{0}.svg`](charts/sensitivity_{0}.svg)).\n\n![Wat het effect van {0} bepaalt](charts/sensitivity_{0}.png)",
                c.arm
            )
        );
    }
    let _ = writeln!(
        o,
        "{}",
        pick(
            "\n## Every comparison with control\n",
            "\n## Alle vergelijkingen met de controlegroep\n"
        )
    );
    let _ = writeln!(o, "{}", pick(
        "| arm | metric | population | at the scenario's assumptions | Monte Carlo 95% | total 95% | draws with the same sign | same conclusion |",
        "| variant | maatstaf | populatie | bij de aannames van het scenario | Monte Carlo 95% | totaal 95% | trekkingen met hetzelfde teken | dezelfde conclusie |",
    ));
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
            conclusion_text(c.conclusion)
        );
    }
    let _ = writeln!(
        o,
        "{}",
        pick("\n## How this was computed\n", "\n## Hoe dit is berekend\n")
    );
    let _ = writeln!(
        o,
        "{}",
        tr!(
            "- **Design**: {}.",
            "- **Opzet**: {}.",
            method_text(u.design)
        )
    );
    let _ = writeln!(o, "{}", tr!(
        "- **Total interval**: {}. It adds the spread the assumptions cause to each draw's simulation noise (the law of total variance).",
        "- **Totaal interval**: {}. Het telt de spreiding die de aannames veroorzaken op bij de simulatieruis van elke trekking (de wet van de totale variantie).",
        method_text(u.total_interval_method)
    ));
    let _ = writeln!(
        o,
        "{}",
        tr!(
            "- **Sensitivity**: {}.",
            "- **Gevoeligheid**: {}.",
            method_text(u.sensitivity_method)
        )
    );
    let _ = writeln!(o, "{}", pick(
        "- **Conclusion**: as in `run`: a difference is significant when its Holm-adjusted p-value (over the run's family of tested comparisons) is below 0.05; rows outside the family use their own p-value.",
        "- **Conclusie**: zoals in `run`: een verschil is significant als de Holm-gecorrigeerde p-waarde (over de familie van getoetste vergelijkingen van de run) onder 0,05 ligt; rijen buiten de familie gebruiken hun eigen p-waarde.",
    ));
    let _ = writeln!(o, "{}", pick(
        "- **Not covered**: the choice of model itself (rules, the shape of the synthetic population, the kinds of shocks), correlations between assumptions, and assumptions the `[uncertainty]` table does not list. Every parameter the rules mark uncertain that is not listed stays at its value.",
        "- **Niet meegenomen**: de keuze van het model zelf (de regels, de vorm van de synthetische populatie, de soorten schokken), correlaties tussen aannames, en aannames die de tabel `[uncertainty]` niet noemt. Elke parameter die de regels als onzeker aanmerken en die daar niet genoemd is, blijft op zijn waarde.",
    ));
    let _ = writeln!(o, "{}", pick(
        "\nMachine-readable: `uncertainty.json` (every comparison with `estimate`, `mc_ci_low`, `mc_ci_high`, `total_low`, `total_high`, `share_same_sign`, `sensitivity`). Method: docs/uncertainty.md.",
        "\nMachineleesbaar: `uncertainty.json` (elke vergelijking met `estimate`, `mc_ci_low`, `mc_ci_high`, `total_low`, `total_high`, `share_same_sign`, `sensitivity`). Methode: docs/uncertainty.md.",
    ));
    o
}

/// The terminal's lines after an analysis: one per primary comparison.
pub fn terminal_lines(u: &Uncertainty) -> Vec<String> {
    let _en = lang::scoped(Lang::En);
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
