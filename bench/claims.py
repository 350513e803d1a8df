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
time. A serving worker keeps the rows its claims read (schema/claim_rows.py): the plan is
timed in that steady state, after `--warmup` other claims of the same pools (most rows are
kept; the few missing are read, and the rules run for every line), and with every row read
from the file (the claim cache emptied first).

The wall clock of a shared machine varies by half from hour to hour; the instructions a
claim executes do not. `--count` under callgrind (Debian's valgrind) gives them:

    valgrind --tool=callgrind --instr-atstart=no python bench/claims.py --db /tmp/claims.db \
        --runs 4 --count "steady state"
"""

from __future__ import annotations

import argparse
import asyncio
import os
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
# the compiled plan as a serving worker runs it after `--warmup` claims, most rows kept from
# them, and with every row read from the file; each in wall and CPU time; the full path
NAMES = (
    "steady state", "steady state, CPU", "rows read", "rows read, CPU", "full path"
)  # fmt: skip


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


def _instructions(on: bool) -> None:
    """Callgrind counts the process's instructions from here (`on`) or stops counting."""
    subprocess.run(
        ["callgrind_control", "--instr=on" if on else "--instr=off", str(os.getpid())],
        capture_output=True,
        check=True,
    )


async def run(db_path: str, runs: int, warmup: int, count: str | None) -> None:
    schema = build_schema()
    pools = _pools(db_path)
    rng = random.Random(20)
    async with Database(Path(db_path)).opened() as db:
        snapshot = await db.snapshot()
        cache = cache_of(snapshot)

        async def full(lines: list[dict[str, object]]) -> float:
            started = time.perf_counter()
            result = await schema.execute(
                QUERY, variable_values={"lines": lines}, context_value=Context(snapshot=snapshot)
            )
            assert result.errors is None, result.errors
            return time.perf_counter() - started

        await full(claim(pools, rng))
        schema.learn(QUERY, "Check")
        freeze_startup_objects()  # as `hcpcs serve` does once started (server/gc_tuning.py)
        for _ in range(warmup):  # the claims a serving worker has checked before
            await full(claim(pools, rng))
        samples: dict[str, list[float]] = {name: [] for name in NAMES}
        statements: dict[str, list[int]] = {"rows read": [], "steady state": []}
        for _ in range(runs):
            lines = claim(pools, rng)
            for name in ("steady state", "rows read"):
                if name == "rows read":
                    kept, cache.claim_rows = cache.claim_rows, None  # every row read afresh
                before = db.stats.statements
                if count == name:
                    _instructions(on=True)
                started, started_cpu = time.perf_counter(), time.process_time()
                known = await schema.execute_known(
                    QUERY, {"lines": lines}, "Check", Context(snapshot=snapshot)
                )
                if count == name:
                    _instructions(on=False)
                samples[name].append(time.perf_counter() - started)
                samples[f"{name}, CPU"].append(time.process_time() - started_cpu)
                statements[name].append(db.stats.statements - before)
                assert known is not None, "the plan declined"
                if name == "rows read":
                    cache.claim_rows = kept
            samples["full path"].append(await full(lines))
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=False
    ).stdout.strip()
    print(
        f"{time.strftime('%Y-%m-%d')} at {commit}: {runs} claims of {LINES} lines each, after"
        f" {warmup} others"
    )
    # CPU time of the process (its SQLite threads included): what one worker spends on a
    # claim, less exposed than the wall clock to other work on a busy machine
    for name in NAMES:
        median = statistics.median(samples[name])
        print(
            f"  {name:18} median {median * 1000:6.1f} ms a claim = {LINES / median:7,.0f}"
            f" lines/s (fastest {LINES / min(samples[name]):,.0f}, slowest"
            f" {LINES / max(samples[name]):,.0f})"
        )
    for name, counts in statements.items():
        print(f"  SQL statements a claim, {name}: {min(counts)} to {max(counts)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=100, help="claims checked first")
    parser.add_argument(
        "--count",
        choices=("steady state", "rows read"),
        help="under `valgrind --tool=callgrind --instr-atstart=no`: count the instructions of"
        " this kind of claim only (callgrind's 'Collected' / --runs = instructions a claim)",
    )
    args = parser.parse_args()
    asyncio.run(run(args.db, args.runs, args.warmup, args.count))


if __name__ == "__main__":
    main()
