"""CMS's NOC list: the HCPCS codes that are "not otherwise classified" (a claim billing one
needs a narrative description). A description too long for its cell continues on the next
rows, under the same code with no dates; they are joined."""

from __future__ import annotations

import datetime as dt

from hcpcs_graph.db.errors import LoadError
from hcpcs_graph.db.payments.kinds import Header, Kind
from hcpcs_graph.db.payments.parse import Parsed, rows
from hcpcs_graph.db.payments.values import dropped_reason

CODE = "HCPCS"


def _date(text: str, column: str) -> str | None:
    if not text:
        return None
    try:
        return dt.datetime.strptime(text, "%Y%m%d").date().isoformat()
    except ValueError:
        raise LoadError(f"{text!r} is not a date (YYYYMMDD)", field=column) from None


def read(header: Header, kind: Kind, label: str) -> Parsed:
    parsed = Parsed(kind, header.title)
    out = parsed.tables.setdefault(kind.table, [])
    try:
        found = list(rows(header, CODE))
    except LoadError as e:
        raise e.located(file=label) from None
    for number, cells, code in found:
        try:
            text = " ".join(cells.text("LONG DESCRIPTION").split())
            added = _date(cells.text("ADD DATE"), "ADD DATE")
            ended = _date(cells.text("TERM DATE"), "TERM DATE")
        except LoadError as e:
            raise e.located(file=label, where=cells.where) from None
        if out and out[-1][0] == code and added is None and ended is None:
            last = out[-1]
            out[-1] = (last[0], last[1], f"{last[2]} {text}".strip(), last[3], last[4])
            continue
        if code in parsed.seen:
            raise LoadError(f"{code} is listed twice", file=label, where=cells.where)
        reason = dropped_reason(code)
        if reason is not None:
            parsed.dropped[reason] += 1
            continue
        out.append((code, number, text, added, ended))
        parsed.seen.add(code)
    if not out:
        raise LoadError(f"no Level II rows after the header of this {kind.label}", file=label)
    return parsed
