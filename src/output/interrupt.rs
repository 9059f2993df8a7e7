//! Interrupts: Ctrl-C (SIGINT), SIGTERM and SIGHUP during a run.
//!
//! A signal ends the process without running destructors, so a [`crate::output::Staging`]
//! directory would be left behind. [`install`] sets a handler that removes every registered
//! staging directory and exits with code 130; the previous results are untouched because they
//! are only replaced by a rename at the very end. The same lock serialises the handler with
//! [`crate::output::Staging`]'s writes and final swap, so an interrupt never lands halfway
//! through a swap. A run killed with SIGKILL cannot clean up: the next run into the same
//! directory removes what it left (see `output`).
//!
//! Must not: write output or know about scenarios.

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, OnceLock};

/// Exit code of a run ended by a signal (128 + SIGINT, as shells report Ctrl-C).
pub const EXIT_INTERRUPTED: i32 = 130;

static IN_PROGRESS: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());
static INSTALLED: OnceLock<bool> = OnceLock::new();

/// Installs the handler once per process; returns whether it is active (false if another
/// handler was installed first, e.g. by a program using the library).
pub fn install() -> bool {
    *INSTALLED.get_or_init(|| ctrlc::set_handler(on_signal).is_ok())
}

fn on_signal() {
    // Holding the lock until exit: no staging write or swap can start after this point.
    let dirs = lock();
    for d in dirs.iter() {
        remove_dir(d);
    }
    eprintln!("\ninterrupted: partial output removed; the previous results (if any) are unchanged");
    std::process::exit(EXIT_INTERRUPTED);
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

/// The lock over staging directories in progress. Take it around any write into a staging
/// directory that creates paths, and around the final swap.
pub(crate) fn lock() -> MutexGuard<'static, Vec<PathBuf>> {
    IN_PROGRESS.lock().unwrap_or_else(|p| p.into_inner())
}

/// Records a staging directory to remove on interrupt.
pub(crate) fn register(dir: &Path) {
    lock().push(dir.to_path_buf());
}

/// Forgets a staging directory (committed or removed); the caller may hold the lock.
pub(crate) fn unregister_locked(dirs: &mut Vec<PathBuf>, dir: &Path) {
    dirs.retain(|d| d != dir);
}
