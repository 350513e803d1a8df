"""A release loaded while the server runs is served without a restart."""

from __future__ import annotations

from pathlib import Path

from hcpcs_graph.db.load import load
from hcpcs_graph.db.sources import open_source
from tests.conftest import make_client
from tests.fixtures import release_file


async def test_a_release_loaded_while_serving_shows_without_restart(tmp_path: Path) -> None:
    db = tmp_path / "h.db"
    load(db, open_source(str(release_file(tmp_path, "2019-01"))))
    query = {"query": '{ hcpcsCode(code: "G6002") { release { name } } releases { name } }'}
    async with make_client(db) as client:
        before = (await client.post("/graphql", json=query)).json()["data"]
        load(db, open_source(str(release_file(tmp_path, "2020-01"))))
        after = (await client.post("/graphql", json=query)).json()["data"]
    assert before["hcpcsCode"]["release"]["name"] == "2019-01"
    assert after["hcpcsCode"]["release"]["name"] == "2020-01"
    assert [r["name"] for r in after["releases"]] == ["2020-01", "2019-01"]
