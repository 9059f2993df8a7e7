//! `toeslagenlab calibrate`: the scenario's control arm next to the public figures of
//! docs/rules.md §8 (benefit mix, share of toeslagen with a reclaim or back-payment, mean amounts),
//! and — when the scenario has a `[lab]` block — the lab findings of the 2026 progress letter next to the
//! simulated take-up, chosen percentages and effectiveness, and the interventions' figures next
//! to the 2021 childcare letter. Writes the tables as Markdown (stdout, or `--write FILE`, atomically).
//!
//! Counting: a *toeslag* is one benefit of one household with a definitive award or advances
//! above zero; a *recipient household* has at least one. A reclaim is the amount collected (above
//! the small-reclaim threshold); a back-payment counts when above the scenario's `backpay_threshold`
//! (default €11, the rounding remainder of floor(annual / 12) monthly advances, which the public
//! statistics do not count as a back-payment; assumption). Every count is an exact integer
//! merged in a fixed way, so the table does not depend on the thread count.

use crate::error::Result;

/// A `--write` file keeps everything from a line starting with this heading on: the
/// hand-written notes below the generated tables.
pub const NOTES_MARKER: &str = "## Notes on";

pub use crate::analysis::calibration::{tally, Tally};
pub use crate::cli::args::CalibrateArgs;
pub use crate::output::calibration::{headline_vs_public, markdown, report_section};

pub use crate::output::lab::lab_section_md;

/// Runs `calibrate`.
pub fn calibrate_command(args: &CalibrateArgs) -> Result<()> {
    let mut md = String::new();
    for (i, path) in args.scenarios.iter().enumerate() {
        let sc = crate::cli::dispatch::load_with_overrides(path, args.seed, args.households)?;
        let t = tally(&sc, args.threads)?;
        if i > 0 {
            md.push('\n');
        }
        md.push_str(&markdown(&sc, &t));
    }
    match &args.write {
        None => crate::out!("{md}")?,
        Some(p) => {
            // Hand-written notes after the marker heading survive regeneration.
            let mut md = md;
            if let Some(notes) = std::fs::read_to_string(p)
                .ok()
                .and_then(|old| old.find(NOTES_MARKER).map(|i| old[i..].to_string()))
            {
                md = format!("{}\n\n{notes}", md.trim_end());
            }
            crate::output::write_file_atomic(p, md.as_bytes())?;
            crate::outln!("wrote {}", p.display())?;
        }
    }
    Ok(())
}
