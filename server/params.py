"""The parameters of a GraphQL request, read from HTTP and checked once: any JSON value in
any field is either a well-formed request (schema/request.py) or one 400 naming the field,
never an exception later.
"""

from __future__ import annotations

from typing import Any

import orjson
from starlette.requests import Request

from hcpcs_graph.schema.request import GraphQLRequest, RequestError

MAX_NESTING = 64  # levels of lists and objects in `variables` and `extensions`


class BadRequest(RequestError):
    """A request no GraphQL server could run: answered 400 with this message."""

    def __init__(self, message: str) -> None:
        super().__init__(message, "BAD_REQUEST", 400)


def is_json(request: Request) -> bool:
    return "json" in request.headers.get("content-type", "")


async def read_params(request: Request) -> GraphQLRequest | None:
    """The parameters of a GET, or of a POST with a JSON body; None for any other request
    (left to Strawberry's view, which answers other content types and methods). Raises
    RequestError: BadRequest, or a malformed persisted-query extension."""
    if request.method == "GET":
        given: dict[str, Any] = dict(request.query_params)
        for name in ("variables", "extensions"):
            text = given.get(name)
            if isinstance(text, str):
                given[name] = _json(text, f"`{name}` is not valid JSON") if text else None
    elif request.method == "POST" and is_json(request):
        body = _json(await request.body(), "Unable to parse request body as JSON")
        if isinstance(body, list):
            raise BadRequest("batched requests are not supported: send one operation a request")
        if not isinstance(body, dict):
            raise BadRequest("the request body must be a JSON object")
        given = body
    else:
        return None
    return GraphQLRequest.of(
        _field(given, "query", str),
        _field(given, "variables", dict),
        _field(given, "operationName", str),
        _field(given, "extensions", dict),
    )


def _json(text: str | bytes, refusal: str) -> Any:
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:
        raise BadRequest(refusal) from None


_KINDS: dict[type, str] = {str: "a string", dict: "an object"}


def _field(given: dict[str, Any], name: str, kind: type) -> Any:
    value = given.get(name)
    if value is None:
        return None
    if not isinstance(value, kind):
        raise BadRequest(f"`{name}` must be {_KINDS[kind]} or null, not {_json_type(value)}")
    if kind is dict and _nesting(value) > MAX_NESTING:
        raise BadRequest(f"`{name}` nests lists and objects more than {MAX_NESTING} levels deep")
    return value


def _json_type(value: Any) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    names: dict[type, str] = {str: "a string", list: "an array", dict: "an object"}
    return names.get(type(value), "another")


def _nesting(value: Any) -> int:
    """The deepest nesting of lists and objects in a JSON value, walked without recursion:
    it stops once past MAX_NESTING."""
    deepest = 0
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if depth > MAX_NESTING:
            return depth
        deepest = max(deepest, depth)
        children = item.values() if isinstance(item, dict) else item
        stack.extend((c, depth + 1) for c in children if isinstance(c, dict | list))
    return deepest
