"""`hcpcs serve`: check the database, then run the app under uvicorn."""

from __future__ import annotations

import asyncio
import os
import tempfile
from dataclasses import fields

import uvicorn

from db.database import Database
from server.logs import log_config
from server.settings import ENV_PREFIX, Settings


async def _check(settings: Settings) -> list[str]:
    """Open the database as the server will; raises DatabaseUnavailable with one clear line."""
    database = Database(settings.db, connections=1)
    async with database.opened():
        snapshot = await database.snapshot()
        return [r.id for r in snapshot.catalog.releases]


def serve(settings: Settings) -> int:
    releases = asyncio.run(_check(settings))
    print(
        f"Serving releases {', '.join(releases)} from {settings.db} at "
        f"http://{settings.host}:{settings.port}/graphql",
        flush=True,
    )
    # Workers build the app from the environment: hand them every setting there.
    for f in fields(Settings):
        os.environ[ENV_PREFIX + f.name.upper()] = str(getattr(settings, f.name))
    with tempfile.TemporaryDirectory(prefix="hcpcs-metrics-") as metrics_dir:
        if settings.workers > 1:
            # each worker counts into files here; /metrics, on any worker, adds them up
            os.environ.setdefault("PROMETHEUS_MULTIPROC_DIR", metrics_dir)
        uvicorn.run(
            "server.app:app_from_env",
            factory=True,
            host=settings.host,
            port=settings.port,
            workers=settings.workers,
            log_config=log_config(),
            access_log=False,  # server.access_log writes one structured line per request
        )
    return 0
