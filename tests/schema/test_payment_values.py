"""Every Level II row of each shared payment file, as the API serves it, equals an
independent re-read of the file (tests/payment_files.py: plain csv, zipfile and the
workbook reader), field by field; and the rows that are not Level II never appear."""

from __future__ import annotations

import re
from decimal import Decimal

from tests import payment_files as reread
from tests.conftest import PAYMENT_FILES, Run

RELEASE = "2025-10"  # every code the shared payment files price is in it
# codes a request: as many as the cost limit (20,000 objects) admits with each list's bound
PAGES = {"drugPricing": 100, "ndcs": 40, "dmeposFees": 25, "ascPayment": 100}

_ASP = """query ($codes: [String!], $first: Int) { hcpcsCodes(release: "2025-10", first: $first,
  filter: {codes: $codes}) { nodes { code drugPricing(asOf: "2025-02-15") {
    hcpcsCode shortDescription dosage paymentLimit coinsurancePercent vaccineAwpPercent
    vaccineLimit bloodAwpPercent bloodLimit clottingFactor notes schedule { name } } } } }"""

_NDC = """query ($codes: [String!], $first: Int) { hcpcsCodes(release: "2025-10", first: $first,
  filter: {codes: $codes}) { nodes { code ndcs(asOf: "2025-11-30") { ndc ndc11 hcpcsCode
    shortDescription labeler drugName hcpcsDosage packageSize packageQuantity billingUnits
    billingUnitsPerPackage schedule { name } } } } }"""

_DME = """query ($codes: [String!], $first: Int) { hcpcsCodes(release: "2025-10", first: $first,
  filter: {codes: $codes}) { nodes { code dmeposFees(asOf: "2025-06-30") { hcpcsCode
    modifiers jurisdiction { code } category { code } ceiling floor shortDescription
    stateFees { state nonRural rural } schedule { name } } } } }"""


async def _by_code(run: Run, query: str, codes: list[str], field: str) -> dict[str, object]:
    found: dict[str, object] = {}
    page = PAGES[field]
    for start in range(0, len(codes), page):
        chunk = codes[start : start + page]
        data = await run(query, {"codes": chunk, "first": page})
        nodes = data["hcpcsCodes"]["nodes"]
        assert sorted(n["code"] for n in nodes) == sorted(chunk)  # all in the release
        found.update((n["code"], n[field]) for n in nodes)
    return found


def _number(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value)


async def test_every_asp_row(payments_run: Run) -> None:
    expected, dropped = reread.asp_pricing(PAYMENT_FILES["asp-2025-01"])
    served = await _by_code(payments_run, _ASP, sorted(expected), "drugPricing")
    for code, fields in expected.items():
        row = served[code]
        assert row["hcpcsCode"] == code
        assert row["schedule"] == {"name": "asp-2025-01"}
        assert {
            "shortDescription": row["shortDescription"],
            "dosage": row["dosage"],
            "clottingFactor": row["clottingFactor"],
            "notes": row["notes"],
            **{
                name: _number(row[name])
                for name in (
                    "paymentLimit",
                    "coinsurancePercent",
                    "vaccineAwpPercent",
                    "vaccineLimit",
                    "bloodAwpPercent",
                    "bloodLimit",
                )
            },
        } == fields, code
    assert dropped == 34


async def test_every_ndc_row(payments_run: Run) -> None:
    expected, dropped = reread.ndc_crosswalk(PAYMENT_FILES["ndc-2025-10"])
    codes = sorted({r["hcpcsCode"] for r in expected})
    served = await _by_code(payments_run, _NDC, codes, "ndcs")
    rows = [row for code in codes for row in served[code]]
    in_file_order = sorted(expected, key=lambda r: r["hcpcsCode"])  # stable: file order
    assert len(rows) == len(expected) == 8218
    decimals = ("packageSize", "packageQuantity", "billingUnits", "billingUnitsPerPackage")
    for row, fields in zip(rows, in_file_order, strict=True):
        assert row["schedule"] == {"name": "ndc-2025-10"}
        # an NDC written 5-4-2 has its 11 digits; product ids (GG100, 50016-091605) none
        is_ndc = re.fullmatch(r"\d{5}-\d{4}-\d{2}", row["ndc"])
        assert row["ndc11"] == (row["ndc"].replace("-", "") if is_ndc else None)
        got = {k: row[k] for k in fields if k not in decimals}
        got.update((k, Decimal(row[k])) for k in decimals)
        assert got == fields
    assert dropped == 27


async def test_every_dmepos_and_dmepen_row(payments_run: Run) -> None:
    expected = []
    for release in ("dmepos-2025-01", "dmepen-2025-01"):
        rows, dropped = reread.dmepos_fees(PAYMENT_FILES[release])
        assert dropped == 0
        expected.extend((release, row) for row in rows)
    codes = sorted({row["hcpcsCode"] for _, row in expected})
    served = await _by_code(payments_run, _DME, codes, "dmeposFees")
    rows = [row for code in codes for row in served[code]]
    assert len(rows) == len(expected) == 3487 + 50
    for release, fields in expected:
        matches = [
            r for r in served[fields["hcpcsCode"]]
            if r["modifiers"] == fields["modifiers"] and r["schedule"]["name"] == release
        ]  # fmt: skip
        assert len(matches) == 1, fields
        row = matches[0]
        assert {
            "hcpcsCode": row["hcpcsCode"],
            "modifiers": row["modifiers"],
            "jurisdiction": row["jurisdiction"] and row["jurisdiction"]["code"],
            "category": row["category"] and row["category"]["code"],
            "ceiling": _number(row["ceiling"]),
            "floor": _number(row["floor"]),
            "shortDescription": row["shortDescription"],
            "stateFees": [
                (f["state"], Decimal(f["nonRural"]), Decimal(f["rural"])) for f in row["stateFees"]
            ],
        } == fields


async def test_cpt_rows_are_never_served(payments_run: Run) -> None:
    """The crosswalk's CPT rows (90371, Hep B immune globulin) are dropped: the NDC they
    carry finds nothing."""
    data = await payments_run('{ ndc(code: "13533-0636-01") { hcpcsCode } }')
    assert data == {"ndc": []}
    data = await payments_run('{ hcpcsCode(code: "90371") { code } }')
    assert data == {"hcpcsCode": None}


_ASC = """query ($codes: [String!], $first: Int) { hcpcsCodes(release: "2025-10", first: $first,
  filter: {codes: $codes}) { nodes { code ascPayment(asOf: "2025-02-01") { hcpcsCode addendum
    shortDescription paymentIndicator { code } paymentWeight paymentRate } } } }"""


async def test_every_asc_row(payments_run: Run) -> None:
    """Addenda AA and BB of January 2025, through the graph, against the 508 CSVs re-read
    (the codes the HCPCS release 2025-10 has: the graph reaches a code through its record)."""
    expected, _ = reread.asc(PAYMENT_FILES["asc-2025-01"])
    in_release: set[str] = set()
    codes = sorted(expected)
    for start in range(0, len(codes), 500):
        data = await payments_run(
            'query($c: [String!]) { hcpcsCodes(release: "2025-10", first: 500,'
            " filter: {codes: $c}) { nodes { code } } }",
            {"c": codes[start : start + 500]},
        )
        in_release.update(n["code"] for n in data["hcpcsCodes"]["nodes"])
    assert len(in_release) > 0.95 * len(expected)
    served = await _by_code(payments_run, _ASC, sorted(in_release), "ascPayment")
    for code in in_release:
        row, fields = served[code], expected[code]
        assert {
            "addendum": row["addendum"],
            "shortDescription": row["shortDescription"],
            "paymentIndicator": row["paymentIndicator"]["code"],
            "paymentWeight": _number(row["paymentWeight"]),
            "paymentRate": _number(row["paymentRate"]),
        } == fields, code
