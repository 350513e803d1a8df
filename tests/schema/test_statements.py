"""Batching: nested fields cost the same number of statements for 100 parents as for 10."""

from __future__ import annotations

import pytest

from hcpcs_graph.schema import build_schema
from hcpcs_graph.schema.limits import Limits
from tests.conftest import Run

PAGE = """query($first: Int) {
  hcpcsCodes(release: "2019-01", first: $first, filter: {codePrefix: "A"}) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { cursor node {
      code longDescription
      pricingIndicators { code description feeSchedule }
      multiplePricingIndicator { code description }
      coverage { code description }
      betos { code description family { code description } }
      typesOfService { code description }
      action { code description }
      labCertifications { code description parent { code } }
      ascPaymentGroup { code description }
      mogPaymentGroup { code description }
      mogPaymentPolicyIndicator { code description }
      processingNote { number text }
      crossReferences { code hcpcsCode { code shortDescription } }
      release { name }
      history { release { name } }
      betosLink: betos { codes(first: 3) { totalCount nodes { code } } }
      tos: typesOfService { codes(first: 2) { totalCount } }
    } }
  }
}"""


async def _statements(run: Run, first: int) -> int:
    before = run.db.stats.statements
    data = await run(PAGE, {"first": first})
    assert len(data["hcpcsCodes"]["edges"]) == first
    return run.db.stats.statements - before


@pytest.mark.parametrize("first", [100])
async def test_a_page_of_100_costs_what_a_page_of_10_costs(run: Run, first: int) -> None:
    ten = await _statements(run, 10)
    hundred = await _statements(run, first)
    assert hundred == ten
    assert hundred <= 15


async def test_code_tables_cost_no_statement(run: Run) -> None:
    before = run.db.stats.statements
    await run("{ betosCodes { code description family { code } } pricingIndicators { code } }")
    assert run.db.stats.statements == before


PAYMENTS_PAGE = """query($first: Int) {
  hcpcsCodes(release: "2025-10", first: $first, filter: {codePrefix: "E"}) {
    nodes {
      code
      drugPricing { paymentLimit schedule { name } }
      ndcs { ndc billingUnits schedule { name } code { code } }
      dmeposFees { modifiers category { code description } jurisdiction { code }
        stateFees { state nonRural rural } schedule { name effectiveFrom } }
      pricingIndicators { code schedules { name } }
    }
  }
}"""


async def _payment_statements(run: Run, first: int) -> int:
    before = run.db.stats.statements
    data = await run(PAYMENTS_PAGE, {"first": first})
    assert len(data["hcpcsCodes"]["nodes"]) == first
    return run.db.stats.statements - before


async def test_payment_fields_cost_a_fixed_number_of_statements(payments_run: Run) -> None:
    """The page itself, then one statement per schedule release asked: ASP, the NDC
    crosswalk, DMEPOS and DMEPEN (choosing the releases reads the catalog only), and the
    crosswalk rows' codes. (Its cost, counting 200 NDCs and 12 rows of 53 states per code,
    is past the default limit: a schema with a higher one runs it.)"""
    run = Run(payments_run.db, build_schema(Limits(max_cost=1_000_000)))
    ten = await _payment_statements(run, 10)
    hundred = await _payment_statements(run, 100)
    assert hundred == ten
    assert hundred <= 2 * 5  # the page, ASP, NDC, DMEPOS, DMEPEN; `run` answers twice


CLAIM = """query($lines: [ClaimLineInput!]!) {
  checkClaimLines(lines: $lines) {
    line verdict
    code { code shortDescription status }
    findings { rule severity message codes source release schedule file }
    allowed { amount units basis detail schedule { name effectiveFrom effectiveThrough } }
  }
}"""


def _claim(codes: list[str]) -> list[dict[str, object]]:
    """Lines of every kind, on two dates in two releases: each line asks every table."""
    settings = ("PROFESSIONAL", "OUTPATIENT_HOSPITAL", "ASC")
    return [
        {
            "code": code,
            "dateOfService": ("2025-11-03", "2026-01-05")[n % 2],
            "modifiers": [("RR", "NU", "JW", "ZZ")[n % 4]],
            "ndc": "50242-0060-01",
            "ndcUnits": "1",
            "state": "NY",
            "locality": "13202-01",
            "setting": settings[n % 3],
        }
        for n, code in enumerate(codes)
    ]


async def _claim_statements(
    run: Run, lines: list[dict[str, object]], *, cached: bool = False
) -> int:
    """The statements one answer of the claim costs; with the rows claims read kept from
    earlier claims when `cached`, else read afresh."""
    from hcpcs_graph.schema.cache import cache_of
    from hcpcs_graph.schema.context import Context

    snapshot = await run.db.snapshot()
    if not cached:
        cache_of(snapshot).claim_rows = None
    before = run.db.stats.statements
    ctx = Context(snapshot=snapshot, request_id="test")
    result = await run.schema.execute(CLAIM, variable_values={"lines": lines}, context_value=ctx)
    assert result.errors is None, result.errors
    assert len(result.data["checkClaimLines"]) == len(lines)
    return run.db.stats.statements - before


async def test_a_claim_of_500_lines_costs_what_one_of_10_costs(claims_run: Run) -> None:
    """Two rounds, whatever the claim's size: each table once per release in force (codes
    and modifiers of two HCPCS releases, the NOC list, ASP, DMEPOS, DMEPEN, the crosswalk
    by NDC, the PFS and its localities, OPPS), then the history of the codes their release
    lacks. The cost limit admits the 500 lines with this selection."""
    page = await claims_run('{ hcpcsCodes(release: "2025-10", first: 500) { nodes { code } } }')
    codes = [n["code"] for n in page["hcpcsCodes"]["nodes"]]
    ten = await _claim_statements(claims_run, _claim(codes[:10]))
    five_hundred = await _claim_statements(claims_run, _claim(codes))
    assert five_hundred == ten
    assert five_hundred <= 15  # 9 here: codes and modifiers of two releases, NOC, DMEPOS,
    # DMEPEN, the crosswalk, and the history of the codes their release lacks


async def test_rows_read_once_are_not_read_again(claims_run: Run) -> None:
    """The rows a claim read are kept per database file (schema/claim_rows.py): the same
    claim again costs no statement, and a claim adding new codes asks only for those (the
    modifiers, NDC and localities are known). `Run` checks that the plan's answer, from
    kept rows, is the same bytes as the full path's."""
    page = await claims_run('{ hcpcsCodes(release: "2025-10", first: 500) { nodes { code } } }')
    codes = [n["code"] for n in page["hcpcsCodes"]["nodes"]]
    first = await _claim_statements(claims_run, _claim(codes[:250]))
    assert await _claim_statements(claims_run, _claim(codes[:250]), cached=True) == 0
    more = await _claim_statements(claims_run, _claim(codes), cached=True)
    assert 0 < more < first
    data = await claims_run(CLAIM, {"lines": _claim(codes)})  # the plan, from kept rows
    assert len(data["checkClaimLines"]) == 500
