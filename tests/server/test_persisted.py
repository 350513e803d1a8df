"""Automatic persisted queries on their own: unknown, remembered once run, checked, bounded."""

from __future__ import annotations

import hashlib

import pytest

from hcpcs_graph.schema.persisted import PersistedQueries, PersistedQueryError

QUERY = "{ releases { name } }"


HASH = hashlib.sha256(QUERY.encode()).hexdigest()


def test_persisted_query_round_trip() -> None:
    store = PersistedQueries(max_bytes=8 * (len(QUERY) + 64 + 200))
    ext = {"persistedQuery": {"version": 1, "sha256Hash": HASH}}
    with pytest.raises(PersistedQueryError) as caught:
        store.resolve(None, ext)
    assert (caught.value.message, caught.value.code) == (
        "PersistedQueryNotFound",
        "PERSISTED_QUERY_NOT_FOUND",
    )
    assert store.resolve(QUERY, ext) == (QUERY, HASH)  # to remember once it has run
    with pytest.raises(PersistedQueryError):
        store.resolve(None, ext)  # not run yet: not kept
    store.remember(HASH, QUERY)
    assert store.resolve(None, ext) == (QUERY, None)
    assert store.resolve(QUERY, ext) == (QUERY, None)  # known already
    assert store.resolve(QUERY, None) == (QUERY, None)  # no extension: nothing to do
    with pytest.raises(PersistedQueryError, match="provided sha does not match query"):
        store.resolve("{ other }", ext)
    with pytest.raises(PersistedQueryError, match="PersistedQueryNotSupported"):
        store.resolve(None, {"persistedQuery": {"version": 2, "sha256Hash": HASH}})
    for i in range(8):  # bounded in bytes: the oldest is forgotten
        text = "{ releases { id } }" + "abcdefgh"[i]
        store.remember(hashlib.sha256(text.encode()).hexdigest(), text)
    with pytest.raises(PersistedQueryError):
        store.resolve(None, ext)
    assert store.size <= 8 * (len(QUERY) + 64 + 200)
