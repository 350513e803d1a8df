"""`hcpcs load` and `hcpcs releases` as a user runs them: messages, exit codes, atomicity."""

from __future__ import annotations

import hashlib
import io
import os
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import openpyxl
import pytest

from hcpcs_graph.server.cli import main
from tests.conftest import RELEASES, ROOT
from tests.fixtures import release_file
from tests.records_util import continuation, file_bytes, record


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _xlsx_without_header() -> bytes:
    book = openpyxl.Workbook()
    book.active.append(["G6002", "0010", "3", "Stereoscopic x-ray guidance"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _zip_without_hcpcs() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("HCPC2030_README.txt", "read me")
    return out.getvalue()


BAD_INPUTS = [
    pytest.param(
        "HCPC2030_JAN_ANWEB.txt",
        file_bytes(record("G6002"), record("G6003")[:300] + "X" * 30),
        "HCPC2030_JAN_ANWEB.txt: line 2: record is 330 characters long; CMS records are 320",
        id="wrong-record-length",
    ),
    pytest.param(
        "HCPC2030_JAN_ANWEB.txt",
        file_bytes(record("G6002", record_id="9")),
        "HCPC2030_JAN_ANWEB.txt: line 1: field record_id: unknown record id '9' "
        "(expected 3, 4, 7 or 8)",
        id="unknown-record-id",
    ),
    pytest.param(
        "HCPC2030_JAN_ANWEB.txt",
        file_bytes(record("G6001"), continuation("G6002", "lost words")),
        "HCPC2030_JAN_ANWEB.txt: line 2: field record_id: continuation (record id 4) "
        "for G6002 has no first line",
        id="continuation-without-first-line",
    ),
    pytest.param(
        "HCPC2030_JAN_ANWEB.txt",
        file_bytes(record("G6002", effective="20260231")),
        "HCPC2030_JAN_ANWEB.txt: line 1: field action_effective_date: "
        "'20260231' is not a valid date",
        id="invalid-date",
    ),
    pytest.param(
        "HCPC2030_JAN_ANWEB.txt",
        record("G6002", long="x\x9d").encode("latin-1"),
        "HCPC2030_JAN_ANWEB.txt: line 1: byte 0x9D at column 13 is not cp1252 text",
        id="not-cp1252",
    ),
    pytest.param(
        "HCPC2030_JAN_ANWEB.txt", b"", "HCPC2030_JAN_ANWEB.txt: the file is empty", id="empty-file"
    ),
    pytest.param(
        "2030-Alpha-Numeric-HCPCS-File.zip",
        _zip_without_hcpcs(),
        "2030-Alpha-Numeric-HCPCS-File.zip: the ZIP holds no HCPCS file (*ANWEB*.txt, .xlsx "
        "or .xls); it holds HCPC2030_README.txt",
        id="zip-without-hcpcs-file",
    ),
    pytest.param(
        "HCPC2030_JAN_ANWEB.xlsx",
        _xlsx_without_header(),
        "HCPC2030_JAN_ANWEB.xlsx: no sheet has the expected header row (HCPC, SEQNUM, RECID, "
        "LONG DESCRIPTION, ...) in its first 50 rows",
        id="xlsx-without-header",
    ),
]


@pytest.mark.parametrize(("name", "data", "message"), BAD_INPUTS)
def test_bad_input_is_one_line_exit_2_and_the_database_is_untouched(
    sample_db: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    name: str,
    data: bytes,
    message: str,
) -> None:
    bad = tmp_path / name
    bad.write_bytes(data)
    before = sha(sample_db)
    assert main(["load", str(bad), "--db", str(sample_db)]) == 2
    out, err = capsys.readouterr()
    assert err == f"hcpcs: error: {message}\n"
    assert out == ""
    assert sha(sample_db) == before
    assert not list(tmp_path.glob(".hcpcs.db.*.tmp"))


def test_real_noc_workbook_is_refused(
    cms_files: Path, db_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """2025-JUL holds only CMS's NOC codes workbook: not a release, and said so."""
    before = sha(db_copy)
    noc = cms_files / "2025-JUL" / "NOC codes_JUL2025.xlsx"
    assert main(["load", str(noc), "--db", str(db_copy), "--release", "2025-07"]) == 2
    _, err = capsys.readouterr()
    assert err == (
        "hcpcs: error: NOC codes_JUL2025.xlsx: no sheet has the expected header row (HCPC, "
        "SEQNUM, RECID, LONG DESCRIPTION, ...) in its first 50 rows\n"
    )
    assert sha(db_copy) == before


@pytest.mark.usefixtures("cms_files")
def test_summary_then_no_op_then_releases(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "h.db"
    assert main(["load", str(RELEASES["2020-01"]), "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert out.startswith(
        "Loaded release 2020-01 from 2020-Alpha-Numeric-HCPCS-File.zip!"
        "HCPC2020_ANWEB_w_disclaimer.txt\n"
        "  codes:     6,710\n  modifiers: 369\n  processing notes: 220\n"
        "  unknown code values (kept): none\n"
    )
    assert out.rstrip().endswith(" s")
    assert main(["load", str(RELEASES["2020-01"]), "--db", str(db)]) == 0
    assert "is already loaded as release 2020-01; nothing to do" in capsys.readouterr().out
    assert main(["releases", "--db", str(db)]) == 0
    listing = capsys.readouterr().out.splitlines()
    assert listing[0].split() == [
        "release",
        "codes",
        "modifiers",
        "notes",
        "loaded",
        "at",
        "source",
    ]
    assert listing[1].split()[:4] == ["2020-01", "6710", "369", "220"]


def test_notes_beside_an_unzipped_file_are_pointed_out(
    cms_files: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """2016 ships unzipped: the TXT with proc_notes_2016.txt beside it."""
    for name in ("HCPC2016_CONTR_ANWEB.txt", "proc_notes_2016.txt"):
        shutil.copyfile(cms_files / "2016" / name, tmp_path / name)
    (tmp_path / "proc_notes_JAN2026.txt").write_text("another year's notes: not suggested")
    txt, db = tmp_path / "HCPC2016_CONTR_ANWEB.txt", tmp_path / "h.db"
    assert main(["load", str(txt), "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert "  processing notes: 0\n" in out
    assert "  (proc_notes_2016.txt lies beside the file: load it with --notes " in out
    notes = tmp_path / "proc_notes_2016.txt"
    assert main(["load", str(txt), "--db", str(db), "--replace", "--notes", str(notes)]) == 0
    out = capsys.readouterr().out
    assert "  processing notes: 0" not in out
    assert "lies beside" not in out


def test_unknown_code_values_are_kept_and_reported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "HCPC2030_JAN_ANWEB.txt"
    path.write_bytes(file_bytes(record("G6002", fields={257: "Q9Z", 120: "77"})))
    assert main(["load", str(path), "--db", str(tmp_path / "h.db")]) == 0
    out = capsys.readouterr().out
    assert "unknown code values (kept): betos 'Q9Z' (1); pricing_indicator '77' (1)" in out


def test_environment_names_the_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("HCPCS_DB", str(tmp_path / "env.db"))
    assert main(["load", "--sample"]) == 0
    assert "Loaded release 2026-04 from HCPC2026_APR_ANWEB_sample.txt" in capsys.readouterr().out
    assert (tmp_path / "env.db").exists()


def _run_load_paused(db: Path, source: Path, flag: Path) -> subprocess.Popen[bytes]:
    """`hcpcs load SOURCE` in a subprocess that pauses after writing every row of the
    release."""
    script = (
        "import sys, time, hcpcs_graph.db.load as L\n"
        "insert = L._insert\n"
        "def paused(*a, **k):\n"
        "    insert(*a, **k)\n"
        f"    open({str(flag)!r}, 'w').close()\n"
        "    time.sleep(60)\n"
        "L._insert = paused\n"
        "from hcpcs_graph.server.cli import main\n"
        f"sys.exit(main(['load', {str(source)!r}, '--db', {str(db)!r}]))\n"
    )
    process = subprocess.Popen(
        [sys.executable, "-c", script], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    deadline = time.monotonic() + 30
    while not flag.exists():
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "the load never reached its pause"
        time.sleep(0.05)
    return process


def test_load_killed_midway_leaves_the_database_unchanged(sample_db: Path, tmp_path: Path) -> None:
    other = sha(sample_db)
    small, later = tmp_path / "small.db", release_file(tmp_path, "2025-10")
    assert main(["load", str(release_file(tmp_path, "2016-01")), "--db", str(small)]) == 0
    before = sha(small)
    process = _run_load_paused(small, later, tmp_path / "flag")
    process.send_signal(signal.SIGKILL)
    process.communicate(timeout=10)
    assert list(tmp_path.glob(".small.db.*.tmp"))  # killed with its copy half-written
    assert sha(small) == before
    # the next load sweeps up the killed load's temporary copy and succeeds
    assert main(["load", str(later), "--db", str(small)]) == 0
    assert not list(tmp_path.glob(".small.db.*.tmp"))
    assert sha(sample_db) == other  # the database beside it, untouched throughout


def test_ctrl_c_leaves_the_database_unchanged(tmp_path: Path) -> None:
    small = tmp_path / "small.db"
    assert main(["load", "--sample", "--db", str(small)]) == 0
    before = sha(small)
    process = _run_load_paused(small, release_file(tmp_path, "2025-10"), tmp_path / "flag")
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=10)
    assert process.returncode == 130
    assert err.decode() == "hcpcs: interrupted; the database is unchanged\n"
    assert sha(small) == before
    assert not list(tmp_path.glob(".small.db.*.tmp"))


def test_python_dash_m_server(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "hcpcs_graph.server", "releases", "--db", str(tmp_path / "none.db")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=dict(os.environ),
        timeout=60,
    )
    assert done.returncode == 2
    assert (
        done.stderr
        == f"hcpcs: error: {tmp_path / 'none.db'}: no such database; load a release first\n"
    )
