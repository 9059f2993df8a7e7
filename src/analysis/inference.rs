//! Statistical tests and confidence intervals for arm comparisons (statrs distributions).
//!
//! statrs 0.19 has distributions but no Welch or two-proportion test; they are built here on
//! `StudentsT` and `Normal`, and checked against textbook examples in the tests.

use serde::Serialize;
use statrs::distribution::{ContinuousCDF, Normal, StudentsT};

/// An estimated difference with its uncertainty.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Estimate {
    /// Treatment − control.
    pub difference: f64,
    /// Lower bound of the 95% confidence interval.
    pub ci_low: f64,
    /// Upper bound of the 95% confidence interval.
    pub ci_high: f64,
    /// Two-sided p-value of "no difference".
    pub p_value: f64,
    /// The method, named for the report.
    pub method: &'static str,
}

/// The 97.5% quantile of the standard normal (1.959964…).
pub(crate) fn z975() -> f64 {
    Normal::new(0.0, 1.0)
        .map(|n| n.inverse_cdf(0.975))
        .unwrap_or(1.959963984540054)
}

/// The two-sided normal p-value of a z statistic (1 for NaN, 0 for ±∞).
pub(crate) fn normal_p(z: f64) -> f64 {
    if !z.is_finite() {
        return if z.is_nan() { 1.0 } else { 0.0 };
    }
    match Normal::new(0.0, 1.0) {
        Ok(n) => (2.0 * n.sf(z.abs())).min(1.0),
        Err(_) => 1.0,
    }
}

/// Above this many degrees of freedom the Student t is replaced by its large-sample limit.
///
/// statrs' `StudentsT::inverse_cdf` searches numerically: its result drifts from about 1e5
/// degrees of freedom on (−1.2·10⁻⁴ off at 5·10⁵, below the normal quantile, which a t quantile
/// never is) and it does not finish at all for the ~1.5·10⁷ of a 15 M household paired run.
/// Up to this threshold (every shipped scenario: at most 200,000 households, so at most
/// 199,999 degrees of freedom) statrs is used unchanged, so their results stay as they were.
/// Above it:
/// - the 97.5% quantile is the Cornish–Fisher expansion `z + (z³ + z)/(4ν) + (5z⁵ + 16z³ +
///   3z)/(96ν²)` (Abramowitz & Stegun 26.7.5), whose next term is below 3·10⁻¹⁶ at ν = 2·10⁵;
///   the plain normal quantile would be 1.2·10⁻⁵ too small there;
/// - the p-value is the normal one, `2·(1 − Φ(|t|))`: its absolute error is below 10⁻⁶ at
///   ν = 2·10⁵ (the tails differ by about `φ(t)·(t³ + t)/(4ν)`) and shrinks as 1/ν.
///
/// Both are closed forms: no iteration, whatever the number of households.
pub const T_NORMAL_LIMIT_DF: f64 = 2.0e5;

/// The two-sided p-value and 97.5% quantile of a Student t with `df` degrees of freedom.
pub(crate) fn t_p_and_crit(t: f64, df: f64) -> (f64, f64) {
    if df > T_NORMAL_LIMIT_DF {
        let z = z975();
        let crit = z
            + (z.powi(3) + z) / (4.0 * df)
            + (5.0 * z.powi(5) + 16.0 * z.powi(3) + 3.0 * z) / (96.0 * df * df);
        return (normal_p(t), crit);
    }
    match StudentsT::new(0.0, 1.0, df) {
        Ok(d) => {
            let p = if t.is_finite() {
                (2.0 * d.sf(t.abs())).min(1.0)
            } else {
                0.0
            };
            (p, d.inverse_cdf(0.975))
        }
        Err(_) => (1.0, f64::NAN),
    }
}

/// Why a comparison cannot be estimated: then it has no difference, interval or p-value.
#[derive(Clone, Debug, PartialEq)]
pub struct NotEstimable {
    /// The reason, for the report: `n = 0`, `n = 1` or `no variation`.
    pub reason: String,
    /// The method that could not be applied.
    pub method: &'static str,
}

impl std::fmt::Display for NotEstimable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "not estimable ({})", self.reason)
    }
}

/// An estimate, or why there is none.
pub type Estimated = Result<Estimate, NotEstimable>;

/// `Err` when the smaller group has fewer than two households (no variance, no test).
fn enough(n_c: u64, n_t: u64, method: &'static str) -> Result<(), NotEstimable> {
    let n = n_c.min(n_t);
    if n < 2 {
        return Err(NotEstimable {
            reason: format!("n = {n}"),
            method,
        });
    }
    Ok(())
}

/// A zero standard error: "no difference" when the difference is 0 (every value equal in
/// both groups), else not estimable (a test would divide by zero).
fn degenerate(diff: f64, method: &'static str) -> Estimated {
    if diff == 0.0 {
        Ok(Estimate {
            difference: diff,
            ci_low: diff,
            ci_high: diff,
            p_value: 1.0,
            method,
        })
    } else {
        Err(NotEstimable {
            reason: "no variation".into(),
            method,
        })
    }
}

/// Two independent proportions (randomized design): Wald 95% CI on the difference and the
/// pooled two-proportion z-test. Not estimable when a group has fewer than two households.
pub fn two_proportions(x_c: u64, n_c: u64, x_t: u64, n_t: u64) -> Estimated {
    const METHOD: &str = "two-proportion z-test (pooled), Wald CI";
    enough(n_c, n_t, METHOD)?;
    let (nc, nt) = (n_c as f64, n_t as f64);
    let (pc, pt) = (x_c as f64 / nc, x_t as f64 / nt);
    let diff = pt - pc;
    let se = (pc * (1.0 - pc) / nc + pt * (1.0 - pt) / nt).sqrt();
    let pooled = (x_c + x_t) as f64 / (nc + nt);
    let se0 = (pooled * (1.0 - pooled) * (1.0 / nc + 1.0 / nt)).sqrt();
    let p = if se0 > 0.0 {
        normal_p(diff / se0)
    } else {
        return degenerate(diff, METHOD);
    };
    let z = z975();
    Ok(Estimate {
        difference: diff,
        ci_low: diff - z * se,
        ci_high: diff + z * se,
        p_value: p,
        method: METHOD,
    })
}

/// Paired proportions (paired design): McNemar's test on the discordant pairs
/// (`b` = yes in control only, `c` = yes in treatment only) and the Wald CI of the paired
/// difference `(c − b) / n`. Not estimable for fewer than two pairs.
pub fn mcnemar(b: u64, c: u64, n: u64) -> Estimated {
    const METHOD: &str = "McNemar test on discordant pairs, Wald CI of the paired difference";
    enough(n, n, METHOD)?;
    let nf = n as f64;
    let (bf, cf) = (b as f64, c as f64);
    let diff = (cf - bf) / nf;
    let se = ((bf + cf) - (cf - bf).powi(2) / nf).max(0.0).sqrt() / nf;
    let p = if b + c == 0 {
        1.0
    } else {
        // McNemar χ² (1 df, no continuity correction) = z², z = (c − b)/√(b + c).
        normal_p((cf - bf) / (bf + cf).sqrt())
    };
    let z = z975();
    Ok(Estimate {
        difference: diff,
        ci_low: diff - z * se,
        ci_high: diff + z * se,
        p_value: p,
        method: METHOD,
    })
}

/// Welch's unequal-variance t-test of two means (randomized design). Not estimable when a
/// group has fewer than two households, or when neither group varies but the means differ.
pub fn welch(mean_c: f64, var_c: f64, n_c: u64, mean_t: f64, var_t: f64, n_t: u64) -> Estimated {
    const METHOD: &str = "Welch t-test";
    enough(n_c, n_t, METHOD)?;
    let (nc, nt) = (n_c as f64, n_t as f64);
    let diff = mean_t - mean_c;
    let (a, b) = (var_c / nc, var_t / nt);
    let se = (a + b).sqrt();
    if se == 0.0 {
        return degenerate(diff, METHOD);
    }
    let df = (a + b).powi(2) / (a * a / (nc - 1.0) + b * b / (nt - 1.0));
    let t = diff / se;
    let (p, crit) = t_p_and_crit(t, df);
    Ok(Estimate {
        difference: diff,
        ci_low: diff - crit * se,
        ci_high: diff + crit * se,
        p_value: p,
        method: METHOD,
    })
}

/// [`welch`] on two exact sums of euro amounts in cents (the mean and variance of each arm's
/// `n` households).
pub fn welch_of(
    c: &crate::analysis::accumulators::MoneySum,
    n_c: u64,
    t: &crate::analysis::accumulators::MoneySum,
    n_t: u64,
) -> Estimated {
    welch(
        c.mean_euros(n_c),
        c.var_euros(n_c),
        n_c,
        t.mean_euros(n_t),
        t.var_euros(n_t),
        n_t,
    )
}

/// The t statistic and degrees of freedom of Welch's test (for tests and reports).
pub fn welch_t_df(
    mean_c: f64,
    var_c: f64,
    n_c: u64,
    mean_t: f64,
    var_t: f64,
    n_t: u64,
) -> (f64, f64) {
    let (nc, nt) = (n_c as f64, n_t as f64);
    let (a, b) = (var_c / nc, var_t / nt);
    let df = (a + b).powi(2) / (a * a / (nc - 1.0) + b * b / (nt - 1.0));
    ((mean_t - mean_c) / (a + b).sqrt(), df)
}

/// Paired t-test of a mean within-household difference (paired design). Not estimable for
/// fewer than two pairs, or when every pair differs by the same non-zero amount.
pub fn paired_t(mean_d: f64, var_d: f64, n: u64) -> Estimated {
    const METHOD: &str = "paired t-test";
    enough(n, n, METHOD)?;
    let nf = n as f64;
    let se = (var_d / nf).sqrt();
    if se == 0.0 {
        return degenerate(mean_d, METHOD);
    }
    let (p, crit) = t_p_and_crit(mean_d / se, nf - 1.0);
    Ok(Estimate {
        difference: mean_d,
        ci_low: mean_d - crit * se,
        ci_high: mean_d + crit * se,
        p_value: p,
        method: METHOD,
    })
}

/// Households per arm a two-arm pilot needs to detect a difference between two proportions at
/// two-sided significance `alpha` with power `power` (normal approximation).
pub fn sample_size_two_proportions(p1: f64, p2: f64, alpha: f64, power: f64) -> Option<u64> {
    let d = (p1 - p2).abs();
    if d <= 0.0 || !(0.0..1.0).contains(&p1) || !(0.0..1.0).contains(&p2) {
        return None;
    }
    let n = Normal::new(0.0, 1.0).ok()?;
    let za = n.inverse_cdf(1.0 - alpha / 2.0);
    let zb = n.inverse_cdf(power);
    let pbar = (p1 + p2) / 2.0;
    let num =
        za * (2.0 * pbar * (1.0 - pbar)).sqrt() + zb * (p1 * (1.0 - p1) + p2 * (1.0 - p2)).sqrt();
    Some((num * num / (d * d)).ceil() as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mean_var(x: &[f64]) -> (f64, f64) {
        let n = x.len() as f64;
        let m = x.iter().sum::<f64>() / n;
        (
            m,
            x.iter().map(|v| (v - m).powi(2)).sum::<f64>() / (n - 1.0),
        )
    }

    #[test]
    fn welch_matches_wikipedia_worked_example() {
        // Wikipedia "Welch's t-test", example 1: t = −2.4554, df = 24.989, p = 0.02138 (for
        // A1 − A2; we report treatment − control, so control = A2 and treatment = A1).
        let a1 = [
            27.5, 21.0, 19.0, 23.6, 17.0, 17.9, 16.9, 20.1, 21.9, 22.6, 23.1, 19.6, 19.0, 21.7,
            21.4,
        ];
        let a2 = [
            27.1, 22.0, 20.8, 23.4, 23.4, 23.5, 25.8, 22.0, 24.8, 20.2, 21.9, 22.1, 22.9, 20.5,
            24.4,
        ];
        let (m1, v1) = mean_var(&a1);
        let (m2, v2) = mean_var(&a2);
        let (t, df) = welch_t_df(m2, v2, 15, m1, v1, 15);
        assert!((t - -2.4554).abs() < 1e-4, "{t}");
        assert!((df - 24.989).abs() < 1e-3, "{df}");
        let e = welch(m2, v2, 15, m1, v1, 15).unwrap();
        assert!((e.p_value - 0.02138).abs() < 1e-5, "{}", e.p_value);
        assert!(e.ci_low < e.difference && e.difference < e.ci_high && e.ci_high < 0.0);
    }

    #[test]
    fn two_proportion_textbook() {
        // 45/100 vs 30/100: pooled p = 0.375, z = 0.15 / √(0.375·0.625·0.02) = 2.1909, p = 0.02846
        let e = two_proportions(45, 100, 30, 100).unwrap();
        assert!((e.difference + 0.15).abs() < 1e-12);
        assert!((e.p_value - 0.028459).abs() < 1e-5, "{}", e.p_value);
    }

    #[test]
    fn mcnemar_textbook() {
        // b = 25, c = 10: χ² = 15²/35 = 6.4286, p = 0.01123
        let e = mcnemar(25, 10, 200).unwrap();
        assert!((e.p_value - 0.011230).abs() < 1e-5, "{}", e.p_value);
        assert!((e.difference + 0.075).abs() < 1e-12);
    }

    #[test]
    fn paired_t_textbook() {
        // d = [1, 2, 3, 4, 5]: mean 3, var 2.5, t = 3/√0.5 = 4.2426, df 4, p = 0.01324
        let e = paired_t(3.0, 2.5, 5).unwrap();
        assert!((e.p_value - 0.013236).abs() < 1e-5, "{}", e.p_value);
        // CI 3 ± 2.7764·0.7071 = [1.0367, 4.9633]
        assert!((e.ci_low - 1.03676).abs() < 1e-4, "{}", e.ci_low);
    }

    #[test]
    fn groups_of_zero_or_one_are_not_estimable() {
        let reason = |e: Estimated| e.unwrap_err().to_string();
        assert_eq!(
            reason(two_proportions(3, 10, 0, 0)),
            "not estimable (n = 0)"
        );
        assert_eq!(
            reason(two_proportions(3, 10, 1, 1)),
            "not estimable (n = 1)"
        );
        assert_eq!(
            reason(welch(1.0, 2.0, 0, 1.0, 2.0, 50)),
            "not estimable (n = 0)"
        );
        assert_eq!(reason(paired_t(1.0, 2.0, 1)), "not estimable (n = 1)");
        assert_eq!(reason(mcnemar(0, 0, 0)), "not estimable (n = 0)");
        // Constant, different groups: a test would divide by zero.
        assert_eq!(
            reason(welch(1.0, 0.0, 9, 2.0, 0.0, 9)),
            "not estimable (no variation)"
        );
        assert_eq!(
            reason(paired_t(5.0, 0.0, 9)),
            "not estimable (no variation)"
        );
        // Constant, equal groups: no difference (as before).
        let e = paired_t(0.0, 0.0, 9).unwrap();
        assert_eq!(
            (e.difference, e.ci_low, e.ci_high, e.p_value),
            (0.0, 0.0, 0.0, 1.0)
        );
    }

    /// The largest accepted inputs (50 M households per arm, paired and randomized) finish at
    /// once: no numeric search on huge degrees of freedom.
    #[test]
    fn huge_degrees_of_freedom_are_closed_form_and_fast() {
        let n = 50_000_000;
        let started = std::time::Instant::now();
        let e = paired_t(0.01, 4.0, n).unwrap();
        let w = welch(10.0, 4.0, n, 10.01, 9.0, n).unwrap();
        let s = two_proportions(n / 3, n, n / 4, n).unwrap();
        let m = mcnemar(n / 10, n / 9, n).unwrap();
        assert!(
            started.elapsed().as_secs_f64() < 0.5,
            "{:?}",
            started.elapsed()
        );
        for x in [&e, &w, &s, &m] {
            assert!(
                x.ci_low.is_finite() && x.ci_high.is_finite() && x.ci_low < x.ci_high,
                "{x:?}"
            );
            assert!((0.0..=1.0).contains(&x.p_value), "{x:?}");
        }
        // CI half-width = quantile × se; the quantile is just above the normal one.
        let crit = (e.ci_high - e.difference) / (4.0 / n as f64).sqrt();
        assert!(crit > z975() && crit - z975() < 1e-7, "{crit}");
    }

    /// Just above the threshold the expansion continues statrs' t quantile (where statrs is
    /// still accurate) and is exact to 1e-12 against the textbook values.
    #[test]
    fn t_quantile_expansion_agrees_with_statrs_where_statrs_is_accurate() {
        for df in [1.0e3, 1.0e4, 5.0e4] {
            let exact = StudentsT::new(0.0, 1.0, df).unwrap().inverse_cdf(0.975);
            let z = z975();
            let cf = z
                + (z.powi(3) + z) / (4.0 * df)
                + (5.0 * z.powi(5) + 16.0 * z.powi(3) + 3.0 * z) / (96.0 * df * df);
            assert!((cf - exact).abs() < 1e-6, "df {df}: {cf} vs {exact}");
        }
        // The t(1000) 97.5% quantile is 1.962339 (tables).
        let (_, crit) = t_p_and_crit(0.0, 1.0e3);
        assert!((crit - 1.962339).abs() < 1e-6, "{crit}");
        let (p, crit) = t_p_and_crit(1.959963984540054, 1.0e9);
        assert!(
            (p - 0.05).abs() < 1e-8 && (crit - z975()).abs() < 1e-8,
            "{p} {crit}"
        );
    }

    #[test]
    fn sample_size_classic() {
        // p1 = 0.30, p2 = 0.20, α = 0.05, power 0.8 → 294 per group (Fleiss without correction)
        assert_eq!(
            sample_size_two_proportions(0.30, 0.20, 0.05, 0.8),
            Some(294)
        );
    }
}

/// Number of bootstrap resamples for medians.
pub const BOOTSTRAP_RESAMPLES: usize = 1000;

/// Percentile-bootstrap 95% CI of the difference of medians (treatment − control) of two exact
/// histograms (value in cents → count). Each resample's median is drawn exactly as the median of
/// a with-replacement resample of the arm's households (see `resampled_median`: one Beta draw
/// and a search over the bins), so the cost does not grow with the number of households.
/// Seeded: the same inputs and seed give the same interval, whatever the thread count. The arms
/// are resampled independently (conservative for the paired design). Not estimable when an arm
/// has fewer than two values.
pub fn bootstrap_median_difference(
    control: &crate::analysis::accumulators::Histogram,
    treatment: &crate::analysis::accumulators::Histogram,
    seed: u64,
) -> Estimated {
    use rayon::prelude::*;
    const METHOD: &str = "percentile bootstrap (1,000 seeded resamples of each arm)";
    let c: Vec<(i64, u64)> = control.iter().collect();
    let t: Vec<(i64, u64)> = treatment.iter().collect();
    let nc: u64 = c.iter().map(|x| x.1).sum();
    let nt: u64 = t.iter().map(|x| x.1).sum();
    enough(nc, nt, METHOD)?;
    let observed = (treatment.quantile(0.5).0 - control.quantile(0.5).0) as f64 / 100.0;
    let (cv, ccum) = cumulative(&c);
    let (tv, tcum) = cumulative(&t);
    let (Some(c_order), Some(t_order)) = (median_order_law(nc), median_order_law(nt)) else {
        return Err(NotEstimable {
            reason: format!("n = {}", nc.min(nt)),
            method: METHOD,
        });
    };
    // One seeded stream per resample: the interval does not depend on the thread count.
    let mut diffs: Vec<f64> = (0..BOOTSTRAP_RESAMPLES as u64)
        .into_par_iter()
        .map(|r| {
            use rand::SeedableRng;
            let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(crate::sim::random::mix64(
                seed ^ 0xB007_57A9,
            ));
            rng.set_stream(r);
            resampled_median(&tv, &tcum, &t_order, &mut rng)
                - resampled_median(&cv, &ccum, &c_order, &mut rng)
        })
        .collect();
    diffs.sort_by(|a, b| a.total_cmp(b));
    let lo = diffs[(0.025 * BOOTSTRAP_RESAMPLES as f64) as usize];
    let hi = diffs[((0.975 * BOOTSTRAP_RESAMPLES as f64) as usize).min(BOOTSTRAP_RESAMPLES - 1)];
    // Two-sided bootstrap p-value: twice the smaller share of resampled differences on either
    // side of zero (bounded below by 1/(B+1)).
    let below = diffs.iter().filter(|d| **d <= 0.0).count() as f64;
    let above = diffs.iter().filter(|d| **d >= 0.0).count() as f64;
    let b = BOOTSTRAP_RESAMPLES as f64;
    let p = (2.0 * below.min(above) / b).clamp(1.0 / (b + 1.0), 1.0);
    Ok(Estimate {
        difference: observed,
        ci_low: lo,
        ci_high: hi,
        p_value: p,
        method: METHOD,
    })
}

/// The median of one resample of size `n`, with replacement, of a histogram (bin values `vals`,
/// bin `i` holding `cum[i+1] − cum[i]` of the `n` observations).
///
/// Drawn exactly and in constant time: a resample is `n` draws `F⁻¹(Uᵢ)` of independent uniforms
/// through the histogram's step quantile function, which is monotone, so its `k`-th smallest
/// value (`k = ⌈n/2⌉`, the lower median) is `F⁻¹(U₍ₖ₎)`, and the `k`-th order statistic of `n`
/// uniforms is Beta(k, n − k + 1). One Beta draw (`order`) and a binary search over the bins
/// therefore give the same law as drawing the `n` observations and sorting them, at a cost that
/// does not grow with the number of households (tested against brute-force resampling).
fn resampled_median<R: rand::Rng + ?Sized>(
    vals: &[i64],
    cum: &[u64],
    order: &rand_distr::Beta<f64>,
    rng: &mut R,
) -> f64 {
    use rand_distr::Distribution;
    let n = cum[cum.len() - 1];
    let position = order.sample(rng) * n as f64;
    // Bin j holds the positions cum[j] ≤ x < cum[j+1] (boundaries have probability zero).
    let bin = cum[1..]
        .partition_point(|c| (*c as f64) <= position)
        .min(vals.len() - 1);
    vals[bin] as f64 / 100.0
}

/// The law of the resampled median's position, see [`resampled_median`]: Beta(k, n − k + 1)
/// with `k = ⌈n/2⌉`.
/// `None` for an empty histogram (`n = 0`).
fn median_order_law(n: u64) -> Option<rand_distr::Beta<f64>> {
    let k = n.div_ceil(2).max(1);
    rand_distr::Beta::new(k as f64, n.checked_sub(k)? as f64 + 1.0).ok()
}

/// Bin values and cumulative counts (`cum[0] = 0`, `cum[i+1] = cum[i] + count of bin i`).
fn cumulative(h: &[(i64, u64)]) -> (Vec<i64>, Vec<u64>) {
    let mut cum = Vec::with_capacity(h.len() + 1);
    cum.push(0u64);
    for (_, c) in h {
        cum.push(cum[cum.len() - 1] + c);
    }
    (h.iter().map(|x| x.0).collect(), cum)
}

#[cfg(test)]
mod bootstrap_tests {
    use super::*;

    fn hist(values: &[(i64, u64)]) -> crate::analysis::accumulators::Histogram {
        values.iter().copied().collect()
    }

    #[test]
    fn bootstrap_is_seeded_and_covers_a_clear_shift() {
        // Control: values 100..=300 € (each 10 households); treatment: shifted down by 50 €.
        let c = hist(&(100..=300).map(|e| (e * 100, 10)).collect::<Vec<_>>());
        let t = hist(&(50..=250).map(|e| (e * 100, 10)).collect::<Vec<_>>());
        let a = bootstrap_median_difference(&c, &t, 7).unwrap();
        let one = hist(&[(500, 1)]);
        assert_eq!(
            bootstrap_median_difference(&c, &one, 7)
                .unwrap_err()
                .to_string(),
            "not estimable (n = 1)"
        );
        // 50 M households per arm: the same constant cost.
        let big = hist(&(1..=400).map(|e| (e * 100, 125_000)).collect::<Vec<_>>());
        let started = std::time::Instant::now();
        assert!(bootstrap_median_difference(&big, &big, 7).is_ok());
        assert!(
            started.elapsed().as_secs_f64() < 1.0,
            "{:?}",
            started.elapsed()
        );
        let b = bootstrap_median_difference(&c, &t, 7).unwrap();
        assert_eq!(a, b, "same seed, same interval");
        assert_eq!(a.difference, -50.0);
        assert!(a.ci_low <= -50.0 && -50.0 <= a.ci_high, "{a:?}");
        assert!(a.ci_high < 0.0 && a.p_value < 0.01, "{a:?}");
        // Identical distributions: the interval covers 0 and p is large.
        let e = bootstrap_median_difference(&c, &c, 7).unwrap();
        assert!(
            e.ci_low <= 0.0 && e.ci_high >= 0.0 && e.p_value > 0.2,
            "{e:?}"
        );
    }

    /// The one-draw resampled median has the law of the brute-force one (draw n observations
    /// with replacement, take the ⌈n/2⌉-th smallest): compared bin by bin over 20,000 draws
    /// each with a chi-square test, on a lopsided histogram with a small odd n.
    #[test]
    fn one_draw_median_matches_brute_force_resampling() {
        use rand::{RngExt, SeedableRng};
        let h: Vec<(i64, u64)> = vec![(100, 3), (200, 1), (350, 4), (400, 2), (900, 5)];
        let (vals, cum) = cumulative(&h);
        let n = cum[cum.len() - 1];
        let order = median_order_law(n).unwrap();
        assert!(median_order_law(0).is_none());
        let draws = 20_000;
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(11);
        let index = |v: f64| vals.iter().position(|x| *x as f64 / 100.0 == v).unwrap();
        let mut fast = vec![0u64; vals.len()];
        let mut brute = vec![0u64; vals.len()];
        for _ in 0..draws {
            fast[index(resampled_median(&vals, &cum, &order, &mut rng))] += 1;
            let mut sample: Vec<i64> = (0..n)
                .map(|_| {
                    let u = rng.random_range(0..n);
                    vals[cum[1..].partition_point(|c| *c <= u)]
                })
                .collect();
            sample.sort_unstable();
            brute[index(sample[n.div_ceil(2) as usize - 1] as f64 / 100.0)] += 1;
        }
        // Two-sample chi-square over the bins with counts, df = bins used − 1.
        let mut chi2 = 0.0;
        let mut df = -1.0;
        for (a, b) in fast.iter().zip(&brute) {
            if a + b > 0 {
                let (a, b) = (*a as f64, *b as f64);
                chi2 += (a - b).powi(2) / (a + b);
                df += 1.0;
            }
        }
        let p = statrs::distribution::ChiSquared::new(df)
            .map(|d| 1.0 - statrs::distribution::ContinuousCDF::cdf(&d, chi2))
            .unwrap();
        assert!(df >= 3.0, "the medians spread over several bins: {fast:?}");
        assert!(
            p > 0.001,
            "fast {fast:?} vs brute force {brute:?}: chi2 {chi2}, p {p}"
        );
    }
}
