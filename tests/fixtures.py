"""Small releases in CMS's formats, written into a test's folder: for tests that need a
release file to load, not CMS's codes (those take the `cms_files` fixture)."""

from __future__ import annotations

import zipfile
from pathlib import Path

from tests.records_util import continuation, file_bytes, record

MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]
CODES = ("A4206", "E0100", "G6002")


def release_file(folder: Path, release: str, codes: tuple[str, ...] = CODES) -> Path:
    """A fixed-width release named as CMS names its files (HCPC2019_JAN_ANWEB.txt), each
    code with a continuation line; the short descriptions name the release, so no two
    releases' files are the same bytes."""
    year, month = release.split("-")
    path = folder / f"HCPC{year}_{MONTHS[int(month) - 1]}_ANWEB.txt"
    lines = []
    for code in sorted(codes):
        lines += [record(code, short=f"{code} of {release}"), continuation(code, "continued")]
    path.write_bytes(file_bytes(*lines))
    return path


def release_zip(folder: Path, year: int, member: str) -> Path:
    """An annual ZIP as CMS names it, holding `member` (a fixed-width release) and the
    year's processing notes."""
    path = folder / f"{year}-Alpha-Numeric-HCPCS-File.zip"
    notes = b"        PROCESSING NOTES\r\n\r\n          0001--ONLY ONE.       *\r\n"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(member, file_bytes(record("G6002")))
        archive.writestr(f"proc_notes_{year}.txt", notes)
    return path
