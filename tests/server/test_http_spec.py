"""GraphQL over HTTP to the letter: no data entry when a request never ran."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import make_client

GRAPHQL_RESPONSE = "application/graphql-response+json"
JSON = "application/json"
DEEP = '{ hcpcsCode(code: "G6002") { betos { family { codes(first: 1) { nodes { code } } } } } }'
UNKNOWN_HASH = {"persistedQuery": {"version": 1, "sha256Hash": "ab" * 32}}
# Requests refused before execution: (name, request, code, status with application/json).
REFUSED: list[tuple[str, dict[str, Any], str, int]] = [
    ("parse", {"json": {"query": "{"}}, "GRAPHQL_PARSE_FAILED", 200),
    ("validation", {"json": {"query": "{ nope }"}}, "GRAPHQL_VALIDATION_FAILED", 200),
    ("depth", {"json": {"query": DEEP}}, "QUERY_TOO_DEEP", 200),
    ("cost", {"json": {"query": "{ hcpcsCodes(first: 500) { nodes { code } } }"}},
     "QUERY_TOO_COSTLY", 200),
    ("variables", {"json": {"query": 'query($c: String!) { hcpcsCode(code: $c) { code } }',
                            "variables": {"c": 7}}}, "BAD_USER_INPUT", 200),
    ("persisted", {"json": {"extensions": UNKNOWN_HASH}}, "PERSISTED_QUERY_NOT_FOUND", 200),
    ("subscription", {"json": {"query": "subscription { x }"}}, "GRAPHQL_VALIDATION_FAILED", 200),
    ("bad JSON", {"content": b"{", "headers": {"content-type": JSON}}, "BAD_REQUEST", 400),
    ("no query", {"json": {"qeury": "{ releases { name } }"}}, "BAD_REQUEST", 400),
]  # fmt: skip


@pytest.fixture
async def client(sample_db: Path) -> AsyncIterator[httpx.AsyncClient]:
    async with make_client(sample_db, max_depth=3, max_cost=100) as c:
        yield c


@pytest.mark.parametrize(("name", "request_", "code", "json_status"), REFUSED, ids=lambda v: v)
async def test_a_request_refused_before_execution_has_no_data_entry(
    client: httpx.AsyncClient, name: str, request_: dict[str, Any], code: str, json_status: int
) -> None:
    headers = request_.get("headers", {})
    sent = {k: v for k, v in request_.items() if k != "headers"}
    spec = await client.post("/graphql", **sent, headers={**headers, "accept": GRAPHQL_RESPONSE})
    assert spec.status_code == 400, name
    assert spec.headers["content-type"] == GRAPHQL_RESPONSE
    body = spec.json()
    assert "data" not in body and body["errors"][0]["extensions"]["code"] == code
    legacy = await client.post("/graphql", **sent, headers={**headers, "accept": JSON})
    assert legacy.status_code == json_status
    body = legacy.json()
    assert "data" not in body and body["errors"][0]["extensions"]["code"] == code


@pytest.mark.parametrize("accept", [JSON, GRAPHQL_RESPONSE])
async def test_a_request_cut_at_its_time_limit_ran_so_keeps_data_null(
    all_releases_db: Path, accept: str
) -> None:
    diff = '{ releaseDiff(from: "2016-01", to: "2026-01") { totalCount } }'
    async with make_client(all_releases_db, time_limit=0.01) as client:
        response = await client.post("/graphql", json={"query": diff}, headers={"accept": accept})
    assert response.status_code == 200
    body = response.json()
    assert "data" in body and body["data"] is None
    assert body["errors"][0]["extensions"]["code"] == "TIMEOUT"


async def test_a_field_error_keeps_data(client: httpx.AsyncClient) -> None:
    query = '{ hcpcsCode(code: "G6002", release: "1999-01") { code } }'
    response = await client.post("/graphql", json={"query": query}, headers={"accept": JSON})
    body = response.json()
    assert response.status_code == 200 and body["data"] == {"hcpcsCode": None}
    assert body["errors"][0]["path"] == ["hcpcsCode"]
