//! Scenario files: the TOML schema, its defaults, and validation into a resolved [`Scenario`].
//!
//! Two stages: serde reads the file into raw structs (`deny_unknown_fields`, so misspelt keys
//! are errors), then a validator checks every value and builds the [`Scenario`] the engine uses.
//! Every problem becomes a [`Diagnostic`] naming the file, line, column and key path; validation
//! collects all problems in one pass. The engine never sees TOML types.
//!
//! Must not: know benefit formulas or draw random numbers.

pub mod diagnostics;
pub mod expect;
pub mod files;
pub mod household;
pub mod overrides;
pub mod schema;

pub use crate::model::scenario::*;

use crate::error::{Diagnostic, Error, Result};
use crate::model::money::{Money, Rate};
use crate::model::parameters::{decimal_from_toml, ParameterSet, Params};
use crate::rules::{Benefit, N_BENEFITS};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;

/// Most households a run accepts. 5.4 million is the whole country; ten times that still runs
/// in minutes, and anything larger is almost surely a typo (an extra zero).
pub const MAX_HOUSEHOLDS: u64 = 50_000_000;
/// Largest scenario (or household, or sweep) file that is read, in bytes (10 MB). The shipped
/// scenarios are below 20 kB; a larger file is almost surely not a scenario (and a device such
/// as `/dev/zero` is refused after reading one byte more than this).
pub const MAX_INPUT_BYTES: u64 = 10_000_000;
/// Most `[[arms]]` a scenario may list (every arm is simulated for every household; the
/// shipped scenarios use at most 5).
pub const MAX_ARMS: usize = 16;
/// Most entries in `experiment.high_reclaim_thresholds` (each adds a statistic per arm).
pub const MAX_THRESHOLDS: usize = 20;
/// Most bands in one `choice` or `choice_volatile` list of an arm.
pub const MAX_CHOICE_BANDS: usize = 20;
/// Most `[[expect]]` entries a scenario may list.
pub const MAX_EXPECTATIONS: usize = 100;
/// Most replications, in the file (`experiment.replications`) and on the command line
/// (`--replications`).
pub const MAX_REPLICATIONS: u32 = 1000;
// ------------------------------------------------------------------------------------------
// Raw schema (what the TOML file says)
// ------------------------------------------------------------------------------------------

/// A toeslagenlab scenario: an experiment with arms, a synthetic population, shocks during the
/// benefit year, reporting behaviour, optional parameter reforms and expectations. Every key
/// is documented with its default in scenarios/reference.toml.
#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
struct RawScenario {
    /// The experiment: name, year, size, seed, design.
    experiment: RawExperiment,
    /// The arms; exactly one has policy "standard" (the control group). At most 16.
    #[schemars(length(max = 16))]
    #[serde(default)]
    arms: Vec<RawArm>,
    /// The synthetic population (default: see scenarios/reference.toml).
    #[serde(default)]
    population: Option<RawPopulation>,
    /// Shocks during the year (default: income_change 0.35, partner_moves_in 0.03,
    /// partner_moves_out 0.03, child_born 0.02).
    #[serde(default)]
    shocks: Option<Vec<RawShock>>,
    /// Reporting behaviour (default: see scenarios/reference.toml).
    #[serde(default)]
    behaviour: Option<RawBehaviour>,
    /// Agency procedure for every arm: `income_indexation_extra`, an extra indexation of the
    /// estimated income at the year start (default: 0).
    #[serde(default)]
    agency: Option<RawAgency>,
    /// Parameters of the agency interventions (attention_letter, year_start_notice, mutation,
    /// personal_guidance), shared by every arm; an arm switches them on with
    /// `interventions = [...]`. Every table and key is optional (defaults: seeds 000/004 or
    /// assumptions, see scenarios/reference.toml).
    #[serde(default)]
    interventions: Option<RawInterventions>,
    /// Lab replication (default: absent): names the arms that replicate the lab experiments of
    /// seed 004; report.md and `toeslagenlab calibrate` then show simulated vs lab figures.
    #[serde(default)]
    lab: Option<RawLab>,
    /// Reforms: override any parameter of the year, per group, e.g.
    /// `[parameters.zorgtoeslag] normpremie_rate_above = 0.14` (see `toeslagenlab params`).
    #[schemars(with = "BTreeMap<String, BTreeMap<String, crate::scenario::schema::NumberOrText>>")]
    #[schemars(extend("additionalProperties" = {
        "description": "A parameter group of the year (e.g. zorgtoeslag): parameter name → new value; `toeslagenlab params --year <year>` lists groups and keys.",
        "type": "object",
        "additionalProperties": {
            "description": "The new value of the parameter: a number, or decimal text such as \"0.135\" (read exactly).",
            "type": ["number", "string"]
        }
    }))]
    #[serde(default)]
    parameters: BTreeMap<String, BTreeMap<String, toml::Value>>,
    /// Expectations checked by `toeslagenlab check` (at most 100).
    #[schemars(length(max = 100))]
    #[serde(default)]
    expect: Vec<expect::RawExpect>,
    /// The default grid of `toeslagenlab sweep`: `param = "arms.cautious.fraction"`, `from`, `to`,
    /// `step` (numbers or decimal text).
    #[schemars(with = "Option<crate::scenario::schema::SweepTable>")]
    #[serde(default)]
    sweep: Option<toml::Value>,
}

/// The experiment: name, benefit year, size, seed and design.
#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
struct RawExperiment {
    /// Name; also the output directory output/<name>/.
    #[schemars(length(min = 1, max = 100))]
    name: String,
    /// What the scenario models.
    #[serde(default)]
    description: Option<String>,
    /// Benefit year with a parameter file.
    year: i64,
    /// Number of households (`--households` overrides).
    #[schemars(range(min = 1, max = 50_000_000))]
    households: i64,
    /// Seed of all random draws (`--seed` overrides).
    #[schemars(extend("default" = 1))]
    #[serde(default)]
    seed: Option<u64>,
    /// "paired": every household under every arm with the same draws; "randomized": each
    /// household in one arm, drawn with the arms' shares.
    #[schemars(extend("enum" = ["paired", "randomized"], "default" = "paired"))]
    #[serde(default)]
    design: Option<String>,
    /// Euros; a "high" reclaim is above a threshold. The one closest to €1,000 is the headline.
    /// At least one, at most 20; whole euros from 1 to 1,000,000 (duplicates are dropped).
    #[schemars(length(min = 1, max = 20))]
    #[schemars(extend("default" = [500, 1000, 5000], "items" = { "type": "integer", "minimum": 1, "maximum": 1_000_000, "description": "A threshold in whole euros (1 to 1,000,000); a reclaim above it counts as high." }))]
    #[serde(default)]
    high_reclaim_thresholds: Option<Vec<i64>>,
    /// After a reported change: "spread" the rest of the year's advance over the remaining
    /// months, or settle past months at once ("lump_sum").
    #[schemars(extend("enum" = ["spread", "lump_sum"], "default" = "spread"))]
    #[serde(default)]
    recalculation: Option<String>,
    /// Independent replications (different seeds) for Monte Carlo standard errors.
    #[schemars(range(min = 1, max = 1000), extend("default" = 1))]
    #[serde(default)]
    replications: Option<i64>,
    /// Also compare the control arm with the public national figures (RULES.md §8) in every
    /// run: a section in report.md and a line in the terminal, as `toeslagenlab calibrate`
    /// prints them. For national populations such as `scenarios/nl-2026.toml`.
    #[schemars(extend("default" = false))]
    #[serde(default)]
    compare_public: Option<bool>,
}

/// One experiment arm. Exactly one arm has policy "standard": the control group.
#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
struct RawArm {
    /// Arm name, unique: letters, digits, `_` and `-`.
    #[schemars(regex(pattern = r"^[A-Za-z0-9_-]+$"))]
    name: String,
    /// The advance policy: `{ policy = "standard" }`, `{ policy = "cautious", fraction = 0.80 }`
    /// or `{ policy = "adjustable" }`.
    advance: RawAdvance,
    /// Share of offered households that accept the offer (treatment arms); 0 to 1. Seed 004:
    /// "somewhat over two thirds" (0.68).
    #[schemars(range(min = 0.0, max = 1.0))]
    #[schemars(extend("default" = 1.0))]
    #[serde(default)]
    takeup: Option<f64>,
    /// Adjustable arms only: the chosen percentage as a mixture of uniform bands; a band is
    /// drawn by weight, then a whole percentage uniformly in [low, high) (default: 70–75%
    /// 0.10, 75–85% 0.50, 85–95% 0.30, 95–100% 0.10; seed 004, weights assumed).
    #[serde(default)]
    #[schemars(length(min = 1, max = 20))]
    choice: Option<Vec<RawBand>>,
    /// A cautious fraction below 0.70 (the legal room) is an error unless this is true.
    #[schemars(extend("default" = false))]
    #[serde(default)]
    allow_below_legal_floor: Option<bool>,
    /// Randomized design only: relative assignment weight (above 0).
    #[schemars(range(min = 0.0), extend("default" = 1.0))]
    #[serde(default)]
    share: Option<f64>,
    /// Agency interventions switched on in this arm, each at most once (default: none);
    /// combinable with every advance policy. Parameters in `[interventions.*]`. A standard arm
    /// with interventions is a treatment arm; the control arm is the one standard arm without.
    #[schemars(extend("uniqueItems" = true, "items" = { "type": "string", "enum": ["attention_letter", "year_start_notice", "mutation", "personal_guidance"], "description": "An intervention: attention_letter, year_start_notice, mutation or personal_guidance (see docs/behaviour.md)." }))]
    #[serde(default)]
    interventions: Option<Vec<String>>,
    /// Risk-aware choice: take-up among households with a volatile income (flex,
    /// self-employed; needs `[population.employment]`), 0 to 1 (default: `takeup`).
    /// Assumption, no source.
    #[schemars(range(min = 0.0, max = 1.0))]
    #[serde(default)]
    takeup_volatile: Option<f64>,
    /// Adjustable arms only: the chosen-percentage bands of households with a volatile income
    /// (flex, self-employed), same form as `choice` (default: `choice`). Assumption: lower
    /// bands for volatile incomes; seed 004 reports the lab's choices only overall.
    #[serde(default)]
    #[schemars(length(min = 1, max = 20))]
    choice_volatile: Option<Vec<RawBand>>,
}

/// The arm's advance policy.
#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
struct RawAdvance {
    /// "standard" (100%, the control group), "cautious" (a fixed fraction) or "adjustable"
    /// (a percentage each household picks).
    #[schemars(extend("enum" = ["standard", "cautious", "adjustable"]))]
    policy: String,
    /// Cautious policy only: the fraction of the calculated advance (below 0.70 needs
    /// `allow_below_legal_floor = true`).
    #[schemars(range(min = 0.0, max = 1.0))]
    #[schemars(extend("default" = 0.8))]
    #[serde(default)]
    fraction: Option<f64>,
}

/// A band of chosen advance percentages with a relative weight.
#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
struct RawBand {
    /// `[low, high)` as fractions, e.g. `[0.75, 0.85]`; a band ending at 1.00 includes 100%.
    #[schemars(length(min = 2, max = 2))]
    #[schemars(extend("items" = { "type": "number", "minimum": 0.0, "maximum": 1.0, "description": "A bound as a fraction of the calculated advance, 0 to 1 (0.75 = 75%)." }))]
    range: Vec<f64>,
    /// Relative weight of the band.
    #[schemars(range(min = 0.0))]
    weight: f64,
}

/// The synthetic population (every key has a default).
#[derive(Deserialize, Default, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
struct RawPopulation {
    /// Benefits simulated (default: every benefit the year's parameters can compute).
    #[schemars(extend("items" = { "type": "string", "enum": ["zorgtoeslag", "huurtoeslag", "kinderopvangtoeslag", "kindgebonden_budget"], "description": "A benefit: zorgtoeslag, huurtoeslag, kinderopvangtoeslag or kindgebonden_budget; listing one the year cannot compute is an error." }))]
    #[serde(default)]
    benefits: Option<Vec<String>>,
    /// Shares of the household types; must add up to 1 (default: single 0.45, couple 0.20,
    /// single_parent 0.15, couple_with_children 0.20).
    #[schemars(extend("propertyNames" = { "enum": ["single", "couple", "single_parent", "couple_with_children"] }, "additionalProperties" = { "type": "number", "minimum": 0.0, "maximum": 1.0, "description": "Share of households of this type, 0 to 1." }))]
    #[serde(default)]
    household_types: Option<BTreeMap<String, f64>>,
    /// The applicant's annual income on 1 January, euros (default: lognormal, median 28,000,
    /// sigma 0.45).
    #[serde(default)]
    income: Option<RawDist>,
    /// A partner's annual income, euros (default: lognormal, median 18,000, sigma 0.8).
    #[serde(default)]
    partner_income: Option<RawDist>,
    /// Number and ages of children in households with children.
    #[serde(default)]
    children: Option<RawChildren>,
    /// Assets on 1 January (default: 25% have assets, lognormal median 15,000, sigma 1.2).
    #[serde(default)]
    assets: Option<RawAssets>,
    /// The household's income estimate = actual start income × this factor (default:
    /// lognormal, median 1.0, sigma 0.10).
    #[serde(default)]
    estimate_error: Option<RawDist>,
    /// Share renting and their monthly rent (default: 0.5; normal, mean 650, sd 150).
    #[serde(default)]
    rent: Option<RawRent>,
    /// Households with one co-resident (default: share 0.05, half under 23).
    #[serde(default)]
    co_residents: Option<RawCoResidents>,
    /// Formal childcare use (default: see scenarios/reference.toml).
    #[serde(default)]
    childcare: Option<RawChildcare>,
    /// Employment types (default: absent = no employment model; everybody an employee and
    /// `estimate_error` alone sets the estimate). Keys: employee, flex, self_employed; the
    /// shares of the types given must add up to 1 (e.g. employee 0.78, flex 0.14,
    /// self_employed 0.08: assumption near CBS labour-force shares).
    #[schemars(extend("propertyNames" = { "enum": ["employee", "flex", "self_employed"] }))]
    #[serde(default)]
    employment: Option<BTreeMap<String, RawEmployment>>,
}

/// One employment type of `[population.employment]` (employee, flex or self_employed): its
/// share and income volatility. Drawn from the household's own Employment stream.
#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
struct RawEmployment {
    /// Share of households of this type, 0 to 1; the shares must add up to 1.
    #[schemars(range(min = 0.0, max = 1.0))]
    share: f64,
    /// Log-sd (0 to 2) of a once-a-year income surprise: a median-1 lognormal factor on the
    /// income in a uniform month, an income change like any other (default per type,
    /// assumption: employee 0.05, flex 0.25, self_employed 0.35).
    #[schemars(range(min = 0.0, max = 2.0))]
    #[serde(default)]
    volatility: Option<f64>,
    /// Log-sd (0 to 2) of a median-1 factor that multiplies `population.estimate_error`: how
    /// hard this type finds its income to estimate (default per type, assumption: employee
    /// 0.08, flex 0.20, self_employed 0.30; RULES.md §6: 60% find their income hard to
    /// estimate).
    #[schemars(range(min = 0.0, max = 2.0))]
    #[serde(default)]
    estimate_sigma: Option<f64>,
}

/// Agency procedure that applies to every arm.
#[derive(Deserialize, Default, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
struct RawAgency {
    /// Extra indexation of the estimated income at the year start, as a fraction from 0 to 0.5
    /// (default: 0). The estimate becomes floor(estimate × (1 + extra)) whole euros. RULES.md
    /// §5: +3% since 2025 (scenarios/nl-2026.toml uses 0.03).
    #[schemars(range(min = 0.0, max = 0.5), extend("default" = 0.0))]
    #[serde(default)]
    income_indexation_extra: Option<f64>,
}

/// Parameters of the agency interventions, shared by every arm that switches them on with
/// `interventions = [...]`. Every table and key is optional; uncertain values ([U]) are
/// listed as assumptions in report.md.
#[derive(Deserialize, Default, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
struct RawInterventions {
    /// Attention letter: households with childcare whose estimated hours differ from provider
    /// data get a letter; some report their actual childcare (seed 000).
    #[serde(default)]
    attention_letter: Option<RawAttention>,
    /// Year-start notice: a notice asking households to report changes; every reporting
    /// probability is multiplied (seed 000).
    #[serde(default)]
    year_start_notice: Option<RawNotice>,
    /// Mutation: the agency changes the advance itself on its data, after a letter, only when
    /// that lowers the total advance (seed 004).
    #[serde(default)]
    mutation: Option<RawMutation>,
    /// Personal guidance: a share of households with childcare has its childcare and income
    /// brought up to date (seed 000).
    #[serde(default)]
    personal_guidance: Option<RawGuidance>,
}

/// `[interventions.attention_letter]`: letters to households whose estimated childcare hours
/// differ from provider data (seed 000: letters January–May 2021, ≈22% of 12,000 acted).
#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
struct RawAttention {
    /// Month the letters go out, 1–12 (default: 3; seed 000: letters January–May); responses
    /// are used from the next payment month.
    #[schemars(range(min = 1, max = 12), extend("default" = 3))]
    #[serde(default)]
    month: Option<i64>,
    /// Share of letter recipients that report their actual childcare, 0 to 1 (default: 0.22;
    /// seed 000: over 2,600 of ≈12,000 parents adjusted).
    #[schemars(range(min = 0.0, max = 1.0), extend("default" = 0.22))]
    #[serde(default)]
    response_share: Option<f64>,
    /// A letter goes out when the estimated childcare hours differ from provider data by more
    /// than this relative gap, 0 to 10 (default: 0.10; assumption [U]).
    #[schemars(range(min = 0.0, max = 10.0), extend("default" = 0.1))]
    #[serde(default)]
    gap_threshold: Option<f64>,
}

/// `[interventions.year_start_notice]`: a notice at the year start asking households to report
/// changes (seed 000: notified parents reported 3× as often as the control group).
#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
struct RawNotice {
    /// Every reporting probability × this, capped at 1; from 1 to 100 (default: 3.0; seed
    /// 000). Households unaware they must report income changes stay unaware.
    #[schemars(range(min = 1.0, max = 100.0), extend("default" = 3.0))]
    #[serde(default)]
    report_multiplier: Option<f64>,
}

/// `[interventions.mutation]`: in given months the agency computes the total advance on its
/// own data; if that is lower, a letter goes out and, unless the household objects, the data
/// are used from the second payment month after (3 weeks to object; seed 004).
#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
struct RawMutation {
    /// Months (1–12) in which the agency checks its data; at least one, duplicates are
    /// dropped (default: [3, 6, 9]; assumption [U]).
    #[schemars(length(min = 1))]
    #[schemars(extend("default" = [3, 6, 9], "items" = { "type": "integer", "minimum": 1, "maximum": 12, "description": "A month, 1–12, in which the agency checks its data." }))]
    #[serde(default)]
    months: Option<Vec<i64>>,
    /// Most mutation letters per household in the year, 1 to 4 (default: 3; seed 004: at most
    /// 3 letters a year).
    #[schemars(range(min = 1, max = 4), extend("default" = 3))]
    #[serde(default)]
    max_letters: Option<i64>,
    /// Share of households that object and stop the mutation, 0 to 1 (default: 0.05;
    /// assumption [U]).
    #[schemars(range(min = 0.0, max = 1.0), extend("default" = 0.05))]
    #[serde(default)]
    objection_share: Option<f64>,
    /// The agency's data sources: "childcare" (provider data, seed 004) and/or "income"
    /// (payroll data of employees and flex workers up to the month before; not the
    /// self-employed; seed 004 mentions it) (default: ["childcare"]).
    #[schemars(extend("default" = ["childcare"], "items" = { "type": "string", "enum": ["childcare", "income"], "description": "A data source: \"childcare\" (provider data) or \"income\" (payroll data)." }))]
    #[serde(default)]
    sources: Option<Vec<String>>,
}

/// `[interventions.personal_guidance]`: personal guidance that brings a household's childcare
/// and income data up to date, up or down (seed 000: 285 parents guided; 79 down €4,960, 44 up
/// €2,517).
#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
struct RawGuidance {
    /// Share of households with childcare that get guidance, 0 to 1 (default: 0.05;
    /// assumption [U]).
    #[schemars(range(min = 0.0, max = 1.0), extend("default" = 0.05))]
    #[serde(default)]
    share: Option<f64>,
    /// Month, 1–12, in which their childcare and income are brought up to date (default: 3).
    #[schemars(range(min = 1, max = 12), extend("default" = 3))]
    #[serde(default)]
    month: Option<i64>,
}

/// `[lab]`: the arms that replicate the lab experiments of seed 004 (lab 1: cautious 80%, lab
/// 2: adjustable advance). Name at least one; report.md gets a "Lab replication (seed 004)"
/// section and `toeslagenlab calibrate` prints simulated vs lab figures.
#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
struct RawLab {
    /// Name of the arm replicating lab 1 (cautious advance); it must exist and use the
    /// cautious policy.
    #[serde(default)]
    cautious_arm: Option<String>,
    /// Name of the arm replicating lab 2 (adjustable advance); it must exist and use the
    /// adjustable policy.
    #[serde(default)]
    adjustable_arm: Option<String>,
}

/// Renting households and their monthly rent (kale huur).
#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
struct RawRent {
    /// Share of households renting (non-renters get no huurtoeslag).
    #[schemars(range(min = 0.0, max = 1.0))]
    share_renting: f64,
    /// Monthly rent (kale huur) of renters, euros.
    #[serde(default)]
    amount: Option<RawDist>,
}

/// Co-residents (medebewoners); they count for huurtoeslag only.
#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
struct RawCoResidents {
    /// Share of households with one co-resident.
    #[schemars(range(min = 0.0, max = 1.0))]
    share: f64,
    /// Share of co-residents younger than 23 (part of their income is exempt).
    #[schemars(range(min = 0.0, max = 1.0))]
    #[schemars(extend("default" = 0.5))]
    #[serde(default)]
    share_under_23: Option<f64>,
    /// A co-resident's annual income, euros.
    #[serde(default)]
    income: Option<RawDist>,
}

/// Formal childcare use of children (kinderopvangtoeslag).
#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
struct RawChildcare {
    /// Probability that a child aged 0..max_age uses formal childcare.
    #[schemars(range(min = 0.0, max = 1.0))]
    share_using: f64,
    /// Oldest age at which a child uses childcare.
    #[schemars(range(min = 0, max = 17), extend("default" = 12))]
    #[serde(default)]
    max_age: Option<i64>,
    /// Share of children in care who go to a childminder (gastouder).
    #[schemars(range(min = 0.0, max = 1.0))]
    #[schemars(extend("default" = 0.1))]
    #[serde(default)]
    gastouder_share: Option<f64>,
    /// Hours of care per month (default: uniform 40–160; 230 count at most).
    #[serde(default)]
    hours: Option<RawDist>,
    /// Hourly price as a factor of the year's maximum hourly price (default: normal, mean 1.0,
    /// sd 0.08).
    #[serde(default)]
    price_factor: Option<RawDist>,
    /// The household's estimate of the hours = actual × this factor (default: lognormal,
    /// median 1.0, sigma 0.15).
    #[serde(default)]
    hours_estimate_error: Option<RawDist>,
}

/// A distribution: { distribution = "lognormal", median, sigma } | { distribution = "normal",
/// mean, sd } | { distribution = "uniform", min, max } | { distribution = "fixed", value }.
#[derive(Deserialize, Clone, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
struct RawDist {
    /// The kind of distribution.
    #[schemars(extend("enum" = ["lognormal", "normal", "uniform", "fixed"]))]
    distribution: String,
    /// lognormal: the median (above 0).
    #[serde(default)]
    median: Option<f64>,
    /// lognormal: standard deviation of the log (0 to 5).
    #[schemars(range(min = 0.0, max = 5.0))]
    #[serde(default)]
    sigma: Option<f64>,
    /// normal: the mean.
    #[serde(default)]
    mean: Option<f64>,
    /// normal: the standard deviation (not negative).
    #[schemars(range(min = 0.0))]
    #[serde(default)]
    sd: Option<f64>,
    /// uniform: lower bound.
    #[serde(default)]
    min: Option<f64>,
    /// uniform: upper bound.
    #[serde(default)]
    max: Option<f64>,
    /// fixed: the value.
    #[serde(default)]
    value: Option<f64>,
}

/// Children in households with children.
#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
struct RawChildren {
    /// Weights for 1, 2, 3, … children in households with children.
    #[schemars(length(min = 1))]
    #[schemars(extend("items" = { "type": "number", "minimum": 0.0, "description": "Relative weight (not negative) of this number of children." }))]
    counts: Vec<f64>,
    /// Children's ages are uniform on 0..=max_age at the start of the year.
    #[schemars(range(min = 0, max = 25), extend("default" = 17))]
    #[serde(default)]
    max_age: Option<i64>,
}

/// Assets on 1 January.
#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
struct RawAssets {
    /// Share of households with assets.
    #[schemars(range(min = 0.0, max = 1.0))]
    share_with_assets: f64,
    /// Assets of households that have them, euros.
    amount: RawDist,
}

/// A shock during the benefit year. A change counts from the month after it happens.
#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
struct RawShock {
    /// What happens: income_change (income × factor), partner_moves_in (households without
    /// partner), partner_moves_out (households with partner), child_born, job_loss (income ×
    /// factor, default fixed 0.70), job_gain (default lognormal median 1.4, sigma 0.3), raise
    /// (default lognormal median 1.04, sigma 0.02), bonus (a one-off multiple of that month's
    /// income, default fixed 1.0), childcare_hours_change (every child's hours × factor,
    /// default lognormal median 1.0, sigma 0.3), rent_change (rent × factor, default normal
    /// mean 1.04, sd 0.02). Defaults of the newer kinds are assumptions.
    #[schemars(extend("enum" = ["income_change", "partner_moves_in", "partner_moves_out", "child_born", "job_loss", "job_gain", "raise", "bonus", "childcare_hours_change", "rent_change"]))]
    kind: String,
    /// Probability that it happens to an eligible household in the year.
    #[schemars(range(min = 0.0, max = 1.0))]
    probability: f64,
    /// When: "uniform" (any month), a month 1–12, or 12 weights for months 1–12.
    #[schemars(schema_with = "crate::scenario::schema::month_schema")]
    #[serde(default)]
    month: Option<toml::Value>,
    /// income_change (required), job_loss, job_gain, raise: the factor on the applicant's
    /// monthly income from that month; bonus: the bonus as a multiple of that month's income;
    /// childcare_hours_change: the factor on every child's childcare hours; rent_change: the
    /// factor on the rent. Not for partner and child shocks.
    #[serde(default)]
    factor: Option<RawDist>,
    /// partner_moves_in only: the partner's annual income, euros (default: lognormal, median
    /// 18,000, sigma 0.8).
    #[serde(default)]
    income: Option<RawDist>,
    /// Restrict the shock to these employment types (default: all); types as in
    /// `[population.employment]`. Without an employment model everybody is an employee.
    #[schemars(extend("items" = { "type": "string", "enum": ["employee", "flex", "self_employed"], "description": "An employment type: employee, flex or self_employed." }))]
    #[serde(default)]
    employment: Option<Vec<String>>,
}

/// Reporting behaviour of households.
#[derive(Deserialize, Default, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
struct RawBehaviour {
    /// Probability that a change is ever reported, per change type (default: income_up 0.5,
    /// income_down 0.8, partner 0.7, child 0.9, childcare_hours 0.4, rent 0.7).
    #[serde(default)]
    report_probability: Option<RawReportProbability>,
    /// Whole months between a change and its report: `{ distribution = "uniform", min, max }`
    /// with 0 ≤ min ≤ max ≤ 12 (default: uniform 0–3).
    #[serde(default)]
    report_delay_months: Option<RawDist>,
    /// `[min, max]` whole months of reporting delay per change type (income_up, income_down,
    /// partner_in, partner_out, child_born, childcare_hours, rent), overriding
    /// `report_delay_months` for that type (default: none), e.g. `{ child_born = [0, 1] }`.
    #[schemars(extend(
        "propertyNames" = { "enum": ["income_up", "income_down", "partner_in", "partner_out", "child_born", "childcare_hours", "rent"] },
        "additionalProperties" = {
            "description": "[min, max] whole months between this change and its report, 0 ≤ min ≤ max ≤ 12; the delay is uniform between.",
            "type": "array",
            "minItems": 2,
            "maxItems": 2,
            "items": { "type": "integer", "minimum": 0, "maximum": 12, "description": "Whole months, 0 to 12." }
        }
    ))]
    #[serde(default)]
    report_delay_by_change: Option<BTreeMap<String, Vec<i64>>>,
    /// Share of households that do not know they must report income changes, 0 to 1; they
    /// never report one (default: 0, which keeps older scenarios' results; RULES.md §6 survey:
    /// 50% do not know; scenarios/nl-2026.toml uses 0.5).
    #[schemars(range(min = 0.0, max = 1.0), extend("default" = 0.0))]
    #[serde(default)]
    unaware_income_share: Option<f64>,
}

/// Probability that a change is ever reported, per kind of change (each 0 to 1).
#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
struct RawReportProbability {
    /// An income rise (RULES.md §6: only 50% know they must report an income change).
    #[schemars(range(min = 0.0, max = 1.0))]
    #[schemars(extend("default" = 0.5))]
    #[serde(default)]
    income_up: Option<f64>,
    /// An income fall.
    #[schemars(range(min = 0.0, max = 1.0))]
    #[schemars(extend("default" = 0.8))]
    #[serde(default)]
    income_down: Option<f64>,
    /// A partner moving in or out: sets both `partner_in` and `partner_out`.
    #[schemars(range(min = 0.0, max = 1.0))]
    #[schemars(extend("default" = 0.7))]
    #[serde(default)]
    partner: Option<f64>,
    /// A birth (change type child_born).
    #[schemars(range(min = 0.0, max = 1.0))]
    #[schemars(extend("default" = 0.9))]
    #[serde(default)]
    child: Option<f64>,
    /// A partner moving in; refines `partner` (default: `partner`, 0.7).
    #[schemars(range(min = 0.0, max = 1.0))]
    #[serde(default)]
    partner_in: Option<f64>,
    /// The partner moving out; refines `partner` (default: `partner`, 0.7).
    #[schemars(range(min = 0.0, max = 1.0))]
    #[serde(default)]
    partner_out: Option<f64>,
    /// A change in the hours of childcare used (assumption; seed 000: high childcare reclaims
    /// come mostly from unreported hours).
    #[schemars(range(min = 0.0, max = 1.0))]
    #[schemars(extend("default" = 0.4))]
    #[serde(default)]
    childcare_hours: Option<f64>,
    /// A change of rent (assumption).
    #[schemars(range(min = 0.0, max = 1.0))]
    #[schemars(extend("default" = 0.7))]
    #[serde(default)]
    rent: Option<f64>,
}

// ------------------------------------------------------------------------------------------
// Loading
// ------------------------------------------------------------------------------------------

/// Reads a user's input file of at most `cap` bytes (see [`MAX_INPUT_BYTES`]); `what` names
/// the kind of file in messages ("scenario files", "household files", …).
///
/// Refuses, with an input error (exit 2) and before reading anything, a path that is not a
/// regular file (a directory, FIFO, device or socket); reads through `Read::take(cap + 1)`, so
/// a file that grows or lies about its size is refused after at most `cap + 1` bytes.
pub fn read_input_file(path: &Path, cap: u64, what: &str) -> Result<Vec<u8>> {
    use std::io::Read;
    let diag = |msg: String| {
        Error::Input(vec![Diagnostic {
            file: path.to_path_buf(),
            line: None,
            col: None,
            key: None,
            message: msg,
        }])
    };
    let cannot = |e: std::io::Error| match e.kind() {
        std::io::ErrorKind::NotFound => diag("no such file".into()),
        _ => diag(format!("cannot read: {e}")),
    };
    let meta = std::fs::metadata(path).map_err(cannot)?;
    let ft = meta.file_type();
    if ft.is_dir() {
        return Err(diag("is a directory; give a file".into()));
    }
    if !ft.is_file() {
        return Err(diag(format!(
            "is not a regular file ({}); give a file saved on disk",
            file_kind(&ft)
        )));
    }
    let limit = format!(
        "is larger than {} MB (the limit for {what}); is this the right file?",
        cap / 1_000_000
    );
    if meta.len() > cap {
        return Err(diag(limit));
    }
    let file = std::fs::File::open(path).map_err(cannot)?;
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(cap + 1).read_to_end(&mut bytes).map_err(cannot)?;
    if bytes.len() as u64 > cap {
        return Err(diag(limit));
    }
    Ok(bytes)
}

/// Whole euros with thousands separators (`1.000e20` style beyond 10¹⁸), for messages.
fn big_euros(x: f64) -> String {
    if x < 1e18 {
        crate::model::money::group_thousands(x.round() as u64)
    } else {
        format!("{x:.3e}")
    }
}

/// What kind of non-regular file this is, for messages.
fn file_kind(ft: &std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if ft.is_fifo() {
            return "a FIFO (named pipe)";
        }
        if ft.is_char_device() {
            return "a character device";
        }
        if ft.is_block_device() {
            return "a block device";
        }
        if ft.is_socket() {
            return "a socket";
        }
    }
    if ft.is_symlink() {
        return "a symbolic link";
    }
    "not a file"
}

/// Reads a user's UTF-8 text file of at most `cap` bytes ([`read_input_file`]); invalid UTF-8
/// is an input error at the line and column of the first bad byte.
pub fn read_input_text(path: &Path, cap: u64, what: &str) -> Result<String> {
    let bytes = read_input_file(path, cap, what)?;
    String::from_utf8(bytes).map_err(|e| {
        let bad = e.utf8_error().valid_up_to();
        let bytes = e.as_bytes();
        let valid = std::str::from_utf8(&bytes[..bad]).unwrap_or_default();
        let line = valid.matches('\n').count() + 1;
        let col = valid.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        Error::Input(vec![Diagnostic {
            file: path.to_path_buf(),
            line: Some(line),
            col: Some(col),
            key: None,
            message: format!(
                "is not valid UTF-8 (first bad byte at offset {bad}); save the file as UTF-8 (the bad byte is 0x{:02X})",
                bytes[bad]
            ),
        }])
    })
}

/// Reads and validates a scenario file (at most [`MAX_INPUT_BYTES`]).
pub fn load(path: &Path) -> Result<Scenario> {
    if path.is_dir() {
        return Err(Error::Input(vec![Diagnostic {
            file: path.to_path_buf(),
            line: None,
            col: None,
            key: None,
            message: "is a directory; give a scenario file (.toml), e.g. scenarios/cautious-vs-standard.toml".into(),
        }]));
    }
    let text = read_input_text(path, MAX_INPUT_BYTES, "scenario files").map_err(|e| match e {
        Error::Input(mut d) if d.len() == 1 && d[0].message == "no such file" => {
            d[0].message = "no such file; shipped scenarios are in scenarios/".into();
            Error::Input(d)
        }
        e => e,
    })?;
    let sha256 = {
        use sha2::{Digest, Sha256};
        let d = Sha256::digest(text.as_bytes());
        d.iter().map(|b| format!("{b:02x}")).collect::<String>()
    };
    parse_str(path, &text, sha256)
}

/// The JSON Schema of the raw scenario structs (see [`crate::scenario::schema`], which post-processes it).
pub(crate) fn raw_schema(mut generator: schemars::SchemaGenerator) -> schemars::Schema {
    generator.root_schema_for::<RawScenario>()
}

/// Parses and validates scenario text; `path` is used in messages only.
pub fn parse_str(path: &Path, text: &str, sha256: String) -> Result<Scenario> {
    let locator = Locator::new(text);
    let de = match toml::Deserializer::parse(text) {
        Ok(de) => de,
        Err(e) => {
            let mut d = toml_error(path, &locator, &e, None);
            // A syntax error always has a place, even at byte 0 (span 0..0, which
            // `toml_error` otherwise treats as "no place").
            if d.line.is_none() {
                let (line, col) = locator.line_col(e.span().map_or(0, |s| s.start));
                d.line = Some(line);
                d.col = Some(col);
            }
            d.message = format!("invalid TOML: {}", d.message);
            return Err(Error::Input(vec![d]));
        }
    };
    let raw: RawScenario = match serde_path_to_error::deserialize(de) {
        Ok(r) => r,
        Err(e) => {
            let key = e.path().to_string();
            let key = if key == "." { String::new() } else { key };
            return Err(Error::Input(vec![toml_error(
                path,
                &locator,
                e.inner(),
                Some(key),
            )]));
        }
    };
    let mut v = Validator {
        problems: Vec::new(),
    };
    let scenario = v.scenario(raw, path, sha256);
    // Plausibility checks add problems only for keys the validator has not already flagged.
    let mut problems = v.problems;
    for (key, message) in crate::scenario::diagnostics::plausibility_problems(text) {
        if !problems.iter().any(|(k, _)| *k == key) {
            problems.push((key, message));
        }
    }
    if problems.is_empty() {
        return scenario.ok_or_else(|| {
            Error::Internal(format!(
                "{}: validation rejected the scenario without saying why",
                path.display()
            ))
        });
    }
    let mut diagnostics: Vec<Diagnostic> = problems
        .into_iter()
        .map(|(key, message)| {
            let (line, col) = locator.locate_key(&key).unzip();
            Diagnostic {
                file: path.to_path_buf(),
                line,
                col,
                key: Some(key),
                message,
            }
        })
        .collect();
    // In file order; problems that have no place in the file come last.
    diagnostics.sort_by_key(|d| (d.line.is_none(), d.line, d.col));
    Err(Error::Input(diagnostics))
}

fn toml_error(
    path: &Path,
    locator: &Locator,
    e: &toml::de::Error,
    key: Option<String>,
) -> Diagnostic {
    let original = e.message().trim().to_string();
    let mut key = key;
    let mut hint = String::new();
    let mut locate_parent = None;
    if let Some(unknown) = unknown_field(&original) {
        let expected = expected_fields(&original);
        if let Some(best) = did_you_mean(&unknown, &expected) {
            hint = format!("; did you mean `{best}`?");
        }
        key = Some(match key {
            Some(k) if k == unknown || k.ends_with(&format!(".{unknown}")) => k,
            Some(k) if !k.is_empty() => format!("{k}.{unknown}"),
            _ => unknown,
        });
    } else if let Some(field) = original
        .strip_prefix("missing field `")
        .and_then(|r| r.split('`').next())
    {
        // toml points a missing field at the table (or 1:1); name the missing key and locate
        // the table that lacks it.
        locate_parent = key.clone().filter(|k| !k.is_empty());
        key = Some(match &key {
            Some(k) if !k.is_empty() => format!("{k}.{field}"),
            _ => field.to_string(),
        });
    }
    let mut message =
        crate::scenario::diagnostics::explain(&original, key.as_deref().unwrap_or(""));
    message.push_str(&hint);
    let span = e.span().filter(|s| !(s.start == 0 && s.end == 0));
    if original == "duplicate key" {
        if let Some(name) = span.as_ref().and_then(|s| locator.text.get(s.clone())) {
            message = format!(
                "duplicate key `{}`: a key may appear only once in a table; remove one of them",
                name.trim()
            );
        }
    }
    let pos = match (&locate_parent, span.clone()) {
        (Some(parent), _) => locator
            .locate_key(parent)
            .or_else(|| span.map(|s| locator.line_col(s.start))),
        (None, Some(span)) => Some(locator.line_col(span.start)),
        (None, None) => key.as_deref().and_then(|k| locator.locate_key(k)),
    };
    let (line, col) = pos.unzip();
    Diagnostic {
        file: path.to_path_buf(),
        line,
        col,
        key,
        message,
    }
}

fn unknown_field(msg: &str) -> Option<String> {
    let rest = msg.split("unknown field `").nth(1)?;
    Some(rest.split('`').next()?.to_string())
}

fn expected_fields(msg: &str) -> Vec<String> {
    match msg.split("expected").nth(1) {
        Some(rest) => crate::scenario::diagnostics::backticked(rest),
        None => vec![],
    }
}

/// The closest candidate by edit distance, if it is close enough to be a typo.
pub fn did_you_mean(found: &str, candidates: &[String]) -> Option<String> {
    candidates
        .iter()
        .map(|c| (levenshtein(found, c), c))
        .filter(|(d, c)| *d <= (c.len().max(found.len()) / 3).max(2))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c.clone())
}

fn levenshtein(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for i in 1..=a.len() {
        let mut cur = vec![i; b.len() + 1];
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            cur[j] = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
        }
        prev = cur;
    }
    prev[b.len()]
}

/// Maps key paths (`arms[1].advance.fraction`) to line and column in the source text.
struct Locator<'a> {
    text: &'a str,
    doc: Option<toml::Spanned<toml::de::DeTable<'a>>>,
}

enum Seg {
    Key(String),
    Index(usize),
}

fn split_path(key: &str) -> Vec<Seg> {
    let mut segs = Vec::new();
    for part in key.split('.') {
        let mut rest = part;
        if let Some(i) = rest.find('[') {
            if i > 0 {
                segs.push(Seg::Key(rest[..i].to_string()));
            }
            rest = &rest[i..];
            while let Some(stripped) = rest.strip_prefix('[') {
                let end = stripped.find(']').unwrap_or(stripped.len());
                if let Ok(n) = stripped[..end].parse() {
                    segs.push(Seg::Index(n));
                }
                rest = stripped.get(end + 1..).unwrap_or("");
            }
        } else if !rest.is_empty() {
            segs.push(Seg::Key(rest.to_string()));
        }
    }
    segs
}

impl<'a> Locator<'a> {
    fn new(text: &'a str) -> Self {
        Locator {
            text,
            doc: toml::de::DeTable::parse(text).ok(),
        }
    }

    fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let before = &self.text[..offset];
        let line = before.matches('\n').count() + 1;
        let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        (line, col)
    }

    /// The position of the deepest part of `key` that exists in the document.
    fn locate_key(&self, key: &str) -> Option<(usize, usize)> {
        use toml::de::DeValue;
        let doc = self.doc.as_ref()?;
        let mut best = None;
        let mut table = doc.get_ref();
        let mut current: Option<&toml::Spanned<DeValue>> = None;
        for seg in split_path(key) {
            match seg {
                Seg::Key(k) => {
                    let t = match current {
                        None => table,
                        Some(v) => match v.get_ref() {
                            DeValue::Table(t) => t,
                            _ => break,
                        },
                    };
                    let Some((kk, vv)) = t.iter().find(|(kk, _)| kk.get_ref().as_ref() == k) else {
                        break;
                    };
                    best = Some(kk.span().start);
                    table = t;
                    current = Some(vv);
                }
                Seg::Index(i) => {
                    let Some(v) = current else { break };
                    let DeValue::Array(a) = v.get_ref() else {
                        break;
                    };
                    let Some(el) = a.get(i) else { break };
                    best = Some(el.span().start);
                    current = Some(el);
                }
            }
        }
        best.map(|o| self.line_col(o))
    }
}

// ------------------------------------------------------------------------------------------
// Validation
// ------------------------------------------------------------------------------------------

struct Validator {
    problems: Vec<(String, String)>,
}

impl Validator {
    fn err(&mut self, key: impl Into<String>, msg: impl Into<String>) {
        self.problems.push((key.into(), msg.into()));
    }

    fn probability(&mut self, key: &str, x: f64) -> f64 {
        if !(0.0..=1.0).contains(&x) || x.is_nan() {
            self.err(
                key,
                format!("found {x}; a probability must be between 0 and 1"),
            );
            return 0.0;
        }
        x
    }

    fn dist(&mut self, key: &str, d: &RawDist, positive: bool) -> Dist {
        let need = |v: &mut Self, name: &str, x: Option<f64>| -> f64 {
            match x {
                Some(x) if x.is_finite() => x,
                Some(x) => {
                    v.err(
                        format!("{key}.{name}"),
                        format!("found {x}; must be a finite number"),
                    );
                    0.0
                }
                None => {
                    v.err(
                        key,
                        format!("distribution `{}` needs `{name}`", d.distribution),
                    );
                    0.0
                }
            }
        };
        let unexpected = |v: &mut Self, allowed: &[&str]| {
            let present = [
                ("median", d.median.is_some()),
                ("sigma", d.sigma.is_some()),
                ("mean", d.mean.is_some()),
                ("sd", d.sd.is_some()),
                ("min", d.min.is_some()),
                ("max", d.max.is_some()),
                ("value", d.value.is_some()),
            ];
            for (name, is) in present {
                if is && !allowed.contains(&name) {
                    v.err(
                        format!("{key}.{name}"),
                        format!(
                            "`{name}` does not belong to distribution `{}`; it takes {}",
                            d.distribution,
                            allowed
                                .iter()
                                .map(|a| format!("`{a}`"))
                                .collect::<Vec<_>>()
                                .join(" and ")
                        ),
                    );
                }
            }
        };
        match d.distribution.as_str() {
            "lognormal" => {
                unexpected(self, &["median", "sigma"]);
                let median = need(self, "median", d.median);
                let sigma = need(self, "sigma", d.sigma);
                if median <= 0.0 {
                    self.err(
                        format!("{key}.median"),
                        format!("found {median}; a lognormal median must be above 0"),
                    );
                }
                if !(0.0..=5.0).contains(&sigma) {
                    self.err(
                        format!("{key}.sigma"),
                        format!("found {sigma}; sigma must be between 0 and 5"),
                    );
                }
                Dist::LogNormal { median, sigma }
            }
            "normal" => {
                unexpected(self, &["mean", "sd"]);
                let mean = need(self, "mean", d.mean);
                let sd = need(self, "sd", d.sd);
                if sd < 0.0 {
                    self.err(
                        format!("{key}.sd"),
                        format!("found {sd}; a standard deviation must not be negative"),
                    );
                }
                if positive && mean <= 0.0 {
                    self.err(
                        format!("{key}.mean"),
                        format!("found {mean}; must be above 0"),
                    );
                }
                Dist::Normal { mean, sd }
            }
            "uniform" => {
                unexpected(self, &["min", "max"]);
                let min = need(self, "min", d.min);
                let max = need(self, "max", d.max);
                if min > max {
                    self.err(
                        format!("{key}.min"),
                        format!("min {min} is above max {max}"),
                    );
                }
                if positive && min < 0.0 {
                    self.err(
                        format!("{key}.min"),
                        format!("found {min}; must not be negative"),
                    );
                }
                Dist::Uniform { min, max }
            }
            "fixed" => {
                unexpected(self, &["value"]);
                let value = need(self, "value", d.value);
                if positive && value < 0.0 {
                    self.err(
                        format!("{key}.value"),
                        format!("found {value}; must not be negative"),
                    );
                }
                Dist::Fixed(value)
            }
            other => {
                let cands: Vec<String> = ["lognormal", "normal", "uniform", "fixed"]
                    .iter()
                    .map(|s| s.to_string())
                    .collect();
                let hint = did_you_mean(other, &cands)
                    .map(|b| format!("; did you mean `{b}`?"))
                    .unwrap_or_default();
                self.err(
                    format!("{key}.distribution"),
                    format!("unknown distribution `{other}`; allowed: lognormal, normal, uniform, fixed{hint}"),
                );
                Dist::Fixed(0.0)
            }
        }
    }

    fn scenario(&mut self, raw: RawScenario, path: &Path, sha256: String) -> Option<Scenario> {
        let e = &raw.experiment;
        // --- experiment
        let name = e.name.trim().to_string();
        if name.is_empty() || name.len() > 100 {
            self.err(
                "experiment.name",
                "must be 1 to 100 characters; it names the output directory",
            );
        }
        let year = match u16::try_from(e.year) {
            Ok(y) if crate::model::parameters::known_years().contains(&y) => y,
            _ => {
                self.err(
                    "experiment.year",
                    format!(
                        "no parameters for benefit year {}; allowed: {}",
                        e.year,
                        crate::model::parameters::known_years()
                            .iter()
                            .map(|y| y.to_string())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                );
                0
            }
        };
        let households = check_households(e.households).unwrap_or_else(|m| {
            self.err("experiment.households", m);
            1
        });
        let design = match e.design.as_deref().unwrap_or("paired") {
            "paired" => Design::Paired,
            "randomized" => Design::Randomized,
            other => {
                self.err(
                    "experiment.design",
                    format!("found `{other}`; allowed: paired, randomized"),
                );
                Design::Paired
            }
        };
        let recalculation = match e.recalculation.as_deref().unwrap_or("spread") {
            "spread" => Recalculation::Spread,
            "lump_sum" => Recalculation::LumpSum,
            other => {
                self.err(
                    "experiment.recalculation",
                    format!("found `{other}`; allowed: spread, lump_sum"),
                );
                Recalculation::Spread
            }
        };
        let thresholds_raw = e
            .high_reclaim_thresholds
            .clone()
            .unwrap_or_else(|| vec![500, 1000, 5000]);
        let mut high_reclaim_thresholds = Vec::new();
        if thresholds_raw.len() > MAX_THRESHOLDS {
            self.err(
                "experiment.high_reclaim_thresholds",
                format!(
                    "{} thresholds; at most {MAX_THRESHOLDS} are allowed",
                    thresholds_raw.len()
                ),
            );
        }
        for (i, t) in thresholds_raw.iter().enumerate().take(MAX_THRESHOLDS) {
            if *t <= 0 || *t > 1_000_000 {
                self.err(
                    format!("experiment.high_reclaim_thresholds[{i}]"),
                    format!(
                        "found {t}; a threshold is a whole number of euros from 1 to 1,000,000"
                    ),
                );
            } else {
                high_reclaim_thresholds.push(Money::euros(*t));
            }
        }
        if thresholds_raw.is_empty() {
            self.err(
                "experiment.high_reclaim_thresholds",
                "give at least one threshold, e.g. [500, 1000, 5000]",
            );
        }
        high_reclaim_thresholds.sort();
        high_reclaim_thresholds.dedup();

        // --- arms
        let arms = self.arms(&raw.arms, design);

        // --- population
        let explicit_benefits = raw.population.as_ref().and_then(|p| p.benefits.clone());
        let mut pop = self.population(raw.population.unwrap_or_default());
        let shocks = match &raw.shocks {
            Some(s) => self.shocks(s),
            None => default_shocks(),
        };
        let behaviour = self.behaviour(raw.behaviour.unwrap_or_default());
        let agency = self.agency(raw.agency.unwrap_or_default());
        let interventions = self.interventions(raw.interventions.unwrap_or_default());
        let lab = raw.lab.map(|l| self.lab(l, &arms));

        // --- parameters and overrides
        let mut overrides = Vec::new();
        let mut parameter_set = None;
        if year != 0 {
            match ParameterSet::for_year(year) {
                Ok(mut set) => {
                    for (group, keys) in &raw.parameters {
                        for (k, v) in keys {
                            let key = format!("parameters.{group}.{k}");
                            let Some(d) = decimal_from_toml(v) else {
                                self.err(
                                    key,
                                    format!("found {v}; a parameter value must be a number of at most 28 digits, e.g. 0.1373 or 2119"),
                                );
                                continue;
                            };
                            match set.apply_override(group, k, d) {
                                Ok(o) => overrides.push(o),
                                Err(m) => {
                                    let cands = set.all_keys();
                                    let hint = did_you_mean(&format!("{group}.{k}"), &cands)
                                        .filter(|_| m.starts_with("unknown"))
                                        .map(|b| format!("; did you mean `{b}`?"))
                                        .unwrap_or_default();
                                    self.err(key, format!("{m}{hint}"));
                                }
                            }
                        }
                    }
                    parameter_set = Some(set);
                }
                Err(m) => self.err("experiment.year", m),
            }
        }
        let params = match parameter_set.as_ref().map(|s| s.resolve()) {
            Some(Ok(p)) => Some(p),
            Some(Err(m)) => {
                self.err("parameters", m);
                None
            }
            None => None,
        };
        let replications = match e.replications {
            None => 1,
            Some(r) if (1..=MAX_REPLICATIONS as i64).contains(&r) => r as u32,
            Some(r) => {
                self.err(
                    "experiment.replications",
                    format!("found {r}; allowed 1 to 1000"),
                );
                1
            }
        };
        let arm_names: Vec<String> = arms.iter().map(|a| a.name.clone()).collect();
        if raw.expect.len() > MAX_EXPECTATIONS {
            self.err(
                "expect",
                format!(
                    "{} expectations; at most {MAX_EXPECTATIONS} are allowed",
                    raw.expect.len()
                ),
            );
        }
        let expectations =
            expect::validate_expectations(&raw.expect, &arm_names, &mut |k, m| self.err(k, m));
        if let Some(p) = &params {
            self.benefits_available(p, &mut pop, explicit_benefits.as_deref());
        }
        self.income_bound(&pop.income, &shocks);
        if !self.problems.is_empty() {
            return None;
        }
        Some(Scenario {
            replications,
            compare_public: e.compare_public.unwrap_or(false),
            expectations,
            path: path.to_path_buf(),
            sha256,
            name,
            description: e.description.clone(),
            year,
            households,
            seed: e.seed.unwrap_or(1),
            design,
            high_reclaim_thresholds,
            recalculation,
            arms,
            population: pop,
            shocks,
            behaviour,
            agency,
            interventions,
            lab,
            parameter_set: parameter_set?,
            params: params?,
            overrides,
            sweep_table: raw.sweep.clone(),
        })
    }

    /// A benefit listed in `population.benefits` must be computable for the year (else an error
    /// quoting the parameter file's reason); without a list, the default is every benefit the
    /// year can compute (the report's benefits line says which).
    fn benefits_available(
        &mut self,
        p: &Params,
        pop: &mut Population,
        explicit: Option<&[String]>,
    ) {
        for b in Benefit::ALL {
            if !pop.benefits[b.index()] {
                continue;
            }
            if let Err(reason) = b.available(p) {
                match explicit {
                    Some(list) => {
                        let i = list.iter().position(|x| x == b.name()).unwrap_or(0);
                        self.err(format!("population.benefits[{i}]"), reason.to_string());
                    }
                    None => pop.benefits[b.index()] = false,
                }
            }
        }
    }

    fn arms(&mut self, raw: &[RawArm], design: Design) -> Vec<Arm> {
        if raw.is_empty() {
            self.err(
                "arms",
                "no arms; add a control arm (`[[arms]] name = \"control\"` with `advance = { policy = \"standard\" }`) and at least one treatment arm",
            );
            return vec![];
        }
        if raw.len() > MAX_ARMS {
            self.err(
                "arms",
                format!(
                    "{} arms; at most {MAX_ARMS} are allowed (every arm is simulated for every household)",
                    raw.len()
                ),
            );
            return vec![];
        }
        let mut arms = Vec::new();
        let mut names = std::collections::BTreeSet::new();
        for (i, a) in raw.iter().enumerate() {
            let k = format!("arms[{i}]");
            let arm_name = a.name.trim().to_string();
            if arm_name.is_empty()
                || !arm_name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
            {
                self.err(
                    format!("{k}.name"),
                    format!(
                        "found `{}`; an arm name uses letters, digits, `_` and `-` only",
                        a.name
                    ),
                );
            }
            if !names.insert(arm_name.clone()) {
                self.err(
                    format!("{k}.name"),
                    format!("arm name `{arm_name}` is used twice; names must be unique"),
                );
            }
            let takeup = match a.takeup {
                Some(t) => self.probability(&format!("{k}.takeup"), t),
                None => 1.0,
            };
            let share = match a.share {
                Some(s) if s > 0.0 && s.is_finite() => s,
                Some(s) => {
                    self.err(
                        format!("{k}.share"),
                        format!("found {s}; an assignment share must be above 0"),
                    );
                    1.0
                }
                None => 1.0,
            };
            if a.share.is_some() && design == Design::Paired {
                self.err(format!("{k}.share"), "`share` applies to the randomized design only; in the paired design every household is in every arm");
            }
            let allow_low = a.allow_below_legal_floor.unwrap_or(false);
            let policy = match a.advance.policy.as_str() {
                "standard" => {
                    if a.advance.fraction.is_some() {
                        self.err(format!("{k}.advance.fraction"), "the standard policy pays 100%; use `policy = \"cautious\"` for a fraction");
                    }
                    if a.choice.is_some() {
                        self.err(
                            format!("{k}.choice"),
                            "`choice` belongs to the adjustable policy",
                        );
                    }
                    AdvancePolicy::Standard
                }
                "cautious" => {
                    let f = a.advance.fraction.unwrap_or(0.80);
                    let fraction = self.fraction(&format!("{k}.advance.fraction"), f, allow_low);
                    if a.choice.is_some() {
                        self.err(
                            format!("{k}.choice"),
                            "`choice` belongs to the adjustable policy",
                        );
                    }
                    AdvancePolicy::Cautious { fraction }
                }
                "adjustable" => {
                    if a.advance.fraction.is_some() {
                        self.err(format!("{k}.advance.fraction"), "the adjustable policy has no single fraction; describe the chosen percentages with `choice`");
                    }
                    let choice = match &a.choice {
                        None => default_choice(),
                        Some(bands) => self.bands(&k, bands, allow_low),
                    };
                    AdvancePolicy::Adjustable { choice }
                }
                other => {
                    let cands: Vec<String> = ["standard", "cautious", "adjustable"]
                        .iter()
                        .map(|s| s.to_string())
                        .collect();
                    let hint = did_you_mean(other, &cands)
                        .map(|b| format!("; did you mean `{b}`?"))
                        .unwrap_or_default();
                    self.err(format!("{k}.advance.policy"), format!("unknown policy `{other}`; allowed: standard, cautious, adjustable{hint}"));
                    AdvancePolicy::Standard
                }
            };
            let mut interventions = Vec::new();
            for (j, n) in a.interventions.iter().flatten().enumerate() {
                let key = format!("{k}.interventions[{j}]");
                match InterventionKind::ALL.iter().find(|x| x.name() == n) {
                    Some(x) if interventions.contains(x) => {
                        self.err(key, format!("`{n}` is listed twice"))
                    }
                    Some(x) => interventions.push(*x),
                    None => {
                        let cands: Vec<String> = InterventionKind::ALL
                            .iter()
                            .map(|x| x.name().to_string())
                            .collect();
                        let hint = did_you_mean(n, &cands)
                            .map(|b| format!("; did you mean `{b}`?"))
                            .unwrap_or_default();
                        self.err(
                            key,
                            format!(
                                "unknown intervention `{n}`; allowed: {}{hint}",
                                cands.join(", ")
                            ),
                        );
                    }
                }
            }
            let takeup_volatile = a
                .takeup_volatile
                .map(|t| self.probability(&format!("{k}.takeup_volatile"), t));
            let choice_volatile = match (&a.choice_volatile, policy.has_choice_bands()) {
                (None, _) => None,
                (Some(b), true) => {
                    Some(self.bands_at(&format!("{k}.choice_volatile"), b, allow_low))
                }
                (Some(_), false) => {
                    self.err(
                        format!("{k}.choice_volatile"),
                        "`choice_volatile` belongs to the adjustable policy",
                    );
                    None
                }
            };
            arms.push(Arm {
                name: arm_name,
                policy,
                takeup,
                share,
                interventions,
                takeup_volatile,
                choice_volatile,
                allow_below_legal_floor: allow_low,
            });
        }
        // An arm that lists interventions (even misspelt ones, already reported) is a treatment.
        let controls: Vec<usize> = arms
            .iter()
            .zip(raw)
            .enumerate()
            .filter(|(_, (a, r))| {
                a.is_control() && r.interventions.as_ref().is_none_or(|v| v.is_empty())
            })
            .map(|(i, _)| i)
            .collect();
        match controls.as_slice() {
            [] => self.err(
                "arms",
                "no control arm: exactly one arm must have `advance = { policy = \"standard\" }` and no interventions",
            ),
            [c] => {
                let c = *c;
                let control = arms.remove(c);
                arms.insert(0, control);
            }
            more => self.err(
                format!("arms[{}]", more[1]),
                format!(
                    "{} arms use the standard policy ({}) without interventions; exactly one control arm is allowed",
                    more.len(),
                    more.iter()
                        .map(|i| arms[*i].name.clone())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ),
        }
        if arms.len() == 1 && self.problems.is_empty() {
            self.err(
                "arms",
                "only a control arm; add a treatment arm (cautious, adjustable, or interventions) to compare with",
            );
        }
        arms
    }

    fn fraction(&mut self, key: &str, f: f64, allow_low: bool) -> Rate {
        if !(f > 0.0 && f <= 1.0) {
            self.err(
                key,
                format!("found {f}; a fraction of the advance must be above 0 and at most 1"),
            );
            return Rate::ONE;
        }
        let r = Rate::from_f64(f);
        if r < LEGAL_FLOOR && !allow_low {
            self.err(
                key,
                format!("found {f}; the law leaves room down to 0.70. To model a lower advance anyway, set `allow_below_legal_floor = true` in this arm"),
            );
        }
        r
    }

    fn bands(&mut self, k: &str, bands: &[RawBand], allow_low: bool) -> Vec<ChoiceBand> {
        self.bands_at(&format!("{k}.choice"), bands, allow_low)
    }

    /// Validates choice bands at key `ck` (`arms[i].choice` or `arms[i].choice_volatile`).
    fn bands_at(&mut self, ck: &str, bands: &[RawBand], allow_low: bool) -> Vec<ChoiceBand> {
        let mut out = Vec::new();
        if bands.is_empty() {
            self.err(
                ck.to_string(),
                "give at least one band, e.g. { range = [0.75, 0.85], weight = 1.0 }",
            );
        }
        if bands.len() > MAX_CHOICE_BANDS {
            self.err(
                ck.to_string(),
                format!(
                    "{} bands; at most {MAX_CHOICE_BANDS} are allowed",
                    bands.len()
                ),
            );
            return out;
        }
        for (j, b) in bands.iter().enumerate() {
            let bk = format!("{ck}[{j}]");
            if b.range.len() != 2 {
                self.err(
                    format!("{bk}.range"),
                    format!(
                        "found {} numbers; a range is [low, high], e.g. [0.75, 0.85]",
                        b.range.len()
                    ),
                );
                continue;
            }
            let (lo, hi) = (b.range[0], b.range[1]);
            if !(lo > 0.0 && hi <= 1.0 && lo < hi) {
                self.err(
                    format!("{bk}.range"),
                    format!("found [{lo}, {hi}]; need 0 < low < high ≤ 1"),
                );
                continue;
            }
            let lo_p = (lo * 100.0).round() as u32;
            let hi_p = (hi * 100.0).round() as u32;
            if lo_p == hi_p
                || (lo * 100.0 - lo_p as f64).abs() > 1e-9
                || (hi * 100.0 - hi_p as f64).abs() > 1e-9
            {
                self.err(
                    format!("{bk}.range"),
                    format!("found [{lo}, {hi}]; bounds are whole percentages, e.g. [0.75, 0.85]"),
                );
                continue;
            }
            if Rate::percent(lo_p as i64) < LEGAL_FLOOR && !allow_low {
                self.err(format!("{bk}.range"), format!("found low {lo}; the law leaves room down to 0.70. Set `allow_below_legal_floor = true` in this arm to go lower"));
            }
            if !(b.weight >= 0.0 && b.weight.is_finite()) {
                self.err(
                    format!("{bk}.weight"),
                    format!("found {}; a weight must be 0 or more", b.weight),
                );
                continue;
            }
            out.push(ChoiceBand {
                lo: lo_p,
                hi: hi_p,
                weight: b.weight,
            });
        }
        if !out.is_empty() && out.iter().map(|b| b.weight).sum::<f64>() <= 0.0 {
            self.err(
                ck.to_string(),
                "the weights add up to 0; give at least one band a positive weight",
            );
        }
        out
    }

    fn population(&mut self, p: RawPopulation) -> Population {
        let mut benefits = [false; N_BENEFITS];
        match &p.benefits {
            None => benefits = [true; N_BENEFITS],
            Some(list) => {
                if list.is_empty() {
                    self.err(
                        "population.benefits",
                        format!(
                            "no benefits; allowed: {}",
                            Benefit::ALL.map(|b| b.name()).join(", ")
                        ),
                    );
                }
                for (i, b) in list.iter().enumerate() {
                    match Benefit::parse(b) {
                        Ok(b) => benefits[b.index()] = true,
                        Err(m) => self.err(format!("population.benefits[{i}]"), m),
                    }
                }
            }
        }
        let mut household_types = [0.45, 0.20, 0.15, 0.20];
        if let Some(t) = &p.household_types {
            household_types = [0.0; N_TYPES];
            for (k, v) in t {
                match HOUSEHOLD_TYPES.iter().position(|h| h == k) {
                    Some(i) => {
                        household_types[i] =
                            self.probability(&format!("population.household_types.{k}"), *v)
                    }
                    None => {
                        let cands: Vec<String> =
                            HOUSEHOLD_TYPES.iter().map(|s| s.to_string()).collect();
                        let hint = did_you_mean(k, &cands)
                            .map(|b| format!("; did you mean `{b}`?"))
                            .unwrap_or_default();
                        self.err(
                            format!("population.household_types.{k}"),
                            format!(
                                "unknown household type `{k}`; allowed: {}{hint}",
                                HOUSEHOLD_TYPES.join(", ")
                            ),
                        );
                    }
                }
            }
            let sum: f64 = household_types.iter().sum();
            if (sum - 1.0).abs() > 1e-6 {
                self.err(
                    "population.household_types",
                    format!("shares add up to {sum}; they must add up to 1"),
                );
            }
        }
        let income = match &p.income {
            Some(d) => self.dist("population.income", d, true),
            None => Dist::LogNormal {
                median: 28_000.0,
                sigma: 0.45,
            },
        };
        let partner_income = match &p.partner_income {
            Some(d) => self.dist("population.partner_income", d, true),
            None => Dist::LogNormal {
                median: 18_000.0,
                sigma: 0.8,
            },
        };
        let (children_counts, child_max_age) = match &p.children {
            None => (vec![0.40, 0.40, 0.15, 0.05], 17),
            Some(c) => {
                if c.counts.is_empty() || c.counts.len() > crate::rules::MAX_CHILDREN {
                    self.err(
                        "population.children.counts",
                        format!(
                            "give weights for 1, 2, … children, at most {} entries",
                            crate::rules::MAX_CHILDREN
                        ),
                    );
                }
                for (i, w) in c.counts.iter().enumerate() {
                    if !(*w >= 0.0 && w.is_finite()) {
                        self.err(
                            format!("population.children.counts[{i}]"),
                            format!("found {w}; a weight must be 0 or more"),
                        );
                    }
                }
                if c.counts.iter().sum::<f64>() <= 0.0 {
                    self.err("population.children.counts", "the weights add up to 0");
                }
                let max_age = c.max_age.unwrap_or(17);
                if !(0..=25).contains(&max_age) {
                    self.err(
                        "population.children.max_age",
                        format!("found {max_age}; allowed 0 to 25"),
                    );
                }
                (c.counts.clone(), max_age.clamp(0, 25) as u8)
            }
        };
        let (assets_share, assets) = match &p.assets {
            None => (
                0.25,
                Dist::LogNormal {
                    median: 15_000.0,
                    sigma: 1.2,
                },
            ),
            Some(a) => (
                self.probability("population.assets.share_with_assets", a.share_with_assets),
                self.dist("population.assets.amount", &a.amount, true),
            ),
        };
        let estimate_error = match &p.estimate_error {
            None => Dist::LogNormal {
                median: 1.0,
                sigma: 0.10,
            },
            Some(d) => self.dist("population.estimate_error", d, true),
        };
        let (renters_share, rent) = match &p.rent {
            None => (0.5, default_rent()),
            Some(r) => (
                self.probability("population.rent.share_renting", r.share_renting),
                match &r.amount {
                    Some(d) => self.dist("population.rent.amount", d, true),
                    None => default_rent(),
                },
            ),
        };
        let (co_resident_share, co_resident_under_23_share, co_resident_income) =
            match &p.co_residents {
                None => (0.05, 0.5, default_co_resident_income()),
                Some(c) => (
                    self.probability("population.co_residents.share", c.share),
                    match c.share_under_23 {
                        Some(x) => self.probability("population.co_residents.share_under_23", x),
                        None => 0.5,
                    },
                    match &c.income {
                        Some(d) => self.dist("population.co_residents.income", d, true),
                        None => default_co_resident_income(),
                    },
                ),
            };
        let cc = p.childcare.as_ref();
        let childcare_share = cc.map_or(0.5, |c| {
            self.probability("population.childcare.share_using", c.share_using)
        });
        let childcare_max_age = match cc.and_then(|c| c.max_age) {
            None => 12,
            Some(a) if (0..=17).contains(&a) => a as u8,
            Some(a) => {
                self.err(
                    "population.childcare.max_age",
                    format!("found {a}; allowed 0 to 17 (BSO ends with primary school, about 12)"),
                );
                12
            }
        };
        let gastouder_share = match cc.and_then(|c| c.gastouder_share) {
            None => 0.10,
            Some(x) => self.probability("population.childcare.gastouder_share", x),
        };
        let childcare_hours = match cc.and_then(|c| c.hours.as_ref()) {
            None => Dist::Uniform {
                min: 40.0,
                max: 160.0,
            },
            Some(d) => self.dist("population.childcare.hours", d, true),
        };
        let childcare_price_factor = match cc.and_then(|c| c.price_factor.as_ref()) {
            None => Dist::Normal {
                mean: 1.0,
                sd: 0.08,
            },
            Some(d) => self.dist("population.childcare.price_factor", d, true),
        };
        let childcare_hours_estimate_error = match cc.and_then(|c| c.hours_estimate_error.as_ref())
        {
            None => Dist::LogNormal {
                median: 1.0,
                sigma: 0.15,
            },
            Some(d) => self.dist("population.childcare.hours_estimate_error", d, true),
        };
        Population {
            benefits,
            household_types,
            income,
            partner_income,
            children_counts,
            child_max_age,
            assets_share,
            assets,
            estimate_error,
            renters_share,
            rent,
            co_resident_share,
            co_resident_under_23_share,
            co_resident_income,
            childcare_share,
            childcare_max_age,
            gastouder_share,
            childcare_hours,
            childcare_price_factor,
            childcare_hours_estimate_error,
            employment: p.employment.as_ref().map(|e| self.employment(e)),
        }
    }

    fn employment(&mut self, raw: &BTreeMap<String, RawEmployment>) -> Employment {
        // Defaults per type (assumptions): yearly income surprise log-sd and estimate log-sd.
        let mut e = Employment {
            shares: [0.0; 3],
            volatility: [0.05, 0.25, 0.35],
            estimate_sigma: [0.08, 0.20, 0.30],
        };
        for (k, v) in raw {
            let key = format!("population.employment.{k}");
            let Some(i) = EMPLOYMENT_TYPES.iter().position(|t| t == k) else {
                let cands: Vec<String> = EMPLOYMENT_TYPES.iter().map(|s| s.to_string()).collect();
                let hint = did_you_mean(k, &cands)
                    .map(|b| format!("; did you mean `{b}`?"))
                    .unwrap_or_default();
                self.err(
                    key,
                    format!(
                        "unknown employment type `{k}`; allowed: {}{hint}",
                        EMPLOYMENT_TYPES.join(", ")
                    ),
                );
                continue;
            };
            e.shares[i] = self.probability(&format!("{key}.share"), v.share);
            for (name, x, slot) in [
                ("volatility", v.volatility, &mut e.volatility[i]),
                ("estimate_sigma", v.estimate_sigma, &mut e.estimate_sigma[i]),
            ] {
                if let Some(x) = x {
                    if (0.0..=2.0).contains(&x) {
                        *slot = x;
                    } else {
                        self.err(
                            format!("{key}.{name}"),
                            format!("found {x}; a log-sd between 0 and 2, e.g. 0.25"),
                        );
                    }
                }
            }
        }
        let sum: f64 = e.shares.iter().sum();
        if (sum - 1.0).abs() > 1e-6 {
            self.err(
                "population.employment",
                format!("shares add up to {sum}; they must add up to 1"),
            );
        }
        e
    }

    /// The largest income the scenario can produce must stay within [`Money::MAX_INCOME`]: when
    /// the income distribution is bounded (fixed or uniform), its maximum × the product of the
    /// largest factors of the bounded income shocks (each at most 100, as drawn) × (1 + the
    /// largest bonuses) is checked here. Unbounded draws (lognormal, normal) are clamped when
    /// drawn and any product saturates at the cap (see [`crate::model::money`]).
    fn income_bound(&mut self, income: &Dist, shocks: &[Shock]) {
        let upper = |d: &Dist| match d {
            Dist::Fixed(x) => Some(*x),
            Dist::Uniform { max, .. } => Some(*max),
            _ => None,
        };
        let Some(base) = upper(income) else { return };
        let mut factor = 1.0f64;
        let mut bonus = 0.0f64;
        for s in shocks {
            match &s.kind {
                ShockKind::IncomeChange { factor: f }
                | ShockKind::JobLoss { factor: f }
                | ShockKind::JobGain { factor: f }
                | ShockKind::Raise { factor: f } => {
                    if let Some(x) = upper(f) {
                        factor *= x.clamp(1.0, 100.0);
                    }
                }
                ShockKind::Bonus { months } => {
                    if let Some(x) = upper(months) {
                        bonus += x.clamp(0.0, 100.0);
                    }
                }
                _ => {}
            }
        }
        let cap = Money::MAX_INCOME.to_f64_euros();
        let worst = base.max(0.0) * factor * (1.0 + bonus / 12.0);
        if worst > cap {
            self.err(
                "shocks",
                format!(
                    "the income after all shocks can reach €{} a year (population.income up to €{} × the largest factors of the income shocks); at most {} (the limit for incomes) is allowed: lower the income or the factors",
                    big_euros(worst),
                    big_euros(base),
                    Money::MAX_INCOME
                ),
            );
        }
    }

    fn shocks(&mut self, raw: &[RawShock]) -> Vec<Shock> {
        let mut out = Vec::new();
        if raw.len() > crate::model::household::MAX_SHOCKS {
            self.err(
                "shocks",
                format!(
                    "{} shocks; at most {} are allowed",
                    raw.len(),
                    crate::model::household::MAX_SHOCKS
                ),
            );
        }
        for (i, s) in raw.iter().enumerate() {
            let k = format!("shocks[{i}]");
            let probability = self.probability(&format!("{k}.probability"), s.probability);
            let month = match &s.month {
                None => MonthSpec::Uniform,
                Some(toml::Value::String(x)) if x == "uniform" => MonthSpec::Uniform,
                Some(toml::Value::Integer(m)) if (1..=12).contains(m) => MonthSpec::Fixed(*m as u8),
                Some(toml::Value::Array(a)) if a.len() == 12 => {
                    let mut w = [0.0; 12];
                    let mut ok = true;
                    for (j, x) in a.iter().enumerate() {
                        match x.as_float().or_else(|| x.as_integer().map(|i| i as f64)) {
                            Some(v) if v >= 0.0 => w[j] = v,
                            _ => ok = false,
                        }
                    }
                    if !ok || w.iter().sum::<f64>() <= 0.0 {
                        self.err(
                            format!("{k}.month"),
                            "month weights must be 12 numbers ≥ 0 with a positive sum",
                        );
                    }
                    MonthSpec::Weights(w)
                }
                Some(other) => {
                    self.err(
                        format!("{k}.month"),
                        format!("found {other}; allowed: \"uniform\", a month 1–12, or 12 weights"),
                    );
                    MonthSpec::Uniform
                }
            };
            let factor = |v: &mut Self, dflt: Dist| match &s.factor {
                Some(d) => v.dist(&format!("{k}.factor"), d, true),
                None => dflt,
            };
            let kind = match s.kind.as_str() {
                "income_change" => {
                    let factor = match &s.factor {
                        Some(d) => self.dist(&format!("{k}.factor"), d, true),
                        None => {
                            self.err(k.clone(), "an income_change needs `factor`, e.g. { distribution = \"lognormal\", median = 1.05, sigma = 0.25 }");
                            Dist::Fixed(1.0)
                        }
                    };
                    ShockKind::IncomeChange { factor }
                }
                "partner_moves_in" => ShockKind::PartnerMovesIn {
                    income: match &s.income {
                        Some(d) => self.dist(&format!("{k}.income"), d, true),
                        None => Dist::LogNormal {
                            median: 18_000.0,
                            sigma: 0.8,
                        },
                    },
                },
                "partner_moves_out" => ShockKind::PartnerMovesOut,
                "child_born" => ShockKind::ChildBorn,
                // Defaults (assumptions): unemployment benefit 70% of the last wage; a new or
                // extra job +40%; a raise ≈ the 2026 collective wage rise; a 13th month.
                "job_loss" => ShockKind::JobLoss {
                    factor: factor(self, Dist::Fixed(0.70)),
                },
                "job_gain" => ShockKind::JobGain {
                    factor: factor(
                        self,
                        Dist::LogNormal {
                            median: 1.4,
                            sigma: 0.3,
                        },
                    ),
                },
                "raise" => ShockKind::Raise {
                    factor: factor(
                        self,
                        Dist::LogNormal {
                            median: 1.04,
                            sigma: 0.02,
                        },
                    ),
                },
                "bonus" => ShockKind::Bonus {
                    months: factor(self, Dist::Fixed(1.0)),
                },
                "childcare_hours_change" => ShockKind::ChildcareHoursChange {
                    factor: factor(
                        self,
                        Dist::LogNormal {
                            median: 1.0,
                            sigma: 0.3,
                        },
                    ),
                },
                "rent_change" => ShockKind::RentChange {
                    factor: factor(
                        self,
                        Dist::Normal {
                            mean: 1.04,
                            sd: 0.02,
                        },
                    ),
                },
                other => {
                    let cands: Vec<String> = SHOCK_KINDS.iter().map(|s| s.to_string()).collect();
                    let hint = did_you_mean(other, &cands)
                        .map(|b| format!("; did you mean `{b}`?"))
                        .unwrap_or_default();
                    self.err(
                        format!("{k}.kind"),
                        format!(
                            "unknown shock kind `{other}`; allowed: {}{hint}",
                            SHOCK_KINDS.join(", ")
                        ),
                    );
                    ShockKind::ChildBorn
                }
            };
            let mut employment = [true; 3];
            if let Some(list) = &s.employment {
                employment = [false; 3];
                for (j, n) in list.iter().enumerate() {
                    match EMPLOYMENT_TYPES.iter().position(|t| t == n) {
                        Some(i) => employment[i] = true,
                        None => self.err(
                            format!("{k}.employment[{j}]"),
                            format!(
                                "unknown employment type `{n}`; allowed: {}",
                                EMPLOYMENT_TYPES.join(", ")
                            ),
                        ),
                    }
                }
            }
            if matches!(
                kind,
                ShockKind::PartnerMovesIn { .. }
                    | ShockKind::PartnerMovesOut
                    | ShockKind::ChildBorn
            ) && s.factor.is_some()
            {
                self.err(
                    format!("{k}.factor"),
                    "`factor` belongs to income, job, raise, bonus, childcare-hours and rent shocks",
                );
            }
            if !matches!(kind, ShockKind::PartnerMovesIn { .. }) && s.income.is_some() {
                self.err(
                    format!("{k}.income"),
                    "`income` belongs to partner_moves_in shocks",
                );
            }
            out.push(Shock {
                kind,
                probability,
                month,
                employment,
            });
        }
        out
    }

    fn behaviour(&mut self, b: RawBehaviour) -> Behaviour {
        let mut out = default_behaviour();
        if let Some(r) = &b.report_probability {
            let key = |n: &str| format!("behaviour.report_probability.{n}");
            // `partner` sets both directions; `partner_in`/`partner_out` refine it.
            let given = [
                (r.income_up, "income_up", vec![ChangeType::IncomeUp]),
                (r.income_down, "income_down", vec![ChangeType::IncomeDown]),
                (
                    r.partner,
                    "partner",
                    vec![ChangeType::PartnerIn, ChangeType::PartnerOut],
                ),
                (r.partner_in, "partner_in", vec![ChangeType::PartnerIn]),
                (r.partner_out, "partner_out", vec![ChangeType::PartnerOut]),
                (r.child, "child", vec![ChangeType::ChildBorn]),
                (
                    r.childcare_hours,
                    "childcare_hours",
                    vec![ChangeType::ChildcareHours],
                ),
                (r.rent, "rent", vec![ChangeType::Rent]),
            ];
            for (x, name, types) in given {
                if let Some(x) = x {
                    let p = self.probability(&key(name), x);
                    for t in types {
                        out.report[t as usize] = p;
                    }
                }
            }
        }
        if let Some(r) = &b.report_delay_months {
            let key = "behaviour.report_delay_months";
            if r.distribution != "uniform" {
                self.err(
                    format!("{key}.distribution"),
                    format!(
                        "found `{}`; the delay is `uniform` with whole `min` and `max` months",
                        r.distribution
                    ),
                );
            } else {
                let min = r.min.unwrap_or(0.0);
                let max = r.max.unwrap_or(min);
                if min < 0.0 || max > 12.0 || min > max || min.fract() != 0.0 || max.fract() != 0.0
                {
                    self.err(
                        key,
                        format!("found min {min}, max {max}; whole months with 0 ≤ min ≤ max ≤ 12"),
                    );
                } else {
                    out.delay = [(min as u8, max as u8); N_CHANGE_TYPES];
                }
            }
        }
        for (name, v) in b.report_delay_by_change.iter().flatten() {
            let key = format!("behaviour.report_delay_by_change.{name}");
            let Some(t) = ChangeType::ALL.iter().find(|t| t.name() == name) else {
                let cands: Vec<String> = ChangeType::ALL
                    .iter()
                    .map(|t| t.name().to_string())
                    .collect();
                let hint = did_you_mean(name, &cands)
                    .map(|b| format!("; did you mean `{b}`?"))
                    .unwrap_or_default();
                self.err(
                    key,
                    format!(
                        "unknown change type `{name}`; allowed: {}{hint}",
                        cands.join(", ")
                    ),
                );
                continue;
            };
            match v.as_slice() {
                [lo, hi] if 0 <= *lo && lo <= hi && *hi <= 12 => {
                    out.delay[*t as usize] = (*lo as u8, *hi as u8)
                }
                _ => self.err(
                    key,
                    format!("found {v:?}; give [min, max] whole months with 0 ≤ min ≤ max ≤ 12"),
                ),
            }
        }
        if let Some(x) = b.unaware_income_share {
            out.unaware_income_share = self.probability("behaviour.unaware_income_share", x);
        }
        out
    }

    fn agency(&mut self, a: RawAgency) -> Agency {
        let extra = a.income_indexation_extra.unwrap_or(0.0);
        if !(0.0..=0.5).contains(&extra) {
            self.err(
                "agency.income_indexation_extra",
                format!("found {extra}; a fraction between 0 and 0.5, e.g. 0.03 for +3%"),
            );
        }
        Agency {
            income_indexation_extra: extra.clamp(0.0, 0.5),
        }
    }

    fn month(&mut self, key: &str, m: i64) -> u8 {
        if (1..=12).contains(&m) {
            m as u8
        } else {
            self.err(key, format!("found {m}; a month is 1 to 12"));
            1
        }
    }

    fn interventions(&mut self, r: RawInterventions) -> InterventionParams {
        let mut p = InterventionParams::default();
        if let Some(a) = &r.attention_letter {
            let k = "interventions.attention_letter";
            if let Some(m) = a.month {
                p.letter_month = self.month(&format!("{k}.month"), m);
            }
            if let Some(x) = a.response_share {
                p.letter_response_share = self.probability(&format!("{k}.response_share"), x);
            }
            if let Some(x) = a.gap_threshold {
                if (0.0..=10.0).contains(&x) {
                    p.letter_gap_threshold = x;
                } else {
                    self.err(
                        format!("{k}.gap_threshold"),
                        format!("found {x}; a relative gap between 0 and 10, e.g. 0.10"),
                    );
                }
            }
        }
        if let Some(n) = &r.year_start_notice {
            if let Some(x) = n.report_multiplier {
                if (1.0..=100.0).contains(&x) {
                    p.notice_multiplier = x;
                } else {
                    self.err(
                        "interventions.year_start_notice.report_multiplier",
                        format!("found {x}; a multiplier from 1 to 100, e.g. 3"),
                    );
                }
            }
        }
        if let Some(m) = &r.mutation {
            let k = "interventions.mutation";
            if let Some(months) = &m.months {
                let mut v: Vec<u8> = months
                    .iter()
                    .enumerate()
                    .map(|(i, x)| self.month(&format!("{k}.months[{i}]"), *x))
                    .collect();
                v.sort_unstable();
                v.dedup();
                if v.is_empty() {
                    self.err(
                        format!("{k}.months"),
                        "give at least one month, e.g. [3, 6, 9]",
                    );
                }
                p.mutation_months = v;
            }
            if let Some(x) = m.max_letters {
                if (1..=4).contains(&x) {
                    p.mutation_max_letters = x as u8;
                } else {
                    self.err(
                        format!("{k}.max_letters"),
                        format!("found {x}; allowed 1 to 4 (the agency sends at most 3)"),
                    );
                }
            }
            if let Some(x) = m.objection_share {
                p.mutation_objection_share = self.probability(&format!("{k}.objection_share"), x);
            }
            if let Some(src) = &m.sources {
                p.mutation_childcare = false;
                p.mutation_income = false;
                for (i, s) in src.iter().enumerate() {
                    match s.as_str() {
                        "childcare" => p.mutation_childcare = true,
                        "income" => p.mutation_income = true,
                        other => self.err(
                            format!("{k}.sources[{i}]"),
                            format!("unknown data source `{other}`; allowed: childcare, income"),
                        ),
                    }
                }
            }
        }
        if let Some(g) = &r.personal_guidance {
            let k = "interventions.personal_guidance";
            if let Some(x) = g.share {
                p.guidance_share = self.probability(&format!("{k}.share"), x);
            }
            if let Some(m) = g.month {
                p.guidance_month = self.month(&format!("{k}.month"), m);
            }
        }
        p
    }

    fn lab(&mut self, l: RawLab, arms: &[Arm]) -> Lab {
        for (key, name, want) in [
            ("lab.cautious_arm", &l.cautious_arm, "cautious"),
            ("lab.adjustable_arm", &l.adjustable_arm, "adjustable"),
        ] {
            if let Some(n) = name {
                match arms.iter().find(|a| &a.name == n) {
                    Some(a) if a.policy.name() == want => {}
                    Some(_) => self.err(key, format!("arm `{n}` does not use the {want} policy")),
                    None => self.err(key, format!("no arm named `{n}`")),
                }
            }
        }
        if l.cautious_arm.is_none() && l.adjustable_arm.is_none() {
            self.err(
                "lab",
                "name the arm(s) that replicate the lab: `cautious_arm` and/or `adjustable_arm`",
            );
        }
        Lab {
            cautious_arm: l.cautious_arm,
            adjustable_arm: l.adjustable_arm,
        }
    }
}

/// Default monthly rent of renters (assumption: social-housing rents around €650).
fn default_rent() -> Dist {
    Dist::Normal {
        mean: 650.0,
        sd: 150.0,
    }
}

/// Default annual income of a co-resident (assumption: a student or low earner).
fn default_co_resident_income() -> Dist {
    Dist::LogNormal {
        median: 8_000.0,
        sigma: 1.0,
    }
}

/// Checks a household count; the message says what the limit is and why.
pub fn check_households(n: i64) -> std::result::Result<u64, String> {
    if n < 1 {
        return Err(format!("found {n}; a run needs at least 1 household"));
    }
    if n as u64 > MAX_HOUSEHOLDS {
        return Err(format!(
            "found {n}; at most {MAX_HOUSEHOLDS} (ten times the 5.4 million Dutch recipient households): a larger number is almost surely a typo"
        ));
    }
    Ok(n as u64)
}

/// The default shocks when a scenario gives no `[[shocks]]` (assumptions, see README).
pub fn default_shocks() -> Vec<Shock> {
    vec![
        Shock {
            kind: ShockKind::IncomeChange {
                factor: Dist::LogNormal {
                    median: 1.05,
                    sigma: 0.25,
                },
            },
            probability: 0.35,
            month: MonthSpec::Uniform,
            employment: [true; 3],
        },
        Shock {
            kind: ShockKind::PartnerMovesIn {
                income: Dist::LogNormal {
                    median: 18_000.0,
                    sigma: 0.8,
                },
            },
            probability: 0.03,
            month: MonthSpec::Uniform,
            employment: [true; 3],
        },
        Shock {
            kind: ShockKind::PartnerMovesOut,
            probability: 0.03,
            month: MonthSpec::Uniform,
            employment: [true; 3],
        },
        Shock {
            kind: ShockKind::ChildBorn,
            probability: 0.02,
            month: MonthSpec::Uniform,
            employment: [true; 3],
        },
    ]
}

/// The default reporting behaviour (assumptions; RULES.md §6: only half know they must report
/// income changes, which the income-rise default of 0.5 reflects). Childcare hours and rent
/// changes: assumptions (seed 000: a large share of high childcare reclaims comes from a gap
/// between estimated and actual hours, so parents often fail to report hours).
pub fn default_behaviour() -> Behaviour {
    let mut report = [0.0; N_CHANGE_TYPES];
    report[ChangeType::IncomeUp as usize] = 0.5;
    report[ChangeType::IncomeDown as usize] = 0.8;
    report[ChangeType::PartnerIn as usize] = 0.7;
    report[ChangeType::PartnerOut as usize] = 0.7;
    report[ChangeType::ChildBorn as usize] = 0.9;
    report[ChangeType::ChildcareHours as usize] = 0.4;
    report[ChangeType::Rent as usize] = 0.7;
    Behaviour {
        report,
        delay: [(0, 3); N_CHANGE_TYPES],
        unaware_income_share: 0.0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Scenario> {
        parse_str(Path::new("t.toml"), text, String::new())
    }

    const MIN: &str = r#"
[experiment]
name = "t"
year = 2026
households = 100

[[arms]]
name = "control"
advance = { policy = "standard" }

[[arms]]
name = "cautious"
advance = { policy = "cautious", fraction = 0.8 }
takeup = 0.68
"#;

    #[test]
    fn minimal_scenario_gets_documented_defaults() {
        let s = parse(MIN).unwrap();
        assert_eq!(s.arms[0].name, "control");
        assert_eq!(s.design, Design::Paired);
        assert_eq!(
            s.arms[1].policy,
            AdvancePolicy::Cautious {
                fraction: Rate::percent(80)
            }
        );
        assert_eq!(s.high_reclaim_thresholds.len(), 3);
        assert_eq!(s.shocks.len(), 4);
    }

    #[test]
    fn unknown_key_names_line_and_suggests() {
        let text = MIN.replace("fraction = 0.8", "fractoin = 0.8");
        let e = parse(&text).unwrap_err().to_string();
        assert!(e.starts_with("t.toml:13:"), "{e}");
        assert!(e.contains("did you mean `fraction`?"), "{e}");
        assert!(e.contains("arms[1].advance.fractoin"), "{e}");
    }

    #[test]
    fn below_floor_needs_explicit_permission() {
        let text = MIN.replace("fraction = 0.8", "fraction = 0.6");
        let e = parse(&text).unwrap_err().to_string();
        assert!(e.contains("t.toml:13:"), "{e}");
        assert!(e.contains("allow_below_legal_floor"), "{e}");
        let ok = text.replace(
            "takeup = 0.68",
            "takeup = 0.68\nallow_below_legal_floor = true",
        );
        parse(&ok).unwrap();
    }

    #[test]
    fn all_problems_in_one_pass() {
        let text = MIN
            .replace("households = 100", "households = 0")
            .replace("takeup = 0.68", "takeup = 1.5");
        let Error::Input(d) = parse(&text).unwrap_err() else {
            panic!()
        };
        assert_eq!(d.len(), 2, "{d:?}");
        assert_eq!(d[0].line, Some(5));
        assert_eq!(d[1].key.as_deref(), Some("arms[1].takeup"));
    }

    #[test]
    fn unknown_override_key_is_an_error() {
        let text = format!("{MIN}\n[parameters.zorgtoeslag]\nnormpremie_rate_abov = 0.14\n");
        let e = parse(&text).unwrap_err().to_string();
        assert!(
            e.contains("did you mean `zorgtoeslag.normpremie_rate_above`"),
            "{e}"
        );
    }

    #[test]
    fn default_benefits_are_all_the_year_can_compute() {
        let s = parse(MIN).unwrap();
        assert_eq!(s.population.benefits, [true; N_BENEFITS]);
        let s = parse(&MIN.replace("year = 2026", "year = 2025")).unwrap();
        assert!(!s.population.benefits[Benefit::Huurtoeslag.index()]);
        assert!(s.population.benefits[Benefit::Kinderopvangtoeslag.index()]);
    }

    #[test]
    fn a_benefit_the_year_cannot_compute_is_refused_with_the_reason() {
        let text = MIN.replace("year = 2026", "year = 2024")
            + "\n[population]\nbenefits = [\"zorgtoeslag\", \"kinderopvangtoeslag\"]\n";
        let e = parse(&text).unwrap_err().to_string();
        assert!(e.contains("population.benefits[1]"), "{e}");
        assert!(e.contains("percentage table"), "{e}");
    }

    #[test]
    fn housing_and_childcare_keys_are_validated() {
        let text = format!(
            "{MIN}\n[population]\nrent = {{ share_renting = 1.2 }}\nchildcare = {{ share_using = 0.5, max_age = 30, hourz = 3 }}\n"
        );
        let e = parse(&text).unwrap_err().to_string();
        assert!(
            e.contains("hourz") && e.contains("did you mean `hours`"),
            "{e}"
        );
        let text = format!(
            "{MIN}\n[population]\nrent = {{ share_renting = 1.2 }}\nchildcare = {{ share_using = 0.5, max_age = 30 }}\n"
        );
        let Error::Input(d) = parse(&text).unwrap_err() else {
            panic!()
        };
        let keys: Vec<_> = d.iter().filter_map(|x| x.key.clone()).collect();
        assert!(
            keys.contains(&"population.rent.share_renting".to_string()),
            "{keys:?}"
        );
        assert!(
            keys.contains(&"population.childcare.max_age".to_string()),
            "{keys:?}"
        );
        assert_eq!(d[0].line, Some(17), "{d:?}");
    }

    #[test]
    fn missing_control_arm() {
        let text = MIN.replace("policy = \"standard\"", "policy = \"cautious\"");
        let e = parse(&text).unwrap_err().to_string();
        assert!(e.contains("no control arm"), "{e}");
    }

    #[test]
    fn wrong_type_names_line() {
        let text = MIN.replace("households = 100", "households = \"many\"");
        let e = parse(&text).unwrap_err().to_string();
        assert!(e.starts_with("t.toml:5:"), "{e}");
    }
}
