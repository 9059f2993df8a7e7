//! The household story's assembly (`toeslagenlab explain`): one simulated household of a
//! scenario in one arm, with its year, each benefit's advance schedule step by step, the
//! distinct month situations with their building blocks, and the settlement.
//!
//! Owns: the [`Explanation`] data model and [`explain`], which builds it. Every amount comes
//! from the engine's own code: the household is drawn by [`crate::sim::population::generate`]
//! with the scenario seed, its year by [`Year::compute`], the arm's totals by
//! [`engine::simulate_arm_given`] (so they equal the `households.csv` row), the advances by
//! [`engine::pay_year`], and the month-by-month situations by [`engine::trace`], which checks
//! its awards against the simulated ones. The narrative of each recalculation is rebuilt here
//! and checked to give the very payments `pay_year` made. Must not: hold an amount or a formula
//! of its own, or render (the text and JSON are `output::explain`).

use crate::error::{Error, Result};
use crate::model::money::{Fine, Money, Rate};
use crate::model::scenario::{Design, Recalculation, Scenario};
use crate::rules::blocks::{building_blocks, BuildingBlocks};
use crate::rules::{awir, Benefit, Situation, N_BENEFITS};
use crate::sim::engine::{self, Ledger, Outcome, Trace, Year};
use crate::sim::population::{generate, Household};
use std::collections::BTreeSet;

/// How a payment month's advance came about: the start of the year or a recalculation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Step {
    /// First payment month of the knowledge state (1 = start of the year).
    pub from_month: u8,
    /// Index of the knowledge state in [`Year::states`].
    pub state: usize,
    /// The annual award on this knowledge.
    pub award: Money,
    /// The arm's annual target: the award, or `floor(award × percentage)` whole euros.
    pub target: Money,
    /// Net advances paid before this month.
    pub paid_before: Money,
    /// Paid (> 0) or reclaimed (< 0) at once in this month to settle past months.
    pub correction: Money,
    /// The regular monthly advance from this month on.
    pub monthly: Money,
}

/// One benefit's part of the story.
#[derive(Clone, Debug)]
pub struct BenefitStory {
    /// Which benefit.
    pub benefit: Benefit,
    /// The advance schedule in the arm (from [`engine::pay_year`]).
    pub ledger: Ledger,
    /// The start and each recalculation.
    pub steps: Vec<Step>,
    /// The definitive award.
    pub definitive: Money,
    /// Reclaim before the small-reclaim threshold.
    pub reclaim_raw: Money,
    /// Reclaim collected.
    pub reclaim: Money,
    /// Back-payment.
    pub backpay: Money,
    /// Withheld compared with the 100% advance.
    pub withheld: Money,
}

/// One distinct month situation, with each simulated benefit's exact amount and blocks.
#[derive(Clone, Debug)]
pub struct SituationStory {
    /// The situation.
    pub situation: Situation,
    /// Exact annual amount per benefit if it held all year.
    pub exact: [Fine; N_BENEFITS],
    /// Building blocks per simulated benefit (as `calc` shows them).
    pub blocks: Vec<(Benefit, BuildingBlocks)>,
}

/// Everything `explain` shows about one household in one arm.
#[derive(Clone, Debug)]
pub struct Explanation {
    /// The scenario (with any `--seed` applied).
    pub scenario: Scenario,
    /// The household as drawn.
    pub household: Household,
    /// Index of the arm explained.
    pub arm: usize,
    /// In the randomized design, the arm the household is assigned to.
    pub assigned_arm: Option<usize>,
    /// The household's take-up draw (shared by every offered arm).
    pub takeup_draw: f64,
    /// The draw compared with the take-up: the take-up draw itself, or with selection into
    /// the offer the draw tied to the household's normal risk score.
    pub selected_draw: f64,
    /// The household's normal risk score (selection into the offer in an offering arm).
    pub risk_z: Option<f64>,
    /// The take-up the draw is compared with (the arm's, or its `takeup_volatile`).
    pub takeup_threshold: f64,
    /// The arm-independent year.
    pub year: Year,
    /// The month-by-month trace of every view.
    pub trace: Trace,
    /// The arm's outcome: the `households.csv` row.
    pub outcome: Outcome,
    /// Distinct month situations, in order of first appearance; referred to as S1, S2, ….
    pub situations: Vec<SituationStory>,
    /// Per known state, the situation index of each month.
    pub known_ids: Vec<[usize; 12]>,
    /// The situation index of each actual month.
    pub actual_ids: [usize; 12],
    /// Per simulated benefit.
    pub benefits: Vec<BenefitStory>,
    /// Per benefit: does it apply to this household at all (it rents, uses childcare, has
    /// children, or any amount is non-zero)? The human output leaves out the others.
    pub applicable: [bool; N_BENEFITS],
}

impl Explanation {
    /// The knowledge state in force for payment month `m` (1–12).
    pub fn state_at(&self, m: u8) -> usize {
        self.year
            .states()
            .iter()
            .rposition(|s| s.from_month <= m)
            .unwrap_or(0)
    }

    /// The `group.key` names of every parameter the story uses, sorted.
    pub fn parameters_used(&self) -> Vec<String> {
        let mut keys: BTreeSet<String> = AWIR_KEYS.iter().map(|k| format!("awir.{k}")).collect();
        for s in &self.situations {
            for (b, bl) in &s.blocks {
                if !self.applicable[b.index()] {
                    continue;
                }
                keys.extend(bl.parameters.iter().cloned());
            }
        }
        keys.into_iter().collect()
    }
}

const AWIR_KEYS: [&str; 4] = [
    "minimum_award",
    "small_reclaim_threshold",
    "repayment_months",
    "repayment_min_monthly",
];

/// Rebuilds the advance schedule of one benefit step by step (same rules as
/// [`engine::pay_year`]); the caller checks the payments are identical.
fn steps(
    states: &[engine::KnowledgeState],
    b: usize,
    pct: Rate,
    recalc: Recalculation,
) -> (Vec<Step>, [Money; 12]) {
    let target = |a: Money| {
        if pct == Rate::ONE {
            a
        } else {
            a.mul_rate_floor_euros(pct)
        }
    };
    let mut out = Vec::new();
    let mut by_month = [Money::ZERO; 12];
    let mut net = Money::ZERO;
    let t0 = target(states[0].award[b]);
    let mut monthly = awir::monthly(t0);
    out.push(Step {
        from_month: 1,
        state: 0,
        award: states[0].award[b],
        target: t0,
        paid_before: Money::ZERO,
        correction: Money::ZERO,
        monthly,
    });
    let mut next = 1;
    for k in 1..=12u8 {
        let mut this_month = Money::ZERO;
        if next < states.len() && states[next].from_month == k {
            let t = target(states[next].award[b]);
            let paid_before = net;
            let mut correction = Money::ZERO;
            match recalc {
                Recalculation::LumpSum => {
                    monthly = awir::monthly(t);
                    correction = Money(monthly.0 * (k as i64 - 1)) - net;
                }
                Recalculation::Spread => {
                    let remaining = t - net;
                    if remaining < Money::ZERO {
                        correction = remaining;
                        monthly = Money::ZERO;
                    } else {
                        monthly = remaining.floor_div_euros(13 - k as i64);
                    }
                }
            }
            net += correction;
            this_month += correction;
            out.push(Step {
                from_month: k,
                state: next,
                award: states[next].award[b],
                target: t,
                paid_before,
                correction,
                monthly,
            });
            next += 1;
        }
        net += monthly;
        this_month += monthly;
        by_month[k as usize - 1] = this_month;
    }
    (out, by_month)
}

/// Resolves `--arm` (by name) to an arm index; the error lists the arm names.
pub fn arm_index(sc: &Scenario, name: &str) -> Result<usize> {
    sc.arms.iter().position(|a| a.name == name).ok_or_else(|| {
        Error::Usage(format!(
            "--arm `{name}`: scenario `{}` has no such arm; arms: {}",
            sc.name,
            sc.arms
                .iter()
                .map(|a| a.name.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ))
    })
}

/// Checks a household id against the scenario's households; the error names the range.
pub fn household_id(sc: &Scenario, id: i64) -> Result<u64> {
    if id < 0 || id as u64 >= sc.households {
        return Err(Error::Usage(format!(
            "--household {id}: scenario `{}` has {} households; allowed ids 0 to {}",
            sc.name,
            sc.households,
            sc.households.saturating_sub(1)
        )));
    }
    Ok(id as u64)
}

/// Simulates household `id` of the scenario in arm `arm` (`None`: the default arm) exactly as
/// `run` does, and assembles its story.
pub fn explain(sc: &Scenario, id: u64, arm: Option<usize>) -> Result<Explanation> {
    let assigned_arm = match sc.design {
        Design::Randomized => Some(engine::randomized_arm(sc, id)),
        Design::Paired => None,
    };
    let arm = arm.or(assigned_arm).unwrap_or(0);
    // In an arm with agency interventions the household is the one the agency then knows
    // (with its data events), exactly as `engine::arm_outcome` simulates it.
    let drawn = generate(sc, id);
    let the_arm = &sc.arms[arm];
    // Selection into the offer ranks the household as drawn (before any intervention), as
    // `pay::simulate_inner` does.
    let risk_z = (the_arm.policy.offers() && !sc.behaviour.selection.is_random())
        .then(|| crate::sim::selection::risk_z(sc, &drawn, &Year::compute(sc, &drawn)));
    let takeup_threshold = crate::sim::policy::arm_takeup(the_arm, drawn.volatile());
    let h =
        crate::sim::interventions::household_for_arm(sc, &sc.arms[arm], &drawn).unwrap_or(drawn);
    let year = Year::compute(sc, &h);
    let u = crate::sim::behaviour::takeup_draw(sc.seed, id);
    let outcome = engine::simulate_arm_given(sc, &h, &year, arm, u)?;
    let trace = engine::trace(sc, &h, &year)?;
    let internal = |what: &str| {
        Error::Internal(format!(
            "explain: {what} of household {id} in arm `{}` differ from the simulation (scenario `{}`, seed {})",
            sc.arms[arm].name, sc.name, sc.seed
        ))
    };

    let benefits = benefit_stories(sc, &year, &outcome)
        .ok_or_else(|| internal("the rebuilt advance payments"))?;
    let sum = |f: fn(&BenefitStory) -> Money| benefits.iter().map(f).sum::<Money>();
    if sum(|b| b.ledger.net) != outcome.advances
        || sum(|b| b.reclaim) != outcome.reclaim
        || sum(|b| b.backpay) != outcome.backpay
        || sum(|b| b.definitive) != outcome.definitive
    {
        return Err(internal("the per-benefit totals"));
    }
    let selected_draw = risk_z.map_or(u, |z| {
        crate::sim::selection::shifted(u, z, sc.behaviour.selection.strength)
    });
    let offered = the_arm.policy.offers() && (outcome.recipient || outcome.new_entrant);
    if offered && (selected_draw < takeup_threshold) != outcome.took_offer {
        return Err(internal("the take-up decision"));
    }
    let (situations, known_ids, actual_ids) = distinct_situations(sc, &trace);
    let applicable = applicable(&h, &year, &situations, &benefits);

    Ok(Explanation {
        applicable,
        scenario: sc.clone(),
        household: h,
        arm,
        assigned_arm,
        takeup_draw: u,
        selected_draw,
        risk_z,
        takeup_threshold,
        year,
        trace,
        outcome,
        situations,
        known_ids,
        actual_ids,
        benefits,
    })
}

/// Each simulated benefit's story at advance percentage `pct`; `None` when the rebuilt steps
/// do not pay what [`engine::pay_year`] paid.
fn benefit_stories(sc: &Scenario, year: &Year, o: &Outcome) -> Option<Vec<BenefitStory>> {
    let pct = o.percentage;
    let states = year.states();
    let mut benefits = Vec::new();
    for b in Benefit::ALL {
        let i = b.index();
        // A benefit the household did not apply for has no advances and no award.
        if !sc.population.benefits[i] || !o.applied_for(i) {
            continue;
        }
        let full = year.full[i];
        let ledger = if pct == Rate::ONE {
            full
        } else {
            engine::pay_year(states, i, pct, sc.recalculation)
        };
        let (st, by_month) = steps(states, i, pct, sc.recalculation);
        if by_month != ledger.by_month {
            return None;
        }
        let d = year.definitive[i];
        let settlement = d - ledger.net;
        let reclaim_raw = (-settlement).max_zero();
        benefits.push(BenefitStory {
            benefit: b,
            ledger,
            steps: st,
            definitive: d,
            reclaim_raw,
            reclaim: awir::collected_reclaim(&sc.params.awir, reclaim_raw),
            backpay: settlement.max_zero(),
            withheld: full.net - ledger.net,
        });
    }
    Some(benefits)
}

/// The distinct month situations of the trace, numbered in order of first appearance (every
/// known view's months first, then the actual months), and the situation index of each month
/// per known state and of each actual month.
fn distinct_situations(
    sc: &Scenario,
    trace: &Trace,
) -> (Vec<SituationStory>, Vec<[usize; 12]>, [usize; 12]) {
    let mut situations: Vec<SituationStory> = Vec::new();
    let mut id_of = |s: &Situation, exact: &[Fine; N_BENEFITS]| -> usize {
        if let Some(i) = situations.iter().position(|x| x.situation == *s) {
            return i;
        }
        let blocks = Benefit::ALL
            .into_iter()
            .filter(|b| sc.population.benefits[b.index()])
            .map(|b| (b, building_blocks(b, &sc.params, s)))
            .collect();
        situations.push(SituationStory {
            situation: *s,
            exact: *exact,
            blocks,
        });
        situations.len() - 1
    };
    let mut known_ids = Vec::new();
    for v in &trace.known {
        let mut ids = [0; 12];
        for (m, x) in ids.iter_mut().enumerate() {
            *x = id_of(&v.situations[m], &v.exact[m]);
        }
        known_ids.push(ids);
    }
    let mut actual_ids = [0; 12];
    for (m, x) in actual_ids.iter_mut().enumerate() {
        *x = id_of(&trace.actual.situations[m], &trace.actual.exact[m]);
    }
    (situations, known_ids, actual_ids)
}

/// Per benefit: does it apply to this household at all (it rents, uses childcare, has
/// children, or any amount is non-zero)?
fn applicable(
    h: &Household,
    year: &Year,
    situations: &[SituationStory],
    benefits: &[BenefitStory],
) -> [bool; N_BENEFITS] {
    let states = year.states();
    let mut applicable = [false; N_BENEFITS];
    for b in benefits {
        let i = b.benefit.index();
        let inherent = match b.benefit {
            Benefit::Zorgtoeslag => true,
            Benefit::Huurtoeslag => h.rent > Money::ZERO,
            Benefit::Kinderopvangtoeslag => h
                .care_actual
                .iter()
                .chain(&h.care_estimate)
                .any(|c| c.is_some()),
            Benefit::KindgebondenBudget => {
                situations.iter().any(|s| !s.situation.children.is_empty())
            }
        };
        let nonzero = situations.iter().any(|s| s.exact[i] > Fine::ZERO)
            || states.iter().any(|s| s.award[i] > Money::ZERO)
            || b.definitive > Money::ZERO
            || b.ledger.by_month.iter().any(|m| *m != Money::ZERO);
        applicable[i] = inherent || nonzero;
    }
    applicable
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::engine::KnowledgeState;

    fn states(awards: &[(u8, i64)]) -> Vec<KnowledgeState> {
        awards
            .iter()
            .map(|(m, a)| {
                let mut award = [Money::ZERO; N_BENEFITS];
                award[1] = Money::euros(*a);
                KnowledgeState {
                    from_month: *m,
                    award,
                }
            })
            .collect()
    }

    #[test]
    fn rebuilt_steps_pay_exactly_what_pay_year_pays() {
        let cases: [&[(u8, i64)]; 6] = [
            &[(1, 1514)],
            &[(1, 1200), (7, 2400)],
            &[(1, 2400), (10, 1200)],
            &[(1, 1200), (4, 0), (9, 3000)],
            &[(1, 0), (2, 5000), (12, 100)],
            &[(1, 9999), (3, 17), (5, 4321), (6, 4322), (11, 1)],
        ];
        for case in cases {
            let st = states(case);
            for recalc in [Recalculation::Spread, Recalculation::LumpSum] {
                for pct in [100, 95, 80, 71, 70] {
                    let pct = Rate::percent(pct);
                    let ledger = engine::pay_year(&st, 1, pct, recalc);
                    let (steps, by_month) = steps(&st, 1, pct, recalc);
                    assert_eq!(by_month, ledger.by_month, "{case:?} {recalc:?} {pct}");
                    assert_eq!(steps.len(), st.len());
                    let reclaimed: Money = steps.iter().map(|s| (-s.correction).max_zero()).sum();
                    assert_eq!(reclaimed, ledger.in_year_reclaim, "{case:?} {recalc:?}");
                }
            }
        }
    }
}
