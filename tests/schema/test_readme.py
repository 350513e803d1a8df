"""The README is the front door: its settings table and its example queries must stay true."""

from __future__ import annotations

import re

from hcpcs_graph.server.settings import documented
from tests.conftest import ROOT, Run

README = (ROOT / "README.md").read_text()


def test_every_setting_is_in_the_readme() -> None:
    for variable, default, _ in documented():
        shown = str(default).lower() if isinstance(default, bool) else str(default)
        assert f"| `{variable}` | `{shown}` |" in README, variable


async def test_every_example_query_runs(claims_run: Run) -> None:
    """On every HCPCS release, the shared payment files and CMS's NOC lists."""
    queries = re.findall(r"```graphql\n(.*?)```", README, re.S)
    assert len(queries) >= 7
    for query in queries:
        data = await claims_run(query)
        assert data and all(value is not None for value in data.values())


async def test_the_payment_examples_show_what_the_files_say(payments_run: Run) -> None:
    """README's spot checks, which a person can verify in CMS's files."""
    queries = re.findall(r"```graphql\n(.*?)```", README, re.S)
    [drug] = [q for q in queries if "drugPricing" in q]
    code = (await payments_run(drug))["hcpcsCode"]
    assert code["drugPricing"]["paymentLimit"] == "73.19"  # the ASP file's 73.190
    assert code["drugPricing"]["schedule"]["effectiveThrough"] == "2025-03-31"
    first = code["ndcs"][0]
    assert (first["ndc"], first["packageSize"], first["billingUnitsPerPackage"]) == (
        "50242-0060-01",
        "4",
        "10",
    )
    [ndc] = [q for q in queries if "ndc(code:" in q]
    assert [r["code"]["code"] for r in (await payments_run(ndc))["ndc"]] == ["J9035"]


async def test_the_fee_schedule_examples_show_what_the_files_say(payments_run: Run) -> None:
    queries = re.findall(r"```graphql\n(.*?)```", README, re.S)
    [pfs] = [q for q in queries if "physicianFeeSchedule" in q]
    data = await payments_run(pfs)
    [row] = data["hcpcsCode"]["physicianFeeSchedule"]
    assert row["payment"]["nonFacility"] == row["payment"]["facility"] == "17.34"  # README's sum
    assert data["lab"]["labFees"][0]["rate"] == "19.31"
    [opps] = [q for q in queries if "outpatientPayment" in q]
    code = (await payments_run(opps))["hcpcsCode"]
    assert (code["y2019"]["paymentRate"], code["y2020"]["paymentRate"]) == ("81.18", "80.64")


async def test_the_claim_example_says_what_the_readme_says(claims_run: Run) -> None:
    queries = re.findall(r"```graphql\n(.*?)```", README, re.S)
    [claim] = [q for q in queries if "checkClaimLines" in q]
    lines = (await claims_run(claim))["checkClaimLines"]
    assert [line["verdict"] for line in lines] == ["OK", "ERROR", "ERROR", "WARNING", "WARNING"]
    rules = [[f["rule"] for f in line["findings"]] for line in lines]
    assert rules == [
        ["COVERAGE_CONTRACTOR_JUDGMENT"],
        ["CODE_TERMINATED"],
        ["COVERAGE_NON_COVERED", "NOT_SEPARATELY_PRICED"],
        ["COVERAGE_SPECIAL_INSTRUCTIONS"],
        ["COVERAGE_SPECIAL_INSTRUCTIONS", "NOT_OTHERWISE_CLASSIFIED"],
    ]
    assert [link["code"] for link in lines[1]["findings"][0]["links"]] == ["J0567"]
    assert lines[3]["allowed"]["amount"] == "29.45"  # DMEPOS_JAN.csv: E0100 NU, NY (NR)
    assert lines[4]["findings"][1]["source"] == "noc-2025-07 (NOC codes_JUL2025.xlsx)"
    assert [line["allowed"] for line in lines if line["line"] != 4] == [None] * 4
