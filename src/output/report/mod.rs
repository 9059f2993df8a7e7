//! The comparison against control and its renderings: `summary.json`, `report.md`, the
//! terminal headline table and `households.csv` rows.
//!
//! Writers return strings or bytes; [`crate::output`] writes them atomically.
//! Must not: re-run the simulation or compute statistics (see [`crate::analysis::summary`]).

pub use crate::analysis::replications::{add_replications, replication_seed};
pub use crate::analysis::summary::{
    primary_threshold, summarize, ArmSummary, Comparison, Metrics, Summary,
};
use crate::model::metric::{Metric, Unit};
use crate::model::money::Money;
use crate::model::scenario::{Scenario, EMPLOYMENT_TYPES, HOUSEHOLD_TYPES};
use crate::output::format::{euro0, p_text, pct_adaptive as pct, pp_adaptive as pp};
use crate::output::lang::{self, Lang};
use crate::sim::engine::Outcome;
use crate::tr;
use std::fmt::Write as _;

mod assumptions;
mod effects;
mod sections;

/// `summary.json` text (stable key order, trailing newline).
pub fn summary_json(s: &Summary) -> String {
    let mut t =
        serde_json::to_string_pretty(s).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    t.push('\n');
    t
}

/// "not estimable (n = 0)" (or the reason recorded) for a comparison without an estimate.
fn not_estimable_text(c: &Comparison) -> String {
    not_estimable_reason(c.not_estimable.as_deref())
}

/// "not estimable (reason)" in the current language ("no estimate" without a reason).
pub(crate) fn not_estimable_reason(reason: Option<&str>) -> String {
    match lang::current() {
        Lang::En => format!("not estimable ({})", reason.unwrap_or("no estimate")),
        Lang::Nl => format!(
            "niet te schatten ({})",
            reason.map_or("geen schatting", reason_nl)
        ),
    }
}

/// The Dutch words of a reason a comparison is not estimable (as the analysis records it); a
/// reason this version does not know stays as recorded.
fn reason_nl(r: &str) -> &str {
    match r {
        "no variation" => "geen variatie",
        "no estimate" => "geen schatting",
        "count above n" => "aantal groter dan n",
        "covariance outside its bounds" => "covariantie buiten haar grenzen",
        "unbounded Fieller set (take-up not clearly above 0)" => {
            "onbegrensd Fieller-interval (deelname niet duidelijk boven 0)"
        }
        "invalid moments" => "ongeldige momenten",
        "take-up above n" => "deelname groter dan n",
        "no take-up" => "geen deelname",
        r => r,
    }
}

/// "a to b" of two formatted bounds of an interval, in the current language.
pub(crate) fn range_text(lo: &str, hi: &str) -> String {
    tr!("{lo} to {hi}", "{lo} tot {hi}")
}

/// The difference, 95% CI and p-value cells of a comparison row, with `d` formatting a
/// difference; "not estimable (…)" and dashes when there is no estimate.
fn estimate_cells(c: &Comparison, d: impl Fn(f64) -> String) -> (String, String, String) {
    match (c.difference, c.ci_low, c.ci_high, c.p_value) {
        (Some(x), Some(lo), Some(hi), Some(p)) => (d(x), range_text(&d(lo), &d(hi)), p_text(p)),
        _ => (not_estimable_text(c), "—".into(), "—".into()),
    }
}

/// The terminal headline table (always English, whatever the language of the files).
pub fn headline(s: &Summary) -> String {
    let _en = lang::scoped(Lang::En);
    let mut o = String::new();
    let _ = writeln!(
        o,
        "{} · benefit year {} · {} households · {} design · seed {}",
        s.scenario,
        s.year,
        crate::model::money::group_thousands(s.households),
        s.design,
        s.seed
    );
    let control = &s.arms[&s.arm_order[0]].metrics;
    let _ = writeln!(
        o,
        "shares and means among the {} recipient households (at least one toeslag); back-payments above {}",
        crate::model::money::group_thousands(control.recipients),
        euro0(s.backpay_threshold as f64)
    );
    let _ = writeln!(
        o,
        "{:<14} {:>8} {:>9} {:>11} {:>12} {:>9} {:>10}",
        "arm",
        "took up",
        "reclaim",
        format!(
            ">€{}",
            crate::model::money::group_thousands(s.high_reclaim_threshold as u64)
        ),
        "mean reclaim",
        "median",
        "withheld"
    );
    for name in &s.arm_order {
        let a = &s.arms[name];
        let m = &a.metrics;
        let _ = writeln!(
            o,
            "{:<14} {:>8} {:>9} {:>11} {:>12} {:>9} {:>10}",
            name,
            if a.policy == "standard" {
                "—".to_string()
            } else {
                pct(m.takeup_share)
            },
            pct(m.reclaim_share),
            pct(m.high_reclaim_share),
            euro0(m.mean_reclaim),
            euro0(m.median_reclaim),
            euro0(m.withheld_during_year),
        );
    }
    for c in s
        .comparisons
        .iter()
        .filter(|c| c.is(Metric::ReclaimShare) && c.population == "all")
    {
        let _ = match (c.difference, c.ci_low, c.ci_high, c.p_value) {
            (Some(d), Some(lo), Some(hi), Some(p)) => writeln!(
                o,
                "{} vs {}: reclaim share {} (95% CI {} to {}, p {}, adjusted for {} comparisons {})",
                c.arm,
                c.vs,
                pp(d),
                pp(lo),
                pp(hi),
                p_text(p),
                s.family_size,
                c.p_adjusted.map(p_text).unwrap_or_else(|| "—".into()),
            ),
            _ => writeln!(
                o,
                "{} vs {}: reclaim share {}",
                c.arm,
                c.vs,
                not_estimable_text(c)
            ),
        };
    }
    if let Some(sens) = &s.selection_sensitivity {
        for arm in sens.arms() {
            if let Some((lo, hi, n)) = sens.range(arm) {
                let _ = writeln!(
                    o,
                    "{arm} vs {}: {} {} to {} across {n} assumptions of who takes the offer (report.md, \"Who takes the offer\")",
                    s.arm_order[0],
                    metric_label(&sens.metric),
                    if is_share_key(&sens.metric) { pp(lo) } else { euro0(lo) },
                    if is_share_key(&sens.metric) { pp(hi) } else { euro0(hi) },
                );
            }
        }
    }
    o
}

/// Whether a metric key is a share (shown as a percentage, differences in points).
pub(crate) fn is_share_key(m: &str) -> bool {
    Metric::parse(m).is_some_and(|m| m.unit() == Unit::Share)
}

/// `report.md`: the research note.
pub fn report_markdown(sc: &Scenario, s: &Summary) -> String {
    let mut o = String::new();
    sections::scenario(&mut o, sc, s);
    sections::arms(&mut o, sc, s);
    sections::headline(&mut o, s);
    sections::selection(&mut o, s);
    sections::monte_carlo(&mut o, s);
    sections::per_arm(&mut o, sc, s);
    sections::by_household_type(&mut o, s);
    sections::by_income_decile(&mut o, s);
    sections::winners_losers(&mut o, s);
    sections::took_offer(&mut o, s);
    effects::between_arms(&mut o, s);
    effects::subgroups(&mut o, s);
    sections::conclusion(&mut o, s);
    o.push_str(&crate::output::lab::lab_section_md(sc, s));
    sections::pilot(&mut o, s);
    sections::assumptions(&mut o, sc, s);
    o
}

/// The words report.md uses for a comparison's metric (the metric table's label; the
/// threshold family adds its amount; a key this version does not know is shown as words), in
/// the current language.
pub(crate) fn metric_label(m: &str) -> String {
    match (Metric::parse(m), lang::current()) {
        (Some(Metric::HighReclaimShareAbove(t)), l) => {
            let label = match l {
                Lang::En => Metric::HighReclaimShareAbove(t).label(),
                Lang::Nl => metric_label_nl(Metric::HighReclaimShareAbove(t)),
            };
            format!("{label} {}", euro0(t as f64))
        }
        (Some(metric), Lang::En) => metric.label().to_string(),
        (Some(metric), Lang::Nl) => metric_label_nl(metric).to_string(),
        (None, Lang::En) => m.replace('_', " ").replace("backpay", "back-payment"),
        (None, Lang::Nl) => match m {
            "mean_backpay_per_household" => "nabetaling per huishouden".to_string(),
            _ => m.replace('_', " "),
        },
    }
}

/// The Dutch label of a metric ([`Metric::label`] is the English one; for the threshold family
/// without the amount).
pub(crate) fn metric_label_nl(m: Metric) -> &'static str {
    match m {
        Metric::ReclaimShare => "aandeel met een terugvordering",
        Metric::HighReclaimShare => "aandeel met een hoge terugvordering",
        Metric::MeanReclaim => "gemiddelde terugvordering",
        Metric::MedianReclaim => "mediane terugvordering",
        Metric::P90Reclaim => "terugvordering, 90e percentiel",
        Metric::P99Reclaim => "terugvordering, 99e percentiel",
        Metric::TotalReclaimed => "totaal teruggevorderd",
        Metric::ReclaimIncomeShare => "terugvordering als aandeel van het maandinkomen",
        Metric::BackpayShare => "aandeel met een nabetaling",
        Metric::MeanBackpay => "gemiddelde nabetaling (bij wie er een krijgt)",
        Metric::WithheldDuringYear => "in het jaar ingehouden voorschot",
        Metric::TotalWithheld => "totaal ingehouden voorschot",
        Metric::TakeupShare => "nam het aanbod aan",
        Metric::MeanAbsGap => "verschil tussen toekenning en voorschotten",
        Metric::MeanRepaymentMonthly => "maandelijkse aflossing (bij een terugvordering)",
        Metric::InYearReclaimShare => "aandeel met een terugvordering in het jaar",
        Metric::MeanAdvances => "gemiddelde voorschotten",
        Metric::MeanDefinitiveAward => "gemiddelde definitieve toekenning",
        Metric::NetReclaimShare => "saldo van de vaststelling een terugvordering",
        Metric::NetBackpayShare => "saldo van de vaststelling een nabetaling",
        Metric::MeanNetSettlement => "gemiddeld saldo van de vaststelling",
        Metric::MeanReclaimPerHousehold => "terugvordering per huishouden",
        Metric::MeanRepaymentMonthlyPerHousehold => "maandelijkse aflossing per huishouden",
        Metric::HighReclaimShareAbove(_) => "aandeel met een terugvordering boven",
    }
}

/// A benefit's name (`Benefit::name`, e.g. `kindgebonden_budget`) as report text: unchanged in
/// English (the report writes the Dutch names there too), with spaces in Dutch
/// (`kindgebonden budget`).
pub(crate) fn benefit_label(name: &str) -> String {
    match lang::current() {
        Lang::En => name.to_string(),
        Lang::Nl => name.replace('_', " "),
    }
}

/// Benefit names (`Benefit::name`) as a list in words: `a and b and c` in English (as the
/// report always wrote it), `a, b en c` in Dutch.
pub(crate) fn benefit_list(names: &[impl AsRef<str>]) -> String {
    let labels: Vec<String> = names.iter().map(|n| benefit_label(n.as_ref())).collect();
    match (lang::current(), labels.split_last()) {
        (Lang::En, _) | (_, None) => labels.join(" and "),
        (Lang::Nl, Some((last, []))) => last.clone(),
        (Lang::Nl, Some((last, rest))) => format!("{} en {last}", rest.join(", ")),
    }
}

/// A household type (`HOUSEHOLD_TYPES`: `single`, `couple`, `single_parent`,
/// `couple_with_children`) as report text: the key unchanged in English, words in Dutch.
pub(crate) fn household_type_label(t: &str) -> String {
    match lang::current() {
        Lang::En => t.to_string(),
        Lang::Nl => match t {
            "single" => "alleenstaande".into(),
            "couple" => "paar zonder kinderen".into(),
            "single_parent" => "alleenstaande ouder".into(),
            "couple_with_children" => "paar met kinderen".into(),
            t => t.replace('_', " "),
        },
    }
}

/// An employment type (`EMPLOYMENT_TYPES`: `employee`, `flex`, `self_employed`) as report
/// text: the key unchanged in English, words in Dutch.
pub(crate) fn employment_label(t: &str) -> String {
    match lang::current() {
        Lang::En => t.to_string(),
        Lang::Nl => match t {
            "employee" => "werknemer".into(),
            "flex" => "flexwerker".into(),
            "self_employed" => "zelfstandige".into(),
            t => t.replace('_', " "),
        },
    }
}

/// A design's name (`paired`, `randomized`) as report text: unchanged in English, the Dutch
/// adjective in Dutch (`gepaard`, `gerandomiseerd`).
pub(crate) fn design_label(name: &str) -> String {
    match lang::current() {
        Lang::En => name.to_string(),
        Lang::Nl => match name {
            "paired" => "gepaard".into(),
            "randomized" => "gerandomiseerd".into(),
            n => n.to_string(),
        },
    }
}

/// An in-year recalculation's name (`spread`, `lump_sum`) as report text: unchanged in
/// English, words in Dutch.
pub(crate) fn recalculation_label(name: &str) -> String {
    match lang::current() {
        Lang::En => name.to_string(),
        Lang::Nl => match name {
            "spread" => "gespreid over de resterende maanden".into(),
            "lump_sum" => "ineens (nabetaling of terugvordering in het jaar)".into(),
            n => n.replace('_', " "),
        },
    }
}

/// An intervention's name (`attention_letter`, …) as report text: unchanged in English, the
/// agency's word in Dutch (attentiebrief, …).
pub(crate) fn intervention_label(name: &str) -> String {
    match lang::current() {
        Lang::En => name.to_string(),
        Lang::Nl => match name {
            "attention_letter" => "attentiebrief".into(),
            "year_start_notice" => "bericht aan het begin van het jaar".into(),
            "mutation" => "datagedreven mutatie".into(),
            "personal_guidance" => "persoonlijke begeleiding".into(),
            n => n.replace('_', " "),
        },
    }
}

/// A subgroup's name in a dimension (`household_type`, `employment`, `income_decile`,
/// `benefit`) as report text: in English the name with spaces for underscores (as the report
/// always wrote it), in Dutch the Dutch words (`deciel 3: €14.000 tot €21.000`).
pub(crate) fn subgroup_label(dimension: &str, group: &str) -> String {
    match (lang::current(), dimension) {
        (Lang::En, _) => group.replace('_', " "),
        (Lang::Nl, "household_type") => household_type_label(group),
        (Lang::Nl, "employment") => employment_label(group),
        (Lang::Nl, "benefit") => benefit_label(group),
        (Lang::Nl, "income_decile") => decile_group_nl(group),
        (Lang::Nl, _) => group.replace('_', " "),
    }
}

/// A subgroup dimension (`household_type`, …) as report text ("household type" in English).
pub(crate) fn dimension_label(dimension: &str) -> String {
    match lang::current() {
        Lang::En => dimension.replace('_', " "),
        Lang::Nl => match dimension {
            "household_type" => "huishoudtype".into(),
            "employment" => "type werk".into(),
            "income_decile" => "inkomensdeciel".into(),
            "benefit" => "toeslag".into(),
            d => d.replace('_', " "),
        },
    }
}

/// An income decile's subgroup name as the analysis writes it (`decile 3: €14,000 to €21,000`,
/// `decile 10: €42,000 and more`) in Dutch: `deciel 3: €14.000 tot €21.000`, `deciel 10:
/// €42.000 en meer`; another name unchanged.
fn decile_group_nl(g: &str) -> String {
    let Some(rest) = g.strip_prefix("decile ") else {
        return g.to_string();
    };
    let rest = crate::output::format::localize_number(rest)
        .replace(" to ", " tot ")
        .replace(" and more", " en meer");
    format!("deciel {rest}")
}

/// "decile: from to to" (or "and more" without an upper bound) of an income decile row, in
/// the current language: `3: €14,000 to €21,000` / `3: €14.000 tot €21.000`.
pub(crate) fn decile_bounds_text(
    decile: impl std::fmt::Display,
    from: u64,
    to: Option<u64>,
) -> String {
    let from = euro0(from as f64);
    match to {
        Some(to) => {
            let to = euro0(to as f64);
            tr!("{decile}: {from} to {to}", "{decile}: {from} tot {to}")
        }
        None => tr!("{decile}: {from} and more", "{decile}: {from} en meer"),
    }
}

/// An arm's advance policy for the arms table: [`AdvancePolicy::describe`] in English, the
/// same in Dutch words.
pub(crate) fn policy_label(p: &crate::model::scenario::AdvancePolicy) -> String {
    use crate::model::scenario::AdvancePolicy;
    if lang::current() == Lang::En {
        return p.describe();
    }
    match p {
        AdvancePolicy::Standard => "standaard: 100% van het berekende voorschot".to_string(),
        AdvancePolicy::Cautious { fraction } => format!(
            "voorzichtig: {} van het berekende voorschot",
            crate::output::format::localize_number(&fraction.to_string())
        ),
        AdvancePolicy::Adjustable { choice } => {
            let total = choice.iter().map(|c| c.weight).sum::<f64>();
            format!(
                "instelbaar: het huishouden kiest een percentage ({})",
                choice
                    .iter()
                    .map(|b| format!("{}–{}%: {:.0}%", b.lo, b.hi, b.weight * 100.0 / total))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        }
        AdvancePolicy::Custom(c) => {
            format!(
                "eigen beleid: `{}` (een in code gedefinieerd beleid)",
                c.name()
            )
        }
    }
}

/// A statistical method as a comparison records it (`Welch t-test`, …), in the current
/// language; a method this version does not know stays as recorded.
pub(crate) fn method_label(m: &str) -> String {
    if lang::current() == Lang::En {
        return m.to_string();
    }
    match m {
        "two-proportion z-test (pooled), Wald CI" => {
            "z-toets voor twee proporties (gepoold), Wald-interval".into()
        }
        "McNemar test on discordant pairs, Wald CI of the paired difference" => {
            "McNemar-toets op de ongelijke paren, Wald-interval van het gepaarde verschil".into()
        }
        "Welch t-test" => "t-toets van Welch".into(),
        "paired t-test" => "gepaarde t-toets".into(),
        "percentile bootstrap (1,000 seeded resamples of each arm)" => {
            "percentiel-bootstrap (1.000 herhaalbare hertrekkingen per variant)".into()
        }
        "paired percentile bootstrap (1,000 seeded resamples of households, each with its reclaim under both arms)" => {
            "gepaarde percentiel-bootstrap (1.000 herhaalbare hertrekkingen van huishoudens, elk met de terugvordering onder beide varianten)".into()
        }
        "paired percentile bootstrap (1,000 seeded resamples of a 50,000-household subsample, spread rescaled by √(subsample / all): m-out-of-n bootstrap)" => {
            "gepaarde percentiel-bootstrap (1.000 herhaalbare hertrekkingen van een steekproef van 50.000 huishoudens, spreiding herschaald met √(steekproef / alle): m-uit-n-bootstrap)".into()
        }
        "Newcombe hybrid score interval (method 10), pooled score test" => {
            "hybride score-interval van Newcombe (methode 10), gepoolde scoretoets".into()
        }
        "Newcombe hybrid score interval (method 10), Fisher exact test" => {
            "hybride score-interval van Newcombe (methode 10), exacte toets van Fisher".into()
        }
        "Newcombe paired score interval (method 10), McNemar test" => {
            "gepaard score-interval van Newcombe (methode 10), McNemar-toets".into()
        }
        "Newcombe paired score interval (method 10), exact McNemar test" => {
            "gepaard score-interval van Newcombe (methode 10), exacte McNemar-toets".into()
        }
        "complier average causal effect (ITT / take-up), Fieller interval, Welch test of the ITT effect" => {
            "gemiddeld causaal effect bij wie het aanbod aanneemt (ITT / deelname), Fieller-interval, Welch-toets van het ITT-effect".into()
        }
        // Other combinations (the multi-year debt comparisons): name by name.
        m => [
        (
            "Newcombe paired score interval (method 10)",
            "gepaard score-interval van Newcombe (methode 10)",
        ),
        (
            "Newcombe hybrid score interval (method 10)",
            "hybride score-interval van Newcombe (methode 10)",
        ),
        ("exact McNemar test", "exacte McNemar-toets"),
        ("McNemar test", "McNemar-toets"),
        ("Fisher exact test", "exacte toets van Fisher"),
        ("pooled score test", "gepoolde scoretoets"),
        ("paired t-test", "gepaarde t-toets"),
        ("Welch's t-test", "t-toets van Welch"),
        ("Welch t-test", "t-toets van Welch"),
    ]
        .iter()
        .fold(m.to_string(), |acc, (en, nl)| acc.replace(en, nl)),
    }
}

/// Whether a comparison's metric is a share (shown as a percentage, differences in points).
fn is_share(c: &Comparison) -> bool {
    c.metric_id().is_some_and(|m| m.unit() == Unit::Share)
}

/// The columns of `households.csv`: fixed columns, one reclaim column per benefit, then who is
/// counted (`recipient`), the back-payment as counted (`backpay_counted`: the benefits'
/// back-payments above `backpay_threshold`), the net settlement across benefits and one
/// back-payment column per benefit, the employment type (`employee` without an employment
/// model) and the benefits the household receives in the arm (`receives`).
pub fn csv_header() -> Vec<String> {
    let mut h: Vec<String> = [
        "household_id",
        "arm",
        "household_type",
        "took_offer",
        "chosen_percentage",
        "advances",
        "definitive_award",
        "reclaim",
        "reclaim_before_threshold",
        "backpay",
        "withheld",
        "in_year_reclaim",
        "repayment_monthly",
        "income",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    h.extend(
        crate::rules::Benefit::ALL
            .iter()
            .map(|b| format!("reclaim_{}", b.name())),
    );
    h.extend(
        ["recipient", "backpay_counted", "net_settlement"]
            .iter()
            .map(|s| s.to_string()),
    );
    h.extend(
        crate::rules::Benefit::ALL
            .iter()
            .map(|b| format!("backpay_{}", b.name())),
    );
    h.push("employment".to_string());
    h.push("receives".to_string());
    h
}

/// The benefits of the bit set `receives` (one bit per benefit index), `+`-joined in benefit
/// order (`zorgtoeslag+huurtoeslag`; empty for none): the `receives` cell of households.csv.
pub(crate) fn receives_cell(receives: u8) -> String {
    let names: Vec<&str> = crate::rules::Benefit::ALL
        .iter()
        .enumerate()
        .filter(|(b, _)| receives & (1 << b) != 0)
        .map(|(_, benefit)| benefit.name())
        .collect();
    names.join("+")
}

/// The `chosen_percentage` cell of households.csv: the advance percentage applied, rounded to
/// a whole percent, when its arm `offers` a reduced advance; `None` (an empty cell) otherwise.
pub(crate) fn chosen_percentage(offers: bool, o: &Outcome) -> Option<i64> {
    offers.then(|| (o.percentage.to_f64() * 100.0).round() as i64)
}

pub(crate) fn money_cell(m: Money) -> String {
    let neg = m.0 < 0;
    let a = m.0.unsigned_abs();
    format!("{}{}.{:02}", if neg { "-" } else { "" }, a / 100, a % 100)
}

/// Writes outcomes as `households.csv` rows (amounts in euros with two decimals).
pub fn write_rows<W: std::io::Write>(
    w: &mut csv::Writer<W>,
    sc: &Scenario,
    rows: &[Outcome],
) -> csv::Result<()> {
    let mut rec: Vec<String> = Vec::with_capacity(17 + 2 * crate::rules::N_BENEFITS);
    for o in rows {
        let arm = &sc.arms[o.arm];
        let pct =
            chosen_percentage(arm.policy.offers(), o).map_or_else(String::new, |p| p.to_string());
        rec.clear();
        rec.extend([
            o.household_id.to_string(),
            arm.name.clone(),
            HOUSEHOLD_TYPES[o.household_type as usize].to_string(),
            o.took_offer.to_string(),
            pct,
            money_cell(o.advances),
            money_cell(o.definitive),
            money_cell(o.reclaim),
            money_cell(o.reclaim_before_threshold),
            money_cell(o.backpay),
            money_cell(o.withheld),
            money_cell(o.in_year_reclaim),
            money_cell(o.repayment_monthly),
            money_cell(o.income),
        ]);
        rec.extend(o.reclaim_by_benefit.iter().map(|m| money_cell(*m)));
        rec.extend([
            o.recipient.to_string(),
            money_cell(o.backpay_counted),
            money_cell(o.net_settlement()),
        ]);
        rec.extend(o.backpay_by_benefit.iter().map(|m| money_cell(*m)));
        rec.push(EMPLOYMENT_TYPES[o.employment as usize].to_string());
        rec.push(receives_cell(o.receives));
        w.write_record(&rec)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::metric::METRICS;

    #[test]
    fn every_metric_has_a_dutch_label_and_english_stays_the_table_s() {
        let keys: Vec<String> = METRICS
            .iter()
            .map(|d| match d.metric {
                Metric::HighReclaimShareAbove(_) => Metric::HighReclaimShareAbove(1500).key(),
                m => m.key(),
            })
            .collect();
        for k in &keys {
            let en = metric_label(k);
            let nl = {
                let _g = lang::scoped(Lang::Nl);
                metric_label(k)
            };
            let m = Metric::parse(k).unwrap();
            assert!(en.starts_with(m.label()), "{k}: {en}");
            assert_ne!(en, nl, "{k}");
            for w in ["reclaim", "household", "advance", "back-payment", "share"] {
                assert!(!nl.contains(w), "{k}: {nl}");
            }
        }
        let _g = lang::scoped(Lang::Nl);
        assert_eq!(
            metric_label("high_reclaim_share_1500"),
            "aandeel met een terugvordering boven €1.500"
        );
        assert_eq!(
            metric_label("mean_backpay_per_household"),
            "nabetaling per huishouden"
        );
    }

    #[test]
    fn labels_are_the_keys_in_english_and_words_in_dutch() {
        assert_eq!(household_type_label("single_parent"), "single_parent");
        assert_eq!(benefit_label("kindgebonden_budget"), "kindgebonden_budget");
        assert_eq!(
            subgroup_label("household_type", "single_parent"),
            "single parent"
        );
        assert_eq!(
            benefit_list(&["zorgtoeslag", "huurtoeslag"]),
            "zorgtoeslag and huurtoeslag"
        );
        assert_eq!(range_text("a", "b"), "a to b");
        assert_eq!(not_estimable_reason(None), "not estimable (no estimate)");
        let _g = lang::scoped(Lang::Nl);
        assert_eq!(
            household_type_label("couple_with_children"),
            "paar met kinderen"
        );
        assert_eq!(employment_label("self_employed"), "zelfstandige");
        assert_eq!(design_label("randomized"), "gerandomiseerd");
        assert_eq!(intervention_label("attention_letter"), "attentiebrief");
        assert_eq!(benefit_label("kindgebonden_budget"), "kindgebonden budget");
        assert_eq!(
            benefit_list(&["zorgtoeslag", "huurtoeslag", "kindgebonden_budget"]),
            "zorgtoeslag, huurtoeslag en kindgebonden budget"
        );
        assert_eq!(
            subgroup_label("income_decile", "decile 3: €14,000 to €21,000"),
            "deciel 3: €14.000 tot €21.000"
        );
        assert_eq!(
            subgroup_label("income_decile", "decile 10: €42,000 and more"),
            "deciel 10: €42.000 en meer"
        );
        assert_eq!(decile_bounds_text(10, 42_000, None), "10: €42.000 en meer");
        assert_eq!(
            not_estimable_reason(Some("no variation")),
            "niet te schatten (geen variatie)"
        );
        assert_eq!(method_label("Welch t-test"), "t-toets van Welch");
        assert_eq!(method_label("a new method"), "a new method");
    }
}
