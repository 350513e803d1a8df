"""GraphQL over HTTP, HTTP caching, persisted queries, health, metrics and the access log."""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from hcpcs_graph.db.load import load
from hcpcs_graph.db.sources import open_source
from tests.conftest import make_client
from tests.fixtures import release_file

SEED = 'query Seed { hcpcsCode(code: "G6002") { code betos { code } } }'
GRAPHQL_RESPONSE = "application/graphql-response+json"


@pytest.fixture
async def client(all_releases_db: Path) -> AsyncIterator[httpx.AsyncClient]:
    async with make_client(all_releases_db) as c:
        yield c


async def test_graphql_response_json_when_asked(client: httpx.AsyncClient) -> None:
    ok = await client.post("/graphql", json={"query": SEED}, headers={"Accept": GRAPHQL_RESPONSE})
    assert ok.status_code == 200
    assert ok.headers["content-type"] == GRAPHQL_RESPONSE
    invalid = {"query": "{ nope }"}
    refused = await client.post("/graphql", json=invalid, headers={"Accept": GRAPHQL_RESPONSE})
    assert refused.status_code == 400 and refused.headers["content-type"] == GRAPHQL_RESPONSE
    legacy = await client.post("/graphql", json=invalid, headers={"Accept": "application/json"})
    assert legacy.status_code == 200 and legacy.headers["content-type"] == "application/json"
    # a field error leaves data: still a 200
    partial = await client.post(
        "/graphql",
        json={
            "query": '{ a: hcpcsCode(code: "G6002") { code } b: hcpcsCode(code: "G6002", release: "1999-01") { code } }'
        },
        headers={"Accept": f"{GRAPHQL_RESPONSE}, application/json;q=0.9"},
    )
    assert partial.status_code == 200 and partial.json()["data"]["a"] == {"code": "G6002"}


async def test_get_runs_queries_only(client: httpx.AsyncClient) -> None:
    response = await client.get("/graphql", params={"query": "mutation { x }"})
    assert response.status_code == 405
    assert response.headers["allow"] == "POST"
    assert response.json()["errors"][0]["extensions"]["code"] == "METHOD_NOT_ALLOWED"


async def test_get_answers_carry_etag_and_cache_control(tmp_path: Path) -> None:
    db = tmp_path / "h.db"
    load(db, open_source(str(release_file(tmp_path, "2019-01"))))
    async with make_client(db, cache_max_age=600) as client:
        first = await client.get("/graphql", params={"query": SEED})
        tag = first.headers["etag"]
        assert first.headers["cache-control"] == "public, max-age=600"
        again = await client.get("/graphql", params={"query": SEED})
        assert again.headers["etag"] == tag
        not_modified = await client.get(
            "/graphql", params={"query": SEED}, headers={"If-None-Match": tag}
        )
        assert not_modified.status_code == 304 and not_modified.content == b""
        assert not_modified.headers["etag"] == tag
        other = await client.get("/graphql", params={"query": "{ releases { name } }"})
        assert other.headers["etag"] != tag
        post = await client.post("/graphql", json={"query": SEED})
        assert "etag" not in post.headers
        bad = await client.get(
            "/graphql", params={"query": "{ hcpcsCodes(first: 0) { totalCount } }"}
        )
        assert bad.headers["cache-control"] == "no-store" and "etag" not in bad.headers
        load(db, open_source(str(release_file(tmp_path, "2020-01"))))
        fresh = await client.get("/graphql", params={"query": SEED}, headers={"If-None-Match": tag})
        assert fresh.status_code == 200 and fresh.headers["etag"] != tag


async def test_automatic_persisted_queries(client: httpx.AsyncClient) -> None:
    digest = hashlib.sha256(SEED.encode()).hexdigest()
    extensions = json.dumps({"persistedQuery": {"version": 1, "sha256Hash": digest}})
    unknown = await client.get("/graphql", params={"extensions": extensions})
    assert unknown.status_code == 200
    [error] = unknown.json()["errors"]
    assert error == {
        "message": "PersistedQueryNotFound",
        "extensions": {"code": "PERSISTED_QUERY_NOT_FOUND"},
    }
    registered = await client.post(
        "/graphql",
        json={
            "query": SEED,
            "extensions": {"persistedQuery": {"version": 1, "sha256Hash": digest}},
        },
    )
    assert registered.json()["data"]["hcpcsCode"]["code"] == "G6002"
    by_hash = await client.get("/graphql", params={"extensions": extensions})
    assert by_hash.json()["data"] == registered.json()["data"]
    assert "etag" in by_hash.headers
    wrong = await client.post(
        "/graphql",
        json={
            "query": "{ releases { name } }",
            "extensions": {"persistedQuery": {"sha256Hash": digest}},
        },
    )
    assert wrong.json()["errors"][0]["message"] == "provided sha does not match query"


async def test_health_and_readiness(client: httpx.AsyncClient, all_releases_db: Path) -> None:
    health = await client.get("/healthz")
    assert health.json() == {"status": "ok"}
    ready = await client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json()["status"] == "ready" and ready.json()["releases"][0] == "2026-01"
    assert ready.json()["payments"] == []  # no payment file loaded into this one


async def test_readiness_lists_the_schedule_releases(payments_db: Path) -> None:
    async with make_client(payments_db) as c:
        ready = (await c.get("/readyz")).json()
    assert ready["payments"][0] == "ndc-2025-10" and "opps-2019-01" in ready["payments"]


async def test_not_ready_without_a_database(all_releases_db: Path) -> None:
    from hcpcs_graph.server.app import create_app
    from hcpcs_graph.server.settings import Settings

    app = create_app(Settings(db=str(all_releases_db)))  # lifespan not run: nothing open
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as c:
        response = await c.get("/readyz")
    assert response.status_code == 503 and response.json()["status"] == "unavailable"


async def test_metrics(client: httpx.AsyncClient) -> None:
    await client.post("/graphql", json={"query": SEED})
    await client.post("/graphql", json={"query": "{ hcpcsCodes(first: 0) { totalCount } }"})
    text = (await client.get("/metrics")).text
    assert 'hcpcs_requests_total{operation="Seed",outcome="ok"} 1.0' in text
    assert 'hcpcs_requests_total{operation="anonymous",outcome="error"} 1.0' in text
    assert 'hcpcs_graphql_errors_total{code="BAD_USER_INPUT"} 1.0' in text
    assert 'hcpcs_release_loaded{release="2016-01"} 1.0' in text
    assert "hcpcs_request_duration_seconds_bucket" in text and "hcpcs_query_cost_count" in text


async def test_access_log_line(client: httpx.AsyncClient, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="hcpcs.access"):
        await client.post("/graphql", json={"query": SEED}, headers={"X-Request-ID": "abc"})
    [record] = [r for r in caplog.records if r.name == "hcpcs.access"]
    fields = record.fields  # type: ignore[attr-defined]
    assert fields["operation"] == "Seed" and fields["status"] == 200
    assert fields["request_id"] == "abc" and fields["cost"] == 2 and fields["errors"] == []
    assert fields["duration_ms"] > 0
