//! households.parquet and the monthly ledger (issue 23): the real binary writes them, and
//! `scripts/check_parquet.py` reads them with pyarrow and must find households.parquet equal to
//! households.csv cell for cell and the ledger consistent with it. The bytes do not depend on
//! the thread count.
//!
//! The pyarrow checks need python3 with pyarrow and pandas; without them they print `skipped: …`
//! and pass, unless `TOESLAGENLAB_REQUIRE_PYARROW=1` (CI) makes them fail.

use crate::common::{bin, root};
use std::path::Path;
use std::process::Command;

fn pyarrow_ready() -> bool {
    crate::common::python_has(
        "pyarrow, pandas",
        "TOESLAGENLAB_REQUIRE_PYARROW",
        "pyarrow and pandas (pip install pyarrow pandas)",
    )
}

/// Runs `scenario` with every per-household file into `out`.
fn run(scenario: &Path, out: &Path, extra: &[&str]) {
    bin()
        .arg("run")
        .arg(scenario)
        .args([
            "--households",
            "3000",
            "--households-csv",
            "--households-parquet",
        ])
        .args(extra)
        .arg("--out")
        .arg(out)
        .arg("--quiet")
        .assert()
        .success();
}

/// scripts/check_parquet.py on a run directory: (exit code, its output).
fn check(dir: &Path) -> (i32, String) {
    let o = Command::new("python3")
        .arg(root().join("scripts/check_parquet.py"))
        .arg(dir)
        .output()
        .unwrap();
    (
        o.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&o.stdout).into_owned() + &String::from_utf8_lossy(&o.stderr),
    )
}

#[test]
fn households_parquet_equals_households_csv_and_the_ledger_adds_up() {
    let t = tempfile::tempdir().unwrap();
    let randomized = t.path().join("randomized.toml");
    std::fs::write(
        &randomized,
        std::fs::read_to_string(root().join("scenarios/adjustable.toml"))
            .unwrap()
            .replace("\ndesign = \"paired\"", "\ndesign = \"randomized\""),
    )
    .unwrap();
    let cases: Vec<(std::path::PathBuf, &[&str])> = vec![
        (
            root().join("scenarios/cautious-vs-standard.toml"),
            &["--monthly-parquet"],
        ),
        (
            root().join("scenarios/interventions.toml"),
            &["--monthly-parquet"],
        ),
        (randomized, &["--monthly-parquet"]),
        (root().join("scenarios/multi-year.toml"), &[]),
    ];
    let ready = pyarrow_ready();
    for (i, (sc, extra)) in cases.iter().enumerate() {
        let out = t.path().join(format!("run{i}"));
        run(sc, &out, extra);
        let pq = std::fs::read(out.join("households.parquet")).unwrap();
        assert!(
            pq.starts_with(b"PAR1") && pq.ends_with(b"PAR1"),
            "{}",
            sc.display()
        );
        assert_eq!(
            out.join("monthly_ledger.parquet").exists(),
            !extra.is_empty(),
            "{}",
            sc.display()
        );
        if ready {
            let (code, text) = check(&out);
            assert_eq!(code, 0, "{}: {text}", sc.display());
            assert!(text.starts_with("ok "), "{text}");
        }
    }
}

#[test]
fn the_check_catches_a_changed_cell() {
    if !pyarrow_ready() {
        return;
    }
    let t = tempfile::tempdir().unwrap();
    let out = t.path().join("run");
    run(
        &root().join("scenarios/cautious-vs-standard.toml"),
        &out,
        &["--monthly-parquet"],
    );
    assert_eq!(check(&out).0, 0);
    // One cent more in one advance: the households check and the ledger's sum both see it.
    let csv = std::fs::read_to_string(out.join("households.csv")).unwrap();
    let mut lines: Vec<String> = csv.lines().map(str::to_string).collect();
    let mut cells: Vec<String> = lines[5].split(',').map(str::to_string).collect();
    let cents: i64 = cells[5].replace('.', "").parse().unwrap();
    cells[5] = format!("{}.{:02}", (cents + 1) / 100, (cents + 1) % 100);
    lines[5] = cells.join(",");
    std::fs::write(out.join("households.csv"), lines.join("\n") + "\n").unwrap();
    let (code, text) = check(&out);
    assert_eq!(code, 1, "{text}");
    assert!(text.contains("column advances row 4"), "{text}");
}

#[test]
fn parquet_bytes_do_not_depend_on_the_thread_count() {
    let t = tempfile::tempdir().unwrap();
    let sc = root().join("scenarios/cautious-vs-standard.toml");
    let mut files = vec![];
    for threads in ["1", "2"] {
        let out = t.path().join(format!("t{threads}"));
        run(&sc, &out, &["--monthly-parquet", "--threads", threads]);
        files.push((
            std::fs::read(out.join("households.parquet")).unwrap(),
            std::fs::read(out.join("monthly_ledger.parquet")).unwrap(),
        ));
    }
    assert!(
        files[0] == files[1],
        "Parquet bytes differ between 1 and 2 threads"
    );
}

#[test]
fn households_parquet_alone_and_no_ledger_for_a_multi_year_run() {
    let t = tempfile::tempdir().unwrap();
    let out = t.path().join("alone");
    bin()
        .args([
            "run",
            "scenarios/cautious-vs-standard.toml",
            "--households",
            "2000",
        ])
        .arg("--households-parquet")
        .arg("--out")
        .arg(&out)
        .assert()
        .success()
        .stdout(predicates::str::contains("households.parquet"));
    assert!(out.join("households.parquet").exists());
    assert!(!out.join("households.csv").exists());
    let manifest = std::fs::read_to_string(out.join("manifest.json")).unwrap();
    assert!(
        manifest.contains("\"households_parquet\": true"),
        "{manifest}"
    );
    let out = t.path().join("horizon");
    bin()
        .args(["run", "scenarios/multi-year.toml", "--households", "500"])
        .arg("--monthly-parquet")
        .arg("--out")
        .arg(&out)
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "--monthly-parquet is for one-year runs",
        ));
    assert!(!out.exists(), "a refused run must leave nothing behind");
}
