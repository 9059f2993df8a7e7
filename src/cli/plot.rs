//! `toeslagenlab plot`: redraw the charts of a finished run or sweep from its charts/*.csv.
//!
//! Must not: read anything but the run directory's chart tables.

use crate::error::Result;
use std::path::Path;

/// Redraws the charts in `dir`/charts/ and prints which.
pub fn plot_command(dir: &Path) -> Result<()> {
    let charts = crate::output::charts::plot_dir(dir)?;
    crate::outln!(
        "redrew {} in {}/charts/ ({})",
        crate::output::format::count(charts.len() as u64, "chart", "charts"),
        dir.display(),
        charts
            .iter()
            .map(|c| c.name.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    )
}
