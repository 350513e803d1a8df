"""The GraphQL endpoint: Strawberry's ASGI view, with what a production HTTP API adds.

In order, for one request: the parameters (query, variables, operationName, extensions:
a persisted query's hash is looked up); a GET's ETag, answered 304 when the client has
it; an identical earlier answer from the response cache; else Strawberry runs it. The
answer is then labelled per GraphQL over HTTP (application/graphql-response+json when
asked for, with its status codes), given cache headers, and described in the request
state for the access log and metrics.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Any

import orjson
from cross_web import AsyncHTTPRequestAdapter, HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Receive, Scope, Send
from strawberry.asgi import GraphQL
from strawberry.exceptions import MissingQueryError
from strawberry.http import GraphQLHTTPResponse, process_result
from strawberry.schema.exceptions import CannotGetOperationTypeError, InvalidOperationTypeError
from strawberry.types.graphql import OperationType

from hcpcs_graph.db.database import Database
from hcpcs_graph.schema import HcpcsSchema, build_schema
from hcpcs_graph.schema.bounded import BoundedCache
from hcpcs_graph.schema.cache import cache_of
from hcpcs_graph.schema.context import Context
from hcpcs_graph.server import http_cache
from hcpcs_graph.server.admission import Admission
from hcpcs_graph.server.params import BadRequest, Params, read_params
from hcpcs_graph.server.persisted import PersistedQueries, PersistedQueryError
from hcpcs_graph.server.response_cache import ResponseCache, key_bytes, request_key
from hcpcs_graph.server.responses import HTTP_CODES, JSONResponse, graphql_error
from hcpcs_graph.server.settings import Settings

GRAPHQL_RESPONSE = "application/graphql-response+json"
JSON = "application/json"
INTROSPECTION_BYTES = 4 * 2**20  # ~150 KB an answer: a few schemas' worth of variants
MB = 2**20
WATCH_AFTER = 0.02  # seconds a request runs before its client is watched for a hang-up


def negotiate(accept: str) -> str:
    """application/graphql-response+json when the client lists it before JSON, else JSON."""
    if GRAPHQL_RESPONSE not in accept:
        return JSON
    position = accept.find(GRAPHQL_RESPONSE)
    json_at = accept.find(JSON)
    return GRAPHQL_RESPONSE if json_at < 0 or position < json_at else JSON


class GraphQLView(GraphQL):
    schema: HcpcsSchema  # build_schema's, which __init__ hands to GraphQL

    def __init__(self, database: Database, settings: Settings) -> None:
        super().__init__(
            build_schema(
                settings.limits,
                introspection=settings.introspection,
                document_bytes=settings.document_cache_mb * MB,
                plan_bytes=settings.plan_cache_mb * MB,
            ),
            graphql_ide="graphiql" if settings.graphiql else None,
            allow_queries_via_get=True,
        )
        self.database = database
        self.settings = settings
        self.cache = ResponseCache(settings.response_cache_mb * MB)
        self.persisted = PersistedQueries(settings.persisted_queries_mb * MB)
        # Introspection answers depend on the schema alone: kept whatever the response
        # cache setting (GraphiQL asks on every page load; each costs ~25 ms to compute).
        self.introspection: BoundedCache[tuple[object, ...], bytes] = BoundedCache(
            INTROSPECTION_BYTES
        )
        self.cache_control = f"public, max-age={settings.cache_max_age}"
        self.admission = Admission(settings.max_concurrent, settings.time_limit)

    async def get_context(self, request: Request, response: Response) -> Context:  # type: ignore[override]  # HTTP only: the view serves no websockets
        state = request.scope.setdefault("state", {})
        context = Context(
            snapshot=state.get("snapshot") or await self.database.snapshot(),
            request_id=state.get("request_id", ""),
            time_limit=self.settings.time_limit,
            diff_cache_bytes=self.settings.diff_cache_mb * MB,
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
            data.query, _ = self.persisted.resolve(data.query, data.extensions)
        return data

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
        info: dict[str, Any] = {"operation": None}
        state["graphql"] = info
        browser = (
            request.method == "GET"
            and "query" not in request.query_params
            and ("text/html" in accept)
        )
        try:
            params = await read_params(request)
            query, digest = (
                self.persisted.resolve(params.query, params.extensions)
                if params is not None and not browser
                else (None, None)
            )
        except BadRequest as e:
            await self._refuse(
                _bad_request(str(e)), "BAD_REQUEST", info, media, scope, receive, send
            )
            return
        except PersistedQueryError as e:
            error = graphql_error(e.message, e.code, status_code=200)
            await self._refuse(error, e.code, info, media, scope, receive, send)
            return
        if params is not None:
            info["operation"] = params.operation_name
        key = tag = None
        cacheable = self.cache.enabled or request.method == "GET"
        if params is not None and query is not None and not browser and cacheable:
            canonical = request_key(request.method, query, params, media)
            key = (snapshot.key, *canonical)
            if request.method == "GET":
                cached = cache_of(snapshot)
                releases = cached.etag
                if releases is None:
                    releases = cached.etag = http_cache.releases_digest(snapshot.catalog)
                tag = http_cache.etag(releases, canonical)
                if http_cache.matches(request.headers.get("if-none-match"), tag):
                    headers = {"ETag": tag, "Cache-Control": self.cache_control}
                    await Response(status_code=304, headers=headers)(scope, receive, send)
                    return
        body = self.cache.get(key) if key is not None and self.cache.enabled else None
        if body is not None:
            info["cached"] = True
            response: Response = Response(body, media_type=media)
        else:
            # Strawberry's view reads the body itself: only ours can watch for a hang-up
            hang_up = HangUp(receive, state) if params is not None and not browser else None
            try:
                if await self.admission.enter():
                    try:
                        work = (
                            self._execute(request, params, query, digest)
                            if params is not None and not browser
                            else self._run(request)
                        )
                        response = await self._within_limit(work, state)
                    finally:
                        self.admission.leave()
                else:
                    response = _busy()
                    info["errors"] = ["SERVER_BUSY"]
            except asyncio.CancelledError:
                if hang_up is not None and hang_up.forgive():
                    return  # the client has gone: nobody to answer
                raise
            finally:
                if hang_up is not None:
                    hang_up.stop()
            if hang_up is not None and hang_up.gone:
                return  # it hung up as the answer was ready: nobody to send it to
            if self._complete(response):
                if key is not None and self.cache.enabled:
                    self.cache.keep(key, bytes(response.body))
            else:
                tag = None
            self._describe(info, state)
            self._label(response, media)
        if tag is not None and response.status_code == 200:
            response.headers["ETag"] = tag
            response.headers["Cache-Control"] = self.cache_control
        elif request.method == "GET" and not browser:
            response.headers["Cache-Control"] = "no-store"
        await response(scope, receive, send)

    async def _refuse(
        self, response: Response, code: str, info: dict[str, Any], media: str,
        scope: Scope, receive: Receive, send: Send,
    ) -> None:  # fmt: skip
        """Answer a request refused before it ran, with the error `code` it carries."""
        info["errors"] = [code]
        self._label(response, media)
        await response(scope, receive, send)

    async def _within_limit(self, work: Awaitable[Response], state: dict[str, Any]) -> Response:
        """`work`, stopped at the request's time limit and answered TIMEOUT. Everything an
        operation does runs in here, SQL and Python alike; no synchronous step runs long (the
        limit walks are linear, validation has a budget, long work yields), so the answer
        comes within a few tens of milliseconds of the limit."""
        limit = self.settings.time_limit
        try:
            async with asyncio.timeout(limit or None):
                return await work
        except TimeoutError:
            state["graphql"]["errors"] = ["TIMEOUT"]
            return _timeout()

    async def _execute(
        self, request: Request, params: Params, query: str | None, digest: str | None
    ) -> Response:
        """One operation from parameters already read: Strawberry's schema, without its
        HTTP view (which would read and check the same parameters a second time)."""
        variables, operation = params.variables, params.operation_name
        introspection_key = (query, params.variables_key, operation)
        if (body := self.introspection.get(introspection_key)) is not None:
            return Response(body, media_type=JSON)
        context = await self.get_context(request, Response())
        if isinstance(query, str):
            known = await self.schema.execute_known(
                query, variables, operation, context, params.extensions
            )
            if known is not None:
                if digest is not None:
                    self.persisted.remember(digest, query)
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
        except InvalidOperationTypeError as e:
            if e.operation_type == OperationType.SUBSCRIPTION:
                return _no_subscriptions()
            return _get_runs_queries_only()
        except MissingQueryError:
            return _bad_request("No GraphQL query found in the request")
        except CannotGetOperationTypeError as e:
            return _bad_request(e.as_http_error_reason())
        body = orjson.dumps(_without_unrun_data(process_result(result)))
        if result.data is not None and isinstance(query, str):
            if digest is not None:  # it ran: a valid document, worth keeping
                self.persisted.remember(digest, query)
            if not result.errors:
                self.schema.learn(query, operation)
        data = result.data or {}
        if not result.errors and data and all(key.startswith("__") for key in data):
            self.introspection.put(
                introspection_key, body, len(body) + key_bytes(introspection_key)
            )
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
        """GraphQL over HTTP: with application/graphql-response+json, an answer without a
        data entry (the request failed before execution) is a 400; with application/json, a
        200. An answer with data, even null (a request cut at its time limit did run), is a
        200 either way."""
        if media != GRAPHQL_RESPONSE or response.media_type != JSON:
            return
        response.media_type = GRAPHQL_RESPONSE
        response.headers["content-type"] = GRAPHQL_RESPONSE
        failed = response.status_code == 200 and b'"errors"' in response.body
        if failed and "data" not in orjson.loads(response.body):
            response.status_code = 400

    @staticmethod
    def _describe(info: dict[str, Any], state: dict[str, Any]) -> None:
        context = state.get("context")
        if context is not None:
            info["operation"] = context.operation_name or info.get("operation")
            info["cost"] = context.cost
            info["errors"] = [*context.error_codes, *info.get("errors", ())]


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


def _no_subscriptions() -> Response:
    return graphql_error(
        "subscriptions are not supported: this API answers queries", "GRAPHQL_VALIDATION_FAILED",
        status_code=200,
    )  # fmt: skip


def _timeout() -> Response:
    return JSONResponse(
        {
            "data": None,
            "errors": [
                {
                    "message": "the request ran past its time limit",
                    "extensions": {"code": "TIMEOUT"},
                }
            ],
        }
    )


class HangUp:
    """Cancels the request's task when its client disconnects, whether it is waiting for
    its turn or running: its work stops. Most requests are done in a few milliseconds, so
    the watch (a task reading `receive`) starts only after WATCH_AFTER seconds. The body
    is read already: what `receive` gives now is the disconnect (or the replay of a GET's
    empty body)."""

    def __init__(self, receive: Receive, state: dict[str, Any]) -> None:
        self.receive = receive
        self.state = state
        self.task = asyncio.current_task()
        self.gone = False
        self.watch: asyncio.Future[None] | None = None
        self.later = asyncio.get_running_loop().call_later(WATCH_AFTER, self._start)

    def _start(self) -> None:
        self.watch = asyncio.ensure_future(self._wait())

    async def _wait(self) -> None:
        while (await self.receive())["type"] != "http.disconnect":
            pass
        self.gone = self.state["client_gone"] = True
        if self.task is not None:
            self.task.cancel()

    def forgive(self) -> bool:
        """True when the cancellation was ours (the client has gone), now taken back."""
        return self.gone and self.task is not None and self.task.uncancel() == 0

    def stop(self) -> None:
        self.later.cancel()
        if self.watch is not None:
            self.watch.cancel()


def _busy() -> Response:
    response = graphql_error(
        "The server is busy; try again shortly", "SERVER_BUSY", status_code=503
    )
    response.headers["Retry-After"] = "1"
    return response
