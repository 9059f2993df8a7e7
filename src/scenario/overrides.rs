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
    v
}

fn unknown_key(sc: &Scenario, key: &str, why: &str) -> Error {
    let mut msg = format!("cannot sweep `{key}`: {why}; allowed keys: ");
    msg.push_str(&allowed_keys(sc).join(", "));
    let mut cands: Vec<String> = allowed_keys(sc)
        .into_iter()
        .filter(|k| !k.contains('<'))
        .collect();
    cands.extend(
        sc.parameter_set
            .all_keys()
            .into_iter()
            .map(|k| format!("parameters.{k}")),
    );
    if let Some(best) = super::did_you_mean(key, &cands).filter(|b| b != key) {
        msg.push_str(&format!("; did you mean `{best}`?"));
    }
    Error::Usage(msg)
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
