//! The household calculator (`toeslagenlab calc`): one household's entitlement to each benefit
//! for a year, with the building blocks the agency's decision letter shows and the sources of
//! the parameters used.
//!
//! Owns: the `calc` command-line options ([`CalcArgs`]), the household file format
//! ([`HouseholdFile`], also embedded in the reference cases under `tests/cases/`), and the
//! human and JSON renderings. The amounts come from [`crate::rules`] with the embedded
//! parameters of the year, exactly as the simulation engine computes a situation that holds all
//! year. Must not: hold an amount or a formula of its own.

use crate::error::{Diagnostic, Error, Result};
use crate::model::money::{Fine, Money, Rate, RATE_SCALE};
use crate::model::parameters::{decimal_from_toml, ParameterSet, Params, KOT_TABLE};
use crate::rules::{
    self, awir, huurtoeslag, kinderopvangtoeslag, kindgebonden_budget, zorgtoeslag, Benefit, Care,
    CareType, Children, CoResident, CoResidents, Situation, MAX_CHILDREN, MAX_CO_RESIDENTS,
    N_BENEFITS,
};
use clap::Args;
use rust_decimal::Decimal;
use serde::Deserialize;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use toml::Spanned;

/// Benefit year used when neither `--year` nor the household file gives one.
pub const DEFAULT_YEAR: u16 = 2026;
/// Age given to a co-resident whose age is not stated: an adult past every exemption age.
const ADULT_CO_RESIDENT_AGE: u8 = 99;
/// Sanity bounds on inputs (not rules): ages and hours a household can plausibly state.
const MAX_AGE: i64 = 120;
const MAX_CARE_HOURS: i64 = 744; // hours in a 31-day month
/// Most persons at one address (`--persons`, `persons`): the applicant, a partner,
/// [`MAX_CHILDREN`] children and [`MAX_CO_RESIDENTS`] co-residents.
pub const MAX_PERSONS: i64 = 2 + MAX_CHILDREN as i64 + MAX_CO_RESIDENTS as i64;

/// Parses `--persons N`: 1 to [`MAX_PERSONS`].
fn parse_persons(s: &str) -> std::result::Result<i64, String> {
    match s.trim().parse::<i64>() {
        Ok(n) if (1..=MAX_PERSONS).contains(&n) => Ok(n),
        _ => Err(format!("a whole number from 1 to {MAX_PERSONS} is allowed")),
    }
}

/// Options of `toeslagenlab calc`.
#[derive(Args, Debug, Clone, Default)]
pub struct CalcArgs {
    /// Benefit year [default: the household file's `year`, else 2026].
    #[arg(long, value_name = "YEAR")]
    pub year: Option<u16>,
    /// The applicant's assessed annual income (toetsingsinkomen), euros.
    #[arg(long, value_name = "EUR")]
    pub income: Option<String>,
    /// The applicant has a benefit partner (toeslagpartner).
    #[arg(long)]
    pub partner: bool,
    /// The partner's assessed annual income, euros (implies --partner).
    #[arg(long, value_name = "EUR")]
    pub partner_income: Option<String>,
    /// Joint assets (vermogen) on 1 January, euros.
    #[arg(long, value_name = "EUR")]
    pub assets: Option<String>,
    /// Monthly rent (kale huur), euros; needed for huurtoeslag.
    #[arg(long, value_name = "EUR")]
    pub rent: Option<String>,
    /// Persons living at the address; persons beyond the applicant, partner, children and
    /// co-residents given count as co-residents without income.
    #[arg(long, value_name = "N", value_parser = parse_persons)]
    pub persons: Option<i64>,
    /// A co-resident's annual income (repeatable); `:AGE` for a co-resident under 23, whose
    /// income counts only above the exempt amount.
    #[arg(long = "co-resident-income", value_name = "EUR[:AGE]")]
    pub co_resident_income: Vec<String>,
    /// A child (repeatable): its age, and optionally its childcare: type (dagopvang, bso,
    /// gastouder), hours per month and hourly price, e.g. `--child 2:dagopvang:120:10.50`.
    #[arg(long = "child", value_name = "AGE[:TYPE:HOURS:PRICE]")]
    pub child: Vec<String>,
    /// Read the household from a TOML file instead of the flags above.
    #[arg(
        long,
        value_name = "FILE",
        conflicts_with_all = ["income", "partner", "partner_income", "assets", "rent", "persons", "co_resident_income", "child"]
    )]
    pub household: Option<PathBuf>,
    /// Print JSON: `{"year":…,"benefits":{"zorgtoeslag":{"annual":…,"monthly":…},…}}`.
    #[arg(long)]
    pub json: bool,
}

/// A household as the calculator takes it, after validation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Household {
    /// Benefit year.
    pub year: u16,
    /// The applicant's annual income.
    pub income: Money,
    /// Has a benefit partner.
    pub partner: bool,
    /// The partner's annual income.
    pub partner_income: Money,
    /// Joint assets.
    pub assets: Money,
    /// Monthly rent (zero: does not rent).
    pub rent: Money,
    /// Children (age, childcare).
    pub children: Vec<(u8, Option<Care>)>,
    /// Co-residents.
    pub co_residents: Vec<CoResident>,
}

impl Household {
    /// The month's situation the rules take (it holds all year).
    pub fn situation(&self) -> Situation {
        let mut children = Children::NONE;
        for &(age, care) in &self.children {
            children.push_with_care(age, care);
        }
        let mut co_residents = CoResidents::NONE;
        for &c in &self.co_residents {
            co_residents.push(c);
        }
        Situation {
            partner: self.partner,
            children,
            assets: self.assets,
            income: if self.partner {
                self.income + self.partner_income
            } else {
                self.income
            },
            rent: self.rent,
            co_residents,
        }
    }
}

// ------------------------------------------------------------------------------------------
// Household file
// ------------------------------------------------------------------------------------------

/// The household file format (TOML; unknown keys are errors). Amounts in euros.
///
/// ```toml
/// year = 2026
/// income = 30000
/// partner_income = 12000      # or `partner = true` with no income
/// assets = 0
/// rent = 650                  # monthly kale huur
/// persons = 3                 # optional, see --persons
/// [[co_residents]]
/// income = 8000
/// age = 20                    # optional
/// [[children]]
/// age = 2
/// care = "dagopvang"          # optional: dagopvang, bso, gastouder
/// hours = 120                 # per month, with care
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
}

#[derive(Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
struct RawChild {
    age: Spanned<i64>,
    #[serde(default)]
    care: Option<Spanned<String>>,
    #[serde(default)]
    hours: Option<Spanned<i64>>,
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

/// Parses a household file's text into a validated [`Household`]; `year` (from `--year`)
/// wins over the file's `year`. Every problem names the file, line and key.
pub fn parse_household(path: &Path, text: &str, year: Option<u16>) -> Result<Household> {
    let raw: HouseholdFile = toml::from_str(text).map_err(|e| {
        let (line, col) = e.span().map(|s| line_col(text, s.start)).unzip();
        Error::Input(vec![Diagnostic {
            file: path.to_path_buf(),
            line,
            col,
            key: None,
            message: e.message().trim().to_string(),
        }])
    })?;
    resolve_file(path, text, &raw, year)
}

/// Validates a parsed household file (`text` is the source its spans point into).
pub fn resolve_file(
    path: &Path,
    text: &str,
    raw: &HouseholdFile,
    year: Option<u16>,
) -> Result<Household> {
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
        });
    }
    let mut children = Vec::new();
    for (i, c) in raw.children.iter().enumerate() {
        let k = format!("children[{i}]");
        let age = p.int(&c.age, &format!("{k}.age"), 0, MAX_AGE) as u8;
        let care = match &c.care {
            None => {
                for (name, present) in [("hours", c.hours.is_some()), ("price", c.price.is_some())]
                {
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
                let hours = match &c.hours {
                    Some(h) => p.int(h, &format!("{k}.hours"), 0, MAX_CARE_HOURS) as u16,
                    None => {
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
    let h = Household {
        year,
        income,
        partner,
        partner_income: partner_income.unwrap_or(Money::ZERO),
        assets,
        rent,
        children,
        co_residents,
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

/// Checks sizes and adds the persons beyond those listed as co-residents without income.
fn complete(mut h: Household, persons: Option<i64>) -> std::result::Result<Household, String> {
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

// ------------------------------------------------------------------------------------------
// Flags
// ------------------------------------------------------------------------------------------

fn flag_money(flag: &str, s: &str) -> Result<Money> {
    Decimal::from_str(s.trim().replace('_', "").as_str())
        .ok()
        .and_then(Money::from_decimal)
        .filter(|m| *m >= Money::ZERO)
        .ok_or_else(|| {
            Error::Usage(format!(
                "--{flag} {s}: give euros ≥ 0 with at most two decimals, e.g. 30000 or 650.50"
            ))
        })
}

fn flag_int(flag: &str, what: &str, s: &str, lo: i64, hi: i64) -> Result<i64> {
    match s.trim().parse::<i64>() {
        Ok(x) if (lo..=hi).contains(&x) => Ok(x),
        _ => Err(Error::Usage(format!(
            "--{flag}: {what} `{s}` must be a whole number from {lo} to {hi}"
        ))),
    }
}

/// Parses `AGE[:TYPE:HOURS:PRICE]`.
pub fn parse_child(s: &str) -> Result<(u8, Option<Care>)> {
    let parts: Vec<&str> = s.split(':').collect();
    let age = flag_int("child", "age", parts[0], 0, MAX_AGE)? as u8;
    match parts.len() {
        1 => Ok((age, None)),
        4 => {
            let kind = CareType::parse(parts[1].trim())
                .map_err(|m| Error::Usage(format!("--child {s}: {m}")))?;
            let hours = flag_int("child", "hours per month", parts[2], 0, MAX_CARE_HOURS)? as u16;
            let price = flag_money("child", parts[3])?;
            Ok((age, Some(Care { kind, hours, price })))
        }
        _ => Err(Error::Usage(format!(
            "--child {s}: give AGE or AGE:TYPE:HOURS:PRICE, e.g. --child 7 or --child 2:dagopvang:120:10.50"
        ))),
    }
}

/// The household the flags describe.
pub fn household_from_flags(a: &CalcArgs) -> Result<Household> {
    let income =
        match &a.income {
            Some(s) => flag_money("income", s)?,
            None => return Err(Error::Usage(
                "give --income EUR (the applicant's assessed annual income) or --household FILE"
                    .into(),
            )),
        };
    let partner_income = a
        .partner_income
        .as_deref()
        .map(|s| flag_money("partner-income", s))
        .transpose()?;
    let mut co_residents = Vec::new();
    for c in &a.co_resident_income {
        let (inc, age) = match c.split_once(':') {
            Some((i, age)) => (
                i,
                flag_int("co-resident-income", "age", age, 0, MAX_AGE)? as u8,
            ),
            None => (c.as_str(), ADULT_CO_RESIDENT_AGE),
        };
        co_residents.push(CoResident {
            age,
            income: flag_money("co-resident-income", inc)?,
        });
    }
    let children = a
        .child
        .iter()
        .map(|c| parse_child(c))
        .collect::<Result<Vec<_>>>()?;
    let h = Household {
        year: a.year.unwrap_or(DEFAULT_YEAR),
        income,
        partner: a.partner || partner_income.is_some(),
        partner_income: partner_income.unwrap_or(Money::ZERO),
        assets: a
            .assets
            .as_deref()
            .map(|s| flag_money("assets", s))
            .transpose()?
            .unwrap_or(Money::ZERO),
        rent: a
            .rent
            .as_deref()
            .map(|s| flag_money("rent", s))
            .transpose()?
            .unwrap_or(Money::ZERO),
        children,
        co_residents,
    };
    complete(h, a.persons).map_err(|m| Error::Usage(format!("--persons: {m}")))
}

// ------------------------------------------------------------------------------------------
// Computation
// ------------------------------------------------------------------------------------------

/// One benefit's result.
#[derive(Clone, Debug)]
pub struct BenefitResult {
    /// Which benefit.
    pub benefit: Benefit,
    /// Exact annual amount before rounding.
    pub exact: Fine,
    /// Award per year (Awir art. 14: half-up to euros, zero below the minimum).
    pub annual: Money,
    /// Advance per month: `floor(annual / 12)`.
    pub monthly: Money,
    /// Why the year cannot compute it (then the amounts are zero).
    pub unavailable: Option<String>,
    /// The building blocks, as (label, value) lines, in the order a decision letter shows them.
    pub lines: Vec<(String, String)>,
    /// Machine-readable building blocks (name → euros or fraction).
    pub details: serde_json::Map<String, serde_json::Value>,
    /// The parameters used, as `group.key`.
    pub parameters: Vec<String>,
}

/// All four benefits for one household.
#[derive(Clone, Debug)]
pub struct CalcResult {
    /// Benefit year.
    pub year: u16,
    /// The household.
    pub household: Household,
    /// One result per benefit, in [`Benefit::ALL`] order.
    pub benefits: Vec<BenefitResult>,
    /// The parameters in force (for sources and uncertainty notes).
    pub parameter_set: ParameterSet,
}

impl CalcResult {
    /// The result for one benefit.
    pub fn get(&self, b: Benefit) -> &BenefitResult {
        &self.benefits[b.index()]
    }
}

/// Display rounding of an exact intermediate amount to cents, half up (display only: awards
/// are rounded by [`awir::annual_award`]).
fn show(f: Fine) -> String {
    let scale = i128::from(RATE_SCALE);
    let cents = (f.0 + scale / 2).div_euclid(scale);
    Money(cents as i64).to_string()
}

fn fine_json(f: Fine) -> serde_json::Value {
    let scale = i128::from(RATE_SCALE);
    Money(((f.0 + scale / 2).div_euclid(scale)) as i64).to_json()
}

fn rate_json(r: Rate) -> serde_json::Value {
    serde_json::Value::String(r.to_decimal().to_string())
}

struct Builder {
    lines: Vec<(String, String)>,
    details: serde_json::Map<String, serde_json::Value>,
    parameters: Vec<String>,
}

impl Builder {
    fn new() -> Self {
        Builder {
            lines: Vec::new(),
            details: serde_json::Map::new(),
            parameters: Vec::new(),
        }
    }
    fn line(&mut self, label: impl Into<String>, value: impl Into<String>) {
        self.lines.push((label.into(), value.into()));
    }
    fn money(&mut self, key: &str, label: &str, m: Money) {
        self.line(label, m.to_string());
        self.details.insert(key.into(), m.to_json());
    }
    fn fine(&mut self, key: &str, label: &str, f: Fine) {
        self.line(label, show(f));
        self.details.insert(key.into(), fine_json(f));
    }
    fn rate(&mut self, key: &str, label: &str, r: Rate) {
        self.line(label, r.to_string());
        self.details.insert(key.into(), rate_json(r));
    }
    fn params(&mut self, group: &str, keys: &[&str]) {
        self.parameters
            .extend(keys.iter().map(|k| format!("{group}.{k}")));
    }
}

/// Computes all four benefits. A benefit the year cannot compute is an error when the
/// household asks for it (rent given for huurtoeslag, childcare for kinderopvangtoeslag), and a
/// zero with the reason otherwise.
pub fn compute(h: &Household) -> Result<CalcResult> {
    let set = ParameterSet::for_year(h.year).map_err(Error::Usage)?;
    let p = set.resolve().map_err(Error::Internal)?;
    let s = h.situation();
    let asks = |b: Benefit| match b {
        Benefit::Huurtoeslag => s.rent > Money::ZERO,
        Benefit::Kinderopvangtoeslag => s.children.care().iter().any(|c| c.is_some()),
        _ => false,
    };
    let mut benefits = Vec::with_capacity(N_BENEFITS);
    for b in Benefit::ALL {
        if let Err(reason) = b.available(&p) {
            if asks(b) {
                return Err(Error::Usage(reason.to_string()));
            }
            benefits.push(BenefitResult {
                benefit: b,
                exact: Fine::ZERO,
                annual: Money::ZERO,
                monthly: Money::ZERO,
                unavailable: Some(reason.to_string()),
                lines: vec![],
                details: serde_json::Map::new(),
                parameters: vec![],
            });
            continue;
        }
        let mut bl = Builder::new();
        explain(b, &p, &s, &mut bl);
        let exact = rules::annual_exact(b, &p, &s);
        let annual = awir::annual_award(&p.awir, exact);
        let monthly = awir::monthly(annual);
        bl.params("awir", &["minimum_award"]);
        benefits.push(BenefitResult {
            benefit: b,
            exact,
            annual,
            monthly,
            unavailable: None,
            lines: bl.lines,
            details: bl.details,
            parameters: bl.parameters,
        });
    }
    Ok(CalcResult {
        year: h.year,
        household: h.clone(),
        benefits,
        parameter_set: set,
    })
}

/// The building blocks of one benefit (the formula itself lives in the rules module).
fn explain(b: Benefit, p: &Params, s: &Situation, bl: &mut Builder) {
    match b {
        Benefit::Zorgtoeslag => {
            let z = &p.zorgtoeslag;
            let n = if s.partner { 2 } else { 1 };
            bl.money("assessed_income", "toetsingsinkomen (joint)", s.income);
            if zorgtoeslag::above_asset_limit(z, s) {
                let limit = if s.partner {
                    z.asset_limit_partners
                } else {
                    z.asset_limit_single
                };
                bl.money(
                    "asset_limit",
                    "assets above the limit: no entitlement; limit",
                    limit,
                );
            }
            bl.money("drempelinkomen", "drempelinkomen", z.drempel);
            bl.rate(
                "normpremie_rate_threshold",
                "normpremie % of the drempel",
                if s.partner {
                    z.rate_partners
                } else {
                    z.rate_single
                },
            );
            bl.rate(
                "normpremie_rate_above",
                "normpremie % of income above the drempel",
                z.rate_above,
            );
            bl.fine(
                "normpremie",
                "normpremie",
                zorgtoeslag::normpremie(z, s.partner, s.income),
            );
            bl.money(
                "standaardpremie",
                &format!("standaardpremie × {n}"),
                Money(z.standaardpremie.0 * n),
            );
            bl.params(
                "zorgtoeslag",
                &[
                    "drempel",
                    "normpremie_rate_single",
                    "normpremie_rate_partners",
                    "normpremie_rate_above",
                    "standaardpremie",
                    "asset_limit_single",
                    "asset_limit_partners",
                ],
            );
        }
        Benefit::Huurtoeslag => {
            let Ok(hp) = &p.huurtoeslag else { return };
            let x = huurtoeslag::breakdown(hp, s);
            bl.line("persons in the household", x.persons.to_string());
            bl.details
                .insert("persons".into(), serde_json::Value::from(x.persons));
            if x.above_asset_limit {
                bl.line("assets above the limit", "no entitlement");
            }
            bl.money("rent", "kale huur per month", s.rent);
            bl.money(
                "rekenhuur",
                "rekenhuur (capped at the rekengrens)",
                x.rekenhuur,
            );
            bl.money("basishuur", "basishuur", x.basishuur);
            bl.money(
                "kwaliteitskortingsgrens",
                "kwaliteitskortingsgrens",
                hp.kwaliteitskortingsgrens,
            );
            bl.money("aftoppingsgrens", "aftoppingsgrens", x.aftoppingsgrens);
            bl.fine(
                "part_a",
                &format!(
                    "A: {} × (min(rekenhuur, kwaliteitskortingsgrens) − basishuur)",
                    hp.rate_a
                ),
                x.part_a,
            );
            bl.fine(
                "part_b",
                &format!(
                    "B: {} × (min(rekenhuur, aftoppingsgrens) − kwaliteitskortingsgrens)",
                    hp.rate_b
                ),
                x.part_b,
            );
            bl.fine(
                "part_c",
                &format!("C: {} × (rekenhuur − aftoppingsgrens)", hp.rate_c),
                x.part_c,
            );
            bl.money(
                "counted_income",
                "income counted (joint + co-residents)",
                x.income,
            );
            bl.money("ijkpunt", "inkomensijkpunt", x.ijkpunt);
            bl.rate("phase_rate", "phase-out rate", x.phase_rate);
            bl.fine(
                "income_reduction",
                "yearly reduction: rate × (income − ijkpunt)",
                x.income_reduction,
            );
            bl.line(
                "annual",
                format!(
                    "{} × (A + B + C) − reduction = {} (rounding order uncertain, see notes)",
                    hp.months_per_year,
                    show(x.annual)
                ),
            );
            bl.params(
                "huurtoeslag",
                &[
                    "rekengrens",
                    "basishuur_single",
                    "basishuur_multi",
                    "kwaliteitskortingsgrens",
                    "aftoppingsgrens_low",
                    "aftoppingsgrens_high",
                    "rate_a",
                    "rate_b",
                    "rate_c",
                    "ijkpunt_single",
                    "ijkpunt_multi",
                    "phase_rate_single",
                    "phase_rate_multi",
                    "co_resident_exempt_income",
                    "asset_limit_single",
                    "asset_limit_partners",
                    "months_per_year",
                ],
            );
        }
        Benefit::Kinderopvangtoeslag => {
            let Ok(kp) = &p.kinderopvangtoeslag else {
                return;
            };
            let x = kinderopvangtoeslag::breakdown(kp, s);
            bl.money("assessed_income", "toetsingsinkomen (joint)", s.income);
            bl.rate(
                "percentage_first",
                "percentage first child (reconstructed table)",
                x.row.first,
            );
            bl.rate(
                "percentage_next",
                "percentage next children (reconstructed table)",
                x.row.next,
            );
            let mut kids = Vec::new();
            for part in x.parts() {
                let care = s.children.care()[part.child];
                let kind = care.map_or("", |c| c.kind.name());
                bl.line(
                    format!(
                        "child {} ({kind}, {}){}",
                        part.child + 1,
                        if part.first {
                            "first child"
                        } else {
                            "next child"
                        },
                        ""
                    ),
                    format!(
                        "{} × {} × {} h = {} a month",
                        part.rate,
                        part.price,
                        part.hours,
                        show(part.monthly)
                    ),
                );
                kids.push(serde_json::json!({
                    "child": part.child + 1,
                    "type": kind,
                    "first": part.first,
                    "percentage": rate_json(part.rate),
                    "hourly_price_counted": part.price.to_json(),
                    "hours_counted": part.hours,
                    "monthly": fine_json(part.monthly),
                }));
            }
            bl.details
                .insert("children".into(), serde_json::Value::Array(kids));
            bl.line(
                "annual",
                format!("12 × the monthly sum = {}", show(x.annual)),
            );
            bl.params(
                "kinderopvangtoeslag",
                &[
                    "max_price_dagopvang",
                    "max_price_bso",
                    "max_price_gastouder",
                    "max_hours_per_month",
                ],
            );
            bl.parameters.push(KOT_TABLE.to_string());
        }
        Benefit::KindgebondenBudget => {
            let k = &p.kindgebonden_budget;
            let max = kindgebonden_budget::maximum(k, s);
            let d = if s.partner {
                k.drempel_partners
            } else {
                k.drempel_single
            };
            let kids = s
                .children
                .ages()
                .iter()
                .filter(|a| **a < kindgebonden_budget::ADULT_AGE)
                .count();
            bl.line("children under 18", kids.to_string());
            bl.money(
                "maximum",
                "maximum (per child + age supplements + single-parent supplement)",
                max,
            );
            bl.money("assessed_income", "toetsingsinkomen (joint)", s.income);
            bl.money("drempel", "drempelinkomen", d);
            bl.rate("afbouw_rate", "afbouw (taper)", k.afbouw_rate);
            bl.fine(
                "reduction",
                "reduction: afbouw × (income − drempel)",
                (s.income - d).max_zero().mul_rate(k.afbouw_rate),
            );
            bl.params(
                "kindgebonden_budget",
                &[
                    "per_child",
                    "supplement_12_15",
                    "supplement_16_17",
                    "alo_kop",
                    "drempel_single",
                    "drempel_partners",
                    "afbouw_rate",
                    "asset_limit_single",
                    "asset_limit_partners",
                ],
            );
        }
    }
}

/// The building blocks of one benefit for one situation, as the calculator presents them.
#[derive(Clone, Debug, Default)]
pub struct BuildingBlocks {
    /// (label, value) lines in the order a decision letter shows them.
    pub lines: Vec<(String, String)>,
    /// Machine-readable building blocks (name → euros or fraction).
    pub details: serde_json::Map<String, serde_json::Value>,
    /// The parameters used, as `group.key` (or a table name).
    pub parameters: Vec<String>,
}

/// The building blocks of `b` for situation `s` under parameters `p` — the same presentation
/// as `calc`, for other commands (`explain`) that show a situation's award.
pub fn building_blocks(b: Benefit, p: &Params, s: &Situation) -> BuildingBlocks {
    let mut bl = Builder::new();
    explain(b, p, s, &mut bl);
    bl.params("awir", &["minimum_award"]);
    BuildingBlocks {
        lines: bl.lines,
        details: bl.details,
        parameters: bl.parameters,
    }
}

// ------------------------------------------------------------------------------------------
// Output
// ------------------------------------------------------------------------------------------

/// The JSON document: `{"year":…,"benefits":{name:{"annual":…,"monthly":…,…}},"notes":[…]}`,
/// amounts in euros; every benefit is present (0 when there is no entitlement).
pub fn to_json(r: &CalcResult) -> serde_json::Value {
    let mut benefits = serde_json::Map::new();
    for b in &r.benefits {
        let mut o = serde_json::Map::new();
        o.insert("annual".into(), b.annual.whole_euros().into());
        o.insert("monthly".into(), b.monthly.whole_euros().into());
        o.insert("available".into(), b.unavailable.is_none().into());
        if let Some(u) = &b.unavailable {
            o.insert("note".into(), u.clone().into());
        } else {
            o.insert("exact_annual".into(), fine_json(b.exact));
            o.insert(
                "building_blocks".into(),
                serde_json::Value::Object(b.details.clone()),
            );
        }
        benefits.insert(b.benefit.name().into(), serde_json::Value::Object(o));
    }
    serde_json::json!({
        "year": r.year,
        "benefits": benefits,
        "notes": notes(r),
    })
}

/// Approximations in force for this household's result (uncertain parameters it used).
pub fn notes(r: &CalcResult) -> Vec<String> {
    let used: Vec<&String> = r
        .benefits
        .iter()
        .filter(|b| b.annual > Money::ZERO || b.exact > Fine::ZERO)
        .flat_map(|b| b.parameters.iter())
        .collect();
    r.parameter_set
        .uncertain()
        .into_iter()
        .filter(|(k, _)| used.contains(&k))
        .map(|(k, p)| format!("uncertain parameter {k}: {}", p.source))
        .collect()
}

/// The human-readable explanation.
pub fn to_text(r: &CalcResult) -> String {
    let h = &r.household;
    let s = h.situation();
    let mut o = String::new();
    let _ = writeln!(o, "Household calculation, benefit year {}", r.year);
    let _ = writeln!(
        o,
        "Household: {} person{}; applicant income {}{}; assets {}; {}; {} child{}",
        s.persons(),
        if s.persons() == 1 { "" } else { "s" },
        h.income,
        if h.partner {
            format!(", partner income {}", h.partner_income)
        } else {
            String::new()
        },
        h.assets,
        if h.rent > Money::ZERO {
            format!("rent {} a month", h.rent)
        } else {
            "no rent".to_string()
        },
        h.children.len(),
        if h.children.len() == 1 { "" } else { "ren" },
    );
    let mut total = Money::ZERO;
    for b in &r.benefits {
        let _ = writeln!(o);
        match &b.unavailable {
            Some(reason) => {
                let _ = writeln!(o, "{}: not computed. {reason}", b.benefit.name());
                continue;
            }
            None => {
                let _ = writeln!(
                    o,
                    "{}: {} a year, {} a month",
                    b.benefit.name(),
                    b.annual,
                    b.monthly
                );
            }
        }
        total += b.annual;
        let width = b
            .lines
            .iter()
            .map(|(l, _)| l.chars().count())
            .max()
            .unwrap_or(0);
        for (label, value) in &b.lines {
            let pad = width - label.chars().count();
            let _ = writeln!(o, "  {label}{:pad$}  {value}", "");
        }
        let _ = writeln!(
            o,
            "  exact annual amount {} → award {} (Awir art. 14: half-up to whole euros, nothing below the minimum award); monthly floor(annual / 12) = {}",
            show(b.exact),
            b.annual,
            b.monthly
        );
        let _ = writeln!(o, "  sources:");
        for key in &b.parameters {
            let (g, k) = key.split_once('.').unwrap_or((key.as_str(), ""));
            let param = if k.is_empty() {
                r.parameter_set.tables.get(g).map(|t| &t.summary)
            } else {
                r.parameter_set.get(g, k)
            };
            if let Some(p) = param {
                let _ = writeln!(
                    o,
                    "    {key} = {} {}{}: {}",
                    p.value,
                    p.unit,
                    if p.uncertain { " [uncertain]" } else { "" },
                    p.source
                );
            }
        }
    }
    let _ = writeln!(o, "\nTotal: {} a year", total);
    let n = notes(r);
    if !n.is_empty() {
        let _ = writeln!(o, "\nApproximations in this result:");
        for x in n {
            let _ = writeln!(o, "- {x}");
        }
    }
    o
}

/// Runs `toeslagenlab calc`.
pub fn run(a: &CalcArgs) -> Result<String> {
    let h = match &a.household {
        Some(path) => {
            let text = crate::scenario::read_input_text(
                path,
                crate::scenario::MAX_INPUT_BYTES,
                "household files",
            )?;
            parse_household(path, &text, a.year)?
        }
        None => household_from_flags(a)?,
    };
    let r = compute(&h)?;
    Ok(if a.json {
        let mut s = serde_json::to_string_pretty(&to_json(&r)).unwrap_or_default();
        s.push('\n');
        s
    } else {
        to_text(&r)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flags(args: &[&str]) -> CalcArgs {
        use clap::Parser;
        #[derive(Parser)]
        struct T {
            #[command(flatten)]
            a: CalcArgs,
        }
        let mut v = vec!["t"];
        v.extend_from_slice(args);
        T::try_parse_from(v).unwrap().a
    }

    #[test]
    fn acceptance_single_30000_json() {
        let out = run(&flags(&["--year", "2026", "--income", "30000", "--json"])).unwrap();
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(v["year"], 2026);
        assert_eq!(v["benefits"]["zorgtoeslag"]["annual"], 1514);
        assert_eq!(v["benefits"]["zorgtoeslag"]["monthly"], 126);
        for b in ["huurtoeslag", "kinderopvangtoeslag", "kindgebonden_budget"] {
            assert_eq!(v["benefits"][b]["annual"], 0, "{b}");
            assert_eq!(v["benefits"][b]["monthly"], 0, "{b}");
        }
    }

    #[test]
    fn text_explains_building_blocks_with_sources() {
        let out = run(&flags(&["--income", "30000", "--rent", "650"])).unwrap();
        assert!(out.contains("normpremie"), "{out}");
        assert!(out.contains("€604.80"), "{out}");
        assert!(out.contains("rekenhuur"), "{out}");
        assert!(out.contains("Stcrt. 2025-39783"), "{out}");
        assert!(out.contains("huurtoeslag: €2,957.00 a year"), "{out}");
    }

    #[test]
    fn huurtoeslag_before_2026_is_refused_when_asked_for() {
        let e = run(&flags(&[
            "--year", "2025", "--income", "20000", "--rent", "600",
        ]))
        .unwrap_err();
        assert_eq!(e.exit_code(), 2);
        assert!(e.to_string().contains("normhuur"), "{e}");
        // without rent the year computes and says why huurtoeslag is absent
        let out = run(&flags(&["--year", "2025", "--income", "20000", "--json"])).unwrap();
        assert!(out.contains("\"available\": false"), "{out}");
    }

    #[test]
    fn childcare_result_says_the_table_is_reconstructed() {
        let out = run(&flags(&[
            "--income",
            "40000",
            "--partner-income",
            "20000",
            "--child",
            "2:dagopvang:100:10.50",
            "--child",
            "6:bso:40:9.00",
        ]))
        .unwrap();
        assert!(out.contains("RECONSTRUCTED"), "{out}");
        assert!(out.contains("first child"), "{out}");
    }

    #[test]
    fn persons_beyond_those_listed_are_co_residents() {
        let h = household_from_flags(&flags(&["--income", "20000", "--persons", "3"])).unwrap();
        assert_eq!(h.situation().persons(), 3);
        let e = household_from_flags(&flags(&[
            "--income",
            "20000",
            "--partner",
            "--persons",
            "1",
        ]))
        .unwrap_err();
        assert!(e.to_string().contains("--persons"), "{e}");
    }

    #[test]
    fn bad_flags_are_usage_errors() {
        for args in [
            &["--income", "abc"][..],
            &["--income", "1", "--child", "2:creche:10:5"],
            &["--income", "1", "--child", "2:bso:10"],
            &["--income=-5"],
        ] {
            let e = run(&flags(args)).unwrap_err();
            assert_eq!(e.exit_code(), 2, "{args:?}: {e}");
        }
    }

    #[test]
    fn household_file_unknown_key_names_the_line() {
        let text = "year = 2026\nincome = 30000\nrnet = 600\n";
        let e = parse_household(Path::new("h.toml"), text, None).unwrap_err();
        let s = e.to_string();
        assert!(s.starts_with("h.toml:3:"), "{s}");
        assert!(s.contains("rnet"), "{s}");
    }

    #[test]
    fn household_file_bad_value_names_the_line_and_key() {
        let text = "income = 30000\n[[children]]\nage = 2\ncare = \"dagopvang\"\nhours = 100\nprice = -3\n";
        let e = parse_household(Path::new("h.toml"), text, None).unwrap_err();
        let s = e.to_string();
        assert!(s.starts_with("h.toml:6:"), "{s}");
        assert!(s.contains("children[0].price"), "{s}");
    }

    #[test]
    fn household_file_equals_flags() {
        let text = "year = 2026\nincome = 30000\npartner_income = 10000\nrent = 700\n[[children]]\nage = 3\ncare = \"dagopvang\"\nhours = 80\nprice = 10.5\n";
        let from_file = parse_household(Path::new("h.toml"), text, None).unwrap();
        let from_flags = household_from_flags(&flags(&[
            "--income",
            "30000",
            "--partner-income",
            "10000",
            "--rent",
            "700",
            "--child",
            "3:dagopvang:80:10.50",
        ]))
        .unwrap();
        assert_eq!(from_file, from_flags);
    }
}
