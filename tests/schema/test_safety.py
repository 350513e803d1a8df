"""User text reaches SQL only as bound parameters; switches; time limits; live reloads."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest

from hcpcs_graph.db.database import Database, QueryTimeout
from hcpcs_graph.db.load import load
from hcpcs_graph.db.sources import open_source
from tests.conftest import Run, make_client
from tests.fixtures import release_file

SEARCH = "query($s: String) { hcpcsCodes(search: $s, first: 5) { totalCount nodes { code } } }"

FTS_SYNTAX = [
    '"',
    '"wheelchair',
    "wheel*",
    "*",
    "wheelchair NEAR cane",
    "NEAR(wheelchair cane, 2)",
    "-wheelchair",
    "wheelchair - cane",
    "code:E0100",
    "short_description:cane",
    "(wheelchair",
    "wheelchair)",
    "wheelchair AND OR NOT cane",
    "^wheelchair",
    "{short_description}: cane",
    "'; DROP TABLE codes; --",
    "caf\u00e9 \u00fcber na\u00efve",
    "\u8f6e\u6905",  # wheelchair in Chinese
    "\U0001f9bd wheelchair",  # the wheelchair emoji
    "\u200b\ufeff",  # zero-width characters only
    "x" * 200,
]


@pytest.mark.parametrize("text", FTS_SYNTAX)
async def test_fts5_syntax_in_search_is_text(run: Run, text: str) -> None:
    result = await run(SEARCH, {"s": text}, errors=None)  # type: ignore[arg-type]
    if isinstance(result, dict):
        assert result["hcpcsCodes"]["totalCount"] >= 0
    else:
        [error] = result.errors
        assert error.extensions["code"] == "BAD_USER_INPUT"


async def test_operators_are_plain_words(run: Run) -> None:
    words = await run(SEARCH, {"s": "wheelchair cane"})
    operators = await run(SEARCH, {"s": 'wheelchair NEAR "cane" -'})
    near = await run(SEARCH, {"s": "near"})
    assert operators["hcpcsCodes"]["totalCount"] <= words["hcpcsCodes"]["totalCount"]
    assert near["hcpcsCodes"]["totalCount"] > 0  # "near" is a word CMS uses


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("wheel\x00chair", "search must not contain NUL characters"),
        ("x" * 201, "search is 201 characters; at most 200"),
        (" ".join(["word"] * 17), "search has 17 words; at most 16"),
        ("!!! --- ***", "search needs at least one letter or digit"),
    ],
)
async def test_refused_search_text(run: Run, text: str, message: str) -> None:
    result = await run(SEARCH, {"s": text}, errors=True)
    [error] = result.errors
    assert error.extensions == {"code": "BAD_USER_INPUT", "argument": "search"}
    assert error.message == message


@pytest.mark.parametrize(
    "value",
    ["'; DROP TABLE codes; --", "I4B' OR '1'='1", '" OR 1=1 --', "\x00", "%", "_", "\u00e9" * 50],
)
async def test_filter_strings_are_bound_parameters(run: Run, value: str) -> None:
    data = await run(
        """query($v: String!) { hcpcsCodes(filter: {betos: $v, coverage: $v, codes: [$v]}) {
            totalCount } a: hcpcsCode(code: $v) { code } }""",
        {"v": value},
    )
    assert data == {"hcpcsCodes": {"totalCount": 0}, "a": None}
    prefix = await run(
        "query($v: String) { hcpcsCodes(filter: {codePrefix: $v}) { totalCount } }", {"v": value}
    )
    assert prefix["hcpcsCodes"]["totalCount"] == 0


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


async def test_time_limit_interrupts_sqlite_in_progress(all_releases_db: Path) -> None:
    database = Database(all_releases_db, connections=1)
    async with database.opened():
        snapshot = await database.snapshot()
        endless = (
            "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n) SELECT count(*) FROM n"
        )
        started = time.monotonic()
        with pytest.raises(QueryTimeout):
            await asyncio.wait_for(
                snapshot.execute(endless, deadline=time.monotonic() + 0.2), timeout=30
            )
        assert time.monotonic() - started < 30
        # the connection is usable afterwards
        assert await snapshot.execute("SELECT 1") == [(1,)]


async def test_time_limit_over_http(all_releases_db: Path) -> None:
    async with make_client(all_releases_db, time_limit=1e-9) as client:
        response = await client.post(
            "/graphql", json={"query": '{ hcpcsCodes(search: "a") { totalCount } }'}
        )
    assert response.status_code == 200
    [error] = response.json()["errors"]
    assert error["extensions"]["code"] == "TIMEOUT"
    assert error["message"] == "the request ran past its time limit"


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
