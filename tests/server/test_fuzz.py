"""Properties: no query generated from our schema makes the HTTP app fail (no 500, no
escape), and the same query asked again gets the same answer."""

from __future__ import annotations

import asyncio

import httpx
from hypothesis import HealthCheck, given, settings

from tests.fuzzing import check, query_strategy


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
