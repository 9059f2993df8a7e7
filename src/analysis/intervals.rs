//! Intervals and tests that stay honest at small counts: score intervals, exact tests, a
//! multiple-comparison correction and the complier average causal effect.
//!
//! The Wald interval and the asymptotic tests of [`crate::analysis::inference`] fail where a
//! report is most likely to be quoted: rare shares (a reclaim above €5,000) in a few hundred
//! households, and a handful of discordant pairs. This module holds the replacements, as pure
//! functions of counts (`u64`) and moments (`f64`), without I/O:
//!
//! | quantity | interval | test | reference |
//! | --- | --- | --- | --- |
//! | one share | [`wilson`] score interval | — | Wilson 1927, JASA 22:209 |
//! | difference of two independent shares | [`newcombe_unpaired`]: hybrid score (method 10) | pooled score test; [`fisher_exact_two_sided`] when an expected cell count is below [`MIN_EXPECTED`] | Newcombe 1998, Stat Med 17:873 |
//! | difference of paired shares | [`newcombe_paired`]: method 10 with the corrected φ | asymptotic McNemar; [`mcnemar_exact`] when fewer than [`MCNEMAR_EXACT_BELOW`] discordant pairs | Newcombe 1998, Stat Med 17:2635; McNemar 1947 |
//! | a family of p-values | — | [`holm`] step-down adjustment | Holm 1979, Scand J Stat 6:65 |
//! | effect among those who took the offer | [`cace_wald`] (delta method), [`cace_fieller`] | Welch test of the intention-to-treat effect | Bloom 1984, Eval Rev 8:225; Angrist, Imbens & Rubin 1996, JASA 91:444; Fieller 1954, JRSS B 16:175 |
//!
//! Mid-p variants ([`fisher_mid_p`], [`mcnemar_mid_p`], Lancaster 1961, JASA 56:223) are
//! provided for callers that prefer tests of nominal rather than conservative size (Fagerland,
//! Lydersen & Laake 2013, BMC Med Res Methodol 13:91); the interval functions use the exact
//! tests, which are the ones a reader can look up under their usual names.
//!
//! # The interval and the p-value never contradict each other
//!
//! An interval and a test of different families can disagree near the boundary: "p 0.03" next
//! to an interval that contains 0, or "p 0.07" next to one that does not. Every function here
//! that returns an [`Interval`] guarantees, at the 5% level ([`ALPHA`]): `p_value < 0.05`
//! exactly when the interval excludes 0. When the two components disagree the conservative
//! side is taken and [`Interval::reconciled`] is set:
//!
//! - test not significant, interval excludes 0: the interval is widened to reach 0 (a wider
//!   interval covers the truth at least as often);
//! - test significant, interval contains 0: the p-value is replaced by the p-value of the
//!   interval's own family (the smallest α at which the `1 − α` interval of the same method
//!   excludes 0, found by bisection on the normal quantile), which is then at least 0.05.
//!
//! For [`newcombe_unpaired`] this is rare (a few tables in ten thousand, all near p = 0.05,
//! over every table of two groups of 150 to 1,000 with up to 120 events); it is more frequent
//! where the exact tests are conservative (about 2% of all paired tables of 60 pairs, mostly
//! with a handful of discordant pairs). [`cace_fieller`] agrees with its test by construction:
//! it is the inversion of that test.
//!
//! # Exact tests for large counts
//!
//! The exact tests sum the null law only over its two tails, starting where the observed
//! probability is crossed (found by bisection on the log-probability) and stopping once terms
//! no longer change the sum; the log-probabilities use Loader's saddle-point expansion
//! (C. Loader 2000, "Fast and accurate computation of binomial probabilities", as in R's
//! `dbinom` and `dhyper`), accurate to about 1e-14 even for 10⁷ households, and neighbouring
//! terms follow by exact ratios. The cost grows with the square root of the counts, not with
//! the counts.

use serde::Serialize;
use statrs::function::gamma::ln_gamma;

use crate::analysis::inference::{self, normal_p, t_p_and_crit, z975, Estimate, NotEstimable};

/// The significance level at which an interval and its p-value are made to agree.
pub const ALPHA: f64 = 0.05;

/// Below this smallest expected cell count (under "no difference") the unpaired comparison
/// uses Fisher's exact test instead of the score test: Cochran's classical rule for the
/// χ²/score approximation (Cochran 1954, Biometrics 10:417).
pub const MIN_EXPECTED: f64 = 5.0;

/// Below this number of discordant pairs (`b + c`) the paired comparison uses the exact
/// McNemar test instead of the asymptotic one.
pub const MCNEMAR_EXACT_BELOW: u64 = 25;

/// Fewer events (or fewer non-events) than this in both groups together: too few for any
/// claim; see [`small_counts`].
pub const MIN_EVENTS: u64 = 5;

/// Two probabilities are tied for the two-sided exact tests when they differ by at most this
/// relative amount (as R's `fisher.test`).
const TIE: f64 = 1e-7;

/// An estimate with its 95% interval and a p-value that agrees with it (see the module docs).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Interval {
    /// The estimate (treatment − control for differences).
    pub estimate: f64,
    /// Lower bound of the 95% interval.
    pub lo: f64,
    /// Upper bound of the 95% interval.
    pub hi: f64,
    /// Two-sided p-value of "no difference".
    pub p_value: f64,
    /// The interval method and the test, named for the report.
    pub method: &'static str,
    /// The p-value comes from an exact test (Fisher, exact McNemar).
    pub exact: bool,
    /// The interval and the test disagreed about 0 and the conservative side was taken
    /// (interval widened to 0, or p-value raised to the interval's own): see the module docs.
    pub reconciled: bool,
}

impl Interval {
    /// The interval contains 0 (bounds included).
    pub fn contains_zero(&self) -> bool {
        self.lo <= 0.0 && 0.0 <= self.hi
    }
}

impl From<Interval> for Estimate {
    fn from(i: Interval) -> Estimate {
        Estimate {
            difference: i.estimate,
            ci_low: i.lo,
            ci_high: i.hi,
            p_value: i.p_value,
            method: i.method,
        }
    }
}

/// A share `x / n` as f64 (0 for `n = 0`).
fn share(x: u64, n: u64) -> f64 {
    if n == 0 {
        0.0
    } else {
        x as f64 / n as f64
    }
}

/// The Wilson score interval at normal quantile `z`, `(0, 1)` for `n = 0`; `x` above `n`
/// counts as `n`. Written in the form without cancellation near 0 (the lower bound is
/// `x²(1 + z²/n) / ((n + z²)(x + z²/2 + z·s))`, `s² = x(n − x)/n + z²/4`) and by symmetry
/// near 1.
fn wilson_z(x: u64, n: u64, z: f64) -> (f64, f64) {
    if n == 0 {
        return (0.0, 1.0);
    }
    let x = x.min(n);
    let lower = |x: u64| -> f64 {
        if x == 0 {
            return 0.0;
        }
        let (xf, nf) = (x as f64, n as f64);
        let s = (xf * (nf - xf) / nf + z * z / 4.0).sqrt();
        let lo = xf * xf * (1.0 + z * z / nf) / ((nf + z * z) * (xf + z * z / 2.0 + z * s));
        lo.clamp(0.0, 1.0)
    };
    (lower(x), 1.0 - lower(n - x))
}

/// The Wilson score 95% interval for one proportion `x / n` (Wilson 1927, JASA 22:209): the
/// inversion of the one-sample score test, which stays inside [0, 1] and does not collapse to a
/// point at 0 or `n` events. `(0, 1)` when `n = 0` (nothing observed); `x` above `n` counts as
/// `n`.
pub fn wilson(x: u64, n: u64) -> (f64, f64) {
    wilson_z(x, n, z975())
}

/// `Err` when a group is empty or a count exceeds its group.
fn check_groups(
    x_c: u64,
    n_c: u64,
    x_t: u64,
    n_t: u64,
    method: &'static str,
) -> Result<(), NotEstimable> {
    let reason = if n_c == 0 || n_t == 0 {
        "n = 0"
    } else if x_c > n_c || x_t > n_t {
        "count above n"
    } else {
        return Ok(());
    };
    Err(NotEstimable {
        reason: reason.into(),
        method,
    })
}

/// Newcombe's hybrid score limits of `p_t − p_c` at normal quantile `z` (method 10).
fn unpaired_limits(x_c: u64, n_c: u64, x_t: u64, n_t: u64, z: f64) -> (f64, f64) {
    let (pc, pt) = (share(x_c, n_c), share(x_t, n_t));
    let (lc, uc) = wilson_z(x_c, n_c, z);
    let (lt, ut) = wilson_z(x_t, n_t, z);
    let d = pt - pc;
    let lo = d - ((pt - lt).powi(2) + (uc - pc).powi(2)).sqrt();
    let hi = d + ((ut - pt).powi(2) + (pc - lc).powi(2)).sqrt();
    (lo.max(-1.0), hi.min(1.0))
}

/// The smallest expected cell count of the 2×2 table under "no difference":
/// `min(n_c, n_t) · min(events, non-events) / N` (0 for empty groups).
pub fn min_expected_count(x_c: u64, n_c: u64, x_t: u64, n_t: u64) -> f64 {
    let big_n = n_c.saturating_add(n_t);
    if big_n == 0 {
        return 0.0;
    }
    let events = x_c.saturating_add(x_t).min(big_n);
    n_c.min(n_t) as f64 * events.min(big_n - events) as f64 / big_n as f64
}

/// The pooled score test of two independent proportions (the two-proportion z test, equal to
/// Pearson's χ² without continuity correction): `z = (p_t − p_c) / √(p̄(1 − p̄)(1/n_c + 1/n_t))`.
/// It is the score interval's test at a difference of 0 (Mee 1984, Biometrics 40:1175;
/// Miettinen & Nurminen 1985, Stat Med 4:213). 1 when no household (or every household) has
/// the event; NaN for an empty group or a count above its group.
pub fn score_test_p(x_c: u64, n_c: u64, x_t: u64, n_t: u64) -> f64 {
    if n_c == 0 || n_t == 0 || x_c > n_c || x_t > n_t {
        return f64::NAN;
    }
    let (nc, nt) = (n_c as f64, n_t as f64);
    let pooled = (x_c + x_t) as f64 / (nc + nt);
    let se0 = (pooled * (1.0 - pooled) * (1.0 / nc + 1.0 / nt)).sqrt();
    if se0 > 0.0 {
        normal_p((share(x_t, n_t) - share(x_c, n_c)) / se0)
    } else {
        1.0
    }
}

/// The difference of two independent proportions `x_t/n_t − x_c/n_c` (randomized design) with
/// Newcombe's hybrid score interval, method 10 of Newcombe 1998 (Stat Med 17:873): the
/// square-and-add combination of the two Wilson intervals. Its coverage stays close to 95%
/// for rare shares, zero cells and small groups, where the Wald interval collapses.
///
/// The p-value is the pooled score test ([`score_test_p`]), or Fisher's exact two-sided test
/// ([`fisher_exact_two_sided`]) when the smallest expected cell count is below
/// [`MIN_EXPECTED`] (then [`Interval::exact`]). The interval and the p-value agree about 0 at
/// the 5% level by the rule in the module docs. Not estimable when a group is empty or a count
/// exceeds its group; groups of one household are fine.
pub fn newcombe_unpaired(x_c: u64, n_c: u64, x_t: u64, n_t: u64) -> Result<Interval, NotEstimable> {
    const SCORE: &str = "Newcombe hybrid score interval (method 10), pooled score test";
    const FISHER: &str = "Newcombe hybrid score interval (method 10), Fisher exact test";
    check_groups(x_c, n_c, x_t, n_t, SCORE)?;
    let (lo, hi) = unpaired_limits(x_c, n_c, x_t, n_t, z975());
    let estimate = share(x_t, n_t) - share(x_c, n_c);
    let exact = min_expected_count(x_c, n_c, x_t, n_t) < MIN_EXPECTED;
    let (p, method) = if exact {
        (fisher_exact_two_sided(x_c, n_c, x_t, n_t), FISHER)
    } else {
        (score_test_p(x_c, n_c, x_t, n_t), SCORE)
    };
    let family_p = || inverted_p(estimate, |z| unpaired_limits(x_c, n_c, x_t, n_t, z));
    Ok(reconcile(
        Interval {
            estimate,
            lo,
            hi,
            p_value: p,
            method,
            exact,
            reconciled: false,
        },
        family_p,
    ))
}

/// Newcombe's corrected φ of a paired table (Newcombe 1998, Stat Med 17:2635, method 10):
/// with `A = ad − bc`, `φ = (A − n/2)/√(efgh)` when `A > n/2`, 0 when `0 ≤ A ≤ n/2`, and
/// `A/√(efgh)` when `A < 0` (e, f, g, h the margins); 0 when a margin is empty.
fn corrected_phi(a: u64, b: u64, c: u64, d: u64) -> f64 {
    let (a, b, c, d) = (a as f64, b as f64, c as f64, d as f64);
    let margins = (a + b) * (c + d) * (a + c) * (b + d);
    if margins == 0.0 {
        return 0.0;
    }
    let big_a = a * d - b * c;
    let half_n = (a + b + c + d) / 2.0;
    let num = if big_a > half_n {
        big_a - half_n
    } else if big_a >= 0.0 {
        0.0
    } else {
        big_a
    };
    num / margins.sqrt()
}

/// Newcombe's paired limits of `p_t − p_c` at normal quantile `z` (method 10).
fn paired_limits(a: u64, b: u64, c: u64, n: u64, phi: f64, z: f64) -> (f64, f64) {
    let (pc, pt) = (share(a + b, n), share(a + c, n));
    let (lc, uc) = wilson_z(a + b, n, z);
    let (lt, ut) = wilson_z(a + c, n, z);
    let (dlt, duc, dlc, dut) = (pt - lt, uc - pc, pc - lc, ut - pt);
    let d = pt - pc;
    let lo = d
        - (dlt * dlt - 2.0 * phi * dlt * duc + duc * duc)
            .max(0.0)
            .sqrt();
    let hi = d
        + (dlc * dlc - 2.0 * phi * dlc * dut + dut * dut)
            .max(0.0)
            .sqrt();
    (lo.max(-1.0), hi.min(1.0))
}

/// The difference of paired proportions (paired design) `(c − b) / n` with Newcombe's
/// square-and-add interval for paired data, method 10 of Newcombe 1998 (Stat Med 17:2635):
/// the two marginal Wilson intervals combined with the corrected correlation φ.
///
/// Counts: `a` pairs with the event under both arms, `b` under control only, `c` under
/// treatment only, `n` pairs in all (the fourth cell is `n − a − b − c`). The interval needs
/// `a` besides the discordant pairs: the marginal shares are `(a + b)/n` and `(a + c)/n`
/// (`a` = the control count minus `b`).
///
/// The p-value is the exact McNemar test ([`mcnemar_exact`]) when `b + c` is below
/// [`MCNEMAR_EXACT_BELOW`], otherwise the asymptotic McNemar test ([`mcnemar_asymptotic`]);
/// interval and p-value agree about 0 by the rule in the module docs. Not estimable for
/// `n = 0` or counts above `n`.
pub fn newcombe_paired(a: u64, b: u64, c: u64, n: u64) -> Result<Interval, NotEstimable> {
    const ASYMPTOTIC: &str = "Newcombe paired score interval (method 10), McNemar test";
    const EXACT: &str = "Newcombe paired score interval (method 10), exact McNemar test";
    let within = a.checked_add(b).and_then(|s| s.checked_add(c));
    let reason = match within {
        _ if n == 0 => Some("n = 0"),
        Some(s) if s <= n => None,
        _ => Some("count above n"),
    };
    if let Some(reason) = reason {
        return Err(NotEstimable {
            reason: reason.into(),
            method: ASYMPTOTIC,
        });
    }
    let phi = corrected_phi(a, b, c, n - a - b - c);
    let (lo, hi) = paired_limits(a, b, c, n, phi, z975());
    let estimate = (c as f64 - b as f64) / n as f64;
    let exact = b + c < MCNEMAR_EXACT_BELOW;
    let (p, method) = if exact {
        (mcnemar_exact(b, c), EXACT)
    } else {
        (mcnemar_asymptotic(b, c), ASYMPTOTIC)
    };
    let family_p = || inverted_p(estimate, |z| paired_limits(a, b, c, n, phi, z));
    Ok(reconcile(
        Interval {
            estimate,
            lo,
            hi,
            p_value: p,
            method,
            exact,
            reconciled: false,
        },
        family_p,
    ))
}

/// The p-value of an interval family: `2(1 − Φ(z*))` for the normal quantile `z*` at which the
/// interval's near bound reaches 0, found by bisection (the bounds widen with `z`; at `z = 0`
/// both equal the estimate). 1 for a zero estimate.
fn inverted_p(estimate: f64, limits: impl Fn(f64) -> (f64, f64)) -> f64 {
    if estimate == 0.0 || !estimate.is_finite() {
        return 1.0;
    }
    let excludes = |z: f64| {
        let (lo, hi) = limits(z);
        if estimate > 0.0 {
            lo > 0.0
        } else {
            hi < 0.0
        }
    };
    let (mut inside, mut outside) = (0.0_f64, 40.0_f64);
    if excludes(outside) {
        return normal_p(outside);
    }
    for _ in 0..100 {
        let mid = 0.5 * (inside + outside);
        if excludes(mid) {
            inside = mid;
        } else {
            outside = mid;
        }
        if outside - inside < 1e-12 {
            break;
        }
    }
    normal_p(0.5 * (inside + outside))
}

/// Make the interval and the p-value agree about 0 at [`ALPHA`] (see the module docs):
/// widen the interval to 0 when the test is not significant, or raise the p-value to the
/// interval family's own (`family_p`, at least `ALPHA`) when the interval contains 0.
fn reconcile(mut i: Interval, family_p: impl FnOnce() -> f64) -> Interval {
    let zero_inside = i.contains_zero();
    if i.p_value < ALPHA && zero_inside {
        i.p_value = family_p().max(ALPHA);
        i.reconciled = true;
    } else if i.p_value >= ALPHA && !zero_inside {
        i.lo = i.lo.min(0.0);
        i.hi = i.hi.max(0.0);
        i.reconciled = true;
    }
    i
}

// ---------------------------------------------------------------------------------------
// Exact tests
// ---------------------------------------------------------------------------------------

const LN_SQRT_2PI: f64 = 0.918_938_533_204_672_8;
const LN_2PI: f64 = 1.837_877_066_409_345_5;

/// `ln Γ(n + 1) − (n + ½) ln n + n − ln √(2π)`, the error of Stirling's formula (Loader 2000):
/// directly for `n ≤ 15`, by its asymptotic series above. `n ≥ 1`.
fn stirlerr(n: f64) -> f64 {
    const S0: f64 = 1.0 / 12.0;
    const S1: f64 = 1.0 / 360.0;
    const S2: f64 = 1.0 / 1260.0;
    const S3: f64 = 1.0 / 1680.0;
    const S4: f64 = 1.0 / 1188.0;
    if n <= 15.0 {
        return ln_gamma(n + 1.0) - (n + 0.5) * n.ln() + n - LN_SQRT_2PI;
    }
    let nn = n * n;
    if n > 500.0 {
        (S0 - S1 / nn) / n
    } else if n > 80.0 {
        (S0 - (S1 - S2 / nn) / nn) / n
    } else if n > 35.0 {
        (S0 - (S1 - (S2 - S3 / nn) / nn) / nn) / n
    } else {
        (S0 - (S1 - (S2 - (S3 - S4 / nn) / nn) / nn) / nn) / n
    }
}

/// The deviance term `x ln(x/m) + m − x`, by a series when `x` is close to `m` (Loader 2000).
fn bd0(x: f64, m: f64) -> f64 {
    if (x - m).abs() < 0.1 * (x + m) {
        let v = (x - m) / (x + m);
        let v2 = v * v;
        let mut s = (x - m) * v;
        let mut ej = 2.0 * x * v;
        for j in 1..1000 {
            ej *= v2;
            let next = s + ej / f64::from(2 * j + 1);
            if next == s {
                return next;
            }
            s = next;
        }
        s
    } else {
        x * (x / m).ln() + m - x
    }
}

/// `ln P(X = x)` for `X ~ Binomial(n, p)`, `q = 1 − p`, `0 ≤ x ≤ n` (Loader's saddle-point
/// form, as R's `dbinom_raw`).
fn ln_binom(x: f64, n: f64, p: f64, q: f64) -> f64 {
    if p == 0.0 {
        return if x == 0.0 { 0.0 } else { f64::NEG_INFINITY };
    }
    if q == 0.0 {
        return if x == n { 0.0 } else { f64::NEG_INFINITY };
    }
    if x == 0.0 {
        if n == 0.0 {
            return 0.0;
        }
        return if p < 0.1 {
            -bd0(n, n * q) - n * p
        } else {
            n * q.ln()
        };
    }
    if x == n {
        return if q < 0.1 {
            -bd0(n, n * p) - n * q
        } else {
            n * p.ln()
        };
    }
    let lc = stirlerr(n) - stirlerr(x) - stirlerr(n - x) - bd0(x, n * p) - bd0(n - x, n * q);
    lc - 0.5 * (LN_2PI + x.ln() + (-x / n).ln_1p())
}

/// A unimodal law on the integers `lo..=hi`, nondecreasing up to `mode` and nonincreasing after.
trait Unimodal {
    /// The support, `lo ≤ hi`.
    fn support(&self) -> (u64, u64);
    /// A mode inside the support.
    fn mode(&self) -> u64;
    /// `ln P(X = k)`.
    fn ln_pmf(&self, k: u64) -> f64;
    /// `P(X = k + 1) / P(X = k)`.
    fn up(&self, k: u64) -> f64;
    /// `P(X = k − 1) / P(X = k)`.
    fn down(&self, k: u64) -> f64;
}

/// The number of events in the treatment group given both margins: `Hypergeometric(N, m, n)`
/// (`N` households, `m` events, `n` in the treatment group).
struct Hyper {
    big_n: u64,
    m: u64,
    n: u64,
}

impl Unimodal for Hyper {
    fn support(&self) -> (u64, u64) {
        (
            self.n.saturating_sub(self.big_n - self.m),
            self.m.min(self.n),
        )
    }
    fn mode(&self) -> u64 {
        let m = (u128::from(self.m) + 1) * (u128::from(self.n) + 1) / (u128::from(self.big_n) + 2);
        let (lo, hi) = self.support();
        (m as u64).clamp(lo, hi)
    }
    fn ln_pmf(&self, k: u64) -> f64 {
        let (r, b, n, total) = (
            self.m as f64,
            (self.big_n - self.m) as f64,
            self.n as f64,
            self.big_n as f64,
        );
        let (p, q) = (n / total, (total - n) / total);
        let k = k as f64;
        ln_binom(k, r, p, q) + ln_binom(n - k, b, p, q) - ln_binom(n, total, p, q)
    }
    fn up(&self, k: u64) -> f64 {
        let (m, n, k, rest) = (self.m as f64, self.n as f64, k as f64, self.rest());
        (m - k) * (n - k) / ((k + 1.0) * (rest + k + 1.0))
    }
    fn down(&self, k: u64) -> f64 {
        let (m, n, k, rest) = (self.m as f64, self.n as f64, k as f64, self.rest());
        k * (rest + k) / ((m - k + 1.0) * (n - k + 1.0))
    }
}

impl Hyper {
    /// `N − m − n` (the fourth cell is `N − m − n + k`), as f64.
    fn rest(&self) -> f64 {
        self.big_n as f64 - self.m as f64 - self.n as f64
    }
}

/// `Binomial(m, ½)`: the treatment-only pairs among `m` discordant pairs under "no difference".
struct HalfBinomial {
    m: u64,
}

impl Unimodal for HalfBinomial {
    fn support(&self) -> (u64, u64) {
        (0, self.m)
    }
    fn mode(&self) -> u64 {
        self.m.div_ceil(2)
    }
    fn ln_pmf(&self, k: u64) -> f64 {
        ln_binom(k as f64, self.m as f64, 0.5, 0.5)
    }
    fn up(&self, k: u64) -> f64 {
        (self.m - k) as f64 / (k + 1) as f64
    }
    fn down(&self, k: u64) -> f64 {
        k as f64 / (self.m - k + 1) as f64
    }
}

/// `P(X = start) + P(X = start ∓ 1) + …` outward from `start` (downward or upward) until the
/// terms no longer change the sum: in a tail of a unimodal law they only shrink.
fn tail_sum(law: &impl Unimodal, start: u64, downward: bool) -> f64 {
    let (lo, hi) = law.support();
    let mut term = law.ln_pmf(start).exp();
    let mut sum = term;
    let mut k = start;
    while term > sum * 1e-17 {
        if downward {
            if k == lo {
                break;
            }
            term *= law.down(k);
            k -= 1;
        } else {
            if k == hi {
                break;
            }
            term *= law.up(k);
            k += 1;
        }
        sum += term;
    }
    sum
}

/// `P(ln P(X) ≤ threshold)`: the two tails below the threshold, each found by bisection on the
/// monotone side of the mode and summed outward.
fn mass_at_most(law: &impl Unimodal, threshold: f64) -> f64 {
    let (lo, hi) = law.support();
    let mode = law.mode();
    let mut total = 0.0;
    if law.ln_pmf(lo) <= threshold {
        // The largest k in lo..=mode at or below the threshold.
        let (mut l, mut r) = (lo, mode);
        while l < r {
            let mid = l + (r - l).div_ceil(2);
            if law.ln_pmf(mid) <= threshold {
                l = mid;
            } else {
                r = mid - 1;
            }
        }
        total += tail_sum(law, l, true);
    }
    if mode < hi && law.ln_pmf(hi) <= threshold {
        // The smallest k in mode+1..=hi at or below the threshold.
        let (mut l, mut r) = (mode + 1, hi);
        while l < r {
            let mid = l + (r - l) / 2;
            if law.ln_pmf(mid) <= threshold {
                r = mid;
            } else {
                l = mid + 1;
            }
        }
        total += tail_sum(law, l, false);
    }
    total.min(1.0)
}

/// The two-sided exact p-value by the probability criterion (the outcomes no more probable
/// than the observed one, ties within [`TIE`]) and its mid-p version (less probable outcomes
/// plus half the tied ones). An observation as probable as the mode gives an exact p of 1; a
/// one-point law gives `(1, 1)`.
fn two_sided(law: &impl Unimodal, observed: u64) -> (f64, f64) {
    let (lo, hi) = law.support();
    if lo == hi {
        return (1.0, 1.0);
    }
    let l = law.ln_pmf(observed);
    // As probable as the mode: every outcome counts, p = 1 exactly (not 1 − rounding).
    let at_most = if l >= law.ln_pmf(law.mode()) + (-TIE).ln_1p() {
        1.0
    } else {
        mass_at_most(law, l + TIE.ln_1p())
    };
    let below = mass_at_most(law, l + (-TIE).ln_1p()).min(at_most);
    (at_most, (below + 0.5 * (at_most - below)).min(1.0))
}

/// The hypergeometric law of `x_t` given the margins, or `None` for invalid counts.
fn fisher_law(x_c: u64, n_c: u64, x_t: u64, n_t: u64) -> Option<Hyper> {
    (x_c <= n_c && x_t <= n_t).then(|| Hyper {
        big_n: n_c + n_t,
        m: x_c + x_t,
        n: n_t,
    })
}

/// Fisher's exact test of two independent proportions, two-sided by the probability criterion
/// (the sum over all tables with the same margins that are no more probable than the observed
/// one, as R's `fisher.test` and scipy's `fisher_exact`; Agresti 2013, Categorical Data
/// Analysis §3.5). Exact and fast for groups up to 10⁷ and more (see the module docs). 1 when
/// only one table is possible; NaN for a count above its group.
pub fn fisher_exact_two_sided(x_c: u64, n_c: u64, x_t: u64, n_t: u64) -> f64 {
    fisher_law(x_c, n_c, x_t, n_t).map_or(f64::NAN, |law| two_sided(&law, x_t).0)
}

/// Fisher's mid-p: the probability of the tables less probable than the observed one plus half
/// that of the tables as probable (Lancaster 1961, JASA 56:223; Fagerland, Lydersen & Laake
/// 2017, Statistical Analysis of Contingency Tables, ch. 4). Closer to the nominal size than the
/// exact test, which is conservative. 1 when only one table is possible; NaN for a count
/// above its group.
pub fn fisher_mid_p(x_c: u64, n_c: u64, x_t: u64, n_t: u64) -> f64 {
    fisher_law(x_c, n_c, x_t, n_t).map_or(f64::NAN, |law| two_sided(&law, x_t).1)
}

/// The exact (conditional) McNemar test on the discordant pairs, `b` = event under control
/// only, `c` = under treatment only: the two-sided binomial test of `c` out of `b + c` at ½,
/// `min(1, 2·P(X ≤ min(b, c)))` (McNemar 1947, Psychometrika 12:153). 1 without discordant
/// pairs.
pub fn mcnemar_exact(b: u64, c: u64) -> f64 {
    two_sided(&HalfBinomial { m: b + c }, c).0
}

/// The McNemar mid-p test: `2·P(X ≤ min(b, c)) − P(X = b)`, or `1 − P(X = b)/2` when
/// `b = c` (Fagerland, Lydersen & Laake 2013, BMC Med Res Methodol 13:91). 1 without
/// discordant pairs.
pub fn mcnemar_mid_p(b: u64, c: u64) -> f64 {
    two_sided(&HalfBinomial { m: b + c }, c).1
}

/// The asymptotic McNemar test without continuity correction: `z = (c − b)/√(b + c)`.
/// 1 without discordant pairs.
pub fn mcnemar_asymptotic(b: u64, c: u64) -> f64 {
    if b + c == 0 {
        return 1.0;
    }
    normal_p((c as f64 - b as f64) / ((b + c) as f64).sqrt())
}

// ---------------------------------------------------------------------------------------
// Multiple comparisons, small counts
// ---------------------------------------------------------------------------------------

/// Holm's step-down adjusted p-values (Holm 1979, Scand J Stat 6:65): sorted ascending, the
/// `i`-th smallest of `m` is multiplied by `m − i + 1`, made monotone (a running maximum) and
/// capped at 1; they control the family-wise error rate under any dependence. Returned in the
/// input order.
///
/// `None` (a comparison that was not estimable) stays `None` and does not count in the family
/// size `m`: it tests nothing, and counting it would only make the others more conservative
/// by an amount that depends on how many comparisons happened to be degenerate. A NaN p-value
/// counts as 1 (it is in the family but rejects nothing); values are clamped to [0, 1].
pub fn holm(p: &[Option<f64>]) -> Vec<Option<f64>> {
    let mut ranked: Vec<(usize, f64)> = p
        .iter()
        .enumerate()
        .filter_map(|(i, v)| v.map(|v| (i, if v.is_nan() { 1.0 } else { v.clamp(0.0, 1.0) })))
        .collect();
    ranked.sort_by(|a, b| a.1.total_cmp(&b.1));
    let m = ranked.len();
    let mut out = vec![None; p.len()];
    let mut running = 0.0_f64;
    for (rank, (i, v)) in ranked.into_iter().enumerate() {
        running = running.max(((m - rank) as f64 * v).min(1.0));
        out[i] = Some(running);
    }
    out
}

/// Too few events for any claim about a difference of two independent shares: fewer than
/// [`MIN_EVENTS`] events, or fewer than [`MIN_EVENTS`] non-events, in both groups together.
/// The interval and p-value are still valid, but the caller should print a note that the
/// counts are too small to conclude anything (e.g. "only 3 households above €5,000").
pub fn small_counts(x_c: u64, n_c: u64, x_t: u64, n_t: u64) -> bool {
    let events = x_c.saturating_add(x_t);
    let non_events = n_c
        .saturating_sub(x_c)
        .saturating_add(n_t.saturating_sub(x_t));
    events < MIN_EVENTS || non_events < MIN_EVENTS
}

/// Too few discordant pairs for any claim about a paired difference: `b + c` below
/// [`MIN_EVENTS`] (only discordant pairs carry information about the difference).
pub fn small_counts_paired(b: u64, c: u64) -> bool {
    b.saturating_add(c) < MIN_EVENTS
}

/// The interval and test of a difference of shares `x_t/n_t − x_c/n_c` as every report of it
/// computes it (the comparison rows, the pilot-size range, the power curve, `power`): in the
/// paired design, `paired = Some((b, c, n))` with `b` households with the event under control
/// only and `c` under treatment only among the same `n`, Newcombe's paired interval
/// ([`newcombe_paired`], `x_c − b` with the event under both); otherwise Newcombe's unpaired
/// interval ([`newcombe_unpaired`]).
pub fn share_difference(
    x_c: u64,
    n_c: u64,
    x_t: u64,
    n_t: u64,
    paired: Option<(u64, u64, u64)>,
) -> Result<Interval, NotEstimable> {
    match paired {
        Some((b, c, n)) => newcombe_paired(x_c.saturating_sub(b), b, c, n),
        None => newcombe_unpaired(x_c, n_c, x_t, n_t),
    }
}

// ---------------------------------------------------------------------------------------
// Complier average causal effect
// ---------------------------------------------------------------------------------------

/// One arm's outcome: mean, sample variance (denominator `n − 1`) and number of households.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Moments {
    /// Mean outcome.
    pub mean: f64,
    /// Sample variance of the outcome.
    pub var: f64,
    /// Households.
    pub n: u64,
}

impl Moments {
    /// The moments of a share: `x` of `n` households with the event (mean `x/n`, sample
    /// variance `x(n − x)/(n(n − 1))`, 0 for `n < 2`).
    pub fn share(x: u64, n: u64) -> Moments {
        let var = if n < 2 {
            0.0
        } else {
            let (x, n) = (x.min(n) as f64, n as f64);
            x * (n - x) / (n * (n - 1.0))
        };
        Moments {
            mean: share(x.min(n), n),
            var,
            n,
        }
    }
}

/// The sample covariance of the outcome and take-up (1 = took the offer) in the treatment arm,
/// from the mean outcome of those who took it and of those who did not:
/// `n·π(1 − π)·(ȳ_took − ȳ_not)/(n − 1)`, `π = takers/n`. 0 for `n < 2`.
pub fn takeup_covariance(mean_takers: f64, mean_others: f64, takers: u64, n: u64) -> f64 {
    if n < 2 {
        return 0.0;
    }
    let (t, nf) = (takers.min(n) as f64, n as f64);
    t * (nf - t) / (nf * (nf - 1.0)) * (mean_takers - mean_others)
}

/// What both CACE intervals need.
struct CaceParts {
    /// Intention-to-treat effect, treatment − control.
    itt: f64,
    /// Welch p-value of the ITT effect.
    p: f64,
    /// Take-up share in the treatment arm.
    pi: f64,
    /// Variance of the ITT estimate.
    v_itt: f64,
    /// Variance of the take-up share, `π(1 − π)/n_t`.
    v_pi: f64,
    /// Variance of the treatment arm's mean.
    v_mean_t: f64,
    /// Welch degrees of freedom (∞ when the ITT has no variance).
    df: f64,
    /// The 97.5% quantile of the t law with `df` degrees of freedom.
    crit: f64,
}

fn cace_parts(
    control: &Moments,
    treatment: &Moments,
    takers: u64,
    method: &'static str,
) -> Result<CaceParts, NotEstimable> {
    let fail = |reason: &str| NotEstimable {
        reason: reason.into(),
        method,
    };
    let valid = |m: &Moments| m.mean.is_finite() && m.var.is_finite() && m.var >= 0.0;
    if !valid(control) || !valid(treatment) {
        return Err(fail("invalid moments"));
    }
    if takers > treatment.n {
        return Err(fail("take-up above n"));
    }
    // An arm too small for the ITT test is reported as such (`n = …`) before its take-up.
    let itt = inference::welch(
        control.mean,
        control.var,
        control.n,
        treatment.mean,
        treatment.var,
        treatment.n,
    )
    .map_err(|e| fail(&e.reason))?;
    if takers == 0 {
        return Err(fail("no take-up"));
    }
    let (nc, nt) = (control.n as f64, treatment.n as f64);
    let v_itt = control.var / nc + treatment.var / nt;
    let (df, crit) = if v_itt > 0.0 {
        let (_, df) = inference::welch_t_df(
            control.mean,
            control.var,
            control.n,
            treatment.mean,
            treatment.var,
            treatment.n,
        );
        (df, t_p_and_crit(0.0, df).1)
    } else {
        (f64::INFINITY, z975())
    };
    let pi = takers as f64 / nt;
    Ok(CaceParts {
        itt: itt.difference,
        p: itt.p_value,
        pi,
        v_itt,
        v_pi: pi * (1.0 - pi) / nt,
        v_mean_t: treatment.var / nt,
        df,
        crit,
    })
}

/// `Err` unless `|cov_yd| ≤ √(var_t · var_D)` (Cauchy–Schwarz; `var_D` the sample variance of
/// take-up), with a little slack for rounding.
fn check_covariance(
    cov_yd: f64,
    treatment: &Moments,
    pi: f64,
    method: &'static str,
) -> Result<(), NotEstimable> {
    let nt = treatment.n as f64;
    let var_d = pi * (1.0 - pi) * nt / (nt - 1.0).max(1.0);
    let bound = (treatment.var * var_d).sqrt() * (1.0 + 1e-9) + 1e-300;
    if cov_yd.is_finite() && cov_yd.abs() <= bound {
        Ok(())
    } else {
        Err(NotEstimable {
            reason: "covariance outside its bounds".into(),
            method,
        })
    }
}

/// The complier average causal effect in a randomized design with one-sided non-compliance
/// (control households cannot take the offer): the intention-to-treat effect divided by the
/// take-up share of the treatment arm, `θ = (ȳ_t − ȳ_c)/π` (the Wald or instrumental-variable
/// estimator; Bloom 1984, Eval Rev 8:225; Angrist, Imbens & Rubin 1996, JASA 91:444). It is
/// the effect among those who take the offer, under the exclusion restriction (the offer
/// changes nothing for those who do not take it).
///
/// `control` and `treatment` are the outcome moments per arm ([`Moments::share`] for a share),
/// `takers` the households of the treatment arm that took the offer, `cov_yd` the sample
/// covariance of outcome and take-up in the treatment arm ([`takeup_covariance`]).
///
/// The interval is the delta method with the Welch t quantile:
/// `Var θ ≈ V_itt/π² + ITT²·V_π/π⁴ − 2·ITT·C/π³`, `V_π = π(1 − π)/n_t`, `C = cov_yd/n_t`.
/// Without `cov_yd` the covariance term is bounded by Cauchy–Schwarz,
/// `|C| ≤ √(Var ȳ_t · V_π)`, so the interval is conservative. The p-value is the Welch test
/// of the ITT effect (the CACE is 0 exactly when the ITT effect is; this is the p-value of the
/// ITT line of the report); interval and p-value agree about 0 by the rule in the module docs.
///
/// Not estimable without take-up, with takers above `n_t`, when the Welch test is not
/// (groups below two households, or no variation with different means), or for a covariance
/// outside `±√(var_t · var_D)`.
pub fn cace_wald(
    control: &Moments,
    treatment: &Moments,
    takers: u64,
    cov_yd: Option<f64>,
) -> Result<Interval, NotEstimable> {
    const KNOWN: &str = "complier average causal effect (ITT / take-up), delta-method interval, \
                         Welch test of the ITT effect";
    const BOUNDED: &str = "complier average causal effect (ITT / take-up), delta-method interval \
                           with the covariance bounded, Welch test of the ITT effect";
    let method = if cov_yd.is_some() { KNOWN } else { BOUNDED };
    let x = cace_parts(control, treatment, takers, method)?;
    let theta = x.itt / x.pi;
    let cov_term = match cov_yd {
        Some(cov) => {
            check_covariance(cov, treatment, x.pi, method)?;
            -2.0 * x.itt * (cov / treatment.n as f64) / x.pi.powi(3)
        }
        None => 2.0 * x.itt.abs() * (x.v_mean_t * x.v_pi).sqrt() / x.pi.powi(3),
    };
    let var = (x.v_itt / x.pi.powi(2) + x.itt.powi(2) * x.v_pi / x.pi.powi(4) + cov_term).max(0.0);
    let se = var.sqrt();
    let family_p = || {
        if se > 0.0 {
            t_p_and_crit(theta / se, x.df).0
        } else {
            x.p
        }
    };
    Ok(reconcile(
        Interval {
            estimate: theta,
            lo: theta - x.crit * se,
            hi: theta + x.crit * se,
            p_value: x.p,
            method,
            exact: false,
            reconciled: false,
        },
        family_p,
    ))
}

/// The complier average causal effect of [`cace_wald`] with Fieller's interval (Fieller 1954,
/// JRSS B 16:175): the values `θ` for which the Welch test does not reject
/// `ITT − θ·π = 0`, i.e. `(ITT − θπ)² ≤ t²·(V_itt − 2θC + θ²V_π)` (`C = cov_yd/n_t`).
/// Unlike the delta method it is not symmetric, it is accurate when take-up is small, and it
/// agrees with the Welch test of the ITT effect by construction (at `θ = 0` it is that test).
///
/// Not estimable in the cases of [`cace_wald`], and when the set is unbounded: take-up not
/// clearly above 0 (`π² ≤ t²·V_π`), where no finite interval is honest.
pub fn cace_fieller(
    control: &Moments,
    treatment: &Moments,
    takers: u64,
    cov_yd: f64,
) -> Result<Interval, NotEstimable> {
    const METHOD: &str = "complier average causal effect (ITT / take-up), Fieller interval, \
                          Welch test of the ITT effect";
    let x = cace_parts(control, treatment, takers, METHOD)?;
    check_covariance(cov_yd, treatment, x.pi, METHOD)?;
    let c = cov_yd / treatment.n as f64;
    let q2 = x.crit * x.crit;
    let qa = x.pi * x.pi - q2 * x.v_pi;
    let qb = x.itt * x.pi - q2 * c;
    let qc = x.itt * x.itt - q2 * x.v_itt;
    if qa <= 0.0 {
        return Err(NotEstimable {
            reason: "unbounded Fieller set (take-up not clearly above 0)".into(),
            method: METHOD,
        });
    }
    let root = (qb * qb - qa * qc).max(0.0).sqrt();
    let theta = x.itt / x.pi;
    Ok(reconcile(
        Interval {
            estimate: theta,
            lo: ((qb - root) / qa).min(theta),
            hi: ((qb + root) / qa).max(theta),
            p_value: x.p,
            method: METHOD,
            exact: false,
            reconciled: false,
        },
        || ALPHA,
    ))
}

#[cfg(test)]
mod tests {
    //! Reference values: `python3 scripts/reference-intervals.py` (scipy 1.17, statsmodels
    //! 0.15), pasted below; published values where a paper or book gives them.
    use super::*;

    /// `actual` within `rel` of `expected` (relative), or within 1e-12 absolute.
    #[track_caller]
    fn close(actual: f64, expected: f64, rel: f64) {
        assert!(
            (actual - expected).abs() <= rel * expected.abs() + 1e-12,
            "{actual} vs {expected}"
        );
    }

    #[test]
    fn wilson_matches_statsmodels() {
        for (x, n, lo, hi) in [
            (0, 1, 0.0, 0.793450685623),
            (1, 1, 0.206549314377, 1.0),
            (0, 10, 0.0, 0.277532799863),
            (3, 10, 0.107791267406, 0.603221852539),
            (81, 263, 0.255288519878, 0.366209576983),
            (5000, 1_000_000, 0.00486364523113, 0.00514015779849),
        ] {
            let (l, h) = wilson(x, n);
            close(l, lo, 1e-9);
            close(h, hi, 1e-9);
        }
        assert_eq!(wilson(0, 0), (0.0, 1.0));
        assert_eq!(wilson(0, 7).0, 0.0);
        assert_eq!(wilson(7, 7).1, 1.0);
    }

    /// Newcombe 1998 (Stat Med 17:873) Table II, method 10, to the published 4 decimals, and to
    /// statsmodels' `confint_proportions_2indep(method="newcomb")` to 1e-9.
    #[test]
    fn newcombe_unpaired_matches_the_paper_and_statsmodels() {
        #[rustfmt::skip]
        let cases = [
            // x_c, n_c, x_t, n_t, published lo, hi, statsmodels lo, hi
            (48, 80, 56, 70, 0.0524, 0.3339, 0.0524314724024, 0.333872654037),
            (3, 10, 9, 10, 0.1705, 0.8090, 0.170522723935, 0.809017973535),
            (2, 7, 6, 7, 0.0582, 0.8062, 0.0582279274823, 0.806249637524),
            (0, 29, 5, 56, -0.0381, 0.1926, -0.0381371479035, 0.192560013855),
            (0, 20, 0, 10, -0.1611, 0.2775, -0.161125158053, 0.277532799863),
            (0, 10, 0, 10, -0.2775, 0.2775, -0.277532799863, 0.277532799863),
            (0, 20, 10, 10, 0.6791, 1.0, 0.679086037142, 1.0),
            (0, 10, 10, 10, 0.6075, 1.0, 0.607509350431, 1.0),
        ];
        for (xc, nc, xt, nt, plo, phi, slo, shi) in cases {
            let (lo, hi) = unpaired_limits(xc, nc, xt, nt, z975());
            assert!(
                (lo - plo).abs() < 5e-5 && (hi - phi).abs() < 5e-5,
                "{xc}/{nc} {xt}/{nt}"
            );
            close(lo, slo, 1e-9);
            close(hi, shi, 1e-9);
        }
        // Zero cells, one household, a million households.
        for (xc, nc, xt, nt, slo, shi) in [
            (0, 985, 4, 1015, -0.000629333150357, 0.0100889056197),
            (
                49_000,
                1_000_000,
                50_000,
                1_000_000,
                0.000398770258874,
                0.00160124774208,
            ),
            (0, 1, 1, 1, -0.122108720682, 1.0),
        ] {
            let i = newcombe_unpaired(xc, nc, xt, nt).unwrap();
            close(i.lo, slo, 1e-8);
            close(i.hi, shi, 1e-8);
            assert!(!i.reconciled, "{i:?}");
        }
        let i = newcombe_unpaired(0, 1, 1, 1).unwrap();
        assert!(i.exact && i.p_value == 1.0 && i.estimate == 1.0, "{i:?}");
    }

    /// Issue 17: 4/1015 vs 0/985 gave p = 0.049 with the Wald/score pair; the expected counts
    /// are below 5, so the exact test (0.125) is reported, with an interval containing 0.
    #[test]
    fn rare_share_uses_fisher_and_agrees_with_its_interval() {
        let old = inference::two_proportions(0, 985, 4, 1015).unwrap();
        close(old.p_value, 0.0485873680081, 1e-9);
        close(score_test_p(0, 985, 4, 1015), 0.0485873680081, 1e-9);
        assert!(min_expected_count(0, 985, 4, 1015) < MIN_EXPECTED);
        let i = newcombe_unpaired(0, 985, 4, 1015).unwrap();
        assert!(i.exact && i.method.contains("Fisher"), "{i:?}");
        close(i.p_value, 0.124793662536, 1e-8);
        assert!(i.contains_zero() && !i.reconciled);
        assert!(small_counts(0, 985, 4, 1015) && !small_counts(3, 985, 4, 1015));
        assert!(small_counts(98, 100, 99, 100), "fewer than 5 non-events");
        let big = newcombe_unpaired(49_000, 1_000_000, 50_000, 1_000_000).unwrap();
        assert!(!big.exact && big.method.contains("score"));
        close(big.p_value, 0.00111445413456, 1e-8);
    }

    #[test]
    fn score_test_matches_statsmodels() {
        for (xc, nc, xt, nt, p) in [
            (30, 100, 45, 100, 0.0284597369163),
            (48, 80, 56, 70, 0.0080450813682),
            (49_000, 1_000_000, 50_000, 1_000_000, 0.00111445413456),
        ] {
            close(score_test_p(xc, nc, xt, nt), p, 1e-8);
        }
        assert_eq!(score_test_p(0, 10, 0, 10), 1.0);
        assert!(score_test_p(11, 10, 0, 10).is_nan());
    }

    #[test]
    fn fisher_matches_scipy() {
        #[rustfmt::skip]
        let cases = [
            (0, 985, 4, 1015, 0.124793662536, 0.0917226401783),
            (1, 4, 3, 4, 0.485714285714, 0.257142857143),
            (2, 7, 6, 7, 0.102564102564, 0.0536130536131),
            (0, 29, 5, 56, 0.160621443209, 0.102395233733),
            (0, 10, 0, 10, 1.0, 1.0),
            (0, 1, 1, 1, 1.0, 0.5),
            (1, 34, 7, 34, 0.0544001304951, 0.0296562584304),
            (100, 1_000_000, 140, 1_000_000, 0.0116590899572, 0.00982716185913),
            (48, 80, 56, 70, 0.0125211297492, 0.010421139959),
        ];
        for (xc, nc, xt, nt, exact, mid) in cases {
            close(fisher_exact_two_sided(xc, nc, xt, nt), exact, 1e-8);
            close(fisher_mid_p(xc, nc, xt, nt), mid, 1e-8);
            // Symmetric in the groups.
            close(fisher_exact_two_sided(xt, nt, xc, nc), exact, 1e-8);
        }
        assert!(fisher_exact_two_sided(3, 2, 0, 5).is_nan());
        assert!(fisher_mid_p(0, 2, 6, 5).is_nan());
    }

    /// Ten million households per group: exact, and fast (a few thousand terms, not 10⁷).
    #[test]
    fn fisher_is_exact_and_fast_for_ten_million() {
        let started = std::time::Instant::now();
        let near_mode = fisher_exact_two_sided(5_000_000, 10_000_000, 5_003_000, 10_000_000);
        let rare = fisher_exact_two_sided(1_000, 10_000_000, 1_200, 10_000_000);
        let mid = fisher_mid_p(1_000, 10_000_000, 1_200, 10_000_000);
        let mc = mcnemar_exact(5_000_000, 5_004_000);
        let elapsed = started.elapsed().as_secs_f64();
        close(near_mode, 0.179857591433, 1e-7);
        close(rare, 2.17943425505e-05, 1e-7);
        assert!(mid < rare && mid > 0.9 * rare, "{mid}");
        // b + c = 10,004,000: the exact test equals the normal one closely (z = 1.2647).
        assert!(
            (mc - mcnemar_asymptotic(5_000_000, 5_004_000)).abs() < 1e-3,
            "{mc}"
        );
        assert!(elapsed < 0.5, "{elapsed} s");
    }

    #[test]
    fn hypergeometric_log_pmf_is_a_law() {
        let law = Hyper {
            big_n: 30,
            m: 12,
            n: 11,
        };
        let (lo, hi) = law.support();
        let total: f64 = (lo..=hi).map(|k| law.ln_pmf(k).exp()).sum();
        close(total, 1.0, 1e-13);
        // Against the textbook ln C(m,k) + ln C(N−m, n−k) − ln C(N, n).
        let ln_c = |n: f64, k: f64| ln_gamma(n + 1.0) - ln_gamma(k + 1.0) - ln_gamma(n - k + 1.0);
        for k in lo..=hi {
            let direct = ln_c(12.0, k as f64) + ln_c(18.0, (11 - k) as f64) - ln_c(30.0, 11.0);
            assert!((law.ln_pmf(k) - direct).abs() < 1e-12, "{k}");
            if k < hi {
                close(law.up(k), (law.ln_pmf(k + 1) - law.ln_pmf(k)).exp(), 1e-12);
            }
        }
        let b = HalfBinomial { m: 41 };
        let total: f64 = (0..=41).map(|k| b.ln_pmf(k).exp()).sum();
        close(total, 1.0, 1e-13);
    }

    /// McNemar: statsmodels `mcnemar(exact=True)`, `(exact=False, correction=False)`, and the
    /// mid-p of Fagerland, Lydersen & Laake 2013.
    #[test]
    fn mcnemar_matches_statsmodels() {
        #[rustfmt::skip]
        let cases = [
            (0, 5, 0.0625, 0.03125, 0.0253473186775),
            (5, 0, 0.0625, 0.03125, 0.0253473186775),
            (3, 3, 1.0, 0.84375, 1.0),
            (0, 0, 1.0, 1.0, 1.0),
            (1, 0, 1.0, 0.5, 0.317310507863),
            (16, 6, 0.0524787902832, 0.0346896648407, 0.0330062576612),
            (7, 1, 0.0703125, 0.0390625, 0.0338948535247),
            (25, 10, 0.0166738478001, 0.0113309841836, 0.0112298866529),
            (10_000, 10_300, 0.0358523597362, 0.035242152549, 0.0352402238243),
        ];
        for (b, c, exact, mid, asym) in cases {
            close(mcnemar_exact(b, c), exact, 1e-8);
            close(mcnemar_mid_p(b, c), mid, 1e-8);
            close(mcnemar_asymptotic(b, c), asym, 1e-8);
        }
    }

    /// Issue 17: 30 households with 5 treatment-only pairs gave McNemar p = 0.025; the exact
    /// test gives 0.0625. Newcombe's interval alone would exclude 0, so it is widened to 0.
    #[test]
    fn thirty_pairs_use_the_exact_mcnemar_test() {
        let old = inference::mcnemar(0, 5, 30).unwrap();
        close(old.p_value, 0.0253473186775, 1e-9);
        for (a, lo, hi) in [
            (0, 0.0197299035148, 0.335643505064),
            (10, 0.0182745360422, 0.300938911587),
        ] {
            let phi = corrected_phi(a, 0, 5, 25 - a);
            let (l, h) = paired_limits(a, 0, 5, 30, phi, z975());
            close(l, lo, 1e-9);
            close(h, hi, 1e-9);
            let i = newcombe_paired(a, 0, 5, 30).unwrap();
            assert!(i.exact && i.method.contains("exact McNemar"), "{i:?}");
            assert_eq!(i.p_value, 0.0625);
            assert!(i.reconciled && i.lo == 0.0 && i.hi == h, "{i:?}");
            close(i.estimate, 1.0 / 6.0, 1e-12);
        }
        assert!(!small_counts_paired(0, 5) && small_counts_paired(1, 3));
    }

    /// Paired method 10: the Cavo et al. 2012 example of Fagerland, Lydersen & Laake 2017
    /// (ch. 8: −0.0621, 95% CI −0.1186 to −0.0046), Bentur et al. 2009, one pair, a million.
    #[test]
    fn newcombe_paired_matches_the_published_example() {
        #[rustfmt::skip]
        let cases = [
            (59, 16, 6, 161, -0.0621118012422, -0.118621195639, -0.00462511393305),
            (1, 7, 1, 21, -0.285714285714, -0.506920226686, -0.0255591241649),
            (0, 0, 0, 1, 0.0, -0.793450685623, 0.793450685623),
            (0, 0, 1, 1, 1.0, -0.122108720682, 1.0),
            (200_000, 10_000, 10_300, 1_000_000, 0.0003, 2.07365479224e-05, 0.000579269516399),
        ];
        for (a, b, c, n, est, lo, hi) in cases {
            let phi = corrected_phi(a, b, c, n - a - b - c);
            let (l, h) = paired_limits(a, b, c, n, phi, z975());
            close(l, lo, 1e-8);
            close(h, hi, 1e-8);
            let i = newcombe_paired(a, b, c, n).unwrap();
            close(i.estimate, est, 1e-12);
            assert_eq!(i.contains_zero(), i.p_value >= ALPHA, "{i:?}");
        }
        let (l, h) = paired_limits(59, 16, 6, 161, corrected_phi(59, 16, 6, 80), z975());
        assert!((l + 0.1186).abs() < 5e-5 && (h + 0.0046).abs() < 5e-5);
        // Cavo: 22 discordant pairs, exact p 0.052 against an interval excluding 0: widened.
        let i = newcombe_paired(59, 16, 6, 161).unwrap();
        close(i.p_value, 0.0524787902832, 1e-8);
        assert!(i.reconciled && i.hi == 0.0, "{i:?}");
        // A million pairs: asymptotic McNemar, already in agreement.
        let i = newcombe_paired(200_000, 10_000, 10_300, 1_000_000).unwrap();
        assert!(!i.exact && !i.reconciled && i.lo > 0.0);
        close(i.p_value, 0.0352402238243, 1e-8);
        let reason = |e: Result<Interval, NotEstimable>| e.unwrap_err().reason;
        assert_eq!(reason(newcombe_paired(0, 0, 0, 0)), "n = 0");
        assert_eq!(reason(newcombe_paired(5, 5, 5, 10)), "count above n");
        assert_eq!(reason(newcombe_paired(u64::MAX, 5, 5, 10)), "count above n");
        assert_eq!(reason(newcombe_unpaired(0, 0, 1, 2)), "n = 0");
        assert_eq!(reason(newcombe_unpaired(3, 2, 1, 2)), "count above n");
    }

    /// Every table of two small groups and every paired table of 20 pairs, and a band of
    /// large-count tables around p = 0.05: "p < 0.05" exactly when the interval excludes 0.
    #[test]
    fn interval_and_p_value_never_contradict() {
        let agree = |i: &Interval| {
            assert_eq!(i.p_value < ALPHA, !i.contains_zero(), "{i:?}");
            assert!(i.lo <= i.estimate && i.estimate <= i.hi, "{i:?}");
        };
        for (nc, nt) in [(17, 23), (1, 9), (40, 40)] {
            for xc in 0..=nc {
                for xt in 0..=nt {
                    agree(&newcombe_unpaired(xc, nc, xt, nt).unwrap());
                }
            }
        }
        for xc in 20..60 {
            for xt in 20..80 {
                agree(&newcombe_unpaired(xc, 400, xt, 400).unwrap());
            }
        }
        let n = 20;
        for a in 0..=n {
            for b in 0..=n - a {
                for c in 0..=n - a - b {
                    agree(&newcombe_paired(a, b, c, n).unwrap());
                }
            }
        }
        for b in 20..60 {
            for c in 20..60 {
                agree(&newcombe_paired(100, b, c, 1000).unwrap());
            }
        }
    }

    fn ln_binomial_pmf(k: u64, n: u64, p: f64) -> f64 {
        ln_binom(k as f64, n as f64, p, 1.0 - p)
    }

    /// Exact coverage of `p_t − p_c` by enumerating all outcomes, weighted by their binomial
    /// probabilities: (Newcombe method 10, the reported interval, Wald).
    fn unpaired_coverage(nc: u64, pc: f64, nt: u64, pt: f64) -> (f64, f64, f64) {
        let truth = pt - pc;
        let inside = |lo: f64, hi: f64| lo - 1e-12 <= truth && truth <= hi + 1e-12;
        let mut cover = (0.0, 0.0, 0.0);
        for xc in 0..=nc {
            for xt in 0..=nt {
                let w = (ln_binomial_pmf(xc, nc, pc) + ln_binomial_pmf(xt, nt, pt)).exp();
                let (lo, hi) = unpaired_limits(xc, nc, xt, nt, z975());
                let reported = newcombe_unpaired(xc, nc, xt, nt).unwrap();
                let wald = inference::two_proportions(xc, nc, xt, nt).unwrap();
                cover.0 += w * f64::from(u8::from(inside(lo, hi)));
                cover.1 += w * f64::from(u8::from(inside(reported.lo, reported.hi)));
                cover.2 += w * f64::from(u8::from(inside(wald.ci_low, wald.ci_high)));
            }
        }
        cover
    }

    /// The brief's check (50 per group, 2% vs 2%: coverage ≥ 0.93) and rare shares where the
    /// Wald interval fails; the values match the enumeration in scripts/reference-intervals.py.
    #[test]
    fn exact_coverage_of_newcombe_is_near_or_above_95_percent() {
        for (nc, pc, nt, pt, newcombe, wald) in [
            (50, 0.02, 50, 0.02, 0.997617299028, 0.986708258734),
            (50, 0.02, 50, 0.06, 0.980906456017, 0.931026257969),
            (150, 0.005, 150, 0.015, 0.991732314097, 0.890797231785),
        ] {
            let (plain, reported, w) = unpaired_coverage(nc, pc, nt, pt);
            close(plain, newcombe, 1e-9);
            close(w, wald, 1e-9);
            assert!(
                reported >= plain - 1e-12 && plain >= 0.93,
                "{plain} {reported}"
            );
        }
        let (_, _, wald) = unpaired_coverage(150, 0.005, 150, 0.015);
        assert!(
            wald < 0.90,
            "the Wald interval under-covers rare shares: {wald}"
        );
    }

    /// Paired method 10 over every table of 30 pairs.
    #[test]
    fn exact_coverage_of_the_paired_interval() {
        for (probs, expected) in [
            ([0.05_f64, 0.05, 0.10, 0.80], 0.979237257111),
            ([0.0, 0.02, 0.02, 0.96], 0.999639569195),
        ] {
            let n = 30u64;
            let truth = probs[2] - probs[1];
            let ln_fact = |k: u64| ln_gamma(k as f64 + 1.0);
            let (mut plain, mut reported) = (0.0, 0.0);
            for a in 0..=n {
                for b in 0..=n - a {
                    for c in 0..=n - a - b {
                        let cells = [a, b, c, n - a - b - c];
                        let mut lw = ln_fact(n);
                        for (k, p) in cells.iter().zip(probs) {
                            lw -= ln_fact(*k);
                            if *k > 0 {
                                lw += *k as f64 * p.ln();
                            }
                        }
                        let w = lw.exp();
                        let inside = |lo: f64, hi: f64| lo - 1e-12 <= truth && truth <= hi + 1e-12;
                        let phi = corrected_phi(a, b, c, cells[3]);
                        let (lo, hi) = paired_limits(a, b, c, n, phi, z975());
                        let i = newcombe_paired(a, b, c, n).unwrap();
                        plain += w * f64::from(u8::from(inside(lo, hi)));
                        reported += w * f64::from(u8::from(inside(i.lo, i.hi)));
                    }
                }
            }
            close(plain, expected, 1e-9);
            assert!(reported >= plain - 1e-12 && plain >= 0.93);
        }
    }

    #[test]
    fn holm_matches_statsmodels() {
        let p = [Some(0.01), Some(0.04), Some(0.03), Some(0.005), Some(0.2)];
        let expected = [0.04, 0.09, 0.09, 0.025, 0.2];
        for (a, e) in holm(&p).iter().zip(expected) {
            close(a.unwrap(), e, 1e-12);
        }
        let ties = holm(&[Some(0.04), Some(0.04), Some(0.5)]);
        assert_eq!(ties, vec![Some(0.12), Some(0.12), Some(0.5)]);
        // None stays None and is not counted: the family here has two members.
        let with_none = holm(&[Some(0.01), None, Some(0.04), None]);
        assert_eq!(with_none, vec![Some(0.02), None, Some(0.04), None]);
        assert_eq!(holm(&[]), vec![]);
        assert_eq!(
            holm(&[Some(0.6), Some(f64::NAN)]),
            vec![Some(1.0), Some(1.0)]
        );
    }

    /// CACE: delta method and Fieller, against the formulas in scripts/reference-intervals.py.
    #[test]
    fn cace_delta_method_and_fieller() {
        let c = Moments {
            mean: -300.0,
            var: 250_000.0,
            n: 500,
        };
        let t = Moments {
            mean: -360.0,
            var: 240_000.0,
            n: 500,
        };
        let d = cace_wald(&c, &t, 340, Some(-40.0)).unwrap();
        close(d.estimate, -88.2352941176, 1e-9);
        close(d.lo, -178.079263665, 1e-6);
        close(d.hi, 1.60867543019, 1e-5);
        close(d.p_value, 0.0555704566851, 1e-6);
        assert!(d.contains_zero() && !d.reconciled);
        let f = cace_fieller(&c, &t, 340, -40.0).unwrap();
        close(f.lo, -177.895490312, 1e-6);
        close(f.hi, 2.12029940793, 1e-5);
        assert_eq!(f.p_value, d.p_value);
        // Without the covariance: conservative (wider than with any admissible covariance).
        let bounded = cace_wald(&c, &t, 340, None).unwrap();
        assert!(bounded.lo < d.lo && bounded.hi > d.hi, "{bounded:?}");

        // Shares: 25.6% vs 14.9% of 1,000, 68% took up.
        let (sc, st) = (
            Moments {
                mean: 0.256,
                var: 0.256 * 0.744 * 1000.0 / 999.0,
                n: 1000,
            },
            Moments::share(149, 1000),
        );
        assert_eq!(Moments::share(256, 1000), sc);
        let d = cace_wald(&sc, &st, 680, Some(-0.03)).unwrap();
        close(d.lo, -0.20842113954, 1e-6);
        close(d.hi, -0.106284742813, 1e-6);
        close(d.p_value, 2.29308996701e-09, 1e-4);
        let f = cace_fieller(&sc, &st, 680, -0.03).unwrap();
        close(f.lo, -0.208502764808, 1e-6);
        close(f.hi, -0.106273783225, 1e-6);

        // Everyone took it: the CACE is the ITT effect with the Welch interval.
        let itt = inference::welch(c.mean, c.var, c.n, t.mean, t.var, t.n).unwrap();
        let all = cace_wald(&c, &t, 500, Some(0.0)).unwrap();
        close(all.lo, itt.ci_low, 1e-9);
        close(all.hi, itt.ci_high, 1e-9);
        close(
            takeup_covariance(-400.0, -275.0, 340, 500),
            340.0 * 160.0 / (500.0 * 499.0) * -125.0,
            1e-12,
        );

        let reason = |e: Result<Interval, NotEstimable>| e.unwrap_err().reason;
        assert_eq!(reason(cace_wald(&c, &t, 0, None)), "no take-up");
        assert_eq!(reason(cace_wald(&c, &t, 501, None)), "take-up above n");
        assert_eq!(
            reason(cace_wald(&c, &t, 340, Some(1e6))),
            "covariance outside its bounds"
        );
        assert!(reason(cace_fieller(&c, &t, 1, 0.0)).starts_with("unbounded Fieller set"));
        let one = Moments { n: 1, ..c };
        assert_eq!(reason(cace_wald(&one, &t, 340, None)), "n = 1");
        let nan = Moments {
            mean: f64::NAN,
            ..c
        };
        assert_eq!(reason(cace_wald(&nan, &t, 340, None)), "invalid moments");
    }
}
