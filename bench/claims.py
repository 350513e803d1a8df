"""Claim line checks in process (issue 20): lines checked per second for 500-line claims.

    python bench/claims.py --db /tmp/claims.db [--runs 30]

The database holds the HCPCS releases, the payment files and CMS's NOC lists (README,
"Checking claim lines", says how to build it). Each claim is 500 lines of real codes of
the 2025-10 release, dated in its quarter: drugs with an NDC of the October 2025 crosswalk
and packages, DME codes with modifiers and a state, physician services at a locality, and
codes taken as they come (terminated, non-covered, NOC); every run checks a different
claim, so no answer comes from a cache. Timed: the request through `schema.execute()` (the
full path) and, as the server answers a document it has seen, through its compiled plan
(`schema.execute_known`), both with the claim as a variable; one worker, one request at a
time. The plan is timed twice: with every row read from the file (the claim cache emptied
first), then with the claim's rows kept in the cache (schema/claim_rows.py: as a busy
server holds the codes its claims name; the rules still run for every line).
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from hcpcs_graph.db.database import Database
from hcpcs_graph.schema import build_schema
from hcpcs_graph.schema.cache import cache_of
from hcpcs_graph.schema.context import Context
from hcpcs_graph.server.gc_tuning import freeze_startup_objects

QUERY = """query Check($lines: [ClaimLineInput!]!) {
  checkClaimLines(lines: $lines) {
    line verdict
    code { code shortDescription status }
    findings { rule severity message codes source }
    allowed { amount units basis detail schedule { name effectiveFrom effectiveThrough } }
  }
}"""
LINES = 500
# the compiled plan with every row read from the file, then with the same claim's rows kept
# (as by earlier claims naming the same codes), each in wall and CPU time; the full path
NAMES = ("rows read", "rows read, CPU", "rows kept", "rows kept, CPU", "full path")


def _pools(path: str) -> dict[str, list[tuple[str, ...]]]:
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    return {
        "drugs": db.execute(
            "SELECT code, ndc FROM ndc_crosswalk WHERE release = 'ndc-2025-10' AND ndc11 IS NOT NULL"
        ).fetchall(),
        "dme": db.execute(
            "SELECT code, modifier FROM dmepos_fees WHERE release = 'dmepos-2025-01'"
        ).fetchall(),
        "pfs": db.execute(
            "SELECT code FROM pfs_rvus WHERE release = 'pfs-2025-01' AND modifier = ''"
        ).fetchall(),
        "any": db.execute(
            "SELECT code FROM codes WHERE release = '2025-10' AND is_modifier = 0"
        ).fetchall(),
    }


def claim(pools: dict[str, list[tuple[str, ...]]], rng: random.Random) -> list[dict[str, object]]:
    lines: list[dict[str, object]] = []
    for _ in range(LINES):
        date = f"2025-{rng.randint(10, 12)}-{rng.randint(1, 28):02d}"
        kind = rng.choice(("drugs", "dme", "pfs", "any"))
        row = rng.choice(pools[kind])
        line: dict[str, object] = {"code": row[0], "dateOfService": date}
        if kind == "drugs":
            line |= {
                "ndc": row[1],
                "ndcUnits": str(rng.randint(1, 3)),
                "setting": "OUTPATIENT_HOSPITAL",
            }
        elif kind == "dme":
            line |= {
                "modifiers": [m for m in (row[1], "KX") if m],
                "state": rng.choice(("NY", "CA", "TX")),
            }
        elif kind == "pfs":
            line |= {"locality": "13202-01", "units": "1"}
        lines.append(line)
    return lines


async def run(db_path: str, runs: int) -> None:
    schema = build_schema()
    pools = _pools(db_path)
    rng = random.Random(20)
    async with Database(Path(db_path)).opened() as db:
        snapshot = await db.snapshot()
        cache = cache_of(snapshot)
        first = claim(pools, rng)
        result = await schema.execute(
            QUERY, variable_values={"lines": first}, context_value=Context(snapshot=snapshot)
        )
        assert result.errors is None, result.errors
        schema.learn(QUERY, "Check")
        freeze_startup_objects()  # as `hcpcs serve` does once started (server/gc_tuning.py)
        samples: dict[str, list[float]] = {name: [] for name in NAMES}
        statements: dict[bool, list[int]] = {False: [], True: []}
        for _ in range(runs):
            lines = claim(pools, rng)
            cache.claim_rows = None  # the full path reads every row
            started = time.perf_counter()
            result = await schema.execute(
                QUERY, variable_values={"lines": lines}, context_value=Context(snapshot=snapshot)
            )
            samples["full path"].append(time.perf_counter() - started)
            assert result.errors is None, result.errors
            for kept in (False, True):
                if not kept:
                    cache.claim_rows = None
                before = db.stats.statements
                started, started_cpu = time.perf_counter(), time.process_time()
                known = await schema.execute_known(
                    QUERY, {"lines": lines}, "Check", Context(snapshot=snapshot)
                )
                name = "rows kept" if kept else "rows read"
                samples[name].append(time.perf_counter() - started)
                samples[f"{name}, CPU"].append(time.process_time() - started_cpu)
                statements[kept].append(db.stats.statements - before)
                assert known is not None, "the plan declined"
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=False
    ).stdout.strip()
    print(f"{time.strftime('%Y-%m-%d')} at {commit}: {runs} claims of {LINES} lines each")
    # CPU time of the process (its SQLite threads included): what one worker spends on a
    # claim, less exposed than the wall clock to other work on a busy machine
    for name in NAMES:
        median = statistics.median(samples[name])
        print(
            f"  {name:15} median {median * 1000:7.1f} ms a claim = {LINES / median:9,.0f} lines/s"
            f" (fastest {LINES / min(samples[name]):,.0f}, slowest"
            f" {LINES / max(samples[name]):,.0f})"
        )
    for kept, counts in statements.items():
        print(
            f"  SQL statements a claim, rows {'kept' if kept else 'read'}: {min(counts)} to"
            f" {max(counts)}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    asyncio.run(run(args.db, args.runs))


if __name__ == "__main__":
    main()
