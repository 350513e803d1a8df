"""The terminology operations: each reads its parameters, runs fixed GraphQL documents
(documents.py) through the graph, and builds its resource (resources.py). Here: what they
share (the graph, releases, a record as of a date, the system check), $lookup,
$validate-code, CodeSystem read and search, and metadata; expand.py and translate.py
hold the other two."""

from __future__ import annotations

from typing import Any, Protocol

from hcpcs_graph.server.fhir import documents, resources
from hcpcs_graph.server.fhir.outcomes import (
    FhirError,
    information,
    not_found,
    not_supported,
    required,
)
from hcpcs_graph.server.fhir.params import Params
from hcpcs_graph.server.fhir.systems import (
    HCPCS,
    VALUE_SET,
    hcpcs_system,
    hcpcs_value_set,
)

Json = dict[str, Any]


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


def check_hcpcs(given: str, parameter: str, notes: Notes) -> None:
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


def coding_of(params: Params, name: str = "coding") -> tuple[str | None, str | None, str | None]:
    """(system, code, version) from a Coding parameter, else from system, code, version."""
    coding = params.complex(name)
    if coding is not None:
        return coding.get("system"), coding.get("code"), coding.get("version")
    return params.text("system"), params.text("code"), params.text("version")


async def lookup(graph: Graph, params: Params) -> Json:
    notes = Notes()
    system, code, version = coding_of(params)
    if not code:
        raise required("code", "$lookup")
    if not system:
        raise required("system", "$lookup")
    check_hcpcs(system, "system", notes)
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
        check_hcpcs(url, "url", notes)
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
    system, code, version = coding_of(params)
    if not code:
        raise required("code", "$validate-code")
    if system is None:
        if params.complex("coding") is not None or "url" not in params.values:
            raise required("system", "$validate-code")
        system = HCPCS  # a value set's code, its system implied
    check_hcpcs(system, "system", notes)
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
