"""The URIs this terminology service answers for, and those it accepts for them."""

from __future__ import annotations

import re
from typing import NamedTuple

HCPCS = "http://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets"
# Other names in use for the same code system: accepted, each with an informational note
HCPCS_ALIASES = (
    "https://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets",
    "urn:oid:2.16.840.1.113883.6.285",
)
VALUE_SET = f"{HCPCS}?fhir_vs"  # the implicit value set of every code
NDC = "http://hl7.org/fhir/sid/ndc"
CPT = "http://www.ama-assn.org/go/cpt"  # CMS's cross references often name CPT codes
LEVEL_II = re.compile(r"[A-V][0-9]{4}")  # a Level II procedure code (db/records.py)


class System(NamedTuple):
    uri: str  # the canonical one
    note: str | None  # an informational note when another name was given


def hcpcs_system(given: str) -> System | None:
    """The HCPCS code system for `given` (a version after `|` kept apart by the caller);
    None when `given` names another system."""
    if given == HCPCS:
        return System(HCPCS, None)
    if given in HCPCS_ALIASES:
        return System(HCPCS, f"{given} is accepted for HCPCS; its canonical URI is {HCPCS}")
    return None


def hcpcs_value_set(given: str) -> System | None:
    """The implicit value set of every HCPCS code, named by `given` (`{system}?fhir_vs`)."""
    system, mark, rest = given.partition("?")
    if mark and rest == "fhir_vs" and (found := hcpcs_system(system)) is not None:
        note = found.note and f"{given} is accepted; its canonical URI is {VALUE_SET}"
        return System(VALUE_SET, note)
    return None


def coded_system(code: str) -> str:
    """The system a code CMS crosswalks to belongs to: HCPCS for a Level II code, else CPT."""
    return HCPCS if LEVEL_II.fullmatch(code) else CPT
