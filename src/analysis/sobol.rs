//! Global sensitivity: a seeded Latin hypercube design over the unit cube, Sobol indices from a
//! polynomial chaos surrogate fitted to the draws, their bootstrap intervals, and the quantiles
//! of a mixture of normal distributions (the total interval).
//!
//! **The method.** Each assumption `i` is drawn as `x_i = F_i⁻¹(u_i)` from a point `u` of a
//! Latin hypercube in `[0, 1)^k` (`F_i` its distribution). The output `y` (an effect) is
//! approximated by a polynomial chaos expansion in `u`: orthonormal shifted Legendre
//! polynomials of degree 1 and 2 of each `u_i` and the products `P₁(u_i)·P₁(u_j)`, fitted by
//! least squares. Because the basis is orthonormal under independent uniform `u`, the
//! surrogate's variance splits exactly over the terms (Sudret 2008, "Global sensitivity
//! analysis using polynomial chaos expansions", Reliab. Eng. Syst. Saf. 93): the first-order
//! Sobol index of `i` is the share of variance of the terms in `u_i` alone, the total index the
//! share of every term involving `u_i`. The fit's R² and its leave-one-out Q² say how much of
//! the spread the surrogate captures; the indices are only as good as Q². With too few draws
//! for the interaction terms the expansion is linear (first = total, interactions unmeasured).
//!
//! Must not: run simulations, format text or write files.

use rand::{RngExt, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;
use serde::Serialize;
use statrs::distribution::{ContinuousCDF, Normal};

/// A Latin hypercube of `n` points in `[0, 1)^k`: each dimension's `n` strata each hold one
/// point, in a seeded random order and at a seeded random place inside the stratum.
pub fn latin_hypercube(n: usize, k: usize, seed: u64) -> Vec<Vec<f64>> {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed ^ 0x005e_ed0f_1a7e_5a11);
    let mut pts = vec![vec![0.0; k]; n];
    for d in 0..k {
        let mut perm: Vec<usize> = (0..n).collect();
        // Fisher–Yates.
        for i in (1..n).rev() {
            let j = rng.random_range(0..=i);
            perm.swap(i, j);
        }
        for (i, p) in pts.iter_mut().enumerate() {
            let jitter: f64 = rng.random();
            p[d] = (perm[i] as f64 + jitter) / n as f64;
        }
    }
    pts
}

/// One term of the expansion: the variables it involves with their polynomial degree.
#[derive(Clone, Debug, PartialEq)]
pub struct Term(pub Vec<(usize, u8)>);

/// The orthonormal shifted Legendre polynomial of degree `d` (0, 1 or 2) on `[0, 1]`.
fn legendre(d: u8, u: f64) -> f64 {
    match d {
        0 => 1.0,
        1 => 3f64.sqrt() * (2.0 * u - 1.0),
        _ => 5f64.sqrt() * (6.0 * u * u - 6.0 * u + 1.0),
    }
}

impl Term {
    fn eval(&self, u: &[f64]) -> f64 {
        self.0.iter().map(|&(i, d)| legendre(d, u[i])).product()
    }
}

/// The non-constant terms of the expansion of `degree` (1 or 2) in `k` variables: each `P₁`,
/// then (degree 2) each `P₂` and each product `P₁·P₁`.
pub fn terms(k: usize, degree: u8) -> Vec<Term> {
    let mut t: Vec<Term> = (0..k).map(|i| Term(vec![(i, 1)])).collect();
    if degree >= 2 {
        t.extend((0..k).map(|i| Term(vec![(i, 2)])));
        for i in 0..k {
            for j in i + 1..k {
                t.push(Term(vec![(i, 1), (j, 1)]));
            }
        }
    }
    t
}

/// The expansion's degree for `n` draws of `k` assumptions: 2 when there are at least twice as
/// many draws as coefficients, 1 when at least twice as many as the linear ones, else none.
pub fn degree_for(n: usize, k: usize) -> Option<u8> {
    let full = 1 + 2 * k + k * (k.saturating_sub(1)) / 2;
    if n >= 2 * full {
        Some(2)
    } else if n >= 2 * (k + 1) {
        Some(1)
    } else {
        None
    }
}

/// A fitted expansion.
#[derive(Clone, Debug)]
pub struct Fit {
    /// The terms (without the constant).
    pub terms: Vec<Term>,
    /// The constant (the surrogate's mean).
    pub mean: f64,
    /// The coefficient of each term.
    pub coefs: Vec<f64>,
    /// Share of the draws' variance the fit explains.
    pub r2: f64,
    /// Leave-one-out share: 1 − PRESS / total sum of squares (how well it predicts a draw it
    /// was not fitted on).
    pub q2: f64,
}

/// Least squares by modified Gram–Schmidt: the coefficients and the leverage of each row
/// (columns whose residual norm vanishes get coefficient 0).
fn least_squares(a: &[Vec<f64>], y: &[f64]) -> (Vec<f64>, Vec<f64>) {
    let (n, p) = (a.len(), a.first().map_or(0, |r| r.len()));
    // Columns of A, then orthonormalised in place into Q; R upper triangular.
    let mut q: Vec<Vec<f64>> = (0..p).map(|j| a.iter().map(|r| r[j]).collect()).collect();
    let mut r = vec![vec![0.0; p]; p];
    let mut keep = vec![true; p];
    for j in 0..p {
        for i in 0..j {
            if !keep[i] {
                continue;
            }
            let (done, rest) = q.split_at_mut(j);
            let (qi, qj) = (&done[i], &mut rest[0]);
            let d: f64 = qi.iter().zip(qj.iter()).map(|(a, b)| a * b).sum();
            r[i][j] = d;
            for (x, y) in qj.iter_mut().zip(qi) {
                *x -= d * y;
            }
        }
        let norm = q[j].iter().map(|x| x * x).sum::<f64>().sqrt();
        let scale = a.iter().map(|row| row[j] * row[j]).sum::<f64>().sqrt();
        if norm <= 1e-10 * scale.max(1e-300) {
            keep[j] = false;
            continue;
        }
        r[j][j] = norm;
        for x in q[j].iter_mut() {
            *x /= norm;
        }
    }
    // Qᵀy, then back substitution.
    let qty: Vec<f64> = (0..p)
        .map(|j| {
            if keep[j] {
                (0..n).map(|t| q[j][t] * y[t]).sum()
            } else {
                0.0
            }
        })
        .collect();
    let mut c = vec![0.0; p];
    for j in (0..p).rev() {
        if !keep[j] {
            continue;
        }
        let s: f64 = (j + 1..p)
            .filter(|&i| keep[i])
            .map(|i| r[j][i] * c[i])
            .sum();
        c[j] = (qty[j] - s) / r[j][j];
    }
    let leverage = (0..n)
        .map(|t| (0..p).filter(|&j| keep[j]).map(|j| q[j][t] * q[j][t]).sum())
        .collect();
    (c, leverage)
}

/// Fits the expansion of `degree` to outputs `y` at design points `u` (rows).
pub fn fit(u: &[Vec<f64>], y: &[f64], degree: u8) -> Fit {
    let k = u.first().map_or(0, |r| r.len());
    let terms = terms(k, degree);
    let a: Vec<Vec<f64>> = u
        .iter()
        .map(|p| {
            std::iter::once(1.0)
                .chain(terms.iter().map(|t| t.eval(p)))
                .collect()
        })
        .collect();
    let (c, lev) = least_squares(&a, y);
    let n = y.len() as f64;
    let ybar = y.iter().sum::<f64>() / n;
    let sst: f64 = y.iter().map(|v| (v - ybar).powi(2)).sum();
    let (mut sse, mut press) = (0.0, 0.0);
    for (i, row) in a.iter().enumerate() {
        let pred: f64 = row.iter().zip(&c).map(|(x, b)| x * b).sum();
        let e = y[i] - pred;
        sse += e * e;
        let h = lev[i].min(1.0 - 1e-9);
        press += (e / (1.0 - h)).powi(2);
    }
    let share = |s: f64| if sst > 0.0 { 1.0 - s / sst } else { 1.0 };
    Fit {
        terms,
        mean: c.first().copied().unwrap_or(0.0),
        coefs: c.get(1..).map(|s| s.to_vec()).unwrap_or_default(),
        r2: share(sse),
        q2: share(press),
    }
}

/// First-order and total Sobol indices of each of `k` variables from a fit (`None` when the
/// surrogate has no variance).
pub fn indices(f: &Fit, k: usize) -> Option<(Vec<f64>, Vec<f64>)> {
    let v: f64 = f.coefs.iter().map(|c| c * c).sum();
    if v <= 0.0 || !v.is_finite() {
        return None;
    }
    let mut first = vec![0.0; k];
    let mut total = vec![0.0; k];
    for (t, c) in f.terms.iter().zip(&f.coefs) {
        let share = c * c / v;
        if t.0.len() == 1 {
            first[t.0[0].0] += share;
        }
        for &(i, _) in &t.0 {
            total[i] += share;
        }
    }
    Some((first, total))
}

/// One assumption's Sobol indices with their bootstrap 95% intervals.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Index {
    /// First-order index: the share of the effect's variance over the draws that this
    /// assumption explains alone.
    pub first: f64,
    /// Bootstrap 95% interval of `first`.
    pub first_low: f64,
    /// Upper bound.
    pub first_high: f64,
    /// Total index: the share it explains alone or together with others.
    pub total: f64,
    /// Bootstrap 95% interval of `total`.
    pub total_low: f64,
    /// Upper bound.
    pub total_high: f64,
}

/// The indices of the fit to all draws, with percentile intervals over `resamples` bootstrap
/// resamples of the draws (seeded), each refitted.
pub fn indices_with_intervals(
    u: &[Vec<f64>],
    y: &[f64],
    degree: u8,
    resamples: usize,
    seed: u64,
) -> Option<(Fit, Vec<Index>)> {
    let k = u.first().map_or(0, |r| r.len());
    let f = fit(u, y, degree);
    let (first, total) = indices(&f, k)?;
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed ^ 0xb007_57a9);
    let n = y.len();
    let mut boot_first: Vec<Vec<f64>> = vec![Vec::with_capacity(resamples); k];
    let mut boot_total: Vec<Vec<f64>> = vec![Vec::with_capacity(resamples); k];
    for _ in 0..resamples {
        let idx: Vec<usize> = (0..n).map(|_| rng.random_range(0..n)).collect();
        let ub: Vec<Vec<f64>> = idx.iter().map(|&i| u[i].clone()).collect();
        let yb: Vec<f64> = idx.iter().map(|&i| y[i]).collect();
        if let Some((fb, tb)) = indices(&fit(&ub, &yb, degree), k) {
            for i in 0..k {
                boot_first[i].push(fb[i]);
                boot_total[i].push(tb[i]);
            }
        }
    }
    let pct = |v: &mut Vec<f64>, p: f64, dflt: f64| {
        if v.is_empty() {
            return dflt;
        }
        v.sort_by(f64::total_cmp);
        let pos = p * (v.len() - 1) as f64;
        let (lo, hi) = (pos.floor() as usize, pos.ceil() as usize);
        v[lo] + (v[hi] - v[lo]) * (pos - lo as f64)
    };
    let out = (0..k)
        .map(|i| Index {
            first: first[i],
            first_low: pct(&mut boot_first[i], 0.025, first[i]),
            first_high: pct(&mut boot_first[i], 0.975, first[i]),
            total: total[i],
            total_low: pct(&mut boot_total[i], 0.025, total[i]),
            total_high: pct(&mut boot_total[i], 0.975, total[i]),
        })
        .collect();
    Some((f, out))
}

/// The `p` quantile of the equal-weight mixture of normal distributions `N(m_j, s_j²)` (a
/// zero `s_j` is a point mass): the distribution of an effect over assumption draws, each
/// blurred by its own simulation noise.
pub fn mixture_quantile(parts: &[(f64, f64)], p: f64) -> Option<f64> {
    if parts.is_empty() || !(0.0..=1.0).contains(&p) {
        return None;
    }
    let std = Normal::new(0.0, 1.0).ok()?;
    let cdf = |x: f64| {
        parts
            .iter()
            .map(|&(m, s)| {
                if s > 0.0 {
                    std.cdf((x - m) / s)
                } else if x >= m {
                    1.0
                } else {
                    0.0
                }
            })
            .sum::<f64>()
            / parts.len() as f64
    };
    let mut lo = parts
        .iter()
        .map(|&(m, s)| m - 9.0 * s.max(0.0))
        .fold(f64::INFINITY, f64::min);
    let mut hi = parts
        .iter()
        .map(|&(m, s)| m + 9.0 * s.max(0.0))
        .fold(f64::NEG_INFINITY, f64::max);
    if !(lo.is_finite() && hi.is_finite()) {
        return None;
    }
    for _ in 0..200 {
        let mid = 0.5 * (lo + hi);
        if cdf(mid) < p {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    Some(hi)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latin_hypercube_fills_every_stratum_once() {
        let pts = latin_hypercube(50, 3, 7);
        for d in 0..3 {
            let mut strata: Vec<usize> = pts.iter().map(|p| (p[d] * 50.0) as usize).collect();
            strata.sort();
            assert_eq!(strata, (0..50).collect::<Vec<_>>());
        }
        assert_eq!(pts, latin_hypercube(50, 3, 7));
        assert_ne!(pts, latin_hypercube(50, 3, 8));
    }

    /// y = 3·x1 + 1·x2 + 0·x3 with x_i uniform on [0, 1]: Var = 9/12 + 1/12, so
    /// S1 = 0.9, S2 = 0.1, S3 = 0 (first = total: no interaction).
    #[test]
    fn a_linear_model_has_its_known_indices() {
        let u = latin_hypercube(200, 3, 1);
        let y: Vec<f64> = u.iter().map(|p| 3.0 * p[0] + p[1]).collect();
        let (f, idx) = indices_with_intervals(&u, &y, 2, 50, 1).unwrap();
        assert!(f.q2 > 0.999_999, "q2 {}", f.q2);
        assert!((idx[0].first - 0.9).abs() < 1e-9, "{:?}", idx[0]);
        assert!((idx[1].first - 0.1).abs() < 1e-9);
        assert!(
            idx[2].total.abs() < 1e-9,
            "a key without effect: {:?}",
            idx[2]
        );
        assert!((idx[0].total - 0.9).abs() < 1e-9);
        assert!(idx[0].first_low <= 0.9 + 1e-9 && idx[0].first_high >= 0.9 - 1e-9);
    }

    /// y = x1 + x2 + 2·x1·x2 on [0, 1]²: with a = x1 − ½, b = x2 − ½,
    /// y = 2ab + 2a + 2b + const, Var(2a) = Var(2b) = 1/3 and Var(2ab) = 4/144 = 1/36, so
    /// S1 = S2 = (1/3)/(2/3 + 1/36) = 12/25 and ST1 = ST2 = (1/3 + 1/36)/(25/36) = 13/25.
    #[test]
    fn an_interaction_splits_first_and_total_indices() {
        let u = latin_hypercube(120, 2, 3);
        let y: Vec<f64> = u.iter().map(|p| p[0] + p[1] + 2.0 * p[0] * p[1]).collect();
        let f = fit(&u, &y, 2);
        let (first, total) = indices(&f, 2).unwrap();
        for i in 0..2 {
            assert!((first[i] - 12.0 / 25.0).abs() < 1e-9, "{first:?}");
            assert!((total[i] - 13.0 / 25.0).abs() < 1e-9, "{total:?}");
        }
    }

    /// Noise that no assumption explains lowers Q², and a pure-noise input gets an index near 0.
    #[test]
    fn noise_shows_in_q2_and_not_in_the_indices() {
        let u = latin_hypercube(400, 3, 5);
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(9);
        let y: Vec<f64> = u
            .iter()
            .map(|p| 2.0 * p[0] + 0.3 * (rng.random::<f64>() - 0.5))
            .collect();
        let f = fit(&u, &y, 2);
        let (first, total) = indices(&f, 3).unwrap();
        assert!(f.q2 < 0.99 && f.q2 > 0.8, "q2 {}", f.q2);
        assert!(first[0] > 0.95, "{first:?}");
        assert!(total[1] < 0.03 && total[2] < 0.03, "{total:?}");
    }

    #[test]
    fn degree_follows_the_number_of_draws() {
        assert_eq!(degree_for(200, 6), Some(2)); // 28 coefficients
        assert_eq!(degree_for(40, 6), Some(1));
        assert_eq!(degree_for(10, 6), None);
    }

    #[test]
    fn mixture_quantiles() {
        // One normal: its own quantiles.
        let q = mixture_quantile(&[(1.0, 2.0)], 0.975).unwrap();
        assert!((q - (1.0 + 1.959_964 * 2.0)).abs() < 1e-4);
        // Point masses: the empirical quantile.
        let pts: Vec<(f64, f64)> = (0..100).map(|i| (i as f64, 0.0)).collect();
        let q = mixture_quantile(&pts, 0.5).unwrap();
        assert!((49.0..=50.0).contains(&q), "{q}");
        // Wider than either part alone.
        let q_hi = mixture_quantile(&[(0.0, 1.0), (10.0, 1.0)], 0.975).unwrap();
        assert!(q_hi > 11.0);
    }
}
