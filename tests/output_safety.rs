//! `--out` never deletes what toeslagenlab did not write: every reproduction of issue 15 on the
//! real binary (run and sweep), plus the output lock.
//!
//! Allowed targets: a missing path, an empty directory, a previous toeslagenlab output.
//! Everything else is refused with exit 2 before anything is written, and left as it was.

use crate::common;
use common::*;
use predicates::prelude::*;
use std::path::{Path, PathBuf};

/// A pid that cannot be running: above the kernel's pid_max limit (4194304).
const DEAD_PID: u32 = 4_194_305 + 17;

fn run_cmd(sc: &Path, out: &Path) -> assert_cmd::Command {
    let mut c = bin();
    c.arg("run")
        .arg(sc)
        .args(["--households", "200", "--quiet", "--out"])
        .arg(out);
    c
}

fn sweep_cmd(out: &Path) -> assert_cmd::Command {
    let mut c = bin();
    c.args([
        "sweep",
        "scenarios/sweep-cautious-fraction.toml",
        "--households",
        "200",
        "--quiet",
        "--out",
    ])
    .arg(out);
    c
}

fn entries(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect();
    v.sort();
    v
}

/// A directory with a user's file in it.
fn user_dir(parent: &Path) -> PathBuf {
    let d = parent.join("mydocs");
    std::fs::create_dir_all(&d).unwrap();
    std::fs::write(d.join("thesis.txt"), b"four years of work").unwrap();
    d
}

fn refused(c: &mut assert_cmd::Command, needle: &str) {
    c.assert()
        .code(2)
        .stderr(predicate::str::contains(needle))
        .stderr(predicate::str::contains("nothing was written"));
}

#[test]
fn a_directory_of_other_files_is_refused_and_untouched() {
    let tmp = tempfile::tempdir().unwrap();
    let sc = scenario(tmp.path(), "s.toml", SMALL);
    let d = user_dir(tmp.path());
    refused(
        &mut run_cmd(&sc, &d),
        "is a directory with 1 file that toeslagenlab did not write (e.g. thesis.txt); nothing was written: pick another --out path, or remove it yourself",
    );
    assert_eq!(
        std::fs::read(d.join("thesis.txt")).unwrap(),
        b"four years of work"
    );
    assert_eq!(entries(tmp.path()), ["mydocs", "s.toml"], "no litter");
    assert_eq!(entries(&d), ["thesis.txt"]);
}

#[test]
fn a_previous_output_with_a_users_file_added_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let sc = scenario(tmp.path(), "s.toml", SMALL);
    let out = tmp.path().join("o");
    run_to(&sc, &out, &["--households", "200"]);
    std::fs::write(out.join("my-notes.md"), b"notes").unwrap();
    refused(&mut run_cmd(&sc, &out), "(e.g. my-notes.md)");
    assert_eq!(std::fs::read(out.join("my-notes.md")).unwrap(), b"notes");
    assert!(out.join("summary.json").is_file());
}

#[test]
fn the_directory_holding_the_scenario_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let scenarios = tmp.path().join("scenarios");
    std::fs::create_dir_all(scenarios.join("sub")).unwrap();
    let sc = scenario(&scenarios.join("sub"), "s.toml", SMALL);
    for out in [scenarios.join("sub"), scenarios.clone()] {
        refused(&mut run_cmd(&sc, &out), "holds the input scenario");
    }
    assert!(sc.is_file());
    assert_eq!(entries(tmp.path()), ["scenarios"]);
    assert_eq!(entries(&scenarios), ["sub"]);
}

#[test]
fn the_working_directory_and_its_ancestors_are_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let sc = scenario(tmp.path(), "s.toml", SMALL);
    let here = tmp.path().join("work").join("here");
    std::fs::create_dir_all(&here).unwrap();
    std::fs::write(here.join("data.csv"), b"1,2").unwrap();
    for (out, needle) in [
        (".", "is the current working directory"),
        ("../here", "is the current working directory"),
        ("..", "which holds the current working directory"),
        ("/", "which holds the current working directory"),
    ] {
        let mut c = run_cmd(&sc, Path::new(out));
        c.current_dir(&here);
        refused(&mut c, needle);
    }
    assert_eq!(entries(&here), ["data.csv"]);
    assert_eq!(entries(&tmp.path().join("work")), ["here"]);
}

#[test]
fn a_regular_file_a_link_and_a_device_are_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let sc = scenario(tmp.path(), "s.toml", SMALL);
    let notes = tmp.path().join("notes.txt");
    std::fs::write(&notes, b"keep me").unwrap();
    refused(
        &mut run_cmd(&sc, &notes),
        "is a regular file (7 bytes), not a directory; nothing was written: --out needs a directory",
    );
    assert_eq!(std::fs::read(&notes).unwrap(), b"keep me");
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let empty = tmp.path().join("empty");
        std::fs::create_dir(&empty).unwrap();
        let link = tmp.path().join("link");
        std::os::unix::fs::symlink(&empty, &link).unwrap();
        refused(&mut run_cmd(&sc, &link), "is a symbolic link");
        assert!(std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink());
        // Refused before anything is renamed or created: /dev is never written to.
        refused(
            &mut run_cmd(&sc, Path::new("/dev/null")),
            "--out /dev/null is a device, not a directory",
        );
        assert!(std::fs::metadata("/dev/null")
            .unwrap()
            .file_type()
            .is_char_device());
        assert!(!Path::new("/dev/.null.lock").exists());
    }
    assert_eq!(
        entries(tmp.path()),
        ["empty", "link", "notes.txt", "s.toml"]
    );
}

#[test]
fn a_previous_output_is_replaced_and_an_empty_directory_filled() {
    let tmp = tempfile::tempdir().unwrap();
    let sc = scenario(tmp.path(), "s.toml", SMALL);
    let out = tmp.path().join("results").join("run");
    let first = run_to(&sc, &out, &["--households", "200", "--households-csv"]);
    let second = run_to(&sc, &out, &["--households", "100"]);
    assert_ne!(first, second);
    assert!(!out.join("households.csv").exists(), "the old run is gone");
    assert_eq!(
        entries(out.parent().unwrap()),
        ["run"],
        "no lock, no litter"
    );
    let empty = tmp.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    run_to(&sc, &empty, &["--households", "100"]);
    assert!(empty.join("manifest.json").is_file());
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(empty.join("manifest.json")).unwrap())
            .unwrap();
    assert_eq!(manifest["program"], "toeslagenlab");
}

#[test]
fn a_live_lock_refuses_and_a_stale_one_is_taken_over() {
    let tmp = tempfile::tempdir().unwrap();
    let sc = scenario(tmp.path(), "s.toml", SMALL);
    let out = tmp.path().join("o");
    let lock = tmp.path().join(".o.lock");
    let me = std::process::id();
    std::fs::write(&lock, format!("{me}\n")).unwrap();
    run_cmd(&sc, &out).assert().code(2).stderr(predicate::str::contains(format!(
        "output directory {} is in use by PID {me} (another toeslagenlab run); wait for it or pick another --out",
        out.display()
    )));
    assert_eq!(std::fs::read_to_string(&lock).unwrap(), format!("{me}\n"));
    assert!(!out.exists());
    std::fs::write(&lock, format!("{DEAD_PID}\n")).unwrap();
    run_cmd(&sc, &out).assert().success();
    assert!(out.join("summary.json").is_file());
    assert_eq!(entries(tmp.path()), ["o", "s.toml"], "the lock is released");
}

#[test]
fn sweep_out_has_the_same_protections() {
    let tmp = tempfile::tempdir().unwrap();
    let d = user_dir(tmp.path());
    refused(&mut sweep_cmd(&d), "(e.g. thesis.txt)");
    assert_eq!(entries(&d), ["thesis.txt"]);
    let notes = tmp.path().join("notes.txt");
    std::fs::write(&notes, b"keep me").unwrap();
    refused(&mut sweep_cmd(&notes), "is a regular file");
    assert_eq!(std::fs::read(&notes).unwrap(), b"keep me");
    // The scenario's own directory (a copy: a broken check must not risk the repository's).
    let scdir = tmp.path().join("scenarios");
    std::fs::create_dir(&scdir).unwrap();
    let sc = scdir.join("sweep.toml");
    std::fs::copy(root().join("scenarios/sweep-cautious-fraction.toml"), &sc).unwrap();
    let mut c = bin();
    c.arg("sweep")
        .arg(&sc)
        .args(["--households", "200", "--quiet", "--out"])
        .arg(&scdir);
    refused(&mut c, "holds the input scenario");
    assert_eq!(entries(&scdir), ["sweep.toml"]);
    // A previous sweep (and a previous run) is replaced.
    let out = tmp.path().join("sw");
    sweep_cmd(&out).assert().success();
    assert!(out.join("sweep.csv").is_file());
    sweep_cmd(&out).assert().success();
    let lock = tmp.path().join(".sw.lock");
    std::fs::write(&lock, format!("{}\n", std::process::id())).unwrap();
    sweep_cmd(&out)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("is in use by PID"));
    std::fs::remove_file(&lock).unwrap();
    assert_eq!(
        entries(tmp.path()),
        ["mydocs", "notes.txt", "scenarios", "sw"]
    );
}

#[test]
fn check_update_and_junit_write_atomically_and_leave_no_temporary_files() {
    let tmp = tempfile::tempdir().unwrap();
    let sc = scenario(tmp.path(), "s.toml", SMALL);
    let base = tmp.path().join("baselines");
    let junit = tmp.path().join("check.xml");
    bin()
        .arg("check")
        .arg(&sc)
        .arg("--baseline")
        .arg(&base)
        .arg("--update")
        .arg("--junit")
        .arg(&junit)
        .assert()
        .success();
    assert!(base.join("s.json").is_file() && junit.is_file());
    assert_eq!(entries(&base), ["s.json"], "no temporary file left");
    // Targets that are not files are refused and left alone, with no temporary file.
    let bad_base = tmp.path().join("bad");
    std::fs::create_dir_all(bad_base.join("s.json")).unwrap();
    let mut c = bin();
    c.arg("check")
        .arg(&sc)
        .arg("--baseline")
        .arg(&bad_base)
        .arg("--update");
    c.assert().code(2).stderr(predicate::str::contains(
        "is a directory, not a regular file",
    ));
    assert_eq!(entries(&bad_base), ["s.json"]);
    let junit_dir = tmp.path().join("junit-dir");
    std::fs::create_dir(&junit_dir).unwrap();
    let mut c = bin();
    c.arg("check").arg(&sc).arg("--junit").arg(&junit_dir);
    c.assert().code(2).stderr(predicate::str::contains(
        "is a directory, not a regular file",
    ));
    // A write that fails (the parent is missing) leaves no temporary file either.
    let mut c = bin();
    c.arg("check")
        .arg(&sc)
        .arg("--junit")
        .arg(tmp.path().join("missing").join("check.xml"));
    c.assert().failure();
    assert_eq!(
        entries(tmp.path()),
        ["bad", "baselines", "check.xml", "junit-dir", "s.toml"]
    );
}

#[test]
fn concurrent_runs_into_one_directory_never_race() {
    let tmp = tempfile::tempdir().unwrap();
    let sc = scenario(tmp.path(), "s.toml", SMALL);
    let out = tmp.path().join("o");
    let children: Vec<_> = (0..4)
        .map(|_| {
            std::process::Command::new(assert_cmd::cargo::cargo_bin("toeslagenlab"))
                .arg("run")
                .arg(&sc)
                .args([
                    "--households",
                    "20000",
                    "--quiet",
                    "--threads",
                    "1",
                    "--out",
                ])
                .arg(&out)
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let mut ok = 0;
    for c in children {
        let o = c.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&o.stderr);
        match o.status.code() {
            Some(0) => ok += 1,
            // "in use by PID N", or "in use by a process that is starting" when the other
            // run has created the lock file but not yet written its PID into it.
            Some(2) => assert!(
                stderr.contains("is in use by PID")
                    || stderr.contains("is in use by a process that is starting"),
                "{stderr}"
            ),
            other => panic!("exit {other:?}: {stderr}"),
        }
    }
    assert!(ok >= 1);
    assert!(out.join("summary.json").is_file());
    assert_eq!(entries(tmp.path()), ["o", "s.toml"], "no litter, no lock");
}
