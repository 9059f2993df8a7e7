//! Add an advance policy written in Rust and compare it with the shipped arms.
//!
//! ```text
//! cargo run --example custom_policy
//! ```
//!
//! A scenario file can only name the shipped policies (standard, cautious, adjustable). From
//! code, [`AdvancePolicy::Custom`] takes a function of the household and its arm that returns
//! the advance percentage for households that accept the offer. Here: a "risk-based" advance
//! that pays less to households whose income is more likely to change during the year.

use std::path::Path;
use toeslagenlab::behaviour::CustomPolicy;
use toeslagenlab::engine::{self, RunOptions};
use toeslagenlab::money::{Money, Rate};
use toeslagenlab::report;
use toeslagenlab::scenario::{self, AdvancePolicy, Arm};

/// A scenario written inline: the same loader and validation as a file.
const SCENARIO: &str = r#"
[experiment]
name = "custom-policy-example"
year = 2026
households = 4_000
seed = 7

[[arms]]
name = "control"
advance = { policy = "standard" }

[[arms]]
name = "cautious"
advance = { policy = "cautious", fraction = 0.80 }
takeup = 0.68
"#;

fn main() -> toeslagenlab::Result<()> {
    let mut sc = scenario::parse_str(
        Path::new("custom-policy-example.toml"),
        SCENARIO,
        String::new(),
    )?;

    // Risk-based: 75% for households with children or a partner (more changes during the
    // year), 85% for higher start incomes, 95% otherwise. Deterministic in the household, so
    // results do not depend on the thread count.
    let risk_based = CustomPolicy::new("risk-based", |h, _arm| {
        if h.n_children > 0 || h.partner {
            Rate::percent(75)
        } else if h.monthly_income > Money::euros(2_500) {
            Rate::percent(85)
        } else {
            Rate::percent(95)
        }
    });
    sc.arms.push(Arm::offered(
        "risk-based",
        AdvancePolicy::Custom(risk_based),
        0.68,
    ));

    let result = engine::run(&sc, &RunOptions::default(), |_| Ok(()), |_, _| {})?;
    let summary = report::summarize(&sc, &result);
    println!(
        "{:<11} {:>13} {:>16} {:>18}",
        "arm", "reclaim share", "took the offer", "withheld (mean)"
    );
    for name in &summary.arm_order {
        let a = &summary.arms[name];
        println!(
            "{:<11} {:>12.1}% {:>15.1}% {:>18}",
            name,
            a.metrics.reclaim_share * 100.0,
            a.metrics.takeup_share * 100.0,
            toeslagenlab::output::format::euro0(a.metrics.withheld_during_year)
        );
    }
    let chosen = &summary.arms["risk-based"].chosen_percentages;
    println!("risk-based percentages among those who took the offer: {chosen:?}");
    // report.md names the custom policy too.
    let md = report::report_markdown(&sc, &summary);
    assert!(md.contains("custom: `risk-based`"));
    Ok(())
}
