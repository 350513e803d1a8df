"""The FHIR front door's rate beside GraphQL's: requests/s of $lookup (every property)
and $validate-code (with a date) against the GraphQL one-code query of bench/suite.py,
each drawing a real code of release 2025-10 per request. Ours runs as the suite runs it:
one worker pinned to CPU 0, its response cache off, wrk pinned to CPU 1, on 127.0.0.1.

    python bench/fhir.py --db /tmp/t.db [--seconds 10] [--connections 16] [--rounds 1]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

import httpx
from serving import free_port, hcpcs_serve, start, stop
from shapes import OURS, RELEASE, lua_get, lua_graphql
from suite import _cpu_seconds, wait_quiet

SYSTEM = "http://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets"


def codes(url: str) -> list[str]:
    query = (
        f'query($after: String) {{ hcpcsCodes(release: "{RELEASE}", first: 500, after: $after)'
        " { pageInfo { hasNextPage endCursor } nodes { code } } }"
    )
    found, after = [], None
    while True:
        body = httpx.post(url, json={"query": query, "variables": {"after": after}}, timeout=60)
        page = body.json()["data"]["hcpcsCodes"]
        found += [n["code"] for n in page["nodes"]]
        if not page["pageInfo"]["hasNextPage"]:
            return found
        after = page["pageInfo"]["endCursor"]


def scripts(pool: list[str]) -> dict[str, str]:
    """The wrk script of each shape."""
    lookup = [
        "/fhir/CodeSystem/$lookup?" + urlencode({"system": SYSTEM, "code": c, "version": RELEASE})
        for c in pool
    ]
    validate = [
        "/fhir/CodeSystem/$validate-code?"
        + urlencode({"system": SYSTEM, "code": c, "version": RELEASE, "date": "2025-11-15"})
        for c in pool
    ]
    return {
        "graphql one code": lua_graphql("/graphql", OURS["code"], [{"code": c} for c in pool]),
        "fhir $lookup": lua_get(lookup),
        "fhir $validate-code": lua_get(validate),
    }  # fmt: skip


def run(script: str, origin: str, pid: int, seconds: int, connections: int, tmp: Path) -> str:
    lua = tmp / "bench.lua"
    lua.write_text(script)
    wait_quiet()
    before = _cpu_seconds(pid)
    done = subprocess.run(
        ["taskset", "-c", "1", "wrk", "-t1", f"-c{connections}", f"-d{seconds}s",
         "--timeout", "30s", "-s", str(lua), origin],
        capture_output=True, text=True, timeout=seconds + 90,
    )  # fmt: skip
    line = next(x for x in done.stdout.splitlines() if x.startswith("RESULT"))
    requests, duration, bad, errors, p50, p99 = map(int, line.split()[1:])
    cpu = (_cpu_seconds(pid) - before) / (duration / 1e6)
    rate = requests / (duration / 1e6)
    return (f"{rate:,.0f} req/s, p50 {p50 / 1e3:.1f} ms, p99 {p99 / 1e3:.1f} ms, "
            f"{bad + errors} errors, CPU {cpu:.0%}")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--rounds", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        db = tmp / "ours.db"
        shutil.copyfile(args.db, db)
        port = free_port()
        origin = f"http://127.0.0.1:{port}"
        env = {"HCPCS_RESPONSE_CACHE_MB": "0"}
        process = start(hcpcs_serve(str(db), port), f"{origin}/healthz", cpu=0, env=env)
        try:
            pool = codes(f"{origin}/graphql")
            shapes = scripts(pool)
            for script in shapes.values():  # warm: compiled plans learned
                run(script, origin, process.pid, 2, args.connections, tmp)
            for round in range(args.rounds):
                for name, script in shapes.items():
                    result = run(script, origin, process.pid, args.seconds, args.connections, tmp)
                    print(f"round {round + 1}: {name}: {result}", flush=True)
                    time.sleep(1)
        finally:
            stop(process)


if __name__ == "__main__":
    sys.exit(main())
