//! The outputs of `toeslagenlab sweep`: sweep.csv, the trade-off chart table, report.md and
//! the terminal table, from the grid points' summaries.
//!
//! Must not: run simulations, read scenario files or print.

use crate::model::metric::Metric;
use crate::model::scenario::{Scenario, SweepSpec};
use crate::output::charts::{self, ChartKind, Table};
use crate::output::report::Summary;
use rust_decimal::Decimal;
use std::fmt::Write as _;

/// One grid point's result.
pub struct Point {
    /// The swept key's value.
    pub value: Decimal,
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
pub fn sweep_csv(key: &str, base: &Scenario, arms: &[String], points: &[Point]) -> Vec<u8> {
    let mut header = vec![
        "param".to_string(),
        "value".into(),
        "households".into(),
        "seed".into(),
    ];
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
        let mut row = vec![
            key.to_string(),
            p.value.to_string(),
            p.households.to_string(),
            base.seed.to_string(),
        ];
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

fn pct(x: f64) -> String {
    format!("{:.1}%", x * 100.0)
}

/// The sweep's report.md (before the charts section).
pub fn sweep_markdown(
    spec: &SweepSpec,
    base: &Scenario,
    arms: &[String],
    points: &[Point],
) -> String {
    let mut o = String::new();
    let _ = writeln!(o, "# Sweep: `{}` in {}\n", spec.key, base.name);
    let _ = writeln!(
        o,
        "Scenario `{}`, seed {}, {} households per grid point; `{}` from {} to {} in steps of {}. Every grid point simulates the same households with the same random draws (common random numbers), so differences between points come from the swept value only.\n",
        base.path.display(),
        base.seed,
        crate::model::money::group_thousands(base.households),
        spec.key,
        spec.from,
        spec.to,
        spec.step
    );
    let thr = points
        .first()
        .map(|p| p.summary.high_reclaim_threshold)
        .unwrap_or(1000);
    let _ = write!(o, "| {} |", spec.key);
    for a in arms {
        let _ = write!(
            o,
            " {a}: share with a reclaim | {a}: reclaim above {} | {a}: withheld per household |",
            charts::euro_label(thr as f64)
        );
    }
    let _ = writeln!(
        o,
        "\n| ---: |{}",
        " ---: | ---: | ---: |".repeat(arms.len())
    );
    for p in points {
        let _ = write!(o, "| {} |", p.value);
        for a in arms {
            let m = &p.summary.arms[a].metrics;
            let _ = write!(
                o,
                " {} | {} | {} |",
                pct(m.reclaim_share),
                pct(m.high_reclaim_share),
                charts::euro_label(m.withheld_during_year)
            );
        }
        let _ = writeln!(o);
    }
    let _ = writeln!(
        o,
        "\nEvery metric per arm, with 95% confidence intervals of each arm's difference from control, is in `sweep.csv`."
    );
    o
}

/// The table `sweep` prints on stdout.
pub fn terminal_table(key: &str, arms: &[String], points: &[Point]) -> String {
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
