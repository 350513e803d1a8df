"""The per-request context: the database snapshot the request reads, its deadline, its
loaders, and the snapshot's cache (schema/cache.py: the objects built from its catalog,
immutable, so built once per database file and shared by its requests)."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from hcpcs_graph.db.catalog import Catalog
from hcpcs_graph.db.database import Snapshot
from hcpcs_graph.db.queries import Row
from hcpcs_graph.schema.build import Builder
from hcpcs_graph.schema.cache import SnapshotCache, cache_of
from hcpcs_graph.schema.errors import UserInputError
from hcpcs_graph.schema.loaders import Loaders


@dataclass(eq=False)
class Context:
    snapshot: Snapshot
    request_id: str = ""
    time_limit: float = 0.0  # seconds; 0 means none
    diff_cache_bytes: int = 32 * 2**20  # release diffs kept per database file
    claim_cache_bytes: int = 64 * 2**20  # rows claim checks read, kept per database file
    request: Any = None
    response: Any = None
    deadline: float = field(init=False)
    cache: SnapshotCache = field(init=False)  # the snapshot's (schema/cache.py)
    loaders: Loaders = field(init=False)
    build: Builder = field(init=False)
    # the columns each page reads (schema/columns.py)
    widths: dict[tuple[object, ...], int] = field(init=False, default_factory=dict)
    # What the request turned out to be, for the access log and metrics.
    operation_name: str | None = field(init=False, default=None)
    cost: int | None = field(init=False, default=None)
    error_codes: list[str] = field(init=False, default_factory=list)

    def __post_init__(self) -> None:
        self.deadline = time.monotonic() + self.time_limit if self.time_limit else 0.0
        self.cache = cache_of(self.snapshot)
        self.loaders = Loaders(self, self.cache.spans, self.cache.localities)
        self.build = Builder(self)

    @property
    def catalog(self) -> Catalog:
        return self.snapshot.catalog

    async def execute(self, sql: str, params: Sequence[object] = ()) -> list[Row]:
        return await self.snapshot.execute(sql, params, deadline=self.deadline)

    def release(self, name: str | None, argument: str = "release") -> str:
        """A release named by an argument (`release` unless said): the newest loaded
        release when absent."""
        catalog = self.catalog
        if name is None:
            newest = catalog.newest
            assert newest is not None  # a snapshot opens only on a file holding a release
            return newest
        name = name.strip()
        if name not in catalog.release_ids:
            loaded = ", ".join(r.id for r in catalog.releases)
            raise UserInputError(
                f"release {name!r} is not loaded; loaded releases: {loaded}", argument=argument
            )
        return name
