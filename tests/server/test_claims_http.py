"""A whole claim over HTTP (issue 20): 500 lines with every field fit the body limit."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import make_client

QUERY = """query Check($lines: [ClaimLineInput!]!) {
  checkClaimLines(lines: $lines) { line verdict findings { rule } allowed { amount } }
}"""
LINE = {
    "code": "E0100",
    "modifiers": ["NU", "KX", "GA", "RT"],
    "dateOfService": "2025-11-03",
    "units": "1",
    "ndc": "50242-0060-01",
    "ndcUnits": "1",
    "state": "NY",
    "locality": "13202-01",
    "setting": "OUTPATIENT_HOSPITAL",
}


async def test_a_500_line_claim_is_one_post(claims_db: Path) -> None:
    body = json.dumps({"query": QUERY, "variables": {"lines": [LINE] * 500}})
    assert 65536 < len(body) < 262144  # past the old default limit, within the new one
    async with make_client(claims_db) as client:
        response = await client.post(
            "/graphql", content=body, headers={"content-type": "application/json"}
        )
    assert response.status_code == 200, response.text
    lines = response.json()["data"]["checkClaimLines"]
    assert [line["line"] for line in lines] == list(range(1, 501))
    assert lines[0]["allowed"] == {"amount": "29.45"}  # E0100 NU in NY, DMEPOS_JAN.csv
