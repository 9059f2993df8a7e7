//! Reporting behaviour, income dynamics, risk-aware choice and agency interventions (issue 9).

use crate::common;

use common::{bin, run_to, scenario};
use std::path::Path;
use toeslagenlab::engine::{simulate_arm, Year};
use toeslagenlab::money::{Money, Rate};
use toeslagenlab::population::generate;
use toeslagenlab::rules::{annual_exact, awir, Benefit, Situation};
use toeslagenlab::scenario::{parse_str, Scenario};

fn parse(text: &str) -> Scenario {
    parse_str(Path::new("t.toml"), text, String::new()).unwrap()
}

/// Singles with a fixed income of €36,000 (above the zorgtoeslag drempel), zorgtoeslag only, their estimate exact.
fn singles(extra: &str) -> String {
    format!(
        r#"
[experiment]
name = "t"
year = 2026
households = 200
seed = 9

[[arms]]
name = "control"
advance = {{ policy = "standard" }}

[[arms]]
name = "cautious"
advance = {{ policy = "cautious", fraction = 0.8 }}

[population]
benefits = ["zorgtoeslag"]
household_types = {{ single = 1.0, couple = 0.0, single_parent = 0.0, couple_with_children = 0.0 }}
income = {{ distribution = "fixed", value = 36000 }}
estimate_error = {{ distribution = "fixed", value = 1.0 }}
assets = {{ share_with_assets = 0.0, amount = {{ distribution = "fixed", value = 0 }} }}
{extra}
"#
    )
}

fn zt_award(sc: &Scenario, income: Money) -> Money {
    let s = Situation {
        income,
        ..Situation::default()
    };
    // A constant situation: the mean of the twelve monthly amounts is the exact annual amount.
    awir::annual_award(
        &sc.params.awir,
        annual_exact(Benefit::Zorgtoeslag, &sc.params, &s),
    )
}

#[test]
fn unreported_income_rise_reclaim_equals_the_hand_computed_gap() {
    let sc = parse(&singles(
        r#"
[[shocks]]
kind = "raise"
probability = 1.0
month = 1
factor = { distribution = "fixed", value = 1.1 }

[behaviour]
report_probability = { income_up = 0.0, income_down = 0.0 }
"#,
    ));
    let estimate = zt_award(&sc, Money::euros(36_000));
    // Monthly €3,000 × 1.1 from January: €39,600 actual.
    let actual = zt_award(&sc, Money::euros(39_600));
    assert!(actual < estimate, "{actual} vs {estimate}");
    // Advances: floor(award / 12) whole euros a month, 12 months.
    let paid = Money(awir::monthly(estimate).0 * 12);
    let gap = paid - actual;
    for id in 0..20 {
        let h = generate(&sc, id);
        let year = Year::compute(&sc, &h);
        let o = simulate_arm(&sc, &h, &year, 0).unwrap();
        assert_eq!(o.advances, paid);
        assert_eq!(o.definitive, actual);
        assert_eq!(o.reclaim_before_threshold, gap, "household {id}");
    }
}

#[test]
fn a_bonus_counts_in_the_definitive_income() {
    let sc = parse(&singles(
        r#"
[[shocks]]
kind = "bonus"
probability = 1.0
month = 6
factor = { distribution = "fixed", value = 1.0 }

[behaviour]
report_probability = { income_up = 0.0 }
"#,
    ));
    let h = generate(&sc, 0);
    let year = Year::compute(&sc, &h);
    // One month's income (€3,000) on top of €36,000.
    assert_eq!(year.actual_income, Money::euros(39_000));
    assert_eq!(year.definitive[0], zt_award(&sc, Money::euros(39_000)));
    assert!(year.definitive[0] < zt_award(&sc, Money::euros(36_000)));
}

#[test]
fn households_unaware_of_the_duty_never_report_income_changes() {
    let sc = parse(&singles(
        r#"
[[shocks]]
kind = "income_change"
probability = 1.0
factor = { distribution = "lognormal", median = 1.0, sigma = 0.3 }

[[shocks]]
kind = "child_born"
probability = 1.0

[behaviour]
report_probability = { income_up = 1.0, income_down = 1.0, child = 1.0 }
unaware_income_share = 1.0
"#,
    ));
    let (mut income, mut other) = (0, 0);
    for id in 0..200 {
        for e in generate(&sc, id).events() {
            if e.is_income() {
                income += 1;
                assert_eq!(e.known_from, 13, "household {id} reported an income change");
            } else if e.month < 12 {
                other += 1;
                assert!(e.known_from <= 13 && e.known_from > e.month);
                assert!(e.known_from <= 12 || e.month + 1 > 12 - 3);
            }
        }
    }
    assert!(income > 150 && other > 100, "{income} {other}");
    // With share 0 the same households report every income change.
    let sc = parse(&singles(
        r#"
[[shocks]]
kind = "income_change"
probability = 1.0
month = 2
factor = { distribution = "lognormal", median = 1.0, sigma = 0.3 }

[behaviour]
report_probability = { income_up = 1.0, income_down = 1.0 }
report_delay_months = { distribution = "uniform", min = 0, max = 0 }
"#,
    ));
    for id in 0..50 {
        assert!(generate(&sc, id).events().iter().all(|e| e.known_from == 3));
    }
}

#[test]
fn delays_and_probabilities_per_change_type() {
    let sc = parse(&singles(
        r#"
[[shocks]]
kind = "rent_change"
probability = 1.0
month = 3

[[shocks]]
kind = "job_loss"
probability = 1.0
month = 3

[behaviour]
report_probability = { income_down = 1.0, rent = 0.0 }
report_delay_by_change = { income_down = [2, 2] }
"#,
    ));
    for id in 0..50 {
        let h = generate(&sc, id);
        for e in h.events() {
            match e.change_type().unwrap().name() {
                "income_down" => assert_eq!(e.known_from, 3 + 1 + 2),
                "rent" => assert_eq!(e.known_from, 13),
                other => panic!("unexpected change {other}"),
            }
        }
    }
}

fn families(arms: &str, extra: &str) -> String {
    format!(
        r#"
[experiment]
name = "fam"
year = 2026
households = 400
seed = 77

[[arms]]
name = "control"
advance = {{ policy = "standard" }}
{arms}

[population]
household_types = {{ single = 0.0, couple = 0.0, single_parent = 0.5, couple_with_children = 0.5 }}
childcare = {{ share_using = 0.9, hours_estimate_error = {{ distribution = "lognormal", median = 1.05, sigma = 0.3 }} }}

[[shocks]]
kind = "income_change"
probability = 0.5
factor = {{ distribution = "lognormal", median = 1.05, sigma = 0.25 }}

[[shocks]]
kind = "childcare_hours_change"
probability = 0.5
{extra}
"#
    )
}

#[test]
fn mutation_never_raises_a_households_total_advance() {
    let sc = parse(&families(
        r#"
[[arms]]
name = "mutation"
advance = { policy = "standard" }
interventions = ["mutation"]
"#,
        r#"
[behaviour]
report_probability = { income_up = 0.0, income_down = 0.0, partner = 0.0, child = 0.0, childcare_hours = 0.0, rent = 0.0 }

[interventions.mutation]
sources = ["childcare", "income"]
objection_share = 0.0
"#,
    ));
    let mut lower = 0;
    for id in 0..sc.households {
        let h = generate(&sc, id);
        let year = Year::compute(&sc, &h);
        let c = simulate_arm(&sc, &h, &year, 0).unwrap();
        let m = simulate_arm(&sc, &h, &year, 1).unwrap();
        assert!(
            m.advances <= c.advances,
            "household {id}: mutation raised advances {} → {}",
            c.advances,
            m.advances
        );
        assert_eq!(m.definitive, c.definitive);
        lower += usize::from(m.advances < c.advances);
    }
    assert!(lower > 40, "only {lower} households had a mutation");
}

#[test]
fn year_start_notice_raises_the_report_rate_and_lowers_reclaims() {
    let sc = parse(&families(
        r#"
[[arms]]
name = "notice"
advance = { policy = "standard" }
interventions = ["year_start_notice"]
"#,
        "",
    ));
    let (mut base, mut notice, mut reclaims_c, mut reclaims_n) = (0, 0, 0, 0);
    for id in 0..sc.households {
        let h = generate(&sc, id);
        let (hn, _) = toeslagenlab::interventions::apply(&sc, &sc.arms[1], &h);
        base += h.events().iter().filter(|e| e.known_from <= 12).count();
        notice += hn.events().iter().filter(|e| e.known_from <= 12).count();
        let year = Year::compute(&sc, &h);
        reclaims_c += usize::from(simulate_arm(&sc, &h, &year, 0).unwrap().reclaim > Money::ZERO);
        reclaims_n += usize::from(simulate_arm(&sc, &h, &year, 1).unwrap().reclaim > Money::ZERO);
    }
    assert!(notice as f64 > base as f64 * 1.2, "{notice} vs {base}");
    assert!(reclaims_n < reclaims_c, "{reclaims_n} vs {reclaims_c}");
}

#[test]
fn attention_letters_reach_only_households_with_a_childcare_gap() {
    let sc = parse(&families(
        r#"
[[arms]]
name = "letters"
advance = { policy = "standard" }
interventions = ["attention_letter"]
"#,
        "\n[interventions.attention_letter]\nresponse_share = 1.0\ngap_threshold = 0.5\n",
    ));
    let (mut sent, mut lowered) = (0, 0);
    for id in 0..sc.households {
        let h = generate(&sc, id);
        let (_, t) = toeslagenlab::interventions::apply(&sc, &sc.arms[1], &h);
        if t.letter_sent {
            sent += 1;
            assert!(t.letter_answered);
            assert!(h.care_actual.iter().any(Option::is_some));
            lowered += usize::from(t.letter_childcare_change < Money::ZERO);
        } else {
            assert_eq!(t.letter_childcare_change, Money::ZERO);
        }
    }
    assert!(sent > 10 && sent < 300 && lowered > 0, "{sent} {lowered}");
}

#[test]
fn volatile_households_choose_lower_when_risk_aware() {
    let sc = parse(
        r#"
[experiment]
name = "risk"
year = 2026
households = 10
seed = 3

[[arms]]
name = "control"
advance = { policy = "standard" }

[[arms]]
name = "adjustable"
advance = { policy = "adjustable" }
takeup = 1.0
choice_volatile = [{ range = [0.70, 0.75], weight = 1.0 }]

[population.employment]
employee = { share = 0.5 }
flex = { share = 0.3 }
self_employed = { share = 0.2 }
"#,
    );
    let arm = &sc.arms[1];
    let (mut n_vol, mut n_emp) = (0, 0);
    for id in 0..400 {
        let h = generate(&sc, id);
        let (p, took) = toeslagenlab::behaviour::arm_percentage(&sc, arm, id, h.volatile());
        assert!(took);
        if h.volatile() {
            n_vol += 1;
            assert!(p < Rate::percent(75), "{p}");
        } else {
            n_emp += 1;
            assert!(p >= Rate::percent(70));
        }
    }
    assert!(n_vol > 100 && n_emp > 100, "{n_vol} {n_emp}");
}

#[test]
fn intervention_runs_are_deterministic_and_thread_independent() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(common::root().join("scenarios/interventions.toml"))
        .unwrap()
        .replace("households = 30_000", "households = 3_000");
    let p = scenario(dir.path(), "int.toml", &text);
    let a = dir.path().join("a");
    let b = dir.path().join("b");
    let c = dir.path().join("c");
    run_to(&p, &a, &["--threads", "1", "--households-csv"]);
    run_to(&p, &b, &["--threads", "2", "--households-csv"]);
    run_to(&p, &c, &["--threads", "2", "--households-csv"]);
    for f in ["summary.json", "households.csv", "report.md"] {
        let x = std::fs::read(a.join(f)).unwrap();
        assert_eq!(
            x,
            std::fs::read(b.join(f)).unwrap(),
            "{f} differs by threads"
        );
        assert_eq!(
            x,
            std::fs::read(c.join(f)).unwrap(),
            "{f} differs between runs"
        );
    }
    let report = std::fs::read_to_string(a.join("report.md")).unwrap();
    assert!(report.contains("Mutation (`mutation`, `cautious-mutation`)"));
    assert!(report.contains("**uncertain**"));
}

#[test]
fn shipped_behaviour_scenarios_validate_and_calibrate() {
    bin()
        .args([
            "validate",
            "scenarios/nl-2026.toml",
            "scenarios/lab-replication.toml",
            "scenarios/interventions.toml",
        ])
        .assert()
        .success();
    let out = bin()
        .args([
            "calibrate",
            "scenarios/lab-replication.toml",
            "--households",
            "3000",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    let s = String::from_utf8(out.stdout).unwrap();
    assert!(s.contains("| toeslagen with a reclaim |"), "{s}");
    assert!(
        s.contains("## Lab replication (the 2026 progress letter)"),
        "{s}"
    );
    assert!(s.contains("takers choosing > 80%"), "{s}");
}

#[test]
fn calibrate_is_thread_independent() {
    let run = |threads: &str| {
        bin()
            .args([
                "calibrate",
                "scenarios/interventions.toml",
                "--households",
                "2000",
                "--threads",
                threads,
            ])
            .output()
            .unwrap()
            .stdout
    };
    assert_eq!(run("1"), run("2"));
}

#[test]
fn bad_behaviour_keys_name_file_line_and_key() {
    let dir = tempfile::tempdir().unwrap();
    let text = families(
        r#"
[[arms]]
name = "letters"
advance = { policy = "standard" }
interventions = ["atention_letter"]
"#,
        "\n[behaviour]\nreport_delay_by_change = { renter = [0, 1] }\nunaware_income_share = 1.5\n",
    );
    let p = scenario(dir.path(), "bad.toml", &text);
    let out = bin().arg("validate").arg(&p).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let e = String::from_utf8(out.stderr).unwrap();
    assert!(
        e.contains("bad.toml:15:18: `arms[1].interventions[0]`"),
        "{e}"
    );
    assert!(e.contains("`arms[1].interventions[0]`"), "{e}");
    assert!(e.contains("did you mean `attention_letter`?"), "{e}");
    assert!(e.contains("did you mean `rent`?"), "{e}");
    assert!(e.contains("`behaviour.unaware_income_share`"), "{e}");
}

#[test]
fn standard_arm_with_interventions_is_a_treatment_not_a_second_control() {
    let sc = parse(&families(
        r#"
[[arms]]
name = "letters"
advance = { policy = "standard" }
interventions = ["attention_letter", "personal_guidance"]
"#,
        "",
    ));
    assert_eq!(sc.arms[0].name, "control");
    assert!(sc.arms[0].is_control() && !sc.arms[1].is_control());
}

#[test]
fn unreported_rent_rise_is_paid_back_at_the_definitive_award() {
    let text = singles(
        r#"
[[shocks]]
kind = "rent_change"
probability = 1.0
month = 6
factor = { distribution = "fixed", value = 1.1 }

[behaviour]
report_probability = { rent = 0.0 }
"#,
    )
    .replace("benefits = [\"zorgtoeslag\"]", "benefits = [\"huurtoeslag\"]")
    .replace("value = 36000", "value = 18000")
        + "\n[population.rent]\nshare_renting = 1.0\namount = { distribution = \"fixed\", value = 600 }\n";
    let sc = parse(&text);
    for id in 0..20 {
        let h = generate(&sc, id);
        let year = Year::compute(&sc, &h);
        let o = simulate_arm(&sc, &h, &year, 0).unwrap();
        // Advances on €600 all year; the award counts €660 from July: a back-payment beyond
        // the rounding remainder.
        assert!(
            o.backpay > Money::euros(11),
            "household {id}: {}",
            o.backpay
        );
        assert_eq!(o.reclaim, Money::ZERO);
    }
}

#[test]
fn old_reporting_keys_keep_their_meaning() {
    let sc = parse(&singles(
        "\n[behaviour]\nreport_probability = { partner = 0.3, child = 0.2, partner_out = 0.9 }\n",
    ));
    use toeslagenlab::scenario::ChangeType;
    let b = &sc.behaviour;
    assert_eq!(b.p(ChangeType::PartnerIn), 0.3);
    assert_eq!(b.p(ChangeType::PartnerOut), 0.9);
    assert_eq!(b.p(ChangeType::ChildBorn), 0.2);
    assert_eq!(b.p(ChangeType::IncomeUp), 0.5);
    assert_eq!(b.unaware_income_share, 0.0);
}

#[test]
fn a_lab_block_adds_the_lab_section_to_the_report() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("lab");
    let s = run_to(
        &common::root().join("scenarios/lab-replication.toml"),
        &out,
        &["--households", "2000"],
    );
    let took = s["arms"]["adjustable"]["takeup_share"].as_f64().unwrap();
    assert!(took > 0.6 && took < 0.8, "{took}");
    let report = std::fs::read_to_string(out.join("report.md")).unwrap();
    assert!(
        report.contains("## Lab replication (the 2026 progress letter)"),
        "{report}"
    );
    assert!(report.contains("| adjustable: chose 75–85% |"));
    // Without a [lab] block there is no such section.
    let out2 = dir.path().join("int");
    let text = std::fs::read_to_string(common::root().join("scenarios/interventions.toml"))
        .unwrap()
        .replace("households = 30_000", "households = 500");
    run_to(&scenario(dir.path(), "i.toml", &text), &out2, &[]);
    let report = std::fs::read_to_string(out2.join("report.md")).unwrap();
    assert!(!report.contains("Lab replication"));
}

#[test]
fn calibrate_write_keeps_the_hand_written_notes() {
    let tmp = tempfile::tempdir().unwrap();
    let doc = tmp.path().join("calibration.md");
    std::fs::write(
        &doc,
        "# old tables\n\nstale\n\n## Notes on the calibration (hand-written)\n\nKeep me.\n",
    )
    .unwrap();
    bin()
        .args([
            "calibrate",
            "scenarios/lab-replication.toml",
            "--households",
            "2000",
            "--write",
        ])
        .arg(&doc)
        .assert()
        .success();
    let text = std::fs::read_to_string(&doc).unwrap();
    assert!(!text.contains("stale"), "old tables replaced");
    assert!(text.starts_with("# Calibration: `lab-replication`"));
    assert!(text
        .trim_end()
        .ends_with("## Notes on the calibration (hand-written)\n\nKeep me."));
}

#[test]
fn a_national_run_shows_its_distance_to_the_public_figures() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("nl");
    let assert = bin()
        .args([
            "run",
            "scenarios/nl-2026.toml",
            "--households",
            "3000",
            "--out",
        ])
        .arg(&out)
        .assert()
        .success();
    let stdout = String::from_utf8_lossy(&assert.get_output().stdout).to_string();
    assert!(
        stdout.contains("control vs public figures (per toeslag): reclaim ")
            && stdout.contains("(public 30.7%)"),
        "{stdout}"
    );
    let report = std::fs::read_to_string(out.join("report.md")).unwrap();
    let section = report
        .split("## Against the public figures")
        .nth(1)
        .expect("report.md has the public-figures section");
    assert!(section.contains("| toeslagen with a reclaim |"));
    assert!(section.contains("docs/calibration.md"));
    // Scenarios without `compare_public` stay as they were.
    let plain = tmp.path().join("plain");
    bin()
        .args([
            "run",
            "scenarios/adjustable.toml",
            "--households",
            "2000",
            "--quiet",
            "--out",
        ])
        .arg(&plain)
        .assert()
        .success();
    let report = std::fs::read_to_string(plain.join("report.md")).unwrap();
    assert!(!report.contains("## Against the public figures"));
}
