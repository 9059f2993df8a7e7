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
use crate::sim::engine::Outcome;
use std::fmt::Write as _;

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
    format!(
        "not estimable ({})",
        c.not_estimable.as_deref().unwrap_or("no estimate")
    )
}

/// The difference, 95% CI and p-value cells of a comparison row, with `d` formatting a
/// difference; "not estimable (…)" and dashes when there is no estimate.
fn estimate_cells(c: &Comparison, d: impl Fn(f64) -> String) -> (String, String, String) {
    match (c.difference, c.ci_low, c.ci_high, c.p_value) {
        (Some(x), Some(lo), Some(hi), Some(p)) => {
            (d(x), format!("{} to {}", d(lo), d(hi)), p_text(p))
        }
        _ => (not_estimable_text(c), "—".into(), "—".into()),
    }
}

/// The terminal headline table.
pub fn headline(s: &Summary) -> String {
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
/// threshold family adds its amount; a key this version does not know is shown as words).
pub(crate) fn metric_label(m: &str) -> String {
    match Metric::parse(m) {
        Some(Metric::HighReclaimShareAbove(t)) => {
            format!(
                "{} {}",
                Metric::HighReclaimShareAbove(t).label(),
                euro0(t as f64)
            )
        }
        Some(metric) => metric.label().to_string(),
        None => m.replace('_', " ").replace("backpay", "back-payment"),
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
