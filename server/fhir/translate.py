"""ConceptMap/$translate: CMS's cross references (HCPCS to HCPCS or CPT, and back), and
the NDC-HCPCS crosswalk both ways."""

from __future__ import annotations

from hcpcs_graph.server.fhir import documents, resources
from hcpcs_graph.server.fhir.operations import Graph, Json, Notes, check_hcpcs, coding_of
from hcpcs_graph.server.fhir.outcomes import not_supported, required
from hcpcs_graph.server.fhir.params import Params
from hcpcs_graph.server.fhir.systems import CPT, HCPCS, NDC, hcpcs_system


async def translate(graph: Graph, params: Params) -> Json:
    notes = Notes()
    system, code, version = coding_of(params)
    concept = params.complex("codeableConcept")
    if concept is not None and not code:
        codings = concept.get("coding") or []
        if codings and isinstance(codings[0], dict):
            system, code = codings[0].get("system"), codings[0].get("code")
    if not code:
        raise required("code", "ConceptMap/$translate")
    if not system:
        raise required("system", "ConceptMap/$translate")
    target = params.text("targetsystem") or params.text("target")
    if target is not None and target not in (HCPCS, CPT, NDC) and hcpcs_system(target) is None:
        raise not_supported(
            f"no map to {target}: this server maps HCPCS ({HCPCS}) to HCPCS and CPT (cross "
            f"references) and to and from NDC ({NDC})", parameter="targetsystem",
        )  # fmt: skip
    if target is not None and (t := hcpcs_system(target)) is not None:
        notes.add(t.note)
        target = HCPCS
    if system == NDC:
        if target not in (None, HCPCS):
            raise not_supported(f"NDCs map to HCPCS ({HCPCS}) only", parameter="targetsystem")
        matches = await _ndc_to_hcpcs(graph, code)
    else:
        check_hcpcs(system, "system", notes)
        if target == NDC:
            matches = await _hcpcs_to_ndc(graph, code, version)
        else:
            reverse = bool(params.boolean("reverse"))
            matches = await _cross_references(graph, code, version, reverse, target)
    parts: list[Json | None] = [{"name": "result", "valueBoolean": bool(matches)}]
    if not matches:
        parts.append({"name": "message",
                      "valueString": f"no mapping of {code.strip()} from {system} was found"})  # fmt: skip
    for equivalence, coding in matches:
        parts.append({"name": "match", "part": [
            {"name": "equivalence", "valueCode": equivalence},
            {"name": "concept", "valueCoding": coding},
        ]})  # fmt: skip
    parts.append(notes.parameter())
    return resources.parameters(*parts)


def _concept(system: str, code: str, display: str | None) -> Json:
    coding = {"system": system, "code": code}
    if display:
        coding["display"] = display
    return coding


async def _ndc_to_hcpcs(graph: Graph, ndc: str) -> list[tuple[str, Json]]:
    rows = (await graph.run(documents.NDC_CODES, {"ndc": ndc}))["ndc"]
    seen: dict[str, Json] = {}
    for row in rows:
        seen.setdefault(
            row["hcpcsCode"], _concept(HCPCS, row["hcpcsCode"], row["shortDescription"])
        )
    # the code is wider: one billing unit of it stands for many packages
    return [("wider", coding) for coding in seen.values()]


async def _hcpcs_to_ndc(graph: Graph, code: str, version: str | None) -> list[tuple[str, Json]]:
    variables = {"code": code.strip().upper(), "release": version}
    found = (await graph.run(documents.CODE_NDCS, variables))["hcpcsCode"]
    if found is None:
        return []
    return [
        ("narrower", _concept(NDC, row["ndc11"], row["drugName"]))
        for row in found["ndcs"]
        if row["ndc11"]  # CMS's product ids (skin substitutes) are no NDCs
    ]


async def _cross_references(
    graph: Graph, code: str, version: str | None, reverse: bool, target: str | None
) -> list[tuple[str, Json]]:
    variables = {"code": code.strip().upper(), "release": version}
    found = (await graph.run(documents.CROSS_REFERENCES, variables))["hcpcsCode"]
    if found is None:
        return []
    if reverse:  # the codes CMS crosswalks to this one
        matches = [_concept(HCPCS, c["code"], c["shortDescription"]) for c in found["referencedBy"]]
    else:
        matches = []
        for reference in found["crossReferences"]:
            to = reference["target"]
            system = HCPCS if to is not None else CPT
            matches.append(_concept(system, reference["code"], to and to["shortDescription"]))
    return [("relatedto", c) for c in matches if target is None or c["system"] == target]
