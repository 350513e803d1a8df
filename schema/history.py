"""Differences between versions of a code: the pure part of release history.

A version is a `db.fields.CodeRow`. A code is active in a release when it has no
termination date, or one on or after the release's effective date (CMS keeps discontinued
codes in the file, with their termination date, for four years).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from hcpcs_graph.db import fields
from hcpcs_graph.db.fields import INDEX, CodeRow

# (field as the schema names it, its index in a row, code table of its values, repeated),
# in the table's order: the fields a release can change (db.fields)
COMPARED: tuple[tuple[str, int, str | None, bool], ...] = tuple(
    (f.name, INDEX[f.column], f.table, f.repeated)
    for f in fields.FIELDS
    if f.diffed and f.name is not None
)
FIELDS = tuple(name for name, *_ in COMPARED)


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
    before: CodeRow | None
    after: CodeRow | None
    differences: tuple[Difference, ...]


def _values(row: CodeRow, index: int, repeated: bool) -> tuple[str, ...]:
    value: Any = row[index]
    if repeated:
        return tuple(json.loads(value))
    return () if value is None else (str(value),)


def differences(before: CodeRow | None, after: CodeRow | None) -> tuple[Difference, ...]:
    if before is None or after is None:
        return ()
    found = []
    for field, index, table, repeated in COMPARED:
        if before[index] != after[index]:
            found.append(
                Difference(
                    field, table, _values(before, index, repeated), _values(after, index, repeated)
                )
            )
    return tuple(found)


def active(row: CodeRow, effective_date: str) -> bool:
    terminated = row.termination_date
    return terminated is None or terminated >= effective_date


def status_on(row: CodeRow, date: str) -> str:
    """ACTIVE, NOT_YET_ADDED or TERMINATED on a date of service."""
    added = row.added_date
    if added is not None and added > date:
        return "NOT_YET_ADDED"
    terminated = row.termination_date
    if terminated is not None and terminated < date:
        return "TERMINATED"
    return "ACTIVE"


def change(
    before: CodeRow | None,
    after: CodeRow | None,
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
        code=sample.code,
        is_modifier=bool(sample.is_modifier),
        from_release=from_release[0] if from_release else None,
        to_release=to_release[0],
        before=before,
        after=after,
        differences=diffs,
    )


def diff_steps(
    before_rows: list[CodeRow],
    after_rows: list[CodeRow],
    from_release: tuple[str, str],
    to_release: tuple[str, str],
    step: int,
) -> Iterator[list[Change]]:
    """Every code added, discontinued, reactivated, changed or dropped between two
    releases, modifiers after codes, each in code order: `step` codes compared at a time,
    so the caller may stop between any two."""
    before = {(r.is_modifier, r.code): r for r in before_rows}
    after = {(r.is_modifier, r.code): r for r in after_rows}
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


def code_history(versions: list[CodeRow], releases: list[tuple[str, str]]) -> list[Change]:
    """A code's change in each loaded release after the first it appears in, oldest first.

    `versions` are its rows (any order), `releases` every loaded (id, effective date), oldest
    first: a release the code is absent from shows as DROPPED, a return after it as ADDED.
    """
    by_release = {row.release: row for row in versions}
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
