"""Hostile documents against a real `hcpcs serve` on 127.0.0.1: how long each takes, how
late past its time limit a cut request is answered, and how long /healthz waits meanwhile.

    python bench/hostile.py --db hcpcs.db [--time-limit 0.5]

1. The doubling-fragment document (F0 spreads F1 twice, F1 spreads F2 twice, ...) at every
   size the limits admit, each size asked 3 times as a new document: the slowest size's
   median (one garbage collection can add tens of ms to a single request), and the
   slowest single answer.
2. Requests whose work passes the time limit in Python (release diffs, each new to the
   diff cache): how long past the limit the TIMEOUT comes, the largest of all.
3. /healthz asked every 20 ms while (2) runs: its slowest answer.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from pathlib import Path

import httpx
from serving import free_port, hcpcs_serve, start, stop


def doubling(fragments: int) -> str:
    parts = [f"fragment F{i} on Query {{ ...F{i + 1} ...F{i + 1} }}" for i in range(fragments)]
    return "{ ...F0 } " + " ".join(parts) + f" fragment F{fragments} on Query {{ __typename }}"


async def health(client: httpx.AsyncClient, url: str, stop_at: list[bool]) -> float:
    slowest = 0.0
    while not stop_at:
        started = time.perf_counter()
        await client.get(url)
        slowest = max(slowest, time.perf_counter() - started)
        await asyncio.sleep(0.02)
    return slowest


async def cut_requests(origin: str, limit: float) -> tuple[float, float, int]:
    """(latest TIMEOUT past the limit, slowest /healthz, TIMEOUTs) over every release pair."""
    async with httpx.AsyncClient(timeout=60) as client:
        releases = [
            r["name"]
            for r in (
                await client.post(f"{origin}/graphql", json={"query": "{ releases { name } }"})
            ).json()["data"]["releases"]
        ]
        pairs = [(a, b) for a in releases for b in releases if a != b]
        done: list[bool] = []
        watcher = asyncio.ensure_future(health(client, f"{origin}/healthz", done))
        latest, timeouts = 0.0, 0
        for i in range(0, len(pairs), 4):  # 4 at once, each with 4 diffs: all new to the cache
            batch = pairs[i : i + 4]

            async def one(pairs: list[tuple[str, str]]) -> None:
                nonlocal latest, timeouts
                query = "{ " + " ".join(
                    f'd{j}: releaseDiff(from: "{a}", to: "{b}") {{ totalCount }}'
                    for j, (a, b) in enumerate(pairs)
                ) + " }"  # fmt: skip
                started = time.perf_counter()
                body = (await client.post(f"{origin}/graphql", json={"query": query})).json()
                took = time.perf_counter() - started
                if any(e["extensions"]["code"] == "TIMEOUT" for e in body.get("errors", ())):
                    timeouts += 1
                    latest = max(latest, took - limit)

            await asyncio.gather(*(one(batch[k:] + batch[:k]) for k in range(len(batch))))
        done.append(True)
        return latest, await watcher, timeouts


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True)
    parser.add_argument("--time-limit", type=float, default=0.5)
    args = parser.parse_args()
    port = free_port()
    origin = f"http://127.0.0.1:{port}"
    env = {"HCPCS_TIME_LIMIT": str(args.time_limit), "HCPCS_DIFF_CACHE_MB": "0"}
    server = start(hcpcs_serve(str(Path(args.db).resolve()), port), f"{origin}/healthz", env=env)
    try:
        client = httpx.Client(timeout=60)  # one connection: httpx.post() makes a client each call
        client.post(f"{origin}/graphql", json={"query": doubling(1)})  # warm
        slowest, single, size, at = 0.0, 0.0, 0, 0
        n = 1
        while True:  # every size the limits admit
            times = []
            for run in range(3):
                query = f"# {run}\n" + doubling(n)  # new to every cache
                started = time.perf_counter()
                body = client.post(f"{origin}/graphql", json={"query": query}).json()
                times.append(time.perf_counter() - started)
            if "errors" in body:
                break
            median = statistics.median(times)
            if median > slowest:
                slowest, at = median, n
            single = max(single, *times)
            size = n
            n += 1
        print(
            f"doubling fragments, 1 to {size} ({2**size:,} spreads; {size + 1} refused): "
            f"slowest median {slowest * 1000:.1f} ms (at {at}), slowest single answer "
            f"{single * 1000:.1f} ms"
        )
        latest, health_slowest, timeouts = asyncio.run(cut_requests(origin, args.time_limit))
        print(
            f"{timeouts} requests cut at a time limit of {args.time_limit:g} s: answered at most "
            f"{latest * 1000:.0f} ms past it; /healthz meanwhile: slowest {health_slowest * 1000:.0f} ms"
        )
    finally:
        stop(server)


if __name__ == "__main__":
    main()
