"""Compiled plans (schema/compiled.py): a document answered once is answered again by its
plan, byte for byte as the full path answers it, and anything the plan cannot answer
exactly goes the full path."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import orjson
import pytest

from hcpcs_graph.db.database import Database
from hcpcs_graph.db.queries import CodeSet
from hcpcs_graph.schema import build_schema
from hcpcs_graph.schema.context import Context
from hcpcs_graph.schema.ids import cursor
from hcpcs_graph.schema.types.connection import CodeSource
from tests.conftest import make_client
from tests.shapes import OURS, RELEASE

schema = build_schema()  # the package builds none at import

PAGE_LIST = CodeSource(CodeSet(RELEASE, False), None, tuple).list_key  # the page shape's


async def _full(database: Database, query: str, variables: dict | None) -> bytes:
    ctx = Context(snapshot=await database.snapshot(), request_id="t")
    result = await schema.execute(query, variable_values=variables, context_value=ctx)
    answer: dict = {"data": result.data}
    if result.errors:
        answer["errors"] = [e.formatted for e in result.errors]
    answer["extensions"] = result.extensions
    return orjson.dumps(answer)


async def _known(
    database: Database, query: str, variables: dict | None, operation: str | None = None
) -> bytes | None:
    ctx = Context(snapshot=await database.snapshot(), request_id="t")
    known = await schema.execute_known(query, variables, operation, ctx)
    return None if known is None else orjson.dumps(known)


@pytest.mark.parametrize(
    ("shape", "pool"),
    [
        ("code", [{"code": c} for c in ("G6002", "E0100", "J7328", "NOPE", "k0001 ")]),
        (
            "page",
            [{"after": a} for a in (None, *(cursor(PAGE_LIST, c) for c in ("E0100", "J7000")))],
        ),
        ("search", [{"q": w} for w in ("wheelchair", "oxygen tubing", "G6002", "zzzz")]),
        ("traversal", [{"code": c} for c in ("G6002", "A4206", "NOPE")]),
    ],
)
async def test_benchmark_shapes_answer_the_same(database: Database, shape: str, pool) -> None:
    query = OURS[shape]
    first = await _full(database, query, pool[0])
    schema.learn(query, None)
    for variables in pool:
        assert await _known(database, query, variables) == await _full(database, query, variables)
    assert b'"errors"' not in first


async def test_fragments_aliases_typename_and_directives(database: Database) -> None:
    query = """
      query Q($code: String!, $withBetos: Boolean!, $noTos: Boolean = false) {
        one: hcpcsCode(code: $code, release: "2025-10") { ...Row __typename }
        two: hcpcsCode(code: "E0100", release: "2025-10") {
          code ... on HcpcsCode { shortDescription }
          betos @include(if: $withBetos) { code description family { code } }
          typesOfService @skip(if: $noTos) { code }
        }
      }
      fragment Row on HcpcsCode { code status statusDate pricingIndicators { code feeSchedule } }
    """
    schema.learn(query, "Q")
    for variables in (
        {"code": "G6002", "withBetos": True},
        {"code": "G6002", "withBetos": False, "noTos": True},
        {"code": "nope", "withBetos": True, "noTos": False},
    ):
        known = await _known(database, query, variables, "Q")
        assert known is not None
        assert known == await _full(database, query, variables)
        data = orjson.loads(known)["data"]
        assert ("betos" in data["two"]) is variables["withBetos"]
        assert ("typesOfService" in data["two"]) is not variables.get("noTos", False)


@pytest.mark.parametrize(
    ("variables", "code"),
    [
        ({"code": None}, "BAD_USER_INPUT"),  # null for String!
        ({"code": 7}, "BAD_USER_INPUT"),  # not a string
        ({}, "BAD_USER_INPUT"),  # missing
    ],
)
async def test_bad_variables_go_the_full_path(
    database: Database, variables: dict, code: str
) -> None:
    query = OURS["code"]
    schema.learn(query, None)
    assert await _known(database, query, variables) is None
    assert (
        orjson.loads(await _full(database, query, variables))["errors"][0]["extensions"]["code"]
        == code
    )


async def test_resolver_errors_and_costs_go_the_full_path(database: Database) -> None:
    query = "query R($r: String, $n: Int) { hcpcsCodes(release: $r, first: $n) { nodes { code } } }"
    schema.learn(query, None)
    assert await _known(database, query, {"r": "2025-10", "n": 3}) is not None
    # an unknown release: the resolver raises; the full path says so
    assert await _known(database, query, {"r": "1999-01", "n": 3}) is None
    full = orjson.loads(await _full(database, query, {"r": "1999-01", "n": 3}))
    assert full["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    # too costly for these variables: refused by the full path's limits
    assert await _known(database, query, {"r": "2025-10", "n": 100_000}) is None


async def test_what_is_never_compiled(database: Database) -> None:
    for query in (
        '{ __type(name: "HcpcsCode") { name } }',
        '{ node(id: "SGNwY3NDb2RlOjIwMjUtMTA6RzYwMDI") { id ... on HcpcsCode { code } } }',
        "mutation { __typename }",
    ):
        schema.learn(query, None)
        assert await _known(database, query, None) is None, query


async def test_over_http_the_second_answer_is_the_plans(all_releases_db: Path) -> None:
    body = {"query": OURS["code"], "variables": {"code": "G6002"}}
    async with make_client(all_releases_db, response_cache_mb=0) as client:
        graphql = client._transport.app.state.graphql  # type: ignore[attr-defined]
        compiled = graphql.schema.compiled
        runs = compiled.runs
        first = await client.post("/graphql", json=body)
        second = await client.post("/graphql", json=body)
        other = await client.post("/graphql", json={**body, "variables": {"code": "E0100"}})
    assert first.status_code == second.status_code == other.status_code == 200
    assert first.content == second.content
    assert orjson.loads(other.content)["data"]["hcpcsCode"]["code"] == "E0100"
    assert compiled.runs >= runs + 2


async def test_plain_resolvers_are_called_without_strawberrys_wrapper() -> None:
    """A resolver without extensions is called as Strawberry's wrapper would call it, but
    a request giving an argument Strawberry converts (an input object, an ID, a date)
    goes through the wrapper."""
    from hcpcs_graph.schema.direct import direct_resolver

    types = schema._schema.type_map
    query = types["Query"]
    calls = []

    def wrapper(source: object, info: object, **arguments: object) -> str:
        calls.append(arguments)
        return "wrapped"

    for name in ("hcpcsCodes", "node", "hcpcsCode"):
        assert direct_resolver(query.fields[name], schema, wrapper) is not None, name
    node = direct_resolver(query.fields["node"], schema, wrapper)
    assert node(None, None, id="x") == "wrapped" and calls == [{"id": "x"}]
    codes = direct_resolver(query.fields["hcpcsCodes"], schema, wrapper)
    assert codes(None, None, filter={"codePrefix": "A"}) == "wrapped"
    assert len(calls) == 2

    # null (as the default of `filter` gives every request) is passed on without the wrapper
    class Called(Exception):
        pass

    class ReleaseAsked:
        def release(self, release: str | None) -> str:
            raise Called(release)

    raw_info = SimpleNamespace(context=ReleaseAsked())
    with pytest.raises(Called):
        await codes(None, raw_info, filter=None, search="oxygen", release="2025-10")
    assert len(calls) == 2
    # a field without a resolver of its own is read as an attribute, never called
    assert direct_resolver(types["HcpcsCode"].fields["code"], schema, wrapper) is None


async def test_a_direct_resolver_answers_as_the_wrapper(database: Database) -> None:
    """The direct call passes source, arguments and Strawberry's Info as the wrapper does:
    both runs of the same plan give the same bytes."""
    query = """query($q: String!) { hcpcsCodes(search: $q, first: 3) {
        totalCount pageInfo { hasNextPage endCursor } edges { cursor node { code } }
        nodes { code betos { code codes(first: 2) { totalCount nodes { code } } } } }
      filtered: hcpcsCodes(search: $q, filter: {codePrefix: "E"}, first: 2) { nodes { code } }
      unfiltered: hcpcsCodes(search: $q, filter: null, first: 2) { nodes { code } }
      old: hcpcsCode(code: "E0100", asOf: "2017-06-01") { code release { id } } }"""
    full = await _full(database, query, {"q": "oxygen"})
    assert b'"errors"' not in full
    schema.learn(query, None)
    for words in ("oxygen", "wheelchair", "E0100"):
        known = await _known(database, query, {"q": words})
        assert known is not None
        assert known == await _full(database, query, {"q": words})


def test_strawberrys_is_type_of_is_asked_once_per_class_unless_an_object_is_cast() -> None:
    from strawberry.types.cast import TYPE_CAST_ATTRIBUTE

    from hcpcs_graph.schema.compiled import OBJECT, GiveUp, _Run, _Type
    from hcpcs_graph.schema.private_api import answers_by_class

    class Record:
        pass

    asked = []

    def is_type_of(obj: object, info: object) -> bool:  # Strawberry's, for a type `Record`
        asked.append(obj)
        cast = getattr(obj, TYPE_CAST_ATTRIBUTE, None)
        return cast is Record if cast is not None else isinstance(obj, Record)

    is_type_of.__qualname__ = (
        "GraphQLCoreConverter.from_object.<locals>._get_is_type_of.<locals>.is_type_of"
    )
    assert answers_by_class(is_type_of)
    type_ = _Type(OBJECT, True)
    type_.is_type_of, type_.passing = is_type_of, set()
    run = object.__new__(_Run)
    for _ in range(3):
        assert run.complete(type_, Record(), None) == {}
    assert len(asked) == 1 and type_.passing == {Record}
    cast_elsewhere = Record()
    setattr(cast_elsewhere, TYPE_CAST_ATTRIBUTE, object)
    with pytest.raises(GiveUp):
        run.complete(type_, cast_elsewhere, None)
    with pytest.raises(GiveUp):
        run.complete(type_, object(), None)
    assert len(asked) == 3


async def test_the_payments_shape_answers_the_same(payments_database: Database) -> None:
    """The benchmark's code page with every payment field (bench/instructions.py)."""
    query = OURS["payments"]
    first = await _full(payments_database, query, {"code": "J9035"})
    assert b'"paymentLimit":"73.19"' in first and b'"errors"' not in first
    schema.learn(query, None)
    for code in ("J9035", "E0100", "B4034", "G6002", "NOPE"):
        variables = {"code": code}
        known = await _known(payments_database, query, variables)
        assert known == await _full(payments_database, query, variables)


async def test_the_fees_shape_answers_the_same(payments_database: Database) -> None:
    """The benchmark's code page with the fee schedules of issue 19."""
    query = OURS["fees"]
    first = await _full(payments_database, query, {"code": "G2211"})
    assert b'"nonFacility":"17.34"' in first and b'"errors"' not in first
    schema.learn(query, None)
    for code in ("G2211", "J9035", "G0103", "C9067", "NOPE"):
        variables = {"code": code}
        known = await _known(payments_database, query, variables)
        assert known == await _full(payments_database, query, variables)
