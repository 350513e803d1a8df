"""The executor (schema/executor.py) on its own: a parsed request in, an answer out, no HTTP."""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator
from pathlib import Path

import orjson
import pytest

from hcpcs_graph.db.database import Database
from hcpcs_graph.schema import build_schema
from hcpcs_graph.schema.context import Context
from hcpcs_graph.schema.executor import Executor, GraphQLRequest, RequestError
from hcpcs_graph.schema.request import PersistedQueryError

QUERY = '{ hcpcsCode(code: "G6002") { code shortDescription } }'
HASH = hashlib.sha256(QUERY.encode()).hexdigest()
PERSISTED = {"persistedQuery": {"version": 1, "sha256Hash": HASH}}
INTROSPECTION = "{ __schema { queryType { name } } }"


@pytest.fixture
async def database(sample_db: Path) -> AsyncIterator[Database]:
    db = Database(sample_db)
    async with db.opened():
        yield db


@pytest.fixture
def executor() -> Executor:
    return Executor(build_schema())


def request(
    query: str | None, variables: dict | None = None, *, extensions: dict | None = None
) -> GraphQLRequest:
    return GraphQLRequest.of(query, variables, None, extensions)


async def context(database: Database) -> Context:
    return Context(snapshot=await database.snapshot(), request_id="t")


async def test_full_path_then_plan(executor: Executor, database: Database) -> None:
    """The first answer is the full path's and teaches the plan; the second is the plan's,
    byte for byte the same."""
    compiled = executor.schema.compiled
    first = await executor.execute(request(QUERY), await context(database))
    assert first.status == 200 and first.cacheable and first.ran and first.error_codes == []
    assert orjson.loads(first.body)["data"]["hcpcsCode"]["code"] == "G6002"
    assert compiled.knows(QUERY, None) is not None  # learned
    fallbacks: list[str] = []
    compiled.report = fallbacks.append
    second = await executor.execute(request(QUERY), await context(database))
    assert second.body == first.body and second.cacheable and fallbacks == []


async def test_errors_are_coded_and_not_cacheable(executor: Executor, database: Database) -> None:
    ctx = await context(database)
    answer = await executor.execute(request('{ hcpcsCode(code: "G6002") { nope } }'), ctx)
    assert (answer.status, answer.cacheable, answer.ran) == (200, False, False)
    assert answer.error_codes == ["GRAPHQL_VALIDATION_FAILED"]
    assert "data" not in orjson.loads(answer.body)
    ran = await executor.execute(
        request('{ release(name: "1999-01") { id } }'), await context(database)
    )
    assert ran.ran and not ran.cacheable and ran.error_codes == ["BAD_USER_INPUT"]


async def test_refusals_before_running(executor: Executor, database: Database) -> None:
    ctx = await context(database)
    missing = await executor.execute(request(None), ctx)
    assert (missing.status, missing.error_codes, missing.ran) == (400, ["BAD_REQUEST"], False)
    mutation = "mutation { x }"
    get = await executor.execute(request(mutation), ctx, queries_only=True)
    assert (get.status, get.error_codes) == (405, ["METHOD_NOT_ALLOWED"])
    subscription = await executor.execute(request("subscription { x }"), ctx)
    assert (subscription.status, subscription.error_codes) == (200, ["GRAPHQL_VALIDATION_FAILED"])


async def test_persisted_query_kept_once_it_ran(executor: Executor, database: Database) -> None:
    hash_only = request(None, extensions=PERSISTED)
    with pytest.raises(RequestError) as caught:
        executor.resolve(hash_only)
    assert caught.value.code == "PERSISTED_QUERY_NOT_FOUND"
    unknown = await executor.execute(hash_only, await context(database))
    assert (unknown.status, unknown.ran, unknown.error_codes) == (
        200, False, ["PERSISTED_QUERY_NOT_FOUND"],
    )  # fmt: skip
    assert orjson.loads(unknown.body)["errors"][0]["message"] == "PersistedQueryNotFound"
    sent = await executor.execute(request(QUERY, extensions=PERSISTED), await context(database))
    assert sent.cacheable
    assert executor.resolve(hash_only).query == QUERY
    found = await executor.execute(hash_only, await context(database))
    assert found.body == sent.body


def test_persisted_query_extension_checked_as_parsed() -> None:
    with pytest.raises(PersistedQueryError, match="provided sha does not match query"):
        request("{ releases { id } }", extensions=PERSISTED)
    with pytest.raises(PersistedQueryError, match="PersistedQueryNotSupported"):
        request(None, extensions={"persistedQuery": {"version": 2, "sha256Hash": HASH}})
    assert request(None, extensions=PERSISTED).persisted_hash == HASH


async def test_a_document_that_never_ran_is_not_persisted(
    executor: Executor, database: Database
) -> None:
    junk = "not graphql"
    digest = hashlib.sha256(junk.encode()).hexdigest()
    extensions = {"persistedQuery": {"version": 1, "sha256Hash": digest}}
    answer = await executor.execute(request(junk, extensions=extensions), await context(database))
    assert answer.error_codes == ["GRAPHQL_PARSE_FAILED"] and len(executor.persisted) == 0


async def test_introspection_answers_are_kept(executor: Executor, database: Database) -> None:
    first = await executor.execute(request(INTROSPECTION), await context(database))
    assert first.cacheable and len(executor.introspection) == 1
    ctx = await context(database)
    again = await executor.execute(request(INTROSPECTION), ctx)
    assert again.body == first.body and again.cacheable
    assert ctx.cost is None  # answered from the cache: nothing measured or run


async def test_schemas_keep_their_own_measurements(database: Database) -> None:
    """No cache at module level: each schema measures for itself."""
    one, two = Executor(build_schema()), Executor(build_schema())
    await one.execute(request(QUERY), await context(database))
    assert len(one.schema.measured) == 1 and len(two.schema.measured) == 0
