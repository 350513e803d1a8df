"""Rows to schema objects, for one request: every coded value decoded once per request.

A page of 100 codes repeats the same few JSON arrays ('["13"]', '["A", "E"]') and the same
few table values; each is decoded on first sight and reused after.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import strawberry

from schema import ids
from schema.history import status_on
from schema.types.records import CodeStatus, CrossReference, HcpcsCode, Modifier
from schema.types.release import release_object
from schema.types.tables import coded_value, processing_note

if TYPE_CHECKING:
    from schema.context import Context

_new = object.__new__


class Builder:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self._lists: dict[tuple[str, str, str], list[Any]] = {}
        self._values: dict[tuple[str, str | None, str], Any] = {}

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

    def record(self, row: tuple, as_of: str | None = None) -> HcpcsCode | Modifier:
        """A `db.queries.CODE_COLUMNS` row as a HcpcsCode or Modifier; its status is for
        `as_of`, or else for the release's effective date."""
        (
            _, release, code, is_modifier, sequence, record_id, long_description,
            short_description, pricing, multiple, cim, mcm, statute, labs, xrefs, coverage,
            asc_group, asc_date, mog_group, mog_policy, mog_date, note, betos, tos, anesthesia,
            added, effective, terminated, action,
        ) = row  # fmt: skip
        cls = Modifier if is_modifier else HcpcsCode
        release_ = release_object(self.ctx, release)
        status_date = as_of or release_.effective_date
        # Skip the dataclass __init__ (30 keyword arguments): the fields are all known here.
        obj = _new(cls)
        obj.__dict__.update(
            id=strawberry.ID(ids.node_id(cls.__name__, release, code)),
            code=code,
            sequence_number=sequence,
            record_id=record_id,
            long_description=long_description,
            short_description=short_description,
            pricing_indicators=self._many("pricing_indicator", pricing, release),
            multiple_pricing_indicator=self._one("multiple_pricing_indicator", multiple, release),
            cim_references=json.loads(cim) if cim != "[]" else [],
            mcm_references=json.loads(mcm) if mcm != "[]" else [],
            statute=statute,
            lab_certifications=self._many("lab_certification", labs, release),
            cross_references=(
                [CrossReference(code=c, release_id=release) for c in json.loads(xrefs)]
                if xrefs != "[]"
                else []
            ),
            coverage=self._one("coverage", coverage, release),
            asc_payment_group=self._one("asc_payment_group", asc_group, release),
            asc_effective_date=asc_date,
            mog_payment_group=self._one("mog_payment_group", mog_group, release),
            mog_payment_policy_indicator=self._one(
                "mog_payment_policy_indicator", mog_policy, release
            ),
            mog_effective_date=mog_date,
            processing_note=None if note is None else processing_note(self.ctx, note, release),
            betos=self._one("betos", betos, release),
            types_of_service=self._many("type_of_service", tos, release),
            anesthesia_base_units=anesthesia,
            added_date=added,
            action_effective_date=effective,
            termination_date=terminated,
            action=self._one("action_code", action, release),
            release=release_,
            status=CodeStatus(status_on(row, status_date)),
            status_date=status_date,
            release_id=release,
        )
        return obj
