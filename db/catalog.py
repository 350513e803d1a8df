"""The small, immutable part of a database, read once per open: releases, code tables, notes.

Resolvers decode every coded value from here without a query.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from hcpcs_graph.db.queries import Row

CATALOG_QUERIES = {
    "releases": (
        "SELECT id, effective_date, source_name, source_format, sha256, loaded_at, code_count,"
        " modifier_count, line_count, note_count, unknown_values, repairs, is_sample"
        " FROM releases ORDER BY id"
    ),
    "tables": "SELECT table_name, code, description, parent, category FROM code_tables",
    "notes": "SELECT release, number, text FROM processing_notes",
}
# Payment schedule releases (issue 18): a file loaded before them has no such table.
HAS_PAYMENTS = (
    "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'payment_releases'"
)
PAYMENTS_QUERY = (
    "SELECT id, kind, effective_from, effective_through, title, source_name, source_format,"
    " sha256, loaded_at, row_count, code_count, dropped FROM payment_releases"
    " ORDER BY effective_from, id"
)


@dataclass(frozen=True, slots=True)
class ReleaseRow:
    id: str
    effective_date: str
    source_name: str
    source_format: str
    sha256: str
    loaded_at: str
    code_count: int
    modifier_count: int
    line_count: int
    note_count: int
    unknown_values: dict[str, dict[str, int]]
    repairs: list[str]
    is_sample: bool

    @classmethod
    def from_row(cls, row: Row) -> ReleaseRow:
        """A row of CATALOG_QUERIES["releases"]."""
        (
            id_, effective_date, source_name, source_format, sha256, loaded_at, code_count,
            modifier_count, line_count, note_count, unknown_values, repairs, is_sample,
        ) = row  # fmt: skip
        return cls(
            id_, effective_date, source_name, source_format, sha256, loaded_at, code_count,
            modifier_count, line_count, note_count,
            unknown_values=json.loads(unknown_values),
            repairs=json.loads(repairs),
            is_sample=bool(is_sample),
        )  # fmt: skip


@dataclass(frozen=True, slots=True)
class PaymentReleaseRow:
    """A loaded release of a payment schedule (db/payments/ddl.py), e.g. asp-2025-01."""

    id: str
    kind: str  # asp, ndc, dmepos or dmepen
    effective_from: str
    effective_through: str | None  # None: until the kind's next loaded release
    title: str
    source_name: str
    source_format: str
    sha256: str
    loaded_at: str
    row_count: int
    code_count: int
    dropped: dict[str, int]  # reason (CPT, CDT, other) -> rows not stored

    @classmethod
    def from_row(cls, row: Row) -> PaymentReleaseRow:
        """A row of PAYMENTS_QUERY."""
        (
            id_, kind, effective_from, effective_through, title, source_name, source_format,
            sha256, loaded_at, row_count, code_count, dropped,
        ) = row  # fmt: skip
        return cls(
            id_, kind, effective_from, effective_through, title, source_name, source_format,
            sha256, loaded_at, row_count, code_count, dropped=json.loads(dropped),
        )  # fmt: skip


@dataclass(frozen=True, slots=True)
class TableEntry:
    table: str
    code: str
    description: str | None  # None for a value found in data but missing from CMS's table
    parent: str | None = None
    category: str | None = None


@dataclass(slots=True)
class Catalog:
    releases: list[ReleaseRow]  # oldest first
    tables: dict[str, dict[str, TableEntry]]
    notes: dict[tuple[str, int], str]
    payments: list[PaymentReleaseRow] = field(default_factory=list)  # oldest start first
    release_ids: frozenset[str] = field(init=False)

    def __post_init__(self) -> None:
        self.release_ids = frozenset(r.id for r in self.releases)

    @property
    def newest(self) -> str | None:
        real = [r.id for r in self.releases]
        return real[-1] if real else None

    def entry(self, table: str, code: str) -> TableEntry:
        found = self.tables.get(table, {}).get(code)
        return found if found is not None else TableEntry(table, code, None)

    def release(self, release_id: str) -> ReleaseRow | None:
        return next((r for r in self.releases if r.id == release_id), None)

    def payment(self, release_id: str) -> PaymentReleaseRow | None:
        return next((p for p in self.payments if p.id == release_id), None)

    def payment_in_force(self, kind: str, date: str) -> PaymentReleaseRow | None:
        """The release of `kind` in force on `date` (ISO): of those whose period holds it,
        the latest to start (a correction for part of a quarter wins inside its period; the
        quarter's release holds outside it). A period without an end holds until a later
        release of the kind starts."""
        holding = [
            p
            for p in self.payments
            if p.kind == kind
            and p.effective_from <= date
            and (p.effective_through is None or date <= p.effective_through)
        ]
        return holding[-1] if holding else None

    def latest_payment(self, kind: str) -> PaymentReleaseRow | None:
        """The loaded release of `kind` that starts last."""
        of_kind = [p for p in self.payments if p.kind == kind]
        return of_kind[-1] if of_kind else None

    @classmethod
    def from_rows(
        cls,
        releases: list[Row],
        tables: list[Row],
        notes: list[Row],
        payments: list[Row] | None = None,
    ) -> Catalog:
        by_table: dict[str, dict[str, TableEntry]] = {}
        for table, code, description, parent, category in tables:
            by_table.setdefault(table, {})[code] = TableEntry(
                table, code, description, parent, category
            )
        return cls(
            releases=[ReleaseRow.from_row(row) for row in releases],
            tables=by_table,
            notes={(release, number): text for release, number, text in notes},
            payments=[PaymentReleaseRow.from_row(row) for row in payments or ()],
        )
