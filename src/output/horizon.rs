//! The bytes of a multi-year run (`[horizon]`): report.md's "Beyond one year" section, the long
//! tables `years.csv`, `debt_by_arm.csv` and `debt_comparisons.csv`, the open-debt chart's
//! table, and the per-household `households_debts.csv` rows. Everything is built from the typed
//! summary ([`HorizonSummary`]) or the streamed rows.
//!
//! Must not: simulate, compute statistics, print.

use crate::analysis::horizon::{DebtComparison, HorizonSummary};
use crate::model::scenario::Scenario;
use crate::output::charts::{ChartKind, Table};
use crate::output::format::{euro0, localize_number, num, pct1, pp_unit, signed_euro};
use crate::output::lang::{self, pick, Lang};
use crate::output::report::money_cell;
use crate::output::tables::csv_text;
use crate::sim::horizon::HouseholdDebt;
use crate::tr;
use std::fmt::Write as _;

/// The files a multi-year run adds (besides the open-debt chart).
pub const HORIZON_FILES: [&str; 4] = [
    "years.csv",
    "debt_by_arm.csv",
    "debt_comparisons.csv",
    "households_debts.csv",
];

/// The columns of households_debts.csv.
pub fn debts_header() -> Vec<&'static str> {
    vec![
        "household_id",
        "arm",
        "recipient",
        "reclaims",
        "reclaimed_eur",
        "repaid_eur",
        "offset_from_advances_eur",
        "netted_eur",
        "backpay_paid_eur",
        "open_end_eur",
        "months_in_debt",
        "peak_open_eur",
        "max_concurrent",
        "monthly_income_start_eur",
    ]
}

/// One row of households_debts.csv (money in euros with two decimals, exact from cents).
pub fn debts_row(sc: &Scenario, d: &HouseholdDebt) -> Vec<String> {
    let t = &d.totals;
    vec![
        d.household_id.to_string(),
        sc.arms[d.arm].name.clone(),
        (d.recipient as u8).to_string(),
        t.reclaims.to_string(),
        money_cell(t.reclaimed),
        money_cell(t.repaid),
        money_cell(t.offset_from_advances),
        money_cell(t.netted),
        money_cell(t.backpay_paid),
        money_cell(d.open_end),
        t.months_in_debt.to_string(),
        money_cell(t.peak_open),
        t.max_concurrent.to_string(),
        money_cell(d.monthly_income),
    ]
}

fn f(x: f64) -> String {
    let s = format!("{x:.6}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" {
        "0".into()
    } else {
        s.to_string()
    }
}

fn opt(x: Option<f64>) -> String {
    x.map(f).unwrap_or_default()
}

fn strings(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

/// The long tables of the horizon: per year and arm the headline metrics, per arm the debt
/// metrics, the debt comparisons.
pub fn tables(h: &HorizonSummary) -> Vec<(&'static str, String)> {
    let mut years = Vec::new();
    for y in &h.by_year {
        for arm in &y.summary.arm_order {
            let Some(a) = y.summary.arms.get(arm) else {
                continue;
            };
            let m = &a.metrics;
            for (metric, v) in [
                ("reclaim_share", m.reclaim_share),
                ("high_reclaim_share", m.high_reclaim_share),
                ("mean_reclaim", m.mean_reclaim),
                ("backpay_share", m.backpay_share),
                ("withheld_during_year", m.withheld_during_year),
            ] {
                years.push(vec![
                    y.year.to_string(),
                    (y.projected as u8).to_string(),
                    arm.clone(),
                    metric.to_string(),
                    f(v),
                ]);
            }
        }
    }
    let mut debt = Vec::new();
    for (arm, d) in &h.debt {
        let mut rows: Vec<(String, f64)> = vec![
            ("households".into(), d.households as f64),
            ("ever_in_debt_share".into(), d.ever_in_debt_share),
            (
                "households_with_open_debt_end".into(),
                d.households_with_open_debt_end as f64,
            ),
            ("open_debt_end_share".into(), d.open_debt_end_share),
            ("mean_months_in_debt".into(), d.mean_months_in_debt),
            (
                "mean_peak_debt_months_of_income".into(),
                d.mean_peak_debt_months_of_income,
            ),
            (
                "peak_above_month_income_share".into(),
                d.peak_above_month_income_share,
            ),
            ("mean_open_debt_end".into(), d.mean_open_debt_end),
            ("reclaimed_total".into(), d.reclaimed_total),
            ("repaid_total".into(), d.repaid_total),
            (
                "offset_from_advances_total".into(),
                d.offset_from_advances_total,
            ),
            ("netted_total".into(), d.netted_total),
            ("backpay_paid_total".into(), d.backpay_paid_total),
            ("open_end_total".into(), d.open_end_total),
            ("backpay_netted_share".into(), d.backpay_netted_share),
        ];
        for (k, v) in &d.concurrent_reclaims {
            rows.push((format!("concurrent_reclaims_{k}"), *v));
        }
        for (k, v) in rows {
            debt.push(vec![arm.clone(), k, f(v)]);
        }
    }
    let comps: Vec<Vec<String>> = h
        .debt_comparisons
        .iter()
        .map(|c| {
            vec![
                c.arm.clone(),
                c.metric.clone(),
                f(c.control),
                f(c.treated),
                opt(c.difference),
                opt(c.ci_low),
                opt(c.ci_high),
                opt(c.p_value),
                opt(c.p_adjusted),
                c.method.clone(),
                c.not_estimable.clone().unwrap_or_default(),
            ]
        })
        .collect();
    vec![
        (
            HORIZON_FILES[0],
            csv_text(
                &strings(&["year", "projected", "arm", "metric", "value"]),
                &years,
            ),
        ),
        (
            HORIZON_FILES[1],
            csv_text(&strings(&["arm", "metric", "value"]), &debt),
        ),
        (
            HORIZON_FILES[2],
            csv_text(
                &strings(&[
                    "arm",
                    "metric",
                    "control",
                    "treated",
                    "difference",
                    "ci_low",
                    "ci_high",
                    "p_value",
                    "p_adjusted",
                    "method",
                    "not_estimable",
                ]),
                &comps,
            ),
        ),
    ]
}

/// The open-debt chart's table (charts/open_debt.*), arms in `arm_order`.
pub fn open_debt_table(h: &HorizonSummary, arm_order: &[String]) -> Table {
    let mut t = Table::for_chart(ChartKind::OpenDebt);
    let first = h.years.first().copied().unwrap_or(0) as usize;
    for arm in arm_order {
        let Some(d) = h.debt.get(arm) else { continue };
        for (m, (mean, share)) in d
            .open_debt_by_month
            .iter()
            .zip(&d.in_debt_share_by_month)
            .enumerate()
        {
            t.rows.push(vec![
                arm.clone(),
                (m + 1).to_string(),
                (first + m / 12).to_string(),
                (m % 12 + 1).to_string(),
                format!("{:.4}", share * 100.0),
                format!("{mean:.2}"),
            ]);
        }
    }
    t
}

fn metric_label(m: &str) -> &'static str {
    match m {
        "open_debt_end_share" => pick(
            "households still in debt at the end",
            "huishoudens met schuld aan het eind",
        ),
        "ever_in_debt_share" => pick("households ever in debt", "huishoudens ooit met schuld"),
        "mean_open_debt_end" => pick(
            "mean open debt at the end",
            "gemiddelde openstaande schuld aan het eind",
        ),
        _ => "?",
    }
}

/// Why a debt comparison has no estimate (the analysis' English words, as in
/// debt_comparisons.csv), in the current language when it is a known reason.
fn reason_text(r: &str) -> String {
    if lang::current() == Lang::En {
        return r.to_string();
    }
    match r {
        "no estimate" => "geen schatting".into(),
        other => other.to_string(),
    }
}

fn comparison_cells(c: &DebtComparison) -> (String, String, String) {
    let money = c.metric == "mean_open_debt_end";
    let d = |x: f64| {
        if money {
            signed_euro(x)
        } else {
            format!(
                "{} {}",
                localize_number(&format!("{:+.1}", x * 100.0)),
                pp_unit()
            )
        }
    };
    match (c.difference, c.ci_low, c.ci_high, c.p_adjusted) {
        (Some(x), Some(lo), Some(hi), Some(p)) => (
            d(x),
            tr!("{} to {}", "{} tot {}", d(lo), d(hi)),
            if p < 0.001 {
                localize_number("< 0.001")
            } else {
                num(p, 3)
            },
        ),
        _ => (
            tr!(
                "not estimable ({})",
                "niet te schatten ({})",
                reason_text(c.not_estimable.as_deref().unwrap_or("no estimate"))
            ),
            "—".into(),
            "—".into(),
        ),
    }
}

/// The analysis' description of who the debt figures count (English in summary.json), in the
/// current language.
fn population_text(p: &str) -> &str {
    if lang::current() == Lang::En {
        return p;
    }
    match p {
        "households with a toeslag in at least one year of the horizon (recipients, decided on the household as drawn; the same in every arm)" =>
            "huishoudens met een toeslag in ten minste één jaar van de horizon (ontvangers, bepaald op het huishouden zoals getrokken; in elke variant dezelfde)",
        other => other,
    }
}

/// report.md's section on the horizon.
pub fn report_section(h: &HorizonSummary, arm_order: &[String]) -> String {
    let mut s = String::new();
    let first = h.years.first().copied().unwrap_or(0);
    let last = h.years.last().copied().unwrap_or(0);
    let _ = writeln!(
        s,
        "{}",
        tr!(
            "\n## Beyond one year: {first}–{last}\n",
            "\n## Verder dan één jaar: {first}–{last}\n"
        )
    );
    let _ = writeln!(
        s,
        "{}",
        tr!(
            "Every household lives through {} benefit years; the tables above are the first year's ({first}), \
             exactly as a one-year run of it. Each year's reclaim becomes a debt with its own repayment plan \
             in month {} of the year after (its settlement), back-payments are netted against open debts \
             (oldest first) before anything is paid out, and instalments are taken from the month's advances \
             where they suffice. The horizon has {} months: the benefit years and the last year's settlement \
             months. Debt figures count {}.\n",
            "Elk huishouden doorloopt {} toeslagjaren; de tabellen hierboven gaan over het eerste jaar ({first}), \
             precies als een run van één jaar. De terugvordering van elk jaar wordt een schuld met een eigen \
             betalingsregeling in maand {} van het jaar erna (bij de definitieve toekenning), nabetalingen worden \
             eerst met openstaande schulden verrekend (de oudste eerst) voordat er iets wordt uitbetaald, en \
             termijnen worden ingehouden op de voorschotten van de maand als die toereikend zijn. De horizon telt \
             {} maanden: de toeslagjaren en de maanden tot en met de definitieve toekenning van het laatste jaar. \
             De schuldcijfers tellen {}.\n",
            h.years.len(),
            h.settlement_month,
            h.months,
            population_text(&h.population)
        )
    );
    let projected = if h.projected_years.is_empty() {
        String::new()
    } else {
        let years = h
            .projected_years
            .iter()
            .map(|y| y.to_string())
            .collect::<Vec<_>>()
            .join(", ");
        tr!(
            " **Projected years** (the last known year's parameters carried forward unchanged, no indexation): {years}.",
            " **Geprojecteerde jaren** (de parameters van het laatst bekende jaar ongewijzigd doorgetrokken, zonder indexering): {years}."
        )
    };
    let _ = writeln!(
        s,
        "{}",
        tr!(
            "Assumptions [U] (inputs in `[horizon]`, see docs/behaviour.md \"Beyond one year\"): settlement in month {} \
             of the year after; next year's estimates: `{}`; take-up response to last year's reclaim: {}.{}\n",
            "Aannames [U] (invoer in `[horizon]`, zie docs/behaviour.md \"Beyond one year\"): definitieve toekenning in \
             maand {} van het jaar erna; schattingen voor het volgende jaar: `{}`; reactie van het gebruik op de \
             terugvordering van vorig jaar: {}.{}\n",
            h.settlement_month,
            h.next_estimate,
            match lang::current() {
                Lang::En => h.reclaim_takeup_shift.to_string(),
                Lang::Nl => localize_number(&h.reclaim_takeup_shift.to_string()),
            },
            projected
        )
    );
    // Per year.
    let _ = writeln!(
        s,
        "{}",
        pick("### Per benefit year\n", "### Per toeslagjaar\n")
    );
    let mut head = String::from(pick("| year |", "| jaar |"));
    let mut rule = String::from("| --- |");
    for a in arm_order {
        head.push_str(&tr!(
            " {a}: reclaim share | {a}: mean reclaim |",
            " {a}: aandeel met terugvordering | {a}: gemiddelde terugvordering |"
        ));
        rule.push_str(" ---: | ---: |");
    }
    let _ = writeln!(s, "{head}\n{rule}");
    for y in &h.by_year {
        let mut row = format!(
            "| {}{} |",
            y.year,
            if y.projected {
                pick(" (projected)", " (geprojecteerd)")
            } else {
                ""
            }
        );
        for a in arm_order {
            match y.summary.arms.get(a) {
                Some(x) => {
                    let _ = write!(
                        row,
                        " {} | {} |",
                        pct1(x.metrics.reclaim_share),
                        euro0(x.metrics.mean_reclaim)
                    );
                }
                None => row.push_str(" — | — |"),
            }
        }
        let _ = writeln!(s, "{row}");
    }
    let _ = writeln!(
        s,
        "{}",
        pick(
            "\nShares among each year's recipient households; every year's full summary is under `horizon.by_year` in summary.json (and `years.csv`).\n",
            "\nAandelen onder de ontvangende huishoudens van elk jaar; de volledige samenvatting van elk jaar staat onder `horizon.by_year` in summary.json (en in `years.csv`).\n"
        )
    );
    // Debts per arm.
    let _ = writeln!(
        s,
        "{}",
        pick(
            "### Debts over the horizon\n",
            "### Schulden over de horizon\n"
        )
    );
    let _ = writeln!(
        s,
        "{}",
        pick(
            "| arm | households | ever in debt | in debt at the end | open at the end (mean) | months in debt (mean, if ever) | peak debt, months of income (mean) | reclaims open at once: 1 / 2 / 3 / 4+ | back-payments netted |",
            "| variant | huishoudens | ooit met schuld | met schuld aan het eind | openstaand aan het eind (gemiddeld) | maanden met schuld (gemiddeld, als ooit) | hoogste schuld, in maandinkomens (gemiddeld) | terugvorderingen tegelijk open: 1 / 2 / 3 / 4+ | nabetalingen verrekend |"
        )
    );
    let _ = writeln!(
        s,
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: |"
    );
    for a in arm_order {
        let Some(d) = h.debt.get(a) else { continue };
        let c = |k: &str| pct1(d.concurrent_reclaims.get(k).copied().unwrap_or(0.0));
        let _ = writeln!(
            s,
            "| {a} | {} | {} | {} | {} | {} | {} | {} / {} / {} / {} | {} |",
            d.households,
            pct1(d.ever_in_debt_share),
            pct1(d.open_debt_end_share),
            euro0(d.mean_open_debt_end),
            num(d.mean_months_in_debt, 1),
            num(d.mean_peak_debt_months_of_income, 2),
            c("1"),
            c("2"),
            c("3"),
            c("4+"),
            pct1(d.backpay_netted_share),
        );
    }
    let failures = h.debt.values().map(|d| d.identity_failures).sum::<u64>();
    let _ = writeln!(
        s,
        "{}",
        tr!(
            "\nAccounting per household: reclaimed = repaid + netted + open, to the cent; households where it fails: {failures} (every arm).\n",
            "\nBoekhouding per huishouden: teruggevorderd = terugbetaald + verrekend + openstaand, tot op de cent; huishoudens waar dat niet klopt: {failures} (alle varianten).\n"
        )
    );
    if !h.debt_comparisons.is_empty() {
        let _ = writeln!(
            s,
            "{}",
            pick(
                "### Each arm against control over the horizon\n",
                "### Elke variant tegenover de controlegroep over de horizon\n"
            )
        );
        let _ = writeln!(
            s,
            "{}",
            pick(
                "| arm | metric | control | arm | difference | 95% CI | p (Holm) | method |",
                "| variant | maatstaf | controlegroep | variant | verschil | 95%-BI | p (Holm) | methode |"
            )
        );
        let _ = writeln!(s, "| --- | --- | ---: | ---: | ---: | --- | ---: | --- |");
        for c in &h.debt_comparisons {
            let money = c.metric == "mean_open_debt_end";
            let v = |x: f64| if money { euro0(x) } else { pct1(x) };
            let (d, ci, p) = comparison_cells(c);
            let _ = writeln!(
                s,
                "| {} | {} | {} | {} | {d} | {ci} | {p} | {} |",
                c.arm,
                metric_label(&c.metric),
                v(c.control),
                v(c.treated),
                crate::output::report::method_label(&c.method)
            );
        }
        let n = h.debt_comparisons.len();
        let _ = writeln!(
            s,
            "{}",
            tr!(
                "\nThe intervals show simulation noise among these synthetic households only, not the uncertainty of the assumptions above; p-values are Holm-adjusted over these {n} debt comparisons (their own family).",
                "\nDe intervallen tonen alleen de simulatieruis onder deze synthetische huishoudens, niet de onzekerheid van de aannames hierboven; de p-waarden zijn met Holm gecorrigeerd over deze {n} schuldvergelijkingen (een eigen familie)."
            )
        );
    }
    s
}
