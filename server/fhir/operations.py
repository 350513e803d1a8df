"""The terminology operations: each reads its parameters, runs fixed GraphQL documents
(documents.py) through the graph, and builds its resource (resources.py)."""

from __future__ import annotations

import uuid
from typing import Any, Protocol

from hcpcs_graph.server.fhir import documents, resources
from hcpcs_graph.server.fhir.outcomes import (
    FhirError,
    information,
    invalid,
    not_found,
    not_supported,
    required,
)
from hcpcs_graph.server.fhir.params import Params
from hcpcs_graph.server.fhir.systems import (
    CPT,
    HCPCS,
    NDC,
    VALUE_SET,
    hcpcs_system,
    hcpcs_value_set,
)

Json = dict[str, Any]
MAX_COUNT = 500  # concepts in one page of an expansion: /graphql's `first`
DEFAULT_COUNT = 100
SKIP_STEP = 500


class Graph(Protocol):
    async def run(self, document: str, variables: dict[str, Any]) -> Json:
        """The `data` of a document's answer; a FhirError when it has errors."""
        ...


class Notes:
    """Informational issues gathered on the way (a system named by another URI)."""

    def __init__(self) -> None:
        self.messages: list[str] = []

    def add(self, message: str | None) -> None:
        if message and message not in self.messages:
            self.messages.append(message)

    def parameter(self) -> Json | None:
        """As an `issues` output parameter (R5's, ignored by R4 clients)."""
        if not self.messages:
            return None
        issues = [information(m)["issue"][0] for m in self.messages]
        return {"name": "issues",
                "resource": {"resourceType": "OperationOutcome", "issue": issues}}  # fmt: skip


def unsupported_system(given: str, parameter: str) -> FhirError:
    return not_supported(
        f"the code system {given} is not supported here; this server answers for HCPCS "
        f"Level II, {HCPCS}",
        parameter=parameter,
    )


def _hcpcs(given: str, parameter: str, notes: Notes) -> None:
    found = hcpcs_system(given)
    if found is None:
        raise unsupported_system(given, parameter)
    notes.add(found.note)


async def releases(graph: Graph) -> list[Json]:
    """The loaded releases, newest first."""
    found: list[Json] = (await graph.run(documents.RELEASES, {}))["releases"]
    return found


def choose(loaded: list[Json], version: str | None, date: str | None) -> Json:
    """The release named, else the one in force on `date` (the latest effective on or
    before it; the oldest when none is), else the newest."""
    if version is not None:
        for release in loaded:
            if release["name"] == version.strip():
                return release
        names = ", ".join(r["name"] for r in loaded)
        raise not_found(f"version {version} of HCPCS is not loaded; loaded versions: {names}")
    if date is not None:
        for release in loaded:
            if release["effectiveDate"] <= date:
                return release
        return loaded[-1]
    return loaded[0]


async def record(graph: Graph, code: str, version: str | None, date: str | None) -> Json | None:
    """A code or modifier in the release asked (or in force on `date`), its status as
    of `date` (the release's effective date when absent)."""
    release = version
    if date is not None and version is None:
        release = choose(await releases(graph), None, date)["name"]
    code = code.strip().upper()
    modifier = len(code) == 2
    document = documents.LOOKUP_MODIFIER if modifier else documents.LOOKUP
    data = await graph.run(document, {"code": code, "release": release, "asOf": date})
    found: Json | None = data["modifier" if modifier else "hcpcsCode"]
    return found


def _coding(params: Params, name: str = "coding") -> tuple[str | None, str | None, str | None]:
    """(system, code, version) from a Coding parameter, else from system, code, version."""
    coding = params.complex(name)
    if coding is not None:
        return coding.get("system"), coding.get("code"), coding.get("version")
    return params.text("system"), params.text("code"), params.text("version")


async def lookup(graph: Graph, params: Params) -> Json:
    notes = Notes()
    system, code, version = _coding(params)
    if not code:
        raise required("code", "$lookup")
    if not system:
        raise required("system", "$lookup")
    _hcpcs(system, "system", notes)
    date = params.date("date")
    found = await record(graph, code, version, date)
    if found is None:
        where = f"release {version}" if version else "the release asked"
        raise not_found(f"{code.strip()} is not a HCPCS code of {where}")
    wanted = params.texts("property") or None
    return resources.parameters(*resources.lookup(found, wanted), notes.parameter())


async def validate_code(graph: Graph, params: Params, *, value_set: bool) -> Json:
    notes = Notes()
    url = params.text("url")
    if value_set:
        if url is not None:
            found_vs = hcpcs_value_set(url)
            if found_vs is None:
                raise not_found(
                    f"the value set {url} is not known here; this server expands {VALUE_SET}"
                )
            notes.add(found_vs.note)
    elif url is not None:
        _hcpcs(url, "url", notes)
    candidates = _candidates(params, notes)
    date = params.date("date")
    answers = []
    for code, version, display in candidates:
        answer = await _validate(graph, code, version, date, display)
        if answer["result"]:
            break
        answers.append(answer)
    else:
        answer = answers[0]
    parts = [
        {"name": "result", "valueBoolean": answer["result"]},
        {"name": "message", "valueString": answer["message"]} if answer.get("message") else None,
        {"name": "display", "valueString": answer["display"]} if answer.get("display") else None,
        {"name": "code", "valueCode": answer["code"]},
        {"name": "system", "valueUri": HCPCS},
        {"name": "version", "valueString": answer["version"]} if answer.get("version") else None,
        notes.parameter(),
    ]
    return resources.parameters(*parts)


def _candidates(params: Params, notes: Notes) -> list[tuple[str, str | None, str | None]]:
    """(code, version, display) of each HCPCS coding given."""
    concept = params.complex("codeableConcept")
    if concept is not None:
        codings = concept.get("coding") or []
        found = []
        for coding in codings if isinstance(codings, list) else []:
            system = coding.get("system") if isinstance(coding, dict) else None
            if isinstance(system, str) and (hcpcs := hcpcs_system(system)) is not None:
                notes.add(hcpcs.note)
                if isinstance(coding.get("code"), str):
                    found.append((coding["code"], coding.get("version"), coding.get("display")))
        if not found:
            raise not_supported(
                f"the codeableConcept has no coding of {HCPCS}, the one system supported here",
                parameter="codeableConcept",
            )
        return found
    system, code, version = _coding(params)
    if not code:
        raise required("code", "$validate-code")
    if system is None:
        if params.complex("coding") is not None or "url" not in params.values:
            raise required("system", "$validate-code")
        system = HCPCS  # a value set's code, its system implied
    _hcpcs(system, "system", notes)
    coding = params.complex("coding")
    display = coding.get("display") if coding is not None else None
    return [(code, version or params.text("version"), display or params.text("display"))]


async def _validate(
    graph: Graph, code: str, version: str | None, date: str | None, display: str | None
) -> Json:
    found = await record(graph, code, version, date)
    shown = code.strip().upper()
    if found is None:
        return {"result": False, "code": shown, "version": version,
                "message": f"{shown} is not a HCPCS code of "
                           f"{'release ' + version if version else 'the release asked'}"}  # fmt: skip
    answer: Json = {"result": True, "code": found["code"], "display": found["shortDescription"],
                    "version": found["release"]["name"]}  # fmt: skip
    status, on = found["status"], found["statusDate"]
    if status == "TERMINATED":
        answer["result"] = False
        answer["message"] = f"{found['code']} was terminated on {found['terminationDate']}"
        answer["message"] += f": it is not active on {on}"
    elif status == "NOT_YET_ADDED":
        answer["result"] = False
        answer["message"] = f"{found['code']} was added on {found['addedDate']}, after {on}"
    if display is not None and answer["result"]:
        known = {found["shortDescription"].casefold(), found["longDescription"].casefold()}
        if display.strip().casefold() not in known:
            answer["result"] = False
            answer["message"] = (
                f"display does not match: {display!r} is neither the short description "
                f"{found['shortDescription']!r} nor the long description of {found['code']}"
            )
    return answer


async def expand(graph: Graph, params: Params) -> Json:
    notes = Notes()
    url = params.text("url")
    if url is None:
        raise required("url", "ValueSet/$expand")
    found_vs = hcpcs_value_set(url)
    if found_vs is None:
        raise not_found(f"the value set {url} is not known here; this server expands {VALUE_SET}")
    notes.add(found_vs.note)
    count = params.integer("count")
    count = DEFAULT_COUNT if count is None else count
    if count > MAX_COUNT:
        raise FhirError(400, "too-costly", f"count is at most {MAX_COUNT}", expression="count")
    offset = params.integer("offset") or 0
    date = params.date("date")
    version = _expansion_version(params, notes)
    release = choose(await releases(graph), version, date)
    on = date or release["effectiveDate"]
    search = (params.text("filter") or "").strip() or None
    active_only = bool(params.boolean("activeOnly"))
    designations = bool(params.boolean("includeDesignations"))
    wanted = params.texts("property")
    variables = {"search": search, "release": release["name"],
                 "filter": {"activeOn": on} if active_only else None}  # fmt: skip
    full = bool(wanted)
    codes, total_codes = await _page(graph, "codes", variables, offset, count, full)
    if len(codes) < count:
        skip = max(0, offset - total_codes)
        modifiers, total_modifiers = await _page(
            graph, "modifiers", variables, skip, count - len(codes), full
        )
    else:
        modifiers, total_modifiers = [], await _total(graph, "modifiers", variables)
    contains = [
        _contained(node, release["name"], on, designations, wanted) for node in (*codes, *modifiers)
    ]
    echo: list[Json] = [{"name": "version", "valueUri": f"{HCPCS}|{release['name']}"},
                        {"name": "count", "valueInteger": count},
                        {"name": "offset", "valueInteger": offset}]  # fmt: skip
    if search is not None:
        echo.append({"name": "filter", "valueString": search})
    if date is not None:
        echo.append({"name": "date", "valueDateTime": date})
    if active_only:
        echo.append({"name": "activeOnly", "valueBoolean": True})
    if designations:
        echo.append({"name": "includeDesignations", "valueBoolean": True})
    echo += [{"name": "property", "valueString": p} for p in wanted]
    echo += [{"name": "information", "valueString": m} for m in notes.messages]
    key = repr((release["name"], search, on, active_only, designations, wanted, offset, count))
    expansion: Json = {
        "identifier": f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, VALUE_SET + key)}",
        "timestamp": release["loadedAt"],
        "total": total_codes + total_modifiers,
        "offset": offset,
        "parameter": echo,
    }
    if contains:
        expansion["contains"] = contains
    return {
        "resourceType": "ValueSet",
        "url": VALUE_SET,
        "version": release["name"],
        "name": "HCPCSLevelIIAll",
        "title": f"Every HCPCS Level II code and modifier of release {release['name']}",
        "status": "active",
        "expansion": expansion,
    }


def _expansion_version(params: Params, notes: Notes) -> str | None:
    """The release asked by `system-version` (uri|version) or `version`."""
    for given in params.texts("system-version"):
        system, bar, version = given.rpartition("|")
        if not bar:
            raise invalid("system-version is written system|version", "system-version")
        _hcpcs(system, "system-version", notes)
        return version
    return params.text("version")


_FIELDS = {"codes": "hcpcsCodes", "modifiers": "modifiers"}
_SKIP = {"codes": documents.SKIP_CODES, "modifiers": documents.SKIP_MODIFIERS}
_PAGE = {
    (False, "codes"): documents.EXPAND_CODES,
    (False, "modifiers"): documents.EXPAND_MODIFIERS,
    (True, "codes"): documents.EXPAND_CODES_PROPERTIES,
    (True, "modifiers"): documents.EXPAND_MODIFIERS_PROPERTIES,
}


async def _page(
    graph: Graph, kind: str, variables: Json, skip: int, take: int, full: bool
) -> tuple[list[Json], int]:
    """`take` items of a list after the first `skip`, and the list's length. A list is
    paged by cursors: the cursor at `skip` is found a step of 500 at a time, reading
    nothing but cursors (codes) or ranking the search again (a search's)."""
    field = _FIELDS[kind]
    after = None
    while skip > 0:
        step = min(skip, SKIP_STEP)
        data = await graph.run(_SKIP[kind], {**variables, "first": step, "after": after})
        page = data[field]
        after, skip = page["pageInfo"]["endCursor"], skip - step
        if not page["pageInfo"]["hasNextPage"]:
            return [], page["totalCount"]
    data = await graph.run(_PAGE[full, kind], {**variables, "first": max(take, 1), "after": after})
    page = data[field]
    return page["nodes"][:take], page["totalCount"]


async def _total(graph: Graph, kind: str, variables: Json) -> int:
    data = await graph.run(_SKIP[kind], {**variables, "first": 1, "after": None})
    total: int = data[_FIELDS[kind]]["totalCount"]
    return total


def _contained(node: Json, version: str, on: str, designations: bool, wanted: list[str]) -> Json:
    item: Json = {"system": HCPCS, "version": version, "code": node["code"],
                  "display": node["shortDescription"]}  # fmt: skip
    added, ended = node["addedDate"], node["terminationDate"]
    if (added is not None and added > on) or (ended is not None and ended < on):
        item["inactive"] = True
    if designations:
        item["designation"] = [{"language": "en", "use": resources.LONG_USE,
                                "value": node["longDescription"]}]  # fmt: skip
    if wanted:
        extensions = resources.contains_properties(node, wanted)
        if extensions:
            item["extension"] = extensions
    return item


async def translate(graph: Graph, params: Params) -> Json:
    notes = Notes()
    system, code, version = _coding(params)
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
        _hcpcs(system, "system", notes)
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


async def code_systems(graph: Graph, params: Params, base: str) -> Json:
    """CodeSystem search by url and version: a Bundle of the loaded releases'."""
    loaded = await releases(graph)
    notes = Notes()
    url = params.text("url")
    version = params.text("version")
    if url is not None and (found := hcpcs_system(url)) is not None:
        notes.add(found.note)
    chosen = [] if url is not None and found is None else loaded
    if version is not None:
        chosen = [r for r in chosen if r["name"] == version]
    systems = [resources.code_system(r) for r in chosen]
    entries = [{"fullUrl": f"{base}/CodeSystem/{s['id']}", "resource": s,
                "search": {"mode": "match"}} for s in systems]  # fmt: skip
    entries += [{"resource": information(m), "search": {"mode": "outcome"}} for m in notes.messages]
    return {"resourceType": "Bundle", "type": "searchset", "total": len(systems),
            "entry": entries}  # fmt: skip


async def code_system(graph: Graph, id: str) -> Json:
    for release in await releases(graph):
        if f"hcpcs-{release['name']}" == id:
            return resources.code_system(release)
    raise not_found(f"no CodeSystem {id}: the loaded releases are CodeSystem/hcpcs-YYYY-MM")


async def metadata(graph: Graph, params: Params) -> Json:
    loaded = await releases(graph)
    date = loaded[0]["loadedAt"]
    if params.text("mode") == "terminology":
        return resources.terminology_capabilities(date, loaded)
    return resources.capability_statement(date)
