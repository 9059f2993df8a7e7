//! Interrupts: Ctrl-C (SIGINT), SIGTERM and SIGHUP during a run.
//!
//! A signal ends the process without running destructors, so a [`crate::output::Staging`]
//! directory, an output lock or a temporary file would be left behind. [`install`] sets a
//! handler that removes every registered staging directory and temporary file, releases the
//! output locks, and exits with code 130. The same lock serialises the handler with
//! [`crate::output::Staging`]'s writes and final swap, so an interrupt never lands halfway
//! through a swap.
//!
//! The message tells the truth about which run is in place: before the swap the previous
//! results are untouched (they are only replaced by a rename at the very end); after it, the
//! new results are in place and the handler finishes removing the previous ones. A run killed
//! with SIGKILL cannot clean up: the next run into the same directory removes what it left
//! (see `output`).
//!
//! Must not: write output or know about scenarios.

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, OnceLock};

/// Exit code of a run ended by a signal (128 + SIGINT, as shells report Ctrl-C).
pub const EXIT_INTERRUPTED: i32 = 130;

/// What an interrupt must clean up, guarded by [`lock`].
#[derive(Debug, Default)]
pub(crate) struct InProgress {
    /// Staging directories of runs not yet swapped in: removed on interrupt.
    pub(crate) staging: Vec<PathBuf>,
    /// Swaps done whose previous results are still being removed: `(target, old)`. On
    /// interrupt the handler finishes removing `old` and says the new results are in place.
    pub(crate) swapped: Vec<(PathBuf, PathBuf)>,
    /// Files to remove on interrupt: output locks and temporary files.
    pub(crate) files: Vec<PathBuf>,
}

static IN_PROGRESS: Mutex<InProgress> = Mutex::new(InProgress {
    staging: Vec::new(),
    swapped: Vec::new(),
    files: Vec::new(),
});
static INSTALLED: OnceLock<bool> = OnceLock::new();

/// Installs the handler once per process; returns whether it is active (false if another
/// handler was installed first, e.g. by a program using the library).
pub fn install() -> bool {
    *INSTALLED.get_or_init(|| ctrlc::set_handler(on_signal).is_ok())
}

fn on_signal() {
    // Holding the lock until exit: no staging write or swap can start after this point.
    let st = lock();
    eprintln!("\n{}", cleanup(&st));
    std::process::exit(EXIT_INTERRUPTED);
}

/// Removes what `st` lists and returns the message to print.
fn cleanup(st: &InProgress) -> String {
    for d in &st.staging {
        remove_dir(d);
    }
    for (_, old) in &st.swapped {
        remove_dir(old);
    }
    for f in &st.files {
        let _ = std::fs::remove_file(f);
    }
    message(st)
}

/// The interrupt message for this state.
fn message(st: &InProgress) -> String {
    if st.swapped.is_empty() {
        "interrupted: partial output removed; the previous results (if any) are unchanged".into()
    } else {
        let targets: Vec<String> = st
            .swapped
            .iter()
            .map(|(t, _)| format!("{}/", t.display()))
            .collect();
        format!(
            "interrupted after the run had finished: the new results are in place in {}; the previous results were removed",
            targets.join(", ")
        )
    }
}

/// Removes `d`, retrying briefly in case a writer is still creating files in it.
fn remove_dir(d: &Path) {
    for _ in 0..10 {
        let _ = std::fs::remove_dir_all(d);
        if !d.exists() {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

/// The lock over work in progress. Take it around any write into a staging directory that
/// creates paths, and around the final swap.
pub(crate) fn lock() -> MutexGuard<'static, InProgress> {
    IN_PROGRESS.lock().unwrap_or_else(|p| p.into_inner())
}

/// Records a staging directory to remove on interrupt.
pub(crate) fn register(dir: &Path) {
    lock().staging.push(dir.to_path_buf());
}

/// Forgets a staging directory (committed or removed); the caller holds the lock.
pub(crate) fn unregister_locked(st: &mut InProgress, dir: &Path) {
    st.staging.retain(|d| d != dir);
}

/// Records a file (an output lock, a temporary file) to remove on interrupt.
pub(crate) fn register_file(path: &Path) {
    lock().files.push(path.to_path_buf());
}

/// Forgets a file registered with [`register_file`]; the caller holds the lock.
pub(crate) fn unregister_file_locked(st: &mut InProgress, path: &Path) {
    st.files.retain(|f| f != path);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_message_says_which_run_is_in_place() {
        let mut st = InProgress::default();
        assert!(message(&st).contains("previous results (if any) are unchanged"));
        st.staging.push(PathBuf::from("/tmp/.x.partial-1"));
        assert!(message(&st).contains("partial output removed"));
        st.staging.clear();
        st.swapped
            .push((PathBuf::from("out/x"), PathBuf::from("out/.x.old-1")));
        let m = message(&st);
        assert!(m.contains("new results are in place in out/x/"), "{m}");
        assert!(!m.contains("unchanged"), "{m}");
    }

    #[test]
    fn cleanup_removes_staging_old_and_files() {
        let tmp = tempfile::tempdir().unwrap();
        let staging = tmp.path().join(".x.partial-1");
        let old = tmp.path().join(".x.old-1");
        let lockf = tmp.path().join(".x.lock");
        std::fs::create_dir_all(staging.join("charts")).unwrap();
        std::fs::create_dir_all(&old).unwrap();
        std::fs::write(old.join("report.md"), b"old").unwrap();
        std::fs::write(&lockf, b"1\n").unwrap();
        let st = InProgress {
            staging: vec![staging.clone()],
            swapped: vec![(tmp.path().join("x"), old.clone())],
            files: vec![lockf.clone()],
        };
        cleanup(&st);
        assert!(!staging.exists() && !old.exists() && !lockf.exists());
    }
}
