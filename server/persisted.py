"""Automatic persisted queries, as Apollo clients send them.

A client sends `extensions.persistedQuery.sha256Hash` without the query; an unknown hash is
answered with PersistedQueryNotFound, the client sends hash and query once, and from then
on the hash alone (by GET, so that caches in front can keep the answer).

A query is kept only once it has run (it parsed and validated): a hash sent with text
that is not a GraphQL document costs nothing to keep. The store is bounded in bytes.
"""

from __future__ import annotations

import hashlib
from typing import Any

from hcpcs_graph.schema.bounded import BoundedCache

MAX_BYTES = 8 * 2**20


class PersistedQueryError(Exception):
    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


class PersistedQueries:
    def __init__(self, max_bytes: int = MAX_BYTES) -> None:
        self._queries: BoundedCache[str, str] = BoundedCache(max_bytes)

    def __len__(self) -> int:
        return len(self._queries)

    @property
    def size(self) -> int:
        return self._queries.size

    def resolve(self, query: str | None, extensions: Any) -> tuple[str | None, str | None]:
        """(the query to run, the hash to `remember` it by once it has run): the query
        given, or the one its hash names. Raises PersistedQueryError for an unknown hash
        or a hash that does not match."""
        persisted = extensions.get("persistedQuery") if isinstance(extensions, dict) else None
        if not isinstance(persisted, dict):
            return query, None
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
            return found, None
        if not isinstance(query, str) or hashlib.sha256(query.encode()).hexdigest() != digest:
            raise PersistedQueryError("provided sha does not match query", "BAD_REQUEST")
        return query, digest if digest not in self._queries else None

    def remember(self, digest: str, query: str) -> None:
        """Keep a query that has run, under its hash."""
        self._queries.put(digest, query, len(digest) + len(query))
