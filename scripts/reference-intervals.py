#!/usr/bin/env python3
"""Reference values for src/analysis/intervals.rs (its unit tests paste this output).

Run:  pip install scipy statsmodels && python3 scripts/reference-intervals.py

Everything comes from scipy / statsmodels except where no library has the method (Fisher and
McNemar mid-p, Newcombe's paired method 10, the CACE delta method and Fieller interval): those
are written out below from the published formulas (a second implementation, in another
language, on top of scipy's distributions), and the paired method is checked against the worked
example published in Fagerland, Lydersen & Laake, Statistical Analysis of Contingency Tables
(2017), ch. 8 (Cavo et al. 2012 data: -0.0621, 95% CI -0.1186 to -0.0046).
Counts are given as (x_c, n_c, x_t, n_t): control, then treatment; differences are t - c.
"""

import math

import numpy as np
from scipy import stats
from statsmodels.stats.contingency_tables import mcnemar
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.proportion import (
    confint_proportions_2indep,
    proportion_confint,
    proportions_ztest,
)

Z = stats.norm.ppf(0.975)


def show(label, *values):
    print(f"{label}: " + ", ".join(f"{v:.12g}" for v in values))


def wilson(x, n, z=Z):
    lo, hi = proportion_confint(x, n, alpha=2 * (1 - stats.norm.cdf(z)), method="wilson")
    return float(lo), float(hi)


def fisher_midp(x_c, n_c, x_t, n_t):
    """Fisher mid-p: P(tables less probable) + 0.5 P(tables as probable), relative tie 1e-7."""
    m, big_n = x_c + x_t, n_c + n_t
    dist = stats.hypergeom(big_n, m, n_t)
    lo, hi = max(0, n_t - (big_n - m)), min(m, n_t)
    if lo == hi:
        return 1.0  # one possible table: no evidence either way (the module's convention)
    pmf = dist.pmf(np.arange(lo, hi + 1))
    obs = dist.pmf(x_t)
    less = pmf[pmf < obs * (1 - 1e-7)].sum()
    tied = pmf[np.abs(pmf - obs) <= obs * 1e-7].sum()
    return min(1.0, less + 0.5 * tied)


def mcnemar_midp(b, c):
    """Fagerland, Lydersen & Laake 2013: 2 P(X <= min) - P(X = b), or 1 - P(X = b)/2 if b = c."""
    m = b + c
    if m == 0:
        return 1.0
    if b == c:
        return 1 - 0.5 * stats.binom.pmf(b, m, 0.5)
    return min(1.0, 2 * stats.binom.cdf(min(b, c), m, 0.5)) - stats.binom.pmf(b, m, 0.5)


def newcombe_paired(a, b, c, n):
    """Newcombe 1998b method 10 (phi corrected): b = control only, c = treatment only."""
    d = n - a - b - c
    pc, pt = (a + b) / n, (a + c) / n
    lc, uc = wilson(a + b, n)
    lt, ut = wilson(a + c, n)
    e, f, g, h = a + b, c + d, a + c, b + d
    if min(e, f, g, h) == 0:
        phi = 0.0
    else:
        big_a = a * d - b * c
        if big_a > n / 2:
            phi = (big_a - n / 2) / math.sqrt(e * f * g * h)
        elif big_a >= 0:
            phi = 0.0
        else:
            phi = big_a / math.sqrt(e * f * g * h)
    est = pt - pc
    dlt, duc, dlc, dut = pt - lt, uc - pc, pc - lc, ut - pt
    lo = est - math.sqrt(max(0.0, dlt**2 - 2 * phi * dlt * duc + duc**2))
    hi = est + math.sqrt(max(0.0, dlc**2 - 2 * phi * dlc * dut + dut**2))
    return est, max(-1.0, lo), min(1.0, hi)


def cace(mc, vc, nc, mt, vt, nt, takers, cov_yd):
    """Wald/IV estimator ITT / take-up; delta-method and Fieller intervals, Welch df."""
    itt = mt - mc
    pi = takers / nt
    v_itt = vc / nc + vt / nt
    v_pi = pi * (1 - pi) / nt
    cov = cov_yd / nt
    df = v_itt**2 / ((vc / nc) ** 2 / (nc - 1) + (vt / nt) ** 2 / (nt - 1))
    q = stats.t.ppf(0.975, df)
    est = itt / pi
    var = v_itt / pi**2 + itt**2 * v_pi / pi**4 - 2 * itt * cov / pi**3
    se = math.sqrt(var)
    # Fieller: (itt - theta pi)^2 <= q^2 (v_itt - 2 theta cov + theta^2 v_pi)
    qa = pi**2 - q**2 * v_pi
    qb = itt * pi - q**2 * cov
    qc = itt**2 - q**2 * v_itt
    disc = math.sqrt(qb**2 - qa * qc)
    p = 2 * stats.t.sf(abs(itt) / math.sqrt(v_itt), df)
    return est, est - q * se, est + q * se, (qb - disc) / qa, (qb + disc) / qa, p


def exact_coverage(n_c, p_c, n_t, p_t, interval):
    """Coverage of p_t - p_c by enumerating every outcome (x_c, x_t), weighted exactly."""
    wc = stats.binom.pmf(np.arange(n_c + 1), n_c, p_c)
    wt = stats.binom.pmf(np.arange(n_t + 1), n_t, p_t)
    truth = p_t - p_c
    cov = 0.0
    for xc in range(n_c + 1):
        for xt in range(n_t + 1):
            lo, hi = interval(xc, n_c, xt, n_t)
            if lo - 1e-12 <= truth <= hi + 1e-12:
                cov += wc[xc] * wt[xt]
    return cov


def paired_coverage(n, pa, pb, pc, pd):
    """Coverage of pc - pb by Newcombe's paired interval, every outcome (a, b, c, d) of n pairs."""
    truth = pc - pb
    cov = 0.0
    for a in range(n + 1):
        for b in range(n + 1 - a):
            for c in range(n + 1 - a - b):
                d = n - a - b - c
                w = stats.multinomial.pmf([a, b, c, d], n, [pa, pb, pc, pd])
                _, lo, hi = newcombe_paired(a, b, c, n)
                if lo - 1e-12 <= truth <= hi + 1e-12:
                    cov += w
    return cov


def newcombe(xc, nc, xt, nt):
    return confint_proportions_2indep(xt, nt, xc, nc, method="newcomb")


def wald(xc, nc, xt, nt):
    pc, pt = xc / nc, xt / nt
    se = math.sqrt(pc * (1 - pc) / nc + pt * (1 - pt) / nt)
    return pt - pc - Z * se, pt - pc + Z * se


def main():
    print("# z975")
    show("z", Z)
    print("# wilson(x, n): lo, hi")
    for x, n in [(0, 1), (1, 1), (0, 10), (3, 10), (81, 263), (5000, 1_000_000)]:
        show(f"wilson {x}/{n}", *wilson(x, n))

    print("# newcombe unpaired (x_c, n_c, x_t, n_t): lo, hi (statsmodels 'newcomb')")
    cases = [
        (48, 80, 56, 70),  # Newcombe 1998 Table II (a): 56/70 - 48/80
        (3, 10, 9, 10),  # (b)
        (2, 7, 6, 7),  # (c)
        (0, 29, 5, 56),  # (d)
        (0, 20, 0, 10),  # (e)
        (0, 10, 0, 10),  # (f)
        (0, 20, 10, 10),  # (g)
        (0, 10, 10, 10),  # (h)
        (0, 985, 4, 1015),  # the rare-share case of issue 17
        (49_000, 1_000_000, 50_000, 1_000_000),
        (0, 1, 1, 1),
    ]
    for xc, nc, xt, nt in cases:
        lo, hi = newcombe(xc, nc, xt, nt)
        show(f"newcombe {xc}/{nc} -> {xt}/{nt}", float(lo), float(hi))

    print("# pooled score z test (statsmodels proportions_ztest): p")
    for xc, nc, xt, nt in [(0, 985, 4, 1015), (30, 100, 45, 100), (48, 80, 56, 70),
                           (49_000, 1_000_000, 50_000, 1_000_000)]:
        _, p = proportions_ztest([xt, xc], [nt, nc])
        show(f"score {xc}/{nc} -> {xt}/{nt}", p)

    print("# Fisher exact two-sided (scipy) and mid-p: p, mid-p")
    for xc, nc, xt, nt in [(0, 985, 4, 1015), (1, 4, 3, 4), (2, 7, 6, 7), (0, 29, 5, 56),
                           (0, 10, 0, 10), (0, 1, 1, 1), (1, 34, 7, 34),
                           (100, 1_000_000, 140, 1_000_000), (48, 80, 56, 70)]:
        p = stats.fisher_exact([[xt, nt - xt], [xc, nc - xc]]).pvalue
        show(f"fisher {xc}/{nc} -> {xt}/{nt}", p, fisher_midp(xc, nc, xt, nt))
    for xc, nc, xt, nt in [(5_000_000, 10_000_000, 5_003_000, 10_000_000),
                           (1_000, 10_000_000, 1_200, 10_000_000)]:
        p = stats.fisher_exact([[xt, nt - xt], [xc, nc - xc]]).pvalue
        show(f"fisher {xc}/{nc} -> {xt}/{nt}", p)

    print("# McNemar (b = control only, c = treatment only): exact, mid-p, asymptotic")
    for b, c in [(0, 5), (5, 0), (3, 3), (0, 0), (1, 0), (16, 6), (7, 1), (25, 10),
                 (10_000, 10_300)]:
        table = [[0, b], [c, 0]]
        exact = mcnemar(table, exact=True).pvalue if b + c else 1.0
        asym = mcnemar(table, exact=False, correction=False).pvalue if b + c else 1.0
        show(f"mcnemar b={b} c={c}", exact, mcnemar_midp(b, c), asym)

    print("# newcombe paired (a, b, c, n): estimate, lo, hi")
    for a, b, c, n in [
        (59, 16, 6, 161),  # Cavo et al. 2012, Fagerland et al. 2017: -0.0621 (-0.1186, -0.0046)
        (1, 7, 1, 21),  # Bentur et al. 2009
        (0, 0, 5, 30),  # 30 households, 5 treatment-only pairs
        (10, 0, 5, 30),
        (0, 0, 0, 1),
        (0, 0, 1, 1),
        (200_000, 10_000, 10_300, 1_000_000),
    ]:
        show(f"paired {a} {b} {c} {n}", *newcombe_paired(a, b, c, n))

    print("# Holm (statsmodels multipletests 'holm')")
    p = [0.01, 0.04, 0.03, 0.005, 0.2]
    show("holm", *multipletests(p, method="holm")[1])
    p = [0.04, 0.04, 0.5]
    show("holm ties", *multipletests(p, method="holm")[1])

    print("# CACE (mc, vc, nc, mt, vt, nt, takers, cov_yd): est, delta lo, hi, Fieller lo, hi, p")
    show("cace", *cace(-300.0, 250_000.0, 500, -360.0, 240_000.0, 500, 340, -40.0))
    show("cace shares", *cace(0.256, 0.256 * 0.744 * 1000 / 999, 1000, 0.149,
                              0.149 * 0.851 * 1000 / 999, 1000, 680, -0.03))

    print("# exact coverage of the 95% interval (enumeration)")
    for nc, pc, nt, pt in [(50, 0.02, 50, 0.02), (50, 0.02, 50, 0.06), (150, 0.01, 150, 0.01),
                           (150, 0.005, 150, 0.015)]:
        show(f"coverage newcombe {nc} {pc} {nt} {pt}", exact_coverage(nc, pc, nt, pt, newcombe))
        show(f"coverage wald {nc} {pc} {nt} {pt}", exact_coverage(nc, pc, nt, pt, wald))
    for probs in [(0.05, 0.05, 0.10, 0.80), (0.0, 0.02, 0.02, 0.96)]:
        show(f"coverage paired 30 {probs}", paired_coverage(30, *probs))


if __name__ == "__main__":
    main()
