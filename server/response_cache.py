"""Finished GraphQL responses, reused for identical requests.

The data changes only when a release is loaded, which puts a new database file in place;
the key names the file, so an entry can never be stale: a new file makes new keys and the
old entries age out. Only complete answers (no errors) are kept.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

import orjson


class ResponseCache:
    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.size = 0
        self.hits = 0
        self.misses = 0
        self._entries: OrderedDict[tuple, bytes] = OrderedDict()

    @property
    def enabled(self) -> bool:
        return self.max_bytes > 0

    def get(self, key: tuple) -> bytes | None:
        body = self._entries.get(key)
        if body is None:
            self.misses += 1
            return None
        self._entries.move_to_end(key)
        self.hits += 1
        return body

    def put(self, key: tuple, body: bytes) -> None:
        if len(body) > self.max_bytes // 8 or key in self._entries:
            return  # one huge answer must not flush everything else
        self._entries[key] = body
        self.size += len(body)
        while self.size > self.max_bytes:
            _, old = self._entries.popitem(last=False)
            self.size -= len(old)


def request_key(method: str, params: dict[str, Any] | None, accept: str) -> tuple | None:
    """The parts of a request its answer depends on, or None when it cannot be cached."""
    if not isinstance(params, dict):
        return None
    query = params.get("query")
    if not isinstance(query, str):
        return None
    variables = params.get("variables")
    if isinstance(variables, str):  # GET carries them as JSON text
        try:
            variables = orjson.loads(variables) if variables else None
        except orjson.JSONDecodeError:
            return None
    operation = params.get("operationName")
    try:
        canonical = orjson.dumps(variables, option=orjson.OPT_SORT_KEYS)
    except TypeError:
        return None
    return (method, query, canonical, operation, accept)
