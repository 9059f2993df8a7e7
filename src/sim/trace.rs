//! Tracing one household (for `toeslagenlab explain`; not on the simulation's hot path): every
//! month of every view of its year, recomputed with the same situation and rule code as
//! [`Year::compute`] and checked against it.
//!
//! Must not: do I/O or format output (the explanation's text is assembled elsewhere).

use crate::error::{Error, Result};
use crate::model::money::{Fine, Money};
use crate::model::outcome::{PerBenefit, Year};
use crate::model::scenario::Scenario;
use crate::rules::{awir, year_amounts, Benefit, Situation, N_BENEFITS};
use crate::sim::population::Household;
use crate::sim::year::{applicant_income, situation, View};

/// One view of a household's year — what the agency knows from a payment month on, or what
/// really happened — month by month, as [`Year::compute`] sees it.
#[derive(Clone, Debug)]
pub struct ViewTrace {
    /// First payment month of this knowledge state; `None` for the actual situation (the
    /// definitive award).
    pub from_month: Option<u8>,
    /// The applicant's annual income in this view (the estimate, a projection after a reported
    /// income change, or the actual income).
    pub applicant_income: Money,
    /// The situation of each month (index 0 = January).
    pub situations: [Situation; 12],
    /// The exact annual amount of each benefit for each month's situation (zero for benefits
    /// the scenario does not simulate).
    pub exact: [[Fine; N_BENEFITS]; 12],
    /// Σ over the months of the exact annual amounts, per benefit.
    pub sums: [Fine; N_BENEFITS],
    /// The award: `awir::annual_award(Σ / 12)`, per benefit.
    pub award: PerBenefit,
}

/// Every view of one household's year: one per knowledge state, then the actual one.
#[derive(Clone, Debug)]
pub struct Trace {
    /// One per state of [`Year::states`], in the same order.
    pub known: Vec<ViewTrace>,
    /// The actual situation, on which the definitive award is computed.
    pub actual: ViewTrace,
}

/// Every month of one view, computed with the same situation and rule code as [`Year::compute`]
/// (without its skipping of months in which nothing can change).
fn trace_view(sc: &Scenario, h: &Household, view: View) -> ViewTrace {
    let applicant = applicant_income(h, view);
    let situations: [Situation; 12] =
        std::array::from_fn(|m| situation(h, view, m as u8 + 1, applicant));
    // The same rule code as the engine, the childcare hours pool included.
    let exact = year_amounts(&sc.params, &sc.population.benefits, &situations);
    let mut sums = [Fine::ZERO; N_BENEFITS];
    for month in &exact {
        for b in Benefit::ALL {
            sums[b.index()] += month[b.index()];
        }
    }
    let mut award = [Money::ZERO; N_BENEFITS];
    for i in 0..N_BENEFITS {
        award[i] = awir::annual_award(&sc.params.awir, sums[i].div_trunc(12));
    }
    ViewTrace {
        from_month: match view {
            View::Actual => None,
            View::Known(k) => Some(k),
        },
        applicant_income: applicant,
        situations,
        exact,
        sums,
        award,
    }
}

/// Recomputes household `h` month by month for every knowledge state of `year` and for the
/// actual situation. The awards must equal those of [`Year::compute`]: a difference is an
/// internal error, so an explanation can never drift from what a run simulates.
pub fn trace(sc: &Scenario, h: &Household, year: &Year) -> Result<Trace> {
    let known: Vec<ViewTrace> = year
        .states()
        .iter()
        .map(|st| trace_view(sc, h, View::Known(st.from_month)))
        .collect();
    let actual = trace_view(sc, h, View::Actual);
    let same = known
        .iter()
        .zip(year.states())
        .all(|(t, st)| t.award == st.award)
        && actual.award == year.definitive;
    if !same {
        return Err(Error::Internal(format!(
            "the traced awards of household {} differ from the simulated ones (scenario `{}`, seed {})",
            h.id, sc.name, sc.seed
        )));
    }
    Ok(Trace { known, actual })
}
