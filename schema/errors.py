"""The one place GraphQL errors get their `extensions.code`, and unexpected ones are masked.

Codes follow the widely used Apollo convention: GRAPHQL_PARSE_FAILED,
GRAPHQL_VALIDATION_FAILED, BAD_USER_INPUT, plus TIMEOUT and INTERNAL_SERVER_ERROR.
An unexpected exception reaches the client as "Internal server error" with the request
id; its traceback goes to the log under the same id.
"""

from __future__ import annotations

import logging

from graphql import GraphQLError, GraphQLSyntaxError
from graphql.validation.validate import ValidationAbortedError

from hcpcs_graph.db.database import QueryTimeout

log = logging.getLogger("hcpcs.errors")

INTERNAL = "Internal server error"
_BAD_VARIABLE = ("got invalid value", "was not provided", "must not be null")


class UserInputError(Exception):
    """A bad argument: shown to the client as it is, with its code."""

    def __init__(
        self, message: str, *, argument: str | None = None, code: str = "BAD_USER_INPUT"
    ) -> None:
        super().__init__(message)
        self.code = code
        self.argument = argument


def _code(error: GraphQLError) -> tuple[str, dict[str, object]]:
    original = error.original_error
    if isinstance(original, UserInputError):
        return original.code, ({"argument": original.argument} if original.argument else {})
    if isinstance(original, QueryTimeout):
        return "TIMEOUT", {}
    if isinstance(error, GraphQLSyntaxError):
        if "tokens. Parsing aborted" in error.message:
            return "TOO_MANY_TOKENS", {}
        if "nested too deeply" in error.message:
            return "QUERY_TOO_DEEP", {}
        return "GRAPHQL_PARSE_FAILED", {}
    if error.path is None:
        if isinstance(error, ValidationAbortedError):
            error.message = "the query repeats fields too often to be validated"
            return "GRAPHQL_VALIDATION_FAILED", {}
        if isinstance(original, ValueError | TypeError | GraphQLError):
            return "BAD_USER_INPUT", {}  # a scalar refused a value
        if original is None:
            if error.message.startswith("Variable '$") and any(
                phrase in error.message for phrase in _BAD_VARIABLE
            ):
                return "BAD_USER_INPUT", {}  # a value the client sent, not the query's shape
            return "GRAPHQL_VALIDATION_FAILED", {}

    return "INTERNAL_SERVER_ERROR", {}


def classify(errors: list[GraphQLError], request_id: str | None) -> None:
    """Give each error its code, in place; mask and log the unexpected ones."""
    for error in errors:
        if error.extensions and "code" in error.extensions:
            continue
        code, extra = _code(error)
        if code == "INTERNAL_SERVER_ERROR":
            log.error(
                "request %s: unexpected error at %s: %s",
                request_id,
                ".".join(map(str, error.path or [])) or "(operation)",
                error.message,
                exc_info=error.original_error or error,
            )
            error.message = INTERNAL
            error.original_error = None
            if request_id:
                extra["requestId"] = request_id
        error.extensions = {**(error.extensions or {}), "code": code, **extra}
