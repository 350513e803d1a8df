"""The check every bad-file case of `hcpcs load` makes: one line on stderr, exit 2, the
database byte-for-byte unchanged, no temporary copy left behind."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from hcpcs_graph.server.cli import main


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def check_refused(
    db: Path, bad: Path, data: bytes, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    bad.write_bytes(data)
    before = sha(db)
    assert main(["load", str(bad), "--db", str(db)]) == 2
    out, err = capsys.readouterr()
    assert (out, err) == ("", f"hcpcs: error: {message}\n")
    assert sha(db) == before
    assert not list(db.parent.glob(f".{db.name}.*.tmp"))
