"""Faults in the database file `hcpcs serve` is given: a mistyped path, a damaged or
unreadable file, and the leftovers of killed loads."""

from __future__ import annotations

import contextlib
import fcntl
import os
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from hcpcs_graph.db import checksum
from hcpcs_graph.db.database import Database
from tests.conftest import RELEASES
from tests.servers import free_port, serving

PAGE = 4096


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
