"""What the server's parts learn about one request and pass on, typed: the request id
(server/request_id.py), the snapshot it reads and its context (the GraphQL view), whether
its client hung up (server/body_limit.py, the view), and what it turned out to be, for the
access log and metrics (server/access_log.py).

It lives in the ASGI scope's state under one key, so Starlette's `request.state` and
other keys stay as they are.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from starlette.types import Scope

from hcpcs_graph.db.database import Snapshot
from hcpcs_graph.schema.context import Context

KEY = "hcpcs"


@dataclass(slots=True)
class Outcome:
    """A GraphQL request, as the access log and metrics describe it."""

    operation: str | None = None
    cost: int | None = None
    errors: list[str] | None = None  # error codes; None: none reported
    cached: bool = False  # answered from the response cache
    described: bool = False  # it reached execution: cost and errors are reported

    def fields(self) -> dict[str, Any]:
        """The access log's fields."""
        fields: dict[str, Any] = {"operation": self.operation}
        if self.described:
            fields["cost"] = self.cost
        if self.errors is not None:
            fields["errors"] = self.errors
        if self.cached:
            fields["cached"] = True
        return fields


@dataclass(slots=True)
class RequestState:
    request_id: str = ""
    client_gone: bool = False  # logged as 499
    snapshot: Snapshot | None = None
    context: Context | None = None
    graphql: Outcome | None = None


def request_state(scope: Scope) -> RequestState:
    """The request's state, made on first use."""
    state = scope.setdefault("state", {})
    found: RequestState | None = state.get(KEY)
    if found is None:
        found = state[KEY] = RequestState()
    return found
