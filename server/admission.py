"""How many GraphQL operations a worker executes at once.

Past that, requests wait their turn instead of all running interleaved on the one event
loop: interleaved, every request's wall time stretches with the number in flight until
even small ones run past their time limit (bench/stress.py without the response cache:
51 TIMEOUTs in 60 s). A request's time limit starts when its turn comes; one that waits
longer than the time limit gets 503 SERVER_BUSY with Retry-After, having cost nothing.

Four at once by default: a worker is one event loop on one CPU, and SQLite has four pooled
connections. More interleave without adding throughput, and lengthen every turn of the
event loop, so that requests wait longer to be read and answered: with 16, 100 connections
of distinct costly queries saw answers up to 9.5 s after they were sent (queue wait plus
time limit: 4 s); with 4, at most 4.1 s, and more of them answered (bench/stress.py --costly).
"""

from __future__ import annotations

import asyncio


class Admission:
    def __init__(self, limit: int, patience: float) -> None:
        self._slots = asyncio.Semaphore(limit)
        self.patience = patience  # seconds a request may wait for its turn; 0: no bound

    async def enter(self) -> bool:
        """Take a slot; False when none freed up within `patience` seconds."""
        if not self._slots.locked() or not self.patience:
            await self._slots.acquire()
            return True
        try:
            async with asyncio.timeout(self.patience):
                await self._slots.acquire()
        except TimeoutError:
            return False
        return True

    def leave(self) -> None:
        self._slots.release()
