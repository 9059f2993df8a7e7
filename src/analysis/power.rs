//! Pilot sizes and power: households per arm a real randomized pilot needs to detect the
//! simulated effect, with the uncertainty of that effect.
//!
//! The test is the two-sided two-sample test of proportions in the normal approximation with
//! the pooled variance under "no difference" (Fleiss, Levin & Paik, *Statistical Methods for
//! Rates and Proportions*, 3rd ed. 2003, §4.2, without continuity correction). With `n`
//! households per arm, shares `p1` and `p2`, `d = p2 − p1`, `p̄ = (p1 + p2)/2`,
//! `s0 = √(2 p̄ (1 − p̄))`, `s1 = √(p1 (1 − p1) + p2 (1 − p2))` and `z = Φ⁻¹(1 − α/2)`:
//!
//! ```text
//! power(n) = Φ((|d|√n − z s0) / s1) + Φ((−|d|√n − z s0) / s1)
//! ```
//!
//! ([`power_two_proportions`]; statsmodels' `power_proportions_2indep` computes the same).
//! [`crate::analysis::inference::sample_size_two_proportions`] is the classic closed form that
//! solves the first term alone for the power, `n = ⌈(z s0 + z_β s1)² / d²⌉`; the second term
//! (rejecting in the wrong direction) is at most `Φ(−2z − z_β)` (since `s0 ≥ s1`), below 10⁻⁶
//! at 80% power and 5%, so the power at that `n` reaches the target and the power at `n − 1`
//! does not (checked in the tests over a grid of shares; at a 50% target the far tail, up to
//! 4·10⁻⁵, can lift `n − 1` just over it).
//!
//! An effect simulated from a sample is uncertain, and so is the pilot size computed from it:
//! [`pilot_range`] gives the size for the point effect and for the bounds of its 95% interval,
//! [`pilot_range_across`] the range across replications, and [`power_curve`] the power against
//! households per arm with the band of the interval. The same pilot size is also in
//! [`sample_size_means`] for a difference in means. Reference values:
//! `scripts/reference-power.py`.
//!
//! Must not: run simulations or format output.

use crate::analysis::inference::sample_size_two_proportions;
use serde::Serialize;
use statrs::distribution::{ContinuousCDF, Normal};

/// Two-sided significance level of the pilot sizes toeslagenlab reports (5%).
pub const PILOT_ALPHA: f64 = 0.05;

/// Power of the pilot sizes toeslagenlab reports (80%).
pub const PILOT_POWER: f64 = 0.8;

/// Households per arm to detect a difference in means `delta` with common standard deviation
/// `sd` (two-sample, normal approximation).
pub fn sample_size_means(delta: f64, sd: f64, alpha: f64, power: f64) -> Option<u64> {
    if delta == 0.0 || !sd.is_finite() || sd <= 0.0 {
        return None;
    }
    let n = Normal::new(0.0, 1.0).ok()?;
    let z = n.inverse_cdf(1.0 - alpha / 2.0) + n.inverse_cdf(power);
    Some((2.0 * (z * sd / delta).powi(2)).ceil() as u64)
}

/// A share: finite and within [0, 1].
fn is_share(p: f64) -> bool {
    (0.0..=1.0).contains(&p)
}

/// The power of the two-sided two-sample test of proportions (the formula in the module docs)
/// with `n_per_arm` households in each arm and true shares `p1` and `p2`, at significance
/// `alpha`. Equal shares give `alpha` (the test's size); shares 0 and 1 give 1; no households
/// give 0. `None` when a share is not within [0, 1] or `alpha` not strictly between 0 and 1.
pub fn power_two_proportions(p1: f64, p2: f64, n_per_arm: u64, alpha: f64) -> Option<f64> {
    let alpha_ok = alpha > 0.0 && alpha < 1.0;
    if !is_share(p1) || !is_share(p2) || !alpha_ok {
        return None;
    }
    if n_per_arm == 0 {
        return Some(0.0);
    }
    let d = (p2 - p1).abs();
    if d == 0.0 {
        return Some(alpha);
    }
    let s1 = (p1 * (1.0 - p1) + p2 * (1.0 - p2)).sqrt();
    if s1 == 0.0 {
        return Some(1.0);
    }
    let normal = Normal::new(0.0, 1.0).ok()?;
    let z = normal.inverse_cdf(1.0 - alpha / 2.0);
    let pbar = (p1 + p2) / 2.0;
    let s0 = (2.0 * pbar * (1.0 - pbar)).sqrt();
    let shift = d * (n_per_arm as f64).sqrt();
    let power = normal.cdf((shift - z * s0) / s1) + normal.cdf((-shift - z * s0) / s1);
    Some(power.clamp(0.0, 1.0))
}

/// Households per arm for `power` at `alpha` between shares `p1` and `p2` in [0, 1]:
/// [`sample_size_two_proportions`], which takes shares below 1, on the complements when a
/// share is 1 (the formula is symmetric in `p ↔ 1 − p`).
fn households_for(p1: f64, p2: f64, alpha: f64, power: f64) -> Option<u64> {
    if !is_share(p1) || !is_share(p2) {
        None
    } else if p1 == 1.0 || p2 == 1.0 {
        sample_size_two_proportions(1.0 - p1, 1.0 - p2, alpha, power)
    } else {
        sample_size_two_proportions(p1, p2, alpha, power)
    }
}

/// The pilot size is the range over the 95% interval of the effect ([`pilot_range`]).
pub const BASIS_INTERVAL: &str = "95% interval of the effect";
/// The effect had no interval: only the point pilot size is known ([`pilot_range`]).
pub const BASIS_POINT: &str = "point estimate only (no interval of the effect)";
/// The pilot size is the range across replications ([`pilot_range_across`]).
pub const BASIS_REPLICATIONS: &str = "minimum to maximum across replications";

/// A pilot size with its uncertainty: households per arm a two-arm randomized pilot needs.
///
/// `None` in `point` means the simulated effect is zero (no pilot can detect it). With
/// [`BASIS_INTERVAL`] and [`BASIS_REPLICATIONS`], `high: None` means *unbounded*: the
/// simulation cannot exclude no effect (the interval contains 0, or a replication found none);
/// `low: None` means no bound gave a size at all. With [`BASIS_POINT`] both are `None`: there
/// was nothing to take them from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PilotRange {
    /// Households per arm for the point effect.
    pub point: Option<u64>,
    /// The smallest size: for the interval bound farther from 0 (or the smallest replication).
    pub low: Option<u64>,
    /// The largest size: for the bound nearer 0 (or the largest replication); `None` =
    /// unbounded, see the type's docs.
    pub high: Option<u64>,
    /// Where `low` and `high` come from: [`BASIS_INTERVAL`], [`BASIS_POINT`] or
    /// [`BASIS_REPLICATIONS`].
    pub basis: &'static str,
}

/// A usable interval of the difference: finite bounds in order.
fn valid_interval(diff_ci: Option<(f64, f64)>) -> Option<(f64, f64)> {
    diff_ci.filter(|(lo, hi)| lo.is_finite() && hi.is_finite() && lo <= hi)
}

/// The treatment share at difference `d` from the control share, kept within [0, 1].
fn share_at(p_control: f64, d: f64) -> f64 {
    (p_control + d).clamp(0.0, 1.0)
}

/// The pilot size for shares `p_control` and `p_treat` at two-sided `alpha` and `power`, with
/// its range over the interval `diff_ci = (lo, hi)` of the difference `p_treat − p_control`
/// (e.g. [`crate::analysis::intervals::newcombe_unpaired`]'s 95% interval).
///
/// `point` is [`sample_size_two_proportions`] at the point shares (what summary.json has
/// reported as the pilot size). Each bound `b` gives the size for the treatment share
/// `p_control + b` (kept within [0, 1]): the bound farther from 0 the smallest size (`low`),
/// the bound nearer 0 the largest (`high`), which is `None` (unbounded) when the interval
/// contains 0: a pilot may then need any size, since the simulation cannot exclude no effect.
/// An absent or unusable interval (not finite, bounds out of order) gives [`BASIS_POINT`].
pub fn pilot_range(
    p_control: f64,
    p_treat: f64,
    diff_ci: Option<(f64, f64)>,
    alpha: f64,
    power: f64,
) -> PilotRange {
    let point = households_for(p_control, p_treat, alpha, power);
    let Some((lo, hi)) = valid_interval(diff_ci) else {
        return PilotRange {
            point,
            low: None,
            high: None,
            basis: BASIS_POINT,
        };
    };
    let at = |d: f64| households_for(p_control, share_at(p_control, d), alpha, power);
    let (n_lo, n_hi) = (at(lo), at(hi));
    let contains_zero = lo <= 0.0 && 0.0 <= hi;
    let low = match (n_lo, n_hi) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    };
    let high = if contains_zero {
        None
    } else {
        n_lo.zip(n_hi).map(|(a, b)| a.max(b))
    };
    PilotRange {
        point,
        low,
        high,
        basis: BASIS_INTERVAL,
    }
}

/// The pilot size `point` (of the main run) with its range across replications: the smallest
/// and the largest of `values`, one pilot size per replication (the main run's included).
/// A replication without a size (no effect) makes `high` unbounded (`None`); `low` is the
/// smallest size found, `None` when there is none.
pub fn pilot_range_across(point: Option<u64>, values: &[Option<u64>]) -> PilotRange {
    let sizes = values.iter().flatten();
    PilotRange {
        point,
        low: sizes.clone().min().copied(),
        high: if values.iter().any(Option::is_none) {
            None
        } else {
            sizes.max().copied()
        },
        basis: BASIS_REPLICATIONS,
    }
}

/// One point of a power curve: the power at a pilot size for the point effect and its band.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct PowerPoint {
    /// Households per arm of the pilot.
    pub households_per_arm: u64,
    /// Power for the point effect, 0 to 1.
    pub power: f64,
    /// The lowest power over the effect's interval: at the bound nearer 0, or `alpha` when the
    /// interval contains 0 (a pilot of no true effect rejects at the test's size). Equal to
    /// `power` without an interval.
    pub power_low: f64,
    /// The highest power over the effect's interval: at the bound farther from 0. Equal to
    /// `power` without an interval.
    pub power_high: f64,
}

/// The power at `n` households per arm for the shares `p_control` and `p_treat`, with its band
/// over the interval `diff_ci` of `p_treat − p_control` (as in [`pilot_range`]): the lower and
/// higher of the powers at the two bounds, the lower being `alpha` when the interval contains
/// 0. `None` for shares outside [0, 1] or `alpha` not strictly between 0 and 1.
pub fn power_at(
    p_control: f64,
    p_treat: f64,
    diff_ci: Option<(f64, f64)>,
    n: u64,
    alpha: f64,
) -> Option<PowerPoint> {
    let power = power_two_proportions(p_control, p_treat, n, alpha)?;
    let (mut power_low, mut power_high) = (power, power);
    if let Some((lo, hi)) = valid_interval(diff_ci) {
        let at = |d: f64| power_two_proportions(p_control, share_at(p_control, d), n, alpha);
        let (a, b) = (at(lo)?, at(hi)?);
        power_low = if lo <= 0.0 && 0.0 <= hi {
            power_two_proportions(p_control, p_control, n, alpha)?
        } else {
            a.min(b)
        };
        power_high = a.max(b);
    }
    Some(PowerPoint {
        households_per_arm: n,
        power,
        power_low: power_low.min(power_high),
        power_high,
    })
}

/// A power curve's grid starts here, or lower when a pilot size is smaller
/// ([`curve_grid`]).
pub const GRID_MIN: u64 = 50;
/// The grid never starts below this many households per arm.
pub const GRID_FLOOR: u64 = 2;
/// The grid reaches at least this many households per arm.
pub const GRID_MIN_MAX: u64 = 10_000;
/// The grid never goes beyond this many households per arm (above any possible pilot).
pub const GRID_CAP: u64 = 100_000_000;
/// Points of a power curve's grid (before removing duplicates).
pub const GRID_POINTS: usize = 40;

/// `x` rounded to two significant digits (`1234.5` → `1200`), at least 1.
fn two_digits(x: f64) -> u64 {
    if x.is_nan() || x < 1.0 {
        return 1;
    }
    let scale = 10f64.powi((x.log10().floor() as i32 - 1).max(0));
    ((x / scale).round() * scale) as u64
}

/// `n` rounded up to two significant digits (`1234` → `1300`).
fn two_digits_up(n: u64) -> u64 {
    let mut scale = 1;
    while n / scale >= 100 {
        scale *= 10;
    }
    n.div_ceil(scale).saturating_mul(scale)
}

/// Households per arm for a power curve: [`GRID_POINTS`] log-spaced sizes from `from` (kept
/// within [`GRID_FLOOR`] to [`GRID_MIN`]) to `to` (kept within [`GRID_MIN_MAX`] to
/// [`GRID_CAP`], rounded up to two significant digits), the sizes between rounded to two
/// significant digits; increasing, without duplicates, deterministic.
pub fn households_grid(from: u64, to: u64) -> Vec<u64> {
    let from = from.clamp(GRID_FLOOR, GRID_MIN);
    let to = two_digits_up(to.clamp(GRID_MIN_MAX, GRID_CAP));
    let (lo, hi) = ((from as f64).ln(), (to as f64).ln());
    let mut grid = vec![from];
    grid.extend((1..GRID_POINTS - 1).map(|i| {
        let t = i as f64 / (GRID_POINTS - 1) as f64;
        two_digits((lo + t * (hi - lo)).exp())
    }));
    grid.push(to);
    grid.dedup();
    grid
}

/// One grid for the power curves of several arms (so they share their x values), covering
/// every arm's pilot sizes: from half the smallest size of any range (its `low`, else its
/// `point`; at most [`GRID_MIN`]) to 4 times the largest point size or the largest `high`,
/// whichever is larger (at least [`GRID_MIN_MAX`]); see [`households_grid`].
pub fn curve_grid(ranges: &[PilotRange]) -> Vec<u64> {
    let from = ranges
        .iter()
        .filter_map(|r| r.low.or(r.point))
        .map(|n| n / 2)
        .min()
        .unwrap_or(GRID_MIN);
    let to = ranges
        .iter()
        .map(|r| {
            let point = r.point.unwrap_or(0).saturating_mul(4);
            point.max(r.high.unwrap_or(0))
        })
        .max()
        .unwrap_or(0);
    households_grid(from, to)
}

/// The power curve of a pilot for shares `p_control` and `p_treat` with the band of the
/// interval `diff_ci` of their difference ([`power_at`]) at two-sided `alpha`, one point per
/// size of `grid` (e.g. [`curve_grid`] of the arms' [`pilot_range`]s). Empty for shares
/// outside [0, 1] or `alpha` not strictly between 0 and 1.
pub fn power_curve(
    p_control: f64,
    p_treat: f64,
    diff_ci: Option<(f64, f64)>,
    alpha: f64,
    grid: &[u64],
) -> Vec<PowerPoint> {
    grid.iter()
        .map_while(|&n| power_at(p_control, p_treat, diff_ci, n, alpha))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn means_sample_size_textbook() {
        // δ = 0.5 sd, α 0.05, power 0.8 → 2·(2.8016/0.5)² = 62.79 → 63 per group
        assert_eq!(sample_size_means(0.5, 1.0, 0.05, 0.8), Some(63));
        assert_eq!(sample_size_means(0.0, 1.0, 0.05, 0.8), None);
    }

    fn close(a: f64, b: f64) {
        assert!((a - b).abs() < 1e-9, "{a} vs {b}");
    }

    #[test]
    fn power_matches_the_reference_script() {
        // scripts/reference-power.py (hand formula = statsmodels power_proportions_2indep).
        let cases = [
            (0.30, 0.20, 294, 0.05, 0.801138779605),
            (0.30, 0.20, 293, 0.05, 0.799797418679),
            (0.30, 0.20, 100, 0.05, 0.371161520005),
            (0.311, 0.180, 150, 0.05, 0.75301750557),
            (0.05, 0.03, 1000, 0.05, 0.626524468831),
            (0.05, 0.03, 1000, 0.01, 0.384366119789),
            (0.02, 0.06, 50, 0.05, 0.173881462831),
            (0.5, 0.49, 10000, 0.05, 0.293003542535),
        ];
        for (p1, p2, n, alpha, want) in cases {
            close(power_two_proportions(p1, p2, n, alpha).unwrap(), want);
            // The test is two-sided: the direction does not matter.
            close(power_two_proportions(p2, p1, n, alpha).unwrap(), want);
        }
    }

    #[test]
    fn power_edge_cases() {
        assert_eq!(power_two_proportions(0.3, 0.3, 500, 0.05), Some(0.05));
        assert_eq!(power_two_proportions(0.0, 1.0, 5, 0.05), Some(1.0));
        assert_eq!(power_two_proportions(0.3, 0.2, 0, 0.05), Some(0.0));
        assert_eq!(power_two_proportions(0.3, 1.2, 10, 0.05), None);
        assert_eq!(power_two_proportions(f64::NAN, 0.2, 10, 0.05), None);
        assert_eq!(power_two_proportions(0.3, 0.2, 10, 0.0), None);
        assert_eq!(power_two_proportions(0.3, 0.2, 10, 1.0), None);
        // A huge pilot detects any difference.
        assert!(power_two_proportions(0.3, 0.2999, u64::MAX, 0.05).unwrap() > 0.999);
    }

    #[test]
    fn power_is_consistent_with_the_sample_size() {
        // Over a grid of shares, the power at the returned size reaches 80% and at one
        // household fewer it does not (the sample size drops the far rejection tail).
        let shares = [
            0.001, 0.01, 0.05, 0.1, 0.18, 0.2, 0.3, 0.311, 0.45, 0.5, 0.7, 0.9, 0.99,
        ];
        for &p1 in &shares {
            for &p2 in &shares {
                if p1 == p2 {
                    continue;
                }
                // At 50% power the far tail (up to Φ(−2z) = 4·10⁻⁵) can lift n − 1 over the
                // target: allowed for there, not at the powers a pilot is planned for.
                for (alpha, target, slack) in
                    [(0.05, 0.8, 0.0), (0.01, 0.9, 0.0), (0.05, 0.5, 1e-4)]
                {
                    let n = sample_size_two_proportions(p1, p2, alpha, target).unwrap();
                    let at = |n| power_two_proportions(p1, p2, n, alpha).unwrap();
                    assert!(at(n) >= target, "{p1} {p2} {alpha} n={n}: {}", at(n));
                    if n > 1 {
                        let below = at(n - 1);
                        assert!(below < target + slack, "{p1} {p2} {alpha} n={n}: {below}");
                    }
                }
            }
        }
        // The reference script's sizes.
        assert_eq!(
            sample_size_two_proportions(0.311, 0.18, 0.05, 0.8),
            Some(169)
        );
        assert_eq!(
            sample_size_two_proportions(0.311, 0.1769, 0.05, 0.8),
            Some(160)
        );
        assert_eq!(
            sample_size_two_proportions(0.311, 0.1831, 0.05, 0.8),
            Some(178)
        );
        assert_eq!(
            sample_size_two_proportions(0.05, 0.03, 0.05, 0.8),
            Some(1506)
        );
    }

    #[test]
    fn range_over_an_interval_that_excludes_zero() {
        // 31.1% → 18.0%, difference −0.131 with interval (−0.1341, −0.1279): the bound farther
        // from 0 gives the smaller pilot (reference script: 160 and 178 households).
        let r = pilot_range(0.311, 0.18, Some((-0.1341, -0.1279)), 0.05, 0.8);
        assert_eq!(
            r,
            PilotRange {
                point: Some(169),
                low: Some(160),
                high: Some(178),
                basis: BASIS_INTERVAL,
            }
        );
        // An increase: the upper bound is the one farther from 0.
        let r = pilot_range(0.18, 0.311, Some((0.1279, 0.1341)), 0.05, 0.8);
        let n = |p2| sample_size_two_proportions(0.18, p2, 0.05, 0.8);
        assert_eq!((r.low, r.point, r.high), (n(0.3141), n(0.311), n(0.3079)));
        assert!(r.low < r.point && r.point < r.high);
    }

    #[test]
    fn an_interval_containing_zero_is_unbounded() {
        let r = pilot_range(0.30, 0.28, Some((-0.05, 0.01)), 0.05, 0.8);
        assert_eq!(r.basis, BASIS_INTERVAL);
        assert_eq!(r.high, None);
        let low = r.low.unwrap();
        assert_eq!(
            Some(low),
            sample_size_two_proportions(0.30, 0.25, 0.05, 0.8)
        );
        assert!(low < r.point.unwrap());
        // A bound at 0 exactly: unbounded as well; a zero point effect has no point size.
        let r = pilot_range(0.30, 0.30, Some((0.0, 0.02)), 0.05, 0.8);
        assert_eq!((r.point, r.high), (None, None));
        assert!(r.low.is_some());
    }

    #[test]
    fn without_a_usable_interval_only_the_point() {
        for ci in [None, Some((0.1, -0.1)), Some((f64::NAN, 0.1))] {
            let r = pilot_range(0.30, 0.20, ci, 0.05, 0.8);
            assert_eq!(
                r,
                PilotRange {
                    point: Some(294),
                    low: None,
                    high: None,
                    basis: BASIS_POINT,
                }
            );
        }
        // Shares at the edges do not fail: a bound past 100% is kept at 100%.
        let r = pilot_range(0.90, 0.99, Some((0.05, 0.2)), 0.05, 0.8);
        assert!(r.low.unwrap() <= r.point.unwrap() && r.point <= r.high);
        assert_eq!(pilot_range(2.0, 0.5, None, 0.05, 0.8).point, None);
    }

    #[test]
    fn range_across_replications() {
        let r = pilot_range_across(Some(300), &[Some(300), Some(77), Some(2068), Some(512)]);
        assert_eq!((r.low, r.point, r.high), (Some(77), Some(300), Some(2068)));
        assert_eq!(r.basis, BASIS_REPLICATIONS);
        let r = pilot_range_across(Some(300), &[Some(300), None, Some(90)]);
        assert_eq!((r.low, r.high), (Some(90), None));
        let r = pilot_range_across(None, &[None, None]);
        assert_eq!((r.low, r.point, r.high), (None, None, None));
        assert_eq!(pilot_range_across(None, &[]).low, None);
    }

    #[test]
    fn grid_is_log_spaced_nice_and_deterministic() {
        let g = households_grid(GRID_MIN, 0);
        assert_eq!(g.first(), Some(&GRID_MIN));
        assert_eq!(g.last(), Some(&GRID_MIN_MAX));
        assert!(g.len() >= 35 && g.len() <= GRID_POINTS, "{g:?}");
        assert!(g.windows(2).all(|w| w[0] < w[1]), "{g:?}");
        for &n in &g {
            let digits = n.to_string();
            assert!(
                digits.trim_end_matches('0').len() <= 2,
                "{n} is not two digits"
            );
        }
        assert_eq!(g, households_grid(GRID_MIN, 0));
        assert_eq!(households_grid(1000, 40_000).first(), Some(&GRID_MIN));
        assert_eq!(households_grid(0, 40_000).first(), Some(&GRID_FLOOR));
        assert_eq!(households_grid(7, 40_001).last(), Some(&41_000));
        assert_eq!(households_grid(7, u64::MAX).last(), Some(&GRID_CAP));
        let g = households_grid(GRID_FLOOR, GRID_CAP);
        assert!(g.windows(2).all(|w| w[0] < w[1]), "{g:?}");
        assert_eq!(two_digits(1234.5), 1200);
        assert_eq!(two_digits(0.2), 1);
        assert_eq!(two_digits_up(1234), 1300);
        assert_eq!(two_digits_up(1200), 1200);
        assert_eq!(two_digits_up(57), 57);
    }

    #[test]
    fn one_grid_covers_every_arms_range() {
        let a = pilot_range(0.311, 0.18, Some((-0.1341, -0.1279)), 0.05, 0.8);
        assert_eq!(
            curve_grid(std::slice::from_ref(&a)),
            households_grid(GRID_MIN, 0)
        );
        let b = pilot_range(0.30, 0.25, Some((-0.2, -0.002)), 0.05, 0.8);
        let c = pilot_range(0.30, 0.01, Some((-0.35, -0.2)), 0.05, 0.8);
        let g = curve_grid(&[a, b.clone(), c.clone()]);
        assert_eq!(g.first(), Some(&(c.low.unwrap() / 2)));
        assert!(*g.last().unwrap() >= b.high.unwrap());
        assert_eq!(curve_grid(&[]), households_grid(GRID_MIN, 0));
    }

    #[test]
    fn curve_rises_through_the_target_inside_its_band() {
        let ci = Some((-0.1341, -0.1279));
        let grid = households_grid(GRID_MIN, 0);
        let c = power_curve(0.311, 0.18, ci, 0.05, &grid);
        assert_eq!(c.len(), grid.len());
        assert!(c.windows(2).all(|w| w[0].power <= w[1].power));
        for p in &c {
            assert!(p.power_low <= p.power && p.power <= p.power_high, "{p:?}");
            assert!((0.0..=1.0).contains(&p.power_low) && p.power_high <= 1.0);
        }
        let at = |n| power_at(0.311, 0.18, ci, n, 0.05).unwrap();
        assert!(at(169).power >= 0.8 && at(168).power < 0.8);
        assert!(at(160).power_high >= 0.8 && at(159).power_high < 0.8);
        assert!(at(178).power_low >= 0.8 && at(177).power_low < 0.8);
        // An interval containing 0: the band reaches down to the test's size.
        let p = power_at(0.30, 0.28, Some((-0.05, 0.01)), 1000, 0.05).unwrap();
        assert_eq!(p.power_low, 0.05);
        // Without an interval there is no band.
        let c = power_curve(0.30, 0.29, None, 0.05, &grid);
        assert!(c
            .iter()
            .all(|p| p.power_low == p.power && p.power_high == p.power));
        assert!(power_curve(0.3, 1.5, None, 0.05, &grid).is_empty());
    }
}
