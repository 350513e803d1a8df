"""The benchmark's query shapes as our server is asked them: bench/shapes.py adds the peer's
queries and the wrk scripts, and the tests check that each shape answers the same by every path
(tests/schema/test_compiled.py) and reads only the columns it needs (tests/schema/test_columns.py).
Here, under tests/, so that no test imports bench/."""

from __future__ import annotations

from graphql import get_introspection_query

RELEASE = "2025-10"

_OURS_ROW = """code longDescription shortDescription addedDate actionEffectiveDate
  terminationDate pricingIndicators { code description }
  multiplePricingIndicator { code description } coverage { code description }
  betos { code description } typesOfService { code description } action { code description }"""

OURS = {
    "code": f"""query Code($code: String!) {{
  hcpcsCode(code: $code, release: "{RELEASE}") {{ {_OURS_ROW} }} }}""",
    "page": f"""query Page($after: String) {{
  hcpcsCodes(release: "{RELEASE}", first: 100, after: $after) {{ nodes {{ {_OURS_ROW} }} }} }}""",
    "search": f"""query Search($q: String!) {{
  hcpcsCodes(release: "{RELEASE}", search: $q, first: 20) {{
    totalCount nodes {{ code shortDescription betos {{ code description }} }} }} }}""",
    "traversal": f"""query Traversal($code: String!) {{
  hcpcsCode(code: $code, release: "{RELEASE}") {{ betos {{ code description
    codes(first: 5) {{ totalCount nodes {{ code shortDescription
      typesOfService {{ code description codes {{ totalCount }} }} }} }} }} }} }}""",
    "introspection": get_introspection_query(),
}
OURS["repeat"] = OURS["code"]
# "code" with every payment field (issue 18): the cost of pricing a code on its page
_PAYMENTS = """drugPricing { dosage paymentLimit coinsurancePercent vaccineAwpPercent vaccineLimit
    bloodAwpPercent bloodLimit clottingFactor notes schedule { name effectiveFrom effectiveThrough } }
  ndcs { ndc ndc11 labeler drugName hcpcsDosage packageSize packageQuantity billingUnits
    billingUnitsPerPackage }
  dmeposFees { modifiers jurisdiction { code description } category { code description }
    ceiling floor stateFees { state nonRural rural } schedule { name } }"""
OURS["payments"] = f"""query Payments($code: String!) {{
  hcpcsCode(code: $code, release: "{RELEASE}") {{ {_OURS_ROW} {_PAYMENTS} }} }}"""
# "code" with the fee schedules of issue 19: physician (with a payment at a locality), lab,
# ASC and hospital outpatient
_FEES = """physicianFeeSchedule { modifier status { code description } workRvu nonFacilityPeRvu
    facilityPeRvu malpracticeRvu nonFacilityTotal facilityTotal conversionFactor
    globalDays { code description } payment(locality: "13202-01") { nonFacility facility } }
  labFees { modifier rate indicator { code description } effectiveDate }
  ascPayment { paymentIndicator { code description } paymentWeight paymentRate }
  outpatientPayment { statusIndicator { code description } apc { code } relativeWeight
    paymentRate nationalUnadjustedCopayment minimumUnadjustedCopayment }"""
OURS["fees"] = f"""query Fees($code: String!) {{
  hcpcsCode(code: $code, release: "{RELEASE}") {{ {_OURS_ROW} {_FEES} }} }}"""
