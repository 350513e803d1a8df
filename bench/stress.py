"""Load test: `hcpcs serve` under wrk, 64 connections for 60 s, the README's example queries
mixed; reports requests, errors, p50/p99 latency and memory before and after.

    python bench/stress.py --db hcpcs.db [--seconds 60] [--connections 64]

The server listens on 127.0.0.1 only and runs pinned to CPU 0, wrk to CPU 1. Needs wrk
(Debian: apt-get install wrk). The run is bounded by --seconds.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import tempfile
from pathlib import Path

import httpx
from serving import ROOT, free_port, hcpcs_serve, rss_mb, start, stop

LUA = """
local bodies = {%s}
local i = 0
errors = 0
local threads = {}
setup = function(thread)
  table.insert(threads, thread)
end
request = function()
  i = i + 1
  return wrk.format("POST", "/graphql", {["Content-Type"] = "application/json"},
                    bodies[(i %% #bodies) + 1])
end
response = function(status, headers, body)
  if status ~= 200 or string.find(body, '"errors"', 1, true) then errors = errors + 1 end
end
done = function(summary, latency, requests)
  local bad = 0
  for _, thread in ipairs(threads) do bad = bad + thread:get("errors") end
  io.write(string.format("JSON %%d %%d %%d %%d %%d %%d\\n", summary.requests,
    summary.errors.connect + summary.errors.read + summary.errors.write +
    summary.errors.timeout, latency:percentile(50), latency:percentile(99),
    summary.duration, bad))
end
"""


def readme_queries() -> list[str]:
    return re.findall(r"```graphql\n(.*?)```", (ROOT / "README.md").read_text(), re.S)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--warmup", type=int, default=10, help="seconds of load before measuring")
    parser.add_argument(
        "--no-cache",
        action="store_true",
        help="switch the response cache off (HCPCS_RESPONSE_CACHE_MB=0)",
    )
    args = parser.parse_args()

    queries = readme_queries()
    bodies = [json.dumps(json.dumps({"query": q})) for q in queries]
    port = free_port()
    url = f"http://127.0.0.1:{port}/graphql"
    env = {"HCPCS_RESPONSE_CACHE_MB": "0"} if args.no_cache else {}
    server = start(hcpcs_serve(str(Path(args.db).resolve()), port), url, cpu=0, env=env)
    try:
        for q in queries:  # warm up, and check every query answers without errors
            body = httpx.post(url, json={"query": q}, timeout=30).json()
            assert "errors" not in body, body
        with tempfile.TemporaryDirectory() as tmp:
            script = Path(tmp) / "mix.lua"
            script.write_text(LUA % ", ".join(bodies))

            def wrk(seconds: int) -> subprocess.CompletedProcess:
                return subprocess.run(
                    ["taskset", "-c", "1", "wrk", "-t2", f"-c{args.connections}",
                     f"-d{seconds}s", "--timeout", "10s", "-s", str(script), url],
                    capture_output=True, text=True, timeout=seconds + 60,
                )  # fmt: skip

            # Memory is compared from the end of a warm-up under the same load: what the
            # run adds beyond the working set of that many requests in flight.
            wrk(args.warmup)
            before = rss_mb(server.pid)
            done = wrk(args.seconds)
        after = rss_mb(server.pid)
    finally:
        stop(server)
    match = re.search(r"JSON (\d+) (\d+) (\d+) (\d+) (\d+) (\d+)", done.stdout)
    if not match:
        raise SystemExit(done.stdout + done.stderr)
    requests, socket_errors, p50, p99, duration, bad = map(int, match.groups())
    cache = "off" if args.no_cache else "on"
    print(
        f"{len(queries)} README queries mixed, {args.connections} connections, "
        f"{duration / 1e6:.0f} s, response cache {cache}"
    )
    print(f"  requests:  {requests:,} ({requests / (duration / 1e6):,.0f}/s)")
    print(f"  errors:    {socket_errors} socket, {bad} non-200 or with GraphQL errors")
    print(f"  latency:   p50 {p50 / 1000:.1f} ms, p99 {p99 / 1000:.1f} ms")
    print(
        f"  memory:    {before:.1f} MB before, {after:.1f} MB after ({(after - before) / before:+.1%})"
    )


if __name__ == "__main__":
    main()
