"""Read-only access to the database file for serving: every query goes through here.

A `Snapshot` is the file as it was when opened: a small pool of read-only aiosqlite
connections, one more connection used on the event loop itself, and the `Catalog` read
from it. A statement first runs on the event loop, where most finish in well under a
millisecond (handing one to a thread and back costs more than running it); one that has
used `INLINE_BUDGET` of the loop thread's CPU time is interrupted and run again on a pooled
connection's thread, so no statement holds the event loop much longer than that. CPU time,
not wall time: on a busy machine (one CPU, statements on threads) the loop thread is often
preempted, and a statement cut for time it spent waiting is a millisecond of work lost.
A statement cut twice running goes straight to a thread after (the file never changes, so
neither does its work); once cut, e.g. on a cold cache, it is forgotten when it next fits,
and a remembered one tries the loop again every `SLOW_RECHECK` runs.

`Database.snapshot()` returns the current one and opens a new one when a load has renamed
a new file into place, so a new release shows without a restart while requests that
began on the old file finish on it. A new file is checked against the checksum the load
wrote (db/checksum.py) before it is served, as is the first with `open(verify=True)`; a
damaged page met by a query marks its snapshot `damaged` (/readyz then answers 503).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import sqlite3
import time
from collections.abc import AsyncIterator, Awaitable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import cast

import aiosqlite

from hcpcs_graph.db import checksum
from hcpcs_graph.db.catalog import CATALOG_QUERIES, HAS_PAYMENTS, PAYMENTS_QUERY, Catalog
from hcpcs_graph.db.ddl import SCHEMA_VERSION
from hcpcs_graph.db.queries import Row

log = logging.getLogger("hcpcs.db")

PROGRESS_STEPS = 1000  # SQLite VM steps between deadline checks
INLINE_BUDGET = 0.001  # CPU seconds a statement may run on the event loop
SLOW_REMEMBERED = 256  # statements remembered as too long for the loop, per file
SLOW_KEY_CHARS = 4096  # a statement and its parameters longer than this are not remembered
SLOW_RECHECK = 32  # runs on a thread after which a remembered statement tries the loop again
OLD_SNAPSHOT_GRACE = 30.0  # seconds an old file stays open at least, borrowed or not


class DatabaseUnavailable(Exception):
    """The database file is missing, empty, unreadable, corrupt, damaged or holds no release."""


_DAMAGED_ADVICE = "load the releases into a new file, or restore a copy"
_DAMAGED_CODES = (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB)


class QueryTimeout(Exception):
    """A query ran past the request's time limit and was interrupted."""


@dataclass(slots=True)
class Stats:
    statements: int = 0
    moved: int = 0  # statements that outran INLINE_BUDGET and were rerun on a thread


class _Deadline:
    """The deadline of the query a connection is running (monotonic clock), and for a
    statement on the event loop its CPU budget (the thread's CPU clock); checked by
    SQLite's progress handler."""

    __slots__ = ("at", "cpu_at")

    def __init__(self) -> None:
        self.at = 0.0
        self.cpu_at = 0.0

    def expired(self) -> int:
        if self.at and time.monotonic() > self.at:
            return 1
        return 1 if self.cpu_at and time.thread_time() > self.cpu_at else 0


class Snapshot:
    def __init__(self, path: Path, key: tuple[int, int, int], stats: Stats) -> None:
        self.path = path
        self.key = key
        self.stats = stats
        self.catalog: Catalog  # read by open(), which every snapshot in use has been through
        self._idle: asyncio.Queue[tuple[aiosqlite.Connection, _Deadline]] = asyncio.Queue()
        self._all: list[aiosqlite.Connection] = []
        self._inline: sqlite3.Connection | None = None
        self._inline_deadline = _Deadline()
        # (sql, params) of statements cut on the loop -> -1 when cut once, else the runs
        # sent straight to a thread since it last tried the loop; oldest forgotten first
        self._slow: dict[tuple[str, tuple[object, ...]], int] = {}
        self.borrowers = 0  # requests reading this file (Database.borrowed)
        self.verified = False  # its checksum was checked when opened
        self.damaged: str | None = None  # why, once a query met a damaged page
        self.unused = asyncio.Event()
        self.unused.set()

    async def open(self, connections: int) -> None:
        # immutable: loads never write a served file in place (they rename a new one over
        # it), so SQLite may skip locking and change checks on every query.
        uri = f"{self.path.resolve().as_uri()}?mode=ro&immutable=1"
        try:
            # The loop's own connection first: a file SQLite cannot open or read fails here,
            # before any aiosqlite thread exists (a failed aiosqlite connect leaves its
            # thread reporting to an event loop that `asyncio.run` has already closed).
            self._inline = sqlite3.connect(uri, uri=True)
            self._inline.execute("PRAGMA query_only = 1")
            self._inline.execute("SELECT count(*) FROM sqlite_master").fetchall()
            self._inline.set_progress_handler(self._inline_deadline.expired, PROGRESS_STEPS)
            for _ in range(connections):
                conn = await aiosqlite.connect(uri, uri=True, check_same_thread=False)
                self._all.append(conn)
                deadline = _Deadline()
                await conn.execute("PRAGMA query_only = 1")
                await conn.set_progress_handler(deadline.expired, PROGRESS_STEPS)
                self._idle.put_nowait((conn, deadline))
            self.catalog = await self._read_catalog()
        except sqlite3.DatabaseError as e:
            await self.close()
            raise DatabaseUnavailable(f"{self.path}: not a usable hcpcs database ({e})") from None
        except DatabaseUnavailable:
            await self.close()
            raise

    async def _read_catalog(self) -> Catalog:
        [(version,)] = await self.execute("PRAGMA user_version")
        if version != SCHEMA_VERSION:
            raise DatabaseUnavailable(
                f"{self.path}: database schema version {version}, expected {SCHEMA_VERSION}; "
                "load the releases into a new file with `hcpcs load`"
            )
        [(has_payments,)] = await self.execute(HAS_PAYMENTS)
        releases, tables, notes = [await self.execute(sql) for sql in CATALOG_QUERIES.values()]
        payments = await self.execute(PAYMENTS_QUERY) if has_payments else None
        catalog = Catalog.from_rows(releases, tables, notes, payments)
        if not catalog.releases:
            raise DatabaseUnavailable(f"{self.path}: holds no release; load one with `hcpcs load`")
        return catalog

    async def execute(
        self,
        sql: str,
        params: Sequence[object] = (),
        *,
        deadline: float = 0.0,
        budget: float | None = None,
    ) -> list[Row]:
        """The statement's rows; run on the event loop for up to `budget` CPU seconds
        (INLINE_BUDGET unless said), else on a pooled connection's thread (the module's
        docstring says why)."""
        if deadline and time.monotonic() > deadline:
            raise QueryTimeout("the request ran past its time limit")
        self.stats.statements += 1
        slow = self._slow
        runs = slow.get((sql, tuple(params))) if slow else None
        if self._inline is not None and (runs is None or runs < 0 or runs >= SLOW_RECHECK):
            inline = self._inline_deadline
            inline.at = deadline
            inline.cpu_at = time.thread_time() + (INLINE_BUDGET if budget is None else budget)
            try:
                rows = self._inline.execute(sql, params).fetchall()
            except sqlite3.OperationalError as e:
                if str(e) != "interrupted":
                    raise
                if deadline and time.monotonic() > deadline:
                    raise QueryTimeout("the query ran past the request's time limit") from None
                self.stats.moved += 1
                self._cut((sql, tuple(params)), runs)
            except sqlite3.DatabaseError as e:
                self._check_damage(e)
                raise
            else:
                if runs is not None:
                    del slow[sql, tuple(params)]  # it fits now
                return rows
            finally:
                inline.at = inline.cpu_at = 0.0
        elif runs is not None:
            slow[sql, tuple(params)] = runs + 1
        conn, holder = await self._idle.get()
        holder.at = deadline
        # aiosqlite annotates rows as sqlite3.Row; without a row_factory they are tuples.
        fetched = cast("Awaitable[Iterable[Row]]", conn.execute_fetchall(sql, params))
        running = asyncio.ensure_future(fetched)
        try:
            return list(await asyncio.shield(running))
        except asyncio.CancelledError:
            # The request stopped (its time limit, or its client hung up): interrupt the
            # statement at SQLite's next progress check, and take the connection back once
            # it has stopped, not before (its next user would inherit the interrupt).
            if not running.done():
                holder.at = -1.0
                running.add_done_callback(lambda done: self._give_back(done, conn, holder))
            raise
        except sqlite3.OperationalError as e:
            if str(e) == "interrupted":
                raise QueryTimeout("the query ran past the request's time limit") from None
            raise
        except sqlite3.DatabaseError as e:
            self._check_damage(e)
            raise
        finally:
            if running.done():
                holder.at = 0.0
                self._idle.put_nowait((conn, holder))

    def _give_back(
        self, done: asyncio.Future[Iterable[Row]], conn: aiosqlite.Connection, holder: _Deadline
    ) -> None:
        if not done.cancelled():
            done.exception()  # interrupted, as asked: nobody waits for it any more
        holder.at = 0.0
        self._idle.put_nowait((conn, holder))

    def _check_damage(self, error: sqlite3.DatabaseError) -> None:
        """A damaged file stays damaged: remembered, so that /readyz says so from now on."""
        if self.damaged is None and getattr(error, "sqlite_errorcode", 0) & 0xFF in _DAMAGED_CODES:
            self.damaged = f"{self.path}: the database file is damaged ({error}); {_DAMAGED_ADVICE}"
            log.error("%s", self.damaged)

    def _cut(self, key: tuple[str, tuple[object, ...]], runs: int | None) -> None:
        """A statement was cut on the loop: remembered as cut once, or, cut before, as one
        for a thread."""
        slow = self._slow
        if len(key[0]) + len(repr(key[1])) > SLOW_KEY_CHARS:
            return  # bounds the memo in bytes; a statement this long is rare
        if runs is None:
            if len(slow) >= SLOW_REMEMBERED:
                del slow[next(iter(slow))]
            slow[key] = -1
        else:
            slow[key] = 0

    async def close(self) -> None:
        if self._inline is not None:
            self._inline.close()
            self._inline = None
        for conn in self._all:
            with contextlib.suppress(Exception):
                await conn.close()
        self._all.clear()


class _Borrowed:
    """Database.borrowed(): a class, not a generator-based context manager, as every
    request enters one."""

    __slots__ = ("database", "snapshot")

    def __init__(self, database: Database) -> None:
        self.database = database

    async def __aenter__(self) -> Snapshot:
        snapshot = self.snapshot = await self.database.snapshot()
        snapshot.borrowers += 1
        snapshot.unused.clear()
        return snapshot

    async def __aexit__(self, *exc_info: object) -> None:
        snapshot = self.snapshot
        snapshot.borrowers -= 1
        if not snapshot.borrowers:
            snapshot.unused.set()


def _verify(path: Path) -> bool:
    """Whether the file holds a checksum (files loaded before loads wrote one do not);
    raises DatabaseUnavailable when it does not match."""
    stored = checksum.stored(path)
    if stored and checksum.compute(path) != stored:
        raise DatabaseUnavailable(
            f"{path}: the database file is damaged (its checksum does not match what "
            f"`hcpcs load` wrote); {_DAMAGED_ADVICE}"
        )
    return bool(stored)


def _file_key(path: Path) -> tuple[int, int, int]:
    st = os.stat(path)
    return (st.st_ino, st.st_mtime_ns, st.st_size)


class Database:
    def __init__(self, path: str | os.PathLike[str], *, connections: int = 4) -> None:
        self.path = Path(path)
        self.connections = connections
        self.stats = Stats()
        self._current: Snapshot | None = None
        self._reopening = asyncio.Lock()
        self._old: dict[Snapshot, asyncio.Task[None]] = {}

    async def open(self, *, verify: bool = False) -> None:
        """`verify`: check the file against its checksum first (0.04 s for 60 MB; `hcpcs
        serve` does it once at start, its workers then open the file it checked)."""
        self._current = await self._open_snapshot(verify=verify)

    async def _open_snapshot(self, *, verify: bool) -> Snapshot:
        try:
            key = _file_key(self.path)
            if key[2] == 0:
                raise DatabaseUnavailable(f"{self.path}: the database file is empty")
            with open(self.path, "rb") as f:
                f.read(1)
            verified = verify and await asyncio.to_thread(_verify, self.path)
        except FileNotFoundError:
            raise DatabaseUnavailable(
                f"{self.path}: no such database; load a release with `hcpcs load`"
            ) from None
        except OSError as e:
            raise DatabaseUnavailable(
                f"{self.path}: cannot read the database file ({e.strerror})"
            ) from None
        snapshot = Snapshot(self.path, key, self.stats)
        await snapshot.open(self.connections)
        snapshot.verified = verified
        return snapshot

    async def snapshot(self) -> Snapshot:
        """The current file; reopened when a load has replaced it since."""
        current = self._current
        if current is None:
            raise DatabaseUnavailable("the database is not open")
        try:
            changed = _file_key(self.path) != current.key
        except OSError:
            changed = False  # gone or unreadable: keep serving the file we have open
        if not changed:
            return current
        async with self._reopening:
            if self._current is not current:
                if self._current is None:
                    raise DatabaseUnavailable("the database is not open")  # closed meanwhile
                return self._current
            try:
                fresh = await self._open_snapshot(verify=True)
            except DatabaseUnavailable as e:
                log.error("keeping the open database: the new file is unusable: %s", e)
                with contextlib.suppress(OSError):
                    current.key = _file_key(self.path)  # don't retry on every request
                return current
            self._current = fresh
            log.info("database file changed; now serving releases %s", fresh.catalog.newest)
            self._old[current] = asyncio.get_running_loop().create_task(self._close_later(current))
            return fresh

    def borrowed(self) -> _Borrowed:
        """`async with database.borrowed() as snapshot`: the current file, kept open until
        the caller is done with it, however long after a load replaces it: a request
        finishes on the release it began with."""
        return _Borrowed(self)

    async def _close_later(self, snapshot: Snapshot) -> None:
        await asyncio.sleep(OLD_SNAPSHOT_GRACE)
        await snapshot.unused.wait()
        self._old.pop(snapshot, None)
        await snapshot.close()

    async def close(self) -> None:
        for snapshot, task in list(self._old.items()):
            task.cancel()
            await snapshot.close()
        self._old.clear()
        if self._current is not None:
            await self._current.close()
            self._current = None

    @contextlib.asynccontextmanager
    async def opened(self, *, verify: bool = False) -> AsyncIterator[Database]:
        await self.open(verify=verify)
        try:
            yield self
        finally:
            await self.close()
