//! The paired bootstrap of the difference of median reclaims (paired design): households are
//! resampled, each with its reclaim under both arms, so the interval keeps the correlation
//! between the arms that resampling each arm on its own ignores (an interval about 1.5× too
//! wide).
//!
//! The pairs are kept in a bounded, mergeable sample: the households with a reclaim under
//! either arm whose hashed id is among the [`PAIR_SAMPLE_CAP`] smallest. That set is the same
//! whatever the thread count or the order of merges, so the interval is reproducible. Below the
//! cap (every shipped scenario but the full-scale one) the sample is every such household and
//! the bootstrap is the plain paired percentile bootstrap. Above it, the bootstrap runs on the
//! sample and its spread is rescaled by √(sample / all) around the full-data difference: the
//! m-out-of-n bootstrap (Bickel, Götze & van Zwet 1997, Statistica Sinica 7:1), consistent for
//! medians, whose spread shrinks as 1/√n.
//!
//! Must not: format text, write files.

use crate::analysis::inference::{Estimate, Estimated, NotEstimable, BOOTSTRAP_RESAMPLES};
use crate::model::money::Money;
use crate::sim::engine::Outcome;

/// At most this many household pairs are kept for the paired bootstrap.
pub const PAIR_SAMPLE_CAP: usize = 50_000;

const METHOD: &str = "paired percentile bootstrap (1,000 seeded resamples of households, each \
                      with its reclaim under both arms)";
const METHOD_SUBSAMPLED: &str = "paired percentile bootstrap (1,000 seeded resamples of a \
     50,000-household subsample, spread rescaled by √(subsample / all): m-out-of-n bootstrap)";

/// A bounded sample of (control reclaim, treatment reclaim) pairs of recipient households with
/// a reclaim under either arm (cents), and their total number.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PairSample {
    /// (hashed household id, control reclaim, treatment reclaim); at most 2 × cap between
    /// prunings, the cap smallest hashes after [`PairSample::finish`].
    pairs: Vec<(u64, i64, i64)>,
    /// Recipient households with a reclaim under either arm.
    pub total: u64,
}

impl PairSample {
    /// Adds a recipient household's two outcomes (nothing when neither has a reclaim).
    pub fn add(&mut self, c: &Outcome, t: &Outcome) {
        if c.reclaim > Money::ZERO || t.reclaim > Money::ZERO {
            self.total += 1;
            // mix64 is a bijection: distinct households have distinct keys.
            let key = crate::sim::random::mix64(c.household_id ^ 0x9A12_ED5A_3B1E_0001);
            self.pairs.push((key, c.reclaim.0, t.reclaim.0));
            if self.pairs.len() >= 2 * PAIR_SAMPLE_CAP {
                self.prune();
            }
        }
    }

    /// Merges another sample (exact: the kept set does not depend on the order of merges).
    pub fn merge(&mut self, o: &PairSample) {
        self.total += o.total;
        self.pairs.extend_from_slice(&o.pairs);
        if self.pairs.len() >= 2 * PAIR_SAMPLE_CAP {
            self.prune();
        }
    }

    /// Keeps the cap smallest keys, sorted by key (so the sample's order is canonical).
    pub fn finish(&mut self) {
        self.prune();
        self.pairs.sort_unstable();
    }

    fn prune(&mut self) {
        if self.pairs.len() > PAIR_SAMPLE_CAP {
            self.pairs
                .select_nth_unstable_by_key(PAIR_SAMPLE_CAP - 1, |p| p.0);
            self.pairs.truncate(PAIR_SAMPLE_CAP);
        }
    }

    /// The pairs kept (after [`PairSample::finish`]).
    pub fn len(&self) -> usize {
        self.pairs.len()
    }

    /// No pair kept.
    pub fn is_empty(&self) -> bool {
        self.pairs.is_empty()
    }
}

/// The lower median (rank ⌈n/2⌉, as [`crate::analysis::accumulators::Histogram::quantile`])
/// of `v` in euros, reordering `v`; `None` when empty.
fn lower_median(v: &mut [i64]) -> Option<f64> {
    if v.is_empty() {
        return None;
    }
    let k = v.len().div_ceil(2) - 1;
    let (_, m, _) = v.select_nth_unstable(k);
    Some(*m as f64 / 100.0)
}

/// The lower median (rank ⌈n/2⌉, euros) of a resample: `order` holds (amount, pair index)
/// sorted by amount, `counts` how often each pair was drawn, `n` the drawn households in
/// `order`. `None` when none was drawn.
fn resampled_lower_median(order: &[(i64, u32)], counts: &[u32], n: u64) -> Option<f64> {
    if n == 0 {
        return None;
    }
    let rank = n.div_ceil(2);
    let mut seen = 0u64;
    for &(v, i) in order {
        seen += u64::from(counts[i as usize]);
        if seen >= rank {
            return Some(v as f64 / 100.0);
        }
    }
    None
}

/// The difference of median reclaims among households with one (treatment − control) of a
/// sample of pairs.
fn median_difference(
    pairs: &[(u64, i64, i64)],
    cs: &mut Vec<i64>,
    ts: &mut Vec<i64>,
) -> Option<f64> {
    cs.clear();
    ts.clear();
    for &(_, c, t) in pairs {
        if c > 0 {
            cs.push(c);
        }
        if t > 0 {
            ts.push(t);
        }
    }
    Some(lower_median(ts)? - lower_median(cs)?)
}

/// The paired percentile-bootstrap 95% interval of the difference of median reclaims among
/// households with one (treatment − control), from `n` recipient households and their sample of
/// pairs (finished). `observed` is the full-data difference (exact histograms). Each resample
/// draws `n` households with replacement: the number with a reclaim under either arm is
/// Binomial(n, total/n) (scaled to the sample when subsampled), drawn from the sample's pairs.
/// Seeded: one stream per resample, so the interval does not depend on the thread count. Not
/// estimable when an arm has fewer than two households with a reclaim.
pub fn paired_median_difference(
    sample: &PairSample,
    n: u64,
    observed: f64,
    seed: u64,
) -> Estimated {
    use rand::RngExt;
    use rand_distr::{Binomial, Distribution};
    use rayon::prelude::*;
    let method = if (sample.len() as u64) < sample.total {
        METHOD_SUBSAMPLED
    } else {
        METHOD
    };
    let pairs = &sample.pairs;
    let (nc, nt) = pairs.iter().fold((0u64, 0u64), |(a, b), p| {
        (a + u64::from(p.1 > 0), b + u64::from(p.2 > 0))
    });
    if nc.min(nt) < 2 || n == 0 || sample.total == 0 {
        return Err(NotEstimable {
            reason: format!("n = {}", nc.min(nt)),
            method,
        });
    }
    let s = pairs.len() as f64;
    let scale = (s / sample.total as f64).sqrt();
    // Households in the (sub)sample's population: n scaled like the pairs.
    let n_s = ((n as f64) * s / sample.total as f64).round().max(s) as u64;
    let (mut cs, mut ts) = (Vec::new(), Vec::new());
    let Some(observed_s) = median_difference(pairs, &mut cs, &mut ts) else {
        return Err(NotEstimable {
            reason: "n = 0".into(),
            method,
        });
    };
    let Ok(either) = Binomial::new(n_s, (s / n_s as f64).min(1.0)) else {
        return Err(NotEstimable {
            reason: "no variation".into(),
            method,
        });
    };
    // Each arm's households with a reclaim, sorted by amount: a resample's median is found by
    // walking this order with the resample's counts (no sorting or selection per resample).
    let order = |f: fn(&(u64, i64, i64)) -> i64| -> Vec<(i64, u32)> {
        let mut v: Vec<(i64, u32)> = pairs
            .iter()
            .enumerate()
            .filter(|(_, p)| f(p) > 0)
            .map(|(i, p)| (f(p), i as u32))
            .collect();
        v.sort_unstable();
        v
    };
    let (c_order, t_order) = (order(|p| p.1), order(|p| p.2));
    // Per pair, whether it has a reclaim under control (bit 0) and treatment (bit 1): one byte
    // a pair, so a draw reads a few cache lines less than the 24-byte pairs (the draws are the
    // bootstrap's cost; the same draws in the same order, so the same interval).
    let reclaims: Vec<u8> = pairs
        .iter()
        .map(|p| u8::from(p.1 > 0) | (u8::from(p.2 > 0) << 1))
        .collect();
    let mut diffs: Vec<f64> = (0..BOOTSTRAP_RESAMPLES as u64)
        .into_par_iter()
        .map_init(
            || vec![0u32; pairs.len()],
            |counts, r| {
                use rand::SeedableRng;
                let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(crate::sim::random::mix64(
                    seed ^ 0x9A12_B007,
                ));
                rng.set_stream(r);
                let m = either.sample(&mut rng) as usize;
                counts.fill(0);
                let (mut nc, mut nt) = (0u64, 0u64);
                for _ in 0..m {
                    let i = rng.random_range(0..pairs.len());
                    counts[i] += 1;
                    let r = reclaims[i];
                    nc += u64::from(r & 1);
                    nt += u64::from(r >> 1);
                }
                match (
                    resampled_lower_median(&c_order, counts, nc),
                    resampled_lower_median(&t_order, counts, nt),
                ) {
                    (Some(mc), Some(mt)) => observed + scale * ((mt - mc) - observed_s),
                    _ => f64::NAN,
                }
            },
        )
        .collect();
    diffs.retain(|d| d.is_finite());
    if diffs.len() < BOOTSTRAP_RESAMPLES / 2 {
        return Err(NotEstimable {
            reason: "too few households with a reclaim for the bootstrap".into(),
            method,
        });
    }
    diffs.sort_by(|a, b| a.total_cmp(b));
    let b = diffs.len();
    let lo = diffs[(0.025 * b as f64) as usize];
    let hi = diffs[((0.975 * b as f64) as usize).min(b - 1)];
    Ok(Estimate {
        difference: observed,
        ci_low: lo.min(observed),
        ci_high: hi.max(observed),
        p_value: f64::NAN,
        method,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outcome(id: u64, reclaim: i64) -> Outcome {
        Outcome {
            household_id: id,
            reclaim: Money(reclaim),
            ..Default::default()
        }
    }

    #[test]
    fn the_sample_does_not_depend_on_the_order_of_merges() {
        let mut whole = PairSample::default();
        let mut parts = vec![PairSample::default(); 7];
        for id in 0..(3 * PAIR_SAMPLE_CAP as u64) {
            let (c, t) = (
                outcome(id, (id % 97) as i64 * 100),
                outcome(id, (id % 89) as i64 * 100),
            );
            whole.add(&c, &t);
            parts[(id * 31 % 7) as usize].add(&c, &t);
        }
        let mut merged = PairSample::default();
        for p in parts.iter().rev() {
            merged.merge(p);
        }
        whole.finish();
        merged.finish();
        assert_eq!(whole, merged);
        assert_eq!(whole.len(), PAIR_SAMPLE_CAP);
        assert!(whole.total > whole.len() as u64);
    }

    #[test]
    fn identical_arms_give_an_interval_of_zero_width_around_zero() {
        // Treatment = control for every household: every paired resample has difference 0,
        // which the independent bootstrap would not give.
        let mut s = PairSample::default();
        for id in 0..2_000u64 {
            let o = outcome(id, 100 + (id % 500) as i64 * 100);
            s.add(&o, &o);
        }
        s.finish();
        let e = paired_median_difference(&s, 4_000, 0.0, 7).unwrap();
        assert_eq!((e.ci_low, e.ci_high), (0.0, 0.0));
    }

    #[test]
    fn a_shift_is_found_with_a_narrow_interval() {
        // Treatment = control − €50 for everyone with a reclaim above €50.
        let mut s = PairSample::default();
        for id in 0..5_000u64 {
            let c = 10_000 + (id % 1_000) as i64 * 100;
            s.add(&outcome(id, c), &outcome(id, c - 5_000));
        }
        s.finish();
        let e = paired_median_difference(&s, 5_000, -50.0, 3).unwrap();
        assert!(e.ci_low <= -50.0 && -50.0 <= e.ci_high, "{e:?}");
        assert!(e.ci_high - e.ci_low < 5.0, "{e:?}");
        // Too few reclaims: not estimable.
        let mut one = PairSample::default();
        one.add(&outcome(1, 100), &outcome(1, 0));
        one.finish();
        assert!(paired_median_difference(&one, 10, 0.0, 1).is_err());
    }
}
