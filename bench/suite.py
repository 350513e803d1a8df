"""The benchmark suite: ours, the peer (datasette + datasette-graphql) and the floor (Starlette
+ sqlite3, no GraphQL), each pinned to CPU 0 with one worker, driven by wrk pinned to CPU 1,
on 127.0.0.1; one table of requests/s, p50, p99 and errors per shape and server, with each
server's ratio to ours measured in the same run.

    python bench/suite.py --db /tmp/t.db [--seconds 10] [--connections 16]
                          [--shapes code,page,...] [--servers ours,peer,floor] [--rounds 1]

--db is only read: ours serves a copy of it, the peer and the floor a build of one release.
The first run installs the peer into .venv-peer (see bench/peer.py). Every wrk run lasts
--seconds (after --warmup seconds not counted), or --slow seconds for a server too slow to
answer each connection a few times in --seconds; all servers are up for the whole run and
each shape is measured on every server back to back, so the ratios share the machine's mood.
Each run waits for CPUs 0 and 1 to be idle first, and reports the server's CPU use: under
100%, something else had CPU 0, or wrk could not keep up.

Ours runs with its response cache off (HCPCS_RESPONSE_CACHE_MB=0) for every shape but
`repeat`: a pool of variables only delays cache hits, so with the cache on the figures would
depend on how long the run lasts. `repeat` runs ours as shipped: what caching can do.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import random
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

import floor
import httpx
import peer
from serving import ROOT, free_port, hcpcs_serve, start, stop
from shapes import FIXED_CODE, OURS, PEER, RELEASE, SEARCH_WORDS, SHAPES, lua_get, lua_graphql

SERVERS = ("ours", "peer", "floor")
FTS = floor.fts_table(RELEASE)  # ours' full-text index of the release
CHECKS = 5  # requests per shape and server checked before the load
FEW = 5  # answers per connection under which a run is redone for --slow seconds


@dataclass
class Server:
    name: str  # ours, peer, floor
    label: str  # how the table names it: ours with its response cache on is "ours+cache"
    url: str  # where GraphQL is posted, or the floor's root
    process: subprocess.Popen


@dataclass
class Result:
    shape: str
    server: str
    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    errors: int
    cpu: float  # the server's CPU seconds per second of the run: under 1, it had company
    quiet: bool  # both CPUs were idle when the run started

    @property
    def rate(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def start_servers(
    names: list[str], shapes: list[str], tmp: Path, source: str, cache_everywhere: bool
) -> dict[str, Server]:
    servers: dict[str, Server] = {}
    try:
        if "ours" in names:
            ours_db = tmp / "ours.db"
            shutil.copyfile(source, ours_db)
            plain = {} if cache_everywhere else {"HCPCS_RESPONSE_CACHE_MB": "0"}
            variants = {"ours": plain}
            if "repeat" in shapes and not cache_everywhere:
                variants["ours+cache"] = {}
            for label, env in variants.items():
                port = free_port()
                url = f"http://127.0.0.1:{port}/graphql"
                process = start(hcpcs_serve(str(ours_db), port), url, cpu=0, env=env)
                servers[label] = Server("ours", label, url, process)
        if "floor" in names:
            db = floor.build_db(source, tmp / "floor.db", RELEASE)
            port = free_port()
            command = [sys.executable, str(ROOT / "bench" / "floor.py"), "--db", str(db)]
            ready = f"http://127.0.0.1:{port}/introspection"
            process = start([*command, "--port", str(port)], ready, cpu=0)
            servers["floor"] = Server("floor", "floor", f"http://127.0.0.1:{port}", process)
        if "peer" in names:
            datasette = peer.ensure_venv()
            db, meta = peer.build(source, tmp, RELEASE)
            port = free_port()
            ready = f"http://127.0.0.1:{port}/-/versions.json"
            process = start(peer.command(datasette, db, meta, port), ready, cpu=0)
            servers["peer"] = Server("peer", "peer", f"http://127.0.0.1:{port}/graphql", process)
    except BaseException:
        for server in servers.values():
            stop(server.process)
        raise
    return servers


def pools(floor_db: Path, ours_url: str | None) -> dict[str, list]:
    """Real codes, page starts (code, ours' cursor) and search words of the release."""
    db = sqlite3.connect(f"file:{floor_db}?mode=ro", uri=True)
    codes = [c for (c,) in db.execute("SELECT code FROM codes WHERE is_modifier = 0 ORDER BY 1")]
    words = [
        w
        for w in SEARCH_WORDS
        if db.execute(
            f"SELECT count(*) FROM {FTS} f JOIN codes c ON c.id = f.rowid"
            f" WHERE {FTS} MATCH ? AND c.is_modifier = 0",
            [f'"{w}"*'],
        ).fetchone()[0]
        >= 20
    ]
    db.close()
    cursors = _cursors(ours_url) if ours_url else {}
    starts = codes[: len(codes) - 100]  # every page is full
    return {
        "codes": codes,
        "pages": [(c, cursors.get(c, "")) for c in starts],
        "words": words,
        "none": [None],
        "fixed": [FIXED_CODE],
    }


def _cursors(url: str) -> dict[str, str]:
    """Ours' cursor for every code of the release, read from ours (cursors are opaque)."""
    query = (
        f'query($after: String) {{ hcpcsCodes(release: "{RELEASE}", first: 500, after: $after)'
        " { pageInfo { hasNextPage endCursor } edges { cursor node { code } } } }"
    )
    found, after = {}, None
    while True:
        body = httpx.post(url, json={"query": query, "variables": {"after": after}}, timeout=60)
        page = body.json()["data"]["hcpcsCodes"]
        found.update((e["node"]["code"], e["cursor"]) for e in page["edges"])
        if not page["pageInfo"]["hasNextPage"]:
            return found
        after = page["pageInfo"]["endCursor"]


def ask(server: Server, shape: str, item: object) -> httpx.Response:
    spec = SHAPES[shape]
    if server.name == "floor":
        return httpx.get(server.url + spec.floor(item), timeout=60)
    query, variables = (OURS, spec.ours) if server.name == "ours" else (PEER, spec.peer)
    return httpx.post(
        server.url, json={"query": query[shape], "variables": variables(item)}, timeout=60
    )


def check(servers: dict[str, Server], shape: str, pool: list) -> None:
    """Each server answers a few of the shape's requests without errors; the floor's data
    equals ours'; the peer finds something."""
    items = [pool[0], pool[-1], *random.sample(pool, min(len(pool), CHECKS - 2))]
    for item in items:
        data = {}
        for server in servers.values():
            response = ask(server, shape, item)
            body = response.json()
            where = f"{server.label} {shape} {item!r}"
            if response.status_code != 200 or "errors" in body:
                raise SystemExit(f"{where}: {response.status_code} {body}")
            data[server.name] = body["data"]
            if not any(v for v in body["data"].values()):
                raise SystemExit(f"{where}: empty answer {body}")
        if "ours" in data and "floor" in data and data["ours"] != data["floor"]:
            raise SystemExit(f"floor differs from ours for {shape} {item!r}")


def _busy(seconds: float = 0.5) -> list[float]:
    """How busy CPUs 0 and 1 were over `seconds`, 0 to 1 each."""

    def sample() -> list[list[int]]:
        lines = Path("/proc/stat").read_text().splitlines()
        rows = [line.split() for line in lines]
        return [[int(v) for v in row[1:]] for row in rows if row[0] in ("cpu0", "cpu1")]

    before = sample()
    time.sleep(seconds)
    busy = []
    for old, new in zip(before, sample(), strict=True):
        delta = [b - a for a, b in zip(old, new, strict=False)]
        total = sum(delta[:8]) or 1
        busy.append(1 - (delta[3] + delta[4]) / total)  # idle + iowait
    return busy


def wait_quiet(limit: float = 120) -> bool:
    """Wait until CPUs 0 and 1 are idle (another benchmark may be using them); False if they
    were still busy after `limit` seconds."""
    deadline = time.monotonic() + limit
    while max(_busy()) > 0.1:
        if time.monotonic() > deadline:
            return False
    return True


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def wrk(server: Server, shape: str, pool: list, seconds: int, connections: int, tmp: Path):
    spec = SHAPES[shape]
    if server.name == "floor":
        script, url = lua_get([spec.floor(i) for i in pool]), server.url
    else:
        query, variables = (OURS, spec.ours) if server.name == "ours" else (PEER, spec.peer)
        path = "/" + server.url.split("/", 3)[3]
        script, url = lua_graphql(path, query[shape], [variables(i) for i in pool]), server.url
    lua = tmp / f"{server.label}-{shape}.lua"
    lua.write_text(script)
    quiet = wait_quiet()
    cpu_before = _cpu_seconds(server.process.pid)
    done = subprocess.run(
        ["taskset", "-c", "1", "wrk", "-t1", f"-c{connections}", f"-d{seconds}s",
         "--timeout", "30s", "-s", str(lua), url],
        capture_output=True, text=True, timeout=seconds + 90,
    )  # fmt: skip
    match = re.search(r"RESULT (\d+) (\d+) (\d+) (\d+) (\d+) (\d+)", done.stdout)
    if not match:
        raise SystemExit(f"wrk failed for {server.name} {shape}: {done.stdout}{done.stderr}")
    requests, duration, bad, socket_errors, p50, p99 = map(int, match.groups())
    cpu = (_cpu_seconds(server.process.pid) - cpu_before) / (duration / 1e6)
    return Result(shape, server.label, requests, duration / 1e6, p50 / 1e3, p99 / 1e3,
                  bad + socket_errors, cpu, quiet)  # fmt: skip


def measure(server: Server, shape: str, items: list, args: argparse.Namespace, tmp: Path) -> Result:
    print(f"{shape} on {server.label} ...", file=sys.stderr, flush=True)
    if args.warmup:
        wrk(server, shape, items, args.warmup, args.connections, tmp)
    result = wrk(server, shape, items, args.seconds, args.connections, tmp)
    if result.requests < FEW * args.connections and args.slow > args.seconds:
        # each connection's first answer only comes after a whole latency: so few
        # answers undercount the rate, so run such a server longer
        print(f"  few answers: again for {args.slow} s", file=sys.stderr)
        result = wrk(server, shape, items, args.slow, args.connections, tmp)
    return result


def _ratio(ours: Result | None, other: Result, field: str) -> str:
    if ours is None or not other.requests or not ours.requests:
        return ""
    if field == "rate":
        return f"{ours.rate / other.rate:.2f}" if other.rate else ""
    value, mine = getattr(other, field), getattr(ours, field)
    return f"{value / mine:.2f}" if mine else ""


def table(results: list[Result]) -> str:
    lines = [
        "| shape | server | req/s | answers | p50 ms | p99 ms | errors | server CPU "
        "| ours ÷ it, req/s | it ÷ ours, p50 | it ÷ ours, p99 |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        ours = next(
            (o for o in results if o.shape == r.shape and o.server.startswith("ours")), None
        )
        lines.append(
            f"| {SHAPES[r.shape].title} | {r.server} | {r.rate:,.{0 if r.rate >= 100 else 1}f} "
            f"| {r.requests:,} in {r.seconds:.0f} s | {r.p50_ms:.1f} "
            f"| {r.p99_ms:.1f} | {r.errors} | {r.cpu:.0%}{'' if r.quiet else ' (busy)'} "
            f"| {_ratio(ours, r, 'rate')} "
            f"| {_ratio(ours, r, 'p50_ms')} | {_ratio(ours, r, 'p99_ms')} |"
        )
    return "\n".join(lines)


def _version(name: str, venv: Path | None = None) -> str:
    if venv is None:
        return metadata.version(name)
    found = list(venv.glob(f"lib/python*/site-packages/{name.replace('-', '_')}-*.dist-info"))
    return found[0].name.removesuffix(".dist-info").split("-")[1] if found else "?"


def machine_notes(args: argparse.Namespace) -> str:
    cpu = next(
        (line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
         if line.startswith("model name")), platform.machine(),
    )  # fmt: skip
    commit = subprocess.run(
        ["git", "-C", str(ROOT), "describe", "--always", "--dirty"],
        capture_output=True, text=True,
    ).stdout.strip()  # fmt: skip
    versions = ", ".join(
        f"{n} {_version(n)}" for n in ("strawberry-graphql", "graphql-core", "uvicorn", "starlette")
    )
    peer_versions = ", ".join(
        f"{n} {_version(n, peer.VENV)}" for n in ("datasette", "datasette-graphql", "graphql-core")
    )
    return (
        f"{dt.datetime.now().astimezone():%Y-%m-%d %H:%M %Z}, {os.cpu_count()} CPUs ({cpu}), "
        f"Python {platform.python_version()}, commit {commit}; wrk -t1 -c{args.connections} "
        f"-d{args.seconds}s after {args.warmup}s warm-up"
        f"{f', median of {args.rounds} rounds' if args.rounds > 1 else ''}; ours: {versions}; "
        f"peer: {peer_versions}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", required=True, help="our database (read only)")
    parser.add_argument("--seconds", type=int, default=10, help="each wrk run (default 10)")
    parser.add_argument("--warmup", type=int, default=1, help="wrk warm-up, not counted")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument(
        "--slow",
        type=int,
        default=30,
        help=f"seconds to run a server again for when it gave under {FEW} answers per "
        "connection (default 30)",
    )
    parser.add_argument("--shapes", default=",".join(SHAPES), help="comma-separated")
    parser.add_argument("--servers", default=",".join(SERVERS), help="comma-separated")
    parser.add_argument(
        "--ours-cache",
        action="store_true",
        help="keep ours' response cache on in every shape (by default only in `repeat`)",
    )
    parser.add_argument(
        "--rounds",
        type=int,
        default=1,
        help="measure each shape this many times on every server in turn and keep each "
        "server's median run (default 1)",
    )
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args()
    shapes = args.shapes.split(",")
    names = args.servers.split(",")
    unknown = set(shapes) - set(SHAPES) | set(names) - set(SERVERS)
    if unknown:
        parser.error(f"unknown shape or server: {', '.join(sorted(unknown))}")
    if not (1 <= args.seconds <= 600 and args.slow <= 600):
        parser.error("--seconds and --slow must be at most 600")
    if not 1 <= args.rounds <= 9:
        parser.error("--rounds must be between 1 and 9")
    if not shutil.which("wrk"):
        raise SystemExit("wrk is needed (Debian: apt-get install wrk)")

    results: list[Result] = []
    with tempfile.TemporaryDirectory(prefix="hcpcs-suite-") as name:
        tmp = Path(name)
        servers = start_servers(names, shapes, tmp, str(Path(args.db).resolve()), args.ours_cache)
        try:
            floor_db = tmp / "floor.db"
            if not floor_db.exists():
                floor.build_db(str(Path(args.db).resolve()), floor_db, RELEASE)
            ours_url = servers["ours"].url if "ours" in servers else None
            pool = pools(floor_db, ours_url)
            for shape in shapes:
                keys = [k for k in servers if k != "ours+cache"]
                if shape == "repeat" and "ours+cache" in servers:
                    keys = ["ours+cache", *(k for k in keys if k != "ours")]
                chosen = {k: servers[k] for k in keys}
                items = pool[SHAPES[shape].pool]
                check(chosen, shape, items)
                runs: dict[str, list[Result]] = {key: [] for key in chosen}
                for _ in range(args.rounds):  # servers in turn: each round shares a mood
                    for key, server in chosen.items():
                        runs[key].append(measure(server, shape, items, args, tmp))
                for key, found in runs.items():
                    found.sort(key=lambda r: r.rate)
                    if args.rounds > 1:
                        rates = ", ".join(f"{r.rate:,.1f}" for r in found)
                        print(f"  {shape} on {key}: {rates} req/s", file=sys.stderr)
                    results.append(found[len(found) // 2])
        finally:
            for server in servers.values():
                stop(server.process)
    print(machine_notes(args))
    print()
    print(table(results))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps([r.__dict__ for r in results], indent=1))


if __name__ == "__main__":
    main()
