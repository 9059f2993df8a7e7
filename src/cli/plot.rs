//! `toeslagenlab plot`: redraw the charts of a finished run or sweep from its charts/*.csv,
//! and its report.html from its report.md.
//!
//! Must not: read anything but the run directory's chart tables, report.md and the files it
//! links to.

use crate::error::Result;
use crate::output::lang::Lang;
use std::path::Path;

/// The language a run directory was written in: manifest.json's `lang`, English when the
/// manifest is missing, unreadable or older than the key.
fn written_in(dir: &Path) -> Lang {
    std::fs::read(dir.join("manifest.json"))
        .ok()
        .and_then(|b| serde_json::from_slice::<serde_json::Value>(&b).ok())
        .and_then(|v| v.get("lang").and_then(|l| l.as_str()).and_then(Lang::parse))
        .unwrap_or_default()
}

/// Redraws the charts in `dir`/charts/ (and `report.html` from `report.md` with the redrawn
/// charts, when the directory has a report.md) and prints which. The charts are drawn in
/// `lang`, else in the language the run was written in (manifest.json's `lang`), else English.
pub fn plot_command(dir: &Path, lang: Option<Lang>) -> Result<()> {
    let lang = lang.unwrap_or_else(|| written_in(dir));
    let _lang = crate::output::lang::scoped(lang);
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
