"""One log line per request, and its metrics: the one place a finished request is recorded.

The GraphQL view leaves what it knows (operation name, cost, error codes) in the request
scope's state; this middleware adds status and duration, logs, and counts.
"""

from __future__ import annotations

import logging
import time

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from hcpcs_graph.server.metrics import Metrics
from hcpcs_graph.server.request_state import request_state

log = logging.getLogger("hcpcs.access")
CLIENT_GONE = 499  # no answer sent: the client hung up first (nginx's code for it)


class AccessLogMiddleware:
    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def send_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_status)
        finally:
            seconds = time.perf_counter() - started
            state = request_state(scope)
            if state.client_gone:
                status = CLIENT_GONE
            graphql = state.graphql
            if graphql is not None:
                self.metrics.observe(
                    graphql.operation, status, seconds, graphql.cost, graphql.errors or []
                )
            log.info(
                "%s %s %s %.1fms",
                scope["method"],
                scope["path"],
                status,
                seconds * 1000,
                extra={
                    "fields": {
                        "method": scope["method"],
                        "path": scope["path"],
                        "status": status,
                        "duration_ms": round(seconds * 1000, 2),
                        "request_id": state.request_id or None,
                        "client": (scope.get("client") or ("", 0))[0],
                        **(graphql.fields() if graphql is not None else {}),
                    }
                },
            )
