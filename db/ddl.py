"""The database's tables. One file holds many releases; every row names its release."""

from __future__ import annotations

import re

from hcpcs_graph.db.fields import FIELDS
from hcpcs_graph.db.payments.ddl import PAYMENT_DDL

SCHEMA_VERSION = 2  # 2: one full-text index per release

# Multi-valued fields are kept twice: in order, as a JSON array on the code's row (what a
# reader shows), and one row per value in code_values (what filters and reverse links use).
_TABLES = """
CREATE TABLE IF NOT EXISTS releases (
    id TEXT PRIMARY KEY,              -- 'YYYY-MM'
    effective_date TEXT NOT NULL,     -- first day of the release's quarter month
    source_name TEXT NOT NULL,
    source_format TEXT NOT NULL,      -- txt, xlsx or xls
    sha256 TEXT NOT NULL,
    loaded_at TEXT NOT NULL,
    code_count INTEGER NOT NULL,
    modifier_count INTEGER NOT NULL,
    line_count INTEGER NOT NULL,      -- record lines (TXT) or rows (workbook) read
    note_count INTEGER NOT NULL,
    unknown_values TEXT NOT NULL,     -- JSON {field: {value: count}} of values missing from tables
    repairs TEXT NOT NULL,            -- JSON [line] of CMS quirks read in a documented way
    is_sample INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE IF NOT EXISTS codes (
    {columns of codes}
    UNIQUE (release, is_modifier, code)
);
CREATE INDEX IF NOT EXISTS codes_by_code ON codes (code, release);

CREATE TABLE IF NOT EXISTS code_values (
    release TEXT NOT NULL,
    is_modifier INTEGER NOT NULL,
    field TEXT NOT NULL,
    value TEXT NOT NULL,
    code TEXT NOT NULL,
    code_id INTEGER NOT NULL REFERENCES codes(id),
    position INTEGER NOT NULL,
    PRIMARY KEY (release, is_modifier, field, value, code, position)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS code_values_by_code ON code_values (code_id, field);

CREATE TABLE IF NOT EXISTS code_tables (
    table_name TEXT NOT NULL,
    code TEXT NOT NULL,
    description TEXT NOT NULL,
    parent TEXT,                      -- lab certification group, BETOS family
    category TEXT,                    -- pricing indicator's fee schedule, MOG body system
    PRIMARY KEY (table_name, code)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS processing_notes (
    release TEXT NOT NULL REFERENCES releases(id),
    number INTEGER NOT NULL,
    text TEXT NOT NULL,
    PRIMARY KEY (release, number)
) WITHOUT ROWID;
"""
# The columns of `codes`, from the registry (db.fields), in the order on disk.
DDL = (
    _TABLES.replace("{columns of codes}", "\n    ".join(f"{f.column} {f.sql}," for f in FIELDS))
    + PAYMENT_DDL
)

_RELEASE_ID = re.compile(r"\d{4}-\d{2}")


def fts_table(release: str) -> str:
    """The full-text index of one release's codes: one per release, so a search reads only
    the release it asks about (a shared index matched every release, then filtered)."""
    if not _RELEASE_ID.fullmatch(release):
        raise ValueError(f"not a release id: {release!r}")
    return "codes_fts_" + release.replace("-", "_")


def fts_ddl(release: str) -> list[str]:
    table = fts_table(release)
    return [
        f"CREATE VIRTUAL TABLE {table} USING fts5 ("
        " code, short_description, long_description,"
        " content='codes', content_rowid='id',"
        " tokenize='unicode61 remove_diacritics 2', prefix='2 3 4')",
        # rank: bm25 with a hit in the code weighing most, then the short description
        f"INSERT INTO {table} ({table}, rank) VALUES ('rank', 'bm25(10.0, 4.0, 1.0)')",
        f"INSERT INTO {table} (rowid, code, short_description, long_description)"
        " SELECT id, code, short_description, long_description FROM codes WHERE release = ?",
    ]


# field name in code_values -> the code table its values come from (None: not a table)
VALUE_FIELDS = {f.values: f.table for f in FIELDS if f.values is not None}
