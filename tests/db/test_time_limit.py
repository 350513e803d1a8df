"""The time limit interrupts SQLite in the middle of a statement, and the connection
stays usable."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest

from hcpcs_graph.db.database import Database, QueryTimeout


async def test_time_limit_interrupts_sqlite_in_progress(all_releases_db: Path) -> None:
    database = Database(all_releases_db, connections=1)
    async with database.opened():
        snapshot = await database.snapshot()
        endless = (
            "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n) SELECT count(*) FROM n"
        )
        started = time.monotonic()
        with pytest.raises(QueryTimeout):
            await asyncio.wait_for(
                snapshot.execute(endless, deadline=time.monotonic() + 0.2), timeout=30
            )
        assert time.monotonic() - started < 30
        # the connection is usable afterwards
        assert await snapshot.execute("SELECT 1") == [(1,)]
