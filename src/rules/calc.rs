//! The calculator's household and its award: one household whose situation holds all year,
//! each benefit's exact amount, award and monthly advance, with the building blocks.
//!
//! Owns: [`CalcHousehold`], [`compute`] and its [`CalcResult`]. Pure: one household, the
//! embedded parameters of its year, no randomness, exactly as the simulation computes a
//! situation that holds all year. Must not: read files, parse flags or render (the household
//! file is `scenario::household`, the renderings `output::calc`).

use super::blocks::building_blocks;
use super::{
    self as rules, awir, Benefit, Care, Children, CoResident, CoResidents, Situation, N_BENEFITS,
};
use crate::error::{Error, Result};
use crate::model::money::{Fine, Money};
use crate::model::parameters::ParameterSet;

/// A household as the calculator takes it, after validation: one household whose situation
/// holds all year (incomes, rent, children with their care). Not the simulated
/// [`crate::model::household::Household`], which has a year of events.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CalcHousehold {
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
    /// Birthday month (1–12) of each child, aligned with `children`; `None` (or a missing
    /// entry): the child keeps its age all year. With a birthday the child's age is its age on
    /// the first of each month (docs/rules.md §4) and the award is the mean of the twelve
    /// monthly amounts, as the simulation computes it.
    pub birthdays: Vec<Option<u8>>,
    /// Childcare hours per month (January–December) of each child with care whose hours change
    /// in the year (aligned with `children`; `None`: the child's `hours` every month). The
    /// hours cap then works as the annual pool (docs/rules.md §3).
    pub hours_by_month: Vec<Option<[u16; 12]>>,
    /// The applicant's age (`None`: an adult past every age limit).
    pub age: Option<u8>,
    /// The partner's age (`None`: an adult past every age limit).
    pub partner_age: Option<u8>,
}

impl CalcHousehold {
    /// The situation the rules take in January (all year when no child has a birthday).
    pub fn situation(&self) -> Situation {
        self.situation_in(1)
    }

    /// Does the situation change during the year (a child with a birthday before December)?
    pub fn changes_in_year(&self) -> bool {
        self.birthdays.iter().flatten().any(|&m| m < 12)
            || self.hours_by_month.iter().any(|h| h.is_some())
    }

    /// The situation in `month` (1–12): each child at its age on the first of the month.
    pub fn situation_in(&self, month: u8) -> Situation {
        let mut children = Children::NONE;
        for (i, &(age, care)) in self.children.iter().enumerate() {
            let age = match self.birthdays.get(i).copied().flatten() {
                Some(b) => super::kindgebonden_budget::age_in_month(age, b, month),
                None => age,
            };
            let care = match (care, self.hours_by_month.get(i).copied().flatten()) {
                (Some(c), Some(hours)) => Some(Care {
                    hours: hours[month as usize - 1],
                    ..c
                }),
                (c, _) => c,
            };
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
            applicant_age: self.age,
            partner_age: self.partner_age,
        }
    }
}

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
    pub household: CalcHousehold,
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

/// Computes all four benefits. A benefit the year cannot compute is an error when the
/// household asks for it (rent given for huurtoeslag, childcare for kinderopvangtoeslag), and a
/// zero with the reason otherwise.
pub fn compute(h: &CalcHousehold) -> Result<CalcResult> {
    let set = ParameterSet::for_year(h.year).map_err(Error::Usage)?;
    let p = set.resolve().map_err(Error::Internal)?;
    let s = h.situation();
    let asks = |b: Benefit| match b {
        Benefit::Huurtoeslag => s.rent > Money::ZERO,
        Benefit::Kinderopvangtoeslag => s.children.care().iter().any(|c| c.is_some()),
        _ => false,
    };
    // A year whose situation changes is computed month by month once, for every benefit the
    // year can compute (with the rules that span months).
    let year = h.changes_in_year().then(|| {
        let months: [Situation; 12] = std::array::from_fn(|m| h.situation_in(m as u8 + 1));
        let available = Benefit::ALL.map(|b| b.available(&p).is_ok());
        rules::year_amounts(&p, &available, &months)
    });
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
        let mut bl = building_blocks(b, &p, &s);
        let exact = if h.changes_in_year() {
            // Σ over months of the month's exact annual amount, / 12 (as the engine, with the
            // rules that span months: the childcare hours pool).
            let mut sum = Fine::ZERO;
            let mut by_month = Vec::with_capacity(12);
            for a in year.iter().flatten() {
                let x = a[b.index()];
                sum.0 += x.0;
                by_month.push(super::blocks::fine_text(x));
            }
            bl.lines.push((
                if h.hours_by_month.iter().any(|x| x.is_some()) {
                    "year of changing situations (ages on the 1st of each month, childcare hours by month, unused hours carried forward)".into()
                } else {
                    "year of changing ages (age on the 1st of each month)".into()
                },
                format!("mean of the monthly annual amounts {}", by_month.join(", ")),
            ));
            sum.div_trunc(12)
        } else {
            rules::annual_exact(b, &p, &s)
        };
        let annual = awir::annual_award(&p.awir, exact);
        let monthly = awir::monthly(annual);
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

/// One benefit's expected amounts in a reference case (`[expected.<benefit>]` of
/// `tests/cases/*.toml`; the file is read by `scenario::household`).
#[derive(serde::Deserialize, Debug, Clone, Copy, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct CaseExpected {
    /// Euros a year (the award after Awir rounding).
    pub annual: Option<i64>,
    /// Euros a month (floor of annual / 12).
    pub monthly: Option<i64>,
    /// Euros either way.
    #[serde(default)]
    pub tolerance: i64,
}

/// One expected amount of a reference case against the computed one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CaseCheck {
    /// The benefit's name as the case gives it.
    pub benefit: String,
    /// `annual` or `monthly`.
    pub what: &'static str,
    /// Expected euros.
    pub expected: i64,
    /// Allowed difference either way, euros.
    pub tolerance: i64,
    /// Computed euros (`None`: the benefit name is unknown).
    pub actual: Option<i64>,
}

impl CaseCheck {
    /// Does the computed amount match within the tolerance?
    pub fn holds(&self) -> bool {
        self.actual
            .is_some_and(|a| (a - self.expected).abs() <= self.tolerance)
    }
}

/// Compares a reference case's expected amounts (`[expected.<benefit>]`) with a result.
pub fn check_expected(
    r: &CalcResult,
    expected: &std::collections::BTreeMap<String, CaseExpected>,
) -> Vec<CaseCheck> {
    let mut out = Vec::new();
    for (name, exp) in expected {
        let got = Benefit::parse(name).ok().map(|b| r.get(b));
        for (what, want, actual) in [
            ("annual", exp.annual, got.map(|g| g.annual.whole_euros())),
            ("monthly", exp.monthly, got.map(|g| g.monthly.whole_euros())),
        ] {
            if let Some(expected) = want {
                out.push(CaseCheck {
                    benefit: name.clone(),
                    what,
                    expected,
                    tolerance: exp.tolerance,
                    actual,
                });
            }
        }
    }
    out
}
