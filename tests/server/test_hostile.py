"""Hostile requests: every walk over a document is linear in its size, a request's work
stops at its time limit or when its client hangs up, and no request body gets a 500."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hcpcs_graph.schema import columns, limits
from hcpcs_graph.schema.cache import cache_of
from tests.conftest import make_client

GRAPHQL_RESPONSE = "application/graphql-response+json"


@pytest.fixture
async def client(all_releases_db: Path) -> AsyncIterator[httpx.AsyncClient]:
    async with make_client(all_releases_db) as c:
        yield c


def doubling(fragments: int, on: str = "Query", inside: str = "__typename") -> str:
    """F0 spreads F1 twice, F1 spreads F2 twice...: 2^n spreads in ~10n tokens."""
    parts = [f"fragment F{i} on {on} {{ ...F{i + 1} ...F{i + 1} }}" for i in range(fragments)]
    parts.append(f"fragment F{fragments} on {on} {{ {inside} }}")
    return " ".join(parts)


class Counted:
    """Counts calls of a method while installed."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, owner: Any, name: str) -> None:
        self.calls = 0
        original = getattr(owner, name)

        def counted(*args: Any, **kwargs: Any) -> Any:
            self.calls += 1
            return original(*args, **kwargs)

        monkeypatch.setattr(owner, name, counted)


@pytest.mark.parametrize("fragments", [1, 8, 22, 40, 49])
async def test_doubling_fragments_are_walked_once_each(
    client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch, fragments: int
) -> None:
    """The red team's 941-byte document took 22 s: the limit walk visited 2^22 spreads."""
    walks = Counted(monkeypatch, limits._Measure, "walk")
    query = "{ ...F0 } " + doubling(fragments)
    response = await client.post("/graphql", json={"query": query})
    assert response.json()["data"] == {"__typename": "Query"}
    assert walks.calls <= 2 * (fragments + 2)


async def test_doubling_fragments_inside_a_page_are_walked_once_each(
    client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The width walk (the columns a page reads) follows fragments too."""
    widths = Counted(monkeypatch, columns._Walk, "width")
    walks = Counted(monkeypatch, limits._Measure, "walk")
    query = '{ hcpcsCodes(first: 2, release: "2020-01") { nodes { ...F0 } } } ' + doubling(
        30, on="HcpcsCode", inside="code shortDescription"
    )
    response = await client.post("/graphql", json={"query": query})
    body = response.json()
    assert "errors" not in body, body
    assert len(body["data"]["hcpcsCodes"]["nodes"]) == 2
    assert widths.calls <= 2 * 32
    assert walks.calls <= 4 * 32


async def test_fragments_nested_past_the_bound_are_refused(client: httpx.AsyncClient) -> None:
    chain = " ".join(f"fragment F{i} on Query {{ ...F{i + 1} }}" for i in range(60))
    query = "{ ...F0 } " + chain + " fragment F60 on Query { __typename }"
    response = await client.post("/graphql", json={"query": query})
    [error] = response.json()["errors"]
    assert error["extensions"]["code"] == "QUERY_TOO_DEEP"
    assert "fragments are spread inside fragments more than 50 deep" in error["message"]


async def test_fields_repeated_past_validations_budget_are_refused(
    client: httpx.AsyncClient,
) -> None:
    """150 copies of one field cost graphql-core ~0.3 s to compare pairwise: refused once its
    budget (schema/limits.py FIELD_MERGING_BUDGET) is spent."""
    query = "{ " + "hcpcsCodes { nodes { code } } " * 150 + "}"
    response = await client.post("/graphql", json={"query": query})
    [error] = response.json()["errors"]
    assert error["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    assert error["message"] == "the query repeats fields too often to be validated"
    # a document real clients send is far from it
    fine = "{ " + "hcpcsCodes { nodes { code } } " * 20 + "}"
    assert "errors" not in (await client.post("/graphql", json={"query": fine})).json()


DIFF = '{ releaseDiff(from: "2016-01", to: "2026-01") { totalCount } }'


async def test_a_diff_counts_for_what_it_computes(client: httpx.AsyncClient) -> None:
    response = await client.post("/graphql", json={"query": DIFF})
    assert response.json()["extensions"]["cost"]["requested"] == limits.COMPUTED["releaseDiff"]
    many = "{ " + " ".join(
        f'd{i}: releaseDiff(from: "2016-01", to: "{to}") {{ totalCount }}'
        for i, to in enumerate(["2017-01", "2018-01", "2019-01", "2020-01", "2025-10"] * 5)
    ) + " }"  # fmt: skip
    [error] = (await client.post("/graphql", json={"query": many})).json()["errors"]
    assert error["extensions"]["code"] == "QUERY_TOO_COSTLY"


def _view(client: httpx.AsyncClient) -> Any:
    app = client._transport.app  # type: ignore[attr-defined]
    return next(r.app for r in app.routes if getattr(r, "path", "") == "/graphql")


@pytest.mark.parametrize("accept", ["application/json", GRAPHQL_RESPONSE])
async def test_python_work_past_the_time_limit_is_a_timeout_and_stops(
    all_releases_db: Path, accept: str
) -> None:
    """A diff is Python work, not SQL: the limit used to cover SQLite only."""
    async with make_client(all_releases_db, time_limit=0.02) as client:
        response = await client.post("/graphql", json={"query": DIFF}, headers={"accept": accept})
        assert response.status_code == 200
        body = response.json()
        assert body["data"] is None
        [error] = body["errors"]
        assert error["extensions"]["code"] == "TIMEOUT"
        assert error["message"] == "the request ran past its time limit"
        await asyncio.sleep(0.5)  # a diff takes ~0.3 s: had it gone on, it would be kept now
        snapshot = await _view(client).database.snapshot()
        diffs = cache_of(snapshot).diffs
        assert diffs is None or ("2016-01", "2026-01") not in diffs


# A JSON POST to /graphql, as uvicorn hands it to the app: for tests that play the client's
# side of the ASGI conversation themselves (hanging up at a chosen moment).
POST_SCOPE = {
    "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1",
    "method": "POST", "scheme": "http", "path": "/graphql", "raw_path": b"/graphql",
    "query_string": b"", "root_path": "", "server": ("t", 80), "client": ("c", 1),
    "headers": [(b"content-type", b"application/json"), (b"host", b"t")],
}  # fmt: skip


@pytest.mark.parametrize("waiting", [False, True])
async def test_a_client_hanging_up_stops_its_request(
    all_releases_db: Path, caplog: pytest.LogCaptureFixture, waiting: bool
) -> None:
    """Running, or waiting for its turn (`waiting`: the one slot is taken)."""
    async with make_client(all_releases_db, max_concurrent=1, time_limit=30) as client:
        app = client._transport.app  # type: ignore[attr-defined]
        sent: list[dict] = []
        hang_up = asyncio.Event()

        async def receive() -> dict:
            if not sent:
                sent.append({"type": "body"})
                return {"type": "http.request", "body": orjson.dumps({"query": DIFF})}
            await hang_up.wait()
            return {"type": "http.disconnect"}

        async def send(message: dict) -> None:
            sent.append(message)

        scope = dict(POST_SCOPE)  # the app adds its state to the scope
        view = _view(client)
        if waiting:
            await view.admission.enter()
        with caplog.at_level(logging.INFO, logger="hcpcs.access"):
            request = asyncio.ensure_future(app(scope, receive, send))
            await asyncio.sleep(0.05)
            hang_up.set()
            await asyncio.wait_for(request, 5)
        if waiting:
            view.admission.leave()
        assert sent == [{"type": "body"}]  # nothing answered: nobody to answer
        [line] = [r for r in caplog.records if r.name == "hcpcs.access"]
        assert line.fields["status"] == 499  # type: ignore[attr-defined]
        await asyncio.sleep(0.5)
        snapshot = await _view(client).database.snapshot()
        diffs = cache_of(snapshot).diffs
        assert diffs is None or ("2016-01", "2026-01") not in diffs


async def _post_raw(client: httpx.AsyncClient, body: bytes) -> httpx.Response:
    return await client.post("/graphql", content=body, headers={"content-type": "application/json"})


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b'"{ releases { id } }"', "the request body must be a JSON object"),
        (b"7", "the request body must be a JSON object"),
        (b"null", "the request body must be a JSON object"),
        (b"true", "the request body must be a JSON object"),
        (b"[]", "batched requests are not supported: send one operation a request"),
        (b'{"query": 7}', "`query` must be a string or null, not a number"),
        (b'{"query": "{ releases { id } }", "operationName": {}}',
         "`operationName` must be a string or null, not an object"),
        (b'{"query": "{ releases { id } }", "operationName": []}',
         "`operationName` must be a string or null, not an array"),
        (b'{"query": "{ releases { id } }", "operationName": 7}',
         "`operationName` must be a string or null, not a number"),
        (b'{"query": "{ releases { id } }", "variables": []}',
         "`variables` must be an object or null, not an array"),
        (b'{"query": "{ releases { id } }", "variables": "x"}',
         "`variables` must be an object or null, not a string"),
        (b'{"query": "{ releases { id } }", "extensions": true}',
         "`extensions` must be an object or null, not a boolean"),
        (b'{"query": "{ releases { id } }", "variables": {"a": ' + b"[" * 254 + b"]" * 254
         + b"}}", "`variables` nests lists and objects more than 64 levels deep"),
    ],
)  # fmt: skip
async def test_a_body_of_the_wrong_shape_is_a_400_naming_the_field(
    client: httpx.AsyncClient, caplog: pytest.LogCaptureFixture, body: bytes, message: str
) -> None:
    with caplog.at_level(logging.INFO, logger="hcpcs.access"):
        response = await _post_raw(client, body)
    assert response.status_code == 400
    assert response.json() == {
        "errors": [{"message": message, "extensions": {"code": "BAD_REQUEST"}}]
    }
    assert len(response.headers["x-request-id"]) == 32
    [line] = [r for r in caplog.records if r.name == "hcpcs.access"]
    assert line.fields["status"] == 400 and line.fields["errors"] == ["BAD_REQUEST"]  # type: ignore[attr-defined]
    metrics = (await client.get("/metrics")).text
    assert 'hcpcs_requests_total{operation="anonymous",outcome="http_4xx"} 1.0' in metrics
    assert 'hcpcs_graphql_errors_total{code="BAD_REQUEST"} 1.0' in metrics


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"query": "{ releases { id } }", "variables": "[1]"},
         "`variables` must be an object or null, not an array"),
        ({"query": "{ releases { id } }", "variables": "{"}, "`variables` is not valid JSON"),
        ({"query": "{ releases { id } }", "extensions": "7"},
         "`extensions` must be an object or null, not a number"),
    ],
)  # fmt: skip
async def test_get_parameters_of_the_wrong_shape_are_a_400(
    client: httpx.AsyncClient, params: dict, message: str
) -> None:
    response = await client.get("/graphql", params=params)
    assert response.status_code == 400
    assert response.json()["errors"][0]["message"] == message


async def test_an_unexpected_error_is_a_500_with_the_request_id(
    all_releases_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from hcpcs_graph.server import graphql_view

    def broken(*args: object) -> None:
        raise RuntimeError("secret")

    monkeypatch.setattr(graphql_view, "negotiate", broken)
    async with make_client(all_releases_db) as client:
        client._transport.raise_app_exceptions = False  # type: ignore[attr-defined]
        response = await client.post(
            "/graphql", json={"query": "{ releases { id } }"}, headers={"x-request-id": "r-1"}
        )
    assert response.status_code == 500
    assert response.headers["x-request-id"] == "r-1"
    assert response.json()["errors"][0]["extensions"] == {
        "code": "INTERNAL_SERVER_ERROR",
        "requestId": "r-1",
    }


async def test_a_subscription_is_not_supported(client: httpx.AsyncClient) -> None:
    for method in ("POST", "GET"):
        response = await client.request(
            method,
            "/graphql",
            **(
                {"json": {"query": "subscription { releases { id } }"}}
                if method == "POST"
                else {"params": {"query": "subscription { releases { id } }"}}
            ),
        )
        [error] = response.json()["errors"]
        assert error["message"] == "subscriptions are not supported: this API answers queries"
        assert response.status_code == 200


# Any JSON value in any field of a request, by GET and by POST, with random headers.
_JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**63), max_value=2**63 - 1)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)
_QUERIES = st.sampled_from(
    [
        "{ releases { id } }",
        "query Q($c: String!) { hcpcsCode(code: $c) { code } }",
        "subscription { releases { id } }",
        "mutation { releases { id } }",
        "{ ...F } fragment F on Query { __typename }",
        "{ nope",
    ]
)
_FIELDS = st.fixed_dictionaries(
    {},
    optional={
        "query": _QUERIES | _JSON,
        "variables": st.fixed_dictionaries({"c": st.sampled_from(["G6002", "E0100"])}) | _JSON,
        "operationName": st.sampled_from(["Q", "R"]) | _JSON,
        "extensions": st.fixed_dictionaries(
            {"persistedQuery": st.fixed_dictionaries({"version": _JSON, "sha256Hash": _JSON})}
        )
        | _JSON,
    },
)
_HEADER_NAMES = st.sampled_from(
    ["accept", "content-type", "if-none-match", "x-request-id", "origin", "x-custom"]
)
_HEADER_VALUES = st.sampled_from(
    ["application/json", GRAPHQL_RESPONSE, "text/html", "*/*", '"x"', "*", "multipart/form-data"]
) | st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126), max_size=30)


def _as_text(value: object) -> str:
    return value if isinstance(value, str) else orjson.dumps(value).decode()


@settings(
    max_examples=400,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    method=st.sampled_from(["GET", "POST"]),
    body=_FIELDS | _JSON,
    headers=st.dictionaries(_HEADER_NAMES, _HEADER_VALUES, max_size=4),
)
def test_no_request_body_or_header_gets_a_5xx(
    http: tuple[asyncio.Runner, httpx.AsyncClient], method: str, body: object, headers: dict
) -> None:
    runner, client = http
    if method == "GET":
        params = {k: _as_text(v) for k, v in body.items()} if isinstance(body, dict) else {}
        request = client.get("/graphql", params=params, headers=headers)
    else:
        headers.setdefault("content-type", "application/json")
        request = client.post("/graphql", content=orjson.dumps(body), headers=headers)
    response = runner.run(request)
    assert response.status_code < 500, response.text
    assert response.headers.get("x-request-id")


async def test_a_statement_whose_request_stopped_is_interrupted(database: Any) -> None:
    """A request cut at its time limit, or whose client hung up, cancels its statement on a
    pooled connection's thread: SQLite stops it, and the connection is free again."""
    snapshot = await database.snapshot()
    endless = (
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT count(*) FROM n"
    )
    running = asyncio.ensure_future(snapshot.execute(endless))
    await asyncio.sleep(0.05)  # cut on the loop after 1 ms of CPU: now on a thread
    running.cancel()
    with pytest.raises(asyncio.CancelledError):
        await running
    # every pooled connection answers: none is still counting (it would, for ever)
    every = [conn.execute_fetchall("SELECT 1") for conn in snapshot._all]
    assert await asyncio.wait_for(asyncio.gather(*every), 10) == [[(1,)]] * len(every)
    for _ in range(100):
        if snapshot._idle.qsize() == len(snapshot._all):
            break
        await asyncio.sleep(0.01)
    assert snapshot._idle.qsize() == len(snapshot._all)
    assert await snapshot.execute("SELECT 2") == [(2,)]


async def test_a_document_of_several_operations_needs_a_name(client: httpx.AsyncClient) -> None:
    """Strawberry ran the first operation when none was named; the spec says refuse."""
    query = "query A { releases { name } } query B { releases { id } }"
    for _ in range(2):  # the second time, A has been learned (compiled) by name
        unnamed = (await client.post("/graphql", json={"query": query})).json()
        assert "data" not in unnamed
        [error] = unnamed["errors"]
        assert error["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
        assert error["message"] == (
            "the document holds 2 operations: name the one to run in operationName"
        )
        named = await client.post("/graphql", json={"query": query, "operationName": "A"})
        assert named.json()["data"]["releases"][0] == {"name": "2026-01"}


NESTED_PAGES = (
    "query($n: Int = 500) { hcpcsCodes(first: $n) "
    "{ nodes { betos { codes(first: $n) { nodes { code } } } } } }"
)


@pytest.mark.parametrize("variables", [None, {"n": 500.0}, {"n": 5e2}, {"n": "500"}, {"n": [500]}])
async def test_first_from_a_variable_counts_as_execution_reads_it(
    client: httpx.AsyncClient, variables: dict | None
) -> None:
    """A default (`$n: Int = 500`, the variable left out) or a float graphql-core takes for
    an Int counted as 20 and let 250,000 objects through; a value coercion refuses counts
    as the most a page holds."""
    body = await client.post("/graphql", json={"query": NESTED_PAGES, "variables": variables})
    answer = body.json()
    assert answer["errors"][0]["extensions"]["code"] == "QUERY_TOO_COSTLY"
    assert answer["extensions"]["cost"]["requested"] == 500 + 500 + 500 * 500  # codes, BETOS


async def test_a_null_or_small_first_still_counts_as_given(client: httpx.AsyncClient) -> None:
    for variables, cost in [({"n": None}, 20 + 20 + 20 * 20), ({"n": 3}, 3 + 3 + 3 * 3)]:
        answer = (
            await client.post("/graphql", json={"query": NESTED_PAGES, "variables": variables})
        ).json()
        assert answer["extensions"]["cost"]["requested"] == cost, variables


async def test_a_refusal_kept_for_its_query_holds_no_traceback(client: httpx.AsyncClient) -> None:
    """The cached refusal is charged a few hundred bytes: it must not keep the walk's
    frames (the document, the request's variables) alive."""
    query = "query($pad: String) { " + 'hcpcsCode(code: "G6002") { betos { codes { nodes ' * 13
    query += "{ code }" + " } } }" * 13 + " }"
    await client.post("/graphql", json={"query": query, "variables": {"pad": "x" * 50_000}})
    measured = client._transport.app.state.graphql.schema.measured  # type: ignore[attr-defined]
    refusals = [found for found in measured._entries.values() if found[0][1] is not None]
    assert refusals
    for (_, rejected), _ in refusals:
        assert rejected.__traceback__ is None and rejected.__context__ is None


async def test_a_document_keeps_a_bounded_number_of_plans(client: httpx.AsyncClient) -> None:
    """One plan per values of its @skip/@include variables: 16 of them would make 65,536."""
    from hcpcs_graph.schema.compiled import PLANS_PER_DOCUMENT

    names = [f"b{i}" for i in range(16)]
    query = (
        "query(" + ", ".join(f"${n}: Boolean!" for n in names) + ") { "
        + " ".join(f"... @include(if: ${n}) {{ {n}: releases {{ name }} }}" for n in names)
        + " }"
    )  # fmt: skip
    view = _view(client)
    for i in range(40):
        variables = {n: bool(i >> k & 1) for k, n in enumerate(names)}
        response = await client.post("/graphql", json={"query": query, "variables": variables})
        assert "errors" not in response.json()
    [(prepared, _)] = [
        v for k, v in view.schema.compiled.prepared._entries.items() if k[0] == query
    ]
    assert len(prepared.plans) <= PLANS_PER_DOCUMENT


async def test_a_client_hanging_up_mid_body_is_logged_as_such(
    all_releases_db: Path, caplog: pytest.LogCaptureFixture
) -> None:
    async with make_client(all_releases_db) as client:
        app = client._transport.app  # type: ignore[attr-defined]
        messages = iter(
            [
                {"type": "http.request", "body": b'{"query": "{ rel', "more_body": True},
                {"type": "http.disconnect"},
            ]
        )

        async def receive() -> dict:
            return next(messages)

        sent: list[dict] = []

        async def send(message: dict) -> None:
            sent.append(message)

        scope = dict(POST_SCOPE)  # the app adds its state to the scope
        with caplog.at_level(logging.INFO, logger="hcpcs.access"):
            await app(scope, receive, send)
    assert sent == []
    [line] = [r for r in caplog.records if r.name == "hcpcs.access"]
    assert line.fields["status"] == 499  # type: ignore[attr-defined]
