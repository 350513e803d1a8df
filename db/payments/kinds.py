"""The kinds of payment file `hcpcs load` knows, and how each is told from its content.

A kind is recognised by its header row (CMS renames files from quarter to quarter, but
keeps the columns), searched for in each sheet's first rows. The rows above it are the
file's title rows: the schedule's name and, usually, its effective period.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from hcpcs_graph.db.errors import LoadError
from hcpcs_graph.db.payments.tables import Cell, Sheet
from hcpcs_graph.db.payments.values import text

HEADER_SEARCH_ROWS = 30
UNKNOWN = (
    "not a file hcpcs knows: neither a HCPCS release (CMS's fixed-width TXT, XLSX, XLS or "
    "their ZIP) nor a payment file (ASP pricing file, ASP NDC-HCPCS crosswalk, DMEPOS or "
    "DMEPEN fee schedule, physician fee schedule RVU file, clinical lab fee schedule, ASC "
    "addenda, OPPS Addendum B, HCPCS NOC code list; as CSV, XLSX, XLS or ZIP)"
)


class UnknownKind(LoadError):
    """No kind of file hcpcs knows: the caller may try another reader (a HCPCS release)."""


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
    name: str  # the schedule: asp, ndc, dmepos, dmepen, pfs, clfs, asc, opps
    label: str  # for people: "ASP pricing file"
    table: str  # the table its rows go to
    columns: tuple[str, ...]  # the headings it needs (as `heading` folds them)
    # a heading standing for a family of columns: the NDC crosswalk's code column is
    # named for its year (_2025_CODE); a fee schedule's states are "XX(NR)", "XX(R)"
    patterns: tuple[str, ...] = ()
    # a part of a schedule's file set that is read only beside its main file (the GPCI
    # file of the physician fee schedule's ZIP), not loaded alone
    standalone: bool = True
    part: str = ""  # which of a schedule's files: the ASC addenda's AA or BB

    @property
    def a(self) -> str:
        """The label with its article: "an ASP pricing file", "a DMEPOS fee schedule"."""
        return ("an " if self.label[0] in "AEIOUaeiou" else "a ") + self.label

    def score(self, row: Sequence[Cell]) -> float:
        return self.score_headings(_headings(row))

    def score_headings(self, found: set[str]) -> float:
        """The share of this kind's columns among a row's headings."""
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
PFS = Kind(
    "pfs",
    "physician fee schedule relative value file (PPRRVU)",
    "pfs_rvus",
    (
        "HCPCS", "MOD", "DESCRIPTION", "STATUS CODE", "WORK RVU", "NON-FAC PE RVU",
        "FACILITY PE RVU", "MP RVU", "PCTC IND", "GLOB DAYS", "MULT PROC", "CONV FACTOR",
    ),
)  # fmt: skip
GPCI = Kind(
    "pfs",
    "GPCI file",
    "pfs_localities",
    ("STATE", "LOCALITY NUMBER", "LOCALITY NAME"),
    (
        r"MEDICARE ADMINISTRATIVE CONTRACTOR.*",
        r"\d{4} PW GPCI.*",
        r"\d{4} PE GPCI",
        r"\d{4} MP GPCI",
    ),
    standalone=False,
    part="GPCI",
)
LOCCO = Kind(
    "pfs",
    "locality and county file",
    "",
    ("LOCALITY NUMBER", "STATE", "FEE SCHEDULE AREA", "COUNTIES"),
    (r"MEDICARE ADM\w*STRATIVE CONTRACTOR.*",),  # CMS writes "Adminstrative"
    standalone=False,
    part="LOCCO",
)
ANES = Kind(
    "pfs",
    "anesthesia conversion factor file",
    "",
    ("CONTRACTOR", "LOCALITY", "LOCALITY NAME"),
    (r"NATIONAL ANES CF.*",),
    standalone=False,
    part="ANES",
)
CLFS = Kind(
    "clfs",
    "clinical laboratory fee schedule",
    "lab_fees",
    ("YEAR", "HCPCS", "MOD", "EFF_DATE", "INDICATOR", "RATE", "SHORTDESC"),
)
ASC_AA = Kind(
    "asc",
    "ASC Addendum AA (covered surgical procedures)",
    "asc_payments",
    ("HCPCS CODE", "SHORT DESCRIPTOR", "SUBJECT TO MULTIPLE PROCEDURE DISCOUNTING"),
    (r"\w+ \d{4} PAYMENT INDICATOR", r"\w+ \d{4} PAYMENT WEIGHT", r"\w+ \d{4} PAYMENT RATE"),
    part="AA",
)
ASC_BB = Kind(
    "asc",
    "ASC Addendum BB (covered ancillary items and services)",
    "asc_payments",
    ("HCPCS CODE", "SHORT DESCRIPTOR"),
    (
        r"DRUG AND DEVICE PASS-THROUGH EXPIRATION.*",
        r"\w+ \d{4} PAYMENT INDICATOR",
        r"\w+ \d{4} PAYMENT WEIGHT",
        r"\w+ \d{4} PAYMENT RATE",
    ),
    part="BB",
)
ASC_DD1 = Kind(
    "asc",
    "ASC Addendum DD1 (payment indicators)",
    "payment_indicators",
    ("INDICATOR", "PAYMENT INDICATOR DEFINITION"),
    standalone=False,
    part="DD1",
)
OPPS = Kind(
    "opps",
    "OPPS Addendum B",
    "opps_payments",
    (
        "HCPCS CODE", "SHORT DESCRIPTOR", "SI", "APC", "RELATIVE WEIGHT", "PAYMENT RATE",
        "NATIONAL UNADJUSTED COPAYMENT", "MINIMUM UNADJUSTED COPAYMENT",
    ),
)  # fmt: skip
NOC = Kind(
    "noc",
    "HCPCS NOC (not otherwise classified) code list",
    "noc_codes",
    ("HCPCS", "LONG DESCRIPTION", "ADD DATE", "TERM DATE"),
)
ALL = (
    ASP, NDC, DMEPOS, DMEPEN, PFS, GPCI, LOCCO, ANES, CLFS, ASC_AA, ASC_BB, ASC_DD1, OPPS, NOC,
)  # fmt: skip
KINDS = {k.name: k for k in reversed(ALL) if k.standalone}  # a schedule's main file
STANDALONE = tuple(k for k in ALL if k.standalone)


def _title(sheet: Sheet, index: int) -> list[str]:
    """The title rows above the header, and the header band's rows: each row's first text
    in its first three columns (notes far to the right, such as DMEPOS's "*** Non-continental
    areas ***", head columns, not the file)."""
    lines = []
    for row in sheet.rows[:index]:
        first = next((text(v) for v in row[:3] if text(v)), "")
        if first:
            lines.append(re.sub(r"\s+", " ", first))
    return lines


def _band(sheet: Sheet, index: int) -> list[Sequence[Cell]]:
    """The rows a header row continues: CMS's RVU file writes each heading down five rows
    ("WORK" over "RVU"). The rows right above with text in two or more columns."""
    band: list[Sequence[Cell]] = []
    for row in reversed(sheet.rows[max(0, index - 5) : index]):
        if sum(1 for v in row if text(v)) < 2:
            break
        band.insert(0, row)
    return band


def composed(sheet: Sheet, index: int) -> list[str]:
    """Row `index`'s headings, each joined with the band's cells above it."""
    rows = [*_band(sheet, index), sheet.rows[index]]
    width = max(len(r) for r in rows)
    out = []
    for column in range(width):
        parts = [text(r[column]) for r in rows if column < len(r) and text(r[column])]
        out.append(" ".join(parts))
    return out


def _headings(row: Sequence[Cell]) -> set[str]:
    return {heading(v) for v in row if v is not None and v != ""}


def _candidates(sheets: list[Sheet], kinds: Sequence[Kind]) -> list[tuple[float, Kind, Sheet, int]]:
    found = []
    for sheet in sheets:
        for index, row in enumerate(sheet.rows[:HEADER_SEARCH_ROWS]):
            plain = _headings(row)
            if len(plain) < 2:
                continue  # a title row or a blank one
            full = _headings(composed(sheet, index)) if _band(sheet, index) else set()
            for kind in kinds:
                score = max(kind.score_headings(plain), kind.score_headings(full))
                if score >= RECOGNISED:
                    found.append((score, kind, sheet, index))
    return found


def _is_dmepen(row: Sequence[Cell]) -> bool:
    """DMEPOS's columns include DMEPEN's: a header without JURIS and CATG is DMEPEN's."""
    names = {heading(v) for v in row}
    return "JURIS" not in names and "CATG" not in names


def _header(chosen: Kind, sheet: Sheet, index: int, label: str) -> Header:
    row = (
        composed(sheet, index)
        if chosen.score(composed(sheet, index)) > chosen.score(sheet.rows[index])
        else sheet.rows[index]
    )
    columns: dict[str, int] = {}
    for column, value in enumerate(row):
        columns.setdefault(heading(value), column)
    missing = [c for c in chosen.columns if c not in columns]
    if missing:
        raise LoadError(
            f"header row lacks the column(s) {', '.join(missing)} of {chosen.a}",
            file=label,
            where=sheet.where(index),
        )
    return Header(sheet, index, columns, _title(sheet, index))


def _best(candidates: list[tuple[float, Kind, Sheet, int]]) -> tuple[float, Kind, Sheet, int]:
    return max(candidates, key=lambda c: c[0])


def recognise(sheets: list[Sheet], label: str, kind: str | None = None) -> tuple[Kind, Header]:
    """The file's kind (or the one given) and its header row; a LoadError naming what is
    missing when no row is a header of a known kind."""
    wanted = [k for k in STANDALONE if k.name == kind] if kind else list(STANDALONE)
    candidates = [
        c for c in _candidates(sheets, wanted)
        if c[1] not in (DMEPOS, DMEPEN) or (c[1] is DMEPEN) == _is_dmepen(c[2].rows[c[3]])
    ]  # fmt: skip
    if not candidates:
        if kind:
            main = KINDS[kind]
            raise LoadError(
                f"no header row of {main.a} ({', '.join(main.columns)}, ...) in "
                f"the first {HEADER_SEARCH_ROWS} rows",
                file=label,
            )
        raise UnknownKind(
            f"{UNKNOWN}: no such file's header row in its first {HEADER_SEARCH_ROWS} rows "
            "(--kind names the kind)",
            file=label,
        )
    _, chosen, sheet, index = _best(candidates)
    return chosen, _header(chosen, sheet, index, label)


def find(sheets: list[Sheet], kind: Kind, label: str) -> Header | None:
    """The header of a part of a schedule's file set (`kind`) among the sheets, if any: a
    row with all of its columns (a part is looked for, not guessed at)."""
    candidates = [c for c in _candidates(sheets, [kind]) if c[0] == 1.0]
    if not candidates:
        return None
    _, chosen, sheet, index = _best(candidates)
    return _header(chosen, sheet, index, label)
