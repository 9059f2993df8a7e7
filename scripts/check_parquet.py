#!/usr/bin/env python3
"""Checks a run directory's Parquet files against its CSV, independently of toeslagenlab.

    scripts/check_parquet.py RUN_DIR

- households.parquet must hold households.csv exactly: the same columns in the same order and
  every cell equal (money, DECIMAL(18,2), printed with two decimals; flags as true/false; an
  empty CSV cell is a null).
- monthly_ledger.parquet (when there): 12 rows per household row, months 1..12, and per
  household and arm the sum of `advance_paid` equals households.csv's `advances`; in the control
  arm the advance paid is the 100% advance.

Needs pyarrow and pandas. Prints what differs and exits 1; prints `ok …` and exits 0.
"""
import sys
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq


def cells(col: pa.ChunkedArray) -> list:
    """The CSV text of every cell of a Parquet column."""
    if pa.types.is_decimal(col.type):
        return ["" if x is None else x for x in col.cast(pa.string()).to_pylist()]
    if pa.types.is_boolean(col.type):
        return ["" if x is None else str(x).lower() for x in col.to_pylist()]
    return ["" if x is None else str(x) for x in col.to_pylist()]


def main(run_dir: Path) -> int:
    problems = []
    csv = pd.read_csv(run_dir / "households.csv", dtype=str, keep_default_na=False)
    table = pq.read_table(run_dir / "households.parquet")
    if table.column_names != list(csv.columns):
        problems.append(f"columns differ: {table.column_names} vs {list(csv.columns)}")
    elif table.num_rows != len(csv):
        problems.append(f"{table.num_rows} Parquet rows, {len(csv)} CSV rows")
    else:
        for name in csv.columns:
            got = cells(table.column(name))
            want = csv[name].tolist()
            if got != want:
                i = next(i for i, (a, b) in enumerate(zip(got, want)) if a != b)
                problems.append(f"column {name} row {i}: Parquet {got[i]!r}, CSV {want[i]!r}")
    ledger_path = run_dir / "monthly_ledger.parquet"
    if ledger_path.exists() and not problems:
        ledger = pq.read_table(ledger_path)
        if ledger.num_rows != 12 * len(csv):
            problems.append(f"monthly ledger: {ledger.num_rows} rows for {len(csv)} household rows")
        else:
            months = ledger.column("month").to_numpy()
            if not (months.reshape(-1, 12) == list(range(1, 13))).all():
                problems.append("monthly ledger: months are not 1..12 per household and arm")
            paid = pc.multiply(ledger.column("advance_paid").cast(pa.decimal128(18, 2)), 100)
            paid = paid.cast(pa.int64()).to_numpy().reshape(-1, 12).sum(axis=1)
            adv = (csv["advances"].str.replace(".", "", regex=False).astype("int64")).to_numpy()
            if not (paid == adv).all():
                i = int((paid != adv).nonzero()[0][0])
                problems.append(f"monthly ledger: row {i} pays {paid[i]} cents, households.csv advances {adv[i]}")
            ids = ledger.column("household_id").to_numpy().reshape(-1, 12)[:, 0]
            if not (ids.astype(str) == csv["household_id"].to_numpy()).all():
                problems.append("monthly ledger: household ids differ from households.csv")
            arms = ledger.schema.metadata[b"toeslagenlab.arms"].decode().split(",")
            control = pc.equal(ledger.column("arm"), arms[0])
            p = pc.filter(ledger.column("advance_paid"), control)
            f = pc.filter(ledger.column("advance_full"), control)
            if not pc.all(pc.equal(p, f)).as_py():
                problems.append("monthly ledger: the control arm is not paid the 100% advance")
    for p in problems:
        print(p)
    if problems:
        return 1
    print(f"ok {run_dir}: {table.num_rows} rows × {table.num_columns} columns equal households.csv"
          + (", monthly ledger consistent" if ledger_path.exists() else ""))
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print(__doc__)
        sys.exit(2)
    sys.exit(main(Path(sys.argv[1])))
