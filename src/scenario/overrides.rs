//! Command-line overrides applied to a loaded scenario (seed, household count).
//!
//! Must not: parse command lines or print; it returns the same errors as the loader.

use crate::error::{Error, Result};
use crate::model::scenario::Scenario;
use std::path::Path;

/// Loads a scenario and applies command-line overrides of seed and household count.
pub fn load_with_overrides(
    path: &Path,
    seed: Option<u64>,
    households: Option<i64>,
) -> Result<Scenario> {
    let mut sc = super::load(path)?;
    if let Some(s) = seed {
        sc.seed = s;
    }
    if let Some(n) = households {
        sc.households =
            super::check_households(n).map_err(|m| Error::Usage(format!("--households: {m}")))?;
    }
    Ok(sc)
}
