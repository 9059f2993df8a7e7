//! `toeslagenlab validate`: load scenario files without running them and report every problem
//! in every file (exit 2 if any).
//!
//! Must not: simulate, or check anything the loader (and, for `[uncertainty]`,
//! `scenario::overrides::check_uncertainty`) does not.

use crate::cli::term;
use crate::error::{Error, Result};
use crate::scenario::{self, files::scenario_files};
use std::path::PathBuf;

/// Loads every scenario file under `paths` and prints one `ok` line per valid file; all
/// problems of all files are returned together as one input error.
pub fn validate_command(paths: &[PathBuf]) -> Result<()> {
    let mut problems = Vec::new();
    let files = scenario_files(paths)?;
    for f in &files {
        match scenario::load(f).and_then(|mut sc| {
            scenario::overrides::check_uncertainty(&mut sc)?;
            Ok(sc)
        }) {
            Ok(sc) => crate::outln!(
                "{}  {} ({}, {} arms, {})",
                term::paint("ok", term::Style::Ok, term::stdout_color()),
                f.display(),
                sc.name,
                sc.arms.len(),
                crate::output::format::count(sc.households, "household", "households")
            )?,
            Err(Error::Input(d)) => problems.extend(d),
            Err(e) => return Err(e),
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(Error::Input(problems))
    }
}
