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

from hcpcs_graph.db.queries import CODE_COLUMNS, Row
from hcpcs_graph.schema import ids
from hcpcs_graph.schema.history import status_on
from hcpcs_graph.schema.types.protocol import RequestContext
from hcpcs_graph.schema.types.records import CodeStatus, CrossReference, HcpcsCode, Modifier
from hcpcs_graph.schema.types.release import release_object
from hcpcs_graph.schema.types.tables import coded_value, processing_note

_new = object.__new__


def _col(name: str) -> int:
    return CODE_COLUMNS.index(name)


_IS_MODIFIER, _CODE, _RELEASE = _col("is_modifier"), _col("code"), _col("release")
_SEQUENCE, _RECORD_ID, _STATUTE = _col("sequence"), _col("record_id"), _col("statute")
_LONG, _SHORT = _col("long_description"), _col("short_description")
_ASC_DATE, _MOG_DATE = _col("asc_effective_date"), _col("mog_effective_date")
_ANESTHESIA, _ADDED = _col("anesthesia_base_units"), _col("added_date")
_EFFECTIVE, _TERMINATED = _col("action_effective_date"), _col("termination_date")
_XREFS, _NOTE = _col("cross_references"), _col("processing_note")


class Builder:
    def __init__(self, ctx: RequestContext) -> None:
        self.ctx = ctx
        # Decoded values and lists depend on the file alone: shared by its requests.
        memo = ctx.snapshot.memo
        self._lists: dict[tuple[str, str, str], list[Any]] = memo.setdefault("lists", {})  # type: ignore[assignment]  # the memo's "lists" is this dict
        self._values: dict[tuple[str, str | None, str], Any] = memo.setdefault("values", {})  # type: ignore[assignment]  # the memo's "values" is this dict

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

    def record(self, row: Row, as_of: str | None = None) -> HcpcsCode | Modifier:
        """A `db.queries.CODE_COLUMNS` row as a HcpcsCode or Modifier; its status is for
        `as_of`, or else for the release's effective date.

        The text and dates are set now; what takes decoding (code-table values, JSON
        lists, the node id, the status) on first read, so a search asking for a code and
        its description does not decode the other twenty fields.
        """
        # Skip the dataclass __init__ (30 keyword arguments): the fields are all known here.
        cls: type[HcpcsCode | Modifier] = _LazyModifier if row[_IS_MODIFIER] else _LazyHcpcsCode
        obj = _new(cls)
        obj.__dict__.update(
            code=row[_CODE],
            sequence_number=row[_SEQUENCE],
            record_id=row[_RECORD_ID],
            long_description=row[_LONG],
            short_description=row[_SHORT],
            statute=row[_STATUTE],
            asc_effective_date=row[_ASC_DATE],
            mog_effective_date=row[_MOG_DATE],
            anesthesia_base_units=row[_ANESTHESIA],
            added_date=row[_ADDED],
            action_effective_date=row[_EFFECTIVE],
            termination_date=row[_TERMINATED],
            release_id=row[_RELEASE],
            _row=row,
            _build=self,
            _as_of=as_of,
        )
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
    raw = r._row[_XREFS]
    if raw == "[]":
        return []
    return [CrossReference(code=c, release_id=r.release_id) for c in json.loads(raw)]


def _note(r: Any) -> Any:
    note = r._row[_NOTE]
    return None if note is None else processing_note(r._build.ctx, note, r.release_id)


def _id(r: Any) -> strawberry.ID:
    # `status` is for the status date: a date other than the release's is named too
    parts = [r._type_name, r.release_id, r.code]
    if r.status_date != r.release.effective_date:
        parts.append(r.status_date)
    return strawberry.ID(ids.node_id(*parts))


class _LazyRecord:
    _type_name: str
    id = _Lazy(_id)
    pricing_indicators = _many("pricing_indicator", _col("pricing_indicators"))
    multiple_pricing_indicator = _one(
        "multiple_pricing_indicator", _col("multiple_pricing_indicator")
    )
    cim_references = _json(_col("cim_references"))
    mcm_references = _json(_col("mcm_references"))
    lab_certifications = _many("lab_certification", _col("lab_certifications"))
    cross_references = _Lazy(_cross_references)
    coverage = _one("coverage", _col("coverage"))
    asc_payment_group = _one("asc_payment_group", _col("asc_payment_group"))
    mog_payment_group = _one("mog_payment_group", _col("mog_payment_group"))
    mog_payment_policy_indicator = _one(
        "mog_payment_policy_indicator", _col("mog_payment_policy_indicator")
    )
    processing_note = _Lazy(_note)
    betos = _one("betos", _col("betos"))
    types_of_service = _many("type_of_service", _col("types_of_service"))
    action = _one("action_code", _col("action_code"))
    release = _Lazy(lambda r: release_object(r._build.ctx, r.release_id))
    status_date = _Lazy(lambda r: r._as_of or r.release.effective_date)
    status = _Lazy(lambda r: CodeStatus(status_on(r._row, r.status_date)))


class _LazyHcpcsCode(_LazyRecord, HcpcsCode):
    _type_name = "HcpcsCode"


class _LazyModifier(_LazyRecord, Modifier):
    _type_name = "Modifier"
