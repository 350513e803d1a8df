"""A real `hcpcs serve` process on 127.0.0.1, for tests that need one (browsers)."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def serving(db: Path, cwd: Path, env: dict[str, str] | None = None) -> Iterator[str]:
    """`python -m hcpcs_graph.server serve` on a free port, answering: yields its origin
    (http://127.0.0.1:PORT); stops it afterwards. Its output goes to cwd/server.log
    (a file, not a pipe nobody reads, which would stall a chatty server)."""
    port = free_port()
    origin = f"http://127.0.0.1:{port}"
    with (cwd / "server.log").open("w") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "hcpcs_graph.server", "serve", "--db", str(db),
             "--host", "127.0.0.1", "--port", str(port)],
            cwd=cwd,
            env={**os.environ, **(env or {})},
            stdout=log,
            stderr=subprocess.STDOUT,
        )  # fmt: skip
        try:
            deadline = time.monotonic() + 30
            while True:
                if process.poll() is not None:
                    raise AssertionError((cwd / "server.log").read_text())
                try:
                    httpx.get(f"{origin}/readyz", timeout=1).raise_for_status()
                    break
                except httpx.HTTPError:
                    if time.monotonic() > deadline:
                        raise AssertionError("hcpcs serve did not answer within 30 s") from None
                    time.sleep(0.1)
            yield origin
        finally:
            stop(process)


def stop(process: subprocess.Popen, timeout: float = 15) -> None:
    """Ask the process to end; kill it if it has not within `timeout` seconds."""
    process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
