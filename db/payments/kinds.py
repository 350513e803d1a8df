"""The kinds of payment file `hcpcs load` knows, and how each is told from its content.

A kind is recognised by its header row (CMS renames files from quarter to quarter, but
keeps the columns), searched for in each sheet's first rows. The rows above it are the
file's title rows: the schedule's name and, usually, its effective period.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from hcpcs_graph.db.errors import LoadError
from hcpcs_graph.db.payments.tables import Cell, Sheet
from hcpcs_graph.db.payments.values import text

HEADER_SEARCH_ROWS = 30
UNKNOWN = (
    "not a file hcpcs knows: neither a HCPCS release (CMS's fixed-width TXT, XLSX, XLS or "
    "their ZIP) nor a payment file (ASP pricing file, ASP NDC-HCPCS crosswalk, DMEPOS or "
    "DMEPEN fee schedule, as CSV, XLSX, XLS or ZIP)"
)
RECOGNISED = 0.6  # the share of a kind's columns a row must hold to be taken for its header


def heading(value: Cell) -> str:
    """A column heading compared as CMS varies it: 'AL (NR)', 'AL(NR)', 'Mod 2'."""
    folded = re.sub(r"\s+", " ", text(value)).upper()
    return re.sub(r"\s*\(\s*", "(", folded).replace(" )", ")")


@dataclass(frozen=True, slots=True)
class Header:
    sheet: Sheet
    index: int  # the header row, 0-based
    columns: dict[str, int]  # heading -> column
    title: list[str]  # the non-blank title rows above it


@dataclass(frozen=True, slots=True)
class Kind:
    name: str  # asp, ndc, dmepos, dmepen
    label: str  # for people: "ASP pricing file"
    table: str  # the table its rows go to
    columns: tuple[str, ...]  # the headings it needs (as `heading` folds them)
    # a heading standing for a family of columns: the NDC crosswalk's code column is
    # named for its year (_2025_CODE); a fee schedule's states are "XX(NR)", "XX(R)"
    patterns: tuple[str, ...] = ()

    def score(self, row: Sequence[Cell]) -> float:
        found = {heading(v) for v in row}
        named = sum(c in found for c in self.columns)
        patterned = sum(any(re.fullmatch(p, h) for h in found) for p in self.patterns)
        return (named + patterned) / (len(self.columns) + len(self.patterns))


ASP = Kind(
    "asp",
    "ASP pricing file (payment allowance limits for Medicare Part B drugs)",
    "asp_prices",
    (
        "HCPCS CODE", "SHORT DESCRIPTION", "HCPCS CODE DOSAGE", "PAYMENT LIMIT",
        "CO-INSURANCE PERCENTAGE", "VACCINE AWP%", "VACCINE LIMIT", "BLOOD AWP%",
        "BLOOD LIMIT", "CLOTTING FACTOR", "NOTES",
    ),
)  # fmt: skip
NDC = Kind(
    "ndc",
    "ASP NDC-HCPCS crosswalk",
    "ndc_crosswalk",
    (
        "SHORT DESCRIPTION", "LABELER NAME", "NDC2", "DRUG NAME", "HCPCS DOSAGE",
        "PKG SIZE", "PKG QTY", "BILLUNITS", "BILLUNITSPKG",
    ),
    (r"_?\d{4}_CODE|HCPCS CODE|HCPCS",),
)  # fmt: skip
DMEPOS = Kind(
    "dmepos",
    "DMEPOS fee schedule",
    "dmepos_fees",
    ("HCPCS", "MOD", "MOD2", "JURIS", "CATG", "CEILING", "FLOOR"),
    (r"[A-Z]{2}\(NR\)", r"[A-Z]{2}\(R\)"),
)
DMEPEN = Kind(
    "dmepen",
    "DMEPEN fee schedule (parenteral and enteral nutrition)",
    "dmepos_fees",
    ("HCPCS", "MOD", "MOD2"),
    (r"[A-Z]{2}\(NR\)", r"[A-Z]{2}\(R\)"),
)
KINDS = {k.name: k for k in (ASP, NDC, DMEPOS, DMEPEN)}


def _title(sheet: Sheet, index: int) -> list[str]:
    """The first column's text above the header (notes beside it, such as DMEPOS's
    "*** Non-continental areas ***", head columns, not the file)."""
    lines = (re.sub(r"\s+", " ", text(row[0])) for row in sheet.rows[:index] if row)
    return [line for line in lines if line]


def _candidates(sheets: list[Sheet]) -> list[tuple[float, Kind, Sheet, int]]:
    found = []
    for sheet in sheets:
        for index, row in enumerate(sheet.rows[:HEADER_SEARCH_ROWS]):
            for kind in KINDS.values():
                score = kind.score(row)
                if score >= RECOGNISED:
                    found.append((score, kind, sheet, index))
    return found


def _is_dmepen(row: Sequence[Cell]) -> bool:
    """DMEPOS's columns include DMEPEN's: a header without JURIS and CATG is DMEPEN's."""
    names = {heading(v) for v in row}
    return "JURIS" not in names and "CATG" not in names


def recognise(sheets: list[Sheet], label: str, kind: str | None = None) -> tuple[Kind, Header]:
    """The file's kind (or the one given) and its header row; a LoadError naming what is
    missing when no row is a header of a known kind."""
    wanted = KINDS[kind] if kind else None
    candidates = _candidates(sheets)
    if wanted is not None:
        candidates = [c for c in candidates if c[1] is wanted]
    else:
        candidates = [
            c for c in candidates
            if c[1] not in (DMEPOS, DMEPEN) or (c[1] is DMEPEN) == _is_dmepen(c[2].rows[c[3]])
        ]  # fmt: skip
    if not candidates:
        if wanted is not None:
            raise LoadError(
                f"no header row of a {wanted.label} ({', '.join(wanted.columns)}, ...) in "
                f"the first {HEADER_SEARCH_ROWS} rows",
                file=label,
            )
        raise LoadError(
            f"{UNKNOWN}: no such file's header row in its first {HEADER_SEARCH_ROWS} rows "
            "(--kind names the kind)",
            file=label,
        )
    _score, chosen, sheet, index = max(candidates, key=lambda c: c[0])
    row = sheet.rows[index]
    columns: dict[str, int] = {}
    for column, value in enumerate(row):
        columns.setdefault(heading(value), column)
    missing = [c for c in chosen.columns if c not in columns]
    if missing:
        raise LoadError(
            f"header row lacks the column(s) {', '.join(missing)} of a {chosen.label}",
            file=label,
            where=sheet.where(index),
        )
    return chosen, Header(sheet, index, columns, _title(sheet, index))


Reader = Callable[[Header, str], object]
