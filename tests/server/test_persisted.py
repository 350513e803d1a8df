"""Automatic persisted queries on their own: unknown, remembered once run, checked, bounded."""

from __future__ import annotations

import hashlib

import pytest

from hcpcs_graph.schema.persisted import PersistedQueries, PersistedQueryError
from hcpcs_graph.schema.request import requested_hash

QUERY = "{ releases { name } }"


HASH = hashlib.sha256(QUERY.encode()).hexdigest()


def _resolve(store: PersistedQueries, query: str | None, extensions: object) -> tuple:
    """What the executor does with a request: its hash checked, then looked up."""
    digest = requested_hash(query, extensions)
    return (query, None) if digest is None else store.look_up(query, digest)


def test_persisted_query_round_trip() -> None:
    store = PersistedQueries(max_bytes=8 * (len(QUERY) + 64 + 200))
    ext = {"persistedQuery": {"version": 1, "sha256Hash": HASH}}
    with pytest.raises(PersistedQueryError) as caught:
        _resolve(store, None, ext)
    assert (caught.value.message, caught.value.code) == (
        "PersistedQueryNotFound",
        "PERSISTED_QUERY_NOT_FOUND",
    )
    assert _resolve(store, QUERY, ext) == (QUERY, HASH)  # to remember once it has run
    with pytest.raises(PersistedQueryError):
        _resolve(store, None, ext)  # not run yet: not kept
    store.remember(HASH, QUERY)
    assert _resolve(store, None, ext) == (QUERY, None)
    assert _resolve(store, QUERY, ext) == (QUERY, None)  # known already
    assert _resolve(store, QUERY, None) == (QUERY, None)  # no extension: nothing to do
    with pytest.raises(PersistedQueryError, match="provided sha does not match query"):
        _resolve(store, "{ other }", ext)
    with pytest.raises(PersistedQueryError, match="PersistedQueryNotSupported"):
        _resolve(store, None, {"persistedQuery": {"version": 2, "sha256Hash": HASH}})
    for i in range(8):  # bounded in bytes: the oldest is forgotten
        text = "{ releases { id } }" + "abcdefgh"[i]
        store.remember(hashlib.sha256(text.encode()).hexdigest(), text)
    with pytest.raises(PersistedQueryError):
        _resolve(store, None, ext)
    assert store.size <= 8 * (len(QUERY) + 64 + 200)
