"""The facility schedules in the graph (issue 19): ASC payments, OPPS Addendum B, their
indicators and APCs, and payment changes between releases, checked against CMS's files
re-read independently (tests/facility_files.py)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from hcpcs_graph.schema import build_schema
from hcpcs_graph.schema.limits import Limits
from tests.conftest import PAYMENT, Run
from tests.facility_files import OPPS_FILES, opps_rows

OPPS_FIELDS = """hcpcsCode shortDescription statusIndicator { code description }
    apc { code } relativeWeight paymentRate nationalUnadjustedCopayment
    minimumUnadjustedCopayment changed schedule { name kind }"""


def _error(result) -> dict:
    [error] = result.errors
    return {"code": error.extensions["code"], "argument": error.extensions.get("argument")}


async def test_outpatient_payment_in_two_years_side_by_side(payments_run: Run) -> None:
    data = await payments_run(
        f"""{{ hcpcsCode(code: "J9035", release: "2020-01") {{
            y2019: outpatientPayment(asOf: "2019-02-14") {{ {OPPS_FIELDS} }}
            y2020: outpatientPayment(asOf: "2020-02-14") {{ {OPPS_FIELDS} }}
            none: outpatientPayment(asOf: "2018-06-01") {{ hcpcsCode }}
            own: outpatientPayment {{ schedule {{ name }} }} }} }}"""
    )
    code = data["hcpcsCode"]
    k = {"code": "K", "description": code["y2019"]["statusIndicator"]["description"]}
    assert k["description"].startswith("Nonpass-through drugs")
    assert code["y2019"] == {
        "hcpcsCode": "J9035",
        "shortDescription": "Bevacizumab injection",
        "statusIndicator": k,
        "apc": {"code": "9214"},
        "relativeWeight": None,  # CMS writes "."
        "paymentRate": "81.18",  # the cell holds 81.179, shown $81.18
        "nationalUnadjustedCopayment": None,
        "minimumUnadjustedCopayment": "16.24",
        "changed": True,
        "schedule": {"name": "opps-2019-01", "kind": "OPPS_ADDENDUM_B"},
    }
    assert code["y2020"]["paymentRate"] == "80.64"
    assert code["y2020"]["minimumUnadjustedCopayment"] == "16.13"  # 16.128600000000002
    assert code["y2020"]["schedule"]["name"] == "opps-2020-01"
    assert code["none"] is None
    # without asOf: the release in force on the code's own release (2020-01)
    assert code["own"] == {"schedule": {"name": "opps-2020-01"}}


@pytest.mark.parametrize("release", ["opps-2019-01", "opps-2020-01"])
async def test_every_level_ii_row_of_addendum_b(payments_run: Run, release: str) -> None:
    """Every row of each January Addendum B, through the graph, equals the file."""
    expected = {r["code"]: r for r in opps_rows(PAYMENT / OPPS_FILES[release])}
    query = """query($si: String!, $after: String, $schedule: String, $on: Date) {
        oppsStatusIndicator(code: $si, schedule: $schedule) {
        codes(first: 500, after: $after) { code outpatientPayment(asOf: $on) {
        hcpcsCode statusIndicator { code } apc { code } relativeWeight paymentRate
        nationalUnadjustedCopayment minimumUnadjustedCopayment changed } } } }"""
    seen: dict[str, dict] = {}
    for si in sorted({r["status_indicator"] for r in expected.values()}):
        after = None
        while True:
            variables = {"si": si, "after": after, "schedule": release, "on": f"{release[5:]}-01"}
            data = await payments_run(query, variables)
            page = data["oppsStatusIndicator"]["codes"]
            if not page:
                break
            seen.update((c["code"], c["outpatientPayment"]) for c in page)
            after = page[-1]["code"]
    # codes no loaded HCPCS release has are left out of the lists; the rest are all there
    assert len(seen) > 0.95 * len(expected)
    for code, got in seen.items():
        row = expected[code]
        assert got == {
            "hcpcsCode": code,
            "statusIndicator": {"code": row["status_indicator"]},
            "apc": None if row["apc"] is None else {"code": row["apc"]},
            "relativeWeight": row["relative_weight"],
            "paymentRate": row["payment_rate"],
            "nationalUnadjustedCopayment": row["national_copayment"],
            "minimumUnadjustedCopayment": row["minimum_copayment"],
            "changed": bool(row["changed"]),
        }, code


async def test_codes_with_status_indicator_k(payments_run: Run) -> None:
    rows = opps_rows(PAYMENT / OPPS_FILES["opps-2020-01"])
    k_codes = sorted(r["code"] for r in rows if r["status_indicator"] == "K")
    query = """query($after: String, $first: Int) {
        oppsStatusIndicator(code: " k ", schedule: "opps-2020-01") {
        code schedule { name } codes(first: $first, after: $after) { code } } }"""
    whole = await payments_run(query, {"first": 500})
    listed = [c["code"] for c in whole["oppsStatusIndicator"]["codes"]]
    assert listed == sorted(listed) and set(listed) <= set(k_codes)
    assert len(listed) > 0.95 * len(k_codes)  # 323 in the file
    assert "J9035" in listed
    paged, after = [], None
    while True:
        data = await payments_run(query, {"first": 100, "after": after})
        page = [c["code"] for c in data["oppsStatusIndicator"]["codes"]]
        if not page:
            break
        paged += page
        after = page[-1]
    assert paged == listed
    none = await payments_run('{ oppsStatusIndicator(code: "ZZ") { code } }')
    assert none == {"oppsStatusIndicator": None}


async def test_status_indicators_of_the_files_are_all_defined(payments_run: Run) -> None:
    data = await payments_run("{ oppsStatusIndicators { code description schedule { name } } }")
    defined = {si["code"]: si["description"] for si in data["oppsStatusIndicators"]}
    for name, file in OPPS_FILES.items():
        used = {r["status_indicator"] for r in opps_rows(PAYMENT / file)}
        assert used <= defined.keys(), name
    assert all(defined.values())
    assert {si["schedule"]["name"] for si in data["oppsStatusIndicators"]} == {"opps-2020-01"}


async def test_an_apc_and_its_codes(payments_run: Run) -> None:
    rows = opps_rows(PAYMENT / OPPS_FILES["opps-2019-01"])
    in_apc = sorted(r["code"] for r in rows if r["apc"] == "5691")
    data = await payments_run(
        """{ apc(code: "5691", schedule: "opps-2019-01") { code paymentRate
            schedule { name } codes { code } } missing: apc(code: "0000") { code } }"""
    )
    assert data["apc"]["code"] == "5691"
    assert data["apc"]["paymentRate"] == "37.88"  # G0008's row
    listed = [c["code"] for c in data["apc"]["codes"]]
    assert listed == sorted(listed) and set(listed) <= set(in_apc) and "G0008" in listed
    assert data["missing"] is None


async def test_asc_payment(payments_run: Run) -> None:
    data = await payments_run(
        """{ surgery: hcpcsCode(code: "G0105", release: "2025-10") { ascPayment {
            hcpcsCode addendum shortDescription paymentIndicator { code description }
            paymentWeight paymentRate subjectToMultipleProcedureDiscounting
            passThroughExpiration adjustedCopayment schedule { name kind } } }
          drug: hcpcsCode(code: "J9035", release: "2025-10") { ascPayment(asOf: "2025-03-31") {
            addendum paymentIndicator { code } paymentWeight paymentRate
            subjectToMultipleProcedureDiscounting } }
          before: hcpcsCode(code: "J9035", release: "2025-10") {
            ascPayment(asOf: "2024-12-31") { addendum } } }"""
    )
    surgery = data["surgery"]["ascPayment"]
    assert surgery == {
        "hcpcsCode": "G0105",
        "addendum": "AA",
        "shortDescription": "Colorectal scrn; hi risk ind",
        "paymentIndicator": {
            "code": "A2",
            "description": "Surgical procedure on ASC list in CY 2007; payment based on OPPS "
            "relative payment weight.",
        },
        "paymentWeight": "8.9164",
        "paymentRate": "489.47",  # CMS writes $489.47
        "subjectToMultipleProcedureDiscounting": True,
        "passThroughExpiration": None,
        "adjustedCopayment": None,
        "schedule": {"name": "asc-2025-01", "kind": "ASC_PAYMENT"},
    }
    assert data["drug"]["ascPayment"] == {
        "addendum": "BB",
        "paymentIndicator": {"code": "K2"},
        "paymentWeight": None,
        "paymentRate": "73.19",
        "subjectToMultipleProcedureDiscounting": None,
    }
    assert data["before"]["ascPayment"] is None


async def test_asc_payment_indicators_and_their_codes(payments_run: Run) -> None:
    data = await payments_run(
        """{ ascPaymentIndicators { code description codes(first: 3) { code
            ascPayment { paymentIndicator { code } } } } }"""
    )
    indicators = {i["code"]: i for i in data["ascPaymentIndicators"]}
    assert len(indicators) == 21  # DD1's rows in January 2025
    assert indicators["N1"]["description"] == "Packaged service/item; no separate payment made."
    for code, indicator in indicators.items():
        assert len(indicator["codes"]) <= 3
        for c in indicator["codes"]:
            assert c["ascPayment"]["paymentIndicator"]["code"] == code
    assert len(indicators["K2"]["codes"]) == 3


def _expected_changes(old: list[dict], new: list[dict]) -> dict[str, str]:
    before = {r["code"]: r for r in old}
    after = {r["code"]: r for r in new}
    found = {}
    for code in before.keys() | after.keys():
        was, now = before.get(code), after.get(code)
        if was is None:
            found[code] = "ADDED"
        elif now is None:
            found[code] = "REMOVED"
        elif was["status_indicator"] != now["status_indicator"]:
            found[code] = "INDICATOR_CHANGED"
        elif was["payment_rate"] != now["payment_rate"]:
            rates = [r["payment_rate"] for r in (was, now)]
            up = rates[0] is None or (
                rates[1] is not None and Decimal(rates[1]) > Decimal(rates[0])
            )
            found[code] = "RATE_UP" if up else "RATE_DOWN"
    return found


async def test_payment_changes_between_two_addendum_b(payments_run: Run) -> None:
    expected = _expected_changes(
        opps_rows(PAYMENT / OPPS_FILES["opps-2019-01"]),
        opps_rows(PAYMENT / OPPS_FILES["opps-2020-01"]),
    )
    query = """query($after: String) { paymentChanges(from: "opps-2019-01", to: "OPPS-2020-01",
        first: 500, after: $after) { totalCount pageInfo { hasNextPage endCursor }
        nodes { hcpcsCode kind rateDifference fromSchedule { name } toSchedule { name }
          before { ... on OutpatientPayment { paymentRate statusIndicator { code } } }
          after { ... on OutpatientPayment { paymentRate statusIndicator { code } } } } } }"""
    got, after = [], None
    while True:
        data = (await payments_run(query, {"after": after}))["paymentChanges"]
        got += data["nodes"]
        if not data["pageInfo"]["hasNextPage"]:
            break
        after = data["pageInfo"]["endCursor"]
    assert data["totalCount"] == len(expected) == len(got)
    assert {c["hcpcsCode"]: c["kind"] for c in got} == expected
    assert [c["hcpcsCode"] for c in got] == sorted(expected)
    bevacizumab = next(c for c in got if c["hcpcsCode"] == "J9035")
    assert bevacizumab == {
        "hcpcsCode": "J9035",
        "kind": "RATE_DOWN",
        "rateDifference": "-0.54",
        "fromSchedule": {"name": "opps-2019-01"},
        "toSchedule": {"name": "opps-2020-01"},
        "before": {"paymentRate": "81.18", "statusIndicator": {"code": "K"}},
        "after": {"paymentRate": "80.64", "statusIndicator": {"code": "K"}},
    }
    added = next(c for c in got if c["kind"] == "ADDED")
    assert added["before"] is None and added["rateDifference"] is None


async def test_payment_changes_filtered_by_kind(payments_run: Run) -> None:
    data = await payments_run(
        """{ paymentChanges(from: "opps-2019-01", to: "opps-2020-01", kinds: [ADDED, REMOVED],
            first: 5) { totalCount nodes { kind } } }"""
    )
    assert {n["kind"] for n in data["paymentChanges"]["nodes"]} <= {"ADDED", "REMOVED"}
    assert data["paymentChanges"]["totalCount"] > 0
    # the same release twice: nothing changed
    same = await payments_run(
        '{ paymentChanges(from: "asc-2025-01", to: "asc-2025-01") { totalCount } }'
    )
    assert same == {"paymentChanges": {"totalCount": 0}}


@pytest.mark.parametrize(
    ("arguments", "argument"),
    [
        ('from: "opps-2019-01", to: "asc-2025-01"', "to"),  # two schedules
        ('from: "opps-2018-01", to: "opps-2020-01"', "from"),  # not loaded
        ('from: "opps-2019-01", to: "2020-01"', "to"),  # a HCPCS release
    ],
)
async def test_payment_changes_bad_input(payments_run: Run, arguments: str, argument: str) -> None:
    result = await payments_run(f"{{ paymentChanges({arguments}) {{ totalCount }} }}", errors=True)
    assert _error(result) == {"code": "BAD_USER_INPUT", "argument": argument}


async def test_a_cursor_of_another_comparison_is_refused(payments_run: Run) -> None:
    data = await payments_run(
        """{ paymentChanges(from: "opps-2019-01", to: "opps-2020-01", first: 1) {
            pageInfo { endCursor } } }"""
    )
    cursor = data["paymentChanges"]["pageInfo"]["endCursor"]
    result = await payments_run(
        'query($c: String) { paymentChanges(from: "opps-2020-01", to: "opps-2019-01", '
        "after: $c) { totalCount } }",
        {"c": cursor},
        errors=True,
    )
    assert _error(result) == {"code": "BAD_USER_INPUT", "argument": "after"}


@pytest.mark.parametrize(
    ("schedule", "argument"), [("asc-2025-01", "schedule"), ("opps-2021-01", "schedule")]
)
async def test_a_schedule_of_another_kind_is_refused(
    payments_run: Run, schedule: str, argument: str
) -> None:
    result = await payments_run(
        f'{{ oppsStatusIndicators(schedule: "{schedule}") {{ code }} }}', errors=True
    )
    assert _error(result) == {"code": "BAD_USER_INPUT", "argument": argument}


async def test_payment_release_ids_of_the_new_kinds(payments_run: Run) -> None:
    data = await payments_run('{ paymentRelease(name: "opps-2020-01") { id kind } }')
    node = await payments_run(
        "query($id: ID!) { node(id: $id) { ... on PaymentRelease { name kind } } }",
        {"id": data["paymentRelease"]["id"]},
    )
    assert node["node"] == {"name": "opps-2020-01", "kind": "OPPS_ADDENDUM_B"}


FACILITY_PAGE = """query($first: Int) {
  hcpcsCodes(release: "2020-01", first: $first, filter: {codePrefix: "J"}) {
    nodes {
      code
      outpatientPayment { paymentRate statusIndicator { code description }
        apc { code paymentRate codes { code } } schedule { name } }
      old: outpatientPayment(asOf: "2019-01-01") { paymentRate }
      ascPayment(asOf: "2025-01-01") { paymentRate paymentIndicator { code description }
        schedule { name } }
    }
  }
}"""


async def _statements(run: Run, first: int) -> int:
    before = run.db.stats.statements
    data = await run(FACILITY_PAGE, {"first": first})
    assert len(data["hcpcsCodes"]["nodes"]) == first
    return run.db.stats.statements - before


async def test_facility_fields_cost_a_fixed_number_of_statements(payments_run: Run) -> None:
    """The page, Addendum B of 2020 and of 2019, the APCs' rows, the APCs' codes, the ASC
    rows and DD1's meanings: the same for 100 codes as for 10."""
    run = Run(payments_run.db, build_schema(Limits(max_cost=1_000_000)))
    ten = await _statements(run, 10)
    hundred = await _statements(run, 100)
    assert hundred == ten
    assert hundred <= 2 * 7  # `run` answers twice


async def test_indicators_and_apcs_are_nodes(payments_run: Run) -> None:
    """Like the HCPCS code tables' values: a global id naming the schedule release."""
    data = await payments_run(
        """{ si: oppsStatusIndicator(code: "K", schedule: "opps-2020-01") { id }
             apc(code: "9214", schedule: "opps-2019-01") { id }
             asc: ascPaymentIndicators(schedule: "asc-2025-01") { id code } }"""
    )
    asc = next(i for i in data["asc"] if i["code"] == "K2")
    query = """query($id: ID!) { node(id: $id) { id
        ... on OppsStatusIndicator { code schedule { name } }
        ... on Apc { code schedule { name } }
        ... on AscPaymentIndicator { code schedule { name } } } }"""
    for id_, code, schedule in [
        (data["si"]["id"], "K", "opps-2020-01"),
        (data["apc"]["id"], "9214", "opps-2019-01"),
        (asc["id"], "K2", "asc-2025-01"),
    ]:
        found = (await payments_run(query, {"id": id_}))["node"]
        assert found == {"id": id_, "code": code, "schedule": {"name": schedule}}
    from hcpcs_graph.schema.ids import node_id

    missing = await payments_run(query, {"id": node_id("Apc", "opps-2020-01", "0000")})
    assert missing == {"node": None}
    for bad in (node_id("Apc", "asc-2025-01", "9214"), node_id("Apc", "opps-2018-01", "1")):
        result = await payments_run(query, {"id": bad}, errors=True)
        assert result.errors[0].extensions == {"code": "BAD_USER_INPUT", "argument": "id"}


async def test_pfs_status_codes_and_dmepos_categories_are_nodes(payments_run: Run) -> None:
    data = await payments_run('{ pfsStatusCode(code: "A") { id } dmeposCategories { id code } }')
    category = next(c for c in data["dmeposCategories"] if c["code"] == "CR")
    query = """query($id: ID!) { node(id: $id) { id
        ... on PfsStatusCode { code } ... on DmeposCategory { code description } } }"""
    found = (await payments_run(query, {"id": data["pfsStatusCode"]["id"]}))["node"]
    assert found == {"id": data["pfsStatusCode"]["id"], "code": "A"}
    found = (await payments_run(query, {"id": category["id"]}))["node"]
    assert found["code"] == "CR" and found["description"].startswith("Capped rental")
    from hcpcs_graph.schema.ids import node_id

    result = await payments_run(query, {"id": node_id("DmeposCategory", "ZZ")}, errors=True)
    assert result.errors[0].extensions == {"code": "BAD_USER_INPUT", "argument": "id"}


async def test_payment_comparisons_are_kept_in_a_bounded_cache(payments_run: Run) -> None:
    from hcpcs_graph.schema.cache import cache_of

    query = '{ paymentChanges(from: "opps-2019-01", to: "opps-2020-01", first: 1) { totalCount } }'
    await payments_run(query)
    cache = cache_of(await payments_run.db.snapshot()).payment_diffs
    assert cache is not None and 0 < cache.size <= cache.max_bytes
