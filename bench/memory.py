"""Memory under hostile traffic: a worker's RSS after many distinct large queries and junk
persisted-query registrations (every cache is bounded in bytes: it must level off).

    python bench/memory.py --db hcpcs.db [--queries 10000] [--junk 10000]

Starts `hcpcs serve` on 127.0.0.1, sends each query once (~60 KB each, all distinct and
valid) and then each junk registration (~60 KB of text that is not GraphQL, with its true
sha256), 8 at a time, and prints RSS before, after each phase, and the largest seen.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import time
from pathlib import Path

import httpx
from serving import free_port, hcpcs_serve, rss_mb, start, stop

PAD = 60_000


def query(i: int) -> str:
    return f"# {i} " + "x" * PAD + "\n{ releases { id } }"


def junk(i: int) -> str:
    return f"not graphql {i} " + "y" * PAD


async def send(url: str, bodies, pid: int) -> tuple[int, int, float]:  # type: ignore[no-untyped-def]
    """(answers, 5xx answers, largest RSS seen) for all the bodies, 8 in flight."""
    largest = rss_mb(pid)
    answers = failures = 0
    limits = httpx.Limits(max_connections=8)
    async with httpx.AsyncClient(timeout=30, limits=limits) as client:
        queue: asyncio.Queue = asyncio.Queue()
        for body in bodies:
            queue.put_nowait(body)

        async def worker() -> None:
            nonlocal answers, failures, largest
            while not queue.empty():
                response = await client.post(url, json=queue.get_nowait())
                answers += 1
                failures += response.status_code >= 500
                if answers % 500 == 0:
                    largest = max(largest, rss_mb(pid))

        await asyncio.gather(*(worker() for _ in range(8)))
    return answers, failures, max(largest, rss_mb(pid))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True)
    parser.add_argument("--queries", type=int, default=10_000)
    parser.add_argument("--junk", type=int, default=10_000)
    args = parser.parse_args()
    port = free_port()
    url = f"http://127.0.0.1:{port}/graphql"
    server = start(hcpcs_serve(str(Path(args.db).resolve()), port), url)
    try:
        httpx.post(url, json={"query": "{ releases { id } }"}, timeout=30)
        before = rss_mb(server.pid)
        print(f"RSS at start: {before:.0f} MB")
        started = time.monotonic()
        bodies = ({"query": query(i)} for i in range(args.queries))
        n, bad, peak = asyncio.run(send(url, bodies, server.pid))
        print(
            f"{n:,} distinct ~60 KB queries ({time.monotonic() - started:.0f} s, {bad} 5xx): "
            f"RSS {rss_mb(server.pid):.0f} MB, largest {peak:.0f} MB"
        )
        started = time.monotonic()

        def registrations():  # type: ignore[no-untyped-def]
            for i in range(args.junk):
                text = junk(i)
                digest = hashlib.sha256(text.encode()).hexdigest()
                yield {"query": text, "extensions": {"persistedQuery": {"sha256Hash": digest}}}

        n, bad, peak2 = asyncio.run(send(url, registrations(), server.pid))
        print(
            f"{n:,} junk persisted-query registrations ({time.monotonic() - started:.0f} s, "
            f"{bad} 5xx): RSS {rss_mb(server.pid):.0f} MB, largest {max(peak, peak2):.0f} MB"
        )
    finally:
        stop(server)


if __name__ == "__main__":
    main()
