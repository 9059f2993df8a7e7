//! Load a scenario from code, run it, and read the headline numbers.
//!
//! ```text
//! cargo run --example run_scenario
//! cargo run --example run_scenario -- scenarios/adjustable.toml 20000
//! ```
//!
//! Arguments (both optional): a scenario file [default: scenarios/cautious-vs-standard.toml]
//! and a household count [default: 3,000, small so the example runs in about a second].

use std::path::PathBuf;
use toeslagenlab::engine::{self, RunOptions};
use toeslagenlab::{report, scenario};

fn main() -> toeslagenlab::Result<()> {
    let mut args = std::env::args().skip(1);
    let path = args.next().map(PathBuf::from).unwrap_or_else(|| {
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("scenarios/cautious-vs-standard.toml")
    });
    let households: u64 = match args.next() {
        Some(n) => n
            .parse()
            .map_err(|_| toeslagenlab::Error::Usage(format!("not a household count: {n}")))?,
        None => 3_000,
    };

    // The same loader and validation as `toeslagenlab run`; errors name file, line and key.
    let mut sc = scenario::load(&path)?;
    sc.households =
        scenario::check_households(households as i64).map_err(toeslagenlab::Error::Usage)?;

    // Run: no per-household rows, no progress callback.
    let result = engine::run(&sc, &RunOptions::default(), |_| Ok(()), |_, _| {})?;
    let summary = report::summarize(&sc, &result);

    println!(
        "{}: {} households, benefit year {}, {} design",
        summary.scenario, summary.households, summary.year, summary.design
    );
    println!(
        "{:<12} {:>13} {:>19} {:>13}",
        "arm", "reclaim share", "high reclaim share", "mean reclaim"
    );
    for name in &summary.arm_order {
        let m = &summary.arms[name].metrics;
        println!(
            "{:<12} {:>12.1}% {:>18.1}% {:>13}",
            name,
            m.reclaim_share * 100.0,
            m.high_reclaim_share * 100.0,
            toeslagenlab::output::format::euro0(m.mean_reclaim)
        );
    }
    // Comparisons with control: intention to treat ("all") and among those who took the offer.
    for c in summary
        .comparisons
        .iter()
        .filter(|c| c.metric == "reclaim_share" && c.population == "all")
    {
        println!(
            "{} vs {}: reclaim share {} points (95% CI {} to {}), p {}",
            c.arm,
            c.vs,
            c.difference
                .map_or("not estimable".into(), |x| format!("{:+.1}", x * 100.0)),
            c.ci_low
                .map_or("?".into(), |x| format!("{:+.1}", x * 100.0)),
            c.ci_high
                .map_or("?".into(), |x| format!("{:+.1}", x * 100.0)),
            c.p_value.map_or("?".into(), |p| if p < 0.001 {
                "< 0.001".into()
            } else {
                format!("= {p:.3}")
            })
        );
    }
    // The whole summary is also available as the JSON `toeslagenlab run` writes.
    let json = report::summary_json(&summary);
    println!("summary.json would be {} bytes", json.len());
    Ok(())
}
