"""A payment file's cells: the rows of a CSV, or of each sheet of an XLS or XLSX workbook.

CMS writes its CSVs in Windows-1252 (a non-breaking space, "™"); a UTF-8 file (with or
without a byte-order mark) is read as UTF-8. Bytes Windows-1252 leaves undefined are read
as Latin-1, so no file is refused for one odd byte.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass

from python_calamine import CalamineError, CalamineWorkbook

from hcpcs_graph.db.errors import LoadError

Cell = object  # str, float, int, bool, date/datetime (workbooks) or str (CSV)


def _latin1(error: UnicodeError) -> tuple[str, int]:
    assert isinstance(error, UnicodeDecodeError)
    bad = error.object[error.start : error.end]
    return bytes(bad).decode("latin-1"), error.end


codecs.register_error("hcpcs-latin-1", _latin1)


@dataclass(slots=True)
class Sheet:
    name: str | None  # None for a CSV
    rows: Sequence[Sequence[Cell]]

    def where(self, index: int) -> str:
        """How to name row `index` (0-based) to a user."""
        row = f"row {index + 1}"
        return row if self.name is None else f"sheet {self.name!r} {row}"


def decode(data: bytes) -> str:
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8", errors="hcpcs-latin-1")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="hcpcs-latin-1")


# The CLFS's TXT has no header row: its columns, in the order of the CLFS's CSV
TILDE_HEADINGS = ["YEAR", "HCPCS", "MOD", "EFF_DATE", "INDICATOR", "RATE", "SHORTDESC"]


def _tilde(text: str) -> list[list[str]]:
    """CMS's "~"-separated TXT: its HDR~ lines as title rows, then its header, then rows."""
    lines = text.splitlines()
    titles = [[line[4:]] for line in lines if line.startswith("HDR~")]
    rows = [line.split("~") for line in lines if line.strip() and not line.startswith("HDR~")]
    return [*titles, [], TILDE_HEADINGS, *rows]


def read(data: bytes, fmt: str, label: str) -> list[Sheet]:
    if fmt == "tilde":
        return [Sheet(None, _tilde(decode(data)))]
    if fmt == "csv":
        reader = csv.reader(io.StringIO(decode(data), newline=""))
        try:
            rows: list[list[str]] = list(reader)
            return [Sheet(None, rows)]
        except csv.Error as e:
            raise LoadError(f"not a readable CSV ({e})", file=label) from None
    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        return [Sheet(name, book.get_sheet_by_name(name).to_python()) for name in book.sheet_names]
    except (CalamineError, ValueError, OSError) as e:
        raise LoadError(f"not a readable {fmt.upper()} workbook ({e})", file=label) from None
