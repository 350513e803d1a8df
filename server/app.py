"""The Starlette application: `create_app(settings)` is the whole server."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route
from strawberry.asgi import GraphQL

from db.database import Database
from schema import schema
from schema.context import Context
from server.request_id import RequestIdMiddleware
from server.settings import Settings

log = logging.getLogger("hcpcs.server")


class GraphQLApp(GraphQL):
    """Strawberry's ASGI view, with our per-request context."""

    def __init__(self, database: Database, settings: Settings) -> None:
        super().__init__(
            schema,
            graphql_ide="graphiql" if settings.graphiql else None,
            allow_queries_via_get=True,
        )
        self.database = database
        self.settings = settings

    async def get_context(self, request: Request, response: Response) -> Context:  # type: ignore[override]
        return Context(
            snapshot=await self.database.snapshot(),
            request_id=request.scope.get("state", {}).get("request_id", ""),
            time_limit=self.settings.time_limit,
            request=request,
            response=response,
        )


async def _internal_error(request: Request, exc: Exception) -> JSONResponse:
    """The one place an unexpected exception becomes a response: masked, logged with its id."""
    request_id = request.scope.get("state", {}).get("request_id", "")
    log.error("request %s: unhandled error", request_id, exc_info=exc)
    return JSONResponse(
        {
            "errors": [
                {
                    "message": "Internal server error",
                    "extensions": {"code": "INTERNAL_SERVER_ERROR", "requestId": request_id},
                }
            ]
        },
        status_code=500,
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

    app = Starlette(
        routes=[
            Route("/graphql", graphql, methods=["GET", "POST"]),
            Route("/", home),
        ],
        middleware=[Middleware(RequestIdMiddleware)],
        exception_handlers={Exception: _internal_error},
        lifespan=lifespan,
    )
    app.state.database = database
    app.state.settings = settings
    return app


def app_from_env() -> Starlette:
    """The uvicorn factory for `hcpcs serve`: every worker reads the same environment."""
    return create_app(Settings.from_env())
