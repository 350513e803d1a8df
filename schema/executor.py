"""The one place a GraphQL request runs: a parsed request and a context in, an answer out.

Every front end (the HTTP view, server/graphql_view.py) reads its requests into a
GraphQLRequest (schema/request.py) and hands it here. The executor owns what depends on
the schema alone: persisted queries, introspection answers, and the choice between a
learned document's compiled plan (schema/compiled.py) and the full path (Strawberry),
which teaches the plans. What it returns is finished bytes with what a front end needs
to label, cache and log them; caching by request, admission and time limits are the
front end's.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import orjson
from strawberry.exceptions import MissingQueryError
from strawberry.http import GraphQLHTTPResponse, process_result
from strawberry.schema.exceptions import CannotGetOperationTypeError, InvalidOperationTypeError
from strawberry.types.graphql import OperationType

from hcpcs_graph.schema import HcpcsSchema
from hcpcs_graph.schema.bounded import BoundedCache
from hcpcs_graph.schema.context import Context
from hcpcs_graph.schema.persisted import PersistedQueries
from hcpcs_graph.schema.request import GraphQLRequest, RequestError

__all__ = ["Answer", "Executor", "GraphQLRequest", "RequestError"]

INTROSPECTION_BYTES = 4 * 2**20  # ~150 KB an answer: a few schemas' worth of variants
PERSISTED_BYTES = 8 * 2**20
QUERIES = frozenset({OperationType.QUERY})
QUERIES_AND_MUTATIONS = frozenset({OperationType.QUERY, OperationType.MUTATION})


@dataclass(frozen=True, slots=True)
class Answer:
    body: bytes  # the JSON response
    status: int = 200  # over HTTP with application/json (GraphQL over HTTP)
    # no errors: the same request gets the same bytes while the database file stays
    cacheable: bool = False
    # the body has a data entry: the operation began executing. Without one, an answer
    # with errors failed before execution (a 400 with application/graphql-response+json).
    ran: bool = True
    error_codes: list[str] = field(default_factory=list)

    @classmethod
    def refusal(cls, message: str, code: str, status: int = 200) -> Answer:
        """An answer to a request that never ran: one error, no data."""
        body = orjson.dumps({"errors": [{"message": message, "extensions": {"code": code}}]})
        return cls(body, status, ran=False, error_codes=[code])

    @classmethod
    def refusing(cls, error: RequestError) -> Answer:
        return cls.refusal(error.message, error.code, error.status)


class Executor:
    def __init__(
        self,
        schema: HcpcsSchema,
        *,
        persisted_bytes: int = PERSISTED_BYTES,
        introspection_bytes: int = INTROSPECTION_BYTES,
    ) -> None:
        self.schema = schema
        self.persisted = PersistedQueries(persisted_bytes)
        # Introspection answers depend on the schema alone: kept whatever a front end's
        # response cache does (GraphiQL asks on every page load; each costs ~25 ms).
        self.introspection: BoundedCache[tuple[object, ...], bytes] = BoundedCache(
            introspection_bytes
        )

    def resolve(self, request: GraphQLRequest) -> GraphQLRequest:
        """The request with the query its persisted hash names; raises RequestError
        (PERSISTED_QUERY_NOT_FOUND) for a hash not kept. A front end calls it first when
        it needs the query text (to key a cache); `execute` calls it anyway, at no cost."""
        if request.persisted_hash is None:
            return request
        query, digest = self.persisted.look_up(request.query, request.persisted_hash)
        return request._replace(query=query, persisted_hash=digest)

    async def execute(
        self, request: GraphQLRequest, context: Context, *, queries_only: bool = False
    ) -> Answer:
        """`queries_only`: mutations are refused (METHOD_NOT_ALLOWED, a 405: a GET's)."""
        try:
            request = self.resolve(request)
        except RequestError as e:
            return Answer.refusing(e)
        query, variables, operation = request.query, request.variables, request.operation_name
        introspection_key = (query, request.variables_key, operation)
        if (body := self.introspection.get(introspection_key)) is not None:
            return Answer(body, cacheable=True)
        if isinstance(query, str):
            known = await self.schema.execute_known(
                query, variables, operation, context, request.extensions
            )
            if known is not None:
                if request.persisted_hash is not None:
                    self.persisted.remember(request.persisted_hash, query)
                return Answer(orjson.dumps(known), cacheable=True, error_codes=context.error_codes)
        try:
            result = await self.schema.execute(
                query,
                variable_values=variables,
                context_value=context,
                operation_name=operation,
                allowed_operation_types=QUERIES if queries_only else QUERIES_AND_MUTATIONS,
            )
        except InvalidOperationTypeError as e:
            if e.operation_type == OperationType.SUBSCRIPTION:
                return Answer.refusal(
                    "subscriptions are not supported: this API answers queries",
                    "GRAPHQL_VALIDATION_FAILED",
                )
            return Answer.refusal(
                "GET requests run queries only; send mutations by POST", "METHOD_NOT_ALLOWED", 405
            )
        except MissingQueryError:
            return Answer.refusal("No GraphQL query found in the request", "BAD_REQUEST", 400)
        except CannotGetOperationTypeError as e:
            return Answer.refusal(e.as_http_error_reason(), "BAD_REQUEST", 400)
        payload = _without_unrun_data(process_result(result))
        body = orjson.dumps(payload)
        if result.data is not None and isinstance(query, str):
            if request.persisted_hash is not None:  # it ran: a valid document, worth keeping
                self.persisted.remember(request.persisted_hash, query)
            if not result.errors:
                self.schema.learn(query, operation)
        data = result.data or {}
        if not result.errors and data and all(key.startswith("__") for key in data):
            self.introspection.put(
                introspection_key, body, len(body) + _key_bytes(introspection_key)
            )
        return Answer(
            body, cacheable=not result.errors, ran="data" in payload,
            error_codes=context.error_codes,
        )  # fmt: skip


def _key_bytes(key: tuple[object, ...]) -> int:
    return sum(len(part) if isinstance(part, str | bytes) else 8 for part in key)


def _without_unrun_data(payload: GraphQLHTTPResponse) -> GraphQLHTTPResponse:
    """The answer without its data entry when the request never ran (the GraphQL spec: "If
    an error was raised before execution begins, the data entry should not be present"):
    data is null and every error is a request error (parse, validation, limits, variables),
    which has no path. A timeout or an unexpected error may stop an operation that ran."""
    errors = payload.get("errors")
    if payload.get("data") is not None or not errors:
        return payload
    ran = ("TIMEOUT", "INTERNAL_SERVER_ERROR")
    if any(
        isinstance(e, dict) and ("path" in e or e.get("extensions", {}).get("code") in ran)
        for e in errors
    ):
        return payload
    unrun = payload.copy()
    unrun.pop("data", None)
    return unrun
