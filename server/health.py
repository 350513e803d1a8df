"""Liveness and readiness for orchestrators and load balancers."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from hcpcs_graph.db.database import Database, DatabaseUnavailable
from hcpcs_graph.db.queries import release_count
from hcpcs_graph.server.responses import JSONResponse


async def healthz(request: Request) -> Response:
    """The process is up and answering."""
    return JSONResponse({"status": "ok"})


async def readyz(request: Request) -> Response:
    """The database is readable, holds at least one release and no query has found it
    damaged: ready for traffic."""
    database: Database = request.app.state.database
    try:
        snapshot = await database.snapshot()
        await release_count(snapshot)
    except (DatabaseUnavailable, OSError, Exception) as e:
        return JSONResponse({"status": "unavailable", "reason": str(e)}, status_code=503)
    if snapshot.damaged:  # a query met a damaged page: a balancer should look elsewhere
        return JSONResponse({"status": "unavailable", "reason": snapshot.damaged}, status_code=503)
    catalog = snapshot.catalog
    releases = [r.id for r in reversed(catalog.releases)]
    payments = [p.id for p in reversed(catalog.payments)]
    return JSONResponse(
        {
            "status": "ready",
            "database": str(database.path),
            "releases": releases,
            "payments": payments,
        }
    )
