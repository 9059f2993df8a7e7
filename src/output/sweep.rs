//! The outputs of `toeslagenlab sweep`: sweep.csv, the trade-off chart table, report.md and
//! the terminal table, from the grid points' summaries.
//!
//! Must not: run simulations, read scenario files or print.

use crate::model::metric::Metric;
use crate::model::scenario::{Scenario, SweepSpec};
use crate::output::charts::{self, ChartKind, Table};
use crate::output::format::{localize_number, pct1, thousands};
use crate::output::lang::{self, Lang};
use crate::output::report::Summary;
use rust_decimal::Decimal;
use std::fmt::Write as _;

/// One grid point's result.
pub struct Point {
    /// The swept key's value.
    pub value: Decimal,
    /// The second key's value in a two-way sweep (`--by`).
    pub value2: Option<Decimal>,
    /// Households simulated.
    pub households: u64,
    /// The point's summary.
    pub summary: Summary,
}

/// Treatment-vs-control metrics whose difference CI goes into `sweep.csv`.
const DIFF_METRICS: [Metric; 4] = [
    Metric::ReclaimShare,
    Metric::HighReclaimShare,
    Metric::WithheldDuringYear,
    Metric::MeanReclaimPerHousehold,
];

fn opt(x: Option<f64>) -> String {
    x.map(|v| v.to_string()).unwrap_or_default()
}

/// sweep.csv: one row per grid point × treatment arm, with the control arm's metrics and
/// the differences with their confidence intervals.
/// A two-way sweep adds `param2` and `value2` after `value`.
pub fn sweep_csv(
    key: &str,
    key2: Option<&str>,
    base: &Scenario,
    arms: &[String],
    points: &[Point],
) -> Vec<u8> {
    let mut header = vec!["param".to_string(), "value".into()];
    if key2.is_some() {
        header.push("param2".into());
        header.push("value2".into());
    }
    header.push("households".into());
    header.push("seed".into());
    for (i, a) in arms.iter().enumerate() {
        for m in [
            "reclaim_share",
            "high_reclaim_share",
            "withheld_during_year_eur",
            "mean_reclaim_eur",
        ] {
            header.push(format!("{a}.{m}"));
        }
        if i > 0 {
            for m in DIFF_METRICS {
                for s in ["diff", "ci_low", "ci_high"] {
                    header.push(format!("{a}.{}.{s}", m.key()));
                }
            }
        }
    }
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record(&header);
    for p in points {
        let mut row = vec![key.to_string(), p.value.to_string()];
        if let Some(k2) = key2 {
            row.push(k2.to_string());
            row.push(p.value2.map(|v| v.to_string()).unwrap_or_default());
        }
        row.push(p.households.to_string());
        row.push(base.seed.to_string());
        for (i, a) in arms.iter().enumerate() {
            let m = &p.summary.arms[a].metrics;
            row.push(m.reclaim_share.to_string());
            row.push(m.high_reclaim_share.to_string());
            row.push(format!("{:.2}", m.withheld_during_year));
            row.push(format!("{:.2}", m.mean_reclaim));
            if i > 0 {
                for metric in DIFF_METRICS {
                    let c = p.summary.comparison(a, metric, "all");
                    row.push(opt(c.and_then(|c| c.difference)));
                    row.push(opt(c.and_then(|c| c.ci_low)));
                    row.push(opt(c.and_then(|c| c.ci_high)));
                }
            }
        }
        let _ = w.write_record(&row);
    }
    w.into_inner().unwrap_or_default()
}

/// The trade-off chart's table (charts/sweep_tradeoff.*).
pub fn tradeoff_table(key: &str, arms: &[String], points: &[Point]) -> Table {
    let mut t = Table::for_chart(ChartKind::SweepTradeoff);
    for p in points {
        for a in arms {
            let m = &p.summary.arms[a].metrics;
            t.rows.push(vec![
                key.to_string(),
                p.value.to_string(),
                p.summary.high_reclaim_threshold.to_string(),
                a.clone(),
                format!("{:.4}", m.reclaim_share * 100.0),
                format!("{:.4}", m.high_reclaim_share * 100.0),
                format!("{:.2}", m.withheld_during_year),
            ]);
        }
    }
    t
}

/// A share for the terminal table (always English).
fn pct(x: f64) -> String {
    format!("{:.1}%", x * 100.0)
}

/// A swept value in report.md's text and tables: `0.75`, in Dutch `0,75`.
fn value_text(v: &Decimal) -> String {
    localize_number(&v.to_string())
}

/// A metric's words in a two-way sweep's heading: the metric's own label in English (as
/// always), the report's (bilingual) label otherwise.
fn heading_label(metric: Metric) -> String {
    match lang::current() {
        Lang::En => metric.label().to_string(),
        Lang::Nl => crate::output::report::metric_label(&metric.key()),
    }
}

/// The closing line of both sweep reports: where every metric and interval is.
fn csv_note(two_way: bool) -> String {
    match (lang::current(), two_way) {
        (Lang::En, false) => "Every metric per arm, with 95% confidence intervals of each arm's difference from control, is in `sweep.csv`.".into(),
        (Lang::En, true) => "Every metric per arm and grid point, with 95% confidence intervals of each arm's difference from control, is in `sweep.csv`.".into(),
        (Lang::Nl, false) => "Alle maatstaven per variant, met het 95%-betrouwbaarheidsinterval van het verschil van elke variant met de controlegroep, staan in `sweep.csv`.".into(),
        (Lang::Nl, true) => "Alle maatstaven per variant en rasterpunt, met het 95%-betrouwbaarheidsinterval van het verschil van elke variant met de controlegroep, staan in `sweep.csv`.".into(),
    }
}

/// The sweep's report.md (before the charts section).
pub fn sweep_markdown(
    spec: &SweepSpec,
    base: &Scenario,
    arms: &[String],
    points: &[Point],
) -> String {
    let mut o = String::new();
    let _ = writeln!(
        o,
        "{}",
        crate::tr!(
            "# Sweep: `{}` in {}\n",
            "# Parameterreeks: `{}` in {}\n",
            spec.key,
            base.name
        )
    );
    let _ = writeln!(
        o,
        "{}",
        crate::tr!(
            "Scenario `{}`, seed {}, {} households per grid point; `{}` from {} to {} in steps of {}. Every grid point simulates the same households with the same random draws (common random numbers), so differences between points come from the swept value only.\n",
            "Scenario `{}`, seed {}, {} huishoudens per rasterpunt; `{}` van {} tot en met {} in stappen van {}. Elk rasterpunt simuleert dezelfde huishoudens met dezelfde toevalstrekkingen (common random numbers), zodat verschillen tussen de punten alleen door de gevarieerde waarde ontstaan.\n",
            base.path.display(),
            base.seed,
            thousands(base.households),
            spec.key,
            value_text(&spec.from),
            value_text(&spec.to),
            value_text(&spec.step)
        )
    );
    let thr = points
        .first()
        .map(|p| p.summary.high_reclaim_threshold)
        .unwrap_or(1000);
    let thr = charts::euro_label(thr as f64);
    let _ = write!(o, "| {} |", spec.key);
    for a in arms {
        let _ = write!(
            o,
            "{}",
            crate::tr!(
                " {a}: share with a reclaim | {a}: reclaim above {thr} | {a}: withheld per household |",
                " {a}: aandeel met terugvordering | {a}: terugvordering boven {thr} | {a}: ingehouden per huishouden |"
            )
        );
    }
    let _ = writeln!(
        o,
        "\n| ---: |{}",
        " ---: | ---: | ---: |".repeat(arms.len())
    );
    for p in points {
        let _ = write!(o, "| {} |", value_text(&p.value));
        for a in arms {
            let m = &p.summary.arms[a].metrics;
            let _ = write!(
                o,
                " {} | {} | {} |",
                pct1(m.reclaim_share),
                pct1(m.high_reclaim_share),
                charts::euro_label(m.withheld_during_year)
            );
        }
        let _ = writeln!(o);
    }
    let _ = writeln!(o, "\n{}", csv_note(false));
    o
}

/// The table `sweep` prints on stdout.
pub fn terminal_table(key: &str, arms: &[String], points: &[Point]) -> String {
    let _en = lang::scoped(Lang::En);
    let mut o = String::new();
    let _ = write!(o, "{key:>24}");
    for a in arms {
        let _ = write!(o, "  {:>18}", format!("{a} reclaim"));
    }
    let _ = writeln!(o);
    for p in points {
        let _ = write!(o, "{:>24}", p.value.to_string());
        for a in arms {
            let _ = write!(o, "  {:>18}", pct(p.summary.arms[a].metrics.reclaim_share));
        }
        let _ = writeln!(o);
    }
    o
}

/// The primary metric of a two-way sweep's heat maps, and whether it is a share.
fn heat_metric(base: &Scenario) -> (Metric, bool) {
    let m = Metric::parse(&base.primary_metric).unwrap_or(Metric::ReclaimShare);
    (m, m.unit() == crate::model::metric::Unit::Share)
}

/// The heat-map tables of a two-way sweep, one per treatment arm (`charts/sweep_heatmap_<arm>`):
/// the arm's difference with control on the primary metric at every grid point.
pub fn heatmap_tables(
    key: &str,
    key2: &str,
    base: &Scenario,
    arms: &[String],
    points: &[Point],
) -> Vec<(String, Table)> {
    let (metric, share) = heat_metric(base);
    let scale = if share { 100.0 } else { 1.0 };
    let f = |x: Option<f64>| x.map_or_else(|| "0".into(), |v| format!("{:.6}", v * scale));
    arms.iter()
        .skip(1)
        .map(|a| {
            let mut t = Table::for_chart(ChartKind::SweepHeatmap);
            for p in points {
                let c = p.summary.comparison(a, metric, "all");
                t.rows.push(vec![
                    key.to_string(),
                    p.value.to_string(),
                    key2.to_string(),
                    p.value2.map(|v| v.to_string()).unwrap_or_default(),
                    a.clone(),
                    arms[0].clone(),
                    metric.key(),
                    if share { "pp" } else { "EUR" }.into(),
                    f(c.and_then(|c| c.difference)),
                    f(c.and_then(|c| c.ci_low)),
                    f(c.and_then(|c| c.ci_high)),
                ]);
            }
            (a.clone(), t)
        })
        .collect()
}

/// The distinct values of a two-way sweep's first key (rows) and second key (columns), in
/// grid order.
fn axes(points: &[Point]) -> (Vec<Decimal>, Vec<Decimal>) {
    let (mut rows, mut cols): (Vec<Decimal>, Vec<Decimal>) = (Vec::new(), Vec::new());
    for p in points {
        if !rows.contains(&p.value) {
            rows.push(p.value);
        }
        if let Some(w) = p.value2 {
            if !cols.contains(&w) {
                cols.push(w);
            }
        }
    }
    (rows, cols)
}

/// `arm`'s difference with control on `metric` at grid point (`row`, `col`).
fn difference_at(
    points: &[Point],
    row: Decimal,
    col: Decimal,
    arm: &str,
    metric: Metric,
) -> Option<f64> {
    points
        .iter()
        .find(|p| p.value == row && p.value2 == Some(col))
        .and_then(|p| p.summary.comparison(arm, metric, "all"))
        .and_then(|x| x.difference)
}

fn heat_cell(share: bool, x: Option<f64>) -> String {
    match x {
        Some(v) if share => crate::output::format::pp_adaptive(v),
        Some(v) => crate::output::format::signed_euro(v),
        None => lang::pick("n/a", "n.v.t.").into(),
    }
}

/// The report.md of a two-way sweep (before the charts section): per treatment arm, the
/// difference with control on the primary metric in a table of the two keys' values.
pub fn sweep2_markdown(
    spec: &SweepSpec,
    by: &SweepSpec,
    base: &Scenario,
    arms: &[String],
    points: &[Point],
) -> String {
    let (metric, share) = heat_metric(base);
    let mut o = String::new();
    let _ = writeln!(
        o,
        "{}",
        crate::tr!(
            "# Sweep: `{}` × `{}` in {}\n",
            "# Parameterreeks: `{}` × `{}` in {}\n",
            spec.key,
            by.key,
            base.name
        )
    );
    let _ = writeln!(
        o,
        "{}",
        crate::tr!(
            "Scenario `{}`, seed {}, {} households per grid point; `{}` from {} to {} in steps of {}, and `{}` from {} to {} in steps of {} ({} grid points). Every grid point simulates the same households with the same random draws (common random numbers), so differences between points come from the swept values only.\n",
            "Scenario `{}`, seed {}, {} huishoudens per rasterpunt; `{}` van {} tot en met {} in stappen van {}, en `{}` van {} tot en met {} in stappen van {} ({} rasterpunten). Elk rasterpunt simuleert dezelfde huishoudens met dezelfde toevalstrekkingen (common random numbers), zodat verschillen tussen de punten alleen door de gevarieerde waarden ontstaan.\n",
            base.path.display(),
            base.seed,
            thousands(base.households),
            spec.key,
            value_text(&spec.from),
            value_text(&spec.to),
            value_text(&spec.step),
            by.key,
            value_text(&by.from),
            value_text(&by.to),
            value_text(&by.step),
            points.len()
        )
    );
    let (rows, cols) = axes(points);
    for a in arms.iter().skip(1) {
        let label = heading_label(metric);
        let _ = writeln!(
            o,
            "{}",
            crate::tr!(
                "## {a} vs {}: {label} (difference)\n",
                "## {a} tegenover {}: {label} (verschil)\n",
                arms[0]
            )
        );
        let _ = write!(o, "| {} \\ {} |", spec.key, by.key);
        for c in &cols {
            let _ = write!(o, " {} |", value_text(c));
        }
        let _ = writeln!(o, "\n| ---: |{}", " ---: |".repeat(cols.len()));
        for r in &rows {
            let _ = write!(o, "| {} |", value_text(r));
            for c in &cols {
                let d = difference_at(points, *r, *c, a, metric);
                let _ = write!(o, " {} |", heat_cell(share, d));
            }
            let _ = writeln!(o);
        }
        let _ = writeln!(o);
    }
    let _ = writeln!(o, "{}", csv_note(true));
    o
}

/// The table a two-way `sweep` prints on stdout: the first treatment arm's difference on the
/// primary metric, rows by the first key, columns by the second.
pub fn terminal_matrix(
    key: &str,
    key2: &str,
    base: &Scenario,
    arms: &[String],
    points: &[Point],
) -> String {
    let _en = lang::scoped(Lang::En);
    let (metric, share) = heat_metric(base);
    let mut o = String::new();
    let Some(arm) = arms.get(1) else {
        return o;
    };
    let (rows, cols) = axes(points);
    let _ = writeln!(
        o,
        "{arm} vs {}: {} difference; rows {key}, columns {key2}",
        arms[0],
        metric.label()
    );
    let _ = write!(o, "{:>12}", "");
    for c in &cols {
        let _ = write!(o, "  {:>10}", c.to_string());
    }
    let _ = writeln!(o);
    for r in &rows {
        let _ = write!(o, "{:>12}", r.to_string());
        for c in &cols {
            let d = difference_at(points, *r, *c, arm, metric);
            let _ = write!(o, "  {:>10}", heat_cell(share, d));
        }
        let _ = writeln!(o);
    }
    o
}
