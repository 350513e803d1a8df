"""The Starlette application: `create_app(settings)` is the whole server."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator

import orjson
from cross_web import HTTPException
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route
from starlette.types import Receive, Scope, Send
from strawberry.asgi import GraphQL

from db.database import Database
from schema import build_schema
from schema.context import Context
from server.body_limit import BodyLimitMiddleware
from server.request_id import RequestIdMiddleware
from server.response_cache import ResponseCache, request_key
from server.responses import HTTP_CODES, graphql_error
from server.settings import Settings

log = logging.getLogger("hcpcs.server")


class GraphQLApp(GraphQL):
    """Strawberry's ASGI view, with our per-request context."""

    def __init__(self, database: Database, settings: Settings) -> None:
        super().__init__(
            build_schema(settings.limits, introspection=settings.introspection),
            graphql_ide="graphiql" if settings.graphiql else None,
            allow_queries_via_get=True,
        )
        self.database = database
        self.settings = settings
        self.cache = ResponseCache(settings.response_cache_mb * 2**20)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await super().__call__(scope, receive, send)
            return
        request = Request(scope=scope, receive=receive)
        key = await self._cache_key(request)
        if key is not None and (body := self.cache.get(key)) is not None:
            await Response(body, media_type="application/json")(scope, receive, send)
            return
        try:
            response = await self.run(request)
        except HTTPException as e:
            # Strawberry answers bad requests in plain text; ours are GraphQL-shaped errors.
            code = HTTP_CODES.get(e.status_code, "BAD_REQUEST")
            response = graphql_error(e.reason, code, status_code=e.status_code)
        if (
            key is not None
            and response.status_code == 200
            and response.media_type == "application/json"
            and b'"errors"' not in response.body
        ):
            self.cache.put(key, bytes(response.body))
        await response(scope, receive, send)

    async def _cache_key(self, request: Request) -> tuple | None:
        if not self.cache.enabled:
            return None
        accept = request.headers.get("accept", "")
        if request.method == "GET":
            if "text/html" in accept:
                return None  # GraphiQL
            params: object = dict(request.query_params)
        elif request.method == "POST" and "json" in request.headers.get("content-type", ""):
            try:
                params = orjson.loads(await request.body())
            except orjson.JSONDecodeError:
                return None
        else:
            return None
        key = request_key(request.method, params, accept)
        if key is None:
            return None
        snapshot = await self.database.snapshot()
        return (snapshot.key, *key)

    def decode_json(self, data: str | bytes) -> object:
        # orjson refuses nesting deeper than 1024 (a ValueError, so a 400), where json
        # would recurse until RecursionError.
        return orjson.loads(data)

    def encode_json(self, data: object) -> bytes:
        return orjson.dumps(data)

    async def get_context(self, request: Request, response: Response) -> Context:  # type: ignore[override]
        return Context(
            snapshot=await self.database.snapshot(),
            request_id=request.scope.get("state", {}).get("request_id", ""),
            time_limit=self.settings.time_limit,
            request=request,
            response=response,
        )


async def _internal_error(request: Request, exc: Exception) -> Response:
    """The one place an unexpected exception becomes a response: masked, logged with its id."""
    request_id = request.scope.get("state", {}).get("request_id", "")
    log.error("request %s: unhandled error", request_id, exc_info=exc)
    return graphql_error(
        "Internal server error", "INTERNAL_SERVER_ERROR", status_code=500, requestId=request_id
    )


def create_app(settings: Settings) -> Starlette:
    database = Database(settings.db, connections=settings.connections)
    graphql = GraphQLApp(database, settings)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        async with database.opened():
            yield

    async def home(request: Request) -> RedirectResponse:
        return RedirectResponse("/graphql")

    middleware = [
        Middleware(RequestIdMiddleware),
        Middleware(BodyLimitMiddleware, max_bytes=settings.max_body_bytes),
    ]
    if settings.cors_origin_list:
        middleware.append(
            Middleware(
                CORSMiddleware,
                allow_origins=settings.cors_origin_list,
                allow_methods=["GET", "POST"],
                allow_headers=["content-type", "x-request-id"],
                expose_headers=["x-request-id"],
            )
        )
    app = Starlette(
        routes=[
            Route("/graphql", graphql),
            Route("/", home),
        ],
        middleware=middleware,
        exception_handlers={Exception: _internal_error},
        lifespan=lifespan,
    )
    app.state.database = database
    app.state.settings = settings
    return app


def app_from_env() -> Starlette:
    """The uvicorn factory for `hcpcs serve`: every worker reads the same environment."""
    return create_app(Settings.from_env())
