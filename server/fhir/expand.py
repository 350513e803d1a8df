"""ValueSet/$expand of the implicit value set: codes, then modifiers, a page at a time
through /graphql's connections, `total` from their counts."""

from __future__ import annotations

import uuid

from hcpcs_graph.server.fhir import documents, resources
from hcpcs_graph.server.fhir.operations import Graph, Json, Notes, check_hcpcs, choose, releases
from hcpcs_graph.server.fhir.outcomes import FhirError, invalid, not_found, required
from hcpcs_graph.server.fhir.params import Params
from hcpcs_graph.server.fhir.systems import HCPCS, VALUE_SET, hcpcs_value_set

MAX_COUNT = 500  # concepts in one page of an expansion: /graphql's `first`
DEFAULT_COUNT = 100
SKIP_STEP = 500


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
        check_hcpcs(system, "system-version", notes)
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
