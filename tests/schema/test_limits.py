"""Hostile queries: each refused before execution with its code, never a 500 or a hang."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from graphql import parse

from tests.conftest import make_client


@pytest.fixture
async def client(sample_db: Path) -> AsyncIterator[httpx.AsyncClient]:
    async with make_client(sample_db) as c:
        yield c


async def _error(client: httpx.AsyncClient, query: str, variables: dict | None = None) -> dict:
    response = await client.post("/graphql", json={"query": query, "variables": variables})
    assert response.status_code == 200
    body = response.json()
    assert body.get("data") is None
    [error] = body["errors"]
    assert body["extensions"]["cost"]["limit"] == 20000
    return error


def nested(levels: int) -> str:
    return (
        '{ hcpcsCode(code: "G6002") '
        + "{ betos { codes(first: 1) { nodes " * levels
        + "{ code }"
        + " } } }" * levels
        + " }"
    )


async def test_depth_bomb(client: httpx.AsyncClient) -> None:
    error = await _error(client, nested(20))
    assert error["extensions"]["code"] == "QUERY_TOO_DEEP"
    assert error["message"] == "the query is more than 12 levels deep; at most 12"
    # deeper still, the parser itself gives up before building the document
    error = await _error(client, nested(100))
    assert error["extensions"]["code"] == "QUERY_TOO_DEEP"
    assert "nested too deeply" in error["message"]


async def test_depth_limit_is_exact(client: httpx.AsyncClient) -> None:
    # hcpcsCode > (betos > codes > nodes) x3 > code = 11 levels: allowed; x4 is 14
    ok = await client.post("/graphql", json={"query": nested(3)})
    assert "errors" not in ok.json()
    error = await _error(client, nested(4))
    assert error["extensions"]["code"] == "QUERY_TOO_DEEP"


async def test_alias_bomb(client: httpx.AsyncClient) -> None:
    query = "{ " + " ".join(f'a{i}: hcpcsCode(code: "G6002") {{ code }}' for i in range(31)) + " }"
    error = await _error(client, query)
    assert error["extensions"]["code"] == "TOO_MANY_ALIASES"
    assert error["message"] == "the query has 31 aliases; at most 30"


async def test_token_bomb(client: httpx.AsyncClient) -> None:
    query = "{ releases { " + "name " * 3500 + "} }"
    error = await _error(client, query)
    assert error["extensions"]["code"] == "TOO_MANY_TOKENS"


async def test_repeated_fields_that_validation_would_choke_on(client: httpx.AsyncClient) -> None:
    error = await _error(client, "{ releases { " + "name " * 1500 + "} }")
    assert error["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"


async def test_fragment_cycle(client: httpx.AsyncClient) -> None:
    query = """{ hcpcsCode(code: "G6002") { ...A } }
        fragment A on HcpcsCode { betos { codes { nodes { ...B } } } }
        fragment B on HcpcsCode { ...A }"""
    error = await _error(client, query)
    assert error["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    assert "Cannot spread fragment 'A' within itself" in error["message"]


async def test_huge_first_product(client: httpx.AsyncClient) -> None:
    query = """{ hcpcsCodes(first: 500) { nodes { betos { codes(first: 500) {
        nodes { typesOfService { codes(first: 500) { nodes { code } } } } } } } } }"""
    error = await _error(client, query)
    assert error["extensions"]["code"] == "QUERY_TOO_COSTLY"
    assert error["message"].startswith("the query could return 626,501,000 objects")


async def test_first_from_variables_counts(client: httpx.AsyncClient) -> None:
    query = """query($n: Int) { hcpcsCodes(first: $n) { nodes { betos { codes(first: $n)
        { nodes { code } } } } } }"""
    error = await _error(client, query, {"n": 500})
    assert error["extensions"]["code"] == "QUERY_TOO_COSTLY"
    ok = await client.post("/graphql", json={"query": query, "variables": {"n": 100}})
    assert ok.json()["extensions"]["cost"] == {"requested": 10_200, "limit": 20_000}


async def test_every_response_reports_its_cost(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/graphql",
        json={"query": "{ hcpcsCodes(first: 10) { nodes { code pricingIndicators { code } } } }"},
    )
    assert response.json()["extensions"]["cost"] == {"requested": 50, "limit": 20_000}


async def test_ten_megabyte_body(client: httpx.AsyncClient) -> None:
    body = b'{"query": "{ releases { name } }", "pad": "' + b"x" * 10_000_000 + b'"}'
    response = await client.post(
        "/graphql", content=body, headers={"content-type": "application/json"}
    )
    assert response.status_code == 413
    assert response.json()["errors"][0]["extensions"]["code"] == "PAYLOAD_TOO_LARGE"

    async def chunks():  # no content-length: streamed, counted as it comes
        for _ in range(200):
            yield b"x" * 50_000

    response = await client.post(
        "/graphql", content=chunks(), headers={"content-type": "application/json"}
    )
    assert response.status_code == 413


async def test_deeply_nested_lists_in_variables(client: httpx.AsyncClient) -> None:
    deep = "[" * 20_000 + "]" * 20_000
    body = '{"query": "query($c: [String!]) { hcpcsCodes(filter: {codes: $c}) { totalCount } }",'
    body += f' "variables": {{"c": {deep}}}}}'
    response = await client.post(
        "/graphql", content=body.encode(), headers={"content-type": "application/json"}
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["extensions"]["code"] == "BAD_REQUEST"
    # nesting JSON can hold, but the variable's type cannot
    error = await _error(
        client,
        "query($c: [String!]) { hcpcsCodes(filter: {codes: $c}) { totalCount } }",
        {"c": [[[["G6002"]]]]},
    )
    assert error["extensions"]["code"] == "BAD_USER_INPUT"


async def test_batches_are_refused(client: httpx.AsyncClient) -> None:
    response = await client.post("/graphql", json=[{"query": "{ releases { name } }"}] * 2)
    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert error["extensions"]["code"] == "BAD_REQUEST"


async def test_get_cannot_run_a_mutation_or_a_bad_method(client: httpx.AsyncClient) -> None:
    response = await client.put("/graphql", json={"query": "{ releases { name } }"})
    assert response.status_code == 405
    assert response.json()["errors"][0]["extensions"]["code"] == "METHOD_NOT_ALLOWED"


async def test_limits_are_settings(all_releases_db: Path) -> None:
    async with make_client(all_releases_db, max_depth=3, max_cost=10) as c:
        deep = await c.post("/graphql", json={"query": nested(1)})
        assert deep.json()["errors"][0]["extensions"]["code"] == "QUERY_TOO_DEEP"
        costly = await c.post("/graphql", json={"query": "{ hcpcsCodes { nodes { code } } }"})
        body = costly.json()
        assert body["errors"][0]["extensions"]["code"] == "QUERY_TOO_COSTLY"
        assert body["extensions"]["cost"] == {"requested": 20, "limit": 10}


def _cost(query: str) -> int:
    from hcpcs_graph.schema import build_schema
    from hcpcs_graph.schema.limits import Limits, Measurements, measure
    from hcpcs_graph.schema.private_api import graphql_schema

    schema = build_schema()
    document = parse(query)
    cost, _ = measure(
        query, document, {}, None, Limits(), graphql_schema(schema), Measurements(2**20)
    )
    return cost


@pytest.mark.parametrize(
    ("query", "cost"),
    [
        # a code, its 200 NDC rows at most, each with its schedule
        ('{ hcpcsCode(code: "J7512") { ndcs { ndc schedule { name } } } }', 1 + 200 * 2),
        # 12 DMEPOS rows at most, 53 states each
        ('{ hcpcsCode(code: "E0100") { dmeposFees { stateFees { state } } } }', 1 + 12 * 54),
        ('{ hcpcsCode(code: "J9035") { drugPricing { schedule { name } } } }', 3),
        ('{ ndc(code: "50242-0060-01") { code { code } } }', 10 * 2),
        ("{ payments { droppedRows { count } } }", 100 * 4),
        ("{ dmeposCategories { codes { code } } }", 14 * 1_201),
    ],
)
def test_payment_lists_are_bounded(query: str, cost: int) -> None:
    assert _cost(query) == cost


@pytest.mark.parametrize(
    ("query", "cost"),
    [
        # a page of an indicator's codes counts its `first` (20 when omitted)
        ('{ oppsStatusIndicator(code: "K") { codes(first: 50) { code } } }', 1 + 50),
        ("{ oppsStatusIndicators { codes { code } } }", 30 * (1 + 20)),
        ("{ ascPaymentIndicators { codes(first: 5) { code } } }", 30 * (1 + 5)),
        # a code's rows, an APC's 40 codes at most, an indicator's page
        (
            '{ hcpcsCode(code: "J9035") { outpatientPayment { apc { codes { code } } } '
            "ascPayment { paymentIndicator { codes(first: 5) { code } } } } }",
            1 + (1 + 1 + 40) + (1 + 1 + 5),
        ),
        # comparing two releases counts 200 besides its page
        (
            '{ paymentChanges(from: "opps-2019-01", to: "opps-2020-01", first: 10) { nodes { '
            "before { ... on OutpatientPayment { apc { codes { code } } } } } } }",
            200 + 10 * (1 + 1 + 1 + 40),
        ),
    ],
)
def test_facility_lists_are_bounded(query: str, cost: int) -> None:
    """Issue 19's lists: indicators' codes page by `first`, APCs hold 40 codes at most."""
    assert _cost(query) == cost
