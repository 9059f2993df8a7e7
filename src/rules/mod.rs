//! Pure benefit formulas.
//!
//! Owns: the annual entitlement of each benefit for one month's situation, computed exactly
//! ([`Fine`]) from [`Params`], and the Awir rounding rules that turn it into an award.
//! In: a [`Situation`] (partner, children, assets, assessed annual income). Out: exact amounts.
//!
//! Must not: draw random numbers, know about arms or advances, or hold an amount in code.
//! Huurtoeslag and kinderopvangtoeslag slot in as further [`Benefit`] variants with their own
//! module; the engine iterates over [`Benefit::ALL`] and needs no change.

pub mod awir;
pub mod kindgebonden_budget;
pub mod zorgtoeslag;

use crate::money::{Fine, Money};
use crate::parameters::Params;
use serde::Serialize;

/// Most children a simulated household can have (fixed-size storage, no allocation).
pub const MAX_CHILDREN: usize = 8;

/// A benefit (toeslag).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Benefit {
    /// Healthcare benefit.
    Zorgtoeslag,
    /// Child budget.
    KindgebondenBudget,
}

/// Number of benefits the engine knows.
pub const N_BENEFITS: usize = 2;

impl Benefit {
    /// Every benefit, in report order.
    pub const ALL: [Benefit; N_BENEFITS] = [Benefit::Zorgtoeslag, Benefit::KindgebondenBudget];

    /// The snake_case name used in scenarios and outputs.
    pub fn name(self) -> &'static str {
        match self {
            Benefit::Zorgtoeslag => "zorgtoeslag",
            Benefit::KindgebondenBudget => "kindgebonden_budget",
        }
    }

    /// Index into per-benefit arrays.
    pub fn index(self) -> usize {
        self as usize
    }

    /// Parses a scenario name; `Err` carries a message listing what is allowed.
    pub fn parse(s: &str) -> Result<Benefit, String> {
        match s {
            "zorgtoeslag" => Ok(Benefit::Zorgtoeslag),
            "kindgebonden_budget" => Ok(Benefit::KindgebondenBudget),
            "huurtoeslag" | "kinderopvangtoeslag" => Err(format!(
                "`{s}` is not simulated yet (its 2026 rules are planned); allowed: zorgtoeslag, kindgebonden_budget"
            )),
            _ => Err(format!(
                "unknown benefit `{s}`; allowed: zorgtoeslag, kindgebonden_budget"
            )),
        }
    }
}

/// Ages of the children in one month, in fixed-size storage.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Children {
    ages: [u8; MAX_CHILDREN],
    len: u8,
}

impl Children {
    /// No children.
    pub const NONE: Children = Children {
        ages: [0; MAX_CHILDREN],
        len: 0,
    };

    /// From a slice of ages (extra children beyond [`MAX_CHILDREN`] are ignored).
    pub fn from_ages(ages: &[u8]) -> Children {
        let mut c = Children::NONE;
        for &a in ages.iter().take(MAX_CHILDREN) {
            c.push(a);
        }
        c
    }

    /// Adds a child; ignored when full.
    pub fn push(&mut self, age: u8) {
        if (self.len as usize) < MAX_CHILDREN {
            self.ages[self.len as usize] = age;
            self.len += 1;
        }
    }

    /// The ages.
    pub fn ages(&self) -> &[u8] {
        &self.ages[..self.len as usize]
    }

    /// Number of children.
    pub fn len(&self) -> usize {
        self.len as usize
    }

    /// True if there are no children.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
}

/// What the rules need to know for one month.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Situation {
    /// Has a benefit partner (toeslagpartner) this month.
    pub partner: bool,
    /// Children living in the household this month (ages this month).
    pub children: Children,
    /// Assets (vermogen) on 1 January, joint with a partner.
    pub assets: Money,
    /// Assessed annual income (toetsingsinkomen): the applicant's plus, in partner months, the
    /// partner's annual income.
    pub income: Money,
}

/// The exact (unrounded) annual entitlement of `benefit` if `situation` held all year.
pub fn annual_exact(benefit: Benefit, p: &Params, situation: &Situation) -> Fine {
    match benefit {
        Benefit::Zorgtoeslag => zorgtoeslag::annual_exact(&p.zorgtoeslag, situation),
        Benefit::KindgebondenBudget => {
            kindgebonden_budget::annual_exact(&p.kindgebonden_budget, situation)
        }
    }
}
