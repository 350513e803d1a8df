"""Start-up time and peak memory of one `hcpcs serve` worker.

    python bench/startup.py --db hcpcs.db [--runs 5]

Start-up: from launching the process to its first answered GraphQL request (target < 1 s).
Memory: the worker's peak resident set (VmHWM) after a fixed mix of queries over every
release: each README example and a 500-code page with history, per release.
"""

from __future__ import annotations

import argparse
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx
from serving import ROOT, free_port, hcpcs_serve, stop

QUERY = {"query": '{ hcpcsCode(code: "G6002") { code betos { description } } }'}


def first_answer(db: str) -> tuple[float, subprocess.Popen, str]:
    port = free_port()
    url = f"http://127.0.0.1:{port}/graphql"
    started = time.perf_counter()
    process = subprocess.Popen(
        hcpcs_serve(db, port), cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    while True:
        try:
            if httpx.post(url, json=QUERY, timeout=5).status_code == 200:
                return time.perf_counter() - started, process, url
        except httpx.TransportError:
            time.sleep(0.005)
        if time.perf_counter() - started > 30:
            process.kill()
            raise SystemExit("no answer within 30 s")


def peak_mb(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"VmHWM:\s+(\d+)", status).group(1)) / 1024


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    db = str(Path(args.db).resolve())
    times = []
    for _ in range(args.runs):
        seconds, process, _ = first_answer(db)
        times.append(seconds)
        stop(process)
    seconds, process, url = first_answer(db)
    try:
        releases = [
            r["name"]
            for r in httpx.post(url, json={"query": "{ releases { name } }"}).json()["data"][
                "releases"
            ]
        ]
        readme = re.findall(r"```graphql\n(.*?)```", (ROOT / "README.md").read_text(), re.S)
        for release in releases:
            page = (
                f'{{ hcpcsCodes(release: "{release}", first: 500) {{ nodes {{ code longDescription '
                "pricingIndicators { description } betos { description } history { code } } } }"
            )
            for q in [page, *readme]:
                body = httpx.post(url, json={"query": q}, timeout=30).json()
                assert "errors" not in body, body
        peak = peak_mb(process.pid)
    finally:
        stop(process)
    print(
        f"start-up to first answer: median {statistics.median(times):.2f} s "
        f"(min {min(times):.2f}, max {max(times):.2f}, {args.runs} runs)"
    )
    print(
        f"peak memory of the worker: {peak:.0f} MB ({len(releases)} releases: {', '.join(releases)})"
    )


if __name__ == "__main__":
    sys.exit(main())
