"""A notebook-style example: run the shipped cautious-advance scenario from Python and chart the
share of households with a reclaim by income decile, per arm, with matplotlib.

    python python/examples/reclaim_chart.py [--households N] [--out reclaim_by_decile.png]

Every number comes from the run's own tables: households() (households.csv as a DataFrame) for
the deciles, comparisons() for the headline with its 95% interval.
"""

import argparse
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

import toeslagenlab as tl  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--households", type=int, default=20000)
    ap.add_argument("--seed", type=int, default=None)
    ap.add_argument("--out", default="reclaim_by_decile.png")
    a = ap.parse_args()

    run = tl.run(ROOT / "scenarios" / "cautious-vs-standard.toml", households=a.households, seed=a.seed)
    h = run.households()
    h = h[h["recipient"]]  # shares among recipient households, as the report counts them
    # Income deciles of the control arm's households (the same households in every arm).
    control = h[h["arm"] == run.summary["arm_order"][0]]
    edges = control["income"].quantile([i / 10 for i in range(11)]).to_numpy().copy()
    edges[0], edges[-1] = -float("inf"), float("inf")
    h = h.assign(decile=pd.cut(h["income"], edges, labels=range(1, 11), duplicates="drop"))
    share = (h.assign(reclaimed=h["reclaim"] > 0)
             .groupby(["decile", "arm"], observed=True)["reclaimed"].mean().unstack("arm") * 100)

    c = run.comparisons()
    c = c[(c["metric"] == "reclaim_share") & (c["population"] == "all")].iloc[0]
    fig, ax = plt.subplots(figsize=(8, 4.5))
    share[run.summary["arm_order"]].plot.bar(ax=ax, rot=0)
    ax.set_xlabel("income decile (applicant's actual income, control arm's deciles)")
    ax.set_ylabel("households with a reclaim (%)")
    ax.set_title(
        f"{c['arm']} vs {c['vs']}: {c['difference'] * 100:+.1f} pp "
        f"(95% CI {c['ci_low'] * 100:+.1f} to {c['ci_high'] * 100:+.1f}), "
        f"{run.summary['households']:,} simulated households, seed {run.summary['seed']}",
        fontsize=9,
    )
    fig.tight_layout()
    fig.savefig(a.out, dpi=120)
    print(f"wrote {a.out}: {c['arm']} vs {c['vs']} reclaim share {c['difference'] * 100:+.1f} pp")


if __name__ == "__main__":
    main()
