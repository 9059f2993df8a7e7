//! Atomic output: a run writes into a hidden staging directory beside its destination and swaps
//! it into place only when every file is complete. An interrupted run leaves the previous
//! results intact and never a half-written report.

use crate::error::{Error, Result};
use std::fs;
use std::path::{Path, PathBuf};

/// A staging directory that becomes the run directory on [`Staging::commit`].
pub struct Staging {
    dir: PathBuf,
    target: PathBuf,
    committed: bool,
}

/// Turns a scenario name into a safe directory name: letters, digits, `-` and `_` only, so a
/// name can never escape the output root (`../x` becomes `x`).
pub fn safe_dir_name(name: &str) -> String {
    let mut s: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    while s.contains("--") {
        s = s.replace("--", "-");
    }
    let s = s.trim_matches('-').to_string();
    if s.is_empty() {
        "run".to_string()
    } else {
        s
    }
}

impl Staging {
    /// Prepares a staging directory for `target`.
    pub fn new(target: &Path) -> Result<Staging> {
        let parent = target
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
        let base = target
            .file_name()
            .map(|s| s.to_string_lossy().to_string())
            .unwrap_or_else(|| "run".into());
        let dir = parent.join(format!(".{base}.partial-{}", std::process::id()));
        if dir.exists() {
            fs::remove_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
        }
        fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
        Ok(Staging {
            dir,
            target: target.to_path_buf(),
            committed: false,
        })
    }

    /// Path of a file inside the staging directory.
    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }

    /// Writes a whole file into the staging directory.
    pub fn write(&self, name: &str, bytes: &[u8]) -> Result<()> {
        let p = self.path(name);
        if let Some(parent) = p.parent() {
            fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
        }
        fs::write(&p, bytes).map_err(|e| Error::io(&p, e))
    }

    /// Swaps the staging directory into place; the previous run directory is removed only
    /// after the new one is in place.
    pub fn commit(mut self) -> Result<PathBuf> {
        let old = self.target.with_file_name(format!(
            ".{}.old-{}",
            self.target
                .file_name()
                .map(|s| s.to_string_lossy().to_string())
                .unwrap_or_default(),
            std::process::id()
        ));
        let had_old = self.target.exists();
        if had_old {
            fs::rename(&self.target, &old).map_err(|e| Error::io(&self.target, e))?;
        }
        if let Err(e) = fs::rename(&self.dir, &self.target) {
            if had_old {
                let _ = fs::rename(&old, &self.target);
            }
            return Err(Error::io(&self.target, e));
        }
        self.committed = true;
        if had_old {
            let _ = fs::remove_dir_all(&old);
        }
        Ok(self.target.clone())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.dir);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_cannot_escape() {
        assert_eq!(safe_dir_name("../../etc"), "etc");
        assert_eq!(
            safe_dir_name("Cautious vs Standard"),
            "cautious-vs-standard"
        );
        assert_eq!(safe_dir_name("///"), "run");
    }

    #[test]
    fn commit_replaces_and_drop_discards() {
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("run");
        let s = Staging::new(&target).unwrap();
        s.write("a.txt", b"one").unwrap();
        s.commit().unwrap();
        assert_eq!(fs::read(target.join("a.txt")).unwrap(), b"one");
        {
            let s = Staging::new(&target).unwrap();
            s.write("a.txt", b"half").unwrap();
            // dropped without commit: an interrupted run
        }
        assert_eq!(fs::read(target.join("a.txt")).unwrap(), b"one");
        assert_eq!(fs::read_dir(tmp.path()).unwrap().count(), 1);
    }
}
