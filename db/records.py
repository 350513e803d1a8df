"""One HCPCS code or modifier as CMS's record layout defines it, and the checks its fields get.

Both readers (fixed-width TXT and XLSX) produce `Record`s through `build_record`, so a
value is validated and normalised the same way whichever file it came from.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, fields
from typing import NamedTuple

from hcpcs_graph.db.errors import LoadError

PROCEDURE_IDS = frozenset("34")
MODIFIER_IDS = frozenset("78")
FIRST_LINE_IDS = frozenset("37")

_CODE = re.compile(r"[A-Z0-9]{5}")
_MODIFIER = re.compile(r"[A-Z0-9]{2}")


@dataclass(slots=True)
class Record:
    code: str
    is_modifier: bool
    sequence: int
    record_id: str
    long_description: str
    short_description: str
    pricing_indicators: list[str]
    multiple_pricing_indicator: str | None
    cim_references: list[str]
    mcm_references: list[str]
    statute: str | None
    lab_certifications: list[str]
    cross_references: list[str]
    coverage: str | None
    asc_payment_group: str | None
    asc_effective_date: str | None
    mog_payment_group: str | None
    mog_payment_policy_indicator: str | None
    mog_effective_date: str | None
    processing_note: int | None
    betos: str | None
    types_of_service: list[str]
    anesthesia_base_units: int | None
    added_date: str | None
    action_effective_date: str | None
    termination_date: str | None
    action_code: str | None


RECORD_FIELDS = tuple(f.name for f in fields(Record))


@dataclass(slots=True)
class Parsed:
    """What a reader made of one file."""

    records: list[Record]
    lines: int  # record lines of a TXT (continuations included) or data rows of a workbook
    repairs: list[str]  # CMS quirks read in a documented way, one line each, for the summary


class Raw(NamedTuple):
    """One first line's fields as the file holds them, before any check.

    `single` holds the fields of one value, `repeated` the OCCURS fields (one string a slot).
    """

    single: dict[str, str]
    repeated: dict[str, list[str]]


def text(value: str) -> str | None:
    """A CHAR field: blanks mean absent."""
    value = value.strip()
    return value or None


def repeated(values: list[str]) -> list[str]:
    """An OCCURS field: keep the order, drop the blank slots."""
    return [v.strip() for v in values if v.strip()]


def date(value: str, field: str) -> str | None:
    """A YYYYMMDD field as an ISO date; blank is absent, anything else invalid is an error."""
    value = value.strip()
    if not value:
        return None
    if len(value) != 8 or not value.isdigit():
        raise LoadError(f"{value!r} is not a YYYYMMDD date", field=field)
    try:
        return dt.date(int(value[:4]), int(value[4:6]), int(value[6:])).isoformat()
    except ValueError:
        raise LoadError(f"{value!r} is not a valid date", field=field) from None


def number(value: str, field: str) -> int | None:
    value = value.strip()
    if not value:
        return None
    if not value.isdigit():
        raise LoadError(f"{value!r} is not a number", field=field)
    return int(value)


def code(value: str, record_id: str) -> str:
    """The code of a procedure (5 characters) or modifier (2), upper-cased."""
    value = value.strip().upper()
    pattern = _MODIFIER if record_id in MODIFIER_IDS else _CODE
    if not pattern.fullmatch(value):
        kind = "modifier" if record_id in MODIFIER_IDS else "procedure code"
        raise LoadError(f"{value!r} is not a valid {kind}", field="code")
    return value


def record_id(value: str) -> str:
    value = value.strip()
    if value not in PROCEDURE_IDS | MODIFIER_IDS:
        raise LoadError(f"unknown record id {value!r} (expected 3, 4, 7 or 8)", field="record_id")
    return value


def _asc_fields(group: str, when: str, repairs: list[str]) -> tuple[str, str]:
    """CMS's 2018 file writes five ASC dates two columns early: group "20", date "170401  ".

    Read that shape as no group and the date 2017-04-01 (both the TXT and the XLSX have it).
    """
    shifted = group.strip() + when.strip()
    if (
        len(group.strip()) == 2
        and group.isdigit()
        and len(when.strip()) == 6
        and when.strip().isdigit()
        and _valid_date(shifted)
    ):
        repairs.append(f"ASC group {group!r} + date {when.strip()!r} read as date {shifted}")
        return "", shifted
    return group, when


def _valid_date(value: str) -> bool:
    try:
        return date(value, "") is not None
    except LoadError:
        return False


def build_record(raw: Raw, repairs: list[str] | None = None) -> Record:
    """Turn the raw strings of one code (all fields present) into a checked `Record`.

    Known CMS quirks that are repaired rather than refused are described in `repairs`.
    """
    one, many = raw  # the fields of one value, the OCCURS fields
    rid = one["record_id"]
    found: list[str] = []
    asc_group, asc_date = _asc_fields(one["asc_payment_group"], one["asc_effective_date"], found)
    if repairs is not None:
        repairs.extend(f"{one['code']}: {r}" for r in found)
    return Record(
        code=one["code"],
        is_modifier=rid in MODIFIER_IDS,
        sequence=number(one["sequence"], "sequence") or 0,
        record_id=rid,
        long_description=one["long_description"],
        short_description=one["short_description"].strip(),
        pricing_indicators=repeated(many["pricing_indicators"]),
        multiple_pricing_indicator=text(one["multiple_pricing_indicator"]),
        cim_references=repeated(many["cim_references"]),
        mcm_references=repeated(many["mcm_references"]),
        statute=text(one["statute"]),
        lab_certifications=repeated(many["lab_certifications"]),
        cross_references=[v.upper() for v in repeated(many["cross_references"])],
        coverage=text(one["coverage"]),
        asc_payment_group=text(asc_group),
        asc_effective_date=date(asc_date, "asc_effective_date"),
        mog_payment_group=text(one["mog_payment_group"]),
        mog_payment_policy_indicator=text(one["mog_payment_policy_indicator"]),
        mog_effective_date=date(one["mog_effective_date"], "mog_effective_date"),
        processing_note=number(one["processing_note"], "processing_note"),
        betos=text(one["betos"]),
        types_of_service=repeated(many["types_of_service"]),
        anesthesia_base_units=number(one["anesthesia_base_units"], "anesthesia_base_units"),
        added_date=date(one["added_date"], "added_date"),
        action_effective_date=date(one["action_effective_date"], "action_effective_date"),
        termination_date=date(one["termination_date"], "termination_date"),
        action_code=text(one["action_code"]),
    )


class Assembler:
    """Collects a file's records in order: first lines, then their continuation lines.

    Shared by both readers: CMS's workbooks also carry a continuation row now and then
    (2019's G0503), and duplicate codes are refused the same way in both.
    """

    def __init__(self) -> None:
        self.records: list[Record] = []
        self.repairs: list[str] = []
        self._first_seen: dict[str, str] = {}
        self._segments: list[tuple[int, str]] = []

    def first(self, raw: Raw, where: str) -> None:
        code_ = raw.single["code"]
        if code_ in self._first_seen:
            raise LoadError(
                f"{code_} appears again (first at {self._first_seen[code_]})", field="code"
            )
        self._first_seen[code_] = where
        self._close()
        record = build_record(raw, self.repairs)
        self.records.append(record)
        self._segments = [(record.sequence, raw.single["long_description"])]

    def continuation(self, code_: str, rid: str, sequence: str, segment: str) -> None:
        last = self.records[-1] if self.records else None
        if last is None or last.code != code_:
            raise LoadError(
                f"continuation (record id {rid}) for {code_} has no first line", field="record_id"
            )
        if last.is_modifier != (rid in MODIFIER_IDS):
            raise LoadError(
                f"record id {rid} continues a record of id {last.record_id}", field="record_id"
            )
        self._segments.append((number(sequence, "sequence") or 0, segment))

    def _close(self) -> None:
        if self.records:
            segments = sorted(self._segments, key=lambda s: s[0])
            self.records[-1].long_description = " ".join(
                s.strip() for _, s in segments if s.strip()
            )

    def finish(self, lines: int, file: str) -> Parsed:
        self._close()
        if not self.records:
            raise LoadError("no HCPCS records found", file=file)
        return Parsed(self.records, lines, self.repairs)
