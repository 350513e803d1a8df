"""What the types read of a request's context. The types depend on this protocol, not on
schema/context.py: the context builds their objects (schema/build.py), so it imports them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from hcpcs_graph.db.catalog import Catalog
from hcpcs_graph.db.database import Snapshot
from hcpcs_graph.db.fields import CodeRow
from hcpcs_graph.db.queries import Row
from hcpcs_graph.schema.cache import SnapshotCache
from hcpcs_graph.schema.loaders import Loaders


class Record(Protocol):
    """A HcpcsCode or Modifier (schema/types/records.py), as the modules it imports know one."""

    code: str
    release_id: str


class Converters(Protocol):
    def record(self, row: CodeRow, as_of: str | None = None) -> Any:
        """The row as a HcpcsCode or Modifier."""


class RequestContext(Protocol):
    @property
    def snapshot(self) -> Snapshot: ...
    @property
    def catalog(self) -> Catalog: ...
    @property
    def cache(self) -> SnapshotCache: ...
    @property
    def build(self) -> Converters: ...
    @property
    def loaders(self) -> Loaders: ...
    @property
    def diff_cache_bytes(self) -> int: ...
    @property
    def claim_cache_bytes(self) -> int: ...
    @property
    def deadline(self) -> float: ...
    def release(self, name: str | None, argument: str = "release") -> str: ...
    async def execute(self, sql: str, params: Sequence[object] = ()) -> list[Row]: ...
