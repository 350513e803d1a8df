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
from hcpcs_graph.db.payments import asc, asp, clfs, dmepos, kinds, ndc, noc, opps, pfs
from hcpcs_graph.db.payments.parse import Parsed, RowReader, parse
from hcpcs_graph.db.payments.sources import PaymentSource

Progress = Callable[[int, int], None]


@dataclass(frozen=True, slots=True)
class _Table:
    columns: int  # with release
    key: tuple[int, ...]  # the primary key's columns after release
    row: int | None  # the file's row number, after release (None: the table has none)
    unique: tuple[int, ...] = ()  # what no two rows may share, when not the key


TABLES = {
    "asp_prices": _Table(13, (0,), 1),
    "ndc_crosswalk": _Table(13, (0, 1), 1, unique=(0, 2)),  # code and NDC
    "dmepos_fees": _Table(11, (0, 1), 1, unique=(0, 2, 3)),  # code and modifiers
    "pfs_rvus": _Table(33, (0, 1), 2),
    "pfs_localities": _Table(10, (0, 1), None),
    "lab_fees": _Table(8, (0, 1), 2),
    "asc_payments": _Table(11, (0,), 1),
    "opps_payments": _Table(11, (0,), 1),
    "payment_indicators": _Table(4, (0, 1), None),
    "noc_codes": _Table(6, (0,), 1),
}
PAYMENT_TABLES = tuple(TABLES)


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
    notes: list[str] = field(default_factory=list)
    # replaced: the codes whose rows the new file changes, adds or removes (by table)
    changed: dict[str, list[str]] = field(default_factory=dict)
    added: dict[str, list[str]] = field(default_factory=dict)
    removed: dict[str, list[str]] = field(default_factory=dict)
    swept: list[tuple[str, int]] = field(default_factory=list)
    seconds: float = 0.0


def _reader(source: PaymentSource) -> tuple[str, RowReader]:
    columns = source.header.columns
    name = source.kind.name
    if name == "asp":
        return asp.CODE, asp.read
    if name == "ndc":
        return ndc.code_heading(columns), ndc.read
    if name in ("dmepos", "dmepen"):
        return "HCPCS", dmepos.reader(columns, with_limits=name == "dmepos")
    if name == "pfs":
        return pfs.CODE, pfs.read
    if name == "clfs":
        return clfs.CODE, clfs.read
    if name == "asc":
        return asc.CODE, asc.reader(source.kind.part, columns)
    return opps.CODE, opps.read


def _key(table: str) -> tuple[tuple[int, ...], int]:
    """parse()'s `key` for a table: what no two rows may share, and the row number's place."""
    meta = TABLES[table]
    return meta.unique or meta.key, meta.row if meta.row is not None else -1


def read(source: PaymentSource, progress: Progress | None = None) -> Parsed:
    """Every table of the schedule release: the main file's rows, then its other parts."""
    if source.kind.name == "noc":
        return noc.read(source.header, source.kind, source.label)
    try:
        code_heading, reader = _reader(source)
    except LoadError as e:
        where = source.header.sheet.where(source.header.index)
        raise e.located(file=source.label, where=where) from None
    parsed = parse(
        source.header, source.kind, code_heading, reader, source.label, progress,
        key=_key(source.kind.table),
    )  # fmt: skip
    if source.kind.name == "pfs":
        found = {part.part: source.part(part) for part in pfs.PARTS}
        gpci = found["GPCI"]
        if gpci is None:
            parsed.notes.append("no GPCI file beside it: payments by locality are unavailable")
        else:
            pfs.localities(parsed, gpci, found["LOCCO"], found["ANES"])
    if source.kind.name == "asc":
        other = kinds.ASC_BB if source.kind.part == "AA" else kinds.ASC_AA
        beside = source.part(other)
        if beside is None:
            parsed.notes.append(f"no Addendum {other.part} beside it: only {source.kind.part}")
        else:
            label, header = beside
            reader = asc.reader(other.part, header.columns)
            parse(header, other, asc.CODE, reader, label, into=parsed, key=_key(other.table))
        meanings = source.part(kinds.ASC_DD1)
        if meanings is None:
            parsed.notes.append("no Addendum DD1 beside it: payment indicators undescribed")
        else:
            asc.indicators(parsed, meanings[1])
    return parsed


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
        same_period = existing is not None and existing[3:] == (
            source.effective_from,
            source.effective_through,
        )
        if existing is not None and existing[1] == source.sha256 and same_period:
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
        parsed = read(source, progress)
        result.rows, result.codes = parsed.rows, parsed.codes
        result.dropped = dict(sorted(parsed.dropped.items()))
        result.notes = parsed.notes
        write_atomically(db_path, lambda conn: _insert(conn, source, parsed, result))
    result.seconds = time.perf_counter() - started
    return result


def _existing(db_path: Path, source: PaymentSource) -> tuple[str, str, str, str, str | None] | None:
    """(id, sha256, source) of the schedule release this file is, or would replace."""
    if not db_path.exists():
        return None
    conn = connect_read_only(db_path)
    try:
        if not conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'payment_releases'"
        ).fetchone():
            return None
        # by id only: the same bytes given another period (--effective) are another release
        row = conn.execute(
            "SELECT id, sha256, source_name, effective_from, effective_through"
            " FROM payment_releases WHERE id = ?",
            (source.release,),
        ).fetchone()
    finally:
        conn.close()
    return None if row is None else (row[0], row[1], row[2], row[3], row[4])


def _insert(
    conn: sqlite3.Connection, source: PaymentSource, parsed: Parsed, result: PaymentLoadResult
) -> None:
    release = source.release
    _compare(conn, release, parsed, result)
    for table in PAYMENT_TABLES:
        conn.execute(f"DELETE FROM {table} WHERE release = ?", (release,))
    conn.execute("DELETE FROM payment_releases WHERE id = ?", (release,))
    for table, rows in parsed.tables.items():
        marks = ", ".join("?" * TABLES[table].columns)
        try:
            conn.executemany(
                f"INSERT INTO {table} VALUES ({marks})", [(release, *row) for row in rows]
            )
        except sqlite3.IntegrityError:
            raise _duplicate(source, table, rows) from None
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


def _keyed(
    table: str, rows: list[tuple[object, ...]]
) -> dict[tuple[object, ...], tuple[object, ...]]:
    """Rows by primary key, without the file's row numbers (a corrected file may move rows)."""
    meta = TABLES[table]
    return {
        tuple(row[i] for i in meta.key): tuple(v for i, v in enumerate(row) if i != meta.row)
        for row in rows
    }


def _name(key: tuple[object, ...]) -> str:
    """A row's key for people: J9035, or 93000-26 with a modifier."""
    return "-".join(str(k) for k in key if k)


def _compare(
    conn: sqlite3.Connection, release: str, parsed: Parsed, result: PaymentLoadResult
) -> None:
    """What a replacing load changes, by table: the codes whose rows differ, are new, or go."""
    for table, rows in parsed.tables.items():
        old = conn.execute(f"SELECT * FROM {table} WHERE release = ?", (release,)).fetchall()
        if not old:
            continue
        before = _keyed(table, [tuple(r[1:]) for r in old])
        after = _keyed(table, rows)
        result.changed[table] = sorted(
            _name(k) for k in before.keys() & after.keys() if before[k] != after[k]
        )
        result.added[table] = sorted(_name(k) for k in after.keys() - before.keys())
        result.removed[table] = sorted(_name(k) for k in before.keys() - after.keys())


def _duplicate(source: PaymentSource, table: str, rows: list[tuple[object, ...]]) -> LoadError:
    """Name the row that repeats another's key (a code, or a code and modifier)."""
    meta = TABLES[table]
    first: dict[tuple[object, ...], object] = {}
    for row in rows:
        key = tuple(row[i] for i in meta.key)
        where = row[meta.row] if meta.row is not None else "?"
        if key in first:
            shown = " ".join(str(k) for k in key if k)
            return LoadError(
                f"{shown} is listed twice (first at row {first[key]})",
                file=source.label,
                where=f"row {where}",
            )
        first[key] = where
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
