//! Atomic output: a run writes into a hidden staging directory beside its destination and swaps
//! it into place only when every file is complete. An interrupted run leaves the previous
//! results intact and never a half-written report.
//!
//! Interrupts: a signal handler (see [`crate::interrupt`]) removes staging directories in
//! progress; a run killed outright (SIGKILL, power loss) leaves `.NAME.partial-PID` or
//! `.NAME.old-PID` behind, and the next run into the same directory cleans them up (restoring
//! the previous results if the kill landed in the middle of the swap).

use crate::error::{Error, Result};
use crate::interrupt;
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

/// Writes one file atomically: a temporary file beside it, then a rename, so a reader never
/// sees half a file.
pub fn write_file_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let name = path
        .file_name()
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_else(|| "file".into());
    let tmp = path.with_file_name(format!(".{name}.tmp-{}", std::process::id()));
    fs::write(&tmp, bytes).map_err(|e| Error::io(&tmp, e))?;
    fs::rename(&tmp, path).map_err(|e| {
        let _ = fs::remove_file(&tmp);
        Error::io(path, e)
    })
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
        clean_stale(parent, &base, target);
        let dir = parent.join(format!(".{base}.partial-{}", std::process::id()));
        if dir.exists() {
            fs::remove_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
        }
        fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
        interrupt::register(&dir);
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
        let _guard = interrupt::lock();
        let p = self.path(name);
        if let Some(parent) = p.parent() {
            fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
        }
        fs::write(&p, bytes).map_err(|e| Error::io(&p, e))
    }

    /// Swaps the staging directory into place; the previous run directory is removed only
    /// after the new one is in place.
    pub fn commit(mut self) -> Result<PathBuf> {
        // An interrupt waits until the swap is done (or exits before it starts).
        let mut in_progress = interrupt::lock();
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
        interrupt::unregister_locked(&mut in_progress, &self.dir);
        drop(in_progress);
        if had_old {
            let _ = fs::remove_dir_all(&old);
        }
        Ok(self.target.clone())
    }
}

/// Removes what runs into `target` that were killed outright left behind: `.BASE.partial-PID`
/// and `.BASE.old-PID` directories whose process is gone. If `target` is missing and such an
/// old directory exists, the kill hit the swap: the old directory is put back.
fn clean_stale(parent: &Path, base: &str, target: &Path) {
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().to_string();
        let Some(rest) = name.strip_prefix(&format!(".{base}.")) else {
            continue;
        };
        let (kind, pid) = match rest.split_once('-') {
            Some((k @ ("partial" | "old"), pid)) => (k, pid),
            _ => continue,
        };
        let Ok(pid) = pid.parse::<u32>() else {
            continue;
        };
        if pid == std::process::id() || process_alive(pid) {
            continue;
        }
        let path = entry.path();
        if kind == "old" && !target.exists() {
            let _ = fs::rename(&path, target);
        } else {
            let _ = fs::remove_dir_all(&path);
        }
    }
}

/// Whether a process with this id is running. Where we cannot tell (no `/proc`), assume it is,
/// so that a run never removes another live run's files.
fn process_alive(pid: u32) -> bool {
    let proc = Path::new("/proc");
    if !proc.join("self").exists() {
        return true;
    }
    proc.join(pid.to_string()).exists()
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let mut in_progress = interrupt::lock();
            let _ = fs::remove_dir_all(&self.dir);
            interrupt::unregister_locked(&mut in_progress, &self.dir);
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

    #[test]
    fn leftovers_of_killed_runs_are_cleaned_up_and_a_half_swap_is_undone() {
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("run");
        // A pid that cannot be running: above the kernel's pid_max limit (4194304).
        let dead = 4_194_305 + 17;
        let partial = tmp.path().join(format!(".run.partial-{dead}"));
        let old = tmp.path().join(format!(".run.old-{dead}"));
        let other = tmp.path().join(format!(".other.partial-{dead}"));
        for d in [&partial, &old, &other] {
            fs::create_dir_all(d).unwrap();
        }
        fs::write(old.join("a.txt"), b"previous").unwrap();
        // The kill hit the swap: `run` is gone, `.run.old-PID` holds the previous results.
        let s = Staging::new(&target).unwrap();
        assert!(!partial.exists());
        assert!(!old.exists());
        assert!(
            other.exists(),
            "another target's files are not ours to clean"
        );
        assert_eq!(fs::read(target.join("a.txt")).unwrap(), b"previous");
        drop(s);
        // A live process's staging directory is left alone.
        let live = tmp.path().join(".run.partial-1");
        fs::create_dir_all(&live).unwrap();
        let s = Staging::new(&target).unwrap();
        drop(s);
        assert_eq!(live.exists(), Path::new("/proc/1").exists());
    }
}
