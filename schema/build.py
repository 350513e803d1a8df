"""Rows to schema objects: every coded value decoded once per database file.

A page of 100 codes repeats the same few JSON arrays ('["13"]', '["A", "E"]') and the same
few table values; each is decoded on first sight and reused after, by every request
reading the same file (the objects are never changed once built).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import strawberry

from hcpcs_graph.db.fields import FIELDS, INDEX, READ, CodeRow, Field
from hcpcs_graph.schema import ids
from hcpcs_graph.schema.history import status_on
from hcpcs_graph.schema.types.protocol import RequestContext
from hcpcs_graph.schema.types.records import CodeStatus, CrossReference, HcpcsCode, Modifier
from hcpcs_graph.schema.types.release import release_object
from hcpcs_graph.schema.types.tables import coded_value, processing_note

_new = object.__new__


# The record's attributes kept as stored (text, dates, numbers), set when a row is read
_PLAIN = {f.attr: INDEX[f.column] for f in READ if f.attr is not None and f.decode == "value"}


def _plain_setter() -> Callable[..., None]:
    """`set(obj, row, build, as_of)` fills a record's dict in one keyword call, written out
    from the registry once: a page builds a record per row, and updating from
    zip(names, values) costs twice as much per row."""
    assigned = ", ".join(f"{attr}=row[{index}]" for attr, index in _PLAIN.items())
    source = (
        "def set(obj, row, build, as_of):\n"
        f"    obj.__dict__.update({assigned}, release_id=row[{INDEX['release']}],"
        " _row=row, _build=build, _as_of=as_of)\n"
    )
    namespace: dict[str, Any] = {}
    exec(source, namespace)  # only names and numbers from db/fields.py, no input
    setter: Callable[..., None] = namespace["set"]
    return setter


_set_plain = _plain_setter()


class Builder:
    def __init__(self, ctx: RequestContext) -> None:
        self.ctx = ctx
        # Decoded values and lists depend on the file alone: shared by its requests.
        self._lists = ctx.cache.lists
        self._values = ctx.cache.values

    def _one(self, table: str, code: str | None, release: str) -> Any:
        if code is None:
            return None
        key = (table, code, release)
        found = self._values.get(key)
        if found is None:
            found = self._values[key] = coded_value(self.ctx, table, code, release)
        return found

    def _many(self, table: str, raw: str, release: str) -> list[Any]:
        if raw == "[]":
            return []
        key = (table, raw, release)
        found = self._lists.get(key)
        if found is None:
            found = self._lists[key] = [
                coded_value(self.ctx, table, v, release) for v in json.loads(raw)
            ]
        return found

    def record(self, row: CodeRow, as_of: str | None = None) -> HcpcsCode | Modifier:
        """A `db.fields.CodeRow` as a HcpcsCode or Modifier; its status is for
        `as_of`, or else for the release's effective date.

        The text and dates are set now; what takes decoding (code-table values, JSON
        lists, the node id, the status) on first read, so a search asking for a code and
        its description does not decode the other twenty fields.
        """
        # Skip the dataclass __init__ (30 keyword arguments): the fields are all known here.
        cls: type[HcpcsCode | Modifier] = _LazyModifier if row.is_modifier else _LazyHcpcsCode
        obj = _new(cls)
        _set_plain(obj, row, self, as_of)
        return obj


class _Lazy:
    """A record field computed on its first read and kept in the instance (a non-data
    descriptor: once the instance has the attribute, the descriptor is not consulted)."""

    __slots__ = ("compute", "name")

    def __init__(self, compute: Callable[[Any], Any]) -> None:
        self.compute = compute
        self.name = ""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, obj: Any, owner: type | None = None) -> Any:
        if obj is None:
            return self
        value = obj.__dict__[self.name] = self.compute(obj)
        return value


def _one(table: str, column: int) -> _Lazy:
    return _Lazy(lambda r: r._build._one(table, r._row[column], r.release_id))


def _many(table: str, column: int) -> _Lazy:
    return _Lazy(lambda r: r._build._many(table, r._row[column], r.release_id))


def _json(column: int) -> _Lazy:
    return _Lazy(lambda r: json.loads(r._row[column]) if r._row[column] != "[]" else [])


def _cross_references(r: Any) -> list[CrossReference]:
    raw = r._row.cross_references
    if raw == "[]":
        return []
    return [CrossReference(code=c, release_id=r.release_id) for c in json.loads(raw)]


def _note(r: Any) -> Any:
    note = r._row.processing_note
    return None if note is None else processing_note(r._build.ctx, note, r.release_id)


def _id(r: Any) -> strawberry.ID:
    # `status` is for the status date: a date other than the release's is named too
    parts = [r._type_name, r.release_id, r.code]
    if r.status_date != r.release.effective_date:
        parts.append(r.status_date)
    return strawberry.ID(ids.node_id(*parts))


def _decoded(f: Field) -> _Lazy:
    """How a record's field that takes decoding is read from its row (db.fields)."""
    index, table = INDEX[f.column], f.table or ""
    if f.decode == "coded":
        return _one(table, index)
    if f.decode == "coded_list":
        return _many(table, index)
    if f.decode == "list":
        return _json(index)
    if f.decode == "cross_references":
        return _Lazy(_cross_references)
    if f.decode == "note":
        return _Lazy(_note)
    raise ValueError(f"{f.column}: no decoding {f.decode!r}")


class _LazyRecord:
    _type_name: str
    id = _Lazy(_id)
    release = _Lazy(lambda r: release_object(r._build.ctx, r.release_id))
    status_date = _Lazy(lambda r: r._as_of or r.release.effective_date)
    status = _Lazy(lambda r: CodeStatus(status_on(r._row, r.status_date)))


for _field in FIELDS:  # the rest of the record's fields, decoded as the registry says
    if _field.attr is not None and _field.decode != "value":
        _lazy = _decoded(_field)
        _lazy.__set_name__(_LazyRecord, _field.attr)
        setattr(_LazyRecord, _field.attr, _lazy)


class _LazyHcpcsCode(_LazyRecord, HcpcsCode):
    _type_name = "HcpcsCode"


class _LazyModifier(_LazyRecord, Modifier):
    _type_name = "Modifier"
