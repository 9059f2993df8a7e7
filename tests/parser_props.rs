//! Property tests of the scenario parser and validator: whatever the text, parsing never
//! panics and ends in a scenario or in located input errors; a scenario the validator accepts
//! runs without an internal error.

use proptest::prelude::*;
use std::path::Path;
use toeslagenlab::engine::{self, RunOptions};
use toeslagenlab::scenario::parse_str;
use toeslagenlab::Error;

const VALID: &str = r#"[experiment]
name = "props"
year = 2026
households = 50
seed = 7
design = "paired"
high_reclaim_thresholds = [500, 1000]

[[arms]]
name = "control"
advance = { policy = "standard" }

[[arms]]
name = "cautious"
advance = { policy = "cautious", fraction = 0.8 }
takeup = 0.68

[[arms]]
name = "adjustable"
advance = { policy = "adjustable" }
choice = [{ range = [0.70, 0.80], weight = 1.0 }, { range = [0.80, 1.00], weight = 2 }]

[population]
benefits = ["zorgtoeslag", "kindgebonden_budget"]
household_types = { single = 0.5, couple = 0.2, single_parent = 0.1, couple_with_children = 0.2 }
income = { distribution = "lognormal", median = 28000, sigma = 0.45 }
children = { counts = [0.4, 0.4, 0.2], max_age = 17 }
assets = { share_with_assets = 0.25, amount = { distribution = "uniform", min = 0, max = 50000 } }

[[shocks]]
kind = "income_change"
probability = 0.35
month = "uniform"
factor = { distribution = "normal", mean = 1.05, sd = 0.2 }

[[shocks]]
kind = "partner_moves_in"
probability = 0.05
month = [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]

[behaviour]
report_probability = { income_up = 0.5, income_down = 0.8 }
report_delay_months = { distribution = "uniform", min = 0, max = 3 }

[parameters.zorgtoeslag]
normpremie_rate_above = 0.14
"#;

/// Parses `text`; the outcome must be a scenario or located input errors, never a panic.
fn parse_checked(text: &str) -> Option<toeslagenlab::scenario::Scenario> {
    match parse_str(Path::new("p.toml"), text, String::new()) {
        Ok(s) => Some(s),
        Err(Error::Input(d)) => {
            assert!(!d.is_empty(), "an input error without a message");
            let lines = text.lines().count().max(1) + 1;
            for x in &d {
                assert!(!x.message.trim().is_empty(), "empty message: {x:?}");
                if let Some(l) = x.line {
                    assert!(l >= 1 && l <= lines, "line {l} outside the file: {x:?}");
                    assert!(x.col.is_some_and(|c| c >= 1), "{x:?}");
                }
            }
            None
        }
        Err(e) => panic!("not an input error: {e}"),
    }
}

/// Runs an accepted scenario on a few households: no panic, no internal error.
fn run_small(mut sc: toeslagenlab::scenario::Scenario) {
    sc.households = sc.households.min(40);
    let opts = RunOptions {
        threads: 1,
        ..RunOptions::default()
    };
    if let Err(e) = engine::run(&sc, &opts, |_| Ok(()), |_, _| {}) {
        panic!("an accepted scenario failed to run: {e}");
    }
}

/// Text edits that keep it mostly TOML-shaped.
#[derive(Clone, Debug)]
enum Edit {
    Delete(usize, usize),
    Insert(usize, String),
    Number(usize, String),
    DuplicateLine(usize),
    DropLine(usize),
}

fn edit() -> impl Strategy<Value = Edit> {
    let token = prop_oneof![
        Just("=".to_string()),
        Just("[".to_string()),
        Just("]]".to_string()),
        Just("{".to_string()),
        Just("\"".to_string()),
        Just("\n".to_string()),
        Just(",".to_string()),
        Just("[[arms]]\n".to_string()),
        Just("x = 1\n".to_string()),
        Just("é".to_string()),
        "[a-z_]{1,8}",
        "[ -~]{1,6}",
    ];
    let number = prop_oneof![
        Just("-1".to_string()),
        Just("0".to_string()),
        Just("1e300".to_string()),
        Just("-1e300".to_string()),
        Just("inf".to_string()),
        Just("nan".to_string()),
        Just("9223372036854775807".to_string()),
        Just("99999999999999999999".to_string()),
        Just("0.7".to_string()),
        Just("\"0.8\"".to_string()),
        Just("true".to_string()),
        (-1.0e7f64..1.0e7).prop_map(|x| format!("{x:?}")),
        (-5i64..200).prop_map(|x| x.to_string()),
    ];
    prop_oneof![
        (any::<usize>(), 1usize..20).prop_map(|(a, n)| Edit::Delete(a, n)),
        (any::<usize>(), token).prop_map(|(a, t)| Edit::Insert(a, t)),
        (any::<usize>(), number).prop_map(|(a, t)| Edit::Number(a, t)),
        any::<usize>().prop_map(Edit::DuplicateLine),
        any::<usize>().prop_map(Edit::DropLine),
    ]
}

fn char_boundary(s: &str, i: usize) -> usize {
    let mut i = i % (s.len() + 1);
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn apply(text: &str, e: &Edit) -> String {
    let mut s = text.to_string();
    match e {
        Edit::Delete(a, n) => {
            let a = char_boundary(&s, *a);
            let b = char_boundary(&s, (a + n).min(s.len()));
            s.replace_range(a..b.max(a), "");
        }
        Edit::Insert(a, t) => {
            let a = char_boundary(&s, *a);
            s.insert_str(a, t);
        }
        Edit::Number(a, t) => {
            // Replace the n-th value after `= ` with the new one.
            let spots: Vec<usize> = s.match_indices("= ").map(|(i, _)| i + 2).collect();
            if let Some(&start) = spots.get(a % spots.len().max(1)) {
                let end = s[start..]
                    .find([',', '\n', ' ', '}', ']'])
                    .map_or(s.len(), |e| start + e);
                s.replace_range(start..end, t);
            }
        }
        Edit::DuplicateLine(a) => {
            let lines: Vec<&str> = s.lines().collect();
            let i = a % lines.len();
            let mut out: Vec<&str> = lines.clone();
            out.insert(i, lines[i]);
            s = out.join("\n");
        }
        Edit::DropLine(a) => {
            let mut lines: Vec<&str> = s.lines().collect();
            let i = a % lines.len();
            lines.remove(i);
            s = lines.join("\n");
        }
    }
    s
}

#[test]
fn the_base_scenario_is_valid_and_runs() {
    run_small(parse_checked(VALID).expect("VALID must parse"));
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_text_never_panics(text in "\\PC{0,300}") {
        parse_checked(&text);
    }

    #[test]
    fn toml_shaped_garbage_never_panics(text in "(\\[\\[?[a-z]{1,10}\\]\\]?\n|[a-z_]{1,12} = (-?[0-9]{1,25}(\\.[0-9]{1,4})?|\"[a-z ]{0,8}\"|\\[[0-9., ]{0,12}\\]|\\{ ?[a-z]{1,6} = [0-9]{1,3} ?\\}|inf|nan|true)\n){0,20}") {
        parse_checked(&text);
    }

    #[test]
    fn mutated_scenarios_never_panic_and_accepted_ones_run(edits in proptest::collection::vec(edit(), 1..5)) {
        let mut text = VALID.to_string();
        for e in &edits {
            text = apply(&text, e);
        }
        if let Some(sc) = parse_checked(&text) {
            run_small(sc);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// Scenarios built from random values in and far outside their ranges.
    #[test]
    fn valid_ish_scenarios_are_accepted_or_rejected_cleanly(
        households in prop_oneof![8 => 1i64..200, 1 => Just(0), 1 => Just(60_000_000)],
        fraction in prop_oneof![8 => 0.7f64..=1.0, 1 => -0.5f64..1.5],
        allow_low in any::<bool>(),
        takeup in prop_oneof![8 => 0.0f64..=1.0, 1 => -0.2f64..1.2],
        median in prop_oneof![8 => 1.0f64..2.0e5, 1 => -1.0e5f64..2.0e7, 1 => Just(1.0e300)],
        sigma in prop_oneof![8 => 0.0f64..5.0, 1 => -1.0f64..6.0],
        dist in prop_oneof![3 => Just("lognormal"), 3 => Just("normal"), 3 => Just("uniform"), 3 => Just("fixed"), 1 => Just("weird")],
        a in prop_oneof![8 => 0.0f64..5.0e4, 1 => -1.0e6f64..1.0e8],
        b in prop_oneof![8 => 5.0e4f64..1.0e7, 1 => -1.0e6f64..1.0e8],
        prob in prop_oneof![8 => 0.0f64..=1.0, 1 => -0.2f64..1.2],
        month in prop_oneof![Just("\"uniform\"".to_string()), (0i64..14).prop_map(|m| m.to_string()),
            proptest::collection::vec(0.0f64..1e6, 12).prop_map(|v| format!("{v:?}")),
            proptest::collection::vec(0.0f64..1e6, 11).prop_map(|v| format!("{v:?}"))],
        factor_sd in prop_oneof![8 => 0.0f64..3.0, 1 => -1.0f64..200.0],
        delay_max in prop_oneof![8 => (0i64..=12).prop_map(|x| x as f64), 1 => -1.0f64..14.0],
        override_value in prop_oneof![8 => (0i64..10_000).prop_map(|x| x as f64 / 10_000.0), 1 => 0.0f64..1e8, 1 => -1.0f64..0.0],
        override_key in prop_oneof![4 => Just("normpremie_rate_above"), 1 => Just("standaardpremie"), 1 => Just("drempel"), 1 => Just("nope")],
        year in prop_oneof![4 => Just(2025i64), 4 => Just(2026), 1 => 1990i64..2100],
    ) {
        let dist_body = match dist {
            "lognormal" => format!("median = {median:?}, sigma = {sigma:?}"),
            "normal" => format!("mean = {median:?}, sd = {sigma:?}"),
            "uniform" => format!("min = {a:?}, max = {b:?}"),
            "fixed" => format!("value = {median:?}"),
            _ => "median = 1.0".to_string(),
        };
        let text = format!(
            r#"[experiment]
name = "gen"
year = {year}
households = {households}

[[arms]]
name = "control"
advance = {{ policy = "standard" }}

[[arms]]
name = "cautious"
advance = {{ policy = "cautious", fraction = {fraction:?} }}
takeup = {takeup:?}
allow_below_legal_floor = {allow_low}

[population]
income = {{ distribution = "{dist}", {dist_body} }}
partner_income = {{ distribution = "uniform", min = {a:?}, max = {b:?} }}

[[shocks]]
kind = "income_change"
probability = {prob:?}
month = {month}
factor = {{ distribution = "normal", mean = 1.0, sd = {factor_sd:?} }}

[behaviour]
report_delay_months = {{ distribution = "uniform", min = 0, max = {delay_max:?} }}

[parameters.zorgtoeslag]
{override_key} = {override_value:?}
"#
        );
        if let Some(sc) = parse_checked(&text) {
            run_small(sc);
        }
    }
}
