"""Errors outside GraphQL execution, shaped like GraphQL errors so clients handle one form."""

from __future__ import annotations

from typing import Any

import orjson
from starlette.responses import Response

HTTP_CODES = {
    400: "BAD_REQUEST",
    404: "NOT_FOUND",
    405: "METHOD_NOT_ALLOWED",
    413: "PAYLOAD_TOO_LARGE",
    415: "UNSUPPORTED_MEDIA_TYPE",
    500: "INTERNAL_SERVER_ERROR",
    503: "SERVER_BUSY",
}


class JSONResponse(Response):
    media_type = "application/json"

    def render(self, content: Any) -> bytes:
        return orjson.dumps(content)


def graphql_error(
    message: str, code: str, *, status_code: int, **extensions: object
) -> JSONResponse:
    return JSONResponse(
        {"errors": [{"message": message, "extensions": {"code": code, **extensions}}]},
        status_code=status_code,
    )
