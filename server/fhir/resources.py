"""GraphQL answers as FHIR R4 resources: the code system, its properties, a concept's
$lookup parameters, and the capability statements."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, NamedTuple

from hcpcs_graph.server.fhir.systems import HCPCS, HCPCS_ALIASES, VALUE_SET, coded_system

Json = dict[str, Any]
NAME = "HCPCSLevelII"
TITLE = "HCPCS Level II"
FHIR_VERSION = "4.0.1"
# The long description, as a designation (SNOMED CT's "fully specified name" use, the
# one terminology servers give a concept's full text)
LONG_USE = {"system": "http://snomed.info/sct", "code": "900000000000003001",
            "display": "Fully specified name"}  # fmt: skip
# R5's ValueSet.expansion.contains.property, in R4 (the cross-version extension)
CONTAINS_PROPERTY = (
    "http://hl7.org/fhir/5.0/StructureDefinition/extension-ValueSet.expansion.contains.property"
)


class Property(NamedTuple):
    code: str  # the FHIR property's code
    field: str  # the record's GraphQL field
    type: str  # the CodeSystem property type: Coding, string, integer, dateTime, ...
    description: str
    values: Callable[[Any], list[Json]]  # the field's value as value[x] parts


def _coded(value: Any) -> list[Json]:
    """A decoded value of one of CMS's tables (or each of a list): a Coding with CMS's
    description as its display, and as the property's description."""
    found = []
    for item in value if isinstance(value, list) else [value] if value else []:
        coding = {"code": item["code"]}
        part: Json = {"valueCoding": coding}
        if item.get("description"):
            coding["display"] = part["description"] = item["description"]
        found.append(part)
    return found


def _strings(value: Any) -> list[Json]:
    items = value if isinstance(value, list) else [] if value is None else [value]
    return [{"valueString": item} for item in items]


def _date(value: Any) -> list[Json]:
    return [] if value is None else [{"valueDateTime": value}]


def _integer(value: Any) -> list[Json]:
    return [] if value is None else [{"valueInteger": value}]


def _note(value: Any) -> list[Json]:
    if not value:
        return []
    coding = {"code": str(value["number"])}
    part: Json = {"valueCoding": coding}
    if value.get("text"):
        coding["display"] = part["description"] = value["text"]
    return [part]


def _references(value: Any) -> list[Json]:
    return [
        {"valueCoding": {"system": coded_system(item["code"]), "code": item["code"]}}
        for item in value
    ]


PROPERTIES = (
    Property("pricingIndicator", "pricingIndicators", "Coding",
             "How Part B prices the code, up to four, in CMS's order", _coded),
    Property("multiplePricingIndicator", "multiplePricingIndicator", "Coding",
             "Whether and how the code is priced under several methodologies", _coded),
    Property("cimReference", "cimReferences", "string",
             "Coverage Issues Manual reference sections", _strings),
    Property("mcmReference", "mcmReferences", "string",
             "Medicare Carriers Manual reference sections", _strings),
    Property("statute", "statute", "string",
             "The statute reference for the coverage or noncoverage", _strings),
    Property("labCertification", "labCertifications", "Coding",
             "The lab certification categories of the test", _coded),
    Property("crossReference", "crossReferences", "Coding",
             "Codes CMS crosswalks this one to (HCPCS or CPT), in CMS's order", _references),
    Property("coverage", "coverage", "Coding", "Medicare coverage status", _coded),
    Property("ascPaymentGroup", "ascPaymentGroup", "Coding",
             "Ambulatory surgical center payment group", _coded),
    Property("ascEffectiveDate", "ascEffectiveDate", "dateTime",
             "When the procedure was assigned to its ASC payment group", _date),
    Property("mogPaymentGroup", "mogPaymentGroup", "Coding",
             "Medicare outpatient group (MOG) payment group", _coded),
    Property("mogPaymentPolicyIndicator", "mogPaymentPolicyIndicator", "Coding",
             "MOG payment policy indicator", _coded),
    Property("mogEffectiveDate", "mogEffectiveDate", "dateTime",
             "When the procedure was assigned to its MOG payment group", _date),
    Property("processingNote", "processingNote", "Coding",
             "CMS's processing note: its number, and its text when loaded", _note),
    Property("betos", "betos", "Coding", "Berenson-Eggers type of service (BETOS)", _coded),
    Property("typeOfService", "typesOfService", "Coding",
             "The CMS types of service, up to five", _coded),
    Property("anesthesiaBaseUnits", "anesthesiaBaseUnits", "integer",
             "Anesthesia base units", _integer),
    Property("addedDate", "addedDate", "dateTime", "When the code was added to HCPCS", _date),
    Property("actionEffectiveDate", "actionEffectiveDate", "dateTime",
             "When CMS's action on the code took effect", _date),
    Property("terminationDate", "terminationDate", "dateTime",
             "The last date Medicare providers may use the code", _date),
    Property("actionCode", "action", "Coding",
             "The change CMS made to the code in this release", _coded),
    Property("status", "status", "code",
             "ACTIVE, NOT_YET_ADDED or TERMINATED on the date asked (default: the "
             "release's effective date)", lambda v: [{"valueCode": v}]),
    Property("inactive", "status", "boolean",
             "True unless the code is active on the date asked",
             lambda v: [{"valueBoolean": v != "ACTIVE"}]),
)  # fmt: skip
PROPERTY_CODES = frozenset(p.code for p in PROPERTIES)


def property_parts(record: Json, wanted: Iterable[str] | None) -> list[tuple[str, Json]]:
    """(code, value part) for each value of each property asked (all when None)."""
    chosen = set(wanted) if wanted is not None else PROPERTY_CODES
    return [
        (p.code, part) for p in PROPERTIES if p.code in chosen for part in p.values(record[p.field])
    ]


def code_system(release: Json) -> Json:
    return {
        "resourceType": "CodeSystem",
        "id": f"hcpcs-{release['name']}",
        "url": HCPCS,
        "identifier": [{"system": "urn:ietf:rfc:3986", "value": HCPCS_ALIASES[1]}],
        "version": release["name"],
        "name": NAME,
        "title": f"{TITLE}, release {release['name']}",
        "status": "active",
        "experimental": bool(release["isSample"]),
        "date": release["effectiveDate"],
        "publisher": "Centers for Medicare & Medicaid Services (CMS)",
        "description": (
            "The Healthcare Common Procedure Coding System, Level II: procedure codes and "
            "modifiers, as CMS's alpha-numeric HCPCS file of this release gives them"
            + (" (the bundled one-record sample, not the code set)" if release["isSample"] else "")
        ),
        "caseSensitive": False,
        "valueSet": VALUE_SET,
        "versionNeeded": False,
        "content": "not-present",
        "count": release["codeCount"] + release["modifierCount"],
        "property": [
            {
                "code": p.code,
                "uri": f"{HCPCS}#{p.code}",
                "description": p.description,
                "type": p.type,
            }
            for p in PROPERTIES
        ],
    }


def parameters(*parts: Json | None) -> Json:
    return {"resourceType": "Parameters", "parameter": [p for p in parts if p is not None]}


def lookup(record: Json, wanted: Iterable[str] | None) -> list[Json]:
    """$lookup's output parameters for a record."""
    found: list[Json] = [
        {"name": "name", "valueString": TITLE},
        {"name": "version", "valueString": record["release"]["name"]},
        {"name": "display", "valueString": record["shortDescription"]},
        {"name": "designation", "part": [
            {"name": "language", "valueCode": "en"},
            {"name": "use", "valueCoding": LONG_USE},
            {"name": "value", "valueString": record["longDescription"]},
        ]},
    ]  # fmt: skip
    for code, part in property_parts(record, wanted):
        parts = [{"name": "code", "valueCode": code}]
        description = part.pop("description", None)
        parts.append({"name": "value", **part})
        if description is not None:
            parts.append({"name": "description", "valueString": description})
        found.append({"name": "property", "part": parts})
    return found


def contains_properties(record: Json, wanted: Iterable[str]) -> list[Json]:
    """A concept's properties in an expansion, as R5's contains.property extension."""
    found = []
    for code, part in property_parts(record, wanted):
        part.pop("description", None)
        found.append({"url": CONTAINS_PROPERTY, "extension": [
            {"url": "code", "valueCode": code}, {"url": "value", **part}]})  # fmt: skip
    return found


OPERATIONS = {
    "CodeSystem": ["lookup", "validate-code"],
    "ValueSet": ["expand", "validate-code"],
    "ConceptMap": ["translate"],
}


def capability_statement(date: str) -> Json:
    resources = []
    for kind, operations in OPERATIONS.items():
        resource: Json = {
            "type": kind,
            "operation": [
                {"name": name, "definition": f"http://hl7.org/fhir/OperationDefinition/{kind}-{name}"}
                for name in operations
            ],
        }  # fmt: skip
        if kind == "CodeSystem":
            resource["interaction"] = [{"code": "read"}, {"code": "search-type"}]
            resource["searchParam"] = [
                {"name": "url", "type": "uri"}, {"name": "version", "type": "token"}]  # fmt: skip
        resources.append(resource)
    return {
        "resourceType": "CapabilityStatement",
        "status": "active",
        "date": date,
        "publisher": "hcpcs-graph",
        "kind": "instance",
        "software": {"name": "hcpcs-graph"},
        "implementation": {"description": "HCPCS Level II terminology service"},
        "fhirVersion": FHIR_VERSION,
        "format": ["application/fhir+json", "json"],
        "instantiates": ["http://hl7.org/fhir/CapabilityStatement/terminology-server"],
        "rest": [{"mode": "server", "resource": resources}],
    }


def terminology_capabilities(date: str, releases: list[Json]) -> Json:
    return {
        "resourceType": "TerminologyCapabilities",
        "status": "active",
        "date": date,
        "kind": "instance",
        "software": {"name": "hcpcs-graph"},
        "codeSystem": [{
            "uri": HCPCS,
            "version": [
                {"code": r["name"], "isDefault": i == 0, "compositional": False,
                 "language": ["en"], "property": [p.code for p in PROPERTIES]}
                for i, r in enumerate(releases)
            ],
        }],
        "expansion": {"hierarchical": False, "paging": True, "incomplete": False,
                      "textFilter": "Full-text search of code, short and long description: "
                                    "each word matches as a prefix; an exact code first"},
        "codeSearch": "all",
        "validateCode": {"translations": False},
        "translation": {"needsMap": False},
    }  # fmt: skip
