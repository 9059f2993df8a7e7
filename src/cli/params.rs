//! `toeslagenlab params`: print the rule parameters in force for a year, with their sources.
//!
//! Must not: change or interpret parameters; it only formats the embedded parameter set.

use crate::cli::term;
use crate::error::{Error, Result};
use crate::model::parameters::ParameterSet;
use std::fmt::Write as _;

/// Prints the parameter groups and tables of `year` (and the benefits not available then).
pub fn params_command(year: u16) -> Result<()> {
    let set = ParameterSet::for_year(year).map_err(Error::Usage)?;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Parameters for benefit year {year} (parameters/{year}.toml, embedded)\n"
    );
    for (group, params) in &set.groups {
        let _ = writeln!(out, "[{group}]");
        for (k, p) in params {
            let _ = writeln!(
                out,
                "  {:<34} {:>12} {:<10} {}{}",
                k,
                p.value.to_string(),
                p.unit,
                if p.uncertain { "[uncertain] " } else { "" },
                p.source
            );
        }
        let _ = writeln!(out);
    }
    for (name, t) in &set.tables {
        let _ = writeln!(
            out,
            "[{name}] {} rows, {}\n  {}{}",
            t.rows.len(),
            t.summary.unit.trim_start_matches("table rows; "),
            if t.summary.uncertain {
                "[uncertain] "
            } else {
                ""
            },
            t.summary.source
        );
        let _ = writeln!(
            out,
            "  {:>8} {:>8} {:>7} {:>7}  remarks",
            "from", "to", "first", "next"
        );
        for r in &t.rows {
            let pct = |d: rust_decimal::Decimal| {
                format!("{}%", (d * rust_decimal::Decimal::from(100)).normalize())
            };
            let mut remarks = Vec::new();
            if r.next_interpolated {
                remarks.push("next interpolated".to_string());
            }
            if r.bounds_interpolated {
                remarks.push("bounds guessed".to_string());
            }
            if let Some(n) = &r.note {
                remarks.push(n.clone());
            }
            let _ = writeln!(
                out,
                "  {:>8} {:>8} {:>7} {:>7}  {}",
                r.from,
                r.to.map_or("and up".to_string(), |t| t.to_string()),
                pct(r.first),
                pct(r.next),
                remarks.join("; ")
            );
        }
        let _ = writeln!(out);
    }
    for (benefit, reason) in &set.unavailable {
        let _ = writeln!(out, "[{benefit}] not available for {year}: {reason}");
    }
    term::out(out)
}
