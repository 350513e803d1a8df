"""A payment file's rows as the rows of its table: the parts every kind shares.

Each kind's module (asp, ndc, dmepos) turns one data row into a table row; this walks the
rows after the header, skips blank ones, drops non-Level-II codes (counted by reason) and
names the row and column of anything it cannot read.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field

from hcpcs_graph.db.errors import LoadError
from hcpcs_graph.db.payments.kinds import Header, Kind
from hcpcs_graph.db.payments.tables import Cell
from hcpcs_graph.db.payments.values import dropped_reason, text

_CODE = re.compile(r"[A-Z0-9]{5}")
TableRow = tuple[object, ...]


@dataclass(slots=True)
class Parsed:
    kind: Kind
    title: list[str]
    # each table's rows, their columns after release (a schedule may fill several tables)
    tables: dict[str, list[TableRow]] = field(default_factory=dict)
    dropped: Counter[str] = field(default_factory=Counter)
    seen: set[str] = field(default_factory=set)  # the Level II codes stored
    notes: list[str] = field(default_factory=list)  # for the load summary

    @property
    def codes(self) -> int:
        return len(self.seen)

    @property
    def rows(self) -> int:
        return sum(len(rows) for rows in self.tables.values())


class Cells:
    """One data row, read by heading; errors name the row and the column."""

    __slots__ = ("columns", "row", "where", "width")

    def __init__(
        self, row: Sequence[Cell], columns: dict[str, int], width: int, where: str
    ) -> None:
        self.row = row
        self.columns = columns
        self.width = width  # the header row's
        self.where = where

    def raw(self, heading: str) -> Cell:
        column = self.columns[heading]
        if column >= len(self.row):
            raise LoadError(
                f"the row has {len(self.row)} columns, the header {self.width}: "
                "the file is cut short, or the row is broken",
                field=heading,
            )
        return self.row[column]

    def text(self, heading: str) -> str:
        return text(self.raw(heading))


RowReader = Callable[[Cells, str, int], TableRow]


def rows(header: Header, code_heading: str) -> Iterator[tuple[int, Cells, str]]:
    """(row number, cells, code) of each non-blank row after the header."""
    sheet = header.sheet
    width = len(sheet.rows[header.index])
    for index in range(header.index + 1, len(sheet.rows)):
        row = sheet.rows[index]
        if not any(text(v).strip("\x1a") for v in row):  # \x1a: a DOS end-of-file mark
            continue
        where = sheet.where(index)
        cells = Cells(row, header.columns, width, where)
        try:
            code = cells.text(code_heading).upper()
        except LoadError as e:
            raise e.located(where=where) from None
        if not _CODE.fullmatch(code):
            if not any(text(v) for i, v in enumerate(row) if i != header.columns[code_heading]):
                continue  # a note under the table ("NOTE 1: Payment indicators ..."): text
            raise LoadError(f"{code!r} is not a HCPCS code", where=where, field=code_heading)
        yield index + 1, cells, code


def parse(
    header: Header,
    kind: Kind,
    code_heading: str,
    read: RowReader,
    label: str,
    progress: Callable[[int, int], None] | None = None,
    into: Parsed | None = None,
    key: tuple[int, int] = (1, 1),
) -> Parsed:
    """The Level II rows after the header, added to `into`'s table of `kind` (or a new
    Parsed's). `key`: how many of a row's first values are its key, and where its row
    number is: a row repeating another's key is dropped when it repeats its values too
    (CMS's ASC Addendum BB lists A2027 twice), and refused when it does not."""
    parsed = into if into is not None else Parsed(kind, header.title)
    rows_of = parsed.tables.setdefault(kind.table, [])
    total = len(header.sheet.rows)
    before = len(rows_of)
    width, at = key
    first: dict[tuple[object, ...], tuple[int, TableRow]] = {}
    repeated: list[str] = []
    try:
        found = list(rows(header, code_heading))
    except LoadError as e:
        raise e.located(file=label) from None
    for number, cells, code in found:
        if progress and number % 500 == 0:
            progress(number, total)
        reason = dropped_reason(code)
        if reason is not None:
            parsed.dropped[reason] += 1
            continue
        try:
            row = read(cells, code, number)
        except LoadError as e:
            raise e.located(file=label, where=cells.where) from None
        values = row[:at] + row[at + 1 :]
        seen = first.setdefault(row[:width], (number, values))
        if seen[0] != number:
            shown = " ".join(str(v) for v in row[:width] if v)
            if seen[1] != values:
                raise LoadError(
                    f"{shown} is listed twice, with other values (first at row {seen[0]})",
                    file=label,
                    where=cells.where,
                )
            repeated.append(shown)
            continue
        rows_of.append(row)
        parsed.seen.add(code)
    if repeated:
        parsed.notes.append(
            f"{label}: listed twice with the same values, kept once: {', '.join(repeated)}"
        )
    if len(rows_of) == before:
        raise LoadError(f"no Level II rows after the header of this {kind.label}", file=label)
    return parsed
