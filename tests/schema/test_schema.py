"""The graph through `schema.execute()`, on a database of every real release in ../shared."""

from __future__ import annotations

import pytest

from tests.conftest import Run

SEED_QUERY = """
query Seed($release: String) {
  hcpcsCode(code: "G6002", release: $release) {
    code longDescription shortDescription
    pricingIndicators { code description feeSchedule }
    multiplePricingIndicator { code description }
    coverage { code description }
    betos { code description }
    typesOfService { code description }
    anesthesiaBaseUnits addedDate actionEffectiveDate terminationDate
    action { code description }
    release { name }
  }
}
"""

SEED_DESCRIPTIONS = {
    "longDescription": "Stereoscopic x-ray guidance for localization of target volume for the "
    "delivery of radiation therapy",
    "shortDescription": "Stereoscopic x-ray guidance",
    "multiplePricingIndicator": {
        "code": "A",
        "description": "Not applicable as HCPCS priced under one methodology",
    },
    "coverage": {"code": "C", "description": "Carrier judgment"},
    "betos": {"code": "I4B", "description": "Imaging/procedure - other"},
    "typesOfService": [{"code": "6", "description": "Therapeutic radiology"}],
    "anesthesiaBaseUnits": 0,
    "addedDate": "2015-01-01",
}


def _seed_pricing_text(indicator: dict) -> str:
    """The seed page shows the description and its fee schedule heading as one sentence."""
    return f"{indicator['description']}. {indicator['feeSchedule']}."


async def test_seed_record_in_2026_01_every_field_decoded(run: Run) -> None:
    code = (await run(SEED_QUERY, {"release": "2026-01"}))["hcpcsCode"]
    assert {k: code[k] for k in SEED_DESCRIPTIONS} == SEED_DESCRIPTIONS
    [pricing] = code["pricingIndicators"]
    assert pricing["code"] == "13"
    assert _seed_pricing_text(pricing) == (
        "Price established by carriers (e.g., not otherwise classified, individual "
        "determination, carrier discretion). Linked To The Physician Fee Schedule."
    )
    assert (code["actionEffectiveDate"], code["terminationDate"]) == ("2026-01-01", "2025-12-31")
    # 2026-01 discontinues it (D); the seed page, from a later quarter, shows N.
    assert code["action"] == {"code": "D", "description": "Discontinue procedure or modifier code"}
    action_n = await run('{ actionCode(code: "N") { code description } }')
    assert action_n["actionCode"] == {"code": "N", "description": "No maintenance for this code"}


async def test_newest_release_is_the_default(run: Run) -> None:
    data = await run('{ hcpcsCode(code: "G6002") { release { name } } releases { name } }')
    assert data["hcpcsCode"]["release"]["name"] == "2026-01"
    assert [r["name"] for r in data["releases"]] == [
        "2026-01", "2025-10", "2020-01", "2019-01", "2018-01", "2017-01", "2016-01",
    ]  # fmt: skip


async def test_code_lookup_ignores_case_and_blanks_and_unknown_is_null(run: Run) -> None:
    data = await run(
        '{ a: hcpcsCode(code: "  g6002 ") { code } b: hcpcsCode(code: "ZZZZZ") { code } }'
    )
    assert data == {"a": {"code": "G6002"}, "b": None}


async def test_every_scalar_field_of_a_rich_record(run: Run) -> None:
    data = await run(
        """{ hcpcsCode(code: "J7328", release: "2018-01") {
            id code sequenceNumber recordId statute cimReferences mcmReferences
            ascPaymentGroup { code description } ascEffectiveDate mogPaymentGroup { code }
            mogPaymentPolicyIndicator { code } mogEffectiveDate labCertifications { code }
            processingNote { number } crossReferences { code }
        } }"""
    )
    code = data["hcpcsCode"]
    assert code["code"] == "J7328" and code["sequenceNumber"] == 100 and code["recordId"] == "3"
    assert code["ascPaymentGroup"]["code"] == "YY"
    assert code["ascPaymentGroup"]["description"].startswith("Approved")
    assert code["ascEffectiveDate"] == "2018-01-01"
    assert code["mogPaymentGroup"] is None and code["mogEffectiveDate"] is None


async def test_lab_certifications_with_parents_and_children(run: Run) -> None:
    data = await run(
        """{ hcpcsCodes(filter: {codes: ["G0123", "P3000", "G0306"]}, release: "2019-01") {
              nodes { code labCertifications { code description parent { code description } } } }
            labCertification(code: "100") { children { code } parent { code } } }"""
    )
    by_code = {n["code"]: n["labCertifications"] for n in data["hcpcsCodes"]["nodes"]}
    assert any(by_code.values())
    for certs in by_code.values():
        for cert in certs:
            if cert["code"] != cert["code"][0] + "00":
                assert cert["parent"]["code"] == cert["code"][0] + "00"
    assert [c["code"] for c in data["labCertification"]["children"]] == [
        "110", "115", "120", "130", "140", "150",
    ]  # fmt: skip
    assert data["labCertification"]["parent"] is None


async def test_cross_references_resolve_level_ii_codes_and_leave_cpt_null(
    run: Run, all_releases_db
) -> None:
    import json
    import sqlite3

    conn = sqlite3.connect(all_releases_db)
    rows = conn.execute(
        "SELECT code, cross_references FROM codes WHERE release = '2016-01'"
        " AND is_modifier = 0 AND cross_references != '[]'"
    ).fetchall()
    level_ii = {c for (c,) in conn.execute("SELECT code FROM codes WHERE release = '2016-01'")}
    conn.close()
    expected = {code: json.loads(refs) for code, refs in rows}
    data = await run(
        """query($codes: [String!]) { hcpcsCodes(release: "2016-01", first: 500,
              filter: {codes: $codes}) {
            nodes { code crossReferences { code hcpcsCode { code release { name } } } } } }""",
        {"codes": list(expected)},
    )
    nodes = data["hcpcsCodes"]["nodes"]
    assert len(nodes) == len(expected) == 88
    cpt = 0
    for node in nodes:
        refs = node["crossReferences"]
        assert [r["code"] for r in refs] == expected[node["code"]]
        for ref in refs:
            if ref["code"] in level_ii:
                assert ref["hcpcsCode"] == {"code": ref["code"], "release": {"name": "2016-01"}}
            else:
                assert ref["hcpcsCode"] is None
                cpt += ref["code"].isdigit()
    assert cpt == 1  # one 2016 code points to a CPT code


async def test_processing_note_text_or_number_alone(run: Run) -> None:
    query = """query($r: String) { hcpcsCodes(release: $r, first: 1,
        filter: {codes: ["E0194"]}) { nodes { processingNote { number text } } } }"""
    with_notes = await run(query, {"r": "2017-01"})
    without = await run(query, {"r": "2025-10"})
    note = with_notes["hcpcsCodes"]["nodes"][0]["processingNote"]
    assert note["number"] == 13 and note["text"].startswith("THIS DEVICE (E0194)")
    assert without["hcpcsCodes"]["nodes"][0]["processingNote"] == {"number": 13, "text": None}
    data = await run(
        '{ processingNote(number: 13, release: "2017-01") { text codes { nodes { code } } } }'
    )
    assert {"code": "E0194"} in data["processingNote"]["codes"]["nodes"]


async def test_betos_traversal_from_the_issue(run: Run) -> None:
    data = await run(
        """{ hcpcsCode(code: "G6002") { betos { family { code description }
              codes(first: 5) { totalCount nodes { code typesOfService { code codes { totalCount } } } } } } }"""
    )
    betos = data["hcpcsCode"]["betos"]
    assert betos["family"] == {"code": "I", "description": "Imaging"}
    assert betos["codes"]["totalCount"] > 5 and len(betos["codes"]["nodes"]) == 5
    for node in betos["codes"]["nodes"]:
        for tos in node["typesOfService"]:
            assert tos["codes"]["totalCount"] > 0


async def test_reverse_links_are_exact(run: Run, all_releases_db) -> None:
    import sqlite3

    conn = sqlite3.connect(all_releases_db)
    expected = conn.execute(
        "SELECT count(*) FROM codes WHERE release = '2020-01' AND is_modifier = 0 AND betos = 'D1E'"
    ).fetchone()[0]
    tos = conn.execute(
        "SELECT count(DISTINCT code_id) FROM code_values WHERE release = '2020-01'"
        " AND is_modifier = 0 AND field = 'type_of_service' AND value = 'R'"
    ).fetchone()[0]
    conn.close()
    data = await run(
        """{ betosCode(code: "d1e", release: "2020-01") { codes { totalCount } }
            typeOfService(code: "R", release: "2020-01") { codes { totalCount } } }"""
    )
    assert data["betosCode"]["codes"]["totalCount"] == expected
    assert data["typeOfService"]["codes"]["totalCount"] == tos


async def test_every_table_root_field(run: Run) -> None:
    data = await run(
        """{ pricingIndicators { code } pricingIndicator(code: "40") { description }
            multiplePricingIndicators { code } multiplePricingIndicator(code: "A") { code }
            coverageCodes { code } coverageCode(code: "c") { description }
            betosCodes { code } betosCode(code: "O1L") { description family { code } }
            typesOfService { code } typeOfService(code: "6") { description }
            actionCodes { code } actionCode(code: "D") { description }
            labCertifications { code } labCertification(code: "110") { parent { code } }
            ascPaymentGroups { code } ascPaymentGroup(code: "YY") { code }
            mogPaymentGroups { code } mogPaymentPolicyIndicators { code }
            betosFamilies { code betosCodes { code } }
            nothing: betosCode(code: "XXX") { code } }"""
    )
    assert len(data["pricingIndicators"]) == 26
    assert data["pricingIndicator"]["description"].startswith("Lymphedema")
    assert [c["code"] for c in data["coverageCodes"]] == ["C", "D", "I", "M", "S"]
    assert data["betosCode"]["family"] == {"code": "O"}
    assert len(data["betosCodes"]) == 107 and len(data["typesOfService"]) == 34
    assert len(data["actionCodes"]) == 10 and len(data["labCertifications"]) == 31
    assert data["labCertification"]["parent"] == {"code": "100"}
    assert sum(len(f["betosCodes"]) for f in data["betosFamilies"]) == 107
    assert data["nothing"] is None


async def test_modifiers(run: Run) -> None:
    data = await run(
        """{ modifier(code: "a1") { id code longDescription coverage { code } history { release { name } } }
            modifiers(first: 3) { totalCount nodes { code } }
            coverageCode(code: "C") { modifiers(first: 1) { nodes { code } } }
            notAModifier: modifier(code: "G6002") { code } }"""
    )
    assert data["modifier"]["code"] == "A1"
    assert data["modifier"]["longDescription"] == "Dressing for one wound"
    assert len(data["modifier"]["history"]) == 7
    assert data["modifiers"]["totalCount"] == 383
    assert data["coverageCode"]["modifiers"]["nodes"] == [{"code": "A1"}]
    assert data["notAModifier"] is None


async def test_history_oldest_first(run: Run) -> None:
    data = await run(
        '{ hcpcsCode(code: "G6002") { history { release { name } action { code } } } }'
    )
    history = data["hcpcsCode"]["history"]
    assert [h["release"]["name"] for h in history] == [
        "2016-01", "2017-01", "2018-01", "2019-01", "2020-01", "2025-10", "2026-01",
    ]  # fmt: skip
    assert [h["action"]["code"] for h in history][-1] == "D"


async def test_pagination_walks_every_code_once(run: Run) -> None:
    query = """query($after: String) { hcpcsCodes(release: "2016-01", first: 500, after: $after,
        filter: {codePrefix: "J"}) { totalCount pageInfo { hasNextPage hasPreviousPage endCursor }
        edges { cursor node { code } } } }"""
    seen: list[str] = []
    after = None
    while True:
        page = (await run(query, {"after": after}))["hcpcsCodes"]
        seen.extend(e["node"]["code"] for e in page["edges"])
        assert page["pageInfo"]["hasPreviousPage"] == (after is not None)
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
        assert after == page["edges"][-1]["cursor"]
    assert len(seen) == len(set(seen)) == page["totalCount"]
    assert seen == sorted(seen) and all(c.startswith("J") for c in seen)


async def test_filters_combine_with_and(run: Run) -> None:
    data = await run(
        """{ all: hcpcsCodes(release: "2025-10") { totalCount }
            e: hcpcsCodes(release: "2025-10", filter: {codePrefix: "e"}) { totalCount }
            eD1E: hcpcsCodes(release: "2025-10", filter: {codePrefix: "E", betos: "D1E"}) { totalCount }
            eD1ER: hcpcsCodes(release: "2025-10",
              filter: {codePrefix: "E", betos: "D1E", typeOfService: "R"}) { totalCount }
            covered: hcpcsCodes(release: "2025-10", filter: {coverage: "C", pricingIndicator: "13"}) { totalCount }
            added: hcpcsCodes(release: "2025-10", filter: {actionCode: "A"}) { totalCount }
            ended: hcpcsCodes(release: "2025-10", filter: {terminated: true}) { totalCount }
            open: hcpcsCodes(release: "2025-10", filter: {terminated: false}) { totalCount }
            active: hcpcsCodes(release: "2025-10", filter: {activeOn: "2025-10-01"}) { totalCount }
            listed: hcpcsCodes(release: "2025-10", filter: {codes: ["g6002", "E0100", "NOPE1"]}) { nodes { code } } }"""
    )
    counts = {k: v.get("totalCount") for k, v in data.items()}
    assert counts["all"] > counts["e"] > counts["eD1E"] >= counts["eD1ER"] > 0
    assert counts["ended"] + counts["open"] == counts["all"]
    assert 0 < counts["active"] <= counts["all"]
    assert counts["covered"] > 0 and counts["added"] > 0
    assert data["listed"]["nodes"] == [{"code": "E0100"}, {"code": "G6002"}]


async def test_active_on_means_added_by_and_not_terminated_before(run: Run) -> None:
    query = """query($d: Date) { hcpcsCodes(release: "2026-01",
        filter: {codes: ["G6002"], activeOn: $d}) { totalCount } }"""
    counts = [
        (await run(query, {"d": d}))["hcpcsCodes"]["totalCount"]
        for d in ("2014-12-31", "2015-01-01", "2025-12-31", "2026-01-01")
    ]
    assert counts == [0, 1, 1, 0]


async def test_search_prefix_ranking_and_exact_code_first(run: Run) -> None:
    data = await run(
        """{ w: hcpcsCodes(search: "wheelch", first: 10) { totalCount nodes { code shortDescription } }
            e: hcpcsCodes(search: "e0100") { nodes { code } }
            mixed: hcpcsCodes(search: "E0100 cane") { nodes { code } }
            filtered: hcpcsCodes(search: "wheelchair", filter: {codePrefix: "K"}) { nodes { code } } }"""
    )
    assert data["w"]["totalCount"] > 50
    assert all("wheelch" in n["shortDescription"].lower() for n in data["w"]["nodes"][:5])
    assert data["e"]["nodes"][0] == {"code": "E0100"}
    assert data["mixed"]["nodes"][0] == {"code": "E0100"}
    assert data["filtered"]["nodes"] and all(n["code"][0] == "K" for n in data["filtered"]["nodes"])


async def test_search_pages_with_cursors(run: Run) -> None:
    query = """query($after: String) { hcpcsCodes(search: "wheelchair", first: 7, after: $after) {
        totalCount pageInfo { hasNextPage endCursor } nodes { code } } }"""
    first = (await run(query))["hcpcsCodes"]
    second = (await run(query, {"after": first["pageInfo"]["endCursor"]}))["hcpcsCodes"]
    assert not {n["code"] for n in first["nodes"]} & {n["code"] for n in second["nodes"]}
    assert len(second["nodes"]) == 7


async def test_release_object_and_node_ids(run: Run) -> None:
    data = await run(
        """{ release(name: "2019-01") { id name effectiveDate sourceName sourceFormat codeCount
              modifierCount processingNoteCount isSample unknownCodeValues { field } repairs
              codes(first: 1) { nodes { id code } } } }"""
    )
    release = data["release"]
    assert release["name"] == "2019-01" and release["effectiveDate"] == "2019-01-01"
    assert release["sourceName"].endswith("!HCPC2019_CONTR_ANWEB.txt")
    assert (release["sourceFormat"], release["codeCount"], release["modifierCount"]) == (
        "txt", 6440, 360,
    )  # fmt: skip
    assert release["processingNoteCount"] == 218 and release["isSample"] is False
    code_id = release["codes"]["nodes"][0]["id"]
    nodes = await run(
        """query($a: ID!, $b: ID!, $c: ID!) {
            a: node(id: $a) { __typename ... on HcpcsCode { code release { name } } }
            b: node(id: $b) { __typename ... on Release { name } }
            c: node(id: $c) { __typename ... on BetosCode { code description } } }""",
        # c: BetosCode:2019-01:I4B
        {"a": code_id, "b": release["id"], "c": "QmV0b3NDb2RlOjIwMTktMDE6STRC"},
    )
    assert nodes["a"]["__typename"] == "HcpcsCode" and nodes["a"]["release"]["name"] == "2019-01"
    assert nodes["b"] == {"__typename": "Release", "name": "2019-01"}
    assert nodes["c"] == {
        "__typename": "BetosCode", "code": "I4B", "description": "Imaging/procedure - other",
    }  # fmt: skip


async def test_node_ids_are_stable_and_name_the_release(run: Run) -> None:
    query = '{ hcpcsCode(code: "G6002", release: "2016-01") { id } }'
    first, again = await run(query), await run(query)
    assert first == again
    import base64

    raw = first["hcpcsCode"]["id"]
    assert base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)) == b"HcpcsCode:2016-01:G6002"


@pytest.mark.parametrize(
    ("query", "code", "message"),
    [
        (
            "{ hcpcsCodes(first: 0) { totalCount } }",
            "BAD_USER_INPUT",
            "first must be between 1 and 500, got 0",
        ),
        (
            "{ hcpcsCodes(first: 600) { totalCount } }",
            "BAD_USER_INPUT",
            "first must be between 1 and 500, got 600",
        ),
        (
            '{ hcpcsCode(code: "G6002", release: "2024-01") { code } }',
            "BAD_USER_INPUT",
            "release '2024-01' is not loaded; loaded releases: 2016-01, 2017-01, 2018-01, 2019-01, 2020-01, 2025-10, 2026-01",
        ),
        (
            '{ hcpcsCodes(filter: {activeOn: "2025-13-01"}) { totalCount } }',
            "BAD_USER_INPUT",
            "'2025-13-01' is not a date; give an ISO date like 2025-10-01",
        ),
        (
            '{ hcpcsCodes(after: "bogus") { totalCount } }',
            "BAD_USER_INPUT",
            "'bogus' is not a valid cursor",
        ),
        (
            '{ hcpcsCodes(search: "!!!") { totalCount } }',
            "BAD_USER_INPUT",
            "search needs at least one letter or digit",
        ),
        (
            "{ hcpcsCode { code } }",
            "GRAPHQL_VALIDATION_FAILED",
            "Argument 'Query.hcpcsCode(code:)' of type 'String!' is required",
        ),
        ("{ hcpcsCode(code: ", "GRAPHQL_PARSE_FAILED", "Syntax Error"),
    ],
)
async def test_bad_arguments_are_errors_with_codes(
    run: Run, query: str, code: str, message: str
) -> None:
    result = await run(query, errors=True)
    [error] = result.errors
    assert error.extensions["code"] == code
    assert message in error.message


async def test_malformed_date_variable(run: Run) -> None:
    result = await run(
        "query($d: Date) { hcpcsCodes(filter: {activeOn: $d}) { totalCount } }",
        {"d": "01/02/2025"},
        errors=True,
    )
    [error] = result.errors
    assert error.extensions["code"] == "BAD_USER_INPUT"
    assert "'01/02/2025' is not a date" in error.message


@pytest.mark.parametrize(
    ("root", "code", "field", "single"),
    [
        ("pricingIndicator", "51", "pricingIndicators", False),
        ("multiplePricingIndicator", "9", "multiplePricingIndicator", True),
        ("coverageCode", "S", "coverage", True),
        ("betosCode", "O1E", "betos", True),
        ("typeOfService", "F", "typesOfService", False),
        ("actionCode", "C", "action", True),
        ("labCertification", "340", "labCertifications", False),
        ("ascPaymentGroup", "YY", "ascPaymentGroup", True),
    ],
)
async def test_each_code_table_links_both_ways(
    run: Run, root: str, code: str, field: str, single: bool
) -> None:
    data = await run(
        f"""{{ {root}(code: "{code}", release: "2026-01") {{ code description
              codes(first: 50) {{ totalCount nodes {{ code {field} {{ code description }} }} }} }} }}"""
    )
    value = data[root]
    assert value["code"] == code and value["description"]
    nodes = value["codes"]["nodes"]
    assert nodes and value["codes"]["totalCount"] >= len(nodes)
    for node in nodes:
        carried = [node[field]] if single else node[field]
        assert {"code": code, "description": value["description"]} in carried
