"""Compression: bytes and requests per second of the 100-code page (the README's benchmark
shape, bench/inprocess.py), answered plain, gzip and zstd by a real `hcpcs serve`.

    python bench/compression.py --db /tmp/six.db [--seconds 10] [--connections 16] [--no-cache]

The same query every request, so after the first it is answered from the response cache:
what is measured is the cost of sending it (compression included; a compressed body is kept
too). With --no-cache every request runs the query. req/s moves with whatever else the
machine runs; the server's CPU time per request (from /proc) much less. The server listens on 127.0.0.1 only and
runs pinned to CPU 0, wrk to CPU 1. Needs wrk (Debian: apt-get install wrk).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import tempfile
from pathlib import Path

import httpx
from inprocess import SHAPES
from serving import free_port, hcpcs_serve, start, stop

LUA = """
wrk.method = "POST"
wrk.body = BODY
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Accept-Encoding"] = "ENCODING"
errors = 0
local threads = {}
setup = function(thread) table.insert(threads, thread) end
response = function(status, headers, body)
  if status ~= 200 then errors = errors + 1 end
end
done = function(summary, latency, requests)
  local bad = 0
  for _, thread in ipairs(threads) do bad = bad + thread:get("errors") end
  io.write(string.format("JSON %d %d %d %d\\n", summary.requests, summary.duration,
    latency:percentile(50), bad))
end
"""
ENCODINGS = ["identity", "gzip", "zstd"]


def cpu_seconds(pid: int) -> float:
    """User and system CPU time of the server process so far: unlike req/s, not moved by
    whatever else the machine runs."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--no-cache", action="store_true", help="HCPCS_RESPONSE_CACHE_MB=0")
    args = parser.parse_args()

    query = SHAPES["page of 100"]
    port = free_port()
    url = f"http://127.0.0.1:{port}/graphql"
    env = {"HCPCS_RESPONSE_CACHE_MB": "0"} if args.no_cache else {}
    server = start(hcpcs_serve(str(Path(args.db).resolve()), port), url, cpu=0, env=env)
    rows = []
    try:
        with tempfile.TemporaryDirectory() as tmp:
            for encoding in ENCODINGS:
                headers = {"Accept-Encoding": encoding}
                with httpx.stream("POST", url, json={"query": query}, headers=headers) as r:
                    raw = b"".join(r.iter_raw())
                    assert r.status_code == 200, r.status_code
                    assert r.headers.get("content-encoding", "identity") == encoding
                script = Path(tmp) / f"{encoding}.lua"
                body = json.dumps(json.dumps({"query": query}))
                script.write_text(LUA.replace("BODY", body).replace("ENCODING", encoding))

                def wrk(seconds: int, script: Path = script) -> str:
                    return subprocess.run(
                        ["taskset", "-c", "1", "wrk", "-t1", f"-c{args.connections}",
                         f"-d{seconds}s", "-s", str(script), url],
                        capture_output=True, text=True, timeout=seconds + 60,
                    ).stdout  # fmt: skip

                wrk(2)  # warm up
                cpu = cpu_seconds(server.pid)
                out = wrk(args.seconds)
                cpu = cpu_seconds(server.pid) - cpu
                match = re.search(r"JSON (\d+) (\d+) (\d+) (\d+)", out)
                if not match:
                    raise SystemExit(f"wrk gave no figures for {encoding}")
                requests, duration, p50, bad = map(int, match.groups())
                rate = requests / (duration / 1e6)
                rows.append((encoding, len(raw), rate, cpu / requests * 1000, p50 / 1000, bad))
    finally:
        stop(server)
    cache = "off" if args.no_cache else "on"
    print(f"100-code page, {args.connections} connections, response cache {cache}")
    plain = rows[0][1]
    for encoding, size, rate, cpu, p50, bad in rows:
        print(
            f"  {encoding:8} {size:7,} bytes ({size / plain:6.1%}), {rate:7,.0f} req/s, "
            f"server CPU {cpu:.3f} ms/request, p50 {p50:.1f} ms, {bad} non-200"
        )


if __name__ == "__main__":
    main()
