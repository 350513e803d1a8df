"""The payment schedules in the graph (issue 18): what a billing or pharmacy front end
reads next to a code, checked against values a person can find in CMS's files."""

from __future__ import annotations

import pytest

from tests.conftest import PAYMENT_FILES, Run


def _error(result) -> dict:
    [error] = result.errors
    return {"code": error.extensions["code"], "argument": error.extensions.get("argument")}


async def test_drug_pricing_of_a_code(payments_run: Run) -> None:
    data = await payments_run(
        """{ hcpcsCode(code: "J9035", release: "2025-10") { drugPricing {
            hcpcsCode dosage paymentLimit coinsurancePercent clottingFactor notes
            schedule { name kind effectiveFrom effectiveThrough } } } }"""
    )
    # asp-2025-01 is not in force on 2025-10-01: the latest loaded is used
    assert data["hcpcsCode"]["drugPricing"] == {
        "hcpcsCode": "J9035",
        "dosage": "10 MG",
        "paymentLimit": "73.19",  # CMS writes 73.190
        "coinsurancePercent": "20",
        "clottingFactor": False,
        "notes": None,
        "schedule": {
            "name": "asp-2025-01",
            "kind": "ASP_PRICING",
            "effectiveFrom": "2025-01-01",
            "effectiveThrough": "2025-03-31",
        },
    }


async def test_as_of_uses_only_a_release_in_force(payments_run: Run) -> None:
    query = """query($d: Date) { hcpcsCode(code: "J9035", release: "2025-10") {
        drugPricing(asOf: $d) { paymentLimit } ndcs(asOf: $d) { ndc } } }"""
    data = await payments_run(query, {"d": "2025-02-14"})
    assert data["hcpcsCode"]["drugPricing"] == {"paymentLimit": "73.19"}
    assert data["hcpcsCode"]["ndcs"] == []  # the crosswalk loaded starts in October
    data = await payments_run(query, {"d": "2025-06-01"})
    assert data["hcpcsCode"] == {"drugPricing": None, "ndcs": []}
    data = await payments_run(query, {"d": "2025-11-30"})
    assert len(data["hcpcsCode"]["ndcs"]) == 2


async def test_ndcs_of_a_code(payments_run: Run) -> None:
    data = await payments_run(
        """{ hcpcsCode(code: "J9035", release: "2025-10") { ndcs { ndc ndc11 labeler drugName
            hcpcsDosage packageSize packageQuantity billingUnits billingUnitsPerPackage
            schedule { name } code { code release { name } } } } }"""
    )
    first, second = data["hcpcsCode"]["ndcs"]
    assert first == {
        "ndc": "50242-0060-01",
        "ndc11": "50242006001",
        "labeler": "Genentech, Inc.",
        "drugName": "Avastin",
        "hcpcsDosage": "10 MG",
        "packageSize": "4",
        "packageQuantity": "1",
        "billingUnits": "10",
        "billingUnitsPerPackage": "10",
        "schedule": {"name": "ndc-2025-10"},
        "code": {"code": "J9035", "release": {"name": "2025-10"}},
    }
    assert second["billingUnits"] == "40"
    data = await payments_run('{ hcpcsCode(code: "J7512") { ndcs { ndc } } }')
    assert len(data["hcpcsCode"]["ndcs"]) == 175


@pytest.mark.parametrize(
    "typed", ["50242-060-01", "50242-0060-01", "50242006001", " 50242-0060-01 "]
)
async def test_root_ndc_reads_the_forms_people_type(payments_run: Run, typed: str) -> None:
    data = await payments_run(
        "query($c: String!) { ndc(code: $c) { hcpcsCode billingUnits code { code } } }",
        {"c": typed},
    )
    assert data["ndc"] == [{"hcpcsCode": "J9035", "billingUnits": "10", "code": {"code": "J9035"}}]


async def test_root_ndc_refuses_what_is_no_ndc(payments_run: Run) -> None:
    for bad in ["5024206001", "J9035", "50242-00600-1", ""]:
        result = await payments_run(
            "query($c: String!) { ndc(code: $c) { ndc } }", {"c": bad}, errors=True
        )
        assert _error(result) == {"code": "BAD_USER_INPUT", "argument": "code"}, bad
    result = await payments_run('{ ndc(code: "5024206001") { ndc } }', errors=True)
    assert "write it with its hyphens" in result.errors[0].message


async def test_cpt_rows_never_appear(payments_run: Run) -> None:
    # 13533-0636-01 (HyperHepB) bills under CPT 90371 in CMS's crosswalk: not served
    assert await payments_run('{ ndc(code: "13533-0636-01") { ndc } }') == {"ndc": []}
    data = await payments_run(
        '{ paymentRelease(name: "asp-2025-01") { droppedRows { reason count } } }'
    )
    reasons = {d["reason"]: d["count"] for d in data["paymentRelease"]["droppedRows"]}
    assert reasons["CPT"] > 0


async def test_dmepos_fees(payments_run: Run) -> None:
    data = await payments_run(
        """{ hcpcsCode(code: "E0100", release: "2025-10") {
            all: dmeposFees { modifiers stateFees { state } }
            nu: dmeposFees(modifiers: ["nu"], state: "al") {
                hcpcsCode modifiers ceiling floor shortDescription
                jurisdiction { code description } category { code description }
                stateFees { state nonRural rural } schedule { name kind } } } }"""
    )
    code = data["hcpcsCode"]
    assert [f["modifiers"] for f in code["all"]] == [["NU"], ["RR"], ["UE"]]
    assert all(len(f["stateFees"]) == 53 for f in code["all"])
    assert code["nu"] == [
        {
            "hcpcsCode": "E0100",
            "modifiers": ["NU"],
            "ceiling": "29.45",
            "floor": "25.03",
            "shortDescription": "Cane adjust/fixed with tip",
            "jurisdiction": {"code": "D", "description": "DME MAC jurisdiction"},
            "category": {
                "code": "IN",
                "description": "Inexpensive and other routinely purchased items",
            },
            "stateFees": [{"state": "AL", "nonRural": "29.45", "rural": "0"}],
            "schedule": {"name": "dmepos-2025-01", "kind": "DMEPOS"},
        }
    ]


async def test_dmepos_modifier_sets(payments_run: Run) -> None:
    query = 'query($m: [String!]) { hcpcsCode(code: "E0950") { dmeposFees(modifiers: $m) { modifiers } } }'
    fees = (await payments_run(query))["hcpcsCode"]["dmeposFees"]
    assert len(fees) == 9
    fees = (await payments_run(query, {"m": ["ku", "RR"]}))["hcpcsCode"]["dmeposFees"]
    assert fees == [{"modifiers": ["RR", "KU"]}]
    assert (await payments_run(query, {"m": []}))["hcpcsCode"]["dmeposFees"] == []


async def test_dmepen_rows_have_no_dmepos_columns(payments_run: Run) -> None:
    data = await payments_run(
        """{ hcpcsCode(code: "B4034") { dmeposFees(state: "AL") { jurisdiction { code }
            category { code } ceiling floor stateFees { nonRural rural } schedule { name } } } }"""
    )
    [fee] = data["hcpcsCode"]["dmeposFees"]
    assert fee == {
        "jurisdiction": None,
        "category": None,
        "ceiling": None,
        "floor": None,
        "stateFees": [{"nonRural": "3.84", "rural": "6.03"}],
        "schedule": {"name": "dmepen-2025-01"},
    }


@pytest.mark.parametrize(
    ("arguments", "argument"),
    [('state: "ZZ"', "state"), ('modifiers: ["N"]', "modifiers"),
     ('modifiers: ["NU", "RR", "KU"]', "modifiers")],
)  # fmt: skip
async def test_dmepos_bad_arguments(payments_run: Run, arguments: str, argument: str) -> None:
    result = await payments_run(
        f'{{ hcpcsCode(code: "E0100") {{ dmeposFees({arguments}) {{ modifiers }} }} }}',
        errors=True,
    )
    assert _error(result) == {"code": "BAD_USER_INPUT", "argument": argument}
    if argument == "state":
        assert "NY" in result.errors[0].message


async def test_payment_releases_and_their_ids(payments_run: Run) -> None:
    data = await payments_run(
        "{ payments { id name kind effectiveFrom rowCount codeCount sourceFormat } }"
    )
    names = [p["name"] for p in data["payments"]]
    assert names[0] == "ndc-2025-10"  # newest effectiveFrom first
    assert sorted(names) == sorted(PAYMENT_FILES)
    dmepos = next(p for p in data["payments"] if p["name"] == "dmepos-2025-01")
    assert dmepos["rowCount"] == 3487
    node = await payments_run(
        "query($id: ID!) { node(id: $id) { id ... on PaymentRelease { name kind } } }",
        {"id": dmepos["id"]},
    )
    assert node["node"] == {"id": dmepos["id"], "name": "dmepos-2025-01", "kind": "DMEPOS"}
    assert await payments_run('{ paymentRelease(name: "asp-2024-10") { name } }') == {
        "paymentRelease": None
    }


async def test_an_id_of_a_payment_release_not_loaded(payments_run: Run) -> None:
    from hcpcs_graph.schema.ids import node_id

    for id_, phrase in [
        (node_id("PaymentRelease", "asp-2024-10"), "not loaded"),
        (node_id("PaymentRelease", "2025-10"), "is not the id"),
    ]:
        result = await payments_run(
            "query($id: ID!) { node(id: $id) { id } }", {"id": id_}, errors=True
        )
        assert _error(result) == {"code": "BAD_USER_INPUT", "argument": "id"}
        assert phrase in result.errors[0].message


async def test_pricing_indicators_lead_to_their_schedules(payments_run: Run) -> None:
    data = await payments_run(
        """{ j: hcpcsCode(code: "J9035") { pricingIndicators { code schedules { name } } }
             e: hcpcsCode(code: "E0100") { pricingIndicators { code schedules { name } } } }"""
    )
    assert data["j"]["pricingIndicators"] == [
        {"code": "51", "schedules": [{"name": "ndc-2025-10"}, {"name": "asp-2025-01"}]}
    ]
    [e] = data["e"]["pricingIndicators"]
    assert {s["name"] for s in e["schedules"]} == {"dmepos-2025-01", "dmepen-2025-01"}


async def test_dmepos_categories_list_their_codes(payments_run: Run) -> None:
    data = await payments_run("{ dmeposCategories { code description codes { code } } }")
    categories = {c["code"]: c for c in data["dmeposCategories"]}
    assert list(categories) == [
        "IN", "FS", "CR", "OX", "OS", "SD", "PO", "SU", "TE", "TS", "IL", "SC", "LC", "LT",
    ]  # fmt: skip
    assert [c["code"] for c in categories["TE"]["codes"]] == ["E0720", "E0730"]
    assert categories["LT"]["codes"] == []  # DMEREAD lists it; January 2025 has no row
    result = await payments_run(
        '{ dmeposCategories { codes(schedule: "asp-2025-01") { code } } }', errors=True
    )
    assert _error(result)["argument"] == "schedule"


async def test_a_file_without_payment_tables(run: Run) -> None:
    data = await run(
        '{ payments { name } hcpcsCode(code: "J9035") { drugPricing { dosage } ndcs { ndc }'
        " dmeposFees { modifiers } pricingIndicators { schedules { name } } } }"
    )
    assert data == {
        "payments": [],
        "hcpcsCode": {
            "drugPricing": None,
            "ndcs": [],
            "dmeposFees": [],
            "pricingIndicators": [{"schedules": []}],
        },
    }


EVERY_PAYMENT_FIELD = """query($first: Int, $d: Date) {
  hcpcsCodes(release: "2025-10", first: $first, filter: {codes: $codes}) {
    nodes { code
      drugPricing(asOf: $d) { paymentLimit coinsurancePercent clottingFactor schedule { id name } }
      ndcs { ndc ndc11 billingUnits packageSize schedule { name } code { code } }
      dmeposFees(state: "ny") { modifiers ceiling jurisdiction { code } category { code }
        stateFees { state nonRural rural } schedule { name kind effectiveThrough } }
      pricingIndicators { code schedules { name droppedRows { reason count } } }
    }
  }
  payments { name loadedAt }
}""".replace("$codes", '["J9035", "E0100", "B4034", "J7512", "A4216"]')


async def test_the_compiled_plan_answers_every_payment_field(payments_run: Run) -> None:
    from hcpcs_graph.schema.context import Context

    variables = {"first": 5, "d": "2025-03-01"}
    await payments_run(EVERY_PAYMENT_FIELD, variables)  # and compared with the plan's answer
    ctx = Context(snapshot=await payments_run.db.snapshot(), request_id="t")
    known = await payments_run.schema.execute_known(EVERY_PAYMENT_FIELD, variables, None, ctx)
    assert known is not None  # the plan answered: no field made it give up
    nodes = known["data"]["hcpcsCodes"]["nodes"]
    assert [n["code"] for n in nodes] == ["A4216", "B4034", "E0100", "J7512", "J9035"]
