"""Load one payment file as a dated release of its schedule, atomically.

The same rules as a HCPCS release (db/load.py, whose lock and copy-write-rename this
uses): a failed load leaves the file as it was, the same bytes loaded again change
nothing, and another file for a loaded period needs `replace`.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from hcpcs_graph.db.errors import LoadError
from hcpcs_graph.db.load import connect_read_only, locked, write_atomically, writing
from hcpcs_graph.db.payments import asp, dmepos, ndc
from hcpcs_graph.db.payments.parse import Parsed, RowReader, parse
from hcpcs_graph.db.payments.sources import PaymentSource

Progress = Callable[[int, int], None]
_COLUMNS = {"asp_prices": 13, "ndc_crosswalk": 13, "dmepos_fees": 11}  # with release
PAYMENT_TABLES = tuple(_COLUMNS)


@dataclass(slots=True)
class PaymentLoadResult:
    release: str
    kind: str
    source: str
    status: str  # loaded, replaced or unchanged
    effective_from: str = ""
    effective_through: str | None = None
    rows: int = 0
    codes: int = 0
    dropped: dict[str, int] = field(default_factory=dict)
    swept: list[tuple[str, int]] = field(default_factory=list)
    seconds: float = 0.0


def _reader(source: PaymentSource) -> tuple[str, RowReader]:
    columns = source.header.columns
    if source.kind.name == "asp":
        return asp.CODE, asp.read
    if source.kind.name == "ndc":
        return ndc.code_heading(columns), ndc.read
    return "HCPCS", dmepos.reader(columns, with_limits=source.kind.name == "dmepos")


def read(source: PaymentSource) -> Parsed:
    code_heading, reader = _reader(source)
    return parse(source.header, source.kind, code_heading, reader, source.label)


def load_payment(
    db_path: str | os.PathLike[str],
    source: PaymentSource,
    *,
    replace: bool = False,
    progress: Progress | None = None,
) -> PaymentLoadResult:
    started = time.perf_counter()
    db_path = Path(db_path)
    result = PaymentLoadResult(
        source.release, source.kind.name, source.label, "loaded",
        source.effective_from, source.effective_through,
    )  # fmt: skip
    with writing(db_path), locked(db_path) as swept:
        result.swept = swept
        existing = _existing(db_path, source)
        if existing is not None and existing[1] == source.sha256:
            result.status = "unchanged"
            result.release = existing[0]
            result.seconds = time.perf_counter() - started
            return result
        if existing is not None:
            if not replace:
                raise LoadError(
                    f"schedule release {source.release} is already loaded from {existing[2]}; "
                    "pass --replace to load this file in its place",
                    file=source.label,
                )
            result.status = "replaced"
        parsed = read(source)
        if progress:
            progress(1, 2)
        result.rows, result.codes = len(parsed.rows), parsed.codes
        result.dropped = dict(sorted(parsed.dropped.items()))
        write_atomically(db_path, lambda conn: _insert(conn, source, parsed, result))
        if progress:
            progress(2, 2)
    result.seconds = time.perf_counter() - started
    return result


def _existing(db_path: Path, source: PaymentSource) -> tuple[str, str, str] | None:
    """(id, sha256, source) of the schedule release these bytes are, or would replace."""
    if not db_path.exists():
        return None
    conn = connect_read_only(db_path)
    try:
        if not conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'payment_releases'"
        ).fetchone():
            return None
        row = conn.execute(
            "SELECT id, sha256, source_name FROM payment_releases WHERE sha256 = ? OR id = ?"
            " ORDER BY sha256 = ? DESC LIMIT 1",
            (source.sha256, source.release, source.sha256),
        ).fetchone()
    finally:
        conn.close()
    return None if row is None else (row[0], row[1], row[2])


def _insert(
    conn: sqlite3.Connection, source: PaymentSource, parsed: Parsed, result: PaymentLoadResult
) -> None:
    release = source.release
    for table in PAYMENT_TABLES:
        conn.execute(f"DELETE FROM {table} WHERE release = ?", (release,))
    conn.execute("DELETE FROM payment_releases WHERE id = ?", (release,))
    table = source.kind.table
    marks = ", ".join("?" * _COLUMNS[table])
    try:
        conn.executemany(
            f"INSERT INTO {table} VALUES ({marks})", [(release, *row) for row in parsed.rows]
        )
    except sqlite3.IntegrityError:
        raise _duplicate(source, parsed) from None
    conn.execute(
        "INSERT INTO payment_releases VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            release,
            source.kind.name,
            source.effective_from,
            source.effective_through,
            " / ".join(parsed.title),
            source.label,
            source.format,
            source.sha256,
            dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            result.rows,
            result.codes,
            json.dumps(result.dropped),
        ),
    )


def _duplicate(source: PaymentSource, parsed: Parsed) -> LoadError:
    """The ASP file lists each code once: name the row that repeats one."""
    first: dict[object, object] = {}
    for row in parsed.rows:
        if row[0] in first:
            return LoadError(
                f"code {row[0]} is listed twice (first at row {first[row[0]]})",
                file=source.label,
                where=f"row {row[1]}",
            )
        first[row[0]] = row[1]
    return LoadError("a row repeats another", file=source.label)


def list_payments(db_path: str | os.PathLike[str]) -> list[dict[str, object]]:
    """The schedule releases a database holds, by kind then newest first."""
    conn = connect_read_only(Path(db_path))
    try:
        conn.row_factory = sqlite3.Row
        if not conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'payment_releases'"
        ).fetchone():
            return []
        rows = conn.execute(
            "SELECT id, kind, effective_from, effective_through, source_name, sha256,"
            " loaded_at, row_count, code_count, dropped FROM payment_releases"
            " ORDER BY kind, effective_from DESC"
        ).fetchall()
    finally:
        conn.close()
    return [dict(row) | {"dropped": json.loads(row["dropped"])} for row in rows]
