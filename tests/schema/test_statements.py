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
