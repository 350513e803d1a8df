"""HTTP through httpx: the app in process."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from hcpcs_graph.server.app import create_app
from hcpcs_graph.server.settings import Settings

SEED = '{ hcpcsCode(code: "G6002") { code shortDescription betos { code description } } }'


@pytest.fixture
async def client(all_releases_db: Path) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(Settings(db=str(all_releases_db)))
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as c:
            yield c


async def test_post(client: httpx.AsyncClient) -> None:
    response = await client.post("/graphql", json={"query": SEED})
    assert response.status_code == 200
    assert response.json() == {
        "data": {
            "hcpcsCode": {
                "code": "G6002",
                "shortDescription": "Stereoscopic x-ray guidance",
                "betos": {"code": "I4B", "description": "Imaging/procedure - other"},
            }
        },
        "extensions": {"cost": {"requested": 2, "limit": 20000}},
    }


async def test_get_with_variables(client: httpx.AsyncClient) -> None:
    response = await client.get(
        "/graphql",
        params={
            "query": "query($c: String!) { hcpcsCode(code: $c) { code } }",
            "variables": '{"c": "e0100"}',
        },
    )
    assert response.status_code == 200
    assert response.json()["data"] == {"hcpcsCode": {"code": "E0100"}}


async def test_graphiql_for_browsers(client: httpx.AsyncClient) -> None:
    response = await client.get("/graphql", headers={"Accept": "text/html"})
    assert response.status_code == 200
    assert "graphiql" in response.text.lower()
    home = await client.get("/")  # the lookup page (tests/server/test_pages.py)
    assert home.status_code == 200 and "text/html" in home.headers["content-type"]


async def test_bad_arguments_are_200_with_coded_errors(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/graphql", json={"query": "{ hcpcsCodes(first: 600) { totalCount } }"}
    )
    assert response.status_code == 200
    [error] = response.json()["errors"]
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "argument": "first"}


async def test_malformed_body_is_400_with_a_graphql_error(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/graphql", content=b"{not json", headers={"content-type": "application/json"}
    )
    assert response.status_code == 400
    assert response.json() == {
        "errors": [
            {
                "message": "Unable to parse request body as JSON",
                "extensions": {"code": "BAD_REQUEST"},
            }
        ]
    }


async def test_request_id_is_echoed_or_made(client: httpx.AsyncClient) -> None:
    given = await client.post("/graphql", json={"query": SEED}, headers={"X-Request-ID": "abc-123"})
    assert given.headers["x-request-id"] == "abc-123"
    made = await client.post("/graphql", json={"query": SEED}, headers={"X-Request-ID": "bad id!"})
    assert len(made.headers["x-request-id"]) == 32


async def test_unexpected_errors_are_masked_and_logged(
    client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from hcpcs_graph.db import queries

    async def broken(*args: object, **kwargs: object) -> list:
        raise RuntimeError("secret internals /etc/passwd")

    monkeypatch.setattr(queries, "history", broken)
    with caplog.at_level(logging.ERROR, logger="hcpcs.errors"):
        response = await client.post(
            "/graphql",
            json={"query": '{ hcpcsCode(code: "G6002") { code history { code } } }'},
            headers={"X-Request-ID": "req-42"},
        )
    body = response.json()
    assert response.status_code == 200
    assert body["data"]["hcpcsCode"] is None
    [error] = body["errors"]
    assert error["message"] == "Internal server error"
    assert error["extensions"] == {"code": "INTERNAL_SERVER_ERROR", "requestId": "req-42"}
    assert "secret" not in response.text
    assert "req-42" in caplog.text and "secret internals" in caplog.text
