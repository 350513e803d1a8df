"""CPU instructions one request costs, through the whole app in process (view, executor,
compiled plan, SQLite), counted by valgrind: steadier than requests per second on a busy
machine, where rates move by a third between runs.

    python bench/instructions.py --db /tmp/t.db [--shapes code,page,search,traversal]
    python bench/instructions.py --db /tmp/tp.db --shapes payments,code-J9035,fees,code-G2211

For each shape it runs this script under `valgrind --tool=cachegrind --cache-sim=no`
twice, after the same warm-up (5 requests, so the document's plan is learned): once with
no more requests and once with N; the difference over N is one request. The response
cache is off. Needs valgrind (Debian: apt-get install valgrind).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

# each shape's pool item and how many requests make the difference clear of the noise
ITEMS = {
    "code": ("E0100", 200),
    "page": ((None, None), 30),
    "search": ("wheelchair", 60),
    "traversal": ("E0100", 20),
    # a drug's page with every payment field (J9035: ASP limit, 2 NDCs), against "code"
    # for the same code; needs a database holding the payment files
    "payments": ("J9035", 200),
    "code-J9035": ("J9035", 200),
    # a physician service with the fee schedules of issue 19 (G2211: PFS and a payment at
    # Manhattan's locality), against "code" for the same code
    "fees": ("G2211", 200),
    "code-G2211": ("G2211", 200),
}


async def _requests(db: str, shape: str, n: int) -> None:
    import httpx

    from bench.shapes import SHAPES
    from hcpcs_graph.server.app import create_app
    from hcpcs_graph.server.settings import Settings
    from tests.shapes import OURS

    app = create_app(Settings(db=db, response_cache_mb=0))
    item = ITEMS[shape][0]
    if shape in SHAPES:
        body = {"query": OURS[shape], "variables": SHAPES[shape].ours(item)}
    else:  # payments, and "code" for the same code
        body = {"query": OURS[shape.split("-")[0]], "variables": {"code": item}}
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as c,
    ):
        for i in range(5 + n):
            answer = await c.post("/graphql", json=body)
            if i == 0 and (answer.status_code != 200 or "errors" in answer.json()):
                raise SystemExit(f"{shape}: {answer.text[:300]}")


def _count(db: str, shape: str, n: int) -> int:
    run = subprocess.run(
        ["valgrind", "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null",
         sys.executable, __file__, "--db", db, "--run", shape, str(n)],
        capture_output=True, text=True, env={**os.environ, "PYTHONHASHSEED": "0"}, check=True,
    )  # fmt: skip
    found = re.search(r"I\s+refs:\s+([\d,]+)", run.stderr)
    if not found:
        raise SystemExit(run.stderr[-2000:])
    return int(found.group(1).replace(",", ""))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--shapes", default="code,page,search,traversal")
    parser.add_argument("--run", nargs=2, help=argparse.SUPPRESS)  # inside valgrind
    args = parser.parse_args()
    if args.run:
        asyncio.run(_requests(args.db, args.run[0], int(args.run[1])))
        return
    for shape in args.shapes.split(","):
        n = ITEMS[shape][1]
        per = (_count(args.db, shape, n) - _count(args.db, shape, 0)) / n
        print(f"{shape:10} {per / 1e6:8.3f} M instructions a request (N {n})", flush=True)


if __name__ == "__main__":
    main()
