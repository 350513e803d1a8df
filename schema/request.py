"""A GraphQL request as every front end hands it to the executor: read and checked once.

The persisted-query extension is checked here too (its version, its hash, the hash
against the query when both are sent); looking the hash up is the executor's.
"""

from __future__ import annotations

import hashlib
from typing import Any, NamedTuple

import orjson


class RequestError(Exception):
    """A request refused before it runs: answered with `code`, and `status` over HTTP."""

    def __init__(self, message: str, code: str, status: int = 200) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.status = status


class PersistedQueryError(RequestError):
    def __init__(self, message: str, code: str) -> None:
        super().__init__(message, code)


class GraphQLRequest(NamedTuple):
    query: str | None
    variables: dict[str, Any] | None
    operation_name: str | None
    extensions: dict[str, Any] | None
    # the variables as canonical JSON: with the query and operation name, what an answer
    # depends on (the response cache, ETags and introspection answers are keyed by it)
    variables_key: bytes
    # extensions.persistedQuery.sha256Hash, lower case; None once the executor has looked it
    # up (or kept a query sent with it: nothing left to remember)
    persisted_hash: str | None = None

    @classmethod
    def of(
        cls,
        query: str | None,
        variables: dict[str, Any] | None,
        operation_name: str | None,
        extensions: dict[str, Any] | None,
    ) -> GraphQLRequest:
        """Raises PersistedQueryError for a persisted-query extension that is malformed
        or whose hash does not match the query sent with it."""
        canonical = orjson.dumps(variables, option=orjson.OPT_SORT_KEYS)
        digest = requested_hash(query, extensions)
        return cls(query, variables, operation_name, extensions, canonical, digest)


def requested_hash(query: str | None, extensions: Any) -> str | None:
    """The persisted query's hash the extensions name, checked; None when they name none."""
    persisted = extensions.get("persistedQuery") if isinstance(extensions, dict) else None
    if not isinstance(persisted, dict):
        return None
    if persisted.get("version", 1) != 1:
        raise PersistedQueryError("PersistedQueryNotSupported", "PERSISTED_QUERY_NOT_SUPPORTED")
    digest = persisted.get("sha256Hash")
    if not isinstance(digest, str):
        raise PersistedQueryError("persistedQuery needs a sha256Hash", "BAD_REQUEST")
    digest = digest.lower()
    if query is not None and (
        not isinstance(query, str) or hashlib.sha256(query.encode()).hexdigest() != digest
    ):
        raise PersistedQueryError("provided sha does not match query", "BAD_REQUEST")
    return digest
