//! The user-facing extras: the JSON Schema of scenarios, `new`, `completions`, help examples,
//! colour conventions, `--verbose`, and the library examples.

use crate::common;
use common::*;
use predicates::prelude::*;
use std::path::{Path, PathBuf};

const SUBCOMMANDS: &[&str] = &[
    "run",
    "validate",
    "check",
    "diff",
    "bench",
    "power",
    "sweep",
    "plot",
    "params",
    "calc",
    "new",
    "schema",
    "completions",
];

fn generated_schema() -> String {
    let out = bin()
        .arg("schema")
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    String::from_utf8(out).unwrap()
}

fn toml_to_json(path: &Path) -> serde_json::Value {
    let text = std::fs::read_to_string(path).unwrap();
    let v: toml::Value = toml::from_str(&text).unwrap();
    serde_json::to_value(v).unwrap()
}

fn schema_errors(validator: &jsonschema::Validator, instance: &serde_json::Value) -> Vec<String> {
    validator
        .iter_errors(instance)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect()
}

fn validator() -> jsonschema::Validator {
    let schema: serde_json::Value = serde_json::from_str(&generated_schema()).unwrap();
    jsonschema::validator_for(&schema).expect("the schema is a valid JSON Schema")
}

fn shipped_scenarios() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(root().join("scenarios"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    v.sort();
    assert!(v.len() >= 5, "expected the shipped scenarios, found {v:?}");
    v
}

#[test]
fn shipped_schema_equals_the_generated_one() {
    let shipped = std::fs::read_to_string(root().join("scenarios/schema.json"))
        .expect("scenarios/schema.json is missing; regenerate it with: toeslagenlab schema > scenarios/schema.json");
    assert!(
        shipped == generated_schema(),
        "scenarios/schema.json is out of date with the scenario structs; regenerate it with:\n    toeslagenlab schema > scenarios/schema.json\n(or: cargo run -- schema > scenarios/schema.json)"
    );
}

#[test]
fn every_shipped_scenario_validates_against_the_schema() {
    let v = validator();
    for p in shipped_scenarios() {
        let errors = schema_errors(&v, &toml_to_json(&p));
        assert!(errors.is_empty(), "{}:\n{}", p.display(), errors.join("\n"));
    }
}

#[test]
fn schema_rejects_typos_bad_enums_and_out_of_range_values() {
    let v = validator();
    let base: toml::Value = toml::from_str(SMALL).unwrap();
    let base = serde_json::to_value(base).unwrap();
    assert!(schema_errors(&v, &base).is_empty());
    type Change = Box<dyn Fn(&mut serde_json::Value)>;
    let cases: Vec<(&str, Change)> = vec![
        (
            "unknown key",
            Box::new(|x| x["experiment"]["houshold"] = 3.into()),
        ),
        (
            "bad design",
            Box::new(|x| x["experiment"]["design"] = "pairs".into()),
        ),
        (
            "bad policy",
            Box::new(|x| x["arms"][1]["advance"]["policy"] = "careful".into()),
        ),
        (
            "takeup > 1",
            Box::new(|x| x["arms"][1]["takeup"] = 1.5.into()),
        ),
        ("year", Box::new(|x| x["experiment"]["year"] = 2019.into())),
        (
            "households 0",
            Box::new(|x| x["experiment"]["households"] = 0.into()),
        ),
        (
            "missing name",
            Box::new(|x| {
                x["experiment"].as_object_mut().unwrap().remove("name");
            }),
        ),
        (
            "month 13",
            Box::new(|x| {
                x["shocks"] =
                    serde_json::json!([{ "kind": "child_born", "probability": 0.1, "month": 13 }])
            }),
        ),
        (
            "unknown benefit",
            Box::new(|x| x["population"] = serde_json::json!({ "benefits": ["zorgtoeslagen"] })),
        ),
        (
            "unknown household type",
            Box::new(|x| {
                x["population"] = serde_json::json!({ "household_types": { "singel": 1.0 } })
            }),
        ),
        (
            "bad metric",
            Box::new(
                |x| x["expect"] = serde_json::json!([{ "compare": "cautious", "metric": "reclaim", "direction": "decrease" }]),
            ),
        ),
    ];
    for (what, change) in cases {
        let mut x = base.clone();
        change(&mut x);
        assert!(
            !schema_errors(&v, &x).is_empty(),
            "{what}: the schema accepted it"
        );
    }
}

#[test]
fn schema_carries_descriptions_defaults_and_enums_for_editors() {
    let s: serde_json::Value = serde_json::from_str(&generated_schema()).unwrap();
    assert_eq!(s["$schema"], "http://json-schema.org/draft-07/schema#");
    let exp = &s["definitions"]["RawExperiment"]["properties"];
    assert!(exp["households"]["description"]
        .as_str()
        .unwrap()
        .contains("households"));
    assert_eq!(exp["design"]["default"], "paired");
    assert_eq!(
        exp["design"]["enum"],
        serde_json::json!(["paired", "randomized"])
    );
    assert_eq!(exp["year"]["enum"], serde_json::json!([2024, 2025, 2026]));
    assert_eq!(exp["households"]["maximum"], 50_000_000);
    assert!(!generated_schema().contains("\"null\""), "TOML has no null");
}

/// Collects the paths of schemas that should carry a description but do not: every property,
/// array item, map value (`additionalProperties`) and definition, found recursively through
/// `properties`, `items`, `additionalProperties`, `definitions`/`$defs` and the branches of
/// `anyOf`/`oneOf`/`allOf`. A bare `{ "$ref": … }` is documented by the definition it names.
fn undocumented(
    root: &serde_json::Value,
    v: &serde_json::Value,
    path: &str,
    needs: bool,
    out: &mut Vec<String>,
) {
    let Some(map) = v.as_object() else { return };
    if needs {
        let described = |m: &serde_json::Map<String, serde_json::Value>| {
            m.get("description")
                .and_then(|d| d.as_str())
                .is_some_and(|d| !d.trim().is_empty())
        };
        let ok = match map.get("$ref").and_then(|r| r.as_str()) {
            Some(r) if map.len() == 1 => r
                .strip_prefix('#')
                .and_then(|p| root.pointer(p))
                .and_then(|t| t.as_object())
                .is_some_and(described),
            _ => described(map),
        };
        if !ok {
            out.push(if path.is_empty() {
                "/".into()
            } else {
                path.into()
            });
        }
    }
    for (k, x) in map {
        match k.as_str() {
            "properties" | "definitions" | "$defs" => {
                for (n, y) in x.as_object().into_iter().flatten() {
                    undocumented(root, y, &format!("{path}/{k}/{n}"), true, out);
                }
            }
            "items" | "additionalProperties" => match x {
                serde_json::Value::Array(a) => {
                    for (i, y) in a.iter().enumerate() {
                        undocumented(root, y, &format!("{path}/{k}/{i}"), true, out);
                    }
                }
                _ => undocumented(root, x, &format!("{path}/{k}"), true, out),
            },
            "anyOf" | "oneOf" | "allOf" => {
                for (i, y) in x.as_array().into_iter().flatten().enumerate() {
                    undocumented(root, y, &format!("{path}/{k}/{i}"), false, out);
                }
            }
            _ => {}
        }
    }
}

#[test]
fn every_key_of_the_schema_has_a_description() {
    let s: serde_json::Value = serde_json::from_str(&generated_schema()).unwrap();
    let mut missing = Vec::new();
    undocumented(&s, &s, "", true, &mut missing);
    assert!(
        missing.is_empty(),
        "schema entries without a description (add a doc comment to the field or struct in src/scenario.rs, then regenerate scenarios/schema.json):\n{}",
        missing.join("\n")
    );
    // The walk reaches nested keys, map values and array items.
    for p in [
        "/definitions/RawMutation/properties/sources/items",
        "/definitions/RawBehaviour/properties/report_delay_by_change/additionalProperties/items",
        "/definitions/RawEmployment/properties/volatility",
    ] {
        assert!(s.pointer(p).is_some(), "{p} is not in the schema");
    }
}

#[test]
fn taplo_config_maps_scenarios_to_the_schema() {
    let t = std::fs::read_to_string(root().join(".taplo.toml")).unwrap();
    let v: toml::Value = toml::from_str(&t).unwrap();
    let rules = v["rule"].as_array().unwrap();
    assert!(rules.iter().any(|r| r["include"]
        .as_array()
        .is_some_and(|i| i.iter().any(|x| x.as_str() == Some("scenarios/*.toml")))
        && r["schema"]["path"]
            .as_str()
            .is_some_and(|p| p.ends_with("scenarios/schema.json"))));
}

#[test]
fn new_writes_a_starter_that_validates_and_runs() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("sc");
    bin()
        .args(["new", "my-pilot", "--dir"])
        .arg(&dir)
        .assert()
        .success()
        .stdout(predicate::str::contains("my-pilot.toml"));
    let file = dir.join("my-pilot.toml");
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.contains("name = \"my-pilot\""));
    assert!(
        text.lines()
            .filter(|l| l.trim_start().starts_with('#'))
            .count()
            > 40,
        "fully commented"
    );
    bin().arg("validate").arg(&file).assert().success();
    // Every commented-out default, uncommented, is still valid and changes nothing in kind.
    let v = validator();
    assert!(schema_errors(&v, &toml_to_json(&file)).is_empty());
    let out = tmp.path().join("out");
    run_to(&file, &out, &["--households", "2000"]);
    assert!(out.join("report.md").is_file());
    // The expectation in the starter holds.
    bin().arg("check").arg(&file).assert().success();
}

#[test]
fn new_in_the_scenarios_dir_points_editors_at_the_schema() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::copy(
        root().join("scenarios/schema.json"),
        tmp.path().join("schema.json"),
    )
    .unwrap();
    bin()
        .args(["new", "x1", "--dir"])
        .arg(tmp.path())
        .assert()
        .success();
    let text = std::fs::read_to_string(tmp.path().join("x1.toml")).unwrap();
    assert!(text.starts_with("#:schema ./schema.json\n"), "{text}");
}

#[test]
fn new_refuses_to_overwrite_without_force() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("taken.toml");
    std::fs::write(&file, "# mine\n").unwrap();
    bin()
        .args(["new", "taken", "--dir"])
        .arg(tmp.path())
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("already exists").and(predicate::str::contains("--force")),
        );
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "# mine\n");
    bin()
        .args(["new", "taken", "--force", "--dir"])
        .arg(tmp.path())
        .assert()
        .success();
    assert!(std::fs::read_to_string(&file)
        .unwrap()
        .contains("name = \"taken\""));
}

#[test]
fn new_rejects_unsafe_names() {
    let tmp = tempfile::tempdir().unwrap();
    for name in [
        "../escape",
        "a/b",
        ".hidden",
        "",
        "with space",
        "-dash-first",
        &"x".repeat(101),
    ] {
        bin()
            .args(["new", "--dir"])
            .arg(tmp.path())
            .args(["--", name])
            .assert()
            .code(2)
            .stderr(predicate::str::contains("not a usable scenario name"));
    }
    assert_eq!(std::fs::read_dir(tmp.path()).unwrap().count(), 0);
    // A trailing .toml is forgiven.
    bin()
        .args(["new", "ok_name.toml", "--dir"])
        .arg(tmp.path())
        .assert()
        .success();
    assert!(tmp.path().join("ok_name.toml").is_file());
}

#[test]
fn bash_completions_mention_every_subcommand() {
    let out = bin()
        .args(["completions", "bash"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).unwrap();
    for sub in SUBCOMMANDS {
        assert!(text.contains(sub), "bash completion lacks {sub}");
    }
    for shell in ["zsh", "fish", "powershell", "elvish"] {
        let out = bin()
            .args(["completions", shell])
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        assert!(
            String::from_utf8(out).unwrap().contains("toeslagenlab"),
            "{shell}"
        );
    }
    bin().args(["completions", "tcsh"]).assert().code(2);
}

#[test]
fn every_command_help_has_examples() {
    bin()
        .arg("--help")
        .assert()
        .success()
        .stdout(predicate::str::contains("Examples:"));
    for sub in SUBCOMMANDS {
        for flag in ["-h", "--help"] {
            bin()
                .args([sub, flag])
                .assert()
                .success()
                .stdout(predicate::str::contains("Examples:\n  toeslagenlab"));
        }
    }
}

#[test]
fn clap_definition_is_consistent() {
    use clap::CommandFactory;
    toeslagenlab::cli::Cli::command().debug_assert();
}

fn has_ansi(b: &[u8]) -> bool {
    b.contains(&0x1b)
}

#[test]
fn no_ansi_escapes_when_not_a_terminal_or_no_color() {
    // Output captured by the test is not a terminal: no colour in help, usage errors, errors.
    for args in [
        vec!["--help"],
        vec!["run", "--help"],
        vec!["run", "--no-such-flag"],
        vec!["validate", "does-not-exist.toml"],
        vec!["validate", "scenarios/reference.toml"],
    ] {
        for no_color in [None, Some("1")] {
            let mut c = bin();
            c.args(&args);
            match no_color {
                Some(v) => c.env("NO_COLOR", v),
                None => c.env_remove("NO_COLOR"),
            };
            let o = c.output().unwrap();
            assert!(
                !has_ansi(&o.stdout) && !has_ansi(&o.stderr),
                "{args:?} NO_COLOR={no_color:?}"
            );
        }
    }
    // --color never, even when asked loudly elsewhere.
    let o = bin()
        .args(["--color", "never", "validate", "nope.toml"])
        .output()
        .unwrap();
    assert!(!has_ansi(&o.stderr));
}

#[test]
fn color_always_colours_errors_and_help() {
    let o = bin()
        .args(["--color", "always", "validate", "nope.toml"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("\x1b[1;31merror:\x1b[0m"));
    let o = bin()
        .args(["run", "--help", "--color=always"])
        .output()
        .unwrap();
    assert!(has_ansi(&o.stdout), "clap follows --color");
    let o = bin()
        .args(["validate", "scenarios/reference.toml", "--color", "always"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&o.stdout).starts_with("\x1b[32mok\x1b[0m"));
    bin()
        .args(["--color", "sometimes", "params"])
        .assert()
        .code(2);
}

#[test]
fn verbose_prints_progress_detail_to_stderr_only() {
    let tmp = tempfile::tempdir().unwrap();
    let sc = scenario(tmp.path(), "s.toml", SMALL);
    let plain = bin()
        .arg("run")
        .arg(&sc)
        .args(["--households", "500", "--out"])
        .arg(tmp.path().join("a"))
        .output()
        .unwrap();
    assert!(plain.status.success());
    assert!(!String::from_utf8_lossy(&plain.stderr).contains("[verbose]"));
    let verbose = bin()
        .arg("run")
        .arg(&sc)
        .args(["--households", "500", "--verbose", "--out"])
        .arg(tmp.path().join("b"))
        .output()
        .unwrap();
    assert!(verbose.status.success());
    let err = String::from_utf8_lossy(&verbose.stderr);
    assert!(err.contains("[verbose] loaded"), "{err}");
    assert!(err.contains("[verbose] simulated"), "{err}");
    assert_eq!(plain.stdout.is_empty(), verbose.stdout.is_empty());
    // --quiet wins.
    let quiet = bin()
        .arg("run")
        .arg(&sc)
        .args(["--households", "500", "-v", "--quiet", "--out"])
        .arg(tmp.path().join("c"))
        .output()
        .unwrap();
    assert!(quiet.stdout.is_empty() && quiet.stderr.is_empty());
}

/// The examples `cargo test` builds next to this test binary (target/<profile>/examples/).
fn example_binary(name: &str) -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    let profile_dir = exe.parent().and_then(Path::parent).unwrap();
    let p = profile_dir
        .join("examples")
        .join(format!("{name}{}", std::env::consts::EXE_SUFFIX));
    assert!(
        p.is_file(),
        "{} is not built: run the whole `cargo test` (it builds the examples) or `cargo build --examples` first",
        p.display()
    );
    p
}

#[test]
fn every_example_runs() {
    let mut names: Vec<String> = std::fs::read_dir(root().join("examples"))
        .unwrap()
        .filter_map(|e| {
            let p = e.unwrap().path();
            (p.extension()? == "rs").then(|| p.file_stem().unwrap().to_string_lossy().to_string())
        })
        .collect();
    names.sort();
    assert_eq!(names, ["custom_chart", "custom_policy", "run_scenario"]);
    for name in &names {
        let started = std::time::Instant::now();
        let out = std::process::Command::new(example_binary(name))
            .current_dir(root())
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "example {name} failed:\n{}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(!out.stdout.is_empty(), "example {name} printed nothing");
        assert!(
            started.elapsed().as_secs() < 60,
            "example {name} is too slow for a smoke test"
        );
    }
    let svg =
        std::fs::read_to_string(root().join("output/examples/reclaim_by_income.svg")).unwrap();
    assert!(svg.contains("<svg") && svg.contains("cautious"));
}

#[test]
fn schema_refs_carry_no_ignored_siblings() {
    // Draft 07 ignores keywords beside `$ref`: descriptions must sit beside an `allOf`.
    fn walk(v: &serde_json::Value, at: &str) {
        match v {
            serde_json::Value::Object(m) => {
                if m.contains_key("$ref") {
                    assert_eq!(m.len(), 1, "{at}: $ref with siblings {:?}", m.keys());
                }
                for (k, x) in m {
                    walk(x, &format!("{at}/{k}"));
                }
            }
            serde_json::Value::Array(a) => {
                for (i, x) in a.iter().enumerate() {
                    walk(x, &format!("{at}/{i}"));
                }
            }
            _ => {}
        }
    }
    walk(&serde_json::from_str(&generated_schema()).unwrap(), "#");
}

#[test]
fn completions_survive_a_closed_pipe() {
    // `toeslagenlab completions bash | head -1`: the reader goes away early; no panic.
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("toeslagenlab"))
        .args(["completions", "bash"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn edge_values_the_loader_accepts_validate_against_the_schema() {
    // The schema may be looser than the loader, never stricter.
    let v = validator();
    let tmp = tempfile::tempdir().unwrap();
    let extras = [
        "[population]\nchildren = { counts = [1, 0, 0, 0], max_age = 25 }\nchildcare = { share_using = 1, max_age = 17 }\n",
        "[population]\nchildren = { counts = [0.5, 0.5], max_age = 0 }\nbenefits = [\"zorgtoeslag\"]\n",
        "[[shocks]]\nkind = \"child_born\"\nprobability = 1\nmonth = [1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2.5]\n\n[[shocks]]\nkind = \"partner_moves_out\"\nprobability = 0\nmonth = 12\n",
        "[behaviour]\nreport_delay_months = { distribution = \"uniform\", min = 0, max = 12 }\nreport_probability = { income_up = 0, child = 1 }\n",
        "[parameters.zorgtoeslag]\nnormpremie_rate_above = \"0.1373\"\n",
        "[sweep]\nparam = \"arms.cautious.fraction\"\nfrom = 0.7\nto = \"1.00\"\nstep = 0.05\n",
        "[[expect]]\narm = \"cautious\"\nmetric = \"reclaim_share\"\nmin = 0\nmax = 1\n",
    ];
    for (i, extra) in extras.iter().enumerate() {
        let text = SMALL.replace(
            "seed = 42",
            "seed = 42\nreplications = 1000\nhigh_reclaim_thresholds = [1000]\nrecalculation = \"lump_sum\"",
        ) + extra;
        let p = scenario(tmp.path(), &format!("edge{i}.toml"), &text);
        bin().arg("validate").arg(&p).assert().success();
        let errors = schema_errors(&v, &toml_to_json(&p));
        assert!(
            errors.is_empty(),
            "edge{i}:\n{extra}\n{}",
            errors.join("\n")
        );
    }
}

#[test]
fn a_negative_seed_is_an_invalid_value_and_threads_show_one_default() {
    let o = bin()
        .args(["run", "scenarios/cautious-vs-standard.toml", "--seed", "-1"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    let e = String::from_utf8_lossy(&o.stderr);
    assert!(e.contains("invalid value '-1' for '--seed <N>'"), "{e}");
    for cmd in ["run", "check", "power", "bench", "calibrate"] {
        let h = bin().args([cmd, "--help"]).output().unwrap();
        let h = String::from_utf8_lossy(&h.stdout);
        assert!(h.contains("[default: all cores]"), "{cmd}: {h}");
        assert!(!h.contains("[default: 0]"), "{cmd} shows two defaults: {h}");
    }
}

#[test]
fn calc_refuses_an_adult_as_a_child_and_says_what_to_give() {
    let o = bin()
        .args(["calc", "--income", "24000", "--child", "30"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    let e = String::from_utf8_lossy(&o.stderr);
    assert!(e.contains("a child is 0 to 17"), "{e}");
    assert!(e.contains("--co-resident-income EUR:30:child"), "{e}");
}

/// `new studies/my-pilot` takes the directory from the path, as `cargo new` does; with
/// `--dir` as well, a path is refused (issue 25).
#[test]
fn new_accepts_a_path_for_the_name() {
    let tmp = tempfile::tempdir().unwrap();
    let target = tmp.path().join("studies").join("my-pilot");
    bin()
        .arg("new")
        .arg(&target)
        .assert()
        .success()
        .stdout(predicate::str::contains("my-pilot.toml"));
    let written = tmp.path().join("studies/my-pilot.toml");
    assert!(written.is_file());
    bin().arg("validate").arg(&written).assert().success();
    bin()
        .args(["new", "--dir"])
        .arg(tmp.path())
        .arg("other/name")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not a usable scenario name"));
}

/// `check --households N`: a quick CI run of every expectation at a smaller size; refused
/// with `--update` (a baseline is written at the scenario's own size).
#[test]
fn check_runs_at_a_given_household_count() {
    bin()
        .args([
            "check",
            "scenarios/cautious-vs-standard.toml",
            "--households",
            "3000",
        ])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "1 scenario run, 4 checks, 0 failed",
        ));
    bin()
        .args([
            "check",
            "scenarios/cautious-vs-standard.toml",
            "--households",
            "0",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--households"));
    bin()
        .args([
            "check",
            "scenarios/",
            "--baseline",
            "scenarios/baselines/",
            "--update",
        ])
        .args(["--households", "3000"])
        .assert()
        .code(2);
}

/// Every example in every command's --help is copy-pasteable: a long command is broken with
/// ` \` continuation lines of its own, never wrapped mid-command by the help formatter at 100
/// columns (issue 25).
#[test]
fn help_examples_are_not_wrapped_mid_command() {
    for cmd in [
        "run",
        "validate",
        "check",
        "diff",
        "sweep",
        "uncertainty",
        "plot",
        "power",
        "bench",
        "params",
        "calc",
        "explain",
        "calibrate",
        "new",
        "schema",
    ] {
        let out = bin().args([cmd, "--help"]).output().unwrap();
        let help = String::from_utf8_lossy(&out.stdout).to_string();
        let mut in_examples = false;
        for line in help.lines() {
            if line.starts_with("Examples:") {
                in_examples = true;
                continue;
            }
            if line.trim().is_empty() {
                in_examples = false;
                continue;
            }
            if in_examples {
                assert!(
                    line.starts_with("  toeslagenlab ") || line.starts_with("      "),
                    "`{cmd} --help`: an example was wrapped mid-command: {line:?}"
                );
                assert!(line.chars().count() <= 100, "`{cmd} --help`: {line:?}");
            }
        }
    }
}

/// `bench --compare-limit PATH` runs the reference alternately with complete runs and
/// reports CPU and wall ratios; a missing or failing reference is a usage error (exit 2).
#[test]
fn bench_compare_limit_runs_the_reference_alternately() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = tempfile::tempdir().unwrap();
    let s = scenario(tmp.path(), "s.toml", SMALL);
    let reference = tmp.path().join("ref.sh");
    // A reference that burns a little CPU and checks its arguments (households, threads).
    std::fs::write(
        &reference,
        "#!/bin/sh\n[ \"$1\" = 2000 ] && [ \"$2\" = 1 ] || exit 3\ni=0\nwhile [ $i -lt 20000 ]; do i=$((i+1)); done\n",
    )
    .unwrap();
    std::fs::set_permissions(&reference, std::fs::Permissions::from_mode(0o755)).unwrap();
    let out = bin()
        .args(["bench", "--households", "2000", "--threads", "1", "--json"])
        .arg(&s)
        .arg("--compare-limit")
        .arg(&reference)
        .assert()
        .success();
    let v: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    let rows = v.as_array().unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["households"], 2000);
    assert_eq!(rows[0]["threads"], 1);
    let rounds = rows[0]["rounds"].as_array().unwrap();
    assert_eq!(rounds.len(), 3);
    for r in rounds {
        assert!(r["wall"].as_f64().unwrap() > 0.0, "{r}");
        assert!(r["limit_wall"].as_f64().unwrap() > 0.0, "{r}");
    }
    assert!(rows[0]["wall_ratio_median"].as_f64().unwrap() > 0.0);
    // a reference that fails (wrong arguments: 5000 households) is named with its status
    bin()
        .args(["bench", "--households", "5000", "--threads", "1"])
        .arg(&s)
        .arg("--compare-limit")
        .arg(&reference)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("failed"));
    bin()
        .args(["bench", "--compare-limit", "/nonexistent/ledger-limit"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("is not a file"));
}
