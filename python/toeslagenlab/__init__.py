"""toeslagenlab from Python: run benefit-advance experiments in process, get pandas and Arrow tables.

    import toeslagenlab as tl
    run = tl.run("scenarios/cautious-vs-standard.toml", households=5000, seed=1)
    run.summary["comparisons"][0]          # summary.json as a dict
    run.households()                       # households.csv as a pandas DataFrame
    run.comparisons()                      # comparisons.csv (tidy)
    run.write("output/my-run")             # every file the command line writes

A run is the command line's ``run`` pipeline, executed in this process by the compiled module
(the same code: ``run.summary`` equals the CLI's summary.json for the same scenario, seed and
household count). See docs/python.md.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import weakref
from pathlib import Path
from typing import Any, Dict, List, Mapping, Optional, Union

from . import _native
from ._native import ScenarioError, ToeslagenlabError, UsageError

__all__ = [
    "run",
    "Run",
    "uncertainty",
    "Uncertainty",
    "validate",
    "calc",
    "params",
    "ScenarioError",
    "ToeslagenlabError",
    "UsageError",
    "__version__",
]

__version__: str = _native.version()

Scenario = Union[str, "os.PathLike[str]", Mapping[str, Any]]


def _scenario_file(scenario: Scenario, workdir: Path) -> Path:
    """A path to the scenario: the file given, or a dict written as TOML into ``workdir``."""
    if isinstance(scenario, Mapping):
        name = str(scenario.get("experiment", {}).get("name", "scenario"))
        safe = "".join(c if c.isalnum() or c in "-_" else "-" for c in name) or "scenario"
        path = workdir / f"{safe}.toml"
        path.write_text(_native.scenario_toml(json.dumps(scenario)), encoding="utf-8")
        return path
    path = Path(os.fspath(scenario))
    return path


def _override_items(overrides: Optional[Mapping[str, Union[int, float, str]]]) -> List[tuple]:
    if not overrides:
        return []
    items = []
    for key, value in overrides.items():
        if isinstance(value, bool) or not isinstance(value, (int, float, str)):
            raise UsageError(f"override {key}: give a number, found {value!r}")
        items.append((str(key), repr(value) if isinstance(value, float) else str(value)))
    return items


class _Output:
    """A directory of one command's outputs; a temporary one is removed with the object."""

    def __init__(self, directory: Union[str, "os.PathLike[str]"], _temporary: Optional[str] = None):
        self.dir: Path = Path(directory)
        if _temporary is not None:
            self._cleanup = weakref.finalize(self, shutil.rmtree, _temporary, True)

    @property
    def files(self) -> List[str]:
        """The files, relative to the directory."""
        return sorted(str(p.relative_to(self.dir)) for p in self.dir.rglob("*") if p.is_file())


    def _csv(self, name: str):
        import pandas as pd

        return pd.read_csv(self.dir / name)

    def _json(self, name: str) -> Dict[str, Any]:
        with open(self.dir / name, encoding="utf-8") as f:
            return json.load(f)


    def report(self) -> str:
        """report.md's text."""
        return (self.dir / "report.md").read_text(encoding="utf-8")

    def write(self, directory: Union[str, "os.PathLike[str]"]) -> Path:
        """Copies the files (the command line's outputs) into ``directory``.

        The directory must not exist or be empty: nothing of yours is overwritten.
        """
        target = Path(directory)
        if target.exists() and (not target.is_dir() or any(target.iterdir())):
            raise FileExistsError(f"{target} exists and is not an empty directory; give a new one")
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = Path(tempfile.mkdtemp(prefix=".toeslagenlab-", dir=target.parent))
        try:
            shutil.copytree(self.dir, partial, dirs_exist_ok=True)
            if target.exists():
                target.rmdir()
            os.replace(partial, target)
        except BaseException:
            shutil.rmtree(partial, ignore_errors=True)
            raise
        return target

class Run(_Output):
    """The results of one run: its summary and tables, read from the run directory.

    The directory (``run.dir``) holds exactly what ``toeslagenlab run --households-parquet``
    writes; a temporary one is removed when the ``Run`` is garbage collected (``write`` copies it).
    """

    def __init__(self, directory: Union[str, "os.PathLike[str]"], _temporary: Optional[str] = None):
        super().__init__(directory, _temporary)
        #: summary.json as a dict.
        self.summary: Dict[str, Any] = self._json("summary.json")

    def __repr__(self) -> str:
        s = self.summary
        return (f"<toeslagenlab.Run {s.get('scenario')!r}: {s.get('households')} households, "
                f"arms {s.get('arm_order')}, seed {s.get('seed')}>")

    # Per-household tables ---------------------------------------------------------------------

    def households_arrow(self):
        """households.csv's rows and columns as a ``pyarrow.Table`` (money exact: decimal128(18, 2))."""
        import pyarrow.parquet as pq

        return pq.read_table(self.dir / "households.parquet")

    def households(self, money: str = "float"):
        """households.csv's rows and columns as a pandas DataFrame.

        ``money="float"`` (default) gives euros as float64, as ``pandas.read_csv`` of the CSV does;
        ``money="decimal"`` keeps them exact (``decimal.Decimal`` objects).
        """
        return _to_pandas(self.households_arrow(), money)

    def monthly_ledger_arrow(self):
        """The monthly ledger (one row per household, arm and month) as a ``pyarrow.Table``.

        Only for ``run(..., monthly=True)``.
        """
        import pyarrow.parquet as pq

        path = self.dir / "monthly_ledger.parquet"
        if not path.exists():
            raise ToeslagenlabError("no monthly ledger in this run: run it with monthly=True")
        return pq.read_table(path)

    def monthly_ledger(self, money: str = "float"):
        """The monthly ledger as a pandas DataFrame (see ``households`` for ``money``)."""
        return _to_pandas(self.monthly_ledger_arrow(), money)

    # Tidy tables ------------------------------------------------------------------------------

    def comparisons(self):
        """comparisons.csv: every comparison of an arm with control (and of arms with each other)."""
        return self._csv("comparisons.csv")

    def arms(self):
        """arms.csv: every metric of every arm."""
        return self._csv("arms.csv")

    def subgroups(self):
        """subgroups.csv: the subgroup effects (household type, employment, income decile, benefit)."""
        return self._csv("subgroups.csv")

    def monthly(self):
        """monthly.csv: per arm and month, the mean advance paid and the mean entitlement."""
        return self._csv("monthly.csv")


class Uncertainty(_Output):
    """An uncertainty analysis: every comparison under the uncertainty of the scenario's
    ``[uncertainty]`` assumptions (docs/uncertainty.md), read from its output directory."""

    def __init__(self, directory: Union[str, "os.PathLike[str]"], _temporary: Optional[str] = None):
        super().__init__(directory, _temporary)
        #: uncertainty.json as a dict.
        self.result: Dict[str, Any] = self._json("uncertainty.json")

    def __repr__(self) -> str:
        r = self.result
        return (f"<toeslagenlab.Uncertainty {r.get('scenario')!r}: {r.get('draws')} draws, "
                f"{len(r.get('assumptions', []))} assumptions>")

    def intervals(self):
        """One row per comparison: the estimate, its Monte Carlo interval, the total interval
        (Monte Carlo and assumptions) and the shares of draws keeping its sign and conclusion."""
        import pandas as pd

        keep = ["arm", "vs", "metric", "population", "primary", "estimate", "mc_ci_low", "mc_ci_high",
                "total_low", "total_high", "draws_min", "draws_max", "estimable_draws",
                "share_same_sign", "conclusion", "share_same_conclusion"]
        rows = [{k: c.get(k) for k in keep} for c in self.result["comparisons"]]
        return pd.DataFrame(rows, columns=keep)

    def draws(self):
        """draws.csv: every run of the analysis with its assumption values and results."""
        return self._csv("draws.csv")

    def sensitivity(self, arm: str):
        """The tornado chart's data of a treatment arm (charts/sensitivity_<arm>.csv)."""
        path = self.dir / "charts" / f"sensitivity_{arm}.csv"
        if not path.exists():
            arms = sorted(p.stem[len("sensitivity_"):] for p in (self.dir / "charts").glob("sensitivity_*.csv"))
            raise UsageError(f"no sensitivity chart for arm {arm!r}; the arms are {arms}")
        import pandas as pd

        return pd.read_csv(path)


def _to_pandas(table, money: str):
    import pyarrow as pa

    if money not in ("float", "decimal"):
        raise UsageError(f"money: give 'float' or 'decimal', found {money!r}")
    if money == "float":
        fields = []
        for f in table.schema:
            fields.append(pa.field(f.name, pa.float64(), f.nullable) if pa.types.is_decimal(f.type) else f)
        table = table.cast(pa.schema(fields, metadata=table.schema.metadata))
    return table.to_pandas()


def _run_native(scenario: Scenario, out, default: str, call, cls):
    """Runs ``call(scenario_path, target)`` into ``out`` or a temporary directory and wraps the
    result in ``cls`` (the temporary directory then lives as long as the object)."""
    work = tempfile.mkdtemp(prefix="toeslagenlab-")
    try:
        path = _scenario_file(scenario, Path(work))
        target = Path(os.fspath(out)) if out is not None else Path(work) / default
        directory = call(path, target)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    if out is not None:
        shutil.rmtree(work, ignore_errors=True)
        return cls(directory)
    return cls(directory, _temporary=work)


def run(
    scenario: Scenario,
    households: Optional[int] = None,
    seed: Optional[int] = None,
    threads: Optional[int] = None,
    overrides: Optional[Mapping[str, Union[int, float, str]]] = None,
    monthly: bool = False,
    out: Union[str, "os.PathLike[str]", None] = None,
    progress: bool = False,
    lang: str = "en",
) -> Run:
    """Runs a scenario and returns its ``Run``.

    scenario: a scenario file's path, or a dict with the TOML file's keys.
    households, seed: override the scenario's (as ``--households`` and ``--seed``).
    threads: worker threads (default: one per core); results do not depend on it.
    overrides: numeric keys set on the loaded scenario, the keys ``sweep`` accepts, e.g.
        ``{"arms.cautious.fraction": 0.7, "behaviour.selection.strength": 0.5}``.
    monthly: also keep the monthly ledger (``monthly_ledger()``).
    out: write the run there (as ``--out``; a previous toeslagenlab output there is replaced,
        anything else refused) instead of a temporary directory.
    progress: print the command line's progress lines on stderr (and its progress bar when
        stderr is a terminal).
    lang: ``"en"`` or ``"nl"``: the language of report.md, report.html and the charts (as
        ``--lang``); the summary and the tables are the same in both.

    Raises ScenarioError (with ``file``, ``line``, ``key``) for a bad scenario, UsageError for a
    bad argument. The simulation runs without holding the GIL.
    """
    return _run_native(
        scenario, out, "run",
        lambda path, target: _native.run_to_dir(
            path, target, households=households, seed=seed, threads=threads or 0,
            overrides=_override_items(overrides), monthly=monthly, progress=progress,
            lang=lang,
        ),
        Run,
    )


def uncertainty(
    scenario: Scenario,
    draws: Optional[int] = None,
    households: Optional[int] = None,
    seed: Optional[int] = None,
    threads: Optional[int] = None,
    out: Union[str, "os.PathLike[str]", None] = None,
    progress: bool = False,
    lang: str = "en",
) -> Uncertainty:
    """Runs ``toeslagenlab uncertainty`` on a scenario with an ``[uncertainty]`` table.

    draws: the number of draws (default: the scenario's); households, seed, threads, out,
    progress, lang: as for ``run``. Every run uses the same households and seed; runs differ by the
    assumptions alone. The result equals the command line's uncertainty.json.
    """
    return _run_native(
        scenario, out, "uncertainty",
        lambda path, target: _native.uncertainty_to_dir(
            path, target, draws=draws, households=households, seed=seed, threads=threads or 0,
            progress=progress, lang=lang,
        ),
        Uncertainty,
    )


def validate(scenario: Scenario) -> Dict[str, Any]:
    """Loads a scenario without running it; raises ScenarioError with the located problems.

    Returns what it holds: name, arms, households, design, year and seed.
    """
    with tempfile.TemporaryDirectory(prefix="toeslagenlab-") as work:
        name, arms, households, design, year, seed = _native.validate(_scenario_file(scenario, Path(work)))
    return {"name": name, "arms": arms, "households": households, "design": design, "year": year, "seed": seed}


def calc(
    income: Union[int, float, str, None] = None,
    *,
    year: Optional[int] = None,
    partner: bool = False,
    partner_income: Union[int, float, str, None] = None,
    assets: Union[int, float, str, None] = None,
    rent: Union[int, float, str, None] = None,
    persons: Optional[int] = None,
    co_residents: Optional[List[str]] = None,
    age: Optional[int] = None,
    partner_age: Optional[int] = None,
    children: Optional[List[Union[int, str]]] = None,
    household: Union[str, "os.PathLike[str]", None] = None,
) -> Dict[str, Any]:
    """One household's benefits, as ``toeslagenlab calc --json`` (a dict).

    The arguments are the calculator's flags: amounts in euros (``rent`` per month),
    ``children`` as ages or ``"AGE:TYPE:HOURS:PRICE"`` (``"2:dagopvang:120:10.50"``),
    ``co_residents`` as ``"EUR[:AGE[:child]]"``; or ``household``, a household file.
    """

    def text(v):
        return None if v is None else str(v)

    out = _native.calc_json(
        year=year,
        income=text(income),
        partner=partner,
        partner_income=text(partner_income),
        assets=text(assets),
        rent=text(rent),
        persons=persons,
        co_resident_income=[str(c) for c in (co_residents or [])],
        age=text(age),
        partner_age=text(partner_age),
        child=[str(c) for c in (children or [])],
        household=None if household is None else Path(os.fspath(household)),
    )
    return json.loads(out)


def params(year: int) -> Dict[str, Any]:
    """The rule parameters of a benefit year (values as decimal text, with unit and source)."""
    return json.loads(_native.params_json(year))
