"""Tests of the Python package on the built extension (pytest python/tests).

The comparisons with the command line need the binary: TOESLAGENLAB_BIN, or
target/release/toeslagenlab (cargo build --release); they are skipped without it, unless
TOESLAGENLAB_REQUIRE_BIN=1 (CI) makes that a failure.
"""

import json
import os
import subprocess
import threading
import time
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pytest

import toeslagenlab as tl

ROOT = Path(__file__).resolve().parents[2]
SCENARIO = ROOT / "scenarios" / "cautious-vs-standard.toml"


def binary():
    b = Path(os.environ.get("TOESLAGENLAB_BIN", ROOT / "target" / "release" / "toeslagenlab"))
    if not b.exists():
        if os.environ.get("TOESLAGENLAB_REQUIRE_BIN") == "1":
            pytest.fail(f"TOESLAGENLAB_REQUIRE_BIN=1 but {b} is missing")
        pytest.skip(f"{b} missing (cargo build --release)")
    return b


def cli_run(tmp_path, *extra):
    out = tmp_path / "cli"
    subprocess.run([str(binary()), "run", str(SCENARIO), "--out", str(out), "--quiet", *extra],
                   check=True, cwd=ROOT)
    return out


def test_summary_equals_the_cli_summary_json(tmp_path):
    r = tl.run(str(SCENARIO), households=5000, seed=1)
    out = cli_run(tmp_path, "--households", "5000", "--seed", "1")
    cli = json.loads((out / "summary.json").read_text())
    assert r.summary == cli
    # Byte for byte, too: the same pipeline wrote it.
    assert (r.dir / "summary.json").read_bytes() == (out / "summary.json").read_bytes()
    assert r.summary["households"] == 5000 and r.summary["seed"] == 1


def test_households_has_the_csv_rows_and_columns(tmp_path):
    r = tl.run(SCENARIO, households=3000, seed=3)
    out = cli_run(tmp_path, "--households", "3000", "--seed", "3", "--households-csv")
    # Empty cells are text ("" in `receives`) except the percentage of an arm without an offer.
    csv = pd.read_csv(out / "households.csv", keep_default_na=False,
                      na_values={"chosen_percentage": [""]})
    df = r.households()
    assert list(df.columns) == list(csv.columns)
    assert len(df) == len(csv) == 2 * 3000
    for col in csv.columns:
        a, b = df[col], csv[col]
        if pd.api.types.is_float_dtype(b) or pd.api.types.is_float_dtype(a):
            assert ((a.fillna(-1) - b.fillna(-1)).abs() < 1e-9).all(), col
        else:
            assert (a.astype(str) == b.astype(str)).all(), col
    exact = r.households(money="decimal")
    assert isinstance(exact["advances"].iloc[0], Decimal)
    t = r.households_arrow()
    assert isinstance(t, pa.Table) and t.schema.field("advances").type == pa.decimal128(18, 2)
    assert t.num_rows == len(csv)


def test_tidy_tables_and_write(tmp_path):
    r = tl.run(SCENARIO, households=2000, seed=5, monthly=True)
    comps = r.comparisons()
    assert {"arm", "vs", "metric", "difference", "ci_low", "ci_high"} <= set(comps.columns)
    assert set(r.arms()["arm"]) == {"control", "cautious"}
    monthly = r.monthly()
    assert len(monthly) == 2 * 12
    ledger = r.monthly_ledger()
    assert len(ledger) == 2 * 2000 * 12
    paid = ledger.groupby(["household_id", "arm"])["advance_paid"].sum().round(2)
    h = r.households().set_index(["household_id", "arm"])["advances"]
    assert (paid.sort_index() - h.sort_index()).abs().max() < 1e-6
    written = r.write(tmp_path / "copy")
    assert sorted(str(p.relative_to(written)) for p in written.rglob("*") if p.is_file()) == r.files
    assert (written / "report.html").exists() and (written / "households.parquet").exists()
    with pytest.raises(FileExistsError):
        r.write(tmp_path / "copy")


def test_a_dict_scenario_runs_like_its_file():
    tomllib = pytest.importorskip("tomllib")  # Python 3.11+
    d = tomllib.loads(SCENARIO.read_text())
    a = tl.run(d, households=2000, seed=9)
    b = tl.run(SCENARIO, households=2000, seed=9)
    # The dict is written as TOML again: same scenario, other text (hash) and file name.
    for k in ("arms", "comparisons", "family_size"):
        assert a.summary[k] == b.summary[k], k


def test_overrides_change_the_run_and_bad_ones_raise():
    base = tl.run(SCENARIO, households=2000, seed=2)
    deeper = tl.run(SCENARIO, households=2000, seed=2, overrides={"arms.cautious.fraction": 0.7})
    w = lambda r: r.summary["arms"]["cautious"]["withheld_during_year"]
    assert w(deeper) > w(base)
    with pytest.raises(tl.UsageError):
        tl.run(SCENARIO, households=2000, overrides={"arms.cautious.fraction": "much"})
    with pytest.raises(tl.ToeslagenlabError) as e:
        tl.run(SCENARIO, households=2000, overrides={"arms.nobody.fraction": 0.7})
    assert e.value.exit_code == 2


def test_validate_raises_a_located_scenario_error(tmp_path):
    info = tl.validate(SCENARIO)
    assert info["arms"] == ["control", "cautious"]
    bad = tmp_path / "bad.toml"
    bad.write_text(SCENARIO.read_text().replace("fraction = 0.80", "fraction = 0.50"))
    with pytest.raises(tl.ScenarioError) as e:
        tl.validate(bad)
    err = e.value
    assert err.file == str(bad) and err.line is not None and "fraction" in (err.key or "")
    assert err.exit_code == 2 and err.problems and "0.5" in str(err)
    with pytest.raises(tl.ScenarioError):
        tl.run(bad)


def test_calc_and_params():
    r = tl.calc(30000, rent=650)
    assert r["benefits"]["zorgtoeslag"]["annual"] > 0
    assert r["benefits"]["huurtoeslag"]["monthly"] > 0
    with pytest.raises(tl.UsageError):
        tl.calc(-5)
    p = tl.params(2026)
    assert p["year"] == 2026 and "zorgtoeslag" in p["groups"]
    with pytest.raises(tl.UsageError):
        tl.params(1999)


def test_the_gil_is_released_while_simulating():
    ticks = 0
    done = threading.Event()

    def work():
        tl.run(SCENARIO, households=200000, seed=4, threads=1)
        done.set()

    t = threading.Thread(target=work)
    t.start()
    while not done.is_set():
        ticks += 1
        time.sleep(0.001)
    t.join()
    assert ticks > 50, f"the main thread ran only {ticks} times during the run"


def test_uncertainty_equals_the_cli(tmp_path):
    u = tl.uncertainty(SCENARIO, draws=16, households=2000, seed=6)
    out = tmp_path / "cli-unc"
    subprocess.run([str(binary()), "uncertainty", str(SCENARIO), "--draws", "16", "--households", "2000",
                    "--seed", "6", "--out", str(out), "--quiet"], check=True, cwd=ROOT)
    cli = json.loads((out / "uncertainty.json").read_text())
    assert u.result == cli
    iv = u.intervals()
    assert len(iv) == len(cli["comparisons"]) and (iv["total_low"] <= iv["estimate"]).all()
    assert len(u.sensitivity("cautious")) > 0
    with pytest.raises(tl.UsageError):
        u.sensitivity("nobody")
    with pytest.raises(tl.UsageError):
        tl.uncertainty(SCENARIO, draws=0, households=2000)


def test_progress_lines_go_to_stderr(capfd):
    tl.run(SCENARIO, households=1000, seed=8, progress=True)
    err = capfd.readouterr().err
    assert "loaded" in err and "simulated 1000 households" in err, err
    tl.run(SCENARIO, households=1000, seed=8)
    assert capfd.readouterr().err == ""


def test_lang_writes_the_report_in_dutch_and_keeps_the_numbers():
    en = tl.run(SCENARIO, households=2000, seed=3)
    nl = tl.run(SCENARIO, households=2000, seed=3, lang="nl")
    assert nl.summary == en.summary
    assert "## Kerncijfers: elke variant tegenover de controlegroep" in nl.report()
    assert "## Headline: each arm against control" in en.report()
    assert "## Headline" not in nl.report()
    with pytest.raises(tl.UsageError) as e:
        tl.run(SCENARIO, households=2000, lang="de")
    assert e.value.exit_code == 2
