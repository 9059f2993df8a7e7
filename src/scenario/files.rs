//! Which scenario files a list of command-line paths names (directories give their `*.toml`).
//!
//! Must not: parse the files.

use crate::error::{Error, Result};
use std::path::PathBuf;

/// The scenario files named by `paths` (directories give their `*.toml` files, sorted).
pub fn scenario_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let paths = if paths.is_empty() {
        vec![PathBuf::from("scenarios")]
    } else {
        paths.to_vec()
    };
    let mut files = Vec::new();
    for p in paths {
        if p.is_dir() {
            let mut found: Vec<PathBuf> = std::fs::read_dir(&p)
                .map_err(|e| {
                    Error::Usage(format!("{}: cannot read this directory: {e}", p.display()))
                })?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|f| f.extension().is_some_and(|x| x == "toml") && f.is_file())
                .collect();
            found.sort();
            if found.is_empty() {
                return Err(Error::Usage(format!(
                    "{}: no .toml scenario files in this directory",
                    p.display()
                )));
            }
            files.extend(found);
        } else {
            files.push(p);
        }
    }
    Ok(files)
}
