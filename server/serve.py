"""`hcpcs serve`: check the database, then run the app under uvicorn."""

from __future__ import annotations

import asyncio
import logging.config
import os
import sys
import tempfile
from dataclasses import fields

import uvicorn

from hcpcs_graph.db.database import Database
from hcpcs_graph.server import http_timeouts
from hcpcs_graph.server.logs import log_config
from hcpcs_graph.server.settings import ENV_PREFIX, Settings


async def _check(settings: Settings) -> tuple[list[str], bool]:
    """Open the database as the server will, checksum first; raises DatabaseUnavailable
    with one clear line. The releases, and whether the file had a checksum to check."""
    database = Database(settings.db, connections=1)
    async with database.opened(verify=True):
        snapshot = await database.snapshot()
        return [r.id for r in snapshot.catalog.releases], snapshot.verified


def serve(settings: Settings) -> int:
    releases, verified = asyncio.run(_check(settings))
    if not verified:
        print(
            f"{settings.db} holds no checksum (loaded by an older hcpcs-graph), so it was not "
            "checked for damage; the next release loaded into it adds one",
            file=sys.stderr,
        )
    print(
        f"Serving releases {', '.join(releases)} from {settings.db} at "
        f"http://{settings.host}:{settings.port}/graphql",
        flush=True,
    )
    # Workers build the app from the environment: hand them every setting there.
    for f in fields(Settings):
        os.environ[ENV_PREFIX + f.name.upper()] = str(getattr(settings, f.name))
    logging.config.dictConfig(log_config())  # before the protocol's check, which may warn
    http = http_timeouts.protocol()
    with tempfile.TemporaryDirectory(prefix="hcpcs-metrics-") as metrics_dir:
        if settings.workers > 1:
            # each worker counts into files here; /metrics, on any worker, adds them up
            os.environ.setdefault("PROMETHEUS_MULTIPROC_DIR", metrics_dir)
        uvicorn.run(
            "hcpcs_graph.server.app:app_from_env",
            factory=True,
            host=settings.host,
            port=settings.port,
            workers=settings.workers,
            http=http,
            log_config=log_config(),
            access_log=False,  # server.access_log writes one structured line per request
        )
    return 0
