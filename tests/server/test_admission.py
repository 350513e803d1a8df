"""A worker executes at most HCPCS_MAX_CONCURRENT operations at once; the rest wait their
turn, for at most the time limit, then get 503 SERVER_BUSY."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

from hcpcs_graph.server.admission import Admission
from tests.conftest import make_client

QUERY = {"query": '{ hcpcsCode(code: "G6002", release: "2025-10") { code } }'}


async def _waiter_gets_the_freed_slot(admission: Admission, wait: float) -> None:
    """With the one slot taken, a waiter waits `wait` seconds, then gets it when freed."""
    waiter = asyncio.ensure_future(admission.enter())
    await asyncio.sleep(wait)
    assert not waiter.done()
    admission.leave()
    assert await waiter


async def test_a_slot_is_taken_given_back_and_waited_for() -> None:
    admission = Admission(1, patience=0.05)
    assert await admission.enter()
    started = time.monotonic()
    assert not await admission.enter()  # no slot freed up within 0.05 s
    assert time.monotonic() - started >= 0.05
    await _waiter_gets_the_freed_slot(admission, 0.01)


async def test_no_patience_waits_as_long_as_it_takes() -> None:
    admission = Admission(1, patience=0)
    assert await admission.enter()
    await _waiter_gets_the_freed_slot(admission, 0.2)  # still waiting after 0.2 s


async def test_busy_server_answers_503_then_recovers(all_releases_db: Path) -> None:
    # a limit well above the waits below: on a busy machine a 0.2 s limit left too little
    # time to answer once the slot was freed (TIMEOUT instead of the data)
    async with make_client(all_releases_db, max_concurrent=1, time_limit=1.0) as client:
        admission = client._transport.app.state.graphql.admission
        assert await admission.enter()  # every slot taken
        try:
            busy = await client.post("/graphql", json=QUERY)
            assert busy.status_code == 503
            assert busy.headers["retry-after"] == "1"
            assert busy.json()["errors"][0]["extensions"]["code"] == "SERVER_BUSY"
            # A request that waits less than its time limit is answered once a slot frees.
            pending = asyncio.ensure_future(client.post("/graphql", json=QUERY))
            await asyncio.sleep(0.05)
            assert not pending.done()
        finally:
            admission.leave()
        answered = await pending
        assert answered.status_code == 200
        assert answered.json()["data"] == {"hcpcsCode": {"code": "G6002"}}
        metrics = (await client.get("/metrics")).text
        assert 'hcpcs_graphql_errors_total{code="SERVER_BUSY"} 1.0' in metrics
