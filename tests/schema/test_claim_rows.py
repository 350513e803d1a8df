"""The rows claim checks keep per database file (schema/claim_rows.py): charged about what
they keep alive, bounded by `claim_cache_bytes`, and never changing an answer."""

from __future__ import annotations

import sqlite3
import sys
import tracemalloc
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import orjson
import pytest

from hcpcs_graph.db import claims_queries, queries
from hcpcs_graph.db.payments import facility_queries, pfs_queries
from hcpcs_graph.db.payments import queries as payment_queries
from hcpcs_graph.schema.cache import cache_of
from hcpcs_graph.schema.claim_rows import row_bytes
from hcpcs_graph.schema.context import Context
from tests.conftest import Run
from tests.schema.test_statements import CLAIM, _claim


class Rows:
    """An executor reading straight from the file."""

    def __init__(self, path: Path) -> None:
        self.db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)

    async def execute(self, sql: str, params: Sequence[object] = ()) -> list[tuple]:
        return self.db.execute(sql, params).fetchall()


def _kept(rows: list[Any]) -> int:
    """What the rows really keep alive: the list, the tuples and their values."""
    size = sys.getsizeof(rows)
    for row in rows:
        size += sys.getsizeof(row) + sum(sys.getsizeof(v) for v in row if v is not None)
    return size


async def _tables(path: Path) -> dict[str, list[Any]]:
    ex = Rows(path)
    codes = [r[0] for r in ex.db.execute("SELECT code FROM codes WHERE release = '2025-10'")]
    releases = dict(ex.db.execute("SELECT kind, max(id) FROM payment_releases GROUP BY kind"))
    ndcs = [r[0] for r in ex.db.execute("SELECT ndc11 FROM ndc_crosswalk WHERE ndc11 > ''")]
    return {
        "codes": await queries.by_codes(ex, "2025-10", False, codes),
        "modifiers": await queries.history(ex, True, ["RR", "NU", "KX", "LT", "26"]),
        "noc": await claims_queries.noc_rows(ex, releases["noc"], codes),
        "asp": await payment_queries.asp_rows(ex, releases["asp"], codes),
        "dmepos": await payment_queries.dmepos_rows(ex, releases["dmepos"], codes),
        "ndc": await payment_queries.ndc_rows_by_ndc(ex, releases["ndc"], ndcs[:900]),
        "pfs": await pfs_queries.pfs_rows(ex, releases["pfs"], codes),
        "opps": await facility_queries.opps_rows(ex, releases["opps"], codes),
    }


async def test_rows_are_charged_about_what_they_keep(claims_db: Path) -> None:
    """Each table's rows, one cache entry each as claims keep them: charged between 0.8x
    and 2.5x what they keep alive (Python shares short texts, which the charge ignores)."""
    for table, rows in (await _tables(claims_db)).items():
        assert rows, table
        ratios = sorted(row_bytes([row]) / _kept([row]) for row in rows)
        assert ratios[0] >= 0.8 and ratios[-1] <= 2.5, (table, ratios[0], ratios[-1])


async def _answer(run: Run, lines: list[dict[str, object]], cache_bytes: int) -> bytes:
    ctx = Context(snapshot=await run.db.snapshot(), claim_cache_bytes=cache_bytes)
    result = await run.schema.execute(CLAIM, variable_values={"lines": lines}, context_value=ctx)
    assert result.errors is None, result.errors
    return orjson.dumps(result.data)


@pytest.mark.parametrize("cache_bytes", [0, 64 * 1024])
async def test_a_small_cache_stays_small_and_answers_the_same(
    claims_run: Run, cache_bytes: int
) -> None:
    page = await claims_run('{ hcpcsCodes(release: "2025-10", first: 500) { nodes { code } } }')
    lines = _claim([n["code"] for n in page["hcpcsCodes"]["nodes"]])
    snapshot = await claims_run.db.snapshot()
    expected = await _answer(claims_run, lines, 32 * 2**20)
    cache_of(snapshot).claim_rows = None  # made again, with the bound under test
    for _ in range(2):
        before = claims_run.db.stats.statements
        assert await _answer(claims_run, lines, cache_bytes) == expected
        assert claims_run.db.stats.statements > before  # 500 lines' rows do not fit
        kept = cache_of(snapshot).claim_rows
        assert kept is not None and kept.size <= cache_bytes


def test_absences_and_fees_are_charged_what_they_keep() -> None:
    """Most entries are absences (a code with no DMEPOS row, no NOC entry) and clients
    choose the codes: each is charged at least what it keeps alive, its key (the value's
    text is a new string per request) included, as is a DMEPOS fee kept for a state."""
    from hcpcs_graph.schema.bounded import BoundedCache
    from hcpcs_graph.schema.claim_rows import ABSENT_BYTES, FEE_BYTES, NONE

    count = 20_000
    table, release, state = "asp", "asp-2025-01", "NY"  # shared by every key, as in a claim
    for kind in ("absence", "fee"):
        cache: BoundedCache[Any, Any] = BoundedCache(2**40)
        tracemalloc.start()
        before = tracemalloc.get_traced_memory()[0]
        for n in range(count):
            code = f"Z{n:04d}"  # a new string, as a request's value is
            if kind == "absence":
                cache.put((table, release, code), NONE, ABSENT_BYTES + len(code))
            else:
                cache.put(("fee", release, code, n, state), (f"{n}.25",), FEE_BYTES)
        used = tracemalloc.get_traced_memory()[0] - before
        tracemalloc.stop()
        assert cache.size >= used, (kind, cache.size / count, used / count)
