"""Automatic persisted queries, as Apollo clients send them.

A client sends `extensions.persistedQuery.sha256Hash` without the query; an unknown hash is
answered with PersistedQueryNotFound, the client sends hash and query once, and from then
on the hash alone (by GET, so that caches in front can keep the answer).

A query is kept only once it has run (it parsed and validated): a hash sent with text
that is not a GraphQL document costs nothing to keep. The store is bounded in bytes.
"""

from __future__ import annotations

from hcpcs_graph.schema.bounded import BoundedCache
from hcpcs_graph.schema.request import PersistedQueryError

__all__ = ["MAX_BYTES", "PersistedQueries", "PersistedQueryError"]

MAX_BYTES = 8 * 2**20


class PersistedQueries:
    def __init__(self, max_bytes: int = MAX_BYTES) -> None:
        self._queries: BoundedCache[str, str] = BoundedCache(max_bytes)

    def __len__(self) -> int:
        return len(self._queries)

    @property
    def size(self) -> int:
        return self._queries.size

    def look_up(self, query: str | None, digest: str) -> tuple[str, str | None]:
        """(the query to run, the hash to `remember` it by once it has run) for a hash
        already checked against the query (schema/request.py's `requested_hash`): the query
        given, or the one the hash names. Raises PersistedQueryError for an unknown hash."""
        if query is None:
            found = self._queries.get(digest)
            if found is None:
                raise PersistedQueryError("PersistedQueryNotFound", "PERSISTED_QUERY_NOT_FOUND")
            return found, None
        return query, digest if digest not in self._queries else None

    def remember(self, digest: str, query: str) -> None:
        """Keep a query that has run, under its hash."""
        self._queries.put(digest, query, len(digest) + len(query))
