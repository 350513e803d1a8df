"""Long property run: N queries generated from our schema against the HTTP app in process.

    python bench/fuzz.py --db hcpcs.db [--examples 10000]

Every response must pass tests/fuzzing.check (no 500, no escaped exception, every error
coded, no INTERNAL_SERVER_ERROR). Prints the tally of outcomes and the time taken.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from collections import Counter
from pathlib import Path

import httpx
from hypothesis import HealthCheck, given, settings

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from hcpcs_graph.server.app import create_app
from hcpcs_graph.server.settings import Settings
from tests.fuzzing import check, query_strategy


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True)
    parser.add_argument("--examples", type=int, default=10_000)
    args = parser.parse_args()

    runner = asyncio.Runner()
    app = create_app(Settings(db=args.db))
    lifespan = app.router.lifespan_context(app)
    runner.run(lifespan.__aenter__())
    client = httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app, raise_app_exceptions=True), base_url="http://t"
    )
    outcomes: Counter[str] = Counter()

    @settings(
        max_examples=args.examples,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(query=query_strategy())
    def run(query: str) -> None:
        response = runner.run(client.post("/graphql", json={"query": query}))
        labels = check(response.status_code, response.json())
        outcomes.update(set(labels))
        outcomes["queries"] += 1

    started = time.perf_counter()
    run()
    seconds = time.perf_counter() - started
    runner.run(client.aclose())
    runner.run(lifespan.__aexit__(None, None, None))
    total = outcomes.pop("queries")
    print(f"{total} queries in {seconds:.0f} s: no 500, no escaped exception, every error coded")
    print("responses that returned data, and that carried each error code:")
    for outcome, n in outcomes.most_common():
        print(f"  {outcome:<28} {n}")


if __name__ == "__main__":
    main()
