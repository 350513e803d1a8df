"""What the schema works out once per database file and shares among its requests: the
objects built from it, the search spans, release diffs and the ETag of its releases.

Held here, keyed weakly by the `db.database.Snapshot` it was worked out from, so `db/`
holds no GraphQL objects and a snapshot's cache goes when the snapshot does. Each part
has its own type and bound: a full diff cache evicts diffs alone.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from hcpcs_graph.db.database import Snapshot
from hcpcs_graph.db.payments.pfs_queries import LocalityRow
from hcpcs_graph.db.queries import Span
from hcpcs_graph.schema.bounded import BoundedCache

if TYPE_CHECKING:
    from hcpcs_graph.schema.history import Change


@dataclass(eq=False, slots=True)
class SnapshotCache:
    # releases, code-table values, notes (schema/types), keyed by kind, code and release
    objects: dict[tuple[object, ...], Any] = field(default_factory=dict)
    # decoded values of rows (schema/build.py): (table, code, release), (table, JSON, release)
    values: dict[tuple[str, str | None, str], Any] = field(default_factory=dict)
    lists: dict[tuple[str, str, str], list[Any]] = field(default_factory=dict)
    # (release, is_modifier) -> db.queries.search_span
    spans: dict[tuple[str, bool], Span | None] = field(default_factory=dict)
    # (from, to) -> the release diff; made by the first diff, with that request's bound
    diffs: BoundedCache[tuple[str, str], list[Change]] | None = None
    etag: str | None = None  # the digest of the file's releases (server.http_cache)
    # (from, to) -> a payment schedule comparison (schema/types/facility.py), bounded as diffs
    payment_diffs: BoundedCache[tuple[str, str], list[Any]] | None = None
    # pfs release -> its payment localities (about 110 rows; one entry per PFS release)
    localities: dict[str, list[LocalityRow]] = field(default_factory=dict)
    # (table, release, value) -> the rows claim checks read (schema/claim_rows.py); made
    # by the first claim, with that request's bound
    claim_rows: BoundedCache[Any, Any] | None = None


_CACHES: weakref.WeakKeyDictionary[Snapshot, SnapshotCache] = weakref.WeakKeyDictionary()


def cache_of(snapshot: Snapshot) -> SnapshotCache:
    """The snapshot's cache, made on first use."""
    found = _CACHES.get(snapshot)
    if found is None:
        found = _CACHES[snapshot] = SnapshotCache()
    return found
