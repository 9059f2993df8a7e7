//! Dated rule parameters: every amount the rules use, with its unit and public source.
//!
//! Owns the parameter files `parameters/<year>.toml` (embedded in the binary at compile time),
//! scenario overrides ("reforms") and the typed views the rules read ([`Params`]).
//!
//! Must not: compute benefits, or hold an amount in code. A formula only ever sees values that
//! came from a parameter file or from a scenario override, and the report lists both.

use crate::money::{Money, Rate};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::str::FromStr;

/// The parameter files shipped in the binary, by year.
const EMBEDDED: &[(u16, &str)] = &[
    (2025, include_str!("../parameters/2025.toml")),
    (2026, include_str!("../parameters/2026.toml")),
];

/// The years for which parameter files are embedded.
pub fn known_years() -> Vec<u16> {
    EMBEDDED.iter().map(|(y, _)| *y).collect()
}

/// One parameter value with its provenance.
#[derive(Clone, Debug, Serialize)]
pub struct Param {
    /// The value (euros for money units, a fraction for rates, a count otherwise).
    pub value: Decimal,
    /// Unit: `EUR`, `EUR/year`, `EUR/month`, `fraction`, `months`.
    pub unit: String,
    /// Legal reference or official publication.
    pub source: String,
    /// True for values the domain notes mark as uncertain ([U]).
    pub uncertain: bool,
    /// The value from the parameter file when a scenario overrode it.
    pub overridden_from: Option<Decimal>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawParam {
    value: toml::Value,
    unit: String,
    source: String,
    #[serde(default)]
    uncertain: bool,
}

/// All parameters of one benefit year, grouped (`zorgtoeslag`, `kindgebonden_budget`, `awir`).
#[derive(Clone, Debug)]
pub struct ParameterSet {
    /// The benefit year.
    pub year: u16,
    /// group → key → parameter.
    pub groups: BTreeMap<String, BTreeMap<String, Param>>,
}

/// A scenario's change to one parameter.
#[derive(Clone, Debug, Serialize)]
pub struct Override {
    /// Parameter group, e.g. `zorgtoeslag`.
    pub group: String,
    /// Key inside the group, e.g. `normpremie_rate_above`.
    pub key: String,
    /// Value in the parameter file.
    pub from: Decimal,
    /// Value the scenario sets.
    pub to: Decimal,
    /// Unit of both values.
    pub unit: String,
}

/// Converts a TOML number (integer, float or numeric string) to an exact decimal. Floats go
/// through their shortest round-trip text, so `0.1373` stays `0.1373`.
pub fn decimal_from_toml(v: &toml::Value) -> Option<Decimal> {
    match v {
        toml::Value::Integer(i) => Some(Decimal::from(*i)),
        toml::Value::Float(f) if f.is_finite() => Decimal::from_str(&f.to_string())
            .or_else(|_| Decimal::from_scientific(&f.to_string()))
            .ok(),
        toml::Value::String(s) => Decimal::from_str(s.trim()).ok(),
        _ => None,
    }
}

impl ParameterSet {
    /// Loads the embedded parameter file for `year`.
    pub fn for_year(year: u16) -> Result<ParameterSet, String> {
        let text = EMBEDDED
            .iter()
            .find(|(y, _)| *y == year)
            .map(|(_, t)| *t)
            .ok_or_else(|| {
                format!(
                    "no parameters for benefit year {year}; known years: {}",
                    known_years()
                        .iter()
                        .map(|y| y.to_string())
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            })?;
        Self::parse(year, text).map_err(|e| format!("parameters/{year}.toml: {e}"))
    }

    /// Parses a parameter file's text.
    pub fn parse(year: u16, text: &str) -> Result<ParameterSet, String> {
        let doc: toml::Table = toml::from_str(text).map_err(|e| e.to_string())?;
        let mut groups = BTreeMap::new();
        for (group, table) in doc {
            if group == "meta" {
                continue;
            }
            let table = table
                .as_table()
                .ok_or_else(|| format!("[{group}] must be a table"))?;
            let mut params = BTreeMap::new();
            for (key, raw) in table {
                let raw: RawParam = raw
                    .clone()
                    .try_into()
                    .map_err(|e| format!("{group}.{key}: {e}"))?;
                let value = decimal_from_toml(&raw.value)
                    .ok_or_else(|| format!("{group}.{key}: value must be a number"))?;
                params.insert(
                    key.clone(),
                    Param {
                        value,
                        unit: raw.unit,
                        source: raw.source,
                        uncertain: raw.uncertain,
                        overridden_from: None,
                    },
                );
            }
            groups.insert(group, params);
        }
        Ok(ParameterSet { year, groups })
    }

    /// Looks a parameter up.
    pub fn get(&self, group: &str, key: &str) -> Option<&Param> {
        self.groups.get(group).and_then(|g| g.get(key))
    }

    /// Every `group.key` name, sorted.
    pub fn all_keys(&self) -> Vec<String> {
        self.groups
            .iter()
            .flat_map(|(g, ps)| ps.keys().map(move |k| format!("{g}.{k}")))
            .collect()
    }

    /// Applies a scenario override; the error says which keys exist.
    pub fn apply_override(
        &mut self,
        group: &str,
        key: &str,
        value: Decimal,
    ) -> Result<Override, String> {
        let Some(g) = self.groups.get_mut(group) else {
            return Err(format!(
                "unknown parameter group `{group}`; groups for {}: {}",
                self.year,
                self.groups.keys().cloned().collect::<Vec<_>>().join(", ")
            ));
        };
        let Some(p) = g.get_mut(key) else {
            return Err(format!(
                "unknown parameter `{group}.{key}`; keys in `{group}`: {}",
                g.keys().cloned().collect::<Vec<_>>().join(", ")
            ));
        };
        if value.is_sign_negative() {
            return Err(format!("parameter `{group}.{key}` must not be negative"));
        }
        if p.unit == "fraction" && value > Decimal::ONE {
            return Err(format!(
                "parameter `{group}.{key}` is a fraction: allowed 0 to 1, found {value}"
            ));
        }
        let ov = Override {
            group: group.to_string(),
            key: key.to_string(),
            from: p.value,
            to: value,
            unit: p.unit.clone(),
        };
        p.overridden_from = Some(p.value);
        p.value = value;
        Ok(ov)
    }

    /// Parameters marked uncertain, as `group.key`.
    pub fn uncertain(&self) -> Vec<(String, &Param)> {
        self.groups
            .iter()
            .flat_map(|(g, ps)| {
                ps.iter()
                    .filter(|(_, p)| p.uncertain)
                    .map(move |(k, p)| (format!("{g}.{k}"), p))
            })
            .collect()
    }

    fn money(&self, group: &str, key: &str) -> Result<Money, String> {
        let p = self.require(group, key)?;
        Money::from_decimal(p.value)
            .ok_or_else(|| format!("{group}.{key} = {} is not a whole number of cents", p.value))
    }

    fn rate(&self, group: &str, key: &str) -> Result<Rate, String> {
        let p = self.require(group, key)?;
        Rate::from_decimal(p.value)
            .ok_or_else(|| format!("{group}.{key} = {} has more than 9 decimals", p.value))
    }

    fn count(&self, group: &str, key: &str) -> Result<i64, String> {
        let p = self.require(group, key)?;
        if p.value.fract() != Decimal::ZERO {
            return Err(format!("{group}.{key} = {} must be whole", p.value));
        }
        i64::try_from(p.value).map_err(|e| format!("{group}.{key}: {e}"))
    }

    fn require(&self, group: &str, key: &str) -> Result<&Param, String> {
        self.get(group, key).ok_or_else(|| {
            format!(
                "parameters for {} lack `{group}.{key}`: this benefit cannot be computed for that year",
                self.year
            )
        })
    }

    /// The typed view the rules use.
    pub fn resolve(&self) -> Result<Params, String> {
        Ok(Params {
            year: self.year,
            zorgtoeslag: ZorgtoeslagParams {
                standaardpremie: self.money("zorgtoeslag", "standaardpremie")?,
                drempel: self.money("zorgtoeslag", "drempel")?,
                rate_single: self.rate("zorgtoeslag", "normpremie_rate_single")?,
                rate_partners: self.rate("zorgtoeslag", "normpremie_rate_partners")?,
                rate_above: self.rate("zorgtoeslag", "normpremie_rate_above")?,
                asset_limit_single: self.money("zorgtoeslag", "asset_limit_single")?,
                asset_limit_partners: self.money("zorgtoeslag", "asset_limit_partners")?,
            },
            kindgebonden_budget: KindgebondenBudgetParams {
                per_child: self.money("kindgebonden_budget", "per_child")?,
                supplement_12_15: self.money("kindgebonden_budget", "supplement_12_15")?,
                supplement_16_17: self.money("kindgebonden_budget", "supplement_16_17")?,
                alo_kop: self.money("kindgebonden_budget", "alo_kop")?,
                drempel_single: self.money("kindgebonden_budget", "drempel_single")?,
                drempel_partners: self.money("kindgebonden_budget", "drempel_partners")?,
                afbouw_rate: self.rate("kindgebonden_budget", "afbouw_rate")?,
                asset_limit_single: self.money("kindgebonden_budget", "asset_limit_single")?,
                asset_limit_partners: self.money("kindgebonden_budget", "asset_limit_partners")?,
            },
            awir: AwirParams {
                minimum_award: self.money("awir", "minimum_award")?,
                small_reclaim_threshold: self.money("awir", "small_reclaim_threshold")?,
                repayment_months: self.count("awir", "repayment_months")?.max(1),
                repayment_min_monthly: self.money("awir", "repayment_min_monthly")?,
            },
        })
    }
}

/// Typed parameters of one year, after overrides.
#[derive(Clone, Debug)]
pub struct Params {
    /// Benefit year.
    pub year: u16,
    /// Zorgtoeslag.
    pub zorgtoeslag: ZorgtoeslagParams,
    /// Kindgebonden budget.
    pub kindgebonden_budget: KindgebondenBudgetParams,
    /// Awir procedure.
    pub awir: AwirParams,
}

/// Zorgtoeslag parameters (RULES.md §1).
#[derive(Clone, Debug)]
pub struct ZorgtoeslagParams {
    /// Standard premium per adult per year.
    pub standaardpremie: Money,
    /// Threshold income (drempelinkomen).
    pub drempel: Money,
    /// Normpremie percentage of the threshold, single.
    pub rate_single: Rate,
    /// Normpremie percentage of the threshold, with partner.
    pub rate_partners: Rate,
    /// Normpremie percentage of income above the threshold.
    pub rate_above: Rate,
    /// Asset limit, single.
    pub asset_limit_single: Money,
    /// Asset limit, with partner.
    pub asset_limit_partners: Money,
}

/// Kindgebonden budget parameters (RULES.md §4).
#[derive(Clone, Debug)]
pub struct KindgebondenBudgetParams {
    /// Amount per child per year.
    pub per_child: Money,
    /// Supplement per child aged 12–15.
    pub supplement_12_15: Money,
    /// Supplement per child aged 16–17.
    pub supplement_16_17: Money,
    /// Single-parent supplement (alleenstaande-ouderkop).
    pub alo_kop: Money,
    /// Income threshold, single.
    pub drempel_single: Money,
    /// Income threshold, partners.
    pub drempel_partners: Money,
    /// Taper above the threshold.
    pub afbouw_rate: Rate,
    /// Asset limit, single.
    pub asset_limit_single: Money,
    /// Asset limit, with partner.
    pub asset_limit_partners: Money,
}

/// Awir procedure parameters (RULES.md §5).
#[derive(Clone, Debug)]
pub struct AwirParams {
    /// No award if the rounded annual amount is below this (art. 14(5)).
    pub minimum_award: Money,
    /// Reclaims up to and including this amount per benefit are not collected.
    pub small_reclaim_threshold: Money,
    /// Standard repayment plan length.
    pub repayment_months: i64,
    /// Minimum instalment of the standard repayment plan.
    pub repayment_min_monthly: Money,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_embedded_year_resolves_and_has_sources() {
        for y in known_years() {
            let set = ParameterSet::for_year(y).unwrap();
            set.resolve().unwrap();
            for (g, ps) in &set.groups {
                for (k, p) in ps {
                    assert!(p.source.len() > 10, "{y} {g}.{k} lacks a source");
                    assert!(!p.unit.is_empty(), "{y} {g}.{k} lacks a unit");
                }
            }
        }
    }

    #[test]
    fn unknown_year_lists_known_years() {
        let e = ParameterSet::for_year(2019).unwrap_err();
        assert!(e.contains("2025") && e.contains("2026"), "{e}");
    }

    #[test]
    fn override_changes_value_and_records_origin() {
        let mut set = ParameterSet::for_year(2026).unwrap();
        let ov = set
            .apply_override(
                "zorgtoeslag",
                "normpremie_rate_above",
                Decimal::from_str("0.14").unwrap(),
            )
            .unwrap();
        assert_eq!(ov.from.to_string(), "0.1373");
        assert_eq!(
            set.resolve().unwrap().zorgtoeslag.rate_above,
            Rate(140_000_000)
        );
        let e = set
            .apply_override("zorgtoeslag", "nope", Decimal::ONE)
            .unwrap_err();
        assert!(e.contains("normpremie_rate_above"), "{e}");
    }
}
