"""Time `hcpcs load` of each shared payment file (issues 18 and 19's target: each under 2 s).

    python bench/payment_load.py [--beside DB] [--runs 5]

Each run loads the file into a new database and, with --beside, into a copy of DB (a load
copies the file it replaces, so the HCPCS releases beside it cost their copy time).
Reading the file (ZIP, CSV or workbook) is part of the load. Prints the median and spread.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from hcpcs_graph.db.payments.load import load_payment
from hcpcs_graph.db.payments.sources import open_payment

PAYMENT = Path(__file__).resolve().parents[1] / ".." / "shared" / "cms-payment"
FILES = [
    PAYMENT / "asp" / "2025-01" / "january-2025-asp-pricing-file-12_19_24-final-file.zip",
    PAYMENT / "asp" / "2025-10" / "October 2025 ASP NDC-HCPCS Crosswalk.csv",
    PAYMENT / "dmepos" / "2025-01" / "DMEPOS_JAN.csv",
    PAYMENT / "dmepos" / "2025-01" / "DMEPOS_JAN.xlsx",
    PAYMENT / "dmepos" / "2025-01" / "DMEPEN_JAN.csv",
    PAYMENT / "pfs" / "2025-A" / "rvu25a-updated-01_10_2025.zip",
    PAYMENT / "clfs" / "2025-Q1" / "25CLABQ1.zip",
    PAYMENT / "asc" / "2025-01" / "january-2025-asc-approved-hcpcs-code-and-payment-rates.zip",
    PAYMENT / "opps" / "2019-01" / "january_2019_opps_web_addendum_b.12312018.xlsx",
    PAYMENT / "opps" / "2020-01" / "2020_january_web_addendum_b.12312019.xlsx",
]


def timed(db: Path, source: Path) -> float:
    started = time.perf_counter()
    load_payment(db, open_payment(str(source)))
    return time.perf_counter() - started


def _line(label: str, times: list[float]) -> str:
    return (
        f"  {label:<40} median {statistics.median(times):.2f} s"
        f"  (min {min(times):.2f}, max {max(times):.2f})"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--beside", help="a database of HCPCS releases to load beside")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        for source in FILES:
            fresh, beside = [], []
            for run in range(args.runs):
                fresh.append(timed(Path(tmp) / f"fresh{run}-{source.name}.db", source))
                if args.beside:
                    copy = Path(tmp) / f"beside{run}-{source.name}.db"
                    shutil.copyfile(args.beside, copy)
                    beside.append(timed(copy, source))
            print(f"{source.name}, {args.runs} runs")
            print(_line("into a new database", fresh))
            if beside:
                size = Path(args.beside).stat().st_size / 2**20
                print(_line(f"beside {Path(args.beside).name} ({size:.0f} MiB)", beside))


if __name__ == "__main__":
    main()
