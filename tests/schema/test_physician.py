"""The physician and clinical lab fee schedules in the graph (issue 19), checked against
CMS's RVU25A and CLFS 2025 Q1 files: values a person can find in them, and payments
computed by hand from the files' own RVUs, GPCIs and conversion factor."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest

from hcpcs_graph.db.payments import pfs_tables
from hcpcs_graph.schema import build_schema
from hcpcs_graph.schema.limits import Limits
from tests import pfs_files
from tests.conftest import Run


def _error(result) -> dict:
    [error] = result.errors
    return {"code": error.extensions["code"], "argument": error.extensions.get("argument")}


# From PPRRVU25_JAN (work, non-facility PE, facility PE, MP RVUs) and GPCI2025 (work, PE,
# MP GPCIs), as the files write them; the conversion factor of every row is 32.3465.
RVUS = {
    "G0438": ("2.60", "2.20", "2.20", "0.16"),  # facility NA: facility payment is null
    "G2211": ("0.33", "0.13", "0.13", "0.02"),
    "G0444": ("0.18", "0.34", "0.08", "0.01"),
}
GPCIS = {
    "13202-01": ("1.065", "1.166", "1.656"),  # Manhattan
    "10112-00": ("1", "0.869", "0.575"),  # Alabama
    "02102-01": ("1.5", "1.081", "0.592"),  # Alaska (the 1.5 work floor)
}
CONVERSION_FACTOR = "32.3465"


def _by_hand(work: str, pe: str, mp: str, gpcis: tuple[str, str, str]) -> Decimal:
    """[work RVU x work GPCI + PE RVU x PE GPCI + MP RVU x MP GPCI] x CF, to the cent."""
    work_gpci, pe_gpci, mp_gpci = (Decimal(g) for g in gpcis)
    total = Decimal(work) * work_gpci + Decimal(pe) * pe_gpci + Decimal(mp) * mp_gpci
    return (total * Decimal(CONVERSION_FACTOR)).quantize(Decimal("0.01"), ROUND_HALF_UP)


def test_the_hand_computation_uses_the_files_values(payment_files: Path) -> None:
    rows = {r["code"]: r for r in pfs_files.rvus(payment_files / pfs_files.PFS_ZIP)}
    for code, (work, nonfacility, facility, mp) in RVUS.items():
        row = rows[code]
        assert (row["work_rvu"], row["nonfacility_pe_rvu"], row["facility_pe_rvu"]) == (
            pfs_files.shortest(work), pfs_files.shortest(nonfacility),
            pfs_files.shortest(facility),
        )  # fmt: skip
        assert (row["mp_rvu"], row["conversion_factor"]) == (mp, CONVERSION_FACTOR)
    places = {
        f"{p['mac']}-{p['locality']}": p
        for p in pfs_files.localities(payment_files / pfs_files.PFS_ZIP)
    }
    for locality, gpcis in GPCIS.items():
        place = places[locality]
        assert (place["work_gpci"], place["pe_gpci"], place["mp_gpci"]) == gpcis


@pytest.mark.parametrize("locality", list(GPCIS))
@pytest.mark.parametrize("code", list(RVUS))
async def test_g_code_payments_equal_a_hand_computation(
    payments_run: Run, code: str, locality: str
) -> None:
    data = await payments_run(
        """query($c: String!, $l: String!) { hcpcsCode(code: $c) { physicianFeeSchedule {
            modifier payment(locality: $l) { locality { id } nonFacility facility } } } }""",
        {"c": code, "l": locality},
    )
    [fee] = data["hcpcsCode"]["physicianFeeSchedule"]
    work, nonfacility, facility, mp = RVUS[code]
    payment = fee["payment"]
    assert payment["locality"] == {"id": locality}
    assert Decimal(payment["nonFacility"]) == _by_hand(work, nonfacility, mp, GPCIS[locality])
    if code == "G0438":
        assert payment["facility"] is None
    else:
        assert Decimal(payment["facility"]) == _by_hand(work, facility, mp, GPCIS[locality])


async def test_payments_to_the_cent(payments_run: Run) -> None:
    """A few amounts worked out on paper: rounded half up once, at the end."""
    data = await payments_run(
        """{ a: hcpcsCode(code: "G0444") { physicianFeeSchedule {
               al: payment(locality: "10112-00") { nonFacility facility }
               ak: payment(locality: "0210201") { nonFacility facility } } }
             b: hcpcsCode(code: "G0438") { physicianFeeSchedule {
               payment(locality: " 10112-00 ") { nonFacility facility } } } }"""
    )
    [g0444] = data["a"]["physicianFeeSchedule"]
    # (0.18 x 1 + 0.34 x 0.869 + 0.01 x 0.575) x 32.3465 = 15.565459265
    assert g0444["al"] == {"nonFacility": "15.57", "facility": "8.26"}  # 8.257091055
    assert g0444["ak"] == {"nonFacility": "20.81", "facility": "11.72"}
    # 4.6038 x 32.3465 = 148.9168167
    assert data["b"]["physicianFeeSchedule"] == [
        {"payment": {"nonFacility": "148.92", "facility": None}}
    ]


async def test_a_physician_fee_decoded(payments_run: Run) -> None:
    data = await payments_run(
        """{ hcpcsCode(code: "G0438") { physicianFeeSchedule {
            hcpcsCode modifier description status { code description }
            workRvu nonFacilityPeRvu facilityPeRvu malpracticeRvu nonFacilityTotal facilityTotal
            nonFacilityPeNotApplicable facilityPeNotApplicable
            globalDays { code description } pcTc { code } multipleProcedure { code description }
            bilateralSurgery { code } assistantAtSurgery { code } coSurgeons { code }
            teamSurgery { code description } physicianSupervision { code description }
            endoscopicBase conversionFactor schedule { name kind } } } }"""
    )
    [fee] = data["hcpcsCode"]["physicianFeeSchedule"]
    assert fee == {
        "hcpcsCode": "G0438",
        "modifier": None,
        "description": "Ppps, initial visit",
        "status": {"code": "A", "description": pfs_tables.STATUS_CODES["A"]},
        "workRvu": "2.6",
        "nonFacilityPeRvu": "2.2",
        "facilityPeRvu": "2.2",
        "malpracticeRvu": "0.16",
        "nonFacilityTotal": "4.96",
        "facilityTotal": "4.96",
        "nonFacilityPeNotApplicable": False,
        "facilityPeNotApplicable": True,
        "globalDays": {
            "code": "XXX",
            "description": "The global concept does not apply to the code.",
        },
        "pcTc": {"code": "0"},
        "multipleProcedure": {"code": "0", "description": pfs_tables.MULTIPLE_PROCEDURE["0"]},
        "bilateralSurgery": {"code": "0"},
        "assistantAtSurgery": {"code": "0"},
        "coSurgeons": {"code": "0"},
        "teamSurgery": {
            "code": "0",
            "description": "Team surgeons not permitted for this procedure.",
        },
        "physicianSupervision": {"code": "09", "description": "Concept does not apply."},
        "endoscopicBase": None,
        "conversionFactor": "32.3465",
        "schedule": {"name": "pfs-2025-01", "kind": "PHYSICIAN_FEE_SCHEDULE"},
    }


async def test_rows_per_modifier(payments_run: Run) -> None:
    query = """query($m: String) { a: hcpcsCode(code: "G0105") {
        physicianFeeSchedule(modifier: $m) { modifier workRvu } }
        b: hcpcsCode(code: "G0130") { physicianFeeSchedule(modifier: $m) { modifier
            pcTc { code } } } }"""
    data = await payments_run(query)
    assert data["a"]["physicianFeeSchedule"] == [
        {"modifier": None, "workRvu": "3.26"},
        {"modifier": "53", "workRvu": "1.63"},
    ]
    assert [f["modifier"] for f in data["b"]["physicianFeeSchedule"]] == [
        None,
        "TC",
        "26",
    ]  # file order
    data = await payments_run(query, {"m": "tc"})
    assert data["a"]["physicianFeeSchedule"] == []
    assert data["b"]["physicianFeeSchedule"] == [{"modifier": "TC", "pcTc": {"code": "1"}}]
    data = await payments_run(query, {"m": ""})
    assert data["a"]["physicianFeeSchedule"] == [{"modifier": None, "workRvu": "3.26"}]


async def test_no_payment_for_a_status_medicare_does_not_pay_with(payments_run: Run) -> None:
    # A0021 (outside state ambulance) is status I: not valid for Medicare purposes
    data = await payments_run(
        """{ hcpcsCode(code: "A0021") { physicianFeeSchedule { status { code }
            payment(locality: "13202-01") { facility } } } }"""
    )
    assert data["hcpcsCode"]["physicianFeeSchedule"] == [{"status": {"code": "I"}, "payment": None}]


@pytest.mark.parametrize("locality", ["13202-99", "13202", "manhattan", ""])
async def test_an_unknown_locality(payments_run: Run, locality: str) -> None:
    result = await payments_run(
        """query($l: String!) { hcpcsCode(code: "G0438") { physicianFeeSchedule {
            payment(locality: $l) { facility } } } }""",
        {"l": locality},
        errors=True,
    )
    assert _error(result) == {"code": "BAD_USER_INPUT", "argument": "locality"}
    assert "13202-01" in result.errors[0].message


async def test_localities(payments_run: Run) -> None:
    data = await payments_run(
        """{ localities { id mac locality state name counties workGpci peGpci malpracticeGpci
            anesthesiaConversionFactor } }"""
    )
    places = {p["id"]: p for p in data["localities"]}
    assert len(places) == len(data["localities"]) == 109
    assert places["13202-01"] == {
        "id": "13202-01",
        "mac": "13202",
        "locality": "01",
        "state": "NY",
        "name": "MANHATTAN",
        "counties": "NEW YORK",
        "workGpci": "1.065",
        "peGpci": "1.166",
        "malpracticeGpci": "1.656",
        "anesthesiaConversionFactor": "22.76",
    }
    assert data["localities"][0]["state"] == "AK"  # ordered by state
    same = await payments_run('{ localities(schedule: "pfs-2025-01") { id } }')
    assert [p["id"] for p in same["localities"]] == [p["id"] for p in data["localities"]]
    result = await payments_run('{ localities(schedule: "clfs-2025-01") { id } }', errors=True)
    assert _error(result) == {"code": "BAD_USER_INPUT", "argument": "schedule"}


async def test_status_codes_and_their_codes(payments_run: Run) -> None:
    data = await payments_run("{ pfsStatusCodes { code description } }")
    assert [s["code"] for s in data["pfsStatusCodes"]] == list(pfs_tables.STATUS_CODES)
    data = await payments_run(
        """{ t: pfsStatusCode(code: "t") { code codes { code release { name } } }
             z: pfsStatusCode(code: "Z") { code } }"""
    )
    assert data["z"] is None
    codes = data["t"]["codes"]
    assert [c["code"] for c in codes] == sorted(c["code"] for c in codes)
    assert len(codes) == 2
    # reached from a fee: the same status, its release's codes
    data = await payments_run(
        '{ hcpcsCode(code: "G0438") { physicianFeeSchedule { status { codes { code } } } } }'
    )
    [fee] = data["hcpcsCode"]["physicianFeeSchedule"]
    assert "G0438" in {c["code"] for c in fee["status"]["codes"]}


async def test_lab_fees(payments_run: Run) -> None:
    data = await payments_run(
        """{ a: hcpcsCode(code: "G0103") { labFees { hcpcsCode modifier rate
               indicator { code description } effectiveDate shortDescription
               schedule { name kind } } }
             b: hcpcsCode(code: "G0327") { labFees { rate indicator { code description } } }
             c: hcpcsCode(code: "G0438") { labFees { rate } } }"""
    )
    assert data["a"]["labFees"] == [
        {
            "hcpcsCode": "G0103",
            "modifier": None,
            "rate": "19.31",
            "indicator": {"code": "N", "description": "National pricing."},
            "effectiveDate": "2025-01-01",
            "shortDescription": "Psa screening",
            "schedule": {"name": "clfs-2025-01", "kind": "CLINICAL_LAB_FEE_SCHEDULE"},
        }
    ]
    assert data["b"]["labFees"] == [
        {"rate": "0", "indicator": {"code": "L", "description": "Local pricing."}}
    ]
    assert data["c"]["labFees"] == []


async def test_lab_fees_one_per_modifier(payments_run: Run, payment_files: Path) -> None:
    labs = pfs_files.lab_fees(payment_files / pfs_files.CLFS_ZIP)
    waived = [r for r in labs if r["modifier"] == "QW"]
    assert waived
    code = waived[0]["code"]
    data = await payments_run(
        "query($c: String!) { hcpcsCode(code: $c) { labFees { modifier rate } } }", {"c": code}
    )
    assert data["hcpcsCode"]["labFees"] == [
        {"modifier": r["modifier"] or None, "rate": r["rate"]} for r in labs if r["code"] == code
    ]


async def test_as_of_picks_the_release_in_force(payments_run: Run) -> None:
    query = """query($d: Date) { hcpcsCode(code: "G0103") {
        labFees(asOf: $d) { rate } physicianFeeSchedule(asOf: $d) { status { code } } } }"""
    data = await payments_run(query, {"d": "2025-02-01"})
    assert data["hcpcsCode"]["labFees"] == [{"rate": "19.31"}]
    data = await payments_run(query, {"d": "2025-06-01"})  # CLFS Q1 ends March 31
    assert data["hcpcsCode"]["labFees"] == []
    data = await payments_run(query, {"d": "2024-12-31"})
    assert data["hcpcsCode"] == {"labFees": [], "physicianFeeSchedule": []}


async def test_pricing_indicators_lead_to_pfs_and_clfs(payments_run: Run) -> None:
    data = await payments_run(
        """{ g: hcpcsCode(code: "G0438") { pricingIndicators { code schedules { name kind } } }
             lab: hcpcsCode(code: "G0103") { pricingIndicators { code schedules { name } } } }"""
    )
    assert data["g"]["pricingIndicators"] == [
        {"code": "11", "schedules": [{"name": "pfs-2025-01", "kind": "PHYSICIAN_FEE_SCHEDULE"}]}
    ]
    assert data["lab"]["pricingIndicators"] == [
        {"code": "21", "schedules": [{"name": "clfs-2025-01"}]}
    ]


async def test_a_file_without_these_schedules(run: Run) -> None:
    data = await run(
        """{ hcpcsCode(code: "G0438") { physicianFeeSchedule { workRvu } labFees { rate } }
             localities { id } pfsStatusCodes { code } pfsStatusCode(code: "A") { codes { code } } }"""
    )
    assert data["hcpcsCode"] == {"physicianFeeSchedule": [], "labFees": []}
    assert data["localities"] == []
    assert len(data["pfsStatusCodes"]) == len(pfs_tables.STATUS_CODES)
    assert data["pfsStatusCode"] == {"codes": []}


PAGE = """query($first: Int) {
  hcpcsCodes(release: "2025-10", first: $first, filter: {codePrefix: "G0"}) {
    nodes { code
      physicianFeeSchedule { modifier workRvu status { code } globalDays { code description }
        ny: payment(locality: "13202-01") { nonFacility facility locality { name } }
        al: payment(locality: "10112-00") { nonFacility }
        schedule { name } }
      labFees { modifier rate indicator { code } schedule { name } }
      pricingIndicators { code schedules { name } }
    }
  }
}"""


async def _statements(run: Run, first: int) -> int:
    before = run.db.stats.statements
    data = await run(PAGE, {"first": first})
    assert len(data["hcpcsCodes"]["nodes"]) == first
    return run.db.stats.statements - before


async def test_a_page_costs_a_fixed_number_of_statements(payments_run: Run) -> None:
    """The page, then one statement each: the PFS rows, the lab fees; and the localities,
    once per database file (they never change while it is open)."""
    run = Run(payments_run.db, build_schema(Limits(max_cost=1_000_000)))
    first = await _statements(run, 10)
    ten = await _statements(run, 10)
    hundred = await _statements(run, 100)
    assert hundred == ten == first - 1
    assert hundred <= 2 * 3  # `run` answers twice: the full path and the compiled plan


async def test_the_cost_counts_the_new_lists(payments_run: Run) -> None:
    from hcpcs_graph.schema.context import Context

    async def cost(query: str) -> int:
        ctx = Context(snapshot=await payments_run.db.snapshot(), request_id="t")
        result = await payments_run.schema.execute(query, context_value=ctx)
        return result.extensions["cost"]["requested"]

    # 10 codes, each with up to 4 PFS rows (each a status) and 4 lab rows (each an indicator)
    page = "{ hcpcsCodes(first: 10) { nodes { physicianFeeSchedule { status { code } } labFees { indicator { code } } } } }"
    assert await cost(page) == 10 * (1 + 4 * 2 + 4 * 2)
    assert await cost("{ localities { id } }") == 120
    assert await cost('{ pfsStatusCode(code: "E") { codes { code } } }') == 1 + 2_000
    # every status's codes at once is past the default limit (status E alone has 1,415)
    result = await payments_run("{ pfsStatusCodes { codes { code } } }", errors=True)
    assert result.errors[0].extensions["code"] == "QUERY_TOO_COSTLY"


EVERY_ROW = """query($codes: [String!]) {
  hcpcsCodes(release: "2026-01", first: 500, filter: {codes: $codes}) { nodes { code
    physicianFeeSchedule { hcpcsCode modifier description status { code } workRvu
      nonFacilityPeRvu facilityPeRvu malpracticeRvu nonFacilityTotal facilityTotal
      nonFacilityPeNotApplicable facilityPeNotApplicable globalDays { code } pcTc { code }
      multipleProcedure { code } bilateralSurgery { code } assistantAtSurgery { code }
      coSurgeons { code } teamSurgery { code } physicianSupervision { code } endoscopicBase
      conversionFactor }
    labFees { modifier rate indicator { code } effectiveDate shortDescription } } } }"""


def _expected_fee(r: dict) -> dict:
    return {
        "hcpcsCode": r["code"], "modifier": r["modifier"] or None,
        "description": r["description"], "status": {"code": r["status"]},
        "workRvu": r["work_rvu"], "nonFacilityPeRvu": r["nonfacility_pe_rvu"],
        "facilityPeRvu": r["facility_pe_rvu"], "malpracticeRvu": r["mp_rvu"],
        "nonFacilityTotal": r["nonfacility_total"],
        "facilityTotal": r["facility_total"],
        "nonFacilityPeNotApplicable": r["nonfacility_na"] == "NA",
        "facilityPeNotApplicable": r["facility_na"] == "NA",
        "globalDays": {"code": r["global_days"]}, "pcTc": {"code": r["pctc"]},
        "multipleProcedure": {"code": r["mult_proc"]},
        "bilateralSurgery": {"code": r["bilat_surg"]},
        "assistantAtSurgery": {"code": r["asst_surg"]}, "coSurgeons": {"code": r["co_surg"]},
        "teamSurgery": {"code": r["team_surg"]},
        "physicianSupervision": None if r["supervision"] is None else {"code": r["supervision"]},
        "endoscopicBase": r["endo_base"], "conversionFactor": r["conversion_factor"],
    }  # fmt: skip


async def test_every_level_ii_row_equals_the_files(payments_run: Run, payment_files: Path) -> None:
    """Every Level II row of PPRRVU25 and of the CLFS, as the API serves it for each code
    the 2026-01 HCPCS release has, equals the independent re-read, field by field."""
    fees: dict[str, list[dict]] = {}
    for r in pfs_files.rvus(payment_files / pfs_files.PFS_ZIP):
        fees.setdefault(r["code"], []).append(_expected_fee(r))
    labs: dict[str, list[dict]] = {}
    for r in pfs_files.lab_fees(payment_files / pfs_files.CLFS_ZIP):
        labs.setdefault(r["code"], []).append(
            {"modifier": r["modifier"] or None, "rate": r["rate"],
             "indicator": {"code": r["indicator"]}, "effectiveDate": r["effective_date"],
             "shortDescription": r["short_description"]}
        )  # fmt: skip
    run = Run(payments_run.db, build_schema(Limits(max_cost=1_000_000)))
    codes = sorted(set(fees) | set(labs))
    seen = 0
    for start in range(0, len(codes), 500):
        data = await run(EVERY_ROW, {"codes": codes[start : start + 500]})
        for node in data["hcpcsCodes"]["nodes"]:
            seen += 1
            assert node["physicianFeeSchedule"] == fees.get(node["code"], []), node["code"]
            assert node["labFees"] == labs.get(node["code"], []), node["code"]
    assert seen > 4_000  # the codes of the files that 2026-01 has


async def test_the_compiled_plan_answers_the_new_fields(payments_run: Run) -> None:
    from hcpcs_graph.schema.context import Context

    run = Run(payments_run.db, build_schema(Limits(max_cost=1_000_000)))
    query = PAGE
    await run(query, {"first": 5})  # and compared with the plan's answer
    extra = '{ localities { id name } pfsStatusCode(code: "T") { code codes { code } } }'
    await run(extra)
    for document, variables in [(query, {"first": 5}), (extra, None)]:
        ctx = Context(snapshot=await run.db.snapshot(), request_id="t")
        known = await run.schema.execute_known(document, variables, None, ctx)
        assert known is not None, document  # the plan answered: no field made it give up


async def test_status_r_without_rvus_is_contractor_priced_not_free(payments_run: Run) -> None:
    """RVU25A: R "if covered, the service is contractor priced"; A4890's row has status R
    and no RVUs, so it has no fee schedule amount (it was answered $0)."""
    data = await payments_run(
        """{ hcpcsCode(code: "A4890", release: "2026-01") { physicianFeeSchedule {
            status { code } workRvu payment(locality: "13202-01") { nonFacility } } } }"""
    )
    [row] = data["hcpcsCode"]["physicianFeeSchedule"]
    assert (row["status"]["code"], row["workRvu"], row["payment"]) == ("R", "0", None)
