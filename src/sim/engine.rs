//! The benefit year: month loop, recalculation after reported changes, year-end settlement,
//! and the parallel runner that streams households into per-arm accumulators.
//!
//! For one household the arm-independent work is done once ([`Year::compute`]): the annual
//! award the agency would compute for each state of its knowledge, and the definitive award on
//! what really happened. Each arm then only runs the payment loop with its percentage
//! ([`pay_year`]), so the paired design costs little more than one arm.
//!
//! Rounding: awards are rounded per Awir (see [`crate::rules::awir`]); a reduced advance's
//! annual target is `floor(award × percentage)` whole euros; monthly amounts are
//! `floor(target / 12)` whole euros (spread: `floor(remaining / months left)`).
//!
//! Must not: format output.

use crate::error::{Error, Result};
use crate::model::money::{Fine, Money, Rate};
use crate::model::scenario::{Design, Recalculation, Scenario};
use crate::rules::{annual_exact, awir, Benefit, Children, Situation, N_BENEFITS};
use crate::sim::events::{EventKind, MAX_EVENTS};
use crate::sim::population::{generate, Household};
use crate::sim::random::{stream, weighted_index, Purpose};
use rayon::prelude::*;

/// Most knowledge states in a year: the start (payment month 1) plus one per later payment
/// month in which something becomes known (months 2–12), however many events there are.
const MAX_STATES: usize = 12;

/// Per-benefit amounts.
pub type PerBenefit = [Money; N_BENEFITS];

/// What the agency knows from a payment month on, and the annual award it computes from it.
#[derive(Clone, Copy, Debug, Default)]
pub struct KnowledgeState {
    /// First payment month (1–12) this state applies to.
    pub from_month: u8,
    /// The annual award on this knowledge, per benefit.
    pub award: PerBenefit,
}

/// The arm-independent part of a household's year.
#[derive(Clone, Debug)]
pub struct Year {
    /// Knowledge states in month order; `states[0]` starts in month 1.
    pub states: [KnowledgeState; MAX_STATES],
    /// Number of states.
    pub n_states: usize,
    /// Definitive award on the actual situation, per benefit.
    pub definitive: PerBenefit,
    /// Actual entitlement per month (definitive basis, exact annual / 12, to the cent), summed
    /// over benefits; for the month-by-month chart.
    pub monthly_entitlement: [Money; 12],
    /// Actual assessed income of the applicant for the year.
    pub actual_income: Money,
    /// The 100% advance schedule per benefit: the control arm's, and the reference for money
    /// withheld by a reduced advance. Computed once per household.
    pub full: [Ledger; N_BENEFITS],
}

/// Which view of the household a situation is built from.
#[derive(Clone, Copy)]
enum View {
    Actual,
    /// What the agency knows at this payment month.
    Known(u8),
}

/// The applicant's annual income if the income events in months ≤ `upto` happen (and none
/// later): the household's projection when it reports in month `upto`. A bonus adds its
/// multiple of the month's income (after that month's factors), half-up to the cent.
fn projected_income(h: &Household, upto: u8) -> Money {
    let mut total = 0i64;
    let mut monthly = h.monthly_income;
    let evs = h.events();
    let mut i = 0;
    for month in 1..=12u8 {
        let mut bonus = 0i64;
        while i < evs.len() && evs[i].month <= month {
            let e = &evs[i];
            i += 1;
            if e.month > upto {
                continue;
            }
            match e.kind {
                EventKind::IncomeFactor(f) => monthly = scale_income(monthly, f),
                EventKind::Bonus(m) => bonus += m.0,
                _ => {}
            }
        }
        total += monthly.0;
        if bonus != 0 {
            total += scale_income(monthly, Rate(bonus)).0;
        }
    }
    // Each month is at most the cap, so the sum cannot overflow; the year saturates too.
    Money::saturating_cents(total as i128)
}

/// Hours × factor, rounded half-up to whole hours, at most 744 (a month's hours).
fn scale_hours(hours: u16, f: Rate) -> u16 {
    let scale = crate::model::money::RATE_SCALE as i128;
    let x = crate::model::money::div_floor_i128(hours as i128 * f.0 as i128 + scale / 2, scale);
    x.clamp(0, 744) as u16
}

/// Income × factor, rounded half-up to the cent (an input quantity, not a result); saturates
/// at [`Money::MAX_INCOME`].
fn scale_income(m: Money, f: Rate) -> Money {
    m.mul_rate_half_up_cents(f)
}

fn applicant_income(h: &Household, view: View) -> Money {
    match view {
        View::Actual => projected_income(h, 12),
        View::Known(k) => {
            // A household report projects the income up to the month before the report; the
            // agency's payroll data (IncomeData) show it up to the event month.
            let latest_report = h
                .events()
                .iter()
                .filter(|e| e.known_from <= k)
                .filter_map(|e| match e.kind {
                    EventKind::IncomeFactor(_) | EventKind::Bonus(_) => Some(e.known_from - 1),
                    EventKind::IncomeData => Some(e.month),
                    _ => None,
                })
                .max();
            match latest_report {
                Some(r) => projected_income(h, r),
                None => h.estimated_income,
            }
        }
    }
}

fn visible(view: View, known_from: u8) -> bool {
    match view {
        View::Actual => true,
        View::Known(k) => known_from <= k,
    }
}

/// The situation in `month` under `view`, with `applicant` the applicant's annual income.
fn situation(h: &Household, view: View, month: u8, applicant: Money) -> Situation {
    // Built in place (the return slot), not assembled from parts: a moved `Children` is a
    // 200-byte copy, and this runs several times per household.
    let mut s = Situation {
        partner: h.partner,
        children: Children::NONE,
        assets: h.assets,
        income: applicant,
        rent: h.rent,
        co_residents: h.co_residents,
    };
    let mut partner_income = match view {
        View::Actual => h.partner_income,
        View::Known(_) => h.estimated_partner_income,
    };
    // Childcare: the agency pays advances on the household's estimate; the definitive award
    // uses the hours and prices the provider reports (RULES.md §3). Once the agency uses
    // provider data (CareData known), its view is the actual care, with the hour changes the
    // data show (those before the data month) and those reported.
    let care_data = match view {
        View::Actual => None,
        View::Known(k) => h
            .events()
            .iter()
            .filter(|e| e.kind == EventKind::CareData && e.known_from <= k)
            .map(|e| e.month)
            .max(),
    };
    let mut care = match (view, care_data) {
        (View::Known(_), None) => h.care_estimate,
        _ => h.care_actual,
    };
    let mut births = 0;
    // A change counts from the month after it happens (Awir art. 5).
    for e in h.events() {
        if e.month >= month {
            continue;
        }
        let seen = visible(view, e.known_from);
        match e.kind {
            EventKind::PartnerIn(y) if seen => {
                s.partner = true;
                partner_income = y;
            }
            EventKind::PartnerOut if seen => s.partner = false,
            EventKind::ChildBorn if seen => births += 1,
            EventKind::CareHours(f) if seen || care_data.is_some_and(|d| e.month < d) => {
                for c in care.iter_mut().flatten() {
                    c.hours = scale_hours(c.hours, f);
                }
            }
            // Rent × factor, half-up to the cent.
            EventKind::RentFactor(f) if seen => s.rent = scale_income(s.rent, f),
            _ => {}
        }
    }
    for (i, c) in h.children().iter().enumerate() {
        s.children
            .push_with_care(c.age + u8::from(month >= c.birthday), care[i]);
    }
    // Newborns after the children of 1 January, as they were born.
    for _ in 0..births {
        s.children.push(0);
    }
    if s.partner {
        s.income = applicant + partner_income;
    }
    s
}

/// Σ over months of the exact annual amount for that month's situation, per benefit, and the
/// Awir award `round(Σ / 12)`.
fn award_for(
    sc: &Scenario,
    h: &Household,
    view: View,
    monthly_out: Option<&mut [Money; 12]>,
) -> PerBenefit {
    let applicant = applicant_income(h, view);
    let want_monthly = monthly_out.is_some();
    // The situation can only change in month 1, in a child's birthday month, and in the month
    // after a household change visible in this view: elsewhere last month's amounts hold.
    let mut change_months: u16 = 1 << 1;
    for c in h.children() {
        change_months |= 1 << c.birthday.clamp(1, 12);
    }
    // Every non-income change month is marked, seen or not (a data event can reveal an
    // unreported change); an unchanged situation is detected below and costs no computation.
    for e in h.events() {
        if !e.is_income() && !e.is_data() && e.month < 12 {
            change_months |= 1 << (e.month + 1);
        }
    }
    // The year is a run of segments with one situation each: Σ over months of the exact
    // annual amount = Σ over segments of amount × segment length (exact integers, so the same
    // sum as adding month by month).
    let amounts_of = |s: &Situation| {
        let mut a = [Fine::ZERO; N_BENEFITS];
        for b in Benefit::ALL {
            if sc.population.benefits[b.index()] {
                a[b.index()] = annual_exact(b, &sc.params, s);
            }
        }
        a
    };
    // Exact annual / 12 summed over benefits, rounded down to the cent: the monthly
    // entitlement shown in the month-by-month chart.
    let month_value = |a: &[Fine; N_BENEFITS]| {
        let total: i128 = a.iter().map(|x| x.0).sum();
        Money(crate::model::money::div_floor_i128(
            total,
            12 * crate::model::money::RATE_SCALE as i128,
        ) as i64)
    };
    let mut sums = [Fine::ZERO; N_BENEFITS];
    let mut monthly = [Money::ZERO; 12];
    let mut cur = situation(h, view, 1, applicant);
    let mut amounts = amounts_of(&cur);
    let mut seg_start = 1u8;
    let mut close = |amounts: &[Fine; N_BENEFITS], from: u8, to: u8| {
        let len = i128::from(to - from);
        for (sum, x) in sums.iter_mut().zip(amounts) {
            sum.0 += x.0 * len;
        }
        if want_monthly {
            monthly[from as usize - 1..to as usize - 1].fill(month_value(amounts));
        }
    };
    for month in 2..=12u8 {
        if change_months & (1 << month) != 0 {
            let s = situation(h, view, month, applicant);
            if s != cur {
                close(&amounts, seg_start, month);
                amounts = amounts_of(&s);
                cur = s;
                seg_start = month;
            }
        }
    }
    close(&amounts, seg_start, 13);
    if let Some(out) = monthly_out {
        *out = monthly;
    }
    let mut award = [Money::ZERO; N_BENEFITS];
    for i in 0..N_BENEFITS {
        award[i] = awir::annual_award(&sc.params.awir, sums[i].div_trunc(12));
    }
    award
}

/// The annual award per benefit on what the agency knows for payment month `k` (1–12): the
/// basis of the advance from that month. Used by the interventions to decide on a mutation.
pub fn known_award(sc: &Scenario, h: &Household, k: u8) -> PerBenefit {
    award_for(sc, h, View::Known(k), None)
}

impl Year {
    /// Computes the knowledge states and the definitive award of a household.
    pub fn compute(sc: &Scenario, h: &Household) -> Year {
        // Filled in place (the return slot): assembling it from local arrays copied ~1 KB per
        // household.
        let mut y = Year {
            states: [KnowledgeState::default(); MAX_STATES],
            n_states: 1,
            definitive: [Money::ZERO; N_BENEFITS],
            monthly_entitlement: [Money::ZERO; 12],
            actual_income: projected_income(h, 12),
            full: [Ledger::default(); N_BENEFITS],
        };
        y.states[0] = KnowledgeState {
            from_month: 1,
            award: award_for(sc, h, View::Known(1), None),
        };
        let mut months: [u8; MAX_EVENTS] = [13; MAX_EVENTS];
        for (i, e) in h.events().iter().enumerate() {
            months[i] = e.known_from;
        }
        months.sort_unstable();
        let mut last = 1u8;
        for &k in months.iter() {
            if k > 12 {
                break;
            }
            if k == last {
                continue;
            }
            last = k;
            y.states[y.n_states] = KnowledgeState {
                from_month: k,
                award: award_for(sc, h, View::Known(k), None),
            };
            y.n_states += 1;
        }
        y.definitive = award_for(sc, h, View::Actual, Some(&mut y.monthly_entitlement));
        for b in 0..N_BENEFITS {
            if sc.population.benefits[b] {
                y.full[b] = pay_year(&y.states[..y.n_states], b, Rate::ONE, sc.recalculation);
            }
        }
        y
    }

    /// The states in month order.
    pub fn states(&self) -> &[KnowledgeState] {
        &self.states[..self.n_states]
    }
}

/// Advances of one benefit through the year under one percentage.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Ledger {
    /// Net advances kept by the household: payments plus in-year top-ups minus in-year reclaims.
    pub net: Money,
    /// In-year reclaims after a recalculation (always collected).
    pub in_year_reclaim: Money,
    /// Net amount per payment month.
    pub by_month: [Money; 12],
}

/// The advance schedule of one benefit for a household under percentage `pct`.
pub fn pay_year(
    states: &[KnowledgeState],
    benefit: usize,
    pct: Rate,
    recalc: Recalculation,
) -> Ledger {
    let target = |s: &KnowledgeState| {
        if pct == Rate::ONE {
            s.award[benefit]
        } else {
            s.award[benefit].mul_rate_floor_euros(pct)
        }
    };
    let mut ledger = Ledger::default();
    let mut monthly = awir::monthly(target(&states[0]));
    let mut next = 1;
    for k in 1..=12u8 {
        let mut this_month = Money::ZERO;
        if next < states.len() && states[next].from_month == k {
            let t = target(&states[next]);
            next += 1;
            match recalc {
                Recalculation::LumpSum => {
                    monthly = awir::monthly(t);
                    let due = Money(monthly.0 * (k as i64 - 1));
                    let correction = due - ledger.net;
                    if correction < Money::ZERO {
                        ledger.in_year_reclaim -= correction;
                    }
                    this_month += correction;
                    ledger.net += correction;
                }
                Recalculation::Spread => {
                    let remaining = t - ledger.net;
                    if remaining < Money::ZERO {
                        ledger.in_year_reclaim -= remaining;
                        this_month += remaining;
                        ledger.net += remaining;
                        monthly = Money::ZERO;
                    } else {
                        monthly = remaining.floor_div_euros(13 - k as i64);
                    }
                }
            }
        }
        ledger.net += monthly;
        this_month += monthly;
        ledger.by_month[k as usize - 1] = this_month;
    }
    ledger
}

/// One household's result in one arm.
#[derive(Clone, Copy, Debug, Default)]
pub struct Outcome {
    /// Household id.
    pub household_id: u64,
    /// Arm index (0 = control).
    pub arm: usize,
    /// Household type index.
    pub household_type: u8,
    /// Took the offered reduced advance.
    pub took_offer: bool,
    /// Advance percentage applied.
    pub percentage: Rate,
    /// Net advances over all benefits.
    pub advances: Money,
    /// Definitive award over all benefits.
    pub definitive: Money,
    /// Reclaim before the small-reclaim threshold (Σ over benefits of max(0, advances − award)).
    pub reclaim_before_threshold: Money,
    /// Reclaim actually collected (per benefit above the threshold).
    pub reclaim: Money,
    /// Back-payment.
    pub backpay: Money,
    /// Money withheld during the year compared with the 100% advance.
    pub withheld: Money,
    /// In-year reclaims.
    pub in_year_reclaim: Money,
    /// Monthly instalment of the standard repayment plan for the reclaim.
    pub repayment_monthly: Money,
    /// Actual annual income of the applicant.
    pub income: Money,
    /// Advances paid per month over all benefits.
    pub paid_by_month: [Money; 12],
    /// Reclaim per benefit (collected).
    pub reclaim_by_benefit: PerBenefit,
}

/// Simulates household `h` (with its precomputed year) under arm `arm` of the scenario,
/// with the arm's interventions.
pub fn simulate_arm(sc: &Scenario, h: &Household, year: &Year, arm: usize) -> Result<Outcome> {
    let u = crate::sim::behaviour::takeup_draw(sc.seed, h.id);
    arm_outcome(sc, h, year, arm, u)
}

/// Arm `arm` for household `h`: an arm with interventions gets the household as the agency
/// then knows it, and its own knowledge states ([`crate::sim::interventions`]); other arms share
/// the household's precomputed `year`.
pub fn arm_outcome(
    sc: &Scenario,
    h: &Household,
    year: &Year,
    arm: usize,
    u: f64,
) -> Result<Outcome> {
    let mut o = Outcome::default();
    arm_outcome_into(sc, h, year, arm, u, &mut o)?;
    Ok(o)
}

/// As [`arm_outcome`], writing into `o`.
pub fn arm_outcome_into(
    sc: &Scenario,
    h: &Household,
    year: &Year,
    arm: usize,
    u: f64,
    o: &mut Outcome,
) -> Result<()> {
    match crate::sim::interventions::household_for_arm(sc, &sc.arms[arm], h) {
        Some(hi) => simulate_arm_into(sc, &hi, &Year::compute(sc, &hi), arm, u, o),
        None => simulate_arm_into(sc, h, year, arm, u, o),
    }
}

/// As [`simulate_arm`], with the household's take-up draw `u` already made.
pub fn simulate_arm_given(
    sc: &Scenario,
    h: &Household,
    year: &Year,
    arm: usize,
    u: f64,
) -> Result<Outcome> {
    let mut o = Outcome::default();
    simulate_arm_into(sc, h, year, arm, u, &mut o)?;
    Ok(o)
}

/// As [`simulate_arm_given`], writing into `o` (the runner reuses one `Outcome` per arm
/// instead of moving a fresh one out of every call).
pub fn simulate_arm_into(
    sc: &Scenario,
    h: &Household,
    year: &Year,
    arm: usize,
    u: f64,
    o: &mut Outcome,
) -> Result<()> {
    let (pct, took) = crate::sim::behaviour::arm_percentage_for(sc, &sc.arms[arm], h, u);
    *o = Outcome {
        household_id: h.id,
        arm,
        household_type: h.household_type,
        took_offer: took,
        percentage: pct,
        income: year.actual_income,
        ..Outcome::default()
    };
    let states = year.states();
    let final_award = states[states.len() - 1].award;
    #[allow(clippy::needless_range_loop)]
    for b in 0..N_BENEFITS {
        if !sc.population.benefits[b] {
            continue;
        }
        let full = &year.full[b];
        let reduced;
        let ledger = if pct == Rate::ONE {
            full
        } else {
            reduced = pay_year(states, b, pct, sc.recalculation);
            &reduced
        };
        let d = year.definitive[b];
        let settlement = d - ledger.net;
        let reclaim_raw = (-settlement).max_zero();
        let backpay = settlement.max_zero();
        let collected = awir::collected_reclaim(&sc.params.awir, reclaim_raw);
        // Runtime invariants: a violation is a bug, reported with what reproduces it.
        if ledger.net - d != reclaim_raw - backpay
            || ledger.net < Money::ZERO
            || (pct < Rate::ONE && ledger.net > final_award[b])
        {
            return Err(Error::Internal(format!(
                "accounting invariant broken for household {} in arm `{}` (scenario `{}`, seed {}): benefit {}, advances {}, award {}, reclaim {}, back-payment {}",
                h.id, sc.arms[arm].name, sc.name, sc.seed, Benefit::ALL[b].name(), ledger.net, d, reclaim_raw, backpay
            )));
        }
        o.advances += ledger.net;
        o.definitive += d;
        o.reclaim_before_threshold += reclaim_raw;
        o.reclaim += collected;
        o.reclaim_by_benefit[b] = collected;
        o.backpay += backpay;
        o.withheld += full.net - ledger.net;
        o.in_year_reclaim += ledger.in_year_reclaim;
        for (m, x) in ledger.by_month.iter().enumerate() {
            o.paid_by_month[m] += *x;
        }
    }
    o.repayment_monthly = awir::repayment_instalment(&sc.params.awir, o.reclaim);
    Ok(())
}

/// Most worker threads a command starts (`--threads`): far more than any machine this runs on
/// has cores (results do not depend on it), few enough that starting them cannot exhaust the
/// system.
pub const MAX_THREADS: usize = 256;

/// The rayon pool for `threads` workers: `None` when the current pool already has that many,
/// or when `threads` is 0 (the current pool: by default the global one, a thread per core).
/// Runs inside one pool (a `run`, a sweep, repeated bench runs) so share its threads instead of
/// starting and stopping their own, whose idle spinning would compete with the next step.
pub fn worker_pool(threads: usize) -> Result<Option<rayon::ThreadPool>> {
    if threads > MAX_THREADS {
        return Err(Error::Usage(format!(
            "--threads: found {threads}; at most {MAX_THREADS} (0 = one per core)"
        )));
    }
    if threads == 0 || threads == rayon::current_num_threads() {
        return Ok(None);
    }
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map(Some)
        .map_err(|e| Error::Internal(format!("cannot start worker threads: {e}")))
}

/// Runs `f` on `pool`, or on the current pool when `pool` is `None` (see [`worker_pool`]).
pub fn install<T: Send>(pool: &Option<rayon::ThreadPool>, f: impl FnOnce() -> T + Send) -> T {
    match pool {
        Some(p) => p.install(f),
        None => f(),
    }
}

/// Options of a run that are not part of the scenario.
#[derive(Clone, Debug)]
pub struct RunOptions {
    /// Worker threads (0 = all cores).
    pub threads: usize,
    /// Collect per-household rows (for households.csv).
    pub household_rows: bool,
    /// Households per work unit.
    pub chunk_size: usize,
}

impl Default for RunOptions {
    fn default() -> Self {
        RunOptions {
            threads: 0,
            household_rows: false,
            chunk_size: 4096,
        }
    }
}

/// What a run accumulates over households: `analysis` implements it (per-arm and paired
/// statistics); the runner only calls it. Merging must be exact and order-free, so a result
/// cannot depend on the thread count or the chunking.
pub trait Tally: Send + Sized {
    /// An empty tally for the scenario.
    fn empty(sc: &Scenario) -> Self;
    /// One household's outcome in arm `arm`, with its year.
    fn add(&mut self, arm: usize, o: &Outcome, year: &Year, thresholds: &[Money]);
    /// Paired design: the household's outcome in treatment arm `arm` (1..) next to its control
    /// outcome.
    fn add_pair(&mut self, arm: usize, control: &Outcome, o: &Outcome, thresholds: &[Money]);
    /// Adds another tally (exactly).
    fn merge(&mut self, other: &Self);
    /// Called once when every household is in.
    fn finish(&mut self);
}

/// Accumulated results of some chunks, with their rows (chunk index → rows) when asked for.
struct Partial<T> {
    tally: T,
    rows: Vec<(u64, Vec<Outcome>)>,
}

impl<T: Tally> Partial<T> {
    fn new(sc: &Scenario) -> Partial<T> {
        Partial {
            tally: T::empty(sc),
            rows: Vec::new(),
        }
    }

    /// Exact, order-free merge (the rows keep their chunk index for ordering later).
    fn merge(mut self, mut o: Partial<T>) -> Partial<T> {
        self.tally.merge(&o.tally);
        self.rows.append(&mut o.rows);
        self
    }
}

fn assigned_arm(sc: &Scenario, id: u64, shares: &[f64]) -> usize {
    let mut rng = stream(sc.seed, id, Purpose::Assignment);
    weighted_index(shares, &mut rng)
}

/// Simulates households `start..end` (chunk `c`) into `p`.
fn simulate_chunk<T: Tally>(
    p: &mut Partial<T>,
    sc: &Scenario,
    c: u64,
    start: u64,
    end: u64,
    rows: bool,
) -> Result<()> {
    let shares: Vec<f64> = sc.arms.iter().map(|a| a.share).collect();
    let th = &sc.high_reclaim_thresholds;
    let mut out_rows = Vec::new();
    let mut control = Outcome::default();
    let mut o = Outcome::default();
    for id in start..end {
        let h = generate(sc, id);
        let year = Year::compute(sc, &h);
        let u = crate::sim::behaviour::takeup_draw(sc.seed, id);
        match sc.design {
            Design::Paired => {
                simulate_arm_into(sc, &h, &year, 0, u, &mut control)?;
                p.tally.add(0, &control, &year, th);
                if rows {
                    out_rows.push(control);
                }
                for a in 1..sc.arms.len() {
                    arm_outcome_into(sc, &h, &year, a, u, &mut o)?;
                    p.tally.add(a, &o, &year, th);
                    p.tally.add_pair(a, &control, &o, th);
                    if rows {
                        out_rows.push(o);
                    }
                }
            }
            Design::Randomized => {
                let a = assigned_arm(sc, id, &shares);
                arm_outcome_into(sc, &h, &year, a, u, &mut o)?;
                p.tally.add(a, &o, &year, th);
                if rows {
                    out_rows.push(o);
                }
            }
        }
    }
    if rows {
        p.rows.push((c, out_rows));
    }
    Ok(())
}

impl Scenario {
    /// Number of high-reclaim thresholds.
    pub fn thresholds_len(&self) -> usize {
        self.high_reclaim_thresholds.len()
    }
}

/// Runs the scenario into a tally `T` (`analysis::run` gives the usual statistics).
/// `on_rows` receives per-household outcomes in household order (when
/// `opts.household_rows`); `on_progress` receives (households done, total).
pub fn run_with<T: Tally>(
    sc: &Scenario,
    opts: &RunOptions,
    mut on_rows: impl FnMut(&[Outcome]) -> Result<()>,
    mut on_progress: impl FnMut(u64, u64),
) -> Result<T> {
    let pool = worker_pool(opts.threads)?;
    let threads = install(&pool, rayon::current_num_threads) as u64;
    let n = sc.households;
    // Small runs get smaller chunks (at least 16 per thread, at least 256 households), so both
    // cores have work; results do not depend on the chunking (exact merges, rows in order).
    let chunk = (opts.chunk_size.max(1) as u64).min((n / (threads * 16)).max(256));
    let n_chunks = n.div_ceil(chunk);
    let mut total = T::empty(sc);
    // Each batch is one parallel fold: every worker accumulates its share of the chunks, and
    // the partial results are merged exactly (so the thread count cannot change a result).
    // With rows the batch is small, bounding the rows held in memory; without, it only sets
    // how often the progress bar moves.
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
        let part: Result<Partial<T>> = install(&pool, || {
            (c0 as usize..c1 as usize)
                .into_par_iter()
                .with_min_len(min_len)
                .try_fold(
                    || Partial::new(sc),
                    |mut p, c| {
                        let c = c as u64;
                        simulate_chunk(
                            &mut p,
                            sc,
                            c,
                            c * chunk,
                            ((c + 1) * chunk).min(n),
                            opts.household_rows,
                        )?;
                        Ok(p)
                    },
                )
                .try_reduce(|| Partial::new(sc), |a, b| Ok(a.merge(b)))
        });
        let mut part = part?;
        if opts.household_rows {
            part.rows.sort_by_key(|(c, _)| *c);
            for (_, rows) in &part.rows {
                on_rows(rows)?;
            }
            part.rows.clear();
        }
        total.merge(&part.tally);
        on_progress((c1 * chunk).min(n), n);
        c0 = c1;
    }
    total.finish();
    Ok(total)
}

// ------------------------------------------------------------------------------------------
// Tracing one household (for `toeslagenlab explain`; not on the simulation's hot path)
// ------------------------------------------------------------------------------------------

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
    let mut situations = [Situation::default(); 12];
    let mut exact = [[Fine::ZERO; N_BENEFITS]; 12];
    let mut sums = [Fine::ZERO; N_BENEFITS];
    for month in 1..=12u8 {
        let m = month as usize - 1;
        let s = situation(h, view, month, applicant);
        for b in Benefit::ALL {
            if sc.population.benefits[b.index()] {
                exact[m][b.index()] = annual_exact(b, &sc.params, &s);
                sums[b.index()] += exact[m][b.index()];
            }
        }
        situations[m] = s;
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

/// The arm household `id` is assigned to in the randomized design (the draw [`run_with`] makes).
pub fn randomized_arm(sc: &Scenario, id: u64) -> usize {
    let shares: Vec<f64> = sc.arms.iter().map(|a| a.share).collect();
    assigned_arm(sc, id, &shares)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn states(awards: &[(u8, i64)]) -> Vec<KnowledgeState> {
        awards
            .iter()
            .map(|(m, a)| KnowledgeState {
                from_month: *m,
                award: {
                    let mut x = [Money::ZERO; N_BENEFITS];
                    x[0] = Money::euros(*a);
                    x
                },
            })
            .collect()
    }

    #[test]
    fn no_change_pays_floor_of_annual_over_twelve() {
        let l = pay_year(&states(&[(1, 1514)]), 0, Rate::ONE, Recalculation::Spread);
        assert_eq!(l.net, Money::euros(126 * 12));
        let l = pay_year(
            &states(&[(1, 1514)]),
            0,
            Rate::percent(80),
            Recalculation::Spread,
        );
        // floor(1514 × 0.8) = 1211; floor(1211 / 12) = 100
        assert_eq!(l.net, Money::euros(1200));
    }

    #[test]
    fn spread_recalculation_pays_the_rest_over_remaining_months() {
        // 1200 a year → 100/month; from month 7 the award is 2400: 2400 − 600 = 1800 over 6 months.
        let l = pay_year(
            &states(&[(1, 1200), (7, 2400)]),
            0,
            Rate::ONE,
            Recalculation::Spread,
        );
        assert_eq!(l.by_month[6], Money::euros(300));
        assert_eq!(l.net, Money::euros(2400));
        assert_eq!(l.in_year_reclaim, Money::ZERO);
    }

    #[test]
    fn lump_sum_recalculation_settles_past_months_at_once() {
        // From month 7 the award is 0: the 600 paid is reclaimed in month 7.
        let l = pay_year(
            &states(&[(1, 1200), (7, 0)]),
            0,
            Rate::ONE,
            Recalculation::LumpSum,
        );
        assert_eq!(l.in_year_reclaim, Money::euros(600));
        assert_eq!(l.net, Money::ZERO);
        // Award up to 2400 from month 4: 3 × 200 due, 300 paid → 300 lump sum in month 4.
        let l = pay_year(
            &states(&[(1, 1200), (4, 2400)]),
            0,
            Rate::ONE,
            Recalculation::LumpSum,
        );
        assert_eq!(l.by_month[3], Money::euros(500));
        assert_eq!(l.net, Money::euros(2400));
    }

    #[test]
    fn spread_overpayment_is_reclaimed_in_year() {
        let l = pay_year(
            &states(&[(1, 2400), (10, 1200)]),
            0,
            Rate::ONE,
            Recalculation::Spread,
        );
        // 9 × 200 = 1800 paid, new target 1200 → 600 reclaimed, nothing more paid.
        assert_eq!(l.in_year_reclaim, Money::euros(600));
        assert_eq!(l.net, Money::euros(1200));
    }
}
