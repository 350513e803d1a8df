"""The registry of record fields (db/fields.py) and what is derived from it: the table on
disk, the loader, named rows, the GraphQL record's fields and bounds; and the schema's
cache per database file (schema/cache.py)."""

from __future__ import annotations

import gc
import sqlite3
from pathlib import Path

import graphql

from hcpcs_graph.db import fields, fixed_width, queries
from hcpcs_graph.db.database import Database
from hcpcs_graph.db.fields import FIELDS, CodeRow
from hcpcs_graph.db.queries import CodeSet
from hcpcs_graph.db.records import RECORD_FIELDS
from hcpcs_graph.schema import build_schema, cache, history, limits
from hcpcs_graph.schema.cache import cache_of
from hcpcs_graph.schema.context import Context

# HcpcsRecord's fields that no column holds: worked out from the row, the release or a query
COMPUTED = {"id", "release", "status", "statusDate", "changes"}

# The `codes` table as files written at SCHEMA_VERSION 2 hold it: (column, type, not
# null, primary key). Changing it needs a new SCHEMA_VERSION and a reload.
ON_DISK = [
    ("id", "INTEGER", 0, 1), ("release", "TEXT", 1, 0), ("code", "TEXT", 1, 0),
    ("is_modifier", "INTEGER", 1, 0), ("sequence", "INTEGER", 1, 0),
    ("record_id", "TEXT", 1, 0), ("long_description", "TEXT", 1, 0),
    ("short_description", "TEXT", 1, 0), ("pricing_indicators", "TEXT", 1, 0),
    ("multiple_pricing_indicator", "TEXT", 0, 0), ("cim_references", "TEXT", 1, 0),
    ("mcm_references", "TEXT", 1, 0), ("statute", "TEXT", 0, 0),
    ("lab_certifications", "TEXT", 1, 0), ("cross_references", "TEXT", 1, 0),
    ("coverage", "TEXT", 0, 0), ("asc_payment_group", "TEXT", 0, 0),
    ("asc_effective_date", "TEXT", 0, 0), ("mog_payment_group", "TEXT", 0, 0),
    ("mog_payment_policy_indicator", "TEXT", 0, 0), ("mog_effective_date", "TEXT", 0, 0),
    ("processing_note", "INTEGER", 0, 0), ("betos", "TEXT", 0, 0),
    ("types_of_service", "TEXT", 1, 0), ("anesthesia_base_units", "INTEGER", 0, 0),
    ("added_date", "TEXT", 0, 0), ("action_effective_date", "TEXT", 0, 0),
    ("termination_date", "TEXT", 0, 0), ("action_code", "TEXT", 0, 0),
]  # fmt: skip


def test_every_field_of_a_record_is_in_the_registry() -> None:
    """HcpcsRecord's Strawberry fields are declared by hand (their descriptions are the
    SDL's): this keeps them and the registry in step."""
    record = graphql.build_schema(build_schema().as_str()).get_type("HcpcsRecord")
    assert isinstance(record, graphql.GraphQLInterfaceType)
    declared = set(record.fields)
    registered = {f.name for f in FIELDS if f.name is not None}
    assert declared - COMPUTED == registered
    assert not COMPUTED & registered


def test_the_registry_is_the_table_on_disk(all_releases_db: Path) -> None:
    expected = [
        (f.column, f.sql.split()[0], int("NOT NULL" in f.sql), int("PRIMARY KEY" in f.sql))
        for f in FIELDS
    ]
    assert expected == ON_DISK
    with sqlite3.connect(f"file:{all_releases_db}?mode=ro", uri=True) as conn:
        info = conn.execute("PRAGMA table_info(codes)").fetchall()
    assert [(c[1], c[2], c[3], c[5]) for c in info] == ON_DISK


def test_a_record_has_the_registrys_columns() -> None:
    assert tuple(f.column for f in FIELDS if f.column not in ("id", "release")) == RECORD_FIELDS


def test_list_bounds_are_cms_occurrences() -> None:
    occurs = {name: n for name, _, _, n in fixed_width.LAYOUT}
    for f in FIELDS:
        if f.repeated:
            assert f.bound == occurs[f.column], f.column
        else:
            assert f.bound is None, f.column
    assert limits.LIST_BOUNDS["labCertifications"] == 8
    assert limits.LIST_BOUNDS["differences"] == len(history.COMPARED) == len(history.FIELDS)


def test_rows_are_read_in_the_order_pages_need() -> None:
    assert CodeRow._fields == queries.CODE_COLUMNS
    assert queries.CODE_COLUMNS[: fields.LEAD] == ("id", "release", "code", "is_modifier")
    assert sorted(CodeRow._fields) == sorted(f.column for f in FIELDS)


async def test_rows_are_named(database: Database) -> None:
    snapshot = await database.snapshot()
    codes = CodeSet(release="2020-01", is_modifier=False, link_field="betos")
    [rows] = (await queries.page(snapshot, codes, ["I4B"], 3, None, width=7)).values()
    pairs = await queries.referenced_by(snapshot, "2025-10", ["A4206", "E0100"])
    for row in [*rows, *await queries.history(snapshot, False, ["G6002"])]:
        assert type(row) is CodeRow
        assert row.code == row[2] and row.release == row[1]
    assert rows[0].betos == "I4B" and rows[0].sequence is queries.UNREAD
    assert all(type(row) is CodeRow for _, row in pairs)


async def test_each_database_file_has_its_own_cache(database: Database) -> None:
    snapshot = await database.snapshot()
    ctx = Context(snapshot=snapshot)
    assert ctx.cache is cache_of(snapshot) is Context(snapshot=snapshot).cache
    assert not hasattr(ctx, "objects")  # the built objects are the cache's alone
    assert not hasattr(snapshot, "memo")  # db/ holds no GraphQL objects


def test_a_cache_goes_with_its_snapshot() -> None:
    class Snapshot:  # stands for db.database.Snapshot: weakly referenced, hashed by identity
        pass

    snapshot = Snapshot()
    cache_of(snapshot).objects["x"] = 1  # type: ignore[arg-type]  # a stand-in
    assert cache_of(snapshot).objects == {"x": 1}  # type: ignore[arg-type]  # a stand-in
    del snapshot
    gc.collect()
    assert not any(isinstance(held, Snapshot) for held in cache._CACHES)
