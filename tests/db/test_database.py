"""The serving side of db/: read-only snapshots, reopening after a load, the query layer."""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
import time
from pathlib import Path

import pytest

from hcpcs_graph.db import database as database_module
from hcpcs_graph.db import queries
from hcpcs_graph.db.database import Database, DatabaseUnavailable
from hcpcs_graph.db.load import load
from hcpcs_graph.db.queries import CodeFilter, CodeSet
from hcpcs_graph.db.sources import open_source
from tests.conftest import RELEASES
from tests.fixtures import release_file


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "no such database; load a release with `hcpcs load`"),
        (b"", "the database file is empty"),
        (b"garbage" * 1000, "not a usable hcpcs database (file is not a database)"),
    ],
)
async def test_unusable_files_are_refused_clearly(
    tmp_path: Path, content: bytes | None, message: str
) -> None:
    path = tmp_path / "h.db"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(DatabaseUnavailable) as caught:
        await Database(path).open()
    assert str(caught.value) == f"{path}: {message}"


async def test_a_database_without_releases(tmp_path: Path) -> None:
    path = tmp_path / "h.db"
    sqlite3.connect(path).execute("CREATE TABLE t (x)").connection.close()
    with pytest.raises(DatabaseUnavailable, match="database schema version 0, expected 2"):
        await Database(path).open()


async def test_the_serving_connection_cannot_write(all_releases_db: Path) -> None:
    before = all_releases_db.read_bytes()
    database = Database(all_releases_db, connections=1)
    async with database.opened():
        snapshot = await database.snapshot()
        assert await snapshot.execute("PRAGMA query_only") == [(1,)]
        for sql in (
            "DELETE FROM codes",
            "INSERT INTO releases (id) VALUES ('x')",
            "CREATE TABLE evil (x)",
        ):
            with pytest.raises(sqlite3.OperationalError, match="readonly database"):
                await snapshot.execute(sql)
        with pytest.raises(sqlite3.ProgrammingError, match="one statement at a time"):
            await snapshot.execute("SELECT 1; DELETE FROM codes")
        # with query_only switched off, the read-only open still refuses
        await snapshot.execute("PRAGMA query_only = 0")
        with pytest.raises(sqlite3.OperationalError, match="readonly database"):
            await snapshot.execute("DELETE FROM codes")
        [(n,)] = await snapshot.execute("SELECT count(*) FROM codes")
        assert n > 50_000
    assert all_releases_db.read_bytes() == before


async def test_a_new_load_shows_without_restart(tmp_path: Path) -> None:
    path = tmp_path / "h.db"
    load(path, open_source(str(release_file(tmp_path, "2016-01"))))
    database = Database(path)
    async with database.opened():
        before = await database.snapshot()
        assert before.catalog.newest == "2016-01"
        load(path, open_source(str(release_file(tmp_path, "2025-10"))))
        after = await database.snapshot()
        assert after is not before and after.catalog.newest == "2025-10"
        # a request that began on the old file still reads it
        [(n,)] = await before.execute("SELECT count(*) FROM releases")
        assert n == 1
        assert await database.snapshot() is after


async def test_a_borrowed_file_stays_open_past_the_grace(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """However long a request takes (a queue, no time limit), the file it began on stays
    open until it is done; then the old file is closed."""
    monkeypatch.setattr(database_module, "OLD_SNAPSHOT_GRACE", 0.0)
    path = tmp_path / "h.db"
    load(path, open_source(str(release_file(tmp_path, "2016-01"))))
    database = Database(path)
    async with database.opened():
        async with database.borrowed() as old:
            load(path, open_source(str(release_file(tmp_path, "2025-10"))))
            assert (await database.snapshot()).catalog.newest == "2025-10"
            await asyncio.sleep(0.2)  # well past the grace
            [(n,)] = await old.execute("SELECT count(*) FROM releases")
            assert n == 1
            [closing] = database._old.values()
            assert not closing.done()
        await asyncio.wait_for(closing, timeout=5)
        assert old._all == []  # closed once no one reads it


async def test_page_and_count_are_batched_over_link_values(database: Database) -> None:
    snapshot = await database.snapshot()
    codes = CodeSet(release="2020-01", is_modifier=False, link_field="betos")
    pages = await queries.page(snapshot, codes, ["I4B", "D1E", "NONE"], 3, None)
    assert [len(pages[v]) for v in ("I4B", "D1E", "NONE")] == [3, 3, 0]
    assert all(row.betos == "I4B" for row in pages["I4B"])
    counts = await queries.count(snapshot, codes, ["I4B", "D1E", "NONE"])
    [(i4b,)] = await snapshot.execute(
        "SELECT count(*) FROM codes WHERE release = '2020-01' AND is_modifier = 0 AND betos = 'I4B'"
    )
    assert counts["I4B"] == i4b and counts["NONE"] == 0


async def test_filters_in_sql(database: Database) -> None:
    snapshot = await database.snapshot()
    codes = CodeSet(
        release="2026-01",
        is_modifier=False,
        filter=CodeFilter(code_prefix="G60", terminated=True, active_on="2025-12-31"),
    )
    [rows] = (await queries.page(snapshot, codes, [], 500, None)).values()
    assert rows and all(
        r.code.startswith("G60") and r.termination_date >= "2025-12-31" for r in rows
    )


async def test_statements_run_on_the_loop_until_they_outrun_the_budget(
    all_releases_db: Path,
) -> None:
    """A short statement answers on the event loop; a long one is interrupted there after
    INLINE_BUDGET and runs again on a pooled connection's thread, while the loop runs on."""
    database = Database(all_releases_db, connections=1)
    async with database.opened():
        snapshot = await database.snapshot()
        stats = database.stats
        moved = stats.moved
        assert await snapshot.execute("SELECT code FROM codes WHERE code = 'G6002' LIMIT 1") == [
            ("G6002",)
        ]
        assert stats.moved == moved
        ticks = 0

        async def tick() -> None:
            nonlocal ticks
            while True:
                await asyncio.sleep(0.005)
                ticks += 1

        ticker = asyncio.get_running_loop().create_task(tick())
        # long for SQLite: a few hundred milliseconds of counting
        long = (
            "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 3000000)"
            " SELECT count(*) FROM n"
        )
        assert await snapshot.execute(long) == [(3_000_000,)]
        assert stats.moved == moved + 1
        assert ticks >= 5  # the loop was not held while the statement ran
        # cut twice running, it is remembered: straight to a thread, nothing cut on the loop
        assert await snapshot.execute(long) == [(3_000_000,)]
        assert stats.moved == moved + 2
        ticks = 0
        assert await snapshot.execute(long) == [(3_000_000,)]
        assert stats.moved == moved + 2
        assert ticks >= 5
        ticker.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await ticker


async def test_statements_remembered_as_slow(
    all_releases_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Cut twice running: straight to a thread, but back to the loop every SLOW_RECHECK
    runs, and forgotten when it fits there; cut once (a cold cache): forgotten when it
    next fits. At most SLOW_REMEMBERED, the oldest forgotten first."""
    monkeypatch.setattr(database_module, "SLOW_REMEMBERED", 2)
    monkeypatch.setattr(database_module, "SLOW_RECHECK", 3)
    database = Database(all_releases_db, connections=1)
    async with database.opened():
        snapshot = await database.snapshot()
        stats = database.stats
        counting = (
            "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < ?)"
            " SELECT count(*) FROM n"
        )

        async def run(n: int, budget: float) -> int:
            """Runs `counting` to n with this on-loop budget: how many times it was cut."""
            monkeypatch.setattr(database_module, "INLINE_BUDGET", budget)
            moved = stats.moved
            assert await snapshot.execute(counting, [n]) == [(n,)]
            return stats.moved - moved

        slow, fits = 0.0, 10.0  # every statement outruns a budget of 0; none one of 10 s
        assert [await run(5001, slow) for _ in range(2)] == [1, 1]  # cut twice: remembered
        assert [await run(5001, slow) for _ in range(3)] == [0, 0, 0]  # on a thread
        assert await run(5001, slow) == 1  # tries the loop again, cut: 3 more on a thread
        assert [await run(5001, slow) for _ in range(3)] == [0, 0, 0]
        assert await run(5001, fits) == 0  # tried again and fits: forgotten
        assert await run(5001, slow) == 1
        assert await run(5001, fits) == 0  # cut once, then fits: forgotten
        assert await run(5001, slow) == 1
        # bounded: two more statements cut push out the oldest, 5001
        assert await run(5002, slow) == 1 and await run(5003, slow) == 1
        assert await run(5001, slow) == 1 and await run(5001, slow) == 1
        assert await run(5001, slow) == 0


async def test_ids_follow_code_order_so_searches_use_the_span(database: Database) -> None:
    """`hcpcs load` writes each release's codes, then its modifiers, in code order with no
    gap in their ids; search_span finds it in every release loaded from CMS's files."""
    snapshot = await database.snapshot()
    for release in RELEASES:
        for is_modifier in (False, True):
            span = await queries.search_span(snapshot, release, is_modifier)
            assert span is not None, (release, is_modifier)
            rows = await snapshot.execute(
                "SELECT id, code FROM codes WHERE release = ? AND is_modifier = ? ORDER BY id",
                [release, int(is_modifier)],
            )
            assert (rows[0][0], rows[-1][0]) == span
            assert [code for _, code in rows] == sorted(code for _, code in rows)


async def test_search_with_the_span_answers_as_without_it(database: Database) -> None:
    """The span statements (ids inside the full-text index) give the same pages and totals
    as the general ones (a join to codes per match), words, exact codes and pages alike."""
    from hcpcs_graph.schema.types.filters import search_query

    snapshot = await database.snapshot()
    texts = ["wheelchair", "oxygen", "injection", "E0100", "e0100 cane", "knee orthosis",
             "zzzz", "ga", "modifier", "a4206"]  # fmt: skip
    for release in ("2016-01", "2026-01"):
        for is_modifier in (False, True):
            span = await queries.search_span(snapshot, release, is_modifier)
            assert span is not None
            for text in texts:
                match, exact = search_query(text)
                codes = CodeSet(release, is_modifier, search=match, exact_code=exact)
                for first, offset in ((21, 0), (8, 5), (500, 0)):
                    general = await queries.search_page(snapshot, codes, first, offset)
                    spanned = await queries.search_page(snapshot, codes, first, offset, span)
                    assert spanned == general, (release, is_modifier, text, first, offset)
                total = await queries.count(snapshot, codes, [None])
                assert await queries.count(snapshot, codes, [None], span) == total
                assert total[None] >= len(general)


async def test_no_span_when_ids_leave_code_order(db_copy: Path) -> None:
    """A file written otherwise (ids out of code order, or with a gap) gets no span, and its
    searches take the general statements."""
    with sqlite3.connect(db_copy) as conn:
        [(last,)] = conn.execute("SELECT max(id) FROM codes")
        conn.execute(
            "UPDATE codes SET id = ? WHERE release = '2025-10' AND code = 'A0021'", [last + 1]
        )
    database = Database(db_copy, connections=1)
    async with database.opened():
        snapshot = await database.snapshot()
        assert await queries.search_span(snapshot, "2025-10", False) is None
        assert await queries.search_span(snapshot, "2025-10", True) is not None


def test_the_on_loop_budget_counts_cpu_time_and_the_deadline_wall_time() -> None:
    """A statement on the loop is cut after INLINE_BUDGET of the loop thread's CPU time:
    time the thread spends preempted (another thread running a statement) does not
    count. The request's deadline is wall time."""
    limits = database_module._Deadline()
    limits.cpu_at = time.thread_time() + 0.002
    time.sleep(0.02)  # off the CPU, like a preempted thread
    assert not limits.expired()
    spin_until = time.thread_time() + 0.003
    while time.thread_time() < spin_until:
        pass
    assert limits.expired()
    limits.cpu_at = 0.0
    limits.at = time.monotonic() + 0.005
    assert not limits.expired()
    time.sleep(0.01)
    assert limits.expired()
