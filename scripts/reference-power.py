#!/usr/bin/env python3
"""Reference values for src/analysis/power.rs (its unit tests paste this output).

Run:  pip install scipy statsmodels && python3 scripts/reference-power.py

The power of the two-sided two-sample test of proportions, normal approximation with the
pooled variance under "no difference" (Fleiss, Levin & Paik, Statistical Methods for Rates and
Proportions, 3rd ed. 2003, section 4.2, without continuity correction), n households per arm:

    power = Phi((|d| sqrt(n) - z s0) / s1) + Phi((-|d| sqrt(n) - z s0) / s1)
    d = p2 - p1,  z = Phi^-1(1 - alpha/2),  s0 = sqrt(2 pbar (1 - pbar)),  pbar = (p1 + p2)/2,
    s1 = sqrt(p1 (1 - p1) + p2 (1 - p2)).

It is computed twice: written out by hand on scipy's normal distribution, and with statsmodels'
power_proportions_2indep (the same test: pooled standard deviation under the null, unpooled
under the alternative, both rejection regions). statsmodels' NormalIndPower with
proportion_effectsize is the arcsine (Cohen's h) approximation: a different formula, not used.
The sample size is the classic closed form that solves the first term alone for the power
(src/analysis/inference.rs, sample_size_two_proportions).
"""

import math

from scipy import stats
from statsmodels.stats.proportion import power_proportions_2indep


def power(p1, p2, n, alpha=0.05):
    z = stats.norm.ppf(1 - alpha / 2)
    d = abs(p2 - p1)
    pbar = (p1 + p2) / 2
    s0 = math.sqrt(2 * pbar * (1 - pbar))
    s1 = math.sqrt(p1 * (1 - p1) + p2 * (1 - p2))
    return stats.norm.cdf((d * math.sqrt(n) - z * s0) / s1) + stats.norm.cdf(
        (-d * math.sqrt(n) - z * s0) / s1
    )


def sample_size(p1, p2, alpha=0.05, target=0.8):
    za, zb = stats.norm.ppf(1 - alpha / 2), stats.norm.ppf(target)
    pbar = (p1 + p2) / 2
    num = za * math.sqrt(2 * pbar * (1 - pbar)) + zb * math.sqrt(p1 * (1 - p1) + p2 * (1 - p2))
    return math.ceil(num * num / (p1 - p2) ** 2)


CASES = [
    # (p1, p2, n per arm, alpha)
    (0.30, 0.20, 294, 0.05),
    (0.30, 0.20, 293, 0.05),
    (0.30, 0.20, 100, 0.05),
    (0.311, 0.180, 150, 0.05),
    (0.05, 0.03, 1000, 0.05),
    (0.05, 0.03, 1000, 0.01),
    (0.02, 0.06, 50, 0.05),
    (0.5, 0.49, 10000, 0.05),
]

if __name__ == "__main__":
    print("power (hand formula; statsmodels power_proportions_2indep)")
    for p1, p2, n, alpha in CASES:
        sm = power_proportions_2indep(
            p2 - p1, p1, n, ratio=1, alpha=alpha, alternative="two-sided"
        ).power
        hand = power(p1, p2, n, alpha)
        assert abs(sm - hand) < 1e-12, (p1, p2, n, alpha, sm, hand)
        print(f"p1={p1} p2={p2} n={n} alpha={alpha}: {hand:.12g} (statsmodels {sm:.12g})")
    print("sample size for 80% power at 5% two-sided, and the power at n and n - 1")
    for p1, p2 in [(0.30, 0.20), (0.311, 0.180), (0.311, 0.1769), (0.311, 0.1831), (0.05, 0.03)]:
        n = sample_size(p1, p2)
        print(f"p1={p1} p2={p2}: n={n}, power(n)={power(p1, p2, n):.12g}, "
              f"power(n-1)={power(p1, p2, n - 1):.12g}")
