"""Start and stop a server process for a benchmark, on 127.0.0.1 only; read its memory."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

# run as bench/<script>.py, the checkout's root is not on the path: tests/ is found from here
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests import servers
from tests.servers import ROOT, free_port  # noqa: F401 - the benchmarks import free_port here


def start(
    command: list[str], url: str, *, cpu: int | None = None, env: dict | None = None
) -> subprocess.Popen:
    """Run `command` (pinned to one CPU if asked) until `url` answers; 60 s at most."""
    if cpu is not None:
        command = ["taskset", "-c", str(cpu), *command]
    # The log goes to a file: a pipe nobody reads fills up and stalls the server.
    log = tempfile.NamedTemporaryFile(prefix="bench-server-", suffix=".log", delete=False)  # noqa: SIM115 - the server writes it until stop()
    process = subprocess.Popen(
        command,
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    process.log_path = log.name  # type: ignore[attr-defined]
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            tail = Path(log.name).read_text(errors="replace")[-2000:]
            raise RuntimeError(f"{command[0]} exited: {tail}")
        try:
            httpx.get(url, timeout=1)
            return process
        except httpx.TransportError:
            time.sleep(0.05)
    process.kill()
    raise RuntimeError(f"{' '.join(command)} did not answer {url} within 60 s")


def stop(process: subprocess.Popen) -> None:
    servers.stop(process, timeout=10)
    Path(getattr(process, "log_path", "/nonexistent")).unlink(missing_ok=True)


def rss_mb(pid: int) -> float:
    """Resident memory of a process and its children (uvicorn workers), in MB."""
    total = 0
    pids = [pid]
    children = Path(f"/proc/{pid}/task/{pid}/children")
    if children.exists():
        pids += [int(p) for p in children.read_text().split()]
    for p in pids:
        for line in Path(f"/proc/{p}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1])
    return total / 1024


def hcpcs_serve(db: str, port: int) -> list[str]:
    return [
        sys.executable,
        "-m",
        "server",
        "serve",
        "--db",
        db,
        "--port",
        str(port),
        "--host",
        "127.0.0.1",
    ]
