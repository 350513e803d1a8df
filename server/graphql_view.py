"""The GraphQL endpoint: HTTP around the executor (schema/executor.py), which runs every
GraphQL request.

In order, for one request: its parameters, read and checked once (server/params.py); a
persisted query's hash looked up (by the executor); a GET's ETag, answered 304 when the
client has it; an identical earlier answer from the response cache; else, once admitted
(server/admission.py) and within the time limit, the executor's answer. The answer is
then labelled per GraphQL over HTTP (application/graphql-response+json when asked for,
with its status codes), given cache headers, and described in the request state
(server/request_state.py) for the access log and metrics.

Strawberry's own view answers only what never runs an operation: GraphiQL for a
browser, and methods and content types that carry no GraphQL request.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import TypeVar

from cross_web import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Receive, Scope, Send
from strawberry.asgi import GraphQL

from hcpcs_graph.db.database import Database
from hcpcs_graph.schema import HcpcsSchema
from hcpcs_graph.schema.cache import cache_of
from hcpcs_graph.schema.context import Context
from hcpcs_graph.schema.executor import Answer, Executor, GraphQLRequest, RequestError
from hcpcs_graph.server import http_cache
from hcpcs_graph.server.admission import Admission
from hcpcs_graph.server.params import read_params
from hcpcs_graph.server.request_state import Outcome, RequestState, request_state
from hcpcs_graph.server.response_cache import ResponseCache, request_key
from hcpcs_graph.server.responses import HTTP_CODES, JSONResponse, graphql_error
from hcpcs_graph.server.settings import Settings

GRAPHQL_RESPONSE = "application/graphql-response+json"
JSON = "application/json"
MB = 2**20
WATCH_AFTER = 0.02  # seconds a request runs before its client is watched for a hang-up
T = TypeVar("T")


def negotiate(accept: str) -> str:
    """application/graphql-response+json when the client lists it before JSON, else JSON."""
    if GRAPHQL_RESPONSE not in accept:
        return JSON
    position = accept.find(GRAPHQL_RESPONSE)
    json_at = accept.find(JSON)
    return GRAPHQL_RESPONSE if json_at < 0 or position < json_at else JSON


class GraphQLView(GraphQL):
    schema: HcpcsSchema  # the executor's, which __init__ hands to GraphQL

    def __init__(self, database: Database, settings: Settings, executor: Executor) -> None:
        super().__init__(
            executor.schema,
            graphql_ide="graphiql" if settings.graphiql else None,
            allow_queries_via_get=True,
        )
        self.database = database
        self.settings = settings
        self.executor = executor
        self.cache = ResponseCache(settings.response_cache_mb * MB)
        self.cache_control = f"public, max-age={settings.cache_max_age}"
        self.admission = Admission(settings.max_concurrent, settings.time_limit)

    async def get_context(self, request: Request, response: Response) -> Context:  # type: ignore[override]  # HTTP only: the view serves no websockets
        state = request_state(request.scope)
        context = Context(
            snapshot=state.snapshot or await self.database.snapshot(),
            request_id=state.request_id,
            time_limit=self.settings.time_limit,
            diff_cache_bytes=self.settings.diff_cache_mb * MB,
            claim_cache_bytes=self.settings.claim_cache_mb * MB,
            request=request,
            response=response,
        )
        state.context = context
        return context

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await super().__call__(scope, receive, send)
            return
        state = request_state(scope)
        async with self.database.borrowed() as snapshot:
            state.snapshot = snapshot
            await self._answer(scope, receive, send, state)

    async def _answer(
        self, scope: Scope, receive: Receive, send: Send, state: RequestState
    ) -> None:
        request = Request(scope=scope, receive=receive)
        snapshot = state.snapshot
        assert snapshot is not None  # borrowed by __call__
        accept = request.headers.get("accept", "")
        media = negotiate(accept)
        outcome = state.graphql = Outcome()
        get = request.method == "GET"
        browser = (
            get
            and "query" not in request.query_params
            and "extensions" not in request.query_params
            and ("text/html" in accept)
        )
        try:
            params = await read_params(request)
            if params is not None and not browser:
                params = self.executor.resolve(params)
        except RequestError as e:
            outcome.errors = [e.code]
            await self._from(Answer.refusing(e), media)(scope, receive, send)
            return
        if params is not None:
            outcome.operation = params.operation_name
        runs = params is not None and not browser
        key = tag = None
        cacheable = self.cache.enabled or get
        if params is not None and params.query is not None and runs and cacheable:
            canonical = request_key(request.method, params.query, params, media)
            key = (snapshot.key, *canonical)
            if get:
                cached = cache_of(snapshot)
                releases = cached.etag
                if releases is None:  # not yet made for this file
                    releases = cached.etag = http_cache.releases_digest(snapshot.catalog)
                tag = http_cache.etag(releases, canonical)
                if http_cache.matches(request.headers.get("if-none-match"), tag):
                    headers = {"ETag": tag, "Cache-Control": self.cache_control}
                    await Response(status_code=304, headers=headers)(scope, receive, send)
                    return
        body = self.cache.get(key) if key is not None and self.cache.enabled else None
        if body is not None:
            outcome.cached = True
            response: Response = Response(body, media_type=media)
        else:
            # Strawberry's view reads the body itself: only ours can watch for a hang-up
            hang_up = HangUp(receive, state) if runs else None
            answer: Answer | None = None
            try:
                if await self.admission.enter():
                    try:
                        if params is not None and runs:
                            answer = await self._within_limit(
                                self._execute(request, params, get), outcome
                            )
                            response = self._from(answer, media) if answer else _timeout()
                        else:
                            page = await self._within_limit(self._run(request), outcome)
                            response = page or _timeout()
                    finally:
                        self.admission.leave()
                else:
                    response = _busy()
                    outcome.errors = ["SERVER_BUSY"]
            except asyncio.CancelledError:
                if hang_up is not None and hang_up.forgive():
                    return  # the client has gone: nobody to answer
                raise
            finally:
                if hang_up is not None:
                    hang_up.stop()
            if hang_up is not None and hang_up.gone:
                return  # it hung up as the answer was ready: nobody to send it to
            if answer is not None and answer.cacheable:
                if key is not None and self.cache.enabled:
                    self.cache.keep(key, answer.body)
            else:
                tag = None
            _describe(outcome, state.context, answer)
            if answer is None:
                response = _labelled(response, media)
        if tag is not None and response.status_code == 200:
            response.headers["ETag"] = tag
            response.headers["Cache-Control"] = self.cache_control
        elif get and not browser:
            response.headers["Cache-Control"] = "no-store"
        await response(scope, receive, send)

    async def _within_limit(self, work: Awaitable[T], outcome: Outcome) -> T | None:
        """`work`, stopped at the request's time limit (None: it was, answer TIMEOUT).
        Everything an operation does runs in here, SQL and Python alike; no synchronous
        step runs long (the limit walks are linear, validation has a budget, long work
        yields), so the answer comes within a few tens of milliseconds of the limit."""
        limit = self.settings.time_limit
        try:
            async with asyncio.timeout(limit or None):
                return await work
        except TimeoutError:
            outcome.errors = ["TIMEOUT"]
            return None

    async def _execute(self, request: Request, params: GraphQLRequest, get: bool) -> Answer:
        context = await self.get_context(request, Response())
        return await self.executor.execute(params, context, queries_only=get)

    async def _run(self, request: Request) -> Response:
        """Strawberry's view, for requests that carry no operation (GraphiQL, refusals)."""
        try:
            return await self.run(request)
        except HTTPException as e:
            # Strawberry answers bad requests in plain text; ours are GraphQL-shaped errors.
            code = HTTP_CODES.get(e.status_code, "BAD_REQUEST")
            return graphql_error(e.reason, code, status_code=e.status_code)

    @staticmethod
    def _from(answer: Answer, media: str) -> Response:
        """The executor's answer over HTTP. GraphQL over HTTP: with
        application/graphql-response+json, an answer without a data entry (the request
        failed before execution) is a 400; with application/json, a 200. An answer with
        data, even null (a request cut at its time limit did run), is a 200 either way."""
        status = answer.status
        if media == GRAPHQL_RESPONSE and status == 200 and not answer.cacheable and not answer.ran:
            status = 400
        response = Response(answer.body, status_code=status, media_type=media)
        if answer.status == 405:
            response.headers["Allow"] = "POST"
        return response


def _labelled(response: Response, media: str) -> Response:
    """A response of Strawberry's view (a page, or an error that is not a 200), in the
    media type asked for when it is JSON."""
    if media == GRAPHQL_RESPONSE and response.media_type == JSON:
        response.media_type = GRAPHQL_RESPONSE
        response.headers["content-type"] = GRAPHQL_RESPONSE
    return response


def _describe(outcome: Outcome, context: Context | None, answer: Answer | None) -> None:
    """What the request turned out to be, from its context (made when it was admitted)."""
    if context is not None:
        outcome.operation = context.operation_name or outcome.operation
        outcome.cost = context.cost
        outcome.described = True
        codes = answer.error_codes if answer is not None else context.error_codes
        outcome.errors = [*codes, *(outcome.errors or ())]


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

    def __init__(self, receive: Receive, state: RequestState) -> None:
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
        self.gone = self.state.client_gone = True
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
