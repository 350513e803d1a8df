"""/fhir on CMS's real releases: $expand paging after a filter, skipping to an offset,
cross references and NDCs through $translate, each answer a valid FHIR resource."""

from __future__ import annotations

import re
from pathlib import Path

from tests.conftest import make_client
from tests.fhir_resources import CANONICAL, NDC, VALUE_SET, parameter, valid


async def get(client, path: str, **params):
    response = await client.get(f"/fhir/{path}", params=params)
    assert response.status_code == 200, response.text
    return valid(response.json())


async def graphql(client, query: str, **variables):
    answer = (await client.post("/graphql", json={"query": query, "variables": variables})).json()
    assert "errors" not in answer, answer
    return answer["data"]


async def test_expand_pages_a_filter_exactly(all_releases_db: Path) -> None:
    async with make_client(all_releases_db) as client:
        totals = await graphql(client, """query($s: String) {
            hcpcsCodes(search: $s, first: 1) { totalCount }
            modifiers(search: $s, first: 1) { totalCount } }""", s="wheelchair")  # fmt: skip
        total = totals["hcpcsCodes"]["totalCount"] + totals["modifiers"]["totalCount"]
        assert total > 100  # several pages of 50
        seen: list[str] = []
        offset = 0
        while True:
            page = (await get(client, "ValueSet/$expand", url=VALUE_SET, filter="wheelchair",
                              count="50", offset=str(offset)))["expansion"]  # fmt: skip
            assert page["total"] == total and page["offset"] == offset
            contains = page.get("contains", [])
            assert len(contains) == min(50, max(0, total - offset))
            seen += [c["code"] for c in contains]
            if not contains:
                break
            offset += 50
        assert len(seen) == total and len(set(seen)) == total
        # the same ranking as GraphQL's search, codes first
        first = await graphql(client, """query($s: String) {
            hcpcsCodes(search: $s, first: 50) { nodes { code } } }""", s="wheelchair")  # fmt: skip
        assert seen[:50] == [n["code"] for n in first["hcpcsCodes"]["nodes"]]


async def test_expand_skips_to_an_offset_past_500(all_releases_db: Path) -> None:
    async with make_client(all_releases_db) as client:
        codes: list[str] = []
        after = None
        while len(codes) < 1250:
            data = await graphql(client, """query($a: String) { hcpcsCodes(first: 500, after: $a) {
                nodes { code } pageInfo { endCursor } } }""", a=after)  # fmt: skip
            codes += [n["code"] for n in data["hcpcsCodes"]["nodes"]]
            after = data["hcpcsCodes"]["pageInfo"]["endCursor"]
        page = await get(client, "ValueSet/$expand", url=VALUE_SET, offset="1200", count="50")
        assert [c["code"] for c in page["expansion"]["contains"]] == codes[1200:1250]
        # past the codes, the modifiers
        total = page["expansion"]["total"]
        tail = await get(
            client, "ValueSet/$expand", url=VALUE_SET, offset=str(total - 3), count="10"
        )
        assert len(tail["expansion"]["contains"]) == 3
        assert all(len(c["code"]) == 2 for c in tail["expansion"]["contains"])


async def test_translate_cross_references(all_releases_db: Path) -> None:
    async with make_client(all_releases_db) as client:
        data = await graphql(client, """{ hcpcsCodes(filter: {terminated: true}, first: 500) {
            nodes { code crossReferences { code target { code } } } } }""")  # fmt: skip
        code, references = next(
            (n["code"], n["crossReferences"]) for n in data["hcpcsCodes"]["nodes"]
            if any(r["target"] for r in n["crossReferences"])
        )  # fmt: skip
        found = await get(client, "ConceptMap/$translate", system=CANONICAL, code=code)
        assert parameter(found, "result") is True
        matches = [
            {p["name"]: p for p in m["part"]} for m in found["parameter"] if m["name"] == "match"
        ]
        assert [m["concept"]["valueCoding"]["code"] for m in matches] == [
            r["code"] for r in references
        ]
        target = next(r["code"] for r in references if r["target"])
        back = await get(
            client, "ConceptMap/$translate", system=CANONICAL, code=target, reverse="true"
        )
        assert code in [m["part"][1]["valueCoding"]["code"] for m in back["parameter"]
                        if m["name"] == "match"]  # fmt: skip


async def test_translate_ndc_and_back(payments_db: Path) -> None:
    async with make_client(payments_db) as client:
        found = await get(client, "ConceptMap/$translate", system=NDC, code="50242-060-01")
        assert parameter(found, "result") is True
        (match,) = [m for m in found["parameter"] if m["name"] == "match"]
        assert match["part"][1]["valueCoding"]["code"] == "J9035"
        assert match["part"][0]["valueCode"] == "wider"
        back = await get(client, "ConceptMap/$translate", system=CANONICAL, code="J9035",
                         targetsystem=NDC)  # fmt: skip
        ndcs = [
            m["part"][1]["valueCoding"]["code"] for m in back["parameter"] if m["name"] == "match"
        ]
        assert "50242006001" in ndcs


async def test_the_readme_examples_answer(payments_db: Path) -> None:
    """README's FHIR examples (its GET lines) on every release and the payment files:
    each a 200 with a valid resource, and what their comments say."""
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    section = readme[readme.index("## FHIR") : readme.index("## HTTP")]
    paths = re.findall(r'^curl "\$B/([^"]+)"(.*)$', section, re.M)
    assert len(paths) >= 10
    async with make_client(payments_db) as client:
        for path, comment in paths:
            url = "/fhir/" + path.replace("\\$", "$").replace("$S", CANONICAL)
            response = await client.get(url)
            assert response.status_code == 200, (url, response.text)
            found = valid(response.json())
            if "result: true" in comment:
                assert parameter(found, "result") is True, url
            if "J0567" in comment or "J9035" in comment:
                assert comment.split()[-1] in response.text, url
