"""The GraphQL endpoint: Strawberry's ASGI view, with what a production HTTP API adds.

In order, for one request: the parameters (query, variables, operationName, extensions:
a persisted query's hash is looked up); a GET's ETag, answered 304 when the client has
it; an identical earlier answer from the response cache; else Strawberry runs it. The
answer is then labelled per GraphQL over HTTP (application/graphql-response+json when
asked for, with its status codes), given cache headers, and described in the request
state for the access log and metrics.
"""

from __future__ import annotations

from typing import Any

import orjson
from cross_web import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Receive, Scope, Send
from strawberry.asgi import GraphQL
from strawberry.exceptions import MissingQueryError
from strawberry.http import process_result
from strawberry.http.async_base_view import AsyncHTTPRequestAdapter
from strawberry.schema.exceptions import CannotGetOperationTypeError, InvalidOperationTypeError
from strawberry.types.graphql import OperationType

from db.database import Database
from schema import build_schema
from schema.context import Context
from server import http_cache
from server.admission import Admission
from server.persisted import PersistedQueries, PersistedQueryError
from server.response_cache import ResponseCache, request_key
from server.responses import HTTP_CODES, graphql_error
from server.settings import Settings

GRAPHQL_RESPONSE = "application/graphql-response+json"
JSON = "application/json"
INTROSPECTION_ANSWERS = 16


def negotiate(accept: str) -> str:
    """application/graphql-response+json when the client lists it before JSON, else JSON."""
    if GRAPHQL_RESPONSE not in accept:
        return JSON
    position = accept.find(GRAPHQL_RESPONSE)
    json_at = accept.find(JSON)
    return GRAPHQL_RESPONSE if json_at < 0 or position < json_at else JSON


class GraphQLView(GraphQL):
    def __init__(self, database: Database, settings: Settings) -> None:
        super().__init__(
            build_schema(settings.limits, introspection=settings.introspection),
            graphql_ide="graphiql" if settings.graphiql else None,
            allow_queries_via_get=True,
        )
        self.database = database
        self.settings = settings
        self.cache = ResponseCache(settings.response_cache_mb * 2**20)
        self.persisted = PersistedQueries()
        # Introspection answers depend on the schema alone: kept whatever the response
        # cache setting (GraphiQL asks on every page load; each costs ~25 ms to compute).
        self.introspection: dict[tuple, bytes] = {}
        self.cache_control = f"public, max-age={settings.cache_max_age}"
        self.admission = Admission(settings.max_concurrent, settings.time_limit)

    async def get_context(self, request: Request, response: Response) -> Context:  # type: ignore[override]
        state = request.scope.setdefault("state", {})
        context = Context(
            snapshot=state.get("snapshot") or await self.database.snapshot(),
            request_id=state.get("request_id", ""),
            time_limit=self.settings.time_limit,
            request=request,
            response=response,
        )
        state["context"] = context
        return context

    def should_render_graphql_ide(self, request: Any) -> bool:
        """GraphiQL for a browser's GET without a query; a GET carrying a persisted query's
        hash (`extensions`, no `query`) is an API call."""
        params = request.query_params
        return (
            request.method == "GET"
            and params.get("query") is None
            and params.get("extensions") is None
            and "text/html" in request.headers.get("accept", "")
        )

    def decode_json(self, data: str | bytes) -> object:
        # orjson refuses nesting deeper than 1024 (a ValueError, so a 400), where json
        # would recurse until RecursionError.
        return orjson.loads(data)

    def encode_json(self, data: object) -> bytes:
        return orjson.dumps(data)

    async def parse_http_body(self, request: AsyncHTTPRequestAdapter) -> Any:
        data = await super().parse_http_body(request)
        if not isinstance(data, list):  # batches are refused later, with their own message
            data.query = self.persisted.resolve(data.query, data.extensions)
        return data

    async def _params(self, request: Request) -> dict[str, Any] | None:
        if request.method == "GET":
            params: object = dict(request.query_params)
            extensions = params.get("extensions")  # type: ignore[union-attr]
            if isinstance(extensions, str):
                try:
                    params["extensions"] = orjson.loads(extensions)  # type: ignore[index]
                except orjson.JSONDecodeError:
                    return None
        elif request.method == "POST" and "json" in request.headers.get("content-type", ""):
            try:
                params = orjson.loads(await request.body())
            except orjson.JSONDecodeError:
                return None
        else:
            return None
        return params if isinstance(params, dict) else None

    def _known_query(self, params: dict[str, Any]) -> str | None:
        try:
            return self.persisted.resolve(params.get("query"), params.get("extensions"))
        except PersistedQueryError:
            return None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await super().__call__(scope, receive, send)
            return
        async with self.database.borrowed() as snapshot:
            scope.setdefault("state", {})["snapshot"] = snapshot
            await self._answer(scope, receive, send)

    async def _answer(self, scope: Scope, receive: Receive, send: Send) -> None:
        request = Request(scope=scope, receive=receive)
        state = scope["state"]
        snapshot = state["snapshot"]
        accept = request.headers.get("accept", "")
        media = negotiate(accept)
        params = await self._params(request)
        info: dict[str, Any] = {"operation": (params or {}).get("operationName")}
        state["graphql"] = info
        key = tag = None
        browser = (
            request.method == "GET"
            and "query" not in request.query_params
            and ("text/html" in accept)
        )
        if params is not None and not browser and (self.cache.enabled or request.method == "GET"):
            query = self._known_query(params)
            canonical = request_key(request.method, {**params, "query": query}, media)
            if canonical is not None:
                key = (snapshot.key, *canonical)
                if request.method == "GET":
                    digest = snapshot.memo.get("etag")
                    if digest is None:
                        digest = snapshot.memo["etag"] = http_cache.releases_digest(
                            snapshot.catalog
                        )
                    tag = http_cache.etag(digest, canonical)
                    if http_cache.matches(request.headers.get("if-none-match"), tag):
                        headers = {"ETag": tag, "Cache-Control": self.cache_control}
                        await Response(status_code=304, headers=headers)(scope, receive, send)
                        return
        body = self.cache.get(key) if key is not None and self.cache.enabled else None
        if body is not None:
            info["cached"] = True
            response: Response = Response(body, media_type=media)
        else:
            fast = params is not None and not browser
            if await self.admission.enter():
                try:
                    response = await (
                        self._execute(request, params) if fast else self._run(request)
                    )
                finally:
                    self.admission.leave()
            else:
                response = _busy()
                info["errors"] = ["SERVER_BUSY"]
            if self._complete(response):
                if key is not None and self.cache.enabled:
                    self.cache.put(key, bytes(response.body))
            else:
                tag = None
            self._label(response, media)
            self._describe(info, state)
        if tag is not None and response.status_code == 200:
            response.headers["ETag"] = tag
            response.headers["Cache-Control"] = self.cache_control
        elif request.method == "GET" and not browser:
            response.headers["Cache-Control"] = "no-store"
        await response(scope, receive, send)

    async def _execute(self, request: Request, params: dict[str, Any]) -> Response:
        """One operation from parameters already read: Strawberry's schema, without its
        HTTP view (which would read and check the same parameters a second time)."""
        query, variables = params.get("query"), params.get("variables")
        operation, extensions = params.get("operationName"), params.get("extensions")
        if isinstance(variables, str) and request.method == "GET":
            try:
                variables = orjson.loads(variables) if variables else None
            except orjson.JSONDecodeError:
                return _bad_request("Unable to parse request body as JSON")
        if not isinstance(query, str | None):
            return _bad_request(
                "The GraphQL operation's `query` must be a string or null, if provided."
            )
        if not isinstance(variables, dict | None):
            return _bad_request(
                "The GraphQL operation's `variables` must be an object or null, if provided."
            )
        if not isinstance(extensions, dict | None):
            return _bad_request(
                "The GraphQL operation's `extensions` must be an object or null, if provided."
            )
        if not isinstance(operation, str | None):
            return _bad_request("The GraphQL operation's `operationName` must be a string or null.")
        try:
            query = self.persisted.resolve(query, extensions)
        except PersistedQueryError as e:
            return graphql_error(e.message, e.code, status_code=200)
        introspection_key = (query, orjson.dumps(variables, option=orjson.OPT_SORT_KEYS), operation)
        if (body := self.introspection.get(introspection_key)) is not None:
            return Response(body, media_type=JSON)
        context = await self.get_context(request, Response())
        if isinstance(query, str):
            known = await self.schema.execute_known(
                query, variables, operation, context, extensions
            )
            if known is not None:
                return Response(orjson.dumps(known), media_type=JSON)
        allowed = (
            {OperationType.QUERY}
            if request.method == "GET"
            else {OperationType.QUERY, OperationType.MUTATION}
        )
        try:
            result = await self.schema.execute(
                query,
                variable_values=variables,
                context_value=context,
                operation_name=operation,
                allowed_operation_types=allowed,
            )
        except InvalidOperationTypeError:
            return _get_runs_queries_only()
        except MissingQueryError:
            return _bad_request("No GraphQL query found in the request")
        except CannotGetOperationTypeError as e:
            return _bad_request(e.as_http_error_reason())
        body = orjson.dumps(process_result(result))
        if not result.errors and result.data is not None and isinstance(query, str):
            self.schema.learn(query, operation)
        data = result.data or {}
        if not result.errors and data and all(key.startswith("__") for key in data):
            if len(self.introspection) >= INTROSPECTION_ANSWERS:
                self.introspection.clear()
            self.introspection[introspection_key] = body
        return Response(body, media_type=JSON)

    async def _run(self, request: Request) -> Response:
        try:
            return await self.run(request)
        except PersistedQueryError as e:
            return graphql_error(e.message, e.code, status_code=200)
        except HTTPException as e:
            # Strawberry answers bad requests in plain text; ours are GraphQL-shaped errors.
            if isinstance(e.__cause__, InvalidOperationTypeError) and request.method == "GET":
                return _get_runs_queries_only()
            code = HTTP_CODES.get(e.status_code, "BAD_REQUEST")
            return graphql_error(e.reason, code, status_code=e.status_code)

    @staticmethod
    def _complete(response: Response) -> bool:
        """A JSON answer without errors: safe to keep and to let others cache."""
        return (
            response.status_code == 200
            and response.media_type == JSON
            and b'"errors"' not in response.body
        )

    @staticmethod
    def _label(response: Response, media: str) -> None:
        """GraphQL over HTTP: with application/graphql-response+json, an answer without data
        (the request failed before execution) is a 400; with application/json, a 200."""
        if media != GRAPHQL_RESPONSE or response.media_type != JSON:
            return
        response.media_type = GRAPHQL_RESPONSE
        response.headers["content-type"] = GRAPHQL_RESPONSE
        failed = response.status_code == 200 and b'"errors"' in response.body
        if failed and orjson.loads(response.body).get("data") is None:
            response.status_code = 400

    @staticmethod
    def _describe(info: dict[str, Any], state: dict[str, Any]) -> None:
        context = state.get("context")
        if context is not None:
            info["operation"] = context.operation_name or info.get("operation")
            info["cost"] = context.cost
            info["errors"] = list(context.error_codes)


def _bad_request(message: str) -> Response:
    return graphql_error(message, "BAD_REQUEST", status_code=400)


def _get_runs_queries_only() -> Response:
    response = graphql_error(
        "GET requests run queries only; send mutations by POST",
        "METHOD_NOT_ALLOWED",
        status_code=405,
    )
    response.headers["Allow"] = "POST"
    return response


def _busy() -> Response:
    response = graphql_error(
        "The server is busy; try again shortly", "SERVER_BUSY", status_code=503
    )
    response.headers["Retry-After"] = "1"
    return response
