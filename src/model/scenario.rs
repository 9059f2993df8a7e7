//! A resolved scenario: everything a run needs, validated (the loader in `scenario` builds it
//! from a TOML file; programs may build or change one in code).
//!
//! Must not: read files, know TOML, draw random numbers.

use crate::model::benefit::N_BENEFITS;
use crate::model::expectation::Expectation;
use crate::model::money::{Money, Rate};
use crate::model::parameters::{Override, ParameterSet, Params};
use crate::model::policy::CustomPolicy;
use std::path::PathBuf;

/// The legal floor of a reduced advance (the 2026 progress letter: agreed room down to 70%).
pub const LEGAL_FLOOR: Rate = Rate::percent(70);
/// Household types, in report order.
pub const HOUSEHOLD_TYPES: [&str; 4] =
    ["single", "couple", "single_parent", "couple_with_children"];
/// Number of household types.
pub const N_TYPES: usize = 4;

// ------------------------------------------------------------------------------------------
// Resolved scenario (what the engine uses)
// ------------------------------------------------------------------------------------------

/// How households are assigned to arms.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Design {
    /// Every household under every arm with the same draws (common random numbers).
    Paired,
    /// Each household in one arm, drawn with the arms' shares.
    Randomized,
}

impl Design {
    /// The scenario name.
    pub fn name(self) -> &'static str {
        match self {
            Design::Paired => "paired",
            Design::Randomized => "randomized",
        }
    }
}

/// What the agency does with past months after an in-year recalculation (docs/rules.md §5).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Recalculation {
    /// Spread the difference over the remaining months; an overpayment that the remaining
    /// months cannot absorb is reclaimed at once.
    Spread,
    /// Settle the past months at once: a lump-sum payment or in-year reclaim.
    LumpSum,
}

impl Recalculation {
    /// The scenario name.
    pub fn name(self) -> &'static str {
        match self {
            Recalculation::Spread => "spread",
            Recalculation::LumpSum => "lump_sum",
        }
    }
}

/// An arm's advance policy.
#[derive(Clone, Debug, PartialEq)]
pub enum AdvancePolicy {
    /// 100% of the calculated advance (control).
    Standard,
    /// A fixed fraction of the calculated advance for households that accept the offer.
    Cautious {
        /// The fraction, e.g. 80%.
        fraction: Rate,
    },
    /// A household-chosen percentage for households that accept the offer.
    Adjustable {
        /// Distribution of chosen percentages.
        choice: Vec<ChoiceBand>,
    },
    /// A policy defined in code (library use only; scenario files cannot name it): a function
    /// of the household and its arm gives the percentage for households that accept the offer.
    Custom(CustomPolicy),
}

impl AdvancePolicy {
    /// The scenario name.
    pub fn name(&self) -> &'static str {
        match self {
            AdvancePolicy::Standard => "standard",
            AdvancePolicy::Cautious { .. } => "cautious",
            AdvancePolicy::Adjustable { .. } => "adjustable",
            AdvancePolicy::Custom(_) => "custom",
        }
    }

    /// The policy in a few words, for the arms table of report.md.
    pub fn describe(&self) -> String {
        match self {
            AdvancePolicy::Standard => "standard: 100% of the calculated advance".to_string(),
            AdvancePolicy::Cautious { fraction } => {
                format!("cautious: {} of the calculated advance", fraction)
            }
            AdvancePolicy::Adjustable { choice } => {
                let total = choice.iter().map(|c| c.weight).sum::<f64>();
                format!(
                    "adjustable: household picks a percentage ({})",
                    choice
                        .iter()
                        .map(|b| format!("{}–{}%: {:.0}%", b.lo, b.hi, b.weight * 100.0 / total))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            }
            AdvancePolicy::Custom(p) => {
                format!("custom: `{}` (a policy defined in code)", p.name())
            }
        }
    }

    /// The policy as a sentence, for one household's story (`explain`); an offered policy is
    /// followed there by its take-up.
    pub fn describe_long(&self) -> String {
        match self {
            AdvancePolicy::Standard => "standard advance (100% of the calculated advance)".into(),
            AdvancePolicy::Cautious { fraction } => {
                format!("cautious advance: {fraction} of the calculated advance")
            }
            AdvancePolicy::Adjustable { .. } => {
                "adjustable advance: a percentage the household picks".into()
            }
            AdvancePolicy::Custom(c) => format!("custom advance policy `{}` (from code)", c.name()),
        }
    }

    /// Is a household in an arm with this policy offered a reduced advance (which it may
    /// take up)? False only for the standard advance.
    pub fn offers(&self) -> bool {
        match self {
            AdvancePolicy::Standard => false,
            AdvancePolicy::Cautious { .. }
            | AdvancePolicy::Adjustable { .. }
            | AdvancePolicy::Custom(_) => true,
        }
    }

    /// The single fixed fraction of the calculated advance paid to households that take the
    /// offer (the cautious policy), if the policy has one: sweeps vary it and the summary
    /// reports it.
    pub fn fixed_fraction(&self) -> Option<Rate> {
        match self {
            AdvancePolicy::Cautious { fraction } => Some(*fraction),
            AdvancePolicy::Standard
            | AdvancePolicy::Adjustable { .. }
            | AdvancePolicy::Custom(_) => None,
        }
    }

    /// As [`AdvancePolicy::fixed_fraction`], mutable (a sweep sets it).
    pub fn fixed_fraction_mut(&mut self) -> Option<&mut Rate> {
        match self {
            AdvancePolicy::Cautious { fraction } => Some(fraction),
            AdvancePolicy::Standard
            | AdvancePolicy::Adjustable { .. }
            | AdvancePolicy::Custom(_) => None,
        }
    }

    /// Does a household that takes the offer pick its percentage from choice bands (the
    /// adjustable policy)? Such arms accept `choice_volatile` and get the chosen-percentages
    /// chart.
    pub fn has_choice_bands(&self) -> bool {
        match self {
            AdvancePolicy::Adjustable { .. } => true,
            AdvancePolicy::Standard | AdvancePolicy::Cautious { .. } | AdvancePolicy::Custom(_) => {
                false
            }
        }
    }

    /// Can households that take the offer end up with different percentages (adjustable and
    /// custom policies)? The summary then reports the distribution of chosen percentages.
    pub fn varies_percentage(&self) -> bool {
        match self {
            AdvancePolicy::Adjustable { .. } | AdvancePolicy::Custom(_) => true,
            AdvancePolicy::Standard | AdvancePolicy::Cautious { .. } => false,
        }
    }
}

/// A band of chosen percentages: whole percentages `lo..hi` (half-open; a band ending at 100%
/// includes 100%), drawn uniformly, with a weight.
#[derive(Clone, Debug, PartialEq)]
pub struct ChoiceBand {
    /// Lowest whole percentage.
    pub lo: u32,
    /// Upper bound (exclusive unless 100).
    pub hi: u32,
    /// Relative weight.
    pub weight: f64,
}

/// The lab's chosen-percentage distribution (the 2026 progress letter, docs/rules.md §6): most chose 75–85%, a
/// sizeable group 85–95%, a smaller group below 75%. The weights are an assumption.
pub fn default_choice() -> Vec<ChoiceBand> {
    vec![
        ChoiceBand {
            lo: 70,
            hi: 75,
            weight: 0.10,
        },
        ChoiceBand {
            lo: 75,
            hi: 85,
            weight: 0.50,
        },
        ChoiceBand {
            lo: 85,
            hi: 95,
            weight: 0.30,
        },
        ChoiceBand {
            lo: 95,
            hi: 100,
            weight: 0.10,
        },
    ]
}

/// One experiment arm.
#[derive(Clone, Debug)]
pub struct Arm {
    /// Name, unique in the scenario.
    pub name: String,
    /// Advance policy.
    pub policy: AdvancePolicy,
    /// Share of offered households that accept (1 for the control arm).
    pub takeup: f64,
    /// Assignment weight in the randomized design.
    pub share: f64,
    /// Agency interventions in this arm (empty: none).
    pub interventions: Vec<InterventionKind>,
    /// Take-up among households with volatile income (flex, self-employed); `None`: `takeup`.
    pub takeup_volatile: Option<f64>,
    /// Chosen percentages of households with volatile income; `None`: the arm's `choice`.
    pub choice_volatile: Option<Vec<ChoiceBand>>,
    /// The arm's `allow_below_legal_floor = true`: advances below the legal floor of 0.70 are
    /// modelled (and a sweep may go below it).
    pub allow_below_legal_floor: bool,
    /// Factor on every household's probability of not applying for a benefit in this arm
    /// (`non_take_up_factor`, default 1: no change; below 1 the arm's advance policy draws
    /// households in that would not apply under control: new entrants).
    pub non_take_up_factor: f64,
}

impl Arm {
    /// An arm offering `policy` with take-up `takeup`, no interventions, assignment weight 1
    /// (for arms built in code, e.g. with [`AdvancePolicy::Custom`]).
    pub fn offered(name: impl Into<String>, policy: AdvancePolicy, takeup: f64) -> Arm {
        Arm {
            name: name.into(),
            policy,
            takeup,
            share: 1.0,
            interventions: Vec::new(),
            takeup_volatile: None,
            choice_volatile: None,
            allow_below_legal_floor: false,
            non_take_up_factor: 1.0,
        }
    }

    /// Is this the control arm's setup (standard advance, no intervention)?
    pub fn is_control(&self) -> bool {
        self.policy == AdvancePolicy::Standard && self.interventions.is_empty()
    }

    /// Does the arm use intervention `k`?
    pub fn has(&self, k: InterventionKind) -> bool {
        self.interventions.contains(&k)
    }
}

/// A distribution of a continuous quantity.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Dist {
    /// Always this value.
    Fixed(f64),
    /// Lognormal with this median and log-sd.
    LogNormal {
        /// Median of the value.
        median: f64,
        /// Standard deviation of the log.
        sigma: f64,
    },
    /// Normal.
    Normal {
        /// Mean.
        mean: f64,
        /// Standard deviation.
        sd: f64,
    },
    /// Uniform on `[min, max]`.
    Uniform {
        /// Lower bound.
        min: f64,
        /// Upper bound.
        max: f64,
    },
}

/// When in the year a shock happens.
#[derive(Clone, Debug, PartialEq)]
pub enum MonthSpec {
    /// Any month 1–12 with equal probability.
    Uniform,
    /// This month.
    Fixed(u8),
    /// Weights for months 1–12.
    Weights([f64; 12]),
}

/// What a shock does.
#[derive(Clone, Debug, PartialEq)]
pub enum ShockKind {
    /// The applicant's monthly income is multiplied by a factor from the shock month on.
    IncomeChange {
        /// Distribution of the factor.
        factor: Dist,
    },
    /// A partner moves in (households without partner only).
    PartnerMovesIn {
        /// The partner's annual income.
        income: Dist,
    },
    /// The partner moves out (households with partner only).
    PartnerMovesOut,
    /// A child is born.
    ChildBorn,
    /// The applicant loses a job: income × factor (e.g. unemployment benefit ≈ 70%).
    JobLoss {
        /// Distribution of the factor.
        factor: Dist,
    },
    /// The applicant finds (more) work: income × factor.
    JobGain {
        /// Distribution of the factor.
        factor: Dist,
    },
    /// A pay rise: income × factor.
    Raise {
        /// Distribution of the factor.
        factor: Dist,
    },
    /// A one-off bonus paid in the month, as a multiple of that month's income.
    Bonus {
        /// Distribution of the multiple.
        months: Dist,
    },
    /// The hours of childcare of every child in care × factor from the month after.
    ChildcareHoursChange {
        /// Distribution of the factor.
        factor: Dist,
    },
    /// The rent × factor from the month after.
    RentChange {
        /// Distribution of the factor.
        factor: Dist,
    },
    /// The household's assets on 1 January turn out higher than it estimated by this amount
    /// (€): the advances use the estimate, the definitive award the true assets (the asset
    /// test looks at 1 January, so a whole year's entitlement goes when they pass the limit).
    /// Never reported during the year: found at the definitive award. The month is drawn but
    /// not used (the event is placed in January).
    AssetsAboveEstimate {
        /// Distribution of the extra assets, euros.
        amount: Dist,
    },
    /// The partner's annual income × factor from the shock month on (households with a
    /// partner only): the year's partner income is `(m − 1 + (13 − m) × factor) / 12` of it.
    PartnerIncomeChange {
        /// Distribution of the factor.
        factor: Dist,
    },
    /// A co-resident (medebewoner) with this annual income moves in or starts earning; counts
    /// for huurtoeslag from the month after.
    CoResidentIncome {
        /// The co-resident's annual income.
        income: Dist,
    },
    /// A benefit partner the household never reported (it applied as single) is counted at the
    /// definitive award from the shock month on (month 1: the whole year); households without a
    /// partner only. Never reported during the year.
    PartnerFoundAfterwards {
        /// The partner's annual income.
        income: Dist,
    },
    /// The applicant's income of the whole year × factor, known only after the year (the
    /// self-employed's profit); the household learns it in the shock month and reports it with
    /// the `self_employed_income` probability (default 0: not until the assessment).
    SelfEmployedIncome {
        /// Distribution of the factor.
        factor: Dist,
    },
    /// Childcare of every child in care ends: hours 0 from the month after.
    ChildcareStops,
}

/// Names of the shock kinds, in the order the validator lists them.
pub const SHOCK_KINDS: [&str; 16] = [
    "income_change",
    "partner_moves_in",
    "partner_moves_out",
    "child_born",
    "job_loss",
    "job_gain",
    "raise",
    "bonus",
    "childcare_hours_change",
    "rent_change",
    "assets_above_estimate",
    "partner_income_change",
    "co_resident_income",
    "partner_found_afterwards",
    "self_employed_income",
    "childcare_stops",
];

impl ShockKind {
    /// The scenario name.
    pub fn name(&self) -> &'static str {
        match self {
            ShockKind::IncomeChange { .. } => "income_change",
            ShockKind::PartnerMovesIn { .. } => "partner_moves_in",
            ShockKind::PartnerMovesOut => "partner_moves_out",
            ShockKind::ChildBorn => "child_born",
            ShockKind::JobLoss { .. } => "job_loss",
            ShockKind::JobGain { .. } => "job_gain",
            ShockKind::Raise { .. } => "raise",
            ShockKind::Bonus { .. } => "bonus",
            ShockKind::ChildcareHoursChange { .. } => "childcare_hours_change",
            ShockKind::RentChange { .. } => "rent_change",
            ShockKind::AssetsAboveEstimate { .. } => "assets_above_estimate",
            ShockKind::PartnerIncomeChange { .. } => "partner_income_change",
            ShockKind::CoResidentIncome { .. } => "co_resident_income",
            ShockKind::PartnerFoundAfterwards { .. } => "partner_found_afterwards",
            ShockKind::SelfEmployedIncome { .. } => "self_employed_income",
            ShockKind::ChildcareStops => "childcare_stops",
        }
    }

    /// The change type of the error-distribution kinds that have their own (issue 18):
    /// `None` for the older kinds and for those never reported.
    pub fn own_change_type(&self) -> Option<ChangeType> {
        match self {
            ShockKind::PartnerIncomeChange { .. } => Some(ChangeType::PartnerIncome),
            ShockKind::CoResidentIncome { .. } => Some(ChangeType::CoResident),
            ShockKind::SelfEmployedIncome { .. } => Some(ChangeType::SelfEmployedIncome),
            ShockKind::ChildcareStops => Some(ChangeType::ChildcareStops),
            _ => None,
        }
    }
}

/// A shock during the year.
#[derive(Clone, Debug, PartialEq)]
pub struct Shock {
    /// What happens.
    pub kind: ShockKind,
    /// Probability that it happens to an eligible household in the year.
    pub probability: f64,
    /// When.
    pub month: MonthSpec,
    /// Which employment types it can happen to (all when the population has no employment
    /// table).
    pub employment: [bool; 3],
}

/// The synthetic population.
#[derive(Clone, Debug)]
pub struct Population {
    /// Which benefits are simulated.
    pub benefits: [bool; N_BENEFITS],
    /// Shares of the household types, in [`HOUSEHOLD_TYPES`] order (sum 1).
    pub household_types: [f64; N_TYPES],
    /// The applicant's annual income at the start of the year (€).
    pub income: Dist,
    /// A partner's annual income (€).
    pub partner_income: Dist,
    /// Weights for 1, 2, 3, … children in households with children.
    pub children_counts: Vec<f64>,
    /// Children's ages are uniform on 0..=max_age at the start of the year.
    pub child_max_age: u8,
    /// Share of households with assets.
    pub assets_share: f64,
    /// Assets of households that have them (€).
    pub assets: Dist,
    /// Factor between the household's own income estimate and its actual start income.
    pub estimate_error: Dist,
    /// Share of households that rent (and may claim rent benefit).
    pub renters_share: f64,
    /// Monthly rent (kale huur) of renters (€).
    pub rent: Dist,
    /// Share of households with one co-resident (medebewoner).
    pub co_resident_share: f64,
    /// Share of co-residents younger than 23 (part of their income is exempt).
    pub co_resident_under_23_share: f64,
    /// A co-resident's annual income (€).
    pub co_resident_income: Dist,
    /// Share of children up to `childcare_max_age` who use formal childcare.
    pub childcare_share: f64,
    /// Oldest age at which a child uses childcare (BSO ends with primary school).
    pub childcare_max_age: u8,
    /// Share of children in care who go to a childminder (gastouder) rather than a centre.
    pub gastouder_share: f64,
    /// Actual hours of care per month (whole hours after rounding).
    pub childcare_hours: Dist,
    /// Hourly price as a factor of the year's maximum hourly price for the care type.
    pub childcare_price_factor: Dist,
    /// The household's estimate of the hours (used for the advance) = actual × this factor.
    pub childcare_hours_estimate_error: Dist,
    /// Employment types and income volatility (`None`: no employment model).
    pub employment: Option<Employment>,
}

/// The kinds of change a household may have to report, each with its own reporting
/// probability and delay. A child turning 18 (or any birthday) needs no report: the agency
/// knows birth dates from the population register (BRP), so ages are always known.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChangeType {
    /// The applicant's income rises (raise, new job, bonus, upward volatility).
    IncomeUp = 0,
    /// The applicant's income falls (job loss, downward volatility).
    IncomeDown = 1,
    /// A partner moves in.
    PartnerIn = 2,
    /// The partner moves out.
    PartnerOut = 3,
    /// A child is born.
    ChildBorn = 4,
    /// The hours of childcare used change.
    ChildcareHours = 5,
    /// The rent changes.
    Rent = 6,
    /// The partner's income changes (`partner_income_change`).
    PartnerIncome = 7,
    /// A co-resident with income moves in or starts earning (`co_resident_income`).
    CoResident = 8,
    /// A self-employed applicant's year income differs from the estimate
    /// (`self_employed_income`).
    SelfEmployedIncome = 9,
    /// Childcare ends (`childcare_stops`).
    ChildcareStops = 10,
}

/// Number of change types.
pub const N_CHANGE_TYPES: usize = 11;

/// The change types before issue 18: the report lists these always, the later ones only when
/// a shock of their kind is in the scenario (so older reports keep their text).
pub const N_CLASSIC_CHANGE_TYPES: usize = 7;

impl ChangeType {
    /// Every change type, in index order.
    pub const ALL: [ChangeType; N_CHANGE_TYPES] = [
        ChangeType::IncomeUp,
        ChangeType::IncomeDown,
        ChangeType::PartnerIn,
        ChangeType::PartnerOut,
        ChangeType::ChildBorn,
        ChangeType::ChildcareHours,
        ChangeType::Rent,
        ChangeType::PartnerIncome,
        ChangeType::CoResident,
        ChangeType::SelfEmployedIncome,
        ChangeType::ChildcareStops,
    ];

    /// The scenario name (key in `report_delay_by_change`).
    pub fn name(self) -> &'static str {
        match self {
            ChangeType::IncomeUp => "income_up",
            ChangeType::IncomeDown => "income_down",
            ChangeType::PartnerIn => "partner_in",
            ChangeType::PartnerOut => "partner_out",
            ChangeType::ChildBorn => "child_born",
            ChangeType::ChildcareHours => "childcare_hours",
            ChangeType::Rent => "rent",
            ChangeType::PartnerIncome => "partner_income",
            ChangeType::CoResident => "co_resident",
            ChangeType::SelfEmployedIncome => "self_employed_income",
            ChangeType::ChildcareStops => "childcare_stops",
        }
    }

    /// Is this an income change (never reported by households unaware they must)? The
    /// partner's income and a self-employed year income count as income changes too.
    pub fn is_income(self) -> bool {
        matches!(
            self,
            ChangeType::IncomeUp
                | ChangeType::IncomeDown
                | ChangeType::PartnerIncome
                | ChangeType::SelfEmployedIncome
        )
    }
}

/// Reporting behaviour.
#[derive(Clone, Debug)]
pub struct Behaviour {
    /// Probability that a change of each type is ever reported, by [`ChangeType`] index.
    pub report: [f64; N_CHANGE_TYPES],
    /// Smallest and largest reporting delay in whole months (uniform between), by type.
    pub delay: [(u8, u8); N_CHANGE_TYPES],
    /// Share of households that do not know they must report income changes themselves
    /// (docs/rules.md §6 survey: 50% do not know); they never report an income change.
    pub unaware_income_share: f64,
    /// Non-take-up of the benefits (`[behaviour.non_take_up]`); `None`: every entitled
    /// household applies.
    pub non_take_up: Option<NonTakeUp>,
    /// Selection into an offered reduced advance (`[behaviour.selection]`).
    pub selection: Selection,
}

/// Non-take-up of the benefits: an entitled household does not apply for a benefit with
/// probability `base[b]` × the factors that apply to it (capped at 1), decided once at the year
/// start on what it expects (docs/behaviour.md "Non-take-up"). A household that does not apply
/// gets neither advances nor a definitive award for that benefit.
#[derive(Clone, Debug, PartialEq)]
pub struct NonTakeUp {
    /// Probability of not applying per benefit (by [`crate::model::benefit::Benefit`] index) for an
    /// employee who expects at least `small_amount` a month.
    pub base: [f64; crate::model::benefit::N_BENEFITS],
    /// Expected monthly amounts below this are small (CPB 2025: non-take-up is highest for
    /// amounts up to €50 a month).
    pub small_amount: Money,
    /// Factor on the probability for a small expected amount.
    pub small_amount_factor: f64,
    /// Factor for flex workers (irregular income: fear of a reclaim).
    pub flex_factor: f64,
    /// Factor for the self-employed (CPB 2025: huurtoeslag > 25%, zorgtoeslag 20%).
    pub self_employed_factor: f64,
}

/// How households select themselves into an offered reduced advance (docs/behaviour.md
/// "Selection into the offer"). Strength 0 is random selection (the take-up and choice draws
/// are independent of the household); positive strengths make households with higher risk
/// signals take the offer more and choose lower percentages, keeping the arm's overall take-up.
#[derive(Clone, Debug, PartialEq)]
pub struct Selection {
    /// Correlation, −1 to 1, of the take-up latent with the household's risk score (0: random;
    /// 1: the riskiest households take the offer first; −1: the safest).
    pub strength: f64,
    /// The same for the chosen percentage of an adjustable advance (positive: riskier
    /// households choose lower percentages).
    pub choice_strength: f64,
    /// Weight in the risk score of a volatile income (flex or self-employed).
    pub w_volatile: f64,
    /// Weight of a reclaim last year.
    pub w_prior_reclaim: f64,
    /// Weight per unit of ln(1 + the year's 100% advances in thousands of euros).
    pub w_benefit_size: f64,
    /// Weight of children in the household.
    pub w_children: f64,
    /// Probability of a reclaim last year for a household that would have a reclaim this year
    /// under the standard advance (persistence; assumption).
    pub prior_reclaim_if_reclaim: f64,
    /// Probability of a reclaim last year for the other households (assumption).
    pub prior_reclaim_otherwise: f64,
    /// The other selection strengths `run` also simulates, to show the headline effect under
    /// each beside the scenario's own (both strengths set to the value; empty: none).
    pub sensitivity: Vec<f64>,
}

/// The selection strengths `run` compares the scenario's own with by default: random, the
/// riskier households opting in more, the safer ones opting in more.
pub const DEFAULT_SELECTION_SENSITIVITY: [f64; 3] = [0.0, 0.5, -0.5];

impl Default for Selection {
    fn default() -> Self {
        Selection {
            strength: 0.0,
            choice_strength: 0.0,
            w_volatile: 1.0,
            w_prior_reclaim: 1.0,
            w_benefit_size: 0.5,
            w_children: 0.25,
            prior_reclaim_if_reclaim: 0.6,
            prior_reclaim_otherwise: 0.2,
            sensitivity: DEFAULT_SELECTION_SENSITIVITY.to_vec(),
        }
    }
}

impl Selection {
    /// Random selection (both strengths 0).
    pub fn is_random(&self) -> bool {
        self.strength == 0.0 && self.choice_strength == 0.0
    }
}

impl Behaviour {
    /// Reporting probability of a change type.
    pub fn p(&self, t: ChangeType) -> f64 {
        self.report[t as usize]
    }
}

/// Employment types, in index order.
pub const EMPLOYMENT_TYPES: [&str; 3] = ["employee", "flex", "self_employed"];

/// Employment types and their income volatility (`[population.employment]`).
#[derive(Clone, Debug, PartialEq)]
pub struct Employment {
    /// Shares of employee, flex worker, self-employed (sum 1).
    pub shares: [f64; 3],
    /// Log-sd of a once-a-year income surprise factor (median 1) in a uniform month, by type.
    pub volatility: [f64; 3],
    /// Log-sd of the household's own income estimate around its actual start income, by type
    /// (a median-1 lognormal factor that multiplies `population.estimate_error`).
    pub estimate_sigma: [f64; 3],
}

/// Agency procedures that apply to every arm (`[agency]`).
#[derive(Clone, Debug, PartialEq)]
pub struct Agency {
    /// Extra indexation the agency adds to the estimated income at the year start, on top of
    /// the household's estimate (docs/rules.md §5: +3% extra since 2025). Default 0.
    pub income_indexation_extra: f64,
}

/// An agency intervention an arm can switch on (combinable with any advance policy).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InterventionKind {
    /// Letters to households whose childcare estimate differs from provider data.
    AttentionLetter,
    /// A notice at the year start asking households to report changes.
    YearStartNotice,
    /// The agency changes the advance itself on data, after a letter, when that lowers it.
    Mutation,
    /// Personal guidance that brings the household's data up to date.
    PersonalGuidance,
}

impl InterventionKind {
    /// Every intervention.
    pub const ALL: [InterventionKind; 4] = [
        InterventionKind::AttentionLetter,
        InterventionKind::YearStartNotice,
        InterventionKind::Mutation,
        InterventionKind::PersonalGuidance,
    ];

    /// The scenario name.
    pub fn name(self) -> &'static str {
        match self {
            InterventionKind::AttentionLetter => "attention_letter",
            InterventionKind::YearStartNotice => "year_start_notice",
            InterventionKind::Mutation => "mutation",
            InterventionKind::PersonalGuidance => "personal_guidance",
        }
    }
}

/// Parameters of the interventions (`[interventions.*]`), shared by every arm that uses them.
/// Facts marked `[U]` in the domain notes are parameters here and listed as assumptions.
/// The process rules are those of docs/rules.md §7.
#[derive(Clone, Debug, PartialEq)]
pub struct InterventionParams {
    /// Share of households with childcare whose provider's data are in the agency's two
    /// highest reliability categories (one draw per household; assumption `[U]`). Attention
    /// letters and childcare mutation use only such data.
    pub provider_quality_share: f64,
    /// Attention letter: month the letter is sent (provider data of that month).
    pub letter_month: u8,
    /// Attention letter: share of households with a letter that report their actual childcare
    /// (docs/rules.md §7: over 2,600 of 12,000 ≈ 22% adjusted).
    pub letter_response_share: f64,
    /// Attention letter: relative gap between the hours the agency pays on and the provider's
    /// hours above which a letter is sent (assumption `[U]`, set for a realistic reach).
    pub letter_gap_threshold: f64,
    /// Year-start notice: reporting probabilities are multiplied by this, capped at 1
    /// (docs/rules.md §7: notified parents reported a change 3× as often as the control group;
    /// a calibrated factor).
    pub notice_multiplier: f64,
    /// Mutation: months in which the agency runs its check (a letter goes out when the data
    /// lower the household's total advance).
    pub mutation_months: Vec<u8>,
    /// Mutation: most letters sent at a time (one per child whose data change); a household
    /// with more children to change is sent to the attention process instead (docs/rules.md
    /// §7: at most 3).
    pub mutation_max_letters: u8,
    /// Mutation: share of households (among those that do not report themselves) that object
    /// within the 3 weeks (assumption `[U]`).
    pub mutation_objection_share: f64,
    /// Mutation: share of households with a letter that report their actual situation
    /// themselves, so the agency's mutation is not carried out (assumption `[U]`).
    pub mutation_self_report_share: f64,
    /// Mutation: a household that reported a change (to the advance from) in the last this
    /// many months before a run is skipped in that run (docs/rules.md §7: 1 in 2026, 3 in 2025).
    pub mutation_exclusion_months: u8,
    /// Mutation: the gap must be confirmed in this many consecutive monthly provider
    /// deliveries up to the run month (docs/rules.md §7: 2 in 2026, 3 in 2025).
    pub mutation_confirm_deliveries: u8,
    /// Mutation: relative gap between the hours the agency pays on and the provider's hours
    /// above which a child's data are changed (assumption `[U]`, set for a realistic reach).
    pub mutation_gap_threshold: f64,
    /// Mutation: on childcare provider data.
    pub mutation_childcare: bool,
    /// Mutation: on income data (payroll data: employees and flex workers, not self-employed).
    pub mutation_income: bool,
    /// Personal guidance: share of the eligible households (childcare gap above
    /// `guidance_gap_threshold`) that get and accept guidance (assumption `[U]`).
    pub guidance_share: f64,
    /// Personal guidance: only households whose childcare gap exceeds this relative gap are
    /// eligible (the largest gaps; assumption `[U]`).
    pub guidance_gap_threshold: f64,
    /// Personal guidance: month in which the household's data are brought up to date.
    pub guidance_month: u8,
}

impl Default for InterventionParams {
    fn default() -> Self {
        InterventionParams {
            provider_quality_share: 0.5,
            letter_month: 3,
            letter_response_share: 0.22,
            letter_gap_threshold: 0.17,
            notice_multiplier: 3.0,
            mutation_months: vec![4, 6, 8, 10],
            mutation_max_letters: 3,
            mutation_objection_share: 0.05,
            mutation_self_report_share: 0.2,
            mutation_exclusion_months: 1,
            mutation_confirm_deliveries: 2,
            mutation_gap_threshold: 0.22,
            mutation_childcare: true,
            mutation_income: false,
            guidance_share: 0.05,
            guidance_gap_threshold: 0.3,
            guidance_month: 3,
        }
    }
}

/// A `[lab]` reference block: which arms replicate the lab experiments of the 2026 progress letter.
#[derive(Clone, Debug, PartialEq)]
pub struct Lab {
    /// The arm replicating lab 1 (cautious 80%).
    pub cautious_arm: Option<String>,
    /// The arm replicating lab 2 (adjustable advance).
    pub adjustable_arm: Option<String>,
}

/// A validated scenario: everything the engine needs.
#[derive(Clone, Debug)]
pub struct Scenario {
    /// The file it came from.
    pub path: PathBuf,
    /// SHA-256 of the file's bytes.
    pub sha256: String,
    /// Experiment name (also the default output directory name).
    pub name: String,
    /// What it models.
    pub description: Option<String>,
    /// Benefit year.
    pub year: u16,
    /// Number of households.
    pub households: u64,
    /// Seed of all random draws.
    pub seed: u64,
    /// Assignment design.
    pub design: Design,
    /// Thresholds of a "high" reclaim, ascending.
    pub high_reclaim_thresholds: Vec<Money>,
    /// Recalculation rule.
    pub recalculation: Recalculation,
    /// Arms; `arms[0]` is the control arm.
    pub arms: Vec<Arm>,
    /// Population.
    pub population: Population,
    /// Shocks.
    pub shocks: Vec<Shock>,
    /// Behaviour.
    pub behaviour: Behaviour,
    /// Agency procedures for every arm.
    pub agency: Agency,
    /// Parameters of the interventions arms may use.
    pub interventions: InterventionParams,
    /// Lab reference block (replication of the 2026 progress letter's lab experiments).
    pub lab: Option<Lab>,
    /// Parameters in force (after overrides).
    pub parameter_set: ParameterSet,
    /// Typed parameters in force.
    pub params: Params,
    /// Parameter overrides the scenario makes.
    pub overrides: Vec<Override>,
    /// Independent replications (Monte Carlo standard errors when > 1).
    pub replications: u32,
    /// Compare the control arm with the public figures in every run (`compare_public`).
    pub compare_public: bool,
    /// Back-payments of one benefit up to this amount are rounding remainders, not counted as a
    /// back-payment (`backpay_threshold`, default €11).
    pub backpay_threshold: Money,
    /// The primary comparison metric (`primary_metric`, default `reclaim_share`).
    pub primary_metric: String,
    /// Expectations checked by `toeslagenlab check`.
    pub expectations: Vec<Expectation>,
    /// The file's `[sweep]` table as written (the default grid of `toeslagenlab sweep`, which
    /// checks it when it sweeps; `run` and `validate` ignore it).
    pub sweep_table: Option<toml::Value>,
    /// The file's `[uncertainty]` table: the assumptions `toeslagenlab uncertainty` draws
    /// (`run` ignores it; `scenario::overrides::check_uncertainty` checks every key applies).
    pub uncertainty: Option<crate::model::uncertainty::UncertaintySpec>,
    /// The scenario file's text (what `scenario::overrides` edits to set any key of the file).
    pub text: std::sync::Arc<str>,
    /// The reference sample of risk scores that selection into the offer ranks a household
    /// in (sorted; built by `sim::selection::prepared` before a run; `None` until then or with
    /// random selection).
    pub selection_reference: Option<std::sync::Arc<[f64]>>,
    /// The benefit years after the first one (`[horizon]`): `None` for a one-year scenario.
    pub horizon: Option<Horizon>,
}

/// Most benefit years a horizon may have.
pub const MAX_HORIZON_YEARS: usize = 10;

/// Where the next year's estimates start (`horizon.next_estimate`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NextEstimate {
    /// The agency's memory: the applicant's income of the last definitive award (the previous
    /// year's actual assessed income), the partner's actual income and the childcare actually
    /// used (docs/behaviour.md "Beyond one year").
    LastAward,
    /// The household gives a new estimate: its income at the new year's start × 12 × a fresh
    /// draw of the estimate error, as in the first year.
    Household,
}

impl NextEstimate {
    /// The name in scenario files.
    pub fn name(self) -> &'static str {
        match self {
            NextEstimate::LastAward => "last_award",
            NextEstimate::Household => "household",
        }
    }
}

/// One benefit year of a horizon and its parameters.
#[derive(Clone, Debug)]
pub struct HorizonYear {
    /// The benefit year.
    pub year: u16,
    /// No parameter file for the year: the last known year's parameters carried forward
    /// unchanged (a projection without indexation, marked in every output).
    pub projected: bool,
    /// Parameters in force (the scenario's `[parameters]` overrides applied).
    pub parameter_set: ParameterSet,
    /// Typed parameters in force.
    pub params: Params,
}

/// A horizon of consecutive benefit years (`[horizon]`): what carries over from one year to the
/// next and how the debts of reclaims are settled.
#[derive(Clone, Debug)]
pub struct Horizon {
    /// Every year, the first (`experiment.year`) included, in order.
    pub years: Vec<HorizonYear>,
    /// The month (1–12) of the following year in which a year's definitive award is settled
    /// (its reclaim becomes a debt, its back-payment is netted or paid) \[U\].
    pub settlement_month: u8,
    /// Where the next year's estimates start.
    pub next_estimate: NextEstimate,
    /// A household that had a reclaim in an arm last year is more willing to take that arm's
    /// offer: its take-up draw is multiplied by `1 − reclaim_takeup_shift` (0 to 1; default 0,
    /// no response) \[U\].
    pub reclaim_takeup_shift: f64,
}

impl Horizon {
    /// The months of the horizon: every benefit year's twelve and the last year's settlement
    /// months of the year after.
    pub fn months(&self) -> u16 {
        12 * self.years.len() as u16 + self.settlement_month as u16
    }

    /// The horizon month (0-based) in which year `t`'s definitive award is settled.
    pub fn settlement_of(&self, t: usize) -> u16 {
        12 * (t as u16 + 1) + self.settlement_month as u16 - 1
    }
}

/// Most grid points a sweep accepts (a larger grid is almost surely a typo in STEP).
pub const MAX_SWEEP_POINTS: usize = 1000;

/// What to sweep: a key and an exact decimal range.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SweepSpec {
    /// The key, e.g. `arms.cautious.fraction`.
    pub key: String,
    /// First value.
    pub from: rust_decimal::Decimal,
    /// Last value (included when the steps land on it).
    pub to: rust_decimal::Decimal,
    /// Step, above 0.
    pub step: rust_decimal::Decimal,
}

impl SweepSpec {
    /// The grid `from, from + step, …, ≤ to`, each value at the largest scale of the inputs.
    pub fn grid(&self) -> std::result::Result<Vec<rust_decimal::Decimal>, String> {
        if self.step <= rust_decimal::Decimal::ZERO {
            return Err(format!("step must be above 0, found {}", self.step));
        }
        if self.from > self.to {
            return Err(format!(
                "from ({}) is above to ({}); give the range low to high",
                self.from, self.to
            ));
        }
        let scale = self
            .from
            .scale()
            .max(self.to.scale())
            .max(self.step.scale());
        let span = (self.to - self.from) / self.step;
        let n = span.floor();
        if n >= rust_decimal::Decimal::from(MAX_SWEEP_POINTS as u64) {
            return Err(format!(
                "{} grid points; at most {MAX_SWEEP_POINTS}: use a larger step",
                n + rust_decimal::Decimal::ONE
            ));
        }
        let n = u32::try_from(n).map_err(|_| "too many grid points".to_string())?;
        Ok((0..=n)
            .map(|i| {
                let mut v = self.from + rust_decimal::Decimal::from(i) * self.step;
                v.rescale(scale);
                v
            })
            .collect())
    }
}
