"""The Starlette application: `create_app(settings)` is the whole server."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Mount, Route

from hcpcs_graph.db.database import Database
from hcpcs_graph.schema import build_schema
from hcpcs_graph.schema.executor import Executor
from hcpcs_graph.server.access_log import AccessLogMiddleware
from hcpcs_graph.server.body_limit import BodyLimitMiddleware
from hcpcs_graph.server.compression import CompressionMiddleware
from hcpcs_graph.server.cors import cors_middleware
from hcpcs_graph.server.fhir.routes import Fhir
from hcpcs_graph.server.gc_tuning import freeze_startup_objects
from hcpcs_graph.server.health import healthz, readyz
from hcpcs_graph.server.logs import skip_unused_record_fields
from hcpcs_graph.server.metrics import Metrics, metrics_endpoint
from hcpcs_graph.server.pages import GraphQLWithOfflineGraphiQL, lookup_page, static_files
from hcpcs_graph.server.request_id import RequestIdMiddleware
from hcpcs_graph.server.request_state import request_state
from hcpcs_graph.server.responses import graphql_error
from hcpcs_graph.server.settings import Settings

log = logging.getLogger("hcpcs.server")
MB = 2**20


async def _internal_error(request: Request, exc: Exception) -> Response:
    """The one place an unexpected exception becomes a response: masked, logged with its id."""
    request_id = request_state(request.scope).request_id
    log.error("request %s: unhandled error", request_id, exc_info=exc)
    response = graphql_error(
        "Internal server error", "INTERNAL_SERVER_ERROR", status_code=500, requestId=request_id
    )
    # Starlette answers from outside every middleware here, RequestIdMiddleware included
    if request_id:
        response.headers["X-Request-ID"] = request_id
    return response


def create_app(settings: Settings, *, serving: bool = False) -> Starlette:
    """`serving`: this process exists to serve the app (`hcpcs serve`), so it may tune the
    garbage collector once started (server/gc_tuning.py) and what log records collect
    (server/logs.py)."""
    database = Database(settings.db, connections=settings.connections)
    metrics = Metrics()
    schema = build_schema(
        settings.limits,
        introspection=settings.introspection,
        document_bytes=settings.document_cache_mb * MB,
        plan_bytes=settings.plan_cache_mb * MB,
    )
    executor = Executor(schema, persisted_bytes=settings.persisted_queries_mb * MB)
    graphql = GraphQLWithOfflineGraphiQL(database, settings, executor)
    # FHIR's operations run GraphQL documents through the same executor, and take their
    # turn with GraphQL's requests (the view's admission)
    fhir = Fhir(executor, settings, graphql.admission, database)
    metrics.watch_plans(schema.compiled)  # its private-API check ran as it was built

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        async with database.opened():
            if serving:
                freeze_startup_objects()
                skip_unused_record_fields()
            yield

    middleware = [
        Middleware(RequestIdMiddleware),
        Middleware(AccessLogMiddleware, metrics=metrics),
        Middleware(BodyLimitMiddleware, max_bytes=settings.max_body_bytes),
    ]
    if settings.compression:
        middleware.append(Middleware(CompressionMiddleware))
    middleware += cors_middleware(settings)
    app = Starlette(
        routes=[
            Route("/graphql", graphql),
            Mount("/fhir", app=fhir.app()),
            Route("/healthz", healthz),
            Route("/readyz", readyz),
            Route("/metrics", metrics_endpoint),
            Route("/", lookup_page),
            Mount("/static", app=static_files(), name="static"),
        ],
        middleware=middleware,
        exception_handlers={Exception: _internal_error},
        lifespan=lifespan,
    )
    app.state.database = database
    app.state.settings = settings
    app.state.metrics = metrics
    app.state.graphql = graphql
    app.state.fhir = fhir
    return app


def app_from_env() -> Starlette:
    """The uvicorn factory for `hcpcs serve`: every worker reads the same environment."""
    return create_app(Settings.from_env(), serving=True)
