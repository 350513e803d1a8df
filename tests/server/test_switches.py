"""Introspection and GraphiQL are settings: either can be switched off."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import make_client


async def test_introspection_and_graphiql_can_be_switched_off(all_releases_db: Path) -> None:
    async with make_client(all_releases_db, introspection=False, graphiql=False) as client:
        response = await client.post("/graphql", json={"query": "{ __schema { types { name } } }"})
        error = response.json()["errors"][0]
        assert error["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
        assert "introspection has been disabled" in error["message"]
        page = await client.get("/graphql", headers={"Accept": "text/html"})
        assert page.status_code == 404
        ok = await client.post("/graphql", json={"query": "{ releases { name } }"})
        assert ok.json()["data"]["releases"]
    async with make_client(all_releases_db) as client:
        response = await client.post(
            "/graphql", json={"query": "{ __schema { queryType { name } } }"}
        )
        assert response.json()["data"] == {"__schema": {"queryType": {"name": "Query"}}}
