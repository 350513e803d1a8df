"""Load one release into the database file, atomically.

The database file is never written in place. A load copies it (under a lock), writes
the release into the copy, and renames the copy over the original. A failed,
interrupted or killed load therefore leaves the original byte-for-byte as it was, and
a server reading the old file keeps a consistent view until it reopens. The last step
before the rename stores the file's checksum in its header (db/checksum.py).

A killed load leaves its copy behind (`.NAME.PID.tmp`, as big as the database): the next
load removes such copies once it holds the lock, and `hcpcs serve` at start when no load
holds it (`sweep_stale_copies`).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import fcntl
import json
import os
import shutil
import sqlite3
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from operator import attrgetter
from pathlib import Path

from hcpcs_graph.db import checksum, codetables, fixed_width, notes, workbook
from hcpcs_graph.db.ddl import DDL, SCHEMA_VERSION, VALUE_FIELDS, fts_ddl, fts_table
from hcpcs_graph.db.errors import LoadError
from hcpcs_graph.db.fields import FIELDS
from hcpcs_graph.db.records import Parsed, Record
from hcpcs_graph.db.sources import Source

Progress = Callable[[int, int], None]


@dataclass(slots=True)
class LoadResult:
    release: str
    source: str
    status: str  # loaded, replaced or unchanged
    codes: int = 0
    modifiers: int = 0
    lines: int = 0
    notes: int = 0
    unknown: dict[str, dict[str, int]] = field(default_factory=dict)
    repairs: list[str] = field(default_factory=list)
    removed_sample: bool = False
    swept: list[tuple[str, int]] = field(default_factory=list)  # (name, bytes) of stale copies
    seconds: float = 0.0


def parse(source: Source, progress: Progress | None = None) -> tuple[Parsed, dict[int, str]]:
    reader = fixed_width.read if source.format == "txt" else workbook.read
    parsed = reader(source.data, source.label, progress)
    parsed_notes = (
        notes.read(source.notes, source.notes_name)
        if source.notes and source.notes_name is not None
        else {}
    )
    return parsed, parsed_notes


def load(
    db_path: str | os.PathLike[str],
    source: Source,
    *,
    replace: bool = False,
    progress: Progress | None = None,
) -> LoadResult:
    started = time.perf_counter()
    db_path = Path(db_path)
    with writing(db_path):
        result = _load_locked(db_path, source, replace, progress)
    result.seconds = time.perf_counter() - started
    return result


@contextlib.contextmanager
def writing(db_path: Path) -> Iterator[None]:
    """Turn a full disk, or a file that cannot be written, into one LoadError line."""
    try:
        yield
    except sqlite3.OperationalError as e:
        if getattr(e, "sqlite_errorcode", 0) & 0xFF != sqlite3.SQLITE_FULL:
            raise
        raise _disk_full(db_path) from None
    except OSError as e:
        if e.errno in (errno.ENOSPC, errno.EDQUOT):
            raise _disk_full(db_path) from None
        raise LoadError(
            f"cannot write the database ({e.strerror}: {e.filename})", file=str(db_path)
        ) from None


def _disk_full(db_path: Path) -> LoadError:
    return LoadError(
        f"the disk is full: no space left in {db_path.parent} for the new copy of the "
        "database; the database is unchanged",
        file=str(db_path),
    )


def _load_locked(
    db_path: Path, source: Source, replace: bool, progress: Progress | None
) -> LoadResult:
    result = LoadResult(release=source.release, source=source.label, status="loaded")
    with locked(db_path) as swept:
        result.swept = swept
        existing = _existing(db_path, source)
        if existing is not None and existing["sha256"] == source.sha256:
            result.status = "unchanged"
            result.release = existing["id"]
            return result
        if existing is not None and existing["id"] == source.release:
            if not (replace or existing["is_sample"]):
                raise LoadError(
                    f"release {source.release} is already loaded from {existing['source_name']}; "
                    "pass --replace to load this file in its place",
                    file=source.label,
                )
            result.status = "replaced"
        parsed, parsed_notes = parse(source, progress)
        _write(db_path, source, parsed, parsed_notes, result)
    return result


@contextlib.contextmanager
def locked(db_path: Path) -> Iterator[list[tuple[str, int]]]:
    """One load at a time per database; leftovers of killed loads are swept up."""
    db_path.parent.mkdir(parents=True, exist_ok=True)
    with open(f"{db_path}.lock", "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield _sweep(db_path)


def sweep_stale_copies(db_path: str | os.PathLike[str]) -> list[tuple[str, int]]:
    """Remove the copies killed loads left beside the database, unless a load is running
    now (it holds the lock, and one of them is its own); (name, bytes) of each removed."""
    db_path = Path(db_path)
    try:
        with open(f"{db_path}.lock") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return _sweep(db_path)
    except OSError:  # no lock file (no load ever ran here), a load holds it, or read-only
        return []


def _sweep(db_path: Path) -> list[tuple[str, int]]:
    """Under the lock, every temporary copy is a killed load's."""
    swept = []
    for stale in db_path.parent.glob(f".{db_path.name}.*.tmp"):
        with contextlib.suppress(FileNotFoundError):
            size = stale.stat().st_size
            stale.unlink()
            swept.append((stale.name, size))
    return swept


def _existing(db_path: Path, source: Source) -> sqlite3.Row | None:
    """The loaded release this source is (same bytes) or would replace (same id)."""
    if not db_path.exists():
        return None
    with contextlib.closing(connect_read_only(db_path)) as conn:
        if not _has_releases(conn):
            return None
        row: sqlite3.Row | None = conn.execute(
            "SELECT id, sha256, source_name, is_sample FROM releases"
            " WHERE sha256 = ? OR id = ? ORDER BY sha256 = ? DESC LIMIT 1",
            (source.sha256, source.release, source.sha256),
        ).fetchone()
        return row


def connect_read_only(db_path: Path) -> sqlite3.Connection:
    try:
        conn = sqlite3.connect(f"{db_path.resolve().as_uri()}?mode=ro", uri=True)
        conn.row_factory = sqlite3.Row
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.DatabaseError as e:
        raise LoadError(f"not a usable SQLite database ({e})", file=str(db_path)) from None
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version not in (0, SCHEMA_VERSION):
        conn.close()
        raise LoadError(
            f"database schema version {version}; this hcpcs-graph writes version "
            f"{SCHEMA_VERSION}: load into a new file",
            file=str(db_path),
        )
    return conn


def _has_releases(conn: sqlite3.Connection) -> bool:
    row = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'releases'"
    ).fetchone()
    return row is not None


def _write(
    db_path: Path,
    source: Source,
    parsed: Parsed,
    parsed_notes: dict[int, str],
    result: LoadResult,
) -> None:
    def fill(conn: sqlite3.Connection) -> None:
        if not source.is_sample:
            result.removed_sample = _delete_samples(conn)
        _delete_release(conn, source.release)
        _insert(conn, source, parsed, parsed_notes, result)

    write_atomically(db_path, fill)


def write_atomically(db_path: Path, fill: Callable[[sqlite3.Connection], None]) -> None:
    """Copy the file, `fill` the copy in one transaction, rename it over the file. The
    caller holds the lock (`locked`)."""
    temp = db_path.parent / f".{db_path.name}.{os.getpid()}.tmp"
    try:
        if db_path.exists():
            shutil.copyfile(db_path, temp)
        conn = sqlite3.connect(temp, isolation_level=None)
        try:
            conn.execute("PRAGMA journal_mode = OFF")  # the copy is ours alone until renamed
            conn.execute("PRAGMA synchronous = OFF")
            conn.executescript(DDL)
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            conn.execute("BEGIN")
            fill(conn)
            conn.execute("COMMIT")
        finally:
            conn.close()
        checksum.write(temp)
        _fsync(temp)
        os.replace(temp, db_path)
        _fsync(db_path.parent)
    finally:
        temp.unlink(missing_ok=True)


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _delete_samples(conn: sqlite3.Connection) -> bool:
    samples = [r[0] for r in conn.execute("SELECT id FROM releases WHERE is_sample")]
    for release in samples:
        _delete_release(conn, release)
    return bool(samples)


def _delete_release(conn: sqlite3.Connection, release: str) -> None:
    conn.execute(f"DROP TABLE IF EXISTS {fts_table(release)}")
    for table in ("code_values", "processing_notes", "codes", "releases"):
        column = "id" if table == "releases" else "release"
        conn.execute(f"DELETE FROM {table} WHERE {column} = ?", (release,))


def _values(record: Record) -> Iterator[tuple[str, str, int]]:
    """(field, value, position) for every coded value of a record, as code_values holds them."""
    for name, column, repeated in _VALUED:
        present = getattr(record, column)
        if repeated:
            for position, value in enumerate(present, 1):
                yield name, value, position
        elif present is not None:
            yield name, str(present), 1  # str: a processing note's number


_VALUED = [(f.values, f.column, f.repeated) for f in FIELDS if f.values is not None]
_STORED = attrgetter(*(f.column for f in FIELDS[2:]))  # a Record's, after id and release
_AS_JSON = [f.repeated for f in FIELDS[2:]]


def _code_row(row_id: int, release: str, r: Record) -> tuple[object, ...]:
    """A record as a row of `codes`, in the table's order (db.fields)."""
    stored = (json.dumps(v) if j else v for v, j in zip(_STORED(r), _AS_JSON, strict=True))
    return (row_id, release, *stored)


def _insert(
    conn: sqlite3.Connection,
    source: Source,
    parsed: Parsed,
    parsed_notes: dict[int, str],
    result: LoadResult,
) -> None:
    tables = _write_code_tables(conn)
    unknown: dict[str, Counter[str]] = {}
    code_rows = []
    value_rows = []
    next_id = (conn.execute("SELECT max(id) FROM codes").fetchone()[0] or 0) + 1
    # ids follow code order, codes then modifiers, with no gap: searches rely on it
    # (db.queries.search_span)
    in_order = sorted(parsed.records, key=lambda r: (r.is_modifier, r.code))
    for offset, r in enumerate(in_order):
        row_id = next_id + offset
        code_rows.append(_code_row(row_id, source.release, r))
        for name, value, position in _values(r):
            value_rows.append(
                (source.release, int(r.is_modifier), name, value, r.code, row_id, position)
            )
            table = VALUE_FIELDS[name]
            if table and value not in tables[table]:
                unknown.setdefault(name, Counter())[value] += 1
    conn.executemany(f"INSERT INTO codes VALUES ({', '.join('?' * len(FIELDS))})", code_rows)
    conn.executemany("INSERT INTO code_values VALUES (?, ?, ?, ?, ?, ?, ?)", value_rows)
    create, rank, fill = fts_ddl(source.release)
    conn.execute(create)
    conn.execute(rank)
    conn.execute(fill, (source.release,))
    conn.executemany(
        "INSERT INTO processing_notes VALUES (?, ?, ?)",
        [(source.release, number, text) for number, text in sorted(parsed_notes.items())],
    )
    result.codes = sum(not r.is_modifier for r in parsed.records)
    result.modifiers = len(parsed.records) - result.codes
    result.lines = parsed.lines
    result.notes = len(parsed_notes)
    result.unknown = {name: dict(sorted(c.items())) for name, c in sorted(unknown.items())}
    result.repairs = parsed.repairs
    conn.execute(
        "INSERT INTO releases VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            source.release,
            f"{source.release}-01",
            source.label,
            source.format,
            source.sha256,
            dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            result.codes,
            result.modifiers,
            result.lines,
            result.notes,
            json.dumps(result.unknown),
            json.dumps(result.repairs),
            int(source.is_sample),
        ),
    )


def _write_code_tables(conn: sqlite3.Connection) -> dict[str, set[str]]:
    """(Re)write the code tables from db.codetables; returns each table's codes."""
    rows: list[tuple[str, str, str, str | None, str | None]] = []
    for code, description, schedule in codetables.PRICING_INDICATORS:
        rows.append(("pricing_indicator", code, description, None, schedule))
    for code, description, body_system in codetables.MOG_PAYMENT_GROUPS:
        rows.append(("mog_payment_group", code, description, None, body_system))
    for code, description, parent in codetables.LAB_CERTIFICATIONS:
        rows.append(("lab_certification", code, description, parent, None))
    for code, description in codetables.BETOS_CODES:
        rows.append(("betos", code, description, code[0], None))
    plain = (
        ("multiple_pricing_indicator", codetables.MULTIPLE_PRICING_INDICATORS),
        ("coverage", codetables.COVERAGE_CODES),
        ("type_of_service", codetables.TYPES_OF_SERVICE),
        ("action_code", codetables.ACTION_CODES),
        ("asc_payment_group", codetables.ASC_PAYMENT_GROUPS),
        ("mog_payment_policy_indicator", codetables.MOG_PAYMENT_POLICY_INDICATORS),
        ("betos_family", codetables.BETOS_FAMILIES),
    )
    for table, entries in plain:
        rows.extend((table, code, description, None, None) for code, description in entries)
    conn.execute("DELETE FROM code_tables")
    conn.executemany("INSERT INTO code_tables VALUES (?, ?, ?, ?, ?)", rows)
    tables: dict[str, set[str]] = {}
    for table, code, *_ in rows:
        tables.setdefault(table, set()).add(code)
    return tables


def list_releases(db_path: str | os.PathLike[str]) -> list[dict[str, object]]:
    """The releases a database holds, newest first (for `hcpcs releases`)."""
    db_path = Path(db_path)
    if not db_path.exists():
        raise LoadError("no such database; load a release first", file=str(db_path))
    with contextlib.closing(connect_read_only(db_path)) as conn:
        if not _has_releases(conn):
            return []
        rows = conn.execute(
            "SELECT id, source_name, sha256, loaded_at, code_count, modifier_count, note_count,"
            " unknown_values, is_sample FROM releases ORDER BY id DESC"
        ).fetchall()
    return [dict(row) for row in rows]
