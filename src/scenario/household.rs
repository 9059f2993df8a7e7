//! The calculator's household file (`calc --household FILE`, also embedded in the reference
//! cases under `tests/cases/`): its TOML format, and its parsing and validation into a
//! [`CalcHousehold`], every problem naming the file, line and key.
//!
//! Owns: [`HouseholdFile`], the input bounds shared with the `calc` flags ([`MAX_PERSONS`],
//! [`MAX_AGE`], …) and [`complete`] (the persons beyond those listed). Must not: compute an
//! amount (that is [`crate::rules::calc::compute`]), parse command-line flags or print.

use crate::error::{Diagnostic, Error, Result};
use crate::model::money::Money;
use crate::model::parameters::decimal_from_toml;
use crate::rules::calc::{CalcHousehold, CaseExpected};
use crate::rules::{Care, CareType, CoResident, MAX_CHILDREN, MAX_CO_RESIDENTS};
use serde::Deserialize;
use std::path::Path;
use toml::Spanned;

/// Benefit year used when neither `--year` nor the household file gives one.
pub const DEFAULT_YEAR: u16 = 2026;
/// Age given to a co-resident whose age is not stated: an adult past every exemption age.
pub const ADULT_CO_RESIDENT_AGE: u8 = 99;
/// Sanity bound on inputs (not a rule): the highest age a household can plausibly state.
pub const MAX_AGE: i64 = 120;
/// Sanity bound on inputs (not a rule): the most childcare hours in a month (a 31-day month).
pub const MAX_CARE_HOURS: i64 = 744;
/// Most persons at one address (`--persons`, `persons`): the applicant, a partner,
/// [`MAX_CHILDREN`] children and [`MAX_CO_RESIDENTS`] co-residents.
pub const MAX_PERSONS: i64 = 2 + MAX_CHILDREN as i64 + MAX_CO_RESIDENTS as i64;

/// The household file format (TOML; unknown keys are errors). Amounts in euros.
///
/// ```toml
/// year = 2026
/// income = 30000
/// partner_income = 12000      # or `partner = true` with no income
/// assets = 0
/// rent = 650                  # monthly kale huur
/// persons = 3                 # optional, see --persons
/// age = 30                    # optional: the applicant's age (huurtoeslag youth limit)
/// partner_age = 31            # optional
/// [[co_residents]]
/// income = 8000
/// age = 20                    # optional, on 1 January
/// child = true                # optional: a child living at home (income exemption under 23)
/// assets = 0                  # optional: own assets on 1 January
/// [[children]]
/// age = 2                     # on 1 January
/// birthday = 6                # optional: birthday month, a year older from the month after
/// care = "dagopvang"          # optional: dagopvang, bso, gastouder
/// hours = 120                 # per month, with care
/// # or, hours that change in the year: hours_by_month = [150, 150, …]  (12 values, Jan–Dec)
/// price = 10.50               # per hour, with care
/// ```
#[derive(Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct HouseholdFile {
    #[serde(default)]
    year: Option<Spanned<i64>>,
    income: Spanned<toml::Value>,
    #[serde(default)]
    partner: Option<bool>,
    #[serde(default)]
    partner_income: Option<Spanned<toml::Value>>,
    #[serde(default)]
    assets: Option<Spanned<toml::Value>>,
    #[serde(default)]
    rent: Option<Spanned<toml::Value>>,
    #[serde(default)]
    persons: Option<Spanned<i64>>,
    #[serde(default)]
    age: Option<Spanned<i64>>,
    #[serde(default)]
    partner_age: Option<Spanned<i64>>,
    #[serde(default)]
    co_residents: Vec<RawCoResident>,
    #[serde(default)]
    children: Vec<RawChild>,
}

#[derive(Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
struct RawCoResident {
    income: Spanned<toml::Value>,
    #[serde(default)]
    age: Option<Spanned<i64>>,
    #[serde(default)]
    child: Option<bool>,
    #[serde(default)]
    assets: Option<Spanned<toml::Value>>,
}

#[derive(Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
struct RawChild {
    age: Spanned<i64>,
    #[serde(default)]
    birthday: Option<Spanned<i64>>,
    #[serde(default)]
    care: Option<Spanned<String>>,
    #[serde(default)]
    hours: Option<Spanned<i64>>,
    #[serde(default)]
    hours_by_month: Option<Spanned<Vec<i64>>>,
    #[serde(default)]
    price: Option<Spanned<toml::Value>>,
}

/// 1-based line and column of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

/// Collects problems with their position.
struct Problems<'a> {
    path: &'a Path,
    text: &'a str,
    list: Vec<Diagnostic>,
}

impl Problems<'_> {
    fn at(&mut self, span: Option<std::ops::Range<usize>>, key: &str, message: String) {
        let (line, col) = span.map(|s| line_col(self.text, s.start)).unzip();
        self.list.push(Diagnostic {
            file: self.path.to_path_buf(),
            line,
            col,
            key: Some(key.to_string()),
            message,
        });
    }

    fn money(&mut self, v: &Spanned<toml::Value>, key: &str) -> Money {
        match decimal_from_toml(v.get_ref()).and_then(Money::from_decimal) {
            Some(m) if m >= Money::ZERO => m,
            _ => {
                self.at(
                    Some(v.span()),
                    key,
                    format!(
                        "found {}; an amount is a number of euros ≥ 0 with at most two decimals",
                        v.get_ref()
                    ),
                );
                Money::ZERO
            }
        }
    }

    fn int(&mut self, v: &Spanned<i64>, key: &str, lo: i64, hi: i64) -> i64 {
        let x = *v.get_ref();
        if !(lo..=hi).contains(&x) {
            self.at(
                Some(v.span()),
                key,
                format!("found {x}; allowed {lo} to {hi}"),
            );
            return lo;
        }
        x
    }
}

/// A reference case (`tests/cases/*.toml`): a household file under `[household]` with what
/// is expected of it and where that expectation comes from (tests/cases/README.md).
///
/// ```toml
/// description = "what the case checks"
/// source = "where the expected value comes from"
/// source_kind = "hand"          # or "published"
/// [household]                   # the household file format above
/// year = 2026
/// income = 30000
/// [expected.zorgtoeslag]        # any benefit: annual, monthly (euros), tolerance
/// annual = 1514
/// ```
#[derive(Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct CaseFile {
    /// What the case checks.
    pub description: String,
    /// Where the expected values come from.
    pub source: String,
    /// `published` or `hand`.
    pub source_kind: String,
    /// The household.
    pub household: HouseholdFile,
    /// Expected amounts per benefit name.
    #[serde(default)]
    pub expected: std::collections::BTreeMap<String, CaseExpected>,
}

fn toml_error(path: &Path, text: &str, e: toml::de::Error) -> Error {
    let (line, col) = e.span().map(|s| line_col(text, s.start)).unzip();
    Error::Input(vec![Diagnostic {
        file: path.to_path_buf(),
        line,
        col,
        key: None,
        message: e.message().trim().to_string(),
    }])
}

/// Is this text a reference case (a top-level `[household]` table) rather than a household
/// file? Decided on the top-level keys only; a text that is not TOML is a household file (whose
/// parse then reports the syntax error).
pub fn is_case_file(text: &str) -> bool {
    text.parse::<toml::Table>()
        .is_ok_and(|t| matches!(t.get("household"), Some(toml::Value::Table(_))))
}

/// Parses a reference case's text (its household is resolved by [`resolve_file`]).
pub fn parse_case(path: &Path, text: &str) -> Result<CaseFile> {
    toml::from_str(text).map_err(|e| toml_error(path, text, e))
}

/// Parses a household file's text into a validated [`CalcHousehold`]; `year` (from `--year`)
/// wins over the file's `year`. Every problem names the file, line and key. A reference case
/// (`tests/cases/*.toml`, the household under `[household]`) is read too: its household is
/// used and the rest (description, source, expected amounts) is checked for form only.
pub fn parse_household(path: &Path, text: &str, year: Option<u16>) -> Result<CalcHousehold> {
    if is_case_file(text) {
        let case = parse_case(path, text)?;
        return resolve_file(path, text, &case.household, year);
    }
    let raw: HouseholdFile = toml::from_str(text).map_err(|e| toml_error(path, text, e))?;
    resolve_file(path, text, &raw, year)
}

/// Validates a parsed household file (`text` is the source its spans point into).
pub fn resolve_file(
    path: &Path,
    text: &str,
    raw: &HouseholdFile,
    year: Option<u16>,
) -> Result<CalcHousehold> {
    let mut p = Problems {
        path,
        text,
        list: Vec::new(),
    };
    let year = match (year, &raw.year) {
        (Some(y), _) => y,
        (None, Some(y)) => p.int(y, "year", 1900, 2100) as u16,
        (None, None) => DEFAULT_YEAR,
    };
    let income = p.money(&raw.income, "income");
    let partner_income = raw
        .partner_income
        .as_ref()
        .map(|v| p.money(v, "partner_income"));
    if raw.partner == Some(false) && partner_income.is_some() {
        p.at(
            raw.partner_income.as_ref().map(|v| v.span()),
            "partner_income",
            "`partner = false` but a partner income is given; remove one of them".into(),
        );
    }
    let partner = raw.partner.unwrap_or(partner_income.is_some());
    let assets = raw
        .assets
        .as_ref()
        .map_or(Money::ZERO, |v| p.money(v, "assets"));
    let rent = raw
        .rent
        .as_ref()
        .map_or(Money::ZERO, |v| p.money(v, "rent"));
    let mut co_residents = Vec::new();
    for (i, c) in raw.co_residents.iter().enumerate() {
        let k = format!("co_residents[{i}]");
        co_residents.push(CoResident {
            income: p.money(&c.income, &format!("{k}.income")),
            age: c.age.as_ref().map_or(ADULT_CO_RESIDENT_AGE, |a| {
                p.int(a, &format!("{k}.age"), 0, MAX_AGE) as u8
            }),
            child: c.child.unwrap_or(false),
            assets: c
                .assets
                .as_ref()
                .map_or(Money::ZERO, |v| p.money(v, &format!("{k}.assets"))),
        });
    }
    let mut children = Vec::new();
    let mut birthdays = Vec::new();
    let mut hours_by_month = vec![None; raw.children.len()];
    for (i, c) in raw.children.iter().enumerate() {
        let k = format!("children[{i}]");
        let age = p.int(&c.age, &format!("{k}.age"), 0, MAX_AGE) as u8;
        birthdays.push(
            c.birthday
                .as_ref()
                .map(|b| p.int(b, &format!("{k}.birthday"), 1, 12) as u8),
        );
        let care = match &c.care {
            None => {
                for (name, present) in [
                    ("hours", c.hours.is_some()),
                    ("hours_by_month", c.hours_by_month.is_some()),
                    ("price", c.price.is_some()),
                ] {
                    if present {
                        p.at(
                            Some(c.age.span()),
                            &format!("{k}.{name}"),
                            format!("`{name}` belongs to a child with `care` (dagopvang, bso or gastouder)"),
                        );
                    }
                }
                None
            }
            Some(kind) => {
                let ct = CareType::parse(kind.get_ref()).unwrap_or_else(|m| {
                    p.at(Some(kind.span()), &format!("{k}.care"), m);
                    CareType::Dagopvang
                });
                let hours = match (&c.hours, &c.hours_by_month) {
                    (Some(h), None) => p.int(h, &format!("{k}.hours"), 0, MAX_CARE_HOURS) as u16,
                    (Some(h), Some(_)) => {
                        p.at(
                            Some(h.span()),
                            &format!("{k}.hours"),
                            "give `hours` (the same every month) or `hours_by_month`, not both"
                                .into(),
                        );
                        0
                    }
                    (None, Some(list)) => {
                        let key = format!("{k}.hours_by_month");
                        if list.get_ref().len() != 12 {
                            p.at(
                                Some(list.span()),
                                &key,
                                format!(
                                    "needs 12 values (January to December), found {}",
                                    list.get_ref().len()
                                ),
                            );
                        }
                        let mut by_month = [0u16; 12];
                        for (m, &v) in list.get_ref().iter().take(12).enumerate() {
                            if !(0..=MAX_CARE_HOURS).contains(&v) {
                                p.at(
                                    Some(list.span()),
                                    &format!("{key}[{m}]"),
                                    format!("{v} hours is outside 0 to {MAX_CARE_HOURS}"),
                                );
                            }
                            by_month[m] = v.clamp(0, MAX_CARE_HOURS) as u16;
                        }
                        hours_by_month[i] = Some(by_month);
                        by_month[0]
                    }
                    (None, None) => {
                        p.at(
                            Some(kind.span()),
                            &format!("{k}.hours"),
                            "a child with care needs `hours` (per month)".into(),
                        );
                        0
                    }
                };
                let price = match &c.price {
                    Some(v) => p.money(v, &format!("{k}.price")),
                    None => {
                        p.at(
                            Some(kind.span()),
                            &format!("{k}.price"),
                            "a child with care needs `price` (euros per hour)".into(),
                        );
                        Money::ZERO
                    }
                };
                Some(Care {
                    kind: ct,
                    hours,
                    price,
                })
            }
        };
        children.push((age, care));
    }
    let persons = raw.persons.as_ref().map(|n| (*n.get_ref(), n.span()));
    let h = CalcHousehold {
        year,
        income,
        partner,
        partner_income: partner_income.unwrap_or(Money::ZERO),
        assets,
        rent,
        children,
        co_residents,
        birthdays,
        hours_by_month,
        age: raw.age.as_ref().map(|a| p.int(a, "age", 0, MAX_AGE) as u8),
        partner_age: raw
            .partner_age
            .as_ref()
            .map(|a| p.int(a, "partner_age", 0, MAX_AGE) as u8),
    };
    let h = match complete(h, persons.as_ref().map(|(n, _)| *n)) {
        Ok(h) => Some(h),
        Err(m) => {
            p.at(persons.map(|(_, s)| s), "persons", m);
            None
        }
    };
    match h {
        Some(h) if p.list.is_empty() => Ok(h),
        _ => Err(Error::Input(p.list)),
    }
}

/// Checks sizes and adds the persons beyond those listed as co-residents without income (for
/// the household file and the `calc` flags alike); the error is the message without its key.
pub fn complete(
    mut h: CalcHousehold,
    persons: Option<i64>,
) -> std::result::Result<CalcHousehold, String> {
    if h.children.len() > MAX_CHILDREN {
        return Err(format!(
            "{} children; at most {MAX_CHILDREN} are supported",
            h.children.len()
        ));
    }
    let listed = 1 + usize::from(h.partner) + h.children.len() + h.co_residents.len();
    if h.co_residents.len() > MAX_CO_RESIDENTS {
        return Err(format!(
            "{} co-residents; at most {MAX_CO_RESIDENTS} are supported",
            h.co_residents.len()
        ));
    }
    if let Some(n) = persons {
        // Checked before adding anyone: the persons beyond those listed are co-residents.
        let most = listed - h.co_residents.len() + MAX_CO_RESIDENTS;
        if n > most as i64 {
            return Err(format!(
                "persons = {n}; at most {most} are supported here (at most {MAX_PERSONS} in any household: the applicant, a partner, {MAX_CHILDREN} children and {MAX_CO_RESIDENTS} co-residents)"
            ));
        }
        if n < listed as i64 {
            return Err(format!(
                "persons = {n}, but the applicant{}, {} children and {} co-residents already make {listed}",
                if h.partner { ", the partner" } else { "" },
                h.children.len(),
                h.co_residents.len()
            ));
        }
        for _ in listed..n as usize {
            h.co_residents.push(CoResident {
                age: ADULT_CO_RESIDENT_AGE,
                income: Money::ZERO,
                child: false,
                assets: Money::ZERO,
            });
        }
    }
    if h.co_residents.len() > MAX_CO_RESIDENTS {
        return Err(format!(
            "{} co-residents; at most {MAX_CO_RESIDENTS} are supported",
            h.co_residents.len()
        ));
    }
    Ok(h)
}
