//! Every structural problem of a scenario file at once: unknown keys and values of the wrong
//! type, found by walking the parsed TOML against the scenario's JSON Schema (the same schema
//! `toeslagenlab schema` prints, generated from the loader's structs).
//!
//! Serde stops at the first problem; the loader asks this module for all of them when serde
//! fails, so three typos take one round of `validate`, not three. Values of the right type are
//! checked afterwards by the validator, which already reports all of its problems in one pass.
//!
//! Must not: decide what a value means (ranges, enums and cross-field rules are the
//! validator's), or word a problem differently from the loader (`diagnostics::explain` words
//! both).

use serde_json::{Map, Value};
use std::sync::OnceLock;

/// Most problems reported from one file.
const MAX_PROBLEMS: usize = 50;

fn schema() -> &'static Value {
    static SCHEMA: OnceLock<Value> = OnceLock::new();
    SCHEMA.get_or_init(crate::scenario::schema::scenario_schema)
}

/// The schema `s` with `$ref` and `allOf` resolved into one map of what matters here:
/// `type`, `properties`, `additionalProperties`, `items`, `anyOf`.
fn resolve(s: &Value, depth: usize) -> Map<String, Value> {
    let mut out = Map::new();
    let Some(obj) = s.as_object() else {
        return out;
    };
    if depth > 20 {
        return out;
    }
    if let Some(r) = obj.get("$ref").and_then(|r| r.as_str()) {
        if let Some(target) = r
            .strip_prefix("#/definitions/")
            .and_then(|name| schema().pointer(&format!("/definitions/{name}")))
        {
            out.extend(resolve(target, depth + 1));
        }
    }
    if let Some(all) = obj.get("allOf").and_then(|a| a.as_array()) {
        for sub in all {
            out.extend(resolve(sub, depth + 1));
        }
    }
    for k in [
        "type",
        "properties",
        "additionalProperties",
        "items",
        "anyOf",
        "oneOf",
    ] {
        if let Some(v) = obj.get(k) {
            out.insert(k.to_string(), v.clone());
        }
    }
    out
}

/// What serde would call the TOML value (`string "80%"`, `integer `5``).
fn found(v: &toml::Value) -> String {
    match v {
        toml::Value::String(s) => format!("string {s:?}"),
        toml::Value::Integer(i) => format!("integer `{i}`"),
        toml::Value::Float(f) => format!("floating point `{f}`"),
        toml::Value::Boolean(b) => format!("boolean `{b}`"),
        toml::Value::Datetime(d) => format!("string \"{d}\""),
        toml::Value::Array(_) => "sequence".into(),
        toml::Value::Table(_) => "map".into(),
    }
}

/// Whether the TOML value has one of the schema's types.
fn type_ok(v: &toml::Value, types: &[&str]) -> bool {
    types.iter().any(|t| {
        matches!(
            (*t, v),
            ("number", toml::Value::Integer(_) | toml::Value::Float(_))
                | ("integer", toml::Value::Integer(_))
                | ("string", toml::Value::String(_) | toml::Value::Datetime(_))
                | ("boolean", toml::Value::Boolean(_))
                | ("array", toml::Value::Array(_))
                | ("object", toml::Value::Table(_))
        )
    })
}

/// What serde would say it expected for the schema's first type.
fn expected(types: &[&str]) -> &'static str {
    match types.first().copied() {
        Some("integer") => "i64",
        Some("number") => "f64",
        Some("string") => "a string",
        Some("boolean") => "a boolean",
        Some("array") => "a sequence",
        _ => "a map",
    }
}

fn walk(v: &toml::Value, s: &Value, key: &str, out: &mut Vec<(String, String)>) {
    if out.len() >= MAX_PROBLEMS {
        return;
    }
    let s = resolve(s, 0);
    // Alternatives (a number or a distribution table): not checked here.
    if s.contains_key("anyOf") || s.contains_key("oneOf") {
        return;
    }
    let types: Vec<&str> = match s.get("type") {
        Some(Value::String(t)) => vec![t.as_str()],
        Some(Value::Array(ts)) => ts.iter().filter_map(|t| t.as_str()).collect(),
        _ => Vec::new(),
    };
    if !types.is_empty() && !type_ok(v, &types) {
        let msg = format!("invalid type: {}, expected {}", found(v), expected(&types));
        out.push((
            key.to_string(),
            crate::scenario::diagnostics::explain(&msg, key),
        ));
        return;
    }
    match v {
        toml::Value::Table(t) => {
            let props = s.get("properties").and_then(|p| p.as_object());
            let extra = s.get("additionalProperties");
            for (k, x) in t {
                let child = if key.is_empty() {
                    k.clone()
                } else {
                    format!("{key}.{k}")
                };
                match (props.and_then(|p| p.get(k)), extra) {
                    (Some(ps), _) => walk(x, ps, &child, out),
                    (None, Some(Value::Bool(false))) => {
                        let allowed: Vec<String> = props
                            .map(|p| p.keys().cloned().collect())
                            .unwrap_or_default();
                        let list = allowed
                            .iter()
                            .map(|a| format!("`{a}`"))
                            .collect::<Vec<_>>()
                            .join(", ");
                        let mut msg = crate::scenario::diagnostics::explain(
                            &format!("unknown field `{k}`, expected one of {list}"),
                            &child,
                        );
                        if let Some(best) = crate::scenario::did_you_mean(k, &allowed) {
                            msg.push_str(&format!("; did you mean `{best}`?"));
                        }
                        out.push((child, msg));
                    }
                    (None, Some(extra @ Value::Object(_))) => walk(x, extra, &child, out),
                    (None, _) => {}
                }
            }
        }
        toml::Value::Array(items) => {
            if let Some(is) = s.get("items") {
                for (i, x) in items.iter().enumerate() {
                    walk(x, is, &format!("{key}[{i}]"), out);
                }
            }
        }
        _ => {}
    }
}

/// Every unknown key and every value of the wrong type in scenario `text` (empty when it is
/// not TOML), as `(key, message)` in file order of the walk, at most 50.
pub fn problems(text: &str) -> Vec<(String, String)> {
    let Ok(doc) = toml::from_str::<toml::Table>(text) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    walk(&toml::Value::Table(doc), schema(), "", &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::problems;

    #[test]
    fn every_typo_and_wrong_type_at_once() {
        let text = r#"
[experiment]
name = "x"
yaer = 2026
households = "many"

[[arms]]
name = "control"
advance = { policy = "standard" }

[[arms]]
name = "cautious"
advance = { policy = "cautious", fraction = "80%" }
takeupp = 0.68

[popuation]
"#;
        let p = problems(text);
        let keys: Vec<&str> = p.iter().map(|(k, _)| k.as_str()).collect();
        for want in [
            "experiment.yaer",
            "experiment.households",
            "arms[1].advance.fraction",
            "arms[1].takeupp",
            "popuation",
        ] {
            assert!(keys.contains(&want), "{want} missing from {p:?}");
        }
        let msg = |k: &str| &p.iter().find(|(x, _)| x == k).unwrap().1;
        assert!(msg("experiment.yaer").contains("did you mean `year`"));
        assert!(msg("arms[1].takeupp").contains("did you mean `takeup`"));
        assert!(msg("arms[1].advance.fraction").contains("found the text \"80%\""));
    }

    #[test]
    fn a_valid_scenario_has_no_structural_problems() {
        for f in [
            "cautious-vs-standard",
            "nl-2026",
            "reference",
            "interventions",
        ] {
            let text = std::fs::read_to_string(format!(
                "{}/scenarios/{f}.toml",
                env!("CARGO_MANIFEST_DIR")
            ))
            .unwrap();
            assert_eq!(problems(&text), Vec::<(String, String)>::new(), "{f}");
        }
    }
}
