"""Faults at the edges: a full disk, a mistyped path, a damaged or unreadable file, the
leftovers of killed loads, and clients that never finish sending a request."""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import random
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from hcpcs_graph.db import checksum
from hcpcs_graph.db.database import Database
from hcpcs_graph.server import http_timeouts
from hcpcs_graph.server.cli import main
from tests.conftest import RELEASES
from tests.servers import free_port, serving

PAGE = 4096


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def hcpcs(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """`python -m hcpcs_graph.server ARGS` as a user runs it."""
    return subprocess.run(
        [sys.executable, "-m", "hcpcs_graph.server", *args],
        cwd=cwd, env={**os.environ, **(env or {})},
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip


def damage_middle(path: Path, pages: int = 64) -> None:
    """Overwrite `pages` pages in the middle of the file in place, keeping its times (as a
    failing disk would: nothing tells a reader the file changed)."""
    before = path.stat()
    middle = path.stat().st_size // 2 // PAGE * PAGE
    with path.open("r+b") as f:
        f.seek(middle)
        f.write(random.Random(14).randbytes(PAGE * pages))
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))


# A full disk -----------------------------------------------------------------------------


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A real 2 MiB file system (tmpfs; needs root, as CI runs)."""
    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(mount)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    if done.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here: {done.stderr.strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", str(mount)], check=True)


def _free(path: Path) -> int:
    st = os.statvfs(path)
    return st.f_bavail * st.f_frsize


@pytest.mark.usefixtures("cms_files")
@pytest.mark.parametrize("runs_out", ["writing rows", "copying the database"])
def test_a_full_disk_is_one_line_and_leaves_the_database(
    small_disk: Path, capsys: pytest.CaptureFixture[str], runs_out: str
) -> None:
    db = small_disk / "h.db"
    assert main(["load", "--sample", "--db", str(db)]) == 0
    before = sha(db)
    if runs_out == "copying the database":
        # leave less room than the copy needs
        (small_disk / "filler").write_bytes(bytes(_free(small_disk) - db.stat().st_size // 2))
    capsys.readouterr()
    assert main(["load", str(RELEASES["2016-01"]), "--db", str(db)]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err == (
        f"hcpcs: error: {db}: the disk is full: no space left in {small_disk} for the new "
        "copy of the database; the database is unchanged\n"
    )
    assert sha(db) == before
    assert not list(small_disk.glob(".h.db.*.tmp"))


# A path the user named ---------------------------------------------------------------------


@pytest.mark.parametrize("named_by", ["--db", "HCPCS_DB"])
def test_serve_refuses_a_named_database_that_does_not_exist(tmp_path: Path, named_by: str) -> None:
    typo = tmp_path / "typo.db"
    args = ["serve", "--port", str(free_port())]
    env = {}
    if named_by == "--db":
        args += ["--db", str(typo)]
    else:
        env["HCPCS_DB"] = str(typo)
    done = hcpcs(*args, cwd=tmp_path, env=env)
    assert done.returncode == 2, done.stderr
    assert (
        done.stderr == f"hcpcs: error: {typo}: no such database; load a release with `hcpcs load`\n"
    )
    assert not typo.exists()


def test_the_default_path_alone_starts_with_the_sample(tmp_path: Path) -> None:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "HCPCS_DB"}
    with (tmp_path / "server.log").open("w") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "hcpcs_graph.server", "serve", "--port", str(port)],
            cwd=tmp_path, env=env, stdout=log, stderr=log,
        )  # fmt: skip
    try:
        deadline = time.monotonic() + 30
        while True:
            assert process.poll() is None, (tmp_path / "server.log").read_text()
            with contextlib.suppress(httpx.HTTPError):
                ready = httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=1)
                if ready.status_code == 200:
                    break
            assert time.monotonic() < deadline, "hcpcs serve did not answer within 30 s"
            time.sleep(0.1)
        assert ready.json()["releases"] == ["2026-04"]
        assert (tmp_path / "hcpcs.db").exists()
    finally:
        process.terminate()
        process.wait(timeout=15)


# A damaged file ------------------------------------------------------------------------------


def test_a_database_damaged_in_the_middle_is_refused_at_start(
    all_releases_db: Path, tmp_path: Path
) -> None:
    db = tmp_path / "hcpcs.db"
    shutil.copyfile(all_releases_db, db)
    damage_middle(db)
    done = hcpcs("serve", "--db", str(db), "--port", str(free_port()), cwd=tmp_path)
    assert done.returncode == 2, done.stderr
    assert done.stderr == (
        f"hcpcs: error: {db}: the database file is damaged (its checksum does not match what "
        "`hcpcs load` wrote); load the releases into a new file, or restore a copy\n"
    )


async def test_a_file_without_checksum_is_served_unchecked(
    all_releases_db: Path, tmp_path: Path
) -> None:
    """Files loaded before loads stored a checksum hold 0 there."""
    db = tmp_path / "hcpcs.db"
    shutil.copyfile(all_releases_db, db)
    assert checksum.stored(db) == checksum.compute(db) != 0
    with db.open("r+b") as f:
        f.seek(checksum.OFFSET)
        f.write(bytes(4))
    database = Database(db, connections=1)
    async with database.opened(verify=True):
        snapshot = await database.snapshot()
        assert not snapshot.verified and snapshot.catalog.newest == "2026-01"


async def test_a_damaged_file_put_in_place_is_not_served(
    all_releases_db: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    db, damaged = tmp_path / "hcpcs.db", tmp_path / "new.db"
    shutil.copyfile(all_releases_db, db)
    shutil.copyfile(all_releases_db, damaged)
    damage_middle(damaged)
    database = Database(db, connections=1)
    async with database.opened(verify=True):
        serving_before = await database.snapshot()
        assert serving_before.verified
        os.replace(damaged, db)  # as a deployment's `mv` would
        assert await database.snapshot() is serving_before
    assert "keeping the open database: the new file is unusable" in caplog.text
    assert "the database file is damaged (its checksum does not match" in caplog.text


def test_damage_found_while_serving_makes_readyz_503(all_releases_db: Path, tmp_path: Path) -> None:
    db = tmp_path / "hcpcs.db"
    shutil.copyfile(all_releases_db, db)
    query = (
        "query ($r: String) { hcpcsCodes(release: $r, first: 500) {"
        " totalCount nodes { code longDescription } } }"
    )
    with serving(db, tmp_path) as origin:
        damage_middle(db, pages=1024)
        failed = []
        for release in RELEASES:
            answer = httpx.post(
                f"{origin}/graphql", json={"query": query, "variables": {"r": release}}, timeout=10
            )
            failed += answer.json().get("errors", [])
        assert failed, "no query read a damaged page"
        ready = httpx.get(f"{origin}/readyz", timeout=10)
        assert ready.status_code == 503
        assert ready.json() == {
            "status": "unavailable",
            "reason": f"{db}: the database file is damaged (database disk image is malformed); "
            "load the releases into a new file, or restore a copy",
        }
        assert httpx.get(f"{origin}/healthz", timeout=10).status_code == 200


# An unreadable file ----------------------------------------------------------------------------

_AS_NOBODY = """
import os, sys
import hcpcs_graph.server.cli, hcpcs_graph.server.serve  # what serve needs, imported while root can read it
os.setgid(65534)
os.setuid(65534)
sys.exit(hcpcs_graph.server.cli.main(sys.argv[1:]))
"""


@pytest.mark.skipif(os.geteuid() != 0, reason="switching to another user needs root")
def test_an_unreadable_database_is_one_line(all_releases_db: Path, tmp_path: Path) -> None:
    shared = Path("/tmp") / f"hcpcs-unreadable-{os.getpid()}"
    shared.mkdir(mode=0o755)
    try:
        db = shared / "hcpcs.db"
        shutil.copyfile(all_releases_db, db)
        db.chmod(0)
        done = subprocess.run(
            [sys.executable, "-c", _AS_NOBODY, "serve", "--db", str(db), "--port",
             str(free_port())],
            cwd="/", env=dict(os.environ),
            capture_output=True, text=True, timeout=60,
        )  # fmt: skip
    finally:
        shutil.rmtree(shared)
    assert done.returncode == 2
    assert done.stderr == (
        f"hcpcs: error: {db}: cannot read the database file (Permission denied)\n"
    )


# Leftovers of killed loads ---------------------------------------------------------------------


def test_serve_sweeps_up_a_killed_loads_copy_but_not_a_live_ones(
    all_releases_db: Path, tmp_path: Path
) -> None:
    db = tmp_path / "hcpcs.db"
    shutil.copyfile(all_releases_db, db)
    (tmp_path / "hcpcs.db.lock").touch()
    live = tmp_path / ".hcpcs.db.999999.tmp"
    live.write_bytes(b"a load's half-written copy")
    with open(tmp_path / "hcpcs.db.lock") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # a load is running
        with serving(db, tmp_path):
            pass
    assert live.exists()
    assert "temporary" not in (tmp_path / "server.log").read_text()
    with serving(db, tmp_path):
        pass
    assert not live.exists()
    assert (
        "Removed .hcpcs.db.999999.tmp, left by an interrupted load (0.0 MB)"
        in (tmp_path / "server.log").read_text()
    )


# Clients that never finish sending -------------------------------------------------------------


def test_the_protocol_checks_itself_and_falls_back_to_uvicorns(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    assert http_timeouts.protocol() is http_timeouts.TimedHttpToolsProtocol
    # a uvicorn that keeps the transport under another name
    from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

    def renamed(self: HttpToolsProtocol, transport: object) -> None:
        self._transport = transport

    monkeypatch.setattr(HttpToolsProtocol, "connection_made", renamed)
    assert http_timeouts.protocol() == "auto"
    assert "header and body timeouts and the header size cap are off: uvicorn" in caplog.text
    assert "AttributeError" in caplog.text


TIMEOUTS = {"HCPCS_HEADER_TIMEOUT": "1", "HCPCS_BODY_TIMEOUT": "1"}


def _closed_within(sockets: list[socket.socket], seconds: float) -> list[bytes]:
    """What each socket received before the server closed it; fails past `seconds`."""
    deadline = time.monotonic() + seconds
    received = []
    for s in sockets:
        data = b""
        while True:
            left = deadline - time.monotonic()
            assert left > 0, f"a connection still open after {seconds} s: {data!r}"
            s.settimeout(left)
            try:
                chunk = s.recv(4096)
            except TimeoutError:
                continue
            except ConnectionResetError:
                chunk = b""
            if not chunk:
                break
            data += chunk
        received.append(data)
        s.close()
    return received


def _connect(origin: str) -> socket.socket:
    port = int(origin.rsplit(":", 1)[1])
    return socket.create_connection(("127.0.0.1", port), timeout=5)


def test_half_sent_headers_are_closed_within_the_header_timeout(
    all_releases_db: Path, tmp_path: Path
) -> None:
    with serving(all_releases_db, tmp_path, env=TIMEOUTS) as origin:
        started = time.monotonic()
        sockets = [_connect(origin) for _ in range(50)]
        for s in sockets:
            s.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
        received = _closed_within(sockets, 4.0)
        assert time.monotonic() - started >= 0.9  # not closed before the timeout
        assert all(r.startswith(b"HTTP/1.1 408 ") for r in received), received[0]
        assert b'"code":"REQUEST_TIMEOUT"' in received[0]
        # a connection that sends nothing at all is closed the same way
        silent = _connect(origin)
        _closed_within([silent], 4.0)
        # headers sent fast, without end, are refused past 64 KiB, not kept until the timeout
        big = _connect(origin)
        big.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + b"a" * 70_000)
        started = time.monotonic()
        [refused] = _closed_within([big], 4.0)
        assert refused.startswith(b"HTTP/1.1 431 ") and time.monotonic() - started < 0.9
        assert b'"code":"REQUEST_HEADER_FIELDS_TOO_LARGE"' in refused
        # a slow request that completes in time is answered
        slow = _connect(origin)
        for part in (b"GET /healthz HTTP/1.1\r\n", b"Host: 127.0.0.1\r\n", b"\r\n"):
            slow.sendall(part)
            time.sleep(0.2)
        slow.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
        first, *_ = _closed_within([slow], 4.0)
        # the first answer, then a 408 for the second request that stalled on the same
        # keep-alive connection
        assert first.startswith(b"HTTP/1.1 200 ") and b"HTTP/1.1 408 " in first
        assert httpx.get(f"{origin}/healthz", timeout=5).status_code == 200


def test_a_body_that_stalls_gets_408_within_the_body_timeout(
    all_releases_db: Path, tmp_path: Path
) -> None:
    with serving(all_releases_db, tmp_path, env=TIMEOUTS) as origin:
        stalled = [_connect(origin) for _ in range(10)]
        for s in stalled:
            s.sendall(
                b"POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                b'Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{"query": '
            )
        started = time.monotonic()
        received = _closed_within(stalled, 4.0)
        assert time.monotonic() - started >= 0.9
        assert all(r.startswith(b"HTTP/1.1 408 ") for r in received), received[0]
        answer = httpx.post(f"{origin}/graphql", json={"query": "{ releases { name } }"}, timeout=5)
        assert answer.status_code == 200 and answer.json()["data"]["releases"]
