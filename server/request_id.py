"""Give every request an id: echoed in the X-Request-ID header, logged with its errors."""

from __future__ import annotations

import random
import re

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from hcpcs_graph.server.request_state import request_state

HEADER = b"x-request-id"
_SAFE = re.compile(rb"[A-Za-z0-9._-]{1,64}")


class RequestIdMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        given = dict(scope["headers"]).get(HEADER, b"")
        # Ids need to be unique, not secret: Python's generator (seeded from the OS,
        # reseeded in a forked child) makes them without a system call. os.urandom releases
        # the GIL, and the loop then waited up to tens of µs for it back while threads ran SQL.
        request_id = given.decode() if _SAFE.fullmatch(given) else f"{random.getrandbits(128):032x}"
        request_state(scope).request_id = request_id

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                message.setdefault("headers", []).append((HEADER, request_id.encode()))
            await send(message)

        await self.app(scope, receive, send_with_id)
