//! Beyond one year: a household lives through the consecutive benefit years of a `[horizon]`,
//! each year simulated in every arm as a one-year run simulates it, the situation carried over
//! ([`crate::sim::population::next_year`]), and the reclaims of every year become debts in a
//! [`DebtBook`] per arm: repaid by their plans (from the advances where they suffice), netted
//! against later back-payments, open or not at the end of the horizon.
//!
//! The horizon's months: 12 per benefit year, then the last year's settlement months of the
//! year after; year `t`'s definitive award is settled in horizon month
//! [`Horizon::settlement_of`] (its reclaims open debts, then its back-payment nets against every
//! open debt, oldest first).
//!
//! Must not: compute statistics (it only calls a [`HorizonTally`]), do I/O or format output.

use crate::error::{Error, Result};
use crate::model::money::Money;
use crate::model::outcome::{Outcome, Year};
use crate::model::scenario::{Design, Horizon, Scenario, MAX_HORIZON_YEARS};
use crate::rules::N_BENEFITS;
use crate::sim::debt::{DebtBook, DebtTotals};
use crate::sim::population::{generate, next_year};
use crate::sim::random::mix64;
use crate::sim::runner::{
    install, simulate_household, worker_pool, ArmOutcomes, RunOptions, Tally,
};
use rayon::prelude::*;

/// Most arms a scenario has (the loader's limit).
const MAX_ARMS: usize = 16;

/// Most months a horizon has (10 years and the last one's settlement year).
pub const MAX_HORIZON_MONTHS: usize = 12 * MAX_HORIZON_YEARS + 12;

/// The seed of horizon year `t`'s new draws: year 0 uses the scenario seed itself (so the first
/// year is exactly the one-year run of `experiment.year`); later years a mix of the seed and
/// `t`, apart from the replications' seeds.
pub fn horizon_seed(seed: u64, t: usize) -> u64 {
    if t == 0 {
        seed
    } else {
        mix64(mix64(seed ^ 0x686f_7269_7a6f_6e00) ^ t as u64)
    }
}

/// The scenario of horizon year `t` (0: the scenario itself, without its horizon): that year's
/// parameters and its own seed ([`horizon_seed`]).
pub fn year_scenario(sc: &Scenario, t: usize) -> Scenario {
    let mut y = sc.clone();
    y.horizon = None;
    if t == 0 {
        return y;
    }
    if let Some(h) = &sc.horizon {
        let hy = &h.years[t];
        y.year = hy.year;
        y.parameter_set = hy.parameter_set.clone();
        y.params = hy.params.clone();
    }
    y.seed = horizon_seed(sc.seed, t);
    y.selection_reference = None;
    y
}

/// One household's debts in one arm over the horizon.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct HouseholdDebt {
    /// Household id.
    pub household_id: u64,
    /// Arm index.
    pub arm: usize,
    /// What happened to its debts.
    pub totals: DebtTotals,
    /// Debt still open at the end of the horizon.
    pub open_end: Money,
    /// The applicant's monthly income at the start of the horizon (the reference of the peak
    /// debt).
    pub monthly_income: Money,
    /// Received a toeslag in at least one year of the horizon (decided on the household as
    /// drawn, the same in every arm).
    pub recipient: bool,
}

/// What a horizon run accumulates: a one-year tally per benefit year and the debts.
pub trait HorizonTally: Send + Sized {
    /// The one-year tally.
    type Year: Tally;
    /// An empty tally for the horizon's year scenarios (`years[0]` is the first year).
    fn empty(sc: &Scenario, years: &[Scenario]) -> Self;
    /// The tally of horizon year `t`.
    fn year(&mut self, t: usize) -> &mut Self::Year;
    /// A household's debts in an arm, with the debt open at the end of each horizon month.
    fn add_debt(&mut self, d: &HouseholdDebt, open_by_month: &[Money]);
    /// Paired design: a household's debts in treatment arm `treated.arm` next to control.
    fn add_debt_pair(&mut self, control: &HouseholdDebt, treated: &HouseholdDebt);
    /// Adds another tally (exactly).
    fn merge(&mut self, other: &Self);
    /// Called once when every household is in.
    fn finish(&mut self);
}

/// What a household's years leave for its debts, per arm (reused from household to household).
struct Ledgers {
    /// Per arm and horizon month, the advances paid (benefit years only).
    advances: Vec<[Money; MAX_HORIZON_MONTHS]>,
    /// Per arm and year, the reclaims collected per benefit.
    reclaims: Vec<[[Money; N_BENEFITS]; MAX_HORIZON_YEARS]>,
    /// Per arm and year, the back-payment (every amount).
    backpays: Vec<[Money; MAX_HORIZON_YEARS]>,
    /// Per arm, a reclaim in the year just simulated.
    reclaimed_last: [bool; MAX_ARMS],
    recipient: bool,
}

impl Ledgers {
    fn new(arms: usize) -> Ledgers {
        Ledgers {
            advances: vec![[Money::ZERO; MAX_HORIZON_MONTHS]; arms],
            reclaims: vec![[[Money::ZERO; N_BENEFITS]; MAX_HORIZON_YEARS]; arms],
            backpays: vec![[Money::ZERO; MAX_HORIZON_YEARS]; arms],
            reclaimed_last: [false; MAX_ARMS],
            recipient: false,
        }
    }

    fn clear(&mut self) {
        for a in self.advances.iter_mut() {
            *a = [Money::ZERO; MAX_HORIZON_MONTHS];
        }
        self.reclaimed_last = [false; MAX_ARMS];
        self.recipient = false;
    }

    fn record(&mut self, t: usize, a: usize, o: &Outcome) {
        self.advances[a][12 * t..12 * t + 12].copy_from_slice(&o.paid_by_month);
        self.reclaims[a][t] = o.reclaim_by_benefit;
        self.backpays[a][t] = o.backpay;
        self.reclaimed_last[a] = o.reclaim > Money::ZERO;
        self.recipient |= o.recipient;
    }
}

/// The debts of household `id` in arm `a`, its years recorded in `l`; fills `open_by_month`.
fn debts_of(
    h: &Horizon,
    years: &[Scenario],
    l: &Ledgers,
    id: u64,
    a: usize,
    monthly_income: Money,
    open_by_month: &mut [Money; MAX_HORIZON_MONTHS],
) -> HouseholdDebt {
    let mut book = DebtBook::new();
    let months = h.months();
    let n_years = years.len();
    for m in 0..months {
        for (t, y) in years.iter().enumerate() {
            if h.settlement_of(t) == m {
                for (b, &r) in l.reclaims[a][t].iter().enumerate() {
                    book.reclaim(&y.params.awir, m, b as u8, r);
                }
                book.backpay(l.backpays[a][t]);
            }
        }
        let advance = if (m as usize) < 12 * n_years {
            l.advances[a][m as usize]
        } else {
            Money::ZERO
        };
        book.month_end(m, advance);
        open_by_month[m as usize] = book.open();
    }
    debug_assert!(book.balanced());
    HouseholdDebt {
        household_id: id,
        arm: a,
        totals: book.totals,
        open_end: book.open(),
        monthly_income,
        recipient: l.recipient,
    }
}

/// Accumulated results of some chunks, with their rows (chunk index → rows) when asked for.
struct Partial<T> {
    tally: T,
    rows: Vec<(u64, Vec<Outcome>, Vec<HouseholdDebt>)>,
}

/// Simulates households `start..end` (chunk `c`) over the horizon into `p`.
#[allow(clippy::too_many_arguments)]
fn simulate_chunk<T: HorizonTally>(
    p: &mut Partial<T>,
    sc: &Scenario,
    h: &Horizon,
    years: &[Scenario],
    c: u64,
    start: u64,
    end: u64,
    rows: bool,
) -> Result<()> {
    let arms = sc.arms.len();
    let mut b = ArmOutcomes::new(&years[0]);
    let mut l = Ledgers::new(arms);
    let mut out_rows = Vec::new();
    let mut debt_rows = Vec::new();
    let mut series = [Money::ZERO; MAX_HORIZON_MONTHS];
    let mut debts = vec![HouseholdDebt::default(); arms];
    let shift = h.reclaim_takeup_shift;
    for id in start..end {
        l.clear();
        let mut hh = generate(&years[0], id);
        let start_income = hh.monthly_income;
        let u0 = crate::sim::behaviour::takeup_draw(sc.seed, id);
        let mut last_income = Money::ZERO;
        for (t, ysc) in years.iter().enumerate() {
            if t > 0 {
                hh = next_year(ysc, &hh, last_income, h.next_estimate);
            }
            let year = Year::compute(ysc, &hh);
            let reclaimed = l.reclaimed_last;
            let u = |a: usize| {
                if t > 0 && reclaimed[a] {
                    u0 * (1.0 - shift)
                } else {
                    u0
                }
            };
            let row_buf = (rows && t == 0).then_some(&mut out_rows);
            simulate_household(p.tally.year(t), ysc, &hh, &year, u, &mut b, row_buf)?;
            for a in b.arms(ysc) {
                l.record(t, a, &b.outs[a]);
            }
            last_income = year.actual_income;
        }
        for a in b.arms(&years[0]) {
            debts[a] = debts_of(h, years, &l, id, a, start_income, &mut series);
            p.tally.add_debt(&debts[a], &series[..h.months() as usize]);
            if rows {
                debt_rows.push(debts[a]);
            }
        }
        if sc.design == Design::Paired {
            for d in debts.iter().skip(1) {
                p.tally.add_debt_pair(&debts[0], d);
            }
        }
    }
    if rows {
        p.rows.push((c, out_rows, debt_rows));
    }
    Ok(())
}

/// Runs a scenario with a `[horizon]` into a [`HorizonTally`]. `on_rows` receives, in household
/// order, the first year's outcomes (households.csv) and every household's debts per arm
/// (debts.csv) when `opts.household_rows`; `on_progress` receives (households done, total).
pub fn run_horizon_with<T: HorizonTally>(
    sc: &Scenario,
    opts: &RunOptions,
    mut on_rows: impl FnMut(&[Outcome], &[HouseholdDebt]) -> Result<()>,
    mut on_progress: impl FnMut(u64, u64),
) -> Result<T> {
    let h = sc
        .horizon
        .as_ref()
        .ok_or_else(|| Error::Internal("run_horizon_with: the scenario has no horizon".into()))?;
    let years: Vec<Scenario> = (0..h.years.len())
        .map(|t| {
            let y = year_scenario(sc, t);
            crate::sim::selection::prepared(&y).into_owned()
        })
        .collect();
    let pool = worker_pool(opts.threads)?;
    let threads = install(&pool, rayon::current_num_threads) as u64;
    let ids = opts.id_range(sc.households);
    let (first, n) = (ids.start, ids.end - ids.start);
    let chunk = (opts.chunk_size.max(1) as u64).min((n / (threads * 16)).max(256));
    let n_chunks = n.div_ceil(chunk);
    let mut total = T::empty(sc, &years);
    let batch = if opts.household_rows {
        threads * 8
    } else {
        threads * 64
    }
    .max(1);
    let mut c0 = 0;
    while c0 < n_chunks {
        let c1 = (c0 + batch).min(n_chunks);
        let min_len = ((c1 - c0) / (threads * 4)).max(1) as usize;
        let new = || Partial {
            tally: T::empty(sc, &years),
            rows: Vec::new(),
        };
        let part: Result<Partial<T>> = install(&pool, || {
            (c0 as usize..c1 as usize)
                .into_par_iter()
                .with_min_len(min_len)
                .try_fold(new, |mut p, c| {
                    let c = c as u64;
                    simulate_chunk(
                        &mut p,
                        sc,
                        h,
                        &years,
                        c,
                        first + c * chunk,
                        first + ((c + 1) * chunk).min(n),
                        opts.household_rows,
                    )?;
                    Ok(p)
                })
                .try_reduce(new, |mut a, mut b| {
                    a.tally.merge(&b.tally);
                    a.rows.append(&mut b.rows);
                    Ok(a)
                })
        });
        let mut part = part?;
        if opts.household_rows {
            part.rows.sort_by_key(|(c, _, _)| *c);
            for (_, rows, debts) in &part.rows {
                on_rows(rows, debts)?;
            }
        }
        total.merge(&part.tally);
        on_progress((c1 * chunk).min(n), n);
        c0 = c1;
    }
    total.finish();
    Ok(total)
}
