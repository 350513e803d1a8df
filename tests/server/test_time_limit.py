"""A request past its time limit is answered with a TIMEOUT error."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import make_client


async def test_time_limit_over_http(all_releases_db: Path) -> None:
    async with make_client(all_releases_db, time_limit=1e-9) as client:
        response = await client.post(
            "/graphql", json={"query": '{ hcpcsCodes(search: "a") { totalCount } }'}
        )
    assert response.status_code == 200
    [error] = response.json()["errors"]
    assert error["extensions"]["code"] == "TIMEOUT"
    assert error["message"] == "the request ran past its time limit"
