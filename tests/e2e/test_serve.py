"""A real `hcpcs serve` on 127.0.0.1: it answers, serves the sample on a fresh machine, and
refuses a bad database in one line."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from tests.servers import free_port, serving

SEED = '{ hcpcsCode(code: "G6002") { code shortDescription betos { code description } } }'


def test_real_hcpcs_serve_process(all_releases_db: Path, tmp_path: Path) -> None:
    with serving(all_releases_db, tmp_path) as origin:
        response = httpx.post(f"{origin}/graphql", json={"query": SEED}, timeout=10)
        assert response.json()["data"]["hcpcsCode"]["betos"]["code"] == "I4B"
    assert "Serving releases 2016-01, 2017-01" in (tmp_path / "server.log").read_text()


def test_fresh_machine_serves_the_sample_at_once(tmp_path: Path) -> None:
    query = '{ hcpcsCode(code: "G6002") { action { code } release { name isSample } } }'
    with serving(tmp_path / "hcpcs.db", tmp_path) as origin:
        response = httpx.post(f"{origin}/graphql", json={"query": query}, timeout=10)
        assert response.json()["data"]["hcpcsCode"] == {
            "action": {"code": "N"},
            "release": {"name": "2026-04", "isSample": True},
        }
    assert "loading the one-record sample release" in (tmp_path / "server.log").read_text()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "no such database; load a release with `hcpcs load`"),
        (b"", "the database file is empty"),
        (b"this is not sqlite" * 100, "not a usable hcpcs database"),
    ],
)
def test_serve_refuses_a_bad_database_in_one_line(
    tmp_path: Path, content: bytes | None, message: str
) -> None:
    db = tmp_path / "bad.db"
    if content is not None:
        db.write_bytes(content)
    env = dict(os.environ)
    if content is None:  # a path the user named: never the sample in its place
        db = tmp_path / "typo.db"
    done = subprocess.run(
        [sys.executable, "-m", "hcpcs_graph.server", "serve", "--db", str(db), "--port", str(free_port())],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 2, done.stderr
    assert done.stderr.count("\n") <= 2 and "Traceback" not in done.stderr
    assert message in done.stderr
    assert content is not None or not db.exists()  # nothing made in its place
