//! Adversarial cases replayed on the real binary (issue 15): huge statistics inputs, empty
//! arms, stdout closed early for every subcommand, tampered chart data, unreadable `diff`
//! inputs. Every case must finish within a deadline, so a hang fails instead of stalling.

use crate::common;

use common::{root, scenario, SMALL};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The longest any case here may take (they take well under a second to a few seconds).
const DEADLINE: Duration = Duration::from_secs(20);

fn binary() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_toeslagenlab"))
}

/// The exit code and stderr of `cmd`, killed and failed when it outlives [`DEADLINE`].
fn wait_with_deadline(mut cmd: Command, what: &str, stderr_file: &Path) -> (i32, String) {
    cmd.current_dir(root())
        .stdin(Stdio::null())
        .stderr(std::fs::File::create(stderr_file).unwrap());
    wait_child(cmd.spawn().unwrap(), what, stderr_file)
}

/// Waits for `child` at most [`DEADLINE`] (killed and failed after it); exit code and stderr.
fn wait_child(mut child: std::process::Child, what: &str, stderr_file: &Path) -> (i32, String) {
    let started = Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if started.elapsed() > DEADLINE {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{what}: still running after {DEADLINE:?} (a hang)");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let stderr = std::fs::read_to_string(stderr_file).unwrap_or_default();
    (status.code().unwrap_or(-1), stderr)
}

/// Runs `args` with stdout captured (to a file) and returns exit code, stdout and stderr.
fn run(args: &[&str], dir: &Path) -> (i32, String, String) {
    let out = dir.join("stdout.txt");
    let mut cmd = Command::new(binary());
    cmd.args(args).stdout(std::fs::File::create(&out).unwrap());
    let (code, err) = wait_with_deadline(cmd, &args.join(" "), &dir.join("stderr.txt"));
    (code, std::fs::read_to_string(out).unwrap_or_default(), err)
}

// ---------------------------------------------------------------------------------------------
// Statistics at the largest accepted inputs.

/// 50,000,000 households per arm, paired and randomized, on every test the report uses: all
/// finish at once with finite intervals (the t quantile with ~5·10⁷ degrees of freedom used to
/// spin in a numeric search).
#[test]
fn statistics_with_fifty_million_households_per_arm_finish_at_once() {
    use toeslagenlab::inference;
    let n: u64 = 50_000_000;
    let started = Instant::now();
    // Several "replications": the same tests on slightly different inputs.
    for r in 0..10u64 {
        let shift = r as f64 * 1e-3;
        let tests = [
            inference::paired_t(0.5 + shift, 2500.0, n),
            inference::welch(100.0, 2500.0, n, 100.5 + shift, 3600.0, n),
            inference::welch(100.0, 2500.0, n, 100.5, 3600.0, 7),
            inference::two_proportions(n / 4, n, n / 5 + r, n),
            inference::mcnemar(n / 20 + r, n / 25, n),
        ];
        for e in tests {
            let e = e.unwrap();
            assert!(
                e.ci_low.is_finite() && e.ci_high.is_finite() && e.ci_low <= e.ci_high,
                "{e:?}"
            );
            assert!((0.0..=1.0).contains(&e.p_value), "{e:?}");
        }
    }
    // The bootstrap of medians over two 50 M histograms.
    let h: toeslagenlab::stats::Histogram = (1..=500i64).map(|e| (e * 100, n / 500)).collect();
    let b = inference::bootstrap_median_difference(&h, &h, 3).unwrap();
    assert!(b.ci_low <= 0.0 && b.ci_high >= 0.0, "{b:?}");
    let took = started.elapsed();
    assert!(took < Duration::from_secs(1), "took {took:?}");
}

// ---------------------------------------------------------------------------------------------
// Empty groups.

const EMPTY_ARM: &str = r#"
[experiment]
name = "empty-arm"
year = 2026
households = 20
seed = 1
design = "randomized"

[[arms]]
name = "control"
advance = { policy = "standard" }
share = 1000

[[arms]]
name = "cautious"
advance = { policy = "cautious", fraction = 0.80 }
share = 0.001
"#;

/// A randomized arm that gets no households: its comparisons are "not estimable (n = 0)" in
/// the terminal and report.md and null in summary.json; never NaN, never a p-value or a verdict
/// on significance.
#[test]
fn an_empty_arm_is_not_estimable_never_nan() {
    let dir = tempfile::tempdir().unwrap();
    let sc = scenario(dir.path(), "empty.toml", EMPTY_ARM);
    let out = dir.path().join("out");
    let (code, stdout, stderr) = run(
        &["run", sc.to_str().unwrap(), "--out", out.to_str().unwrap()],
        dir.path(),
    );
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.contains("cautious vs control: reclaim share not estimable (n = 0)"),
        "{stdout}"
    );
    assert!(!stdout.contains("NaN"), "{stdout}");
    let report = std::fs::read_to_string(out.join("report.md")).unwrap();
    assert!(
        report.contains(
            "| cautious | share with a reclaim (primary) | 31.2% | 0.0% | not estimable (n = 0) | — | — | — |"
        ),
        "{report}"
    );
    assert!(report.contains("cannot be compared with control: not estimable (n = 0)"));
    assert!(
        report.contains("- cautious: not estimable (n = 0)"),
        "{report}"
    );
    assert!(!report.contains("NaN"), "{report}");
    assert!(
        !report.contains("not statistically significant"),
        "{report}"
    );
    let text = std::fs::read_to_string(out.join("summary.json")).unwrap();
    assert!(!text.contains("NaN"));
    let s: serde_json::Value = serde_json::from_str(&text).unwrap();
    let cs = s["comparisons"].as_array().unwrap();
    let tested: Vec<&serde_json::Value> = cs
        .iter()
        .filter(|c| c["metric"] != "total_reclaimed")
        .collect();
    assert!(tested.len() >= 10);
    for c in tested {
        assert_eq!(c["not_estimable"], "n = 0", "{c}");
        for k in ["difference", "ci_low", "ci_high", "p_value"] {
            assert!(c[k].is_null(), "{k} in {c}");
        }
    }
}

/// An expectation on a comparison that cannot be estimated fails (exit 1) and says why, instead
/// of passing on a missing difference.
#[test]
fn an_expectation_on_an_empty_arm_fails_as_not_estimable() {
    let dir = tempfile::tempdir().unwrap();
    let text = format!(
        "{EMPTY_ARM}\n[[expect]]\ncompare = \"cautious\"\nvs = \"control\"\nmetric = \"reclaim_share\"\ndirection = \"decrease\"\n"
    );
    let sc = scenario(dir.path(), "empty.toml", &text);
    let (code, stdout, stderr) = run(&["check", sc.to_str().unwrap()], dir.path());
    assert_eq!(code, 1, "{stdout}{stderr}");
    assert!(stdout.contains("not estimable (n = 0)"), "{stdout}");
}

// ---------------------------------------------------------------------------------------------
// Broken pipes.

/// Runs `args` with stdout a pipe whose reading end is closed right after the start (before
/// the program gets to its first write, which takes it milliseconds after `exec`): its writes
/// fail with EPIPE. The command must still exit 0 with nothing about it on stderr.
fn assert_quiet_on_closed_stdout(args: &[&str], dir: &Path) {
    let what = format!("toeslagenlab {} | (closed)", args.join(" "));
    let stderr_file = dir.join("stderr.txt");
    let mut cmd = Command::new(binary());
    cmd.args(args)
        .current_dir(root())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(std::fs::File::create(&stderr_file).unwrap());
    let mut child = cmd.spawn().unwrap();
    drop(child.stdout.take());
    let (code, stderr) = wait_child(child, &what, &stderr_file);
    assert!(!stderr.contains("panicked"), "{what}: {stderr}");
    assert!(!stderr.contains("Broken pipe"), "{what}: {stderr}");
    assert_eq!(code, 0, "{what}: {stderr}");
}

#[test]
fn every_subcommand_exits_0_quietly_when_stdout_closes_early() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let sc = scenario(d, "small.toml", SMALL);
    let sc = sc.to_str().unwrap();
    let run_dir = d.join("run");
    let run_dir = run_dir.to_str().unwrap();
    let baseline = "scenarios/baselines/reference.json";
    let sweep_dir = d.join("sweep");
    let cases: Vec<Vec<&str>> = vec![
        vec!["validate", "scenarios/"],
        vec!["diff", baseline, baseline, "--all"],
        vec!["power", sc, "--households", "2000"],
        vec!["bench", sc, "--households", "2000"],
        vec!["bench", sc, "--households", "2000", "--json"],
        vec!["params", "--year", "2026"],
        vec!["calc", "--income", "24000", "--rent", "750"],
        vec![
            "explain",
            "scenarios/cautious-vs-standard.toml",
            "--household",
            "17",
            "--arm",
            "cautious",
        ],
        vec!["schema"],
        vec!["completions", "bash"],
        vec!["check", sc],
        vec!["run", sc, "--households", "2000", "--out", run_dir],
        vec!["plot", run_dir],
        vec![
            "sweep",
            sc,
            "--param",
            "arms.cautious.fraction=0.7:0.9:0.1",
            "--households",
            "1000",
            "--out",
            sweep_dir.to_str().unwrap(),
        ],
        vec!["calibrate", sc, "--households", "2000"],
        vec!["new", "piped", "--dir", d.to_str().unwrap()],
        vec!["--help"],
        vec!["--version"],
    ];
    for args in &cases {
        assert_quiet_on_closed_stdout(args, d);
    }
    // The runs above really ran (and plot really redrew) although nobody read their output.
    assert!(Path::new(run_dir).join("report.md").is_file());
    assert!(d.join("piped.toml").is_file());
}

// ---------------------------------------------------------------------------------------------
// Tampered chart data.

/// Runs a small scenario once; each case copies the run and tampers with one chart CSV.
fn finished_run(dir: &Path) -> PathBuf {
    let sc = scenario(dir, "small.toml", SMALL);
    let out = dir.join("run");
    common::run_to(&sc, &out, &["--households", "2000"]);
    out
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let p = e.path();
        if p.is_dir() {
            copy_dir(&p, &to.join(e.file_name()));
        } else {
            std::fs::copy(&p, to.join(e.file_name())).unwrap();
        }
    }
}

/// Replaces cell `col` of data row `row` (0-based, after the header) of `charts/NAME.csv`.
fn tamper(run: &Path, name: &str, row: usize, col: &str, value: &str) {
    let p = run.join("charts").join(format!("{name}.csv"));
    let text = std::fs::read_to_string(&p).unwrap();
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let c = lines[0].split(',').position(|h| h == col).unwrap();
    let mut cells: Vec<String> = lines[row + 1].split(',').map(str::to_string).collect();
    cells[c] = value.to_string();
    lines[row + 1] = cells.join(",");
    std::fs::write(&p, lines.join("\n") + "\n").unwrap();
}

#[test]
fn plot_refuses_tampered_chart_data_with_exit_2_naming_file_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let good = finished_run(dir.path());
    // The untouched run redraws fine.
    let (code, _, err) = run(&["plot", good.to_str().unwrap()], dir.path());
    assert_eq!(code, 0, "{err}");
    let cases: [(&str, usize, &str, &str, &str); 8] = [
        (
            "settlement_distribution",
            0,
            "bin_to_eur",
            "1.7e308",
            "settlement_distribution.csv:2: column bin_to_eur: 1.7e308 is not a bin edge",
        ),
        (
            "settlement_distribution",
            1,
            "share_pct",
            "-0.3",
            "settlement_distribution.csv:3: column share_pct: -0.3 is not a percentage between 0 and 100",
        ),
        (
            "reclaim_shares",
            0,
            "share_pct",
            "250",
            "reclaim_shares.csv:2: column share_pct: 250 is not a percentage between 0 and 100",
        ),
        (
            "advance_vs_entitlement",
            3,
            "month",
            "13000000",
            "advance_vs_entitlement.csv:5: column month: 13000000 is not a month from 1 to 12",
        ),
        (
            "advance_vs_entitlement",
            0,
            "mean_advance_eur",
            "NaN",
            "advance_vs_entitlement.csv:2: column mean_advance_eur: `NaN` is not a number",
        ),
        (
            "reclaim_share_by_type",
            2,
            "households",
            "-5",
            "reclaim_share_by_type.csv:4: column households: -5 is not a household count",
        ),
        (
            "chosen_percentages",
            0,
            "percentage",
            "70.5",
            "chosen_percentages.csv:2: column percentage: 70.5 is not a whole percentage",
        ),
        (
            "settlement_distribution",
            0,
            "bin_from_eur",
            "100000",
            "is not above bin_from_eur 100000",
        ),
    ];
    for (i, (name, row, col, value, expected)) in cases.iter().enumerate() {
        let run_dir = dir.path().join(format!("case{i}"));
        copy_dir(&good, &run_dir);
        tamper(&run_dir, name, *row, col, value);
        let (code, _, err) = run(&["plot", run_dir.to_str().unwrap()], dir.path());
        assert_eq!(code, 2, "{name} {col}={value}: {err}");
        assert!(err.contains(expected), "{name} {col}={value}: {err}");
        assert!(err.contains("rerun `toeslagenlab run`"), "{err}");
        assert!(!err.contains("panicked"), "{err}");
    }
    // Wrong columns, too many rows, too large a file.
    let run_dir = dir.path().join("columns");
    copy_dir(&good, &run_dir);
    let p = run_dir.join("charts/reclaim_shares.csv");
    let text = std::fs::read_to_string(&p).unwrap();
    std::fs::write(&p, text.replacen("share_pct", "share", 1)).unwrap();
    let (code, _, err) = run(&["plot", run_dir.to_str().unwrap()], dir.path());
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("reclaim_shares.csv:1: expected the columns"),
        "{err}"
    );
    let run_dir = dir.path().join("rows");
    copy_dir(&good, &run_dir);
    let p = run_dir.join("charts/advance_vs_entitlement.csv");
    let mut text = String::from("arm,month,arm_households,mean_advance_eur,mean_entitlement_eur\n");
    for _ in 0..100_001 {
        text.push_str("control,1,2000,1.00,1.00\n");
    }
    std::fs::write(&p, text).unwrap();
    let (code, _, err) = run(&["plot", run_dir.to_str().unwrap()], dir.path());
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("more than 100000 data rows"), "{err}");
    let run_dir = dir.path().join("size");
    copy_dir(&good, &run_dir);
    let p = run_dir.join("charts/reclaim_shares.csv");
    std::fs::write(&p, vec![b'x'; 10 * 1024 * 1024 + 1]).unwrap();
    let (code, _, err) = run(&["plot", run_dir.to_str().unwrap()], dir.path());
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("larger than the 10 MB limit"), "{err}");
}

// ---------------------------------------------------------------------------------------------
// diff on missing or unreadable files.

#[test]
fn diff_on_missing_or_unreadable_files_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let baseline = "scenarios/baselines/reference.json";
    let missing = d.join("nope.json");
    let (code, _, err) = run(&["diff", missing.to_str().unwrap(), baseline], d);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("nope.json: cannot read it"), "{err}");
    assert!(err.contains("summary.json of a run"), "{err}");
    let (code, _, err) = run(&["diff", baseline, d.to_str().unwrap()], d);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("is a directory"), "{err}");
    let garbage = d.join("garbage.json");
    std::fs::write(&garbage, [0xff, 0xfe, 0x00]).unwrap();
    let (code, _, err) = run(&["diff", baseline, garbage.to_str().unwrap()], d);
    assert_eq!(code, 2, "{err}");
    #[cfg(unix)]
    {
        // A device is refused before it is read (instead of read forever).
        let (code, _, err) = run(&["diff", "/dev/zero", baseline], d);
        assert_eq!(code, 2, "{err}");
        assert!(err.contains("is not a regular file"), "{err}");
    }
}
