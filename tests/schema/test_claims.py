"""checkClaimLines (issue 20): real cases written by hand from CMS's files.

Each expectation was read from the shared files themselves (the HCPCS records, the NOC
lists, the DMEPOS CSV, the October 2025 crosswalk, the January 2025 ASP file, RVU25A and
OPPS Addendum B), not from the code under test: e.g. DMEPOS_JAN.csv row 485 gives E0100 NU
29.45 in NY (NR), row 486 RR 8.27 in NY and 7.03 in TX; the crosswalk lists 00264-5802-00
under J7030, J7040 and J7050 (48 billing units per package of J7050's 250 cc); HCPC2019_CONTR_ANWEB.txt ends C9014 on
20181231 with cross reference J0567; HCPC2026_JAN_ANWEB_01122026.txt ends C5271 on 20251231.
A case names every rule that must fire, and only those: the rest must not.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import Run

QUERY = """query($lines: [ClaimLineInput!]!) {
  checkClaimLines(lines: $lines) {
    line verdict
    code { code status release { name } }
    findings { rule severity message codes source release schedule file links { code } }
    allowed { amount perUnit units basis detail schedule { name effectiveFrom } }
  }
}"""

Q4 = "2025-11-03"  # in the 2025-10 release's quarter, the October 2025 crosswalk's period
CCJ = "COVERAGE_CONTRACTOR_JUDGMENT"  # coverage C: INFO, on most codes
D = "COVERAGE_SPECIAL_INSTRUCTIONS"
OUTSIDE = "DATE_OUTSIDE_RELEASES"


def case(
    name: str,
    line: dict[str, Any],
    verdict: str,
    rules: set[str],
    *,
    allowed: str | None = None,
    codes: list[str] | None = None,
    release: str | None = None,
    says: str | None = None,
) -> Any:
    return pytest.param(line, verdict, rules, allowed, codes, release, says, id=name)


CASES = [
    # a clean line: only coverage C, which is said but leaves the line OK
    case("clean J9035", {"code": "J9035", "dateOfService": Q4}, "OK", {CCJ}, release="2025-10"),
    case(
        "clean, lower case and blanks",
        {"code": " j9035 ", "dateOfService": Q4, "modifiers": ["jw"]},
        "OK",
        {CCJ},
    ),
    # the code on its date: unknown, not yet effective, terminated; boundaries
    case("unknown code", {"code": "Z9999", "dateOfService": Q4}, "ERROR", {"CODE_UNKNOWN"}),
    case(
        "a CPT code",
        {"code": "99213", "dateOfService": Q4},
        "ERROR",
        {"CODE_UNKNOWN"},
        says="CPT",
    ),
    case(
        "C9014 terminated, replaced by J0567",
        {"code": "C9014", "dateOfService": Q4},
        "ERROR",
        {"CODE_TERMINATED"},
        codes=["J0567"],
        says="2018-12-31",
    ),
    case(
        "C9014 the day before it was added",
        {"code": "C9014", "dateOfService": "2017-12-31"},
        "ERROR",
        {OUTSIDE, "CODE_NOT_YET_EFFECTIVE"},
        says="2018-01-01",
    ),
    case(
        "C9014 on its added date",
        {"code": "C9014", "dateOfService": "2018-01-01"},
        "WARNING",
        {D},
        release="2018-01",
    ),
    case(
        "C9014 on its termination date",
        {"code": "C9014", "dateOfService": "2018-12-31"},
        "WARNING",
        {OUTSIDE, D},
        release="2018-01",
    ),
    case(
        "C9014 the day after its termination date",
        {"code": "C9014", "dateOfService": "2019-01-01"},
        "ERROR",
        {"CODE_TERMINATED"},
        codes=["J0567"],
        release="2019-01",
    ),
    case(
        "C5271 on its termination date (2025-10 does not end it yet)",
        {"code": "C5271", "dateOfService": "2025-12-31"},
        "WARNING",
        {D},
        release="2025-10",
    ),
    case(
        "C5271 the day after (2026-01 ends it on 2025-12-31)",
        {"code": "C5271", "dateOfService": "2026-01-01"},
        "ERROR",
        {"CODE_TERMINATED"},
        release="2026-01",
    ),
    case(
        "C9174 the day before it was added",
        {"code": "C9174", "dateOfService": "2025-06-30"},
        "ERROR",
        {OUTSIDE, "CODE_NOT_YET_EFFECTIVE"},
        says="2025-07-01",
    ),
    case(
        "C9174 on its termination date: valid by its dates, but 2020-01 is in force",
        {"code": "C9174", "dateOfService": "2025-09-30"},
        "WARNING",
        {OUTSIDE, "CODE_UNKNOWN"},
        says="has it, added 2025-07-01",
    ),
    case(
        "C9174 the day after its termination date 2025-09-30",
        {"code": "C9174", "dateOfService": "2025-10-01"},
        "ERROR",
        {"CODE_TERMINATED"},
        says="2025-09-30",
    ),
    case(
        "A2036 the day before it was added",
        {"code": "A2036", "dateOfService": "2025-09-30"},
        "ERROR",
        {OUTSIDE, "CODE_NOT_YET_EFFECTIVE"},
        says="2025-10-01",
    ),
    case(
        "A2036 on its added date: priced by the contractor (13)",
        {"code": "A2036", "dateOfService": "2025-10-01"},
        "WARNING",
        {CCJ, "CONTRACTOR_PRICED"},
        release="2025-10",
    ),
    # modifiers
    case(
        "modifier JG terminated 2024-12-31",
        {"code": "J9035", "dateOfService": Q4, "modifiers": ["JG"]},
        "ERROR",
        {CCJ, "MODIFIER_TERMINATED"},
        says="2024-12-31",
    ),
    case(
        "modifier JK before it was added (2023-04-01)",
        {"code": "J9035", "dateOfService": "2020-02-03", "modifiers": ["JK"]},
        "ERROR",
        {CCJ, "MODIFIER_NOT_YET_EFFECTIVE"},
        says="2023-04-01",
    ),
    case(
        "unknown modifier ZZ",
        {"code": "J9035", "dateOfService": Q4, "modifiers": ["JW", "ZZ"]},
        "ERROR",
        {CCJ, "MODIFIER_UNKNOWN"},
    ),
    # coverage and pricing indicators
    case(
        "A0130 not payable (I), not separately priced (00)",
        {"code": "A0130", "dateOfService": Q4},
        "ERROR",
        {"COVERAGE_NOT_PAYABLE", "NOT_SEPARATELY_PRICED"},
        says="Not payable by Medicare",
    ),
    case(
        "A0380 not payable, Medicare uses A0425",
        {"code": "A0380", "dateOfService": Q4},
        "ERROR",
        {"COVERAGE_NOT_PAYABLE", "NOT_SEPARATELY_PRICED"},
        codes=["A0425"],
    ),
    case(
        "A4210 non-covered (M)",
        {"code": "A4210", "dateOfService": Q4},
        "ERROR",
        {"COVERAGE_NON_COVERED", "NOT_SEPARATELY_PRICED"},
        says="Non-covered by Medicare",
    ),
    case(
        "A4252 excluded by statute (S)",
        {"code": "A4252", "dateOfService": Q4},
        "ERROR",
        {"COVERAGE_STATUTORY_EXCLUSION", "NOT_SEPARATELY_PRICED"},
        says="statute",
    ),
    case(
        "A2001 priced by carriers (13)",
        {"code": "A2001", "dateOfService": Q4},
        "WARNING",
        {CCJ, "CONTRACTOR_PRICED"},
        says="13",
    ),
    case(
        "A4212 other carrier priced (57)",
        {"code": "A4212", "dateOfService": Q4},
        "WARNING",
        {CCJ, "CONTRACTOR_PRICED"},
        says="57",
    ),
    # not otherwise classified
    case(
        "K0108 on the NOC list, carrier priced (46)",
        {"code": "K0108", "dateOfService": Q4},
        "WARNING",
        {CCJ, "CONTRACTOR_PRICED", "NOT_OTHERWISE_CLASSIFIED"},
    ),
    case(
        "J3490 on the July 2025 NOC list",
        {"code": "J3490", "dateOfService": Q4},
        "WARNING",
        {D, "NOT_OTHERWISE_CLASSIFIED"},
        says="NOC list",
    ),
    case(
        "J3490 in 2016, before any NOC list: by its description",
        {"code": "J3490", "dateOfService": "2016-02-01"},
        "WARNING",
        {D, "NOT_OTHERWISE_CLASSIFIED"},
        says="unclassified",
    ),
    case(
        "A6609 says 'not otherwise specified' but the July 2025 list leaves it out",
        {"code": "A6609", "dateOfService": Q4},
        "OK",
        {CCJ},
    ),
    # the NDC and its units (October 2025 crosswalk)
    case(
        "J9035 with its NDC, 2 packages of 10 units",
        {"code": "J9035", "dateOfService": Q4, "ndc": "50242-0060-01", "ndcUnits": "2"},
        "OK",
        {CCJ},
    ),
    case(
        "J9035 with its NDC written 5-3-2, a quarter package: 2.5 units",
        {"code": "J9035", "dateOfService": Q4, "ndc": "50242-060-01", "ndcUnits": "0.25"},
        "WARNING",
        {CCJ, "NDC_UNITS_NOT_WHOLE"},
        says="2.5",
    ),
    case(
        "J9035 with saline's NDC, crosswalked to J7030, J7040 and J7050",
        {"code": "J9035", "dateOfService": Q4, "ndc": "00264580200"},
        "WARNING",
        {CCJ, "NDC_NOT_CROSSWALKED"},
        codes=["J7030", "J7040", "J7050"],
    ),
    case(
        "J9035 with an NDC the crosswalk does not list",
        {"code": "J9035", "dateOfService": Q4, "ndc": "99999-9999-99"},
        "WARNING",
        {CCJ, "NDC_NOT_CROSSWALKED"},
        codes=[],
    ),
    case(
        "J7050, 0.01 of a 48-unit package",
        {"code": "J7050", "dateOfService": Q4, "ndc": "00264-5802-00", "ndcUnits": "0.01"},
        "WARNING",
        {D, "NDC_UNITS_NOT_WHOLE"},
        says="0.48",
    ),
    case(
        "J7050, half a 48-unit package",
        {"code": "J7050", "dateOfService": Q4, "ndc": "00264-5802-00", "ndcUnits": "0.5"},
        "WARNING",
        {D},
    ),
    # the ASP limit (January 2025: J9035 73.190 per 10 mg); the HCPCS release in force on
    # 2025-02-15 is 2020-01, whose quarter ended long before
    case(
        "J9035 x 10 at the ASP limit",
        {"code": "J9035", "dateOfService": "2025-02-15", "units": "10"},
        "WARNING",
        {OUTSIDE, CCJ},
        allowed="731.9",
        release="2020-01",
    ),
    case(
        "J9035 with an NDC and no crosswalk in force",
        {"code": "J9035", "dateOfService": "2025-02-15", "ndc": "50242-0060-01"},
        "WARNING",
        {OUTSIDE, CCJ, "NOT_CHECKED"},
        allowed="73.19",
    ),
    # DMEPOS fees (January 2025), by state and pricing modifiers
    case(
        "E0100 new in NY",
        {"code": "E0100", "dateOfService": Q4, "modifiers": ["NU"], "state": "NY"},
        "WARNING",
        {D},
        allowed="29.45",
    ),
    case(
        "E0100 rented in TX, KX not a pricing modifier",
        {"code": "E0100", "dateOfService": Q4, "modifiers": ["RR", "KX"], "state": "tx"},
        "WARNING",
        {D},
        allowed="7.03",
    ),
    case(
        "E0100 used in TX, 2 units",
        {"code": "E0100", "dateOfService": Q4, "modifiers": ["UE"], "state": "TX", "units": "2"},
        "WARNING",
        {D},
        allowed="41.06",
    ),
    case(
        "E0100 without NU, RR or UE",
        {"code": "E0100", "dateOfService": Q4, "state": "NY"},
        "ERROR",
        {D, "DMEPOS_NO_FEE"},
        says="NU, RR, UE",
    ),
    case(
        "E0431 without RR: its rows as the file writes them (RR, RR QB, RR QF)",
        {"code": "E0431", "dateOfService": Q4, "state": "NY"},
        "ERROR",
        {D, "DMEPOS_NO_FEE"},
        says="priced with: RR, RR+QB, RR+QF",
    ),
    case(
        "E0100 new, no state",
        {"code": "E0100", "dateOfService": Q4, "modifiers": ["NU"]},
        "WARNING",
        {D, "NOT_CHECKED"},
    ),
    case(
        "K0001 is rented only",
        {"code": "K0001", "dateOfService": Q4, "modifiers": ["NU"], "state": "NY"},
        "ERROR",
        {CCJ, "DMEPOS_NO_FEE"},
    ),
    case(
        "K0001 rented in NY",
        {"code": "K0001", "dateOfService": Q4, "modifiers": ["RR"], "state": "NY"},
        "OK",
        {CCJ},
        allowed="25.73",
    ),
    # the physician fee schedule is January-March 2025's (RVU25A): on a November date it is
    # not in force, and the HCPCS file gives G2211 pricing indicator 00
    case(
        "G2211 at 13202-01 in November 2025",
        {"code": "G2211", "dateOfService": Q4, "locality": "13202-01"},
        "WARNING",
        {CCJ, "NOT_SEPARATELY_PRICED", "NOT_CHECKED"},
    ),
    # in February 2025, at Manhattan (GPCIs 1.065, 1.166, 1.656; CF 32.3465): G0444's RVUs
    # work 0.18, PE 0.34 non-facility and 0.08 facility, MP 0.01, by hand:
    # (0.1917 + 0.39644 + 0.01656) x 32.3465 = 19.56; (0.1917 + 0.09328 + 0.01656) x ... = 9.75.
    # The release in force is 2020-01 (its quarter long past; its G0444: indicator 13)
    case(
        "G0444 at 13202-01 in February 2025",
        {"code": "G0444", "dateOfService": "2025-02-03", "locality": "13202-01"},
        "WARNING",
        {CCJ, "CONTRACTOR_PRICED", "DATE_OUTSIDE_RELEASES"},
        allowed="19.56",
    ),
    case(
        "G0444 at 1320201 in an ASC in February 2025",
        {
            "code": "G0444",
            "dateOfService": "2025-02-03",
            "locality": "1320201",
            "setting": "ASC",
        },
        "WARNING",
        {CCJ, "CONTRACTOR_PRICED", "DATE_OUTSIDE_RELEASES"},
        allowed="9.75",
    ),
    # OPPS Addendum B, January 2020
    case(
        "G0412 inpatient only (C) in a hospital outpatient department",
        {"code": "G0412", "dateOfService": "2020-02-03", "setting": "OUTPATIENT_HOSPITAL"},
        "ERROR",
        {CCJ, "CONTRACTOR_PRICED", "OPPS_NOT_PAID"},
        says="Inpatient procedures",
    ),
    case(
        "G0412 on a professional claim",
        {"code": "G0412", "dateOfService": "2020-02-03"},
        "WARNING",
        {CCJ, "CONTRACTOR_PRICED"},
    ),
    case(
        "A0425 paid under another fee schedule (A)",
        {"code": "A0425", "dateOfService": "2020-02-03", "setting": "OUTPATIENT_HOSPITAL"},
        "WARNING",
        {CCJ, "OPPS_NOT_PAID"},
    ),
    case(
        "A9517 paid under OPPS (K)",
        {"code": "A9517", "dateOfService": "2020-02-03", "setting": "OUTPATIENT_HOSPITAL"},
        "WARNING",
        {CCJ, "CONTRACTOR_PRICED"},
    ),
    # dates outside the loaded releases
    case(
        "before every release",
        {"code": "J9035", "dateOfService": "2015-06-01"},
        "WARNING",
        {OUTSIDE},
        says="2016-01",
    ),
    case(
        "in the gap after 2020-01's quarter",
        {"code": "J9035", "dateOfService": "2023-05-01"},
        "WARNING",
        {OUTSIDE, CCJ},
        release="2020-01",
    ),
]


@pytest.mark.parametrize(("line", "verdict", "rules", "allowed", "codes", "release", "says"), CASES)
async def test_a_real_line(
    claims_run: Run,
    line: dict[str, Any],
    verdict: str,
    rules: set[str],
    allowed: str | None,
    codes: list[str] | None,
    release: str | None,
    says: str | None,
) -> None:
    [check] = (await claims_run(QUERY, {"lines": [line]}))["checkClaimLines"]
    found = check["findings"]
    assert {f["rule"] for f in found} == rules, found
    assert check["verdict"] == verdict, found
    assert check["line"] == 1
    if allowed is None:
        assert check["allowed"] is None
    else:
        assert check["allowed"]["amount"] == allowed, check["allowed"]
    if codes is not None:
        [pointing] = [f for f in found if f["rule"] not in (CCJ, OUTSIDE, "NOT_SEPARATELY_PRICED")]
        assert pointing["codes"] == codes
        assert [link["code"] for link in pointing["links"]] == codes
    if release is not None:
        assert check["code"]["release"]["name"] == release
    if says is not None:
        assert any(says.lower() in f["message"].lower() for f in found), found
    for finding in found:  # each names where it comes from
        assert finding["source"] and (
            finding["release"] or finding["schedule"] or not finding["file"]
        )


def test_every_rule_has_a_case() -> None:
    from hcpcs_graph.schema.types.claims import ClaimRule

    fired = set().union(*(p.values[2] for p in CASES))
    assert fired == {r.value for r in ClaimRule}
    assert len(CASES) >= 40


async def test_findings_name_their_source(claims_run: Run) -> None:
    lines = [
        {"code": "C9014", "dateOfService": Q4},
        {"code": "J3490", "dateOfService": Q4},
        {"code": "E0100", "dateOfService": Q4, "state": "NY"},
    ]
    data = (await claims_run(QUERY, {"lines": lines}))["checkClaimLines"]
    assert [c["line"] for c in data] == [1, 2, 3]
    [terminated] = data[0]["findings"]
    assert (terminated["release"], terminated["file"]) == ("2025-10", "HCPC2025_OCT_ANWEB_v4.xlsx")
    noc = next(f for f in data[1]["findings"] if f["rule"] == "NOT_OTHERWISE_CLASSIFIED")
    assert (noc["schedule"], noc["file"]) == ("noc-2025-07", "NOC codes_JUL2025.xlsx")
    fee = next(f for f in data[2]["findings"] if f["rule"] == "DMEPOS_NO_FEE")
    assert (fee["schedule"], fee["file"]) == ("dmepos-2025-01", "DMEPOS_JAN.csv")
    # errors come first
    assert [f["severity"] for f in data[2]["findings"]] == ["ERROR", "WARNING"]


async def test_the_allowed_amount_names_its_schedule(claims_run: Run) -> None:
    lines = [{"code": "J9035", "dateOfService": "2025-02-15", "units": "10"}]
    [check] = (await claims_run(QUERY, {"lines": lines}))["checkClaimLines"]
    assert check["allowed"] == {
        "amount": "731.9",
        "perUnit": "73.19",
        "units": "10",
        "basis": "ASP_LIMIT",
        "detail": "per 10 MG",
        "schedule": {"name": "asp-2025-01", "effectiveFrom": "2025-01-01"},
    }


BAD = [
    ([], "at least one"),
    ([{"code": "J9035", "dateOfService": Q4}] * 501, "501 lines"),
    (
        [{"code": "J9035", "dateOfService": Q4}, {"code": "J9035", "dateOfService": "2025-13-01"}],
        "at [1].dateOfService",  # graphql-core's words: the index in lines, and the field
    ),
    (
        [{"code": "J9035", "dateOfService": Q4, "modifiers": ["JW", "KX", "GA", "GY", "GZ"]}],
        "line 1 (lines[0].modifiers)",
    ),
    (
        [
            {"code": "J9035", "dateOfService": Q4},
            {"code": "J9035", "dateOfService": Q4, "ndc": "5024206001"},
        ],
        "line 2 (lines[1].ndc)",
    ),
    ([{"code": "J9035", "dateOfService": Q4, "ndc": "not an ndc"}], "lines[0].ndc"),
    ([{"code": "J90", "dateOfService": Q4}], "lines[0].code"),
    ([{"code": "J9035", "dateOfService": Q4, "modifiers": ["N"]}], "lines[0].modifiers"),
    ([{"code": "J9035", "dateOfService": Q4, "state": "XX"}], "lines[0].state"),
    ([{"code": "J9035", "dateOfService": Q4, "locality": "Manhattan"}], "lines[0].locality"),
    ([{"code": "J9035", "dateOfService": Q4, "units": "-1"}], "lines[0].units"),
    ([{"code": "J9035", "dateOfService": Q4, "ndcUnits": "1"}], "lines[0].ndcUnits"),
]


@pytest.mark.parametrize(("lines", "names"), BAD)
async def test_bad_input_names_the_line_and_field(
    claims_run: Run, lines: list[dict[str, Any]], names: str
) -> None:
    result = await claims_run(QUERY, {"lines": lines}, errors=True)
    [error] = result.errors
    assert error.extensions["code"] == "BAD_USER_INPUT", error
    assert names in error.message, error.message


async def test_the_cost_counts_the_lines_sent(claims_run: Run) -> None:
    """Per line: the line, its code, 16 findings with 5 links each, the allowed amount and
    its schedule (100); without links, 20: a 500-line claim fits the default 20,000."""
    line = {"code": "J9035", "dateOfService": Q4}
    result = await claims_run(QUERY, {"lines": [line] * 5}, errors=None)
    assert result["checkClaimLines"]
    refused = await claims_run(QUERY, {"lines": [line] * 201}, errors=True)
    assert refused.errors[0].extensions["code"] == "QUERY_TOO_COSTLY"
    lean = QUERY.replace(" links { code }", "")
    data = await claims_run(lean, {"lines": [line] * 500})
    assert len(data["checkClaimLines"]) == 500


def test_findings_and_answers_are_made_whole() -> None:
    """schema/claims.py fills these types' dicts itself: it must give every field, and the
    types must have nothing to run after their __init__."""
    import dataclasses

    from hcpcs_graph.schema.types.claims import ClaimFinding, ClaimLineCheck

    made = {
        ClaimFinding: {"rule", "severity", "message", "codes", "source", "release", "schedule",
                       "file", "date"},
        ClaimLineCheck: {"line", "verdict", "code", "findings", "allowed"},
    }  # fmt: skip
    for cls, fields in made.items():
        assert {f.name for f in dataclasses.fields(cls) if f.init} == fields, cls
        assert not hasattr(cls, "__post_init__"), cls
