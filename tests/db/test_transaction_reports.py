"""releaseDiff against CMS's own transaction reports, 2017 to 2020.

Each annual ZIP's report gives every code of the new file a type of change, and that type is,
code for code, the new file's action code (checked below). CMS codes actions against the
previous year's file as corrected and updated during the year (its published corrections name
many of the codes where we differ); we hold that file as first published. CMS also leaves
some edits uncoded (N). So our January-to-January diff and the report disagree on some codes:
each is put in one named category, counted per year, and a code that moves fails the test
with the counts side by side.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests.conftest import Run
from tests.transaction_reports import (
    ACTION_CODES,
    CORRECTIONS,
    REPORTS,
    read_corrections,
    read_prn,
    read_xlsx,
)

YEARS = tuple(REPORTS)

QUERY = """query($from: String!, $to: String!, $after: String) {
  releaseDiff(from: $from, to: $to, first: 500, after: $after) {
    pageInfo { hasNextPage endCursor }
    nodes { code kind differences { field before after }
            after { addedDate terminationDate } } } }"""

# The report's type of change -> our kind, for the table.
KIND: dict[str | None, str] = {
    "ADD": "ADDED",
    "DISCONTINUED": "DISCONTINUED",
    "REACTIVATED": "REACTIVATED",
}
KIND.update({cat: "CHANGED" for cat in ACTION_CODES if cat not in KIND})
KIND["NO CHANGE"] = "UNCHANGED"
# The fields a type of change names: our differences must hold one of these sets.
FIELDS = {
    "LONG DESC": [{"longDescription"}],
    "SHORT DESC": [{"shortDescription"}],
    "COVERAGE": [{"coverage"}],
    "COVERAGE AND LONG DESC": [{"coverage", "longDescription"}],
    "MISC": [{"typesOfService"}, {"betos"}],
    "PAYMENT": [
        {"pricingIndicators"},
        {"multiplePricingIndicator"},
        {"ascPaymentGroup"},
        {"ascEffectiveDate"},
    ],
}
DATES = {"addedDate", "actionEffectiveDate"}
TEXT = {"longDescription", "shortDescription"}

# Every category, agreeing or not, with what it means.
EXPLAINED = {
    "added": "both: added",
    "discontinued": "both: discontinued",
    "reactivated": "both: reactivated",
    "changed": "both: changed, and our differences hold the field the report names",
    "unchanged": "both: no change",
    "dropped": "gone from the new file (CMS drops codes four years after ending them, or by "
    "mistake: DA in 2019), so the report, which lists the new file, cannot name it",
    "not in report": "in the new file we hold but not in the report: the 2018 file in CMS's "
    "ZIP is a March 2018 re-issue (HCPC2018_CONTR_ANWEB_disc.txt), the report is of "
    "November 2017 and has no line for L1 (ended 2016-12-31, unchanged since)",
    "corrected": "named in CMS's corrections to the previous annual file: the report counts "
    "from the corrected file, we from the file as first published",
    "added last year": "we add it, but its added date is before this file's year: it came in "
    "a correction or quarterly update of the previous year's file, which the report "
    "counts from",
    "ended last year": "we see it discontinued, but it was terminated before the previous "
    "year's last day: CMS ended it in an update of the previous year's file",
    "action code kept": "the new file repeats the previous file's action code (A for QQ and "
    "VM, D for G0154) where nothing, or only an already past termination date, changed",
    "earlier change revised": "the previous file's change (action dated that file's year) "
    "was undone or re-dated within the year: the new file has an earlier action "
    "effective date and action N (e.g. J0571's 2016 description reverted to 2015's)",
    "action date blank": "the new file leaves the action effective date blank where the "
    "previous one had it equal to the added date (2020; 2026-01 has it again); coded N",
    "dates only": "only the added or action effective date changed; CMS codes N",
    "spacing only": "a description's spacing changed, nothing else; CMS codes N",
    "reworded": "a description's spelling, punctuation or wording was edited; CMS codes N",
    "type of service": "a type of service was added or removed; CMS codes N",
    "lab certification": "a lab certification was added; CMS codes N",
    "pricing indicator": "a pricing indicator was added; CMS codes N",
    "asc group": "the ASC group and date were removed from a code ended in 2014; CMS codes N",
    "field not in diff": "the report names a field our diff does not see change: PO's "
    "coverage is C in both files (a processing note was added instead)",
}
UNCODED = {
    frozenset({"typesOfService"}): "type of service",
    frozenset({"labCertifications"}): "lab certification",
    frozenset({"pricingIndicators"}): "pricing indicator",
    frozenset({"ascPaymentGroup", "ascEffectiveDate"}): "asc group",
}

# Per year, each category's count and one code in it.
EXPECTED = {
    2017: {
        "unchanged": (5695, "A0021"),
        "added": (278, "A4224"),
        "changed": (169, "A4221"),
        "discontinued": (146, "A4466"),
        "reactivated": (1, "S3854"),
        "dropped": (98, "C9279"),
        "dates only": (113, "A0130"),
        "reworded": (33, "G0281"),
        "ended last year": (29, "G6030"),
        "spacing only": (16, "A4373"),
        "added last year": (8, "G0477"),
        "earlier change revised": (5, "J0571"),
        "type of service": (1, "C1822"),
        "asc group": (1, "C9441"),
        "pricing indicator": (1, "G0472"),
        "action code kept": (1, "G0154"),
        "field not in diff": (1, "PO"),
    },
    2018: {
        "unchanged": (6204, "A0021"),
        "added": (152, "C9014"),
        "changed": (135, "A4421"),
        "discontinued": (40, "A9599"),
        "dropped": (107, "C1204"),
        "corrected": (12, "G0477"),
        "reworded": (5, "J7342"),
        "type of service": (3, "E0210"),
        "lab certification": (3, "G0475"),
        "dates only": (3, "L5643"),
        "spacing only": (1, "G9226"),
        "not in report": (1, "L1"),
    },
    2019: {
        "unchanged": (6341, "A0021"),
        "added": (224, "A4563"),
        "changed": (150, "A5512"),
        "discontinued": (49, "C8904"),
        "dropped": (3, "DA"),
        "corrected": (24, "G9637"),
        "dates only": (6, "G0364"),
        "reworded": (3, "G9898"),
        "action code kept": (2, "QQ"),
        "added last year": (1, "Q2041"),
    },
    2020: {
        "unchanged": (6507, "A0021"),
        "added": (250, "A4226"),
        "changed": (82, "B4185"),
        "discontinued": (99, "C9035"),
        "action date blank": (115, "A0130"),
        "corrected": (12, "DA"),
        "added last year": (12, "G2001"),
        "type of service": (2, "E0776"),
    },
}
# Per year and our kind: (codes the report gives it, codes our diff gives it, both).
TABLE = {
    2017: {
        "ADDED": (278, 286, 278),
        "DISCONTINUED": (147, 175, 146),
        "REACTIVATED": (1, 1, 1),
        "CHANGED": (170, 341, 170),
        "UNCHANGED": (5902, 5695, 5695),
        "DROPPED": (0, 98, 0),
    },
    2018: {
        "ADDED": (152, 154, 152),
        "DISCONTINUED": (40, 43, 40),
        "CHANGED": (135, 157, 135),
        "UNCHANGED": (6231, 6205, 6204),
        "DROPPED": (0, 107, 0),
    },
    2019: {
        "ADDED": (228, 228, 224),
        "DISCONTINUED": (49, 49, 49),
        "CHANGED": (151, 180, 150),
        "UNCHANGED": (6372, 6343, 6341),
        "DROPPED": (0, 3, 0),
    },
    2020: {
        "ADDED": (250, 268, 250),
        "DISCONTINUED": (99, 100, 99),
        "CHANGED": (82, 204, 82),
        "UNCHANGED": (6648, 6507, 6507),
    },
}


def _actions(db: Path, release: str) -> dict[str, str]:
    """{code: action code} of a release, codes and modifiers (no code is both)."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        rows = conn.execute("SELECT code, action_code FROM codes WHERE release = ?", [release])
        return dict(rows.fetchall())
    finally:
        conn.close()


async def _diff(run: Run, old: str, new: str) -> dict[str, dict]:
    nodes, after = [], None
    while True:
        page = (await run(QUERY, {"from": old, "to": new, "after": after}))["releaseDiff"]
        nodes += page["nodes"]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    by_code = {n["code"]: n for n in nodes}
    assert len(by_code) == len(nodes)  # no code is also a modifier
    return by_code


def _same_words(diff: dict) -> bool:
    return (diff["before"] or "").split() == (diff["after"] or "").split()


def classify(
    year: int,
    code: str,
    said: str | None,
    node: dict | None,
    actions: tuple[str | None, str | None],
    corrected: dict[str, str],
) -> str:
    """The category of one code: `said` is the report's type of change, `node` our change
    (None: unchanged or absent), `actions` the code's in the previous and the new file."""
    previous_action, action = actions
    kind = node["kind"] if node else ("UNCHANGED" if action else None)
    if said is None:
        return "dropped" if kind == "DROPPED" else "not in report"
    diffs = {d["field"]: d for d in node["differences"]} if node else {}
    fields = set(diffs)
    if kind == KIND[said]:
        if said not in FIELDS:
            return kind.lower()
        return "changed" if any(f <= fields for f in FIELDS[said]) else "field not in diff"
    if code in corrected:
        return "corrected"
    if kind == "ADDED" and node["after"]["addedDate"] < f"{year}-01-01":
        return "added last year"
    if kind == "DISCONTINUED" and node["after"]["terminationDate"] < f"{year - 1}-12-31":
        return "ended last year"
    if said != "NO CHANGE" and previous_action == action:
        return "action code kept"
    if said == "NO CHANGE" and kind == "CHANGED":
        dated = diffs.get("actionEffectiveDate", {"before": None, "after": None})
        was, now = dated["before"], dated["after"]
        if was and now and now < f"{year - 1}-01-01" <= was:
            return "earlier change revised"
        if fields == {"actionEffectiveDate"} and now is None:
            return "action date blank"
        if fields <= DATES:
            return "dates only"
        if fields <= DATES | TEXT:
            return (
                "spacing only" if all(_same_words(diffs[f]) for f in fields & TEXT) else "reworded"
            )
        return UNCODED.get(frozenset(fields - DATES - TEXT), "UNEXPLAINED")
    return "UNEXPLAINED"


@pytest.mark.parametrize("year", YEARS)
def test_prn_and_workbook_agree(year: int, cms_files: Path) -> None:
    assert read_prn(cms_files, year) == read_xlsx(cms_files, year)


@pytest.mark.parametrize("year", YEARS)
def test_report_is_the_new_files_action_codes(
    year: int, cms_files: Path, all_releases_db: Path
) -> None:
    report = read_xlsx(cms_files, year)
    actions = _actions(all_releases_db, f"{year}-01")
    assert {c: ACTION_CODES[t] for c, t in report.items()} == {
        c: a for c, a in actions.items() if c in report
    }
    # The one code of our files the report lacks (see "not in report").
    assert sorted(actions.keys() - report.keys()) == (["L1"] if year == 2018 else [])


async def compare(
    year: int, run: Run, db: Path, cms: Path
) -> tuple[dict[str, list[str]], dict[str, tuple[int, int, int]]]:
    """Each category's codes, and per kind (report's, ours, both)."""
    old, new = f"{year - 1}-01", f"{year}-01"
    report = read_xlsx(cms, year)
    ours = await _diff(run, old, new)
    before, after = _actions(db, old), _actions(db, new)
    corrected = read_corrections(cms, year - 1) if year - 1 in CORRECTIONS else {}
    found: dict[str, list[str]] = {}
    table: dict[str, list[int]] = {}
    for code in sorted(report.keys() | ours.keys() | after.keys()):
        node, said = ours.get(code), report.get(code)
        actions = before.get(code), after.get(code)
        category = classify(year, code, said, node, actions, corrected)
        found.setdefault(category, []).append(code)
        theirs, kind = KIND.get(said), node["kind"] if node else "UNCHANGED"
        for k in {theirs, kind} - {None}:
            row = table.setdefault(k, [0, 0, 0])
            row[0] += k == theirs
            row[1] += k == kind
            row[2] += k == theirs == kind
    return found, {k: tuple(v) for k, v in table.items()}


@pytest.mark.parametrize("year", YEARS)
async def test_release_diff_against_report(
    year: int, run: Run, all_releases_db: Path, cms_files: Path
) -> None:
    found, table = await compare(year, run, all_releases_db, cms_files)
    assert set(found) <= set(EXPLAINED), {c: found[c][:10] for c in found if c not in EXPLAINED}
    expected = EXPECTED[year]
    counts = {
        c: (len(codes), expected[c][1] if c in expected and expected[c][1] in codes else codes[0])
        for c, codes in found.items()
    }
    assert counts == expected, {c: codes[:12] for c, codes in found.items()}
    assert table == TABLE[year]


@pytest.mark.parametrize("year", YEARS)
async def test_action_code_filter_matches_report(year: int, run: Run, cms_files: Path) -> None:
    """filter: {actionCodes} picks, of our changes, those the report gives that type."""
    old, new = f"{year - 1}-01", f"{year}-01"
    report, ours = read_xlsx(cms_files, year), await _diff(run, old, new)
    query = """query($from: String!, $to: String!, $f: ReleaseDiffFilter) {
        releaseDiff(from: $from, to: $to, filter: $f) { totalCount } }"""
    for category, letter in ACTION_CODES.items():
        data = await run(query, {"from": old, "to": new, "f": {"actionCodes": [letter]}})
        expected = sum(1 for c, t in report.items() if t == category and c in ours)
        assert data["releaseDiff"]["totalCount"] == expected, category
