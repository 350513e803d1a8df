"""A real FHIR client (fhirpy) against a live `hcpcs serve`: $lookup, $validate-code
with a date, $expand paged with a filter, and $translate; each answer a valid resource."""

from __future__ import annotations

from pathlib import Path

import httpx
from fhirpy import SyncFHIRClient

from tests.fhir_resources import CANONICAL, VALUE_SET, parameter, valid
from tests.servers import serving


def test_fhirpy_against_hcpcs_serve(all_releases_db: Path, tmp_path: Path) -> None:
    with serving(all_releases_db, tmp_path) as origin:
        client = SyncFHIRClient(f"{origin}/fhir", extra_headers={"Accept": "application/fhir+json"})

        found = valid(client.execute("CodeSystem/$lookup", method="get",
                                     params={"system": CANONICAL, "code": "E0100"}))  # fmt: skip
        assert parameter(found, "display") and parameter(found, "version") == "2026-01"

        body = {"resourceType": "Parameters", "parameter": [
            {"name": "coding", "valueCoding": {"system": CANONICAL, "code": "G6002"}},
            {"name": "date", "valueDate": "2025-12-31"}]}  # fmt: skip
        on = valid(client.execute("CodeSystem/$validate-code", data=body))
        assert parameter(on, "result") is True
        body["parameter"][1]["valueDate"] = "2026-01-01"
        after = valid(client.execute("CodeSystem/$validate-code", data=body))
        assert parameter(after, "result") is False and "terminated" in parameter(after, "message")

        seen: list[str] = []
        offset, total = 0, None
        while total is None or offset < total:
            page = valid(client.execute("ValueSet/$expand", method="get", params={
                "url": VALUE_SET, "filter": "walker", "count": 5, "offset": offset}))  # fmt: skip
            total = page["expansion"]["total"]
            seen += [c["code"] for c in page["expansion"].get("contains", [])]
            offset += 5
        assert total > 5 and len(seen) == len(set(seen)) == total

        # a terminated code CMS crosswalks to a Level II code, found through /graphql
        query = """{ hcpcsCodes(filter: {terminated: true}, first: 500) {
            nodes { code crossReferences { code target { code } } } } }"""
        nodes = httpx.post(f"{origin}/graphql", json={"query": query}).json()["data"]
        code, target = next(
            (n["code"], r["code"]) for n in nodes["hcpcsCodes"]["nodes"]
            for r in n["crossReferences"] if r["target"]
        )  # fmt: skip
        translated = valid(client.execute("ConceptMap/$translate", method="get",
                                          params={"system": CANONICAL, "code": code}))  # fmt: skip
        assert parameter(translated, "result") is True
        matches = [
            m["part"][1]["valueCoding"] for m in translated["parameter"] if m["name"] == "match"
        ]
        assert {"system": CANONICAL, "code": target} in [
            {"system": m["system"], "code": m["code"]} for m in matches]  # fmt: skip
