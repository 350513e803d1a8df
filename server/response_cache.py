"""Finished GraphQL responses, reused for identical requests.

The data changes only when a release is loaded, which puts a new database file in place;
the key names the file, so an entry can never be stale: a new file makes new keys and the
old entries age out. Only complete answers (no errors) are kept.
"""

from __future__ import annotations

from hcpcs_graph.schema.bounded import BoundedCache
from hcpcs_graph.schema.request import GraphQLRequest

# method, query, variables as canonical JSON, operation name, media type (request_key)
RequestKey = tuple[str, str, bytes, str | None, str]


class ResponseCache(BoundedCache[tuple[object, ...], bytes]):
    """Answer bodies by request key; each entry is charged its body and its key (which
    holds the whole query text and variables)."""

    def keep(self, key: tuple[object, ...], body: bytes) -> bool:
        return self.put(key, body, len(body) + key_bytes(key))


def key_bytes(key: tuple[object, ...]) -> int:
    return sum(len(part) if isinstance(part, str | bytes) else 8 for part in key)


def request_key(method: str, query: str, params: GraphQLRequest, accept: str) -> RequestKey:
    """The parts of a request its answer depends on: the query (persisted queries
    resolved), the variables as canonical JSON, the operation, and the media type."""
    return (method, query, params.variables_key, params.operation_name, accept)
