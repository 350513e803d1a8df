"""Load test: `hcpcs serve` under wrk, 64 connections for 60 s, the README's example queries
mixed; reports requests, errors, p50/p99/max latency and memory before and after.

    python bench/stress.py --db hcpcs.db [--seconds 60] [--connections 64]
    python bench/stress.py --db hcpcs.db --costly --connections 100 --seconds 20

With --costly every request is a distinct costly query (a page of codes, each with a page of
the codes sharing its BETOS code), so nothing is answered from a cache: an overload. Its
bound: no request takes longer than its queue wait (at most the time limit) plus its time
limit plus 0.5 s; those that do not fit are answered 503 SERVER_BUSY or TIMEOUT.

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

# wrk's script; BODY is replaced by a Lua function of the request number giving its body.
LUA = """
local body = BODY
local i = 0
errors = 0
local threads = {}
setup = function(thread)
  table.insert(threads, thread)
end
request = function()
  i = i + 1
  return wrk.format("POST", "/graphql", {["Content-Type"] = "application/json"}, body(i))
end
response = function(status, headers, body)
  if status ~= 200 or string.find(body, '"errors"', 1, true) then errors = errors + 1 end
end
done = function(summary, latency, requests)
  local bad = 0
  for _, thread in ipairs(threads) do bad = bad + thread:get("errors") end
  io.write(string.format("JSON %d %d %d %d %d %d %d\\n", summary.requests,
    summary.errors.connect + summary.errors.read + summary.errors.write +
    summary.errors.timeout, latency:percentile(50), latency:percentile(99),
    summary.duration, bad, latency.max))
end
"""
# A distinct costly query each request: a comment with a random number makes it new to every
# cache (documents, plans, answers); it may return 60 + 60 x 60 = 3,660 objects.
COSTLY_QUERY = (
    '# {n}\n{{ hcpcsCodes(first: 60, release: "{release}") {{ nodes {{ code '
    "betos {{ codes(first: 60) {{ nodes {{ code shortDescription }} }} }} }} }} }}"
)


def body_function(bodies: list[str] | None, release: str) -> str:
    """The Lua function giving request i its body: the README's queries in turn, or a new
    costly query each time."""
    if bodies is not None:
        listed = ", ".join(bodies)
        return (
            f"(function() local all = {{{listed}}}; "
            "return function(i) return all[(i % #all) + 1] end end)()"
        )
    template = json.dumps(json.dumps({"query": COSTLY_QUERY.format(n="%d", release=release)}))
    return (
        "(function() math.randomseed(os.time()); return function(i) "
        f"return string.format({template}, math.random(1, 2000000000)) end end)()"
    )


def readme_queries() -> list[str]:
    return re.findall(r"```graphql\n(.*?)```", (ROOT / "README.md").read_text(), re.S)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--warmup", type=int, default=10, help="seconds of load before measuring")
    parser.add_argument(
        "--costly",
        action="store_true",
        help="a distinct costly query each request (an overload), instead of the README's",
    )
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
            release = httpx.post(url, json={"query": "{ releases { name } }"}).json()
            newest = release["data"]["releases"][0]["name"]
            body = body_function(None if args.costly else bodies, newest)
            script.write_text(LUA.replace("BODY", body))

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
    match = re.search(r"JSON (\d+) (\d+) (\d+) (\d+) (\d+) (\d+) (\d+)", done.stdout)
    if not match:
        raise SystemExit(done.stdout + done.stderr)
    requests, socket_errors, p50, p99, duration, bad, longest = map(int, match.groups())
    cache = "off" if args.no_cache else "on"
    what = "distinct costly queries" if args.costly else f"{len(queries)} README queries mixed"
    print(f"{what}, {args.connections} connections, {duration / 1e6:.0f} s, response cache {cache}")
    print(f"  requests:  {requests:,} ({requests / (duration / 1e6):,.0f}/s)")
    print(f"  errors:    {socket_errors} socket, {bad} non-200 or with GraphQL errors")
    print(
        f"  latency:   p50 {p50 / 1000:.1f} ms, p99 {p99 / 1000:.1f} ms, "
        f"max {longest / 1000:.1f} ms"
    )
    print(
        f"  memory:    {before:.1f} MB before, {after:.1f} MB after ({(after - before) / before:+.1%})"
    )


if __name__ == "__main__":
    main()
