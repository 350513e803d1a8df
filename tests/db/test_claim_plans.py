"""How SQLite runs the statements a claim check sends (schema/claim_rows.py), with a claim's
worth of values: each searches an index by the values it is given, none walks a whole
release. Without statistics the planner once walked all 8,218 rows of the NDC crosswalk's
release for a hundred NDCs (4x slower than searching the NDC index)."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from pathlib import Path

import pytest

from hcpcs_graph.db import claims_queries, queries
from hcpcs_graph.db.payments import facility_queries, pfs_queries
from hcpcs_graph.db.payments import queries as payment_queries


class Explain:
    """An executor answering each statement with its query plan."""

    def __init__(self, path: Path) -> None:
        self.db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        self.plans: list[str] = []

    async def execute(self, sql: str, params: Sequence[object] = ()) -> list[tuple]:
        steps = self.db.execute(f"EXPLAIN QUERY PLAN {sql}", params).fetchall()
        self.plans.append(" / ".join(step[3] for step in steps))
        return []


def _values(path: Path, sql: str) -> list[str]:
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
        return [row[0] for row in db.execute(sql)]


async def test_claim_statements_search_by_the_values_given(claims_db: Path) -> None:
    codes = _values(claims_db, "SELECT code FROM codes WHERE release = '2025-10' LIMIT 500")
    ndcs = _values(claims_db, "SELECT ndc11 FROM ndc_crosswalk WHERE ndc11 IS NOT NULL LIMIT 120")
    with sqlite3.connect(f"file:{claims_db}?mode=ro", uri=True) as db:
        releases = dict(db.execute("SELECT kind, max(id) FROM payment_releases GROUP BY kind"))
    ex = Explain(claims_db)
    await queries.by_codes(ex, "2025-10", False, codes)
    await queries.history(ex, False, codes)
    await claims_queries.noc_rows(ex, releases["noc"], codes)
    await payment_queries.asp_rows(ex, releases["asp"], codes)
    await payment_queries.dmepos_rows(ex, releases["dmepos"], codes)
    await payment_queries.ndc_rows_by_ndc(ex, releases["ndc"], ndcs)
    await pfs_queries.pfs_rows(ex, releases["pfs"], codes)
    await facility_queries.opps_rows(ex, releases["opps"], codes)
    assert len(ex.plans) == 8
    for plan in ex.plans:
        assert plan.startswith("SEARCH"), plan
        assert "=?)" in plan.split(" / ")[0] and "(release=?)" not in plan, plan
    assert "INDEX ndc_crosswalk_by_ndc (ndc11=?)" in ex.plans[5]


@pytest.mark.parametrize("table", ["dmepos_fees"])
def test_wide_rows_are_in_rowid_tables(claims_db: Path, table: str) -> None:
    """DMEPOS rows hold ~1 KB of fees: in a WITHOUT ROWID table (a B-tree of whole rows)
    a claim's search read 4x the pages."""
    with sqlite3.connect(f"file:{claims_db}?mode=ro", uri=True) as db:
        [(sql,)] = db.execute("SELECT sql FROM sqlite_master WHERE name = ?", [table])
    assert "WITHOUT ROWID" not in sql
