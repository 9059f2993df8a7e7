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
pub mod structure;
mod validate;

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
    /// `interventions = [...]`. Every table and key is optional (defaults: the 2021 childcare letter and the 2026 progress letter or
    /// assumptions, see scenarios/reference.toml).
    #[serde(default)]
    interventions: Option<RawInterventions>,
    /// Lab replication (default: absent): names the arms that replicate the lab experiments of
    /// the 2026 progress letter; report.md and `toeslagenlab calibrate` then show simulated vs lab figures.
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
    /// The uncertain assumptions `toeslagenlab uncertainty` draws: `[[uncertainty.assumptions]]`
    /// entries, each a scenario key with a range or distribution and its source; `run` ignores
    /// it.
    #[serde(default)]
    uncertainty: Option<RawUncertainty>,
    /// Beyond one year (default: absent, one benefit year): consecutive benefit years from
    /// `experiment.year`, what carries over, and the debts of reclaims (docs/behaviour.md
    /// "Beyond one year").
    #[serde(default)]
    horizon: Option<RawHorizon>,
}

/// `[horizon]`: a household lives through consecutive benefit years; each year's reclaim
/// becomes a debt repaid by its plan, back-payments are netted against open debts.
#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
struct RawHorizon {
    /// Benefit years, `experiment.year` the first, 2 to 10. A year without a parameter file
    /// takes the last known year's parameters unchanged, marked as a projection.
    #[schemars(range(min = 2, max = 10))]
    years: i64,
    /// The month (1 to 12) of the year after in which a year's definitive award is settled:
    /// its reclaim becomes a debt, its back-payment is netted against open debts (default 7;
    /// assumption [U]: most definitive awards follow the income tax assessment in the first
    /// half of the year after).
    #[schemars(range(min = 1, max = 12), extend("default" = 7))]
    #[serde(default)]
    settlement_month: Option<i64>,
    /// Where the next year's estimates start: "last_award" (the agency's memory: the income of
    /// the last definitive award, the partner's actual income, the childcare actually used) or
    /// "household" (a new estimate with a fresh estimate error).
    #[schemars(extend("enum" = ["last_award", "household"], "default" = "last_award"))]
    #[serde(default)]
    next_estimate: Option<String>,
    /// 0 to 1: a household with a reclaim in an arm last year takes that arm's offer more
    /// readily (its take-up draw × (1 − shift)); default 0, no response (assumption [U]).
    #[schemars(range(min = 0.0, max = 1.0), extend("default" = 0.0))]
    #[serde(default)]
    reclaim_takeup_shift: Option<f64>,
}

/// `[uncertainty]`: the assumptions whose uncertainty `toeslagenlab uncertainty` propagates.
#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
struct RawUncertainty {
    /// Draws when the command line gives no `--draws` (default 64, at most 10,000).
    #[serde(default)]
    draws: Option<i64>,
    /// The uncertain assumptions (at most 16), each a scenario key with a distribution.
    #[schemars(length(max = 16))]
    #[serde(default)]
    assumptions: Vec<RawAssumption>,
}

/// One uncertain assumption: a scenario key and the distribution of its value.
#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
struct RawAssumption {
    /// The key, as a sweep names it: `arms.<arm>.takeup`, `arms.<arm>.fraction`,
    /// `behaviour.report_probability.income_up`, `behaviour.selection.strength`,
    /// `shocks.<kind>.probability`, `interventions.mutation.reach`,
    /// `parameters.<group>.<key>`, or any other numeric key of the file (arrays of tables by
    /// `name` or `kind`, or by index: `shocks[0].probability`).
    key: String,
    /// "uniform" (low, high), "triangular" (low, mode, high), "normal" (mean, sd, truncated
    /// to low, high) or "discrete" (values, optional weights).
    distribution: String,
    /// Lowest value (uniform, triangular, normal).
    #[serde(default)]
    low: Option<f64>,
    /// Highest value (uniform, triangular, normal).
    #[serde(default)]
    high: Option<f64>,
    /// Most likely value (triangular).
    #[serde(default)]
    mode: Option<f64>,
    /// Mean before truncation (normal).
    #[serde(default)]
    mean: Option<f64>,
    /// Standard deviation before truncation (normal).
    #[serde(default)]
    sd: Option<f64>,
    /// The possible values (discrete), at most 100.
    #[schemars(length(max = 100))]
    #[schemars(extend("items" = { "type": "number", "description": "One possible value of the key, strictly above the one before." }))]
    #[serde(default)]
    values: Option<Vec<f64>>,
    /// Their weights (discrete; default equal), summing to 1.
    #[schemars(extend("items" = { "type": "number", "minimum": 0.0, "description": "The probability of the value at the same place in `values`." }))]
    #[serde(default)]
    weights: Option<Vec<f64>>,
    /// Where the range comes from: a public source, or "assumption: …" with the reasoning.
    source: String,
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
    /// Also compare the control arm with the public national figures (docs/rules.md §8) in every
    /// run: a section in report.md and a line in the terminal, as `toeslagenlab calibrate`
    /// prints them. For national populations such as `scenarios/nl-2026.toml`.
    #[schemars(extend("default" = false))]
    #[serde(default)]
    compare_public: Option<bool>,
    /// A back-payment of one benefit counts as a back-payment only above this many euros (the
    /// default, €11, is the largest rounding remainder of floor(annual / 12) monthly advances;
    /// smaller back-payments are still paid). Report, charts, calibrate and households.csv use
    /// this one definition.
    #[schemars(range(min = 0, max = 1000), extend("default" = 11))]
    #[serde(default)]
    backpay_threshold: Option<i64>,
    /// The primary comparison: the metric (a comparison metric such as `reclaim_share`) whose
    /// difference from control answers the experiment's question. Every comparison belongs to one
    /// family whose p-values are Holm-adjusted; the conclusion leads with the primary one.
    #[schemars(extend("default" = "reclaim_share"))]
    #[serde(default)]
    primary_metric: Option<String>,
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
    /// 0.10, 75–85% 0.50, 85–95% 0.30, 95–100% 0.10; the 2026 progress letter, weights assumed).
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
    /// bands for volatile incomes; the 2026 progress letter reports the lab's choices only overall.
    #[serde(default)]
    #[schemars(length(min = 1, max = 20))]
    choice_volatile: Option<Vec<RawBand>>,
    /// Factor, 0 to 1, on every household's probability of not applying for a benefit in this
    /// arm (needs `[behaviour.non_take_up]`; default 1: no change). Assumption without a
    /// measured size: the agency hopes a cautious advance takes away fear of reclaims, so
    /// that people who now do not apply will (docs/behaviour.md "Non-take-up"). Households
    /// that apply in this arm but not under control are new entrants, reported separately.
    #[schemars(range(min = 0.0, max = 1.0), extend("default" = 1.0))]
    #[serde(default)]
    non_take_up_factor: Option<f64>,
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
    /// 0.08, flex 0.20, self_employed 0.30; docs/rules.md §6: 60% find their income hard to
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
    /// (default: 0). The estimate becomes floor(estimate × (1 + extra)) whole euros. docs/rules.md
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
    /// Share of households with childcare whose provider's data fall in the agency's two
    /// highest reliability categories, 0 to 1 (default: 0.5; assumption [U]; docs/rules.md
    /// §7: since 2026 the two highest categories of the agency's quality model are used). One
    /// draw per household; attention letters and childcare mutation use only such data.
    #[schemars(range(min = 0.0, max = 1.0), extend("default" = 0.5))]
    #[serde(default)]
    provider_quality_share: Option<f64>,
    /// Attention letter: households with childcare whose reliable provider data differ from
    /// the hours paid on get a letter; some report their actual childcare (docs/rules.md §7).
    #[serde(default)]
    attention_letter: Option<RawAttention>,
    /// Year-start notice: a notice asking households to report changes; every reporting
    /// probability is multiplied (the 2021 childcare letter).
    #[serde(default)]
    year_start_notice: Option<RawNotice>,
    /// Mutation: the agency changes the advance itself on its data, after a letter, only when
    /// that lowers the total advance (the 2026 progress letter).
    #[serde(default)]
    mutation: Option<RawMutation>,
    /// Personal guidance: a share of households with childcare has its childcare and income
    /// brought up to date (the 2021 childcare letter).
    #[serde(default)]
    personal_guidance: Option<RawGuidance>,
}

/// `[interventions.attention_letter]`: letters to households whose reliable provider data
/// differ from the childcare hours the agency pays on (docs/rules.md §7: letters
/// January–May 2021 to ≈12,000 parents, ≈2% of households with childcare; ≈22% acted).
#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
struct RawAttention {
    /// Month the letters go out, 1–12 (default: 3; the 2021 childcare letter: letters January–May); responses
    /// are used from the next payment month.
    #[schemars(range(min = 1, max = 12), extend("default" = 3))]
    #[serde(default)]
    month: Option<i64>,
    /// Share of letter recipients that report their actual childcare, 0 to 1 (default: 0.22;
    /// the 2021 childcare letter: over 2,600 of ≈12,000 parents adjusted).
    #[schemars(range(min = 0.0, max = 1.0), extend("default" = 0.22))]
    #[serde(default)]
    response_share: Option<f64>,
    /// A letter goes out when, for some child, the hours the agency pays on in the letter
    /// month differ from the provider's hours by more than this relative gap, 0 to 10
    /// (default: 0.17; assumption [U], set so that ≈2% of the households with childcare in
    /// scenarios/nl-2026.toml get a letter, as in docs/rules.md §7).
    #[schemars(range(min = 0.0, max = 10.0), extend("default" = 0.17))]
    #[serde(default)]
    gap_threshold: Option<f64>,
}

/// `[interventions.year_start_notice]`: a notice at the year start asking households to report
/// changes (the 2021 childcare letter: notified parents reported 3× as often as the control group).
#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
struct RawNotice {
    /// Every reporting probability × this, capped at 1; from 1 to 100 (default: 3.0). A
    /// calibrated factor: docs/rules.md §7 reports that notified parents reported a change 3×
    /// as often as the control group. Households unaware they must report income changes stay
    /// unaware.
    #[schemars(range(min = 1.0, max = 100.0), extend("default" = 3.0))]
    #[serde(default)]
    report_multiplier: Option<f64>,
}

/// `[interventions.mutation]`: in given months the agency compares the hours it pays on with
/// the provider's reliable data; when a child's gap is confirmed and changing the data lowers
/// the household's total advance, a letter per child goes out and, unless the household objects
/// or reports itself, the data are used from the second payment month after (3 weeks to object;
/// docs/rules.md §7).
#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
struct RawMutation {
    /// Months (1–12) in which the agency runs its check; at least one, duplicates are dropped;
    /// a run after month 10 has no effect in the year (default: [4, 6, 8, 10]; assumption [U]:
    /// several runs a year from the April start, docs/rules.md §7).
    #[schemars(length(min = 1))]
    #[schemars(extend("default" = [4, 6, 8, 10], "items" = { "type": "integer", "minimum": 1, "maximum": 12, "description": "A month, 1–12, in which the agency runs its check." }))]
    #[serde(default)]
    months: Option<Vec<i64>>,
    /// Most letters at a time, one per child whose data change, 1 to 4 (default: 3;
    /// docs/rules.md §7). A household with more children to change is excluded from mutation
    /// and sent to the attention process (it answers like an attention letter).
    #[schemars(range(min = 1, max = 4), extend("default" = 3))]
    #[serde(default)]
    max_letters: Option<i64>,
    /// Share of households that object and stop the mutation, 0 to 1, among those that do not
    /// report themselves (default: 0.05; assumption [U]).
    #[schemars(range(min = 0.0, max = 1.0), extend("default" = 0.05))]
    #[serde(default)]
    objection_share: Option<f64>,
    /// Share of households with a letter that report their actual situation themselves, 0 to 1;
    /// their report is used from the next payment month and the agency's mutation is not
    /// carried out (default: 0.2; assumption [U]; docs/rules.md §7: of these, 96% reduced or
    /// prevented a reclaim).
    #[schemars(range(min = 0.0, max = 1.0), extend("default" = 0.2))]
    #[serde(default)]
    self_report_share: Option<f64>,
    /// A household that reported a change in the last this many months before a run (its
    /// report used for the advance from one of those months up to the run month) is skipped
    /// in that run, 0 to 12 (default: 1; docs/rules.md §7: one month in 2026, three in 2025).
    #[schemars(range(min = 0, max = 12), extend("default" = 1))]
    #[serde(default)]
    exclusion_months: Option<i64>,
    /// The gap must show in this many consecutive monthly provider deliveries, ending with the
    /// run month, 1 to 12 (default: 2; docs/rules.md §7: two in 2026, three in 2025).
    #[schemars(range(min = 1, max = 12), extend("default" = 2))]
    #[serde(default)]
    confirm_deliveries: Option<i64>,
    /// A child's data are changed when the hours the agency pays on differ from the provider's
    /// by more than this relative gap in every confirming delivery, 0 to 10 (default: 0.22;
    /// assumption [U], set so that ≈1% of the households with childcare in
    /// scenarios/nl-2026.toml are mutated, within the agency's 0.9–1.4% for 2026).
    #[schemars(range(min = 0.0, max = 10.0), extend("default" = 0.22))]
    #[serde(default)]
    gap_threshold: Option<f64>,
    /// The agency's data sources: "childcare" (provider data, docs/rules.md §7) and/or
    /// "income" (payroll data of employees and flex workers up to the month before; not the
    /// self-employed; also only when it lowers the total on its own; the public evidence covers
    /// childcare data only) (default: ["childcare"]).
    #[schemars(extend("default" = ["childcare"], "items" = { "type": "string", "enum": ["childcare", "income"], "description": "A data source: \"childcare\" (provider data) or \"income\" (payroll data)." }))]
    #[serde(default)]
    sources: Option<Vec<String>>,
}

/// `[interventions.personal_guidance]`: personal guidance for a small group with the largest
/// childcare gaps, which brings their childcare and income data up to date, up or down
/// (docs/rules.md §7: 285 parents guided; 79 down €4,960 a year on average, 44 up €2,517).
#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
struct RawGuidance {
    /// Share of the eligible households (childcare gap above `gap_threshold`) that get and
    /// accept guidance, 0 to 1 (default: 0.05; assumption [U]).
    #[schemars(range(min = 0.0, max = 1.0), extend("default" = 0.05))]
    #[serde(default)]
    share: Option<f64>,
    /// Households are eligible when, for some child, the hours the agency pays on in the
    /// guidance month differ from the provider's by more than this relative gap, 0 to 10
    /// (default: 0.3, about the largest 1% of gaps in scenarios/nl-2026.toml; assumption [U]:
    /// the providers propose the parents with the largest gaps). With `share` 0.05 about 0.04%
    /// of the households with childcare are guided (docs/rules.md §7: 285 of ≈640,000).
    #[schemars(range(min = 0.0, max = 10.0), extend("default" = 0.3))]
    #[serde(default)]
    gap_threshold: Option<f64>,
    /// Month, 1–12, in which their childcare and income are brought up to date (default: 3).
    #[schemars(range(min = 1, max = 12), extend("default" = 3))]
    #[serde(default)]
    month: Option<i64>,
}

/// `[lab]`: the arms that replicate the lab experiments of the 2026 progress letter (lab 1: cautious 80%, lab
/// 2: adjustable advance). Name at least one; report.md gets a "Lab replication (the 2026 progress letter)"
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
    /// mean 1.04, sd 0.02). The error-distribution kinds (docs/behaviour.md "Heavy-tailed
    /// errors"): assets_above_estimate (1 January assets higher than estimated by `amount`
    /// euros, default lognormal median 25,000, sigma 1.0; never reported), partner_income_change
    /// (the partner's income × factor from that month, households with a partner; default
    /// lognormal median 1.0, sigma 0.3), co_resident_income (a co-resident with `income` moves in
    /// or starts earning; default lognormal median 15,000, sigma 0.6), partner_found_afterwards
    /// (a partner with `income` counted at the definitive award from that month, households
    /// without partner; default lognormal median 25,000, sigma 0.6; never reported),
    /// self_employed_income (the year's income × factor, default lognormal median 1.0, sigma
    /// 0.35; default employment self_employed when the population has an employment model),
    /// childcare_stops (all childcare ends: hours 0 from the month after). Defaults of the newer
    /// kinds are assumptions.
    #[schemars(extend("enum" = ["income_change", "partner_moves_in", "partner_moves_out", "child_born", "job_loss", "job_gain", "raise", "bonus", "childcare_hours_change", "rent_change", "assets_above_estimate", "partner_income_change", "co_resident_income", "partner_found_afterwards", "self_employed_income", "childcare_stops"]))]
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
    /// factor on the rent; partner_income_change: the factor on the partner's income;
    /// self_employed_income: the factor on the year's income. Not for partner, child, asset,
    /// co-resident and childcare-stop shocks.
    #[serde(default)]
    factor: Option<RawDist>,
    /// partner_moves_in: the partner's annual income, euros (default: lognormal, median
    /// 18,000, sigma 0.8); partner_found_afterwards: the same for the partner found afterwards
    /// (default lognormal median 25,000, sigma 0.6); co_resident_income: the co-resident's
    /// annual income (default lognormal median 15,000, sigma 0.6).
    #[serde(default)]
    income: Option<RawDist>,
    /// assets_above_estimate only: how much higher the 1 January assets are than estimated,
    /// euros (default: lognormal, median 25,000, sigma 1.0; assumption).
    #[serde(default)]
    amount: Option<RawDist>,
    /// Restrict the shock to these employment types (default: all, but self_employed for
    /// self_employed_income when the population has an employment model); types as in
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
    /// income_down 0.8, partner 0.7, child 0.9, childcare_hours 0.4, rent 0.7, partner_income
    /// 0.5, co_resident 0.5, self_employed_income 0, childcare_stops 0.5).
    #[serde(default)]
    report_probability: Option<RawReportProbability>,
    /// Whole months between a change and its report: `{ distribution = "uniform", min, max }`
    /// with 0 ≤ min ≤ max ≤ 12 (default: uniform 0–3).
    #[serde(default)]
    report_delay_months: Option<RawDist>,
    /// `[min, max]` whole months of reporting delay per change type (income_up, income_down,
    /// partner_in, partner_out, child_born, childcare_hours, rent, partner_income, co_resident,
    /// self_employed_income, childcare_stops), overriding `report_delay_months` for that type
    /// (default: none), e.g. `{ child_born = [0, 1] }`.
    #[schemars(extend(
        "propertyNames" = { "enum": ["income_up", "income_down", "partner_in", "partner_out", "child_born", "childcare_hours", "rent", "partner_income", "co_resident", "self_employed_income", "childcare_stops"] },
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
    /// never report one (default: 0, which keeps older scenarios' results; docs/rules.md §6 survey:
    /// 50% do not know; scenarios/nl-2026.toml uses 0.5).
    #[schemars(range(min = 0.0, max = 1.0), extend("default" = 0.0))]
    #[serde(default)]
    unaware_income_share: Option<f64>,
    /// Non-take-up of the benefits: entitled households that never apply (default: absent,
    /// everyone entitled applies).
    #[serde(default)]
    non_take_up: Option<RawNonTakeUp>,
    /// Selection into an offered reduced advance by the household's risk signals (default:
    /// strength 0, random selection).
    #[serde(default)]
    selection: Option<RawSelection>,
}

/// `[behaviour.non_take_up]`: the probability that an entitled household does not apply for a
/// benefit, decided once at the year start on what it expects to get. The base probability is
/// for an employee expecting at least `small_amount` a month; factors multiply it (capped at 1).
/// Public figures: non-take-up in 2021 was 12% (zorgtoeslag), 11% (huurtoeslag), 8%
/// (kindgebonden budget) and 3% (kinderopvangtoeslag) (Rijksoverheid, 2 July 2025); higher for
/// the self-employed and for small amounts (CPB 2025). scenarios/nl-2026.toml is calibrated to
/// them (`toeslagenlab calibrate` shows the rows `non-take-up of <benefit>`).
#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
struct RawNonTakeUp {
    /// Base probability of not applying for zorgtoeslag, 0 to 1 (default: 0).
    #[schemars(range(min = 0.0, max = 1.0), extend("default" = 0.0))]
    #[serde(default)]
    zorgtoeslag: Option<f64>,
    /// Base probability of not applying for huurtoeslag, 0 to 1 (default: 0).
    #[schemars(range(min = 0.0, max = 1.0), extend("default" = 0.0))]
    #[serde(default)]
    huurtoeslag: Option<f64>,
    /// Base probability of not applying for kinderopvangtoeslag, 0 to 1 (default: 0).
    #[schemars(range(min = 0.0, max = 1.0), extend("default" = 0.0))]
    #[serde(default)]
    kinderopvangtoeslag: Option<f64>,
    /// Base probability of not applying for kindgebonden budget, 0 to 1 (default: 0).
    #[schemars(range(min = 0.0, max = 1.0), extend("default" = 0.0))]
    #[serde(default)]
    kindgebonden_budget: Option<f64>,
    /// An expected amount below this many euros a month is small, 0 to 10,000 (default: 50;
    /// CPB 2025: non-take-up is highest for amounts up to €50 a month).
    #[schemars(range(min = 0.0, max = 10000.0), extend("default" = 50.0))]
    #[serde(default)]
    small_amount: Option<f64>,
    /// Factor on the probability for a small expected amount, 1 to 20 (default: 2; assumption).
    #[schemars(range(min = 1.0, max = 20.0), extend("default" = 2.0))]
    #[serde(default)]
    small_amount_factor: Option<f64>,
    /// Factor for flex workers, 0 to 20 (default: 1.3; assumption: fear of a reclaim with an
    /// irregular income).
    #[schemars(range(min = 0.0, max = 20.0), extend("default" = 1.3))]
    #[serde(default)]
    flex_factor: Option<f64>,
    /// Factor for the self-employed, 0 to 20 (default: 2; CPB 2025 found roughly twice the
    /// non-take-up among the self-employed: huurtoeslag over 25%, zorgtoeslag 20%).
    #[schemars(range(min = 0.0, max = 20.0), extend("default" = 2.0))]
    #[serde(default)]
    self_employed_factor: Option<f64>,
}

/// `[behaviour.selection]`: who takes an offered reduced advance and which percentage they
/// choose. A household's risk score is a weighted sum of its risk signals; its normal score
/// (rank in a fixed reference sample of the scenario's own recipients) is correlated with the
/// take-up and choice draws with the given strengths (a Gaussian copula), so the arm's overall
/// take-up and choice bands stay as given. report.md shows the headline effect under this
/// selection and under random selection side by side (docs/behaviour.md).
#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
struct RawSelection {
    /// Correlation of taking the offer with the risk score, −1 to 1 (default: 0, random
    /// selection; 1: the riskiest households take the offer; −1: the safest). Assumption [U]:
    /// the lab (the 2026 progress letter) reports who took the offer only overall.
    #[schemars(range(min = -1.0, max = 1.0), extend("default" = 0.0))]
    #[serde(default)]
    strength: Option<f64>,
    /// Correlation of a lower chosen percentage (adjustable advance) with the risk score, −1 to
    /// 1 (default: `strength`).
    #[schemars(range(min = -1.0, max = 1.0))]
    #[serde(default)]
    choice_strength: Option<f64>,
    /// Weight of a volatile income (flex or self-employed) in the risk score, 0 to 10
    /// (default: 1).
    #[schemars(range(min = 0.0, max = 10.0), extend("default" = 1.0))]
    #[serde(default)]
    volatile_weight: Option<f64>,
    /// Weight of a reclaim last year, 0 to 10 (default: 1).
    #[schemars(range(min = 0.0, max = 10.0), extend("default" = 1.0))]
    #[serde(default)]
    prior_reclaim_weight: Option<f64>,
    /// Weight per unit of ln(1 + the year's 100% advances in thousands of euros), 0 to 10
    /// (default: 0.5).
    #[schemars(range(min = 0.0, max = 10.0), extend("default" = 0.5))]
    #[serde(default)]
    benefit_size_weight: Option<f64>,
    /// Weight of children in the household, 0 to 10 (default: 0.25).
    #[schemars(range(min = 0.0, max = 10.0), extend("default" = 0.25))]
    #[serde(default)]
    children_weight: Option<f64>,
    /// Probability that a household that would have a reclaim this year under the standard
    /// advance also had one last year, 0 to 1 (default: 0.6; assumption: reclaims persist).
    #[schemars(range(min = 0.0, max = 1.0), extend("default" = 0.6))]
    #[serde(default)]
    prior_reclaim_if_reclaim: Option<f64>,
    /// Probability of a reclaim last year for the other households, 0 to 1 (default: 0.2;
    /// assumption, so that about 3 in 10 had one: CPB).
    #[schemars(range(min = 0.0, max = 1.0), extend("default" = 0.2))]
    #[serde(default)]
    prior_reclaim_otherwise: Option<f64>,
    /// Other selection strengths (each −1 to 1, at most 6) that `run` also simulates with the
    /// same households and seed, to show the headline effect under each beside this scenario's
    /// (both `strength` and `choice_strength` set to the value). Default: [0, 0.5, -0.5]
    /// (random, riskier households opt in more, safer ones opt in more); [] switches it off.
    #[schemars(length(max = 6))]
    #[serde(default)]
    sensitivity: Option<Vec<RawStrength>>,
}

/// A selection strength, −1 to 1 (0: random selection).
#[derive(Clone, Copy, Deserialize, schemars::JsonSchema)]
#[serde(transparent)]
struct RawStrength(#[schemars(range(min = -1.0, max = 1.0))] f64);

/// Probability that a change is ever reported, per kind of change (each 0 to 1).
#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
struct RawReportProbability {
    /// An income rise (docs/rules.md §6: only 50% know they must report an income change).
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
    /// A change in the hours of childcare used (assumption; the 2021 childcare letter: high childcare reclaims
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
    /// A change of the partner's income (partner_income_change; assumption: as an applicant's
    /// income rise).
    #[schemars(range(min = 0.0, max = 1.0))]
    #[schemars(extend("default" = 0.5))]
    #[serde(default)]
    partner_income: Option<f64>,
    /// A co-resident with income moving in or starting to earn (co_resident_income;
    /// assumption).
    #[schemars(range(min = 0.0, max = 1.0))]
    #[schemars(extend("default" = 0.5))]
    #[serde(default)]
    co_resident: Option<f64>,
    /// A self-employed's year income differing from the estimate (self_employed_income;
    /// default 0: not reported until the income tax assessment; assumption).
    #[schemars(range(min = 0.0, max = 1.0))]
    #[schemars(extend("default" = 0.0))]
    #[serde(default)]
    self_employed_income: Option<f64>,
    /// Childcare ending (childcare_stops; assumption: a cancelled contract is more noticeable
    /// than changed hours, but parents forget to stop the benefit).
    #[schemars(range(min = 0.0, max = 1.0))]
    #[schemars(extend("default" = 0.5))]
    #[serde(default)]
    childcare_stops: Option<f64>,
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

/// The line and column of `key` (`uncertainty.assumptions[2].key`) in scenario `text`.
pub(crate) fn locate(text: &str, key: &str) -> Option<(usize, usize)> {
    Locator::new(text).locate_key(key)
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
            let first = toml_error(path, &locator, e.inner(), Some(key));
            // Serde stops at the first problem; report every unknown key and wrong type of
            // the file in one pass when there are more.
            let all = structure::problems(text);
            if all.len() < 2 {
                return Err(Error::Input(vec![first]));
            }
            let mut diagnostics = located(path, &locator, all);
            if !diagnostics.iter().any(|d| d.key == first.key) {
                diagnostics.push(first);
            }
            diagnostics.sort_by_key(|d| (d.line.is_none(), d.line, d.col));
            return Err(Error::Input(diagnostics));
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
        return scenario
            .map(|mut sc| {
                sc.text = std::sync::Arc::from(text);
                sc
            })
            .ok_or_else(|| {
                Error::Internal(format!(
                    "{}: validation rejected the scenario without saying why",
                    path.display()
                ))
            });
    }
    let mut diagnostics = located(path, &locator, problems);
    // In file order; problems that have no place in the file come last.
    diagnostics.sort_by_key(|d| (d.line.is_none(), d.line, d.col));
    Err(Error::Input(diagnostics))
}

/// `(key, message)` problems of the file at `path` as diagnostics, each at its key's place.
fn located(path: &Path, locator: &Locator, problems: Vec<(String, String)>) -> Vec<Diagnostic> {
    problems
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
        .collect()
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

/// The default reporting behaviour (assumptions; docs/rules.md §6: only half know they must report
/// income changes, which the income-rise default of 0.5 reflects). Childcare hours and rent
/// changes: assumptions (the 2021 childcare letter: a large share of high childcare reclaims comes from a gap
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
    // Issue 18's change types (assumptions; docs/behaviour.md "Heavy-tailed errors"): only the
    // shocks of their own kind produce them.
    report[ChangeType::PartnerIncome as usize] = 0.5;
    report[ChangeType::CoResident as usize] = 0.5;
    report[ChangeType::SelfEmployedIncome as usize] = 0.0;
    report[ChangeType::ChildcareStops as usize] = 0.5;
    Behaviour {
        report,
        delay: [(0, 3); N_CHANGE_TYPES],
        unaware_income_share: 0.0,
        non_take_up: None,
        selection: crate::model::scenario::Selection::default(),
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
        for y in ["2024", "2025"] {
            let s = parse(&MIN.replace("year = 2026", &format!("year = {y}"))).unwrap();
            assert_eq!(s.population.benefits, [true; N_BENEFITS], "{y}");
        }
    }

    #[test]
    fn a_benefit_the_year_cannot_compute_is_refused_with_the_reason() {
        // A reform that removes the childcare table's year: an override of the parameters
        // cannot do that, so the check is on the parameter set's availability directly.
        let set = crate::model::parameters::ParameterSet::parse(
            2024,
            &std::fs::read_to_string("parameters/2024.toml")
                .unwrap()
                .replace(
                    "[meta]\n",
                    "[meta]\nunavailable = { kinderopvangtoeslag = \"no table\" }\n",
                ),
        )
        .unwrap();
        let e = set.availability("kinderopvangtoeslag").unwrap_err();
        assert!(e.contains("cannot be computed for 2024: no table"), "{e}");
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
