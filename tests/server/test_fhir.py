"""The FHIR terminology front door (/fhir) in process: every answer a valid FHIR resource,
the seed record through $lookup field by field against GraphQL, $validate-code on dates,
system URIs, formats, ETags and errors as OperationOutcome."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from hcpcs_graph.server.app import create_app
from hcpcs_graph.server.settings import Settings
from tests.conftest import make_client
from tests.fhir_resources import CANONICAL, VALUE_SET, parameter, properties, valid

OID = "urn:oid:2.16.840.1.113883.6.285"
HTTPS = CANONICAL.replace("http://", "https://")
SEED = """query Seed($asOf: Date) { hcpcsCode(code: "G6002", asOf: $asOf) {
  code shortDescription longDescription
  pricingIndicators { code description } multiplePricingIndicator { code description }
  cimReferences mcmReferences statute labCertifications { code description }
  crossReferences { code } coverage { code description }
  ascPaymentGroup { code description } ascEffectiveDate
  mogPaymentGroup { code description } mogPaymentPolicyIndicator { code description }
  mogEffectiveDate processingNote { number text } betos { code description }
  typesOfService { code description } anesthesiaBaseUnits addedDate actionEffectiveDate
  terminationDate action { code description } status statusDate release { name }
} }"""
# FHIR property -> (GraphQL field, how one value reads)
FIELDS = {
    "pricingIndicator": "pricingIndicators", "multiplePricingIndicator": "multiplePricingIndicator",
    "cimReference": "cimReferences", "mcmReference": "mcmReferences", "statute": "statute",
    "labCertification": "labCertifications", "crossReference": "crossReferences",
    "coverage": "coverage", "ascPaymentGroup": "ascPaymentGroup",
    "ascEffectiveDate": "ascEffectiveDate", "mogPaymentGroup": "mogPaymentGroup",
    "mogPaymentPolicyIndicator": "mogPaymentPolicyIndicator",
    "mogEffectiveDate": "mogEffectiveDate", "processingNote": "processingNote",
    "betos": "betos", "typeOfService": "typesOfService",
    "anesthesiaBaseUnits": "anesthesiaBaseUnits", "addedDate": "addedDate",
    "actionEffectiveDate": "actionEffectiveDate", "terminationDate": "terminationDate",
    "actionCode": "action", "status": "status",
}  # fmt: skip


def expected(value: object) -> list[tuple[object, object]]:
    """A GraphQL field's value as $lookup's (value, description) pairs."""
    items = value if isinstance(value, list) else [] if value is None else [value]
    pairs: list[tuple[object, object]] = []
    for item in items:
        if isinstance(item, dict) and "number" in item:  # a processing note
            coding = {
                "code": str(item["number"]),
                **({"display": item["text"]} if item["text"] else {}),
            }
            pairs.append((coding, item["text"]))
        elif isinstance(item, dict) and "description" in item:
            coding = {
                "code": item["code"],
                **({"display": item["description"]} if item["description"] else {}),
            }
            pairs.append((coding, item["description"]))
        elif isinstance(item, dict):  # a cross reference
            system = (
                CANONICAL
                if item["code"][0] <= "V" and item["code"][1:].isdigit()
                else "http://www.ama-assn.org/go/cpt"
            )
            pairs.append(({"system": system, "code": item["code"]}, None))
        else:
            pairs.append((item, None))
    return pairs  # fmt: skip


@pytest.fixture
async def fhir(sample_db: Path):
    async with make_client(sample_db) as client:
        yield client


async def get(client, path: str, status: int = 200, **params):
    response = await client.get(f"/fhir/{path}", params=params)
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/fhir+json")
    return valid(response.json())


async def test_seed_lookup_matches_graphql_field_by_field(fhir) -> None:
    graphql = (await fhir.post("/graphql", json={"query": SEED})).json()["data"]["hcpcsCode"]
    found = await get(fhir, "CodeSystem/$lookup", system=CANONICAL, code="G6002")
    assert parameter(found, "display") == graphql["shortDescription"]
    assert parameter(found, "version") == graphql["release"]["name"]
    designation = next(p for p in found["parameter"] if p["name"] == "designation")
    assert {"name": "value", "valueString": graphql["longDescription"]} in designation["part"]
    props = properties(found)
    for name, field in FIELDS.items():
        assert props.get(name, []) == expected(graphql[field]), name
    assert props["inactive"] == [(graphql["status"] != "ACTIVE", None)]
    assert set(props) <= {*FIELDS, "inactive"}
    assert props["betos"] == [({"code": "I4B", "display": graphql["betos"]["description"]},
                               graphql["betos"]["description"])]  # fmt: skip


async def test_lookup_honours_property_and_date(fhir) -> None:
    found = await get(fhir, "CodeSystem/$lookup", system=CANONICAL, code="g6002 ",
                      property=["betos", "status"], date="2026-01-01")  # fmt: skip
    assert set(properties(found)) == {"betos", "status"}
    assert properties(found)["status"] == [("TERMINATED", None)]
    active = await get(fhir, "CodeSystem/$lookup", system=CANONICAL, code="G6002",
                       property="inactive", date="2025-12-31")  # fmt: skip
    assert properties(active) == {"inactive": [(False, None)]}
    body = {"resourceType": "Parameters", "parameter": [
        {"name": "coding", "valueCoding": {"system": CANONICAL, "code": "G6002"}},
        {"name": "property", "valueCode": "coverage"}]}  # fmt: skip
    posted = await fhir.post("/fhir/CodeSystem/$lookup", json=body,
                             headers={"content-type": "application/fhir+json"})  # fmt: skip
    assert posted.status_code == 200, posted.text
    assert set(properties(valid(posted.json()))) == {"coverage"}


@pytest.mark.parametrize("resource", ["CodeSystem", "ValueSet"])
async def test_validate_code_on_dates(fhir, resource: str) -> None:
    extra = {"url": VALUE_SET} if resource == "ValueSet" else {}
    on = await get(fhir, f"{resource}/$validate-code", system=CANONICAL, code="G6002",
                   date="2025-12-31", **extra)  # fmt: skip
    assert (
        parameter(on, "result") is True
        and parameter(on, "display") == "Stereoscopic x-ray guidance"
    )
    after = await get(fhir, f"{resource}/$validate-code", system=CANONICAL, code="G6002",
                      date="2026-01-01", **extra)  # fmt: skip
    assert parameter(after, "result") is False
    assert parameter(after, "message").startswith("G6002 was terminated on 2025-12-31")
    # no date: the release's effective date (2026-04-01), after its termination
    assert parameter(await get(fhir, f"{resource}/$validate-code", system=CANONICAL,
                               code="G6002", **extra), "result") is False  # fmt: skip
    unknown = await get(fhir, f"{resource}/$validate-code", system=CANONICAL, code="G9999", **extra)
    assert parameter(unknown, "result") is False and "G9999" in parameter(unknown, "message")


async def test_validate_code_display_coding_and_concept(fhir) -> None:
    def body(*parameters):
        return {"resourceType": "Parameters", "parameter": [*parameters,
                {"name": "date", "valueDate": "2025-06-01"}]}  # fmt: skip

    async def post(path, payload):
        response = await fhir.post(f"/fhir/{path}", json=payload,
                                   headers={"content-type": "application/fhir+json"})  # fmt: skip
        assert response.status_code == 200, response.text
        return valid(response.json())

    coding = {"name": "coding", "valueCoding": {"system": CANONICAL, "code": "G6002",
                                                  "display": "Stereoscopic x-ray guidance"}}  # fmt: skip
    assert parameter(await post("CodeSystem/$validate-code", body(coding)), "result") is True
    wrong = {
        "name": "coding",
        "valueCoding": {"system": CANONICAL, "code": "G6002", "display": "Wheelchair"},
    }
    answer = await post("CodeSystem/$validate-code", body(wrong))
    assert parameter(answer, "result") is False
    assert parameter(answer, "message").startswith("display does not match")
    concept = {"name": "codeableConcept", "valueCodeableConcept": {"coding": [
        {"system": "http://loinc.org", "code": "1-8"}, {"system": OID, "code": "G6002"}]}}  # fmt: skip
    answer = await post(
        "ValueSet/$validate-code", body({"name": "url", "valueUri": VALUE_SET}, concept)
    )
    assert parameter(answer, "result") is True
    assert CANONICAL in parameter(answer, "issues")["issue"][0]["diagnostics"]


@pytest.mark.parametrize("system", [HTTPS, OID])
async def test_other_names_of_the_system_are_accepted_with_a_note(fhir, system: str) -> None:
    found = await get(fhir, "CodeSystem/$lookup", system=system, code="G6002")
    (issue,) = parameter(found, "issues")["issue"]
    assert issue["severity"] == "information" and issue["code"] == "informational"
    assert (
        system in issue["diagnostics"] and f"canonical URI is {CANONICAL}" in issue["diagnostics"]
    )
    assert parameter(await get(fhir, "CodeSystem/$lookup", system=CANONICAL, code="G6002"),
                     "issues") is None  # fmt: skip


@pytest.mark.parametrize(
    ("path", "params", "status", "code"),
    [
        ("CodeSystem/$lookup", {"system": "http://loinc.org", "code": "G6002"}, 400, "not-supported"),
        ("CodeSystem/$lookup", {"system": CANONICAL, "code": "G9999"}, 404, "not-found"),
        ("CodeSystem/$lookup", {"system": CANONICAL}, 400, "required"),
        ("CodeSystem/$lookup", {"system": CANONICAL, "code": "G6002", "version": "1999-01"}, 400, "invalid"),
        ("CodeSystem/$lookup", {"system": CANONICAL, "code": "G6002", "date": "soon"}, 400, "invalid"),
        ("CodeSystem/$validate-code", {"system": "http://snomed.info/sct", "code": "1"}, 400, "not-supported"),
        ("ValueSet/$expand", {"url": "http://loinc.org/vs"}, 404, "not-found"),
        ("ValueSet/$expand", {"url": VALUE_SET, "count": "501"}, 400, "too-costly"),
        ("ValueSet/$expand", {"url": VALUE_SET, "count": "-1"}, 400, "invalid"),
        ("ValueSet/$expand", {"url": VALUE_SET, "filter": "!!"}, 400, "invalid"),
        ("ConceptMap/$translate", {"system": CANONICAL, "code": "G6002", "targetsystem": "http://loinc.org"}, 400, "not-supported"),
        ("CodeSystem/hcpcs-1999-01", {}, 404, "not-found"),
        ("Patient/1", {}, 404, "not-supported"),
        ("metadata", {"_format": "xml"}, 406, "not-supported"),
    ],
)  # fmt: skip
async def test_errors_are_operation_outcomes(fhir, path, params, status, code) -> None:
    found = await get(fhir, path, status, **params)
    assert found["resourceType"] == "OperationOutcome"
    assert found["issue"][0]["code"] == code
    if code == "not-supported" and "system" in params:
        assert CANONICAL in found["issue"][0]["diagnostics"]


async def test_metadata_and_code_systems(fhir) -> None:
    capability = await get(fhir, "metadata")
    assert (
        capability["resourceType"] == "CapabilityStatement" and capability["fhirVersion"] == "4.0.1"
    )
    terminology = await get(fhir, "metadata", mode="terminology")
    assert terminology["codeSystem"][0]["uri"] == CANONICAL
    assert [v["code"] for v in terminology["codeSystem"][0]["version"]] == ["2026-04"]
    found = await get(fhir, "CodeSystem/hcpcs-2026-04")
    assert (found["url"], found["version"], found["content"], found["count"]) == (
        CANONICAL, "2026-04", "not-present", 1)  # fmt: skip
    assert {p["code"] for p in found["property"]} == {*FIELDS, "inactive"}
    search = await get(fhir, "CodeSystem", url=CANONICAL, version="2026-04")
    assert search["total"] == 1 and search["entry"][0]["resource"] == found
    assert (await get(fhir, "CodeSystem", url="http://loinc.org"))["total"] == 0


async def test_expand_and_translate_on_the_sample(fhir) -> None:
    found = await get(fhir, "ValueSet/$expand", url=VALUE_SET, filter="stereoscopic",
                      includeDesignations="true", property="betos")  # fmt: skip
    expansion = found["expansion"]
    assert expansion["total"] == 1 and expansion["offset"] == 0
    (concept,) = expansion["contains"]
    assert (concept["code"], concept["system"], concept["inactive"]) == ("G6002", CANONICAL, True)
    assert concept["designation"][0]["value"].startswith("Stereoscopic x-ray guidance for")
    assert concept["extension"][0]["extension"][0] == {"url": "code", "valueCode": "betos"}
    active = await get(
        fhir, "ValueSet/$expand", url=VALUE_SET, activeOnly="true", date="2025-01-01"
    )
    assert active["expansion"]["contains"][0]["code"] == "G6002"
    assert "inactive" not in active["expansion"]["contains"][0]
    none = await get(fhir, "ValueSet/$expand", url=VALUE_SET, activeOnly="true")
    assert none["expansion"]["total"] == 0 and "contains" not in none["expansion"]
    totals = await get(fhir, "ValueSet/$expand", url=VALUE_SET, count="0")
    assert totals["expansion"]["total"] == 1 and "contains" not in totals["expansion"]
    translated = await get(fhir, "ConceptMap/$translate", system=CANONICAL, code="G6002")
    assert parameter(translated, "result") is False


async def test_formats_and_etags(fhir) -> None:
    path = "/fhir/CodeSystem/$lookup"
    params = {"system": CANONICAL, "code": "G6002"}
    first = await fhir.get(path, params=params, headers={"accept": "application/fhir+json"})
    tag = first.headers["etag"]
    assert first.headers["cache-control"].startswith("public")
    again = await fhir.get(path, params=params, headers={"if-none-match": tag})
    assert again.status_code == 304 and again.headers["etag"] == tag
    plain = await fhir.get(
        path, params={**params, "_format": "json"}, headers={"accept": "application/json"}
    )
    assert plain.headers["content-type"].startswith("application/fhir+json")
    json = await fhir.get(path, params=params, headers={"accept": "application/json"})
    assert json.headers["content-type"].startswith("application/json")
    xml = await fhir.get(path, params=params, headers={"accept": "application/fhir+xml"})
    assert xml.status_code == 406 and valid(xml.json())["resourceType"] == "OperationOutcome"
    failed = await fhir.get(path, params={"system": CANONICAL, "code": "G9999"})
    assert failed.headers["cache-control"] == "no-store" and "etag" not in failed.headers
    posted = await fhir.post(path, json={"resourceType": "Parameters", "parameter": [
        {"name": "system", "valueUri": CANONICAL}, {"name": "code", "valueCode": "G6002"}]},
        headers={"content-type": "application/fhir+json"})  # fmt: skip
    assert posted.status_code == 200 and "etag" not in posted.headers
    assert posted.json() == first.json()
    for body, media in (("{", "application/fhir+json"), ("{}", "application/fhir+json"),
                        ("x", "text/plain")):  # fmt: skip
        bad = await fhir.post(path, content=body, headers={"content-type": media})
        assert (
            bad.status_code in (400, 415)
            and valid(bad.json())["resourceType"] == "OperationOutcome"
        )


async def test_admission_is_graphqls(sample_db: Path) -> None:
    """FHIR requests take their turn with GraphQL's: with its one slot taken, a lookup
    waits the time limit, then is refused as /graphql refuses (503, Retry-After)."""
    app = create_app(Settings(db=str(sample_db), max_concurrent=1, time_limit=0.2))
    admission = app.state.graphql.admission
    assert app.state.fhir.admission is admission
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            assert await admission.enter()  # the one slot, taken
            try:
                busy = await client.get("/fhir/CodeSystem/$lookup",
                                        params={"system": CANONICAL, "code": "G6002"})  # fmt: skip
            finally:
                admission.leave()
    assert busy.status_code == 503 and busy.headers["retry-after"] == "1"
    assert valid(busy.json())["issue"][0]["code"] == "throttled"


async def test_the_time_limit_is_graphqls(sample_db: Path) -> None:
    """A lookup past HCPCS_TIME_LIMIT is cut as a GraphQL request is: a timeout issue."""
    async with make_client(sample_db, time_limit=1e-6) as client:
        cut = await client.get(
            "/fhir/CodeSystem/$lookup", params={"system": CANONICAL, "code": "G6002"}
        )
    assert cut.status_code == 503 and cut.headers["cache-control"] == "no-store"
    assert valid(cut.json())["issue"][0]["code"] == "timeout"
