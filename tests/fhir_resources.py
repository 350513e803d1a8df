"""FHIR answers checked as resources: every /fhir answer must parse as a FHIR resource of
its type with `fhir.resources` (its R4B models: R4's terminology resources, unchanged)."""

from __future__ import annotations

from typing import Any

from fhir.resources.R4B import get_fhir_model_class

CANONICAL = "http://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets"
VALUE_SET = f"{CANONICAL}?fhir_vs"
NDC = "http://hl7.org/fhir/sid/ndc"


def valid(resource: dict[str, Any]) -> dict[str, Any]:
    """The resource, once it parses as its type (pydantic raises on any error)."""
    get_fhir_model_class(resource["resourceType"]).model_validate(resource)
    return resource


def parameter(resource: dict[str, Any], name: str) -> Any:
    """The value of a Parameters resource's one parameter `name` (None when absent)."""
    found = [p for p in resource["parameter"] if p["name"] == name]
    assert len(found) <= 1, found
    if not found:
        return None
    (value,) = [v for k, v in found[0].items() if k.startswith("value") or k == "resource"]
    return value


def properties(resource: dict[str, Any]) -> dict[str, list[Any]]:
    """$lookup's properties: each code with its values (value[x], description)."""
    found: dict[str, list[Any]] = {}
    for p in resource["parameter"]:
        if p["name"] != "property":
            continue
        parts = {part["name"]: part for part in p["part"]}
        (value,) = [v for k, v in parts["value"].items() if k.startswith("value")]
        description = parts.get("description", {}).get("valueString")
        found.setdefault(parts["code"]["valueCode"], []).append((value, description))
    return found
