"""Identical requests are answered from memory; a new release file makes new answers."""

from __future__ import annotations

from pathlib import Path

from hcpcs_graph.db.load import load
from hcpcs_graph.db.sources import open_source
from hcpcs_graph.schema.request import GraphQLRequest as Params
from hcpcs_graph.server.response_cache import ResponseCache, request_key
from tests.conftest import make_client
from tests.fixtures import release_file

QUERY = '{ hcpcsCode(code: "G6002") { code release { name } } }'


async def test_repeated_queries_hit_and_new_releases_miss(tmp_path: Path) -> None:
    db = tmp_path / "h.db"
    load(db, open_source(str(release_file(tmp_path, "2019-01"))))
    async with make_client(db) as client:
        app = client._transport.app  # type: ignore[attr-defined]
        graphql = next(r.app for r in app.routes if getattr(r, "path", "") == "/graphql")
        cache = graphql.cache
        first = await client.post("/graphql", json={"query": QUERY})
        again = await client.post("/graphql", json={"query": QUERY})
        by_get = await client.get("/graphql", params={"query": QUERY})
        assert first.content == again.content == by_get.content
        assert (cache.hits, cache.misses) == (1, 2)  # GET and POST are keyed apart
        load(db, open_source(str(release_file(tmp_path, "2020-01"))))
        fresh = await client.post("/graphql", json={"query": QUERY})
        assert fresh.json()["data"]["hcpcsCode"]["release"]["name"] == "2020-01"
        assert cache.hits == 1


async def test_errors_are_not_cached_and_variables_are_part_of_the_key(
    all_releases_db: Path,
) -> None:
    async with make_client(all_releases_db) as client:
        app = client._transport.app  # type: ignore[attr-defined]
        cache = next(r.app for r in app.routes if getattr(r, "path", "") == "/graphql").cache
        bad = {"query": "{ hcpcsCodes(first: 0) { totalCount } }"}
        await client.post("/graphql", json=bad)
        await client.post("/graphql", json=bad)
        assert cache.hits == 0 and cache.size == 0
        query = "query($c: String!) { hcpcsCode(code: $c) { code } }"
        a = await client.post("/graphql", json={"query": query, "variables": {"c": "E0100"}})
        b = await client.post("/graphql", json={"query": query, "variables": {"c": "G6002"}})
        assert a.json()["data"] != b.json()["data"]


async def test_cache_can_be_switched_off(all_releases_db: Path) -> None:
    async with make_client(all_releases_db, response_cache_mb=0) as client:
        app = client._transport.app  # type: ignore[attr-defined]
        cache = next(r.app for r in app.routes if getattr(r, "path", "") == "/graphql").cache
        for _ in range(2):
            await client.post("/graphql", json={"query": QUERY})
        assert (cache.hits, cache.misses, cache.size) == (0, 0, 0)


def test_cache_is_bounded_and_keys_are_canonical() -> None:
    cache = ResponseCache(max_bytes=80_000)
    for i in range(200):
        cache.keep((i,), b"x" * 900)
    assert cache.size <= 80_000 and cache.get((0,)) is None and cache.get((199,)) == b"x" * 900
    cache.keep(("huge",), b"x" * 10_001)  # over an eighth of the cache: not kept
    assert cache.get(("huge",)) is None
    # the key is charged too: a long query text with a short answer fills the cache
    fresh = ResponseCache(max_bytes=80_000)
    fresh.keep(("POST", "q" * 5000, b"null", None, "application/json"), b"{}")
    assert fresh.size >= 5000
    one = request_key("POST", "q", Params.of("q", {"a": 1, "b": 2}, None, None), "")
    two = request_key("POST", "q", Params.of("q", {"b": 2, "a": 1}, None, None), "")
    assert one == two


async def test_introspection_answers_are_kept_even_with_the_cache_off(
    all_releases_db: Path,
) -> None:
    from graphql import get_introspection_query

    async with make_client(all_releases_db, response_cache_mb=0) as client:
        app = client._transport.app  # type: ignore[attr-defined]
        view = next(r.app for r in app.routes if getattr(r, "path", "") == "/graphql")
        query = {"query": get_introspection_query()}
        first = await client.post("/graphql", json=query)
        assert len(view.executor.introspection) == 1
        again = await client.post("/graphql", json=query)
        assert again.content == first.content
        assert first.json()["data"]["__schema"]["queryType"]["name"] == "Query"
        await client.post("/graphql", json={"query": QUERY})  # data: not kept here
        assert len(view.executor.introspection) == 1
