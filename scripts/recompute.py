#!/usr/bin/env python3
"""Independent recomputation of a run's comparisons from its households.csv (issue 17).

Usage:  python3 scripts/recompute.py RUN_DIR [--verbose]

RUN_DIR is the output of `toeslagenlab run SCENARIO --households-csv --out RUN_DIR`. Every
entry of summary.json's `comparisons` (and of `subgroups`, when present) is recomputed from the
household rows with scipy / statsmodels / numpy, not by porting the Rust code: library
functions where they exist (statsmodels' Newcombe interval, score test and McNemar test,
scipy's Fisher exact test, Welch and paired t tests with their intervals, Holm from
statsmodels, the chi-square law from scipy); formulas by hand only where no library has them
(Newcombe's paired interval, Newcombe 1998 Stat Med 17:2635 method 10; Fieller's interval for
the complier average causal effect; Cochran's Q; the inversion of an interval into a p-value).

Who is counted: rows with recipient == true. Back-payment: backpay_counted > 0; reclaim:
reclaim > 0; high reclaim: reclaim > threshold (euros).

Tolerances: summary.json rounds shares to 6 decimals, euros to cents and p-values to 8
decimals; a value agrees when it is within half a rounding unit (1.5 units for a difference of
two rounded values) plus a relative 1e-6.

Exit status: 0 every value agrees; 1 a disagreement (a table of them on stdout), an unknown
method or metric; 2 bad input (missing or unreadable files, missing keys or columns).
"""

import argparse
import json
import math
import re
import sys
from pathlib import Path

try:
    import numpy as np
    import pandas as pd
    from scipy import optimize, stats
    from scipy.stats.contingency import expected_freq
    from statsmodels.stats.contingency_tables import mcnemar
    from statsmodels.stats.multitest import multipletests
    from statsmodels.stats.proportion import (
        confint_proportions_2indep,
        proportion_confint,
        test_proportions_2indep,
    )
except ImportError as e:  # pragma: no cover - environment problem
    print(f"error: recompute.py needs numpy, pandas, scipy and statsmodels: {e}", file=sys.stderr)
    sys.exit(2)

ALPHA = 0.05
REL = 1e-6
SHARE_UNIT = 1e-6
EURO_UNIT = 0.01
P_UNIT = 1e-8
MIN_EXPECTED = 5.0  # Cochran's rule: Fisher's exact test below this expected cell count
MCNEMAR_EXACT_BELOW = 25  # exact McNemar test below this many discordant pairs

UNPAIRED_SCORE = "Newcombe hybrid score interval (method 10), pooled score test"
UNPAIRED_FISHER = "Newcombe hybrid score interval (method 10), Fisher exact test"
PAIRED_ASYMPTOTIC = "Newcombe paired score interval (method 10), McNemar test"
PAIRED_EXACT = "Newcombe paired score interval (method 10), exact McNemar test"
WELCH = "Welch t-test"
PAIRED_T = "paired t-test"
CONDITIONAL_PREFIX = "difference of conditional means"
BOOTSTRAP_PREFIX = "percentile bootstrap"
PAIRED_BOOTSTRAP_PREFIX = "paired percentile bootstrap"
TOTALS = "difference of totals"
CACE_PREFIX = "complier average causal effect"


class BadInput(Exception):
    """Input that cannot be checked: exit 2."""


class Unknown(Exception):
    """A row of a kind this script does not know: a failure, never a pass."""


# ---------------------------------------------------------------------------------------------
# Reading the run
# ---------------------------------------------------------------------------------------------

MONEY = [
    "advances",
    "definitive_award",
    "reclaim",
    "backpay_counted",
    "backpay",
    "withheld",
    "repayment_monthly",
    "net_settlement",
]
REQUIRED = ["household_id", "arm", "household_type", "took_offer", "recipient"] + MONEY


def read_run(run_dir):
    run = Path(run_dir)
    if not run.is_dir():
        raise BadInput(f"{run} is not a directory")
    sp, cp = run / "summary.json", run / "households.csv"
    for p in (sp, cp):
        if not p.is_file():
            hint = " (run with --households-csv)" if p == cp else ""
            raise BadInput(f"{p} is missing{hint}")
    try:
        summary = json.loads(sp.read_text())
    except (OSError, ValueError) as e:
        raise BadInput(f"{sp}: {e}") from e
    for key in ("scenario", "design", "arm_order", "comparisons", "high_reclaim_threshold"):
        if key not in summary:
            raise BadInput(f"{sp}: key `{key}` is missing")
    if summary["design"] not in ("paired", "randomized"):
        raise BadInput(f"{sp}: unknown design {summary['design']!r}")
    try:
        df = pd.read_csv(cp, dtype=str, keep_default_na=False)
    except (OSError, ValueError) as e:
        raise BadInput(f"{cp}: {e}") from e
    missing = [c for c in REQUIRED if c not in df.columns]
    if missing:
        raise BadInput(f"{cp}: columns missing: {', '.join(missing)}")
    try:
        df["household_id"] = df["household_id"].astype(np.int64)
        for c in MONEY:
            # Euros with two decimals -> exact integer cents.
            df[c] = np.rint(df[c].astype(float) * 100).astype(np.int64)
        for c in ("took_offer", "recipient"):
            bad = ~df[c].isin(["true", "false"])
            if bad.any():
                raise ValueError(f"column {c}: {df[c][bad].iloc[0]!r} is not true/false")
            df[c] = df[c] == "true"
    except ValueError as e:
        raise BadInput(f"{cp}: {e}") from e
    arms = summary["arm_order"]
    unknown = sorted(set(df["arm"]) - set(arms))
    if unknown:
        raise BadInput(f"{cp}: arms {unknown} are not in summary.json's arm_order")
    return summary, df


# ---------------------------------------------------------------------------------------------
# Outcomes of the metrics (a household's value, in euros or 0/1)
# ---------------------------------------------------------------------------------------------


def metric_kind(metric, summary):
    """(kind, outcome function of a frame -> numpy array). kind: share, mean, conditional,
    median, total."""
    thr = summary["high_reclaim_threshold"]
    bp = summary.get("backpay_threshold", 0)
    shares = {
        "reclaim_share": lambda d: d["reclaim"].to_numpy() > 0,
        "high_reclaim_share": lambda d: d["reclaim"].to_numpy() > thr * 100,
        "backpay_share": lambda d: d["backpay_counted"].to_numpy() > 0,
        "net_reclaim_share": lambda d: d["net_settlement"].to_numpy() < 0,
        "net_backpay_share": lambda d: d["net_settlement"].to_numpy() > bp * 100,
    }
    means = {
        "mean_reclaim_per_household": lambda d: d["reclaim"].to_numpy() / 100.0,
        "withheld_during_year": lambda d: d["withheld"].to_numpy() / 100.0,
        "mean_backpay_per_household": lambda d: d["backpay"].to_numpy() / 100.0,
        "mean_abs_gap": lambda d: np.abs(d["definitive_award"].to_numpy() - d["advances"].to_numpy())
        / 100.0,
        "mean_repayment_monthly_per_household": lambda d: d["repayment_monthly"].to_numpy() / 100.0,
        "mean_net_settlement": lambda d: d["net_settlement"].to_numpy() / 100.0,
    }
    reclaim = lambda d: d["reclaim"].to_numpy() / 100.0  # noqa: E731
    if metric in shares:
        return "share", shares[metric]
    m = re.fullmatch(r"high_reclaim_share_(\d+)", metric)
    if m:
        t = int(m.group(1))
        return "share", lambda d: d["reclaim"].to_numpy() > t * 100
    if metric in means:
        return "mean", means[metric]
    if metric == "mean_reclaim":
        return "conditional", reclaim
    if metric == "median_reclaim":
        return "median", reclaim
    if metric == "total_reclaimed":
        return "total", reclaim
    raise Unknown(f"unknown metric {metric!r}")


def unit_of(metric):
    return SHARE_UNIT if "share" in metric else EURO_UNIT


# ---------------------------------------------------------------------------------------------
# The statistics (each returns a dict of recomputed fields)
# ---------------------------------------------------------------------------------------------


def not_estimable(reason, method=None):
    return {"not_estimable": reason, "method": method}


def z_to_alpha(z):
    return 2.0 * stats.norm.sf(z)


def inverted_p(estimate, limits):
    """The p-value of an interval family: the alpha at which the near bound of the 1 - alpha
    interval reaches 0 (root of the bound as a function of the normal quantile z)."""
    if estimate == 0 or not math.isfinite(estimate):
        return 1.0

    def near(z):
        lo, hi = limits(z)
        return lo if estimate > 0 else -hi

    # Only called when 0 is inside the 95% interval, so the root lies below z = 1.96; z = 30
    # (alpha 5e-198) keeps statsmodels' quantile of alpha finite.
    if near(30.0) > 0:
        return z_to_alpha(30.0)
    z = optimize.brentq(near, 1e-9, 30.0, xtol=1e-13)
    return z_to_alpha(z)


def reconcile(r, family_p):
    """Interval and p-value agree about 0 at 5%: widen the interval to 0 when the test is not
    significant, or raise p to the interval family's own (at least 0.05) when it is."""
    inside = r["ci_low"] <= 0 <= r["ci_high"]
    if r["p_value"] < ALPHA and inside:
        r["p_value"] = max(family_p(), ALPHA)
        r["reconciled"] = True
    elif r["p_value"] >= ALPHA and not inside:
        r["ci_low"], r["ci_high"] = min(r["ci_low"], 0.0), max(r["ci_high"], 0.0)
        r["reconciled"] = True
    return r


def share_unpaired(xc, nc, xt, nt):
    if nc == 0 or nt == 0:
        return not_estimable("n = 0", UNPAIRED_SCORE)
    est = xt / nt - xc / nc

    def limits(z):
        lo, hi = confint_proportions_2indep(
            xt, nt, xc, nc, method="newcomb", compare="diff", alpha=z_to_alpha(z)
        )
        return max(float(lo), -1.0), min(float(hi), 1.0)

    lo, hi = limits(stats.norm.ppf(1 - ALPHA / 2))
    table = np.array([[xt, nt - xt], [xc, nc - xc]])
    exact = expected_freq(table).min() < MIN_EXPECTED
    if exact:
        p, method = stats.fisher_exact(table, alternative="two-sided")[1], UNPAIRED_FISHER
    else:
        # correction=False: the pooled score test (Pearson chi-square), no n/(n-1) factor.
        p = test_proportions_2indep(
            xt, nt, xc, nc, method="score", compare="diff", correction=False
        ).pvalue
        method = UNPAIRED_SCORE
    r = {"estimate": est, "ci_low": lo, "ci_high": hi, "p_value": float(p), "method": method}
    return reconcile(r, lambda: inverted_p(est, limits))


def wilson(x, n, z):
    lo, hi = proportion_confint(x, n, alpha=z_to_alpha(z), method="wilson")
    return float(lo), float(hi)


def newcombe_paired_limits(a, b, c, d, z):
    """Newcombe 1998 (Stat Med 17:2635) method 10 for (treatment share) - (control share):
    control share (a + b)/n, treatment share (a + c)/n; a both, b control only, c treatment
    only, d neither."""
    n = a + b + c + d
    pc, pt = (a + b) / n, (a + c) / n
    lc, uc = wilson(a + b, n, z)
    lt, ut = wilson(a + c, n, z)
    margins = float(a + b) * (c + d) * (a + c) * (b + d)
    big_a = float(a) * d - float(b) * c
    if margins == 0:
        phi = 0.0
    elif big_a > n / 2:
        phi = (big_a - n / 2) / math.sqrt(margins)
    elif big_a >= 0:
        phi = 0.0
    else:
        phi = big_a / math.sqrt(margins)
    theta = pt - pc
    dl_t, du_t, dl_c, du_c = pt - lt, ut - pt, pc - lc, uc - pc
    delta = math.sqrt(max(dl_t**2 - 2 * phi * dl_t * du_c + du_c**2, 0.0))
    eps = math.sqrt(max(du_t**2 - 2 * phi * du_t * dl_c + dl_c**2, 0.0))
    return max(theta - delta, -1.0), min(theta + eps, 1.0)


def share_paired(yc, yt):
    """yc, yt: boolean arrays of the same households under control and treatment."""
    n = len(yc)
    if n == 0:
        return not_estimable("n = 0", PAIRED_ASYMPTOTIC)
    yc, yt = np.asarray(yc, bool), np.asarray(yt, bool)
    a = int(np.sum(yc & yt))  # the event under both arms
    b_c_only = int(np.sum(yc & ~yt))  # under control only
    c_t_only = int(np.sum(~yc & yt))  # under treatment only
    d = n - a - b_c_only - c_t_only
    est = (c_t_only - b_c_only) / n
    limits = lambda z: newcombe_paired_limits(a, b_c_only, c_t_only, d, z)  # noqa: E731
    lo, hi = limits(stats.norm.ppf(1 - ALPHA / 2))
    exact = b_c_only + c_t_only < MCNEMAR_EXACT_BELOW
    res = mcnemar(np.array([[a, b_c_only], [c_t_only, d]]), exact=exact, correction=False)
    p = float(res.pvalue)
    if not exact and b_c_only + c_t_only == 0:
        p = 1.0
    r = {
        "estimate": est,
        "ci_low": lo,
        "ci_high": hi,
        "p_value": p,
        "method": PAIRED_EXACT if exact else PAIRED_ASYMPTOTIC,
        "wald_var": (b_c_only + c_t_only - (c_t_only - b_c_only) ** 2 / n) / n**2,
    }
    return reconcile(r, lambda: inverted_p(est, limits))


def degenerate_or_none(diff, method):
    if diff == 0:
        return {"estimate": 0.0, "ci_low": 0.0, "ci_high": 0.0, "p_value": 1.0, "method": method}
    return not_estimable("no variation", method)


def welch_se_df(yc, yt):
    """Welch's standard error and Welch-Satterthwaite degrees of freedom."""
    a, b = np.var(yc, ddof=1) / len(yc), np.var(yt, ddof=1) / len(yt)
    return math.sqrt(a + b), (a + b) ** 2 / (a * a / (len(yc) - 1) + b * b / (len(yt) - 1))


def t_interval(res, diff, se_df):
    """The 95% interval of a scipy t-test result (scipy >= 1.11); for older scipy the same
    interval from the standard error and degrees of freedom."""
    if hasattr(res, "confidence_interval"):
        ci = res.confidence_interval(0.95)
        return float(ci.low), float(ci.high)
    se, df = se_df
    q = stats.t.ppf(0.975, df)
    return diff - q * se, diff + q * se


def mean_unpaired(yc, yt):
    nc, nt = len(yc), len(yt)
    if min(nc, nt) < 2:
        return not_estimable(f"n = {min(nc, nt)}", WELCH)
    diff = float(np.mean(yt) - np.mean(yc))
    if np.var(yc) == 0 and np.var(yt) == 0:
        return degenerate_or_none(diff, WELCH)
    res = stats.ttest_ind(yt, yc, equal_var=False)
    lo, hi = t_interval(res, diff, welch_se_df(yc, yt))
    return {
        "estimate": diff,
        "ci_low": lo,
        "ci_high": hi,
        "p_value": float(res.pvalue),
        "method": WELCH,
        "wald_var": np.var(yc, ddof=1) / nc + np.var(yt, ddof=1) / nt,
    }


def mean_paired(yc, yt):
    n = len(yc)
    if n < 2:
        return not_estimable(f"n = {n}", PAIRED_T)
    d = yt - yc
    if np.var(d) == 0:
        return degenerate_or_none(float(np.mean(d)), PAIRED_T)
    res = stats.ttest_rel(yt, yc)
    lo, hi = t_interval(res, float(np.mean(d)), (math.sqrt(np.var(d, ddof=1) / n), n - 1))
    return {
        "estimate": float(np.mean(d)),
        "ci_low": lo,
        "ci_high": hi,
        "p_value": float(res.pvalue),
        "method": PAIRED_T,
        "wald_var": np.var(d, ddof=1) / n,
    }


def share_unpaired_from(yc, yt):
    r = share_unpaired(int(yc.sum()), len(yc), int(yt.sum()), len(yt))
    if "not_estimable" not in r or r.get("not_estimable") is None:
        nc, nt = len(yc), len(yt)
        pc, pt = yc.mean(), yt.mean()
        r["wald_var"] = pc * (1 - pc) / nc + pt * (1 - pt) / nt
    return r


def cace_fieller(yc, yt, took):
    """Complier average causal effect ITT / pi (one-sided non-compliance) with Fieller's
    interval: the theta for which the Welch test does not reject ITT - theta * pi = 0,
    (ITT - theta pi)^2 <= t^2 (V_itt - 2 theta C + theta^2 V_pi), t the Welch 97.5% quantile;
    p = the Welch test of the ITT effect."""
    method = "complier average causal effect (ITT / take-up), Fieller interval, Welch test of the ITT effect"
    nc, nt = len(yc), len(yt)
    takers = int(took.sum())
    if takers == 0:
        return not_estimable("no take-up", method)
    if min(nc, nt) < 2:
        return not_estimable(f"n = {min(nc, nt)}", method)
    yc, yt = yc.astype(float), yt.astype(float)
    itt = float(yt.mean() - yc.mean())
    v_itt = np.var(yc, ddof=1) / nc + np.var(yt, ddof=1) / nt
    if v_itt == 0:
        if itt != 0:
            return not_estimable("no variation", method)
        p, crit = 1.0, stats.norm.ppf(0.975)
    else:
        res = stats.ttest_ind(yt, yc, equal_var=False)
        df = getattr(res, "df", None) or welch_se_df(yc, yt)[1]
        p, crit = float(res.pvalue), float(stats.t.ppf(0.975, df))
    pi = takers / nt
    v_pi = pi * (1 - pi) / nt
    cov = float(np.cov(yt, took.astype(float), ddof=1)[0, 1]) / nt
    q2 = crit * crit
    qa = pi * pi - q2 * v_pi
    qb = itt * pi - q2 * cov
    qc = itt * itt - q2 * v_itt
    if qa <= 0:
        return not_estimable("unbounded Fieller set (take-up not clearly above 0)", method)
    root = math.sqrt(max(qb * qb - qa * qc, 0.0))
    theta = itt / pi
    r = {
        "estimate": theta,
        "ci_low": min((qb - root) / qa, theta),
        "ci_high": max((qb + root) / qa, theta),
        "p_value": p,
        "method": method,
        "itt": itt,
        "pi": pi,
    }
    return reconcile(r, lambda: ALPHA)


# ---------------------------------------------------------------------------------------------
# One comparison row
# ---------------------------------------------------------------------------------------------


def income_deciles(df, control):
    """The income-decile label of every row: €1,000 bins of the applicant's annual income
    (the last bin from €250,000 up), each bin in the decile of its middle control-arm recipient
    household (an empty bin: of the households before it), named by the bounds."""
    bins = np.minimum(np.floor(np.maximum(df["income"].to_numpy(float), 0.0) / 1000.0), 250).astype(int)
    ctl = (df["arm"] == control).to_numpy() & df["recipient"].to_numpy(bool)
    counts = np.bincount(bins[ctl], minlength=251)
    total = max(int(counts.sum()), 1)
    before = np.concatenate([[0], np.cumsum(counts)[:-1]])
    dec = np.minimum((10.0 * (before + counts / 2.0) / total).astype(int), 9)
    names, start = {}, 0
    runs = [(d, [b for b in range(251) if dec[b] == d]) for d in sorted(set(dec.tolist()))]
    for i, (d, bs) in enumerate(runs):
        last = bs[-1]
        if i + 1 == len(runs):
            name = f"decile {d + 1}: €{start * 1000:,} and more"
        else:
            name = f"decile {d + 1}: €{start * 1000:,} to €{(last + 1) * 1000:,}"
        for b in bs:
            names[b] = name
        start = last + 1
    return [names[b] for b in bins]


class Run:
    def __init__(self, summary, df):
        self.summary = summary
        self.design = summary["design"]
        self.control = summary["arm_order"][0]
        if "income" in df.columns:
            df = df.copy()
            df["income_decile"] = income_deciles(df, self.control)
        rec = df[df["recipient"]]
        self.by_arm = {a: g.set_index("household_id").sort_index() for a, g in rec.groupby("arm")}
        self.all_by_arm = {a: g for a, g in df.groupby("arm")}
        self.columns = list(df.columns)

    def arm(self, name):
        if name not in self.all_by_arm:
            raise BadInput(f"arm {name!r} has no rows in households.csv")
        return self.by_arm.get(name, self.all_by_arm[name].iloc[0:0].set_index("household_id"))

    def groups(self, row, subset=None):
        """(control frame, treatment frame, paired) for a row (treatment = row.arm, control =
        row.vs); paired frames are aligned on household_id. `subset` filters both frames."""
        c, t = self.arm(row["vs"]), self.arm(row["arm"])
        if subset is not None:
            c, t = subset(c), subset(t)
        if self.design == "paired":
            if not c.index.equals(t.index):
                raise Mismatch("the recipient households differ between the arms of a paired design")
        return c, t


    def groups_present(self, row, dim):
        """The values of column `dim` among the recipient households of both arms of a row."""
        c, t = self.arm(row["vs"]), self.arm(row["arm"])
        return set(c[dim]) | set(t[dim])


class Mismatch(Exception):
    """A structural disagreement (a Rust bug, not bad input)."""


def recompute_row(run, row, subset=None):
    """The recomputed fields of one comparison row (or subgroup group): control, treatment,
    difference, ci_low, ci_high, p_value, method, not_estimable; and the fields this script
    does not check, in `skipped`."""
    method = row.get("method") or ""
    kind, f = metric_kind(row["metric"], run.summary)
    c, t = run.groups(row, subset)
    paired = run.design == "paired"
    population = row.get("population", "all")
    out = {"skipped": []}
    if method.startswith(CACE_PREFIX):
        return recompute_cace(run, row, kind, f, c, t, out)
    if population == "took_offer":
        if not paired:
            raise Unknown(f"population took_offer with method {method!r} in a randomized design")
        took = t["took_offer"].to_numpy()
        c, t = c[took], t[took]
    elif population != "all":
        raise Unknown(f"unknown population {population!r}")
    yc, yt = f(c), f(t)
    if kind == "share":
        expect_family = "paired" if paired else "unpaired"
        family = "paired" if method.startswith("Newcombe paired") else "unpaired"
        if method not in (UNPAIRED_SCORE, UNPAIRED_FISHER, PAIRED_ASYMPTOTIC, PAIRED_EXACT):
            raise Unknown(f"unknown method {method!r} for share metric {row['metric']}")
        if family != expect_family:
            out["method_note"] = f"a {family} method in a {run.design} design"
        r = share_paired(yc, yt) if paired else share_unpaired_from(yc, yt)
        out.update(control=yc.mean() if len(yc) else 0.0, treatment=yt.mean() if len(yt) else 0.0)
    elif kind == "mean":
        if method not in (WELCH, PAIRED_T):
            raise Unknown(f"unknown method {method!r} for mean metric {row['metric']}")
        r = mean_paired(yc, yt) if paired else mean_unpaired(yc, yt)
        out.update(control=yc.mean() if len(yc) else 0.0, treatment=yt.mean() if len(yt) else 0.0)
    elif kind == "conditional":
        if not method.startswith(CONDITIONAL_PREFIX):
            raise Unknown(f"unknown method {method!r} for {row['metric']}")
        ac, at = yc[yc > 0], yt[yt > 0]
        out.update(control=ac.mean() if len(ac) else 0.0, treatment=at.mean() if len(at) else 0.0)
        r = {"method": method, "descriptive": True}
        if min(len(ac), len(at)) == 0:
            r["not_estimable"] = "n = 0"
    elif kind == "median":
        if not method.startswith((BOOTSTRAP_PREFIX, PAIRED_BOOTSTRAP_PREFIX, "difference of exact medians")):
            raise Unknown(f"unknown method {method!r} for {row['metric']}")
        ac, at = np.sort(yc[yc > 0]), np.sort(yt[yt > 0])
        # The lower median: the order statistic at rank ceil(n/2).
        med = lambda x: x[math.ceil(0.5 * len(x)) - 1] if len(x) else 0.0  # noqa: E731
        out.update(control=med(ac), treatment=med(at))
        r = {"method": method, "descriptive": True}
        if min(len(ac), len(at)) < 2:
            r["not_estimable"] = f"n = {min(len(ac), len(at))}"
        out["skipped"].append("bootstrap interval (point values only)")
    elif kind == "total":
        if method != TOTALS:
            raise Unknown(f"unknown method {method!r} for {row['metric']}")
        out.update(control=yc.sum(), treatment=yt.sum())
        r = {"method": method, "untested": True}
    out.update(r)
    out["n_control"], out["n_treatment"] = len(yc), len(yt)
    return out


def recompute_cace(run, row, kind, f, c, t, out):
    if run.design != "randomized":
        out["method_note"] = "a complier average causal effect in a paired design"
    if kind not in ("share", "mean"):
        raise Unknown(f"complier average causal effect of a {kind} metric {row['metric']}")
    yc, yt = f(c), f(t)
    took = t["took_offer"].to_numpy()
    r = cace_fieller(yc, yt, took)
    if row["method"] != r["method"]:
        raise Unknown(f"unknown complier average causal effect method {row['method']!r}")
    out.update(r)
    out["n_control"], out["n_treatment"] = len(yc), len(yt)
    # A CACE row's treatment value is the takers' mean; its control value the compliers' mean
    # under control implied by the estimate (takers' mean - effect), or the control arm's mean
    # when not estimable.
    takers = float(yt[took].mean()) if took.any() else 0.0
    out["treatment"] = takers
    if r.get("not_estimable"):
        out["control"] = float(yc.mean()) if len(yc) else 0.0
    else:
        out["control"] = takers - r["estimate"]
    out["cace"] = True
    return out


# ---------------------------------------------------------------------------------------------
# Comparing reported with recomputed values
# ---------------------------------------------------------------------------------------------


class Checker:
    def __init__(self):
        self.problems = []  # (row label, field, reported, recomputed, note)
        self.notes = []

    def fail(self, label, field, reported, recomputed, note=""):
        self.problems.append((label, field, reported, recomputed, note))

    def close(self, label, field, reported, recomputed, unit, units=0.5, rel=REL):
        """reported within `units` rounding units plus a relative 1e-6 of recomputed."""
        if recomputed is None or (isinstance(recomputed, float) and math.isnan(recomputed)):
            if reported is not None:
                self.fail(label, field, reported, recomputed, "recomputed is undefined")
            return
        if reported is None:
            self.fail(label, field, reported, recomputed, "reported is null")
            return
        tol = units * unit + rel * abs(recomputed) + 1e-12
        if not abs(reported - recomputed) <= tol:
            self.fail(label, field, reported, recomputed, f"|diff| {abs(reported - recomputed):.3g} > {tol:.3g}")

    def null(self, label, field, reported, why):
        if reported is not None:
            self.fail(label, field, reported, None, f"expected null ({why})")


def check_row(ck, label, row, r):
    """Compares one reported row (a comparison or a subgroup group) with its recomputation."""
    metric = row["metric"]
    unit = unit_of(metric)
    # Totals are exact sums of cents: no relative slack.
    rel = 1e-12 if r.get("untested") else REL
    ck.close(label, "control", row.get("control"), float(r["control"]), unit, rel=rel)
    ck.close(label, "treatment", row.get("treatment"), float(r["treatment"]), unit, rel=rel)
    for k in ("n_control", "n_treatment"):
        if k in row and row[k] != r[k]:
            ck.fail(label, k, row[k], r[k])
    if r.get("method_note"):
        ck.fail(label, "method", row.get("method"), None, r["method_note"])
    reported_ne = row.get("not_estimable")
    mine_ne = r.get("not_estimable")
    if reported_ne or mine_ne:
        if bool(reported_ne) != bool(mine_ne) or reported_ne != mine_ne:
            ck.fail(label, "not_estimable", reported_ne, mine_ne)
        for k in ("difference", "ci_low", "ci_high", "p_value"):
            ck.null(label, k, row.get(k), "not estimable")
        return
    diff = float(r["treatment"]) - float(r["control"])
    if r.get("cace"):
        diff = r["estimate"]
    ck.close(label, "difference", row.get("difference"), diff, unit, units=1.5, rel=rel)
    rel_reported = row.get("relative_difference", "absent")
    rc, rt = row.get("control"), row.get("treatment")
    if rel_reported != "absent" and None not in (rc, rt):
        if rc == 0:
            ck.null(label, "relative_difference", rel_reported, "control is 0")
        else:
            # (treatment - control) / control of the values as reported, rounded to 6 decimals
            ck.close(label, "relative_difference", rel_reported, (rt - rc) / rc, SHARE_UNIT)
    if row.get("method") != r["method"]:
        ck.fail(label, "method", row.get("method"), r["method"], "the small-count rule gives the other method")
    if r.get("descriptive"):
        if not row.get("descriptive", True) and "descriptive" in row:
            ck.fail(label, "descriptive", row.get("descriptive"), True)
        ck.null(label, "p_value", row.get("p_value"), "descriptive")
        ck.null(label, "p_adjusted", row.get("p_adjusted"), "descriptive")
        if metric == "median_reclaim" and row.get("ci_low") is not None:
            if not row["ci_low"] <= row["ci_high"]:
                ck.fail(label, "ci_low/ci_high", (row["ci_low"], row["ci_high"]), None, "bootstrap interval reversed")
        return
    if r.get("untested"):
        for k in ("ci_low", "ci_high", "p_value", "p_adjusted"):
            ck.null(label, k, row.get(k), "a difference of totals is not tested")
        return
    if row.get("descriptive"):
        ck.fail(label, "descriptive", True, False, "a tested metric marked descriptive")
    ck.close(label, "ci_low", row.get("ci_low"), r["ci_low"], unit)
    ck.close(label, "ci_high", row.get("ci_high"), r["ci_high"], unit)
    ck.close(label, "p_value", row.get("p_value"), r["p_value"], P_UNIT)
    # interval and test agree about 0 (reported values)
    lo, hi, p = row.get("ci_low"), row.get("ci_high"), row.get("p_value")
    if None not in (lo, hi, p) and (p < ALPHA) == (lo <= 0 <= hi):
        ck.fail(label, "ci/p", (lo, hi), p, "interval and p-value disagree about 0 at 5%")


def holm_check(ck, label, rows):
    """p_adjusted = Holm over the rows whose p_adjusted is not null; returns their number."""
    fam = [r for r in rows if r.get("p_adjusted") is not None]
    if not fam:
        return 0
    p = np.array([r["p_value"] if r.get("p_value") is not None else 1.0 for r in fam])
    adj = multipletests(np.clip(p, 0, 1), method="holm")[1]
    for r, a in zip(fam, adj):
        ck.close(f"{label}{row_label(r)}", "p_adjusted", r["p_adjusted"], float(a), P_UNIT, units=1.0)
    for r in rows:
        if r.get("p_adjusted") is None and r.get("p_value") is not None and not r.get("descriptive"):
            ck.notes.append(f"{label}{row_label(r)}: tested (p {r['p_value']}) but outside the family")
    return len(fam)


def row_label(row):
    pop = row.get("population", "all")
    group = f" [{row['group']}]" if "group" in row else ""
    return f"{row['arm']} vs {row['vs']} {row['metric']}{'' if pop == 'all' else ' (' + pop + ')'}{group}"


def check_family(ck, summary, run):
    comps = summary["comparisons"]
    m = holm_check(ck, "", comps)
    if "family_size" in summary and summary["family_size"] != m:
        ck.fail("summary", "family_size", summary["family_size"], m, "rows with p_adjusted")
    control = run.control
    for arm in summary["arm_order"][1:]:
        prim = [c for c in comps if c.get("primary") and c["arm"] == arm and c["vs"] == control]
        if len(prim) != 1:
            ck.fail(f"{arm} vs {control}", "primary", len(prim), 1, "primary rows of the arm vs control")
        elif prim[0]["metric"] != summary.get("primary_metric", prim[0]["metric"]):
            ck.fail(row_label(prim[0]), "primary", prim[0]["metric"], summary.get("primary_metric"))
    other = [c for c in comps if c.get("primary") and c["vs"] != control]
    for c in other:
        ck.fail(row_label(c), "primary", True, False, "a primary row not against the control arm")


def cochran_q(groups):
    """Cochran's Q of the groups' differences with inverse-variance weights: (Q, df, p)."""
    d = np.array([g[0] for g in groups if g[1] > 0])
    v = np.array([g[1] for g in groups if g[1] > 0])
    k = len(d)
    if k < 2:
        return None, k - 1, None
    w = 1.0 / v
    mean = np.sum(w * d) / np.sum(w)
    q = float(np.sum(w * (d - mean) ** 2))
    return q, k - 1, float(stats.chi2.sf(q, k - 1))


def benefit_subset(run, benefit):
    """The `benefit` subgroup of a row: the households that receive the benefit (in the paired
    design: under the control arm, the same households in both frames), with `reclaim` the
    reclaim on that benefit only."""
    col = f"reclaim_{benefit}"

    def has(frame):
        return frame["receives"].fillna("").astype(str).str.split("+").apply(lambda bs: benefit in bs)

    control_ids = None
    if run.design == "paired":
        c = run.arm(run.control)
        control_ids = set(c.index[has(c)])

    def subset(frame):
        f = frame[frame.index.isin(control_ids)] if control_ids is not None else frame[has(frame)]
        f = f.copy()
        f["reclaim"] = np.rint(f[col].astype(float) * 100).astype(np.int64)
        return f

    return subset


def check_subgroups(ck, summary, run):
    n = 0
    for entry in summary.get("subgroups") or []:
        dim = entry.get("dimension")
        if dim == "benefit":
            if "receives" not in run.columns:
                raise BadInput("households.csv has no column 'receives' (benefit subgroups)")
        elif dim not in run.columns:
            raise BadInput(f"households.csv has no column {dim!r} (subgroup dimension)")
        base = {k: entry[k] for k in ("arm", "vs", "metric")}
        base["population"] = entry.get("population", "all")
        label = f"subgroup {dim}: "
        qgroups = []
        for g in entry.get("groups", []):
            row = dict(base, **g)
            row["group"] = g["group"]
            lab = label + row_label(row)
            try:
                if dim == "benefit":
                    sub = benefit_subset(run, g["group"])
                else:
                    sub = lambda f, v=g["group"], d=dim: f[f[d] == v]  # noqa: E731
                r = recompute_row(run, row, subset=sub)
            except Unknown as e:
                ck.fail(lab, "method", row.get("method"), None, str(e))
                continue
            check_row(ck, lab, row, r)
            n += 1
            # Cochran's Q: groups with an estimate and a positive Wald variance; a group with
            # fewer than two households in an arm has no variance.
            if not r.get("not_estimable") and min(r["n_control"], r["n_treatment"]) >= 2:
                qgroups.append((float(r["estimate"]), float(r.get("wald_var", 0.0))))
        holm_check(ck, label, [dict(base, **g) for g in entry.get("groups", [])])
        present = set(run.groups_present(base, dim)) if dim != "benefit" else {
            g["group"] for g in entry.get("groups", [])}
        reported = {g["group"] for g in entry.get("groups", [])}
        if present != reported:
            ck.fail(label + row_label(base), "groups", sorted(reported), sorted(present),
                    "groups with recipient households")
        q, df, p = cochran_q(qgroups)
        rep = entry.get("interaction_p")
        lab = label + row_label(base)
        if dim == "benefit":
            # The benefit groups overlap (a household with two benefits is in both): no test.
            ck.null(lab, "interaction_p", rep, "overlapping benefit groups have no interaction test")
        elif p is None:
            ck.null(lab, "interaction_p", rep, f"{df + 1} group(s) with a positive variance")
        else:
            ck.close(lab, "interaction_p", rep, p, P_UNIT)
    return n


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("run_dir", help="a run directory with summary.json and households.csv")
    ap.add_argument("-v", "--verbose", action="store_true", help="print every recomputed row")
    args = ap.parse_args(argv)
    try:
        summary, df = read_run(args.run_dir)
        run = Run(summary, df)
        for arm in summary["arm_order"]:
            run.arm(arm)
            rep = (summary.get("arms", {}).get(arm) or {}).get("recipients")
            mine = len(run.arm(arm))
            if rep is not None and rep != mine:
                raise Mismatch(f"arm {arm}: summary.json has {rep} recipients, households.csv {mine}")
        ck = Checker()
        for row in summary["comparisons"]:
            label = row_label(row)
            try:
                r = recompute_row(run, row)
            except Unknown as e:
                ck.fail(label, "method", row.get("method"), None, str(e))
                continue
            check_row(ck, label, row, r)
            if row.get("mc_se") is not None:
                r["skipped"].append("mc_se (needs the other replications)")
            for s in r["skipped"]:
                ck.notes.append(f"{label}: not checked: {s}")
            if args.verbose:
                shown = {k: r.get(k) for k in ("control", "treatment", "ci_low", "ci_high", "p_value", "method", "not_estimable", "reconciled")}
                print(f"{label}: {shown}")
        check_family(ck, summary, run)
        n_sub = check_subgroups(ck, summary, run)
    except BadInput as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    except Mismatch as e:
        print(f"recompute: {e}")
        return 1
    n = len(summary["comparisons"])
    what = f"{n} comparisons" + (f" and {n_sub} subgroup rows" if n_sub else "")
    if args.verbose:
        for note in ck.notes:
            print(f"note: {note}")
    if ck.problems:
        print(f"{'row':<60} {'field':<20} {'reported':>16} {'recomputed':>16}  note")
        for label, field, rep, mine, note in ck.problems:
            print(f"{label:<60} {field:<20} {fmt(rep):>16} {fmt(mine):>16}  {note}")
        print(f"recomputed {what} of {summary['scenario']}: {len(ck.problems)} disagreement(s)")
        return 1
    print(f"recomputed {what} of {summary['scenario']}: all agree")
    return 0


def fmt(x):
    if isinstance(x, float):
        return f"{x:.10g}"
    return str(x)


if __name__ == "__main__":
    sys.exit(main())
