"""CORS: browsers on the origins of HCPCS_CORS_ORIGINS may call the API (Starlette's
CORSMiddleware); a preflight from any other origin is refused with a 403 that names the
setting, where it would otherwise end in a bare 405 (no CORS configured) or 400."""

from __future__ import annotations

from starlette.datastructures import Headers
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp, Receive, Scope, Send

from hcpcs_graph.server.responses import graphql_error
from hcpcs_graph.server.settings import Settings


def cors_middleware(settings: Settings) -> list[Middleware]:
    origins = settings.cors_origin_list
    refusal = Middleware(PreflightRefusal, allowed=origins)
    if not origins:
        return [refusal]
    allowed = Middleware(
        CORSMiddleware,
        allow_origins=origins,
        allow_methods=["GET", "POST"],
        allow_headers=["content-type", "x-request-id"],
        expose_headers=["x-request-id", "etag"],
    )
    return [refusal, allowed]


class PreflightRefusal:
    """403 CORS_ORIGIN_NOT_ALLOWED for a preflight (OPTIONS with Origin and
    Access-Control-Request-Method) from an origin not allowed; everything else passes."""

    def __init__(self, app: ASGIApp, allowed: list[str]) -> None:
        self.app = app
        self.allowed = set(allowed)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] == "OPTIONS":
            headers = Headers(scope=scope)
            origin = headers.get("origin")
            preflight = origin is not None and "access-control-request-method" in headers
            if preflight and "*" not in self.allowed and origin not in self.allowed:
                message = (
                    f"CORS: the origin {origin} may not call this API from a browser; the "
                    f"server allows the origins listed in HCPCS_CORS_ORIGINS (comma-separated), "
                    f"e.g. HCPCS_CORS_ORIGINS={origin}"
                )
                response = graphql_error(message, "CORS_ORIGIN_NOT_ALLOWED", status_code=403)
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)
