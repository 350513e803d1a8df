"""Batching: nested fields cost the same number of statements for 100 parents as for 10."""

from __future__ import annotations

import pytest

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
