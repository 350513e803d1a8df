"""Automatic persisted queries, as Apollo clients send them.

A client sends `extensions.persistedQuery.sha256Hash` without the query; an unknown hash is
answered with PersistedQueryNotFound, the client sends hash and query once, and from then
on the hash alone (by GET, so that caches in front can keep the answer).
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from typing import Any

MAX_QUERIES = 10_000


class PersistedQueryError(Exception):
    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


class PersistedQueries:
    def __init__(self, max_queries: int = MAX_QUERIES) -> None:
        self.max_queries = max_queries
        self._queries: OrderedDict[str, str] = OrderedDict()

    def resolve(self, query: str | None, extensions: Any) -> str | None:
        """The query to run: the one given, or the one its hash names. Raises
        PersistedQueryError for an unknown hash or a hash that does not match."""
        persisted = extensions.get("persistedQuery") if isinstance(extensions, dict) else None
        if not isinstance(persisted, dict):
            return query
        if persisted.get("version", 1) != 1:
            raise PersistedQueryError("PersistedQueryNotSupported", "PERSISTED_QUERY_NOT_SUPPORTED")
        digest = persisted.get("sha256Hash")
        if not isinstance(digest, str):
            raise PersistedQueryError("persistedQuery needs a sha256Hash", "BAD_REQUEST")
        digest = digest.lower()
        if query is None:
            found = self._queries.get(digest)
            if found is None:
                raise PersistedQueryError("PersistedQueryNotFound", "PERSISTED_QUERY_NOT_FOUND")
            self._queries.move_to_end(digest)
            return found
        if hashlib.sha256(query.encode()).hexdigest() != digest:
            raise PersistedQueryError("provided sha does not match query", "BAD_REQUEST")
        self._queries[digest] = query
        if len(self._queries) > self.max_queries:
            self._queries.popitem(last=False)
        return query
