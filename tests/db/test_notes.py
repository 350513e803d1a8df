from __future__ import annotations

from pathlib import Path

import pytest

from hcpcs_graph.db import notes
from hcpcs_graph.db.errors import LoadError


def test_real_notes_file(cms_files: Path) -> None:
    parsed = notes.read((cms_files / "2026-JAN" / "proc_notes_JAN2026.txt").read_bytes(), "n.txt")
    assert len(parsed) == 234 and min(parsed) == 1 and max(parsed) == 234
    assert parsed[2] == (
        "THESE CODES (82585, 82595) PERTAIN TO PERFORMING THE ANALYSIS FOR THE ANALYTE "
        "AS OPPOSED TO ADMINISTRATION OF THE ANALYTE."
    )
    # tab-indented notes, continued over lines without the box's closing '*'
    assert parsed[229].startswith("THESE CODES ARE USED ONLY UNDER THE ASC PAYMENT SYSTEM. REFER")
    assert parsed[229].endswith("FOR MORE INFORMATION.")


def test_synthetic_notes() -> None:
    data = (
        b"        PROCESSING NOTES\r\n ____\r\n\r\n"
        b"          0001--FIRST LINE       *\r\n"
        b"                SECOND LINE      *\r\n"
        b"                                 *\r\n"
        b"\t  0002--ONLY ONE.\t\t   *\r\n"
    )
    assert notes.read(data, "n.txt") == {1: "FIRST LINE SECOND LINE", 2: "ONLY ONE."}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "n.txt: the processing notes file is empty"),
        (b"hello\r\n", "n.txt: no processing notes (lines like '0001--TEXT') found"),
        (b"0001--A\r\n\r\n0001--B\r\n", "n.txt: line 3: note 0001 appears twice"),
        (b"0001--A \x81\r\n", "n.txt: line 1: byte 0x81 at column 9 is not cp1252 text"),
    ],
)
def test_bad_notes(data: bytes, message: str) -> None:
    with pytest.raises(LoadError) as caught:
        notes.read(data, "n.txt")
    assert str(caught.value) == message
