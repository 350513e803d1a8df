"""`hcpcs load` on a full disk: one line, and the database as it was."""

from __future__ import annotations

import hashlib
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from hcpcs_graph.server.cli import main
from tests.conftest import RELEASES


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


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
