//! What a benefit is computed on: the benefits, a month's situation (partner, children and
//! their childcare, assets, income, rent, co-residents). The formulas are in `rules`.
//!
//! Must not: compute an amount, draw random numbers, do I/O.

use crate::model::money::Money;
use crate::model::parameters::Params;
use serde::Serialize;

/// Most children a simulated household can have (fixed-size storage, no allocation).
pub const MAX_CHILDREN: usize = 8;
/// Most co-residents (medebewoners: adults other than the partner, or children who are not in
/// [`Children`]) a household can have.
pub const MAX_CO_RESIDENTS: usize = 4;

/// A benefit (toeslag).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Benefit {
    /// Healthcare benefit.
    Zorgtoeslag,
    /// Rent benefit.
    Huurtoeslag,
    /// Childcare benefit.
    Kinderopvangtoeslag,
    /// Child budget.
    KindgebondenBudget,
}

/// Number of benefits the engine knows.
pub const N_BENEFITS: usize = 4;

impl Benefit {
    /// Every benefit, in report order (the order of the declaration, so `index` matches).
    pub const ALL: [Benefit; N_BENEFITS] = [
        Benefit::Zorgtoeslag,
        Benefit::Huurtoeslag,
        Benefit::Kinderopvangtoeslag,
        Benefit::KindgebondenBudget,
    ];

    /// The snake_case name used in scenarios, parameter groups and outputs.
    pub fn name(self) -> &'static str {
        match self {
            Benefit::Zorgtoeslag => "zorgtoeslag",
            Benefit::Huurtoeslag => "huurtoeslag",
            Benefit::Kinderopvangtoeslag => "kinderopvangtoeslag",
            Benefit::KindgebondenBudget => "kindgebonden_budget",
        }
    }

    /// Whether the year's parameters can compute this benefit; the reason when not.
    pub fn available(self, p: &Params) -> Result<(), &str> {
        match self {
            Benefit::Zorgtoeslag | Benefit::KindgebondenBudget => Ok(()),
            Benefit::Huurtoeslag => p.huurtoeslag.as_ref().map(|_| ()).map_err(|e| e.as_str()),
            Benefit::Kinderopvangtoeslag => p
                .kinderopvangtoeslag
                .as_ref()
                .map(|_| ())
                .map_err(|e| e.as_str()),
        }
    }

    /// Index into per-benefit arrays.
    pub fn index(self) -> usize {
        self as usize
    }

    /// Parses a scenario name; `Err` carries a message listing what is allowed.
    pub fn parse(s: &str) -> Result<Benefit, String> {
        Benefit::ALL
            .into_iter()
            .find(|b| b.name() == s)
            .ok_or_else(|| {
                format!(
                    "unknown benefit `{s}`; allowed: {}",
                    Benefit::ALL.map(|b| b.name()).join(", ")
                )
            })
    }
}

/// Type of childcare (docs/rules.md §3), each with its own maximum hourly price.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CareType {
    /// Day care (dagopvang), mostly children 0–3.
    Dagopvang,
    /// Out-of-school care (buitenschoolse opvang), school children 4–12.
    Bso,
    /// Childminder (gastouderopvang).
    Gastouder,
}

impl CareType {
    /// Every type, in the order of `KinderopvangtoeslagParams::max_price`.
    pub const ALL: [CareType; 3] = [CareType::Dagopvang, CareType::Bso, CareType::Gastouder];

    /// The name used in scenarios, household files and the `--child` flag.
    pub fn name(self) -> &'static str {
        match self {
            CareType::Dagopvang => "dagopvang",
            CareType::Bso => "bso",
            CareType::Gastouder => "gastouder",
        }
    }

    /// Index into per-type arrays.
    pub fn index(self) -> usize {
        self as usize
    }

    /// Parses a name; the error lists the allowed names.
    pub fn parse(s: &str) -> Result<CareType, String> {
        CareType::ALL
            .into_iter()
            .find(|c| c.name() == s)
            .ok_or_else(|| {
                format!("unknown childcare type `{s}`; allowed: dagopvang, bso, gastouder")
            })
    }
}

/// Childcare one child uses in a month.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Care {
    /// Type of care.
    pub kind: CareType,
    /// Hours of care in the month (whole hours).
    pub hours: u16,
    /// Hourly price the provider charges.
    pub price: Money,
}

/// Ages of the children in one month, and the childcare each uses, in fixed-size storage.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Children {
    ages: [u8; MAX_CHILDREN],
    care: [Option<Care>; MAX_CHILDREN],
    len: u8,
}

impl Children {
    /// No children.
    pub const NONE: Children = Children {
        ages: [0; MAX_CHILDREN],
        care: [None; MAX_CHILDREN],
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

    /// Adds a child without childcare; ignored when full.
    pub fn push(&mut self, age: u8) {
        self.push_with_care(age, None);
    }

    /// Adds a child with its childcare; ignored when full.
    pub fn push_with_care(&mut self, age: u8, care: Option<Care>) {
        if (self.len as usize) < MAX_CHILDREN {
            self.ages[self.len as usize] = age;
            self.care[self.len as usize] = care;
            self.len += 1;
        }
    }

    /// The ages.
    pub fn ages(&self) -> &[u8] {
        &self.ages[..self.len as usize]
    }

    /// The childcare per child, aligned with [`Children::ages`].
    pub fn care(&self) -> &[Option<Care>] {
        &self.care[..self.len as usize]
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

/// A co-resident (medebewoner) for the rent benefit: someone living at the address who is
/// neither the applicant, the partner nor one of the [`Children`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct CoResident {
    /// Age on 1 January (a child living at home below the exempt age on 1 January has part of
    /// its income exempt for the whole year, the year it turns 23 included).
    pub age: u8,
    /// Annual income (toetsingsinkomen).
    pub income: Money,
    /// A child living at home (of the applicant, the partner or another co-resident): only a
    /// child has the income exemption; a lodger or an adult friend never has it.
    pub child: bool,
    /// Own assets on 1 January: above the per-person limit nobody at the address gets
    /// huurtoeslag.
    pub assets: Money,
}

/// The co-residents of one month, in fixed-size storage.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CoResidents {
    list: [CoResident; MAX_CO_RESIDENTS],
    len: u8,
}

impl CoResidents {
    /// No co-residents.
    pub const NONE: CoResidents = CoResidents {
        list: [CoResident {
            age: 0,
            income: Money::ZERO,
            child: false,
            assets: Money::ZERO,
        }; MAX_CO_RESIDENTS],
        len: 0,
    };

    /// Adds a co-resident; ignored when full.
    pub fn push(&mut self, c: CoResident) {
        if (self.len as usize) < MAX_CO_RESIDENTS {
            self.list[self.len as usize] = c;
            self.len += 1;
        }
    }

    /// The co-residents.
    pub fn as_slice(&self) -> &[CoResident] {
        &self.list[..self.len as usize]
    }

    /// Number of co-residents.
    pub fn len(&self) -> usize {
        self.len as usize
    }

    /// True if there are none.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
}

/// What the rules need to know for one month. `Copy`, fixed size: no allocation.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Situation {
    /// Has a benefit partner (toeslagpartner) this month.
    pub partner: bool,
    /// Children living in the household this month (ages this month), with their childcare.
    pub children: Children,
    /// Assets (vermogen) on 1 January, joint with a partner.
    pub assets: Money,
    /// Assessed annual income (toetsingsinkomen): the applicant's plus, in partner months, the
    /// partner's annual income.
    pub income: Money,
    /// Monthly rent (kale huur); zero when the household does not rent (no rent benefit).
    pub rent: Money,
    /// Co-residents (their income counts for the rent benefit only).
    pub co_residents: CoResidents,
    /// The applicant's age; `None`: an adult past every age limit (the simulation draws no
    /// adult ages). Read by the huurtoeslag youth limit only.
    pub applicant_age: Option<u8>,
    /// The partner's age (in partner months); `None` as for the applicant.
    pub partner_age: Option<u8>,
}

impl Situation {
    /// Persons in the household: applicant, partner, children and co-residents.
    pub fn persons(&self) -> usize {
        1 + usize::from(self.partner) + self.children.len() + self.co_residents.len()
    }
}
