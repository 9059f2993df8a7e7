//! The JSON Schema of scenario files, generated from the same serde structs the loader reads
//! (`schemars` derives on the raw structs in [`crate::scenario`]).
//!
//! The schema is shipped as `scenarios/schema.json` (a test keeps it equal to the generated
//! one) and printed by `toeslagenlab schema`. Editors that speak JSON Schema for TOML (Taplo,
//! VS Code's Even Better TOML) use it for completion, hover docs and checks as you type.
//!
//! The schema is a helpful approximation of the rules, not the rules themselves: it knows keys,
//! types, enumerated values, simple ranges and defaults; the loader also checks what a schema
//! cannot say (shares adding up to 1, one control arm, the legal floor, …). A file the loader
//! accepts always validates against the schema.
//!
//! Must not: validate scenarios for the engine (that is [`crate::scenario`]'s job).

use crate::model::metric::Metric;
use schemars::{json_schema, JsonSchema, Schema, SchemaGenerator};
use serde_json::{Map, Value};
use std::borrow::Cow;

/// The scenario schema as a JSON value (JSON Schema draft 07, which Taplo understands).
pub fn scenario_schema() -> Value {
    let generator = schemars::generate::SchemaSettings::draft07().into_generator();
    let mut value = crate::scenario::raw_schema(generator).to_value();
    strip_null(&mut value);
    if let Some(root) = value.as_object_mut() {
        root.insert(
            "title".into(),
            Value::String("toeslagenlab scenario".into()),
        );
    }
    // Values that live in Rust constants rather than in attributes.
    let years: Vec<Value> = crate::model::parameters::known_years()
        .into_iter()
        .map(Value::from)
        .collect();
    if let Some(year) = value.pointer_mut("/definitions/RawExperiment/properties/year") {
        year["enum"] = Value::Array(years);
    }
    // Arm metrics, then the comparison-only ones (the table's order).
    let metrics: Vec<String> = Metric::arm_metrics()
        .chain(Metric::comparison_metrics().filter(|m| !m.is_arm()))
        .map(Metric::key)
        .collect();
    if let Some(metric) = value.pointer_mut("/definitions/RawExpect/properties/metric") {
        metric["enum"] = metrics.into_iter().map(Value::from).collect();
    }
    value
}

/// The scenario schema as pretty-printed JSON text with a final newline: the exact content of
/// `scenarios/schema.json`.
pub fn scenario_schema_json() -> String {
    let mut s = serde_json::to_string_pretty(&scenario_schema()).unwrap_or_default();
    s.push('\n');
    s
}

/// Optional keys are `Option<T>` in Rust, but TOML has no null: drop `null` from every `type`
/// list and `anyOf`, and drop `"default": null`. Also drops Rust-only number formats.
fn strip_null(v: &mut Value) {
    match v {
        Value::Object(map) => {
            if map.get("default") == Some(&Value::Null) {
                map.remove("default");
            }
            if let Some(Value::Array(types)) = map.get_mut("type") {
                types.retain(|t| t != "null");
                if types.len() == 1 {
                    let only = types[0].clone();
                    map.insert("type".into(), only);
                }
            }
            if let Some(Value::Array(any)) = map.get_mut("anyOf") {
                any.retain(|s| s.get("type") != Some(&Value::String("null".into())));
                if any.len() == 1 {
                    let only = any.remove(0);
                    map.remove("anyOf");
                    if only.get("$ref").is_some() {
                        // Draft 07 ignores the siblings of `$ref` (the description, say).
                        map.insert("allOf".into(), Value::Array(vec![only]));
                    } else {
                        merge_into(map, only);
                    }
                }
            }
            // `format: double / int64 / uint8 …` are Rust storage details, not JSON Schema
            // formats editors know.
            if map.get("format").and_then(Value::as_str).is_some_and(|f| {
                f == "double" || f == "float" || f.starts_with("int") || f.starts_with("uint")
            }) {
                map.remove("format");
            }
            if let Some(Value::Array(e)) = map.get_mut("enum") {
                e.retain(|x| !x.is_null());
            }
            for x in map.values_mut() {
                strip_null(x);
            }
        }
        Value::Array(a) => a.iter_mut().for_each(strip_null),
        _ => {}
    }
}

fn merge_into(map: &mut Map<String, Value>, sub: Value) {
    if let Value::Object(sub) = sub {
        for (k, x) in sub {
            map.entry(k).or_insert(x);
        }
    }
}

/// Schema of `month` in a shock: `"uniform"`, a month 1–12, or 12 weights.
pub(crate) fn month_schema(_: &mut SchemaGenerator) -> Schema {
    json_schema!({
        "description": "When: \"uniform\" (any month, the default), a month 1–12, or 12 weights for months 1–12.",
        "default": "uniform",
        "anyOf": [
            { "type": "string", "enum": ["uniform"], "description": "Any month, equally likely." },
            { "type": "integer", "minimum": 1, "maximum": 12, "description": "This month (1 = January)." },
            { "type": "array", "items": { "type": "number", "minimum": 0, "description": "Relative weight (not negative) of this month; the weights need a positive sum." }, "minItems": 12, "maxItems": 12, "description": "Relative weights of months 1–12." }
        ]
    })
}

/// A value read as an exact decimal: a number, or decimal text such as `"0.135"`.
pub(crate) struct NumberOrText;

impl JsonSchema for NumberOrText {
    fn schema_name() -> Cow<'static, str> {
        "NumberOrText".into()
    }

    fn inline_schema() -> bool {
        true
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "A number, or decimal text such as \"0.135\" (read exactly).",
            "type": ["number", "string"]
        })
    }
}

/// The `[sweep]` table, read by `toeslagenlab sweep` (`cli::sweep`) from the file itself.
pub(crate) struct SweepTable;

impl JsonSchema for SweepTable {
    fn schema_name() -> Cow<'static, str> {
        "SweepTable".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "The default grid of `toeslagenlab sweep`: the key and an exact decimal range from..to by step. Sweepable keys: arms.<name>.fraction, arms.<name>.takeup, experiment.households, parameters.<group>.<key>, and any numeric key of the scenario file (behaviour.selection.strength, shocks.<kind>.probability, …).",
            "type": "object",
            "properties": {
                "param": { "type": "string", "description": "The key to sweep, e.g. \"arms.cautious.fraction\"." },
                "from": { "type": ["number", "string"], "description": "First value (a number or decimal text)." },
                "to": { "type": ["number", "string"], "description": "Last value, inclusive when on the grid." },
                "step": { "type": ["number", "string"], "description": "Step, above 0." },
                "by": {
                    "description": "A second key: a two-way grid of both keys with a heat map per treatment arm (as `sweep --by`).",
                    "type": "object",
                    "properties": {
                        "param": { "type": "string", "description": "The second key, e.g. \"behaviour.selection.strength\"." },
                        "from": { "type": ["number", "string"], "description": "First value (a number or decimal text)." },
                        "to": { "type": ["number", "string"], "description": "Last value, inclusive when on the grid." },
                        "step": { "type": ["number", "string"], "description": "Step, above 0." }
                    },
                    "required": ["param", "from", "to", "step"],
                    "additionalProperties": false
                }
            },
            "required": ["param", "from", "to", "step"],
            "additionalProperties": false
        })
    }
}
