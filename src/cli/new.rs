//! `toeslagenlab new NAME`: write a commented starter scenario, checked by the same loader as
//! `run`.
//!
//! Owns the name check and the template filling; must not simulate anything.

use crate::cli::term;
use crate::cli::NewArgs;
use crate::error::{Error, Result};
use crate::scenario;
use std::path::{Path, PathBuf};

/// The starter scenario `toeslagenlab new NAME` writes, before it is saved (see
/// [`new_command`]). `path` is where it will be saved (shown in its "Try it" lines).
pub fn starter_scenario(name: &str, path: &Path) -> String {
    const TEMPLATE: &str = include_str!("../templates/new-scenario.toml");
    TEMPLATE
        .replace("__NAME__", name)
        .replace("__PATH__", &path.display().to_string())
}

/// Checks that `name` is a safe file stem and scenario name: 1 to 100 of ASCII letters, digits,
/// `-` and `_`, starting with a letter or digit (so never `..`, a path or a hidden file).
pub fn check_scenario_name(name: &str) -> std::result::Result<(), String> {
    let ok_chars = name
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    let starts_ok = name
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphanumeric());
    if name.is_empty() || name.len() > 100 || !ok_chars || !starts_ok {
        return Err(format!(
            "`{name}` is not a usable scenario name: use 1 to 100 letters, digits, `-` and `_`, starting with a letter or digit (it becomes NAME.toml and output/NAME/), e.g. `my-pilot`"
        ));
    }
    Ok(())
}

/// Writes a commented starter scenario `DIR/NAME.toml` (validated first) and returns its path.
/// Refuses to overwrite an existing file unless `--force`.
pub fn new_command(args: &NewArgs) -> Result<PathBuf> {
    let given = args.name.strip_suffix(".toml").unwrap_or(&args.name);
    // `new studies/my-pilot` (as `cargo new` takes a path): the directory and the name.
    let as_path = Path::new(given);
    let (dir, name) = match (as_path.parent(), as_path.file_name(), &args.dir) {
        (Some(p), Some(n), None) if !p.as_os_str().is_empty() => {
            (p.to_path_buf(), n.to_string_lossy().into_owned())
        }
        (_, _, dir) => (
            dir.clone().unwrap_or_else(|| PathBuf::from("scenarios")),
            given.to_string(),
        ),
    };
    let name = name.as_str();
    check_scenario_name(name).map_err(Error::Usage)?;
    let path = dir.join(format!("{name}.toml"));
    if path.exists() && !args.force {
        return Err(Error::Usage(format!(
            "{} already exists; pick another name, or add --force to overwrite it",
            path.display()
        )));
    }
    let mut text = starter_scenario(name, &path);
    if dir.join("schema.json").is_file() {
        text = format!("#:schema ./schema.json\n{text}");
    }
    // The same loader as `run`: a starter that does not validate is a bug, not a user error.
    scenario::parse_str(&path, &text, String::new())
        .map_err(|e| Error::Internal(format!("the starter scenario does not validate: {e}")))?;
    term::detail(format_args!(
        "starter scenario validated ({} bytes)",
        text.len()
    ));
    std::fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
    crate::output::write_file_atomic(&path, text.as_bytes())?;
    crate::outln!(
        "wrote {p}\n  check it: toeslagenlab validate {p}\n  run it:   toeslagenlab run {p} --households 5000",
        p = path.display()
    )?;
    Ok(path)
}
