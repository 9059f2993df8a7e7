//! Overrides applied to a loaded scenario: the command line's seed and household count, and
//! one `key = value` of a sweep grid.
//!
//! Must not: parse command lines or print; it returns the same errors as the loader.

use crate::error::{Error, Result};
use crate::model::money::Rate;
use crate::model::scenario::{Scenario, LEGAL_FLOOR};
use rust_decimal::Decimal;
use std::path::Path;

/// Loads a scenario and applies command-line overrides of seed and household count.
pub fn load_with_overrides(
    path: &Path,
    seed: Option<u64>,
    households: Option<i64>,
) -> Result<Scenario> {
    let mut sc = super::load(path)?;
    if let Some(s) = seed {
        sc.seed = s;
    }
    if let Some(n) = households {
        sc.households =
            super::check_households(n).map_err(|m| Error::Usage(format!("--households: {m}")))?;
    }
    Ok(sc)
}

/// The keys a sweep can vary for this scenario, for messages.
pub fn allowed_keys(sc: &Scenario) -> Vec<String> {
    let mut v = Vec::new();
    for (i, a) in sc.arms.iter().enumerate() {
        if a.policy.fixed_fraction().is_some() {
            v.push(format!("arms.{}.fraction", a.name));
        }
        if i > 0 {
            v.push(format!("arms.{}.takeup", a.name));
        }
    }
    v.push("experiment.households".into());
    v.push("parameters.<group>.<key> (see `toeslagenlab params`)".into());
    v.push("any numeric key of the scenario file (e.g. behaviour.selection.strength, shocks.income_change.probability, population.income.sigma)".into());
    v
}

fn unknown_key(sc: &Scenario, key: &str, why: &str) -> Error {
    let mut msg = format!("cannot sweep `{key}`: {why}; allowed keys: ");
    msg.push_str(&allowed_keys(sc).join(", "));
    msg.push_str(&suggestion(sc, key));
    Error::Usage(msg)
}

/// `; did you mean `arms.cautious.fraction`?` when a key set on the loaded scenario is close
/// to `key`, else nothing.
fn suggestion(sc: &Scenario, key: &str) -> String {
    let mut cands: Vec<String> = allowed_keys(sc)
        .into_iter()
        .filter(|k| !k.contains('<') && !k.contains(' '))
        .collect();
    cands.extend(
        sc.parameter_set
            .all_keys()
            .into_iter()
            .map(|k| format!("parameters.{k}")),
    );
    super::did_you_mean(key, &cands)
        .filter(|b| b != key)
        .map(|best| format!("; did you mean `{best}`?"))
        .unwrap_or_default()
}

/// The scenario with `key` set to `value` (one grid point of a sweep); errors name the key and the value.
pub fn apply(base: &Scenario, key: &str, value: Decimal) -> Result<Scenario> {
    let mut sc = base.clone();
    let parts: Vec<&str> = key.split('.').collect();
    let bad = |m: String| Error::Usage(format!("sweep `{key}` = {value}: {m}"));
    match parts.as_slice() {
        ["arms", name, field @ ("fraction" | "takeup")] => {
            let Some(i) = sc.arms.iter().position(|a| a.name == *name) else {
                return Err(unknown_key(
                    base,
                    key,
                    &format!(
                        "no arm `{name}` (arms: {})",
                        base.arms
                            .iter()
                            .map(|a| a.name.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                ));
            };
            if *field == "fraction" {
                let Some(fraction) = sc.arms[i].policy.fixed_fraction_mut() else {
                    return Err(unknown_key(
                        base,
                        key,
                        &format!(
                            "arm `{name}` has the {} policy; `fraction` belongs to cautious arms",
                            base.arms[i].policy.name()
                        ),
                    ));
                };
                if value <= Decimal::ZERO || value > Decimal::ONE {
                    return Err(bad(
                        "a fraction of the advance must be above 0 and at most 1".into(),
                    ));
                }
                let r = Rate::from_decimal(value)
                    .ok_or_else(|| bad("a fraction has at most 9 decimals".into()))?;
                if r < LEGAL_FLOOR && !base.arms[i].allow_below_legal_floor {
                    return Err(bad(format!(
                        "below the legal floor of 0.70; to model it anyway, set `allow_below_legal_floor = true` in arm `{name}`"
                    )));
                }
                *fraction = r;
            } else {
                if i == 0 {
                    return Err(unknown_key(
                        base,
                        key,
                        "the control arm has no offer to take up",
                    ));
                }
                if value < Decimal::ZERO || value > Decimal::ONE {
                    return Err(bad("a take-up share must be between 0 and 1".into()));
                }
                sc.arms[i].takeup = Rate::from_decimal(value)
                    .ok_or_else(|| bad("a take-up share has at most 9 decimals".into()))?
                    .to_f64();
            }
        }
        ["experiment", "households"] => {
            if value.fract() != Decimal::ZERO {
                return Err(bad("a household count must be whole".into()));
            }
            let n = i64::try_from(value).map_err(|_| bad("too large".into()))?;
            sc.households = super::check_households(n).map_err(bad)?;
        }
        ["parameters", group, k] => {
            let o = sc
                .parameter_set
                .apply_override(group, k, value)
                .map_err(|m| unknown_key(base, key, &m))?;
            sc.params = sc.parameter_set.resolve().map_err(bad)?;
            sc.overrides
                .retain(|x| !(x.group == o.group && x.key == o.key));
            sc.overrides.push(o);
        }
        _ => return Err(unknown_key(base, key, "not a sweepable key")),
    }
    Ok(sc)
}

/// The keys [`apply`] sets on the loaded scenario directly; every other key is set in the
/// scenario file's text, which is then loaded again.
fn is_direct(key: &str) -> bool {
    let parts: Vec<&str> = key.split('.').collect();
    matches!(
        parts.as_slice(),
        ["arms", _, "fraction" | "takeup"] | ["experiment", "households"] | ["parameters", _, _]
    )
}

/// One step of a key into the scenario file's TOML: a table key, an array element by index
/// (`shocks[2]`), or an array-of-tables element by its `name` or `kind` (`arms.cautious`,
/// `shocks.child_born`).
fn key_steps(key: &str) -> Vec<String> {
    let mut steps = Vec::new();
    for part in key.split('.') {
        let mut rest = part;
        if let Some(i) = rest.find('[') {
            if i > 0 {
                steps.push(rest[..i].to_string());
            }
            rest = &rest[i..];
            while let Some(stripped) = rest.strip_prefix('[') {
                let end = stripped.find(']').unwrap_or(stripped.len());
                steps.push(format!("[{}]", &stripped[..end]));
                rest = stripped.get(end + 1..).unwrap_or("");
            }
        } else {
            steps.push(rest.to_string());
        }
    }
    steps
}

/// The element of an array of tables that `step` names: `[i]`, or the one table whose `name`
/// or `kind` is `step`.
fn array_element<'a>(
    arr: &'a mut [toml::Value],
    step: &str,
    at: &str,
) -> std::result::Result<&'a mut toml::Value, String> {
    if let Some(i) = step.strip_prefix('[').and_then(|s| s.strip_suffix(']')) {
        let n = arr.len();
        let i: usize = i
            .parse()
            .map_err(|_| format!("`{step}` is not an index into `{at}`"))?;
        return arr
            .get_mut(i)
            .ok_or_else(|| format!("`{at}` has {n} entries; `[{i}]` is past the last"));
    }
    let named = |v: &toml::Value, field: &str| v.get(field).and_then(|x| x.as_str()) == Some(step);
    let hits: Vec<usize> = (0..arr.len())
        .filter(|&i| named(&arr[i], "name") || named(&arr[i], "kind"))
        .collect();
    match hits.as_slice() {
        [i] => Ok(&mut arr[*i]),
        [] => {
            let names: Vec<String> = arr
                .iter()
                .filter_map(|v| {
                    v.get("name")
                        .or_else(|| v.get("kind"))
                        .and_then(|x| x.as_str())
                        .map(String::from)
                })
                .collect();
            Err(format!(
                "the file has no `{at}` entry named `{step}` (it has: {})",
                names.join(", ")
            ))
        }
        several => Err(format!(
            "{} `{at}` entries are named `{step}`; name one by its place, e.g. `{at}[{}]`",
            several.len(),
            several[0]
        )),
    }
}

/// The place of `key` in the scenario file's TOML; `create` makes missing tables (a missing
/// last key is always allowed: [`set_in_file`] writes it).
fn place<'a>(
    root: &'a mut toml::Table,
    key: &str,
) -> std::result::Result<(&'a mut toml::Table, String), String> {
    let steps = key_steps(key);
    let Some((last, path)) = steps.split_last() else {
        return Err("an empty key".into());
    };
    if last.starts_with('[') {
        return Err("the key must end in a field name".into());
    }
    let mut table = root;
    let mut at = String::new();
    let mut i = 0;
    while i < path.len() {
        let step = &path[i];
        if step.starts_with('[') {
            return Err(format!("`{step}` must follow an array's name"));
        }
        let here = if at.is_empty() {
            step.clone()
        } else {
            format!("{at}.{step}")
        };
        let entry = table
            .entry(step.clone())
            .or_insert_with(|| toml::Value::Table(toml::Table::new()));
        let value = match entry {
            toml::Value::Array(arr) => {
                let Some(next) = path.get(i + 1) else {
                    return Err(format!(
                        "`{here}` is a list; name an entry, e.g. `{here}.<name>.{last}` or `{here}[0].{last}`"
                    ));
                };
                i += 1;
                array_element(arr, next, &here)?
            }
            v => v,
        };
        match value {
            toml::Value::Table(t) => table = t,
            _ => return Err(format!("`{here}` is not a table")),
        }
        at = here;
        i += 1;
    }
    Ok((table, last.clone()))
}

/// The value of `key` as the scenario file writes it (`None` when the file leaves it to its
/// default).
pub fn value_in_file(sc: &Scenario, key: &str) -> Result<Option<toml::Value>> {
    let mut root: toml::Table = toml::from_str(&sc.text)
        .map_err(|e| Error::Internal(format!("re-reading {}: {e}", sc.path.display())))?;
    // `place` creates missing tables; that does not change what the file says.
    let (t, last) = place(&mut root, key).map_err(|m| key_error(sc, key, &m))?;
    Ok(t.get(&last).cloned())
}

fn key_error(sc: &Scenario, key: &str, m: &str) -> Error {
    Error::Usage(format!(
        "cannot set `{key}` in {}: {m}; allowed keys: {}{}",
        sc.path.display(),
        allowed_keys(sc).join(", "),
        suggestion(sc, key)
    ))
}

/// `root` with `key` set to `value`, written as the file wrote the old value (a whole number
/// where it had one, decimal text where it had text).
fn set_in_file(
    root: &mut toml::Table,
    key: &str,
    value: Decimal,
) -> std::result::Result<(), String> {
    let (t, last) = place(root, key)?;
    let new = match t.get(&last) {
        Some(toml::Value::Integer(_)) => {
            if value.fract() != Decimal::ZERO {
                return Err(format!(
                    "{value} is not a whole number (the file writes `{key}` as one)"
                ));
            }
            toml::Value::Integer(i64::try_from(value).map_err(|_| "too large".to_string())?)
        }
        Some(toml::Value::String(_)) => toml::Value::String(value.normalize().to_string()),
        Some(toml::Value::Float(_)) | None => {
            use rust_decimal::prelude::ToPrimitive;
            toml::Value::Float(value.to_f64().ok_or_else(|| "not a number".to_string())?)
        }
        Some(other) => {
            return Err(format!(
                "the file's `{key}` is a {}, not a number",
                other.type_str()
            ))
        }
    };
    t.insert(last, new);
    Ok(())
}

/// The scenario with every `(key, value)` set: the keys [`apply`] knows directly, and any
/// other numeric key of the scenario file (population, behaviour, selection, shocks,
/// interventions, …), which is set in the file's text and loaded again (so the loader checks
/// the new value as it checks the file). The command line's seed and household count of
/// `base` are kept. Errors name the key and the value.
pub fn apply_all(base: &Scenario, values: &[(String, Decimal)]) -> Result<Scenario> {
    let (direct, in_file): (Vec<_>, Vec<_>) = values.iter().partition(|(k, _)| is_direct(k));
    let mut sc = if in_file.is_empty() {
        base.clone()
    } else {
        let mut root: toml::Table = toml::from_str(&base.text)
            .map_err(|e| Error::Internal(format!("re-reading {}: {e}", base.path.display())))?;
        for (k, v) in &in_file {
            set_in_file(&mut root, k, *v).map_err(|m| key_error(base, k, &m))?;
        }
        let text = toml::to_string(&root)
            .map_err(|e| Error::Internal(format!("writing the changed scenario: {e}")))?;
        let what = in_file
            .iter()
            .map(|(k, v)| format!("{k} = {v}"))
            .collect::<Vec<_>>()
            .join(", ");
        let mut sc =
            super::parse_str(&base.path, &text, base.sha256.clone()).map_err(|e| match e {
                Error::Input(ds) => Error::Usage(
                    format!(
                        "cannot set {what} in {}: {}; allowed keys: {}",
                        base.path.display(),
                        ds.iter()
                            .map(|d| match &d.key {
                                Some(k) => format!("`{k}`: {}", d.message),
                                None => d.message.clone(),
                            })
                            .collect::<Vec<_>>()
                            .join("; "),
                        allowed_keys(base).join(", ")
                    ) + &in_file
                        .iter()
                        .map(|(k, _)| suggestion(base, k))
                        .collect::<String>(),
                ),
                e => e,
            })?;
        sc.seed = base.seed;
        sc.households = base.households;
        sc.replications = base.replications;
        sc.text = base.text.clone();
        sc
    };
    for (k, v) in direct {
        sc = apply(&sc, k, *v)?;
    }
    Ok(sc)
}

/// The value `key` has in `sc`: the arm, household count or parameter in force, or the
/// scenario file's value for any other key (`None` when the file leaves it to its default).
pub fn current_value(sc: &Scenario, key: &str) -> Result<Option<f64>> {
    use rust_decimal::prelude::ToPrimitive;
    let parts: Vec<&str> = key.split('.').collect();
    match parts.as_slice() {
        ["arms", name, field @ ("fraction" | "takeup")] => {
            let arm = sc.arms.iter().find(|a| a.name == *name);
            Ok(arm.and_then(|a| {
                if *field == "takeup" {
                    Some(a.takeup)
                } else {
                    a.policy.fixed_fraction().map(|r| r.to_f64())
                }
            }))
        }
        ["experiment", "households"] => Ok(Some(sc.households as f64)),
        ["parameters", g, k] => Ok(sc.parameter_set.get(g, k).and_then(|p| p.value.to_f64())),
        _ => Ok(value_in_file(sc, key)?.and_then(|v| match v {
            toml::Value::Integer(i) => Some(i as f64),
            toml::Value::Float(f) => Some(f),
            toml::Value::String(s) => s.trim().parse().ok(),
            _ => None,
        })),
    }
}

/// Checks a scenario's `[uncertainty]` table against the scenario: every key has a value in
/// the scenario (its central value, which the range must contain) and the scenario loads with
/// the range's lowest and highest value. Marks the keys the file writes as whole numbers.
/// Returns the central values, in the table's order.
pub fn check_uncertainty(sc: &mut Scenario) -> Result<Vec<f64>> {
    let Some(mut spec) = sc.uncertainty.clone() else {
        return Ok(Vec::new());
    };
    let mut central = Vec::new();
    let mut problems: Vec<(usize, String)> = Vec::new();
    for (i, a) in spec.assumptions.iter_mut().enumerate() {
        let c = match current_value(sc, &a.key) {
            Ok(Some(c)) => c,
            Ok(None) => {
                problems.push((i, format!(
                    "`{}`: the scenario leaves it to its default; write its value into the file so the analysis has a stated central value",
                    a.key
                )));
                continue;
            }
            Err(e) => {
                problems.push((i, e.to_string()));
                continue;
            }
        };
        if !is_direct(&a.key) {
            a.integer = matches!(value_in_file(sc, &a.key), Ok(Some(toml::Value::Integer(_))));
        }
        let (lo, hi) = (a.distribution.low(), a.distribution.high());
        if c < lo - 1e-12 || c > hi + 1e-12 {
            problems.push((i, format!(
                "`{}`: the range {lo} to {hi} does not contain the scenario's value {c}; the scenario's value is the analysis's central point",
                a.key
            )));
        }
        for x in [lo, hi] {
            let v = crate::model::uncertainty::round_value(x, a.integer);
            let d = Decimal::from_f64_retain(v)
                .map(|d| d.round_dp(9))
                .unwrap_or_default();
            if let Err(e) = apply_all(sc, &[(a.key.clone(), d)]) {
                problems.push((i, e.to_string()));
                break;
            }
        }
        central.push(c);
    }
    if !problems.is_empty() {
        return Err(Error::Input(
            problems
                .into_iter()
                .map(|(i, message)| {
                    let key = format!("uncertainty.assumptions[{i}].key");
                    let (line, col) = super::locate(&sc.text, &key).unzip();
                    crate::error::Diagnostic {
                        file: sc.path.clone(),
                        line,
                        col,
                        key: Some(key),
                        message,
                    }
                })
                .collect(),
        ));
    }
    sc.uncertainty = Some(spec);
    Ok(central)
}
