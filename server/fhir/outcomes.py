"""FHIR errors: an OperationOutcome with an issue code (http://hl7.org/fhir/issue-type)
and the HTTP status that goes with it."""

from __future__ import annotations

from typing import Any


class FhirError(Exception):
    """A request refused or failed: answered with an OperationOutcome and `status`."""

    def __init__(
        self, status: int, code: str, message: str, *, expression: str | None = None
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code  # the issue type, e.g. invalid, not-found, not-supported
        self.message = message
        self.expression = expression  # the parameter at fault


def issue(severity: str, code: str, message: str, expression: str | None = None) -> dict[str, Any]:
    found: dict[str, Any] = {"severity": severity, "code": code, "diagnostics": message}
    if expression is not None:
        found["expression"] = [expression]
    return found


def outcome(*issues: dict[str, Any]) -> dict[str, Any]:
    return {"resourceType": "OperationOutcome", "issue": list(issues)}


def of_error(error: FhirError) -> dict[str, Any]:
    severity = "fatal" if error.status >= 500 else "error"
    return outcome(issue(severity, error.code, error.message, error.expression))


def information(message: str) -> dict[str, Any]:
    return outcome(issue("information", "informational", message))


def invalid(message: str, parameter: str | None = None) -> FhirError:
    return FhirError(400, "invalid", message, expression=parameter)


def required(parameter: str, operation: str) -> FhirError:
    return FhirError(
        400, "required", f"{operation} needs the parameter {parameter}", expression=parameter
    )


def not_found(message: str) -> FhirError:
    return FhirError(404, "not-found", message)


def not_supported(message: str, status: int = 400, parameter: str | None = None) -> FhirError:
    return FhirError(status, "not-supported", message, expression=parameter)


# GraphQL error codes, as FHIR issue types and statuses
GRAPHQL_ERRORS = {
    "BAD_USER_INPUT": (400, "invalid"),
    "QUERY_TOO_COSTLY": (400, "too-costly"),
    "TIMEOUT": (503, "timeout"),
}


def of_graphql(code: str | None, message: str) -> FhirError:
    status, issue_code = GRAPHQL_ERRORS.get(code or "", (500, "exception"))
    if status == 500:
        message = "Internal server error"  # masked, as /graphql masks it
    return FhirError(status, issue_code, message)
