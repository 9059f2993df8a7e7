//! Sharded runs (`run --shard K/N` and `merge`): shards run as separate processes, in any
//! order and with different thread counts, merged in any order, give every file a single run
//! writes byte for byte (manifest.json, which records times and threads, aside) for each
//! shipped design: paired with selection passes, randomized with the public comparison,
//! replications, Dutch output, more shards than households, and a multi-year horizon. And
//! the parts that do not belong together, or are incomplete, are refused with exit 2.

use crate::common;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Every file under `dir` but manifest.json, by relative path.
fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    common::tree(dir)
        .into_iter()
        .map(|(p, b)| (p.display().to_string(), b))
        .filter(|(p, _)| p != "manifest.json")
        .collect()
}

/// Removes the cluster's shard index variables from `c`'s environment.
fn without_shard_env(c: &mut assert_cmd::Command) {
    for v in [
        "SLURM_ARRAY_TASK_ID",
        "JOB_COMPLETION_INDEX",
        "AWS_BATCH_JOB_ARRAY_INDEX",
    ] {
        c.env_remove(v);
    }
}

/// `run` of the shipped scenario `name` with `flags`, without any shard variable in its
/// environment.
fn run(name: &str, out: &Path, flags: &[&str], extra: &[&str]) -> assert_cmd::assert::Assert {
    let mut c = common::bin();
    c.arg("run")
        .arg(format!("scenarios/{name}"))
        .arg("--out")
        .arg(out)
        .arg("--quiet")
        .args(flags)
        .args(extra);
    without_shard_env(&mut c);
    c.assert()
}

fn merge(parts: &[PathBuf], out: &Path) -> assert_cmd::assert::Assert {
    let mut c = common::bin();
    c.arg("merge")
        .args(parts)
        .arg("--out")
        .arg(out)
        .arg("--quiet");
    c.assert()
}

/// Runs `name` once and in `n` shards (in the order `order`, alternating 1 and 2 threads),
/// merges the parts in reverse order and compares every file.
fn merged_equals_single(name: &str, n: u32, order: &[u32], flags: &[&str]) {
    let tmp = tempfile::tempdir().unwrap();
    let single = tmp.path().join("single");
    run(name, &single, flags, &[]).success();
    let mut parts = Vec::new();
    for (i, &k) in order.iter().enumerate() {
        let dir = tmp.path().join(format!("part-{k}"));
        let threads = if i % 2 == 0 { "1" } else { "2" };
        let shard = format!("{k}/{n}");
        run(
            name,
            &dir,
            flags,
            &["--shard", &shard, "--threads", threads],
        )
        .success();
        assert!(dir.join("partial.json").is_file(), "{name} shard {k}");
        parts.push(dir);
    }
    parts.reverse();
    let merged = tmp.path().join("merged");
    merge(&parts, &merged).success();
    let (a, b) = (files(&single), files(&merged));
    assert_eq!(
        a.keys().collect::<Vec<_>>(),
        b.keys().collect::<Vec<_>>(),
        "{name}: the merged run has other files"
    );
    assert!(a.contains_key("summary.json") && a.contains_key("report.md"));
    if flags.contains(&"--households-csv") {
        assert!(a.contains_key("households.csv"), "{name}");
    }
    if flags.contains(&"--households-parquet") {
        assert!(a.contains_key("households.parquet"), "{name}");
    }
    for (f, bytes) in &a {
        assert!(bytes == &b[f], "{name}: {f} differs after the merge");
    }
}

#[test]
fn paired_with_selection_passes_merges_byte_identical() {
    merged_equals_single(
        "cautious-vs-standard.toml",
        3,
        &[2, 0, 1],
        &["--households", "3000", "--households-csv"],
    );
}

#[test]
fn households_parquet_is_spliced_from_the_shards_byte_identical() {
    // 10,000 households in 3 shards cut at multiples of 4,096 households (the pages' chunk):
    // 0..0, 0..4096 and 4096..10000; the first shard is empty.
    merged_equals_single(
        "cautious-vs-standard.toml",
        3,
        &[1, 2, 0],
        &[
            "--households",
            "10000",
            "--households-parquet",
            "--households-csv",
        ],
    );
}

#[test]
fn randomized_national_with_the_public_comparison_merges_byte_identical() {
    merged_equals_single(
        "nl-full-scale.toml",
        4,
        &[3, 1, 0, 2],
        &["--households", "4000", "--households-csv"],
    );
}

#[test]
fn replications_in_dutch_merge_byte_identical() {
    merged_equals_single(
        "reference.toml",
        2,
        &[1, 0],
        &[
            "--households",
            "2000",
            "--replications",
            "3",
            "--lang",
            "nl",
            "--seed",
            "11",
        ],
    );
}

#[test]
fn more_shards_than_households_merge_byte_identical() {
    merged_equals_single(
        "bench-zorgtoeslag.toml",
        5,
        &[4, 2, 0, 1, 3],
        &["--households", "3", "--households-csv"],
    );
}

#[test]
fn a_multi_year_horizon_merges_byte_identical() {
    merged_equals_single(
        "multi-year.toml",
        3,
        &[1, 2, 0],
        &["--households", "1500", "--households-csv"],
    );
}

/// Shards 0..n of cautious-vs-standard at 600 households into `tmp/p<k>`, with `flags[k]`.
fn parts(tmp: &Path, n: u32, flags: impl Fn(u32) -> Vec<String>) -> Vec<PathBuf> {
    (0..n)
        .map(|k| {
            let dir = tmp.join(format!("p{k}"));
            let shard = format!("{k}/{n}");
            let mut f = vec!["--households".to_string(), "600".into()];
            f.extend(flags(k));
            let f: Vec<&str> = f.iter().map(String::as_str).collect();
            run("cautious-vs-standard.toml", &dir, &f, &["--shard", &shard]).success();
            dir
        })
        .collect()
}

fn stderr(a: assert_cmd::assert::Assert) -> String {
    String::from_utf8_lossy(&a.code(2).get_output().stderr).to_string()
}

#[test]
fn incomplete_duplicated_or_mixed_parts_are_refused_with_exit_2() {
    let tmp = tempfile::tempdir().unwrap();
    let p = parts(tmp.path(), 3, |_| vec![]);
    let out = tmp.path().join("out");
    let e = stderr(merge(&[p[0].clone(), p[2].clone()], &out));
    assert!(e.contains("1 of the 3 shards is missing (shard 1)"), "{e}");
    let e = stderr(merge(&[p[0].clone(), p[1].clone(), p[1].clone()], &out));
    assert!(e.contains("shard 1/3 is given twice"), "{e}");
    // A shard of another seed.
    let other = tmp.path().join("other");
    run(
        "cautious-vs-standard.toml",
        &other,
        &["--households", "600", "--seed", "5"],
        &["--shard", "1/3"],
    )
    .success();
    let e = stderr(merge(&[p[0].clone(), other, p[2].clone()], &out));
    assert!(e.contains("are not shards of the same run: seed"), "{e}");
    // Not a partial state.
    let e = stderr(merge(&[tmp.path().join("nowhere")], &out));
    assert!(e.contains("is not a directory"), "{e}");
    let single = tmp.path().join("single");
    run(
        "cautious-vs-standard.toml",
        &single,
        &["--households", "600"],
        &[],
    )
    .success();
    let e = stderr(merge(&[single], &out));
    assert!(e.contains("has no partial.json"), "{e}");
    // A damaged part: a located error.
    let damaged = tmp.path().join("damaged");
    std::fs::create_dir(&damaged).unwrap();
    let text = std::fs::read_to_string(p[1].join("partial.json")).unwrap();
    std::fs::write(damaged.join("partial.json"), &text[..text.len() / 2]).unwrap();
    let e = stderr(merge(&[p[0].clone(), damaged, p[2].clone()], &out));
    assert!(e.contains("partial.json:1:"), "{e}");
    assert!(!out.exists(), "nothing is written when a merge is refused");
    // The merge may not write into one of its parts.
    let e = stderr(merge(&p, &p[0]));
    assert!(
        e.contains("not a previous output") || e.contains("input"),
        "{e}"
    );
    assert!(p[0].join("partial.json").is_file());
}

#[test]
fn a_changed_scenario_is_refused_by_merge() {
    let tmp = tempfile::tempdir().unwrap();
    let sc = common::scenario(tmp.path(), "s.toml", common::SMALL);
    let mut dirs = Vec::new();
    for k in 0..2 {
        let dir = tmp.path().join(format!("p{k}"));
        common::bin()
            .arg("run")
            .arg(&sc)
            .args([
                "--households",
                "400",
                "--quiet",
                "--shard",
                &format!("{k}/2"),
            ])
            .arg("--out")
            .arg(&dir)
            .assert()
            .success();
        dirs.push(dir);
    }
    std::fs::write(&sc, common::SMALL.replace("seed = 42", "seed = 43")).unwrap();
    let e = stderr(merge(&dirs, &tmp.path().join("out")));
    assert!(
        e.contains("the scenario file changed since the shards ran"),
        "{e}"
    );
}

#[test]
fn shard_flags_are_checked_and_auto_reads_the_cluster_index() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("p");
    let e = stderr(run(
        "cautious-vs-standard.toml",
        &dir,
        &["--households", "600"],
        &["--shard", "3/3"],
    ));
    assert!(e.contains("--shard"), "{e}");
    let e = stderr(run(
        "cautious-vs-standard.toml",
        &dir,
        &["--households", "600", "--monthly-parquet"],
        &["--shard", "0/2"],
    ));
    assert!(e.contains("does not write monthly_ledger.parquet"), "{e}");
    let e = stderr(run(
        "multi-year.toml",
        &dir,
        &["--households", "600", "--households-parquet"],
        &["--shard", "0/2"],
    ));
    assert!(e.contains("does not write households.parquet yet"), "{e}");
    let e = stderr(run(
        "cautious-vs-standard.toml",
        &dir,
        &["--households", "600"],
        &["--shard", "auto/4"],
    ));
    assert!(e.contains("none of SLURM_ARRAY_TASK_ID"), "{e}");
    for (var, k) in [
        ("SLURM_ARRAY_TASK_ID", 2),
        ("JOB_COMPLETION_INDEX", 3),
        ("AWS_BATCH_JOB_ARRAY_INDEX", 1),
    ] {
        let mut c = common::bin();
        c.args([
            "run",
            "scenarios/cautious-vs-standard.toml",
            "--households",
            "600",
        ])
        .args(["--quiet", "--shard", "auto/4", "--out"])
        .arg(&dir);
        for v in [
            "SLURM_ARRAY_TASK_ID",
            "JOB_COMPLETION_INDEX",
            "AWS_BATCH_JOB_ARRAY_INDEX",
        ] {
            c.env_remove(v);
        }
        c.env(var, k.to_string()).assert().success();
        let p: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(dir.join("partial.json")).unwrap())
                .unwrap();
        assert_eq!(p["shard"], k, "{var}");
        assert_eq!(p["first"], 150 * k, "{var}");
        assert_eq!(p["run"]["shards"], 4);
    }
}

/// `uncertainty` of cautious-vs-standard (`flags`), once and in `n` shards run in `order`.
fn uncertainty(out: &Path, flags: &[&str]) -> assert_cmd::assert::Assert {
    let mut c = common::bin();
    c.args([
        "uncertainty",
        "scenarios/cautious-vs-standard.toml",
        "--quiet",
    ])
    .args(["--draws", "16", "--households", "1500", "--out"])
    .arg(out)
    .args(flags);
    without_shard_env(&mut c);
    c.assert()
}

#[test]
fn an_uncertainty_analysis_split_by_runs_merges_byte_identical() {
    let tmp = tempfile::tempdir().unwrap();
    let single = tmp.path().join("single");
    uncertainty(&single, &[]).success();
    let mut parts = Vec::new();
    for (i, k) in [2, 0, 3, 1].into_iter().enumerate() {
        let dir = tmp.path().join(format!("u{k}"));
        let threads = if i % 2 == 0 { "1" } else { "2" };
        uncertainty(&dir, &["--shard", &format!("{k}/4"), "--threads", threads]).success();
        assert!(dir.join("runs").is_dir());
        parts.push(dir);
    }
    // A shard's directory is a previous output: running it again replaces it.
    uncertainty(&parts[0], &["--shard", "2/4"]).success();
    let merged = tmp.path().join("merged");
    merge(&parts, &merged).success();
    let (a, b) = (files(&single), files(&merged));
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    assert!(a.contains_key("uncertainty.json") && a.contains_key("draws.csv"));
    for (f, bytes) in &a {
        assert!(bytes == &b[f], "uncertainty: {f} differs after the merge");
    }
    // An uncertainty shard does not mix with a run's.
    let run_part = tmp.path().join("r");
    run(
        "cautious-vs-standard.toml",
        &run_part,
        &["--households", "1500"],
        &["--shard", "1/4"],
    )
    .success();
    let e = stderr(merge(
        &[
            parts[0].clone(),
            run_part,
            parts[2].clone(),
            parts[3].clone(),
        ],
        &tmp.path().join("x"),
    ));
    assert!(e.contains("are not shards of the same run: command"), "{e}");
}

/// `sweep` of the shipped scenario `name` with `flags`.
fn sweep(name: &str, out: &Path, flags: &[&str]) -> assert_cmd::assert::Assert {
    let mut c = common::bin();
    c.args(["sweep", &format!("scenarios/{name}"), "--quiet"])
        .args(["--households", "1200", "--out"])
        .arg(out)
        .args(flags);
    without_shard_env(&mut c);
    c.assert()
}

#[test]
fn sweeps_split_by_grid_points_merge_byte_identical() {
    let two_way = [
        "--param",
        "arms.cautious.takeup=0.5:0.9:0.2",
        "--by",
        "behaviour.selection.strength=-0.5:0.5:0.5",
    ];
    for (name, flags) in [
        ("sweep-cautious-fraction.toml", &[][..]),
        ("cautious-vs-standard.toml", &two_way[..]),
    ] {
        let tmp = tempfile::tempdir().unwrap();
        let single = tmp.path().join("single");
        sweep(name, &single, flags).success();
        let mut parts = Vec::new();
        for (i, k) in [1, 2, 0].into_iter().enumerate() {
            let dir = tmp.path().join(format!("s{k}"));
            let shard = format!("{k}/3");
            let threads = if i % 2 == 0 { "1" } else { "2" };
            let mut f = flags.to_vec();
            f.extend(["--shard", &shard, "--threads", threads]);
            sweep(name, &dir, &f).success();
            parts.push(dir);
        }
        let merged = tmp.path().join("merged");
        merge(&parts, &merged).success();
        let (a, b) = (files(&single), files(&merged));
        assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
        assert!(a.contains_key("sweep.csv"), "{name}");
        for (f, bytes) in &a {
            assert!(bytes == &b[f], "sweep {name}: {f} differs after the merge");
        }
    }
}

#[test]
fn merge_elsewhere_finds_the_scenario_in_the_shards_working_directory() {
    let tmp = tempfile::tempdir().unwrap();
    let single = tmp.path().join("single");
    let flags = ["--households", "900"];
    run("adjustable.toml", &single, &flags, &[]).success();
    let parts: Vec<PathBuf> = (0..2)
        .map(|k| {
            let dir = tmp.path().join(format!("p{k}"));
            run(
                "adjustable.toml",
                &dir,
                &flags,
                &["--shard", &format!("{k}/2")],
            )
            .success();
            dir
        })
        .collect();
    // From a directory where scenarios/adjustable.toml is not: the shards' working directory
    // (recorded in partial.json) has it, and report.md still names it as given.
    let elsewhere = tmp.path().join("elsewhere");
    std::fs::create_dir(&elsewhere).unwrap();
    let merged = tmp.path().join("merged");
    let mut c = common::bin();
    c.current_dir(&elsewhere)
        .arg("merge")
        .args(&parts)
        .arg("--out")
        .arg(&merged)
        .arg("--quiet")
        .assert()
        .success();
    let (a, b) = (files(&single), files(&merged));
    for (f, bytes) in &a {
        assert!(bytes == &b[f], "{f} differs after a merge elsewhere");
    }
}
