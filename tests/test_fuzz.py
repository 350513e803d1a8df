"""Properties: no query generated from our schema makes the HTTP app fail (no 500, no
escape), and the same query asked again gets the same answer."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from hypothesis import HealthCheck, given, settings

from server.app import create_app
from server.settings import Settings
from tests.fuzzing import check, query_strategy


@pytest.fixture(scope="module")
def http(all_releases_db: Path) -> Iterator[tuple[asyncio.Runner, httpx.AsyncClient]]:
    runner = asyncio.Runner()
    app = create_app(Settings(db=str(all_releases_db)))
    lifespan = app.router.lifespan_context(app)
    runner.run(lifespan.__aenter__())
    # raise_app_exceptions: an exception escaping the app fails the example
    client = httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app, raise_app_exceptions=True), base_url="http://t"
    )
    try:
        yield runner, client
    finally:
        runner.run(client.aclose())
        runner.run(lifespan.__aexit__(None, None, None))
        runner.close()


@settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(query=query_strategy())
def test_generated_queries_never_break_the_server(
    http: tuple[asyncio.Runner, httpx.AsyncClient], query: str
) -> None:
    runner, client = http
    response = runner.run(client.post("/graphql", json={"query": query}))
    check(response.status_code, response.json())
    # Asked again, a document answered without errors runs by its compiled plan
    # (schema/compiled.py): the answer must not change.
    again = runner.run(client.post("/graphql", json={"query": query}))
    assert (again.status_code, again.content) == (response.status_code, response.content)
