"""Every cache is bounded in bytes of everything it holds, keys and query texts included."""

from __future__ import annotations

import gc
import hashlib
import tracemalloc
from pathlib import Path

import httpx
from graphql import get_introspection_query, parse, validate

from hcpcs_graph.schema import build_schema
from hcpcs_graph.schema.bounded import ENTRY_OVERHEAD, BoundedCache
from hcpcs_graph.schema.cache import cache_of
from hcpcs_graph.schema.documents import document_bytes
from tests.conftest import make_client

schema = build_schema()  # the package builds none at import

MB = 2**20


def test_bounded_cache_forgets_the_least_recently_used() -> None:
    cache: BoundedCache[str, str] = BoundedCache(8 * (100 + ENTRY_OVERHEAD))
    for name in "abcdefgh":
        assert cache.put(name, name, 100)
    assert cache.get("a") == "a"  # used: now the newest
    cache.put("i", "i", 100)
    assert "b" not in cache and "a" in cache and len(cache) == 8
    assert cache.size == 8 * (100 + ENTRY_OVERHEAD) <= cache.max_bytes
    assert not cache.put("huge", "x", cache.max_bytes // 8)  # too big for an eighth
    cache.put("a", "again", 100)  # replaced, not charged twice
    assert cache.size == 8 * (100 + ENTRY_OVERHEAD)


def test_many_keys_at_once_are_used_as_get_uses_them() -> None:
    each = 100 + ENTRY_OVERHEAD
    cache: BoundedCache[str, str] = BoundedCache(4 * each, largest=each)
    for name in "abcd":
        cache.put(name, name.upper(), 100)
    found: dict[str, str] = {}
    assert cache.get_into(["a", "x", "c", "y"], found) == ["x", "y"]
    assert found == {"a": "A", "c": "C"}
    assert (cache.hits, cache.misses) == (2, 2)
    cache.put("e", "E", 100)  # forgets the least recently used: b, not a or c
    assert "b" not in cache and "a" in cache and "c" in cache


SHAPES = [
    get_introspection_query(descriptions=True),
    "{ " + "__typename " * 2900 + "}",
    "{ releases { " + "name " * 2900 + "} }",
    "{ " + "hcpcsCodes { nodes { code } } " * 300 + "}",
    '{ hcpcsCode(code: "' + "x" * 60_000 + '") { code } }',
    "# " + "c" * 60_000 + "\n{ __typename }",
    "{ ...F0 } "
    + " ".join(f"fragment F{i} on Query {{ ...F{i + 1} ...F{i + 1} }}" for i in range(200))
    + " fragment F200 on Query { __typename }",
    "{ " + " ".join(f"a{i}: nope(x: {i}) {{ y }}" for i in range(400)) + " }",  # 100 errors
]


def test_a_documents_charge_covers_what_it_keeps_alive() -> None:
    for query in SHAPES:  # the schema's own memos, made by a first validation, not counted
        validate(schema._schema, parse(query))
    for query in SHAPES:
        gc.collect()
        tracemalloc.start()
        document = parse(query)
        errors = validate(schema._schema, document)
        gc.collect()  # what validation left for the collector is not kept
        held, _ = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        assert document_bytes(query, document, len(errors)) >= held, query[:40]


def _query(i: int) -> str:
    """A distinct valid query of ~60 KB (the red team's shape)."""
    return f"# {i} " + "x" * 60_000 + "\n{ releases { id } }"


async def test_distinct_large_queries_stay_within_every_bound(all_releases_db: Path) -> None:
    bound = 2  # MiB: an entry may take an eighth, and a plan of 60 KB of text is ~250 KB
    settings = {
        "response_cache_mb": bound,
        "document_cache_mb": bound,
        "plan_cache_mb": bound,
        "persisted_queries_mb": bound,
    }
    async with make_client(all_releases_db, **settings) as client:
        view = _view(client)
        for i in range(100):
            query = _query(i)
            digest = hashlib.sha256(query.encode()).hexdigest()
            extensions = {"persistedQuery": {"version": 1, "sha256Hash": digest}}
            body = {"query": query, "extensions": extensions}
            response = await client.post("/graphql", json=body)
            assert response.json()["data"]["releases"]
        caches = {
            "response": view.cache,
            "documents": view.schema.documents.cache,
            "plans": view.schema.compiled.prepared,
            "persisted": view.executor.persisted._queries,
        }
        for name, cache in caches.items():
            assert 0 < cache.size <= bound * MB, name
            assert len(cache) < 100, name  # some were forgotten to keep the bound
        assert view.schema.measured.size <= view.schema.measured.max_bytes


async def test_only_documents_that_ran_are_persisted(all_releases_db: Path) -> None:
    async with make_client(all_releases_db) as client:
        view = _view(client)
        for i in range(50):
            junk = f"not graphql {i} " + "y" * 1000
            digest = hashlib.sha256(junk.encode()).hexdigest()
            extensions = {"persistedQuery": {"version": 1, "sha256Hash": digest}}
            response = await client.post("/graphql", json={"query": junk, "extensions": extensions})
            assert response.json()["errors"][0]["extensions"]["code"] == "GRAPHQL_PARSE_FAILED"
        invalid = "{ nope }"
        digest = hashlib.sha256(invalid.encode()).hexdigest()
        extensions = {"persistedQuery": {"version": 1, "sha256Hash": digest}}
        await client.post("/graphql", json={"query": invalid, "extensions": extensions})
        assert len(view.executor.persisted) == 0 and view.executor.persisted.size == 0


async def test_diffs_are_kept_within_their_bound(all_releases_db: Path) -> None:
    async with make_client(all_releases_db, diff_cache_mb=4) as client:
        for old, new in [("2017-01", "2018-01"), ("2018-01", "2019-01"), ("2019-01", "2020-01")]:
            query = f'{{ releaseDiff(from: "{old}", to: "{new}") {{ totalCount }} }}'
            assert (await client.post("/graphql", json={"query": query})).json()["data"]
        snapshot = await _view(client).database.snapshot()
        diffs = cache_of(snapshot).diffs
        assert diffs.size <= 4 * MB and 1 <= len(diffs) < 3


def _view(client: httpx.AsyncClient):  # type: ignore[no-untyped-def]
    app = client._transport.app  # type: ignore[attr-defined]
    return next(r.app for r in app.routes if getattr(r, "path", "") == "/graphql")
