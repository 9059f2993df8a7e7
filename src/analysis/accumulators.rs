//! Streaming accumulators and the statistics computed from them.
//!
//! Accumulators hold exact integer sums (cents, counts, squared cents in `i128`) and an exact
//! histogram of reclaim amounts, so merging them is exact and order-free: results are identical
//! whatever the thread count. Floating point appears only when a finished accumulator is turned
//! into shares, means and test statistics.

use crate::model::money::Money;
use crate::model::scenario::{EMPLOYMENT_TYPES, N_TYPES};

/// Number of employment types.
pub const N_EMPLOYMENT: usize = EMPLOYMENT_TYPES.len();

/// Width of an income bin (annual applicant income, cents): €1,000. Income deciles are put
/// together from these bins when the run is summarized.
pub const INCOME_BIN_CENTS: i64 = 100_000;
/// Income bins: €0–€1,000, …; the last one also holds every higher income (≥ €250,000).
pub const INCOME_BINS: usize = 251;

/// The income bin of an annual income (negative incomes in the first bin).
pub fn income_bin(income: Money) -> usize {
    ((income.0.max(0) / INCOME_BIN_CENTS) as usize).min(INCOME_BINS - 1)
}
use crate::model::outcome::InterventionTrace;
use crate::sim::engine::{Outcome, Year};
use std::collections::BTreeMap;

/// What an arm's interventions did, counted over its households (summary.json
/// `arms.<arm>.interventions`, written only for arms with interventions). Households unless
/// the name says letters. Exact integer counts: merging is exact and order-free.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct InterventionCounts {
    /// Households with childcare (the base of every reach).
    pub childcare_households: u64,
    /// Attention letters sent (one per household at most).
    pub attention_letters: u64,
    /// Mutation letters sent (one per child whose data change, one for income data).
    pub mutation_letters: u64,
    /// Households whose advance the agency mutated at least once.
    pub mutations: u64,
    /// Households that reported their actual situation themselves after a mutation letter.
    pub self_reports: u64,
    /// Households that got personal guidance.
    pub guided: u64,
    /// Households with more children to change than letters at a time, sent from mutation to
    /// the attention process.
    pub excluded_to_attention: u64,
}

impl InterventionCounts {
    /// Adds one household's trace.
    pub fn add(&mut self, t: &InterventionTrace) {
        self.childcare_households += u64::from(t.childcare);
        self.attention_letters += u64::from(t.letter_sent);
        self.mutation_letters += u64::from(t.mutation_letters);
        self.mutations += u64::from(t.mutations > 0);
        self.self_reports += u64::from(t.self_reports > 0);
        self.guided += u64::from(t.guided);
        self.excluded_to_attention += u64::from(t.to_attention);
    }

    /// Adds another count (exact; order does not matter).
    pub fn merge(&mut self, o: &InterventionCounts) {
        self.childcare_households += o.childcare_households;
        self.attention_letters += o.attention_letters;
        self.mutation_letters += o.mutation_letters;
        self.mutations += o.mutations;
        self.self_reports += o.self_reports;
        self.guided += o.guided;
        self.excluded_to_attention += o.excluded_to_attention;
    }
}

/// Exact sums of one money quantity over households.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct MoneySum {
    /// Σ x in cents.
    pub sum: i128,
    /// Σ x² in cents².
    pub sumsq: i128,
}

impl MoneySum {
    /// Adds one value.
    pub fn add(&mut self, x: Money) {
        let v = x.0 as i128;
        self.sum += v;
        self.sumsq += v * v;
    }

    /// Merges another sum.
    pub fn merge(&mut self, o: &MoneySum) {
        self.sum += o.sum;
        self.sumsq += o.sumsq;
    }

    /// Mean in euros over `n` households.
    pub fn mean_euros(&self, n: u64) -> f64 {
        if n == 0 {
            return 0.0;
        }
        self.sum as f64 / n as f64 / 100.0
    }

    /// Sample variance in euros² over `n` households.
    pub fn var_euros(&self, n: u64) -> f64 {
        if n < 2 {
            return 0.0;
        }
        let n_f = n as f64;
        // Σ(x−x̄)² = Σx² − (Σx)²/n, computed in exact integers where possible.
        let num = self.sumsq as f64 - (self.sum as f64) * (self.sum as f64) / n_f;
        (num.max(0.0) / (n_f - 1.0)) / 10_000.0
    }
}

/// Statistics of one group of households (an arm, or an arm × household type).
///
/// Who is counted: every statistic is over the group's *recipient households* (at least one
/// toeslag in the year, [`Outcome::recipient`]); `n_all` also counts the households without any
/// toeslag, whose amounts are all zero.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct GroupStats {
    /// All households of the group, recipients or not.
    pub n_all: u64,
    /// Recipient households: the population of every statistic below.
    pub n: u64,
    /// Households with a collected reclaim.
    pub n_reclaim: u64,
    /// Households with a reclaim above each high-reclaim threshold.
    pub n_high: Vec<u64>,
    /// Collected reclaim over all households (zeros included).
    pub reclaim: MoneySum,
    /// Households with a back-payment (a benefit's back-payment above the scenario's
    /// `backpay_threshold`).
    pub n_backpay: u64,
    /// Back-payment paid (every amount), over recipient households.
    pub backpay: MoneySum,
    /// Back-payment counted (the benefits' back-payments above the threshold).
    pub backpay_counted: MoneySum,
    /// Households whose net settlement across benefits is a reclaim (they pay back on balance).
    pub n_net_reclaim: u64,
    /// Households whose net settlement is a back-payment above the threshold.
    pub n_net_backpay: u64,
    /// Net settlement (back-payments paid − reclaims collected).
    pub net: MoneySum,
    /// Exact histogram of net reclaims (the amount a household pays back on balance).
    pub net_reclaims: Histogram,
    /// Exact histogram of net back-payments above the threshold.
    pub net_backpays: Histogram,
    /// Money withheld during the year vs the 100% advance.
    pub withheld: MoneySum,
    /// Net advances.
    pub advances: MoneySum,
    /// Definitive awards.
    pub definitive: MoneySum,
    /// |definitive − advances|.
    pub abs_gap: MoneySum,
    /// Monthly repayment instalment (zero without reclaim).
    pub burden: MoneySum,
    /// Households with an in-year reclaim.
    pub n_in_year_reclaim: u64,
    /// In-year reclaims.
    pub in_year_reclaim: MoneySum,
    /// Households that took the offered advance.
    pub n_took: u64,
    /// Households that took the offer and have a reclaim (the complier effect's take-up
    /// covariance in the randomized design).
    pub n_took_reclaim: u64,
    /// Collected reclaim of the households that took the offer.
    pub took_reclaim: MoneySum,
    /// Reclaim as a share of monthly income, in basis points, summed over households with a
    /// reclaim and an income (exact integer, so thread-count independent).
    pub reclaim_income_bp: i128,
    /// Households in `reclaim_income_bp`.
    pub n_reclaim_income: u64,
    /// Exact histogram of collected reclaims (cents → households), reclaim > 0 only.
    pub reclaims: Histogram,
    /// Exact histogram of counted back-payments (cents → households), counted ones only.
    pub backpays: Histogram,
}

impl GroupStats {
    fn new(k: usize) -> Self {
        GroupStats {
            n_high: vec![0; k],
            ..Default::default()
        }
    }

    fn add(&mut self, o: &Outcome, thresholds: &[Money], backpay_threshold: Money) {
        self.n_all += 1;
        if !o.recipient {
            return;
        }
        self.n += 1;
        if o.reclaim > Money::ZERO {
            self.n_reclaim += 1;
            self.reclaims.add(o.reclaim.0);
            if o.income > Money::ZERO {
                let monthly = o.income.0 as i128 / 12;
                if monthly > 0 {
                    self.reclaim_income_bp += o.reclaim.0 as i128 * 10_000 / monthly;
                    self.n_reclaim_income += 1;
                }
            }
        }
        for (i, t) in thresholds.iter().enumerate() {
            if o.reclaim > *t {
                self.n_high[i] += 1;
            }
        }
        self.reclaim.add(o.reclaim);
        if o.backpay_counted > Money::ZERO {
            self.n_backpay += 1;
            self.backpays.add(o.backpay_counted.0);
        }
        self.backpay.add(o.backpay);
        self.backpay_counted.add(o.backpay_counted);
        let net = o.net_settlement();
        if net < Money::ZERO {
            self.n_net_reclaim += 1;
            self.net_reclaims.add(-net.0);
        } else if net > backpay_threshold {
            self.n_net_backpay += 1;
            self.net_backpays.add(net.0);
        }
        self.net.add(net);
        self.withheld.add(o.withheld);
        self.advances.add(o.advances);
        self.definitive.add(o.definitive);
        self.abs_gap.add(Money((o.definitive - o.advances).0.abs()));
        self.burden.add(o.repayment_monthly);
        if o.in_year_reclaim > Money::ZERO {
            self.n_in_year_reclaim += 1;
        }
        self.in_year_reclaim.add(o.in_year_reclaim);
        if o.took_offer {
            self.n_took += 1;
            self.n_took_reclaim += u64::from(o.reclaim > Money::ZERO);
            self.took_reclaim.add(o.reclaim);
        }
    }

    fn merge(&mut self, o: &GroupStats) {
        self.n_all += o.n_all;
        self.n += o.n;
        self.n_reclaim += o.n_reclaim;
        for (a, b) in self.n_high.iter_mut().zip(&o.n_high) {
            *a += b;
        }
        self.reclaim.merge(&o.reclaim);
        self.n_backpay += o.n_backpay;
        self.backpay.merge(&o.backpay);
        self.backpay_counted.merge(&o.backpay_counted);
        self.n_net_reclaim += o.n_net_reclaim;
        self.n_net_backpay += o.n_net_backpay;
        self.net.merge(&o.net);
        self.net_reclaims.merge(&o.net_reclaims);
        self.net_backpays.merge(&o.net_backpays);
        self.withheld.merge(&o.withheld);
        self.advances.merge(&o.advances);
        self.definitive.merge(&o.definitive);
        self.abs_gap.merge(&o.abs_gap);
        self.burden.merge(&o.burden);
        self.n_in_year_reclaim += o.n_in_year_reclaim;
        self.in_year_reclaim.merge(&o.in_year_reclaim);
        self.n_took += o.n_took;
        self.n_took_reclaim += o.n_took_reclaim;
        self.took_reclaim.merge(&o.took_reclaim);
        self.reclaim_income_bp += o.reclaim_income_bp;
        self.n_reclaim_income += o.n_reclaim_income;
        self.reclaims.merge(&o.reclaims);
        self.backpays.merge(&o.backpays);
    }

    /// Share of households with a collected reclaim.
    pub fn reclaim_share(&self) -> f64 {
        ratio(self.n_reclaim, self.n)
    }

    /// Share with a reclaim above threshold `i`.
    pub fn high_share(&self, i: usize) -> f64 {
        ratio(self.n_high.get(i).copied().unwrap_or(0), self.n)
    }

    /// Share with a back-payment.
    pub fn backpay_share(&self) -> f64 {
        ratio(self.n_backpay, self.n)
    }

    /// Share that took the offer.
    pub fn takeup_share(&self) -> f64 {
        ratio(self.n_took, self.n)
    }

    /// Mean reclaim among households with a reclaim, euros.
    pub fn mean_reclaim_among(&self) -> f64 {
        self.reclaim.mean_euros(self.n_reclaim)
    }

    /// Mean counted back-payment among households with one, euros.
    pub fn mean_backpay_among(&self) -> f64 {
        self.backpay_counted.mean_euros(self.n_backpay)
    }

    /// Share of recipient households among all households of the group.
    pub fn recipient_share(&self) -> f64 {
        ratio(self.n, self.n_all)
    }

    /// Quantile `q` (0–1) of reclaims among households with one: the exact order statistic
    /// (lower median convention: the value at rank ⌈q·n⌉).
    pub fn reclaim_quantile(&self, q: f64) -> Money {
        self.reclaims.quantile(q)
    }

    /// Mean reclaim as a share of monthly income among households with a reclaim.
    pub fn mean_reclaim_income_share(&self) -> f64 {
        if self.n_reclaim_income == 0 {
            return 0.0;
        }
        self.reclaim_income_bp as f64 / self.n_reclaim_income as f64 / 10_000.0
    }
}

/// Whole euros below this are counted in a dense array; larger or non-whole amounts in a map.
const DENSE_EUROS: usize = 16_384;

/// An exact histogram of money amounts (cents → count). Amounts are almost always whole euros
/// below €16,384, which are counted in a dense array (cheap to add and merge); anything else
/// goes to an ordered map. Iteration is in ascending order of amount either way.
///
/// The dense array grows to the largest whole-euro amount seen (in powers of two), so a
/// per-thread partial that sees only small reclaims allocates and merges only what it needs.
/// Equality compares counts, not the array's length.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct Histogram {
    dense: Vec<u64>,
    sparse: BTreeMap<i64, u64>,
}

impl PartialEq for Histogram {
    fn eq(&self, o: &Histogram) -> bool {
        let (short, long) = if self.dense.len() <= o.dense.len() {
            (&self.dense, &o.dense)
        } else {
            (&o.dense, &self.dense)
        };
        short.iter().zip(long.iter()).all(|(a, b)| a == b)
            && long[short.len()..].iter().all(|c| *c == 0)
            && self.sparse == o.sparse
    }
}

impl Eq for Histogram {}

impl Histogram {
    /// Counts one amount (cents).
    pub fn add(&mut self, cents: i64) {
        self.add_n(cents, 1);
    }

    /// Counts an amount `n` times.
    pub fn add_n(&mut self, cents: i64, n: u64) {
        if cents >= 0 && cents % 100 == 0 && ((cents / 100) as usize) < DENSE_EUROS {
            let i = (cents / 100) as usize;
            if i >= self.dense.len() {
                self.dense
                    .resize((i + 1).next_power_of_two().clamp(256, DENSE_EUROS), 0);
            }
            self.dense[i] += n;
        } else {
            *self.sparse.entry(cents).or_insert(0) += n;
        }
    }

    /// Adds another histogram's counts.
    pub fn merge(&mut self, o: &Histogram) {
        if !o.dense.is_empty() {
            if self.dense.is_empty() {
                self.dense = o.dense.clone();
            } else {
                if self.dense.len() < o.dense.len() {
                    self.dense.resize(o.dense.len(), 0);
                }
                for (a, b) in self.dense.iter_mut().zip(&o.dense) {
                    *a += b;
                }
            }
        }
        for (k, v) in &o.sparse {
            *self.sparse.entry(*k).or_insert(0) += v;
        }
    }

    /// (cents, count) pairs with count > 0, ascending by amount.
    pub fn iter(&self) -> impl Iterator<Item = (i64, u64)> + Clone + '_ {
        let negative = self.sparse.range(..0).map(|(k, v)| (*k, *v));
        let dense = self
            .dense
            .iter()
            .enumerate()
            .filter(|(_, c)| **c > 0)
            .map(|(e, c)| (e as i64 * 100, *c));
        // Non-negative sparse amounts: non-whole euros interleave with the dense ones.
        let rest: Vec<(i64, u64)> = self.sparse.range(0..).map(|(k, v)| (*k, *v)).collect();
        merge_sorted(negative.chain(dense), rest)
    }

    /// Total count.
    pub fn total(&self) -> u64 {
        self.dense.iter().sum::<u64>() + self.sparse.values().sum::<u64>()
    }

    /// The value at rank ⌈q·n⌉ (1-based); 0 when empty.
    pub fn quantile(&self, q: f64) -> Money {
        let n = self.total();
        if n == 0 {
            return Money::ZERO;
        }
        let rank = ((q * n as f64).ceil() as u64).clamp(1, n);
        let mut seen = 0;
        let mut last = 0;
        for (v, c) in self.iter() {
            seen += c;
            last = v;
            if seen >= rank {
                return Money(v);
            }
        }
        Money(last)
    }
}

impl FromIterator<(i64, u64)> for Histogram {
    fn from_iter<T: IntoIterator<Item = (i64, u64)>>(iter: T) -> Self {
        let mut h = Histogram::default();
        for (k, n) in iter {
            h.add_n(k, n);
        }
        h
    }
}

fn merge_sorted<'a>(
    a: impl Iterator<Item = (i64, u64)> + Clone + 'a,
    b: Vec<(i64, u64)>,
) -> impl Iterator<Item = (i64, u64)> + Clone + 'a {
    let mut a = a.peekable();
    let mut b = b.into_iter().peekable();
    std::iter::from_fn(move || match (a.peek(), b.peek()) {
        (Some(x), Some(y)) => {
            if x.0 <= y.0 {
                a.next()
            } else {
                b.next()
            }
        }
        (Some(_), None) => a.next(),
        (None, Some(_)) => b.next(),
        (None, None) => None,
    })
    .collect::<Vec<_>>()
    .into_iter()
}

/// Quantile of an exact histogram: the value at rank ⌈q·n⌉ (1-based), 0 when empty.
pub fn histogram_quantile(h: &BTreeMap<i64, u64>, q: f64) -> Money {
    let n: u64 = h.values().sum();
    if n == 0 {
        return Money::ZERO;
    }
    let rank = ((q * n as f64).ceil() as u64).clamp(1, n);
    let mut seen = 0;
    for (v, c) in h {
        seen += c;
        if seen >= rank {
            return Money(*v);
        }
    }
    Money(*h.keys().next_back().unwrap_or(&0))
}

/// `a / b` as a share (0 when `b` is 0): the one division behind every share of households.
pub fn ratio(a: u64, b: u64) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

/// The few statistics of a subgroup that its effect needs (recipient households only).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SubgroupStats {
    /// Recipient households.
    pub n: u64,
    /// With a collected reclaim.
    pub n_reclaim: u64,
    /// Collected reclaim (zeros included).
    pub reclaim: MoneySum,
    /// Advances withheld against the full advance (zeros included).
    pub withheld: MoneySum,
    /// Back-payments paid (zeros included).
    pub backpay: MoneySum,
    /// Net settlement: back-payment − collected reclaim.
    pub net: MoneySum,
}

impl SubgroupStats {
    fn add(&mut self, o: &Outcome) {
        if o.recipient {
            self.n += 1;
            self.n_reclaim += u64::from(o.reclaim > Money::ZERO);
            self.reclaim.add(o.reclaim);
            self.withheld.add(o.withheld);
            self.backpay.add(o.backpay);
            self.net.add(o.net_settlement());
        }
    }

    /// Adds a household that receives benefit `b`: its reclaim on that benefit only.
    fn add_benefit(&mut self, o: &Outcome, b: usize) {
        let r = o.reclaim_by_benefit[b];
        self.n += 1;
        self.n_reclaim += u64::from(r > Money::ZERO);
        self.reclaim.add(r);
    }

    /// Merges another group's statistics.
    pub fn merge(&mut self, o: &SubgroupStats) {
        self.n += o.n;
        self.n_reclaim += o.n_reclaim;
        self.reclaim.merge(&o.reclaim);
        self.withheld.merge(&o.withheld);
        self.backpay.merge(&o.backpay);
        self.net.merge(&o.net);
    }
}

/// Everything accumulated for one arm.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ArmAccumulator {
    /// All households of the arm (derived by [`ArmAccumulator::finish`]).
    pub total: GroupStats,
    /// By household type.
    pub by_type: [GroupStats; N_TYPES],
    /// By employment type ([`crate::model::scenario::EMPLOYMENT_TYPES`]).
    pub by_employment: [SubgroupStats; N_EMPLOYMENT],
    /// By income bin ([`income_bin`]; [`INCOME_BINS`] entries).
    pub by_income: Vec<SubgroupStats>,
    /// Per benefit: the recipient households that receive it, with their reclaim on that
    /// benefit (a household with several benefits is in several groups).
    pub by_benefit: [SubgroupStats; crate::rules::N_BENEFITS],
    /// Households that took the offer, by chosen whole percentage 0–100.
    #[serde(with = "percent_counts")]
    pub percentages: [u64; 101],
    /// Σ advances paid per month (cents; an i64 holds 9 × 10¹⁶ cents).
    pub month_paid: [i64; 12],
    /// Σ actual entitlement per month (cents).
    pub month_entitled: [i64; 12],
    /// Take-up of the benefits, benefit households and new entrants.
    pub take_up: crate::analysis::take_up::TakeUpStats,
    /// What the arm's interventions did (all zero in an arm without interventions).
    pub interventions: InterventionCounts,
}

impl ArmAccumulator {
    /// An empty accumulator for `k` high-reclaim thresholds.
    pub fn new(k: usize) -> Self {
        ArmAccumulator {
            total: GroupStats::new(k),
            by_type: std::array::from_fn(|_| GroupStats::new(k)),
            by_employment: Default::default(),
            by_income: vec![SubgroupStats::default(); INCOME_BINS],
            by_benefit: Default::default(),
            percentages: [0; 101],
            month_paid: [0; 12],
            month_entitled: [0; 12],
            take_up: Default::default(),
            interventions: InterventionCounts::default(),
        }
    }

    /// Adds one household outcome. Only the household-type group is updated; [`Self::finish`]
    /// derives the arm total from the groups (half the work per household).
    pub fn add(
        &mut self,
        o: &Outcome,
        year: &Year,
        thresholds: &[Money],
        backpay_threshold: Money,
    ) {
        self.by_type[o.household_type as usize].add(o, thresholds, backpay_threshold);
        self.take_up.add(o);
        self.by_employment[o.employment as usize].add(o);
        self.by_income[income_bin(o.income)].add(o);
        if o.recipient && o.receives != 0 {
            for (b, g) in self.by_benefit.iter_mut().enumerate() {
                if o.receives_benefit(b) {
                    g.add_benefit(o, b);
                }
            }
        }
        if o.took_offer {
            let p =
                (o.percentage.0 / (crate::model::money::RATE_SCALE / 100)).clamp(0, 100) as usize;
            self.percentages[p] += 1;
        }
        for m in 0..12 {
            self.month_paid[m] += o.paid_by_month[m].0;
            self.month_entitled[m] += year.monthly_entitlement[m].0;
        }
        self.interventions.add(&o.interventions);
    }

    /// Sets `total` to the merge of the household-type groups. Call once, after the last
    /// [`Self::add`] or [`Self::merge`].
    pub fn finish(&mut self) {
        let mut total = GroupStats::new(self.total.n_high.len());
        for g in &self.by_type {
            total.merge(g);
        }
        self.total = total;
    }

    /// Merges another accumulator (exact; order does not matter).
    pub fn merge(&mut self, o: &ArmAccumulator) {
        for (a, b) in self.by_type.iter_mut().zip(&o.by_type) {
            a.merge(b);
        }
        for (a, b) in self.by_employment.iter_mut().zip(&o.by_employment) {
            a.merge(b);
        }
        for (a, b) in self.by_income.iter_mut().zip(&o.by_income) {
            a.merge(b);
        }
        for (a, b) in self.by_benefit.iter_mut().zip(&o.by_benefit) {
            a.merge(b);
        }
        for i in 0..101 {
            self.percentages[i] += o.percentages[i];
        }
        self.take_up.merge(&o.take_up);
        for m in 0..12 {
            self.month_paid[m] += o.month_paid[m];
            self.month_entitled[m] += o.month_entitled[m];
        }
        self.interventions.merge(&o.interventions);
    }
}

/// `[u64; 101]` as a list of 101 counts in a partial state (serde derives arrays up to 32 only).
mod percent_counts {
    use serde::{de::Error as _, Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<S: Serializer>(a: &[u64; 101], s: S) -> Result<S::Ok, S::Error> {
        a.as_slice().serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<[u64; 101], D::Error> {
        let v = Vec::<u64>::deserialize(d)?;
        let n = v.len();
        v.try_into()
            .map_err(|_| D::Error::invalid_length(n, &"101 counts, one per whole percentage"))
    }
}

/// A subgroup's within-household comparison (paired design, recipient households).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PairedSubgroup {
    /// Recipient households.
    pub n: u64,
    /// With a reclaim under both arms.
    pub both: u64,
    /// With a reclaim under the reference arm only.
    pub control_only: u64,
    /// With a reclaim under the compared arm only.
    pub treatment_only: u64,
    /// Compared − reference reclaim.
    pub reclaim_diff: MoneySum,
    /// Compared − reference advance withheld.
    pub withheld_diff: MoneySum,
    /// Compared − reference back-payment.
    pub backpay_diff: MoneySum,
    /// Compared − reference net settlement.
    pub net_diff: MoneySum,
    /// Households with more / less cash in the benefit year under the compared arm (its
    /// advances paid, net of in-year corrections, differ by more than
    /// [`CASH_CHANGE_THRESHOLD`]).
    pub in_year: CashChangeCounts,
    /// Households with more / less cash over the year and its settlement under the compared
    /// arm (advances + back-payment − collected reclaim differ by more than
    /// [`CASH_CHANGE_THRESHOLD`]).
    pub settled: CashChangeCounts,
}

/// A change in a household's cash smaller than this (either way) counts as unchanged in the
/// winners-and-losers counts: €10, a rounding-sized amount over a year. Stated with every
/// table and chart that uses it.
pub const CASH_CHANGE_THRESHOLD: Money = Money(1_000);

/// Households better and worse off in cash (the rest of the group is unchanged).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct CashChangeCounts {
    /// More cash under the compared arm, by more than the threshold.
    pub better: u64,
    /// Less cash under the compared arm, by more than the threshold.
    pub worse: u64,
}

impl CashChangeCounts {
    fn add(&mut self, diff: Money) {
        self.better += u64::from(diff > CASH_CHANGE_THRESHOLD);
        self.worse += u64::from(diff < -CASH_CHANGE_THRESHOLD);
    }

    fn merge(&mut self, o: &CashChangeCounts) {
        self.better += o.better;
        self.worse += o.worse;
    }
}

impl PairedSubgroup {
    fn add(&mut self, c: &Outcome, t: &Outcome) {
        let (cr, tr) = (c.reclaim > Money::ZERO, t.reclaim > Money::ZERO);
        self.n += 1;
        self.both += u64::from(cr && tr);
        self.control_only += u64::from(cr && !tr);
        self.treatment_only += u64::from(!cr && tr);
        self.reclaim_diff.add(t.reclaim - c.reclaim);
        self.withheld_diff.add(t.withheld - c.withheld);
        self.backpay_diff.add(t.backpay - c.backpay);
        self.net_diff.add(t.net_settlement() - c.net_settlement());
        self.in_year.add(t.advances - c.advances);
        self.settled
            .add((t.advances + t.net_settlement()) - (c.advances + c.net_settlement()));
    }

    /// Adds a household that receives benefit `b` under the reference arm: its reclaims on
    /// that benefit only.
    fn add_benefit(&mut self, c: &Outcome, t: &Outcome, b: usize) {
        let (cm, tm) = (c.reclaim_by_benefit[b], t.reclaim_by_benefit[b]);
        let (cr, tr) = (cm > Money::ZERO, tm > Money::ZERO);
        self.n += 1;
        self.both += u64::from(cr && tr);
        self.control_only += u64::from(cr && !tr);
        self.treatment_only += u64::from(!cr && tr);
        self.reclaim_diff.add(tm - cm);
    }

    /// Merges another group's comparison.
    pub fn merge(&mut self, o: &PairedSubgroup) {
        self.n += o.n;
        self.both += o.both;
        self.control_only += o.control_only;
        self.treatment_only += o.treatment_only;
        self.reclaim_diff.merge(&o.reclaim_diff);
        self.withheld_diff.merge(&o.withheld_diff);
        self.backpay_diff.merge(&o.backpay_diff);
        self.net_diff.merge(&o.net_diff);
        self.in_year.merge(&o.in_year);
        self.settled.merge(&o.settled);
    }
}

/// Within-household comparison of a treatment arm with control (paired design), over recipient
/// households (a household is a recipient in every arm or in none). The same accumulator
/// compares two treatment arms (the first in the place of control).
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct PairedAccumulator {
    /// Recipient households.
    pub n: u64,
    /// Reclaim in control but not in treatment (McNemar b).
    pub control_only: u64,
    /// Reclaim in treatment but not in control (McNemar c).
    pub treatment_only: u64,
    /// Per high threshold: (control only, treatment only).
    pub high_discordant: Vec<(u64, u64)>,
    /// Back-payment discordant pairs: (control only, treatment only).
    pub backpay_discordant: (u64, u64),
    /// Treatment − control reclaim.
    pub reclaim_diff: MoneySum,
    /// Treatment − control back-payment.
    pub backpay_diff: MoneySum,
    /// Treatment − control withheld.
    pub withheld_diff: MoneySum,
    /// Treatment − control |gap|.
    pub abs_gap_diff: MoneySum,
    /// Treatment − control repayment instalment.
    pub burden_diff: MoneySum,
    /// Households that took the offer.
    pub n_took: u64,
    /// Among those who took it: treatment − control reclaim.
    pub took_reclaim_diff: MoneySum,
    /// Among those who took it: their reclaim under control.
    pub took_control_reclaim: MoneySum,
    /// Among those who took it: (control only, treatment only) reclaim pairs.
    pub took_discordant: (u64, u64),
    /// Among those who took it: households with a reclaim in control / in treatment.
    pub took_reclaims: (u64, u64),
    /// By household type.
    pub by_type: [PairedSubgroup; N_TYPES],
    /// By employment type.
    pub by_employment: [PairedSubgroup; N_EMPLOYMENT],
    /// Per benefit, over the households that receive it under the reference arm.
    pub by_benefit: [PairedSubgroup; crate::rules::N_BENEFITS],
    /// Per benefit, the same households' reclaims on it under the reference arm (`[0]`) and
    /// the compared arm (`[1]`): an arm can change who receives a benefit, so the compared
    /// arm's own receivers would be another population.
    pub by_benefit_arms: [[SubgroupStats; 2]; crate::rules::N_BENEFITS],
    /// By income bin ([`income_bin`]; empty until the first household).
    pub by_income: Vec<PairedSubgroup>,
    /// Keep the pairs of reclaims for the paired bootstrap of medians (arm vs control only).
    pub keep_pairs: bool,
    /// The households' pairs of reclaims (with `keep_pairs`), bounded.
    pub pairs: crate::analysis::paired_bootstrap::PairSample,
}

impl PairedAccumulator {
    /// Adds one household's control and treatment outcomes.
    pub fn add(&mut self, c: &Outcome, t: &Outcome, thresholds: &[Money]) {
        if self.high_discordant.len() != thresholds.len() {
            self.high_discordant = vec![(0, 0); thresholds.len()];
        }
        if !c.recipient {
            return;
        }
        self.n += 1;
        let (cr, tr) = (c.reclaim > Money::ZERO, t.reclaim > Money::ZERO);
        self.control_only += u64::from(cr && !tr);
        self.treatment_only += u64::from(!cr && tr);
        for (i, th) in thresholds.iter().enumerate() {
            let (ch, thh) = (c.reclaim > *th, t.reclaim > *th);
            self.high_discordant[i].0 += u64::from(ch && !thh);
            self.high_discordant[i].1 += u64::from(!ch && thh);
        }
        let (cb, tb) = (
            c.backpay_counted > Money::ZERO,
            t.backpay_counted > Money::ZERO,
        );
        self.backpay_discordant.0 += u64::from(cb && !tb);
        self.backpay_discordant.1 += u64::from(!cb && tb);
        self.reclaim_diff.add(t.reclaim - c.reclaim);
        self.backpay_diff.add(t.backpay - c.backpay);
        self.withheld_diff.add(t.withheld - c.withheld);
        let gap = |o: &Outcome| Money((o.definitive - o.advances).0.abs());
        self.abs_gap_diff.add(gap(t) - gap(c));
        self.burden_diff
            .add(t.repayment_monthly - c.repayment_monthly);
        if t.took_offer {
            self.n_took += 1;
            self.took_reclaim_diff.add(t.reclaim - c.reclaim);
            self.took_control_reclaim.add(c.reclaim);
            self.took_discordant.0 += u64::from(cr && !tr);
            self.took_discordant.1 += u64::from(!cr && tr);
            self.took_reclaims.0 += u64::from(cr);
            self.took_reclaims.1 += u64::from(tr);
        }
        self.by_type[c.household_type as usize].add(c, t);
        self.by_employment[c.employment as usize].add(c, t);
        if c.receives != 0 {
            for (b, g) in self.by_benefit.iter_mut().enumerate() {
                if c.receives_benefit(b) {
                    g.add_benefit(c, t, b);
                    self.by_benefit_arms[b][0].add_benefit(c, b);
                    self.by_benefit_arms[b][1].add_benefit(t, b);
                }
            }
        }
        if self.by_income.is_empty() {
            self.by_income = vec![PairedSubgroup::default(); INCOME_BINS];
        }
        self.by_income[income_bin(c.income)].add(c, t);
        if self.keep_pairs {
            self.pairs.add(c, t);
        }
    }

    /// Merges another accumulator.
    pub fn merge(&mut self, o: &PairedAccumulator) {
        if self.high_discordant.len() < o.high_discordant.len() {
            self.high_discordant.resize(o.high_discordant.len(), (0, 0));
        }
        self.n += o.n;
        self.control_only += o.control_only;
        self.treatment_only += o.treatment_only;
        for (a, b) in self.high_discordant.iter_mut().zip(&o.high_discordant) {
            a.0 += b.0;
            a.1 += b.1;
        }
        self.backpay_discordant.0 += o.backpay_discordant.0;
        self.backpay_discordant.1 += o.backpay_discordant.1;
        self.reclaim_diff.merge(&o.reclaim_diff);
        self.backpay_diff.merge(&o.backpay_diff);
        self.withheld_diff.merge(&o.withheld_diff);
        self.abs_gap_diff.merge(&o.abs_gap_diff);
        self.burden_diff.merge(&o.burden_diff);
        self.n_took += o.n_took;
        self.took_reclaim_diff.merge(&o.took_reclaim_diff);
        self.took_control_reclaim.merge(&o.took_control_reclaim);
        self.took_discordant.0 += o.took_discordant.0;
        self.took_discordant.1 += o.took_discordant.1;
        self.took_reclaims.0 += o.took_reclaims.0;
        self.took_reclaims.1 += o.took_reclaims.1;
        for (a, b) in self.by_type.iter_mut().zip(&o.by_type) {
            a.merge(b);
        }
        for (a, b) in self.by_employment.iter_mut().zip(&o.by_employment) {
            a.merge(b);
        }
        for (a, b) in self.by_benefit.iter_mut().zip(&o.by_benefit) {
            a.merge(b);
        }
        for (a, b) in self.by_benefit_arms.iter_mut().zip(&o.by_benefit_arms) {
            a[0].merge(&b[0]);
            a[1].merge(&b[1]);
        }
        if self.by_income.len() < o.by_income.len() {
            self.by_income
                .resize(o.by_income.len(), PairedSubgroup::default());
        }
        for (a, b) in self.by_income.iter_mut().zip(&o.by_income) {
            a.merge(b);
        }
        self.pairs.merge(&o.pairs);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantile_is_the_order_statistic() {
        let mut h = BTreeMap::new();
        for v in [100, 200, 300, 400] {
            h.insert(v, 1);
        }
        assert_eq!(histogram_quantile(&h, 0.5), Money(200));
        assert_eq!(histogram_quantile(&h, 0.9), Money(400));
        assert_eq!(histogram_quantile(&BTreeMap::new(), 0.5), Money::ZERO);
    }

    #[test]
    fn histogram_dense_and_sparse_agree_with_a_map() {
        let values = [100, 250, 200, 5_000_000, 100, 0, 1_638_300, 1_638_400, -300];
        let mut h = Histogram::default();
        let mut m = BTreeMap::new();
        for v in values {
            h.add(v);
            *m.entry(v).or_insert(0u64) += 1;
        }
        assert_eq!(
            h.iter().collect::<Vec<_>>(),
            m.iter().map(|(k, v)| (*k, *v)).collect::<Vec<_>>()
        );
        for q in [0.1, 0.5, 0.9, 1.0] {
            assert_eq!(h.quantile(q), histogram_quantile(&m, q));
        }
        let mut h2 = h.clone();
        h2.merge(&h);
        assert_eq!(h2.total(), 2 * values.len() as u64);
    }

    #[test]
    fn variance_matches_textbook() {
        let mut s = MoneySum::default();
        for x in [2, 4, 4, 4, 5, 5, 7, 9] {
            s.add(Money::euros(x));
        }
        assert!((s.mean_euros(8) - 5.0).abs() < 1e-12);
        assert!((s.var_euros(8) - 32.0 / 7.0).abs() < 1e-9);
    }
}
