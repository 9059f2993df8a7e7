//! Bounded resources and overflow-proof incomes (issue 15): each reproduction on the real
//! binary is refused at once with exit 2 and a message naming the limit, or gives a correct
//! result; and a property over extreme-but-valid scenarios (no panic, no negative income, no
//! award above the income limits).

use crate::common;

use common::{bin, scenario, SMALL};
use predicates::prelude::*;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use std::path::Path;
use std::time::{Duration, Instant};
use toeslagenlab::engine::{self, Year};
use toeslagenlab::money::Money;
use toeslagenlab::population;
use toeslagenlab::rules::Benefit;
use toeslagenlab::scenario::{self, MAX_ARMS, MAX_INPUT_BYTES, MAX_THRESHOLDS};

/// Runs `args`, expects exit 2 within a few seconds and returns stderr.
fn refused(args: &[&str]) -> String {
    let t = Instant::now();
    let out = bin()
        .args(args)
        .timeout(Duration::from_secs(20))
        .output()
        .unwrap();
    assert!(
        t.elapsed() < Duration::from_secs(10),
        "{args:?} took {:?}",
        t.elapsed()
    );
    let e = String::from_utf8_lossy(&out.stderr).to_string();
    assert_eq!(out.status.code(), Some(2), "{args:?}: {e}");
    e
}

#[test]
fn dev_zero_is_refused_at_once() {
    let e = refused(&["validate", "/dev/zero"]);
    assert!(
        e.contains("/dev/zero: is not a regular file (a character device)"),
        "{e}"
    );
}

#[test]
fn a_fifo_is_refused_without_reading() {
    let tmp = tempfile::tempdir().unwrap();
    let fifo = tmp.path().join("s.toml");
    let ok = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(ok.success());
    // Nobody writes to the FIFO: opening it to read would block forever.
    for cmd in ["validate", "run", "check"] {
        let e = refused(&[cmd, fifo.to_str().unwrap()]);
        assert!(
            e.contains("is not a regular file (a FIFO (named pipe))"),
            "{e}"
        );
    }
}

#[test]
fn a_file_over_10_mb_is_refused_with_the_limit() {
    let tmp = tempfile::tempdir().unwrap();
    let mut text = SMALL.to_string();
    text.push('#');
    text.push_str(&"x".repeat(MAX_INPUT_BYTES as usize));
    let p = scenario(tmp.path(), "big.toml", &text);
    let e = refused(&["validate", p.to_str().unwrap()]);
    assert!(
        e.contains("big.toml: is larger than 10 MB (the limit for scenario files)"),
        "{e}"
    );
    let e = refused(&["calc", "--household", p.to_str().unwrap()]);
    assert!(e.contains("(the limit for household files)"), "{e}");
}

#[test]
fn ten_thousand_arms_are_refused_at_load_naming_the_key() {
    let tmp = tempfile::tempdir().unwrap();
    let mut text = SMALL.to_string();
    for i in 0..10_000 {
        text.push_str(&format!(
            "\n[[arms]]\nname = \"a{i}\"\nadvance = {{ policy = \"cautious\", fraction = 0.8 }}\n"
        ));
    }
    let p = scenario(tmp.path(), "arms.toml", &text);
    let e = refused(&["validate", p.to_str().unwrap()]);
    assert!(
        e.contains(&format!(
            "`arms`: 10003 arms; at most {MAX_ARMS} are allowed"
        )),
        "{e}"
    );
    assert!(e.contains("arms.toml:"), "{e}");
}

#[test]
fn a_million_thresholds_are_refused_naming_the_key() {
    let tmp = tempfile::tempdir().unwrap();
    let list: Vec<String> = (1..=1_000_000).map(|i| i.to_string()).collect();
    let text = SMALL.replace(
        "seed = 42\n",
        &format!(
            "seed = 42\nhigh_reclaim_thresholds = [{}]\n",
            list.join(",")
        ),
    );
    let p = scenario(tmp.path(), "thr.toml", &text);
    let e = refused(&["validate", p.to_str().unwrap()]);
    assert!(
        e.contains(&format!(
            ":7:1: `experiment.high_reclaim_thresholds`: 1000000 thresholds; at most {MAX_THRESHOLDS} are allowed"
        )),
        "{e}"
    );
}

#[test]
fn flags_beyond_their_limits_are_refused() {
    let s = "scenarios/cautious-vs-standard.toml";
    let e = refused(&["run", s, "--replications", "100000"]);
    assert!(
        e.contains("a whole number from 1 to 1000 is allowed"),
        "{e}"
    );
    let e = refused(&["run", s, "--replications", "0"]);
    assert!(e.contains("--replications"), "{e}");
    let e = refused(&["check", s, "--replications", "100000"]);
    assert!(e.contains("from 1 to 1000"), "{e}");
    for cmd in ["run", "sweep", "check", "power", "bench", "calibrate"] {
        let e = refused(&[cmd, s, "--threads", "100000"]);
        assert!(
            e.contains("a whole number from 0 (one thread per core) to 256 is allowed"),
            "{cmd}: {e}"
        );
    }
    let e = refused(&["calc", "--income", "20000", "--persons", "1000000000"]);
    assert!(e.contains("a whole number from 1 to 14 is allowed"), "{e}");
    // Within the flag's range but more than this household can have: refused before adding
    // anyone.
    let e = refused(&["calc", "--income", "20000", "--persons", "14"]);
    assert!(
        e.contains("persons = 14; at most 5 are supported here"),
        "{e}"
    );
    bin()
        .args(["calc", "--income", "20000", "--persons", "5"])
        .assert()
        .success();
}

#[test]
fn a_sweep_of_too_many_points_is_refused() {
    let e = refused(&[
        "sweep",
        "scenarios/cautious-vs-standard.toml",
        "--param",
        "arms.cautious.fraction=0.70:1.00:0.00001",
    ]);
    assert!(e.contains("grid points; at most 1000"), "{e}");
}

/// The issue's reproduction: €10 M a year × five income changes of factor 100.
fn overflow_text(income: &str) -> String {
    let mut t = format!(
        r#"
[experiment]
name = "overflow"
year = 2026
households = 50
seed = 3

[[arms]]
name = "control"
advance = {{ policy = "standard" }}

[[arms]]
name = "cautious"
advance = {{ policy = "cautious", fraction = 0.80 }}

[population]
benefits = ["zorgtoeslag"]
income = {income}
"#
    );
    for m in 2..=6 {
        t.push_str(&format!(
            "\n[[shocks]]\nkind = \"income_change\"\nprobability = 1.0\nmonth = {m}\nfactor = {{ distribution = \"fixed\", value = 100 }}\n"
        ));
    }
    t
}

#[test]
fn a_fixed_income_whose_shocks_overflow_is_refused_at_load() {
    let tmp = tempfile::tempdir().unwrap();
    let p = scenario(
        tmp.path(),
        "ovf.toml",
        &overflow_text(r#"{ distribution = "fixed", value = 10_000_000 }"#),
    );
    let e = refused(&["validate", p.to_str().unwrap()]);
    assert!(
        e.contains("ovf.toml:20:3: `shocks`: the income after all shocks can reach €100,000,000,000,000,000 a year")
            && e.contains("at most €1,000,000,000.00 (the limit for incomes)"),
        "{e}"
    );
}

#[test]
fn a_drawn_income_whose_shocks_overflow_saturates_with_no_award() {
    let tmp = tempfile::tempdir().unwrap();
    let p = scenario(
        tmp.path(),
        "ovf.toml",
        &overflow_text(r#"{ distribution = "lognormal", median = 10_000_000, sigma = 0.01 }"#),
    );
    let out = tmp.path().join("out");
    let s = common::run_to(&p, &out, &[]);
    let text = s.to_string();
    assert!(!text.contains("-8446744"), "wrapped income: {text}");
    let out = bin()
        .args(["explain", p.to_str().unwrap(), "--household", "0", "--json"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let j: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let income = j["totals"]["income"].as_f64().unwrap();
    assert_eq!(income, 1e9, "saturated at the cap");
    assert_eq!(j["definitive"]["award"]["zorgtoeslag"].as_f64(), Some(0.0));
    assert_eq!(j["totals"]["advances"].as_f64(), Some(0.0));
}

#[test]
fn syntax_errors_at_byte_0_and_invalid_utf8_name_line_and_column() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("b0.toml"), "= 1\n").unwrap();
    let out = bin()
        .current_dir(tmp.path())
        .args(["validate", "b0.toml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let e = String::from_utf8_lossy(&out.stderr);
    assert!(e.starts_with("error: b0.toml:1:1: invalid TOML: "), "{e}");

    std::fs::write(
        tmp.path().join("u8.toml"),
        b"[experiment]\nname = \"x\"\nyea\xffr = 2026\n",
    )
    .unwrap();
    let out = bin()
        .current_dir(tmp.path())
        .args(["validate", "u8.toml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let e = String::from_utf8_lossy(&out.stderr);
    assert!(
        e.starts_with("error: u8.toml:3:4: is not valid UTF-8 (first bad byte at offset 27)"),
        "{e}"
    );
}

#[test]
fn diff_refuses_a_device_as_a_summary() {
    let e = refused(&["diff", "/dev/zero", "/dev/zero"]);
    assert!(e.contains("is not a regular file"), "{e}");
}

#[test]
fn the_schema_states_the_same_bounds() {
    let s = toeslagenlab::schema::scenario_schema_json();
    let v: serde_json::Value = serde_json::from_str(&s).unwrap();
    let text = v.to_string();
    assert!(text.contains(&format!("\"maxItems\":{MAX_ARMS}")), "arms");
    assert!(
        text.contains(&format!("\"maxItems\":{MAX_THRESHOLDS}")),
        "thresholds"
    );
    assert!(text.contains("\"maximum\":1000"), "replications");
}

// ----- property: extreme-but-valid scenarios ----------------------------------------------

fn dist() -> impl Strategy<Value = String> {
    prop_oneof![
        (0.0f64..100.0).prop_map(|v| format!("{{ distribution = \"fixed\", value = {v:.3} }}")),
        (0.01f64..10.0, 0.0f64..3.0).prop_map(|(m, s)| format!(
            "{{ distribution = \"lognormal\", median = {m:.3}, sigma = {s:.3} }}"
        )),
        (0.0f64..1.0, 1.0f64..100.0).prop_map(|(a, b)| format!(
            "{{ distribution = \"uniform\", min = {a:.3}, max = {b:.3} }}"
        )),
    ]
}

fn extreme_scenario() -> impl Strategy<Value = (String, bool)> {
    let income = prop_oneof![
        (0u64..=10_000_000).prop_map(|v| (
            format!("{{ distribution = \"fixed\", value = {v} }}"),
            false
        )),
        (1u64..=10_000_000, 0.0f64..4.0).prop_map(|(m, s)| (
            format!("{{ distribution = \"lognormal\", median = {m}, sigma = {s:.3} }}"),
            true
        )),
    ];
    let kinds = prop::sample::select(vec![
        "income_change",
        "job_loss",
        "job_gain",
        "raise",
        "bonus",
    ]);
    let shocks = prop::collection::vec((kinds, dist(), 1u8..=12), 0..=12);
    (income, shocks, 0.0f64..3.0).prop_map(|((income, drawn), shocks, est_sigma)| {
        let mut t = format!(
            r#"
[experiment]
name = "extreme"
year = 2026
households = 8
seed = 5

[[arms]]
name = "control"
advance = {{ policy = "standard" }}

[[arms]]
name = "cautious"
advance = {{ policy = "cautious", fraction = 0.70 }}

[[arms]]
name = "adjustable"
advance = {{ policy = "adjustable" }}

[population]
benefits = ["zorgtoeslag", "huurtoeslag", "kindgebonden_budget"]
income = {income}
estimate_error = {{ distribution = "lognormal", median = 1.0, sigma = {est_sigma:.3} }}
"#
        );
        for (kind, factor, month) in shocks {
            t.push_str(&format!(
                "\n[[shocks]]\nkind = \"{kind}\"\nprobability = 1.0\nmonth = {month}\nfactor = {factor}\n"
            ));
        }
        (t, drawn)
    })
}

/// Income limits of 2026 are far below this: any household whose assessed income is above it
/// must get nothing.
const ABOVE_EVERY_LIMIT: Money = Money::euros(500_000);

#[test]
fn extreme_but_valid_scenarios_never_give_negative_incomes_or_awards_above_the_limits() {
    let mut runner = TestRunner::new(Config {
        cases: 64,
        ..Config::default()
    });
    let accepted = std::cell::Cell::new(0usize);
    runner
        .run(&extreme_scenario(), |(text, drawn)| {
            let sc = match scenario::parse_str(Path::new("extreme.toml"), &text, String::new()) {
                Ok(sc) => sc,
                // A fixed income may be refused when its shocks could exceed the cap; a drawn
                // one is within every limit of the loader.
                Err(toeslagenlab::Error::Input(d)) => {
                    prop_assert!(!drawn, "{d:?}\n{text}");
                    return Ok(());
                }
                Err(e) => panic!("not an input error: {e}"),
            };
            accepted.set(accepted.get() + 1);
            for id in 0..sc.households {
                let h = population::generate(&sc, id);
                prop_assert!(h.monthly_income >= Money::ZERO);
                prop_assert!(h.estimated_income >= Money::ZERO);
                let y = Year::compute(&sc, &h);
                prop_assert!(y.actual_income >= Money::ZERO, "{:?}", y.actual_income);
                prop_assert!(y.actual_income <= Money::MAX_INCOME);
                for b in Benefit::ALL {
                    let award = y.definitive[b.index()];
                    prop_assert!(award >= Money::ZERO);
                    if b == Benefit::Zorgtoeslag && y.actual_income > ABOVE_EVERY_LIMIT {
                        prop_assert_eq!(award, Money::ZERO, "{}", y.actual_income);
                    }
                }
                for arm in 0..sc.arms.len() {
                    let o = engine::simulate_arm(&sc, &h, &y, arm).unwrap();
                    prop_assert!(o.advances >= Money::ZERO);
                    prop_assert!(o.definitive >= Money::ZERO);
                    prop_assert!(o.reclaim >= Money::ZERO);
                }
            }
            Ok(())
        })
        .unwrap();
    assert!(
        accepted.get() >= 16,
        "only {} of 64 scenarios accepted: the generator is not testing the simulation",
        accepted.get()
    );
}

#[test]
fn validate_on_a_directory_still_walks_it() {
    let tmp = tempfile::tempdir().unwrap();
    scenario(tmp.path(), "a.toml", SMALL);
    bin()
        .arg("validate")
        .arg(tmp.path())
        .assert()
        .success()
        .stdout(predicate::str::contains("a.toml"));
}
