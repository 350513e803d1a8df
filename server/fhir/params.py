"""An operation's parameters, from a GET's query string or a POST's Parameters resource,
read into one shape: each name with its values, in order."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

import orjson
from starlette.requests import Request

from hcpcs_graph.server.fhir.outcomes import FhirError, invalid

Value = str | bool | int | dict[str, Any]  # a primitive, or a Coding or CodeableConcept
# Primitive value[x] types a Parameters resource may carry
_PRIMITIVES = (
    "valueString", "valueCode", "valueUri", "valueCanonical", "valueUrl", "valueDate",
    "valueDateTime", "valueBoolean", "valueInteger", "valueUnsignedInt",
    "valuePositiveInt", "valueId",
)  # fmt: skip
_COMPLEX = ("valueCoding", "valueCodeableConcept")
MEDIA = ("application/fhir+json", "application/json")


@dataclass
class Params:
    values: dict[str, list[Value]]
    base: str = ""  # the service's base URL, .../fhir
    path_id: str = ""  # a read's resource id

    def _one(self, name: str) -> Value | None:
        """The one value of `name`, if given; a second value is invalid."""
        found = self.values.get(name)
        if not found:
            return None
        if len(found) > 1:
            raise invalid(f"{name} is given {len(found)} times; give it once", name)
        return found[0]

    def text(self, name: str) -> str | None:
        """The one value of `name` as text; a second value or a complex one is invalid."""
        value = self._one(name)
        if value is None:
            return None
        if isinstance(value, dict):
            raise invalid(f"{name} takes a simple value", name)
        if isinstance(value, bool):
            return "true" if value else "false"
        return str(value)

    def texts(self, name: str) -> list[str]:
        """Every value of `name` as text (a GET's may be comma-separated)."""
        found: list[str] = []
        for value in self.values.get(name, ()):
            if isinstance(value, dict):
                raise invalid(f"{name} takes simple values", name)
            found += [part.strip() for part in str(value).split(",") if part.strip()]
        return found

    def complex(self, name: str) -> dict[str, Any] | None:
        """A Coding or CodeableConcept; on a GET, a Coding as `system|code`."""
        value = self._one(name)
        if value is None:
            return None
        if isinstance(value, dict):
            return value
        system, bar, code = str(value).rpartition("|")
        if not bar:
            raise invalid(f"{name} on a GET is written system|code", name)
        return {"system": system, "code": code} if name == "coding" else {
            "coding": [{"system": system, "code": code}]
        }  # fmt: skip

    def boolean(self, name: str) -> bool | None:
        text = self.text(name)
        if text is None:
            return None
        if text not in ("true", "false"):
            raise invalid(f"{name} is true or false, not {text!r}", name)
        return text == "true"

    def integer(self, name: str, least: int = 0) -> int | None:
        text = self.text(name)
        if text is None:
            return None
        if not text.isascii() or not text.isdigit() or len(text) > 9 or int(text) < least:
            raise invalid(f"{name} is a whole number of at least {least}, not {text!r}", name)
        return int(text)

    def date(self, name: str) -> str | None:
        """A date, or a dateTime's date (YYYY-MM-DD)."""
        text = self.text(name)
        if text is None:
            return None
        try:
            return datetime.date.fromisoformat(text[:10]).isoformat()
        except ValueError:
            raise invalid(f"{name} is a date, YYYY-MM-DD, not {text!r}", name) from None


def of_query(request: Request) -> Params:
    values: dict[str, list[Value]] = {}
    for name, value in request.query_params.multi_items():
        if not name.startswith("_"):  # _format, _pretty, ...: the view's
            values.setdefault(name, []).append(value)
    return Params(values)


async def of_body(request: Request) -> Params:
    """A POST's Parameters resource, and its query string's parameters besides."""
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media not in MEDIA:
        shown = media or "no Content-Type"
        raise FhirError(415, "not-supported", f"the body is application/fhir+json, not {shown}")
    try:
        body = orjson.loads(await request.body())
    except orjson.JSONDecodeError as e:
        raise invalid(f"the body is not JSON: {e}") from None
    if not isinstance(body, dict) or body.get("resourceType") != "Parameters":
        raise invalid("the body is a Parameters resource")
    params = of_query(request)
    for parameter in body.get("parameter") or ():
        if not isinstance(parameter, dict) or not isinstance(parameter.get("name"), str):
            raise invalid("each parameter of Parameters has a name")
        value = _value(parameter)
        if value is not None:
            params.values.setdefault(parameter["name"], []).append(value)
    return params


def _value(parameter: dict[str, Any]) -> Value | None:
    for key in _PRIMITIVES:
        if key in parameter:
            value = parameter[key]
            if not isinstance(value, str | bool | int):
                raise invalid(f"{parameter['name']}: {key} is a {key[5:]}", parameter["name"])
            return value
    for key in _COMPLEX:
        if key in parameter:
            if not isinstance(parameter[key], dict):
                raise invalid(f"{parameter['name']}: {key} is an object", parameter["name"])
            value = parameter[key]
            assert isinstance(value, dict)
            return value
    return None
