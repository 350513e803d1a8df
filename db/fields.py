"""The fields of a code's record: one registry that the table, the loader, the reading
of rows and the GraphQL record (schema/) are all derived from.

`FIELDS` is in the order of the `codes` table on disk (the file format: never reorder
it). `CodeRow` is a row as the server reads it: the columns lists of codes show first,
so that a page may read a prefix (db.queries.UNREAD). A NamedTuple costs what a tuple
costs and reads `row.betos`; it is written out because a type checker cannot see a
NamedTuple made at run time, and the import fails when it and `FIELDS` disagree.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Literal, NamedTuple, cast

# How a stored value becomes the record's: as stored; a JSON list of strings; a value
# of a code table (`table`), or a JSON list of them; a JSON list of cross-referenced
# codes; a processing note's number.
Decode = Literal["value", "list", "coded", "coded_list", "cross_references", "note"]


@dataclass(frozen=True, slots=True)
class Field:
    column: str  # in `codes`; `db.records.Record` has the same name (but id, release)
    sql: str  # its declaration in the DDL
    attr: str | None = None  # the GraphQL record's attribute (its field, camel-cased)
    decode: Decode = "value"
    table: str | None = None  # the code table its values come from
    values: str | None = None  # code_values.field of its values (filters, reverse links)
    bound: int | None = None  # the most items its list holds (CMS's OCCURS)
    diffed: bool = True  # compared between releases (schema.history)

    @property
    def name(self) -> str | None:
        """The field as the schema names it."""
        if self.attr is None:
            return None
        first, *rest = self.attr.split("_")
        return first + "".join(part.title() for part in rest)

    @property
    def repeated(self) -> bool:
        """Stored as a JSON array."""
        return self.decode in ("list", "coded_list", "cross_references")


def _coded(column: str, table: str, sql: str = "TEXT") -> Field:
    return Field(column, sql, column, "coded", table, table)


def _coded_list(column: str, table: str, bound: int) -> Field:
    return Field(column, "TEXT NOT NULL", column, "coded_list", table, table, bound)


FIELDS = (
    Field("id", "INTEGER PRIMARY KEY", diffed=False),
    Field("release", "TEXT NOT NULL REFERENCES releases(id)", diffed=False),
    Field("code", "TEXT NOT NULL", "code", diffed=False),
    Field("is_modifier", "INTEGER NOT NULL", diffed=False),
    Field("sequence", "INTEGER NOT NULL", "sequence_number"),
    Field("record_id", "TEXT NOT NULL", "record_id", diffed=False),
    Field("long_description", "TEXT NOT NULL", "long_description"),
    Field("short_description", "TEXT NOT NULL", "short_description"),
    _coded_list("pricing_indicators", "pricing_indicator", 4),
    _coded("multiple_pricing_indicator", "multiple_pricing_indicator"),
    Field("cim_references", "TEXT NOT NULL", "cim_references", "list", bound=3),
    Field("mcm_references", "TEXT NOT NULL", "mcm_references", "list", bound=3),
    Field("statute", "TEXT", "statute"),
    _coded_list("lab_certifications", "lab_certification", 8),
    Field(
        "cross_references",
        "TEXT NOT NULL",
        "cross_references",
        "cross_references",
        values="cross_reference",
        bound=5,
    ),
    _coded("coverage", "coverage"),
    _coded("asc_payment_group", "asc_payment_group"),
    Field("asc_effective_date", "TEXT", "asc_effective_date"),
    _coded("mog_payment_group", "mog_payment_group"),
    _coded("mog_payment_policy_indicator", "mog_payment_policy_indicator"),
    Field("mog_effective_date", "TEXT", "mog_effective_date"),
    Field("processing_note", "INTEGER", "processing_note", "note", values="processing_note"),
    _coded("betos", "betos"),
    _coded_list("types_of_service", "type_of_service", 5),
    Field("anesthesia_base_units", "INTEGER", "anesthesia_base_units"),
    Field("added_date", "TEXT", "added_date"),
    Field("action_effective_date", "TEXT", "action_effective_date"),
    Field("termination_date", "TEXT", "termination_date"),
    Field("action_code", "TEXT", "action", "coded", "action_code", "action_code", diffed=False),
)
BY_COLUMN = {f.column: f for f in FIELDS}


class CodeRow(NamedTuple):
    """A row of `codes` as read. A narrow page's columns past its width hold UNREAD: no
    field it was read for looks at them."""

    id: int  # always read: the first LEAD columns
    release: str
    code: str
    is_modifier: int
    short_description: str  # then what lists of codes most often show, to LISTED
    long_description: str
    betos: str | None
    added_date: str | None
    termination_date: str | None
    action_code: str | None
    action_effective_date: str | None
    types_of_service: str
    pricing_indicators: str
    coverage: str | None
    sequence: int  # then the rest, in the table's order
    record_id: str
    multiple_pricing_indicator: str | None
    cim_references: str
    mcm_references: str
    statute: str | None
    lab_certifications: str
    cross_references: str
    asc_payment_group: str | None
    asc_effective_date: str | None
    mog_payment_group: str | None
    mog_payment_policy_indicator: str | None
    mog_effective_date: str | None
    processing_note: int | None
    anesthesia_base_units: int | None


COLUMNS: tuple[str, ...] = CodeRow._fields  # the order rows are read in
LEAD = 4  # id, release, code, is_modifier: every page reads at least these
LISTED = COLUMNS.index("coverage") + 1  # a narrow page reads no further (schema.columns)
INDEX = {name: i for i, name in enumerate(COLUMNS)}
READ = tuple(BY_COLUMN[name] for name in COLUMNS)  # FIELDS in the order rows are read

if sorted(COLUMNS) != sorted(BY_COLUMN) or len(BY_COLUMN) != len(FIELDS):
    raise ImportError("db.fields: CodeRow's columns are not FIELDS' columns")

# A row as sqlite3 returns it (a tuple in COLUMNS' order) as a CodeRow, in C: no Python
# frame and no length check per row, as CodeRow._make has.
code_row = cast(Callable[[Iterable[Any]], CodeRow], functools.partial(tuple.__new__, CodeRow))
