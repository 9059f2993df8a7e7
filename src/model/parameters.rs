//! Dated rule parameters: every amount the rules use, with its unit and public source.
//!
//! Owns the parameter files `parameters/<year>.toml` (embedded in the binary at compile time),
//! scenario overrides ("reforms") and the typed views the rules read ([`Params`]).
//!
//! Must not: compute benefits, or hold an amount in code. A formula only ever sees values that
//! came from a parameter file or from a scenario override, and the report lists both.

use crate::model::money::{Money, Rate};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::str::FromStr;

/// The parameter files shipped in the binary, by year.
const EMBEDDED: &[(u16, &str)] = &[
    (2024, include_str!("../../parameters/2024.toml")),
    (2025, include_str!("../../parameters/2025.toml")),
    (2026, include_str!("../../parameters/2026.toml")),
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
    /// True for values the domain notes mark as uncertain (`[U]`).
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

/// All parameters of one benefit year, grouped (`zorgtoeslag`, `huurtoeslag`,
/// `kinderopvangtoeslag`, `kindgebonden_budget`, `awir`), plus tables such as the childcare
/// percentage table.
#[derive(Clone, Debug)]
pub struct ParameterSet {
    /// The benefit year.
    pub year: u16,
    /// group → key → parameter.
    pub groups: BTreeMap<String, BTreeMap<String, Param>>,
    /// Tables by name (`kinderopvangtoeslag_table`).
    pub tables: BTreeMap<String, PercentageTable>,
    /// Benefits the file says it cannot compute (`[meta.unavailable]`), with the reason.
    pub unavailable: BTreeMap<String, String>,
}

/// The name of the childcare percentage table in a parameter file.
pub const KOT_TABLE: &str = "kinderopvangtoeslag_table";

/// One row of a percentage table: an income band and the two percentages.
#[derive(Clone, Debug, Serialize)]
pub struct TableRow {
    /// Lowest joint assessed income of the band, whole euros (inclusive).
    pub from: i64,
    /// Highest income of the band, whole euros (inclusive); `None` for the last, open band.
    pub to: Option<i64>,
    /// Percentage for the first child (fraction).
    pub first: Decimal,
    /// Percentage for every further child (fraction).
    pub next: Decimal,
    /// The next-children value is an interpolation between anchors, not a found value.
    pub next_interpolated: bool,
    /// The band's bounds are guessed (equal-width), not found.
    pub bounds_interpolated: bool,
    /// A remark on this row (which alternative was chosen, and why).
    pub note: Option<String>,
}

/// A table of income bands with its provenance. `summary` carries the unit, source and the
/// `uncertain` flag, so the table shows up in [`ParameterSet::uncertain`] (and so in every
/// report's assumptions) like any uncertain scalar; its value is the number of rows.
#[derive(Clone, Debug, Serialize)]
pub struct PercentageTable {
    /// The rows, ascending and contiguous from 0.
    pub rows: Vec<TableRow>,
    /// Provenance: value = number of rows, unit, source, uncertain.
    pub summary: Param,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTable {
    unit: String,
    source: String,
    #[serde(default)]
    uncertain: bool,
    rows: Vec<RawRow>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRow {
    from: i64,
    #[serde(default)]
    to: Option<i64>,
    first: toml::Value,
    next: toml::Value,
    #[serde(default)]
    next_interpolated: bool,
    #[serde(default)]
    bounds_interpolated: bool,
    #[serde(default)]
    note: Option<String>,
}

fn parse_table(name: &str, raw: RawTable) -> Result<PercentageTable, String> {
    let mut rows = Vec::with_capacity(raw.rows.len());
    let mut expect_from = 0i64;
    let n = raw.rows.len();
    for (i, r) in raw.rows.into_iter().enumerate() {
        let at = format!("{name}.rows[{i}]");
        if r.from != expect_from {
            return Err(format!(
                "{at}: `from` = {} but the previous band ends at {}; bands must be contiguous from 0",
                r.from,
                expect_from - 1
            ));
        }
        match (r.to, i + 1 == n) {
            (Some(to), _) if to < r.from => {
                return Err(format!("{at}: `to` = {to} is below `from` = {}", r.from))
            }
            (Some(to), _) => expect_from = to + 1,
            (None, true) => {}
            (None, false) => return Err(format!("{at}: only the last band may leave out `to`")),
        }
        let frac = |v: &toml::Value, k: &str| -> Result<Decimal, String> {
            let d = decimal_from_toml(v).ok_or_else(|| format!("{at}.{k}: must be a number"))?;
            if d.is_sign_negative() || d > Decimal::ONE {
                return Err(format!("{at}.{k}: a fraction between 0 and 1, found {d}"));
            }
            Ok(d)
        };
        rows.push(TableRow {
            from: r.from,
            to: r.to,
            first: frac(&r.first, "first")?,
            next: frac(&r.next, "next")?,
            next_interpolated: r.next_interpolated,
            bounds_interpolated: r.bounds_interpolated,
            note: r.note,
        });
    }
    if rows.is_empty() {
        return Err(format!("{name}: the table has no rows"));
    }
    Ok(PercentageTable {
        summary: Param {
            value: Decimal::from(rows.len()),
            unit: format!("table rows; {}", raw.unit),
            source: raw.source,
            uncertain: raw.uncertain,
            overridden_from: None,
        },
        rows,
    })
}

/// A scenario's change to one parameter.
#[derive(Clone, Debug, Serialize, Deserialize)]
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
        let mut tables = BTreeMap::new();
        let mut unavailable = BTreeMap::new();
        for (group, table) in doc {
            if group == "meta" {
                if let Some(u) = table.get("unavailable").and_then(|u| u.as_table()) {
                    for (benefit, reason) in u {
                        let reason = reason.as_str().ok_or_else(|| {
                            format!("meta.unavailable.{benefit}: must be a text giving the reason")
                        })?;
                        unavailable.insert(benefit.clone(), reason.to_string());
                    }
                }
                continue;
            }
            let table = table
                .as_table()
                .ok_or_else(|| format!("[{group}] must be a table"))?;
            if table.contains_key("rows") {
                let raw: RawTable = toml::Value::Table(table.clone())
                    .try_into()
                    .map_err(|e| format!("{group}: {e}"))?;
                tables.insert(group.clone(), parse_table(&group, raw)?);
                continue;
            }
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
        Ok(ParameterSet {
            year,
            groups,
            tables,
            unavailable,
        })
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
        if self.tables.contains_key(group) {
            return Err(format!(
                "`{group}` is a table of income bands; a scenario cannot override it value by value (edit a copy of parameters/{}.toml instead)",
                self.year
            ));
        }
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

    /// Parameters marked uncertain, as `group.key`, then uncertain tables by name (their
    /// summary: value = number of rows, source = provenance).
    pub fn uncertain(&self) -> Vec<(String, &Param)> {
        self.groups
            .iter()
            .flat_map(|(g, ps)| {
                ps.iter()
                    .filter(|(_, p)| p.uncertain)
                    .map(move |(k, p)| (format!("{g}.{k}"), p))
            })
            .chain(
                self.tables
                    .iter()
                    .filter(|(_, t)| t.summary.uncertain)
                    .map(|(name, t)| (name.clone(), &t.summary)),
            )
            .collect()
    }

    /// `Ok(())` when the file has what `benefit` (a group name) needs; else the reason.
    pub fn availability(&self, benefit: &str) -> Result<(), String> {
        if let Some(reason) = self.unavailable.get(benefit) {
            return Err(format!(
                "{benefit} cannot be computed for {}: {reason}",
                self.year
            ));
        }
        if !self.groups.contains_key(benefit) {
            return Err(format!(
                "{benefit} cannot be computed for {}: parameters/{}.toml has no [{benefit}] values",
                self.year, self.year
            ));
        }
        if benefit == "kinderopvangtoeslag" && !self.tables.contains_key(KOT_TABLE) {
            return Err(format!(
                "kinderopvangtoeslag cannot be computed for {}: parameters/{}.toml has no [{KOT_TABLE}]",
                self.year, self.year
            ));
        }
        Ok(())
    }

    /// A group's typed view when the benefit is available; the reason when it is not. A
    /// group that is present but incomplete is an error of the file (`Err` outside).
    fn optional<T>(
        &self,
        benefit: &str,
        build: impl FnOnce() -> Result<T, String>,
    ) -> Result<Result<T, String>, String> {
        match self.availability(benefit) {
            Ok(()) => build().map(Ok),
            Err(reason) => Ok(Err(reason)),
        }
    }

    fn kot_table(&self) -> Result<Vec<KotRow>, String> {
        let t = self
            .tables
            .get(KOT_TABLE)
            .ok_or_else(|| format!("parameters for {} lack `{KOT_TABLE}`", self.year))?;
        t.rows
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let rate = |d: Decimal, k: &str| {
                    Rate::from_decimal(d).ok_or_else(|| {
                        format!("{KOT_TABLE}.rows[{i}].{k} = {d} has more than 9 decimals")
                    })
                };
                Ok(KotRow {
                    from: Money::euros(r.from),
                    first: rate(r.first, "first")?,
                    next: rate(r.next, "next")?,
                })
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

    /// A yes/no parameter written as 1 or 0.
    fn flag(&self, group: &str, key: &str) -> Result<bool, String> {
        match self.count(group, key)? {
            0 => Ok(false),
            1 => Ok(true),
            v => Err(format!("{group}.{key} = {v} must be 1 (yes) or 0 (no)")),
        }
    }

    /// A normhuur coefficient, exact in units of 10^-12 (at most 12 decimals).
    fn coefficient(&self, group: &str, key: &str) -> Result<i128, String> {
        let p = self.require(group, key)?;
        let scaled = p
            .value
            .checked_mul(Decimal::from(NORMHUUR_SCALE))
            .filter(|d| d.fract() == Decimal::ZERO)
            .ok_or_else(|| format!("{group}.{key} = {} has more than 12 decimals", p.value))?;
        i128::try_from(scaled).map_err(|e| format!("{group}.{key}: {e}"))
    }

    /// How the basishuur is set: a fixed amount with a linear phase-out (2026 structure) when
    /// the file has `basishuur_single`, else the normhuur formula of the years before 2026.
    fn basishuur_rule(&self) -> Result<BasishuurRule, String> {
        let g = "huurtoeslag";
        if self.get(g, "basishuur_single").is_some() {
            return Ok(BasishuurRule::Fixed {
                single: self.money(g, "basishuur_single")?,
                multi: self.money(g, "basishuur_multi")?,
                ijkpunt_single: self.money(g, "ijkpunt_single")?,
                ijkpunt_multi: self.money(g, "ijkpunt_multi")?,
                phase_rate_single: self.rate(g, "phase_rate_single")?,
                phase_rate_multi: self.rate(g, "phase_rate_multi")?,
            });
        }
        let formula = |t: &str| -> Result<NormhuurFormula, String> {
            Ok(NormhuurFormula {
                a: self.coefficient(g, &format!("normhuur_a_{t}"))?,
                b: self.coefficient(g, &format!("normhuur_b_{t}"))?,
                min_income: self.money(g, &format!("normhuur_min_income_{t}"))?,
                min_basishuur: self.money(g, &format!("basishuur_min_{t}"))?,
            })
        };
        Ok(BasishuurRule::Normhuur {
            single: formula("single")?,
            multi: formula("multi")?,
            reduction: self.money(g, "basishuur_reduction")?,
        })
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
            huurtoeslag: self.optional("huurtoeslag", || {
                let g = "huurtoeslag";
                Ok(HuurtoeslagParams {
                    basishuur: self.basishuur_rule()?,
                    kwaliteitskortingsgrens: self.money(g, "kwaliteitskortingsgrens")?,
                    aftoppingsgrens_low: self.money(g, "aftoppingsgrens_low")?,
                    aftoppingsgrens_high: self.money(g, "aftoppingsgrens_high")?,
                    aftoppingsgrens_high_from_persons: self
                        .count(g, "aftoppingsgrens_high_from_persons")?,
                    rekengrens: self.money(g, "rekengrens")?,
                    rent_above_rekengrens_excluded: match self
                        .get(g, "rent_above_rekengrens_excluded")
                    {
                        None => false,
                        Some(_) => self.flag(g, "rent_above_rekengrens_excluded")?,
                    },
                    rate_a: self.rate(g, "rate_a")?,
                    rate_b: self.rate(g, "rate_b")?,
                    rate_c: self.rate(g, "rate_c")?,
                    rate_c_multi: match self.get(g, "rate_c_multi") {
                        None => self.rate(g, "rate_c")?,
                        Some(_) => self.rate(g, "rate_c_multi")?,
                    },
                    asset_limit_single: self.money(g, "asset_limit_single")?,
                    asset_limit_partners: self.money(g, "asset_limit_partners")?,
                    co_resident_exempt_income: self.money(g, "co_resident_exempt_income")?,
                    co_resident_exempt_below_age: self.count(g, "co_resident_exempt_below_age")?,
                    months_per_year: self.count(g, "months_per_year")?,
                    youth_age_below: self.count(g, "youth_age_below")?,
                    asset_limit_co_resident: self.money(g, "asset_limit_co_resident")?,
                })
            })?,
            kinderopvangtoeslag: self.optional("kinderopvangtoeslag", || {
                let g = "kinderopvangtoeslag";
                Ok(KinderopvangtoeslagParams {
                    max_price: [
                        self.money(g, "max_price_dagopvang")?,
                        self.money(g, "max_price_bso")?,
                        self.money(g, "max_price_gastouder")?,
                    ],
                    max_hours_per_month: self.count(g, "max_hours_per_month")?,
                    table: self.kot_table()?,
                })
            })?,
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
    /// Huurtoeslag, or why it cannot be computed for this year.
    pub huurtoeslag: Result<HuurtoeslagParams, String>,
    /// Kinderopvangtoeslag, or why it cannot be computed for this year.
    pub kinderopvangtoeslag: Result<KinderopvangtoeslagParams, String>,
    /// Awir procedure.
    pub awir: AwirParams,
}

/// Zorgtoeslag parameters (docs/rules.md §1).
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

/// Kindgebonden budget parameters (docs/rules.md §4).
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

/// Scale of the normhuur coefficients: `a` and `b` are stored as integers of 10^-12.
pub const NORMHUUR_SCALE: i64 = 1_000_000_000_000;

/// The normhuur formula of one household type (Wet op de huurtoeslag before 2026, art. 16–19;
/// docs/rules.md §2): `normhuur = a × Y² + b × Y` (Y in euros a year) above `min_income`,
/// rounded up to the cent, less the basishuur reduction, never below `min_basishuur`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NormhuurFormula {
    /// Coefficient of Y², in units of 10^-12 per euro.
    pub a: i128,
    /// Coefficient of Y, in units of 10^-12.
    pub b: i128,
    /// Up to this income the minimum basishuur applies (minimum-inkomensijkpunt).
    pub min_income: Money,
    /// The minimum basishuur per month, after the reduction.
    pub min_basishuur: Money,
}

/// How the basishuur (the rent the household pays itself) is set.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BasishuurRule {
    /// 2026 structure: a fixed basishuur per household type, and the monthly amount falls by
    /// `phase_rate × max(0, Y − ijkpunt) / 12`.
    Fixed {
        /// Basishuur, one-person household.
        single: Money,
        /// Basishuur, multi-person household.
        multi: Money,
        /// Income ijkpunt per year, one-person household.
        ijkpunt_single: Money,
        /// Income ijkpunt per year, multi-person household.
        ijkpunt_multi: Money,
        /// Income phase-out rate, one-person household.
        phase_rate_single: Rate,
        /// Income phase-out rate, multi-person household.
        phase_rate_multi: Rate,
    },
    /// Before 2026: the basishuur rises with income (normhuur formula), no separate phase-out.
    Normhuur {
        /// One-person household.
        single: NormhuurFormula,
        /// Multi-person household.
        multi: NormhuurFormula,
        /// Monthly reduction of every basishuur (Wet verlaging eigen bijdrage huurtoeslag).
        reduction: Money,
    },
}

/// Huurtoeslag parameters (docs/rules.md §2): the 2026 structure or the normhuur structure of
/// the years before. Amounts per month unless named otherwise.
#[derive(Clone, Debug)]
pub struct HuurtoeslagParams {
    /// How the basishuur is set.
    pub basishuur: BasishuurRule,
    /// Kwaliteitskortingsgrens (end of part A).
    pub kwaliteitskortingsgrens: Money,
    /// Aftoppingsgrens for smaller households (end of part B).
    pub aftoppingsgrens_low: Money,
    /// Aftoppingsgrens for larger households.
    pub aftoppingsgrens_high: Money,
    /// Household size from which the higher aftoppingsgrens applies.
    pub aftoppingsgrens_high_from_persons: i64,
    /// Rekengrens (maximale huurgrens): the rent counted is capped here.
    pub rekengrens: Money,
    /// Before 2026 the maximum rent was a condition: a rent above it (above the
    /// kwaliteitskortingsgrens under the youth limit) gives no huurtoeslag at all.
    pub rent_above_rekengrens_excluded: bool,
    /// Share of part A paid.
    pub rate_a: Rate,
    /// Share of part B paid.
    pub rate_b: Rate,
    /// Share of part C paid (one-person households; all households in 2026).
    pub rate_c: Rate,
    /// Share of part C paid to multi-person households (before 2026 only one-person and
    /// pension-age households got part C).
    pub rate_c_multi: Rate,
    /// Asset limit, single.
    pub asset_limit_single: Money,
    /// Asset limit, with partner.
    pub asset_limit_partners: Money,
    /// Annual income of a young co-resident that does not count.
    pub co_resident_exempt_income: Money,
    /// Co-residents younger than this get the exempt amount.
    pub co_resident_exempt_below_age: i64,
    /// Months in the year: annual = this × monthly (then Awir rounding).
    pub months_per_year: i64,
    /// Youth limit: when the applicant, the partner and every co-resident are younger than
    /// this and no child lives in the household, the rent counts only up to the
    /// kwaliteitskortingsgrens.
    pub youth_age_below: i64,
    /// Assets on 1 January above which a co-resident's own assets remove the rent benefit.
    pub asset_limit_co_resident: Money,
}

/// One income band of the childcare percentage table, in typed form.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct KotRow {
    /// Lowest joint assessed income of the band.
    pub from: Money,
    /// Percentage for the first child.
    pub first: Rate,
    /// Percentage for every further child.
    pub next: Rate,
}

/// Kinderopvangtoeslag parameters (docs/rules.md §3).
#[derive(Clone, Debug)]
pub struct KinderopvangtoeslagParams {
    /// Maximum hourly price by type, in `rules::CareType` order (dagopvang, bso,
    /// gastouder).
    pub max_price: [Money; 3],
    /// Hours per child per month that count at most.
    pub max_hours_per_month: i64,
    /// The percentage table, ascending by `from` (contiguous from 0).
    pub table: Vec<KotRow>,
}

impl KinderopvangtoeslagParams {
    /// The band for a joint assessed income: the last row whose `from` ≤ the income in whole
    /// euros (bands are inclusive whole-euro ranges, so cents below the next bound stay in the
    /// band).
    pub fn row(&self, income: Money) -> KotRow {
        let euros = Money::euros(income.0.div_euclid(crate::model::money::CENTS_PER_EURO));
        let i = self.table.partition_point(|r| r.from <= euros);
        self.table[i.saturating_sub(1)]
    }
}

/// Awir procedure parameters (docs/rules.md §5).
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
    fn the_reconstructed_childcare_table_is_listed_as_uncertain() {
        for y in [2025, 2026] {
            let set = ParameterSet::for_year(y).unwrap();
            let u = set.uncertain();
            let (_, p) = u
                .iter()
                .find(|(k, _)| k == KOT_TABLE)
                .expect("table in the uncertain list");
            assert!(p.source.contains("RECONSTRUCTED"), "{}", p.source);
        }
        let mut set = ParameterSet::for_year(2026).unwrap();
        let e = set
            .apply_override(KOT_TABLE, "rows", Decimal::ONE)
            .unwrap_err();
        assert!(e.contains("table"), "{e}");
    }

    #[test]
    fn a_gap_in_a_table_is_an_error() {
        let text = "[t]\nunit = \"x\"\nsource = \"s\"\nrows = [ { from = 0, to = 10, first = 0.5, next = 0.5 }, { from = 12, first = 0.4, next = 0.4 } ]\n";
        let e = ParameterSet::parse(2026, text).unwrap_err();
        assert!(e.contains("t.rows[1]") && e.contains("contiguous"), "{e}");
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
