"""Differences between versions of a code: the pure part of release history.

A version is a `db.queries.CODE_COLUMNS` row. A code is active in a release when it has no
termination date, or one on or after the release's effective date (CMS keeps discontinued
codes in the file, with their termination date, for four years).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass

from hcpcs_graph.db.queries import CODE_COLUMNS, Row

_COLUMN = {name: i for i, name in enumerate(CODE_COLUMNS)}

# (field as the schema names it, column, code table of its values, repeated)
COMPARED = (
    ("sequenceNumber", "sequence", None, False),
    ("longDescription", "long_description", None, False),
    ("shortDescription", "short_description", None, False),
    ("pricingIndicators", "pricing_indicators", "pricing_indicator", True),
    ("multiplePricingIndicator", "multiple_pricing_indicator", "multiple_pricing_indicator", False),
    ("cimReferences", "cim_references", None, True),
    ("mcmReferences", "mcm_references", None, True),
    ("statute", "statute", None, False),
    ("labCertifications", "lab_certifications", "lab_certification", True),
    ("crossReferences", "cross_references", None, True),
    ("coverage", "coverage", "coverage", False),
    ("ascPaymentGroup", "asc_payment_group", "asc_payment_group", False),
    ("ascEffectiveDate", "asc_effective_date", None, False),
    ("mogPaymentGroup", "mog_payment_group", "mog_payment_group", False),
    ("mogPaymentPolicyIndicator", "mog_payment_policy_indicator",
     "mog_payment_policy_indicator", False),
    ("mogEffectiveDate", "mog_effective_date", None, False),
    ("processingNote", "processing_note", None, False),
    ("betos", "betos", "betos", False),
    ("typesOfService", "types_of_service", "type_of_service", True),
    ("anesthesiaBaseUnits", "anesthesia_base_units", None, False),
    ("addedDate", "added_date", None, False),
    ("actionEffectiveDate", "action_effective_date", None, False),
    ("terminationDate", "termination_date", None, False),
)  # fmt: skip
FIELDS = tuple(name for name, *_ in COMPARED)
_TERMINATION = _COLUMN["termination_date"]
_ADDED = _COLUMN["added_date"]


@dataclass(frozen=True, slots=True)
class Difference:
    field: str
    table: str | None
    before: tuple[str, ...]
    after: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Change:
    kind: str  # ADDED, DISCONTINUED, REACTIVATED, CHANGED, DROPPED or UNCHANGED
    code: str
    is_modifier: bool
    from_release: str | None
    to_release: str
    before: Row | None
    after: Row | None
    differences: tuple[Difference, ...]


def _values(row: Row, index: int, repeated: bool) -> tuple[str, ...]:
    value = row[index]
    if repeated:
        return tuple(json.loads(value))
    return () if value is None else (str(value),)


def differences(before: Row | None, after: Row | None) -> tuple[Difference, ...]:
    if before is None or after is None:
        return ()
    found = []
    for field, column, table, repeated in COMPARED:
        index = _COLUMN[column]
        if before[index] != after[index]:
            found.append(
                Difference(
                    field, table, _values(before, index, repeated), _values(after, index, repeated)
                )
            )
    return tuple(found)


def active(row: Row, effective_date: str) -> bool:
    terminated = row[_TERMINATION]
    return terminated is None or terminated >= effective_date


def status_on(row: Row, date: str) -> str:
    """ACTIVE, NOT_YET_ADDED or TERMINATED on a date of service."""
    added = row[_ADDED]
    if added is not None and added > date:
        return "NOT_YET_ADDED"
    terminated = row[_TERMINATION]
    if terminated is not None and terminated < date:
        return "TERMINATED"
    return "ACTIVE"


def change(
    before: Row | None,
    after: Row | None,
    from_release: tuple[str, str] | None,
    to_release: tuple[str, str],
) -> Change | None:
    """The change between two versions; releases are (id, effective date). None: absent in both."""
    diffs = differences(before, after)
    if before is None:
        if after is None:
            return None
        kind = "ADDED" if active(after, to_release[1]) else "DISCONTINUED"
        sample = after
    elif after is None:
        kind = "DROPPED"
        sample = before
    else:
        sample = after
        was = from_release is None or active(before, from_release[1])
        now = active(after, to_release[1])
        if was and not now:
            kind = "DISCONTINUED"
        elif now and not was:
            kind = "REACTIVATED"
        else:
            kind = "CHANGED" if diffs else "UNCHANGED"
    return Change(
        kind=kind,
        code=sample[_COLUMN["code"]],
        is_modifier=bool(sample[_COLUMN["is_modifier"]]),
        from_release=from_release[0] if from_release else None,
        to_release=to_release[0],
        before=before,
        after=after,
        differences=diffs,
    )


def diff_steps(
    before_rows: list[Row],
    after_rows: list[Row],
    from_release: tuple[str, str],
    to_release: tuple[str, str],
    step: int,
) -> Iterator[list[Change]]:
    """Every code added, discontinued, reactivated, changed or dropped between two
    releases, modifiers after codes, each in code order: `step` codes compared at a time,
    so the caller may stop between any two."""
    key = _COLUMN["is_modifier"], _COLUMN["code"]
    before = {(r[key[0]], r[key[1]]): r for r in before_rows}
    after = {(r[key[0]], r[key[1]]): r for r in after_rows}
    keys = sorted(before.keys() | after.keys())
    for start in range(0, len(keys), step):
        changes = []
        for k in keys[start : start + step]:
            found = change(before.get(k), after.get(k), from_release, to_release)
            if found is not None and found.kind != "UNCHANGED":
                changes.append(found)
        yield changes


def change_bytes(found: Change) -> int:
    """About what one change keeps alive: its object, both rows and its differences."""
    size = 400
    for row in (found.before, found.after):
        if row is not None:
            size += 120 + sum(56 + len(v) if isinstance(v, str) else 32 for v in row)
    for d in found.differences:
        size += 200 + sum(56 + len(v) for v in (*d.before, *d.after))
    return size


def code_history(versions: list[Row], releases: list[tuple[str, str]]) -> list[Change]:
    """A code's change in each loaded release after the first it appears in, oldest first.

    `versions` are its rows (any order), `releases` every loaded (id, effective date), oldest
    first: a release the code is absent from shows as DROPPED, a return after it as ADDED.
    """
    by_release = {row[_COLUMN["release"]]: row for row in versions}
    out: list[Change] = []
    previous: tuple[str, str] | None = None
    seen = False
    for release in releases:
        row = by_release.get(release[0])
        if seen and previous is not None:  # seen: previous is set
            found = change(by_release.get(previous[0]), row, previous, release)
            if found is not None:
                out.append(found)
        seen = seen or row is not None
        previous = release
    return out
