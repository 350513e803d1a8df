"""CORS: the allowed origins are a setting, and a preflight from any other is refused
with a reason."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import make_client

PREFLIGHT = {"Origin": "http://localhost:5173", "Access-Control-Request-Method": "POST"}


@pytest.mark.parametrize("origins", ["", "https://app.example"])
async def test_a_refused_preflight_is_403_naming_the_setting(
    all_releases_db: Path, origins: str
) -> None:
    async with make_client(all_releases_db, cors_origins=origins) as client:
        response = await client.options("/graphql", headers=PREFLIGHT)
    assert response.status_code == 403
    [error] = response.json()["errors"]
    assert error["extensions"]["code"] == "CORS_ORIGIN_NOT_ALLOWED"
    assert "HCPCS_CORS_ORIGINS" in error["message"]
    assert "http://localhost:5173" in error["message"]
    assert "access-control-allow-origin" not in response.headers


async def test_an_allowed_origin_is_preflighted_and_answered(all_releases_db: Path) -> None:
    origins = "https://app.example, http://localhost:5173"
    async with make_client(all_releases_db, cors_origins=origins) as client:
        preflight = await client.options(
            "/graphql", headers={**PREFLIGHT, "Access-Control-Request-Headers": "content-type"}
        )
        assert preflight.status_code == 200
        assert preflight.headers["access-control-allow-origin"] == "http://localhost:5173"
        answer = await client.post(
            "/graphql",
            json={"query": "{ releases { name } }"},
            headers={"Origin": "http://localhost:5173"},
        )
    assert answer.status_code == 200 and answer.json()["data"]["releases"]
    assert answer.headers["access-control-allow-origin"] == "http://localhost:5173"


async def test_a_plain_options_request_is_not_a_preflight(all_releases_db: Path) -> None:
    async with make_client(all_releases_db) as client:
        response = await client.options("/graphql")
    assert response.status_code == 405


async def test_cors_origins_are_a_setting(all_releases_db: Path) -> None:
    preflight = {
        "Origin": "https://billing.example",
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type",
    }
    async with make_client(all_releases_db) as client:
        response = await client.options("/graphql", headers=preflight)
        assert "access-control-allow-origin" not in response.headers
        simple = await client.get(
            "/graphql", params={"query": "{ releases { name } }"},
            headers={"Origin": "https://billing.example"},
        )  # fmt: skip
        assert "access-control-allow-origin" not in simple.headers
    async with make_client(all_releases_db, cors_origins="https://billing.example") as client:
        response = await client.options("/graphql", headers=preflight)
        assert response.status_code == 200
        assert response.headers["access-control-allow-origin"] == "https://billing.example"
        other = await client.options(
            "/graphql", headers={**preflight, "Origin": "https://evil.example"}
        )
        assert other.status_code == 403
        assert other.json()["errors"][0]["extensions"]["code"] == "CORS_ORIGIN_NOT_ALLOWED"
