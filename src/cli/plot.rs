//! `toeslagenlab plot`: redraw the charts of a finished run or sweep from its charts/*.csv,
//! and its report.html from its report.md.
//!
//! Must not: read anything but the run directory's chart tables, report.md and the files it
//! links to.

use crate::error::Result;
use std::path::Path;

/// Redraws the charts in `dir`/charts/ (and `report.html` from `report.md` with the redrawn
/// charts, when the directory has a report.md) and prints which.
pub fn plot_command(dir: &Path) -> Result<()> {
    let charts = crate::output::charts::plot_dir(dir)?;
    let md_path = dir.join("report.md");
    let html = match std::fs::read_to_string(&md_path) {
        Ok(md) => {
            let html =
                crate::output::html::report_html(&md, crate::output::html::GENERATOR, &|name| {
                    crate::output::html::read_beside(dir, name)
                })
                .map_err(crate::error::Error::Internal)?;
            let p = dir.join("report.html");
            crate::output::write_file_atomic(&p, html.as_bytes())?;
            format!("; rewrote {} from report.md", p.display())
        }
        Err(_) => String::new(),
    };
    crate::outln!(
        "redrew {} in {}/charts/ ({}){html}",
        crate::output::format::count(charts.len() as u64, "chart", "charts"),
        dir.display(),
        charts
            .iter()
            .map(|c| c.name.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    )
}
