//! Wording of scenario errors, and the plausibility checks that catch absurd values.
//!
//! Owns: turning serde's and toml's terse messages (`invalid type: string "80%", expected f64`,
//! `missing field `advance``) into what a scenario author can act on (`found the text "80%";
//! expected a number, e.g. 0.8`), and range checks by key path that catch typos such as an
//! income of €1e15 or an infinite month weight, whatever the schema's structs look like.
//!
//! Must not: know the raw schema structs of `scenario` (it works on key paths and the parsed
//! TOML document), run anything, or decide defaults.

use crate::model::parameters::{known_years, ParameterSet};

/// Largest plausible annual income (€) in a scenario distribution.
pub const MAX_INCOME: f64 = 10_000_000.0;
/// Largest plausible household assets (€).
pub const MAX_ASSETS: f64 = 100_000_000.0;
/// Largest plausible income factor (a shock or an estimate error).
pub const MAX_FACTOR: f64 = 100.0;
/// Largest plausible euro amount in a parameter override.
pub const MAX_PARAMETER_EUROS: f64 = 10_000_000.0;

/// Rewrites a toml/serde message into plain words. `field_key` is the key path of the value the
/// message is about (for a missing field: the path of the missing key).
pub fn explain(message: &str, field_key: &str) -> String {
    let message = message.trim();
    if let Some(rest) = message.strip_prefix("unknown field `") {
        let (name, tail) = rest.split_once('`').unwrap_or((rest, ""));
        let allowed = backticked(tail);
        return if allowed.is_empty() {
            format!("unknown key `{name}`; this table takes no keys")
        } else {
            format!("unknown key `{name}`; allowed here: {}", allowed.join(", "))
        };
    }
    if let Some(rest) = message.strip_prefix("missing field `") {
        let name = rest.split('`').next().unwrap_or(rest);
        return missing(name, field_key);
    }
    if let Some(rest) = message.strip_prefix("invalid type: ") {
        if let Some((found, expected)) = rest.split_once(", expected ") {
            if found == "map" && expected == "a sequence" {
                let name = field_key.rsplit('.').next().unwrap_or(field_key);
                return format!(
                    "found a single table; `{name}` is a list: write each entry as its own `[[{name}]]` table (double brackets), or as an array [ ... ]"
                );
            }
            return wrong_type(found, expected);
        }
    }
    if let Some(rest) = message.strip_prefix("invalid value: ") {
        if let Some((found, expected)) = rest.split_once(", expected ") {
            return wrong_type(found, expected);
        }
    }
    message.to_string()
}

/// The names in backticks in `s`, in order.
pub fn backticked(s: &str) -> Vec<String> {
    s.split('`')
        .enumerate()
        .filter(|(i, _)| i % 2 == 1)
        .map(|(_, x)| x.to_string())
        .collect()
}

fn missing(name: &str, key: &str) -> String {
    let parent = key
        .rsplit_once('.')
        .map(|(p, _)| p)
        .unwrap_or("")
        .trim_end_matches(|c: char| c.is_ascii_digit() || c == '[' || c == ']');
    let example = match (parent, name) {
        ("", "experiment") => {
            return "missing the `[experiment]` table; start the file with\n  [experiment]\n  name = \"my-experiment\"\n  year = 2026\n  households = 100_000".into()
        }
        ("experiment", "name") => "name = \"cautious-vs-standard\" (it names the output directory)",
        ("experiment", "year") => "year = 2026 (the benefit year; see `toeslagenlab params`)",
        ("experiment", "households") => "households = 100_000",
        ("arms", "name") => "name = \"cautious\"",
        ("arms", "advance") => {
            "advance = { policy = \"standard\" } for the control arm, or { policy = \"cautious\", fraction = 0.80 }"
        }
        (_, "policy") => "policy = \"cautious\" (allowed: standard, cautious, adjustable)",
        (_, "distribution") => {
            "distribution = \"lognormal\" (allowed: lognormal, normal, uniform, fixed)"
        }
        (_, "range") => "range = [0.75, 0.85]",
        (_, "weight") => "weight = 0.5",
        (_, "counts") => "counts = [0.40, 0.40, 0.15, 0.05] (weights of 1, 2, 3, 4 children)",
        (_, "share_with_assets") => "share_with_assets = 0.25",
        (_, "amount") => "amount = { distribution = \"lognormal\", median = 15_000, sigma = 1.2 }",
        (_, "kind") => {
            "kind = \"income_change\" (allowed: income_change, partner_moves_in, partner_moves_out, child_born)"
        }
        (_, "probability") => "probability = 0.35",
        _ => "",
    };
    if example.is_empty() {
        format!("missing required key `{name}`")
    } else {
        format!("missing required key `{name}`; add e.g. {example}")
    }
}

fn wrong_type(found: &str, expected: &str) -> String {
    let (found_text, too_large) = describe_found(found);
    let expected_text = describe_expected(expected);
    let mut s = format!("found {found_text}; expected {expected_text}");
    if too_large {
        s = format!("found {found_text}, which is far too large; expected {expected_text}");
    }
    if let Some(inner) = found
        .strip_prefix("string \"")
        .and_then(|x| x.strip_suffix('"'))
    {
        let numeric = inner.trim().replace('_', "").parse::<f64>().is_ok();
        if numeric && (expected_text.contains("number")) {
            s.push_str(&format!("; write {} without quotes", inner.trim()));
        }
        if let Some(pct) = inner.trim().strip_suffix('%') {
            if let Ok(p) = pct.trim().parse::<f64>() {
                if expected_text.contains("number") {
                    s.push_str(&format!("; write {inner} as {}", p / 100.0));
                }
            }
        }
        if (inner == "true" || inner == "false") && expected == "a boolean" {
            s.push_str(&format!("; write {inner} without quotes"));
        }
    }
    s
}

fn describe_found(found: &str) -> (String, bool) {
    let literal = |prefix: &str| {
        found
            .strip_prefix(prefix)
            .map(|r| r.trim_matches('`').to_string())
    };
    if let Some(s) = found.strip_prefix("string ") {
        return (format!("the text {s}"), false);
    }
    if let Some(rest) = literal("integer ") {
        let too_large = rest.ends_with(" as i128") || rest.ends_with(" as u128");
        let n = rest
            .trim_end_matches(" as i128")
            .trim_end_matches(" as u128")
            .trim_matches('`')
            .to_string();
        return (n, too_large);
    }
    if let Some(rest) = literal("floating point ") {
        return (rest, false);
    }
    if let Some(rest) = literal("boolean ") {
        return (format!("the boolean {rest}"), false);
    }
    let s = match found {
        "map" => "a table",
        "sequence" => "an array",
        "unit value" | "unit" => "nothing",
        other => other,
    };
    (s.to_string(), false)
}

fn describe_expected(expected: &str) -> String {
    let e = expected.trim();
    match e {
        "f64" | "f32" => "a number".into(),
        "i64" | "i32" | "i16" | "i8" => "a whole number".into(),
        "u64" | "u32" | "u16" | "u8" | "usize" => "a whole number of 0 or more".into(),
        "a string" => "text in quotes, e.g. \"cautious\"".into(),
        "a boolean" => "true or false".into(),
        "a sequence" => "an array in square brackets, e.g. [0.75, 0.85]".into(),
        "a map" => "a table".into(),
        "struct RawAdvance" => "a table such as { policy = \"cautious\", fraction = 0.80 }".into(),
        "struct RawDist" => {
            "a table such as { distribution = \"lognormal\", median = 28_000, sigma = 0.45 }".into()
        }
        "struct RawBand" => "a table such as { range = [0.75, 0.85], weight = 0.5 }".into(),
        other if other.starts_with("struct ") => "a table".into(),
        other if other.contains("map") => "a table".into(),
        other => other.to_string(),
    }
}

// ------------------------------------------------------------------------------------------
// Plausibility checks on the parsed document
// ------------------------------------------------------------------------------------------

/// Problems (key path, message) with values that parse and may pass the schema, but that are
/// not finite or are absurd for what they describe. `text` must be valid TOML; otherwise there
/// are no problems to add (the parser reports it).
pub fn plausibility_problems(text: &str) -> Vec<(String, String)> {
    let Ok(doc) = text.parse::<toml::Table>() else {
        return vec![];
    };
    let mut out = Vec::new();
    let units = parameter_units();
    walk(&mut out, &units, String::new(), &toml::Value::Table(doc));
    out
}

fn parameter_units() -> Vec<(String, String)> {
    known_years()
        .into_iter()
        .filter_map(|y| ParameterSet::for_year(y).ok())
        .flat_map(|set| {
            set.groups
                .iter()
                .flat_map(|(g, ps)| {
                    ps.iter()
                        .map(move |(k, p)| (format!("{g}.{k}"), p.unit.clone()))
                })
                .collect::<Vec<_>>()
        })
        .collect()
}

fn walk(out: &mut Vec<(String, String)>, units: &[(String, String)], key: String, v: &toml::Value) {
    match v {
        toml::Value::Table(t) => {
            for (k, x) in t {
                let child = if key.is_empty() {
                    k.clone()
                } else {
                    format!("{key}.{k}")
                };
                walk(out, units, child, x);
            }
        }
        toml::Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                walk(out, units, format!("{key}[{i}]"), x);
            }
        }
        toml::Value::Float(f) if !f.is_finite() => out.push((
            key,
            format!("found {f}; numbers in a scenario must be finite (no inf or nan)"),
        )),
        toml::Value::Float(_) | toml::Value::Integer(_) => {
            let x = v
                .as_float()
                .or_else(|| v.as_integer().map(|i| i as f64))
                .unwrap_or(0.0);
            if let Some(m) = check_number(units, &key, x, v) {
                out.push((key, m));
            }
        }
        _ => {}
    }
}

/// The key path with array indices removed: `shocks[2].factor.max` → `shocks.factor.max`.
fn shape(key: &str) -> String {
    let mut s = String::with_capacity(key.len());
    let mut depth = 0;
    for c in key.chars() {
        match c {
            '[' => depth += 1,
            ']' => depth -= 1,
            _ if depth == 0 => s.push(c),
            _ => {}
        }
    }
    s
}

fn check_number(units: &[(String, String)], key: &str, x: f64, v: &toml::Value) -> Option<String> {
    let shape = shape(key);
    let (table, field) = shape.rsplit_once('.')?;
    const DIST_FIELDS: [&str; 6] = ["median", "mean", "sd", "min", "max", "value"];
    let shown = v.to_string();
    match table {
        "population.income" | "population.partner_income" | "shocks.income"
            if DIST_FIELDS.contains(&field) && x.abs() > MAX_INCOME =>
        {
            Some(format!(
                "found {shown}; an annual income is at most €10,000,000 here (toeslagen stop far below €100,000, so a larger amount is almost surely a typo)"
            ))
        }
        "population.assets.amount" if DIST_FIELDS.contains(&field) && x.abs() > MAX_ASSETS => {
            Some(format!(
                "found {shown}; assets are at most €100,000,000 here (the asset limits are below €200,000, so a larger amount is almost surely a typo)"
            ))
        }
        "shocks.factor" | "population.estimate_error"
            if DIST_FIELDS.contains(&field) && x.abs() > MAX_FACTOR =>
        {
            Some(format!(
                "found {shown}; this is a factor on income (1.05 = 5% more), at most {MAX_FACTOR}"
            ))
        }
        _ if table.starts_with("parameters.") => {
            let name = &shape["parameters.".len()..];
            let unit = units.iter().find(|(k, _)| k == name).map(|(_, u)| u.as_str())?;
            if unit.starts_with("EUR") {
                if x.abs() > MAX_PARAMETER_EUROS {
                    return Some(format!(
                        "found {shown}; a euro amount ({unit}) is at most €10,000,000 in an override"
                    ));
                }
                if (x * 100.0 - (x * 100.0).round()).abs() > 1e-6 {
                    return Some(format!(
                        "found {shown}; a euro amount ({unit}) has at most 2 decimals (whole cents)"
                    ));
                }
            }
            if unit == "fraction" {
                let decimals = shown
                    .split_once('.')
                    .map_or(0, |(_, d)| d.trim_end_matches('0').len());
                if decimals > 9 {
                    return Some(format!(
                        "found {shown}; a fraction is written with at most 9 decimals, e.g. 0.1373"
                    ));
                }
            }
            if unit == "months" && (x.fract() != 0.0 || !(0.0..=600.0).contains(&x)) {
                return Some(format!(
                    "found {shown}; a number of months is a whole number from 0 to 600"
                ));
            }
            None
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrong_types_in_plain_words() {
        assert_eq!(
            explain("invalid type: string \"80%\", expected f64", "a"),
            "found the text \"80%\"; expected a number; write 80% as 0.8"
        );
        assert_eq!(
            explain("invalid type: string \"2026\", expected i64", "a"),
            "found the text \"2026\"; expected a whole number; write 2026 without quotes"
        );
        assert_eq!(
            explain(
                "invalid type: integer `99999999999999999999` as i128, expected i64",
                "a"
            ),
            "found 99999999999999999999, which is far too large; expected a whole number"
        );
        assert_eq!(
            explain("invalid value: integer `-1`, expected u64", "a"),
            "found -1; expected a whole number of 0 or more"
        );
    }

    #[test]
    fn missing_keys_get_an_example() {
        let m = explain("missing field `advance`", "arms[1].advance");
        assert!(m.contains("policy = \"standard\""), "{m}");
        assert_eq!(
            explain("missing field `zzz`", "x.zzz"),
            "missing required key `zzz`"
        );
    }

    #[test]
    fn absurd_values_are_caught_by_path() {
        let p = plausibility_problems(
            "[population]\nincome = { distribution = \"lognormal\", median = 1e15, sigma = 0.4 }\n[[shocks]]\nmonth = [1.0, inf]\n",
        );
        assert_eq!(p.len(), 2, "{p:?}");
        assert_eq!(p[0].0, "population.income.median");
        assert_eq!(p[1].0, "shocks[0].month[1]");
        let p = plausibility_problems(
            "[parameters.zorgtoeslag]\nnormpremie_rate_above = 0.12345678912\nstandaardpremie = 2119.123\n",
        );
        assert_eq!(p.len(), 2, "{p:?}");
        assert!(p[0].1.contains("at most 9 decimals"), "{p:?}");
        assert!(p[1].1.contains("at most 2 decimals"), "{p:?}");
    }
}
