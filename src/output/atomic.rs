//! Atomic and safe output: a run writes into a hidden staging directory beside its destination
//! and swaps it into place only when every file is complete. An interrupted run leaves the
//! previous results intact and never a half-written report.
//!
//! What `--out` may name (checked by [`check_target`] before anything is written, and again
//! just before the swap): a path that does not exist yet, an empty directory, or a previous
//! toeslagenlab output, recognised by the `manifest.json` it wrote (`"program":
//! "toeslagenlab"`) and by holding only files toeslagenlab writes. Anything else — a
//! directory of other files, a regular file, a symbolic link, a device, FIFO or socket, the
//! working directory or one of its ancestors, a directory holding the input scenario — is
//! refused with exit 2, and nothing is touched.
//!
//! A lock file `.NAME.lock` beside the target (holding the PID) makes a second run into the
//! same directory fail at once with exit 2 instead of racing; a lock whose process is gone is
//! taken over.
//!
//! Interrupts: a signal handler (see [`crate::output::interrupt`]) removes staging directories in
//! progress and releases the lock; a run killed outright (SIGKILL, power loss) leaves
//! `.NAME.partial-PID`, `.NAME.old-PID` or `.NAME.lock` behind, and the next run into the same
//! directory cleans them up (restoring the previous results if the kill landed in the middle
//! of the swap). Only directories that still look like toeslagenlab's own are ever removed.

use crate::error::{Error, Result};
use crate::output::interrupt;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

/// Files a run, sweep or uncertainty analysis writes at the top of its directory (besides
/// `charts/`).
const KNOWN_FILES: [&str; 20] = [
    "manifest.json",
    crate::output::partial::PARTIAL_FILE,
    crate::output::parquet::PIECES_FILE,
    "summary.json",
    "report.md",
    "report.html",
    "households.csv",
    "households.parquet",
    "monthly_ledger.parquet",
    "sweep.csv",
    "uncertainty.json",
    "draws.csv",
    crate::output::tables::TIDY_FILES[0],
    crate::output::tables::TIDY_FILES[1],
    crate::output::tables::TIDY_FILES[2],
    crate::output::tables::TIDY_FILES[3],
    crate::output::horizon::HORIZON_FILES[0],
    crate::output::horizon::HORIZON_FILES[1],
    crate::output::horizon::HORIZON_FILES[2],
    crate::output::horizon::HORIZON_FILES[3],
];

/// Largest `manifest.json` read when recognising a previous output.
const MAX_MANIFEST_BYTES: u64 = 1 << 20;

/// What a `--out` target is, when it may be used.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TargetState {
    /// Nothing there yet: it is created.
    Missing,
    /// An empty directory: it is replaced.
    Empty,
    /// A previous toeslagenlab output: it is replaced.
    Previous,
}

/// A staging directory that becomes the run directory on [`Staging::commit`]. While it exists
/// it holds the target's lock file.
pub struct Staging {
    dir: PathBuf,
    target: PathBuf,
    inputs: Vec<PathBuf>,
    lock: Option<OutputLock>,
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

/// Writes one file atomically: a temporary file beside it (`.NAME.tmp-PID`), then a rename, so
/// a reader never sees half a file. The temporary file is removed on every failure path (and
/// on interrupt). Refuses, with exit 2, to replace anything but a regular file: a directory, a
/// symbolic link, a device.
pub fn write_file_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    if let Ok(m) = fs::symlink_metadata(path) {
        if !m.file_type().is_file() {
            return Err(Error::Usage(format!(
                "{} is {}, not a regular file; it was left alone: pick another path",
                path.display(),
                describe_kind(&m)
            )));
        }
    }
    let name = path
        .file_name()
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_else(|| "file".into());
    let tmp = path.with_file_name(format!(".{name}.tmp-{}", std::process::id()));
    interrupt::register_file(&tmp);
    let result = fs::write(&tmp, bytes)
        .map_err(|e| Error::io(&tmp, e))
        .and_then(|()| fs::rename(&tmp, path).map_err(|e| Error::io(path, e)));
    let mut st = interrupt::lock();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    interrupt::unregister_file_locked(&mut st, &tmp);
    result
}

/// What kind of thing `m` describes, for messages ("a regular file (12 bytes)").
fn describe_kind(m: &fs::Metadata) -> String {
    let t = m.file_type();
    if t.is_symlink() {
        return "a symbolic link".into();
    }
    if t.is_dir() {
        return "a directory".into();
    }
    if t.is_file() {
        return format!(
            "a regular file ({} byte{})",
            m.len(),
            if m.len() == 1 { "" } else { "s" }
        );
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_char_device() || t.is_block_device() {
            return "a device".into();
        }
        if t.is_fifo() {
            return "a FIFO (named pipe)".into();
        }
        if t.is_socket() {
            return "a socket".into();
        }
    }
    "not a regular file or directory".into()
}

fn refuse(target: &Path, what: &str, advice: &str) -> Error {
    Error::Usage(format!(
        "--out {} {what}; nothing was written: {advice}",
        target.display()
    ))
}

const PICK: &str = "pick another --out path";

/// Checks that `target` may receive a run's output, before anything is written: see the module
/// documentation for what is allowed. `inputs` are the files the run reads (its scenario): a
/// target holding one of them is refused.
pub fn check_target(target: &Path, inputs: &[&Path]) -> Result<TargetState> {
    let meta = match fs::symlink_metadata(target) {
        Ok(m) => Some(m),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(refuse(target, &format!("cannot be inspected ({e})"), PICK)),
    };
    // `.`, `..` and `/` have no name of their own: resolve them for the message.
    let canonical = fs::canonicalize(target).ok();
    if let Some(c) = &canonical {
        if let Some(cwd) = std::env::current_dir()
            .ok()
            .and_then(|d| fs::canonicalize(d).ok())
        {
            if &cwd == c {
                return Err(refuse(
                    target,
                    "is the current working directory",
                    &format!("{PICK}, e.g. a new subdirectory such as output/NAME"),
                ));
            }
            if cwd.starts_with(c) {
                return Err(refuse(
                    target,
                    &format!(
                        "is {} which holds the current working directory {}",
                        c.display(),
                        cwd.display()
                    ),
                    &format!("{PICK}, e.g. a new subdirectory such as output/NAME"),
                ));
            }
        }
        for input in inputs {
            if let Ok(i) = fs::canonicalize(input) {
                if i.starts_with(c) {
                    return Err(refuse(
                        target,
                        &format!("holds the input scenario {}", input.display()),
                        &format!("{PICK} (output never goes where its inputs are)"),
                    ));
                }
            }
        }
    }
    if target.file_name().is_none() {
        return Err(refuse(
            target,
            "does not end in a directory name",
            "name the output directory itself, e.g. --out output/NAME",
        ));
    }
    let Some(meta) = meta else {
        return Ok(TargetState::Missing);
    };
    if !meta.file_type().is_dir() {
        let advice = if meta.file_type().is_file() {
            format!("--out needs a directory; {PICK}, or remove the file yourself")
        } else {
            PICK.to_string()
        };
        return Err(refuse(
            target,
            &format!("is {}, not a directory", describe_kind(&meta)),
            &advice,
        ));
    }
    let survey = survey(target).map_err(|e| {
        refuse(
            target,
            &format!("is a directory that cannot be read ({e})"),
            PICK,
        )
    })?;
    survey
        .state()
        .map_err(|what| refuse(target, &what, &format!("{PICK}, or remove it yourself")))
}

/// What a directory holds, as far as telling toeslagenlab's own output from anything else.
#[derive(Debug, Default)]
struct Survey {
    /// Entries at the top level and in `charts/`.
    entries: usize,
    /// Entries toeslagenlab does not write (paths relative to the directory).
    foreign: Vec<String>,
    /// Whether `manifest.json` is one toeslagenlab wrote.
    manifest_ok: bool,
}

impl Survey {
    /// The state of a directory with this survey, or what it holds that forbids replacing it.
    fn state(&self) -> std::result::Result<TargetState, String> {
        if self.entries == 0 {
            return Ok(TargetState::Empty);
        }
        if !self.foreign.is_empty() {
            let n = self.foreign.len();
            let mut shown: Vec<&str> = self.foreign.iter().take(3).map(|s| s.as_str()).collect();
            if n > 3 {
                shown.push("…");
            }
            return Err(format!(
                "is a directory with {n} file{} that toeslagenlab did not write (e.g. {})",
                if n == 1 { "" } else { "s" },
                shown.join(", ")
            ));
        }
        if !self.manifest_ok {
            return Err(
                "is a directory without a manifest.json written by toeslagenlab, so it is not a previous output"
                    .into(),
            );
        }
        Ok(TargetState::Previous)
    }

    /// Whether the directory holds nothing but what toeslagenlab writes (a manifest is not
    /// required: a staging directory may not have one yet).
    fn only_ours(&self) -> bool {
        self.foreign.is_empty()
    }
}

/// Surveys `dir` (one level, and `charts/`). Never follows symbolic links.
fn survey(dir: &Path) -> std::io::Result<Survey> {
    let mut s = Survey::default();
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        s.entries += 1;
        let name = entry.file_name().to_string_lossy().to_string();
        let ft = entry.file_type()?;
        if name == "charts" && ft.is_dir() {
            for c in fs::read_dir(entry.path())? {
                let c = c?;
                s.entries += 1;
                let cname = c.file_name().to_string_lossy().to_string();
                if !(c.file_type()?.is_file() && is_chart_file(&cname)) {
                    s.foreign.push(format!("charts/{cname}"));
                }
            }
        } else if name == crate::output::partial::RUNS_DIR && ft.is_dir() {
            // An uncertainty shard's run tallies.
            for c in fs::read_dir(entry.path())? {
                let c = c?;
                s.entries += 1;
                let cname = c.file_name().to_string_lossy().to_string();
                if !(c.file_type()?.is_file() && crate::output::partial::is_run_file(&cname)) {
                    s.foreign.push(format!("{name}/{cname}"));
                }
            }
        } else if ft.is_file() && KNOWN_FILES.contains(&name.as_str()) {
            if name == "manifest.json" {
                s.manifest_ok = manifest_is_ours(&entry.path());
            }
        } else {
            s.foreign.push(if ft.is_dir() {
                format!("{name}/")
            } else {
                name
            });
        }
    }
    s.foreign.sort();
    Ok(s)
}

/// A chart file (`NAME.csv`, `.svg`, `.png`) or `plot`'s temporary file (`NAME.tmp-PID`).
fn is_chart_file(name: &str) -> bool {
    let Some((stem, ext)) = name.rsplit_once('.') else {
        return false;
    };
    !stem.is_empty()
        && (matches!(ext, "csv" | "svg" | "png")
            || ext
                .strip_prefix("tmp-")
                .is_some_and(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit())))
}

/// Whether `path` is a manifest toeslagenlab wrote: a small JSON object with
/// `"program": "toeslagenlab"`.
fn manifest_is_ours(path: &Path) -> bool {
    let Ok(f) = fs::File::open(path) else {
        return false;
    };
    let mut text = String::new();
    if f.take(MAX_MANIFEST_BYTES + 1)
        .read_to_string(&mut text)
        .is_err()
        || text.len() as u64 > MAX_MANIFEST_BYTES
    {
        return false;
    }
    serde_json::from_str::<serde_json::Value>(&text)
        .ok()
        .and_then(|v| {
            v.get("program")
                .and_then(|p| p.as_str())
                .map(|p| p == "toeslagenlab")
        })
        .unwrap_or(false)
}

/// Whether `dir` may be removed as toeslagenlab's own: empty, or holding only what
/// toeslagenlab writes (`need_manifest`: and a manifest it wrote).
fn removable(dir: &Path, need_manifest: bool) -> bool {
    match fs::symlink_metadata(dir) {
        Ok(m) if m.file_type().is_dir() => {}
        _ => return false,
    }
    survey(dir).is_ok_and(|s| {
        if need_manifest {
            s.state().is_ok()
        } else {
            s.only_ours()
        }
    })
}

/// The lock file of an output directory, removed on drop (and on interrupt).
struct OutputLock {
    path: PathBuf,
}

impl OutputLock {
    /// Takes `.BASE.lock` in `parent` for `target`, or says who holds it. A lock whose
    /// process is gone is taken over.
    fn acquire(parent: &Path, base: &str, target: &Path) -> Result<OutputLock> {
        let path = parent.join(format!(".{base}.lock"));
        let me = std::process::id();
        for _ in 0..5 {
            let mut st = interrupt::lock();
            match fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&path)
            {
                Ok(mut f) => {
                    use std::io::Write;
                    st.files.push(path.clone());
                    drop(st);
                    let lock = OutputLock { path };
                    if let Err(e) = f.write_all(format!("{me}\n").as_bytes()) {
                        let _ = fs::remove_file(&lock.path);
                        return Err(Error::io(&lock.path, e));
                    }
                    return Ok(lock);
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
                Err(e) => return Err(Error::io(&path, e)),
            }
            drop(st);
            let holder = read_lock_pid(&path);
            match holder {
                Some(pid) if pid == me || process_alive(pid) => {
                    return Err(in_use(target, &format!("PID {pid}")));
                }
                Some(_) => {
                    // Stale: its process is gone.
                    let _ = fs::remove_file(&path);
                }
                None => {
                    // No PID yet: a run that is just starting, unless the file is old.
                    let age = fs::metadata(&path)
                        .and_then(|m| m.modified())
                        .ok()
                        .and_then(|t| t.elapsed().ok());
                    match age {
                        Some(a) if a.as_secs() >= 5 => {
                            let _ = fs::remove_file(&path);
                        }
                        None if !path.exists() => {}
                        _ => return Err(in_use(target, "a process that is starting")),
                    }
                }
            }
        }
        Err(in_use(target, "another process"))
    }
}

fn in_use(target: &Path, who: &str) -> Error {
    Error::Usage(format!(
        "output directory {} is in use by {who} (another toeslagenlab run); wait for it or pick another --out",
        target.display()
    ))
}

/// The PID in a lock file, if it holds one.
fn read_lock_pid(path: &Path) -> Option<u32> {
    let f = fs::File::open(path).ok()?;
    let mut text = String::new();
    f.take(64).read_to_string(&mut text).ok()?;
    text.trim().parse().ok()
}

impl Drop for OutputLock {
    fn drop(&mut self) {
        let mut st = interrupt::lock();
        if read_lock_pid(&self.path) == Some(std::process::id()) {
            let _ = fs::remove_file(&self.path);
        }
        interrupt::unregister_file_locked(&mut st, &self.path);
    }
}

impl Staging {
    /// Prepares a staging directory for `target`, after [`check_target`] (with the run's
    /// `inputs`) and taking the target's lock. Nothing is written when the target is refused.
    pub fn new(target: &Path, inputs: &[&Path]) -> Result<Staging> {
        check_target(target, inputs)?;
        let parent = target
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
        let base = target
            .file_name()
            .map(|s| s.to_string_lossy().to_string())
            .unwrap_or_else(|| "run".into());
        let lock = OutputLock::acquire(parent, &base, target)?;
        clean_stale(parent, &base, target);
        // Cleaning may have put back the previous results of a run killed mid-swap.
        check_target(target, inputs)?;
        let dir = parent.join(format!(".{base}.partial-{}", std::process::id()));
        if fs::symlink_metadata(&dir).is_ok() {
            if !removable(&dir, false) {
                return Err(Error::Usage(format!(
                    "{} is in the way of the staging directory and holds files toeslagenlab did not write; remove it yourself or pick another --out",
                    dir.display()
                )));
            }
            fs::remove_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
        }
        fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
        interrupt::register(&dir);
        Ok(Staging {
            dir,
            target: target.to_path_buf(),
            inputs: inputs.iter().map(|p| p.to_path_buf()).collect(),
            lock: Some(lock),
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

    /// Swaps the staging directory into place. The target is checked again first (it may have
    /// changed during the run); the previous run directory is moved aside, checked once more,
    /// and removed only after the new one is in place.
    pub fn commit(mut self) -> Result<PathBuf> {
        // An interrupt waits until the swap is done (or exits before it starts).
        let mut st = interrupt::lock();
        let inputs: Vec<&Path> = self.inputs.iter().map(|p| p.as_path()).collect();
        let state = match check_target(&self.target, &inputs) {
            Ok(s) => s,
            Err(Error::Usage(m)) => {
                drop(st);
                return Err(Error::Usage(format!(
                    "{m} (it changed while the run was going; this run's results were discarded)"
                )));
            }
            Err(e) => return Err(e),
        };
        let base = self
            .target
            .file_name()
            .map(|s| s.to_string_lossy().to_string())
            .unwrap_or_default();
        let old = self
            .target
            .with_file_name(format!(".{base}.old-{}", std::process::id()));
        let had_old = match state {
            TargetState::Missing => false,
            // `remove_dir` refuses a directory that is no longer empty.
            TargetState::Empty => {
                fs::remove_dir(&self.target).map_err(|e| Error::io(&self.target, e))?;
                false
            }
            TargetState::Previous => {
                fs::rename(&self.target, &old).map_err(|e| Error::io(&self.target, e))?;
                true
            }
        };
        if let Err(e) = fs::rename(&self.dir, &self.target) {
            if had_old {
                let _ = fs::rename(&old, &self.target);
            }
            return Err(Error::io(&self.target, e));
        }
        self.committed = true;
        interrupt::unregister_locked(&mut st, &self.dir);
        if had_old {
            // Re-checked: remove only what is still a toeslagenlab output.
            if removable(&old, true) {
                st.swapped.push((self.target.clone(), old.clone()));
                drop(st);
                let _ = fs::remove_dir_all(&old);
                let mut st = interrupt::lock();
                st.swapped.retain(|(_, o)| o != &old);
            } else {
                drop(st);
                eprintln!(
                    "warning: {} changed during the run; its previous contents are kept in {}",
                    self.target.display(),
                    old.display()
                );
            }
        } else {
            drop(st);
        }
        self.lock.take();
        Ok(self.target.clone())
    }
}

/// Removes what runs into `target` that were killed outright left behind: `.BASE.partial-PID`
/// and `.BASE.old-PID` directories whose process is gone and which hold only toeslagenlab's
/// files. If `target` is missing and such an old directory exists, the kill hit the swap: the
/// old directory is put back.
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
        if kind == "old" && fs::symlink_metadata(target).is_err() {
            if removable(&path, true) {
                let _ = fs::rename(&path, target);
            }
        } else if removable(&path, kind == "old") {
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
            let mut st = interrupt::lock();
            let _ = fs::remove_dir_all(&self.dir);
            interrupt::unregister_locked(&mut st, &self.dir);
        }
        // The lock goes after the staging directory.
        self.lock.take();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A pid that cannot be running: above the kernel's pid_max limit (4194304).
    const DEAD: u32 = 4_194_305 + 17;

    fn fake_output(dir: &Path) {
        fs::create_dir_all(dir.join("charts")).unwrap();
        fs::write(
            dir.join("manifest.json"),
            br#"{"program": "toeslagenlab", "version": "0"}"#,
        )
        .unwrap();
        fs::write(dir.join("report.md"), b"# old").unwrap();
        fs::write(dir.join("charts/settlement_distribution.csv"), b"a").unwrap();
    }

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
        let s = Staging::new(&target, &[]).unwrap();
        assert!(tmp.path().join(".run.lock").is_file(), "the lock is held");
        s.write("a.txt", b"one").unwrap();
        s.write("manifest.json", br#"{"program":"toeslagenlab"}"#)
            .unwrap();
        s.commit().unwrap();
        assert_eq!(fs::read(target.join("a.txt")).unwrap(), b"one");
        assert!(
            !tmp.path().join(".run.lock").exists(),
            "the lock is released"
        );
        // `a.txt` is not a file toeslagenlab writes: the directory is no longer replaceable.
        assert!(Staging::new(&target, &[]).is_err());
        fs::remove_file(target.join("a.txt")).unwrap();
        {
            let s = Staging::new(&target, &[]).unwrap();
            s.write("report.md", b"half").unwrap();
            // dropped without commit: an interrupted run
        }
        assert!(target.join("manifest.json").is_file());
        assert!(!target.join("report.md").exists());
        assert_eq!(fs::read_dir(tmp.path()).unwrap().count(), 1);
    }

    #[test]
    fn targets_that_are_not_ours_are_refused() {
        let tmp = tempfile::tempdir().unwrap();
        let p = tmp.path();
        // Missing, empty, previous output: allowed.
        assert_eq!(
            check_target(&p.join("new"), &[]).unwrap(),
            TargetState::Missing
        );
        fs::create_dir(p.join("empty")).unwrap();
        assert_eq!(
            check_target(&p.join("empty"), &[]).unwrap(),
            TargetState::Empty
        );
        fake_output(&p.join("prev"));
        assert_eq!(
            check_target(&p.join("prev"), &[]).unwrap(),
            TargetState::Previous
        );
        // Someone else's directory.
        fs::create_dir(p.join("docs")).unwrap();
        fs::write(p.join("docs/thesis.txt"), b"years of work").unwrap();
        let e = check_target(&p.join("docs"), &[]).unwrap_err().to_string();
        assert!(
            e.contains("1 file that toeslagenlab did not write (e.g. thesis.txt)"),
            "{e}"
        );
        assert!(
            e.contains("pick another --out path, or remove it yourself"),
            "{e}"
        );
        // A previous output with a user's file added is no longer ours alone.
        fs::write(p.join("prev/notes.txt"), b"mine").unwrap();
        fs::write(p.join("prev/charts/mine.txt"), b"mine").unwrap();
        let e = check_target(&p.join("prev"), &[]).unwrap_err().to_string();
        assert!(
            e.contains("2 files") && e.contains("charts/mine.txt, notes.txt"),
            "{e}"
        );
        // Our file names but a foreign manifest.
        fs::create_dir(p.join("look")).unwrap();
        fs::write(p.join("look/manifest.json"), br#"{"program": "other"}"#).unwrap();
        let e = check_target(&p.join("look"), &[]).unwrap_err().to_string();
        assert!(
            e.contains("without a manifest.json written by toeslagenlab"),
            "{e}"
        );
        // A regular file.
        fs::write(p.join("notes.txt"), b"abc").unwrap();
        let e = check_target(&p.join("notes.txt"), &[])
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("is a regular file (3 bytes), not a directory"),
            "{e}"
        );
        // A symbolic link, even to a previous output.
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(p.join("empty"), p.join("link")).unwrap();
            let e = check_target(&p.join("link"), &[]).unwrap_err().to_string();
            assert!(e.contains("a symbolic link"), "{e}");
            let e = check_target(Path::new("/dev/null"), &[])
                .unwrap_err()
                .to_string();
            assert!(e.contains("a device, not a directory"), "{e}");
        }
        // A directory holding the input (or one of its ancestors).
        fs::create_dir_all(p.join("sc/sub")).unwrap();
        fs::write(p.join("sc/sub/a.toml"), b"").unwrap();
        for t in ["sc", "sc/sub"] {
            let e = check_target(&p.join(t), &[&p.join("sc/sub/a.toml")])
                .unwrap_err()
                .to_string();
            assert!(e.contains("holds the input scenario"), "{e}");
        }
        // The root and a name-less path.
        assert!(check_target(Path::new("/"), &[]).is_err());
        assert!(check_target(&p.join("empty/.."), &[]).is_err());
        for e in ["docs", "prev", "look"] {
            assert!(p.join(e).is_dir(), "{e} untouched");
        }
        assert_eq!(
            fs::read(p.join("docs/thesis.txt")).unwrap(),
            b"years of work"
        );
        assert_eq!(fs::read(p.join("notes.txt")).unwrap(), b"abc");
    }

    #[test]
    fn the_lock_refuses_a_live_holder_and_takes_over_a_dead_one() {
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("run");
        let lock = tmp.path().join(".run.lock");
        fs::write(&lock, format!("{}\n", std::process::id())).unwrap();
        let e = Staging::new(&target, &[]).err().unwrap();
        assert_eq!(e.exit_code(), 2);
        assert!(
            e.to_string()
                .contains(&format!("is in use by PID {}", std::process::id())),
            "{e}"
        );
        assert!(lock.exists(), "someone else's lock is left alone");
        assert!(!target.exists());
        fs::write(&lock, format!("{DEAD}\n")).unwrap();
        let s = Staging::new(&target, &[]).unwrap();
        assert_eq!(read_lock_pid(&lock), Some(std::process::id()));
        drop(s);
        assert!(!lock.exists());
    }

    #[test]
    fn chart_names() {
        for ok in ["a.csv", "x_y.svg", "b.png", "a.tmp-123"] {
            assert!(is_chart_file(ok), "{ok}");
        }
        for bad in ["a.txt", ".csv", "a.tmp-", "a.tmp-x", "noext"] {
            assert!(!is_chart_file(bad), "{bad}");
        }
    }

    #[test]
    fn atomic_writes_leave_no_temporary_file_and_refuse_non_files() {
        let tmp = tempfile::tempdir().unwrap();
        let f = tmp.path().join("a.json");
        write_file_atomic(&f, b"1").unwrap();
        write_file_atomic(&f, b"2").unwrap();
        assert_eq!(fs::read(&f).unwrap(), b"2");
        fs::create_dir(tmp.path().join("d")).unwrap();
        let e = write_file_atomic(&tmp.path().join("d"), b"x").unwrap_err();
        assert_eq!(e.exit_code(), 2, "{e}");
        // A failing write (the parent is missing) leaves nothing behind.
        assert!(write_file_atomic(&tmp.path().join("missing/a.json"), b"x").is_err());
        let names: Vec<String> = fs::read_dir(tmp.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
            .collect();
        assert_eq!(names.len(), 2, "{names:?}");
    }

    #[test]
    fn leftovers_of_killed_runs_are_cleaned_up_and_a_half_swap_is_undone() {
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("run");
        let partial = tmp.path().join(format!(".run.partial-{DEAD}"));
        let old = tmp.path().join(format!(".run.old-{DEAD}"));
        let other = tmp.path().join(format!(".other.partial-{DEAD}"));
        for d in [&partial, &old, &other] {
            fs::create_dir_all(d).unwrap();
        }
        fake_output(&old);
        // A stale lock of the killed run.
        fs::write(tmp.path().join(".run.lock"), format!("{DEAD}\n")).unwrap();
        // The kill hit the swap: `run` is gone, `.run.old-PID` holds the previous results.
        let s = Staging::new(&target, &[]).unwrap();
        assert!(!partial.exists());
        assert!(!old.exists());
        assert!(
            other.exists(),
            "another target's files are not ours to clean"
        );
        assert_eq!(fs::read(target.join("report.md")).unwrap(), b"# old");
        drop(s);
        // A live process's staging directory is left alone.
        let live = tmp.path().join(".run.partial-1");
        fs::create_dir_all(&live).unwrap();
        let s = Staging::new(&target, &[]).unwrap();
        drop(s);
        assert_eq!(live.exists(), Path::new("/proc/1").exists());
        // A dead run's "old" directory holding a user's file is never removed.
        let odd = tmp.path().join(format!(".run.old-{}", DEAD + 1));
        fs::create_dir_all(&odd).unwrap();
        fs::write(odd.join("thesis.txt"), b"mine").unwrap();
        drop(Staging::new(&target, &[]).unwrap());
        assert!(odd.join("thesis.txt").is_file());
    }
}
