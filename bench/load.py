"""Time `hcpcs load` of one full CMS release (default: the 2025-10 XLSX, the issue's target).

    python bench/load.py [SOURCE] [--runs 5]

Each run loads SOURCE into a fresh database, and into a copy of a database that already
holds the 2016-2020 releases (a load copies the file it replaces, so a bigger database
costs a little more). Prints the median and the spread of wall-clock seconds.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from hcpcs_graph.db.load import load
from hcpcs_graph.db.sources import open_source

CMS = Path(__file__).resolve().parents[1] / ".." / "shared" / "cms-hcpcs"
DEFAULT = CMS / "2025-OCT" / "HCPC2025_OCT_ANWEB_v4.xlsx"
EARLIER = [CMS / f"{year}" / f"{year}-Alpha-Numeric-HCPCS-File.zip" for year in range(2017, 2021)]


def timed(db: Path, source: str) -> float:
    started = time.perf_counter()
    load(db, open_source(source))  # reading the file is part of the load
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("source", nargs="?", default=str(DEFAULT))
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp) / "earlier.db"
        for path in EARLIER:
            load(base, open_source(str(path)))
        fresh, grown = [], []
        for run in range(args.runs):
            fresh.append(timed(Path(tmp) / f"fresh{run}.db", args.source))
            copy = Path(tmp) / f"grown{run}.db"
            shutil.copyfile(base, copy)
            grown.append(timed(copy, args.source))
        size = base.stat().st_size / 2**20
    print(f"source: {Path(args.source).name}, {args.runs} runs")
    for label, times in (
        ("into a new database", fresh),
        (f"beside 4 releases ({size:.0f} MiB)", grown),
    ):
        print(
            f"  {label:<32} median {statistics.median(times):.2f} s"
            f"  (min {min(times):.2f}, max {max(times):.2f})"
        )


if __name__ == "__main__":
    main()
