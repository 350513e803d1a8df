"""A database with CMS's payment files in it, built by the tests alone: until `hcpcs load`
loads payment files (db/payments/load.py), the schema's tests read each file here with
plain `csv` and `zipfile`, in place, and insert its Level II rows into the tables of
db/payments/ddl.py, with values stored as the contract says (decimal text, normalized)."""

from __future__ import annotations

import csv
import decimal
import hashlib
import io
import json
import re
import sqlite3
import zipfile
from collections import Counter
from pathlib import Path

from hcpcs_graph.db.payments.ddl import PAYMENT_DDL

LEVEL_II = re.compile(r"[A-V]\d{4}")
NDC_542 = re.compile(r"\d{5}-\d{4}-\d{2}")


def _decimal(cell: str) -> str | None:
    cell = cell.strip().replace("$", "").replace(",", "")
    if not cell or cell.upper() == "N/A":
        return None
    return format(decimal.Decimal(cell).normalize(), "f")


def _reason(code: str) -> str | None:
    if LEVEL_II.fullmatch(code) and not code.startswith("D"):
        return None
    if re.fullmatch(r"D\d{4}", code):
        return "CDT"
    return "CPT" if re.fullmatch(r"\d{5}|\d{4}[A-Z]", code) else "other"


def _rows(text: str, first: str) -> list[list[str]]:
    """The data rows after the header row, whose first cell is `first`."""
    rows = list(csv.reader(io.StringIO(text)))
    start = next(i for i, r in enumerate(rows) if r and r[0].strip() == first) + 1
    return [r for r in rows[start:] if r and r[0].strip()]


def _release(db, id_, kind, start, end, title, path, fmt, codes, dropped) -> None:
    db.execute(
        "INSERT INTO payment_releases VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [id_, kind, start, end, title, path.name, fmt,
         hashlib.sha256(path.read_bytes()).hexdigest(), "2026-01-01T00:00:00+00:00",
         len(codes), len(set(codes)), json.dumps(dict(dropped))],
    )  # fmt: skip


def add_payments(db_path: Path, files: dict[str, Path]) -> None:
    db = sqlite3.connect(db_path)
    db.executescript(PAYMENT_DDL)
    with db:
        _asp(db, files["asp-2025-01"])
        _ndc(db, files["ndc-2025-10"])
        _dmepos(db, files["dmepos-2025-01"], "dmepos-2025-01", "dmepos")
        _dmepos(db, files["dmepen-2025-01"], "dmepen-2025-01", "dmepen")
    db.close()


def _asp(db: sqlite3.Connection, path: Path) -> None:
    archive = zipfile.ZipFile(path)
    [name] = [n for n in archive.namelist() if n.endswith(".csv")]
    dropped: Counter[str] = Counter()
    codes = []
    for n, r in enumerate(_rows(archive.read(name).decode("latin-1"), "HCPCS Code"), 1):
        r = [c.strip() for c in r] + [""] * 11
        reason = _reason(r[0])
        if reason:
            dropped[reason] += 1
            continue
        codes.append(r[0])
        db.execute(
            "INSERT INTO asp_prices VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            ["asp-2025-01", r[0], n, r[1], r[2], *map(_decimal, r[3:9]), int(r[9] == "1"),
             r[10] or None],
        )  # fmt: skip
    _release(
        db, "asp-2025-01", "asp", "2025-01-01", "2025-03-31", "ASP", path, "csv", codes, dropped
    )


def _ndc(db: sqlite3.Connection, path: Path) -> None:
    dropped: Counter[str] = Counter()
    codes = []
    for n, r in enumerate(_rows(path.read_text("latin-1"), "_2025_CODE"), 1):
        r = [c.strip() for c in r]
        reason = _reason(r[0])
        if reason:
            dropped[reason] += 1
            continue
        codes.append(r[0])
        ndc11 = r[3].replace("-", "") if NDC_542.fullmatch(r[3]) else None
        db.execute(
            "INSERT INTO ndc_crosswalk VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            ["ndc-2025-10", r[0], n, r[3], ndc11, r[1], r[2], r[4], r[5],
             *map(_decimal, r[6:10])],
        )  # fmt: skip
    _release(
        db, "ndc-2025-10", "ndc", "2025-10-01", "2025-12-31", "NDC", path, "csv", codes, dropped
    )


def _dmepos(db: sqlite3.Connection, path: Path, release: str, kind: str) -> None:
    rows = list(csv.reader(io.StringIO(path.read_text("latin-1"))))
    header = next(r for r in rows if r and r[0] == "HCPCS")
    fees_from = 7 if kind == "dmepos" else 3
    states = [c.split("(")[0].strip() for c in header[fees_from:-1:2]]
    codes = []
    for n, r in enumerate(_rows(path.read_text("latin-1"), "HCPCS"), 1):
        r = [c.strip() for c in r]
        codes.append(r[0])
        values = [_decimal(c) for c in r[fees_from:-1]]
        fees = [[s, values[2 * i], values[2 * i + 1]] for i, s in enumerate(states)]
        head = [r[3], r[4], _decimal(r[5]), _decimal(r[6])] if kind == "dmepos" else [None] * 4
        db.execute(
            "INSERT INTO dmepos_fees VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [release, r[0], n, r[1], r[2], *head, r[-1], json.dumps(fees)],
        )
    _release(db, release, kind, "2025-01-01", None, kind, path, "csv", codes, {})
