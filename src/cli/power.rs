//! `toeslagenlab power`: how many households a real pilot would need to detect the simulated
//! effect, from a simulated run.

use crate::analysis::accumulators::ratio;
use crate::analysis::inference::sample_size_two_proportions;
use crate::analysis::intervals;
use crate::error::{Error, Result};
use crate::output::report;
use crate::scenario::overrides::load_with_overrides;
use crate::sim::engine::RunOptions;

pub use crate::analysis::power::sample_size_means;
pub use crate::cli::args::PowerArgs;

/// Runs the scenario and prints the pilot sizes.
pub fn power_command(args: &PowerArgs) -> Result<()> {
    let in_unit = |x: f64| x > 0.0 && x < 1.0;
    if !in_unit(args.power) || !in_unit(args.alpha) {
        return Err(Error::Usage(format!(
            "--power {} and --alpha {} must both lie strictly between 0 and 1",
            args.power, args.alpha
        )));
    }
    let sc = load_with_overrides(&args.scenario, args.seed, args.households)?;
    let opts = RunOptions {
        threads: args.threads.threads,
        ..RunOptions::default()
    };
    let r = crate::analysis::run::run(&sc, &opts, |_| Ok(()), |_, _| {})?;
    let th = &sc.high_reclaim_thresholds;
    let primary = report::primary_threshold(th);
    crate::outln!(
        "Pilot size per arm for {} ({} simulated households): power {:.0}%, two-sided α = {}",
        sc.name,
        sc.households,
        args.power * 100.0,
        args.alpha
    )?;
    crate::outln!(
        "{:<14} {:<34} {:>10} {:>10} {:>18}  {}",
        "arm",
        "metric",
        "control",
        "arm",
        "households per arm",
        "range over the effect's 95% CI"
    )?;
    let c = &r.arms[0].total;
    let fmt = |n: Option<u64>| {
        n.map(crate::model::money::group_thousands)
            .unwrap_or_else(|| "no effect".into())
    };
    let range_text = |r: &crate::analysis::power::PilotRange| match (r.low, r.high) {
        (Some(lo), Some(hi)) => format!(
            "{} to {}",
            crate::model::money::group_thousands(lo),
            crate::model::money::group_thousands(hi)
        ),
        (Some(lo), None) => format!(
            "{} to unbounded (the interval includes no effect)",
            crate::model::money::group_thousands(lo)
        ),
        _ => "—".into(),
    };
    for (i, arm) in sc.arms.iter().enumerate().skip(1) {
        let t = &r.arms[i].total;
        let p = r.paired.get(i - 1);
        let rows = [
            (
                "share with a reclaim",
                (c.n_reclaim, t.n_reclaim),
                p.map(|p| (p.control_only, p.treatment_only)),
            ),
            (
                "share with a high reclaim",
                (c.n_high[primary], t.n_high[primary]),
                p.and_then(|p| p.high_discordant.get(primary).copied()),
            ),
        ];
        for (label, (xc, xt), disc) in rows {
            let (pc, pt) = (ratio(xc, c.n), ratio(xt, t.n));
            let n = sample_size_two_proportions(pc, pt, args.alpha, args.power);
            // The effect's interval as the report computes it (paired: within household).
            let paired = p.zip(disc).map(|(p, (b, cc))| (b, cc, p.n));
            let ci = intervals::share_difference(xc, c.n, xt, t.n, paired)
                .ok()
                .map(|i| (i.lo, i.hi));
            let range = crate::analysis::power::pilot_range(pc, pt, ci, args.alpha, args.power);
            crate::outln!(
                "{:<14} {:<34} {:>9.1}% {:>9.1}% {:>18}  {}",
                arm.name,
                label,
                pc * 100.0,
                pt * 100.0,
                fmt(n),
                range_text(&range)
            )?;
        }
        let (mc, mt) = (c.reclaim.mean_euros(c.n), t.reclaim.mean_euros(t.n));
        let sd = ((c.reclaim.var_euros(c.n) + t.reclaim.var_euros(t.n)) / 2.0).sqrt();
        let n = sample_size_means(mt - mc, sd, args.alpha, args.power);
        crate::outln!(
            "{:<14} {:<34} {:>10} {:>10} {:>18}",
            arm.name,
            "reclaim per household (€)",
            crate::output::format::euro0(mc),
            crate::output::format::euro0(mt),
            fmt(n)
        )?;
    }
    crate::outln!("Randomized two-arm pilot, normal approximation; the simulated effect is taken as the true effect, and the range shows how far that is from sure: the sizes for the bounds of its 95% interval at this many simulated households.")?;
    Ok(())
}
